"""Mapping of the integrated care designs onto UK Core.

``integrated-care/hospital-discharge`` is two resources, each for what it is:

* **UKCore-Composition** — the transfer-of-care document: who wrote this
  version (``author``), when (``date``), about whom (``subject``), the stay it
  is about (``encounter``), and, in sections, what the next care setting needs
  to know (the PRSB eDischarge Summary headings the model follows: mobility,
  care needs, medication changes, equipment, follow-up, key and professional
  contacts) and the consent to share (a UKCore-Consent entry). Free text is
  carried as each section's narrative, lists as an XHTML list, people as
  section entries. Composition has no element for the recipient, the process
  state or whether the GP discharge summary was sent, so these are extensions.
* **UKCore-Encounter** — the hospital provider spell: class IMP (inpatient),
  ``period`` from admission to discharge, the trust as ``serviceProvider``,
  the receiving team as ``hospitalization.destination`` and the discharge
  destination as ``hospitalization.dischargeDisposition`` (the England code
  system of UK Core's UKCore-DischargeDestination value set).

The discharge to assess pathway, the Discharge Ready Date, the delay reasons
and the hospital site are **extensions on the Encounter**, not Composition
section entries: they are facts about the stay that a receiving system reads
and counts (situation reports, the Discharge Ready Date collection), not
narrative for a reader, and a section entry would need a resource of its own
(an Observation per reason) for a single code. UK Core defines no extension
for any of them, so their URLs are URNs local to sharedsvc
(``urn:sharedsvc:fhir:extension:<name>``), named so in the mapping table.
"""

from __future__ import annotations

import html
import re
from typing import Any, Final

from sharedsvc.fhir import ukcore
from sharedsvc.fhir.common import (
    CONSENT,
    LOCAL,
    ORGANIZATION,
    PATIENT,
    PRACTITIONER_ROLE,
    RELATED_PERSON,
    extension_url,
)
from sharedsvc.fhir.converters import (
    DATE,
    DATETIME,
    Converter,
    code,
    coding,
    concept_of,
    datatype,
    local_coding,
    many,
    ref,
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
    ObjectMap,
    ReadContext,
    ResourceMap,
)
from sharedsvc.fhir.structure import PRIMITIVES
from sharedsvc.models.integrated_care import HospitalDischarge, TransferOfCare

__all__ = [
    "DISCHARGE",
    "MAPPINGS",
    "STAY_ADMITTED",
    "STAY_DESTINATION",
    "STAY_DISCHARGED",
    "STAY_FIXED",
    "STAY_PATHWAY",
    "STAY_READY_DATE",
    "STAY_TRUST",
]

DISCHARGE_ID_SYSTEM: Final = "urn:sharedsvc:record-id:integrated-care/hospital-discharge"
STATE_SYSTEM: Final = "urn:sharedsvc:codesystem:hospital-discharge-state"
DOCUMENT_TYPE_SYSTEM: Final = "urn:sharedsvc:codesystem:document-type"
SECTION_SYSTEM: Final = "urn:sharedsvc:codesystem:transfer-of-care-section"
XHTML: Final = "http://www.w3.org/1999/xhtml"

# -- narrative ------------------------------------------------------------------------------

_ITEM: Final = re.compile(r"<li>(.*?)</li>", re.DOTALL)
_DIV: Final = re.compile(r'^<div xmlns="http://www\.w3\.org/1999/xhtml">(.*)</div>$', re.DOTALL)


def _checked_text(value: str, pointer: str) -> str:
    if not PRIMITIVES["string"][1](value):
        raise FhirMappingError(pointer, "not a valid FHIR string")
    return html.escape(value, quote=False)


def _emit_narrative(value: str, _ctx: EmitContext, pointer: str) -> Json:
    div = f'<div xmlns="{XHTML}">{_checked_text(value, pointer)}</div>'
    return {"status": "generated", "div": div}


def _div_content(located: Located) -> str | None:
    value = located.value if isinstance(located.value, dict) else {}
    div = value.get("div")
    found = _DIV.match(div) if isinstance(div, str) else None
    return found.group(1) if found else None


def _read_narrative(located: Located, _ctx: ReadContext, _pointer: str) -> Any:
    content = _div_content(located)
    return None if content is None else html.unescape(content)


NARRATIVE: Final = Converter(
    "narrative",
    _emit_narrative,
    _read_narrative,
    describe="the text as the section's generated XHTML narrative (escaped)",
    checked=True,
)


def _emit_narrative_list(value: list[str], _ctx: EmitContext, pointer: str) -> Json:
    items = "".join(
        f"<li>{_checked_text(item, f'{pointer}/{n}')}</li>" for n, item in enumerate(value)
    )
    return {"status": "generated", "div": f'<div xmlns="{XHTML}"><ul>{items}</ul></div>'}


def _read_narrative_list(located: Located, _ctx: ReadContext, _pointer: str) -> Any:
    content = _div_content(located)
    if content is None:
        return None
    return [html.unescape(item) for item in _ITEM.findall(content)] or None


NARRATIVE_LIST: Final = Converter(
    "narrative-list",
    _emit_narrative_list,
    _read_narrative_list,
    describe="each item a <li> of the section's generated XHTML narrative (escaped)",
    checked=True,
)

# -- delay reasons: a complex extension, one ``reason`` per code ----------------------------

_DELAY_CODING: Final = coding("discharge-delay-reason")


def _emit_delays(value: list[str], ctx: EmitContext, pointer: str) -> Json:
    return [
        {"url": "reason", "valueCoding": _DELAY_CODING.emit(item, ctx, f"{pointer}/{n}")}
        for n, item in enumerate(value)
    ]


def _read_delays(located: Located, ctx: ReadContext, pointer: str) -> Any:
    reasons = []
    for n, part in enumerate(located.value if isinstance(located.value, list) else []):
        if isinstance(part, dict) and part.get("url") == "reason":
            where = f"{located.location}[{n}].valueCoding"
            reasons.append(
                _DELAY_CODING.read(Located(part.get("valueCoding"), where), ctx, pointer)
            )
    return reasons or None


DELAY_REASONS: Final = Converter(
    "delay-reasons",
    _emit_delays,
    _read_delays,
    describe="one 'reason' sub-extension per code, a Coding of value set discharge-delay-reason",
    checked=True,
)

# -- Encounter ------------------------------------------------------------------------------

#: The process states in which the stay has ended.
_ENDED: Final = {
    "discharged-home",
    "discharged-to-assess",
    "longer-term-needs-assessed",
    "spell-ended-otherwise",
}


def _stay_status(record: Any) -> str:
    return "finished" if record.status in _ENDED else "in-progress"


# The elements of a stay's Encounter that every record of a stay fills in the same way:
# the discharge record and the shared care record's summary of it.
STAY_PATHWAY: Final = Field(
    "pathway",
    f"extension[url={extension_url('discharge-pathway')}].valueCodeableConcept",
    code("discharge-pathway"),
    note=f"discharge to assess pathway; {LOCAL}",
)
STAY_READY_DATE: Final = Field(
    "discharge_ready_date",
    f"extension[url={extension_url('discharge-ready-date')}].valueDate",
    DATE,
    note=f"the Discharge Ready Date; {LOCAL}",
)
STAY_ADMITTED: Final = Field("admitted_at", "period.start", DATETIME)
STAY_DISCHARGED: Final = Field("discharged_at", "period.end", DATETIME)
STAY_DESTINATION: Final = Field(
    "destination",
    "hospitalization.dischargeDisposition",
    code("discharge-destination"),
    note="UKCore-DischargeDestination (England code system)",
)
STAY_TRUST: Final = Field(
    "nhs_trust", "serviceProvider", ref(ORGANIZATION), note="the responsible trust"
)
#: Encounter.status and Encounter.class (v3 ActEncounterCode IMP) of a stay.
STAY_FIXED: Final = (
    Fixed("status", derive=_stay_status, note="derived: finished once discharged"),
    Fixed(
        "class",
        {
            "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
            "code": "IMP",
            "display": "inpatient encounter",
        },
        note="fixed: v3 ActCode IMP",
    ),
)


STAY: Final = ResourceMap(
    "hospital-stay",
    HospitalDischarge,
    "Encounter",
    (
        STAY_PATHWAY,
        STAY_READY_DATE,
        Field(
            "delay_reasons",
            f"extension[url={extension_url('discharge-delay-reasons')}].extension",
            DELAY_REASONS,
            note=f"why the person stayed after the Discharge Ready Date; {LOCAL}",
        ),
        Field(
            "hospital_site",
            f"extension[url={extension_url('hospital-site')}].valueReference",
            ref(ORGANIZATION),
            note=f"the hospital site (ODS site code); {LOCAL}",
        ),
        STAY_ADMITTED,
        STAY_DISCHARGED,
        Field(
            "receiving_team",
            "hospitalization.destination",
            ref(ORGANIZATION),
            note="who takes over care after discharge",
        ),
        STAY_DESTINATION,
        STAY_TRUST,
    ),
    fixed=STAY_FIXED,
    profile=ukcore.profile("Encounter"),
    links=(Link("subject", "subject"),),
    always=True,
)

# -- Composition ----------------------------------------------------------------------------


def _section(title: str, rest: str) -> str:
    return f"section[title={title}].{rest}"


TRANSFER_OF_CARE: Final = ObjectMap(
    "transfer-of-care",
    TransferOfCare,
    "CompositionSection",
    (
        Field(
            "gp_discharge_summary_sent",
            f"extension[url={extension_url('gp-discharge-summary-sent')}].valueBoolean",
            note=f"whether the clinical discharge summary went to the GP; {LOCAL}",
        ),
        Field("mobility", _section("Mobility", "text"), NARRATIVE),
        Field("care_needs", _section("Care needs", "text"), NARRATIVE),
        Field("medication_changes", _section("Medication changes", "text"), NARRATIVE),
        Field("equipment", _section("Equipment", "text"), NARRATIVE_LIST),
        Field("follow_up", _section("Follow-up", "text"), NARRATIVE_LIST),
        Field("key_contacts", _section("Key contacts", "entry"), many(ref(RELATED_PERSON))),
        Field(
            "professional_contacts",
            _section("Professional contacts", "entry"),
            many(ref(PRACTITIONER_ROLE)),
        ),
    ),
    fixed=(
        Fixed("title", "Transfer of care", note="fixed: Transfer of care"),
        Fixed(
            "code",
            concept_of(SECTION_SYSTEM, "transfer-of-care", "Transfer of care information"),
            note="fixed: a section code local to sharedsvc",
        ),
        Fixed(
            "text",
            {"status": "generated", "div": f'<div xmlns="{XHTML}">Transfer of care</div>'},
            note="fixed: a heading, so that the section is never empty (invariant cmp-1)",
        ),
    ),
)


def _document_status(record: Any) -> str:
    return "preliminary" if record.status in ("in-hospital", "ready-for-discharge") else "final"


DISCHARGE: Final = ResourceMap(
    "hospital-discharge",
    HospitalDischarge,
    "Composition",
    (
        Field("id", "identifier.value", note="the record id"),
        Field(
            "recipient",
            f"extension[url={extension_url('information-recipient')}].valueReference",
            ref(ORGANIZATION),
            note=f"the organisation this version is sent to; {LOCAL}",
        ),
        Field(
            "status",
            f"extension[url={extension_url('process-state')}].valueCoding",
            local_coding(STATE_SYSTEM, "the design's process state, local to sharedsvc"),
            note=f"the process state; {LOCAL}",
        ),
        Field("person", "subject", ref(PATIENT)),
        Field("recorded_at", "date", DATETIME),
        Field("author", "author[0]", ref(ORGANIZATION), note="who wrote this version"),
        Field(
            "transfer_of_care",
            "section[title=Transfer of care]",
            datatype(TRANSFER_OF_CARE),
            note="PRSB eDischarge Summary headings, one sub-section each",
        ),
        Field(
            "consent_to_share",
            "section[title=Consent to share].entry[0]",
            ref(CONSENT),
        ),
    ),
    fixed=(
        Fixed("identifier.system", DISCHARGE_ID_SYSTEM, note="fixed: the record id system"),
        Fixed(
            "status",
            derive=_document_status,
            note="derived: preliminary while in hospital, final once discharged",
        ),
        Fixed(
            "type",
            concept_of(DOCUMENT_TYPE_SYSTEM, "transfer-of-care", "Transfer of care from hospital"),
            note="fixed: a document type local to sharedsvc",
        ),
        Fixed("title", "Transfer of care", note="fixed: Transfer of care"),
    ),
    profile=ukcore.profile("Composition"),
    companions=(
        Companion(
            STAY,
            "encounter",
            from_primary=True,
            note="the hospital provider spell, a UKCore-Encounter",
        ),
    ),
)

MAPPINGS: Final = {
    "integrated-care/hospital-discharge": DesignMapping(
        "integrated-care/hospital-discharge", DISCHARGE, subject="person"
    ),
}
