"""The process engine: a :class:`Case` moves through a design's states.

A case keeps an append-only history of events (event, actor, timestamp);
its state and its deadlines are derived from that history alone, so a case
can always be rebuilt from its history (:meth:`Case.from_history`).

Clocks run from entering a start state to entering a stop state. Day clocks
are counted on UK local dates (Europe/London); working days exclude weekends
and the bank holidays of the case's nation. A clock may run more than once
(each time the case re-enters a start state after stopping), and each run is
a :class:`Deadline`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from os import PathLike
from typing import TYPE_CHECKING, Any, Final

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from sharedsvc.calendars import (
    LONDON,
    Nation,
    add_calendar_days,
    add_calendar_months,
    calendar_for,
    local_date,
)
from sharedsvc.codes import lookup
from sharedsvc.design import Clock, ClockBasis, ClockUnit, Design
from sharedsvc.validation import Report, make_issue

if TYPE_CHECKING:
    from sharedsvc.registry import Registry

__all__ = [
    "OPEN_EVENT",
    "Case",
    "CaseEvent",
    "CouncilConfig",
    "Deadline",
    "HistoryDocument",
    "ProcessError",
    "load_history",
]

#: The event that opens every case and puts it in the design's initial state.
OPEN_EVENT: Final = "open"


class ProcessError(Exception):
    """An event or configuration refused by the process engine, with a stable code."""

    def __init__(self, code: str, index: int | None = None, **context: str):
        self.code = code
        self.index = index
        self.context = context
        template = lookup(code).message
        path = f"/events/{index}" if index is not None else "/"
        super().__init__(template.format(path=path, **context))


class CouncilConfig(BaseModel):
    """A council's settings for running cases: its nation and local-policy clock limits."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    nation: Nation = Field(
        default=Nation.ENGLAND_AND_WALES,
        description="Whose bank holidays working-day clocks skip.",
    )
    clock_limits: Mapping[str, int] = Field(
        default_factory=dict,
        description="Limits for local-policy clocks, by clock id, in the clock's own unit.",
    )

    def limit_for(self, design: Design, clock: Clock) -> int:
        """The limit in force for ``clock``: the council's own if set, else the design's."""
        return self.clock_limits.get(clock.id, clock.limit)

    def check(self, design: Design) -> None:
        """Refuse overrides of clocks that are not the council's to set."""
        clocks = {c.id: c for c in design.process.clocks}
        for clock_id, limit in self.clock_limits.items():
            if clock_id not in clocks:
                raise ProcessError("process.unknown-clock", clock=clock_id)
            if clocks[clock_id].authority.basis is not ClockBasis.LOCAL_POLICY:
                raise ProcessError("process.clock-not-configurable", clock=clock_id)
            if limit < 1:
                raise ValueError(f"clock '{clock_id}' limit must be at least 1")


@dataclass(frozen=True, slots=True)
class CaseEvent:
    """One entry of a case's history."""

    event: str
    actor: str
    at: datetime

    def to_dict(self) -> dict[str, str]:
        """A JSON-ready form."""
        return {"event": self.event, "actor": self.actor, "at": self.at.isoformat()}


@dataclass(frozen=True, slots=True)
class Deadline:
    """One run of a clock: when it started, when it is due, whether it stopped in time."""

    clock: str
    title: str
    basis: ClockBasis
    limit: int
    unit: ClockUnit
    started_at: datetime
    #: The instant from which the clock is late.
    due: datetime
    #: For day clocks, the last day on which the clock is met (UK local date).
    due_date: date | None
    stopped_at: datetime | None = None

    @property
    def running(self) -> bool:
        """Whether the clock has not stopped yet."""
        return self.stopped_at is None

    @property
    def met(self) -> bool | None:
        """True if stopped in time, False if stopped late, None while running."""
        return None if self.stopped_at is None else self.stopped_at < self.due

    def overdue(self, at: datetime) -> bool:
        """Whether, at ``at``, the clock is running past its due time."""
        _require_aware(at)
        return self.running and at >= self.due

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form (the shape used by the reference API)."""
        return {
            "clock": self.clock,
            "title": self.title,
            "basis": self.basis.value,
            "limit": self.limit,
            "unit": self.unit.value,
            "startedAt": self.started_at.isoformat(),
            "due": self.due.isoformat(),
            "dueDate": self.due_date.isoformat() if self.due_date else None,
            "stoppedAt": self.stopped_at.isoformat() if self.stopped_at else None,
            "met": self.met,
        }


def _require_aware(at: datetime) -> None:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("datetimes must be timezone-aware (clocks are exact across BST)")


@dataclass
class Case:
    """A running instance of a design's process."""

    design: Design
    case_id: str
    config: CouncilConfig = field(default_factory=CouncilConfig)
    _history: list[CaseEvent] = field(default_factory=list, repr=False)
    _states: list[str] = field(default_factory=list, repr=False)

    # -- building ---------------------------------------------------------------------------
    @classmethod
    def open(
        cls,
        design: Design,
        case_id: str,
        actor: str,
        at: datetime,
        config: CouncilConfig | None = None,
    ) -> Case:
        """Open a case: it starts in the design's initial state at ``at``."""
        config = config or CouncilConfig()
        config.check(design)
        case = cls(design, case_id, config)
        case._append(CaseEvent(OPEN_EVENT, actor, at), design.process.initial)
        return case

    @classmethod
    def from_history(
        cls,
        design: Design,
        case_id: str,
        events: Iterable[CaseEvent],
        config: CouncilConfig | None = None,
    ) -> Case:
        """Rebuild a case by replaying its history; refuses a history that breaks the process."""
        items = list(events)
        if not items or items[0].event != OPEN_EVENT:
            raise ProcessError("process.invalid-transition", 0, event=OPEN_EVENT, state="none")
        first = items[0]
        case = cls.open(design, case_id, first.actor, first.at, config)
        for index, item in enumerate(items[1:], start=1):
            case._apply(item, index)
        return case

    # -- reading ----------------------------------------------------------------------------
    @property
    def state(self) -> str:
        """The state the case is in now."""
        return self._states[-1]

    @property
    def history(self) -> Sequence[CaseEvent]:
        """Every event so far, oldest first (read-only)."""
        return tuple(self._history)

    @property
    def closed(self) -> bool:
        """Whether the case has reached a final state."""
        return self.state in self.design.process.final

    def allowed_events(self) -> list[str]:
        """Events that may happen in the current state."""
        return [t.event for t in self.design.process.transitions if self.state in t.from_]

    # -- changing ---------------------------------------------------------------------------
    def apply(self, event: str, actor: str, at: datetime) -> str:
        """Record an event and return the new state; refuses one the process does not allow."""
        return self._apply(CaseEvent(event, actor, at), len(self._history))

    def _apply(self, item: CaseEvent, index: int) -> str:
        _require_aware(item.at)
        process = self.design.process
        if item.event not in process.events:
            raise ProcessError("process.unknown-event", index, event=item.event)
        if self.closed:
            raise ProcessError("process.case-closed", index, event=item.event, state=self.state)
        transition = next(
            (t for t in process.transitions if t.event == item.event and self.state in t.from_),
            None,
        )
        if transition is None:
            raise ProcessError(
                "process.invalid-transition", index, event=item.event, state=self.state
            )
        if item.actor not in transition.actors:
            raise ProcessError(
                "process.actor-not-permitted", index, event=item.event, actor=item.actor
            )
        if item.at < self._history[-1].at:
            raise ProcessError("process.out-of-order", index)
        self._append(item, transition.to)
        return transition.to

    def _append(self, item: CaseEvent, state: str) -> None:
        _require_aware(item.at)
        self._history.append(item)
        self._states.append(state)

    # -- clocks -----------------------------------------------------------------------------
    def deadlines(self) -> list[Deadline]:
        """Every run of every clock, in the order the runs started."""
        runs: list[Deadline] = []
        for clock in self.design.process.clocks:
            started: datetime | None = None
            for item, state in zip(self._history, self._states, strict=True):
                if started is None and state in clock.start:
                    started = item.at
                elif started is not None and state in clock.stop:
                    runs.append(self._deadline(clock, started, item.at))
                    started = None
                if started is None and state in clock.start and state not in clock.stop:
                    started = item.at
            if started is not None:
                runs.append(self._deadline(clock, started, None))
        return sorted(runs, key=lambda d: (d.started_at, d.clock))

    def overdue(self, at: datetime) -> list[Deadline]:
        """Clocks running past their due time at ``at``."""
        return [d for d in self.deadlines() if d.overdue(at)]

    def _deadline(self, clock: Clock, started: datetime, stopped: datetime | None) -> Deadline:
        limit = self.config.limit_for(self.design, clock)
        if clock.unit is ClockUnit.HOURS:
            # Elapsed hours: add in UTC, since aware arithmetic in a local zone is wall-clock.
            due = started.astimezone(UTC) + timedelta(hours=limit)
            due_date = None
        else:
            start_day = local_date(started)
            if clock.unit is ClockUnit.WORKING_DAYS:
                due_date = calendar_for(self.config.nation).add_working_days(start_day, limit)
            elif clock.unit is ClockUnit.CALENDAR_MONTHS:
                due_date = add_calendar_months(start_day, limit)
            else:
                due_date = add_calendar_days(start_day, limit)
            # Met if stopped on any moment of the due date, UK local time.
            due = datetime.combine(due_date + timedelta(days=1), time(0), tzinfo=LONDON)
        return Deadline(
            clock.id,
            clock.title,
            clock.authority.basis,
            limit,
            clock.unit,
            started,
            due,
            due_date,
            stopped,
        )

    # -- serialising ------------------------------------------------------------------------
    def to_history(self) -> dict[str, Any]:
        """A JSON-ready history file: enough to rebuild the case."""
        out: dict[str, Any] = {
            "design": self.design.id,
            "designVersion": self.design.version,
            "caseId": self.case_id,
            "nation": self.config.nation.value,
            "events": [e.to_dict() for e in self._history],
        }
        if self.config.clock_limits:
            out["clockLimits"] = dict(self.config.clock_limits)
        return out


class _HistoryEvent(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    event: str = Field(min_length=1)
    actor: str = Field(min_length=1)
    at: AwareDatetime


class HistoryDocument(BaseModel):
    """A case history file, as written by :meth:`Case.to_history`."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    design: str = Field(description="Design id, e.g. 'adult-social-care/contact'.")
    design_version: str | None = Field(default=None, alias="designVersion")
    case_id: str = Field(alias="caseId", min_length=1, max_length=64)
    nation: Nation = Nation.ENGLAND_AND_WALES
    clock_limits: dict[str, int] = Field(default_factory=dict, alias="clockLimits")
    events: list[_HistoryEvent] = Field(min_length=1)


def load_history(
    data: bytes | str | Mapping[str, Any] | PathLike[str],
    registry: Registry | None = None,
    config: CouncilConfig | None = None,
) -> tuple[Case | None, Report]:
    """Rebuild a case from a history file; the report says what was wrong, if anything.

    ``config`` (a council's settings) takes precedence over the nation and clock
    limits written in the file.
    """
    from sharedsvc.registry import default_registry
    from sharedsvc.validation import read_json, report_from_error

    source = str(data) if isinstance(data, PathLike) else None
    parsed, issue = read_json(data)
    if issue is not None:
        return None, Report("case-history", (issue,), source)
    try:
        doc = HistoryDocument.model_validate(parsed)
    except ValidationError as exc:
        return None, report_from_error("case-history", exc, source)
    reg = registry or default_registry()
    design = reg.get(doc.design)
    config = config or CouncilConfig(nation=doc.nation, clock_limits=doc.clock_limits)
    events = [CaseEvent(e.event, e.actor, e.at) for e in doc.events]
    try:
        case = Case.from_history(design, doc.case_id, events, config)
    except ProcessError as exc:
        path = f"/events/{exc.index}" if exc.index is not None else ""
        issue = make_issue(exc.code, path, **exc.context)
        return None, Report(design.id, (issue,), source)
    return case, Report(design.id, (), source)
