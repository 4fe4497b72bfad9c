"""Business rules of ``adult-social-care/care-and-support-plan``."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from sharedsvc.models.adult_social_care import CareAndSupportPlan
from sharedsvc.validation import business_rule

DESIGN = "adult-social-care/care-and-support-plan"

Findings = Iterator[tuple[str, Mapping[str, object]]]

#: The CLD Delivery_Mechanism code for a direct payment (Care Act 2014 ss31-33).
DIRECT_PAYMENT = "Direct payment"


@business_rule(
    DESIGN,
    "care-and-support-plan.budget-parts-do-not-add-up",
    title="Personal budget parts do not add up",
    message="The personal budget total at {path} is not the sum of the council's and the "
    "person's contributions.",
    source="Care Act 2014 s26(1): the personal budget is the cost of meeting the needs, split "
    "into the amount the adult must pay and the amount the council must pay",
)
def budget_adds_up(plan: CareAndSupportPlan) -> Findings:
    """The personal budget's total (the cost to the council of meeting the needs, s26(1)(a))
    equals the adult's contribution (s26(1)(b)) plus the council's (s26(1)(c))."""
    budget = plan.personal_budget
    if budget is None:
        return
    if budget.person_contribution_pence + budget.council_contribution_pence != budget.total_pence:
        yield "/personalBudget/totalPence", {}


@business_rule(
    DESIGN,
    "care-and-support-plan.direct-payment-without-budget",
    title="Direct payment without a personal budget",
    message="The service at {path} is a direct payment, but the plan has no personal budget.",
    source="Care Act 2014 ss25(2), 26, 31-33: a direct payment is a payment of (part of) the "
    "personal budget, and the plan must specify its amount and frequency",
)
def direct_payment_has_budget(plan: CareAndSupportPlan) -> Findings:
    """A service delivered by direct payment needs a personal budget in the plan, since the
    payment is made from it and the plan must state its amount (s25(2))."""
    if plan.personal_budget is not None:
        return
    for index, service in enumerate(plan.services):
        if service.delivery_mechanism == DIRECT_PAYMENT:
            yield f"/services/{index}/deliveryMechanism", {}


@business_rule(
    DESIGN,
    "care-and-support-plan.ends-before-it-starts",
    title="End date before start date",
    message="The end date at {path} is earlier than the start date it belongs with.",
    source="sharedsvc design: a plan or service cannot end before it starts (Client Level "
    "Data Event_End_Date)",
)
def ends_after_start(plan: CareAndSupportPlan) -> Findings:
    """The plan and each of its services end on or after the day they start."""
    if plan.end_date is not None and plan.end_date < plan.start_date:
        yield "/endDate", {}
    for index, service in enumerate(plan.services):
        if service.end_date is not None and service.end_date < service.start_date:
            yield f"/services/{index}/endDate", {}


@business_rule(
    DESIGN,
    "care-and-support-plan.review-due-before-start",
    title="Review due before the plan starts",
    message="The review date at {path} is not after the day the plan starts.",
    source="Care Act 2014 s27(1)(a); Care and Support Statutory Guidance para 13.32 (first "
    "review 6-8 weeks after the plan is agreed)",
)
def review_after_start(plan: CareAndSupportPlan) -> Findings:
    """A plan's review is due after the plan starts: it reviews how the plan is working."""
    if plan.review_due is not None and plan.review_due <= plan.start_date:
        yield "/reviewDue", {}


@business_rule(
    DESIGN,
    "care-and-support-plan.adult-not-involved",
    title="Adult not involved in preparing the plan",
    message="The plan at {path} does not record the adult as involved in preparing it.",
    source="Care Act 2014 s25(3)(a) and (5)",
)
def adult_involved(plan: CareAndSupportPlan) -> Findings:
    """Once a plan is agreed, it records that the adult it is for was involved in preparing it
    (s25(3)(a)); the council must take all reasonable steps to agree it with them (s25(5))."""
    if plan.status != "draft" and not any(p.role == "adult" for p in plan.involved):
        yield "/involved", {}
