"""Named converters between canonical values and FHIR JSON, used by every mapping.

A converter turns one canonical value into the JSON of one FHIR element, and
that JSON back into canonical JSON (which the record's own model then
validates). Each is a small pair of functions with a name and a one-line
description that the mapping table shows. Converters never put a value into
an exception or issue message.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import cache
from typing import Any, Final

from sharedsvc.fhir.engine import (
    NO_VALUE,
    EmitContext,
    FhirMappingError,
    Json,
    Located,
    ObjectMap,
    ReadContext,
    ResourceMap,
    emit_resource,
    read_resource,
    read_value,
)
from sharedsvc.fhir.structure import PRIMITIVES
from sharedsvc.terminology import ValueSet

__all__ = [
    "DATE",
    "DATETIME",
    "PENCE",
    "TEXT",
    "Converter",
    "answer",
    "code",
    "code_map",
    "coding",
    "concept",
    "concept_map",
    "concept_of",
    "datatype",
    "describe_target",
    "local_code",
    "local_coding",
    "logical_reference",
    "many",
    "participant",
    "presence",
    "ref",
    "ref_again",
    "valueset",
    "valueset_codings",
]

Emit = Callable[[Any, EmitContext, str], Json]
Read = Callable[[Located, ReadContext, str], Any]


@dataclass(frozen=True)
class Converter:
    """A named pair of functions between a canonical value and FHIR JSON."""

    name: str
    emit: Emit
    read: Read
    describe: str = ""
    #: The emitted JSON is valid FHIR by construction (skip the primitive check).
    checked: bool = False
    #: Takes a tuple of several canonical fields.
    multi: bool = False
    #: Canonical value when the element is absent (e.g. False for a flag).
    absent: Any = NO_VALUE
    #: The nested map (datatype or referenced resource), for the mapping table.
    target: ObjectMap | None = None
    #: Other maps the converter applies instead of ``target`` to some values (a named
    #: participant is a Practitioner or a RelatedPerson, by role).
    alternatives: tuple[ObjectMap, ...] = ()
    many: bool = False
    #: A hint the emitter generator uses to write the conversion inline:
    #: ("date", None), ("code", {code: coding}), ("datatype", map), ("many-datatype", map)
    #: or ("ref", map). The functions above stay the definition; the hint is an optimisation
    #: that the tests prove equivalent.
    inline: tuple[str, Any] | None = None
    #: For each canonical field: the sub-element (relative to the mapped element) its
    #: value is read from, so that issues point at it (``("value", "extension")``).
    parts: tuple[str, ...] = ("",)


def concept_of(system: str, code_value: str, display: str) -> dict[str, Any]:
    """A CodeableConcept of one coding (a fresh dict each call)."""
    return {"coding": [{"system": system, "code": code_value, "display": display}]}


def describe_target(convert: Converter | None) -> list[tuple[ObjectMap, bool]]:
    """The nested maps a converter applies (the first, then any alternatives), and whether
    it applies them to each item of a list."""
    if convert is None or convert.target is None:
        return []
    return [(spec, convert.many) for spec in (convert.target, *convert.alternatives)]


def _same(value: Any, _ctx: EmitContext, _pointer: str) -> Json:
    return value


def _read_same(located: Located, _ctx: ReadContext, _pointer: str) -> Any:
    return located.value


#: Text, booleans, numbers and FHIR-coded literals carried as they are.
TEXT = Converter("value", _same, _read_same)


def _emit_date(value: date, _ctx: EmitContext, _pointer: str) -> Json:
    return value.isoformat()


DATE = Converter("date", _emit_date, _read_same, checked=True, inline=("date", None))


def _emit_datetime(value: datetime, _ctx: EmitContext, pointer: str) -> Json:
    offset = value.utcoffset()
    seconds = offset.total_seconds() if offset is not None else 0.0
    # FHIR dateTime allows offsets of whole minutes from -13:59 to +14:00; others are
    # written in UTC, which is the same instant.
    if seconds % 60 or seconds > 14 * 3600 or seconds <= -14 * 3600:
        try:
            value = value.astimezone(UTC)
        except OverflowError:
            raise FhirMappingError(pointer, "the instant is outside FHIR's range") from None
    return value.isoformat()


#: UTC offsets FHIR dateTime can write as they are: whole minutes, -13:59 to +14:00.
FHIR_OFFSETS: Final = frozenset(timedelta(minutes=m) for m in range(-13 * 60 - 59, 14 * 60 + 1))

DATETIME = Converter(
    "dateTime",
    _emit_datetime,
    _read_same,
    describe="date-time with its UTC offset",
    checked=True,
    inline=("datetime", FHIR_OFFSETS),
)


@cache
def valueset(valueset_id: str) -> ValueSet:
    """A shipped value set (from the registry)."""
    from sharedsvc.registry import default_registry

    return default_registry().valueset(valueset_id)


def valueset_codings(valueset_id: str) -> dict[str, dict[str, str]]:
    """Each code of a shipped value set as a Coding (system, code, display)."""
    vs = valueset(valueset_id)
    return {
        c.code: {"system": vs.system_of(c), "code": c.code, "display": c.display}
        for c in vs.concepts
    }


def code(valueset_id: str) -> Converter:
    """A plain code of a value set ↔ a CodeableConcept with its system and display."""
    concepts = valueset_codings(valueset_id)
    systems = frozenset(valueset(valueset_id).systems)
    check = PRIMITIVES["code"][1]
    if not all(check(c) for c in concepts):
        raise ValueError(f"value set {valueset_id} has a code FHIR cannot carry")

    def emit(value: str, ctx: EmitContext, pointer: str) -> Json:
        coding = concepts.get(value)
        if coding is None:
            raise FhirMappingError(pointer, f"the code is not in value set {valueset_id}")
        return {"coding": [coding if ctx.share else dict(coding)]}

    def read(located: Located, ctx: ReadContext, _pointer: str) -> Any:
        codings = located.value.get("coding") if isinstance(located.value, dict) else None
        for coding in codings or []:
            if isinstance(coding, dict) and coding.get("system") in systems:
                return coding.get("code")
        ctx.issue("coding.wrong-system", located.location, valueset=valueset_id)
        return None

    return Converter(
        f"code({valueset_id})",
        emit,
        read,
        describe=f"code of value set {valueset_id} ({', '.join(sorted(systems))})",
        checked=True,
        inline=("code", concepts),
    )


def concept(valueset_id: str | None = None) -> Converter:
    """A canonical Coding (system, code, display) ↔ a CodeableConcept with that coding."""
    systems = frozenset(valueset(valueset_id).systems) if valueset_id else frozenset()

    def emit(value: Any, _ctx: EmitContext, pointer: str) -> Json:
        coding: dict[str, Any] = {"system": value.system, "code": value.code}
        if value.display is not None:
            coding["display"] = value.display
        for key, check in (("system", "uri"), ("code", "code"), ("display", "string")):
            if key in coding and not PRIMITIVES[check][1](coding[key]):
                raise FhirMappingError(f"{pointer}/{key}", f"not a valid FHIR {check}")
        return {"coding": [coding]}

    def read(located: Located, ctx: ReadContext, _pointer: str) -> Any:
        codings = located.value.get("coding") if isinstance(located.value, dict) else None
        candidates = [c for c in codings or [] if isinstance(c, dict)]
        chosen = next((c for c in candidates if c.get("system") in systems), None)
        if chosen is None and candidates:
            chosen = candidates[0]
        if chosen is None:
            ctx.issue("coding.wrong-system", located.location, valueset=valueset_id or "?")
            return None
        return {k: chosen[k] for k in ("system", "code", "display") if k in chosen}

    described = f"Coding of value set {valueset_id}" if valueset_id else "Coding"
    return Converter(
        f"concept({valueset_id or ''})", emit, read, describe=f"{described} as a CodeableConcept"
    )


def code_map(mapping: Mapping[str, str], describe: str) -> Converter:
    """A canonical code ↔ a FHIR code, through a one-to-one table."""
    inverse = {fhir: canonical for canonical, fhir in mapping.items()}
    if len(inverse) != len(mapping):
        raise ValueError("a code map must be one-to-one to be read back")

    def emit(value: str, _ctx: EmitContext, pointer: str) -> Json:
        if value not in mapping:
            raise FhirMappingError(pointer, "the code has no FHIR equivalent")
        return mapping[value]

    def read(located: Located, ctx: ReadContext, _pointer: str) -> Any:
        value = inverse.get(located.value) if isinstance(located.value, str) else None
        if value is None:
            ctx.issue("fhir.code-unmapped", located.location)
        return value

    table = ", ".join(f"{k}→{v}" for k, v in mapping.items())
    return Converter("code-map", emit, read, describe=f"{describe}: {table}", checked=True)


def presence(system: str, code_value: str, display: str) -> Converter:
    """A yes/no fact ↔ whether a CodeableConcept with this coding is present."""
    concept_json = concept_of(system, code_value, display)

    def emit(value: bool, _ctx: EmitContext, _pointer: str) -> Json:
        return {"coding": [dict(concept_json["coding"][0])]} if value else None

    def read(located: Located, _ctx: ReadContext, _pointer: str) -> Any:
        codings = located.value.get("coding") if isinstance(located.value, dict) else None
        return any(
            isinstance(c, dict) and c.get("system") == system and c.get("code") == code_value
            for c in codings or []
        )

    return Converter(
        "presence",
        emit,
        read,
        describe=f"true is the coding {system}#{code_value} present, false its absence",
        checked=True,
        absent=False,
    )


def local_code(system: str, describe: str) -> Converter:
    """A code of a list local to sharedsvc ↔ a CodeableConcept in its sharedsvc system."""
    check = PRIMITIVES["code"][1]

    def emit(value: str, _ctx: EmitContext, pointer: str) -> Json:
        if not check(value):
            raise FhirMappingError(pointer, "not a valid FHIR code")
        return {"coding": [{"system": system, "code": value}]}

    def read(located: Located, ctx: ReadContext, _pointer: str) -> Any:
        codings = located.value.get("coding") if isinstance(located.value, dict) else None
        for coding in codings or []:
            if isinstance(coding, dict) and coding.get("system") == system:
                return coding.get("code")
        ctx.issue("coding.wrong-system", located.location, valueset=system)
        return None

    return Converter("local-code", emit, read, describe=f"{describe} ({system})", checked=True)


def concept_map(mapping: Mapping[str, tuple[str, str, str]], describe: str) -> Converter:
    """A canonical code ↔ a CodeableConcept of another code system, one to one."""
    inverse = {(system, fhir): canonical for canonical, (system, fhir, _) in mapping.items()}
    if len(inverse) != len(mapping):
        raise ValueError("a concept map must be one-to-one to be read back")

    def emit(value: str, _ctx: EmitContext, pointer: str) -> Json:
        if value not in mapping:
            raise FhirMappingError(pointer, "the code has no FHIR equivalent")
        system, fhir, display = mapping[value]
        return concept_of(system, fhir, display)

    def read(located: Located, ctx: ReadContext, _pointer: str) -> Any:
        codings = located.value.get("coding") if isinstance(located.value, dict) else None
        for coding in codings or []:
            if isinstance(coding, dict):
                found = inverse.get((coding.get("system"), coding.get("code")))  # type: ignore[arg-type]
                if found is not None:
                    return found
        ctx.issue("fhir.code-unmapped", located.location)
        return None

    table = ", ".join(f"{k}→{v[1]}" for k, v in mapping.items())
    return Converter("concept-map", emit, read, describe=f"{describe}: {table}", checked=True)


def many(item: Converter) -> Converter:
    """Apply a converter to each item of a list."""

    def emit(values: list[Any], ctx: EmitContext, pointer: str) -> Json:
        out = [item.emit(v, ctx, f"{pointer}/{n}") for n, v in enumerate(values)]
        return out or None

    def read(located: Located, ctx: ReadContext, pointer: str) -> Any:
        return [
            item.read(Located(value, where), ctx, f"{pointer}/{n}")
            for n, (value, where) in enumerate(located.items())
        ]

    inline = (
        ("many-datatype", item.target) if item.inline and item.inline[0] == "datatype" else None
    )
    return Converter(
        f"many({item.name})",
        emit,
        read,
        describe=item.describe,
        checked=item.checked,
        target=item.target,
        alternatives=item.alternatives,
        many=True,
        inline=inline,
    )


def datatype(spec: ObjectMap) -> Converter:
    """A nested canonical record ↔ a FHIR datatype, through its own :class:`ObjectMap`."""

    def emit(value: Any, ctx: EmitContext, pointer: str) -> Json:
        out: dict[str, Any] = {}
        spec.compiled.emit_into(value, out, ctx, pointer)
        if not out:
            raise FhirMappingError(pointer, f"an empty {spec.fhir_type} cannot be written")
        return out

    def read(located: Located, ctx: ReadContext, pointer: str) -> Any:
        if not isinstance(located.value, dict):
            return located.value
        out: dict[str, Any] = {}
        spec.compiled.read_into(located.value, out, ctx, pointer, located.location)
        return read_value(out)

    return Converter(
        f"datatype({spec.name})",
        emit,
        read,
        checked=True,
        target=spec,
        inline=("datatype", spec),
    )


def ref(spec: ResourceMap) -> Converter:
    """A nested canonical record ↔ a Reference to its own resource in the Bundle."""

    def emit(value: Any, ctx: EmitContext, pointer: str) -> Json:
        return emit_resource(spec, value, ctx, pointer, None)

    def read(located: Located, ctx: ReadContext, pointer: str) -> Any:
        target = ctx.resolve(located.value, located.location)
        if target is None or not ctx.is_type(target, spec.fhir_type, located.location):
            return None
        out: dict[str, Any] = {}
        read_resource(spec, target, ctx, pointer, out)
        return read_value(out)

    return Converter(
        f"ref({spec.name})",
        emit,
        read,
        describe=f"Reference to {_article(spec.fhir_type)} {spec.fhir_type} "
        f"({spec.profile.rsplit('/', 1)[-1]})",
        checked=True,
        target=spec,
        inline=("ref", spec),
    )


def ref_again(spec: ResourceMap, field: str) -> Converter:
    """A second Reference to the resource ``ref(spec)`` made for the same field.

    For a field two resources of the Bundle both point at (the council as the
    Task's owner and the Flag's author): the resource is made once, by the
    field's first mapping, and this one only refers to it, so it is not read back.
    """

    def emit(_value: Any, ctx: EmitContext, pointer: str) -> Json:
        return {"reference": ctx.urn(pointer), "type": spec.fhir_type}

    def read(_located: Located, _ctx: ReadContext, _pointer: str) -> Any:
        return None

    return Converter(
        f"ref-again({spec.name})",
        emit,
        read,
        describe=f"Reference to the same {spec.fhir_type} as {field} (read from there)",
        checked=True,
    )


def coding(valueset_id: str) -> Converter:
    """A plain code of a value set ↔ a Coding with its system and display."""
    codings = valueset_codings(valueset_id)
    systems = frozenset(valueset(valueset_id).systems)

    def emit(value: str, ctx: EmitContext, pointer: str) -> Json:
        found = codings.get(value)
        if found is None:
            raise FhirMappingError(pointer, f"the code is not in value set {valueset_id}")
        return found if ctx.share else dict(found)

    def read(located: Located, ctx: ReadContext, _pointer: str) -> Any:
        value = located.value if isinstance(located.value, dict) else {}
        if value.get("system") in systems:
            return value.get("code")
        ctx.issue("coding.wrong-system", located.location, valueset=valueset_id)
        return None

    return Converter(
        f"coding({valueset_id})",
        emit,
        read,
        describe=f"Coding of value set {valueset_id}",
        checked=True,
    )


def local_coding(system: str, describe: str) -> Converter:
    """A code of a list local to sharedsvc ↔ a Coding in its sharedsvc system."""
    check = PRIMITIVES["code"][1]

    def emit(value: str, _ctx: EmitContext, pointer: str) -> Json:
        if not check(value):
            raise FhirMappingError(pointer, "not a valid FHIR code")
        return {"system": system, "code": value}

    def read(located: Located, ctx: ReadContext, _pointer: str) -> Any:
        value = located.value if isinstance(located.value, dict) else {}
        if value.get("system") == system:
            return value.get("code")
        ctx.issue("coding.wrong-system", located.location, valueset=system)
        return None

    return Converter("local-coding", emit, read, describe=f"{describe} ({system})", checked=True)


def answer(item: Converter, key: str) -> Converter:
    """A value ↔ one QuestionnaireResponse answer, ``{key: value}`` (e.g. ``valueCoding``)."""

    def emit(value: Any, ctx: EmitContext, pointer: str) -> Json:
        inner = item.emit(value, ctx, pointer)
        if not item.checked and not _PRIMITIVE_OF_ANSWER[key](inner):
            raise FhirMappingError(pointer, f"not a valid FHIR {key}")
        return {key: inner}

    def read(located: Located, ctx: ReadContext, pointer: str) -> Any:
        value = located.value.get(key) if isinstance(located.value, dict) else None
        if value is None:
            return None
        return item.read(Located(value, f"{located.location}.{key}"), ctx, pointer)

    return Converter(f"answer({key})", emit, read, describe=item.describe, checked=True)


_PRIMITIVE_OF_ANSWER: Final[dict[str, Callable[[Any], bool]]] = {
    "valueString": PRIMITIVES["string"][1],
    "valueBoolean": PRIMITIVES["boolean"][1],
    "valueInteger": PRIMITIVES["integer"][1],
    "valueDate": PRIMITIVES["date"][1],
    "valueCoding": lambda value: isinstance(value, dict),
    "valueReference": lambda value: isinstance(value, dict),
}


def logical_reference(system: str, resource_type: str) -> Converter:
    """The id of a record of another design ↔ a logical Reference (by identifier)."""
    check = PRIMITIVES["string"][1]

    def emit(value: str, _ctx: EmitContext, pointer: str) -> Json:
        if not check(value):
            raise FhirMappingError(pointer, "not a valid FHIR string")
        return {"type": resource_type, "identifier": {"system": system, "value": value}}

    def read(located: Located, ctx: ReadContext, _pointer: str) -> Any:
        identifier = located.value.get("identifier") if isinstance(located.value, dict) else None
        if isinstance(identifier, dict) and identifier.get("system") == system:
            return identifier.get("value")
        ctx.issue(
            "fhir.reference-unresolved",
            located.location,
            detail=f"it should name a record by its identifier in {system}",
        )
        return None

    return Converter(
        "logical-reference",
        emit,
        read,
        describe=f"a logical Reference to a {resource_type}, by its identifier in {system}",
        checked=True,
    )


def participant(
    spec: ResourceMap,
    role: Json,
    describe: str,
    *,
    role_key: str = "type",
    member_key: str = "individual",
) -> Converter:
    """A nested record ↔ a participant: its role and a Reference to its resource.

    The keys are an Encounter participant's (``type``, ``individual``) unless
    given: a CareTeam participant's are ``role`` and ``member``.
    """
    reference = ref(spec)

    def emit(value: Any, ctx: EmitContext, pointer: str) -> Json:
        member = reference.emit(value, ctx, pointer)
        return {role_key: [role if ctx.share else _copy_json(role)], member_key: member}

    def read(located: Located, ctx: ReadContext, pointer: str) -> Any:
        member = located.value.get(member_key) if isinstance(located.value, dict) else None
        where = f"{located.location}.{member_key}"
        return reference.read(Located(member, where), ctx, pointer)

    return Converter(
        f"participant({spec.name})",
        emit,
        read,
        describe=f"{describe}; {reference.describe}",
        checked=True,
        target=spec,
    )


#: Up to this many pence, ``pence / 100`` is a double whose shortest decimal text has
#: exactly the pence as its two decimals, so the amount reads back exactly.
_EXACT_PENCE: Final = 10**15


def _emit_pence(value: int, _ctx: EmitContext, pointer: str) -> Json:
    if abs(value) > _EXACT_PENCE:
        raise FhirMappingError(pointer, "too large to write exactly as a FHIR decimal")
    pounds, pence = divmod(value, 100)
    return {"value": pounds if pence == 0 else value / 100, "currency": "GBP"}


def _read_pence(located: Located, ctx: ReadContext, _pointer: str) -> Any:
    money = located.value if isinstance(located.value, dict) else {}
    if money.get("currency") != "GBP":
        ctx.issue("fhir.code-unmapped", f"{located.location}.currency")
        return None
    amount = money.get("value")
    if isinstance(amount, bool) or not isinstance(amount, int | float | Decimal):
        return amount  # the record's own validation names the wrong type
    pence = Decimal(str(amount)) * 100
    if pence != pence.to_integral_value():
        ctx.issue(
            "fhir.value-format", f"{located.location}.value", detail="not a whole number of pence"
        )
        return None
    return int(pence)


#: An amount in pence ↔ a Money in pounds sterling.
PENCE: Final = Converter(
    "pence",
    _emit_pence,
    _read_pence,
    describe="pence ↔ Money in pounds sterling (currency GBP, value in pounds)",
    checked=True,
)


def _copy_json(value: Json) -> Json:
    if isinstance(value, dict):
        return {k: _copy_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy_json(v) for v in value]
    return value


def _article(word: str) -> str:
    return "an" if word[:1] in "AEIOU" else "a"
