"""A worked adult social care pathway: contact, needs assessment, plan, review.

Mrs Ellis contacts Kent County Council on Monday 23 November 2026. The contact is
progressed to a needs assessment, which finds her eligible under SI 2015/313 reg 2. A care
and support plan is drafted on Friday 11 December and agreed on Friday 18 December; its
services start on Monday 21 December. The first light-touch review (statutory guidance
para 13.32) is held in February 2027 and the 12-monthly cycle begins.

Each stage is one case of its design, linked to the one before by identifiers, and each
record is the design's own valid example validated with sharedsvc.validate. The due dates
were worked out by hand with the England and Wales bank holidays of 2026-27: Christmas Day
(Friday 25 December), the Boxing Day substitute (Monday 28 December, since 26 December is a
Saturday) and New Year's Day (Friday 1 January 2027).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from sharedsvc import validate
from sharedsvc.calendars import LONDON
from sharedsvc.design import ClockBasis
from sharedsvc.eligibility import determine_eligibility
from sharedsvc.models.adult_social_care import (
    CareAndSupportPlan,
    Contact,
    NeedsAssessment,
    Review,
)
from sharedsvc.process import Case, Deadline
from sharedsvc.registry import Registry

CONTACT = "adult-social-care/contact"
NEEDS = "adult-social-care/needs-assessment"
PLAN = "adult-social-care/care-and-support-plan"
REVIEW = "adult-social-care/review"


def at(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in UTC (GMT, the UK's time in every month of this pathway)."""
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def example(registry: Registry, design_id: str, name: str) -> dict[str, Any]:
    found = [e for e in registry.examples(design_id) if e.valid and e.name == name]
    assert found, f"{design_id} has no valid example {name!r}"
    payload: dict[str, Any] = found[0].payload
    return payload


def only(deadlines: list[Deadline], clock: str) -> list[Deadline]:
    return [d for d in deadlines if d.clock == clock]


@pytest.fixture(scope="module")
def records(registry: Registry) -> dict[str, Any]:
    """The four records, each validated against its design."""
    contact = dict(example(registry, CONTACT, "self-contact-routine"))
    # The pilot example is an undecided contact; record the decision this pathway takes.
    contact |= {
        "outcome": "Progress to assessment, review or reassessment",
        "decidedAt": "2026-11-24T09:00:00Z",
        "decidedBy": {
            "name": {"given": ["Amira"], "family": "Khan"},
            "role": "Social worker",
            "organisation": {"name": "Kent County Council", "gssCode": "E10000016"},
        },
    }
    payloads = {
        CONTACT: contact,
        NEEDS: example(registry, NEEDS, "eligible-older-adult-after-fall"),
        PLAN: example(registry, PLAN, "home-care-commissioned"),
        REVIEW: example(registry, REVIEW, "first-light-touch-review-no-change"),
    }
    out: dict[str, Any] = {}
    for design_id, payload in payloads.items():
        report = validate(design_id, payload)
        assert report.valid, report.to_text()
        assert report.issues == ()
        out[design_id] = report.record
    return out


def test_the_records_are_linked_by_identifiers(records: dict[str, Any]) -> None:
    contact: Contact = records[CONTACT]
    assessment: NeedsAssessment = records[NEEDS]
    plan: CareAndSupportPlan = records[PLAN]
    review: Review = records[REVIEW]
    assert assessment.contact_id == contact.id == "CON-2026-000101"
    assert plan.assessment_id == assessment.id == "NA-2026-000311"
    assert review.plan_id == plan.id == "PLAN-2026-000311"
    # One person and one council throughout.
    assert contact.person == assessment.person == plan.person == review.person
    assert contact.council == assessment.council == plan.council == review.council


def test_the_assessment_finds_her_eligible_under_regulation_2(records: dict[str, Any]) -> None:
    assessment: NeedsAssessment = records[NEEDS]
    result = determine_eligibility(assessment)
    assert result.eligible
    assert result.decision == assessment.eligibility_decision == "eligible"
    # Nutrition only with severe pain (2(3)(b)), hygiene and community facilities not without
    # help (2(3)(a)), and the stairs put her in danger (2(3)(c)).
    assert result.unable_outcomes == ("a", "b", "e", "i")
    assert [o.circumstances for o in result.outcomes if o.unable] == [
        ("reg 2(3)(b)",),
        ("reg 2(3)(a)",),
        ("reg 2(3)(c)",),
        ("reg 2(3)(a)",),
    ]
    assert all(c.met for c in result.conditions)
    # The plan meets exactly the needs found unachievable.
    assert tuple(records[PLAN].eligible_needs_met) == result.unable_outcomes


def test_the_pathway_runs_as_one_case_per_design_with_exact_due_dates(
    registry: Registry, records: dict[str, Any]
) -> None:
    # -- contact: received Monday 23 November, progressed Tuesday 24 November ----------------
    contact = Case.open(
        registry.get(CONTACT), "CON-2026-000101", "contact-officer", at(2026, 11, 23, 9, 15)
    )
    contact.apply("start-screening", "contact-officer", at(2026, 11, 23, 10))
    assert contact.apply("progress-to-assessment", "social-worker", at(2026, 11, 24, 9)) == (
        "needs-assessment"
    )
    assert contact.closed
    (screening,) = only(contact.deadlines(), "screening-decision")
    assert screening.due_date == date(2026, 11, 26)  # Tue 24th (1), Wed 25th (2), Thu 26th (3)
    assert screening.met is True

    # -- needs assessment: requested Tuesday 24 November ------------------------------------
    needs = Case.open(registry.get(NEEDS), records[NEEDS].id, "assessor", at(2026, 11, 24, 9))
    needs.apply("start-assessment", "assessor", at(2026, 11, 30, 10))
    needs.apply("record-determination", "assessor", at(2026, 12, 10, 15))
    decision = determine_eligibility(records[NEEDS]).decision
    assert decision == "eligible"
    needs.apply("confirm-eligible", "team-manager", at(2026, 12, 10, 16))
    assert needs.apply("start-care-planning", "assessor", at(2026, 12, 11, 9)) == "closed"
    (assessment_clock,) = needs.deadlines()
    # 20 working days after Tue 24 Nov: 25-27 Nov (3), 30 Nov-4 Dec (8), 7-11 Dec (13),
    # 14-18 Dec (18), 21-22 Dec (20): Tuesday 22 December.
    assert assessment_clock.due_date == date(2026, 12, 22)
    assert assessment_clock.basis is ClockBasis.LOCAL_POLICY
    assert assessment_clock.stopped_at == at(2026, 12, 10, 15)
    assert assessment_clock.met is True

    # -- care and support plan: drafted Friday 11 December, agreed Friday 18 December -------
    plan = Case.open(registry.get(PLAN), records[PLAN].id, "care-coordinator", at(2026, 12, 11, 10))
    (agreement,) = plan.deadlines()
    # 10 working days after Fri 11 Dec: 14-18 Dec (5), 21-24 Dec (9), then Christmas Day
    # (Fri 25th), the weekend and the Boxing Day substitute (Mon 28th) are skipped, so the
    # tenth is Tuesday 29 December (without bank holidays it would be Friday 25th).
    assert agreement.due_date == date(2026, 12, 29)
    assert agreement.running
    assert plan.overdue(at(2026, 12, 29, 23)) == []
    assert plan.overdue(datetime(2026, 12, 30, 0, 0, tzinfo=LONDON)) == [agreement]
    plan.apply("agree-plan", "care-coordinator", at(2026, 12, 18, 16))
    assert plan.apply("start-services", "care-coordinator", at(2026, 12, 21, 8)) == "active"
    assert records[PLAN].start_date == date(2026, 12, 21)
    (agreement,) = plan.deadlines()
    assert agreement.met is True

    # -- review: the case opens when the plan and budget are agreed and signed off ----------
    review = Case.open(
        registry.get(REVIEW), records[PLAN].id, "care-coordinator", at(2026, 12, 18, 16)
    )
    (first,) = review.deadlines()
    # 8 weeks (56 calendar days) after Fri 18 Dec 2026, across Christmas and New Year, which
    # a calendar-day clock does not skip: Friday 12 February 2027.
    assert first.clock == "first-review"
    assert first.basis is ClockBasis.STATUTORY_GUIDANCE
    assert first.due_date == date(2027, 2, 12)
    assert first.due == datetime(2027, 2, 13, 0, 0, tzinfo=LONDON)
    assert records[PLAN].review_due == first.due_date

    review.apply("start-review", "reviewer", at(2027, 2, 8, 10))
    review.apply("conclude-review", "reviewer", at(2027, 2, 10, 15))
    review.apply("schedule-next-review", "care-coordinator", at(2027, 2, 10, 15, 30))
    assert review.state == "awaiting-review"
    first, cycle = review.deadlines()
    assert first.met is True
    assert records[REVIEW].completed_on == date(2027, 2, 10)
    # The 12-month clock starts when the next review is scheduled: 12 calendar months after
    # Wed 10 Feb 2027 is Thursday 10 February 2028, the review record's next review date.
    assert cycle.clock == "periodic-review"
    assert cycle.due_date == date(2028, 2, 10) == records[REVIEW].next_review_due
    assert cycle.running


def test_the_twelve_month_clock_runs_again_after_every_review(registry: Registry) -> None:
    review = Case.open(
        registry.get(REVIEW), "PLAN-2026-000311", "care-coordinator", at(2026, 12, 18, 16)
    )
    for start, end in [
        (at(2027, 2, 8, 10), at(2027, 2, 10, 15)),
        (at(2028, 1, 20, 10), at(2028, 1, 25, 15)),
    ]:
        review.apply("start-review", "reviewer", start)
        review.apply("conclude-review", "reviewer", end)
        review.apply("schedule-next-review", "care-coordinator", end)
    first, cycle_1, cycle_2 = review.deadlines()
    assert (first.clock, cycle_1.clock, cycle_2.clock) == (
        "first-review",
        "periodic-review",
        "periodic-review",
    )
    assert cycle_1.met is True
    assert cycle_1.stopped_at == at(2028, 1, 25, 15)
    # Twelve calendar months after Tue 25 Jan 2028 is Thu 25 Jan 2029, although 2028 is
    # a leap year (a 365-day count would have given 24 January).
    assert cycle_2.due_date == date(2029, 1, 25)
    assert cycle_2.running


def test_a_plan_drafted_before_christmas_is_due_after_new_year(registry: Registry) -> None:
    plan = Case.open(registry.get(PLAN), "PLAN-TEST-XMAS", "care-coordinator", at(2026, 12, 23, 10))
    (agreement,) = plan.deadlines()
    # Thu 24 Dec (1); Christmas Day, Boxing Day substitute and New Year's Day are skipped;
    # 29-31 Dec (4); 4-8 Jan (9); Mon 11 January 2027 is the tenth working day.
    assert agreement.due_date == date(2027, 1, 11)


def test_local_policy_clocks_can_be_set_by_the_council_but_guidance_clocks_cannot(
    registry: Registry,
) -> None:
    from sharedsvc.process import CouncilConfig, ProcessError

    config = CouncilConfig(clock_limits={"assessment-completion": 28})
    needs = Case.open(registry.get(NEEDS), "NA-TEST", "assessor", at(2026, 11, 24, 9), config)
    assert needs.deadlines()[0].due_date == date(2027, 1, 6)  # 28 working days, holidays skipped
    with pytest.raises(ProcessError) as refused:
        Case.open(
            registry.get(REVIEW),
            "R",
            "reviewer",
            at(2026, 12, 18, 16),
            CouncilConfig(clock_limits={"first-review": 70}),
        )
    assert refused.value.code == "process.clock-not-configurable"
