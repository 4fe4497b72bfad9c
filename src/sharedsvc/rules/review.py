"""Business rules of ``adult-social-care/review``."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from sharedsvc.models.adult_social_care import Review
from sharedsvc.validation import business_rule

DESIGN = "adult-social-care/review"

Findings = Iterator[tuple[str, Mapping[str, object]]]


@business_rule(
    DESIGN,
    "review.completed-before-started",
    title="Review concluded before it started",
    message="The date the review concluded, at {path}, is earlier than the date it started.",
    source="sharedsvc design: a review cannot end before it begins (Client Level Data "
    "Event_End_Date)",
)
def completed_in_order(review: Review) -> Findings:
    """A review cannot conclude before it started."""
    if review.completed_on is not None and review.completed_on < review.started_on:
        yield "/completedOn", {}


@business_rule(
    DESIGN,
    "review.outcome-incomplete",
    title="Review outcome without its date, or the reverse",
    message="A review's outcome and the date it concluded go together: {detail} at {path}.",
    source="Client Level Data: a Review with an Event_Outcome has an Event_End_Date",
)
def outcome_with_date(review: Review) -> Findings:
    """A review's outcome and the date it concluded are recorded together."""
    if review.outcome is not None and review.completed_on is None:
        yield "/completedOn", {"detail": "an outcome is recorded without the date"}
    if review.completed_on is not None and review.outcome is None:
        yield "/outcome", {"detail": "a date is recorded without the outcome"}


@business_rule(
    DESIGN,
    "review.next-review-not-after-review",
    title="Next review not after this one",
    message="The next review date at {path} is not after the day this review concluded.",
    source="Care Act 2014 s27(1)(a); Care and Support Statutory Guidance para 13.32",
)
def next_review_later(review: Review) -> Findings:
    """The next review is due after this review concluded."""
    if (
        review.next_review_due is not None
        and review.completed_on is not None
        and review.next_review_due <= review.completed_on
    ):
        yield "/nextReviewDue", {}


@business_rule(
    DESIGN,
    "review.adult-not-involved-in-revision",
    title="Plan revised without involving the adult",
    message="The review revised the plan, but {path} does not record the adult as taking part.",
    source="Care Act 2014 s27(2)(b)(i)",
)
def adult_involved_in_revision(review: Review) -> Findings:
    """In deciding whether or how to revise a care and support plan, the council must involve
    the adult the plan relates to (s27(2)(b)(i))."""
    if review.outcome == "plan-revised" and not any(p.role == "adult" for p in review.participants):
        yield "/participants", {}
