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
from kzanalysis.report.text import join_words, number, year_spans

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


def largest_investor(
    fdi: pd.DataFrame, country: str, start_year: int, end_year: int
) -> dict[str, object] | None:
    """The investing economy with the largest cumulative FDI inflows over the range.

    Only country rows compete (not "unspecified", regional groups or the world total).

    Returns:
        ``investor`` (ISO3), ``name``, ``value_usd_mn``, ``share_pct`` (of the summed world
        inflows), ``first_year``, ``last_year`` and ``transit`` (the investor is one where
        capital of unknown owner sits, :data:`OFFSHORE`); None
        without inflows by origin. Ties go to the alphabetically first code.
    """
    require_columns(
        fdi,
        ["host_iso3", "measure", "investor_iso3", "investor_kind", "investor_name"],
        "largest_investor",
    )
    rows = fdi[(fdi["host_iso3"] == country) & (fdi["measure"] == "inflow")]
    rows = rows[(rows["investor_kind"] == "country") & rows["investor_iso3"].notna()]
    if not has_fdi(country, "inflow") or rows.empty:
        return None
    keys = sorted(set(rows["investor_iso3"].astype(str)))
    totals = period_totals(
        fdi_by_investor(fdi, country, "inflow", start_year, end_year, investors=keys)
    )
    if totals.empty:
        return None
    top = totals.sort_values(["value_usd_mn", "investor"], ascending=[False, True]).iloc[0]
    key = str(top["investor"])
    names = rows.drop_duplicates("investor_iso3").set_index("investor_iso3")["investor_name"]
    return {
        "investor": key,
        "name": INVESTOR_LABELS.get(key, str(names.get(key, key))),
        "value_usd_mn": float(top["value_usd_mn"]),
        "share_pct": float(top["share_pct"]),
        "first_year": int(top["first_year"]),
        "last_year": int(top["last_year"]),
        "transit": key in OFFSHORE,
    }


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


# --------------------------------------------------------------------------------------
# Sentences (computed from the results above; the report elements and findings use them)
# --------------------------------------------------------------------------------------


def _usd(value: float) -> str:
    return f"US$ {number(value, 0)} mn"


def _years_text(years: Sequence[int]) -> str:
    """``2004, 2010 and 2012``; runs of three or more as ``2014–2016``."""
    return join_words(year_spans(years))


def fdi_sentences(
    totals: pd.DataFrame,
    by_investor: pd.DataFrame,
    host_name: str,
    largest: dict[str, object] | None = None,
) -> list[str]:
    """Two sentences on gross FDI inflows: China vs Russia, then the offshore caveat.

    Args:
        totals: :func:`period_totals` of the inflows.
        by_investor: :func:`fdi_by_investor` of the same inflows (for the yearly lead).
        host_name: The host's name.
        largest: :func:`largest_investor`; named when it is neither China, Russia nor a
            place of unknown ownership.

    Returns:
        China's and Russia's cumulative shares of the world's inflows with the larger one
        and the years each led; the Netherlands' and unspecified investors' shares and what
        they may hide (and the largest recorded investor). One sentence saying so when
        China or Russia has no data.
    """
    rows = totals.set_index("investor")
    if not {"CHN", "RUS"} <= set(rows.index):
        return [f"The bundle has no FDI inflows into {host_name} from both China and Russia."]
    chn, rus = rows.loc["CHN"], rows.loc["RUS"]
    y0, y1 = (
        int(min(chn["first_year"], rus["first_year"])),
        int(max(chn["last_year"], rus["last_year"])),
    )
    gap = float(chn["share_pct"]) - float(rus["share_pct"])
    if round(abs(gap), 1) == 0:
        lead = "the two shares are equal at one decimal"
    else:
        leader = "China" if gap > 0 else "Russia"
        lead = f"{leader}'s share was the larger, by {number(abs(gap))} percentage points"
    wide = fdi_wide(by_investor)
    both = wide.dropna(subset=["chn_share_pct", "rus_share_pct"])
    chn_led = int((both["chn_share_pct"].round(1) > both["rus_share_pct"].round(1)).sum())
    rus_led = int((both["chn_share_pct"].round(1) < both["rus_share_pct"].round(1)).sum())
    first = (
        f"From {y0} to {y1} China supplied {number(chn['share_pct'])}% of the gross FDI "
        f"inflows into {host_name} ({_usd(chn['value_usd_mn'])}) and Russia "
        f"{number(rus['share_pct'])}% ({_usd(rus['value_usd_mn'])}): {lead}; China's yearly "
        f"share was larger in {chn_led} of {len(both)} years, Russia's in {rus_led}."
    )
    offshore = [k for k in OFFSHORE if k in rows.index]
    if not offshore:
        return [first]
    names = {"NLD": "the Netherlands", UNSPECIFIED: "unspecified investors"}
    parts = [
        f"{names.get(k, investor_label(k))} {number(rows.loc[k, 'share_pct'])}%" for k in offshore
    ]
    together = float(rows.loc[offshore, "value_usd_mn"].sum()) / float(chn["world_usd_mn"]) * 100
    top_share = max(float(chn["share_pct"]), float(rus["share_pct"]))
    verdict = (
        "Capital whose owner the statistics cannot see is larger than either"
        if together > top_share
        else "Capital whose owner the statistics cannot see is smaller here"
    )
    second = (
        f"{verdict}: {join_words(parts)} of the same inflows ({number(together)}% together). "
        "Money routed through the Netherlands or not attributed may be Chinese or Russian, "
        "so both countries' own rows are lower bounds of their capital."
    )
    if largest and largest["investor"] not in (*INVESTORS, *OFFSHORE):
        second += (
            f" The largest recorded investor over the period is {largest['name']} "
            f"({number(largest['share_pct'])}%)."
        )
    return [first, second]


def stock_sentence(stock: pd.DataFrame, host_name: str) -> str:
    """China's and Russia's shares of the FDI stock in the last year with both, and the gaps.

    Args:
        stock: :func:`fdi_by_investor` of the ``stock`` measure.
        host_name: The host's name.
    """
    wide = fdi_wide(stock)
    both = wide.dropna(subset=["chn_share_pct", "rus_share_pct"])
    if both.empty:
        return f"No year has both China's and Russia's FDI stock in {host_name}."
    last = both.iloc[-1]
    values = fdi_wide(stock, "value_usd_mn").set_index("year").loc[int(last["year"])]
    missing = [int(y) for y in wide.loc[wide["world_usd_mn"].isna(), "year"]]
    text = (
        f"At the end of {int(last['year'])} China held {number(last['chn_share_pct'])}% of the "
        f"FDI stock in {host_name} ({_usd(values['chn_value_usd_mn'])}) and Russia "
        f"{number(last['rus_share_pct'])}% ({_usd(values['rus_value_usd_mn'])})."
    )
    if missing:
        text += f" The stock for {_years_text(missing)} is not available in the source."
    return text


def lending_sentences(
    by_year: pd.DataFrame, windows: pd.DataFrame, recipient_name: str, top: int = 3
) -> list[str]:
    """Three sentences on Chinese official finance: the total, its lumpiness, the windows.

    Args:
        by_year: :func:`commitments`.
        windows: :func:`window_sums` of it.
        recipient_name: The recipient's name.
        top: How many of the largest years the lumpiness sentence names.

    Returns:
        The period's total (what it measures, that there is no Russian counterpart); how
        few years carry it, with the years without a recorded commitment; the largest
        window and a shorter last window. One sentence when nothing is recorded.
    """
    if by_year.empty or not by_year["recorded"].any():
        return [f"AidData records no Chinese official finance for {recipient_name} in the period."]
    y0, y1 = int(by_year["year"].min()), int(by_year["year"].max())
    lump = lumpiness(by_year, top)
    sentences = [
        f"China's official lenders and donors committed {_usd(lump['total_usd2021_mn'])} "
        f"(constant 2021 dollars) to {recipient_name} from {y0} to {y1}: commitments of loans "
        "and grants, not disbursements or debt owed; the bundle has no Russian counterpart "
        "series."
    ]
    unrecorded = [int(y) for y in by_year.loc[~by_year["recorded"], "year"]]
    gaps = (
        f" No commitment is recorded in {_years_text(unrecorded)} (left empty, not zero)."
        if unrecorded
        else ""
    )
    zero = [
        int(y)
        for y in by_year.loc[by_year["recorded"] & (by_year["total_usd2021_mn"] == 0), "year"]
    ]
    if zero:
        gaps += (
            f" In {_years_text(zero)} AidData records projects without an amount, summed as zero."
        )
    n_top = len(lump["top_years"])
    half = int(lump["half_years"])
    half_text = "a single year holds" if half == 1 else f"{_count_word(half)} years hold"
    sentences.append(
        f"The money comes in a few large commitments: the {_count_word(n_top)} largest years "
        f"({_years_text(lump['top_years'])}) hold {number(lump['top_share_pct'])}% of it, "
        f"and {half_text} half.{gaps}"
    )
    best = windows.dropna(subset=["total_usd2021_mn"]).sort_values(
        ["total_usd2021_mn", "first_year"], ascending=[False, True]
    )
    if not best.empty:
        row = best.iloc[0]
        text = (
            f"The largest {_window_words(windows)} sum is {int(row['first_year'])}–"
            f"{int(row['last_year'])}, {_usd(row['total_usd2021_mn'])} "
            f"({number(row['share_pct'])}% of the total)."
        )
        last = windows.iloc[-1]
        if int(last["years"]) < int(windows["years"].max()):
            n = int(last["years"])
            span = (
                str(int(last["first_year"]))
                if n == 1
                else f"{int(last['first_year'])}–{int(last['last_year'])}"
            )
            length = "one year" if n == 1 else f"{_count_word(n)} years"
            text += f" The last window, {span}, has {length} only, so its sum is not comparable."
        sentences.append(text)
    return sentences


def _count_word(n: int) -> str:
    words = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
    return words[n] if 0 <= n < len(words) else str(n)


def _window_words(windows: pd.DataFrame) -> str:
    return f"{int(windows['years'].max())}-year"


def project_sentence(listed: pd.DataFrame, by_year: pd.DataFrame, recipient_name: str) -> str:
    """What the geolocated GCDF 2.0 subset lists, its concentration and its coverage.

    Args:
        listed: :func:`project_list`.
        by_year: :func:`commitments` (GCDF 3.0), for the coverage comparison.
        recipient_name: The recipient's name.
    """
    if listed.empty:
        return f"The geolocated GCDF 2.0 subset lists no project for {recipient_name}."
    conc = project_concentration(listed)
    y0, y1 = int(listed["commitment_year"].min()), int(listed["commitment_year"].max())
    same = by_year[by_year["year"].between(y0, y1)]["total_usd2021_mn"].sum()
    text = (
        f"The geolocated GCDF 2.0 subset lists {conc['projects']} projects for "
        f"{recipient_name} committed {y0}–{y1} ({conc['with_amount']} with an amount); "
        f"they sum to {_usd(conc['total_usd2017_mn'])} in constant 2017 dollars, against "
        f"{_usd(same)} in constant 2021 dollars in GCDF 3.0 for the same years, so the list "
        "is a sample for detail, not a total."
    )
    if conc["with_amount"] >= 3:
        text += (
            f" Its three largest projects hold {number(conc['top_share_pct'])}% of the listed "
            "amounts."
        )
    return text
