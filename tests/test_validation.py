"""The validation pipeline: every kind of bad input gives one clear issue, never a traceback."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sharedsvc import validate
from sharedsvc.codes import Severity
from sharedsvc.registry import default_registry
from sharedsvc.validation import Limits, Report, json_pointer

DESIGN = "adult-social-care/contact"
VALID = next(e for e in default_registry().examples(DESIGN) if e.valid and e.name.startswith("gp"))


def _valid() -> dict[str, Any]:
    return copy.deepcopy(VALID.payload)


def _only(report: Report) -> str:
    assert len(report.issues) == 1, report.issues
    return report.issues[0].code


def test_a_valid_payload_is_accepted_in_every_input_form(tmp_path: Path) -> None:
    text = json.dumps(_valid())
    path = tmp_path / "contact.json"
    path.write_text(text, encoding="utf-8")
    for data in (_valid(), text, text.encode(), bytearray(text.encode()), path):
        report = validate(DESIGN, data)
        assert report.valid and report.issues == (), type(data)
        assert report.record is not None


def test_the_record_is_normalised() -> None:
    record = validate(DESIGN, _valid()).record
    assert record is not None
    assert record.person.nhs_number == "9434765919"  # type: ignore[attr-defined]
    assert record.person.addresses[0].postcode == "SW1P 4DR"  # type: ignore[attr-defined]


def test_a_byte_order_mark_is_ignored() -> None:
    assert validate(DESIGN, b"\xef\xbb\xbf" + json.dumps(_valid()).encode()).valid


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b'{"id": "x",', "payload.malformed-json"),
        (b"", "payload.malformed-json"),
        (b"{'id': 'single quotes'}", "payload.malformed-json"),
        (b'{"reason": "caf\xe9"}', "payload.encoding"),
        (b"\xff\xfe{\x00}\x00", "payload.encoding"),
        (b"[" * 100_000 + b"]" * 100_000, "payload.too-deep"),
        (b'{"a":' * 65 + b"1" + b"}" * 65, "payload.too-deep"),
        (b"[" * 5000, "payload.too-deep"),
        (b"[]", "type.object"),
        (b'"a string"', "type.object"),
        (b"null", "type.object"),
    ],
)
def test_bad_bytes_give_one_clear_issue(data: bytes, code: str) -> None:
    report = validate(DESIGN, data)
    assert _only(report) == code
    assert not report.valid
    assert report.issues[0].severity in (Severity.CRITICAL, Severity.ERROR)


def test_malformed_json_names_the_line_and_column() -> None:
    report = validate(DESIGN, b'{\n  "id": "x",\n  "reason": \n}')
    assert _only(report) == "payload.malformed-json"
    assert "line 4 column 1" in report.issues[0].message


def test_size_limit_is_configurable_and_checked_before_parsing(tmp_path: Path) -> None:
    big = b'{"reason": "' + b"x" * 2000 + b'"}'
    assert _only(validate(DESIGN, big, limits=Limits(max_bytes=1000))) == "payload.too-large"
    path = tmp_path / "big.json"
    path.write_bytes(big)
    assert _only(validate(DESIGN, path, limits=Limits(max_bytes=1000))) == "payload.too-large"


def test_default_size_limit_is_ten_mebibytes() -> None:
    assert Limits().max_bytes == 10 * 1024 * 1024
    huge = b'{"reason": "' + b"x" * (10 * 1024 * 1024) + b'"}'
    assert _only(validate(DESIGN, huge)) == "payload.too-large"


def test_deep_nesting_in_a_mapping_is_refused_without_recursion() -> None:
    deep: dict[str, Any] = {}
    node = deep
    for _ in range(10_000):
        node["a"] = {}
        node = node["a"]
    assert _only(validate(DESIGN, deep)) == "payload.too-deep"


def test_a_missing_file_is_an_unreadable_payload(tmp_path: Path) -> None:
    report = validate(DESIGN, tmp_path / "nope.json")
    assert _only(report) == "payload.unreadable"
    assert report.source == str(tmp_path / "nope.json")


def test_a_mapping_with_non_json_values_is_reported() -> None:
    payload = _valid()
    payload["reason"] = object()
    assert _only(validate(DESIGN, payload)) == "value.invalid"


def test_unknown_design_is_a_programmer_error() -> None:
    with pytest.raises(KeyError, match="known designs"):
        validate("no/such-design", b"{}")


def test_wrong_argument_type_is_a_programmer_error() -> None:
    with pytest.raises(TypeError, match="cannot validate"):
        validate(DESIGN, 42)  # type: ignore[arg-type]


def test_every_problem_is_reported_not_just_the_first() -> None:
    payload = _valid()
    payload["urgency"] = "whenever"
    payload["person"]["nhsNumber"] = "12"
    payload["council"]["gssCode"] = "E14000639"
    del payload["reason"]
    codes = {(i.code, i.path) for i in validate(DESIGN, payload).issues}
    assert codes == {
        ("coding.unknown-code", "/urgency"),
        ("nhs-number.format", "/person/nhsNumber"),
        ("gss-code.not-local-authority", "/council/gssCode"),
        ("field.required", "/reason"),
    }


def test_a_warning_leaves_the_payload_valid() -> None:
    payload = _valid()
    payload["safeguardingConcern"] = True
    payload["outcome"] = "NFA: Other"
    report = validate(DESIGN, payload)
    assert report.valid
    assert report.codes == ["contact.safeguarding-closed-without-action"]
    assert report.issues[0].severity is Severity.WARNING


def test_report_serialises_to_the_documented_shape() -> None:
    payload = _valid()
    payload["urgency"] = 3
    data = validate(DESIGN, payload, source="x.json").to_dict()
    assert data == {
        "design": DESIGN,
        "source": "x.json",
        "valid": False,
        "issues": [
            {
                "path": "/urgency",
                "code": "type.string",
                "severity": "error",
                "message": "A string is expected at /urgency.",
            }
        ],
    }
    json.dumps(data)


def test_json_pointer_escapes_slash_and_tilde() -> None:
    assert json_pointer(["a/b", "c~d", 0]) == "/a~1b/c~0d/0"


NHS_NUMBERS = st.from_regex(r"[0-9]{10}", fullmatch=True)


@settings(max_examples=60, deadline=None)
@given(nhs=NHS_NUMBERS, family=st.text(min_size=4, max_size=30).filter(str.strip))
def test_personal_values_never_reach_messages(nhs: str, family: str) -> None:
    payload = _valid()
    payload["person"]["nhsNumber"] = nhs
    payload["person"]["names"][0]["family"] = family
    payload["person"]["names"][0]["given"] = [family, 7]  # a type error next to the name
    payload["person"]["birthDate"] = family
    for issue in validate(DESIGN, payload).issues:
        assert nhs not in issue.message
        assert family not in issue.message


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=300))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    report = validate(DESIGN, data)
    assert not report.valid


@settings(max_examples=100, deadline=None)
@given(
    value=st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
        max_leaves=30,
    )
)
def test_arbitrary_json_values_never_raise(value: Any) -> None:
    report = validate(DESIGN, json.dumps(value).encode())
    assert not report.valid
    for issue in report.issues:
        assert issue.path == "" or issue.path.startswith("/")
