"""``--connectviews-report``: the suite's calls per operation, and the error paths no test produced.

While it is on, every fake's recorder adds each call to one counter for the process (a tuple key
and an increment: nothing else per call). Under pytest-xdist each worker sends its counter to
the controller through ``workeroutput``; the controller merges them as workers go down and
prints (and writes) the report once.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from typing import Any

import pytest

from . import recorder

_OUTPUT_KEY = "connectviews_report"
#: (service, operation, first attempt, status, error code, source)
Key = tuple[str, str, bool, int, "str | None", str]


class ReportPlugin:
    """Registered by ``plugin.pytest_configure`` when ``--connectviews-report`` is given."""

    def __init__(self, config: pytest.Config, path: str | None) -> None:
        self.config = config
        self.path = path
        self.tally: Counter[Key] = Counter()
        recorder.tally = self.tally  # plugin.pytest_unconfigure puts back what was there
        self._worker = hasattr(config, "workerinput")

    # ------------------------------------------------------------------ hooks
    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if self._worker:
            output: dict[str, Any] = self.config.workeroutput  # type: ignore[attr-defined]
            output[_OUTPUT_KEY] = [[*key, count] for key, count in self.tally.items()]
            return
        if self.path:
            folder = os.path.dirname(os.path.abspath(self.path))
            os.makedirs(folder, exist_ok=True)
            with open(self.path, "w", encoding="utf-8") as file:
                json.dump(report(self.tally), file, indent=2, sort_keys=True)
                file.write("\n")

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        rows = getattr(node, "workeroutput", {}).get(_OUTPUT_KEY, [])
        for *key, count in rows:
            service, operation, first, status, code, source = key
            self.tally[(service, operation, bool(first), int(status), code, source)] += int(count)

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self._worker:
            return
        data = report(self.tally)
        terminalreporter.write_sep("=", "connectviews report")
        for line in render(data):
            terminalreporter.write_line(line)
        if self.path:
            terminalreporter.write_line(f"connectviews: report written to {self.path}")


def _modeled_errors(service: str, operation: str) -> list[str]:
    from ._models import service_model

    shapes = service_model(service).operation_model(operation).error_shapes
    return sorted({str(s.metadata.get("error", {}).get("code", s.name)) for s in shapes})


def report(tally: Counter[Key]) -> dict[str, Any]:
    """The report's data: one entry per (service, operation), with outcomes and untested errors."""
    operations: dict[tuple[str, str], dict[str, Any]] = {}
    outcomes: dict[tuple[str, str], Counter[tuple[int, str | None, str]]] = {}
    for (service, operation, first, status, code, source), count in tally.items():
        entry = operations.setdefault(
            (service, operation),
            {"service": service, "operation": operation, "client_calls": 0, "attempts": 0},
        )
        entry["attempts"] += count
        if first:
            entry["client_calls"] += count
        outcomes.setdefault((service, operation), Counter())[(status, code, source)] += count
    result = []
    for key in sorted(operations):
        entry = operations[key]
        seen = outcomes[key]
        entry["outcomes"] = [
            {"status": status, "error_code": code, "source": source, "count": count}
            for (status, code, source), count in sorted(
                seen.items(), key=lambda item: (item[0][0], item[0][1] or "", item[0][2])
            )
        ]
        produced = {code for (_, code, _) in seen if code is not None}
        entry["untested_errors"] = [c for c in _modeled_errors(*key) if c not in produced]
        result.append(entry)
    return {"version": 1, "operations": result}


def render(data: dict[str, Any]) -> list[str]:
    """The terminal section's lines."""
    entries = data["operations"]
    if not entries:
        return ["no call reached a connectviews fake"]
    lines = []
    untested = 0
    for entry in entries:
        lines.append(
            f"{entry['service']} {entry['operation']}: {entry['client_calls']} client call(s), "
            f"{entry['attempts']} attempt(s)"
        )
        grouped: dict[tuple[int, str | None], list[str]] = {}
        for outcome in entry["outcomes"]:
            grouped.setdefault((outcome["status"], outcome["error_code"]), []).append(
                f"{outcome['source']} {outcome['count']}"
            )
        for (status, code), by_source in grouped.items():
            lines.append(f"    {status} {code or 'ok'}: {', '.join(by_source)}")
        if entry["untested_errors"]:
            untested += len(entry["untested_errors"])
            lines.append(f"    never produced: {', '.join(entry['untested_errors'])}")
    lines.append(
        f"{len(entries)} operation(s) called; {untested} modeled error path(s) no test produced"
    )
    return lines
