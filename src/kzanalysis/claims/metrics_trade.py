"""Ledger metrics for the trade claims (each returns one Measurement per declared part).

Every metric ``trade.<what>`` loads the curated tables with :func:`kzanalysis.datasets.load`
and hands them to a pure ``measure_<what>`` function (hand-made frames in the unit tests),
which calls the chapter functions of :mod:`kzanalysis.analysis.trade` (and
:func:`kzanalysis.analysis.energy.hs_exports` for HS lines). A metric never returns a
verdict: it returns the data's value (``None`` when the bundled tables cannot measure a
part), the evidence (tables, source, years, the figure compared) and caveats.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import pandas as pd

from kzanalysis import datasets
from kzanalysis.analysis import energy as en
from kzanalysis.analysis import trade as tr
from kzanalysis.claims.model import Measurement

FLOWS = "trade_partner_flows"
PRODUCTS = "trade_products_hs4"
PRODUCT_SOURCE = "WITS / UN Comtrade HS 2012, Kazakhstan-reported"

#: ``years`` entry meaning "the latest year with data".
LATEST = "latest"


def _fmt(value: float) -> str:
    return "n/a" if value is None or math.isnan(value) else f"{value:,.1f}"


# --------------------------------------------------------------------------------------
# C10, C11: value of one HS line exported to a partner
# --------------------------------------------------------------------------------------


def measure_hs_export_value(
    products: pd.DataFrame,
    *,
    code: str,
    years: Sequence[int],
    partner: str = "CHN",
    reporter: str = "KAZ",
) -> list[Measurement]:
    """Export value (US$ mn) of HS line ``code`` to ``partner``, one Measurement per year.

    A year outside the product table's coverage, or a line absent in a year, gives ``None``
    (absence is not zero trade); a year flagged ``incomplete_year`` is used if the line is
    present, with a note.
    """
    covered = sorted(int(y) for y in products["year"].unique())
    vals = en.hs_exports(products, reporter, partner, (code,), min(covered), max(covered))
    line = vals.set_index("year") if len(vals) else pd.DataFrame()
    others = ", ".join(
        f"{int(y)}: {_fmt(v)}" for y, v in zip(vals["year"], vals["value_usd_mn"], strict=True)
    )
    out = []
    for year in years:
        where = f"{PRODUCTS} ({PRODUCT_SOURCE}), HS {code} exports {reporter} → {partner}, {year}"
        if year not in covered:
            out.append(
                Measurement(
                    None,
                    f"{where}: year not covered (the table holds {covered[0]}–{covered[-1]})",
                    "would need: the same HS line for that year (UN Comtrade / WITS, or the "
                    "partner's mirror imports)",
                )
            )
            continue
        value = float(line.loc[year, "value_usd_mn"]) if year in line.index else math.nan
        if math.isnan(value):
            out.append(Measurement(None, f"{where}: line absent (absence is not zero trade)"))
            continue
        notes = [f"all covered years (US$ mn): {others}"]
        if bool(line.loc[year, "incomplete_year"]):
            notes.insert(
                0,
                f"{year} is flagged incomplete in the product source (lines missing); this line "
                "is present and used",
            )
        evidence = f"{where}: {_fmt(value)} US$ mn"
        out.append(Measurement(round(value, 1), evidence, "; ".join(notes)))
    return out


def hs_export_value(**args) -> list[Measurement]:
    """Metric ``trade.hs_export_value`` (C10, C11)."""
    return measure_hs_export_value(datasets.load(PRODUCTS), **args)


# --------------------------------------------------------------------------------------
# C16: growth factor of one HS line between two years
# --------------------------------------------------------------------------------------


def measure_hs_export_ratio(
    products: pd.DataFrame, *, code: str, start: int, end: int, partner: str = "CHN"
) -> list[Measurement]:
    """Ratio ``value(end) / value(start)`` of HS line ``code`` exported to ``partner``."""
    g = tr.product_growth(products, code, start, end, partner=partner, flow="export")
    a, b = g["value_start_usd_mn"], g["value_end_usd_mn"]
    evidence = (
        f"{PRODUCTS} ({PRODUCT_SOURCE}), HS {code} exports KAZ → {partner}: {start} {_fmt(a)}, "
        f"{end} {_fmt(b)} US$ mn"
    )
    if math.isnan(g["ratio"]):
        return [Measurement(None, evidence, str(g["note"]))]
    notes = ["values in current US dollars (the table has no tonnes)"]
    if g["note"]:
        notes.append(str(g["note"]))
    return [
        Measurement(round(float(g["ratio"]), 2), f"{evidence}: ×{g['ratio']:.2f}", "; ".join(notes))
    ]


def hs_export_ratio(**args) -> list[Measurement]:
    """Metric ``trade.hs_export_ratio`` (C16)."""
    return measure_hs_export_ratio(datasets.load(PRODUCTS), **args)


# --------------------------------------------------------------------------------------
# C17: one partner ahead of another
# --------------------------------------------------------------------------------------


def years_ahead(comparison: pd.DataFrame) -> list[int]:
    """Years in which partner a's value exceeded partner b's (a :func:`rival_comparison`)."""
    known = comparison.dropna(subset=["a_ahead"])
    return [int(y) for y in known.loc[known["a_ahead"].astype(bool), "year"]]


def source_overlap(
    flows: pd.DataFrame, a: str, b: str, flow: str, start: int, end: int, *, reporter: str
) -> tuple[str, list[int]]:
    """Both partners' values from every source family, in years where two families overlap.

    Returns:
        ``(text, disagree)``: text such as ``"2018: IMF DOTS 11.6/16.9, Kazakhstan BNS
        11.7/18.5"`` (a/b in US$ bn) and the years in which the families disagree on whether
        a is ahead of b.
    """
    comp = tr.source_comparison(flows, [a, b], flow, start, end, reporter=reporter)
    if comp.empty:
        return "", []
    bits, disagree = [], []
    for year, part in comp.groupby("year", sort=True):
        v = part.set_index("partner")
        if a not in v.index or b not in v.index:
            continue
        fam_bits, ahead = [], set()
        for fam, label in tr.FAMILY_LABELS.items():
            col = f"{fam}_usd_mn"
            if col in v.columns and pd.notna(v.loc[a, col]) and pd.notna(v.loc[b, col]):
                fam_bits.append(f"{label} {v.loc[a, col] / 1e3:.1f}/{v.loc[b, col] / 1e3:.1f}")
                ahead.add(bool(v.loc[a, col] > v.loc[b, col]))
        if len(fam_bits) >= 2:
            bits.append(f"{int(year)}: {', '.join(fam_bits)}")
            if len(ahead) > 1:
                disagree.append(int(year))
    return "; ".join(bits), disagree


def measure_rival_lead(
    flows: pd.DataFrame,
    *,
    years: Sequence[int | str],
    a: str = "CHN",
    b: str = "RUS",
    flow: str = "turnover",
    reporter: str = "KAZ",
    preference: str = "national_first",
    start_year: int = 1992,
) -> list[Measurement]:
    """Whether ``a``'s trade exceeds ``b``'s, one boolean Measurement per year.

    ``years`` may contain ``"latest"`` (the last year with both values). The series uses
    :func:`kzanalysis.analysis.trade.select_flows` with ``preference``; the note gives the
    first year a was ahead, the year from which its lead lasted, all years ahead, the other
    flows, and every source family's values for the year where two overlap.
    """
    choice = tr.choose_sources(flows, reporter, preference)
    end_year = int(choice["year"].max())
    sel = tr.select_flows(flows, reporter, preference)
    vals = tr.partner_values(
        sel, [a, b], flow, start_year, end_year, reporter=reporter, with_total=False
    )
    comp = tr.rival_comparison(vals, a, b).dropna(subset=["ratio"])
    fams = vals.drop_duplicates("year").set_index("year")["source_family"]
    first, lasting = tr.first_year_ahead(comp), tr.lasting_lead_year(comp)
    cross = tr.crossover_by_flow(sel, start_year, end_year, reporter=reporter, a=a, b=b)
    cross_txt = ", ".join(
        f"{r.flow}: first ahead {r.first_year_ahead if pd.notna(r.first_year_ahead) else 'never'}"
        for r in cross.itertuples()
    )
    overlap, disagree = source_overlap(flows, a, b, flow, start_year, end_year, reporter=reporter)
    history = (
        f"{a} ahead of {b} ({flow}) in {', '.join(map(str, years_ahead(comp))) or 'no year'}; "
        f"first {first or 'never'}, lasting lead from {lasting or 'none'}; {cross_txt}; "
        f"source order {preference}: {tr.describe_sources(choice)}"
    )
    if overlap:
        history += (
            f" Where sources overlap ({a}/{b}, US$ bn): {overlap}; they disagree on the leader "
            f"in {', '.join(map(str, disagree)) or 'no year'}"
        )
    out = []
    for want in years:
        year = int(comp["year"].max()) if want == LATEST else int(want)
        row = comp[comp["year"] == year]
        if row.empty:
            out.append(Measurement(None, f"{FLOWS}: no {a} and {b} {flow} values for {year}"))
            continue
        r = row.iloc[0]
        fam = str(fams.get(year, "?"))
        fam_label = " + ".join(tr.FAMILY_LABELS.get(f, f) for f in fam.split("+"))
        evidence = (
            f"{FLOWS} ({fam_label}), KAZ {flow} {year}: {tr.partner_label(a)} "
            f"{_fmt(r['value_a_usd_mn'])} vs {tr.partner_label(b)} {_fmt(r['value_b_usd_mn'])} "
            f"US$ mn (ratio {r['ratio']:.2f})"
        )
        out.append(Measurement(bool(r["a_ahead"]), evidence, f"{history}; used: {fam_label}"))
    return out


def rival_lead(**args) -> list[Measurement]:
    """Metric ``trade.rival_lead`` (C17)."""
    return measure_rival_lead(datasets.load(FLOWS), **args)


# --------------------------------------------------------------------------------------
# C18: trade with the Union's members in its first years
# --------------------------------------------------------------------------------------


def measure_union_trade_change(
    flows: pd.DataFrame,
    *,
    years: Sequence[int],
    base_year: int = 2014,
    group: str = "EAEU",
    flow: str = "turnover",
    reporter: str = "KAZ",
    preference: str = "imf_first",
) -> list[Measurement]:
    """Change (%) of the reporter's trade with the group's members against ``base_year``.

    Members are the group's members at the end of ``years[0]`` (registry), held fixed for
    every year (:func:`kzanalysis.analysis.trade.eaeu_launch`). One Measurement per year.
    """
    sel = tr.select_flows(flows, reporter, preference)
    launch = tr.eaeu_launch(
        sel, flow, reporter=reporter, base_year=base_year, years=tuple(years), group=group
    )
    grp = launch[launch["partner"] == group].set_index("year")
    world = launch[launch["partner"] == tr.WORLD].set_index("year")
    members = sorted(p for p in set(launch["partner"]) if p not in (group, tr.WORLD))
    choice = tr.choose_sources(flows, reporter, preference)
    fams = choice[choice["year"].isin([base_year, *years])]["source_family"].unique()
    src = " + ".join(tr.FAMILY_LABELS[f] for f in fams)
    out = []
    for year in years:
        change = float(grp.loc[year, "change_vs_base_pct"]) if year in grp.index else math.nan
        if math.isnan(change):
            out.append(Measurement(None, f"{FLOWS}: no {group} {flow} value for {year}"))
            continue
        evidence = (
            f"{FLOWS} ({src}), {reporter} {flow} with {group} members of {years[0]} "
            f"({', '.join(members)}): {base_year} {_fmt(grp.loc[base_year, 'value_usd_mn'])} → "
            f"{year} {_fmt(grp.loc[year, 'value_usd_mn'])} US$ mn ({change:+.1f} %)"
        )
        total_change = float(world.loc[year, "change_vs_base_pct"])
        s0, s1 = float(grp.loc[base_year, "share_pct"]), float(grp.loc[year, "share_pct"])
        reading = (
            "trade with all partners fell at least as much, so the fall is not specific to the "
            "Union"
            if total_change <= change < 0
            else "the members' share fell"
            if s1 < s0
            else "the members' share did not fall"
        )
        note = (
            f"{reporter}'s trade with all partners changed {total_change:+.1f} % over the same "
            f"years; the members' share of it went from {s0:.1f} % to {s1:.1f} % ({reading}); "
            f"{reporter}-reported flows only"
        )
        out.append(Measurement(round(change, 1), evidence, note))
    return out


def union_trade_change(**args) -> list[Measurement]:
    """Metric ``trade.union_trade_change`` (C18)."""
    return measure_union_trade_change(datasets.load(FLOWS), **args)


METRICS: dict[str, Callable[..., list[Measurement]]] = {
    "trade.hs_export_value": hs_export_value,
    "trade.hs_export_ratio": hs_export_ratio,
    "trade.rival_lead": rival_lead,
    "trade.union_trade_change": union_trade_change,
}
