"""Tests of kzanalysis.analysis.trade_report: the trade chapter's report elements.

Hand-made frames: Kazakhstan's IMF DOTS flows 2008–2020 with Russia, China, Belarus,
Kyrgyzstan and the world; Russia reports the mirror side; China does not report.
"""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest

from kzanalysis import plotting, report
from kzanalysis.analysis import trade as T
from kzanalysis.analysis import trade_report as TR
from kzanalysis.analysis.trade_params import TradeParams
from kzanalysis.report.text import reader_text_problems
from kzanalysis.stats import break_checks, fit_break_trend

YEARS = range(2008, 2021)
DOTS = {
    "id": "imf_dots",
    "publisher": "International Monetary Fund (IMF)",
    "title": "Direction of Trade Statistics (DOTS)",
    "edition": "IMF DOTS vintage of early 2022",
    "path": "https://data.imf.org/DOT",
    "terms": "IMF terms of use apply.",
}
WITS = {
    "id": "wits_hs4",
    "publisher": "World Bank WITS",
    "title": "Kazakhstan exports to / imports from China by HS 4-digit product",
    "edition": "WITS download",
    "terms": "WITS terms apply.",
}


def _wiggle(year: int) -> float:
    """A small deterministic disturbance, so that the trend models have residuals."""
    return 1 + 0.02 * ((year % 3) - 1)


def _rus(year: int) -> float:
    """Trade with Russia: +5 % a year, halved from 2015."""
    return 1.05 ** (year - 2008) * (0.5 if year >= 2015 else 1.0) * _wiggle(year)


def _chn(year: int) -> float:
    """Trade with China: +20 % a year, no break."""
    return 1.2 ** (year - 2008) * _wiggle(year + 1)


def _flows() -> pd.DataFrame:
    rows = []
    for y in YEARS:
        rows += [
            ("imf_dots", "KAZ", "WLD", "export", y, 1000.0),
            ("imf_dots", "KAZ", "WLD", "import", y, 1000.0),
            ("imf_dots", "KAZ", "RUS", "export", y, 100 * _rus(y)),
            ("imf_dots", "KAZ", "RUS", "import", y, 200 * _rus(y)),
            ("imf_dots", "KAZ", "CHN", "export", y, 40 * _chn(y)),
            ("imf_dots", "KAZ", "CHN", "import", y, 20 * _chn(y)),
            ("imf_dots", "KAZ", "BLR", "export", y, 2.0),
            ("imf_dots", "KAZ", "BLR", "import", y, 1.0),
            ("imf_dots", "KAZ", "KGZ", "export", y, 3.0 * _wiggle(y)),
            ("imf_dots", "KAZ", "KGZ", "import", y, 1.0),
            # Russia's mirror side: +10 % on Kazakhstan's exports, −5 % on its imports
            ("imf_dots", "RUS", "KAZ", "import", y, 110 * _rus(y)),
            ("imf_dots", "RUS", "KAZ", "export", y, 190 * _rus(y)),
        ]
    frame = pd.DataFrame(
        rows, columns=["source", "reporter_iso3", "partner_code", "flow", "year", "value_usd_mn"]
    )
    frame["estimate_flag"] = False
    frame.attrs["provenance"] = {"table": "trade_partner_flows", "sources": [DOTS]}
    return frame


def _products() -> pd.DataFrame:
    rows = [
        (2017, "1001", 10.0),
        (2017, "2709", 60.0),
        (2017, "2601", 20.0),
        (2017, "7403", 10.0),
        (2018, "1001", 15.0),
        (2018, "2709", 50.0),
        (2018, "7403", 35.0),
        (2020, "2709", 30.0),
    ]
    df = pd.DataFrame(rows, columns=["year", "product_code", "value_usd_mn"])
    df = df.assign(
        source="wits_hs4",
        reporter_iso3="KAZ",
        partner_iso3="CHN",
        flow="export",
        incomplete_year=df["year"].between(2020, 2022),
    )
    df.attrs["provenance"] = {"table": "trade_products_hs4", "sources": [WITS]}
    return df


@pytest.fixture(autouse=True)
def _fresh_references():
    report.references().clear()
    yield
    report.references().clear()


@pytest.fixture
def data() -> TR.TradeData:
    params = TradeParams(
        country="KAZ",
        start_year=2008,
        end_year=2020,
        partners=["RUS", "CHN", "EAEU"],
        breaks=[2015],
    )
    return TR.prepare(_flows(), _products(), params)


def _text_of(element) -> str:
    return element._repr_html_() + repr(element)


# --- words and numbers ---------------------------------------------------------------


def test_words_and_numbers():
    assert TR.pct(12.345) == "12.3 %"
    assert TR.pct(float("nan")) == "–"
    assert TR.signed_pct(12.3) == "+12.3 %"
    assert TR.signed_pct(-4) == "−4.0 %"
    assert TR.signed_pct(0) == "0.0 %"
    assert TR.usd_mn(8706.8) == "US$ 8,707 mn"
    assert TR.flow_with("exports", "China") == "exports to China"
    assert TR.flow_with("imports", "China") == "imports from China"
    assert TR.flow_with("turnover", "the EAEU") == "turnover with the EAEU"
    assert TR.possessive("EAEU") == "the EAEU's"
    assert TR.possessive("Russia") == "Russia's"
    assert TR.years_text([2024, 2015, 2016, 2017, 2023, 2019, 2018]) == "2015–2019, 2023, 2024"
    assert TR.and_list(["a", "b", "c"]) == "a, b and c"
    assert TR.and_list(["a", "b"], "or") == "a or b"
    assert TR.year_text(2010.0) == "2010" and TR.year_text(pd.NA) == "–"


# --- sources cited -------------------------------------------------------------------


def test_citation_names_only_the_sources_of_the_rows(data):
    assert data.citation() == {"sources": data.flows, "source_ids": ["imf_dots"]}
    bare = _flows()
    bare.attrs = {}
    assert TR.cite_rows(bare, bare) == {}
    assert TR.product_citation(data.products) == {
        "sources": data.products,
        "source_ids": ["wits_hs4"],
    }
    baci = data.products.copy()
    baci.attrs = {"product_source": "baci", "baci_path": "/x/baci.parquet"}
    (ref,) = TR.product_citation(baci)["sources"]
    assert (ref.id, ref.publisher) == ("cepii_baci", "CEPII")
    assert ref.edition == "large Parquet source configured for this build (baci.parquet)"
    baci.attrs["baci_path"] = "/data/baci/*.parquet"
    assert TR.baci_source(baci).edition.endswith("(baci)")


# --- 1. partners -----------------------------------------------------------------------


def test_shares_sentence_hand_computed():
    values = pd.DataFrame(
        {
            "year": [2010, 2020, 2010, 2020],
            "partner": ["RUS", "RUS", "CHN", "CHN"],
            "share_pct": [50.0, 20.0, 10.0, 30.0],
        }
    )
    assert TR.shares_sentence(values, ["RUS", "CHN"], "Kazakhstan's turnover") == (
        "Russia's share of Kazakhstan's turnover fell from 50.0 % in 2010 to 20.0 % in 2020, "
        "while China's rose from 10.0 % to 30.0 %."
    )
    assert TR.shares_sentence(values, ["TUR"], "x") is None


def test_partition_figure_plots_the_partition_rows(data):
    section = TR.partners_section(data)
    fig = section.partition_figure
    assert isinstance(fig, report.Figure)
    csv = report.read_csv_text(fig.csv())
    assert len(csv) == len(section.partition) == 13 * 4  # Russia, China, EAEU others, Other
    assert list(csv.columns) == ["Year", "Partner", "Turnover (US$ mn)", "Share of the total (%)"]
    assert csv["Turnover (US$ mn)"].tolist() == pytest.approx(
        section.partition["value_usd_mn"].tolist()
    )
    rus08, rus20 = 300 * _rus(2008) / 20, 300 * _rus(2020) / 20  # share of 2000 in %
    assert fig.subtitle == (
        f"Russia's share of the total fell from {rus08:.1f} % in 2008 to {rus20:.1f} % in 2020, "
        f"while China's rose from {60 * _chn(2008) / 20:.1f} % to {60 * _chn(2020) / 20:.1f} %."
    )
    assert "The total was US$ 2,000 mn in 2008 and US$ 2,000 mn in 2020" in fig.alt
    assert "EAEU (other members)" in fig.alt
    assert [s.id for s in fig.sources] == ["imf_dots"]


def test_shares_table_and_figure(data):
    section = TR.partners_section(data)
    table = section.table
    assert isinstance(table, report.Table)
    assert list(table.frame["year"]) == [2010, 2015, 2020]
    assert table.headers["Russia"] == "Russia (%)"
    # the EAEU has no members before 2015: its share is missing, and the note says why
    assert table.has_missing and "EAEU did not exist yet" in table.missing_note
    shares = section.shares_figure
    csv = report.read_csv_text(shares.csv())
    assert len(csv) == 13 * 2 + 6  # Russia and China every year, the EAEU from 2015
    assert shares.subtitle.startswith("Russia's share of Kazakhstan's turnover fell")
    assert section.finding == shares.subtitle


# --- 2. Russia and China -------------------------------------------------------------


def test_crossover_sentences_and_summary():
    cross = pd.DataFrame(
        {
            "flow": ["exports", "imports", "turnover"],
            "first_year_ahead": pd.array([2007, None, 2010], dtype="Int64"),
            "lasting_lead_from": pd.array([2007, None, None], dtype="Int64"),
            "last_year": pd.array([2024, 2024, 2024], dtype="Int64"),
            "ratio_last_year": [1.5, 0.8, 0.9],
            "years_with_data": [30, 30, 30],
        }
    )
    rows = cross.to_dict("records")
    assert TR.crossover_sentence(rows[0], "Kazakhstan", 1995, 2024) == (
        "Kazakhstan's exports to China first exceeded its exports to Russia in 2007 and has "
        "stayed ahead since 2007 (China / Russia 1.50 in 2024)."
    )
    assert TR.crossover_sentence(rows[1], "Kazakhstan", 1995, 2024) == (
        "Kazakhstan's imports from China never exceeded its imports from Russia in 1995–2024 "
        "(China / Russia 0.80 in 2024)."
    )
    assert "but was behind again" in TR.crossover_sentence(rows[2], "Kazakhstan", 1995, 2024)
    assert TR.crossover_summary(cross) == (
        "China has led Russia in exports since 2007; it led but fell behind again in turnover "
        "(first in 2010); it has never led in imports."
    )


def test_rivals_section(data):
    section = TR.rivals_section(data)
    cross = section.crossover.set_index("flow")
    # turnover: China 60·1.2^t against Russia 300·1.05^t (halved from 2015)
    first = next(y for y in YEARS if 60 * _chn(y) > 300 * _rus(y))
    assert cross.loc["turnover", "first_year_ahead"] == first
    assert section.figure.subtitle == section.finding
    assert f"first exceeded its turnover with Russia in {first}" in section.finding
    csv = report.read_csv_text(section.figure.csv())
    assert list(csv.columns) == [
        "Year",
        "China, turnover (US$ mn)",
        "Russia, turnover (US$ mn)",
        "China / Russia (ratio)",
    ]
    assert len(csv) == 13
    assert csv["China / Russia (ratio)"].iloc[-1] == pytest.approx(
        60 * _chn(2020) / (300 * _rus(2020))
    )
    balance = section.balance_table
    last = -100 * _rus(2020) + 20 * _chn(2020)  # Russia: 100 − 200; China: 40 − 20
    assert balance.subtitle == (
        f"In 2020 Kazakhstan had a deficit of {TR.usd_mn(100 * _rus(2020))} with Russia and a "
        f"surplus of {TR.usd_mn(20 * _chn(2020))} with China."
    )
    assert last  # both balances are non-zero
    assert list(balance.frame["year"].unique()) == [2010, 2015, 2020]


def test_a_recording_break_that_decides_the_crossover_is_named(data):
    # Kazakhstan records a tenth of its trade with Russia in 2012 (Russia's mirror figures
    # stay): China "passes" Russia that year on Kazakhstan's figures only
    flows = _flows()
    own = (flows["reporter_iso3"] == "KAZ") & (flows["partner_code"] == "RUS")
    flows.loc[own & (flows["year"] == 2012), "value_usd_mn"] *= 0.1
    broken = TR.prepare(flows, _products(), data.params)
    section = TR.rivals_section(broken)
    first = next(y for y in YEARS if 60 * _chn(y) > 300 * _rus(y))
    assert first > 2012
    assert section.crossover.set_index("flow").loc["turnover", "first_year_ahead"] == 2012
    assert section.finding.endswith(
        f"This rests on flagged years (2012): with the partners' own figures for those years, "
        f"China first exceeded Russia in {first}."
    )
    assert "Shaded: flagged years (2012, 2013)" in section.figure.note  # 2013: the jump back
    assert "Kazakhstan's exports to Russia in 2012 differ from Russia's figure" in (
        section.figure.note
    )
    table = section.flags_table
    flagged = table.frame[table.frame["year"] == 2012]
    assert "recording break" in set(flagged["label"])
    assert set(flagged["partner"]) == {"Russia"}
    assert not reader_text_problems(table.html())
    # every chart of those series shades the flagged years: shares, and the trend of Russia
    partners = TR.partners_section(broken)
    assert "flagged (2012, 2013), see the flagged-years table" in partners.shares_figure.note
    assert "Hatched: years in which the figures for China or Russia are flagged (2012, 2013)" in (
        partners.partition_figure.note
    )
    shocks = TR.shocks_section(broken)
    notes = {f.anchor: f.note for f in shocks.figures}
    assert "flagged (2012, 2013)" in notes["fig-trade-breaks-rus"]
    assert notes["fig-trade-breaks-eaeu"] == ""  # a group: its members are not flagged here
    # the unbroken data: nothing flagged, the crossover sentence alone
    clean = TR.rivals_section(data)
    assert "flagged" not in clean.finding
    assert isinstance(clean.flags_table, report.Note)


def test_mirror_mode_puts_the_partners_figures_in_flagged_years(data):
    flows = _flows()
    own = (flows["reporter_iso3"] == "KAZ") & (flows["partner_code"] == "RUS")
    flows.loc[own & (flows["year"] == 2012), "value_usd_mn"] *= 0.1
    params = data.params.model_copy(update={"source_preference": "imf_first_mirror"})
    mirrored = TR.prepare(flows, _products(), params)
    rows = mirrored.selected
    hit = (rows["partner_code"] == "RUS") & (rows["year"] == 2012)
    exports = rows[hit & (rows["flow"] == "export")]["value_usd_mn"].iloc[0]
    assert exports == pytest.approx(110 * _rus(2012))  # Russia's own figure, not 10 · r
    assert rows.loc[hit, "mirrored"].all()
    replaced = rows[rows["mirrored"]]
    assert set(replaced["partner_code"]) == {"RUS"}  # China does not report: no mirror
    assert set(replaced["year"]) == set(mirrored.mirrored["year"]) >= {2012}
    note = TR.scope_note(mirrored).text
    assert "The partner's mirror figure replaced" in note and "2012" in note
    section = TR.rivals_section(mirrored)
    first = next(y for y in YEARS if 60 * _chn(y) > 300 * _rus(y))
    assert section.crossover.set_index("flow").loc["turnover", "first_year_ahead"] == first
    assert section.finding.endswith(
        "This uses the partners' own figures for the flagged years (2012); on Kazakhstan's "
        "figures alone, China first exceeded Russia in 2012."
    )


# --- 3. shocks -----------------------------------------------------------------------


def test_fit_sentence_and_figure_hand_computed(data):
    years = list(range(2000, 2021))
    values = [math.exp(1 + 0.1 * (y - 2000) - 0.5 * (y >= 2015)) for y in years]
    fit = fit_break_trend(years, values, [2015], log=True, label="Turnover with Russia")
    gap = 100 * (1 - math.exp(-0.5))  # 39.3 % below the trend without the break
    assert TR.fit_sentence(fit, "turnover with Russia") == (
        f"In 2019 turnover with Russia was {gap:.0f} % below the pre-2015 trend extended forward "
        "(the trend is extended no further than 5 years)."
    )  # 2015…2019: five years; the fit is exact, so it does not miss 2014
    figure = TR.fit_figure(fit, "RUS", data)
    csv = report.read_csv_text(figure.csv())
    assert len(csv) == 21
    assert csv["Observed (US$ mn)"].tolist() == pytest.approx(values)
    extended = csv["Pre-break trend extended (US$ mn)"]
    assert extended.notna().tolist() == [y <= 2019 for y in years]  # not drawn past 2019
    assert figure.title == "Kazakhstan: turnover with Russia, trend with breaks"
    assert "breaks: 2015" in figure.alt
    assert plotting.colour("RUS").lower() in figure.svg.lower()  # drawn in Russia's colour


def test_a_trend_that_misses_the_year_before_gives_the_observed_change(data):
    # steady +10 %/yr, the year before the break twice the trend, −0.5 log points from 2015
    years = list(range(2000, 2021))
    values = [math.exp(1 + 0.1 * (y - 2000) - 0.5 * (y >= 2015)) for y in years]
    values[years.index(2014)] *= 2
    fit = fit_break_trend(years, values, [2015], log=True, label="Turnover with China")
    (check,) = break_checks(fit).itertuples()
    assert check.fit_misses
    sentence = TR.fit_sentence(fit, "turnover with China")
    assert sentence.endswith(
        f"but that trend already misses 2014 by {TR.signed_pct(check.pre_fit_miss_pct, 0)}, so "
        "the comparison says little."
    )
    effects = pd.DataFrame(
        {
            "partner": ["China"],
            "term": ["Level shift in 2015"],
            "effect_pct": [-50.0],
            "significant": [True],
        }
    )
    finding = TR.shock_finding(effects, {"CHN": fit}, "turnover")
    observed = 100 * (values[years.index(2015)] / values[years.index(2014)] - 1)
    assert finding == (
        f"From 2014 to 2015 turnover changed by {TR.signed_pct(observed)} with China (observed; "
        "the pre-break trend does not fit the years just before, so no model shift is read)."
    )
    table = TR.checks_table({"CHN": fit}, data)
    assert table.frame["observed_change_pct"].tolist() == pytest.approx([observed])
    assert "more than 25 % for China in 2015" in table.subtitle


def test_shocks_section(data):
    section = TR.shocks_section(data)
    assert set(section.fits) == {"RUS", "CHN", "EAEU"}
    effects = TR.effects_frame(section.fits).set_index(["partner", "term"])
    shift = effects.loc[("Russia", "Level shift in 2015"), "effect_pct"]
    assert shift == pytest.approx(-50, abs=3)  # halved in 2015
    assert bool(effects.loc[("Russia", "Level shift in 2015"), "significant"])
    assert ("Russia", "Growth a year, 2008–2014") in effects.index
    assert section.finding.startswith("In 2015 the fitted level of turnover shifted by −")
    assert "with Russia" in section.finding and "with the EAEU" in section.finding
    assert len(section.figures) == 3
    assert section.tests_table is not None and len(section.tests_table.frame) == 3


def test_term_words():
    years = list(range(2000, 2021))
    fit = fit_break_trend(years, [math.exp(0.1 * i) for i in range(21)], [2015], log=True)
    assert TR.term_words("trend", fit) == "Growth a year, 2000–2014"
    assert TR.term_words("level_2015", fit) == "Level shift in 2015"
    assert TR.term_words("slope_2015", fit) == "Change of growth a year from 2015"


# --- 4. EAEU launch ------------------------------------------------------------------


def test_launch_sentence_and_frame():
    launch = pd.DataFrame(
        {
            "partner": ["RUS", "RUS", "EAEU", "EAEU", "WLD", "WLD"],
            "year": [2014, 2016] * 3,
            "value_usd_mn": [100.0, 80.0, 110.0, 88.0, 400.0, 200.0],
            "share_pct": [25.0, 40.0, 27.5, 44.0, 100.0, 100.0],
            "change_vs_base_pct": [0.0, -20.0, 0.0, -20.0, 0.0, -50.0],
        }
    )
    assert TR.launch_sentence(launch, "Kazakhstan", "turnover") == (
        "From 2014 to 2016 Kazakhstan's turnover with the other EAEU members changed by "
        "−20.0 % and its total turnover by −50.0 %; the members' share of the total went from "
        "27.5 % to 44.0 %."
    )
    wide = TR.launch_frame(launch)
    assert list(wide["Partner"]) == ["Russia", "EAEU members together", "World (total)"]
    assert list(wide.columns) == [
        "Partner",
        "2014 (US$ mn)",
        "2016 (US$ mn)",
        "2016 against 2014 (%)",
    ]


def test_launch_section(data):
    section = TR.launch_section(data)
    table = section.table
    assert isinstance(table, report.Table)
    frame = table.frame.set_index("Partner")
    # members as of 2015 without Kazakhstan: Russia, Belarus, Kyrgyzstan (Armenia: no rows)
    members = 300 * _rus(2014) + 3.0 + 3.0 * _wiggle(2014) + 1.0
    assert frame.loc["EAEU members together", "2014 (US$ mn)"] == pytest.approx(members)
    assert "Armenia" in frame.index and table.has_missing
    assert section.finding == table.subtitle


# --- 5. products ---------------------------------------------------------------------


def test_products_section(data):
    section = TR.products_section(data)
    assert section.available
    # complete years 2017 and 2018: energy 60 % and 50 %, metals and ores 30 % and 35 %
    assert section.finding == (
        "In the complete product years (2017, 2018), energy made up 50.0–60.0 % of "
        "Kazakhstan's exports to China, metals and ores 30.0–35.0 % and cereals 10.0–15.0 %."
    )
    assert section.groups_table.subtitle == (
        "In 2018, the last complete product year, energy made up 50.0 %, metals and ores 35.0 % "
        "and cereals 15.0 % of the sum of lines."
    )
    assert list(section.groups_table.frame["complete"]) == [True, True, False]
    groups = section.groups_figure
    assert len(report.read_csv_text(groups.csv())) == 3 * 3  # 3 groups × 3 years
    assert "incomplete years 2020 shaded" in groups.alt
    top = section.top_exports
    assert list(top.frame["product_code"]) == ["2709", "7403", "1001", "2601"]  # 110, 45, 25, 20
    assert top.subtitle == (
        "The ten lines make up 100.0 % of all lines; HS 2709 (mineral fuels, oils) leads with "
        "55.0 %."
    )
    # no import rows: the ranking becomes a note that says so
    assert isinstance(section.top_imports, report.Note)
    assert section.wheat_note.text == (
        "Wheat (HS 1001) exports to China: US$ 10.0 mn in 2017, US$ 15.0 mn in 2018 (+50 %, ×1.50)."
    )


def test_products_section_without_product_rows():
    params = TradeParams(country="UZB", start_year=2008, end_year=2020, breaks=[2015])
    section = TR.products_section(TR.prepare(_flows(), _products(), params))
    assert not section.available and section.finding is None
    assert [type(e) for e in section.elements] == [report.Note]


def test_wheat_sentence_missing_year():
    growth = T.product_growth(_products(), "1001", 2018, 2020)
    assert TR.wheat_sentence(growth).startswith("Wheat (HS 1001) growth 2018→2020 cannot be")


# --- 6. sources ----------------------------------------------------------------------


def test_mirror_sentence():
    row = {"partner": "CHN", "direction": "imports", "median_gap_pct": 116.1,
           "max_abs_gap_pct": 505.9, "years": "1995–2020"}  # fmt: skip
    assert TR.mirror_sentence(row, "Kazakhstan") == (
        "China's recorded exports to Kazakhstan exceed Kazakhstan's recorded imports from "
        "China by a median 116.1 % (1995–2020; largest gap in one year 506 %)."
    )
    row = {**row, "partner": "RUS", "direction": "exports", "median_gap_pct": -0.7}
    assert TR.mirror_sentence(row, "Kazakhstan").startswith(
        "Russia's recorded imports from Kazakhstan fall short of Kazakhstan's recorded exports"
    )


def test_sources_section(data):
    section = TR.sources_section(data)
    assert isinstance(section.comparison_table, report.Note)  # one source only
    assert section.spread_table is None
    assert section.finding == (
        "Russia's recorded imports from Kazakhstan exceed Kazakhstan's recorded exports to "
        "Russia by a median 10.0 % (2008–2020; largest gap in one year 10 %)."
    )
    (figure,) = section.mirror_figures  # China does not report: no mirror figure
    assert len(report.read_csv_text(figure.csv())) == 2 * 13
    assert any("China" in n for n in section.mirror_table.notes)
    assert section.mirror_table.subtitle == (
        "Median gaps range from −5.0 % to +10.0 % of Kazakhstan's own figures."
    )
    assert "IMF DOTS carries most years (13 of 13)" in section.choice_note.text


# --- key findings --------------------------------------------------------------------


def _sections(data):
    return (
        TR.partners_section(data),
        TR.rivals_section(data),
        TR.shocks_section(data),
        TR.launch_section(data),
        TR.products_section(data),
        TR.sources_section(data),
    )


def test_findings_link_to_their_elements(data):
    sections = _sections(data)
    findings = TR.findings(*sections)
    assert len(findings.items) == 6
    anchors = [anchor for _, anchor, _ in findings.items]
    assert anchors == [
        "fig-trade-shares",
        "fig-trade-china-russia",
        "tbl-trade-break-effects",
        "tbl-trade-eaeu-launch",
        "fig-trade-product-groups",
        "tbl-trade-mirror",
    ]
    html = findings._repr_html_() + TR.scope_note(data)._repr_html_()
    for section in sections:
        html += "".join(e._repr_html_() for e in section.elements)
    assert reader_text_problems(html) == []


def test_findings_with_little_data_say_so():
    flows = _flows()
    params = TradeParams(country="UZB", start_year=2008, end_year=2020, breaks=[2015])
    data = TR.prepare(flows, _products(), params)  # no Uzbek rows at all
    findings = TR.findings(*_sections(data))
    texts = [t for t, _, _ in findings.items]
    assert len(texts) == 5
    assert texts[0] == "No source gives Uzbekistan's partners in 2008–2020."
    assert "could not be estimated" in texts[2]
    assert "cannot be compared" in texts[3]
    assert all(anchor is None for _, anchor, _ in findings.items)
    assert "No source covers Uzbekistan" in TR.scope_note(data).text


def test_every_actor_drawn_has_its_registry_colour(data):
    section = TR.partners_section(data)
    svg = section.partition_figure.svg.lower()
    for code in ("RUS", "CHN", "EAEU", "Other"):
        assert plotting.colour(code).lower() in svg
