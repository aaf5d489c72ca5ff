"""Report elements of the synthesis chapter: key findings, tables and the figure.

The numbers come from :mod:`kzanalysis.analysis.synthesis` (the long frame of shares,
the leaders per period, the lead changes); this module turns them into what a reader
sees: sentences computed from the data, :class:`kzanalysis.report.Table` and
:class:`kzanalysis.report.Figure` elements with headers in words, and the Key findings
that link to them. Every function is pure apart from the matplotlib drawing of
:func:`draw_balance` and :func:`draw_fdi` (closed again by :func:`balance_figure` and
:func:`fdi_figure`).

FDI is shown as a separate economic measure (:func:`fdi_elements`: Russia's and China's
shares of FDI inflows next to their trade shares over the same years, and the cumulative
inflows by investor with the routing caveat; a Note for a country without FDI by origin).
Its sentence joins the thesis finding (:func:`findings` with ``fdi=``); it never enters
the leaders.

Example (the notebook)::

    frame = S.balance_frame([...])
    leaders = S.period_leaders(frame, 1996, 2025, 5, 5.0)
    figure = R.balance_figure(frame, "Kazakhstan", 1996, 2025, sources=tables)
    R.findings(frame, leaders, S.lead_changes(leaders), "Kazakhstan", 1996, 2025, 5.0,
               targets={"figure": figure})
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from kzanalysis import plotting, report
from kzanalysis.analysis import money as M
from kzanalysis.analysis import synthesis as S
from kzanalysis.analysis._checks import require_columns as _require_columns
from kzanalysis.catalog import publisher_short
from kzanalysis.report import Col, Figure, Findings, Note, Table
from kzanalysis.report.references import References
from kzanalysis.report.text import label

#: Sphere names as a reader reads them (table cells).
SPHERE_NAMES: dict[str, str] = {
    "economic": "Economic",
    "energy": "Energy",
    "military": "Military",
    "opinion": "Opinion",
}

#: What each sphere's shares are shares of (sentences: "Russia's share of …").
SPHERE_NOUNS: dict[str, str] = {
    "economic": "trade turnover",
    "energy": "pipeline gas exports",
    "military": "arms deliveries",
    "opinion": "poll answers",
}

#: Heading of each panel of the figure.
PANEL_TITLES: dict[str, str] = {
    "economic": "Economic: share of total trade turnover",
    "energy": "Energy: share of pipeline gas exports",
    "military": f"Military: share of arms deliveries (SIPRI TIV, {S.ARMS_WINDOW}-year windows)",
    "opinion": "Opinion: share of respondents (same survey)",
}

#: Keys of :func:`findings`' ``targets``: the elements the sentences link to.
TARGETS: tuple[str, ...] = ("leaders", "figure", "changes", "coverage", "ledger", "fdi")

#: Calculation note after every source line.
CALCULATIONS = "Calculations: kzanalysis."

#: Note of the tables computed from the yearly shares: their sources are cited once, under
#: the figure and the table of yearly shares, not repeated under each derived table.
DERIVED = "Computed by kzanalysis from the yearly shares (sources under the figure)."


# --- small reader-text helpers ----------------------------------------------------------


def pct(value: float, decimals: int = 1) -> str:
    """A share as text: ``47.25`` → ``"47.3 %"`` (missing → "–")."""
    text = report.number(value, decimals)
    return text if text == report.MISSING else f"{text} %"


join_words = report.join_words  # "a, b and c" (shared)


def leader_word(leader: str) -> str:
    """A leader label in a word: ``"close (within 5 pp)"`` → ``"close"``."""
    return "close" if str(leader).startswith("close") else str(leader)


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def _have(n: int) -> str:
    return "has" if n == 1 else "have"


def _years(n: int) -> str:
    return "1 year" if n == 1 else f"{n} years"


def _span(start_year: int, end_year: int) -> str:
    return S.period_label(start_year, end_year)


def _band(tie_band_pp: float) -> str:
    return f"{tie_band_pp:g} percentage point" + ("" if tie_band_pp == 1 else "s")


def _source_names(sources: Any) -> dict[str, str]:
    """Source id → short publisher name, from tables with provenance (empty for None)."""
    return {ref.id: publisher_short(ref.publisher) for ref in report.sources_of(sources)}


def _cite(frame: pd.DataFrame, sources: Any) -> tuple[Any, list[str] | None]:
    """``(sources, source_ids)`` for an element showing ``frame``'s rows."""
    if sources is None:
        return None, None
    return sources, S.source_ids(frame)


# --- sentences ---------------------------------------------------------------------------


def parameters_note(
    country_name: str, start_year: int, end_year: int, window: int, tie_band_pp: float
) -> Note:
    """The report's scope in words: country, years, period length and tie band.

    Example:
        >>> parameters_note("Kazakhstan", 1996, 2025, 5, 5.0).text[:48]
        'Kazakhstan, 1996–2025. Leaders are read over 5-y'
    """
    spans = S.periods(start_year, end_year, window)
    length = "single years" if window == 1 else f"{window}-year periods"
    first, last = spans[-1]
    short = last - first + 1
    tail = (
        f" (the last, {S.period_label(first, last)}, has {_years(short)})"
        if short < window and len(spans) > 1
        else ""
    )
    return Note(
        f"{country_name}, {_span(start_year, end_year)}. Leaders are read over {length} from "
        f"{start_year}{tail}; a mean gap between the two powers within "
        f"±{_band(tie_band_pp)} counts as close.",
        label="Scope",
    )


def _move(who: str, first: float, last: float) -> str:
    """ "Russia's share fell from 47 % to 20 %" (rounded to whole percent)."""
    a, b = report.number(first, 0), report.number(last, 0)
    if a == b:
        return f"{who}'s stayed at {a} %"
    verb = "rose" if float(last) > float(first) else "fell"
    return f"{who}'s {verb} from {a} % to {b} %"


def trend_sentence(frame: pd.DataFrame) -> str:
    """How the sphere with the longest series moved, first to last year with both shares.

    The longest series is the sphere with the most years where both shares are known
    (ties: the sphere listed first in :data:`~kzanalysis.analysis.synthesis.SPHERES`).

    Example: "In arms deliveries, the longest series (1996–2025), Russia's share fell
    from 100 % to 89 % and China's stayed at 0 %."
    """
    gaps = S.yearly_gaps(frame)
    if gaps.empty:
        return "No sphere has both Russia's and China's shares in any year of the range."
    counts = gaps.groupby("sphere")["year"].count()
    sphere = max(S.SPHERES, key=lambda s: (int(counts.get(s, 0)), -S.SPHERES.index(s)))
    part = gaps[gaps["sphere"] == sphere].sort_values("year")
    first, last = part.iloc[0], part.iloc[-1]
    noun = SPHERE_NOUNS[sphere]
    if len(part) == 1:
        return (
            f"Only one year has both shares: in {int(first['year'])}, Russia's share of {noun} "
            f"was {pct(first['russia_pct'], 0)} and China's {pct(first['china_pct'], 0)}."
        )
    russia = _move("Russia", first["russia_pct"], last["russia_pct"]).replace(
        "Russia's", "Russia's share", 1
    )
    china = _move("China", first["china_pct"], last["china_pct"])
    span = f"{int(first['year'])}–{int(last['year'])}"
    return f"In {noun}, the longest series ({span}), {russia} and {china}."


def latest_sentence(leaders: pd.DataFrame, tie_band_pp: float) -> str:
    """Who leads each sphere in its latest period with data, with the mean shares.

    Example: "In each sphere's latest period with data, Russia leads in military
    (2021–2025: Russia 90.8 %, China 0.0 %); the two are within 5 percentage points in
    economic (2021–2025: Russia 20.8 %, China 19.6 %, 4 of 5 years with data)."
    """
    _require_columns(leaders, ["sphere", "first_year", "last_year", "leader"], "latest_sentence")
    latest = S.latest_leaders(leaders)
    if latest.empty:
        span = (
            _span(int(leaders["first_year"].min()), int(leaders["last_year"].max()))
            if len(leaders)
            else "the range"
        )
        return (
            f"No sphere has both Russia's and China's shares in {span}, so no sphere has a leader."
        )
    groups: dict[str, list[str]] = {}
    for r in latest.itertuples():
        cover = (
            f", {r.years_with_data} of {r.years_in_period} years with data"
            if r.years_with_data < r.years_in_period
            else ""
        )
        text = (
            f"{r.sphere} ({r.period}: Russia {pct(r.russia_mean_pct)}, "
            f"China {pct(r.china_mean_pct)}{cover})"
        )
        groups.setdefault(leader_word(r.leader), []).append(text)
    parts = [f"{who} leads in {join_words(groups[who])}" for who in S.ACTORS if who in groups]
    if "close" in groups:
        parts.append(f"the two are within {_band(tie_band_pp)} in {join_words(groups['close'])}")
    return "In each sphere's latest period with data, " + "; ".join(parts) + "."


def thesis_sentence(
    leaders: pd.DataFrame, expectation: Mapping[str, str] = S.THESIS_EXPECTATION
) -> str:
    """Whether the thesis' division of labour holds in each sphere's latest period.

    Example: "In the latest period with data, the thesis' division of labour (China
    ahead in economic, Russia in military and opinion) holds for military and opinion;
    it does not hold for economic, where the two are close."
    """
    latest = {r.sphere: leader_word(r.leader) for r in S.latest_leaders(leaders).itertuples()}
    by_power: dict[str, list[str]] = {}
    for sphere, who in expectation.items():
        by_power.setdefault(who, []).append(sphere)
    expected = ", ".join(
        (f"{who} ahead in " if i == 0 else f"{who} in ") + join_words(spheres)
        for i, (who, spheres) in enumerate(by_power.items())
    )
    holds = [s for s, who in expectation.items() if latest.get(s) == who]
    fails = [s for s, who in expectation.items() if s in latest and latest[s] != who]
    untested = [s for s in expectation if s not in latest]
    parts = []
    if holds:
        parts.append(f"holds for {join_words(holds)}")
    if fails:
        why = [
            f"{s}, where the two are close"
            if latest[s] == "close"
            else f"{s}, where {latest[s]} leads"
            for s in fails
        ]
        parts.append(("it does not hold" if holds else "does not hold") + f" for {'; '.join(why)}")
    if untested:
        verb = "has" if len(untested) == 1 else "have"
        parts.append(
            ("it cannot be checked" if parts else "cannot be checked")
            + f" for {join_words(untested)}, which {verb} no data"
        )
    return (
        f"In the latest period with data, the thesis' division of labour ({expected}) "
        + "; ".join(parts)
        + "."
    )


def changes_sentence(
    leaders: pd.DataFrame, changes: pd.DataFrame, start_year: int, end_year: int
) -> str:
    """How often the leader changed between periods with data, and which spheres kept it.

    Example: "The leader changed 4 times between consecutive periods with data: 3 times
    in economic and once in energy; military kept the same leader (Russia) in all 6
    periods with data; opinion has only one period with data."
    """
    _require_columns(leaders, ["sphere", "leader"], "changes_sentence")
    _require_columns(changes, ["sphere"], "changes_sentence")
    with_data = {
        s: leaders[(leaders["sphere"] == s) & (leaders["leader"] != S.NO_DATA)] for s in S.SPHERES
    }
    with_data = {s: part for s, part in with_data.items() if len(part)}
    if not with_data:
        return (
            f"No sphere has a period with data in {_span(start_year, end_year)}, so no lead "
            "can change."
        )
    counts = changes.groupby("sphere").size()
    if len(counts) == 1:
        head = (
            f"The leader changed {_times(len(changes))} between consecutive periods with data, "
            f"{'all ' if len(changes) > 1 else ''}in {counts.index[0]}"
        )
    elif len(changes):
        per = [f"{_times(int(counts[s]))} in {s}" for s in S.SPHERES if s in counts]
        head = (
            f"The leader changed {_times(len(changes))} between consecutive periods with data: "
            + join_words(per)
        )
    else:
        head = (
            "No sphere changed leader between consecutive periods with data in "
            f"{_span(start_year, end_year)}"
        )
    stable = []
    for sphere, part in with_data.items():
        if sphere in counts:
            continue
        if len(part) == 1:
            stable.append(f"{sphere} has only one period with data")
            continue
        word = leader_word(part["leader"].iloc[0])
        every = "both" if len(part) == 2 else f"all {len(part)}"
        if word == "close":
            stable.append(f"{sphere} stayed close in {every} periods with data")
        else:
            stable.append(f"{sphere} kept the same leader ({word}) in {every} periods with data")
    return "; ".join([head, *stable]) + "."


def coverage_sentence(
    frame: pd.DataFrame, country_name: str, start_year: int, end_year: int
) -> str:
    """In how many years each sphere has both shares, and why a sphere has none.

    Example: "Both shares are known for Kazakhstan in 29 of the 30 years for economic,
    4 for energy, 30 for military and 1 for opinion; nothing is interpolated."
    """
    cov = S.coverage_table(frame, start_year, end_year)
    have = cov[cov["years_with_data"] > 0]
    none = [s for s in cov.loc[cov["years_with_data"] == 0, "sphere"]]
    n_years = end_year - start_year + 1
    reasons = join_words([f"{s} ({S.NO_DATA_REASONS[s]})" for s in none])
    if have.empty:
        return (
            f"No sphere has both Russia's and China's shares for {country_name} in "
            f"{_span(start_year, end_year)}: {reasons}."
        )
    bits = [
        (f"{r.years_with_data} of the {n_years} years" if i == 0 else f"{r.years_with_data}")
        + f" for {r.sphere}"
        for i, r in enumerate(have.itertuples())
    ]
    text = (
        f"Both shares are known for {country_name} in {join_words(bits)}; nothing is interpolated"
    )
    if none:
        text += f". There is no data for {reasons}"
    return text + "."


def ledger_sentence(ledger: Any) -> str:
    """The claims ledger's verdict counts in a sentence.

    Args:
        ledger: The ledger rows (a frame with ``verdict``) or a Table element of them.

    Example: "The data test the thesis' 38 quantitative claims (all chapters): 14
    supported, 9 partly supported, 11 contradicted and 4 untestable."
    """
    from kzanalysis.claims.ledger import table_counts

    rows = getattr(ledger, "frame", ledger)
    if len(rows) == 0:
        return "The claims ledger holds no claims to test."
    parts = [f"{n} {label(v)}" for v, n in table_counts(rows).items() if n]
    return (
        f"The data test the thesis' {len(rows)} quantitative claims (all chapters): "
        f"{join_words(parts)}."
    )


def findings(
    frame: pd.DataFrame,
    leaders: pd.DataFrame,
    changes: pd.DataFrame,
    country_name: str,
    start_year: int,
    end_year: int,
    tie_band_pp: float,
    *,
    ledger: Any = None,
    fdi: S.FdiMeasure | None = None,
    targets: Mapping[str, Any] | None = None,
) -> Findings:
    """The Key findings: 5 sentences from the data (6 with the claims ledger).

    With ``fdi``, the thesis sentence (the one on the economic lead) is followed by the
    FDI measure's sentence (:func:`fdi_sentence`) and links to the ``fdi`` target (the
    leaders' when that target is a Note, which has no anchor).

    Args:
        frame: :func:`~kzanalysis.analysis.synthesis.balance_frame` output.
        leaders: :func:`~kzanalysis.analysis.synthesis.period_leaders` output.
        changes: :func:`~kzanalysis.analysis.synthesis.lead_changes` output.
        country_name: The country's name.
        start_year: First year.
        end_year: Last year.
        tie_band_pp: Tie band (percentage points).
        ledger: The claims ledger (rows or its Table), for a sentence on its verdicts.
        fdi: :func:`~kzanalysis.analysis.synthesis.fdi_measure` output (FDI as a separate
            economic measure, next to trade).
        targets: Elements (or anchors) each sentence links to, by the keys of
            :data:`TARGETS`; a sentence without a target has no link.
    """
    targets = dict(targets or {})
    unknown = sorted(set(targets) - set(TARGETS))
    if unknown:
        raise ValueError(f"findings: unknown targets {unknown}; use {', '.join(TARGETS)}")

    def item(sentence: str, *keys: str) -> str | tuple[str, Any]:
        for key in keys:
            target = targets.get(key)
            if target is not None and not isinstance(target, Note):
                return (sentence, target)
        return sentence

    thesis = item(thesis_sentence(leaders), "leaders")
    if fdi is not None:
        thesis = item(
            thesis_sentence(leaders) + " " + fdi_sentence(fdi, country_name, tie_band_pp),
            "fdi",
            "leaders",
        )
    items = [
        item(latest_sentence(leaders, tie_band_pp), "leaders"),
        thesis,
        item(trend_sentence(frame), "figure"),
        item(changes_sentence(leaders, changes, start_year, end_year), "changes"),
        item(coverage_sentence(frame, country_name, start_year, end_year), "coverage"),
    ]
    if ledger is not None:
        items.append(item(ledger_sentence(ledger), "ledger"))
    return Findings(items)


# --- the figure --------------------------------------------------------------------------


def plotted_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The points :func:`draw_balance` draws: one row per sphere, year and power with a share.

    Returns:
        ``sphere`` (in words), ``year``, ``power``, ``share_pct``, ``measure``.
    """
    _require_columns(frame, ["sphere", "year", "actor", "share_pct", "measure"], "plotted_rows")
    rows = frame.dropna(subset=["share_pct"])
    return pd.DataFrame(
        {
            "sphere": rows["sphere"].map(SPHERE_NAMES),
            "year": rows["year"].astype("int64"),
            "power": rows["actor"].astype(str),
            "share_pct": rows["share_pct"].astype("float64"),
            "measure": rows["measure"].astype(str),
        }
    ).reset_index(drop=True)


def share_panel(
    ax: Any, part: pd.DataFrame, actor_column: str, years: pd.Index, colours: dict[str, str]
) -> None:
    """Draw Russia's and China's ``share_pct`` per year on ``ax`` (gaps left open), or
    "No data" when the panel has no share.

    Args:
        ax: The matplotlib axes.
        part: Rows of one panel: ``year``, ``share_pct`` and the actor in ``actor_column``.
        actor_column: ``actor`` or ``power``.
        years: The x axis (every year of the period).
        colours: Actor → colour (:func:`kzanalysis.plotting.palette`).
    """
    for actor in S.ACTORS:
        series = part[part[actor_column] == actor].set_index("year")["share_pct"].reindex(years)
        ax.plot(
            years,
            series.to_numpy(dtype=float),
            marker="o",
            markersize=3.5,
            linewidth=1.8,
            color=colours[actor],
            label=actor,
        )
    if not part["share_pct"].notna().any():
        ax.text(
            0.5,
            0.5,
            "No data",
            transform=ax.transAxes,
            ha="center",
            va="center",
            color="#57606a",
        )


def draw_balance(frame: pd.DataFrame, start_year: int, end_year: int) -> Any:
    """Small multiples, one panel per sphere: Russia's and China's shares by year.

    Lines join consecutive years only (a missing year breaks the line, nothing is
    interpolated); a single year is a marker; a panel without data says so. Colours come
    from the actor registry (:func:`kzanalysis.plotting.palette`).

    Returns:
        The matplotlib figure (no title or caption in the image).
    """
    import matplotlib.pyplot as plt

    colours = plotting.palette(S.ACTORS)
    fig, axes = plt.subplots(len(S.SPHERES), 1, figsize=(9, 2.0 * len(S.SPHERES)), sharex=True)
    years = pd.Index(range(start_year, end_year + 1), name="year")
    for i, (ax, sphere) in enumerate(zip(axes, S.SPHERES, strict=True)):
        share_panel(ax, frame[frame["sphere"] == sphere], "actor", years, colours)
        ax.set_title(PANEL_TITLES[sphere], loc="left", fontsize=10)
        ax.set_ylim(-4, 104)
        ax.set_yticks([0, 25, 50, 75, 100])
        ax.set_xlim(start_year - 0.5, end_year + 0.5)
        last = i == len(S.SPHERES) - 1
        plotting.label_axes(
            ax, xlabel="Year" if last else "", ylabel="Share (%)", legend=False, layout=False
        )
    axes[0].legend(frameon=False, loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=2)
    fig.tight_layout()
    return fig


def balance_alt(frame: pd.DataFrame, country_name: str, start_year: int, end_year: int) -> str:
    """Alt text of the figure: per sphere, the years with data and the first and last shares."""
    gaps = S.yearly_gaps(frame)
    parts = []
    for sphere in S.SPHERES:
        part = gaps[gaps["sphere"] == sphere].sort_values("year")
        name = SPHERE_NAMES[sphere]
        if part.empty:
            parts.append(f"{name}: no data.")
            continue
        first, last = part.iloc[0], part.iloc[-1]
        years = S.year_ranges(part["year"])
        if len(part) == 1:
            parts.append(
                f"{name}: one year, {years}: Russia {pct(first['russia_pct'])}, China "
                f"{pct(first['china_pct'])}."
            )
            continue
        y0, y1 = int(first["year"]), int(last["year"])
        parts.append(
            f"{name}: {len(part)} years with data ({years}); Russia {pct(first['russia_pct'])} "
            f"in {y0} and {pct(last['russia_pct'])} in {y1}, China {pct(first['china_pct'])} "
            f"and {pct(last['china_pct'])}."
        )
    return (
        f"{len(S.SPHERES)} line charts stacked, one per sphere, of Russia's and China's shares "
        f"(%) for {country_name}, {_span(start_year, end_year)}. " + " ".join(parts)
    )


def balance_figure(
    frame: pd.DataFrame,
    country_name: str,
    start_year: int,
    end_year: int,
    *,
    sources: Any = None,
    refs: References | None = None,
) -> Figure | Note:
    """The chapter's figure: Russia vs China by sphere over time, as a report element.

    Args:
        frame: :func:`~kzanalysis.analysis.synthesis.balance_frame` output.
        country_name: The country's name.
        start_year: First year of the x axis.
        end_year: Last year.
        sources: The loaded tables the frame comes from (cited: the ids in its
            ``source`` column).
        refs: Reference collector (default: the kernel's).

    Returns:
        The Figure (data: :func:`plotted_rows`), or a Note when no sphere has data.
    """
    data = plotted_rows(frame)
    if data.empty:
        return Note(
            f"No sphere has Russia's or China's share for {country_name} in "
            f"{_span(start_year, end_year)}, so there is nothing to chart.",
        )
    cited, ids = _cite(frame, sources)
    fig = draw_balance(frame, start_year, end_year)
    return Figure(
        fig,
        title=f"{country_name}: Russia and China, sphere by sphere, {_span(start_year, end_year)}",
        subtitle=trend_sentence(frame),
        alt=balance_alt(frame, country_name, start_year, end_year),
        data=data,
        columns={
            "sphere": "Sphere",
            "year": "Year",
            "power": "Power",
            "share_pct": "Share (%)",
            "measure": "Measure",
        },
        sources=cited,
        source_ids=ids,
        refs=refs,
        note="Each sphere's shares are of its own total; no composite index. " + CALCULATIONS,
        anchor="fig-russia-china-by-sphere",
        csv_name="russia-china-by-sphere.csv",
    )


# --- tables ------------------------------------------------------------------------------


def _leader_cell(leader: str, n_data: int, n_years: int) -> str:
    if leader == S.NO_DATA:
        return S.NO_DATA
    return f"{leader_word(leader)} ({n_data}/{n_years})"


def leader_table(
    leaders: pd.DataFrame,
    country_name: str,
    tie_band_pp: float,
) -> Table:
    """Who leads each sphere in each period: spheres down, periods across.

    Args:
        leaders: :func:`~kzanalysis.analysis.synthesis.period_leaders` output.
        country_name: The country's name.
        tie_band_pp: Tie band (percentage points), explained in a note.
    """
    _require_columns(
        leaders,
        ["sphere", "period", "first_year", "leader", "years_with_data", "years_in_period"],
        "leader_table",
    )
    cells = leaders.assign(
        cell=[
            _leader_cell(r.leader, r.years_with_data, r.years_in_period)
            for r in leaders.itertuples()
        ]
    )
    matrix = S.leader_matrix(cells).reset_index()
    matrix["sphere"] = matrix["sphere"].map(SPHERE_NAMES)
    words = leaders["leader"].map(leader_word)
    n = {w: int((words == w).sum()) for w in ("Russia", "China", "close")}
    with_data = int((leaders["leader"] != S.NO_DATA).sum())
    subtitle = (
        f"{with_data} of {len(leaders)} sphere-periods {_have(with_data)} data: Russia leads in "
        f"{n['Russia']}, China in {n['China']}, and {n['close']} "
        f"{'is' if n['close'] == 1 else 'are'} close."
    )
    columns: dict[str, Col | str] = {"sphere": Col(header="Sphere", kind="text")}
    columns |= {c: Col(header=c, kind="text") for c in matrix.columns if c != "sphere"}
    return Table(
        matrix,
        columns,
        title=f"{country_name}: who leads each sphere, by period",
        subtitle=subtitle,
        notes=[
            "Leader: the power with the larger mean share over the period's years with both "
            f"shares; close: the two means are within ±{_band(tie_band_pp)}.",
            "(n/m): years with both shares out of the period's years; no data: no such year.",
            DERIVED,
        ],
        anchor="tbl-leaders-by-period",
        csv_name="leaders-by-period.csv",
    )


def means_table(
    leaders: pd.DataFrame,
    country_name: str,
) -> Table | Note:
    """The mean shares behind each leader cell (periods with data only).

    Returns:
        A Table, or a Note when no period has data.
    """
    _require_columns(
        leaders,
        ["sphere", "period", "years_with_data", "years_in_period", "gap_pp", "leader"],
        "means_table",
    )
    rows = leaders[leaders["leader"] != S.NO_DATA].reset_index(drop=True)
    if rows.empty:
        return Note(f"No period has both shares for {country_name}, so there are no means.")
    shown = pd.DataFrame(
        {
            "sphere": rows["sphere"].map(SPHERE_NAMES),
            "period": rows["period"],
            "years": [
                f"{a} of {b}"
                for a, b in zip(rows["years_with_data"], rows["years_in_period"], strict=True)
            ],
            "russia_mean_pct": rows["russia_mean_pct"],
            "china_mean_pct": rows["china_mean_pct"],
            "gap_pp": rows["gap_pp"],
            "leader": rows["leader"].map(leader_word),
        }
    )
    widest = rows.loc[rows["gap_pp"].abs().idxmax()]
    who = "Russia" if widest["gap_pp"] > 0 else "China"
    subtitle = (
        f"{len(rows)} of {len(leaders)} sphere-periods {_have(len(rows))} data; the widest gap is "
        f"{who}'s lead in {widest['sphere']} in {widest['period']} "
        f"({report.number(abs(widest['gap_pp']), 1)} percentage points)."
        if abs(widest["gap_pp"]) > 0
        else f"{len(rows)} of {len(leaders)} sphere-periods {_have(len(rows))} data; all are ties."
    )
    return Table(
        shown,
        {
            "sphere": Col(header="Sphere", kind="text"),
            "period": Col(header="Period", kind="text"),
            "years": Col(header="Years with data", kind="text"),
            "russia_mean_pct": Col(header="Russia, mean share (%)", kind="number"),
            "china_mean_pct": Col(header="China, mean share (%)", kind="number"),
            "gap_pp": Col(header="Gap, Russia − China (percentage points)", kind="number"),
            "leader": Col(header="Leader", kind="text"),
        },
        title=f"{country_name}: mean shares behind each leader",
        subtitle=subtitle,
        notes=[
            "Means over the period's years with both shares; periods without data omitted.",
            DERIVED,
        ],
        anchor="tbl-mean-shares-by-period",
        csv_name="mean-shares-by-period.csv",
    )


def changes_element(
    leaders: pd.DataFrame,
    changes: pd.DataFrame,
    country_name: str,
    start_year: int,
    end_year: int,
) -> Table | Note:
    """The changes of lead between consecutive periods with data.

    Returns:
        A Table, or a Note (the :func:`changes_sentence`) when the lead never changed.
    """
    _require_columns(
        changes,
        ["sphere", "from_period", "from_leader", "to_period", "to_leader", "gap_periods"],
        "changes_element",
    )
    sentence = changes_sentence(leaders, changes, start_year, end_year)
    if changes.empty:
        return Note(sentence, label="Changes of lead")
    shown = changes.assign(
        sphere=changes["sphere"].map(SPHERE_NAMES),
        from_leader=changes["from_leader"].map(leader_word),
        to_leader=changes["to_leader"].map(leader_word),
    )
    return Table(
        shown,
        {
            "sphere": Col(header="Sphere", kind="text"),
            "from_period": Col(header="From period", kind="text"),
            "from_leader": Col(header="Leader then", kind="text"),
            "to_period": Col(header="To period", kind="text"),
            "to_leader": Col(header="Leader after", kind="text"),
            "gap_periods": Col(header="Periods without data between (number)", kind="integer"),
        },
        title=f"{country_name}: changes of lead between periods",
        subtitle=sentence,
        notes=[
            "Moves into and out of close count as changes; periods without data are skipped.",
            DERIVED,
        ],
        anchor="tbl-changes-of-lead",
        csv_name="changes-of-lead.csv",
    )


def coverage_element(
    frame: pd.DataFrame,
    country_name: str,
    start_year: int,
    end_year: int,
    *,
    fdi: S.FdiMeasure | None = None,
) -> Table:
    """Per sphere: the measure, and the years with and without both shares.

    With ``fdi``, a last row gives the FDI measure's years (a separate economic measure,
    not counted in the economic sphere's coverage), or why it has none.
    """
    cov = S.coverage_table(frame, start_year, end_year)
    if fdi is not None:
        cov = pd.concat([cov, _fdi_coverage_row(fdi, country_name, start_year, end_year)])
    shown = pd.DataFrame(
        {
            "sphere": cov["sphere"].map(lambda x: SPHERE_NAMES.get(x, x)),
            "coverage": [
                f"{a} of {b}"
                for a, b in zip(cov["years_with_data"], cov["years_in_range"], strict=True)
            ],
            "years": cov["years"],
            "missing": cov["missing"],
            "measures": [
                m if m != S.NO_DATA else f"{S.NO_DATA}: {S.NO_DATA_REASONS[s]}"
                for s, m in zip(cov["sphere"], cov["measures"], strict=True)
            ],
        }
    )
    return Table(
        shown,
        {
            "sphere": Col(header="Sphere", kind="text"),
            "coverage": Col(header="Years with both shares", kind="text"),
            "years": Col(header="Years with data", kind="text"),
            "missing": Col(header="Years without", kind="text"),
            "measures": Col(header="Measure (share of the sphere's total, %)", kind="text"),
        },
        title=f"{country_name}: what each sphere measures, and when",
        subtitle=coverage_sentence(frame, country_name, start_year, end_year),
        notes=[DERIVED, *([FDI_APART] if fdi is not None else [])],
        anchor="tbl-sphere-coverage",
        csv_name="sphere-coverage.csv",
    )


def _fdi_coverage_row(
    fdi: S.FdiMeasure, country_name: str, start_year: int, end_year: int
) -> pd.DataFrame:
    """The FDI measure as one row of :func:`kzanalysis.analysis.synthesis.coverage_table`."""
    gaps = S.yearly_gaps(fdi.shares)
    have = sorted(gaps.loc[gaps["year"].between(start_year, end_year), "year"])
    span = list(range(start_year, end_year + 1))
    measure = (
        f"{S.FDI_MEASURE}; not in the leader table"
        if have
        else f"{S.NO_DATA}: {fdi_missing_reason(fdi, country_name) or 'no year with both shares'}"
    )
    return pd.DataFrame(
        [
            {
                "sphere": FDI_COVERAGE_LABEL,
                "years_with_data": len(have),
                "years_in_range": len(span),
                "coverage": f"{len(have)}/{len(span)} yrs",
                "years": S.year_ranges(have),
                "missing": S.year_ranges(sorted(set(span) - set(have))),
                "measures": measure,
            }
        ]
    )


def _question(polls: pd.DataFrame, question_id: str, option: str) -> str:
    """ "Question wording — answer" of a poll question id (the id in words if unknown)."""
    texts = polls.loc[polls["question_id"] == question_id, "question_text"].dropna()
    text = str(texts.iloc[0]) if len(texts) else label(question_id)
    return f"{text} — {option}"


def poll_measures_element(
    polls: pd.DataFrame,
    frame: pd.DataFrame,
    country_name: str,
    pairs: Sequence[S.OpinionPair] = S.OPINION_PAIRS,
    *,
    refs: References | None = None,
) -> Table:
    """The comparable poll measures of the opinion sphere, in priority order.

    Args:
        polls: ``poll_toplines`` (question wording; cited when it has provenance).
        frame: The balance frame (which years used which measure).
        country_name: The country's name.
        pairs: The comparable measures in priority order.
        refs: Reference collector.
    """
    _require_columns(polls, ["question_id", "question_text", "source"], "poll_measures_element")
    used = frame[(frame["sphere"] == "opinion") & frame["share_pct"].notna()]
    rows = []
    for i, pair in enumerate(pairs, 1):
        years = sorted(set(used.loc[used["measure"] == pair.measure, "year"]))
        rows.append(
            {
                "priority": str(i),
                "measure": pair.measure,
                "russia": _question(polls, *pair.russia),
                "china": _question(polls, *pair.china),
                "years": S.year_ranges(years) if years else "not used",
            }
        )
    n_used = sum(r["years"] != "not used" for r in rows)
    all_years = S.year_ranges(used["year"]) if len(used) else ""
    subtitle = (
        f"In a year, the first measure with both shares in one survey is used; for "
        f"{country_name}, {n_used} of {len(pairs)} measures "
        f"{'gives' if n_used == 1 else 'give'} the opinion sphere's data "
        f"({all_years})."
        if n_used
        else f"For {country_name}, no measure has both shares in one survey."
    )
    ids = [
        i
        for pair in pairs
        for i in polls.loc[polls["question_id"].isin([pair.russia[0], pair.china[0]]), "source"]
    ]
    has_provenance = "provenance" in getattr(polls, "attrs", {})
    return Table(
        pd.DataFrame(rows),
        {
            "priority": Col(header="Priority", kind="text"),
            "measure": Col(header="Measure", kind="text"),
            "russia": Col(header="Russia's share: question — answer", kind="text"),
            "china": Col(header="China's share: question — answer", kind="text"),
            "years": Col(header=f"Years used for {country_name}", kind="text"),
        },
        title="Comparable poll measures of the opinion sphere",
        subtitle=subtitle,
        notes=["Question wordings are the project's short English paraphrases."],
        sources=polls if has_provenance else None,
        source_ids=list(dict.fromkeys(map(str, ids))) if has_provenance else None,
        refs=refs,
        anchor="tbl-poll-measures",
        csv_name="poll-measures.csv",
    )


def yearly_frame(frame: pd.DataFrame, names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """One row per sphere and year of the balance frame: both shares, gap, note, source.

    Args:
        frame: :func:`~kzanalysis.analysis.synthesis.balance_frame` output.
        names: Source id → short name (ids not in it are shown in words).

    Returns:
        ``sphere`` (in words), ``year``, ``russia_pct``, ``china_pct``, ``gap_pp``
        (missing when a share is), ``note``, ``source``.
    """
    _require_columns(frame, S.FRAME_COLUMNS, "yearly_frame")
    names = dict(names or {})
    rows = []
    for (sphere, year), grp in frame.groupby(["sphere", "year"], sort=False):
        share = grp.set_index("actor")["share_pct"]
        rus, chn = share.get("Russia", float("nan")), share.get("China", float("nan"))
        ids = [i for s in grp["source"].dropna() for i in str(s).split("+") if i]
        rows.append(
            {
                "sphere": SPHERE_NAMES[sphere],
                "year": int(year),
                "russia_pct": float(rus),
                "china_pct": float(chn),
                "gap_pp": float(rus) - float(chn),
                "note": str(grp["note"].iloc[0] or ""),
                "source": "; ".join(dict.fromkeys(names.get(i, label(i)) for i in ids)),
            }
        )
    columns = ["sphere", "year", "russia_pct", "china_pct", "gap_pp", "note", "source"]
    return pd.DataFrame(rows, columns=columns)


def yearly_element(
    frame: pd.DataFrame,
    country_name: str,
    *,
    sources: Any = None,
    refs: References | None = None,
) -> Table:
    """Russia's and China's shares per sphere and year, with the gap and the source."""
    shown = yearly_frame(frame, _source_names(sources) if sources is not None else None)
    known = int((shown["russia_pct"].notna() & shown["china_pct"].notna()).sum())
    other = len(shown) - known
    subtitle = f"{known} sphere-year{' has' if known == 1 else 's have'} both shares" + (
        f"; {other} more {'has' if other == 1 else 'have'} a source row without a computable share."
        if other
        else "."
    )
    cited, ids = _cite(frame, sources)
    return Table(
        shown,
        {
            "sphere": Col(header="Sphere", kind="text"),
            "year": Col(header="Year", kind="year"),
            "russia_pct": Col(header="Russia (%)", kind="number"),
            "china_pct": Col(header="China (%)", kind="number"),
            "gap_pp": Col(header="Gap, Russia − China (percentage points)", kind="number"),
            "note": Col(header="Note", kind="text"),
            "source": Col(header="Source", kind="text"),
        },
        title=f"{country_name}: Russia's and China's shares per sphere and year",
        subtitle=subtitle,
        missing_note="no share computable that year (the note says why).",
        sources=cited,
        source_ids=ids,
        refs=refs,
        note=CALCULATIONS,
        anchor="tbl-shares-per-year",
        csv_name="shares-per-sphere-and-year.csv",
    )


# --- FDI: a separate economic measure, next to trade ---------------------------------------

#: Panel headings of the FDI figure (trade on the left, FDI on the right).
FDI_PANEL_TITLES: dict[str, str] = {
    "trade": "Share of trade turnover",
    "fdi": "Share of FDI inflows (by immediate investor)",
}
#: The two measures as the FDI figure's data name them.
FDI_MEASURE_NAMES: dict[str, str] = {"trade": "Trade turnover", "fdi": "FDI inflows"}
#: Investor names read with "the" in a sentence.
_WITH_THE = {
    "Netherlands",
    "United States",
    "United Kingdom",
    "United Arab Emirates",
    "Czech Republic",
    "Philippines",
    "Bahamas",
    "British Virgin Islands",
    "Cayman Islands",
    "Russian Federation",
}
#: Row names of the FDI table that differ from the investor's name.
FDI_ROW_NAMES: dict[str, str] = {M.UNSPECIFIED: "Unspecified origin"}
#: Label of the FDI row of the coverage table.
FDI_COVERAGE_LABEL = "Economic: FDI (separate measure)"
#: Why FDI stays apart (figure, table and coverage notes).
FDI_APART = (
    "FDI is a separate economic measure: it is not in the leader table and is never added to "
    "trade (no composite index)."
)
#: The routing caveat, in one sentence.
FDI_ROUTING = (
    "FDI is recorded by the immediate investing economy, not the ultimate owner: Russian and "
    "Chinese capital routed through transit or offshore hubs (the Netherlands, offshore "
    "centres, unspecified origin) is not counted as Russia's or China's."
)


def _the(name: str) -> str:
    """ "the Netherlands", "Canada"."""
    return f"the {name}" if name in _WITH_THE else name


def _host_names(hosts: Sequence[str]) -> str:
    from kzanalysis import countries

    return join_words([countries.name(h) for h in hosts])


def _fdi_span(fdi: S.FdiMeasure) -> str:
    c = fdi.comparison or {}
    return _span(int(c["first_year"]), int(c["last_year"]))


def _ahead(fdi: S.FdiMeasure, tie_band_pp: float) -> str:
    """ "China's cumulative share … was 5.3 % and Russia's 3.9 %, China ahead by 1.4 … (close)"."""
    c = fdi.comparison or {}
    rus, chn, gap = float(c["russia_pct"]), float(c["china_pct"]), float(c["gap_pp"])
    first, second = (
        (("China", chn), ("Russia", rus)) if chn >= rus else (("Russia", rus), ("China", chn))
    )
    text = f"{first[0]}'s cumulative share was {pct(first[1])} and {second[0]}'s {pct(second[1])}"
    diff = report.number(abs(gap), 1)
    if diff == report.number(0, 1):
        return text + ", level"
    text += f", {first[0]} ahead by {diff} percentage points"
    if leader_word(str(c["leader"])) == "close":
        text += f", within the tie band of ±{_band(tie_band_pp)} (close)"
    return text


def fdi_missing_reason(fdi: S.FdiMeasure, country_name: str) -> str:
    """Why the FDI measure has no data for the country, in words (empty when it has)."""
    cov = fdi.coverage
    if fdi.status == "data":
        return ""
    if not cov["hosts"]:
        return "the bundled FDI table has no inflows by investing economy"
    span = _span(int(cov["first_year"]), int(cov["last_year"]))
    if fdi.status == "no host":
        return (
            f"the bundled FDI by investing economy (UNCTAD) covers only "
            f"{_host_names(cov['hosts'])} as hosts, {span}"
        )
    return (
        f"the bundled FDI by investing economy for {country_name} covers {span}, outside this "
        f"report's years ({_span(fdi.start_year, fdi.end_year)})"
    )


def fdi_sentence(fdi: S.FdiMeasure, country_name: str, tie_band_pp: float) -> str:
    """The FDI measure in one or two sentences: who had the larger cumulative share, and the
    routing caveat; or why there is none.

    Example: "FDI, a separate economic measure, is known only for 2001–2012: of the FDI
    inflows into Kazakhstan in those years, China's cumulative share was 5.3 % and Russia's
    3.9 %, China ahead by 1.4 percentage points, within the tie band of ±5 percentage points
    (close). The largest recorded investor, the Netherlands (26.4 %), is a transit hub: FDI is
    recorded by the immediate investor, so Russian and Chinese capital may be hidden there."
    """
    if fdi.status != "data":
        return (
            f"FDI, the thesis' money measure, cannot be set next to trade for {country_name}: "
            f"{fdi_missing_reason(fdi, country_name)}, so the economic sphere rests on trade "
            "turnover alone."
        )
    head = (
        f"FDI, a separate economic measure, is known only for {_fdi_span(fdi)}: of the FDI "
        f"inflows into {country_name} in those years, {_ahead(fdi, tie_band_pp)}."
    )
    top = fdi.largest
    if top is not None and top["transit"]:
        tail = (
            f" The largest recorded investor, {_the(str(top['name']))} "
            f"({pct(float(top['share_pct']))}), is a transit hub: FDI is recorded by the "
            "immediate investor, so Russian and Chinese capital may be hidden there."
        )
    else:
        largest = (
            f" (the largest recorded investor is {_the(str(top['name']))}, "
            f"{pct(float(top['share_pct']))})"
            if top is not None
            else ""
        )
        tail = (
            " FDI is recorded by the immediate investor, so Russian and Chinese capital routed "
            f"through transit or offshore hubs may be hidden under other investors{largest}."
        )
    return head + tail


def fdi_caveat(fdi: S.FdiMeasure) -> str:
    """The FDI table's subtitle: the powers' cumulative shares next to where capital of
    unknown owner sits (the largest investor, the Netherlands, unspecified origin).

    Example: "Over 2001–2012, China's cumulative share was 5.3 % and Russia's 3.9 %; the
    Netherlands, the largest recorded investor and a transit hub, accounts for 26.4 % and
    unspecified investors for 5.3 %."
    """
    if fdi.status != "data":
        return ""
    c = fdi.comparison or {}
    text = (
        f"Over {_fdi_span(fdi)}, China's cumulative share was {pct(float(c['china_pct']))} and "
        f"Russia's {pct(float(c['russia_pct']))}"
    )
    top = fdi.largest
    by = fdi.totals.set_index("investor")
    others = [
        (
            "unspecified investors" if key == M.UNSPECIFIED else _the(M.investor_label(key)),
            pct(float(by.loc[key, "share_pct"])),
        )
        for key in M.OFFSHORE
        if key in by.index and (top is None or key != top["investor"])
    ]
    rest = [f"{name} for {share}" for name, share in others]
    if top is not None and top["transit"]:
        lead = (
            f"{_the(str(top['name']))}, the largest recorded investor and a transit hub, "
            f"accounts for {pct(float(top['share_pct']))}"
        )
        return f"{text}; {join_words([lead, *rest])}."
    if top is not None:
        text += (
            f"; the largest recorded investor is {_the(str(top['name']))} "
            f"({pct(float(top['share_pct']))})"
        )
    if rest:
        first_name, first_share = others[0]
        text += f"; {join_words([f'{first_name} accounts for {first_share}', *rest[1:]])}"
    return text + "."


def fdi_trade_rows(frame: pd.DataFrame, fdi: S.FdiMeasure) -> pd.DataFrame:
    """The points :func:`draw_fdi` draws: trade and FDI shares over the FDI years.

    Returns:
        ``measure`` ("Trade turnover" / "FDI inflows"), ``year``, ``power``, ``share_pct``;
        trade rows only for the years the FDI rows span.
    """
    _require_columns(frame, ["sphere", "year", "actor", "share_pct"], "fdi_trade_rows")
    shares = fdi.shares.dropna(subset=["share_pct"])
    if shares.empty:
        return pd.DataFrame(columns=["measure", "year", "power", "share_pct"])
    first, last = int(fdi.shares["year"].min()), int(fdi.shares["year"].max())
    trade = frame[(frame["sphere"] == "economic") & frame["year"].between(first, last)].dropna(
        subset=["share_pct"]
    )
    parts = [(FDI_MEASURE_NAMES["trade"], trade), (FDI_MEASURE_NAMES["fdi"], shares)]
    out = pd.concat(
        [
            pd.DataFrame(
                {
                    "measure": name,
                    "year": rows["year"].astype("int64"),
                    "power": rows["actor"].astype(str),
                    "share_pct": rows["share_pct"].astype("float64"),
                }
            )
            for name, rows in parts
        ],
        ignore_index=True,
    )
    return out


def fdi_outside_sentence(fdi: S.FdiMeasure) -> str:
    """Which yearly FDI shares lie below 0 or above 100 %, and why that can happen ("" if none)."""
    rows = fdi.shares.dropna(subset=["share_pct"])
    odd = rows[(rows["share_pct"] < 0) | (rows["share_pct"] > 100)].sort_values(["year", "actor"])
    if odd.empty:
        return ""
    listed = "; ".join(f"{r.actor} in {r.year}: {pct(r.share_pct)}" for r in odd.itertuples())
    n = len(odd)
    return (
        f"{n} yearly FDI share{'s lie' if n > 1 else ' lies'} outside 0–100 % ({listed}): a "
        "negative inflow is a withdrawal, and when other investors' inflows are negative or "
        "the world total is small, one investor's inflow can exceed it."
    )


def draw_fdi(frame: pd.DataFrame, fdi: S.FdiMeasure) -> Any:
    """Two panels side by side over the FDI years: the shares of trade turnover and of FDI.

    Each panel keeps its own total (no composite); both use the 0–100 % scale, the FDI panel
    widened when a yearly share lies outside it. Lines join consecutive years only.

    Returns:
        The matplotlib figure (no title or caption in the image).
    """
    import matplotlib.pyplot as plt

    colours = plotting.palette(S.ACTORS)
    rows = fdi_trade_rows(frame, fdi)
    first, last = int(fdi.shares["year"].min()), int(fdi.shares["year"].max())
    years = pd.Index(range(first, last + 1), name="year")
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.4), sharex=True)
    for ax, key in zip(axes, ("trade", "fdi"), strict=True):
        part = rows[rows["measure"] == FDI_MEASURE_NAMES[key]]
        share_panel(ax, part, "power", years, colours)
        low, high = _share_limits(part["share_pct"])
        if (low, high) != (-4.0, 104.0):
            for y in (0, 100):
                ax.axhline(y, color="#8c959f", linewidth=0.8, linestyle=":")
        ax.set_ylim(low, high)
        ax.set_xlim(first - 0.5, last + 0.5)
        ax.set_title(FDI_PANEL_TITLES[key], loc="left", fontsize=10)
        plotting.label_axes(ax, xlabel="Year", ylabel="Share (%)", legend=False, layout=False)
    axes[0].legend(frameon=False, loc="lower left", bbox_to_anchor=(0.0, 1.08), ncols=2)
    fig.tight_layout()
    return fig


def _share_limits(values: pd.Series) -> tuple[float, float]:
    """y limits of a share panel: -4 to 104, widened (4 % of the span) to a share outside."""
    lo = min(0.0, float(values.min())) if len(values) else 0.0
    hi = max(100.0, float(values.max())) if len(values) else 100.0
    pad = 0.04 * (hi - lo)
    return (-4.0 if lo >= 0 else lo - pad), (104.0 if hi <= 100 else hi + pad)


def fdi_alt(frame: pd.DataFrame, fdi: S.FdiMeasure, country_name: str) -> str:
    """Alt text of the FDI figure: per panel, the first and last shares of each power."""
    rows = fdi_trade_rows(frame, fdi)
    first, last = int(fdi.shares["year"].min()), int(fdi.shares["year"].max())
    parts = []
    for key in ("trade", "fdi"):
        name = FDI_MEASURE_NAMES[key]
        part = rows[rows["measure"] == name]
        wide = part.pivot_table(index="year", columns="power", values="share_pct").dropna()
        if wide.empty:
            parts.append(f"{name}: no year with both shares.")
            continue
        y0, y1 = int(wide.index.min()), int(wide.index.max())
        a, b = wide.loc[y0], wide.loc[y1]
        if y0 == y1:
            parts.append(f"{name}: {y0} only, Russia {pct(a['Russia'])}, China {pct(a['China'])}.")
            continue
        parts.append(
            f"{name}: Russia {pct(a['Russia'])} in {y0} and {pct(b['Russia'])} in {y1}, "
            f"China {pct(a['China'])} and {pct(b['China'])}."
        )
    return (
        f"Two line charts side by side of Russia's and China's shares (%) for {country_name}, "
        f"{_span(first, last)}: of trade turnover (left) and of FDI inflows (right). "
        + " ".join(parts)
    )


def fdi_subtitle(frame: pd.DataFrame, fdi: S.FdiMeasure) -> str:
    """The FDI figure's subtitle: cumulative FDI shares next to the mean trade shares."""
    c = fdi.comparison or {}
    first, last = int(c["first_year"]), int(c["last_year"])
    trade = S.economic_means(frame, first, last)
    text = (
        f"Over {_span(first, last)}, China's cumulative share of FDI inflows was "
        f"{pct(float(c['china_pct']))} and Russia's {pct(float(c['russia_pct']))}"
    )
    if not trade["years_with_data"]:
        return text + "; no year of that span has both shares of trade turnover."
    cover = (
        f" ({trade['years_with_data']} of {trade['years_in_range']} years with data)"
        if trade["years_with_data"] < trade["years_in_range"]
        else ""
    )
    return (
        f"{text}; their mean yearly shares of trade turnover were "
        f"{pct(float(trade['china_pct']))} and {pct(float(trade['russia_pct']))}{cover}."
    )


def fdi_figure(
    frame: pd.DataFrame,
    fdi: S.FdiMeasure,
    country_name: str,
    *,
    sources: Any = None,
    refs: References | None = None,
) -> Figure | Note:
    """Russia's and China's FDI inflow shares next to their trade shares, as a Figure.

    Args:
        frame: The balance frame (its economic rows give the trade panel).
        fdi: :func:`~kzanalysis.analysis.synthesis.fdi_measure` output.
        country_name: The country's name.
        sources: The loaded trade and FDI tables (cited: the ids of the rows shown).
        refs: Reference collector.

    Returns:
        The Figure, or a Note saying why there is no FDI measure.
    """
    if fdi.status != "data" or fdi.shares["share_pct"].notna().sum() == 0:
        return Note(fdi_sentence(fdi, country_name, 0.0), label="No FDI by origin")
    first, last = int(fdi.shares["year"].min()), int(fdi.shares["year"].max())
    shown = pd.concat(
        [frame[(frame["sphere"] == "economic") & frame["year"].between(first, last)], fdi.shares]
    )
    cited, ids = _cite(shown, sources)
    data = fdi_trade_rows(frame, fdi)
    fig = draw_fdi(frame, fdi)
    outside = fdi_outside_sentence(fdi)
    return Figure(
        fig,
        title=(
            f"{country_name}: Russia's and China's shares of FDI inflows next to trade "
            f"turnover, {_span(first, last)}"
        ),
        subtitle=fdi_subtitle(frame, fdi),
        alt=fdi_alt(frame, fdi, country_name),
        data=data,
        columns={
            "measure": "Measure",
            "year": "Year",
            "power": "Power",
            "share_pct": "Share of the measure's total (%)",
        },
        sources=cited,
        source_ids=ids,
        refs=refs,
        note=" ".join(x for x in (FDI_APART, FDI_ROUTING, outside, CALCULATIONS) if x),
        anchor="fig-fdi-next-to-trade",
        csv_name="fdi-next-to-trade.csv",
    )


def fdi_table(
    fdi: S.FdiMeasure,
    country_name: str,
    *,
    sources: Any = None,
    refs: References | None = None,
) -> Table | Note:
    """Cumulative FDI inflows by investor (Russia, China, the Netherlands, unspecified, the
    world), with the latest stock share where the bundle has stocks.

    Returns:
        The Table, or a Note saying why there is no FDI measure.
    """
    if fdi.status != "data":
        return Note(fdi_sentence(fdi, country_name, 0.0), label="No FDI by origin")
    totals = fdi.totals
    world = totals.iloc[0]
    rows = [
        {
            "name": FDI_ROW_NAMES.get(str(r.investor), str(r.name)),
            "years": _years_text(r.first_year, r.last_year, r.years),
            "value_usd_mn": r.value_usd_mn,
            "share_pct": r.share_pct,
            "stock_share_pct": r.stock_share_pct,
        }
        for r in totals.itertuples()
    ]
    rows.append(
        {
            "name": "World (all investors)",
            "years": _years_text(
                int(totals["first_year"].min()),
                int(totals["last_year"].max()),
                int(totals["years"].max()),
            ),
            "value_usd_mn": float(world["world_usd_mn"]),
            "share_pct": 100.0,
            "stock_share_pct": 100.0 if pd.notna(world["stock_year"]) else float("nan"),
        }
    )
    shown = pd.DataFrame(rows)
    columns: dict[str, Col | str] = {
        "name": Col(header="Investor", kind="text"),
        "years": Col(header="Years", kind="text"),
        "value_usd_mn": Col(header="Cumulative FDI inflows (US$ mn)", kind="number", decimals=0),
        "share_pct": Col(header="Share of total FDI inflows (%)", kind="number"),
    }
    notes = [
        FDI_APART,
        "Cumulative share: the investor's inflows summed over the years over the world's, "
        "not a mean of yearly shares; a negative sum means withdrawals exceeded new "
        "investment.",
        FDI_ROUTING,
    ]
    if pd.notna(world["stock_year"]):
        year = int(world["stock_year"])
        columns["stock_share_pct"] = Col(header=f"Share of FDI stock, {year} (%)", kind="number")
        notes.append(f"Stock: the position at the end of {year}, the latest year with stock data.")
    cited, ids = _cite(fdi.shares, sources)
    return Table(
        shown,
        columns,
        title=f"{country_name}: FDI inflows by investor, cumulative {_fdi_span(fdi)}",
        subtitle=fdi_caveat(fdi),
        notes=notes,
        sources=cited,
        source_ids=ids,
        refs=refs,
        note=CALCULATIONS,
        anchor="tbl-fdi-by-investor",
        csv_name="fdi-by-investor.csv",
    )


def _years_text(first: int, last: int, n: int) -> str:
    span = _span(int(first), int(last))
    full = int(last) - int(first) + 1
    return span if int(n) == full else f"{n} of {full} years in {span}"


def fdi_elements(
    frame: pd.DataFrame,
    fdi: S.FdiMeasure,
    country_name: str,
    *,
    sources: Any = None,
    refs: References | None = None,
) -> tuple[Any, ...]:
    """The FDI part of the economic sphere: the figure and the table, or one Note.

    Returns:
        ``(figure, table)`` with data; ``(note,)`` when the country has no FDI measure.
    """
    if fdi.status != "data":
        return (Note(fdi_sentence(fdi, country_name, 0.0), label="No FDI by origin"),)
    return (
        fdi_figure(frame, fdi, country_name, sources=sources, refs=refs),
        fdi_table(fdi, country_name, sources=sources, refs=refs),
    )
