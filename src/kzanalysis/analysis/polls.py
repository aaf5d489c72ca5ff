"""Chapter 3, opinion polls and soft power: toplines with uncertainty, trends, war waves.

The curated ``poll_toplines`` table holds published answer shares, hand-transcribed from
pollsters' releases or from news reports quoting them (``secondary_report``). This module
turns them into honest statistics:

* **Intervals** — a Wilson (default) or Agresti–Coull interval from
  :func:`statsmodels.stats.proportion.proportion_confint`, computed on the *effective*
  sample size ``n / design_effect`` (the design effect of weighting and clustering widens
  the interval). Only the whole-sample n is ever published, so subgroup shares and shares
  whose n was not printed get **no** interval; the table says why.
* **Tests** — a two-proportion z test (:func:`statsmodels.stats.proportion.proportions_ztest`)
  on effective counts, with a Newcombe interval for the difference, between survey waves
  of the same question; never between subgroups (their n is unpublished).
* **Trends** — a binomial GLM of the share on time (logit link) for series with at least
  three waves of known n; the slope is in log-odds per year.
* **Source quality** — pollster, mode (only where a row's text states it), n, fieldwork
  dates and whether each number is the pollster's own or a secondary report.
* **Soft power** — Russia's share of each Central Asian state's students abroad (UIS),
  census ethnic shares and language knowledge in Kazakhstan.

Every function is pure (frames in, frames out). The report elements (tables, figures,
notes and key findings of the notebook) are built from these results in
:mod:`kzanalysis.analysis.polls_report`.

Example:
    >>> low, high = proportion_interval(30.8, 263, confidence=0.95, design_effect=1.0)
    >>> round(low, 1), round(high, 1)
    (25.5, 36.6)
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from kzanalysis.analysis._checks import require_columns as _require_columns
from kzanalysis.analysis.polls_params import CA5, SUBGROUP_CODES, TOPICS
from kzanalysis.errors import UnknownCodeError
from kzanalysis.stats import InsufficientDataError

__all__ = [
    "TOPIC_RULES",
    "GlmTrend",
    "ProportionTest",
    "add_intervals",
    "add_topics",
    "census_ethnic_shares",
    "compare_subgroups",
    "compare_waves",
    "coverage",
    "effective_n",
    "fieldwork_label",
    "fieldwork_midpoint",
    "fieldwork_text",
    "fit_glm_trend",
    "flagged",
    "language_knowledge",
    "leadership_series",
    "midpoint_date",
    "proportion_interval",
    "publishers_of",
    "residual_pct",
    "select_toplines",
    "source_quality",
    "student_shares",
    "survey_mode",
    "top_destinations",
    "topic_of",
    "trend_table",
    "two_proportion_test",
]

# --------------------------------------------------------------------------- constants

#: Question id pattern -> topic; the first matching rule wins. Every question id of the
#: bundled data must match one rule (a unit test checks it), so a new question in a data
#: update fails loudly instead of disappearing from every topic.
TOPIC_RULES: tuple[tuple[str, str], ...] = (
    (r"^gallup_approve_", "leadership_approval"),
    (r"^mv_confidence_", "leadership_approval"),
    (
        r"^(edb_eaeu_support|kaziss_customs_union|kaziss_eaeu_creation|mv_join_eaeu)$",
        "eaeu_support",
    ),
    (
        r"^(cab_covid_best_helper|edb_friendly_cis|kaziss_preferred_partner|mv_priority_partner)$",
        "partner_choice",
    ),
    (r"^(cab_home_language|dms_main_info_source)$", "language_and_media"),
    (
        r"^(cab_war_|dms_conflict_|dms_side_|dms_follows_|dms_war_|dms_putin_|kse_)",
        "war_in_ukraine",
    ),
    (r"^dms_russia_attack_possible$", "war_in_ukraine"),
    (r"^(talap_|iri_relations_china$)", "views_of_china"),
    (
        r"^(cab_fav_russia|cab_closer_relations_russia|dms_attitude_russia_change|dms17_|"
        r"iri_relations_russia$|mv_russia_role$|od_)",
        "views_of_russia",
    ),
    (r"^iri_relations_", "views_of_others"),
)

#: Question ids of leadership approval / confidence -> actor whose leadership is rated.
LEADERSHIP_ACTORS: dict[str, str] = {
    "gallup_approve_russia": "Russia",
    "gallup_approve_us": "US",
    "gallup_approve_ukraine": "Ukraine",
    "gallup_approve_china_avg": "China",
    "gallup_approve_russia_avg": "Russia",
    "gallup_approve_us_avg": "US",
    "mv_confidence_putin": "Russia",
    "mv_confidence_obama": "US",
    "mv_confidence_xi": "China",
}

#: Readable subgroup labels (``poll_toplines.subgroup`` codes).
SUBGROUP_LABELS: dict[str, str] = {
    "all": "whole sample",
    "russian_speakers": "interviewed in Russian",
    "kazakh_speakers": "interviewed in Kazakh",
    "ethnic_russians": "ethnic Russians",
    "ethnic_kazakhs": "ethnic Kazakhs",
    "other_ethnic_groups": "other ethnic groups",
    "age_18_29": "aged 18-29",
    "age_60_plus": "aged 60+",
}

#: Survey modes recognised in the row text (population, page_or_table, survey name), in
#: the order they are tested. Nothing matched -> "not published".
MODE_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"phone and online|phone\s*\+\s*online", "phone + online (non-probability)"),
    (r"\bCATI\b|telephone|mobile-phone|\(phone\)|\bphone\b", "phone"),
    (r"face[- ]to[- ]face", "face-to-face"),
    (r"\bonline\b", "online"),
)

#: Method notes of the shared snapshot's ``polls/PROVENANCE.md`` per source id: what the
#: data scout read about the series' method elsewhere than in the row itself. Shown next
#: to (never instead of) the mode stated in the rows.
PROVENANCE_METHOD_NOTES: dict[str, str] = {
    "demoscope": "waves 2-4 (November 2022, May 2023, January–February 2025): telephone "
    "interviews (CATI) with random mobile numbers, adults 18+, weighted, response rate 15–16 %; "
    "wave 1 (March 2022): method not in the stored excerpt; September 2017: phone and online "
    "non-probability sample",
    "cab": "about 1,500 per country per wave; waves 1-6 (2017-2019) face to face, wave 7 on "
    "by mobile phone (do not pool across the change)",
    "gallup_world_poll": "about 1,000 adults 15+ per country, face-to-face or telephone "
    "(Gallup's general description, not per wave)",
    "edb_integration_barometer": "about 1,000-2,000 per country (n per country not printed)",
    "mvector": "2014 summer poll by phone; 2012 method not stated",
    "kse_gradus": "fieldwork dates, mode and n not given",
    "kaziss": "fieldwork unknown (year inferred from the conference date)",
    "opendemocracy": "original not seen; method not stated",
    "talap": "more than 1,600 respondents; mode not stated",
    "iri": "2018: n = 1,500 adults 18+; 2021 (with SIAR): n not stated",
}

NO_N = "no interval: n not published"
SUBGROUP_NO_N = "no interval: subgroup n not published"
NO_DATE = "date unknown"

# --------------------------------------------------------------------------- helpers


def _alpha(confidence: float) -> float:
    if not 0.5 < confidence < 1:
        raise ValueError(f"confidence {confidence!r} must be between 0.5 and 1 (e.g. 0.95, not 95)")
    return 1.0 - confidence


def _check_deff(design_effect: float) -> None:
    if not (isinstance(design_effect, (int, float)) and design_effect >= 1):
        raise ValueError(
            f"design_effect {design_effect!r} must be a number >= 1 (1 = simple random sample)"
        )


def topic_of(question_id: str) -> str:
    """Return the topic of a ``poll_toplines`` question id (see :data:`TOPIC_RULES`).

    Raises:
        UnknownCodeError: if no rule matches; add a rule to :data:`TOPIC_RULES`.
    """
    for pattern, topic in TOPIC_RULES:
        if re.search(pattern, str(question_id)):
            return topic
    raise UnknownCodeError(
        f"question_id {question_id!r} matches no rule of kzanalysis.analysis.polls."
        "TOPIC_RULES; add a (pattern, topic) rule for it"
    )


def add_topics(polls: pd.DataFrame) -> pd.DataFrame:
    """Return ``polls`` with a ``topic`` column (one of :data:`TOPICS` except ``all``)."""
    _require_columns(polls, ["question_id"], "add_topics")
    out = polls.copy()
    out["topic"] = out["question_id"].map(topic_of)
    return out


def _parse_bound(text: object, end: bool) -> date | None:
    """First (or last) day of an ISO period ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    if text is None or (isinstance(text, float) and math.isnan(text)) or pd.isna(text):
        return None
    parts = [int(p) for p in str(text).strip().split("-")]
    if len(parts) == 1:
        return date(parts[0], 12, 31) if end else date(parts[0], 1, 1)
    if len(parts) == 2:
        if not end:
            return date(parts[0], parts[1], 1)
        nxt = date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
        return date.fromordinal(nxt.toordinal() - 1)
    return date(parts[0], parts[1], parts[2])


def _decimal_year(day: date) -> float:
    first = date(day.year, 1, 1).toordinal()
    length = date(day.year + 1, 1, 1).toordinal() - first
    return day.year + (day.toordinal() - first) / length


def fieldwork_midpoint(start: object, end: object) -> float:
    """Midpoint of the fieldwork period as a decimal year (NaN when both are unknown).

    Each bound may be ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; a year covers 1 Jan-31 Dec,
    a month its first to last day. A missing bound takes the other one's period.

    Example:
        >>> round(fieldwork_midpoint("2022-11-04", "2022-11-24"), 3)
        2022.87
    """
    lo = _parse_bound(start, end=False) or _parse_bound(end, end=False)
    hi = _parse_bound(end, end=True) or _parse_bound(start, end=True)
    if lo is None or hi is None:
        return float("nan")
    return (_decimal_year(lo) + _decimal_year(hi)) / 2 + 0.5 / 365.25


def fieldwork_label(start: object, end: object) -> str:
    """Short label of the fieldwork period at month precision (``2022-11``, ``2017–2019``).

    Example:
        >>> fieldwork_label("2025-01-27", "2025-02-05")
        '2025-01–2025-02'
    """
    vals = [str(v)[:7] for v in (start, end) if v is not None and not pd.isna(v) and str(v)]
    if not vals:
        return NO_DATE
    if len(vals) == 1 or vals[0] == vals[1]:
        return vals[0]
    return f"{vals[0]}–{vals[1]}"


_YEAR_ONLY = re.compile(r"\d{4}")


def fieldwork_text(start: object, end: object) -> str:
    """The fieldwork period in words, at the precision the pollster gave.

    Years stay years ("2017–2019"), months are named ("March 2022", "January–February
    2025"); a year-only bound next to a month-precise one is dropped; no bound gives
    :data:`NO_DATE`.

    Example:
        >>> fieldwork_text("2022-11-04", "2022-11-24"), fieldwork_text("2017", "2019")
        ('November 2022', '2017–2019')
    """
    from kzanalysis.report import fieldwork

    bounds = [
        None if v is None or pd.isna(v) or not str(v).strip() else str(v).strip()
        for v in (start, end)
    ]
    known = [b for b in bounds if b is not None]
    if not known:
        return NO_DATE
    if all(_YEAR_ONLY.fullmatch(b) for b in known):
        years = list(dict.fromkeys(known))
        return "–".join(years)
    first, last = (None if b is not None and _YEAR_ONLY.fullmatch(b) else b for b in bounds)
    return fieldwork(first, last)


def midpoint_date(decimal_year: float) -> str | None:
    """The calendar day of a decimal year (``2022.87`` → ``2022-11-14``); None for NaN.

    Example:
        >>> midpoint_date(fieldwork_midpoint("2022-11-04", "2022-11-24"))
        '2022-11-14'
    """
    if decimal_year is None or pd.isna(decimal_year):
        return None
    year = math.floor(decimal_year)
    first = date(year, 1, 1).toordinal()
    length = date(year + 1, 1, 1).toordinal() - first
    return date.fromordinal(first + math.floor((decimal_year - year) * length)).isoformat()


def survey_mode(*texts: object) -> str:
    """Survey mode stated in the row text (population, page_or_table, survey name).

    Returns ``"not published"`` when no text names a mode: the chapter never guesses it.

    Example:
        >>> survey_mode("adults 18+, CATI, random mobile numbers")
        'phone'
    """
    joined = " ".join(str(t) for t in texts if t is not None and not pd.isna(t))
    for pattern, mode in MODE_PATTERNS:
        if re.search(pattern, joined, flags=re.IGNORECASE):
            return mode
    return "not published"


def flagged(share_pct: float, secondary: bool, publisher: str = "", digits: int = 1) -> str:
    """A share as text with its secondary-report flag (never print one without it).

    Example:
        >>> flagged(39.0, True, "Window on Eurasia (blog)")
        '39.0% [secondary report: Window on Eurasia (blog)]'
    """
    text = f"{share_pct:.{digits}f}%"
    if bool(secondary):
        who = f": {publisher}" if publisher else ""
        text += f" [secondary report{who}]"
    return text


# --------------------------------------------------------------------------- selection


def _add_waves(rows: pd.DataFrame) -> pd.DataFrame:
    """Add ``wave`` (fieldwork label), ``fieldwork`` (in words, :func:`fieldwork_text`) and
    ``fieldwork_mid_year`` (decimal year) in place."""
    bounds = list(zip(rows["fieldwork_start"], rows["fieldwork_end"], strict=True))
    rows["wave"] = [fieldwork_label(s, e) for s, e in bounds]
    rows["fieldwork"] = [fieldwork_text(s, e) for s, e in bounds]
    rows["fieldwork_mid_year"] = [fieldwork_midpoint(s, e) for s, e in bounds]
    return rows


def select_toplines(
    polls: pd.DataFrame, country: str, topic: str = "all", subgroup: str = "all"
) -> pd.DataFrame:
    """Rows of one country (and topic, subgroup), with topic, wave label, fieldwork in words
    and midpoint.

    For ``subgroup`` other than ``all`` the subgroup rows are returned together with the
    whole-sample rows of the same survey questions, for comparison.

    Args:
        polls: ``poll_toplines`` as loaded.
        country: ISO3 code (one of the five Central Asian states).
        topic: One of :data:`kzanalysis.analysis.polls_params.TOPICS`.
        subgroup: ``all``, ``language``, ``ethnicity`` or ``age``.

    Raises:
        UnknownCodeError: for an unknown country, topic or subgroup.
    """
    _require_columns(
        polls,
        ["country_iso3", "question_id", "subgroup", "fieldwork_start", "fieldwork_end"],
        "select_toplines",
    )
    if country not in CA5:
        raise UnknownCodeError(f"country {country!r}: use one of {', '.join(CA5)}")
    if topic not in TOPICS:
        raise UnknownCodeError(f"topic {topic!r}: use one of {', '.join(TOPICS)}")
    if subgroup not in SUBGROUP_CODES:
        raise UnknownCodeError(f"subgroup {subgroup!r}: use one of {', '.join(SUBGROUP_CODES)}")
    rows = add_topics(polls[polls["country_iso3"] == country])
    if topic != "all":
        rows = rows[rows["topic"] == topic]
    codes = SUBGROUP_CODES[subgroup]
    if subgroup != "all":
        keys = rows.loc[rows["subgroup"].isin(codes), ["survey", "question_id"]]
        keyset = set(map(tuple, keys.to_numpy()))
        pairs = zip(rows["survey"], rows["question_id"], strict=True)
        same_q = np.array([(s, q) in keyset for s, q in pairs], dtype=bool)
        rows = rows[rows["subgroup"].isin(codes) | (same_q & (rows["subgroup"] == "all"))]
    else:
        rows = rows[rows["subgroup"] == "all"]
    rows = rows.copy()
    rows = _add_waves(rows.copy())
    return rows.sort_values(
        ["topic", "question_id", "fieldwork_mid_year", "subgroup", "option"], na_position="first"
    ).reset_index(drop=True)


def coverage(polls: pd.DataFrame) -> pd.DataFrame:
    """Rows per country and topic, and how many of them have a published n.

    Pooled multi-country rows count under ``country_iso3 = "pooled"``.

    Returns:
        Columns ``country_iso3, topic, rows, rows_with_n, rows_secondary, surveys``.
    """
    _require_columns(
        polls, ["country_iso3", "question_id", "sample_n", "secondary_report"], "coverage"
    )
    frame = add_topics(polls)
    frame["country_iso3"] = frame["country_iso3"].fillna("pooled")
    return (
        frame.groupby(["country_iso3", "topic"])
        .agg(
            rows=("question_id", "size"),
            rows_with_n=("sample_n", lambda s: int(s.notna().sum())),
            rows_secondary=("secondary_report", lambda s: int(s.fillna(False).astype(bool).sum())),
            surveys=("survey", "nunique"),
        )
        .reset_index()
    )


# --------------------------------------------------------------------------- intervals


def effective_n(n: float, design_effect: float) -> float:
    """Effective sample size ``n / design_effect`` (Kish).

    Raises:
        ValueError: if n is not positive or the design effect is below 1.
    """
    _check_deff(design_effect)
    if not n > 0:
        raise ValueError(f"sample size n = {n!r} must be positive")
    return float(n) / float(design_effect)


def proportion_interval(
    share_pct: float,
    n: float,
    *,
    confidence: float = 0.95,
    design_effect: float = 1.0,
    method: str = "wilson",
) -> tuple[float, float]:
    """Confidence interval (percent) for a published share with sample size ``n``.

    The interval is computed by :func:`statsmodels.stats.proportion.proportion_confint` on
    the effective sample ``n / design_effect`` with the (non-integer) effective count
    ``share * n_eff``, which widens it by about ``sqrt(design_effect)``.

    Args:
        share_pct: Published share, 0-100.
        n: Sample size of the share's base (whole sample; never a guessed subgroup n).
        confidence: Confidence level, e.g. 0.95.
        design_effect: Variance inflation of the design (>= 1).
        method: ``wilson`` or ``agresti_coull``.

    Raises:
        ValueError: for a share outside 0-100, a bad n, confidence, design effect or method.
    """
    from statsmodels.stats.proportion import proportion_confint

    if method not in ("wilson", "agresti_coull"):
        raise ValueError(f"method {method!r}: use 'wilson' or 'agresti_coull'")
    if not 0 <= share_pct <= 100:
        raise ValueError(f"share_pct {share_pct!r} must be a percentage between 0 and 100")
    alpha = _alpha(confidence)
    n_eff = effective_n(n, design_effect)
    low, high = proportion_confint(share_pct / 100 * n_eff, n_eff, alpha=alpha, method=method)
    return float(max(low, 0.0)) * 100, float(min(high, 1.0)) * 100


def add_intervals(
    rows: pd.DataFrame,
    *,
    confidence: float = 0.95,
    design_effect: float = 1.5,
    method: str = "wilson",
) -> pd.DataFrame:
    """Add ``n_effective, ci_low_pct, ci_high_pct, interval`` to topline rows.

    Only whole-sample rows with a published ``sample_n`` get an interval. Subgroup rows get
    none even when the whole-sample n is known (subgroup sizes were never published), and
    rows without n get none; ``interval`` says which case applies.
    """
    _require_columns(rows, ["share_pct", "sample_n", "subgroup"], "add_intervals")
    _alpha(confidence)
    _check_deff(design_effect)
    out = rows.copy()
    n_eff, low, high, status = [], [], [], []
    for share, n, sub in zip(out["share_pct"], out["sample_n"], out["subgroup"], strict=True):
        if sub != "all":
            n_eff.append(np.nan), low.append(np.nan), high.append(np.nan)
            status.append(SUBGROUP_NO_N)
        elif pd.isna(n):
            n_eff.append(np.nan), low.append(np.nan), high.append(np.nan)
            status.append(NO_N)
        else:
            lo, hi = proportion_interval(
                float(share),
                float(n),
                confidence=confidence,
                design_effect=design_effect,
                method=method,
            )
            n_eff.append(effective_n(float(n), design_effect))
            low.append(lo), high.append(hi)
            status.append(f"{method} {confidence:.0%}, deff {design_effect:g}")
    out["n_effective"] = n_eff
    out["ci_low_pct"] = low
    out["ci_high_pct"] = high
    out["interval"] = status
    return out


def residual_pct(
    rows: pd.DataFrame, by: Sequence[str] = ("survey", "question_id", "subgroup")
) -> pd.DataFrame:
    """Share not covered by the published options of each question (100 - sum of shares).

    A positive residual is "don't know / other / not printed"; it is arithmetic, not a
    published number.
    """
    _require_columns(rows, [*by, "share_pct"], "residual_pct")
    out = rows.groupby(list(by), dropna=False)["share_pct"].sum().reset_index()
    out["residual_pct"] = 100 - out["share_pct"]
    return out.rename(columns={"share_pct": "sum_published_pct"})


# --------------------------------------------------------------------------- tests


@dataclass(frozen=True)
class ProportionTest:
    """A two-proportion z test on effective counts.

    Attributes:
        share1_pct, share2_pct: The two shares (percent).
        n1_eff, n2_eff: Effective sample sizes (n / design effect).
        diff_pp: ``share2 - share1`` in percentage points.
        diff_ci_low_pp, diff_ci_high_pp: Newcombe (hybrid score) interval of the difference.
        z: Pooled z statistic of ``share1 - share2``.
        p_value: Two-sided p value.
    """

    share1_pct: float
    share2_pct: float
    n1_eff: float
    n2_eff: float
    diff_pp: float
    diff_ci_low_pp: float
    diff_ci_high_pp: float
    z: float
    p_value: float


def two_proportion_test(
    share1_pct: float,
    n1: float,
    share2_pct: float,
    n2: float,
    *,
    design_effect: float = 1.0,
    confidence: float = 0.95,
) -> ProportionTest:
    """Two-sided two-proportion z test (pooled variance) of two independent samples.

    Both samples are deflated to their effective size ``n / design_effect`` before the
    test (:func:`statsmodels.stats.proportion.proportions_ztest`); the difference's
    interval is Newcombe's hybrid score interval
    (:func:`statsmodels.stats.proportion.confint_proportions_2indep`, ``newcomb``).

    Raises:
        ValueError: for shares outside 0-100 or bad n / design effect / confidence.
    """
    from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest

    alpha = _alpha(confidence)
    for s in (share1_pct, share2_pct):
        if not 0 <= s <= 100:
            raise ValueError(f"share {s!r} must be a percentage between 0 and 100")
    e1, e2 = effective_n(n1, design_effect), effective_n(n2, design_effect)
    c1, c2 = share1_pct / 100 * e1, share2_pct / 100 * e2
    z, p = proportions_ztest(np.array([c1, c2]), np.array([e1, e2]))
    lo, hi = confint_proportions_2indep(c2, e2, c1, e1, method="newcomb", alpha=alpha)
    return ProportionTest(
        share1_pct=float(share1_pct),
        share2_pct=float(share2_pct),
        n1_eff=e1,
        n2_eff=e2,
        diff_pp=float(share2_pct - share1_pct),
        diff_ci_low_pp=float(lo) * 100,
        diff_ci_high_pp=float(hi) * 100,
        z=float(z),
        p_value=float(p),
    )


def compare_waves(
    rows: pd.DataFrame,
    *,
    design_effect: float = 1.5,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Compare each option of each question between consecutive waves.

    Rows are grouped by ``question_id, subgroup, option`` and ordered by
    ``fieldwork_mid_year`` (see :func:`select_toplines`). A pair is tested only when both
    waves are whole-sample rows with a published n; otherwise ``test`` says why not.

    Returns:
        One row per consecutive pair: ``question_id, subgroup, option, wave_1, wave_2,
        share_1_pct, share_2_pct, diff_pp, diff_ci_low_pp, diff_ci_high_pp, z, p_value,
        secondary_1, secondary_2, test``.
    """
    need = [
        "question_id",
        "subgroup",
        "option",
        "wave",
        "fieldwork_mid_year",
        "share_pct",
        "sample_n",
        "secondary_report",
    ]
    _require_columns(rows, need, "compare_waves")
    records = []
    ordered = rows.sort_values("fieldwork_mid_year")
    for (qid, sub, opt), grp in ordered.groupby(["question_id", "subgroup", "option"], sort=True):
        grp = grp.dropna(subset=["fieldwork_mid_year"])
        for (_, a), (_, b) in zip(grp.iloc[:-1].iterrows(), grp.iloc[1:].iterrows(), strict=True):
            rec = {
                "question_id": qid,
                "subgroup": sub,
                "option": opt,
                "wave_1": a["wave"],
                "wave_2": b["wave"],
                "share_1_pct": a["share_pct"],
                "share_2_pct": b["share_pct"],
                "diff_pp": b["share_pct"] - a["share_pct"],
                "diff_ci_low_pp": np.nan,
                "diff_ci_high_pp": np.nan,
                "z": np.nan,
                "p_value": np.nan,
                "secondary_1": bool(a["secondary_report"]),
                "secondary_2": bool(b["secondary_report"]),
            }
            if sub != "all":
                rec["test"] = "no test: subgroup n not published"
            elif pd.isna(a["sample_n"]) or pd.isna(b["sample_n"]):
                rec["test"] = "no test: n not published for a wave"
            else:
                res = two_proportion_test(
                    a["share_pct"],
                    a["sample_n"],
                    b["share_pct"],
                    b["sample_n"],
                    design_effect=design_effect,
                    confidence=confidence,
                )
                rec.update(
                    diff_ci_low_pp=res.diff_ci_low_pp,
                    diff_ci_high_pp=res.diff_ci_high_pp,
                    z=res.z,
                    p_value=res.p_value,
                    test=f"two-proportion z, deff {design_effect:g}",
                )
            records.append(rec)
    cols = [
        "question_id",
        "subgroup",
        "option",
        "wave_1",
        "wave_2",
        "share_1_pct",
        "share_2_pct",
        "diff_pp",
        "diff_ci_low_pp",
        "diff_ci_high_pp",
        "z",
        "p_value",
        "secondary_1",
        "secondary_2",
        "test",
    ]
    return pd.DataFrame.from_records(records, columns=cols)


def compare_subgroups(rows: pd.DataFrame, pairs: Sequence[tuple[str, str]]) -> pd.DataFrame:
    """Differences between two subgroups of the same wave, question and option.

    Published subgroup sizes do not exist in the bundled data, so no test is run; the
    difference is descriptive and ``test`` says so. (Were a subgroup n ever published it
    would belong in ``sample_n`` of the subgroup row, and the test would run.)

    Args:
        rows: Topline rows with ``wave`` (see :func:`select_toplines`).
        pairs: Subgroup code pairs, e.g. ``[("russian_speakers", "kazakh_speakers")]``.
    """
    _require_columns(
        rows,
        ["survey", "wave", "question_id", "option", "subgroup", "share_pct"],
        "compare_subgroups",
    )
    records = []
    for g1, g2 in pairs:
        a = rows[rows["subgroup"] == g1]
        b = rows[rows["subgroup"] == g2]
        merged = a.merge(b, on=["survey", "wave", "question_id", "option"], suffixes=("_1", "_2"))
        for _, r in merged.iterrows():
            both_n = not (pd.isna(r["sample_n_1"]) or pd.isna(r["sample_n_2"]))
            records.append(
                {
                    "wave": r["wave"],
                    "question_id": r["question_id"],
                    "option": r["option"],
                    "subgroup_1": g1,
                    "subgroup_2": g2,
                    "share_1_pct": r["share_pct_1"],
                    "share_2_pct": r["share_pct_2"],
                    "diff_pp": r["share_pct_2"] - r["share_pct_1"],
                    "secondary": bool(r["secondary_report_1"]) or bool(r["secondary_report_2"]),
                    "test": "subgroup n published: test possible"
                    if both_n
                    else "no test: subgroup n not published",
                }
            )
    cols = [
        "wave",
        "question_id",
        "option",
        "subgroup_1",
        "subgroup_2",
        "share_1_pct",
        "share_2_pct",
        "diff_pp",
        "secondary",
        "test",
    ]
    return pd.DataFrame.from_records(records, columns=cols)


# --------------------------------------------------------------------------- trends


@dataclass(frozen=True)
class GlmTrend:
    """A binomial GLM (logit link) of a share on time.

    Attributes:
        label: What was fitted.
        n_waves: Number of waves (observations).
        t0: Origin of time (decimal year); the intercept is the log-odds at ``t0``.
        intercept: Log-odds at ``t0``.
        slope: Change of the log-odds per year.
        slope_ci: Confidence interval of the slope.
        odds_ratio_per_year: ``exp(slope)``.
        p_value: Wald p value of ``slope = 0``.
        pearson_chi2: Pearson chi-square of the fit.
        df_resid: Residual degrees of freedom (waves - 2).
        confidence: Confidence level used.
        design_effect: Design effect used to deflate the counts.
        result: The statsmodels result (for predictions).
        quasi: True when the variance was scaled by Pearson chi-square / df.
    """

    label: str
    n_waves: int
    t0: float
    intercept: float
    slope: float
    slope_ci: tuple[float, float]
    odds_ratio_per_year: float
    p_value: float
    pearson_chi2: float
    df_resid: int
    confidence: float
    design_effect: float
    result: object
    quasi: bool = False

    @property
    def dispersion(self) -> float:
        """Pearson chi-square / residual df (NaN with no residual df); > 1 = overdispersed."""
        return self.pearson_chi2 / self.df_resid if self.df_resid > 0 else float("nan")

    def predict(self, years: Sequence[float] | np.ndarray) -> pd.DataFrame:
        """Fitted share and its confidence band at ``years`` (decimal years), in percent."""
        import statsmodels.api as sm

        t = np.asarray(years, dtype=float)
        exog = sm.add_constant(t - self.t0, has_constant="add")
        frame = self.result.get_prediction(exog).summary_frame(alpha=1 - self.confidence)
        return pd.DataFrame(
            {
                "year": t,
                "share_pct": frame["mean"].to_numpy() * 100,
                "ci_low_pct": frame["mean_ci_lower"].to_numpy() * 100,
                "ci_high_pct": frame["mean_ci_upper"].to_numpy() * 100,
            }
        )


def fit_glm_trend(
    years: Sequence[float] | np.ndarray,
    shares_pct: Sequence[float] | np.ndarray,
    ns: Sequence[float] | np.ndarray,
    *,
    design_effect: float = 1.0,
    confidence: float = 0.95,
    label: str = "",
    min_waves: int = 3,
    quasi: bool = False,
) -> GlmTrend:
    """Fit ``logit(share) = a + b·(year - t0)`` by a binomial GLM on effective counts.

    Each wave contributes ``share·n_eff`` successes and ``(1 - share)·n_eff`` failures with
    ``n_eff = n / design_effect``, so the design effect widens every interval.

    With ``quasi=True`` (and at least one residual degree of freedom) the variance is
    scaled by Pearson's chi-square / df (quasi-binomial): waves that scatter more than
    binomial sampling allows (house effects, real short-term swings) widen the slope's
    interval. With three waves that scale rests on a single degree of freedom.

    Raises:
        InsufficientDataError: with fewer than ``min_waves`` waves or fewer than two
            distinct years.
        ValueError: for shares outside 0-100, non-positive n, bad confidence / deff.
    """
    import statsmodels.api as sm

    t = np.asarray(years, dtype=float)
    p = np.asarray(shares_pct, dtype=float) / 100
    n = np.asarray(ns, dtype=float)
    if not (len(t) == len(p) == len(n)):
        raise ValueError(f"{label}: years, shares and ns must have the same length")
    alpha = _alpha(confidence)
    _check_deff(design_effect)
    if len(t) < min_waves or len(np.unique(t)) < 2:
        raise InsufficientDataError(
            f"{label or 'trend'}: {len(t)} wave(s) with published n; a trend needs at least "
            f"{min_waves} in at least two distinct years"
        )
    if np.any((p < 0) | (p > 1)) or np.any(~np.isfinite(n)) or np.any(n <= 0):
        raise ValueError(f"{label}: shares must be 0-100 and every n positive")
    n_eff = n / design_effect
    endog = np.column_stack([p * n_eff, (1 - p) * n_eff])
    t0 = float(t.min())
    exog = sm.add_constant(t - t0, has_constant="add")
    model = sm.GLM(endog, exog, family=sm.families.Binomial())
    res = model.fit()
    if quasi and len(t) > 2:
        # statsmodels' scale="X2" computes the Pearson statistic on the proportion scale
        # when endog holds (successes, failures); pass the count-scale dispersion instead.
        res = model.fit(scale=float(res.pearson_chi2 / res.df_resid))
    ci = res.conf_int(alpha=alpha)
    return GlmTrend(
        label=label,
        n_waves=len(t),
        t0=t0,
        intercept=float(res.params[0]),
        slope=float(res.params[1]),
        slope_ci=(float(ci[1][0]), float(ci[1][1])),
        odds_ratio_per_year=float(np.exp(res.params[1])),
        p_value=float(res.pvalues[1]),
        pearson_chi2=float(res.pearson_chi2),
        df_resid=round(res.df_resid),
        confidence=confidence,
        design_effect=float(design_effect),
        result=res,
        quasi=bool(quasi and len(t) > 2),
    )


def _series_caveats(grp: pd.DataFrame) -> str:
    notes = []
    pubs = grp["source_publisher"].nunique()
    if grp["source"].nunique() > 1:
        notes.append("different pollsters")
    modes = {
        survey_mode(p, q, s)
        for p, q, s in zip(grp["population"], grp["page_or_table"], grp["survey"], strict=True)
    }
    if len(modes) > 1:
        notes.append("modes differ or unstated: " + ", ".join(sorted(modes)))
    elif modes == {"not published"}:
        notes.append("mode not published")
    if grp["secondary_report"].fillna(False).astype(bool).any():
        k = int(grp["secondary_report"].fillna(False).astype(bool).sum())
        notes.append(f"{k} of {len(grp)} waves from secondary reports")
    if pubs > 1:
        notes.append(f"{pubs} different publishing pages")
    return "; ".join(notes) if notes else "same pollster and stated mode"


def trend_table(
    rows: pd.DataFrame,
    *,
    design_effect: float = 1.5,
    confidence: float = 0.95,
    min_waves: int = 3,
) -> tuple[pd.DataFrame, dict[tuple[str, str, str], GlmTrend]]:
    """Summarise every series asked in at least two waves, fitting a GLM trend where possible.

    A series is one ``question_id, option, subgroup`` of one country. The binomial GLM is
    fitted only to whole-sample waves with a published n, and only with at least
    ``min_waves`` of them; otherwise ``model`` says why there is none.

    Returns:
        The summary (``question_id, option, subgroup, waves, first_wave, last_wave,
        first_pct, last_pct, change_pp, waves_with_n, model, slope_logit_per_year,
        slope_ci_low, slope_ci_high, p_value, dispersion, quasi_ci_low, quasi_ci_high,
        caveats``) and the binomial fits keyed by ``(question_id, option, subgroup)``. The
        ``quasi_*`` interval scales the variance by the Pearson dispersion (quasi-binomial).
    """
    need = [
        "question_id",
        "option",
        "subgroup",
        "wave",
        "fieldwork_mid_year",
        "share_pct",
        "sample_n",
        "secondary_report",
        "source",
        "source_publisher",
        "population",
        "page_or_table",
        "survey",
    ]
    _require_columns(rows, need, "trend_table")
    records, fits = [], {}
    dated = rows.dropna(subset=["fieldwork_mid_year"]).sort_values("fieldwork_mid_year")
    for key, grp in dated.groupby(["question_id", "option", "subgroup"], sort=True):
        if grp["fieldwork_mid_year"].nunique() < 2:
            continue
        with_n = grp[grp["sample_n"].notna() & (grp["subgroup"] == "all")]
        rec = {
            "question_id": key[0],
            "option": key[1],
            "subgroup": key[2],
            "waves": len(grp),
            "first_wave": grp["wave"].iloc[0],
            "last_wave": grp["wave"].iloc[-1],
            "first_pct": grp["share_pct"].iloc[0],
            "last_pct": grp["share_pct"].iloc[-1],
            "change_pp": grp["share_pct"].iloc[-1] - grp["share_pct"].iloc[0],
            "waves_with_n": len(with_n),
            "slope_logit_per_year": np.nan,
            "slope_ci_low": np.nan,
            "slope_ci_high": np.nan,
            "p_value": np.nan,
            "dispersion": np.nan,
            "quasi_ci_low": np.nan,
            "quasi_ci_high": np.nan,
            "caveats": _series_caveats(grp),
        }
        try:
            fit = fit_glm_trend(
                with_n["fieldwork_mid_year"],
                with_n["share_pct"],
                with_n["sample_n"].astype(float),
                design_effect=design_effect,
                confidence=confidence,
                label=" / ".join(key),
                min_waves=min_waves,
            )
        except InsufficientDataError:
            rec["model"] = f"none: {len(with_n)} wave(s) with published n (needs {min_waves})"
        else:
            fits[key] = fit
            quasi = fit_glm_trend(
                with_n["fieldwork_mid_year"],
                with_n["share_pct"],
                with_n["sample_n"].astype(float),
                design_effect=design_effect,
                confidence=confidence,
                label=" / ".join(key),
                min_waves=min_waves,
                quasi=True,
            )
            rec.update(
                quasi_ci_low=quasi.slope_ci[0],
                quasi_ci_high=quasi.slope_ci[1],
                model="binomial GLM",
                slope_logit_per_year=fit.slope,
                slope_ci_low=fit.slope_ci[0],
                slope_ci_high=fit.slope_ci[1],
                p_value=fit.p_value,
                dispersion=fit.dispersion,
            )
        records.append(rec)
    cols = [
        "question_id",
        "option",
        "subgroup",
        "waves",
        "first_wave",
        "last_wave",
        "first_pct",
        "last_pct",
        "change_pp",
        "waves_with_n",
        "model",
        "slope_logit_per_year",
        "slope_ci_low",
        "slope_ci_high",
        "p_value",
        "dispersion",
        "quasi_ci_low",
        "quasi_ci_high",
        "caveats",
    ]
    return pd.DataFrame.from_records(records, columns=cols), fits


def leadership_series(polls: pd.DataFrame, country: str) -> pd.DataFrame:
    """Approval of (or confidence in) foreign leaderships in ``country`` and pooled samples.

    Returns:
        Rows of the ``leadership_approval`` topic with ``actor`` (whose leadership),
        ``measure`` (Gallup approval, Gallup pooled average, M-Vector confidence) and
        ``scope`` (the country or ``Central Asia pooled``), sorted by actor and year.
    """
    _require_columns(polls, ["question_id", "country_iso3", "fieldwork_year"], "leadership_series")
    rows = add_topics(polls)
    rows = rows[
        (rows["topic"] == "leadership_approval")
        & ((rows["country_iso3"] == country) | rows["country_iso3"].isna())
    ].copy()
    rows["actor"] = rows["question_id"].map(LEADERSHIP_ACTORS)
    rows["measure"] = np.select(
        [
            rows["question_id"].str.startswith("mv_confidence"),
            rows["question_id"].str.endswith("_avg"),
        ],
        ["M-Vector: confidence in the leader", "Gallup: average approval 2006-2018"],
        default="Gallup: approval of the leadership",
    )
    rows["scope"] = np.where(rows["country_iso3"].isna(), "Central Asia pooled", country)
    rows = _add_waves(rows)
    return rows.sort_values(["scope", "actor", "fieldwork_year", "option"]).reset_index(drop=True)


# --------------------------------------------------------------------------- source quality


def _when(bounds: tuple[object, object]) -> tuple[bool, float]:
    """Sort key of a fieldwork period: dated periods by midpoint, undated last."""
    mid = fieldwork_midpoint(*bounds)
    return (math.isnan(mid), 0.0 if math.isnan(mid) else mid)


def source_quality(
    polls: pd.DataFrame, publishers: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """One row per survey and country: pollster, mode, n, fieldwork, origin of the numbers.

    Args:
        polls: ``poll_toplines`` rows (any subset).
        publishers: Source id -> pollster name (e.g. from the table's provenance); the
            source id is shown when missing.

    Returns:
        Columns ``survey, country, pollster, mode_stated, method_note_provenance, n,
        sample_described, fieldwork, rows, origin`` (``fieldwork`` in words, oldest first).
        ``mode_stated`` comes only from the rows' own text ("not published" otherwise);
        ``method_note_provenance`` is what the snapshot's PROVENANCE.md says about the
        series. ``origin`` is "pollster's release", "secondary report: <outlets>" or a mix
        with counts.
    """
    need = [
        "survey",
        "country",
        "source",
        "population",
        "page_or_table",
        "sample_n",
        "fieldwork_start",
        "fieldwork_end",
        "secondary_report",
        "source_publisher",
    ]
    _require_columns(polls, need, "source_quality")
    publishers = dict(publishers or {})
    records = []
    for (survey, country), grp in polls.groupby(["survey", "country"], sort=True):
        src = grp["source"].iloc[0]
        texts = zip(grp["population"], grp["page_or_table"], strict=True)
        modes = sorted({survey_mode(p, q, survey) for p, q in texts})
        if len(modes) > 1 and "not published" in modes:
            modes.remove("not published")
        ns = sorted({int(v) for v in grp["sample_n"].dropna()})
        bounds = zip(grp["fieldwork_start"], grp["fieldwork_end"], strict=True)
        periods = list(dict.fromkeys(fieldwork_text(s, e) for s, e in sorted(bounds, key=_when)))
        sec = grp["secondary_report"].fillna(False).astype(bool)
        outlets = sorted(set(grp.loc[sec, "source_publisher"]))
        if not sec.any():
            origin = "pollster's release"
        elif sec.all():
            origin = "secondary report: " + "; ".join(outlets)
        else:
            origin = (
                f"mixed: {int((~sec).sum())} rows pollster, {int(sec.sum())} rows secondary ("
                + "; ".join(outlets)
                + ")"
            )
        records.append(
            {
                "survey": survey,
                "country": country,
                "pollster": publishers.get(src, src),
                "mode_stated": ", ".join(modes),
                "method_note_provenance": PROVENANCE_METHOD_NOTES.get(src, "none"),
                "n": ", ".join(f"{v:,}" for v in ns) if ns else "not published",
                "sample_described": "; ".join(sorted(set(grp["population"].dropna()))),
                "fieldwork": ", ".join(periods),
                "rows": len(grp),
                "origin": origin,
            }
        )
    return pd.DataFrame.from_records(records)


def publishers_of(frame: pd.DataFrame) -> dict[str, str]:
    """Source id -> publisher, from a loaded table's provenance."""
    return {s["id"]: s["publisher"] for s in frame.attrs.get("provenance", {}).get("sources", [])}


# --------------------------------------------------------------------------- soft power


def student_shares(
    flows: pd.DataFrame, inbound: pd.DataFrame | None = None, dest_iso3: str = "RUS"
) -> pd.DataFrame:
    """One destination's share of each origin's students abroad, by year.

    Two denominators, because neither is complete:

    * ``listed_students``: the sum of the origin's itemised top-10 destinations plus
      360info's "Other countries" lump (only destinations that report to UIS: China is
      missing);
    * ``outbound_total_students``: UIS inbound minus UIS net flow (``uis_inbound_netflow``,
      a derived estimate), where published.

    Years in which the destination is not itemised (not reported to UIS, or lumped in
    "Other countries") get NaN, not 0, and ``dest_itemised = False``.

    Returns:
        Columns ``origin_iso3, year, dest_students, listed_students, share_of_listed_pct,
        outbound_total_students, share_of_total_pct, dest_itemised``.
    """
    _require_columns(flows, ["origin_iso3", "year", "dest_iso3", "students"], "student_shares")
    listed = flows.groupby(["origin_iso3", "year"])["students"].sum().rename("listed_students")
    dest = (
        flows[flows["dest_iso3"] == dest_iso3]
        .groupby(["origin_iso3", "year"])["students"]
        .sum()
        .rename("dest_students")
    )
    out = pd.concat([listed, dest], axis=1).reset_index()
    out["dest_itemised"] = out["dest_students"].notna()
    out["share_of_listed_pct"] = 100 * out["dest_students"] / out["listed_students"]
    if inbound is not None:
        _require_columns(
            inbound, ["country_iso3", "year", "outbound_derived_students"], "student_shares"
        )
        tot = inbound.rename(
            columns={
                "country_iso3": "origin_iso3",
                "outbound_derived_students": "outbound_total_students",
            }
        )
        out = out.merge(
            tot[["origin_iso3", "year", "outbound_total_students"]],
            on=["origin_iso3", "year"],
            how="left",
        )
    else:
        out["outbound_total_students"] = np.nan
    out["share_of_total_pct"] = 100 * out["dest_students"] / out["outbound_total_students"]
    cols = [
        "origin_iso3",
        "year",
        "dest_students",
        "listed_students",
        "share_of_listed_pct",
        "outbound_total_students",
        "share_of_total_pct",
        "dest_itemised",
    ]
    return out[cols].sort_values(["origin_iso3", "year"]).reset_index(drop=True)


def top_destinations(flows: pd.DataFrame, origin_iso3: str, year: int) -> pd.DataFrame:
    """The origin's itemised destinations in ``year`` with their share of listed students.

    Raises:
        InsufficientDataError: if the origin has no rows in that year.
    """
    _require_columns(flows, ["origin_iso3", "year", "dest_name", "students"], "top_destinations")
    rows = flows[(flows["origin_iso3"] == origin_iso3) & (flows["year"] == year)]
    if rows.empty:
        raise InsufficientDataError(f"student_flows: no rows for origin {origin_iso3} in {year}")
    out = rows[["dest_name", "students"]].copy()
    out["share_of_listed_pct"] = 100 * out["students"] / out["students"].sum()
    return out.sort_values("students", ascending=False).reset_index(drop=True)


def census_ethnic_shares(indicators: pd.DataFrame, country: str = "KAZ") -> pd.DataFrame:
    """Census shares of ethnic groups by census year (wide: one column per group, percent).

    Returns:
        Columns ``year`` and one ``<group>_pct`` per group, plus ``sources`` (publishers).
    """
    _require_columns(
        indicators,
        ["indicator", "country_iso3", "year", "group", "value_pct"],
        "census_ethnic_shares",
    )
    rows = indicators[
        (indicators["indicator"] == "ethnic_share_census") & (indicators["country_iso3"] == country)
    ]
    if rows.empty:
        return pd.DataFrame(columns=["year", "sources"])
    wide = rows.pivot_table(index="year", columns="group", values="value_pct", aggfunc="first")
    wide.columns = [f"{c.lower()}_pct" for c in wide.columns]
    srcs = rows.groupby("year")["source"].agg(lambda s: ", ".join(sorted(set(s))))
    return wide.join(srcs.rename("sources")).reset_index()


def language_knowledge(indicators: pd.DataFrame, country: str = "KAZ") -> pd.DataFrame:
    """Language knowledge: 2021 census ("can speak") and the 2006 Library of Congress estimate.

    Returns:
        Columns ``language, year, indicator, value_pct, source``.
    """
    _require_columns(
        indicators,
        ["indicator", "country_iso3", "year", "group", "value_pct"],
        "language_knowledge",
    )
    keep = ("language_can_speak_census", "language_spoken_estimate")
    rows = indicators[indicators["indicator"].isin(keep) & (indicators["country_iso3"] == country)]
    out = rows.rename(columns={"group": "language"})[
        ["language", "year", "indicator", "value_pct", "source"]
    ]
    return out.sort_values(["language", "year"]).reset_index(drop=True)
