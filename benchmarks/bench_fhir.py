"""Benchmark the FHIR paths of sharedsvc (one process, one core).

    .venv/bin/python benchmarks/bench_fhir.py            # full run
    .venv/bin/python benchmarks/bench_fhir.py --quick    # smaller sizes

Measures, on the valid examples of the mapped designs:

1. emit: records (already validated model instances) → UK Core FHIR Bundle JSON
   bytes, straight from the declarative mapping, per design and for all in turn
   (target ≥ 20,000 records/s, checked on the pilot, contacts; the designs whose
   records make more resources are listed when they fall below it);
2. structure: the compiled structural check of those Bundles against
   constructing the same Bundles with fhir.resources (target ≥ 10× faster);
3. scaling: validating one Bundle of 10,000 and one of 100,000 entries
   (structure, UK Core rules, every ``urn:uuid`` reference resolved through a
   dict index), which must cost no more than 12× as much for 10× the entries.

Each figure is the best of several runs, to keep other load on the machine out.
"""

from __future__ import annotations

import argparse
import gc
import platform
import sys
import time
from collections.abc import Callable
from typing import Any

import orjson
from pydantic import BaseModel

from sharedsvc.fhir import mapped_designs
from sharedsvc.fhir.bundle import bundle_bytes, bundle_json, entries_of
from sharedsvc.fhir.conformance import check_ukcore
from sharedsvc.fhir.structure import checker
from sharedsvc.fhir.validate import validate_fhir
from sharedsvc.registry import default_registry
from sharedsvc.validation import Limits

#: Limits that let the 100,000-entry Bundle through (about 70 MB of JSON).
LARGE = Limits(max_bytes=512 * 1024 * 1024)


def best_of(runs: int, action: Callable[[], object]) -> float:
    """The shortest wall time of ``runs`` runs, with the garbage collector paused."""
    times = []
    for _ in range(runs):
        gc.collect()
        gc.disable()
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
        gc.enable()
    return min(times)


def example_records() -> list[tuple[str, BaseModel]]:
    registry = default_registry()
    out = []
    for design_id in mapped_designs():
        model = registry.record_model(design_id)
        for example in registry.examples(design_id):
            if example.valid:
                out.append((design_id, model.model_validate(example.payload)))
    return out


def many_records(count: int) -> list[tuple[str, BaseModel]]:
    """``count`` records: the examples in turn, each with its own id."""
    examples = example_records()
    out = []
    for number in range(count):
        design_id, record = examples[number % len(examples)]
        if "id" in type(record).model_fields:
            record = record.model_copy(update={"id": f"BENCH-{number:07d}"})
        out.append((design_id, record))
    return out


def bench_emit(count: int, runs: int) -> dict[str, float]:
    """records/s for each mapped design's examples, and for all of them in turn ("all")."""
    rates: dict[str, float] = {}
    for design_id in [*mapped_designs(), "all"]:
        records = [r for r in many_records(count * 4) if design_id in ("all", r[0])][:count]

        def emit(records: list[tuple[str, BaseModel]] = records) -> None:
            for record_design, record in records:
                bundle_bytes(record, record_design)

        seconds = best_of(runs, emit)
        rates[design_id] = len(records) / seconds
        resources = sum(len(bundle_json(r, d)["entry"]) for d, r in records)
        print(
            f"emit       {design_id:38} {len(records):>6} records -> FHIR JSON: "
            f"{seconds:.3f} s, {rates[design_id]:>8,.0f} records/s "
            f"({resources / len(records):4.1f} resources each, {resources / seconds:>9,.0f}/s)"
        )
    return rates


def bench_structure(runs: int) -> float:
    from fhir.resources.R4B.bundle import Bundle

    bundles = [bundle_json(record, design_id) for design_id, record in example_records()]
    check = checker()
    for bundle in bundles:  # warm both up: fhir.resources builds its validators lazily
        check.check(bundle)
        Bundle.model_validate(bundle)
    repeat = 200
    ours = best_of(runs, lambda: [check.check(b) for _ in range(repeat) for b in bundles])
    theirs = best_of(
        runs, lambda: [Bundle.model_validate(b) for _ in range(repeat // 10) for b in bundles]
    )
    per_ours = ours / (repeat * len(bundles)) * 1e6
    per_theirs = theirs / (repeat // 10 * len(bundles)) * 1e6
    ratio = per_theirs / per_ours
    print(
        f"structure  per Bundle ({len(bundles)} examples): compiled check {per_ours:.0f} us, "
        f"fhir.resources {per_theirs:.0f} us -> {ratio:.1f}x faster"
    )
    return ratio


def big_bundle(entries: int) -> dict[str, Any]:
    """A Bundle of at least ``entries`` entries, from many records' Bundles."""
    out: list[Any] = []
    number = 0
    records = example_records()
    while len(out) < entries:
        design_id, record = records[number % len(records)]
        if "id" in type(record).model_fields:
            record = record.model_copy(update={"id": f"BIG-{number:07d}"})
        out += bundle_json(record, design_id)["entry"]
        number += 1
    return {"resourceType": "Bundle", "type": "collection", "entry": out[:entries]}


def validate_structure_and_references(bundle: dict[str, Any]) -> int:
    found = checker().check(bundle)
    entries, base = entries_of(bundle)
    found += check_ukcore(entries, base, True)
    return len(found)


def bench_scaling(small: int, runs: int) -> float:
    large = small * 10
    small_bundle, large_bundle = big_bundle(small), big_bundle(large)
    design_id = mapped_designs()[0]
    results = {}
    for label, action in (
        ("structure + UK Core + references", validate_structure_and_references),
        ("validate_fhir end to end", lambda b: validate_fhir(design_id, b, limits=LARGE)),
    ):
        t_small = best_of(runs, lambda a=action: a(small_bundle))
        t_large = best_of(max(1, runs // 2), lambda a=action: a(large_bundle))
        results[label] = t_large / t_small
        print(
            f"scaling    {label}: {small:,} entries {t_small:.3f} s, {large:,} entries "
            f"{t_large:.3f} s -> {t_large / t_small:.1f}x for 10x the entries"
        )
    print(
        f"           ({len(orjson.dumps(large_bundle)) / 1e6:.0f} MB of JSON for {large:,} entries)"
    )
    return max(results.values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="smaller sizes, fewer runs")
    args = parser.parse_args(argv)
    count, runs, small = (5_000, 3, 2_000) if args.quick else (50_000, 5, 10_000)
    print(f"Python {platform.python_version()} on {platform.machine()}, {platform.system()}")
    rates = bench_emit(count, runs)
    ratio = bench_structure(runs)
    scaling = bench_scaling(small, max(2, runs - 2))
    ok = rates["adult-social-care/contact"] >= 20_000 and ratio >= 10 and scaling <= 12
    print(
        "targets    emit >= 20,000 contacts/s, structure >= 10x, scaling <= 12x: "
        + ("met" if ok else "NOT met")
    )
    slower = [d for d in mapped_designs() if rates[d] < 20_000]
    if slower:
        print(f"           below 20,000 records/s (richer records, more resources): {slower}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
