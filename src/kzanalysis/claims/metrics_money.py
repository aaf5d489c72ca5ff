"""Ledger metrics for the money claims (C39–C43; C44 is declared untestable).

Every metric ``investment.<what>`` loads the curated tables with
:func:`kzanalysis.datasets.load` and hands them to a pure ``measure_<what>`` function
(hand-made frames in the unit tests), which aggregates with the chapter's own functions
(:mod:`kzanalysis.analysis.money`): FDI by investor and period totals
(:func:`~kzanalysis.analysis.money.fdi_by_investor`,
:func:`~kzanalysis.analysis.money.period_totals`), commitments per year
(:func:`~kzanalysis.analysis.money.commitments`) and how few years carry them
(:func:`~kzanalysis.analysis.money.lumpiness`).

Two measures, never added together and never passed off as each other:

* **FDI by origin** (UNCTAD Bilateral FDI Statistics 2014): gross inflows and stock of
  direct investment, current US dollars, 2001–2012 only. FDI is not the "BRI investment"
  of press totals, which also count construction contracts.
* **Chinese official finance** (AidData GCDF 3.0): loans and grants *committed* by Chinese
  state lenders, constant 2021 US dollars, 2000–2021, per recipient and year only. It is
  lending, not investment, and commitments are neither disbursements nor outstanding debt.

A metric never returns a verdict: it returns the data's value (``None`` when the bundled
tables do not cover a part), the evidence (table, source, years, the figure compared) and
caveats. Where a value can only bound a claim, the claim's part says so with an
``upper_bound`` / ``lower_bound`` tolerance (:class:`kzanalysis.claims.model.Tolerance`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from kzanalysis import countries, datasets
from kzanalysis.analysis import money as mo
from kzanalysis.claims.model import ClaimsError, Measurement

FDI = "investment_fdi_by_origin"
FINANCE = "investment_china_official_finance"
FDI_SOURCE = "UNCTAD Bilateral FDI Statistics 2014, from the host's central bank"
FINANCE_SOURCE = "AidData GCDF 3.0, projects recommended for aggregates"

#: What an FDI figure is and is not (carried by every FDI measurement).
FDI_CAVEAT = (
    "FDI by the investor's immediate country (capital routed through third economies is "
    "not attributed to China), current US dollars; FDI is not a 'BRI investment' total, "
    "which also counts construction contracts"
)
#: What a commitment figure is and is not (carried by every commitment measurement).
FINANCE_CAVEAT = (
    "loans and grants committed by Chinese state lenders (amounts agreed, not disbursed, "
    "repaid or outstanding), in constant 2021 US dollars: an amount of an earlier year is "
    "larger than in the dollars of its year; recipient totals only (no lender, borrower or "
    "project)"
)
#: Where FDI by origin after the bundled years would come from.
FDI_WOULD_NEED = (
    "FDI by country of origin after 2012 (National Bank of Kazakhstan statistics by "
    "country, or IMF CDIS positions)"
)

Period = Sequence[int]

#: US consumer prices rose about 1.57-fold from 2000 to 2021 (BLS CPI-U annual averages
#: 172.2 and 271.0): a gap between current and constant 2021 dollars larger than this
#: bound cannot be a price effect for any year since 2000.
PRICE_RISE_MAX = 2.0


def _name(code: str) -> str:
    """Reader name of a country code (``RUS`` → Russia, ``KAZ`` → Kazakhstan)."""
    return mo.INVESTOR_LABELS.get(code) or countries.name(code)


def _span(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}–{last}"


def _bn(value_mn: float) -> str:
    return f"{value_mn / 1000:,.2f} bn"


def _period(period: Period) -> tuple[int, int]:
    """``[first, last]`` as two ints.

    Raises:
        ClaimsError: if the period is not two years in order.
    """
    if len(period) != 2 or int(period[0]) > int(period[1]):
        raise ClaimsError(f"period {list(period)!r} must be [first_year, last_year]")
    return int(period[0]), int(period[1])


# --------------------------------------------------------------------------------------
# FDI by origin and commitments over a period (pure helpers)
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Total:
    """A sum over a period, or why there is none.

    Attributes:
        value_mn: The sum in US$ mn (``None`` when the table does not cover the period).
        text: The figure in words with its table, source and years.
        detail: Context for the note (world share, flow classes, largest years …).
    """

    value_mn: float | None
    text: str
    detail: str = ""


def fdi_total(
    fdi: pd.DataFrame,
    *,
    period: Period,
    measure: str = "inflow",
    host: str = "KAZ",
    investor: str = "CHN",
) -> Total:
    """``investor``'s FDI into ``host``: inflows summed over ``period``, or the stock at its end.

    A period the table does not cover in full (a year absent or marked not available)
    gives no value: a partial sum is not the period's total.
    """
    first, last = _period(period)
    what = "FDI inflows" if measure == "inflow" else "FDI stock"
    rows = fdi[(fdi["host_iso3"] == host) & (fdi["measure"] == measure)]
    if rows.empty:
        return Total(None, f"{FDI}: no {what} by origin for {_name(host)} as a host")
    lo, hi = int(rows["year"].min()), int(rows["year"].max())
    series = mo.fdi_by_investor(fdi, host, measure, lo, hi, (investor,))
    known = set(series.dropna(subset=["value_usd_mn", "world_usd_mn"])["year"])
    wanted = range(first, last + 1) if measure == "inflow" else range(last, last + 1)
    where = f"{FDI} ({FDI_SOURCE}), {_name(investor)} → {_name(host)} {what}"
    if not set(wanted) <= known:
        missing = sorted(set(wanted) - known)
        return Total(
            None,
            f"{where}, {_span(first, last)}: not covered (the table holds {lo}–{hi}; no "
            f"value for {', '.join(map(str, missing[:3]))}{' …' if len(missing) > 3 else ''})",
        )
    if measure == "inflow":
        used = series[series["year"].between(first, last)]
        row = mo.period_totals(used).iloc[0]
        value, world, share = row["value_usd_mn"], row["world_usd_mn"], row["share_pct"]
        text = f"{where}, {_span(first, last)}: {_bn(value)} current US$"
        detail = f"{share:.1f} % of all FDI inflows into {_name(host)} ({_bn(world)})"
    else:
        row = series[series["year"] == last].iloc[0]
        value, share = row["value_usd_mn"], row["share_pct"]
        text = f"{where}, end-{last}: {_bn(value)} current US$"
        detail = f"{share:.1f} % of {_name(host)}'s FDI stock"
    repaired = int(series[series["year"].isin(list(wanted))]["sign_repaired"].sum())
    if repaired:
        detail += f"; {repaired} value(s) with a sign repaired in curation"
    return Total(float(value), text, detail)


def commitment_total(finance: pd.DataFrame, *, period: Period, recipient: str = "KAZ") -> Total:
    """Chinese official finance committed to ``recipient`` over ``period`` (US$ mn, 2021).

    The sum is over years with a recorded commitment; a period the table does not cover, or
    without any recorded commitment, gives no value (absence is not a measured zero).
    """
    first, last = _period(period)
    by_year = mo.commitments(finance, recipient, first, last)
    where = (
        f"{FINANCE} ({FINANCE_SOURCE}), Chinese official finance committed to "
        f"{_name(recipient)}, {_span(first, last)}"
    )
    covered = set(by_year["year"])
    if not set(range(first, last + 1)) <= covered:
        held = finance.loc[finance["recipient_iso3"] == recipient, "year"]
        span = f"{int(held.min())}–{int(held.max())}" if len(held) else "no year"
        return Total(None, f"{where}: not covered (the table holds {span} for it)")
    lump = mo.lumpiness(by_year)
    if not lump["recorded_years"]:
        return Total(None, f"{where}: no commitment recorded (absence is not a measured zero)")
    total = float(lump["total_usd2021_mn"])
    classes = ", ".join(
        f"{label} {_bn(by_year[mo.class_column(cls)].sum())}"
        for cls, label in mo.FLOW_CLASSES.items()
        if by_year[mo.class_column(cls)].sum() > 0
    )
    years = len(by_year)
    text = f"{where}: {_bn(total)} constant 2021 US$ ({classes or 'all zero'})"
    bits = []
    if years > 1:
        bits.append(f"{lump['recorded_years']} of {years} years with a recorded commitment")
    unrecorded = [int(y) for y in by_year.loc[~by_year["recorded"].astype(bool), "year"]]
    if unrecorded and bits:
        bits[0] += f" (none recorded in {', '.join(map(str, unrecorded))})"
    if years > 3:
        top = by_year.set_index("year")["total_usd2021_mn"]
        listed = ", ".join(f"{y} {_bn(top[y])}" for y in lump["top_years"])
        bits.append(f"largest years {listed}, {lump['top_share_pct']:.0f} % of the total")
    return Total(total, text, "; ".join(bits))


# --------------------------------------------------------------------------------------
# C39, C40: "BRI investment" totals, by what the data can measure of them
# --------------------------------------------------------------------------------------


def measure_bri_components(
    fdi: pd.DataFrame,
    finance: pd.DataFrame,
    *,
    period: Period,
    host: str = "KAZ",
    investor: str = "CHN",
    before: Period | None = None,
) -> list[Measurement]:
    """The two measured components of a Chinese "BRI investment" total, in US$ bn.

    Returns two Measurements:
        1. ``investor``'s FDI inflows into ``host`` over ``period`` (``None`` when the FDI
           table does not cover it: it ends in 2012);
        2. Chinese official finance committed to ``host`` over ``period`` (constant 2021
           US$): the lending a total of "loans and investment" includes, so a lower bound
           of it, never the total.

    Args:
        before: Years shown for context only (e.g. ``[2000, 2012]``, commitments before the
            BRI), never compared.
    """
    last = _period(period)[1]
    inflow = fdi_total(fdi, period=period, measure="inflow", host=host, investor=investor)
    notes = [FDI_CAVEAT]
    if inflow.value_mn is None:
        rows = fdi[(fdi["host_iso3"] == host) & (fdi["measure"] == "inflow")]
        if len(rows):
            lo, hi = int(rows["year"].min()), int(rows["year"].max())
            held = fdi_total(fdi, period=(lo, hi), host=host, investor=investor)
            if held.value_mn is not None:
                notes.insert(0, f"the bundled years: {held.text} ({held.detail})")
        notes.append(f"would need: {FDI_WOULD_NEED}")
        fdi_part = Measurement(None, inflow.text, "; ".join(notes))
    else:
        fdi_part = Measurement(
            round(inflow.value_mn / 1000, 2), inflow.text, "; ".join([inflow.detail, *notes])
        )
    lent = commitment_total(finance, period=period, recipient=host)
    notes = [
        "lending, not investment: a component of a total of Chinese loans and investment, so "
        "a lower bound of it",
        FINANCE_CAVEAT,
    ]
    if lent.detail:
        notes.insert(0, lent.detail)
    if before is not None:
        earlier = commitment_total(finance, period=before, recipient=host)
        whole = commitment_total(finance, period=(_period(before)[0], last), recipient=host)
        if earlier.value_mn is not None and whole.value_mn is not None:
            notes.append(
                f"not compared: {_bn(earlier.value_mn)} committed in {_span(*_period(before))}"
                f", before the BRI ({_bn(whole.value_mn)} in "
                f"{_span(_period(before)[0], last)})"
            )
    value = None if lent.value_mn is None else round(lent.value_mn / 1000, 2)
    return [fdi_part, Measurement(value, lent.text, "; ".join(notes))]


def bri_components(**args: Any) -> list[Measurement]:
    """Metric ``investment.bri_components`` (C39, C40)."""
    return measure_bri_components(datasets.load(FDI), datasets.load(FINANCE), **args)


# --------------------------------------------------------------------------------------
# C41, C43: commitments over a period, as a bound on one loan or on what is owed
# --------------------------------------------------------------------------------------


def measure_commitment_total(
    finance: pd.DataFrame, *, period: Period, recipient: str = "KAZ"
) -> list[Measurement]:
    """Chinese official finance committed to ``recipient`` over ``period``, US$ bn (2021).

    One Measurement: every recorded commitment of the period summed, so an upper bound of
    any one loan in it and of what the recipient still owes on them, never either.
    """
    lent = commitment_total(finance, period=period, recipient=recipient)
    notes = [FINANCE_CAVEAT]
    if lent.detail:
        notes.insert(0, lent.detail)
    value = None if lent.value_mn is None else round(lent.value_mn / 1000, 2)
    return [Measurement(value, lent.text, "; ".join(notes))]


def commitment_sum(**args: Any) -> list[Measurement]:
    """Metric ``investment.commitment_total`` (C41, C43)."""
    return measure_commitment_total(datasets.load(FINANCE), **args)


# --------------------------------------------------------------------------------------
# C42: investment against lending
# --------------------------------------------------------------------------------------


def _comparison(
    fdi: pd.DataFrame,
    finance: pd.DataFrame,
    spec: Mapping[str, Any],
    host: str,
    investor: str,
) -> Measurement:
    """FDI ÷ commitments for one comparison (see :func:`measure_investment_vs_lending`)."""
    measure = str(spec.get("fdi", "inflow"))
    if measure not in ("inflow", "stock"):
        raise ClaimsError(f"unknown FDI measure {measure!r}; use inflow or stock")
    first, last = _period(spec["period"])
    lending_period = _period(spec.get("lending_period", (first, last)))
    invested = fdi_total(fdi, period=(first, last), measure=measure, host=host, investor=investor)
    lent = commitment_total(finance, period=lending_period, recipient=host)
    evidence = f"{invested.text} vs {lent.text}"
    if invested.value_mn is None or lent.value_mn is None:
        notes = [f"would need: {FDI_WOULD_NEED}"] if invested.value_mn is None else []
        return Measurement(None, evidence, "; ".join([*notes, FDI_CAVEAT, FINANCE_CAVEAT]))
    if lent.value_mn <= 0:
        return Measurement(None, f"{evidence}: no lending to compare with", FINANCE_CAVEAT)
    ratio = invested.value_mn / lent.value_mn
    evidence += f" → FDI ÷ commitments = {ratio:.2f}"
    notes = [invested.detail, lent.detail]
    if ratio < 1:
        factor = 1 / ratio
        prices = (
            f"far more than US prices rose from {lending_period[0]} to 2021 (less than "
            f"{PRICE_RISE_MAX:g}-fold), so not an effect of the commitments' constant 2021 "
            "dollars"
            if factor > PRICE_RISE_MAX
            else "within what the rise of US prices could explain (the commitments are in "
            "constant 2021 dollars, the FDI in current dollars)"
        )
        notes.append(
            f"commitments exceed FDI {factor:.1f}-fold, {prices}; FDI would have to be "
            f"{_bn(lent.value_mn - invested.value_mn)} larger, or less than {100 * ratio:.0f} % "
            "of the commitments disbursed, for the money invested to match the money lent"
        )
    if measure == "inflow":
        by = mo.period_totals(
            mo.fdi_by_investor(fdi, host, measure, first, last, ("HKG", *mo.OFFSHORE))
        )
        if len(by):
            listed = ", ".join(
                f"{mo.investor_label(r.investor)} {_bn(r.value_usd_mn)}"
                if r.investor != "HKG"
                else f"Hong Kong, China {_bn(r.value_usd_mn)}"
                for r in by.itertuples()
            )
            notes.append(
                f"inflows of the same years from {listed}: capital routed through third "
                "economies has no recorded owner"
            )
    if measure == "stock":
        notes.append(
            "a stock (positions at the year's end, with reinvested earnings and intercompany "
            "debt) against a sum of commitments"
        )
    notes += [FDI_CAVEAT, FINANCE_CAVEAT]
    return Measurement(round(ratio, 3), evidence, "; ".join(n for n in notes if n))


def measure_investment_vs_lending(
    fdi: pd.DataFrame,
    finance: pd.DataFrame,
    *,
    comparisons: Sequence[Mapping[str, Any]],
    host: str = "KAZ",
    investor: str = "CHN",
) -> list[Measurement]:
    """China's FDI in ``host`` divided by its official finance committed, per comparison.

    Args:
        comparisons: One per part: ``{"fdi": "inflow" | "stock", "period": [a, b],
            "lending_period": [a, b] (optional, default the period)}``. Inflows are summed
            over the period; the stock is taken at its end. Above 1: more invested than
            committed in loans and grants.

    Returns:
        One Measurement per comparison: the ratio (``None`` when either table does not
        cover it).
    """
    return [_comparison(fdi, finance, spec, host, investor) for spec in comparisons]


def investment_vs_lending(**args: Any) -> list[Measurement]:
    """Metric ``investment.investment_vs_lending`` (C42)."""
    return measure_investment_vs_lending(datasets.load(FDI), datasets.load(FINANCE), **args)


METRICS: dict[str, Callable[..., list[Measurement]]] = {
    "investment.bri_components": bri_components,
    "investment.commitment_total": commitment_sum,
    "investment.investment_vs_lending": investment_vs_lending,
}
