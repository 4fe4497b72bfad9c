"""An independent check: the npm package ``fhir`` (FHIR.js) validates the Bundles we emit.

FHIR.js validates against the base FHIR R4 StructureDefinitions in JavaScript,
offline. The test needs node and the package (``npm install fhir`` somewhere on
node's path, or its folder in SHAREDSVC_FHIRJS_PATH); without them it is skipped,
unless SHAREDSVC_REQUIRE_BROWSER=1, when their absence fails it.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from fhir_examples import VALID

from sharedsvc.fhir import to_fhir_dict

SCRIPT = Path(__file__).with_name("fhirjs_validate.js")


def _environment() -> dict[str, str] | None:
    node = shutil.which("node")
    env = dict(os.environ)
    extra = os.environ.get("SHAREDSVC_FHIRJS_PATH")
    if extra:
        env["NODE_PATH"] = os.pathsep.join(p for p in (extra, env.get("NODE_PATH")) if p)
    if node is None:
        return None
    probe = subprocess.run(
        [node, "-e", "require.resolve('fhir')"], env=env, capture_output=True, check=False
    )
    return env if probe.returncode == 0 else None


ENV = _environment()
if ENV is None:
    if os.environ.get("SHAREDSVC_REQUIRE_BROWSER") == "1":
        raise RuntimeError(
            "node and the npm package 'fhir' are required (SHAREDSVC_REQUIRE_BROWSER=1)"
        )
    pytest.skip(
        "node or the npm package 'fhir' (FHIR.js) is not installed", allow_module_level=True
    )


def fhirjs(bundles: list[dict[str, Any]], tmp_path: Path) -> list[dict[str, Any]]:
    files = []
    for number, bundle in enumerate(bundles):
        path = tmp_path / f"bundle-{number}.json"
        path.write_text(json.dumps(bundle), "utf-8")
        files.append(str(path))
    done = subprocess.run(
        ["node", str(SCRIPT), *files], env=ENV, capture_output=True, text=True, check=True
    )
    results: list[dict[str, Any]] = json.loads(done.stdout)
    return results


def test_fhirjs_finds_our_bundles_valid(tmp_path: Path) -> None:
    results = fhirjs([to_fhir_dict(record) for _, _, record in VALID], tmp_path)
    assert [r["messages"] for r in results] == [[] for _ in results]
    assert all(r["valid"] for r in results)


def test_fhirjs_is_a_real_check_it_refuses_a_broken_bundle(tmp_path: Path) -> None:
    broken = copy.deepcopy(to_fhir_dict(VALID[0][2]))
    broken["entry"][0]["resource"]["colour"] = "red"
    del broken["entry"][0]["resource"]["subject"]
    (result,) = fhirjs([broken], tmp_path)
    assert not result["valid"]
