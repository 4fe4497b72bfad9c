"""A compiled structural check of FHIR R4B JSON, with the verdict of fhir.resources.

Constructing resources with fhir.resources is the reference check of FHIR
structure, but it costs about half a millisecond per resource. This module
reads the shape table generated from the fhir.resources models
(``r4b_shapes.json``, see :mod:`sharedsvc.fhir.shapes_build`) and compiles it,
once, into one small closure per type. Checking a resource then walks only
the elements present, looks each up in a dict, and checks primitives with the
same lexical rules fhir_core applies, so a Bundle is checked in time linear in
its size.

It reports every problem, not just the first, each with a FHIRPath-like
location (``Bundle.entry[2].resource.identifier[0].system``):

* ``fhir.structure`` — a value of the wrong JSON type, a resource of the wrong
  or an unknown type, two choices of one ``[x]`` element;
* ``fhir.element-unknown`` — an element the type does not define;
* ``fhir.element-required`` — a required element (or ``[x]`` choice) missing;
* ``fhir.value-format`` — a primitive whose text breaks its FHIR format
  (a date that is not a date, a code with spaces at its ends, an id with ``_``);
* ``fhir.code-binding`` — a code outside a required binding of the base
  specification (``Patient.gender``, ``Bundle.type``…). fhir.resources 8.3
  carries these code lists but does not enforce them; see ``bindings``.

Where FHIR's JSON format is stricter than fhir.resources' lax parsing, this
check follows FHIR: JSON ``null`` is refused except inside arrays of
primitives, booleans must be JSON booleans, numbers JSON numbers (fhir.resources
accepts ``"true"`` and ``"5"``), and element names must be FHIR's (fhir.resources
also accepts its Python attribute names such as ``birthDate__ext``). The test
suite lists these differences and proves agreement everywhere else.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Final

__all__ = ["Finding", "StructureChecker", "checker", "shape_table"]

#: (parent path, element name or list index); formatted only when a problem is found.
PathNode = tuple[Any, str | int] | str


@dataclass(frozen=True, slots=True)
class Finding:
    """One structural problem: where, which issue code, and a fixed description."""

    path: str
    code: str
    detail: str


def format_path(node: PathNode) -> str:
    """``Bundle.entry[2].resource`` from the linked path nodes."""
    parts: list[str] = []
    while not isinstance(node, str):
        node, step = node
        parts.append(f"[{step}]" if isinstance(step, int) else f".{step}")
    return node + "".join(reversed(parts))


@cache
def shape_table() -> dict[str, Any]:
    """The generated shape table (read once)."""
    text = resources.files("sharedsvc.fhir").joinpath("r4b_shapes.json").read_text("utf-8")
    table: dict[str, Any] = json.loads(text)
    return table


# -- primitives: the lexical rules of fhir_core.types ---------------------------------------

CODE_RE: Final = re.compile(r"[^\s]+(\s[^\s]+)*")
_ID_RE: Final = re.compile(r"[A-Za-z0-9\-.]+")
_STRING_RE: Final = re.compile(r"[ \r\n\t\S]")
_OID_RE: Final = re.compile(r"urn:oid:[0-2](\.(0|[1-9][0-9]*))+")
_DECIMAL_RE: Final = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?")
_YEAR: Final = r"([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)"
_TZ: Final = r"(Z|([+\-])((0[0-9]|1[0-3]):[0-5][0-9]|14:00))"
_TIME: Final = r"([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?"
_DATE_RE: Final = re.compile(rf"{_YEAR}(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1]))?)?")
_DATETIME_RE: Final = re.compile(
    rf"{_YEAR}(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1])(T{_TIME}{_TZ})?)?)?"
)
_INSTANT_RE: Final = re.compile(rf"{_YEAR}-(0[1-9]|1[0-2])-(0[1-9]|[1-2][0-9]|3[0-1])T{_TIME}{_TZ}")
_TIME_RE: Final = re.compile(_TIME)
_UUID_RE: Final = re.compile(
    r"(urn:uuid:)?[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?4[0-9a-fA-F]{3}-?[89abAB][0-9a-fA-F]{3}-?"
    r"[0-9a-fA-F]{12}"
)
_BASE64_RE: Final = re.compile(r"[A-Za-z0-9+/\s]*={0,2}\s*")
_DAYS: Final = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _real_day(text: str) -> bool:
    """Whether the YYYY-MM-DD at the start of ``text`` is a day of the calendar."""
    if len(text) < 10:
        return True  # a partial date: the pattern has checked it
    year, month, day = int(text[0:4]), int(text[5:7]), int(text[8:10])
    if month == 2 and day == 29:
        return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return day <= _DAYS[month - 1]


def _is_int(value: Any) -> bool:
    return type(value) is int


def _string(v: Any) -> bool:
    # A string with a character that is not whitespace is valid; only others need the regex.
    return type(v) is str and ((bool(v) and not v.isspace()) or _STRING_RE.search(v) is not None)


def _code(v: Any) -> bool:
    return type(v) is str and CODE_RE.fullmatch(v) is not None


def _id(v: Any) -> bool:
    return type(v) is str and len(v) <= 255 and _ID_RE.fullmatch(v) is not None


def _any_text(v: Any) -> bool:
    return type(v) is str


def _oid(v: Any) -> bool:
    return type(v) is str and _OID_RE.fullmatch(v) is not None


def _uuid(v: Any) -> bool:
    return type(v) is str and _UUID_RE.fullmatch(v) is not None


def _base64(v: Any) -> bool:
    return type(v) is str and _BASE64_RE.fullmatch(v) is not None


def _boolean(v: Any) -> bool:
    return v is True or v is False


def _integer(v: Any) -> bool:
    return _is_int(v) and -2147483648 <= v <= 2147483647


def _unsigned(v: Any) -> bool:
    return _is_int(v) and 0 <= v <= 2147483647


def _positive(v: Any) -> bool:
    return _is_int(v) and 1 <= v <= 2147483647


def _decimal(v: Any) -> bool:
    if type(v) is int:
        return True
    return type(v) is float and _DECIMAL_RE.fullmatch(repr(v).replace("e+", "e")) is not None


def _date(v: Any) -> bool:
    return type(v) is str and _DATE_RE.fullmatch(v) is not None and _real_day(v)


def _datetime(v: Any) -> bool:
    return type(v) is str and _DATETIME_RE.fullmatch(v) is not None and _real_day(v)


def _instant(v: Any) -> bool:
    return type(v) is str and _INSTANT_RE.fullmatch(v) is not None and _real_day(v)


def _time(v: Any) -> bool:
    return type(v) is str and _TIME_RE.fullmatch(v) is not None


#: For each FHIR primitive: (JSON type expected, lexical check).
PRIMITIVES: Final[dict[str, tuple[str, Callable[[Any], bool]]]] = {
    "boolean": ("boolean", _boolean),
    "string": ("string", _string),
    "code": ("string", _code),
    "id": ("string", _id),
    "uri": ("string", _any_text),
    "url": ("string", _any_text),
    "canonical": ("string", _any_text),
    "markdown": ("string", _any_text),
    "xhtml": ("string", _any_text),
    "oid": ("string", _oid),
    "uuid": ("string", _uuid),
    "base64Binary": ("string", _base64),
    "integer": ("number", _integer),
    "unsignedInt": ("number", _unsigned),
    "positiveInt": ("number", _positive),
    "decimal": ("number", _decimal),
    "date": ("string", _date),
    "dateTime": ("string", _datetime),
    "instant": ("string", _instant),
    "time": ("string", _time),
}

_JSON_TYPE_OK: Final[dict[str, Callable[[Any], bool]]] = {
    "boolean": lambda v: type(v) is bool,
    "string": lambda v: type(v) is str,
    "number": lambda v: type(v) in (int, float),
}

Out = list[Finding]
Check = Callable[[Any, PathNode, Out], None]

STRUCTURE: Final = "fhir.structure"
UNKNOWN: Final = "fhir.element-unknown"
REQUIRED: Final = "fhir.element-required"
FORMAT: Final = "fhir.value-format"
BINDING: Final = "fhir.code-binding"


def _report(out: Out, node: PathNode, code: str, detail: str) -> None:
    out.append(Finding(format_path(node), code, detail))


_NOT_IN_BINDING: Final = "the code is not in the required value set"

#: Marker: a FHIR string, valid at once if it has a character that is not whitespace.
_STRING: Final = object()

#: Fast checks of a JSON string for each primitive whose JSON type is a string: True
#: when any string is valid, else a quick test whose failure leads to the full check.
_TEXT_CHECKS: Final[dict[str, Any]] = {
    "string": _STRING,
    "uri": True,
    "url": True,
    "canonical": True,
    "markdown": True,
    "xhtml": True,
    "code": CODE_RE.fullmatch,
    "id": _id,
}


def _bad_primitive(value: Any, node: PathNode, detail: tuple[str, Any], out: Out) -> None:
    """Report a primitive that fails its check: the wrong JSON type, or the wrong form."""
    type_name = detail[0]
    json_type = PRIMITIVES[type_name][0]
    if _JSON_TYPE_OK[json_type](value):
        _report(out, node, FORMAT, f"not a valid FHIR {type_name}")
    else:
        _report(out, node, STRUCTURE, f"expected a JSON {json_type} ({type_name})")


class StructureChecker:
    """Checks FHIR R4B JSON against the shape table; build once with :func:`checker`.

    ``bindings`` adds the required-binding code check (``fhir.code-binding``).
    ``fallback`` checks a resource of a type the table lacks; it returns the
    problems as ``(relative path, detail)`` pairs, or None if it cannot check.
    """

    def __init__(
        self,
        table: dict[str, Any],
        *,
        bindings: bool,
        fallback: Callable[[dict[str, Any]], list[tuple[str, str]] | None] | None = None,
    ) -> None:
        self._types: dict[str, Any] = table["types"]
        self._bindings = bindings
        self._fallback = fallback
        self._compiled: dict[str, Check] = {}
        self.resource_types = frozenset(n for n, s in self._types.items() if s.get("resource"))
        for name in self._types:
            self._compiled[name] = self._compile(name)

    # -- public ------------------------------------------------------------------------------
    def check(self, resource: Any, root: str | None = None) -> list[Finding]:
        """Every structural problem of one resource (a Bundle included)."""
        out: Out = []
        name = resource.get("resourceType") if isinstance(resource, dict) else None
        self._check_resource(resource, root or (name if isinstance(name, str) else "Resource"), out)
        return out

    def valid(self, resource: Any) -> bool:
        """Whether the resource has no structural problem."""
        return not self.check(resource)

    # -- compiling ---------------------------------------------------------------------------
    def _check_resource(self, value: Any, node: PathNode, out: Out) -> None:
        if type(value) is not dict:
            _report(out, node, STRUCTURE, "expected a resource (a JSON object)")
            return
        name = value.get("resourceType")
        if type(name) is not str:
            _report(out, node, REQUIRED, "a resource needs its resourceType")
            return
        check = self._compiled.get(name)
        if check is not None and name in self.resource_types:
            check(value, node, out)
            return
        problems = self._fallback(value) if self._fallback else None
        if problems is None:
            _report(out, node, STRUCTURE, "the resource type is not one sharedsvc can check")
            return
        for relative, detail in problems:
            out.append(Finding(format_path(node) + relative, STRUCTURE, detail))

    def _compile(self, type_name: str) -> Check:
        shape = self._types[type_name]
        is_resource = bool(shape.get("resource"))
        bindings = self._bindings
        compiled = self._compiled
        check_resource = self._check_resource
        # Per element: (kind, lexical check, detail, is_list) where kind is 0 for a
        # primitive (detail: its type name and required codes), 1 for a complex type
        # (detail: the type name) and 2 for a contained resource.
        checks: dict[str, tuple[int, Callable[[Any], bool] | None, Any, bool, int]] = {}
        required: list[tuple[str, bool]] = []
        choices: dict[str, tuple[list[str], bool]] = {}
        for name, spec in shape["elements"].items():
            if "choice" in spec:
                members, _ = choices.setdefault(spec["choice"], ([], False))
                members.append(name)
                choices[spec["choice"]] = (members, bool(spec.get("choiceRequired")))
        group_of = {m: g for g, (members, _) in enumerate(choices.values()) for m in members}
        groups_required = [req for _, req in choices.values()]
        group_count = len(groups_required)
        for name, spec in shape["elements"].items():
            element_type = spec["type"]
            is_list = bool(spec.get("list"))
            group = group_of.get(name, -1)
            if element_type in PRIMITIVES:
                enum = frozenset(spec["enum"]) if "enum" in spec and bindings else None
                detail = (element_type, enum, _TEXT_CHECKS.get(element_type))
                checks[name] = (0, PRIMITIVES[element_type][1], detail, is_list, group)
            elif element_type == "Resource":
                checks[name] = (2, None, None, is_list, group)
            else:
                checks[name] = (1, None, element_type, is_list, group)
            if spec.get("required"):
                required.append((name, spec["required"] == "value-or-extension"))
        primitive_names = {n for n, c in checks.items() if c[0] == 0}
        check_extension = self._primitive_extension_check()

        def check_object(value: Any, node: PathNode, out: Out) -> None:
            if type(value) is not dict:
                _report(out, node, STRUCTURE, f"expected a JSON object ({type_name})")
                return
            counts = [0] * group_count if group_count else None
            for key, item in value.items():
                entry = checks.get(key)
                if entry is None:
                    _check_other(key, item, node, out)
                    continue
                kind, lexical, detail, is_list, group = entry
                if group >= 0 and item is not None:
                    counts[group] += 1  # type: ignore[index]
                if is_list:
                    if type(item) is not list:
                        _report(out, (node, key), STRUCTURE, "expected a JSON array")
                        continue
                    here = (node, key)
                    for index, element in enumerate(item):
                        if element is None:
                            if kind != 0:
                                _report(out, (here, index), STRUCTURE, "null is not allowed here")
                        elif kind == 0:
                            text_ok = detail[2]
                            if type(element) is str and text_ok is not None:
                                ok = text_ok is True or (
                                    (element and not element.isspace())
                                    if text_ok is _STRING
                                    else text_ok(element)
                                )
                            else:
                                ok = lexical(element)  # type: ignore[misc]
                            if not ok and not lexical(element):  # type: ignore[misc]
                                _bad_primitive(element, (here, index), detail, out)
                            elif detail[1] is not None and element not in detail[1]:
                                _report(out, (here, index), BINDING, _NOT_IN_BINDING)
                        elif kind == 1:
                            compiled[detail](element, (here, index), out)
                        else:
                            check_resource(element, (here, index), out)
                elif item is None:
                    _report(out, (node, key), STRUCTURE, "null is not allowed here")
                elif kind == 0:
                    # Strings take a fast path where one exists; anything that fails it, or
                    # has none, gets the full lexical check of its type.
                    text_ok = detail[2]
                    if type(item) is str and text_ok is not None:
                        ok = text_ok is True or (
                            (item and not item.isspace()) if text_ok is _STRING else text_ok(item)
                        )
                    else:
                        ok = lexical(item)  # type: ignore[misc]
                    if not ok and not lexical(item):  # type: ignore[misc]
                        _bad_primitive(item, (node, key), detail, out)
                    elif detail[1] is not None and item not in detail[1]:
                        _report(out, (node, key), BINDING, _NOT_IN_BINDING)
                elif kind == 1:
                    compiled[detail](item, (node, key), out)
                else:
                    check_resource(item, (node, key), out)
            for name, or_extension in required:
                if name in value:
                    continue
                if or_extension and _has_extension(value.get("_" + name)):
                    continue
                _report(out, (node, name), REQUIRED, "a required element is missing")
            if counts is not None:
                for present, choice_required in zip(counts, groups_required, strict=True):
                    if present > 1:
                        _report(out, node, STRUCTURE, "more than one choice of an [x] element")
                    elif present == 0 and choice_required:
                        _report(out, node, REQUIRED, "a required [x] element is missing")

        def _check_other(key: str, item: Any, node: PathNode, out: Out) -> None:
            if key.startswith("_") and key[1:] in primitive_names:
                check_extension(item, (node, key), out, checks[key[1:]][3])
            elif key == "resourceType" and is_resource:
                if item != type_name:
                    _report(out, (node, key), STRUCTURE, "the resourceType does not match")
            elif key == "fhir_comments":
                if not (
                    type(item) is str or (type(item) is list and all(type(c) is str for c in item))
                ):
                    _report(out, (node, key), STRUCTURE, "expected a string or list of strings")
            else:
                _report(out, (node, key), UNKNOWN, "not an element of this type")

        return check_object

    def _primitive_extension_check(self) -> Callable[[Any, PathNode, Out, bool], None]:
        compiled = self._compiled

        def check_one(item: Any, node: PathNode, out: Out) -> None:
            if type(item) is not dict:
                _report(out, node, STRUCTURE, "expected a JSON object (primitive extension)")
                return
            if not item:
                _report(out, node, REQUIRED, "a primitive extension needs an id or extensions")
            for key, value in item.items():
                if key == "id":
                    if not _string(value):
                        _report(out, (node, key), STRUCTURE, "expected a JSON string")
                elif key == "extension":
                    if type(value) is not list:
                        _report(out, (node, key), STRUCTURE, "expected a JSON array")
                        continue
                    for index, ext in enumerate(value):
                        compiled["Extension"](ext, ((node, key), index), out)
                elif key != "fhir_comments":
                    _report(out, (node, key), UNKNOWN, "not an element of this type")

        def check_extension(item: Any, node: PathNode, out: Out, is_list: bool) -> None:
            if not is_list:
                check_one(item, node, out)
                return
            if type(item) is not list:
                _report(out, node, STRUCTURE, "expected a JSON array")
                return
            for index, element in enumerate(item):
                if element is not None:
                    check_one(element, (node, index), out)

        return check_extension


def _has_extension(value: Any) -> bool:
    return type(value) is dict and bool(value.get("extension"))


def _fhir_resources_fallback(resource: dict[str, Any]) -> list[tuple[str, str]] | None:
    """Check a resource of a type outside the table with fhir.resources, if installed."""
    try:
        from fhir.resources.R4B import get_fhir_model_class
    except ImportError:  # pragma: no cover - fhir.resources is an optional extra
        return None
    try:
        model = get_fhir_model_class(str(resource["resourceType"]))
    except KeyError:
        return [("", "not a FHIR R4B resource type")]
    from pydantic import ValidationError

    try:
        model.model_validate(resource)
    except ValidationError as exc:
        return list(_fallback_problems(exc))
    return []


def _fallback_problems(exc: Any) -> Iterator[tuple[str, str]]:
    for error in exc.errors(include_input=False, include_url=False):
        loc = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error["loc"])
        yield loc, f"fhir.resources: {error['type']}"


@cache
def checker(*, bindings: bool = True) -> StructureChecker:
    """The shared checker (compiled on first use)."""
    return StructureChecker(shape_table(), bindings=bindings, fallback=_fhir_resources_fallback)
