"""sharedsvc: shared service designs for UK councils and their health and care partners.

The public API is small:

>>> import sharedsvc
>>> [d.id for d in sharedsvc.list_designs()][:1]
['adult-social-care/contact']
>>> report = sharedsvc.validate("adult-social-care/contact", b'{"id": "x"}')
>>> report.valid
False

Everything listed in ``__all__`` is supported; other modules are internal
unless the documentation says otherwise.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sharedsvc._version import __version__

if TYPE_CHECKING:
    from datetime import datetime

    from sharedsvc.design import Design
    from sharedsvc.eligibility import determine_carer_eligibility, determine_eligibility
    from sharedsvc.process import Case, CaseEvent, CouncilConfig, Deadline, ProcessError
    from sharedsvc.shared_record import build_shared_care_record
    from sharedsvc.validation import Issue, Limits, Payload, Report

__all__ = [
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
]

# Names resolved on first use, so `import sharedsvc` (and `sharedsvc --help`) stays fast.
_LAZY = {
    "Case": "sharedsvc.process",
    "CaseEvent": "sharedsvc.process",
    "CouncilConfig": "sharedsvc.process",
    "Deadline": "sharedsvc.process",
    "ProcessError": "sharedsvc.process",
    "Design": "sharedsvc.design",
    "Issue": "sharedsvc.validation",
    "Limits": "sharedsvc.validation",
    "Report": "sharedsvc.validation",
    "build_shared_care_record": "sharedsvc.shared_record",
    "determine_carer_eligibility": "sharedsvc.eligibility",
    "determine_eligibility": "sharedsvc.eligibility",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'sharedsvc' has no attribute {name!r}")


def get_design(design_id: str) -> Design:
    """The design with this id, e.g. ``"adult-social-care/contact"``.

    Raises :class:`KeyError` (``UnknownDesignError``) listing the known ids.
    """
    from sharedsvc.registry import default_registry

    return default_registry().get(design_id)


def list_designs() -> list[Design]:
    """Every design shipped with sharedsvc, sorted by id."""
    from sharedsvc.registry import default_registry

    return default_registry().designs()


def validate(
    design_id: str, data: Payload, *, limits: Limits | None = None, source: str | None = None
) -> Report:
    """Validate a canonical JSON payload against a design.

    ``data`` is bytes or str (JSON text), a mapping, or a ``pathlib.Path`` to a
    JSON file. Returns a :class:`Report`; invalid input never raises. ``limits``
    caps the payload's size and nesting depth (10 MiB and 64 levels by default).
    """
    from sharedsvc.validation import DEFAULT_LIMITS
    from sharedsvc.validation import validate as _validate

    return _validate(design_id, data, limits=limits or DEFAULT_LIMITS, source=source)


def open_case(
    design_id: str, case_id: str, actor: str, at: datetime, config: CouncilConfig | None = None
) -> Case:
    """Open a process case for a design; see :class:`Case` for applying events."""
    from sharedsvc.process import Case

    return Case.open(get_design(design_id), case_id, actor, at, config)
