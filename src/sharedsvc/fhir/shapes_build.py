"""Build the shape table of the FHIR R4B resources sharedsvc maps, from fhir.resources.

The compiled structural check (:mod:`sharedsvc.fhir.structure`) must give the
same verdict as constructing the resources with fhir.resources, without paying
for fhir.resources at run time. So the facts it checks (which elements each
type has, their JSON names, types, cardinality, which are required, which
choice elements are exclusive, the codes of required bindings) are read here
from the fhir.resources R4B model classes themselves and written to
``r4b_shapes.json``, committed beside this module. Run
``python -m sharedsvc.fhir.generate`` to rewrite it (``--check`` to compare);
a test does the same, so a new fhir.resources version that changes a shape is
caught.

This module imports fhir.resources and is only used to generate the table.
"""

from __future__ import annotations

import typing
from importlib import import_module
from importlib.metadata import version
from typing import Any, Final

#: Resource types whose shapes are checked by the compiled check: those sharedsvc maps
#: now, those its planned designs will map, and the ones UK Core examples bundle.
RESOURCE_TYPES: Final = (
    "Bundle",
    "CarePlan",
    "CareTeam",
    "Communication",
    "Composition",
    "Condition",
    "Consent",
    "DocumentReference",
    "Encounter",
    "EpisodeOfCare",
    "Flag",
    "Goal",
    "List",
    "Location",
    "Observation",
    "OperationOutcome",
    "Organization",
    "Patient",
    "Practitioner",
    "PractitionerRole",
    "Provenance",
    "Questionnaire",
    "QuestionnaireResponse",
    "RelatedPerson",
    "ServiceRequest",
    "Task",
)

_PACKAGE: Final = "fhir.resources.R4B"


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """The item type of a field annotation, and whether the field is a list."""
    is_list = False
    while True:
        origin = typing.get_origin(annotation)
        args = typing.get_args(annotation)
        if origin is typing.Union or str(origin) == "<class 'types.UnionType'>":
            non_none = [a for a in args if a is not type(None)]
            if len(non_none) != 1:
                # Union[str, List[str]] is fhir_comments, handled by the caller.
                return annotation, is_list
            annotation = non_none[0]
        elif origin in (list, typing.List):  # noqa: UP006 - fhir.resources spells it typing.List
            is_list = True
            annotation = args[0]
        else:
            return annotation, is_list


def _primitive_name(annotation: Any) -> str | None:
    if annotation is bool:
        return "boolean"
    if typing.get_origin(annotation) is typing.Annotated:
        base, *metadata = typing.get_args(annotation)
        for meta in metadata:
            name = getattr(meta, "__visit_name__", None)
            if isinstance(name, str):
                return name
        if getattr(base, "__name__", "") == "UUID":  # pydantic's UUID4
            return "uuid"
    return None


def _element(
    cls: Any, field_name: str, info: Any, required_primitives: set[str], found: dict[str, str]
) -> dict[str, Any]:
    item, is_list = _unwrap(info.annotation)
    entry: dict[str, Any] = {}
    primitive = _primitive_name(item)
    if primitive is not None:
        entry["type"] = primitive
    else:
        klass = getattr(item, "_model_klass", None)
        if not isinstance(klass, str):
            raise TypeError(f"{cls.__name__}.{field_name}: cannot read type {item!r}")
        entry["type"] = klass.rsplit(".", 1)[1]
        found[entry["type"]] = klass
    if is_list:
        entry["list"] = True
    if info.is_required():
        entry["required"] = True
    elif info.alias in required_primitives:
        entry["required"] = "value-or-extension"
    extra = info.json_schema_extra or {}
    codes = list(extra.get("enum_values") or ())
    # fhir.resources abbreviates long code lists with "+" (as the spec's short text
    # does); a partial list cannot be checked, so only complete ones are kept.
    if codes and "+" not in codes:
        entry["enum"] = codes
    if extra.get("one_of_many"):
        entry["choice"] = extra["one_of_many"]
        if extra.get("one_of_many_required"):
            entry["choiceRequired"] = True
    return entry


def _shape(cls: Any, found: dict[str, str]) -> dict[str, Any]:
    instance = cls.model_construct()
    required_primitives = {name for name, _ext in instance.get_required_fields()}
    elements: dict[str, Any] = {}
    for field_name, info in cls.model_fields.items():
        if field_name == "fhir_comments" or field_name.endswith("__ext"):
            continue
        if field_name == "resource_type":
            continue
        elements[info.alias or field_name] = _element(
            cls, field_name, info, required_primitives, found
        )
    # FHIR's element order, which emitted JSON follows so that it reads like the spec.
    sequence = [name for name in cls.elements_sequence() if name in elements]
    shape: dict[str, Any] = {"elements": dict(sorted(elements.items())), "sequence": sequence}
    if cls.has_resource_base():
        shape["resource"] = True
    return shape


def build() -> dict[str, Any]:
    """The shape table: every type reachable from :data:`RESOURCE_TYPES`."""
    types: dict[str, Any] = {}
    pending = list(RESOURCE_TYPES)
    found = {name: f"{_PACKAGE}.{name.lower()}.{name}" for name in RESOURCE_TYPES}
    while pending:
        name = pending.pop()
        if name in types:
            continue
        module, _, class_name = found[name].rpartition(".")
        shape = _shape(getattr(import_module(module), class_name), found)
        types[name] = shape
        for element in shape["elements"].values():
            type_name = element["type"]
            if type_name[0].isupper() and type_name not in types and type_name != "Resource":
                pending.append(type_name)
    return {
        "comment": (
            "Generated from the fhir.resources R4B models by sharedsvc.fhir.shapes_build "
            "(python -m sharedsvc.fhir.generate): do not edit."
        ),
        "fhirResources": version("fhir.resources"),
        "resourceTypes": list(RESOURCE_TYPES),
        "types": dict(sorted(types.items())),
    }
