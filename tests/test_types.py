"""Tests for the UK value types in :mod:`sharedsvc.types`.

The oracles here are written independently of the module: letter rules are spelt
out from the standards (Royal Mail / ONS for postcodes, HMRC NIM39110 for National
Insurance numbers, the ONS GSS entity list) and the NHS check digit is computed
afresh, so a mistake in the module's generated regexes shows up as a disagreement.
"""

from __future__ import annotations

import pickle
import re
import string
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from sharedsvc.codes import CODES
from sharedsvc.types import (
    LOCAL_AUTHORITY_GSS_ENTITIES,
    UPRN,
    USRN,
    GSSCode,
    NHSNumber,
    NINumber,
    ODSCode,
    Postcode,
    ValueTypeError,
    is_valid_nhs_number,
    nhs_check_digit,
    normalise_gss_code,
    normalise_nhs_number,
    normalise_ni_number,
    normalise_ods_code,
    normalise_postcode,
    normalise_uprn,
    normalise_usrn,
)

# ---------------------------------------------------------------------------------------
# Independent statements of the rules
# ---------------------------------------------------------------------------------------

UPPER = string.ascii_uppercase
DIGITS = string.digits
WS = " \t\r\n\u00a0"  # the whitespace the types document as tolerated

# Royal Mail / ONS postcode letter rules.
PC_FIRST = "".join(c for c in UPPER if c not in "QVX")
PC_SECOND = "".join(c for c in UPPER if c not in "IJZ")
PC_THIRD = "ABCDEFGHJKPSTUW"
PC_FOURTH = "ABEHMNPRVWXY"
PC_UNIT = "".join(c for c in UPPER if c not in "CIKMOV")

# HMRC NIM39110.
NI_FIRST = "".join(c for c in UPPER if c not in "DFIQUV")
NI_SECOND = "".join(c for c in UPPER if c not in "DFIQUVO")
NI_UNALLOCATED = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}
NI_PREFIXES = sorted(a + b for a in NI_FIRST for b in NI_SECOND if a + b not in NI_UNALLOCATED)

# ONS GSS entity codes of local authorities.
LA_ENTITIES = {"E06", "E07", "E08", "E09", "E10", "W06", "S12", "N09"}


def check_digit(nine: str) -> int | None:
    """NHS Data Dictionary modulus 11: weights 10..2, 11 - (sum mod 11), 11 -> 0."""
    total = sum(int(d) * w for d, w in zip(nine, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    return {11: 0, 10: None}.get(check, check)


# ---------------------------------------------------------------------------------------
# The types under test
# ---------------------------------------------------------------------------------------


class TypeCase:
    def __init__(
        self,
        name: str,
        annotation: Any,
        normalise: Callable[[str], str],
        codes: set[str],
    ) -> None:
        self.name = name
        self.adapter: TypeAdapter[str] = TypeAdapter(annotation)
        self.normalise = normalise
        self.codes = codes
        self.schema = self.adapter.json_schema()
        self.output_schema = self.adapter.json_schema(mode="serialization")

    def __repr__(self) -> str:
        return self.name


CASES = {
    c.name: c
    for c in [
        TypeCase(
            "NHSNumber",
            NHSNumber,
            normalise_nhs_number,
            {"nhs-number.format", "nhs-number.checksum"},
        ),
        TypeCase("Postcode", Postcode, normalise_postcode, {"postcode.format"}),
        TypeCase("UPRN", UPRN, normalise_uprn, {"uprn.format"}),
        TypeCase("USRN", USRN, normalise_usrn, {"usrn.format"}),
        TypeCase("ODSCode", ODSCode, normalise_ods_code, {"ods-code.format"}),
        TypeCase(
            "GSSCode",
            GSSCode,
            normalise_gss_code,
            {"gss-code.format", "gss-code.not-local-authority"},
        ),
        TypeCase("NINumber", NINumber, normalise_ni_number, {"ni-number.format"}),
    ]
}
NAMES = list(CASES)

#: Codes whose check the JSON Schema pattern cannot express (and says so).
NOT_IN_SCHEMA = {"nhs-number.checksum"}


def validate(name: str, value: object) -> str:
    return CASES[name].adapter.validate_python(value)


def error(name: str, value: object) -> dict[str, Any]:
    """The single pydantic error for ``value``; fails the test if it validates."""
    with pytest.raises(ValidationError) as info:
        validate(name, value)
    errors = info.value.errors()
    assert len(errors) == 1
    return dict(errors[0])


def error_type(name: str, value: object) -> str:
    return str(error(name, value)["type"])


def pattern_accepts(name: str, value: str, *, output: bool = False) -> bool:
    case = CASES[name]
    schema = case.output_schema if output else case.schema
    # fullmatch, because Python's $ also matches before a final newline and
    # ECMA-262's does not; the patterns are anchored with ^...$ for JSON Schema.
    return re.fullmatch(schema["pattern"], value) is not None


# ---------------------------------------------------------------------------------------
# Strategies: (canonical value, a way of writing it that the type accepts)
# ---------------------------------------------------------------------------------------

whitespace = st.text(alphabet=WS, max_size=3)


@st.composite
def mixed_case(draw: st.DrawFn, text: str) -> str:
    flips = draw(st.lists(st.booleans(), min_size=len(text), max_size=len(text)))
    return "".join(c.lower() if f else c for c, f in zip(text, flips, strict=True))


@st.composite
def nhs_numbers(draw: st.DrawFn) -> tuple[str, str]:
    nine = draw(st.text(alphabet=DIGITS, min_size=9, max_size=9))
    check = check_digit(nine)
    assume(check is not None)
    canonical = f"{nine}{check}"
    sep = draw(st.sampled_from(["", " ", "-"]))
    written = f"{canonical[:3]}{sep}{canonical[3:6]}{sep}{canonical[6:]}"
    return canonical, draw(whitespace) + written + draw(whitespace)


def letters(alphabet: str) -> st.SearchStrategy[str]:
    return st.sampled_from(alphabet)


digit = letters(DIGITS)

outward_codes = st.one_of(
    st.tuples(letters(PC_FIRST), digit),  # A9
    st.tuples(letters(PC_FIRST), digit, digit),  # A99
    st.tuples(letters(PC_FIRST), digit, letters(PC_THIRD)),  # A9A
    st.tuples(letters(PC_FIRST), letters(PC_SECOND), digit),  # AA9
    st.tuples(letters(PC_FIRST), letters(PC_SECOND), digit, digit),  # AA99
    st.tuples(letters(PC_FIRST), letters(PC_SECOND), digit, letters(PC_FOURTH)),  # AA9A
).map("".join)
inward_codes = st.tuples(digit, letters(PC_UNIT), letters(PC_UNIT)).map("".join)


@st.composite
def postcodes(draw: st.DrawFn) -> tuple[str, str]:
    outward, inward = draw(
        st.one_of(st.tuples(outward_codes, inward_codes), st.just(("GIR", "0AA")))
    )
    written = (
        draw(whitespace)
        + draw(mixed_case(outward))
        + draw(whitespace)
        + draw(mixed_case(inward))
        + draw(whitespace)
    )
    return f"{outward} {inward}", written


@st.composite
def digit_strings(draw: st.DrawFn, max_size: int) -> tuple[str, str]:
    canonical = draw(st.text(alphabet=DIGITS, min_size=1, max_size=max_size))
    return canonical, draw(whitespace) + canonical + draw(whitespace)


@st.composite
def ods_codes(draw: st.DrawFn) -> tuple[str, str]:
    canonical = draw(st.text(alphabet=UPPER + DIGITS, min_size=3, max_size=10))
    return canonical, draw(mixed_case(canonical))


@st.composite
def gss_codes(draw: st.DrawFn) -> tuple[str, str]:
    entity = draw(st.sampled_from(sorted(LA_ENTITIES)))
    canonical = entity + draw(st.text(alphabet=DIGITS, min_size=6, max_size=6))
    return canonical, draw(whitespace) + draw(mixed_case(canonical)) + draw(whitespace)


@st.composite
def ni_numbers(draw: st.DrawFn) -> tuple[str, str]:
    prefix = draw(st.sampled_from(NI_PREFIXES))
    pairs = draw(st.lists(st.text(alphabet=DIGITS, min_size=2, max_size=2), min_size=3, max_size=3))
    suffix = draw(st.sampled_from("ABCD"))
    canonical = prefix + "".join(pairs) + suffix
    parts = [prefix, *pairs, suffix]
    written = draw(whitespace)
    for part in parts:
        written += draw(mixed_case(part)) + draw(whitespace)
    return canonical, written


VALID: dict[str, st.SearchStrategy[tuple[str, str]]] = {
    "NHSNumber": nhs_numbers(),
    "Postcode": postcodes(),
    "UPRN": digit_strings(12),
    "USRN": digit_strings(8),
    "ODSCode": ods_codes(),
    "GSSCode": gss_codes(),
    "NINumber": ni_numbers(),
}


@st.composite
def near_misses(draw: st.DrawFn, name: str) -> str:
    """A valid value with one character replaced, inserted or deleted."""
    _, written = draw(VALID[name])
    assume(written)
    i = draw(st.integers(0, len(written) - 1))
    char = draw(st.sampled_from(UPPER + string.ascii_lowercase + DIGITS + " -/."))
    edit = draw(st.sampled_from(["replace", "insert", "delete"]))
    if edit == "replace":
        return written[:i] + char + written[i + 1 :]
    if edit == "insert":
        return written[:i] + char + written[i:]
    return written[:i] + written[i + 1 :]


def garbage(name: str) -> st.SearchStrategy[str]:
    return st.one_of(
        st.text(),
        st.text(alphabet=UPPER + string.ascii_lowercase + DIGITS + WS + "-"),
        near_misses(name),
    )


# ---------------------------------------------------------------------------------------
# Properties common to every type
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
@given(data=st.data())
def test_valid_values_normalise_to_the_canonical_form(name: str, data: st.DataObject) -> None:
    canonical, written = data.draw(VALID[name])
    assert validate(name, written) == canonical
    assert validate(name, canonical) == canonical  # idempotent
    assert CASES[name].normalise(written) == canonical
    assert CASES[name].adapter.validate_json(f'"{canonical}"') == canonical
    assert CASES[name].adapter.dump_python(canonical) == canonical


@pytest.mark.parametrize("name", NAMES)
@given(data=st.data())
def test_any_string_is_accepted_stably_or_rejected_with_the_types_code(
    name: str, data: st.DataObject
) -> None:
    value = data.draw(garbage(name))
    case = CASES[name]
    try:
        result = validate(name, value)
    except ValidationError as exc:
        [err] = exc.errors()
        assert err["type"] in case.codes
        with pytest.raises(ValueTypeError) as plain:
            case.normalise(value)
        assert plain.value.code == err["type"]
        assert str(plain.value) == err["msg"]
    else:
        assert validate(name, result) == result
        assert case.normalise(value) == result


@pytest.mark.parametrize("name", NAMES)
@given(data=st.data())
def test_error_messages_never_contain_the_value(name: str, data: st.DataObject) -> None:
    value = data.draw(st.one_of(near_misses(name), st.text(min_size=4)))
    assume(len(value) >= 4)
    try:
        validate(name, value)
    except ValidationError as exc:
        [err] = exc.errors()
        assert value not in err["msg"]
        # Stronger: the message is the fixed one for its code, whatever the input.
        assert err["msg"] == REFERENCE_MESSAGES[err["type"]]
        with pytest.raises(ValueTypeError) as plain:
            CASES[name].normalise(value)
        assert value not in str(plain.value)
        assert value not in repr(plain.value)


@pytest.mark.parametrize("name", NAMES)
@given(data=st.data())
def test_schema_pattern_accepts_every_valid_form(name: str, data: st.DataObject) -> None:
    canonical, written = data.draw(VALID[name])
    assert pattern_accepts(name, written)
    assert pattern_accepts(name, canonical)
    assert pattern_accepts(name, canonical, output=True)


@pytest.mark.parametrize("name", NAMES)
@given(data=st.data())
def test_schema_pattern_agrees_with_the_validator_on_format(name: str, data: st.DataObject) -> None:
    value = data.draw(garbage(name))
    try:
        validate(name, value)
    except ValidationError as exc:
        code = exc.errors()[0]["type"]
        assert pattern_accepts(name, value) == (code in NOT_IN_SCHEMA)
    else:
        assert pattern_accepts(name, value)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("value", [9434765919, 12, 1.5, None, True, b"SW1A 1AA", ["RJ1"]])
def test_non_strings_fail_with_string_type(name: str, value: object) -> None:
    assert error_type(name, value) == "string_type"


@pytest.mark.parametrize("name", NAMES)
def test_json_numbers_fail_with_string_type(name: str) -> None:
    with pytest.raises(ValidationError) as info:
        CASES[name].adapter.validate_json("9434765919")
    assert info.value.errors()[0]["type"] == "string_type"


@pytest.mark.parametrize("name", NAMES)
def test_json_schema_describes_the_input(name: str) -> None:
    case = CASES[name]
    for schema in (case.schema, case.output_schema):
        Draft202012Validator.check_schema(schema)
        assert schema["type"] == "string"
        assert schema["x-sharedsvc-type"] == name
        assert schema["description"]
        assert schema["pattern"].startswith("^")
        assert schema["pattern"].endswith("$")
        assert schema["examples"]
        for example in schema["examples"]:
            Draft202012Validator(schema).validate(example)
            validate(name, example)
    for example in case.output_schema["examples"]:
        assert validate(name, example) == example


@pytest.mark.parametrize("name", NAMES)
def test_schema_patterns_are_portable(name: str) -> None:
    """Keep to regex syntax that ECMA-262 (ajv) and RE2-style engines share."""
    case = CASES[name]
    for pattern in (case.schema["pattern"], case.output_schema["pattern"]):
        for construct in ("(?<", "(?P", "(?=", "(?!", "(?i", "\\d", "\\s", "\\w", "\\Z", "\\A"):
            assert construct not in pattern
        assert re.search(r"\\[1-9]", pattern) is None  # back-references


def test_nhs_schema_says_the_check_digit_is_not_in_the_schema() -> None:
    description = CASES["NHSNumber"].schema["description"]
    assert "modulus 11 check digit cannot be expressed in JSON Schema" in description


def test_every_code_raised_is_registered() -> None:
    for case in CASES.values():
        for code in case.codes:
            assert code in CODES
    assert CODES["nhs-number.checksum"].in_schema is False
    assert {c for c in CODES if CODES[c].in_schema is False} >= NOT_IN_SCHEMA


# ---------------------------------------------------------------------------------------
# Error messages
# ---------------------------------------------------------------------------------------

BAD_EXAMPLE_FOR_CODE = {
    "nhs-number.format": ("NHSNumber", "12345"),
    "nhs-number.checksum": ("NHSNumber", "9434765918"),
    "postcode.format": ("Postcode", "SW1A1A"),
    "uprn.format": ("UPRN", "UPRN-100023336956"),
    "usrn.format": ("USRN", "123456789"),
    "ods-code.format": ("ODSCode", "rj1 "),
    "gss-code.format": ("GSSCode", "E0900033"),
    "gss-code.not-local-authority": ("GSSCode", "E14000639"),
    "ni-number.format": ("NINumber", "QQ 12 34 56 E"),
}


def _reference_messages() -> dict[str, str]:
    messages = {}
    for code, (name, value) in BAD_EXAMPLE_FOR_CODE.items():
        err = error(name, value)
        assert err["type"] == code
        messages[code] = str(err["msg"])
    return messages


REFERENCE_MESSAGES = _reference_messages()


def test_every_code_has_a_bad_example() -> None:
    assert set(BAD_EXAMPLE_FOR_CODE) == set().union(*(c.codes for c in CASES.values()))


@pytest.mark.parametrize(("code", "example"), BAD_EXAMPLE_FOR_CODE.items())
def test_registry_examples_raise_their_code(code: str, example: tuple[str, str]) -> None:
    name, value = example
    assert error_type(name, value) == code
    # The registry (sharedsvc.codes) documents these very values as its examples.
    assert value in CODES[code].example


@pytest.mark.parametrize(("code", "example"), BAD_EXAMPLE_FOR_CODE.items())
def test_validation_error_text_hides_the_value_when_the_model_asks(
    code: str, example: tuple[str, str]
) -> None:
    name, value = example
    model = _model_for(name, hide_input=True)
    with pytest.raises(ValidationError) as info:
        model.model_validate({"field": value})
    assert info.value.errors()[0]["type"] == code
    assert value.strip() not in str(info.value)


def _model_for(name: str, *, hide_input: bool) -> type[BaseModel]:
    annotations = {
        "NHSNumber": NHSNumber,
        "Postcode": Postcode,
        "UPRN": UPRN,
        "USRN": USRN,
        "ODSCode": ODSCode,
        "GSSCode": GSSCode,
        "NINumber": NINumber,
    }
    namespace: dict[str, Any] = {
        "__annotations__": {"field": annotations[name]},
        "model_config": ConfigDict(hide_input_in_errors=hide_input, extra="forbid"),
    }
    return type(f"{name}Record", (BaseModel,), namespace)


def test_value_type_error_keeps_its_code_when_pickled() -> None:
    with pytest.raises(ValueTypeError) as info:
        normalise_nhs_number("9434765918")
    copy = pickle.loads(pickle.dumps(info.value))
    assert copy.code == "nhs-number.checksum"
    assert str(copy) == str(info.value)
    assert isinstance(copy, ValueError)


def test_types_work_as_model_fields() -> None:
    class Person(BaseModel):
        model_config = ConfigDict(extra="forbid")
        nhs_number: NHSNumber
        postcode: Postcode
        ni_number: NINumber | None = None

    person = Person.model_validate_json(
        '{"nhs_number": "943 476 5919", "postcode": "sw1a1aa", "ni_number": "ab 12 34 56 c"}'
    )
    assert person.model_dump() == {
        "nhs_number": "9434765919",
        "postcode": "SW1A 1AA",
        "ni_number": "AB123456C",
    }
    schema = Person.model_json_schema()
    assert schema["properties"]["nhs_number"]["x-sharedsvc-type"] == "NHSNumber"
    with pytest.raises(ValidationError) as info:
        Person(nhs_number="9434765918", postcode="SW1A 1AA")
    assert info.value.errors()[0]["loc"] == ("nhs_number",)
    assert info.value.errors()[0]["type"] == "nhs-number.checksum"


# ---------------------------------------------------------------------------------------
# NHS number
# ---------------------------------------------------------------------------------------


@given(nhs_numbers(), st.integers(0, 9), st.integers(1, 9))
def test_nhs_any_single_digit_change_fails_the_checksum(
    number: tuple[str, str], position: int, delta: int
) -> None:
    # Modulus 11 with weights 10..2 (and, in effect, 1 on the check digit) changes the
    # sum by w * delta, never a multiple of 11 as 11 is prime and w, delta < 11.
    canonical, _ = number
    changed = str((int(canonical[position]) + delta) % 10)
    mutated = canonical[:position] + changed + canonical[position + 1 :]
    assert error_type("NHSNumber", mutated) == "nhs-number.checksum"
    assert not is_valid_nhs_number(mutated)


@given(nhs_numbers(), st.integers(0, 8))
def test_nhs_any_adjacent_transposition_fails_the_checksum(
    number: tuple[str, str], position: int
) -> None:
    # Swapping adjacent digits a, b changes the sum by (a - b) * (w1 - w2) = ±(a - b),
    # since adjacent weights differ by one: non-zero mod 11 whenever a != b.
    canonical, _ = number
    a, b = canonical[position], canonical[position + 1]
    assume(a != b)
    swapped = canonical[:position] + b + a + canonical[position + 2 :]
    assert error_type("NHSNumber", swapped) == "nhs-number.checksum"


@given(st.text(alphabet=DIGITS, min_size=9, max_size=9))
def test_nhs_check_digit_matches_the_data_dictionary(nine: str) -> None:
    expected = check_digit(nine)
    assert nhs_check_digit(nine) == expected
    for last in DIGITS:
        assert is_valid_nhs_number(nine + last) == (expected == int(last))


@pytest.mark.parametrize(
    ("nine", "expected"),
    [
        ("943476591", 9),
        ("943476587", 0),  # remainder 0: 11 - 0 = 11, written as 0
        ("000000006", None),  # 6 x 2 = 12, remainder 1: 11 - 1 = 10, no valid number
        ("000000000", 0),
    ],
)
def test_nhs_check_digit_examples(nine: str, expected: int | None) -> None:
    assert nhs_check_digit(nine) == expected


@pytest.mark.parametrize("nine", ["", "94347659", "9434765919", "94347659a", "٩٤٣٤٧٦٥٩١"])
def test_nhs_check_digit_needs_nine_ascii_digits(nine: str) -> None:
    with pytest.raises(ValueTypeError) as info:
        nhs_check_digit(nine)
    assert info.value.code == "nhs-number.format"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("9434765919", "9434765919"),
        ("9434765870", "9434765870"),
        ("943 476 5919", "9434765919"),
        ("943-476-5870", "9434765870"),
        ("  9434765919\n", "9434765919"),
        ("\t943 476 5919 ", "9434765919"),
    ],
)
def test_nhs_good_examples(value: str, expected: str) -> None:
    assert validate("NHSNumber", value) == expected
    assert normalise_nhs_number(value) == expected
    assert is_valid_nhs_number(value)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "nhs-number.format"),
        ("943476591", "nhs-number.format"),
        ("94347659190", "nhs-number.format"),
        ("943 476 591", "nhs-number.format"),
        ("943-476 5919", "nhs-number.format"),  # mixed separators
        ("9434 76 5919", "nhs-number.format"),  # not 3-3-4
        ("943  476  5919", "nhs-number.format"),  # double spaces
        ("943.476.5919", "nhs-number.format"),
        ("943476591O", "nhs-number.format"),  # letter O for zero
        ("٩٤٣٤٧٦٥٩١٩", "nhs-number.format"),  # Arabic-Indic digits
        ("９４３４７６５９１９", "nhs-number.format"),  # full-width digits
        ("9434765918", "nhs-number.checksum"),
        ("9434765910", "nhs-number.checksum"),
        ("4434765919", "nhs-number.checksum"),
        ("0000000060", "nhs-number.checksum"),  # nine digits that give remainder 10
        ("943 476 5918", "nhs-number.checksum"),
    ],
)
def test_nhs_bad_examples(value: str, code: str) -> None:
    assert error_type("NHSNumber", value) == code
    assert not is_valid_nhs_number(value)
    assert pattern_accepts("NHSNumber", value) == (code == "nhs-number.checksum")


# ---------------------------------------------------------------------------------------
# Postcode
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("SW1A 1AA", "SW1A 1AA"),  # AA9A
        ("sw1a1aa", "SW1A 1AA"),
        ("  Sw1A \t 1aA ", "SW1A 1AA"),
        ("EC1A 1BB", "EC1A 1BB"),  # AA9A
        ("W1A 0AX", "W1A 0AX"),  # A9A
        ("M1 1AE", "M1 1AE"),  # A9
        ("B33 8TH", "B33 8TH"),  # A99
        ("CR2 6XH", "CR2 6XH"),  # AA9
        ("DN55 1PT", "DN55 1PT"),  # AA99
        ("GIR 0AA", "GIR 0AA"),
        ("gir0aa", "GIR 0AA"),
        (" Gir  0Aa ", "GIR 0AA"),
    ],
)
def test_postcode_good_examples(value: str, expected: str) -> None:
    assert validate("Postcode", value) == expected
    assert normalise_postcode(value) == expected


INVALID_POSTCODES = [
    "",
    "SW1A1A",
    "SW1A 1AAA",
    "SW1A",
    "1AA",
    "Q1 1AA",  # Q not allowed first
    "V1 1AA",
    "X1 1AA",
    "AI1 1AA",  # I not allowed second
    "AJ1 1AA",
    "AZ1 1AA",
    "A1L 1AA",  # L not allowed third (A9A)
    "A1I 1AA",
    "AA1C 1AA",  # C not allowed fourth (AA9A)
    "AA1Z 1AA",
    "SW1A 1CA",  # C, I, K, M, O, V not allowed in the inward code
    "SW1A 1AV",
    "SW1A AAA",
    "SW1A-1AA",  # dash is not whitespace
    "S W1A 1AA",  # whitespace inside the outward code
    "SW1A 1 AA",  # or inside the inward code
    "SW123 1AA",
    "GIR 1AA",  # GIR only with 0AA
    "GIR0AB",
    "ſw1a 1aa",  # long s upper-cases to S in Python, but is not a postcode letter
    "SW1A 1AA.",
]


@pytest.mark.parametrize("value", INVALID_POSTCODES)
def test_postcode_bad_examples(value: str) -> None:
    assert error_type("Postcode", value) == "postcode.format"
    assert not pattern_accepts("Postcode", value)


POSTCODE_FORMS = {
    # form: (template positions, allowed letters for each lettered position)
    "A9": ["F", "9"],
    "A99": ["F", "9", "9"],
    "A9A": ["F", "9", "T"],
    "AA9": ["F", "S", "9"],
    "AA99": ["F", "S", "9", "9"],
    "AA9A": ["F", "S", "9", "R"],
}
POSITION_LETTERS = {"F": PC_FIRST, "S": PC_SECOND, "T": PC_THIRD, "R": PC_FOURTH}


@pytest.mark.parametrize("form", POSTCODE_FORMS)
def test_postcode_letter_rules_per_position(form: str) -> None:
    # Exhaustive over A-Z for each lettered position of each outward form, holding the
    # other positions at an allowed value.
    template = POSTCODE_FORMS[form]
    base = ["A" if p in POSITION_LETTERS else "1" for p in template]
    for index, position in enumerate(template):
        if position not in POSITION_LETTERS:
            continue
        for letter in UPPER:
            outward = "".join([*base[:index], letter, *base[index + 1 :]])
            value = f"{outward} 1AB"
            allowed = letter in POSITION_LETTERS[position]
            if allowed:
                assert validate("Postcode", value) == value
            else:
                assert error_type("Postcode", value) == "postcode.format", value
            assert pattern_accepts("Postcode", value) == allowed


def test_postcode_inward_letter_rules() -> None:
    for first in UPPER:
        for second in UPPER:
            value = f"M1 1{first}{second}"
            allowed = first in PC_UNIT and second in PC_UNIT
            if allowed:
                assert validate("Postcode", value) == value
            else:
                assert error_type("Postcode", value) == "postcode.format"
            assert pattern_accepts("Postcode", value) == allowed


@given(postcodes())
def test_postcode_inward_code_is_always_the_last_three_characters(pc: tuple[str, str]) -> None:
    canonical, _ = pc
    outward, inward = canonical.split(" ")
    assert len(inward) == 3
    assert validate("Postcode", outward + inward) == canonical


# ---------------------------------------------------------------------------------------
# UPRN and USRN
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("UPRN", "100023336956", "100023336956"),
        ("UPRN", " 10033544614 ", "10033544614"),
        ("UPRN", "1", "1"),
        ("UPRN", "000000000001", "000000000001"),  # leading zeros kept as given
        ("UPRN", "0", "0"),
        ("USRN", "8400709", "8400709"),
        ("USRN", "\t21200001\n", "21200001"),
        ("USRN", "00001234", "00001234"),
    ],
)
def test_uprn_usrn_good_examples(name: str, value: str, expected: str) -> None:
    assert validate(name, value) == expected


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("UPRN", ""),
        ("UPRN", "   "),
        ("UPRN", "1000233369561"),  # 13 digits
        ("UPRN", "UPRN-100023336956"),
        ("UPRN", "100 023 336 956"),
        ("UPRN", "-1"),
        ("UPRN", "+1"),
        ("UPRN", "1.0"),
        ("UPRN", "1e5"),
        ("UPRN", "١٢٣"),
        ("USRN", "123456789"),  # 9 digits
        ("USRN", ""),
        ("USRN", "84 00709"),
        ("USRN", "8400709A"),
    ],
)
def test_uprn_usrn_bad_examples(name: str, value: str) -> None:
    code = "uprn.format" if name == "UPRN" else "usrn.format"
    assert error_type(name, value) == code
    assert not pattern_accepts(name, value)


# ---------------------------------------------------------------------------------------
# ODS code
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("RJ1", "RJ1"),  # an NHS trust
        ("rj1", "RJ1"),
        ("A81001", "A81001"),  # a GP practice
        ("8HN55", "8HN55"),  # a non-NHS organisation
        ("Y12345", "Y12345"),
        ("RJ122", "RJ122"),
        ("ABCDEFGHIJ", "ABCDEFGHIJ"),  # 10 characters
    ],
)
def test_ods_good_examples(value: str, expected: str) -> None:
    assert validate("ODSCode", value) == expected


@pytest.mark.parametrize(
    "value",
    ["", "R1", "RJ1 ", " RJ1", "RJ 1", "RJ-1", "ABCDEFGHIJK", "RJ1\n", "ÅB1", "RJ１"],
)
def test_ods_bad_examples(value: str) -> None:
    assert error_type("ODSCode", value) == "ods-code.format"
    assert not pattern_accepts("ODSCode", value)


# ---------------------------------------------------------------------------------------
# GSS code of a local authority
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("E09000033", "E09000033"),  # Westminster
        ("E10000016", "E10000016"),  # Kent
        ("W06000015", "W06000015"),  # Cardiff
        ("S12000036", "S12000036"),  # City of Edinburgh
        ("N09000003", "N09000003"),  # Belfast
        ("E06000002", "E06000002"),  # Middlesbrough
        ("E07000008", "E07000008"),  # Cambridge
        ("E08000025", "E08000025"),  # Birmingham
        ("e09000033", "E09000033"),
        (" E09000033\n", "E09000033"),
    ],
)
def test_gss_good_examples(value: str, expected: str) -> None:
    assert validate("GSSCode", value) == expected


def test_gss_local_authority_entities_are_exactly_the_documented_ones() -> None:
    assert set(LOCAL_AUTHORITY_GSS_ENTITIES) == LA_ENTITIES
    assert all(LOCAL_AUTHORITY_GSS_ENTITIES.values())
    with pytest.raises(TypeError):
        LOCAL_AUTHORITY_GSS_ENTITIES["E11"] = "Metropolitan county"  # type: ignore[index]


def test_gss_every_entity_code_is_accepted_or_refused_as_not_local_authority() -> None:
    # Exhaustive over the four country letters and all 100 two-digit entity numbers.
    for country in "ENSW":
        for number in range(100):
            value = f"{country}{number:02d}000001"
            if value[:3] in LA_ENTITIES:
                assert validate("GSSCode", value) == value
                assert pattern_accepts("GSSCode", value)
            else:
                assert error_type("GSSCode", value) == "gss-code.not-local-authority"
                assert not pattern_accepts("GSSCode", value)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("E14000639", "gss-code.not-local-authority"),  # a parliamentary constituency
        ("E05000644", "gss-code.not-local-authority"),  # a ward
        ("E12000007", "gss-code.not-local-authority"),  # a region
        ("E11000001", "gss-code.not-local-authority"),  # a metropolitan county
        ("W07000041", "gss-code.not-local-authority"),
        ("S13002516", "gss-code.not-local-authority"),
        ("N06000001", "gss-code.not-local-authority"),
        ("", "gss-code.format"),
        ("E0900033", "gss-code.format"),  # 8 characters
        ("E090000333", "gss-code.format"),  # 10 characters
        ("K04000001", "gss-code.format"),  # K is a GSS letter, but not a country here
        ("X09000033", "gss-code.format"),
        ("E09 000033", "gss-code.format"),
        ("EO9000033", "gss-code.format"),  # letter O for zero
        ("09000033E", "gss-code.format"),
    ],
)
def test_gss_bad_examples(value: str, code: str) -> None:
    assert error_type("GSSCode", value) == code
    assert not pattern_accepts("GSSCode", value)


# ---------------------------------------------------------------------------------------
# National Insurance number
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("AB123456C", "AB123456C"),
        ("AB 12 34 56 C", "AB123456C"),
        ("ab 12 34 56 c", "AB123456C"),
        ("  Ab123456d\n", "AB123456D"),
        ("AB 123456 A", "AB123456A"),
        ("ZY000000B", "ZY000000B"),
        ("OA123456A", "OA123456A"),  # O is allowed first
    ],
)
def test_ni_good_examples(value: str, expected: str) -> None:
    assert validate("NINumber", value) == expected


@pytest.mark.parametrize("prefix", sorted(NI_UNALLOCATED))
def test_ni_unallocated_prefixes_are_refused(prefix: str) -> None:
    value = f"{prefix}123456C"
    assert error_type("NINumber", value) == "ni-number.format"
    assert error_type("NINumber", value.lower()) == "ni-number.format"
    assert not pattern_accepts("NINumber", value)


def test_ni_every_prefix_follows_nim39110() -> None:
    # Exhaustive over all 676 two-letter prefixes.
    for first in UPPER:
        for second in UPPER:
            value = f"{first}{second}123456A"
            allowed = first in NI_FIRST and second in NI_SECOND and value[:2] not in NI_UNALLOCATED
            if allowed:
                assert validate("NINumber", value) == value
            else:
                assert error_type("NINumber", value) == "ni-number.format", value
            assert pattern_accepts("NINumber", value) == allowed


@pytest.mark.parametrize("suffix", list(UPPER))
def test_ni_suffix_is_a_to_d(suffix: str) -> None:
    value = f"AB123456{suffix}"
    if suffix in "ABCD":
        assert validate("NINumber", value) == value
    else:
        assert error_type("NINumber", value) == "ni-number.format"


@pytest.mark.parametrize(
    "value",
    [
        "",
        "QQ123456C",  # Q not allowed (HMRC's own example prefix is deliberately invalid)
        "QQ 12 34 56 E",
        "AO123456C",  # O not allowed second
        "DA123456C",
        "AD123456C",
        "AB12345C",  # five digits
        "AB1234567C",  # seven digits
        "AB123456",  # no suffix
        "AB123456E",
        "A B123456C",  # space inside the prefix
        "AB12345 6C",  # space inside a digit pair
        "AB-12-34-56-C",
        "OO123456C",  # administrative prefix, not a NINO
        "TN123456C",
    ],
)
def test_ni_bad_examples(value: str) -> None:
    assert error_type("NINumber", value) == "ni-number.format"
    assert not pattern_accepts("NINumber", value)
