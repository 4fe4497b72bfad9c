"""Mapping of the shared care record summary onto UK Core.

``integrated-care/shared-care-record`` is a document assembled from other
designs' records, so it is a **UKCore-Composition**: about whom (``subject``,
the Patient), when it was assembled (``date``), a fixed document type local to
sharedsvc, and one section per list of the summary, each section's
``entry`` pointing at one resource per item:

* **Care team** — one UKCore-CareTeam per member, because every member has a
  source of its own: the member's role in the person's care as
  ``participant.role`` (text), the member as a UKCore-PractitionerRole
  (``participant.member``) at the organisation they act for, with their job
  title (``code``) and, when named, a UKCore-Practitioner (``practitioner``).
  ``participant.onBehalfOf`` is not used: FHIR allows it only for a
  Practitioner member (invariant ctm-1);
* **Care and support plans** — one UKCore-CarePlan per plan, in summary: its
  record id (``identifier``), the council that holds it (``author``), when it
  started (``period.start``). ``CarePlan.status`` is derived from the plan's
  own status for FHIR readers and not read back; that status (as text), the
  review due date and the number of services the plan arranges (a
  positiveInt, left out when there are none) are extensions;
* **Current services** — one UKCore-ServiceRequest per service: arranged
  (``intent`` order) and in force (``status`` active), the service type as
  ``code`` and the delivery mechanism as an extension (each the text the source
  records, with its Client Level Data coding when the text is one of its
  codes), the provider as ``performer``, its dates as ``occurrencePeriod``, the
  description as a ``note``, which kind of record arranged it as a
  ``category`` local to sharedsvc. A ServiceRequest rather than a CarePlan
  activity because each service needs a resource of its own for its provenance;
* **Hospital stays and discharges** — one UKCore-Encounter per stay, as the
  hospital discharge mapping writes the stay (class IMP, ``period``, the trust
  as ``serviceProvider``, the discharge destination of UK Core's
  UKCore-DischargeDestination value set), with the discharge record id and
  its process state;
* **Safeguarding flags** — one UKCore-Flag per flag, with the code the
  safeguarding mapping gives its own Flag, the safeguarding record it stands
  for (``identifier``), whether it is open (``status``), when the concern was
  raised (``period.start``) and the council to contact (``author``). No
  detail: the model has none to give;
* **Key contacts** — one UKCore-RelatedPerson each, as every design writes one;
* **Consent to share** — one UKCore-Consent per decision, newest first.

**Provenance.** Every item names where it came from, so every item's resource
has a **UKCore-Provenance** whose ``target`` is that resource: the time the
source describes (``occurredDateTime``), the organisation that holds the
source record (``agent.who``, agent type *custodian* of HL7's
provenance-participant-type), and the source record itself (``entity.what``,
role *derivation*: the item is built from it), named by a logical reference
whose identifier system is the record-id system of its design,
``urn:sharedsvc:record-id:<design id>`` (the system each mapped design gives
its record's identifier), and whose ``type`` is the resource that design's
mapping makes of its record. ``recorded`` is when the summary was assembled.
The Provenance of the person's details has the Patient as its ``target``.

**Author.** ``Composition.author`` is required, and no person or organisation
of the record wrote the summary: the shared care record service (a design
actor) assembled it. So the author is that service, as a Reference to a
Device by its display name only; naming a source organisation as author would
be untrue, and the record has no organisation of its own.

UK Core defines no extension for any of the plan's summary facts, the
discharge process state or a service's delivery mechanism (its
Extension-UKCore-Coverage on ServiceRequest is a funding category, public, NHS
England, private…, not how a council arranges a service), so their URLs are
URNs local to sharedsvc (``urn:sharedsvc:fhir:extension:<name>``), named so in
the mapping table; the review due date, delivery mechanism, process state,
pathway and Discharge Ready Date use the same URLs as the care and support plan
and hospital discharge mappings.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC
from typing import Any, Final

from pydantic import BaseModel

from sharedsvc.fhir import ukcore
from sharedsvc.fhir.common import (
    CONSENT,
    HUMAN_NAME,
    LOCAL,
    ORGANIZATION,
    PATIENT,
    RELATED_PERSON,
    emit_concept_text,
    extension_url,
    read_concept_text,
)
from sharedsvc.fhir.converters import (
    DATE,
    DATETIME,
    FHIR_OFFSETS,
    Converter,
    code_map,
    concept_of,
    datatype,
    local_code,
    local_coding,
    many,
    ref,
    valueset,
    valueset_codings,
)
from sharedsvc.fhir.engine import (
    Companion,
    DesignMapping,
    EmitContext,
    FhirMappingError,
    Field,
    Fixed,
    Json,
    Link,
    Located,
    ReadContext,
    ResourceMap,
    emit_resource,
    read_resource,
)
from sharedsvc.fhir.integrated_care import (
    DISCHARGE_ID_SYSTEM,
    STAY_ADMITTED,
    STAY_DESTINATION,
    STAY_DISCHARGED,
    STAY_FIXED,
    STAY_PATHWAY,
    STAY_READY_DATE,
    STAY_TRUST,
)
from sharedsvc.fhir.integrated_care import STATE_SYSTEM as DISCHARGE_STATE_SYSTEM
from sharedsvc.fhir.safeguarding import SAFEGUARDING_CODE, SAFEGUARDING_ID_SYSTEM
from sharedsvc.fhir.structure import PRIMITIVES
from sharedsvc.models.integrated_care import (
    CarePlanSummary,
    CareTeamMember,
    ConsentEntry,
    CurrentService,
    DischargeSummary,
    KeyContact,
    Provenance,
    SafeguardingAlert,
    SharedCareRecord,
)

__all__ = [
    "MAPPINGS",
    "RECORD_ID_PREFIX",
    "SHARED_CARE_RECORD",
    "coded_text",
    "record_id_system",
]

#: The record-id systems of sharedsvc designs: this prefix and the design id.
RECORD_ID_PREFIX: Final = "urn:sharedsvc:record-id:"
DOCUMENT_TYPE_SYSTEM: Final = "urn:sharedsvc:codesystem:document-type"
SERVICE_SOURCE_SYSTEM: Final = "urn:sharedsvc:codesystem:current-service-source"
PARTICIPANT_TYPE_SYSTEM: Final = "http://terminology.hl7.org/CodeSystem/provenance-participant-type"
TITLE: Final = "Shared care record summary"
SERVICE_NAME: Final = "Shared care record service"


def record_id_system(design_id: str) -> str:
    """The identifier system of a design's record ids, ``urn:sharedsvc:record-id:<design>``."""
    return RECORD_ID_PREFIX + design_id


PLAN_ID_SYSTEM: Final = record_id_system("adult-social-care/care-and-support-plan")

# -- small converters -----------------------------------------------------------------------

_STRING: Final = PRIMITIVES["string"][1]


#: Text as the source design records it, which no code system here can be assumed for.
TEXT_CONCEPT: Final = Converter(
    "text",
    emit_concept_text,
    read_concept_text,
    describe="free text, as the source records it, in a CodeableConcept's text (read from "
    "the first coding's display when another system sends only a code)",
    checked=True,
)


def coded_text(valueset_id: str) -> Converter:
    """Text as the source records it; with the coding of ``valueset_id`` when it is a code."""
    codings = valueset_codings(valueset_id)
    systems = frozenset(valueset(valueset_id).systems)

    def emit(value: str, ctx: EmitContext, pointer: str) -> Json:
        concept = emit_concept_text(value, ctx, pointer)
        coding = codings.get(value)
        return concept if coding is None else {"coding": [dict(coding)], **concept}

    def read(located: Located, ctx: ReadContext, pointer: str) -> Any:
        concept = located.value if isinstance(located.value, dict) else {}
        if not isinstance(concept.get("text"), str):
            for coding in concept.get("coding") or []:
                if isinstance(coding, dict) and coding.get("system") in systems:
                    return coding.get("code")
        return read_concept_text(located, ctx, pointer)

    return Converter(
        f"coded-text({valueset_id})",
        emit,
        read,
        describe="the text as the source records it, in the CodeableConcept's text, with its "
        f"coding when it is a code of value set {valueset_id} ({', '.join(sorted(systems))}); "
        "read from text, else that coding's code",
        checked=True,
    )


def _emit_count(value: int, _ctx: EmitContext, _pointer: str) -> Json:
    return value or None


def _read_count(located: Located, _ctx: ReadContext, _pointer: str) -> Any:
    return located.value


#: A count written as a positiveInt; none is the absence of the extension.
COUNT: Final = Converter(
    "count",
    _emit_count,
    _read_count,
    describe="the number as a positiveInt; a plan that arranges no services has no extension",
    absent=0,
)


def _emit_source_record(value: tuple[str, str], _ctx: EmitContext, _pointer: str) -> Json:
    # Both are valid FHIR as the model has them: a design id and a record id have patterns
    # of letters, digits and punctuation only.
    design_id, record_id = value
    reference: dict[str, Any] = {}
    resource_type = _root_type(design_id)
    if resource_type is not None:
        reference["type"] = resource_type
    reference["identifier"] = {"system": record_id_system(design_id), "value": record_id}
    return reference


def _root_type(design_id: str) -> str | None:
    """The resource a design's mapping makes of its record (None for an unmapped design)."""
    from sharedsvc.fhir.bundle import mapping_or_none

    found = mapping_or_none(design_id)
    return found.root.fhir_type if found is not None else None


def _read_source_record(located: Located, ctx: ReadContext, _pointer: str) -> Any:
    reference = located.value if isinstance(located.value, dict) else {}
    identifier = reference.get("identifier")
    system = identifier.get("system") if isinstance(identifier, dict) else None
    if isinstance(system, str) and system.startswith(RECORD_ID_PREFIX):
        value = identifier.get("value") if isinstance(identifier, dict) else None
        return system.removeprefix(RECORD_ID_PREFIX), value
    ctx.issue(
        "fhir.reference-unresolved",
        located.location,
        detail=f"it should name the source record by its identifier in a {RECORD_ID_PREFIX}"
        "<design id> system",
    )
    return None, None


#: The source design and record id ↔ a logical Reference to the record, by identifier.
SOURCE_RECORD: Final = Converter(
    "source-record",
    _emit_source_record,
    _read_source_record,
    describe=f"a logical Reference by identifier: system {RECORD_ID_PREFIX}<source design>, "
    "value the source record id; type the resource that design's mapping makes of its record",
    checked=True,
    multi=True,
    parts=("identifier.system", "identifier.value"),
)


def _assembled_at(record: Any) -> str:
    """When the summary was assembled, as a FHIR instant (in UTC if FHIR cannot keep its offset)."""
    value = record.generated_at
    if value.utcoffset() not in FHIR_OFFSETS:
        try:
            value = value.astimezone(UTC)
        except OverflowError:
            raise FhirMappingError("/generatedAt", "the instant is outside FHIR's range") from None
    return str(value.isoformat())


# -- Provenance -----------------------------------------------------------------------------

_CUSTODIAN: Final = concept_of(PARTICIPANT_TYPE_SYSTEM, "custodian", "Custodian")


def _provenance(name: str, model: type[BaseModel], prefix: str, target: str) -> ResourceMap:
    """The Provenance of a record's provenance (its fields under ``prefix``), for the primary."""
    return ResourceMap(
        f"{name}-provenance",
        model,
        "Provenance",
        (
            Field(
                f"{prefix}as_of", "occurredDateTime", DATETIME, note="the time the source describes"
            ),
            Field(
                f"{prefix}source_organisation",
                "agent[0].who",
                ref(ORGANIZATION),
                note="the organisation that holds the source record",
            ),
            Field(
                (f"{prefix}source_design", f"{prefix}source_record_id"),
                "entity[0].what",
                SOURCE_RECORD,
                note="the source record",
            ),
        ),
        fixed=(
            Fixed(
                "recorded",
                derive=_assembled_at,
                of_record=True,
                note="derived: when the summary was assembled (generatedAt)",
            ),
            Fixed(
                "agent[0].type",
                _CUSTODIAN,
                note="fixed: custodian (HL7 provenance-participant-type)",
            ),
            Fixed("entity[0].role", "derivation", note="fixed: derivation"),
        ),
        profile=ukcore.profile("Provenance"),
        links=(Link("target[0]", "primary", note=f"Reference to {target}"),),
        always=True,
    )


def _with_provenance(name: str, model: type[BaseModel], resource: str) -> Companion:
    """The Provenance companion of an item of the summary."""
    return Companion(
        _provenance(name, model, "provenance.", f"the {resource} made from the item"),
        "target[0]",
        from_primary=False,
        note=f"the item's UKCore-Provenance, its target the {resource}",
    )


PERSON_PROVENANCE: Final = _provenance("person", Provenance, "", "the Patient")


def _emit_person_provenance(value: Any, ctx: EmitContext, pointer: str) -> Json:
    emit_resource(PERSON_PROVENANCE, value, ctx, pointer, ctx.subject)
    return None  # the Provenance points at the Patient: nothing is written on the Composition


def _read_person_provenance(located: Located, ctx: ReadContext, pointer: str) -> Any:
    composition = located.value if isinstance(located.value, dict) else {}
    subject = composition.get("subject")
    reference = subject.get("reference") if isinstance(subject, dict) else None
    patient = ctx.by_reference.get(reference) if isinstance(reference, str) else None
    if patient is None:
        return None  # reading the subject reports it
    target = PERSON_PROVENANCE.compiled.links[0][1]
    matches = ctx.referrers("Provenance", target, patient)
    if not matches:
        # Where the missing Provenance should point: issues about it name the Patient.
        ctx.locations[pointer] = ctx.base[patient]
        return None
    out: dict[str, Any] = {}
    read_resource(PERSON_PROVENANCE, matches[0], ctx, pointer, out)
    return out


PERSON_PROVENANCE_OF: Final = Converter(
    "person-provenance",
    _emit_person_provenance,
    _read_person_provenance,
    describe="a UKCore-Provenance whose target is the Patient (the Composition's subject)",
    checked=True,
    target=PERSON_PROVENANCE,
)

# -- care team ------------------------------------------------------------------------------

MEMBER_PRACTITIONER: Final = ResourceMap(
    "care-team-practitioner",
    CareTeamMember,
    "Practitioner",
    (Field("name", "name[0]", datatype(HUMAN_NAME)),),
    profile=ukcore.profile("Practitioner"),
)

MEMBER_ROLE: Final = ResourceMap(
    "care-team-member-role",
    CareTeamMember,
    "PractitionerRole",
    (
        Field("organisation", "organization", ref(ORGANIZATION), note="the organisation acted for"),
        Field("practitioner_role", "code[0]", TEXT_CONCEPT, note="the job title"),
    ),
    profile=ukcore.profile("PractitionerRole"),
    companions=(
        Companion(
            MEMBER_PRACTITIONER,
            "practitioner",
            from_primary=True,
            note="the named person, a UKCore-Practitioner (none when unnamed)",
        ),
    ),
    always=True,
)

CARE_TEAM_MEMBER: Final = ResourceMap(
    "care-team-member",
    CareTeamMember,
    "CareTeam",
    (
        Field(
            "role",
            "participant[0].role[0]",
            TEXT_CONCEPT,
            note="the member's role in the person's care",
        ),
    ),
    fixed=(Fixed("status", "active", note="fixed: active (a member of the care team now)"),),
    profile=ukcore.profile("CareTeam"),
    links=(Link("subject", "subject"),),
    companions=(
        Companion(
            MEMBER_ROLE,
            "participant[0].member",
            from_primary=True,
            note="the member: a UKCore-PractitionerRole at the organisation they act for",
        ),
        _with_provenance("care-team-member", CareTeamMember, "CareTeam"),
    ),
)

# -- care and support plans -----------------------------------------------------------------

#: CarePlan.status of the care and support plan states; others are ``unknown``.
_PLAN_STATUS: Final = {
    "draft": "draft",
    "agreed": "active",
    "active": "active",
    "ended": "completed",
}


def _plan_status(summary: Any) -> str:
    return _PLAN_STATUS.get(summary.status, "unknown")


CARE_PLAN: Final = ResourceMap(
    "care-plan-summary",
    CarePlanSummary,
    "CarePlan",
    (
        Field(
            "status",
            f"extension[url={extension_url('source-status')}].valueString",
            note=f"the plan's status as its design records it; {LOCAL}",
        ),
        Field(
            "review_due",
            f"extension[url={extension_url('review-due')}].valueDate",
            DATE,
            note=f"when the plan is next due review; {LOCAL}",
        ),
        Field(
            "service_count",
            f"extension[url={extension_url('service-count')}].valuePositiveInt",
            COUNT,
            note=f"how many services the plan arranges; {LOCAL}",
        ),
        Field("plan_id", f"identifier[system={PLAN_ID_SYSTEM}].value", note="the plan's record id"),
        Field("start_date", "period.start", DATE),
        Field("council", "author", ref(ORGANIZATION), note="the council that holds the plan"),
    ),
    fixed=(
        Fixed(
            "status",
            derive=_plan_status,
            note="derived: draft, active (agreed or active), completed (ended), else unknown; "
            "not read back",
        ),
        Fixed("intent", "plan", note="fixed: plan"),
    ),
    profile=ukcore.profile("CarePlan"),
    links=(Link("subject", "subject"),),
    companions=(_with_provenance("care-plan-summary", CarePlanSummary, "CarePlan"),),
)

# -- current services -----------------------------------------------------------------------

CURRENT_SERVICE: Final = ResourceMap(
    "current-service",
    CurrentService,
    "ServiceRequest",
    (
        Field(
            "delivery_mechanism",
            f"extension[url={extension_url('delivery-mechanism')}].valueCodeableConcept",
            coded_text("asc-delivery-mechanism"),
            note=f"how the service is paid for or arranged; {LOCAL}",
        ),
        Field(
            "source_kind",
            "category[0]",
            local_code(SERVICE_SOURCE_SYSTEM, "the kind of record that arranged it, local"),
        ),
        Field("service_type", "code", coded_text("asc-service-type"), note="the service type"),
        Field("start_date", "occurrencePeriod.start", DATE),
        Field("end_date", "occurrencePeriod.end", DATE),
        Field("provider", "performer[0]", ref(ORGANIZATION)),
        Field("description", "note[0].text", note="the description recorded at source"),
    ),
    fixed=(
        Fixed("status", "active", note="fixed: active (a service received now)"),
        Fixed("intent", "order", note="fixed: order (the service is arranged)"),
    ),
    profile=ukcore.profile("ServiceRequest"),
    links=(Link("subject", "subject"),),
    companions=(_with_provenance("current-service", CurrentService, "ServiceRequest"),),
)

# -- hospital stays -------------------------------------------------------------------------

HOSPITAL_STAY: Final = ResourceMap(
    "hospital-stay-summary",
    DischargeSummary,
    "Encounter",
    (
        Field(
            "status",
            f"extension[url={extension_url('process-state')}].valueCoding",
            local_coding(DISCHARGE_STATE_SYSTEM, "the hospital discharge process state, local"),
            note=f"where the discharge is in its process; {LOCAL}",
        ),
        STAY_PATHWAY,
        STAY_READY_DATE,
        Field(
            "discharge_id",
            f"identifier[system={DISCHARGE_ID_SYSTEM}].value",
            note="the hospital discharge record id",
        ),
        STAY_ADMITTED,
        STAY_DISCHARGED,
        STAY_DESTINATION,
        STAY_TRUST,
    ),
    fixed=STAY_FIXED,
    profile=ukcore.profile("Encounter"),
    links=(Link("subject", "subject"),),
    companions=(_with_provenance("hospital-stay-summary", DischargeSummary, "Encounter"),),
)

# -- safeguarding flags ---------------------------------------------------------------------

SAFEGUARDING_FLAG: Final = ResourceMap(
    "safeguarding-alert",
    SafeguardingAlert,
    "Flag",
    (
        Field(
            "alert_id",
            f"identifier[system={SAFEGUARDING_ID_SYSTEM}].value",
            note="the safeguarding record the flag stands for",
        ),
        Field(
            "status",
            "status",
            code_map({"open": "active", "closed": "inactive"}, "open or closed"),
        ),
        Field("raised_on", "period.start", DATE, note="when the concern was received"),
        Field(
            "contact_organisation",
            "author",
            ref(ORGANIZATION),
            note="the council to contact about the concern",
        ),
    ),
    fixed=(
        Fixed(
            "code",
            SAFEGUARDING_CODE,
            note="fixed: the safeguarding mapping's code, local to sharedsvc; no detail",
        ),
    ),
    profile=ukcore.profile("Flag"),
    links=(Link("subject", "subject"),),
    companions=(_with_provenance("safeguarding-alert", SafeguardingAlert, "Flag"),),
)

# -- key contacts and consent: the common maps, with the item's provenance ------------------


def _within(spec: ResourceMap, field: str, name: str, model: type[BaseModel]) -> ResourceMap:
    """``spec`` applied to the record in ``field`` of ``model``, with the item's Provenance."""
    if spec.companions or any(f.derive is not None for f in spec.fixed):
        raise ValueError(f"{spec.name}: only a map without companions or derived values nests")
    fields = tuple(
        replace(entry, field=tuple(f"{field}.{n}" for n in entry.names))
        if isinstance(entry.field, tuple)
        else replace(entry, field=f"{field}.{entry.field}")
        for entry in spec.fields
    )
    return ResourceMap(
        name,
        model,
        spec.fhir_type,
        fields,
        fixed=spec.fixed,
        profile=spec.profile,
        links=spec.links,
        companions=(_with_provenance(name, model, spec.fhir_type),),
        always=spec.always,
        security=spec.security,
    )


KEY_CONTACT: Final = _within(RELATED_PERSON, "related_person", "key-contact", KeyContact)
CONSENT_ENTRY: Final = _within(CONSENT, "consent", "consent-entry", ConsentEntry)

# -- the summary ----------------------------------------------------------------------------


def _section(title: str) -> str:
    return f"section[title={title}].entry"


SHARED_CARE_RECORD: Final = ResourceMap(
    "shared-care-record",
    SharedCareRecord,
    "Composition",
    (
        Field(
            "person_provenance",
            ".",
            PERSON_PROVENANCE_OF,
            note="where the person's details were taken from",
            shown="(no element: a Provenance targets the subject)",
        ),
        Field("generated_at", "date", DATETIME, note="when the summary was assembled"),
        Field("person", "subject", ref(PATIENT)),
        Field("care_team", _section("Care team"), many(ref(CARE_TEAM_MEMBER))),
        Field("care_plans", _section("Care and support plans"), many(ref(CARE_PLAN))),
        Field("current_services", _section("Current services"), many(ref(CURRENT_SERVICE))),
        Field(
            "hospital_discharges",
            _section("Hospital stays and discharges"),
            many(ref(HOSPITAL_STAY)),
        ),
        Field(
            "safeguarding_alerts",
            _section("Safeguarding flags"),
            many(ref(SAFEGUARDING_FLAG)),
            note="a flag only, never the detail",
        ),
        Field("key_contacts", _section("Key contacts"), many(ref(KEY_CONTACT))),
        Field(
            "consent_to_share",
            _section("Consent to share"),
            many(ref(CONSENT_ENTRY)),
            note="newest first",
        ),
    ),
    fixed=(
        Fixed("status", "final", note="fixed: final (a summary is complete when assembled)"),
        Fixed(
            "type",
            concept_of(DOCUMENT_TYPE_SYSTEM, "shared-care-record", TITLE),
            note="fixed: a document type local to sharedsvc",
        ),
        Fixed(
            "author[0]",
            {"type": "Device", "display": SERVICE_NAME},
            note="fixed: the shared care record service that assembles summaries, by name",
        ),
        Fixed("title", TITLE, note=f"fixed: {TITLE}"),
    ),
    profile=ukcore.profile("Composition"),
)

MAPPINGS: Final = {
    "integrated-care/shared-care-record": DesignMapping(
        "integrated-care/shared-care-record", SHARED_CARE_RECORD, subject="person"
    ),
}
