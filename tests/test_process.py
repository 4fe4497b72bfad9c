"""The process engine: transitions, refusals with codes, clocks and rebuilding from history."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sharedsvc.calendars import Nation
from sharedsvc.design import Design
from sharedsvc.process import (
    Case,
    CaseEvent,
    CouncilConfig,
    Deadline,
    ProcessError,
    load_history,
)
from sharedsvc.registry import default_registry

DESIGN: Design = default_registry().get("adult-social-care/contact")
OFFICER = "contact-officer"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _open(when: str = "2026-11-23T09:00:00Z", config: CouncilConfig | None = None) -> Case:
    return Case.open(DESIGN, "CON-1", "referrer", at(when), config)


def _decision(case: Case) -> Deadline:
    return next(d for d in case.deadlines() if d.clock == "screening-decision")


def test_a_case_moves_through_its_states() -> None:
    case = _open()
    assert case.state == "received"
    assert case.allowed_events() == ["start-screening", "raise-safeguarding-concern"]
    assert case.apply("start-screening", OFFICER, at("2026-11-23T10:00:00Z")) == "screening"
    case.apply("progress-to-assessment", "social-worker", at("2026-11-24T10:00:00Z"))
    assert case.state == "needs-assessment"
    assert case.closed
    assert [e.event for e in case.history] == ["open", "start-screening", "progress-to-assessment"]


@pytest.mark.parametrize(
    ("events", "code"),
    [
        ([("signpost", OFFICER)], "process.invalid-transition"),
        ([("approve", OFFICER)], "process.unknown-event"),
        ([("start-screening", "person")], "process.actor-not-permitted"),
        (
            [("start-screening", OFFICER), ("signpost", OFFICER), ("signpost", OFFICER)],
            "process.case-closed",
        ),
    ],
)
def test_invalid_events_are_refused_with_a_code(events: list[tuple[str, str]], code: str) -> None:
    case = _open()
    when = at("2026-11-23T10:00:00Z")
    with pytest.raises(ProcessError) as info:
        for event, actor in events:
            case.apply(event, actor, when)
    assert info.value.code == code
    assert info.value.index == len(case.history)


def test_a_refused_event_leaves_the_case_unchanged() -> None:
    case = _open()
    with pytest.raises(ProcessError):
        case.apply("signpost", OFFICER, at("2026-11-23T10:00:00Z"))
    assert case.state == "received" and len(case.history) == 1


def test_events_cannot_be_dated_before_the_previous_one() -> None:
    case = _open()
    with pytest.raises(ProcessError) as info:
        case.apply("start-screening", OFFICER, at("2026-11-22T10:00:00Z"))
    assert info.value.code == "process.out-of-order"


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        Case.open(DESIGN, "CON-1", "referrer", datetime(2026, 11, 23, 9))


def test_working_day_clock_skips_christmas_and_new_year_in_england() -> None:
    # Received Wed 23 Dec 2026. Working days after it: Thu 24, (25 Christmas, 26-27 weekend,
    # 28 Boxing Day substitute), Tue 29, Wed 30 -> 3rd working day is Wed 30 Dec 2026.
    case = _open("2026-12-23T11:00:00Z")
    decision = next(d for d in case.deadlines() if d.clock == "screening-decision")
    assert decision.due_date == date(2026, 12, 30)
    assert decision.due == datetime(2026, 12, 31, tzinfo=UTC)  # midnight GMT, end of due day
    assert not decision.overdue(at("2026-12-30T23:59:00Z"))
    assert decision.overdue(at("2026-12-31T00:00:00Z"))


def test_scotland_also_skips_2_january() -> None:
    # Received Wed 30 Dec 2026. England: Thu 31, (1 Jan Fri holiday), Mon 4, Tue 5 -> 5 Jan.
    # Scotland also keeps Mon 4 Jan as the 2 January substitute: Thu 31, Tue 5, Wed 6 -> 6 Jan.
    england = _open("2026-12-30T11:00:00Z")
    scotland = _open("2026-12-30T11:00:00Z", CouncilConfig(nation=Nation.SCOTLAND))
    assert _decision(england).due_date == date(2027, 1, 5)
    assert _decision(scotland).due_date == date(2027, 1, 6)


def test_hour_clock_counts_elapsed_hours_across_the_clock_change() -> None:
    # BST ends 01:00 UTC on Sun 25 Oct 2026: 24 elapsed hours from 00:30 BST on the 25th
    # (23:30 UTC on the 24th) end at 23:30 UTC on the 25th, i.e. 23:30 GMT.
    case = _open("2026-10-25T00:30:00+01:00")
    triage = next(d for d in case.deadlines() if d.clock == "safeguarding-triage")
    assert triage.due == at("2026-10-25T23:30:00Z")
    assert triage.due_date is None


def test_days_are_counted_on_uk_local_dates() -> None:
    # 23:30 UTC on Mon 29 Jun 2026 is 00:30 BST on Tue 30 Jun: the clock starts on Tuesday.
    case = _open("2026-06-29T23:30:00Z")
    assert _decision(case).due_date == date(2026, 7, 3)


def test_a_stopped_clock_records_whether_it_was_met() -> None:
    case = _open("2026-11-23T09:00:00Z")
    case.apply("start-screening", OFFICER, at("2026-11-23T10:00:00Z"))
    case.apply("signpost", OFFICER, at("2026-11-30T10:00:00Z"))  # due Thu 26 Nov: late
    decision = next(d for d in case.deadlines() if d.clock == "screening-decision")
    assert decision.stopped_at == at("2026-11-30T10:00:00Z")
    assert decision.met is False
    assert case.overdue(at("2026-12-25T00:00:00Z")) == []


def test_overdue_lists_running_clocks_past_due() -> None:
    case = _open("2026-11-23T09:00:00Z")
    overdue = case.overdue(at("2026-11-24T10:00:00Z"))
    assert [d.clock for d in overdue] == ["safeguarding-triage"]


def test_a_local_policy_limit_can_be_set_by_the_council() -> None:
    config = CouncilConfig(clock_limits={"screening-decision": 5})
    case = _open("2026-11-23T09:00:00Z", config)
    assert _decision(case).due_date == date(2026, 11, 30)
    assert _decision(case).limit == 5


def test_clocks_set_by_law_or_guidance_cannot_be_overridden() -> None:
    statutory = DESIGN.model_copy(deep=True)
    clock = statutory.process.clocks[0]
    object.__setattr__(clock.authority, "basis", type(clock.authority.basis)("statute"))
    with pytest.raises(ProcessError) as info:
        Case.open(
            statutory,
            "C",
            "referrer",
            at("2026-11-23T09:00:00Z"),
            CouncilConfig(clock_limits={clock.id: 10}),
        )
    assert info.value.code == "process.clock-not-configurable"
    with pytest.raises(ProcessError) as info:
        _open(config=CouncilConfig(clock_limits={"no-such-clock": 1}))
    assert info.value.code == "process.unknown-clock"


@st.composite
def histories(draw: st.DrawFn) -> list[CaseEvent]:
    """Random valid walks through the pilot process."""
    when = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=draw(st.integers(0, 10**6)))
    case = Case.open(DESIGN, "C", "referrer", when)
    while not case.closed:
        event = draw(st.sampled_from(case.allowed_events()))
        transition = next(
            t for t in DESIGN.process.transitions if t.event == event and case.state in t.from_
        )
        when += timedelta(minutes=draw(st.integers(0, 60 * 24 * 10)))
        case.apply(event, draw(st.sampled_from(transition.actors)), when)
    return list(case.history)


@settings(max_examples=100, deadline=None)
@given(history=histories())
def test_case_history_case_round_trip(history: list[CaseEvent]) -> None:
    case = Case.from_history(DESIGN, "C", history)
    document = json.loads(json.dumps(case.to_history()))
    rebuilt, report = load_history(document)
    assert report.valid and rebuilt is not None
    assert rebuilt.history == case.history
    assert rebuilt.state == case.state
    assert rebuilt.deadlines() == case.deadlines()


def test_a_broken_history_file_is_reported_with_the_event_index(tmp_path: Path) -> None:
    case = _open()
    case.apply("start-screening", OFFICER, at("2026-11-23T10:00:00Z"))
    doc = case.to_history()
    doc["events"].append(
        {"event": "start-screening", "actor": OFFICER, "at": "2026-11-23T11:00:00Z"}
    )
    path = tmp_path / "h.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    rebuilt, report = load_history(path)
    assert rebuilt is None
    assert [(i.code, i.path) for i in report.issues] == [
        ("process.invalid-transition", "/events/2")
    ]


def test_a_history_without_time_zones_is_reported() -> None:
    doc = {
        "design": DESIGN.id,
        "caseId": "C",
        "events": [{"event": "open", "actor": "referrer", "at": "2026-11-23T10:00:00"}],
    }
    rebuilt, report = load_history(doc)
    assert rebuilt is None
    assert report.codes == ["datetime.timezone-required"]


def test_calendar_month_clocks_end_on_the_same_day_or_the_month_end() -> None:
    from sharedsvc.calendars import add_calendar_months

    assert add_calendar_months(date(2027, 2, 10), 12) == date(2028, 2, 10)
    assert add_calendar_months(date(2028, 1, 31), 1) == date(2028, 2, 29)  # leap year
    assert add_calendar_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_calendar_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert add_calendar_months(date(2028, 2, 29), 12) == date(2029, 2, 28)
    assert add_calendar_months(date(2026, 12, 15), -12) == date(2025, 12, 15)
