"""A process case as FHIR: a UKCore-Task for the case, a Provenance per event.

The case's Task carries the process state: ``status`` in FHIR's terms (the
initial state is ``received``, a final state ``completed``, any other
``in-progress``) and ``businessStatus`` with the design's own state;
``restriction.period`` the deadline that falls due first among the clocks
running; ``owner`` the organisation responsible. Each run of each clock is a
sub-Task (``partOf`` the case's Task) whose ``restriction.period`` runs from
the clock's start to its due time. The history is one UKCore-Provenance per
event (``activity`` the event, ``agent`` the actor, ``recorded`` the time), so
:func:`case_from_fhir` rebuilds the case by replaying them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final

from pydantic import BaseModel

from sharedsvc.design import Design
from sharedsvc.fhir import ukcore
from sharedsvc.fhir.bundle import DESIGN_TAG_SYSTEM, bundle_json, entries_of
from sharedsvc.fhir.common import ORGANIZATION
from sharedsvc.fhir.converters import concept_of
from sharedsvc.fhir.engine import EmitContext, deterministic_uuid, emit_resource
from sharedsvc.models.common import Organisation
from sharedsvc.process import Case, CaseEvent, CouncilConfig, Deadline

__all__ = ["CASE_ID_SYSTEM", "case_from_fhir", "case_to_fhir", "task_status"]

#: Task.identifier system of a case; the design id follows the colon.
CASE_ID_SYSTEM: Final = "urn:sharedsvc:case-id:"
STATE_SYSTEM: Final = "urn:sharedsvc:codesystem:process-state:"
EVENT_SYSTEM: Final = "urn:sharedsvc:codesystem:process-event:"
ACTOR_SYSTEM: Final = "urn:sharedsvc:codesystem:process-actor:"
CLOCK_SYSTEM: Final = "urn:sharedsvc:codesystem:process-clock:"
CLOCK_OUTCOME_SYSTEM: Final = "urn:sharedsvc:codesystem:clock-outcome"


def task_status(design: Design, state: str) -> str:
    """FHIR Task.status for a design state: received, in-progress or completed."""
    if state in design.process.final:
        return "completed"
    if state == design.process.initial:
        return "received"
    return "in-progress"


def _ref(full_url: str, resource_type: str) -> dict[str, str]:
    return {"reference": full_url, "type": resource_type}


def case_to_fhir(
    case: Case, *, owner: Organisation, record: BaseModel | None = None
) -> dict[str, Any]:
    """A Bundle (collection) of the case's Task, clock sub-Tasks and Provenances.

    With ``record``, the record's own resources come first and the Task's
    ``focus`` and ``for`` point at its main resource and subject.
    """
    design = case.design
    key = f"{design.id}|case:{case.case_id}"
    ctx = EmitContext(key)
    entries: list[Any] = []
    focus: dict[str, str] | None = None
    subject: dict[str, str] | None = None
    if record is not None:
        record_bundle = bundle_json(record, design.id)
        entries += record_bundle["entry"]
        root = record_bundle["entry"][0]
        focus = _ref(root["fullUrl"], root["resource"]["resourceType"])
        patients = [e for e in entries if e["resource"]["resourceType"] == "Patient"]
        subject = _ref(patients[0]["fullUrl"], "Patient") if patients else None
    task_url = ctx.urn("/task")
    owner_ref = emit_resource(ORGANIZATION, owner, ctx, "/owner", None)
    deadlines = case.deadlines()
    running = sorted((d for d in deadlines if d.running), key=lambda d: d.due)
    task: dict[str, Any] = {
        "resourceType": "Task",
        "id": task_url[9:],
        "meta": {"profile": [ukcore.profile("Task")]},
        "identifier": [{"system": CASE_ID_SYSTEM + design.id, "value": case.case_id}],
        "instantiatesUri": f"urn:sharedsvc:design:{design.id}:{design.version}",
        "status": task_status(design, case.state),
        "businessStatus": concept_of(
            STATE_SYSTEM + design.id, case.state, design.process.state(case.state).title
        ),
        "intent": "order",
        "code": concept_of(DESIGN_TAG_SYSTEM, design.id, design.title),
    }
    if focus is not None:
        task["focus"] = focus
    if subject is not None:
        task["for"] = subject
    task["authoredOn"] = case.history[0].at.isoformat()
    task["lastModified"] = case.history[-1].at.isoformat()
    task["owner"] = owner_ref
    if running:
        task["restriction"] = {
            "period": {
                "start": running[0].started_at.isoformat(),
                "end": running[0].due.isoformat(),
            }
        }
    entries.append({"fullUrl": task_url, "resource": task})
    entries += ctx.entries
    for number, deadline in enumerate(deadlines):
        entries.append(_clock_task(design, ctx, number, deadline, task_url))
    for number, event in enumerate(case.history):
        entries.append(_provenance(design, ctx, number, event, task_url))
    return {
        "resourceType": "Bundle",
        "id": deterministic_uuid(key + "|bundle"),
        "meta": {
            "profile": [ukcore.profile("Bundle")],
            "tag": [{"system": DESIGN_TAG_SYSTEM, "version": design.version, "code": design.id}],
        },
        "type": "collection",
        "entry": entries,
    }


def _clock_task(
    design: Design, ctx: EmitContext, number: int, deadline: Deadline, parent: str
) -> dict[str, Any]:
    url = ctx.urn(f"/deadlines/{number}")
    outcome = "running" if deadline.running else ("met" if deadline.met else "missed")
    task: dict[str, Any] = {
        "resourceType": "Task",
        "id": url[9:],
        "meta": {"profile": [ukcore.profile("Task")]},
        "partOf": [_ref(parent, "Task")],
        "status": "in-progress" if deadline.running else "completed",
        "businessStatus": {"coding": [{"system": CLOCK_OUTCOME_SYSTEM, "code": outcome}]},
        "intent": "order",
        "code": concept_of(CLOCK_SYSTEM + design.id, deadline.clock, deadline.title),
        "description": f"{deadline.limit} {deadline.unit.value} ({deadline.basis.value})",
    }
    period: dict[str, str] = {"start": deadline.started_at.isoformat()}
    if deadline.stopped_at is not None:
        period["end"] = deadline.stopped_at.isoformat()
    task["executionPeriod"] = period
    task["restriction"] = {
        "period": {"start": deadline.started_at.isoformat(), "end": deadline.due.isoformat()}
    }
    return {"fullUrl": url, "resource": task}


def _provenance(
    design: Design, ctx: EmitContext, number: int, event: CaseEvent, task: str
) -> dict[str, Any]:
    url = ctx.urn(f"/events/{number}")
    try:
        actor_title = design.actor(event.actor).title
    except KeyError:
        actor_title = event.actor
    resource = {
        "resourceType": "Provenance",
        "id": url[9:],
        "meta": {"profile": [ukcore.profile("Provenance")]},
        "target": [_ref(task, "Task")],
        "occurredDateTime": event.at.isoformat(),
        "recorded": event.at.isoformat(),
        "activity": {"coding": [{"system": EVENT_SYSTEM + design.id, "code": event.event}]},
        "agent": [
            {
                "role": [{"coding": [{"system": ACTOR_SYSTEM + design.id, "code": event.actor}]}],
                "who": {"display": actor_title},
            }
        ],
    }
    return {"fullUrl": url, "resource": resource}


class CaseReadError(ValueError):
    """A Bundle that does not hold a sharedsvc case (no case Task, or events missing)."""


def case_from_fhir(data: dict[str, Any], config: CouncilConfig | None = None) -> Case:
    """Rebuild a case from a Bundle written by :func:`case_to_fhir` (replaying its events).

    Raises :class:`CaseReadError` when the Bundle holds no case Task, and
    :class:`~sharedsvc.process.ProcessError` when its events break the process.
    """
    from sharedsvc.registry import default_registry

    entries, _ = entries_of(data)
    task_url = None
    design_id = case_id = None
    for full_url, resource in entries:
        if resource.get("resourceType") != "Task":
            continue
        for identifier in resource.get("identifier") or []:
            system = identifier.get("system") if isinstance(identifier, dict) else None
            if isinstance(system, str) and system.startswith(CASE_ID_SYSTEM):
                design_id, case_id, task_url = (
                    system[len(CASE_ID_SYSTEM) :],
                    identifier.get("value"),
                    full_url,
                )
                break
        if task_url is not None:
            break
    if task_url is None or not isinstance(design_id, str) or not isinstance(case_id, str):
        raise CaseReadError("the Bundle holds no sharedsvc case Task")
    design = default_registry().get(design_id)
    events: list[CaseEvent] = []
    for _url, resource in entries:
        if resource.get("resourceType") != "Provenance":
            continue
        targets = [t.get("reference") for t in resource.get("target") or [] if isinstance(t, dict)]
        if task_url not in targets:
            continue
        event = _coded(resource.get("activity"), EVENT_SYSTEM + design.id)
        agents = resource.get("agent") or [{}]
        actor = _coded((agents[0].get("role") or [None])[0], ACTOR_SYSTEM + design.id)
        at = resource.get("occurredDateTime") or resource.get("recorded")
        if event is None or actor is None or not isinstance(at, str):
            raise CaseReadError("a Provenance of the case lacks its event, actor or time")
        events.append(CaseEvent(event, actor, datetime.fromisoformat(at)))
    return Case.from_history(design, case_id, events, config)


def _coded(concept: Any, system: str) -> str | None:
    for coding in (concept or {}).get("coding") or [] if isinstance(concept, dict) else []:
        if isinstance(coding, dict) and coding.get("system") == system:
            code = coding.get("code")
            return code if isinstance(code, str) else None
    return None
