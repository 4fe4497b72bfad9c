"""Regenerate the FHIR artefacts: the R4B shape table and each design's FHIR example Bundles.

    python -m sharedsvc.fhir.generate           # rewrite them
    python -m sharedsvc.fhir.generate --check   # compare, print a diff, exit 1 on drift

* ``src/sharedsvc/fhir/r4b_shapes.json`` from the fhir.resources models
  (:mod:`sharedsvc.fhir.shapes_build`; needs the ``fhir`` extra);
* ``designs/<domain>/<design>/examples/fhir/<example>.json``: the UK Core Bundle
  of every valid canonical example of every mapped design, never edited by hand.

Output is deterministic: two-space indent, a trailing newline, no timestamps,
and keys in the order the mapping writes them, which is FHIR's element order
(``resourceType`` first, as FHIR JSON is read), fixed by the declaration.
FHIR JSON has no place for a "generated" note; this module's name is the note.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sharedsvc.registry import Registry, default_registry

__all__ = ["expected_files", "main"]

FIX_COMMAND = "python -m sharedsvc.fhir.generate"


def _dump(value: Any, *, sort_keys: bool = False) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=sort_keys) + "\n"


def example_bundles(registry: Registry) -> Iterator[tuple[Path, str]]:
    """(path, text) of every FHIR example Bundle, from the valid canonical examples."""
    from sharedsvc.fhir.bundle import bundle_json, mapping_or_none

    for design_id in registry.ids:
        if mapping_or_none(design_id) is None:
            continue
        model = registry.record_model(design_id)
        folder = registry.design_dir(design_id) / "examples" / "fhir"
        for example in registry.examples(design_id):
            if not example.valid:
                continue
            record = model.model_validate(example.payload)
            yield folder / f"{example.name}.json", _dump(bundle_json(record, design_id))


def shape_file() -> tuple[Path, str]:
    """(path, text) of the shape table."""
    from sharedsvc.fhir.shapes_build import build

    return Path(__file__).with_name("r4b_shapes.json"), _dump(build(), sort_keys=True)


def expected_files(
    registry: Registry | None = None, *, shapes: bool = True
) -> list[tuple[Path, str]]:
    """Every generated file with the text it should have."""
    reg = registry or default_registry()
    files = list(example_bundles(reg))
    if shapes:
        files.append(shape_file())
    return files


def stale_files(files: list[tuple[Path, str]], registry: Registry) -> list[Path]:
    """FHIR example files on disk that no canonical example generates any more."""
    wanted = {path for path, _ in files}
    found = set(registry.designs_dir.glob("*/*/examples/fhir/*.json"))
    return sorted(found - wanted)


def check(files: list[tuple[Path, str]], registry: Registry) -> list[str]:
    """A unified diff for every generated file that differs from what is on disk."""
    diffs: list[str] = []
    for path, text in files:
        current = path.read_text("utf-8") if path.is_file() else ""
        if current != text:
            diffs.append(
                "".join(
                    difflib.unified_diff(
                        current.splitlines(keepends=True),
                        text.splitlines(keepends=True),
                        f"{path} (on disk)",
                        f"{path} (generated)",
                    )
                )
            )
    for path in stale_files(files, registry):
        diffs.append(f"{path}: no valid canonical example generates this file\n")
    return diffs


def write(files: list[tuple[Path, str]], registry: Registry) -> None:
    for path, text in files:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    for path in stale_files(files, registry):
        path.unlink()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sharedsvc.fhir.generate", description=__doc__)
    parser.add_argument("--check", action="store_true", help="compare and print a diff")
    parser.add_argument(
        "--no-shapes", action="store_true", help="leave r4b_shapes.json (no fhir.resources)"
    )
    args = parser.parse_args(argv)
    registry = default_registry()
    files = expected_files(registry, shapes=not args.no_shapes)
    if args.check:
        diffs = check(files, registry)
        if diffs:
            sys.stdout.write("".join(diffs))
            sys.stdout.write(f"\nGenerated FHIR files are out of date; run: {FIX_COMMAND}\n")
            return 1
        print(f"{len(files)} generated FHIR files are up to date")
        return 0
    write(files, registry)
    print(f"wrote {len(files)} FHIR files")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
