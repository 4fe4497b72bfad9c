"""Mappings of the adult social care designs onto UK Core.

``adult-social-care/contact``: a contact or referral is a request for the
council to act, so it is a UKCore-ServiceRequest: the council is the
``performer`` asked to act, the adult the ``subject``, the referrer the
``requester``. What the council decided (the CLD outcome, when, by whom) is
the work done on that request, so it is a UKCore-Task based on it, made only
once a decision is recorded. Consent to share is a UKCore-Consent held in
``supportingInfo``.
"""

from __future__ import annotations

from typing import Any, Final

from sharedsvc.fhir import ukcore
from sharedsvc.fhir.common import CONSENT, ORGANIZATION, PATIENT, PRACTITIONER_ROLE, RELATED_PERSON
from sharedsvc.fhir.converters import (
    DATETIME,
    code,
    code_map,
    concept_of,
    local_code,
    presence,
    ref,
)
from sharedsvc.fhir.engine import Companion, DesignMapping, Field, Fixed, Link, ResourceMap
from sharedsvc.models.adult_social_care import Contact

__all__ = ["CONTACT", "MAPPINGS"]

CONTACT_ID_SYSTEM: Final = "urn:sharedsvc:record-id:adult-social-care/contact"
ROUTE_SYSTEM: Final = "urn:sharedsvc:codesystem:asc-request-route-of-access"
REFERRER_KIND_SYSTEM: Final = "urn:sharedsvc:codesystem:referrer-kind"
CONTACT_FLAG_SYSTEM: Final = "urn:sharedsvc:codesystem:contact-flag"
OUTCOME_LABEL: Final = "Outcome of the contact"

_TASK_CODE: Final = concept_of(
    "http://hl7.org/fhir/CodeSystem/task-code", "fulfill", "Fulfill the focal request"
)


def _decision_status(contact: Any) -> str:
    return "completed" if contact.outcome is not None else "in-progress"


def _request_status(contact: Any) -> str:
    return "completed" if contact.outcome is not None else "active"


DECISION: Final = ResourceMap(
    "decision",
    Contact,
    "Task",
    (
        Field(
            "outcome",
            f"output[type.text={OUTCOME_LABEL}].valueCodeableConcept",
            code("asc-request-outcome"),
        ),
        Field("decided_at", "executionPeriod.end", DATETIME),
        Field("decided_by", "owner", ref(PRACTITIONER_ROLE)),
    ),
    fixed=(
        Fixed("status", derive=_decision_status, note="derived: completed once an outcome is set"),
        Fixed("intent", "order", note="fixed: order"),
        Fixed("code", _TASK_CODE, note="fixed: task-code fulfill"),
    ),
    profile=ukcore.profile("Task"),
    links=(
        Link("basedOn[0]", "primary", note="the ServiceRequest the decision is on"),
        Link("for", "subject"),
    ),
)

CONTACT: Final = ResourceMap(
    "contact",
    Contact,
    "ServiceRequest",
    (
        Field(
            "id",
            f"identifier[system={CONTACT_ID_SYSTEM}].value",
            note="the record id in the council's system",
        ),
        Field(
            "referrer.kind",
            f"extension[url={ukcore.SOURCE_OF_SERVICE_REQUEST}].valueCodeableConcept",
            local_code(REFERRER_KIND_SYSTEM, "referrer kind, a list local to sharedsvc"),
            note="UK Core binds this extension (preferred) to SNOMED CT referral sources; "
            "sharedsvc's referrer kinds group several of them, so a local code is used",
        ),
        Field(
            "route_of_access",
            f"category[coding.system={ROUTE_SYSTEM}]",
            code("asc-request-route-of-access"),
            note="Client Level Data Request_Route_of_Access",
        ),
        Field(
            "safeguarding_concern",
            f"category[coding.system={CONTACT_FLAG_SYSTEM}]",
            presence(CONTACT_FLAG_SYSTEM, "safeguarding-concern", "Raises a safeguarding concern"),
        ),
        Field(
            "urgency",
            "priority",
            code_map(
                {"routine": "routine", "urgent": "urgent", "immediate": "asap"},
                "contact urgency to FHIR request priority (as the value set advises)",
            ),
        ),
        Field("person", "subject", ref(PATIENT)),
        Field("received_at", "authoredOn", DATETIME),
        Field(
            "referrer.practitioner",
            "requester[type=PractitionerRole]",
            ref(PRACTITIONER_ROLE),
            note="a professional referrer",
        ),
        Field(
            "referrer.related_person",
            "requester[type=RelatedPerson] | supportingInfo[type=RelatedPerson]",
            ref(RELATED_PERSON),
            note="a relative, carer, friend or neighbour; in supportingInfo when a "
            "practitioner is the requester",
        ),
        Field("council", "performer[0]", ref(ORGANIZATION), note="the council asked to act"),
        Field("reason", "reasonCode[0].text", note="free text, special category"),
        Field(
            "consent_to_share",
            "supportingInfo[type=Consent]",
            ref(CONSENT),
        ),
    ),
    fixed=(
        Fixed("status", derive=_request_status, note="derived: completed once an outcome is set"),
        Fixed("intent", "order", note="fixed: order"),
    ),
    profile=ukcore.profile("ServiceRequest"),
    companions=(
        Companion(
            DECISION,
            "basedOn[0]",
            from_primary=False,
            note="the decision on the contact, a Task based on the ServiceRequest",
        ),
    ),
)

MAPPINGS: Final = {
    "adult-social-care/contact": DesignMapping(
        "adult-social-care/contact",
        CONTACT,
        subject="person",
    ),
}
