"""Model-driven rest-json codec: route an HTTP request to an operation, decode it, encode answers.

Nothing here knows what a view or a workflow is: every decision comes from the botocore service
model (``requestUri`` templates, member locations, shapes, error traits). The same codec backs the
in-process seam and the HTTP server.
"""

from __future__ import annotations

import base64
import calendar
import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, unquote

from ..errors import ServiceError

if TYPE_CHECKING:
    from botocore.model import OperationModel, ServiceModel, Shape


@dataclass(frozen=True)
class WireRequest:
    """An HTTP request as the fake sees it."""

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


def _parse_template(uri: str) -> tuple[list[tuple[str | None, str | None, bool]], list[tuple[str, str | None]]]:
    path, _, query = uri.partition("?")
    segments: list[tuple[str | None, str | None, bool]] = []
    for part in path.strip("/").split("/") if path.strip("/") else []:
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


def _format_timestamp(value: Any, fmt: str) -> Any:
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.timezone.utc)
        if fmt == "iso8601":
            return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
        if fmt == "rfc822":
            from email.utils import formatdate

            return formatdate(value.timestamp(), usegmt=True)
        return calendar.timegm(value.utctimetuple()) + value.microsecond / 1e6
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
                op, tuple(segments), tuple(literals), sum(1 for s in segments if s[0] is not None)
            )
            first = segments[0][0] if segments else ""
            self._index.setdefault((op.http["method"], first), []).append(route)
        for routes in self._index.values():
            routes.sort(key=lambda r: -r.literal_count)
        self._error_status: dict[str, int] = {}
        self._error_shapes: dict[str, Shape] = {}
        for shape in model.error_shapes:
            error = shape.metadata.get("error", {})
            code = error.get("code", shape.name)
            self._error_shapes[code] = shape
            self._error_status[code] = int(error.get("httpStatusCode", 400))

    # ----------------------------------------------------------------------------- routing
    def route(self, method: str, path: str, query: str) -> tuple[OperationModel, dict[str, str]] | None:
        """Find the operation for ``method`` + ``path``; None when no ``requestUri`` matches."""
        raw = path.strip("/")
        parts = raw.split("/") if raw else []
        first = parts[0] if parts else ""
        candidates = self._index.get((method, first), []) + self._index.get((method, None), [])
        query_keys: dict[str, str] | None = None
        for route in candidates:
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
                value = unquote(parts[i])
                if not value:
                    return None
                captured[label or ""] = value
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
        for name, member in shape.members.items():
            location = member.serialization.get("location")
            wire_name = member.serialization.get("name", name)
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
                    k[len(prefix) :]: v for k, v in request.headers.items() if k.lower().startswith(prefix)
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
                raise ServiceError("InvalidRequestException", "The request body is not a JSON object.")
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
    def encode_output(self, op: OperationModel, output: Mapping[str, Any], request_id: str) -> WireResponse:
        """Encode a backend's output dict (client names) as the HTTP response botocore expects."""
        headers = {"x-amzn-RequestId": request_id, "Content-Type": "application/json"}
        status = int(op.http.get("responseCode", 200))
        shape = op.output_shape
        if shape is None:
            return WireResponse(status, headers, b"{}")
        doc: dict[str, Any] = {}
        for name, value in output.items():
            member = shape.members.get(name)
            if member is None or value is None:
                continue
            location = member.serialization.get("location")
            wire_name = member.serialization.get("name", name)
            if location == "header":
                headers[wire_name] = str(_format_timestamp(value, "rfc822"))
            elif location == "statusCode":
                status = int(value)
            else:
                doc[wire_name] = self._to_json(member, value)
        return WireResponse(status, headers, json.dumps(doc, separators=(",", ":")).encode())

    def _to_json(self, shape: Shape, value: Any) -> Any:
        kind = shape.type_name
        if kind == "structure":
            out: dict[str, Any] = {}
            for name, item in value.items():
                member = shape.members.get(name)
                if member is not None and item is not None:
                    out[member.serialization.get("name", name)] = self._to_json(member, item)
            return out
        if kind == "list":
            member = shape.member
            if member.type_name in ("string", "integer", "long", "boolean"):
                return list(value)
            return [self._to_json(member, v) for v in value]
        if kind == "map":
            vshape = shape.value
            if vshape.type_name in ("string", "integer", "long", "boolean"):
                return dict(value)
            return {k: self._to_json(vshape, v) for k, v in value.items()}
        if kind == "timestamp":
            return _format_timestamp(value, shape.serialization.get("timestampFormat", "unixTimestamp"))
        if kind == "blob" and isinstance(value, (bytes, bytearray)):
            return base64.b64encode(value).decode()
        return value

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
        doc: dict[str, Any] = {"__type": error.code}
        message_key = "message"
        if shape is not None:
            for name, member in shape.members.items():
                if name.lower() == "message":
                    message_key = member.serialization.get("name", name)
            for name, value in error.fields.items():
                member = shape.members.get(name)
                if member is not None and value is not None:
                    doc[member.serialization.get("name", name)] = self._to_json(member, value)
        doc[message_key] = error.message
        headers = {
            "x-amzn-RequestId": request_id,
            "x-amzn-ErrorType": error.code,
            "Content-Type": "application/json",
        }
        return WireResponse(status, headers, json.dumps(doc, separators=(",", ":")).encode())


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
        raise ServiceError("InvalidRequestException", "The request body is not valid JSON.") from None
