"""A throw-away kzanalysis project for build fault tests: notebooks, catalog, reports.yaml.

Notebooks are written from the dicts below (not fixture files), each test works in
its own folder selected through the ``KZANALYSIS_*`` environment variables.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml
from typer.testing import CliRunner

from kzanalysis.cli import app

KZANALYSIS = Path(sys.executable).with_name("kzanalysis")
#: Text that would run as script if it reached a report unescaped.
EVIL = '<script>window.kzPwned = 1</script><img src=x onerror="window.kzPwned = 2">'


def code(text: str, *tags: str) -> dict[str, Any]:
    return {
        "cell_type": "code",
        "metadata": {"tags": list(tags)},
        "source": text,
        "outputs": [],
        "execution_count": None,
    }


def notebook(*cells: dict[str, Any], datasets: list[str] | None = None) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    if datasets is not None:
        meta["kzanalysis"] = {"datasets": datasets}
    heading = {"cell_type": "markdown", "metadata": {}, "source": "# Fixture\n\n## Result"}
    numbered = [{**cell, "id": f"cell-{i}"} for i, cell in enumerate([heading, *cells])]
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": meta, "cells": numbered}


#: One notebook, one fault per ``mode``.
FAULT = notebook(
    code('mode = "ok"\nseconds = 30', "parameters"),
    code(
        "import os, pathlib, time\n"
        'print("mode", mode)\n'
        'if mode == "raise":\n'
        '    raise RuntimeError("deliberate failure")\n'
        'if mode == "exit":\n'
        "    os._exit(3)\n"
        'if mode == "hang":\n'
        "    time.sleep(seconds)\n"
        'if mode == "outside":\n'
        '    reports = pathlib.Path(os.environ["KZANALYSIS_REPORTS_DIR"])\n'
        '    (reports / "ok-KAZ.html").write_text("overwritten by another notebook")\n'
        '    (reports.parent / "outside.txt").write_text("written outside")\n'
        'print("good output", mode)'
    ),
    datasets=["alpha"],
)

#: Prints its parameters as JSON, so the kernel's values can be compared exactly.
ECHO = notebook(
    code('label = "x"\nn = 1\nratio = 0.5\nitems = ["a"]', "parameters"),
    code(
        "import json\n"
        'print("ECHO" + json.dumps({"label": label, "n": n, "ratio": ratio, "items": items}))'
    ),
    datasets=["alpha"],
)

#: Displays untrusted strings the way chapters do: a DataFrame, print, a parameter echo.
INJECT = notebook(
    code('label = "x"', "parameters"),
    code(
        "import pandas as pd\n"
        f"evil = {EVIL!r}\n"
        "frame = pd.DataFrame({\n"
        '    "country": [evil, "Kazakhstan"],\n'
        '    "deal_description": ["Su-30SM " + evil, "BTR-82A"],\n'
        '    "question_text": ["Do you trust " + evil + "?", "Friend?"],\n'
        '    "share_pct": [12.5, 40.0],\n'
        "})\n"
        "print(evil)\n"
        "display(frame)\n"
        "label"
    ),
    datasets=["alpha"],
)

CATALOG: dict[str, Any] = {
    "resources": [
        {
            "name": "alpha",
            "title": "Alpha table " + EVIL,
            "path": "alpha.csv",
            "hash": "sha256:" + "a" * 64,
            "temporal": {"start": 1995, "end": 2022},
            "sources": [
                {
                    "publisher": "Alpha Office " + EVIL,
                    "title": "Alpha yearbook",
                    "edition": "2025 edition " + EVIL,
                    "terms": "CC BY 4.0 " + EVIL,
                    "path": "https://example.org/alpha",
                }
            ],
        }
    ]
}


def make_project(root: Path, notebooks: dict[str, dict], variants: list[dict], **defaults) -> Path:
    """Write the notebooks, the catalog and reports.yaml under ``root``."""
    (root / "notebooks").mkdir(parents=True)
    for name, nb in notebooks.items():
        (root / "notebooks" / name).write_text(json.dumps(nb, indent=1), encoding="utf-8")
    (root / "data").mkdir()
    (root / "data" / "datapackage.json").write_text(json.dumps(CATALOG), encoding="utf-8")
    write_config(root, variants, **defaults)
    return root


def write_config(root: Path, variants: list[dict], **defaults: Any) -> None:
    doc = {"defaults": {"cell_timeout": 30, "start_timeout": 60, **defaults}, "variants": variants}
    (root / "reports.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")


def project_env(root: Path) -> dict[str, str]:
    return {
        "KZANALYSIS_DATA_DIR": str(root / "data"),
        "KZANALYSIS_REPORTS_DIR": str(root / "reports"),
        "KZANALYSIS_NOTEBOOKS_DIR": str(root / "notebooks"),
        "KZANALYSIS_REPORTS_CONFIG": str(root / "reports.yaml"),
    }


def build(root: Path, *args: str) -> tuple[int, str, BaseException | None]:
    """``kzanalysis build --plain ARGS`` in-process: (exit code, output, unexpected exception)."""
    result = CliRunner().invoke(app, ["build", "--plain", *args], env=project_env(root))
    unexpected = None if isinstance(result.exception, SystemExit | None) else result.exception
    return result.exit_code, result.output, unexpected


def start_build(root: Path, *args: str) -> subprocess.Popen[str]:
    """``kzanalysis build --plain ARGS`` as its own process group (so tests can end it all)."""
    return subprocess.Popen(
        [str(KZANALYSIS), "build", "--plain", *args],
        env={**os.environ, **project_env(root)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def line_of(output: str, name: str) -> str:
    found = re.findall(rf"{re.escape(name)}: (?:built|up to date|failed).*", output)
    assert found, f"no result line for {name} in:\n{output}"
    return found[-1]


def state(root: Path, name: str) -> dict[str, Any]:
    return json.loads((root / "reports" / ".build" / f"{name}.json").read_text())


def assert_consistent(reports: Path) -> None:
    """No half-written page, state record or temporary file anywhere in ``reports/``."""
    for page in reports.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert text.rstrip().endswith("</html>"), f"{page.name} is cut off"
    for record in (reports / ".build").glob("*.json"):
        assert isinstance(json.loads(record.read_text(encoding="utf-8")), dict), record
    temps = [p for p in reports.rglob("*.tmp")]
    assert temps == [], f"temporary files left: {temps}"
