"""Business rules of ``integrated-care/shared-care-record``."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Final

from sharedsvc.codes import Severity
from sharedsvc.models.integrated_care import Provenance, SharedCareRecord
from sharedsvc.validation import business_rule

DESIGN = "integrated-care/shared-care-record"

Findings = Iterator[tuple[str, Mapping[str, object]]]

SAFEGUARDING_DESIGN: Final = "adult-social-care/safeguarding"
DISCHARGE_DESIGN: Final = "integrated-care/hospital-discharge"


def _provenances(record: SharedCareRecord) -> Iterator[tuple[str, Provenance]]:
    """Every provenance in the record, with the JSON Pointer of the element it belongs to."""
    yield "/personProvenance", record.person_provenance
    sections: Iterable[tuple[str, Iterable[object]]] = (
        ("careTeam", record.care_team),
        ("carePlans", record.care_plans),
        ("currentServices", record.current_services),
        ("hospitalDischarges", record.hospital_discharges),
        ("safeguardingAlerts", record.safeguarding_alerts),
        ("keyContacts", record.key_contacts),
        ("consentToShare", record.consent_to_share),
    )
    for name, items in sections:
        for index, item in enumerate(items):
            provenance = getattr(item, "provenance", None)
            if isinstance(provenance, Provenance):
                yield f"/{name}/{index}/provenance", provenance


@business_rule(
    DESIGN,
    "shared-care-record.source-after-generation",
    title="Source newer than the summary",
    message="The source at {path} is dated after the summary was generated.",
    source="sharedsvc design: a summary describes its sources as of the time it was generated",
)
def sources_not_after_generation(record: SharedCareRecord) -> Findings:
    """No element may come from a source record dated after the summary was generated."""
    for path, provenance in _provenances(record):
        if provenance.as_of > record.generated_at:
            yield path + "/asOf", {}


@business_rule(
    DESIGN,
    "shared-care-record.wrong-source-design",
    title="Element taken from the wrong kind of record",
    message="The element at {path} must come from design {detail}.",
    source="sharedsvc design: safeguarding flags come only from safeguarding records, "
    "discharge summaries only from hospital discharge records",
)
def elements_from_their_designs(record: SharedCareRecord) -> Findings:
    """Safeguarding flags come only from safeguarding records, discharge summaries only from
    hospital discharge records; and safeguarding records never supply the person's details."""
    for index, alert in enumerate(record.safeguarding_alerts):
        if alert.provenance.source_design != SAFEGUARDING_DESIGN:
            path = f"/safeguardingAlerts/{index}/provenance/sourceDesign"
            yield path, {"detail": SAFEGUARDING_DESIGN}
    for index, discharge in enumerate(record.hospital_discharges):
        if discharge.provenance.source_design != DISCHARGE_DESIGN:
            path = f"/hospitalDischarges/{index}/provenance/sourceDesign"
            yield path, {"detail": DISCHARGE_DESIGN}
    if record.person_provenance.source_design == SAFEGUARDING_DESIGN:
        yield "/personProvenance/sourceDesign", {"detail": "other than " + SAFEGUARDING_DESIGN}


@business_rule(
    DESIGN,
    "shared-care-record.duplicate-element",
    title="The same source record summarised twice",
    message="The element at {path} repeats a source record already summarised in the same section.",
    source="sharedsvc design: one summary per source record",
)
def no_duplicate_summaries(record: SharedCareRecord) -> Findings:
    """Care plans, discharges and safeguarding flags each summarise a source record once."""
    sections: Iterable[tuple[str, Iterable[object]]] = (
        ("carePlans", record.care_plans),
        ("hospitalDischarges", record.hospital_discharges),
        ("safeguardingAlerts", record.safeguarding_alerts),
    )
    for name, items in sections:
        seen: set[tuple[str, str]] = set()
        for index, item in enumerate(items):
            provenance = getattr(item, "provenance", None)
            if not isinstance(provenance, Provenance):
                continue
            key = (provenance.source_design, provenance.source_record_id)
            if key in seen:
                yield f"/{name}/{index}", {}
            seen.add(key)


@business_rule(
    DESIGN,
    "shared-care-record.consent-refused",
    title="The person's latest decision refuses sharing",
    message="The newest consent decision at {path} refuses sharing; check the lawful basis "
    "and the common law duty of confidentiality before showing this summary.",
    source="UK GDPR Art 6(1)(e) and 9(2)(h) do not rest on consent, but the common law duty "
    "of confidentiality and the person's wishes still apply",
    severity=Severity.WARNING,
)
def latest_consent_not_refused(record: SharedCareRecord) -> Findings:
    """When the person's most recent decision about sharing is a refusal, the summary is
    flagged for a check before it is shown."""
    if not record.consent_to_share:
        return
    newest = max(
        range(len(record.consent_to_share)),
        key=lambda i: record.consent_to_share[i].consent.recorded_at,
    )
    if record.consent_to_share[newest].consent.status == "refused":
        yield f"/consentToShare/{newest}/consent/status", {}
