"""Style is part of the test suite: ruff must be clean on the library, the tests, the benchmarks
and the notebooks' jupytext percent scripts (``notebooks/*.py``), as in ``make lint``."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT

RUFF = Path(sys.executable).with_name("ruff")
# Keep in step with LINT_PATHS in the Makefile (the .ipynb are excluded in pyproject.toml).
LINT_PATHS = ["src", "tests", "benchmarks", "notebooks"]

needs_ruff = pytest.mark.skipif(
    not RUFF.exists() and not shutil.which("ruff"), reason="ruff not installed"
)


def run_ruff(*args: str) -> subprocess.CompletedProcess[str]:
    ruff = str(RUFF) if RUFF.exists() else "ruff"
    return subprocess.run([ruff, *args], cwd=PROJECT_ROOT, capture_output=True, text=True)


@needs_ruff
@pytest.mark.parametrize("args", [["check"], ["format", "--check"]], ids=["check", "format"])
def test_ruff_is_clean(args: list[str]) -> None:
    result = run_ruff(*args, *LINT_PATHS)
    assert result.returncode == 0, result.stdout + result.stderr


def markdown_lines(script: Path) -> set[int]:
    """Line numbers (1-based) of a percent script's header and markdown cells."""
    exempt, in_markdown = set(), True  # the jupytext YAML header comes before the first cell
    for number, line in enumerate(script.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("# %%"):
            in_markdown = "[markdown]" in line
        if in_markdown:
            exempt.add(number)
    return exempt


def test_markdown_lines_finds_header_and_markdown_cells(tmp_path: Path) -> None:
    script = tmp_path / "nb.py"
    script.write_text(
        "# ---\n# jupyter:\n# ---\n\n# %% [markdown]\n# Text\n\n# %%\nx = 1\n\n"
        '# %% tags=["parameters"]\ny = 2\n# %% [markdown]\n# More\n',
        encoding="utf-8",
    )
    assert markdown_lines(script) == {1, 2, 3, 4, 5, 6, 7, 13, 14}


@needs_ruff
def test_notebook_code_cells_keep_the_line_length() -> None:
    """pyproject.toml turns E501 off for notebooks/*.py because markdown cells are one comment
    line per paragraph; code cells (and their comments) must still fit the line length."""
    result = run_ruff(
        "check",
        "--select",
        "E501",
        "--output-format",
        "json",
        "--config",
        "lint.per-file-ignores = {}",
        "notebooks",
    )
    assert result.returncode in (0, 1), result.stderr
    violations = json.loads(result.stdout)
    exempt = {name: markdown_lines(Path(name)) for name in {v["filename"] for v in violations}}
    long_code = [
        f"{Path(v['filename']).name}:{v['location']['row']}: {v['message']}"
        for v in violations
        if v["location"]["row"] not in exempt[v["filename"]]
    ]
    assert long_code == [], "\n".join(long_code)
