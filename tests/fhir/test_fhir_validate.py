"""validate_fhir: FHIR input is checked in stages and every issue points into the FHIR."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from fhir_examples import VALID

from sharedsvc.fhir import FhirInputError, from_fhir, to_fhir, to_fhir_dict, validate_fhir
from sharedsvc.fhir.issues import FHIR_CODES
from sharedsvc.validation import Limits

DESIGN = "adult-social-care/contact"
CONTACTS = {name: record for design, name, record in VALID if design == DESIGN}
GP = to_fhir_dict(CONTACTS["gp-referral-progressed-to-assessment"])


def entry_of(bundle: dict[str, Any], resource_type: str) -> tuple[int, dict[str, Any]]:
    for number, entry in enumerate(bundle["entry"]):
        if entry["resource"]["resourceType"] == resource_type:
            return number, entry["resource"]
    raise LookupError(resource_type)


def issues(bundle: Any) -> set[tuple[str, str]]:
    return {(i.code, i.path) for i in validate_fhir(DESIGN, bundle).issues}


def gp() -> tuple[dict[str, Any], int, dict[str, Any]]:
    bundle = copy.deepcopy(GP)
    number, patient = entry_of(bundle, "Patient")
    return bundle, number, patient


@pytest.mark.parametrize(("name", "record"), sorted(CONTACTS.items()), ids=sorted(CONTACTS))
def test_a_bundle_we_emitted_is_valid_and_gives_the_record_back(name: str, record: Any) -> None:
    report = validate_fhir(DESIGN, to_fhir_dict(record))
    assert report.valid and report.issues == ()
    assert report.record == record


def test_every_payload_form_is_accepted(tmp_path: Path) -> None:
    record = CONTACTS["self-contact-routine"]
    text = json.dumps(to_fhir_dict(record))
    path = tmp_path / "bundle.json"
    path.write_text(text)
    for payload in (text, text.encode(), json.loads(text), path, to_fhir(record)):
        assert validate_fhir(DESIGN, payload).valid
    assert validate_fhir(DESIGN, path).source == str(path)


def test_payload_limits_are_those_of_canonical_validation() -> None:
    report = validate_fhir(DESIGN, json.dumps(GP), limits=Limits(max_bytes=100))
    assert report.codes == ["payload.too-large"]
    assert validate_fhir(DESIGN, b"{not json").codes == ["payload.malformed-json"]


def test_a_wrong_check_digit_is_reported_at_the_identifier_value() -> None:
    bundle, number, patient = gp()
    patient["identifier"][0]["value"] = "9434765918"
    assert issues(bundle) == {
        ("nhs-number.checksum", f"Bundle.entry[{number}].resource.identifier[0].value")
    }


def test_an_nhs_number_without_its_verification_extension_is_refused() -> None:
    bundle, number, patient = gp()
    del patient["identifier"][0]["extension"]
    at = f"Bundle.entry[{number}].resource"
    assert issues(bundle) == {
        ("fhir.extension-missing", f"{at}.identifier[0]"),
        ("nhs-number.status-required", at),
    }


def test_an_old_nhs_number_system_is_refused_by_name() -> None:
    bundle, number, patient = gp()
    patient["identifier"][0]["system"] = "http://fhir.nhs.net/Id/nhs-number"
    report = validate_fhir(DESIGN, bundle)
    assert {(i.code, i.path) for i in report.issues} == {
        ("fhir.identifier-system", f"Bundle.entry[{number}].resource.identifier[0].system")
    }
    assert "https://fhir.nhs.uk/Id/nhs-number" in report.issues[0].message


def test_a_bad_ods_code_and_a_missing_identifier_system_are_uk_core_issues() -> None:
    bundle = copy.deepcopy(GP)
    number, organisation = next(
        (n, e["resource"])
        for n, e in enumerate(bundle["entry"])
        if e["resource"]["resourceType"] == "Organization"
        and e["resource"]["identifier"][0]["system"].endswith("ods-organization-code")
    )
    organisation["identifier"][0]["value"] = "A8 1001"
    organisation["identifier"].append({"value": "x"})
    at = f"Bundle.entry[{number}].resource"
    assert {
        ("ods-code.format", f"{at}.identifier[0].value"),
        ("fhir.identifier-system", f"{at}.identifier[1]"),
    } <= issues(bundle)


def test_a_code_outside_a_uk_core_extension_value_set_is_refused() -> None:
    bundle, number, patient = gp()
    ethnic = next(e for e in patient["extension"] if e["url"].endswith("EthnicCategory"))
    ethnic["valueCodeableConcept"]["coding"][0]["code"] = "Q"
    position = patient["extension"].index(ethnic)
    at = f"Bundle.entry[{number}].resource.extension[{position}].valueCodeableConcept"
    assert ("coding.unknown-code", at) in issues(bundle)


def test_structural_problems_stop_before_the_record_is_read() -> None:
    bundle, number, patient = gp()
    patient["birthDate"] = "1958-02-30"
    patient["colour"] = "red"
    del bundle["entry"][0]["resource"]["subject"]
    assert issues(bundle) == {
        ("fhir.value-format", f"Bundle.entry[{number}].resource.birthDate"),
        ("fhir.element-unknown", f"Bundle.entry[{number}].resource.colour"),
        ("fhir.element-required", "Bundle.entry[0].resource.subject"),
    }


def test_a_required_binding_code_and_an_unmappable_code_are_both_named() -> None:
    bundle, number, patient = gp()
    patient["gender"] = "M"
    bundle["entry"][0]["resource"]["priority"] = "stat"
    assert issues(bundle) == {
        ("fhir.code-binding", f"Bundle.entry[{number}].resource.gender"),
        ("fhir.code-unmapped", f"Bundle.entry[{number}].resource.gender"),
        ("fhir.code-unmapped", "Bundle.entry[0].resource.priority"),
        ("field.required", "Bundle.entry[0].resource.priority"),
    }


def test_a_resource_the_mapping_does_not_use_is_reported_not_dropped() -> None:
    bundle = copy.deepcopy(GP)
    bundle["entry"].append(
        {
            "fullUrl": "urn:uuid:0b7f2b84-5c3c-4c1c-9a47-4a3a2a6b1c11",
            "resource": {"resourceType": "Observation", "status": "final", "code": {"text": "x"}},
        }
    )
    report = validate_fhir(DESIGN, bundle)
    assert report.valid
    assert {(i.code, i.path) for i in report.issues} == {
        ("fhir.unmapped-resource", f"Bundle.entry[{len(bundle['entry']) - 1}].resource")
    }


def test_an_unresolved_reference_is_reported_where_it_is() -> None:
    bundle = copy.deepcopy(GP)
    bundle["entry"][0]["resource"]["performer"][0]["reference"] = (
        "urn:uuid:00000000-0000-5000-8000-000000000000"
    )
    found = issues(bundle)
    assert ("fhir.reference-unresolved", "Bundle.entry[0].resource.performer[0].reference") in found
    assert ("field.required", "Bundle.entry[0].resource.performer[0]") in found


def test_a_resource_not_claiming_its_uk_core_profile_is_warned_about() -> None:
    bundle, number, patient = gp()
    del patient["meta"]
    report = validate_fhir(DESIGN, bundle)
    assert report.valid
    assert [(i.code, i.path, i.severity.value) for i in report.issues] == [
        ("fhir.profile-missing", f"Bundle.entry[{number}].resource", "warning")
    ]


def test_a_bundle_without_the_main_resource_is_refused() -> None:
    bundle = copy.deepcopy(GP)
    bundle["entry"] = [
        e for e in bundle["entry"] if e["resource"]["resourceType"] != "ServiceRequest"
    ]
    assert ("fhir.resource-missing", "Bundle") in issues(bundle)


def test_the_records_own_rules_run_and_point_at_the_fhir_element() -> None:
    bundle = copy.deepcopy(GP)
    bundle["entry"][0]["resource"]["authoredOn"] = "2026-11-25T10:00:00Z"
    number, _task = entry_of(bundle, "Task")
    report = validate_fhir(DESIGN, bundle)
    (issue,) = report.issues
    assert (issue.code, issue.path) == (
        "contact.decided-before-received",
        f"Bundle.entry[{number}].resource.executionPeriod.end",
    )
    assert issue.path in issue.message


def test_from_fhir_refuses_what_the_model_refuses_but_not_business_rules() -> None:
    bundle = copy.deepcopy(GP)
    bundle["entry"][0]["resource"]["authoredOn"] = "2026-11-25T10:00:00Z"
    assert from_fhir(bundle).received_at.day == 25  # type: ignore[attr-defined]
    del bundle["entry"][0]["resource"]["reasonCode"]
    with pytest.raises(FhirInputError) as caught:
        from_fhir(bundle)
    assert [(i.code, i.path) for i in caught.value.report.issues] == [
        ("field.required", "Bundle.entry[0].resource.reasonCode[0].text")
    ]


def test_from_fhir_needs_the_design_when_the_bundle_does_not_name_it() -> None:
    bundle = copy.deepcopy(GP)
    del bundle["meta"]
    with pytest.raises(FhirInputError):
        from_fhir(bundle)
    assert from_fhir(bundle, DESIGN) == CONTACTS["gp-referral-progressed-to-assessment"]


def test_no_message_carries_a_value_from_the_input() -> None:
    bundle, _number, patient = gp()
    patient["identifier"][0]["value"] = "9434765918"
    patient["name"][0]["family"] = ""
    bundle["entry"][0]["resource"]["reasonCode"][0]["text"] = "Sensitive words\u2003"
    patient["birthDate"] = "1958-02-30"
    report = validate_fhir(DESIGN, bundle)
    assert report.issues
    for issue in report.issues:
        assert "9434765918" not in issue.message
        assert "1958-02-30" not in issue.message
        assert "Sensitive" not in issue.message


def test_every_fhir_issue_code_is_raised_by_some_input() -> None:
    raised: set[str] = set()
    for mutate in MUTATIONS:
        broken = copy.deepcopy(GP)
        mutate(broken)
        raised |= {i.code for i in validate_fhir(DESIGN, broken).issues}
    assert {c.code for c in FHIR_CODES} <= raised


def _patient(bundle: dict[str, Any]) -> dict[str, Any]:
    return entry_of(bundle, "Patient")[1]


MUTATIONS = [
    lambda b: _patient(b).update(name={"family": "x"}),  # fhir.structure
    lambda b: _patient(b).update(colour="red"),  # fhir.element-unknown
    lambda b: b["entry"][0]["resource"].pop("subject"),  # fhir.element-required
    lambda b: _patient(b).update(birthDate="1958-02-30"),  # fhir.value-format
    lambda b: _patient(b).update(gender="M"),  # fhir.code-binding, fhir.code-unmapped
    lambda b: _patient(b).pop("meta"),  # fhir.profile-missing
    lambda b: _patient(b)["identifier"][0].update(system="http://fhir.nhs.net/Id/nhs-number"),
    lambda b: _patient(b)["identifier"][0].pop("extension"),  # fhir.extension-missing
    lambda b: b["entry"][0]["resource"]["performer"][0].update(reference="urn:uuid:x"),
    lambda b: b["entry"].append(
        {"resource": {"resourceType": "Observation", "status": "final", "code": {}}}
    ),
    lambda b: b.update(entry=b["entry"][1:]),  # fhir.resource-missing
]
