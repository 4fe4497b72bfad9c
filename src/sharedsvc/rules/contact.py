"""Business rules of ``adult-social-care/contact``."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from sharedsvc.codes import Severity
from sharedsvc.models.adult_social_care import Contact
from sharedsvc.validation import business_rule

DESIGN = "adult-social-care/contact"

Findings = Iterator[tuple[str, Mapping[str, object]]]


@business_rule(
    DESIGN,
    "contact.decided-before-received",
    title="Decision dated before the contact",
    message="The decision at {path} is dated before the contact was received.",
    source="Client Level Data: an event cannot end before it starts (Event_End_Date)",
)
def decided_before_received(contact: Contact) -> Findings:
    """The outcome of a contact cannot be decided before the contact was received."""
    if contact.decided_at is not None and contact.decided_at < contact.received_at:
        yield "/decidedAt", {}


@business_rule(
    DESIGN,
    "contact.outcome-incomplete",
    title="Outcome without its decision time, or the reverse",
    message="An outcome and the time it was decided go together: {detail} at {path}.",
    source="Client Level Data: a Request with an Event_Outcome has an Event_End_Date",
)
def outcome_with_decision_time(contact: Contact) -> Findings:
    """A contact's outcome and the time it was decided must be recorded together."""
    if contact.outcome is not None and contact.decided_at is None:
        yield "/decidedAt", {"detail": "an outcome is recorded without the decision time"}
    if contact.decided_at is not None and contact.outcome is None:
        yield "/outcome", {"detail": "a decision time is recorded without the outcome"}


@business_rule(
    DESIGN,
    "contact.referrer-details-missing",
    title="Referrer details do not match the kind of referrer",
    message="The referrer at {path} needs {detail}.",
    source="sharedsvc design: a referrer must be identifiable to be contacted back",
)
def referrer_identified(contact: Contact) -> Findings:
    """A professional referrer is recorded as a practitioner; a relative, carer, friend or
    neighbour as a related person."""
    ref = contact.referrer
    if ref is None:
        return
    if ref.kind == "professional" and ref.practitioner is None:
        yield "/referrer", {"detail": "a practitioner for a professional referrer"}
    if ref.kind in ("family-or-carer", "friend-or-neighbour") and ref.related_person is None:
        yield "/referrer", {"detail": "a related person for a family, carer or friend referrer"}


@business_rule(
    DESIGN,
    "contact.safeguarding-closed-without-action",
    title="Safeguarding concern closed with no further action",
    message="The contact raises a safeguarding concern but its outcome at {path} is no further "
    "action; record the decision on the s42 enquiry duty.",
    source="Care Act 2014 s42(1)-(2); Care and Support Statutory Guidance ch 14",
    severity=Severity.WARNING,
)
def safeguarding_not_dropped(contact: Contact) -> Findings:
    """A contact that raises a safeguarding concern should not simply be closed as 'no further
    action': the council must decide whether its s42 enquiry duty applies."""
    if contact.safeguarding_concern and contact.outcome and contact.outcome.startswith("NFA"):
        yield "/outcome", {}
