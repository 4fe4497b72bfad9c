"""The mapping table comes from the declaration and leaves no canonical field out."""

from __future__ import annotations

from typing import Any, get_args, get_origin

import pytest
from pydantic import BaseModel

from sharedsvc.fhir import mapped_designs, mapping_table, ukcore
from sharedsvc.fhir.paths import MappingDeclarationError, compile_path
from sharedsvc.registry import default_registry

REGISTRY = default_registry()


def _record_class(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _record_class(arg)
        if found is not None:
            return found
    return None


def _is_list(annotation: Any) -> bool:
    return get_origin(annotation) is list or any(
        get_origin(a) is list for a in get_args(annotation)
    )


def field_paths(model: type[BaseModel], prefix: str = "") -> set[str]:
    """Every field of a record, nested ones included, as the table names them."""
    paths: set[str] = set()
    for name, info in model.model_fields.items():
        label = f"{prefix}.{info.alias or name}" if prefix else (info.alias or name)
        paths.add(label)
        nested = _record_class(info.annotation)
        if nested is not None and nested.__module__.startswith("sharedsvc.models"):
            paths |= field_paths(nested, label + ("[]" if _is_list(info.annotation) else ""))
    return paths


@pytest.mark.parametrize("design_id", mapped_designs())
def test_every_field_of_the_record_has_a_row(design_id: str) -> None:
    rows = mapping_table(design_id)
    assert rows is not None
    mapped = {row["field"] for row in rows}
    missing = {
        path
        for path in field_paths(REGISTRY.record_model(design_id)) - mapped
        # a nested record mapped onto its parent's resource is covered by its fields' rows
        if not any(m.startswith(f"{path}.") for m in mapped)
    }
    assert missing == set()


@pytest.mark.parametrize("design_id", mapped_designs())
def test_rows_name_a_resource_its_uk_core_profile_and_an_element(design_id: str) -> None:
    rows = mapping_table(design_id)
    assert rows
    for row in rows:
        assert set(row) == {"field", "resource", "element", "profile", "note"}
        assert row["resource"] and row["element"]
        if row["resource"] in ukcore.PROFILES:
            expected = f"https://fhir.hl7.org.uk/StructureDefinition/UKCore-{row['resource']}"
        else:
            # UK Core profiles no such resource (a Goal): the base FHIR R4 profile.
            expected = f"http://hl7.org/fhir/StructureDefinition/{row['resource']}"
        assert row["profile"] == expected


def test_a_design_without_a_mapping_has_no_table() -> None:
    assert mapping_table("no-such/design") is None


def test_the_contact_table_says_where_the_nhs_number_and_the_council_go() -> None:
    rows = {
        (r["field"], r["resource"]): r for r in mapping_table("adult-social-care/contact") or []
    }
    nhs = rows[("person.nhsNumber", "Patient")]
    assert nhs["element"] == "identifier[system=https://fhir.nhs.uk/Id/nhs-number]"
    assert rows[("council", "ServiceRequest")]["element"] == "performer[0]"
    assert rows[("council.gssCode", "Organization")]["note"]


def test_a_misspelt_element_is_refused_when_the_mapping_loads() -> None:
    with pytest.raises(MappingDeclarationError):
        compile_path("birthdate", "Patient")
    with pytest.raises(MappingDeclarationError):
        compile_path("name.family", "Patient")  # which name?
    assert compile_path("name[0].family", "Patient").target_type == "string"
