"""Business rules of ``integrated-care/hospital-discharge`` (discharge to assess)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Final

from sharedsvc.calendars import local_date
from sharedsvc.codes import Severity
from sharedsvc.models.integrated_care import HospitalDischarge
from sharedsvc.validation import business_rule

DESIGN = "integrated-care/hospital-discharge"

Findings = Iterator[tuple[str, Mapping[str, object]]]

_GUIDANCE = "DHSC Hospital discharge and community support guidance (January 2024), Annex B"

# Discharge destinations (NHS Data Dictionary DISCHARGE DESTINATION CODE) each pathway can
# lead to, from the pathway definitions of the guidance's Annex B. Messages never name the
# pathway or destination: both are special category values.
_HOME: Final = frozenset({"19", "29"})  # usual or temporary place of residence
_CARE_HOME: Final = frozenset({"54", "65", "85"})  # NHS, council or independent care home
_COMMUNITY_BED: Final = frozenset({"51", "87"})  # NHS or non-NHS hospital (community) bed
#: Pathways 0 and 1 go home, which includes a return to the person's own care home.
_DESTINATIONS_BY_PATHWAY: Final[Mapping[str, frozenset[str]]] = {
    "0": _HOME | _CARE_HOME,
    "1": _HOME | _CARE_HOME,
    "2": _CARE_HOME | _COMMUNITY_BED,
    "3": _CARE_HOME,
}
_DISCHARGED_STATES: Final = frozenset(
    {"discharged-home", "discharged-to-assess", "longer-term-needs-assessed"}
)


@business_rule(
    DESIGN,
    "hospital-discharge.dates-out-of-order",
    title="Discharge dates out of order",
    message="The date at {path} is earlier than {detail}.",
    source="NHS England Discharge Ready Date: a date within the hospital provider spell, on "
    "or before the date of discharge",
)
def dates_in_order(record: HospitalDischarge) -> Findings:
    """The Discharge Ready Date falls on or after the day of admission; the person leaves
    hospital after admission and on or after their Discharge Ready Date; and a version of
    the record is not written before the events it records."""
    admitted_on = local_date(record.admitted_at)
    ready = record.discharge_ready_date
    if ready is not None and ready < admitted_on:
        yield "/dischargeReadyDate", {"detail": "the day of admission"}
    if record.discharged_at is not None:
        if record.discharged_at < record.admitted_at:
            yield "/dischargedAt", {"detail": "the admission"}
        elif ready is not None and local_date(record.discharged_at) < ready:
            yield "/dischargedAt", {"detail": "the Discharge Ready Date"}
    latest = max(record.admitted_at, record.discharged_at or record.admitted_at)
    if record.recorded_at < latest:
        yield "/recordedAt", {"detail": "the admission or discharge it records"}


def _days_delayed(record: HospitalDischarge) -> int | None:
    """Days from the Discharge Ready Date to discharge, or to when the record was written.

    None when there is no Discharge Ready Date, or it is before admission and so cannot
    measure a delay (the dates rule reports that).
    """
    ready = record.discharge_ready_date
    if ready is None or ready < local_date(record.admitted_at):
        return None
    end = record.discharged_at or record.recorded_at
    return (local_date(end) - ready).days


@business_rule(
    DESIGN,
    "hospital-discharge.delay-reason-without-delay",
    title="Delay reason recorded without a delay",
    message="Reasons for delay are recorded at {path}, but {detail}.",
    source="NHS England discharge delays: a delay is time in hospital after the Discharge "
    "Ready Date",
)
def delay_reasons_need_delay(record: HospitalDischarge) -> Findings:
    """Reasons for delay are recorded only when the person left hospital after their
    Discharge Ready Date, or is still in hospital past it."""
    if not record.delay_reasons:
        return
    if record.discharge_ready_date is None:
        yield "/delayReasons", {"detail": "no Discharge Ready Date is recorded"}
        return
    days = _days_delayed(record)
    if days is not None and days <= 0:
        yield "/delayReasons", {"detail": "the person was not in hospital after that date"}


@business_rule(
    DESIGN,
    "hospital-discharge.delay-reason-missing",
    title="Delay without a reason",
    message="The person was in hospital after their Discharge Ready Date; record why at {path}.",
    source="NHS England discharge situation reports count reasons for delay",
    severity=Severity.WARNING,
)
def delay_has_reason(record: HospitalDischarge) -> Findings:
    """A person still in hospital after their Discharge Ready Date, or discharged later than
    it, should have a reason for the delay recorded."""
    days = _days_delayed(record)
    if days is not None and days > 0 and not record.delay_reasons:
        yield "/delayReasons", {}


@business_rule(
    DESIGN,
    "hospital-discharge.pathway-destination-mismatch",
    title="Destination does not fit the pathway",
    message="The destination at {path} does not fit the discharge pathway recorded.",
    source=_GUIDANCE,
)
def destination_fits_pathway(record: HospitalDischarge) -> Findings:
    """The destination fits the pathway: pathways 0 and 1 go home (or back to the person's
    own care home), pathway 2 to a community bed (care home or community hospital) and
    pathway 3 to a care home for 24-hour care."""
    if record.pathway is None or record.destination is None:
        return
    if record.destination not in _DESTINATIONS_BY_PATHWAY[record.pathway]:
        yield "/destination", {}


@business_rule(
    DESIGN,
    "hospital-discharge.receiving-team-missing",
    title="No receiving team for supported discharge",
    message="The discharge pathway recorded (1, 2 or 3) needs the receiving team at {path}.",
    source=_GUIDANCE + ": pathways 1 to 3 are co-ordinated with the team that takes over care",
)
def receiving_team_for_supported_pathways(record: HospitalDischarge) -> Findings:
    """Pathways 1 to 3 hand care to a council or community team, which must be named."""
    if record.pathway in ("1", "2", "3") and record.receiving_team is None:
        yield "/receivingTeam", {}


@business_rule(
    DESIGN,
    "hospital-discharge.transfer-of-care-missing",
    title="No transfer of care information",
    message="The person left hospital on a supported pathway (1, 2 or 3) without transfer of "
    "care information at {path}.",
    source="DHSC Hospital discharge and community support guidance (January 2024): the "
    "receiving service needs the information to continue care safely",
)
def transfer_of_care_for_supported_pathways(record: HospitalDischarge) -> Findings:
    """When a person leaves hospital on pathways 1 to 3, the record carries what the next
    care setting needs to know."""
    if (
        record.discharged_at is not None
        and record.pathway in ("1", "2", "3")
        and record.transfer_of_care is None
    ):
        yield "/transferOfCare", {}


@business_rule(
    DESIGN,
    "hospital-discharge.trust-not-identified",
    title="NHS trust without an ODS code",
    message="The NHS trust at {path} needs its ODS code.",
    source="NHS England Organisation Data Service: NHS trusts are identified by ODS code",
)
def trust_has_ods_code(record: HospitalDischarge) -> Findings:
    """The responsible NHS trust is identified by its ODS code (a GSS code is a council's)."""
    if record.nhs_trust.ods_code is None:
        yield "/nhsTrust/odsCode", {}


@business_rule(
    DESIGN,
    "hospital-discharge.status-inconsistent",
    title="Status does not match what is recorded",
    message="The status '{state}' needs {detail} at {path}.",
    source="sharedsvc design: the process states of integrated-care/hospital-discharge",
)
def status_matches_content(record: HospitalDischarge) -> Findings:
    """A record's status matches its content: a discharged status needs the time of
    discharge, a pathway and a destination (pathway 0 for a simple discharge home, 1 to 3
    for discharge to assess); ready-for-discharge needs a Discharge Ready Date; a person
    still in hospital has no discharge time."""
    status = record.status
    ctx = {"state": status}
    if status in _DISCHARGED_STATES:
        for field, path in (
            (record.discharged_at, "/dischargedAt"),
            (record.pathway, "/pathway"),
            (record.destination, "/destination"),
        ):
            if field is None:
                yield path, {**ctx, "detail": "a value"}
        if status == "discharged-home" and record.pathway not in (None, "0"):
            yield "/pathway", {**ctx, "detail": "pathway 0"}
        if status != "discharged-home" and record.pathway == "0":
            yield "/pathway", {**ctx, "detail": "pathway 1, 2 or 3"}
    elif status in ("in-hospital", "ready-for-discharge") and record.discharged_at is not None:
        yield "/dischargedAt", {**ctx, "detail": "no discharge time (the person is in hospital)"}
    if status == "ready-for-discharge" and record.discharge_ready_date is None:
        yield "/dischargeReadyDate", {**ctx, "detail": "the Discharge Ready Date"}
