"""Tests of kzanalysis.analysis.energy_report: the energy chapter's report elements.

Hand-made frames (the helpers of ``test_analysis_energy``); every sentence and number
expected is computed by hand in the comment next to it. Figures carry exactly the plotted
rows (their CSV parses back with the same number of rows), and no element shows code noise.
"""

from __future__ import annotations

import itertools

import matplotlib
import pandas as pd
import pytest

from kzanalysis import plotting, report
from kzanalysis.analysis import energy as E
from kzanalysis.analysis import energy_report as ER
from kzanalysis.analysis.energy_params import EnergyParams
from kzanalysis.specs.energy import EDITIONS
from tests.unit.test_analysis_energy import (
    _balance_series,
    _crude,
    _gas_flows,
    _products,
    _reserves,
    _series,
)

matplotlib.use("Agg")

EDITION_IDS = [src.id for src in EDITIONS.values()]


@pytest.fixture(autouse=True)
def _fresh_references():
    """Elements cite into the kernel's collector when shown: start each test empty."""
    report.references().clear()
    yield
    report.references().clear()


def _cited(frame: pd.DataFrame, *ids: str) -> pd.DataFrame:
    """``frame`` with a provenance naming ``ids`` (default: every bundled edition)."""
    frame.attrs["provenance"] = {
        "sources": [
            {"id": i, "publisher": "Energy Institute", "title": f"Test source number {k}",
             "edition": f"test edition {k}", "terms": "Test terms."}
            for k, i in enumerate(ids or EDITION_IDS)
        ]
    }  # fmt: skip
    return frame


def _brent() -> pd.DataFrame:
    return _cited(
        pd.DataFrame(
            {
                "year": [2015, 2016, 2017],
                "brent_usd_per_bbl": [50.0, 40.0, 55.0],
                "partial_year": [False, False, False],
            }
        ),
        "brent_test",
    )


def _clean(*elements: object) -> None:
    """Every element renders (HTML and text) without code noise."""
    for element in elements:
        html = element._repr_html_()
        assert report.reader_text_problems(html) == [], (type(element).__name__, html[:300])
        assert report.reader_text_problems(repr(element)) == []


def _csv_rows(figure: report.Figure) -> pd.DataFrame:
    return report.read_csv_text(figure.csv())


# --------------------------------------------------------------------------------------
# Parameters and sentences of section 1
# --------------------------------------------------------------------------------------


def test_parameters_note_states_the_parameters_in_words():
    note = ER.parameters_note(EnergyParams(country="TKM", edition="2024", end_year=2023))
    assert repr(note) == (
        "This report. Turkmenistan · 2000–2023 · Statistical Review of World Energy, 2024 "
        "edition (data to 2023) · production and consumption compared in exajoules (EJ)."
    )


def _balance(unit: str = "ej") -> pd.DataFrame:
    return E.fuel_balance(_balance_series(), "2026", ["KAZ", "TKM"], unit, 2000, 2025)


def test_surplus_sentences_hand_values():
    bal = _balance()
    # KAZ oil: 100 Mt × 0.041868 = 4.1868 EJ − 0.8 = 3.3868 EJ, 3.3868 / 4.1868 = 80.9 %;
    # gas: 1.08 − 0.72 = 0.36 EJ = 33.3 %; coal: 2 − 1 = 1 EJ = 50 %
    assert ER.surplus_sentence(bal, "KAZ", "ej") == (
        "Kazakhstan: oil surplus of 3.39 EJ (81 % of production available for export) in "
        "2020; gas surplus of 0.36 EJ (33 % of production available for export) in 2020; "
        "coal surplus of 1.00 EJ (50 % of production available for export) in 2020."
    )
    # TKM oil: 0.41868 − 0.3 = 0.11868 EJ (28.3 %); gas 2.88 − 1.44 = 1.44 EJ (50 %); no coal
    assert ER.surplus_sentence(bal, "TKM", "ej").startswith(
        "Turkmenistan: oil surplus of 0.12 EJ (28 % of production available for export)"
    )
    deficit = bal.copy()
    deficit.loc[(deficit["entity_code"] == "TKM") & (deficit["fuel"] == "gas"), "surplus_ej"] = -2
    assert "gas deficit of 2.00 EJ (covered by imports) in 2020" in ER.surplus_sentence(
        deficit, "TKM", "ej"
    )
    assert ER.surplus_sentence(bal, "UZB", "ej") == (
        "Uzbekistan: no year with both production and consumption in EJ."
    )


def test_fuel_balance_subtitle_and_finding():
    bal = _balance()
    # 4.1868 / 0.8 = 523.35 %; 30 / 20 bcm = 150 %; 2 / 1 = 200 %
    assert ER.fuel_balance_subtitle(bal, "KAZ", "ej") == (
        "In 2020 Kazakhstan produced 523 % of the oil it consumed, 150 % of the gas and "
        "200 % of the coal."
    )
    # the largest surplus of the three: oil 3.3868 EJ, 80.9 % of production
    assert ER.surplus_finding(bal, "KAZ", "ej") == (
        "Kazakhstan's largest energy export surplus in 2020 was oil: 3.39 EJ per year, 81 % "
        "of its production (production minus consumption)."
    )
    # kb/d is already a rate, with no decimals: 2000 − 400 = 1600 kb/d
    kbd = _balance("kbd")
    assert "oil: 1,600 kb/d, 80 % of its production" in ER.surplus_finding(kbd, "KAZ", "kbd")
    # nothing published for the country: a sentence, no error
    assert ER.surplus_finding(bal, "UZB", "ej").startswith(
        "The Statistical Review publishes no production and consumption of Uzbekistan in EJ"
    )
    short = bal.copy()
    short[["surplus_ej"]] = -1.0
    assert ER.surplus_finding(short, "KAZ", "ej") == (
        "Kazakhstan consumed more oil, gas and coal than it produced in 2020."
    )


def test_conversion_sentences_name_the_factor_in_words():
    assert ER.conversion_sentences(_balance()) == [
        "Oil production is converted from Mt with the Review's approximate factor 0.041868 "
        "EJ per Mt."
    ]


def test_fuel_balance_figure_carries_the_plotted_rows():
    bal = _balance()
    series = _cited(_balance_series(), "ei_sr_2026_json")
    fig = ER.fuel_balance_figure(bal, "KAZ", "ej", sources=series, source_ids=["ei_sr_2026_json"])
    rows = _csv_rows(fig)
    assert len(rows) == len(bal) == 6  # 2 countries × 3 fuels × 1 year
    assert list(rows.columns) == [
        "Country", "Fuel", "Year", "Production (EJ per year)", "Consumption (EJ per year)",
    ]  # fmt: skip
    kaz_oil = rows[(rows["Country"] == "Kazakhstan") & (rows["Fuel"] == "oil")].iloc[0]
    assert kaz_oil["Production (EJ per year)"] == pytest.approx(4.1868)
    assert fig.subtitle == ER.fuel_balance_subtitle(bal, "KAZ", "ej")
    assert fig.subtitle in fig.alt and "for Kazakhstan and Turkmenistan" in fig.alt
    assert (
        "<svg" in fig.svg and fig.title == "Production and consumption of oil, gas and coal, 2020"
    )
    _clean(fig)


def test_balance_section_elements_and_little_data():
    series = _cited(_balance_series())
    section = ER.balance_section(series, "KAZ", "2026", "ej", 2000, 2025)
    kinds = [type(e).__name__ for e in section.elements]
    # gap note (no TKM coal is asked for here, but Russia and China have no rows at all)
    assert kinds == ["Note", "Table", "Figure", "Note"]
    (text, element), = section.findings  # fmt: skip
    assert text.startswith("Kazakhstan's largest energy export surplus in 2020 was oil")
    assert element is section.elements[1]
    table = section.elements[1]
    # self-sufficiency 523.35 % for Kazakh oil; countries named, not coded
    csv = report.read_csv_text(table.csv())
    assert csv.loc[0, "Country"] == "Kazakhstan"
    assert csv.loc[0, "Self-sufficiency (%)"] == pytest.approx(523.35)
    _clean(*section.elements)
    # a unit with no series at all: a note and a finding sentence, no error
    empty = ER.balance_section(series, "UZB", "2026", "bcm", 2021, 2025)
    assert [type(e).__name__ for e in empty.elements][-1] == "Note"
    assert empty.findings and empty.findings[0][0].startswith("No fuel has a bcm series")


# --------------------------------------------------------------------------------------
# 2. Reserves
# --------------------------------------------------------------------------------------


def test_reserves_section_ranks_and_sentence():
    series = _cited(_reserves())
    section = ER.reserves_section(series, "KAZ", "2026")
    reserves, ranks, note = section.elements
    csv = report.read_csv_text(ranks.csv())
    # oil reserves: 4th of 7 countries, 2nd of 4 CIS members with data; gas reserves are
    # kept for focus countries only, so no rank (missing, explained)
    assert csv["World rank"].fillna("–").tolist() == ["4 of 7", "–"]
    assert csv["Rank in the CIS"].fillna("–").tolist() == ["2 of 4", "–"]
    assert csv["Value"].tolist() == ["30.0 bn barrels", "2.30 tcm"]
    assert ranks.has_missing and "focus countries" in repr(ranks)
    assert "Oil production: no kb/d series for Kazakhstan in this edition." in repr(ranks)
    assert repr(note).startswith(
        "Kazakhstan reports 30.0 bn barrels of proved oil reserves at end-2020; it ranks 4 of "
        "7 countries in the world and 2 of 4 CIS members with data. The thesis says"
    )
    assert repr(note).endswith("Moldova, Tajikistan and Uzbekistan.")
    assert section.findings[0][0] == (
        "Kazakhstan holds 30.0 bn barrels of proved oil reserves (end-2020): rank 4 of 7 "
        "countries in the world, 2 of 4 CIS members with data."
    )
    assert report.read_csv_text(reserves.csv())["Country"].tolist()[:2] == [
        "Kazakhstan",
        "Russia",
    ]
    _clean(*section.elements)


# --------------------------------------------------------------------------------------
# 3. Pipeline gas
# --------------------------------------------------------------------------------------

PAIRS = [("KAZ", "RUS"), ("RUS", "CHN"), ("KAZ", "CHN")]


def test_pipeline_subtitle_largest_flow_and_change():
    pairs = E.pipeline_pairs(_gas_flows(), PAIRS)
    # 2025: Russia → China 38 bcm, the largest; from 10 bcm in 2022 (the only pair known in
    # both 2022 and 2025)
    assert ER.pipeline_subtitle(pairs) == (
        "The largest flow in 2025 was Russia → China, 38.0 bcm, up from 10.0 bcm in 2022: "
        "the largest change of any pair shown."
    )
    two = pairs[pairs["year"] >= 2023]
    # 2023 → 2025: Russia → China +19, Kazakhstan → China −1
    assert ER.pipeline_subtitle(two).endswith("up from 19.0 bcm in 2023: the largest change "
                                              "of any pair shown.")  # fmt: skip
    kaz = pairs[pairs["exporter_code"] == "KAZ"]
    # Kazakhstan → Russia is known in 2023 only; Kazakhstan → China 5 → 4 bcm
    assert ER.pipeline_subtitle(kaz) == (
        "The largest flow in 2025 was Kazakhstan → China, 4.0 bcm, down from 5.0 bcm in "
        "2023: the largest change of any pair shown."
    )
    hand = pd.DataFrame(
        {
            "year": [2020, 2025, 2020, 2025],
            "pair": ["Turkmenistan → China", "Turkmenistan → China", "Russia → China",
                     "Russia → China"],
            "flow_bcm": [10.0, 12.0, 1.0, 8.0],
        }
    )  # fmt: skip
    # largest in 2025: Turkmenistan → China 12; largest change: Russia → China +7 (vs +2)
    assert ER.pipeline_subtitle(hand) == (
        "The largest flow in 2025 was Turkmenistan → China, 12.0 bcm; the largest change "
        "since 2020 was Russia → China, 1.0 → 8.0 bcm."
    )


def test_china_shares_sentence_rise_and_fall():
    imports = E.china_pipeline_imports(_gas_flows())
    # 2022: Russia 10/10 = 100 %; 2025: 38/42 = 90.48 % (Kazakhstan has no 2022 cell)
    assert ER.china_shares_sentence(imports) == (
        "Russia's share fell from 100.0 % in 2022 to 90.5 % in 2025."
    )
    # 2023: Russia 19/24 = 79.17 %, Kazakhstan 5/24 = 20.83 %; 2025: 90.48 % and 9.52 %
    assert ER.china_shares_sentence(imports[imports["year"] >= 2023]) == (
        "Russia's share rose from 79.2 % in 2023 to 90.5 % in 2025; Kazakhstan's fell from "
        "20.8 % to 9.5 %."
    )


def test_contract_figure_rows_and_subtitle():
    progress = E.contract_progress(E.pipeline_pairs(_gas_flows(), PAIRS))
    flows = _cited(_gas_flows(), "bp_sr_2021", "ei_sr_2023", "ei_sr_2024", "ei_sr_2026_json")
    fig = ER.contract_figure(progress, sources=flows)
    # 10 → 38 bcm; 38 / 38 = 100 %
    assert fig.subtitle == (
        "Russian pipeline gas to China rose from 10.0 bcm in 2022 to 38.0 bcm in 2025, 100 % "
        "of the 38 bcm a year contract plateau."
    )
    rows = _csv_rows(fig)
    assert rows["Flow (bcm per year)"].tolist() == [10.0, 19.0, 38.0]
    assert rows["Share of the contract volume (%)"].tolist() == pytest.approx([26.3158, 50, 100],
                                                                              rel=1e-4)  # fmt: skip
    # only the editions of the matrices shown are cited
    assert [s.id for s in fig.sources] == ["ei_sr_2023", "ei_sr_2024", "ei_sr_2026_json"]
    _clean(fig)


def test_pipeline_section_findings_for_a_country_and_for_russia():
    flows = _cited(_gas_flows())
    section = ER.pipeline_section(flows, "KAZ")
    texts = [t for t, _ in section.findings]
    # Kazakhstan → China: 5 bcm (2023) → 4 bcm (2025) = 4/42 = 9.5 % of China's imports
    assert texts[0] == (
        "Kazakhstan sent 4.0 bcm of pipeline gas to China in 2025, down from 5.0 bcm in 2023; "
        "that is 9.5 % of China's pipeline gas imports."
    )
    assert texts[1] == (
        "Russia's pipeline gas to China reached 38.0 bcm in 2025, 100 % of the 38 bcm a year "
        "Power of Siberia contract; Russia's share of China's pipeline gas imports went from "
        "100.0 % in 2022 to 90.5 %."
    )
    heatmap = section.elements[0]
    assert section.findings[0][1] is heatmap
    # the heat map carries every cell: 9 default pairs × 3 matrix years
    assert len(_csv_rows(heatmap)) == 27
    assert "grey cells are pairs missing" in heatmap.alt
    _clean(*section.elements)
    # Uzbekistan sends nothing in these matrices: said in a sentence
    uzb = ER.pipeline_section(flows, "UZB")
    assert uzb.findings[0][0] == (
        "Uzbekistan sent no pipeline gas to China in the bundled matrices (2022–2025)."
    )


# --------------------------------------------------------------------------------------
# 4. Crude
# --------------------------------------------------------------------------------------


def test_crude_subtitle_and_figure_rows():
    dest = E.crude_destinations(_crude(), "CIS_OTHER")
    evc = E.europe_vs_china(dest)
    # 2023: 70/100 = 70 %, 7/100 = 7 %; 2025: 40/50 = 80 %, 10/50 = 20 %
    subtitle = ER.crude_subtitle(evc, "Other CIS")
    assert subtitle == (
        "Europe took 80 % of the crude exports of Other CIS in 2025 (70 % in 2023) and China "
        "20 % (7 % in 2023)."
    )
    fig = ER.crude_regions_figure(E.crude_by_region(dest), "Other CIS", subtitle)
    rows = _csv_rows(fig)
    # regions with a flow: Europe, China, Other Asia Pacific (India 3), Russia & other CIS
    # (0.5) × 2 years; Americas and Middle East & Africa have none and are not drawn
    assert len(rows) == 8
    assert set(rows["Destination"]) == {"Europe", "China", "Other Asia Pacific",
                                         "Russia & other CIS"}  # fmt: skip
    assert rows.groupby("Year")["Crude oil (Mt per year)"].sum().tolist() == [80.5, 50.0]
    _clean(fig)


def test_crude_section_finding_and_importer_case():
    crude = _cited(_crude(), "ei_sr_2024", "ei_sr_2026_json")
    section = ER.crude_section(crude, "KAZ")
    # 2025: Europe 40 / China 10 = 4 times
    assert section.findings[0][0] == (
        "Europe took 80 % of the crude oil exports of the Other CIS area in 2025 and China "
        "20 %: Europe received 4 times as much as China."
    )
    assert repr(section.elements[0]).startswith("Kazakhstan's crude is reported inside the area")
    _clean(*section.elements)
    # China is an importer in the matrix: its imports by origin; Russia 100 / 110 = 90.9 %
    china = ER.crude_section(crude, "CHN")
    assert china.findings[0][0] == "Russia supplied 90.9 % of China's crude oil imports in 2025."
    _clean(*china.elements)


# --------------------------------------------------------------------------------------
# 5. Money
# --------------------------------------------------------------------------------------


def test_money_section_growth_figure_and_skip():
    products = _cited(_products(), "wits_test")
    section = ER.money_section(products, _brent(), "KAZ")
    figure = next(e for e in section.elements if isinstance(e, report.Figure))
    # crude 100 → 121 in 2 years: 10 %; gas 10 → 40: 100 % a year
    assert figure.subtitle == (
        "Crude oil exports (HS 2709) grew from US$ 100 mn in 2015 to US$ 121 mn in 2017 "
        "(10.0 % a year); gas exports (HS 2711) grew from US$ 10 mn in 2015 to US$ 40 mn in "
        "2017 (100.0 % a year)."
    )
    rows = _csv_rows(figure)
    assert rows["Year"].tolist() == [2015, 2016, 2017]  # one plotted row per year
    assert rows["Gas (HS 2711) to China (US$ mn)"].isna().tolist() == [False, True, False]
    assert rows["Brent (US$ per barrel)"].tolist() == [50.0, 40.0, 55.0]
    assert section.findings[0][0].startswith(
        "Kazakhstan's crude oil exports to China (HS 2709) grew from US$ 100 mn in 2015"
    )
    assert section.findings[0][1] is figure
    # gas has 2 years with a value: too few for the Brent regression, said in words
    assert "HS 2711, all years: too few years with a value" in repr(section.elements[-1])
    _clean(*section.elements)
    skipped = ER.money_section(products, _brent(), "TKM")
    assert repr(skipped.elements[0]).startswith("Note. Section skipped for Turkmenistan")
    assert skipped.findings == ()


def test_growth_sentence():
    row = pd.Series({"product_code": "2711", "first_year": 2015, "first_usd_mn": 86.7,
                     "last_year": 2024, "last_usd_mn": 1353.9, "cagr_pct": 35.66})  # fmt: skip
    assert ER.growth_sentence(row) == (
        "Gas (HS 2711): US$ 87 mn in 2015 → US$ 1,354 mn in 2024, a compound annual growth "
        "rate of 35.7 %."
    )


# --------------------------------------------------------------------------------------
# 6. Revisions, 7. coal
# --------------------------------------------------------------------------------------


def _revised() -> pd.DataFrame:
    rows = []
    for edition, values in (("2021", [30.0, 31.0]), ("2022", [30.0, 33.0]),
                            ("2024", [30.0, 32.0])):  # fmt: skip
        for year, v in zip((2019, 2020), values, strict=True):
            rows.append((edition, "KAZ", "country", "gas_production", "bcm", year, v))
    return _cited(_series(rows))


def test_revisions_subtitle_and_figure_rows():
    rev = E.edition_revisions(_revised(), "gas_production", "bcm", "KAZ")
    # 2020: 33 − 31 = 2 bcm, 2 / 32 (latest edition) = 6.25 %
    assert ER.revisions_subtitle(rev, "bcm") == (
        "The editions differ most for 2020: by 2.00 bcm (6.3 % of the latest edition's "
        "value), the 2021 edition lowest and the 2022 edition highest."
    )
    fig = ER.revisions_figure(rev, "KAZ", "gas production", "bcm", sources=_revised())
    rows = _csv_rows(fig)
    assert len(rows) == 6  # 3 editions × 2 years, all published
    assert list(rows.columns) == ["Year", "Edition", "Gas production (bcm)"]
    assert [s.id for s in fig.sources] == ["bp_sr_2021", "bp_sr_2022", "ei_sr_2024"]
    _clean(fig)
    section = ER.revisions_section(_revised(), "KAZ", 2000, 2025)
    assert section.findings[0][0] == (
        "Editions revise history: Kazakhstan's gas production for 2020 differs by 2.00 bcm "
        "(6.3 %) from one edition to another (lowest in the 2021, highest in the 2022 edition)."
    )
    assert "No oil production (kb/d) for Kazakhstan in any edition." in repr(section.elements[-1])
    outside = ER.revisions_section(_revised(), "KAZ", 2022, 2025)
    assert "do not overlap 2010–2021" in repr(outside.elements[0]) and not outside.findings


def test_coal_subtitle():
    shares = pd.DataFrame({"year": [2010, 2011, 2012],
                           "coal_share_primary_pct": [75.0, 72.0, 60.0]})  # fmt: skip
    assert ER.coal_subtitle(shares, "primary energy") == (
        "Coal's share of China's primary energy fell from 75.0 % in 2010 to 60.0 % in 2012; it "
        "was last at or above 72 % in 2011."
    )
    low = shares.assign(coal_share_primary_pct=[50.0, 55.0, 60.0])
    assert ER.coal_subtitle(low, "primary energy").endswith(
        "rose from 50.0 % in 2010 to 60.0 % in 2012; it was never at or above 72 % in the series."
    )


def test_coal_section_on_hand_made_series():
    rows = []
    for edition in ("2024", "2022"):
        hand = [(2010, 72.0, 100.0, 400.0, 320.0), (2011, 60.0, 100.0, 500.0, 300.0)]
        for year, coal, primary, elec, elec_coal in hand:
            rows += [
                (edition, "CHN", "country", "coal_consumption", "ej", year, coal),
                (edition, "CHN", "country", "primary_energy_consumption", "ej", year, primary),
                (edition, "CHN", "country", "electricity_generation", "twh", year, elec),
                (edition, "CHN", "country", "electricity_generation_coal", "twh", year, elec_coal),
            ]
    section = ER.coal_section(_cited(_series(rows)), "2024", 2025)
    figure, table, _note = section.elements
    assert len(_csv_rows(figure)) == 2
    # 2011: 60 / 100 = 60 %; last at or above 72 %: 2010 (72 %); electricity 320/400 = 80 %
    assert section.findings[0][0] == (
        "Coal was 60.0 % of China's primary energy consumption (substitution method) in 2011, "
        "below the 72 % the thesis quotes; the share was at or above 72 % last in 2010."
    )
    csv = report.read_csv_text(table.csv())
    assert csv["Edition"].tolist() == [2024, 2022]
    assert csv["Last year at or above 72 %, electricity"].tolist() == [2010, 2010]
    _clean(*section.elements)


# --------------------------------------------------------------------------------------
# Findings, colours, determinism
# --------------------------------------------------------------------------------------


def test_findings_keep_order_cap_at_six_and_fill_with_little_data():
    many = ER.Section((), tuple((f"Finding {i}.", None) for i in range(8)))
    box = ER.findings(many)
    assert [t for t, _, _ in box.items] == [f"Finding {i}." for i in range(6)]
    thin = ER.findings(ER.Section((), (("Only one.", "fig-x"),)), ER.Section(()))
    assert len(thin.items) == 3 and thin.items[0] == ("Only one.", "fig-x", "figure")
    assert "thin" in thin.items[1][0]


def test_region_and_product_colours_are_distinct():
    for (a, ca), (b, cb) in itertools.combinations(ER.REGION_COLOURS.items(), 2):
        assert plotting.colour_distance(ca, cb) >= plotting.MIN_DELTA_E_IN_FIGURE, (a, b)
    assert ER.REGION_COLOURS["China"] == plotting.colour("China")
    assert ER.REGION_COLOURS["Europe"] == plotting.colour("Europe")
    a, b = ER.PRODUCT_COLOURS.values()
    assert plotting.colour_distance(a, b) >= plotting.MIN_DELTA_E_IN_FIGURE


def test_figures_are_deterministic_svg():
    progress = E.contract_progress(E.pipeline_pairs(_gas_flows(), PAIRS))
    first = ER.contract_figure(progress).svg
    second = ER.contract_figure(progress).svg
    assert first == second and "<text" in first  # text kept as text
