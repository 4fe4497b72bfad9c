"""Business rules of ``adult-social-care/carers-assessment``.

The checks are those of the needs assessment (see :mod:`sharedsvc.rules.needs_assessment`)
applied to regulation 3 of SI 2015/313 instead of regulation 2, each with its own code.
"""

from __future__ import annotations

from sharedsvc.eligibility import CARER_OUTCOMES, determine_carer_eligibility
from sharedsvc.models.adult_social_care import CarersAssessment
from sharedsvc.rules.needs_assessment import (
    Findings,
    advocate_missing,
    completed_before_started,
    contradiction,
    decision_undated,
    decision_without_every_outcome,
    outcomes_assessed_twice,
    unable_disagrees_with_circumstances,
)
from sharedsvc.validation import business_rule

DESIGN = "adult-social-care/carers-assessment"


@business_rule(
    DESIGN,
    "carers-assessment.decision-contradicts-regulations",
    title="Carer eligibility decision contradicts the regulations",
    message="The eligibility decision at {path} contradicts SI 2015/313 reg 3 applied to the "
    "facts recorded: {detail}.",
    source="Care Act 2014 s13(1); Care and Support (Eligibility Criteria) Regulations 2015 "
    "(SI 2015/313) reg 3",
    example="'not-eligible' recorded for a carer whose health is at risk with a significant "
    "impact on well-being.",
)
def carer_decision_follows_regulations(assessment: CarersAssessment) -> Findings:
    """The recorded eligibility decision must be the one regulation 3 of SI 2015/313 gives for
    the facts recorded: needs arising from providing necessary care (reg 3(1)(a)), health at
    risk or any one outcome the carer is unable to achieve (reg 3(1)(b), 3(2)), and a
    significant impact on well-being (reg 3(1)(c))."""
    determination = determine_carer_eligibility(assessment)
    yield from contradiction(assessment.eligibility_decision, determination)


@business_rule(
    DESIGN,
    "carers-assessment.completed-before-started",
    title="Carer's assessment completed before it started",
    message="The completion date at {path} is earlier than the date the assessment started.",
    source="sharedsvc design: an assessment cannot end before it begins (Client Level Data "
    "Event_End_Date)",
)
def carer_completed_in_order(assessment: CarersAssessment) -> Findings:
    """A carer's assessment cannot be completed before it started."""
    yield from completed_before_started(assessment.started_on, assessment.completed_on)


@business_rule(
    DESIGN,
    "carers-assessment.outcome-assessed-twice",
    title="Carer outcome assessed twice",
    message="The outcome at {path} already has a finding earlier in the list.",
    source="SI 2015/313 reg 3(2)(b): each specified outcome is one finding",
)
def carer_outcomes_once(assessment: CarersAssessment) -> Findings:
    """Each outcome of SI 2015/313 reg 3(2)(b) has one finding."""
    yield from outcomes_assessed_twice(assessment.outcomes)


@business_rule(
    DESIGN,
    "carers-assessment.unable-disagrees-with-circumstances",
    title="'Unable' does not match the circumstances recorded",
    message="The finding at {path} does not match its circumstances: {detail}.",
    source="SI 2015/313 reg 3(3): a carer is regarded as unable to achieve an outcome in the "
    "circumstances it lists",
)
def carer_unable_has_circumstance(assessment: CarersAssessment) -> Findings:
    """An outcome is recorded as unachievable exactly when a circumstance of SI 2015/313
    reg 3(3) is recorded for it."""
    yield from unable_disagrees_with_circumstances(assessment.outcomes, "reg 3(3)")


@business_rule(
    DESIGN,
    "carers-assessment.advocate-required",
    title="Independent advocate required for the carer",
    message="The carer would have substantial difficulty in being involved and no appropriate "
    "individual is recorded, so an independent advocate is needed at {path}.",
    source="Care Act 2014 s67(2), (4) and (5); Care and Support Statutory Guidance ch 7",
)
def carer_advocate_arranged(assessment: CarersAssessment) -> Findings:
    """Where the carer would have substantial difficulty in being involved in the assessment
    (s67(4)) and no appropriate individual can support them (s67(5)), the council must arrange
    an independent advocate (s67(2))."""
    yield from advocate_missing(assessment.advocacy)


@business_rule(
    DESIGN,
    "carers-assessment.decision-before-every-outcome",
    title="Carer decision recorded before every outcome was assessed",
    message="An eligibility decision is recorded but {detail} at {path}.",
    source="Care Act 2014 s13(2) (written record of the determination and the reasons); "
    "SI 2015/313 reg 3(2)(b)",
)
def carer_every_outcome_before_decision(assessment: CarersAssessment) -> Findings:
    """A decision on a carer's eligibility comes with a finding on every one of the eight
    outcomes, so the written reasons (s13(2)) cover each of them."""
    yield from decision_without_every_outcome(
        assessment.eligibility_decision, assessment.outcomes, CARER_OUTCOMES, "reg 3(2)(b)"
    )


@business_rule(
    DESIGN,
    "carers-assessment.decision-undated",
    title="Carer decision without a completion date",
    message="An eligibility decision is recorded, so the completion date at {path} is needed.",
    source="Client Level Data: an Assessment with an Event_Outcome has an Event_End_Date",
)
def carer_decision_dated(assessment: CarersAssessment) -> Findings:
    """A carer's assessment that records an eligibility decision records when it was
    completed."""
    yield from decision_undated(assessment.eligibility_decision, assessment.completed_on)
