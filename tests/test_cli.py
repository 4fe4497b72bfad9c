"""The command line: a thin shell with documented exit codes and machine-readable output."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sharedsvc.cli import main
from sharedsvc.registry import default_registry

DESIGN = "adult-social-care/contact"
EXAMPLES = default_registry().design_dir(DESIGN) / "examples"
VALID = sorted((EXAMPLES / "valid").glob("*.json"))
INVALID = EXAMPLES / "invalid" / "nhs-number-check-digit.json"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


def _payload_file(tmp_path: Path, vector: Path) -> Path:
    path = tmp_path / vector.name
    path.write_text(json.dumps(json.loads(vector.read_text())["payload"]), encoding="utf-8")
    return path


def test_list_shows_the_pilot(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "list")
    assert code == 0 and DESIGN in out
    code, out, _ = run(capsys, "list", "--format", "json")
    assert any(d["id"] == DESIGN for d in json.loads(out))


def test_show_describes_the_design(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "show", DESIGN)
    assert code == 0 and "screening-decision" in out and "local-policy" in out
    code, out, _ = run(capsys, "show", DESIGN, "--format", "json")
    assert json.loads(out)["id"] == DESIGN


def test_validate_exits_0_for_valid_files(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate", DESIGN, *map(str, VALID))
    assert code == 0
    assert f"{len(VALID)} valid, 0 invalid" in out


def test_validate_exits_1_and_explains_invalid_files(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = _payload_file(tmp_path, INVALID)
    code, out, _ = run(capsys, "validate", DESIGN, str(VALID[0]), str(bad))
    assert code == 1
    assert "nhs-number.checksum" in out and "/person/nhsNumber" in out
    assert "9434765918" not in out and "943 476 5918" not in out


def test_validate_json_output_is_machine_readable(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = _payload_file(tmp_path, INVALID)
    code, out, _ = run(capsys, "validate", DESIGN, "--format", "json", str(bad))
    data = json.loads(out)
    assert code == 1 and data["valid"] is False
    assert data["reports"][0]["issues"][0]["code"] == "nhs-number.checksum"


def test_validate_exits_2_for_io_errors_and_unknown_designs(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "validate", DESIGN, str(tmp_path / "missing.json"))
    assert code == 2 and "payload.unreadable" in out
    code, _, err = run(capsys, "validate", "no/such", str(VALID[0]))
    assert code == 2 and "known designs" in err
    code, _, err = run(capsys, "validate")
    assert code == 2


def test_validate_respects_limits(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate", DESIGN, "--max-bytes", "100", str(VALID[0]))
    assert code == 1 and "payload.too-large" in out


def test_schema_prints_the_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "schema", DESIGN)
    assert code == 0 and json.loads(out)["x-sharedsvc-design"] == DESIGN


def test_export_check_passes_on_the_repository(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "export", "--check")
    assert code == 0, out


def test_export_check_fails_with_a_diff_and_the_fix(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run(capsys, "export", "--check", "--out", str(tmp_path))
    assert code == 1 and "+++ schemas/openapi.yaml (generated)" in out
    assert "Fix with: sharedsvc export" in err


def test_case_replay_and_apply(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    history = tmp_path / "history.json"
    history.write_text(
        json.dumps(
            {
                "design": DESIGN,
                "caseId": "CON-9",
                "events": [{"event": "open", "actor": "referrer", "at": "2026-12-23T11:00:00Z"}],
            }
        )
    )
    code, out, _ = run(capsys, "case", "replay", str(history), "--at", "2026-12-31T09:00:00Z")
    assert code == 0 and "state 'received'" in out and "OVERDUE" in out
    code, out, _ = run(
        capsys,
        "case",
        "apply",
        str(history),
        "start-screening",
        "--actor",
        "contact-officer",
        "--at",
        "2026-12-24T09:00:00Z",
        "--format",
        "json",
    )
    assert code == 0 and json.loads(out)["state"] == "screening"
    assert len(json.loads(history.read_text())["events"]) == 2
    code, _, err = run(
        capsys,
        "case",
        "apply",
        str(history),
        "signpost",
        "--actor",
        "person",
        "--at",
        "2026-12-24T10:00:00Z",
    )
    assert code == 1 and "process.actor-not-permitted" in err


def test_case_replay_uses_council_configuration(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    history = tmp_path / "history.json"
    history.write_text(
        json.dumps(
            {
                "design": DESIGN,
                "caseId": "C",
                "events": [{"event": "open", "actor": "referrer", "at": "2026-12-30T11:00:00Z"}],
            }
        )
    )
    config = tmp_path / "council.yaml"
    config.write_text("nation: scotland\nclock_limits:\n  screening-decision: 1\n")
    code, out, _ = run(
        capsys,
        "case",
        "replay",
        str(history),
        "--config",
        str(config),
        "--format",
        "json",
        "--at",
        "2026-12-30T12:00:00Z",
    )
    decision = next(d for d in json.loads(out)["deadlines"] if d["clock"] == "screening-decision")
    assert code == 0 and decision["limit"] == 1 and decision["dueDate"] == "2026-12-31"


def test_check_cross_checks_every_design(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check")
    assert code == 0 and "0 problem(s)" in out


def test_help_lists_commands_and_examples() -> None:
    exe = shutil.which("sharedsvc") or str(Path(sys.executable).parent / "sharedsvc")
    out = subprocess.run([exe, "--help"], capture_output=True, text=True, check=True).stdout
    for word in ("validate", "export", "case", "examples:", "exit status"):
        assert word in out


def test_to_fhir_from_fhir_and_validate_fhir_round_trip(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "to-fhir", DESIGN, str(VALID[0]))
    assert code == 0
    bundle = tmp_path / "bundle.json"
    bundle.write_text(out, encoding="utf-8")
    assert json.loads(out)["resourceType"] == "Bundle"
    code, out, _ = run(capsys, "validate", "--fhir", DESIGN, str(bundle))
    assert code == 0, out
    code, out, _ = run(capsys, "from-fhir", DESIGN, str(bundle))
    assert code == 0
    assert json.loads(out) == json.loads(
        validate_record(VALID[0]).model_dump_json(by_alias=True, exclude_none=True)
    )


def test_fhir_commands_report_bad_input(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "bundle.json"
    bad.write_text('{"resourceType": "Bundle", "type": "collection", "entry": [{}]}')
    code, out, _ = run(capsys, "validate", "--fhir", "--format", "json", DESIGN, str(bad))
    assert code == 1
    assert json.loads(out)["valid"] is False
    code, _, err = run(capsys, "from-fhir", DESIGN, str(bad))
    assert code == 1
    assert "fhir." in err
    code, _, err = run(capsys, "to-fhir", DESIGN, str(_payload_file(tmp_path, INVALID)))
    assert code == 1
    assert "nhs-number.checksum" in err


def test_fhir_commands_refuse_designs_without_a_mapping(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import sharedsvc.fhir

    # Every shipped design is mapped; a design added without a mapping must be refused.
    others = [d for d in sharedsvc.fhir.mapped_designs() if d != DESIGN]
    monkeypatch.setattr(sharedsvc.fhir, "mapped_designs", lambda: others)
    for command in (["to-fhir"], ["from-fhir"], ["validate", "--fhir"]):
        code, _, err = run(capsys, *command, DESIGN, str(VALID[0]))
        assert code == 2
        assert f"design {DESIGN} has no FHIR mapping yet" in err


def validate_record(path: Path) -> Any:
    from sharedsvc import validate

    record = validate(DESIGN, path).record
    assert record is not None
    return record
