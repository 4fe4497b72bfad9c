"""The registry of issue codes: the one place every code is defined.

Codes are part of the public contract. Suppliers match on them, so a code is
never renamed silently: add a new one and deprecate the old in the changelog.
Severities follow a fixed ladder (after the UK planning data specification's
``severity.csv``). The docs page of issue codes is generated from this module,
and a test fails when a code is raised that is not registered here, or
registered here and raised by nothing.

Message templates may use ``{path}`` (a JSON Pointer) and the context names
listed in :data:`SAFE_CONTEXT_KEYS`; never the value that was supplied,
because the value may be personal data.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Final


class Severity(StrEnum):
    """How bad an issue is. ``critical`` and ``error`` make a payload invalid."""

    CRITICAL = "critical"
    ERROR = "error"
    WARNING = "warning"
    NOTICE = "notice"
    INFO = "info"

    @property
    def blocks(self) -> bool:
        """Whether an issue of this severity makes the payload invalid."""
        return self in (Severity.CRITICAL, Severity.ERROR)


@dataclass(frozen=True, slots=True)
class IssueCode:
    """One registered issue code."""

    code: str
    severity: Severity
    title: str
    description: str
    message: str
    example: str
    #: Whether JSON Schema can express the check, so a schema-only validator
    #: (a supplier using ajv, say) catches it too.
    in_schema: bool = True


#: Context names a message template may use: facts about the schema or rule,
#: never about the supplied value.
SAFE_CONTEXT_KEYS: Final = frozenset(
    {
        "expected",
        "limit",
        "min_length",
        "max_length",
        "ge",
        "le",
        "gt",
        "lt",
        "valueset",
        "state",
        "event",
        "actor",
        "clock",
        "line",
        "column",
        "detail",
    }
)

_C = Severity.CRITICAL
_E = Severity.ERROR
_W = Severity.WARNING

_ALL: tuple[IssueCode, ...] = (
    # -- payload: reading bytes into a JSON value ---------------------------------------
    IssueCode(
        "payload.encoding",
        _C,
        "Not UTF-8",
        "The payload is not valid UTF-8 text (RFC 8259 section 8.1 requires UTF-8).",
        "The payload is not valid UTF-8 (first bad byte at offset {detail}).",
        "A file saved as Windows-1252 with a pound sign in it.",
        in_schema=False,
    ),
    IssueCode(
        "payload.malformed-json",
        _C,
        "Malformed JSON",
        "The payload is not well-formed JSON.",
        "The payload is not well-formed JSON: {detail}.",
        "A trailing comma after the last field.",
        in_schema=False,
    ),
    IssueCode(
        "payload.too-large",
        _C,
        "Payload too large",
        "The payload is bigger than the configured size limit (10 MiB by default).",
        "The payload is larger than the limit of {limit} bytes.",
        "A 50 MiB file posted as one record.",
        in_schema=False,
    ),
    IssueCode(
        "payload.too-deep",
        _C,
        "Nesting too deep",
        "Objects and arrays are nested more deeply than the configured limit (64 levels "
        "by default); no design needs that, and deep nesting is a denial-of-service vector.",
        "The payload nests objects and arrays more than {limit} levels deep.",
        "[[[[[[ … ]]]]]] thousands of levels deep.",
        in_schema=False,
    ),
    IssueCode(
        "payload.unreadable",
        _C,
        "Payload cannot be read",
        "The file could not be opened or read.",
        "The file could not be read: {detail}.",
        "A path that does not exist.",
        in_schema=False,
    ),
    # -- structure: what pydantic reports, translated ------------------------------------
    IssueCode(
        "field.required",
        _E,
        "Required field missing",
        "A field the record must have is absent.",
        "A required field is missing at {path}.",
        "A contact with no 'receivedAt'.",
    ),
    IssueCode(
        "field.unexpected",
        _E,
        "Unknown field",
        "The payload has a field the design does not define. Records are closed so that "
        "misspelt field names are caught rather than silently dropped.",
        "{path} is not a field of this record.",
        "'nhsnumber' instead of 'nhsNumber'.",
    ),
    IssueCode(
        "type.string",
        _E,
        "Not a string",
        "A string was expected.",
        "A string is expected at {path}.",
        "A number where a name should be.",
    ),
    IssueCode(
        "type.integer",
        _E,
        "Not an integer",
        "A whole number was expected.",
        "A whole number is expected at {path}.",
        '"12" or 12.5 for a count.',
    ),
    IssueCode(
        "type.number",
        _E,
        "Not a number",
        "A number was expected.",
        "A number is expected at {path}.",
        '"ten" for an amount.',
    ),
    IssueCode(
        "type.boolean",
        _E,
        "Not a boolean",
        "true or false was expected.",
        "true or false is expected at {path}.",
        '"yes" for a flag.',
    ),
    IssueCode(
        "type.object",
        _E,
        "Not an object",
        "A JSON object was expected.",
        "An object is expected at {path}.",
        "A string where an address should be.",
    ),
    IssueCode(
        "type.array",
        _E,
        "Not an array",
        "A JSON array was expected.",
        "A list is expected at {path}.",
        "One object where a list of them should be.",
    ),
    IssueCode(
        "value.not-allowed",
        _E,
        "Value not allowed",
        "The value is not one of the values the field allows.",
        "The value at {path} is not one of the allowed values ({expected}).",
        "'Urgent!' for urgency.",
    ),
    IssueCode(
        "value.pattern",
        _E,
        "Wrong format",
        "The value does not have the format the field requires.",
        "The value at {path} does not have the required format.",
        "A record id with spaces in it.",
    ),
    IssueCode(
        "value.too-short",
        _E,
        "Too short",
        "The value is shorter than allowed.",
        "The value at {path} is shorter than the minimum of {min_length}.",
        "An empty name.",
    ),
    IssueCode(
        "value.too-long",
        _E,
        "Too long",
        "The value is longer than allowed.",
        "The value at {path} is longer than the maximum of {max_length}.",
        "A 10,000-character reason.",
    ),
    IssueCode(
        "value.out-of-range",
        _E,
        "Out of range",
        "The number is outside the range the field allows.",
        "The number at {path} is outside the allowed range.",
        "A negative budget amount.",
    ),
    IssueCode(
        "value.invalid",
        _E,
        "Invalid value",
        "The value is not valid for the field, for a reason not covered by a more specific code.",
        "The value at {path} is not valid: {detail}.",
        "A value a more specific code does not cover.",
    ),
    IssueCode(
        "date.invalid",
        _E,
        "Not a date",
        "A calendar date in ISO 8601 form (YYYY-MM-DD) was expected.",
        "A date (YYYY-MM-DD) is expected at {path}.",
        "'31/01/2026'.",
    ),
    IssueCode(
        "datetime.invalid",
        _E,
        "Not a date-time",
        "A date-time in RFC 3339 form was expected.",
        "A date-time (RFC 3339, e.g. 2026-01-31T09:30:00Z) is expected at {path}.",
        "'yesterday'.",
    ),
    IssueCode(
        "datetime.timezone-required",
        _E,
        "Date-time without a time zone",
        "Date-times must carry a UTC offset or 'Z' so that clocks are exact across "
        "the change to and from British Summer Time.",
        "The date-time at {path} must include a time zone (e.g. Z or +01:00).",
        "'2026-03-29T01:30:00'. JSON Schema catches it through format 'date-time' (RFC 3339 "
        "requires an offset) when the validator asserts formats.",
        in_schema=True,
    ),
    IssueCode(
        "date.in-future",
        _E,
        "Date in the future",
        "A date that must be in the past (a birth date, say) is after today.",
        "The date at {path} is in the future.",
        "A birth date next year.",
        in_schema=False,
    ),
    # -- UK identifiers and value types ----------------------------------------------------
    IssueCode(
        "nhs-number.format",
        _E,
        "NHS number wrong format",
        "An NHS number is 10 digits, optionally written with spaces or dashes in the "
        "3-3-4 pattern (NHS Data Dictionary: NHS NUMBER).",
        "The NHS number at {path} is not 10 digits.",
        "'12345'.",
    ),
    IssueCode(
        "nhs-number.checksum",
        _E,
        "NHS number check digit wrong",
        "The tenth digit of an NHS number is a modulus 11 check digit over the first "
        "nine (NHS Data Dictionary: NHS NUMBER). A number that fails it is mistyped.",
        "The NHS number at {path} fails the modulus 11 check.",
        "9434765918 (one digit changed from 9434765919).",
        in_schema=False,
    ),
    IssueCode(
        "postcode.format",
        _E,
        "Postcode wrong format",
        "A UK postcode has an outward code (area and district) and an inward code "
        "(sector digit and two unit letters), e.g. SW1A 1AA; GIR 0AA is also valid.",
        "The postcode at {path} is not a valid UK postcode.",
        "'SW1A1A'.",
    ),
    IssueCode(
        "uprn.format",
        _E,
        "UPRN wrong format",
        "A Unique Property Reference Number is a whole number of 1 to 12 digits "
        "(GeoPlace / OS AddressBase).",
        "The UPRN at {path} is not 1 to 12 digits.",
        "'UPRN-100023336956'.",
    ),
    IssueCode(
        "usrn.format",
        _E,
        "USRN wrong format",
        "A Unique Street Reference Number is a whole number of 1 to 8 digits "
        "(GeoPlace / National Street Gazetteer).",
        "The USRN at {path} is not 1 to 8 digits.",
        "'123456789'.",
    ),
    IssueCode(
        "ods-code.format",
        _E,
        "ODS code wrong format",
        "An Organisation Data Service code is 3 to 10 upper-case letters and digits "
        "(NHS England ODS).",
        "The ODS code at {path} does not have the ODS format.",
        "'rj1 ' with a space.",
    ),
    IssueCode(
        "gss-code.format",
        _E,
        "GSS code wrong format",
        "An ONS Government Statistical Service code is a letter and two digits for "
        "the entity type followed by six digits, e.g. E09000033.",
        "The GSS code at {path} is not a valid GSS code.",
        "'E0900033'.",
    ),
    IssueCode(
        "gss-code.not-local-authority",
        _E,
        "GSS code is not a local authority",
        "Only GSS entity codes for local authorities are accepted here: E06 (unitary), "
        "E07 (non-metropolitan district), E08 (metropolitan district), E09 (London "
        "borough), E10 (county), W06 (Welsh unitary), S12 (Scottish council area), "
        "N09 (Northern Irish district).",
        "The GSS code at {path} is not the code of a local authority.",
        "E14000639 (a parliamentary constituency).",
    ),
    IssueCode(
        "ni-number.format",
        _E,
        "National Insurance number wrong format",
        "A National Insurance number is two prefix letters, six digits and a suffix "
        "letter A-D, following HMRC's rules on the letters allowed (NIM39110).",
        "The National Insurance number at {path} does not follow HMRC's format.",
        "'QQ 12 34 56 E'.",
    ),
    IssueCode(
        "coding.unknown-code",
        _E,
        "Code not in value set",
        "The code is not a member of the value set the field is bound to.",
        "The code at {path} is not in the value set '{valueset}'.",
        "'SELF' where the value set has 'Self Referral'.",
    ),
    IssueCode(
        "coding.wrong-system",
        _E,
        "Code from the wrong code system",
        "The coding names a code system other than the one its value set draws on.",
        "The code system at {path} is not the system of value set '{valueset}'.",
        "A SNOMED CT system URI on an ethnic category.",
    ),
    # -- common records --------------------------------------------------------------------
    IssueCode(
        "period.end-before-start",
        _E,
        "Period ends before it starts",
        "The end date of a period is earlier than its start date.",
        "The period at {path} ends before it starts.",
        "An address used from 2026-05-01 to 2026-04-01.",
        in_schema=False,
    ),
    IssueCode(
        "nhs-number.status-required",
        _E,
        "NHS number without verification status",
        "An NHS number must come with its verification status (NHS Data Dictionary: NHS "
        "NUMBER STATUS INDICATOR CODE), which UK Core Patient requires alongside it.",
        "The person at {path} has an NHS number but no verification status.",
        "nhsNumber given, nhsNumberVerification absent.",
        in_schema=False,
    ),
    IssueCode(
        "organisation.identifier-required",
        _E,
        "Organisation without an identifier",
        "An organisation must be identified by an ODS code (NHS bodies) or a GSS code "
        "(councils), so that records can be linked across organisations.",
        "The organisation at {path} has neither an ODS code nor a GSS code.",
        "A council given only by name.",
        in_schema=False,
    ),
    # -- process ---------------------------------------------------------------------------
    IssueCode(
        "process.unknown-event",
        _E,
        "Unknown event",
        "The event is not defined by the design's process.",
        "'{event}' is not an event of this process.",
        "'approve' in a design without it.",
        in_schema=False,
    ),
    IssueCode(
        "process.invalid-transition",
        _E,
        "Event not allowed in this state",
        "The event is defined, but not from the state the case is in.",
        "Event '{event}' cannot happen in state '{state}'.",
        "Closing a contact that was never screened.",
        in_schema=False,
    ),
    IssueCode(
        "process.actor-not-permitted",
        _E,
        "Actor may not do this",
        "The design names which actors may raise each event; this actor is not one.",
        "Actor '{actor}' may not raise event '{event}'.",
        "A referrer recording the screening decision.",
        in_schema=False,
    ),
    IssueCode(
        "process.case-closed",
        _E,
        "Case already closed",
        "The case is in a final state; no further events are accepted.",
        "The case is closed (state '{state}'); event '{event}' was refused.",
        "Screening a contact already signposted.",
        in_schema=False,
    ),
    IssueCode(
        "process.out-of-order",
        _E,
        "Event earlier than the one before",
        "Events are appended in time order; an event dated before the previous one "
        "would rewrite history.",
        "The event at {path} is dated before the event before it.",
        "A decision timestamped before the contact was received.",
        in_schema=False,
    ),
    IssueCode(
        "process.clock-not-configurable",
        _E,
        "Clock limit set by law or guidance",
        "Only clocks whose authority is local policy can be changed by a council's "
        "configuration; statutory, statutory-guidance and national-policy limits cannot.",
        "Clock '{clock}' is not a local-policy clock and cannot be overridden.",
        "Overriding the 45-working-day statutory assessment clock.",
        in_schema=False,
    ),
    IssueCode(
        "process.unknown-clock",
        _E,
        "Unknown clock",
        "The configuration names a clock the design does not define.",
        "Clock '{clock}' is not defined by this design.",
        "A misspelt clock id.",
        in_schema=False,
    ),
    # -- FHIR input (sharedsvc.fhir.validate_fhir) ------------------------------------------
    IssueCode(
        "fhir.structure",
        _E,
        "Not valid FHIR structure",
        "The FHIR JSON has a value of the wrong JSON type, a resource of the wrong or an "
        "unknown type, or two choices of one [x] element (FHIR R4 JSON format).",
        "The FHIR content at {path} is not valid FHIR R4: {detail}.",
        'Patient.name as an object instead of an array; "active": "true".',
        in_schema=False,
    ),
    IssueCode(
        "fhir.element-unknown",
        _E,
        "Unknown FHIR element",
        "The element is not defined for this FHIR R4 type (misspelt, from another FHIR "
        "version, or an extension written as an element).",
        "{path} is not an element of this FHIR type.",
        "Patient.birthdate (FHIR spells it birthDate).",
        in_schema=False,
    ),
    IssueCode(
        "fhir.element-required",
        _E,
        "Required FHIR element missing",
        "An element FHIR R4 requires (minimum cardinality 1) is absent.",
        "A required FHIR element is missing at {path}.",
        "A ServiceRequest without subject.",
        in_schema=False,
    ),
    IssueCode(
        "fhir.value-format",
        _E,
        "FHIR value in the wrong format",
        "A primitive value does not have the lexical form of its FHIR type (date, dateTime, "
        "code, id, integer…).",
        "The value at {path} is {detail}.",
        "birthDate 2021-02-30; a code with a trailing space.",
        in_schema=False,
    ),
    IssueCode(
        "fhir.code-binding",
        _E,
        "Code outside a required binding",
        "A code is not in the value set FHIR R4 requires for the element (for example "
        "Patient.gender, ServiceRequest.status, Bundle.type).",
        "The code at {path} is not in the value set FHIR requires there.",
        "Patient.gender 'M' instead of 'male'.",
        in_schema=False,
    ),
    IssueCode(
        "fhir.profile-missing",
        _W,
        "UK Core profile not claimed",
        "A resource of a type sharedsvc maps does not list its UK Core profile in "
        "meta.profile; sharedsvc still checks the UK Core rules it relies on.",
        "The resource at {path} does not claim the UK Core profile {expected}.",
        "A Patient without meta.profile UKCore-Patient.",
        in_schema=False,
    ),
    IssueCode(
        "fhir.identifier-system",
        _E,
        "Wrong identifier system",
        "An identifier uses a system UK Core does not (an old CareConnect or STU3 system for "
        "NHS numbers or ODS codes), or has a value without a system.",
        "The identifier at {path} should use the system {expected}.",
        "http://fhir.nhs.net/Id/nhs-number instead of https://fhir.nhs.uk/Id/nhs-number.",
        in_schema=False,
    ),
    IssueCode(
        "fhir.extension-missing",
        _E,
        "Required UK Core extension missing",
        "UK Core requires an extension that is absent, such as the NHS number verification "
        "status on the NHS number identifier.",
        "The element at {path} needs the extension {expected}.",
        "An NHS number without Extension-UKCore-NHSNumberVerificationStatus.",
        in_schema=False,
    ),
    IssueCode(
        "fhir.reference-unresolved",
        _E,
        "Reference does not resolve",
        "A reference inside the Bundle does not point to an entry of the Bundle, or points to "
        "a resource of the wrong type.",
        "The reference at {path} does not resolve: {detail}.",
        "subject urn:uuid:… with no entry of that fullUrl.",
        in_schema=False,
    ),
    IssueCode(
        "fhir.unmapped-resource",
        _W,
        "Resource not mapped",
        "The Bundle holds a resource the design's mapping does not use; it is reported, not "
        "silently dropped, and its content is not in the canonical record.",
        "The resource at {path} is not part of this design's mapping and was not read.",
        "An Observation in a Bundle sent as a contact.",
        in_schema=False,
    ),
    IssueCode(
        "fhir.resource-missing",
        _E,
        "Main resource missing",
        "The Bundle (or resource) has no resource of the type the design's record maps to.",
        "No {expected} was found at {path} to read the record from.",
        "A Bundle of a Patient alone sent as a contact (which is a ServiceRequest).",
        in_schema=False,
    ),
    IssueCode(
        "fhir.code-unmapped",
        _E,
        "Code with no canonical equivalent",
        "A FHIR code has no equivalent in the sharedsvc record (for example Consent.status "
        "'inactive', or a request priority 'stat').",
        "The code at {path} has no equivalent in the sharedsvc record.",
        "ServiceRequest.priority 'stat'.",
        in_schema=False,
    ),
)

_TABLE: dict[str, IssueCode] = {c.code: c for c in _ALL}

#: Every registered code, by its code string (a read-only view that sees later
#: registrations).
CODES: Final = MappingProxyType(_TABLE)


def register(*codes: IssueCode) -> None:
    """Register design-specific codes (business rules). Refuses duplicates.

    Called at import time by the modules that define a design's business rules,
    so the registry is complete once those modules are imported.
    """
    for code in codes:
        if code.code in _TABLE and _TABLE[code.code] != code:
            raise ValueError(f"issue code {code.code!r} is already registered differently")
        _TABLE[code.code] = code


def lookup(code: str) -> IssueCode:
    """Return the registered code; a KeyError here is a programming error."""
    try:
        return CODES[code]
    except KeyError:
        raise KeyError(f"issue code {code!r} is not registered in sharedsvc.codes") from None
