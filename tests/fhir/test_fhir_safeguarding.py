"""Safeguarding: a Flag with no detail; the enquiry restricted in a Task and a response."""

from __future__ import annotations

from typing import Any

import pytest
from fhir_examples import VALID

from sharedsvc.fhir import from_fhir, to_fhir_dict
from sharedsvc.fhir.safeguarding import RESTRICTED

SAFEGUARDING = [(d, n, r) for d, n, r in VALID if d == "adult-social-care/safeguarding"]
IDS = [n for _, n, _ in SAFEGUARDING]


def resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def safeguarding_flag(bundle: dict[str, Any]) -> dict[str, Any]:
    (task,) = resources(bundle, "Task")
    (output,) = task["output"]
    url = output["valueReference"]["reference"]
    return next(e["resource"] for e in bundle["entry"] if e["fullUrl"] == url)


def test_every_valid_example_is_mapped() -> None:
    assert len(SAFEGUARDING) >= 5


@pytest.mark.parametrize(("design", "name", "record"), SAFEGUARDING, ids=IDS)
def test_the_flag_says_only_that_there_is_a_concern_and_whom_to_contact(
    design: str, name: str, record: Any
) -> None:
    bundle = to_fhir_dict(record)
    flag = safeguarding_flag(bundle)
    assert set(flag) == {
        "resourceType",
        "id",
        "meta",
        "status",
        "code",
        "subject",
        "period",
        "author",
    }
    assert flag["code"]["coding"][0]["code"] == "adult-safeguarding"
    assert flag["status"] == ("inactive" if record.status == "closed" else "active")
    assert ("end" in flag["period"]) is (record.closed_at is not None)
    (task,) = resources(bundle, "Task")
    assert flag["author"] == task["owner"]
    assert flag["subject"] == task["for"]
    # Nothing of the concern itself: no SAC code system, no free text, no security label.
    text = str(flag)
    assert "sac-" not in text and record.concern_summary not in text
    assert "security" not in flag["meta"]


@pytest.mark.parametrize(("design", "name", "record"), SAFEGUARDING, ids=IDS)
def test_the_enquiry_and_its_detail_are_labelled_restricted(
    design: str, name: str, record: Any
) -> None:
    bundle = to_fhir_dict(record)
    (task,) = resources(bundle, "Task")
    (response,) = resources(bundle, "QuestionnaireResponse")
    for resource in (task, response):
        assert resource["meta"]["security"] == [RESTRICTED]
    assert task["focus"]["reference"].endswith(response["id"])
    assert task["businessStatus"]["coding"][0]["code"] == record.status
    linked = {i["linkId"] for i in response["item"]}
    assert "concern-summary" in linked
    assert ("s42-decision" in linked) is (record.s42_decision is not None)
    assert ("enquiry" in linked) is (record.enquiry is not None)


def test_a_restricted_label_is_not_shared_between_bundles() -> None:
    _design, _name, record = SAFEGUARDING[0]
    first = to_fhir_dict(record)
    resources(first, "Task")[0]["meta"]["security"].clear()
    second = to_fhir_dict(record)
    assert resources(second, "Task")[0]["meta"]["security"] == [RESTRICTED]


def test_the_safeguarding_flag_is_not_read_as_a_communication_need() -> None:
    _design, _name, record = next(
        (d, n, r) for d, n, r in SAFEGUARDING if not r.person.communication_needs
    )
    person = record.person.model_copy(update={"communication_needs": []})
    bundle = to_fhir_dict(record.model_copy(update={"person": person}))
    assert len(resources(bundle, "Flag")) == 1
    back = from_fhir(bundle)
    assert back.person.communication_needs == []  # type: ignore[attr-defined]
