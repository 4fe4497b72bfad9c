"""Code lists (value sets) and the field types bound to them.

Value sets live as YAML files under ``designs/valuesets/``, each citing its
source (or saying plainly that it is local to sharedsvc). Two kinds of field
bind to them:

* ``Annotated[str, InValueSet(id)]`` — a plain string code, for lists whose
  codes are unique (Client Level Data strings, NHS Data Dictionary codes).
  Suppliers send ``"Prison"``, not an object.
* ``Annotated[Coding, InValueSet(id)]`` — a :class:`Coding` object (system,
  code, display), for codes from a shared terminology such as SNOMED CT.

Both put the allowed codes into the JSON Schema as an ``enum``, so a
schema-only validator catches a wrong code too.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

__all__ = ["Coding", "Concept", "InValueSet", "ValueSet", "ValueSetSource"]

#: Prefix of code-system URIs for lists that have no published URI.
LOCAL_SYSTEM_PREFIX = "urn:sharedsvc:codesystem:"


class ValueSetSource(BaseModel):
    """Where a value set comes from."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    publisher: str
    title: str
    url: str = Field(pattern=r"^https?://")
    note: str | None = None


class Concept(BaseModel):
    """One code of a value set."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(min_length=1)
    display: str = Field(min_length=1)
    definition: str | None = None
    system: str | None = Field(
        default=None, description="Only where it differs from the value set's system."
    )


class ValueSet(BaseModel):
    """A source-cited code list (one file of ``designs/valuesets/``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
    title: str
    description: str
    system: str = Field(min_length=1)
    version: str | None = None
    source: ValueSetSource
    local: bool
    concepts: tuple[Concept, ...] = Field(min_length=1)

    def system_of(self, concept: Concept) -> str:
        """The code system a concept belongs to."""
        return concept.system or self.system

    @property
    def codes(self) -> tuple[str, ...]:
        """The codes, in source order."""
        return tuple(c.code for c in self.concepts)

    @property
    def systems(self) -> tuple[str, ...]:
        """The code systems the list draws on, in first-use order."""
        return tuple(dict.fromkeys(self.system_of(c) for c in self.concepts))

    def display(self, code: str, system: str | None = None) -> str | None:
        """The display of a code, or None if the code is not in the list."""
        for c in self.concepts:
            if c.code == code and (system is None or self.system_of(c) == system):
                return c.display
        return None


class Coding(BaseModel):
    """A code from a code system, as in FHIR's Coding (system, code, display)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    system: str = Field(
        min_length=1,
        description="URI of the code system, e.g. http://snomed.info/sct.",
        json_schema_extra={"x-classification": "non-personal"},
    )
    code: str = Field(
        min_length=1,
        description="The code within that system.",
        json_schema_extra={"x-classification": "non-personal"},
    )
    display: str | None = Field(
        default=None,
        description="Human-readable text for the code, as the code system gives it.",
        json_schema_extra={"x-classification": "non-personal"},
    )


@cache
def _valueset(valueset_id: str) -> ValueSet:
    from sharedsvc.registry import default_registry  # the registry reads designs/

    return default_registry().valueset(valueset_id)


def _unknown(valueset_id: str) -> PydanticCustomError:
    return PydanticCustomError(
        "coding.unknown-code", "code is not in value set {valueset}", {"valueset": valueset_id}
    )


@dataclass(frozen=True, slots=True)
class InValueSet:
    """Binds a field to a value set: ``Annotated[str, InValueSet("contact-urgency")]``.

    On a ``str`` field the value is a plain code, which must be unique within
    the value set (the code system follows from the code). On a :class:`Coding`
    field the system and code must both match. The allowed codes go into the
    JSON Schema as an ``enum``.
    """

    valueset_id: str

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        vs = _valueset(self.valueset_id)
        if source is str:
            if len(set(vs.codes)) != len(vs.codes):
                raise TypeError(f"value set {self.valueset_id!r} repeats a code; bind a Coding")
            codes = frozenset(vs.codes)

            def check_code(value: str) -> str:
                if value not in codes:
                    raise _unknown(self.valueset_id)
                return value

            return core_schema.no_info_after_validator_function(check_code, handler(source))
        if source is Coding:
            pairs = frozenset((vs.system_of(c), c.code) for c in vs.concepts)
            systems = frozenset(vs.systems)

            def check_coding(value: Coding) -> Coding:
                if value.system not in systems:
                    raise PydanticCustomError(
                        "coding.wrong-system",
                        "code system is not a system of value set {valueset}",
                        {"valueset": self.valueset_id},
                    )
                if (value.system, value.code) not in pairs:
                    raise _unknown(self.valueset_id)
                return value

            return core_schema.no_info_after_validator_function(check_coding, handler(source))
        raise TypeError(f"InValueSet binds str or Coding fields, not {source!r}")

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        vs = _valueset(self.valueset_id)
        if schema.get("type") == "function-after" and schema["schema"].get("type") == "str":
            return {"type": "string", "enum": list(vs.codes), "x-valueset": vs.id}
        branches: list[JsonSchemaValue] = [
            {
                "type": "object",
                "properties": {
                    "system": {"const": system},
                    "code": {"enum": [c.code for c in vs.concepts if vs.system_of(c) == system]},
                    "display": {"type": "string"},
                },
                "required": ["system", "code"],
                "additionalProperties": False,
            }
            for system in vs.systems
        ]
        out = branches[0] if len(branches) == 1 else {"anyOf": branches}
        return {**out, "x-valueset": vs.id}
