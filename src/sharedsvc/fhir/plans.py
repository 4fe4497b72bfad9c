"""Mappings of the care and support plan (Care Act 2014 s25-26) and its review (s27).

A **care and support plan** is a UKCore-CarePlan with the resources FHIR gives
each part of it:

* **UKCore-CarePlan** — the plan: for whom (``subject``), prepared by which
  council (``author``), from which needs assessment (``supportingInfo``, by
  identifier), in force when (``period``), the services that meet the needs
  as ``activity`` (one per service: the Client Level Data service type as
  ``detail.code``, the provider as ``detail.performer``, its dates as
  ``detail.scheduledPeriod``, what it does as ``detail.description``);
* **UKCore-Condition** — one per eligible need the council is going to meet
  (s25(1)(b)-(c)), coded with the outcome of SI 2015/313 reg 2(2) the need
  relates to, and listed in the plan's ``addresses``: FHIR's place for "the
  problems this plan manages";
* **Goal** — one per outcome the adult wants, in their words, in the plan's
  ``goal``. UK Core profiles no Goal, so these claim the base FHIR R4 Goal
  profile;
* **UKCore-CareTeam** — who prepared the plan with the council (s25(3)): the
  care co-ordinator (a PractitionerRole) and everyone involved, each with their
  role in a list local to sharedsvc. A named professional or advocate is a
  Practitioner; a named carer, family member, friend or the adult (written as
  v3 RoleCode ONESELF) is a RelatedPerson. Someone involved without a name is a
  role alone.

FHIR has no element for five parts of a plan, so they are extensions local to
sharedsvc (``urn:sharedsvc:fhir:extension:<name>``), named so in the mapping
table: the plan's own status, the personal budget (s26; a complex extension of
Money amounts in pounds sterling), the contingency plan, the date the plan is
next due for review, and each service's delivery mechanism and weekly cost.
``CarePlan.status`` is derived from the plan's status for FHIR readers, but
cannot be read back: FHIR's ``active`` is both an agreed plan and one whose
services are under way.

A **review** is an assessment-like event, mapped as the assessments are:

* **UKCore-Encounter** — who was reviewed, by whom (``participant`` PPRF),
  with whom (each participant as above), for which council
  (``serviceProvider``), when (``period``), which kind of review (``type``:
  the DHSC grouping of Client Level Data review reasons) and, for an unplanned
  one, why (``reasonCode.text``). The record does not say whether the review
  was held in person or remotely, so ``class`` carries data-absent-reason
  ``unknown``;
* **UKCore-QuestionnaireResponse** — the findings, item by item: whether the
  adult asked for it (s27(1)(b)), what is and is not working, the decision,
  the Client Level Data event outcome and the next review date. Its
  ``basedOn`` names the plan reviewed, by identifier.
"""

from __future__ import annotations

from typing import Any, Final

from sharedsvc.fhir import ukcore
from sharedsvc.fhir.assessments import NEEDS_ID_SYSTEM, PRIMARY_PERFORMER, item_path
from sharedsvc.fhir.common import (
    CARER_SYSTEM,
    HUMAN_NAME,
    LOCAL,
    ORGANIZATION,
    PATIENT,
    PRACTITIONER_ROLE,
    extension_url,
)
from sharedsvc.fhir.converters import (
    DATE,
    PENCE,
    Converter,
    code,
    coding,
    concept_of,
    datatype,
    local_code,
    local_coding,
    logical_reference,
    many,
    participant,
    ref,
    valueset,
)
from sharedsvc.fhir.engine import (
    Companion,
    DesignMapping,
    EmitContext,
    Field,
    Fixed,
    Json,
    Link,
    Located,
    ObjectMap,
    ReadContext,
    ResourceMap,
    emit_resource,
    read_resource,
)
from sharedsvc.models.adult_social_care import (
    CareAndSupportPlan,
    Participant,
    PersonalBudget,
    PlannedService,
    Review,
)

__all__ = ["MAPPINGS", "PLAN", "PLAN_ID_SYSTEM", "REVIEW", "REVIEW_ID_SYSTEM"]

PLAN_ID_SYSTEM: Final = "urn:sharedsvc:record-id:adult-social-care/care-and-support-plan"
REVIEW_ID_SYSTEM: Final = "urn:sharedsvc:record-id:adult-social-care/review"
PLAN_STATUS_SYSTEM: Final = "urn:sharedsvc:codesystem:care-and-support-plan-status"
PLAN_CATEGORY_SYSTEM: Final = "urn:sharedsvc:codesystem:care-plan-category"
NEED_CATEGORY_SYSTEM: Final = "urn:sharedsvc:codesystem:condition-category"
PARTICIPANT_ROLE_SYSTEM: Final = "urn:sharedsvc:codesystem:plan-participant-role"
REVIEW_OUTCOME_SYSTEM: Final = "urn:sharedsvc:codesystem:review-outcome"
#: The base FHIR R4 Goal profile: UK Core profiles no Goal.
GOAL_PROFILE: Final = "http://hl7.org/fhir/StructureDefinition/Goal"

_V3_ROLE: Final = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
_CONDITION_VERIFICATION: Final = "http://terminology.hl7.org/CodeSystem/condition-ver-status"

# -- the plan's status, as FHIR's resources each spell it ------------------------------------

#: CarePlan.status (request-status): derived, not read back (see the module docstring).
_CAREPLAN_STATUS: Final = {
    "draft": "draft",
    "agreed": "active",
    "active": "active",
    "ended": "completed",
}
#: Goal.lifecycleStatus: proposed while the plan is drafted, accepted once agreed,
#: active while services run, completed ("no longer being sought") once it ended.
_GOAL_STATUS: Final = {
    "draft": "proposed",
    "agreed": "accepted",
    "active": "active",
    "ended": "completed",
}
#: CarePlan.activity.detail.status of every service.
_ACTIVITY_STATUS: Final = {
    "draft": "not-started",
    "agreed": "not-started",
    "active": "in-progress",
    "ended": "completed",
}
#: CareTeam.status.
_TEAM_STATUS: Final = {
    "draft": "proposed",
    "agreed": "active",
    "active": "active",
    "ended": "inactive",
}


def _status_of(table: dict[str, str]) -> Any:
    def derive(plan: Any) -> str:
        return table[plan.status]

    return derive


# -- people involved -------------------------------------------------------------------------

#: Roles whose named person is a Practitioner (the rest are RelatedPersons).
_PROFESSIONAL_ROLES: Final = frozenset({"professional", "advocate"})


def _relationship(person: Any) -> Json:
    """The RelatedPerson.relationship of a named participant, where a code says it."""
    if person.role == "adult":
        return concept_of(_V3_ROLE, "ONESELF", "self")
    if person.role == "carer":
        return concept_of(CARER_SYSTEM, "Carer", "Carer of patient")
    return None


_NAMED_PRACTITIONER: Final = ResourceMap(
    "participant-practitioner",
    Participant,
    "Practitioner",
    (Field("name", "name[0]", datatype(HUMAN_NAME)),),
    profile=ukcore.profile("Practitioner"),
)
_NAMED_RELATED_PERSON: Final = ResourceMap(
    "participant-related-person",
    Participant,
    "RelatedPerson",
    (Field("name", "name[0]", datatype(HUMAN_NAME)),),
    fixed=(
        Fixed(
            "relationship[0]",
            derive=_relationship,
            note="derived: v3 RoleCode ONESELF for the adult, UK Core Carer for a carer",
        ),
    ),
    profile=ukcore.profile("RelatedPerson"),
    links=(Link("patient", "subject"),),
)
_NAMED: Final = {"Practitioner": _NAMED_PRACTITIONER, "RelatedPerson": _NAMED_RELATED_PERSON}


def _emit_member(person: Any, ctx: EmitContext, pointer: str) -> Json:
    if person.name is None:
        return None
    named = _NAMED_PRACTITIONER if person.role in _PROFESSIONAL_ROLES else _NAMED_RELATED_PERSON
    return emit_resource(named, person, ctx, pointer, None)


def _read_member(located: Located, ctx: ReadContext, pointer: str) -> Any:
    target = ctx.resolve(located.value, located.location)
    if target is None:
        return None
    named = _NAMED.get(str(ctx.entries[target][1].get("resourceType")))
    if named is None:
        ctx.issue(
            "fhir.reference-unresolved",
            located.location,
            detail="it should point to a Practitioner or a RelatedPerson",
        )
        return None
    out: dict[str, Any] = {}
    read_resource(named, target, ctx, pointer, out)
    return out


MEMBER: Final = Converter(
    "member",
    _emit_member,
    _read_member,
    describe="a named person as a Reference: a Practitioner (UKCore-Practitioner) for a "
    "professional or advocate, else a RelatedPerson (UKCore-RelatedPerson); none when unnamed",
    checked=True,
    target=_NAMED_PRACTITIONER,
    alternatives=(_NAMED_RELATED_PERSON,),
)


def _participant_item(fhir_type: str, role_key: str, member_key: str) -> ObjectMap:
    """Someone involved, as a CareTeam or Encounter participant: role and named person."""
    return ObjectMap(
        f"participant-{fhir_type}",
        Participant,
        fhir_type,
        (
            Field(
                "role",
                f"{role_key}[0]",
                local_code(PARTICIPANT_ROLE_SYSTEM, "the participant's role, local to sharedsvc"),
            ),
            Field(".", member_key, MEMBER, note="the participant's name, when given"),
        ),
    )


# -- care and support plan ----------------------------------------------------------------------

BUDGET: Final = ObjectMap(
    "personal-budget",
    PersonalBudget,
    "Extension",
    (
        Field(
            "period",
            "extension[url=period].valueCode",
            note="the period of the amounts: week / year, local to sharedsvc",
        ),
        Field("total_pence", "extension[url=total].valueMoney", PENCE, note="s26(1)(a)"),
        Field(
            "person_contribution_pence",
            "extension[url=person-contribution].valueMoney",
            PENCE,
            note="s26(1)(b)",
        ),
        Field(
            "council_contribution_pence",
            "extension[url=council-contribution].valueMoney",
            PENCE,
            note="s26(1)(c)",
        ),
    ),
    fixed=(Fixed("url", extension_url("personal-budget"), note=f"the personal budget; {LOCAL}"),),
)

SERVICE: Final = ObjectMap(
    "planned-service",
    PlannedService,
    "CarePlanActivity",
    (
        Field(
            "delivery_mechanism",
            f"detail.extension[url={extension_url('delivery-mechanism')}].valueCodeableConcept",
            code("asc-delivery-mechanism"),
            note=f"Client Level Data Delivery_Mechanism; {LOCAL}",
        ),
        Field(
            "weekly_cost_pence",
            f"detail.extension[url={extension_url('weekly-cost')}].valueMoney",
            PENCE,
            note=f"the planned cost a week; {LOCAL}",
        ),
        Field(
            "service_type",
            "detail.code",
            code("asc-service-type"),
            note="Client Level Data Service_Type",
        ),
        Field("start_date", "detail.scheduledPeriod.start", DATE),
        Field("end_date", "detail.scheduledPeriod.end", DATE),
        Field("provider", "detail.performer[0]", ref(ORGANIZATION)),
        Field("description", "detail.description"),
    ),
    fixed=(
        Fixed(
            "detail.status",
            derive=_status_of(_ACTIVITY_STATUS),
            of_record=True,
            note="derived from the plan's status: not-started until it is active, "
            "in-progress while active, completed once ended",
        ),
    ),
)

ELIGIBLE_NEED: Final = ResourceMap(
    "eligible-need",
    CareAndSupportPlan,
    "Condition",
    (
        Field(
            ".",
            "code",
            code("eligibility-outcome"),
            note="the SI 2015/313 reg 2(2) outcome the need relates to",
        ),
    ),
    fixed=(
        Fixed(
            "verificationStatus",
            {"coding": [{"system": _CONDITION_VERIFICATION, "code": "confirmed"}]},
            note="fixed: confirmed (found eligible by the needs assessment)",
        ),
        Fixed(
            "category[0]",
            concept_of(
                NEED_CATEGORY_SYSTEM,
                "eligible-need",
                "Eligible need for care and support (Care Act 2014 s13)",
            ),
            note="fixed: a category local to sharedsvc",
        ),
    ),
    profile=ukcore.profile("Condition"),
    links=(Link("subject", "subject"),),
)

OUTCOME_WANTED: Final = ResourceMap(
    "outcome-wanted",
    CareAndSupportPlan,
    "Goal",
    (Field(".", "description.text", note="the outcome in the adult's words"),),
    fixed=(
        Fixed(
            "lifecycleStatus",
            derive=_status_of(_GOAL_STATUS),
            of_record=True,
            note="derived from the plan's status: proposed, accepted, active, completed",
        ),
    ),
    profile=GOAL_PROFILE,
    links=(Link("subject", "subject"),),
)

_COORDINATOR: Final = concept_of(
    PARTICIPANT_ROLE_SYSTEM, "care-coordinator", "Care co-ordinator (responsible for the plan)"
)

CARE_TEAM: Final = ResourceMap(
    "plan-care-team",
    CareAndSupportPlan,
    "CareTeam",
    (
        Field(
            "care_coordinator",
            "participant[role.coding.code=care-coordinator]",
            participant(
                PRACTITIONER_ROLE,
                _COORDINATOR,
                "participant of role care-coordinator",
                role_key="role",
                member_key="member",
            ),
        ),
        Field(
            "involved",
            "participant",
            many(datatype(_participant_item("CareTeamParticipant", "role", "member"))),
            note="who was involved in preparing the plan (s25(3))",
        ),
    ),
    fixed=(
        Fixed(
            "status",
            derive=_status_of(_TEAM_STATUS),
            note="derived: proposed for a draft, active, inactive once ended",
        ),
    ),
    profile=ukcore.profile("CareTeam"),
    links=(Link("subject", "subject"),),
)

PLAN: Final = ResourceMap(
    "care-and-support-plan",
    CareAndSupportPlan,
    "CarePlan",
    (
        Field(
            "status",
            f"extension[url={extension_url('care-and-support-plan-status')}].valueCoding",
            local_coding(PLAN_STATUS_SYSTEM, "draft / agreed / active / ended, local to sharedsvc"),
            note=f"the plan's status; {LOCAL}",
        ),
        Field(
            "personal_budget",
            f"extension[url={extension_url('personal-budget')}]",
            datatype(BUDGET),
            note=f"the personal budget (s26), Money in pounds sterling; {LOCAL}",
        ),
        Field(
            "contingency_plan",
            f"extension[url={extension_url('contingency-plan')}].valueString",
            note=f"what happens if the usual care fails; {LOCAL}",
        ),
        Field(
            "review_due",
            f"extension[url={extension_url('review-due')}].valueDate",
            DATE,
            note=f"when the plan is next due for review (s27(1)(a)); {LOCAL}",
        ),
        Field("id", f"identifier[system={PLAN_ID_SYSTEM}].value", note="the record id"),
        Field("person", "subject", ref(PATIENT)),
        Field("start_date", "period.start", DATE),
        Field("end_date", "period.end", DATE),
        Field("council", "author", ref(ORGANIZATION), note="the council that prepared the plan"),
        Field(
            "eligible_needs_met",
            "addresses",
            many(ref(ELIGIBLE_NEED)),
            note="one Condition per eligible need the council is going to meet",
        ),
        Field(
            "assessment_id",
            "supportingInfo[0]",
            logical_reference(NEEDS_ID_SYSTEM, "Encounter"),
            note="the needs assessment the plan follows",
        ),
        Field(
            "outcomes_wanted",
            "goal",
            many(ref(OUTCOME_WANTED)),
            note="one Goal per outcome the adult wants",
        ),
        Field(
            "services",
            "activity",
            many(datatype(SERVICE)),
            note="one activity per service (s25(1)(c))",
        ),
    ),
    fixed=(
        Fixed(
            "status",
            derive=_status_of(_CAREPLAN_STATUS),
            note="derived: draft, active (agreed or under way), completed once ended",
        ),
        Fixed("intent", "plan", note="fixed: plan"),
        Fixed(
            "category[0]",
            concept_of(
                PLAN_CATEGORY_SYSTEM,
                "care-and-support-plan",
                "Care and support plan (Care Act 2014 s25)",
            ),
            note="fixed: a category local to sharedsvc",
        ),
    ),
    profile=ukcore.profile("CarePlan"),
    companions=(
        Companion(
            CARE_TEAM,
            "careTeam[0]",
            from_primary=True,
            note="the care co-ordinator and everyone involved, a UKCore-CareTeam",
        ),
    ),
)

# -- review -------------------------------------------------------------------------------------


def _finished(review: Any) -> str:
    return "finished" if review.completed_on is not None else "in-progress"


def _response_status(review: Any) -> str:
    return "completed" if review.completed_on is not None else "in-progress"


REVIEW_RESPONSE: Final = ResourceMap(
    "review-response",
    Review,
    "QuestionnaireResponse",
    (
        Field(
            "plan_id",
            "basedOn[0]",
            logical_reference(PLAN_ID_SYSTEM, "CarePlan"),
            note="the plan reviewed",
        ),
        Field(
            "requested_by_adult",
            item_path("requested-by-adult", "answer[0].valueBoolean"),
            note="s27(1)(b)",
        ),
        Field("findings", item_path("findings", "answer[0].valueString")),
        Field(
            "outcome",
            item_path("outcome", "answer[0].valueCoding"),
            local_coding(REVIEW_OUTCOME_SYSTEM, "the review's decision, local to sharedsvc"),
        ),
        Field(
            "event_outcome",
            item_path("event-outcome", "answer[0].valueCoding"),
            coding("asc-event-outcome"),
        ),
        Field("next_review_due", item_path("next-review-due", "answer[0].valueDate"), DATE),
    ),
    fixed=(
        Fixed(
            "questionnaire",
            "urn:sharedsvc:questionnaire:adult-social-care/review",
            note="the sharedsvc form of the design (no Questionnaire is published)",
        ),
        Fixed("status", derive=_response_status, note="derived: completed once complete"),
    ),
    profile=ukcore.profile("QuestionnaireResponse"),
    links=(
        Link("subject", "subject"),
        Link("encounter", "primary", note="the review's Encounter"),
    ),
    always=True,
)

REVIEW: Final = ResourceMap(
    "review",
    Review,
    "Encounter",
    (
        Field("id", f"identifier[system={REVIEW_ID_SYSTEM}].value", note="the record id"),
        Field(
            "review_type",
            f"type[coding.system={valueset('review-type').system}]",
            code("review-type"),
            note="the DHSC grouping of Client Level Data Review_Reason",
        ),
        Field("person", "subject", ref(PATIENT)),
        Field(
            "reviewer",
            "participant[type.coding.code=PPRF]",
            participant(PRACTITIONER_ROLE, PRIMARY_PERFORMER, "participant of type PPRF"),
        ),
        Field(
            "participants",
            "participant",
            many(datatype(_participant_item("EncounterParticipant", "type", "individual"))),
            note="who took part (s27(2)(b))",
        ),
        Field("started_on", "period.start", DATE),
        Field("completed_on", "period.end", DATE),
        Field("reason", "reasonCode[0].text", note="why an unplanned review was held"),
        Field("council", "serviceProvider", ref(ORGANIZATION)),
    ),
    fixed=(
        Fixed("status", derive=_finished, note="derived: finished once complete"),
        Fixed(
            "class",
            {"extension": [{"url": ukcore.DATA_ABSENT_REASON, "valueCode": "unknown"}]},
            note="fixed: data-absent-reason unknown (the record does not say how it was held)",
        ),
    ),
    profile=ukcore.profile("Encounter"),
    companions=(
        Companion(
            REVIEW_RESPONSE,
            "encounter",
            from_primary=False,
            note="the findings, a QuestionnaireResponse of the Encounter",
        ),
    ),
)

MAPPINGS: Final = {
    "adult-social-care/care-and-support-plan": DesignMapping(
        "adult-social-care/care-and-support-plan", PLAN, subject="person"
    ),
    "adult-social-care/review": DesignMapping("adult-social-care/review", REVIEW, subject="person"),
}
