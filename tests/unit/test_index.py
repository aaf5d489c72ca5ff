"""The front page (``reports/index.html``): headline findings, the ledger cache, the page."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kzanalysis.publish import index as I
from kzanalysis.publish.store import save_state, state_dir
from kzanalysis.report.text import reader_text_problems

FINDINGS = (
    '<section aria-label="Key findings" class="kz-el kz-findings"><p class="kz-title">Key '
    "findings</p><ul><li>Russia&#x27;s share fell from 47.1 % to 19.7 %, while China&#39;s "
    'rose &amp; stayed. <a class="kz-see" href="#fig">(see the figure)</a></li>'
    "<li>Second finding.</li></ul></section>"
)
STYLE = "<style>.kz-findings{border:1px}\nsection.kz-findings li{margin:0}</style>"


def test_headline_is_the_first_finding_without_its_link():
    page = f"<html><head>{STYLE}</head><body><h1>T</h1>{FINDINGS}</body></html>"
    assert (
        I.headline_of(page)
        == "Russia's share fell from 47.1 % to 19.7 %, while China's rose & stayed."
    )


def test_headline_copes_with_attribute_order_nesting_and_other_boxes():
    other = (
        '<section class="kz-findings kz-el"><p class="kz-title">Notes</p>'
        "<ul><li>No.</li></ul></section>"
    )
    nested = (
        '<section class="kz-el kz-findings" id="x"><p class="kz-title"> Key   findings </p>'
        "<ul><li><strong>Bold</strong> and <em>plain</em>\n text. "
        '<a class="kz-see" href="#t">(see the <b>table</b>)</a></li></ul></section>'
    )
    assert I.headline_of(other + nested) == "Bold and plain text."
    assert I.headline_of(other) is None
    assert I.headline_of("<p>no findings here</p>" + STYLE) is None


def test_words_replaces_booleans_only():
    assert (
        I.words("China > Russia, 2021: False; latest: True")
        == "China > Russia, 2021: no; latest: yes"
    )
    assert I.words("Trueness") == "Trueness"


# ---------------------------------------------------------------------------- a project

ROWS = [
    {"id": "C10", "chapter": 1, "domain": "trade", "claim": "Gas exports rose",
     "thesis_value": "206 → 1450", "data_value": "2014: n/a; 2020: 1,447", "unit": "US$ mn",
     "verdict": "partly_supported"},
    {"id": "C17", "chapter": 1, "domain": "trade", "claim": "China ahead of Russia",
     "thesis_value": "CHN > RUS", "data_value": "2021: False", "unit": "yes/no",
     "verdict": "contradicted"},
    {"id": "C20", "chapter": 2, "domain": "arms", "claim": "Arms <b>share</b>",
     "thesis_value": "61 %", "data_value": None, "unit": None, "verdict": "untestable"},
    {"id": "C33", "chapter": 3, "domain": "polls", "claim": "Students", "thesis_value": "69,000",
     "data_value": "69836", "unit": "students", "verdict": "supported"},
]  # fmt: skip

CATALOG = {
    "resources": [
        {
            "name": "trade_partner_flows",
            "hash": "sha256:aa",
            "sources": [
                {"id": "bns", "publisher": "BNS", "edition": "2023 workbook",
                 "release_cadence_months": 12, "release_lag_months": 7, "newest_data_year": 2023},
                {"id": "sr", "publisher": "EI", "edition": "2026 edition",
                 "release_cadence_months": 12, "release_lag_months": 6, "newest_data_year": 2025},
            ],
        }
    ]
}  # fmt: skip

VARIANTS = [
    ("trade-KAZ", "EAEU trade — Kazakhstan"),
    ("trade-UZB", "EAEU trade — Uzbekistan"),
    ("arms-KAZ", "Arms imports — Kazakhstan"),
    ("synthesis-KAZ", "Russia–China balance — Kazakhstan"),
]


def record(name, status="ok", editions=("bns",), **more):
    eds = [
        {"dataset": "trade_partner_flows", "source": s, "publisher": s.upper(),
         "edition": "2023 workbook" if s == "bns" else "2026 edition", "edition_date": None}
        for s in editions
    ]  # fmt: skip
    return {
        "name": name, "status": status, "built_at": "2026-12-07 06:08:42 UTC",
        "good_built_at": "2026-12-07 06:08:42 UTC", "commit": "66d458b8105f",
        "parameters": {"country": "KAZ", "start_year": 1995, "end_year": None,
                       "source_preference": "imf_first"},
        "data_editions": eds, "error": None if status == "ok" else "cell 3 raised", **more,
    }  # fmt: skip


@pytest.fixture
def project(tmp_path: Path) -> tuple[Path, Path]:
    reports, data = tmp_path / "reports", tmp_path / "data"
    reports.mkdir()
    data.mkdir()
    (data / "claims.yaml").write_text("claims: []\n")
    (data / "datapackage.json").write_text(json.dumps(CATALOG))
    (reports / "trade-KAZ.html").write_text(f"<html>{STYLE}{FINDINGS}</html>")
    (reports / "synthesis-KAZ.html").write_text("<html>no box</html>")
    (reports / "trade-UZB.html").write_text("<html>old</html>")
    (reports / "trade-UZB.error.html").write_text("<html>error</html>")
    save_state(reports, "trade-KAZ", record("trade-KAZ"))
    save_state(reports, "synthesis-KAZ", record("synthesis-KAZ", editions=("sr",)))
    save_state(reports, "trade-UZB", record("trade-UZB", status="failed"))
    # the ledger's results as cached under the current digest: no evaluation needed
    cache = {"ledger": {"digest": I.ledger_digest(data), "rows": ROWS, "error": None}}
    I.write_cache(reports, cache)
    return reports, data


def page_of(project) -> str:
    reports, data = project
    return I.render_index(reports, VARIANTS, data=data)


def test_page_opens_with_argument_counts_and_ledger(project):
    page = page_of(project)
    assert "Mosher (2022). Tracks, Troops, and Treaties" in page
    tiles = re.findall(
        r'class="kz-tile-n">(\d+)</span> <span class="kz-tile-label">([a-z ]+)<', page
    )
    assert tiles == [("1", "supported"), ("1", "partly supported"), ("1", "contradicted"),
                     ("1", "untestable")]  # fmt: skip
    assert page.index("What the data say") < page.index('id="ledger"') < page.index('id="reports"')
    assert page.index('id="reports"') < page.index('id="cite"') < page.index('id="build"')
    # every claim a row, verdict as a labelled badge, booleans in words, markup escaped
    assert len(re.findall(r'<tr id="claim-C\d\d"', page)) == len(ROWS)
    assert '<span class="kz-badge kz-badge-partly-supported">partly supported</span>' in page
    assert "2021: no" in page and "Arms &lt;b&gt;share&lt;/b&gt;" in page
    assert reader_text_problems(page) == []


def test_ledger_links_to_the_chapter_report_or_the_synthesis(project):
    page = page_of(project)
    assert 'href="trade-KAZ.html#claim-C10"' in page and 'href="trade-KAZ.html#claim-C17"' in page
    # arms-KAZ has no report file: the synthesis report tests the claim instead
    assert 'href="synthesis-KAZ.html#claim-C20"' in page
    assert 'href="synthesis-KAZ.html#claim-C33"' in page  # polls: no variant configured
    assert 'data-chapter="trade"' in page and 'data-verdict="contradicted"' in page
    assert '<option value="partly_supported">partly supported</option>' in page
    assert "<script>" in page and "kz-filter-verdict" in page


def test_matrix_links_reports_error_pages_and_headlines(project):
    page = page_of(project)
    matrix = page[page.index('id="reports"') : page.index('id="cite"')]
    assert "Russia&#x27;s share fell from 47.1 % to 19.7 %" in matrix
    assert '<a class="kz-open" href="trade-KAZ.html">' in matrix
    assert 'href="trade-UZB.error.html">error page</a>' in matrix
    assert "last build failed" in matrix and "not built yet" in matrix  # arms-KAZ
    assert '<th scope="col">Uzbekistan</th>' in matrix and "no report" in matrix


def test_build_status_is_folded_in_words_with_the_stale_rule(project):
    page = page_of(project)
    status = page[page.index('id="build"') :]
    assert (
        '<details class="kz-build"><summary>4 reports; last build 2026-12-07 06:08:42 UTC' in status
    )
    assert "1 failed" in status and "1 not built yet" in status
    assert "Country: Kazakhstan · Years: 1995–latest · Source preference: IMF DOTS first" in status
    assert "{'" not in page and "None" not in page
    assert "flagged stale data only when" in status
    # BNS data end in 2023 (due by July 2025): stale; the EI 2026 edition is current
    assert status.count('class="kz-stale-data"') == 2  # trade-KAZ, trade-UZB
    assert "BNS: data end in 2023; a release with later data was due by 31 July 2025" in status
    assert page.count('class="kz-stale-mark"') == 2


def test_cite_box_has_plain_text_and_bibtex(project):
    page = page_of(project)
    cite = page[page.index('id="cite"') : page.index('id="build"')]
    assert "kzanalysis contributors (" in cite and "@software{kzanalysis" in cite


def test_no_op_index_is_byte_identical_and_ledger_cached(project, monkeypatch):
    reports, data = project
    monkeypatch.setenv("KZANALYSIS_DATA_DIR", str(data))
    calls = []
    monkeypatch.setattr(
        I,
        "evaluate_ledger",
        lambda p, reports=None: calls.append(p) or {"rows": ROWS, "error": None},
    )
    assert I.write_index(reports, VARIANTS) is True
    files = {p: p.read_bytes() for p in reports.rglob("*") if p.is_file()}
    mtimes = {p: p.stat().st_mtime_ns for p in files}
    assert I.write_index(reports, VARIANTS) is False
    assert {p: p.read_bytes() for p in reports.rglob("*") if p.is_file()} == files
    assert {p: p.stat().st_mtime_ns for p in files} == mtimes
    assert calls == []  # the cached results were current
    # a changed claim (or table checksum) changes the digest: evaluated once, then cached
    (data / "claims.yaml").write_text("claims: []  # changed\n")
    I.write_index(reports, VARIANTS)
    I.write_index(reports, VARIANTS)
    assert len(calls) == 1
    doc = json.loads((data / "datapackage.json").read_text())
    doc["resources"][0]["hash"] = "sha256:bb"
    (data / "datapackage.json").write_text(json.dumps(doc))
    I.write_index(reports, VARIANTS)
    assert len(calls) == 2
    assert (state_dir(reports) / I.CACHE_NAME).is_file()


def test_ledger_digest_depends_on_claims_tables_and_library(project):
    _reports, data = project
    base = I.ledger_digest(data, "lib")
    assert I.ledger_digest(data, "lib") == base
    assert I.ledger_digest(data, "other lib") != base
    (data / "claims.yaml").write_text("claims: []\n# x\n")
    assert I.ledger_digest(data, "lib") != base


def test_without_claims_the_page_still_lists_reports(tmp_path):
    page = I.render_index(tmp_path, [("trade-KAZ", "EAEU trade — Kazakhstan")], data=tmp_path)
    assert 'id="ledger"' not in page and 'id="reports"' in page and "not built" in page
    assert 'href="trade-KAZ.html"' not in page


def test_ledger_errors_are_shown_not_raised(tmp_path):
    (tmp_path / "claims.yaml").write_text("claims: [{id: X}]\n")
    result = I.evaluate_ledger(tmp_path / "claims.yaml")
    assert result["rows"] == [] and result["error"]


def test_two_verdicts_show_when_they_differ():
    rows = [
        {**ROWS[0], "verdict_when_written": "contradicted", "reference_period": "2014–2020",
         "change": "Did not hold when written (2020); holds now: True."},
        {**ROWS[1], "verdict_when_written": "contradicted", "reference_period": "2021"},
    ]  # fmt: skip
    page = I.ledger_html({"rows": rows, "error": None}, Path("/nonexistent"), set())
    c10 = page[page.index('id="claim-C10"') : page.index('id="claim-C17"')]
    assert "when written (2014–2020): " in c10 and "kz-badge-contradicted" in c10
    assert "Did not hold when written (2020); holds now: yes." in c10
    c17 = page[page.index('id="claim-C17"') :]
    assert "when written" not in c17  # the same verdict then and now: one badge


def test_headline_is_read_once_per_version_of_a_report(tmp_path, monkeypatch):
    """The index cache keeps each report's headline with its size and time: a no-op
    build parses no report; a rewritten report is parsed again."""
    page = tmp_path / "trade-KAZ.html"
    box = (
        '<section class="kz-el kz-findings"><p class="kz-title">Key findings</p>'
        "<ul><li>{}</li></ul></section>"
    )
    page.write_text(box.format("China leads."), encoding="utf-8")
    parsed: list[str] = []
    real = I.headline_of
    monkeypatch.setattr(I, "headline_of", lambda text: parsed.append(text) or real(text))
    cache: dict = {}
    assert I.headline(page, cache) == "China leads."
    assert I.headline(page, cache) == "China leads."
    assert len(parsed) == 1 and cache["headlines"]["trade-KAZ.html"]["text"] == "China leads."
    page.write_text(box.format("Russia leads, now."), encoding="utf-8")
    assert I.headline(page, cache) == "Russia leads, now."
    assert len(parsed) == 2
    assert I.headline(tmp_path / "missing.html", cache) is None
