"""The UK Core rules sharedsvc relies on, checked on FHIR input.

Not a full UK Core validator (use the HL7 FHIR Validator for that): these are
the rules the mappings depend on, so that a Bundle from another system is
refused for the same reasons sharedsvc would never emit it:

* each resource of a type sharedsvc maps claims its UK Core profile
  (``fhir.profile-missing``, a warning: the rules below are checked anyway);
* NHS numbers use ``https://fhir.nhs.uk/Id/nhs-number`` (not the CareConnect or
  STU3 systems) and ODS codes ``https://fhir.nhs.uk/Id/ods-organization-code``
  (``fhir.identifier-system``); identifiers with a value have a system;
* an NHS number is 10 digits with a valid modulus 11 check digit
  (``nhs-number.format``, ``nhs-number.checksum``) and carries
  Extension-UKCore-NHSNumberVerificationStatus (``fhir.extension-missing``)
  whose code is in the value set sharedsvc ships (``coding.unknown-code``);
* ODS codes have the ODS format (``ods-code.format``);
* ethnic category and birth sex extensions use codes of their UK Core value
  sets (``coding.unknown-code``);
* every ``urn:uuid:`` reference resolves to an entry of the Bundle
  (``fhir.reference-unresolved``).

Every finding is a :class:`~sharedsvc.fhir.structure.Finding` with a
FHIRPath-like location and no value from the input.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Final

from sharedsvc.fhir import ukcore
from sharedsvc.fhir.converters import valueset
from sharedsvc.fhir.structure import Finding
from sharedsvc.types import ValueTypeError, normalise_nhs_number, normalise_ods_code

__all__ = ["check_ukcore"]

#: Identifier systems seen in older NHS specifications, and what UK Core uses instead.
LEGACY_SYSTEMS: Final = {
    "http://fhir.nhs.net/Id/nhs-number": ukcore.NHS_NUMBER_SYSTEM,
    "http://fhir.nhs.uk/Id/nhs-number": ukcore.NHS_NUMBER_SYSTEM,
    "https://fhir.nhs.net/Id/nhs-number": ukcore.NHS_NUMBER_SYSTEM,
    "http://fhir.nhs.net/Id/ods-organization-code": ukcore.ODS_SYSTEM,
    "http://fhir.nhs.uk/Id/ods-organization-code": ukcore.ODS_SYSTEM,
    "https://fhir.nhs.uk/Id/ods-organisation-code": ukcore.ODS_SYSTEM,
}

#: Resource types whose UK Core profile sharedsvc emits and expects.
MAPPED_TYPES: Final = frozenset(ukcore.PROFILES) - {"Bundle"}

_BIRTH_SEX: Final = frozenset(
    {
        (ukcore.V3_ADMINISTRATIVE_GENDER, "M"),
        (ukcore.V3_ADMINISTRATIVE_GENDER, "F"),
        (ukcore.V3_ADMINISTRATIVE_GENDER, "UN"),
        (ukcore.V3_NULL_FLAVOR, "UNK"),
    }
)


def check_ukcore(
    entries: list[tuple[str, dict[str, Any]]],
    base: list[str],
    is_bundle: bool,
    profiled: frozenset[str] = MAPPED_TYPES,
) -> list[Finding]:
    """Every UK Core finding on the resources of a Bundle (or a single resource).

    ``profiled`` are the resource types whose UK Core profile is expected (those the
    design's mapping reads); other resources are reported as unmapped elsewhere.
    """
    out: list[Finding] = []
    known = {url for url, _ in entries if url}
    for (_url, resource), at in zip(entries, base, strict=True):
        resource_type = resource.get("resourceType")
        if resource_type in profiled:
            out += _profile(resource, at, str(resource_type))
        for identifier, where in _identifiers(resource, at):
            out += _identifier(identifier, where, resource_type)
        if resource_type == "Patient":
            out += _patient_extensions(resource, at)
        if is_bundle:
            out += _references(resource, at, known)
    return out


def _profile(resource: dict[str, Any], at: str, resource_type: str) -> list[Finding]:
    expected = ukcore.PROFILES.get(resource_type)
    if expected is None:
        return []  # UK Core profiles no such resource (a Goal): nothing to claim
    profiles = (resource.get("meta") or {}).get("profile") or []
    if expected in profiles:
        return []
    return [Finding(at, "fhir.profile-missing", expected)]


def _identifiers(resource: dict[str, Any], at: str) -> Iterator[tuple[dict[str, Any], str]]:
    identifiers = resource.get("identifier")
    if isinstance(identifiers, dict):
        yield identifiers, f"{at}.identifier"
    elif isinstance(identifiers, list):
        for number, identifier in enumerate(identifiers):
            if isinstance(identifier, dict):
                yield identifier, f"{at}.identifier[{number}]"


def _identifier(identifier: dict[str, Any], where: str, resource_type: Any) -> list[Finding]:
    system = identifier.get("system")
    value = identifier.get("value")
    if isinstance(system, str) and system in LEGACY_SYSTEMS:
        return [Finding(f"{where}.system", "fhir.identifier-system", LEGACY_SYSTEMS[system])]
    if system is None and value is not None:
        return [Finding(where, "fhir.identifier-system", "a system URI")]
    if system == ukcore.NHS_NUMBER_SYSTEM and resource_type == "Patient":
        return list(_nhs_number(identifier, where))
    if system == ukcore.ODS_SYSTEM and isinstance(value, str):
        try:
            normalise_ods_code(value)
        except ValueTypeError as error:
            return [Finding(f"{where}.value", error.code, "")]
    return []


def _nhs_number(identifier: dict[str, Any], where: str) -> Iterator[Finding]:
    value = identifier.get("value")
    if isinstance(value, str):
        try:
            if normalise_nhs_number(value) != value:
                yield Finding(f"{where}.value", "nhs-number.format", "")
        except ValueTypeError as error:
            yield Finding(f"{where}.value", error.code, "")
    extensions = [
        (n, e)
        for n, e in enumerate(identifier.get("extension") or [])
        if isinstance(e, dict) and e.get("url") == ukcore.NHS_NUMBER_VERIFICATION
    ]
    if not extensions:
        yield Finding(where, "fhir.extension-missing", ukcore.NHS_NUMBER_VERIFICATION)
        return
    number, extension = extensions[0]
    vs = valueset("nhs-number-verification-status")
    allowed = {(vs.system_of(c), c.code) for c in vs.concepts}
    codings = (extension.get("valueCodeableConcept") or {}).get("coding") or []
    if not any(
        isinstance(c, dict) and (c.get("system"), c.get("code")) in allowed for c in codings
    ):
        yield Finding(
            f"{where}.extension[{number}].valueCodeableConcept",
            "coding.unknown-code",
            "nhs-number-verification-status",
        )


def _patient_extensions(resource: dict[str, Any], at: str) -> Iterator[Finding]:
    ethnic = valueset("ethnic-category")
    ethnic_codes = {(ethnic.system_of(c), c.code) for c in ethnic.concepts}
    for number, extension in enumerate(resource.get("extension") or []):
        if not isinstance(extension, dict):
            continue
        url = extension.get("url")
        if url == ukcore.ETHNIC_CATEGORY:
            allowed, name = ethnic_codes, "ethnic-category"
        elif url == ukcore.BIRTH_SEX:
            allowed, name = set(_BIRTH_SEX), "UKCore-BirthSex"
        else:
            continue
        codings = (extension.get("valueCodeableConcept") or {}).get("coding") or []
        if not any(
            isinstance(c, dict) and (c.get("system"), c.get("code")) in allowed for c in codings
        ):
            where = f"{at}.extension[{number}].valueCodeableConcept"
            yield Finding(where, "coding.unknown-code", name)


def _references(value: Any, at: str, known: set[str]) -> Iterator[Finding]:
    """Every ``urn:uuid:`` reference (at any depth) that no entry's fullUrl matches."""
    stack: list[tuple[Any, str]] = [(value, at)]
    while stack:
        node, where = stack.pop()
        if isinstance(node, dict):
            reference = node.get("reference")
            if (
                isinstance(reference, str)
                and reference.startswith("urn:uuid:")
                and reference not in known
            ):
                yield Finding(
                    f"{where}.reference",
                    "fhir.reference-unresolved",
                    "no entry of the Bundle has that fullUrl",
                )
            for key, item in node.items():
                if isinstance(item, dict | list) and key != "contained":
                    stack.append((item, f"{where}.{key}"))
        elif isinstance(node, list):
            for number, item in enumerate(node):
                if isinstance(item, dict | list):
                    stack.append((item, f"{where}[{number}]"))
