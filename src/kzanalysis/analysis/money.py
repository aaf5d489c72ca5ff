"""The chapter's analysis: pure functions that its notebook calls, each unit-tested.

Chapter ``money``, "Money: investment and lending", notebook ``notebooks/06_money.ipynb``;
created by ``kzanalysis new chapter``.

The example: China's and Russia's shares of a Central Asian state's total trade turnover
(exports + imports) per year, from the curated table ``trade_partner_flows``. It reuses
:func:`kzanalysis.analysis.trade.select_flows` (one source family per year and flow) and
:func:`kzanalysis.analysis.trade.partner_values` (partner values and their shares of the
world total), so its numbers are the trade chapter's.

Replace the example with the chapter's own analysis: pure functions (frames in, frames or
text out, no I/O), each tested on a hand-made frame in the chapter's unit test,
``tests/unit/test_analysis_money.py``.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from kzanalysis.analysis import trade
from kzanalysis.analysis._checks import require_columns

#: Partners of the example (ISO3 codes): China and Russia.
PARTNERS: tuple[str, ...] = ("CHN", "RUS")


def share_column(partner: str) -> str:
    """Column of ``partner``'s share in :func:`partner_shares` (``CHN`` → ``chn_share_pct``)."""
    return f"{partner.lower()}_share_pct"


def partner_shares(
    flows: pd.DataFrame,
    country: str,
    start_year: int,
    end_year: int,
    partners: Sequence[str] = PARTNERS,
    source_preference: str = "imf_first",
) -> pd.DataFrame:
    """Each partner's share of ``country``'s total trade turnover, per year.

    Args:
        flows: ``trade_partner_flows`` as :func:`kzanalysis.datasets.load` returns it.
        country: ISO3 code of the reporting country.
        start_year: First year.
        end_year: Last year.
        partners: ISO3 codes of the partners.
        source_preference: Which source family wins where several cover a year (a key of
            :data:`kzanalysis.analysis.trade.FAMILY_ORDER`).

    Returns:
        One row per year from ``start_year`` to ``end_year``: ``year``, ``turnover_usd_mn``
        (the country's trade with the world) and one ``<partner>_share_pct`` column per
        partner (see :func:`share_column`). Where the total or a partner's exports or
        imports are missing, the value is NaN, never zero.
    """
    selected = trade.select_flows(flows, country, source_preference)
    values = trade.partner_values(
        selected, list(partners), "turnover", start_year, end_year, reporter=country
    )
    by_year = values.pivot(index="year", columns="partner", values="share_pct")
    totals = values[values["partner"] == trade.WORLD].set_index("year")["value_usd_mn"]
    out = pd.DataFrame(
        {
            "year": by_year.index.astype("int64"),
            "turnover_usd_mn": totals.reindex(by_year.index).to_numpy(),
        }
    )
    for partner in partners:
        out[share_column(partner)] = by_year[partner].to_numpy()
    return out


def share_findings(
    shares: pd.DataFrame, country_name: str, partners: Sequence[str] = PARTNERS
) -> list[str]:
    """Three sentences on :func:`partner_shares`: the shares, the leader, the coverage.

    Args:
        shares: Output of :func:`partner_shares`.
        country_name: The country's name, for the text.
        partners: The partners whose shares to describe (columns of ``shares``).

    Returns:
        Each partner's share in the first and the last year where every partner has one;
        which partner had the largest share in the last of those years (or which tied, at
        one decimal); how many years of the table lack a figure. One sentence saying so
        when no year has every share.
    """
    columns = [share_column(p) for p in partners]
    require_columns(shares, ["year", *columns], "share_findings")
    complete = shares.dropna(subset=columns).sort_values("year")
    if complete.empty:
        return [
            f"No year in the table has {country_name}'s total trade and every partner's "
            "share, so there is nothing to compare."
        ]
    first, last = complete.iloc[0], complete.iloc[-1]
    y0, y1 = int(first["year"]), int(last["year"])
    labels = {p: trade.partner_label(p) for p in partners}
    if y0 == y1:
        listed = "; ".join(f"{labels[p]} {last[share_column(p)]:.1f}%" for p in partners)
        sentences = [
            f"Shares of {country_name}'s trade turnover in {y1}, the only year with every "
            f"share: {listed}."
        ]
    else:
        listed = "; ".join(
            f"{labels[p]} {first[share_column(p)]:.1f}% in {y0} and "
            f"{last[share_column(p)]:.1f}% in {y1}"
            for p in partners
        )
        sentences = [
            f"Shares of {country_name}'s trade turnover (exports plus imports), first and "
            f"last year with every share: {listed}."
        ]
    top = max(round(float(last[share_column(p)]), 1) for p in partners)
    leaders = [labels[p] for p in partners if round(float(last[share_column(p)]), 1) == top]
    if len(leaders) == 1:
        most = "larger" if len(partners) == 2 else "largest"
        sentences.append(f"In {y1} {leaders[0]} had the {most} share ({top:.1f}%).")
    else:
        sentences.append(f"In {y1} {' and '.join(leaders)} had equal shares ({top:.1f}%).")
    gaps = len(shares) - len(complete)
    if gaps:
        sentences.append(
            f"{gaps} of {len(shares)} years in the table lack a figure; they are left empty, "
            "not read as zero trade."
        )
    else:
        sentences.append(f"Every year from {int(shares['year'].min())} to {y1} has every share.")
    return sentences
