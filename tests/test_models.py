"""Every field of every record model is described and classified (information governance)."""

from __future__ import annotations

import typing
from collections.abc import Iterator

import pytest
from pydantic import BaseModel

from sharedsvc.ig import REDACTED, Classification, classification_of, redact
from sharedsvc.registry import default_registry
from sharedsvc.terminology import Coding

REGISTRY = default_registry()


def _nested_models(model: type[BaseModel], seen: set[type[BaseModel]]) -> Iterator[type[BaseModel]]:
    if model in seen:
        return
    seen.add(model)
    yield model
    for info in model.model_fields.values():
        for arg in _flatten(info.annotation):
            if isinstance(arg, type) and issubclass(arg, BaseModel):
                yield from _nested_models(arg, seen)


def _flatten(annotation: object) -> Iterator[object]:
    yield annotation
    for arg in typing.get_args(annotation):
        yield from _flatten(arg)


def _all_models() -> list[type[BaseModel]]:
    seen: set[type[BaseModel]] = set()
    return [m for d in REGISTRY.designs() for m in _nested_models(REGISTRY.record_model(d), seen)]


MODELS = _all_models()


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_field_has_a_description_and_a_classification(model: type[BaseModel]) -> None:
    assert model.__doc__, f"{model.__name__} needs a docstring"
    for name, info in model.model_fields.items():
        assert info.description and info.description.strip(), f"{model.__name__}.{name}"
        if model is not Coding:  # Coding's fields are declared with the annotation directly
            assert classification_of(info) is not None, f"{model.__name__}.{name}"


def test_the_model_walk_reaches_nested_records() -> None:
    names = {m.__name__ for m in MODELS}
    assert {"Contact", "Person", "Address", "HumanName", "Organisation", "Coding"} <= names


def test_redaction_masks_personal_values_and_keeps_structure() -> None:
    example = next(e for e in REGISTRY.examples("adult-social-care/contact") if e.valid)
    record = REGISTRY.record_model("adult-social-care/contact").model_validate(example.payload)
    view = redact(record)
    assert view["person"]["names"][0]["family"] == REDACTED
    assert view["reason"] == REDACTED
    assert view["routeOfAccess"] == example.payload["routeOfAccess"]  # non-personal code kept
    assert view["council"]["gssCode"] == example.payload["council"]["gssCode"]


def test_classification_values_are_the_documented_ladder() -> None:
    assert [c.value for c in Classification] == ["non-personal", "personal", "special-category"]
    assert not Classification.NON_PERSONAL.personal
    assert Classification.SPECIAL_CATEGORY.personal
