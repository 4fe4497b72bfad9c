"""Assembling a shared care record from other designs' records: provenance, the
safeguarding flag, refusal of records about different people, and conformance."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from sharedsvc import validate
from sharedsvc.models.adult_social_care import CareAndSupportPlan
from sharedsvc.models.integrated_care import HospitalDischarge, SharedCareRecord
from sharedsvc.models.safeguarding import SafeguardingEnquiry
from sharedsvc.registry import default_registry
from sharedsvc.shared_record import (
    CARE_PLAN_DESIGN,
    CONTACT_DESIGN,
    DISCHARGE_DESIGN,
    SAFEGUARDING_DESIGN,
    SHARED_CARE_RECORD_DESIGN,
    PersonMismatchError,
    SharedRecordError,
    build_shared_care_record,
)

DESIGNS = Path(__file__).resolve().parents[1] / "designs"
AS_OF = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
NHS_NUMBER = "9434765919"
OTHER_NHS_NUMBER = "4857773457"
WESTMINSTER = {"name": "Westminster City Council", "gssCode": "E09000033"}
TRUST = {"name": "Example Hospitals NHS Trust", "odsCode": "RJ1"}


def _person(nhs_number: str = NHS_NUMBER, family: str = "Okafor", **extra: Any) -> dict[str, Any]:
    return {
        "nhsNumber": nhs_number,
        "nhsNumberVerification": "01",
        "names": [{"given": ["Daniel"], "family": family}],
        "birthDate": "1958-07-19",
        **extra,
    }


def _discharge(**changes: Any) -> HospitalDischarge:
    payload: dict[str, Any] = {
        "id": "HD-TEST-0001",
        "author": TRUST,
        "recipient": WESTMINSTER,
        "recordedAt": "2026-11-20T12:00:00Z",
        "status": "discharged-to-assess",
        "person": _person(),
        "nhsTrust": TRUST,
        "receivingTeam": WESTMINSTER,
        "admittedAt": "2026-11-13T09:00:00Z",
        "dischargeReadyDate": "2026-11-19",
        "dischargedAt": "2026-11-19T14:00:00Z",
        "pathway": "1",
        "destination": "19",
        "transferOfCare": {"mobility": "Walks with a frame."},
        "consentToShare": {"status": "given", "recordedAt": "2026-11-14T10:00:00Z"},
    }
    payload.update(changes)
    return HospitalDischarge.model_validate(payload)


def _plan(**changes: Any) -> CareAndSupportPlan:
    payload: dict[str, Any] = {
        "id": "CSP-TEST-0001",
        "person": _person(),
        "council": WESTMINSTER,
        "assessmentId": "NA-TEST-0001",
        "status": "active",
        "startDate": "2026-11-21",
        "reviewDue": "2027-01-16",
        "careCoordinator": {
            "name": {"given": ["Amira"], "family": "Khan"},
            "role": "Social worker",
            "organisation": WESTMINSTER,
        },
        "services": [
            {
                "serviceType": "Short term support: ST-Max",
                "deliveryMechanism": "CASSR commissioned support",
                "description": "Reablement visits twice a day.",
                "startDate": "2026-11-21",
                "endDate": "2026-12-18",
            },
            {
                "serviceType": "Long term support: Community",
                "deliveryMechanism": "Direct payment",
                "description": "Personal assistant after reablement ends.",
                "startDate": "2026-12-19",
            },
        ],
    }
    payload.update(changes)
    return CareAndSupportPlan.model_validate(payload)


def _enquiry() -> SafeguardingEnquiry:
    """A concluded enquiry rich in detail that must never reach the shared record."""
    return SafeguardingEnquiry.model_validate(
        {
            "id": "SG-TEST-0001",
            "council": WESTMINSTER,
            "status": "enquiry-concluded",
            # Same NHS number, but contact details only this record holds.
            "person": _person(
                telecom=[{"system": "phone", "value": "07700 900999", "use": "mobile"}],
                addresses=[{"lines": ["Safe House Lane"], "postcode": "SW1A 2AA"}],
            ),
            "concernReceivedAt": "2026-11-02T08:40:00Z",
            "concernSource": {
                "kind": "family-or-carer",
                "relatedPerson": {
                    "name": {"given": ["Bernadette"], "family": "Quigley"},
                    "relationship": {
                        "system": "http://terminology.hl7.org/CodeSystem/v3-RoleCode",
                        "code": "NIECE",
                    },
                },
            },
            "concernSummary": "Nephew takes the pension each week and leaves no money for food.",
            "typesOfAbuse": ["financial-or-material", "psychological"],
            "locationOfRisk": "own-home",
            "sourcesOfRisk": ["other-known-to-individual"],
            "s42Decision": {
                "hasCareAndSupportNeeds": True,
                "experiencingOrAtRiskOfAbuseOrNeglect": True,
                "unableToProtectSelf": True,
                "dutyApplies": True,
                "decidedAt": "2026-11-03T12:00:00Z",
                "rationale": "Cognitive decline leaves him unable to manage money safely.",
            },
            "enquiry": {
                "startedAt": "2026-11-03T12:30:00Z",
                "carriedOutBy": "council",
                "organisation": WESTMINSTER,
                "leadPractitioner": {
                    "name": {"given": ["Priya"], "family": "Venkataraman"},
                    "role": "Enquiry officer",
                },
                "concludedAt": "2026-11-18T16:00:00Z",
                "actionAndResult": "risk-identified-action-taken",
                "riskOutcome": "risk-reduced",
            },
            "lacksCapacity": True,
            "substantialDifficultyInBeingInvolved": True,
            "independentAdvocate": {
                "name": {"given": ["Ruth"], "family": "Okonjo"},
                "role": "Independent advocate",
            },
            "makingSafeguardingPersonal": {
                "asked": "asked-outcomes-expressed",
                "desiredOutcomes": "Wants his money paid straight into a new account.",
                "outcomesAchieved": "fully-achieved",
            },
        }
    )


def _sources(record: SharedCareRecord) -> set[tuple[str, str]]:
    """Every (design, record id) pair named by any provenance in the output."""
    found: set[tuple[str, str]] = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            if "sourceDesign" in value:
                found.add((value["sourceDesign"], value["sourceRecordId"]))
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(record.model_dump(mode="json"))
    return found


def _leaves(value: Any, path: str = "") -> list[tuple[str, Any]]:
    if isinstance(value, dict):
        return [leaf for k, v in value.items() for leaf in _leaves(v, f"{path}/{k}")]
    if isinstance(value, list):
        return [leaf for i, v in enumerate(value) for leaf in _leaves(v, f"{path}/{i}")]
    return [(path, value)]


# -- provenance ------------------------------------------------------------------------------


def test_discharge_and_care_plan_produce_a_record_naming_both_sources() -> None:
    record = build_shared_care_record([_discharge(), _plan()], as_of=AS_OF)

    assert _sources(record) == {
        (DISCHARGE_DESIGN, "HD-TEST-0001"),
        (CARE_PLAN_DESIGN, "CSP-TEST-0001"),
    }
    (discharge,) = record.hospital_discharges
    assert discharge.provenance.source_design == DISCHARGE_DESIGN
    assert discharge.provenance.source_record_id == "HD-TEST-0001"
    assert discharge.provenance.source_organisation.ods_code == "RJ1"
    (plan,) = record.care_plans
    assert (plan.provenance.source_design, plan.provenance.source_record_id) == (
        CARE_PLAN_DESIGN,
        "CSP-TEST-0001",
    )
    assert plan.provenance.source_organisation.gss_code == "E09000033"
    kinds = {(s.source_kind, s.provenance.source_record_id) for s in record.current_services}
    assert kinds == {
        ("discharge-to-assess", "HD-TEST-0001"),
        ("care-and-support-plan", "CSP-TEST-0001"),
    }


def test_provenance_time_is_the_latest_event_of_the_source() -> None:
    record = build_shared_care_record([_discharge(), _enquiry()], as_of=AS_OF)

    (alert,) = record.safeguarding_alerts
    assert alert.provenance.as_of == datetime(2026, 11, 18, 16, 0, tzinfo=UTC)
    assert record.hospital_discharges[0].provenance.as_of == datetime(
        2026, 11, 20, 12, 0, tzinfo=UTC
    )


def test_only_services_current_on_the_day_of_generation_are_listed() -> None:
    record = build_shared_care_record([_plan()], as_of=AS_OF)

    plan_services = [s for s in record.current_services if s.source_kind == "care-and-support-plan"]
    assert [s.service_type for s in plan_services] == ["Short term support: ST-Max"]
    assert record.care_plans[0].service_count == 2


def test_an_ended_plan_supplies_no_plan_summary_or_services() -> None:
    record = build_shared_care_record(
        [_plan(status="ended", endDate="2026-11-25"), _discharge()], as_of=AS_OF
    )

    assert record.care_plans == []
    assert all(s.source_kind != "care-and-support-plan" for s in record.current_services)


def test_person_details_come_from_the_newest_source_that_is_not_safeguarding() -> None:
    newer = _discharge(
        id="HD-TEST-0002",
        recordedAt="2026-11-25T08:00:00Z",
        person=_person(family="Okafor-Bello"),
    )
    record = build_shared_care_record([_discharge(), newer, _enquiry()], as_of=AS_OF)

    assert record.person.names[0].family == "Okafor-Bello"
    assert record.person_provenance.source_record_id == "HD-TEST-0002"


# -- safeguarding: a flag, never the detail ---------------------------------------------------


def test_a_safeguarding_record_contributes_a_flag_and_no_detail() -> None:
    # Closed after the discharge was written, so it is the newest source of all.
    enquiry = _enquiry().model_copy(
        update={"status": "closed", "closed_at": datetime(2026, 11, 25, 9, 0, tzinfo=UTC)}
    )
    record = build_shared_care_record([_discharge(), enquiry], as_of=AS_OF)
    output = record.model_dump(mode="json")

    (alert,) = output["safeguardingAlerts"]
    assert set(alert) == {"alertId", "status", "raisedOn", "contactOrganisation", "provenance"}
    assert (alert["alertId"], alert["status"], alert["raisedOn"]) == (
        "SG-TEST-0001",
        "closed",
        "2026-11-02",
    )
    assert alert["contactOrganisation"]["gssCode"] == "E09000033"

    # Allowed to appear: the id, the status, dates and times, the organisations, and the
    # identity the safeguarding record shares with the discharge (NHS number, name, birth).
    allowed_prefixes = ("/id", "/status", "/council", "/enquiry/organisation")
    shared_identity = (
        "/person/nhsNumber",
        "/person/nhsNumberVerification",
        "/person/names",
        "/person/birthDate",
    )
    text = json.dumps(output)
    leaked = [
        (path, value)
        for path, value in _leaves(enquiry.model_dump(mode="json", exclude_defaults=True))
        if isinstance(value, str)
        and not path.startswith(allowed_prefixes + shared_identity)
        and not _is_timestamp(value)
        and f'"{value}"' in text
    ]
    assert leaked == []


def _is_timestamp(value: str) -> bool:
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def test_the_detail_check_would_see_a_leak() -> None:
    # Guard on the test above: the walk finds the enquiry's detail if it is present.
    enquiry_leaves = dict(_leaves(_enquiry().model_dump(mode="json", exclude_defaults=True)))
    assert enquiry_leaves["/concernSummary"].startswith("Nephew")
    assert enquiry_leaves["/typesOfAbuse/0"] == "financial-or-material"
    assert enquiry_leaves["/person/telecom/0/value"] == "07700 900999"


def test_a_closed_safeguarding_record_gives_a_closed_flag() -> None:
    closed = _enquiry().model_copy(
        update={"status": "closed", "closed_at": datetime(2026, 11, 20, 9, 0, tzinfo=UTC)}
    )
    record = build_shared_care_record([_discharge(), closed], as_of=AS_OF)

    assert [a.status for a in record.safeguarding_alerts] == ["closed"]


def test_safeguarding_records_alone_cannot_make_a_shared_record() -> None:
    with pytest.raises(SharedRecordError, match="other than a safeguarding enquiry"):
        build_shared_care_record([_enquiry()], as_of=AS_OF)


# -- matching the person ----------------------------------------------------------------------


def test_records_of_different_people_are_refused_without_naming_them() -> None:
    other = _plan(person=_person(OTHER_NHS_NUMBER, family="Nowak"))

    with pytest.raises(PersonMismatchError) as caught:
        build_shared_care_record([_discharge(), other], as_of=AS_OF)

    message = str(caught.value)
    assert "different people" in message
    for number in (NHS_NUMBER, OTHER_NHS_NUMBER):
        for written in (number, f"{number[:3]} {number[3:6]} {number[6:]}"):
            assert written not in message
    assert "Nowak" not in message
    assert "Okafor" not in message
    assert "HD-TEST-0001" in message
    assert "CSP-TEST-0001" in message


def test_a_record_without_an_nhs_number_cannot_be_matched() -> None:
    anonymous = _plan(person={"names": [{"family": "Okafor"}]})

    with pytest.raises(PersonMismatchError, match=r"record 2 .* has no NHS number"):
        build_shared_care_record([_discharge(), anonymous], as_of=AS_OF)


def test_nhs_numbers_match_however_they_were_written() -> None:
    spaced = _plan(person=_person("943 476 5919"))

    record = build_shared_care_record([_discharge(), spaced], as_of=AS_OF)

    assert record.person.nhs_number == NHS_NUMBER


# -- refusals ---------------------------------------------------------------------------------


def test_a_source_dated_after_the_summary_is_refused() -> None:
    with pytest.raises(SharedRecordError, match="dated after as_of"):
        build_shared_care_record([_discharge()], as_of=datetime(2026, 11, 20, 11, 59, tzinfo=UTC))


def test_a_naive_as_of_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        build_shared_care_record([_discharge()], as_of=datetime(2026, 11, 26, 9, 0))


def test_a_record_of_another_kind_is_a_programming_error() -> None:
    with pytest.raises(TypeError, match="cannot merge a Person"):
        build_shared_care_record([_discharge().person], as_of=AS_OF)


# -- conformance ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "records",
    [
        pytest.param(lambda: [_discharge(), _plan()], id="discharge-and-plan"),
        pytest.param(lambda: [_discharge(), _plan(), _enquiry()], id="with-safeguarding"),
    ],
)
def test_the_output_validates_against_the_shared_care_record_design(records: Any) -> None:
    record = build_shared_care_record(records(), as_of=AS_OF)

    report = validate(SHARED_CARE_RECORD_DESIGN, record.model_dump(mode="json"))

    assert report.valid
    assert report.issues == ()


def test_the_design_ids_used_for_provenance_are_the_designs_of_those_models() -> None:
    registry = default_registry()
    expected = {
        CONTACT_DESIGN: "sharedsvc.models.adult_social_care:Contact",
        CARE_PLAN_DESIGN: "sharedsvc.models.adult_social_care:CareAndSupportPlan",
        DISCHARGE_DESIGN: "sharedsvc.models.integrated_care:HospitalDischarge",
        SAFEGUARDING_DESIGN: "sharedsvc.models.safeguarding:SafeguardingEnquiry",
        SHARED_CARE_RECORD_DESIGN: "sharedsvc.models.integrated_care:SharedCareRecord",
    }
    for design_id, model in expected.items():
        assert registry.get(design_id).record.model == model
