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
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "notebooks" / "figure_element.ipynb"
SANITIZE = ROOT / "tests" / "nbval_sanitize.cfg"
PLOT_CELL = 2  # the cell that draws and displays the Figure


def _nbval(folder: Path, source: str) -> subprocess.CompletedProcess[str]:
    """Run nbval on ``source`` (notebook JSON) copied to its own folder (no project conftest)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    (folder / "figure_element.ipynb").write_text(source, encoding="utf-8")
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
            "figure_element.ipynb",
        ],
        cwd=folder,
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


def test_nbval_passes_on_the_committed_outputs(tmp_path: Path) -> None:
    run = _nbval(tmp_path / "same", FIXTURE.read_text(encoding="utf-8"))
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "3 passed" in run.stdout


def test_nbval_fails_when_the_plotted_numbers_change(tmp_path: Path) -> None:
    # 30.0 → 31.0 is not in the subtitle or any text: only the chart and its CSV change
    run = _nbval(tmp_path / "data", _edited("12.5, 30.0, 41.25", "12.5, 31.0, 41.25"))
    assert run.returncode != 0, run.stdout[-3000:]
    assert "mismatch 'text/html'" in run.stdout
    assert "mismatch 'text/plain'" not in run.stdout


def test_nbval_fails_when_only_the_drawing_changes(tmp_path: Path) -> None:
    # same numbers, same CSV, square markers: only the SVG differs
    run = _nbval(tmp_path / "marker", _edited('marker="o"', 'marker="s"'))
    assert run.returncode != 0, run.stdout[-3000:]
    assert "mismatch 'text/html'" in run.stdout
