"""The validation pipeline: bytes, text, a mapping or a path in; a :class:`Report` out.

Stages, each stopping the pipeline only when the next cannot run:

1. read: size limit, UTF-8, well-formed JSON, nesting depth (one clear
   ``payload.*`` issue, never a traceback);
2. structure: the design's pydantic record model, its errors translated into
   our stable codes with JSON Pointer paths and messages that never contain
   the supplied value;
3. business rules: small named functions registered for the design with
   :func:`business_rule`, each with its own code and legal or policy source.

Invalid input is data, not an exception: :func:`validate` raises only for
programmer errors (an unknown design id).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, TypeVar

import orjson
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from sharedsvc import codes
from sharedsvc.codes import IssueCode, Severity
from sharedsvc.registry import Registry, default_registry

__all__ = [
    "DEFAULT_LIMITS",
    "BusinessRule",
    "Issue",
    "Limits",
    "Report",
    "business_rule",
    "rules_for",
    "validate",
]


@dataclass(frozen=True, slots=True)
class Limits:
    """Limits on what a payload may be, against hostile or accidental input."""

    max_bytes: int = 10 * 1024 * 1024
    max_depth: int = 64


DEFAULT_LIMITS: Final = Limits()


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem found in a payload."""

    path: str
    code: str
    message: str
    severity: Severity

    def to_dict(self) -> dict[str, str]:
        """A JSON-ready form."""
        return {
            "path": self.path,
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class Report:
    """The outcome of validating one payload against one design."""

    design: str
    issues: tuple[Issue, ...]
    source: str | None = None
    record: BaseModel | None = field(default=None, compare=False, repr=False)

    @property
    def valid(self) -> bool:
        """True when no issue is an error or critical."""
        return not any(i.severity.blocks for i in self.issues)

    @property
    def codes(self) -> list[str]:
        """The codes raised, in order."""
        return [i.code for i in self.issues]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form (the shape of ``sharedsvc validate --format json``)."""
        return {
            "design": self.design,
            "source": self.source,
            "valid": self.valid,
            "issues": [i.to_dict() for i in self.issues],
        }

    def to_text(self) -> str:
        """A human-readable form, one line per issue."""
        head = f"{self.source or '<payload>'}: {'valid' if self.valid else 'INVALID'}"
        lines = [head + f" ({self.design})"]
        lines += [
            f"  {i.severity.value:8} {i.path or '/'}  {i.message}  [{i.code}]" for i in self.issues
        ]
        return "\n".join(lines)


def make_issue(code: str, path: str = "", **context: object) -> Issue:
    """Build an issue from the code registry's message template.

    Only the context names in :data:`sharedsvc.codes.SAFE_CONTEXT_KEYS` are
    allowed, so a message cannot carry the value that was supplied.
    """
    entry = codes.lookup(code)
    unsafe = set(context) - codes.SAFE_CONTEXT_KEYS
    if unsafe:
        raise ValueError(f"context {sorted(unsafe)} may not appear in messages")
    message = entry.message.format_map(_Defaults(path=path or "/", **context))
    return Issue(path, code, message, entry.severity)


class _Defaults(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return "?"


# -- business rules -------------------------------------------------------------------------

R = TypeVar("R", bound=BaseModel)

#: A rule yields ``(JSON Pointer path, context)`` for each problem it finds.
RuleFunction = Callable[[Any], Iterable[tuple[str, Mapping[str, object]]]]


@dataclass(frozen=True, slots=True)
class BusinessRule:
    """A cross-field rule of one design."""

    design_id: str
    name: str
    code: IssueCode
    source: str
    check: RuleFunction


_RULES: dict[str, list[BusinessRule]] = {}


def business_rule(
    design_id: str,
    code: str,
    *,
    title: str,
    message: str,
    source: str,
    severity: Severity = Severity.ERROR,
    example: str = "",
) -> Callable[[Callable[[R], Iterable[tuple[str, Mapping[str, object]]]]], Callable[[R], Any]]:
    """Register a business rule of a design, with its issue code, in one place.

    The function's docstring is the rule's description (it appears in the docs
    and the issue code registry). ``source`` cites the legislation or policy.
    """

    def register(func: Callable[[R], Iterable[tuple[str, Mapping[str, object]]]]) -> Any:
        doc = " ".join((func.__doc__ or "").split())
        if not doc:
            raise ValueError(f"business rule {func.__name__} needs a docstring")
        entry = IssueCode(code, severity, title, doc, message, example or doc, in_schema=False)
        codes.register(entry)
        rules = _RULES.setdefault(design_id, [])
        if any(r.code.code == code for r in rules):
            return func
        rules.append(BusinessRule(design_id, func.__name__, entry, source, func))
        return func

    return register


def rules_for(design_id: str, registry: Registry | None = None) -> list[BusinessRule]:
    """The business rules of a design (importing its rules module if need be)."""
    (registry or default_registry()).record_model(design_id)
    return list(_RULES.get(design_id, ()))


# -- reading the payload --------------------------------------------------------------------

Payload = bytes | bytearray | memoryview | str | Mapping[str, Any] | os.PathLike[str]


class _RejectedPayloadError(Exception):
    def __init__(self, issue: Issue):
        self.issue = issue


def _read_path(path: Path, limits: Limits) -> bytes:
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            raise _RejectedPayloadError(make_issue("payload.too-large", limit=limits.max_bytes))
        with path.open("rb") as handle:
            data = handle.read(limits.max_bytes + 1)
    except OSError as exc:
        raise _RejectedPayloadError(
            make_issue("payload.unreadable", detail=exc.strerror or "error")
        ) from None
    if len(data) > limits.max_bytes:
        raise _RejectedPayloadError(make_issue("payload.too-large", limit=limits.max_bytes))
    return data


def _depth_exceeds(value: Any, limit: int) -> bool:
    """Whether containers nest deeper than ``limit`` (iterative: no recursion limit)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(node, Mapping):
            stack.extend((v, depth + 1) for v in node.values() if isinstance(v, Mapping | list))
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node if isinstance(v, Mapping | list))
    return False


def _diagnose_json(data: bytes) -> Issue:
    """Say precisely why bytes are not a JSON document (the slow path, for bad input)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return make_issue("payload.encoding", detail=exc.start)
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        return make_issue(
            "payload.malformed-json", detail=f"{exc.msg} at line {exc.lineno} column {exc.colno}"
        )
    except RecursionError:
        return make_issue("payload.too-deep", limit=DEFAULT_LIMITS.max_depth)
    return make_issue("payload.malformed-json", detail="unsupported JSON value")


def _to_json_bytes(data: Payload, limits: Limits) -> bytes:
    if isinstance(data, os.PathLike):
        raw = _read_path(Path(data), limits)
    elif isinstance(data, str):
        raw = data.encode("utf-8", "surrogatepass")
    elif isinstance(data, bytes | bytearray | memoryview):
        raw = bytes(data)
    elif isinstance(data, Mapping):
        # orjson stops at 255 levels itself, so serialising cannot exhaust the stack; the
        # byte checks below then apply the configured limits exactly as for bytes.
        try:
            raw = orjson.dumps(data)
        except orjson.JSONEncodeError as exc:
            if "ecursion" in str(exc):
                issue = make_issue("payload.too-deep", limit=limits.max_depth)
            else:
                issue = make_issue(
                    "value.invalid", detail="the mapping holds a value that is not JSON"
                )
            raise _RejectedPayloadError(issue) from None
    else:
        raise TypeError(f"cannot validate a {type(data).__name__}; pass bytes, str, dict or a path")
    if len(raw) > limits.max_bytes:
        raise _RejectedPayloadError(make_issue("payload.too-large", limit=limits.max_bytes))
    if raw.startswith(b"\xef\xbb\xbf"):  # RFC 8259 s8.1: parsers MAY ignore a byte order mark
        raw = raw[3:]
    # Counting brackets is a cheap upper bound on depth; parse only when it might be exceeded.
    if raw.count(b"[") + raw.count(b"{") > limits.max_depth:
        try:
            parsed = orjson.loads(raw)
        except orjson.JSONDecodeError:
            raise _RejectedPayloadError(_diagnose_json(raw)) from None
        if _depth_exceeds(parsed, limits.max_depth):
            raise _RejectedPayloadError(make_issue("payload.too-deep", limit=limits.max_depth))
    return raw


def read_json(data: Payload, limits: Limits = DEFAULT_LIMITS) -> tuple[Any, Issue | None]:
    """Read any payload into a JSON value, or say why it cannot be read."""
    try:
        raw = _to_json_bytes(data, limits)
        return orjson.loads(raw), None
    except _RejectedPayloadError as rejected:
        return None, rejected.issue
    except orjson.JSONDecodeError:
        return None, _diagnose_json(raw)


# -- translating pydantic errors ------------------------------------------------------------

_PYDANTIC_CODES: Final[Mapping[str, str]] = {
    "missing": "field.required",
    "extra_forbidden": "field.unexpected",
    "string_type": "type.string",
    "string_unicode": "type.string",
    "int_type": "type.integer",
    "int_parsing": "type.integer",
    "int_from_float": "type.integer",
    "float_type": "type.number",
    "float_parsing": "type.number",
    "decimal_type": "type.number",
    "bool_type": "type.boolean",
    "bool_parsing": "type.boolean",
    "model_type": "type.object",
    "model_attributes_type": "type.object",
    "dict_type": "type.object",
    "list_type": "type.array",
    "tuple_type": "type.array",
    "literal_error": "value.not-allowed",
    "enum": "value.not-allowed",
    "union_tag_invalid": "value.not-allowed",
    "union_tag_not_found": "field.required",
    "string_pattern_mismatch": "value.pattern",
    "string_too_short": "value.too-short",
    "too_short": "value.too-short",
    "string_too_long": "value.too-long",
    "too_long": "value.too-long",
    "greater_than": "value.out-of-range",
    "greater_than_equal": "value.out-of-range",
    "less_than": "value.out-of-range",
    "less_than_equal": "value.out-of-range",
    "multiple_of": "value.out-of-range",
    "date_type": "date.invalid",
    "date_parsing": "date.invalid",
    "date_from_datetime_parsing": "date.invalid",
    "date_from_datetime_inexact": "date.invalid",
    "datetime_type": "datetime.invalid",
    "datetime_parsing": "datetime.invalid",
    "datetime_from_date_parsing": "datetime.invalid",
    "timezone_aware": "datetime.timezone-required",
    "date_future": "date.invalid",
    "date_past": "date.in-future",
    "json_invalid": "payload.malformed-json",
}


def json_pointer(loc: Iterable[int | str]) -> str:
    """RFC 6901 JSON Pointer for a pydantic error location."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in loc)


def _translate(error: ErrorDetails) -> Issue:
    kind = error["type"]
    code = kind if kind in codes.CODES else _PYDANTIC_CODES.get(kind, "value.invalid")
    ctx = error.get("ctx") or {}
    context: dict[str, object] = {k: v for k, v in ctx.items() if k in codes.SAFE_CONTEXT_KEYS}
    if code == "value.invalid":
        context["detail"] = kind  # the error type only: pydantic's text may quote the input
    loc = [p for p in error["loc"] if isinstance(p, int | str)]
    if kind == "extra_forbidden" or (code == "type.object" and loc and loc[-1] == "[key]"):
        loc = [p for p in loc if p != "[key]"]
    return make_issue(code, json_pointer(loc), **context)


def report_from_error(design_id: str, exc: ValidationError, source: str | None) -> Report:
    """A report of a pydantic validation error, in sharedsvc codes."""
    errors = exc.errors(include_url=False, include_input=False, include_context=True)
    return Report(design_id, tuple(_dedupe(map(_translate, errors))), source)


# -- the pipeline ---------------------------------------------------------------------------


def validate(
    design_id: str,
    data: Payload,
    *,
    limits: Limits = DEFAULT_LIMITS,
    registry: Registry | None = None,
    source: str | None = None,
) -> Report:
    """Validate one canonical JSON payload against a design's record model and rules.

    ``data`` may be bytes (JSON), str (JSON text), a mapping (already parsed) or
    a path (``pathlib.Path`` or any ``os.PathLike``) to a JSON file. Raises only
    for programmer errors: an unknown design id, or a ``data`` of another type.
    """
    reg = registry or default_registry()
    model = reg.record_model(design_id)
    if source is None and isinstance(data, os.PathLike):
        source = os.fspath(data)
    try:
        raw = _to_json_bytes(data, limits)
    except _RejectedPayloadError as rejected:
        return Report(design_id, (rejected.issue,), source)
    try:
        record = model.model_validate_json(raw, strict=True)
    except ValidationError as exc:
        if any(e["type"] == "json_invalid" for e in exc.errors(include_input=False)):
            return Report(design_id, (_diagnose_json(raw),), source)
        return report_from_error(design_id, exc, source)
    issues = tuple(_run_rules(design_id, record))
    return Report(design_id, issues, source, record)


def _dedupe(issues: Iterable[Issue]) -> Iterator[Issue]:
    seen: set[tuple[str, str]] = set()
    for issue in issues:
        if (issue.code, issue.path) not in seen:
            seen.add((issue.code, issue.path))
            yield issue


def _run_rules(design_id: str, record: BaseModel) -> Iterator[Issue]:
    for rule in _RULES.get(design_id, ()):
        for path, context in rule.check(record):
            yield make_issue(rule.code.code, path, **context)
