"""Synthesis (issue 8): Russia vs China in one Central Asian state, sphere by sphere.

The thesis asks whether the convergence of Russian and Chinese interests in Kazakhstan
produces cooperation or competition, and who leads in which sphere. This module puts the
chapters' measures side by side in ONE tidy long frame (:func:`balance_frame`) and reads
leaders and lead changes from it. There is no composite index: each sphere keeps its own
measure, unit and source, and the only judgement parameter is the explicit tie band
(``tie_band_pp``).

Spheres and measures (every value is a share in %, Russia and China measured alike):
    economic: Russia's and China's shares of the country's total trade turnover (exports +
        imports, US$) in its own reported flows, one source family per year
        (:func:`kzanalysis.analysis.trade.select_flows`, IMF DOTS first).
    energy: shares of the country's pipeline gas exports going to Russia and to China
        (Energy Institute / bp Statistical Review inter-country pipeline matrices, one data
        year per edition; the bundled editions fix which years). Crude oil cannot be split
        by country: the Review's crude matrix lumps Kazakhstan into "Other CIS", and the
        bundled HS product lines list China and the world only. A year whose matrix has no
        Russia column is "no data" (the share of the listed columns would be misleading).
    military: shares of SIPRI TIV deliveries over the ``ARMS_WINDOW``-year window ending
        in the year (Russia includes the Soviet Union), latest bundled SIPRI edition.
    opinion: whole-sample poll shares for Russia and China from the SAME survey and
        question (or a matched pair of questions), in the priority order of
        :data:`OPINION_PAIRS`. The bundle has no favourability question asked about both
        powers in the same survey; what exists is listed there.

FDI, a separate economic measure (:func:`fdi_measure`): Russia's and China's shares of the
country's FDI inflows by immediate investing economy (UNCTAD Bilateral FDI Statistics 2014,
through :mod:`kzanalysis.analysis.money`), per year and cumulated over the years with data.
It is kept OUT of the balance frame: it does not enter the leaders, the changes of lead or
the coverage counts of the four spheres, and it is never added to trade. The bundle has it
for Kazakhstan and Kyrgyzstan as hosts only, and for no year after the UNCTAD edition's
last; for the other countries the result says so and holds no rows.

Missing values are never filled or interpolated: a sphere-year counts as data only when
both shares are known, and every leader cell shows how many of its years had data.

Every function is pure (no I/O). The report's findings, tables and figure are built
from these results by :mod:`kzanalysis.analysis.synthesis_report`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kzanalysis.analysis import arms as A
from kzanalysis.analysis import energy as E
from kzanalysis.analysis import money as M
from kzanalysis.analysis import trade as T
from kzanalysis.analysis._checks import require_columns as _require_columns
from kzanalysis.analysis.arms_params import DATA_FIRST_YEAR as ARMS_FIRST_YEAR
from kzanalysis.analysis.arms_params import EDITION_LAST_YEAR, LATEST_EDITION

# --- constants -----------------------------------------------------------------------

#: The spheres, in display order.
SPHERES: tuple[str, ...] = ("economic", "energy", "military", "opinion")
#: The two powers compared.
ACTORS: tuple[str, ...] = ("Russia", "China")
#: Columns of :func:`balance_frame`.
FRAME_COLUMNS: list[str] = [
    "sphere",
    "year",
    "actor",
    "share_pct",
    "unit",
    "measure",
    "source",
    "note",
]
#: Length of the SIPRI window behind the military shares (SIPRI compares 5-year sums).
ARMS_WINDOW = 5
#: Unit of every value.
UNIT = "% (share)"

#: What each sphere's value is, in words.
MEASURES: dict[str, str] = {
    "economic": "share of total trade turnover (exports + imports, US$), %",
    "energy": "share of pipeline gas exports by destination (bcm), %",
    "military": f"share of SIPRI TIV deliveries over the {ARMS_WINDOW}-year window ending "
    "in the year, %",
    "opinion": "share of respondents naming / rating the power (same survey), %",
}

#: Why a sphere can have no data for a country (shown in the findings).
NO_DATA_REASONS: dict[str, str] = {
    "economic": "no reported trade with both powers in the bundled trade tables",
    "energy": "the country is not a pipeline gas exporter in the bundled Statistical Review "
    "matrices, or their Russia column is missing",
    "military": "no SIPRI-recorded arms deliveries in the window",
    "opinion": "no poll in the bundle asked about Russia and China comparably in this country",
}

#: Who leads each sphere according to the thesis ("China leads in money and trade, Russia
#: in arms, security and culture"); the thesis makes no single claim for energy.
THESIS_EXPECTATION: dict[str, str] = {
    "economic": "China",
    "military": "Russia",
    "opinion": "Russia",
}


@dataclass(frozen=True)
class OpinionPair:
    """A comparable poll measure: the (question id, option) giving Russia's and China's share.

    Attributes:
        measure: What the share is, in words.
        russia: ``(question_id, option)`` of Russia's share.
        china: ``(question_id, option)`` of China's share.
    """

    measure: str
    russia: tuple[str, str]
    china: tuple[str, str]


#: Comparable Russia/China poll measures, in priority order (the first with both shares in
#: a year wins). Favourability of Russia (``cab_fav_russia``) and perceptions of China
#: (``talap_*``) are never asked about the other power in the same survey, so they are not
#: here; Gallup's China approval exists only as a pooled 2006–2018 average.
OPINION_PAIRS: tuple[OpinionPair, ...] = (
    OpinionPair(
        "named as the country that helped most in the COVID-19 pandemic (CAB 2020), %",
        ("cab_covid_best_helper", "Russia"),
        ("cab_covid_best_helper", "China"),
    ),
    OpinionPair(
        "confidence in the leader, Putin vs Xi (great deal or fair amount, M-Vector), %",
        ("mv_confidence_putin", "great deal or fair amount"),
        ("mv_confidence_xi", "great deal or fair amount"),
    ),
    OpinionPair(
        "relations with the country rated good (IRI), %",
        ("iri_relations_russia", "good"),
        ("iri_relations_china", "good"),
    ),
)

NO_DATA = "no data"


def _frame(rows: list[dict]) -> pd.DataFrame:
    """Rows in :data:`FRAME_COLUMNS` form with stable dtypes."""
    out = pd.DataFrame.from_records(rows, columns=FRAME_COLUMNS)
    return out.astype({"year": "int64", "share_pct": "float64"})


def _pair_rows(
    sphere: str,
    year: int,
    russia: float,
    china: float,
    *,
    measure: str,
    source: str,
    note: str = "",
) -> list[dict]:
    """Two rows (Russia, China) of one sphere-year."""
    return [
        {
            "sphere": sphere,
            "year": int(year),
            "actor": actor,
            "share_pct": float(value),
            "unit": UNIT,
            "measure": measure,
            "source": source,
            "note": note,
        }
        for actor, value in (("Russia", russia), ("China", china))
    ]


# --- the four spheres ----------------------------------------------------------------


def economic_shares(
    flows: pd.DataFrame,
    country: str,
    start_year: int,
    end_year: int,
    preference: str = "auto",
) -> pd.DataFrame:
    """Russia's and China's shares of the country's trade turnover, per year.

    Args:
        flows: ``trade_partner_flows``.
        country: ISO3 code of the reporting country.
        start_year: First year.
        end_year: Last year.
        preference: Source-family order (:data:`kzanalysis.analysis.trade.FAMILY_ORDER`);
            ``auto`` (the trade chapter's default) puts China's and Russia's own figures in
            the years where the country's series are an allocation
            (:func:`kzanalysis.analysis.flags.allocated_series`), as its trade report does.

    Returns:
        :data:`FRAME_COLUMNS` rows (sphere ``economic``) for the years where the turnover
        with Russia, with China and the world total are all known; ``source`` lists the
        source ids of that year's rows; ``note`` says where the partners' figures stand in.
    """
    from kzanalysis.analysis import flags as FL

    _require_columns(flows, ["reporter_iso3", "partner_code", "flow", "year"], "economic_shares")
    selected = T.select_flows(flows, country, FL.base_preference(preference))
    replaced: set[int] = set()
    if preference in FL.MIRROR_PREFERENCES or (
        preference == "auto" and FL.allocated_series(flows, country, start_year, end_year)
    ):
        selected, mirrored = FL.mirror_flagged(
            flows,
            selected,
            country,
            start_year,
            end_year,
            preference=FL.base_preference(preference),
        )
        replaced = {int(y) for y in mirrored["year"]}
    values = T.partner_values(
        selected, ["RUS", "CHN"], "turnover", start_year, end_year, reporter=country
    )
    wide = values.pivot(index="year", columns="partner", values="share_pct")
    used = selected[selected["partner_code"].isin(["RUS", "CHN", T.WORLD])]
    sources = used.groupby("year")["source"].agg(lambda s: "+".join(sorted(set(s))))
    rows: list[dict] = []
    for year, r in wide.iterrows():
        rus, chn = r.get("RUS", math.nan), r.get("CHN", math.nan)
        if pd.isna(rus) or pd.isna(chn):
            continue
        rows += _pair_rows(
            "economic",
            int(year),
            rus,
            chn,
            measure=MEASURES["economic"],
            source=str(sources.get(year, "")),
            note=(
                "the country's own figures are an allocation this year; China's and Russia's "
                "own figures stand in"
                if int(year) in replaced
                else ""
            ),
        )
    return _frame(rows)


def energy_shares(gas: pd.DataFrame, country: str, start_year: int, end_year: int) -> pd.DataFrame:
    """Shares of the country's pipeline gas exports going to Russia and to China.

    The denominator is the exporter's ``TOTAL`` cell of each year's matrix. An absent cell
    of a present row and column is 0 bcm (:func:`kzanalysis.analysis.energy.pipeline_pairs`).
    Years whose matrix has no row for the country (it exported no pipeline gas there) give
    no rows; years whose matrix lacks the Russia or China column (or the total) give two
    rows with ``share_pct`` NaN and a note saying why: such a year is no data.

    Args:
        gas: ``energy_gas_pipeline_flows``.
        country: ISO3 code of the exporting country.
        start_year: First year.
        end_year: Last year.

    Returns:
        :data:`FRAME_COLUMNS` rows (sphere ``energy``).
    """
    _require_columns(
        gas, ["edition", "year", "exporter_code", "importer_code", "flow_bcm"], "energy_shares"
    )
    part = gas[gas["year"].between(start_year, end_year)]
    rows: list[dict] = []
    if part.empty or not (part["exporter_code"] == country).any():
        return _frame(rows)
    pairs = E.pipeline_pairs(part, [(country, "RUS"), (country, "CHN"), (country, "TOTAL")])
    sources = part.groupby("year")["source"].first()
    for year, grp in pairs.groupby("year", sort=True):
        matrix = part[part["year"] == year]
        if not (matrix["exporter_code"] == country).any():
            continue  # no pipeline gas exports of this country in that matrix
        by = grp.set_index("importer_code")
        edition = str(grp["edition"].iloc[0])
        total = float(by.loc["TOTAL", "flow_bcm"])
        rus, chn = float(by.loc["RUS", "flow_bcm"]), float(by.loc["CHN", "flow_bcm"])
        missing = [
            name
            for name, value in (("Russia", rus), ("China", chn), ("total", total))
            if math.isnan(value)
        ]
        if missing or total <= 0:
            note = (
                f"edition {edition} matrix has no {' / '.join(missing) or 'positive total'} "
                "column: share not computable"
            )
            rus_share = chn_share = math.nan
        else:
            note = f"edition {edition}: total {total:.2f} bcm"
            rus_share, chn_share = 100 * rus / total, 100 * chn / total
        rows += _pair_rows(
            "energy",
            int(year),
            rus_share,
            chn_share,
            measure=MEASURES["energy"],
            source=str(sources.get(year, "")),
            note=note,
        )
    return _frame(rows)


def military_shares(
    deals: pd.DataFrame,
    deliveries: pd.DataFrame,
    country: str,
    start_year: int,
    end_year: int,
    *,
    edition: str = LATEST_EDITION,
    window: int = ARMS_WINDOW,
) -> pd.DataFrame:
    """Russia's and China's shares of TIV deliveries over the window ending in each year.

    Yearly deliveries come from :func:`kzanalysis.analysis.arms.yearly_from_deals` (with
    the edition's per-year reference register); a year's value is the share of the
    ``window`` years ending in it (SIPRI's 5-year comparison, rolling). Windows reaching
    before 1992 or past the edition's last delivery year, and windows without deliveries,
    give no rows.

    Args:
        deals: ``arms_deals`` (all editions).
        deliveries: ``arms_deliveries`` (all editions).
        country: ISO3 code of the recipient.
        start_year: First year (window end).
        end_year: Last year (window end).
        edition: ``arms_deals`` edition.
        window: Window length in years.

    Returns:
        :data:`FRAME_COLUMNS` rows (sphere ``military``); the note gives the window and its
        total TIV; ``source`` names the deals' source and the per-year register's.
    """
    _require_columns(deals, ["edition", "recipient_iso3", "supplier_iso3"], "military_shares")
    sel = A.select_edition(deals, edition, [country])
    ref = A.select_edition(deliveries, A.REFERENCE_PER_YEAR[edition], [country])
    yearly = A.label_suppliers(A.yearly_from_deals(sel, ref), A.supplier_names(deals))
    last = EDITION_LAST_YEAR[edition]
    rows: list[dict] = []
    if yearly.empty:
        return _frame(rows)
    table = A.supplier_year_table(yearly, ARMS_FIRST_YEAR, last)
    bounds = [
        b
        for b in A.window_bounds(ARMS_FIRST_YEAR, last, window, rolling=True)
        if start_year <= b[1] <= end_year
    ]
    if not bounds:
        return _frame(rows)
    rc = A.russia_china(A.window_sums(table, bounds))
    # the deals of the edition, and the per-year register that splits multi-year deals
    source = "+".join(dict.fromkeys([*sel["source"].astype(str), *ref["source"].astype(str)]))
    measure = MEASURES["military"].replace(f"{ARMS_WINDOW}-year", f"{window}-year")
    for r in rc.itertuples():
        if not r.total_tiv_mn > 0:
            continue
        rows += _pair_rows(
            "military",
            int(r.last_year),
            r.russia_share_pct,
            r.china_share_pct,
            measure=measure,
            source=source,
            note=f"window {r.window}: total {r.total_tiv_mn:,.0f} TIV mn (edition {edition})",
        )
    return _frame(rows)


def opinion_shares(
    polls: pd.DataFrame,
    country: str,
    start_year: int,
    end_year: int,
    pairs: Sequence[OpinionPair] = OPINION_PAIRS,
) -> pd.DataFrame:
    """Whole-sample poll shares for Russia and China from comparable questions, per year.

    In each fieldwork year the first pair of :data:`OPINION_PAIRS` with both shares in the
    same survey gives the values; years with neither are no data.

    Args:
        polls: ``poll_toplines``.
        country: ISO3 code.
        start_year: First fieldwork year.
        end_year: Last fieldwork year.
        pairs: Comparable measures in priority order.

    Returns:
        :data:`FRAME_COLUMNS` rows (sphere ``opinion``); the note names the survey and flags
        numbers read in secondary reports.
    """
    _require_columns(
        polls,
        ["survey", "country_iso3", "subgroup", "question_id", "option", "share_pct"],
        "opinion_shares",
    )
    base = polls[
        (polls["country_iso3"] == country)
        & (polls["subgroup"] == "all")
        & polls["fieldwork_year"].notna()
    ]
    base = base[base["fieldwork_year"].astype(int).between(start_year, end_year)]
    rows: list[dict] = []
    for year in sorted(set(base["fieldwork_year"].astype(int))):
        in_year = base[base["fieldwork_year"].astype(int) == year]
        for pair in pairs:
            found = []
            for qid, option in (pair.russia, pair.china):
                hit = in_year[(in_year["question_id"] == qid) & (in_year["option"] == option)]
                found.append(hit)
            rus, chn = found
            common = sorted(set(rus["survey"]) & set(chn["survey"]))
            if not common:
                continue
            survey = common[0]
            r = rus[rus["survey"] == survey].iloc[0]
            c = chn[chn["survey"] == survey].iloc[0]
            secondary = [
                str(x["source_publisher"]) for x in (r, c) if bool(x.get("secondary_report"))
            ]
            note = survey + (
                f" [secondary report: {'; '.join(dict.fromkeys(secondary))}]" if secondary else ""
            )
            rows += _pair_rows(
                "opinion",
                year,
                float(r["share_pct"]),
                float(c["share_pct"]),
                measure=pair.measure,
                source=str(r["source"]),
                note=note,
            )
            break
    return _frame(rows)


def balance_frame(parts: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate sphere frames into one tidy long frame, ordered by sphere, year, actor.

    Raises:
        ValueError: if a part lacks columns, has an unknown sphere or actor, or repeats a
            (sphere, year, actor).
    """
    frames = list(parts)
    for part in frames:
        _require_columns(part, FRAME_COLUMNS, "balance_frame")
    out = pd.concat([f[FRAME_COLUMNS] for f in frames], ignore_index=True) if frames else None
    if out is None or out.empty:
        return _frame([])
    bad = sorted(set(out["sphere"]) - set(SPHERES)) + sorted(set(out["actor"]) - set(ACTORS))
    if bad:
        raise ValueError(f"balance_frame: unknown sphere(s)/actor(s) {bad}")
    dupes = out.duplicated(["sphere", "year", "actor"])
    if dupes.any():
        first = out[dupes].iloc[0]
        raise ValueError(
            f"balance_frame: {first['sphere']} {first['year']} {first['actor']} appears twice; "
            "give one value per sphere, year and actor"
        )
    order = {s: i for i, s in enumerate(SPHERES)}
    actor_order = {a: i for i, a in enumerate(ACTORS)}
    out = out.assign(_s=out["sphere"].map(order), _a=out["actor"].map(actor_order))
    out = out.sort_values(["_s", "year", "_a"]).drop(columns=["_s", "_a"])
    return out.reset_index(drop=True).astype({"year": "int64", "share_pct": "float64"})


# --- reading the frame ---------------------------------------------------------------


def yearly_gaps(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per sphere and year where BOTH shares are known.

    Returns:
        ``sphere``, ``year``, ``russia_pct``, ``china_pct``, ``gap_pp`` (Russia − China),
        ``measure``.
    """
    _require_columns(frame, ["sphere", "year", "actor", "share_pct", "measure"], "yearly_gaps")
    known = frame.dropna(subset=["share_pct"])
    wide = known.pivot_table(
        index=["sphere", "year"], columns="actor", values="share_pct", aggfunc="first"
    )
    for actor in ACTORS:
        if actor not in wide.columns:
            wide[actor] = np.nan
    wide = wide.dropna(subset=list(ACTORS)).reset_index()
    measures = known.groupby(["sphere", "year"])["measure"].first()
    out = pd.DataFrame(
        {
            "sphere": wide["sphere"].astype("str"),
            "year": wide["year"].astype("int64"),
            "russia_pct": wide["Russia"].astype("float64"),
            "china_pct": wide["China"].astype("float64"),
        }
    )
    out["gap_pp"] = out["russia_pct"] - out["china_pct"]
    out["measure"] = [
        measures.get((s, y), "") for s, y in zip(out["sphere"], out["year"], strict=True)
    ]
    order = {s: i for i, s in enumerate(SPHERES)}
    out = out.assign(_s=out["sphere"].map(order)).sort_values(["_s", "year"])
    return out.drop(columns="_s").reset_index(drop=True)


def year_ranges(years: Iterable[int]) -> str:
    """Compress years into ranges: ``[1996, 1997, 1998, 2001]`` → ``1996–1998, 2001``."""
    ys = sorted(set(int(y) for y in years))
    if not ys:
        return "none"
    parts, first, prev = [], ys[0], ys[0]
    for y in [*ys[1:], None]:
        if y is not None and y == prev + 1:
            prev = y
            continue
        parts.append(str(first) if first == prev else f"{first}–{prev}")
        if y is not None:
            first = prev = y
    return ", ".join(parts)


def coverage_table(frame: pd.DataFrame, start_year: int, end_year: int) -> pd.DataFrame:
    """Per sphere: how many years of ``start_year``–``end_year`` have both shares.

    Returns:
        ``sphere``, ``years_with_data``, ``years_in_range``, ``coverage``
        (e.g. ``"12/30 yrs"``), ``years`` (ranges with data), ``missing`` (ranges without),
        ``measures`` (the distinct measures used).
    """
    gaps = yearly_gaps(frame)
    gaps = gaps[gaps["year"].between(start_year, end_year)]
    span = list(range(start_year, end_year + 1))
    rows = []
    for sphere in SPHERES:
        part = gaps[gaps["sphere"] == sphere]
        have = sorted(part["year"])
        rows.append(
            {
                "sphere": sphere,
                "years_with_data": len(have),
                "years_in_range": len(span),
                "coverage": f"{len(have)}/{len(span)} yrs",
                "years": year_ranges(have),
                "missing": year_ranges(sorted(set(span) - set(have))),
                "measures": "; ".join(dict.fromkeys(part["measure"])) or NO_DATA,
            }
        )
    return pd.DataFrame(rows)


def periods(start_year: int, end_year: int, window: int) -> list[tuple[int, int]]:
    """Periods of ``window`` years from ``start_year``; the last one ends at ``end_year``.

    Raises:
        ValueError: if ``window < 1`` or ``start_year > end_year``.
    """
    if window < 1:
        raise ValueError(f"window must be at least 1 year, not {window}")
    if start_year > end_year:
        raise ValueError(f"start_year {start_year} is after end_year {end_year}")
    return [
        (first, min(first + window - 1, end_year))
        for first in range(start_year, end_year + 1, window)
    ]


def period_label(first: int, last: int) -> str:
    """``1996–2000`` (one year: ``2025``)."""
    return str(first) if first == last else f"{first}–{last}"


def close_label(tie_band_pp: float) -> str:
    """The leader text of a tie: ``close (within 5 pp)``."""
    return f"close (within {tie_band_pp:g} pp)"


def leader_of(gap_pp: float, tie_band_pp: float) -> str:
    """Who leads given the Russia − China gap: Russia, China, close (within band), no data.

    A gap exactly at the band's edge counts as close.
    """
    if gap_pp is None or pd.isna(gap_pp):
        return NO_DATA
    if abs(gap_pp) <= tie_band_pp + 1e-9:
        return close_label(tie_band_pp)
    return "Russia" if gap_pp > 0 else "China"


def period_leaders(
    frame: pd.DataFrame,
    start_year: int,
    end_year: int,
    window: int,
    tie_band_pp: float,
) -> pd.DataFrame:
    """Who leads each sphere in each period, with the period's data coverage.

    A period's value is the mean of each power's share over the years of the period where
    both are known (never interpolated); the gap is Russia's mean minus China's. A gap
    within ± ``tie_band_pp`` is close; a period without any such year is no data.

    Args:
        frame: :func:`balance_frame` output.
        start_year: First year of the first period.
        end_year: Last year (the last period may be shorter).
        window: Years per period.
        tie_band_pp: Tie band in percentage points (>= 0).

    Returns:
        One row per sphere and period: ``sphere``, ``period``, ``first_year``,
        ``last_year``, ``years_in_period``, ``years_with_data``, ``russia_mean_pct``,
        ``china_mean_pct``, ``gap_pp``, ``leader`` and ``cell`` (e.g. ``China (5/5 yrs)``).

    Raises:
        ValueError: for a negative tie band or a bad window / period.
    """
    if tie_band_pp < 0 or not math.isfinite(tie_band_pp):
        raise ValueError(f"tie_band_pp must be a finite number >= 0, not {tie_band_pp}")
    gaps = yearly_gaps(frame)
    rows = []
    for sphere in SPHERES:
        part = gaps[gaps["sphere"] == sphere]
        for first, last in periods(start_year, end_year, window):
            inside = part[part["year"].between(first, last)]
            n_years, n_data = last - first + 1, len(inside)
            rus = float(inside["russia_pct"].mean()) if n_data else math.nan
            chn = float(inside["china_pct"].mean()) if n_data else math.nan
            gap = rus - chn if n_data else math.nan
            leader = leader_of(gap, tie_band_pp)
            rows.append(
                {
                    "sphere": sphere,
                    "period": period_label(first, last),
                    "first_year": first,
                    "last_year": last,
                    "years_in_period": n_years,
                    "years_with_data": n_data,
                    "russia_mean_pct": rus,
                    "china_mean_pct": chn,
                    "gap_pp": gap,
                    "leader": leader,
                    "cell": f"{leader} ({n_data}/{n_years} yrs)",
                }
            )
    return pd.DataFrame(rows)


def leader_matrix(leaders: pd.DataFrame) -> pd.DataFrame:
    """:func:`period_leaders` as a sphere × period table of cells (periods in time order)."""
    _require_columns(leaders, ["sphere", "period", "first_year", "cell"], "leader_matrix")
    order = list(dict.fromkeys(leaders.sort_values("first_year")["period"]))
    wide = leaders.pivot(index="sphere", columns="period", values="cell")
    wide = wide.reindex([s for s in SPHERES if s in wide.index])[order]
    wide.columns.name = None
    return wide


def lead_changes(leaders: pd.DataFrame) -> pd.DataFrame:
    """When the leader of a sphere changed between consecutive periods WITH data.

    Periods without data are skipped (a change across a gap is reported with both
    periods named, so the gap is visible). Moves into and out of "close" count.

    Returns:
        ``sphere``, ``from_period``, ``from_leader``, ``to_period``, ``to_leader``,
        ``gap_periods`` (periods without data in between).
    """
    _require_columns(leaders, ["sphere", "period", "first_year", "leader"], "lead_changes")
    rows = []
    for sphere in SPHERES:
        part = leaders[leaders["sphere"] == sphere].sort_values("first_year")
        prev = None
        skipped = 0
        for r in part.itertuples():
            if r.leader == NO_DATA:
                if prev is not None:
                    skipped += 1
                continue
            if prev is not None and r.leader != prev.leader:
                rows.append(
                    {
                        "sphere": sphere,
                        "from_period": prev.period,
                        "from_leader": prev.leader,
                        "to_period": r.period,
                        "to_leader": r.leader,
                        "gap_periods": skipped,
                    }
                )
            prev, skipped = r, 0
    columns = ["sphere", "from_period", "from_leader", "to_period", "to_leader", "gap_periods"]
    return pd.DataFrame(rows, columns=columns)


def latest_leaders(leaders: pd.DataFrame) -> pd.DataFrame:
    """Each sphere's latest period with data: :func:`period_leaders` rows, in sphere order."""
    _require_columns(leaders, ["sphere", "first_year", "leader"], "latest_leaders")
    rows = []
    for sphere in SPHERES:
        part = leaders[(leaders["sphere"] == sphere) & (leaders["leader"] != NO_DATA)]
        if len(part):
            rows.append(part.sort_values("first_year").iloc[-1])
    return pd.DataFrame(rows, columns=leaders.columns).reset_index(drop=True)


def source_ids(frame: pd.DataFrame) -> list[str]:
    """The source ids a :func:`balance_frame` cites (its ``source`` cells split on ``+``).

    In order of first appearance, each once; cite them with
    ``kzanalysis.report.sources_of(tables, source_ids(frame))``.
    """
    _require_columns(frame, ["source"], "source_ids")
    ids = [i for s in frame["source"].dropna() for i in str(s).split("+") if i]
    return list(dict.fromkeys(ids))


# --- FDI: a separate economic measure ----------------------------------------------------

#: What the FDI shares are, in words.
FDI_MEASURE = "share of FDI inflows by immediate investing economy (UNCTAD, current US$), %"
#: Investor key of each power in :func:`kzanalysis.analysis.money.fdi_by_investor`.
FDI_KEYS: dict[str, str] = {"Russia": "RUS", "China": "CHN"}
#: Rows of the FDI table: the two powers, then where capital of unknown owner sits (the
#: Netherlands as a transit hub, and investors the source does not specify).
FDI_TABLE_INVESTORS: tuple[str, ...] = (*FDI_KEYS.values(), *M.OFFSHORE)
#: Columns of :func:`fdi_totals`.
FDI_TOTAL_COLUMNS: list[str] = [
    "investor",
    "name",
    "first_year",
    "last_year",
    "years",
    "value_usd_mn",
    "world_usd_mn",
    "share_pct",
    "stock_year",
    "stock_share_pct",
]


def _fdi_rows(fdi: pd.DataFrame, country: str, measure: str) -> pd.DataFrame:
    """The host's rows of one measure (``inflow`` / ``stock``)."""
    return fdi[(fdi["host_iso3"] == country) & (fdi["measure"] == measure)]


def fdi_shares(fdi: pd.DataFrame, country: str, start_year: int, end_year: int) -> pd.DataFrame:
    """Russia's and China's shares of the country's FDI inflows, per year.

    A separate economic measure: the rows have sphere ``economic`` and measure
    :data:`FDI_MEASURE`, but they are never put into :func:`balance_frame` (which would
    refuse a second economic value for a year).

    Args:
        fdi: ``investment_fdi_by_origin``.
        country: ISO3 code of the host.
        start_year: First year.
        end_year: Last year.

    Returns:
        :data:`FRAME_COLUMNS` rows, two per year that the host's inflows by origin cover in
        the range; ``share_pct`` is NaN where the world total is not positive or a value is
        missing (the note says why). The note gives the world total and flags a negative
        value whose minus sign the curation restored. Empty when the bundle has no FDI by
        origin for the country as a host (:func:`kzanalysis.analysis.money.has_fdi`).
    """
    _require_columns(fdi, ["source", "host_iso3", "measure", "investor_iso3", "year"], "fdi_shares")
    if not M.has_fdi(country, "inflow"):
        return _frame([])
    by = M.fdi_by_investor(
        fdi, country, "inflow", start_year, end_year, investors=tuple(FDI_KEYS.values())
    )
    rows: list[dict] = []
    if by.empty:
        return _frame(rows)
    used = _fdi_rows(fdi, country, "inflow")
    used = used[used["year"].between(start_year, end_year)]
    sources = used.groupby("year")["source"].agg(lambda s: "+".join(sorted(set(map(str, s)))))
    for year, grp in by.groupby("year", sort=True):
        at = grp.set_index("investor")
        world = float(at["world_usd_mn"].iloc[0])
        if math.isnan(world) or world <= 0:
            note = "no positive world total this year: share not computable"
        else:
            note = f"world total {world:,.0f} US$ mn"
        repaired = [a for a, key in FDI_KEYS.items() if bool(at.loc[key, "sign_repaired"])]
        if repaired:
            note += f"; {' and '.join(repaired)}: negative value (minus sign restored in curation)"
        rows += _pair_rows(
            "economic",
            int(year),
            float(at.loc[FDI_KEYS["Russia"], "share_pct"]),
            float(at.loc[FDI_KEYS["China"], "share_pct"]),
            measure=FDI_MEASURE,
            source=str(sources.get(year, "")),
            note=note,
        )
    return _frame(rows)


def fdi_totals(
    fdi: pd.DataFrame,
    country: str,
    start_year: int,
    end_year: int,
    investors: Sequence[str] = FDI_TABLE_INVESTORS,
) -> pd.DataFrame:
    """Cumulative FDI inflows per investor over the range, with the latest stock share.

    Args:
        fdi: ``investment_fdi_by_origin``.
        country: ISO3 code of the host.
        start_year: First year.
        end_year: Last year.
        investors: Investor keys (ISO3 or :data:`kzanalysis.analysis.money.UNSPECIFIED`).

    Returns:
        :data:`FDI_TOTAL_COLUMNS`, one row per investor with data, in ``investors`` order:
        the cumulative inflows of :func:`kzanalysis.analysis.money.period_totals` (a share
        of the summed world inflows, not a mean of yearly shares), the investor's reader
        ``name``, and its share of the host's FDI stock in ``stock_year``, the latest year
        of the range with a known world stock (``<NA>`` / NaN when the host has no stock
        by origin in the bundle). Empty (with the columns) when there are no inflows.
    """
    empty = pd.DataFrame(columns=FDI_TOTAL_COLUMNS)
    if not M.has_fdi(country, "inflow"):
        return empty
    by = M.fdi_by_investor(fdi, country, "inflow", start_year, end_year, investors=investors)
    totals = M.period_totals(by)
    if totals.empty:
        return empty
    totals.insert(1, "name", totals["investor"].map(M.investor_label))
    stock_year, stock_share = pd.NA, pd.Series(dtype="float64")
    if M.has_fdi(country, "stock"):
        stock = M.fdi_by_investor(fdi, country, "stock", start_year, end_year, investors=investors)
        known = stock.dropna(subset=["world_usd_mn"])
        if not known.empty:
            stock_year = int(known["year"].max())
            stock_share = stock[stock["year"] == stock_year].set_index("investor")["share_pct"]
    totals["stock_year"] = pd.array([stock_year] * len(totals), dtype="Int64")
    totals["stock_share_pct"] = totals["investor"].map(stock_share).astype("float64")
    return totals[FDI_TOTAL_COLUMNS].reset_index(drop=True)


#: The investing economy with the largest cumulative inflows (owned by the money chapter).
fdi_largest = M.largest_investor


def fdi_comparison(totals: pd.DataFrame, tie_band_pp: float) -> dict[str, object] | None:
    """Who had the larger cumulative share of FDI inflows, Russia or China, and by how much.

    The same rule as the spheres' leaders (:func:`leader_of`): a gap within
    ± ``tie_band_pp`` is close.

    Args:
        totals: :func:`fdi_totals` output.
        tie_band_pp: Tie band in percentage points.

    Returns:
        ``russia_pct``, ``china_pct``, ``gap_pp`` (Russia − China), ``leader``,
        ``first_year``, ``last_year`` (the span of both powers' years with data) and
        ``years`` (the fewer of the two counts); None when either power has no share.
    """
    _require_columns(
        totals, ["investor", "first_year", "last_year", "years", "share_pct"], "fdi_comparison"
    )
    by = totals.set_index("investor")
    keys = list(FDI_KEYS.values())
    if not set(keys) <= set(by.index) or by.loc[keys, "share_pct"].isna().any():
        return None
    rus, chn = by.loc[FDI_KEYS["Russia"]], by.loc[FDI_KEYS["China"]]
    gap = float(rus["share_pct"]) - float(chn["share_pct"])
    return {
        "russia_pct": float(rus["share_pct"]),
        "china_pct": float(chn["share_pct"]),
        "gap_pp": gap,
        "leader": leader_of(gap, tie_band_pp),
        "first_year": int(min(rus["first_year"], chn["first_year"])),
        "last_year": int(max(rus["last_year"], chn["last_year"])),
        "years": int(min(rus["years"], chn["years"])),
    }


def fdi_coverage(fdi: pd.DataFrame) -> dict[str, object]:
    """What the bundle holds on FDI inflows by origin: the hosts and the years.

    Returns:
        ``hosts`` (ISO3 codes, sorted), ``first_year`` and ``last_year`` (None for an
        empty table).
    """
    _require_columns(fdi, ["host_iso3", "measure", "year"], "fdi_coverage")
    inflows = fdi[fdi["measure"] == "inflow"]
    if inflows.empty:
        return {"hosts": (), "first_year": None, "last_year": None}
    return {
        "hosts": tuple(sorted(set(inflows["host_iso3"].astype(str)))),
        "first_year": int(inflows["year"].min()),
        "last_year": int(inflows["year"].max()),
    }


def economic_means(frame: pd.DataFrame, first_year: int, last_year: int) -> dict[str, object]:
    """Mean trade-turnover shares over ``first_year``–``last_year`` (years with both shares).

    Used to set the FDI shares next to trade over the same years.

    Returns:
        ``russia_pct``, ``china_pct`` (NaN without data), ``years_with_data`` and
        ``years_in_range``.
    """
    gaps = yearly_gaps(frame)
    part = gaps[(gaps["sphere"] == "economic") & gaps["year"].between(first_year, last_year)]
    n = len(part)
    return {
        "russia_pct": float(part["russia_pct"].mean()) if n else math.nan,
        "china_pct": float(part["china_pct"].mean()) if n else math.nan,
        "years_with_data": n,
        "years_in_range": last_year - first_year + 1,
    }


@dataclass(frozen=True)
class FdiMeasure:
    """The FDI measure of one country: everything the report shows of it.

    Attributes:
        country: ISO3 code of the host.
        start_year: First year asked for.
        end_year: Last year asked for.
        shares: :func:`fdi_shares` (yearly Russia / China shares).
        totals: :func:`fdi_totals` (cumulative, per investor).
        comparison: :func:`fdi_comparison` (None without both powers' shares).
        largest: :func:`fdi_largest` (None without inflows by origin).
        coverage: :func:`fdi_coverage` of the whole table (what the bundle has).
    """

    country: str
    start_year: int
    end_year: int
    shares: pd.DataFrame
    totals: pd.DataFrame
    comparison: dict[str, object] | None
    largest: dict[str, object] | None
    coverage: dict[str, object]

    @property
    def status(self) -> str:
        """``data``; ``no host`` (the bundle has no FDI by origin for the country as a
        host); or ``out of range`` (it has, but not in the years asked for)."""
        if self.comparison is not None:
            return "data"
        if self.country not in self.coverage["hosts"] or not M.has_fdi(self.country):
            return "no host"
        return "out of range"


def fdi_measure(
    fdi: pd.DataFrame, country: str, start_year: int, end_year: int, tie_band_pp: float
) -> FdiMeasure:
    """The FDI measure of ``country`` over the range (:class:`FdiMeasure`)."""
    totals = fdi_totals(fdi, country, start_year, end_year)
    return FdiMeasure(
        country=country,
        start_year=start_year,
        end_year=end_year,
        shares=fdi_shares(fdi, country, start_year, end_year),
        totals=totals,
        comparison=fdi_comparison(totals, tie_band_pp) if len(totals) else None,
        largest=fdi_largest(fdi, country, start_year, end_year),
        coverage=fdi_coverage(fdi),
    )
