"""End-to-end: build a small report and use it in headless Chromium as a reader would.

A one-variant project (a short notebook on the committed Brent table: a figure
drawn with :mod:`kzanalysis.plotting` and a 30+ row table) is built with
``kzanalysis build`` into a temporary ``reports/``. Chromium (Debian's
``/usr/bin/chromium``, driven by Playwright) opens ``index.html``, follows the
link to the report, clicks a table-of-contents entry, filters and sorts the long
table and switches to print media. Every page must render its figures, log no
console error and request nothing outside ``file://`` (and inline ``data:``).
Screenshots land in the test's temporary folder (path printed on failure).

``.ci/run`` installs Chromium; the test skips, saying why, only where no
browser is available.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from kzanalysis.cli import app

pytestmark = pytest.mark.integration

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
MAX_REPORT_BYTES = 5 * 1024 * 1024
VARIANT = "browser-KAZ"


def md(text: str) -> dict[str, Any]:
    return {"cell_type": "markdown", "metadata": {}, "source": text}


def code(text: str, *tags: str) -> dict[str, Any]:
    meta = {"tags": list(tags)} if tags else {}
    return {
        "cell_type": "code",
        "metadata": meta,
        "source": text,
        "outputs": [],
        "execution_count": None,
    }


NOTEBOOK = {
    "nbformat": 4,
    "nbformat_minor": 5,
    "metadata": {
        "kernelspec": {
            "display_name": "Python 3 (kzanalysis)",
            "language": "python",
            "name": "python3",
        },
        "kzanalysis": {"datasets": ["brent_annual"]},
        "language_info": {"name": "python"},
    },
    "cells": [
        md("# Browser check\n\nA short report on the Brent price, read in a real browser."),
        code("start_year = 1990", "parameters"),
        md("## Brent price\n\nThe annual average, in US dollars per barrel."),
        code(
            "import matplotlib.pyplot as plt\n"
            "from kzanalysis import plotting\n"
            "from kzanalysis.datasets import load\n"
            "plotting.use_style()\n"
            "brent = load('brent_annual')\n"
            "brent = brent[brent['year'] >= start_year].reset_index(drop=True)\n"
            "fig, ax = plt.subplots()\n"
            "ax.plot(brent['year'], brent['brent_usd_per_bbl'], "
            "color=plotting.ACTOR_COLORS['Other'])\n"
            "plotting.finish(ax, title='Brent', xlabel='Year', ylabel='Price (US$/bbl)', "
            "source=plotting.source_caption(brent))\n"
            "plt.show()"
        ),
        md("## Yearly table\n\nEvery year, sortable and searchable."),
        code("brent[['year', 'brent_usd_per_bbl']]"),
        md("## Notes\n\n" + "\n\n".join(f"Paragraph {i} of the notes." for i in range(40))),
    ],
}
for _i, _cell in enumerate(NOTEBOOK["cells"]):
    _cell["id"] = f"cell-{_i}"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A one-variant project built with ``kzanalysis build``; returns its reports/ folder."""
    root = tmp_path_factory.mktemp("browser")
    (root / "notebooks").mkdir()
    (root / "notebooks" / "browser.ipynb").write_text(json.dumps(NOTEBOOK), encoding="utf-8")
    config = {
        "defaults": {"cell_timeout": 120, "start_timeout": 60},
        "variants": [
            {"name": VARIANT, "notebook": "browser.ipynb", "title": "Browser check — Kazakhstan"}
        ],
    }
    (root / "reports.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    env = {
        "KZANALYSIS_REPORTS_DIR": str(root / "reports"),
        "KZANALYSIS_NOTEBOOKS_DIR": str(root / "notebooks"),
        "KZANALYSIS_REPORTS_CONFIG": str(root / "reports.yaml"),
    }
    result = CliRunner().invoke(app, ["build", "--plain", "--jobs", "1"], env=env)
    assert result.exit_code == 0, result.output
    return root / "reports"


@pytest.fixture(scope="module")
def browser() -> Any:
    """Headless Chromium (Debian's) through Playwright, offline-minded flags."""
    if not CHROMIUM.exists():
        pytest.skip(f"no browser: {CHROMIUM} is missing (.ci/run installs Debian's chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


class Watch:
    """Console errors, page errors and every requested URL of one page."""

    def __init__(self, page: Any) -> None:
        self.errors: list[str] = []
        self.requests: list[str] = []
        page.on(
            "console",
            lambda msg: (
                self.errors.append(f"console {msg.type}: {msg.text}")
                if msg.type == "error"
                else None
            ),
        )
        page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))
        page.on("request", lambda request: self.requests.append(request.url))

    def check(self) -> None:
        assert self.errors == []
        remote = [u for u in self.requests if not u.startswith(("file://", "data:"))]
        assert remote == [], f"requests outside file://: {remote}"


def figures_rendered(page: Any) -> list[dict[str, Any]]:
    """Every figure of the page with its rendered size (img natural size, inline svg box)."""
    return page.evaluate(
        """() => [
          ...Array.from(document.querySelectorAll('.jp-OutputArea-output img'), (img) => ({
            kind: 'img', complete: img.complete, width: img.naturalWidth,
            height: img.naturalHeight})),
          ...Array.from(document.querySelectorAll('.jp-OutputArea-output svg'), (svg) => ({
            kind: 'svg', complete: true, width: svg.getBoundingClientRect().width,
            height: svg.getBoundingClientRect().height}))]"""
    )


def column(page: Any, index: int) -> list[str]:
    """The visible texts of one column of the enhanced table, top to bottom."""
    return page.eval_on_selector(
        "table.kz-enhanced",
        f"""(t) => Array.from(t.tBodies[0].rows).filter((r) => !r.hidden)
               .map((r) => r.cells[{index}].textContent.trim())""",
    )


def test_index_and_report_work_offline_in_chromium(built, browser, tmp_path):
    shots = tmp_path / "screenshots"
    shots.mkdir()
    report = built / f"{VARIANT}.html"
    assert report.stat().st_size < MAX_REPORT_BYTES
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    watch = Watch(page)

    page.goto((built / "index.html").as_uri())
    page.screenshot(path=str(shots / "index.png"), full_page=True)
    # the front page's chapter × country matrix: one row per chapter, one cell per country
    row = page.locator("tr#chapter-browser")
    assert row.locator("th[scope=row]").inner_text().startswith("Browser check")
    assert row.locator(".kz-place").first.text_content() == "Kazakhstan"
    page.click(f'a[href="{VARIANT}.html"]')
    page.wait_for_load_state("load")
    assert page.url == report.as_uri()
    page.screenshot(path=str(shots / "report.png"), full_page=True)

    assert page.locator(".kz-header .kz-title").inner_text() == "Browser check — Kazakhstan"
    assert page.locator(".kz-actors li").all_inner_texts() == [
        "Russia",
        "China",
        "EU",
        "US",
        "Other",
    ]
    figures = figures_rendered(page)
    assert figures, "the report shows no figure"
    for figure in figures:
        assert figure["complete"] and figure["width"] > 0 and figure["height"] > 0, figure

    assert page.evaluate("window.scrollY") == 0
    page.click('.kz-toc a[href="#Yearly-table"]')
    assert page.url.endswith("#Yearly-table")
    top = page.eval_on_selector("#Yearly-table", "(h) => h.getBoundingClientRect().top")
    assert page.evaluate("window.scrollY") > 0 and 0 <= top < 100  # the heading is in view

    years = column(page, 1)
    assert len(years) >= 30 and years == sorted(years)
    page.fill(".kz-table-tools input", "2008")
    assert column(page, 1) == ["2008"]
    assert re.fullmatch(rf"1 of {len(years)} rows", page.inner_text(".kz-table-count"))
    page.fill(".kz-table-tools input", "")
    price = page.locator("table.kz-enhanced thead th.kz-sort").nth(2)
    assert price.inner_text().strip() == "brent_usd_per_bbl"
    price.click()
    prices = [float(v) for v in column(page, 2)]
    assert prices == sorted(prices) and price.get_attribute("aria-sort") == "ascending"
    price.click()
    assert [float(v) for v in column(page, 2)] == sorted(prices, reverse=True)
    page.screenshot(path=str(shots / "report-sorted.png"))

    page.emulate_media(media="print")
    assert page.eval_on_selector(".kz-table-tools", "(e) => getComputedStyle(e).display") == (
        "none"
    )
    page.screenshot(path=str(shots / "report-print.png"), full_page=True)
    watch.check()
    assert {p.name for p in shots.iterdir()} == {
        "index.png",
        "report.png",
        "report-sorted.png",
        "report-print.png",
    }
    page.close()
