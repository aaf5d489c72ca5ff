"""Tests of the synthesis' FDI measure (a separate economic measure, next to trade).

The FDI table here is made by hand; every share, sum and sentence expected is worked out
in the comment next to its assertion. Hosts are KAZ (inflows and stock) and KGZ (inflows
only), the two hosts the bundle has (``kzanalysis.analysis.money.FDI_MEASURES``).
"""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from kzanalysis import plotting, report
from kzanalysis.analysis import synthesis as S
from kzanalysis.analysis import synthesis_report as R
from kzanalysis.report.references import References
from kzanalysis.report.text import reader_text_problems

UNCTAD = {
    "id": "unctad",
    "publisher": "Fixture Conference on Trade (FCT)",
    "title": "Fixture bilateral FDI statistics",
    "path": "https://example.org/fdi",
    "edition": "Fixture edition",
    "terms": "Synthetic test data, free to reuse with credit.",
}
TRADE = {
    "table": "trade",
    "sources": [
        {
            "id": "src",
            "publisher": "Fixture Statistics Office (FSO)",
            "title": "Fixture trade shares",
            "path": "https://example.org/trade",
            "edition": "Release of 1 January 2026",
            "terms": "Synthetic test data, free to reuse with credit.",
        }
    ],
}

# investor -> (iso3, kind, name, {year: value}); sign repaired where the key is in REPAIRED
KAZ_INFLOW = {
    # world 2001–2003: 100 + 200 + 100 = 400
    "WLD": (None, "world", "World", {2001: 100, 2002: 200, 2003: 100}),
    "GRP": (None, "group", "Developed economies", {2001: 300, 2002: 300, 2003: 300}),
    # China 10 + 30 + 20 = 60 -> 15.0 %; Russia 20 + 10 + 10 = 40 -> 10.0 %
    "CHN": ("CHN", "country", "China", {2001: 10, 2002: 30, 2003: 20}),
    "RUS": ("RUS", "country", "Russian Federation", {2001: 20, 2002: 10, 2003: 10}),
    # Netherlands 40 + 100 + 20 = 160 -> 40.0 % (the largest country)
    "NLD": ("NLD", "country", "Netherlands", {2001: 40, 2002: 100, 2003: 20}),
    "USA": ("USA", "country", "United States", {2001: 5, 2002: 20, 2003: 5}),
    # unspecified 25 + 40 + 45 = 110 -> 27.5 %
    "UNS": (None, "unspecified", "Unspecified", {2001: 25, 2002: 40, 2003: 45}),
}
KAZ_STOCK = {
    # 2003 not available for anyone: the latest stock year is 2002 (world 1,200)
    "WLD": (None, "world", "World", {2001: 1000, 2002: 1200, 2003: math.nan}),
    "CHN": ("CHN", "country", "China", {2001: 50, 2002: 60, 2003: math.nan}),  # 5.0 %
    "RUS": ("RUS", "country", "Russian Federation", {2001: 100, 2002: 120, 2003: math.nan}),
    "NLD": ("NLD", "country", "Netherlands", {2001: 300, 2002: 600, 2003: math.nan}),  # 50 %
    "UNS": (None, "unspecified", "Unspecified", {2001: 10, 2002: 12, 2003: math.nan}),  # 1 %
}
KGZ_INFLOW = {
    # world 10 + 20 + 0 = 30; 2003 has no positive world total
    "WLD": (None, "world", "World", {2001: 10, 2002: 20, 2003: 0}),
    # China -4 + 6 + 1 = 3 -> 10.0 %; Russia 12 + 2 - 1 = 13 -> 43.3 %; Canada 14 -> 46.7 %
    "CHN": ("CHN", "country", "China", {2001: -4, 2002: 6, 2003: 1}),
    "RUS": ("RUS", "country", "Russian Federation", {2001: 12, 2002: 2, 2003: -1}),
    "CAN": ("CAN", "country", "Canada", {2001: 2, 2002: 12, 2003: 0}),
}
REPAIRED = {("KGZ", "CHN", 2001), ("KGZ", "RUS", 2003)}


def _rows(host: str, measure: str, spec: dict) -> list[dict]:
    rows = []
    for key, (iso3, kind, name, values) in spec.items():
        for year, value in values.items():
            rows.append(
                {
                    "source": "unctad",
                    "host_iso3": host,
                    "measure": measure,
                    "investor_name": name,
                    "investor_iso3": iso3,
                    "investor_kind": kind,
                    "parent_name": "World",
                    "year": year,
                    "value_usd_mn": float(value),
                    "sign_repaired": (host, key, year) in REPAIRED,
                }
            )
    return rows


@pytest.fixture
def fdi() -> pd.DataFrame:
    rows = (
        _rows("KAZ", "inflow", KAZ_INFLOW)
        + _rows("KAZ", "stock", KAZ_STOCK)
        + _rows("KGZ", "inflow", KGZ_INFLOW)
    )
    out = pd.DataFrame(rows).astype({"year": "int64", "value_usd_mn": "float64"})
    out.attrs["provenance"] = {"table": "investment_fdi_by_origin", "sources": [UNCTAD]}
    return out


def trade_frame() -> pd.DataFrame:
    """Economic shares (Russia %, China %): 2000 (60, 10), 2001 (50, 20), 2002 (40, 30),
    2004 (30, 40); no 2003."""
    rows = []
    for year, (rus, chn) in {
        2000: (60, 10),
        2001: (50, 20),
        2002: (40, 30),
        2004: (30, 40),
    }.items():
        rows += S._pair_rows("economic", year, rus, chn, measure="trade", source="src")
    return S.balance_frame([S._frame(rows)])


# --- analysis ----------------------------------------------------------------------------


def test_fdi_shares_per_year_with_notes(fdi):
    kaz = S.fdi_shares(fdi, "KAZ", 2000, 2010)
    assert list(kaz.columns) == S.FRAME_COLUMNS
    assert set(kaz["sphere"]) == {"economic"} and set(kaz["measure"]) == {S.FDI_MEASURE}
    wide = kaz.pivot(index="year", columns="actor", values="share_pct")
    # 2001: Russia 20/100, China 10/100; 2002: 10/200, 30/200; 2003: 10/100, 20/100
    assert wide["Russia"].tolist() == pytest.approx([20.0, 5.0, 10.0])
    assert wide["China"].tolist() == pytest.approx([10.0, 15.0, 20.0])
    assert kaz.loc[kaz["year"] == 2002, "note"].iloc[0] == "world total 200 US$ mn"
    assert set(kaz["source"]) == {"unctad"}
    kgz = S.fdi_shares(fdi, "KGZ", 2000, 2010).set_index(["year", "actor"])
    assert kgz.loc[(2001, "China"), "share_pct"] == pytest.approx(-40.0)  # -4 / 10
    assert kgz.loc[(2001, "Russia"), "share_pct"] == pytest.approx(120.0)  # 12 / 10
    assert kgz.loc[(2001, "China"), "note"] == (
        "world total 10 US$ mn; China: negative value (minus sign restored in curation)"
    )
    assert math.isnan(kgz.loc[(2003, "Russia"), "share_pct"])  # world total 0
    assert kgz.loc[(2003, "Russia"), "note"] == (
        "no positive world total this year: share not computable; Russia: negative value "
        "(minus sign restored in curation)"
    )
    # a host the bundle has no FDI for, and years outside the table: no rows
    assert S.fdi_shares(fdi, "UZB", 2000, 2010).empty
    assert S.fdi_shares(fdi, "KAZ", 2010, 2020).empty
    assert list(S.fdi_shares(fdi, "UZB", 2000, 2010).columns) == S.FRAME_COLUMNS


def test_fdi_shares_stay_out_of_the_balance_frame(fdi):
    # a second economic value for 2001 is refused: FDI is its own measure, never merged
    with pytest.raises(ValueError, match="economic 2001 Russia appears twice"):
        S.balance_frame([trade_frame(), S.fdi_shares(fdi, "KAZ", 2000, 2010)])


def test_fdi_totals_cumulative_and_latest_stock(fdi):
    kaz = S.fdi_totals(fdi, "KAZ", 2000, 2010)
    assert list(kaz.columns) == S.FDI_TOTAL_COLUMNS
    assert kaz["investor"].tolist() == ["RUS", "CHN", "NLD", "UNSPECIFIED"]
    assert kaz["name"].tolist() == ["Russia", "China", "Netherlands", "Unspecified"]
    assert kaz["value_usd_mn"].tolist() == [40.0, 60.0, 160.0, 110.0]
    assert set(kaz["world_usd_mn"]) == {400.0}
    # 40/400, 60/400, 160/400, 110/400
    assert kaz["share_pct"].tolist() == pytest.approx([10.0, 15.0, 40.0, 27.5])
    assert kaz["years"].tolist() == [3, 3, 3, 3]
    # stock: 2003 unknown, so 2002 (world 1,200): 120, 60, 600, 12 -> 10, 5, 50, 1 %
    assert kaz["stock_year"].tolist() == [2002] * 4
    assert kaz["stock_share_pct"].tolist() == pytest.approx([10.0, 5.0, 50.0, 1.0])
    # one year only: 2002 -> Russia 10/200 = 5 %
    one = S.fdi_totals(fdi, "KAZ", 2002, 2002).set_index("investor")
    assert one.loc["RUS", "share_pct"] == pytest.approx(5.0)
    kgz = S.fdi_totals(fdi, "KGZ", 2000, 2010)
    assert kgz["investor"].tolist() == ["RUS", "CHN"]  # no Netherlands / unspecified rows
    # Russia 13/30, China 3/30
    assert kgz["share_pct"].tolist() == pytest.approx([130 / 3, 10.0])
    assert kgz["stock_year"].isna().all() and kgz["stock_share_pct"].isna().all()
    assert S.fdi_totals(fdi, "UZB", 2000, 2010).empty


def test_fdi_largest_investor(fdi):
    kaz = S.fdi_largest(fdi, "KAZ", 2000, 2010)
    # countries only: Netherlands 160 > China 60 > Russia 40 > US 30 (the group's 900 and
    # unspecified 110 do not compete)
    assert kaz == {
        "investor": "NLD",
        "name": "Netherlands",
        "value_usd_mn": 160.0,
        "share_pct": pytest.approx(40.0),
        "first_year": 2001,
        "last_year": 2003,
        "transit": True,
    }
    kgz = S.fdi_largest(fdi, "KGZ", 2000, 2010)
    assert kgz["name"] == "Canada" and kgz["transit"] is False  # the source's own name
    assert kgz["share_pct"] == pytest.approx(14 / 30 * 100)
    assert S.fdi_largest(fdi, "UZB", 2000, 2010) is None
    assert S.fdi_largest(fdi, "KAZ", 2010, 2020) is None


def test_fdi_comparison_uses_the_tie_band(fdi):
    kaz = S.fdi_totals(fdi, "KAZ", 2000, 2010)
    # Russia 10 % - China 15 % = -5 pp: at the band's edge it is close, beyond it China
    close = S.fdi_comparison(kaz, 5.0)
    assert close["gap_pp"] == pytest.approx(-5.0)
    assert close["leader"] == "close (within 5 pp)"
    assert (close["first_year"], close["last_year"], close["years"]) == (2001, 2003, 3)
    assert S.fdi_comparison(kaz, 4.0)["leader"] == "China"
    kgz = S.fdi_comparison(S.fdi_totals(fdi, "KGZ", 2000, 2010), 5.0)
    assert kgz["leader"] == "Russia" and kgz["gap_pp"] == pytest.approx(100 / 3)
    assert S.fdi_comparison(kaz[kaz["investor"] != "CHN"], 5.0) is None


def test_fdi_coverage_economic_means_and_status(fdi):
    assert S.fdi_coverage(fdi) == {"hosts": ("KAZ", "KGZ"), "first_year": 2001, "last_year": 2003}
    assert S.fdi_coverage(fdi.iloc[0:0]) == {"hosts": (), "first_year": None, "last_year": None}
    # trade years with both shares in 2001–2003: 2001 and 2002 -> Russia (50+40)/2, China (20+30)/2
    means = S.economic_means(trade_frame(), 2001, 2003)
    assert means == {
        "russia_pct": 45.0,
        "china_pct": 25.0,
        "years_with_data": 2,
        "years_in_range": 3,
    }
    assert math.isnan(S.economic_means(trade_frame(), 2005, 2006)["russia_pct"])
    assert S.fdi_measure(fdi, "KAZ", 1996, 2025, 5.0).status == "data"
    assert S.fdi_measure(fdi, "UZB", 1996, 2025, 5.0).status == "no host"
    assert S.fdi_measure(fdi, "KAZ", 2010, 2025, 5.0).status == "out of range"


# --- report: sentences -------------------------------------------------------------------


def test_fdi_sentences(fdi):
    kaz = S.fdi_measure(fdi, "KAZ", 1996, 2025, 5.0)
    assert R.fdi_sentence(kaz, "Testland", 5.0) == (
        "FDI, a separate economic measure, is known only for 2001–2003: of the FDI inflows "
        "into Testland in those years, China's cumulative share was 15.0 % and Russia's "
        "10.0 %, China ahead by 5.0 percentage points, within the tie band of ±5 percentage "
        "points (close). The largest recorded investor, the Netherlands (40.0 %), is a "
        "transit hub: FDI is recorded by the immediate investor, so Russian and Chinese "
        "capital may be hidden there."
    )
    # with a band of 4 points the 5-point gap is a lead, not close
    assert "China ahead by 5.0 percentage points. The largest" in R.fdi_sentence(
        S.fdi_measure(fdi, "KAZ", 1996, 2025, 4.0), "Testland", 4.0
    )
    kgz = S.fdi_measure(fdi, "KGZ", 1996, 2025, 5.0)
    # Russia 43.3 %, China 10.0 %: 33.3 points; the largest investor is Canada (46.7 %)
    assert R.fdi_sentence(kgz, "Testland", 5.0) == (
        "FDI, a separate economic measure, is known only for 2001–2003: of the FDI inflows "
        "into Testland in those years, Russia's cumulative share was 43.3 % and China's "
        "10.0 %, Russia ahead by 33.3 percentage points. FDI is recorded by the immediate "
        "investor, so Russian and Chinese capital routed through transit or offshore hubs "
        "may be hidden under other investors (the largest recorded investor is Canada, "
        "46.7 %)."
    )
    uzb = S.fdi_measure(fdi, "UZB", 1996, 2025, 5.0)
    assert R.fdi_sentence(uzb, "Testland", 5.0) == (
        "FDI, the thesis' money measure, cannot be set next to trade for Testland: the "
        "bundled FDI by investing economy (UNCTAD) covers only Kazakhstan and Kyrgyzstan as "
        "hosts, 2001–2003, so the economic sphere rests on trade turnover alone."
    )
    late = S.fdi_measure(fdi, "KAZ", 2010, 2025, 5.0)
    assert R.fdi_missing_reason(late, "Testland") == (
        "the bundled FDI by investing economy for Testland covers 2001–2003, outside this "
        "report's years (2010–2025)"
    )
    assert R.fdi_missing_reason(kaz, "Testland") == ""


def test_fdi_caveat_and_shares_outside_the_range(fdi):
    kaz = S.fdi_measure(fdi, "KAZ", 1996, 2025, 5.0)
    assert R.fdi_caveat(kaz) == (
        "Over 2001–2003, China's cumulative share was 15.0 % and Russia's 10.0 %; the "
        "Netherlands, the largest recorded investor and a transit hub, accounts for 40.0 % "
        "and unspecified investors for 27.5 %."
    )
    kgz = S.fdi_measure(fdi, "KGZ", 1996, 2025, 5.0)
    assert R.fdi_caveat(kgz) == (
        "Over 2001–2003, China's cumulative share was 10.0 % and Russia's 43.3 %; the "
        "largest recorded investor is Canada (46.7 %)."
    )
    assert R.fdi_caveat(S.fdi_measure(fdi, "UZB", 1996, 2025, 5.0)) == ""
    assert R.fdi_outside_sentence(kaz) == ""  # every KAZ share is within 0–100 %
    # KGZ 2001: China -40 %, Russia 120 %; 2003 has no share
    assert R.fdi_outside_sentence(kgz).startswith(
        "2 yearly FDI shares lie outside 0–100 % (China in 2001: −40.0 %; Russia in 2001: "
        "120.0 %): a negative inflow is a withdrawal"
    )


# --- report: figure, table, findings ------------------------------------------------------


def test_fdi_trade_rows_alt_and_subtitle(fdi):
    kaz = S.fdi_measure(fdi, "KAZ", 1996, 2025, 5.0)
    rows = R.fdi_trade_rows(trade_frame(), kaz)
    # trade only over the FDI years (2001, 2002; no 2003), FDI 2001–2003: (2 + 3) x 2
    assert len(rows) == 10
    assert rows.groupby("measure").size().to_dict() == {"FDI inflows": 6, "Trade turnover": 4}
    assert rows.iloc[0].to_dict() == {
        "measure": "Trade turnover",
        "year": 2001,
        "power": "Russia",
        "share_pct": 50.0,
    }
    kgz = S.fdi_measure(fdi, "KGZ", 1996, 2025, 5.0)
    assert len(R.fdi_trade_rows(trade_frame(), kgz)) == 8  # the 2003 FDI pair has no share
    assert R.fdi_alt(trade_frame(), kaz, "Testland") == (
        "Two line charts side by side of Russia's and China's shares (%) for Testland, "
        "2001–2003: of trade turnover (left) and of FDI inflows (right). Trade turnover: "
        "Russia 50.0 % in 2001 and 40.0 % in 2002, China 20.0 % and 30.0 %. FDI inflows: "
        "Russia 20.0 % in 2001 and 10.0 % in 2003, China 10.0 % and 20.0 %."
    )
    assert R.fdi_subtitle(trade_frame(), kaz) == (
        "Over 2001–2003, China's cumulative share of FDI inflows was 15.0 % and Russia's "
        "10.0 %; their mean yearly shares of trade turnover were 25.0 % and 45.0 % (2 of 3 "
        "years with data)."
    )
    no_trade = S.balance_frame([])
    assert R.fdi_subtitle(no_trade, kaz).endswith(
        "; no year of that span has both shares of trade turnover."
    )


def test_draw_fdi_two_panels_in_the_actor_colours(fdi):
    kgz = S.fdi_measure(fdi, "KGZ", 1996, 2025, 5.0)
    fig = R.draw_fdi(trade_frame(), kgz)
    try:
        trade_ax, fdi_ax = fig.axes
        assert [trade_ax.get_title(loc="left"), fdi_ax.get_title(loc="left")] == [
            R.FDI_PANEL_TITLES["trade"],
            R.FDI_PANEL_TITLES["fdi"],
        ]
        for ax in fig.axes:
            for line in ax.get_lines():
                if line.get_label().startswith("_"):
                    continue  # the 0 % and 100 % guide lines
                assert line.get_color().lower() == plotting.colour(line.get_label()).lower()
        drawn = [
            v
            for line in fdi_ax.get_lines()
            if not line.get_label().startswith("_")
            for v in np.asarray(line.get_ydata(), dtype=float)
            if np.isfinite(v)
        ]
        assert sorted(drawn) == pytest.approx(sorted([-40.0, 120.0, 30.0, 10.0]))
        assert trade_ax.get_ylim() == (-4.0, 104.0)
        # widened to -40 .. 120 plus 4 % of the 160-point span (6.4)
        assert fdi_ax.get_ylim() == pytest.approx((-46.4, 126.4))
        assert not fig.texts and not fig._suptitle
    finally:
        plt.close(fig)
    kaz = S.fdi_measure(fdi, "KAZ", 1996, 2025, 5.0)
    fig = R.draw_fdi(trade_frame(), kaz)
    try:
        assert fig.axes[1].get_ylim() == (-4.0, 104.0)  # all shares within 0–100 %
    finally:
        plt.close(fig)


def test_fdi_figure_and_table_elements(fdi):
    kaz = S.fdi_measure(fdi, "KAZ", 1996, 2025, 5.0)
    refs = References()
    figure, table = R.fdi_elements(trade_frame(), kaz, "Testland", sources=[TRADE, fdi], refs=refs)
    assert isinstance(figure, report.Figure)
    assert figure.title == (
        "Testland: Russia's and China's shares of FDI inflows next to trade turnover, 2001–2003"
    )
    assert figure.anchor == "fig-fdi-next-to-trade"
    assert figure.subtitle == R.fdi_subtitle(trade_frame(), kaz)
    assert list(figure.data.columns) == [
        "Measure",
        "Year",
        "Power",
        "Share of the measure's total (%)",
    ]
    assert [s.id for s in figure.sources] == ["src", "unctad"]  # trade rows, then FDI
    assert R.FDI_APART in figure.note and "no composite index" in figure.note
    html = figure.html()
    assert "Fixture bilateral FDI statistics" in html and reader_text_problems(html) == []

    assert isinstance(table, report.Table)
    assert table.title == "Testland: FDI inflows by investor, cumulative 2001–2003"
    assert table.subtitle == R.fdi_caveat(kaz)
    assert table.frame["name"].tolist() == [
        "Russia",
        "China",
        "Netherlands",
        "Unspecified origin",
        "World (all investors)",
    ]
    assert table.frame["value_usd_mn"].tolist() == [40.0, 60.0, 160.0, 110.0, 400.0]
    assert table.frame["share_pct"].tolist() == pytest.approx([10.0, 15.0, 40.0, 27.5, 100.0])
    assert table.headers["stock_share_pct"] == "Share of FDI stock, 2002 (%)"
    assert table.frame["stock_share_pct"].tolist() == pytest.approx([10.0, 5.0, 50.0, 1.0, 100.0])
    assert [s.id for s in table.sources] == ["unctad"]
    assert R.FDI_ROUTING in table.notes
    assert reader_text_problems(table.html()) == []

    kgz = S.fdi_measure(fdi, "KGZ", 1996, 2025, 5.0)
    kgz_table = R.fdi_table(kgz, "Testland", sources=fdi, refs=refs)
    assert "stock_share_pct" not in kgz_table.frame.columns  # no stock by origin for KGZ
    assert any("−40.0 %" in n for n in [R.fdi_figure(trade_frame(), kgz, "T").note])

    uzb = S.fdi_measure(fdi, "UZB", 1996, 2025, 5.0)
    (note,) = R.fdi_elements(trade_frame(), uzb, "Testland", sources=[TRADE, fdi])
    assert isinstance(note, report.Note)
    assert note.text == R.fdi_sentence(uzb, "Testland", 5.0)
    assert isinstance(R.fdi_figure(trade_frame(), uzb, "Testland"), report.Note)
    assert isinstance(R.fdi_table(uzb, "Testland"), report.Note)


def test_findings_and_coverage_carry_the_fdi_measure(fdi):
    f = trade_frame()
    lead = S.period_leaders(f, 2000, 2004, 5, 5.0)
    changes = S.lead_changes(lead)
    kaz = S.fdi_measure(fdi, "KAZ", 2000, 2004, 5.0)
    targets = {"leaders": "tbl-leaders", "fdi": "fig-fdi-next-to-trade"}
    box = R.findings(f, lead, changes, "Testland", 2000, 2004, 5.0, fdi=kaz, targets=targets)
    assert len(box.items) == 5  # the FDI sentence joins the thesis sentence, not a new item
    text, anchor, _ = box.items[1]
    assert text == R.thesis_sentence(lead) + " " + R.fdi_sentence(kaz, "Testland", 5.0)
    assert anchor == "fig-fdi-next-to-trade"
    # a Note (no anchor) as the FDI target: the sentence links to the leaders instead
    uzb = S.fdi_measure(fdi, "UZB", 2000, 2004, 5.0)
    (note,) = R.fdi_elements(f, uzb, "Testland")
    box = R.findings(
        f, lead, changes, "Testland", 2000, 2004, 5.0, fdi=uzb, targets=targets | {"fdi": note}
    )
    assert box.items[1][1] == "tbl-leaders"
    assert box.items[1][0].endswith("so the economic sphere rests on trade turnover alone.")
    # without fdi the findings are as before
    plain = R.findings(f, lead, changes, "Testland", 2000, 2004, 5.0, targets=targets)
    assert plain.items[1][0] == R.thesis_sentence(lead)

    table = R.coverage_element(f, "Testland", 2000, 2004, fdi=kaz)
    row = table.frame.iloc[-1].to_dict()
    assert row == {
        "sphere": R.FDI_COVERAGE_LABEL,
        "coverage": "3 of 5",  # 2001–2003 of 2000–2004
        "years": "2001–2003",
        "missing": "2000, 2004",
        "measures": f"{S.FDI_MEASURE}; not in the leader table",
    }
    assert R.FDI_APART in table.notes
    assert table.subtitle == R.coverage_sentence(f, "Testland", 2000, 2004)  # spheres only
    none = R.coverage_element(f, "Testland", 2000, 2004, fdi=uzb).frame.iloc[-1]
    assert none["coverage"] == "0 of 5" and none["measures"].startswith("no data: the bundled")
    assert len(R.coverage_element(f, "Testland", 2000, 2004).frame) == len(S.SPHERES)
