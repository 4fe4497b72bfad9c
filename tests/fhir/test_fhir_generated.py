"""Generated FHIR files are up to date: the shape table and every design's FHIR examples."""

from __future__ import annotations

from sharedsvc.fhir.generate import FIX_COMMAND, check, expected_files, main
from sharedsvc.registry import default_registry


def test_generated_fhir_files_match_what_the_mappings_and_fhir_resources_give() -> None:
    registry = default_registry()
    diffs = check(expected_files(registry), registry)
    assert diffs == [], f"run: {FIX_COMMAND}\n" + "".join(diffs)[:4000]


def test_every_valid_example_of_a_mapped_design_has_its_fhir_bundle() -> None:
    registry = default_registry()
    files = {path for path, _ in expected_files(registry, shapes=False)}
    assert files
    for path in files:
        assert path.parent.name == "fhir"
        assert (path.parent.parent / "valid" / path.name).is_file()


def test_check_mode_exits_one_when_a_file_drifts(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    registry = default_registry()
    path, text = expected_files(registry, shapes=False)[0]
    original = path.read_text("utf-8")
    try:
        path.write_text(text.replace('"collection"', '"document"'), "utf-8")
        assert main(["--check", "--no-shapes"]) == 1
    finally:
        path.write_text(original, "utf-8")
    assert main(["--check", "--no-shapes"]) == 0
