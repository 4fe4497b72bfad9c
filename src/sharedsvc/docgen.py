"""Generate the documentation site's pages from the registry, at build time.

Every design, value set and issue code has a page (or a section) generated
from the one place its facts are written: ``design.yaml``, the pydantic record
models, the value set files, the issue code registry, the FHIR mapping
declarations and the shipped examples. Nothing here is written by hand, so the
site cannot drift from the library: ``docs/gen_pages.py`` (a mkdocs-gen-files
script) calls :func:`generate_site` on every build.

There is one Jinja2 template per kind of page (``templates/*.md.jinja2``), so
every page of a kind has the same sections in the same order (as LinkML's
``docgen`` and the FHIR implementation guides do). This module prepares the
data each template needs; the templates only lay it out. It needs the ``docs``
extra (Jinja2), as building the site does.
"""

from __future__ import annotations

import contextlib
import html
import importlib
import json
import posixpath
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import UnionType
from typing import Any, Final, get_args, get_origin

import jinja2
import yaml
from pydantic import BaseModel

from sharedsvc.codes import CODES, IssueCode, Severity
from sharedsvc.design import ClockBasis, Design, DesignStatus
from sharedsvc.ig import CLASSIFICATION_KEY, Classification
from sharedsvc.registry import Example, Registry, data_root, default_registry
from sharedsvc.terminology import ValueSet
from sharedsvc.validation import BusinessRule, rules_for

__all__ = [
    "DESIGN_SECTIONS",
    "FhirMappingRow",
    "FieldRow",
    "ModelTable",
    "Site",
    "SpecialField",
    "ValueType",
    "demote_headings",
    "design_page_path",
    "fhir_mapping",
    "generate_site",
    "md_code",
    "md_path",
    "md_text",
    "mermaid_state_diagram",
    "model_tables",
    "nav_with_generated",
    "openapi_part",
    "relative_link",
    "slug_title",
    "special_fields",
    "valueset_page_path",
]

#: The sections of every design page, in order (the headings are ``##`` level).
DESIGN_SECTIONS: Final = (
    "Summary",
    "Process",
    "Data",
    "Business rules",
    "Information governance",
    "FHIR",
    "Examples",
    "Downloads",
    "Changelog",
)

#: Where the site's downloadable copies of the generated artefacts live.
DOWNLOADS: Final = "downloads"
ISSUE_CODES_PAGE: Final = "reference/issue-codes.md"
VALUESETS_DIR: Final = "reference/valuesets"
OPENAPI_PAGE: Final = "reference/openapi.md"
CATALOGUE_PAGE: Final = "designs/index.md"

_TEMPLATES: Final = Path(__file__).parent / "templates"
_LGSL_URI: Final = "http://id.esd.org.uk/service/{code}"
#: Words that keep their capitals when a domain slug becomes a title.
_ACRONYMS: Final = {"nhs": "NHS", "gp": "GP", "send": "SEND", "asc": "ASC", "ehcp": "EHCP"}

_STATUS_TEXT: Final = {
    DesignStatus.DRAFT: "Open for comment; it may change without a major version.",
    DesignStatus.ACTIVE: "Ready for use; changes follow semantic versioning.",
    DesignStatus.DEPRECATED: "Do not start new work with it; the changelog says what replaces it.",
}
_BASIS_TEXT: Final = {
    ClockBasis.STATUTE: "Statute",
    ClockBasis.STATUTORY_GUIDANCE: "Statutory guidance",
    ClockBasis.NATIONAL_POLICY: "National policy",
    ClockBasis.LOCAL_POLICY: "Local policy",
}
_CLASSIFICATION_TEXT: Final = {
    Classification.NON_PERSONAL: "Non-personal",
    Classification.PERSONAL: "Personal",
    Classification.SPECIAL_CATEGORY: "Special category",
}

#: Issue code families, by the part of the code before the first dot, in page order.
_CODE_FAMILIES: Final[tuple[tuple[str, str, tuple[str, ...]], ...]] = (
    (
        "Reading the payload",
        "The bytes could not be read as one JSON document; nothing else is checked.",
        ("payload",),
    ),
    ("Structure", "Fields present, absent or of the wrong JSON type.", ("field", "type")),
    (
        "Values",
        "A value of the right type that breaks a constraint, a date rule or a value set.",
        ("value", "date", "datetime", "coding"),
    ),
    (
        "UK identifiers and codes",
        "The UK value types: NHS number, postcode, UPRN, USRN, ODS, GSS and NI numbers.",
        ("nhs-number", "postcode", "uprn", "usrn", "ods-code", "gss-code", "ni-number"),
    ),
    (
        "Shared records",
        "Rules of the records every design shares (people, organisations, periods).",
        ("period", "organisation"),
    ),
    (
        "Process",
        "Events refused by the process engine, and council configuration it refuses.",
        ("process",),
    ),
    (
        "FHIR input",
        "Problems found when a FHIR Bundle or resource is read as a design's record.",
        ("fhir",),
    ),
)


# -- small text helpers (also Jinja2 filters) ----------------------------------------------


#: Characters Markdown would read as markup, as HTML character references.
_MARKUP: Final = str.maketrans({c: f"&#{ord(c)};" for c in "\\`*_[]|"})


def _literal(text: str) -> str:
    return html.escape(text, quote=False).translate(_MARKUP)


def md_text(value: object) -> str:
    """Plain text for Markdown: one line, with nothing in it read as markup or HTML."""
    return _literal(" ".join(str(value).split()))


def md_path(value: object) -> str:
    """A JSON name or JSON Pointer as inline code that does not wrap."""
    return '<code class="ss-nowrap">' + _literal(str(value)) + "</code>"


def md_code(value: object) -> str:
    """Inline code safe anywhere, table cells included: a ``<code>`` element whose text
    Markdown leaves alone (a regex such as ``[A-Z]{2}`` is not read as a link)."""
    return "<code>" + _literal(str(value)) + "</code>"


def slug_title(slug: str) -> str:
    """A readable title from a kebab-case name: 'adult-social-care' -> 'Adult social care'."""
    words = [_ACRONYMS.get(w, w) for w in slug.split("-")]
    words[0] = words[0][:1].upper() + words[0][1:]
    return " ".join(words)


def relative_link(from_page: str, to_path: str) -> str:
    """A link from one docs page to another docs file (both docs-relative paths)."""
    target, _, anchor = to_path.partition("#")
    link = posixpath.relpath(target, posixpath.dirname(from_page) or ".")
    return link + (f"#{anchor}" if anchor else "")


def design_page_path(design_id: str) -> str:
    """The docs path of a design's page, e.g. ``designs/adult-social-care/contact.md``."""
    return f"designs/{design_id}.md"


def valueset_page_path(valueset_id: str) -> str:
    """The docs path of a value set's page."""
    return f"{VALUESETS_DIR}/{valueset_id}.md"


def code_anchor(code: str) -> str:
    """The anchor of an issue code on the issue code page (the code itself)."""
    return code


def demote_headings(markdown: str, top: int) -> str:
    """Shift ATX headings so the highest one is at level ``top`` (fenced code is left alone).

    Hand-written prose is included under a section of a generated page, so
    its headings must nest under that section's heading (WCAG 1.3.1).
    """
    lines = markdown.splitlines()
    fence: str | None = None
    levels: list[int] = []
    marks: list[int | None] = []
    for line in lines:
        stripped = line.lstrip()
        match = re.match(r"(`{3,}|~{3,})", stripped)
        if match:
            if fence is None:
                fence = match.group(1)[0]
            elif stripped.startswith(fence):
                fence = None
            marks.append(None)
            continue
        heading = re.match(r"(#{1,6})\s", line) if fence is None else None
        marks.append(len(heading.group(1)) if heading else None)
        if heading:
            levels.append(len(heading.group(1)))
    if not levels:
        return markdown.strip()
    shift = top - min(levels)
    out = []
    for line, level in zip(lines, marks, strict=True):
        if level is not None:
            line = "#" * min(6, level + shift) + line[level:]
        out.append(line)
    return "\n".join(out).strip()


# -- record models as tables ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FieldRow:
    """One field of a record model, as its row of the data table."""

    json_name: str
    python_name: str | None
    type_md: str
    cardinality: str
    description: str
    constraints: list[str]
    valueset: str | None
    classification: Classification | None
    #: The nested records this field can hold (their tables' names); several for a union.
    models: tuple[str, ...] = ()

    @property
    def classification_text(self) -> str:
        """The classification as a reader sees it."""
        if self.classification is None:
            return "Not declared"
        return _CLASSIFICATION_TEXT[self.classification]


@dataclass(frozen=True, slots=True)
class ModelTable:
    """One record model (the design's record or a model nested in it) as a table."""

    name: str
    anchor: str
    description: str
    python_path: str | None
    rows: list[FieldRow]


@dataclass(frozen=True, slots=True)
class ValueType:
    """A UK value type (``x-sharedsvc-type``) used by a record, explained once per page."""

    name: str
    anchor: str
    description: str
    pattern: str | None
    examples: list[str]


@dataclass(frozen=True, slots=True)
class _Shape:
    """What a property schema is, once ``anyOf [X, null]`` and arrays are unwrapped."""

    schema: Mapping[str, Any]
    nullable: bool
    array: Mapping[str, Any] | None
    default: object = None


def _inline(schema: Mapping[str, Any], defs: Mapping[str, Mapping[str, Any]]) -> Mapping[str, Any]:
    """Resolve what is not a record of its own: ``allOf`` of one schema, and references to
    definitions without properties (a Python enum's ``$defs`` entry, say)."""
    all_of = schema.get("allOf")
    if isinstance(all_of, list) and len(all_of) == 1:
        schema = {**{k: v for k, v in schema.items() if k != "allOf"}, **all_of[0]}
    ref = _ref_name(schema)
    if ref is not None and ref in defs and "properties" not in defs[ref]:
        schema = {**defs[ref], **{k: v for k, v in schema.items() if k != "$ref"}}
    return schema


def _unwrap(prop: Mapping[str, Any], defs: Mapping[str, Mapping[str, Any]]) -> _Shape:
    nullable = False
    schema = _inline(prop, defs)
    branches = schema.get("anyOf")
    if isinstance(branches, list):
        others = [_inline(b, defs) for b in branches if b.get("type") != "null"]
        nullable = len(others) < len(branches)
        if len(others) == 1:
            schema = {**others[0]}
            if "x-valueset" in prop:
                schema["x-valueset"] = prop["x-valueset"]
        else:
            schema = {**schema, "anyOf": others}
    array: Mapping[str, Any] | None = None
    if schema.get("type") == "array" and isinstance(schema.get("items"), Mapping):
        array = schema
        schema = _inline(schema["items"], defs)
    return _Shape(schema, nullable, array, prop.get("default"))


def _refs(value: object) -> Iterator[str]:
    """Every ``$ref`` in a JSON Schema (or OpenAPI) fragment, depth first."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            if key == "$ref" and isinstance(item, str):
                yield item
            else:
                yield from _refs(item)
    elif isinstance(value, list):
        for item in value:
            yield from _refs(item)


def _ref_name(schema: Mapping[str, Any]) -> str | None:
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        return ref.removeprefix("#/$defs/")
    return None


def _valueset_of(schema: Mapping[str, Any]) -> str | None:
    value = schema.get("x-valueset")
    return value if isinstance(value, str) else None


def _is_coding(schema: Mapping[str, Any]) -> bool:
    if schema.get("type") == "object" and "code" in schema.get("properties", {}):
        return True
    branches = schema.get("anyOf")
    return isinstance(branches, list) and all(_is_coding(b) for b in branches)


def _model_classes(root: type[BaseModel]) -> dict[str, type[BaseModel]]:
    """Every pydantic model reachable from ``root`` through field annotations, by name."""
    found: dict[str, type[BaseModel]] = {}

    def visit(annotation: object) -> None:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if annotation.__name__ not in found:
                found[annotation.__name__] = annotation
                for info in annotation.model_fields.values():
                    visit(info.annotation)
            return
        if get_origin(annotation) is not None or isinstance(annotation, UnionType):
            for arg in get_args(annotation):
                visit(arg)

    visit(root)
    return found


def _python_names(cls: type[BaseModel] | None) -> dict[str, str]:
    if cls is None:
        return {}
    return {(info.alias or name): name for name, info in cls.model_fields.items()}


def _constraints(
    shape: _Shape, value_types: dict[str, ValueType], page_anchor_prefix: str
) -> list[str]:
    schema, out = shape.schema, []
    type_name = schema.get("x-sharedsvc-type")
    if isinstance(type_name, str):
        anchor = f"{page_anchor_prefix}type-{type_name.lower()}"
        out.append(f"[{type_name} format](#{anchor})")
    elif isinstance(schema.get("pattern"), str):
        out.append("pattern " + md_code(schema["pattern"]))
    low, high = schema.get("minLength"), schema.get("maxLength")
    if low is not None and high is not None:
        out.append(f"{low} to {high} characters")
    elif low == 1:
        out.append("not empty")
    elif low is not None:
        out.append(f"at least {low} characters")
    elif high is not None:
        out.append(f"at most {high} characters")
    for key, text in (
        ("minimum", "≥ {}"),
        ("exclusiveMinimum", "> {}"),
        ("maximum", "≤ {}"),
        ("exclusiveMaximum", "< {}"),
    ):
        if key in schema:
            out.append(text.format(schema[key]))
    if "const" in schema:
        out.append("always " + md_code(schema["const"]))
    default = shape.default
    if default not in (None, [], {}):
        out.append("default " + md_code(json.dumps(default, ensure_ascii=False)))
    if "enum" in schema and _valueset_of(schema) is None:
        out.append("one of " + ", ".join(md_code(v) for v in schema["enum"]))
    if shape.array is not None:
        low, high = shape.array.get("minItems"), shape.array.get("maxItems")
        if high is not None:
            out.append(f"at most {high} items")
        if low is not None and low > 1:
            out.append(f"at least {low} items")
        if shape.array.get("uniqueItems"):
            out.append("no repeats")
    return out


def _type_md(schema: Mapping[str, Any], anchors: Mapping[str, str]) -> str:
    """The type as Markdown, linking to the table of a nested record."""
    ref = _ref_name(schema)
    if ref is not None:
        return f"[{ref}](#{anchors[ref]})" if ref in anchors else ref
    if _valueset_of(schema) and _is_coding(schema):
        return "Coding (system, code, display)"
    branches = schema.get("anyOf")
    if isinstance(branches, list):  # a union: each branch's type
        return " or ".join(dict.fromkeys(_type_md(b, anchors) for b in branches))
    fmt = schema.get("format")
    kind = schema.get("type")
    if isinstance(fmt, str) and kind == "string":
        return fmt
    if isinstance(kind, str):
        return kind
    if isinstance(kind, list):
        return " or ".join(str(k) for k in kind if k != "null")
    return "string" if "const" in schema or "enum" in schema else "any"


def _cardinality(shape: _Shape, required: bool) -> str:
    if shape.array is not None:
        low = shape.array.get("minItems", 0) or 0
        return f"{min(low, 1)}..*"
    return "1..1" if required and not shape.nullable else "0..1"


def model_tables(
    model: type[BaseModel], *, anchor_prefix: str = "data-"
) -> tuple[list[ModelTable], list[ValueType]]:
    """The data tables of a record model, from its JSON Schema: the record first, then
    each nested model in the order it is first used; and the UK value types used."""
    schema = model.model_json_schema(by_alias=True, mode="validation")
    defs: Mapping[str, Mapping[str, Any]] = schema.get("$defs", {})
    classes = _model_classes(model)
    order: list[str] = [model.__name__]
    bodies: dict[str, Mapping[str, Any]] = {model.__name__: schema}
    queue = [model.__name__]
    while queue:
        body = bodies[queue.pop(0)]
        for prop in body.get("properties", {}).values():
            for ref in _refs(prop):  # every record a field can hold, unions included
                name = ref.removeprefix("#/$defs/")
                if name not in bodies and "properties" in defs.get(name, {}):
                    bodies[name] = defs[name]
                    order.append(name)
                    queue.append(name)
    anchors = {name: f"{anchor_prefix}{name.lower()}" for name in order}
    record_refs = {f"#/$defs/{name}" for name in order}
    value_types: dict[str, ValueType] = {}
    tables: list[ModelTable] = []
    for name in order:
        body = bodies[name]
        cls = classes.get(str(body.get("title", name))) or classes.get(name)
        python = _python_names(cls)
        required = set(body.get("required", []))
        rows: list[FieldRow] = []
        for json_name, prop in body.get("properties", {}).items():
            shape = _unwrap(prop, defs)
            _collect_value_type(shape.schema, value_types, anchor_prefix)
            nested = tuple(
                dict.fromkeys(
                    r.removeprefix("#/$defs/") for r in _refs(shape.schema) if r in record_refs
                )
            )
            classification = prop.get(CLASSIFICATION_KEY)
            rows.append(
                FieldRow(
                    json_name=json_name,
                    python_name=python.get(json_name),
                    type_md=_type_md(shape.schema, anchors),
                    cardinality=_cardinality(shape, json_name in required),
                    description=str(prop.get("description", "")),
                    constraints=_constraints(shape, value_types, anchor_prefix),
                    valueset=_valueset_of(shape.schema) or _valueset_of(prop),
                    classification=Classification(classification) if classification else None,
                    models=nested,
                )
            )
        tables.append(
            ModelTable(
                name=name,
                anchor=anchors[name],
                description=str(body.get("description", "")),
                python_path=f"{cls.__module__}.{cls.__qualname__}" if cls else None,
                rows=rows,
            )
        )
    return tables, sorted(value_types.values(), key=lambda v: v.name)


def _collect_value_type(
    schema: Mapping[str, Any], found: dict[str, ValueType], anchor_prefix: str
) -> None:
    name = schema.get("x-sharedsvc-type")
    if isinstance(name, str) and name not in found:
        found[name] = ValueType(
            name=name,
            anchor=f"{anchor_prefix}type-{name.lower()}",
            description=str(schema.get("description", "")),
            pattern=schema.get("pattern") if isinstance(schema.get("pattern"), str) else None,
            examples=[str(e) for e in schema.get("examples", [])],
        )


@dataclass(frozen=True, slots=True)
class SpecialField:
    """A special-category field, with the JSON Pointers it can appear at."""

    table: ModelTable
    row: FieldRow
    paths: list[str]


def _paths_to(tables: Sequence[ModelTable]) -> dict[str, list[str]]:
    """JSON Pointer prefixes at which each model appears (``/-`` marks an array item)."""
    by_name = {t.name: t for t in tables}
    paths: dict[str, list[str]] = {tables[0].name: [""]}
    queue = [(tables[0].name, "", frozenset({tables[0].name}))]
    while queue:
        name, prefix, seen = queue.pop(0)
        for row in by_name[name].rows:
            for model in row.models:
                if model in by_name and model not in seen:
                    many = row.cardinality.endswith("*")
                    step = f"{prefix}/{row.json_name}" + ("/-" if many else "")
                    paths.setdefault(model, []).append(step)
                    queue.append((model, step, seen | {model}))
    return paths


def special_fields(tables: Sequence[ModelTable]) -> list[SpecialField]:
    """Every special-category field of a record's tables, with the paths it appears at."""
    paths = _paths_to(tables)
    out = []
    for table in tables:
        for row in table.rows:
            if row.classification is Classification.SPECIAL_CATEGORY:
                where = [f"{p}/{row.json_name}" for p in paths.get(table.name, [])]
                out.append(SpecialField(table, row, where))
    return out


# -- process -------------------------------------------------------------------------------


def _mermaid_id(state_id: str) -> str:
    return "s_" + state_id.replace("-", "_")


def _mermaid_label(text: str) -> str:
    return " ".join(text.split()).replace('"', "#quot;")


def _diagram_direction(design: Design) -> str:
    """Left to right for a wide, shallow process; top to bottom for a long one.

    A diagram is scaled to the page width, so laying it out along its longer
    side would shrink its labels below a readable size.
    """
    process = design.process
    rank = {process.initial: 0}
    frontier = [process.initial]
    while frontier:
        following = []
        for state in frontier:
            for t in process.transitions:
                if state in t.from_ and t.to not in rank:
                    rank[t.to] = rank[state] + 1
                    following.append(t.to)
        frontier = following
    depth = max(rank.values()) + 1
    breadth = max(list(rank.values()).count(r) for r in range(depth))
    return "LR" if breadth >= depth else "TB"


def mermaid_state_diagram(design: Design) -> str:
    """A Mermaid ``stateDiagram-v2`` of the design's process, with an accessible title."""
    process = design.process
    lines = [
        # Wider spacing than Mermaid's default keeps event labels from overlapping.
        "---",
        "config:",
        "  state:",
        "    nodeSpacing: 70",
        "    rankSpacing: 70",
        "---",
        "stateDiagram-v2",
        f"    direction {_diagram_direction(design)}",
        f"    accTitle: Process of {_mermaid_label(design.title)}",
        "    accDescr: States and the events that move a case between them; the "
        "transitions table below lists the same information.",
    ]
    for state in process.states:
        lines.append(f'    state "{_mermaid_label(state.title)}" as {_mermaid_id(state.id)}')
    lines.append(f"    [*] --> {_mermaid_id(process.initial)}")
    for t in process.transitions:
        for source in t.from_:
            lines.append(f"    {_mermaid_id(source)} --> {_mermaid_id(t.to)} : {t.event}")
    for final in process.final:
        lines.append(f"    {_mermaid_id(final)} --> [*]")
    return "\n".join(lines)


# -- FHIR ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FhirMappingRow:
    """One row of a design's FHIR mapping table."""

    field: str
    resource: str
    element: str
    profile: str
    note: str


def fhir_mapping(design_id: str) -> list[FhirMappingRow] | None:
    """The design's FHIR mapping table, or None when none is published.

    Asks ``sharedsvc.fhir.mapping_table(design_id)``; the FHIR package is
    optional, so a missing module or function means "no mapping yet".
    """
    try:
        module = importlib.import_module("sharedsvc.fhir")
    except ImportError:
        return None
    table = getattr(module, "mapping_table", None)
    if not callable(table):
        return None
    rows = table(design_id)
    if rows is None:
        return None
    keys = ("field", "resource", "element", "profile", "note")
    return [FhirMappingRow(*(str(row.get(k) or "") for k in keys)) for row in rows]


# -- OpenAPI ---------------------------------------------------------------------------------


def openapi_part(document: Mapping[str, Any], design: Design) -> dict[str, Any]:
    """The part of the OpenAPI document that concerns one design: its paths, its tag and
    every component they refer to (followed transitively), so the part stands alone."""
    prefix = f"/{design.id}/"
    paths = {p: v for p, v in document.get("paths", {}).items() if p.startswith(prefix)}
    schemas: Mapping[str, Any] = document.get("components", {}).get("schemas", {})
    needed: set[str] = set()
    queue = list(_refs(paths))
    while queue:
        ref = queue.pop()
        name = ref.rsplit("/", 1)[-1]
        if ref.startswith("#/components/schemas/") and name in schemas and name not in needed:
            needed.add(name)
            queue.extend(_refs(schemas[name]))
    tags = {t for op in paths.values() for o in op.values() for t in o.get("tags", [])}
    return {
        "openapi": document.get("openapi"),
        "jsonSchemaDialect": document.get("jsonSchemaDialect"),
        "info": {
            **document.get("info", {}),
            "title": f"{document.get('info', {}).get('title', 'API')}: {design.title}",
            "description": (
                f"The part of schemas/openapi.yaml for the design {design.id} "
                f"(version {design.version}), cut out when the documentation site was built."
            ),
        },
        "tags": [t for t in document.get("tags", []) if t.get("name") in tags],
        "paths": paths,
        "components": {"schemas": {k: schemas[k] for k in sorted(needed)}},
    }


@dataclass(frozen=True, slots=True)
class Operation:
    """One operation of the reference API, for the readable OpenAPI page."""

    method: str
    path: str
    anchor: str
    summary: str
    operation_id: str
    parameters: list[dict[str, str]]
    request: str | None
    responses: list[dict[str, str]]


@dataclass(frozen=True, slots=True)
class ApiGroup:
    """The operations of one design (one OpenAPI tag)."""

    title: str
    design_link: str | None
    description: str
    operations: list[Operation]


@dataclass(frozen=True, slots=True)
class ApiComponent:
    """A shared component schema (problem details, issues, deadlines)."""

    name: str
    description: str
    rows: list[dict[str, str]]


def _schema_summary(schema: Mapping[str, Any], record_links: Mapping[str, str]) -> str:
    ref = schema.get("$ref")
    if isinstance(ref, str):
        name = ref.rsplit("/", 1)[-1]
        if name in record_links:
            return f"[{name}]({record_links[name]}) record"
        return f"[{name}](#component-{name.lower()})"
    if schema.get("type") == "array" and isinstance(schema.get("items"), Mapping):
        return "array of " + _schema_summary(schema["items"], record_links)
    if schema.get("type") == "object":
        props = schema.get("properties", {})
        required = set(schema.get("required", []))
        parts = [md_code(k) + ("" if k in required else " (optional)") for k in props]
        return "object: " + ", ".join(parts)
    kind = schema.get("type", "any")
    extra = f", pattern {md_code(schema['pattern'])}" if "pattern" in schema else ""
    return md_text(kind) + extra


# -- the site --------------------------------------------------------------------------------


@dataclass
class Site:
    """Every generated page and downloadable file, and the navigation they need."""

    #: Markdown pages, by docs-relative path.
    pages: dict[str, str] = field(default_factory=dict)
    #: Downloadable files (copies of generated artefacts), by docs-relative path.
    files: dict[str, bytes] = field(default_factory=dict)
    #: mkdocs ``nav`` entries for the designs, grouped by domain.
    designs_nav: list[Any] = field(default_factory=list)
    #: mkdocs ``nav`` entries for the value sets.
    valuesets_nav: list[Any] = field(default_factory=list)
    #: mkdocs ``nav`` entries for the Python API reference.
    api_nav: list[Any] = field(default_factory=list)
    #: Problems the build must report as errors (a generated artefact is missing).
    problems: list[str] = field(default_factory=list)


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(_TEMPLATES),
        autoescape=False,  # Markdown output: text is escaped explicitly with the filters
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["text"] = md_text
    env.filters["cell"] = md_text  # safe in table cells too: pipes are escaped
    env.filters["code"] = md_code
    env.filters["path"] = md_path
    env.filters["yaml_str"] = lambda v: json.dumps(" ".join(str(v).split()), ensure_ascii=False)
    env.filters["tojson_pretty"] = lambda v: json.dumps(v, indent=2, ensure_ascii=False)
    env.filters["indent_block"] = lambda s, n=4: "\n".join(
        (" " * n + line) if line else "" for line in str(s).splitlines()
    )
    return env


class _Builder:
    """Builds every page of the site from one registry."""

    def __init__(self, registry: Registry, schemas_dir: Path) -> None:
        self.registry = registry
        self.schemas_dir = schemas_dir
        self.env = _environment()
        self.site = Site()

    # -- shared data ------------------------------------------------------------------
    @cached_property
    def designs(self) -> list[Design]:
        return self.registry.designs()

    @cached_property
    def rules(self) -> dict[str, list[BusinessRule]]:
        # Importing every record model registers every business rule's issue code, and
        # importing the (optional) FHIR package registers the fhir.* codes.
        with contextlib.suppress(ImportError):
            importlib.import_module("sharedsvc.fhir")
        return {d.id: rules_for(d.id, self.registry) for d in self.designs}

    @cached_property
    def tables(self) -> dict[str, tuple[list[ModelTable], list[ValueType]]]:
        return {d.id: model_tables(self.registry.record_model(d)) for d in self.designs}

    @cached_property
    def examples(self) -> dict[str, list[Example]]:
        return {d.id: self.registry.examples(d.id) for d in self.designs}

    @cached_property
    def openapi(self) -> dict[str, Any] | None:
        path = self.schemas_dir / "openapi.yaml"
        if not path.is_file():
            return None
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
        return loaded if isinstance(loaded, dict) else None

    @cached_property
    def valueset_users(self) -> dict[str, list[tuple[Design, ModelTable, FieldRow]]]:
        users: dict[str, list[tuple[Design, ModelTable, FieldRow]]] = {}
        for design in self.designs:
            for table in self.tables[design.id][0]:
                for row in table.rows:
                    if row.valueset:
                        users.setdefault(row.valueset, []).append((design, table, row))
        return users

    @cached_property
    def code_raisers(self) -> dict[str, list[tuple[Design, Example]]]:
        """Shipped invalid examples that raise each code (a real example of it)."""
        raisers: dict[str, list[tuple[Design, Example]]] = {}
        for design in self.designs:
            for example in self.examples[design.id]:
                for expected in dict.fromkeys(e.code for e in example.expect):
                    raisers.setdefault(expected, []).append((design, example))
        return raisers

    def render(self, template: str, path: str, **context: Any) -> None:
        def link(target: str) -> str:
            return relative_link(path, target)

        text = self.env.get_template(template).render(
            page_path=path,
            link=link,
            design_link=lambda d: link(design_page_path(d)),
            valueset_link=lambda v: link(valueset_page_path(v)),
            code_link=lambda c: link(f"{ISSUE_CODES_PAGE}#{code_anchor(c)}"),
            **context,
        )
        self.site.pages[path] = text.rstrip() + "\n"

    # -- pages ------------------------------------------------------------------------
    def build(self) -> Site:
        self.rules  # noqa: B018 - register business-rule codes before any page reads CODES
        for design in self.designs:
            self.design(design)
        self.catalogue()
        self.valuesets()
        self.issue_codes()
        self.openapi_page()
        self.api_reference()
        return self.site

    def download(self, path: str, data: bytes) -> str:
        self.site.files[path] = data
        return path

    def design(self, design: Design) -> None:
        path = design_page_path(design.id)
        tables, value_types = self.tables[design.id]
        examples = self.examples[design.id]
        downloads = self.design_downloads(design, examples)
        fhir_dir = self.registry.design_dir(design.id) / "examples" / "fhir"
        fhir_examples = sorted(fhir_dir.glob("*.json")) if fhir_dir.is_dir() else []
        fhir_bundle = None
        if fhir_examples:
            fhir_bundle = (fhir_examples[0].stem, json.loads(fhir_examples[0].read_bytes()))
        intro = self.registry.prose(design.id, "intro")
        notes = self.registry.prose(design.id, "notes")
        counts = dict.fromkeys(Classification, 0)
        for table in tables:
            for row in table.rows:
                if row.classification is not None:
                    counts[row.classification] += 1
        self.render(
            "design.md.jinja2",
            path,
            design=design,
            domain_title=slug_title(design.domain),
            status_text=_STATUS_TEXT[design.status],
            lgsl=[(s, _LGSL_URI.format(code=s.code)) for s in design.lgsl],
            sections=DESIGN_SECTIONS,
            intro=demote_headings(intro, 4) if intro else None,
            notes=demote_headings(notes, 4) if notes else None,
            diagram=mermaid_state_diagram(design),
            state_titles={s.id: s.title for s in design.process.states},
            actor_titles={a.id: a.title for a in design.actors},
            basis_text=_BASIS_TEXT,
            ClockBasis=ClockBasis,
            record_model=design.record.model,
            tables=tables,
            value_types=value_types,
            rules=self.rules[design.id],
            counts=counts,
            classification_text=_CLASSIFICATION_TEXT,
            special=special_fields(tables),
            fhir_rows=fhir_mapping(design.id),
            fhir_bundle=fhir_bundle,
            valid_examples=[e for e in examples if e.valid],
            invalid_examples=[e for e in examples if not e.valid],
            downloads=downloads,
        )
        domain_index = f"designs/{design.domain}/index.md"
        if domain_index not in self.site.pages:
            in_domain = [d for d in self.designs if d.domain == design.domain]
            self.render(
                "domain.md.jinja2",
                domain_index,
                domain=design.domain,
                domain_title=slug_title(design.domain),
                designs=in_domain,
            )
            self.site.designs_nav.append(
                {
                    slug_title(design.domain): [
                        {"Overview": domain_index},
                        *({d.title: design_page_path(d.id)} for d in in_domain),
                    ]
                }
            )

    def design_downloads(self, design: Design, examples: list[Example]) -> dict[str, Any]:
        """Copy the design's generated artefacts into the site; return what to link."""
        out: dict[str, Any] = {"schema": None, "openapi": None, "examples": []}
        schema_file = self.schemas_dir / f"{design.id}.schema.json"
        if schema_file.is_file():
            out["schema"] = self.download(
                f"{DOWNLOADS}/schemas/{design.id}.schema.json", schema_file.read_bytes()
            )
        else:
            self.site.problems.append(
                f"schemas/{design.id}.schema.json is missing: run `sharedsvc export`"
            )
        if self.openapi is None:
            self.site.problems.append("schemas/openapi.yaml is missing: run `sharedsvc export`")
        else:
            part = openapi_part(self.openapi, design)
            text = "# " + part["info"]["description"] + " Do not edit.\n" + _dump_yaml(part)
            out["openapi"] = self.download(
                f"{DOWNLOADS}/openapi/{design.id}.openapi.yaml", text.encode("utf-8")
            )
        for example in examples:
            kind = "valid" if example.valid else "invalid"
            target = f"{DOWNLOADS}/examples/{design.id}/{kind}/{example.path.name}"
            out["examples"].append((example, self.download(target, example.path.read_bytes())))
        return out

    def catalogue(self) -> None:
        domains: dict[str, list[Design]] = {}
        for design in self.designs:
            domains.setdefault(design.domain, []).append(design)
        self.render(
            "catalogue.md.jinja2",
            CATALOGUE_PAGE,
            designs=self.designs,
            domains={slug_title(k): v for k, v in sorted(domains.items())},
            slug_title=slug_title,
        )

    def valuesets(self) -> None:
        sets: list[ValueSet] = sorted(
            (self.registry.valueset(v) for v in self.registry.valueset_ids),
            key=lambda vs: vs.title.casefold(),
        )
        index = f"{VALUESETS_DIR}/index.md"
        self.render("valuesets.md.jinja2", index, valuesets=sets, users=self.valueset_users)
        self.site.valuesets_nav = [{"All value sets": index}]
        for vs in sets:
            path = valueset_page_path(vs.id)
            self.render(
                "valueset.md.jinja2",
                path,
                vs=vs,
                users=self.valueset_users.get(vs.id, []),
                show_system=len(vs.systems) > 1,
                show_definition=any(c.definition for c in vs.concepts),
            )
            self.site.valuesets_nav.append({vs.title: path})

    def issue_codes(self) -> None:
        rule_codes: dict[str, tuple[Design, BusinessRule]] = {}
        for design in self.designs:
            for rule in self.rules[design.id]:
                rule_codes[rule.code.code] = (design, rule)
        families: list[tuple[str, str, list[IssueCode]]] = []
        placed: set[str] = set()
        for title, description, prefixes in _CODE_FAMILIES:
            members = [
                c
                for c in CODES.values()
                if c.code.split(".")[0] in prefixes and c.code not in rule_codes
            ]
            placed.update(c.code for c in members)
            if members:
                families.append((title, description, members))
        for design in self.designs:
            members = [r.code for r in self.rules[design.id]]
            placed.update(c.code for c in members)
            if members:
                families.append(
                    (
                        f"Business rules: {design.title}",
                        f"Cross-field rules of the design {design.id}.",
                        members,
                    )
                )
        rest = [c for c in CODES.values() if c.code not in placed]
        if rest:
            families.append(("Other checks", "Codes outside the families above.", rest))
        self.render(
            "issue-codes.md.jinja2",
            ISSUE_CODES_PAGE,
            families=families,
            severities=list(Severity),
            rule_codes=rule_codes,
            raisers=self.code_raisers,
            total=len(CODES),
        )

    def openapi_page(self) -> None:
        doc = self.openapi
        groups: list[ApiGroup] = []
        components: list[ApiComponent] = []
        downloads: list[tuple[str, str]] = []
        if doc is not None:
            full = self.download(
                f"{DOWNLOADS}/schemas/openapi.yaml",
                (self.schemas_dir / "openapi.yaml").read_bytes(),
            )
            downloads.append(("The whole OpenAPI 3.1 document", full))
            groups, components = self._api_groups(doc)
        for design in self.designs:
            part = f"{DOWNLOADS}/openapi/{design.id}.openapi.yaml"
            if part in self.site.files:
                downloads.append((f"{design.title} only", part))
        self.render(
            "openapi.md.jinja2",
            OPENAPI_PAGE,
            doc=doc,
            groups=groups,
            components=components,
            downloads=downloads,
        )

    def _api_groups(self, doc: Mapping[str, Any]) -> tuple[list[ApiGroup], list[ApiComponent]]:
        by_title = {d.title: d for d in self.designs}
        record_links: dict[str, str] = {}
        for design in self.designs:
            model = self.registry.record_model(design)
            record_links[model.__name__] = relative_link(
                OPENAPI_PAGE, design_page_path(design.id) + "#data"
            )
        ops_by_tag: dict[str, list[Operation]] = {}
        for path, item in doc.get("paths", {}).items():
            for method, op in item.items():
                body = op.get("requestBody", {}).get("content", {})
                request = "; ".join(
                    f"{md_code(media)}: {_schema_summary(v.get('schema', {}), record_links)}"
                    for media, v in body.items()
                )
                responses = [
                    {
                        "status": str(status),
                        "description": md_text(r.get("description", "")),
                        "body": "; ".join(
                            f"{md_code(media)}: "
                            f"{_schema_summary(v.get('schema', {}), record_links)}"
                            for media, v in r.get("content", {}).items()
                        )
                        or "—",
                    }
                    for status, r in op.get("responses", {}).items()
                ]
                params = [
                    {
                        "name": md_code(p.get("name", "")),
                        "in": md_text(p.get("in", "")),
                        "required": "yes" if p.get("required") else "no",
                        "schema": _schema_summary(p.get("schema", {}), record_links),
                    }
                    for p in op.get("parameters", [])
                ]
                operation = Operation(
                    method=method.upper(),
                    path=path,
                    anchor="op-" + str(op.get("operationId", f"{method}-{path}")).lower(),
                    summary=str(op.get("summary", "")),
                    operation_id=str(op.get("operationId", "")),
                    parameters=params,
                    request=request or None,
                    responses=responses,
                )
                for tag in op.get("tags", ["Other"]):
                    ops_by_tag.setdefault(tag, []).append(operation)
        tags = {t["name"]: t.get("description", "") for t in doc.get("tags", [])}
        groups = []
        for tag, operations in ops_by_tag.items():
            tagged = by_title.get(tag)
            groups.append(
                ApiGroup(
                    title=tag,
                    design_link=(
                        relative_link(OPENAPI_PAGE, design_page_path(tagged.id)) if tagged else None
                    ),
                    description=str(tags.get(tag, "")),
                    operations=operations,
                )
            )
        record_names = set(record_links)
        schemas = doc.get("components", {}).get("schemas", {})
        used = {r.rsplit("/", 1)[-1] for r in _refs(doc.get("paths", {}))}
        shared = sorted(n for n in schemas if n in used and n not in record_names)
        queue = list(shared)
        while queue:
            for ref in _refs(schemas[queue.pop()]):
                name = ref.rsplit("/", 1)[-1]
                if name not in shared and name in schemas and name not in record_names:
                    shared.append(name)
                    queue.append(name)
        components = []
        for name in sorted(shared):
            schema = schemas[name]
            required = set(schema.get("required", []))
            rows = [
                {
                    "name": md_code(prop),
                    "required": "yes" if prop in required else "no",
                    "type": _schema_summary(sub, record_links)
                    + (
                        " — one of " + ", ".join(md_code(v) for v in sub["enum"])
                        if "enum" in sub and len(sub["enum"]) <= 8
                        else ""
                    ),
                    "description": md_text(sub.get("description", "")),
                }
                for prop, sub in schema.get("properties", {}).items()
            ]
            components.append(ApiComponent(name, str(schema.get("description", "")), rows))
        return groups, components

    def api_reference(self) -> None:
        import sharedsvc

        documented = {module for module, _ in API_MODULES}
        in_place: list[str] = []
        with_module: list[tuple[str, str]] = []
        for name in sharedsvc.__all__:
            if name == "__version__":
                continue
            module = str(getattr(getattr(sharedsvc, name), "__module__", "sharedsvc"))
            if module in documented:
                with_module.append((name, module))
            else:
                in_place.append(name)  # documented on the package page, as sharedsvc.<name>
        self.render(
            "api-package.md.jinja2",
            "reference/api/index.md",
            in_place=in_place,
            with_module=with_module,
            version=sharedsvc.__version__,
            modules=API_MODULES,
        )
        self.site.api_nav = [{"Package sharedsvc": "reference/api/index.md"}]
        for module, title in API_MODULES:
            path = f"reference/api/{module.rsplit('.', 1)[-1]}.md"
            self.render("api-module.md.jinja2", path, module=module, title=title)
            self.site.api_nav.append({title: path})


#: Modules documented in the Python API reference besides the package itself.
API_MODULES: Final = (
    ("sharedsvc.validation", "Validation"),
    ("sharedsvc.process", "Process engine"),
    ("sharedsvc.design", "Design meta-model"),
)


def _dump_yaml(value: object) -> str:
    return yaml.safe_dump(
        value, sort_keys=True, allow_unicode=True, width=100, default_flow_style=False
    )


def generate_site(registry: Registry | None = None, schemas_dir: Path | None = None) -> Site:
    """Every generated page and download of the documentation site."""
    reg = registry or default_registry()
    return _Builder(reg, schemas_dir or data_root() / "schemas").build()


def nav_with_generated(nav: Iterable[Any], site: Site) -> list[Any]:
    """mkdocs ``nav`` with the generated design and value set entries filled in.

    The hand-written ``mkdocs.yml`` names placeholders (``designs/index.md``,
    ``reference/valuesets/index.md``, ``reference/api/index.md``); each is
    replaced by that page followed by the generated pages of its kind, so new designs appear in the
    navigation, grouped by domain, without anyone editing ``mkdocs.yml``.
    """
    fills = {
        CATALOGUE_PAGE: [{"Catalogue": CATALOGUE_PAGE}, *site.designs_nav],
        f"{VALUESETS_DIR}/index.md": site.valuesets_nav,
        "reference/api/index.md": site.api_nav,
    }

    def walk(items: Iterable[Any]) -> list[Any]:
        out: list[Any] = []
        for item in items:
            if isinstance(item, Mapping):
                for title, value in item.items():
                    if isinstance(value, str) and value in fills:
                        out.append({title: fills[value]})
                    elif isinstance(value, list):
                        out.append({title: walk(value)})
                    else:
                        out.append({title: value})
            elif isinstance(item, list):
                out.append(walk(item))
            else:
                out.append(item)
        return out

    return walk(nav)
