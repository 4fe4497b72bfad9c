"""Every official UK Core example of a resource type we map is read, or refused for a stated reason.

Each example is read as the record its type maps to (a Patient as a Person, a
ServiceRequest as a contact…) by the same code that reads our own Bundles. The
table below names, for each example, whether it is accepted and otherwise the
exact issues (code and location) and why. UK Core's examples do not claim
their profiles in ``meta.profile``, so each also carries the warning
``fhir.profile-missing``; that is asserted separately.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sharedsvc.fhir import validate_fhir
from sharedsvc.fhir.common import (
    CONSENT,
    ORGANIZATION,
    PATIENT,
    PRACTITIONER,
    PRACTITIONER_ROLE,
    RELATED_PERSON,
)
from sharedsvc.fhir.engine import ResourceMap
from sharedsvc.fhir.validate import validate_resource
from sharedsvc.validation import Report

EXAMPLES = Path(__file__).resolve().parents[3] / "shared" / "data" / "uk-core" / "examples"
pytestmark = pytest.mark.skipif(not EXAMPLES.is_dir(), reason="UK Core examples not found")
CONTACT = "adult-social-care/contact"

#: The record each resource type is read as, when read on its own.
MAPS: dict[str, ResourceMap] = {
    "Patient": PATIENT,
    "Organization": ORGANIZATION,
    "Practitioner": PRACTITIONER,
    "PractitionerRole": PRACTITIONER_ROLE,
    "RelatedPerson": RELATED_PERSON,
    "Consent": CONSENT,
}
#: Types read only as part of a design's record.
READ_AS_CONTACT = ("ServiceRequest", "Task", "Bundle")

_SR = "ServiceRequest"
_NOT_A_CONTACT = {
    ("fhir.reference-unresolved", f"{_SR}.performer[0].reference"),
    ("fhir.reference-unresolved", f"{_SR}.subject.reference"),
    (
        "field.required",
        f"{_SR}.identifier.where(system='urn:sharedsvc:record-id:adult-social-care/contact').value",
    ),
    (
        "field.required",
        f"{_SR}.category.where(coding.system='urn:sharedsvc:codesystem:asc-request-route-of-access')",
    ),
    ("field.required", f"{_SR}.performer[0]"),
    ("field.required", f"{_SR}.priority"),
    ("field.required", f"{_SR}.subject"),
    ("field.required", f"{_SR}.supportingInfo.where(type='Consent')"),
}

#: example → (issues that block it, why). An empty set means the example is accepted.
EXPECTED: dict[str, tuple[set[tuple[str, str]], str]] = {
    "UKCore-Patient-RichardSmith-Example": (set(), "accepted"),
    "UKCore-Patient-Sn-Makaton-Example": (set(), "accepted"),
    "UKCore-Patient-Sn-SingleLanguage-Example": (set(), "accepted"),
    "UKCore-Patient-Sn-Photo-Example": (
        {("field.required", "Patient.name")},
        "a snippet with a photo and no name; every sharedsvc person has a name",
    ),
    "UKCore-Organization-LeedsTeachingHospital-Example": (set(), "accepted"),
    "UKCore-RelatedPerson-JoySmith-Example": (set(), "accepted"),
    "UKCore-Consent-ForInformationAccess-Example": (
        set(),
        "accepted: status active with no provision type reads as consent given",
    ),
    "UKCore-Practitioner-ConsultantSandraGose-Example": (
        {("field.required", "Practitioner")},
        "a Practitioner alone has no role; sharedsvc keeps the role, as FHIR does, on "
        "PractitionerRole",
    ),
    "UKCore-Practitioner-DoctorPaulRastall-Example": (
        {("field.required", "Practitioner")},
        "as above: no PractitionerRole, so no role",
    ),
    "UKCore-Practitioner-Sn-Photo-Example": (
        {("field.required", "Practitioner"), ("field.required", "Practitioner.name[0]")},
        "a snippet with neither role nor name",
    ),
    "UKCore-Practitioner-Sn-Qualification-Example": (
        {("field.required", "Practitioner"), ("field.required", "Practitioner.name[0]")},
        "a snippet with neither role nor name",
    ),
    "UKCore-PractitionerRole-GeneralPractitioner-Example": (
        {
            ("fhir.reference-unresolved", "PractitionerRole.organization.reference"),
            ("fhir.reference-unresolved", "PractitionerRole.practitioner.reference"),
            ("field.required", "PractitionerRole"),
        },
        "sent alone, its Practitioner (so the name) is a server reference that cannot be "
        "read; the role is read from the SDS job role's display",
    ),
    "UKCore-PractitionerRole-Sn-Organization-Code-Example": (
        {
            ("fhir.reference-unresolved", "PractitionerRole.organization"),
            ("field.required", "PractitionerRole"),
            ("field.required", "PractitionerRole.code[0]"),
        },
        "a snippet: the organisation is a logical reference (ODS code only, no name to "
        "read), and there is no practitioner or role",
    ),
    "UKCore-ServiceRequest-CTChestScan-Example": (
        _NOT_A_CONTACT | {("field.required", f"{_SR}.reasonCode[0].text")},
        "a clinical order, not a contact: no council, route of access, urgency, reason or "
        "consent, and its subject and performer are server references",
    ),
    "UKCore-ServiceRequest-ColonoscopyRequest-Example": (
        _NOT_A_CONTACT | {("coding.wrong-system", f"{_SR}.extension[0].valueCodeableConcept")},
        "as above; its source of request is a SNOMED CT referral source, not a sharedsvc "
        "referrer kind",
    ),
    "UKCore-ServiceRequest-ECG-Example": (
        _NOT_A_CONTACT | {("field.required", f"{_SR}.reasonCode[0].text")},
        "a clinical order, not a contact",
    ),
    "UKCore-ServiceRequest-Lab-CReactiveProtein-Example": (
        _NOT_A_CONTACT | {("field.required", f"{_SR}.reasonCode[0].text")},
        "a laboratory order, not a contact",
    ),
    "UKCore-Task-Colonoscopy-Example": (
        {("fhir.resource-missing", "Task")},
        "a Task alone is not a contact: the decision Task is read with its ServiceRequest",
    ),
    "UKCore-Bundle-AllergyList-Example": (
        {("fhir.resource-missing", "Bundle")},
        "no ServiceRequest",
    ),
    "UKCore-Bundle-Batch-Example": ({("fhir.resource-missing", "Bundle")}, "no ServiceRequest"),
    "UKCore-Bundle-BatchPOST-Example": ({("fhir.resource-missing", "Bundle")}, "no ServiceRequest"),
    "UKCore-Bundle-NEWS2Observations-Example": (
        {("fhir.resource-missing", "Bundle")},
        "no ServiceRequest",
    ),
    "UKCore-Bundle-Sn-NoAllergyData-Example": (
        {("fhir.resource-missing", "Bundle")},
        "no ServiceRequest",
    ),
}


def _load(name: str) -> dict[str, Any]:
    result: dict[str, Any] = json.loads((EXAMPLES / f"{name}.json").read_text("utf-8"))
    return result


def _report(example: dict[str, Any]) -> Report:
    kind = example["resourceType"]
    if kind in MAPS:
        return validate_resource(MAPS[kind], example)
    return validate_fhir(CONTACT, example)


def test_the_table_names_every_example_of_a_type_we_map() -> None:
    mapped = {
        p.stem
        for p in EXAMPLES.glob("*.json")
        if json.loads(p.read_text("utf-8"))["resourceType"] in {*MAPS, *READ_AS_CONTACT}
    }
    assert mapped == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED), ids=lambda n: n.removeprefix("UKCore-"))
def test_each_example_is_accepted_or_refused_for_its_stated_reason(name: str) -> None:
    expected, _why = EXPECTED[name]
    report = _report(_load(name))
    blocking = {(i.code, i.path) for i in report.issues if i.severity.blocks}
    assert blocking == expected
    assert report.valid == (not expected)
    warnings = {i.code for i in report.issues if not i.severity.blocks}
    assert warnings <= {"fhir.profile-missing", "fhir.unmapped-resource"}


def test_an_accepted_example_gives_the_record_its_content_says() -> None:
    report = validate_resource(PATIENT, _load("UKCore-Patient-RichardSmith-Example"))
    person: Any = report.record
    assert person.nhs_number == "9912003888"
    assert person.nhs_number_verification == "01"
    assert person.ethnic_category == "G"
    assert person.stated_gender == "1"
    assert person.preferred_language == "bfi"
    assert person.names[0].family == "SMITH"
    assert person.addresses[0].postcode == "LS17 7DF"


def test_a_flag_is_read_as_a_communication_need_only_when_its_code_is_one() -> None:
    patient = _load("UKCore-Patient-RichardSmith-Example")
    flag = _load("UKCore-Flag-FoodAllergy-Example")
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"resource": patient}, {"resource": flag}],
    }
    report = validate_resource(PATIENT, bundle)
    assert ("coding.unknown-code", "Bundle.entry[1].resource.code") in {
        (i.code, i.path) for i in report.issues
    }
