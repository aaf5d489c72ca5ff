"""Tests of kzanalysis.analysis.synthesis_report on hand-made frames.

Every sentence, count and plotted row expected here is worked out by hand in the comment
next to its assertion.
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

SOURCE = {
    "id": "src",
    "publisher": "Fixture Statistics Office (FSO)",
    "title": "Fixture shares of Russia and China",
    "path": "https://example.org/fixture",
    "edition": "Release of 1 January 2026",
    "terms": "Synthetic test data, free to reuse with credit.",
}
PROVENANCE = {"table": "fixture", "sources": [SOURCE]}


def pairs(sphere: str, values: dict[int, tuple[float, float]], measure: str = "m") -> pd.DataFrame:
    """Frame rows: year -> (Russia %, China %)."""
    rows = []
    for year, (rus, chn) in values.items():
        rows += S._pair_rows(sphere, year, rus, chn, measure=measure, source="src")
    return S._frame(rows)


def frame(**spheres: dict[int, tuple[float, float]]) -> pd.DataFrame:
    return S.balance_frame([pairs(s, v) for s, v in spheres.items()])


@pytest.fixture
def changing() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Periods of 2 years in 2000–2009 (as in test_analysis_synthesis):
    economic 2000–01 Russia (60 vs 10), 2002–03 no data, 2004–05 China, 2006–07 China,
    2008–09 close (41 vs 39); military 2000–01 Russia (90 vs 0) and 2008–09 Russia (80 vs 5).
    """
    f = frame(
        economic={2000: (60, 10), 2004: (10, 60), 2006: (20, 70), 2008: (41, 39)},
        military={2000: (90, 0), 2008: (80, 5)},
    )
    lead = S.period_leaders(f, 2000, 2009, 2, 5.0)
    return f, lead, S.lead_changes(lead)


def empty_case() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    f = S.balance_frame([])
    lead = S.period_leaders(f, 2000, 2004, 5, 5.0)
    return f, lead, S.lead_changes(lead)


# --- sentences ---------------------------------------------------------------------------


def test_small_text_helpers():
    assert R.pct(47.25) == "47.3 %"  # half up, one decimal
    assert R.pct(7.5, 0) == "8 %"
    assert R.pct(math.nan) == "–"
    assert R.join_words(["a"]) == "a"
    assert R.join_words(["a", "b", "c"]) == "a, b and c"
    assert R.leader_word("close (within 5 pp)") == "close"
    assert R.leader_word("China") == "China"
    assert R.publisher_short("Stockholm International Peace Research Institute (SIPRI)") == (
        "SIPRI"
    )
    assert R.publisher_short("World Bank WITS (UN Comtrade data, Kazakhstan-reported)") == (
        "World Bank WITS"
    )
    assert R.publisher_short("bp p.l.c.") == "bp p.l.c."


def test_parameters_note_states_the_scope_in_words():
    note = R.parameters_note("Testland", 2000, 2011, 5, 2.5)
    # periods 2000–04, 2005–09, 2010–11: the last has 2 years
    assert note.text == (
        "Testland, 2000–2011. Leaders are read over 5-year periods from 2000 (the last, "
        "2010–2011, has 2 years); a mean gap between the two powers within ±2.5 percentage "
        "points counts as close."
    )
    assert note.label == "Scope"
    single = R.parameters_note("Testland", 2000, 2002, 1, 1.0).text
    assert "over single years from 2000;" in single and "±1 percentage point counts" in single


def test_trend_sentence_takes_the_longest_series():
    f = frame(
        # economic: 3 years, the longest; Russia 60 -> 40, China 10 -> 30
        economic={2000: (60, 10), 2001: (50, 20), 2002: (40, 30)},
        military={2000: (90, 0)},
    )
    assert R.trend_sentence(f) == (
        "In trade turnover, the longest series (2000–2002), Russia's share fell from 60 % to "
        "40 % and China's rose from 10 % to 30 %."
    )
    # a tie of 2 years each: the sphere listed first (economic) wins; China stays at 0
    tie = frame(military={2000: (90, 0), 2001: (80, 0)}, economic={2000: (5, 6), 2005: (5, 9)})
    assert R.trend_sentence(tie).startswith("In trade turnover, the longest series (2000–2005)")
    assert R.trend_sentence(frame(military={2000: (90, 0), 2001: (80, 0)})) == (
        "In arms deliveries, the longest series (2000–2001), Russia's share fell from 90 % to "
        "80 % and China's stayed at 0 %."
    )
    assert R.trend_sentence(frame(opinion={2020: (75.0, 7.5)})) == (
        "Only one year has both shares: in 2020, Russia's share of poll answers was 75 % and "
        "China's 8 %."
    )
    assert R.trend_sentence(S.balance_frame([])).startswith("No sphere has both")


def test_latest_thesis_and_changes_sentences(changing):
    _, lead, changes = changing
    # latest with data: economic 2008–09 close (41 vs 39, 1 of 2 years), military Russia
    assert R.latest_sentence(lead, 5.0) == (
        "In each sphere's latest period with data, Russia leads in military (2008–2009: "
        "Russia 80.0 %, China 5.0 %, 1 of 2 years with data); the two are within 5 percentage "
        "points in economic (2008–2009: Russia 41.0 %, China 39.0 %, 1 of 2 years with data)."
    )
    # thesis: economic China (data: close), military Russia (holds), opinion (no data)
    assert R.thesis_sentence(lead) == (
        "In the latest period with data, the thesis' division of labour (China ahead in "
        "economic, Russia in military and opinion) holds for military; it does not hold for "
        "economic, where the two are close; it cannot be checked for opinion, which has no "
        "data."
    )
    # two changes, both economic; military Russia in its 2 periods with data
    assert R.changes_sentence(lead, changes, 2000, 2009) == (
        "The leader changed twice between consecutive periods with data, all in economic; "
        "military kept the same leader (Russia) in both periods with data."
    )


def test_changes_sentence_without_changes_or_data():
    f = frame(military={2000: (90, 0), 2002: (80, 5), 2004: (70, 0)}, opinion={2001: (50, 10)})
    lead = S.period_leaders(f, 2000, 2005, 2, 5.0)
    assert R.changes_sentence(lead, S.lead_changes(lead), 2000, 2005) == (
        "No sphere changed leader between consecutive periods with data in 2000–2005; "
        "military kept the same leader (Russia) in all 3 periods with data; opinion has only "
        "one period with data."
    )
    _, lead0, changes0 = empty_case()
    assert R.changes_sentence(lead0, changes0, 2000, 2004) == (
        "No sphere has a period with data in 2000–2004, so no lead can change."
    )


def test_coverage_sentence_counts_years_and_names_the_reasons():
    f = frame(economic={2000: (1, 2), 2001: (1, 2), 2003: (1, 2)}, military={2005: (9, 1)})
    text = R.coverage_sentence(f, "Testland", 2000, 2005)
    assert text.startswith(
        "Both shares are known for Testland in 3 of the 6 years for economic and 1 for "
        "military; nothing is interpolated. There is no data for energy ("
    )
    assert f"and opinion ({S.NO_DATA_REASONS['opinion']})." in text
    none = R.coverage_sentence(S.balance_frame([]), "Testland", 2000, 2005)
    assert none.startswith("No sphere has both Russia's and China's shares for Testland in ")


def test_ledger_sentence_counts_verdicts():
    rows = pd.DataFrame({"verdict": ["supported", "supported", "partly_supported", "untestable"]})
    expected = (
        "The data test the thesis' 4 quantitative claims (all chapters): 2 supported, 1 partly "
        "supported and 1 untestable."
    )
    assert R.ledger_sentence(rows) == expected

    class Element:  # a ledger Table keeps its rows in .frame
        frame = rows

    assert R.ledger_sentence(Element()) == expected
    assert R.ledger_sentence(pd.DataFrame({"verdict": []})).startswith("The claims ledger holds")


def test_findings_link_each_sentence_and_work_without_data(changing):
    f, lead, changes = changing
    ledger = pd.DataFrame({"verdict": ["supported", "contradicted"]})
    box = R.findings(
        f,
        lead,
        changes,
        "Testland",
        2000,
        2009,
        5.0,
        ledger=ledger,
        targets={"leaders": "tbl-leaders", "figure": "fig-x", "ledger": "tbl-claims-ledger"},
    )
    assert [t for t, _, _ in box.items] == [
        R.latest_sentence(lead, 5.0),
        R.thesis_sentence(lead),
        R.trend_sentence(f),
        R.changes_sentence(lead, changes, 2000, 2009),
        R.coverage_sentence(f, "Testland", 2000, 2009),
        R.ledger_sentence(ledger),
    ]
    assert [a for _, a, _ in box.items] == [
        "tbl-leaders",
        "tbl-leaders",
        "fig-x",
        None,
        None,
        "tbl-claims-ledger",
    ]
    f0, lead0, changes0 = empty_case()
    few = R.findings(f0, lead0, changes0, "Testland", 2000, 2004, 5.0)
    assert len(few.items) == 5  # no ledger: five sentences, each saying there is no data
    assert all("no" in t.lower() for t, _, _ in few.items[:2] + few.items[3:])
    with pytest.raises(ValueError, match="unknown targets \\['table'\\]"):
        R.findings(f, lead, changes, "T", 2000, 2009, 5.0, targets={"table": "x"})


# --- the figure --------------------------------------------------------------------------


def figure_frame() -> pd.DataFrame:
    """Economic 2000–2002; energy 2001 and a 2002 pair without shares (not plotted)."""
    rows = S._pair_rows("energy", 2001, 30.0, 70.0, measure="gas", source="src")
    rows += S._pair_rows("energy", 2002, math.nan, math.nan, measure="gas", source="src")
    return S.balance_frame(
        [
            pairs("economic", {2000: (60, 10), 2001: (50, 20), 2002: (40, 30)}, "trade"),
            S._frame(rows),
        ]
    )


def test_plotted_rows_are_the_points_drawn():
    f = figure_frame()
    data = R.plotted_rows(f)
    # 3 economic years x 2 powers + 1 energy year x 2 powers; the NaN pair is not drawn
    assert len(data) == 8
    assert list(data.columns) == ["sphere", "year", "power", "share_pct", "measure"]
    assert data.iloc[0].to_dict() == {
        "sphere": "Economic",
        "year": 2000,
        "power": "Russia",
        "share_pct": 60.0,
        "measure": "trade",
    }
    fig = R.draw_balance(f, 2000, 2002)
    try:
        drawn = []
        for ax in fig.axes:
            for line in ax.get_lines():
                y = np.asarray(line.get_ydata(), dtype=float)
                drawn += [(line.get_label(), v) for v in y[np.isfinite(y)]]
                assert line.get_color().lower() == plotting.colour(line.get_label()).lower()
        assert len(drawn) == len(data)
        assert sorted(v for _, v in drawn) == sorted(data["share_pct"])
        titles = [ax.get_title(loc="left") for ax in fig.axes]
        assert titles == [R.PANEL_TITLES[s] for s in S.SPHERES]
        assert all(ax.get_ylabel() == "Share (%)" for ax in fig.axes)
        assert not fig.texts and not fig._suptitle  # no title or caption in the image
        no_data = [t.get_text() for ax in fig.axes for t in ax.texts]
        assert no_data == ["No data", "No data"]  # military and opinion panels
    finally:
        plt.close(fig)


def test_balance_alt_describes_every_panel():
    alt = R.balance_alt(figure_frame(), "Testland", 2000, 2002)
    assert alt == (
        "4 line charts stacked, one per sphere, of Russia's and China's shares (%) for "
        "Testland, 2000–2002. Economic: 3 years with data (2000–2002); Russia 60.0 % in 2000 "
        "and 40.0 % in 2002, China 10.0 % and 30.0 %. Energy: one year, 2001: Russia 30.0 %, "
        "China 70.0 %. Military: no data. Opinion: no data."
    )


def test_balance_figure_element():
    f = figure_frame()
    refs = References()
    fig = R.balance_figure(f, "Testland", 2000, 2002, sources=PROVENANCE, refs=refs)
    assert isinstance(fig, report.Figure)
    assert fig.title == "Testland: Russia and China, sphere by sphere, 2000–2002"
    assert fig.subtitle == R.trend_sentence(f)
    assert fig.alt == R.balance_alt(f, "Testland", 2000, 2002)
    assert list(fig.data.columns) == ["Sphere", "Year", "Power", "Share (%)", "Measure"]
    assert len(fig.data) == len(R.plotted_rows(f))
    csv = report.read_csv_text(fig.csv())
    assert len(csv) == 8 and list(csv["Share (%)"])[:2] == [60.0, 10.0]
    assert [s.id for s in fig.sources] == ["src"]
    html = fig.html()
    assert "Fixture shares of Russia and China" in html and 'href="#ref-1"' in html
    assert "Download data (CSV)" in html
    assert reader_text_problems(html) == []
    empty = R.balance_figure(S.balance_frame([]), "Testland", 2000, 2002)
    assert isinstance(empty, report.Note) and "nothing to chart" in empty.text


# --- tables ------------------------------------------------------------------------------


def test_leader_and_means_tables(changing):
    _, lead, _ = changing
    table = R.leader_table(lead, "Testland", 5.0)
    rows = table.frame.set_index("sphere")
    assert list(table.frame.columns) == [
        "sphere",
        *[S.period_label(a, b) for a, b in S.periods(2000, 2009, 2)],
    ]
    assert rows.loc["Economic", "2000–2001"] == "Russia (1/2)"
    assert rows.loc["Economic", "2002–2003"] == "no data"
    assert rows.loc["Economic", "2008–2009"] == "close (1/2)"
    assert rows.loc["Military", "2008–2009"] == "Russia (1/2)"
    # 6 sphere-periods with data (4 economic, 2 military) of 20; Russia 3, China 2, close 1
    assert table.subtitle == (
        "6 of 20 sphere-periods have data: Russia leads in 3, China in 2, and 1 is close."
    )
    assert reader_text_problems(table.html()) == []
    means = R.means_table(lead, "Testland")
    assert len(means.frame) == 6
    # widest gap: military 2000–2001, 90 - 0 = 90 points
    assert means.subtitle == (
        "6 of 20 sphere-periods have data; the widest gap is Russia's lead in military in "
        "2000–2001 (90.0 percentage points)."
    )
    assert means.frame.iloc[0].to_dict()["years"] == "1 of 2"
    assert list(means.frame["leader"]) == ["Russia", "China", "China", "close", "Russia", "Russia"]
    _, lead0, _ = empty_case()
    assert isinstance(R.means_table(lead0, "Testland"), report.Note)


def test_changes_element_table_or_note(changing):
    _, lead, changes = changing
    table = R.changes_element(lead, changes, "Testland", 2000, 2009)
    assert isinstance(table, report.Table)
    assert table.subtitle == R.changes_sentence(lead, changes, 2000, 2009)
    assert table.frame.to_dict("records")[1] == {
        "sphere": "Economic",
        "from_period": "2006–2007",
        "from_leader": "China",
        "to_period": "2008–2009",
        "to_leader": "close",
        "gap_periods": 0,
    }
    steady = S.period_leaders(frame(military={2000: (90, 0)}), 2000, 2001, 1, 5.0)
    note = R.changes_element(steady, S.lead_changes(steady), "Testland", 2000, 2001)
    assert isinstance(note, report.Note) and note.text.startswith("No sphere changed leader")


def test_coverage_element_rows():
    f = frame(economic={2000: (1, 2), 2001: (1, 2), 2003: (1, 2)})
    table = R.coverage_element(f, "Testland", 2000, 2005)
    rows = table.frame.set_index("sphere")
    assert rows.loc["Economic", "coverage"] == "3 of 6"
    assert rows.loc["Economic", "years"] == "2000–2001, 2003"
    assert rows.loc["Economic", "missing"] == "2002, 2004–2005"
    assert rows.loc["Energy", "measures"] == f"no data: {S.NO_DATA_REASONS['energy']}"
    assert table.subtitle == R.coverage_sentence(f, "Testland", 2000, 2005)


def test_poll_measures_element_uses_the_wording_and_the_years_used():
    polls = pd.DataFrame(
        {
            "question_id": ["cab_covid_best_helper", "mv_confidence_putin"],
            "question_text": ["Which country helped most?", "Confidence in Putin"],
            "source": ["cab", "mvector"],
        }
    )
    rows = S._pair_rows(
        "opinion", 2020, 75.0, 7.5, measure=S.OPINION_PAIRS[0].measure, source="cab"
    )
    table = R.poll_measures_element(polls, S._frame(rows), "Testland")
    got = table.frame.to_dict("records")
    assert got[0]["russia"] == "Which country helped most? — Russia"
    assert got[0]["years"] == "2020"
    assert got[1]["russia"] == "Confidence in Putin — great deal or fair amount"
    assert got[1]["china"] == "mv confidence xi — great deal or fair amount"  # no wording
    assert got[2]["years"] == "not used"
    assert table.subtitle == (
        "In a year, the first measure with both shares in one survey is used; for Testland, "
        "1 of 3 measures gives the opinion sphere's data (2020)."
    )
    assert table.sources == ()  # no provenance on a hand-made frame: nothing cited
    unused = R.poll_measures_element(polls, frame(economic={2020: (1, 2)}), "Testland")
    assert unused.subtitle == "For Testland, no measure has both shares in one survey."
    assert set(unused.frame["years"]) == {"not used"}


def test_yearly_frame_and_element():
    f = figure_frame()
    shown = R.yearly_frame(f, {"src": "FSO"})
    assert len(shown) == 5  # 3 economic + 2 energy sphere-years
    energy = shown[shown["sphere"] == "Energy"].set_index("year")
    assert energy.loc[2001, "gap_pp"] == pytest.approx(-40.0)  # 30 - 70
    assert math.isnan(energy.loc[2002, "russia_pct"]) and math.isnan(energy.loc[2002, "gap_pp"])
    assert set(shown["source"]) == {"FSO"}
    assert set(R.yearly_frame(f)["source"]) == {"src"}  # without names: the id in words
    table = R.yearly_element(f, "Testland", sources=PROVENANCE, refs=References())
    assert table.subtitle == (
        "4 sphere-years have both shares; 1 more has a source row without a computable share."
    )
    assert table.has_missing and "no share computable" in repr(table)
    assert set(table.frame["source"]) == {"FSO"}
    assert reader_text_problems(table.html()) == []


# --- the data overview (kzanalysis.catalog) --------------------------------------------


def test_catalog_element_and_findings(tmp_path):
    import json

    from kzanalysis import catalog

    def src(sid: str, publisher: str) -> dict:
        return {
            "id": sid,
            "title": f"Title {sid}",
            "publisher": publisher,
            "path": "https://example.org",
            "edition": "2026",
            "terms": f"Terms of {publisher}.",
        }

    sipri = src("s1", "Stockholm International Peace Research Institute (SIPRI)")
    office = src("s2", "Fixture Office, statistics department")
    doc = {
        "resources": [
            {
                "name": "arms_deals",  # a real table name: domain from the specs
                "title": "Arms deals",
                "rows": 10,
                "temporal": {"start": 1990, "end": 2020},
                "sources": [sipri, office],
            },
            {"name": "fake_table", "title": "Fake table", "rows": 1234, "sources": [office]},
        ]
    }
    (tmp_path / "datapackage.json").write_text(json.dumps(doc), encoding="utf-8")
    refs = References()
    table = catalog.catalog_element(tmp_path, refs=refs)
    rows = table.frame.to_dict("records")
    assert [r["domain"] for r in rows] == ["Arms", "Other"]
    assert [r["publisher_names"] for r in rows] == ["SIPRI; Fixture Office", "Fixture Office"]
    assert [r["references"] for r in rows] == ["1–2", "2"]  # cited in catalog order
    assert [s.id for s in refs.sources] == ["s1", "s2"]
    assert table.subtitle == "2 tables, 1,244 rows, years 1990–2020."  # 10 + 1234
    assert table.has_missing and "the table has no year column" in repr(table)
    assert table.headers["rows"] == "Rows (number)"
    assert reader_text_problems(table.html()) == []
    box = catalog.catalog_findings(tmp_path, target=table)
    assert [t for t, _, _ in box.items] == [
        "The reports read 2 curated tables with 1,244 rows in all: 1 on arms and 1 on other.",
        "The tables come from 2 sources by 2 publishers; each source is listed once under "
        "References, with its edition, address and terms of use.",
        "Years with data run from 1990 (Arms deals) to 2020; 1 of the 2 tables reaches 2020.",
        "The largest table is Fake table (1,234 rows); the smallest is Arms deals (10 rows).",
    ]
    assert [a for _, a, _ in box.items] == [table.anchor, "references", table.anchor, table.anchor]
    assert catalog._number_ranges([5, 1, 2, 3, 9, 10]) == "1–3, 5, 9–10"
