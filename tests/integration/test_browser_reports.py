"""Every real report, built and read in headless Chromium as a reader would.

All default variants (the chapter registry's) are built once into a temporary reports
folder from the committed notebooks and data. For each report, Chromium (Debian's, via
Playwright, offline flags) checks: no printed ``<pre>`` result blocks in reader sections;
every figure has real alt text and a CSV link whose file parses with pandas; no text
overflows its table cell and no cell breaks words; nothing is requested outside
``file:``/``data:``; and the file is at most 2 MB.
"""

from __future__ import annotations

import base64
import io
import urllib.parse
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from typer.testing import CliRunner

from kzanalysis import chapters
from kzanalysis.cli import app

pytestmark = pytest.mark.integration

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
MAX_BYTES = 2 * 1024 * 1024
VARIANTS = [v["name"] for v in chapters.default_variants()]


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every default variant built into a temporary reports folder."""
    folder = tmp_path_factory.mktemp("all-reports") / "reports"
    result = CliRunner().invoke(
        app, ["build", "--plain", "--jobs", "2"], env={"KZANALYSIS_REPORTS_DIR": str(folder)}
    )
    assert result.exit_code == 0, result.output
    return folder


@pytest.fixture(scope="module")
def page(reports: Path) -> Any:
    if not CHROMIUM.exists():
        pytest.skip(f"no browser: {CHROMIUM} is missing (.ci/run installs Debian's chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=ARGS
        )
        tab = browser.new_page(viewport={"width": 1400, "height": 900})
        seen: dict[str, list[str]] = {"requests": [], "errors": []}
        tab.on("request", lambda r: seen["requests"].append(r.url))
        tab.on("pageerror", lambda e: seen["errors"].append(str(e)))
        yield tab, seen
        browser.close()


CHECKS = """() => {
  const out = {pre: 0, figures: [], overflow: [], broken: [], cells: 0};
  out.pre = document.querySelectorAll('.jp-OutputArea-output pre').length;
  for (const fig of document.querySelectorAll('figure.kz-figure')) {
    const title = fig.querySelector('svg > title');
    const link = fig.querySelector('a.kz-download');
    out.figures.push({id: fig.id, alt: title ? title.textContent.trim() : '',
                      csv: link ? link.getAttribute('href') : ''});
  }
  for (const cell of document.querySelectorAll('table.kz-data td, table.kz-data th')) {
    if (cell.closest('details:not([open])')) continue;
    out.cells += 1;
    if (cell.scrollWidth > cell.clientWidth + 1) out.overflow.push(cell.textContent.slice(0, 60));
    const s = getComputedStyle(cell);
    if (s.wordBreak === 'break-all' || s.overflowWrap === 'anywhere')
      out.broken.push(cell.textContent.slice(0, 60));
  }
  return out;
}"""


def csv_rows(href: str) -> int:
    encoded = href.split(",", 1)[1]
    text = base64.b64decode(urllib.parse.unquote(encoded)).decode("utf-8")
    return len(pd.read_csv(io.StringIO(text), comment="#"))


@pytest.mark.parametrize("name", VARIANTS)
def test_every_report_reads_well_offline(reports, page, name):
    path = reports / f"{name}.html"
    assert path.stat().st_size <= MAX_BYTES, f"{name}: {path.stat().st_size / 1e6:.2f} MB"
    tab, seen = page
    seen["requests"].clear()
    seen["errors"].clear()
    tab.goto(path.as_uri())
    found = tab.evaluate(CHECKS)
    assert found["pre"] == 0, f"{name}: printed result blocks"
    assert found["cells"] > 0, f"{name}: no table checked"
    assert found["figures"] or name.startswith("overview-"), f"{name}: no figure checked"
    for fig in found["figures"]:
        assert len(fig["alt"].split()) >= 5, f"{name} {fig['id']}: no real alt text"
        assert fig["csv"].startswith("data:text/csv"), f"{name} {fig['id']}: no CSV link"
        assert csv_rows(fig["csv"]) > 0, f"{name} {fig['id']}: empty CSV"
    assert found["overflow"] == [], f"{name}: text overflows its cell"
    assert found["broken"] == [], f"{name}: cells that break words"
    remote = [u for u in seen["requests"] if not u.startswith(("file://", "data:"))]
    assert remote == [] and seen["errors"] == [], (remote, seen["errors"])
