"""The base of every canonical record: closed, immutable, camelCase on the wire."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticCustomError

from sharedsvc.calendars import LONDON

__all__ = ["PastDate", "Record", "RecordId", "Timestamp"]


class Record(BaseModel):
    """Base class of canonical records.

    Records are closed (an unknown field is an error, so a misspelt field is
    caught rather than dropped), immutable, and use camelCase names in JSON as
    FHIR and most UK APIs do, while Python code uses snake_case.
    """

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        alias_generator=to_camel,
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        # pydantic's own error text quotes the input, which may be personal data.
        hide_input_in_errors=True,
        # NaN and Infinity are not JSON (RFC 8259 s6), whatever some parsers accept.
        allow_inf_nan=False,
    )


#: A record identifier chosen by the system that holds the record.
RecordId = Annotated[
    str,
    Field(
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$",
        description="Identifier of the record in the system that holds it (1-64 characters: "
        "letters, digits, '.', '_' and '-'). Not an identifier of the person.",
        examples=["CON-2026-000123"],
    ),
]

#: A point in time with its UTC offset. Naive date-times are refused.
Timestamp = AwareDatetime


def _not_in_future(value: date) -> date:
    from datetime import datetime

    if value > datetime.now(LONDON).date():
        raise PydanticCustomError("date.in-future", "date is in the future")
    return value


#: A date that cannot be later than today (UK local date), e.g. a birth date.
PastDate = Annotated[date, AfterValidator(_not_in_future)]
