"""Validate FHIR input for a design: structure, UK Core rules, then the record's own rules.

Stages, each run only when the one before leaves something to check:

1. read: the payload limits and JSON checks of :func:`sharedsvc.validation.read_json`;
2. structure: the compiled FHIR R4B check (same verdict as fhir.resources, plus
   required bindings), every problem with a FHIRPath-like location;
3. UK Core: the rules the mappings rely on (:mod:`sharedsvc.fhir.conformance`);
4. mapping: the design's mapping reads the canonical record, reporting resources
   it does not use (``fhir.unmapped-resource``) and references that do not resolve;
5. the record: :func:`sharedsvc.validation.validate` on the mapped record, its
   issues moved from JSON Pointers in the record to the FHIR elements they came from.

Stage 4 and 5 run only when the structure is sound: a record read from broken
FHIR would only repeat the structural problems in other words.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from typing import Any, Final

import orjson
from pydantic import ValidationError

from sharedsvc.fhir.bundle import entries_of, mapping, read_bundle
from sharedsvc.fhir.conformance import check_ukcore
from sharedsvc.fhir.engine import ReadContext, ResourceMap, read_resource
from sharedsvc.fhir.structure import Finding, checker
from sharedsvc.fhir.table import resource_maps
from sharedsvc.validation import (
    DEFAULT_LIMITS,
    Issue,
    Limits,
    Payload,
    Report,
    make_issue,
    read_json,
    report_from_error,
)
from sharedsvc.validation import validate as validate_record

__all__ = ["locate_pointer", "validate_fhir", "validate_resource"]

#: Codes that make the structure unsound, so the record is not read.
STRUCTURAL: Final = frozenset(
    {"fhir.structure", "fhir.element-unknown", "fhir.element-required", "fhir.value-format"}
)

#: The context name each finding's detail fills in its code's message.
_CONTEXT: Final = {
    "fhir.profile-missing": "expected",
    "fhir.identifier-system": "expected",
    "fhir.extension-missing": "expected",
    "fhir.resource-missing": "expected",
    "coding.unknown-code": "valueset",
    "coding.wrong-system": "valueset",
}


def finding_issue(finding: Finding) -> Issue:
    """The issue of a structural or UK Core finding."""
    key = _CONTEXT.get(finding.code, "detail")
    context = {key: finding.detail} if finding.detail else {}
    if finding.code == "fhir.value-format" and finding.detail:
        context = {"detail": finding.detail}
    return make_issue(finding.code, finding.path, **context)


def validate_fhir(
    design_id: str,
    data: Payload | Any,
    *,
    limits: Limits = DEFAULT_LIMITS,
    source: str | None = None,
    rules: bool = True,
) -> Report:
    """Validate a FHIR Bundle or single resource as a design's record.

    ``data`` is bytes or str (JSON), a mapping, a path, or a fhir.resources
    object. Invalid input is reported, never raised; an unmapped design id is
    a programming error (KeyError). With ``rules=False`` the record is checked
    against its model only, not the design's business rules (what
    :func:`sharedsvc.fhir.from_fhir` needs to return a record).
    """
    spec = mapping(design_id)
    profiled = frozenset(m.fhir_type for m in resource_maps(spec))
    if source is None and isinstance(data, os.PathLike):
        source = os.fspath(data)
    if hasattr(data, "model_dump_json") and not isinstance(data, dict):
        data = data.model_dump_json()
    parsed, problem = read_json(data, limits)
    if problem is not None:
        return Report(design_id, (problem,), source)
    if not isinstance(parsed, dict) or not isinstance(parsed.get("resourceType"), str):
        issue = make_issue(
            "fhir.structure",
            "",
            detail="expected a FHIR resource (a JSON object with resourceType)",
        )
        return Report(design_id, (issue,), source)
    found: list[Issue] = [finding_issue(f) for f in checker().check(parsed)]
    entries, base = entries_of(parsed)
    is_bundle = parsed["resourceType"] == "Bundle"
    found += [finding_issue(f) for f in check_ukcore(entries, base, is_bundle, profiled)]
    record = None
    if not any(i.code in STRUCTURAL for i in found):
        result = read_bundle(design_id, parsed)
        found += [make_issue(i.code, i.location, **i.context) for i in result.context.issues]
        if result.canonical is not None:
            if rules:
                report = validate_record(design_id, result.canonical, limits=limits)
            else:
                report = _model_only(design_id, result.canonical)
            locations = result.context.locations
            found += [
                _moved(issue, locate_pointer(issue.path, locations, result.root_location))
                for issue in report.issues
            ]
            record = report.record
    issues = tuple(_dedupe(found))
    valid = not any(i.severity.blocks for i in issues)
    return Report(design_id, issues, source, record if valid else None)


def _model_only(design_id: str, canonical: dict[str, Any]) -> Report:
    from sharedsvc.registry import default_registry

    model = default_registry().record_model(design_id)
    try:
        # As sharedsvc.validation reads canonical JSON: strict, from JSON text.
        record = model.model_validate_json(orjson.dumps(canonical), strict=True)
    except ValidationError as exc:
        return report_from_error(design_id, exc, None)
    return Report(design_id, (), None, record)


def validate_resource(
    spec: ResourceMap,
    data: Payload | Any,
    *,
    limits: Limits = DEFAULT_LIMITS,
) -> Report:
    """Validate one FHIR resource (or the first of its type in a Bundle) as a common record.

    The same stages as :func:`validate_fhir`, reading with one resource map (a
    Patient as a :class:`~sharedsvc.models.common.Person`, say) and checking the
    result against that map's model; there are no design rules to apply.
    """
    label = f"fhir:{spec.fhir_type}"
    if hasattr(data, "model_dump_json") and not isinstance(data, dict):
        data = data.model_dump_json()
    parsed, problem = read_json(data, limits)
    if problem is not None:
        return Report(label, (problem,))
    if not isinstance(parsed, dict) or not isinstance(parsed.get("resourceType"), str):
        return Report(label, (make_issue("fhir.structure", "", detail="expected a FHIR resource"),))
    found = [finding_issue(f) for f in checker().check(parsed)]
    entries, base = entries_of(parsed)
    profiled = frozenset({spec.fhir_type} | {c.map.fhir_type for c in spec.companions})
    is_bundle = parsed["resourceType"] == "Bundle"
    found += [finding_issue(f) for f in check_ukcore(entries, base, is_bundle, profiled)]
    record = None
    if not any(i.code in STRUCTURAL for i in found):
        ctx = ReadContext(entries, base)
        root = next(
            (n for n, (_, r) in enumerate(entries) if r.get("resourceType") == spec.fhir_type), None
        )
        if root is None:
            top = "Bundle" if is_bundle else base[0]
            found.append(make_issue("fhir.resource-missing", top, expected=spec.fhir_type))
        else:
            canonical: dict[str, Any] = {}
            read_resource(spec, root, ctx, "", canonical)
            found += [make_issue(i.code, i.location, **i.context) for i in ctx.issues]
            try:
                record = spec.model.model_validate_json(orjson.dumps(canonical), strict=True)
            except ValidationError as exc:
                report = report_from_error(label, exc, None)
                found += [
                    _moved(issue, locate_pointer(issue.path, ctx.locations, base[root]))
                    for issue in report.issues
                ]
    issues = tuple(_dedupe(found))
    valid = not any(i.severity.blocks for i in issues)
    return Report(label, issues, None, record if valid else None)


def locate_pointer(pointer: str, locations: dict[str, str], root: str) -> str:
    """The FHIR location a canonical JSON Pointer was read from (or its nearest parent's)."""
    current = pointer
    while current:
        if current in locations:
            return locations[current]
        current = current.rsplit("/", 1)[0]
    return root


def _moved(issue: Issue, location: str) -> Issue:
    shown = issue.path or "/"
    pattern = re.compile(r"(?<![\w/~.-])" + re.escape(shown) + r"(?![\w/~-])")
    message = pattern.sub(lambda _m: location, issue.message, count=1)
    return Issue(location, issue.code, message, issue.severity)


def _dedupe(issues: Iterable[Issue]) -> Iterator[Issue]:
    seen: set[tuple[str, str]] = set()
    for issue in issues:
        if (issue.code, issue.path) not in seen:
            seen.add((issue.code, issue.path))
            yield issue
