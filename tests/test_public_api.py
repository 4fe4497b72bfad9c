"""The public API is pinned: a change to it is a deliberate, reviewed change."""

from __future__ import annotations

import subprocess
import sys

import pytest

import sharedsvc

EXPECTED = {
    "Case",
    "CaseEvent",
    "CouncilConfig",
    "Deadline",
    "Design",
    "Issue",
    "Limits",
    "ProcessError",
    "Report",
    "__version__",
    "build_shared_care_record",
    "determine_carer_eligibility",
    "determine_eligibility",
    "get_design",
    "list_designs",
    "open_case",
    "validate",
}


def test_all_lists_exactly_the_public_names() -> None:
    assert set(sharedsvc.__all__) == EXPECTED


def test_every_public_name_resolves_and_is_documented() -> None:
    for name in sharedsvc.__all__:
        value = getattr(sharedsvc, name)
        if name != "__version__":
            assert value.__doc__, name


def test_unknown_attribute_raises_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        sharedsvc.no_such_name  # type: ignore[attr-defined]  # noqa: B018


def test_importing_the_package_does_not_import_pydantic_or_fhir() -> None:
    code = "import sys, sharedsvc; print('pydantic' in sys.modules, 'fhir' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
