"""Care and support plan (a CarePlan and what it refers to) and review (an Encounter)."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from fhir_examples import VALID
from hypothesis import given
from hypothesis import strategies as st

from sharedsvc.fhir import FhirMappingError, from_fhir, to_fhir_dict, validate_fhir
from sharedsvc.fhir.common import extension_url
from sharedsvc.fhir.plans import PLAN_ID_SYSTEM
from sharedsvc.models.adult_social_care import Participant

PLAN = "adult-social-care/care-and-support-plan"
REVIEW = "adult-social-care/review"
PLANS = [(d, n, r) for d, n, r in VALID if d == PLAN]
REVIEWS = [(d, n, r) for d, n, r in VALID if d == REVIEW]


def resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def target(bundle: dict[str, Any], reference: dict[str, Any]) -> dict[str, Any]:
    return next(e["resource"] for e in bundle["entry"] if e["fullUrl"] == reference["reference"])


def extensions(element: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {e["url"]: e for e in element.get("extension", [])}


def first_plan_with(condition: Any) -> Any:
    return next(r for _d, _n, r in PLANS if condition(r))


def test_every_valid_example_of_both_designs_is_mapped() -> None:
    assert len(PLANS) >= 4
    assert len(REVIEWS) >= 4


@pytest.mark.parametrize(("design", "name", "record"), PLANS, ids=[n for _, n, _ in PLANS])
def test_services_are_activities_needs_are_conditions_and_outcomes_are_goals(
    design: str, name: str, record: Any
) -> None:
    bundle = to_fhir_dict(record)
    (plan,) = resources(bundle, "CarePlan")
    assert plan["intent"] == "plan"
    assert plan["identifier"] == [{"system": PLAN_ID_SYSTEM, "value": record.id}]
    activities = plan.get("activity", [])
    assert [a["detail"]["code"]["coding"][0]["code"] for a in activities] == [
        s.service_type for s in record.services
    ]
    assert [a["detail"]["description"] for a in activities] == [
        s.description for s in record.services
    ]
    needs = [target(bundle, r) for r in plan.get("addresses", [])]
    assert [n["code"]["coding"][0]["code"] for n in needs] == record.eligible_needs_met
    assert all(n["subject"] == plan["subject"] for n in needs)
    goals = [target(bundle, r) for r in plan.get("goal", [])]
    assert [g["description"]["text"] for g in goals] == record.outcomes_wanted
    assert all(g["subject"] == plan["subject"] for g in goals)
    assert len(resources(bundle, "Goal")) == len(record.outcomes_wanted)


@pytest.mark.parametrize(
    ("status", "careplan", "goal", "activity", "team"),
    [
        ("draft", "draft", "proposed", "not-started", "proposed"),
        ("agreed", "active", "accepted", "not-started", "active"),
        ("active", "active", "active", "in-progress", "active"),
        ("ended", "completed", "completed", "completed", "inactive"),
    ],
)
def test_each_resource_spells_the_plan_status_its_own_way_and_the_plan_keeps_its_own(
    status: str, careplan: str, goal: str, activity: str, team: str
) -> None:
    record = first_plan_with(lambda r: r.services and r.outcomes_wanted and r.involved)
    record = record.model_copy(update={"status": status})
    bundle = to_fhir_dict(record)
    (plan,) = resources(bundle, "CarePlan")
    assert plan["status"] == careplan
    own = extensions(plan)[extension_url("care-and-support-plan-status")]
    assert own["valueCoding"]["code"] == status
    assert {g["lifecycleStatus"] for g in resources(bundle, "Goal")} == {goal}
    assert {a["detail"]["status"] for a in plan["activity"]} == {activity}
    assert resources(bundle, "CareTeam")[0]["status"] == team
    assert from_fhir(bundle) == record


def test_agreed_and_active_differ_only_in_the_local_status_extension() -> None:
    record = first_plan_with(lambda r: r.status in ("agreed", "active"))
    agreed = to_fhir_dict(record.model_copy(update={"status": "agreed"}))
    active = to_fhir_dict(record.model_copy(update={"status": "active"}))
    assert resources(agreed, "CarePlan")[0]["status"] == "active"
    assert resources(active, "CarePlan")[0]["status"] == "active"
    assert from_fhir(agreed).status == "agreed"  # type: ignore[attr-defined]
    assert from_fhir(active).status == "active"  # type: ignore[attr-defined]


def test_the_personal_budget_is_money_in_pounds_sterling() -> None:
    record = first_plan_with(lambda r: r.personal_budget is not None)
    budget = record.personal_budget.model_copy(
        update={
            "total_pence": 12345,
            "person_contribution_pence": 2345,
            "council_contribution_pence": 10000,
        }
    )
    record = record.model_copy(update={"personal_budget": budget})
    bundle = to_fhir_dict(record)
    (plan,) = resources(bundle, "CarePlan")
    parts = extensions(extensions(plan)[extension_url("personal-budget")])
    assert parts["total"]["valueMoney"] == {"value": 123.45, "currency": "GBP"}
    assert parts["person-contribution"]["valueMoney"] == {"value": 23.45, "currency": "GBP"}
    assert parts["council-contribution"]["valueMoney"] == {"value": 100, "currency": "GBP"}
    assert parts["period"]["valueCode"] == budget.period
    assert from_fhir(bundle) == record


@given(pence=st.integers(0, 10**15))
def test_every_amount_of_pence_comes_back_exactly(pence: int) -> None:
    record = first_plan_with(lambda r: r.personal_budget is not None)
    budget = record.personal_budget.model_copy(update={"total_pence": pence})
    record = record.model_copy(update={"personal_budget": budget})
    assert from_fhir(to_fhir_dict(record)) == record


def test_an_amount_beyond_exact_decimals_is_refused_by_its_pointer() -> None:
    record = first_plan_with(lambda r: r.personal_budget is not None)
    budget = record.personal_budget.model_copy(update={"total_pence": 10**15 + 1})
    with pytest.raises(FhirMappingError) as caught:
        to_fhir_dict(record.model_copy(update={"personal_budget": budget}))
    assert caught.value.pointer == "/personalBudget/totalPence"


def _budget_money(bundle: dict[str, Any]) -> dict[str, Any]:
    (plan,) = resources(bundle, "CarePlan")
    budget = extensions(plan)[extension_url("personal-budget")]
    money: dict[str, Any] = extensions(budget)["total"]["valueMoney"]
    return money


@pytest.mark.parametrize(
    ("change", "code", "where"),
    [
        ({"currency": "EUR"}, "fhir.code-unmapped", ".valueMoney.currency"),
        ({"value": 1.005}, "fhir.value-format", ".valueMoney.value"),
    ],
)
def test_money_that_is_not_whole_pence_sterling_is_reported_where_it_is(
    change: dict[str, Any], code: str, where: str
) -> None:
    record = first_plan_with(lambda r: r.personal_budget is not None)
    bundle = to_fhir_dict(record)
    _budget_money(bundle).update(change)
    report = validate_fhir(PLAN, bundle)
    found = [i for i in report.issues if i.code == code]
    assert len(found) == 1
    assert found[0].path.startswith("Bundle.entry[0].resource.extension")
    assert found[0].path.endswith(where)
    assert not report.valid


def test_the_people_involved_are_a_care_team_named_by_role() -> None:
    record = first_plan_with(lambda r: any(p.role == "advocate" for p in r.involved))
    bundle = to_fhir_dict(record)
    (plan,) = resources(bundle, "CarePlan")
    (team,) = resources(bundle, "CareTeam")
    assert plan["careTeam"][0]["reference"].endswith(team["id"])
    roles = [p["role"][0]["coding"][0]["code"] for p in team["participant"]]
    expected = ["care-coordinator"] if record.care_coordinator else []
    assert roles == expected + [p.role for p in record.involved]
    by_role = dict(zip(roles, team["participant"], strict=True))
    assert "member" not in by_role["adult"]  # unnamed: a role alone
    assert target(bundle, by_role["advocate"]["member"])["resourceType"] == "Practitioner"
    carer = target(bundle, by_role["carer"]["member"])
    assert carer["resourceType"] == "RelatedPerson"
    assert carer["relationship"][0]["coding"][0]["code"] == "Carer"
    assert carer["patient"] == plan["subject"]


def test_a_named_adult_is_a_related_person_of_themselves() -> None:
    record = first_plan_with(lambda r: r.involved)
    named = Participant.model_validate({"role": "adult", "name": {"family": "Haddad"}})
    record = record.model_copy(update={"involved": [named]})
    bundle = to_fhir_dict(record)
    (team,) = resources(bundle, "CareTeam")
    adult = next(p for p in team["participant"] if p["role"][0]["coding"][0]["code"] == "adult")
    person = target(bundle, adult["member"])
    assert person["relationship"][0]["coding"][0]["code"] == "ONESELF"
    assert from_fhir(bundle) == record


def test_a_member_of_another_resource_type_is_reported() -> None:
    record = first_plan_with(lambda r: any(p.name for p in r.involved))
    bundle = to_fhir_dict(record)
    (team,) = resources(bundle, "CareTeam")
    (plan,) = resources(bundle, "CarePlan")
    number = next(
        n
        for n, p in enumerate(team["participant"])
        if "member" in p and p["role"][0]["coding"][0]["code"] != "care-coordinator"
    )
    team["participant"][number]["member"] = copy.deepcopy(plan["author"])
    report = validate_fhir(PLAN, bundle)
    paths = {(i.code, i.path) for i in report.issues}
    assert any(
        code == "fhir.reference-unresolved" and path.endswith(f"participant[{number}].member")
        for code, path in paths
    )


def test_a_plan_with_no_one_involved_has_no_care_team() -> None:
    record = PLANS[0][2].model_copy(update={"involved": [], "care_coordinator": None})
    bundle = to_fhir_dict(record)
    assert resources(bundle, "CareTeam") == []
    assert "careTeam" not in resources(bundle, "CarePlan")[0]


@pytest.mark.parametrize(("design", "name", "record"), REVIEWS, ids=[n for _, n, _ in REVIEWS])
def test_a_review_is_an_encounter_with_its_findings_based_on_the_plan(
    design: str, name: str, record: Any
) -> None:
    bundle = to_fhir_dict(record)
    (encounter,) = resources(bundle, "Encounter")
    (response,) = resources(bundle, "QuestionnaireResponse")
    assert response["encounter"]["reference"].endswith(encounter["id"])
    assert response["basedOn"] == [
        {"type": "CarePlan", "identifier": {"system": PLAN_ID_SYSTEM, "value": record.plan_id}}
    ]
    assert encounter["status"] == ("finished" if record.completed_on else "in-progress")
    assert encounter["type"][0]["coding"][0]["code"] == record.review_type
    # How the review was held is not recorded, and FHIR is told so rather than guessed.
    assert encounter["class"]["extension"][0]["valueCode"] == "unknown"
    types = [p["type"][0]["coding"][0]["code"] for p in encounter["participant"]]
    assert types == ["PPRF", *[p.role for p in record.participants]]
    items = {i["linkId"] for i in response.get("item", [])}
    assert ("findings" in items) is (record.findings is not None)
    assert ("outcome" in items) is (record.outcome is not None)


def test_a_review_without_its_plan_reference_is_refused_where_the_reference_belongs() -> None:
    _d, _n, record = REVIEWS[0]
    bundle = to_fhir_dict(record)
    (response,) = resources(bundle, "QuestionnaireResponse")
    del response["basedOn"]
    report = validate_fhir(REVIEW, bundle)
    assert not report.valid
    number = next(n for n, e in enumerate(bundle["entry"]) if e["resource"] is response)
    assert [(i.code, i.path) for i in report.issues] == [
        ("field.required", f"Bundle.entry[{number}].resource.basedOn[0]")
    ]
