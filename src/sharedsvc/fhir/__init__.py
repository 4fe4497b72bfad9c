"""FHIR R4 / NHS England UK Core mapping of sharedsvc designs.

Each design declares its mapping once (``sharedsvc.fhir.<domain>``); from it:

>>> from sharedsvc.fhir import mapping_table, to_fhir_json, from_fhir, validate_fhir
>>> rows = mapping_table("adult-social-care/contact")
>>> rows[0]["resource"]
'ServiceRequest'

* :func:`to_fhir` — a record as a fhir.resources R4B ``Bundle`` (the object API;
  needs the ``fhir`` extra); :func:`to_fhir_dict` and :func:`to_fhir_json` give the
  same Bundle as JSON without fhir.resources, fast enough for bulk use;
* :func:`from_fhir` — a Bundle (ours or another system's) back to the record;
* :func:`validate_fhir` — a :class:`~sharedsvc.validation.Report` on FHIR input:
  structure, the UK Core rules sharedsvc relies on, then the record's own rules;
* :func:`mapping_table` — the rows the docs site renders;
* :func:`case_to_fhir` / :func:`case_from_fhir` — a process case as a Task with
  Provenance.

The ``fhir.*`` issue codes live in :mod:`sharedsvc.codes` with every other code.
Importing this package loads nothing heavy: fhir.resources is imported only by
:func:`to_fhir`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sharedsvc.fhir.engine import FhirMappingError
from sharedsvc.validation import DEFAULT_LIMITS, Limits, Payload, Report

if TYPE_CHECKING:
    from pydantic import BaseModel

    from sharedsvc.models.common import Organisation
    from sharedsvc.process import Case, CouncilConfig

__all__ = [
    "FhirInputError",
    "FhirMappingError",
    "case_from_fhir",
    "case_to_fhir",
    "from_fhir",
    "mapped_designs",
    "mapping_table",
    "to_fhir",
    "to_fhir_dict",
    "to_fhir_json",
    "validate_fhir",
]


class FhirInputError(ValueError):
    """FHIR input that does not give a valid record; ``report`` says why."""

    def __init__(self, report: Report) -> None:
        self.report = report
        problems = "; ".join(f"{i.code} at {i.path or '/'}" for i in report.issues[:5])
        more = f" (and {len(report.issues) - 5} more)" if len(report.issues) > 5 else ""
        super().__init__(f"the FHIR input is not a valid {report.design} record: {problems}{more}")


def mapped_designs() -> list[str]:
    """The ids of the designs that have a FHIR mapping, sorted."""
    from sharedsvc.fhir.bundle import mapped_design_ids

    return mapped_design_ids()


def mapping_table(design_id: str) -> list[dict[str, str]] | None:
    """The mapping table of a design (field, resource, element, profile, note), or None."""
    from sharedsvc.fhir.bundle import mapping_or_none
    from sharedsvc.fhir.table import table_rows

    found = mapping_or_none(design_id)
    return None if found is None else [row.as_dict() for row in table_rows(found)]


def to_fhir_dict(record: BaseModel, design_id: str | None = None) -> dict[str, Any]:
    """The record as a FHIR Bundle (type collection), as JSON-ready dicts.

    Raises :class:`FhirMappingError` for a value FHIR cannot carry (an empty
    string, say) and TypeError for a record of a design with no mapping.
    """
    from sharedsvc.fhir.bundle import bundle_json

    return bundle_json(record, design_id)


def to_fhir_json(record: BaseModel, design_id: str | None = None) -> bytes:
    """The record as FHIR Bundle JSON bytes (compact), straight from the mapping."""
    from sharedsvc.fhir.bundle import bundle_bytes

    return bundle_bytes(record, design_id)


def to_fhir(record: BaseModel, design_id: str | None = None) -> Any:
    """The record as a fhir.resources R4B ``Bundle`` (install the ``fhir`` extra)."""
    from fhir.resources.R4B.bundle import Bundle

    from sharedsvc.fhir.bundle import bundle_json

    return Bundle.model_validate(bundle_json(record, design_id))


def from_fhir(
    data: Payload | Any, design_id: str | None = None, *, limits: Limits = DEFAULT_LIMITS
) -> BaseModel:
    """The record a FHIR Bundle (or resource) holds.

    ``data`` is bytes, str, a mapping, a path or a fhir.resources object. The
    design is taken from the Bundle's sharedsvc tag when ``design_id`` is not
    given. Raises :class:`FhirInputError` (with the full report) when the input
    does not give a record that its model accepts; the design's business rules
    are not applied here (use :func:`validate_fhir` for the full check).
    """
    from sharedsvc.fhir.bundle import design_from_tag
    from sharedsvc.fhir.validate import validate_fhir as _validate
    from sharedsvc.validation import make_issue, read_json

    if hasattr(data, "model_dump_json") and not isinstance(data, dict):
        data = data.model_dump_json()
    if design_id is None:
        parsed, problem = read_json(data, limits)
        if problem is not None:
            raise FhirInputError(Report("?", (problem,)))
        design_id = design_from_tag(parsed) if isinstance(parsed, dict) else None
        if design_id is None:
            issue = make_issue("fhir.resource-missing", "Bundle.meta.tag", expected="design tag")
            raise FhirInputError(Report("?", (issue,)))
        data = parsed
    report = _validate(design_id, data, limits=limits, rules=False)
    if not report.valid or report.record is None:
        raise FhirInputError(report)
    return report.record


def validate_fhir(
    design_id: str,
    data: Payload | Any,
    *,
    limits: Limits = DEFAULT_LIMITS,
    source: str | None = None,
) -> Report:
    """Validate FHIR input as a design's record; see :mod:`sharedsvc.fhir.validate`."""
    from sharedsvc.fhir.validate import validate_fhir as _validate

    return _validate(design_id, data, limits=limits, source=source)


def case_to_fhir(
    case: Case, *, owner: Organisation, record: BaseModel | None = None
) -> dict[str, Any]:
    """A process case as a Bundle of its Task, clock sub-Tasks and Provenances."""
    from sharedsvc.fhir.process import case_to_fhir as _case_to_fhir

    return _case_to_fhir(case, owner=owner, record=record)


def case_from_fhir(data: dict[str, Any], config: CouncilConfig | None = None) -> Case:
    """Rebuild a process case from the Bundle :func:`case_to_fhir` wrote."""
    from sharedsvc.fhir.process import case_from_fhir as _case_from_fhir

    return _case_from_fhir(data, config)
