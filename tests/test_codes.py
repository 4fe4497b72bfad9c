"""The issue code registry is complete and every code in it is raised by something."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sharedsvc import codes
from sharedsvc.registry import default_registry
from sharedsvc.validation import make_issue, rules_for

SRC = Path(__file__).resolve().parents[1] / "src" / "sharedsvc"


def _load_all_rules() -> None:
    for design_id in default_registry().ids:
        rules_for(design_id)


def test_every_registered_code_is_raised_somewhere_in_the_source() -> None:
    _load_all_rules()
    sources = "\n".join(
        p.read_text(encoding="utf-8") for p in SRC.rglob("*.py") if p.name != "codes.py"
    )
    unraised = [c for c in codes.CODES if f'"{c}"' not in sources]
    assert unraised == []


def test_every_code_raised_in_the_source_is_registered() -> None:
    _load_all_rules()
    pattern = re.compile(
        r'PydanticCustomError\(\s*"([a-z0-9.-]+)"|make_issue\(\s*"([a-z0-9.-]+)"'
        r'|ProcessError\(\s*"([a-z0-9.-]+)"'
    )
    raised = {
        g
        for p in SRC.rglob("*.py")
        for m in pattern.finditer(p.read_text(encoding="utf-8"))
        for g in m.groups()
        if g
    }
    assert raised, "the scan found no codes: the pattern is wrong"
    assert sorted(raised - set(codes.CODES)) == []


def test_an_unregistered_code_cannot_be_raised() -> None:
    with pytest.raises(KeyError, match="not registered"):
        make_issue("no.such-code")


def test_codes_are_kebab_case_with_a_dotted_prefix_and_complete_entries() -> None:
    _load_all_rules()
    for code, entry in codes.CODES.items():
        assert re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)+", code), code
        assert entry.title and entry.description and entry.message and entry.example, code


def test_messages_cannot_be_given_unsafe_context() -> None:
    with pytest.raises(ValueError, match="may not appear"):
        make_issue("value.invalid", "/x", value="943 476 5919")


def test_registering_a_different_code_under_an_existing_name_is_refused() -> None:
    entry = codes.CODES["field.required"]
    clash = codes.IssueCode("field.required", entry.severity, "x", "x", "x", "x")
    with pytest.raises(ValueError, match="already registered"):
        codes.register(clash)
