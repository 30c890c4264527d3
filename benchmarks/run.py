#!/usr/bin/env python
"""pytest-connectviews benchmarks: every figure measured side by side with its reference.

    python benchmarks/run.py            # all figures (a few minutes)
    python benchmarks/run.py --quick    # fewer repeats, smaller sizes
    python benchmarks/run.py --only per_call,paging --json figures.json

Each figure is a ratio of two things measured in the same run on the same machine, the median
over repeated, interleaved rounds (so background load hits both sides alike), timed in CPU
seconds of the measuring process (``--clock wall`` for elapsed time; the server figure is always
wall time: its servers are other processes). The table says PASS or MISS against the target of
the performance issue, or SKIP with the reason. Timings are not assertions anywhere in the test
suite: machines are noisy; ``tests/test_perf_properties.py`` asserts the structural properties
that do not depend on speed.

Figures
  per_call     a faked ``describe_view`` vs botocore's floor: the same call on a client whose
               ``before-send`` handler returns the fake's exact response bytes canned (serialize,
               sign, retry loop and parse still run; nothing else), on the installed botocore.
                                                         target <= 1.05x (<= 0.95x before 1.44.6)
  per_call_old the same in a child process on an older botocore (``--old-botocore``, default
               1.44.5, the last without botocore's own User-Agent cache), installed with pip into a
               cache directory on first use.                                 target <= 0.95x
  own          the plugin's own time per faked call: ``Endpoint._send`` (seam + ``Pipeline.handle``)
               on one prepared request, isolated.                            target <= 15 us
  moto         moto in-process ``describe_instance`` (moto implements no views operation) vs the
               faked ``describe_view`` of a small view (an answer of about the same size), clients
               created once.                                                 target >= 2.2x faster
  fixture      the ``connectviews`` fixture's set-up + teardown per test, the marginal cost from
               suites of N and 3N generated tests in subprocesses, vs the same tests without it
               (the one-time cost of the first use is reported apart).       target <= 1 ms
  small_test   a whole small test (fixture, ``boto3.client("connect")``, three calls) vs the same
               test with moto's documented ``mock_aws()`` recipe: the marginal cost per test,
               from suites of N and 3N tests (start-up cancels out).         target >= 20x faster
  paging       walking every item with each listing's paginator, per item, 10,000 items vs 1,000
               (every paginated listing the fake implements).                target <= 1.3x
  aiobotocore  a faked ``describe_view`` on an aiobotocore client vs aiobotocore's own floor (a
               canned ``before-send`` ``AioAWSResponse``); in a child process with aiobotocore 3.x
               and the botocore it pins, installed with pip into a cache directory on first use,
               unless aiobotocore is importable here.                        target <= 1.0x
  server       requests/s from 8 concurrent boto3 clients (threads) against the fake's HTTP
               server vs moto's ``ThreadedMotoServer``, each in its own process, on the same kind
               of call as figure moto.                                       target >= 2x
  startup      ``pytest --co`` on an empty directory with the plugin vs without it, other plugins
               not auto-loaded (their own cost varies by tens of ms).        target <= 15 ms extra
  memory       retained bytes per view (with $SAVED, $LATEST and a version) when all views share
               one 64 kB content, vs the content's size;                     target <= 0.25x
               and content copies kept per view when each has its own.       target <= 1.25
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "views"
REGION = "us-east-1"
ACCOUNT = "123456789012"
CREDENTIALS = {"aws_access_key_id": "AKIABENCHMARK", "aws_secret_access_key": "benchmark-secret"}
ENV_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SECURITY_TOKEN": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": REGION,
}


#: The clock every timing uses: CPU seconds of the measuring process by default, so other load on
#: the machine does not inflate either side of a ratio (``--clock wall`` for elapsed time).
clock: Callable[[], float] = time.process_time


def children_cpu() -> float:
    """CPU seconds used so far by finished child processes (user + system)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Figure:
    """One row of the table: our number, the reference number, their ratio and the target."""

    name: str
    what: str
    ours: str
    reference: str
    ratio: float
    target: str
    ok: bool
    #: why the figure was not measured ("" when it was)
    skipped: str = ""


def skipped(name: str, what: str, target: str, why: str) -> Figure:
    return Figure(name, what, "-", "-", float("nan"), target, False, why)


# ---------------------------------------------------------------------------- helpers
def median(values: list[float]) -> float:
    return float(statistics.median(values))


def interleaved(
    sides: dict[str, Callable[[], None]], rounds: int, repeat: int
) -> dict[str, list[float]]:
    """Seconds per call of each side, one entry per round; sides alternate within every round."""
    out: dict[str, list[float]] = {name: [] for name in sides}
    for fn in sides.values():  # warm up every lazy path once
        for _ in range(max(1, repeat // 10)):
            fn()
    for _ in range(rounds):
        for name, fn in sides.items():
            gc.collect()
            start = clock()
            for _ in range(repeat):
                fn()
            out[name].append((clock() - start) / repeat)
    return out


def paired_ratio(top: list[float], bottom: list[float]) -> float:
    """The median of per-round ratios: robust when the machine's speed drifts between rounds."""
    return median([a / b for a, b in zip(top, bottom, strict=True)])


def view_content() -> dict[str, Any]:
    """A realistic custom view: a captured task widget (1.7 kB of template, 700 B schema)."""
    raw = json.loads((DATA / "task_demo_widget_captured.json").read_text("utf-8"))["content"]
    template = raw["template"]
    if not isinstance(template, str):
        template = json.dumps(template, separators=(",", ":"))
    return {"Template": template, "Actions": list(raw["actions"])}


SMALL_VIEW = {
    "Template": json.dumps(
        {
            "Head": {"Title": "Bench"},
            "Body": [{"_id": "b", "Type": "Button", "Props": {"Action": "Go"}, "Content": ["Go"]}],
        }
    ),
    "Actions": ["Go"],
}


def canned_floor(client: Any, operation: str, body: bytes, headers: dict[str, str]) -> None:
    """Answer ``operation`` on ``client`` from a ``before-send`` handler with a canned 200."""
    from botocore.awsrequest import AWSResponse

    class Raw:
        def stream(self, **_: Any) -> Any:
            yield body

    def before_send(request: Any, **_: Any) -> Any:
        response = AWSResponse(request.url, 200, dict(headers), Raw())
        response._content = body
        return response

    client.meta.events.register(f"before-send.connect.{operation}", before_send)


def capture_response(client: Any, call: Callable[[], Any]) -> tuple[bytes, dict[str, str]]:
    """The raw body and headers the fake answered for ``call``."""
    seen: dict[str, Any] = {}

    def after_call(http_response: Any, **_: Any) -> None:
        seen["body"] = http_response.content
        seen["headers"] = dict(http_response.headers)

    client.meta.events.register("after-call.connect", after_call)
    call()
    client.meta.events.unregister("after-call.connect", after_call)
    return seen["body"], seen["headers"]


def run_pytest(directory: Path, *args: str, env: dict[str, str] | None = None) -> float:
    """Run pytest in a subprocess; return the seconds its test loop took (conftest timer)."""
    result_file = directory / "loop.json"
    result_file.unlink(missing_ok=True)
    full_env = {**os.environ, **ENV_CREDENTIALS, **(env or {})}
    full_env["BENCH_LOOP_FILE"] = str(result_file)
    full_env["BENCH_CLOCK"] = "cpu" if clock is time.process_time else "wall"
    full_env.pop("PYTEST_ADDOPTS", None)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:randomly",
            "-p",
            "no:cacheprovider",
            *args,
        ],
        cwd=directory,
        env=full_env,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"pytest failed in {directory}:\n{proc.stdout}\n{proc.stderr}")
    loop: float = json.loads(result_file.read_text())["loop"]
    return loop


LOOP_TIMER = """
import json, os, time
import pytest

clock = time.process_time if os.environ["BENCH_CLOCK"] == "cpu" else time.perf_counter

@pytest.hookimpl(wrapper=True)
def pytest_runtestloop(session):
    start = clock()
    try:
        return (yield)
    finally:
        with open(os.environ["BENCH_LOOP_FILE"], "w") as f:
            json.dump({"loop": clock() - start}, f)
"""


# ---------------------------------------------------------------------------- figures
def bench_per_call(quick: bool) -> list[Figure]:
    import boto3

    from pytest_connectviews import FakeAWS

    session = boto3.Session(region_name=REGION, **CREDENTIALS)
    fake = FakeAWS().start()
    try:
        client = session.client("connect")
        floor = session.client("connect")
        # The floor is botocore as it is: none of the plugin's per-client shortcuts.
        from pytest_connectviews._transport import shortcuts

        shortcuts.exclude(floor)
        instance = fake.add_instance()
        view = client.create_view(
            InstanceId=instance, Name="Bench", Status="PUBLISHED", Content=view_content()
        )["View"]

        def faked() -> None:
            client.describe_view(InstanceId=instance, ViewId=view["Id"])

        body, headers = capture_response(client, faked)
        canned_floor(floor, "DescribeView", body, headers)

        def floor_call() -> None:
            floor.describe_view(InstanceId=instance, ViewId=view["Id"])

        answers = [c.describe_view(InstanceId=instance, ViewId=view["Id"]) for c in (floor, client)]
        for answer in answers:
            answer.pop("ResponseMetadata")
        assert answers[0] == answers[1], "the floor must parse to what the fake answers"

        rounds, repeat = (9, 150) if quick else (25, 300)
        before = len(fake.calls)
        times = interleaved({"fake": faked, "floor": floor_call}, rounds, repeat)
        assert len(fake.calls) > before, "the faked client must reach the fake"
    finally:
        fake.stop()
    import botocore

    ours, ref = median(times["fake"]), median(times["floor"])
    ratio = paired_ratio(times["fake"], times["floor"])
    limit = 1.05 if botocore_version() >= (1, 44, 6) else 0.95
    return [
        Figure(
            "per_call",
            f"describe_view: fake / botocore floor (canned before-send), botocore "
            f"{botocore.__version__}",
            f"{ours * 1e6:.0f} us",
            f"{ref * 1e6:.0f} us",
            ratio,
            f"<= {limit:.2f}x",
            ratio <= limit,
        )
    ]


def botocore_version() -> tuple[int, ...]:
    import botocore

    return tuple(int(p) for p in botocore.__version__.split(".")[:3])


#: ``--old-botocore``: the botocore of figure per_call_old.
DEFAULT_OLD_BOTOCORE = OLD_BOTOCORE = "1.44.5"


def pip_target(target_dir: Path, package: str, *args: str) -> bool:
    """Install with pip into ``target_dir`` once (a cache); whether ``package`` is there."""
    marker = target_dir / package / "__init__.py"
    if not marker.exists():
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "-q", "--target", str(target_dir), *args],
            capture_output=True,
            text=True,
            check=False,
        )
    return marker.exists()


def run_child(path_first: Path, figure: str, quick: bool) -> dict[str, Any]:
    """Measure ``figure`` in a child process whose ``sys.path`` starts with ``path_first``."""
    with tempfile.TemporaryDirectory(prefix="cv-bench-") as tmp:
        out = Path(tmp) / f"{figure}.json"
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(path_first), str(ROOT)])}
        env["CONNECTVIEWS_BENCH_CHILD"] = "1"
        cmd = [sys.executable, __file__, "--only", figure, "--json", str(out)]
        cmd += ["--clock", "cpu" if clock is time.process_time else "wall"]
        cmd += ["--quick"] if quick else []
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            raise RuntimeError(f"figure {figure} failed:\n{proc.stdout}\n{proc.stderr}")
        result: dict[str, Any] = json.loads(out.read_text())
    return result


def bench_per_call_old(quick: bool) -> list[Figure]:
    """Figure per_call in a child process whose botocore is ``OLD_BOTOCORE``."""
    name, target = "per_call_old", "<= 0.95x"
    what = f"describe_view: fake / botocore floor, botocore {OLD_BOTOCORE} (child process)"
    target_dir = Path(tempfile.gettempdir()) / f"connectviews-bench-botocore-{OLD_BOTOCORE}"
    if not pip_target(target_dir, "botocore", "--no-deps", f"botocore=={OLD_BOTOCORE}"):
        return [skipped(name, what, target, f"pip could not install botocore {OLD_BOTOCORE}")]
    result = run_child(target_dir, "per_call", quick)
    if result["machine"]["botocore"] != OLD_BOTOCORE:
        raise RuntimeError(f"the child ran botocore {result['machine']['botocore']}")
    figure = Figure(**result["figures"][0])
    figure.name, figure.what = name, what
    figure.target, figure.ok = target, figure.ratio <= 0.95
    return [figure]


def bench_own(quick: bool) -> list[Figure]:
    """The plugin's own time per faked call: ``Endpoint._send`` on one prepared request."""
    import boto3
    import botocore.endpoint

    from pytest_connectviews import FakeAWS

    session = boto3.Session(region_name=REGION, **CREDENTIALS)
    fake = FakeAWS().start()
    try:
        client = session.client("connect")
        instance = fake.add_instance()
        view = client.create_view(
            InstanceId=instance, Name="Bench", Status="PUBLISHED", Content=view_content()
        )["View"]
        prepared: list[Any] = []

        def keep(request: Any, **_: Any) -> None:
            prepared.append(request)

        client.meta.events.register("before-send.connect.DescribeView", keep)
        client.describe_view(InstanceId=instance, ViewId=view["Id"])
        client.meta.events.unregister("before-send.connect.DescribeView", keep)
        request, endpoint = prepared[0], client._endpoint
        send = botocore.endpoint.Endpoint._send
        calls = fake.calls

        rounds, repeat = (9, 1000) if quick else (25, 2000)
        samples = []
        for _ in range(repeat // 10):
            send(endpoint, request)
        for _ in range(rounds):
            calls._clear()  # the log does not grow over the run
            gc.collect()
            start = clock()
            for _ in range(repeat):
                send(endpoint, request)
            samples.append((clock() - start) / repeat)
        assert send(endpoint, request).status_code == 200
    finally:
        fake.stop()
    per_call = median(samples)
    return [
        Figure(
            "own",
            "plugin's own time per faked describe_view (Endpoint._send + Pipeline.handle)",
            f"{per_call * 1e6:.1f} us",
            "-",
            per_call * 1e6,
            "<= 15 us",
            per_call <= 15e-6,
        )
    ]


def bench_moto(quick: bool) -> list[Figure]:
    import boto3

    from pytest_connectviews import FakeAWS

    # Our client's session exists before moto is imported, so moto's before-send handler is not
    # on it: each side pays only for its own fake.
    # A small view, so that the answer is about the size of moto's Instance (figure per_call
    # uses a realistic one).
    ours_session = boto3.Session(region_name=REGION, **CREDENTIALS)
    fake = FakeAWS()
    with fake:
        client = ours_session.client("connect")
        instance = fake.add_instance()
        view_id = client.create_view(
            InstanceId=instance, Name="Bench", Status="PUBLISHED", Content=SMALL_VIEW
        )["View"]["Id"]
    from moto import mock_aws

    with mock_aws():
        moto_client = boto3.Session(region_name=REGION, **CREDENTIALS).client("connect")
        moto_instance = moto_client.create_instance(
            IdentityManagementType="CONNECT_MANAGED",
            InstanceAlias="bench",
            InboundCallsEnabled=True,
            OutboundCallsEnabled=True,
        )["Id"]

        def moto_call() -> None:
            moto_client.describe_instance(InstanceId=moto_instance)

        def ours_call() -> None:
            with fake:
                for _ in range(10):
                    client.describe_view(InstanceId=instance, ViewId=view_id)

        def moto_round() -> None:
            for _ in range(10):
                moto_call()

        rounds, repeat = (7, 15) if quick else (15, 30)
        times = interleaved({"fake": ours_call, "moto": moto_round}, rounds, repeat)
    ours, ref = median(times["fake"]) / 10, median(times["moto"]) / 10
    speedup = paired_ratio(times["moto"], times["fake"])
    return [
        Figure(
            "moto",
            "per call: moto describe_instance / fake describe_view (a small view)",
            f"{ours * 1e6:.0f} us",
            f"{ref * 1e6:.0f} us",
            speedup,
            ">= 2.2x faster",
            speedup >= 2.2,
        )
    ]


def bench_fixture(quick: bool) -> list[Figure]:
    """The fixture's marginal set-up + teardown per test, and its one-time cost on first use.

    Suites of N and 3N generated tests, with and without the fixture, each in a subprocess: the
    per-test figure is ((fixture 3N - fixture N) - (plain 3N - plain N)) / 2N, so the one-time
    cost of the first use (importing the families, reading the two botocore models) cancels out;
    that one-time cost is the second, informational figure.
    """
    tests = 150 if quick else 300
    rounds = 3 if quick else 5
    with tempfile.TemporaryDirectory(prefix="cv-bench-") as tmp:
        base = Path(tmp)
        dirs: dict[tuple[str, int], Path] = {}
        for side, arg in (("plain", ""), ("fixture", "connectviews")):
            for count in (tests, 3 * tests):
                directory = base / f"{side}-{count}"
                directory.mkdir()
                (directory / "conftest.py").write_text(LOOP_TIMER)
                # Both suites import boto3, as any suite testing boto3 code does: the one-time
                # import is not a per-test cost.
                body = "import boto3\n\n" + "".join(
                    f"def test_{i}({arg}):\n    pass\n\n" for i in range(count)
                )
                (directory / "test_generated.py").write_text(body)
                dirs[side, count] = directory
        loops: dict[tuple[str, int], list[float]] = {key: [] for key in dirs}
        for _ in range(rounds):
            for key, directory in dirs.items():
                loops[key].append(run_pytest(directory))
    n = tests
    extra = [
        ((f3 - f1) - (p3 - p1)) / (2 * n)
        for f1, f3, p1, p3 in zip(
            loops["fixture", n],
            loops["fixture", 3 * n],
            loops["plain", n],
            loops["plain", 3 * n],
            strict=True,
        )
    ]
    first = [
        (f1 - p1) - n * e
        for f1, p1, e in zip(loops["fixture", n], loops["plain", n], extra, strict=True)
    ]
    per_test = median(extra)
    plain_per_test = median(
        [
            (p3 - p1) / (2 * n)
            for p1, p3 in zip(loops["plain", n], loops["plain", 3 * n], strict=True)
        ]
    )
    return [
        Figure(
            "fixture",
            f"connectviews fixture set-up + teardown, marginal per test (suites of {n} and "
            f"{3 * n} tests, subprocess)",
            f"{per_test * 1e3:.3f} ms",
            f"{plain_per_test * 1e3:.3f} ms (bare test)",
            per_test * 1e3,
            "<= 1 ms",
            per_test <= 1e-3,
        ),
        Figure(
            "fixture_first_use",
            "one-time cost of the first test using the fixture (families imported, both "
            "botocore models read): informational",
            f"{median(first) * 1e3:.0f} ms",
            "-",
            median(first) * 1e3,
            "-",
            True,
        ),
    ]


OURS_SMALL_TEST = """
import boto3

def test_{i}(connectviews):
    client = boto3.client("connect", region_name="us-east-1")
    client.list_views(InstanceId="bench-instance")
    client.list_views(InstanceId="bench-instance", MaxResults=5)
    client.list_views(InstanceId="bench-instance", Type="CUSTOMER_MANAGED")
"""

MOTO_CONFTEST = '''
import os
import boto3
import pytest
from moto import mock_aws

@pytest.fixture
def aws_credentials():
    """Mocked AWS credentials for moto (the moto documentation's recipe)."""
    os.environ["AWS_ACCESS_KEY_ID"] = "testing"
    os.environ["AWS_SECRET_ACCESS_KEY"] = "testing"
    os.environ["AWS_SECURITY_TOKEN"] = "testing"
    os.environ["AWS_SESSION_TOKEN"] = "testing"
    os.environ["AWS_DEFAULT_REGION"] = "us-east-1"

@pytest.fixture
def aws(aws_credentials):
    with mock_aws():
        yield
'''

MOTO_SMALL_TEST = """
import boto3

def test_{i}(aws):
    client = boto3.client("connect", region_name="us-east-1")
    client.list_instances()
    client.list_instances(MaxResults=5)
    client.list_instances()
"""


def bench_small_test(quick: bool) -> list[Figure]:
    """Marginal cost per whole test: (loop of 3N tests - loop of N tests) / 2N, both sides."""
    ours_n, moto_n = (20, 4) if quick else (40, 8)
    rounds = 3
    with tempfile.TemporaryDirectory(prefix="cv-bench-") as tmp:
        base = Path(tmp)
        dirs: dict[tuple[str, int], Path] = {}
        for side, n, conftest, test in (
            ("ours", ours_n, LOOP_TIMER, OURS_SMALL_TEST),
            ("moto", moto_n, LOOP_TIMER + MOTO_CONFTEST, MOTO_SMALL_TEST),
        ):
            for count in (n, 3 * n):
                directory = base / f"{side}-{count}"
                directory.mkdir()
                (directory / "conftest.py").write_text(conftest)
                text = "".join(test.format(i=i) for i in range(count))
                (directory / "test_small.py").write_text(text)
                dirs[side, count] = directory
        marginal: dict[str, list[float]] = {"ours": [], "moto": []}
        for _ in range(rounds):
            for side, n, args in (
                ("ours", ours_n, ()),
                ("moto", moto_n, ("-p", "no:connectviews")),
            ):
                # moto's fixture is the reference: keep our plugin out of its way.
                small = run_pytest(dirs[side, n], *args)
                large = run_pytest(dirs[side, 3 * n], *args)
                marginal[side].append((large - small) / (2 * n))
    speedup = paired_ratio(marginal["moto"], marginal["ours"])
    return [
        Figure(
            "small_test",
            "whole small test (fixture, boto3.client, 3 calls), marginal per test "
            "(suites of N and 3N): moto mock_aws / fake",
            f"{median(marginal['ours']) * 1e3:.1f} ms",
            f"{median(marginal['moto']) * 1e3:.1f} ms",
            speedup,
            ">= 20x faster",
            speedup >= 20,
        )
    ]


WORKFLOW_DOC = "schemaVersion: 1.0\nsteps:\n  - name: Wait\n    action: WaitForAction\n"


def direct(fake: Any, service: str, operation: str, region: str, **params: Any) -> Any:
    """Call a family method directly (seeding 10,000 resources through boto3 takes minutes)."""
    from pytest_connectviews.services._kit.context import RequestContext

    pipeline = fake._pipeline
    handler = pipeline.dispatcher.state(service).handlers[operation]
    ctx = RequestContext(
        service,
        operation,
        pipeline.settings.account_id,
        region,
        pipeline.clock,
        pipeline.settings.options,
        pipeline.gate.faults.quotas,
        pipeline.durations,
    )
    with pipeline.lock:
        return handler(ctx, params)


#: (service, paginated operation) -> seed(fake, region, size) returning the listing's parameters
#: and its result key; every paginated listing the fake implements has one.
Seed = Callable[[Any, str, int], tuple[dict[str, Any], str]]


def seed_views(fake: Any, region: str, size: int) -> str:
    instance = str(fake.add_instance(region=region))
    template = json.dumps({"Head": {"Title": "t"}, "Body": []})
    for i in range(size):
        direct(
            fake,
            "connect",
            "CreateView",
            region,
            InstanceId=instance,
            Name=f"view-{i:05d}",
            Status="SAVED",
            Content={"Template": template, "Actions": []},
        )
    return instance


def seed_list_views(fake: Any, region: str, size: int) -> tuple[dict[str, Any], str]:
    instance = seed_views(fake, region, size)
    return {"InstanceId": instance, "Type": "CUSTOMER_MANAGED"}, "ViewsSummaryList"


def seed_search_views(fake: Any, region: str, size: int) -> tuple[dict[str, Any], str]:
    instance = seed_views(fake, region, size)
    criteria = {"ViewTypeCondition": "CUSTOMER_MANAGED"}
    return {"InstanceId": instance, "SearchCriteria": criteria}, "Views"


def seed_list_view_versions(fake: Any, region: str, size: int) -> tuple[dict[str, Any], str]:
    instance = str(fake.add_instance(region=region))

    def content(i: int) -> dict[str, Any]:
        return {"Template": json.dumps({"Head": {"Title": f"v{i}"}, "Body": []}), "Actions": []}

    view = direct(
        fake,
        "connect",
        "CreateView",
        region,
        InstanceId=instance,
        Name="versions",
        Status="PUBLISHED",
        Content=content(0),
    )["View"]
    for i in range(size):
        if i:
            direct(
                fake,
                "connect",
                "UpdateViewContent",
                region,
                InstanceId=instance,
                ViewId=view["Id"],
                Status="PUBLISHED",
                Content=content(i),
            )
        direct(fake, "connect", "CreateViewVersion", region, InstanceId=instance, ViewId=view["Id"])
    return {"InstanceId": instance, "ViewId": view["Id"]}, "ViewVersionSummaryList"


def seed_list_workflows(fake: Any, region: str, size: int) -> tuple[dict[str, Any], str]:
    for i in range(size):
        direct(
            fake,
            "imagebuilder",
            "CreateWorkflow",
            region,
            name=f"wf-{i:05d}",
            semanticVersion="1.0.0",
            type="BUILD",
            data=WORKFLOW_DOC,
            clientToken=f"token-{i}",
        )
    return {}, "workflowVersionList"


def seed_list_workflow_build_versions(
    fake: Any, region: str, size: int
) -> tuple[dict[str, Any], str]:
    for i in range(size):
        direct(
            fake,
            "imagebuilder",
            "CreateWorkflow",
            region,
            name="builds",
            semanticVersion=f"1.0.{i}",
            type="BUILD",
            data=WORKFLOW_DOC,
            clientToken=f"token-{i}",
        )
    arn = f"arn:aws:imagebuilder:{region}:{ACCOUNT}:workflow/build/builds/1.0.x"
    return {"workflowVersionArn": arn}, "workflowSummaryList"


LISTINGS: dict[tuple[str, str], Seed] = {
    ("connect", "ListViews"): seed_list_views,
    ("connect", "SearchViews"): seed_search_views,
    ("connect", "ListViewVersions"): seed_list_view_versions,
    ("imagebuilder", "ListWorkflows"): seed_list_workflows,
    ("imagebuilder", "ListWorkflowBuildVersions"): seed_list_workflow_build_versions,
}


def bench_paging(quick: bool) -> list[Figure]:
    import boto3
    from botocore import xform_name

    from pytest_connectviews import FakeAWS

    small = 100 if quick else 1000
    sizes = (small, small * 10)
    regions = ("us-east-1", "us-west-2")  # one region per size: listings do not mix
    session = boto3.Session(**CREDENTIALS)
    figures = []
    fake = FakeAWS(account_id=ACCOUNT).start()
    try:
        for (service, operation), seed in LISTINGS.items():
            fake.reset()
            walks = {}
            for size, region in zip(sizes, regions, strict=True):
                params, key = seed(fake, region, size)
                client = session.client(service, region_name=region)
                paginator = client.get_paginator(xform_name(operation))

                def walk(
                    paginator: Any = paginator,
                    params: Any = params,
                    key: str = key,
                    size: int = size,
                ) -> None:
                    seen = sum(len(page[key]) for page in paginator.paginate(**params))
                    assert seen == size, (seen, size)

                walks["small" if size == small else "large"] = walk
            rounds = 5 if quick else 7
            times = interleaved(walks, rounds, 1)
            fake.calls._clear()
            per_item = {
                k: [t / size for t in v] for (k, v), size in zip(times.items(), sizes, strict=True)
            }
            ratio = paired_ratio(per_item["large"], per_item["small"])
            figures.append(
                Figure(
                    f"paging_{operation}",
                    f"{service} {operation} paginator, per item: {sizes[1]} / {sizes[0]} items",
                    f"{median(per_item['large']) * 1e6:.1f} us/item",
                    f"{median(per_item['small']) * 1e6:.1f} us/item",
                    ratio,
                    "<= 1.3x",
                    ratio <= 1.3,
                )
            )
    finally:
        fake.stop()
        fake.reset()
    return figures


#: figure aiobotocore's child process: aiobotocore 3.x and the botocore it pins, in a cache dir
AIOBOTOCORE_SPEC = "aiobotocore>=3,<4"


def bench_aiobotocore(quick: bool) -> list[Figure]:
    """A faked call on an aiobotocore client vs aiobotocore's own floor (a canned ``before-send``).

    Measured in this process when aiobotocore is importable, otherwise in a child process whose
    path starts with aiobotocore (and the botocore it pins) installed with pip into a cache
    directory on first use.
    """
    name, target = "aiobotocore", "<= 1.0x"
    what = "aiobotocore describe_view: fake / aiobotocore floor (canned before-send)"
    import importlib.util

    if importlib.util.find_spec("aiobotocore") is not None:
        import asyncio

        return [asyncio.run(_aio_per_call(quick, name, what, target))]
    if os.environ.get("CONNECTVIEWS_BENCH_CHILD"):
        return [skipped(name, what, target, "aiobotocore did not install")]
    target_dir = Path(tempfile.gettempdir()) / "connectviews-bench-aiobotocore"
    if not pip_target(target_dir, "aiobotocore", AIOBOTOCORE_SPEC):
        return [skipped(name, what, target, f"pip could not install {AIOBOTOCORE_SPEC}")]
    result = run_child(target_dir, "aiobotocore", quick)
    return [Figure(**result["figures"][0])]


async def _aio_per_call(quick: bool, name: str, what: str, target: str) -> Figure:
    import aiobotocore
    import aiobotocore.session
    from aiobotocore.awsrequest import AioAWSResponse

    from pytest_connectviews import FakeAWS

    class Raw:  # an aiohttp-like body already in memory, as aiobotocore reads it
        def __init__(self, body: bytes) -> None:
            self.body = body

        async def read(self, *_: Any) -> bytes:
            return self.body

    session = aiobotocore.session.get_session()
    kwargs = {"region_name": REGION, **CREDENTIALS}
    fake = FakeAWS().start()
    try:
        async with (
            session.create_client("connect", **kwargs) as client,
            session.create_client("connect", **kwargs) as floor,
        ):
            from pytest_connectviews._transport import shortcuts

            shortcuts.exclude(floor)
            instance = fake.add_instance()
            made = await client.create_view(
                InstanceId=instance, Name="Bench", Status="PUBLISHED", Content=view_content()
            )
            view_id = made["View"]["Id"]
            seen: dict[str, Any] = {}

            async def after_call(http_response: Any, **_: Any) -> None:
                seen["body"] = await http_response.content
                seen["headers"] = dict(http_response.headers)

            client.meta.events.register("after-call.connect", after_call)
            await client.describe_view(InstanceId=instance, ViewId=view_id)
            client.meta.events.unregister("after-call.connect", after_call)
            body, headers = seen["body"], seen["headers"]

            def before_send(request: Any, **_: Any) -> Any:
                return AioAWSResponse(request.url, 200, dict(headers), Raw(body))

            floor.meta.events.register("before-send.connect.DescribeView", before_send)
            answers = [
                await c.describe_view(InstanceId=instance, ViewId=view_id) for c in (floor, client)
            ]
            for answer in answers:
                answer.pop("ResponseMetadata")
            assert answers[0] == answers[1], "the floor must parse to what the fake answers"

            sides = {"fake": client, "floor": floor}
            rounds, repeat = (9, 150) if quick else (25, 300)
            times: dict[str, list[float]] = {side: [] for side in sides}
            for c in sides.values():
                for _ in range(repeat // 10):
                    await c.describe_view(InstanceId=instance, ViewId=view_id)
            before = len(fake.calls)
            for _ in range(rounds):
                for side, c in sides.items():
                    gc.collect()
                    start = clock()
                    for _ in range(repeat):
                        await c.describe_view(InstanceId=instance, ViewId=view_id)
                    times[side].append((clock() - start) / repeat)
            assert len(fake.calls) > before, "the faked client must reach the fake"
    finally:
        fake.stop()
    ratio = paired_ratio(times["fake"], times["floor"])
    return Figure(
        name,
        f"{what}, aiobotocore {aiobotocore.__version__}",
        f"{median(times['fake']) * 1e6:.0f} us",
        f"{median(times['floor']) * 1e6:.0f} us",
        ratio,
        target,
        ratio <= 1.0,
    )


SERVER_MOTO = """
import sys
from moto.server import ThreadedMotoServer
server = ThreadedMotoServer(ip_address="127.0.0.1", port=int(sys.argv[1]), verbose=False)
server.start()
print("listening on http://127.0.0.1:" + sys.argv[1], flush=True)
sys.stdin.read()
server.stop()
"""


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_server(cmd: list[str]) -> tuple[subprocess.Popen[str], str]:
    env = {**os.environ, **ENV_CREDENTIALS}
    proc = subprocess.Popen(
        cmd,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line.startswith("listening on "):
        proc.kill()
        raise RuntimeError(f"server did not start: {cmd}: {line!r}")
    return proc, line.split("listening on ", 1)[1].strip()


def bench_server(quick: bool) -> list[Figure]:
    """Requests/s of 8 threads with their own boto3 clients, against each server process."""
    import threading

    import boto3

    threads, per_thread = 8, (15 if quick else 40)
    rounds = 3 if quick else 5
    ours_proc, ours_url = start_server(
        [sys.executable, "-m", "pytest_connectviews", "serve", "--port", "0"]
    )
    moto_proc, moto_url = start_server([sys.executable, "-c", SERVER_MOTO, str(free_port())])
    try:
        session = boto3.Session(region_name=REGION, **CREDENTIALS)
        ours = session.client("connect", endpoint_url=ours_url)
        instance = "11111111-2222-3333-4444-555555555555"
        view_id = ours.create_view(
            InstanceId=instance, Name="Bench", Status="PUBLISHED", Content=SMALL_VIEW
        )["View"]["Id"]
        moto = session.client("connect", endpoint_url=moto_url)
        moto_instance = moto.create_instance(
            IdentityManagementType="CONNECT_MANAGED",
            InstanceAlias="bench",
            InboundCallsEnabled=True,
            OutboundCallsEnabled=True,
        )["Id"]
        calls = {
            "fake": (ours_url, lambda c: c.describe_view(InstanceId=instance, ViewId=view_id)),
            "moto": (moto_url, lambda c: c.describe_instance(InstanceId=moto_instance)),
        }
        clients = {
            side: [
                boto3.Session(region_name=REGION, **CREDENTIALS).client("connect", endpoint_url=url)
                for _ in range(threads)
            ]
            for side, (url, _) in calls.items()
        }

        def burst(side: str) -> float:
            call = calls[side][1]

            def worker(client: Any) -> None:
                for _ in range(per_thread):
                    call(client)

            workers = [threading.Thread(target=worker, args=(c,)) for c in clients[side]]
            start = time.perf_counter()
            for w in workers:
                w.start()
            for w in workers:
                w.join()
            return threads * per_thread / (time.perf_counter() - start)

        for side in calls:
            burst(side)  # warm up connections and lazy paths
        rates: dict[str, list[float]] = {"fake": [], "moto": []}
        for _ in range(rounds):
            for side in calls:
                rates[side].append(burst(side))
    finally:
        for proc in (ours_proc, moto_proc):
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
    ratio = paired_ratio(rates["fake"], rates["moto"])
    return [
        Figure(
            "server",
            f"server mode, {threads} concurrent boto3 clients (wall time): fake requests/s / "
            "moto ThreadedMotoServer requests/s",
            f"{median(rates['fake']):.0f} req/s",
            f"{median(rates['moto']):.0f} req/s",
            ratio,
            ">= 2x",
            ratio >= 2,
        )
    ]


def bench_startup(quick: bool) -> list[Figure]:
    repeats = 7 if quick else 15
    with tempfile.TemporaryDirectory(prefix="cv-bench-") as tmp:
        env = {**os.environ}
        env.pop("PYTEST_ADDOPTS", None)
        # Other installed plugins (hypothesis, randomly, xdist, ...) cost hundreds of ms and vary
        # by tens between runs, drowning the figure: load only ours, by the same entry point.
        env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
        # An installed package starts from compiled bytecode; with PYTHONDONTWRITEBYTECODE set
        # (as on some CI machines) every start would compile (and assertion-rewrite) the plugin
        # from source and charge that to the plugin. The warm-up run below writes the caches.
        env.pop("PYTHONDONTWRITEBYTECODE", None)

        def run(*extra: str) -> float:
            cmd = [sys.executable, "-m", "pytest", "--co", "-q", "-p", "no:cacheprovider", *extra]
            cpu = clock is time.process_time
            start = children_cpu() if cpu else time.perf_counter()
            subprocess.run(cmd, cwd=tmp, env=env, capture_output=True, check=False)
            return (children_cpu() if cpu else time.perf_counter()) - start

        run("-p", "pytest_connectviews.plugin")  # warm-up: writes the bytecode caches
        with_plugin: list[float] = []
        without: list[float] = []
        for _ in range(repeats):
            with_plugin.append(run("-p", "pytest_connectviews.plugin"))
            without.append(run())
    extra = median([a - b for a, b in zip(with_plugin, without, strict=True)])
    return [
        Figure(
            "startup",
            "pytest --co on an empty dir, other plugins off: with the plugin vs without",
            f"{median(with_plugin) * 1e3:.0f} ms",
            f"{median(without) * 1e3:.0f} ms",
            extra * 1e3,
            "<= 15 ms extra",
            extra <= 0.015,
        )
    ]


def big_content() -> dict[str, Any]:
    """A large custom view (about 40 kB): the captured task widget's form, repeated."""
    base = view_content()
    template = json.loads(base["Template"])
    form = template["Body"][0]
    body = []
    for i in range(40):
        copy = json.loads(json.dumps(form).replace('"_id": "', f'"_id": "c{i}_'))
        body.append(copy)
    template["Body"] = body
    return {"Template": json.dumps(template, separators=(",", ":")), "Actions": base["Actions"]}


def bench_memory(quick: bool) -> list[Figure]:
    import boto3

    from pytest_connectviews import FakeAWS

    count = 100 if quick else 250
    session = boto3.Session(region_name=REGION, **CREDENTIALS)
    base = big_content()
    content_bytes = len(base["Template"].encode()) + sum(len(a) for a in base["Actions"])
    results: dict[str, float] = {}
    for mode in ("shared", "distinct"):
        fake = FakeAWS().start()
        try:
            client = session.client("connect")
            instance = fake.add_instance()
            client.list_views(InstanceId=instance)  # warm every lazy path before measuring
            gc.collect()
            tracemalloc.start()
            start = tracemalloc.get_traced_memory()[0]
            for i in range(count):
                template = base["Template"]
                if mode == "distinct":
                    template = template.replace("{", "{" + f'"Bench{i}":{i},', 1)
                view_id = client.create_view(
                    InstanceId=instance,
                    Name=f"view-{i}",
                    Status="PUBLISHED",
                    Content={"Template": template, "Actions": base["Actions"]},
                )["View"]["Id"]
                client.create_view_version(InstanceId=instance, ViewId=view_id)
            fake.calls._clear()  # recorded calls keep their params by design; count the state
            gc.collect()
            grown = tracemalloc.get_traced_memory()[0] - start
            tracemalloc.stop()
            results[mode] = grown / count
        finally:
            fake.stop()
            fake.reset()
    shared = results["shared"] / content_bytes
    copies = (results["distinct"] - results["shared"]) / content_bytes
    return [
        Figure(
            "memory",
            "bytes kept per view ($SAVED, $LATEST, 1 version) sharing one "
            f"{content_bytes // 1000} kB content / content size",
            f"{results['shared'] / 1e3:.1f} kB/view",
            f"{content_bytes / 1e3:.1f} kB content",
            shared,
            "<= 0.25x",
            shared <= 0.25,
        ),
        Figure(
            "memory",
            "content copies kept per view when every view has its own content "
            "((distinct - shared) / content size)",
            f"{results['distinct'] / 1e3:.1f} kB/view",
            f"{results['shared'] / 1e3:.1f} kB/view",
            copies,
            "<= 1.25 copies",
            copies <= 1.25,
        ),
    ]


BENCHES: dict[str, Callable[[bool], list[Figure]]] = {
    "per_call": bench_per_call,
    "per_call_old": bench_per_call_old,
    "own": bench_own,
    "paging": bench_paging,
    "memory": bench_memory,
    "fixture": bench_fixture,
    "startup": bench_startup,
    "small_test": bench_small_test,
    "aiobotocore": bench_aiobotocore,
    "server": bench_server,
    "moto": bench_moto,  # last: importing moto adds its handler to sessions created afterwards
}


def machine() -> dict[str, str]:
    import boto3
    import botocore

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        from importlib.metadata import version

        moto = version("moto")
    except Exception:
        moto = "not installed"
    return {
        "cpu": f"{cpu} ({os.cpu_count()} logical CPUs)",
        "python": platform.python_version(),
        "platform": platform.platform(),
        "botocore": botocore.__version__,
        "boto3": boto3.__version__,
        "moto": moto,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="fewer repeats and smaller sizes")
    parser.add_argument(
        "--only", default="", help=f"comma-separated subset of: {', '.join(BENCHES)}"
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument(
        "--clock",
        choices=("cpu", "wall"),
        default="cpu",
        help="time by CPU seconds of the measuring process (default) or by elapsed time",
    )
    parser.add_argument(
        "--old-botocore",
        default=DEFAULT_OLD_BOTOCORE,
        help=f"botocore version of figure per_call_old (default {DEFAULT_OLD_BOTOCORE})",
    )
    args = parser.parse_args(argv)
    global clock, OLD_BOTOCORE
    clock = time.process_time if args.clock == "cpu" else time.perf_counter
    OLD_BOTOCORE = args.old_botocore
    names = [n for n in args.only.split(",") if n] or list(BENCHES)
    unknown = [n for n in names if n not in BENCHES]
    if unknown:
        parser.error(f"unknown figure(s) {', '.join(unknown)}; choose from {', '.join(BENCHES)}")
    info = machine()
    info["clock"] = f"{args.clock} time, {'quick' if args.quick else 'full'} run"
    if info["moto"] == "not installed":
        left_out = [n for n in names if n in ("moto", "small_test", "server")]
        names = [n for n in names if n not in left_out]
        if left_out:
            print(f"skipping {', '.join(left_out)}: pip install 'pytest-connectviews[bench]'")
    for key, value in info.items():
        print(f"{key:9s} {value}")
    print()
    figures: list[Figure] = []
    for name in BENCHES:
        if name in names:
            start = time.perf_counter()
            figures.extend(BENCHES[name](args.quick))
            print(f"  measured {name} in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    header = (
        f"{'figure':30s} {'ours':>16s} {'reference':>20s} {'ratio':>8s} {'target':>15s}  result"
    )
    print(header)
    print("-" * len(header))
    for f in figures:
        result = f"SKIP ({f.skipped})" if f.skipped else ("PASS" if f.ok else "MISS")
        print(
            f"{f.name:30s} {f.ours:>16s} {f.reference:>20s} {f.ratio:8.2f} {f.target:>15s}  "
            f"{result}"
        )
    print()
    for f in figures:
        print(f"{f.name:30s} {f.what}")
    if args.json:
        args.json.write_text(
            json.dumps({"machine": info, "figures": [asdict(f) for f in figures]}, indent=2)
        )
    return 1 if args.strict and not all(f.ok or f.skipped for f in figures) else 0


if __name__ == "__main__":
    sys.exit(main())
