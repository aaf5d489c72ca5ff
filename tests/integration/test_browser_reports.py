"""Every real report, built and read in headless Chromium as a reader would.

All default variants (the chapter registry's) are built once into a temporary reports
folder from the committed notebooks and data. Each report is loaded once in Chromium
(Debian's, via Playwright, offline flags) and read in every setting below. It checks: no
printed ``<pre>`` result blocks in reader sections; every figure has real alt text and a
CSV link whose file parses with pandas; no text overflows its table cell and no cell
breaks words; nothing is requested outside ``file:``/``data:``; and the file is at most
2 MB.

And how the page reads (issue 20): at 1400 × 900 the Key findings box starts on the first
screen, followed by the chapter's verdict counts whose links reach ledger rows
(``#claim-<ID>``); the header's switcher links the same chapter for the other countries
and the other chapters for the same country, each link an existing report; on a phone
(390 × 844) the Key findings start high enough that their heading and first lines show
on the first screen, and the page does not scroll sideways; in the dark scheme the page
is dark and, as in the light one, every visible text has a contrast of at least 4.5:1
against what lies behind it; printed, every row of every table shows (nothing folded,
filtered or clipped by a scroll box), the controls are hidden and figures do not break
from their captions.
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
#: Chapters whose reports show claims-ledger rows (and their verdict counts).
LEDGER_CHAPTERS = {c.name for c in chapters.chapters() if c.metrics} | {"synthesis"}
FIRST_SCREEN_PX = 900
PHONE = {"width": 390, "height": 844}
#: On a phone the findings box must start this high: its heading and about four lines of
#: the first finding (200 px) then show on the first screen.
PHONE_FIRST_SCREEN_PX = PHONE["height"] - 200
MIN_CONTRAST = 4.5
#: The printable width of A4 with the report's 1.4 cm side margins (182 mm at 96 px/in).
PAPER = {"width": 688, "height": 1000}


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory, committed_ledger: dict) -> Path:
    """Every default variant built into a temporary reports folder (the ledger of the
    committed data evaluated once per run: ``committed_ledger`` in tests/conftest.py)."""
    folder = tmp_path_factory.mktemp("all-reports") / "reports"
    result = CliRunner().invoke(
        app, ["build", "--plain", "--jobs", "2"], env={"KZANALYSIS_REPORTS_DIR": str(folder)}
    )
    assert result.exit_code == 0, result.output
    return folder


@pytest.fixture(scope="module")
def read(reports: Path) -> Any:
    """``read(name)``: what Chromium saw of report ``name``, from one page load per report.

    The page is opened at 1400 × 900 on screen in the light scheme; the checks are run
    there, then in the dark scheme, at 390 px and printed (see :func:`reading`). Both tests
    of a report assert on the same reading; the first to ask takes it.
    """
    if not CHROMIUM.exists():
        pytest.skip(f"no browser: {CHROMIUM} is missing (.ci/run installs Debian's chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=ARGS
        )
        tab = browser.new_page(viewport=SCREEN)
        seen: dict[str, list[str]] = {"requests": [], "errors": []}
        tab.on("request", lambda r: seen["requests"].append(r.url))
        tab.on("pageerror", lambda e: seen["errors"].append(str(e)))
        done: dict[str, dict[str, Any]] = {}

        def read_one(name: str) -> dict[str, Any]:
            if name not in done:
                done[name] = reading(tab, seen, reports / f"{name}.html")
            return done[name]

        yield read_one
        browser.close()


SCREEN = {"width": 1400, "height": 900}


def reading(tab: Any, seen: dict[str, list[str]], path: Path) -> dict[str, Any]:
    """Every check's result for the report at ``path``, from one page load.

    The previous report is left first (``about:blank``), so the viewport and media are
    reset on an empty page instead of laying out the last report again.
    """
    tab.goto("about:blank")
    tab.set_viewport_size(SCREEN)
    tab.emulate_media(media="screen", color_scheme="light")
    seen["requests"].clear()
    seen["errors"].clear()
    tab.goto(path.as_uri())
    out = {"checks": tab.evaluate(CHECKS), "first": tab.evaluate(FIRST_SCREEN)}
    out["light"] = tab.evaluate(CONTRAST)
    tab.emulate_media(media="screen", color_scheme="dark")
    out["dark"] = tab.evaluate(CONTRAST)
    tab.set_viewport_size(PHONE)
    tab.emulate_media(media="screen", color_scheme="light")
    out["width"] = tab.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    out["phone"] = tab.evaluate(FIRST_SCREEN)
    tab.set_viewport_size(PAPER)
    tab.emulate_media(media="print", color_scheme="light")
    out["printed"] = tab.evaluate(PRINTED)
    out["remote"] = [u for u in seen["requests"] if not u.startswith(("file://", "data:"))]
    out["errors"] = list(seen["errors"])
    return out


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
def test_every_report_reads_well_offline(reports, read, name):
    path = reports / f"{name}.html"
    assert path.stat().st_size <= MAX_BYTES, f"{name}: {path.stat().st_size / 1e6:.2f} MB"
    seen = read(name)
    found = seen["checks"]
    assert found["pre"] == 0, f"{name}: printed result blocks"
    assert found["cells"] > 0, f"{name}: no table checked"
    assert found["figures"] or name.startswith("overview-"), f"{name}: no figure checked"
    for fig in found["figures"]:
        assert len(fig["alt"].split()) >= 5, f"{name} {fig['id']}: no real alt text"
        assert fig["csv"].startswith("data:text/csv"), f"{name} {fig['id']}: no CSV link"
        assert csv_rows(fig["csv"]) > 0, f"{name} {fig['id']}: empty CSV"
    assert found["overflow"] == [], f"{name}: text overflows its cell"
    assert found["broken"] == [], f"{name}: cells that break words"
    assert seen["remote"] == [] and seen["errors"] == [], (seen["remote"], seen["errors"])


FIRST_SCREEN = """() => {
  const box = document.querySelector('.kz-findings');
  const counts = document.querySelector('.kz-verdicts');
  const header = document.querySelector('.kz-header');
  return {
    findings: box ? box.getBoundingClientRect().top + window.scrollY : null,
    header: header ? header.getBoundingClientRect().height : null,
    countsAfter: !!(box && counts &&
      (box.compareDocumentPosition(counts) & Node.DOCUMENT_POSITION_FOLLOWING)),
    counts: counts ? Array.from(counts.querySelectorAll('a'), a => {
      const id = a.getAttribute('href').slice(1), row = document.getElementById(id);
      return {id: id, row: !!(row && row.tagName === 'TR' && row.closest('table.kz-data'))};
    }) : [],
    ledgerRows: Array.from(document.querySelectorAll('tr[id^="claim-"]'), r => r.id),
    switcher: Array.from(document.querySelectorAll('.kz-switch a'), a => a.getAttribute('href')),
    current: Array.from(document.querySelectorAll('.kz-switch [aria-current="page"]'),
                        e => e.textContent),
    cite: !!document.querySelector('details.kz-cite pre.kz-bib'),
  };
}"""

#: Contrast of every visible text (elements with their own text) against the backgrounds
#: behind it, composited from the page down (WCAG 2 relative luminance).
CONTRAST = """() => {
  const parse = c => {
    const m = c.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const lum = c => {
    const f = v => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
  };
  const over = (top, under) => [0, 1, 2].map(i => top[i] * top[3] + under[i] * (1 - top[3]));
  const seen = new Map();  // element -> what lies behind its text (each element once)
  const behind = el => {
    if (!el) return [255, 255, 255];
    if (seen.has(el)) return seen.get(el);
    const under = behind(el.parentElement), c = parse(getComputedStyle(el).backgroundColor);
    const bg = c && c[3] > 0 ? over(c, under) : under;
    seen.set(el, bg);
    return bg;
  };
  const ratio = (a, b) => (Math.max(lum(a), lum(b)) + 0.05) / (Math.min(lum(a), lum(b)) + 0.05);
  const page = behind(document.body);
  const body = parse(getComputedStyle(document.body).color);
  const out = {page: lum(page), body: ratio(over(body, page), page), checked: 0, low: []};
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('svg, script, style')) continue;
    const own = Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own || !el.getClientRects().length) continue;
    const s = getComputedStyle(el);
    if (s.visibility !== 'visible' || s.display === 'none') continue;
    const bg = behind(el), fg = over(parse(s.color), bg), r = ratio(fg, bg);
    out.checked += 1;
    if (r < 4.5 && out.low.length < 8)
      out.low.push(`${el.tagName.toLowerCase()}.${el.className} ` +
        `"${el.textContent.trim().slice(0, 40)}" ${r.toFixed(2)} ` +
        `(${s.color} on rgb(${bg.map(Math.round)}))`);
  }
  return out;
}"""

PRINTED = """() => {
  const shown = e =>
    e.getClientRects().length > 0 && e.checkVisibility({visibilityProperty: true});
  const out = {tables: 0, rows: 0, hiddenRows: [], clipped: [], controls: [], figures: [],
               wide: []};
  for (const table of document.querySelectorAll('table')) {
    if (!shown(table)) {
      if (!table.closest('.kz-preview')) out.hiddenRows.push(`table ${table.id} not printed`);
      continue;
    }
    out.tables += 1;
    const right = table.getBoundingClientRect().right;
    if (right > window.innerWidth + 1) out.wide.push(`${table.id}: ${Math.round(right)} px`);
    for (const row of table.rows) {
      out.rows += 1;
      const text = row.textContent.trim().slice(0, 40);
      if (!shown(row)) out.hiddenRows.push(`${table.id || 'table'}: "${text}"`);
    }
  }
  for (const el of document.querySelectorAll('body *')) {
    const s = getComputedStyle(el);
    const clips = [s.overflowX, s.overflowY].some(o => o !== 'visible');
    const over = el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1;
    if (clips && shown(el) && over)
      out.clipped.push(`${el.tagName.toLowerCase()}.${el.className}`.slice(0, 80));
  }
  for (const sel of ['.kz-table-tools', '.kz-switch', 'details.kz-fold > summary', '.kz-folds',
                     '.kz-download'])
    for (const el of document.querySelectorAll(sel)) if (shown(el)) out.controls.push(sel);
  for (const fig of document.querySelectorAll('figure.kz-figure'))
    if (getComputedStyle(fig).breakInside !== 'avoid') out.figures.push(fig.id);
  return out;
}"""


def expected_siblings(name: str) -> set[str]:
    """Reports the switcher of ``name`` links: its chapter elsewhere, its country elsewhere
    (every variant of the build's configuration was built)."""
    from kzanalysis.publish.variants import load_variants

    chapter, _, group = name.rpartition("-")
    return {
        f"{v}.html"
        for v in (variant.name for variant in load_variants())
        if v != name and (v.rpartition("-")[0] == chapter or v.rpartition("-")[2] == group)
    }


@pytest.mark.parametrize("name", VARIANTS)
def test_every_report_leads_with_findings_and_reads_on_phones_in_dark_and_on_paper(
    reports, read, name
):
    seen = read(name)
    first = seen["first"]
    assert first["findings"] is not None, f"{name}: no Key findings box"
    assert first["findings"] < FIRST_SCREEN_PX, (
        f"{name}: the Key findings start at {first['findings']:.0f} px (header "
        f"{first['header']:.0f} px), below the first {FIRST_SCREEN_PX} px"
    )
    if name.rpartition("-")[0] in LEDGER_CHAPTERS:
        assert first["countsAfter"], f"{name}: no verdict counts after the findings"
        assert first["counts"] and all(c["row"] for c in first["counts"]), first["counts"]
        assert {c["id"] for c in first["counts"]} == set(first["ledgerRows"]), name
    assert set(first["switcher"]) == expected_siblings(name), first["switcher"]
    assert all((reports / href).is_file() for href in first["switcher"]), first["switcher"]
    assert not first["switcher"] or len(first["current"]) >= 1, name
    assert first["cite"], f"{name}: no Cite this report box"

    light = seen["light"]
    assert light["page"] > 0.8 and light["checked"] > 50, (name, light["page"])
    assert light["low"] == [], f"{name} (light): text below {MIN_CONTRAST}:1: {light['low']}"

    dark = seen["dark"]
    assert dark["page"] < 0.05, f"{name}: the dark scheme leaves the page light"
    assert dark["body"] >= MIN_CONTRAST, (name, dark["body"])
    assert dark["low"] == [], f"{name} (dark): text below {MIN_CONTRAST}:1: {dark['low']}"

    phone = seen["phone"]
    assert phone["findings"] < PHONE_FIRST_SCREEN_PX, (
        f"{name}: on a phone the Key findings start at {phone['findings']:.0f} px (header "
        f"{phone['header']:.0f} px), below the first {PHONE_FIRST_SCREEN_PX} px"
    )

    width = seen["width"]
    assert width[0] <= width[1], f"{name}: {width[0]} px wide at {width[1]} px (sideways)"

    printed = seen["printed"]
    assert printed["rows"] > 0, f"{name}: no table printed"
    assert printed["hiddenRows"] == [], f"{name}: rows not printed: {printed['hiddenRows'][:5]}"
    assert printed["clipped"] == [], f"{name}: scroll boxes clip the print: {printed['clipped']}"
    assert printed["wide"] == [], f"{name}: tables wider than the paper: {printed['wide']}"
    assert printed["controls"] == [], f"{name}: controls printed: {printed['controls']}"
    assert printed["figures"] == [], f"{name}: figures may break from their captions"
    assert seen["remote"] == [] and seen["errors"] == [], (seen["remote"], seen["errors"])
