"""A process case becomes a Task with its history as Provenance, and comes back the same."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fhir_examples import VALID

from sharedsvc import open_case
from sharedsvc.fhir import case_from_fhir, case_to_fhir, validate_fhir
from sharedsvc.fhir.process import CaseReadError
from sharedsvc.fhir.structure import checker
from sharedsvc.models.common import Organisation

DESIGN = "adult-social-care/contact"
KENT = Organisation(name="Kent County Council", gss_code="E10000016")
RECORD = next(r for d, n, r in VALID if n == "gp-referral-progressed-to-assessment")


def at(day: int, hour: int) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=UTC)


def screening_case():  # type: ignore[no-untyped-def]
    case = open_case(DESIGN, "CASE-1", "contact-officer", at(23, 9))
    case.apply("start-screening", "contact-officer", at(23, 10))
    return case


def resources(bundle, kind):  # type: ignore[no-untyped-def]
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def test_the_task_carries_state_deadline_and_owner() -> None:
    case = screening_case()
    bundle = case_to_fhir(case, owner=KENT, record=RECORD)
    task = next(
        t
        for t in resources(bundle, "Task")
        if "identifier" in t and t["identifier"][0]["value"] == "CASE-1"
    )
    assert task["status"] == "in-progress"
    assert task["businessStatus"]["coding"][0]["code"] == "screening"
    first_due = min(case.deadlines(), key=lambda d: d.due)
    assert task["restriction"]["period"] == {
        "start": first_due.started_at.isoformat(),
        "end": first_due.due.isoformat(),
    }
    owner = task["owner"]["reference"]
    (organisation,) = [e["resource"] for e in bundle["entry"] if e["fullUrl"] == owner]
    assert organisation["identifier"][0]["value"] == "E10000016"
    assert task["focus"]["type"] == "ServiceRequest"
    assert task["for"]["type"] == "Patient"


def test_each_event_is_a_provenance_of_the_task() -> None:
    case = screening_case()
    bundle = case_to_fhir(case, owner=KENT)
    provenances = resources(bundle, "Provenance")
    assert [p["activity"]["coding"][0]["code"] for p in provenances] == ["open", "start-screening"]
    assert [p["recorded"] for p in provenances] == [at(23, 9).isoformat(), at(23, 10).isoformat()]
    assert provenances[0]["agent"][0]["who"] == {"display": "Contact officer"}


def test_a_final_state_completes_the_task_and_its_clocks() -> None:
    case = screening_case()
    case.apply("progress-to-assessment", "social-worker", at(24, 11))
    bundle = case_to_fhir(case, owner=KENT)
    tasks = resources(bundle, "Task")
    assert tasks[0]["status"] == "completed"
    assert "restriction" not in tasks[0]
    clocks = {
        t["code"]["coding"][0]["code"]: t["businessStatus"]["coding"][0]["code"]
        for t in tasks
        if "partOf" in t
    }
    # 3 working days to decide were met; 24 hours to pass on a safeguarding concern were not.
    assert clocks == {"screening-decision": "met", "safeguarding-triage": "missed"}


@pytest.mark.parametrize("with_record", [False, True])
def test_a_case_comes_back_from_its_bundle_with_the_same_history(with_record: bool) -> None:
    case = screening_case()
    case.apply("signpost", "contact-officer", at(24, 9))
    bundle = case_to_fhir(case, owner=KENT, record=RECORD if with_record else None)
    again = case_from_fhir(bundle)
    assert again.history == case.history
    assert again.state == case.state == "signposted"
    assert again.deadlines() == case.deadlines()


def test_the_case_bundle_is_valid_fhir_and_valid_as_the_record() -> None:
    bundle = case_to_fhir(screening_case(), owner=KENT, record=RECORD)
    assert checker().check(bundle) == []
    report = validate_fhir(DESIGN, bundle)
    assert report.valid
    assert {i.code for i in report.issues} <= {"fhir.unmapped-resource"}


def test_a_bundle_without_a_case_is_refused() -> None:
    with pytest.raises(CaseReadError):
        case_from_fhir({"resourceType": "Bundle", "type": "collection", "entry": []})
