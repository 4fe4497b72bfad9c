"""Adult safeguarding records: concerns and enquiries under Care Act 2014 s42.

A safeguarding record is the most sensitive record sharedsvc defines: it says
that an identifiable adult may be experiencing abuse or neglect, who raised the
concern, who may be the source of the risk and what the adult wants. Anything
that reveals health, disability, mental capacity or the kind of abuse (sexual
abuse reveals sex life) is classified special category; everything else about
the adult or the people around them is personal. Only the record id, the
organisations and the times of process events are non-personal, and only those
may leave the safeguarding design (the shared care record carries a flag, never
the detail).

Code lists follow the Safeguarding Adults Collection (SAC), so that councils can
complete their SAC return from these records.
"""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from sharedsvc.ig import NON_PERSONAL, PERSONAL, SPECIAL_CATEGORY, classified
from sharedsvc.models.base import Record, RecordId, Timestamp
from sharedsvc.models.common import Organisation, Person, Practitioner, RelatedPerson
from sharedsvc.terminology import InValueSet

__all__ = [
    "SAFEGUARDING_STATES",
    "ConcernSource",
    "MakingSafeguardingPersonal",
    "SafeguardingEnquiry",
    "SafeguardingStatus",
    "Section42Decision",
    "Section42Enquiry",
]

#: The states of the design's process, in order; a record's ``status`` is one of them.
SafeguardingStatus = Literal[
    "concern-received", "triage", "no-s42-duty", "enquiry", "enquiry-concluded", "closed"
]
SAFEGUARDING_STATES: tuple[str, ...] = get_args(SafeguardingStatus)


class ConcernSource(Record):
    """Who raised the safeguarding concern.

    The identity of whoever raises a concern is itself sensitive (they may be a
    relative, a neighbour or a member of staff raising it against an employer),
    so every field but the kind is personal.
    """

    kind: Literal[
        "adult-at-risk",
        "family-or-carer",
        "friend-or-neighbour",
        "professional",
        "member-of-public",
        "anonymous",
        "other",
    ] = classified(
        NON_PERSONAL,
        "Who raised the concern, relative to the adult. A list local to sharedsvc: the "
        "Safeguarding Adults Collection does not collect the source of a concern.",
    )
    organisation: Organisation | None = classified(
        PERSONAL,
        "The organisation a professional source works for. Personal here because, with "
        "the rest of the record, it can identify the person who raised the concern.",
        None,
    )
    practitioner: Practitioner | None = classified(
        PERSONAL, "The professional who raised the concern.", None
    )
    related_person: RelatedPerson | None = classified(
        PERSONAL, "The relative, carer, friend or neighbour who raised the concern.", None
    )


class Section42Decision(Record):
    """The decision whether the s42(1) enquiry duty applies: its three-part test.

    Care Act 2014 s42(1): the duty applies where the council has reasonable cause
    to suspect that an adult in its area (a) has needs for care and support,
    whether or not the council is meeting them, (b) is experiencing, or is at risk
    of, abuse or neglect, and (c) as a result of those needs is unable to protect
    themselves against the abuse or neglect or the risk of it.
    """

    has_care_and_support_needs: bool = classified(
        SPECIAL_CATEGORY,
        "s42(1)(a): reasonable cause to suspect the adult has needs for care and support "
        "(whether or not the council is meeting any of them). Reveals health or disability.",
    )
    experiencing_or_at_risk_of_abuse_or_neglect: bool = classified(
        SPECIAL_CATEGORY,
        "s42(1)(b): reasonable cause to suspect the adult is experiencing, or is at risk of, "
        "abuse or neglect.",
    )
    unable_to_protect_self: bool = classified(
        SPECIAL_CATEGORY,
        "s42(1)(c): reasonable cause to suspect that, as a result of those needs, the adult is "
        "unable to protect themselves against the abuse or neglect or the risk of it.",
    )
    duty_applies: bool = classified(
        SPECIAL_CATEGORY,
        "The decision: whether the s42 enquiry duty applies. True only when all three parts "
        "of the test are met (checked by a business rule).",
    )
    decided_at: Timestamp = classified(NON_PERSONAL, "When the decision was made.")
    decided_by: Practitioner | None = classified(
        PERSONAL, "The practitioner or manager who made the decision.", None
    )
    rationale: str | None = classified(
        SPECIAL_CATEGORY,
        "Why the decision was made, in the decision-maker's words.",
        None,
        min_length=1,
        max_length=4000,
    )


class Section42Enquiry(Record):
    """The enquiry the council makes, or causes another organisation to make (s42(2))."""

    started_at: Timestamp = classified(NON_PERSONAL, "When the enquiry started.")
    carried_out_by: Literal["council", "other-organisation"] = classified(
        NON_PERSONAL,
        "Whether the council made the enquiry itself or caused another organisation to make "
        "it (Care Act 2014 s42(2): 'make (or cause to be made)'). Local to sharedsvc.",
    )
    organisation: Organisation = classified(
        NON_PERSONAL,
        "The organisation making the enquiry: the council itself, or the body it caused to "
        "make it (an NHS trust by ODS code, say).",
    )
    lead_practitioner: Practitioner | None = classified(
        PERSONAL, "The practitioner leading the enquiry.", None
    )
    concluded_at: Timestamp | None = classified(
        NON_PERSONAL, "When the enquiry concluded; absent while it is under way.", None
    )
    action_and_result: Annotated[str, InValueSet("sac-action-and-result")] | None = classified(
        SPECIAL_CATEGORY,
        "What the enquiry found about risk and whether action was taken (SAC: action taken "
        "and result). Required when the enquiry concludes.",
        None,
    )
    risk_outcome: Annotated[str, InValueSet("sac-risk-outcome")] | None = classified(
        SPECIAL_CATEGORY,
        "Where a risk was identified and action taken: whether the risk remains, was reduced "
        "or was removed (SAC risk outcomes).",
        None,
    )


class MakingSafeguardingPersonal(Record):
    """What the adult wanted from the enquiry, and whether they got it (MSP)."""

    asked: Annotated[str, InValueSet("sac-msp-asked")] = classified(
        PERSONAL,
        "Whether the adult, or their representative, was asked what outcomes they wanted, "
        "and whether they expressed any (SAC / MSP outcomes framework question 1).",
    )
    desired_outcomes: str | None = classified(
        SPECIAL_CATEGORY,
        "The outcomes the adult wanted, in their words as far as possible.",
        None,
        min_length=1,
        max_length=4000,
    )
    outcomes_achieved: Annotated[str, InValueSet("sac-msp-outcome-achieved")] | None = classified(
        PERSONAL,
        "How far the expressed outcomes were achieved at the end of the enquiry. Recorded "
        "only where outcomes were expressed (checked by a business rule).",
        None,
    )


class SafeguardingEnquiry(Record):
    """A safeguarding concern about an adult and, if the s42 duty applies, its enquiry."""

    id: RecordId = classified(NON_PERSONAL, "Identifier of the safeguarding record.")
    council: Organisation = classified(
        NON_PERSONAL,
        "The council (by GSS code) whose s42 duty it is: the council for the area where the "
        "adult is. It is the organisation partners contact about the concern.",
    )
    status: SafeguardingStatus = classified(
        NON_PERSONAL,
        "Where the record is in the design's process (the process state ids, local to sharedsvc).",
    )
    person: Person = classified(PERSONAL, "The adult the concern is about.")
    concern_received_at: Timestamp = classified(
        NON_PERSONAL, "When the council received the concern."
    )
    concern_source: ConcernSource = classified(PERSONAL, "Who raised the concern.")
    contact_id: RecordId | None = classified(
        NON_PERSONAL,
        "The adult social care contact record (design adult-social-care/contact) that raised "
        "the concern, if it came through the front door.",
        None,
    )
    concern_summary: str = classified(
        SPECIAL_CATEGORY,
        "What the concern is, as reported. Describes alleged abuse, health and care, so "
        "special category.",
        min_length=1,
        max_length=4000,
    )
    types_of_abuse: list[Annotated[str, InValueSet("sac-type-of-abuse")]] = classified(
        SPECIAL_CATEGORY,
        "The kinds of abuse or neglect alleged or found (SAC type of risk). Sexual abuse and "
        "exploitation reveal sex life, so the whole list is special category.",
        [],
        max_length=11,
    )
    location_of_risk: Annotated[str, InValueSet("sac-location-of-risk")] | None = classified(
        SPECIAL_CATEGORY,
        "Where the abuse or neglect happened (SAC location of risk). A hospital or nursing "
        "home location reveals health, so special category.",
        None,
    )
    sources_of_risk: list[Annotated[str, InValueSet("sac-source-of-risk")]] = classified(
        PERSONAL,
        "Who the source of the risk was (SAC source of risk); more than one may apply.",
        [],
        max_length=3,
    )
    s42_decision: Section42Decision | None = classified(
        SPECIAL_CATEGORY,
        "The decision whether the s42 duty applies; absent until it is made.",
        None,
    )
    enquiry: Section42Enquiry | None = classified(
        SPECIAL_CATEGORY,
        "The s42(2) enquiry, when the duty applies.",
        None,
    )
    lacks_capacity: bool | None = classified(
        SPECIAL_CATEGORY,
        "Whether the adult was assessed as lacking capacity (Mental Capacity Act 2005 ss2-3) "
        "to make decisions about the safeguarding enquiry; absent if not assessed. Reveals "
        "mental health, so special category.",
        None,
    )
    substantial_difficulty_in_being_involved: bool | None = classified(
        SPECIAL_CATEGORY,
        "Whether the adult would experience substantial difficulty in understanding, "
        "retaining, using or weighing information, or communicating their views (Care Act "
        "2014 s67(4), applied to enquiries by s68).",
        None,
    )
    independent_advocate: Practitioner | None = classified(
        PERSONAL,
        "The independent advocate arranged under Care Act 2014 s68 to represent and support "
        "the adult in the enquiry.",
        None,
    )
    appropriate_individual: RelatedPerson | None = classified(
        PERSONAL,
        "An appropriate individual (not paid to care for the adult) who represents and "
        "supports them instead of an advocate, where s68 allows.",
        None,
    )
    making_safeguarding_personal: MakingSafeguardingPersonal | None = classified(
        PERSONAL, "Making Safeguarding Personal: desired outcomes and whether they were met.", None
    )
    closed_at: Timestamp | None = classified(NON_PERSONAL, "When the record was closed.", None)
