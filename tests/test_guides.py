"""The code in the hand-written guides works as written.

Every ```python block of every guide is run, in document order, in a fresh
folder where the repository's ``designs/`` and ``schemas/`` are reachable
(as they are for a reader in a checkout); every ``sharedsvc`` command in a
```sh block is run there too, and must exit 0 unless the line ends with
``# exits N``. The Node example for suppliers runs with ajv 8 and
ajv-formats installed from npm into a temporary folder.
"""

from __future__ import annotations

import glob
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
GUIDES = sorted((REPO / "docs" / "guides").glob("*.md"))
BIN = Path(sys.executable).parent

_FENCE = re.compile(
    r"^(?P<indent>[ ]*)```[ ]*(?P<lang>[\w+-]*)[^\n]*\n(?P<body>.*?)^(?P=indent)```[ ]*$",
    re.M | re.S,
)
_EXITS = re.compile(r"#\s*exits\s+(\d+)\s*$")


@dataclass(frozen=True)
class Block:
    """One fenced code block of a guide."""

    guide: str
    lang: str
    line: int
    code: str

    def __str__(self) -> str:
        return f"{self.guide}:{self.line} ({self.lang})"


def blocks(path: Path) -> list[Block]:
    text = path.read_text(encoding="utf-8")
    found = []
    for match in _FENCE.finditer(text):
        indent = len(match.group("indent"))
        body = "\n".join(line[indent:] for line in match.group("body").splitlines())
        line = text.count("\n", 0, match.start()) + 1
        found.append(Block(path.name, match.group("lang"), line, body))
    return found


def sandbox(tmp_path: Path) -> Path:
    """A reader's working folder: the repository's designs and schemas, nothing else."""
    for name in ("designs", "schemas"):
        (tmp_path / name).symlink_to(REPO / name, target_is_directory=True)
    return tmp_path


def run_python(block: Block, cwd: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", block.code],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONWARNINGS": "error"},
    )
    assert result.returncode == 0, f"{block} failed:\n{result.stdout}\n{result.stderr}"


def run_shell(block: Block, cwd: Path) -> int:
    """Run the block's ``sharedsvc`` commands; return how many were run."""
    ran = 0
    for line in block.code.splitlines():
        command = line.split("#", 1)[0].strip()
        if not command.startswith("sharedsvc "):
            continue  # installation and other commands are not the library's to test
        expected = _EXITS.search(line)
        want = int(expected.group(1)) if expected else 0
        argv = [str(BIN / "sharedsvc")]
        for word in shlex.split(command)[1:]:
            matches = sorted(glob.glob(word, root_dir=cwd)) if "*" in word else []
            argv += matches or [word]  # a glob is expanded as a shell would
        result = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=120)
        assert result.returncode == want, (
            f"{block}: `{command}` exited {result.returncode}, expected {want}:\n"
            f"{result.stdout}\n{result.stderr}"
        )
        ran += 1
    return ran


def test_every_guide_has_python_or_shell_examples() -> None:
    assert {p.stem for p in GUIDES} >= {"council-developers", "suppliers", "architects"}
    runnable = [b for p in GUIDES for b in blocks(p) if b.lang in ("python", "sh")]
    assert len(runnable) >= 10


def test_block_extraction_finds_indented_fences_and_languages(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        'Intro\n\n```python\nx = 1\n```\n\n=== "tab"\n\n    ```sh\n    sharedsvc list\n    ```\n',
        encoding="utf-8",
    )
    found = blocks(page)
    assert [(b.lang, b.code) for b in found] == [("python", "x = 1"), ("sh", "sharedsvc list")]


def test_a_failing_python_block_fails_the_check(tmp_path: Path) -> None:
    with pytest.raises(AssertionError, match="failed"):
        run_python(Block("guide.md", "python", 1, "assert 1 == 2"), tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("guide", GUIDES, ids=lambda p: p.stem)
def test_guide_code_runs_as_written(guide: Path, tmp_path: Path) -> None:
    cwd = sandbox(tmp_path)
    for block in blocks(guide):
        if block.lang == "python":
            run_python(block, cwd)
        elif block.lang == "sh":
            run_shell(block, cwd)


def _node_and_npm() -> tuple[str, str] | None:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node and npm:
        return node, npm
    if os.environ.get("SHAREDSVC_REQUIRE_BROWSER", "") not in ("", "0"):
        pytest.fail("node and npm are required (SHAREDSVC_REQUIRE_BROWSER is set)")
    pytest.skip("node and npm are not installed; the supplier guide's ajv example is not run")
    return None  # pragma: no cover


@pytest.mark.slow
def test_supplier_ajv_example_validates_a_shipped_example(tmp_path: Path) -> None:
    tools = _node_and_npm()
    assert tools is not None
    node, npm = tools
    scripts = [b for b in blocks(REPO / "docs" / "guides" / "suppliers.md") if b.lang == "js"]
    assert len(scripts) == 1, "the supplier guide should have exactly one JavaScript example"
    cwd = sandbox(tmp_path)
    install = subprocess.run(
        [npm, "install", "--prefix", str(cwd), "--no-audit", "--no-fund", "ajv@8", "ajv-formats"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert install.returncode == 0, install.stderr
    (cwd / "validate.js").write_text(scripts[0].code, encoding="utf-8")
    result = subprocess.run(
        [node, "validate.js"], cwd=cwd, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
    # The script says which example passed and which failed, and why.
    assert "self-contact-routine.json: valid" in result.stdout
    assert "required-fields-missing.json: invalid" in result.stdout
    assert "must have required property 'receivedAt'" in result.stdout
