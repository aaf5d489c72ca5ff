"""Chapter 2, arms shares: who supplies Central Asia's major conventional arms.

Inputs are the curated SIPRI tables as :func:`kzanalysis.datasets.load` returns them:
``arms_deals`` (deal-level trade register, editions 2026-05-18 and 2025-03-13),
``arms_deliveries`` (per-delivery-year register, editions 2026-02-12 and 2024-04-13) and
``arms_sipri_import_totals`` (SIPRI's own yearly import totals, 2024-10-13).

Units:
    Every value is a SIPRI trend-indicator value (TIV) in millions: a volume index of
    military capability transferred, based on unit production costs. It is NOT a price or
    a sale value; gifts and aid count at full TIV, second-hand items at 40 % (66 % if
    modernised). Results depend on the SIPRI edition: quote it with every number.

Yearly values from a deal register:
    The deal register gives each deal's delivered TIV for all delivery years together.
    :func:`yearly_from_deals` spreads it over the delivery years: a single-year deal is
    exact; a multi-year deal takes the per-year split of the *same* deal in a
    per-delivery-year register (same recipient, supplier, order year, delivery years and
    delivered TIV), and, where no such deal exists (deals SIPRI revised later), an even
    split over its delivery years. ``split_method`` records which rule each row used.

Suppliers:
    ``supplier_label`` is SIPRI's supplier name, except that Russia and the Soviet Union
    (``SUN``) are one supplier, "Russia" (SIPRI records the Soviet Union up to 1991 and
    Russia from 1992; no Central Asian state received arms before 1992, so the merge
    changes nothing in the bundled data but keeps pre-1992 rows, should they appear, with
    their successor). Suppliers SIPRI does not identify are "unknown supplier(s)".
    :func:`group_suppliers` combines countries into labelled groups (e.g. "Europe").

Every function is pure (no I/O); errors say what was missing and how to proceed.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from operator import itemgetter

import numpy as np
import pandas as pd

from kzanalysis.analysis._checks import require_columns as _require_columns
from kzanalysis.analysis.arms_params import CA5, REGION, group_member, resolve_members

# --- constants -----------------------------------------------------------------------

RUSSIA, CHINA = "Russia", "China"
UNKNOWN = "unknown supplier(s)"
OTHER = "Other"

#: Supplier codes counted as "Russia" (the Soviet Union with its successor).
RUSSIA_CODES: frozenset[str] = frozenset({"RUS", "SUN"})

#: Per-delivery-year register whose per-year splits are used for each deal edition.
REFERENCE_PER_YEAR: dict[str, str] = {"2026-05-18": "2026-02-12", "2025-03-13": "2026-02-12"}

#: Per-delivery-year register of the same vintage as SIPRI's import-totals table
#: (2024-10-13): rebuilding the totals from it tests the method, not SIPRI's revisions.
TOTALS_VINTAGE_PER_YEAR = "2024-04-13"

#: The thesis' window pairs for the shift-share (before and after 2014).
THESIS_WINDOW_PAIRS: tuple[tuple[tuple[int, int], tuple[int, int]], ...] = (
    ((2009, 2013), (2014, 2018)),
    ((2010, 2014), (2015, 2019)),
)

#: Deals the thesis names, looked up by regular expression in the given register fields,
#: restricted to a supplier (ISO3) when one is given. Su-30SM: SIPRI records the aircraft
#: as designation 'Su-30MK' with the comment 'Su-30SM version'.
THESIS_DEALS: dict[str, tuple[str, tuple[str, ...], str | None]] = {
    "Su-30SM": (r"Su-30SM", ("designation", "comments"), "RUS"),
    "Mi-35M": (r"\bMi-35M", ("designation",), "RUS"),
    "Minesweepers": (
        r"minesweeper|mine ?hunter|mine countermeasures|\bMCM\b",
        ("description",),
        None,
    ),
    # designation only: missiles 'for S-300PS air-defence systems' are separate deals
    "S-300PS": (r"^S-300PS$", ("designation",), "RUS"),
    "Y-8": (r"\bY-8", ("designation",), "CHN"),
}

#: How each lookup of :data:`THESIS_DEALS` searches the register, in words (reader text:
#: reports show this, never the regular expressions).
THESIS_DEAL_SEARCH: dict[str, str] = {
    "Su-30SM": "Russian deals whose designation or SIPRI comment names the Su-30SM "
    "(SIPRI records it as Su-30MK, 'Su-30SM version')",
    "Mi-35M": "Russian deals whose designation contains Mi-35M",
    "Minesweepers": "deals of any supplier described as a minesweeper, minehunter or mine "
    "countermeasures (MCM) ship",
    "S-300PS": "Russian deals with the designation S-300PS itself (not the missiles "
    "delivered for it)",
    "Y-8": "Chinese deals whose designation contains Y-8 (Y-8F and other versions too)",
}

#: Register fields compared between editions, in words (``fields_changed`` for readers).
FIELD_WORDS: dict[str, str] = {
    "designation": "designation",
    "ordered_count": "number ordered",
    "delivered_count": "number delivered",
    "delivery_years": "delivery years",
    "status": "status",
    "order_tiv_mn": "TIV ordered",
    "delivered_tiv_mn": "TIV delivered",
}

#: Words in SIPRI's comments that mark a gift or aid.
AID_PATTERN = re.compile(r"\b(aid|gift|donat\w*|free of charge)\b", re.IGNORECASE)

#: Sentence every output should carry next to TIV figures.
TIV_NOTE = (
    "TIV (SIPRI trend-indicator value, millions) measures the military capability "
    "transferred, valued at unit production costs; it is not a price or a sale value "
    "(gifts count at full value), and results depend on the SIPRI edition."
)

_YEARLY_COLUMNS = [
    "deal_id",
    "recipient_iso3",
    "supplier_iso3",
    "supplier",
    "year",
    "tiv_mn",
    "split_method",
]


# --- helpers -------------------------------------------------------------------------


def _supplier_key(iso3: object) -> str:
    """Supplier code used for matching: the ISO3 code, '' for non-state/unknown."""
    return "" if iso3 is None or pd.isna(iso3) else str(iso3)


def window_label(first: int, last: int) -> str:
    """Label of a window of years, e.g. ``2014–2018`` (one year: ``2016``)."""
    return str(first) if first == last else f"{first}–{last}"


def delivery_years(text: object) -> list[int]:
    """Parse SIPRI's ``'2016; 2017; 2018'`` delivery-year text (empty → ``[]``).

    Raises:
        ValueError: if a part is not a year.
    """
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return []
    years = []
    for part in str(text).split(";"):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit() or len(part) != 4:
            raise ValueError(
                f"delivery year {part!r} in {text!r} is not a year; expected '2016; 2017' style"
            )
        years.append(int(part))
    return sorted(set(years))


def recipients_of(selection: str) -> tuple[str, ...]:
    """ISO3 codes of a recipient selection: ``CA5`` → the five states, else the code."""
    return CA5 if selection == REGION else (selection,)


def edition_source(frame: pd.DataFrame, edition: str) -> str:
    """The catalog source id of one edition's rows (their ``source`` column).

    Raises:
        ValueError: if the table has no rows of that edition, or they name several sources.
    """
    _require_columns(frame, ["edition", "source"], "edition_source")
    ids = sorted(set(frame.loc[frame["edition"] == edition, "source"].dropna()))
    if len(ids) != 1:
        raise ValueError(
            f"edition {edition!r} has sources {ids or 'none'} in the table; expected one "
            f"(editions: {', '.join(sorted(frame['edition'].unique()))})"
        )
    return str(ids[0])


def select_edition(frame: pd.DataFrame, edition: str, recipients: Iterable[str]) -> pd.DataFrame:
    """Rows of one edition for the given recipients.

    Raises:
        ValueError: if the table has no rows of that edition.
    """
    _require_columns(frame, ["edition", "recipient_iso3"], "select_edition")
    editions = sorted(frame["edition"].unique())
    if edition not in editions:
        raise ValueError(
            f"edition {edition!r} is not in the table (editions: {', '.join(editions)}); "
            "choose one of those"
        )
    keep = frame["edition"].eq(edition) & frame["recipient_iso3"].isin(list(recipients))
    return frame[keep].reset_index(drop=True)


# --- yearly deliveries ---------------------------------------------------------------


def _reference_splits(reference: pd.DataFrame) -> dict[tuple, list[tuple[int, float]]]:
    """Per-year TIV of each reference deal, keyed by its matching key (unique keys only)."""
    _require_columns(
        reference,
        ["sipri_deal_id", "recipient_iso3", "supplier_iso3", "order_year", "year", "tiv_mn"],
        "reference per-year register",
    )
    # Plain tuples, sorted once: a groupby over the frame costs a copy of its provenance
    # attrs per deal (seconds per call on the full register).
    cols = ["sipri_deal_id", "recipient_iso3", "supplier_iso3", "order_year", "year", "tiv_mn"]
    rows = reference[cols].dropna(subset=["sipri_deal_id"])  # as groupby drops them
    rows = rows.sort_values(["sipri_deal_id", "year"], kind="stable")
    out: dict[tuple, list[tuple[int, float]]] = {}
    dupes: set[tuple] = set()
    for _, group in itertools.groupby(rows.itertuples(index=False, name=None), key=itemgetter(0)):
        part = list(group)
        _, recipient, supplier, order, _, _ = part[0]
        years = [int(r[4]) for r in part]
        tivs = [0.0 if pd.isna(r[5]) else float(r[5]) for r in part]
        key = (
            recipient,
            _supplier_key(supplier),
            None if pd.isna(order) else int(order),
            tuple(years),
            round(float(np.sum(tivs)), 1),
        )
        if key in out:
            dupes.add(key)
        out[key] = list(zip(years, tivs, strict=True))
    for key in dupes:  # ambiguous matches are not used
        del out[key]
    return out


def yearly_from_deals(deals: pd.DataFrame, reference: pd.DataFrame | None = None) -> pd.DataFrame:
    """Spread each deal's delivered TIV over its delivery years.

    Args:
        deals: ``arms_deals`` rows of ONE edition.
        reference: ``arms_deliveries`` rows of one edition whose per-year splits are used
            for multi-year deals that match exactly (see the module docstring); ``None``
            splits every multi-year deal evenly.

    Returns:
        One row per deal and delivery year: ``deal_id``, ``recipient_iso3``,
        ``supplier_iso3``, ``supplier``, ``year``, ``tiv_mn`` and ``split_method``
        (``single_year``, ``reference_split`` or ``even_split``). Deals without deliveries
        have no rows. The rows of a deal sum to its ``delivered_tiv_mn``.

    Raises:
        ValueError: if ``deals`` mixes editions or lacks columns.
    """
    _require_columns(
        deals,
        [
            "deal_id",
            "recipient_iso3",
            "supplier_iso3",
            "supplier",
            "order_year",
            "delivery_years",
            "delivered_tiv_mn",
        ],
        "yearly_from_deals",
    )
    if "edition" in deals.columns and deals["edition"].nunique() > 1:
        raise ValueError(
            "yearly_from_deals: the deals mix editions "
            f"({', '.join(sorted(deals['edition'].unique()))}); select one edition first"
        )
    splits = _reference_splits(reference) if reference is not None else {}
    rows: list[dict] = []
    for deal in deals.itertuples(index=False):
        years = delivery_years(deal.delivery_years)
        if not years:
            continue
        tiv = 0.0 if pd.isna(deal.delivered_tiv_mn) else float(deal.delivered_tiv_mn)
        order = None if pd.isna(deal.order_year) else int(deal.order_year)
        key = (deal.recipient_iso3, _supplier_key(deal.supplier_iso3), order, tuple(years))
        if len(years) == 1:
            parts, method = [(years[0], tiv)], "single_year"
        elif (*key, round(tiv, 1)) in splits:
            ref = splits[(*key, round(tiv, 1))]
            ref_total = sum(v for _, v in ref)
            scale = tiv / ref_total if ref_total else 0.0
            parts, method = [(y, v * scale) for y, v in ref], "reference_split"
        else:
            parts, method = [(y, tiv / len(years)) for y in years], "even_split"
        for year, value in parts:
            rows.append(
                {
                    "deal_id": deal.deal_id,
                    "recipient_iso3": deal.recipient_iso3,
                    "supplier_iso3": deal.supplier_iso3,
                    "supplier": deal.supplier,
                    "year": int(year),
                    "tiv_mn": float(value),
                    "split_method": method,
                }
            )
    out = pd.DataFrame(rows, columns=_YEARLY_COLUMNS)
    return out.astype({"year": "int64", "tiv_mn": "float64"})


def edition_yearly(
    deals_all: pd.DataFrame,
    per_year_all: pd.DataFrame,
    edition: str,
    recipients: Iterable[str],
    names: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Labelled deliveries per deal and year of one deal-register edition.

    The deals of ``edition`` are spread over their delivery years with the per-year
    splits of :data:`REFERENCE_PER_YEAR` (:func:`yearly_from_deals`), suppliers labelled
    (:func:`label_suppliers`).

    Args:
        deals_all: ``arms_deals`` (all editions).
        per_year_all: ``arms_deliveries`` (all editions).
        edition: Deal-register edition.
        recipients: Recipient ISO3 codes.
        names: ISO3 → supplier label (default: :func:`supplier_names` of ``deals_all``).

    Raises:
        ValueError: if either table lacks the edition (or its reference edition).
    """
    recipients = list(recipients)
    deals = select_edition(deals_all, edition, recipients)
    reference = select_edition(per_year_all, REFERENCE_PER_YEAR[edition], recipients)
    names = names if names is not None else supplier_names(deals_all)
    return label_suppliers(yearly_from_deals(deals, reference), names)


def yearly_from_register(deliveries: pd.DataFrame) -> pd.DataFrame:
    """Rows of a per-delivery-year register (ONE edition) in :func:`yearly_from_deals` form.

    Raises:
        ValueError: if ``deliveries`` mixes editions or lacks columns.
    """
    _require_columns(
        deliveries,
        ["sipri_deal_id", "recipient_iso3", "supplier_iso3", "supplier", "year", "tiv_mn"],
        "yearly_from_register",
    )
    if "edition" in deliveries.columns and deliveries["edition"].nunique() > 1:
        raise ValueError("yearly_from_register: the rows mix editions; select one edition first")
    out = deliveries.rename(columns={"sipri_deal_id": "deal_id"}).assign(
        tiv_mn=lambda d: d["tiv_mn"].fillna(0.0), split_method="per_year_register"
    )
    return out[_YEARLY_COLUMNS].astype({"year": "int64", "tiv_mn": "float64"})


# --- suppliers -----------------------------------------------------------------------


def supplier_names(frame: pd.DataFrame) -> dict[str, str]:
    """ISO3 → SIPRI supplier name (Russia/China fixed; newest edition's spelling wins)."""
    _require_columns(frame, ["supplier_iso3", "supplier"], "supplier_names")
    rows = frame.dropna(subset=["supplier_iso3"])
    if "edition" in rows.columns:
        rows = rows.sort_values("edition", ascending=False, kind="mergesort")
    names = dict(rows.drop_duplicates("supplier_iso3")[["supplier_iso3", "supplier"]].values)
    names.update({code: RUSSIA for code in RUSSIA_CODES})
    names["CHN"] = CHINA
    return names


def label_suppliers(frame: pd.DataFrame, names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Add ``supplier_label``: Russia (incl. Soviet Union), China, SIPRI names, unknown.

    Args:
        frame: Rows with ``supplier_iso3`` and ``supplier``.
        names: ISO3 → label (default: :func:`supplier_names` of ``frame``).
    """
    names = dict(names) if names is not None else supplier_names(frame)
    for code in RUSSIA_CODES:
        names[code] = RUSSIA
    names["CHN"] = CHINA

    def label(iso3: object, supplier: object) -> str:
        if iso3 is None or pd.isna(iso3):
            return UNKNOWN if "unknown" in str(supplier).lower() else str(supplier)
        return names.get(str(iso3), str(supplier))

    labels = [label(i, s) for i, s in zip(frame["supplier_iso3"], frame["supplier"], strict=True)]
    return frame.assign(supplier_label=pd.Series(labels, index=frame.index, dtype="str"))


def group_suppliers(frame: pd.DataFrame, groups: Mapping[str, Sequence[str]]) -> pd.DataFrame:
    """Replace ``supplier_label`` by a group label for suppliers in a group that year.

    Args:
        frame: Labelled yearly rows (``supplier_iso3``, ``supplier_label``, ``year``).
        groups: Label → members: ISO3 codes or registry groups (``Europe``, ``EU27``…),
            expanded with their composition at the end of each delivery year.

    Raises:
        ValueError: if a member is unknown or a country falls into two groups.
    """
    _require_columns(frame, ["supplier_iso3", "supplier_label", "year"], "group_suppliers")
    canonical = {label: [group_member(m) for m in members] for label, members in groups.items()}
    labels = frame["supplier_label"].copy()
    for year in sorted(frame["year"].unique()):
        owner: dict[str, str] = {}
        for label, members in canonical.items():
            for code in resolve_members(members, int(year)):
                if code in owner:
                    raise ValueError(
                        f"{code} is in supplier groups {owner[code]!r} and {label!r} in "
                        f"{year}; put each country in one group"
                    )
                owner[code] = label
        rows = frame["year"].eq(year) & frame["supplier_iso3"].isin(list(owner))
        labels[rows] = frame.loc[rows, "supplier_iso3"].map(owner)
    return frame.assign(supplier_label=labels)


# --- tables by supplier and year -----------------------------------------------------


def supplier_year_table(yearly: pd.DataFrame, start_year: int, end_year: int) -> pd.DataFrame:
    """TIV by supplier label and year, every label × year (zeros filled), with shares.

    Returns:
        ``year``, ``supplier_label``, ``tiv_mn``, ``total_tiv_mn`` (all suppliers that
        year) and ``share_pct`` (NaN in years without deliveries).

    Raises:
        ValueError: if ``start_year > end_year`` or columns are missing.
    """
    _require_columns(yearly, ["supplier_label", "year", "tiv_mn"], "supplier_year_table")
    if start_year > end_year:
        raise ValueError(f"start_year {start_year} is after end_year {end_year}")
    part = yearly[yearly["year"].between(start_year, end_year)]
    sums = part.groupby(["supplier_label", "year"])["tiv_mn"].sum()
    labels = sorted(part["supplier_label"].unique())
    index = pd.MultiIndex.from_product(
        [labels, range(start_year, end_year + 1)], names=["supplier_label", "year"]
    )
    table = sums.reindex(index, fill_value=0.0).reset_index()
    table["total_tiv_mn"] = table.groupby("year")["tiv_mn"].transform("sum")
    with np.errstate(invalid="ignore", divide="ignore"):
        table["share_pct"] = (100 * table["tiv_mn"] / table["total_tiv_mn"]).where(
            table["total_tiv_mn"] > 0
        )
    return table[["year", "supplier_label", "tiv_mn", "total_tiv_mn", "share_pct"]]


def year_totals(yearly: pd.DataFrame, start_year: int, end_year: int) -> pd.DataFrame:
    """Total TIV per year (zeros for years without deliveries): ``year``, ``tiv_mn``."""
    _require_columns(yearly, ["year", "tiv_mn"], "year_totals")
    sums = yearly.groupby("year")["tiv_mn"].sum()
    years = pd.Index(range(start_year, end_year + 1), name="year")
    return sums.reindex(years, fill_value=0.0).rename("tiv_mn").reset_index()


def window_bounds(
    start_year: int, end_year: int, window: int, *, rolling: bool = False
) -> list[tuple[int, int]]:
    """Complete windows of ``window`` years inside ``start_year``–``end_year``.

    Non-overlapping windows are aligned to end at ``end_year`` (SIPRI compares the latest
    five years with the five before); an incomplete first window is left out. Rolling
    windows end in every year from ``start_year + window - 1`` to ``end_year``.

    Raises:
        ValueError: if ``window < 1``.
    """
    if window < 1:
        raise ValueError(f"window must be at least 1 year, not {window}")
    if rolling:
        return [(last - window + 1, last) for last in range(start_year + window - 1, end_year + 1)]
    bounds = []
    last = end_year
    while last - window + 1 >= start_year:
        bounds.append((last - window + 1, last))
        last -= window
    return bounds[::-1]


def window_sums(table: pd.DataFrame, bounds: Iterable[tuple[int, int]]) -> pd.DataFrame:
    """Sum a :func:`supplier_year_table` over windows of years, with shares.

    Returns:
        ``window``, ``first_year``, ``last_year``, ``supplier_label``, ``tiv_mn``,
        ``total_tiv_mn``, ``share_pct`` (NaN if the window has no deliveries).

    Raises:
        ValueError: if a window reaches outside the table's years.
    """
    _require_columns(table, ["year", "supplier_label", "tiv_mn"], "window_sums")
    lo, hi = int(table["year"].min()), int(table["year"].max())
    bounds = list(bounds)
    for first, last in bounds:
        if first < lo or last > hi:
            raise ValueError(
                f"window {window_label(first, last)} reaches outside the table's years "
                f"{lo}–{hi}; widen the table or choose windows inside it"
            )
    # One groupby over every window: each window's rows (in table order), tagged with the
    # window's position, so each (window, supplier) sum adds the same rows in the same
    # order as a groupby of that window alone would.
    years = table["year"].to_numpy()
    rows = [np.flatnonzero((years >= first) & (years <= last)) for first, last in bounds]
    parts = []
    if rows:
        tagged = table[["supplier_label", "tiv_mn"]].iloc[np.concatenate(rows)]
        tagged.insert(0, "_w", np.repeat(np.arange(len(rows)), [len(r) for r in rows]))
        sums = tagged.groupby(["_w", "supplier_label"], sort=True)["tiv_mn"].sum().reset_index()
        at = sums.pop("_w").to_numpy()
        labels = np.array([window_label(first, last) for first, last in bounds], dtype=object)
        sums.insert(0, "window", pd.array(labels[at], dtype="str"))
        sums.insert(1, "first_year", np.array([b[0] for b in bounds], dtype="int64")[at])
        sums.insert(2, "last_year", np.array([b[1] for b in bounds], dtype="int64")[at])
        parts.append(sums)
    columns = ["window", "first_year", "last_year", "supplier_label", "tiv_mn"]
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)
    out["total_tiv_mn"] = out.groupby("window")["tiv_mn"].transform("sum")
    with np.errstate(invalid="ignore", divide="ignore"):
        out["share_pct"] = (100 * out["tiv_mn"] / out["total_tiv_mn"]).where(
            out["total_tiv_mn"] > 0
        )
    return out


def cumulative_shares(table: pd.DataFrame) -> pd.DataFrame:
    """Cumulative TIV and share of each supplier from the table's first year.

    Returns:
        ``year``, ``supplier_label``, ``cum_tiv_mn``, ``cum_total_tiv_mn``,
        ``cum_share_pct`` (NaN until the first delivery).
    """
    _require_columns(table, ["year", "supplier_label", "tiv_mn"], "cumulative_shares")
    out = table.sort_values(["supplier_label", "year"]).copy()
    out["cum_tiv_mn"] = out.groupby("supplier_label")["tiv_mn"].cumsum()
    out["cum_total_tiv_mn"] = out.groupby("year")["cum_tiv_mn"].transform("sum")
    with np.errstate(invalid="ignore", divide="ignore"):
        out["cum_share_pct"] = (100 * out["cum_tiv_mn"] / out["cum_total_tiv_mn"]).where(
            out["cum_total_tiv_mn"] > 0
        )
    out = out.sort_values(["year", "supplier_label"]).reset_index(drop=True)
    return out[["year", "supplier_label", "cum_tiv_mn", "cum_total_tiv_mn", "cum_share_pct"]]


def supplier_ranking(table: pd.DataFrame, first_year: int, last_year: int) -> pd.DataFrame:
    """Suppliers ranked by TIV delivered in ``first_year``–``last_year`` (only those > 0).

    Returns:
        ``rank`` (ties share the best rank), ``supplier_label``, ``tiv_mn``, ``share_pct``.
    """
    sums = window_sums(table, [(first_year, last_year)])
    sums = sums[sums["tiv_mn"] > 0].sort_values(
        ["tiv_mn", "supplier_label"], ascending=[False, True]
    )
    sums["rank"] = sums["tiv_mn"].rank(method="min", ascending=False).astype("int64")
    return sums[["rank", "supplier_label", "tiv_mn", "share_pct"]].reset_index(drop=True)


def rank_of(ranking: pd.DataFrame, label: str) -> int | None:
    """Rank of ``label`` in a :func:`supplier_ranking` (None if it delivered nothing)."""
    hit = ranking[ranking["supplier_label"] == label]
    return None if hit.empty else int(hit["rank"].iloc[0])


def top_labels(table: pd.DataFrame, n: int, keep: Iterable[str] = (RUSSIA, CHINA)) -> list[str]:
    """The ``n`` largest suppliers over the whole table, plus ``keep`` if present."""
    totals = table.groupby("supplier_label")["tiv_mn"].sum().sort_values(ascending=False)
    totals = totals[totals > 0]
    labels = list(totals.index[:n])
    labels += [k for k in keep if k in set(table["supplier_label"]) and k not in labels]
    return labels


def lump_others(table: pd.DataFrame, keep: Iterable[str]) -> pd.DataFrame:
    """Put every supplier not in ``keep`` into "Other" (sums per year or window)."""
    keep = list(keep)
    by = "window" if "window" in table.columns else "year"
    extra = [c for c in ("first_year", "last_year") if c in table.columns and by == "window"]
    lab = table["supplier_label"].where(table["supplier_label"].isin(keep), OTHER)
    out = (
        table.assign(supplier_label=lab)
        .groupby([by, *extra, "supplier_label"], sort=False)[["tiv_mn"]]
        .sum()
        .reset_index()
    )
    out["total_tiv_mn"] = out.groupby(by)["tiv_mn"].transform("sum")
    with np.errstate(invalid="ignore", divide="ignore"):
        out["share_pct"] = (100 * out["tiv_mn"] / out["total_tiv_mn"]).where(
            out["total_tiv_mn"] > 0
        )
    order = {label: i for i, label in enumerate([*keep, OTHER])}
    out = out.sort_values(
        [by, "supplier_label"],
        key=lambda s: s.map(order) if s.name == "supplier_label" else s,
        kind="mergesort",
    )
    return out.reset_index(drop=True)


# --- Russia vs China -----------------------------------------------------------------


def russia_china(windows: pd.DataFrame) -> pd.DataFrame:
    """Russia's and China's TIV and shares per window of a :func:`window_sums` table.

    Returns:
        ``window``, ``first_year``, ``last_year``, ``total_tiv_mn``, ``russia_tiv_mn``,
        ``china_tiv_mn``, ``russia_share_pct``, ``china_share_pct``.
    """
    _require_columns(
        windows, ["window", "first_year", "last_year", "supplier_label", "tiv_mn"], "russia_china"
    )
    base = windows.groupby(["window", "first_year", "last_year"], sort=False)["tiv_mn"].sum()
    out = base.rename("total_tiv_mn").reset_index()
    for label, col in ((RUSSIA, "russia"), (CHINA, "china")):
        part = windows[windows["supplier_label"] == label].set_index("window")["tiv_mn"]
        out[f"{col}_tiv_mn"] = out["window"].map(part).fillna(0.0).astype("float64")
    for col in ("russia", "china"):
        with np.errstate(invalid="ignore", divide="ignore"):
            out[f"{col}_share_pct"] = (100 * out[f"{col}_tiv_mn"] / out["total_tiv_mn"]).where(
                out["total_tiv_mn"] > 0
            )
    return out


def first_delivery_year(yearly: pd.DataFrame, label: str = CHINA) -> int | None:
    """First year with a delivery from ``label`` (a TIV of 0 still counts), or None."""
    _require_columns(yearly, ["supplier_label", "year"], "first_delivery_year")
    years = yearly.loc[yearly["supplier_label"] == label, "year"]
    return None if years.empty else int(years.min())


# --- concentration -------------------------------------------------------------------


def hhi(windows: pd.DataFrame) -> pd.DataFrame:
    """Herfindahl–Hirschman index of supplier shares per window (or per year).

    HHI = sum of squared shares in percent, 0–10,000 points (10,000: a single supplier;
    the US antitrust guidelines call above 1,800 highly concentrated).
    ``equivalent_suppliers`` = 10,000 / HHI, the number of equal suppliers giving the same
    concentration. Unknown suppliers are left out (they may be several), shares are taken
    of the identified suppliers' total.

    Args:
        windows: A :func:`window_sums` table, or a :func:`supplier_year_table` (then per year).

    Returns:
        ``window`` (or ``year``), ``first_year``/``last_year`` when windows, ``suppliers``
        (with TIV > 0), ``hhi_points``, ``equivalent_suppliers``, ``top_supplier``,
        ``top_share_pct``; NaN where nothing was delivered.
    """
    by = ["window", "first_year", "last_year"] if "window" in windows.columns else ["year"]
    _require_columns(windows, [*by, "supplier_label", "tiv_mn"], "hhi")
    known = windows[windows["supplier_label"] != UNKNOWN]
    rows = []
    for keys, part in known.groupby(by, sort=False):
        keys = keys if isinstance(keys, tuple) else (keys,)
        total = part["tiv_mn"].sum()
        row = dict(zip(by, keys, strict=True))
        if total > 0:
            shares = 100 * part["tiv_mn"] / total
            top = part.loc[part["tiv_mn"].idxmax()]
            points = float((shares**2).sum())
            row.update(
                suppliers=int((part["tiv_mn"] > 0).sum()),
                hhi_points=points,
                equivalent_suppliers=10_000 / points,
                top_supplier=top["supplier_label"],
                top_share_pct=float(100 * top["tiv_mn"] / total),
            )
        else:
            row.update(
                suppliers=0,
                hhi_points=np.nan,
                equivalent_suppliers=np.nan,
                top_supplier=None,
                top_share_pct=np.nan,
            )
        rows.append(row)
    return pd.DataFrame(rows)


# --- shift-share ---------------------------------------------------------------------


def shift_share(
    table: pd.DataFrame, before: tuple[int, int], after: tuple[int, int], gainer: str = CHINA
) -> pd.DataFrame:
    """Change of each supplier's share between two windows, and who offset ``gainer``.

    Shares in each window sum to 100 and the changes sum to 0. The share gained by
    ``gainer`` is attributed to the suppliers that lost share in proportion to their
    losses (``attributed_gain_pp``); ``share_of_losses_pct`` is each loser's part of all
    share lost.

    Args:
        table: A :func:`supplier_year_table` covering both windows.
        before: First and last year of the earlier window.
        after: First and last year of the later window.
        gainer: Supplier whose gain is attributed (default China).

    Returns:
        One row per supplier with deliveries in either window, sorted by ``change_pp``:
        ``supplier_label``, ``tiv_before_mn``, ``tiv_after_mn``, ``share_before_pct``,
        ``share_after_pct``, ``change_pp``, ``loss_pp``, ``share_of_losses_pct``,
        ``attributed_gain_pp``. ``attrs`` holds the window labels.

    Raises:
        ValueError: if a window has no deliveries (shares undefined).
    """
    return _shift_share(window_sums(table, [before, after]), before, after, gainer)


def _shift_share(
    sums: pd.DataFrame, before: tuple[int, int], after: tuple[int, int], gainer: str
) -> pd.DataFrame:
    """:func:`shift_share` from the :func:`window_sums` of (at least) its two windows."""
    labels = [window_label(*before), window_label(*after)]
    sums = sums[sums["window"].isin(labels)]
    wide = sums.pivot(index="supplier_label", columns="window", values="tiv_mn").fillna(0.0)
    wide = wide.reindex(columns=labels, fill_value=0.0)
    totals = wide.sum()
    empty = [w for w in labels if totals[w] <= 0]
    if empty:
        raise ValueError(
            f"no deliveries in window(s) {', '.join(empty)}: shares are undefined; choose "
            "windows with deliveries"
        )
    wide = wide[(wide > 0).any(axis=1)]
    out = pd.DataFrame(
        {
            "supplier_label": wide.index,
            "tiv_before_mn": wide[labels[0]].values,
            "tiv_after_mn": wide[labels[1]].values,
        }
    )
    out["share_before_pct"] = 100 * out["tiv_before_mn"] / totals[labels[0]]
    out["share_after_pct"] = 100 * out["tiv_after_mn"] / totals[labels[1]]
    out["change_pp"] = out["share_after_pct"] - out["share_before_pct"]
    out["loss_pp"] = (-out["change_pp"]).clip(lower=0.0) + 0.0  # + 0.0: no "-0.0"
    losses = out["loss_pp"].sum()
    out["share_of_losses_pct"] = 100 * out["loss_pp"] / losses if losses > 0 else 0.0
    gain = out.loc[out["supplier_label"] == gainer, "change_pp"].clip(lower=0.0).sum()
    out["attributed_gain_pp"] = gain * out["share_of_losses_pct"] / 100
    out = out.sort_values(["change_pp", "supplier_label"]).reset_index(drop=True)
    out.attrs = {"before": labels[0], "after": labels[1], "gainer": gainer}
    return out


def shift_share_summary(
    shifts: pd.DataFrame, gainer: str = CHINA, focus: str = RUSSIA
) -> dict[str, object]:
    """Key numbers of a :func:`shift_share` table.

    Returns:
        ``before``/``after`` (window labels), ``gainer_change_pp``, ``focus_change_pp``,
        ``focus_share_of_losses_pct``, ``total_losses_pp``, ``losers`` (labels, largest
        loss first) and ``largest_loser``.
    """

    def value(label: str, column: str) -> float:
        hit = shifts.loc[shifts["supplier_label"] == label, column]
        return float(hit.iloc[0]) if not hit.empty else 0.0

    losers = shifts[shifts["loss_pp"] > 0].sort_values("loss_pp", ascending=False)
    return {
        "before": shifts.attrs.get("before"),
        "after": shifts.attrs.get("after"),
        "gainer_change_pp": value(gainer, "change_pp"),
        "focus_change_pp": value(focus, "change_pp"),
        "focus_share_of_losses_pct": value(focus, "share_of_losses_pct"),
        "total_losses_pp": float(shifts["loss_pp"].sum()),
        "losers": list(losers["supplier_label"]),
        "largest_loser": losers["supplier_label"].iloc[0] if not losers.empty else None,
    }


def shift_share_pairs(
    table: pd.DataFrame, pairs: Iterable[tuple[tuple[int, int], tuple[int, int]]]
) -> pd.DataFrame:
    """:func:`shift_share_summary` for several window pairs (pairs outside the table or
    with an empty window are skipped and listed in ``attrs['skipped']``).

    Returns:
        ``before``, ``after``, ``china_change_pp``, ``russia_change_pp``,
        ``russia_share_of_losses_pct``, ``largest_loser``, ``largest_loss_pp``,
        ``china_share_after_pct``.
    """
    lo, hi = int(table["year"].min()), int(table["year"].max())
    pairs = list(pairs)
    inside = sorted({w for pair in pairs for w in pair if lo <= w[0] and w[1] <= hi})
    every = window_sums(table, inside)  # each window summed once, not once per pair
    rows, skipped = [], []
    for before, after in pairs:
        if before[0] < lo or after[1] > hi:
            skipped.append((before, after, f"outside the years {lo}–{hi}"))
            continue
        try:
            if before != after and before in inside and after in inside:
                shifts = _shift_share(every, before, after, CHINA)
            else:  # as shift_share says it (a window outside the years, the same twice)
                shifts = shift_share(table, before, after)
        except ValueError as exc:
            skipped.append((before, after, str(exc)))
            continue
        s = shift_share_summary(shifts)
        china = shifts[shifts["supplier_label"] == CHINA]
        rows.append(
            {
                "before": s["before"],
                "after": s["after"],
                "china_change_pp": s["gainer_change_pp"],
                "russia_change_pp": s["focus_change_pp"],
                "russia_share_of_losses_pct": s["focus_share_of_losses_pct"],
                "largest_loser": s["largest_loser"],
                "largest_loss_pp": float(shifts["loss_pp"].max()),
                "china_share_after_pct": float(china["share_after_pct"].sum()),
            }
        )
    out = pd.DataFrame(rows)
    out.attrs = {"skipped": skipped}
    return out


def adjacent_pairs(split_years: Iterable[int], window: int):
    """Pairs of adjacent windows of ``window`` years meeting at each split year."""
    return [((s - window, s - 1), (s, s + window - 1)) for s in split_years]


# --- deal register -------------------------------------------------------------------


def is_aid(comments: object) -> bool:
    """True if SIPRI's comment marks the deal as aid or a gift."""
    return bool(isinstance(comments, str) and AID_PATTERN.search(comments))


def _uncertain(row) -> str:
    """Which of a deal's fields SIPRI marks as uncertain ('?'), as words."""
    flags = [
        ("order year", "order_year_uncertain"),
        ("number ordered", "ordered_count_uncertain"),
        ("number delivered", "delivered_count_uncertain"),
    ]
    return ", ".join(w for w, c in flags if c in row and bool(row[c]) is True)


def deal_register(deals: pd.DataFrame, names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """A readable register of deals (one edition), newest order first.

    Returns:
        ``recipient_iso3``, ``supplier_label``, ``designation``, ``description``,
        ``ordered_count``, ``delivered_count``, ``order_year``, ``delivery_years``,
        ``status``, ``aid`` (bool), ``uncertain`` (fields SIPRI marks '?'),
        ``tiv_per_unit_mn``, ``order_tiv_mn``, ``delivered_tiv_mn``, ``comments``,
        ``deal_id``.
    """
    _require_columns(
        deals,
        [
            "deal_id",
            "recipient_iso3",
            "supplier_iso3",
            "supplier",
            "designation",
            "description",
            "ordered_count",
            "delivered_count",
            "order_year",
            "delivery_years",
            "status",
            "comments",
            "tiv_per_unit_mn",
            "order_tiv_mn",
            "delivered_tiv_mn",
        ],
        "deal_register",
    )
    out = label_suppliers(deals, names)
    out = out.assign(
        aid=out["comments"].map(is_aid).astype("bool"),
        uncertain=[_uncertain(r) for _, r in out.iterrows()],
    )
    columns = [
        "recipient_iso3",
        "supplier_label",
        "designation",
        "description",
        "ordered_count",
        "delivered_count",
        "order_year",
        "delivery_years",
        "status",
        "aid",
        "uncertain",
        "tiv_per_unit_mn",
        "order_tiv_mn",
        "delivered_tiv_mn",
        "comments",
        "deal_id",
    ]
    out = out.sort_values(
        ["order_year", "supplier_label", "designation", "deal_id"],
        ascending=[False, True, True, True],
        na_position="last",
    )
    return out[columns].reset_index(drop=True)


def find_deals(
    deals: pd.DataFrame,
    pattern: str,
    fields: Sequence[str] = ("designation", "description", "comments"),
    supplier_iso3: str | None = None,
) -> pd.DataFrame:
    """Deals whose ``fields`` match the regular expression ``pattern`` (case-insensitive)."""
    _require_columns(deals, [*fields, "supplier_iso3"], "find_deals")
    hit = pd.Series(False, index=deals.index)
    for field in fields:
        hit |= deals[field].fillna("").str.contains(pattern, case=False, regex=True)
    if supplier_iso3 is not None:
        hit &= deals["supplier_iso3"].eq(supplier_iso3).fillna(False)
    return deals[hit]


def thesis_deal_lookup(
    deals: pd.DataFrame,
    lookups: Mapping[str, tuple[str, tuple[str, ...], str | None]] = THESIS_DEALS,
) -> pd.DataFrame:
    """The deals the thesis names, looked up in a register (one edition).

    Returns:
        One row per lookup and matching deal (:func:`deal_register` columns plus
        ``lookup``); lookups without a match have no rows (see :func:`lookup_summary`).
    """
    parts = []
    for label, (pattern, fields, supplier) in lookups.items():
        hit = find_deals(deals, pattern, fields, supplier)
        if not hit.empty:
            parts.append(deal_register(hit).assign(lookup=label))
    if not parts:
        return deal_register(deals.iloc[0:0]).assign(lookup=pd.Series(dtype="str"))
    reg = pd.concat(parts, ignore_index=True)
    return reg.sort_values(["lookup", "order_year"], kind="mergesort").reset_index(drop=True)


def lookup_summary(
    found: pd.DataFrame, lookups: Iterable[str] = tuple(THESIS_DEALS)
) -> pd.DataFrame:
    """Per lookup: ``deals``, ``ordered``, ``delivered``, ``delivered_tiv_mn``,
    ``order_years``, ``delivery_years`` (zeros for lookups with no match)."""
    rows = []
    for label in lookups:
        part = found[found["lookup"] == label]
        years = sorted({y for t in part["delivery_years"] for y in delivery_years(t)})
        rows.append(
            {
                "lookup": label,
                "deals": len(part),
                "ordered": int(part["ordered_count"].fillna(0).sum()),
                "delivered": int(part["delivered_count"].fillna(0).sum()),
                "delivered_tiv_mn": float(part["delivered_tiv_mn"].fillna(0).sum()),
                "order_years": ", ".join(str(int(y)) for y in sorted(part["order_year"].dropna())),
                "delivery_years": ", ".join(map(str, years)),
            }
        )
    return pd.DataFrame(rows)


# --- vintage check -------------------------------------------------------------------

_COMPARED = (
    "ordered_count",
    "delivered_count",
    "delivery_years",
    "status",
    "order_tiv_mn",
    "delivered_tiv_mn",
)


def _same(a: object, b: object) -> bool:
    """Equality that treats two missing values as equal and floats to 0.05."""
    a_na = a is None or (not isinstance(a, str) and pd.isna(a))
    b_na = b is None or (not isinstance(b, str) and pd.isna(b))
    if a_na or b_na:
        return a_na and b_na
    if isinstance(a, float | int | np.number) and isinstance(b, float | int | np.number):
        return abs(float(a) - float(b)) < 0.05
    return a == b


def _key_strings(frame: pd.DataFrame, columns: list[str]) -> list[str]:
    """One text key per row joining ``columns`` (missing values as '∅')."""

    def text(value: object) -> str:
        missing = value is None or (not isinstance(value, str) and pd.isna(value))
        return "∅" if missing else str(value)

    return ["|".join(text(v) for v in row) for row in frame[columns].itertuples(index=False)]


def _match(
    old: pd.DataFrame, new: pd.DataFrame, key: list[str]
) -> tuple[list[tuple[dict, dict]], pd.DataFrame, pd.DataFrame]:
    """Pair rows of ``old`` and ``new`` with equal ``key`` (n-th with n-th, deal-id order).

    Returns:
        The matched (old, new) record pairs and the unmatched rows of each side.
    """
    a = old.sort_values([*key, "deal_id"], kind="mergesort").copy()
    b = new.sort_values([*key, "deal_id"], kind="mergesort").copy()
    a["_nth"] = a.groupby(key, dropna=False).cumcount()
    b["_nth"] = b.groupby(key, dropna=False).cumcount()
    a["_k"] = _key_strings(a, [*key, "_nth"])
    b["_k"] = _key_strings(b, [*key, "_nth"])
    common = set(a["_k"]) & set(b["_k"])
    a_idx, b_idx = a.set_index("_k"), b.set_index("_k")
    pairs = [
        (a_idx.loc[k].to_dict(), b_idx.loc[k].to_dict())
        for k in sorted(common, key=lambda k: list(a["_k"]).index(k))
    ]
    rest_a = a[~a["_k"].isin(common)].drop(columns=["_nth", "_k"])
    rest_b = b[~b["_k"].isin(common)].drop(columns=["_nth", "_k"])
    return pairs, rest_a, rest_b


def compare_editions(deals: pd.DataFrame, old: str, new: str) -> pd.DataFrame:
    """What changed between two editions of the deal register.

    Deals are paired in three passes: (1) identical recipient, supplier, order year,
    designation and compared values → ``unchanged``; (2) the same recipient, supplier,
    order year and designation → ``revised``; (3) the same recipient, supplier, order
    year, delivery years and delivered TIV under another designation (SIPRI renamed
    e.g. 'EC145' to 'EC-145') → ``revised`` with ``designation`` among the changes.
    The rest are ``added`` or ``removed``. Within a pass the n-th deal with a key in one
    edition is paired with the n-th in the other, in deal-id order. Descriptions and
    supplier spellings, which SIPRI rewrote between vintages, are not compared.

    Returns:
        One row per deal: ``change`` (``added``, ``removed``, ``revised``,
        ``unchanged``), ``recipient_iso3``, ``supplier_label``, ``designation`` (new
        edition's, else old), ``order_year``, ``fields_changed`` and ``old_``/``new_``
        values of designation, ordered_count, delivered_count, delivery_years,
        order_tiv_mn and delivered_tiv_mn.

    Raises:
        ValueError: if an edition is missing from ``deals``.
    """
    _require_columns(deals, ["edition", "deal_id", "designation", *_COMPARED], "compare_editions")
    for ed in (old, new):
        if ed not in set(deals["edition"]):
            raise ValueError(
                f"edition {ed!r} not in the deals; editions: {sorted(set(deals['edition']))}"
            )
    names = supplier_names(deals)

    def prepared(ed: str) -> pd.DataFrame:
        part = deals[deals["edition"] == ed].copy()
        part["supplier_code"] = part["supplier_iso3"].map(_supplier_key)
        part["tiv_key"] = part["delivered_tiv_mn"].round(1)
        return part

    base = ["recipient_iso3", "supplier_code", "order_year"]
    values = ["ordered_count", "delivered_count", "delivery_years", "status", "tiv_key"]
    a, b = prepared(old), prepared(new)
    passes = (
        ("unchanged", [*base, "designation", *values]),
        ("revised", [*base, "designation"]),
        ("revised", [*base, "delivery_years", "tiv_key"]),
    )
    rows = []
    shown = ("designation", *[f for f in _COMPARED if f != "status"])

    def record(change: str, o: dict | None, n: dict | None) -> dict:
        side = n if n is not None else o
        changed = ""
        if o is not None and n is not None:
            fields = ["designation", *_COMPARED]
            changed = ", ".join(f for f in fields if not _same(o[f], n[f]))
            change = "revised" if changed else "unchanged"
        frame = pd.DataFrame(
            {"supplier_iso3": [side["supplier_iso3"]], "supplier": [side["supplier"]]}
        )
        return {
            "change": change,
            "recipient_iso3": side["recipient_iso3"],
            "supplier_label": label_suppliers(frame, names)["supplier_label"].iloc[0],
            "designation": side["designation"],
            "order_year": side["order_year"],
            "fields_changed": changed,
            **{f"old_{f}": (o[f] if o is not None else None) for f in shown},
            **{f"new_{f}": (n[f] if n is not None else None) for f in shown},
        }

    for change, key in passes:
        pairs, a, b = _match(a, b, key)
        rows += [record(change, o, n) for o, n in pairs]
    rows += [record("removed", r, None) for r in a.to_dict("records")]
    rows += [record("added", None, r) for r in b.to_dict("records")]
    out = pd.DataFrame(rows)
    order = {"added": 0, "removed": 1, "revised": 2, "unchanged": 3}
    out = out.sort_values(
        ["change", "recipient_iso3", "supplier_label", "order_year", "designation"],
        key=lambda s: s.map(order) if s.name == "change" else s,
        kind="mergesort",
    )
    return out.reset_index(drop=True)


def describe_changes(changes: pd.DataFrame) -> pd.DataFrame:
    """Compact view of the non-unchanged rows of :func:`compare_editions` ('old → new').

    ``fields_changed`` is in words (:data:`FIELD_WORDS`): "number delivered, TIV delivered".
    """

    def arrow(o: object, n: object, digits: int | None = None) -> str:
        def fmt(v: object) -> str:
            if v is None or (not isinstance(v, str) and pd.isna(v)):
                return "–"
            if digits is not None:
                return f"{float(v):,.{digits}f}"
            return str(int(v)) if isinstance(v, float | np.floating) else str(v)

        return fmt(o) if _same(o, n) else f"{fmt(o)} → {fmt(n)}"

    part = changes[changes["change"] != "unchanged"]
    return pd.DataFrame(
        {
            "change": part["change"],
            "recipient_iso3": part["recipient_iso3"],
            "supplier": part["supplier_label"],
            "designation": [
                arrow(o, n)
                for o, n in zip(part["old_designation"], part["new_designation"], strict=True)
            ],
            "order_year": part["order_year"],
            "delivered": [
                arrow(o, n)
                for o, n in zip(
                    part["old_delivered_count"], part["new_delivered_count"], strict=True
                )
            ],
            "delivery_years": [
                arrow(o, n)
                for o, n in zip(part["old_delivery_years"], part["new_delivery_years"], strict=True)
            ],
            "delivered_tiv_mn": [
                arrow(o, n, 1)
                for o, n in zip(
                    part["old_delivered_tiv_mn"], part["new_delivered_tiv_mn"], strict=True
                )
            ],
            "fields_changed": part["fields_changed"].map(_fields_in_words),
        }
    ).reset_index(drop=True)


def _fields_in_words(fields: object) -> str:
    """``"delivered_count, delivered_tiv_mn"`` → ``"number delivered, TIV delivered"``."""
    if not isinstance(fields, str) or not fields.strip():
        return ""
    return ", ".join(FIELD_WORDS.get(f.strip(), f.strip()) for f in fields.split(","))


def compare_year_totals(
    old: pd.DataFrame, new: pd.DataFrame, start_year: int, end_year: int
) -> pd.DataFrame:
    """Yearly totals of two yearly frames side by side: ``year``, ``old_tiv_mn``,
    ``new_tiv_mn``, ``change_tiv_mn``."""
    a = year_totals(old, start_year, end_year).rename(columns={"tiv_mn": "old_tiv_mn"})
    b = year_totals(new, start_year, end_year).rename(columns={"tiv_mn": "new_tiv_mn"})
    out = a.merge(b, on="year")
    out["change_tiv_mn"] = out["new_tiv_mn"] - out["old_tiv_mn"]
    return out


# --- validation ----------------------------------------------------------------------


def validate_totals(
    rebuilt: pd.DataFrame,
    same_vintage: pd.DataFrame,
    sipri_totals: pd.DataFrame,
    recipients: Iterable[str],
    tolerance_mn: float = 1.0,
) -> pd.DataFrame:
    """Compare yearly totals rebuilt from registers with SIPRI's own import totals.

    SIPRI's table lists only years with deliveries (a missing year is 0). Years from the
    first year with any value to the table's last year are compared, per recipient.

    Args:
        rebuilt: Yearly rows of the analysed edition (:func:`yearly_from_deals`).
        same_vintage: Yearly rows of the per-year register of the table's vintage
            (:data:`TOTALS_VINTAGE_PER_YEAR`), to tell revisions from method errors.
        sipri_totals: ``arms_sipri_import_totals`` rows.
        recipients: Recipient ISO3 codes.
        tolerance_mn: Largest difference accepted as rounding (SIPRI rounds to 1 TIV).

    Returns:
        ``recipient_iso3``, ``year``, ``sipri_tiv_mn``, ``rebuilt_tiv_mn``,
        ``diff_tiv_mn``, ``same_vintage_tiv_mn``, ``same_vintage_diff_tiv_mn``,
        ``even_split_tiv_mn`` and ``status``: ``match`` (within tolerance), ``revision``
        (the same-vintage register matches, so SIPRI revised the data later),
        ``revision or split`` (as revision, but the year also holds evenly split TIV),
        ``unexplained`` (even the same-vintage register differs).
    """
    _require_columns(sipri_totals, ["recipient_iso3", "year", "tiv_mn"], "validate_totals")
    parts = []
    for code in recipients:
        table = sipri_totals[sipri_totals["recipient_iso3"] == code]
        if table.empty:
            continue
        first, last = 1992, int(sipri_totals["year"].max())
        years = pd.Index(range(first, last + 1), name="year")
        sipri = table.groupby("year")["tiv_mn"].sum().reindex(years, fill_value=0.0)
        mine = rebuilt[rebuilt["recipient_iso3"] == code]
        same = same_vintage[same_vintage["recipient_iso3"] == code]
        even = mine[mine["split_method"] == "even_split"]
        frame = pd.DataFrame(
            {
                "recipient_iso3": code,
                "year": years,
                "sipri_tiv_mn": sipri.values,
                "rebuilt_tiv_mn": mine.groupby("year")["tiv_mn"]
                .sum()
                .reindex(years, fill_value=0.0)
                .values,
                "same_vintage_tiv_mn": same.groupby("year")["tiv_mn"]
                .sum()
                .reindex(years, fill_value=0.0)
                .values,
                "even_split_tiv_mn": even.groupby("year")["tiv_mn"]
                .sum()
                .reindex(years, fill_value=0.0)
                .values,
            }
        )
        active = (frame[["sipri_tiv_mn", "rebuilt_tiv_mn", "same_vintage_tiv_mn"]] > 0).any(axis=1)
        start = frame.loc[active, "year"].min() if active.any() else last + 1
        parts.append(frame[frame["year"] >= start])
    if not parts:
        raise ValueError(
            f"SIPRI's import totals have no rows for {list(recipients)}; check the recipients"
        )
    out = pd.concat(parts, ignore_index=True)
    out["diff_tiv_mn"] = out["rebuilt_tiv_mn"] - out["sipri_tiv_mn"]
    out["same_vintage_diff_tiv_mn"] = out["same_vintage_tiv_mn"] - out["sipri_tiv_mn"]
    ok = out["diff_tiv_mn"].abs() <= tolerance_mn + 1e-9
    same_ok = out["same_vintage_diff_tiv_mn"].abs() <= tolerance_mn + 1e-9
    status = np.where(
        ok,
        "match",
        np.where(
            same_ok,
            np.where(out["even_split_tiv_mn"] > 0, "revision or split", "revision"),
            "unexplained",
        ),
    )
    out["status"] = pd.Series(status, index=out.index, dtype="str")
    columns = [
        "recipient_iso3",
        "year",
        "sipri_tiv_mn",
        "rebuilt_tiv_mn",
        "diff_tiv_mn",
        "same_vintage_tiv_mn",
        "same_vintage_diff_tiv_mn",
        "even_split_tiv_mn",
        "status",
    ]
    return out[columns]
