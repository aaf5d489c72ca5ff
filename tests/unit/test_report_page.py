"""The page around a report (issue 20): compact header with the switcher and the folded
"Reproduce" and "Cite" boxes, the table of contents after the Key findings, one copy of
the elements' stylesheet, the dark and print stylesheets; and the ledger's row anchors
and verdict counts that a report shows after its findings."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from kzanalysis.claims import ledger
from kzanalysis.publish import html, switcher
from kzanalysis.report import Findings, Table, reader_text_problems

META = html.ReportMeta(
    "arms-KAZ",
    "Arms imports — Kazakhstan",
    "03_arms_shares.ipynb",
    {"recipient": "KAZ", "start_year": 1992, "end_year": None},
    "2026-12-07 06:44:28 UTC",
    "abc1234",
    extra={
        "siblings": switcher.sibling_entries(
            "arms-KAZ",
            ["overview-KAZ", "trade-KAZ", "trade-KGZ", "arms-KAZ", "arms-KGZ", "arms-CA5"],
            ["overview-KAZ", "trade-KAZ", "trade-KGZ", "arms-KGZ", "arms-CA5"],
        )
    },
)


def test_header_is_compact_title_parameters_switcher_and_folded_boxes():
    header = html.header_html(META)
    assert '<div class="kz-title">Arms imports — Kazakhstan</div>' in header
    params = re.search(r'<p class="kz-params">([^<]*)</p>', header)
    assert params and params.group(1) == "Recipient: Kazakhstan · Years: 1992–latest"
    assert 'href="index.html"' in header and "kz-actors" in header
    assert '<details class="kz-repro">' in header and '<details class="kz-cite">' in header
    assert "<dl>" not in header.split('<details class="kz-repro">')[0]  # no parameter block
    assert "kz-toc" not in header  # the contents follow the findings
    assert reader_text_problems(header.split("<details")[0]) == []


def test_switcher_links_same_chapter_elsewhere_and_other_chapters_here():
    nav = switcher.switcher_html("arms-KAZ", META.extra["siblings"])
    rows = re.findall(r"<p>(.*?)</p>", nav)
    assert len(rows) == 2
    assert rows[0].startswith('<span class="kz-switch-label">Arms imports for:</span>')
    assert re.findall(r'href="([^"]+)"', rows[0]) == ["arms-KGZ.html", "arms-CA5.html"]
    assert '<span aria-current="page">Kazakhstan</span>' in rows[0]
    assert ">Central Asia (five states)</a>" in rows[0]
    assert rows[1].startswith('<span class="kz-switch-label">Kazakhstan in:</span>')
    assert re.findall(r'href="([^"]+)"', rows[1]) == ["overview-KAZ.html", "trade-KAZ.html"]
    assert "trade-KGZ" not in nav  # neither the same chapter nor the same country
    assert switcher.switcher_html("solo-KAZ", switcher.sibling_entries("solo-KAZ", [], [])) == ""


def test_switcher_omits_reports_that_will_not_exist():
    entries = switcher.sibling_entries(
        "trade-KAZ", ["trade-KAZ", "trade-KGZ", "trade-UZB", "energy-KAZ"], ["trade-UZB"]
    )
    assert [e["name"] for e in entries] == ["trade-KAZ", "trade-UZB"]
    assert switcher.split("arms-CA5") == ("arms", "CA5")
    assert switcher.split("my-chapter-KAZ") == ("my-chapter", "KAZ")


def test_siblings_come_from_the_configuration_and_the_reports_folder(tmp_path):
    from kzanalysis.publish.variants import load_variants

    variant = next(v for v in load_variants() if v.name == "polls-KGZ")
    (tmp_path / "synthesis-KGZ.html").write_text("x")
    names = [e["name"] for e in switcher.siblings(variant, tmp_path, ["polls-KAZ"])]
    assert names == ["polls-KAZ", "polls-KGZ", "synthesis-KGZ"]


def test_cite_box_has_plain_text_and_bibtex_with_variant_commit_and_date():
    cite = html.cite_html(META)
    assert cite.startswith('<details class="kz-cite"><summary>Cite this report</summary>')
    text = re.search(r'<p class="kz-cite-text">([^<]*)</p>', cite).group(1)
    assert "Arms imports — Kazakhstan" in text and "arms-KAZ" in text and "2026-12-07" in text
    assert "abc1234" in text and "Mosher" in text
    assert re.search(r'<pre class="kz-bib">@techreport\{[^,]+,', cite)


def test_cite_box_is_left_out_when_the_citation_file_is_unusable(monkeypatch):
    from kzanalysis import citation

    def broken(*args, **kwargs):
        raise citation.CitationError("CITATION.cff: field 'title' is missing")

    monkeypatch.setattr(citation, "report_citation", broken)
    assert html.cite_html(META) == ""


def findings_body() -> str:
    cell = '<div class="jp-Cell jp-MarkdownCell jp-Notebook-cell">'
    return (
        f"<header>h</header>{html.TOC_MARK}{cell}<h1>Title</h1></div>"
        '<div class="jp-Cell jp-CodeCell"><section class="kz-el kz-findings" aria-label="K">'
        '</section><section class="kz-el kz-verdicts"></section></div>'
        f"{cell}<h2>One</h2></div>"
    )


def test_contents_follow_the_findings_and_stay_under_the_header_without_them():
    body = html.place_toc(findings_body(), "<nav>TOC</nav>")
    assert html.TOC_MARK not in body
    assert body.index("kz-verdicts") < body.index("<nav>TOC</nav>") < body.index("<h2>One")
    plain = html.place_toc(f"<header>h</header>{html.TOC_MARK}<h2>One</h2>", "<nav>T</nav>")
    assert plain == "<header>h</header><nav>T</nav><h2>One</h2>"


def test_element_stylesheet_copies_are_dropped_from_the_page_body():
    body = '<p>a</p><style data-kz-css="">.kz-el{}</style><p>b</p><style data-kz-css>x</style>'
    assert html.ELEMENT_STYLE_RE.sub("", body) == "<p>a</p><p>b</p>"


def block(css: str, media: str) -> str:
    start = css.index(media)
    depth, i = 0, css.index("{", start)
    for j in range(i, len(css)):
        depth += {"{": 1, "}": -1}.get(css[j], 0)
        if depth == 0:
            return css[i : j + 1]
    raise AssertionError(media)


def test_dark_scheme_is_for_screens_and_keeps_figures_on_a_light_card():
    dark = block(html.CSS, "@media screen and (prefers-color-scheme:dark)")
    assert "--jp-layout-color0:#0d1117" in dark and "background:#0d1117" in dark
    assert re.search(r"figure\.kz-figure svg[^{]*\{\s*background:#fff", dark)
    assert "@media (prefers-color-scheme" not in html.CSS + html.elements_css()  # print stays light
    # code cells (reports built with --show-code) stay a light card with the light syntax colours
    assert ".jp-InputArea-editor{color-scheme:light;color:#1f2328}" in dark
    assert ".jp-InputArea-editor{--jp-cell-editor-background:#fff;" in html.CSS


def test_print_hides_controls_unfolds_rows_and_keeps_figures_whole():
    printed = block(html.CSS, "@media print")
    for control in (".kz-switch", ".kz-folds", "details.kz-fold>summary", ".kz-el>.kz-preview"):
        assert control in printed
    assert "details::details-content{content-visibility:visible" in printed
    assert "overflow:visible!important" in printed
    assert re.search(r"figure[^{]*\{break-inside:avoid", printed)


def test_ledger_rows_carry_claim_anchors_on_the_full_table_only():
    frame = pd.DataFrame({"id": [f"C{i:02d}" for i in range(1, 21)], "verdict": ["supported"] * 20})
    table = Table(frame, title="Ledger", row_ids=[ledger.row_anchor(i) for i in frame["id"]])
    page = table.html()
    assert ledger.row_anchor("C10") == "claim-C10"
    assert re.findall(r'<tr id="(claim-C\d+)"', page) == [f"claim-C{i:02d}" for i in range(1, 21)]
    preview = page.split('<details class="kz-fold">')[0]
    assert 'id="claim-' not in preview  # ids are unique: the folded full table has them
    with pytest.raises(ValueError, match="one distinct id per row"):
        Table(frame, title="Ledger", row_ids=["x"] * 20)


def test_ledger_element_rows_are_anchored_by_claim_id():
    element = ledger.ledger_element(domain="trade")
    ids = re.findall(r'<tr id="claim-(C\d+)"', element.html())
    assert ids == list(element.frame["id"]) and ids


def test_ledger_counts_link_each_verdict_to_its_rows():
    frame = pd.DataFrame(
        {
            "id": ["C10", "C11", "C12", "C16", "C17", "C18"],
            "verdict": [
                "partly_supported",
                "supported",
                "untestable",
                "contradicted",
                "partly_supported",
                "supported",
            ],
        }
    )
    counts = ledger.ledger_counts(frame)
    assert repr(counts) == (
        "Claims tested in this chapter: 2 supported (C11, C18), 2 partly supported "
        "(C10, C17), 1 contradicted (C16), 1 untestable (C12)."
    )
    page = counts.html()
    assert page.startswith('<section class="kz-el kz-verdicts"')
    assert '<a class="kz-badge kz-badge-supported" href="#claim-C11">2 supported</a>' in page
    assert '<a class="kz-badge kz-badge-contradicted" href="#claim-C16">1 contradicted</a>' in page
    assert sorted(set(re.findall(r'href="#claim-(C\d+)"', page))) == sorted(frame["id"])
    assert reader_text_problems(page) == [] and reader_text_problems(repr(counts)) == []
    assert "kz-findings" not in page  # a separate element: the findings box is unchanged
    everything = ledger.ledger_counts(frame.iloc[:0], scope="in all chapters")
    assert repr(everything) == "Claims tested in all chapters: none."


def test_findings_markup_is_unchanged_for_the_front_page():
    box = Findings(["One.", ("Two.", "fig-x"), "Three."]).html()
    assert box.startswith(
        '<section class="kz-el kz-findings" aria-label="Key findings">'
        '<p class="kz-title">Key findings</p><ul><li>One.</li>'
    )
    assert '<li>Two. <a class="kz-see" href="#fig-x">(see the figure)</a></li>' in box
