"""The mapping table of a design, read from its declaration (the docs site renders it)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Final

from sharedsvc.fhir.engine import DesignMapping, ObjectMap, ResourceMap, resolve_field

__all__ = ["TableRow", "resource_maps", "table_rows"]


@dataclass(frozen=True)
class TableRow:
    """One row of a design's mapping table."""

    field: str
    resource: str
    element: str
    profile: str
    note: str

    def as_dict(self) -> dict[str, str]:
        return {
            "field": self.field,
            "resource": self.resource,
            "element": self.element,
            "profile": self.profile,
            "note": self.note,
        }


def table_rows(mapping: DesignMapping) -> list[TableRow]:
    """Every row of a design's mapping table, in declaration order."""
    return list(_rows(mapping.root, ""))


def _rows(spec: ObjectMap, prefix: str) -> Iterator[TableRow]:
    from sharedsvc.fhir.converters import describe_target

    resource = spec.fhir_type
    profile = spec.profile if isinstance(spec, ResourceMap) else ""
    if isinstance(spec, ResourceMap):
        for label in spec.security:
            note = f"fixed: security label {label.get('code')} ({label.get('system')})"
            yield TableRow("", resource, "meta.security", profile, note)
    for fixed in spec.fixed:
        if fixed.note:
            yield TableRow("", resource, fixed.element, profile, fixed.note)
    if isinstance(spec, ResourceMap):
        for link in spec.links:
            note = link.note or _LINK_NOTE[link.target]
            yield TableRow("", resource, link.element, profile, note)
    for entry in spec.fields:
        convert = entry.convert
        for name in entry.names:
            ref = resolve_field(spec.model, name)
            label = _label(prefix, ref.label)
            note = "; ".join(n for n in (entry.note, convert.describe if convert else "") if n)
            yield TableRow(label, resource, entry.shown or entry.element, profile, note)
        for nested, is_list in describe_target(convert):
            name = entry.names[0]
            field_label = _label(prefix, resolve_field(spec.model, name).label)
            sub_prefix = field_label + ("[]" if is_list else "")
            if isinstance(nested, ResourceMap):
                yield from _rows(nested, sub_prefix)
            else:
                for row in _rows(nested, sub_prefix):
                    if row.resource != nested.fhir_type:
                        # A resource the datatype refers to (a section's entries) keeps its rows.
                        yield row
                        continue
                    element = f"{entry.element}.{row.element}" if row.element else entry.element
                    yield TableRow(row.field, resource, element, profile, row.note)
    if isinstance(spec, ResourceMap):
        for companion in spec.companions:
            each = resolve_field(spec.model, companion.each).label if companion.each else ""
            sub_prefix = _label(prefix, each) + ("[]" if companion.each else "")
            yield TableRow(
                _label(prefix, each) or prefix,
                resource if companion.from_primary else companion.map.fhir_type,
                companion.link,
                profile if companion.from_primary else companion.map.profile,
                companion.note or f"links the {companion.map.fhir_type} made from the same record",
            )
            yield from _rows(companion.map, sub_prefix)


_LINK_NOTE: Final[Mapping[str, str]] = {
    "subject": "Reference to the Patient the record is about",
    "primary": "Reference to the resource this one accompanies",
}


def _label(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix and name else prefix or name


def resource_maps(mapping: DesignMapping) -> list[ResourceMap]:
    """Every resource map a design's mapping uses (the root first)."""
    from sharedsvc.fhir.converters import describe_target

    found: dict[int, ResourceMap] = {}
    pending: list[ObjectMap] = [mapping.root]
    while pending:
        spec = pending.pop(0)
        if isinstance(spec, ResourceMap):
            if id(spec) in found:
                continue
            found[id(spec)] = spec
            pending += [c.map for c in spec.companions]
        for entry in spec.fields:
            pending += [nested for nested, _ in describe_target(entry.convert)]
    return list(found.values())
