"""Model-driven rest-json codec: route an HTTP request to an operation, decode it, encode answers.

Nothing here knows what a view or a workflow is: every decision comes from the botocore service
model (``requestUri`` templates, member locations, shapes, error traits). The same codec backs the
in-process seam and the HTTP server.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import parse_qsl, unquote

from ..errors import ServiceError

if TYPE_CHECKING:
    from botocore.model import OperationModel, ServiceModel, Shape


class WireRequest(NamedTuple):
    """An HTTP request as the fake sees it (a tuple: built once per request, cheaply)."""

    method: str
    path: str
    query: str
    headers: Mapping[str, str]
    body: bytes


@dataclass
class WireResponse:
    """An HTTP response the fake produces."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


@dataclass(frozen=True)
class _Route:
    operation: OperationModel
    # each segment: (literal, None, False) or (None, label, greedy)
    segments: tuple[tuple[str | None, str | None, bool], ...]
    query_literals: tuple[tuple[str, str | None], ...]
    literal_count: int
    greedy: bool = False


_MISSING = object()
_WRITTEN_MAX = 4096
_ROUTED_MAX = 4096


def _split_path(path: str) -> list[str]:
    """Path segments, empty ones kept: ``/views/`` is ``["views", ""]`` (an empty label)."""
    return path[1:].split("/") if path.startswith("/") else path.split("/")


def _parse_template(
    uri: str,
) -> tuple[list[tuple[str | None, str | None, bool]], list[tuple[str, str | None]]]:
    path, _, query = uri.partition("?")
    segments: list[tuple[str | None, str | None, bool]] = []
    for part in _split_path(path):
        if part.startswith("{") and part.endswith("}"):
            label = part[1:-1]
            greedy = label.endswith("+")
            segments.append((None, label.rstrip("+"), greedy))
        else:
            segments.append((part, None, False))
    literals: list[tuple[str, str | None]] = []
    for item in query.split("&") if query else []:
        key, eq, value = item.partition("=")
        literals.append((key, value if eq else None))
    return segments, literals


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
# One encoder for every response: json.dumps would build a new one per call for `separators`.
_dumps = json.JSONEncoder(separators=(",", ":")).encode
#: Writes a backend value of one shape as compact JSON text, exactly as ``_dumps`` would.
_Write = Callable[[Any], str]
_Conform = Callable[[Any], Any]
# The string escaper json.dumps itself uses (ensure_ascii): the writers' output is byte-identical.
_escape: Callable[[str], str] = json.encoder.encode_basestring_ascii
# Long strings a response repeats (a view's Template and InputSchema, interned by the backend)
# are escaped once; bounded by the characters kept.
_escaped: dict[str, str] = {}
_escaped_size = 0
_ESCAPE_ONCE_MIN = 64
_ESCAPED_MAX_SIZE = 1_000_000


def _json_string(value: str) -> str:
    global _escaped_size
    if len(value) < _ESCAPE_ONCE_MIN:
        return _escape(value)
    found = _escaped.get(value)
    if found is None:
        found = _escape(value)
        if _escaped_size + len(found) > _ESCAPED_MAX_SIZE:
            _escaped.clear()
            _escaped_size = 0
        _escaped[value] = found
        _escaped_size += len(found)
    return found


def _json_scalar(value: Any) -> str:
    kind = type(value)
    if kind is str:
        return _escape(value) if len(value) < _ESCAPE_ONCE_MIN else _json_string(value)
    if kind is int:
        return int.__repr__(value)
    if kind is float and value - value == 0.0:  # finite: json.dumps writes repr()
        return float.__repr__(value)
    if kind is bool:
        return "true" if value else "false"
    return _dumps(value)


def _format_timestamp(value: Any, fmt: str) -> Any:
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.timezone.utc)
        if fmt == "iso8601":
            return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
        if fmt == "rfc822":
            from email.utils import formatdate

            return formatdate(value.timestamp(), usegmt=True)
        # == calendar.timegm(value.utctimetuple()) + value.microsecond / 1e6, without the tuple
        delta = value - _EPOCH
        return delta.days * 86400 + delta.seconds + value.microsecond / 1e6
    return value


def _parse_timestamp(value: Any) -> dt.datetime:
    if isinstance(value, (int, float)):
        return dt.datetime.fromtimestamp(value, dt.timezone.utc)
    from botocore.utils import parse_timestamp

    parsed: dt.datetime = parse_timestamp(value)
    return parsed


class ServiceCodec:
    """Routing, decoding and encoding for one botocore rest-json service model."""

    def __init__(self, model: ServiceModel) -> None:
        self.model = model
        self.service_name: str = model.service_name
        self._index: dict[tuple[str, str | None], list[_Route]] = {}
        for name in model.operation_names:
            op = model.operation_model(name)
            segments, literals = _parse_template(op.http["requestUri"])
            route = _Route(
                op,
                tuple(segments),
                tuple(literals),
                sum(1 for s in segments if s[0] is not None),
                any(s[2] for s in segments),
            )
            first = segments[0][0] if segments else ""
            self._index.setdefault((op.http["method"], first), []).append(route)
        for routes in self._index.values():
            routes.sort(key=lambda r: -r.literal_count)
        # (method, first segment) -> its routes, then the routes starting with a label.
        self._candidates: dict[tuple[str, str | None], list[_Route]] = {
            key: routes + self._index.get((key[0], None), []) if key[1] is not None else routes
            for key, routes in self._index.items()
        }
        # shape name -> encoder, filled lazily (compiled once per process with the codec)
        self._writers: dict[str, _Write] = {}
        self._conformers: dict[str, _Conform | None] = {}
        self._outputs: dict[str, dict[str, tuple[str | None, str, str, _Write]]] = {}
        self._inputs: dict[str, list[tuple[str, Shape, str | None, str]]] = {}
        # (method, path, query) -> route: a test repeats its requests (bounded, cleared when full)
        self._routed: dict[tuple[str, str, str], object] = {}
        self._error_status: dict[str, int] = {}
        self._error_shapes: dict[str, Shape] = {}
        for shape in model.error_shapes:
            error = shape.metadata.get("error", {})
            code = error.get("code", shape.name)
            self._error_shapes[code] = shape
            self._error_status[code] = int(error.get("httpStatusCode", 400))

    # ----------------------------------------------------------------------------- routing
    def route(
        self, method: str, path: str, query: str
    ) -> tuple[OperationModel, dict[str, str]] | None:
        """Find the operation for ``method`` + ``path``; None when no ``requestUri`` matches.

        The captured labels are shared with later hits of the same request line: read them only.
        """
        key = (method, path, query)
        found = self._routed.get(key, _MISSING)
        if found is _MISSING:
            found = self._route(method, path, query)
            if len(self._routed) >= _ROUTED_MAX:
                self._routed.clear()
            self._routed[key] = found
        return found  # type: ignore[return-value]

    def _route(
        self, method: str, path: str, query: str
    ) -> tuple[OperationModel, dict[str, str]] | None:
        parts = _split_path(path)
        first = parts[0]
        candidates = self._candidates.get((method, first))
        if candidates is None:
            candidates = self._index.get((method, None), [])
        query_keys: dict[str, str] | None = None
        count = len(parts)
        for route in candidates:
            if not route.greedy and len(route.segments) != count:
                continue
            captured = self._match(route.segments, parts)
            if captured is None:
                continue
            if route.query_literals:
                if query_keys is None:
                    query_keys = dict(parse_qsl(query, keep_blank_values=True))
                if any(
                    k not in query_keys or (v is not None and query_keys[k] != v)
                    for k, v in route.query_literals
                ):
                    continue
            return route.operation, captured
        return None

    @staticmethod
    def _match(
        segments: tuple[tuple[str | None, str | None, bool], ...], parts: list[str]
    ) -> dict[str, str] | None:
        captured: dict[str, str] = {}
        for i, (literal, label, greedy) in enumerate(segments):
            if greedy:
                if i >= len(parts):
                    return None
                captured[label or ""] = unquote("/".join(parts[i:]))
                return captured
            if i >= len(parts):
                return None
            if literal is not None:
                if parts[i] != literal:
                    return None
            else:
                # An empty label still routes: validation then answers the modeled error.
                captured[label or ""] = unquote(parts[i])
        return captured if len(parts) == len(segments) else None

    # ----------------------------------------------------------------------------- decoding
    def decode(
        self, op: OperationModel, uri_params: dict[str, str], request: WireRequest
    ) -> dict[str, Any]:
        """Decode a request into the operation's parameters, named as the client names them.

        Raises ``ServiceError`` (``InvalidRequestException``) when the body is not JSON.
        """
        shape = op.input_shape
        params: dict[str, Any] = {}
        if shape is None:
            return params
        query: list[tuple[str, str]] | None = None
        body_members = []
        members = self._inputs.get(op.name)
        if members is None:
            members = [
                (
                    name,
                    member,
                    member.serialization.get("location"),
                    member.serialization.get("name", name),
                )
                for name, member in shape.members.items()
            ]
            self._inputs[op.name] = members
        for name, member, location, wire_name in members:
            if location == "uri":
                if wire_name in uri_params:
                    params[name] = self._from_text(member, uri_params[wire_name])
            elif location == "querystring":
                if query is None:
                    query = parse_qsl(request.query, keep_blank_values=True)
                if member.type_name == "map":
                    params[name] = {k: v for k, v in query}
                    continue
                values = [v for k, v in query if k == wire_name]
                if not values:
                    continue
                if member.type_name == "list":
                    params[name] = [self._from_text(member.member, v) for v in values]
                else:
                    params[name] = self._from_text(member, values[0])
            elif location == "header":
                value = _header(request.headers, wire_name)
                if value is not None:
                    params[name] = self._from_text(member, value)
            elif location == "headers":
                prefix = wire_name.lower()
                found = {
                    k[len(prefix) :]: v
                    for k, v in request.headers.items()
                    if k.lower().startswith(prefix)
                }
                if found:
                    params[name] = found
            else:
                body_members.append((name, member, wire_name))
        payload = shape.serialization.get("payload")
        if payload is not None:
            member = shape.members[payload]
            if member.type_name == "structure":
                doc = _json_body(request.body)
                if doc:
                    params[payload] = self._from_json(member, doc)
            elif request.body:
                params[payload] = request.body
        elif body_members and request.body:
            doc = _json_body(request.body)
            if not isinstance(doc, dict):
                raise ServiceError(
                    "InvalidRequestException", "The request body is not a JSON object."
                )
            for name, member, wire_name in body_members:
                if wire_name in doc and doc[wire_name] is not None:
                    params[name] = self._from_json(member, doc[wire_name])
        return params

    def _from_text(self, shape: Shape, text: str) -> Any:
        kind = shape.type_name
        if kind in ("integer", "long"):
            try:
                return int(text)
            except ValueError:
                raise ServiceError(
                    "InvalidRequestException", f"Could not read {shape.name} {text!r} as a number."
                ) from None
        if kind in ("float", "double"):
            return float(text)
        if kind == "boolean":
            return text.lower() == "true"
        if kind == "timestamp":
            return _parse_timestamp(text)
        if kind == "blob":
            return base64.b64decode(text)
        return text

    def _from_json(self, shape: Shape, value: Any) -> Any:
        kind = shape.type_name
        if kind == "structure":
            if not isinstance(value, dict):
                return value
            out: dict[str, Any] = {}
            for name, member in shape.members.items():
                wire_name = member.serialization.get("name", name)
                if wire_name in value and value[wire_name] is not None:
                    out[name] = self._from_json(member, value[wire_name])
            return out
        if kind == "list":
            if not isinstance(value, list):
                return value
            return [self._from_json(shape.member, v) for v in value]
        if kind == "map":
            if not isinstance(value, dict):
                return value
            return {k: self._from_json(shape.value, v) for k, v in value.items()}
        if kind == "timestamp":
            return _parse_timestamp(value)
        if kind == "blob" and isinstance(value, str):
            return base64.b64decode(value)
        return value

    # ----------------------------------------------------------------------------- encoding
    def encode_output(
        self, op: OperationModel, output: Mapping[str, Any], request_id: str
    ) -> WireResponse:
        """Encode a backend's output dict (client names) as the HTTP response botocore expects."""
        headers = {"x-amzn-RequestId": request_id, "Content-Type": "application/json"}
        status = int(op.http.get("responseCode", 200))
        if op.output_shape is None:
            return WireResponse(status, headers, b"{}")
        members = self._output_members(op)
        parts: list[str] = []
        for name, value in output.items():
            entry = members.get(name)
            if entry is None or value is None:
                continue
            location, wire_name, key, write = entry
            if location == "header":
                headers[wire_name] = str(_format_timestamp(value, "rfc822"))
            elif location == "statusCode":
                status = int(value)
            else:
                parts.append(key + write(value))
        return WireResponse(status, headers, ("{" + ",".join(parts) + "}").encode())

    def with_request_id(
        self, op: OperationModel, output: dict[str, Any], request_id: str
    ) -> dict[str, Any]:
        """``output`` with the modeled body member ``requestId`` set (Image Builder echoes the
        request id in the body of almost every answer)."""
        shape = op.output_shape
        if shape is not None and "requestId" in shape.members and "requestId" not in output:
            return {"requestId": request_id, **output}
        return output

    def _output_members(self, op: OperationModel) -> dict[str, tuple[str | None, str, str, _Write]]:
        members = self._outputs.get(op.name)
        if members is None:
            members = {}
            shape = op.output_shape
            for name, member in shape.members.items() if shape is not None else ():
                wire_name = member.serialization.get("name", name)
                location = member.serialization.get("location")
                key = _escape(wire_name) + ":"
                members[name] = (location, wire_name, key, self._writer(member))
            self._outputs[op.name] = members
        return members

    def conform(self, op: OperationModel, output: dict[str, Any]) -> dict[str, Any]:
        """``output`` without the members, at any depth, that the installed output shape lacks.

        A family answers as the newest model shapes it; with an older botocore, what that model
        does not know (``latestVersionReferences`` before 1.41.1, say) is neither sent (the
        writers skip it) nor recorded in ``Call.response``. A value that already conforms is
        returned as it is (no copy).
        """
        shape = op.output_shape
        if shape is None:
            return output
        conform = self._conformer(shape)
        conformed: dict[str, Any] = output if conform is None else conform(output)
        return conformed

    def _conformer(self, shape: Shape) -> _Conform | None:
        """The function that drops what ``shape`` does not model from a value, compiled once per
        shape like the writers; None where nothing can be dropped (no structure below)."""
        kind = shape.type_name
        if kind not in ("structure", "list", "map"):
            return None
        cache_key = f"{kind}:{shape.name}"
        if cache_key in self._conformers:
            return self._conformers[cache_key]
        if kind == "structure":
            table: dict[str, _Conform | None] = {}

            def conform_structure(value: Any) -> Any:
                if not isinstance(value, dict):
                    return value
                out = None
                for name, item in value.items():
                    if name in table:
                        conform = table[name]
                        if conform is None:
                            continue
                        fixed = conform(item)
                        if fixed is item:
                            continue
                    else:
                        fixed = _MISSING
                    if out is None:
                        out = dict(value)
                    if fixed is _MISSING:
                        del out[name]
                    else:
                        out[name] = fixed
                return value if out is None else out

            self._conformers[cache_key] = conform_structure  # before the members: recursion
            for name, member in shape.members.items():
                table[name] = self._conformer(member)
            return conform_structure
        cell: list[_Conform | None] = [None]
        if kind == "list":

            def conform_list(value: Any) -> Any:
                conform = cell[0]
                if conform is None or not isinstance(value, list):
                    return value
                fixed = [conform(item) for item in value]
                if any(a is not b for a, b in zip(fixed, value, strict=True)):
                    return fixed
                return value

            found: _Conform = conform_list
        else:

            def conform_map(value: Any) -> Any:
                conform = cell[0]
                if conform is None or not isinstance(value, dict):
                    return value
                fixed = {k: conform(v) for k, v in value.items()}
                if any(fixed[k] is not v for k, v in value.items()):
                    return fixed
                return value

            found = conform_map
        self._conformers[cache_key] = found
        cell[0] = self._conformer(shape.member if kind == "list" else shape.value)
        if cell[0] is None:
            self._conformers[cache_key] = None
            return None
        return found

    def _writer(self, shape: Shape) -> _Write:
        """The JSON writer of ``shape``: the text ``json.dumps`` gives for the wire value.

        Writing text directly skips the intermediate dicts, and long strings are escaped once.
        """
        kind = shape.type_name
        if kind == "timestamp":
            fmt = shape.serialization.get("timestampFormat", "unixTimestamp")
            written: dict[Any, str] = {}  # a resource's timestamps repeat in every answer about it

            def write_timestamp(value: Any) -> str:
                found = written.get(value)
                if found is None:
                    found = _json_scalar(_format_timestamp(value, fmt))
                    if len(written) >= _WRITTEN_MAX:
                        written.clear()
                    written[value] = found
                return found

            return write_timestamp
        if kind == "blob":
            return lambda value: _json_scalar(
                base64.b64encode(value).decode() if isinstance(value, (bytes, bytearray)) else value
            )
        if kind not in ("structure", "list", "map"):
            return _json_scalar
        cache_key = f"{kind}:{shape.name}"
        found = self._writers.get(cache_key)
        if found is not None:
            return found
        if kind == "structure":
            table: dict[str, tuple[str, _Write]] = {}

            def write_structure(value: Any) -> str:
                parts: list[str] = []
                append, member, escape = parts.append, table.get, _escape
                for name, item in value.items():
                    if item is None:
                        continue
                    entry = member(name)
                    if entry is None:
                        continue
                    key, write = entry
                    if write is _json_scalar and type(item) is str and len(item) < _ESCAPE_ONCE_MIN:
                        append(key + escape(item))  # the common case, inline
                    else:
                        append(key + write(item))
                return "{" + ",".join(parts) + "}"

            self._writers[cache_key] = write_structure  # before the members: shapes may recurse
            for name, member in shape.members.items():
                key = _escape(member.serialization.get("name", name)) + ":"
                table[name] = (key, self._writer(member))
            return write_structure
        cell: list[_Write] = [_json_scalar]
        if kind == "list":

            def write_list(value: Any) -> str:
                write = cell[0]
                return "[" + ",".join([write(item) for item in value]) + "]"

            self._writers[cache_key] = write_list
            cell[0] = self._writer(shape.member)
            return write_list

        def write_map(value: Any) -> str:
            write = cell[0]
            parts: list[str] = []
            for key, item in value.items():
                # json.dumps' own rules for other key types: '{"1":0}' -> '"1"'
                text = _escape(key) if type(key) is str else _dumps({key: 0})[1:-3]
                parts.append(text + ":" + write(item))
            return "{" + ",".join(parts) + "}"

        self._writers[cache_key] = write_map
        cell[0] = self._writer(shape.value)
        return write_map

    def is_modeled_error(self, code: str) -> bool:
        return code in self._error_shapes

    def error_codes(self) -> list[str]:
        return sorted(self._error_shapes)

    def error_status(self, code: str) -> int:
        return self._error_status.get(code, 400)

    def encode_error(self, error: ServiceError, request_id: str) -> WireResponse:
        """Encode ``error`` with its modeled status, code and extra fields."""
        status = self._error_status.get(error.code, 400)
        shape = self._error_shapes.get(error.code)
        parts = ['"__type":' + _escape(error.code)]
        message_key = "message"
        if shape is not None:
            for name, member in shape.members.items():
                if name.lower() == "message":
                    message_key = member.serialization.get("name", name)
            for name, value in error.fields.items():
                member = shape.members.get(name)
                wire_name = member.serialization.get("name", name) if member is not None else ""
                if member is not None and value is not None and wire_name != message_key:
                    parts.append(_escape(wire_name) + ":" + self._writer(member)(value))
        parts.append(_escape(message_key) + ":" + _escape(error.message))
        headers = {
            "x-amzn-RequestId": request_id,
            "x-amzn-ErrorType": error.code,
            "Content-Type": "application/json",
        }
        return WireResponse(status, headers, ("{" + ",".join(parts) + "}").encode())


def _header(headers: Mapping[str, str], name: str) -> str | None:
    value = headers.get(name)
    if value is None:
        lowered = name.lower()
        for key, item in headers.items():
            if key.lower() == lowered:
                return item
    return value


def _json_body(body: bytes) -> Any:
    if not body:
        return {}
    try:
        return json.loads(body)
    except ValueError:
        raise ServiceError(
            "InvalidRequestException", "The request body is not valid JSON."
        ) from None
