"""Assemble a shared care record from the records of other designs.

:func:`build_shared_care_record` takes the records one person has across
designs (adult social care contacts, care and support plans, hospital
discharges, safeguarding enquiries) and merges them into the summary of design
``integrated-care/shared-care-record``. Every element it outputs names its
source: design, record id, organisation and the time the source describes.

Two safeguards are built in:

* the records must all be about the same person, matched on NHS number; a
  mismatch raises :class:`PersonMismatchError`, whose message names record
  positions and design ids, never an NHS number or any other personal data;
* a safeguarding enquiry contributes a flag only (id, open or closed, date
  raised, organisation to contact): never its person, concern, abuse types,
  sources, outcomes or anyone named in it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Final, TypeVar

from pydantic import BaseModel

from sharedsvc.calendars import local_date
from sharedsvc.models.adult_social_care import CareAndSupportPlan, ConsentToShare, Contact
from sharedsvc.models.common import Organisation, Person, Practitioner
from sharedsvc.models.integrated_care import (
    CarePlanSummary,
    CareTeamMember,
    ConsentEntry,
    CurrentService,
    DischargeSummary,
    HospitalDischarge,
    KeyContact,
    Provenance,
    SafeguardingAlert,
    SharedCareRecord,
)
from sharedsvc.models.safeguarding import SafeguardingEnquiry

__all__ = [
    "CARE_PLAN_DESIGN",
    "CONTACT_DESIGN",
    "DISCHARGE_DESIGN",
    "SAFEGUARDING_DESIGN",
    "SHARED_CARE_RECORD_DESIGN",
    "PersonMismatchError",
    "SharedRecordError",
    "build_shared_care_record",
]

SHARED_CARE_RECORD_DESIGN: Final = "integrated-care/shared-care-record"
CONTACT_DESIGN: Final = "adult-social-care/contact"
CARE_PLAN_DESIGN: Final = "adult-social-care/care-and-support-plan"
SAFEGUARDING_DESIGN: Final = "adult-social-care/safeguarding"
DISCHARGE_DESIGN: Final = "integrated-care/hospital-discharge"

#: Care and support plan statuses in which the plan is in force (agreed or under way).
_PLAN_IN_FORCE: Final = frozenset({"agreed", "active"})
#: Discharge states in which the hospital stay is current (the trust is in the care team).
_IN_HOSPITAL: Final = frozenset({"in-hospital", "ready-for-discharge"})
#: Discharge states in which the discharge is still being worked on.
_DISCHARGE_OPEN: Final = frozenset({"in-hospital", "ready-for-discharge", "discharged-to-assess"})


class SharedRecordError(ValueError):
    """The records cannot be merged into one shared care record.

    Messages name record positions (1-based), design ids and record ids, which
    are not personal data; never a value from a record.
    """


class PersonMismatchError(SharedRecordError):
    """The records are not all about the same person, or one cannot be matched."""


@dataclass
class _Parts:
    """The elements collected from the source records, before sorting."""

    care_team: list[CareTeamMember] = field(default_factory=list)
    care_plans: list[CarePlanSummary] = field(default_factory=list)
    current_services: list[CurrentService] = field(default_factory=list)
    hospital_discharges: list[DischargeSummary] = field(default_factory=list)
    safeguarding_alerts: list[SafeguardingAlert] = field(default_factory=list)
    key_contacts: list[KeyContact] = field(default_factory=list)
    consents: list[ConsentEntry] = field(default_factory=list)


def build_shared_care_record(records: Sequence[BaseModel], *, as_of: datetime) -> SharedCareRecord:
    """Merge one person's records from other designs into a shared care record.

    ``records`` may hold :class:`~sharedsvc.models.adult_social_care.Contact`,
    :class:`~sharedsvc.models.adult_social_care.CareAndSupportPlan`,
    :class:`~sharedsvc.models.integrated_care.HospitalDischarge` and
    :class:`~sharedsvc.models.safeguarding.SafeguardingEnquiry` records, in any
    order. ``as_of`` (timezone-aware) is when the summary is generated: plans in
    force and services current on that day (UK local date) are listed, and no
    source may be dated after it.

    Each element's provenance gives the time its source describes: the latest
    event a record holds (a contact's decision, a discharge record's writing, a
    safeguarding record's latest step). A care and support plan records dates
    but no time of change, so its provenance time is ``as_of``, the time it was
    read.

    Raises :class:`PersonMismatchError` if the records do not all carry the same
    NHS number, :class:`SharedRecordError` if a record is dated after ``as_of`` or
    only safeguarding records are given, and :class:`TypeError` for a record of
    a kind this function does not merge.
    """
    if as_of.tzinfo is None or as_of.utcoffset() is None:
        raise ValueError("as_of must be timezone-aware")
    if not records:
        raise SharedRecordError("a shared care record needs at least one source record")
    sources = [_Source.of(position, record, as_of) for position, record in enumerate(records, 1)]
    _check_same_person(sources)
    for source in sources:
        if source.provenance.as_of > as_of:
            raise SharedRecordError(
                f"record {source.position} ({source.design} {source.record_id}) is dated "
                "after as_of"
            )
    identity = [s for s in sources if s.design != SAFEGUARDING_DESIGN]
    if not identity:
        raise SharedRecordError(
            "a shared care record needs a source other than a safeguarding enquiry: "
            "safeguarding records contribute a flag only, never the person's details"
        )
    # The newest record that holds the person's details supplies them; ties keep input order.
    person_source = max(identity, key=lambda s: (s.provenance.as_of, -s.position))
    parts = _Parts()
    for source in sources:
        source.contribute(parts, as_of)
    return SharedCareRecord(
        generated_at=as_of,
        person=person_source.person,
        person_provenance=person_source.provenance,
        care_team=_newest_first(parts.care_team),
        care_plans=_newest_first(parts.care_plans),
        current_services=_newest_first(parts.current_services),
        hospital_discharges=_newest_first(parts.hospital_discharges),
        safeguarding_alerts=_newest_first(parts.safeguarding_alerts),
        key_contacts=_newest_first(parts.key_contacts),
        consent_to_share=sorted(
            parts.consents,
            key=lambda c: (c.consent.recorded_at, c.provenance.as_of),
            reverse=True,
        ),
    )


_Element = TypeVar("_Element", bound=BaseModel)


def _newest_first(items: list[_Element]) -> list[_Element]:
    """Elements ordered by their source's time, newest first; stable for equal times."""
    return sorted(items, key=lambda i: _provenance_of(i).as_of, reverse=True)


def _provenance_of(item: BaseModel) -> Provenance:
    provenance = getattr(item, "provenance", None)
    if not isinstance(provenance, Provenance):  # pragma: no cover - every element has one
        raise TypeError(f"{type(item).__name__} has no provenance")
    return provenance


def _check_same_person(sources: Sequence[_Source]) -> None:
    first = sources[0]
    for source in sources:
        if source.nhs_number is None:
            raise PersonMismatchError(
                f"record {source.position} ({source.design} {source.record_id}) has no NHS "
                "number, so it cannot be matched to the same person"
            )
        if source.nhs_number != first.nhs_number:
            raise PersonMismatchError(
                f"records {first.position} and {source.position} are about different people: "
                f"the NHS numbers of {first.design} {first.record_id} and {source.design} "
                f"{source.record_id} differ"
            )


# -- one source record ----------------------------------------------------------------------

#: The source records this module merges (each has an ``id`` and a ``person``).
_Identified = Contact | CareAndSupportPlan | HospitalDischarge | SafeguardingEnquiry


@dataclass(frozen=True)
class _Source:
    """A source record with what the merge needs to know about it."""

    position: int
    record: BaseModel
    design: str
    record_id: str
    person: Person
    provenance: Provenance

    @property
    def nhs_number(self) -> str | None:
        return self.person.nhs_number

    @classmethod
    def of(cls, position: int, record: BaseModel, read_at: datetime) -> _Source:
        if isinstance(record, Contact):
            times = [record.received_at, record.decided_at]
            return cls._make(position, record, CONTACT_DESIGN, record.person, record.council, times)
        if isinstance(record, CareAndSupportPlan):
            return cls._make(
                position, record, CARE_PLAN_DESIGN, record.person, record.council, [read_at]
            )
        if isinstance(record, HospitalDischarge):
            return cls._make(
                position,
                record,
                DISCHARGE_DESIGN,
                record.person,
                record.author,
                [record.recorded_at],
            )
        if isinstance(record, SafeguardingEnquiry):
            enquiry = record.enquiry
            times = [
                record.concern_received_at,
                record.s42_decision.decided_at if record.s42_decision else None,
                enquiry.started_at if enquiry else None,
                enquiry.concluded_at if enquiry else None,
                record.closed_at,
            ]
            return cls._make(
                position, record, SAFEGUARDING_DESIGN, record.person, record.council, times
            )
        raise TypeError(f"build_shared_care_record cannot merge a {type(record).__name__}")

    @classmethod
    def _make(
        cls,
        position: int,
        record: _Identified,
        design: str,
        person: Person,
        organisation: Organisation,
        times: Sequence[datetime | None],
    ) -> _Source:
        provenance = Provenance(
            source_design=design,
            source_record_id=record.id,
            source_organisation=organisation,
            as_of=max(t for t in times if t is not None),
        )
        return cls(position, record, design, record.id, person, provenance)

    def contribute(self, parts: _Parts, as_of: datetime) -> None:
        """Add this record's elements to ``parts``."""
        record = self.record
        if isinstance(record, Contact):
            self._from_contact(record, parts)
        elif isinstance(record, CareAndSupportPlan):
            self._from_plan(record, parts, local_date(as_of))
        elif isinstance(record, HospitalDischarge):
            self._from_discharge(record, parts)
        elif isinstance(record, SafeguardingEnquiry):
            parts.safeguarding_alerts.append(self._flag(record))

    # -- per design -------------------------------------------------------------------------
    def _from_contact(self, contact: Contact, parts: _Parts) -> None:
        if contact.decided_by is not None:
            parts.care_team.append(
                self._member("Adult social care contact", contact.decided_by, contact.council)
            )
        if contact.referrer is not None and contact.referrer.related_person is not None:
            parts.key_contacts.append(
                KeyContact(
                    related_person=contact.referrer.related_person, provenance=self.provenance
                )
            )
        parts.consents.append(self._consent(contact.consent_to_share))

    def _from_plan(self, plan: CareAndSupportPlan, parts: _Parts, today: date) -> None:
        if plan.status not in _PLAN_IN_FORCE:
            return
        parts.care_plans.append(
            CarePlanSummary(
                plan_id=plan.id,
                council=plan.council,
                status=plan.status,
                start_date=plan.start_date,
                review_due=plan.review_due,
                service_count=len(plan.services),
                provenance=self.provenance,
            )
        )
        if plan.care_coordinator is not None:
            parts.care_team.append(
                self._member("Care co-ordinator", plan.care_coordinator, plan.council)
            )
        for service in plan.services:
            if service.start_date <= today and (
                service.end_date is None or today <= service.end_date
            ):
                parts.current_services.append(
                    CurrentService(
                        source_kind="care-and-support-plan",
                        service_type=service.service_type,
                        delivery_mechanism=service.delivery_mechanism,
                        description=service.description,
                        provider=service.provider,
                        start_date=service.start_date,
                        end_date=service.end_date,
                        provenance=self.provenance,
                    )
                )

    def _from_discharge(self, discharge: HospitalDischarge, parts: _Parts) -> None:
        parts.hospital_discharges.append(
            DischargeSummary(
                discharge_id=discharge.id,
                status=discharge.status,
                nhs_trust=discharge.nhs_trust,
                admitted_at=discharge.admitted_at,
                discharge_ready_date=discharge.discharge_ready_date,
                discharged_at=discharge.discharged_at,
                pathway=discharge.pathway,
                destination=discharge.destination,
                provenance=self.provenance,
            )
        )
        if discharge.status in _IN_HOSPITAL:
            parts.care_team.append(
                CareTeamMember(
                    role="Hospital care (responsible NHS trust)",
                    organisation=discharge.nhs_trust,
                    provenance=self.provenance,
                )
            )
        if discharge.receiving_team is not None and discharge.status in _DISCHARGE_OPEN:
            parts.care_team.append(
                CareTeamMember(
                    role="Receiving team after hospital discharge",
                    organisation=discharge.receiving_team,
                    provenance=self.provenance,
                )
            )
        transfer = discharge.transfer_of_care
        if transfer is not None:
            if discharge.status in _DISCHARGE_OPEN:
                for practitioner in transfer.professional_contacts:
                    parts.care_team.append(
                        self._member("Hospital discharge contact", practitioner, discharge.author)
                    )
            for related in transfer.key_contacts:
                parts.key_contacts.append(
                    KeyContact(related_person=related, provenance=self.provenance)
                )
        if (
            discharge.status == "discharged-to-assess"
            and discharge.pathway in ("1", "2", "3")
            and discharge.discharged_at is not None
        ):
            parts.current_services.append(
                CurrentService(
                    source_kind="discharge-to-assess",
                    service_type=f"discharge pathway {discharge.pathway}",
                    provider=discharge.receiving_team,
                    start_date=local_date(discharge.discharged_at),
                    provenance=self.provenance,
                )
            )
        parts.consents.append(self._consent(discharge.consent_to_share))

    def _flag(self, enquiry: SafeguardingEnquiry) -> SafeguardingAlert:
        # A flag only: the id, whether it is open, when it was raised and whom to contact.
        return SafeguardingAlert(
            alert_id=enquiry.id,
            status="closed" if enquiry.status == "closed" else "open",
            raised_on=local_date(enquiry.concern_received_at),
            contact_organisation=enquiry.council,
            provenance=self.provenance,
        )

    # -- shared pieces ----------------------------------------------------------------------
    def _member(
        self, role: str, practitioner: Practitioner, default: Organisation
    ) -> CareTeamMember:
        return CareTeamMember(
            role=role,
            organisation=practitioner.organisation or default,
            name=practitioner.name,
            practitioner_role=practitioner.role,
            provenance=self.provenance,
        )

    def _consent(self, consent: ConsentToShare) -> ConsentEntry:
        return ConsentEntry(consent=consent, provenance=self.provenance)
