"""Business rules of ``adult-social-care/needs-assessment``.

The checks that a carer's assessment shares (dates, one finding per outcome, findings that
agree with their circumstances, advocacy) are written once here as generators over the
record's fields, and registered for each design with its own issue code.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import date

from sharedsvc.eligibility import ADULT_OUTCOMES, EligibilityDetermination, determine_eligibility
from sharedsvc.models.adult_social_care import (
    Advocacy,
    CarerOutcomeAssessment,
    EligibilityDecision,
    NeedsAssessment,
    OutcomeAssessment,
)
from sharedsvc.validation import business_rule

DESIGN = "adult-social-care/needs-assessment"

Findings = Iterator[tuple[str, Mapping[str, object]]]
Outcomes = Sequence[OutcomeAssessment | CarerOutcomeAssessment]


# -- checks shared with the carer's assessment ------------------------------------------------


def completed_before_started(started_on: date, completed_on: date | None) -> Findings:
    """The completion date at /completedOn, if it is earlier than the start date."""
    if completed_on is not None and completed_on < started_on:
        yield "/completedOn", {}


def outcomes_assessed_twice(outcomes: Outcomes) -> Findings:
    """Each repeat finding on an outcome already assessed."""
    seen: set[str] = set()
    for index, entry in enumerate(outcomes):
        if entry.outcome in seen:
            yield f"/outcomes/{index}/outcome", {}
        seen.add(entry.outcome)


def unable_disagrees_with_circumstances(outcomes: Outcomes, paragraph: str) -> Findings:
    """Each finding whose 'unable' flag does not match the circumstances recorded."""
    for index, entry in enumerate(outcomes):
        if entry.unable and not entry.circumstances:
            detail = f"it is marked unachievable, but no circumstance of {paragraph} is recorded"
            yield f"/outcomes/{index}/unable", {"detail": detail}
        elif not entry.unable and entry.circumstances:
            detail = f"a circumstance of {paragraph} is recorded, but it is marked achievable"
            yield f"/outcomes/{index}/unable", {"detail": detail}


def advocate_missing(advocacy: Advocacy) -> Findings:
    """The advocate at /advocacy/advocate, when s67 requires one and none is recorded."""
    needed = advocacy.substantial_difficulty and advocacy.appropriate_individual is not True
    if needed and advocacy.advocate is None:
        yield "/advocacy/advocate", {}


def decision_without_every_outcome(
    decision: EligibilityDecision | None, outcomes: Outcomes, codes: Sequence[str], paragraph: str
) -> Findings:
    """The outcome list, when a decision is recorded before every outcome has a finding."""
    if decision is not None and not set(codes) <= {o.outcome for o in outcomes}:
        yield "/outcomes", {"detail": f"every outcome of {paragraph} needs a finding"}


def decision_undated(decision: EligibilityDecision | None, completed_on: date | None) -> Findings:
    """The completion date, when a decision is recorded without it."""
    if decision is not None and completed_on is None:
        yield "/completedOn", {}


def contradiction(
    decision: EligibilityDecision | None, determination: EligibilityDetermination
) -> Findings:
    """The recorded decision at /eligibilityDecision, when the regulations give the other."""
    if decision is None or decision == determination.decision:
        return
    # The detail names paragraphs only; it avoids the words of the recorded decision itself.
    if determination.eligible:
        detail = "every condition is met, so the needs meet the eligibility criteria"
    else:
        unmet = ", ".join(c.paragraph for c in determination.conditions if not c.met)
        detail = f"{unmet} not met, so the needs do not meet the eligibility criteria"
    yield "/eligibilityDecision", {"detail": detail}


# -- rules of the needs assessment ------------------------------------------------------------


@business_rule(
    DESIGN,
    "needs-assessment.decision-contradicts-regulations",
    title="Eligibility decision contradicts the regulations",
    message="The eligibility decision at {path} contradicts SI 2015/313 reg 2 applied to the "
    "facts recorded: {detail}.",
    source="Care Act 2014 s13(1); Care and Support (Eligibility Criteria) Regulations 2015 "
    "(SI 2015/313) reg 2",
    example="'eligible' recorded when only one outcome is unachievable.",
)
def decision_follows_regulations(assessment: NeedsAssessment) -> Findings:
    """The recorded eligibility decision must be the one regulation 2 of SI 2015/313 gives for
    the facts recorded: an impairment or illness (reg 2(1)(a)), two or more outcomes the adult
    is unable to achieve (reg 2(1)(b)), and a significant impact on well-being (reg 2(1)(c))."""
    yield from contradiction(assessment.eligibility_decision, determine_eligibility(assessment))


@business_rule(
    DESIGN,
    "needs-assessment.completed-before-started",
    title="Assessment completed before it started",
    message="The completion date at {path} is earlier than the date the assessment started.",
    source="sharedsvc design: an assessment cannot end before it begins (Client Level Data "
    "Event_End_Date)",
)
def needs_completed_in_order(assessment: NeedsAssessment) -> Findings:
    """A needs assessment cannot be completed before it started."""
    yield from completed_before_started(assessment.started_on, assessment.completed_on)


@business_rule(
    DESIGN,
    "needs-assessment.outcome-assessed-twice",
    title="Outcome assessed twice",
    message="The outcome at {path} already has a finding earlier in the list.",
    source="SI 2015/313 reg 2(2): each specified outcome is one finding",
)
def needs_outcomes_once(assessment: NeedsAssessment) -> Findings:
    """Each outcome of SI 2015/313 reg 2(2) has one finding, so that the reasons given under
    s13(2) cannot contradict each other."""
    yield from outcomes_assessed_twice(assessment.outcomes)


@business_rule(
    DESIGN,
    "needs-assessment.unable-disagrees-with-circumstances",
    title="'Unable' does not match the circumstances recorded",
    message="The finding at {path} does not match its circumstances: {detail}.",
    source="SI 2015/313 reg 2(3): an adult is regarded as unable to achieve an outcome in the "
    "circumstances it lists",
)
def needs_unable_has_circumstance(assessment: NeedsAssessment) -> Findings:
    """An outcome is recorded as unachievable exactly when a circumstance of SI 2015/313
    reg 2(3) is recorded for it."""
    yield from unable_disagrees_with_circumstances(assessment.outcomes, "reg 2(3)")


@business_rule(
    DESIGN,
    "needs-assessment.advocate-required",
    title="Independent advocate required",
    message="The adult would have substantial difficulty in being involved and no appropriate "
    "individual is recorded, so an independent advocate is needed at {path}.",
    source="Care Act 2014 s67(2), (4) and (5); Care and Support Statutory Guidance ch 7",
)
def needs_advocate_arranged(assessment: NeedsAssessment) -> Findings:
    """Where the adult would have substantial difficulty in being involved in the assessment
    (s67(4)) and no appropriate individual can support them (s67(5)), the council must arrange
    an independent advocate (s67(2))."""
    yield from advocate_missing(assessment.advocacy)


@business_rule(
    DESIGN,
    "needs-assessment.decision-before-every-outcome",
    title="Decision recorded before every outcome was assessed",
    message="An eligibility decision is recorded but {detail} at {path}.",
    source="Care Act 2014 s13(2) (written record of the determination and the reasons); "
    "SI 2015/313 reg 2(2)",
)
def needs_every_outcome_before_decision(assessment: NeedsAssessment) -> Findings:
    """A decision on eligibility comes with a finding on every one of the ten outcomes, so the
    written reasons (s13(2)) cover each of them."""
    yield from decision_without_every_outcome(
        assessment.eligibility_decision, assessment.outcomes, ADULT_OUTCOMES, "reg 2(2)"
    )


@business_rule(
    DESIGN,
    "needs-assessment.decision-undated",
    title="Decision without a completion date",
    message="An eligibility decision is recorded, so the completion date at {path} is needed.",
    source="Client Level Data: an Assessment with an Event_Outcome has an Event_End_Date",
)
def needs_decision_dated(assessment: NeedsAssessment) -> Findings:
    """An assessment that records an eligibility decision records when it was completed."""
    yield from decision_undated(assessment.eligibility_decision, assessment.completed_on)
