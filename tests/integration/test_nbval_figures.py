"""nbval compares figures made with :class:`kzanalysis.report.Figure`.

nbval never compares ``image/png`` (nor other images), so a PNG chart can change without
any test noticing. A report ``Figure`` puts its SVG inside the ``text/html`` output,
which nbval does compare: the fixture notebook passes as committed, and fails as soon as
the plotted numbers, or only the drawing, change.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "notebooks" / "figure_element.ipynb"
SANITIZE = ROOT / "tests" / "nbval_sanitize.cfg"
PLOT_CELL = 2  # the cell that draws and displays the Figure


#: The fixture as committed and two edits of its code (outputs kept), one folder each.
CASES = {
    "same": None,
    # 30.0 → 31.0 is not in the subtitle or any text: only the chart and its CSV change
    "data": ("12.5, 30.0, 41.25", "12.5, 31.0, 41.25"),
    # same numbers, same CSV, square markers: only the SVG differs
    "marker": ('marker="o"', 'marker="s"'),
}


@dataclass
class NbvalRun:
    """nbval's results for one copy of the fixture notebook."""

    passed: int
    failed: int
    report: str  # the failure reports of its cells
    output: str  # the whole run's output, for assertion messages


@pytest.fixture(scope="module")
def nbval_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, NbvalRun]:
    """nbval run once (one pytest process, one kernel per notebook) over every ``CASES`` copy.

    Each copy sits in its own folder of a temporary root with its own ``pytest.ini`` (no
    project conftest); the results are read per folder from the run's JUnit XML. Used by
    the three nbval tests below (one pytest start instead of three).
    """
    root = tmp_path_factory.mktemp("nbval-figures")
    (root / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    for folder, edit in CASES.items():
        (root / folder).mkdir()
        source = FIXTURE.read_text(encoding="utf-8") if edit is None else _edited(*edit)
        (root / folder / "figure_element.ipynb").write_text(source, encoding="utf-8")
    run = _nbval(root, [f"{folder}/figure_element.ipynb" for folder in CASES])
    output = run.stdout[-6000:] + run.stderr[-2000:]
    results = {folder: NbvalRun(0, 0, "", output) for folder in CASES}
    # nbval's node ids do not name the notebook's folder here; the notebooks run in the
    # order given, and each one's cells are numbered from "Cell 0"
    order, folder = iter(CASES), None
    for case in ET.parse(root / "junit.xml").iter("testcase"):
        if case.get("name") == "Cell 0":
            folder = next(order, None)
        assert folder is not None, (case.attrib, output)
        problems = [e for e in case if e.tag in ("failure", "error")]
        if problems:
            results[folder].failed += 1
            results[folder].report += "".join(
                (e.get("message") or "") + "\n" + (e.text or "") for e in problems
            )
        elif not [e for e in case if e.tag == "skipped"]:
            results[folder].passed += 1
    assert next(order, None) is None, f"not every notebook ran:\n{output}"
    return results


def _nbval(root: Path, notebooks: list[str]) -> subprocess.CompletedProcess[str]:
    """Run nbval on ``notebooks`` (paths under ``root``), writing ``root/junit.xml``."""
    env = dict(os.environ)
    for name, sub in (
        ("JUPYTER_CONFIG_DIR", "config"),
        ("JUPYTER_DATA_DIR", "data"),
        ("JUPYTER_RUNTIME_DIR", "runtime"),
        ("IPYTHONDIR", "ipython"),
        ("MPLCONFIGDIR", "matplotlib"),
    ):
        env.setdefault(name, str(ROOT / ".jupyter" / sub))
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    for name in ("KZANALYSIS_VARIANT", "KZANALYSIS_COMMIT"):
        env.pop(name, None)  # CSV headers name them only in builds
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--nbval",
            "--nbval-sanitize-with",
            str(SANITIZE),
            "-p",
            "no:cacheprovider",
            "--color=no",
            "-q",
            "--junitxml",
            str(root / "junit.xml"),
            *notebooks,
        ],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _edited(old: str, new: str) -> str:
    """The fixture with ``old`` replaced by ``new`` in the code only (outputs kept)."""
    nb = json.loads(FIXTURE.read_text(encoding="utf-8"))
    cells = [c for c in nb["cells"] if c["cell_type"] == "code"]
    source = "".join(cells[0]["source"]) + "".join(cells[1]["source"])
    assert source.count(old) == 1, f"{old!r} not found once in the fixture's code"
    for cell in cells:
        text = "".join(cell["source"])
        cell["source"] = text.replace(old, new)
    return json.dumps(nb)


def test_fixture_has_the_svg_in_a_compared_output_and_no_png() -> None:
    nb = json.loads(FIXTURE.read_text(encoding="utf-8"))
    outputs = [o for c in nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])]
    kinds = {k for o in outputs for k in o.get("data", {})}
    assert "image/png" not in kinds and "image/svg+xml" not in kinds
    html = "".join(
        "".join(o["data"]["text/html"]) for o in outputs if "text/html" in o.get("data", {})
    )
    assert "<svg " in html and 'class="kz-el kz-figure"' in html
    assert "data:text/csv;charset=utf-8;base64," in html


def test_nbval_passes_on_the_committed_outputs(nbval_runs: dict[str, NbvalRun]) -> None:
    run = nbval_runs["same"]
    assert (run.passed, run.failed) == (3, 0), run.report[-3000:] + run.output
    assert run.report == ""


def test_nbval_fails_when_the_plotted_numbers_change(nbval_runs: dict[str, NbvalRun]) -> None:
    run = nbval_runs["data"]
    assert run.failed > 0, run.output
    assert "mismatch 'text/html'" in run.report
    assert "mismatch 'text/plain'" not in run.report


def test_nbval_fails_when_only_the_drawing_changes(nbval_runs: dict[str, NbvalRun]) -> None:
    run = nbval_runs["marker"]
    assert run.failed > 0, run.output
    assert "mismatch 'text/html'" in run.report
