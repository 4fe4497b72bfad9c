"""Element paths: where a mapped value sits inside a FHIR resource or datatype.

A mapping names the FHIR element of each canonical field with a small path
language, compiled once against the shape table so that a misspelt element is
an error when the mapping loads, not a silently missing value:

``birthDate``
    an element;
``name[0].family``
    an item of a repeating element, by position;
``identifier[system=https://fhir.nhs.uk/Id/nhs-number].value``
    the item of a repeating element whose ``system`` has this value (a *slice*,
    in FHIR profiling terms); written, the item is created with ``system`` set;
``category[coding.system=urn:…]``
    a slice discriminated by a nested value (the first item of each list on the
    way);
``identifier``
    at the end of a path, a repeating element as a whole, less the items that
    slices declared on the same element claim (FHIR's *open slicing*);
``requester[type=RelatedPerson]``
    a single element, only when its value matches;
``a | b``
    alternatives: written to the first that is free, read from any;
``.``
    the object itself (a converter that writes several elements at once).

Reading returns the value with its FHIRPath-like location
(``identifier[1].value``) so that issues found later can point into the input.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sharedsvc.fhir.structure import PRIMITIVES, shape_table

__all__ = ["ElementPath", "Found", "MappingDeclarationError", "Step", "compile_path"]

_STEP_RE = re.compile(r"^([A-Za-z][A-Za-z0-9]*)(?:\[([^\]]*)\])?$")


class MappingDeclarationError(Exception):
    """A mapping declaration is wrong (a programming error, raised when it loads)."""


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a path: an element, with an optional position or discriminator."""

    name: str
    is_list: bool
    type_name: str
    index: int | None = None
    disc_path: tuple[str, ...] = ()
    disc_value: str | None = None

    @property
    def sliced(self) -> bool:
        return self.disc_value is not None

    def matches(self, item: Any) -> bool:
        """Whether an item satisfies this step's discriminator."""
        path = self.disc_path
        if len(path) == 1 and path[0] != "type":
            # The common case (``linkId=…``, ``url=…``, ``system=…``), written out: it runs
            # for every item of a list each time a sliced path is written.
            if not isinstance(item, dict):
                return False
            value = item.get(path[0])
            if type(value) is list:
                value = value[0] if value else None
            return bool(value == self.disc_value)
        if path == ("type",) and isinstance(item, dict) and "type" not in item:
            # A Reference without ``type``: a relative reference still names its type.
            target = item.get("reference")
            return isinstance(target, str) and target.startswith(f"{self.disc_value}/")
        value = item
        for part in self.disc_path:
            if isinstance(value, list):
                value = value[0] if value else None
            if not isinstance(value, dict):
                return False
            value = value.get(part)
        if isinstance(value, list):
            value = value[0] if value else None
        return bool(value == self.disc_value)

    def new_item(self) -> dict[str, Any]:
        """A fresh item carrying the discriminator value."""
        return _nest(self, self.disc_value)

    def fhirpath(self) -> str:
        """The step in FHIRPath: ``identifier.where(system='…')``."""
        if self.sliced:
            return f"{self.name}.where({'.'.join(self.disc_path)}='{self.disc_value}')"
        return self.label()

    def label(self) -> str:
        """The step as written in a mapping table."""
        if self.index is not None:
            return f"{self.name}[{self.index}]"
        if self.sliced:
            return f"{self.name}[{'.'.join(self.disc_path)}={self.disc_value}]"
        return self.name


def _nest(step: Step, value: Any) -> dict[str, Any]:
    """Build ``{"coding": [{"system": value}]}`` for ``coding.system=value``."""
    table = shape_table()["types"]
    type_name = step.type_name
    built: list[tuple[str, bool]] = []
    for part in step.disc_path:
        spec = table[type_name]["elements"][part]
        built.append((part, bool(spec.get("list"))))
        type_name = spec["type"]
    result: Any = value
    for part, is_list in reversed(built):
        result = {part: [result] if is_list else result}
    assert isinstance(result, dict)
    return result


@dataclass(frozen=True, slots=True)
class Found:
    """A value read from FHIR, with its location relative to the object read."""

    value: Any
    location: str
    #: For a whole repeating element: the position of each item returned.
    positions: tuple[int, ...] | None = None

    def item_location(self, number: int) -> str:
        """The location of the ``number``-th item of a list value."""
        if self.positions is None:
            return f"{self.location}[{number}]"
        return f"{self.location}[{self.positions[number]}]"


@dataclass(frozen=True, slots=True)
class ElementPath:
    """A compiled element path (one or more alternatives)."""

    text: str
    owner: str
    alternatives: tuple[tuple[Step, ...], ...]
    #: For each alternative whose last step is a whole repeating element: the slices
    #: declared on that element elsewhere in the same map, whose items it leaves out.
    siblings: list[list[Step]] = field(default_factory=list, compare=False)

    @property
    def target_type(self) -> str:
        """The FHIR type of the element the (first) path ends at."""
        steps = self.alternatives[0]
        return steps[-1].type_name if steps else self.owner

    @property
    def primitive(self) -> bool:
        return self.target_type in PRIMITIVES

    @property
    def repeats(self) -> bool:
        """Whether the path ends at a whole repeating element (a list is written)."""
        if not self.alternatives[0]:
            return False
        last = self.alternatives[0][-1]
        return last.is_list and last.index is None and not last.sliced

    # -- writing -----------------------------------------------------------------------------
    def write(self, target: dict[str, Any], value: Any) -> bool:
        """Write ``value``; False if every alternative is already occupied."""
        for steps in self.alternatives:  # noqa: SIM110 - a loop is faster than any() here
            if _write(target, steps, value):
                return True
        return False

    # -- reading -----------------------------------------------------------------------------
    def read(self, source: dict[str, Any]) -> Found | None:
        """The value and its location, or None when absent."""
        for number, steps in enumerate(self.alternatives):
            siblings = self.siblings[number] if number < len(self.siblings) else []
            found = _read(source, steps, siblings)
            if found is not None:
                return found
        return None

    def location(self) -> str:
        """Where the value would be, in FHIRPath (for issues about a missing value)."""
        return ".".join(s.fhirpath() for s in self.alternatives[0])


def _write(target: dict[str, Any], steps: tuple[Step, ...], value: Any) -> bool:
    if not steps:
        _merge(target, value)
        return True
    current = target
    for step in steps[:-1]:
        if not step.is_list:
            nxt = current.get(step.name)
            if nxt is None:
                nxt = current[step.name] = {}
            elif step.sliced and not step.matches(nxt):
                return False
            current = nxt
            continue
        items = current.setdefault(step.name, [])
        if step.index is not None:
            while len(items) <= step.index:
                items.append({})
            current = items[step.index]
            continue
        for item in items:
            if step.matches(item):
                current = item
                break
        else:
            item = step.new_item()
            items.append(item)
            current = item
    last = steps[-1]
    if not last.is_list:
        if last.name in current:
            existing = current[last.name]
            if isinstance(existing, dict) and isinstance(value, dict) and not last.sliced:
                _merge(existing, value)
                return True
            return False
        current[last.name] = value
        return True
    items = current.setdefault(last.name, [])
    if last.index is not None:
        while len(items) <= last.index:
            items.append({})
        if items[last.index]:
            _merge(items[last.index], value)
        else:
            items[last.index] = value
        return True
    if last.sliced:
        for position, item in enumerate(items):
            if last.matches(item):
                _merge(items[position], value)
                return True
        items.append(value)
        return True
    items.extend(value)
    return True


def _merge(into: dict[str, Any], value: dict[str, Any]) -> None:
    for key, item in value.items():
        if key in into and isinstance(into[key], dict) and isinstance(item, dict):
            _merge(into[key], item)
        elif key in into and isinstance(into[key], list) and isinstance(item, list):
            into[key].extend(item)
        else:
            into[key] = item


def _read(source: dict[str, Any], steps: tuple[Step, ...], siblings: list[Step]) -> Found | None:
    if not steps:
        return Found(source, "")
    current: Any = source
    where: list[str] = []
    for number, step in enumerate(steps):
        last = number == len(steps) - 1
        if not isinstance(current, dict) or step.name not in current:
            return None
        value = current[step.name]
        if not step.is_list:
            if step.sliced and not step.matches(value):
                return None
            where.append(step.name)
            current = value
            continue
        if not isinstance(value, list):
            return None
        if step.index is not None:
            if step.index >= len(value):
                return None
            where.append(f"{step.name}[{step.index}]")
            current = value[step.index]
            continue
        if step.sliced:
            for position, item in enumerate(value):
                if step.matches(item):
                    where.append(f"{step.name}[{position}]")
                    current = item
                    break
            else:
                return None
            continue
        if not last:  # compile_path refuses this
            return None
        rest = [
            (position, item)
            for position, item in enumerate(value)
            if not any(s.matches(item) for s in siblings)
        ]
        if not rest:
            return None
        where.append(step.name)
        return Found([item for _, item in rest], ".".join(where), tuple(p for p, _ in rest))
    return Found(current, ".".join(where))


def _parse_step(text: str) -> tuple[str, str | None]:
    match = _STEP_RE.match(text)
    if match is None:
        raise MappingDeclarationError(f"malformed path step {text!r}")
    return match.group(1), match.group(2)


def compile_path(text: str, owner: str) -> ElementPath:
    """Compile a path on type ``owner`` (a resource or datatype name) against the shapes."""
    alternatives = tuple(_compile_one(part.strip(), owner) for part in text.split("|"))
    return ElementPath(text, owner, alternatives)


def _split_steps(text: str) -> Iterable[str]:
    depth = 0
    start = 0
    for position, char in enumerate(text):
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
        elif char == "." and depth == 0:
            yield text[start:position]
            start = position + 1
    yield text[start:]


def _compile_one(text: str, owner: str) -> tuple[Step, ...]:
    if text == ".":
        return ()
    table = shape_table()["types"]
    type_name = owner
    steps: list[Step] = []
    parts = list(_split_steps(text))
    for number, part in enumerate(parts):
        name, selector = _parse_step(part)
        shape = table.get(type_name)
        if shape is None or name not in shape["elements"]:
            raise MappingDeclarationError(f"{owner}: {text!r}: {type_name} has no element {name}")
        spec = shape["elements"][name]
        is_list = bool(spec.get("list"))
        element_type = spec["type"]
        index: int | None = None
        disc_path: tuple[str, ...] = ()
        disc_value: str | None = None
        if selector is not None:
            if selector.isdigit():
                if not is_list:
                    raise MappingDeclarationError(f"{owner}: {text!r}: {name} does not repeat")
                index = int(selector)
            else:
                key, sep, value = selector.partition("=")
                if not sep:
                    raise MappingDeclarationError(f"{owner}: {text!r}: bad selector {selector!r}")
                disc_path = tuple(key.split("."))
                disc_value = value
                _check_disc(table, element_type, disc_path, owner, text)
        elif is_list and number < len(parts) - 1:
            raise MappingDeclarationError(
                f"{owner}: {text!r}: say which item of {name} (a position or a slice)"
            )
        steps.append(Step(name, is_list, element_type, index, disc_path, disc_value))
        type_name = element_type
    return tuple(steps)


def _check_disc(
    table: dict[str, Any], type_name: str, disc_path: tuple[str, ...], owner: str, text: str
) -> None:
    for part in disc_path:
        shape = table.get(type_name)
        if shape is None or part not in shape["elements"]:
            raise MappingDeclarationError(f"{owner}: {text!r}: {type_name} has no element {part}")
        type_name = shape["elements"][part]["type"]
    if type_name not in PRIMITIVES:
        raise MappingDeclarationError(f"{owner}: {text!r}: a discriminator must be a primitive")
