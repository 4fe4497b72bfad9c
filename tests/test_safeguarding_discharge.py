"""Behaviour of the safeguarding and hospital discharge designs beyond their example vectors:
the s42 test, advocacy, delays measured in UK local dates, pathway destinations, and both
processes run through the case engine with their local-policy clocks."""

from __future__ import annotations

import copy
import itertools
import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from sharedsvc import validate
from sharedsvc.design import ClockBasis, ClockUnit
from sharedsvc.models.integrated_care import DISCHARGE_STATES
from sharedsvc.models.safeguarding import SAFEGUARDING_STATES
from sharedsvc.process import Case, CouncilConfig, ProcessError
from sharedsvc.registry import default_registry

SAFEGUARDING = "adult-social-care/safeguarding"
DISCHARGE = "integrated-care/hospital-discharge"
DESIGNS = Path(__file__).resolve().parents[1] / "designs"
REGISTRY = default_registry()


def _example(design_id: str, name: str) -> dict[str, Any]:
    path = DESIGNS / design_id / "examples" / "valid" / f"{name}.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _codes(design_id: str, payload: dict[str, Any]) -> set[tuple[str, str]]:
    return {(i.code, i.path) for i in validate(design_id, payload).issues}


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


# -- safeguarding: the s42(1) test ------------------------------------------------------------


@pytest.mark.parametrize(
    ("needs", "at_risk", "unable"), list(itertools.product([True, False], repeat=3))
)
def test_the_s42_duty_applies_exactly_when_all_three_parts_are_met(
    needs: bool, at_risk: bool, unable: bool
) -> None:
    payload = _example(SAFEGUARDING, "no-s42-duty-closed-with-advice")
    decision = payload["s42Decision"]
    decision.update(
        hasCareAndSupportNeeds=needs,
        experiencingOrAtRiskOfAbuseOrNeglect=at_risk,
        unableToProtectSelf=unable,
    )
    met = needs and at_risk and unable
    payload["status"] = "triage"
    del payload["closedAt"]

    decision["dutyApplies"] = met
    assert _codes(SAFEGUARDING, payload) == set()
    decision["dutyApplies"] = not met
    assert _codes(SAFEGUARDING, payload) == {
        ("safeguarding.s42-decision-inconsistent", "/s42Decision/dutyApplies")
    }


def test_an_enquiry_needs_a_recorded_s42_decision() -> None:
    payload = _example(SAFEGUARDING, "enquiry-caused-to-be-made-by-nhs-trust-with-advocate")
    del payload["s42Decision"]

    assert _codes(SAFEGUARDING, payload) == {("safeguarding.enquiry-without-s42-duty", "/enquiry")}


def test_an_appropriate_individual_meets_section_68_instead_of_an_advocate() -> None:
    payload = _example(SAFEGUARDING, "enquiry-caused-to-be-made-by-nhs-trust-with-advocate")
    del payload["independentAdvocate"]
    payload["appropriateIndividual"] = {
        "name": {"given": ["Joan"], "family": "Jenkins"},
        "relationship": {
            "system": "http://terminology.hl7.org/CodeSystem/v3-RoleCode",
            "code": "DAU",
        },
    }

    assert _codes(SAFEGUARDING, payload) == set()


def test_advocacy_is_not_required_before_an_enquiry_starts() -> None:
    payload = _example(SAFEGUARDING, "concern-received-from-neighbour")
    payload["substantialDifficultyInBeingInvolved"] = True

    assert _codes(SAFEGUARDING, payload) == set()


def test_a_risk_outcome_may_follow_inconclusive_assessment_with_action_but_is_not_required() -> (
    None
):
    payload = _example(SAFEGUARDING, "enquiry-concluded-risk-reduced")
    payload["enquiry"]["actionAndResult"] = "inconclusive-action-taken"
    assert _codes(SAFEGUARDING, payload) == set()
    del payload["enquiry"]["riskOutcome"]
    assert _codes(SAFEGUARDING, payload) == set()


def test_a_concluded_enquiry_without_its_sac_details_names_each_gap() -> None:
    payload = _example(SAFEGUARDING, "enquiry-concluded-risk-reduced")
    payload["typesOfAbuse"] = []
    payload["sourcesOfRisk"] = []
    del payload["enquiry"]["actionAndResult"]
    del payload["enquiry"]["riskOutcome"]

    assert _codes(SAFEGUARDING, payload) == {
        ("safeguarding.concluded-enquiry-incomplete", "/enquiry/actionAndResult"),
        ("safeguarding.concluded-enquiry-incomplete", "/typesOfAbuse"),
        ("safeguarding.concluded-enquiry-incomplete", "/sourcesOfRisk"),
    }


def test_closing_before_the_enquiry_concluded_is_out_of_order() -> None:
    payload = _example(SAFEGUARDING, "self-neglect-enquiry-ceased-at-request")
    payload["closedAt"] = "2026-10-20T14:00:00+01:00"  # an hour before the conclusion

    assert _codes(SAFEGUARDING, payload) == {("safeguarding.dates-out-of-order", "/closedAt")}


def test_safeguarding_messages_never_quote_the_record() -> None:
    payload = _example(SAFEGUARDING, "enquiry-concluded-risk-reduced")
    payload["enquiry"]["concludedAt"] = "2026-11-01T09:00:00Z"
    payload["makingSafeguardingPersonal"]["asked"] = "not-asked"
    del payload["independentAdvocate"]

    report = validate(SAFEGUARDING, payload)

    assert len(report.issues) == 3
    for issue in report.issues:
        for secret in ("Jenkins", "943", "pressure", "care-home-nursing", "partially"):
            assert secret not in issue.message


# -- hospital discharge: dates, delays, pathways ----------------------------------------------


def test_delay_reasons_are_allowed_while_still_in_hospital_past_the_ready_date() -> None:
    payload = _example(DISCHARGE, "pathway-3-awaiting-nursing-home-written-by-council")
    assert _codes(DISCHARGE, payload) == set()

    # Written on the ready date itself: no delay yet, so no reason belongs.
    payload["recordedAt"] = "2026-11-20T17:00:00Z"
    assert _codes(DISCHARGE, payload) == {
        ("hospital-discharge.delay-reason-without-delay", "/delayReasons")
    }


def test_a_delay_reason_needs_a_discharge_ready_date() -> None:
    payload = _example(DISCHARGE, "in-hospital-early-notice-to-council")
    payload["delayReasons"] = ["A"]

    assert _codes(DISCHARGE, payload) == {
        ("hospital-discharge.delay-reason-without-delay", "/delayReasons")
    }


def test_a_still_delayed_person_without_a_reason_raises_only_a_warning() -> None:
    payload = _example(DISCHARGE, "pathway-3-awaiting-nursing-home-written-by-council")
    payload["delayReasons"] = []

    report = validate(DISCHARGE, payload)

    assert [(i.code, i.severity.value) for i in report.issues] == [
        ("hospital-discharge.delay-reason-missing", "warning")
    ]
    assert report.valid


def test_discharge_dates_are_compared_as_uk_local_dates() -> None:
    # 23:30 UTC on 10 June is 00:30 BST on 11 June: the person left on their ready date.
    payload = _example(DISCHARGE, "pathway-0-simple-discharge-home")
    payload.update(
        admittedAt="2026-06-08T10:00:00Z",
        dischargeReadyDate="2026-06-11",
        dischargedAt="2026-06-10T23:30:00Z",
        recordedAt="2026-06-11T08:00:00Z",
    )
    assert _codes(DISCHARGE, payload) == set()

    payload["dischargedAt"] = "2026-06-10T22:30:00Z"  # 23:30 BST on 10 June
    assert _codes(DISCHARGE, payload) == {
        ("hospital-discharge.dates-out-of-order", "/dischargedAt")
    }


@pytest.mark.parametrize(
    ("pathway", "destination", "fits"),
    [
        ("0", "19", True),
        ("0", "85", True),  # back to the person's own care home
        ("1", "29", True),
        ("1", "65", True),  # own care home, with short-term support
        ("1", "51", False),
        ("2", "51", True),  # community hospital bed
        ("2", "85", True),  # care home bed for recovery
        ("2", "19", False),
        ("3", "54", True),
        ("3", "85", True),
        ("3", "19", False),
        ("3", "88", False),
        ("3", "79", False),
    ],
)
def test_the_destination_must_fit_the_pathway(pathway: str, destination: str, fits: bool) -> None:
    payload = _example(DISCHARGE, "pathway-2-community-hospital-rehabilitation")
    payload.update(pathway=pathway, destination=destination)
    payload["status"] = "discharged-home" if pathway == "0" else "discharged-to-assess"

    mismatch = ("hospital-discharge.pathway-destination-mismatch", "/destination")
    assert (mismatch not in _codes(DISCHARGE, payload)) is fits


def test_an_nhs_trust_and_a_council_can_each_author_the_record() -> None:
    written_by_trust = _example(DISCHARGE, "pathway-1-home-with-reablement-after-delay")
    reply = copy.deepcopy(written_by_trust)
    reply["author"], reply["recipient"] = reply["recipient"], reply["author"]

    assert _codes(DISCHARGE, written_by_trust) == set()
    assert _codes(DISCHARGE, reply) == set()
    assert "odsCode" in written_by_trust["author"]
    assert "gssCode" in reply["author"]


# -- processes through the case engine --------------------------------------------------------


def test_the_record_statuses_are_the_process_states() -> None:
    for design_id, states in ((SAFEGUARDING, SAFEGUARDING_STATES), (DISCHARGE, DISCHARGE_STATES)):
        assert tuple(s.id for s in REGISTRY.get(design_id).process.states) == states


def test_no_safeguarding_or_discharge_clock_claims_national_authority() -> None:
    # No statute or statutory guidance sets these times; local procedures do.
    for design_id in (SAFEGUARDING, DISCHARGE):
        clocks = REGISTRY.get(design_id).process.clocks
        assert clocks
        assert {c.authority.basis for c in clocks} == {ClockBasis.LOCAL_POLICY}


def test_a_safeguarding_case_runs_from_concern_to_closure() -> None:
    case = Case.open(
        REGISTRY.get(SAFEGUARDING), "SG-1", "concern-raiser", at("2026-11-16T10:05:00Z")
    )
    case.apply("start-triage", "safeguarding-practitioner", at("2026-11-16T11:00:00Z"))
    assert case.allowed_events() == ["decide-no-s42-duty", "start-enquiry"]
    case.apply("start-enquiry", "safeguarding-manager", at("2026-11-17T12:00:00Z"))
    case.apply("conclude-enquiry", "enquiry-officer", at("2026-12-01T16:00:00Z"))
    case.apply("close", "safeguarding-manager", at("2026-12-02T09:00:00Z"))

    assert case.closed
    decision, enquiry = case.deadlines()
    assert (decision.clock, decision.unit, decision.due_date, decision.met) == (
        "s42-decision",
        ClockUnit.WORKING_DAYS,
        date(2026, 11, 18),
        True,
    )
    # 20 working days from Tuesday 17 November 2026: Tuesday 15 December.
    assert (enquiry.clock, enquiry.due_date, enquiry.met) == (
        "enquiry-conclusion",
        date(2026, 12, 15),
        True,
    )


def test_the_s42_decision_clock_skips_christmas_bank_holidays() -> None:
    # Thursday 24 December 2026: Christmas Day is Friday and Boxing Day (a Saturday) is
    # substituted by Monday 28 December, so two working days later is Wednesday 30 December.
    case = Case.open(
        REGISTRY.get(SAFEGUARDING), "SG-2", "concern-raiser", at("2026-12-24T15:00:00Z")
    )

    (decision,) = case.deadlines()
    assert decision.due_date == date(2026, 12, 30)
    assert not decision.overdue(at("2026-12-30T23:59:00Z"))
    assert decision.overdue(at("2026-12-31T00:00:00Z"))


def test_a_council_sets_its_own_safeguarding_timescales() -> None:
    config = CouncilConfig(clock_limits={"s42-decision": 1, "enquiry-conclusion": 28})
    case = Case.open(
        REGISTRY.get(SAFEGUARDING), "SG-3", "concern-raiser", at("2026-11-16T10:05:00Z"), config
    )

    (decision,) = case.deadlines()
    assert (decision.limit, decision.due_date) == (1, date(2026, 11, 17))


def test_an_enquiry_cannot_start_before_triage_or_be_decided_by_the_raiser() -> None:
    case = Case.open(
        REGISTRY.get(SAFEGUARDING), "SG-4", "concern-raiser", at("2026-11-16T10:05:00Z")
    )
    with pytest.raises(ProcessError) as skipped:
        case.apply("start-enquiry", "safeguarding-manager", at("2026-11-16T11:00:00Z"))
    assert skipped.value.code == "process.invalid-transition"

    case.apply("start-triage", "safeguarding-practitioner", at("2026-11-16T11:00:00Z"))
    with pytest.raises(ProcessError) as refused:
        case.apply("start-enquiry", "concern-raiser", at("2026-11-16T12:00:00Z"))
    assert refused.value.code == "process.actor-not-permitted"


def test_a_discharge_delay_over_the_clock_change_is_counted_in_calendar_days() -> None:
    # Ready on Saturday 24 October 2026; clocks go back on Sunday 25 October.
    case = Case.open(REGISTRY.get(DISCHARGE), "HD-1", "ward-team", at("2026-10-20T09:00:00Z"))
    case.apply("confirm-discharge-ready", "ward-team", at("2026-10-24T10:00:00+01:00"))
    case.apply("discharge-to-assess", "care-transfer-hub", at("2026-10-26T11:00:00Z"))

    ready, assessment = case.deadlines()
    assert (ready.clock, ready.due_date, ready.met) == (
        "ready-to-discharged",
        date(2026, 10, 25),
        False,
    )
    assert assessment.clock == "longer-term-assessment"
    assert assessment.running
    assert assessment.due_date == date(2026, 11, 23)


def test_withdrawing_readiness_stops_the_clock_and_readiness_starts_a_new_run() -> None:
    case = Case.open(REGISTRY.get(DISCHARGE), "HD-2", "ward-team", at("2026-11-01T09:00:00Z"))
    case.apply("confirm-discharge-ready", "ward-team", at("2026-11-05T09:00:00Z"))
    case.apply("withdraw-discharge-ready", "ward-team", at("2026-11-05T20:00:00Z"))
    case.apply("confirm-discharge-ready", "ward-team", at("2026-11-09T09:00:00Z"))
    case.apply("discharge-home", "ward-team", at("2026-11-09T15:00:00Z"))

    runs = [d for d in case.deadlines() if d.clock == "ready-to-discharged"]
    assert [(r.started_at.date(), r.met) for r in runs] == [
        (date(2026, 11, 5), True),
        (date(2026, 11, 9), True),
    ]
    assert case.state == "discharged-home"
    assert case.closed


def test_only_the_ward_team_confirms_a_person_ready_for_discharge() -> None:
    case = Case.open(REGISTRY.get(DISCHARGE), "HD-3", "ward-team", at("2026-11-01T09:00:00Z"))
    with pytest.raises(ProcessError) as refused:
        case.apply("confirm-discharge-ready", "council", at("2026-11-02T09:00:00Z"))
    assert refused.value.code == "process.actor-not-permitted"
    assert case.state == "in-hospital"


def test_the_discharge_timescales_are_the_partners_to_set() -> None:
    config = CouncilConfig(clock_limits={"ready-to-discharged": 2})
    case = Case.open(
        REGISTRY.get(DISCHARGE), "HD-4", "ward-team", at("2026-11-01T09:00:00Z"), config
    )
    case.apply("confirm-discharge-ready", "ward-team", at("2026-11-05T09:00:00Z"))

    (ready,) = case.deadlines()
    assert ready.due_date == date(2026, 11, 7)
    assert not ready.overdue(at("2026-11-07T23:00:00Z"))
    assert ready.overdue(datetime(2026, 11, 8, 0, 0, tzinfo=UTC))
