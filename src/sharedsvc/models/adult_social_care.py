"""Adult social care records (Care Act 2014 Part 1)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from sharedsvc.ig import NON_PERSONAL, PERSONAL, SPECIAL_CATEGORY, classified
from sharedsvc.models.base import Record, RecordId, Timestamp
from sharedsvc.models.common import HumanName, Organisation, Person, Practitioner, RelatedPerson
from sharedsvc.terminology import InValueSet

__all__ = [
    "Advocacy",
    "AssessmentType",
    "CareAndSupportPlan",
    "CarerOutcomeAssessment",
    "CarersAssessment",
    "ConsentToShare",
    "Contact",
    "EligibilityDecision",
    "IndependentAdvocate",
    "NeedsAssessment",
    "OutcomeAssessment",
    "Participant",
    "PersonalBudget",
    "PlannedService",
    "Referrer",
    "Review",
    "WellbeingImpact",
]


class Referrer(Record):
    """Who made the contact, when it was not the person themselves."""

    kind: Literal["family-or-carer", "professional", "friend-or-neighbour", "other"] = classified(
        NON_PERSONAL,
        "Who the referrer is to the person. A list local to sharedsvc: Client Level Data "
        "records the route of access, not the referrer.",
    )
    related_person: RelatedPerson | None = classified(
        PERSONAL, "The referrer, when a relative, carer, friend or neighbour.", None
    )
    practitioner: Practitioner | None = classified(
        PERSONAL, "The referrer, when a professional.", None
    )


class ConsentToShare(Record):
    """Whether the person agreed to information being shared with partner organisations."""

    status: Literal["given", "refused", "not-sought", "best-interests"] = classified(
        PERSONAL,
        "given / refused / not-sought / best-interests (shared without consent in the person's "
        "best interests or to protect them, Care Act 2014 s45 and UK GDPR Art 6(1)(e)). "
        "A list local to sharedsvc.",
    )
    recorded_at: Timestamp = classified(NON_PERSONAL, "When the decision was recorded.")
    scope: list[Literal["health", "social-care", "housing", "police", "voluntary-sector"]] = (
        classified(
            PERSONAL,
            "Which kinds of partner the consent covers (local to sharedsvc).",
            [],
            max_length=5,
        )
    )


class Contact(Record):
    """A first contact or referral to adult social care (a Client Level Data 'Request')."""

    id: RecordId = classified(NON_PERSONAL, "Identifier of the contact record.")
    council: Organisation = classified(
        NON_PERSONAL, "The council (local authority, by GSS code) the contact was made to."
    )
    received_at: Timestamp = classified(NON_PERSONAL, "When the contact was received.")
    person: Person = classified(PERSONAL, "The adult the contact is about.")
    route_of_access: Annotated[str, InValueSet("asc-request-route-of-access")] = classified(
        NON_PERSONAL,
        "How the request reached the council (Client Level Data Request_Route_of_Access).",
    )
    referrer: Referrer | None = classified(
        PERSONAL, "Who made the contact, if not the person.", None
    )
    reason: str = classified(
        SPECIAL_CATEGORY,
        "Why the contact was made, in the referrer's words. Usually describes health or "
        "disability, so special category.",
        min_length=1,
        max_length=4000,
    )
    urgency: Annotated[str, InValueSet("contact-urgency")] = classified(
        NON_PERSONAL, "How quickly the contact needs a response (local to sharedsvc)."
    )
    safeguarding_concern: bool = classified(
        PERSONAL,
        "Whether the contact raises a concern that the adult is experiencing, or at risk of, "
        "abuse or neglect (Care Act 2014 s42(1)).",
    )
    consent_to_share: ConsentToShare = classified(
        PERSONAL, "The person's decision on sharing information with partners."
    )
    outcome: Annotated[str, InValueSet("asc-request-outcome")] | None = classified(
        NON_PERSONAL, "What was decided (Client Level Data Event_Outcome for Requests).", None
    )
    decided_at: Timestamp | None = classified(NON_PERSONAL, "When the outcome was decided.", None)
    decided_by: Practitioner | None = classified(
        PERSONAL, "The practitioner who decided the outcome.", None
    )


# -- needs and carer's assessments (Care Act 2014 ss9-13) ------------------------------------

#: How an assessment was carried out. A list local to sharedsvc: the Care Act names supported
#: self-assessment (Care and Support (Assessment) Regulations 2014, SI 2014/2827, reg 2) and
#: joint or combined assessment with another body (s12(5)-(7)); the others are common practice.
AssessmentType = Literal["face-to-face", "remote", "supported-self-assessment", "joint"]

#: The decision recorded on eligibility (s13(1)). A list local to sharedsvc.
EligibilityDecision = Literal["eligible", "not-eligible"]


class IndependentAdvocate(Record):
    """An independent advocate arranged under Care Act 2014 s67(2)."""

    name: HumanName = classified(PERSONAL, "The advocate's name.")
    organisation: Organisation | None = classified(
        NON_PERSONAL, "The advocacy organisation the advocate works for.", None
    )


class Advocacy(Record):
    """Whether the person needs an independent advocate to be involved (Care Act 2014 s67)."""

    substantial_difficulty: bool = classified(
        SPECIAL_CATEGORY,
        "Whether the council considers the person would have substantial difficulty in "
        "understanding, retaining, using or weighing the relevant information, or in "
        "communicating their views, wishes or feelings (s67(4)). Reveals cognitive or "
        "communication impairment, so special category.",
    )
    appropriate_individual: bool | None = classified(
        PERSONAL,
        "Whether someone appropriate to represent and support the person, who is not paid "
        "or professionally engaged to care for them, is available (s67(5)). When true, no "
        "advocate need be arranged.",
        None,
    )
    advocate: IndependentAdvocate | None = classified(
        PERSONAL, "The independent advocate arranged, if any.", None
    )


class OutcomeAssessment(Record):
    """One eligibility outcome of SI 2015/313 reg 2(2), as assessed for an adult."""

    outcome: Annotated[str, InValueSet("eligibility-outcome")] = classified(
        NON_PERSONAL, "The outcome assessed: the letter of SI 2015/313 reg 2(2), 'a' to 'j'."
    )
    unable: bool = classified(
        SPECIAL_CATEGORY,
        "Whether the adult is unable to achieve the outcome because of their needs. Must "
        "agree with `circumstances`: unable exactly when at least one is recorded.",
    )
    circumstances: list[Annotated[str, InValueSet("unable-to-achieve-reason")]] = classified(
        SPECIAL_CATEGORY,
        "Why the adult is regarded as unable to achieve the outcome: the letters of "
        "SI 2015/313 reg 2(3), 'a' to 'd'. Empty when the adult can achieve it.",
        [],
        max_length=4,
    )
    notes: str | None = classified(
        SPECIAL_CATEGORY,
        "The assessor's evidence for the finding, in their words.",
        None,
        max_length=4000,
    )


class CarerOutcomeAssessment(Record):
    """One carer eligibility outcome of SI 2015/313 reg 3(2)(b), as assessed for a carer."""

    outcome: Annotated[str, InValueSet("carer-eligibility-outcome")] = classified(
        NON_PERSONAL,
        "The outcome assessed: the numeral of SI 2015/313 reg 3(2)(b), 'i' to 'viii'.",
    )
    unable: bool = classified(
        SPECIAL_CATEGORY,
        "Whether the carer is unable to achieve the outcome because of their caring. Must "
        "agree with `circumstances`: unable exactly when at least one is recorded.",
    )
    circumstances: list[Annotated[str, InValueSet("carer-unable-to-achieve-reason")]] = classified(
        SPECIAL_CATEGORY,
        "Why the carer is regarded as unable to achieve the outcome: the letters of "
        "SI 2015/313 reg 3(3), 'a' to 'c'. Empty when the carer can achieve it.",
        [],
        max_length=3,
    )
    notes: str | None = classified(
        SPECIAL_CATEGORY,
        "The assessor's evidence for the finding, in their words.",
        None,
        max_length=4000,
    )


class WellbeingImpact(Record):
    """The assessed consequence for the person's well-being (SI 2015/313 regs 2(1)(c), 3(1)(c))."""

    significance: Literal["significant", "likely-significant", "not-significant"] = classified(
        SPECIAL_CATEGORY,
        "Whether there is ('significant'), or is likely to be ('likely-significant'), a "
        "significant impact on the person's well-being, or neither. A list local to "
        "sharedsvc that follows the words of the regulations.",
    )
    areas: list[Annotated[str, InValueSet("wellbeing-area")]] = classified(
        SPECIAL_CATEGORY,
        "The areas of well-being affected: the letters of Care Act 2014 s1(2), 'a' to 'i'.",
        [],
        max_length=9,
    )
    notes: str | None = classified(
        SPECIAL_CATEGORY, "The assessor's reasoning, in their words.", None, max_length=4000
    )


class NeedsAssessment(Record):
    """A needs assessment (Care Act 2014 s9) and its eligibility determination (s13)."""

    id: RecordId = classified(NON_PERSONAL, "Identifier of the assessment record.")
    contact_id: RecordId | None = classified(
        NON_PERSONAL,
        "Identifier of the contact (adult-social-care/contact) the assessment came from; "
        "absent for a reassessment that followed a review.",
        None,
    )
    council: Organisation = classified(NON_PERSONAL, "The council carrying out the assessment.")
    person: Person = classified(PERSONAL, "The adult whose needs are assessed.")
    assessor: Practitioner = classified(PERSONAL, "The practitioner who carried it out.")
    assessment_type: AssessmentType = classified(
        NON_PERSONAL,
        "How the assessment was carried out: face-to-face / remote (telephone or video) / "
        "supported-self-assessment (SI 2014/2827 reg 2) / joint (with or combined with "
        "another body's assessment, Care Act 2014 s12(5)-(7)). A list local to sharedsvc.",
    )
    started_on: date = classified(NON_PERSONAL, "When the assessment began.")
    completed_on: date | None = classified(
        NON_PERSONAL, "When the assessment and eligibility determination were completed.", None
    )
    advocacy: Advocacy = classified(
        SPECIAL_CATEGORY, "Whether the adult needs an independent advocate (s67)."
    )
    needs_summary: str = classified(
        SPECIAL_CATEGORY,
        "The adult's needs for care and support, their strengths and the outcomes they want "
        "(s9(4)), in the assessor's words.",
        min_length=1,
        max_length=8000,
    )
    primary_support_reason: Annotated[str, InValueSet("asc-primary-support-reason")] | None = (
        classified(
            SPECIAL_CATEGORY,
            "The main reason the adult needs support (Client Level Data "
            "Primary_Support_Reason). Describes health or disability, so special category.",
            None,
        )
    )
    needs_from_impairment_or_illness: bool = classified(
        SPECIAL_CATEGORY,
        "Whether the adult's needs arise from or are related to a physical or mental "
        "impairment or illness (SI 2015/313 reg 2(1)(a)).",
    )
    outcomes: list[OutcomeAssessment] = classified(
        SPECIAL_CATEGORY,
        "Each of the ten outcomes of SI 2015/313 reg 2(2), once each, with whether the adult "
        "is unable to achieve it and why.",
        [],
        max_length=10,
    )
    wellbeing_impact: WellbeingImpact | None = classified(
        SPECIAL_CATEGORY,
        "The consequence for the adult's well-being (SI 2015/313 reg 2(1)(c)); absent until "
        "assessed.",
        None,
    )
    eligibility_decision: EligibilityDecision | None = classified(
        PERSONAL,
        "The council's determination (s13(1)): eligible / not-eligible (local to sharedsvc). "
        "It must agree with what the regulations give for the facts recorded.",
        None,
    )
    event_outcome: Annotated[str, InValueSet("asc-event-outcome")] | None = classified(
        NON_PERSONAL, "What happens next (Client Level Data Event_Outcome).", None
    )


class CarersAssessment(Record):
    """A carer's assessment (Care Act 2014 s10) and its eligibility determination (s13)."""

    id: RecordId = classified(NON_PERSONAL, "Identifier of the assessment record.")
    contact_id: RecordId | None = classified(
        NON_PERSONAL,
        "Identifier of the contact (adult-social-care/contact) the assessment came from, if any.",
        None,
    )
    council: Organisation = classified(NON_PERSONAL, "The council carrying out the assessment.")
    carer: Person = classified(PERSONAL, "The carer whose needs for support are assessed.")
    cared_for: Person = classified(
        PERSONAL, "The adult the carer provides, or intends to provide, care for (s10(3))."
    )
    cared_for_assessment_id: RecordId | None = classified(
        NON_PERSONAL,
        "Identifier of the cared-for adult's needs assessment, if there is one. A carer may be "
        "eligible whether or not the adult's own needs are eligible.",
        None,
    )
    assessor: Practitioner = classified(PERSONAL, "The practitioner who carried it out.")
    assessment_type: AssessmentType = classified(
        NON_PERSONAL,
        "How the assessment was carried out (see NeedsAssessment.assessment_type; local to "
        "sharedsvc).",
    )
    started_on: date = classified(NON_PERSONAL, "When the assessment began.")
    completed_on: date | None = classified(
        NON_PERSONAL, "When the assessment and eligibility determination were completed.", None
    )
    advocacy: Advocacy = classified(
        SPECIAL_CATEGORY, "Whether the carer needs an independent advocate (s67)."
    )
    hours_caring_per_week: int | None = classified(
        PERSONAL,
        "Hours a week the carer spends caring (Client Level Data Total_Hrs_Caring_per_week "
        "records a band; sharedsvc keeps the number).",
        None,
        ge=0,
        le=168,
    )
    needs_summary: str = classified(
        SPECIAL_CATEGORY,
        "The carer's needs for support, their willingness and ability to go on caring, and "
        "the outcomes they want (s10(5)-(6)), in the assessor's words.",
        min_length=1,
        max_length=8000,
    )
    needs_from_providing_necessary_care: bool = classified(
        SPECIAL_CATEGORY,
        "Whether the carer's needs arise as a consequence of providing necessary care for an "
        "adult (SI 2015/313 reg 3(1)(a)).",
    )
    health_deteriorating_or_at_risk: bool = classified(
        SPECIAL_CATEGORY,
        "Whether the carer's physical or mental health is, or is at risk of, deteriorating "
        "(SI 2015/313 reg 3(2)(a)).",
    )
    outcomes: list[CarerOutcomeAssessment] = classified(
        SPECIAL_CATEGORY,
        "Each of the eight outcomes of SI 2015/313 reg 3(2)(b), once each, with whether the "
        "carer is unable to achieve it and why.",
        [],
        max_length=8,
    )
    wellbeing_impact: WellbeingImpact | None = classified(
        SPECIAL_CATEGORY,
        "The consequence for the carer's well-being (SI 2015/313 reg 3(1)(c)); absent until "
        "assessed.",
        None,
    )
    eligibility_decision: EligibilityDecision | None = classified(
        PERSONAL,
        "The council's determination (s13(1)): eligible / not-eligible (local to sharedsvc). "
        "It must agree with what the regulations give for the facts recorded.",
        None,
    )
    event_outcome: Annotated[str, InValueSet("asc-event-outcome")] | None = classified(
        NON_PERSONAL, "What happens next (Client Level Data Event_Outcome).", None
    )


# -- care and support plan (s25-26) and review (s27) ---------------------------------------


class Participant(Record):
    """Someone involved in preparing or reviewing a plan (Care Act 2014 s25(3), s27(2)(b))."""

    role: Literal["adult", "carer", "advocate", "family-or-friend", "professional", "other"] = (
        classified(
            NON_PERSONAL,
            "Who took part: the adult (s25(3)(a)) / their carer (s25(3)(b)) / an advocate "
            "(s67) / family or friend or a professional the adult asked to involve "
            "(s25(3)(c)) / other. A list local to sharedsvc.",
        )
    )
    name: HumanName | None = classified(
        PERSONAL, "Their name; not needed for the adult, who is the plan's person.", None
    )


class PlannedService(Record):
    """A service the plan arranges to meet eligible needs (s25(1)(c))."""

    service_type: Annotated[str, InValueSet("asc-service-type")] = classified(
        NON_PERSONAL, "The kind of support (Client Level Data Service_Type)."
    )
    delivery_mechanism: Annotated[str, InValueSet("asc-delivery-mechanism")] = classified(
        NON_PERSONAL,
        "How it is arranged and paid for (Client Level Data Delivery_Mechanism).",
    )
    provider: Organisation | None = classified(
        NON_PERSONAL,
        "The provider, if the council commissions one (ODS code, or a GSS code for an "
        "in-house council service).",
        None,
    )
    description: str = classified(
        SPECIAL_CATEGORY,
        "What the service does for the person, e.g. visits to help with washing and meals. "
        "Describes care needs, so special category.",
        min_length=1,
        max_length=2000,
    )
    start_date: date = classified(NON_PERSONAL, "First day of the service.")
    end_date: date | None = classified(
        NON_PERSONAL, "Last day of the service, if it is planned to end.", None
    )
    weekly_cost_pence: int | None = classified(
        PERSONAL, "Planned cost a week, in pence.", None, ge=0
    )


class PersonalBudget(Record):
    """The personal budget (Care Act 2014 s26), in pence."""

    period: Literal["week", "year"] = classified(
        NON_PERSONAL,
        "The period the amounts are for: week / year. A list local to sharedsvc.",
    )
    total_pence: int = classified(
        PERSONAL, "The cost to the council of meeting the needs it is to meet (s26(1)(a)).", ge=0
    )
    person_contribution_pence: int = classified(
        PERSONAL,
        "The amount the adult must pay towards that cost, from the financial assessment "
        "(s26(1)(b), s14, s17).",
        ge=0,
    )
    council_contribution_pence: int = classified(
        PERSONAL, "The amount the council must pay towards that cost (s26(1)(c)).", ge=0
    )


class CareAndSupportPlan(Record):
    """A care and support plan (Care Act 2014 s25), with the personal budget (s26)."""

    id: RecordId = classified(NON_PERSONAL, "Identifier of the plan.")
    person: Person = classified(PERSONAL, "The adult the plan is for.")
    council: Organisation = classified(NON_PERSONAL, "The council that prepared the plan.")
    assessment_id: RecordId = classified(
        NON_PERSONAL,
        "Identifier of the needs assessment (adult-social-care/needs-assessment) whose eligible "
        "needs the plan meets.",
    )
    status: Literal["draft", "agreed", "active", "ended"] = classified(
        NON_PERSONAL,
        "draft / agreed (with the adult, s25(5)) / active (services under way) / ended. A "
        "list local to sharedsvc.",
    )
    start_date: date = classified(NON_PERSONAL, "When the plan takes effect.")
    end_date: date | None = classified(NON_PERSONAL, "When the plan ended, if it has.", None)
    review_due: date | None = classified(
        NON_PERSONAL, "When the plan is next due for review (s27(1)(a)).", None
    )
    care_coordinator: Practitioner | None = classified(
        PERSONAL, "The practitioner responsible for the plan.", None
    )
    eligible_needs_met: list[Annotated[str, InValueSet("eligibility-outcome")]] = classified(
        SPECIAL_CATEGORY,
        "The eligible needs the council is going to meet (s25(1)(b)-(c)), by the outcome of "
        "SI 2015/313 reg 2(2) each relates to.",
        [],
        max_length=10,
    )
    outcomes_wanted: list[str] = classified(
        SPECIAL_CATEGORY,
        "The outcomes the adult wants from day-to-day life, in their words (s9(4)(b)).",
        [],
        max_length=20,
    )
    services: list[PlannedService] = classified(
        SPECIAL_CATEGORY, "How the needs are to be met (s25(1)(c)).", [], max_length=50
    )
    personal_budget: PersonalBudget | None = classified(
        PERSONAL, "The personal budget (s25(1)(e), s26).", None
    )
    contingency_plan: str | None = classified(
        SPECIAL_CATEGORY,
        "What happens if the usual care fails, e.g. a carer is ill (statutory guidance ch 10).",
        None,
        max_length=4000,
    )
    involved: list[Participant] = classified(
        PERSONAL,
        "Who was involved in preparing the plan: the adult, any carer and anyone the adult "
        "asked to involve (s25(3)).",
        [],
        max_length=20,
    )


class Review(Record):
    """A review of a care and support plan (Care Act 2014 s27)."""

    id: RecordId = classified(NON_PERSONAL, "Identifier of the review record.")
    plan_id: RecordId = classified(
        NON_PERSONAL,
        "Identifier of the plan reviewed (adult-social-care/care-and-support-plan).",
    )
    person: Person = classified(PERSONAL, "The adult the plan is for.")
    council: Organisation = classified(NON_PERSONAL, "The council reviewing the plan.")
    reviewer: Practitioner = classified(PERSONAL, "The practitioner who carried it out.")
    review_type: Annotated[str, InValueSet("review-type")] = classified(
        NON_PERSONAL,
        "Planned or unplanned, of long or short term support (Client Level Data Review_Reason "
        "as grouped by DHSC).",
    )
    requested_by_adult: bool = classified(
        PERSONAL,
        "Whether the review was requested by or on behalf of the adult (s27(1)(b)).",
        False,
    )
    reason: str | None = classified(
        SPECIAL_CATEGORY,
        "Why an unplanned review was held, e.g. a hospital stay, in the reviewer's words.",
        None,
        max_length=2000,
    )
    started_on: date = classified(NON_PERSONAL, "When the review began.")
    completed_on: date | None = classified(NON_PERSONAL, "When the review concluded.", None)
    participants: list[Participant] = classified(
        PERSONAL,
        "Who took part; the adult, any carer and anyone the adult asked to involve must be "
        "involved when the plan is revised (s27(2)(b)).",
        [],
        max_length=20,
    )
    outcome: Literal["no-change", "plan-revised", "services-ended", "reassessment"] | None = (
        classified(
            NON_PERSONAL,
            "What the review decided: no-change / plan-revised (s27(2)) / services-ended / "
            "reassessment (circumstances have changed, s27(4)). A list local to sharedsvc; "
            "the Client Level Data outcome is `event_outcome`.",
            None,
        )
    )
    event_outcome: Annotated[str, InValueSet("asc-event-outcome")] | None = classified(
        NON_PERSONAL, "What happens next (Client Level Data Event_Outcome).", None
    )
    findings: str | None = classified(
        SPECIAL_CATEGORY,
        "What is working and what is not, in the reviewer's words.",
        None,
        max_length=8000,
    )
    next_review_due: date | None = classified(
        NON_PERSONAL, "When the plan is next due for review.", None
    )
