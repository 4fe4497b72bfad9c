"""What one emission or one read of FHIR needs to remember.

* :class:`EmitContext` — the Bundle entries being written, the subject's
  Reference, and the deterministic ids: each resource's id is
  ``uuid5(NAMESPACE, "<design>|<record id>|<JSON Pointer>")``, so one record
  always yields the same Bundle;
* :class:`ReadContext` — the Bundle being read, indexed once so that every
  reference resolves through a dict (never a scan), what was read, the issues
  met, and where in the FHIR each canonical value came from.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from typing import Any, Final

from sharedsvc.fhir.paths import ElementPath, Found

__all__ = [
    "NAMESPACE",
    "EmitContext",
    "FhirMappingError",
    "Located",
    "ReadContext",
    "ReadIssue",
    "deterministic_uuid",
    "join",
    "locate",
]

Json = Any

#: Namespace of sharedsvc's deterministic resource ids: uuid5(NAMESPACE_URL, "urn:sharedsvc").
NAMESPACE: Final = uuid.uuid5(uuid.NAMESPACE_URL, "urn:sharedsvc")
_NAMESPACE_BYTES: Final = NAMESPACE.bytes
#: The variant bits (RFC 9562 section 4.1) set on the first hex digit of the fourth group.
_VARIANT: Final = {f"{n:x}": f"{(n & 0x3) | 0x8:x}" for n in range(16)}


def _uuid_text(hashed: Any) -> str:
    """RFC 9562 version 5 text of a SHA-1 state (what ``uuid.uuid5`` computes, faster)."""
    h = hashed.hexdigest()
    return f"{h[:8]}-{h[8:12]}-5{h[13:16]}-{_VARIANT[h[16]]}{h[17:20]}-{h[20:32]}"


def deterministic_uuid(name: str) -> str:
    """``uuid.uuid5(NAMESPACE, name)`` as text."""
    return _uuid_text(hashlib.sha1(_NAMESPACE_BYTES + name.encode("utf-8")))


class FhirMappingError(ValueError):
    """A canonical value that FHIR cannot carry, or a mapping that cannot be applied.

    ``pointer`` is the JSON Pointer of the value in the canonical record and
    ``reason`` a fixed description; neither contains the value itself.
    """

    def __init__(self, pointer: str, reason: str) -> None:
        self.pointer = pointer
        self.reason = reason
        super().__init__(f"the value at {pointer or '/'} cannot be represented in FHIR: {reason}")


class EmitContext:
    """State of one emission: the Bundle's entries and the references of the context."""

    __slots__ = ("_hashed", "entries", "key", "record", "share", "subject")

    def __init__(self, key: str, *, share: bool = False) -> None:
        self.key = key
        #: Whether emitted JSON may share constant parts (safe when it goes straight to bytes).
        self.share = share
        self.entries: list[Json] = []
        self.subject: dict[str, str] | None = None
        #: The record being emitted (what a ``Fixed(of_record=True)`` derives from).
        self.record: Any = None
        # uuid5 over "key|pointer": hash the common prefix once per record.
        self._hashed = hashlib.sha1(_NAMESPACE_BYTES + key.encode("utf-8") + b"|")

    def urn(self, pointer: str) -> str:
        """``urn:uuid:`` + uuid5(NAMESPACE, "<design>|<record id>|<pointer>")."""
        hashed = self._hashed.copy()
        hashed.update(pointer.encode("utf-8"))
        return "urn:uuid:" + _uuid_text(hashed)


@dataclass(frozen=True, slots=True)
class Located:
    """A value read from FHIR with its absolute location (and its items' locations)."""

    value: Any
    location: str
    item_locations: tuple[str, ...] | None = None

    def item(self, number: int) -> str:
        """The location of the ``number``-th item of a list value."""
        if self.item_locations is not None:
            return self.item_locations[number]
        return f"{self.location}[{number}]"

    def items(self) -> list[tuple[Any, str]]:
        """Each item of a list value with its location."""
        values = self.value if isinstance(self.value, list) else [self.value]
        return [(v, self.item(n)) for n, v in enumerate(values)]


def locate(found: Found, at: str) -> Located:
    """A :class:`Found` (relative to an object) made absolute under ``at``."""
    where = join(at, found.location)
    if isinstance(found.value, list):
        count = len(found.value)
        items = tuple(join(at, found.item_location(i)) for i in range(count))
        return Located(found.value, where, items)
    return Located(found.value, where)


@dataclass
class ReadIssue:
    """An issue met while reading, with the context its message needs."""

    code: str
    location: str
    context: dict[str, object]


class ReadContext:
    """State of one read: the Bundle index, what was consumed, where values came from."""

    def __init__(self, entries: list[tuple[str, dict[str, Any]]], base: list[str]) -> None:
        #: (fullUrl or "", resource) per entry, and the location of each resource.
        self.entries = entries
        self.base = base
        # References resolve through this index (fullUrl, and Type/id), never by a scan.
        self.by_reference: dict[str, int] = {}
        for index, (full_url, resource) in enumerate(entries):
            if full_url:
                self.by_reference.setdefault(full_url, index)
            rid = resource.get("id")
            rtype = resource.get("resourceType")
            if isinstance(rid, str) and isinstance(rtype, str):
                self.by_reference.setdefault(f"{rtype}/{rid}", index)
        self.consumed: set[int] = set()
        #: Entries a resource already read points at as its companions: a per-item
        #: companion found by back-reference (a Patient's Flags) does not take them.
        self.reserved: set[int] = set()
        self.issues: list[ReadIssue] = []
        #: canonical JSON Pointer → FHIRPath-like location it was read from.
        self.locations: dict[str, str] = {}
        self._reverse: dict[tuple[str, str], dict[int, list[int]]] = {}

    def issue(self, code: str, location: str, **context: object) -> None:
        self.issues.append(ReadIssue(code, location, dict(context)))

    def resolve(self, reference: Json, location: str) -> int | None:
        """The entry a Reference points to (reporting it when it does not resolve)."""
        target = reference.get("reference") if isinstance(reference, dict) else None
        if not isinstance(target, str):
            self.issue("fhir.reference-unresolved", location, detail="it has no reference")
            return None
        index = self.by_reference.get(target)
        if index is None and "/" in target and not target.startswith("urn:"):
            index = self.by_reference.get("/".join(target.rsplit("/", 2)[-2:]))
        if index is None:
            self.issue(
                "fhir.reference-unresolved",
                f"{location}.reference",
                detail="no entry of the Bundle has that fullUrl",
            )
        return index

    def is_type(self, index: int, fhir_type: str, location: str) -> bool:
        """Whether entry ``index`` is a ``fhir_type`` (reporting it when not)."""
        if self.entries[index][1].get("resourceType") == fhir_type:
            return True
        self.issue(
            "fhir.reference-unresolved", location, detail=f"it should point to a {fhir_type}"
        )
        return False

    def referrers(self, resource_type: str, path: ElementPath, target: int) -> list[int]:
        """Entries of ``resource_type`` whose ``path`` references entry ``target``, in order.

        The reverse index is built once per (type, path) with one pass over the entries.
        """
        key = (resource_type, path.text)
        index = self._reverse.get(key)
        if index is None:
            index = {}
            for number, (_url, resource) in enumerate(self.entries):
                if resource.get("resourceType") != resource_type:
                    continue
                found = path.read(resource)
                if found is None:
                    continue
                refs = found.value if isinstance(found.value, list) else [found.value]
                for ref in refs:
                    value = ref.get("reference") if isinstance(ref, dict) else None
                    resolved = self.by_reference.get(value) if isinstance(value, str) else None
                    if resolved is not None:
                        index.setdefault(resolved, []).append(number)
            self._reverse[key] = index
        return index.get(target, [])


def join(at: str, location: str) -> str:
    """``at.location``, either may be empty."""
    return f"{at}.{location}" if at and location else at or location
