"""The control API: what a Python test does with ``FakeAWS``, as JSON over HTTP.

A test in another language (or a shell script) seeds state, injects errors, throttles, sets
quotas, moves the clock and reads the recorded calls under ``/_connectviews/``. Every endpoint
calls the public ``FakeAWS`` API and nothing else, so each rule lives in one place and a bad value
gets the same ``connectviews:`` message as in Python, here as a 400 answer. No AWS operation of
the two services has a path under the prefix.

Answers are JSON; errors are ``{"__type": CODE, "message": "connectviews: ..."}`` (the services'
error format): 400 ``BadRequest``, 401 ``Unauthorized``, 404 ``NotFound``, 405
``MethodNotAllowed``.
"""

from __future__ import annotations

import base64
import datetime as dt
import hmac
import json
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from typing import Any, get_args
from urllib.parse import parse_qsl, unquote

from ..dispatch import QUOTAS
from ..fake import FakeAWS
from ..faults import ErrorRule, ResponseRule, ThrottleRule
from ..recorder import Call, Source
from ..services.imagebuilder.builds import StepFailure

#: Every control path starts with this; no AWS operation of the two services uses it.
CONTROL_PREFIX = "/_connectviews/"
#: The header carrying the control token, when the server has one.
TOKEN_HEADER = "X-Connectviews-Token"

Answer = tuple[int, dict[str, str], bytes]
_MISSING: Any = object()
_Rule = ErrorRule | ThrottleRule | ResponseRule
_SOURCES: tuple[str, ...] = get_args(Source)


class _BadRequest(Exception):
    def __init__(self, message: str, status: int = 400, code: str = "BadRequest") -> None:
        if not message.startswith("connectviews:"):
            message = f"connectviews: {message}"
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code


def _answer(status: int, document: Any, headers: Mapping[str, str] | None = None) -> Answer:
    body = json.dumps(document, separators=(",", ":"), default=_jsonable).encode()
    return status, {"Content-Type": "application/json", **(headers or {})}, body


def _error(
    status: int, code: str, message: str, headers: Mapping[str, str] | None = None
) -> Answer:
    return _answer(
        status, {"__type": code, "message": message}, {"x-amzn-ErrorType": code, **(headers or {})}
    )


def _jsonable(value: Any) -> Any:
    """What ``json`` cannot write itself: timestamps, blobs, mappings and sequences of the model."""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(bytes(value)).decode()
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, (tuple, set, frozenset)):
        return list(value)
    return repr(value)


class _Body:
    """A JSON object request body, read field by field; ``done()`` refuses fields nobody read."""

    def __init__(self, raw: bytes, where: str) -> None:
        self.where = where
        self._read: set[str] = set()
        if not raw.strip():
            self.data: dict[str, Any] = {}
            return
        try:
            data = json.loads(raw)
        except (UnicodeDecodeError, ValueError) as exc:
            raise _BadRequest(f"{where}: the body is not JSON ({exc})") from None
        if not isinstance(data, dict):
            raise _BadRequest(f"{where}: the body must be a JSON object, got {type(data).__name__}")
        self.data = data

    def get(self, name: str, kinds: tuple[type, ...] | None, *, required: bool = False) -> Any:
        """The field ``name`` (``_MISSING`` when absent), checked to be one of ``kinds``."""
        self._read.add(name)
        if name not in self.data:
            if required:
                raise _BadRequest(f"{self.where}: the field {name!r} is required")
            return _MISSING
        value = self.data[name]
        if kinds is not None and value is not None:
            wrong = isinstance(value, bool) and bool not in kinds
            if wrong or not isinstance(value, kinds):
                names = " or ".join(_KIND_NAMES[k] for k in kinds)
                raise _BadRequest(f"{self.where}: {name!r} must be {names}, got {value!r}")
        return value

    def optional(self, name: str, kinds: tuple[type, ...] | None = None) -> Any:
        """The field, or None when absent or null."""
        value = self.get(name, kinds)
        return None if value is _MISSING else value

    def done(self) -> None:
        unknown = sorted(set(self.data) - self._read)
        if unknown:
            raise _BadRequest(
                f"{self.where}: unknown field(s) {', '.join(map(repr, unknown))}; "
                f"the fields are {', '.join(map(repr, sorted(self._read)))}"
            )


_KIND_NAMES = {
    str: "a string",
    int: "an integer",
    float: "a number",
    bool: "a boolean",
    dict: "a JSON object",
    list: "a JSON array",
}
_NUMBER = (int, float)


@dataclass(frozen=True)
class _Route:
    method: str
    pattern: tuple[str, ...]  # path segments after the prefix; "{name}" matches any one
    handler: Callable[..., Answer]
    public: bool = False  # answered without the control token


class ControlAPI:
    """The ``/_connectviews/`` endpoints of one ``FakeServer``, over its ``FakeAWS``."""

    def __init__(self, fake: FakeAWS, *, token: str | None = None) -> None:
        if token is not None and (not isinstance(token, str) or not token):
            raise ValueError("connectviews: control_token must be a non-empty string or None")
        self.fake = fake
        self.token = token
        self._lock = threading.Lock()
        self._rules: dict[str, dict[str, _Rule]] = {"errors": {}, "throttles": {}, "responses": {}}
        self._counters = {**dict.fromkeys(self._rules, 0), "step-failures": 0}
        self._step_failures: dict[str, StepFailure] = {}
        r = _Route
        self._routes = (
            r("GET", ("health",), self._health, public=True),
            r("POST", ("reset",), self._reset),
            r("POST", ("instances",), self._add_instance),
            r("POST", ("instance-failures",), self._fail_instance_creation),
            r("POST", ("documents",), self._register_document),
            r("POST", ("in-use",), self._mark_in_use),
            r("GET", ("errors",), self._list_errors),
            r("POST", ("errors",), self._inject_error),
            r("DELETE", ("errors", "{id}"), self._remove_error),
            r("GET", ("responses",), self._list_responses),
            r("POST", ("responses",), self._add_response),
            r("DELETE", ("responses", "{id}"), self._remove_response),
            r("GET", ("throttles",), self._list_throttles),
            r("POST", ("throttles",), self._throttle),
            r("DELETE", ("throttles", "{id}"), self._remove_throttle),
            r("GET", ("quotas",), self._quotas),
            r("PUT", ("quotas", "{name}"), self._set_quota),
            r("PUT", ("durations", "{name}"), self._set_duration),
            r("POST", ("settle",), self._settle),
            r("POST", ("step-failures",), self._fail_step),
            r("DELETE", ("step-failures", "{id}"), self._remove_step_failure),
            r("GET", ("clock",), self._clock),
            r("POST", ("clock",), self._move_clock),
            r("GET", ("calls",), self._calls),
        )

    # ------------------------------------------------------------------------ routing
    def handle(
        self, method: str, path: str, query: str, headers: Mapping[str, str], body: bytes
    ) -> Answer:
        """Answer one control request (``path`` starts with ``CONTROL_PREFIX``)."""
        segments = tuple(unquote(s) for s in path[len(CONTROL_PREFIX) :].split("/") if s)
        where = f"{method} {path}"
        matching = [r for r in self._routes if _matches(r.pattern, segments)]
        if not matching:
            return _error(
                404,
                "NotFound",
                f"connectviews: no control endpoint {path!r}. Endpoints: {self._endpoints()}",
            )
        route = next((r for r in matching if r.method == method), None)
        if route is None:
            allowed = ", ".join(r.method for r in matching)
            return _error(
                405,
                "MethodNotAllowed",
                f"connectviews: {path} answers {allowed}, not {method}",
                {"Allow": allowed},
            )
        if self.token is not None and not route.public:
            sent = headers.get(TOKEN_HEADER) or ""
            if not hmac.compare_digest(sent.encode(), self.token.encode()):
                state = "a wrong" if sent else "no"
                return _error(
                    401,
                    "Unauthorized",
                    f"connectviews: {where} carries {state} {TOKEN_HEADER} header; this server "
                    "was started with a control token (--control-token or "
                    "CONNECTVIEWS_CONTROL_TOKEN)",
                )
        args = [s for p, s in zip(route.pattern, segments, strict=True) if p.startswith("{")]
        try:
            if method == "GET":
                return route.handler(where, _query(query, where), *args)
            return route.handler(_Body(body, where), *args)
        except _BadRequest as exc:
            return _error(exc.status, exc.code, exc.message)
        except ValueError as exc:  # the facade's own check of a value
            message = str(exc)
            if not message.startswith("connectviews:"):
                raise
            return _error(400, "BadRequest", f"{message} (in {where})")

    def _endpoints(self) -> str:
        return ", ".join(f"{r.method} {CONTROL_PREFIX}{'/'.join(r.pattern)}" for r in self._routes)

    def _track(self, kind: str, rule: _Rule) -> str:
        with self._lock:
            self._counters[kind] += 1
            rule_id = f"{kind[:-1]}-{self._counters[kind]}"
            self._rules[kind][rule_id] = rule
        return rule_id

    def _forget(self, kind: str, rule_id: str) -> _Rule:
        with self._lock:
            rule = self._rules[kind].pop(rule_id, None)
        if rule is None:
            raise _BadRequest(
                f"no {kind[:-1]} with id {rule_id!r} (removed already, or never made by this "
                f"server; GET {CONTROL_PREFIX}{kind} lists them)",
                404,
                "NotFound",
            )
        rule.remove()
        return rule

    # ------------------------------------------------------------------------ endpoints
    def _health(self, where: str, query: dict[str, str]) -> Answer:
        _no_query(query, where)
        return _answer(200, {"status": "ok"})

    def _reset(self, body: _Body) -> Answer:
        body.done()
        self.fake.reset()
        with self._lock:
            for rules in self._rules.values():
                rules.clear()
            self._step_failures.clear()
        return _answer(200, {"status": "ok"})

    def _add_instance(self, body: _Body) -> Answer:
        instance_id = body.optional("instance_id", (str,))
        region = body.optional("region", (str,))
        alias = body.optional("alias", (str,))
        body.done()
        made = self.fake.add_instance(instance_id, region=region, alias=alias)
        return _answer(200, {"instance_id": made})

    def _fail_instance_creation(self, body: _Body) -> Answer:
        instance = body.get("instance", (str,), required=True)
        reason = body.get("reason", (str,), required=True)
        body.done()
        self.fake.fail_instance_creation(instance, reason)
        return _answer(200, {"instance": instance, "reason": reason})

    def _register_document(self, body: _Body) -> Answer:
        uri = body.get("uri", (str,), required=True)
        text = body.get("text", (str,), required=True)
        body.done()
        self.fake.register_document(uri, text)
        return _answer(200, {"uri": uri})

    def _mark_in_use(self, body: _Body) -> Answer:
        arn = body.get("build_arn", (str,), required=True)
        in_use = body.optional("in_use", (bool,))
        body.done()
        self.fake.mark_in_use(arn, True if in_use is None else in_use)
        return _answer(200, {"build_arn": arn, "in_use": True if in_use is None else in_use})

    def _inject_error(self, body: _Body) -> Answer:
        operation = body.get("operation", (str,), required=True)
        code = body.get("code", (str,), required=True)
        times = body.get("times", (int,))
        service = body.optional("service", (str,))
        params = body.optional("params", (dict,))
        message = body.optional("message", (str,))
        fields = body.optional("fields", (dict,))
        probability = body.optional("probability", _NUMBER)
        seed = body.get("seed", (int,))
        body.done()
        rule = self.fake.inject_error(
            operation,
            code,
            times=1 if times is _MISSING else times,
            service=service,
            message=message,
            params=params,
            probability=probability,
            seed=0 if seed is _MISSING else seed,
            fields=fields,
        )
        return _answer(200, {"id": self._track("errors", rule)})

    def _list_errors(self, where: str, query: dict[str, str]) -> Answer:
        _no_query(query, where)
        with self._lock:
            rules = list(self._rules["errors"].items())
        return _answer(200, {"errors": [_error_rule(i, r) for i, r in rules]})

    def _remove_error(self, body: _Body, rule_id: str) -> Answer:
        body.done()
        rule = self._forget("errors", rule_id)
        return _answer(200, _error_rule(rule_id, rule))

    def _add_response(self, body: _Body) -> Answer:
        operation = body.get("operation", (str,), required=True)
        response = body.get("response", (dict,), required=True)
        service = body.optional("service", (str,))
        params = body.optional("params", (dict,))
        times = body.optional("times", (int,))
        body.done()
        if response is None:
            raise _BadRequest(f"{body.where}: 'response' must be the response as a JSON object")
        rule = self.fake.add_response(
            operation, response, service=service, params=params, times=times
        )
        return _answer(200, {"id": self._track("responses", rule)})

    def _list_responses(self, where: str, query: dict[str, str]) -> Answer:
        _no_query(query, where)
        with self._lock:
            rules = list(self._rules["responses"].items())
        return _answer(200, {"responses": [_response_rule(i, r) for i, r in rules]})

    def _remove_response(self, body: _Body, rule_id: str) -> Answer:
        body.done()
        rule = self._forget("responses", rule_id)
        return _answer(200, _response_rule(rule_id, rule))

    def _throttle(self, body: _Body) -> Answer:
        rate = body.get("rate", _NUMBER, required=True)
        burst = body.get("burst", (int,), required=True)
        service = body.optional("service", (str,))
        operation = body.optional("operation", (str,))
        body.done()
        rule = self.fake.throttle(rate=rate, burst=burst, service=service, operation=operation)
        return _answer(200, {"id": self._track("throttles", rule)})

    def _list_throttles(self, where: str, query: dict[str, str]) -> Answer:
        _no_query(query, where)
        with self._lock:
            rules = list(self._rules["throttles"].items())
        return _answer(200, {"throttles": [_throttle_rule(i, r) for i, r in rules]})

    def _remove_throttle(self, body: _Body, rule_id: str) -> Answer:
        body.done()
        rule = self._forget("throttles", rule_id)
        return _answer(200, _throttle_rule(rule_id, rule))

    def _quotas(self, where: str, query: dict[str, str]) -> Answer:
        _no_query(query, where)
        return _answer(
            200,
            {
                "quotas": {
                    name: {"value": self.fake.quota(name), "counts": counts}
                    for name, counts in QUOTAS.items()
                }
            },
        )

    def _set_quota(self, body: _Body, name: str) -> Answer:
        value = body.get("value", (int,), required=True)
        body.done()
        self.fake.set_quota(name, value)
        return _answer(200, {"name": name, "value": self.fake.quota(name)})

    def _set_duration(self, body: _Body, name: str) -> Answer:
        seconds = body.get("seconds", _NUMBER, required=True)
        body.done()
        self.fake.set_duration(name, seconds)
        return _answer(200, {"name": name, "seconds": seconds})

    def _settle(self, body: _Body) -> Answer:
        max_seconds = body.optional("max_seconds", _NUMBER)
        body.done()
        advanced = self.fake.settle(*(() if max_seconds is None else (max_seconds,)))
        return _answer(200, {"advanced": advanced, **self._clock_state()})

    def _fail_step(self, body: _Body) -> Answer:
        step_name = body.get("step_name", (str,), required=True)
        workflow = body.optional("workflow", (str,))
        image = body.optional("image", (str,))
        message = body.optional("message", (str,))
        body.done()
        extra = {} if message is None else {"message": message}
        rule = self.fake.fail_step(step_name, workflow=workflow, image=image, **extra)
        with self._lock:
            self._counters["step-failures"] += 1
            rule_id = f"step-failure-{self._counters['step-failures']}"
            self._step_failures[rule_id] = rule
        return _answer(200, {"id": rule_id})

    def _remove_step_failure(self, body: _Body, rule_id: str) -> Answer:
        body.done()
        with self._lock:
            rule = self._step_failures.pop(rule_id, None)
        if rule is None:
            raise _BadRequest(
                f"no step failure with id {rule_id!r} (removed already, or never made by this "
                "server)",
                404,
                "NotFound",
            )
        rule.remove()
        return _answer(200, {"id": rule_id, "step_name": rule.step_name, "used": rule.used})

    def _clock(self, where: str, query: dict[str, str]) -> Answer:
        _no_query(query, where)
        return _answer(200, self._clock_state())

    def _clock_state(self) -> dict[str, Any]:
        clock = self.fake.clock
        return {
            "now": clock.now().isoformat(),
            "time": clock.time(),
            "slept": clock.slept,
            "frozen": clock.frozen,
        }

    def _move_clock(self, body: _Body) -> Answer:
        advance = body.get("advance", _NUMBER)
        freeze = body.get("freeze", (bool,))
        at = body.get("at", (str, int, float))
        unfreeze = body.get("unfreeze", (bool,))
        body.done()
        actions = [
            name
            for name, value in (("advance", advance), ("freeze", freeze), ("unfreeze", unfreeze))
            if value is not _MISSING
        ]
        if len(actions) != 1:
            raise _BadRequest(
                f"{body.where}: give exactly one of {{'advance': seconds}}, {{'freeze': true, "
                f"'at'?: time}} or {{'unfreeze': true}}, got {', '.join(actions) or 'none'}"
            )
        if at is not _MISSING and actions != ["freeze"]:
            raise _BadRequest(f"{body.where}: 'at' goes with 'freeze'")
        clock = self.fake.clock
        if advance is not _MISSING:
            clock.advance(advance)
        elif freeze is not _MISSING:
            if freeze is not True:
                raise _BadRequest(f"{body.where}: use {{'unfreeze': true}} to let time run")
            clock.freeze(None if at is _MISSING or at is None else _instant(at, body.where))
        else:
            if unfreeze is not True:
                raise _BadRequest(f"{body.where}: use {{'freeze': true}} to stop time")
            clock.unfreeze()
        return _answer(200, self._clock_state())

    def _calls(self, where: str, query: dict[str, str]) -> Answer:
        known = ("service", "operation", "since", "error_code", "region", "source", "attempt")
        unknown = sorted(set(query) - set(known))
        if unknown:
            raise _BadRequest(
                f"{where}: unknown query parameter(s) {', '.join(map(repr, unknown))}; "
                f"the parameters are {', '.join(known)}"
            )
        since = _count(query, "since", where, minimum=0) or 0
        attempt = _count(query, "attempt", where, minimum=1)
        source = query.get("source")
        if source is not None and source not in _SOURCES:
            raise _BadRequest(f"{where}: source must be one of {', '.join(_SOURCES)}")
        recorded = self.fake.calls[:]  # one snapshot: `next` and the calls agree
        window = recorded[since:].filter(
            query.get("operation") or None,
            service=query.get("service") or None,
            error_code=query.get("error_code") or None,
            region=query.get("region") or None,
            source=source,  # type: ignore[arg-type]
            attempt=attempt,
        )
        return _answer(200, {"calls": [_call(c) for c in window], "next": len(recorded)})


def _matches(pattern: tuple[str, ...], segments: tuple[str, ...]) -> bool:
    return len(pattern) == len(segments) and all(
        p.startswith("{") or p == s for p, s in zip(pattern, segments, strict=True)
    )


def _query(query: str, where: str) -> dict[str, str]:
    try:
        pairs = parse_qsl(query, keep_blank_values=True, strict_parsing=False)
    except ValueError as exc:
        raise _BadRequest(f"{where}: bad query string ({exc})") from None
    found: dict[str, str] = {}
    for name, value in pairs:
        if name in found:
            raise _BadRequest(f"{where}: query parameter {name!r} is given twice")
        found[name] = value
    return found


def _no_query(query: dict[str, str], where: str) -> None:
    if query:
        raise _BadRequest(f"{where} takes no query parameters, got {', '.join(sorted(query))}")


def _count(query: dict[str, str], name: str, where: str, *, minimum: int) -> int | None:
    text = query.get(name)
    if text is None or text == "":
        return None
    if not text.isascii() or not text.isdigit() or int(text) < minimum:
        raise _BadRequest(f"{where}: {name} must be an integer >= {minimum}, got {text!r}")
    return int(text)


def _instant(at: str | float, where: str) -> dt.datetime | float:
    if not isinstance(at, str):
        return at
    try:
        parsed = dt.datetime.fromisoformat(at.replace("Z", "+00:00"))
    except ValueError:
        raise _BadRequest(
            f"{where}: 'at' must be an ISO-8601 time with a zone, like "
            f"'2030-01-01T00:00:00Z', or epoch seconds; got {at!r}"
        ) from None
    if parsed.tzinfo is None:
        raise _BadRequest(f"{where}: 'at' needs a time zone, like '2030-01-01T00:00:00Z'")
    return parsed


def _error_rule(rule_id: str, rule: _Rule) -> dict[str, Any]:
    assert isinstance(rule, ErrorRule)
    return {
        "id": rule_id,
        "operation": rule.operation,
        "code": rule.error_code,
        "services": list(rule.services),
        "times": rule.times,
        "consumed": rule.consumed,
        "remaining": rule.remaining,
        "active": rule.active,
    }


def _response_rule(rule_id: str, rule: _Rule) -> dict[str, Any]:
    assert isinstance(rule, ResponseRule)
    return {
        "id": rule_id,
        "operation": rule.operation,
        "services": list(rule.services),
        "times": rule.times,
        "consumed": rule.consumed,
        "remaining": rule.remaining,
        "active": rule.active,
    }


def _throttle_rule(rule_id: str, rule: _Rule) -> dict[str, Any]:
    assert isinstance(rule, ThrottleRule)
    return {
        "id": rule_id,
        "rate": rule.rate,
        "burst": rule.burst,
        "service": rule.service,
        "operation": rule.operation,
        "throttled": rule.throttled,
        "active": rule.active,
    }


def _call(call: Call) -> dict[str, Any]:
    """Every field of the ``Call`` (``time`` as ISO-8601), and ``ok``."""
    document = {f.name: getattr(call, f.name) for f in fields(call)}
    document["time"] = call.time.isoformat() if call.time is not None else None
    document["ok"] = call.ok
    return document
