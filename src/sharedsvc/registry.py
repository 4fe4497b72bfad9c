"""The registry: the only code that reads ``designs/``.

It discovers every design shipped with the package, loads each design file
once, links it to its record model and business rules, and cross-checks the
lot (:meth:`Registry.check`): record models import, every example parses and
raises exactly the issues it expects, every value set file is well formed.

Loading is lazy and cached, so ``sharedsvc list`` does not import pydantic
models it does not need.
"""

from __future__ import annotations

import importlib
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from sharedsvc.design import Design, DesignError, load_design
from sharedsvc.terminology import ValueSet

__all__ = [
    "Example",
    "ExpectedIssue",
    "Registry",
    "UnknownDesignError",
    "data_root",
    "default_registry",
]


def data_root() -> Path:
    """Where ``designs/`` and ``schemas/`` are: inside the wheel, or the source checkout."""
    packaged = Path(__file__).parent / "_data"
    if (packaged / "designs").is_dir():
        return packaged
    return Path(__file__).resolve().parents[2]


class UnknownDesignError(KeyError):
    """No design has this id."""

    def __init__(self, design_id: str, known: list[str]):
        self.design_id = design_id
        super().__init__(f"no design '{design_id}'; known designs: {', '.join(known)}")

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True, slots=True)
class ExpectedIssue:
    """An issue an invalid example must raise."""

    code: str
    path: str


@dataclass(frozen=True, slots=True)
class Example:
    """An example payload shipped with a design (a conformance vector)."""

    design_id: str
    name: str
    path: Path
    valid: bool
    description: str
    payload: Any
    expect: tuple[ExpectedIssue, ...] = ()


class Registry:
    """Designs and value sets found under one data root."""

    def __init__(self, root: Path | None = None):
        self.root = root or data_root()
        self.designs_dir = self.root / "designs"
        self._designs: dict[str, Design] = {}
        self._valuesets: dict[str, ValueSet] = {}
        self._lock = threading.Lock()

    # -- designs -------------------------------------------------------------------------
    @property
    def ids(self) -> list[str]:
        """Every design id, sorted."""
        return sorted(
            f"{p.parent.parent.name}/{p.parent.name}"
            for p in self.designs_dir.glob("*/*/design.yaml")
        )

    def design_dir(self, design_id: str) -> Path:
        """The folder of a design."""
        if design_id not in self.ids:
            raise UnknownDesignError(design_id, self.ids)
        return self.designs_dir / design_id

    def get(self, design_id: str) -> Design:
        """The design with this id, loaded once."""
        with self._lock:
            if design_id not in self._designs:
                self._designs[design_id] = load_design(self.design_dir(design_id) / "design.yaml")
            return self._designs[design_id]

    def designs(self) -> list[Design]:
        """Every design, sorted by id."""
        return [self.get(i) for i in self.ids]

    def record_model(self, design: Design | str) -> type[BaseModel]:
        """The pydantic model of the design's record, with its business rules registered."""
        design = self.get(design) if isinstance(design, str) else design
        return _import_record(design.record.model, design.record.rules)

    def prose(self, design_id: str, name: str) -> str | None:
        """Hand-written guidance beside the design (``intro.md``, ``notes.md``), if present."""
        path = self.design_dir(design_id) / f"{name}.md"
        return path.read_text(encoding="utf-8") if path.is_file() else None

    # -- examples ------------------------------------------------------------------------
    def examples(self, design_id: str) -> list[Example]:
        """The design's canonical examples: valid ones first, each sorted by name."""
        base = self.design_dir(design_id) / "examples"
        out: list[Example] = []
        for kind in ("valid", "invalid"):
            for path in sorted((base / kind).glob("*.json")):
                out.append(_read_example(design_id, path, valid=kind == "valid"))
        return out

    # -- value sets ----------------------------------------------------------------------
    @property
    def valueset_ids(self) -> list[str]:
        """Every value set id, sorted."""
        return sorted(p.stem for p in (self.designs_dir / "valuesets").glob("*.yaml"))

    def valueset(self, valueset_id: str) -> ValueSet:
        """The value set with this id, loaded once."""
        with self._lock:
            if valueset_id not in self._valuesets:
                path = self.designs_dir / "valuesets" / f"{valueset_id}.yaml"
                if not path.is_file():
                    raise KeyError(f"no value set '{valueset_id}' in {path.parent}")
                self._valuesets[valueset_id] = _read_valueset(path)
            return self._valuesets[valueset_id]

    # -- cross-checks --------------------------------------------------------------------
    def check(self) -> list[str]:
        """Every problem found across designs, models, examples and value sets."""
        return list(self._problems())

    def _problems(self) -> Iterator[str]:
        from sharedsvc.validation import validate  # validation asks the registry for models

        for vs_id in self.valueset_ids:
            try:
                self.valueset(vs_id)
            except (DesignError, ValidationError, ValueError) as exc:
                yield f"value set {vs_id}: {exc}"
        for design_id in self.ids:
            try:
                design = self.get(design_id)
                self.record_model(design)
            except (DesignError, ImportError, AttributeError, TypeError) as exc:
                yield f"{design_id}: {exc}"
                continue
            try:
                examples = self.examples(design_id)
            except DesignError as exc:
                yield f"{design_id}: {exc}"
                continue
            if not any(e.valid for e in examples):
                yield f"{design_id}: has no valid examples"
            for example in examples:
                report = validate(design_id, example.payload)
                got = {ExpectedIssue(i.code, i.path) for i in report.issues}
                if example.valid and report.issues:
                    yield f"{example.path}: expected valid, got {sorted(map(str, got))}"
                elif not example.valid and got != set(example.expect):
                    want = sorted(f"{e.code} at {e.path}" for e in example.expect)
                    have = sorted(f"{e.code} at {e.path}" for e in got)
                    yield f"{example.path}: expected {want}, got {have}"


@cache
def _import_record(model_path: str, rules_module: str | None) -> type[BaseModel]:
    module_name, _, class_name = model_path.partition(":")
    model = getattr(importlib.import_module(module_name), class_name)
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        raise TypeError(f"{model_path} is not a pydantic model")
    if rules_module:
        importlib.import_module(rules_module)
    return model


def _read_example(design_id: str, path: Path, *, valid: bool) -> Example:
    try:
        data = json.loads(path.read_bytes())
    except (ValueError, OSError) as exc:
        raise DesignError(path, None, None, f"example is not readable JSON: {exc}") from None
    if valid:
        return Example(design_id, path.stem, path, True, "", data)
    if not (isinstance(data, dict) and {"description", "expect", "payload"} <= data.keys()):
        raise DesignError(path, None, None, "an invalid example needs description, expect, payload")
    expect = tuple(ExpectedIssue(e["code"], e["path"]) for e in data["expect"])
    if not expect:
        raise DesignError(path, None, "expect", "an invalid example must expect an issue")
    return Example(design_id, path.stem, path, False, data["description"], data["payload"], expect)


def _read_valueset(path: Path) -> ValueSet:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise DesignError(path, None, None, f"not valid YAML: {exc}") from None
    vs = ValueSet.model_validate(data)
    if vs.id != path.stem:
        raise DesignError(path, 1, "id", f"id '{vs.id}' does not match the file name")
    seen = [(vs.system_of(c), c.code) for c in vs.concepts]
    if len(seen) != len(set(seen)):
        raise DesignError(path, None, "concepts", "a code is listed twice")
    return vs


@cache
def default_registry() -> Registry:
    """The registry of the designs shipped with sharedsvc."""
    return Registry()
