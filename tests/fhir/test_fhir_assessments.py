"""Assessments: an Encounter, the findings a QuestionnaireResponse, the decision an Observation."""

from __future__ import annotations

from typing import Any

import pytest
from fhir_examples import VALID

from sharedsvc.fhir import from_fhir, to_fhir_dict

ASSESSMENTS = [
    (d, n, r) for d, n, r in VALID if d.endswith(("needs-assessment", "carers-assessment"))
]


def resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


@pytest.mark.parametrize(
    ("design", "name", "record"), ASSESSMENTS, ids=[f"{d}:{n}" for d, n, _ in ASSESSMENTS]
)
def test_the_encounter_response_and_determination_point_at_each_other(
    design: str, name: str, record: Any
) -> None:
    bundle = to_fhir_dict(record)
    (encounter,) = resources(bundle, "Encounter")
    (response,) = resources(bundle, "QuestionnaireResponse")
    observations = resources(bundle, "Observation")
    encounter_url = bundle["entry"][0]["fullUrl"]
    assert response["encounter"]["reference"] == encounter_url
    assert response["subject"] == encounter["subject"]
    assert response["status"] == ("completed" if record.completed_on else "in-progress")
    assert encounter["status"] == ("finished" if record.completed_on else "in-progress")
    assert encounter["class"]["code"] == ("VR" if record.assessment_type == "remote" else "FLD")
    if record.eligibility_decision is None:
        assert observations == []
    else:
        (observation,) = observations
        assert observation["encounter"]["reference"] == encounter_url
        assert (
            observation["valueCodeableConcept"]["coding"][0]["code"] == record.eligibility_decision
        )
        assert observation["status"] == ("final" if record.completed_on else "preliminary")
    assert from_fhir(bundle) == record


def test_each_outcome_of_the_regulations_is_a_group_of_answers() -> None:
    _design, _name, record = next(
        (d, n, r) for d, n, r in ASSESSMENTS if d.endswith("needs-assessment") and r.outcomes
    )
    (response,) = resources(to_fhir_dict(record), "QuestionnaireResponse")
    (outcomes,) = [i for i in response["item"] if i["linkId"] == "outcomes"]
    assert len(outcomes["item"]) == len(record.outcomes)
    first = {i["linkId"]: i["answer"] for i in outcomes["item"][0]["item"]}
    assert first["code"][0]["valueCoding"]["code"] == record.outcomes[0].outcome
    assert first["unable"][0]["valueBoolean"] is record.outcomes[0].unable


def test_a_carers_assessment_names_the_cared_for_adult_as_a_patient_of_their_own() -> None:
    _design, _name, record = next(
        (d, n, r) for d, n, r in ASSESSMENTS if d.endswith("carers-assessment")
    )
    bundle = to_fhir_dict(record)
    patients = resources(bundle, "Patient")
    assert len(patients) == 2
    (response,) = resources(bundle, "QuestionnaireResponse")
    (cared_for,) = [i for i in response["item"] if i["linkId"] == "cared-for"]
    target = cared_for["answer"][0]["valueReference"]["reference"]
    assert target != resources(bundle, "Encounter")[0]["subject"]["reference"]
    assert target in {e["fullUrl"] for e in bundle["entry"]}
