"""What we emit meets the UK Core rules we rely on, read from the real UK Core definitions.

Every fact is checked against the UK Core StructureDefinitions, ValueSets and
CodeSystems in ``../shared/data/uk-core`` rather than against constants of our
own, so a wrong URL in the mapping fails here.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from fhir_examples import VALID
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import records

from sharedsvc.fhir import mapped_designs, to_fhir_dict
from sharedsvc.registry import default_registry

UK_CORE = Path(__file__).resolve().parents[3] / "shared" / "data" / "uk-core"
pytestmark = pytest.mark.skipif(not UK_CORE.is_dir(), reason="UK Core data not found")
BUNDLES = [to_fhir_dict(record) for _, _, record in VALID]


@cache
def definition(name: str) -> dict[str, Any]:
    for folder in ("structuredefinitions", "valuesets", "codesystems"):
        path = UK_CORE / folder / f"{name}.json"
        if path.is_file():
            result: dict[str, Any] = json.loads(path.read_text("utf-8"))
            return result
    raise FileNotFoundError(name)


def elements(name: str) -> list[dict[str, Any]]:
    return list(definition(name)["differential"]["element"])


def expansion(name: str) -> set[tuple[str, str]]:
    return {(c["system"], c["code"]) for c in definition(name)["expansion"]["contains"]}


def resources(resource_type: str) -> list[dict[str, Any]]:
    return [
        e["resource"]
        for bundle in BUNDLES
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == resource_type
    ]


def codings(concept: dict[str, Any]) -> set[tuple[str, str]]:
    return {(c["system"], c["code"]) for c in concept["coding"]}


def extensions(resource: dict[str, Any], url: str) -> list[dict[str, Any]]:
    return [e for e in resource.get("extension", []) if e["url"] == url]


def test_every_resource_claims_the_uk_core_profile_of_its_type() -> None:
    for bundle in BUNDLES:
        assert bundle["meta"]["profile"] == [definition("UKCore-Bundle")["url"]]
        for entry in bundle["entry"]:
            resource = entry["resource"]
            kind = resource["resourceType"]
            try:
                expected = definition(f"UKCore-{kind}")["url"]
            except FileNotFoundError:
                # UK Core profiles no such resource (a Goal): the base FHIR R4 profile.
                expected = f"http://hl7.org/fhir/StructureDefinition/{kind}"
            assert resource["meta"]["profile"] == [expected]


def test_every_reference_resolves_inside_its_bundle_by_a_deterministic_urn_uuid() -> None:
    for bundle in BUNDLES:
        urls = {e["fullUrl"] for e in bundle["entry"]}
        for entry in bundle["entry"]:
            assert entry["fullUrl"] == f"urn:uuid:{entry['resource']['id']}"
        text = json.dumps(bundle)
        for chunk in text.split('"reference": "')[1:]:
            assert chunk.split('"', 1)[0] in urls


def test_nhs_numbers_use_the_uk_core_slice_and_verification_extension() -> None:
    fixed = [
        e["fixedUri"]
        for e in elements("UKCore-Patient")
        if e["path"] == "Patient.identifier.system"
    ]
    extension = definition("Extension-UKCore-NHSNumberVerificationStatus")
    value_type = next(
        e for e in extension["differential"]["element"] if e["path"] == "Extension.value[x]"
    )
    allowed = expansion("ValueSet-UKCore-NHSNumberVerificationStatus")
    numbered = [
        p
        for p in resources("Patient")
        if any(i["system"] == fixed[0] for i in p.get("identifier", []))
    ]
    assert numbered, "the examples include NHS numbers"
    for patient in numbered:
        identifier = next(i for i in patient["identifier"] if i["system"] == fixed[0])
        assert len(identifier["value"]) == 10
        (status,) = [e for e in identifier["extension"] if e["url"] == extension["url"]]
        assert [t["code"] for t in value_type["type"]] == ["CodeableConcept"]
        assert codings(status["valueCodeableConcept"]) <= allowed


def test_ethnic_category_uses_the_uk_core_extension_and_value_set() -> None:
    url = definition("Extension-UKCore-EthnicCategory")["url"]
    found = [e for p in resources("Patient") for e in extensions(p, url)]
    assert found
    for extension in found:
        assert codings(extension["valueCodeableConcept"]) <= expansion(
            "ValueSet-UKCore-EthnicCategory"
        )


def test_interpreter_need_uses_the_extension_uk_core_patient_slices() -> None:
    (slice_,) = [
        e for e in elements("UKCore-Patient") if e.get("sliceName") == "patientInterpreterRequired"
    ]
    url = slice_["type"][0]["profile"][0]
    found = [e for p in resources("Patient") for e in extensions(p, url)]
    assert found
    assert all(isinstance(e["valueBoolean"], bool) for e in found)


def test_preferred_language_is_a_bcp47_communication_marked_preferred() -> None:
    found = [c for p in resources("Patient") for c in p.get("communication", [])]
    assert found
    for communication in found:
        assert communication["preferred"] is True
        assert {c["system"] for c in communication["language"]["coding"]} == {"urn:ietf:bcp:47"}


def test_ods_codes_use_the_uk_core_organisation_code_system() -> None:
    fixed = {e["fixedUri"] for e in elements("UKCore-Organization") if "fixedUri" in e}
    ods = [
        i
        for o in resources("Organization")
        for i in o.get("identifier", [])
        if i["system"] in fixed
    ]
    assert ods
    assert {i["system"] for i in ods} == {"https://fhir.nhs.uk/Id/ods-organization-code"}


def test_gss_codes_use_the_ons_statistical_geography_namespace() -> None:
    gss = [
        i
        for o in resources("Organization")
        for i in o.get("identifier", [])
        if i["system"] == "http://statistics.data.gov.uk/id/statistical-geography"
    ]
    assert gss
    assert all(len(i["value"]) == 9 for i in gss)


def test_relationships_are_in_the_uk_core_person_relationship_value_set() -> None:
    allowed = expansion("ValueSet-UKCore-PersonRelationshipType")
    found = [r for p in resources("RelatedPerson") for r in p.get("relationship", [])]
    assert found
    assert all(codings(r) <= allowed for r in found)


def test_the_source_of_a_request_uses_the_uk_core_extension() -> None:
    url = definition("Extension-UKCore-SourceOfServiceRequest")["url"]
    assert any(extensions(r, url) for r in resources("ServiceRequest"))


def test_consent_meets_invariant_ppc_1_with_scope_and_category() -> None:
    for consent in resources("Consent"):
        assert consent["scope"] and consent["category"]
        assert consent.get("policy") or consent.get("policyRule")  # ppc-1


def test_every_extension_we_write_is_a_uk_core_or_hl7_definition() -> None:
    known = {
        definition(p.stem)["url"]
        for p in (UK_CORE / "structuredefinitions").glob("Extension-*.json")
    }
    known.add("http://hl7.org/fhir/StructureDefinition/patient-interpreterRequired")
    known.add("http://hl7.org/fhir/StructureDefinition/data-absent-reason")
    for bundle in BUNDLES:
        for url in _extension_urls(bundle):
            assert url in known


def _extension_urls(value: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "extension":
                found |= {e["url"] for e in item if e["url"].startswith("http")}
            found |= _extension_urls(item)
    elif isinstance(value, list):
        for item in value:
            found |= _extension_urls(item)
    return found


@pytest.mark.parametrize("design_id", mapped_designs())
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_a_status_without_an_nhs_number_keeps_the_required_value_absent_with_a_reason(
    design_id: str, data: st.DataObject
) -> None:
    record = data.draw(records(default_registry().record_model(design_id), fhir=True))
    for entry in to_fhir_dict(record)["entry"]:
        identifiers = entry["resource"].get("identifier", [])
        # Composition.identifier is a single Identifier, not a list.
        for identifier in [identifiers] if isinstance(identifiers, dict) else identifiers:
            if identifier["system"] == "https://fhir.nhs.uk/Id/nhs-number":
                assert "value" in identifier or identifier["_value"]["extension"][0]["valueCode"]
