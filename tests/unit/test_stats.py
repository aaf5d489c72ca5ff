"""Tests of kzanalysis.stats against hand-computed, textbook and synthetic known values."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from kzanalysis import stats as S

# y = [1, 3, 2, 5] on t = [0, 1, 2, 3]: t̄ = 1.5, ȳ = 2.75, Sty = 5.5, Stt = 5
# -> slope 1.1, intercept 1.1, residuals (-0.1, 0.8, -1.3, 0.6), RSS 2.7.
TINY_T = np.array([0.0, 1.0, 2.0, 3.0])
TINY_Y = np.array([1.0, 3.0, 2.0, 5.0])


def _tiny_x() -> pd.DataFrame:
    return pd.DataFrame({"const": 1.0, "trend": TINY_T})


def test_ols_hac_tiny_hand_solved():
    res = S.ols_hac(TINY_Y, _tiny_x(), maxlags=0)
    assert res.params.tolist() == pytest.approx([1.1, 1.1])
    assert res.ssr == pytest.approx(2.7)
    assert np.asarray(res.resid) == pytest.approx([-0.1, 0.8, -1.3, 0.6])


@pytest.mark.parametrize("lags", [0, 1])
def test_ols_hac_matches_newey_west_formula(lags):
    x = _tiny_x().to_numpy()
    res = S.ols_hac(TINY_Y, _tiny_x(), maxlags=lags)
    e = np.array([-0.1, 0.8, -1.3, 0.6])
    n, k = x.shape
    meat = sum(e[t] ** 2 * np.outer(x[t], x[t]) for t in range(n))
    for lag in range(1, lags + 1):
        w = 1 - lag / (lags + 1)  # Bartlett weight
        for t in range(lag, n):
            g = e[t] * e[t - lag] * np.outer(x[t], x[t - lag])
            meat = meat + w * (g + g.T)
    bread = np.linalg.inv(x.T @ x)
    cov = bread @ meat @ bread * n / (n - k)  # small-sample correction
    assert np.asarray(res.cov_params()) == pytest.approx(cov)


def test_ols_hac_refuses_too_few_observations():
    with pytest.raises(S.InsufficientDataError, match="more observations than regressors"):
        S.ols_hac([1.0, 2.0], _tiny_x().iloc[:2])


def test_newey_west_lags_rule():
    assert S.newey_west_lags(100) == 4
    assert S.newey_west_lags(30) == 3  # 4 * 0.3**(2/9) = 3.06
    assert S.newey_west_lags(10) == 2  # 4 * 0.1**(2/9) = 2.40
    assert S.newey_west_lags(1) == 0


def test_chow_f_hand_values():
    # F = ((10 - 4) / 2) / (4 / 16) = 12; for df1 = 2 the tail is (1 + 2F/df2)^(-df2/2)
    test = S.chow_f(10.0, 4.0, q=2, nobs=20, k=4)
    assert test.f_stat == pytest.approx(12.0)
    assert (test.df_num, test.df_denom) == (2, 16)
    assert test.p_value == pytest.approx(2.5**-8)


def test_chow_f_needs_degrees_of_freedom():
    with pytest.raises(S.InsufficientDataError, match="residual degrees of freedom"):
        S.chow_f(1.0, 0.5, q=2, nobs=4, k=4)


def test_pct_from_log():
    assert S.pct_from_log(math.log(1.5)) == pytest.approx(50.0)
    assert S.pct_from_log(0.0) == 0.0


def test_break_design_columns_and_values():
    x = S.break_design([2013, 2014, 2015, 2016], [2015])
    assert list(x.columns) == ["const", "trend", "level_2015", "slope_2015"]
    assert x["trend"].tolist() == [0, 1, 2, 3]
    assert x["level_2015"].tolist() == [0, 0, 1, 1]
    assert x["slope_2015"].tolist() == [0, 0, 0, 1]


def test_usable_breaks_drops_breaks_without_data():
    years = range(1995, 2021)
    kept, dropped = S.usable_breaks(years, [2015, 2022])
    assert kept == (2015,)
    assert "no observations in or after 2022" in dropped[2022]
    kept, dropped = S.usable_breaks(range(2010, 2024), [2015, 2022])
    assert kept == (2015,)
    assert "only 2 observation(s) from 2022 on" in dropped[2022]


def test_fit_break_trend_hand_chow_in_levels():
    # A level+slope break equals two separate lines. Segment 1 (t 0..2, y 1,3,2): slope .5,
    # intercept 1.5, RSS 1.5. Segment 2 (t 3..5, y 8,10,9): line 8.5 + .5(t-3), RSS 1.5.
    # One line for all: Sty = 33.5, Stt = 17.5, Syy = 77.5 -> RSS_r = 77.5 - 33.5²/17.5.
    fit = S.fit_break_trend(range(6), [1, 3, 2, 8, 10, 9], breaks=[3], log=False, maxlags=0)
    rss_r = 77.5 - 33.5**2 / 17.5
    assert fit.chow.f_stat == pytest.approx(((rss_r - 3.0) / 2) / (3.0 / 2))
    assert fit.chow.f_stat == pytest.approx(3.4571428571)
    assert fit.coef.loc["const", "coef"] == pytest.approx(1.5)
    assert fit.coef.loc["trend", "coef"] == pytest.approx(0.5)
    assert fit.coef.loc["level_3", "coef"] == pytest.approx(5.5)  # 8.5 - (1.5 + .5·3)
    assert fit.coef.loc["slope_3", "coef"] == pytest.approx(0.0, abs=1e-12)


def _synthetic(seed: int = 20150101, level: float = -0.4, slope: float = -0.05):
    rng = np.random.default_rng(seed)
    years = np.arange(1995, 2025)
    t = years - 1995
    after = (years >= 2015).astype(float)
    log_y = 3 + 0.08 * t + level * after + slope * (years - 2015) * after
    return years, np.exp(log_y + rng.normal(0, 0.03, years.size))


def test_known_break_is_recovered():
    years, values = _synthetic()
    fit = S.fit_break_trend(years, values, [2015], label="synthetic")
    c = fit.coef
    for term, truth in (("trend", 0.08), ("level_2015", -0.4), ("slope_2015", -0.05)):
        assert c.loc[term, "ci_low"] <= truth <= c.loc[term, "ci_high"], term
    assert c.loc["level_2015", "coef"] == pytest.approx(-0.4, abs=0.05)
    assert fit.wald.p_value < 0.001
    assert fit.chow.p_value < 0.001
    scan = S.scan_break(years, values)
    assert int(scan.loc[scan["f_stat"].idxmax(), "year"]) == 2015


def test_no_break_series_is_not_flagged():
    years, values = _synthetic(seed=7, level=0.0, slope=0.0)
    fit = S.fit_break_trend(years, values, [2015], label="no break")
    assert fit.wald.p_value > 0.05
    assert fit.chow.p_value > 0.05


def test_fit_drops_missing_and_nonpositive_values():
    years, values = _synthetic()
    values = values.copy()
    values[3] = np.nan
    values[4] = 0.0
    fit = S.fit_break_trend(years, values, [2015])
    assert fit.nobs == 28
    assert any("missing" in n for n in fit.data.attrs["notes"])


def test_fit_needs_enough_observations():
    with pytest.raises(S.InsufficientDataError, match="only 4 usable observation"):
        S.fit_break_trend([2000, 2001, 2002, 2003], [1, 2, 3, 4], [2002])


def test_interpretation_uses_fitted_numbers():
    years, values = _synthetic()
    fit = S.fit_break_trend(years[:26], values[:26], [2015, 2022], label="Synthetic trade")
    text = S.interpret_break_trend(fit)
    lv = fit.coef.loc["level_2015"]
    assert f"{S.pct_from_log(lv['coef']):+.1f}%" in text
    assert f"{S.pct_from_log(fit.coef.loc['trend', 'coef']):+.1f}% a year" in text
    assert "statistically distinguishable from zero at the 5% level" in text
    assert "No break was estimated at 2022" in text
    assert f"F = {fit.wald.f_stat:.2f}" in text
    assert text.startswith("Synthetic trade: from 1995 to 2014")


def test_interpretation_needs_log_model():
    fit = S.fit_break_trend(range(6), [1, 3, 2, 8, 10, 9], breaks=[3], log=False)
    with pytest.raises(ValueError, match="log model"):
        S.interpret_break_trend(fit)


def test_break_checks_hand_computed_on_an_exact_log_trend():
    # ln y = 1 + 0.1 t, and −0.5 from t = 5: the fit is exact
    years = np.arange(0, 13)
    log_y = 1 + 0.1 * years - 0.5 * (years >= 5)
    fit = S.fit_break_trend(years, np.exp(log_y), [5], label="exact")
    (row,) = S.break_checks(fit).itertuples()
    assert row.break_year == 5
    assert row.observed_before == pytest.approx(math.exp(1.4))
    assert row.observed_at == pytest.approx(math.exp(1.0))
    assert row.observed_change_pct == pytest.approx(100 * (math.exp(-0.4) - 1))  # −32.97 %
    assert row.level_shift_pct == pytest.approx(100 * (math.exp(-0.5) - 1))  # −39.35 %
    assert row.pre_fit_before == pytest.approx(math.exp(1.4))
    assert row.pre_fit_miss_pct == pytest.approx(0.0, abs=1e-9)
    assert not row.fit_misses
    assert S.extension_end(fit) == 9  # 5 years from the break: 5…9, not to 12
    text = S.interpret_break_trend(fit)
    assert "In 9 the observed value" in text and "not extended further than 5 years" in text


def test_a_pre_break_trend_that_misses_the_year_before_is_not_read_for_the_shift():
    # steady 10 %/yr growth, but the year before the break is twice the trend
    years = np.arange(0, 12)
    values = np.exp(1 + 0.1 * years - 0.5 * (years >= 6))
    values[5] *= 2.0
    fit = S.fit_break_trend(years, values, [6], label="spiky")
    (row,) = S.break_checks(fit).itertuples()
    pre = fit.data["no_break"].loc[5]
    assert row.pre_fit_miss_pct == pytest.approx(100 * (values[5] / pre - 1))
    assert row.pre_fit_miss_pct > S.FIT_MISS_LIMIT_PCT and row.fit_misses
    assert row.observed_change_pct == pytest.approx(100 * (values[6] / values[5] - 1))
    text = S.interpret_break_trend(fit)
    assert f"The pre-6 trend misses 5 by {row.pre_fit_miss_pct:+.0f}%" in text
    assert f"observed, the value changed by {row.observed_change_pct:+.0f}%" in text
