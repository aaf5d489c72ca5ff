"""Report elements of the chapter: key findings, a figure and a table.

Chapter ``money``, "Money: investment and lending", notebook ``notebooks/06_money.ipynb``;
created by ``kzanalysis new chapter``.

The analysis lives in the chapter's analysis module, next to this one; this module turns
its results into :mod:`kzanalysis.report` elements that the notebook displays: a figure
and a table with titles, subtitles computed from the rows they show, alt text, their
rows as a CSV download and numbered references to the sources actually used; and the
"Key findings" box, whose sentences come from the same analysis and link to the figure
and table. A part the data cannot support becomes a :class:`~kzanalysis.report.Note`
saying why.

Replace the example's elements with the chapter's own, one function per element.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from kzanalysis import plotting
from kzanalysis.analysis import money as A
from kzanalysis.analysis import trade
from kzanalysis.report import Col, Figure, Findings, Note, Table


def citation(
    flows: pd.DataFrame,
    country: str,
    start_year: int,
    end_year: int,
    source_preference: str = "imf_first",
) -> dict[str, Any]:
    """Citation keywords of the elements: the sources of the rows used in the period.

    Returns:
        ``{"sources": flows, "source_ids": [...]}`` (ids in the table's provenance order),
        or ``{"sources": flows}`` when no row of the period is used.
    """
    selected = trade.select_flows(flows, country, source_preference)
    used = set(selected.loc[selected["year"].between(start_year, end_year), "source"])
    provenance = flows.attrs.get("provenance") or {}
    ids = [s["id"] for s in provenance.get("sources", []) if s.get("id") in used]
    return {"sources": flows, "source_ids": ids} if ids else {"sources": flows}


def share_columns(partners: Sequence[str] = A.PARTNERS) -> dict[str, Col | str]:
    """Reader headers of the share columns: ``chn_share_pct`` → "China share (%)"."""
    return {A.share_column(p): Col(f"{trade.partner_label(p)} share (%)") for p in partners}


def shares_figure(
    shares: pd.DataFrame,
    country_name: str,
    cite: dict[str, Any],
    partners: Sequence[str] = A.PARTNERS,
) -> Figure | Note:
    """Lines of each partner's share of the turnover, one colour per actor."""
    import matplotlib.pyplot as plt

    columns = [A.share_column(p) for p in partners]
    plotted = shares.dropna(subset=columns, how="all")
    if plotted.empty:
        return Note(f"No year has a share of {country_name}'s trade to chart.", label="Skipped")
    fig, ax = plt.subplots(figsize=(9, 4.5))
    for partner, column in zip(partners, columns, strict=True):
        ax.plot(
            plotted["year"],
            plotted[column],
            marker=".",
            label=trade.partner_label(partner),
            color=plotting.colour(partner),
        )
    plotting.label_axes(
        ax, xlabel="Year", ylabel="Share of trade turnover (%)", legend={"frameon": False}
    )
    sentences = A.share_findings(shares, country_name, partners)
    first, last = int(plotted["year"].min()), int(plotted["year"].max())
    return Figure(
        fig,
        title=f"China's and Russia's shares of {country_name}'s trade, {first}–{last}",
        subtitle=sentences[1] if len(sentences) > 1 else sentences[0],
        alt=(
            f"Line chart of each partner's share of {country_name}'s trade turnover per year, "
            f"in percent, {first}–{last}. {sentences[0]}"
        ),
        data=plotted[["year", *columns]],
        columns={"year": Col("Year", kind="year")} | share_columns(partners),
        anchor="fig-shares",
        **cite,
    )


def shares_table(
    shares: pd.DataFrame,
    country_name: str,
    cite: dict[str, Any],
    partners: Sequence[str] = A.PARTNERS,
) -> Table:
    """Every year: the turnover and each partner's share of it."""
    columns: dict[str, Col | str] = {
        "year": Col("Year", kind="year"),
        "turnover_usd_mn": Col("Trade turnover (US$ mn)", decimals=0),
    }
    columns |= share_columns(partners)
    return Table(
        shares,
        columns,
        title=f"{country_name}'s trade turnover and the partners' shares, every year",
        subtitle=A.share_findings(shares, country_name, partners)[0],
        missing_note=(
            "no reported total, or no exports or imports with the partner, that year "
            "(left empty, not read as zero)"
        ),
        anchor="tbl-shares",
        **cite,
    )


def findings(
    shares: pd.DataFrame,
    country_name: str,
    figure: Figure | Note,
    table: Table,
    partners: Sequence[str] = A.PARTNERS,
) -> Findings | Note:
    """The "Key findings" box (a note when no year has every share)."""
    sentences = A.share_findings(shares, country_name, partners)
    if len(sentences) < Findings.MIN_ITEMS:
        return Note(" ".join(sentences), label="No findings")
    target = figure if isinstance(figure, Figure) else table
    return Findings([(sentences[0], table), (sentences[1], target), sentences[2]])
