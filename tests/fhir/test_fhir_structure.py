"""The compiled structural check gives fhir.resources' verdict, on valid and broken Bundles.

The reference verdict is constructing the Bundle with fhir.resources (R4B). For
codes of required bindings, which fhir.resources 8.3 lists on its fields
(``enum_values``) but does not enforce, the reference is fhir.resources plus a
check against those same lists. The corpus: every Bundle we emit for the
examples and for generated records, every UK Core example, and mutations of
our Bundles at every element: wrong JSON types, missing required elements,
unknown elements, two choices of one [x] element, malformed primitives, and
codes outside required bindings.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B import get_fhir_model_class
from fhir_core.fhirabstractmodel import FHIRAbstractModel
from fhir_examples import VALID
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from strategies import records

from sharedsvc.fhir import mapped_designs, to_fhir_dict
from sharedsvc.fhir.structure import PRIMITIVES, StructureChecker, checker, shape_table
from sharedsvc.registry import default_registry

UK_CORE = Path(__file__).resolve().parents[3] / "shared" / "data" / "uk-core" / "examples"
TYPES = shape_table()["types"]
STRUCTURE = checker(bindings=False)
FULL = checker(bindings=True)


# -- the reference --------------------------------------------------------------------------


def reference_structure(resource: dict[str, Any]) -> FHIRAbstractModel | None:
    """The fhir.resources object, or None when fhir.resources refuses the JSON."""
    try:
        return get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    except (ValidationError, KeyError):
        return None


def reference_codes_ok(model: Any) -> bool:
    """Whether every code of a complete ``enum_values`` list on the objects is in it."""
    if isinstance(model, list):
        return all(reference_codes_ok(item) for item in model)
    if not isinstance(model, FHIRAbstractModel):
        return True
    for name, info in type(model).model_fields.items():
        value = getattr(model, name, None)
        if value is None:
            continue
        codes = (info.json_schema_extra or {}).get("enum_values")  # type: ignore[union-attr]
        if codes and "+" not in codes and isinstance(value, str) and value not in codes:
            return False
        if not reference_codes_ok(value):
            return False
    return True


def assert_same_verdicts(resource: dict[str, Any]) -> None:
    model = reference_structure(resource)
    ours = STRUCTURE.check(resource)
    assert (not ours) == (model is not None), [(f.path, f.code, f.detail) for f in ours]
    reference_full = model is not None and reference_codes_ok(model)
    assert (not FULL.check(resource)) == reference_full


# -- the corpus -----------------------------------------------------------------------------


def _bundles() -> list[tuple[str, dict[str, Any]]]:
    return [(f"{d}:{n}", to_fhir_dict(r)) for d, n, r in VALID]


BUNDLES = _bundles()


def _walk(value: Any, type_name: str) -> Iterator[tuple[dict[str, Any], str, dict[str, Any]]]:
    """Every (object, element name, element spec) present in a JSON value of ``type_name``."""
    if type_name == "Resource":
        if isinstance(value, dict) and value.get("resourceType") in TYPES:
            yield from _walk(value, value["resourceType"])
        return
    shape = TYPES.get(type_name)
    if shape is None or not isinstance(value, dict):
        return
    for key in list(value):
        spec = shape["elements"].get(key)
        if spec is None:
            continue
        yield value, key, spec
        items = value[key] if spec.get("list") else [value[key]]
        for item in items:
            yield from _walk(item, spec["type"])


def _objects(value: Any, type_name: str) -> Iterator[tuple[dict[str, Any], str]]:
    """Every JSON object of a complex type (with its type) in a value."""
    if type_name == "Resource" and isinstance(value, dict):
        type_name = value.get("resourceType", "")
    if type_name not in TYPES or not isinstance(value, dict):
        return
    yield value, type_name
    for key, spec in TYPES[type_name]["elements"].items():
        if key in value:
            for item in value[key] if spec.get("list") else [value[key]]:
                yield from _objects(item, spec["type"])


Mutation = tuple[str, Callable[[dict[str, Any]], None]]


def mutations(bundle: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(description, mutated copy) for every element of every kind of mutation."""
    count = sum(1 for _ in _walk(bundle, "Bundle"))
    for number in range(count):
        for kind in ("wrong-type", "bad-format", "bad-code"):
            mutated = copy.deepcopy(bundle)
            target = list(_walk(mutated, "Bundle"))[number]
            description = _mutate_element(kind, *target)
            if description:
                yield description, mutated
    objects = sum(1 for _ in _objects(bundle, "Bundle"))
    for number in range(objects):
        for kind in ("unknown", "missing", "two-choices"):
            mutated = copy.deepcopy(bundle)
            obj, type_name = list(_objects(mutated, "Bundle"))[number]
            for description in _mutate_object(kind, obj, type_name):
                yield description, mutated
                break


def _mutate_element(kind: str, obj: dict[str, Any], key: str, spec: dict[str, Any]) -> str | None:
    type_name = spec["type"]
    if type_name == "Resource":
        return None
    if kind == "wrong-type":
        if spec.get("list"):
            obj[key] = obj[key][0]  # an object (or value) where an array belongs
            return f"{key}: not an array"
        obj[key] = {"not": "a value"} if type_name in PRIMITIVES else "not an object"
        return f"{key}: wrong JSON type"
    if spec.get("list") or type_name not in PRIMITIVES:
        return None
    if kind == "bad-format":
        bad = {
            "date": "2021-02-30",
            "dateTime": "2021-02-30",
            "instant": "2021-13-01T00:00:00Z",
            "id": "a_b",
            "code": "two  spaces",
            "string": "",
            "positiveInt": 0,
        }
        if type_name not in bad or "enum" in spec:
            return None
        obj[key] = bad[type_name]
        return f"{key}: malformed {type_name}"
    if kind == "bad-code" and "enum" in spec:
        obj[key] = "not-a-code"
        return f"{key}: code outside its required binding"
    return None


def _mutate_object(kind: str, obj: dict[str, Any], type_name: str) -> Iterator[str]:
    elements = TYPES[type_name]["elements"]
    if kind == "unknown":
        obj["colour"] = "red"
        yield f"{type_name}: unknown element"
    elif kind == "missing":
        for name, spec in elements.items():
            if spec.get("required") and name in obj:
                del obj[name]
                yield f"{type_name}.{name}: required element removed"
                return
    elif kind == "two-choices" and type_name == "Extension":
        present = [n for n in obj if n.startswith("value")]
        if present:
            obj["valueString" if present[0] != "valueString" else "valueBoolean"] = (
                "x" if present[0] != "valueString" else True
            )
            yield "Extension: two value[x]"


def _mutated_corpus() -> list[tuple[str, dict[str, Any]]]:
    out = []
    for name, bundle in BUNDLES:
        for description, mutated in mutations(bundle):
            out.append((f"{name} {description}", mutated))
    return out


MUTATED = _mutated_corpus()


# -- the tests ------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "bundle"), BUNDLES, ids=[n for n, _ in BUNDLES])
def test_the_bundles_we_emit_pass_fhir_resources_and_our_check(
    name: str, bundle: dict[str, Any]
) -> None:
    assert reference_structure(bundle) is not None
    assert FULL.check(bundle) == []


def test_the_mutation_corpus_covers_every_kind_of_mistake() -> None:
    kinds = {
        "not an array",
        "wrong JSON type",
        "malformed",
        "code outside",
        "unknown element",
        "required element removed",
        "two value[x]",
    }
    seen = {k for k in kinds for description, _ in MUTATED if k in description}
    assert seen == kinds
    assert len(MUTATED) > 500


def test_every_mutated_bundle_gets_the_verdict_of_fhir_resources() -> None:
    disagreements = []
    for description, bundle in MUTATED:
        model = reference_structure(bundle)
        ours = STRUCTURE.check(bundle)
        if (not ours) != (model is not None):
            disagreements.append((description, [(f.path, f.code) for f in ours][:2]))
            continue
        reference_full = model is not None and reference_codes_ok(model)
        if (not FULL.check(bundle)) != reference_full:
            disagreements.append((description, "bindings"))
    assert disagreements == []


def test_codes_outside_required_bindings_pass_fhir_resources_but_not_our_binding_check() -> None:
    bad_codes = [(d, b) for d, b in MUTATED if "code outside" in d]
    assert bad_codes
    for description, bundle in bad_codes:
        assert reference_structure(bundle) is not None, description  # fhir.resources 8.3
        assert STRUCTURE.check(bundle) == [], description
        assert [f.code for f in FULL.check(bundle)] == ["fhir.code-binding"], description


@pytest.mark.parametrize(
    "path", sorted(UK_CORE.glob("*.json")), ids=lambda p: p.stem.removeprefix("UKCore-")
)
def test_every_uk_core_example_gets_the_verdict_of_fhir_resources(path: Path) -> None:
    if not UK_CORE.is_dir():
        pytest.skip("UK Core examples not found")
    assert_same_verdicts(json.loads(path.read_text("utf-8")))


@pytest.mark.parametrize("design_id", mapped_designs())
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_bundles_of_generated_records_get_the_verdict_of_fhir_resources(
    design_id: str, data: st.DataObject
) -> None:
    model = default_registry().record_model(design_id)
    bundle = to_fhir_dict(data.draw(records(model, fhir=True)))
    assert_same_verdicts(bundle)
    assert FULL.check(bundle) == []


#: Where FHIR's JSON format is stricter than fhir.resources' lax parsing, the check
#: follows FHIR; each case is one fhir.resources accepts and we refuse.
STRICTER_THAN_FHIR_RESOURCES = [
    ("a boolean written as a string", {"active": "true"}),
    ("an integer written as a float", {"multipleBirthInteger": 2.0}),
    ("a null value", {"birthDate": None}),
    ("a Python attribute name", {"birthDate__ext": {"id": "x"}}),
]


@pytest.mark.parametrize(
    ("case", "elements"),
    STRICTER_THAN_FHIR_RESOURCES,
    ids=[c for c, _ in STRICTER_THAN_FHIR_RESOURCES],
)
def test_where_fhir_json_is_stricter_we_follow_fhir(case: str, elements: dict[str, Any]) -> None:
    patient = {"resourceType": "Patient", **elements}
    assert reference_structure(patient) is not None
    assert STRUCTURE.check(patient) != []


def test_problems_are_located_with_fhirpath_like_paths() -> None:
    bundle = copy.deepcopy(BUNDLES[0][1])
    patient = next(e for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient")
    position = bundle["entry"].index(patient)
    patient["resource"]["name"][0]["family"] = 7
    patient["resource"]["birthDate"] = "1958-02-30"
    patient["resource"]["gender"] = "M"
    found = {(f.path, f.code) for f in FULL.check(bundle)}
    at = f"Bundle.entry[{position}].resource"
    assert found == {
        (f"{at}.name[0].family", "fhir.structure"),
        (f"{at}.birthDate", "fhir.value-format"),
        (f"{at}.gender", "fhir.code-binding"),
    }


def test_a_resource_type_outside_the_table_is_checked_by_fhir_resources() -> None:
    assert "Immunization" not in STRUCTURE.resource_types
    good = {
        "resourceType": "Immunization",
        "status": "completed",
        "vaccineCode": {"text": "x"},
        "patient": {"reference": "Patient/1"},
        "occurrenceString": "spring",
    }
    assert STRUCTURE.check(good) == []
    assert STRUCTURE.check({**good, "colour": "red"}) != []
    without_fallback = StructureChecker(shape_table(), bindings=False)
    assert [f.code for f in without_fallback.check(good)] == ["fhir.structure"]
