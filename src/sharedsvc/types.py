"""UK value types: NHS number, postcode, UPRN, USRN, ODS code, GSS code, NI number.

Each type is an ``Annotated[str, ...]`` alias for use as a pydantic v2 field type.
It validates and normalises the value to one canonical form, and carries a JSON
Schema that describes the *input* it accepts (a serialization-mode schema
describes the canonical output). Each has a plain function too
(``normalise_postcode`` and so on) for use outside pydantic.

Errors carry a stable code registered in :mod:`sharedsvc.codes`. Messages never
contain the supplied value, because identifiers such as NHS and National
Insurance numbers are personal data and error messages end up in logs.
(pydantic's own ``ValidationError`` text does show the input unless the model
sets ``hide_input_in_errors=True``; that is the model's choice, not the type's.)

Only strings are accepted: each type is strict ``str``, so a number, ``None`` or
bytes fails with pydantic's ``string_type`` error. Identifiers are never
numbers: UPRNs and ODS codes can have leading zeros that a number would lose.

Regular expressions here are written once and used twice: compiled for the
validator and published as the JSON Schema ``pattern`` (for GSS codes, both the
pattern and the check come from :data:`LOCAL_AUTHORITY_GSS_ENTITIES`). So the
schema accepts exactly what the validator accepts, except where a rule cannot be
written as a regex (the NHS number check digit), which the schema description says. The
patterns keep to the subset of ECMA-262 that other engines share (no
lookaround, no back-references, no named groups, no ``\\d`` or ``\\s``, whose
meaning differs between Python and JavaScript), so that ajv and friends can use
them as they are.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Annotated, Any, Final, TypeAlias

from pydantic import AfterValidator, Strict, WithJsonSchema
from pydantic_core import PydanticCustomError

__all__ = [
    "LOCAL_AUTHORITY_GSS_ENTITIES",
    "UPRN",
    "USRN",
    "GSSCode",
    "NHSNumber",
    "NINumber",
    "ODSCode",
    "Postcode",
    "ValueTypeError",
    "is_valid_nhs_number",
    "nhs_check_digit",
    "normalise_gss_code",
    "normalise_nhs_number",
    "normalise_ni_number",
    "normalise_ods_code",
    "normalise_postcode",
    "normalise_uprn",
    "normalise_usrn",
]


class ValueTypeError(ValueError):
    """A value is not a valid instance of a UK value type.

    ``code`` is the stable issue code from :mod:`sharedsvc.codes`. The message
    (``str(error)``) never contains the value, which may be personal data.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code: str = code
        self.message: str = message

    def __reduce__(self) -> tuple[type[ValueTypeError], tuple[str, str]]:
        # Keeps the code across pickling (process pools validating in bulk); the
        # default would rebuild the error from ``args``, which hold only the message.
        return (type(self), (self.code, self.message))


# ---------------------------------------------------------------------------------------
# Regex building blocks
# ---------------------------------------------------------------------------------------

#: Whitespace tolerated around a value (and inside one where a type says so): ASCII
#: space, tab, CR, LF and the no-break space U+00A0 that text pasted from web pages and
#: word processors often carries. The characters go into patterns literally, not as
#: ``\s``, because ``\s`` means different things in Python and ECMA-262.
_WS_CHARS: Final = " \t\r\n\u00a0"
_WS: Final = f"[{_WS_CHARS}]*"

_UPPER: Final = frozenset(string.ascii_uppercase)


def _letter_class(letters: Iterable[str], *, any_case: bool) -> str:
    """Return a regex character class for upper-case ASCII ``letters``.

    With ``any_case`` the lower-case letters are included too. We spell both cases
    out rather than use a case-insensitive flag because a JSON Schema ``pattern``
    cannot carry flags, and Python's ``re.IGNORECASE`` also folds non-ASCII letters
    (the long s, the Kelvin sign) that JavaScript does not.
    """
    ordered = sorted(set(letters))
    runs: list[str] = []
    start = 0
    while start < len(ordered):
        end = start
        while end + 1 < len(ordered) and ord(ordered[end + 1]) == ord(ordered[end]) + 1:
            end += 1
        if end - start >= 2:
            runs.append(f"{ordered[start]}-{ordered[end]}")
        else:
            runs.extend(ordered[start : end + 1])
        start = end + 1
    upper = "".join(runs)
    if any_case:
        return f"[{upper}{upper.lower()}]"
    return upper if len(ordered) == 1 else f"[{upper}]"


def _schema(name: str, pattern: str, description: str, examples: list[str]) -> dict[str, Any]:
    return {
        "type": "string",
        "pattern": pattern,
        "description": description,
        "examples": examples,
        "x-sharedsvc-type": name,
    }


def _pydantic_validator(normalise: Callable[[str], str]) -> Callable[[str], str]:
    """Adapt a ``normalise_*`` function to pydantic, keeping the stable error code."""

    def validate(value: str) -> str:
        try:
            return normalise(value)
        except ValueTypeError as error:
            # ``from None``: the chained ValueTypeError adds nothing a caller can use.
            raise PydanticCustomError(error.code, error.message) from None

    validate.__name__ = f"validate_{normalise.__name__.removeprefix('normalise_')}"
    validate.__qualname__ = validate.__name__
    return validate


# ---------------------------------------------------------------------------------------
# NHS number (NHS Data Dictionary: NHS NUMBER)
# ---------------------------------------------------------------------------------------

# Ten digits. People write them 3-3-4 ("943 476 5919", "943-476-5919"), so either a
# single space or a single dash between the groups is accepted, but not mixed and not
# elsewhere: the groups are spelt out as alternatives, not tied by a back-reference,
# because not every JSON Schema engine supports back-references.
_D3: Final = "[0-9]{3}"
_D4: Final = "[0-9]{4}"
_NHS_INPUT_PATTERN: Final = f"^{_WS}({_D3}(?:{_D3}{_D4}| {_D3} {_D4}|-{_D3}-{_D4})){_WS}$"
_NHS_INPUT_RE: Final = re.compile(_NHS_INPUT_PATTERN)
_NINE_DIGITS_RE: Final = re.compile("[0-9]{9}")

#: Weights for the modulus 11 check, applied to the first nine digits in order
#: (NHS Data Dictionary: NHS NUMBER).
_NHS_WEIGHTS: Final = (10, 9, 8, 7, 6, 5, 4, 3, 2)

_NHS_FORMAT_MESSAGE: Final = (
    "NHS number is not 10 digits (optionally grouped 3-3-4 with spaces or dashes)"
)
_NHS_CHECKSUM_MESSAGE: Final = "NHS number fails the modulus 11 check"


def _nhs_check_digit(nine_digits: str) -> int | None:
    # ord(c) - 48 rather than int(c): this runs once per record on the hot path.
    total = sum((ord(c) - 48) * w for c, w in zip(nine_digits, _NHS_WEIGHTS, strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    if check == 10:
        # A remainder of 1 gives 10, which is not a digit: no NHS number is issued with
        # these nine digits, so any tenth digit is wrong.
        return None
    return check


def nhs_check_digit(nine_digits: str) -> int | None:
    """Return the modulus 11 check digit for the first nine digits of an NHS number.

    Per the NHS Data Dictionary (NHS NUMBER): multiply the digits by the weights 10
    down to 2, take the sum modulo 11 and subtract it from 11; 11 becomes 0. A
    result of 10 means no valid NHS number starts with these digits, and ``None``
    is returned. Raises :class:`ValueTypeError` (``nhs-number.format``) unless
    ``nine_digits`` is exactly nine ASCII digits.
    """
    if _NINE_DIGITS_RE.fullmatch(nine_digits) is None:
        raise ValueTypeError("nhs-number.format", "expected exactly nine digits")
    return _nhs_check_digit(nine_digits)


def normalise_nhs_number(value: str) -> str:
    """Return the NHS number as 10 digits, or raise :class:`ValueTypeError`.

    Accepts surrounding whitespace and the 3-3-4 grouping with single spaces or
    dashes. Codes: ``nhs-number.format``, ``nhs-number.checksum``.
    """
    match = _NHS_INPUT_RE.fullmatch(value)
    if match is None:
        raise ValueTypeError("nhs-number.format", _NHS_FORMAT_MESSAGE)
    digits = match.group(1).replace(" ", "").replace("-", "")
    if _nhs_check_digit(digits[:9]) != ord(digits[9]) - 48:
        raise ValueTypeError("nhs-number.checksum", _NHS_CHECKSUM_MESSAGE)
    return digits


def is_valid_nhs_number(value: str) -> bool:
    """Whether ``value`` is a valid NHS number in any form :data:`NHSNumber` accepts."""
    try:
        normalise_nhs_number(value)
    except ValueTypeError:
        return False
    return True


NHSNumber: TypeAlias = Annotated[
    str,
    Strict(),
    AfterValidator(_pydantic_validator(normalise_nhs_number)),
    WithJsonSchema(
        _schema(
            "NHSNumber",
            _NHS_INPUT_PATTERN,
            "NHS number (NHS Data Dictionary: NHS NUMBER): 10 digits, optionally written "
            "3-3-4 with single spaces or dashes, surrounding whitespace allowed; "
            "normalised to 10 digits. The tenth digit is a modulus 11 check digit. The "
            "modulus 11 check digit cannot be expressed in JSON Schema; validate with "
            "sharedsvc or implement the check.",
            ["9434765919", "943 476 5919", "943-476-5919"],
        ),
        mode="validation",
    ),
    WithJsonSchema(
        _schema(
            "NHSNumber",
            "^[0-9]{10}$",
            "NHS number (NHS Data Dictionary: NHS NUMBER) as 10 digits with a valid "
            "modulus 11 check digit (which JSON Schema cannot express).",
            ["9434765919"],
        ),
        mode="serialization",
    ),
]
"""An NHS number; validates the modulus 11 check digit and normalises to 10 digits."""


# ---------------------------------------------------------------------------------------
# Postcode (ONS / Royal Mail postcode format)
# ---------------------------------------------------------------------------------------

# Letter rules for the outward and inward codes, as Royal Mail and the ONS Postcode
# Directory user guide state them (mostly as exclusions, kept so here to be checkable).
_PC_FIRST: Final = _UPPER - set("QVX")  # area, first letter
_PC_SECOND: Final = _UPPER - set("IJZ")  # area, second letter
_PC_THIRD: Final = frozenset("ABCDEFGHJKPSTUW")  # district letter of an A9A outward code
_PC_FOURTH: Final = frozenset("ABEHMNPRVWXY")  # district letter of an AA9A outward code
_PC_UNIT: Final = _UPPER - set("CIKMOV")  # the two unit letters of the inward code


def _postcode_pattern(*, any_case: bool, separator: str) -> str:
    first = _letter_class(_PC_FIRST, any_case=any_case)
    second = _letter_class(_PC_SECOND, any_case=any_case)
    third = _letter_class(_PC_THIRD, any_case=any_case)
    fourth = _letter_class(_PC_FOURTH, any_case=any_case)
    unit = _letter_class(_PC_UNIT, any_case=any_case)
    # Outward A9, A99, A9A (first branch); AA9, AA99, AA9A (second branch).
    outward = f"{first}(?:[0-9][0-9]?|[0-9]{third}|{second}[0-9](?:[0-9]|{fourth})?)"
    inward = f"[0-9]{unit}{{2}}"
    # GIR 0AA (once Girobank's) breaks the letter rules but is a live postcode. It is a
    # branch of its own so that GIR pairs with 0AA only; it cannot be mistaken for a
    # regular outward code, because I is not allowed second.
    gir = "([Gg][Ii][Rr])" if any_case else "(GIR)"
    gir_inward = "(0[Aa]{2})" if any_case else "(0AA)"
    return f"(?:{gir}{separator}{gir_inward}|({outward}){separator}({inward}))"


_POSTCODE_INPUT_PATTERN: Final = f"^{_WS}{_postcode_pattern(any_case=True, separator=_WS)}{_WS}$"
_POSTCODE_INPUT_RE: Final = re.compile(_POSTCODE_INPUT_PATTERN)
_POSTCODE_MESSAGE: Final = "Postcode is not a valid UK postcode"


def normalise_postcode(value: str) -> str:
    """Return the postcode in upper case with one space before the inward code.

    Accepts any case and any whitespace (or none) between the outward and inward
    codes and around the postcode. Code: ``postcode.format``.
    """
    match = _POSTCODE_INPUT_RE.fullmatch(value)
    if match is None:
        raise ValueTypeError("postcode.format", _POSTCODE_MESSAGE)
    _gir, _gir_inward, outward, inward = match.groups()
    if outward is None:
        return "GIR 0AA"
    # Upper-cased after matching, so only ASCII letters reach str.upper() (which maps
    # some non-ASCII letters, such as the long s, to ASCII ones).
    return f"{outward.upper()} {inward.upper()}"


Postcode: TypeAlias = Annotated[
    str,
    Strict(),
    AfterValidator(_pydantic_validator(normalise_postcode)),
    WithJsonSchema(
        _schema(
            "Postcode",
            _POSTCODE_INPUT_PATTERN,
            "UK postcode in the ONS / Royal Mail format: an outward code (A9, A99, A9A, "
            "AA9, AA99 or AA9A, with Royal Mail's letter restrictions) and an inward code "
            "(a digit and two letters, not C, I, K, M, O or V), or the special GIR 0AA. "
            "Any case; any whitespace (or none) between the parts and around them. "
            "Normalised to upper case with one space before the inward code. The format "
            "is checked, not whether the postcode exists.",
            ["SW1A 1AA", "sw1a1aa", "EC1A 1BB", "M1 1AE", "GIR 0AA"],
        ),
        mode="validation",
    ),
    WithJsonSchema(
        _schema(
            "Postcode",
            f"^{_postcode_pattern(any_case=False, separator=' ')}$",
            "UK postcode (ONS / Royal Mail format) in upper case with one space before "
            "the inward code.",
            ["SW1A 1AA", "GIR 0AA"],
        ),
        mode="serialization",
    ),
]
"""A UK postcode; normalised to upper case with one space, e.g. ``SW1A 1AA``."""


# ---------------------------------------------------------------------------------------
# UPRN and USRN (GeoPlace)
# ---------------------------------------------------------------------------------------

# GeoPlace issues UPRNs up to 12 digits and USRNs up to 8. They are identifiers, not
# quantities: leading zeros are kept as given, since stripping them would make a
# value that no longer matches the one in the supplier's system.
_UPRN_INPUT_PATTERN: Final = f"^{_WS}([0-9]{{1,12}}){_WS}$"
_UPRN_INPUT_RE: Final = re.compile(_UPRN_INPUT_PATTERN)
_USRN_INPUT_PATTERN: Final = f"^{_WS}([0-9]{{1,8}}){_WS}$"
_USRN_INPUT_RE: Final = re.compile(_USRN_INPUT_PATTERN)


def normalise_uprn(value: str) -> str:
    """Return the UPRN without surrounding whitespace. Code: ``uprn.format``."""
    match = _UPRN_INPUT_RE.fullmatch(value)
    if match is None:
        raise ValueTypeError("uprn.format", "UPRN is not 1 to 12 digits")
    return match.group(1)


def normalise_usrn(value: str) -> str:
    """Return the USRN without surrounding whitespace. Code: ``usrn.format``."""
    match = _USRN_INPUT_RE.fullmatch(value)
    if match is None:
        raise ValueTypeError("usrn.format", "USRN is not 1 to 8 digits")
    return match.group(1)


UPRN: TypeAlias = Annotated[
    str,
    Strict(),
    AfterValidator(_pydantic_validator(normalise_uprn)),
    WithJsonSchema(
        _schema(
            "UPRN",
            _UPRN_INPUT_PATTERN,
            "Unique Property Reference Number (GeoPlace; OS AddressBase): 1 to 12 digits, "
            "as a string; surrounding whitespace is removed, leading zeros are kept.",
            ["100023336956", "10033544614"],
        ),
        mode="validation",
    ),
    WithJsonSchema(
        _schema(
            "UPRN",
            "^[0-9]{1,12}$",
            "Unique Property Reference Number (GeoPlace): 1 to 12 digits.",
            ["100023336956"],
        ),
        mode="serialization",
    ),
]
"""A Unique Property Reference Number: 1 to 12 digits, kept as a string."""

USRN: TypeAlias = Annotated[
    str,
    Strict(),
    AfterValidator(_pydantic_validator(normalise_usrn)),
    WithJsonSchema(
        _schema(
            "USRN",
            _USRN_INPUT_PATTERN,
            "Unique Street Reference Number (GeoPlace; National Street Gazetteer): 1 to 8 "
            "digits, as a string; surrounding whitespace is removed, leading zeros are "
            "kept.",
            ["8400709", "21200001"],
        ),
        mode="validation",
    ),
    WithJsonSchema(
        _schema(
            "USRN",
            "^[0-9]{1,8}$",
            "Unique Street Reference Number (GeoPlace): 1 to 8 digits.",
            ["8400709"],
        ),
        mode="serialization",
    ),
]
"""A Unique Street Reference Number: 1 to 8 digits, kept as a string."""


# ---------------------------------------------------------------------------------------
# ODS code (NHS England Organisation Data Service)
# ---------------------------------------------------------------------------------------

# ODS codes are 3 to 10 letters and digits; their shape varies by organisation type
# (RJ1 an NHS trust, A81001 a GP practice, 8HN55 a non-NHS organisation), so only the
# common shape is checked. Lower case is accepted and upper-cased. Whitespace is not
# stripped: the issue registry (sharedsvc.codes) gives "rj1 " as a format error, and
# ODS codes come from reference data rather than from people typing them.
_ODS_INPUT_PATTERN: Final = "^([A-Za-z0-9]{3,10})$"
_ODS_INPUT_RE: Final = re.compile(_ODS_INPUT_PATTERN)


def normalise_ods_code(value: str) -> str:
    """Return the ODS code in upper case. Code: ``ods-code.format``."""
    if _ODS_INPUT_RE.fullmatch(value) is None:
        raise ValueTypeError("ods-code.format", "ODS code is not 3 to 10 letters and digits")
    return value.upper()


ODSCode: TypeAlias = Annotated[
    str,
    Strict(),
    AfterValidator(_pydantic_validator(normalise_ods_code)),
    WithJsonSchema(
        _schema(
            "ODSCode",
            _ODS_INPUT_PATTERN,
            "NHS England Organisation Data Service (ODS) code: 3 to 10 letters and digits, "
            "any case, no whitespace; normalised to upper case. Only the shape is "
            "checked, not that the organisation exists.",
            ["RJ1", "A81001", "8HN55"],
        ),
        mode="validation",
    ),
    WithJsonSchema(
        _schema(
            "ODSCode",
            "^[A-Z0-9]{3,10}$",
            "NHS England Organisation Data Service (ODS) code in upper case.",
            ["RJ1", "A81001"],
        ),
        mode="serialization",
    ),
]
"""An NHS England ODS organisation code, upper case, e.g. ``RJ1`` or ``A81001``."""


# ---------------------------------------------------------------------------------------
# GSS code of a local authority (ONS GSS coding and naming policy)
# ---------------------------------------------------------------------------------------

#: GSS entity codes of the local authorities accepted by :data:`GSSCode`, with what
#: they are (ONS Register of Geographic Codes). County councils (E10) are included
#: because in two-tier areas they, not the districts, are the social care authorities.
LOCAL_AUTHORITY_GSS_ENTITIES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "E06": "Unitary authority (England)",
        "E07": "Non-metropolitan district (England)",
        "E08": "Metropolitan district (England)",
        "E09": "London borough (England)",
        "E10": "County (England)",
        "W06": "Unitary authority (Wales)",
        "S12": "Council area (Scotland)",
        "N09": "Local government district (Northern Ireland)",
    }
)

# A GSS code is nine characters: a three-character entity code (country letter and two
# digits) and a six-digit instance number (ONS GSS coding and naming policy).
# The first letter is the country: E, N, S or W. (GSS also has K codes, for areas
# spanning more than one country, and none of them is a council.)
_GSS_FORMAT_RE: Final = re.compile(
    f"^{_WS}({_letter_class('ENSW', any_case=True)}[0-9]{{8}}){_WS}$"
)


def _gss_input_pattern() -> str:
    entities = "|".join(
        f"{_letter_class(e[0], any_case=True)}{e[1:]}" for e in LOCAL_AUTHORITY_GSS_ENTITIES
    )
    return f"^{_WS}(?:{entities})[0-9]{{6}}{_WS}$"


_GSS_INPUT_PATTERN: Final = _gss_input_pattern()
_GSS_OUTPUT_PATTERN: Final = f"^(?:{'|'.join(LOCAL_AUTHORITY_GSS_ENTITIES)})[0-9]{{6}}$"
_GSS_NOT_LA_MESSAGE: Final = (
    "GSS code is not the code of a local authority (entity codes allowed: "
    + ", ".join(LOCAL_AUTHORITY_GSS_ENTITIES)
    + ")"
)


def normalise_gss_code(value: str) -> str:
    """Return the local authority GSS code in upper case.

    Codes: ``gss-code.format`` (not a GSS code), ``gss-code.not-local-authority``
    (a GSS code of some other kind of area, such as a ward or constituency).
    """
    match = _GSS_FORMAT_RE.fullmatch(value)
    if match is None:
        raise ValueTypeError(
            "gss-code.format", "GSS code is not a letter E, N, S or W and 8 digits"
        )
    code = match.group(1).upper()
    if code[:3] not in LOCAL_AUTHORITY_GSS_ENTITIES:
        raise ValueTypeError("gss-code.not-local-authority", _GSS_NOT_LA_MESSAGE)
    return code


GSSCode: TypeAlias = Annotated[
    str,
    Strict(),
    AfterValidator(_pydantic_validator(normalise_gss_code)),
    WithJsonSchema(
        _schema(
            "GSSCode",
            _GSS_INPUT_PATTERN,
            "ONS Government Statistical Service (GSS) code of a local authority (ONS GSS "
            "coding and naming policy): an entity code, one of "
            + ", ".join(f"{k} ({v})" for k, v in LOCAL_AUTHORITY_GSS_ENTITIES.items())
            + ", then six digits. Any case, surrounding whitespace allowed; normalised to "
            "upper case. Whether the code is live is not checked.",
            ["E09000033", "E10000016", "W06000015", "S12000036", "N09000003"],
        ),
        mode="validation",
    ),
    WithJsonSchema(
        _schema(
            "GSSCode",
            _GSS_OUTPUT_PATTERN,
            "ONS GSS code of a local authority, upper case.",
            ["E09000033"],
        ),
        mode="serialization",
    ),
]
"""The GSS code of a local authority, e.g. ``E09000033`` (Westminster)."""


# ---------------------------------------------------------------------------------------
# National Insurance number (HMRC National Insurance Manual NIM39110)
# ---------------------------------------------------------------------------------------

# NIM39110: D, F, I, Q, U and V are not used as either prefix letter; O is not used as
# the second; the prefixes BG, GB, KN, NK, NT, TN and ZZ are not allocated; the suffix
# is A, B, C or D. Administrative prefixes that break these rules (OO, say) are refused.
_NI_FIRST: Final = _UPPER - set("DFIQUV")
_NI_SECOND: Final = _UPPER - set("DFIQUVO")
_NI_UNALLOCATED: Final = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})


def _ni_prefix_pattern(*, any_case: bool) -> str:
    # The unallocated pairs are written out as narrower second-letter classes for the
    # first letters concerned (no lookahead, which not every engine supports). First
    # letters that allow the same second letters share one alternative.
    by_second: dict[frozenset[str], list[str]] = {}
    for first in sorted(_NI_FIRST):
        seconds = frozenset(s for s in _NI_SECOND if first + s not in _NI_UNALLOCATED)
        by_second.setdefault(seconds, []).append(first)
    return (
        "(?:"
        + "|".join(
            _letter_class(firsts, any_case=any_case) + _letter_class(seconds, any_case=any_case)
            for seconds, firsts in by_second.items()
        )
        + ")"
    )


_NI_INPUT_PATTERN: Final = (
    f"^{_WS}({_ni_prefix_pattern(any_case=True)}){_WS}([0-9]{{2}}){_WS}([0-9]{{2}}){_WS}"
    f"([0-9]{{2}}){_WS}([A-Da-d]){_WS}$"
)
_NI_INPUT_RE: Final = re.compile(_NI_INPUT_PATTERN)


def normalise_ni_number(value: str) -> str:
    """Return the National Insurance number in upper case without spaces.

    Accepts any case and whitespace around and between the parts, as in
    ``"ab 12 34 56 c"``. Code: ``ni-number.format``.
    """
    match = _NI_INPUT_RE.fullmatch(value)
    if match is None:
        raise ValueTypeError(
            "ni-number.format", "National Insurance number does not follow HMRC's format"
        )
    prefix, d1, d2, d3, suffix = match.groups()
    return f"{prefix.upper()}{d1}{d2}{d3}{suffix.upper()}"


NINumber: TypeAlias = Annotated[
    str,
    Strict(),
    AfterValidator(_pydantic_validator(normalise_ni_number)),
    WithJsonSchema(
        _schema(
            "NINumber",
            _NI_INPUT_PATTERN,
            "UK National Insurance number (HMRC National Insurance Manual NIM39110): two "
            "prefix letters (neither D, F, I, Q, U or V; second not O; not BG, GB, KN, NK, "
            "NT, TN or ZZ), six digits and a suffix A, B, C or D. Any case; whitespace "
            "allowed around and between the parts; normalised to upper case without "
            "spaces. Whether the number has been issued is not checked.",
            ["AB123456C", "AB 12 34 56 C", "ab 12 34 56 c"],
        ),
        mode="validation",
    ),
    WithJsonSchema(
        _schema(
            "NINumber",
            f"^{_ni_prefix_pattern(any_case=False)}[0-9]{{6}}[A-D]$",
            "UK National Insurance number (HMRC NIM39110), upper case without spaces.",
            ["AB123456C"],
        ),
        mode="serialization",
    ),
]
"""A National Insurance number, normalised to upper case without spaces: ``AB123456C``."""
