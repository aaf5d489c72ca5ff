"""``kzanalysis new chapter`` end to end, in a copy of the project.

The copy's ``src/`` comes first on ``PYTHONPATH`` (before the venv's editable install), so
the CLI, the build and every kernel import the copy's package with the appended registry.
The scaffolded chapter must then build as a report, pass nbval on its committed outputs,
pass its own unit test, pass ruff and keep its notebook pair in sync. The real project is
never touched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT

pytestmark = pytest.mark.integration

PYTHON = sys.executable
KZANALYSIS = Path(sys.executable).with_name("kzanalysis")
RUFF = Path(sys.executable).with_name("ruff")
NAME, TITLE = "banking_ties", "Banking ties with Russia and China"
COPIED = ("src", "notebooks", "data", "reports.yaml", "requirements.lock", "pyproject.toml")
#: The Makefile's project-local Jupyter/IPython/matplotlib folders (kept unless already set).
JUPYTER_DIRS = {
    "JUPYTER_CONFIG_DIR": "config",
    "JUPYTER_DATA_DIR": "data",
    "IPYTHONDIR": "ipython",
    "MPLCONFIGDIR": "matplotlib",
}


def copy_project(dest: Path) -> Path:
    """The project's sources, notebooks, data and configuration (no .venv, reports/, .git).

    The package's bytecode comes along (``make`` compiles it ahead; ``copytree`` keeps the
    sources' times, so it stays valid): every CLI, build and kernel process of the test
    would otherwise compile the ~60 modules again when ``PYTHONDONTWRITEBYTECODE`` is set.
    """
    ignore = shutil.ignore_patterns(".ipynb_checkpoints")
    for item in COPIED:
        src = PROJECT_ROOT / item
        if src.is_dir():
            shutil.copytree(src, dest / item, ignore=ignore)
        else:
            shutil.copy2(src, dest / item)
    (dest / "tests").mkdir()
    shutil.copy2(PROJECT_ROOT / "tests" / "nbval_sanitize.cfg", dest / "tests")
    return dest


def copy_env(root: Path, runtime: Path) -> dict[str, str]:
    """Environment pointing the CLI, the build and the kernels at the copy."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KZANALYSIS_", "PYTEST_"))}
    for var, folder in JUPYTER_DIRS.items():
        env[var] = os.environ.get(var) or str(PROJECT_ROOT / ".jupyter" / folder)
    env.update(
        {
            "PYTHONPATH": os.pathsep.join(
                p for p in (str(root / "src"), os.environ.get("PYTHONPATH", "")) if p
            ),
            "JUPYTER_RUNTIME_DIR": str(runtime),
            "KZANALYSIS_DATA_DIR": str(root / "data"),
            "KZANALYSIS_REPORTS_DIR": str(root / "reports"),
            "KZANALYSIS_NOTEBOOKS_DIR": str(root / "notebooks"),
            "KZANALYSIS_REPORTS_CONFIG": str(root / "reports.yaml"),
            "KZANALYSIS_WARM_KERNELS": "0",
        }
    )
    return env


def run(args: list[str], root: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=root, env=env, capture_output=True, text=True, timeout=300)


def test_new_chapter_builds_passes_nbval_its_unit_test_and_the_pair_check(tmp_path: Path):
    real_registry = (PROJECT_ROOT / "src" / "kzanalysis" / "chapters.yaml").read_text()
    real_notebooks = sorted(p.name for p in (PROJECT_ROOT / "notebooks").iterdir())
    root = copy_project(tmp_path / "proj")
    env = copy_env(root, tmp_path / "runtime")
    number = 1 + max(int(p.name[:2]) for p in (root / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    stem = f"{number:02d}_{NAME}"

    made = run(
        [str(KZANALYSIS), "new", "chapter", NAME, "--title", TITLE, "--root", str(root)], root, env
    )
    assert made.returncode == 0, made.stdout + made.stderr
    files = [
        f"notebooks/{stem}.ipynb",
        f"notebooks/{stem}.py",
        f"src/kzanalysis/analysis/{NAME}.py",
        f"src/kzanalysis/analysis/{NAME}_report.py",
        f"src/kzanalysis/analysis/{NAME}_params.py",
        f"tests/unit/test_analysis_{NAME}.py",
    ]
    for path in files:
        assert f"created {path}" in made.stdout and (root / path).is_file(), path
    edit_next = made.stdout.split("next, edit these files:")[1]
    for path in (files[1], files[2], files[3], files[5]):
        assert path in edit_next
    assert f"- name: {NAME}" in (root / "src/kzanalysis/chapters.yaml").read_text()

    again = run(
        [str(KZANALYSIS), "new", "chapter", NAME, "--title", TITLE, "--root", str(root)], root, env
    )
    assert again.returncode == 2 and again.stderr.count("\n") == 1
    assert f"chapter {NAME!r} already exists" in again.stderr

    # (1) the report builds, with the chapter's title
    built = run([str(KZANALYSIS), "build", f"{NAME}-KAZ", "--plain", "--jobs", "1"], root, env)
    assert built.returncode == 0, built.stdout + built.stderr
    html = (root / "reports" / f"{NAME}-KAZ.html").read_text(encoding="utf-8")
    assert TITLE in html and "Kazakhstan" in html
    # … as a publication: key findings first (right under the heading, the introduction
    # after them), a figure and a table as report elements
    body = html.split('class="kz-el kz-findings"', 1)
    assert len(body) == 2, "no key findings box"
    assert "starts from an example" in body[1], "the introduction comes before the findings"
    assert 'class="kz-el kz-figure"' in body[1] and 'class="kz-el kz-table"' in body[1]
    assert 'class="kz-el kz-references"' in body[1]
    assert "<pre" not in body[1].split('class="kz-repro"')[0]

    # (2) nbval on the committed outputs and (3) the chapter's own unit test, in one pytest
    # process (one start instead of two); each one's results are read from the JUnit XML
    junit = tmp_path / "junit.xml"
    checked = run(
        [
            PYTHON,
            "-m",
            "pytest",
            "-q",
            "--nbval",
            str(root / files[0]),
            str(root / files[5]),
            "--nbval-sanitize-with",
            str(root / "tests" / "nbval_sanitize.cfg"),
            "-p",
            "no:cacheprovider",
            f"--junitxml={junit}",
        ],
        root,
        env,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    passed: dict[str, int] = {"nbval": 0, "unit": 0}
    for case in ET.parse(junit).iter("testcase"):
        assert not [e for e in case if e.tag in ("failure", "error")], case.attrib
        if not [e for e in case if e.tag == "skipped"]:
            # nbval's items are the notebook's cells ("Cell 0", …); the rest are the unit tests
            passed["nbval" if case.get("name", "").startswith("Cell ") else "unit"] += 1
    assert passed["nbval"] > 0 and passed["unit"] > 0, (passed, checked.stdout)

    # (4) the notebook pair is in sync, and the new files pass ruff
    paired = run([PYTHON, "-m", "kzanalysis.pairing", "--check"], root, env)
    assert paired.returncode == 0, paired.stdout + paired.stderr
    if RUFF.exists():
        for args in (["check"], ["format", "--check"]):
            linted = run([str(RUFF), *args, *files[1:]], root, env)
            assert linted.returncode == 0, linted.stdout + linted.stderr

    # the real project is untouched
    assert (PROJECT_ROOT / "src" / "kzanalysis" / "chapters.yaml").read_text() == real_registry
    assert sorted(p.name for p in (PROJECT_ROOT / "notebooks").iterdir()) == real_notebooks
