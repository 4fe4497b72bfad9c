"""The mapping engine: one declaration per design drives both directions and the table.

A design declares its mapping once, as data (:class:`ResourceMap`,
:class:`ObjectMap`, :class:`Field`, :class:`Companion`, :class:`Link`,
:class:`Fixed`) plus small named converters (:mod:`sharedsvc.fhir.converters`).
From that one declaration the engine:

* emits FHIR JSON (plain dicts, ready for orjson) — the fast path; the
  fhir.resources object API is built from the same JSON;
* reads FHIR JSON back into the canonical record's JSON, recording where in
  the input each canonical value came from, so that the record's own
  validation can point into the FHIR;
* lists the mapping table the docs site renders (:mod:`sharedsvc.fhir.table`).

Identifiers are deterministic: each resource's id is a UUID version 5 over the
design id, the record id and the JSON Pointer of the canonical object it maps,
so one record always yields the same Bundle.
"""

from __future__ import annotations

import hashlib
import operator
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache, cached_property
from typing import TYPE_CHECKING, Any, Final, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic_core import to_json

from sharedsvc.fhir.context import (
    NAMESPACE,
    EmitContext,
    FhirMappingError,
    Json,
    Located,
    ReadContext,
    deterministic_uuid,
    locate,
)
from sharedsvc.fhir.context import join as _join
from sharedsvc.fhir.paths import ElementPath, MappingDeclarationError, compile_path
from sharedsvc.fhir.structure import PRIMITIVES, shape_table

if TYPE_CHECKING:
    from sharedsvc.fhir.converters import Converter

__all__ = [
    "NAMESPACE",
    "NO_VALUE",
    "Companion",
    "DesignMapping",
    "EmitContext",
    "FhirMappingError",
    "Field",
    "Fixed",
    "Json",
    "Link",
    "Located",
    "ObjectMap",
    "ReadContext",
    "ResourceMap",
    "deterministic_uuid",
    "emit_resource",
    "read_resource",
    "read_value",
    "resolve_field",
]


# -- declarations ---------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Field:
    """A canonical field (or several, for a converter that needs them together) → an element.

    ``field`` is the Python attribute name on the mapped model; a dotted name
    (``referrer.kind``) reaches into a nested record mapped onto the same
    resource; ``"."`` is the mapped object itself (for companions per list item).
    """

    field: str | tuple[str, ...]
    element: str
    convert: Converter | None = None
    note: str = ""
    #: The elements as the mapping table shows them, where ``element`` is ``"."``.
    shown: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        return self.field if isinstance(self.field, tuple) else (self.field,)


@dataclass(frozen=True, eq=False)
class Fixed:
    """An element whose value is fixed, or derived from the record but not read back."""

    element: str
    value: Json = None
    derive: Callable[[Any], Json] | None = None
    note: str = ""
    #: ``derive`` is given the whole record being emitted, not the mapped object (a
    #: Goal's status follows its plan's).
    of_record: bool = False


@dataclass(frozen=True, eq=False)
class Link:
    """A reference to a resource of the context: the record's ``subject`` or the ``primary``.

    ``primary`` is the resource a companion accompanies (see :class:`Companion`).
    """

    element: str
    target: Literal["subject", "primary"]
    note: str = ""


@dataclass(frozen=True, eq=False)
class ObjectMap:
    """How a canonical record maps onto a FHIR datatype (HumanName, Address…)."""

    name: str
    model: type[BaseModel]
    fhir_type: str
    fields: tuple[Field, ...]
    fixed: tuple[Fixed, ...] = ()

    @cached_property
    def compiled(self) -> _CompiledMap:
        return _CompiledMap(self)


@dataclass(frozen=True, eq=False)
class Companion:
    """A second resource made from the same canonical object (or from each item of a list).

    ``link`` is the element that ties the two: on the primary resource pointing at
    the companion (``from_primary``), or on the companion pointing back at the
    primary, which the companion's map then declares as ``Link(link, "primary")``.
    With ``each`` set, one companion is made per item of that list field.
    """

    map: ResourceMap
    link: str
    from_primary: bool
    each: str | None = None
    note: str = ""


@dataclass(frozen=True, eq=False)
class ResourceMap(ObjectMap):
    """How a canonical record maps onto a FHIR resource with its UK Core profile."""

    profile: str = ""
    links: tuple[Link, ...] = ()
    companions: tuple[Companion, ...] = ()
    #: A companion is made only when one of its fields has a value, unless this is set.
    always: bool = False
    #: ``meta.security`` labels of every resource made from this map (a restricted record).
    security: tuple[Json, ...] = ()

    @property
    def resource(self) -> str:
        return self.fhir_type


@dataclass(frozen=True, eq=False)
class DesignMapping:
    """The mapping of one design: the root record's resource map and its subject field."""

    design_id: str
    root: ResourceMap
    subject: str | None = None
    notes: tuple[str, ...] = ()


# -- compiling a map ------------------------------------------------------------------------


def _unwrap_model(annotation: Any) -> type[BaseModel] | None:
    """The record class inside ``X | None`` / ``list[X]``, if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _unwrap_model(arg)
        if found is not None:
            return found
    return None


def _is_list(annotation: Any) -> bool:
    if get_origin(annotation) is list:
        return True
    return get_origin(annotation) in (Union, type(int | None)) and any(
        get_origin(arg) is list for arg in get_args(annotation)
    )


@dataclass(frozen=True)
class _FieldRef:
    """A canonical field resolved on the model: how to get it and where it goes in JSON."""

    name: str
    aliases: tuple[str, ...]
    getter: Callable[[Any], Any]
    #: Whether the canonical field is a list (so an empty list counts as absent).
    is_list: bool = False

    @property
    def pointer(self) -> str:
        return "" if self.name == "." else "/" + "/".join(self.aliases)

    @property
    def label(self) -> str:
        return ".".join(self.aliases) if self.name != "." else ""


def resolve_field(model: type[BaseModel], name: str) -> _FieldRef:
    """Resolve ``name`` (dotted for nested records) on ``model``."""
    if name == ".":
        return _FieldRef(".", (), lambda obj: obj)
    aliases: list[str] = []
    current: type[BaseModel] | None = model
    parts = name.split(".")
    is_list = False
    for part in parts:
        if current is None or part not in current.model_fields:
            raise MappingDeclarationError(f"{model.__name__} has no field {name!r}")
        info = current.model_fields[part]
        aliases.append(info.alias or part)
        is_list = _is_list(info.annotation)
        current = _unwrap_model(info.annotation)
    if len(parts) == 1:
        getter: Callable[[Any], Any] = operator.attrgetter(parts[0])
    else:

        def getter(obj: Any, _parts: tuple[str, ...] = tuple(parts)) -> Any:
            for part in _parts:
                obj = getattr(obj, part)
                if obj is None:
                    return None
            return obj

    return _FieldRef(name, tuple(aliases), getter, is_list)


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, list | tuple) and not value)


def _writer(path: ElementPath) -> Callable[[dict[str, Any], Any], bool]:
    """The fastest correct writer for a path (a plain key for the common case)."""
    if len(path.alternatives) == 1 and len(path.alternatives[0]) == 1:
        step = path.alternatives[0][0]
        name = step.name
        if not step.is_list and not step.sliced:

            def write_key(out: dict[str, Any], value: Any) -> bool:
                if name in out:
                    return path.write(out, value)
                out[name] = value
                return True

            return write_key
        if step.is_list and step.index is None and not step.sliced:

            def write_list(out: dict[str, Any], value: Any) -> bool:
                if name in out:
                    out[name].extend(value)
                else:
                    out[name] = list(value)
                return True

            return write_list
    return path.write


def _primitive_checker(path: ElementPath) -> Callable[[Any, str], None] | None:
    """A check that a value is a valid FHIR primitive of the path's type (None if complex)."""
    if not path.primitive:
        return None
    check = PRIMITIVES[path.target_type][1]
    target = path.target_type

    def check_value(value: Any, pointer: str) -> None:
        if type(value) is list:
            for number, item in enumerate(value):
                if not check(item):
                    raise FhirMappingError(f"{pointer}/{number}", f"not a valid FHIR {target}")
        elif not check(value):
            raise FhirMappingError(pointer, f"not a valid FHIR {target}")

    return check_value


class _CompiledMap:
    """An :class:`ObjectMap` compiled: resolved fields, compiled paths, ordered writes."""

    def __init__(self, spec: ObjectMap) -> None:
        from sharedsvc.fhir.converters import TEXT
        from sharedsvc.fhir.emitgen import generate_emitter

        self.spec = spec
        self.fields: list[tuple[Field, tuple[_FieldRef, ...], ElementPath, Converter]] = []
        for entry in spec.fields:
            refs = tuple(resolve_field(spec.model, n) for n in entry.names)
            path = compile_path(entry.element, spec.fhir_type)
            convert = entry.convert or TEXT
            if len(refs) > 1 and not convert.multi:
                raise MappingDeclarationError(f"{spec.name}: {entry.field} needs a multi converter")
            self.fields.append((entry, refs, path, convert))
        self.fixed = [(f, compile_path(f.element, spec.fhir_type)) for f in spec.fixed]
        self.links: list[tuple[Link, ElementPath]] = []
        self.companions: list[tuple[Companion, ElementPath, _FieldRef | None]] = []
        if isinstance(spec, ResourceMap):
            self.links = [(lk, compile_path(lk.element, spec.fhir_type)) for lk in spec.links]
            for companion in spec.companions:
                _check_companion(spec, companion)
                owner = spec.fhir_type if companion.from_primary else companion.map.fhir_type
                each = resolve_field(spec.model, companion.each) if companion.each else None
                self.companions.append((companion, compile_path(companion.link, owner), each))
        _link_slices([p for _, _, p, _ in self.fields] + [p for _, p in self.fixed])
        sequence = shape_table()["types"][spec.fhir_type]["sequence"]
        order = {name: i for i, name in enumerate(sequence)}

        def rank(path: ElementPath) -> int:
            steps = path.alternatives[0]
            return order.get(steps[0].name, len(order)) if steps else -1

        # Writes run in FHIR element order, so emitted JSON reads like the specification.
        self.fields.sort(key=lambda f: rank(f[2]))
        self.fixed.sort(key=lambda f: rank(f[1]))
        ranked: list[tuple[int, str, Any]] = [(rank(p), "fixed", (f, p)) for f, p in self.fixed]
        ranked += [(rank(p), "link", (lk, p)) for lk, p in self.links]
        ranked += [(rank(p), "companion", (c, p)) for c, p, _ in self.companions if c.from_primary]
        ranked += [(rank(f[2]), "field", f) for f in self.fields]
        ranked.sort(key=lambda triple: triple[0])
        #: Every write, in FHIR element order (fixed values before fields of equal rank).
        self.ordered: list[tuple[str, Any]] = [(kind, item) for _, kind, item in ranked]
        #: A path that merges into the object itself breaks the order: keys are sorted after.
        self.needs_sort = any(not p.alternatives[0] for _, _, p, _ in self.fields)
        self.ordered_output = not self.needs_sort
        #: (companion, each, the getters of its fields: it is made when one has a value)
        self.companion_plan = [
            (c, each, [r.getter for _, refs, _, _ in c.map.compiled.fields for r in refs])
            for c, _, each in self.companions
        ]
        #: The paths of fields that refer to resources of their own (``ref``, ``many(ref)``,
        #: participants): what they point at is no companion found by back-reference.
        self.forward_refs = [
            p
            for _, _, p, c in self.fields
            if isinstance(c.target, ResourceMap) and p.alternatives[0]
        ]
        self.meta: dict[str, Any] = {"profile": [getattr(spec, "profile", "")]}
        if isinstance(spec, ResourceMap) and spec.security:
            self.meta["security"] = [_copy(label) for label in spec.security]
        #: For a resource map: the generated function that emits the whole resource.
        self.emit_resource: Callable[..., dict[str, str]] = _not_a_resource
        self.emit_into, self.emitter_source = generate_emitter(self)

    # -- reading -----------------------------------------------------------------------------
    def read_into(
        self, source: dict[str, Any], out: dict[str, Any], ctx: ReadContext, pointer: str, at: str
    ) -> None:
        for _entry, refs, path, convert in self.fields:
            found = path.read(source)
            if found is None:
                where = _join(at, path.location())
                if convert.absent is NO_VALUE:
                    for ref in refs:
                        ctx.locations.setdefault(pointer + ref.pointer, where)
                    continue
                value: Any = convert.absent
            else:
                located = locate(found, at)
                where = located.location
                here = pointer + refs[0].pointer if len(refs) == 1 else pointer
                value = convert.read(located, ctx, here)
            if len(refs) == 1:
                _put(out, refs[0], value, ctx, pointer, _join(where, convert.parts[0]))
            else:
                values = value if isinstance(value, tuple) else (None,) * len(refs)
                parts = convert.parts if len(convert.parts) == len(refs) else ("",) * len(refs)
                for ref, item, part in zip(refs, values, parts, strict=True):
                    _put(out, ref, item, ctx, pointer, _join(where, part))


def _put(
    out: dict[str, Any], ref: _FieldRef, value: Any, ctx: ReadContext, pointer: str, where: str
) -> None:
    if ref.name == ".":
        # The mapped object is this element's value: issues about it point here.
        ctx.locations[pointer] = where
    else:
        ctx.locations.setdefault(pointer + ref.pointer, where)
    if value is None:
        return
    if ref.name == ".":
        if isinstance(value, dict):
            out.update(value)
        else:
            # A map of a plain value (a Goal per wanted outcome): the value itself.
            out[SELF] = value
        return
    target = out
    for alias in ref.aliases[:-1]:
        target = target.setdefault(alias, {})
    target[ref.aliases[-1]] = value


#: Where :func:`_put` keeps the value of a map of a plain value (see :func:`read_value`).
SELF: Final = "."


def read_value(out: dict[str, Any]) -> Any:
    """What a map read: the canonical object, or the plain value a map of one read."""
    return out.get(SELF, out)


class _NoValue:
    """Marker: nothing to read when the element is absent."""


NO_VALUE: Final = _NoValue()


def convert_is_text(convert: Converter) -> bool:
    """Whether a converter passes values through unchanged."""
    from sharedsvc.fhir.converters import TEXT

    return convert is TEXT


def _copy(value: Json) -> Json:
    """A fresh copy of a constant, so that emitted Bundles never share mutable parts."""
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def _raise_conflict(pointer: str, element: str) -> None:
    raise FhirMappingError(pointer, f"two fields map to the element {element}")


def _raise_claimed(pointer: str) -> None:
    raise FhirMappingError(pointer, "an item uses a system or code another field maps to")


def _link_slices(paths: list[ElementPath]) -> None:
    """Tell each whole-repeating-element path which slices its siblings declare."""
    slices: dict[tuple[str, ...], list[Any]] = {}
    for path in paths:
        for steps in path.alternatives:
            for depth, step in enumerate(steps):
                if step.sliced:
                    key = (*(s.label() for s in steps[:depth]), step.name)
                    slices.setdefault(key, []).append(step)
    for path in paths:
        path.siblings.clear()
        for steps in path.alternatives:
            if not steps:
                path.siblings.append([])
                continue
            last = steps[-1]
            key = (*(s.label() for s in steps[:-1]), last.name)
            path.siblings.append(slices.get(key, []) if path.repeats else [])


# -- resources ------------------------------------------------------------------------------


def emit_resource(
    spec: ResourceMap,
    obj: Any,
    ctx: EmitContext,
    pointer: str,
    primary: dict[str, str] | None,
    id_key: str | None = None,
) -> dict[str, str]:
    """Emit ``obj`` as a resource (and its companions) into the context; return its Reference.

    ``primary`` is the Reference of the resource this one accompanies (its links
    with target ``primary`` point there). ``id_key`` replaces the pointer in the
    resource id (a companion of the same object needs its own id). The work is
    done by the function generated for the map (:mod:`sharedsvc.fhir.emitgen`):
    the resource's id, ``meta.profile``, its elements in FHIR order, then its
    companions.
    """
    return spec.compiled.emit_resource(obj, ctx, pointer, primary, id_key)


def _not_a_resource(*_args: Any) -> dict[str, str]:
    raise TypeError("a datatype map is not emitted as a resource")


def companion_made(companion: Companion, getters: list[Callable[[Any], Any]], obj: Any) -> bool:
    """Whether a companion resource is made for ``obj``."""
    if companion.map.always:
        return True
    for getter in getters:  # noqa: SIM110 - a loop is faster than any() here
        if not _empty(getter(obj)):
            return True
    return False


def companion_key(pointer: str, companion: Companion) -> str:
    """What the id of a companion of the object at ``pointer`` is made from."""
    return f"{pointer}#{companion.map.name}"


def _check_companion(spec: ResourceMap, companion: Companion) -> None:
    """A companion is linked by a declared element, in one direction the engine supports."""
    if companion.from_primary and companion.each is not None:
        raise MappingDeclarationError(
            f"{spec.name}: a companion per list item must point back at the primary"
        )
    if not companion.from_primary and not any(
        link.element == companion.link and link.target == "primary" for link in companion.map.links
    ):
        raise MappingDeclarationError(
            f"{spec.name}: companion {companion.map.name} must declare "
            f"Link({companion.link!r}, 'primary')"
        )


def _reordered(resource: dict[str, Any], fhir_type: str) -> dict[str, Any]:
    """The resource with its elements in FHIR order (after a converter merged several)."""
    order = _ORDER.get(fhir_type)
    if order is None:
        sequence = ["resourceType", *shape_table()["types"][fhir_type]["sequence"]]
        order = _ORDER[fhir_type] = {n: i for i, n in enumerate(sequence)}
    return {key: resource[key] for key in sorted(resource, key=order.__getitem__)}


_ORDER: dict[str, dict[str, int]] = {}


def read_resource(
    spec: ResourceMap, index: int, ctx: ReadContext, pointer: str, out: dict[str, Any]
) -> None:
    """Read entry ``index`` with ``spec`` into ``out`` (the canonical JSON being built)."""
    ctx.consumed.add(index)
    resource = ctx.entries[index][1]
    at = ctx.base[index]
    # Issues about the record as a whole point at its resource, not at the reference to it.
    ctx.locations[pointer] = at
    compiled = spec.compiled
    for companion, link_path, _each in compiled.companions:
        if companion.from_primary:
            found = link_path.read(resource)
            value = found.value if found is not None else None
            reference = value.get("reference") if isinstance(value, dict) else None
            if isinstance(reference, str) and reference in ctx.by_reference:
                ctx.reserved.add(ctx.by_reference[reference])
    for path in compiled.forward_refs:
        # A resource an element of this one points at (a Flag in a section's entries) is
        # read from there, not taken as another resource's companion (a Patient's Flags).
        found = path.read(resource)
        if found is not None:
            _reserve(found.value, ctx)
    compiled.read_into(resource, out, ctx, pointer, at)
    for companion, link_path, each in compiled.companions:
        if companion.from_primary:
            found = link_path.read(resource)
            if found is None:
                continue
            where = _join(at, found.location)
            target = ctx.resolve(found.value, where)
            if target is not None and ctx.is_type(target, companion.map.fhir_type, where):
                read_resource(companion.map, target, ctx, pointer, out)
            continue
        matches = ctx.referrers(companion.map.fhir_type, link_path, index)
        if ctx.reserved:
            matches = [m for m in matches if m not in ctx.reserved]
        if each is None:
            if matches:
                read_resource(companion.map, matches[0], ctx, pointer, out)
            continue
        items: list[Any] = []
        for number, match in enumerate(matches):
            item: dict[str, Any] = {}
            read_resource(companion.map, match, ctx, f"{pointer}{each.pointer}/{number}", item)
            items.append(item)
        if items:
            _put(out, each, items, ctx, pointer, ctx.base[matches[0]])
    if compiled.companions:
        # A companion read for the same object (and its own companions) set the object's
        # location to theirs: issues about the object as a whole point at this resource.
        ctx.locations[pointer] = at


def _reserve(value: Any, ctx: ReadContext) -> None:
    """Reserve every entry a Reference within ``value`` points at (see :func:`read_resource`)."""
    if isinstance(value, list):
        for item in value:
            _reserve(item, ctx)
    elif isinstance(value, dict):
        reference = value.get("reference")
        if isinstance(reference, str) and reference in ctx.by_reference:
            ctx.reserved.add(ctx.by_reference[reference])
        for item in value.values():
            if isinstance(item, dict | list):
                _reserve(item, ctx)


# -- canonical helpers used by the public API -----------------------------------------------


def record_key(design_id: str, record: BaseModel) -> str:
    """The part of every resource id that identifies the record.

    A record without an ``id`` (a shared care record summary) is named by a hash of
    its content, with every instant in UTC: an instant FHIR writes in UTC (its offset
    is not one FHIR allows) reads back as an equal record, which gets the same ids.
    """
    record_id = getattr(record, "id", None)
    if not isinstance(record_id, str):
        payload = to_json(_in_utc(record.model_dump(by_alias=True)))
        record_id = "sha1:" + hashlib.sha1(payload).hexdigest()
    return f"{design_id}|{record_id}"


#: The types :func:`_in_utc` looks into or changes (others are kept as they are).
_IN_UTC_TYPES: Final = frozenset({dict, list, datetime})


def _in_utc(value: Any) -> Any:
    """``value`` (a record's Python dump) with each aware datetime in UTC, where it can be."""
    kind = type(value)
    if kind is dict:
        return {k: _in_utc(v) if type(v) in _IN_UTC_TYPES else v for k, v in value.items()}
    if kind is list:
        return [_in_utc(v) if type(v) in _IN_UTC_TYPES else v for v in value]
    if value.utcoffset():  # aware, and not already in UTC
        try:
            return value.astimezone(UTC)
        except OverflowError:
            return value
    return value


def subject_reference(mapping: DesignMapping, ctx: EmitContext) -> dict[str, str] | None:
    """The Reference of the record's subject (the Patient), known before it is emitted."""
    if mapping.subject is None:
        return None
    return {"reference": ctx.urn(_subject_pointer(mapping)), "type": "Patient"}


@cache
def _subject_pointer(mapping: DesignMapping) -> str:
    if mapping.subject is None:  # pragma: no cover - checked by the caller
        raise ValueError("the mapping has no subject")
    return resolve_field(mapping.root.model, mapping.subject).pointer
