"""Flags on reported trade series: recording breaks, imputation signatures, estimates.

A reported series is not always a measurement. Three signatures are computed here, never
listed by hand, so that charts and tables can mark the years and sentences such as "China
first exceeded Russia in YEAR" can say when a flag decides them:

- **Recording break** (:func:`recording_breaks`): the reporter's figure departs from the
  partner's mirror figure (the same trade as the partner reports it) by more than
  :data:`BREAK_DEPARTURE_PP` percentage points from the usual gap of the preceding
  :data:`BREAK_BASELINE_YEARS` unflagged years. Example: Kazakhstan's imports from
  Russia in 2010, when the Customs Union ended customs recording at the common border
  (Kazakhstan reports US$ 5.1 bn, Russia US$ 10.2 bn; the usual gap is about 1 %).
- **Constant share** (:func:`share_plateaus`): a partner's share of the reporter's total
  stays within :data:`PLATEAU_TOLERANCE_PP` for at least :data:`PLATEAU_MIN_YEARS`
  consecutive years — an allocation key, not trade. Example: Uzbekistan's imports in
  IMF DOTS, 2000–2015 (Russia 19.1–19.2 %, China 18.6–18.7 % every year): Uzbekistan
  does not report to the IMF, which estimates its trade.
- **Jump** (:func:`jumps`): a value at least :data:`JUMP_RATIO` times (or at most
  1/:data:`JUMP_RATIO` of) the year before. Example: Uzbekistan's imports from China,
  US$ 30 mn in 1999 → 1,111 mn in 2000.

IMF DOTS marks some values as estimates (``estimate_flag``): :func:`estimate_years`.
:func:`series_flags` runs every check on one reporter–partner series and returns one row
per flagged year with the reason in words.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from kzanalysis.analysis._checks import require_columns

#: A year departs from the usual reporter–mirror gap by more than this (percentage points).
BREAK_DEPARTURE_PP = 15.0
#: A noisy pair's departures must also exceed this many times the median absolute
#: deviation of its gaps (mirror gaps of small, shuttle-trade flows swing by 100 % a year).
BREAK_NOISE_FACTOR = 4.0
#: Years on each side of a year whose median gap is its usual gap.
BREAK_WINDOW_YEARS = 3
#: A share that moves less than this (percentage points, max − min) over a run is constant.
PLATEAU_TOLERANCE_PP = 0.2
#: Shortest run of constant shares that is flagged.
PLATEAU_MIN_YEARS = 4
#: A value this many times the year before (or this fraction of it) is a jump.
JUMP_RATIO = 10.0

#: Flag kinds and their reader labels.
KIND_LABELS: dict[str, str] = {
    "recording-break": "recording break",
    "constant-share": "constant share (imputed)",
    "jump": "jump",
    "estimate": "IMF estimate",
}

FLAG_COLUMNS = ["year", "kind", "label", "reason"]


def recording_breaks(
    mirror: pd.DataFrame,
    departure_pp: float = BREAK_DEPARTURE_PP,
    window: int = BREAK_WINDOW_YEARS,
) -> pd.DataFrame:
    """Years where the reporter's series departs from the partner's mirror.

    The usual gap of a year is the median gap of up to ``window`` years on each side of
    it (the year itself left out), so a lasting change of level is a new normal, not a
    break; a year departing from its neighbours is.

    Args:
        mirror: One direction of :func:`kzanalysis.analysis.trade.mirror_flows`: ``year``,
            ``gap_pct`` (mirror minus reported, percent of reported).
        departure_pp: How far (percentage points) a year's gap must at least be from the
            usual gap; the limit is the larger of this and :data:`BREAK_NOISE_FACTOR` times
            the median absolute deviation of the series' gaps.
        window: Neighbouring years on each side; a year with fewer than ``window``
            neighbours in all is not judged.

    Returns:
        ``year``, ``gap_pct``, ``usual_gap_pct``: one row per flagged year, in year order.
    """
    require_columns(mirror, ["year", "gap_pct"], "recording_breaks")
    rows = mirror.dropna(subset=["gap_pct"]).sort_values("year")
    gaps = dict(zip(rows["year"].astype(int), rows["gap_pct"].astype(float), strict=True))
    if not gaps:
        return pd.DataFrame(columns=["year", "gap_pct", "usual_gap_pct"])
    values = pd.Series(list(gaps.values()))
    spread = float((values - values.median()).abs().median())  # the series' own noise (MAD)
    limit = max(departure_pp, BREAK_NOISE_FACTOR * spread)
    out = []
    for year, gap in gaps.items():
        around = [
            gaps[y] for y in range(year - window, year + window + 1) if y != year and y in gaps
        ]
        if len(around) < window:
            continue
        usual = float(pd.Series(around).median())
        if abs(gap - usual) > limit:
            out.append({"year": year, "gap_pct": gap, "usual_gap_pct": usual})
    return pd.DataFrame(out, columns=["year", "gap_pct", "usual_gap_pct"])


def share_plateaus(
    shares: pd.DataFrame,
    tolerance_pp: float = PLATEAU_TOLERANCE_PP,
    min_years: int = PLATEAU_MIN_YEARS,
) -> pd.DataFrame:
    """Runs of consecutive years in which a share stays (almost) constant.

    Args:
        shares: ``year``, ``share_pct`` (one partner's share of the reporter's total).
        tolerance_pp: Largest max − min within a run (percentage points).
        min_years: Shortest run reported.

    Returns:
        ``start_year``, ``end_year``, ``years``, ``low_pct``, ``high_pct``: the longest runs
        (greedy from the earliest year; a gap in the years ends a run).
    """
    require_columns(shares, ["year", "share_pct"], "share_plateaus")
    rows = shares.dropna(subset=["share_pct"]).sort_values("year")
    years = rows["year"].astype(int).tolist()
    values = rows["share_pct"].astype(float).tolist()
    out = []
    i = 0
    while i < len(years):
        j = i
        low = high = values[i]
        while (
            j + 1 < len(years)
            and years[j + 1] == years[j] + 1
            and max(high, values[j + 1]) - min(low, values[j + 1]) <= tolerance_pp
        ):
            j += 1
            low, high = min(low, values[j]), max(high, values[j])
        if j - i + 1 >= min_years:
            out.append(
                {
                    "start_year": years[i],
                    "end_year": years[j],
                    "years": j - i + 1,
                    "low_pct": low,
                    "high_pct": high,
                }
            )
            i = j + 1
        else:
            i += 1
    return pd.DataFrame(out, columns=["start_year", "end_year", "years", "low_pct", "high_pct"])


def jumps(values: pd.DataFrame, ratio: float = JUMP_RATIO) -> pd.DataFrame:
    """Years whose value is at least ``ratio`` times, or at most 1/``ratio`` of, the year before.

    Args:
        values: ``year``, ``value_usd_mn``.
        ratio: The jump factor (> 1).

    Returns:
        ``year``, ``previous_usd_mn``, ``value_usd_mn``, ``ratio`` (value / previous), for
        consecutive years with both values positive.
    """
    require_columns(values, ["year", "value_usd_mn"], "jumps")
    if ratio <= 1:
        raise ValueError(f"jumps: ratio must be above 1, got {ratio}")
    rows = values.dropna(subset=["value_usd_mn"]).sort_values("year")
    out = []
    prev_year, prev = None, None
    for year, value in zip(rows["year"].astype(int), rows["value_usd_mn"], strict=True):
        if prev_year is not None and year == prev_year + 1 and prev > 0 and value > 0:
            r = float(value) / float(prev)
            if r >= ratio or r <= 1 / ratio:
                out.append(
                    {
                        "year": year,
                        "previous_usd_mn": float(prev),
                        "value_usd_mn": float(value),
                        "ratio": r,
                    }
                )
        prev_year, prev = year, value
    return pd.DataFrame(out, columns=["year", "previous_usd_mn", "value_usd_mn", "ratio"])


def estimate_years(rows: pd.DataFrame) -> list[int]:
    """Years in which any of ``rows`` (``year``, ``estimate_flag``) is an IMF estimate."""
    require_columns(rows, ["year", "estimate_flag"], "estimate_years")
    flagged = rows[rows["estimate_flag"].fillna(False).astype(bool)]
    return sorted({int(y) for y in flagged["year"]})


def _signed(value: float) -> str:
    """``+130`` or ``−2`` (a true minus sign; zero unsigned)."""
    text = f"{value:+.0f}"
    return "0" if text in ("+0", "-0") else text.replace("-", "−")


def _range(low: float, high: float) -> str:
    """``at 19.0%`` or ``between 18.6% and 18.7%`` (one decimal)."""
    a, b = f"{low:.1f}", f"{high:.1f}"
    return f"at {a} %" if a == b else f"between {a} % and {b} %"


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.1f}"


def series_flags(
    *,
    partner_name: str,
    reporter_name: str,
    flow_words: str,
    values: pd.DataFrame,
    shares: pd.DataFrame | None = None,
    mirror: pd.DataFrame | None = None,
    mirror_partner_name: str | None = None,
    estimates: Sequence[int] = (),
) -> pd.DataFrame:
    """Every flag of one reporter–partner series, one row per flagged year and kind.

    Args:
        partner_name: The partner, in words ("Russia").
        reporter_name: The reporter, in words ("Kazakhstan").
        flow_words: The flow, in words, as in "imports from" / "exports to" ("imports from").
        values: ``year``, ``value_usd_mn`` of the series.
        shares: ``year``, ``share_pct`` of the partner in the reporter's total (for
            constant shares); None to skip.
        mirror: The matching direction of ``mirror_flows`` (``year``, ``gap_pct``); None
            where the partner does not report.
        mirror_partner_name: Who reports the mirror (default ``partner_name``).
        estimates: Years the IMF marked as estimates.

    Returns:
        ``year``, ``kind`` (a key of :data:`KIND_LABELS`), ``label``, ``reason`` (a sentence
        with the numbers), sorted by year then kind.
    """
    rows: list[dict[str, object]] = []
    what = f"{reporter_name}'s {flow_words} {partner_name}"
    if mirror is not None and not mirror.empty:
        who = mirror_partner_name or partner_name
        for r in recording_breaks(mirror).itertuples():
            rows.append(
                {
                    "year": r.year,
                    "kind": "recording-break",
                    "reason": (
                        f"{what} in {r.year} differ from {who}'s figure for the same trade by "
                        f"{_signed(r.gap_pct)} %, against a usual gap of "
                        f"{_signed(r.usual_gap_pct)} %: "
                        "more likely a change in how the trade was recorded than in trade."
                    ),
                }
            )
    if shares is not None and not shares.empty:
        for p in share_plateaus(shares).itertuples():
            for year in range(p.start_year, p.end_year + 1):
                rows.append(
                    {
                        "year": year,
                        "kind": "constant-share",
                        "reason": (
                            f"{partner_name}'s share of {reporter_name}'s {flow_words.split()[0]} "
                            f"stays {_range(p.low_pct, p.high_pct)} in every year "
                            f"{p.start_year}–{p.end_year}: an allocation, not a measurement."
                        ),
                    }
                )
    for j in jumps(values).itertuples():
        rows.append(
            {
                "year": j.year,
                "kind": "jump",
                "reason": (
                    f"{what} go from US$ {_fmt(j.previous_usd_mn)} mn in {j.year - 1} to "
                    f"US$ {_fmt(j.value_usd_mn)} mn in {j.year} ({j.ratio:.1f} times): more "
                    "likely a change of source or method than of trade."
                ),
            }
        )
    for year in estimates:
        rows.append(
            {
                "year": int(year),
                "kind": "estimate",
                "reason": f"{what} in {year} are an IMF estimate, not the reporter's figure.",
            }
        )
    out = pd.DataFrame(rows, columns=["year", "kind", "reason"])
    out["label"] = out["kind"].map(KIND_LABELS)
    order = {k: i for i, k in enumerate(KIND_LABELS)}
    out = out.sort_values(["year", "kind"], key=lambda s: s.map(order) if s.name == "kind" else s)
    return out[FLAG_COLUMNS].reset_index(drop=True)


# --------------------------------------------------------------------------- on the tables

#: Direction (``mirror_flows``) → the reporter's flow code and its words.
DIRECTIONS: dict[str, tuple[str, str]] = {
    "exports": ("export", "exports to"),
    "imports": ("import", "imports from"),
}


def partner_flags(
    flows: pd.DataFrame,
    reporter: str,
    partner: str,
    start_year: int,
    end_year: int,
    *,
    source_preference: str = "imf_first",
) -> pd.DataFrame:
    """Every flag of ``reporter``'s exports to and imports from ``partner``, from the tables.

    Args:
        flows: ``trade_partner_flows`` as :func:`kzanalysis.datasets.load` returns it.
        reporter: ISO3 code of the reporting country.
        partner: ISO3 code of the partner (a country).
        start_year: First year.
        end_year: Last year.
        source_preference: As in :func:`kzanalysis.analysis.trade.select_flows`.

    Returns:
        ``direction`` (``exports``/``imports``) and the columns of :func:`series_flags`.
        Mirror checks need the partner to report in IMF DOTS (China and Russia do); the
        series is the one the reports use (the preferred source of each year).
    """
    from kzanalysis import countries
    from kzanalysis.analysis import trade
    from kzanalysis.stats import InsufficientDataError

    selected = trade.select_flows(flows, reporter, source_preference)
    reporter_name, partner_name = countries.name(reporter), trade.partner_label(partner)
    try:
        mirror = trade.mirror_flows(flows, partner, start_year, end_year, reporter=reporter)
    except InsufficientDataError:
        mirror = None
    frames = []
    for direction, (code, words) in DIRECTIONS.items():
        values = trade.partner_values(
            selected, [partner], f"{direction}", start_year, end_year, reporter=reporter
        )
        own = values[values["partner"] == partner]
        rows = selected[
            (selected["partner_code"] == partner)
            & (selected["flow"] == code)
            & selected["year"].between(start_year, end_year)
        ]
        found = series_flags(
            partner_name=partner_name,
            reporter_name=reporter_name,
            flow_words=words,
            values=own[["year", "value_usd_mn"]],
            shares=own[["year", "share_pct"]],
            mirror=None if mirror is None else mirror[mirror["direction"] == direction],
            estimates=estimate_years(rows) if "estimate_flag" in rows.columns else [],
        )
        frames.append(found.assign(direction=direction))
    out = pd.concat(frames, ignore_index=True)
    return out[["direction", *FLAG_COLUMNS]]


#: Flag kinds after which a year's reporter figure is replaced by the partner's mirror.
REPLACED_KINDS = ("recording-break", "constant-share", "jump")


def break_robust_values(
    flows: pd.DataFrame,
    reporter: str,
    partner: str,
    start_year: int,
    end_year: int,
    flags: pd.DataFrame,
    *,
    source_preference: str = "imf_first",
) -> pd.DataFrame:
    """``reporter``'s exports to and imports from ``partner``, the partner's mirror figure
    in each year a recording break, constant share or jump flags.

    Args:
        flows: ``trade_partner_flows``.
        reporter: ISO3 code of the reporting country.
        partner: ISO3 code of the partner (a DOTS reporter for any replacement).
        start_year: First year.
        end_year: Last year.
        flags: :func:`partner_flags` of the same series.
        source_preference: As in :func:`kzanalysis.analysis.trade.select_flows`.

    Returns:
        ``year``, ``direction``, ``value_usd_mn``, ``replaced`` (True where the mirror
        figure stands in), ``flag`` (the flag's label there, else empty). A flagged year
        without a mirror figure keeps the reporter's figure, ``replaced`` False.
    """
    from kzanalysis.analysis import trade
    from kzanalysis.stats import InsufficientDataError

    selected = trade.select_flows(flows, reporter, source_preference)
    try:
        mirror = trade.mirror_flows(flows, partner, start_year, end_year, reporter=reporter)
    except InsufficientDataError:
        mirror = pd.DataFrame(columns=["year", "direction", "mirror_usd_mn"])
    flagged = flags[flags["kind"].isin(REPLACED_KINDS)]
    frames = []
    for direction in DIRECTIONS:
        values = trade.partner_values(
            selected,
            [partner],
            direction,
            start_year,
            end_year,
            reporter=reporter,
            with_total=False,
        )
        own = values[values["partner"] == partner][["year", "value_usd_mn"]].copy()
        their = mirror[mirror["direction"] == direction].set_index("year")["mirror_usd_mn"]
        labels = (
            flagged[flagged["direction"] == direction]
            .groupby("year")["label"]
            .agg(lambda s: " and ".join(dict.fromkeys(s)))
        )
        replace = own["year"].isin(labels.index) & own["year"].isin(their.index)
        own["flag"] = [str(labels.get(y, "")) for y in own["year"]]
        own.loc[replace, "value_usd_mn"] = own.loc[replace, "year"].map(their)
        own["replaced"] = replace
        frames.append(own.assign(direction=direction))
    out = pd.concat(frames, ignore_index=True)
    return out[["year", "direction", "value_usd_mn", "replaced", "flag"]]


def robust_crossover(
    flows: pd.DataFrame,
    reporter: str,
    start_year: int,
    end_year: int,
    *,
    a: str = "CHN",
    b: str = "RUS",
    flow: str = "turnover",
    source_preference: str = "imf_first",
    flags: Mapping[str, pd.DataFrame] | None = None,
) -> dict[str, object]:
    """When ``a`` first passed ``b`` (and stayed ahead), on the reported and on the
    break-robust series, and the flags that make the two differ.

    Args:
        flows: ``trade_partner_flows``.
        reporter: ISO3 code of the reporting country.
        start_year: First year.
        end_year: Last year.
        a: The challenger (ISO3).
        b: The incumbent (ISO3).
        flow: ``exports``, ``imports`` or ``turnover``.
        source_preference: As in :func:`kzanalysis.analysis.trade.select_flows`.
        flags: :func:`partner_flags` of ``a`` and ``b`` by code, if the caller has them
            (computed here otherwise).

    Returns:
        ``first_reported``, ``lasting_reported``, ``first_robust``, ``lasting_robust``
        (years or None), ``replaced`` (``{partner: [years]}`` whose reporter figure the
        mirror replaced), ``flipped`` (years in which the two series disagree on who is
        ahead) and ``deciding`` (the reasons of the flags in those years, empty when the
        series agree every year).
    """
    from kzanalysis.analysis import trade

    codes = ("exports", "imports") if flow == "turnover" else (flow,)
    series: dict[str, dict[str, pd.Series]] = {"reported": {}, "robust": {}}
    replaced: dict[str, list[int]] = {}
    reasons: dict[str, pd.DataFrame] = {}
    for partner in (a, b):
        found = (
            flags[partner]
            if flags is not None and partner in flags
            else partner_flags(
                flows, reporter, partner, start_year, end_year, source_preference=source_preference
            )
        )
        robust = break_robust_values(
            flows,
            reporter,
            partner,
            start_year,
            end_year,
            found,
            source_preference=source_preference,
        )
        selected = trade.select_flows(flows, reporter, source_preference)
        reported = trade.partner_values(
            selected, [partner], flow, start_year, end_year, reporter=reporter, with_total=False
        ).set_index("year")["value_usd_mn"]
        part = robust[robust["direction"].isin(codes)]
        summed = part.groupby("year")["value_usd_mn"].agg(lambda s: s.sum(min_count=len(codes)))
        series["reported"][partner] = reported
        series["robust"][partner] = summed.reindex(reported.index)
        replaced[partner] = sorted({int(y) for y in part.loc[part["replaced"], "year"]})
        reasons[partner] = found[
            found["direction"].isin(codes) & found["kind"].isin(REPLACED_KINDS)
        ]

    def ahead(kind: str) -> pd.Series:
        comp = pd.DataFrame({"a": series[kind][a], "b": series[kind][b]}).dropna()
        return comp["a"] > comp["b"]

    def firsts(lead: pd.Series) -> tuple[int | None, int | None]:
        comparison = pd.DataFrame({"year": lead.index.astype(int), "a_ahead": lead.to_numpy()})
        return trade.first_year_ahead(comparison), trade.lasting_lead_year(comparison)

    lead_rep, lead_rob = ahead("reported"), ahead("robust")
    first_rep, last_rep = firsts(lead_rep)
    first_rob, last_rob = firsts(lead_rob)
    both = lead_rep.index.intersection(lead_rob.index)
    flipped = {int(y) for y in both if bool(lead_rep[y]) != bool(lead_rob[y])}
    deciding: list[str] = []
    for partner in (a, b):
        part = reasons[partner]
        part = part[part["year"].isin(sorted(flipped & set(replaced[partner])))]
        deciding.extend(dict.fromkeys(part["reason"]))
    return {
        "first_reported": first_rep,
        "lasting_reported": last_rep,
        "first_robust": first_rob,
        "lasting_robust": last_rob,
        "replaced": replaced,
        "flipped": sorted(flipped),
        "deciding": deciding,
    }


#: Source preferences that put the partner's mirror figure in the reporter's flagged years.
MIRROR_PREFERENCES: dict[str, str] = {"imf_first_mirror": "imf_first"}
#: Partners whose mirror figures the IMF DOTS extract holds (they report to the IMF).
MIRROR_PARTNERS: tuple[str, ...] = ("CHN", "RUS")


def base_preference(preference: str) -> str:
    """The family order behind a preference: ``imf_first_mirror`` and ``auto`` →
    ``imf_first``."""
    if preference == "auto":
        return "imf_first"
    return MIRROR_PREFERENCES.get(preference, preference)


def mirror_flagged(
    flows: pd.DataFrame,
    selected: pd.DataFrame,
    reporter: str,
    start_year: int,
    end_year: int,
    *,
    preference: str = "imf_first",
    partners: Sequence[str] = MIRROR_PARTNERS,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``selected`` with the partner's mirror figure in each flagged year of the reporter's
    trade with ``partners`` (recording breaks, constant shares, jumps).

    Args:
        flows: ``trade_partner_flows``.
        selected: :func:`kzanalysis.analysis.trade.select_flows` of ``reporter``.
        reporter: ISO3 code of the reporting country.
        start_year: First year.
        end_year: Last year.
        preference: The family order (a key of ``FAMILY_ORDER``).
        partners: Partners whose mirror figures may stand in.

    Returns:
        The rows (values replaced; ``source`` becomes ``imf_dots`` — the partner's DOTS
        report — and ``mirrored`` is True there) and one row per replacement: ``year``,
        ``partner``, ``flow``, ``reported_usd_mn``, ``mirror_usd_mn``, ``flag``. World
        totals stay the reporter's, so a share in such a year mixes the two sides.
    """
    from kzanalysis.analysis import trade

    out = selected.copy()
    out["mirrored"] = False
    done = []
    for partner in partners:
        found = partner_flags(
            flows, reporter, partner, start_year, end_year, source_preference=preference
        )
        robust = break_robust_values(
            flows, reporter, partner, start_year, end_year, found, source_preference=preference
        )
        for r in robust[robust["replaced"]].itertuples():
            code = DIRECTIONS[r.direction][0]
            hit = (out["partner_code"] == partner) & (out["flow"] == code) & (out["year"] == r.year)
            if not hit.any():
                continue
            reported = float(out.loc[hit, "value_usd_mn"].iloc[0])
            out.loc[hit, "value_usd_mn"] = r.value_usd_mn
            out.loc[hit, "source"] = "imf_dots"
            out.loc[hit, "mirrored"] = True
            done.append(
                {
                    "year": int(r.year),
                    "partner": trade.partner_label(partner),
                    "flow": r.direction,
                    "reported_usd_mn": reported,
                    "mirror_usd_mn": float(r.value_usd_mn),
                    "flag": r.flag,
                }
            )
    out.attrs = dict(selected.attrs)
    columns = ["year", "partner", "flow", "reported_usd_mn", "mirror_usd_mn", "flag"]
    return out, pd.DataFrame(done, columns=columns).sort_values(["year", "partner", "flow"])


def allocated_series(
    flows: pd.DataFrame,
    reporter: str,
    start_year: int,
    end_year: int,
    *,
    partners: Sequence[str] = MIRROR_PARTNERS,
    preference: str = "imf_first",
) -> list[int]:
    """Years in which the reporter's imports from every one of ``partners`` carry a
    constant-share flag: its trade is allocated by a key, not recorded (empty list if
    none). The trade chapter's default preference (``auto``) then puts the partners' own
    figures in the flagged years.
    """
    years: set[int] | None = None
    for partner in partners:
        found = partner_flags(
            flows, reporter, partner, start_year, end_year, source_preference=preference
        )
        flat = found[(found["kind"] == "constant-share") & (found["direction"] == "imports")]
        these = {int(y) for y in flat["year"]}
        years = these if years is None else years & these
    return sorted(years or ())
