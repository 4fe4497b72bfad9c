"""Information governance: data classification of every field, and redaction.

Every field of every record is declared with :func:`classified`, which puts
its description and classification into the model, the JSON Schema
(``x-classification``) and the docs. Values of ``personal`` and
``special-category`` fields never appear in issue messages, logs or
exceptions; :func:`redact` gives a view of a record fit for a log line.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Final

from pydantic import BaseModel, Field
from pydantic.fields import FieldInfo

__all__ = [
    "CLASSIFICATION_KEY",
    "NON_PERSONAL",
    "PERSONAL",
    "SPECIAL_CATEGORY",
    "Classification",
    "classification_of",
    "classified",
    "redact",
]

#: The JSON Schema annotation keyword carrying a field's classification.
CLASSIFICATION_KEY: Final = "x-classification"


class Classification(StrEnum):
    """How sensitive a field is (UK GDPR Article 4(1) personal data; Article 9 special category)."""

    #: Not about an identifiable person: codes, dates of process events, organisation ids.
    NON_PERSONAL = "non-personal"
    #: Identifies or relates to a living person (Article 4(1)).
    PERSONAL = "personal"
    #: Health, ethnic origin, religion, sex life or sexual orientation… (Article 9(1)).
    SPECIAL_CATEGORY = "special-category"

    @property
    def personal(self) -> bool:
        """Whether values of this class must be kept out of messages and logs."""
        return self is not Classification.NON_PERSONAL


NON_PERSONAL: Final = Classification.NON_PERSONAL
PERSONAL: Final = Classification.PERSONAL
SPECIAL_CATEGORY: Final = Classification.SPECIAL_CATEGORY


def classified(
    classification: Classification, description: str, default: Any = ..., **kwargs: Any
) -> Any:
    """Declare a model field with its classification and description (both required)."""
    if not description.strip():
        raise ValueError("every field needs a description")
    extra = kwargs.pop("json_schema_extra", None) or {}
    return Field(
        default,
        description=description,
        json_schema_extra={**extra, CLASSIFICATION_KEY: classification.value},
        **kwargs,
    )


def classification_of(info: FieldInfo) -> Classification | None:
    """The classification a field was declared with, or None if it has none."""
    extra = info.json_schema_extra
    if isinstance(extra, dict):
        value = extra.get(CLASSIFICATION_KEY)
        if isinstance(value, str):
            return Classification(value)
    return None


REDACTED: Final = "[redacted]"


def redact(record: BaseModel) -> dict[str, Any]:
    """A JSON-ready view of ``record`` with personal and special-category values masked.

    Structure (which fields are present) is kept, so a redacted record is still
    useful in a log or a support ticket.
    """
    return _redact_model(record)


def _redact_model(record: BaseModel) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, info in type(record).model_fields.items():
        value = getattr(record, name)
        if value is None:
            continue
        key = info.alias or name
        cls = classification_of(info)
        out[key] = _redact_value(value, masked=cls is None or cls.personal)
    return out


def _redact_value(value: Any, *, masked: bool) -> Any:
    if isinstance(value, BaseModel):
        return _redact_model(value)
    if isinstance(value, list | tuple):
        return [_redact_value(v, masked=masked) for v in value]
    return REDACTED if masked else value
