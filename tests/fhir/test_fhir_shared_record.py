"""Shared care record: a Composition whose sections point at one resource per item, each
with a Provenance naming its source; safeguarding only as a detail-free Flag."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from fhir_examples import VALID

from sharedsvc.fhir import (
    FhirInputError,
    FhirMappingError,
    from_fhir,
    to_fhir_dict,
    validate_fhir,
)
from sharedsvc.fhir.common import extension_url
from sharedsvc.fhir.converters import valueset
from sharedsvc.models.common import Organisation
from sharedsvc.terminology import Coding

DESIGN = "integrated-care/shared-care-record"
RECORDS = [(n, r) for d, n, r in VALID if d == DESIGN]
IDS = [n for n, _ in RECORDS]

#: Section title → (resource type of its entries, the record's list).
SECTIONS = {
    "Care team": ("CareTeam", "care_team"),
    "Care and support plans": ("CarePlan", "care_plans"),
    "Current services": ("ServiceRequest", "current_services"),
    "Hospital stays and discharges": ("Encounter", "hospital_discharges"),
    "Safeguarding flags": ("Flag", "safeguarding_alerts"),
    "Key contacts": ("RelatedPerson", "key_contacts"),
    "Consent to share": ("Consent", "consent_to_share"),
}
CUSTODIAN = "http://terminology.hl7.org/CodeSystem/provenance-participant-type"


def by_url(bundle: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {e["fullUrl"]: e["resource"] for e in bundle["entry"]}


def resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def composition(bundle: dict[str, Any]) -> dict[str, Any]:
    root = bundle["entry"][0]["resource"]
    assert root["resourceType"] == "Composition"
    return root


def section_entries(bundle: dict[str, Any], title: str) -> list[str]:
    found = [s for s in composition(bundle).get("section", []) if s["title"] == title]
    assert len(found) <= 1
    return [e["reference"] for e in found[0]["entry"]] if found else []


def provenances_of(bundle: dict[str, Any], url: str) -> list[dict[str, Any]]:
    return [p for p in resources(bundle, "Provenance") if p["target"][0]["reference"] == url]


def identifiers(organisation: dict[str, Any]) -> set[str]:
    return {i["value"] for i in organisation["identifier"]}


def codes(organisation: Organisation) -> set[str]:
    return {c for c in (organisation.ods_code, organisation.gss_code) if c is not None}


def first_example_with(attribute: str) -> Any:
    return next(r for _, r in RECORDS if getattr(r, attribute))


def test_every_valid_example_is_mapped() -> None:
    assert len(RECORDS) >= 4
    for _name, record in RECORDS:
        bundle = to_fhir_dict(record)
        root = composition(bundle)
        assert root["meta"]["profile"] == [
            "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Composition"
        ]
        assert root["type"]["coding"][0]["system"] == "urn:sharedsvc:codesystem:document-type"
        assert root["subject"]["type"] == "Patient"


@pytest.mark.parametrize(("name", "record"), RECORDS, ids=IDS)
def test_each_section_points_at_one_resource_of_its_type_per_item(name: str, record: Any) -> None:
    bundle = to_fhir_dict(record)
    found = by_url(bundle)
    titles = [s["title"] for s in composition(bundle).get("section", [])]
    assert set(titles) <= set(SECTIONS)
    for title, (kind, attribute) in SECTIONS.items():
        entries = section_entries(bundle, title)
        assert len(entries) == len(getattr(record, attribute)), title
        assert (title in titles) is bool(entries)
        assert {found[url]["resourceType"] for url in entries} <= {kind}
    # Every resource of an item's type is an item (a Flag may also be a communication need).
    for title, (kind, _attribute) in SECTIONS.items():
        if kind != "Flag":
            assert len(resources(bundle, kind)) == len(section_entries(bundle, title)), kind


@pytest.mark.parametrize(("name", "record"), RECORDS, ids=IDS)
def test_every_item_has_exactly_one_provenance_naming_its_source(name: str, record: Any) -> None:
    bundle = to_fhir_dict(record)
    found = by_url(bundle)
    recorded = record.generated_at
    items = 0
    for title, (_kind, attribute) in SECTIONS.items():
        for url, item in zip(
            section_entries(bundle, title), getattr(record, attribute), strict=True
        ):
            items += 1
            (provenance,) = provenances_of(bundle, url)
            source = item.provenance
            (entity,) = provenance["entity"]
            assert entity["role"] == "derivation"
            assert entity["what"]["identifier"] == {
                "system": f"urn:sharedsvc:record-id:{source.source_design}",
                "value": source.source_record_id,
            }
            assert provenance["occurredDateTime"] == source.as_of.isoformat()
            assert provenance["recorded"] == recorded.isoformat()
            (agent,) = provenance["agent"]
            assert agent["type"]["coding"][0] == {
                "system": CUSTODIAN,
                "code": "custodian",
                "display": "Custodian",
            }
            holder = found[agent["who"]["reference"]]
            assert identifiers(holder) == codes(source.source_organisation)
    # The person's details have a Provenance of their own, its target the Patient.
    (person,) = provenances_of(bundle, composition(bundle)["subject"]["reference"])
    assert person["entity"][0]["what"]["identifier"]["value"] == (
        record.person_provenance.source_record_id
    )
    assert len(resources(bundle, "Provenance")) == items + 1


def test_the_source_record_is_named_with_the_resource_its_design_maps_it_to() -> None:
    record = first_example_with("hospital_discharges")
    bundle = to_fhir_dict(record)
    url = section_entries(bundle, "Hospital stays and discharges")[0]
    (provenance,) = provenances_of(bundle, url)
    assert provenance["entity"][0]["what"]["type"] == "Composition"
    # A design without a FHIR mapping: the Reference is by identifier alone.
    person_provenance = record.person_provenance.model_copy(update={"source_design": "a/b"})
    bundle = to_fhir_dict(record.model_copy(update={"person_provenance": person_provenance}))
    (person,) = provenances_of(bundle, composition(bundle)["subject"]["reference"])
    assert person["entity"][0]["what"] == {
        "identifier": {
            "system": "urn:sharedsvc:record-id:a/b",
            "value": record.person_provenance.source_record_id,
        }
    }


@pytest.mark.parametrize(("name", "record"), RECORDS, ids=IDS)
def test_safeguarding_flags_say_only_that_there_is_a_concern_and_whom_to_contact(
    name: str, record: Any
) -> None:
    bundle = to_fhir_dict(record)
    found = by_url(bundle)
    flags = [found[url] for url in section_entries(bundle, "Safeguarding flags")]
    for flag, alert in zip(flags, record.safeguarding_alerts, strict=True):
        assert set(flag) == {
            "resourceType",
            "id",
            "meta",
            "identifier",
            "status",
            "code",
            "subject",
            "period",
            "author",
        }
        assert flag["code"]["coding"][0]["code"] == "adult-safeguarding"
        assert flag["status"] == ("inactive" if alert.status == "closed" else "active")
        assert flag["period"] == {"start": alert.raised_on.isoformat()}
        assert flag["identifier"][0]["value"] == alert.alert_id
        assert identifiers(found[flag["author"]["reference"]]) == codes(alert.contact_organisation)
        assert "security" not in flag["meta"]
    # Nothing of a safeguarding enquiry travels with the summary.
    assert not resources(bundle, "Task") and not resources(bundle, "QuestionnaireResponse")


def test_there_is_an_example_with_a_safeguarding_flag() -> None:
    assert first_example_with("safeguarding_alerts")


@pytest.mark.parametrize(("name", "record"), RECORDS, ids=IDS)
def test_each_example_comes_back_equal_and_valid(name: str, record: Any) -> None:
    bundle = to_fhir_dict(record)
    assert from_fhir(bundle) == record
    report = validate_fhir(DESIGN, bundle)
    assert report.issues == ()
    assert report.record == record


def test_a_safeguarding_flag_is_not_read_as_a_communication_need() -> None:
    # Both are Flags whose subject is the Patient: the alerts are read from their section.
    record = first_example_with("safeguarding_alerts")
    vs = valueset("accessible-information-need")
    concept = vs.concepts[0]
    need = Coding(system=vs.system_of(concept), code=concept.code, display=concept.display)
    for needs in ([], [need]):
        person = record.person.model_copy(update={"communication_needs": needs})
        changed = record.model_copy(update={"person": person})
        bundle = to_fhir_dict(changed)
        assert len(resources(bundle, "Flag")) == len(record.safeguarding_alerts) + len(needs)
        assert from_fhir(bundle) == changed


def test_the_care_team_member_is_a_practitioner_role_named_only_when_the_record_names_them() -> (
    None
):
    record = first_example_with("care_team")
    bundle = to_fhir_dict(record)
    found = by_url(bundle)
    for url, member in zip(section_entries(bundle, "Care team"), record.care_team, strict=True):
        team = found[url]
        (participant,) = team["participant"]
        assert participant["role"] == [{"text": member.role}]
        assert "onBehalfOf" not in participant  # invariant ctm-1: only for a Practitioner
        role = found[participant["member"]["reference"]]
        assert role["resourceType"] == "PractitionerRole"
        assert identifiers(found[role["organization"]["reference"]]) == codes(member.organisation)
        assert ("practitioner" in role) is (member.name is not None)
        assert ("code" in role) is (member.practitioner_role is not None)


def test_the_hospital_stay_is_an_inpatient_encounter_with_the_uk_core_destination() -> None:
    record = first_example_with("hospital_discharges")
    bundle = to_fhir_dict(record)
    found = by_url(bundle)
    urls = section_entries(bundle, "Hospital stays and discharges")
    for url, stay in zip(urls, record.hospital_discharges, strict=True):
        encounter = found[url]
        assert encounter["class"]["code"] == "IMP"
        assert encounter["identifier"][0]["value"] == stay.discharge_id
        disposition = encounter.get("hospitalization", {}).get("dischargeDisposition")
        if stay.destination is not None:
            assert disposition["coding"][0]["system"] == (
                "https://fhir.hl7.org.uk/CodeSystem/UKCore-DischargeDestinationEngland"
            )
            assert disposition["coding"][0]["code"] == stay.destination


def test_a_service_keeps_its_text_and_gains_the_cld_coding_when_the_text_is_a_code() -> None:
    record = next(
        r
        for _, r in RECORDS
        if {s.source_kind for s in r.current_services}
        >= {
            "care-and-support-plan",
            "discharge-to-assess",
        }
    )
    bundle = to_fhir_dict(record)
    found = by_url(bundle)
    coded = {c.code for c in valueset("asc-service-type").concepts}
    urls = section_entries(bundle, "Current services")
    for url, service in zip(urls, record.current_services, strict=True):
        request = found[url]
        assert request["code"]["text"] == service.service_type
        codings = request["code"].get("coding", [])
        assert [c["code"] for c in codings] == (
            [service.service_type] if service.service_type in coded else []
        )
        assert request["category"][0]["coding"][0]["code"] == service.source_kind
    # Another system may send the code alone: it is read as the code.
    (request,) = [found[u] for u in urls if found[u]["code"].get("coding")][:1]
    request["code"].pop("text")
    assert from_fhir(bundle) == record


def test_the_summary_is_authored_by_the_record_service_not_by_a_source() -> None:
    _name, record = RECORDS[0]
    root = composition(to_fhir_dict(record))
    assert root["author"] == [{"type": "Device", "display": "Shared care record service"}]
    assert root["date"] == record.generated_at.isoformat()
    assert root["status"] == "final"


def test_a_plan_without_services_has_no_count_and_reads_back_as_none() -> None:
    record = first_example_with("care_plans")
    plan = record.care_plans[0].model_copy(update={"service_count": 0})
    changed = record.model_copy(update={"care_plans": [plan]})
    bundle = to_fhir_dict(changed)
    (care_plan,) = resources(bundle, "CarePlan")
    urls = {e["url"] for e in care_plan.get("extension", [])}
    assert extension_url("service-count") not in urls
    assert from_fhir(bundle) == changed


def test_a_count_beyond_fhir_integers_is_refused_by_its_pointer() -> None:
    record = first_example_with("care_plans")
    plan = record.care_plans[0].model_copy(update={"service_count": 2**31})
    with pytest.raises(FhirMappingError) as caught:
        to_fhir_dict(record.model_copy(update={"care_plans": [plan]}))
    assert caught.value.pointer == "/carePlans/0/serviceCount"
    assert caught.value.reason == "not a valid FHIR positiveInt"


def test_an_offset_fhir_cannot_keep_gives_the_same_bundle_again() -> None:
    record = first_example_with("care_team")
    odd = record.generated_at.replace(tzinfo=None).isoformat() + "-14:00"
    changed = type(record).model_validate(
        {**record.model_dump(by_alias=True, mode="json"), "generatedAt": odd}
    )
    bundle = to_fhir_dict(changed)
    back = from_fhir(bundle)
    assert back == changed
    assert to_fhir_dict(back) == bundle


# -- broken input ---------------------------------------------------------------------------


def _without(bundle: dict[str, Any], target: str) -> dict[str, Any]:
    """The Bundle less the Provenance whose target is ``target``."""
    broken = copy.deepcopy(bundle)
    broken["entry"] = [
        e
        for e in broken["entry"]
        if not (
            e["resource"]["resourceType"] == "Provenance"
            and e["resource"]["target"][0]["reference"] == target
        )
    ]
    assert len(broken["entry"]) == len(bundle["entry"]) - 1
    return broken


def _position(bundle: dict[str, Any], url: str) -> int:
    return next(n for n, e in enumerate(bundle["entry"]) if e["fullUrl"] == url)


@pytest.mark.parametrize("title", list(SECTIONS))
def test_an_item_without_its_provenance_is_reported_at_the_item(title: str) -> None:
    record = next(r for _, r in RECORDS if getattr(r, SECTIONS[title][1]))
    bundle = to_fhir_dict(record)
    url = section_entries(bundle, title)[0]
    broken = _without(bundle, url)
    report = validate_fhir(DESIGN, broken)
    at = f"Bundle.entry[{_position(broken, url)}].resource"
    assert not report.valid
    assert ("field.required", at) in {(i.code, i.path) for i in report.issues}
    with pytest.raises(FhirInputError, match="required"):
        from_fhir(broken)


def test_a_person_without_provenance_is_reported_at_the_patient() -> None:
    _name, record = RECORDS[0]
    bundle = to_fhir_dict(record)
    patient = composition(bundle)["subject"]["reference"]
    broken = _without(bundle, patient)
    report = validate_fhir(DESIGN, broken)
    at = f"Bundle.entry[{_position(broken, patient)}].resource"
    assert ("field.required", at) in {(i.code, i.path) for i in report.issues}


def test_a_broken_section_reference_is_reported_where_it_is() -> None:
    record = first_example_with("care_plans")
    bundle = copy.deepcopy(to_fhir_dict(record))
    sections = composition(bundle)["section"]
    number = next(n for n, s in enumerate(sections) if s["title"] == "Care and support plans")
    sections[number]["entry"][0]["reference"] = "urn:uuid:00000000-0000-5000-8000-000000000000"
    report = validate_fhir(DESIGN, bundle)
    found = {(i.code, i.path) for i in report.issues}
    assert (
        "fhir.reference-unresolved",
        f"Bundle.entry[0].resource.section[{number}].entry[0].reference",
    ) in found
    assert not report.valid


def test_a_source_record_named_outside_the_record_id_systems_is_reported() -> None:
    _name, record = RECORDS[0]
    bundle = copy.deepcopy(to_fhir_dict(record))
    patient = composition(bundle)["subject"]["reference"]
    (number,) = [
        n
        for n, e in enumerate(bundle["entry"])
        if e["resource"]["resourceType"] == "Provenance"
        and e["resource"]["target"][0]["reference"] == patient
    ]
    bundle["entry"][number]["resource"]["entity"][0]["what"]["identifier"]["system"] = "urn:x"
    report = validate_fhir(DESIGN, bundle)
    found = {(i.code, i.path) for i in report.issues}
    assert ("fhir.reference-unresolved", f"Bundle.entry[{number}].resource.entity[0].what") in found
    assert not report.valid
