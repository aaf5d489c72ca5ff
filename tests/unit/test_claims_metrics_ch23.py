"""Ledger metrics of chapters 2 and 3 (C20–C38) on hand-made frames; expected values by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from kzanalysis.claims import metrics_arms as ma
from kzanalysis.claims import metrics_polls as mp
from kzanalysis.claims.ledger import metrics
from kzanalysis.claims.model import VERDICTS, ClaimsError, load_claims

NEW, OLD = "2026-05-18", "2025-03-13"  # bundled editions: last delivery years 2025, 2024

# --- builders in the curated schemas --------------------------------------------------

_NAMES = {
    "RUS": "Russia",
    "CHN": "China",
    "UKR": "Ukraine",
    "ISR": "Israel",
    "USA": "United States",
    "ZAF": "South Africa",
    "ESP": "Spain",
    "FRA": "France",
    "TUR": "Turkiye",
}


def deal(
    supplier: str,
    recipient: str,
    delivery_years: str | None,
    tiv: float,
    *,
    edition: str = NEW,
    order_year: int | None = None,
    designation: str = "X-1",
    description: str = "thing",
    ordered: int | None = 1,
    delivered: int | None = 1,
    comments: str | None = None,
    status: str = "New",
) -> dict:
    """One ``arms_deals`` row (deal_id filled in by :func:`deals`)."""
    first = int(delivery_years.split(";")[0]) if delivery_years else None
    return {
        "edition": edition,
        "recipient_iso3": recipient,
        "recipient": recipient,
        "supplier_iso3": supplier,
        "supplier": _NAMES.get(supplier, supplier),
        "supplier_kind": "state",
        "order_year": order_year if order_year is not None else first,
        "order_year_uncertain": False,
        "ordered_count": ordered,
        "ordered_count_uncertain": False,
        "designation": designation,
        "description": description,
        "delivered_count": delivered,
        "delivered_count_uncertain": False,
        "delivery_years": delivery_years,
        "status": status,
        "comments": comments,
        "tiv_per_unit_mn": tiv,
        "order_tiv_mn": tiv,
        "delivered_tiv_mn": tiv,
        "source": "test",
    }


def deals(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    frame.insert(1, "deal_id", [f"d{i}" for i in range(len(frame))])
    return frame.astype(
        {"ordered_count": "Int64", "delivered_count": "Int64", "order_year": "Int64"}
    )


# --- C20: Kazakhstan's part of Russia's deliveries to the region ----------------------


def test_recipient_share_of_supplier_by_period_with_other_edition() -> None:
    frame = deals(
        [
            deal("RUS", "KAZ", "2000", 60),
            deal("RUS", "UZB", "2000", 40),
            deal("RUS", "KAZ", "2022", 100),
            deal("CHN", "KAZ", "2016", 10),  # not Russia's
            deal("RUS", "KAZ", "2000", 30, edition=OLD),
            deal("RUS", "UZB", "2000", 70, edition=OLD),
        ]
    )
    to2021, latest = ma.measure_recipient_share_of_supplier(
        frame, None, periods=[[1992, 2021], [1992, "latest"]], edition=NEW
    )
    assert to2021.value == 60.0  # 60 / (60 + 40)
    assert latest.value == 80.0  # 160 / 200
    assert "1992–2025" in latest.evidence and NEW in latest.evidence
    assert "not a price" in to2021.note
    assert f"edition {OLD}, 1992–2021: 30.00 %" in to2021.note


def test_recipient_share_without_deliveries_is_none() -> None:
    frame = deals([deal("CHN", "KAZ", "2016", 10)])
    (m,) = ma.measure_recipient_share_of_supplier(frame, None, periods=[[1992, 2021]])
    assert m.value is None


def test_period_outside_the_edition_is_an_error() -> None:
    frame = deals([deal("RUS", "KAZ", "2000", 60)])
    with pytest.raises(ClaimsError, match="outside edition"):
        ma.measure_recipient_share_of_supplier(frame, None, periods=[[1992, 2030]])
    with pytest.raises(ClaimsError, match="not bundled"):
        ma.measure_recipient_share_of_supplier(frame, None, periods=[[1992, 2000]], edition="x")


# --- C21, C23: a supplier's share -----------------------------------------------------


def test_supplier_share_of_one_recipient_and_peak_window() -> None:
    frame = deals([deal("RUS", "KAZ", "2010", 90), deal("CHN", "KAZ", "2016", 10)])
    early, latest = ma.measure_supplier_share(
        frame, None, supplier="CHN", recipient="KAZ", periods=[[1992, 2015], [1992, "latest"]]
    )
    assert early.value == 0.0
    assert latest.value == 10.0  # 10 / 100
    assert "China 10.0 of 100.0 TIV mn" in latest.evidence
    # the first rolling 5-year window with 2016 but without 2010 is 2012–2016: China 100 %
    assert "highest share in any rolling 5-year window: 100.00 % (2012–2016)" in latest.note


def test_supplier_share_of_the_region_spreads_multi_year_deals() -> None:
    frame = deals(
        [
            deal("RUS", "KAZ", "2012", 60),
            deal("TUR", "UZB", "2012", 40),
            deal("RUS", "TKM", "2019; 2020", 100),  # even split: 50 in 2020
            deal("CHN", "TKM", "2020", 50),
        ]
    )
    decade, year = ma.measure_supplier_share(
        frame, None, supplier="RUS", recipient="CA5", periods=[[2011, 2018], [2020, 2020]]
    )
    assert decade.value == 60.0
    assert year.value == 50.0  # 50 of 100
    assert "five Central Asian states" in decade.evidence


# --- C22: ranking with Europe grouped -------------------------------------------------


def _ranking_deals() -> pd.DataFrame:
    return deals(
        [
            deal("RUS", "KAZ", "2000", 100),
            deal("ESP", "KAZ", "2001", 20),
            deal("FRA", "KAZ", "2002", 15),  # Europe = 35
            deal("UKR", "KAZ", "2003", 30),
            deal("ISR", "KAZ", "2004", 25),
            deal("ZAF", "KAZ", "2005", 22),
            deal("USA", "KAZ", "2006", 21),
            deal("CHN", "KAZ", "2016", 5),
        ]
    )


def test_grouped_ranking_parts() -> None:
    top, ahead, rank = ma.measure_grouped_ranking(
        _ranking_deals(), None, named=["RUS", "Europe", "UKR", "ISR", "USA"], top=5
    )
    assert top.value == "Russia, Europe, Ukraine, Israel, South Africa"
    assert ahead.value is True
    assert rank.value == 7
    assert "2. Europe 35.0" in top.evidence and "United States 6" in ahead.evidence


def test_grouped_ranking_named_supplier_missing_is_not_ahead() -> None:
    _, ahead, _ = ma.measure_grouped_ranking(_ranking_deals(), None, named=["RUS", "TUR"])
    assert ahead.value is False


# --- C24: shift-share -----------------------------------------------------------------


def test_shift_share_parts_per_pair() -> None:
    frame = deals(
        [
            deal("RUS", "KAZ", "2010", 50),
            deal("UKR", "UZB", "2011", 20),
            deal("TUR", "TKM", "2012", 20),
            deal("ESP", "KAZ", "2013", 10),
            deal("RUS", "KAZ", "2015", 50),
            deal("CHN", "TKM", "2016", 40),
            deal("TUR", "TKM", "2017", 5),
            deal("FRA", "KAZ", "2018", 5),
        ]
    )
    china, russia, lost = ma.measure_shift_share(
        frame, None, pairs=[[[2009, 2013], [2014, 2018]]], named=["TUR", "UKR", "ESP", "FRA"]
    )
    assert china.value == 40.0
    assert russia.value == 0.0
    assert lost.value == 3  # Ukraine -20, Turkiye -15, Spain -10; France +5
    assert "Turkiye, Ukraine, Spain (3 of 4)" in lost.evidence
    assert "France +5.0 pp" in lost.note and "Russia bears 0.0 %" in lost.note


# --- C25: first delivery --------------------------------------------------------------


def test_first_delivery_with_order_year_and_totals_table() -> None:
    frame = deals(
        [
            deal("RUS", "KAZ", "2000", 50),
            deal("CHN", "KAZ", "2016", 9, order_year=2015),
            deal("CHN", "KAZ", "2025", 2, order_year=2023),
            deal("CHN", "KAZ", "2016", 9, order_year=2015, edition=OLD),
        ]
    )
    totals = pd.DataFrame(
        {
            "edition": ["t"] * 2,
            "recipient_iso3": ["KAZ", "UZB"],
            "year": [2016, 2014],
            "tiv_mn": [11.0, 5.0],
        }
    )
    (m,) = ma.measure_first_delivery(frame, None, totals)
    assert m.value == 2016
    assert "first order year 2015" in m.note
    assert f"edition {OLD}: first delivery 2016" in m.note
    assert "first lists KAZ in 2016" in m.note


def test_first_delivery_none_without_deliveries() -> None:
    (m,) = ma.measure_first_delivery(deals([deal("RUS", "KAZ", "2000", 5)]), None, None)
    assert m.value is None


# --- C26–C30: deal lookups ------------------------------------------------------------


def _register() -> pd.DataFrame:
    su = {"designation": "Su-30MK", "comments": "Su-30SM version"}
    return deals(
        [
            deal("RUS", "KAZ", "2015", 220, order_year=2014, ordered=4, delivered=4, **su),
            deal(
                "RUS", "KAZ", "2016; 2017; 2018", 440, order_year=2015, ordered=8, delivered=8, **su
            ),
            deal("RUS", "KAZ", "2019; 2020", 660, order_year=2018, ordered=12, delivered=12, **su),
            deal("RUS", "KAZ", "2023", 440, order_year=2021, ordered=12, delivered=8, **su),
            deal(
                "RUS",
                "KAZ",
                "2015",
                85,
                order_year=2013,
                ordered=5,
                delivered=5,
                designation="S-300PS",
                comments="Second-hand; aid as part of a network",
                status="Second hand",
            ),
            deal(
                "RUS",
                "KAZ",
                "2015",
                80,
                order_year=2013,
                ordered=200,
                delivered=200,
                designation="5V55U",
                comments="aid; for S-300PS systems",
            ),
            deal(
                "ESP",
                "KAZ",
                "2013",
                30,
                designation="C-295",
                description="transport aircraft",
                ordered=2,
                delivered=2,
            ),
            deal(
                "RUS",
                "KAZ",
                "2015",
                220,
                order_year=2014,
                ordered=4,
                delivered=4,
                edition=OLD,
                **su,
            ),
        ]
    )


def test_deal_lookup_su30_orders_by_window() -> None:
    recent, window, delivered = ma.measure_deal_lookup(
        _register(),
        lookup="Su-30SM",
        measures=[
            {"stat": "latest_order", "order_years": [1992, 2021]},
            {"stat": "ordered", "order_years": [2015, 2018]},
            {"stat": "delivered"},
        ],
    )
    assert recent.value == 12  # the 2021 order
    assert window.value == 20  # 8 (2015) + 12 (2018)
    assert delivered.value == 32  # 4 + 8 + 12 + 8
    assert "Su-30MK: ordered 12 (2021), delivered 8 (2023)" in recent.evidence
    assert f"edition {OLD}: 4" in delivered.note  # the other edition holds one deal


def test_deal_lookup_s300_designation_aid_and_years() -> None:
    measures = [
        {"stat": "ordered", "designation": "^S-300PS$"},
        {"stat": "ordered"},
        {"stat": "aid", "designation": "^S-300PS$"},
        {"stat": "order_year", "designation": "^S-300PS$"},
        {"stat": "first_delivery_year", "designation": "^S-300PS$"},
    ]
    systems, everything, aid, ordered, delivered = ma.measure_deal_lookup(
        _register(), lookup="S-300PS", measures=measures
    )
    assert systems.value == 5
    assert everything.value == 5  # the chapter's lookup does not match the 5V55U missiles
    assert aid.value is True
    assert (ordered.value, delivered.value) == (2013, 2015)


def test_deal_lookup_absent_deal_counts_zero_and_notes_coverage() -> None:
    count, year, usd = ma.measure_deal_lookup(
        _register(),
        lookup="Y-8",
        coverage="transport aircraft",
        measures=[{"stat": "ordered"}, {"stat": "order_year"}, {"stat": "usd_value"}],
    )
    assert count.value == 0
    assert year.value is None and usd.value is None
    assert "no deal" in count.evidence
    assert "0 for any Central Asian state in all bundled editions" in count.note
    assert "1 deal(s) for KAZ (Spain C-295)" in count.note
    assert "SIPRI records no prices" in usd.note


def test_deal_lookup_pattern_override_and_errors() -> None:
    frame = deals([deal("RUS", "KAZ", "2017", 17.5, description="MCM ship", order_year=2013)])
    (chapter,) = ma.measure_deal_lookup(
        frame, lookup="Minesweepers", measures=[{"stat": "ordered"}]
    )
    (narrower,) = ma.measure_deal_lookup(
        frame,
        lookup="Minesweepers",
        pattern=r"minesweeper",
        measures=[{"stat": "ordered"}],
    )
    assert (chapter.value, narrower.value) == (1, 0)  # 'MCM ship' (SIPRI 2025 edition)
    with pytest.raises(ClaimsError, match="unknown deal lookup"):
        ma.measure_deal_lookup(frame, lookup="Tu-160", measures=[{"stat": "ordered"}])
    with pytest.raises(ClaimsError, match="unknown deal statistic"):
        ma.measure_deal_lookup(frame, lookup="Minesweepers", measures=[{"stat": "price"}])


def test_deal_stat_on_empty_and_missing_counts() -> None:
    empty = pd.DataFrame(
        columns=["ordered_count", "delivered_count", "order_year", "delivery_years", "aid"]
    )
    assert ma.deal_stat(empty, "deals") == 0
    assert ma.deal_stat(empty, "latest_order") == 0
    assert ma.deal_stat(empty, "aid") is None
    found = pd.DataFrame(
        {
            "ordered_count": pd.array([None, 3], dtype="Int64"),
            "delivered_count": pd.array([3, 0], dtype="Int64"),
            "order_year": pd.array([2023, 2023], dtype="Int64"),
            "delivery_years": ["2025", None],
            "aid": [False, True],
        }
    )
    assert ma.deal_stat(found, "ordered") == 3
    assert ma.deal_stat(found, "latest_order") == 3
    assert ma.deal_stat(found, "aid") is False
    assert ma.deal_stat(found, "first_delivery_year") == 2025


# --- polls: soft-power indicators (C32, C34) ------------------------------------------


def indicator(
    ind: str,
    year: int,
    group: str,
    value: float,
    *,
    source: str = "s1",
    unit: str = "% of population",
    col: str = "value_pct",
) -> dict:
    row = {
        "indicator": ind,
        "year": year,
        "country_iso3": "KAZ",
        "country": "Kazakhstan",
        "region": None,
        "group": group,
        "value_pct": math.nan,
        "value_persons": math.nan,
        "value_students": math.nan,
        "unit_original": unit,
        "derived": False,
        "source_title": f"title {source}",
        "source_publisher": f"publisher {source}",
        "source_url": "https://example.org",
        "note": None,
        "source": source,
    }
    row[col] = value
    return row


INDICATOR_ROWS = pd.DataFrame(
    [
        indicator("ethnic_share_census", 1999, "Russians", 29.9),
        indicator("ethnic_share_census", 2021, "Russians", 15.54),
        indicator(
            "ethnic_count_census",
            2021,
            "Russians",
            2981946,
            source="a",
            unit="persons",
            col="value_persons",
        ),
        indicator(
            "ethnic_count_census",
            2021,
            "Russians",
            2900000,
            source="b",
            unit="persons",
            col="value_persons",
        ),
    ]
)


def test_indicator_values_missing_year_is_none() -> None:
    y2009, y2021 = mp.measure_indicator_values(
        INDICATOR_ROWS,
        selectors=[
            {"indicator": "ethnic_share_census", "year": 2009, "group": "Russians"},
            {"indicator": "ethnic_share_census", "year": 2021, "group": "Russians"},
        ],
    )
    assert y2009.value is None and "not in the data" in y2009.evidence
    assert "1999: 29.9, 2021: 15.54" in y2009.note
    assert y2021.value == 15.54 and "title s1" in y2021.evidence


def test_indicator_values_interpolate_between_observations_or_say_not_testable() -> None:
    y2014, y2025, y1990 = mp.measure_indicator_values(
        INDICATOR_ROWS,
        selectors=[
            {
                "indicator": "ethnic_share_census",
                "year": y,
                "group": "Russians",
                "interpolate": True,
            }
            for y in (2014, 2025, 1990)
        ],
    )
    # 29.9 + (15.54 − 29.9) · (2014 − 1999) / (2021 − 1999) = 20.109…
    assert y2014.value == pytest.approx(29.9 + (15.54 - 29.9) * 15 / 22, abs=0.005)
    assert "interpolated linearly between 1999 (29.9) and 2021 (15.54), not observed" in (
        y2014.evidence
    )
    assert y2025.value is None and "not testable for that year" in y2025.evidence
    assert y1990.value is None and "not testable for that year" in y1990.evidence


def test_indicator_values_ambiguous_needs_source() -> None:
    sel = {"indicator": "ethnic_count_census", "year": 2021, "group": "Russians"}
    with pytest.raises(ClaimsError, match="give 'source'"):
        mp.measure_indicator_values(INDICATOR_ROWS, selectors=[sel])
    (m,) = mp.measure_indicator_values(INDICATOR_ROWS, selectors=[{**sel, "source": "b"}])
    assert m.value == 2900000


# --- polls: students abroad (C33) -----------------------------------------------------


def test_students_abroad_destination_and_derived_total() -> None:
    flows = pd.DataFrame(
        {
            "year": [2018, 2018, 2018, 2019],
            "origin_iso3": ["KAZ"] * 4,
            "dest_iso3": ["RUS", "TUR", None, "RUS"],
            "students": [700.0, 100.0, 50.0, 999.0],
        }
    )
    inbound = pd.DataFrame(
        {"year": [2018], "country_iso3": ["KAZ"], "outbound_derived_students": [1000.0]}
    )
    russia, total = mp.measure_students_abroad(flows, inbound, year=2018)
    assert (russia.value, total.value) == (700, 1000)
    assert "RUS's share of the total: 70.0 %" in russia.note
    assert "of the listed destinations: 82.4 %" in russia.note  # 700 / 850
    assert "sum to 850" in total.note
    no_total_r, no_total_t = mp.measure_students_abroad(flows, inbound, year=2019)
    assert (no_total_r.value, no_total_t.value) == (999, None)
    not_listed, _ = mp.measure_students_abroad(flows, inbound, year=2018, dest="CHN")
    assert not_listed.value is None and "not itemised" in not_listed.evidence
    missing_r, missing_t = mp.measure_students_abroad(flows, inbound, year=2010)
    assert missing_r.value is None and missing_t.value is None


# --- polls: toplines (C36, C37, C38) --------------------------------------------------


def topline(
    question: str,
    option: str,
    share: float,
    year: int | None,
    *,
    survey: str = "S",
    country: str | None = "KAZ",
    secondary: bool = False,
) -> dict:
    return {
        "survey": survey,
        "fieldwork_start": str(year) if year else None,
        "fieldwork_end": str(year) if year else None,
        "fieldwork_year": year,
        "country_iso3": country,
        "country": country or "pooled",
        "population": "adults",
        "subgroup": "all",
        "question_id": question,
        "question_text": "q",
        "option": option,
        "share_pct": share,
        "sample_n": 1000,
        "source_title": "t",
        "source_publisher": "p",
        "source_url": "u",
        "page_or_table": "x",
        "secondary_report": secondary,
        "source": "src",
    }


TOPLINES = pd.DataFrame(
    [
        topline("side", "Russia", 39, 2022, survey="Poll (wave 1)", secondary=True),
        topline("side", "Ukraine", 10, 2022, survey="Poll (wave 1)"),
        topline("side", "Russia", 13, 2022, survey="Poll (wave 2)"),
        topline("approve", "approve", 87, 2008, secondary=True),
        topline("approve", "approve", 55, 2021),
        topline("approve", "approve", 29, 2022),
        topline("approve", "approve", 78, 2018, country=None),  # pooled: not Kazakhstan
        topline("eaeu", "support", 84, 2014),
        topline("eaeu", "support", 74, 2016),
    ]
).astype({"fieldwork_year": "Int64"})


def test_topline_options_by_wave() -> None:
    russia, ukraine, undecided = mp.measure_topline_options(
        TOPLINES, question_id="side", survey="wave 1", options=["Russia", "Ukraine", "undecided"]
    )
    assert (russia.value, ukraine.value, undecided.value) == (39, 10, None)
    assert "(secondary report)" in russia.evidence and "n = 1000" in russia.evidence
    assert "Russia 39 %; Ukraine 10 %" in undecided.note
    with pytest.raises(ClaimsError, match="narrow 'survey'"):
        mp.measure_topline_options(TOPLINES, question_id="side", options=["Russia"])


def test_share_extremes_range_needs_two_years() -> None:
    high, low = mp.measure_share_extremes(
        TOPLINES,
        question_id="approve",
        option="approve",
        stats=["max", "min"],
        first_year=2007,
        last_year=2017,
    )
    assert high.value == 87 and "in 2008" in high.evidence
    assert low.value is None and "two years" in low.evidence
    assert "2021: 55 %" in low.note and "78" not in low.note  # pooled row excluded
    high, low = mp.measure_share_extremes(
        TOPLINES,
        question_id="approve",
        option="approve",
        stats=["max", "min"],
        first_year=2007,
        last_year=2021,
    )
    assert (high.value, low.value) == (87, 55)


def test_share_extremes_lowest_wave_and_errors() -> None:
    (low,) = mp.measure_share_extremes(
        TOPLINES, question_id="eaeu", option="support", stats=["min"]
    )
    assert low.value == 74 and "in 2016" in low.evidence
    (none,) = mp.measure_share_extremes(
        TOPLINES, question_id="eaeu", option="support", stats=["min"], first_year=2020
    )
    assert none.value is None and "no value in the window" in none.evidence
    with pytest.raises(ClaimsError, match="unknown statistic"):
        mp.measure_share_extremes(TOPLINES, question_id="eaeu", option="support", stats=["avg"])


# --- registry and wrappers -------------------------------------------------------------


def test_metrics_are_registered() -> None:
    names = set(metrics())
    assert set(ma.METRICS) <= names and set(mp.METRICS) <= names
    assert all(n.startswith("arms.") for n in ma.METRICS)
    assert all(n.startswith("polls.") for n in mp.METRICS)


def test_metric_wrappers_load_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    tables = {
        "arms_deals": _register(),
        "arms_deliveries": pd.DataFrame({"edition": []}),
        "poll_toplines": TOPLINES,
    }
    monkeypatch.setattr("kzanalysis.datasets.load", lambda name, data_dir=None: tables[name])
    (m,) = ma.deal_lookup(lookup="Su-30SM", measures=[{"stat": "ordered"}])
    assert m.value == 36
    (s,) = ma.supplier_share(supplier="RUS", recipient="KAZ", periods=[[2013, 2013]])
    assert s.value == 0.0  # only Spain delivered in 2013
    (p,) = mp.share_extremes(question_id="eaeu", option="support", stats=["max"])
    assert p.value == 84


# --- the real data ----------------------------------------------------------------------

CH23_IDS = {f"C{i:02d}" for i in range(20, 39)}


@pytest.mark.integration
def test_chapter2_3_claims_evaluate_on_real_data(committed_ledger) -> None:
    try:
        claims = [c for c in load_claims() if c.id in CH23_IDS]
    except ClaimsError as exc:
        pytest.skip(f"no ledger: {exc}")
    if {c.id for c in claims} != CH23_IDS:
        pytest.skip("data/claims.yaml does not hold C20–C38 yet")
    # evaluated once per run with every other claim (tests/conftest.py): a claim's result
    # does not depend on the others evaluated with it
    results = [r for r in committed_ledger["results"] if r.claim.id in CH23_IDS]
    assert [r.claim.id for r in results] == [c.id for c in claims]
    errors = {r.claim.id: r.error for r in results if r.error}
    assert not errors
    assert all(r.verdict in VERDICTS for r in results)
    for r in results:
        for p in r.parts:
            assert p.measurement.evidence
