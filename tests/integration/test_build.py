"""Integration tests of ``kzanalysis build`` with small fixture notebooks and real kernels.

Each test works on its own copy of a tiny project (notebooks, data catalog,
reports.yaml) selected through the ``KZANALYSIS_*`` environment variables.
A first build is made once per module and copied, so tests stay independent.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from kzanalysis.cli import app

pytestmark = pytest.mark.integration

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "notebooks"
KZANALYSIS = Path(sys.executable).with_name("kzanalysis")

CATALOG: dict[str, Any] = {
    "resources": [
        {
            "name": "alpha",
            "title": "Alpha table",
            "path": "alpha.csv",
            "hash": "sha256:" + "a" * 64,
            "temporal": {"start": 1995, "end": 2022},
            "sources": [
                {
                    "publisher": "Alpha Statistics Office",
                    "title": "Alpha yearbook",
                    "edition": "2025 edition",
                    "terms": "CC BY 4.0",
                    "path": "https://example.org/alpha",
                }
            ],
        },
        {
            "name": "beta",
            "title": "Beta table",
            "path": "beta.csv",
            "hash": "sha256:" + "b" * 64,
            "temporal": {"start": 1998, "end": 2020},
            "sources": [
                {
                    "publisher": "Beta Institute",
                    "title": "Beta database",
                    "edition": "v7",
                    "terms": "Public domain",
                }
            ],
        },
    ]
}

TWO_VARIANTS = [
    {"name": "ok-KAZ", "notebook": "ok.ipynb", "title": "OK fixture report"},
    {
        "name": "param-UZB",
        "notebook": "param.ipynb",
        "parameters": {"country": "UZB", "start_year": 2001},
    },
]


def make_project(root: Path, variants: list[dict[str, Any]], **defaults: Any) -> Path:
    """Write a tiny project: fixture notebooks, a catalog and reports.yaml."""
    shutil.copytree(FIXTURES, root / "notebooks")
    (root / "data").mkdir(parents=True)
    (root / "data" / "datapackage.json").write_text(json.dumps(CATALOG), encoding="utf-8")
    write_config(root, variants, **defaults)
    return root


def write_config(root: Path, variants: list[dict[str, Any]], **defaults: Any) -> None:
    """(Re)write the project's reports.yaml."""
    doc = {"defaults": {"cell_timeout": 20, "start_timeout": 30, **defaults}, "variants": variants}
    (root / "reports.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")


def project_env(root: Path) -> dict[str, str]:
    """Environment variables pointing kzanalysis at the project under ``root``."""
    return {
        "KZANALYSIS_DATA_DIR": str(root / "data"),
        "KZANALYSIS_REPORTS_DIR": str(root / "reports"),
        "KZANALYSIS_NOTEBOOKS_DIR": str(root / "notebooks"),
        "KZANALYSIS_REPORTS_CONFIG": str(root / "reports.yaml"),
    }


def build(root: Path, *args: str) -> tuple[int, str]:
    """Run ``kzanalysis build --plain ARGS`` in-process; return (exit code, output)."""
    result = CliRunner().invoke(app, ["build", "--plain", *args], env=project_env(root))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def build_subprocess(root: Path, *args: str) -> subprocess.Popen[str]:
    """Start ``kzanalysis build --plain ARGS`` as a separate process."""
    env = {**os.environ, **project_env(root)}
    return subprocess.Popen(
        [str(KZANALYSIS), "build", "--plain", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def line_of(output: str, name: str) -> str:
    """The result line of variant ``name`` (built/up to date/failed)."""
    pattern = re.compile(rf"{re.escape(name)}: (?:built|up to date|failed).*")
    found = pattern.findall(output)
    assert found, f"no result line for {name} in:\n{output}"
    return found[-1]


def state(root: Path, name: str) -> dict[str, Any]:
    """The build state record of a variant."""
    return json.loads((root / "reports" / ".build" / f"{name}.json").read_text())


def edit_notebook(path: Path, change: Any) -> None:
    """Load a notebook's JSON, apply ``change(nb)`` and write it back."""
    nb = json.loads(path.read_text())
    change(nb)
    path.write_text(json.dumps(nb, indent=1))


@pytest.fixture(scope="module")
def first_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, str]:
    """A project with two variants, built once."""
    root = make_project(tmp_path_factory.mktemp("first") / "proj", TWO_VARIANTS)
    code, out = build(root, "--jobs", "1")
    return root, code, out


@pytest.fixture
def built(first_build: tuple[Path, int, str], tmp_path: Path) -> Path:
    """A private copy of the built project (state included, so it is up to date)."""
    root = tmp_path / "proj"
    shutil.copytree(first_build[0], root)
    return root


def test_first_build_writes_both_reports_and_the_index(first_build):
    root, code, out = first_build
    assert code == 0, out
    assert "built (why: first build)" in line_of(out, "ok-KAZ")
    assert "built (why: first build)" in line_of(out, "param-UZB")
    page = (root / "reports" / "ok-KAZ.html").read_text()
    assert "OK fixture report" in page  # title in header
    assert "Label: ok" in page  # parameters in words in the header
    assert "Git commit" in page and "Built" in page
    assert 'class="kz-toc"' in page and 'href="#Result"' in page  # table of contents
    assert "answer 42" in page  # outputs shown
    assert "print(f" not in page  # code hidden by default
    # footer: only the dataset this notebook uses, with source, edition and terms
    assert "Alpha yearbook" in page and "2025 edition" in page and "CC BY 4.0" in page
    assert "Beta database" not in page
    # offline: no script loaded from anywhere
    assert not re.search(r"<script[^>]+src=", page)
    assert "require.js" not in page and "mathjax" not in page.lower()
    param_page = (root / "reports" / "param-UZB.html").read_text()
    assert "country=UZB years=2001-2020" in param_page
    index = (root / "reports" / "index.html").read_text()
    assert 'href="ok-KAZ.html"' in index and 'href="param-UZB.html"' in index
    assert index.count('class="kz-ok"') == 2
    assert "Country: Uzbekistan" in index and "2001" in index  # parameters in words
    assert "start_year" not in index and "{'" not in index  # never Python reprs
    assert state(root, "ok-KAZ")["built_at"] in index


def test_noop_rebuild_builds_nothing_and_touches_nothing(built):
    reports = built / "reports"
    before = {p.name: p.stat().st_mtime_ns for p in reports.glob("*.html")}
    code, out = build(built)
    assert code == 0, out
    assert line_of(out, "ok-KAZ") == "ok-KAZ: up to date"
    assert line_of(out, "param-UZB") == "param-UZB: up to date"
    assert "0 built, 2 up to date, 0 failed" in out
    assert {p.name: p.stat().st_mtime_ns for p in reports.glob("*.html")} == before


def test_noop_build_imports_no_execution_library(built):
    script = (
        "import sys, time\n"
        "t = time.monotonic()\n"
        "from kzanalysis.cli import app\n"
        "try:\n"
        "    app(['build', '--plain'])\n"
        "except SystemExit as exc:\n"
        "    code = exc.code\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & "
        "{'papermill', 'nbconvert', 'nbformat', 'nbclient', 'jupyter_client', 'pandas'})\n"
        "print('RESULT', code, heavy, round(time.monotonic() - t, 2))\n"
    )
    env = {**os.environ, **project_env(built)}
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    ).stdout
    code, heavy, _seconds = re.search(r"RESULT (\d+) (\[.*\]) ([\d.]+)", out).groups()
    assert code == "0", out
    assert heavy == "[]", f"a no-op build imported {heavy}"
    # its speed is measured by `make bench` (no-op / naive ratio), not asserted here


def test_changing_one_notebook_rebuilds_only_it(built):
    nb_path = built / "notebooks" / "ok.ipynb"

    def add_outputs(nb):  # outputs and metadata are not inputs: no rebuild
        nb["cells"][2]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "x"}]
        nb["cells"][2]["execution_count"] = 7
        nb["metadata"]["widgets"] = {}

    edit_notebook(nb_path, add_outputs)
    code, out = build(built)
    assert code == 0 and "0 built, 2 up to date" in out, out

    edit_notebook(nb_path, lambda nb: nb["cells"][2]["source"].append('\nprint("changed")'))
    code, out = build(built)
    assert code == 0, out
    assert line_of(out, "ok-KAZ").startswith("ok-KAZ: built (why: notebook changed)")
    assert line_of(out, "param-UZB") == "param-UZB: up to date"
    assert "changed" in (built / "reports" / "ok-KAZ.html").read_text()


def test_changing_a_data_checksum_rebuilds_its_dependants_only(built):
    catalog_path = built / "data" / "datapackage.json"
    catalog = json.loads(catalog_path.read_text())
    catalog["resources"][1]["hash"] = "sha256:" + "c" * 64  # beta, used by param-UZB
    catalog_path.write_text(json.dumps(catalog))
    code, out = build(built)
    assert code == 0, out
    assert "built (why: data changed: beta)" in line_of(out, "param-UZB")
    assert line_of(out, "ok-KAZ") == "ok-KAZ: up to date"


def test_cli_overrides_are_typed_by_the_model_and_revalidated_in_the_kernel(built):
    code, out = build(built, "param-UZB", "-p", "start_year=2005", "--show-code")
    assert code == 0, out
    line = line_of(out, "param-UZB")
    assert "parameters changed" in line and "report options changed" in line
    page = (built / "reports" / "param-UZB.html").read_text()
    assert "country=UZB years=2005-2020" in page  # the kernel received int 2005
    assert "Years: 2005–" in page  # header shows the int 2005 in words
    assert "validate_in_notebook" in page  # --show-code shows the code
    assert state(built, "param-UZB")["parameters"]["start_year"] == 2005


def test_invalid_parameters_fail_before_any_kernel_starts(built, monkeypatch):
    import kzanalysis.publish.execute as execute

    def no_kernel(job):
        raise AssertionError("a kernel was started despite invalid parameters")

    monkeypatch.setattr(execute, "build_job", no_kernel)
    write_config(
        built,
        [
            TWO_VARIANTS[0],
            {
                "name": "param-UZB",
                "notebook": "param.ipynb",
                "parameters": {"country": "XYZ", "start_year": 2015, "end_year": 2005},
            },
            {"name": "param-KAZ", "notebook": "param.ipynb", "parameters": {"colour": "red"}},
        ],
    )
    code, out = build(built, "--force")
    assert code == 2, out
    assert "variant 'param-UZB' (param.ipynb): parameter 'country' = 'XYZ' is not allowed" in out
    assert "allowed: an ISO3 code from the country registry" in out
    assert "variant 'param-KAZ' (param.ipynb): unknown parameter 'colour'" in out
    assert "this notebook's parameters: country, start_year, end_year" in out

    write_config(built, TWO_VARIANTS)
    code, out = build(built, "param-UZB", "-p", "end_year=1990")
    assert code == 2 and "parameter 'end_year' = 1990 is not allowed" in out, out
    assert "int from 1991 to 2030" in out
    code, out = build(built, "param-UZB", "-p", "start_year=2010", "-p", "end_year=2008")
    assert code == 2 and "start_year (2010) is after end_year (2008)" in out, out
    code, out = build(built, "param-UZB", "-p", "start_year=1996")  # beta covers 1998–2020
    assert code == 2 and "outside the data coverage 1998–2020" in out, out
    code, out = build(built, "param-UZB", "-p", "start_year=soon")
    assert code == 2 and "'soon' is not allowed for parameter 'start_year'" in out, out
    code, out = build(built, "no-SUCH")
    assert code == 2 and "unknown variant(s) no-SUCH" in out, out


def test_failure_keeps_last_good_report_and_other_variants_build(built):
    variants = [*TWO_VARIANTS, {"name": "fail-KAZ", "notebook": "fail.ipynb"}]
    write_config(built, variants)
    code, out = build(built)
    assert code == 0 and "built (why: first build)" in line_of(out, "fail-KAZ"), out
    good = built / "reports" / "fail-KAZ.html"
    assert "10.0" in good.read_text()

    variants[2]["parameters"] = {"divisor": 0}
    write_config(built, variants)
    edit_notebook(
        built / "notebooks" / "ok.ipynb", lambda nb: nb["cells"][2]["source"].append("\n")
    )
    code, out = build(built)
    assert code == 1, out
    assert line_of(out, "fail-KAZ").startswith(
        "fail-KAZ: failed (ZeroDivisionError: division by zero in cell ["
    )
    assert "last good report kept (stale)" in line_of(out, "fail-KAZ")
    assert "ok-KAZ: built (why: notebook changed)" in line_of(out, "ok-KAZ")
    error_page = (built / "reports" / "fail-KAZ.error.html").read_text()
    assert "print(10 / divisor)" in error_page  # the failing cell
    assert "ZeroDivisionError" in error_page and "Traceback" in error_page
    assert 'href="fail-KAZ.html"' in error_page  # link to the stale report
    stale = good.read_text()
    assert "10.0" in stale and "Stale report." in stale  # last good kept, marked stale
    index = (built / "reports" / "index.html").read_text()
    assert 'href="fail-KAZ.error.html"' in index and "last good report" in index
    record = state(built, "fail-KAZ")
    assert record["status"] == "failed" and record["good_built_at"]

    code, out = build(built)  # a failed variant is retried; still failing
    assert code == 1 and "fail-KAZ: failed" in line_of(out, "fail-KAZ")
    assert stale.count("Stale report.") == good.read_text().count("Stale report.") == 1

    variants[2]["parameters"] = {"divisor": 4}
    write_config(built, variants)
    code, out = build(built)
    assert code == 0, out
    assert "fail-KAZ: built (why: parameters changed, previous build failed)" in out
    assert not (built / "reports" / "fail-KAZ.error.html").exists()
    assert "Stale report." not in good.read_text() and "2.5" in good.read_text()


def test_hung_cell_and_killed_kernel_are_reported_in_parallel_build(built):
    variants = [
        *TWO_VARIANTS,
        {"name": "hang-KAZ", "notebook": "hang.ipynb", "cell_timeout": 2},
        {"name": "crash-KAZ", "notebook": "crash.ipynb"},
    ]
    write_config(built, variants)
    start = time.monotonic()
    code, out = build(built, "--jobs", "2", "--force", "hang-KAZ", "crash-KAZ", "ok-KAZ")
    assert code == 1, out
    assert time.monotonic() - start < 60
    assert line_of(out, "hang-KAZ").startswith(
        "hang-KAZ: failed (timeout: cell [3] ran longer than 2 s"
    )
    assert line_of(out, "crash-KAZ").startswith("crash-KAZ: failed (kernel died while running")
    assert "ok-KAZ: built (why: --force)" in line_of(out, "ok-KAZ")
    hang_page = (built / "reports" / "hang-KAZ.error.html").read_text()
    assert "time.sleep(seconds)" in hang_page and "no earlier good report" in hang_page
    assert "os.kill" in (built / "reports" / "crash-KAZ.error.html").read_text()


def test_concurrent_builds_do_not_collide(tmp_path):
    root = make_project(tmp_path / "proj", TWO_VARIANTS[:1])
    first = build_subprocess(root)
    time.sleep(0.3)
    second = build_subprocess(root)
    out1, _ = first.communicate(timeout=120)
    out2, _ = second.communicate(timeout=120)
    assert first.returncode == 0 and second.returncode == 0, out1 + out2
    lines = [line_of(out1, "ok-KAZ"), line_of(out2, "ok-KAZ")]
    assert sum("built (why: first build)" in s for s in lines) == 1, lines
    assert sum(s == "ok-KAZ: up to date" for s in lines) == 1, lines
    assert state(root, "ok-KAZ")["status"] == "ok"
    assert (root / "reports" / "ok-KAZ.html").read_text().rstrip().endswith("</html>")


def test_busy_lock_with_zero_timeout_exits_with_a_message(tmp_path, monkeypatch):
    from kzanalysis.publish.lock import build_lock

    root = make_project(tmp_path / "proj", TWO_VARIANTS[:1])
    # the project's own data folder: its data lock is not the one other tests' builds share
    monkeypatch.setenv("KZANALYSIS_DATA_DIR", str(root / "data"))
    with build_lock(root / "reports", timeout=0):
        proc = build_subprocess(root, "--lock-timeout", "0")
        out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 1, out
    assert "another build is running" in out and f"pid {os.getpid()}" in out
    assert not (root / "reports" / "ok-KAZ.html").exists()


def test_side_config_never_drops_the_main_variants_from_the_index(built):
    """``build --config FILE`` lists reports.yaml's variants and the side file's."""
    side = built / "one_variant.yaml"
    side.write_text(
        yaml.safe_dump(
            {
                "variants": [
                    {"name": "extra-KAZ", "notebook": "ok.ipynb", "title": "Side report"},
                    {"name": "ok-KAZ", "notebook": "ok.ipynb", "title": "OK fixture report"},
                ]
            }
        ),
        encoding="utf-8",
    )
    code, out = build(built, "--config", str(side), "extra-KAZ")
    assert code == 0, out
    assert line_of(out, "extra-KAZ").startswith("extra-KAZ: built")
    index = (built / "reports" / "index.html").read_text()
    for name in ("ok-KAZ", "param-UZB", "extra-KAZ"):  # the main config's and the side file's
        assert f'href="{name}.html"' in index, name
    # in both files: listed once (one matrix cell, one build status row)
    assert index.count('class="kz-open" href="ok-KAZ.html"') == 1
    assert index.count('id="status-ok-KAZ"') == 1
    code, out = build(built)  # the main config alone again: the side variant's row goes
    assert code == 0 and "extra-KAZ" not in (built / "reports" / "index.html").read_text(), out
