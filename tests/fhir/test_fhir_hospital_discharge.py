"""Hospital discharge: a transfer-of-care Composition and the stay as an inpatient Encounter."""

from __future__ import annotations

from typing import Any

import pytest
from fhir_examples import VALID

from sharedsvc.fhir import from_fhir, to_fhir_dict
from sharedsvc.fhir.common import extension_url

DISCHARGES = [(d, n, r) for d, n, r in VALID if d == "integrated-care/hospital-discharge"]
IDS = [n for _, n, _ in DISCHARGES]
UK_CORE_DESTINATION = "https://fhir.hl7.org.uk/CodeSystem/UKCore-DischargeDestinationEngland"


def resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def extensions(resource: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {e["url"]: e for e in resource.get("extension", [])}


@pytest.mark.parametrize(("design", "name", "record"), DISCHARGES, ids=IDS)
def test_the_stay_is_an_inpatient_encounter_with_the_uk_core_discharge_destination(
    design: str, name: str, record: Any
) -> None:
    bundle = to_fhir_dict(record)
    (composition,) = resources(bundle, "Composition")
    (encounter,) = resources(bundle, "Encounter")
    assert composition["encounter"]["reference"].endswith(encounter["id"])
    assert encounter["class"]["code"] == "IMP"
    disposition = encounter.get("hospitalization", {}).get("dischargeDisposition")
    if record.destination is None:
        assert disposition is None
    else:
        assert disposition["coding"][0] == {
            "system": UK_CORE_DESTINATION,
            "code": record.destination,
            "display": disposition["coding"][0]["display"],
        }
    assert encounter["status"] == ("in-progress" if record.discharged_at is None else "finished")
    found = extensions(encounter)
    assert (extension_url("discharge-pathway") in found) is (record.pathway is not None)
    delays = found.get(extension_url("discharge-delay-reasons"), {}).get("extension", [])
    assert [d["valueCoding"]["code"] for d in delays] == record.delay_reasons


@pytest.mark.parametrize(("design", "name", "record"), DISCHARGES, ids=IDS)
def test_the_discharge_extensions_are_sharedsvc_urns_not_invented_web_addresses(
    design: str, name: str, record: Any
) -> None:
    bundle = to_fhir_dict(record)
    for kind in ("Composition", "Encounter"):
        (resource,) = resources(bundle, kind)
        for url in extensions(resource):
            assert url.startswith("urn:sharedsvc:fhir:extension:")


def test_the_transfer_of_care_is_one_section_per_heading() -> None:
    _design, _name, record = next((d, n, r) for d, n, r in DISCHARGES if r.transfer_of_care)
    (composition,) = resources(to_fhir_dict(record), "Composition")
    (transfer,) = [s for s in composition["section"] if s["title"] == "Transfer of care"]
    titles = {s["title"] for s in transfer["section"]}
    assert "Mobility" in titles
    assert ("Key contacts" in titles) is bool(record.transfer_of_care.key_contacts)


def test_narrative_text_is_escaped_and_read_back_unchanged() -> None:
    _design, _name, record = next((d, n, r) for d, n, r in DISCHARGES if r.transfer_of_care)
    tricky = "<b>hoist</b> & frame </li><li>"
    transfer = record.transfer_of_care.model_copy(
        update={"mobility": tricky, "equipment": [tricky, "commode"]}
    )
    changed = record.model_copy(update={"transfer_of_care": transfer})
    bundle = to_fhir_dict(changed)
    (composition,) = resources(bundle, "Composition")
    assert "<b>" not in str(composition)
    assert from_fhir(bundle) == changed


def test_an_empty_transfer_of_care_is_kept_apart_from_none() -> None:
    _design, _name, record = next((d, n, r) for d, n, r in DISCHARGES if r.transfer_of_care)
    empty = record.model_copy(update={"transfer_of_care": type(record.transfer_of_care)()})
    assert from_fhir(to_fhir_dict(empty)) == empty
    assert from_fhir(to_fhir_dict(empty)) != record.model_copy(update={"transfer_of_care": None})
