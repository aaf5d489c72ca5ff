"""Tests of kzanalysis.analysis.synthesis and synthesis_params on hand-made frames.

Every expected leader, tie, coverage count and lead change is computed by hand in the
comment next to its assertion.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from pydantic import ValidationError

from kzanalysis.analysis import synthesis as S
from kzanalysis.analysis.synthesis_params import CA5, SynthesisParams
from kzanalysis.params import MODELS, ParameterError, validate


def pairs(sphere: str, values: dict[int, tuple[float, float]], measure: str = "m") -> pd.DataFrame:
    """Frame rows: year -> (Russia %, China %)."""
    rows = []
    for year, (rus, chn) in values.items():
        rows += S._pair_rows(sphere, year, rus, chn, measure=measure, source="src")
    return S._frame(rows)


def frame(**spheres: dict[int, tuple[float, float]]) -> pd.DataFrame:
    return S.balance_frame([pairs(s, v) for s, v in spheres.items()])


# --- parameters -------------------------------------------------------------------------


def test_params_defaults_and_normalisation():
    p = SynthesisParams(country=" kgz ")
    assert (p.country, p.start_year, p.end_year, p.window, p.tie_band_pp) == (
        "KGZ",
        1996,
        2025,
        5,
        5.0,
    )
    assert MODELS["synthesis"] is SynthesisParams
    assert set(CA5) == {"KAZ", "KGZ", "TJK", "TKM", "UZB"}


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"country": "RUS"}, "not a Central Asian state"),
        ({"country": "CHN"}, "use one of KAZ, KGZ, TJK, TKM, UZB"),
        ({"start_year": 2010, "end_year": 2005}, r"start_year \(2010\) is after end_year \(2005\)"),
        ({"window": 0}, "greater than or equal to 1"),
        ({"window": 11}, "less than or equal to 10"),
        ({"start_year": 1991}, "greater than or equal to 1992"),
        ({"end_year": 2026}, "less than or equal to 2025"),
        ({"tie_band_pp": -0.5}, "greater than or equal to 0"),
    ],
)
def test_params_reject_bad_values_with_clear_messages(values, message):
    with pytest.raises(ValidationError, match=message):
        SynthesisParams(**values)


def test_params_errors_through_the_registry_name_the_parameter():
    with pytest.raises(ParameterError, match=r"parameter 'window' = 0 is not allowed"):
        validate(SynthesisParams, {"window": 0}, "variant 'synthesis-KAZ'")
    with pytest.raises(ParameterError, match=r"start_year \(2020\) is after end_year \(2000\)"):
        validate(SynthesisParams, {"start_year": 2020, "end_year": 2000}, "v")


def test_params_periods_cut_the_last_one():
    p = SynthesisParams(start_year=2000, end_year=2011, window=5)
    assert p.periods == [(2000, 2004), (2005, 2009), (2010, 2011)]
    assert S.periods(2000, 2011, 5) == p.periods
    with pytest.raises(ValueError, match="window must be at least 1"):
        S.periods(2000, 2011, 0)


# --- leaders, ties, coverage ------------------------------------------------------------


def test_period_leaders_means_ties_and_coverage():
    f = frame(
        # 2000–2002: Russia 60,50,40 (mean 50) vs China 10,20,30 (mean 20): gap +30 -> Russia
        # 2003–2005: only 2003 and 2005: Russia (30+20)/2=25, China (40+50)/2=45: -20 -> China
        economic={
            2000: (60, 10),
            2001: (50, 20),
            2002: (40, 30),
            2003: (30, 40),
            2005: (20, 50),
        },
        # 2000–2002: gap 52-48 = +4 <= 5 -> close; 2003–2005: no year -> no data
        military={2001: (52, 48)},
    )
    lead = S.period_leaders(f, 2000, 2005, 3, 5.0)
    cell = lead.set_index(["sphere", "period"])
    assert cell.loc[("economic", "2000–2002"), "leader"] == "Russia"
    assert cell.loc[("economic", "2000–2002"), "gap_pp"] == pytest.approx(30.0)
    assert cell.loc[("economic", "2000–2002"), "cell"] == "Russia (3/3 yrs)"
    assert cell.loc[("economic", "2003–2005"), "leader"] == "China"
    assert cell.loc[("economic", "2003–2005"), "russia_mean_pct"] == pytest.approx(25.0)
    assert cell.loc[("economic", "2003–2005"), "china_mean_pct"] == pytest.approx(45.0)
    assert cell.loc[("economic", "2003–2005"), "cell"] == "China (2/3 yrs)"
    assert cell.loc[("military", "2000–2002"), "cell"] == "close (within 5 pp) (1/3 yrs)"
    assert cell.loc[("military", "2003–2005"), "cell"] == "no data (0/3 yrs)"
    assert math.isnan(cell.loc[("military", "2003–2005"), "gap_pp"])
    # spheres without any row are still listed, as no data, in every period
    assert list(cell.loc["energy", "cell"]) == ["no data (0/3 yrs)"] * 2
    assert list(lead["sphere"].unique()) == list(S.SPHERES)
    matrix = S.leader_matrix(lead)
    assert list(matrix.columns) == ["2000–2002", "2003–2005"]
    assert list(matrix.index) == list(S.SPHERES)


@pytest.mark.parametrize(
    ("rus", "chn", "band", "expected"),
    [
        (55.0, 50.0, 5.0, "close (within 5 pp)"),  # gap exactly +5: on the edge -> close
        (50.0, 55.0, 5.0, "close (within 5 pp)"),  # gap exactly -5 -> close
        (55.1, 50.0, 5.0, "Russia"),  # just outside
        (50.0, 55.1, 5.0, "China"),
        (50.0, 50.0, 0.0, "close (within 0 pp)"),  # band 0: only an exact tie
        (50.1, 50.0, 0.0, "Russia"),
        (30.3, 10.2, 20.1, "close (within 20.1 pp)"),  # 20.1 in floating point, edge kept
    ],
)
def test_tie_band_edges(rus, chn, band, expected):
    lead = S.period_leaders(frame(opinion={2020: (rus, chn)}), 2020, 2020, 1, band)
    assert lead.set_index("sphere").loc["opinion", "leader"] == expected


def test_tie_band_must_be_non_negative():
    with pytest.raises(ValueError, match="tie_band_pp must be a finite number >= 0"):
        S.period_leaders(frame(opinion={2020: (1, 2)}), 2020, 2020, 1, -1.0)


def test_years_with_one_share_missing_are_no_data_not_zero():
    rows = S._pair_rows("energy", 2025, math.nan, math.nan, measure="m", source="s", note="n")
    rows += S._pair_rows("energy", 2024, 40.0, 60.0, measure="m", source="s")
    f = S.balance_frame([S._frame(rows)])
    gaps = S.yearly_gaps(f)
    assert list(gaps["year"]) == [2024]  # 2025 has no known pair
    lead = S.period_leaders(f, 2024, 2025, 2, 5.0).set_index("sphere")
    assert lead.loc["energy", "cell"] == "China (1/2 yrs)"  # 40 vs 60 over 1 of 2 years
    cov = S.coverage_table(f, 2020, 2025).set_index("sphere")
    assert cov.loc["energy", "coverage"] == "1/6 yrs"
    assert cov.loc["energy", "missing"] == "2020–2023, 2025"
    assert cov.loc["military", "coverage"] == "0/6 yrs"
    assert cov.loc["military", "measures"] == "no data"


def test_year_ranges():
    assert S.year_ranges([2001, 1996, 1997, 1998, 2003, 2004]) == "1996–1998, 2001, 2003–2004"
    assert S.year_ranges([]) == "none"


def test_balance_frame_rejects_duplicates_and_unknown_spheres():
    dup = pd.concat([pairs("economic", {2000: (1, 2)}), pairs("economic", {2000: (3, 4)})])
    with pytest.raises(ValueError, match="economic 2000 Russia appears twice"):
        S.balance_frame([dup])
    with pytest.raises(ValueError, match="unknown sphere"):
        S.balance_frame([pairs("culture", {2000: (1, 2)})])
    f = frame(opinion={2001: (1, 2)}, economic={2000: (3, 4)})
    assert list(f["sphere"]) == ["economic", "economic", "opinion", "opinion"]
    assert list(f["actor"]) == ["Russia", "China", "Russia", "China"]


# --- lead changes and sources -----------------------------------------------------------


def test_lead_changes_skip_no_data_periods_and_count_them():
    f = frame(
        # periods of 2: 2000–01 Russia, 2002–03 no data, 2004–05 China, 2006–07 China,
        # 2008–09 close (gap +2): changes Russia->China (1 gap period), China->close
        economic={2000: (60, 10), 2004: (10, 60), 2006: (20, 70), 2008: (41, 39)},
        # always Russia: no change
        military={2000: (90, 0), 2008: (80, 5)},
    )
    lead = S.period_leaders(f, 2000, 2009, 2, 5.0)
    changes = S.lead_changes(lead)
    assert changes.to_dict("records") == [
        {
            "sphere": "economic",
            "from_period": "2000–2001",
            "from_leader": "Russia",
            "to_period": "2004–2005",
            "to_leader": "China",
            "gap_periods": 1,
        },
        {
            "sphere": "economic",
            "from_period": "2006–2007",
            "from_leader": "China",
            "to_period": "2008–2009",
            "to_leader": "close (within 5 pp)",
            "gap_periods": 0,
        },
    ]
    # the sentences written from these changes: test_analysis_synthesis_report.py


def test_source_ids_split_and_keep_first_appearance():
    rows = S._pair_rows("economic", 2000, 1, 2, measure="m", source="imf_dots")
    rows += S._pair_rows("economic", 2001, 1, 2, measure="m", source="wits_hs4+imf_dots")
    rows += S._pair_rows("military", 2001, 1, 2, measure="m", source="sipri_a+sipri_b")
    assert S.source_ids(S._frame(rows)) == ["imf_dots", "wits_hs4", "sipri_a", "sipri_b"]
    assert S.source_ids(S._frame([])) == []


# --- sphere builders on hand-made tables -----------------------------------------------


def test_energy_shares_use_the_total_and_mark_missing_columns():
    def cell(edition, year, ex, im, bcm):
        return {
            "edition": edition,
            "year": year,
            "exporter_code": ex,
            "importer_code": im,
            "flow_bcm": bcm,
            "source": f"src{year}",
        }

    gas = pd.DataFrame(
        [
            # 2020: KAZ -> RUS 3, CHN 6, TOTAL 12 (3 bcm elsewhere): 25 % vs 50 %
            cell("e1", 2020, "KAZ", "RUS", 3.0),
            cell("e1", 2020, "KAZ", "CHN", 6.0),
            cell("e1", 2020, "KAZ", "TOTAL", 12.0),
            # 2021: no KAZ -> RUS cell but a RUS column (TKM -> RUS): 0 % vs 100 %
            cell("e2", 2021, "KAZ", "CHN", 5.0),
            cell("e2", 2021, "KAZ", "TOTAL", 5.0),
            cell("e2", 2021, "TKM", "RUS", 1.0),
            # 2025: no RUS column at all: no data, both NaN with a note
            cell("e3", 2025, "KAZ", "CHN", 4.0),
            cell("e3", 2025, "KAZ", "TOTAL", 4.0),
            # 2022: KAZ exported no pipeline gas (no row): no rows at all
            cell("e4", 2022, "TKM", "CHN", 30.0),
            cell("e4", 2022, "TKM", "RUS", 3.0),
        ]
    )
    out = S.energy_shares(gas, "KAZ", 2000, 2025)
    got = {(r.year, r.actor): r.share_pct for r in out.itertuples()}
    assert got[(2020, "Russia")] == pytest.approx(25.0)
    assert got[(2020, "China")] == pytest.approx(50.0)
    assert got[(2021, "Russia")] == 0.0 and got[(2021, "China")] == pytest.approx(100.0)
    assert math.isnan(got[(2025, "Russia")]) and math.isnan(got[(2025, "China")])
    assert "no Russia column" in out[out["year"] == 2025]["note"].iloc[0]
    assert 2022 not in set(out["year"])
    assert S.energy_shares(gas, "KGZ", 2000, 2025).empty


def test_opinion_shares_need_both_powers_in_the_same_survey():
    def row(survey, year, qid, option, share, secondary=False):
        return {
            "survey": survey,
            "fieldwork_year": year,
            "country_iso3": "KGZ",
            "subgroup": "all",
            "question_id": qid,
            "option": option,
            "share_pct": share,
            "secondary_report": secondary,
            "source_publisher": "Outlet",
            "source": "srv",
        }

    polls = pd.DataFrame(
        [
            # 2014: confidence pair (priority 2) -> 90 vs 35
            row("MV 2014", 2014, "mv_confidence_putin", "great deal or fair amount", 90.0, True),
            row("MV 2014", 2014, "mv_confidence_xi", "great deal or fair amount", 35.0, True),
            # 2020: both the COVID pair (priority 1) and the IRI pair: COVID wins
            row("CAB 2020", 2020, "cab_covid_best_helper", "Russia", 75.0),
            row("CAB 2020", 2020, "cab_covid_best_helper", "China", 7.5),
            row("IRI 2020", 2020, "iri_relations_russia", "good", 97.0),
            row("IRI 2020", 2020, "iri_relations_china", "good", 39.0),
            # 2021: Russia only -> no data
            row("IRI 2021", 2021, "iri_relations_russia", "good", 92.0),
            # 2018: the two halves in different surveys -> not comparable, no data
            row("A", 2018, "iri_relations_russia", "good", 97.0),
            row("B", 2018, "iri_relations_china", "good", 39.0),
        ]
    )
    out = S.opinion_shares(polls, "KGZ", 2000, 2025)
    got = {(r.year, r.actor): r.share_pct for r in out.itertuples()}
    assert got == {
        (2014, "Russia"): 90.0,
        (2014, "China"): 35.0,
        (2020, "Russia"): 75.0,
        (2020, "China"): 7.5,
    }
    assert out[out["year"] == 2014]["note"].iloc[0] == "MV 2014 [secondary report: Outlet]"
    assert out[out["year"] == 2020]["measure"].iloc[0] == S.OPINION_PAIRS[0].measure
    assert S.opinion_shares(polls, "KGZ", 2015, 2019).empty


def test_economic_shares_are_turnover_shares_and_skip_incomplete_years():
    def r(year, partner, flow, value):
        return {
            "source": "imf_dots",
            "reporter_iso3": "KAZ",
            "partner_code": partner,
            "flow": flow,
            "year": year,
            "value_usd_mn": value,
        }

    flows = pd.DataFrame(
        [
            # 2000: turnover WLD 100+100=200, RUS 30+20=50 (25 %), CHN 10+30=40 (20 %)
            r(2000, "WLD", "export", 100.0),
            r(2000, "WLD", "import", 100.0),
            r(2000, "RUS", "export", 30.0),
            r(2000, "RUS", "import", 20.0),
            r(2000, "CHN", "export", 10.0),
            r(2000, "CHN", "import", 30.0),
            # 2001: China's imports missing -> turnover unknown -> no data (never zero)
            r(2001, "WLD", "export", 100.0),
            r(2001, "WLD", "import", 100.0),
            r(2001, "RUS", "export", 30.0),
            r(2001, "RUS", "import", 20.0),
            r(2001, "CHN", "export", 10.0),
        ]
    )
    out = S.economic_shares(flows, "KAZ", 2000, 2001)
    assert list(out["year"]) == [2000, 2000]
    assert dict(zip(out["actor"], out["share_pct"], strict=True)) == {
        "Russia": pytest.approx(25.0),
        "China": pytest.approx(20.0),
    }
    assert set(out["source"]) == {"imf_dots"}


def test_latest_leaders_is_each_spheres_last_period_with_data():
    f = frame(
        economic={2000: (60, 10), 2004: (10, 60)},  # periods of 2: last with data 2004–2005
        military={2000: (90, 0)},  # later periods without data are skipped
    )
    latest = S.latest_leaders(S.period_leaders(f, 2000, 2009, 2, 5.0))
    got = latest[["sphere", "period", "leader", "cell"]].to_dict("records")
    assert got == [
        {"sphere": "economic", "period": "2004–2005", "leader": "China", "cell": "China (1/2 yrs)"},
        {
            "sphere": "military",
            "period": "2000–2001",
            "leader": "Russia",
            "cell": "Russia (1/2 yrs)",
        },
    ]
    empty = S.latest_leaders(S.period_leaders(frame(), 2000, 2001, 2, 5.0))
    assert empty.empty and list(empty.columns)[:2] == ["sphere", "period"]
