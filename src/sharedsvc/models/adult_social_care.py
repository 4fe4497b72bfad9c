"""Adult social care records (Care Act 2014 Part 1)."""

from __future__ import annotations

from typing import Annotated, Literal

from sharedsvc.ig import NON_PERSONAL, PERSONAL, SPECIAL_CATEGORY, classified
from sharedsvc.models.base import Record, RecordId, Timestamp
from sharedsvc.models.common import Organisation, Person, Practitioner, RelatedPerson
from sharedsvc.terminology import InValueSet

__all__ = ["ConsentToShare", "Contact", "Referrer"]


class Referrer(Record):
    """Who made the contact, when it was not the person themselves."""

    kind: Literal["family-or-carer", "professional", "friend-or-neighbour", "other"] = classified(
        NON_PERSONAL,
        "Who the referrer is to the person. A list local to sharedsvc: Client Level Data "
        "records the route of access, not the referrer.",
    )
    related_person: RelatedPerson | None = classified(
        PERSONAL, "The referrer, when a relative, carer, friend or neighbour.", None
    )
    practitioner: Practitioner | None = classified(
        PERSONAL, "The referrer, when a professional.", None
    )


class ConsentToShare(Record):
    """Whether the person agreed to information being shared with partner organisations."""

    status: Literal["given", "refused", "not-sought", "best-interests"] = classified(
        PERSONAL,
        "given / refused / not-sought / best-interests (shared without consent in the person's "
        "best interests or to protect them, Care Act 2014 s45 and UK GDPR Art 6(1)(e)). "
        "A list local to sharedsvc.",
    )
    recorded_at: Timestamp = classified(NON_PERSONAL, "When the decision was recorded.")
    scope: list[Literal["health", "social-care", "housing", "police", "voluntary-sector"]] = (
        classified(
            PERSONAL,
            "Which kinds of partner the consent covers (local to sharedsvc).",
            [],
            max_length=5,
        )
    )


class Contact(Record):
    """A first contact or referral to adult social care (a Client Level Data 'Request')."""

    id: RecordId = classified(NON_PERSONAL, "Identifier of the contact record.")
    council: Organisation = classified(
        NON_PERSONAL, "The council (local authority, by GSS code) the contact was made to."
    )
    received_at: Timestamp = classified(NON_PERSONAL, "When the contact was received.")
    person: Person = classified(PERSONAL, "The adult the contact is about.")
    route_of_access: Annotated[str, InValueSet("asc-request-route-of-access")] = classified(
        NON_PERSONAL,
        "How the request reached the council (Client Level Data Request_Route_of_Access).",
    )
    referrer: Referrer | None = classified(
        PERSONAL, "Who made the contact, if not the person.", None
    )
    reason: str = classified(
        SPECIAL_CATEGORY,
        "Why the contact was made, in the referrer's words. Usually describes health or "
        "disability, so special category.",
        min_length=1,
        max_length=4000,
    )
    urgency: Annotated[str, InValueSet("contact-urgency")] = classified(
        NON_PERSONAL, "How quickly the contact needs a response (local to sharedsvc)."
    )
    safeguarding_concern: bool = classified(
        PERSONAL,
        "Whether the contact raises a concern that the adult is experiencing, or at risk of, "
        "abuse or neglect (Care Act 2014 s42(1)).",
    )
    consent_to_share: ConsentToShare = classified(
        PERSONAL, "The person's decision on sharing information with partners."
    )
    outcome: Annotated[str, InValueSet("asc-request-outcome")] | None = classified(
        NON_PERSONAL, "What was decided (Client Level Data Event_Outcome for Requests).", None
    )
    decided_at: Timestamp | None = classified(NON_PERSONAL, "When the outcome was decided.", None)
    decided_by: Practitioner | None = classified(
        PERSONAL, "The practitioner who decided the outcome.", None
    )
