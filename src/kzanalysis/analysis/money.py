"""Money: foreign direct investment by origin and Chinese official finance (pure functions).

Chapter ``money``, "Money: investment and lending", notebook ``notebooks/06_money.ipynb``;
created by ``kzanalysis new chapter``, then written for the thesis's claim that China leads
in money.

Two measures, never added together:

* **FDI by origin** (``investment_fdi_by_origin``, UNCTAD Bilateral FDI Statistics 2014 from
  the host's central bank): gross inflows into Kazakhstan and Kyrgyzstan and Kazakhstan's
  stock, by investing economy, 2001–2012, current US$ mn. China's and Russia's rows are
  compared with the world total; the Netherlands and "unspecified" are shown because
  capital routed through them hides its owner (Russian and Chinese capital may be there).
* **Chinese official finance** (``investment_china_official_finance``, AidData GCDF 3.0):
  commitments of loans and grants per recipient, year and flow class, 2000–2021, constant
  2021 US$ mn. A year without a recorded commitment stays distinct from a measured zero.
  There is no Russian counterpart series in the bundle.

The GCDF 2.0 geolocated subset (``investment_china_projects_geolocated``) gives project
detail only; it is never summed into totals.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from kzanalysis.analysis._checks import require_columns

#: Investors compared (ISO3): China and Russia.
INVESTORS: tuple[str, ...] = ("CHN", "RUS")
#: Where capital of unknown ownership sits: the Netherlands (transit) and "unspecified".
OFFSHORE: tuple[str, ...] = ("NLD", "UNSPECIFIED")
#: Key of the "unspecified" investor row (it has no ISO3 code).
UNSPECIFIED = "UNSPECIFIED"
#: Reader names of the investor keys that are not country codes.
INVESTOR_LABELS = {
    "CHN": "China",
    "RUS": "Russia",
    "NLD": "Netherlands",
    UNSPECIFIED: "Unspecified",
    "WLD": "World",
}
#: Hosts with FDI by origin in the bundle, and the measures each has.
FDI_MEASURES = {"KAZ": ("inflow", "stock"), "KGZ": ("inflow",)}
#: Flow classes of GCDF 3.0 in display order, with short reader labels.
FLOW_CLASSES = {
    "ODA-like": "ODA-like",
    "OOF-like": "OOF-like",
    "Vague (Official Finance)": "Vague",
}
#: Width of the commitment windows (years).
WINDOW_YEARS = 5


def investor_label(key: str) -> str:
    """Reader name of an investor key (``CHN`` → "China")."""
    return INVESTOR_LABELS.get(key, key)


def has_fdi(country: str, measure: str = "inflow") -> bool:
    """Whether the bundle has FDI by origin for ``country`` as a host, for ``measure``."""
    return measure in FDI_MEASURES.get(country, ())


def fdi_by_investor(
    fdi: pd.DataFrame,
    host: str,
    measure: str,
    start_year: int,
    end_year: int,
    investors: Sequence[str] = (*INVESTORS, *OFFSHORE),
) -> pd.DataFrame:
    """Each investor's FDI into ``host`` and its share of the world total, per year.

    Args:
        fdi: ``investment_fdi_by_origin``.
        host: ISO3 code of the host economy.
        measure: ``inflow`` or ``stock``.
        start_year: First year.
        end_year: Last year.
        investors: Investor keys: ISO3 codes or :data:`UNSPECIFIED`.

    Returns:
        One row per year with data for the host and measure and per investor: ``year``,
        ``investor``, ``value_usd_mn``, ``world_usd_mn``, ``share_pct`` (NaN where either
        is missing, or the world total is not positive) and ``sign_repaired``. Years the
        source marks not available stay NaN. Empty when the host has no such rows.
    """
    require_columns(
        fdi,
        ["host_iso3", "measure", "investor_iso3", "investor_kind", "year", "value_usd_mn"],
        "fdi_by_investor",
    )
    rows = fdi[
        (fdi["host_iso3"] == host)
        & (fdi["measure"] == measure)
        & fdi["year"].between(start_year, end_year)
    ]
    key = rows["investor_iso3"].where(rows["investor_kind"] == "country")
    key = key.mask(rows["investor_kind"] == "unspecified", UNSPECIFIED)
    key = key.mask(rows["investor_kind"] == "world", "WLD")
    rows = rows.assign(investor=key)
    world = rows[rows["investor"] == "WLD"].set_index("year")["value_usd_mn"]
    years = sorted(int(y) for y in rows["year"].unique())
    frames = []
    for investor in investors:
        own = rows[rows["investor"] == investor].set_index("year")
        value = own["value_usd_mn"].reindex(years)
        repaired = (
            own["sign_repaired"].reindex(years).fillna(False).astype(bool)
            if "sign_repaired" in own
            else pd.Series(False, index=years)
        )
        total = world.reindex(years)
        share = (value / total.where(total > 0) * 100).astype("float64")
        frames.append(
            pd.DataFrame(
                {
                    "year": np.array(years, dtype="int64"),
                    "investor": investor,
                    "value_usd_mn": value.to_numpy(dtype="float64"),
                    "world_usd_mn": total.to_numpy(dtype="float64"),
                    "share_pct": share.to_numpy(dtype="float64"),
                    "sign_repaired": repaired.to_numpy(dtype=bool),
                }
            )
        )
    if not frames or not years:
        return pd.DataFrame(
            columns=[
                "year",
                "investor",
                "value_usd_mn",
                "world_usd_mn",
                "share_pct",
                "sign_repaired",
            ]
        )
    return pd.concat(frames, ignore_index=True)


def fdi_wide(by_investor: pd.DataFrame, column: str = "share_pct") -> pd.DataFrame:
    """One row per year, one ``<investor>_<column>`` column per investor (lower-case key).

    Args:
        by_investor: Output of :func:`fdi_by_investor`.
        column: ``share_pct`` or ``value_usd_mn``.

    Returns:
        ``year``, ``world_usd_mn`` and the investors' columns, in the input's investor
        order.
    """
    order = list(dict.fromkeys(by_investor["investor"]))
    wide = by_investor.pivot(index="year", columns="investor", values=column)[order]
    wide.columns = [f"{c.lower()}_{column}" for c in wide.columns]
    world = by_investor.drop_duplicates("year").set_index("year")["world_usd_mn"]
    out = wide.reset_index()
    out.insert(1, "world_usd_mn", world.reindex(out["year"]).to_numpy())
    return out


def period_totals(by_investor: pd.DataFrame) -> pd.DataFrame:
    """Cumulative inflows per investor over the years where it and the world both have data.

    Args:
        by_investor: Output of :func:`fdi_by_investor` for flows (``inflow``).

    Returns:
        One row per investor: ``investor``, ``first_year``, ``last_year``, ``years``,
        ``value_usd_mn`` (sum), ``world_usd_mn`` (sum over the same years) and
        ``share_pct`` (of that world sum). Shares of a cumulative flow, not averages of
        yearly shares.
    """
    rows = []
    for investor, part in by_investor.groupby("investor", sort=False):
        used = part.dropna(subset=["value_usd_mn", "world_usd_mn"])
        if used.empty:
            continue
        value, world = float(used["value_usd_mn"].sum()), float(used["world_usd_mn"].sum())
        rows.append(
            {
                "investor": investor,
                "first_year": int(used["year"].min()),
                "last_year": int(used["year"].max()),
                "years": len(used),
                "value_usd_mn": value,
                "world_usd_mn": world,
                "share_pct": value / world * 100 if world > 0 else float("nan"),
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "investor",
            "first_year",
            "last_year",
            "years",
            "value_usd_mn",
            "world_usd_mn",
            "share_pct",
        ],
    )


def commitments(
    finance: pd.DataFrame, recipient: str, start_year: int, end_year: int
) -> pd.DataFrame:
    """Chinese official finance committed to ``recipient`` per year, by flow class.

    Args:
        finance: ``investment_china_official_finance``.
        recipient: ISO3 code of the recipient.
        start_year: First year.
        end_year: Last year.

    Returns:
        One row per year of the period that the table covers: ``year``, ``recorded``
        (AidData lists at least one recommended project that year), one
        ``<class>_usd2021_mn`` column per flow class (``oda_like``, ``oof_like``,
        ``vague``) and ``total_usd2021_mn``. A year without a recorded commitment has NaN
        amounts, not zero.
    """
    require_columns(
        finance,
        ["recipient_iso3", "year", "flow_class", "commitment_recorded", "commitment_usd2021_mn"],
        "commitments",
    )
    rows = finance[
        (finance["recipient_iso3"] == recipient) & finance["year"].between(start_year, end_year)
    ]
    years = sorted(int(y) for y in rows["year"].unique())
    wide = rows.pivot_table(
        index="year",
        columns="flow_class",
        values="commitment_usd2021_mn",
        aggfunc="sum",
        dropna=False,
    ).reindex(index=years, columns=list(FLOW_CLASSES))
    recorded = rows.groupby("year")["commitment_recorded"].any().reindex(years).fillna(False)
    out = pd.DataFrame({"year": np.array(years, dtype="int64"), "recorded": recorded.to_numpy()})
    for flow_class in FLOW_CLASSES:
        values = wide[flow_class].to_numpy(dtype="float64")
        out[class_column(flow_class)] = np.where(out["recorded"], values, np.nan)
    amounts = out[[class_column(c) for c in FLOW_CLASSES]]
    out["total_usd2021_mn"] = amounts.sum(axis=1, min_count=1).where(out["recorded"])
    return out


def class_column(flow_class: str) -> str:
    """Column of a flow class in :func:`commitments` ("OOF-like" → ``oof_like_usd2021_mn``)."""
    short = FLOW_CLASSES[flow_class].lower().replace("-", "_")
    return f"{short}_usd2021_mn"


def window_sums(by_year: pd.DataFrame, width: int = WINDOW_YEARS) -> pd.DataFrame:
    """Commitments summed over consecutive windows of ``width`` years.

    Windows start at the first year of ``by_year`` (2000, 2005, …); the last one may be
    shorter, and says so.

    Args:
        by_year: Output of :func:`commitments`.
        width: Window length in years.

    Returns:
        One row per window: ``first_year``, ``last_year``, ``years`` (in the window),
        ``recorded_years``, ``total_usd2021_mn`` (sum of recorded years; 0 only when a
        year is recorded with zero amounts, NaN when none is recorded) and ``share_pct``
        of the whole period's sum.
    """
    if by_year.empty:
        return pd.DataFrame(
            columns=[
                "first_year",
                "last_year",
                "years",
                "recorded_years",
                "total_usd2021_mn",
                "share_pct",
            ]
        )
    first = int(by_year["year"].min())
    window = (by_year["year"] - first) // width
    grouped = by_year.groupby(window)
    out = pd.DataFrame(
        {
            "first_year": grouped["year"].min().astype("int64"),
            "last_year": grouped["year"].max().astype("int64"),
            "years": grouped["year"].size().astype("int64"),
            "recorded_years": grouped["recorded"].sum().astype("int64"),
            "total_usd2021_mn": grouped["total_usd2021_mn"].sum(min_count=1),
        }
    ).reset_index(drop=True)
    whole = float(by_year["total_usd2021_mn"].sum())
    out["share_pct"] = out["total_usd2021_mn"] / whole * 100 if whole > 0 else np.nan
    return out


def lumpiness(by_year: pd.DataFrame, top: int = 3) -> dict[str, object]:
    """How few years carry the commitments: the ``top`` largest years' share of the total.

    Args:
        by_year: Output of :func:`commitments`.
        top: How many of the largest years to take.

    Returns:
        ``total_usd2021_mn`` (all years), ``recorded_years``, ``top_years`` (largest first),
        ``top_usd2021_mn``, ``top_share_pct`` and ``half_years``: the fewest years that
        together hold at least half of the total (0 when the total is not positive).
    """
    recorded = by_year.dropna(subset=["total_usd2021_mn"])
    ranked = recorded.sort_values(["total_usd2021_mn", "year"], ascending=[False, True])
    total = float(ranked["total_usd2021_mn"].sum())
    head = ranked.head(top)
    top_sum = float(head["total_usd2021_mn"].sum())
    cumulative = ranked["total_usd2021_mn"].cumsum().to_numpy()
    half = int(np.searchsorted(cumulative, total / 2) + 1) if total > 0 else 0
    return {
        "total_usd2021_mn": total,
        "recorded_years": len(recorded),
        "top_years": [int(y) for y in head["year"]],
        "top_usd2021_mn": top_sum,
        "top_share_pct": top_sum / total * 100 if total > 0 else float("nan"),
        "half_years": half,
    }


#: Columns of :func:`project_list`, in display order.
PROJECT_COLUMNS = [
    "commitment_year",
    "title",
    "funding_agencies",
    "flow_type",
    "flow_class",
    "sector",
    "status",
    "amount_usd2017_mn",
]


def project_list(projects: pd.DataFrame, recipient: str) -> pd.DataFrame:
    """The geolocated GCDF 2.0 projects of ``recipient``, largest amount first.

    Only development projects recommended for aggregates (AidData's rule), umbrella
    projects excluded so a loan is not listed twice. Amounts AidData does not give stay
    NaN (listed last).

    Args:
        projects: ``investment_china_projects_geolocated``.
        recipient: ISO3 code.

    Returns:
        :data:`PROJECT_COLUMNS`, plus ``project_id``.
    """
    require_columns(
        projects,
        [
            *PROJECT_COLUMNS,
            "project_id",
            "recipient_iso3",
            "recommended_for_aggregates",
            "umbrella",
            "finance_type",
        ],
        "project_list",
    )
    keep = (
        (projects["recipient_iso3"] == recipient)
        & projects["recommended_for_aggregates"].astype(bool)
        & ~projects["umbrella"].astype(bool)
        & (projects["finance_type"] == "development")
    )
    rows = projects.loc[keep, ["project_id", *PROJECT_COLUMNS]]
    return rows.sort_values(
        ["amount_usd2017_mn", "commitment_year", "project_id"],
        ascending=[False, True, True],
        na_position="last",
    ).reset_index(drop=True)


def project_concentration(listed: pd.DataFrame, top: int = 3) -> dict[str, object]:
    """The ``top`` largest projects' share of the listed amounts (GCDF 2.0 subset).

    Returns:
        ``projects`` (listed), ``with_amount``, ``total_usd2017_mn``, ``top_usd2017_mn``,
        ``top_share_pct`` and ``top_titles`` (largest first).
    """
    amounts = listed.dropna(subset=["amount_usd2017_mn"])
    total = float(amounts["amount_usd2017_mn"].sum())
    head = amounts.head(top)
    top_sum = float(head["amount_usd2017_mn"].sum())
    return {
        "projects": len(listed),
        "with_amount": len(amounts),
        "total_usd2017_mn": total,
        "top_usd2017_mn": top_sum,
        "top_share_pct": top_sum / total * 100 if total > 0 else float("nan"),
        "top_titles": list(head["title"]),
    }
