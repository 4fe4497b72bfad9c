"""The meta-model of a design: what ``designs/<domain>/<name>/design.yaml`` may say.

A design states what a service *is*: its purpose and legal basis, who takes
part, the record it keeps, its process (states, transitions, statutory
clocks) and the lawful basis for processing personal data. Everything else
(process engine, diagrams, docs pages, OpenAPI paths) is generated from it.

Design files are read with PyYAML's safe loader, refuse anchors and aliases
(which let a small file expand into a huge document), and are capped in size.
A malformed file raises :class:`DesignError` naming the file, the line and
the field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Final, Self

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    WithJsonSchema,
    model_validator,
)

__all__ = [
    "Actor",
    "ChangelogEntry",
    "Clock",
    "ClockAuthority",
    "ClockBasis",
    "ClockUnit",
    "Design",
    "DesignError",
    "DesignStatus",
    "LawfulBasis",
    "LawfulCondition",
    "LegislationReference",
    "LgslService",
    "Process",
    "RecordSpec",
    "State",
    "Transition",
    "load_design",
    "parse_design",
]

#: Largest design file accepted; real ones are a few kilobytes.
MAX_DESIGN_BYTES: Final = 1024 * 1024

_SLUG = r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*"
_SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$"
)

Slug = Annotated[str, Field(pattern=f"^{_SLUG}$", description="A lower-case kebab-case name.")]
Text = Annotated[str, Field(min_length=1)]


def _semver(value: str) -> str:
    if not _SEMVER.match(value):
        raise ValueError("must be a semantic version such as 1.0.0 (https://semver.org)")
    return value


SemVer = Annotated[
    str,
    AfterValidator(_semver),
    Field(description="Semantic version (https://semver.org): MAJOR.MINOR.PATCH."),
]


def _one_or_many(value: object) -> object:
    """Let YAML authors write a single item where a list is allowed."""
    return [value] if isinstance(value, str) else value


_SLUG_SCHEMA = {"type": "string", "pattern": f"^{_SLUG}$"}
#: One name or a list of names (YAML authors may write either).
Names = Annotated[
    list[Slug],
    BeforeValidator(_one_or_many),
    Field(min_length=1),
    WithJsonSchema(
        {"anyOf": [_SLUG_SCHEMA, {"type": "array", "items": _SLUG_SCHEMA, "minItems": 1}]}
    ),
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class DesignStatus(StrEnum):
    """Lifecycle status of a design (see the versioning and deprecation policy)."""

    DRAFT = "draft"
    ACTIVE = "active"
    DEPRECATED = "deprecated"


class LegislationReference(_Strict):
    """A piece of legislation or guidance the design rests on."""

    title: Text = Field(description="Title of the Act, regulations or guidance.")
    section: str | None = Field(
        default=None, description="Section, regulation, paragraph or chapter, e.g. 's9'."
    )
    url: Text = Field(
        pattern=r"^https://", description="Where an architect can read it (legislation.gov.uk…)."
    )
    note: str | None = Field(default=None, description="Why it matters to this design.")


class LgslService(_Strict):
    """An entry of the Local Government Service List (esd.org.uk)."""

    code: int = Field(ge=1, description="LGSL code.")
    label: Text = Field(description="The LGSL description of the service.")

    @property
    def uri(self) -> str:
        """The LGSL service URI."""
        return f"http://id.esd.org.uk/service/{self.code}"


class Actor(_Strict):
    """A party that takes part in the process."""

    id: Slug
    title: Text
    description: Text


class RecordSpec(_Strict):
    """The record a design keeps, and where its business rules live."""

    model: Text = Field(
        pattern=r"^[a-z_][a-z0-9_.]*:[A-Z][A-Za-z0-9]*$",
        description="Import path of the pydantic model, 'package.module:ClassName'.",
    )
    rules: str | None = Field(
        default=None,
        pattern=r"^[a-z_][a-z0-9_.]*$",
        description="Module that registers the design's business rules, if it has any.",
    )


class State(_Strict):
    """A state of the process."""

    id: Slug
    title: Text
    description: Text


class Transition(_Strict):
    """An event that moves a case from one state to another."""

    event: Slug = Field(description="Name of the event, unique among events from each state.")
    from_: Names = Field(alias="from", description="State or states the event may happen in.")
    to: Slug = Field(description="State the case is in after the event.")
    actors: Names = Field(description="Actors who may raise the event.")
    guard: str | None = Field(
        default=None,
        description=(
            "Condition that must hold for the event, stated for the person raising it "
            "(recorded with the design; not evaluated by the engine)."
        ),
    )
    description: str | None = None


class ClockUnit(StrEnum):
    """How a clock's limit is counted."""

    CALENDAR_DAYS = "calendar-days"
    WORKING_DAYS = "working-days"
    CALENDAR_MONTHS = "calendar-months"
    HOURS = "hours"


class ClockBasis(StrEnum):
    """Where a time limit comes from. Only ``local-policy`` limits may be configured."""

    STATUTE = "statute"
    STATUTORY_GUIDANCE = "statutory-guidance"
    NATIONAL_POLICY = "national-policy"
    LOCAL_POLICY = "local-policy"


class ClockAuthority(_Strict):
    """The authority for a time limit, so that guidance is never presented as law."""

    basis: ClockBasis
    reference: LegislationReference | None = Field(
        default=None, description="The statute, guidance or policy that sets the limit."
    )
    note: str | None = None

    @model_validator(mode="after")
    def _reference_unless_local(self) -> Self:
        if self.basis is not ClockBasis.LOCAL_POLICY and self.reference is None:
            raise ValueError("a statute, guidance or national-policy clock needs a reference")
        return self


class Clock(_Strict):
    """A time limit that runs while a case is between states."""

    id: Slug
    title: Text
    description: Text
    start: Names = Field(description="Entering any of these states starts the clock.")
    stop: Names = Field(description="Entering any of these states stops the clock.")
    limit: int = Field(ge=1, description="The limit, in `unit`.")
    unit: ClockUnit
    authority: ClockAuthority

    @property
    def configurable(self) -> bool:
        """Whether a council may set its own limit (local policy only)."""
        return self.authority.basis is ClockBasis.LOCAL_POLICY


class Process(_Strict):
    """The states, transitions and clocks of a service."""

    states: list[State] = Field(min_length=2)
    initial: Slug
    final: Names
    transitions: list[Transition] = Field(min_length=1)
    clocks: list[Clock] = Field(default_factory=list)

    @model_validator(mode="after")
    def _cross_check(self) -> Self:
        problems = list(_process_problems(self))
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def state(self, state_id: str) -> State:
        """The state with this id (KeyError if none)."""
        for state in self.states:
            if state.id == state_id:
                return state
        raise KeyError(state_id)

    @property
    def events(self) -> list[str]:
        """Every event name, in first-use order."""
        return list(dict.fromkeys(t.event for t in self.transitions))


def _duplicates(names: Iterable[str]) -> list[str]:
    items = list(names)
    return sorted({n for n in items if items.count(n) > 1})


def _process_problems(process: Process) -> Iterable[str]:
    state_ids = [s.id for s in process.states]
    known = set(state_ids)
    for dup in _duplicates(state_ids):
        yield f"state '{dup}' is defined twice"
    if process.initial not in known:
        yield f"initial state '{process.initial}' is not a defined state"
    for name in process.final:
        if name not in known:
            yield f"final state '{name}' is not a defined state"
    for i, t in enumerate(process.transitions):
        for name in [*t.from_, t.to]:
            if name not in known:
                yield f"transition {i} ('{t.event}') names unknown state '{name}'"
        for name in t.from_:
            if name in process.final:
                yield f"transition {i} ('{t.event}') leaves final state '{name}'"
    pairs = [(s, t.event) for t in process.transitions for s in t.from_]
    for state, event in sorted({p for p in pairs if pairs.count(p) > 1}):
        yield f"event '{event}' is defined twice from state '{state}'"
    reachable = {process.initial}
    changed = True
    while changed:
        changed = False
        for t in process.transitions:
            if t.to not in reachable and reachable.intersection(t.from_):
                reachable.add(t.to)
                changed = True
    for name in state_ids:
        if name not in reachable:
            yield f"state '{name}' cannot be reached from the initial state"
    leaving = {s for t in process.transitions for s in t.from_}
    for name in state_ids:
        if name not in process.final and name not in leaving:
            yield f"state '{name}' is not final but no transition leaves it"
    for dup in _duplicates(c.id for c in process.clocks):
        yield f"clock '{dup}' is defined twice"
    for clock in process.clocks:
        for name in [*clock.start, *clock.stop]:
            if name not in known:
                yield f"clock '{clock.id}' names unknown state '{name}'"


class LawfulCondition(_Strict):
    """One condition for processing under UK GDPR (or the DPA 2018)."""

    article: Text = Field(
        pattern=r"^(6\(1\)\([a-f]\)|9\(2\)\([a-j]\)|DPA 2018 Sch ?1 .+)$",
        description="E.g. '6(1)(e)', '9(2)(h)', or 'DPA 2018 Sch1 Pt1 para 2'.",
    )
    title: Text
    explanation: Text = Field(description="Why this condition applies to this service.")
    legislation: list[LegislationReference] = Field(default_factory=list)


class LawfulBasis(_Strict):
    """Lawful basis for processing the personal data the design records (UK GDPR)."""

    article6: list[LawfulCondition] = Field(min_length=1)
    article9: list[LawfulCondition] = Field(
        default_factory=list,
        description="Conditions for special category data; required if any field is special.",
    )
    dpa2018: list[LawfulCondition] = Field(
        default_factory=list,
        description="Data Protection Act 2018 Schedule 1 conditions that Article 9 relies on.",
    )
    note: str | None = None

    @model_validator(mode="after")
    def _article_prefixes(self) -> Self:
        for name, prefix in (("article6", "6("), ("article9", "9("), ("dpa2018", "DPA")):
            for cond in getattr(self, name):
                if not cond.article.startswith(prefix):
                    raise ValueError(f"{name} lists condition '{cond.article}'")
        return self


class ChangelogEntry(_Strict):
    """One released version of the design."""

    version: SemVer
    date: date
    changes: list[Text] = Field(min_length=1)


class Design(_Strict):
    """A shared service design: the contents of one ``design.yaml``."""

    id: Annotated[str, Field(pattern=f"^{_SLUG}/{_SLUG}$", description="'<domain>/<name>'.")]
    title: Text
    version: SemVer
    status: DesignStatus
    domain: Slug
    summary: Text = Field(description="One paragraph: what the service is for.")
    lgsl: list[LgslService] = Field(
        default_factory=list, description="Local Government Service List entries, if any."
    )
    legislation: list[LegislationReference] = Field(min_length=1)
    actors: list[Actor] = Field(min_length=1)
    record: RecordSpec
    process: Process
    lawful_basis: LawfulBasis
    changelog: list[ChangelogEntry] = Field(min_length=1)

    @model_validator(mode="after")
    def _cross_check(self) -> Self:
        problems: list[str] = []
        if not self.id.startswith(self.domain + "/"):
            problems.append(f"id '{self.id}' is not in domain '{self.domain}'")
        actor_ids = {a.id for a in self.actors}
        for dup in _duplicates(a.id for a in self.actors):
            problems.append(f"actor '{dup}' is defined twice")
        for t in self.process.transitions:
            for actor in t.actors:
                if actor not in actor_ids:
                    problems.append(f"transition '{t.event}' names unknown actor '{actor}'")
        if self.changelog[0].version != self.version:
            problems.append(
                f"the newest changelog entry is {self.changelog[0].version}, "
                f"but the design is version {self.version}"
            )
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @property
    def name(self) -> str:
        """The design's name within its domain."""
        return self.id.split("/", 1)[1]

    def actor(self, actor_id: str) -> Actor:
        """The actor with this id (KeyError if none)."""
        for actor in self.actors:
            if actor.id == actor_id:
                return actor
        raise KeyError(actor_id)


class DesignError(Exception):
    """A design file is malformed. Names the file, the line and the field."""

    def __init__(self, path: Path | str, line: int | None, field: str | None, problem: str):
        self.path = str(path)
        self.line = line
        self.field = field
        self.problem = problem
        where = self.path + (f", line {line}" if line else "")
        what = f" at '{field}'" if field else ""
        super().__init__(f"{where}{what}: {problem}")


class _NoAliasLoader(yaml.SafeLoader):
    """Safe loader that refuses anchors and aliases (no 'billion laughs')."""


def _refuse_alias(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    raise yaml.constructor.ConstructorError(
        None, None, "anchors and aliases are not allowed in design files", node.start_mark
    )


def _parse_yaml(text: str, path: str) -> tuple[Any, yaml.Node | None]:
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                line = event.start_mark.line + 1 if event.start_mark else None
                raise DesignError(path, line, None, "anchors and aliases are not allowed")
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.load(text, Loader=_NoAliasLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise DesignError(path, line, None, f"not valid YAML: {exc.problem}") from None
    except yaml.YAMLError as exc:
        raise DesignError(path, None, None, f"not valid YAML: {exc}") from None
    return data, node


def _line_of(node: yaml.Node | None, loc: Sequence[int | str]) -> int | None:
    """Follow a pydantic error location through the YAML node tree to a line."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = [v for k, v in node.value if getattr(k, "value", None) == part]
            if not match:
                break
            node = match[0]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                break
            node = node.value[part]
        else:
            break
        line = node.start_mark.line + 1
    return line


def parse_design(text: str, path: Path | str = "<string>") -> Design:
    """Parse and check the text of a design file."""
    data, node = _parse_yaml(text, str(path))
    if not isinstance(data, dict):
        raise DesignError(path, 1, None, "a design file must be a YAML mapping")
    try:
        return Design.model_validate(data)
    except ValidationError as exc:
        err = exc.errors(include_url=False, include_input=False)[0]
        loc = [p for p in err["loc"] if isinstance(p, int | str)]
        field = ".".join(str(p) for p in loc) or None
        more = f" (and {exc.error_count() - 1} more problems)" if exc.error_count() > 1 else ""
        raise DesignError(path, _line_of(node, loc), field, err["msg"] + more) from None


def load_design(path: Path) -> Design:
    """Read, parse and check a design file."""
    try:
        size = path.stat().st_size
        if size > MAX_DESIGN_BYTES:
            raise DesignError(path, None, None, f"larger than {MAX_DESIGN_BYTES} bytes")
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DesignError(path, None, None, f"not UTF-8 (byte {exc.start})") from None
    except OSError as exc:
        raise DesignError(path, None, None, f"cannot be read: {exc.strerror}") from None
    design = parse_design(text, path)
    expected = f"{path.parent.parent.name}/{path.parent.name}"
    if design.id != expected:
        raise DesignError(path, 1, "id", f"id '{design.id}' does not match its folder '{expected}'")
    return design
