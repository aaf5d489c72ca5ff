"""Report elements of the arms chapter (``notebooks/03_arms_shares.ipynb``).

The analyses of :mod:`kzanalysis.analysis.arms` become what a reader sees: figures
(:class:`kzanalysis.report.Figure`, one function per figure), tables
(:class:`kzanalysis.report.Table`), notes, and the key findings. Every subtitle, alt
text and finding is a sentence computed from the same rows the element shows, so the
words never drift from the numbers. Where there is nothing to show (a recipient without
deliveries in the chosen years, a window pair outside the period) the builder returns
a :class:`kzanalysis.report.Note` that says so instead of failing.

Colours come from the actor registry (:func:`kzanalysis.plotting.palette`): the
suppliers the deliveries charts name are those of the recipient's declared figure group
(``plotting.FIGURE_GROUPS["arms deliveries: …"]``, whose colours are tested to be far
enough apart), the others are drawn as "Other".

The functions are pure apart from drawing with matplotlib; each element cites the
source ids of the SIPRI editions its rows come from (:func:`arms.edition_source`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from kzanalysis import countries, plotting, report
from kzanalysis.analysis import arms as A
from kzanalysis.analysis.arms_params import BUNDLED_EDITIONS, CA5, EDITION_LAST_YEAR, REGION

if TYPE_CHECKING:  # pragma: no cover
    from kzanalysis.analysis.arms_params import ArmsParams

#: What every element is: a figure, a table, or a note saying why there is none.
Element = report.Figure | report.Table | report.Note

#: Sentence after the source line of elements in TIV.
TIV_SOURCE_NOTE = "TIV measures military capability transferred, not money."

#: HHI above which competition authorities call a market highly concentrated.
HHI_HIGH = 1800.0

#: Figure size (inches) of the chapter's charts.
FIGSIZE = (9.0, 4.5)

_LEGEND_OUTSIDE = {
    "frameon": False,
    "fontsize": 8,
    "loc": "upper left",
    "bbox_to_anchor": (1.0, 1.0),
}


# --- words and numbers -----------------------------------------------------------------


def _missing(value: object) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def share_text(value: float | None) -> str:
    """A share in words: ``84 %``, ``7.9 %``, ``less than 0.1 %`` (missing: "–").

    Shares of 10 % or more have no decimals, smaller ones one.
    """
    if _missing(value):
        return report.MISSING
    v = float(value)  # type: ignore[arg-type]
    if v == 0:
        return "0 %"
    if abs(v) < 0.05:
        return "less than 0.1 %"
    return f"{report.number(v, 0 if abs(v) >= 9.95 else 1)} %"


def tiv_text(value: float) -> str:
    """TIV millions in words: ``4,066 TIV mn`` (100 or more), ``13.1 TIV mn``."""
    v = float(value)
    return f"{report.number(v, 0 if abs(v) >= 99.95 else 1)} TIV mn"


def signed(value: float, decimals: int = 1) -> str:
    """A change with its sign: ``+25.1``, ``−8.8``, ``0.0``."""
    text = report.number(value, decimals)
    return text if text.startswith("−") or float(value) == 0 or text == "0.0" else f"+{text}"


def pp_text(value: float) -> str:
    """A change in percentage points: ``+25.1 percentage points``."""
    return f"{signed(value)} percentage points"


def possessive(label: str) -> str:
    """``Russia`` → ``Russia's``; ``United States`` → ``United States'``."""
    return f"{label}'" if label.endswith("s") else f"{label}'s"


join_words = report.join_words  # "a, b and c" (shared)


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 deal``, ``3 deals`` (``many`` for irregular plurals)."""
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


def period(first: int, last: int) -> str:
    """Years in words: ``1992–2025``, or ``2024`` for a single year."""
    return A.window_label(int(first), int(last))


def edition_text(edition: str) -> str:
    """An edition date in words: ``2026-05-18`` → ``18 May 2026``."""
    return report.day_month_year(edition)


def recipient_name(recipient: str) -> str:
    """Reader name of the recipient: a country, or "Central Asia (5 states)" for CA5."""
    return report.country_name(recipient)


def figure_group(recipient: str) -> str:
    """Key of the recipient's deliveries chart in :data:`kzanalysis.plotting.FIGURE_GROUPS`."""
    where = "Central Asia" if recipient == REGION else countries.name(recipient)
    return f"arms deliveries: {where}"


def chart_suppliers(table: pd.DataFrame, recipient: str, n: int = 6) -> list[str]:
    """Suppliers the deliveries charts name: the ``n`` largest (with Russia and China),
    kept only if their actor is in the recipient's declared figure group (the others
    are drawn as "Other", so any two colours of a chart stay far apart)."""
    top = A.top_labels(table, n)
    group = plotting.FIGURE_GROUPS.get(figure_group(recipient))
    if group is None:
        return top
    return [label for label in top if plotting.actor_of(label) in group]


def groups_in_words(groups: Mapping[str, Sequence[str]]) -> str:
    """Supplier groups as reader text: "Europe (the EU, …)" or "Nordics (Sweden, Norway)"."""
    parts = []
    for label, members in groups.items():
        names = []
        for member in members:
            if member in countries.groups():
                info = countries.group_info(member)
                names.append(info.name)
            else:
                names.append(countries.name(member))
        if len(names) == 1 and names[0].startswith(label):
            parts.append(names[0])
        else:
            parts.append(f"{label} ({join_words(names)})")
    return "; ".join(parts)


def parameters_note(params: ArmsParams) -> report.Note:
    """The report's parameters in words (recipient, years, windows, edition, groups)."""
    text = (
        f"{recipient_name(params.recipient)} · deliveries "
        f"{period(params.start_year, params.last_year)} · {params.window}-year windows · "
        "SIPRI trade register, edition "
        f"of {edition_text(params.edition)} · grouped ranking: "
        f"{groups_in_words(params.supplier_groups)}."
    )
    return report.Note(text, label="This report")


# --- inputs ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Citation:
    """The loaded tables an element's rows come from and the source ids it cites.

    Attributes:
        tables: Tables loaded with :func:`kzanalysis.datasets.load` (their provenance).
        ids: Source ids to cite, in order.
    """

    tables: tuple[pd.DataFrame, ...]
    ids: tuple[str, ...]

    def kwargs(self) -> dict[str, Any]:
        """``sources=`` and ``source_ids=`` for a report element."""
        return {"sources": list(self.tables), "source_ids": list(self.ids)}


@dataclass(frozen=True)
class ArmsInputs:
    """The chapter's data for one recipient, period and edition.

    Attributes:
        recipient: ISO3 code or ``CA5``.
        recipients: ISO3 codes of the recipient(s).
        name: Reader name of the recipient.
        start_year: First delivery year.
        last_year: Last delivery year.
        window: Window length in years.
        edition: Deal-register edition.
        supplier_groups: Label → members of the grouped ranking.
        deals_all: ``arms_deals`` (all editions, provenance attached).
        per_year_all: ``arms_deliveries`` (all editions).
        sipri_totals: ``arms_sipri_import_totals``.
        names: ISO3 → supplier label.
        deals: Deals of the edition and recipient(s).
        yearly: Labelled deliveries per deal and year (:func:`arms.edition_yearly`).
        table: TIV by supplier and year in the period (:func:`arms.supplier_year_table`).
        cite: The edition's deal register and the per-year register of its splits.
    """

    recipient: str
    recipients: tuple[str, ...]
    name: str
    start_year: int
    last_year: int
    window: int
    edition: str
    supplier_groups: dict[str, list[str]]
    deals_all: pd.DataFrame
    per_year_all: pd.DataFrame
    sipri_totals: pd.DataFrame
    names: dict[str, str]
    deals: pd.DataFrame
    yearly: pd.DataFrame
    table: pd.DataFrame
    cite: Citation


def prepare(
    deals_all: pd.DataFrame,
    per_year_all: pd.DataFrame,
    sipri_totals: pd.DataFrame,
    params: ArmsParams,
) -> ArmsInputs:
    """Select the edition and recipient(s), spread deals over years, tabulate by supplier.

    Args:
        deals_all: ``arms_deals`` as loaded.
        per_year_all: ``arms_deliveries`` as loaded.
        sipri_totals: ``arms_sipri_import_totals`` as loaded.
        params: The validated parameters.
    """
    names = A.supplier_names(deals_all)
    recipients = tuple(params.recipients)
    yearly = A.edition_yearly(deals_all, per_year_all, params.edition, recipients, names)
    cite = Citation(
        (deals_all, per_year_all),
        (
            A.edition_source(deals_all, params.edition),
            A.edition_source(per_year_all, A.REFERENCE_PER_YEAR[params.edition]),
        ),
    )
    return ArmsInputs(
        recipient=params.recipient,
        recipients=recipients,
        name=recipient_name(params.recipient),
        start_year=params.start_year,
        last_year=params.last_year,
        window=params.window,
        edition=params.edition,
        supplier_groups=dict(params.supplier_groups),
        deals_all=deals_all,
        per_year_all=per_year_all,
        sipri_totals=sipri_totals,
        names=names,
        deals=A.select_edition(deals_all, params.edition, recipients),
        yearly=yearly,
        table=A.supplier_year_table(yearly, params.start_year, params.last_year),
        cite=cite,
    )


def data_notes(inputs: ArmsInputs) -> list[report.Note]:
    """What the yearly values are built from: deals, delivery years, the split rule (the
    unit, :data:`arms.TIV_NOTE`, is in the chapter's introduction)."""
    deals = inputs.deals
    split = inputs.yearly.groupby("split_method")["tiv_mn"].sum()
    with_years = int(deals["delivery_years"].notna().sum())
    return [
        report.Note(
            f"{inputs.name}, SIPRI edition of {edition_text(inputs.edition)}: "
            f"{plural(len(deals), 'deal')}, {with_years:,} with delivery years; this report "
            f"covers deliveries in {period(inputs.start_year, inputs.last_year)} in windows of "
            f"{inputs.window} years.",
            label="Data",
        ),
        report.Note(
            "Deals delivered in one year are exact; "
            f"{tiv_text(split.get('reference_split', 0.0))} of multi-year deals take the "
            "per-year split of the same deal in SIPRI's per-year register, and "
            f"{tiv_text(split.get('even_split', 0.0))} (deals SIPRI revised after that "
            "register) are spread evenly over their delivery years.",
            label="Yearly values",
        ),
    ]


# --- drawing helpers -------------------------------------------------------------------


def _axes(figsize: tuple[float, float] = FIGSIZE) -> tuple[Any, Any]:
    import matplotlib.pyplot as plt

    return plt.subplots(figsize=figsize)


def _stacked(ax: Any, x: Any, wide: pd.DataFrame, colours: Mapping[str, str], width: float) -> None:
    bottom = np.zeros(len(wide))
    for label in wide.columns:
        values = wide[label].to_numpy(dtype=float)
        ax.bar(x, values, bottom=bottom, label=label, color=colours[label], width=width)
        bottom += values


def _recipient_columns(
    columns: Mapping[str, report.Col], frame: pd.DataFrame, show: bool | None
) -> dict[str, report.Col]:
    """The columns, less ``recipient_iso3`` unless recipients are shown (``show``; by
    default when the rows have more than one): a one-country report's title names it."""
    out = dict(columns)
    if show is None:
        show = "recipient_iso3" in frame.columns and frame["recipient_iso3"].nunique() > 1
    if not show:
        out.pop("recipient_iso3", None)
    return out


def _span(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """Rows from the first to the last with a value in ``column``; the missing values
    between them stay, so that a plotted line breaks where windows have no deliveries."""
    if frame.empty or column not in frame.columns or frame[column].isna().all():
        return frame.iloc[0:0]
    valid = frame[column].notna().to_numpy()
    first, last = int(valid.argmax()), len(valid) - 1 - int(valid[::-1].argmax())
    return frame.iloc[first : last + 1].reset_index(drop=True)


def _gaps(rows: pd.DataFrame, column: str) -> str:
    """ " Windows without deliveries (…) break the line." or ""."""
    empty = list(rows.loc[rows[column].isna(), "window"])
    if not empty:
        return ""
    return f" Windows without deliveries ({join_words(empty)}) break the line."


def _ordered(labels: Iterable[str], keep: Sequence[str]) -> list[str]:
    present = list(labels)
    return [label for label in [*keep, A.OTHER] if label in present]


# --- deliveries ------------------------------------------------------------------------


def deliveries_wide(table: pd.DataFrame, keep: Sequence[str]) -> pd.DataFrame:
    """TIV per year (rows) and charted supplier (columns), the rest as Other; suppliers
    without deliveries in the period are left out."""
    lumped = A.lump_others(table, keep)
    wide = lumped.pivot_table(
        index="year", columns="supplier_label", values="tiv_mn", aggfunc="sum", sort=False
    ).fillna(0.0)
    order = [c for c in _ordered(wide.columns, keep) if wide[c].sum() > 0]
    wide = wide[order].sort_index()
    wide.columns.name = None
    return wide


def _lead(totals: pd.Series) -> str:
    """The largest supplier of a totals series, preferring a named one to Other."""
    named = totals.drop(labels=[A.OTHER], errors="ignore")
    pool = named if not named.empty and named.max() > 0 else totals
    return str(pool.sort_values(ascending=False, kind="mergesort").index[0])


def deliveries_sentence(wide: pd.DataFrame) -> str:
    """One sentence on a :func:`deliveries_wide` frame: the largest supplier's share of
    the total and the peak year."""
    totals = wide.sum(axis=1)
    total = float(totals.sum())
    top = _lead(wide.sum())
    first, last = int(wide.index.min()), int(wide.index.max())
    return (
        f"{top} delivered {share_text(100 * wide[top].sum() / total)} of the "
        f"{tiv_text(total)} received in {period(first, last)}; the largest yearly total was "
        f"{tiv_text(totals.max())}, in {int(totals.idxmax())}."
    )


def deliveries_figure(
    table: pd.DataFrame, keep: Sequence[str], *, name: str, cite: Citation | None = None
) -> Element:
    """Stacked bars of TIV delivered per year by supplier (``keep`` named, the rest Other).

    Args:
        table: A :func:`arms.supplier_year_table`.
        keep: Suppliers to name (:func:`chart_suppliers`).
        name: Reader name of the recipient.
        cite: Sources of the rows.

    Returns:
        The figure, or a note when nothing was delivered in the period.
    """
    if table.empty:
        return report.Note(f"SIPRI records no deliveries to {name} in the chosen years.")
    first, last = int(table["year"].min()), int(table["year"].max())
    wide = deliveries_wide(table, keep)
    if wide.empty or float(wide.to_numpy().sum()) <= 0:
        return report.Note(f"SIPRI records no deliveries to {name} in {period(first, last)}.")
    colours = plotting.palette(wide.columns)
    fig, ax = _axes()
    _stacked(ax, wide.index.to_numpy(), wide, colours, 0.8)
    plotting.label_axes(
        ax, xlabel="Delivery year", ylabel="Deliveries (TIV mn)", legend=_LEGEND_OUTSIDE
    )
    totals = wide.sum(axis=1)
    top = _lead(wide.sum())
    active = totals > 0
    lead_years = int((wide[active].idxmax(axis=1) == top).sum())
    alt = (
        f"Stacked bar chart of major-arms deliveries to {name} per year from {first} to "
        f"{last}, in TIV millions, by supplier: {join_words(list(wide.columns))}. Deliveries "
        f"were recorded in {int(active.sum())} of {len(wide)} years; {top} had the largest "
        f"share in {lead_years} of them, and the yearly total peaked at "
        f"{tiv_text(totals.max())} in {int(totals.idxmax())}."
    )
    data = wide.reset_index().melt(
        id_vars="year", var_name="supplier", value_name="deliveries_tiv_mn"
    )
    return report.Figure(
        fig,
        title=f"{name}: arms deliveries by supplier, {period(first, last)}",
        subtitle=deliveries_sentence(wide),
        alt=alt,
        data=data,
        note=TIV_SOURCE_NOTE,
        anchor="fig-arms-deliveries",
        **(cite.kwargs() if cite else {}),
    )


def window_shares_wide(windows: pd.DataFrame, keep: Sequence[str]) -> pd.DataFrame:
    """Shares (%) per window with deliveries (rows) and charted supplier (columns)."""
    lumped = A.lump_others(windows, keep)
    lumped = lumped[lumped["total_tiv_mn"] > 0]
    if lumped.empty:
        return pd.DataFrame()
    wide = lumped.pivot_table(
        index="window", columns="supplier_label", values="share_pct", aggfunc="sum", sort=False
    ).fillna(0.0)
    order = [c for c in _ordered(wide.columns, keep) if wide[c].sum() > 0]
    wide = wide[order].sort_index()
    wide.columns.name = None
    return wide


def share_change_sentence(shares: pd.DataFrame, label: str) -> str:
    """How ``label``'s share moved from the first to the last row of a shares frame
    (rows: windows in order; values in %)."""
    a, b = float(shares[label].iloc[0]), float(shares[label].iloc[-1])
    wa, wb = str(shares.index[0]), str(shares.index[-1])
    if len(shares) == 1:
        return f"{label} supplied {share_text(a)} of deliveries in {wa}."
    if share_text(a) == share_text(b):
        return f"{possessive(label)} share was {share_text(a)} in {wa} and in {wb}."
    verb = "rose" if b > a else "fell"
    return (
        f"{possessive(label)} share {verb} from {share_text(a)} in {wa} to {share_text(b)} in {wb}."
    )


def focus_supplier(windows: pd.DataFrame, keep: Sequence[str]) -> str:
    """The supplier the window-share sentences follow: the one that delivered most over
    the windows (a named supplier before Other)."""
    lumped = A.lump_others(windows, keep)
    return _lead(lumped.groupby("supplier_label")["tiv_mn"].sum())


def window_shares_figure(
    windows: pd.DataFrame,
    keep: Sequence[str],
    *,
    name: str,
    window: int,
    cite: Citation | None = None,
) -> Element:
    """100 % stacked bars of each window's supplier shares (windows without deliveries
    are left out).

    Args:
        windows: A :func:`arms.window_sums` table (non-overlapping windows).
        keep: Suppliers to name; the rest are Other.
        name: Reader name of the recipient.
        window: Window length in years.
        cite: Sources of the rows.
    """
    wide = window_shares_wide(windows, keep) if not windows.empty else pd.DataFrame()
    if wide.empty:
        return report.Note(
            f"No {window}-year window has deliveries to {name}: no shares to compare."
        )
    colours = plotting.palette(wide.columns)
    fig, ax = _axes()
    x = np.arange(len(wide))
    _stacked(ax, x, wide, colours, 0.7)
    ax.set_xticks(x, list(wide.index), fontsize=8)
    ax.set_ylim(0, 100)
    plotting.label_axes(
        ax,
        xlabel="Window of delivery years",
        ylabel="Share of deliveries (% of TIV)",
        legend=_LEGEND_OUTSIDE,
    )
    label = focus_supplier(windows, keep)
    leads = int((wide.idxmax(axis=1) == label).sum())
    empty = sorted(set(windows["window"]) - set(wide.index))
    alt = (
        f"100 % stacked bar chart of the suppliers' shares of major-arms deliveries to {name} "
        f"in {plural(len(wide), 'window')} of {window} years, {wide.index[0]} to "
        f"{wide.index[-1]}, by supplier: {join_words(list(wide.columns))}. "
        f"{possessive(label)} share is {share_text(wide[label].iloc[0])} in the first and "
        f"{share_text(wide[label].iloc[-1])} in the last window; it is the largest supplier "
        f"in {leads} of the {len(wide)} windows."
    )
    data = (
        wide.reset_index()
        .melt(id_vars="window", var_name="supplier", value_name="share_of_deliveries_pct")
        .rename(columns={"window": "window_years"})
    )
    return report.Figure(
        fig,
        title=f"{name}: supplier shares per {window}-year window",
        subtitle=share_change_sentence(wide, label),
        alt=alt,
        data=data,
        columns={
            "window_years": "Window",
            "supplier": "Supplier",
            "share_of_deliveries_pct": "Share of deliveries (% of TIV)",
        },
        note=(f"Windows without deliveries are left out: {join_words(empty)}. " if empty else "")
        + TIV_SOURCE_NOTE,
        anchor="fig-arms-window-shares",
        **(cite.kwargs() if cite else {}),
    )


def window_table(
    windows: pd.DataFrame,
    keep: Sequence[str],
    *,
    name: str,
    window: int,
    start_year: int,
    cite: Citation | None = None,
) -> Element:
    """TIV delivered per window (columns) by supplier (rows), with a total row.

    Args:
        windows: A :func:`arms.window_sums` table (non-overlapping windows).
        keep: Suppliers to name; the rest are Other.
        name: Reader name of the recipient.
        window: Window length in years.
        start_year: First year of the period (to say which years no window covers).
        cite: Sources of the rows.
    """
    if windows.empty:
        return report.Note(f"The period holds no complete window of {window} years.")
    lumped = A.lump_others(windows, keep)
    wide = lumped.pivot_table(
        index="supplier_label", columns="window", values="tiv_mn", aggfunc="sum", sort=False
    ).fillna(0.0)
    wide = wide.loc[_ordered(wide.index, keep)]
    wide.loc["Total"] = wide.sum()
    wide.columns = [f"{w} (TIV mn)" for w in wide.columns]
    frame = wide.reset_index().rename(columns={"supplier_label": "Supplier"})
    first = int(windows["first_year"].min())
    subtitle = (
        f"Sums of the TIV delivered in each window of {window} years, aligned to end in "
        f"{int(windows['last_year'].max())}"
        + (
            f"; {period(start_year, first - 1)} fill no complete window and are left out."
            if first > start_year
            else "."
        )
    )
    columns: dict[str, report.Col] = {"Supplier": report.Col(header="Supplier", kind="text")}
    columns |= {c: report.Col(header=c, kind="number", decimals=1) for c in wide.columns}
    return report.Table(
        frame,
        columns,
        title=f"{name}: deliveries per {window}-year window by supplier",
        subtitle=subtitle,
        note=TIV_SOURCE_NOTE,
        anchor="tbl-arms-window-deliveries",
        **(cite.kwargs() if cite else {}),
    )


def ranking_table(
    ranking: pd.DataFrame,
    *,
    title: str,
    subtitle: str,
    anchor: str,
    cite: Citation | None = None,
) -> Element:
    """A :func:`arms.supplier_ranking` as a table (rank, supplier, TIV, share)."""
    if ranking.empty:
        return report.Note(f"{title}: no deliveries, so no ranking.")
    return report.Table(
        ranking,
        {
            "rank": report.Col(header="Rank (1 = largest)", kind="integer"),
            "supplier_label": report.Col(header="Supplier", kind="text"),
            "tiv_mn": report.Col(header="Delivered (TIV mn)", kind="number", decimals=1),
            "share_pct": report.Col(header="Share of deliveries (%)", kind="number", decimals=2),
        },
        title=title,
        subtitle=subtitle,
        note=TIV_SOURCE_NOTE,
        anchor=anchor,
        **(cite.kwargs() if cite else {}),
    )


def total_sentence(ranking: pd.DataFrame, *, name: str, first: int, last: int) -> str:
    """ "{name} received N TIV mn in {period(first, last)}; Russia supplied x % of it." """
    if ranking.empty:
        return f"SIPRI records no deliveries of major arms to {name} in {period(first, last)}."
    total = float(ranking["tiv_mn"].sum())
    top = ranking.iloc[0]
    russia = ranking[ranking["supplier_label"] == A.RUSSIA]
    lead = (
        f"Russia supplied {share_text(russia['share_pct'].iloc[0])} of it"
        if not russia.empty
        else "Russia supplied none of it"
    )
    if top["supplier_label"] != A.RUSSIA:
        lead += f", {top['supplier_label']} the most ({share_text(top['share_pct'])})"
    return f"{name} received {tiv_text(total)} of major arms in {period(first, last)}; {lead}."


def rank_sentence(ranking: pd.DataFrame, label: str = A.CHINA, *, grouped: str = "") -> str:
    """Where ``label`` ranks in a ranking: "China ranks 12th of 14 suppliers with …"."""
    rank = A.rank_of(ranking, label)
    where = f" with {grouped}" if grouped else ""
    if rank is None:
        return f"{label} delivered nothing in this period{where}."
    row = ranking[ranking["supplier_label"] == label].iloc[0]
    ahead = list(ranking.loc[ranking["rank"] < rank, "supplier_label"])
    behind = f", behind {join_words(ahead)}" if 0 < len(ahead) <= 10 else ""
    return (
        f"{label} ranks {ordinal(rank)} of {plural(len(ranking), 'supplier')}{where}, with "
        f"{tiv_text(row['tiv_mn'])} ({share_text(row['share_pct'])}){behind}."
    )


def ordinal(n: int) -> str:
    """``1`` → ``1st``, ``12`` → ``12th``, ``22`` → ``22nd``."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# --- Russia and China ------------------------------------------------------------------


def russia_china_sentence(rc: pd.DataFrame) -> str:
    """Russia's range and China's peak over the windows of :func:`arms.russia_china`."""
    rows = rc.dropna(subset=["russia_share_pct"])
    lo = rows.loc[rows["russia_share_pct"].idxmin()]
    hi = rows.loc[rows["russia_share_pct"].idxmax()]
    ch = rows.loc[rows["china_share_pct"].idxmax()]
    china = (
        f"China's peaked at {share_text(ch['china_share_pct'])} in {ch['window']}"
        if ch["china_share_pct"] > 0
        else "China had no share in any window"
    )
    if share_text(lo["russia_share_pct"]) == share_text(hi["russia_share_pct"]):
        russia = f"Russia's share was {share_text(lo['russia_share_pct'])} in every window"
    else:
        russia = (
            f"Russia's share ranged from {share_text(lo['russia_share_pct'])} in "
            f"{lo['window']} to {share_text(hi['russia_share_pct'])} in {hi['window']}"
        )
    return f"{russia}; {china}."


def russia_china_figure(
    rc: pd.DataFrame, *, name: str, window: int, cite: Citation | None = None
) -> Element:
    """Russia's and China's shares in rolling windows (x: the window's last year).

    Args:
        rc: :func:`arms.russia_china` of rolling windows.
        name: Reader name of the recipient.
        window: Window length in years.
        cite: Sources of the rows.
    """
    rows = _span(rc, "russia_share_pct")
    if rows.empty:
        return report.Note(f"No rolling window of {window} years has deliveries to {name}.")
    colours = plotting.palette([A.RUSSIA, A.CHINA])
    fig, ax = _axes()
    for col, label in (("russia_share_pct", A.RUSSIA), ("china_share_pct", A.CHINA)):
        ax.plot(rows["last_year"], rows[col], marker=".", label=label, color=colours[label])
    ax.set_ylim(0, 100)
    plotting.label_axes(
        ax,
        xlabel="Last year of the window",
        ylabel="Share of deliveries (% of TIV)",
        legend=_LEGEND_OUTSIDE,
    )
    alt = (
        f"Line chart of Russia's and China's shares of major-arms deliveries to {name} in "
        f"{plural(int(rows['russia_share_pct'].notna().sum()), 'rolling window')} of "
        f"{window} years with deliveries, the first ending in "
        f"{int(rows['last_year'].iloc[0])} and the last in {int(rows['last_year'].iloc[-1])}; "
        f"Russia's line runs between {share_text(rows['russia_share_pct'].min())} and "
        f"{share_text(rows['russia_share_pct'].max())}, China's between "
        f"{share_text(rows['china_share_pct'].min())} and "
        f"{share_text(rows['china_share_pct'].max())}." + _gaps(rows, "russia_share_pct")
    )
    return report.Figure(
        fig,
        title=f"{name}: Russia's and China's shares, rolling {window}-year windows",
        subtitle=russia_china_sentence(rows),
        alt=alt,
        data=rows[["window", "last_year", "russia_share_pct", "china_share_pct"]],
        columns={
            "window": "Window",
            "last_year": "Last year of the window",
            "russia_share_pct": "Russia's share of deliveries (% of TIV)",
            "china_share_pct": "China's share of deliveries (% of TIV)",
        },
        note=TIV_SOURCE_NOTE,
        anchor="fig-arms-russia-china",
        **(cite.kwargs() if cite else {}),
    )


def russia_china_table(
    rc: pd.DataFrame, *, name: str, window: int, cite: Citation | None = None
) -> Element:
    """Russia's and China's TIV and shares per rolling window."""
    if rc.empty:
        return report.Note(f"No rolling window of {window} years fits the period.")
    return report.Table(
        rc,
        {
            "window": report.Col(header="Window", kind="text"),
            "total_tiv_mn": report.Col(header="All suppliers (TIV mn)", decimals=1),
            "russia_tiv_mn": report.Col(header="Russia (TIV mn)", decimals=1),
            "china_tiv_mn": report.Col(header="China (TIV mn)", decimals=1),
            "russia_share_pct": report.Col(header="Russia's share (%)", decimals=1),
            "china_share_pct": report.Col(header="China's share (%)", decimals=1),
        },
        title=f"{name}: Russia and China in rolling {window}-year windows",
        missing_note="no deliveries in the window, so no shares.",
        note=TIV_SOURCE_NOTE,
        anchor="tbl-arms-russia-china",
        **(cite.kwargs() if cite else {}),
    )


def china_sentence(first_year: int | None, china_deals: pd.DataFrame, *, name: str) -> str:
    """China's first delivery and its deals, or that it delivered nothing."""
    if first_year is None:
        return f"China delivered no major arms to {name} in this edition."
    return (
        f"China's first recorded delivery to {name} was in {first_year}; this edition lists "
        f"{plural(len(china_deals), 'Chinese deal')} with "
        f"{tiv_text(china_deals['delivered_tiv_mn'].fillna(0).sum())} delivered."
    )


def china_deals_table(
    china_deals: pd.DataFrame,
    first_year: int | None,
    *,
    name: str,
    show_recipient: bool | None = None,
    cite: Citation | None = None,
) -> Element:
    """China's deals with the recipient(s) (a :func:`arms.deal_register`), or a note
    (``show_recipient``: a recipient column; default when the rows have several)."""
    sentence = china_sentence(first_year, china_deals, name=name)
    if china_deals.empty:
        return report.Note(sentence)
    shown = [
        "recipient_iso3",
        "weapon",
        "ordered_count",
        "delivered_count",
        "order_year",
        "delivery_years",
        "status_aid",
        "delivered_tiv_mn",
    ]
    return report.Table(
        register_view(china_deals),
        _recipient_columns({k: REGISTER_COLUMNS[k] for k in shown}, china_deals, show_recipient),
        title=f"{name}: deals with China",
        subtitle=sentence,
        missing_note=REGISTER_MISSING,
        note=TIV_SOURCE_NOTE,
        anchor="tbl-arms-china-deals",
        **(cite.kwargs() if cite else {}),
    )


# --- concentration ---------------------------------------------------------------------


def concentration_sentence(conc: pd.DataFrame) -> str:
    """HHI of the first and last window with deliveries, and the top supplier."""
    c = conc.dropna(subset=["hhi_points"])
    if c.empty:
        return "No window has deliveries, so concentration is not computed."
    first, last = c.iloc[0], c.iloc[-1]
    tail = (
        f"the largest supplier in {last['window']} was {last['top_supplier']} with "
        f"{share_text(last['top_share_pct'])}"
    )
    if len(c) == 1:
        return (
            f"The index was {report.number(first['hhi_points'], 0)} points in "
            f"{first['window']} (like {report.number(first['equivalent_suppliers'], 1)} equally "
            f"large suppliers); {tail}."
        )
    return (
        f"Concentration went from {report.number(first['hhi_points'], 0)} points in "
        f"{first['window']} (like {report.number(first['equivalent_suppliers'], 1)} equally "
        f"large suppliers) to {report.number(last['hhi_points'], 0)} in {last['window']} "
        f"({report.number(last['equivalent_suppliers'], 1)}); {tail}."
    )


def concentration_table(
    conc: pd.DataFrame, *, name: str, window: int, cite: Citation | None = None
) -> Element:
    """:func:`arms.hhi` per window as a table."""
    if conc.empty:
        return report.Note("No complete window: concentration not computed.")
    return report.Table(
        conc,
        {
            "window": report.Col(header="Window", kind="text"),
            "suppliers": report.Col(header="Suppliers (number)", kind="integer"),
            "hhi_points": report.Col(header="HHI (points)", decimals=0),
            "equivalent_suppliers": report.Col(
                header="Equally large suppliers (number)", decimals=1
            ),
            "top_supplier": report.Col(header="Largest supplier", kind="text"),
            "top_share_pct": report.Col(header="Largest supplier's share (%)", decimals=1),
        },
        title=f"{name}: supplier concentration per {window}-year window",
        subtitle=concentration_sentence(conc),
        missing_note="no deliveries from identified suppliers in the window.",
        note="Unknown suppliers are left out.",
        anchor="tbl-arms-concentration",
        **(cite.kwargs() if cite else {}),
    )


def concentration_figure(
    conc: pd.DataFrame, *, name: str, window: int, cite: Citation | None = None
) -> Element:
    """HHI per rolling window with the 1,800-point line (x: the window's last year).

    Args:
        conc: :func:`arms.hhi` of rolling windows.
        name: Reader name of the recipient.
        window: Window length in years.
        cite: Sources of the rows.
    """
    rows = _span(conc, "hhi_points")
    if rows.empty:
        return report.Note(f"No rolling window of {window} years has deliveries to {name}.")
    fig, ax = _axes()
    ink = plotting.SECONDARY_COLORS[3]
    ax.plot(rows["last_year"], rows["hhi_points"], marker=".", color=ink, label="HHI")
    ax.axhline(
        HHI_HIGH, color="#777777", linestyle="--", linewidth=1, label="1,800 (highly concentrated)"
    )
    ax.set_ylim(0, 10_000)
    plotting.label_axes(
        ax,
        xlabel="Last year of the window",
        ylabel="Herfindahl–Hirschman index (points, 0–10,000)",
        legend={"frameon": False, "fontsize": 8, "loc": "lower left"},
    )
    n = int(rows["hhi_points"].notna().sum())
    above = int((rows["hhi_points"] > HHI_HIGH).sum())
    lo = rows.loc[rows["hhi_points"].idxmin()]
    where = (
        f"in all {n} windows" if above == n and n > 1 else f"in {above} of {plural(n, 'window')}"
    )
    subtitle = (
        f"The index was above 1,800 points, the threshold of a highly concentrated market, "
        f"{where}; its lowest value was {report.number(lo['hhi_points'], 0)} in {lo['window']}."
    )
    alt = (
        f"Line chart of the Herfindahl–Hirschman index of supplier concentration for "
        f"major-arms deliveries to {name} in {plural(n, 'rolling window')} of {window} years "
        "with deliveries, "
        f"ranging from {report.number(rows['hhi_points'].min(), 0)} to "
        f"{report.number(rows['hhi_points'].max(), 0)} points, with a dashed line at 1,800 "
        "points." + _gaps(rows, "hhi_points")
    )
    return report.Figure(
        fig,
        title=f"{name}: supplier concentration (HHI), rolling {window}-year windows",
        subtitle=subtitle,
        alt=alt,
        data=rows[["window", "last_year", "hhi_points"]],
        columns={
            "window": "Window",
            "last_year": "Last year of the window",
            "hhi_points": "HHI (points)",
        },
        note="Unknown suppliers are left out.",
        anchor="fig-arms-concentration",
        **(cite.kwargs() if cite else {}),
    )


# --- shift-share -----------------------------------------------------------------------


def shift_sentence(shifts: pd.DataFrame) -> str:
    """Who gained and lost most between the two windows of a :func:`arms.shift_share`,
    and China's and Russia's changes."""
    before, after = shifts.attrs.get("before", "?"), shifts.attrs.get("after", "?")
    change = shifts.set_index("supplier_label")["change_pp"]
    if change.abs().max() < 0.05:
        return f"Between {before} and {after} no supplier's share changed."
    rise, fall = str(change.idxmax()), str(change.idxmin())
    text = (
        f"Between {before} and {after} {possessive(rise)} share rose most "
        f"({pp_text(change[rise])}) and {possessive(fall)} fell most ({signed(change[fall])})"
    )
    extra = [
        f"{possessive(label)} changed by {signed(change.get(label, 0.0))}"
        for label in (A.CHINA, A.RUSSIA)
        if label not in (rise, fall)
    ]
    return text + ("; " + " and ".join(extra) if extra else "") + "."


def shift_summary_sentence(shifts: pd.DataFrame) -> str:
    """China's and Russia's changes, the losers and Russia's part of all share lost."""
    s = A.shift_share_summary(shifts)
    losers = list(s["losers"])  # type: ignore[arg-type]
    shown = (
        ", ".join(losers[:6]) + f" and {len(losers) - 6} more"
        if len(losers) > 6
        else join_words(losers)
    )
    return (
        f"China's share changed by {pp_text(s['gainer_change_pp'])}, Russia's by "  # type: ignore[arg-type]
        f"{signed(s['focus_change_pp'])}; the suppliers that lost share, largest loss first: "  # type: ignore[arg-type]
        f"{shown or 'none'}; Russia accounts for {share_text(s['focus_share_of_losses_pct'])} "
        "of all share lost."
    )


def shift_table(
    shifts: pd.DataFrame, *, name: str, anchor: str, cite: Citation | None = None
) -> Element:
    """One :func:`arms.shift_share` as a table (shares, change, attribution)."""
    before, after = shifts.attrs.get("before", "?"), shifts.attrs.get("after", "?")
    return report.Table(
        shifts,
        {
            "supplier_label": report.Col(header="Supplier", kind="text"),
            "tiv_before_mn": report.Col(header=f"{before} (TIV mn)", decimals=1),
            "tiv_after_mn": report.Col(header=f"{after} (TIV mn)", decimals=1),
            "share_before_pct": report.Col(header=f"Share {before} (%)", decimals=1),
            "share_after_pct": report.Col(header=f"Share {after} (%)", decimals=1),
            "change_pp": report.Col(header="Change (percentage points)", decimals=1),
            "share_of_losses_pct": report.Col(header="Part of all share lost (%)", decimals=1),
            "attributed_gain_pp": report.Col(
                header="China's gain attributed (percentage points)", decimals=1
            ),
        },
        title=f"{name}: supplier shares, {before} vs {after}",
        subtitle=shift_summary_sentence(shifts),
        note=TIV_SOURCE_NOTE,
        anchor=anchor,
        **(cite.kwargs() if cite else {}),
    )


def shift_share_figure(
    shifts: pd.DataFrame, *, name: str, top: int = 10, cite: Citation | None = None
) -> Element:
    """Bars of each supplier's change in share between two windows (the ``top`` largest
    changes), coloured by supplier.

    Args:
        shifts: A :func:`arms.shift_share` table.
        name: Reader name of the recipient.
        top: Number of suppliers shown (largest absolute changes).
        cite: Sources of the rows.
    """
    before, after = shifts.attrs.get("before", "?"), shifts.attrs.get("after", "?")
    part = shifts.reindex(
        shifts["change_pp"].abs().sort_values(ascending=False, kind="mergesort").index[:top]
    )
    part = part.sort_values(["change_pp", "supplier_label"]).reset_index(drop=True)
    colours = plotting.palette(part["supplier_label"])
    fig, ax = _axes()
    x = np.arange(len(part))
    ax.bar(x, part["change_pp"], color=[colours[s] for s in part["supplier_label"]], width=0.7)
    ax.axhline(0, color="#000000", linewidth=0.8)
    ax.set_xticks(x, list(part["supplier_label"]), rotation=30, ha="right", fontsize=8)
    plotting.label_axes(
        ax,
        xlabel="Supplier",
        ylabel="Change in share of deliveries (percentage points)",
        legend=False,
    )
    rise = part.loc[part["change_pp"].idxmax()]
    fall = part.loc[part["change_pp"].idxmin()]
    up, down = int((part["change_pp"] > 0).sum()), int((part["change_pp"] < 0).sum())
    alt = (
        f"Bar chart of the change in each supplier's share of major-arms deliveries to {name} "
        f"between {before} and {after}, in percentage points, for the "
        f"{plural(len(part), 'supplier')} with the largest changes: {up} rose and {down} fell; "
        f"the largest rise is {rise['supplier_label']} ({signed(rise['change_pp'])}), the "
        f"largest fall {fall['supplier_label']} ({signed(fall['change_pp'])})."
    )
    return report.Figure(
        fig,
        title=f"{name}: change in supplier shares, {before} vs {after}",
        subtitle=shift_sentence(shifts),
        alt=alt,
        data=part[["supplier_label", "change_pp"]],
        columns={
            "supplier_label": "Supplier",
            "change_pp": "Change in share of deliveries (percentage points)",
        },
        note=TIV_SOURCE_NOTE,
        anchor="fig-arms-shift-share",
        **(cite.kwargs() if cite else {}),
    )


def sensitivity_sentence(sens: pd.DataFrame) -> str:
    """How often China's share rose across window pairs, and Russia's fell with it."""
    n_gain = int((sens["china_change_pp"] > 0).sum())
    both = int(((sens["china_change_pp"] > 0) & (sens["russia_change_pp"] < 0)).sum())
    head = f"In {n_gain} of {plural(len(sens), 'window pair')} China's share rose"
    if n_gain == 0:
        return head + "."
    return head + f"; in {both or 'none'} of those Russia's share fell at the same time."


def sensitivity_table(
    sens: pd.DataFrame, *, name: str, window: int, cite: Citation | None = None
) -> Element:
    """:func:`arms.shift_share_pairs` of every pair of adjacent windows as a table."""
    if sens.empty:
        return report.Note(f"No pair of adjacent {window}-year windows with deliveries to {name}.")
    losers = sens["largest_loser"].value_counts()
    return report.Table(
        sens,
        {
            "before": report.Col(header="Before", kind="text"),
            "after": report.Col(header="After", kind="text"),
            "china_change_pp": report.Col(header="China's change (percentage points)", decimals=1),
            "russia_change_pp": report.Col(
                header="Russia's change (percentage points)", decimals=1
            ),
            "russia_share_of_losses_pct": report.Col(
                header="Russia's part of all share lost (%)", decimals=1
            ),
            "largest_loser": report.Col(header="Largest loser", kind="text"),
            "largest_loss_pp": report.Col(header="Largest loss (percentage points)", decimals=1),
            "china_share_after_pct": report.Col(header="China's share after (%)", decimals=1),
        },
        title=f"{name}: shift-share for every pair of adjacent {window}-year windows",
        subtitle=sensitivity_sentence(sens),
        notes=[
            "Largest loser: "
            + "; ".join(f"{k} in {plural(int(v), 'pair')}" for k, v in losers.items())
            + "."
        ],
        note=TIV_SOURCE_NOTE,
        anchor="tbl-arms-shift-sensitivity",
        **(cite.kwargs() if cite else {}),
    )


# --- deal register ---------------------------------------------------------------------

#: Columns of a :func:`arms.deal_register` (with :func:`register_view`'s ``weapon`` and
#: ``status_aid``) as the report shows them. The fields SIPRI marks uncertain, TIV per
#: unit and TIV ordered stay in the curated table: with them the rows grow too tall.
REGISTER_COLUMNS: dict[str, report.Col] = {
    "recipient_iso3": report.Col(header="Recipient", kind="country"),
    "supplier_label": report.Col(header="Supplier", kind="text"),
    "weapon": report.Col(header="Weapon", kind="text"),
    "designation": report.Col(header="Designation", kind="text"),
    "description": report.Col(header="Description", kind="text"),
    "ordered_count": report.Col(header="Ordered (number)", kind="integer"),
    "delivered_count": report.Col(header="Delivered (number)", kind="integer"),
    "order_year": report.Col(header="Order year", kind="year"),
    "delivery_years": report.Col(header="Delivery years", kind="text"),
    "status": report.Col(header="Status", kind="text"),
    "status_aid": report.Col(header="Status", kind="text"),
    "aid": report.Col(header="Aid or gift", kind="bool"),
    "delivered_tiv_mn": report.Col(header="Delivered (TIV mn)", kind="number", decimals=1),
    "comments": report.Col(header="SIPRI's comments", kind="text"),
}

#: Why a register cell is empty.
REGISTER_MISSING = "not recorded in SIPRI's register (for example, nothing delivered yet)."


def register_view(register: pd.DataFrame) -> pd.DataFrame:
    """A :func:`arms.deal_register` with ``weapon`` ("Cobra-2, armoured personnel
    carrier") and ``status_aid`` ("Second hand; aid or gift"), fewer and wider columns."""

    def weapon(designation: object, description: object) -> str | None:
        parts = [str(x) for x in (designation, description) if not _missing(x) and str(x)]
        if len(parts) == 2 and parts[0].casefold() == parts[1].casefold():
            parts = parts[:1]
        return ", ".join(parts) or None

    def status(text: object, aid: object) -> str | None:
        base = None if _missing(text) else str(text)
        if bool(aid):
            return f"{base}; aid or gift" if base else "aid or gift"
        return base

    return register.assign(
        weapon=[
            weapon(a, b)
            for a, b in zip(register["designation"], register["description"], strict=True)
        ],
        status_aid=[status(a, b) for a, b in zip(register["status"], register["aid"], strict=True)],
    )


def register_sentence(register: pd.DataFrame) -> str:
    """Deals, aid and second-hand counts of a :func:`arms.deal_register`."""
    second = int(register["status"].fillna("").str.startswith("Second hand").sum())
    return (
        f"{plural(len(register), 'deal')}; {int(register['aid'].sum())} marked as aid or a "
        f"gift; {second} second-hand."
    )


def register_table(
    register: pd.DataFrame,
    *,
    name: str,
    edition: str,
    anchor: str = "tbl-arms-register",
    cite: Citation | None = None,
) -> Element:
    """Every deal of one recipient in one edition (sortable, filterable).

    Args:
        register: :func:`arms.deal_register` rows (without ``deal_id``).
        name: Reader name of the recipient.
        edition: Deal-register edition.
        anchor: Anchor of the table (one per recipient in a regional report).
        cite: Sources of the rows.
    """
    if register.empty:
        return report.Note(f"SIPRI's register lists no deal for {name} in this edition.")
    shown = [
        "recipient_iso3",
        "supplier_label",
        "weapon",
        "ordered_count",
        "delivered_count",
        "order_year",
        "delivery_years",
        "status_aid",
        "delivered_tiv_mn",
        "comments",
    ]
    return report.Table(
        register_view(register),
        _recipient_columns({k: REGISTER_COLUMNS[k] for k in shown}, register, None),
        title=f"{name}: SIPRI trade register, edition of {edition_text(edition)}",
        subtitle=register_sentence(register),
        missing_note=REGISTER_MISSING,
        note=TIV_SOURCE_NOTE,
        anchor=anchor,
        **(cite.kwargs() if cite else {}),
    )


def register_tables(
    register: pd.DataFrame, *, edition: str, cite: Citation | None = None
) -> list[Element]:
    """:func:`register_table` per recipient, in the order of :data:`CA5` (a regional
    register in one table would exceed what a report keeps of one output)."""
    out: list[Element] = []
    for code in [c for c in CA5 if c in set(register["recipient_iso3"])]:
        part = register[register["recipient_iso3"] == code].reset_index(drop=True)
        anchor = (
            "tbl-arms-register"
            if register["recipient_iso3"].nunique() == 1
            else (f"tbl-arms-register-{code.lower()}")
        )
        out.append(
            register_table(
                part, name=recipient_name(code), edition=edition, anchor=anchor, cite=cite
            )
        )
    return out


def lookup_table(
    summary: pd.DataFrame, *, name: str, edition: str, cite: Citation | None = None
) -> Element:
    """:func:`arms.lookup_summary` with each lookup's search rule in words."""
    rows = summary.assign(
        search=summary["lookup"].map(A.THESIS_DEAL_SEARCH),
        order_years=summary["order_years"].replace("", None),
        delivery_years=summary["delivery_years"].replace("", None),
    )
    found = int((rows["deals"] > 0).sum())
    return report.Table(
        rows,
        {
            "lookup": report.Col(header="Named in the thesis", kind="text"),
            "search": report.Col(header="How it is found in the register", kind="text"),
            "deals": report.Col(header="Deals (number)", kind="integer"),
            "ordered": report.Col(header="Ordered (number)", kind="integer"),
            "delivered": report.Col(header="Delivered (number)", kind="integer"),
            "delivered_tiv_mn": report.Col(header="Delivered (TIV mn)", decimals=1),
            "order_years": report.Col(header="Order years", kind="text"),
            "delivery_years": report.Col(header="Delivery years", kind="text"),
        },
        title=f"{name}: deals the thesis names, edition of {edition_text(edition)}",
        subtitle=(
            f"{found} of the {plural(len(rows), 'deal')} the thesis names are in the register."
        ),
        missing_note="no matching deal.",
        note=TIV_SOURCE_NOTE,
        anchor="tbl-arms-thesis-lookups",
        **(cite.kwargs() if cite else {}),
    )


def lookup_deals_table(
    found: pd.DataFrame,
    *,
    name: str,
    show_recipient: bool | None = None,
    cite: Citation | None = None,
) -> Element:
    """The deals each lookup of :func:`arms.thesis_deal_lookup` matched (``show_recipient``:
    a recipient column; default when the rows have several)."""
    if found.empty:
        return report.Note(f"No deal the thesis names is in the register for {name}.")
    columns: dict[str, report.Col] = {
        "lookup": report.Col(header="Named in the thesis", kind="text")
    }
    columns |= {
        k: REGISTER_COLUMNS[k]
        for k in (
            "recipient_iso3",
            "supplier_label",
            "designation",
            "ordered_count",
            "delivered_count",
            "order_year",
            "delivery_years",
            "status_aid",
            "delivered_tiv_mn",
        )
    }
    return report.Table(
        register_view(found),
        _recipient_columns(columns, found, show_recipient),
        title=f"{name}: the register's deals for each name in the thesis",
        missing_note=REGISTER_MISSING,
        note=TIV_SOURCE_NOTE,
        anchor="tbl-arms-thesis-deals",
        **(cite.kwargs() if cite else {}),
    )


def y8_note(in_edition: int, anywhere: int, *, edition: str) -> report.Note:
    """Whether any Central Asian state received Y-8 aircraft from China."""
    return report.Note(
        "Y-8 transport aircraft from China to any Central Asian state: "
        f"{plural(in_edition, 'deal')} in the edition of {edition_text(edition)} and "
        f"{anywhere} in all bundled editions "
        f"({join_words([edition_text(e) for e in BUNDLED_EDITIONS])}).",
        label="Y-8",
    )


# --- editions --------------------------------------------------------------------------


def editions_sentence(changes: pd.DataFrame, *, name: str, old: str, new: str) -> str:
    """Deals unchanged, revised, added and removed between two editions."""
    counts = changes["change"].value_counts()
    parts = [f"{int(counts.get(k, 0))} {k}" for k in ("unchanged", "revised", "added", "removed")]
    return (
        f"{name}, edition of {edition_text(old)} → edition of {edition_text(new)}: "
        f"{join_words(parts)} deals."
    )


def edition_changes_table(
    changes: pd.DataFrame,
    *,
    name: str,
    old: str,
    new: str,
    show_recipient: bool | None = None,
    cite: Citation | None = None,
) -> Element:
    """The deals that changed between two editions (:func:`arms.describe_changes`;
    ``show_recipient``: a recipient column, default when the rows have several)."""
    sentence = editions_sentence(changes, name=name, old=old, new=new)
    described = A.describe_changes(changes)
    if described.empty:
        return report.Note(sentence + " No deal changed.")
    columns = {
        "change": report.Col(header="Change", kind="text"),
        "recipient_iso3": report.Col(header="Recipient", kind="country"),
        "supplier": report.Col(header="Supplier", kind="text"),
        "designation": report.Col(header="Designation", kind="text"),
        "order_year": report.Col(header="Order year", kind="year"),
        "delivered": report.Col(header="Delivered (number)", kind="text"),
        "delivery_years": report.Col(header="Delivery years", kind="text"),
        "delivered_tiv_mn": report.Col(header="Delivered (TIV mn)", kind="text"),
        "fields_changed": report.Col(header="What changed", kind="text"),
    }
    return report.Table(
        described,
        _recipient_columns(columns, described, show_recipient),
        title=f"{name}: deals that changed between SIPRI editions",
        subtitle=sentence,
        notes=["Values read old → new; – means the deal is not in that edition."],
        anchor="tbl-arms-edition-changes",
        **(cite.kwargs() if cite else {}),
    )


def edition_totals_sentence(totals: pd.DataFrame, *, old: str, new: str) -> str:
    """How many yearly totals changed between two editions, and where most."""
    moved = totals[totals["change_tiv_mn"].abs() > 0.05]
    if moved.empty:
        return (
            f"Every yearly total is the same in the editions of {edition_text(old)} and "
            f"{edition_text(new)}."
        )
    big = moved.loc[moved["change_tiv_mn"].abs().idxmax()]
    return (
        f"Between the editions of {edition_text(old)} and {edition_text(new)} "
        f"{plural(len(moved), 'yearly total')} changed, most in {int(big['year'])} "
        f"({signed(big['change_tiv_mn'])} TIV mn)."
    )


def edition_totals_figure(
    totals: pd.DataFrame,
    *,
    name: str,
    old: str,
    new: str,
    cite: Citation | None = None,
) -> Element:
    """Yearly totals of two editions side by side (years with deliveries in either).

    Args:
        totals: :func:`arms.compare_year_totals`.
        name: Reader name of the recipient.
        old: Older edition.
        new: Newer edition.
        cite: Sources of the rows.
    """
    rows = totals[(totals["old_tiv_mn"] != 0) | (totals["new_tiv_mn"] != 0)].reset_index(drop=True)
    if rows.empty:
        return report.Note(f"Neither edition records deliveries to {name} in these years.")
    fig, ax = _axes()
    x = rows["year"].to_numpy()
    old_label, new_label = f"edition of {edition_text(old)}", f"edition of {edition_text(new)}"
    ax.bar(x - 0.2, rows["old_tiv_mn"], width=0.4, label=old_label, color="#999999")
    ax.bar(x + 0.2, rows["new_tiv_mn"], width=0.4, label=new_label, color="#000000")
    plotting.label_axes(
        ax,
        xlabel="Delivery year",
        ylabel="Deliveries (TIV mn)",
        legend={"frameon": False, "fontsize": 8},
    )
    moved = rows[rows["change_tiv_mn"].abs() > 0.05]
    alt = (
        f"Paired bar chart of yearly major-arms deliveries to {name} in TIV millions, "
        f"{period(rows['year'].min(), rows['year'].max())}, in SIPRI's {old_label} (grey) "
        f"and {new_label} (black); the bars differ in {plural(len(moved), 'year')}."
    )
    return report.Figure(
        fig,
        title=f"{name}: yearly deliveries in two SIPRI editions",
        subtitle=edition_totals_sentence(rows, old=old, new=new),
        alt=alt,
        data=rows[["year", "old_tiv_mn", "new_tiv_mn"]],
        columns={
            "year": "Year",
            "old_tiv_mn": f"Edition of {edition_text(old)} (TIV mn)",
            "new_tiv_mn": f"Edition of {edition_text(new)} (TIV mn)",
        },
        note=TIV_SOURCE_NOTE,
        anchor="fig-arms-edition-totals",
        **(cite.kwargs() if cite else {}),
    )


def edition_years_table(
    totals: pd.DataFrame, *, name: str, old: str, new: str, cite: Citation | None = None
) -> Element:
    """The years whose total changed between two editions."""
    moved = totals[totals["change_tiv_mn"].abs() > 0.05]
    if moved.empty:
        return report.Note(edition_totals_sentence(totals, old=old, new=new))
    return report.Table(
        moved,
        {
            "year": report.Col(header="Year", kind="year"),
            "old_tiv_mn": report.Col(header=f"Edition of {edition_text(old)} (TIV mn)", decimals=1),
            "new_tiv_mn": report.Col(header=f"Edition of {edition_text(new)} (TIV mn)", decimals=1),
            "change_tiv_mn": report.Col(header="Change (TIV mn)", decimals=1),
        },
        title=f"{name}: years whose total changed between the editions",
        note=TIV_SOURCE_NOTE,
        anchor="tbl-arms-edition-years",
        **(cite.kwargs() if cite else {}),
    )


# --- validation ------------------------------------------------------------------------


def validation_sentence(check: pd.DataFrame) -> str:
    """Statuses of :func:`arms.validate_totals` in one sentence."""
    counts = check["status"].value_counts()
    same = int((check["same_vintage_diff_tiv_mn"].abs() <= 1).sum())

    def n(status: str, one: str, many: str) -> str:
        k = int(counts.get(status, 0))
        return f"{k} {one if k == 1 else many}"

    parts = [
        n("match", "matches", "match") + " SIPRI's table within ±1 TIV mn",
        n("revision", "differs", "differ") + " because SIPRI revised the data later",
        n("revision or split", "differs", "differ") + " by a later revision or the even split",
        n("unexplained", "is", "are") + " unexplained",
    ]
    return (
        f"Of {plural(len(check), 'recipient-year')} checked, {join_words(parts)}; the register "
        f"of the table's vintage is within ±1 TIV mn in {same} of {len(check)}."
    )


def validation_table(
    check: pd.DataFrame,
    *,
    name: str,
    edition: str,
    show_recipient: bool | None = None,
    cite: Citation | None = None,
) -> Element:
    """The recipient-years whose rebuilt total differs from SIPRI's own import table
    (``show_recipient``: a recipient column, default when ``check`` has several)."""
    sentence = validation_sentence(check)
    off = check[check["status"] != "match"]
    if off.empty:
        return report.Note(sentence, label="Validation")
    vintage = edition_text(A.TOTALS_VINTAGE_PER_YEAR)
    columns = {
        "recipient_iso3": report.Col(header="Recipient", kind="country"),
        "year": report.Col(header="Year", kind="year"),
        "sipri_tiv_mn": report.Col(header="SIPRI's table (TIV mn)", decimals=1),
        "rebuilt_tiv_mn": report.Col(
            header=f"Rebuilt, edition of {edition_text(edition)} (TIV mn)", decimals=1
        ),
        "diff_tiv_mn": report.Col(header="Difference (TIV mn)", decimals=1),
        "same_vintage_tiv_mn": report.Col(header=f"Register of {vintage} (TIV mn)", decimals=1),
        "same_vintage_diff_tiv_mn": report.Col(
            header=f"Difference, register of {vintage} (TIV mn)", decimals=1
        ),
        "even_split_tiv_mn": report.Col(header="Spread evenly (TIV mn)", decimals=1),
        "status": report.Col(header="Status", kind="text"),
    }
    return report.Table(
        off,
        _recipient_columns(columns, check, show_recipient),
        title=f"{name}: yearly totals that differ from SIPRI's import table",
        subtitle=sentence,
        note=TIV_SOURCE_NOTE,
        anchor="tbl-arms-validation",
        **(cite.kwargs() if cite else {}),
    )


# --- the thesis' statements ------------------------------------------------------------


def _years_text(text: str) -> str:
    return text if text else "none"


def thesis_statements(
    deals_all: pd.DataFrame,
    per_year_all: pd.DataFrame,
    *,
    edition: str,
    last_year: int,
    supplier_groups: Mapping[str, Sequence[str]],
    names: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """The thesis' statements (C21–C31) computed with their own scope (Kazakhstan or the
    five states, from 1992) for one edition.

    Returns:
        ``claim`` and ``statement`` (a sentence of reader text) per claim.
    """
    names = dict(names) if names is not None else A.supplier_names(deals_all)

    def scope(codes: Sequence[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
        y = A.edition_yearly(deals_all, per_year_all, edition, codes, names)
        return y, A.supplier_year_table(y, 1992, last_year)

    kaz_y, kaz_t = scope(("KAZ",))
    _, ca_t = scope(CA5)
    kaz_rank = A.supplier_ranking(kaz_t, 1992, last_year)
    kaz_grouped = A.supplier_ranking(
        A.supplier_year_table(A.group_suppliers(kaz_y, supplier_groups), 1992, last_year),
        1992,
        last_year,
    )
    china_kaz = kaz_rank[kaz_rank["supplier_label"] == A.CHINA]
    china_share = float(china_kaz["share_pct"].iloc[0]) if not china_kaz.empty else 0.0
    roll = A.russia_china(A.window_sums(kaz_t, A.window_bounds(1992, last_year, 5, rolling=True)))
    roll = roll.dropna(subset=["china_share_pct"])
    best = roll.loc[roll["china_share_pct"].idxmax()] if not roll.empty else None
    ten = A.russia_china(
        A.window_sums(ca_t, [b for b in [(2011, 2020), (2012, 2021)] if b[1] <= last_year])
    )
    pairs = A.shift_share_pairs(ca_t, A.THESIS_WINDOW_PAIRS)
    lookup = A.lookup_summary(
        A.thesis_deal_lookup(A.select_edition(deals_all, edition, ("KAZ",)))
    ).set_index("lookup")
    first = A.first_delivery_year(kaz_y, A.CHINA)
    china_rank = A.rank_of(kaz_grouped, A.CHINA)
    rows = [
        (
            "C21",
            f"China's share of Kazakhstan's imports 1992–{last_year}: {share_text(china_share)} "
            "(thesis 1.1 %)"
            + (
                f"; highest in any 5-year window: {share_text(best['china_share_pct'])} "
                f"({best['window']})."
                if best is not None
                else "."
            ),
        ),
        (
            "C22",
            f"Ranking with {join_words(list(supplier_groups))} grouped, Kazakhstan 1992–"
            f"{last_year}: "
            + ", ".join(f"{r.rank}. {r.supplier_label}" for r in kaz_grouped.head(8).itertuples())
            + (
                f"; China {ordinal(china_rank)} of {len(kaz_grouped)}."
                if china_rank
                else "; China delivered nothing."
            ),
        ),
        (
            "C23",
            "Russia's share of the five states' imports: "
            + "; ".join(f"{share_text(r.russia_share_pct)} in {r.window}" for r in ten.itertuples())
            + " (thesis about 60 %).",
        ),
        (
            "C24",
            "Five states, shift-share: "
            + "; ".join(
                f"{r.before} → {r.after}: China {pp_text(r.china_change_pp)}, Russia "
                f"{signed(r.russia_change_pp)}, largest loser {r.largest_loser}"
                for r in pairs.itertuples()
            )
            + ".",
        ),
        (
            "C25",
            f"First Chinese delivery to Kazakhstan: {first if first else 'none'} (thesis: "
            "increasing from 2014).",
        ),
    ]
    for key, claim in (
        ("Su-30SM", "C26"),
        ("Mi-35M", "C27"),
        ("Minesweepers", "C28"),
        ("S-300PS", "C29"),
        ("Y-8", "C30"),
    ):
        r = lookup.loc[key]
        if int(r["deals"]) == 0:
            rows.append((claim, f"{key}: no deal in the register."))
            continue
        rows.append(
            (
                claim,
                f"{key}: {plural(int(r['deals']), 'deal')}, {int(r['ordered'])} ordered, "
                f"{int(r['delivered'])} delivered; ordered in {_years_text(r['order_years'])}; "
                f"delivered in {_years_text(r['delivery_years'])}; "
                f"{tiv_text(r['delivered_tiv_mn'])}.",
            )
        )
    rows.append(
        (
            "C31",
            "Chinese trucks and trailers (2015): outside SIPRI's scope (major conventional "
            "weapons only), so not testable with these data.",
        )
    )
    return pd.DataFrame(rows, columns=["claim", "statement"])


def thesis_table(
    statements: pd.DataFrame, *, edition: str, cite: Citation | None = None
) -> report.Table:
    """:func:`thesis_statements` as a table."""
    return report.Table(
        statements,
        {
            "claim": report.Col(header="Claim", kind="text"),
            "statement": report.Col(header="Computed from the data", kind="text"),
        },
        title=f"The thesis' statements in numbers, edition of {edition_text(edition)}",
        note=TIV_SOURCE_NOTE,
        anchor="tbl-arms-thesis-statements",
        **(cite.kwargs() if cite else {}),
    )


# --- sections --------------------------------------------------------------------------

_WINDOW_COLUMNS = [
    "window",
    "first_year",
    "last_year",
    "supplier_label",
    "tiv_mn",
    "total_tiv_mn",
    "share_pct",
]


def windowed(table: pd.DataFrame, bounds: Sequence[tuple[int, int]]) -> pd.DataFrame:
    """:func:`arms.window_sums`, or its empty frame when nothing was delivered."""
    if table.empty or not bounds:
        return pd.DataFrame(columns=_WINDOW_COLUMNS)
    return A.window_sums(table, bounds)


def ranked(table: pd.DataFrame, first: int, last: int) -> pd.DataFrame:
    """:func:`arms.supplier_ranking`, or its empty frame when nothing was delivered."""
    if table.empty:
        return pd.DataFrame(columns=["rank", "supplier_label", "tiv_mn", "share_pct"])
    return A.supplier_ranking(table, first, last)


@dataclass
class DeliveriesSection:
    """Section 1: deliveries by supplier.

    Attributes:
        notes: What the yearly values are built from.
        figure: Deliveries per year by supplier.
        shares_figure: Shares per window.
        windows_table: TIV per window.
        ranking_table: Suppliers ranked.
        grouped_table: Suppliers ranked with groups.
        keep: Suppliers the charts name.
        windows: :func:`arms.window_sums` of the non-overlapping windows.
        ranking: :func:`arms.supplier_ranking` of the period.
        grouped: The same with supplier groups.
    """

    notes: list[report.Note]
    figure: Element
    shares_figure: Element
    windows_table: Element
    ranking_table: Element
    grouped_table: Element
    keep: list[str]
    windows: pd.DataFrame
    ranking: pd.DataFrame
    grouped: pd.DataFrame


def deliveries_section(inputs: ArmsInputs) -> DeliveriesSection:
    """Figures and tables of deliveries by supplier (section 1)."""
    i = inputs
    keep = chart_suppliers(i.table, i.recipient)
    bounds = A.window_bounds(i.start_year, i.last_year, i.window)
    windows = windowed(i.table, bounds)
    ranking = ranked(i.table, i.start_year, i.last_year)
    grouped_table = A.supplier_year_table(
        A.group_suppliers(i.yearly, i.supplier_groups), i.start_year, i.last_year
    )
    grouped = ranked(grouped_table, i.start_year, i.last_year)
    years = period(i.start_year, i.last_year)
    groups = groups_in_words(i.supplier_groups)
    return DeliveriesSection(
        notes=data_notes(i),
        figure=deliveries_figure(i.table, keep, name=i.name, cite=i.cite),
        shares_figure=window_shares_figure(
            windows, keep, name=i.name, window=i.window, cite=i.cite
        ),
        windows_table=window_table(
            windows, keep, name=i.name, window=i.window, start_year=i.start_year, cite=i.cite
        ),
        ranking_table=ranking_table(
            ranking,
            title=f"{i.name}: suppliers ranked by TIV delivered, {years}",
            subtitle=total_sentence(ranking, name=i.name, first=i.start_year, last=i.last_year)
            + " "
            + rank_sentence(ranking),
            anchor="tbl-arms-ranking",
            cite=i.cite,
        ),
        grouped_table=ranking_table(
            grouped,
            title=f"{i.name}: suppliers ranked with groups, {years}",
            subtitle=f"Grouped: {groups}. " + rank_sentence(grouped, grouped="groups"),
            anchor="tbl-arms-ranking-grouped",
            cite=i.cite,
        ),
        keep=keep,
        windows=windows,
        ranking=ranking,
        grouped=grouped,
    )


@dataclass
class RussiaChinaSection:
    """Section 2: Russia and China.

    Attributes:
        figure: Shares in rolling windows.
        table: TIV and shares in rolling windows.
        china_deals: China's deals (or a note that there are none).
        rolling: :func:`arms.window_sums` of the rolling windows.
        rc: :func:`arms.russia_china` of the rolling windows.
        first_china: First year with a Chinese delivery (any year), or None.
    """

    figure: Element
    table: Element
    china_deals: Element
    rolling: pd.DataFrame
    rc: pd.DataFrame
    first_china: int | None


def russia_china_section(inputs: ArmsInputs) -> RussiaChinaSection:
    """Russia's and China's shares and China's deals (section 2)."""
    i = inputs
    rolling = windowed(i.table, A.window_bounds(i.start_year, i.last_year, i.window, rolling=True))
    rc = A.russia_china(rolling) if not rolling.empty else pd.DataFrame()
    first = A.first_delivery_year(i.yearly, A.CHINA)
    china = A.deal_register(i.deals[i.deals["supplier_iso3"] == "CHN"], i.names)
    return RussiaChinaSection(
        figure=russia_china_figure(rc, name=i.name, window=i.window, cite=i.cite),
        table=russia_china_table(rc, name=i.name, window=i.window, cite=i.cite),
        china_deals=china_deals_table(
            china, first, name=i.name, show_recipient=len(i.recipients) > 1, cite=i.cite
        ),
        rolling=rolling,
        rc=rc,
        first_china=first,
    )


@dataclass
class ConcentrationSection:
    """Section 3: concentration.

    Attributes:
        table: HHI per window.
        figure: HHI per rolling window.
        conc: :func:`arms.hhi` per window.
    """

    table: Element
    figure: Element
    conc: pd.DataFrame


def concentration_section(
    inputs: ArmsInputs, deliveries: DeliveriesSection, russia_china: RussiaChinaSection
) -> ConcentrationSection:
    """Supplier concentration per window and rolling window (section 3)."""
    i = inputs
    conc = A.hhi(deliveries.windows) if not deliveries.windows.empty else pd.DataFrame()
    rolling = A.hhi(russia_china.rolling) if not russia_china.rolling.empty else pd.DataFrame()
    return ConcentrationSection(
        table=concentration_table(conc, name=i.name, window=i.window, cite=i.cite),
        figure=(
            concentration_figure(rolling, name=i.name, window=i.window, cite=i.cite)
            if not rolling.empty
            else report.Note("No rolling window fits the period: concentration not computed.")
        ),
        conc=conc,
    )


@dataclass
class ShiftShareSection:
    """Section 4: shift-share.

    Attributes:
        pairs: A table per thesis window pair (or a note why it is skipped).
        figure: Changes of the first pair that could be computed.
        sensitivity: Every pair of adjacent windows.
        first: The first computed pair's :func:`arms.shift_share`, or None.
    """

    pairs: list[Element]
    figure: Element
    sensitivity: Element
    first: pd.DataFrame | None = field(default=None)


def shift_share_section(inputs: ArmsInputs) -> ShiftShareSection:
    """Shift-share for the thesis' window pairs and every adjacent pair (section 4)."""
    i = inputs
    elements: list[Element] = []
    computed: list[pd.DataFrame] = []
    for n, (before, after) in enumerate(A.THESIS_WINDOW_PAIRS, 1):
        label = f"{A.window_label(*before)} vs {A.window_label(*after)}"
        if before[0] < i.start_year or after[1] > i.last_year:
            elements.append(
                report.Note(
                    f"{label}: outside the period {period(i.start_year, i.last_year)}, skipped."
                )
            )
            continue
        try:
            shifts = A.shift_share(i.table, before, after)
        except ValueError:
            elements.append(report.Note(f"{label}: a window without deliveries, skipped."))
            continue
        computed.append(shifts)
        elements.append(shift_table(shifts, name=i.name, anchor=f"tbl-arms-shift-{n}", cite=i.cite))
    splits = range(i.start_year + i.window, i.last_year - i.window + 2)
    sens = (
        A.shift_share_pairs(i.table, A.adjacent_pairs(splits, i.window))
        if not i.table.empty
        else pd.DataFrame()
    )
    first = computed[0] if computed else None
    return ShiftShareSection(
        pairs=elements,
        figure=(
            shift_share_figure(first, name=i.name, cite=i.cite)
            if first is not None
            else report.Note("No window pair of the thesis could be computed: no chart.")
        ),
        sensitivity=sensitivity_table(sens, name=i.name, window=i.window, cite=i.cite),
        first=first,
    )


@dataclass
class RegisterSection:
    """Section 5: the deal register and the deals the thesis names.

    Attributes:
        registers: Every deal, one table per recipient.
        lookups: One row per deal the thesis names.
        lookup_deals: The matching deals.
        y8: Whether any Central Asian state received Y-8 aircraft.
    """

    registers: list[Element]
    lookups: Element
    lookup_deals: Element
    y8: report.Note


def register_section(inputs: ArmsInputs) -> RegisterSection:
    """The deal register and the thesis' deals (section 5)."""
    i = inputs
    cite = Citation((i.deals_all,), (A.edition_source(i.deals_all, i.edition),))
    found = A.thesis_deal_lookup(i.deals)
    y8 = {"Y-8": A.THESIS_DEALS["Y-8"]}
    in_edition = A.thesis_deal_lookup(A.select_edition(i.deals_all, i.edition, CA5), y8)
    anywhere = A.thesis_deal_lookup(i.deals_all, y8)
    register = A.deal_register(i.deals, i.names).drop(columns=["deal_id"])
    return RegisterSection(
        registers=register_tables(register, edition=i.edition, cite=cite)
        or [register_table(register, name=i.name, edition=i.edition, cite=cite)],
        lookups=lookup_table(A.lookup_summary(found), name=i.name, edition=i.edition, cite=cite),
        lookup_deals=lookup_deals_table(
            found, name=i.name, show_recipient=len(i.recipients) > 1, cite=cite
        ),
        y8=y8_note(len(in_edition), len(anywhere), edition=i.edition),
    )


@dataclass
class EditionsSection:
    """Section 6: what changed between the two bundled editions.

    Attributes:
        changes_table: The deals that changed.
        figure: Yearly totals in both editions.
        years_table: The years whose total changed.
        changes: :func:`arms.compare_editions`.
    """

    changes_table: Element
    figure: Element
    years_table: Element
    changes: pd.DataFrame


def editions_section(inputs: ArmsInputs) -> EditionsSection:
    """Deal-by-deal and yearly comparison of the bundled editions (section 6)."""
    i = inputs
    old, new = BUNDLED_EDITIONS[0], BUNDLED_EDITIONS[-1]
    deals = i.deals_all[i.deals_all["recipient_iso3"].isin(i.recipients)]
    changes = A.compare_editions(deals, old, new)
    cite = Citation(
        (i.deals_all, i.per_year_all),
        tuple(
            dict.fromkeys(
                [
                    A.edition_source(i.deals_all, old),
                    A.edition_source(i.deals_all, new),
                    A.edition_source(i.per_year_all, A.REFERENCE_PER_YEAR[old]),
                    A.edition_source(i.per_year_all, A.REFERENCE_PER_YEAR[new]),
                ]
            )
        ),
    )
    totals = A.compare_year_totals(
        A.edition_yearly(i.deals_all, i.per_year_all, old, i.recipients, i.names),
        A.edition_yearly(i.deals_all, i.per_year_all, new, i.recipients, i.names),
        i.start_year,
        i.last_year,
    )
    return EditionsSection(
        changes_table=edition_changes_table(
            changes,
            name=i.name,
            old=old,
            new=new,
            show_recipient=len(i.recipients) > 1,
            cite=Citation((i.deals_all,), cite.ids[:2]),
        ),
        figure=edition_totals_figure(totals, name=i.name, old=old, new=new, cite=cite),
        years_table=edition_years_table(totals, name=i.name, old=old, new=new, cite=cite),
        changes=changes,
    )


@dataclass
class ValidationSection:
    """Section 7: rebuilt totals against SIPRI's own import table.

    Attributes:
        table: The years that differ (or a note that all match).
        check: :func:`arms.validate_totals`.
    """

    table: Element
    check: pd.DataFrame


def validation_section(inputs: ArmsInputs) -> ValidationSection:
    """Rebuilt yearly totals against SIPRI's import totals (section 7)."""
    i = inputs
    same = A.yearly_from_register(
        A.select_edition(i.per_year_all, A.TOTALS_VINTAGE_PER_YEAR, i.recipients)
    )
    check = A.validate_totals(i.yearly, same, i.sipri_totals, i.recipients)
    cite = Citation(
        (i.sipri_totals, i.deals_all, i.per_year_all),
        (
            A.edition_source(i.sipri_totals, str(i.sipri_totals["edition"].iloc[0])),
            *i.cite.ids,
            A.edition_source(i.per_year_all, A.TOTALS_VINTAGE_PER_YEAR),
        ),
    )
    return ValidationSection(
        table=validation_table(
            check, name=i.name, edition=i.edition, show_recipient=len(i.recipients) > 1, cite=cite
        ),
        check=check,
    )


def thesis_section(inputs: ArmsInputs) -> report.Table:
    """The thesis' statements computed with their own scope (section 8): from 1992 to
    the edition's latest delivery year, whatever the report's period."""
    i = inputs
    statements = thesis_statements(
        i.deals_all,
        i.per_year_all,
        edition=i.edition,
        last_year=EDITION_LAST_YEAR[i.edition],
        supplier_groups=i.supplier_groups,
        names=i.names,
    )
    return thesis_table(statements, edition=i.edition, cite=i.cite)


# --- key findings ----------------------------------------------------------------------


def _linked(sentence: str, element: Element) -> str | tuple[str, Element]:
    """``(sentence, element)`` when the element can be linked to, else the sentence."""
    return (sentence, element) if isinstance(element, report.Figure | report.Table) else sentence


def finding_sentences(
    inputs: ArmsInputs,
    deliveries: DeliveriesSection,
    russia_china: RussiaChinaSection,
    concentration: ConcentrationSection,
    shift: ShiftShareSection,
    validation: ValidationSection,
) -> list[str | tuple[str, Element]]:
    """3–6 key findings computed from the sections, each linked to its element.

    With little data the findings say so (no deliveries, no window, China absent)
    rather than fail.
    """
    i = inputs
    items: list[str | tuple[str, Element]] = []
    total = total_sentence(deliveries.ranking, name=i.name, first=i.start_year, last=i.last_year)
    items.append(_linked(total, deliveries.figure))
    shares = (
        window_shares_wide(deliveries.windows, deliveries.keep)
        if not deliveries.windows.empty
        else pd.DataFrame()
    )
    if shares.empty:
        items.append(
            f"No {i.window}-year window in {period(i.start_year, i.last_year)} has deliveries."
        )
    else:
        label = focus_supplier(deliveries.windows, deliveries.keep)
        sentence = share_change_sentence(shares, label)
        if len(shares) > 1 and label in shares.columns:
            lo = shares[label].idxmin()
            sentence = sentence[:-1] + (
                f" (lowest: {share_text(shares.loc[lo, label])} in {lo})."
                if lo not in (shares.index[0], shares.index[-1])
                else "."
            )
        per = "Per year" if i.window == 1 else f"Per {i.window}-year window"
        items.append(_linked(f"{per}, {sentence}", deliveries.shares_figure))
    china_rank = A.rank_of(deliveries.ranking, A.CHINA)
    if china_rank is None:
        first = russia_china.first_china
        items.append(
            f"China delivered no major arms to {i.name} in {period(i.start_year, i.last_year)}"
            + (f"; its first delivery in this edition was in {first}." if first else ".")
        )
    else:
        row = deliveries.ranking[deliveries.ranking["supplier_label"] == A.CHINA].iloc[0]
        items.append(
            _linked(
                f"China ranks {ordinal(china_rank)} of "
                f"{plural(len(deliveries.ranking), 'supplier')} with "
                f"{share_text(row['share_pct'])} of deliveries; its first recorded delivery "
                f"was in {russia_china.first_china}.",
                russia_china.china_deals,
            )
        )
    conc = (
        concentration.conc.dropna(subset=["hhi_points"])
        if not concentration.conc.empty
        else concentration.conc
    )
    if not conc.empty:
        last = conc.iloc[-1]
        level = (
            "highly concentrated" if last["hhi_points"] > HHI_HIGH else "not highly concentrated"
        )
        items.append(
            _linked(
                f"Supply is {level}: in {last['window']} the concentration index was "
                f"{report.number(last['hhi_points'], 0)} points, like "
                f"{report.number(last['equivalent_suppliers'], 1)} equally large suppliers, "
                f"and {last['top_supplier']} held {share_text(last['top_share_pct'])}.",
                concentration.table,
            )
        )
    if shift.first is not None:
        s = A.shift_share_summary(shift.first)
        loser = s["largest_loser"]
        items.append(
            _linked(
                f"Between {s['before']} and {s['after']} China's share changed by "
                f"{pp_text(s['gainer_change_pp'])} and Russia's by "  # type: ignore[arg-type]
                f"{signed(s['focus_change_pp'])}" + (f"; {loser} lost the most." if loser else "."),  # type: ignore[arg-type]
                shift.figure,
            )
        )
    check = validation.check
    counts = check["status"].value_counts()
    matched = int(counts.get("match", 0))
    unexplained = int(counts.get("unexplained", 0))
    items.append(
        _linked(
            f"Yearly totals rebuilt from the register match SIPRI's own import table in "
            f"{matched} of {plural(len(check), 'year')}"
            + (
                "; every other difference is a later SIPRI revision."
                if unexplained == 0 and matched < len(check)
                else (f"; {unexplained} differ unexplained." if unexplained else ".")
            ),
            validation.table,
        )
    )
    return items[: report.Findings.MAX_ITEMS]


def findings(
    inputs: ArmsInputs,
    deliveries: DeliveriesSection,
    russia_china: RussiaChinaSection,
    concentration: ConcentrationSection,
    shift: ShiftShareSection,
    validation: ValidationSection,
) -> report.Findings:
    """The chapter's "Key findings" box (:func:`finding_sentences`)."""
    return report.Findings(
        finding_sentences(inputs, deliveries, russia_china, concentration, shift, validation)
    )
