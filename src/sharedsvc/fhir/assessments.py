"""Mappings of the needs assessment (Care Act 2014 s9) and carer's assessment (s10).

An assessment is three resources, each for what it is best at:

* **UKCore-Encounter** — the assessment as an event: who was assessed
  (``subject``), by whom (``participant`` PPRF, and any independent advocate),
  for which council (``serviceProvider``), when (``period``), how
  (``type``), why (``reasonCode``: the Client Level Data primary support
  reason), and from which contact (``basedOn``, by identifier);
* **UKCore-QuestionnaireResponse** — the assessment's findings as the form the
  assessor completed: the needs summary, the eligibility criteria of SI 2015/313
  one by one (each outcome with whether it cannot be achieved, why, and the
  evidence), the well-being impact, advocacy under s67, the CLD event outcome.
  A QuestionnaireResponse keeps the whole structured finding in one resource,
  item by item, with the assessor's words beside each coded answer, which a set
  of Observations would scatter over twenty resources that no consumer reads
  as a unit;
* **UKCore-Observation** — the eligibility determination (s13(1)) on its own,
  because it is the one finding other services act on and query for (the shared
  care record, Client Level Data returns): a coded value, made only once a
  determination is recorded, ``final`` once the assessment is complete.

The QuestionnaireResponse and Observation point at the Encounter
(``encounter``) and at the person (``subject``). The questionnaire is named by
a sharedsvc URN: sharedsvc publishes no Questionnaire resource.
"""

from __future__ import annotations

from typing import Any, Final

from sharedsvc.fhir import ukcore
from sharedsvc.fhir.adult_social_care import CONTACT_ID_SYSTEM
from sharedsvc.fhir.common import HUMAN_NAME, ORGANIZATION, PATIENT, PRACTITIONER_ROLE
from sharedsvc.fhir.converters import (
    DATE,
    answer,
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
    Field,
    Fixed,
    Link,
    ObjectMap,
    ResourceMap,
)
from sharedsvc.models.adult_social_care import (
    CarerOutcomeAssessment,
    CarersAssessment,
    IndependentAdvocate,
    NeedsAssessment,
    OutcomeAssessment,
)

__all__ = ["MAPPINGS", "NEEDS_ID_SYSTEM", "PRIMARY_PERFORMER", "item_path"]

NEEDS_ID_SYSTEM: Final = "urn:sharedsvc:record-id:adult-social-care/needs-assessment"
CARERS_ID_SYSTEM: Final = "urn:sharedsvc:record-id:adult-social-care/carers-assessment"
ASSESSMENT_TYPE_SYSTEM: Final = "urn:sharedsvc:codesystem:assessment-type"
SIGNIFICANCE_SYSTEM: Final = "urn:sharedsvc:codesystem:wellbeing-significance"
DECISION_SYSTEM: Final = "urn:sharedsvc:codesystem:eligibility-decision"
FINDING_SYSTEM: Final = "urn:sharedsvc:codesystem:assessment-finding"
PARTICIPANT_ROLE_SYSTEM: Final = "urn:sharedsvc:codesystem:participant-role"

_V3_ACT: Final = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
PRIMARY_PERFORMER: Final = concept_of(
    "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "PPRF", "primary performer"
)
_ADVOCATE: Final = concept_of(
    PARTICIPANT_ROLE_SYSTEM, "independent-advocate", "Independent advocate (Care Act 2014 s67)"
)


def _encounter_class(assessment: Any) -> dict[str, str]:
    # v3 ActEncounterCode: VR virtual for a remote assessment, FLD field (outside a
    # healthcare setting: at home or in the community) for any other.
    if assessment.assessment_type == "remote":
        return {"system": _V3_ACT, "code": "VR", "display": "virtual"}
    return {"system": _V3_ACT, "code": "FLD", "display": "field"}


def _encounter_status(assessment: Any) -> str:
    return "finished" if assessment.completed_on is not None else "in-progress"


def _response_status(assessment: Any) -> str:
    return "completed" if assessment.completed_on is not None else "in-progress"


def _observation_status(assessment: Any) -> str:
    return "final" if assessment.completed_on is not None else "preliminary"


ADVOCATE: Final = ResourceMap(
    "independent-advocate",
    IndependentAdvocate,
    "PractitionerRole",
    (Field("organisation", "organization", ref(ORGANIZATION)),),
    fixed=(Fixed("code[0].text", "Independent advocate", note="fixed: Independent advocate"),),
    profile=ukcore.profile("PractitionerRole"),
    companions=(
        Companion(
            ResourceMap(
                "independent-advocate-person",
                IndependentAdvocate,
                "Practitioner",
                (Field("name", "name[0]", datatype(HUMAN_NAME)),),
                profile=ukcore.profile("Practitioner"),
                always=True,
            ),
            "practitioner",
            from_primary=True,
            note="the advocate as a person (UKCore-Practitioner)",
        ),
    ),
)


def item_path(link_id: str, rest: str) -> str:
    """The path of ``rest`` in the QuestionnaireResponse item ``link_id``."""
    return f"item[linkId={link_id}].{rest}"


def _outcome_item(model: type[Any], outcomes: str, reasons: str) -> ObjectMap:
    """One eligibility outcome as a group of answers in the QuestionnaireResponse."""
    return ObjectMap(
        f"outcome-{outcomes}",
        model,
        "QuestionnaireResponseItem",
        (
            Field("outcome", item_path("code", "answer[0].valueCoding"), coding(outcomes)),
            Field("unable", item_path("unable", "answer[0].valueBoolean")),
            Field(
                "circumstances",
                item_path("circumstances", "answer"),
                many(answer(coding(reasons), "valueCoding")),
            ),
            Field("notes", item_path("notes", "answer[0].valueString")),
        ),
        fixed=(Fixed("linkId", "outcome", note="fixed: outcome"),),
    )


def _wellbeing_fields() -> tuple[Field, ...]:
    group = "item[linkId=wellbeing-impact]"
    return (
        Field(
            "wellbeing_impact.significance",
            f"{group}.{item_path('significance', 'answer[0].valueCoding')}",
            local_coding(SIGNIFICANCE_SYSTEM, "significance, a list local to sharedsvc"),
        ),
        Field(
            "wellbeing_impact.areas",
            f"{group}.{item_path('areas', 'answer')}",
            many(answer(coding("wellbeing-area"), "valueCoding")),
        ),
        Field("wellbeing_impact.notes", f"{group}.{item_path('notes', 'answer[0].valueString')}"),
    )


def _advocacy_fields() -> tuple[Field, ...]:
    group = "item[linkId=advocacy]"
    return (
        Field(
            "advocacy.substantial_difficulty",
            f"{group}.{item_path('substantial-difficulty', 'answer[0].valueBoolean')}",
        ),
        Field(
            "advocacy.appropriate_individual",
            f"{group}.{item_path('appropriate-individual', 'answer[0].valueBoolean')}",
        ),
    )


def _response(design: str, model: type[Any], specific: tuple[Field, ...]) -> ResourceMap:
    return ResourceMap(
        f"{design}-response",
        model,
        "QuestionnaireResponse",
        (
            Field("needs_summary", item_path("needs-summary", "answer[0].valueString")),
            *specific,
            *_wellbeing_fields(),
            *_advocacy_fields(),
            Field(
                "event_outcome",
                item_path("event-outcome", "answer[0].valueCoding"),
                coding("asc-event-outcome"),
            ),
        ),
        fixed=(
            Fixed(
                "questionnaire",
                f"urn:sharedsvc:questionnaire:adult-social-care/{design}",
                note="the sharedsvc form of the design (no Questionnaire is published)",
            ),
            Fixed("status", derive=_response_status, note="derived: completed once complete"),
        ),
        profile=ukcore.profile("QuestionnaireResponse"),
        links=(
            Link("subject", "subject"),
            Link("encounter", "primary", note="the assessment's Encounter"),
        ),
        always=True,
    )


def _determination(design: str, model: type[Any]) -> ResourceMap:
    return ResourceMap(
        f"{design}-determination",
        model,
        "Observation",
        (
            Field(
                "eligibility_decision",
                "valueCodeableConcept",
                local_code(DECISION_SYSTEM, "eligible / not-eligible, local to sharedsvc"),
            ),
        ),
        fixed=(
            Fixed("status", derive=_observation_status, note="derived: final once complete"),
            Fixed(
                "code",
                concept_of(
                    FINDING_SYSTEM,
                    "eligibility-determination",
                    "Eligibility determination (Care Act 2014 s13)",
                ),
                note="fixed: the eligibility determination",
            ),
        ),
        profile=ukcore.profile("Observation"),
        links=(
            Link("subject", "subject"),
            Link("encounter", "primary", note="the assessment's Encounter"),
        ),
    )


def _encounter(
    design: str, model: type[Any], id_system: str, subject: str, extra: tuple[Field, ...]
) -> ResourceMap:
    psr = valueset("asc-primary-support-reason").system
    fields = (
        Field("id", f"identifier[system={id_system}].value", note="the record id"),
        Field(
            "contact_id",
            "basedOn[0]",
            logical_reference(CONTACT_ID_SYSTEM, "ServiceRequest"),
            note="the contact the assessment came from",
        ),
        Field(
            "assessment_type",
            f"type[coding.system={ASSESSMENT_TYPE_SYSTEM}]",
            local_code(ASSESSMENT_TYPE_SYSTEM, "how it was carried out, local to sharedsvc"),
        ),
        Field(subject, "subject", ref(PATIENT)),
        *extra,
        Field(
            "assessor",
            "participant[type.coding.code=PPRF]",
            participant(PRACTITIONER_ROLE, PRIMARY_PERFORMER, "participant of type PPRF"),
        ),
        Field(
            "advocacy.advocate",
            "participant[type.coding.code=independent-advocate]",
            participant(ADVOCATE, _ADVOCATE, "participant of type independent-advocate"),
        ),
        Field("started_on", "period.start", DATE),
        Field("completed_on", "period.end", DATE),
        Field("council", "serviceProvider", ref(ORGANIZATION)),
    )
    if "primary_support_reason" in model.model_fields:
        fields += (
            Field(
                "primary_support_reason",
                f"reasonCode[coding.system={psr}]",
                code("asc-primary-support-reason"),
                note="Client Level Data Primary_Support_Reason",
            ),
        )
    return ResourceMap(
        design,
        model,
        "Encounter",
        fields,
        fixed=(
            Fixed("status", derive=_encounter_status, note="derived: finished once complete"),
            Fixed(
                "class",
                derive=_encounter_class,
                note="derived: v3 ActCode VR for a remote assessment, FLD (field) otherwise",
            ),
        ),
        profile=ukcore.profile("Encounter"),
        companions=(
            Companion(
                _response(design, model, _specific(model)),
                "encounter",
                from_primary=False,
                note="the findings, a QuestionnaireResponse of the Encounter",
            ),
            Companion(
                _determination(design, model),
                "encounter",
                from_primary=False,
                note="the eligibility determination, an Observation of the Encounter",
            ),
        ),
    )


def _specific(model: type[Any]) -> tuple[Field, ...]:
    """The findings that differ between a needs and a carer's assessment."""
    if model is NeedsAssessment:
        return (
            Field(
                "needs_from_impairment_or_illness",
                item_path("needs-from-impairment-or-illness", "answer[0].valueBoolean"),
                note="SI 2015/313 reg 2(1)(a)",
            ),
            Field(
                "outcomes",
                "item[linkId=outcomes].item",
                many(
                    datatype(
                        _outcome_item(
                            OutcomeAssessment, "eligibility-outcome", "unable-to-achieve-reason"
                        )
                    )
                ),
                note="SI 2015/313 reg 2(2), one group per outcome",
            ),
        )
    return (
        Field(
            "cared_for",
            item_path("cared-for", "answer[0].valueReference"),
            ref(PATIENT),
            note="the adult cared for, a Patient of their own",
        ),
        Field(
            "hours_caring_per_week", item_path("hours-caring-per-week", "answer[0].valueInteger")
        ),
        Field(
            "needs_from_providing_necessary_care",
            item_path("needs-from-providing-necessary-care", "answer[0].valueBoolean"),
            note="SI 2015/313 reg 3(1)(a)",
        ),
        Field(
            "health_deteriorating_or_at_risk",
            item_path("health-deteriorating-or-at-risk", "answer[0].valueBoolean"),
            note="SI 2015/313 reg 3(2)(a)",
        ),
        Field(
            "outcomes",
            "item[linkId=outcomes].item",
            many(
                datatype(
                    _outcome_item(
                        CarerOutcomeAssessment,
                        "carer-eligibility-outcome",
                        "carer-unable-to-achieve-reason",
                    )
                )
            ),
            note="SI 2015/313 reg 3(2)(b), one group per outcome",
        ),
    )


NEEDS: Final = _encounter("needs-assessment", NeedsAssessment, NEEDS_ID_SYSTEM, "person", ())
CARERS: Final = _encounter(
    "carers-assessment",
    CarersAssessment,
    CARERS_ID_SYSTEM,
    "carer",
    (
        Field(
            "cared_for_assessment_id",
            "partOf",
            logical_reference(NEEDS_ID_SYSTEM, "Encounter"),
            note="the cared-for adult's needs assessment, by identifier",
        ),
    ),
)

MAPPINGS: Final = {
    "adult-social-care/needs-assessment": DesignMapping(
        "adult-social-care/needs-assessment", NEEDS, subject="person"
    ),
    "adult-social-care/carers-assessment": DesignMapping(
        "adult-social-care/carers-assessment", CARERS, subject="carer"
    ),
}
