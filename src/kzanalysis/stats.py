"""Generic statistics for the chapters: trend models with breaks, HAC errors, Chow-type tests.

The central model is a (log-)linear time trend with a level shift and a slope change at
each break year ``b``::

    y_t = a + g·(t - t0) + Σ_b [ δ_b·D_b(t) + γ_b·(t - b)·D_b(t) ] + e_t,   D_b(t) = 1[t ≥ b]

fitted by OLS with Newey–West (HAC) standard errors, because annual macro series are
autocorrelated. With ``log=True`` ``y`` is the natural log of the value, so ``g`` is the
pre-break growth rate in log points, ``δ_b`` the proportional level shift at ``b`` and
``γ_b`` the change of the growth rate from ``b`` on.

Two joint tests of "no break" are reported: the classic Chow F test (homoskedastic,
independent errors; comparable with textbooks) and a HAC Wald F test of the same
restrictions (robust to autocorrelation). :func:`scan_break` searches the break year that
the data favour (Quandt's sup-F), and :func:`interpret_break_trend` turns a fit into plain
sentences whose every number comes from the fit.

Example:
    >>> import numpy as np
    >>> years = np.arange(2000, 2021)
    >>> values = np.exp(1 + 0.1 * (years - 2000) - 0.5 * (years >= 2015))
    >>> fit = fit_break_trend(years, values, breaks=[2015], label="toy")
    >>> round(float(fit.coef.loc["level_2015", "coef"]), 3)
    -0.5
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kzanalysis.errors import KzAnalysisError

__all__ = [
    "BreakTrendFit",
    "InsufficientDataError",
    "TestResult",
    "break_design",
    "chow_f",
    "coef_table",
    "fit_break_trend",
    "interpret_break_trend",
    "newey_west_lags",
    "ols_hac",
    "pct_from_log",
    "scan_break",
    "usable_breaks",
]


#: Segments shorter than this get a caution in :func:`interpret_break_trend`.
FEW_YEARS = 5


class InsufficientDataError(KzAnalysisError, ValueError):
    """There are too few observations (or none) for the requested analysis."""


@dataclass(frozen=True)
class TestResult:
    """A joint F test.

    Attributes:
        name: What was tested, e.g. ``"Chow F (classic)"``.
        f_stat: The F statistic (``inf`` for a perfect unrestricted fit).
        df_num: Numerator degrees of freedom (number of restrictions).
        df_denom: Denominator degrees of freedom.
        p_value: Upper-tail probability of the F distribution.
    """

    name: str
    f_stat: float
    df_num: int
    df_denom: int
    p_value: float


def newey_west_lags(nobs: int) -> int:
    """Newey–West (1994) rule of thumb for the HAC truncation lag: ⌊4·(n/100)^(2/9)⌋.

    Args:
        nobs: Number of observations (≥ 1).

    Returns:
        The lag, at least 0 and at most ``nobs - 1``.
    """
    if nobs < 1:
        raise InsufficientDataError("newey_west_lags: nobs must be at least 1")
    return int(min(max(math.floor(4 * (nobs / 100) ** (2 / 9)), 0), nobs - 1))


def pct_from_log(x: float) -> float:
    """Turn a log-point effect into a percent change: ``100·(exp(x) - 1)``."""
    return 100.0 * math.expm1(x)


def chow_f(rss_restricted: float, rss_unrestricted: float, q: int, nobs: int, k: int) -> TestResult:
    """Classic Chow / nested-model F test from two residual sums of squares.

    ``F = ((RSS_r - RSS_u) / q) / (RSS_u / (n - k))`` with ``k`` parameters in the
    unrestricted model, compared with an F(q, n - k) distribution.

    Args:
        rss_restricted: RSS of the model without the break terms.
        rss_unrestricted: RSS of the model with them.
        q: Number of restrictions (break terms).
        nobs: Number of observations.
        k: Number of parameters of the unrestricted model.

    Raises:
        InsufficientDataError: if ``nobs - k < 1`` or ``q < 1``.
    """
    df_denom = nobs - k
    if q < 1 or df_denom < 1:
        raise InsufficientDataError(
            f"chow_f: need q ≥ 1 restrictions and n - k ≥ 1 residual degrees of freedom "
            f"(got q={q}, n={nobs}, k={k}); use more years or fewer breaks"
        )
    num = max(rss_restricted - rss_unrestricted, 0.0) / q
    den = rss_unrestricted / df_denom
    f_stat = (math.inf if num > 0 else 0.0) if den <= 0 else num / den
    from scipy import stats as sps  # here: importing scipy.stats costs 0.5 s (the ledger does not)

    p_value = 0.0 if math.isinf(f_stat) else float(sps.f.sf(f_stat, q, df_denom))
    return TestResult("Chow F (classic)", float(f_stat), q, df_denom, p_value)


def break_design(
    years: Sequence[int] | np.ndarray,
    breaks: Sequence[int] = (),
    *,
    level: bool = True,
    slope: bool = True,
) -> pd.DataFrame:
    """Design matrix of a linear trend with level and slope breaks.

    Columns: ``const``, ``trend`` (= year - first year), then for each break ``b``
    ``level_b`` (1 from ``b`` on) and ``slope_b`` (``year - b`` from ``b`` on, else 0).

    Args:
        years: Observation years (any order; the trend starts at the smallest).
        breaks: Break years.
        level: Include the level-shift dummies.
        slope: Include the slope-change terms.

    Returns:
        A float DataFrame indexed by year.
    """
    yrs = np.asarray(years, dtype=int)
    if yrs.size == 0:
        raise InsufficientDataError("break_design: no years given")
    out = pd.DataFrame(index=pd.Index(yrs, name="year"))
    out["const"] = 1.0
    out["trend"] = (yrs - yrs.min()).astype(float)
    for b in sorted(breaks):
        after = (yrs >= b).astype(float)
        if level:
            out[f"level_{b}"] = after
        if slope:
            out[f"slope_{b}"] = (yrs - b) * after
    return out


def ols_hac(y: Sequence[float] | np.ndarray, x: pd.DataFrame, maxlags: int | None = None):
    """OLS with Newey–West (HAC, Bartlett kernel) covariance and t / F inference.

    Args:
        y: Dependent variable, one value per row of ``x``.
        x: Regressors (include the constant yourself).
        maxlags: HAC truncation lag; ``None`` uses :func:`newey_west_lags`.

    Returns:
        A statsmodels ``RegressionResults`` (``cov_type="HAC"``, small-sample corrected).

    Raises:
        InsufficientDataError: if there are not more observations than regressors.
    """
    import statsmodels.api as sm

    yv = np.asarray(y, dtype=float)
    n, k = x.shape
    if n <= k:
        raise InsufficientDataError(
            f"ols_hac: {n} observations for {k} regressors; need more observations than "
            "regressors (use more years or fewer breaks)"
        )
    lags = newey_west_lags(n) if maxlags is None else int(maxlags)
    model = sm.OLS(yv, x.astype(float))
    return model.fit(cov_type="HAC", cov_kwds={"maxlags": lags, "use_correction": True}, use_t=True)


def coef_table(result, alpha: float = 0.05) -> pd.DataFrame:
    """Tidy coefficient table of a statsmodels result.

    Returns:
        DataFrame indexed by term with ``coef``, ``std_err``, ``ci_low``, ``ci_high``,
        ``p_value`` (the result's covariance type, e.g. HAC).
    """
    ci = np.asarray(result.conf_int(alpha))
    names = list(result.model.exog_names)
    return pd.DataFrame(
        {
            "coef": np.asarray(result.params, dtype=float),
            "std_err": np.asarray(result.bse, dtype=float),
            "ci_low": ci[:, 0],
            "ci_high": ci[:, 1],
            "p_value": np.asarray(result.pvalues, dtype=float),
        },
        index=pd.Index(names, name="term"),
    )


def usable_breaks(
    years: Sequence[int] | np.ndarray, breaks: Sequence[int], min_segment: int = 3
) -> tuple[tuple[int, ...], dict[int, str]]:
    """Keep the breaks that leave at least ``min_segment`` observations in every segment.

    Breaks are checked in time order; a break is dropped (with a reason) if it has too
    few observations before it (since the previous kept break) or from it up to the next
    requested break / the end of the data.

    Returns:
        ``(kept, dropped)`` where ``dropped`` maps a break year to the reason.
    """
    yrs = np.sort(np.asarray(years, dtype=int))
    kept: list[int] = []
    dropped: dict[int, str] = {}
    cands = sorted(set(int(b) for b in breaks))
    for i, b in enumerate(cands):
        prev = kept[-1] if kept else -(10**9)
        nxt = cands[i + 1] if i + 1 < len(cands) else 10**9
        before = int(((yrs >= prev) & (yrs < b)).sum())
        after = int(((yrs >= b) & (yrs < nxt)).sum())
        if yrs.size == 0 or b > yrs.max():
            dropped[b] = f"no observations in or after {b} (data end in {yrs.max()})"
        elif b <= yrs.min():
            dropped[b] = f"no observations before {b} (data start in {yrs.min()})"
        elif before < min_segment:
            dropped[b] = f"only {before} observation(s) before {b} (need {min_segment})"
        elif after < min_segment:
            dropped[b] = f"only {after} observation(s) from {b} on (need {min_segment})"
        else:
            kept.append(b)
    return tuple(kept), dropped


@dataclass(frozen=True)
class BreakTrendFit:
    """A fitted trend-with-breaks model.

    Attributes:
        label: What the series is (used in the interpretation).
        log: True if the model is fitted to log values.
        breaks: Breaks in the model; ``dropped`` holds requested breaks left out and why.
        nobs: Number of observations.
        maxlags: HAC truncation lag.
        alpha: Significance level of the confidence intervals.
        coef: Coefficient table (see :func:`coef_table`).
        r_squared: R² of the fit.
        chow: Classic Chow F test of all break terms.
        wald: HAC Wald F test of all break terms (robust Chow-type test).
        data: Per-year ``value``, ``y`` (modelled), ``fitted`` and ``no_break`` (the
            pre-break trend extended over all years), the last two in the units of ``value``.
    """

    label: str
    log: bool
    breaks: tuple[int, ...]
    dropped: dict[int, str]
    nobs: int
    maxlags: int
    alpha: float
    coef: pd.DataFrame
    r_squared: float
    chow: TestResult | None
    wald: TestResult | None
    data: pd.DataFrame = field(repr=False)


def _clean_series(years, values, log: bool, label: str) -> tuple[np.ndarray, np.ndarray, list]:
    """Drop missing (and for logs non-positive) values; return years, values, notes."""
    s = pd.Series(np.asarray(values, dtype=float), index=np.asarray(years, dtype=int))
    if s.index.has_duplicates:
        raise ValueError(f"{label}: duplicate years {sorted(set(s.index[s.index.duplicated()]))}")
    s = s.sort_index()
    notes = []
    missing = s.index[s.isna()].tolist()
    if missing:
        notes.append(f"missing years left out: {missing}")
    s = s.dropna()
    if log:
        bad = s.index[s <= 0].tolist()
        if bad:
            notes.append(f"non-positive values left out of the log model: {bad}")
        s = s[s > 0]
    return s.index.to_numpy(), s.to_numpy(), notes


def fit_break_trend(
    years: Sequence[int] | np.ndarray,
    values: Sequence[float] | np.ndarray,
    breaks: Sequence[int] = (),
    *,
    log: bool = True,
    label: str = "series",
    alpha: float = 0.05,
    maxlags: int | None = None,
    min_segment: int = 3,
) -> BreakTrendFit:
    """Fit a (log-)linear trend with level and slope breaks, HAC errors and break tests.

    Args:
        years: Observation years.
        values: Values (e.g. US$ mn); missing values are left out, and with ``log=True``
            so are non-positive ones.
        breaks: Requested break years; breaks with too few observations on either side
            (``min_segment``) are dropped and listed in ``dropped``.
        log: Model ``ln(value)`` (growth rates) instead of ``value``.
        label: Name of the series for messages and the interpretation.
        alpha: 1 - confidence level of the intervals.
        maxlags: HAC lag (default: Newey–West rule).
        min_segment: Minimum observations per segment.

    Raises:
        InsufficientDataError: if fewer than ``2 * min_segment`` usable observations remain.
    """
    yrs, vals, notes = _clean_series(years, values, log, label)
    if yrs.size < 2 * min_segment:
        raise InsufficientDataError(
            f"{label}: only {yrs.size} usable observation(s); a trend model needs at least "
            f"{2 * min_segment}. Choose a longer period or another source."
        )
    kept, dropped = usable_breaks(yrs, breaks, min_segment)
    y = np.log(vals) if log else vals
    x = break_design(yrs, kept)
    res = ols_hac(y, x, maxlags)
    coef = coef_table(res, alpha)
    break_cols = [c for c in x.columns if c not in ("const", "trend")]
    chow = wald = None
    if break_cols:
        restricted = ols_hac(y, x[["const", "trend"]], maxlags)
        chow = chow_f(float(restricted.ssr), float(res.ssr), len(break_cols), yrs.size, x.shape[1])
        r = np.zeros((len(break_cols), x.shape[1]))
        for i, col in enumerate(break_cols):
            r[i, list(x.columns).index(col)] = 1.0
        ft = res.f_test(r)
        wald = TestResult(
            "HAC Wald F",
            float(np.squeeze(ft.fvalue)),
            int(ft.df_num),
            int(ft.df_denom),
            float(np.squeeze(ft.pvalue)),
        )
    fitted = np.asarray(res.fittedvalues, dtype=float)
    base = coef.loc["const", "coef"] + coef.loc["trend", "coef"] * x["trend"].to_numpy()
    data = pd.DataFrame(
        {
            "value": vals,
            "y": y,
            "fitted": np.exp(fitted) if log else fitted,
            "no_break": np.exp(base) if log else base,
        },
        index=pd.Index(yrs, name="year"),
    )
    data.attrs["notes"] = notes
    return BreakTrendFit(
        label=label,
        log=log,
        breaks=kept,
        dropped=dropped,
        nobs=int(yrs.size),
        maxlags=int(res.cov_kwds["maxlags"]) if hasattr(res, "cov_kwds") else -1,
        alpha=alpha,
        coef=coef,
        r_squared=float(res.rsquared),
        chow=chow,
        wald=wald,
        data=data,
    )


def scan_break(
    years: Sequence[int] | np.ndarray,
    values: Sequence[float] | np.ndarray,
    *,
    log: bool = True,
    trim: float = 0.15,
    min_segment: int = 3,
) -> pd.DataFrame:
    """Chow F statistic of a single level+slope break at every candidate year (Quandt scan).

    Candidates leave at least ``max(min_segment, trim·n)`` observations on each side. The
    year with the largest F is the break the data favour. (The sup-F statistic does not
    follow an F distribution; use the p-values of :func:`fit_break_trend` only for breaks
    chosen in advance, such as dated shocks.)

    Returns:
        DataFrame with ``year``, ``f_stat``, ``rss`` (one row per candidate), sorted by year.

    Raises:
        InsufficientDataError: if no candidate year is possible.
    """
    yrs, vals, _ = _clean_series(years, values, log, "scan_break")
    y = np.log(vals) if log else vals
    n = yrs.size
    edge = max(min_segment, math.ceil(trim * n))
    if n < 2 * edge + 1:
        raise InsufficientDataError(
            f"scan_break: {n} observations leave no candidate break year with {edge} "
            "observations on each side"
        )
    base = ols_hac(y, break_design(yrs), 0)
    rows = []
    for b in yrs[edge : n - edge + 1]:
        x = break_design(yrs, [int(b)])
        res = ols_hac(y, x, 0)
        test = chow_f(float(base.ssr), float(res.ssr), 2, n, x.shape[1])
        rows.append({"year": int(b), "f_stat": test.f_stat, "rss": float(res.ssr)})
    return pd.DataFrame(rows)


#: Largest number of years a pre-break trend is extended past its break (no prediction band).
MAX_EXTENSION_YEARS = 5
#: A pre-break trend that misses the last pre-break year by more than this (percent of the
#: fitted value) is not read for a level shift: the observed change is reported instead.
FIT_MISS_LIMIT_PCT = 25.0


def extension_end(fit: BreakTrendFit) -> int:
    """Last year to which the pre-break trend may be extended: the first break plus
    :data:`MAX_EXTENSION_YEARS` − 1, or the last observed year if earlier."""
    last = int(fit.data.index.max())
    if not fit.breaks:
        return last
    return min(last, fit.breaks[0] + MAX_EXTENSION_YEARS - 1)


def break_checks(fit: BreakTrendFit) -> pd.DataFrame:
    """What the data did at each break beside what the model says (log models).

    For each break year ``b``: the observed values in ``b − 1`` and ``b`` and their change;
    the model's level shift; the model's fitted value in ``b − 1`` (the trend with the
    earlier breaks, none of ``b``'s terms) and how far the observation lies from it. When
    that miss exceeds :data:`FIT_MISS_LIMIT_PCT`, the pre-break trend does not describe the
    years just before the break, and its level shift should not be read as the break's
    effect (``fit_misses``).

    Returns:
        ``break_year``, ``observed_before``, ``observed_at``, ``observed_change_pct``,
        ``level_shift_pct``, ``pre_fit_before``, ``pre_fit_miss_pct``, ``fit_misses``;
        NaN where ``b − 1`` or ``b`` is not observed.
    """
    d = fit.data
    rows = []
    for b in fit.breaks:
        before = d["value"].get(b - 1, math.nan)
        at = d["value"].get(b, math.nan)
        pre = d["fitted"].get(b - 1, math.nan)  # the model up to b − 1 (earlier breaks in)
        miss = 100 * (before / pre - 1) if pre and not math.isnan(pre) else math.nan
        level = fit.coef.loc[f"level_{b}", "coef"]
        rows.append(
            {
                "break_year": int(b),
                "observed_before": float(before),
                "observed_at": float(at),
                "observed_change_pct": 100 * (at / before - 1) if before else math.nan,
                "level_shift_pct": pct_from_log(level) if fit.log else math.nan,
                "pre_fit_before": float(pre),
                "pre_fit_miss_pct": miss,
                "fit_misses": bool(abs(miss) > FIT_MISS_LIMIT_PCT)
                if not math.isnan(miss)
                else False,
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "break_year",
            "observed_before",
            "observed_at",
            "observed_change_pct",
            "level_shift_pct",
            "pre_fit_before",
            "pre_fit_miss_pct",
            "fit_misses",
        ],
    )


def _pct(x: float) -> str:
    return f"{x:+.1f}%"


def _ci_pct(low: float, high: float) -> str:
    return f"{pct_from_log(low):+.1f}% to {pct_from_log(high):+.1f}%"


def _sig_words(low: float, high: float, level: int) -> str:
    if low > 0 or high < 0:
        return f"statistically distinguishable from zero at the {level}% level"
    return f"not statistically distinguishable from zero at the {level}% level"


def interpret_break_trend(fit: BreakTrendFit) -> str:
    """Plain-language reading of a :class:`BreakTrendFit` (log models), numbers from the fit.

    Returns:
        A few sentences: the pre-break growth rate, each break's level shift and growth
        change with confidence intervals, the joint tests, and how far the last observation
        lies from the extended pre-break trend.
    """
    if not fit.log:
        raise ValueError(
            "interpret_break_trend words effects as percentages and needs a log model "
            "(fit_break_trend(..., log=True))"
        )
    c = fit.coef
    conf = round(100 * (1 - fit.alpha))
    level = round(100 * fit.alpha)
    first, last = int(fit.data.index.min()), int(fit.data.index.max())
    g = c.loc["trend"]
    end_pre = fit.breaks[0] - 1 if fit.breaks else last
    parts = [
        f"{fit.label}: from {first} to {end_pre} the fitted trend grew by "
        f"{_pct(pct_from_log(g['coef']))} a year ({conf}% CI "
        f"{_ci_pct(g['ci_low'], g['ci_high'])})."
    ]
    growth = g["coef"]
    for b in fit.breaks:
        lv, sl = c.loc[f"level_{b}"], c.loc[f"slope_{b}"]
        growth += sl["coef"]
        parts.append(
            f"In {b} the level shifted by {_pct(pct_from_log(lv['coef']))} "
            f"({conf}% CI {_ci_pct(lv['ci_low'], lv['ci_high'])}; "
            f"{_sig_words(lv['ci_low'], lv['ci_high'], level)}), and the growth rate changed by "
            f"{100 * sl['coef']:+.1f} log points a year ({conf}% CI {100 * sl['ci_low']:+.1f} "
            f"to {100 * sl['ci_high']:+.1f}; {_sig_words(sl['ci_low'], sl['ci_high'], level)}), "
            f"to a fitted {_pct(pct_from_log(growth))} a year afterwards."
        )
    years = fit.data.index.to_numpy()
    for i, b in enumerate(fit.breaks):
        end = fit.breaks[i + 1] if i + 1 < len(fit.breaks) else last + 1
        n_seg = int(((years >= b) & (years < end)).sum())
        if n_seg < FEW_YEARS:
            parts.append(
                f"Only {n_seg} years follow the {b} break, so its estimates rest on very few "
                "points and HAC errors are unreliable in such short segments: read them as "
                "indicative."
            )
    for b, why in sorted(fit.dropped.items()):
        parts.append(f"No break was estimated at {b}: {why}.")
    if fit.chow is not None and fit.wald is not None:
        verdict = "reject" if fit.wald.p_value < fit.alpha else "do not reject"
        parts.append(
            f"Jointly, the break terms are tested with a HAC Wald F = {fit.wald.f_stat:.2f} "
            f"(p = {fit.wald.p_value:.3f}) and a classic Chow F = {fit.chow.f_stat:.2f} "
            f"(p = {fit.chow.p_value:.3f}): at the {level}% level we {verdict} 'no break' "
            "(HAC test)."
        )
        end = extension_end(fit)
        gap = 100 * (fit.data["value"].loc[end] / fit.data["no_break"].loc[end] - 1)
        side = "above" if gap >= 0 else "below"
        parts.append(
            f"In {end} the observed value was {abs(gap):.0f}% {side} the pre-"
            f"{fit.breaks[0]} trend extended forward"
            + (
                f" (the trend is not extended further than {MAX_EXTENSION_YEARS} years)."
                if end < last
                else "."
            )
        )
        for row in break_checks(fit).itertuples():
            if row.fit_misses:
                parts.append(
                    f"The pre-{row.break_year} trend misses {row.break_year - 1} by "
                    f"{row.pre_fit_miss_pct:+.0f}%, so its level shift is not a measure of the "
                    f"break: observed, the value changed by {row.observed_change_pct:+.0f}% "
                    f"from {row.break_year - 1} to {row.break_year}."
                )
    parts.append(f"(n = {fit.nobs} years, Newey–West lag {fit.maxlags}, R² = {fit.r_squared:.2f}.)")
    return " ".join(parts)
