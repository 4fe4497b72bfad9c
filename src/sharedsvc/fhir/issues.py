"""The ``fhir.*`` issue codes, as registered in :mod:`sharedsvc.codes` (the one registry)."""

from __future__ import annotations

from typing import Final

from sharedsvc.codes import CODES, IssueCode

__all__ = ["FHIR_CODES"]

#: Every issue code of FHIR input validation.
FHIR_CODES: Final[tuple[IssueCode, ...]] = tuple(
    entry for code, entry in CODES.items() if code.startswith("fhir.")
)
