"""Report elements of the energy chapter: tables, figures, notes and key findings.

The analyses live in :mod:`kzanalysis.analysis.energy`; the builders here turn their
results into :mod:`kzanalysis.report` elements for ``notebooks/02_energy_exports.ipynb``.
The notebook calls one section builder per section (:func:`balance_section`,
:func:`reserves_section`, :func:`pipeline_section`, :func:`crude_section`,
:func:`money_section`, :func:`revisions_section`, :func:`coal_section`), displays the
"Key findings" from :func:`findings`, then each section's elements in order.

Every sentence is computed from the rows it describes (subtitles and alt texts from the
plotted rows); a section with little data says so in a sentence instead of failing. The
builders are pure apart from drawing with matplotlib: the figures are closed once the
:class:`kzanalysis.report.Figure` has rendered them.

Colours: countries and powers take their registry colour (:func:`kzanalysis.plotting.palette`);
series that are not actors (destination regions that are not actors, HS lines, editions)
take fixed non-actor colours (:data:`REGION_COLOURS`, :data:`PRODUCT_COLOURS`,
:data:`kzanalysis.plotting.SECONDARY_COLORS`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from kzanalysis import plotting, report
from kzanalysis.analysis import energy as E
from kzanalysis.report import Col
from kzanalysis.stats import InsufficientDataError

if TYPE_CHECKING:  # pragma: no cover
    from kzanalysis.analysis.energy_params import EnergyParams

__all__ = [
    "PRODUCT_COLOURS",
    "REGION_COLOURS",
    "Section",
    "balance_section",
    "china_shares_sentence",
    "coal_section",
    "coal_subtitle",
    "contract_figure",
    "contract_subtitle",
    "conversion_sentences",
    "crude_regions_figure",
    "crude_section",
    "crude_subtitle",
    "exports_brent_figure",
    "findings",
    "fuel_balance_figure",
    "fuel_balance_subtitle",
    "growth_sentence",
    "money_section",
    "money_sentence",
    "parameters_note",
    "pipeline_heatmap_figure",
    "pipeline_section",
    "pipeline_subtitle",
    "rank_sentence",
    "reserves_section",
    "revisions_figure",
    "revisions_section",
    "revisions_subtitle",
    "surplus_finding",
    "surplus_sentence",
]

#: Units of the production/consumption comparison in words.
UNIT_WORDS: dict[str, str] = {
    "ej": "exajoules (EJ)",
    "bcm": "billion cubic metres (bcm)",
    "mt": "million tonnes (Mt)",
    "kbd": "thousand barrels a day (kb/d)",
}

#: Decimals of values in each unit of the comparison.
UNIT_DECIMALS: dict[str, int] = {"ej": 2, "bcm": 1, "mt": 1, "kbd": 0}


def _rate(unit: str) -> str:
    """The unit as a yearly rate: "EJ per year", but "kb/d" (already a rate)."""
    label = E.UNIT_LABELS[unit]
    return label if unit == "kbd" else f"{label} per year"


#: Units of reserves and ranks as a reader reads them.
_VALUE_UNITS: dict[str, str] = {"bn_bbl": "bn barrels", "tcm": "tcm", "kbd": "kb/d", "bcm": "bcm"}

#: The series ranked in the reserves section: (variable, unit, name, decimals).
RANK_SERIES: tuple[tuple[str, str, str, int], ...] = (
    ("oil_reserves", "bn_bbl", "Oil reserves", 1),
    ("gas_reserves", "tcm", "Gas reserves", 2),
    ("oil_production", "kbd", "Oil production", 0),
    ("gas_production", "bcm", "Gas production", 1),
)

#: Colours of the crude destination regions: actors from the registry, the other regions
#: in fixed non-actor colours (Okabe–Ito), at least 15 ΔE2000 apart (tested).
REGION_COLOURS: dict[str, str] = {
    "Europe": plotting.colour("Europe"),
    "China": plotting.colour("China"),
    "Other Asia Pacific": "#F0E442",
    "Americas": "#8C564B",
    "Middle East & Africa": "#E69F00",
    "Russia & other CIS": plotting.colour("Russia"),
    "Unassigned": plotting.colour("Other"),
}

#: Short names of the HS lines and their (non-actor) colours.
PRODUCT_NAMES: dict[str, str] = {"2709": "Crude oil (HS 2709)", "2711": "Gas (HS 2711)"}
PRODUCT_WORDS: dict[str, str] = {"2709": "crude oil", "2711": "gas"}
PRODUCT_COLOURS: dict[str, str] = {"2709": "#E69F00", "2711": "#56B4E9"}

#: The thesis' coal share of China's energy consumption (claim C09), in percent.
THESIS_COAL_SHARE_PCT = 72.0


@dataclass(frozen=True)
class Section:
    """One section of the chapter: its elements in display order and its key findings.

    Attributes:
        elements: Tables, figures and notes, in the order the notebook displays them.
        findings: ``(sentence, element)`` pairs for the "Key findings" box, most
            important first (the element is the figure or table that shows it).
    """

    elements: tuple[Any, ...]
    findings: tuple[tuple[str, Any], ...] = field(default=())


# --------------------------------------------------------------------------------------
# Reader text helpers
# --------------------------------------------------------------------------------------


def _n(value: float, decimals: int = 1) -> str:
    return report.number(value, decimals)


def _pct(value: float, decimals: int = 0) -> str:
    return f"{report.number(value, decimals)} %"


_and = report.join_words  # "a, b and c" (shared)


def _possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _finite(value: Any) -> bool:
    try:
        return value is not None and math.isfinite(float(value))
    except (TypeError, ValueError):
        return False


#: Verbs of :func:`_direction`.
UP, GREW = ("rose", "fell"), ("grew", "fell")


def _direction(first: float, last: float, up: str = "up", down: str = "down") -> str:
    return up if last > first else down if last < first else "unchanged"


def _span(first: int, last: int) -> str:
    """ "2000–2025", or "2020" for one year."""
    return f"{first}" if first == last else f"{first}–{last}"


def _edition_ids(frame: pd.DataFrame) -> list[str]:
    """Source ids of the Statistical Review editions a frame's rows come from."""
    return [E.edition_source_id(str(ed)) for ed in sorted(set(frame["edition"].astype(str)))]


def _plt() -> Any:
    import matplotlib.pyplot as plt

    return plt


def parameters_note(params: EnergyParams) -> report.Note:
    """The report's parameters in words (country, years, edition, unit)."""
    text = (
        f"{E.label(params.country)} · {params.start_year}–{params.end_year} · Statistical "
        f"Review of World Energy, {params.edition} edition (data to "
        f"{int(params.edition) - 1}) · production and consumption compared in "
        f"{UNIT_WORDS[params.unit_code]}."
    )
    return report.Note(text, label="This report")


# --------------------------------------------------------------------------------------
# 1. Production, consumption and the export surplus
# --------------------------------------------------------------------------------------

_CONVERTED = re.compile(r"converted from (?P<unit>.+?) × (?P<factor>[0-9.eE+-]+)")


def conversion_sentences(balance: pd.DataFrame) -> list[str]:
    """One sentence per converted series of a :func:`~kzanalysis.analysis.energy.fuel_balance`.

    Example: "Oil production is converted from Mt with the Review's approximate factor
    0.041868 EJ per Mt."
    """
    unit = E.UNIT_LABELS.get(balance.attrs.get("unit", ""), "")
    out = []
    for fuel, by_what in balance.attrs.get("methods", {}).items():
        for what, method in by_what.items():
            match = _CONVERTED.match(method)
            if match:
                out.append(
                    f"{fuel.capitalize()} {what} is converted from {match['unit']} with the "
                    f"Review's approximate factor {match['factor']} {unit} per {match['unit']}."
                )
    return out


def surplus_sentence(balance: pd.DataFrame, entity: str, unit: str) -> str:
    """Each fuel's export surplus (or deficit) of one entity in its last year, in words.

    Args:
        balance: :func:`~kzanalysis.analysis.energy.fuel_balance` output.
        entity: ISO3 code.
        unit: Unit code of the balance (``ej``, ``bcm``, ``mt``, ``kbd``).
    """
    surplus, production = f"surplus_{unit}", f"production_{unit}"
    ul, d = E.UNIT_LABELS[unit], UNIT_DECIMALS[unit]
    own = balance[balance["entity_code"] == entity].dropna(subset=[surplus])
    name = E.label(entity)
    if own.empty:
        return f"{name}: no year with both production and consumption in {ul}."
    parts = []
    for fuel, rows in own.groupby("fuel", sort=False):
        r = rows.sort_values("year").iloc[-1]
        amount, year = abs(float(r[surplus])), int(r["year"])
        if r[surplus] >= 0:
            share = 100 * r[surplus] / r[production] if r[production] else math.nan
            note = f" ({_pct(share)} of production available for export)" if _finite(share) else ""
            parts.append(f"{fuel} surplus of {_n(amount, d)} {ul}{note} in {year}")
        else:
            parts.append(f"{fuel} deficit of {_n(amount, d)} {ul} (covered by imports) in {year}")
    return f"{name}: " + "; ".join(parts) + "."


def _last_year_rows(balance: pd.DataFrame, entity: str, unit: str) -> pd.DataFrame:
    """The entity's rows of the balance's last year that have production and consumption."""
    if balance.empty:
        return balance
    last = balance[balance["year"] == balance["year"].max()]
    own = last[last["entity_code"] == entity]
    return own.dropna(subset=[f"production_{unit}", f"consumption_{unit}"])


def fuel_balance_subtitle(balance: pd.DataFrame, country: str, unit: str) -> str:
    """One sentence: the country's production as a share of consumption, per fuel, last year.

    Example: "In 2025 Kazakhstan produced 532 % of the oil it consumed, 161 % of the gas
    and 130 % of the coal."
    """
    name = E.label(country)
    rows = _last_year_rows(balance, country, unit)
    rows = rows[rows[f"consumption_{unit}"] > 0]
    if rows.empty:
        return (
            f"{name} has no year in which both production and consumption are published in "
            f"{E.UNIT_LABELS[unit]}; the lines show what is published."
        )
    year = int(rows["year"].iloc[0])
    shares = [
        (r.fuel, 100 * getattr(r, f"production_{unit}") / getattr(r, f"consumption_{unit}"))
        for r in rows.itertuples()
    ]
    parts = [f"{_pct(shares[0][1])} of the {shares[0][0]} it consumed"]
    parts += [f"{_pct(v)} of the {fuel}" for fuel, v in shares[1:]]
    return f"In {year} {name} produced {_and(parts)}."


def _deficit_sentence(balance: pd.DataFrame, unit: str) -> str:
    """ "China consumed more oil and gas than it produced in 2025." for every deficit."""
    if balance.empty:
        return ""
    year = int(balance["year"].max())
    last = balance[balance["year"] == year].dropna(subset=[f"surplus_{unit}"])
    out = []
    for entity, rows in last.groupby("entity_code", sort=False):
        short = rows[rows[f"surplus_{unit}"] < 0]["fuel"].tolist()
        if short:
            out.append(f"{E.label(entity)} consumed more {_and(short)} than it produced in {year}.")
    return " ".join(out)


def fuel_balance_figure(
    balance: pd.DataFrame,
    country: str,
    unit: str,
    *,
    sources: Any = None,
    source_ids: Iterable[str] | None = None,
) -> report.Figure:
    """Small multiples: production (solid) and consumption (dashed) per fuel and entity.

    Args:
        balance: :func:`~kzanalysis.analysis.energy.fuel_balance` output (not empty).
        country: The report's country (the subtitle is about it).
        unit: Unit code of the balance.
        sources: The loaded ``energy_series`` (its provenance is cited).
        source_ids: The edition's source id.
    """
    from matplotlib.lines import Line2D

    plt = _plt()
    ul = E.UNIT_LABELS[unit]
    fuels = [f for f in E.FUELS if f in set(balance["fuel"])]
    entities = list(dict.fromkeys(balance["entity_code"]))
    names = {e: E.label(e) for e in entities}
    colours = plotting.palette(names.values())
    width = 12 if len(fuels) > 1 else 9
    fig, axes = plt.subplots(1, len(fuels), figsize=(width, 4.2), squeeze=False)
    axes = axes[0]
    for ax, fuel in zip(axes, fuels, strict=True):
        sub = balance[balance["fuel"] == fuel]
        for entity, rows in sub.groupby("entity_code", sort=False):
            colour = colours[names[entity]]
            ax.plot(rows["year"], rows[f"production_{unit}"], color=colour)
            ax.plot(rows["year"], rows[f"consumption_{unit}"], color=colour, ls="--")
        ax.text(0.02, 0.96, fuel.capitalize(), transform=ax.transAxes, va="top", fontweight="bold")
        plotting.log_scale(ax)
        ax.set_xlabel("Year")
    handles = [Line2D([], [], color=colours[n], label=n) for n in names.values()]
    handles += [
        Line2D([], [], color="#444444", label="production"),
        Line2D([], [], color="#444444", ls="--", label="consumption"),
    ]
    axes[-1].legend(
        handles=handles, frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1)
    )
    plotting.label_axes(
        axes[0],
        xlabel="Year",
        ylabel=f"Production, consumption ({_rate(unit)}, log scale)",
        legend=False,
    )
    data = balance[["entity_code", "fuel", "year", f"production_{unit}", f"consumption_{unit}"]]
    data = data.assign(entity_code=data["entity_code"].map(names))
    y0, y1 = int(balance["year"].min()), int(balance["year"].max())
    subtitle = fuel_balance_subtitle(balance, country, unit)
    alt = (
        f"Line charts, one panel per fuel ({_and(fuels)}), of yearly production (solid lines) "
        f"and consumption (dashed lines) in {ul} on a logarithmic scale, {_span(y0, y1)}, for "
        f"{_and(list(names.values()))}. {subtitle} {_deficit_sentence(balance, unit)}"
    )
    return report.Figure(
        fig,
        title=f"Production and consumption of {_and(fuels)}, {_span(y0, y1)}",
        subtitle=subtitle,
        alt=alt,
        data=data,
        columns={
            "entity_code": "Country",
            "fuel": "Fuel",
            "year": "Year",
            f"production_{unit}": f"Production ({_rate(unit)})",
            f"consumption_{unit}": f"Consumption ({_rate(unit)})",
        },
        sources=sources,
        source_ids=source_ids,
        note=" ".join(conversion_sentences(balance)),
    )


def balance_table(
    balance: pd.DataFrame,
    unit: str,
    *,
    sources: Any = None,
    source_ids: Iterable[str] | None = None,
) -> report.Table:
    """Production, consumption, surplus and self-sufficiency of each entity and fuel, last year."""
    ul, d = E.UNIT_LABELS[unit], UNIT_DECIMALS[unit]
    last = int(balance["year"].max())
    rows = balance[balance["year"] == last].copy()
    consumption = rows[f"consumption_{unit}"]
    rows["self_sufficiency_pct"] = (
        100 * rows[f"production_{unit}"] / consumption.where(consumption > 0)
    )
    rows["fuel"] = rows["fuel"].str.capitalize()
    return report.Table(
        rows,
        {
            "entity_code": Col(header="Country", kind="country"),
            "fuel": Col(header="Fuel", kind="text"),
            f"production_{unit}": Col(header=f"Production ({ul})", decimals=d),
            f"consumption_{unit}": Col(header=f"Consumption ({ul})", decimals=d),
            f"surplus_{unit}": Col(header=f"Export surplus ({ul})", decimals=d),
            "self_sufficiency_pct": Col(header="Self-sufficiency (%)", decimals=0),
        },
        title=f"Production, consumption and export surplus in {last}",
        notes=[
            "Export surplus: production minus consumption (negative: imports needed). "
            "Self-sufficiency: production as a percentage of consumption.",
            *conversion_sentences(balance),
        ],
        missing_note="the Statistical Review does not publish this series for the country "
        "in this unit, and no documented factor converts it.",
        sources=sources,
        source_ids=source_ids,
    )


def surplus_finding(balance: pd.DataFrame, country: str, unit: str) -> str:
    """The country's largest export surplus in the last year, as one finding sentence."""
    name, ul = E.label(country), E.UNIT_LABELS[unit]
    rows = _last_year_rows(balance, country, unit)
    if rows.empty:
        y0, y1 = balance.attrs.get("years", ("", ""))
        return (
            f"The Statistical Review publishes no production and consumption of {name} in "
            f"{ul} for {y0}–{y1}, so its export surplus cannot be shown."
        )
    year = int(rows["year"].iloc[0])
    top = rows.sort_values(f"surplus_{unit}", ascending=False).iloc[0]
    if top[f"surplus_{unit}"] <= 0:
        return f"{name} consumed more {_and(rows['fuel'].tolist())} than it produced in {year}."
    share = 100 * top[f"surplus_{unit}"] / top[f"production_{unit}"]
    return (
        f"{_possessive(name)} largest energy export surplus in {year} was {top['fuel']}: "
        f"{_n(top[f'surplus_{unit}'], UNIT_DECIMALS[unit])} {_rate(unit)}, {_pct(share)} of its "
        "production "
        "(production minus consumption)."
    )


def balance_section(
    series: pd.DataFrame,
    country: str,
    edition: str,
    unit: str,
    start_year: int,
    end_year: int,
) -> Section:
    """Section 1: production, consumption and export surplus of the country, Russia, China.

    Args:
        series: ``energy_series`` as loaded (its provenance is cited).
        country: ISO3 code of the report's country.
        edition: Statistical Review edition.
        unit: Unit code (``ej``, ``bcm``, ``mt``, ``kbd``).
        start_year: First year.
        end_year: Last year.
    """
    entities = list(dict.fromkeys([country, "RUS", "CHN"]))
    balance = E.fuel_balance(series, edition, entities, unit, start_year, end_year)
    ids = [E.edition_source_id(edition)]
    gaps = E.missing_sentences(balance, entities)
    elements: list[Any] = []
    if gaps:
        elements.append(report.Note(" ".join(gaps), label="Gaps"))
    if balance.empty:
        text = (
            f"No fuel has a {E.UNIT_LABELS[unit]} series in the {edition} edition; the "
            "comparison in exajoules (EJ) covers all three fuels."
        )
        return Section((*elements, report.Note(text)), ((text, None),))
    table = balance_table(balance, unit, sources=series, source_ids=ids)
    figure = fuel_balance_figure(balance, country, unit, sources=series, source_ids=ids)
    surplus = report.Note(" ".join(surplus_sentence(balance, e, unit) for e in entities), label="")
    elements += [table, figure, surplus]
    return Section(tuple(elements), ((surplus_finding(balance, country, unit), table),))


# --------------------------------------------------------------------------------------
# 2. Reserves and ranks
# --------------------------------------------------------------------------------------


def _rank_text(rank: int | None, n: int, complete: bool) -> str | None:
    return f"{rank} of {n}" if rank is not None and complete else None


def rank_sentence(r: E.RankResult, country: str) -> str:
    """Proved oil reserves and their world and CIS ranks in words (with the thesis' claim)."""
    name = E.label(country)
    if r.value is None:
        return f"{name} has no ranked value of proved oil reserves at end-{r.year}."
    cis = (
        f"and {r.cis_rank} of {r.cis_n} CIS members with data"
        if r.cis_rank
        else "and is not a CIS member"
    )
    thesis = (
        " The thesis says about 30 bn barrels, 12th in the world and 2nd in the region after "
        "Russia (claims C04–C06)."
        if country == "KAZ"
        else " The thesis' reserve claims (C04–C06) are about Kazakhstan: see that report."
    )
    text = (
        f"{name} reports {_n(r.value, 1)} bn barrels of proved oil reserves at end-{r.year}; "
        f"it ranks {r.world_rank} of {r.world_n} countries in the world {cis}.{thesis}"
    )
    if r.cis_missing:
        text += (
            " CIS members without an oil-reserves row (the Review includes them in its "
            "Other CIS total, where their reserves are small): "
            f"{_and([E.label(m) for m in r.cis_missing])}."
        )
    return text


def reserves_section(series: pd.DataFrame, country: str, edition: str) -> Section:
    """Section 2: proved reserves of the region and the powers, and the country's ranks."""
    ids = [E.edition_source_id(edition)]
    name = E.label(country)
    elements: list[Any] = []
    entities = list(dict.fromkeys([country, "RUS", "CHN", "KAZ", "TKM", "UZB"]))
    try:
        reserves = E.reserves_table(series, edition, entities)
    except InsufficientDataError:
        reserves = None
    if reserves is not None:
        year = int(reserves["year"].iloc[0])
        elements.append(
            report.Table(
                reserves,
                {
                    "entity_code": Col(header="Country", kind="country"),
                    "oil_reserves_bn_bbl": Col(header="Oil (bn barrels)", decimals=1),
                    "gas_reserves_tcm": Col(header="Gas (trillion cubic metres)", decimals=2),
                },
                title=f"Proved oil and gas reserves at the end of {year}",
                missing_note="the edition publishes no reserves row for this country.",
                sources=series,
                source_ids=ids,
            )
        )
    rows, problems, oil = [], [], None
    for variable, unit, what, decimals in RANK_SERIES:
        try:
            r = E.country_rank(series, edition, variable, unit, country)
        except InsufficientDataError:
            problems.append(f"{what}: no {_VALUE_UNITS[unit]} series for {name} in this edition.")
            continue
        rows.append(
            {
                "series": what,
                "year": r.year,
                "value": "–"
                if r.value is None
                else f"{_n(r.value, decimals)} {_VALUE_UNITS[unit]}",
                "world": _rank_text(r.world_rank, r.world_n, r.world_complete),
                "cis": _rank_text(r.cis_rank, r.cis_n, r.cis_complete)
                if r.cis_rank
                else "not a CIS member",
            }
        )
        if variable == "oil_reserves":
            oil = r
    findings: tuple[tuple[str, Any], ...] = ()
    if rows:
        ranks = report.Table(
            pd.DataFrame(rows),
            {
                "series": Col(header="Series", kind="text"),
                "year": Col(header="Year", kind="year"),
                "value": Col(header="Value", kind="text"),
                "world": Col(header="World rank", kind="text"),
                "cis": Col(header="Rank in the CIS", kind="text"),
            },
            title=f"{_possessive(name)} rank among countries",
            notes=[
                "Ranks count countries only: regional totals, Other CIS and the World "
                "are excluded; the CIS includes its associate member Turkmenistan.",
                *problems,
            ],
            missing_note="the curated table keeps only the focus countries for this series "
            "(for example no Azerbaijan for gas reserves), so a rank would overstate the position.",
            sources=series,
            source_ids=ids,
        )
        elements.append(ranks)
        if oil is not None and oil.value is not None:
            elements.append(report.Note(rank_sentence(oil, country), label=""))
            cis = f", {oil.cis_rank} of {oil.cis_n} CIS members with data" if oil.cis_rank else ""
            findings = (
                (
                    f"{name} holds {_n(oil.value, 1)} bn barrels of proved oil reserves "
                    f"(end-{oil.year}): rank {oil.world_rank} of {oil.world_n} countries in "
                    f"the world{cis}.",
                    ranks,
                ),
            )
    else:
        elements.append(report.Note(f"No ranked series for {name} in the {edition} edition."))
    return Section(tuple(elements), findings)


# --------------------------------------------------------------------------------------
# 3. Pipeline gas
# --------------------------------------------------------------------------------------


def pipeline_subtitle(pairs: pd.DataFrame) -> str:
    """One sentence: the largest flow of the last matrix year and the largest change.

    Args:
        pairs: :func:`~kzanalysis.analysis.energy.pipeline_pairs` output.
    """
    known = pairs.dropna(subset=["flow_bcm"])
    if known.empty:
        return "No flow of the pairs shown is known in the bundled matrices."
    y0, y1 = int(known["year"].min()), int(known["year"].max())
    top = known[known["year"] == y1].sort_values(["flow_bcm", "pair"], ascending=[False, True])
    top = top.iloc[0]
    head = f"The largest flow in {y1} was {top['pair']}, {_n(top['flow_bcm'])} bcm"
    wide = known.pivot(index="pair", columns="year", values="flow_bcm")
    if y0 == y1 or y0 not in wide or y1 not in wide:
        return head + "."
    both = wide[[y0, y1]].dropna()
    if both.empty:
        return head + "."
    change = (both[y1] - both[y0]).abs().sort_index()
    moved = change.idxmax()
    a, b = both.loc[moved, y0], both.loc[moved, y1]
    if moved == top["pair"]:
        return (
            f"{head}, {_direction(a, b)} from {_n(a)} bcm in {y0}: the largest change of any "
            "pair shown."
        )
    return f"{head}; the largest change since {y0} was {moved}, {_n(a)} → {_n(b)} bcm."


def pipeline_heatmap_figure(pairs: pd.DataFrame, *, sources: Any = None) -> report.Figure:
    """Heat map of pipeline gas flows (rows: exporter → importer; columns: matrix years)."""
    import seaborn as sns

    plt = _plt()
    matrix = E.pair_matrix(pairs)
    fig, ax = plt.subplots(figsize=(9, 0.45 * len(matrix) + 1.8))
    sns.heatmap(
        matrix.astype(float),
        annot=True,
        fmt=".1f",
        cmap="Blues",
        cbar_kws={"label": "Flow (bcm per year)"},
        linewidths=0.5,
        ax=ax,
        mask=matrix.isna(),
    )
    ax.set_facecolor("#eeeeee")
    ax.grid(False)
    plotting.label_axes(
        ax,
        xlabel="Matrix year (each from its own edition)",
        ylabel="Pipeline (exporter → importer)",
        legend=False,
    )
    years = sorted(set(pairs["year"]))
    editions = pairs[["year", "edition"]].drop_duplicates().sort_values("year")
    by_edition = _and([f"{y} from the {e} edition" for y, e in editions.itertuples(index=False)])
    subtitle = pipeline_subtitle(pairs)
    unknown = int(pairs["flow_bcm"].isna().sum())
    alt = (
        f"Heat map of pipeline gas flows in bcm per year for {len(matrix)} exporter → importer "
        f"pairs (rows) in the matrix years {_and([str(y) for y in years])} (columns); darker "
        "cells carry more gas"
        + (f", {unknown} grey cells are pairs missing from that year's matrix" if unknown else "")
        + f". {subtitle}"
    )
    data = pairs[["pair", "year", "edition", "flow_bcm", "status"]]
    return report.Figure(
        fig,
        title="Pipeline gas between Central Asia, Russia and China",
        subtitle=subtitle,
        alt=alt,
        data=data,
        columns={
            "pair": "Pipeline (exporter → importer)",
            "year": "Year",
            "edition": "Edition",
            "flow_bcm": "Flow (bcm per year)",
            "status": "Cell in the matrix",
        },
        sources=sources,
        source_ids=_edition_ids(pairs),
        note=f"Matrix years: {by_edition}."
        + (" Grey: the pair is not in that year's matrix (flow unknown)." if unknown else ""),
    )


def china_shares_sentence(china_imports: pd.DataFrame) -> str:
    """One sentence: whose share of China's pipeline gas imports rose and fell most.

    Args:
        china_imports: :func:`~kzanalysis.analysis.energy.china_pipeline_imports` output.
    """
    if china_imports.empty:
        return "China's pipeline gas imports are not in the bundled matrices."
    y0, y1 = int(china_imports["year"].min()), int(china_imports["year"].max())
    wide = china_imports.pivot(index="exporter_code", columns="year", values="share_pct")
    if y0 == y1:
        top = wide[y1].idxmax()
        return f"{E.label(top)} supplied {_pct(wide.loc[top, y1], 1)} of them in {y1}."
    both = wide[[y0, y1]].dropna()
    change = (both[y1] - both[y0]).sort_index()
    parts = []
    up, down = change.idxmax(), change.idxmin()
    if change[up] > 0:
        parts.append(
            f"{_possessive(E.label(up))} share rose from {_pct(both.loc[up, y0], 1)} in {y0} "
            f"to {_pct(both.loc[up, y1], 1)} in {y1}"
        )
    if change[down] < 0:
        a, b = _pct(both.loc[down, y0], 1), _pct(both.loc[down, y1], 1)
        who = _possessive(E.label(down))
        parts.append(
            f"{who} fell from {a} to {b}"
            if parts
            else f"{who} share fell from {a} in {y0} to {b} in {y1}"
        )
    if not parts:
        return f"No origin's share changed between {y0} and {y1}."
    return "; ".join(parts) + "."


def _china_shares_table(china_imports: pd.DataFrame, *, sources: Any = None) -> report.Table:
    wide = china_imports.pivot(index="exporter_code", columns="year", values="share_pct")
    wide = wide.loc[wide.max(axis=1).sort_values(ascending=False, kind="stable").index]
    years = [int(y) for y in wide.columns]
    wide.columns = [f"share_{y}" for y in years]
    frame = wide.reset_index()
    columns: dict[str, Col | str] = {"exporter_code": Col(header="Origin", kind="country")}
    columns.update({f"share_{y}": Col(header=f"{y} (%)", decimals=1) for y in years})
    return report.Table(
        frame,
        columns,
        title="Shares of China's pipeline gas imports by origin",
        subtitle=china_shares_sentence(china_imports),
        notes=["Share of China's total pipeline gas imports in the year's matrix."],
        missing_note="the origin has no cell in that year's matrix.",
        sources=sources,
        source_ids=_edition_ids(china_imports),
    )


def contract_subtitle(progress: pd.DataFrame, contract_bcm: float) -> str:
    """One sentence: Russian pipeline gas to China, first and last year, share of the contract."""
    first, last = progress.iloc[0], progress.iloc[-1]
    return (
        f"Russian pipeline gas to China {_direction(first['flow_bcm'], last['flow_bcm'], *UP)} "
        f"from {_n(first['flow_bcm'])} bcm in {int(first['year'])} to {_n(last['flow_bcm'])} bcm "
        f"in {int(last['year'])}, {_pct(last['pct_of_contract'])} of the "
        f"{_n(contract_bcm, 0)} bcm a year contract plateau."
    )


def contract_figure(
    progress: pd.DataFrame,
    *,
    contract_bcm: float = E.POWER_OF_SIBERIA_CONTRACT_BCM,
    sources: Any = None,
) -> report.Figure:
    """Bars of Russia → China pipeline gas per matrix year against the contract plateau."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(9, 4.5))
    x = progress["year"].astype(int).astype(str)
    ax.bar(x, progress["flow_bcm"], color=plotting.colour("Russia"), label="Russia → China")
    ax.axhline(
        contract_bcm,
        color="#000000",
        ls="--",
        lw=1,
        label=f"contract plateau, {_n(contract_bcm, 0)} bcm a year",
    )
    for xi, v in zip(x, progress["flow_bcm"], strict=True):
        ax.text(xi, v + 0.5, _n(v), ha="center", fontsize=9)
    ax.set_ylim(0, 1.15 * max(contract_bcm, float(progress["flow_bcm"].max())))
    plotting.label_axes(ax, xlabel="Matrix year", ylabel="Pipeline gas (bcm per year)")
    subtitle = contract_subtitle(progress, contract_bcm)
    alt = (
        "Bar chart of Russia's pipeline gas exports to China in bcm per year for the matrix "
        f"years {_and(x.tolist())}, with a dashed line at the {_n(contract_bcm, 0)} bcm contract "
        f"plateau. {subtitle}"
    )
    return report.Figure(
        fig,
        title="Russia → China pipeline gas against the Power of Siberia contract",
        subtitle=subtitle,
        alt=alt,
        data=progress[["year", "edition", "flow_bcm", "pct_of_contract"]],
        columns={
            "year": "Year",
            "edition": "Edition",
            "flow_bcm": "Flow (bcm per year)",
            "pct_of_contract": "Share of the contract volume (%)",
        },
        sources=sources,
        source_ids=_edition_ids(progress),
        note="Contract: Gazprom–CNPC, May 2014, 38 bcm a year at plateau.",
    )


def _contract_table(progress: pd.DataFrame, *, sources: Any = None) -> report.Table:
    return report.Table(
        progress,
        {
            "year": Col(header="Year", kind="year"),
            "edition": Col(header="Edition", kind="text"),
            "flow_bcm": Col(header="Flow (bcm)", decimals=1),
            "pct_of_contract": Col(header="Share of the 38 bcm contract (%)", decimals=1),
            "years_since_previous": Col(header="Years since the previous matrix (years)"),
            "growth_pct_per_year": Col(header="Growth (% a year)", decimals=1),
        },
        title="Russia → China pipeline gas by matrix year",
        notes=["Growth between matrices more than one year apart is a compound annual rate."],
        missing_note="the first matrix has no earlier one to compare with.",
        sources=sources,
        source_ids=_edition_ids(progress),
    )


def _own_exports_sentences(pairs: pd.DataFrame, country: str) -> list[str]:
    own = pairs[pairs["exporter_code"] == country].dropna(subset=["flow_bcm"])
    if own.empty:
        return [f"{E.label(country)} exports no pipeline gas to the partners shown."]
    out = []
    for (_ex, _im), rows in own.groupby(["exporter_code", "importer_code"], sort=False):
        rows = rows.sort_values("year")
        values = ", ".join(
            f"{_n(v)} bcm ({y})" for y, v in zip(rows["year"], rows["flow_bcm"], strict=True)
        )
        out.append(f"{rows['pair'].iloc[0]}: {values}.")
    return out


def _country_pipeline_finding(
    pairs: pd.DataFrame, china_imports: pd.DataFrame, country: str
) -> str | None:
    """The country's pipeline gas to China, first and last matrix year, as a finding."""
    if country in ("RUS", "CHN"):
        return None
    name = E.label(country)
    own = pairs[(pairs["exporter_code"] == country) & (pairs["importer_code"] == "CHN")]
    own = own.dropna(subset=["flow_bcm"]).sort_values("year")
    if own.empty or (own["flow_bcm"] == 0).all():
        years = sorted(set(pairs["year"]))
        span = f"{years[0]}–{years[-1]}" if years else "the bundled years"
        return f"{name} sent no pipeline gas to China in the bundled matrices ({span})."
    first, last = own.iloc[0], own.iloc[-1]
    text = (
        f"{name} sent {_n(last['flow_bcm'])} bcm of pipeline gas to China in "
        f"{int(last['year'])}, {_direction(first['flow_bcm'], last['flow_bcm'])} from "
        f"{_n(first['flow_bcm'])} bcm in {int(first['year'])}"
    )
    share = china_imports[
        (china_imports["exporter_code"] == country) & (china_imports["year"] == last["year"])
    ]["share_pct"]
    if not share.empty and _finite(share.iloc[0]):
        text += f"; that is {_pct(share.iloc[0], 1)} of China's pipeline gas imports"
    return text + "."


def pipeline_section(gas_flows: pd.DataFrame, country: str) -> Section:
    """Section 3: pipeline gas flows, China's imports by origin, Russia → China vs contract."""
    pairs = E.pipeline_pairs(gas_flows)
    china_imports = E.china_pipeline_imports(gas_flows)
    heatmap = pipeline_heatmap_figure(pairs, sources=gas_flows)
    elements: list[Any] = [heatmap]
    findings: list[tuple[str, Any]] = []
    own = _country_pipeline_finding(pairs, china_imports, country)
    if own:
        findings.append((own, heatmap))
    sentences = []
    if not china_imports.empty:
        elements.append(_china_shares_table(china_imports, sources=gas_flows))
        totals = gas_flows[
            (gas_flows["importer_code"] == "CHN") & (gas_flows["exporter_code"] == "TOTAL")
        ].sort_values("year")
        if len(totals) >= 2:
            t0, t1 = totals.iloc[0], totals.iloc[-1]
            sentences.append(
                f"China's pipeline gas imports {_direction(t0['flow_bcm'], t1['flow_bcm'], *GREW)} "
                f"from {_n(t0['flow_bcm'])} bcm in {int(t0['year'])} to {_n(t1['flow_bcm'])} "
                f"bcm in {int(t1['year'])}."
            )
    sentences += _own_exports_sentences(pairs, country)
    elements.append(report.Note(" ".join(sentences), label=""))
    progress = E.contract_progress(pairs)
    if progress.empty:
        elements.append(report.Note("No Russia → China flow is known in the bundled matrices."))
        return Section(tuple(elements), tuple(findings))
    figure = contract_figure(progress, sources=gas_flows)
    elements += [figure, _contract_table(progress, sources=gas_flows)]
    first, last = progress.iloc[0], progress.iloc[-1]
    thesis = []
    if len(progress) >= 2:
        rate = E.cagr(first["flow_bcm"], last["flow_bcm"], last["year"] - first["year"])
        thesis.append(
            f"Russian pipeline gas to China grew {_pct(rate)} a year on average from "
            f"{int(first['year'])} to {int(last['year'])}, reaching "
            f"{_pct(last['pct_of_contract'])} of the 38 bcm a year Power of Siberia contract "
            "volume. The thesis expected 38 bcm by 2025 (claim C14)."
        )
    y2021 = progress[progress["year"] == 2021]
    if not y2021.empty:
        thesis.append(
            f"For 2021 the thesis quotes 16.5 bcm (claim C13); the Review's matrix shows "
            f"{_n(y2021['flow_bcm'].iloc[0])} bcm ({y2021['edition'].iloc[0]} edition)."
        )
    if thesis:
        elements.append(report.Note(" ".join(thesis), label=""))
    russia = (
        f"Russia's pipeline gas to China reached {_n(last['flow_bcm'])} bcm in "
        f"{int(last['year'])}, {_pct(last['pct_of_contract'])} of the 38 bcm a year Power of "
        "Siberia contract"
    )
    shares = china_imports[china_imports["exporter_code"] == "RUS"].sort_values("year")
    if len(shares) >= 2:
        russia += (
            f"; Russia's share of China's pipeline gas imports went from "
            f"{_pct(shares['share_pct'].iloc[0], 1)} in {int(shares['year'].iloc[0])} to "
            f"{_pct(shares['share_pct'].iloc[-1], 1)}"
        )
    findings.append((russia + ".", figure))
    return Section(tuple(elements), tuple(findings))


# --------------------------------------------------------------------------------------
# 4. Crude oil routes
# --------------------------------------------------------------------------------------


def crude_subtitle(evc: pd.DataFrame, area_name: str) -> str:
    """One sentence: Europe's and China's shares of an area's crude exports, first/last year.

    Args:
        evc: :func:`~kzanalysis.analysis.energy.europe_vs_china` output.
        area_name: Reader name of the exporting area ("Other CIS").
    """
    a, b = evc.iloc[0], evc.iloc[-1]
    y0, y1 = int(a["year"]), int(b["year"])
    if y0 == y1:
        return (
            f"Europe took {_pct(b['europe_share_pct'])} of the crude exports of {area_name} in "
            f"{y1} and China {_pct(b['china_share_pct'])}."
        )
    return (
        f"Europe took {_pct(b['europe_share_pct'])} of the crude exports of {area_name} in {y1} "
        f"({_pct(a['europe_share_pct'])} in {y0}) and China {_pct(b['china_share_pct'])} "
        f"({_pct(a['china_share_pct'])} in {y0})."
    )


def crude_regions_figure(
    by_region: pd.DataFrame,
    area_name: str,
    subtitle: str,
    *,
    sources: Any = None,
    source_ids: Iterable[str] | None = None,
) -> report.Figure:
    """Stacked bars of an area's crude exports by destination region (regions with flows).

    Args:
        by_region: :func:`~kzanalysis.analysis.energy.crude_by_region` output.
        area_name: Reader name of the exporting area.
        subtitle: The sentence from :func:`crude_subtitle`.
        sources: The loaded ``energy_crude_interarea_flows``.
        source_ids: The editions of the matrices shown.
    """
    import numpy as np

    plt = _plt()
    regions = [
        c.removesuffix(" (Mt)")
        for c in by_region.columns
        if c.endswith("(Mt)") and (by_region[c] > 0).any()
    ]
    fig, ax = plt.subplots(figsize=(9, 4.5))
    x = by_region.index.astype(int).astype(str)
    bottom = np.zeros(len(by_region))
    for region in regions:
        values = by_region[f"{region} (Mt)"].to_numpy(float)
        colour = REGION_COLOURS.get(region, plotting.UNKNOWN_COLOUR)
        ax.bar(x, values, bottom=bottom, label=region, color=colour)
        bottom += values
    plotting.label_axes(
        ax,
        xlabel="Matrix year",
        ylabel="Crude oil exports (Mt per year)",
        legend={"frameon": False, "fontsize": 8, "loc": "upper left", "bbox_to_anchor": (1, 1)},
    )
    long = (
        by_region[[f"{r} (Mt)" for r in regions]]
        .rename(columns=lambda c: c.removesuffix(" (Mt)"))
        .rename_axis("year")
        .reset_index()
        .melt(id_vars="year", var_name="region", value_name="flow_mt")
    )
    alt = (
        f"Stacked bar chart of the crude oil exports of {area_name} in Mt per year by "
        f"destination ({_and(regions)}) for the matrix years {_and(x.tolist())}. {subtitle}"
    )
    return report.Figure(
        fig,
        title=f"Crude oil exports of {area_name} by destination",
        subtitle=subtitle,
        alt=alt,
        data=long,
        columns={"year": "Year", "region": "Destination", "flow_mt": "Crude oil (Mt per year)"},
        sources=sources,
        source_ids=source_ids,
    )


def _crude_into_section(crude: pd.DataFrame, country: str) -> Section:
    """China (an importer in the matrix): its crude imports by origin in the last year."""
    name = E.label(country)
    into = E.crude_into(crude, country)
    if into.empty:
        text = f"{name} is neither an exporter nor an importer in the crude matrix."
        return Section((report.Note(text),), ())
    last = into[into["year"] == into["year"].max()].head(10)
    table = report.Table(
        last,
        {
            "exporter": Col(header="Origin", kind="text"),
            "flow_mt": Col(header="Crude oil (Mt)", decimals=1),
            "share_pct": Col(header="Share of imports (%)", decimals=1),
            "edition": Col(header="Edition", kind="text"),
        },
        title=f"{_possessive(name)} crude oil imports by origin in {int(last['year'].iloc[0])}",
        sources=crude,
        source_ids=_edition_ids(last),
    )
    ru = into[into["exporter_code"] == "RUS"].sort_values("year")
    text = f"{name} is not a crude exporter in the matrix; its crude imports are shown instead."
    findings: tuple[tuple[str, Any], ...] = ()
    if not ru.empty:
        shares = ", ".join(
            f"{_pct(v, 1)} ({int(y)})" for y, v in zip(ru["year"], ru["share_pct"], strict=True)
        )
        text += f" Russia's share of them: {shares}."
        findings = (
            (
                f"Russia supplied {_pct(ru['share_pct'].iloc[-1], 1)} of {_possessive(name)} "
                f"crude oil imports in {int(ru['year'].iloc[-1])}.",
                table,
            ),
        )
    return Section((report.Note(text, label=""), table), findings)


def crude_section(crude: pd.DataFrame, country: str) -> Section:
    """Section 4: where the crude of the country's area goes (Europe or China)."""
    area = E.CRUDE_EXPORTER.get(country)
    if area is None:
        return _crude_into_section(crude, country)
    name, area_name = E.label(country), E.label(area)
    elements: list[Any] = []
    if area != country:
        elements.append(
            report.Note(
                f"{_possessive(name)} crude is reported inside the area {area_name} (with "
                "Azerbaijan and the other non-Russian CIS producers); the figures below are for "
                "that area.",
                label="",
            )
        )
    try:
        dest = E.crude_destinations(crude, area)
    except InsufficientDataError:
        text = f"The crude matrix has no exports of {area_name}."
        return Section((*elements, report.Note(text)), ((text, None),))
    ids = _edition_ids(dest)
    by_region = E.crude_by_region(dest)
    evc = E.europe_vs_china(dest)
    subtitle = crude_subtitle(evc, area_name)
    figure = crude_regions_figure(by_region, area_name, subtitle, sources=crude, source_ids=ids)
    editions = dest[["year", "edition"]].drop_duplicates()
    table_rows = evc.merge(editions, on="year", how="left")
    table = report.Table(
        table_rows,
        {
            "year": Col(header="Year", kind="year"),
            "edition": Col(header="Edition", kind="text"),
            "europe_mt": Col(header="Europe (Mt)", decimals=1),
            "china_mt": Col(header="China (Mt)", decimals=1),
            "total_mt": Col(header="All destinations (Mt)", decimals=1),
            "europe_share_pct": Col(header="Europe (% of all)", decimals=1),
            "china_share_pct": Col(header="China (% of all)", decimals=1),
            "europe_to_china_ratio": Col(header="Europe ÷ China (times)", decimals=1),
        },
        title=f"Crude oil exports of {area_name}: Europe against China",
        missing_note="China took no crude from the area that year.",
        sources=crude,
        source_ids=ids,
    )
    elements += [figure, table]
    a, b = evc.iloc[0], evc.iloc[-1]
    sentences = []
    if area == "CIS_OTHER":
        kcop = E.kbd_to_mt_per_year(400)
        sentences += [
            "The thesis puts the Kazakhstan–China oil pipeline at 400,000 barrels a day "
            f"(claim C15), about {_n(kcop)} Mt a year at the Review's 7.33 barrels per tonne; "
            f"the whole Other CIS area sent {_n(evc['china_mt'].min())}–"
            f"{_n(evc['china_mt'].max())} Mt of crude to China a year in "
            f"{int(a['year'])}–{int(b['year'])}. 400 kb/d is a capacity, not a flow: the "
            "pipeline's Kazakh crude runs far below it (part of the capacity serves Russian "
            "transit crude, counted under Russia).",
            "The thesis' \u201cabout 85 % of Kazakh oil transits Russia\u201d (claim C19) cannot "
            "be tested exactly with area data: the European share of the whole area "
            f"({_pct(b['europe_share_pct'])} in {int(b['year'])}) is an upper bound that "
            "includes Azerbaijan's crude via Türkiye.",
        ]
    if sentences:
        elements.append(report.Note(" ".join(sentences), label=""))
    finding = (
        f"Europe took {_pct(b['europe_share_pct'])} of the crude oil exports of "
        f"{'the ' + area_name + ' area' if area != country else area_name} in "
        f"{int(b['year'])} and China {_pct(b['china_share_pct'])}"
    )
    ratio = b["europe_to_china_ratio"]
    if _finite(ratio) and ratio >= 1.5:
        finding += f": Europe received {_n(ratio, 0)} times as much as China"
    elif _finite(ratio) and ratio > 0 and 1 / ratio >= 1.5:
        finding += f": China received {_n(1 / ratio, 0)} times as much as Europe"
    return Section(tuple(elements), ((finding + ".", figure),))


# --------------------------------------------------------------------------------------
# 5. Exports to China in money
# --------------------------------------------------------------------------------------


def growth_sentence(row: pd.Series) -> str:
    """A :func:`~kzanalysis.analysis.energy.growth_table` row in words."""
    name = PRODUCT_NAMES.get(row["product_code"], f"HS {row['product_code']}")
    return (
        f"{name}: US$ {_n(row['first_usd_mn'], 0)} mn in {int(row['first_year'])} → "
        f"US$ {_n(row['last_usd_mn'], 0)} mn in {int(row['last_year'])}, a compound annual "
        f"growth rate of {_pct(row['cagr_pct'], 1)}."
    )


def money_sentence(growth: pd.DataFrame, partner: str = "") -> str:
    """One sentence: each HS line's export value, first and last year, and its growth rate.

    Args:
        growth: :func:`~kzanalysis.analysis.energy.growth_table` output.
        partner: Words after "exports" (" to China"), if the context does not say it.
    """
    parts = []
    for row in growth.itertuples():
        what = PRODUCT_WORDS.get(row.product_code, "HS line")
        verb = "grew" if row.cagr_pct > 0 else "fell" if row.cagr_pct < 0 else "stayed"
        parts.append(
            f"{what} exports{partner} (HS {row.product_code}) {verb} from US$ "
            f"{_n(row.first_usd_mn, 0)} mn in {row.first_year} to US$ {_n(row.last_usd_mn, 0)} "
            f"mn in {row.last_year} ({_pct(row.cagr_pct, 1)} a year)"
        )
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "." if text else "Too few years for a growth rate."


def exports_brent_figure(
    money: pd.DataFrame,
    brent: pd.DataFrame,
    country: str,
    subtitle: str,
    *,
    sources: Any = None,
) -> report.Figure:
    """HS lines' export values to China (bars, left axis) and the Brent price (line, right).

    Args:
        money: :func:`~kzanalysis.analysis.energy.hs_exports` output (partner China).
        brent: ``brent_annual`` as loaded.
        country: Reporter ISO3 code.
        subtitle: One sentence computed from ``money`` (growth of each line).
        sources: The loaded product and Brent tables.
    """
    plt = _plt()
    wide = money.pivot(index="year", columns="product_code", values="value_usd_mn")
    codes = list(wide.columns)
    fig, ax = plt.subplots(figsize=(9, 4.5))
    width = 0.8 / max(len(codes), 1)
    for i, code in enumerate(codes):
        ax.bar(
            wide.index + (i - (len(codes) - 1) / 2) * width,
            wide[code],
            width=width,
            color=PRODUCT_COLOURS.get(code, plotting.SECONDARY_COLORS[i % 5]),
            label=PRODUCT_NAMES.get(code, f"HS {code}"),
        )
    incomplete = sorted(set(money.loc[money["incomplete_year"].fillna(False).astype(bool), "year"]))
    for y in incomplete:
        ax.axvspan(y - 0.5, y + 0.5, color="#e4e4e4", lw=0, zorder=0)
    ax2 = ax.twinx()
    b = brent[brent["year"].between(wide.index.min(), wide.index.max())].sort_values("year")
    ax2.plot(b["year"], b["brent_usd_per_bbl"], color="#000000", marker="o", label="Brent price")
    ax2.set_ylabel("Brent (US$ per barrel)")
    ax2.grid(False)
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    ax.legend(h1 + h2, l1 + l2, frameon=False, loc="upper left")
    plotting.label_axes(ax, xlabel="Year", ylabel="Exports to China (US$ mn)", legend=False)
    data = wide.rename(columns=lambda c: f"value_{c}").reset_index()
    data = data.merge(b[["year", "brent_usd_per_bbl"]], on="year", how="left")
    data["incomplete_year"] = data["year"].isin(incomplete)
    columns: dict[str, Col | str] = {"year": "Year"}
    columns.update(
        {f"value_{c}": f"{PRODUCT_NAMES.get(c, 'HS ' + c)} to China (US$ mn)" for c in codes}
    )
    columns.update(
        {"brent_usd_per_bbl": "Brent (US$ per barrel)", "incomplete_year": "Incomplete year"}
    )
    y0, y1 = int(wide.index.min()), int(wide.index.max())
    alt = (
        f"Bar chart of {_possessive(E.label(country))} exports to China in US$ mn per year, "
        f"{_span(y0, y1)}, for {_and([PRODUCT_NAMES.get(c, 'HS ' + c) for c in codes])}, with the "
        "Brent price in US$ per barrel as a line on a second axis"
        + (
            f"; grey bands mark the incomplete years {_and([str(y) for y in incomplete])}"
            if incomplete
            else ""
        )
        + f". {subtitle}"
    )
    return report.Figure(
        fig,
        title=f"{_possessive(E.label(country))} energy exports to China and the Brent price",
        subtitle=subtitle,
        alt=alt,
        data=data,
        columns=columns,
        sources=sources,
        note="Grey bands: incomplete years in the product source." if incomplete else "",
    )


def _exports_table(
    money: pd.DataFrame, share: pd.DataFrame, brent: pd.DataFrame, country: str, *, sources: Any
) -> report.Table:
    wide = money.pivot(index="year", columns="product_code", values="value_usd_mn")
    codes = list(wide.columns)
    wide.columns = [f"value_{c}" for c in codes]
    shares = share.pivot(index="year", columns="product_code", values="china_share_pct")
    shares.columns = [f"share_{c}" for c in shares.columns]
    frame = wide.join(shares).join(brent.set_index("year")["brent_usd_per_bbl"])
    frame["incomplete_year"] = money.groupby("year")["incomplete_year"].first().astype(bool)
    columns: dict[str, Col | str] = {"year": Col(header="Year", kind="year")}
    for c in codes:
        what = PRODUCT_WORDS.get(c, "HS " + c)
        columns[f"value_{c}"] = Col(header=f"{what.capitalize()}, HS {c} (US$ mn)")
    for c in codes:
        if f"share_{c}" in frame:
            what = PRODUCT_WORDS.get(c, f"HS {c}")
            columns[f"share_{c}"] = Col(header=f"China's share of {what} exports (%)")
    columns["brent_usd_per_bbl"] = Col(header="Brent (US$ per barrel)")
    columns["incomplete_year"] = Col(header="Incomplete year", kind="bool")
    return report.Table(
        frame.reset_index(),
        columns,
        title=f"{_possessive(E.label(country))} energy exports to China by year",
        notes=[
            "Incomplete years: the two energy lines are present, but other lines are "
            "missing in the source, so values are usable and totals are not."
        ],
        missing_note="the line is not in that year's data.",
        sources=sources,
    )


def _elasticity_rows(
    money: pd.DataFrame, brent: pd.DataFrame
) -> tuple[list[dict[str, Any]], list[str]]:
    incomplete = sorted(set(money.loc[money["incomplete_year"].fillna(False).astype(bool), "year"]))
    rows, sentences = [], []
    by_code: dict[str, list[E.Elasticity]] = {}
    for code in E.HS_PRODUCTS:
        for sample, excluded in (("all years", ()), ("without incomplete years", incomplete)):
            if sample != "all years" and not excluded:
                continue
            try:
                e = E.brent_elasticity(money, brent, code, exclude_years=excluded)
            except InsufficientDataError:
                sentences.append(
                    f"HS {code}, {sample}: too few years with a value for a regression "
                    "(at least 4 are needed)."
                )
                continue
            by_code.setdefault(code, []).append(e)
            rows.append(
                {
                    "product": PRODUCT_NAMES.get(code, f"HS {code}"),
                    "sample": sample,
                    "n": e.nobs,
                    "elasticity": e.elasticity,
                    "ci_low": e.ci_low,
                    "ci_high": e.ci_high,
                    "p_value": e.p_value,
                    "r_squared": e.r_squared,
                }
            )
            if sample == "all years":
                sentences.append(E.describe_elasticity(e))
    for code, (a, *rest) in by_code.items():
        for b in rest:
            sentences.append(
                f"HS {code}: leaving out the incomplete years "
                f"{_and([str(y) for y in b.excluded_years])} moves the elasticity from "
                f"{_n(a.elasticity, 2)} to {_n(b.elasticity, 2)} (95 % CI {_n(b.ci_low, 2)} to "
                f"{_n(b.ci_high, 2)}, n = {b.nobs}): with so few years the estimate depends on "
                "which years are kept."
            )
    return rows, sentences


def money_section(products: pd.DataFrame, brent: pd.DataFrame, country: str) -> Section:
    """Section 5: the value of crude (HS 2709) and gas (HS 2711) exports to China."""
    name = E.label(country)
    if not E.has_product_data(products, country):
        text = (
            f"Section skipped for {name}: the project's product-level trade table covers only "
            "Kazakhstan's reported trade, so the value of energy exports to China cannot be shown."
        )
        return Section((report.Note(text),), ())
    money = E.hs_exports(products, country, "CHN")
    if money["value_usd_mn"].isna().all():
        text = f"{name} reports no crude oil or gas exports to China in the product table."
        return Section((report.Note(text),), ())
    share = E.china_share_of_exports(products, country)
    growth = E.growth_table(money)
    subtitle = money_sentence(growth)
    sources = [products, brent]
    figure = exports_brent_figure(money, brent, country, subtitle, sources=sources)
    table = _exports_table(money, share, brent, country, sources=sources)
    elements: list[Any] = [table, figure]
    if not growth.empty:
        elements.append(
            report.Table(
                growth.assign(
                    product=growth["product_code"].map(lambda c: PRODUCT_NAMES.get(c, f"HS {c}"))
                ),
                {
                    "product": Col(header="Product", kind="text"),
                    "first_year": Col(header="First year", kind="year"),
                    "first_usd_mn": Col(header="First value (US$ mn)"),
                    "last_year": Col(header="Last year", kind="year"),
                    "last_usd_mn": Col(header="Last value (US$ mn)"),
                    "cagr_pct": Col(header="Growth (% a year)"),
                    "years_with_data": Col(header="Years with data (years)"),
                },
                title=f"Growth of {_possessive(name)} energy exports to China",
                notes=["Growth: compound annual growth rate between the first and the last year."],
                sources=products,
            )
        )
    sentences = [growth_sentence(r) for _, r in growth.iterrows()]
    gas2020 = money[(money["product_code"] == "2711") & (money["year"] == 2020)]["value_usd_mn"]
    if country == "KAZ" and not gas2020.dropna().empty:
        sentences.append(
            "The thesis quotes US$ 1.45 bn of gas exports to China in 2020 (claim C10); the "
            f"product line shows US$ {_n(gas2020.iloc[0], 0)} mn. Its 2014 starting value "
            "(US$ 206 mn) is before the table's coverage."
        )
    crude_ch = money[money["product_code"] == "2709"].dropna(subset=["value_usd_mn"])
    crude_ch = crude_ch.set_index("year")["value_usd_mn"]
    if country == "KAZ" and not crude_ch.empty:
        near = int((crude_ch - 1190).abs().idxmin())
        sentences.append(
            f"For crude (claim C11, \u201crebounded to US$ 1.19 bn\u201d) the closest year is "
            f"{near} with US$ {_n(crude_ch.loc[near], 0)} mn; the series later peaked at "
            f"US$ {_n(crude_ch.max(), 0)} mn in {int(crude_ch.idxmax())}."
        )
    if sentences:
        elements.append(report.Note(" ".join(sentences), label=""))
    rows, about = _elasticity_rows(money, brent)
    if rows:
        elements.append(
            report.Table(
                pd.DataFrame(rows),
                {
                    "product": Col(header="Product", kind="text"),
                    "sample": Col(header="Years used", kind="text"),
                    "n": Col(header="Observations (years)"),
                    "elasticity": Col(header="Elasticity (% per 1 % Brent)", decimals=2),
                    "ci_low": Col(header="95 % CI, low (% per 1 % Brent)", decimals=2),
                    "ci_high": Col(header="95 % CI, high (% per 1 % Brent)", decimals=2),
                    "p_value": Col(header="p-value (HAC)", decimals=3),
                    "r_squared": Col(header="R² (share of variance)", decimals=2),
                },
                title=f"Elasticity of {_possessive(name)} export value to the Brent price",
                notes=[
                    "Log-log regression of the export value on the Brent price, OLS with "
                    "Newey–West (HAC) standard errors; an association, not a causal estimate."
                ],
                sources=sources,
            )
        )
    if about:
        elements.append(report.Note(" ".join(about), label=""))
    findings: tuple[tuple[str, Any], ...] = ()
    if not growth.empty:
        sentence = money_sentence(growth, " to China")
        findings = ((f"{_possessive(name)} {sentence[0].lower()}{sentence[1:]}", figure),)
    return Section(tuple(elements), findings)


# --------------------------------------------------------------------------------------
# 6. Edition revisions
# --------------------------------------------------------------------------------------


def _largest_revision(revisions: pd.DataFrame) -> tuple[int, float, float, str, str]:
    """``(year, spread, spread_pct, edition of the lowest value, edition of the highest)``."""
    year = int(revisions["spread_pct"].idxmax())
    editions = revisions.loc[year, [c for c in revisions.columns if c.startswith("ed_")]]
    editions = editions.dropna()
    low, high = str(editions.idxmin()), str(editions.idxmax())
    return (
        year,
        float(revisions.loc[year, "spread"]),
        float(revisions.loc[year, "spread_pct"]),
        low.removeprefix("ed_"),
        high.removeprefix("ed_"),
    )


def revisions_subtitle(revisions: pd.DataFrame, unit: str) -> str:
    """One sentence: the largest difference between editions and its year.

    Args:
        revisions: :func:`~kzanalysis.analysis.energy.edition_revisions` output.
        unit: Unit code of the series.
    """
    year, spread, pct, low, high = _largest_revision(revisions)
    if spread == 0:
        return "Every edition publishes the same values for these years."
    return (
        f"The editions differ most for {year}: by {_n(spread, 2)} {E.UNIT_LABELS[unit]} "
        f"({_pct(pct, 1)} of the latest edition's value), the {low} edition lowest and the "
        f"{high} edition highest."
    )


def revisions_figure(
    revisions: pd.DataFrame,
    country: str,
    what: str,
    unit: str,
    *,
    sources: Any = None,
) -> report.Figure:
    """One line per edition for a series that later editions revised."""
    plt = _plt()
    ul = E.UNIT_LABELS[unit]
    editions = [c for c in revisions.columns if c.startswith("ed_")]
    fig, ax = plt.subplots(figsize=(9, 4.5))
    colours = plotting.SECONDARY_COLORS
    for i, c in enumerate(editions):
        # earlier editions drawn wider underneath: editions that agree stay visible
        wide = len(editions) - 1 - i
        ax.plot(
            revisions.index,
            revisions[c],
            marker="o",
            ms=3 + 1.5 * wide,
            lw=1.2 + 1.5 * wide,
            color=colours[i % len(colours)],
            label=f"{c.removeprefix('ed_')} edition",
        )
    plotting.label_axes(ax, xlabel="Year", ylabel=f"{what.capitalize()} ({ul})")
    long = (
        revisions[editions]
        .rename(columns=lambda c: c.removeprefix("ed_"))
        .reset_index()
        .melt(id_vars="year", var_name="edition", value_name="value")
        .dropna(subset=["value"])
    )
    subtitle = revisions_subtitle(revisions, unit)
    y0, y1 = int(revisions.index.min()), int(revisions.index.max())
    alt = (
        f"Line chart of {_possessive(E.label(country))} {what} in {ul}, {_span(y0, y1)}, one "
        f"line per Statistical Review edition ({_and([c.removeprefix('ed_') for c in editions])}). "
        f"{subtitle}"
    )
    return report.Figure(
        fig,
        title=f"{_possessive(E.label(country))} {what} as published by each edition",
        subtitle=subtitle,
        alt=alt,
        data=long,
        columns={"year": "Year", "edition": "Edition", "value": f"{what.capitalize()} ({ul})"},
        sources=sources,
        source_ids=[E.edition_source_id(c.removeprefix("ed_")) for c in editions],
        note="Earlier editions are drawn wider, so editions that agree show as nested lines.",
    )


def revisions_section(
    series: pd.DataFrame, country: str, start_year: int, end_year: int
) -> Section:
    """Section 6: one series as published by each edition (2010–2021 within the years asked)."""
    name = E.label(country)
    years = range(max(start_year, 2010), min(end_year, 2021) + 1)
    if not len(years):
        text = (
            f"The years asked ({start_year}–{end_year}) do not overlap 2010–2021, the years "
            "every bundled edition can revise."
        )
        return Section((report.Note(text),), ())
    elements: list[Any] = []
    sentences: list[str] = []
    findings: list[tuple[str, Any]] = []
    for variable, unit, what in (
        ("gas_production", "bcm", "gas production"),
        ("oil_production", "kbd", "oil production"),
    ):
        ul = E.UNIT_LABELS[unit]
        try:
            rev = E.edition_revisions(series, variable, unit, country, years)
        except InsufficientDataError:
            sentences.append(f"No {what} ({ul}) for {name} in any edition.")
            continue
        editions = [c for c in rev.columns if c.startswith("ed_")]
        columns: dict[str, Col | str] = {"year": Col(header="Year", kind="year")}
        columns.update(
            {c: Col(header=f"{c.removeprefix('ed_')} edition ({ul})", decimals=2) for c in editions}
        )
        columns["spread"] = Col(header=f"Spread ({ul})", decimals=2)
        columns["spread_pct"] = Col(header="Spread (% of the latest edition)", decimals=1)
        table = report.Table(
            rev.reset_index(),
            columns,
            title=f"{_possessive(name)} {what} by edition",
            notes=["Spread: the largest minus the smallest value across editions."],
            missing_note="the edition ends before that year (each edition's data end the "
            "year before it was published).",
            sources=series,
            source_ids=[E.edition_source_id(c.removeprefix("ed_")) for c in editions],
        )
        year, spread, pct, low, high = _largest_revision(rev)
        sentences.append(
            f"Largest revision of {_possessive(name)} {what}: {year}, where the editions differ "
            f"by {_n(spread, 2)} {ul} ({_pct(pct, 1)} of the latest edition's value)."
        )
        if variable == "gas_production":
            figure = revisions_figure(rev, country, what, unit, sources=series)
            elements += [figure, table]
            if spread > 0:
                findings.append(
                    (
                        f"Editions revise history: {_possessive(name)} {what} for {year} "
                        f"differs by {_n(spread, 2)} {ul} ({_pct(pct, 1)}) from one edition to "
                        f"another (lowest in the {low}, highest in the {high} edition).",
                        figure,
                    )
                )
        else:
            elements.append(table)
    elements.append(report.Note(" ".join(sentences), label=""))
    return Section(tuple(elements), tuple(findings))


# --------------------------------------------------------------------------------------
# 7. China's coal
# --------------------------------------------------------------------------------------


def coal_subtitle(shares: pd.DataFrame, measure: str) -> str:
    """One sentence: coal's share of China's primary energy, first and last year, and the
    last year at or above the thesis' 72 %."""
    rows = shares.dropna(subset=["coal_share_primary_pct"]).sort_values("year")
    if rows.empty:
        return f"No year has both coal consumption and {measure}."
    a, b = rows.iloc[0], rows.iloc[-1]
    held = E.last_year_at_or_above(rows, "coal_share_primary_pct", THESIS_COAL_SHARE_PCT)
    held_text = (
        f"it was last at or above {_pct(THESIS_COAL_SHARE_PCT)} in {held}"
        if held is not None
        else f"it was never at or above {_pct(THESIS_COAL_SHARE_PCT)} in the series"
    )
    verb = _direction(a["coal_share_primary_pct"], b["coal_share_primary_pct"], "rose", "fell")
    return (
        f"Coal's share of China's {measure} {verb} from {_pct(a['coal_share_primary_pct'], 1)} in "
        f"{int(a['year'])} to {_pct(b['coal_share_primary_pct'], 1)} in {int(b['year'])}; "
        f"{held_text}."
    )


def _coal_figure(
    shares: pd.DataFrame, measure: str, *, sources: Any, source_ids: list[str]
) -> report.Figure:
    plt = _plt()
    fig, ax = plt.subplots(figsize=(9, 4.5))
    china = plotting.colour("China")
    ax.plot(
        shares["year"], shares["coal_share_primary_pct"], color=china, label=f"share of {measure}"
    )
    ax.plot(
        shares["year"],
        shares["coal_share_electricity_pct"],
        color=china,
        ls="--",
        label="share of electricity generation",
    )
    ax.axhline(THESIS_COAL_SHARE_PCT, color="#000000", lw=1, ls=":", label="72 % (the thesis)")
    plotting.label_axes(ax, xlabel="Year", ylabel="Coal share (%)")
    subtitle = coal_subtitle(shares, measure)
    y0, y1 = int(shares["year"].min()), int(shares["year"].max())
    alt = (
        f"Line chart of coal's share of China's {measure} (solid) and of its electricity "
        f"generation (dashed), in percent, {_span(y0, y1)}, with a dotted line at the thesis' "
        f"72 %. {subtitle}"
    )
    return report.Figure(
        fig,
        title="China: coal's share of energy and of electricity",
        subtitle=subtitle,
        alt=alt,
        data=shares[["year", "coal_share_primary_pct", "coal_share_electricity_pct"]],
        columns={
            "year": "Year",
            "coal_share_primary_pct": f"Coal share of {measure} (%)",
            "coal_share_electricity_pct": "Coal share of electricity generation (%)",
        },
        sources=sources,
        source_ids=source_ids,
    )


def coal_section(series: pd.DataFrame, edition: str, end_year: int) -> Section:
    """Section 7: coal's share of China's energy and electricity (chosen and 2022 edition)."""
    rows, main = [], None
    for ed in dict.fromkeys([edition, "2022"]):
        shares = E.coal_shares(series, ed, "CHN")
        measure = E.primary_measure(ed)[1]
        known = shares.dropna(subset=["coal_share_primary_pct"])
        if known.empty:
            continue
        last = known.iloc[-1]
        rows.append(
            {
                "edition": ed,
                "measure": measure,
                "last_year": int(last["year"]),
                "coal_share_primary_pct": last["coal_share_primary_pct"],
                "coal_share_electricity_pct": last["coal_share_electricity_pct"],
                "held_primary": E.last_year_at_or_above(shares, "coal_share_primary_pct", 72),
                "held_electricity": E.last_year_at_or_above(
                    shares, "coal_share_electricity_pct", 72
                ),
            }
        )
        if ed == edition:
            main = (shares, measure)
    if not rows:
        text = "No edition has both China's coal consumption and its primary energy."
        return Section((report.Note(text),), ())
    mix = pd.DataFrame(rows)
    for c in ("held_primary", "held_electricity"):
        mix[c] = pd.array(mix[c], dtype="Int64")
    table = report.Table(
        mix,
        {
            "edition": Col(header="Edition", kind="text"),
            "measure": Col(header="Measure of primary energy", kind="text"),
            "last_year": Col(header="Year", kind="year"),
            "coal_share_primary_pct": Col(header="Coal share of primary energy (%)"),
            "coal_share_electricity_pct": Col(header="Coal share of electricity (%)"),
            "held_primary": Col(header="Last year at or above 72 %, primary energy", kind="year"),
            "held_electricity": Col(header="Last year at or above 72 %, electricity", kind="year"),
        },
        title="Coal's share of China's energy by edition",
        missing_note="the share never reached 72 % in that edition's series.",
        sources=series,
        source_ids=[E.edition_source_id(r["edition"]) for r in rows],
    )
    elements: list[Any] = [table]
    m = rows[0]

    def held(year: int | None) -> str:
        return f"last in {year}" if year is not None else "in no year of the series"

    sentences = [
        f"In the {m['edition']} edition coal was {_pct(m['coal_share_primary_pct'], 1)} of "
        f"China's {m['measure']} and {_pct(m['coal_share_electricity_pct'], 1)} of its "
        f"electricity generation in {m['last_year']}. Coal's share of primary energy was at or "
        f"above the thesis' 72 % {held(m['held_primary'])}; its share of electricity "
        f"{held(m['held_electricity'])}."
    ]
    for r in rows[1:]:
        sentences.append(
            f"With the {r['edition']} edition ({r['measure']}) the share was "
            f"{_pct(r['coal_share_primary_pct'], 1)} in {r['last_year']} and at or above 72 % "
            f"{held(r['held_primary'])}: the quoted figure depends on the measure of primary "
            "energy as well as on the year."
        )
    elements.append(report.Note(" ".join(sentences), label=""))
    findings: tuple[tuple[str, Any], ...] = ()
    if main is not None:
        shares, measure = main
        shown = shares[shares["year"].between(1990, end_year)]
        if shown["coal_share_primary_pct"].notna().any():
            figure = _coal_figure(
                shown, measure, sources=series, source_ids=[E.edition_source_id(edition)]
            )
            elements.insert(0, figure)
            below = m["coal_share_primary_pct"] < THESIS_COAL_SHARE_PCT
            findings = (
                (
                    f"Coal was {_pct(m['coal_share_primary_pct'], 1)} of China's {measure} in "
                    f"{m['last_year']}, {'below' if below else 'at or above'} the 72 % the thesis "
                    f"quotes; the share was at or above 72 % {held(m['held_primary'])}.",
                    figure,
                ),
            )
    return Section(tuple(elements), findings)


# --------------------------------------------------------------------------------------
# Key findings
# --------------------------------------------------------------------------------------


def findings(*sections: Section, limit: int = 6) -> report.Findings:
    """The "Key findings" box: the sections' findings in order, at most ``limit``.

    With fewer than three findings (little data), sentences say so instead of failing.
    """
    items: list[str | tuple[str, Any]] = [
        (text, element) if element is not None else text
        for section in sections
        for text, element in section.findings
    ][:limit]
    fillers = (
        "The data for this country are thin: the sections below say what is missing.",
        "Every section states which series the Statistical Review does not publish.",
        "The claims ledger at the end tests the thesis' energy claims on the same data.",
    )
    for text in fillers:
        if len(items) >= report.Findings.MIN_ITEMS:
            break
        items.append(text)
    return report.Findings(items)
