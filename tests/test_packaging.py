"""The wheel carries designs/ and schemas/, so an installed sharedsvc works outside the repo."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_the_wheel_validates_a_payload_outside_the_repository(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "-w",
            str(tmp_path),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    wheel = next(tmp_path.glob("sharedsvc-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "sharedsvc/py.typed" in names
    assert "sharedsvc/_data/designs/adult-social-care/contact/design.yaml" in names
    assert "sharedsvc/_data/schemas/openapi.yaml" in names
    unpacked = tmp_path / "unpacked"
    zipfile.ZipFile(wheel).extractall(unpacked)
    payload = tmp_path / "elsewhere" / "contact.json"
    payload.parent.mkdir()
    example = REPO / "designs/adult-social-care/contact/examples/valid/self-contact-routine.json"
    payload.write_bytes(example.read_bytes())
    code = (
        "import sharedsvc, sys; from sharedsvc.cli import main; "
        "assert sharedsvc.__file__.startswith(sys.argv[1]), sharedsvc.__file__; "
        "sys.exit(main(['validate', 'adult-social-care/contact', 'contact.json']))"
    )
    env = {**os.environ, "PYTHONPATH": str(unpacked)}
    out = subprocess.run(
        [sys.executable, "-c", code, str(unpacked)],
        cwd=payload.parent,
        env=env,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "1 valid, 0 invalid" in out.stdout
