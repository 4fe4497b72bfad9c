"""Benchmark: validation throughput of the pilot design and CLI start-up time.

Targets (foundation issue): >= 20,000 valid pilot records per second on one core;
`sharedsvc --help` under 150 ms and validating one file under 500 ms wall time.

Run: .venv/bin/python benchmarks/bench_validation.py [--seconds N]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from sharedsvc import validate
from sharedsvc.registry import default_registry

DESIGN = "adult-social-care/contact"


def throughput(payload: object, seconds: float) -> float:
    """Records per second validating ``payload`` repeatedly for about ``seconds``."""
    assert validate(DESIGN, payload).valid  # type: ignore[arg-type]
    count, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        for _ in range(500):
            validate(DESIGN, payload)  # type: ignore[arg-type]
        count += 500
    return count / elapsed


def wall_ms(cmd: list[str], runs: int = 15) -> tuple[float, float]:
    """Median and best wall time of a command, in milliseconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=False, capture_output=True)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    os.sched_setaffinity(0, {0}) if hasattr(os, "sched_setaffinity") else None

    examples = [e for e in default_registry().examples(DESIGN) if e.valid]
    richest = max(examples, key=lambda e: len(json.dumps(e.payload)))
    raw = json.dumps(richest.payload).encode()
    print(f"payload: {richest.name} ({len(raw)} bytes)")
    print(f"validate(bytes): {throughput(raw, args.seconds):,.0f} records/s (one core)")
    print(f"validate(dict):  {throughput(richest.payload, args.seconds):,.0f} records/s (one core)")

    exe = shutil.which("sharedsvc") or str(Path(sys.executable).parent / "sharedsvc")
    median, best = wall_ms([exe, "--help"])
    print(f"sharedsvc --help: median {median:.0f} ms, best {best:.0f} ms")
    median, best = wall_ms([exe, "validate", DESIGN, str(richest.path)])
    print(f"sharedsvc validate (one file): median {median:.0f} ms, best {best:.0f} ms")


if __name__ == "__main__":
    main()
