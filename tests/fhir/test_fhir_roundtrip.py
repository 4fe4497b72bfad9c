"""Records survive the trip to FHIR and back, for every record the models allow.

Strategies are built from the models (:mod:`tests.fhir.strategies`). A record
FHIR cannot carry (an empty given name, a rank beyond FHIR's 32-bit integers…)
must be refused by ``to_fhir`` with a named reason, never silently changed.
"""

from __future__ import annotations

import uuid
from typing import Any

import orjson
import pytest
from fhir_examples import VALID
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel
from strategies import records

from sharedsvc.fhir import (
    FhirMappingError,
    from_fhir,
    mapped_designs,
    to_fhir,
    to_fhir_dict,
    to_fhir_json,
)
from sharedsvc.fhir.common import (
    CONSENT,
    ORGANIZATION,
    PATIENT,
    PRACTITIONER_ROLE,
    RELATED_PERSON,
)
from sharedsvc.fhir.engine import (
    NAMESPACE,
    EmitContext,
    ReadContext,
    ResourceMap,
    emit_resource,
    read_resource,
    record_key,
)
from sharedsvc.fhir.structure import PRIMITIVES
from sharedsvc.models.adult_social_care import ConsentToShare
from sharedsvc.models.common import Organisation, Person, Practitioner, RelatedPerson
from sharedsvc.registry import default_registry

REGISTRY = default_registry()
DESIGNS = mapped_designs()
FAST = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

#: Why to_fhir may refuse a record: FHIR's own limits, each named in the error.
DOCUMENTED_REFUSALS = {
    "not a valid FHIR string",  # empty or whitespace-only text (FHIR strings need content)
    "not a valid FHIR positiveInt",  # beyond FHIR's 32-bit integers
    "an empty Period cannot be written",  # FHIR elements need a value or children
    "an item uses a system or code another field maps to",  # would be read as that field
    "too large to write exactly as a FHIR decimal",  # an amount over £10 trillion, in pence
}


@pytest.mark.parametrize("design_id", DESIGNS)
@FAST
@given(data=st.data())
def test_every_record_fhir_can_carry_comes_back_equal(design_id: str, data: st.DataObject) -> None:
    record = data.draw(records(REGISTRY.record_model(design_id), fhir=True))
    bundle = to_fhir_dict(record)
    assert from_fhir(bundle) == record


@pytest.mark.parametrize("design_id", DESIGNS)
@FAST
@given(data=st.data())
def test_any_record_comes_back_equal_or_is_refused_with_a_documented_reason(
    design_id: str, data: st.DataObject
) -> None:
    record = data.draw(records(REGISTRY.record_model(design_id)))
    refusal: FhirMappingError | None = None
    try:
        bundle = to_fhir_dict(record)
    except FhirMappingError as error:
        refusal = error
    if refusal is not None:
        assert refusal.reason in DOCUMENTED_REFUSALS
        assert refusal.pointer.startswith("/")
        return
    assert from_fhir(bundle) == record


@pytest.mark.parametrize("design_id", DESIGNS)
@FAST
@given(data=st.data())
def test_a_bundle_we_emitted_is_emitted_again_unchanged(
    design_id: str, data: st.DataObject
) -> None:
    record = data.draw(records(REGISTRY.record_model(design_id), fhir=True))
    bundle = to_fhir_dict(record)
    assert to_fhir_dict(from_fhir(bundle)) == bundle


def test_a_refused_value_is_named_by_its_pointer_not_its_content() -> None:
    record: Any = next(r for d, _n, r in VALID if d == "adult-social-care/contact")
    person = record.person.model_copy(  # type: ignore[attr-defined]
        update={"names": [record.person.names[0].model_copy(update={"given": ["\u2003"]})]}  # type: ignore[attr-defined]
    )
    broken = record.model_copy(update={"person": person})
    with pytest.raises(FhirMappingError) as caught:
        to_fhir_dict(broken)
    assert caught.value.pointer == "/person/names/0/given/0"
    assert "\u2003" not in str(caught.value)


@pytest.mark.parametrize(
    ("design_id", "name", "record"), VALID, ids=[f"{d}:{n}" for d, n, _ in VALID]
)
def test_each_example_gives_the_same_bundle_every_time(
    design_id: str, name: str, record: BaseModel
) -> None:
    first = to_fhir_json(record)
    again = REGISTRY.record_model(design_id).model_validate(record.model_dump(by_alias=True))
    assert to_fhir_json(again) == first
    assert orjson.loads(first) == to_fhir_dict(record)


@pytest.mark.parametrize(
    ("design_id", "name", "record"), VALID, ids=[f"{d}:{n}" for d, n, _ in VALID]
)
def test_resource_ids_are_uuid5_of_design_record_and_path(
    design_id: str, name: str, record: BaseModel
) -> None:
    bundle = to_fhir_dict(record)
    root = bundle["entry"][0]
    # A record without an id (a shared care record summary) is named by a hash of it.
    record_id = getattr(record, "id", None) or record_key(design_id, record).split("|", 1)[1]
    assert record_id.startswith("sha1:") is ("id" not in type(record).model_fields)
    assert root["fullUrl"] == f"urn:uuid:{uuid.uuid5(NAMESPACE, f'{design_id}|{record_id}|/')}"
    assert root["resource"]["id"] == root["fullUrl"].removeprefix("urn:uuid:")
    urls = [e["fullUrl"] for e in bundle["entry"]]
    assert len(set(urls)) == len(urls)


@pytest.mark.parametrize(
    ("design_id", "name", "record"), VALID, ids=[f"{d}:{n}" for d, n, _ in VALID]
)
def test_the_object_api_builds_fhir_resources_objects_from_the_same_json(
    design_id: str, name: str, record: BaseModel
) -> None:
    bundle = to_fhir(record)
    assert type(bundle).__module__ == "fhir.resources.R4B.bundle"
    assert from_fhir(bundle) == record
    # fhir.resources writes UTC as "Z" where we keep "+00:00": the same instant.
    assert _utc_as_z(orjson.loads(bundle.model_dump_json())) == _utc_as_z(to_fhir_dict(record))


def _utc_as_z(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _utc_as_z(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_utc_as_z(v) for v in value]
    if isinstance(value, str) and PRIMITIVES["dateTime"][1](value) and value.endswith("+00:00"):
        return value[: -len("+00:00")] + "Z"
    return value


# -- common records on their own ------------------------------------------------------------

COMMON: list[tuple[ResourceMap, type[BaseModel]]] = [
    (PATIENT, Person),
    (ORGANIZATION, Organisation),
    (PRACTITIONER_ROLE, Practitioner),
    (RELATED_PERSON, RelatedPerson),
    (CONSENT, ConsentToShare),
]


def _round_trip(spec: ResourceMap, model: type[BaseModel], record: BaseModel) -> BaseModel:
    emit = EmitContext("test|record")
    emit.subject = {"reference": emit.urn("/subject"), "type": "Patient"}
    emit_resource(spec, record, emit, "", None)
    entries: list[tuple[str, dict[str, Any]]] = [
        (e["fullUrl"], e["resource"]) for e in emit.entries
    ]
    read = ReadContext(entries, [f"Bundle.entry[{n}].resource" for n in range(len(entries))])
    canonical: dict[str, Any] = {}
    read_resource(spec, 0, read, "", canonical)
    assert read.issues == []
    assert read.consumed == set(range(len(entries)))
    return model.model_validate_json(orjson.dumps(canonical), strict=True)


@pytest.mark.parametrize(("spec", "model"), COMMON, ids=[m.__name__ for _, m in COMMON])
@FAST
@given(data=st.data())
def test_each_common_record_comes_back_equal_from_its_own_resources(
    spec: ResourceMap, model: type[BaseModel], data: st.DataObject
) -> None:
    record = data.draw(records(model, fhir=True))
    assert _round_trip(spec, model, record) == record
