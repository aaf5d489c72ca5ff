"""Report elements: tables, figures, findings, notes, references (kzanalysis.report)."""

from __future__ import annotations

import datetime as dt
import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from kzanalysis import plotting, report
from kzanalysis.report import csvdata
from kzanalysis.report.text import reader_text_problems

SIPRI = {
    "id": "sipri_register_2026",
    "publisher": "Stockholm International Peace Research Institute (SIPRI)",
    "title": "SIPRI Arms Transfers Database: trade register, all suppliers and recipients",
    "path": "https://www.sipri.org/databases/armstransfers",
    "edition": "Data generated 18 May 2026 (March-2026 database update; deliveries to 2025)",
    "terms": "SIPRI Arms Transfers Database (c) SIPRI; credit line required.",
}
SIPRI_2025 = {**SIPRI, "id": "sipri_register_2025", "edition": "Data generated 13 Mar 2025"}
IMF = {
    "id": "imf_dots",
    "publisher": "International Monetary Fund (IMF)",
    "title": "Direction of Trade Statistics (DOTS): Exports, FOB to partner countries",
    "path": "https://data.imf.org/DOT",
    "edition": "IMF DOTS vintage of early 2022 (files committed 2022-02-02)",
    "terms": "IMF terms of use apply.",
}


def frame_with(sources: list[dict], **columns: list) -> pd.DataFrame:
    frame = pd.DataFrame(columns)
    frame.attrs["provenance"] = {"table": "t", "sources": sources}
    return frame


# --- reader text -------------------------------------------------------------------


def test_headers_carry_units_in_words() -> None:
    assert report.header("share_of_deliveries_pct") == "Share of deliveries (%)"
    assert report.header("turnover_usd_mn") == "Turnover (US$ mn)"
    assert report.header("tiv_mn") == "TIV (mn)"
    assert report.header("change_pp") == "Change (percentage points)"
    assert report.header("partner_iso3") == "Partner"
    assert report.header("year") == "Year"
    assert report.header("sample_n") == "Sample (respondents)"
    assert report.header("n") == "Respondents (number)"
    assert report.header("hhi_points") == "HHI (points)"
    assert report.header("Turnover (US$ mn)") == "Turnover (US$ mn)"
    assert report.header("value", unit="TWh") == "Value (TWh)"


def test_numbers_round_half_up_with_separators_and_a_true_minus() -> None:
    assert report.number(1234567.891, 2) == "1,234,567.89"
    assert report.number(2.5, 0) == "3"  # half up, not to even
    assert report.number(0.125, 2) == "0.13"
    assert report.number(-3.25, 1) == "−3.3"
    assert report.number(-0.04, 1) == "0.0"  # no "−0.0"
    for missing in (None, np.nan, pd.NA, pd.NaT, float("nan")):
        assert report.number(missing) == "–"


def test_fieldwork_dates_in_words() -> None:
    assert report.month_year(2022.2) == "March 2022"  # 0.2 × 12 = 2.4 → third month
    assert report.month_year(2022.0) == "January 2022"
    assert report.month_year(2022.99) == "December 2022"
    assert report.month_year("2021-11-05") == "November 2021"
    assert report.month_year("2021-11") == "November 2021"
    assert report.month_year(pd.Timestamp("2020-02-29")) == "February 2020"
    assert report.month_year(None) == "–"
    assert report.day_month_year(dt.date(2026, 5, 18)) == "18 May 2026"
    assert report.fieldwork("2022-03-01", "2022-03-20") == "March 2022"
    assert report.fieldwork("2022-03-01", "2022-04-20") == "March–April 2022"
    assert report.fieldwork("2022-11-20", "2023-01-10") == "November 2022 – January 2023"
    assert report.fieldwork(None, "2023-01-10") == "January 2023"


def test_slugs_are_stable_ascii() -> None:
    assert report.slug("Russia's share of TIV, 1992–2025") == "russias-share-of-tiv-1992-2025"
    assert report.slug("Türkiye · exports") == "turkiye-exports"
    assert report.slug("!!!") == "item"


def test_reader_text_check_finds_code_noise_outside_tags() -> None:
    html = "<td class=\"kz_x data\">share_pct</td><td>NaN</td><td>&lt;NA&gt;</td><p>{'a': 1}</p>"
    problems = reader_text_problems(html + "<p>/^S-300PS$/</p>")
    assert "a snake_case id: 'share_pct'" in problems
    assert "a missing-value repr: 'NaN'" in problems
    assert "a missing-value repr: '&lt;NA&gt;'" in problems
    assert any(p.startswith("a Python repr") for p in problems)
    assert any(p.startswith("a regex") for p in problems)
    assert reader_text_problems('<p class="snake_case">Share of deliveries (%)</p>') == []
    assert reader_text_problems("<td>China ahead, 2021: False</td>") == [
        "a boolean repr: ': False'"
    ]
    assert reader_text_problems("<p>True to its word, the ledger says no.</p>") == []


# --- references --------------------------------------------------------------------


def test_short_citation_of_a_source() -> None:
    sipri = report.SourceRef.from_provenance(SIPRI)
    assert sipri.short == "SIPRI Arms Transfers Database, data generated 18 May 2026"
    imf = report.SourceRef.from_provenance(IMF)
    assert imf.short == "IMF Direction of Trade Statistics (DOTS), IMF DOTS vintage of early 2022"


def test_short_citation_names_an_edition_once_and_the_publisher_not_its_data_source() -> None:
    unctad = report.SourceRef.from_provenance(
        {
            "id": "u",
            "publisher": "United Nations Conference on Trade and Development (UNCTAD), based "
            "on data from the National Bank of Kazakhstan",
            "title": "Bilateral FDI Statistics 2014: country sheets",
            "edition": "Bilateral FDI Statistics 2014 (data 2001–2012)",
        }
    )
    assert unctad.short == "UNCTAD Bilateral FDI Statistics 2014"
    derived = report.SourceRef.from_provenance(
        {
            "id": "d",
            "publisher": "360info, from UNESCO Institute for Statistics (UIS) data",
            "title": "UIS bilateral flows",
            "edition": "",
        }
    )
    assert derived.short == "360info, UIS bilateral flows"


def test_references_number_each_source_once_in_order_of_first_citation() -> None:
    refs = report.References()
    sipri, imf, sipri25 = (report.SourceRef.from_provenance(s) for s in (SIPRI, IMF, SIPRI_2025))
    assert refs.cite([imf]) == [1]
    assert refs.cite([sipri, imf]) == [2, 1]
    assert refs.cite([sipri25, sipri]) == [3, 2]
    assert [s.id for s in refs.sources] == [
        "imf_dots",
        "sipri_register_2026",
        "sipri_register_2025",
    ]
    text = repr(refs)
    assert text.splitlines()[0] == "References"
    assert text.splitlines()[1].startswith("[1] International Monetary Fund (IMF). Direction")
    # one terms note per publisher: SIPRI's two editions share theirs
    assert text.count("credit line required") == 1
    assert text.splitlines()[-2:] == [
        "International Monetary Fund (IMF): IMF terms of use apply.",
        "Stockholm International Peace Research Institute (SIPRI): "
        "SIPRI Arms Transfers Database (c) SIPRI; credit line required.",
    ]
    html = refs._repr_html_()
    assert html.count("<style data-kz-css>") == 1
    assert re.findall(r'<li id="(ref-\d)"', html) == ["ref-1", "ref-2", "ref-3"]
    assert html.count("credit line required") == 1
    assert '<section class="kz-el kz-references"><h2 id="references">References</h2>' in html


def test_publishers_with_the_same_terms_share_one_note() -> None:
    refs = report.References()
    bp = {"id": "bp", "publisher": "bp p.l.c.", "title": "Review 2021", "terms": "Data © EI."}
    ei = {
        "id": "ei",
        "publisher": "Energy Institute",
        "title": "Review 2024",
        "terms": "Data © EI.",
    }
    refs.cite(report.sources_of([frame_with([bp, ei], a=[1])]))
    assert refs.terms_notes() == [(["bp p.l.c.", "Energy Institute"], "Data © EI.", "")]


def test_licence_and_terms_page_come_from_the_specs() -> None:
    ref = report.SourceRef.from_provenance({"id": "wb_wdi_fx", "publisher": "World Bank"})
    assert ref.licence == "CC-BY-4.0"
    assert ref.terms_url.startswith("https://")
    refs = report.References()
    refs.cite([ref])
    assert "Licence: CC-BY-4.0." in repr(refs)


def test_sources_of_filters_by_id_and_refuses_what_it_cannot_cite() -> None:
    frame = frame_with([SIPRI, SIPRI_2025], a=[1])
    assert [s.id for s in report.sources_of(frame)] == [
        "sipri_register_2026",
        "sipri_register_2025",
    ]
    assert [s.id for s in report.sources_of([frame, frame], ["sipri_register_2025"])] == [
        "sipri_register_2025"
    ]
    with pytest.raises(ValueError, match=r"source ids \['nope'\]"):
        report.sources_of(frame, ["nope"])
    with pytest.raises(ValueError, match="without provenance"):
        report.sources_of(pd.DataFrame({"a": [1]}))


# --- tables ------------------------------------------------------------------------


def sample_table(refs: report.References | None = None, **kwargs) -> report.Table:
    frame = frame_with(
        [SIPRI],
        supplier_iso3=["RUS", "CHN", "ESP"],
        year=[2020, 2021, 2022],
        share_of_deliveries_pct=[70.125, np.nan, -1.25],
        tiv_mn=[1234.5, 2.0, None],
        verdict=["partly_supported", "supported", pd.NA],
        question_id=["dms_side_support", "side_support", "gallup_approve_russia"],
    )
    frame["verdict"] = frame["verdict"].astype("string")
    return report.Table(
        frame,
        title="Deliveries by supplier",
        subtitle="Russia delivered the most.",
        missing_note="no deliveries were recorded.",
        sources=frame,
        refs=refs or report.References(),
        **kwargs,
    )


def test_table_plain_text_is_readable_and_stable() -> None:
    assert repr(sample_table()) == "\n".join(
        [
            "Deliveries by supplier",
            "Russia delivered the most.",
            "Supplier  Year  Share of deliveries (%)  TIV (mn)  Verdict           Question ID",
            "Russia    2020                     70.1   1,234.5  partly supported  dms side support",
            "China     2021                        –       2.0  supported         side support",
            "Spain     2022                     -1.3         –  –                 "
            "gallup approve russia",
            "– no deliveries were recorded.",
            "Source: SIPRI Arms Transfers Database, data generated 18 May 2026 [1].",
            "Data: 3 rows (deliveries-by-supplier.csv).",
        ]
    )


def test_table_html_has_reader_text_only() -> None:
    html = sample_table()._repr_html_()
    assert reader_text_problems(html) == []
    for noise in ("NaN", "<NA>", "None", "nan", "partly_supported", "share_of", "RUS"):
        assert noise not in re.sub(r"<[^>]+>", " ", html.split("</style>", 1)[1])
    assert '<span class="kz-badge kz-badge-partly-supported">partly supported</span>' in html
    assert ">Russia</td>" in html and ">Spain</td>" in html
    assert '<td class="data row0 col2 kz-num" >70.1</td>' in html
    assert '<td class="data row2 col2 kz-num" >−1.3</td>' in html
    assert '<td class="data row0 col0 kz-text kz-nowrap" >Russia</td>' in html  # one word
    assert '<td class="data row0 col5 kz-text" >dms side support</td>' in html  # may wrap
    assert "<p>– no deliveries were recorded.</p>" in html
    assert '<a class="kz-cite" href="#ref-1">[1]</a>' in html
    assert html.count("<style data-kz-css>") == 1
    assert 'id="tbl-deliveries-by-supplier"' in html


def test_table_html_is_deterministic() -> None:
    a, b = sample_table()._repr_html_(), sample_table()._repr_html_()
    assert a == b
    ids = set(re.findall(r'\bid="([^"]+)"', a))
    assert ids == {
        "tbl-deliveries-by-supplier",
        "tbl-deliveries-by-supplier-title",
        "T_kz-tbl-deliveries-by-supplier",
    }


def test_long_tables_fold_and_are_sortable() -> None:
    frame = frame_with(
        [IMF], year=list(range(2000, 2020)), value_usd_mn=[float(i) for i in range(20)]
    )
    html = report.Table(frame, title="Trade", sources=frame, refs=report.References())._repr_html_()
    assert "<summary>Show all 20 rows</summary>" in html
    preview, full = html.split("<details", 1)
    assert preview.count("<tr>") == 11 and 'class="kz-data kz-plain"' in preview
    assert full.count("<tr>") == 21 and 'class="kz-data kz-sortable"' in full
    short = report.Table(frame.head(4), title="Short", refs=report.References())._repr_html_()
    assert "<details" not in short and "kz-plain" in short
    assert "kz-sortable" in report.Table(frame.head(8), title="Eight")._repr_html_()


def test_table_css_never_breaks_words_and_scrolls_wide_tables() -> None:
    css = report.CSS
    assert ".kz-scroll{overflow-x:auto" in css
    assert "word-break:normal;overflow-wrap:normal;hyphens:none" in css
    assert re.search(r"td\.kz-num[^{]*\{[^}]*white-space:nowrap", css)
    assert "prefers-color-scheme:dark" in css
    assert set(re.findall(r"\.(kz-[a-z-]+)", css)) >= {"kz-el", "kz-badge", "kz-download"}


def test_table_csv_round_trip() -> None:
    table = sample_table()
    text = table.csv()
    assert text.splitlines()[0] == "# Deliveries by supplier"
    assert text.splitlines()[1].startswith("# Source sipri_register_2026: Stockholm")
    back = report.read_csv_text(text)
    assert len(back) == 3
    assert list(back.columns) == [
        "Supplier",
        "Year",
        "Share of deliveries (%)",
        "TIV (mn)",
        "Verdict",
        "Question ID",
    ]
    assert back["Share of deliveries (%)"].tolist()[0] == 70.125  # full precision
    assert back["Supplier"].tolist() == ["Russia", "China", "Spain"]
    assert back["TIV (mn)"].isna().tolist() == [False, False, True]
    assert 'download="deliveries-by-supplier.csv"' in table._repr_html_()


def test_table_column_specs_and_unit_check() -> None:
    frame = pd.DataFrame({"iso": ["KAZ"], "value": [1.23456], "when": ["2022-03-05"]})
    table = report.Table(
        frame,
        {
            "iso": report.Col("Country", kind="country"),
            "value": report.Col("Turnover (US$ mn)", decimals=3),
            "when": report.Col("Fieldwork", kind="month"),
        },
        title="Spec",
    )
    assert table.text_table().splitlines()[1] == "Kazakhstan              1.235  March 2022"
    with pytest.raises(ValueError, match="has no unit in its header"):
        report.Table(frame, {"value": "Turnover"}, title="No unit")
    with pytest.raises(ValueError, match=r"columns \['nope'\] are not in the frame"):
        report.Table(frame, ["nope"], title="Bad")


def test_country_names_of_codes_and_groups() -> None:
    assert [report.country_name(c) for c in ("RUS", "KGZ", "EU27", "WLD", "Mars")] == [
        "Russia",
        "Kyrgyzstan",
        "EU (27 members)",
        "World",
        "Mars",
    ]


# --- figures -----------------------------------------------------------------------


def sample_figure(values=(70.0, 65.5, 60.25), refs=None, **kwargs) -> report.Figure:
    rows = frame_with(
        [SIPRI], year=[2020, 2021, 2022], supplier=["Russia"] * 3, share_pct=list(values)
    )
    fig, ax = plt.subplots(figsize=(5, 3))
    ax.plot(rows["year"], rows["share_pct"], marker="o", color=plotting.colour("Russia"))
    plotting.label_axes(ax, xlabel="Year", ylabel="Share of deliveries (%)")
    args = {
        "title": "Russia's share of deliveries",
        "subtitle": "Russia's share fell from 70.0 % in 2020 to 60.3 % in 2022.",
        "alt": "Line chart: Russia's share of deliveries fell from 70 % in 2020 to 60 % in 2022.",
        "data": rows,
        "sources": rows,
        "refs": refs or report.References(),
    }
    return report.Figure(fig, **{**args, **kwargs})


def test_figure_svg_is_deterministic_and_self_contained() -> None:
    a, b = sample_figure(), sample_figure()
    assert a.svg == b.svg  # two figures drawn the same way: the same bytes
    assert a._repr_html_() == b._repr_html_()
    assert sample_figure(values=(70.0, 65.0, 60.25)).svg != a.svg
    svg = a.svg
    assert svg.startswith("<svg ") and svg.endswith("</svg>")
    for volatile in ("<?xml", "DOCTYPE", "<metadata", "dc:date", "Matplotlib v", "/tmp", "/root"):
        assert volatile not in svg
    assert "site-packages" not in svg and not re.search(r"/home/|[A-Z]:\\\\", svg)
    ids = re.findall(r'\bid="([^"]+)"', svg)
    assert ids and all(i.startswith("fig-russias-share-of-deliveries-") for i in ids)
    refs = re.findall(r'url\(#([^)]+)\)|href="#([^"]+)"', svg)
    assert all(next(x for x in r if x) in ids for r in refs)
    assert "<text " in svg and ">Share of deliveries (%)<" in svg  # text kept as text


def test_figure_closes_the_matplotlib_figure() -> None:
    plt.close("all")
    sample_figure()
    assert plt.get_fignums() == []


def test_figure_html_has_title_subtitle_alt_source_and_csv() -> None:
    refs = report.References()
    refs.cite([report.SourceRef.from_provenance(IMF)])
    html = sample_figure(refs=refs)._repr_html_()
    assert html.count("<style data-kz-css>") == 1
    assert '<figure class="kz-el kz-figure" id="fig-russias-share-of-deliveries">' in html
    assert '<p class="kz-title" id="fig-russias-share-of-deliveries-title">' in html
    assert '<svg role="img" aria-labelledby="fig-russias-share-of-deliveries-alt" ' in html
    assert '<title id="fig-russias-share-of-deliveries-alt">Line chart: Russia&#x27;s' in html
    assert (
        '<p class="kz-source">Source: SIPRI Arms Transfers Database, data generated 18 May 2026 '
        '<a class="kz-cite" href="#ref-2">[2]</a>.</p>'
    ) in html
    assert 'download="russias-share-of-deliveries.csv">Download data (CSV)</a>' in html
    outside_svg = re.sub(r"<svg\b.*?</svg>", "", html, flags=re.S)
    assert reader_text_problems(outside_svg) == []


def test_figure_plain_text() -> None:
    assert repr(sample_figure()) == "\n".join(
        [
            "Figure: Russia's share of deliveries",
            "Russia's share fell from 70.0 % in 2020 to 60.3 % in 2022.",
            "Alt text: Line chart: Russia's share of deliveries fell from 70 % in 2020 to 60 % "
            "in 2022.",
            "Source: SIPRI Arms Transfers Database, data generated 18 May 2026 [1].",
            "Data: 3 rows (russias-share-of-deliveries.csv).",
        ]
    )


def test_figure_csv_carries_exactly_the_plotted_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(report.ENV_VARIANT, raising=False)
    monkeypatch.delenv(report.ENV_COMMIT, raising=False)
    figure = sample_figure()
    text = figure.csv()
    assert text.splitlines()[:3] == [
        "# Russia's share of deliveries",
        "# Source sipri_register_2026: Stockholm International Peace Research Institute "
        "(SIPRI), SIPRI Arms Transfers Database: trade register, all suppliers and recipients; "
        "edition: Data generated 18 May 2026 (March-2026 database update; deliveries to 2025); "
        "https://www.sipri.org/databases/armstransfers",
        "# Terms (Stockholm International Peace Research Institute (SIPRI)): SIPRI Arms "
        "Transfers Database (c) SIPRI; credit line required.",
    ]
    assert "# Report" not in text and "# Commit" not in text
    back = report.read_csv_text(text)
    assert len(back) == 3
    assert list(back.columns) == ["Year", "Supplier", "Share (%)"]
    assert back["Share (%)"].tolist() == [70.0, 65.5, 60.25]
    # the link's data: URI decodes to the same text
    import base64

    uri = re.search(r'href="data:text/csv;charset=utf-8;base64,([^"]+)"', figure._repr_html_())
    assert base64.b64decode(uri.group(1)).decode("utf-8") == text
    monkeypatch.setenv(report.ENV_VARIANT, "arms-KAZ")
    monkeypatch.setenv(report.ENV_COMMIT, "0123abc")
    lines = figure.csv().splitlines()
    assert lines[3:5] == ["# Report: arms-KAZ", "# Commit: 0123abc"]
    assert len(report.read_csv_text(figure.csv())) == 3


def test_csv_values_with_a_hash_are_data_not_comments() -> None:
    text = csvdata.csv_text(
        pd.DataFrame({"label": ["No. #1", "b"], "value_pct": [1.5, None]}), title="t"
    )
    back = report.read_csv_text(text)
    assert back["label"].tolist() == ["No. #1", "b"] and len(back) == 2


def test_figure_refuses_placeholders_and_unitless_data() -> None:
    with pytest.raises(ValueError, match="describes nothing"):
        sample_figure(alt="No description has been provided for this image")
    with pytest.raises(ValueError, match="describes nothing"):
        sample_figure(alt="chart")
    with pytest.raises(ValueError, match="repeats the title"):
        sample_figure(alt="Russia's share of deliveries")
    with pytest.raises(ValueError, match="needs a subtitle"):
        sample_figure(subtitle=" ")
    with pytest.raises(ValueError, match="has no unit"):
        sample_figure(data=pd.DataFrame({"year": [2020], "value": [1.0]}))
    with pytest.raises(ValueError, match="pass the plotted rows"):
        sample_figure(data=pd.DataFrame())
    plt.close("all")


def test_figure_columns_rename_the_csv_headers() -> None:
    figure = sample_figure(columns={"year": "Year", "share_pct": "Share of TIV (%)"})
    assert list(report.read_csv_text(figure.csv()).columns) == ["Year", "Share of TIV (%)"]


# --- findings, notes, the kernel's collector --------------------------------------


def test_findings_box_links_sentences_to_elements() -> None:
    figure = sample_figure()
    findings = report.Findings(
        [
            ("Russia's share fell by 10 points.", figure),
            ("Spain delivered most in 2022.", "#tbl-deliveries-by-supplier"),
            "Nothing was delivered in 2003.",
        ]
    )
    assert repr(findings) == "\n".join(
        [
            "Key findings",
            "- Russia's share fell by 10 points. (see the figure)",
            "- Spain delivered most in 2022. (see the table)",
            "- Nothing was delivered in 2003.",
        ]
    )
    html = findings._repr_html_()
    assert '<a class="kz-see" href="#fig-russias-share-of-deliveries">(see the figure)</a>' in html
    assert '<a class="kz-see" href="#tbl-deliveries-by-supplier">(see the table)</a>' in html
    assert '<p class="kz-title">Key findings</p>' in html
    with pytest.raises(ValueError, match="3–6 sentences, got 2"):
        report.Findings(["One.", "Two."])
    with pytest.raises(ValueError, match="got 7"):
        report.Findings([f"Finding {i}." for i in range(7)])


def test_note_is_a_plain_paragraph() -> None:
    note = report.Note("TIV is a volume index,  not money.", label="Caveat")
    assert repr(note) == "Caveat. TIV is a volume index, not money."
    assert note.html() == (
        '<p class="kz-el kz-note"><strong>Caveat.</strong> TIV is a volume index, not money.</p>'
    )
    assert repr(report.Note("Plain.", label="")) == "Plain."


def test_elements_cite_into_the_kernel_collector_when_no_refs_given() -> None:
    kernel = report.references()
    kernel.clear()
    rows = frame_with([IMF], year=[2020], value_usd_mn=[1.0])
    table = report.Table(rows, title="Trade", sources=rows)
    assert len(kernel) == 0  # numbers are given when an element is shown
    assert "[1]" in repr(table)
    assert [s.id for s in kernel.sources] == ["imf_dots"]
    kernel.clear()


def test_references_give_one_terms_note_per_publisher():
    from kzanalysis.report import References, SourceRef

    def ref(i: str, pub: str, terms: str) -> SourceRef:
        return SourceRef(i, pub, f"T {i}", "2026", "https://x.org", terms, "", "")

    refs = References()
    long = "Cite SIPRI. Only the extract is committed. More."
    refs.cite(
        [
            ref("a", "SIPRI", "Cite SIPRI. Only the extract is committed."),
            ref("b", "SIPRI", long),
            ref("c", "bp p.l.c.", "Cite SIPRI."),
            ref("d", "IMF", "Cite the IMF."),
        ]
    )
    notes = refs.terms_notes()
    assert [pubs for pubs, _, _ in notes] == [["SIPRI", "bp p.l.c."], ["IMF"]]
    assert notes[0][1] == long
    assert "bp p.l.c.." not in repr(refs) and "[3] bp p.l.c. T c." in repr(refs)


def test_year_spans_keep_pairs_and_range_runs_of_three() -> None:
    from kzanalysis.report.text import year_spans

    assert year_spans([2024, 2015, 2016, 2017, 2018, 2019, 2023, 2015]) == [
        "2015–2019",
        "2023",
        "2024",
    ]
    assert year_spans([]) == []
