"""Ledger metrics of chapter 1 (C01–C19) on hand-made frames; expected values by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from kzanalysis.claims import metrics_energy as me
from kzanalysis.claims import metrics_trade as mt
from kzanalysis.claims.ledger import metrics
from kzanalysis.claims.model import VERDICTS, ClaimsError, load_claims
from kzanalysis.curate.energy import UNIT_COLUMNS

# --- builders in the curated schemas --------------------------------------------------


def series(rows: list[tuple], edition: str = "2024") -> pd.DataFrame:
    """``energy_series`` rows from (entity_code, kind, variable, unit, year, value)."""
    records = []
    for code, kind, variable, unit, year, value in rows:
        rec = {
            "edition": edition,
            "entity_code": code,
            "entity": code,
            "entity_kind": kind,
            "variable": variable,
            "unit": unit,
            "year": year,
            "source": "test",
        }
        rec.update({col: math.nan for col in UNIT_COLUMNS.values()})
        rec[UNIT_COLUMNS[unit]] = value
        records.append(rec)
    return pd.DataFrame.from_records(records)


def matrix(rows: list[tuple], value_col: str, edition: str, year: int) -> pd.DataFrame:
    """Pipeline or crude matrix rows from (exporter, exp_kind, importer, imp_kind, value)."""
    return pd.DataFrame.from_records(
        [
            {
                "edition": edition,
                "year": year,
                "exporter": ex,
                "exporter_code": ex,
                "exporter_kind": ek,
                "importer": im,
                "importer_code": im,
                "importer_kind": ik,
                value_col: v,
                "source": "test",
            }
            for ex, ek, im, ik, v in rows
        ]
    )


def products(rows: list[tuple]) -> pd.DataFrame:
    """``trade_products_hs4`` rows from (partner, flow, year, code, value, incomplete)."""
    return pd.DataFrame.from_records(
        [
            {
                "source": "wits_hs4",
                "reporter_iso3": "KAZ",
                "partner_iso3": p,
                "partner_name": p,
                "flow": f,
                "year": y,
                "hs_nomenclature": "H4",
                "product_code": c,
                "value_usd_mn": v,
                "incomplete_year": inc,
            }
            for p, f, y, c, v, inc in rows
        ]
    )


def flows(rows: list[tuple]) -> pd.DataFrame:
    """``trade_partner_flows`` rows (reporter KAZ) from (source, partner, flow, year, value)."""
    return pd.DataFrame.from_records(
        [
            {
                "source": s,
                "reporter_iso3": "KAZ",
                "partner_code": p,
                "partner_kind": "group" if p == "WLD" else "country",
                "partner_name": p,
                "flow": f,
                "year": y,
                "value_usd_mn": v,
                "estimate_flag": False,
            }
            for s, p, f, y, v in rows
        ]
    )


def trade_rows(source: str, year: int, values: dict[str, tuple[float, float]]) -> list[tuple]:
    """Rows for one year: partner → (exports, imports)."""
    out = []
    for partner, (ex, im) in values.items():
        out += [(source, partner, "export", year, ex), (source, partner, "import", year, im)]
    return out


# --- registry ---------------------------------------------------------------------------


def test_chapter1_metrics_are_registered() -> None:
    names = set(metrics())
    assert set(me.METRICS) | set(mt.METRICS) <= names
    assert {
        "energy.eaeu_world_share",
        "energy.oil_reserves",
        "energy.combined_producer_rank",
        "energy.largest_importer",
        "energy.coal_share",
        "energy.pipeline_flow",
        "energy.crude_flow_kbd",
        "energy.crude_transit_proxy",
        "trade.hs_export_value",
        "trade.hs_export_ratio",
        "trade.rival_lead",
        "trade.union_trade_change",
    } <= names


def test_edition_label_names_publisher_and_data_year() -> None:
    assert me.edition_label("2021") == "bp Statistical Review of World Energy 2021, data to 2020"
    assert me.edition_label("2026").endswith("data to 2025, third-party JSON extraction")


# --- C01–C03 ----------------------------------------------------------------------------

SHARE_ROWS = [
    ("RUS", "country", "oil_production", "mt", 2016, 500.0),
    ("KAZ", "country", "oil_production", "mt", 2016, 100.0),
    ("CIS_OTHER", "area", "oil_production", "mt", 2016, 10.0),
    ("WLD", "total", "oil_production", "mt", 2016, 4000.0),
    ("RUS", "country", "oil_production", "mt", 2017, 520.0),
    ("KAZ", "country", "oil_production", "mt", 2017, 80.0),
    ("WLD", "total", "oil_production", "mt", 2017, 5000.0),
]


def test_group_world_share_lower_and_upper_bound() -> None:
    frame = series(SHARE_ROWS).rename(columns={"value_mt": "value"})
    res = me.group_world_share(frame, ["ARM", "BLR", "KAZ", "KGZ", "RUS"], 2016)
    assert res.itemised == ("KAZ", "RUS") and res.missing == ("ARM", "BLR", "KGZ")
    assert res.share_pct == pytest.approx(15.0)  # 600 / 4000
    assert res.upper_pct == pytest.approx(15.25)  # 610 / 4000
    with pytest.raises(ValueError, match="no world total"):
        me.group_world_share(frame, ["RUS"], 2015)


def test_eaeu_world_share_measurement() -> None:
    (m,) = me.measure_eaeu_world_share(
        series(SHARE_ROWS),
        variable="oil_production",
        unit="mt",
        year=2016,
        edition="2024",
        context_years=[2017],
    )
    assert m.value == 15.0
    assert "KAZ + RUS = 600.0 of world 4,000.0 Mt" in m.evidence and "2024" in m.evidence
    assert "ARM, BLR, KGZ" in m.note and "15.25 %" in m.note
    assert "2017: 12.00 %" in m.note  # 600 / 5000


# --- C04–C06 ----------------------------------------------------------------------------

RESERVES = [
    ("VEN", "country", "oil_reserves", "bn_bbl", 2020, 300.0),
    ("RUS", "country", "oil_reserves", "bn_bbl", 2020, 100.0),
    ("USA", "country", "oil_reserves", "bn_bbl", 2020, 60.0),
    ("KAZ", "country", "oil_reserves", "bn_bbl", 2020, 30.0),
    ("AZE", "country", "oil_reserves", "bn_bbl", 2020, 7.0),
    ("CIS_OTHER", "area", "oil_reserves", "bn_bbl", 2020, 50.0),
    ("WLD", "total", "oil_reserves", "bn_bbl", 2020, 1700.0),
]


@pytest.mark.parametrize(
    ("measure", "expected"), [("value", 30.0), ("world_rank", 4), ("cis_rank", 2)]
)
def test_oil_reserves_value_and_ranks(measure: str, expected: float) -> None:
    frame = pd.concat([series(RESERVES, "2026"), series(RESERVES, "2024")])
    (m,) = me.measure_oil_reserves(
        frame, country="KAZ", edition="2026", year=2020, measure=measure, cross_editions=["2024"]
    )
    assert m.value == expected
    assert "world rank 4 of 5 countries, CIS rank 2 of 3" in m.evidence  # area not ranked
    assert "2024: 30.0 bn bbl, world 4, CIS 2" in m.note


def test_oil_reserves_rejects_unknown_measure() -> None:
    with pytest.raises(ValueError, match="measure"):
        me.measure_oil_reserves(
            series(RESERVES), country="KAZ", edition="2024", year=2020, measure="share"
        )


# --- C07 --------------------------------------------------------------------------------

PRODUCERS = [
    ("USA", "country", "oil_production", "mt", 2021, 100.0),
    ("USA", "country", "gas_production", "ej", 2021, 30.0),
    ("RUS", "country", "oil_production", "mt", 2021, 200.0),
    ("RUS", "country", "gas_production", "ej", 2021, 20.0),
    ("SAU", "country", "oil_production", "mt", 2021, 300.0),
    ("WLD", "total", "oil_production", "mt", 2021, 4000.0),
    ("WLD", "total", "gas_production", "ej", 2021, 140.0),
]


def test_combined_oil_gas_ej_converts_oil_from_mt() -> None:
    frame, method = me.combined_oil_gas_ej(series(PRODUCERS, "2026"), "2026", 2021)
    v = frame.set_index("entity_code")["value_ej"]
    assert v["USA"] == pytest.approx(100 * 0.041868 + 30)  # 34.1868
    assert v["RUS"] == pytest.approx(200 * 0.041868 + 20)  # 28.3736
    assert v["SAU"] == pytest.approx(300 * 0.041868)  # oil only: 12.5604
    assert "converted from Mt" in method


def test_combined_producer_rank() -> None:
    (m,) = me.measure_combined_producer_rank(
        series(PRODUCERS, "2026"), country="RUS", edition="2026", years=[2021]
    )
    assert m.value == 2  # behind the US; the world total is not a country
    assert "rank 2 of 3 countries" in m.evidence and "first: US 34.19 EJ" in m.evidence


# --- C08 --------------------------------------------------------------------------------


def test_import_rank_is_established_only_above_every_area() -> None:
    frame = pd.DataFrame(
        {
            "entity_code": ["CHN", "USA", "REG_EUROPE"],
            "entity_kind": ["country", "country", "area"],
            "value": [100.0, 50.0, 80.0],
        }
    )
    res = me.import_rank(frame, "CHN", 2020)
    assert (res.rank, res.n, res.established) == (1, 2, True)
    assert res.runner_up == ("US", 50.0)
    frame.loc[2, "value"] = 120.0
    res = me.import_rank(frame, "CHN", 2020)
    assert res.rank == 1 and not res.established
    m = me._import_measurement(res, "CHN", "crude oil imports", "Mt", "t", "2021")
    assert m.value is None and "not measurable" in m.note


def test_gas_importers_adds_pipeline_and_lng() -> None:
    pipes = matrix(
        [
            ("TOTAL", "total", "CHN", "country", 40.0),
            ("TOTAL", "total", "DEU", "country", 90.0),
            ("TOTAL", "total", "OTHER_EU", "area", 50.0),
            ("RUS", "country", "CHN", "country", 10.0),
        ],
        "flow_bcm",
        "2021",
        2020,
    )
    lng = series(
        [
            ("CHN", "country", "gas_lng_imports", "bcm", 2020, 60.0),
            ("JPN", "country", "gas_lng_imports", "bcm", 2020, 80.0),
        ],
        "2021",
    )
    gas = me.gas_importers(pipes, lng, 2020).set_index("entity_code")
    assert gas.loc["CHN", "value"] == 100.0  # 40 + 60
    assert gas.loc["DEU", "value"] == 90.0 and gas.loc["JPN", "value"] == 80.0
    assert gas.loc["OTHER_EU", "entity_kind"] == "area"
    crude = matrix(
        [
            ("TOTAL", "total", "CHN", "country", 500.0),
            ("TOTAL", "total", "USA", "country", 300.0),
            ("TOTAL", "total", "REG_EUROPE", "area", 450.0),
        ],
        "flow_mt",
        "2021",
        2020,
    )
    crude_m, gas_m = me.measure_largest_importer(crude, pipes, lng, country="CHN", years=[2020])
    assert crude_m.value == 1 and gas_m.value == 1
    assert "largest other: US 300.0 Mt" in crude_m.evidence
    assert "pipeline 40.0 + LNG 60.0 bcm" in gas_m.note


# --- C09 --------------------------------------------------------------------------------


def test_coal_share_and_last_year_at_threshold() -> None:
    rows = []
    for year, coal in ((2008, 73.0), (2012, 71.0), (2019, 57.0)):
        rows += [
            ("CHN", "country", "coal_consumption", "ej", year, coal),
            ("CHN", "country", "primary_energy_consumption", "ej", year, 100.0),
            ("CHN", "country", "electricity_generation", "twh", year, 200.0),
            ("CHN", "country", "electricity_generation_coal", "twh", year, 130.0),
        ]
    (m,) = me.measure_coal_share(
        series(rows, "2024"), country="CHN", edition="2024", year=2019, threshold=72
    )
    assert m.value == 57.0
    assert "last year at or above 72 %: 2008" in m.note
    assert "electricity generation in 2019: 65.0 %" in m.note  # 130 / 200


# --- C13–C14 ----------------------------------------------------------------------------


def test_pipeline_flow_reads_the_cell_and_lists_years() -> None:
    pipes = pd.concat(
        [
            matrix([("RUS", "country", "CHN", "country", 7.5)], "flow_bcm", "2022", 2021),
            matrix([("RUS", "country", "CHN", "country", 36.0)], "flow_bcm", "2026", 2025),
        ]
    )
    (m,) = me.measure_pipeline_flow(
        pipes, exporter="RUS", importer="CHN", year=2021, edition="2022"
    )
    assert m.value == 7.5
    assert "2021: 7.5, 2025: 36.0" in m.note
    (missing,) = me.measure_pipeline_flow(
        pipes, exporter="RUS", importer="CHN", year=2024, edition="2025"
    )
    assert missing.value is None and "no Russia → China value" in missing.evidence


# --- C15, C19 ---------------------------------------------------------------------------

CRUDE = matrix(
    [
        ("CIS_OTHER", "area", "CHN", "country", 10.0),
        ("CIS_OTHER", "area", "REG_EUROPE", "area", 60.0),
        ("CIS_OTHER", "area", "USA", "country", 10.0),
        ("CIS_OTHER", "area", "TOTAL", "total", 80.0),
    ],
    "flow_mt",
    "2022",
    2021,
)


def test_crude_flow_kbd_converts_mt_to_kbd() -> None:
    (m,) = me.measure_crude_flow_kbd(
        CRUDE, exporter="CIS_OTHER", importer="CHN", year=2021, edition="2022"
    )
    # 10 Mt/yr × 7.33 bbl/t / 365 d = 200,822 b/d
    assert m.value == pytest.approx(200.8, abs=0.05)
    assert "10.00 Mt = 201 kb/d" in m.evidence and "capacity" in m.note


def test_crude_transit_proxy_is_untestable_with_context() -> None:
    (m,) = me.measure_crude_transit_proxy(CRUDE, exporter="CIS_OTHER", year=2021, edition="2022")
    assert m.value is None
    assert "to Europe 60.0 of 80.0 Mt = 75.0 %" in m.evidence  # context only
    assert "not a transit share" in m.note and "Would need" in m.note


# --- C10, C11, C16 ----------------------------------------------------------------------

PRODUCTS = products(
    [
        ("CHN", "export", 2015, "2711", 100.0, False),
        ("CHN", "export", 2020, "2711", 1450.0, True),
        ("CHN", "export", 2020, "2709", 1194.0, True),
        ("CHN", "export", 2017, "1001", 50.0, False),
        ("CHN", "export", 2018, "1001", 150.0, False),
        ("WLD", "export", 2018, "1001", 900.0, False),
    ]
)


def test_hs_export_value_per_year() -> None:
    m2014, m2020 = mt.measure_hs_export_value(PRODUCTS, code="2711", years=[2014, 2020])
    assert m2014.value is None and "not covered" in m2014.evidence
    assert m2020.value == 1450.0 and "incomplete" in m2020.note
    (absent,) = mt.measure_hs_export_value(PRODUCTS, code="2709", years=[2015])
    assert absent.value is None and "absent" in absent.evidence


def test_hs_export_ratio() -> None:
    (m,) = mt.measure_hs_export_ratio(PRODUCTS, code="1001", start=2017, end=2018)
    assert m.value == 3.0  # 150 / 50
    (gap,) = mt.measure_hs_export_ratio(PRODUCTS, code="2711", start=2014, end=2015)
    assert gap.value is None and "absent in 2014" in gap.note


# --- C17 --------------------------------------------------------------------------------

RIVALS = flows(
    trade_rows("imf_dots", 2019, {"CHN": (1e4, 5e3), "RUS": (8e3, 9e3), "WLD": (5e4, 4e4)})
    + trade_rows("imf_dots", 2020, {"CHN": (12e3, 6e3), "RUS": (9e3, 8e3), "WLD": (5e4, 4e4)})
    + trade_rows("kz_bns", 2020, {"CHN": (11e3, 6e3), "RUS": (1e4, 9e3), "WLD": (52e3, 41e3)})
    + trade_rows("kz_bns", 2021, {"CHN": (2e4, 1e4), "RUS": (1e4, 1e4), "WLD": (6e4, 5e4)})
)


def test_rival_lead_uses_the_preferred_source() -> None:
    m2020, latest = mt.measure_rival_lead(
        RIVALS, years=[2020, "latest"], preference="national_first", start_year=2019
    )
    # BNS 2020: China 17 vs Russia 19 (DOTS would say 18 vs 17)
    assert m2020.value is False and "Kazakhstan BNS" in m2020.evidence
    assert "China 17,000.0 vs Russia 19,000.0" in m2020.evidence
    assert latest.value is True and "2021" in latest.evidence  # 30 vs 20
    assert "lasting lead from 2021" in latest.note
    assert "disagree on the leader in 2020" in latest.note
    (dots,) = mt.measure_rival_lead(RIVALS, years=[2020], preference="imf_first", start_year=2019)
    assert dots.value is True and "IMF DOTS" in dots.evidence


def test_source_overlap_lists_both_sources() -> None:
    text, disagree = mt.source_overlap(RIVALS, "CHN", "RUS", "turnover", 2019, 2021, reporter="KAZ")
    assert text == "2020: IMF DOTS 18.0/17.0, Kazakhstan BNS 17.0/19.0"  # US$ bn
    assert disagree == [2020]


def test_years_ahead() -> None:
    comp = pd.DataFrame({"year": [2019, 2020, 2021], "a_ahead": [False, pd.NA, True]})
    assert mt.years_ahead(comp) == [2021]


# --- C18 --------------------------------------------------------------------------------


def test_union_trade_change_with_fixed_members() -> None:
    rows = []
    for year, member, world in ((2014, 10, 200), (2015, 8, 150), (2016, 5, 100)):
        values = {p: (member, member) for p in ("ARM", "BLR", "KGZ", "RUS")}
        rows += trade_rows("imf_dots", year, {**values, "CHN": (20, 20), "WLD": (world, world)})
    m2015, m2016 = mt.measure_union_trade_change(flows(rows), years=[2015, 2016])
    assert m2015.value == -20.0  # 64 vs 80
    assert m2016.value == -50.0  # 40 vs 80
    assert "ARM, BLR, KGZ, RUS" in m2015.evidence and "IMF DOTS" in m2015.evidence
    assert "-25.0 %" in m2015.note and "20.0 % to 21.3 %" in m2015.note
    assert "not specific to the Union" in m2015.note


# --- metric wrappers load the curated tables --------------------------------------------


def test_metric_wrappers_load_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    tables = {"trade_products_hs4": PRODUCTS, "energy_crude_interarea_flows": CRUDE}
    monkeypatch.setattr("kzanalysis.datasets.load", lambda name, data_dir=None: tables[name])
    (m,) = mt.hs_export_ratio(code="1001", start=2017, end=2018)
    assert m.value == 3.0
    (k,) = me.crude_flow_kbd(exporter="CIS_OTHER", importer="CHN", year=2021, edition="2022")
    assert k.value == pytest.approx(200.8, abs=0.05)


# --- the real data ----------------------------------------------------------------------

CH1_IDS = {f"C{i:02d}" for i in range(1, 20)}


@pytest.mark.integration
def test_chapter1_claims_evaluate_on_real_data(committed_ledger) -> None:
    try:
        claims = [c for c in load_claims() if c.id in CH1_IDS]
    except ClaimsError as exc:
        pytest.skip(f"no ledger: {exc}")
    if {c.id for c in claims} != CH1_IDS:
        pytest.skip("data/claims.yaml does not hold C01–C19 yet")
    # evaluated once per run with every other claim (tests/conftest.py): a claim's result
    # does not depend on the others evaluated with it
    results = [r for r in committed_ledger["results"] if r.claim.id in CH1_IDS]
    assert [r.claim.id for r in results] == [c.id for c in claims]
    errors = {r.claim.id: r.error for r in results if r.error}
    assert not errors
    assert all(r.verdict in VERDICTS for r in results)
    for r in results:
        for p in r.parts:
            assert p.measurement.evidence
