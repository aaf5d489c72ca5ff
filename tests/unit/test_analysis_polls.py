"""Tests of kzanalysis.analysis.polls and polls_params.

Interval and test values are checked against published worked examples (Newcombe 1998,
*Statistics in Medicine* 17:857-872, Table II, method 3 = Wilson score) and against the
closed-form formulas written out by hand next to each assertion.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError
from scipy.stats import norm

from kzanalysis.analysis import polls as P
from kzanalysis.analysis.polls_params import CA5, SUBGROUP_CODES, TOPICS, PollsParams
from kzanalysis.errors import UnknownCodeError
from kzanalysis.stats import InsufficientDataError

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "04_opinion_polls.ipynb"
Z95 = norm.ppf(0.975)  # 1.959964


def _rows(records: list[dict]) -> pd.DataFrame:
    """poll_toplines-like rows with defaults for the columns a test does not care about."""
    base = {
        "survey": "S",
        "fieldwork_start": "2022",
        "fieldwork_end": "2022",
        "country_iso3": "KAZ",
        "country": "Kazakhstan",
        "population": "adults",
        "subgroup": "all",
        "question_id": "dms_side_support",
        "option": "Russia",
        "share_pct": 50.0,
        "sample_n": pd.NA,
        "secondary_report": False,
        "source": "demoscope",
        "source_publisher": "DEMOSCOPE",
        "page_or_table": "press release text",
    }
    frame = pd.DataFrame([{**base, **r} for r in records])
    frame["sample_n"] = frame["sample_n"].astype("Int64")
    return frame


# --------------------------------------------------------------------------------------
# Intervals
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("x", "n", "low", "high"),
    [
        # Newcombe (1998), Table II, method 3 (Wilson score), 95 %:
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0000, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_matches_newcombe_1998(x, n, low, high):
    lo, hi = P.proportion_interval(100 * x / n, n, confidence=0.95, design_effect=1.0)
    assert lo / 100 == pytest.approx(low, abs=5e-5)
    assert hi / 100 == pytest.approx(high, abs=5e-5)


def test_wilson_closed_form_by_hand():
    # Wilson: (p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n), p = 0.39, n = 1100
    p, n, z = 0.39, 1100, Z95
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
    lo, hi = P.proportion_interval(39.0, 1100, confidence=0.95, design_effect=1.0)
    assert lo == pytest.approx(100 * (centre - half), abs=1e-9)
    assert hi == pytest.approx(100 * (centre + half), abs=1e-9)
    # the numbers: centre 0.390385, half-width 0.028776 -> 36.16 % to 41.92 %
    assert (round(lo, 2), round(hi, 2)) == (36.16, 41.92)


def test_agresti_coull_closed_form_by_hand():
    # Agresti & Coull (1998): ñ = n + z², p̃ = (x + z²/2)/ñ, p̃ ± z·sqrt(p̃(1-p̃)/ñ); x=0, n=20
    z = Z95
    n_t = 20 + z**2  # 23.8415
    p_t = (0 + z**2 / 2) / n_t  # 0.080563
    high = p_t + z * math.sqrt(p_t * (1 - p_t) / n_t)  # 0.18981
    lo, hi = P.proportion_interval(0.0, 20, design_effect=1.0, method="agresti_coull")
    assert lo == 0.0  # clipped at 0
    assert hi / 100 == pytest.approx(high, abs=1e-9)
    assert hi == pytest.approx(18.98, abs=0.005)


def test_design_effect_uses_effective_n():
    # deff 2 on n = 1100 is the plain interval of n = 550 at the same share
    assert P.effective_n(1100, 2.0) == 550.0
    assert P.proportion_interval(39.0, 1100, design_effect=2.0) == pytest.approx(
        P.proportion_interval(39.0, 550, design_effect=1.0)
    )


def test_design_effect_widens_by_sqrt_deff():
    # For large n the width scales with 1/sqrt(n_eff): deff 4 doubles it (within 1 %).
    w1 = np.subtract(*P.proportion_interval(30.0, 20000, design_effect=1.0)[::-1])
    w4 = np.subtract(*P.proportion_interval(30.0, 20000, design_effect=4.0)[::-1])
    assert w4 / w1 == pytest.approx(2.0, rel=0.01)
    # and every deff > 1 strictly contains the deff-1 interval
    lo1, hi1 = P.proportion_interval(12.8, 1100, design_effect=1.0)
    lo15, hi15 = P.proportion_interval(12.8, 1100, design_effect=1.5)
    assert lo15 < lo1 < hi1 < hi15


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"share_pct": 120.0, "n": 100}, "between 0 and 100"),
        ({"share_pct": 20.0, "n": 0}, "must be positive"),
        ({"share_pct": 20.0, "n": 100, "confidence": 95}, "0.95, not 95"),
        ({"share_pct": 20.0, "n": 100, "design_effect": 0.5}, ">= 1"),
        ({"share_pct": 20.0, "n": 100, "method": "wald"}, "wilson"),
    ],
)
def test_interval_rejects_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        P.proportion_interval(**kwargs)


def test_add_intervals_only_where_whole_sample_n_is_known():
    rows = _rows(
        [
            {"share_pct": 39.0, "sample_n": 1100},
            {"share_pct": 45.0, "sample_n": 1100, "subgroup": "russian_speakers"},
            {"share_pct": 87.0},
        ]
    )
    out = P.add_intervals(rows, confidence=0.95, design_effect=1.5)
    assert out.loc[0, "ci_low_pct"] < 39.0 < out.loc[0, "ci_high_pct"]
    assert out.loc[0, "n_effective"] == pytest.approx(1100 / 1.5)
    # subgroup row: the whole-sample n is not the subgroup's n -> no interval
    assert pd.isna(out.loc[1, "ci_low_pct"]) and out.loc[1, "interval"] == P.SUBGROUP_NO_N
    assert pd.isna(out.loc[2, "ci_low_pct"]) and out.loc[2, "interval"] == P.NO_N


# --------------------------------------------------------------------------------------
# Two-proportion test
# --------------------------------------------------------------------------------------


def test_two_proportion_z_by_hand():
    # 50/100 vs 40/100: pooled p = 0.45, se = sqrt(.45·.55·(1/100+1/100)) = 0.0703562,
    # z = 0.10 / 0.0703562 = 1.42134, two-sided p = 2·(1 - Φ(1.42134)) = 0.15522
    res = P.two_proportion_test(50.0, 100, 40.0, 100, design_effect=1.0)
    assert res.z == pytest.approx(1.42134, abs=1e-5)
    assert res.p_value == pytest.approx(0.15522, abs=1e-5)
    assert res.diff_pp == pytest.approx(-10.0)
    assert res.diff_ci_low_pp < -10.0 < res.diff_ci_high_pp


def test_two_proportion_z_with_design_effect_by_hand():
    # deff 2: effective 25/50 vs 20/50; se = sqrt(.45·.55·(2/50)) = 0.0994987,
    # z = 0.10 / 0.0994987 = 1.00504
    res = P.two_proportion_test(50.0, 100, 40.0, 100, design_effect=2.0)
    assert res.n1_eff == 50.0 and res.n2_eff == 50.0
    assert res.z == pytest.approx(0.1 / math.sqrt(0.45 * 0.55 * 2 / 50), abs=1e-9)
    assert res.z == pytest.approx(1.00504, abs=1e-5)


def test_compare_waves_tests_only_whole_samples_with_n():
    rows = _rows(
        [
            {
                "fieldwork_start": "2022-03",
                "fieldwork_end": "2022-03",
                "share_pct": 39.0,
                "sample_n": 1100,
                "secondary_report": True,
            },
            {
                "fieldwork_start": "2022-11",
                "fieldwork_end": "2022-11",
                "share_pct": 13.0,
                "sample_n": 1110,
            },
            {"fieldwork_start": "2023-05", "fieldwork_end": "2023-05", "share_pct": 12.8},
            {
                "fieldwork_start": "2022-03",
                "fieldwork_end": "2022-03",
                "share_pct": 45.0,
                "subgroup": "russian_speakers",
            },
            {
                "fieldwork_start": "2022-11",
                "fieldwork_end": "2022-11",
                "share_pct": 20.0,
                "subgroup": "russian_speakers",
            },
        ]
    )
    sel = P.select_toplines(rows, "KAZ", "war_in_ukraine", "language")
    out = P.compare_waves(sel, design_effect=1.5)
    whole = out[out["subgroup"] == "all"].reset_index(drop=True)
    assert list(whole["wave_1"]) == ["2022-03", "2022-11"]
    assert whole.loc[0, "test"].startswith("two-proportion z")
    assert bool(whole.loc[0, "secondary_1"]) is True
    expected = P.two_proportion_test(39.0, 1100, 13.0, 1110, design_effect=1.5)
    assert whole.loc[0, "z"] == pytest.approx(expected.z)
    assert whole.loc[1, "test"] == "no test: n not published for a wave"
    sub = out[out["subgroup"] == "russian_speakers"]
    assert list(sub["test"]) == ["no test: subgroup n not published"]
    assert pd.isna(sub["p_value"]).all()


def test_compare_subgroups_is_descriptive_without_n():
    rows = _rows(
        [
            {"subgroup": "russian_speakers", "share_pct": 45.0},
            {"subgroup": "kazakh_speakers", "share_pct": 20.0},
        ]
    )
    rows["wave"] = "2022-03"
    out = P.compare_subgroups(rows, [("russian_speakers", "kazakh_speakers")])
    assert out.loc[0, "diff_pp"] == pytest.approx(-25.0)
    assert out.loc[0, "test"] == "no test: subgroup n not published"


# --------------------------------------------------------------------------------------
# GLM trend
# --------------------------------------------------------------------------------------


def _logistic(x):
    return 1 / (1 + np.exp(-x))


@pytest.mark.filterwarnings("ignore:Perfect separation")  # a noise-free fit is 'perfect'
def test_glm_recovers_exact_slope_without_noise():
    years = np.arange(2015, 2023, dtype=float)
    shares = 100 * _logistic(-0.5 + 0.3 * (years - 2015))
    fit = P.fit_glm_trend(years, shares, np.full(len(years), 1000.0), design_effect=1.0)
    assert fit.slope == pytest.approx(0.3, abs=1e-6)
    assert fit.intercept == pytest.approx(-0.5, abs=1e-6)
    assert fit.odds_ratio_per_year == pytest.approx(math.exp(0.3), rel=1e-6)
    assert fit.pearson_chi2 == pytest.approx(0.0, abs=1e-8)


def test_glm_recovers_slope_on_seeded_binomial_counts():
    rng = np.random.default_rng(20220301)
    years = np.arange(2010, 2025, dtype=float)
    n = np.full(len(years), 1500.0)
    true = _logistic(0.4 - 0.12 * (years - 2010))
    shares = 100 * rng.binomial(n.astype(int), true) / n
    fit = P.fit_glm_trend(years, shares, n, design_effect=1.0, label="synthetic")
    assert fit.slope_ci[0] < -0.12 < fit.slope_ci[1]
    assert fit.slope == pytest.approx(-0.12, abs=0.02)
    assert fit.df_resid == len(years) - 2
    # binomial data: the Pearson dispersion is near 1
    assert 0.3 < fit.dispersion < 2.5
    band = fit.predict([2010.0, 2024.0])
    assert (band["ci_low_pct"] < band["share_pct"]).all()
    assert (band["share_pct"] < band["ci_high_pct"]).all()


def test_glm_design_effect_widens_slope_interval_by_sqrt_deff():
    years = np.array([2022.2, 2022.9, 2023.4, 2025.1])
    shares = np.array([39.0, 13.0, 12.8, 11.0])
    n = np.array([1100.0, 1110.0, 1100.0, 1100.0])
    f1 = P.fit_glm_trend(years, shares, n, design_effect=1.0)
    f2 = P.fit_glm_trend(years, shares, n, design_effect=2.0)
    assert f2.slope == pytest.approx(f1.slope, rel=1e-6)  # same point estimate
    w1 = f1.slope_ci[1] - f1.slope_ci[0]
    w2 = f2.slope_ci[1] - f2.slope_ci[0]
    assert w2 / w1 == pytest.approx(math.sqrt(2), rel=1e-6)


def test_glm_quasi_scales_by_pearson_dispersion():
    years = np.array([2022.2, 2022.9, 2023.4])
    shares = np.array([39.0, 13.0, 12.8])
    n = np.array([1100.0, 1110.0, 1100.0])
    plain = P.fit_glm_trend(years, shares, n)
    quasi = P.fit_glm_trend(years, shares, n, quasi=True)
    ratio = (quasi.slope_ci[1] - quasi.slope_ci[0]) / (plain.slope_ci[1] - plain.slope_ci[0])
    assert ratio == pytest.approx(math.sqrt(plain.dispersion), rel=1e-6)
    assert quasi.quasi and not plain.quasi


def test_glm_needs_three_waves():
    with pytest.raises(InsufficientDataError, match="at least 3"):
        P.fit_glm_trend([2022.0, 2023.0], [30.0, 20.0], [1000.0, 1000.0])


def test_trend_table_fits_only_series_with_n():
    recs = []
    for year, share in [(2021, 30.0), (2022, 25.0), (2023, 20.0)]:
        recs.append(
            {
                "fieldwork_start": str(year),
                "fieldwork_end": str(year),
                "share_pct": share,
                "sample_n": 1000,
            }
        )
        recs.append(
            {
                "fieldwork_start": str(year),
                "fieldwork_end": str(year),
                "option": "Ukraine",
                "share_pct": share,
            }
        )
    table, fits = P.trend_table(P.select_toplines(_rows(recs), "KAZ"), design_effect=1.0)
    russia = table[table["option"] == "Russia"].iloc[0]
    ukraine = table[table["option"] == "Ukraine"].iloc[0]
    assert russia["model"] == "binomial GLM" and russia["slope_logit_per_year"] < 0
    assert ukraine["model"].startswith("none: 0 wave(s)")
    assert set(fits) == {("dms_side_support", "Russia", "all")}


# --------------------------------------------------------------------------------------
# Dates, topics, modes, flags
# --------------------------------------------------------------------------------------


def test_fieldwork_midpoint_and_label():
    # 4-24 Nov 2022: midpoint of decimal days 307/365 and 327/365 plus half a day
    mid = P.fieldwork_midpoint("2022-11-04", "2022-11-24")
    assert mid == pytest.approx(2022 + (307 + 327) / 2 / 365 + 0.5 / 365.25, abs=1e-9)
    assert P.fieldwork_midpoint("2017", "2019") == pytest.approx(2018.5, abs=0.01)
    assert P.fieldwork_midpoint(pd.NA, "2014-11-18") == pytest.approx(2014 + 321.5 / 365, abs=0.01)
    assert math.isnan(P.fieldwork_midpoint(pd.NA, pd.NA))
    assert P.fieldwork_label("2022-11-04", "2022-11-24") == "2022-11"
    assert P.fieldwork_label("2017", "2019") == "2017–2019"
    assert P.fieldwork_label(pd.NA, pd.NA) == P.NO_DATE


def test_fieldwork_text_in_words_at_the_published_precision():
    assert P.fieldwork_text("2022-11-04", "2022-11-24") == "November 2022"
    assert P.fieldwork_text("2025-01-27", "2025-02-05") == "January–February 2025"
    assert P.fieldwork_text("2018-09", "2018-12") == "September–December 2018"
    assert P.fieldwork_text("2017", "2019") == "2017–2019"
    assert P.fieldwork_text("2014", "2014") == "2014"
    assert P.fieldwork_text(pd.NA, "2014-11-18") == "November 2014"
    assert P.fieldwork_text("2014", "2014-11-18") == "November 2014"  # year-only bound dropped
    assert P.fieldwork_text("2022-11", "2023-01") == "November 2022 – January 2023"
    assert P.fieldwork_text(pd.NA, None) == P.NO_DATE


def test_midpoint_date_inverts_the_decimal_year():
    # 4-24 Nov 2022: the midpoint is 14 November (day 318 of 365, counted from 0)
    assert P.midpoint_date(P.fieldwork_midpoint("2022-11-04", "2022-11-24")) == "2022-11-14"
    assert P.midpoint_date(2020.0) == "2020-01-01"
    assert P.midpoint_date(float("nan")) is None


def test_select_toplines_adds_fieldwork_in_words():
    rows = _rows([{"fieldwork_start": "2022-03", "fieldwork_end": "2022-03"}])
    sel = P.select_toplines(rows, "KAZ")
    assert sel.loc[0, "fieldwork"] == "March 2022" and sel.loc[0, "wave"] == "2022-03"


def test_every_bundled_question_maps_to_a_topic():
    from kzanalysis.datasets import load

    polls = load("poll_toplines")
    topics = {P.topic_of(q) for q in polls["question_id"].unique()}
    assert topics <= set(TOPICS) - {"all"}
    # every topic a rule can produce is a parameter value
    assert {t for _, t in P.TOPIC_RULES} <= set(TOPICS)


def test_unknown_question_id_is_an_error():
    with pytest.raises(UnknownCodeError, match="TOPIC_RULES"):
        P.topic_of("xyz_new_question")


@pytest.mark.parametrize(
    ("texts", "mode"),
    [
        (("adults 18+, CATI, random mobile numbers",), "phone"),
        (("adults, mobile-phone RDD",), "phone"),
        (("aged over 16; phone and online; 68% women",), "phone + online (non-probability)"),
        (("adults 15+ (Gallup World Poll standard)", "article text"), "not published"),
    ],
)
def test_survey_mode_only_from_text(texts, mode):
    assert P.survey_mode(*texts) == mode


def test_flagged_never_drops_the_secondary_flag():
    assert P.flagged(12.8, False) == "12.8%"
    assert P.flagged(39.0, True, "blog") == "39.0% [secondary report: blog]"


def test_select_toplines_subgroup_keeps_whole_sample_of_same_question():
    rows = _rows(
        [
            {"share_pct": 39.0, "sample_n": 1100},
            {"share_pct": 45.0, "subgroup": "russian_speakers"},
            {"question_id": "dms_follows_war", "share_pct": 42.0, "sample_n": 1100},
        ]
    )
    sel = P.select_toplines(rows, "KAZ", "war_in_ukraine", "language")
    assert sorted(sel["subgroup"]) == ["all", "russian_speakers"]
    assert set(sel["question_id"]) == {"dms_side_support"}
    with pytest.raises(UnknownCodeError, match="topic"):
        P.select_toplines(rows, "KAZ", "sports")


def test_source_quality_origin_and_n():
    rows = _rows(
        [
            {
                "share_pct": 39.0,
                "sample_n": 1100,
                "secondary_report": True,
                "source_publisher": "Blog",
            },
            {"option": "Ukraine", "share_pct": 10.0, "sample_n": 1100},
        ]
    )
    out = P.source_quality(rows, {"demoscope": "DEMOSCOPE"})
    row = out.iloc[0]
    assert row["pollster"] == "DEMOSCOPE"
    assert row["n"] == "1,100"
    assert row["mode_stated"] == "not published"
    assert row["origin"].startswith("mixed: 1 rows pollster, 1 rows secondary (Blog")
    assert row["fieldwork"] == "2022"  # in words, oldest first


# --------------------------------------------------------------------------------------
# Soft power
# --------------------------------------------------------------------------------------


def test_student_shares_two_denominators_and_missing_russia():
    flows = pd.DataFrame(
        {
            "origin_iso3": ["KAZ"] * 5,
            "year": [2018, 2018, 2018, 2019, 2019],
            "dest_iso3": ["RUS", "USA", None, "USA", None],
            "students": [700.0, 200.0, 100.0, 50.0, 50.0],
        }
    )
    inbound = pd.DataFrame(
        {
            "country_iso3": ["KAZ", "KAZ"],
            "year": [2018, 2019],
            "outbound_derived_students": [1400.0, 1000.0],
        }
    )
    out = P.student_shares(flows, inbound).set_index("year")
    assert out.loc[2018, "share_of_listed_pct"] == pytest.approx(70.0)  # 700 / 1000
    assert out.loc[2018, "share_of_total_pct"] == pytest.approx(50.0)  # 700 / 1400
    # 2019: Russia not itemised -> NaN, not 0
    assert not out.loc[2019, "dest_itemised"]
    assert pd.isna(out.loc[2019, "share_of_listed_pct"])


def test_census_and_language_tables():
    ind = pd.DataFrame(
        {
            "indicator": [
                "ethnic_share_census",
                "ethnic_share_census",
                "language_can_speak_census",
            ],
            "country_iso3": ["KAZ"] * 3,
            "year": [1989, 1989, 2021],
            "group": ["Kazakhs", "Russians", "Russian"],
            "value_pct": [39.7, 37.7, 83.7],
            "source": ["a", "a", "b"],
        }
    )
    census = P.census_ethnic_shares(ind)
    assert census.loc[0, "russians_pct"] == 37.7 and census.loc[0, "kazakhs_pct"] == 39.7
    lang = P.language_knowledge(ind)
    assert list(lang["language"]) == ["Russian"] and lang.loc[0, "value_pct"] == 83.7


# --------------------------------------------------------------------------------------
# Parameters
# --------------------------------------------------------------------------------------


def test_params_defaults_and_normalisation():
    p = PollsParams(country="kgz")
    assert (p.country, p.topic, p.subgroup, p.confidence, p.design_effect) == (
        "KGZ",
        "all",
        "all",
        0.95,
        1.5,
    )
    assert PollsParams(subgroup="language").subgroup_codes == SUBGROUP_CODES["language"]
    assert set(CA5) == {"KAZ", "KGZ", "TJK", "TKM", "UZB"}


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"country": "RUS"}, "country"),
        ({"topic": "sports"}, "topic"),
        ({"subgroup": "gender"}, "subgroup"),
        ({"confidence": 95}, "confidence"),
        ({"confidence": 0.5}, "confidence"),
        ({"design_effect": 0.9}, "design_effect"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_params_reject_bad_values(values, field):
    with pytest.raises(ValidationError) as info:
        PollsParams(**values)
    assert field in str(info.value)


def test_notebook_parameters_cell_matches_model_defaults():
    from kzanalysis.params import notebook_defaults

    if not NOTEBOOK.exists():
        pytest.skip("notebook not written yet")
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    defaults = notebook_defaults(nb, NOTEBOOK.name)
    model = {k: f.default for k, f in PollsParams.model_fields.items()}
    assert defaults == model
