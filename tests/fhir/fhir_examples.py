"""Shared data of the FHIR tests: the mapped designs' valid records.

(A helper module rather than a conftest: ``tests/fhir`` is not a package, so that
it does not hide the ``fhir`` namespace of fhir.resources.)
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from sharedsvc.fhir import mapped_designs
from sharedsvc.registry import default_registry

REGISTRY = default_registry()


def valid_records() -> list[tuple[str, str, BaseModel]]:
    """(design id, example name, record) of every valid example of every mapped design."""
    out = []
    for design_id in mapped_designs():
        model = REGISTRY.record_model(design_id)
        for example in REGISTRY.examples(design_id):
            if example.valid:
                out.append((design_id, example.name, model.model_validate(example.payload)))
    return out


VALID = valid_records()


def ids(item: tuple[str, str, Any]) -> str:
    return f"{item[0]}:{item[1]}"
