"""Sanity checks of the energy curation on the real snapshots (PROVENANCE.md figures).

Tolerances: PROVENANCE.md quotes values rounded to 2 decimals (bcm, Mt, EJ) or 1 decimal
(bn bbl, %), so ``abs=0.006`` / ``abs=0.06`` cover rounding only; any larger gap means a
wrong cell, edition or unit. EI 2026 values come from a JSON extraction rounded to ~6
significant digits, which is far inside these tolerances.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from kzanalysis.curate import energy
from kzanalysis.schema import pandera_schema
from tests.conftest import SHARED_DATA

RAW = Path(__file__).resolve().parents[2].parent / "shared" / "data"
PARQUET = (
    RAW
    / "energy/raw/ei_statistical_review/"
    / ("bp-stats-review-2022-consolidated-dataset-narrow-format.parquet")
)

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def tables(raw_domain_build) -> dict[str, pd.DataFrame]:
    """Build the energy tables once from the shared snapshots (once per run: conftest)."""
    if not (RAW / "energy" / "PROVENANCE.md").is_file():
        pytest.skip(f"shared energy snapshots not found at {RAW}")
    assert RAW.resolve() == SHARED_DATA.resolve()
    return raw_domain_build("energy")


def _series(t: dict, edition: str, code: str, variable: str, unit: str, year: int) -> float:
    s = t["energy_series"]
    hit = s[
        (s.edition == edition)
        & (s.entity_code == code)
        & (s.variable == variable)
        & (s.unit == unit)
        & (s.year == year)
    ]
    assert len(hit) == 1, (edition, code, variable, unit, year)
    return float(hit[energy.UNIT_COLUMNS[unit]].item())


def _gas(t: dict, edition: str, exporter: str, importer: str) -> float:
    g = t["energy_gas_pipeline_flows"]
    hit = g[(g.edition == edition) & (g.exporter_code == exporter) & (g.importer_code == importer)]
    assert len(hit) == 1, (edition, exporter, importer)
    return float(hit["flow_bcm"].item())


def _crude(t: dict, edition: str, exporter: str, importer: str) -> float:
    o = t["energy_crude_interarea_flows"]
    hit = o[(o.edition == edition) & (o.exporter_code == exporter) & (o.importer_code == importer)]
    assert len(hit) == 1, (edition, exporter, importer)
    return float(hit["flow_mt"].item())


def test_all_tables_validate(tables) -> None:
    for spec in energy.TABLES:
        frame = tables[spec.name]
        pandera_schema(spec).validate(frame)
        assert len(frame) > 0, spec.name


def test_series_exactly_one_value_per_row(tables) -> None:
    s = tables["energy_series"]
    filled = s[list(energy.UNIT_COLUMNS.values())].notna().sum(axis=1)
    assert (filled == 1).all()
    assert set(s["edition"]) == {"2021", "2022", "2023", "2024", "2026"}


@pytest.mark.parametrize(
    ("edition", "year", "expected"),
    [
        ("2021", 2020, 31.69),
        ("2022", 2020, 33.34),
        ("2026", 2020, 30.61),
        ("2022", 2021, 31.97),
        ("2026", 2021, 26.70),
        ("2021", 2015, 31.89),
        ("2022", 2015, 31.23),
        ("2026", 2015, 27.14),
    ],
)
def test_kazakhstan_gas_production_edition_revisions(tables, edition, year, expected) -> None:
    # PROVENANCE §2 revision table (rounded to 2 decimals)
    assert _series(tables, edition, "KAZ", "gas_production", "bcm", year) == pytest.approx(
        expected, abs=0.006
    )


def test_turkmenistan_gas_and_china_primary_energy(tables) -> None:
    assert _series(tables, "2021", "TKM", "gas_production", "bcm", 2020) == pytest.approx(
        58.96, abs=0.006
    )
    assert _series(tables, "2022", "TKM", "gas_production", "bcm", 2020) == pytest.approx(
        66.01, abs=0.006
    )
    pe = _series(tables, "2022", "CHN", "primary_energy_consumption", "ej", 2021)
    tes = _series(tables, "2026", "CHN", "total_energy_supply", "ej", 2021)
    assert pe == pytest.approx(157.65, abs=0.006)
    assert tes == pytest.approx(142.76, abs=0.006)


def test_oil_reserves_rank(tables) -> None:
    # PROVENANCE §6: Kazakhstan 30.0 bn bbl end-2020, 12th among countries; 2nd in the CIS
    s = tables["energy_series"]
    for edition in ("2022", "2026"):
        r = s[
            (s.edition == edition)
            & (s.variable == "oil_reserves")
            & (s.year == 2020)
            & (s.entity_kind == "country")
        ].sort_values("value_bn_bbl", ascending=False)
        codes = r["entity_code"].tolist()
        assert codes.index("KAZ") + 1 == 12
        assert codes[:6] == ["VEN", "SAU", "CAN", "IRN", "IRQ", "RUS"]
        assert r.set_index("entity_code").loc["KAZ", "value_bn_bbl"] == pytest.approx(
            30.0, abs=0.06
        )
    world = _series(tables, "2022", "WLD", "oil_reserves", "bn_bbl", 2020)
    assert 100 * 30.0 / world == pytest.approx(1.7, abs=0.06)


def test_us_passed_russia_in_oil_plus_gas_energy(tables) -> None:
    # PROVENANCE §6: oil Mt × 0.041868 + gas EJ; US 47.3 vs Russia 43.8 EJ in 2014 (bp 2022)
    def oil_gas(code: str, year: int, edition: str = "2022") -> float:
        oil = _series(tables, edition, code, "oil_production", "mt", year) * 0.041868
        return oil + _series(tables, edition, code, "gas_production", "ej", year)

    assert oil_gas("USA", 2014) == pytest.approx(47.3, abs=0.06)
    assert oil_gas("RUS", 2014) == pytest.approx(43.8, abs=0.06)
    assert oil_gas("USA", 2013) < oil_gas("RUS", 2013)
    assert oil_gas("USA", 2021) == pytest.approx(63.4, abs=0.06)
    assert oil_gas("RUS", 2021) == pytest.approx(47.7, abs=0.06)
    assert oil_gas("USA", 2025, "2026") == pytest.approx(75.9, abs=0.06)


def test_china_coal_share(tables) -> None:
    # PROVENANCE §6: coal 54.7 % of China's primary energy 2021 (86.2 of 157.6 EJ, bp 2022);
    # 62.6 % of electricity (5,339 of 8,534 TWh)
    coal = _series(tables, "2022", "CHN", "coal_consumption", "ej", 2021)
    pe = _series(tables, "2022", "CHN", "primary_energy_consumption", "ej", 2021)
    assert 100 * coal / pe == pytest.approx(54.7, abs=0.06)
    elec_coal = _series(tables, "2022", "CHN", "electricity_generation_coal", "twh", 2021)
    elec = _series(tables, "2022", "CHN", "electricity_generation", "twh", 2021)
    assert 100 * elec_coal / elec == pytest.approx(62.6, abs=0.06)


@pytest.mark.parametrize(
    ("exporter", "importer", "values"),
    [
        # PROVENANCE §6 table, data years 2020 / 2021 / 2022 / 2023 / 2025
        ("RUS", "CHN", (3.88, 7.58, 14.67, 21.29, 36.72)),
        ("TKM", "CHN", (27.22, 31.55, 32.89, 30.51, 30.29)),
        ("KAZ", "CHN", (6.79, 5.92, 4.37, 4.64, 4.89)),
        ("UZB", "CHN", (3.28, 4.28, 2.49, 1.23, 1.49)),
        ("TOTAL", "CHN", (45.07, 53.24, 58.40, 61.34, 77.81)),
        ("RUS", "KAZ", (3.25, 2.70, 2.04, 0.18, 3.42)),
        ("KAZ", "TOTAL", (13.98, 10.56, 7.77, 5.30, 4.89)),
    ],
)
def test_gas_pipeline_flows_match_provenance(tables, exporter, importer, values) -> None:
    for edition, expected in zip(("2021", "2022", "2023", "2024", "2026"), values, strict=True):
        assert _gas(tables, edition, exporter, importer) == pytest.approx(expected, abs=0.006)


def test_gas_pipeline_years_and_kaz_to_russia(tables) -> None:
    g = tables["energy_gas_pipeline_flows"]
    years = sorted(set(zip(g.edition, g.year, strict=True)))
    assert years == [("2021", 2020), ("2022", 2021), ("2023", 2022), ("2024", 2023), ("2026", 2025)]
    for edition, expected in zip(
        ("2021", "2022", "2023", "2024"), (7.10, 4.64, 3.40, 0.67), strict=True
    ):
        assert _gas(tables, edition, "KAZ", "RUS") == pytest.approx(expected, abs=0.006)
    assert g[(g.edition == "2026") & (g.exporter_code == "KAZ") & (g.importer_code == "RUS")].empty


def test_china_largest_gas_importer_2025(tables) -> None:
    # PROVENANCE §6: China 168.6 bcm in 2025 (77.8 pipeline + 90.8 LNG)
    lng = _series(tables, "2026", "CHN", "gas_lng_imports", "bcm", 2025)
    assert lng == pytest.approx(90.8, abs=0.06)
    assert _gas(tables, "2026", "TOTAL", "CHN") + lng == pytest.approx(168.6, abs=0.06)


@pytest.mark.parametrize(
    ("edition", "to_china", "to_europe", "total"),
    [
        ("2021", 6.26, None, None),
        ("2022", 4.77, 66.96, 87.12),
        ("2023", 6.03, None, None),
        ("2024", 6.41, None, None),
        ("2026", 3.96, 78.80, 94.44),
    ],
)
def test_other_cis_crude_flows(tables, edition, to_china, to_europe, total) -> None:
    # PROVENANCE §6: crude from "Other CIS" (mostly Kazakhstan), Mt; Europe 67.0 of 87.1 (2021)
    assert _crude(tables, edition, "CIS_OTHER", "CHN") == pytest.approx(to_china, abs=0.006)
    if to_europe is not None:
        assert _crude(tables, edition, "CIS_OTHER", "REG_EUROPE") == pytest.approx(
            to_europe, abs=0.06
        )
        assert _crude(tables, edition, "CIS_OTHER", "TOTAL") == pytest.approx(total, abs=0.06)


def test_china_crude_imports_and_russia_label(tables) -> None:
    # China crude imports 2021: 526 Mt (PROVENANCE §6); Russia→China 79.6 Mt in 2021
    assert _crude(tables, "2022", "TOTAL", "CHN") == pytest.approx(526, abs=0.6)
    assert _crude(tables, "2022", "RUS", "CHN") == pytest.approx(79.6, abs=0.06)
    o = tables["energy_crude_interarea_flows"]
    assert set(o.loc[o.exporter_code == "RUS", "exporter"]) == {"Russia", "Russian Federation"}
    assert o.loc[o.edition == "2026", "year"].unique().tolist() == [2025]


def test_parser_agrees_with_bp_2022_narrow_parquet(tables) -> None:
    # Independent cross-check: the bp 2022 narrow dataset (same edition, other repository)
    pytest.importorskip("pyarrow")
    narrow = pd.read_parquet(PARQUET)
    checks = [
        ("Kazakhstan", "oilprod_kbd", "oil_production", "kbd", "KAZ"),
        ("Russian Federation", "gasprod_bcm", "gas_production", "bcm", "RUS"),
        ("China", "coalcons_ej", "coal_consumption", "ej", "CHN"),
        ("Kazakhstan", "oilreserves_bbl", "oil_reserves", "bn_bbl", "KAZ"),
    ]
    for country, var, variable, unit, code in checks:
        n = narrow[(narrow.Country == country) & (narrow.Var == var) & (narrow.Year >= 2010)]
        assert len(n) > 5, (country, var)
        for year, value in zip(n.Year, n.Value, strict=True):
            ours = _series(tables, "2022", code, variable, unit, int(year))
            # rounding to 6 decimals in curation only
            assert ours == pytest.approx(float(value), rel=1e-6, abs=1e-6), (var, year)


def test_brent_and_fx(tables) -> None:
    b = tables["brent_annual"].set_index("year")
    assert b.index.min() == 1987 and b.index.max() == 2025
    assert bool(b.loc[1987, "partial_year"]) and not b.loc[1988:, "partial_year"].any()
    assert b.loc[1987, "brent_usd_per_bbl"] == pytest.approx(18.53)
    # agrees with the EI 2026 Brent column within 0.39 USD/bbl (PROVENANCE §5)
    derived = pd.read_csv(RAW / "energy/derived/brent_annual_usd_per_bbl.csv").set_index("year")
    ei_col = derived["ei2026_brent_dated_usd_bbl"].reindex(b.index)
    assert (b["brent_usd_per_bbl"] - ei_col).abs().max() <= 0.39 + 1e-9

    fx = tables["fx_official_rates"].set_index(["country_iso3", "year"])["rate_lcu_per_usd"]
    kzt = {
        2014: 179.19,
        2015: 221.73,
        2016: 342.16,
        2019: 382.75,
        2020: 412.95,
        2021: 425.91,
        2022: 460.17,
        2023: 456.17,
    }  # PROVENANCE §4
    for year, expected in kzt.items():
        assert fx.loc[("KAZ", year)] == pytest.approx(expected, abs=0.006)
    tkm_years = fx.loc["TKM"].index
    assert tkm_years.min() == 1994 and tkm_years.max() == 2001
    assert 2024 not in fx.index.get_level_values("year")
