"""Mapping of adult safeguarding (Care Act 2014 s42) onto UK Core.

A safeguarding record is the most sensitive record sharedsvc defines, and only
its non-personal facts may leave the design: that there is a concern, since
when, and which council to contact. So the record is split in two:

* **UKCore-Flag** — what a shared care record may show: a fixed, local
  "adult safeguarding: contact the council" code, ``status`` (``inactive``
  once the record is closed), ``period`` (concern received to closed),
  ``author`` the council whose s42 duty it is, ``subject`` the adult. It
  carries no detail: no type of abuse, no source, no finding. It has no
  security label: it is the part meant to be shared.
* **UKCore-Task** — the safeguarding work itself, owned by the council: its
  process state (``businessStatus``, the design's states, local to
  sharedsvc), when the concern was received (``authoredOn``) and the record
  closed (``executionPeriod.end``), the contact it came from (``basedOn``, by
  identifier). A Task rather than an EpisodeOfCare because UK Core profiles no
  EpisodeOfCare, and because the s42 process is work the council does or causes
  to be done, which is what Task records. The Flag is the Task's ``output``.
* **UKCore-QuestionnaireResponse** — the detail: the concern as reported, its
  source, the SAC types, location and sources of risk, the s42(1) three-part
  test and decision, the s42(2) enquiry and its SAC result, capacity,
  advocacy (s68) and Making Safeguarding Personal. One resource keeps the
  findings together, each answer beside its question, as the assessments'
  mapping does; a set of Observations would scatter one enquiry over many
  resources that no consumer reads apart. The Task's ``focus`` points at it.

The Task and the QuestionnaireResponse carry ``meta.security`` R (restricted,
HL7 v3 Confidentiality): a receiving system must not show them outside the
safeguarding service. The resources they refer to (the Patient, the
Organizations, and the PractitionerRole, Practitioner and RelatedPerson of
whoever raised the concern or took part) come from the shared maps of
:mod:`sharedsvc.fhir.common` and are not labelled; the whole Bundle is for the
safeguarding service only.
"""

from __future__ import annotations

from typing import Any, Final

from sharedsvc.fhir import ukcore
from sharedsvc.fhir.adult_social_care import CONTACT_ID_SYSTEM
from sharedsvc.fhir.common import ORGANIZATION, PATIENT, PRACTITIONER_ROLE, RELATED_PERSON
from sharedsvc.fhir.converters import (
    DATETIME,
    Converter,
    answer,
    coding,
    concept_of,
    local_code,
    local_coding,
    logical_reference,
    many,
    ref,
    ref_again,
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
    ReadContext,
    ResourceMap,
)
from sharedsvc.models.safeguarding import SafeguardingEnquiry

__all__ = ["MAPPINGS", "RESTRICTED", "SAFEGUARDING", "SAFEGUARDING_CODE"]

SAFEGUARDING_ID_SYSTEM: Final = "urn:sharedsvc:record-id:adult-social-care/safeguarding"
STATE_SYSTEM: Final = "urn:sharedsvc:codesystem:safeguarding-state"
FLAG_SYSTEM: Final = "urn:sharedsvc:codesystem:safeguarding-flag"
#: Flag.code of every safeguarding Flag: that there is a concern, and nothing of it.
SAFEGUARDING_CODE: Final = concept_of(
    FLAG_SYSTEM, "adult-safeguarding", "Adult safeguarding: contact the council"
)
TASK_CODE_SYSTEM: Final = "urn:sharedsvc:codesystem:safeguarding-task"
SOURCE_KIND_SYSTEM: Final = "urn:sharedsvc:codesystem:concern-source-kind"
CARRIED_OUT_BY_SYSTEM: Final = "urn:sharedsvc:codesystem:enquiry-carried-out-by"
FLAG_LABEL: Final = "Safeguarding flag"

#: HL7 v3 Confidentiality R (restricted), on every resource that carries detail.
RESTRICTED: Final = {
    "system": "http://terminology.hl7.org/CodeSystem/v3-Confidentiality",
    "code": "R",
    "display": "restricted",
}

_TASK_STATUS: Final = {
    "concern-received": "received",
    "triage": "in-progress",
    "no-s42-duty": "completed",
    "enquiry": "in-progress",
    "enquiry-concluded": "in-progress",
    "closed": "completed",
}


def _task_status(record: Any) -> str:
    return _TASK_STATUS[record.status]


def _flag_status(record: Any) -> str:
    return "inactive" if record.status == "closed" else "active"


def _response_status(record: Any) -> str:
    return "completed" if record.status == "closed" else "in-progress"


def _item(link_id: str, rest: str) -> str:
    return f"item[linkId={link_id}].{rest}"


def _group(group: str, link_id: str, rest: str) -> str:
    return f"item[linkId={group}].{_item(link_id, rest)}"


def _emit_flag_period(value: tuple[Any, Any], ctx: EmitContext, pointer: str) -> Json:
    start, end = value
    period = {"start": DATETIME.emit(start, ctx, pointer + "/concern_received_at")}
    if end is not None:
        period["end"] = DATETIME.emit(end, ctx, pointer + "/closed_at")
    return period


def _read_flag_period(_located: Located, _ctx: ReadContext, _pointer: str) -> Any:
    return None, None


#: The Flag's period repeats the Task's authoredOn and executionPeriod.end, which
#: are what is read back: a Flag from another system may be kept for longer.
FLAG_PERIOD: Final = Converter(
    "flag-period",
    _emit_flag_period,
    _read_flag_period,
    describe="period.start the concern received, period.end the record closed (read from the Task)",
    checked=True,
    multi=True,
    parts=("start", "end"),
)


FLAG: Final = ResourceMap(
    "safeguarding-flag",
    SafeguardingEnquiry,
    "Flag",
    (
        Field(
            "council",
            "author",
            ref_again(ORGANIZATION, "Task.owner"),
            note="the council to contact: the Task owner's Organization",
        ),
        Field(("concern_received_at", "closed_at"), "period", FLAG_PERIOD),
    ),
    fixed=(
        Fixed("status", derive=_flag_status, note="derived: inactive once the record is closed"),
        Fixed(
            "code",
            SAFEGUARDING_CODE,
            note="fixed: a code local to sharedsvc; no detail of the concern",
        ),
    ),
    profile=ukcore.profile("Flag"),
    links=(Link("subject", "subject"),),
    always=True,
)

_DETAIL_FIELDS: Final = (
    Field("concern_summary", _item("concern-summary", "answer[0].valueString")),
    Field(
        "concern_source.kind",
        _group("concern-source", "kind", "answer[0].valueCoding"),
        local_coding(SOURCE_KIND_SYSTEM, "who raised the concern, local to sharedsvc"),
    ),
    Field(
        "concern_source.organisation",
        _group("concern-source", "organisation", "answer[0].valueReference"),
        ref(ORGANIZATION),
    ),
    Field(
        "concern_source.practitioner",
        _group("concern-source", "practitioner", "answer[0].valueReference"),
        ref(PRACTITIONER_ROLE),
    ),
    Field(
        "concern_source.related_person",
        _group("concern-source", "related-person", "answer[0].valueReference"),
        ref(RELATED_PERSON),
    ),
    Field(
        "types_of_abuse",
        _item("types-of-abuse", "answer"),
        many(answer(coding("sac-type-of-abuse"), "valueCoding")),
        note="SAC type of risk",
    ),
    Field(
        "location_of_risk",
        _item("location-of-risk", "answer[0].valueCoding"),
        coding("sac-location-of-risk"),
    ),
    Field(
        "sources_of_risk",
        _item("sources-of-risk", "answer"),
        many(answer(coding("sac-source-of-risk"), "valueCoding")),
    ),
    Field(
        "s42_decision.has_care_and_support_needs",
        _group("s42-decision", "care-and-support-needs", "answer[0].valueBoolean"),
        note="Care Act 2014 s42(1)(a)",
    ),
    Field(
        "s42_decision.experiencing_or_at_risk_of_abuse_or_neglect",
        _group("s42-decision", "abuse-or-neglect", "answer[0].valueBoolean"),
        note="s42(1)(b)",
    ),
    Field(
        "s42_decision.unable_to_protect_self",
        _group("s42-decision", "unable-to-protect-self", "answer[0].valueBoolean"),
        note="s42(1)(c)",
    ),
    Field(
        "s42_decision.duty_applies",
        _group("s42-decision", "duty-applies", "answer[0].valueBoolean"),
    ),
    Field(
        "s42_decision.decided_at",
        _group("s42-decision", "decided-at", "answer[0].valueDateTime"),
        DATETIME,
    ),
    Field(
        "s42_decision.decided_by",
        _group("s42-decision", "decided-by", "answer[0].valueReference"),
        ref(PRACTITIONER_ROLE),
    ),
    Field(
        "s42_decision.rationale",
        _group("s42-decision", "rationale", "answer[0].valueString"),
    ),
    Field(
        "enquiry.started_at",
        _group("enquiry", "started-at", "answer[0].valueDateTime"),
        DATETIME,
    ),
    Field(
        "enquiry.carried_out_by",
        _group("enquiry", "carried-out-by", "answer[0].valueCoding"),
        local_coding(CARRIED_OUT_BY_SYSTEM, "council or other organisation, local to sharedsvc"),
        note="s42(2): make or cause to be made",
    ),
    Field(
        "enquiry.organisation",
        _group("enquiry", "organisation", "answer[0].valueReference"),
        ref(ORGANIZATION),
    ),
    Field(
        "enquiry.lead_practitioner",
        _group("enquiry", "lead-practitioner", "answer[0].valueReference"),
        ref(PRACTITIONER_ROLE),
    ),
    Field(
        "enquiry.concluded_at",
        _group("enquiry", "concluded-at", "answer[0].valueDateTime"),
        DATETIME,
    ),
    Field(
        "enquiry.action_and_result",
        _group("enquiry", "action-and-result", "answer[0].valueCoding"),
        coding("sac-action-and-result"),
    ),
    Field(
        "enquiry.risk_outcome",
        _group("enquiry", "risk-outcome", "answer[0].valueCoding"),
        coding("sac-risk-outcome"),
    ),
    Field(
        "lacks_capacity",
        _item("lacks-capacity", "answer[0].valueBoolean"),
        note="Mental Capacity Act 2005 ss2-3",
    ),
    Field(
        "substantial_difficulty_in_being_involved",
        _item("substantial-difficulty", "answer[0].valueBoolean"),
        note="Care Act 2014 s67(4), applied by s68",
    ),
    Field(
        "independent_advocate",
        _item("independent-advocate", "answer[0].valueReference"),
        ref(PRACTITIONER_ROLE),
        note="Care Act 2014 s68",
    ),
    Field(
        "appropriate_individual",
        _item("appropriate-individual", "answer[0].valueReference"),
        ref(RELATED_PERSON),
    ),
    Field(
        "making_safeguarding_personal.asked",
        _group("making-safeguarding-personal", "asked", "answer[0].valueCoding"),
        coding("sac-msp-asked"),
    ),
    Field(
        "making_safeguarding_personal.desired_outcomes",
        _group("making-safeguarding-personal", "desired-outcomes", "answer[0].valueString"),
    ),
    Field(
        "making_safeguarding_personal.outcomes_achieved",
        _group("making-safeguarding-personal", "outcomes-achieved", "answer[0].valueCoding"),
        coding("sac-msp-outcome-achieved"),
    ),
)

DETAIL: Final = ResourceMap(
    "safeguarding-detail",
    SafeguardingEnquiry,
    "QuestionnaireResponse",
    _DETAIL_FIELDS,
    fixed=(
        Fixed(
            "questionnaire",
            "urn:sharedsvc:questionnaire:adult-social-care/safeguarding",
            note="the sharedsvc form of the design (no Questionnaire is published)",
        ),
        Fixed("status", derive=_response_status, note="derived: completed once closed"),
    ),
    profile=ukcore.profile("QuestionnaireResponse"),
    links=(Link("subject", "subject"),),
    always=True,
    security=(RESTRICTED,),
)

SAFEGUARDING: Final = ResourceMap(
    "safeguarding",
    SafeguardingEnquiry,
    "Task",
    (
        Field("id", f"identifier[system={SAFEGUARDING_ID_SYSTEM}].value", note="the record id"),
        Field(
            "contact_id",
            "basedOn[0]",
            logical_reference(CONTACT_ID_SYSTEM, "ServiceRequest"),
            note="the contact that raised the concern",
        ),
        Field(
            "status",
            "businessStatus",
            local_code(STATE_SYSTEM, "the design's process state, local to sharedsvc"),
        ),
        Field("person", "for", ref(PATIENT)),
        Field("concern_received_at", "authoredOn", DATETIME),
        Field("closed_at", "executionPeriod.end", DATETIME),
        Field("council", "owner", ref(ORGANIZATION), note="the council whose s42 duty it is"),
    ),
    fixed=(
        Fixed("status", derive=_task_status, note="derived from the process state"),
        Fixed("intent", "order", note="fixed: order"),
        Fixed(
            "code",
            concept_of(
                TASK_CODE_SYSTEM, "adult-safeguarding", "Adult safeguarding (Care Act 2014 s42)"
            ),
            note="fixed: a code local to sharedsvc",
        ),
    ),
    profile=ukcore.profile("Task"),
    companions=(
        Companion(
            DETAIL,
            "focus",
            from_primary=True,
            note="the restricted detail, a QuestionnaireResponse",
        ),
        Companion(
            FLAG,
            f"output[type.text={FLAG_LABEL}].valueReference",
            from_primary=True,
            note="the Flag the shared care record may show, with no detail",
        ),
    ),
    security=(RESTRICTED,),
)

MAPPINGS: Final = {
    "adult-social-care/safeguarding": DesignMapping(
        "adult-social-care/safeguarding", SAFEGUARDING, subject="person"
    ),
}
