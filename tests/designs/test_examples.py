"""Every example of every design is a conformance vector, run through the model and the schema.

Valid examples must raise no issue; invalid ones exactly the (code, path) pairs they name.
The exported JSON Schema must give the same verdict as the pydantic model, except where the
expected codes are checks JSON Schema cannot express (``in_schema=False`` in the registry).
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from sharedsvc import validate
from sharedsvc.codes import CODES
from sharedsvc.export import record_schema
from sharedsvc.registry import Example, ExpectedIssue, default_registry

REGISTRY = default_registry()
EXAMPLES = [e for design_id in REGISTRY.ids for e in REGISTRY.examples(design_id)]


def _id(example: Example) -> str:
    return f"{example.design_id}:{'valid' if example.valid else 'invalid'}/{example.name}"


@cache
def _schema_validator(design_id: str) -> Draft202012Validator:
    schema = record_schema(REGISTRY.get(design_id))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker())


def test_every_design_has_at_least_four_valid_and_six_invalid_examples() -> None:
    for design_id in REGISTRY.ids:
        examples = REGISTRY.examples(design_id)
        assert sum(e.valid for e in examples) >= 4, design_id
        assert sum(not e.valid for e in examples) >= 6, design_id


@pytest.mark.parametrize("example", EXAMPLES, ids=_id)
def test_example_raises_exactly_the_issues_it_expects(example: Example) -> None:
    report = validate(example.design_id, example.payload)
    got = {ExpectedIssue(i.code, i.path) for i in report.issues}
    assert got == set(example.expect)
    if example.valid:
        assert report.valid


@pytest.mark.parametrize("example", EXAMPLES, ids=_id)
def test_json_schema_agrees_with_the_model(example: Example) -> None:
    errors = list(_schema_validator(example.design_id).iter_errors(example.payload))
    if example.valid:
        assert errors == [], [e.message for e in errors]
        return
    schema_can_see = [e for e in example.expect if CODES[e.code].in_schema]
    if schema_can_see:
        assert errors, f"the schema accepts an example the model rejects with {schema_can_see}"
    else:
        assert errors == [], "the schema rejects what only sharedsvc's own checks should catch"


@pytest.mark.parametrize("example", [e for e in EXAMPLES if not e.valid], ids=_id)
def test_messages_hold_no_values_of_personal_fields(example: Example) -> None:
    schema = record_schema(REGISTRY.get(example.design_id))
    values = {v for v in _personal_strings(schema, schema, example.payload, None) if len(v) >= 3}
    report = validate(example.design_id, example.payload)
    assert values, "every invalid example carries some personal data to leak"
    for issue in report.issues:
        assert not any(v in issue.message for v in values), issue


def _personal_strings(root: Any, schema: Any, value: Any, cls: str | None) -> list[str]:
    """Strings of the payload under fields classified personal or special category.

    Walks the payload alongside the exported JSON Schema, so it also proves the schema
    carries the classification annotations. Unknown fields count as personal.
    """
    if "$ref" in schema:
        schema = root["$defs"][schema["$ref"].rsplit("/", 1)[1]]
    cls = schema.get("x-classification", cls)
    for branch in schema.get("anyOf", []):
        if branch.get("type") != "null":
            return _personal_strings(root, branch, value, cls)
    if isinstance(value, dict):
        props = schema.get("properties", {})
        return [
            s
            for k, v in value.items()
            for s in _personal_strings(root, props.get(k, {}), v, cls if k in props else "x")
        ]
    if isinstance(value, list):
        return [s for v in value for s in _personal_strings(root, schema.get("items", {}), v, cls)]
    if cls == "non-personal":
        return []
    if isinstance(value, bool) or value is None:
        return []  # 'true' or 'null' tell nothing about a person, and messages may say them
    return [value] if isinstance(value, str) else [json.dumps(value)]


@pytest.mark.parametrize("design_id", REGISTRY.ids)
def test_every_business_rule_is_exercised_by_an_invalid_example(design_id: str) -> None:
    from sharedsvc.validation import rules_for

    expected = {e.code for ex in REGISTRY.examples(design_id) for e in ex.expect}
    missing = [r.code.code for r in rules_for(design_id) if r.code.code not in expected]
    # Warnings do not make a payload invalid, so a valid-with-warning case is tested elsewhere.
    missing = [c for c in missing if CODES[c].severity.blocks]
    assert missing == []
