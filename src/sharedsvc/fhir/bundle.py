"""Records to FHIR Bundles and back, driven by each design's declared mapping.

This is the fast path: records become FHIR JSON (dicts, then bytes through
orjson) straight from the mapping, without building fhir.resources objects.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache
from typing import Any, Final

import orjson
from pydantic import BaseModel

from sharedsvc.fhir import ukcore
from sharedsvc.fhir.engine import (
    DesignMapping,
    EmitContext,
    ReadContext,
    deterministic_uuid,
    emit_resource,
    read_resource,
    record_key,
    subject_reference,
)

__all__ = [
    "DESIGN_TAG_SYSTEM",
    "MAPPING_MODULES",
    "ReadResult",
    "bundle_json",
    "design_of",
    "mapped_design_ids",
    "mapping",
    "mapping_or_none",
    "read_bundle",
]

#: Bundle.meta.tag system naming the design a Bundle carries.
DESIGN_TAG_SYSTEM: Final = "urn:sharedsvc:design"

#: The module declaring each domain's mappings (a ``MAPPINGS`` dict by design id).
MAPPING_MODULES: Final = (
    "sharedsvc.fhir.adult_social_care",
    "sharedsvc.fhir.assessments",
    "sharedsvc.fhir.plans",
    "sharedsvc.fhir.safeguarding",
    "sharedsvc.fhir.integrated_care",
    "sharedsvc.fhir.shared_record",
)


@cache
def _all_mappings() -> dict[str, DesignMapping]:
    found: dict[str, DesignMapping] = {}
    for name in MAPPING_MODULES:
        module = importlib.import_module(name)
        found.update(module.MAPPINGS)
    return found


def mapped_design_ids() -> list[str]:
    """The ids of the designs with a FHIR mapping, sorted."""
    return sorted(_all_mappings())


def mapping_or_none(design_id: str) -> DesignMapping | None:
    """The design's FHIR mapping, or None if it has none."""
    return _all_mappings().get(design_id)


def mapping(design_id: str) -> DesignMapping:
    """The design's FHIR mapping (KeyError naming the mapped designs if none)."""
    found = mapping_or_none(design_id)
    if found is None:
        known = ", ".join(sorted(_all_mappings()))
        raise KeyError(f"design '{design_id}' has no FHIR mapping; mapped designs: {known}")
    return found


@cache
def _design_by_model() -> dict[type[BaseModel], str]:
    return {m.root.model: design_id for design_id, m in _all_mappings().items()}


def design_of(record: BaseModel) -> str:
    """The design whose record ``record`` is."""
    design_id = _design_by_model().get(type(record))
    if design_id is None:
        raise TypeError(f"no FHIR mapping for a {type(record).__name__} record")
    return design_id


@cache
def _design_version(design_id: str) -> str:
    from sharedsvc.registry import default_registry

    return default_registry().get(design_id).version


def bundle_json(
    record: BaseModel, design_id: str | None = None, *, share: bool = False
) -> dict[str, Any]:
    """The FHIR Bundle (type collection) of a record, as JSON-ready dicts.

    With ``share`` the dicts may share constant parts between Bundles (fine when
    they are serialised at once, as :func:`bundle_bytes` does; not if you edit them).
    """
    design_id = design_id or design_of(record)
    spec = mapping(design_id)
    key = record_key(design_id, record)
    ctx = EmitContext(key, share=share)
    ctx.record = record
    ctx.subject = subject_reference(spec, ctx)
    emit_resource(spec.root, record, ctx, "", None)
    return {
        "resourceType": "Bundle",
        "id": deterministic_uuid(key + "|bundle"),
        "meta": {
            "profile": [ukcore.profile("Bundle")],
            "tag": [
                {
                    "system": DESIGN_TAG_SYSTEM,
                    "version": _design_version(design_id),
                    "code": design_id,
                }
            ],
        },
        "type": "collection",
        "entry": ctx.entries,
    }


def bundle_bytes(record: BaseModel, design_id: str | None = None) -> bytes:
    """The FHIR Bundle of a record as compact JSON bytes (the bulk path)."""
    return orjson.dumps(bundle_json(record, design_id, share=True))


@dataclass
class ReadResult:
    """What reading a FHIR payload gave: the canonical JSON and how it was found."""

    design_id: str
    canonical: dict[str, Any] | None
    context: ReadContext
    root_location: str


def entries_of(data: dict[str, Any]) -> tuple[list[tuple[str, dict[str, Any]]], list[str]]:
    """The resources of a Bundle (or of a single resource) with their locations."""
    if data.get("resourceType") != "Bundle":
        return [("", data)], [str(data.get("resourceType", "Resource"))]
    entries: list[tuple[str, dict[str, Any]]] = []
    base: list[str] = []
    for number, entry in enumerate(data.get("entry") or []):
        if not isinstance(entry, dict) or not isinstance(entry.get("resource"), dict):
            continue
        full_url = entry.get("fullUrl")
        entries.append((full_url if isinstance(full_url, str) else "", entry["resource"]))
        base.append(f"Bundle.entry[{number}].resource")
    return entries, base


def design_from_tag(data: dict[str, Any]) -> str | None:
    """The design a Bundle names in its meta.tag, if any."""
    for tag in (data.get("meta") or {}).get("tag") or []:
        if isinstance(tag, dict) and tag.get("system") == DESIGN_TAG_SYSTEM:
            code = tag.get("code")
            return code if isinstance(code, str) else None
    return None


def read_bundle(design_id: str, data: dict[str, Any]) -> ReadResult:
    """Read a FHIR Bundle or resource into the design's canonical JSON.

    The first resource of the type the design's record maps to is read;
    resources the mapping does not reach are reported as unmapped.
    """
    spec = mapping(design_id)
    entries, base = entries_of(data)
    ctx = ReadContext(entries, base)
    root_type = spec.root.fhir_type
    root = next((n for n, (_, r) in enumerate(entries) if r.get("resourceType") == root_type), None)
    top = "Bundle" if data.get("resourceType") == "Bundle" else base[0]
    if root is None:
        ctx.issue("fhir.resource-missing", top, expected=root_type)
        return ReadResult(design_id, None, ctx, top)
    canonical: dict[str, Any] = {}
    read_resource(spec.root, root, ctx, "", canonical)
    for number in range(len(entries)):
        if number not in ctx.consumed:
            ctx.issue("fhir.unmapped-resource", base[number])
    return ReadResult(design_id, canonical, ctx, base[root])
