"""Integrated care records: hospital discharge and the shared care record.

Both records cross the line between the NHS and councils, so every
organisation is identified by its own code: NHS bodies by ODS code, councils by
ONS GSS code. A hospital discharge record names the organisation that wrote it
(``author``) and the one it is for (``recipient``), so that an NHS trust and a
council can each produce and consume it.

The shared care record is assembled from other designs' records by
:func:`sharedsvc.shared_record.build_shared_care_record`; every element in it
carries its provenance. Safeguarding enquiries contribute a flag only.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal, get_args

from pydantic import Field

from sharedsvc.ig import NON_PERSONAL, PERSONAL, SPECIAL_CATEGORY, classified
from sharedsvc.models.adult_social_care import ConsentToShare
from sharedsvc.models.base import Record, RecordId, Timestamp
from sharedsvc.models.common import HumanName, Organisation, Person, Practitioner, RelatedPerson
from sharedsvc.terminology import InValueSet

__all__ = [
    "DISCHARGE_STATES",
    "CarePlanSummary",
    "CareTeamMember",
    "ConsentEntry",
    "CurrentService",
    "DischargeStatus",
    "DischargeSummary",
    "HospitalDischarge",
    "KeyContact",
    "Provenance",
    "SafeguardingAlert",
    "SharedCareRecord",
    "TransferOfCare",
]

# -- hospital discharge ---------------------------------------------------------------------

#: The states of the hospital discharge process; a record's ``status`` is one of them.
DischargeStatus = Literal[
    "in-hospital",
    "ready-for-discharge",
    "discharged-home",
    "discharged-to-assess",
    "longer-term-needs-assessed",
    "spell-ended-otherwise",
]
DISCHARGE_STATES: tuple[str, ...] = get_args(DischargeStatus)

#: A free-text item of a transfer of care summary (health information, so special category).
_CareText = Annotated[str, Field(min_length=1, max_length=2000)]


class TransferOfCare(Record):
    """What the next care setting needs to know to care for the person safely.

    A summary for the receiving council or community team, drawing on the
    headings of the PRSB eDischarge Summary standard and on what the DHSC
    discharge guidance asks ward teams to pass on: how the person moves, what
    changed in their medicines, equipment, follow-up, and whom to call.
    """

    mobility: str | None = classified(
        SPECIAL_CATEGORY,
        "How the person moves and transfers, and with what help or aids.",
        None,
        min_length=1,
        max_length=2000,
    )
    care_needs: str | None = classified(
        SPECIAL_CATEGORY,
        "What support the person needs day to day, described by function rather than "
        "prescribing a service (as the discharge guidance asks of the ward team).",
        None,
        min_length=1,
        max_length=4000,
    )
    medication_changes: str | None = classified(
        SPECIAL_CATEGORY,
        "Summary of medicines started, stopped or changed in hospital (the full list travels "
        "in the clinical discharge summary to the GP).",
        None,
        min_length=1,
        max_length=4000,
    )
    equipment: list[_CareText] = classified(
        SPECIAL_CATEGORY,
        "Equipment provided or needed at the next setting (e.g. a hoist, a commode).",
        [],
        max_length=20,
    )
    follow_up: list[_CareText] = classified(
        SPECIAL_CATEGORY,
        "Follow-up arranged: appointments, tests, reviews, and who does them.",
        [],
        max_length=20,
    )
    key_contacts: list[RelatedPerson] = classified(
        PERSONAL,
        "Family members, carers or others the next setting should involve or contact.",
        [],
        max_length=10,
    )
    professional_contacts: list[Practitioner] = classified(
        PERSONAL,
        "Professionals to contact about the person's care (ward, discharge co-ordinator, "
        "community team).",
        [],
        max_length=10,
    )
    gp_discharge_summary_sent: bool | None = classified(
        PERSONAL,
        "Whether the clinical discharge summary has been sent to the person's GP.",
        None,
    )


class HospitalDischarge(Record):
    """A person's discharge from an acute or community hospital under discharge to assess."""

    id: RecordId = classified(NON_PERSONAL, "Identifier of the discharge record.")
    author: Organisation = classified(
        NON_PERSONAL,
        "The organisation that wrote this version of the record: the NHS trust (ODS code), "
        "the council (GSS code) or a joint care transfer hub's host.",
    )
    recipient: Organisation = classified(
        NON_PERSONAL, "The organisation this version of the record is sent to."
    )
    recorded_at: Timestamp = classified(
        NON_PERSONAL, "When the author wrote this version of the record."
    )
    status: DischargeStatus = classified(
        NON_PERSONAL,
        "Where the discharge is in the design's process (the process state ids, local to "
        "sharedsvc).",
    )
    person: Person = classified(PERSONAL, "The person in hospital.")
    nhs_trust: Organisation = classified(
        NON_PERSONAL,
        "The NHS trust or foundation trust responsible for the hospital stay (ODS code).",
    )
    hospital_site: Organisation | None = classified(
        NON_PERSONAL, "The hospital site, by its ODS site code.", None
    )
    receiving_team: Organisation | None = classified(
        NON_PERSONAL,
        "Who takes over care after discharge: the council's adult social care team (GSS code) "
        "or the community health provider (ODS code). Required for pathways 1 to 3.",
        None,
    )
    admitted_at: Timestamp = classified(
        NON_PERSONAL, "When the hospital provider spell began (admission)."
    )
    discharge_ready_date: date | None = classified(
        NON_PERSONAL,
        "The Discharge Ready Date: the date the multidisciplinary team judged the person no "
        "longer met the criteria to reside in hospital and was ready to leave (NHS England, "
        "collected for every inpatient staying one night or more from April 2023).",
        None,
    )
    discharged_at: Timestamp | None = classified(
        NON_PERSONAL, "When the person actually left hospital.", None
    )
    pathway: Annotated[str, InValueSet("discharge-pathway")] | None = classified(
        SPECIAL_CATEGORY,
        "The discharge to assess pathway (0 to 3). Reveals the person's care needs, so "
        "special category.",
        None,
    )
    destination: Annotated[str, InValueSet("discharge-destination")] | None = classified(
        SPECIAL_CATEGORY,
        "Where the person went (NHS Data Dictionary DISCHARGE DESTINATION CODE). Some codes "
        "reveal health, e.g. a ward for patients who are mentally ill.",
        None,
    )
    delay_reasons: list[Annotated[str, InValueSet("discharge-delay-reason")]] = classified(
        SPECIAL_CATEGORY,
        "Why the person stayed in hospital after their Discharge Ready Date (retired Delayed "
        "Transfers of Care reasons; see the value set). Only where there was a delay.",
        [],
        max_length=10,
    )
    transfer_of_care: TransferOfCare | None = classified(
        SPECIAL_CATEGORY,
        "What the next care setting needs to know. Required when the person leaves on "
        "pathways 1 to 3.",
        None,
    )
    consent_to_share: ConsentToShare = classified(
        PERSONAL,
        "The person's decision on sharing information between the trust, the council and "
        "other partners.",
    )


# -- shared care record ---------------------------------------------------------------------

#: A design id, '<domain>/<name>'.
DesignId = Annotated[
    str,
    Field(
        pattern=r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*/[a-z][a-z0-9]*(?:-[a-z0-9]+)*$",
        description="A sharedsvc design id, '<domain>/<name>'.",
    ),
]


class Provenance(Record):
    """Where an element of the shared care record came from."""

    source_design: DesignId = classified(
        NON_PERSONAL, "The design whose record the element was taken from."
    )
    source_record_id: RecordId = classified(
        NON_PERSONAL, "The identifier of that record in the system that holds it."
    )
    source_organisation: Organisation = classified(
        NON_PERSONAL, "The organisation that holds the source record."
    )
    as_of: Timestamp = classified(
        NON_PERSONAL, "The time the source record describes: its latest recorded event."
    )


class CareTeamMember(Record):
    """Someone in the person's care team, in any organisation."""

    role: str = classified(
        NON_PERSONAL,
        "The member's role in the person's care, e.g. 'Care co-ordinator'.",
        min_length=1,
        max_length=200,
    )
    organisation: Organisation = classified(
        NON_PERSONAL, "The organisation the member acts for (ODS or GSS code)."
    )
    name: HumanName | None = classified(
        PERSONAL, "The member's name, when the member is a named person.", None
    )
    practitioner_role: str | None = classified(
        NON_PERSONAL,
        "The named person's job title, e.g. 'Social worker'.",
        None,
        min_length=1,
        max_length=200,
    )
    provenance: Provenance = classified(NON_PERSONAL, "Where this member was recorded.")


class CarePlanSummary(Record):
    """A care and support plan, in summary (the plan itself stays with the council)."""

    plan_id: RecordId = classified(NON_PERSONAL, "Identifier of the care and support plan.")
    council: Organisation = classified(NON_PERSONAL, "The council that holds the plan.")
    status: str = classified(
        NON_PERSONAL,
        "The plan's status as its own design records it.",
        min_length=1,
        max_length=64,
    )
    start_date: date | None = classified(NON_PERSONAL, "When the plan started.", None)
    review_due: date | None = classified(NON_PERSONAL, "When the plan is next due review.", None)
    service_count: int = classified(NON_PERSONAL, "How many services the plan arranges.", ge=0)
    provenance: Provenance = classified(NON_PERSONAL, "Where this summary was taken from.")


class SafeguardingAlert(Record):
    """A flag that a safeguarding concern exists. Never its detail.

    A practitioner who sees the flag contacts the named organisation, which
    decides what, if anything, to share (Care Act 2014 s45; Care and Support
    Statutory Guidance chapter 14 on information sharing).
    """

    alert_id: RecordId = classified(
        NON_PERSONAL, "Identifier of the safeguarding record the flag stands for."
    )
    status: Literal["open", "closed"] = classified(
        PERSONAL,
        "Whether the safeguarding record is still open. Local to sharedsvc. Personal: it "
        "says something about the person.",
    )
    raised_on: date = classified(NON_PERSONAL, "The date the concern was received (UK local date).")
    contact_organisation: Organisation = classified(
        NON_PERSONAL, "The organisation to contact about the concern: the lead council."
    )
    provenance: Provenance = classified(NON_PERSONAL, "Where the flag came from.")


class CurrentService(Record):
    """A service the person is receiving now."""

    source_kind: Literal["care-and-support-plan", "discharge-to-assess"] = classified(
        NON_PERSONAL,
        "Which kind of record arranged the service. Local to sharedsvc.",
    )
    service_type: str = classified(
        SPECIAL_CATEGORY,
        "The service type as the source design codes it: a care and support plan service's "
        "type, or 'discharge pathway N' for discharge to assess support. Reveals care needs.",
        min_length=1,
        max_length=200,
    )
    delivery_mechanism: str | None = classified(
        NON_PERSONAL,
        "How the service is paid for or arranged, as the source design codes it.",
        None,
        min_length=1,
        max_length=200,
    )
    description: str | None = classified(
        SPECIAL_CATEGORY,
        "A short description of the service, as recorded at source.",
        None,
        min_length=1,
        max_length=2000,
    )
    provider: Organisation | None = classified(
        NON_PERSONAL, "The organisation providing the service, where known.", None
    )
    start_date: date | None = classified(NON_PERSONAL, "When the service started.", None)
    end_date: date | None = classified(NON_PERSONAL, "When the service ends, if planned.", None)
    provenance: Provenance = classified(NON_PERSONAL, "Where the service was recorded.")


class DischargeSummary(Record):
    """A hospital stay and discharge, in summary."""

    discharge_id: RecordId = classified(NON_PERSONAL, "Identifier of the discharge record.")
    status: DischargeStatus = classified(
        NON_PERSONAL,
        "Where the discharge is in its process (the process state ids of "
        "integrated-care/hospital-discharge, local to sharedsvc).",
    )
    nhs_trust: Organisation = classified(NON_PERSONAL, "The responsible NHS trust.")
    admitted_at: Timestamp = classified(NON_PERSONAL, "When the hospital stay began.")
    discharge_ready_date: date | None = classified(
        NON_PERSONAL, "The Discharge Ready Date, if set.", None
    )
    discharged_at: Timestamp | None = classified(
        NON_PERSONAL, "When the person left hospital.", None
    )
    pathway: Annotated[str, InValueSet("discharge-pathway")] | None = classified(
        SPECIAL_CATEGORY, "The discharge to assess pathway.", None
    )
    destination: Annotated[str, InValueSet("discharge-destination")] | None = classified(
        SPECIAL_CATEGORY, "Where the person went (NHS Data Dictionary code).", None
    )
    provenance: Provenance = classified(NON_PERSONAL, "Where this summary was taken from.")


class KeyContact(Record):
    """Someone close to the person whom practitioners may contact."""

    related_person: RelatedPerson = classified(PERSONAL, "The contact.")
    provenance: Provenance = classified(NON_PERSONAL, "Where this contact was recorded.")


class ConsentEntry(Record):
    """A decision the person made about sharing their information, and where it was recorded."""

    consent: ConsentToShare = classified(PERSONAL, "The decision and its scope.")
    provenance: Provenance = classified(NON_PERSONAL, "Where the decision was recorded.")


class SharedCareRecord(Record):
    """The integrated care record summary a practitioner in any organisation sees.

    Assembled from the records of other designs; every element names its
    source. Safeguarding enquiries appear only as flags.
    """

    generated_at: Timestamp = classified(
        NON_PERSONAL, "When the summary was assembled; it describes the person as of then."
    )
    person: Person = classified(PERSONAL, "The person the summary is about.")
    person_provenance: Provenance = classified(
        NON_PERSONAL,
        "The record the person's details were taken from (the most recent one that holds "
        "them; safeguarding records never supply them).",
    )
    care_team: list[CareTeamMember] = classified(
        PERSONAL, "The care team across the NHS and the council.", [], max_length=100
    )
    care_plans: list[CarePlanSummary] = classified(
        PERSONAL, "Care and support plans, in summary.", [], max_length=50
    )
    current_services: list[CurrentService] = classified(
        SPECIAL_CATEGORY, "Services the person is receiving now.", [], max_length=100
    )
    hospital_discharges: list[DischargeSummary] = classified(
        SPECIAL_CATEGORY, "Hospital stays and discharges, in summary.", [], max_length=50
    )
    safeguarding_alerts: list[SafeguardingAlert] = classified(
        PERSONAL,
        "Safeguarding flags: that a concern exists and whom to contact, never its detail.",
        [],
        max_length=50,
    )
    key_contacts: list[KeyContact] = classified(
        PERSONAL, "Family, carers and others close to the person.", [], max_length=50
    )
    consent_to_share: list[ConsentEntry] = classified(
        PERSONAL,
        "The person's decisions about sharing their information, newest first.",
        [],
        max_length=50,
    )
