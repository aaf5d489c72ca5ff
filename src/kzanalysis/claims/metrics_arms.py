"""Ledger metrics for the arms claims (C20–C30; C31 is declared untestable).

Every metric ``arms.<what>`` loads the curated SIPRI tables with
:func:`kzanalysis.datasets.load` and hands them to a pure ``measure_<what>`` function
(hand-made frames in the unit tests). The pure functions rebuild the chapter's numbers with
the chapter's own functions (:mod:`kzanalysis.analysis.arms`) in the same way as the
"thesis claims" section of ``notebooks/03_arms_shares.ipynb``: deals of one edition spread
over delivery years with :func:`~kzanalysis.analysis.arms.yearly_from_deals` (per-year
splits from the reference register of :data:`~kzanalysis.analysis.arms.REFERENCE_PER_YEAR`),
suppliers labelled with :func:`~kzanalysis.analysis.arms.label_suppliers`, shares from
:func:`~kzanalysis.analysis.arms.window_sums`, rankings from
:func:`~kzanalysis.analysis.arms.supplier_ranking`, deals from
:func:`~kzanalysis.analysis.arms.thesis_deal_lookup`.

A metric never returns a verdict: it returns the data's value (``None`` when the bundled
tables cannot measure a part), the evidence (table, SIPRI edition, years, the figure
compared) and caveats — always that TIV is a volume index, not a price, and the value of
the other bundled edition, since SIPRI revises old years.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd

from kzanalysis import datasets
from kzanalysis.analysis import arms as A
from kzanalysis.analysis.arms_params import (
    BUNDLED_EDITIONS,
    CA5,
    DATA_FIRST_YEAR,
    EDITION_LAST_YEAR,
    LATEST_EDITION,
    REGION,
)
from kzanalysis.claims.model import ClaimsError, Measurement

DEALS = "arms_deals"
PER_YEAR = "arms_deliveries"
CHINA_EXPORTS = "arms_sipri_china_exports"

#: Period end meaning "the edition's latest delivery year".
LATEST = "latest"

#: Caveat carried by every TIV-based measurement.
TIV_CAVEAT = (
    "TIV (SIPRI trend-indicator value) is a volume index of military capability valued at "
    "unit production costs, not a price or a sale value (aid counts at full value)"
)

Period = Sequence[int | str]


# --- editions, periods, yearly deliveries ---------------------------------------------


def resolve_edition(edition: str | None) -> str:
    """The SIPRI deal-register edition to use (``None`` → the latest bundled one).

    Raises:
        ClaimsError: if the edition is not bundled.
    """
    ed = LATEST_EDITION if edition is None else str(edition)
    if ed not in EDITION_LAST_YEAR:
        raise ClaimsError(
            f"SIPRI edition {ed!r} is not bundled; use one of {', '.join(BUNDLED_EDITIONS)}"
        )
    return ed


def other_edition(edition: str, deals: pd.DataFrame) -> str | None:
    """The most recent bundled edition other than ``edition`` that ``deals`` holds.

    Used for comparison notes; ``None`` when the table has no other edition.
    """
    present = set(deals["edition"])
    others = [e for e in BUNDLED_EDITIONS if e != edition and e in present]
    return others[-1] if others else None


def resolve_period(period: Period, edition: str) -> tuple[int, int]:
    """``[first, last]`` years; ``last`` may be ``"latest"`` (the edition's last year).

    Raises:
        ClaimsError: if the period is malformed or ends after the edition's data.
    """
    if len(period) != 2:
        raise ClaimsError(f"period {list(period)!r} must be [first_year, last_year]")
    last_data = EDITION_LAST_YEAR[edition]
    first = int(period[0])
    last = last_data if period[1] == LATEST else int(period[1])
    if not DATA_FIRST_YEAR <= first <= last <= last_data:
        raise ClaimsError(
            f"period {first}–{last} is outside edition {edition}'s years "
            f"{DATA_FIRST_YEAR}–{last_data}"
        )
    return first, last


def _reference(per_year: pd.DataFrame | None, edition: str, recipients: Sequence[str]):
    """The per-year register used for splitting multi-year deals (None if not bundled)."""
    ref_edition = A.REFERENCE_PER_YEAR.get(edition)
    if per_year is None or ref_edition is None or ref_edition not in set(per_year["edition"]):
        return None
    return A.select_edition(per_year, ref_edition, recipients)


def labelled_yearly(
    deals: pd.DataFrame, per_year: pd.DataFrame | None, edition: str, recipients: Sequence[str]
) -> pd.DataFrame:
    """Deliveries per deal and year of one edition, suppliers labelled (as the chapter).

    Args:
        deals: ``arms_deals`` (all editions; names are taken from all of them).
        per_year: ``arms_deliveries`` (for per-year splits) or ``None`` (even splits).
        edition: Deal-register edition.
        recipients: Recipient ISO3 codes.
    """
    chosen = A.select_edition(deals, edition, recipients)
    yearly = A.yearly_from_deals(chosen, _reference(per_year, edition, recipients))
    return A.label_suppliers(yearly, A.supplier_names(deals))


def supplier_label(deals: pd.DataFrame, code: str) -> str:
    """Chapter label of a supplier ISO3 code (``RUS`` → Russia); other text is kept."""
    return A.supplier_names(deals).get(code, code)


def _where(edition: str) -> str:
    return f"{DEALS} (SIPRI Arms Transfers Database trade register, edition {edition})"


def _scope(recipient: str) -> str:
    return "the five Central Asian states" if recipient == REGION else recipient


def _round(value: float) -> float:
    """Rounded to 2 decimals, with -0.0 shown as 0.0."""
    return round(float(value), 2) + 0.0


def _pct(value: float | None) -> str:
    return "n/a" if value is None or pd.isna(value) else f"{value:.2f} %"


# --- C20: a recipient's part of a supplier's deliveries to the region ----------------


def _recipient_share(
    yearly: pd.DataFrame, label: str, recipient: str, first: int, last: int
) -> tuple[float, float, float | None]:
    """(recipient TIV, region TIV, recipient share in %) of ``label``'s deliveries."""
    part = yearly[(yearly["supplier_label"] == label) & yearly["year"].between(first, last)]
    total = float(part["tiv_mn"].sum())
    mine = float(part.loc[part["recipient_iso3"] == recipient, "tiv_mn"].sum())
    return mine, total, (100 * mine / total if total > 0 else None)


def measure_recipient_share_of_supplier(
    deals: pd.DataFrame,
    per_year: pd.DataFrame | None,
    *,
    periods: Sequence[Period],
    supplier: str = "RUS",
    recipient: str = "KAZ",
    edition: str | None = None,
) -> list[Measurement]:
    """Share (%) of ``supplier``'s deliveries to the five states that went to ``recipient``.

    One Measurement per period. Values are TIV shares; a thesis figure in dollars is
    compared as a share only (the note says so).
    """
    ed = resolve_edition(edition)
    label = supplier_label(deals, supplier)
    other = other_edition(ed, deals)
    yearly = labelled_yearly(deals, per_year, ed, CA5)
    other_yearly = labelled_yearly(deals, per_year, other, CA5) if other else None
    out = []
    for period in periods:
        first, last = resolve_period(period, ed)
        mine, total, share = _recipient_share(yearly, label, recipient, first, last)
        evidence = (
            f"{_where(ed)}, deliveries {first}–{last}: {label} → {recipient} {mine:,.1f} of "
            f"{label} → five Central Asian states {total:,.1f} TIV mn = {_pct(share)}"
        )
        notes = [
            f"the thesis' figures are US dollars of sales; {TIV_CAVEAT}, so only the share is "
            "compared"
        ]
        if other_yearly is not None:
            o_last = min(last, EDITION_LAST_YEAR[other])
            o = _recipient_share(other_yearly, label, recipient, first, o_last)
            notes.append(f"edition {other}, {first}–{o_last}: {_pct(o[2])}")
        value = None if share is None else _round(share)
        out.append(Measurement(value, evidence, "; ".join(notes)))
    return out


def recipient_share_of_supplier(**args: Any) -> list[Measurement]:
    """Metric ``arms.recipient_share_of_supplier`` (C20)."""
    return measure_recipient_share_of_supplier(
        datasets.load(DEALS), datasets.load(PER_YEAR), **args
    )


# --- C21, C23: a supplier's share of a recipient's imports ----------------------------


def _supplier_share(table: pd.DataFrame, label: str, first: int, last: int) -> dict[str, Any]:
    """TIV of ``label``, total TIV and share (%) of a supplier-year table's window."""
    sums = A.window_sums(table, [(first, last)])
    total = float(sums["total_tiv_mn"].iloc[0]) if len(sums) else 0.0
    hit = sums[sums["supplier_label"] == label]
    tiv = float(hit["tiv_mn"].sum())
    return {"tiv": tiv, "total": total, "share": 100 * tiv / total if total > 0 else None}


def _peak_window(table: pd.DataFrame, label: str, window: int) -> str:
    """``label``'s highest share in any rolling window of ``window`` years, as text."""
    if table.empty:
        return "no deliveries"
    first, last = int(table["year"].min()), int(table["year"].max())
    bounds = A.window_bounds(first, last, window, rolling=True)
    if not bounds:
        return "no complete rolling window"
    sums = A.window_sums(table, bounds)
    hit = sums[(sums["supplier_label"] == label) & sums["share_pct"].notna()]
    if hit.empty or hit["tiv_mn"].max() <= 0:
        return f"{label} has no share in any rolling {window}-year window"
    best = hit.loc[hit["share_pct"].idxmax()]
    return (
        f"{label}'s highest share in any rolling {window}-year window: "
        f"{best['share_pct']:.2f} % ({best['window']})"
    )


def measure_supplier_share(
    deals: pd.DataFrame,
    per_year: pd.DataFrame | None,
    *,
    supplier: str,
    periods: Sequence[Period],
    recipient: str = "KAZ",
    edition: str | None = None,
    peak_window: int = 5,
) -> list[Measurement]:
    """Share (%) of ``supplier`` in the TIV delivered to ``recipient`` (or ``CA5``).

    One Measurement per period; the note gives the other edition's value and the
    supplier's highest share in any rolling window of ``peak_window`` years.
    """
    ed = resolve_edition(edition)
    label = supplier_label(deals, supplier)
    recipients = A.recipients_of(recipient)
    table = A.supplier_year_table(
        labelled_yearly(deals, per_year, ed, recipients), DATA_FIRST_YEAR, EDITION_LAST_YEAR[ed]
    )
    other = other_edition(ed, deals)
    other_table = None
    if other:
        other_table = A.supplier_year_table(
            labelled_yearly(deals, per_year, other, recipients),
            DATA_FIRST_YEAR,
            EDITION_LAST_YEAR[other],
        )
    peak = _peak_window(table, label, peak_window)
    out = []
    for period in periods:
        first, last = resolve_period(period, ed)
        s = _supplier_share(table, label, first, last)
        evidence = (
            f"{_where(ed)}, deliveries to {_scope(recipient)} {first}–{last}: {label} "
            f"{s['tiv']:,.1f} of {s['total']:,.1f} TIV mn = {_pct(s['share'])}"
        )
        notes = [TIV_CAVEAT, f"{peak} (edition {ed})"]
        if other_table is not None:
            o_last = min(last, EDITION_LAST_YEAR[other])
            o = _supplier_share(other_table, label, first, o_last)
            notes.append(f"edition {other}, {first}–{o_last}: {_pct(o['share'])}")
        value = None if s["share"] is None else _round(s["share"])
        out.append(Measurement(value, evidence, "; ".join(notes)))
    return out


def supplier_share(**args: Any) -> list[Measurement]:
    """Metric ``arms.supplier_share`` (C21, C23)."""
    return measure_supplier_share(datasets.load(DEALS), datasets.load(PER_YEAR), **args)


# --- C22: ranking with supplier groups -------------------------------------------------


def _grouped_ranking(
    deals: pd.DataFrame,
    per_year: pd.DataFrame | None,
    edition: str,
    recipient: str,
    groups: Mapping[str, Sequence[str]],
    first: int,
    last: int,
) -> pd.DataFrame:
    yearly = labelled_yearly(deals, per_year, edition, A.recipients_of(recipient))
    grouped = A.group_suppliers(yearly, groups)
    table = A.supplier_year_table(grouped, DATA_FIRST_YEAR, EDITION_LAST_YEAR[edition])
    return A.supplier_ranking(table, first, last)


def measure_grouped_ranking(
    deals: pd.DataFrame,
    per_year: pd.DataFrame | None,
    *,
    named: Sequence[str],
    period: Period = (DATA_FIRST_YEAR, LATEST),
    recipient: str = "KAZ",
    focus: str = "CHN",
    groups: Mapping[str, Sequence[str]] | None = None,
    top: int = 5,
    edition: str | None = None,
) -> list[Measurement]:
    """Suppliers ranked by TIV with supplier groups (default: Europe grouped).

    Returns three Measurements:
        1. the ``top`` suppliers in rank order (text ``"Russia, Europe, …"``);
        2. whether every ``named`` supplier (ISO3 code or group label) ranks ahead of
           ``focus`` (bool);
        3. the rank of ``focus`` (``None`` if it delivered nothing).
    """
    ed = resolve_edition(edition)
    groups = dict(groups) if groups is not None else {"Europe": ["Europe"]}
    first, last = resolve_period(period, ed)
    ranking = _grouped_ranking(deals, per_year, ed, recipient, groups, first, last)
    focus_label = supplier_label(deals, focus)
    named_labels = [supplier_label(deals, n) for n in named]
    focus_rank = A.rank_of(ranking, focus_label)
    top_text = ", ".join(ranking["supplier_label"].head(top))
    ranks = {lab: A.rank_of(ranking, lab) for lab in named_labels}
    ahead = all(r is not None and (focus_rank is None or r < focus_rank) for r in ranks.values())
    upto = ranking if focus_rank is None else ranking[ranking["rank"] <= focus_rank]
    listing = ", ".join(
        f"{r.rank}. {r.supplier_label} {r.tiv_mn:,.1f} ({r.share_pct:.2f} %)"
        for r in upto.itertuples()
    )
    where = (
        f"{_where(ed)}, deliveries to {_scope(recipient)} {first}–{last}, suppliers grouped "
        f"{groups}: {listing}"
    )
    notes = [
        TIV_CAVEAT,
        "Europe = the country registry's European states (EU, UK, EFTA, "
        "other non-EU European states; not Russia, Ukraine, Belarus or Turkiye)",
    ]
    other = other_edition(ed, deals)
    if other:
        o_last = min(last, EDITION_LAST_YEAR[other])
        o = _grouped_ranking(deals, per_year, other, recipient, groups, first, o_last)
        notes.append(
            f"edition {other}, {first}–{o_last}: top {top} "
            f"{', '.join(o['supplier_label'].head(top))}; {focus_label} rank "
            f"{A.rank_of(o, focus_label)}"
        )
    note = "; ".join(notes)
    rank_text = ", ".join(f"{lab} {r}" for lab, r in ranks.items())
    return [
        Measurement(top_text, f"{where} → top {top}: {top_text}", note),
        Measurement(
            ahead,
            f"{where} → ranks of the named suppliers: {rank_text}; {focus_label} {focus_rank}",
            note,
        ),
        Measurement(focus_rank, f"{where} → {focus_label} ranks {focus_rank}", note),
    ]


def grouped_ranking(**args: Any) -> list[Measurement]:
    """Metric ``arms.grouped_ranking`` (C22)."""
    return measure_grouped_ranking(datasets.load(DEALS), datasets.load(PER_YEAR), **args)


# --- C24: shift-share ------------------------------------------------------------------


def measure_shift_share(
    deals: pd.DataFrame,
    per_year: pd.DataFrame | None,
    *,
    pairs: Sequence[Sequence[Period]],
    named: Sequence[str],
    recipient: str = REGION,
    gainer: str = "CHN",
    focus: str = "RUS",
    edition: str | None = None,
) -> list[Measurement]:
    """Shift-share between windows: who lost the share ``gainer`` gained.

    Returns three Measurements per pair of windows (before, after), in order:
        1. ``gainer``'s change in share (pp);
        2. ``focus``'s change in share (pp) — ``>= 0`` means it did not lose share;
        3. how many of the ``named`` suppliers (ISO3 codes) lost share.
    """
    ed = resolve_edition(edition)
    table = A.supplier_year_table(
        labelled_yearly(deals, per_year, ed, A.recipients_of(recipient)),
        DATA_FIRST_YEAR,
        EDITION_LAST_YEAR[ed],
    )
    gainer_label, focus_label = supplier_label(deals, gainer), supplier_label(deals, focus)
    named_labels = [supplier_label(deals, n) for n in named]
    out = []
    for before, after in pairs:
        b, a = resolve_period(before, ed), resolve_period(after, ed)
        shifts = A.shift_share(table, b, a, gainer=gainer_label)
        s = A.shift_share_summary(shifts, gainer=gainer_label, focus=focus_label)
        change = shifts.set_index("supplier_label")["change_pp"]
        named_changes = {lab: float(change.get(lab, 0.0)) for lab in named_labels}
        lost = [lab for lab, c in named_changes.items() if c < 0]
        where = (
            f"{_where(ed)}, deliveries to {_scope(recipient)}, windows {s['before']} vs "
            f"{s['after']} (shares of each window's TIV)"
        )
        note = (
            f"{TIV_CAVEAT}; suppliers that lost share, largest loss first: "
            f"{', '.join(s['losers']) or 'none'}; {focus_label} bears "
            f"{_round(s['focus_share_of_losses_pct']):.1f} % of all share lost; named suppliers: "
            + ", ".join(f"{lab} {c:+.1f} pp" for lab, c in named_changes.items())
        )
        out += [
            Measurement(
                _round(s["gainer_change_pp"]),
                f"{where}: {gainer_label} {s['gainer_change_pp']:+.2f} pp",
                note,
            ),
            Measurement(
                _round(s["focus_change_pp"]),
                f"{where}: {focus_label} {s['focus_change_pp']:+.2f} pp",
                note,
            ),
            Measurement(
                len(lost),
                f"{where}: named suppliers that lost share: {', '.join(lost) or 'none'} "
                f"({len(lost)} of {len(named_labels)})",
                note,
            ),
        ]
    return out


def shift_share(**args: Any) -> list[Measurement]:
    """Metric ``arms.shift_share`` (C24)."""
    return measure_shift_share(datasets.load(DEALS), datasets.load(PER_YEAR), **args)


# --- C25: first delivery ---------------------------------------------------------------


def measure_first_delivery(
    deals: pd.DataFrame,
    per_year: pd.DataFrame | None,
    supplier_totals: pd.DataFrame | None,
    *,
    supplier: str = "CHN",
    recipient: str = "KAZ",
    edition: str | None = None,
) -> list[Measurement]:
    """First year with a delivery from ``supplier`` to ``recipient`` (one Measurement).

    The note adds the first order year, the other edition's first delivery and, if given,
    the first year in SIPRI's own TIV table of the supplier's exports
    (``arms_sipri_china_exports``).
    """
    ed = resolve_edition(edition)
    label = supplier_label(deals, supplier)
    yearly = labelled_yearly(deals, per_year, ed, (recipient,))
    first = A.first_delivery_year(yearly, label)
    chosen = A.select_edition(deals, ed, (recipient,))
    theirs = chosen[chosen["supplier_iso3"].eq(supplier).fillna(False)]
    listing = "; ".join(
        f"{r.designation} ordered {r.order_year}, delivered {r.delivery_years}"
        for r in theirs.sort_values("order_year").itertuples()
    )
    notes = []
    if len(theirs):
        notes.append(f"first order year {int(theirs['order_year'].min())}")
    other = other_edition(ed, deals)
    if other:
        o_yearly = labelled_yearly(deals, per_year, other, (recipient,))
        notes.append(f"edition {other}: first delivery {A.first_delivery_year(o_yearly, label)}")
    if supplier_totals is not None:
        rows = supplier_totals[
            (supplier_totals["recipient_iso3"] == recipient) & (supplier_totals["tiv_mn"] > 0)
        ]
        if len(rows):
            eds = ", ".join(sorted(set(rows["edition"])))
            notes.append(
                f"SIPRI's TIV table of {label}'s exports (edition {eds}) first lists "
                f"{recipient} in {int(rows['year'].min())}"
            )
    evidence = (
        f"{_where(ed)}, {label} → {recipient}: first delivery year {first} "
        f"({len(theirs)} deal(s): {listing or 'none'})"
    )
    return [Measurement(first, evidence, "; ".join(notes))]


def first_delivery(**args: Any) -> list[Measurement]:
    """Metric ``arms.first_delivery`` (C25)."""
    return measure_first_delivery(
        datasets.load(DEALS), datasets.load(PER_YEAR), datasets.load(CHINA_EXPORTS), **args
    )


# --- C26–C30: deals the thesis names ---------------------------------------------------

#: Statistics a deal-lookup measure can ask for.
DEAL_STATS: tuple[str, ...] = (
    "ordered",
    "delivered",
    "deals",
    "latest_order",
    "order_year",
    "first_delivery_year",
    "aid",
    "usd_value",
)


def _lookup_spec(
    lookup: str, pattern: str | None, fields: Sequence[str] | None
) -> tuple[str, tuple[str, ...], str | None]:
    """The chapter's lookup (pattern, fields, supplier), with optional overrides."""
    if lookup not in A.THESIS_DEALS:
        raise ClaimsError(
            f"unknown deal lookup {lookup!r}; the chapter defines {', '.join(A.THESIS_DEALS)}"
        )
    base_pattern, base_fields, supplier = A.THESIS_DEALS[lookup]
    return (
        pattern if pattern is not None else base_pattern,
        tuple(fields) if fields is not None else base_fields,
        supplier,
    )


def _filter_found(found: pd.DataFrame, measure: Mapping[str, Any]) -> pd.DataFrame:
    """Deals of a lookup narrowed by a measure's ``designation`` regex and ``order_years``."""
    part = found
    if measure.get("designation"):
        part = part[part["designation"].str.contains(measure["designation"], regex=True)]
    if measure.get("order_years"):
        a, b = (int(y) for y in measure["order_years"])
        part = part[part["order_year"].between(a, b)]
    return part


def deal_stat(found: pd.DataFrame, stat: str) -> int | bool | None:
    """One statistic of a set of deals (:func:`~kzanalysis.analysis.arms.deal_register` rows).

    ``ordered``/``delivered``: units summed (missing as 0); ``deals``: number of deals;
    ``latest_order``: units of the most recent order year; ``order_year``: earliest order
    year; ``first_delivery_year``: earliest delivery year; ``aid``: every deal marked aid;
    ``usd_value``: always ``None`` (the register has no prices). Year and aid statistics
    are ``None`` when there is no deal.

    Raises:
        ClaimsError: for an unknown statistic.
    """
    if stat not in DEAL_STATS:
        raise ClaimsError(f"unknown deal statistic {stat!r}; use one of {', '.join(DEAL_STATS)}")
    if stat == "usd_value":
        return None
    if stat == "deals":
        return len(found)
    if stat in ("ordered", "delivered"):
        return int(found[f"{stat}_count"].fillna(0).sum())
    if found.empty:
        return 0 if stat == "latest_order" else None
    if stat == "latest_order":
        latest = found["order_year"].max()
        return int(found.loc[found["order_year"] == latest, "ordered_count"].fillna(0).sum())
    if stat == "order_year":
        return int(found["order_year"].min())
    if stat == "aid":
        return bool(found["aid"].all())
    years = [y for text in found["delivery_years"] for y in A.delivery_years(text)]
    return min(years) if years else None


def _deal_text(found: pd.DataFrame) -> str:
    """The matched deals as text: supplier, designation, numbers, years, aid, TIV."""

    def num(v: object) -> str:
        return "?" if pd.isna(v) else str(int(v))

    def one(r: Any) -> str:
        years = r.delivery_years if isinstance(r.delivery_years, str) else "-"
        aid = ", aid" if r.aid else ""
        return (
            f"{r.supplier_label} {r.designation}: ordered {num(r.ordered_count)} "
            f"({num(r.order_year)}), delivered {num(r.delivered_count)} ({years}){aid}, "
            f"{r.delivered_tiv_mn:,.1f} TIV mn"
        )

    return "; ".join(one(r) for r in found.itertuples()) or "no deal"


def _measure_label(measure: Mapping[str, Any]) -> str:
    bits = [measure["stat"]]
    if measure.get("designation"):
        bits.append(f"designation /{measure['designation']}/")
    if measure.get("order_years"):
        a, b = measure["order_years"]
        bits.append(f"ordered {a}–{b}")
    return ", ".join(bits)


def measure_deal_lookup(
    deals: pd.DataFrame,
    *,
    lookup: str,
    measures: Sequence[Mapping[str, Any]],
    recipient: str = "KAZ",
    pattern: str | None = None,
    fields: Sequence[str] | None = None,
    coverage: str | None = None,
    edition: str | None = None,
) -> list[Measurement]:
    """Numbers of a deal the thesis names, from the chapter's lookup in the register.

    Args:
        deals: ``arms_deals`` (all editions).
        lookup: Key of :data:`kzanalysis.analysis.arms.THESIS_DEALS`.
        measures: One per part: ``{"stat": one of DEAL_STATS, "order_years": [a, b]
            (optional), "designation": regex (optional)}``.
        recipient: Recipient ISO3 code or ``CA5``.
        pattern: Regular expression replacing the chapter's for this lookup (e.g. when
            SIPRI describes the weapon differently in another edition).
        fields: Register fields searched instead of the chapter's.
        coverage: Regular expression on ``description``: the note lists the recipient's
            deals matching it (shows the register covers that kind of weapon).
        edition: Deal-register edition (default: the latest).
    """
    ed = resolve_edition(edition)
    spec = _lookup_spec(lookup, pattern, fields)
    chosen = A.select_edition(deals, ed, A.recipients_of(recipient))
    found = A.thesis_deal_lookup(chosen, {lookup: spec})
    other = other_edition(ed, deals)
    other_found = None
    if other:
        other_found = A.thesis_deal_lookup(
            A.select_edition(deals, other, A.recipients_of(recipient)), {lookup: spec}
        )
    where = (
        f"{_where(ed)}, {_scope(recipient)}, lookup {lookup!r} (/{spec[0]}/ in "
        f"{', '.join(spec[1])}{', supplier ' + spec[2] if spec[2] else ''})"
    )
    base_notes = []
    if found.empty:
        anywhere = A.thesis_deal_lookup(deals[deals["recipient_iso3"].isin(CA5)], {lookup: spec})
        base_notes.append(
            f"no matching deal for {_scope(recipient)}; {len(anywhere)} for any Central Asian "
            f"state in all bundled editions ({', '.join(BUNDLED_EDITIONS)})"
        )
    if coverage:
        covered = chosen[chosen["description"].str.contains(coverage, case=False, regex=True)]
        named = A.label_suppliers(covered, A.supplier_names(deals))
        base_notes.append(
            f"the register does cover /{coverage}/: {len(covered)} deal(s) for "
            f"{_scope(recipient)} ("
            + ", ".join(
                sorted(
                    {
                        f"{s} {d}"
                        for s, d in zip(named["supplier_label"], named["designation"], strict=True)
                    }
                )
            )
            + ")"
        )
    out = []
    for measure in measures:
        part = _filter_found(found, measure)
        value = deal_stat(part, measure["stat"])
        notes = list(base_notes)
        if measure["stat"] == "usd_value":
            notes.insert(0, f"SIPRI records no prices: {TIV_CAVEAT}")
        elif other_found is not None:
            o_value = deal_stat(_filter_found(other_found, measure), measure["stat"])
            notes.append(f"edition {other}: {o_value}")
        evidence = (
            f"{where}, {_measure_label(measure)}: {_deal_text(part)} → {measure['stat']} = {value}"
        )
        out.append(Measurement(value, evidence, "; ".join(notes)))
    return out


def deal_lookup(**args: Any) -> list[Measurement]:
    """Metric ``arms.deal_lookup`` (C26–C30)."""
    return measure_deal_lookup(datasets.load(DEALS), **args)


METRICS: dict[str, Callable[..., list[Measurement]]] = {
    "arms.recipient_share_of_supplier": recipient_share_of_supplier,
    "arms.supplier_share": supplier_share,
    "arms.grouped_ranking": grouped_ranking,
    "arms.shift_share": shift_share,
    "arms.first_delivery": first_delivery,
    "arms.deal_lookup": deal_lookup,
}
