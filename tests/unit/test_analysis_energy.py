"""Tests of kzanalysis.analysis.energy and energy_params on small hand-made frames.

Every expected number is computed by hand in the comment next to it.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError

from kzanalysis.analysis import energy as E
from kzanalysis.analysis.energy_params import BUNDLED_EDITIONS, EnergyParams, last_data_year
from kzanalysis.curate.energy import UNIT_COLUMNS
from kzanalysis.errors import UnknownCodeError
from kzanalysis.stats import InsufficientDataError

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "02_energy_exports.ipynb"


def _series(rows: list[tuple]) -> pd.DataFrame:
    """energy_series rows from (edition, code, kind, variable, unit, year, value)."""
    records = []
    for edition, code, kind, variable, unit, year, value in rows:
        rec = {
            "edition": edition,
            "entity_code": code,
            "entity": code,
            "entity_kind": kind,
            "variable": variable,
            "unit": unit,
            "year": year,
        }
        rec.update({col: np.nan for col in UNIT_COLUMNS.values()})
        rec[UNIT_COLUMNS[unit]] = value
        rec["source"] = "test"
        records.append(rec)
    return pd.DataFrame.from_records(records)


# --------------------------------------------------------------------------------------
# Growth and unit conversions
# --------------------------------------------------------------------------------------


def test_cagr_hand_values():
    # 100 → 121 in 2 years: sqrt(1.21) = 1.1 → 10 %
    assert E.cagr(100.0, 121.0, 2) == pytest.approx(10.0)
    # 50 → 25 in 1 year: −50 %
    assert E.cagr(50.0, 25.0, 1) == pytest.approx(-50.0)
    # 2048.072064 → 1887.592380 in 9 years: (0.92164…)^(1/9) − 1 = −0.9025 %
    assert E.cagr(2048.072064, 1887.592380, 9) == pytest.approx(-0.9025, abs=1e-4)


@pytest.mark.parametrize("args", [(0.0, 10.0, 2), (10.0, -1.0, 2), (10.0, 12.0, 0)])
def test_cagr_rejects_undefined_cases(args):
    with pytest.raises(ValueError, match="cagr"):
        E.cagr(*args)


def test_conversion_factors_match_the_review():
    # 1 bcm = 36 PJ = 0.036 EJ; 10 bcm → 0.36 EJ
    assert E.bcm_to_ej(10.0) == pytest.approx(0.36)
    # 100 Mt oil ≈ 100 Mtoe × 41.868 PJ = 4.1868 EJ
    assert E.mt_oil_to_ej(100.0) == pytest.approx(4.1868)
    # 400 kb/d × 1000 × 365 / 7.33 bbl/t = 19 918 145 t/yr = 19.918 Mt/yr
    assert E.kbd_to_mt_per_year(400.0) == pytest.approx(19.918145, rel=1e-6)
    # the Review's rule "b/d → t/yr: multiply by 49.8"
    assert pytest.approx(49.8, abs=0.05) == E.MT_PER_YEAR_PER_KBD * 1000
    # round trip
    assert E.convert(E.convert(12.0, "oil", "mt", "kbd"), "oil", "kbd", "mt") == pytest.approx(12.0)
    assert E.convert(0.72, "gas", "ej", "bcm") == pytest.approx(20.0)


def test_convert_refuses_undocumented_conversions():
    with pytest.raises(ValueError, match="no documented conversion for coal mt→ej"):
        E.convert(1.0, "coal", "mt", "ej")
    assert E.convert(5.0, "coal", "ej", "ej") == 5.0


# --------------------------------------------------------------------------------------
# 1. Production and consumption
# --------------------------------------------------------------------------------------


def _balance_series() -> pd.DataFrame:
    rows = []
    for code, oil_mt, oil_kbd, oil_cons_ej, oil_cons_kbd, gas_bcm, gas_cons_bcm in [
        ("KAZ", 100.0, 2000.0, 0.8, 400.0, 30.0, 20.0),
        ("TKM", 10.0, 200.0, 0.3, 150.0, 80.0, 40.0),
    ]:
        rows += [
            ("2026", code, "country", "oil_production", "mt", 2020, oil_mt),
            ("2026", code, "country", "oil_production", "kbd", 2020, oil_kbd),
            ("2026", code, "country", "oil_consumption", "ej", 2020, oil_cons_ej),
            ("2026", code, "country", "oil_consumption", "kbd", 2020, oil_cons_kbd),
            ("2026", code, "country", "gas_production", "bcm", 2020, gas_bcm),
            ("2026", code, "country", "gas_production", "ej", 2020, gas_bcm * 0.036),
            ("2026", code, "country", "gas_consumption", "bcm", 2020, gas_cons_bcm),
            ("2026", code, "country", "gas_consumption", "ej", 2020, gas_cons_bcm * 0.036),
            ("2026", code, "country", "coal_consumption", "ej", 2020, 1.0),
        ]
    # coal production for Kazakhstan only (the Review has none for Turkmenistan)
    rows += [
        ("2026", "KAZ", "country", "coal_production", "ej", 2020, 2.0),
        ("2026", "KAZ", "country", "coal_production", "mt", 2020, 110.0),
        ("2026", "KAZ", "country", "oil_production", "mt", 1999, 50.0),  # outside the period
    ]
    return _series(rows)


def test_series_in_unit_prefers_published_then_documented_conversion():
    s = _balance_series()
    frame, method = E.series_in_unit(s, "2026", "gas_production", "gas", "ej", ["KAZ"])
    assert method == "published"
    assert frame["value"].tolist() == pytest.approx([1.08])  # 30 bcm × 0.036
    frame, method = E.series_in_unit(s, "2026", "oil_production", "oil", "ej", ["KAZ"])
    assert method.startswith("converted from Mt × 0.041868")
    # 1999: 50 Mt → 2.0934 EJ; 2020: 100 Mt → 4.1868 EJ
    assert frame.sort_values("year")["value"].tolist() == pytest.approx([2.0934, 4.1868])
    frame, method = E.series_in_unit(s, "2026", "coal_production", "coal", "bcm")
    assert frame.empty and method.startswith("not available")


def test_fuel_balance_surplus_in_ej_and_bcm():
    s = _balance_series()
    bal = E.fuel_balance(s, "2026", ["KAZ", "TKM"], "ej", 2000, 2025)
    kaz = bal[bal["entity_code"] == "KAZ"].set_index("fuel")
    # oil: 4.1868 − 0.8 = 3.3868 EJ; gas: (30 − 20) × 0.036 = 0.36 EJ; coal: 2 − 1 = 1 EJ
    assert kaz.loc["oil", "surplus_ej"] == pytest.approx(3.3868)
    assert kaz.loc["gas", "surplus_ej"] == pytest.approx(0.36)
    assert kaz.loc["coal", "surplus_ej"] == pytest.approx(1.0)
    assert kaz.loc["oil", "production_method"].startswith("converted")
    assert set(bal["year"]) == {2020}  # 1999 is outside the period
    tkm_coal = bal[(bal["entity_code"] == "TKM") & (bal["fuel"] == "coal")]
    assert tkm_coal["production_ej"].isna().all() and tkm_coal["surplus_ej"].isna().all()

    gas = E.fuel_balance(s, "2026", ["KAZ", "TKM"], "bcm", 2000, 2025)
    assert set(gas["fuel"]) == {"gas"}
    assert gas.set_index("entity_code").loc["TKM", "surplus_bcm"] == pytest.approx(40.0)


def test_fuel_balance_kbd_and_mt_use_published_or_documented_factors():
    s = _balance_series()
    kbd = E.fuel_balance(s, "2026", ["KAZ"], "kbd", 2000, 2025)
    assert kbd["surplus_kbd"].tolist() == pytest.approx([1600.0])  # 2000 − 400
    mt = E.fuel_balance(s, "2026", ["KAZ"], "mt", 2000, 2025).set_index("fuel")
    # consumption 400 kb/d × 0.0497954 = 19.918 Mt; surplus 100 − 19.918 = 80.082 Mt
    assert mt.loc["oil", "consumption_mt"] == pytest.approx(19.918145, rel=1e-6)
    assert mt.loc["oil", "surplus_mt"] == pytest.approx(80.081855, rel=1e-6)
    assert math.isnan(mt.loc["coal", "consumption_mt"])  # coal EJ → Mt: no factor


def test_missing_series_become_sentences():
    s = _balance_series()
    bal = E.fuel_balance(s, "2026", ["KAZ", "TKM"], "ej", 2000, 2025)
    sentences = E.missing_sentences(bal, ["KAZ", "TKM"])
    assert sentences == [
        "No coal production for Turkmenistan in the 2026 edition (2000–2025): the "
        "Statistical Review does not publish that series for Turkmenistan."
    ]
    kbd = E.fuel_balance(s, "2026", ["KAZ"], "kbd", 2000, 2025)
    text = " ".join(E.missing_sentences(kbd, ["KAZ"]))
    assert "Gas production is not shown" in text and "Coal consumption is not shown" in text
    # reader text: series named in words, not by their ids
    assert "gas production is published in bcm and EJ only" in text and "_" not in text


def test_select_series_rejects_unknown_edition():
    with pytest.raises(UnknownCodeError, match="edition '2019' is not in the table"):
        E.select_series(_balance_series(), "2019", "oil_production", "mt")


# --------------------------------------------------------------------------------------
# 2. Ranks
# --------------------------------------------------------------------------------------


def _reserves() -> pd.DataFrame:
    v = "oil_reserves"
    rows = [
        ("2026", "WLD", "total", v, "bn_bbl", 2020, 1700.0),
        ("2026", "CIS", "subtotal", v, "bn_bbl", 2020, 146.0),
        ("2026", "CIS_OTHER", "area", v, "bn_bbl", 2020, 38.0),
        ("2026", "OPEC", "subtotal", v, "bn_bbl", 2020, 1200.0),
        ("2026", "VEN", "country", v, "bn_bbl", 2020, 300.0),
        ("2026", "SAU", "country", v, "bn_bbl", 2020, 300.0),  # tie with Venezuela
        ("2026", "RUS", "country", v, "bn_bbl", 2020, 108.0),
        ("2026", "KAZ", "country", v, "bn_bbl", 2020, 30.0),
        ("2026", "AZE", "country", v, "bn_bbl", 2020, 7.0),
        ("2026", "NOR", "country", v, "bn_bbl", 2020, 8.0),
        ("2026", "TKM", "country", v, "bn_bbl", 2020, 0.6),
        ("2026", "KAZ", "country", v, "bn_bbl", 2019, 30.0),
        ("2026", "RUS", "country", "gas_reserves", "tcm", 2020, 37.0),
        ("2026", "KAZ", "country", "gas_reserves", "tcm", 2020, 2.3),
    ]
    return _series(rows)


def test_rank_countries_excludes_aggregates_and_shares_ties():
    s = _reserves()
    year = s[(s["variable"] == "oil_reserves") & (s["year"] == 2020)]
    ranked = E.rank_countries(year, "value_bn_bbl")
    assert not set(ranked["entity_code"]) & {"WLD", "CIS", "CIS_OTHER", "OPEC"}
    ranks = dict(zip(ranked["entity_code"], ranked["rank"], strict=True))
    # SAU = VEN = 300 share rank 1; RUS 3; KAZ 4; NOR 5; AZE 6; TKM 7
    assert ranks == {"SAU": 1, "VEN": 1, "RUS": 3, "KAZ": 4, "NOR": 5, "AZE": 6, "TKM": 7}


def test_rank_countries_rejects_several_years():
    s = _reserves()
    with pytest.raises(ValueError, match="filter it to one year"):
        E.rank_countries(s[s["variable"] == "oil_reserves"], "value_bn_bbl")


def test_country_rank_world_and_cis():
    r = E.country_rank(_reserves(), "2026", "oil_reserves", "bn_bbl", "KAZ")
    assert (r.year, r.value, r.world_rank, r.world_n) == (2020, 30.0, 4, 7)
    assert r.world_complete  # oil reserves keep every country from 2000
    # CIS incl. associates with data: RUS 108, KAZ 30, AZE 7, TKM 0.6 → KAZ 2nd of 4
    assert (r.cis_rank, r.cis_n) == (2, 4)
    assert r.cis_missing == ("ARM", "BLR", "KGZ", "MDA", "TJK", "UZB")
    assert r.cis_complete
    t = E.country_rank(_reserves(), "2026", "oil_reserves", "bn_bbl", "TKM")
    assert (t.world_rank, t.cis_rank) == (7, 4)
    g = E.country_rank(_reserves(), "2026", "gas_reserves", "tcm", "KAZ")
    assert (g.world_rank, g.world_n, g.world_complete) == (2, 2, False)
    # gas reserves keep focus countries only: Azerbaijan (not a focus country) may be
    # missing because of the curated scope, so the CIS rank is flagged as incomplete
    assert "AZE" in g.cis_missing and not g.cis_complete


def test_country_rank_without_data_raises():
    with pytest.raises(InsufficientDataError, match="Uzbekistan has no oil_reserves"):
        E.country_rank(_reserves(), "2026", "oil_reserves", "bn_bbl", "UZB")


def test_reserves_table():
    t = E.reserves_table(_reserves(), "2026", ["KAZ", "RUS", "UZB"])
    assert t["year"].unique().tolist() == [2020]
    assert t["oil_reserves_bn_bbl"].tolist()[:2] == [30.0, 108.0]
    assert t["gas_reserves_tcm"].tolist()[:2] == [2.3, 37.0]
    assert t["oil_reserves_bn_bbl"].isna().tolist() == [False, False, True]


# --------------------------------------------------------------------------------------
# 3. Pipeline gas
# --------------------------------------------------------------------------------------


def _gas_flows() -> pd.DataFrame:
    cols = ["edition", "year", "exporter_code", "exporter_kind", "importer_code",
            "importer_kind", "flow_bcm"]  # fmt: skip
    rows = [
        ("2024", 2023, "RUS", "country", "CHN", "country", 19.0),
        ("2024", 2023, "KAZ", "country", "RUS", "country", 1.0),
        ("2024", 2023, "KAZ", "country", "CHN", "country", 5.0),
        ("2024", 2023, "TOTAL", "total", "CHN", "country", 24.0),
        ("2023", 2022, "RUS", "country", "CHN", "country", 10.0),
        ("2023", 2022, "TOTAL", "total", "CHN", "country", 10.0),
        ("2023", 2022, "RUS", "country", "KAZ", "country", 2.0),
        # 2025 matrix: no Russia column at all
        ("2026", 2025, "RUS", "country", "CHN", "country", 38.0),
        ("2026", 2025, "KAZ", "country", "CHN", "country", 4.0),
        ("2026", 2025, "TOTAL", "total", "CHN", "country", 42.0),
    ]
    return pd.DataFrame(rows, columns=cols)


def test_pipeline_pairs_zero_versus_unknown():
    pairs = E.pipeline_pairs(_gas_flows(), [("KAZ", "RUS"), ("RUS", "CHN"), ("KAZ", "CHN")])
    got = {(r.year, r.exporter_code, r.importer_code): (r.flow_bcm, r.status)
           for r in pairs.itertuples()}  # fmt: skip
    assert got[(2023, "KAZ", "RUS")] == (1.0, "reported")
    # 2022: KAZ is no exporter row in that matrix → unknown, not zero
    assert math.isnan(got[(2022, "KAZ", "CHN")][0])
    assert got[(2022, "KAZ", "CHN")][1] == "not in matrix"
    # 2025: no RUS column → unknown
    assert math.isnan(got[(2025, "KAZ", "RUS")][0])
    matrix = E.pair_matrix(pairs)
    assert list(matrix.columns) == [2022, 2023, 2025]
    assert matrix.loc["Russia → China"].tolist() == [10.0, 19.0, 38.0]


def test_pipeline_pairs_absent_cell_is_zero_when_both_sides_in_matrix():
    flows = _gas_flows()
    pairs = E.pipeline_pairs(flows, [("KAZ", "CHN")])
    flows = pd.concat(
        [flows, flows.iloc[[6]].assign(exporter_code="KAZ", importer_code="RUS")]
    )  # 2022: KAZ now a row, CHN a column, but no KAZ→CHN cell
    pairs = E.pipeline_pairs(flows, [("KAZ", "CHN")])
    row = pairs[pairs["year"] == 2022].iloc[0]
    assert (row["flow_bcm"], row["status"]) == (0.0, "no cell (zero)")


def test_contract_progress_growth_and_share_of_contract():
    pairs = E.pipeline_pairs(_gas_flows(), [("RUS", "CHN")])
    prog = E.contract_progress(pairs).set_index("year")
    # 10/38 = 26.316 %; 19/38 = 50 %; 38/38 = 100 %
    assert prog["pct_of_contract"].tolist() == pytest.approx([26.315789, 50.0, 100.0])
    # 2022→2023: 10 → 19 = +90 %; 2023→2025 (2 years): 19 → 38 = √2 − 1 = 41.421 % per year
    assert prog.loc[2023, "growth_pct_per_year"] == pytest.approx(90.0)
    assert prog.loc[2025, "growth_pct_per_year"] == pytest.approx(41.421356)
    assert prog.loc[2025, "years_since_previous"] == 2


def test_china_pipeline_imports_shares():
    imp = E.china_pipeline_imports(_gas_flows())
    y23 = imp[imp["year"] == 2023].set_index("exporter_code")
    # RUS 19 / 24 = 79.167 %; KAZ 5 / 24 = 20.833 %
    assert y23["share_pct"].to_dict() == pytest.approx({"RUS": 79.166667, "KAZ": 20.833333})


# --------------------------------------------------------------------------------------
# 4. Crude
# --------------------------------------------------------------------------------------


def _crude() -> pd.DataFrame:
    cols = ["edition", "year", "exporter", "exporter_code", "importer", "importer_code",
            "flow_mt"]  # fmt: skip
    rows = [
        ("2024", 2023, "Other CIS", "CIS_OTHER", "Europe", "REG_EUROPE", 70.0),
        ("2024", 2023, "Other CIS", "CIS_OTHER", "China", "CHN", 7.0),
        ("2024", 2023, "Other CIS", "CIS_OTHER", "India", "IND", 3.0),
        ("2024", 2023, "Other CIS", "CIS_OTHER", "Russian Federation", "RUS", 0.5),
        ("2024", 2023, "Other CIS", "CIS_OTHER", "Total", "TOTAL", 100.0),
        ("2026", 2025, "Other CIS", "CIS_OTHER", "Europe", "REG_EUROPE", 40.0),
        ("2026", 2025, "Other CIS", "CIS_OTHER", "China", "CHN", 10.0),  # no TOTAL cell
        ("2026", 2025, "Russia", "RUS", "China", "CHN", 100.0),
    ]
    return pd.DataFrame(rows, columns=cols)


def test_crude_destinations_shares_use_total_or_sum():
    d = E.crude_destinations(_crude(), "CIS_OTHER")
    y23 = d[d["year"] == 2023].set_index("importer_code")
    assert y23.loc["REG_EUROPE", "share_pct"] == pytest.approx(70.0)  # 70 / 100
    assert y23.loc["RUS", "importer"] == "Russia"
    y25 = d[d["year"] == 2025].set_index("importer_code")
    assert y25.loc["CHN", "share_pct"] == pytest.approx(20.0)  # 10 / (40 + 10)
    evc = E.europe_vs_china(d).set_index("year")
    assert evc.loc[2023, "europe_to_china_ratio"] == pytest.approx(10.0)
    assert evc.loc[2025, "europe_share_pct"] == pytest.approx(80.0)
    regions = E.crude_by_region(d)
    # 2023: Other Asia Pacific = India 3; Russia & other CIS 0.5; total 80.5 (cells)
    assert regions.loc[2023, "Other Asia Pacific (Mt)"] == pytest.approx(3.0)
    assert regions.loc[2023, "total_mt"] == pytest.approx(80.5)


def test_crude_destinations_unknown_exporter():
    with pytest.raises(InsufficientDataError, match="no crude exports from 'KAZ'"):
        E.crude_destinations(_crude(), "KAZ")


def test_crude_into_china():
    into = E.crude_into(_crude(), "CHN")
    y25 = into[into["year"] == 2025].set_index("exporter_code")
    assert y25["share_pct"].to_dict() == pytest.approx({"RUS": 100 / 1.1, "CIS_OTHER": 10 / 1.1})


# --------------------------------------------------------------------------------------
# 5. Money
# --------------------------------------------------------------------------------------


def _products() -> pd.DataFrame:
    rows = []
    for year, crude, gas, inc in [
        (2015, 100.0, 10.0, False),
        (2016, 110.0, None, False),  # gas line absent: missing, not zero
        (2017, 121.0, 40.0, False),
    ]:
        rows.append(("KAZ", "CHN", "export", year, "2709", crude, inc))
        if gas is not None:
            rows.append(("KAZ", "CHN", "export", year, "2711", gas, inc))
        rows.append(("KAZ", "WLD", "export", year, "2709", crude * 10, inc))
        rows.append(("KAZ", "CHN", "export", year, "2601", 1.0, inc))
    cols = ["reporter_iso3", "partner_iso3", "flow", "year", "product_code", "value_usd_mn",
            "incomplete_year"]  # fmt: skip
    return pd.DataFrame(rows, columns=cols)


def test_hs_exports_keeps_missing_lines_missing():
    v = E.hs_exports(_products(), start_year=2015, end_year=2017)
    gas = v[v["product_code"] == "2711"].set_index("year")["value_usd_mn"]
    assert gas.loc[2015] == 10.0 and math.isnan(gas.loc[2016])
    assert set(v["product_code"]) == {"2709", "2711"}
    assert E.hs_exports(_products(), reporter="TKM").empty
    assert not E.has_product_data(_products(), "UZB")


def test_growth_table_cagr():
    g = E.growth_table(E.hs_exports(_products(), start_year=2015, end_year=2017))
    g = g.set_index("product_code")
    # crude 100 → 121 over 2 years = 10 %; gas 10 → 40 over 2 years = 100 %
    assert g.loc["2709", "cagr_pct"] == pytest.approx(10.0)
    assert g.loc["2711", "cagr_pct"] == pytest.approx(100.0)
    assert g.loc["2711", "years_with_data"] == 2


def test_china_share_of_exports():
    share = E.china_share_of_exports(_products(), codes=("2709",), start_year=2015, end_year=2017)
    assert share["china_share_pct"].tolist() == pytest.approx([10.0, 10.0, 10.0])


def test_brent_elasticity_recovers_a_known_slope():
    years = list(range(2010, 2020))
    brent_prices = [40, 55, 70, 60, 90, 100, 80, 65, 50, 75]
    # value = 3 · brent^1.5 · exp(noise) with a small, mean-zero alternating noise
    noise = [0.01, -0.01] * 5
    values = pd.DataFrame(
        {
            "year": years,
            "product_code": "2709",
            "value_usd_mn": [3 * p**1.5 * math.exp(n) for p, n in zip(brent_prices, noise,
                                                                        strict=True)],
            "incomplete_year": False,
        }
    )  # fmt: skip
    brent = pd.DataFrame(
        {"year": [*years, 1987], "brent_usd_per_bbl": [*brent_prices, 18.0],
         "partial_year": [False] * 10 + [True]}
    )  # fmt: skip
    e = E.brent_elasticity(values, brent, "2709")
    assert e.nobs == 10 and e.years == (2010, 2019)
    assert e.elasticity == pytest.approx(1.5, abs=0.02)
    assert e.ci_low < 1.5 < e.ci_high
    assert e.hac_lags == 2  # floor(4 · (10/100)^(2/9)) = floor(2.397)
    text = E.describe_elasticity(e)
    assert f"{e.elasticity:.2f} % higher export value" in text
    assert "a 1 % higher Brent price" in text and "95 % CI" in text
    assert "interval excludes zero" in text
    e2 = E.brent_elasticity(values, brent, "2709", exclude_years=[2011, 2012])
    assert e2.nobs == 8 and e2.excluded_years == (2011, 2012)
    with pytest.raises(InsufficientDataError, match="need at least 4"):
        E.brent_elasticity(values.head(3), brent, "2709")


# --------------------------------------------------------------------------------------
# 6. Edition revisions, 7. coal shares
# --------------------------------------------------------------------------------------


def test_edition_revisions_spread():
    # Kazakhstan gas production 2015 (PROVENANCE.md): 31.89 / 31.23 / 27.14 bcm
    s = _series(
        [
            ("2021", "KAZ", "country", "gas_production", "bcm", 2015, 31.89),
            ("2022", "KAZ", "country", "gas_production", "bcm", 2015, 31.23),
            ("2026", "KAZ", "country", "gas_production", "bcm", 2015, 27.14),
            ("2022", "KAZ", "country", "gas_production", "bcm", 2021, 31.97),
            ("2026", "KAZ", "country", "gas_production", "bcm", 2021, 26.70),
        ]
    )
    r = E.edition_revisions(s, "gas_production", "bcm", "KAZ")
    assert list(r.columns[:3]) == ["ed_2021", "ed_2022", "ed_2026"]
    # 2015: 31.89 − 27.14 = 4.75; 4.75 / 27.14 = 17.502 %
    assert r.loc[2015, "spread"] == pytest.approx(4.75)
    assert r.loc[2015, "spread_pct"] == pytest.approx(17.50184, rel=1e-5)
    # 2021: not in the 2021 edition; 31.97 − 26.70 = 5.27
    assert math.isnan(r.loc[2021, "ed_2021"])
    assert r.loc[2021, "spread"] == pytest.approx(5.27)
    with pytest.raises(InsufficientDataError):
        E.edition_revisions(s, "gas_production", "bcm", "UZB")


def test_coal_shares_and_last_year_above():
    rows = []
    for year, coal, primary, elec, elec_coal in [
        (2010, 72.0, 100.0, 400.0, 320.0),
        (2011, 74.0, 100.0, 500.0, 350.0),
        (2012, 60.0, 100.0, 500.0, 300.0),
    ]:
        rows += [
            ("2024", "CHN", "country", "coal_consumption", "ej", year, coal),
            ("2024", "CHN", "country", "primary_energy_consumption", "ej", year, primary),
            ("2024", "CHN", "country", "electricity_generation", "twh", year, elec),
            ("2024", "CHN", "country", "electricity_generation_coal", "twh", year, elec_coal),
        ]
    shares = E.coal_shares(_series(rows), "2024")
    assert shares["coal_share_primary_pct"].tolist() == pytest.approx([72.0, 74.0, 60.0])
    # electricity: 320/400 = 80 %, 350/500 = 70 %, 300/500 = 60 %
    assert shares["coal_share_electricity_pct"].tolist() == pytest.approx([80.0, 70.0, 60.0])
    assert E.last_year_at_or_above(shares, "coal_share_primary_pct", 72) == 2011
    assert E.last_year_at_or_above(shares, "coal_share_electricity_pct", 72) == 2010
    assert E.last_year_at_or_above(shares, "coal_share_primary_pct", 90) is None
    assert E.primary_measure("2026")[0] == "total_energy_supply"


# --------------------------------------------------------------------------------------
# Parameters
# --------------------------------------------------------------------------------------


def test_params_defaults_and_normalisation():
    p = EnergyParams()
    assert (p.country, p.edition, p.energy_unit, p.unit_code) == ("KAZ", "2026", "EJ", "ej")
    assert p.end_year == last_data_year(BUNDLED_EDITIONS[-1]) == 2025
    q = EnergyParams(country="turkmenistan", edition=2024, end_year=2023, energy_unit="kb/d")
    assert (q.country, q.edition, q.unit_code) == ("TKM", "2024", "kbd")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"country": "KGZ"}, "not covered by the energy chapter"),
        ({"edition": "2025"}, "edition '2025' is not bundled"),
        ({"edition": "2022"}, "after the last data year of edition 2022 \\(2021\\)"),
        ({"start_year": 2010, "end_year": 2005}, "start_year \\(2010\\) is after end_year"),
        ({"start_year": 1970}, "greater than or equal to 1985"),
        ({"energy_unit": "TWh"}, "energy_unit"),
        ({"colour": "red"}, "Extra inputs are not permitted"),
    ],
)
def test_params_reject_bad_values(kwargs, message):
    with pytest.raises(ValidationError, match=message):
        EnergyParams(**kwargs)


def test_notebook_parameter_defaults_match_the_model():
    if not NOTEBOOK.exists():
        pytest.skip("notebook not written yet")
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    cells = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(cells) == 1
    ns: dict = {}
    exec("".join(cells[0]["source"]), ns)  # literal assignments only
    defaults = {k: v for k, v in ns.items() if not k.startswith("__")}
    model = {k: f.default for k, f in EnergyParams.model_fields.items()}
    assert defaults == model


def test_bundled_editions_match_the_curated_editions() -> None:
    from kzanalysis.analysis.energy_params import BUNDLED_EDITIONS
    from kzanalysis.curate.energy import EDITIONS

    assert tuple(sorted(EDITIONS)) == BUNDLED_EDITIONS
