"""Report elements of the EAEU trade chapter: figures, tables, notes and key findings.

The analyses live in :mod:`kzanalysis.analysis.trade`; this module turns their results
into :mod:`kzanalysis.report` elements for ``notebooks/01_eaeu_trade.ipynb``. Every
figure and table gets a title, a subtitle computed from the rows it shows, alt text
from the same numbers, the plotted rows as its CSV download and the sources of those
rows (the source ids actually used, from the loaded tables' provenance).

A notebook calls :func:`prepare` once, then one function per section
(:func:`partners_section`, :func:`rivals_section`, :func:`shocks_section`,
:func:`launch_section`, :func:`products_section`, :func:`sources_section`), then
:func:`findings` with the sections, and displays the elements. A part the data cannot
support (a country without product detail, a break with too few years) becomes a
:class:`~kzanalysis.report.Note` that says why, so every variant of the chapter runs.

Functions are pure apart from matplotlib (figures are drawn, rendered to SVG and closed).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from kzanalysis import plotting, report
from kzanalysis.analysis import flags as FL
from kzanalysis.analysis import trade as T
from kzanalysis.analysis.trade_params import SOURCE_PREFERENCES, TradeParams
from kzanalysis.report import Col, Figure, Findings, Note, Table
from kzanalysis.stats import (
    FIT_MISS_LIMIT_PCT,
    MAX_EXTENSION_YEARS,
    BreakTrendFit,
    InsufficientDataError,
    break_checks,
    extension_end,
    interpret_break_trend,
)

#: An element of a section: the figure or table, or a note saying why it is missing.
Element = Figure | Table | Note

#: Flow parameter → what the flow is, in words.
FLOW_WORDS: dict[str, str] = {
    "exports": "exports",
    "imports": "imports",
    "turnover": "turnover (exports plus imports)",
}

#: Column of a source family in :func:`kzanalysis.analysis.trade.source_comparison`,
#: with its reader header.
FAMILY_HEADERS: dict[str, str] = {
    f"{fam}_usd_mn": f"{label} (US$ mn)" for fam, label in T.FAMILY_LABELS.items()
}

#: Colours of the product groups (not actors): orange, sky blue, brown of
#: :data:`kzanalysis.plotting.SECONDARY_COLORS` (its yellow is too light on white).
GROUP_COLOURS: tuple[str, ...] = tuple(plotting.SECONDARY_COLORS[i] for i in (0, 1, 4))

#: A legend under the axes (for lines that fill the plot area).
LEGEND_BELOW: dict[str, Any] = {
    "frameon": False,
    "fontsize": 8,
    "ncol": 4,
    "loc": "upper center",
    "bbox_to_anchor": (0.5, -0.16),
}

#: Mirror direction → what is compared, in words (``{name}`` the reporter, ``{partner}``).
DIRECTION_WORDS: dict[str, str] = {
    "exports": "{name}'s exports to {partner}",
    "imports": "{name}'s imports from {partner}",
}

#: The partner's side of each direction: its imports mirror the country's exports.
MIRROR_OF: dict[str, str] = {"exports": "imports", "imports": "exports"}


# --- words and numbers -----------------------------------------------------------------


def pct(value: float, decimals: int = 1) -> str:
    """A percentage in words: ``12.3 %`` (true minus, "–" for a missing value)."""
    text = report.number(value, decimals)
    return text if text == report.MISSING else f"{text} %"


def signed_pct(value: float, decimals: int = 1) -> str:
    """A change in percent with its sign: ``+12.3 %``, ``−4.0 %``."""
    text = pct(value, decimals)
    if text == report.MISSING or text.startswith("−") or float(value) == 0:
        return text
    return f"+{text}"


def usd_mn(value: float, decimals: int = 0) -> str:
    """A value in US$ mn in words: ``US$ 8,707 mn``."""
    return f"US$ {report.number(value, decimals)} mn"


def flow_with(flow: str, partner: str) -> str:
    """``exports to China``, ``imports from China`` or ``turnover with China``."""
    word = {"exports": "to", "imports": "from"}.get(flow, "with")
    return f"{flow} {word} {partner}"


#: Reader names of groups that take "the" in a sentence.
_ARTICLE = ("EAEU", "EU", "CIS", "SCO", "CSTO", "EU (27 members)", "EU (28 members)")


def the(name: str) -> str:
    """A partner's name in a sentence: ``Russia``; ``the EAEU`` for a group."""
    return f"the {name}" if name in _ARTICLE else name


def possessive(name: str) -> str:
    """``Russia's``; ``the EAEU's`` for a group."""
    return f"{the(name)}'s"


and_list = report.join_words  # "a, b and c" (shared)


def year_text(value: Any) -> str:
    """A year from an int, float or nullable value: ``2010`` ("–" when missing)."""
    return report.MISSING if report.text.is_missing(value) else str(int(value))


def years_text(years: Sequence[int]) -> str:
    """Years as short spans: ``2015–2019, 2023, 2024``."""
    return ", ".join(report.text.year_spans(years))


def _change_word(first: float, last: float) -> str:
    return "rose" if last > first else "fell" if last < first else "stayed"


def _linked(sentence: str, element: Any) -> str | tuple[str, Any]:
    """A finding linked to its figure or table (a note has no anchor: plain sentence)."""
    return (sentence, element) if isinstance(element, Figure | Table) else sentence


# --- data of the chapter ---------------------------------------------------------------


@dataclass(frozen=True)
class TradeData:
    """The chapter's inputs for one variant.

    Attributes:
        params: Validated parameters.
        name: The country's name.
        flows: ``trade_partner_flows`` as loaded (with provenance).
        selected: The country's rows from the chosen source family of each year and
            flow (:func:`kzanalysis.analysis.trade.select_flows`), inside the period.
        choice: Which family gives each year and flow, inside the period.
        products: The country's HS4 product rows (:func:`~kzanalysis.analysis.trade.product_rows`).
        mirrored: With ``source_preference="imf_first_mirror"``: the years, partners and
            flows whose figures the partner's mirror replaced (else None).
        allocated: With ``source_preference="auto"``: the years in which the country's own
            series are an allocation (:func:`kzanalysis.analysis.flags.allocated_series`),
            the reason its report uses the partners' figures there.
        flags: The flags of the country's trade with China and Russia
            (:func:`trade_flags`): shaded in the charts, listed in the flagged-years table.
    """

    params: TradeParams
    name: str
    flows: pd.DataFrame
    selected: pd.DataFrame
    choice: pd.DataFrame
    products: pd.DataFrame
    mirrored: pd.DataFrame | None = None
    allocated: tuple[int, ...] = ()
    flags: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(
            columns=["direction", "year", "kind", "label", "reason", "partner"]
        ),
        repr=False,
    )

    def flagged_years(self, partners: Sequence[str] = ("CHN", "RUS")) -> list[int]:
        """Years a recording break, constant share or jump flags in the chapter's flow for
        any of ``partners`` (codes) — shaded in the charts that show them."""
        labels = {T.partner_label(p) for p in partners}
        return flagged_years(self.flags[self.flags["partner"].isin(labels)], self.flow)

    @property
    def country(self) -> str:
        """ISO3 code of the country."""
        return self.params.country

    @property
    def y0(self) -> int:
        """First year of the period."""
        return self.params.start_year

    @property
    def y1(self) -> int:
        """Last year of the period."""
        return self.params.end_year

    @property
    def flow(self) -> str:
        """``exports``, ``imports`` or ``turnover``."""
        return self.params.flow

    def citation(
        self, years: Sequence[int] | None = None, flows: Sequence[str] | None = None
    ) -> dict[str, Any]:
        """``sources=``/``source_ids=`` for an element showing the selected rows of
        ``years`` and data ``flows`` (``export``/``import``; default: the chapter's flow).

        The source ids are those of the rows actually used, in catalog order; empty when
        the flows carry no provenance (hand-made frames).
        """
        return cite_rows(self.flows, self.selected, years, flows or T.FLOW_CODES[self.flow])


def prepare(flows: pd.DataFrame, products: pd.DataFrame, params: TradeParams) -> TradeData:
    """Select the country's series for the period and its product rows.

    Args:
        flows: ``trade_partner_flows``.
        products: ``trade_products_hs4`` (a configured large BACI source replaces it).
        params: Validated parameters.
    """
    choice = T.choose_sources(flows, params.country, params.source_preference)
    choice = choice[choice["year"].between(params.start_year, params.end_year)]
    selected = T.select_flows(flows, params.country, params.source_preference)
    selected = selected[selected["year"].between(params.start_year, params.end_year)]
    mirrored = None
    allocated = (
        FL.allocated_series(flows, params.country, params.start_year, params.end_year)
        if params.source_preference == "auto"
        else []
    )
    if params.source_preference in FL.MIRROR_PREFERENCES or allocated:
        selected, mirrored = FL.mirror_flagged(
            flows,
            selected,
            params.country,
            params.start_year,
            params.end_year,
            preference=FL.base_preference(params.source_preference),
        )
    data = TradeData(
        params=params,
        name=T.partner_label(params.country),
        flows=flows,
        selected=selected.reset_index(drop=True),
        choice=choice.reset_index(drop=True),
        products=T.product_rows(products, params.country, ("CHN",)),
        mirrored=mirrored,
        allocated=tuple(allocated),
    )
    return replace(data, flags=trade_flags(data))


def cite_rows(
    flows: pd.DataFrame,
    rows: pd.DataFrame,
    years: Sequence[int] | None = None,
    flow_codes: Sequence[str] | None = None,
) -> dict[str, Any]:
    """Citation keywords of an element built from ``rows`` (rows of ``flows``).

    Returns:
        ``{"sources": flows, "source_ids": [...]}`` with the ids of the rows' ``source``
        column (restricted to ``years`` and ``flow_codes``) in the provenance order, or
        ``{}`` when ``flows`` has no provenance.
    """
    prov = flows.attrs.get("provenance")
    if not prov:
        return {}
    part = rows
    if years is not None:
        part = part[part["year"].isin(list(years))]
    if flow_codes is not None:
        part = part[part["flow"].isin(list(flow_codes))]
    used = set(part["source"].unique().tolist())
    ids = [s["id"] for s in prov.get("sources", []) if s.get("id") in used]
    return {"sources": flows, "source_ids": ids} if ids else {"sources": flows}


def scope_note(data: TradeData) -> Note:
    """The parameters and the data coverage in words (after the key findings)."""
    p = data.params
    partners = ", ".join(T.partner_label(c) for c in p.partners)
    breaks = " and ".join(map(str, p.breaks)) or "none"
    years = sorted(set(data.choice["year"]))
    parts = [
        f"{data.name}, {data.y0}–{data.y1}, {FLOW_WORDS[data.flow]}; partners shown: "
        f"{partners}; break years of the trend models: {breaks}.",
        f"Source preference: {SOURCE_PREFERENCES[p.source_preference]}.",
    ]
    if data.allocated:
        parts.append(
            f"{possessive(data.name)} own series for {years_text(data.allocated)} are an "
            "allocation by the IMF (its imports from China and from Russia keep constant shares "
            "of the total), so the partners' own figures are used for the flagged years."
        )
    if data.mirrored is not None:
        m = data.mirrored
        parts.append(
            f"The partner's mirror figure replaced {len(m)} of {possessive(data.name)} own "
            f"figures ({and_list(sorted(set(m['partner'])))}; {years_text(m['year'])})."
            if len(m)
            else f"No figure of {possessive(data.name)} trade with China or Russia is "
            "flagged, so none was replaced."
        )
    if years:
        share = T.estimate_share(data.selected, data.y0, data.y1)
        parts.append(
            f"{T.describe_sources(data.choice)} A world total exists for {len(years)} of the "
            f"{data.y1 - data.y0 + 1} years"
            + (
                f"; {pct(share)} of the rows used are IMF estimates."
                if not math.isnan(share)
                else "."
            )
        )
    else:
        parts.append(f"No source covers {data.name} in {data.y0}–{data.y1}.")
    return Note(" ".join(parts), label="Scope")


# --- 1. partner structure --------------------------------------------------------------


@dataclass
class PartnersSection:
    """Partner structure: shares table, stacked chart of the parts, share lines."""

    values: pd.DataFrame
    partition: pd.DataFrame
    table: Element
    partition_figure: Element
    shares_figure: Element
    finding: str

    @property
    def elements(self) -> list[Element]:
        """What the section displays, in order."""
        return [self.table, self.partition_figure, self.shares_figure]


def share_change(values: pd.DataFrame, code: str) -> tuple[int, float, int, float] | None:
    """First and last year with a share for ``code``: ``(y0, share0, y1, share1)`` or None."""
    part = values[values["partner"] == code].dropna(subset=["share_pct"]).sort_values("year")
    if part.empty:
        return None
    first, last = part.iloc[0], part.iloc[-1]
    return (
        int(first["year"]),
        float(first["share_pct"]),
        int(last["year"]),
        float(last["share_pct"]),
    )


def shares_sentence(values: pd.DataFrame, codes: Sequence[str], whole: str) -> str | None:
    """``Russia's share of Kazakhstan's turnover fell from 47.1 % in 1995 to 19.7 % in
    2024, while China's rose from 3.7 % to 21.3 %`` for the first two ``codes`` with data."""
    found = [(c, share_change(values, c)) for c in codes]
    found = [(c, ch) for c, ch in found if ch is not None][:2]
    if not found:
        return None
    (c, (a0, s0, a1, s1)) = found[0]
    text = (
        f"{possessive(T.partner_label(c))} share of {whole} {_change_word(s0, s1)} from "
        f"{pct(s0)} in {a0} to {pct(s1)} in {a1}"
    )
    if len(found) > 1:
        c2, (b0, t0, b1, t1) = found[1]
        same = (b0, b1) == (a0, a1)
        text += (
            f", while {possessive(T.partner_label(c2))} {_change_word(t0, t1)} from {pct(t0)}"
            + (f" to {pct(t1)}" if same else f" in {b0} to {pct(t1)} in {b1}")
        )
    return text + "."


def _lead_codes(partners: Sequence[str]) -> list[str]:
    """Russia and China first (the chapter's question), then the other partners."""
    lead = [c for c in ("RUS", "CHN") if c in partners]
    return lead + [c for c in partners if c not in lead]


def _missing_share_reasons(values: pd.DataFrame, shown: pd.DataFrame, reporter: str) -> str:
    """Why shares in ``shown`` (year × partner label) are missing, in words."""
    labels = dict(zip(values["label"], values["partner"], strict=False))
    reasons = []
    for label in shown.columns:
        code = labels.get(label)
        for year in shown.index[shown[label].isna()]:
            if code and T.is_group(code) and not T.group_members(code, int(year), reporter):
                reasons.append(f"{label} did not exist yet")
            else:
                reasons.append("that year's source does not give this partner")
    unique = list(dict.fromkeys(reasons))
    return "; ".join(unique) + "." if unique else ""


def shares_table(values: pd.DataFrame, data: TradeData) -> Element:
    """Partners' shares of the total, every fifth year and the last year."""
    shares = values.dropna(subset=["share_pct"])
    shares = shares[shares["partner"] != T.WORLD]
    if shares.empty:
        return Note(
            f"No partner shares for {data.name} in {data.y0}–{data.y1}: no year has a "
            "world total and partner values.",
            label="Skipped",
        )
    wide = T.share_table(values).drop(columns="World", errors="ignore")
    missing = _missing_share_reasons(values, wide, data.country)
    last = int(wide.index.max())
    ranked = values[(values["year"] == last) & (values["partner"] != T.WORLD)].dropna(
        subset=["share_pct"]
    )
    top = ranked.sort_values("share_pct", ascending=False).iloc[0]
    frame = wide.reset_index()
    columns: dict[str, Col | str] = {"year": Col("Year", kind="year")}
    columns |= {label: Col(f"{label} (%)", decimals=1) for label in wide.columns}
    return Table(
        frame,
        columns,
        title=f"Partners' shares of {possessive(data.name)} total {data.flow}, every fifth year",
        subtitle=(
            f"In {last} the largest partner shown was {top['label']}, with "
            f"{pct(top['share_pct'])} of the total."
        ),
        notes=["The last year with data is shown too; the charts below show every year."],
        missing_note=missing,
        anchor="tbl-trade-shares",
        **data.citation(years=list(frame["year"])),
    )


def partition_figure(partition: pd.DataFrame, data: TradeData, dropped: Sequence[int]) -> Element:
    """Stacked area of the disjoint parts of the total (US$ mn)."""
    import matplotlib.pyplot as plt

    if partition.empty:
        return Note(
            f"The stacked chart is left out for {data.name}: no year in {data.y0}–{data.y1} "
            "has a source that lists every partner country.",
            label="Skipped",
        )
    order = list(dict.fromkeys(partition["component"]))
    codes = dict(zip(partition["component"], partition["partner"], strict=False))
    wide = partition.pivot(index="year", columns="component", values="value_usd_mn")[order]
    fig, ax = plt.subplots(figsize=(9, 4.5))
    ax.stackplot(
        wide.index,
        [wide[c].clip(lower=0).to_numpy() for c in order],
        labels=order,
        colors=[plotting.colour(codes[c]) for c in order],
        alpha=0.9,
    )
    shown = shade_flagged(
        [ax],
        data.flagged_years([c for c in ("CHN", "RUS") if c in set(codes.values())]),
        int(wide.index.min()),
        int(wide.index.max()),
        over=True,
    )
    plotting.label_axes(
        ax,
        xlabel="Year",
        ylabel=f"{data.flow.capitalize()} (US$ mn, current)",
        legend={"frameon": False, "loc": "upper left", "fontsize": 8, "ncol": 2},
    )
    y0, y1 = int(wide.index.min()), int(wide.index.max())
    sentence = shares_sentence(
        partition, _lead_codes([c for c in codes.values() if c != T.OTHER]), "the total"
    )
    totals = wide.sum(axis=1)
    ends = partition[partition["year"].isin([y0, y1])].pivot(
        index="component", columns="year", values="share_pct"
    )
    parts_text = "; ".join(
        f"{c} {pct(ends.loc[c, y0])} in {y0} and {pct(ends.loc[c, y1])} in {y1}" for c in order
    )
    note = " ".join(
        part
        for part in (
            f"Years without every partner country in their source are left out: "
            f"{years_text(dropped)}."
            if dropped
            else "",
            flag_note(shown).replace("Shaded", "Hatched"),
        )
        if part
    )
    return Figure(
        fig,
        title=f"{possessive(data.name)} {data.flow} by partner, {y0}–{y1}",
        subtitle=sentence or f"The parts of {possessive(data.name)} {data.flow}, {y0}–{y1}.",
        alt=(
            f"Stacked area chart of {possessive(data.name)} {data.flow} in US$ mn from {y0} to "
            f"{y1}, split into {', '.join(order)}. The total was {usd_mn(totals.iloc[0])} in "
            f"{y0} and {usd_mn(totals.iloc[-1])} in {y1}. Shares: {parts_text}."
        ),
        data=partition[["year", "component", "value_usd_mn", "share_pct"]].rename(
            columns={
                "year": "Year",
                "component": "Partner",
                "value_usd_mn": f"{data.flow.capitalize()} (US$ mn)",
                "share_pct": "Share of the total (%)",
            }
        ),
        note=note,
        anchor="fig-trade-partition",
        **data.citation(years=sorted(set(partition["year"]))),
    )


def shares_figure(values: pd.DataFrame, data: TradeData) -> Element:
    """Lines of each partner's share of the total (world total left out)."""
    import matplotlib.pyplot as plt

    part = values[values["partner"] != T.WORLD].dropna(subset=["share_pct"])
    if part.empty:
        return Note(f"No partner shares to chart for {data.name}.", label="Skipped")
    fig, ax = plt.subplots(figsize=(9, 4.5))
    for code, rows in part.groupby("partner", sort=False):
        ax.plot(
            rows["year"],
            rows["share_pct"],
            marker=".",
            label=rows["label"].iloc[0],
            color=plotting.colour(str(code)),
        )
    codes_shown = set(part["partner"])
    shown = shade_flagged(
        [ax],
        data.flagged_years([c for c in ("CHN", "RUS") if c in codes_shown]),
        int(part["year"].min()),
        int(part["year"].max()),
    )
    plotting.label_axes(
        ax,
        xlabel="Year",
        ylabel=f"Share of total {data.flow} (%)",
        legend={"frameon": False, "fontsize": 8, "ncol": 3},
    )
    codes = list(dict.fromkeys(part["partner"]))
    whole = f"{possessive(data.name)} {data.flow}"
    lines = []
    for c in codes:
        y0, s0, y1, s1 = share_change(part, c)  # type: ignore[misc]
        lines.append(f"{T.partner_label(c)} {pct(s0)} in {y0} and {pct(s1)} in {y1}")
    return Figure(
        fig,
        title=(
            f"Partners' shares of {possessive(data.name)} total {data.flow}, "
            f"{int(part['year'].min())}–{int(part['year'].max())}"
        ),
        subtitle=shares_sentence(part, _lead_codes(codes), whole) or "",
        alt=(
            f"Line chart of the shares of {whole} by partner, in percent of the total: "
            + "; ".join(lines)
            + "."
        ),
        data=part[["year", "label", "share_pct", "value_usd_mn"]].rename(
            columns={
                "year": "Year",
                "label": "Partner",
                "share_pct": f"Share of total {data.flow} (%)",
                "value_usd_mn": f"{data.flow.capitalize()} (US$ mn)",
            }
        ),
        note=flag_note(shown),
        anchor="fig-trade-shares",
        **data.citation(years=sorted(set(part["year"]))),
    )


def partners_section(data: TradeData) -> PartnersSection:
    """Section 1: who the country trades with, and how that changed."""
    p = data.params
    values = T.partner_values(
        data.selected, p.partners, data.flow, data.y0, data.y1, reporter=data.country
    )
    partition = T.partner_partition(
        data.selected, p.partners, data.flow, data.y0, data.y1, reporter=data.country
    )
    with_values = set(values.dropna(subset=["value_usd_mn"])["year"])
    dropped = sorted(with_values - set(partition["year"]))
    shares = shares_figure(values, data)
    sentence = shares_sentence(
        values[values["partner"] != T.WORLD],
        _lead_codes(p.partners),
        f"{possessive(data.name)} {data.flow}",
    )
    return PartnersSection(
        values=values,
        partition=partition,
        table=shares_table(values, data),
        partition_figure=partition_figure(partition, data, dropped),
        shares_figure=shares,
        finding=sentence
        or f"No source gives {possessive(data.name)} partners in {data.y0}–{data.y1}.",
    )


# --- 2. Russia and China ---------------------------------------------------------------


@dataclass
class RivalsSection:
    """China against Russia: when China overtook, the two series, the balances."""

    crossover: pd.DataFrame
    table: Table
    figure: Element
    flags_table: Element
    balance_table: Element
    finding: str

    @property
    def elements(self) -> list[Element]:
        """What the section displays, in order."""
        return [self.table, self.figure, self.flags_table, self.balance_table]


def crossover_sentence(row: Any, name: str, y0: int, y1: int) -> str:
    """When China overtook Russia in one flow (a row of ``crossover_by_flow``), in words."""
    what = flow_with(row["flow"], "China")
    rus = flow_with(row["flow"], "Russia").split(" ", 1)[1]
    if row["years_with_data"] == 0:
        return f"{possessive(name)} {row['flow']}: no year has values for both China and Russia."
    ratio = report.number(row["ratio_last_year"], 2)
    if pd.isna(row["first_year_ahead"]):
        return (
            f"{possessive(name)} {what} never exceeded its {row['flow']} {rus} in {y0}–{y1} "
            f"(China / Russia {ratio} in {year_text(row['last_year'])})."
        )
    lead = (
        f"and has stayed ahead since {year_text(row['lasting_lead_from'])}"
        if not pd.isna(row["lasting_lead_from"])
        else "but was behind again in the last year with data"
    )
    return (
        f"{possessive(name)} {what} first exceeded its {row['flow']} {rus} in "
        f"{year_text(row['first_year_ahead'])} {lead} (China / Russia {ratio} in "
        f"{year_text(row['last_year'])})."
    )


def crossover_summary(crossover: pd.DataFrame) -> str:
    """Across flows: where China leads Russia, since when, and where it does not.

    ``China has led Russia in exports since 2007 and in turnover since 2023; it has never
    led in imports.``
    """
    leads, lost, never, empty = [], [], [], []
    for r in crossover.to_dict("records"):
        if r["years_with_data"] == 0:
            empty.append(r["flow"])
        elif pd.isna(r["first_year_ahead"]):
            never.append(r["flow"])
        elif pd.isna(r["lasting_lead_from"]):
            lost.append(f"{r['flow']} (first in {year_text(r['first_year_ahead'])})")
        else:
            leads.append(f"in {r['flow']} since {year_text(r['lasting_lead_from'])}")
    parts = []
    if leads:
        parts.append(f"China has led Russia {and_list(leads)}")
    if lost:
        parts.append(f"{'it' if parts else 'China'} led but fell behind again in {and_list(lost)}")
    if never:
        parts.append(f"{'it' if parts else 'China'} has never led in {and_list(never, 'or')}")
    if empty:
        parts.append(f"no year has both partners in {and_list(empty)}")
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "."


def crossover_table(crossover: pd.DataFrame, data: TradeData) -> Table:
    """When China first passed Russia, per flow, and China / Russia in the last year."""
    frame = crossover.assign(flow=crossover["flow"].str.capitalize())
    reasons = []
    if crossover["first_year_ahead"].isna().any():
        reasons.append("China was never ahead (first-ahead column)")
    if crossover["lasting_lead_from"].isna().any():
        reasons.append("China is not ahead in the last year with data (ahead-since column)")
    if (crossover["years_with_data"] == 0).any():
        reasons.append("no year has both partners")
    return Table(
        frame,
        {
            "flow": Col("Flow", kind="text"),
            "first_year_ahead": Col("China first ahead", kind="year"),
            "lasting_lead_from": Col("China ahead since", kind="year"),
            "last_year": Col("Last year with data", kind="year"),
            "ratio_last_year": Col("China / Russia, last year (ratio)", decimals=2),
            "years_with_data": Col("Years with both (number)", kind="integer"),
        },
        title=f"When China overtook Russia in {possessive(data.name)} trade, {data.y0}–{data.y1}",
        subtitle=crossover_summary(crossover),
        missing_note="; ".join(reasons) + "." if reasons else "",
        anchor="tbl-trade-crossover",
        **data.citation(flows=("export", "import")),
    )


def shade_flagged(
    axes: Sequence[Any], years: Sequence[int], first: int, last: int, *, over: bool = False
) -> list[int]:
    """Grey bands on the flagged years between ``first`` and ``last`` on every axis (the
    first axis' legend gets "Flagged year"); behind the lines, or ``over`` a filled chart
    (a light hatched veil on top, since a stacked area would hide a band behind it).
    Returns the years shaded."""
    shown = [y for y in years if first <= y <= last]
    for ax in axes:
        for i, year in enumerate(shown):
            style = (
                {"facecolor": "#ffffff", "edgecolor": "#8c8c8c", "hatch": "///", "zorder": 3}
                if over
                else {"color": "#bbbbbb", "zorder": 0.5}
            )
            ax.axvspan(
                year - 0.5,
                year + 0.5,
                alpha=0.45,
                linewidth=0,
                label="Flagged year" if ax is axes[0] and i == 0 else None,
                **style,
            )
    return shown


def flag_note(shown: Sequence[int]) -> str:
    """The figure note for shaded years ("" when none)."""
    if not shown:
        return ""
    return (
        f"Shaded: years in which the figures for China or Russia are flagged "
        f"({years_text(shown)}), see the flagged-years table."
    )


def rivals_figure(
    rivals: pd.DataFrame,
    data: TradeData,
    row: Any,
    flagged: Sequence[int] = (),
    caveat: str = "",
    reason: str = "",
) -> Element:
    """Two panels: trade with China and with Russia (US$ mn), and their ratio; flagged
    years (recording breaks, constant shares, jumps) shaded in both."""
    import matplotlib.pyplot as plt

    if rivals.empty:
        return Note(f"No year has {data.flow} values for both China and Russia.", label="Skipped")
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.2))
    ax1.plot(rivals["year"], rivals["value_a_usd_mn"], label="China", color=plotting.colour("CHN"))
    ax1.plot(rivals["year"], rivals["value_b_usd_mn"], label="Russia", color=plotting.colour("RUS"))
    ax2.plot(rivals["year"], rivals["ratio"], color="#000000", marker=".")
    ax2.axhline(1, color="#999999", linestyle="--", linewidth=1)
    shown = shade_flagged((ax1, ax2), flagged, int(rivals["year"].min()), int(rivals["year"].max()))
    plotting.label_axes(
        ax1, xlabel="Year", ylabel=f"{data.flow.capitalize()} (US$ mn, current)", layout=False
    )
    plotting.label_axes(ax2, xlabel="Year", ylabel="China / Russia (ratio)", legend=False)
    first, last = rivals.iloc[0], rivals.iloc[-1]
    return Figure(
        fig,
        title=f"{possessive(data.name)} {data.flow}: China against Russia",
        subtitle=crossover_sentence(row, data.name, data.y0, data.y1),
        note=(
            f"Shaded: flagged years ({years_text(shown)}), see the flagged-years table."
            + (f" {caveat} {reason}" if caveat else "")
            if shown
            else ""
        ),
        alt=(
            f"Two line charts. Left: {possessive(data.name)} {flow_with(data.flow, 'China')} "
            f"went from {usd_mn(first['value_a_usd_mn'])} in {int(first['year'])} to "
            f"{usd_mn(last['value_a_usd_mn'])} in {int(last['year'])}, with Russia from "
            f"{usd_mn(first['value_b_usd_mn'])} to {usd_mn(last['value_b_usd_mn'])}. Right: the "
            f"ratio China / Russia went from {report.number(first['ratio'], 2)} to "
            f"{report.number(last['ratio'], 2)}; above 1 China leads."
        ),
        data=rivals[["year", "value_a_usd_mn", "value_b_usd_mn", "ratio"]].rename(
            columns={
                "year": "Year",
                "value_a_usd_mn": f"China, {data.flow} (US$ mn)",
                "value_b_usd_mn": f"Russia, {data.flow} (US$ mn)",
                "ratio": "China / Russia (ratio)",
            }
        ),
        anchor="fig-trade-china-russia",
        **data.citation(years=sorted(set(rivals["year"]))),
    )


def balance_sentence(balance: pd.DataFrame, name: str) -> str:
    """``In 2024 Kazakhstan had a deficit of US$ 8,707 mn with Russia and …`` (last year)."""
    year = int(balance["year"].max())
    last = balance[balance["year"] == year]
    parts = [
        f"a {'surplus' if r.balance_usd_mn >= 0 else 'deficit'} of {usd_mn(abs(r.balance_usd_mn))} "
        f"with {r.label}"
        for r in last.itertuples()
    ]
    return f"In {year} {name} had " + " and ".join(parts) + "."


def balance_table(balance: pd.DataFrame, data: TradeData) -> Element:
    """Exports, imports and the balance with Russia and China, every fifth year."""
    known = balance.dropna(subset=["balance_usd_mn"])
    if known.empty:
        return Note(
            f"The trade balance is left out for {data.name}: no year has both exports and imports.",
            label="Skipped",
        )
    shown = T.every_nth_year(known)
    return Table(
        shown,
        {
            "year": Col("Year", kind="year"),
            "partner": Col("Partner", kind="country"),
            "exports_usd_mn": Col("Exports (US$ mn)", decimals=1),
            "imports_usd_mn": Col("Imports (US$ mn)", decimals=1),
            "balance_usd_mn": Col("Balance, exports minus imports (US$ mn)", decimals=1),
        },
        title=f"{possessive(data.name)} trade balance with Russia and China",
        subtitle=balance_sentence(known, data.name),
        notes=["Every fifth year and the last year with data."],
        anchor="tbl-trade-balance",
        **data.citation(years=list(shown["year"]), flows=("export", "import")),
    )


def flagged_years(flags: pd.DataFrame, flow: str) -> list[int]:
    """Years a recording break, constant share or jump flags in ``flow``'s directions."""
    directions = ("exports", "imports") if flow == "turnover" else (flow,)
    part = flags[flags["direction"].isin(directions) & flags["kind"].isin(FL.REPLACED_KINDS)]
    return sorted({int(y) for y in part["year"]})


def robust_sentence(robust: dict[str, Any], data: TradeData) -> str:
    """What the flags change in "China first exceeded Russia", in words ("" if nothing)."""
    if not robust["deciding"]:
        return ""
    if data.mirrored is not None:  # the shown series already has the partners' figures
        first = robust["first_reported"]
        own = (
            f"China first exceeded Russia in {first}"
            if first is not None
            else "China never exceeded Russia"
        )
        return (
            f"This uses the partners' own figures for the flagged years "
            f"({years_text(robust['flipped'])}); on {possessive(data.name)} figures alone, "
            f"{own}."
        )
    first = robust["first_robust"]
    outcome = (
        f"China first exceeded Russia in {first}"
        if first is not None
        else f"China never exceeded Russia in {data.y0}–{data.y1}"
    )
    return (
        f"This rests on flagged years ({years_text(robust['flipped'])}): with the partners' "
        f"own figures for those years, {outcome}."
    )


def flags_table(flags: pd.DataFrame, data: TradeData) -> Element:
    """Every flagged year of the country's trade with China and Russia, with its reason."""
    if flags.empty:
        return Note(
            f"No year of {possessive(data.name)} trade with China or Russia in "
            f"{data.y0}–{data.y1} is flagged as a recording break, a constant share, a jump "
            "or an IMF estimate.",
            label="Checked",
        )
    frame = flags.assign(direction=flags["direction"].str.capitalize())
    counts = flags.groupby("label")["year"].nunique()
    summary = "; ".join(f"{label} {n} year{'s' if n != 1 else ''}" for label, n in counts.items())
    return Table(
        frame,
        {
            "year": Col("Year", kind="year"),
            "partner": Col("Partner", kind="text"),
            "direction": Col("Flow", kind="text"),
            "label": Col("Flag", kind="text"),
            "reason": Col("Why", kind="text"),
        },
        title=f"Flagged years in {possessive(data.name)} trade with China and Russia",
        subtitle=f"Flagged: {summary}.",
        notes=[
            "A recording break departs from the partner's mirror figure by more than "
            f"{FL.BREAK_DEPARTURE_PP:g} percentage points (or {FL.BREAK_NOISE_FACTOR:g} times "
            "the pair's usual spread) from the usual gap of the neighbouring years; a "
            f"constant share moves less than {FL.PLATEAU_TOLERANCE_PP:g} points over at least "
            f"{FL.PLATEAU_MIN_YEARS} years; a jump is a {FL.JUMP_RATIO:g}-fold change in one "
            "year. Comparisons that a flagged year decides are repeated with the partner's "
            "figure for that year."
        ],
        anchor="tbl-trade-flags",
        **data.citation(years=sorted(set(flags["year"])), flows=("export", "import")),
    )


def trade_flags(data: TradeData) -> pd.DataFrame:
    """Flags of the country's trade with China and with Russia, one row per year and kind."""
    frames = [
        FL.partner_flags(
            data.flows,
            data.country,
            partner,
            data.y0,
            data.y1,
            source_preference=FL.base_preference(data.params.source_preference),
        ).assign(partner=T.partner_label(partner))
        for partner in ("CHN", "RUS")
    ]
    return pd.concat(frames, ignore_index=True).sort_values(["year", "partner"], kind="stable")


def rivals_section(data: TradeData) -> RivalsSection:
    """Section 2: China against Russia."""
    cross = T.crossover_by_flow(data.selected, data.y0, data.y1, reporter=data.country)
    rivals = T.rival_comparison(
        T.partner_values(
            data.selected,
            ["CHN", "RUS"],
            data.flow,
            data.y0,
            data.y1,
            reporter=data.country,
            with_total=False,
        )
    ).dropna(subset=["ratio"])
    balance = T.trade_balance(
        data.selected, ["RUS", "CHN"], data.y0, data.y1, reporter=data.country
    )
    row = cross.set_index("flow").loc[data.flow].to_dict() | {"flow": data.flow}
    flags = data.flags
    robust = FL.robust_crossover(
        data.flows,
        data.country,
        data.y0,
        data.y1,
        flow=data.flow,
        source_preference=FL.base_preference(data.params.source_preference),
        flags={  # computed once in prepare(), per partner code
            code: flags[flags["partner"] == T.partner_label(code)].drop(columns="partner")
            for code in ("CHN", "RUS")
        },
    )
    caveat = robust_sentence(robust, data)
    sentence = crossover_sentence(row, data.name, data.y0, data.y1)
    return RivalsSection(
        crossover=cross,
        table=crossover_table(cross, data),
        figure=rivals_figure(
            rivals.reset_index(drop=True),
            data,
            row,
            flagged_years(flags, data.flow),
            caveat,
            robust["deciding"][0] if robust["deciding"] else "",
        ),
        flags_table=flags_table(flags, data),
        balance_table=balance_table(balance, data),
        finding=f"{sentence} {caveat}".strip(),
    )


# --- 3. shocks -------------------------------------------------------------------------


@dataclass
class ShocksSection:
    """Trend models with breaks: effects, joint tests, readings, one chart per partner."""

    fits: dict[str, BreakTrendFit]
    skipped: dict[str, str]
    effects_table: Element
    tests_table: Element | None
    readings: list[Note]
    figures: list[Figure]
    finding: str
    checks_table: Element | None = None

    @property
    def elements(self) -> list[Element]:
        """What the section displays, in order."""
        out: list[Element] = [self.effects_table]
        if self.checks_table is not None:
            out.append(self.checks_table)
        if self.tests_table is not None:
            out.append(self.tests_table)
        return out + list(self.readings) + list(self.figures)


def term_words(term: str, fit: BreakTrendFit) -> str:
    """A model term in words: ``level_2015`` → "Level shift in 2015"."""
    if term == "trend":
        first = int(fit.data.index.min())
        end = fit.breaks[0] - 1 if fit.breaks else int(fit.data.index.max())
        return f"Growth a year, {first}–{end}"
    kind, _, year = term.partition("_")
    if kind == "level":
        return f"Level shift in {year}"
    if kind == "slope":
        return f"Change of growth a year from {year}"
    return report.header(term)


def effects_frame(fits: dict[str, BreakTrendFit]) -> pd.DataFrame:
    """Effects of every fit in percent, terms in words, with a 5 %-level flag."""
    coefs = T.shock_table(fits)
    coefs = coefs[coefs["term"] != "const"].copy()
    by_label = {T.partner_label(p): f for p, f in fits.items()}
    coefs["term"] = [
        term_words(t, by_label[p]) for p, t in zip(coefs["partner"], coefs["term"], strict=True)
    ]
    alpha = {T.partner_label(p): f.alpha for p, f in fits.items()}
    coefs["significant"] = coefs["p_value"] < coefs["partner"].map(alpha)
    return coefs.reset_index(drop=True)


def effects_table(fits: dict[str, BreakTrendFit], data: TradeData) -> Element:
    """The fitted growth, level shifts and growth changes, in percent, with 95 % intervals."""
    if not fits:
        return Note(
            f"No trend model could be fitted for {data.name} in {data.y0}–{data.y1}.",
            label="Skipped",
        )
    frame = effects_frame(fits)
    first_break = min((b for f in fits.values() for b in f.breaks), default=None)
    sub = ""
    if first_break is not None:
        shifts = frame[frame["term"] == f"Level shift in {first_break}"]
        sub = (
            f"In {first_break} the fitted level shifted by "
            + and_list(
                [f"{signed_pct(r.effect_pct)} with {the(r.partner)}" for r in shifts.itertuples()]
            )
            + "."
        )
    conf = round(100 * (1 - next(iter(fits.values())).alpha))
    return Table(
        frame,
        {
            "partner": Col("Partner", kind="text"),
            "term": Col("Effect", kind="text"),
            "effect_pct": Col("Estimate (%)", decimals=1),
            "effect_ci_low_pct": Col(f"{conf} % interval, low (%)", decimals=1),
            "effect_ci_high_pct": Col(f"{conf} % interval, high (%)", decimals=1),
            "p_value": Col("p-value (0–1)", decimals=3),
            "significant": Col(f"Different from zero at the {100 - conf} % level", kind="bool"),
        },
        title=f"Trend breaks in {possessive(data.name)} {data.flow}: effects",
        subtitle=sub or "The fitted growth of each series; no break could be estimated.",
        notes=[
            "Log-linear trend with a level shift and a change of slope at each break year; "
            "Newey–West (HAC) standard errors. Effects are 100 × (exp(coefficient) − 1)."
        ],
        anchor="tbl-trade-break-effects",
        **data.citation(),
    )


def tests_table(fits: dict[str, BreakTrendFit], data: TradeData) -> Table | None:
    """Joint "no break" tests per series: classic Chow F and HAC Wald F."""
    if not fits:
        return None
    frame = T.break_tests_table(fits)
    return Table(
        frame,
        {
            "partner": Col("Partner", kind="text"),
            "years": Col("Years", kind="text"),
            "n": Col("Observations (years)", kind="integer"),
            "breaks": Col("Breaks", kind="text"),
            "chow_f": Col("Chow F (statistic)", decimals=2),
            "chow_p": Col("Chow p-value (0–1)", decimals=3),
            "hac_wald_f": Col("HAC Wald F (statistic)", decimals=2),
            "hac_wald_p": Col("HAC Wald p-value (0–1)", decimals=3),
            "r_squared": Col("R² (0–1)", decimals=2),
        },
        title=f"Trend breaks in {possessive(data.name)} {data.flow}: joint tests",
        subtitle=(
            "The hypothesis of no break is rejected at the 5 % level (HAC test) for "
            + (
                and_list([the(p) for p in frame.loc[frame["hac_wald_p"] < 0.05, "partner"]])
                or "no series"
            )
            + "."
        ),
        missing_note="no break could be estimated, so there is nothing to test.",
        anchor="tbl-trade-break-tests",
        **data.citation(),
    )


def fit_sentence(fit: BreakTrendFit, what: str = "the observed value") -> str:
    """How far the observation lies from the pre-break trend extended, in words, at most
    :data:`~kzanalysis.stats.MAX_EXTENSION_YEARS` years after the break.

    ``In 2019 turnover with Russia was 38 % below the pre-2015 trend extended forward (the
    trend is extended no further than 5 years).``
    """
    d = fit.data
    if not fit.breaks:
        growth = 100 * (math.exp(fit.coef.loc["trend", "coef"]) - 1)
        return f"No break could be estimated; the fitted trend grew by {pct(growth)} a year."
    year = extension_end(fit)
    last = d.loc[year]
    gap = 100 * (last["value"] / last["no_break"] - 1)
    where = "below" if gap < 0 else "above"
    text = (
        f"In {year} {what} was {pct(abs(gap), 0)} {where} the pre-{fit.breaks[0]} trend "
        "extended forward"
    )
    if year < int(d.index.max()):
        text += f" (the trend is extended no further than {MAX_EXTENSION_YEARS} years)"
    misses = [
        r for r in break_checks(fit).itertuples() if r.fit_misses and r.break_year == fit.breaks[0]
    ]
    if misses:
        r = misses[0]
        text += (
            f"; but that trend already misses {r.break_year - 1} by "
            f"{signed_pct(r.pre_fit_miss_pct, 0)}, so the comparison says little"
        )
    return text + "."


def fit_figure(fit: BreakTrendFit, code: str, data: TradeData) -> Figure:
    """Observed values, the fitted trend with breaks and the pre-break trend (log scale)."""
    import matplotlib.pyplot as plt

    d = fit.data
    colour = plotting.colour(code)
    fig, ax = plt.subplots(figsize=(9, 4))
    ax.plot(d.index, d["value"], "o", color=colour, label="observed", markersize=4)
    ax.plot(d.index, d["fitted"], "-", color=colour, label="fitted trend with breaks")
    end = extension_end(fit)
    d = d.assign(no_break=d["no_break"].where(d.index <= end))
    ax.plot(d.index, d["no_break"], ":", color="#666666", label="pre-break trend extended")
    for b in fit.breaks:
        ax.axvline(b - 0.5, color="#999999", linestyle="--", linewidth=1)
    shown = shade_flagged(
        [ax],
        data.flagged_years([code]) if code in ("CHN", "RUS") else [],
        int(d.index.min()),
        int(d.index.max()),
    )
    plotting.log_scale(ax)
    plotting.label_axes(ax, xlabel="Year", ylabel="Trade value (US$ mn, log scale)")
    rows = d[["value", "fitted", "no_break"]].reset_index()
    rows.columns = ["year", *rows.columns[1:]]
    what = flow_with(data.flow, the(T.partner_label(code)))
    breaks = " and ".join(map(str, fit.breaks)) or "none"
    first, last = rows.iloc[0], rows.iloc[-1]
    return Figure(
        fig,
        title=f"{data.name}: {what}, trend with breaks",
        subtitle=fit_sentence(fit, what),
        alt=(
            f"Line chart on a log scale of {what} from {int(first['year'])} to "
            f"{int(last['year'])}: observed {usd_mn(first['value'])} in {int(first['year'])} and "
            f"{usd_mn(last['value'])} in {int(last['year'])}, with the fitted trend (breaks: "
            f"{breaks}) and the pre-break trend extended to {usd_mn(d['no_break'].loc[end])} in "
            f"{end}."
        ),
        data=rows.rename(
            columns={
                "year": "Year",
                "value": "Observed (US$ mn)",
                "fitted": "Fitted trend with breaks (US$ mn)",
                "no_break": "Pre-break trend extended (US$ mn)",
            }
        ),
        note=flag_note(shown),
        anchor=f"fig-trade-breaks-{report.slug(code)}",
        **data.citation(years=[int(y) for y in d.index]),
    )


def checks_frame(fits: dict[str, BreakTrendFit]) -> pd.DataFrame:
    """:func:`kzanalysis.stats.break_checks` of every fit, with the partner's label."""
    frames = [
        break_checks(f).assign(partner=T.partner_label(p)) for p, f in fits.items() if f.breaks
    ]
    if not frames:
        return pd.DataFrame()
    return pd.concat(frames, ignore_index=True)


def checks_table(fits: dict[str, BreakTrendFit], data: TradeData) -> Table | None:
    """Observed change at each break beside the model's level shift and pre-break fit."""
    frame = checks_frame(fits)
    if frame.empty:
        return None
    missed = frame[frame["fit_misses"]]
    sub = (
        "The pre-break trend misses the year before the break by more than "
        f"{FIT_MISS_LIMIT_PCT:g} % for "
        + and_list([f"{the(r.partner)} in {r.break_year}" for r in missed.itertuples()])
        + ": there the observed change, not the level shift, describes the break."
        if not missed.empty
        else "The pre-break trend fits the year before each break within "
        f"{FIT_MISS_LIMIT_PCT:g} %, so the level shifts can be read beside the observed changes."
    )
    return Table(
        frame,
        {
            "partner": Col("Partner", kind="text"),
            "break_year": Col("Break", kind="year"),
            "observed_change_pct": Col("Observed change from the year before (%)", decimals=1),
            "level_shift_pct": Col("Model level shift (%)", decimals=1),
            "pre_fit_miss_pct": Col(
                "Observation against the pre-break trend, year before (%)", decimals=1
            ),
            "fit_misses": Col(f"Trend misses by more than {FIT_MISS_LIMIT_PCT:g} %", kind="bool"),
        },
        title=f"Trend breaks in {possessive(data.name)} {data.flow}: observed and modelled",
        subtitle=sub,
        notes=[
            "Observed change: the value in the break year against the year before. Model level "
            "shift: the fitted jump at the break, against the pre-break trend. The last column "
            "compares the year before the break with that trend."
        ],
        anchor="tbl-trade-break-checks",
        **data.citation(),
    )


def shock_finding(frame: pd.DataFrame, fits: dict[str, BreakTrendFit], flow: str) -> str | None:
    """The first break's level shifts per partner, with which are distinguishable from zero."""
    first_break = min((b for f in fits.values() for b in f.breaks), default=None)
    if first_break is None:
        return None
    shifts = frame[frame["term"] == f"Level shift in {first_break}"]
    checks = checks_frame(fits)
    missed = set(
        checks.loc[checks["fit_misses"] & (checks["break_year"] == first_break), "partner"]
    )
    observed = {
        r.partner: r.observed_change_pct
        for r in checks[checks["break_year"] == first_break].itertuples()
    }
    shifts = shifts[~shifts["partner"].isin(missed)]
    sig = [the(p) for p in shifts.loc[shifts["significant"], "partner"]]
    parts = and_list(
        [f"{signed_pct(r.effect_pct)} with {the(r.partner)}" for r in shifts.itertuples()]
    )
    if missed:
        told = and_list([f"{signed_pct(observed[p])} with {the(p)}" for p in sorted(missed)])
        lead = (
            f"From {first_break - 1} to {first_break} {flow} changed by {told} (observed; the "
            "pre-break trend does not fit the years just before, so no model shift is read)"
        )
        if shifts.empty:
            return lead + "."
        return (
            f"{lead}; the fitted level shifted by {parts} "
            f"({'all' if len(sig) == len(shifts) else 'not all'} distinguishable from zero at "
            "the 5 % level)."
        )
    if len(sig) == len(shifts):
        tail = "all distinguishable from zero at the 5 % level"
    elif not sig:
        tail = "none distinguishable from zero at the 5 % level"
    else:
        tail = f"distinguishable from zero at the 5 % level for {and_list(sig)} only"
    return (
        f"In {first_break} the fitted level of {flow} shifted by {parts} ({tail}), against the "
        "trend before."
    )


def shocks_section(
    data: TradeData, partners: Sequence[str] = ("RUS", "CHN", "EAEU")
) -> ShocksSection:
    """Section 3: trend models with breaks for Russia, China and the EAEU (2015 members)."""
    fixed = T.partner_values(
        data.selected,
        list(partners),
        data.flow,
        data.y0,
        data.y1,
        reporter=data.country,
        membership=2015,
        with_total=False,
    )
    fits, skipped = T.shock_models(fixed, list(partners), data.params.breaks, flow=data.flow)
    readings = [Note(interpret_break_trend(f), label="") for f in fits.values()]
    readings += [
        Note(
            f"No trend model for {flow_with(data.flow, T.partner_label(p))}: {why}", label="Skipped"
        )
        for p, why in skipped.items()
    ]
    table = effects_table(fits, data)
    finding = shock_finding(effects_frame(fits), fits, data.flow) if fits else None
    return ShocksSection(
        checks_table=checks_table(fits, data),
        fits=fits,
        skipped=skipped,
        effects_table=table,
        tests_table=tests_table(fits, data),
        readings=readings,
        figures=[fit_figure(f, p, data) for p, f in fits.items()],
        finding=finding
        or f"The trend-break models could not be estimated for {data.name} in "
        f"{data.y0}–{data.y1}: too few years on one side of each break.",
    )


# --- 4. EAEU launch --------------------------------------------------------------------


@dataclass
class LaunchSection:
    """Trade with the EAEU members in the Union's first years against 2014."""

    launch: pd.DataFrame | None
    table: Element
    finding: str

    @property
    def elements(self) -> list[Element]:
        """What the section displays, in order."""
        return [self.table]


def launch_sentence(launch: pd.DataFrame, name: str, flow: str, base: int = 2014) -> str | None:
    """Change of trade with the members and of the total from ``base`` to the last year."""
    ea = launch[launch["partner"] == "EAEU"].set_index("year")
    wl = launch[launch["partner"] == T.WORLD].set_index("year")
    years = [
        y
        for y in sorted(ea.index)
        if y != base
        and not pd.isna(ea.loc[y, "change_vs_base_pct"])
        and not pd.isna(wl["change_vs_base_pct"].get(y))
    ]
    if not years:
        return None
    y = years[-1]
    return (
        f"From {base} to {y} {possessive(name)} {flow} with the other EAEU members changed by "
        f"{signed_pct(ea.loc[y, 'change_vs_base_pct'])} and its total {flow} by "
        f"{signed_pct(wl.loc[y, 'change_vs_base_pct'])}; the members' share of the total went "
        f"from {pct(ea.loc[base, 'share_pct'])} to {pct(ea.loc[y, 'share_pct'])}."
    )


def launch_frame(launch: pd.DataFrame, base: int = 2014) -> pd.DataFrame:
    """Wide table: one row per member, the members together and the world; values per
    year and changes against ``base``."""
    label = launch["partner"].map(
        lambda c: (
            "EAEU members together"
            if c == "EAEU"
            else ("World (total)" if c == T.WORLD else T.partner_label(c))
        )
    )
    frame = launch.assign(label=label)
    order = list(dict.fromkeys(frame["label"]))
    wide = frame.pivot(index="label", columns="year", values="value_usd_mn")
    change = frame.pivot(index="label", columns="year", values="change_vs_base_pct")
    wide.columns = [f"{c} (US$ mn)" for c in wide.columns]
    change = change.drop(columns=base)
    change.columns = [f"{c} against {base} (%)" for c in change.columns]
    return wide.join(change).loc[order].reset_index().rename(columns={"label": "Partner"})


def launch_section(data: TradeData) -> LaunchSection:
    """Section 4: intra-EAEU trade in the Union's first years."""
    try:
        launch = T.eaeu_launch(data.selected, data.flow, reporter=data.country)
    except InsufficientDataError as exc:
        return LaunchSection(
            launch=None,
            table=Note(
                f"The EAEU launch comparison is left out for {data.name}: {exc}.", label="Skipped"
            ),
            finding=f"The EAEU launch cannot be compared for {data.name}: the data lack the "
            "totals of 2014 or of the following years.",
        )
    frame = launch_frame(launch)
    sentence = launch_sentence(launch, data.name, data.flow)
    columns: dict[str, Col | str] = {"Partner": Col("Partner", kind="text")}
    columns |= {c: Col(c, decimals=1) for c in frame.columns if c != "Partner"}
    table = Table(
        frame,
        columns,
        title=f"{possessive(data.name)} {data.flow} with the EAEU members, 2014–2016",
        subtitle=sentence or "",
        notes=["Members as of the end of 2015, the reporter left out."],
        missing_note="no value reported for that partner and year.",
        anchor="tbl-trade-eaeu-launch",
        **data.citation(years=sorted(set(launch["year"]))),
    )
    return LaunchSection(
        launch=launch,
        table=table,
        finding=sentence or f"The EAEU launch cannot be compared for {data.name}.",
    )


# --- 5. products -----------------------------------------------------------------------


@dataclass
class ProductsSection:
    """What the country sells to and buys from China (HS4 lines)."""

    available: bool
    note: Note
    top_exports: Element | None = None
    top_imports: Element | None = None
    groups_table: Element | None = None
    groups_figure: Element | None = None
    wheat_note: Note | None = None
    finding: str | None = None

    @property
    def elements(self) -> list[Element]:
        """What the section displays, in order."""
        items = [
            self.note,
            self.top_exports,
            self.top_imports,
            self.groups_table,
            self.groups_figure,
            self.wheat_note,
        ]
        return [e for e in items if e is not None]


def baci_source(products: pd.DataFrame) -> report.SourceRef:
    """The reference of product rows read from a configured CEPII BACI source."""
    from pathlib import PurePath

    path = PurePath(str(products.attrs.get("baci_path", "")))
    name = path.parent.name if "*" in path.name else path.name  # a folder: "<folder>/*.parquet"
    return report.SourceRef(
        id="cepii_baci",
        publisher="CEPII",
        title="BACI: international trade database at the product level (HS6, aggregated to HS4)",
        edition="large Parquet source configured for this build" + (f" ({name})" if name else ""),
        url="https://www.cepii.fr/CEPII/en/bdd_modele/bdd_modele_item.asp?id=37",
        terms="CEPII's terms of use for BACI apply (cite CEPII BACI).",
    )


def product_citation(products: pd.DataFrame) -> dict[str, Any]:
    """Sources of product rows: the curated WITS table's, or CEPII BACI when configured."""
    if products.attrs.get("product_source") == "baci":
        return {"sources": [baci_source(products)]}
    if products.attrs.get("provenance"):
        return {"sources": products, "source_ids": ["wits_hs4"]}
    return {}


def top_products_table(products: pd.DataFrame, flow: str, data: TradeData) -> Element:
    """The ten largest HS4 lines of the exports to (or imports from) China."""
    word = "exports to" if flow == "export" else "imports from"
    try:
        top = T.top_products(products, "CHN", flow, years=range(2015, 2025), n=10)
    except InsufficientDataError as exc:
        return Note(
            f"No product ranking of {possessive(data.name)} {word} China: {exc}.", label="Skipped"
        )
    lead = top.iloc[0]
    return Table(
        top,
        {
            # a whole number without unit: formatted like a year
            "rank": Col("Rank", kind="year"),
            "product_code": Col("HS code", kind="text"),
            "hs_chapter": Col("HS chapter", kind="text"),
            "value_usd_mn": Col("Value, sum of the years (US$ mn)", decimals=1),
            "share_pct": Col("Share of all lines (%)", decimals=1),
            "years_present": Col("Years present (number)", kind="integer"),
        },
        title=(
            f"Top 10 HS4 products, {possessive(data.name)} {word} China, "
            f"{top['years_used'].iloc[0].replace(' years)', ' complete years)')}"
        ),
        subtitle=(
            f"The ten lines make up {pct(top['share_pct'].sum())} of all lines; HS "
            f"{lead['product_code']} ({lead['hs_chapter'].lower()}) leads with "
            f"{pct(lead['share_pct'])}."
        ),
        notes=["Incomplete product years are left out."],
        anchor=f"tbl-trade-top-{flow}s",
        **product_citation(products),
    )


def groups_frame(groups: pd.DataFrame) -> pd.DataFrame:
    """Product-group shares wide: one row per year, one column per group, and whether
    the year is complete."""
    wide = groups.pivot(index="year", columns="group", values="share_pct")
    wide = wide[list(dict.fromkeys(groups["group"]))]
    complete = ~groups.groupby("year")["incomplete_year"].any()
    return wide.assign(complete=complete).reset_index()


def groups_sentence(groups: pd.DataFrame, name: str, partner: str = "China") -> str | None:
    """Range of each group's share in the complete product years, largest first.

    ``In the complete product years (2015–2019, 2023, 2024), metals and ores made up
    34.1–59.9 % of Kazakhstan's exports to China, energy 17.3–39.2 % and cereals 0.6–2.3 %.``
    """
    ok = groups[~groups["incomplete_year"].astype(bool)]
    if ok.empty:
        return None
    ranges = ok.groupby("group", sort=False)["share_pct"].agg(["min", "max"])
    ranges = ranges.sort_values("max", ascending=False)
    parts = [
        (g.split(" (")[0].lower(), f"{report.number(r['min'], 1)}–{pct(r['max'])}")
        for g, r in ranges.iterrows()
    ]
    (head, span), rest = parts[0], [f"{g} {x}" for g, x in parts[1:]]
    text = (
        f"In the complete product years ({years_text(ok['year'].unique())}), {head} made up "
        f"{span} of {possessive(name)} exports to {partner}"
    )
    return text + (f", {and_list(rest)}." if rest else ".")


def groups_last_sentence(groups: pd.DataFrame) -> str | None:
    """The groups' shares in the last complete product year, largest first.

    ``In 2024, the last complete product year, metals and ores made up 55.0 %, energy
    22.0 % and cereals 1.8 % of the sum of lines.``
    """
    ok = groups[~groups["incomplete_year"].astype(bool)]
    if ok.empty:
        return None
    year = int(ok["year"].max())
    last = ok[ok["year"] == year].sort_values("share_pct", ascending=False)
    parts = [
        (g.split(" (")[0].lower(), pct(v))
        for g, v in zip(last["group"], last["share_pct"], strict=True)
    ]
    (name, value), rest = parts[0], [f"{g} {v}" for g, v in parts[1:]]
    return (
        f"In {year}, the last complete product year, {name} made up {value}"
        + (f", {and_list(rest)}" if rest else "")
        + " of the sum of lines."
    )


def groups_figure(groups: pd.DataFrame, data: TradeData) -> Figure:
    """Lines of the product groups' shares; incomplete product years shaded, hollow."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(9, 4.5))
    bad = sorted(groups.loc[groups["incomplete_year"].astype(bool), "year"].unique())
    if bad:
        ax.axvspan(
            min(bad) - 0.5,
            max(bad) + 0.5,
            color="#dddddd",
            alpha=0.6,
            label="incomplete product years",
        )
    for colour, (group, part) in zip(
        GROUP_COLOURS, groups.groupby("group", sort=False), strict=False
    ):
        ok = part[~part["incomplete_year"].astype(bool)]
        ax.plot(part["year"], part["share_pct"], color=colour, linewidth=1, alpha=0.5)
        ax.plot(ok["year"], ok["share_pct"], "o", color=colour, label=group)
    plotting.label_axes(
        ax,
        xlabel="Year",
        ylabel="Share of the sum of HS4 lines (%)",
        legend=LEGEND_BELOW,
    )
    last = groups[groups["year"] == groups["year"].max()]
    return Figure(
        fig,
        title=f"{possessive(data.name)} exports to China: energy, metals and ores, cereals",
        subtitle=groups_sentence(groups, data.name) or "Every product year is incomplete.",
        alt=(
            f"Line chart of the shares of {', '.join(dict.fromkeys(groups['group']))} in the sum "
            f"of {possessive(data.name)} HS4 export lines to China, "
            f"{int(groups['year'].min())}–{int(groups['year'].max())}; in "
            f"{int(groups['year'].max())}: "
            + ", ".join(f"{r.group} {pct(r.share_pct)}" for r in last.itertuples())
            + (f"; incomplete years {years_text(bad)} shaded." if bad else ".")
        ),
        data=groups.rename(
            columns={
                "year": "Year",
                "group": "Product group",
                "value_usd_mn": "Value (US$ mn)",
                "lines_total_usd_mn": "Sum of all HS4 lines (US$ mn)",
                "share_pct": "Share of the sum of lines (%)",
                "incomplete_year": "Incomplete product year",
            }
        ),
        anchor="fig-trade-product-groups",
        **product_citation(data.products),
    )


def wheat_sentence(growth: dict[str, Any]) -> str:
    """Wheat (HS 1001) exports to China from one year to the next, in words."""
    code, start, end = growth["product_code"], growth["start"], growth["end"]
    if pd.isna(growth["growth_pct"]):
        return f"Wheat (HS {code}) growth {start}→{end} cannot be computed: {growth['note']}."
    note = f" {growth['note'][:1].upper()}{growth['note'][1:]}." if growth["note"] else ""
    return (
        f"Wheat (HS {code}) exports to China: {usd_mn(growth['value_start_usd_mn'], 1)} in "
        f"{start}, {usd_mn(growth['value_end_usd_mn'], 1)} in {end} "
        f"({signed_pct(growth['growth_pct'], 0)}, ×{report.number(growth['ratio'], 2)}).{note}"
    )


def products_section(data: TradeData) -> ProductsSection:
    """Section 5: the HS4 composition of trade with China (Kazakhstan, or a BACI source)."""
    products = data.products
    if not (products["partner_iso3"] == "CHN").any():
        return ProductsSection(
            available=False,
            note=Note(
                f"No product detail for {data.name}: the curated product table covers "
                "Kazakhstan's trade with China and the world only (a configured CEPII BACI "
                "source covers every country).",
                label="Skipped",
            ),
        )
    gaps = T.incomplete_years(products)
    groups = T.product_group_shares(products, "CHN", "export")
    wide = groups_frame(groups)
    columns: dict[str, Col | str] = {"year": Col("Year", kind="year")}
    columns |= {g: Col(f"{g} (%)", decimals=1) for g in dict.fromkeys(groups["group"])}
    columns["complete"] = Col("Complete product year", kind="bool")
    sentence = groups_sentence(groups, data.name)
    table = Table(
        wide,
        columns,
        title=f"Product groups in {possessive(data.name)} exports to China",
        subtitle=groups_last_sentence(groups) or "",
        notes=["Shares of the sum of HS4 lines; in incomplete years that sum is not a total."],
        anchor="tbl-trade-product-groups",
        **product_citation(products),
    )
    figure = groups_figure(groups, data)
    return ProductsSection(
        available=True,
        note=Note(
            "Incomplete product years (many lines missing; sums of lines are not totals, and "
            f"a missing line does not mean zero trade): {years_text(gaps) or 'none'}.",
            label="Note",
        ),
        top_exports=top_products_table(products, "export", data),
        top_imports=top_products_table(products, "import", data),
        groups_table=table,
        groups_figure=figure,
        wheat_note=Note(wheat_sentence(T.product_growth(products, "1001", 2017, 2018)), label=""),
        finding=sentence,
    )


# --- 6. sources ------------------------------------------------------------------------


@dataclass
class SourcesSection:
    """How far the sources disagree, mirror flows, and which source the chapter uses."""

    comparison: pd.DataFrame
    comparison_table: Element
    spread_table: Element | None
    mirror_table: Element
    mirror_figures: list[Figure]
    choice_note: Note
    finding: str

    @property
    def elements(self) -> list[Element]:
        """What the section displays, in order."""
        items: list[Element | None] = [
            self.comparison_table,
            self.spread_table,
            self.mirror_table,
            *self.mirror_figures,
            self.choice_note,
        ]
        return [e for e in items if e is not None]


def comparison_table(comparison: pd.DataFrame, data: TradeData) -> Element:
    """The same exports from every source family where two or more overlap."""
    if comparison.empty:
        return Note(
            f"Only one source covers {data.name}, so there is nothing to compare.",
            label="Sources",
        )
    columns: dict[str, Col | str] = {
        "year": Col("Year", kind="year"),
        "partner": Col("Partner", kind="country"),
    }
    columns |= {c: Col(h, decimals=1) for c, h in FAMILY_HEADERS.items() if c in comparison}
    for c in comparison.columns:
        if c.endswith("_vs_imf_dots_pct"):
            fam = c.removesuffix("_vs_imf_dots_pct")
            columns[c] = Col(f"{T.FAMILY_LABELS[fam]} against IMF DOTS (%)", decimals=1)
    columns["spread_pct"] = Col("Spread, largest over smallest (%)", decimals=1)
    med = comparison["spread_pct"].median()
    return Table(
        comparison,
        columns,
        title=f"{possessive(data.name)} exports by source, where sources overlap",
        subtitle=(
            f"The median spread between sources is {pct(med)} and the largest "
            f"{pct(comparison['spread_pct'].max())}."
        ),
        missing_note="the source does not cover that year.",
        anchor="tbl-trade-source-comparison",
        **cite_rows(
            data.flows,
            data.flows[data.flows["reporter_iso3"] == data.country],
            sorted(set(comparison["year"])),
            ("export",),
        ),
    )


def spread_table(comparison: pd.DataFrame, data: TradeData) -> Table | None:
    """Median and largest spread between sources, per partner."""
    if comparison.empty:
        return None
    gaps = T.gap_summary(comparison, "spread_pct", ["partner"])
    return Table(
        gaps,
        {
            "partner": Col("Partner", kind="country"),
            "years": Col("Years", kind="text"),
            "n_years": Col("Years compared (number)", kind="integer"),
            "median_gap_pct": Col("Median spread (%)", decimals=1),
            "max_abs_gap_pct": Col("Largest spread (%)", decimals=1),
        },
        title=f"Spread between the sources of {possessive(data.name)} exports, by partner",
        anchor="tbl-trade-source-spread",
        **cite_rows(
            data.flows,
            data.flows[data.flows["reporter_iso3"] == data.country],
            sorted(set(comparison["year"])),
            ("export",),
        ),
    )


def mirror_sentence(row: Any, name: str) -> str:
    """One row of the mirror summary in words: what the partner records against what the
    country records of the same trade (median gap, years, largest gap)."""
    partner = T.partner_label(row["partner"])
    own = DIRECTION_WORDS[row["direction"]].format(name=name, partner=the(partner))
    mirror = DIRECTION_WORDS[MIRROR_OF[row["direction"]]].format(name=partner, partner=the(name))
    verb = "exceed" if row["median_gap_pct"] >= 0 else "fall short of"
    mirror, own = (x.replace("'s ", "'s recorded ", 1) for x in (mirror, own))
    return (
        f"{mirror[:1].upper()}{mirror[1:]} {verb} {own} by a median "
        f"{pct(abs(row['median_gap_pct']))} ({row['years']}; largest gap in one year "
        f"{pct(row['max_abs_gap_pct'], 0)})."
    )


def mirror_frames(data: TradeData) -> tuple[pd.DataFrame, list[str]]:
    """Mirror flows with China and Russia, and why a partner is missing."""
    mirrors, skipped = [], []
    for partner in ("CHN", "RUS"):
        name = T.partner_label(partner)
        try:
            m = T.mirror_flows(data.flows, partner, data.y0, data.y1, reporter=data.country)
        except InsufficientDataError as exc:
            skipped.append(f"No mirror flows with {name}: {exc}.")
            continue
        if m.empty:
            skipped.append(f"No mirror flows with {name}: no overlapping years.")
            continue
        mirrors.append(m.assign(partner=partner))
    frame = pd.concat(mirrors, ignore_index=True) if mirrors else pd.DataFrame()
    return frame, skipped


def mirror_figure(mirror: pd.DataFrame, partner: str, data: TradeData) -> Figure:
    """Gap between the partner's mirror figures and the country's own, per direction (%)."""
    import matplotlib.pyplot as plt

    name = T.partner_label(partner)
    fig, ax = plt.subplots(figsize=(9, 4))
    labels = {d: DIRECTION_WORDS[d].format(name=data.name, partner=name) for d in DIRECTION_WORDS}
    for colour, (direction, part) in zip(
        plotting.SECONDARY_COLORS, mirror.groupby("direction"), strict=False
    ):
        ax.plot(part["year"], part["gap_pct"], marker=".", color=colour, label=labels[direction])
    ax.axhline(0, color="#999999", linewidth=1)
    plotting.label_axes(
        ax, xlabel="Year", ylabel="Mirror minus reported (% of reported)", legend=LEGEND_BELOW
    )
    summary = T.gap_summary(mirror.assign(partner=partner), "gap_pct", ["partner", "direction"])
    widest = summary.loc[summary["median_gap_pct"].abs().idxmax()]
    return Figure(
        fig,
        title=f"{data.name} and {name}: mirror against reported flows",
        subtitle=mirror_sentence(widest, data.name),
        alt=(
            f"Line chart of the gap between {possessive(name)} mirror figures and "
            f"{possessive(data.name)} own, in percent of the own figure, per year: "
            + "; ".join(
                f"{labels[r.direction]}, median {signed_pct(r.median_gap_pct)} ({r.years})"
                for r in summary.itertuples()
            )
            + "."
        ),
        data=mirror.assign(direction=mirror["direction"].map(labels))[
            ["year", "direction", "reported_usd_mn", "mirror_usd_mn", "gap_usd_mn", "gap_pct"]
        ].rename(
            columns={
                "year": "Year",
                "direction": "Flow",
                "reported_usd_mn": f"Reported by {data.name} (US$ mn)",
                "mirror_usd_mn": f"Mirror, reported by {name} (US$ mn)",
                "gap_usd_mn": "Mirror minus reported (US$ mn)",
                "gap_pct": "Mirror minus reported (% of reported)",
            }
        ),
        anchor=f"fig-trade-mirror-{report.slug(partner)}",
        **(
            {"sources": data.flows, "source_ids": ["imf_dots"]}
            if data.flows.attrs.get("provenance")
            else {}
        ),
    )


def mirror_table(mirror: pd.DataFrame, skipped: Sequence[str], data: TradeData) -> Element:
    """Median and largest gap of the mirror figures, per partner and direction."""
    if mirror.empty:
        return Note(" ".join(skipped) or "No mirror flows.", label="Skipped")
    summary = T.gap_summary(mirror, "gap_pct", ["partner", "direction"])
    frame = summary.assign(
        direction=[
            DIRECTION_WORDS[d].format(name=data.name, partner=T.partner_label(p))
            for p, d in zip(summary["partner"], summary["direction"], strict=True)
        ]
    )
    return Table(
        frame,
        {
            "partner": Col("Partner", kind="country"),
            "direction": Col("Flow", kind="text"),
            "years": Col("Years", kind="text"),
            "n_years": Col("Years compared (number)", kind="integer"),
            "median_gap_pct": Col("Median gap, mirror minus reported (%)", decimals=1),
            "max_abs_gap_pct": Col("Largest absolute gap (%)", decimals=1),
        },
        title=f"Mirror flows: what China and Russia record of their trade with {data.name}",
        subtitle=(
            f"Median gaps range from {signed_pct(summary['median_gap_pct'].min())} to "
            f"{signed_pct(summary['median_gap_pct'].max())} of {possessive(data.name)} own "
            "figures."
        ),
        notes=[
            "IMF DOTS on both sides. Exports are valued FOB by the exporter, imports CIF by "
            "the importer; transit, timing and re-exports add further gaps.",
            *skipped,
        ],
        anchor="tbl-trade-mirror",
        **(
            {"sources": data.flows, "source_ids": ["imf_dots"]}
            if data.flows.attrs.get("provenance")
            else {}
        ),
    )


def choice_note(data: TradeData, comparison: pd.DataFrame) -> Note:
    """Which source the chapter uses and what splicing sources does, in words."""
    runs = T.source_runs(data.choice)
    if runs.empty:
        return Note(f"No series is used for {data.name} in {data.y0}–{data.y1}.", label="Sources")
    main = runs.groupby("source_family")["years"].sum().idxmax()
    years = int(runs[runs["source_family"] == main]["years"].sum() / runs["flow"].nunique())
    text = (
        f"This chapter uses {T.describe_sources(data.choice).removeprefix('Series from ')} "
        f"{T.FAMILY_LABELS[main]} carries most years ({years} of "
        f"{len(set(data.choice['year']))}) and covers every partner with one method, which the "
        "trend models need; the other sources extend it where it ends."
    )
    if not comparison.empty:
        text += (
            f" Where sources overlap, the median spread between them is "
            f"{pct(comparison['spread_pct'].median())} (largest "
            f"{pct(comparison['spread_pct'].max())}), so splicing them shifts levels by a few "
            "percent at most in the overlap years; trends and shares are hardly affected, but a "
            "single-year jump at a splice point should not be read as a shock."
        )
    return Note(text, label="Sources")


def sources_section(data: TradeData) -> SourcesSection:
    """Section 6: source disagreement, mirror flows, the source used."""
    comparison = T.source_comparison(
        data.flows,
        [*data.params.partners, T.WORLD],
        "exports",
        data.y0,
        data.y1,
        reporter=data.country,
    )
    mirror, skipped = mirror_frames(data)
    if mirror.empty:
        figures: list[Figure] = []
        finding = f"No mirror flows with China or Russia cover {data.name} in {data.y0}–{data.y1}."
    else:
        summary = T.gap_summary(mirror, "gap_pct", ["partner", "direction"])
        figures = [
            mirror_figure(part.drop(columns="partner"), str(p), data)
            for p, part in mirror.groupby("partner", sort=False)
        ]
        finding = mirror_sentence(summary.loc[summary["median_gap_pct"].abs().idxmax()], data.name)
    return SourcesSection(
        comparison=comparison,
        comparison_table=comparison_table(comparison, data),
        spread_table=spread_table(comparison, data),
        mirror_table=mirror_table(mirror, skipped, data),
        mirror_figures=figures,
        choice_note=choice_note(data, comparison),
        finding=finding,
    )


# --- key findings ----------------------------------------------------------------------


def findings(
    partners: PartnersSection,
    rivals: RivalsSection,
    shocks: ShocksSection,
    launch: LaunchSection,
    products: ProductsSection,
    sources: SourcesSection,
) -> Findings:
    """Key findings: 5–6 sentences from the sections, each linked to its figure or table.

    Every sentence exists for every variant: where the data do not support a part, the
    sentence says so (the product finding is left out when there is no product detail).
    """
    items: list[str | tuple[str, Any]] = [
        _linked(partners.finding, partners.shares_figure),
        _linked(rivals.finding, rivals.figure),
        _linked(shocks.finding, shocks.effects_table),
        _linked(launch.finding, launch.table),
    ]
    if products.finding:
        items.append(_linked(products.finding, products.groups_figure))
    items.append(_linked(sources.finding, sources.mirror_table))
    return Findings(items)
