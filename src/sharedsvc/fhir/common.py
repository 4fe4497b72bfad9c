"""Mappings of the common records every design shares, onto UK Core.

* :class:`~sharedsvc.models.common.Person` → UKCore-Patient, and one UKCore-Flag
  per Accessible Information Standard need (as NHS England's Reasonable
  Adjustment Flag carries them: UK Core Patient has no element for them);
* :class:`~sharedsvc.models.common.Organisation` → UKCore-Organization;
* :class:`~sharedsvc.models.common.Practitioner` → UKCore-PractitionerRole (role,
  organisation, work contact details) with a UKCore-Practitioner (name,
  registrations), because FHIR keeps a person's role at an organisation apart
  from the person;
* :class:`~sharedsvc.models.common.RelatedPerson` → UKCore-RelatedPerson;
* :class:`~sharedsvc.models.adult_social_care.ConsentToShare` → UKCore-Consent;
* the datatypes HumanName, Address, ContactPoint, Identifier and Period.
"""

from __future__ import annotations

from typing import Any, Final

from sharedsvc.fhir import ukcore
from sharedsvc.fhir.converters import (
    DATE,
    DATETIME,
    Converter,
    code,
    code_map,
    concept,
    concept_map,
    concept_of,
    datatype,
    many,
    ref,
    valueset,
)
from sharedsvc.fhir.engine import (
    Companion,
    EmitContext,
    FhirMappingError,
    Field,
    Fixed,
    Json,
    Link,
    Located,
    ObjectMap,
    ReadContext,
    ResourceMap,
)
from sharedsvc.fhir.structure import PRIMITIVES
from sharedsvc.models.adult_social_care import ConsentToShare
from sharedsvc.models.common import (
    Address,
    ContactPoint,
    HumanName,
    Identifier,
    Organisation,
    Period,
    Person,
    Practitioner,
    RelatedPerson,
)
from sharedsvc.terminology import Coding

__all__ = [
    "ADDRESS",
    "CONSENT",
    "CONTACT_POINT",
    "HUMAN_NAME",
    "IDENTIFIER",
    "LOCAL",
    "ORGANIZATION",
    "PATIENT",
    "PERIOD",
    "PRACTITIONER",
    "PRACTITIONER_ROLE",
    "RELATED_PERSON",
    "emit_concept_text",
    "extension_url",
    "read_concept_text",
]


def extension_url(name: str) -> str:
    """The URL of an extension local to sharedsvc (a URN: no web domain is implied)."""
    return f"urn:sharedsvc:fhir:extension:{name}"


#: How the mapping table marks an extension local to sharedsvc.
LOCAL: Final = "an extension local to sharedsvc"

# -- datatypes ------------------------------------------------------------------------------

PERIOD: Final = ObjectMap(
    "period",
    Period,
    "Period",
    (Field("start", "start", DATE), Field("end", "end", DATE)),
)

HUMAN_NAME: Final = ObjectMap(
    "human-name",
    HumanName,
    "HumanName",
    (
        Field("use", "use"),
        Field("family", "family"),
        Field("given", "given"),
        Field("prefix", "prefix"),
    ),
)

CONTACT_POINT: Final = ObjectMap(
    "contact-point",
    ContactPoint,
    "ContactPoint",
    (
        Field("system", "system"),
        Field("value", "value"),
        Field("use", "use"),
        Field("rank", "rank"),
    ),
)

IDENTIFIER: Final = ObjectMap(
    "identifier",
    Identifier,
    "Identifier",
    (Field("system", "system"), Field("value", "value")),
)

#: USRN has no UK Core address key type (the value set, extensible, lists PAF and
#: UPRN), so it is carried with a type code local to sharedsvc.
USRN_KEY_TYPE_SYSTEM: Final = "urn:sharedsvc:codesystem:address-key-type"


def _emit_address_keys(value: tuple[str | None, str | None], _ctx: EmitContext, _p: str) -> Json:
    uprn, usrn = value
    keys: list[dict[str, Any]] = []
    for key, system, code_value, display in (
        (uprn, ukcore.ADDRESS_KEY_TYPE_SYSTEM, "UPRN", "Unique Property Reference Number"),
        (usrn, USRN_KEY_TYPE_SYSTEM, "USRN", "Unique Street Reference Number"),
    ):
        if key is None:
            continue
        concept_json = concept_of(system, code_value, display)
        keys.append(
            {
                "extension": [
                    {"url": "type", "valueCodeableConcept": concept_json},
                    {"url": "value", "valueString": key},
                ],
                "url": ukcore.ADDRESS_KEY,
            }
        )
    return keys


def _read_address_keys(located: Located, _ctx: ReadContext, _pointer: str) -> Any:
    uprn: str | None = None
    usrn: str | None = None
    for item in located.value if isinstance(located.value, list) else []:
        if not isinstance(item, dict) or item.get("url") != ukcore.ADDRESS_KEY:
            continue
        parts = {p.get("url"): p for p in item.get("extension") or [] if isinstance(p, dict)}
        key_type = ((parts.get("type") or {}).get("valueCodeableConcept") or {}).get("coding")
        codes = {(c.get("system"), c.get("code")) for c in key_type or [] if isinstance(c, dict)}
        value = (parts.get("value") or {}).get("valueString")
        if (ukcore.ADDRESS_KEY_TYPE_SYSTEM, "UPRN") in codes:
            uprn = value
        elif (USRN_KEY_TYPE_SYSTEM, "USRN") in codes:
            usrn = value
    return uprn, usrn


ADDRESS_KEYS: Final = Converter(
    "address-keys",
    _emit_address_keys,
    _read_address_keys,
    describe="Extension-UKCore-AddressKey, type UPRN (UK Core) or USRN (a sharedsvc code)",
    checked=True,
    multi=True,
    parts=("", ""),
)

ADDRESS: Final = ObjectMap(
    "address",
    Address,
    "Address",
    (
        Field(("uprn", "usrn"), "extension", ADDRESS_KEYS),
        Field("use", "use"),
        Field("lines", "line"),
        Field("town", "city"),
        Field("county", "district"),
        Field("postcode", "postalCode"),
        Field("period", "period", datatype(PERIOD)),
    ),
)

# -- Organisation → Organization ------------------------------------------------------------

ORGANIZATION: Final = ResourceMap(
    "organisation",
    Organisation,
    "Organization",
    (
        Field("ods_code", f"identifier[system={ukcore.ODS_SYSTEM}].value"),
        Field(
            "gss_code",
            f"identifier[system={ukcore.GSS_SYSTEM}].value",
            note="no UK Core identifier system exists for GSS codes; sharedsvc uses the ONS "
            "statistical-geography namespace",
        ),
        Field("name", "name"),
    ),
    profile=ukcore.profile("Organization"),
)

# -- Practitioner → PractitionerRole + Practitioner -----------------------------------------

PRACTITIONER: Final = ResourceMap(
    "practitioner",
    Practitioner,
    "Practitioner",
    (
        Field("identifiers", "identifier", many(datatype(IDENTIFIER))),
        Field("name", "name[0]", datatype(HUMAN_NAME)),
    ),
    profile=ukcore.profile("Practitioner"),
    always=True,
)


def emit_concept_text(value: str, _ctx: EmitContext, pointer: str) -> Json:
    """Free text as a CodeableConcept's ``text``."""
    if not PRIMITIVES["string"][1](value):
        raise FhirMappingError(pointer, "not a valid FHIR string")
    return {"text": value}


def read_concept_text(located: Located, _ctx: ReadContext, _pointer: str) -> Any:
    """A CodeableConcept's text, else its first coding's display."""
    concept_json = located.value if isinstance(located.value, dict) else {}
    if isinstance(concept_json.get("text"), str):
        return concept_json["text"]
    for coding in concept_json.get("coding") or []:
        if isinstance(coding, dict) and isinstance(coding.get("display"), str):
            return coding["display"]
    return None


ROLE: Final = Converter(
    "role",
    emit_concept_text,
    read_concept_text,
    describe="the role as free text in code.text; read from the first coding's display "
    "when another system sends only a coded role (an SDS job role, say)",
    checked=True,
)

PRACTITIONER_ROLE: Final = ResourceMap(
    "practitioner-role",
    Practitioner,
    "PractitionerRole",
    (
        Field("organisation", "organization", ref(ORGANIZATION)),
        Field("role", "code[0]", ROLE),
        Field("telecom", "telecom", many(datatype(CONTACT_POINT)), note="work contact details"),
    ),
    profile=ukcore.profile("PractitionerRole"),
    companions=(
        Companion(
            PRACTITIONER,
            "practitioner",
            from_primary=True,
            note="the person, apart from their role (UKCore-Practitioner)",
        ),
    ),
)

# -- RelatedPerson → RelatedPerson ----------------------------------------------------------

CARER_SYSTEM: Final = "https://fhir.hl7.org.uk/CodeSystem/UKCore-AdditionalPersonRelationshipRole"


def _emit_carer(value: bool, _ctx: EmitContext, _pointer: str) -> Json:
    if not value:
        return None
    return concept_of(CARER_SYSTEM, "Carer", "Carer of patient")


def _read_carer(located: Located, _ctx: ReadContext, _pointer: str) -> Any:
    codings = located.value.get("coding") if isinstance(located.value, dict) else None
    return any(
        isinstance(c, dict) and c.get("system") == CARER_SYSTEM and c.get("code") == "Carer"
        for c in codings or []
    )


IS_CARER: Final = Converter(
    "carer",
    _emit_carer,
    _read_carer,
    describe="true is a second relationship, UK Core 'Carer' (AdditionalPersonRelationshipRole)",
    checked=True,
    absent=False,
)

RELATED_PERSON: Final = ResourceMap(
    "related-person",
    RelatedPerson,
    "RelatedPerson",
    (
        Field("relationship", "relationship[0]", concept("person-relationship-type")),
        Field("is_carer", "relationship[1]", IS_CARER),
        Field("name", "name[0]", datatype(HUMAN_NAME)),
        Field("telecom", "telecom", many(datatype(CONTACT_POINT))),
        Field("address", "address[0]", datatype(ADDRESS)),
    ),
    profile=ukcore.profile("RelatedPerson"),
    links=(Link("patient", "subject"),),
)

# -- Person → Patient (+ Flags) -------------------------------------------------------------


def _emit_nhs_number(value: tuple[str | None, str | None], _ctx: EmitContext, _p: str) -> Json:
    number, status = value
    identifier: dict[str, Any] = {}
    if status is not None:
        vs = valueset("nhs-number-verification-status")
        concept_def = next(c for c in vs.concepts if c.code == status)
        coding = {
            "system": vs.system_of(concept_def),
            "code": status,
            "display": concept_def.display,
        }
        identifier["extension"] = [
            {"url": ukcore.NHS_NUMBER_VERIFICATION, "valueCodeableConcept": {"coding": [coding]}}
        ]
    identifier["system"] = ukcore.NHS_NUMBER_SYSTEM
    if number is not None:
        identifier["value"] = number
    else:
        # UK Core requires the value in this slice; FHIR says why it is absent.
        identifier["_value"] = {
            "extension": [{"url": ukcore.DATA_ABSENT_REASON, "valueCode": "unknown"}]
        }
    return identifier


def _read_nhs_number(located: Located, ctx: ReadContext, _pointer: str) -> Any:
    identifier = located.value if isinstance(located.value, dict) else {}
    number = identifier.get("value")
    status: str | None = None
    systems = valueset("nhs-number-verification-status").systems
    for extension in identifier.get("extension") or []:
        if (
            not isinstance(extension, dict)
            or extension.get("url") != ukcore.NHS_NUMBER_VERIFICATION
        ):
            continue
        concept_json = extension.get("valueCodeableConcept") or {}
        for coding in concept_json.get("coding") or []:
            if isinstance(coding, dict) and coding.get("system") in systems:
                status = coding.get("code")
                break
        else:
            ctx.issue(
                "coding.wrong-system",
                f"{located.location}.extension",
                valueset="nhs-number-verification-status",
            )
    return number, status


NHS_NUMBER: Final = Converter(
    "nhs-number",
    _emit_nhs_number,
    _read_nhs_number,
    describe="UK Core nhsNumber slice; the verification status in "
    "Extension-UKCore-NHSNumberVerificationStatus; a status without a number has the "
    "value absent with a data-absent-reason",
    checked=True,
    multi=True,
    parts=("value", "extension"),
)


def _emit_language(value: str, _ctx: EmitContext, pointer: str) -> Json:
    if not PRIMITIVES["code"][1](value):
        raise FhirMappingError(pointer, "not a valid FHIR code")
    return [{"language": {"coding": [{"system": ukcore.BCP47, "code": value}]}, "preferred": True}]


def _read_language(located: Located, ctx: ReadContext, _pointer: str) -> Any:
    items = (
        [i for i in located.value if isinstance(i, dict)] if isinstance(located.value, list) else []
    )
    chosen = next((i for i in items if i.get("preferred") is True), items[0] if items else None)
    if chosen is None:
        return None
    for coding in (chosen.get("language") or {}).get("coding") or []:
        if isinstance(coding, dict) and coding.get("system") == ukcore.BCP47:
            return coding.get("code")
    ctx.issue("coding.wrong-system", located.location, valueset="all-languages (BCP 47)")
    return None


PREFERRED_LANGUAGE: Final = Converter(
    "preferred-language",
    _emit_language,
    _read_language,
    describe="communication.language (BCP 47, urn:ietf:bcp:47) with preferred = true",
    checked=True,
)

#: A Flag per communication need; the code is the need's SNOMED CT concept.
COMMUNICATION_NEED: Final = ResourceMap(
    "communication-need",
    Coding,
    "Flag",
    (Field(".", "code", concept("accessible-information-need")),),
    fixed=(Fixed("status", "active", note="fixed: active"),),
    profile=ukcore.profile("Flag"),
    links=(Link("subject", "primary", note="the Patient whose need it is"),),
)

_GENDER: Final = {"1": "male", "2": "female", "9": "other", "X": "unknown"}
_BIRTH_SEX: Final = {
    "1": (ukcore.V3_ADMINISTRATIVE_GENDER, "M", "Male"),
    "2": (ukcore.V3_ADMINISTRATIVE_GENDER, "F", "Female"),
    "9": (ukcore.V3_ADMINISTRATIVE_GENDER, "UN", "Undifferentiated"),
    "X": (ukcore.V3_NULL_FLAVOR, "UNK", "unknown"),
}

PATIENT: Final = ResourceMap(
    "patient",
    Person,
    "Patient",
    (
        Field(
            ("nhs_number", "nhs_number_verification"),
            f"identifier[system={ukcore.NHS_NUMBER_SYSTEM}]",
            NHS_NUMBER,
        ),
        Field(
            "ni_number",
            f"identifier[system={ukcore.NI_NUMBER_SYSTEM}].value",
            note="no published identifier system for National Insurance numbers; a sharedsvc URN",
        ),
        Field(
            "other_identifiers",
            "identifier",
            many(datatype(IDENTIFIER)),
            note="every identifier not in another slice; a system the mapping uses for "
            "another field cannot be used here",
        ),
        Field(
            "ethnic_category",
            f"extension[url={ukcore.ETHNIC_CATEGORY}].valueCodeableConcept",
            code("ethnic-category"),
        ),
        Field(
            "phenotypic_sex",
            f"extension[url={ukcore.BIRTH_SEX}].valueCodeableConcept",
            concept_map(_BIRTH_SEX, "UKCore-BirthSex"),
            note="PRSB and the NHS Data Dictionary define phenotypic sex as observed at birth",
        ),
        Field(
            "interpreter_required",
            f"extension[url={ukcore.INTERPRETER_REQUIRED}].valueBoolean",
            note="the HL7 extension UKCore-Patient slices as patientInterpreterRequired",
        ),
        Field("names", "name", many(datatype(HUMAN_NAME))),
        Field("telecom", "telecom", many(datatype(CONTACT_POINT))),
        Field(
            "stated_gender",
            "gender",
            code_map(_GENDER, "PERSON STATED GENDER CODE to FHIR administrative gender"),
        ),
        Field("birth_date", "birthDate", DATE),
        Field("addresses", "address", many(datatype(ADDRESS))),
        Field("preferred_language", "communication", PREFERRED_LANGUAGE),
    ),
    profile=ukcore.profile("Patient"),
    companions=(
        Companion(
            COMMUNICATION_NEED,
            "subject",
            from_primary=False,
            each="communication_needs",
            note="one UKCore-Flag per need, its subject the Patient",
        ),
    ),
)

# -- ConsentToShare → Consent ---------------------------------------------------------------

CONSENT_STATUS_SYSTEM: Final = "urn:sharedsvc:codesystem:consent-to-share-status"
PARTNER_KIND_SYSTEM: Final = "urn:sharedsvc:codesystem:partner-kind"

#: canonical status → (Consent.status, provision.type or None)
_CONSENT_STATES: Final = {
    "given": ("active", "permit"),
    "refused": ("active", "deny"),
    "not-sought": ("proposed", None),
    "best-interests": ("active", "permit"),
}


def _emit_consent_status(value: str, _ctx: EmitContext, pointer: str) -> Json:
    if value not in _CONSENT_STATES:
        raise FhirMappingError(pointer, "the status has no FHIR equivalent")
    status, provision = _CONSENT_STATES[value]
    out: dict[str, Any] = {
        "status": status,
        "policyRule": {"coding": [{"system": CONSENT_STATUS_SYSTEM, "code": value}]},
    }
    if provision is not None:
        out["provision"] = {"type": provision}
    return out


def _read_consent_status(located: Located, ctx: ReadContext, _pointer: str) -> Any:
    consent = located.value if isinstance(located.value, dict) else {}
    for coding in (consent.get("policyRule") or {}).get("coding") or []:
        if isinstance(coding, dict) and coding.get("system") == CONSENT_STATUS_SYSTEM:
            return coding.get("code")
    status = consent.get("status")
    provision = (consent.get("provision") or {}).get("type")
    if status == "active" and provision in (None, "permit"):
        return "given"
    if status == "active" and provision == "deny":
        return "refused"
    if status == "proposed":
        return "not-sought"
    ctx.issue("fhir.code-unmapped", f"{located.location}.status" if located.location else "status")
    return None


CONSENT_STATUS: Final = Converter(
    "consent-status",
    _emit_consent_status,
    _read_consent_status,
    describe="status and provision.type (given: active/permit; refused: active/deny; "
    "not-sought: proposed; best-interests: active/permit) with the sharedsvc status in "
    "policyRule, which also meets Consent invariant ppc-1",
    checked=True,
    parts=("status",),
)

_RECIPIENT: Final = concept_of(
    "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "IRCP", "information recipient"
)


def _emit_partners(value: list[str], _ctx: EmitContext, _pointer: str) -> Json:
    return [
        {
            "role": {"coding": [dict(_RECIPIENT["coding"][0])]},
            "reference": {"identifier": {"system": PARTNER_KIND_SYSTEM, "value": kind}},
        }
        for kind in value
    ]


def _read_partners(located: Located, _ctx: ReadContext, _pointer: str) -> Any:
    kinds = []
    for actor in located.value if isinstance(located.value, list) else []:
        identifier = ((actor or {}).get("reference") or {}).get("identifier") or {}
        if identifier.get("system") == PARTNER_KIND_SYSTEM:
            kinds.append(identifier.get("value"))
    return kinds or None


PARTNERS: Final = Converter(
    "partner-kinds",
    _emit_partners,
    _read_partners,
    describe="each kind of partner is an information-recipient (IRCP) actor identified by a "
    "sharedsvc partner-kind code: the consent names kinds of organisation, not named ones",
    checked=True,
)

CONSENT: Final = ResourceMap(
    "consent-to-share",
    ConsentToShare,
    "Consent",
    (
        Field("status", ".", CONSENT_STATUS, shown="status, provision.type, policyRule"),
        Field("recorded_at", "dateTime", DATETIME),
        Field("scope", "provision.actor", PARTNERS),
    ),
    fixed=(
        Fixed(
            "scope",
            concept_of(
                "http://terminology.hl7.org/CodeSystem/consentscope",
                "patient-privacy",
                "Privacy Consent",
            ),
            note="fixed: patient-privacy",
        ),
        Fixed(
            "category[0]",
            concept_of(
                "http://terminology.hl7.org/CodeSystem/v3-ActCode", "INFA", "information access"
            ),
            note="fixed: v3 ActCode INFA, as the UK Core Consent example",
        ),
    ),
    profile=ukcore.profile("Consent"),
    links=(Link("patient", "subject"),),
)
