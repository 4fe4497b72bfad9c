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

from sharedsvc.fhir import mapped_designs, validate_fhir
from sharedsvc.fhir.bundle import mapping
from sharedsvc.fhir.common import (
    CONSENT,
    ORGANIZATION,
    PATIENT,
    PRACTITIONER,
    PRACTITIONER_ROLE,
    RELATED_PERSON,
)
from sharedsvc.fhir.engine import ResourceMap
from sharedsvc.fhir.table import resource_maps
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
#: The main resource of a design's record, read as that design.
READ_AS: dict[str, str] = {
    "Encounter": "adult-social-care/needs-assessment",
    "Composition": "integrated-care/hospital-discharge",
    "CarePlan": "adult-social-care/care-and-support-plan",
}
#: Types sharedsvc maps only beside a main resource (an assessment's Observation and
#: QuestionnaireResponse, a safeguarding Flag, a plan's Conditions): sent alone, each is
#: refused because the main resource is missing, plus any issue listed in EXPECTED.
BESIDE_A_MAIN_RESOURCE = ("Observation", "QuestionnaireResponse", "Flag", "Condition")

_SR = "ServiceRequest"
_EXT = "urn:sharedsvc:fhir:extension:"
_NEEDS_ID = "urn:sharedsvc:record-id:adult-social-care/needs-assessment"
_PLAN_ID = "urn:sharedsvc:record-id:adult-social-care/care-and-support-plan"
_HOW = "urn:sharedsvc:codesystem:assessment-type"
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
    "UKCore-Encounter-InpatientEncounter-Example": (
        {
            ("date.invalid", "Encounter.period.end"),
            ("date.invalid", "Encounter.period.start"),
            ("fhir.reference-unresolved", "Encounter.serviceProvider.reference"),
            ("fhir.reference-unresolved", "Encounter.subject.reference"),
            ("field.required", "Encounter"),
            ("field.required", f"Encounter.identifier.where(system='{_NEEDS_ID}').value"),
            ("field.required", "Encounter.participant.where(type.coding.code='PPRF')"),
            ("field.required", "Encounter.serviceProvider"),
            ("field.required", "Encounter.subject"),
            ("field.required", f"Encounter.type.where(coding.system='{_HOW}')"),
        },
        "a hospital stay, not a needs assessment: no assessor, no record id, no way of "
        "assessing; its period is in times where an assessment is recorded by date; its "
        "subject and provider are server references",
    ),
    "UKCore-Composition-Discharge-Example": (
        {
            ("fhir.reference-unresolved", "Composition.author[0].reference"),
            ("fhir.reference-unresolved", "Composition.encounter.reference"),
            ("fhir.reference-unresolved", "Composition.subject.reference"),
            ("field.required", "Composition"),
            ("field.required", "Composition.author[0]"),
            (
                "field.required",
                f"Composition.extension.where(url='{_EXT}information-recipient').valueReference",
            ),
            (
                "field.required",
                f"Composition.extension.where(url='{_EXT}process-state').valueCoding",
            ),
            ("field.required", "Composition.section.where(title='Consent to share').entry[0]"),
            ("field.required", "Composition.subject"),
        },
        "a clinical discharge summary sent alone: its people and stay are server "
        "references, and it has no recipient, process state or consent to share",
    ),
    "UKCore-CarePlan-WellnessPlan-Example": (
        {
            ("coding.wrong-system", "CarePlan.activity[0].detail.code"),
            ("fhir.identifier-system", "CarePlan.identifier[0]"),
            ("fhir.reference-unresolved", "CarePlan.activity[0].detail.performer[0].reference"),
            ("fhir.reference-unresolved", "CarePlan.author.reference"),
            ("fhir.reference-unresolved", "CarePlan.subject.reference"),
            ("field.required", "CarePlan.activity[0].detail.code"),
            ("field.required", "CarePlan.activity[0].detail.description"),
            (
                "field.required",
                f"CarePlan.activity[0].detail.extension.where(url='{_EXT}"
                "delivery-mechanism').valueCodeableConcept",
            ),
            ("field.required", "CarePlan.activity[0].detail.scheduledPeriod.start"),
            ("field.required", "CarePlan.author"),
            (
                "field.required",
                f"CarePlan.extension.where(url='{_EXT}care-and-support-plan-status').valueCoding",
            ),
            ("field.required", f"CarePlan.identifier.where(system='{_PLAN_ID}').value"),
            ("field.required", "CarePlan.period.start"),
            ("field.required", "CarePlan.subject"),
            ("field.required", "CarePlan.supportingInfo[0]"),
        },
        "a clinical weight-management plan, not a care and support plan: its activity is a "
        "SNOMED CT observable, not a Client Level Data service, it names no needs "
        "assessment, council or start, its identifier has no system, and its people are "
        "server references",
    ),
    "UKCore-QuestionnaireResponse-BabyPatientSurvey-Example": (
        {("fhir.identifier-system", "QuestionnaireResponse.identifier")},
        "also: its identifier has no system",
    ),
    "UKCore-QuestionnaireResponse-InpatientSurvey-Example": (
        {("fhir.identifier-system", "QuestionnaireResponse.identifier")},
        "also: its identifier has no system",
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
    return validate_fhir(READ_AS.get(kind, CONTACT), example)


def _examples() -> dict[str, str]:
    """Every example's name and resource type."""
    return {
        p.stem: json.loads(p.read_text("utf-8"))["resourceType"]
        for p in sorted(EXAMPLES.glob("*.json"))
    }


def _expected(name: str, kind: str) -> set[tuple[str, str]]:
    listed = EXPECTED[name][0] if name in EXPECTED else set()
    if kind in BESIDE_A_MAIN_RESOURCE:
        return listed | {("fhir.resource-missing", kind)}
    return listed


def test_the_table_names_every_example_of_a_type_read_on_its_own_or_as_a_record() -> None:
    mapped = {
        name for name, kind in _examples().items() if kind in {*MAPS, *READ_AS_CONTACT, *READ_AS}
    }
    listed = {name for name in EXPECTED if _examples()[name] not in BESIDE_A_MAIN_RESOURCE}
    assert mapped == listed


def test_every_mapped_resource_type_has_an_example_read_here() -> None:
    kinds = set(_examples().values())
    assert {"Encounter", "Composition", "CarePlan", "Observation", "Flag"} <= kinds
    read = {*MAPS, *READ_AS_CONTACT, *READ_AS, *BESIDE_A_MAIN_RESOURCE}
    ours = {m.fhir_type for d in mapped_designs() for m in resource_maps(mapping(d))}
    # Every type we emit that UK Core publishes an example of is read by this module.
    assert (ours & kinds) <= read


@pytest.mark.parametrize(
    "name",
    sorted(
        n
        for n, kind in (_examples().items() if EXAMPLES.is_dir() else [])
        if kind in {*MAPS, *READ_AS_CONTACT, *READ_AS, *BESIDE_A_MAIN_RESOURCE}
    ),
    ids=lambda n: n.removeprefix("UKCore-"),
)
def test_each_example_is_accepted_or_refused_for_its_stated_reason(name: str) -> None:
    expected = _expected(name, _examples()[name])
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
