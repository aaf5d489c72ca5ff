"""Ledger metrics for the soft-power and polls claims (C32–C38; C35 is untestable).

Every metric ``polls.<what>`` loads the curated tables with :func:`kzanalysis.datasets.load`
and hands them to a pure ``measure_<what>`` function (hand-made frames in the unit tests).
Students abroad use the polls chapter's :func:`kzanalysis.analysis.polls.student_shares`
(imported lazily, so a change there cannot stop the other metrics from registering). The
small selection helpers here (:func:`indicator_row`, :func:`select_toplines`,
:func:`yearly_shares`) have no equivalent in the chapter module (its ``select_toplines``
selects by topic, its census helpers drop the source and unit of each row); they could
move to ``kzanalysis.analysis.polls``.

Tables: ``soft_power_indicators`` (census ethnic and language shares, transcribed from
secondary pages), ``poll_toplines`` (published answer shares; ``secondary_report`` marks
figures read in a news report rather than the pollster's release), ``student_flows`` (UIS
bilateral flows via 360info) and ``uis_inbound_netflow`` (UIS inbound and net flow; the
project derives outbound as inbound minus net flow).

A metric never returns a verdict: it returns the data's value (``None`` when the bundled
tables cannot measure a part), the evidence (table, source, year, the figure compared) and
caveats.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd

from kzanalysis import datasets
from kzanalysis.claims.model import ClaimsError, Measurement

INDICATORS = "soft_power_indicators"
TOPLINES = "poll_toplines"
FLOWS = "student_flows"
INBOUND = "uis_inbound_netflow"

#: Value column of ``soft_power_indicators`` by unit kind.
VALUE_COLUMNS: tuple[str, ...] = ("value_pct", "value_persons", "value_students")


def _num(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")


# --- soft-power indicators (C32, C34) ---------------------------------------------------


def indicator_row(
    frame: pd.DataFrame,
    *,
    indicator: str,
    year: int,
    group: str,
    country_iso3: str = "KAZ",
    source: str | None = None,
) -> pd.Series | None:
    """The one ``soft_power_indicators`` row of an indicator, year and group (or None).

    Raises:
        ClaimsError: if several rows match (give ``source`` to choose one).
    """
    keep = (
        frame["indicator"].eq(indicator)
        & frame["year"].eq(year)
        & frame["group"].eq(group)
        & frame["country_iso3"].eq(country_iso3)
        & frame["region"].isna()
    )
    if source is not None:
        keep &= frame["source"].eq(source)
    rows = frame[keep]
    if len(rows) > 1:
        raise ClaimsError(
            f"{INDICATORS}: {len(rows)} rows for {indicator} {year} {group} "
            f"(sources {', '.join(rows['source'])}); give 'source' to choose one"
        )
    return rows.iloc[0] if len(rows) else None


def row_value(row: pd.Series) -> float:
    """The filled value of an indicator row (percent, persons or students)."""
    for col in VALUE_COLUMNS:
        if pd.notna(row[col]):
            return float(row[col])
    raise ClaimsError(f"{INDICATORS}: row {row['indicator']} {row['year']} has no value")


def _available(frame: pd.DataFrame, indicator: str, group: str, country_iso3: str) -> str:
    rows = frame[
        frame["indicator"].eq(indicator)
        & frame["group"].eq(group)
        & frame["country_iso3"].eq(country_iso3)
    ].sort_values("year")
    return ", ".join(f"{int(r.year)}: {_num(row_value(r))}" for _, r in rows.iterrows()) or "none"


def interpolate_year(
    frame: pd.DataFrame, *, indicator: str, year: int, group: str, country_iso3: str = "KAZ"
) -> tuple[float, int, float, int, float] | None:
    """Linear interpolation of an indicator at ``year`` between the nearest observed years.

    The rule: a value for a year without an observation is read off the straight line
    between the closest observation before and the closest after; a year the data do not
    bracket (no observation on one side) is not testable for that year.

    Returns:
        ``(value, year_before, value_before, year_after, value_after)``, or None when the
        data do not bracket ``year``.
    """
    rows = frame[
        frame["indicator"].eq(indicator)
        & frame["group"].eq(group)
        & frame["country_iso3"].eq(country_iso3)
    ]
    points = {int(r.year): float(row_value(r)) for _, r in rows.iterrows()}
    before = [y for y in points if y < year]
    after = [y for y in points if y > year]
    if not before or not after:
        return None
    y0, y1 = max(before), min(after)
    v0, v1 = points[y0], points[y1]
    value = v0 + (v1 - v0) * (year - y0) / (y1 - y0)
    return value, y0, v0, y1, v1


def measure_indicator_values(
    frame: pd.DataFrame, *, selectors: Sequence[Mapping[str, Any]]
) -> list[Measurement]:
    """One Measurement per selector ``{indicator, year, group, country_iso3?, source?,
    interpolate?}``.

    A selector without a matching row gives ``None`` (the note lists the years the table
    has for that indicator and group) — unless it asks to ``interpolate``: then the value
    is read between the nearest observations (:func:`interpolate_year`), and the evidence
    says so; a year the data do not bracket stays ``None`` ("not testable for that year").
    """
    out = []
    for sel in selectors:
        args = {k: sel[k] for k in ("indicator", "year", "group")}
        country = sel.get("country_iso3", "KAZ")
        row = indicator_row(frame, country_iso3=country, source=sel.get("source"), **args)
        others = _available(frame, sel["indicator"], sel["group"], country)
        what = f"{INDICATORS}, {sel['indicator']}, {country}, {sel['group']}, {sel['year']}"
        if row is None and sel.get("interpolate"):
            found = interpolate_year(frame, country_iso3=country, **args)
            if found is None:
                out.append(
                    Measurement(
                        None,
                        f"{what}: not testable for that year (no observation on one side)",
                        f"years in the table for this indicator and group: {others}",
                    )
                )
                continue
            value, y0, v0, y1, v1 = found
            out.append(
                Measurement(
                    round(value, 2),
                    f"{what}: {_num(value)}, interpolated linearly between {y0} ({_num(v0)}) "
                    f"and {y1} ({_num(v1)}), not observed",
                    f"all years of this indicator and group: {others}",
                )
            )
            continue
        if row is None:
            out.append(
                Measurement(
                    None,
                    f"{what}: not in the data",
                    f"years in the table for this indicator and group: {others}",
                )
            )
            continue
        value = row_value(row)
        evidence = (
            f"{what}: {_num(value)} ({row['unit_original']}); source {row['source']}: "
            f"{row['source_title']} ({row['source_publisher']})"
        )
        notes = [f"all years of this indicator and group: {others}"]
        if pd.notna(row["note"]) and row["note"]:
            notes.insert(0, str(row["note"]))
        out.append(Measurement(round(value, 2), evidence, "; ".join(notes)))
    return out


def indicator_values(**args: Any) -> list[Measurement]:
    """Metric ``polls.indicator_values`` (C32, C34)."""
    return measure_indicator_values(datasets.load(INDICATORS), **args)


# --- students abroad (C33) ----------------------------------------------------------------


def _missing(value: object) -> bool:
    return value is None or bool(pd.isna(value))


def measure_students_abroad(
    flows: pd.DataFrame,
    inbound: pd.DataFrame,
    *,
    year: int,
    origin: str = "KAZ",
    dest: str = "RUS",
) -> list[Measurement]:
    """Two Measurements: students from ``origin`` in ``dest``, and all students abroad.

    Computed with the polls chapter's
    :func:`kzanalysis.analysis.polls.student_shares`: the total is the derived UIS
    outbound (inbound − net flow); the sum of the listed destinations, which misses
    non-reporting destinations such as China, is in the note. A destination not itemised
    that year, or a total not published, gives ``None``.
    """
    from kzanalysis.analysis.polls import student_shares  # chapter module, imported lazily

    shares = student_shares(flows, inbound, dest_iso3=dest)
    hit = shares[(shares["origin_iso3"] == origin) & (shares["year"] == year)]
    row = hit.iloc[0] if len(hit) else None
    in_dest = None if row is None or _missing(row["dest_students"]) else row["dest_students"]
    total = (
        None
        if row is None or _missing(row["outbound_total_students"])
        else row["outbound_total_students"]
    )
    flow_src = f"{FLOWS} (UNESCO UIS bilateral flows via 360info)"
    in_src = f"{INBOUND} (UNESCO UIS, February 2025 release)"
    dest_note = ["UIS counts internationally mobile tertiary students enrolled abroad"]
    if in_dest is not None and total:
        dest_note.append(f"{dest}'s share of the total: {row['share_of_total_pct']:.1f} %")
    if row is not None and in_dest is not None:
        dest_note.append(f"of the listed destinations: {row['share_of_listed_pct']:.1f} %")
    dest_m = Measurement(
        None if in_dest is None else round(float(in_dest)),
        f"{flow_src}, {origin} → {dest}, {year}: "
        + ("not itemised" if in_dest is None else f"{in_dest:,.0f} students"),
        "; ".join(dest_note),
    )
    total_note = [
        "derived by the project as UIS inbound (26637) minus UIS net flow (MENF.5T8, a UIS "
        "estimate)"
    ]
    if row is not None:
        total_note.append(
            f"the {FLOWS} destinations listed for {year} sum to {row['listed_students']:,.0f} "
            "(they miss destinations that do not report to UIS, e.g. China)"
        )
    total_m = Measurement(
        None if total is None else round(float(total)),
        f"{in_src}, {origin} outbound students {year}: "
        + ("not published" if total is None else f"{total:,.0f}"),
        "; ".join(total_note),
    )
    return [dest_m, total_m]


def students_abroad(**args: Any) -> list[Measurement]:
    """Metric ``polls.students_abroad`` (C33)."""
    return measure_students_abroad(datasets.load(FLOWS), datasets.load(INBOUND), **args)


# --- poll toplines (C36, C37, C38) ---------------------------------------------------------


def select_toplines(
    frame: pd.DataFrame,
    *,
    question_id: str,
    country_iso3: str = "KAZ",
    subgroup: str = "all",
    survey: str | None = None,
    option: str | None = None,
) -> pd.DataFrame:
    """Topline rows of a question for one country sample and subgroup.

    Args:
        survey: Case-insensitive substring of ``survey`` (e.g. ``"wave 1"``), or None.
        option: Exact answer option, or None for all options.
    """
    keep = (
        frame["question_id"].eq(question_id)
        & frame["country_iso3"].eq(country_iso3)
        & frame["subgroup"].eq(subgroup)
    )
    if survey is not None:
        keep &= frame["survey"].str.contains(survey, case=False, regex=False)
    if option is not None:
        keep &= frame["option"].eq(option)
    return frame[keep]


def _flag(row: pd.Series) -> str:
    return " (secondary report)" if bool(row["secondary_report"]) else ""


def measure_topline_options(
    frame: pd.DataFrame,
    *,
    question_id: str,
    options: Sequence[str],
    survey: str | None = None,
    country_iso3: str = "KAZ",
    subgroup: str = "all",
) -> list[Measurement]:
    """One Measurement per answer option of one poll question (None if not published).

    Raises:
        ClaimsError: if an option has several rows (narrow ``survey``).
    """
    rows = select_toplines(
        frame,
        question_id=question_id,
        country_iso3=country_iso3,
        subgroup=subgroup,
        survey=survey,
    )
    listing = "; ".join(f"{r.option} {_num(r.share_pct)} %" for r in rows.itertuples())
    surveys = ", ".join(sorted(set(rows["survey"]))) or "no survey"
    out = []
    for option in options:
        hit = rows[rows["option"] == option]
        where = f"{TOPLINES}, {surveys}, {question_id}, {country_iso3} {subgroup}"
        if len(hit) > 1:
            raise ClaimsError(f"{where}: {len(hit)} rows for option {option!r}; narrow 'survey'")
        if hit.empty:
            out.append(
                Measurement(
                    None,
                    f"{where}: option {option!r} not published",
                    f"published options: {listing or 'none'}",
                )
            )
            continue
        r = hit.iloc[0]
        n = f", n = {int(r['sample_n'])}" if pd.notna(r["sample_n"]) else ""
        evidence = (
            f"{where}, fieldwork {r['fieldwork_start']}–{r['fieldwork_end']}{n}: "
            f"{option} {_num(r['share_pct'])} %{_flag(r)} ({r['source_publisher']})"
        )
        out.append(
            Measurement(round(float(r["share_pct"]), 2), evidence, f"published options: {listing}")
        )
    return out


def topline_options(**args: Any) -> list[Measurement]:
    """Metric ``polls.topline_options`` (C37)."""
    return measure_topline_options(datasets.load(TOPLINES), **args)


def yearly_shares(rows: pd.DataFrame) -> pd.DataFrame:
    """``year``, ``share_pct``, ``secondary_report``, ``survey`` of topline rows, by year.

    Rows without a fieldwork year are dropped.
    """
    part = rows.dropna(subset=["fieldwork_year"])
    out = part.assign(year=part["fieldwork_year"].astype("int64"))
    return (
        out[["year", "share_pct", "secondary_report", "survey"]]
        .sort_values(["year", "share_pct"], kind="mergesort")
        .reset_index(drop=True)
    )


STATS: tuple[str, ...] = ("max", "min")


def measure_share_extremes(
    frame: pd.DataFrame,
    *,
    question_id: str,
    option: str,
    stats: Sequence[str],
    first_year: int | None = None,
    last_year: int | None = None,
    country_iso3: str = "KAZ",
    subgroup: str = "all",
) -> list[Measurement]:
    """Highest and/or lowest published share of an option across the years of a window.

    One Measurement per entry of ``stats`` (``"max"`` or ``"min"``). When both are asked
    (a range "from X to Y"), the two ends must come from different years: the lowest value
    is taken over the years other than the year of the highest, and is ``None`` if the
    window holds a single year (one observation cannot show both ends of a range). The
    note lists every year's value, also outside the window.

    Raises:
        ClaimsError: for an unknown statistic.
    """
    bad = [s for s in stats if s not in STATS]
    if bad:
        raise ClaimsError(f"unknown statistic(s) {bad}; use {', '.join(STATS)}")
    rows = select_toplines(
        frame,
        question_id=question_id,
        country_iso3=country_iso3,
        subgroup=subgroup,
        option=option,
    )
    series = yearly_shares(rows)
    lo = first_year if first_year is not None else -10_000
    hi = last_year if last_year is not None else 10_000
    inside = series[series["year"].between(lo, hi)]
    window = (
        f"{first_year if first_year is not None else 'all'}–"
        f"{last_year if last_year is not None else 'all'}"
    )
    every = "; ".join(
        f"{r.year}: {_num(r.share_pct)} %{' (secondary report)' if r.secondary_report else ''}"
        for r in series.itertuples()
    )
    where = (
        f"{TOPLINES}, {question_id} '{option}', {country_iso3} {subgroup}, years {window} "
        f"({len(inside)} value(s) in {inside['year'].nunique()} year(s))"
    )
    note = f"all years in the data: {every or 'none'}"
    surveys = ", ".join(sorted(set(inside["survey"])))
    if surveys:
        note += f"; surveys: {surveys}"
    top = inside.loc[inside["share_pct"].idxmax()] if len(inside) else None
    out = []
    for stat in stats:
        if stat == "max":
            pick = top
        else:
            pool = inside
            if "max" in stats and top is not None:
                pool = inside[inside["year"] != top["year"]]
            pick = pool.loc[pool["share_pct"].idxmin()] if len(pool) else None
        if pick is None:
            reason = (
                "no other year in the window (the two ends of a range need two years)"
                if len(inside)
                else "no value in the window"
            )
            out.append(Measurement(None, f"{where}: {stat}: {reason}", note))
            continue
        out.append(
            Measurement(
                round(float(pick["share_pct"]), 2),
                f"{where}: {stat} {_num(pick['share_pct'])} % in {int(pick['year'])}",
                note,
            )
        )
    return out


def share_extremes(**args: Any) -> list[Measurement]:
    """Metric ``polls.share_extremes`` (C36, C38)."""
    return measure_share_extremes(datasets.load(TOPLINES), **args)


METRICS: dict[str, Callable[..., list[Measurement]]] = {
    "polls.indicator_values": indicator_values,
    "polls.students_abroad": students_abroad,
    "polls.topline_options": topline_options,
    "polls.share_extremes": share_extremes,
}
