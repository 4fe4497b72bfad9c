"""Business rules of ``adult-social-care/safeguarding`` (Care Act 2014 ss42 and 68)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from sharedsvc.models.safeguarding import SafeguardingEnquiry
from sharedsvc.validation import business_rule

DESIGN = "adult-social-care/safeguarding"

Findings = Iterator[tuple[str, Mapping[str, object]]]

#: SAC "action taken and result" categories after which a risk outcome (remains, reduced,
#: removed) can be recorded: action was taken on a risk found or not ruled out.
_RISK_ACTED_ON = frozenset({"risk-identified-action-taken", "inconclusive-action-taken"})
#: Where a risk was identified and acted on, the SAC counts what became of it.
_RISK_OUTCOME_REQUIRED = "risk-identified-action-taken"
_MSP_EXPRESSED = "asked-outcomes-expressed"


@business_rule(
    DESIGN,
    "safeguarding.s42-decision-inconsistent",
    title="s42 decision does not follow from the three-part test",
    message="The decision at {path} does not follow from the s42(1) test: {detail}.",
    source="Care Act 2014 s42(1)(a)-(c)",
)
def s42_decision_follows_test(record: SafeguardingEnquiry) -> Findings:
    """The s42 enquiry duty applies when, and only when, all three parts of the s42(1) test
    are met: care and support needs, abuse or neglect (or its risk), and inability to
    protect oneself as a result of those needs."""
    decision = record.s42_decision
    if decision is None:
        return
    met = (
        decision.has_care_and_support_needs
        and decision.experiencing_or_at_risk_of_abuse_or_neglect
        and decision.unable_to_protect_self
    )
    if decision.duty_applies and not met:
        detail = "the duty is recorded as applying but a part of the test is not met"
        yield "/s42Decision/dutyApplies", {"detail": detail}
    if met and not decision.duty_applies:
        detail = "all three parts are met but the duty is recorded as not applying"
        yield "/s42Decision/dutyApplies", {"detail": detail}


@business_rule(
    DESIGN,
    "safeguarding.enquiry-without-s42-duty",
    title="Enquiry recorded without a decision that the s42 duty applies",
    message="An s42 enquiry is recorded at {path}, but {detail}.",
    source="Care Act 2014 s42(2): the enquiry duty arises only where s42(1) applies",
)
def enquiry_needs_duty(record: SafeguardingEnquiry) -> Findings:
    """An s42 enquiry may be recorded only after a decision that the s42 duty applies."""
    if record.enquiry is None:
        return
    if record.s42_decision is None:
        yield "/enquiry", {"detail": "no s42 decision is recorded"}
    elif not record.s42_decision.duty_applies:
        yield "/enquiry", {"detail": "the s42 decision says the duty does not apply"}


@business_rule(
    DESIGN,
    "safeguarding.concluded-enquiry-incomplete",
    title="Concluded enquiry without its outcome",
    message="The concluded enquiry needs {detail} at {path}.",
    source="Safeguarding Adults Collection SG2: case details of concluded s42 enquiries",
)
def concluded_enquiry_complete(record: SafeguardingEnquiry) -> Findings:
    """A concluded enquiry records what it found (SAC action taken and result), the type of
    abuse, where it happened and its source; where a risk was identified and action taken,
    the risk outcome too."""
    enquiry = record.enquiry
    if enquiry is None or enquiry.concluded_at is None:
        return
    if enquiry.action_and_result is None:
        yield "/enquiry/actionAndResult", {"detail": "what it found and whether action was taken"}
    elif enquiry.action_and_result == _RISK_OUTCOME_REQUIRED and enquiry.risk_outcome is None:
        yield "/enquiry/riskOutcome", {"detail": "the risk outcome (remains, reduced, removed)"}
    if not record.types_of_abuse:
        yield "/typesOfAbuse", {"detail": "at least one type of abuse or neglect"}
    if record.location_of_risk is None:
        yield "/locationOfRisk", {"detail": "the location of risk"}
    if not record.sources_of_risk:
        yield "/sourcesOfRisk", {"detail": "at least one source of risk"}


@business_rule(
    DESIGN,
    "safeguarding.risk-outcome-without-action",
    title="Risk outcome without a risk acted on",
    message="A risk outcome is recorded at {path}, but the enquiry did not find a risk and "
    "act on it.",
    source="Safeguarding Adults Collection SG2: risk outcomes follow action taken on a risk",
)
def risk_outcome_needs_action(record: SafeguardingEnquiry) -> Findings:
    """A risk outcome (remains, reduced, removed) is recorded only where the enquiry
    identified a risk, or could not rule one out, and took action."""
    enquiry = record.enquiry
    if enquiry is None or enquiry.risk_outcome is None:
        return
    if enquiry.action_and_result not in _RISK_ACTED_ON:
        yield "/enquiry/riskOutcome", {}


@business_rule(
    DESIGN,
    "safeguarding.msp-outcome-without-expressed-outcomes",
    title="Outcomes achieved recorded but none were expressed",
    message="Whether desired outcomes were achieved is recorded at {path}, but the adult was "
    "not recorded as expressing desired outcomes.",
    source="Making Safeguarding Personal outcomes framework q2; SAC SG2",
)
def msp_achieved_needs_expressed(record: SafeguardingEnquiry) -> Findings:
    """Whether desired outcomes were achieved is recorded only when the adult (or their
    representative) was asked and expressed desired outcomes."""
    msp = record.making_safeguarding_personal
    if msp is None or msp.outcomes_achieved is None:
        return
    if msp.asked != _MSP_EXPRESSED:
        yield "/makingSafeguardingPersonal/outcomesAchieved", {}


@business_rule(
    DESIGN,
    "safeguarding.advocate-missing",
    title="No advocate or appropriate individual for an adult with substantial difficulty",
    message="The adult would have substantial difficulty in being involved, so {path} needs "
    "an independent advocate or an appropriate individual.",
    source="Care Act 2014 s68 (independent advocacy in safeguarding enquiries)",
)
def advocate_where_substantial_difficulty(record: SafeguardingEnquiry) -> Findings:
    """Where an adult would have substantial difficulty in being involved in an enquiry, the
    council must arrange an independent advocate unless an appropriate individual (not paid
    to care for them) can represent and support them (Care Act 2014 s68)."""
    if (
        record.enquiry is not None
        and record.substantial_difficulty_in_being_involved
        and record.independent_advocate is None
        and record.appropriate_individual is None
    ):
        yield "/independentAdvocate", {}


@business_rule(
    DESIGN,
    "safeguarding.dates-out-of-order",
    title="Safeguarding events out of order",
    message="The time at {path} is earlier than {detail}.",
    source="sharedsvc design: a concern is received, then decided on, then enquired into, "
    "then concluded and closed",
)
def events_in_order(record: SafeguardingEnquiry) -> Findings:
    """A record's events happen in order: concern received, s42 decision, enquiry started,
    enquiry concluded, record closed."""
    received = record.concern_received_at
    decision = record.s42_decision
    enquiry = record.enquiry
    if decision is not None and decision.decided_at < received:
        yield "/s42Decision/decidedAt", {"detail": "the time the concern was received"}
    if enquiry is not None:
        if decision is not None and enquiry.started_at < decision.decided_at:
            yield "/enquiry/startedAt", {"detail": "the s42 decision"}
        if enquiry.concluded_at is not None and enquiry.concluded_at < enquiry.started_at:
            yield "/enquiry/concludedAt", {"detail": "the start of the enquiry"}
    if record.closed_at is not None:
        latest = max(
            t
            for t in (
                received,
                decision.decided_at if decision else None,
                enquiry.concluded_at if enquiry else None,
            )
            if t is not None
        )
        if record.closed_at < latest:
            yield "/closedAt", {"detail": "the event before closure"}


@business_rule(
    DESIGN,
    "safeguarding.status-inconsistent",
    title="Status does not match what is recorded",
    message="The status '{state}' needs {detail} at {path}.",
    source="sharedsvc design: the process states of adult-social-care/safeguarding",
)
def status_matches_content(record: SafeguardingEnquiry) -> Findings:
    """A record's status matches its content: no-s42-duty needs a decision that the duty does
    not apply; enquiry and enquiry-concluded need an enquiry (concluded for the latter);
    closed needs the closure time."""
    status = record.status
    ctx = {"state": status}
    decision = record.s42_decision
    if status == "no-s42-duty" and (decision is None or decision.duty_applies):
        yield "/s42Decision", {**ctx, "detail": "a decision that the duty does not apply"}
    if status in ("enquiry", "enquiry-concluded") and record.enquiry is None:
        yield "/enquiry", {**ctx, "detail": "the enquiry"}
    if status == "enquiry" and record.enquiry and record.enquiry.concluded_at is not None:
        yield (
            "/enquiry/concludedAt",
            {**ctx, "detail": "no conclusion time (use enquiry-concluded)"},
        )
    if status == "enquiry-concluded" and record.enquiry and record.enquiry.concluded_at is None:
        yield "/enquiry/concludedAt", {**ctx, "detail": "the time the enquiry concluded"}
    if status == "closed" and record.closed_at is None:
        yield "/closedAt", {**ctx, "detail": "the time the record was closed"}
    if status != "closed" and record.closed_at is not None:
        yield "/closedAt", {**ctx, "detail": "no closure time (the record is not closed)"}
