"""The front page in headless Chromium: first screen, filters, phone width, dark, print, links.

``kzanalysis index`` writes ``index.html`` for the project's real variants and claims
ledger (evaluated from the curated data) into a scratch reports folder whose reports are
stand-ins: a Key findings box and one ``claim-<ID>`` anchor per claim, as the chapter
reports carry them. Then Playwright drives Debian's Chromium over ``file://``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import pytest
from typer.testing import CliRunner

from kzanalysis.catalog import load_catalog
from kzanalysis.claims.model import load_claims
from kzanalysis.cli import app
from kzanalysis.paths import data_dir
from kzanalysis.publish import index as I
from kzanalysis.publish.editions import variant_editions
from kzanalysis.publish.store import save_state
from kzanalysis.publish.variants import load_variants
from kzanalysis.report.text import reader_text_problems

pytestmark = pytest.mark.integration

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
BUILT = "2026-12-07 06:08:42 UTC"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, Any]]]:
    """A reports folder with stand-in reports, state records and the real front page."""
    reports = tmp_path_factory.mktemp("front") / "reports"
    reports.mkdir()
    resources = load_catalog(data_dir())["resources"]
    from kzanalysis import chapters

    ids = [c.id for c in load_claims()]
    anchors = "".join(f'<p id="claim-{c}">{c}</p>' for c in ids)
    for v in load_variants():
        chapter = chapters.chapter_of_variant(v.name)
        tables = set(chapter.tables or [r["name"] for r in resources]) if chapter else set()
        finding = f"{v.title}: the first finding &amp; its numbers, 12.5 %."
        (reports / f"{v.name}.html").write_text(
            '<html><body><section class="kz-el kz-findings" aria-label="Key findings">'
            f'<p class="kz-title">Key findings</p><ul><li>{finding} <a class="kz-see" '
            f'href="#f">(see the figure)</a></li></ul></section>{anchors}</body></html>',
            encoding="utf-8",
        )
        save_state(
            reports,
            v.name,
            {
                "name": v.name,
                "title": v.title,
                "status": "ok",
                "built_at": BUILT,
                "good_built_at": BUILT,
                "commit": "0123456789ab",
                "parameters": dict(v.parameters),
                "data_editions": variant_editions(r for r in resources if r["name"] in tables),
            },
        )
    result = CliRunner().invoke(app, ["index"], env={"KZANALYSIS_REPORTS_DIR": str(reports)})
    assert result.exit_code == 0, result.output
    ledger = I.read_cache(reports)["ledger"]
    assert ledger["error"] is None
    return reports, ledger["rows"]


@pytest.fixture(scope="module")
def browser() -> Any:
    if not CHROMIUM.exists():
        pytest.skip(f"no browser: {CHROMIUM} is missing")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=ARGS
        )
        yield chromium
        chromium.close()


def open_page(browser: Any, reports: Path, width: int = 1400, **kw: Any) -> tuple[Any, list]:
    page = browser.new_page(viewport={"width": width, "height": 900}, **kw)
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url))
    page.on("pageerror", lambda exc: seen.append(f"error: {exc}"))
    page.goto((reports / "index.html").as_uri())
    return page, seen


def visible_rows(page: Any) -> int:
    return page.eval_on_selector(
        "#kz-ledger", "(t) => Array.from(t.tBodies[0].rows).filter((r) => !r.hidden).length"
    )


def test_first_screen_says_what_the_data_say(site, browser):
    reports, rows = site
    page, seen = open_page(browser, reports)
    counts = {v: sum(r["verdict"] == v for r in rows) for v in I.VERDICTS}
    assert len(rows) == len(load_claims()) == 44
    tiles = page.locator(".kz-tiles a")
    assert tiles.count() == 4
    for i, verdict in enumerate(I.VERDICTS):
        box = tiles.nth(i).bounding_box()
        assert box and box["y"] + box["height"] <= 900, verdict  # on the first screen
        assert tiles.nth(i).inner_text().split() == [
            str(counts[verdict]),
            *I.verdict_label(verdict).split(),
        ]
    assert "Mosher" in page.inner_text(".kz-argues")
    assert all(u.startswith(("file://", "data:")) for u in seen), seen


def test_ledger_filters_by_verdict_and_chapter(site, browser):
    reports, rows = site
    page, seen = open_page(browser, reports)
    assert visible_rows(page) == len(rows) and page.is_visible("#kz-filters")
    page.select_option("#kz-filter-verdict", "contradicted")
    contradicted = sum(r["verdict"] == "contradicted" for r in rows)
    assert visible_rows(page) == contradicted
    assert page.inner_text("#kz-filter-count") == f"showing {contradicted} of {len(rows)} claims"
    page.select_option("#kz-filter-chapter", "arms")
    both = sum(r["verdict"] == "contradicted" and r["domain"] == "arms" for r in rows)
    assert visible_rows(page) == both
    page.select_option("#kz-filter-verdict", "")
    page.select_option("#kz-filter-chapter", "")
    page.click('.kz-tiles a[data-kz-verdict="supported"]')
    assert visible_rows(page) == sum(r["verdict"] == "supported" for r in rows)
    # print: no controls, every row of the ledger, the build status unfolded
    page.emulate_media(media="print")
    assert page.eval_on_selector("#kz-filters", "(e) => getComputedStyle(e).display") == "none"
    shown = page.eval_on_selector(
        "#kz-ledger",
        "(t) => Array.from(t.tBodies[0].rows)"
        ".filter((r) => getComputedStyle(r).display !== 'none').length",
    )
    assert shown == len(rows)
    assert not [u for u in seen if not u.startswith(("file://", "data:"))]


def test_phone_width_has_no_page_level_horizontal_scroll(site, browser):
    reports, _ = site
    page, _ = open_page(browser, reports, width=390)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # the matrix becomes one block per chapter, each report named by its country
    assert page.is_visible(".kz-matrix .kz-place")


def _luminance(rgb: str) -> float:
    values = [int(v) / 255 for v in re.findall(r"\d+", rgb)[:3]]
    lin = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in values]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_both_colour_schemes_are_readable(site, browser, scheme):
    reports, _ = site
    page, _ = open_page(browser, reports, color_scheme=scheme)
    bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
    if scheme == "dark":
        assert _luminance(bg) < 0.05, bg
    for selector in ("body", ".kz-argues", "#kz-ledger td", ".kz-headline", "#kz-ledger a"):
        color = page.eval_on_selector(selector, "(e) => getComputedStyle(e).color")
        assert _contrast(color, bg) >= 4.5, (selector, color, bg)


def test_every_link_resolves_to_a_file_and_anchor(site, browser):
    reports, rows = site
    page, _ = open_page(browser, reports)
    hrefs = page.eval_on_selector_all("a[href]", "(links) => links.map((a) => a.href)")
    own = {e for e in page.eval_on_selector_all("[id]", "(n) => n.map((e) => e.id)")}
    checked = 0
    for href in hrefs:
        url = urlparse(href)
        assert url.scheme == "file", href
        target = Path(unquote(url.path))
        assert target.is_file(), href
        if url.fragment:
            ids = (
                own
                if target.name == "index.html"
                else set(re.findall(r'id="([^"]+)"', target.read_text(encoding="utf-8")))
            )
            assert url.fragment in ids, href
        checked += 1
    claim_links = [h for h in hrefs if "#claim-C" in h and "index.html" not in h]
    assert len(claim_links) == len(rows)  # every claim links to the report that tests it
    assert checked > len(rows)


def test_page_text_is_reader_text(site):
    reports, _ = site
    page = (reports / "index.html").read_text(encoding="utf-8")
    assert reader_text_problems(page) == []
    assert "12.5 %" in page and "(see the figure)" not in page  # headline, link dropped
    assert not re.search(r"<script[^>]*src=|<link[^>]*href=\"https?:", page)
    cache = json.loads((reports / ".build" / I.CACHE_NAME).read_text(encoding="utf-8"))
    assert cache["ledger"]["digest"] == I.ledger_digest(data_dir())


def test_hundreds_of_reports_are_grouped_by_parameter_set_and_filter(tmp_path, browser):
    from tests.unit.test_scale_grid import synthetic_site

    reports, pairs = synthetic_site(tmp_path)
    (reports / I.INDEX_NAME).write_text(I.render_index(reports, pairs, data=tmp_path))
    page, seen = open_page(browser, reports)
    shown = "#parameter-sets td[data-report]:visible"
    # folded by chapter: no report cell visible until a chapter is opened or chosen
    assert page.is_visible("#kz-sets-filters") and page.locator(shown).count() == 0
    total = page.locator("#parameter-sets td[data-report]").count()
    assert page.inner_text("#kz-sets-count") == f"{total} reports"
    page.select_option("#kz-sets-chapter", "arms")
    assert page.locator("details.kz-sets:visible").count() == 1
    assert page.locator(shown).count() == 96  # 16 parameter sets × 6 countries and groups
    page.select_option("#kz-sets-group", "CA5")
    assert page.locator(shown).count() == 16
    assert page.inner_text("#kz-sets-count") == f"showing 16 of {total} reports"
    assert page.is_visible('a[href="arms-w3-y2005-CA5.html"]')
    assert page.evaluate("document.documentElement.scrollWidth") <= 1400
    assert not [u for u in seen if not u.startswith(("file://", "data:"))], seen
