"""Published artefacts: up to date with the code, valid, deterministic and annotated."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_openapi

from sharedsvc import export
from sharedsvc.codes import CODES
from sharedsvc.registry import default_registry

REGISTRY = default_registry()


def test_schemas_folder_is_up_to_date_with_the_code() -> None:
    diffs = export.check()
    assert diffs == [], "schemas/ is stale: run `sharedsvc export`\n" + "".join(diffs)[:3000]


def test_check_reports_a_hand_edit_and_write_repairs_it(tmp_path: Path) -> None:
    export.write(tmp_path)
    assert export.check(tmp_path) == []
    target = tmp_path / "adult-social-care" / "contact.schema.json"
    target.write_text(target.read_text(encoding="utf-8").replace("Contact", "Kontakt"))
    (tmp_path / "stale.json").write_text("{}\n")
    diffs = export.check(tmp_path)
    assert len(diffs) == 2 and "Kontakt" in diffs[0] + diffs[1]
    assert sorted(export.write(tmp_path)) == ["adult-social-care/contact.schema.json", "stale.json"]
    assert export.check(tmp_path) == []


def test_generation_is_deterministic() -> None:
    assert export.generate() == export.generate()
    for name, text in export.generate().items():
        assert text.endswith("\n") and not text.endswith("\n\n"), name
        assert "do not edit" in text, name


def test_record_schemas_are_valid_2020_12_with_id_and_classifications() -> None:
    for design in REGISTRY.designs():
        schema = export.record_schema(design)
        Draft202012Validator.check_schema(schema)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert schema["$id"] == f"urn:sharedsvc:schema:{design.id}:{design.version}"
        for owner in [schema, *schema.get("$defs", {}).values()]:
            for name, prop in owner.get("properties", {}).items():
                if owner.get("title") != "Coding":
                    assert prop.get("x-classification"), (owner.get("title"), name)
                assert prop.get("description"), (owner.get("title"), name)


def test_value_set_bindings_are_enums_in_the_schema() -> None:
    schema = export.record_schema(REGISTRY.get("adult-social-care/contact"))
    route = schema["properties"]["routeOfAccess"]
    assert route["x-valueset"] == "asc-request-route-of-access"
    assert "Prison" in route["enum"]


def test_the_openapi_document_is_valid_openapi_3_1() -> None:
    text = (REGISTRY.root / "schemas" / "openapi.yaml").read_text(encoding="utf-8")
    document = yaml.safe_load(text)
    validate_openapi(document)
    assert document["openapi"] == "3.1.0"


def test_openapi_has_the_reference_operations_for_every_design() -> None:
    document = export.openapi_document()
    for design in REGISTRY.designs():
        base = f"/{design.id}"
        assert "post" in document["paths"][f"{base}/records"]
        assert "get" in document["paths"][f"{base}/records/{{recordId}}"]
        events = document["paths"][f"{base}/cases/{{caseId}}/events"]["post"]
        schema = events["requestBody"]["content"]["application/json"]["schema"]
        assert schema["properties"]["event"]["enum"] == design.process.events
        assert "get" in document["paths"][f"{base}/cases/{{caseId}}/deadlines"]


def test_problem_details_carry_every_issue_code() -> None:
    document = export.openapi_document()
    issue = document["components"]["schemas"]["Issue"]
    assert set(issue["properties"]["code"]["enum"]) == set(CODES)
    problem = document["components"]["schemas"]["Problem"]
    assert {"type", "title", "status"} <= set(problem["required"])


def test_the_design_meta_schema_is_published() -> None:
    schema = json.loads((REGISTRY.root / "schemas" / "design.schema.json").read_text())
    Draft202012Validator.check_schema(schema)
    assert "process" in schema["properties"]
