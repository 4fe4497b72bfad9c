"""Design files: safe loading, errors that name file, line and field, and cross-checks."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from sharedsvc.design import DesignError, load_design, parse_design
from sharedsvc.registry import default_registry

PILOT = default_registry().designs_dir / "adult-social-care" / "contact" / "design.yaml"
TEXT = PILOT.read_text(encoding="utf-8")


def _error(text: str) -> DesignError:
    with pytest.raises(DesignError) as info:
        parse_design(text, "design.yaml")
    return info.value


def test_the_pilot_design_loads() -> None:
    design = load_design(PILOT)
    assert design.id == "adult-social-care/contact"
    assert design.process.initial == "received"
    assert design.lgsl[0].uri == "http://id.esd.org.uk/service/1743"


def test_a_wrong_field_value_names_file_line_and_field() -> None:
    err = _error(TEXT.replace("status: active", "status: live"))
    assert err.path == "design.yaml"
    assert err.field == "status"
    assert err.line == TEXT.splitlines().index("status: active") + 1
    assert "design.yaml, line" in str(err)


def test_a_nested_error_points_at_the_nested_line() -> None:
    err = _error(TEXT.replace("limit: 3\n", "limit: -3\n"))
    assert err.field == "process.clocks.0.limit"
    assert err.line == TEXT.splitlines().index("      limit: 3") + 1


def test_yaml_syntax_errors_name_the_line() -> None:
    err = _error("id: a/b\ntitle: [unclosed\nversion: 1.0.0\n")
    assert err.line is not None and err.line >= 2
    assert "not valid YAML" in err.problem


def test_anchors_and_aliases_are_refused() -> None:
    bomb = 'a: &a ["x","x"]\nb: &b [*a,*a]\nc: &c [*b,*b]\n'
    err = _error(bomb)
    assert "aliases" in err.problem


def test_python_object_tags_are_refused() -> None:
    err = _error("id: !!python/object/apply:os.system ['echo hi']\n")
    assert "not valid YAML" in err.problem


def test_a_design_must_be_a_mapping() -> None:
    assert "mapping" in _error("- just\n- a list\n").problem


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (("to: screening\n", "to: nowhere\n"), "unknown state 'nowhere'"),
        (("initial: received", "initial: limbo"), "initial state 'limbo'"),
        (("      start: received\n", "      start: nowhere\n"), "clock 'screening-decision'"),
        (
            (
                "actors: [contact-officer, social-worker]\n      guard: Information",
                "actors: [nobody]\n      guard: Information",
            ),
            "unknown actor 'nobody'",
        ),
        (("version: 1.0.0\nstatus", "version: 1.1.0\nstatus"), "newest changelog entry"),
        (("version: 1.0.0\nstatus", "version: one\nstatus"), "semantic version"),
        (
            (
                "    - event: start-screening\n      from: received\n      to: screening\n",
                "    - event: start-screening\n      from: received\n      to: signposted\n",
            ),
            "cannot be reached",
        ),
    ],
)
def test_cross_checks_find_broken_processes(change: tuple[str, str], problem: str) -> None:
    old, new = change
    assert old in TEXT
    assert problem in _error(TEXT.replace(old, new, 1)).problem


def test_a_statutory_clock_needs_a_reference() -> None:
    err = _error(TEXT.replace("basis: local-policy", "basis: statute", 1))
    assert "needs a reference" in err.problem


def test_the_id_must_match_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "adult-social-care" / "elsewhere"
    folder.mkdir(parents=True)
    (folder / "design.yaml").write_text(TEXT, encoding="utf-8")
    with pytest.raises(DesignError, match="does not match its folder"):
        load_design(folder / "design.yaml")


def test_unreadable_and_non_utf8_files_are_design_errors(tmp_path: Path) -> None:
    with pytest.raises(DesignError, match="cannot be read"):
        load_design(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"id: \xff\n")
    with pytest.raises(DesignError, match="not UTF-8"):
        load_design(bad)


def test_the_shipped_meta_schema_describes_every_design_file() -> None:
    import json

    from jsonschema import Draft202012Validator

    schema_path = default_registry().root / "schemas" / "design.schema.json"
    validator = Draft202012Validator(json.loads(schema_path.read_text(encoding="utf-8")))
    for design_id in default_registry().ids:
        path = default_registry().design_dir(design_id) / "design.yaml"
        # Editors treat YAML dates as strings, as the JSON the schema describes does.
        data = json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))
        assert not list(validator.iter_errors(data)), design_id
