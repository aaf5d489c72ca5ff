"""Report elements of the money chapter: key findings, figures, tables and the scope note.

Chapter ``money``, "Money: investment and lending", notebook ``notebooks/06_money.ipynb``;
created by ``kzanalysis new chapter``, then written.

The analysis lives in :mod:`kzanalysis.analysis.money`; this module turns its results into
:mod:`kzanalysis.report` elements that the notebook displays: figures and tables with
titles, subtitles computed from the rows they show, alt text, their rows as a CSV download
and numbered references to the sources used; the scope note (which measures exist for the
country, and the gaps); and the "Key findings" box. A part the data cannot support becomes
a :class:`~kzanalysis.report.Note` saying why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pandas as pd

from kzanalysis import countries, plotting
from kzanalysis.analysis import money as A
from kzanalysis.report import Col, Figure, Findings, Note, Table
from kzanalysis.report.text import join_words, number

#: Chart colour key of each investor key (actors from the registry; "unspecified" is grey).
_COLOUR_OF = {"CHN": "China", "RUS": "Russia", "NLD": "Netherlands", A.UNSPECIFIED: "Other"}
#: Colours of the flow classes: all three are Chinese money, so China's colour for the
#: loans near market terms (OOF-like), a light tint of it for the concessional (ODA-like)
#: and the residual grey for what AidData cannot classify; no colour of another actor.
_CLASS_COLOURS = {
    "OOF-like": plotting.colour("China"),
    "ODA-like": "#8CC3E6",
    "Vague (Official Finance)": plotting.colour("Other"),
}


@dataclass(frozen=True)
class Context:
    """What the report is about: the country and which measures the bundle has for it.

    Attributes:
        country: ISO3 code.
        name: The country's name.
        start_year: First year of the analysis.
        end_year: Last year of the analysis.
        window_years: Length of the commitment windows.
        fdi_inflows: Whether FDI inflows by origin exist for the country.
        fdi_stock: Whether the FDI stock by origin exists for the country.
    """

    country: str
    name: str
    start_year: int
    end_year: int
    window_years: int
    fdi_inflows: bool
    fdi_stock: bool


def context(params: Any) -> Context:
    """The report's :class:`Context` from its validated parameters."""
    return Context(
        country=params.country,
        name=countries.name(params.country),
        start_year=params.start_year,
        end_year=params.end_year,
        window_years=params.window_years,
        fdi_inflows=A.has_fdi(params.country, "inflow"),
        fdi_stock=A.has_fdi(params.country, "stock"),
    )


@dataclass(frozen=True)
class Results:
    """The chapter's computed results and the curated tables they came from.

    Attributes:
        inflows: :func:`kzanalysis.analysis.money.fdi_by_investor` of the gross inflows
            (empty where the country has none).
        stock: The same for the stock (empty where not bundled).
        by_year: :func:`kzanalysis.analysis.money.commitments`.
        windows: :func:`kzanalysis.analysis.money.window_sums` of it.
        listed: :func:`kzanalysis.analysis.money.project_list`.
        fdi: The curated ``investment_fdi_by_origin`` (for references).
        finance: The curated ``investment_china_official_finance``.
        projects: The curated ``investment_china_projects_geolocated``.
        fdi_text: :func:`kzanalysis.analysis.money.fdi_sentences` of the inflows (empty
            without inflows).
        stock_text: :func:`kzanalysis.analysis.money.stock_sentence` ("" without a stock).
        lending_text: :func:`kzanalysis.analysis.money.lending_sentences`.
        project_text: :func:`kzanalysis.analysis.money.project_sentence`.
    """

    inflows: pd.DataFrame
    stock: pd.DataFrame
    by_year: pd.DataFrame
    windows: pd.DataFrame
    listed: pd.DataFrame
    fdi: pd.DataFrame
    finance: pd.DataFrame
    projects: pd.DataFrame
    fdi_text: list[str]
    stock_text: str
    lending_text: list[str]
    project_text: str


def compute(
    ctx: Context, fdi: pd.DataFrame, finance: pd.DataFrame, projects: pd.DataFrame
) -> Results:
    """Every result the report shows, from the three curated tables."""
    inflows = A.fdi_by_investor(fdi, ctx.country, "inflow", ctx.start_year, ctx.end_year)
    stock = A.fdi_by_investor(fdi, ctx.country, "stock", ctx.start_year, ctx.end_year)
    by_year = A.commitments(finance, ctx.country, ctx.start_year, ctx.end_year)
    windows = A.window_sums(by_year, ctx.window_years)
    listed = A.project_list(
        projects[projects["commitment_year"].between(ctx.start_year, ctx.end_year)],
        ctx.country,
    )
    largest = A.largest_investor(fdi, ctx.country, ctx.start_year, ctx.end_year)
    return Results(
        inflows=inflows,
        stock=stock,
        by_year=by_year,
        windows=windows,
        listed=listed,
        fdi=fdi,
        finance=finance,
        projects=projects,
        fdi_text=(
            A.fdi_sentences(A.period_totals(inflows), inflows, ctx.name, largest)
            if not inflows.empty
            else []
        ),
        stock_text=A.stock_sentence(stock, ctx.name) if not stock.empty else "",
        lending_text=A.lending_sentences(by_year, windows, ctx.name),
        project_text=A.project_sentence(listed, by_year, ctx.name),
    )


def _colour(key: str) -> str:
    return plotting.colour(_COLOUR_OF.get(key, key))


def _usd_col(header: str) -> Col:
    return Col(header, decimals=0)


# --------------------------------------------------------------------------------------
# Scope
# --------------------------------------------------------------------------------------


def _stock_hosts() -> list[str]:
    """Names of the hosts whose FDI stock by origin is bundled."""
    return [countries.name(c) for c, measures in A.FDI_MEASURES.items() if "stock" in measures]


def scope_note(res: Results, ctx: Context) -> Note:
    """Which measures this report has for the country, and the gaps, in words (the last
    FDI year from the bundled table, the hosts and measures from
    :data:`kzanalysis.analysis.money.FDI_MEASURES`)."""
    fdi_end = int(res.fdi["year"].max())
    lending = (
        "Chinese official finance (AidData's commitments of loans and grants) is the only "
        f"money measure here that reaches past {fdi_end}, and it has no Russian counterpart: "
        "the bundle holds no series of Russian official lending to Central Asia."
    )
    if not ctx.fdi_inflows:
        hosts = join_words([countries.name(c) for c in A.FDI_MEASURES])
        return Note(
            f"This report shows lending only. The bundled UNCTAD bilateral FDI tables cover "
            f"{hosts} as hosts, so foreign direct investment into {ctx.name} by country of "
            f"origin is not available; China and Russia cannot be compared in investment "
            f"here. {lending}",
            label="Scope",
        )
    years = sorted(int(y) for y in res.inflows["year"].unique())
    span = f"{years[0]}–{years[-1]}" if years else "no year of the period"
    stock = (
        " and the stock"
        if ctx.fdi_stock
        else f", not the stock (bundled for {join_words(_stock_hosts())} only)"
    )
    return Note(
        f"Foreign direct investment by country of origin covers the gross inflows{stock} for "
        f"{span} in this period: nothing after {fdi_end} is bundled, so China and Russia are "
        f"compared in investment for those years only. {lending}",
        label="Scope",
    )


# --------------------------------------------------------------------------------------
# FDI
# --------------------------------------------------------------------------------------


def _fdi_columns(keys: list[str], column: str) -> dict[str, Col | str]:
    unit = "(% of world)" if column == "share_pct" else "(US$ mn)"
    return {
        f"{k.lower()}_{column}": Col(
            f"{A.investor_label(k)} {unit}", decimals=1 if column == "share_pct" else 0
        )
        for k in keys
    }


def fdi_figure(res: Results, ctx: Context) -> Figure | Note:
    """Two panels: China's and Russia's inflows (US$ mn), and every investor's share."""
    import matplotlib.pyplot as plt

    inflows = res.inflows
    if inflows.empty:
        return Note(f"No FDI inflows by origin for {ctx.name} to chart.", label="Skipped")
    values = A.fdi_wide(inflows, "value_usd_mn")
    shares = A.fdi_wide(inflows, "share_pct")
    keys = list(dict.fromkeys(inflows["investor"]))
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.2))
    for key in A.INVESTORS:
        left.plot(
            values["year"],
            values[f"{key.lower()}_value_usd_mn"],
            marker="o",
            markersize=3,
            color=_colour(key),
            label=A.investor_label(key),
        )
    for key in keys:
        right.plot(
            shares["year"],
            shares[f"{key.lower()}_share_pct"],
            marker="o",
            markersize=3,
            color=_colour(key),
            linestyle="-" if key in A.INVESTORS else "--",
            label=A.investor_label(key),
        )
    plotting.label_axes(
        left,
        xlabel="Year",
        ylabel="Gross inflows (US$ mn, current)",
        legend={"frameon": False},
        layout=False,
    )
    plotting.label_axes(
        right,
        xlabel="Year",
        ylabel="Share of world inflows (%)",
        legend={"frameon": False},
    )
    sentences = res.fdi_text
    y0, y1 = int(values["year"].min()), int(values["year"].max())
    data = values.merge(shares.drop(columns="world_usd_mn"), on="year")
    columns: dict[str, Col | str] = {
        "year": Col("Year", kind="year"),
        "world_usd_mn": _usd_col("World (US$ mn)"),
    }
    columns |= _fdi_columns(keys, "value_usd_mn") | _fdi_columns(keys, "share_pct")
    return Figure(
        fig,
        title=f"FDI inflows into {ctx.name} from China and Russia, {y0}–{y1}",
        subtitle=sentences[0],
        alt=(
            f"Two line charts, {y0}–{y1}. Left: gross FDI inflows into {ctx.name} from China "
            f"and from Russia in millions of current US dollars. Right: the shares of China, "
            f"Russia, the Netherlands and unspecified investors in the inflows from the world, "
            f"in percent (dashed: capital whose owner is not visible). {' '.join(sentences)}"
        ),
        data=data,
        columns=columns,
        anchor="fig-fdi",
        sources=res.fdi,
    )


def _by_investor_table(by_investor: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, Col | str]]:
    """One row per year: the world total, then each investor's value and share (in the
    input's investor order), with reader headers."""
    keys = list(dict.fromkeys(by_investor["investor"]))
    frame = A.fdi_wide(by_investor, "value_usd_mn").merge(
        A.fdi_wide(by_investor, "share_pct").drop(columns="world_usd_mn"), on="year"
    )
    columns: dict[str, Col | str] = {
        "year": Col("Year", kind="year"),
        "world_usd_mn": _usd_col("World (US$ mn)"),
    }
    for key in keys:
        columns[f"{key.lower()}_value_usd_mn"] = _usd_col(f"{A.investor_label(key)} (US$ mn)")
        columns[f"{key.lower()}_share_pct"] = Col(f"{A.investor_label(key)} (% of world)")
    return frame[list(columns)], columns


def fdi_table(res: Results, ctx: Context) -> Table | Note:
    """Every year: the world's inflows and each investor's value and share."""
    inflows = res.inflows
    if inflows.empty:
        return Note(f"No FDI inflows by origin for {ctx.name}.", label="Skipped")
    frame, columns = _by_investor_table(inflows)
    notes = []
    repaired = inflows[inflows["sign_repaired"]]
    if len(repaired):
        cells = join_words(
            [
                f"{A.investor_label(r.investor)} {int(r.year)} ({number(r.value_usd_mn, 0)})"
                for r in repaired.itertuples()
            ]
        )
        notes.append(
            f"Negative inflows (disinvestment) whose minus sign the source file garbled and "
            f"the curation repaired: {cells}."
        )
    odd = inflows[(inflows["share_pct"] > 100) | (inflows["share_pct"] < 0)]
    if len(odd):
        cells = join_words(
            [
                f"{A.investor_label(r.investor)} {number(r.share_pct)}% in {int(r.year)}"
                for r in odd.itertuples()
            ]
        )
        notes.append(
            f"Shares outside 0–100%: {cells}. The world total nets out disinvestment, so in a "
            "year of small net inflows one investor's inflow can exceed it, and a "
            "disinvestment gives a negative share."
        )
    return Table(
        frame,
        columns,
        title=f"Gross FDI inflows into {ctx.name} by investor, every year (current US$ mn)",
        subtitle=res.fdi_text[-1],
        notes=notes,
        missing_note="no figure for that year in the source",
        anchor="tbl-fdi",
        sources=res.fdi,
    )


def stock_table(res: Results, ctx: Context) -> Table | Note:
    """Kazakhstan's FDI stock by investor, every year, with the years not available."""
    stock = res.stock
    if stock.empty:
        return Note(
            f"The FDI stock by origin is bundled for {join_words(_stock_hosts())} only, not "
            f"for {ctx.name}.",
            label="Not available",
        )
    frame, columns = _by_investor_table(stock)
    return Table(
        frame,
        columns,
        title=f"FDI stock in {ctx.name} by investor, end of each year (current US$ mn)",
        subtitle=res.stock_text,
        missing_note="not available in the source (shown as '..' by UNCTAD)",
        anchor="tbl-stock",
        sources=res.fdi,
    )


def elements(res: Results, ctx: Context) -> dict[str, Any]:
    """Every element of the report by name (the findings link to them), built once."""
    return {
        "scope": scope_note(res, ctx),
        "fdi_figure": fdi_figure(res, ctx),
        "fdi_table": fdi_table(res, ctx),
        "stock_table": stock_table(res, ctx),
        "lending_figure": commitments_figure(res, ctx),
        "lending_table": commitments_table(res, ctx),
        "windows_table": windows_table(res, ctx),
        "projects_table": projects_table(res, ctx),
    }


def fdi_elements(elements: dict[str, Any], ctx: Context) -> list[Any]:
    """What the FDI section displays: figure, table and stock, or one note where none exist.

    The stock table is left out where the stock is not bundled (the scope note says so).
    """
    if not ctx.fdi_inflows:
        hosts = join_words([countries.name(c) for c in A.FDI_MEASURES])
        return [
            Note(
                f"FDI by country of origin is not bundled for {ctx.name} as a host: the UNCTAD "
                f"bilateral tables here cover {hosts} only.",
                label="Not available",
            )
        ]
    shown = [elements["fdi_figure"], elements["fdi_table"]]
    return [*shown, elements["stock_table"]] if ctx.fdi_stock else shown


# --------------------------------------------------------------------------------------
# Chinese official finance
# --------------------------------------------------------------------------------------


def _class_columns() -> dict[str, Col | str]:
    return {
        A.class_column(c): _usd_col(f"{label} (US$ mn, 2021 prices)")
        for c, label in A.FLOW_CLASSES.items()
    }


def commitments_figure(res: Results, ctx: Context) -> Figure | Note:
    """Stacked bars of commitments per year by flow class; unrecorded years marked."""
    import matplotlib.pyplot as plt

    by_year = res.by_year
    if by_year.empty or not by_year["recorded"].any():
        return Note(
            f"AidData records no Chinese official finance for {ctx.name} in the period.",
            label="Skipped",
        )
    fig, ax = plt.subplots(figsize=(10, 4.5))
    bottom = pd.Series(0.0, index=by_year.index)
    for flow_class, label in A.FLOW_CLASSES.items():
        heights = by_year[A.class_column(flow_class)].fillna(0.0)
        ax.bar(
            by_year["year"],
            heights,
            bottom=bottom,
            color=_CLASS_COLOURS[flow_class],
            label=label,
            width=0.8,
        )
        bottom = bottom + heights
    unrecorded = by_year[~by_year["recorded"]]
    if len(unrecorded):
        ax.scatter(
            unrecorded["year"],
            [0] * len(unrecorded),
            marker="x",
            color="#000000",
            zorder=3,
            label="No recorded commitment",
        )
    top = float(by_year["total_usd2021_mn"].max())
    ax.set_ylim(0, top * 1.25 if top > 0 else 1)  # room for the legend above the bars
    plotting.label_axes(
        ax,
        xlabel="Year",
        ylabel="Commitments (US$ mn, 2021 prices)",
        legend={"frameon": False, "loc": "upper left", "ncols": 4},
    )
    sentences = res.lending_text
    y0, y1 = int(by_year["year"].min()), int(by_year["year"].max())
    data = by_year[["year", "recorded", *_class_columns(), "total_usd2021_mn"]]
    return Figure(
        fig,
        title=f"Chinese official finance committed to {ctx.name}, {y0}–{y1}",
        subtitle=sentences[1] if len(sentences) > 1 else sentences[0],
        alt=(
            f"Stacked bar chart of Chinese official finance commitments to {ctx.name} per year, "
            f"{y0}–{y1}, in millions of constant 2021 US dollars, split into ODA-like, "
            f"OOF-like and vague official finance; a cross marks a year without a recorded "
            f"commitment. {' '.join(sentences)}"
        ),
        data=data,
        columns=_commitment_columns(),
        anchor="fig-lending",
        sources=res.finance,
    )


def _commitment_columns() -> dict[str, Col | str]:
    return (
        {"year": Col("Year", kind="year"), "recorded": Col("Commitment recorded", kind="bool")}
        | _class_columns()
        | {"total_usd2021_mn": _usd_col("Total (US$ mn, 2021 prices)")}
    )


def commitments_table(res: Results, ctx: Context) -> Table:
    """Every year: commitments by flow class and their total."""
    sentences = res.lending_text
    return Table(
        res.by_year,
        _commitment_columns(),
        title=f"Chinese official finance committed to {ctx.name}, every year",
        subtitle=sentences[0],
        notes=[
            "ODA-like: concessional, with a development intent; OOF-like: other official "
            "flows, mostly loans near market terms; vague: AidData cannot tell which.",
        ],
        missing_note="no recorded commitment that year (not a measured zero)",
        anchor="tbl-lending",
        sources=res.finance,
    )


def windows_table(res: Results, ctx: Context) -> Table:
    """Commitments summed over windows of ``window_years`` years."""
    sentences = res.lending_text
    return Table(
        res.windows,
        {
            "first_year": Col("From", kind="year"),
            "last_year": Col("To", kind="year"),
            "years": Col("Length (years)", kind="integer"),
            "recorded_years": Col("With a recorded commitment (years)", kind="integer"),
            "total_usd2021_mn": _usd_col("Commitments (US$ mn, 2021 prices)"),
            "share_pct": Col("Share of the period (%)"),
        },
        title=f"Chinese official finance to {ctx.name} in {ctx.window_years}-year windows",
        subtitle=sentences[-1],
        missing_note="no commitment recorded in the window",
        anchor="tbl-windows",
        sources=res.finance,
    )


_LINKED = re.compile(r"\s*\([Ll]inked to (?:[Pp]rojects? )?(?:ID\s?)?#[^)]*\)")


def readable_projects(listed: pd.DataFrame) -> pd.DataFrame:
    """The project list in reader text: no cross-reference ids in titles, lenders joined
    with "; ", sectors in sentence case, "Vague" for vague official finance."""
    out = listed[A.PROJECT_COLUMNS].copy()
    out["title"] = out["title"].str.replace(_LINKED, "", regex=True).str.strip()
    out["funding_agencies"] = out["funding_agencies"].str.replace("|", "; ", regex=False)
    out["sector"] = out["sector"].str.capitalize()
    out["flow_class"] = out["flow_class"].map(lambda c: A.FLOW_CLASSES.get(c, c))
    return out


def projects_table(res: Results, ctx: Context) -> Table | Note:
    """The geolocated GCDF 2.0 projects, sortable, with the subset caveat."""
    listed = res.listed
    if listed.empty:
        return Note(res.project_text, label="No projects")
    return Table(
        readable_projects(listed),
        {
            "commitment_year": Col("Committed", kind="year"),
            "title": Col("Project", kind="text"),
            "funding_agencies": Col("Lender or donor", kind="text"),
            "flow_type": Col("Flow type", kind="text"),
            "flow_class": Col("Flow class", kind="text"),
            "sector": Col("Sector", kind="text"),
            "status": Col("Status", kind="text"),
            "amount_usd2017_mn": Col("Amount (US$ mn, 2017 prices)", decimals=0),
        },
        title=f"Chinese official finance projects in {ctx.name} that AidData geolocated",
        subtitle=res.project_text,
        notes=[
            "Only projects AidData could place on OpenStreetMap, recommended for aggregates, "
            "development finance, umbrella projects left out. AidData's cross-references "
            "to linked projects are left out of the titles.",
        ],
        missing_note="amount not given by AidData",
        sortable=True,
        anchor="tbl-projects",
        sources=[res.projects, res.finance],
    )


# --------------------------------------------------------------------------------------
# Findings
# --------------------------------------------------------------------------------------


def findings(res: Results, ctx: Context, elements: dict[str, Any]) -> Findings | Note:
    """The "Key findings" box: investment (where bundled), then lending; where no FDI is
    bundled, lending first and the gap last.

    Args:
        res: The computed results.
        ctx: The report's context.
        elements: The displayed elements by name (``fdi_figure``, ``fdi_table``,
            ``stock_table``, ``lending_figure``, ``lending_table``, ``windows_table``), for
            the links.
    """
    inflows, stock = res.inflows, res.stock
    items: list[str | tuple[str, Any]] = []
    if ctx.fdi_inflows and not inflows.empty:
        fdi = res.fdi_text
        items.append((fdi[0], elements["fdi_figure"]))
        if len(fdi) > 1:
            items.append((fdi[1], elements["fdi_table"]))
        if ctx.fdi_stock and not stock.empty:
            items.append((res.stock_text, elements["stock_table"]))
    lending = res.lending_text
    links = ["lending_table", "lending_figure", "windows_table"]
    for sentence, key in zip(lending, links, strict=False):
        items.append((sentence, elements[key]))
    if not (ctx.fdi_inflows and not inflows.empty):
        # lending leads (the headline on the front page); the gap is said last
        items.append(
            f"There are no bundled FDI figures by country of origin for {ctx.name}, so "
            "investment by China and Russia cannot be compared here."
        )
    items = items[: Findings.MAX_ITEMS]
    if len(items) < Findings.MIN_ITEMS:
        return Note(" ".join(i if isinstance(i, str) else i[0] for i in items), label="Findings")
    return Findings(items)
