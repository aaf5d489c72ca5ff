"""Chapter 1a, EAEU trade: partner structure, Russia vs China, shocks, composition, sources.

Inputs are the curated tables ``trade_partner_flows`` (``flows``) and
``trade_products_hs4`` (``products``) as :func:`kzanalysis.datasets.load` returns them.

Source families and selection:
    Rows come from three *families*: ``imf_dots`` (IMF DOTS, 1992–2020, every reporter),
    ``kz_bns`` (Kazakhstan's national statistics, 2018–2023) and ``wits`` (WITS / UN
    Comtrade-based totals for Kazakhstan: sources ``wits_hs4``, ``wits_sections`` and
    ``kazpaper_repo_derived``; complete years only). :func:`select_flows` keeps, for each
    (year, flow), the rows of the first family in the preferred order that has the
    reporter's world total that year, so partner values and the total always come from
    the same family.

Groups:
    A group partner (``EU27``, ``EAEU``, ``CIS`` …) is the sum of its member countries'
    rows (members from :mod:`kzanalysis.countries`, the reporter itself left out), either
    as of each year (``membership=None``) or with the composition of one fixed year.
    Group sums are only formed from families that list every partner country
    (IMF DOTS, BNS); the WITS family gives a group only where it has that exact row.
    Missing rows stay missing (NaN): a gap is never read as zero trade.

Every function is pure (no I/O); errors say what was missing and how to proceed.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

import numpy as np
import pandas as pd

from kzanalysis import countries
from kzanalysis.analysis._checks import require_columns as _require_columns
from kzanalysis.stats import (
    BreakTrendFit,
    InsufficientDataError,
    fit_break_trend,
    pct_from_log,
)

# --- constants -----------------------------------------------------------------------

#: Source id → source family.
SOURCE_FAMILY: dict[str, str] = {
    "imf_dots": "imf_dots",
    "kz_bns": "kz_bns",
    "wits_hs4": "wits",
    "wits_sections": "wits",
    "kazpaper_repo_derived": "wits",
}

#: Readable family names.
FAMILY_LABELS: dict[str, str] = {
    "imf_dots": "IMF DOTS",
    "kz_bns": "Kazakhstan BNS",
    "wits": "WITS / UN Comtrade",
}

#: Family order of each ``source_preference`` value.
FAMILY_ORDER: dict[str, tuple[str, ...]] = {
    "imf_first": ("imf_dots", "kz_bns", "wits"),
    # imf_first, with the partners' figures where the reporter's series are allocated
    "auto": ("imf_dots", "kz_bns", "wits"),
    # as imf_first; the trade chapter then puts China's and Russia's mirror figures in the
    # reporter's flagged years (kzanalysis.analysis.flags.mirror_flagged)
    "imf_first_mirror": ("imf_dots", "kz_bns", "wits"),
    "national_first": ("kz_bns", "imf_dots", "wits"),
    "imf_only": ("imf_dots",),
}

#: Families that list every partner country (group sums are meaningful).
FULL_COVERAGE: frozenset[str] = frozenset({"imf_dots", "kz_bns"})

#: Priority of sources inside the WITS family when two give the same row (lower wins).
_WITHIN_FAMILY: dict[str, int] = {"wits_hs4": 0, "wits_sections": 1, "kazpaper_repo_derived": 2}

#: Reporting entities that combine registry countries (counted in a group when all are in).
COMBINED_CODES: dict[str, tuple[str, ...]] = {"BLX": ("BEL", "LUX")}

#: Data flow codes of each ``flow`` parameter value.
FLOW_CODES: dict[str, tuple[str, ...]] = {
    "exports": ("export",),
    "imports": ("import",),
    "turnover": ("export", "import"),
}

WORLD = "WLD"
OTHER = "Other"

#: HS chapter groups for the composition analysis. Metals and ores = ores (26) and base
#: metals in primary and semi-finished forms (72 iron and steel, 74–81 non-ferrous);
#: articles of metal (73, 82, 83) are manufactures and left out.
HS_GROUPS: dict[str, tuple[str, ...]] = {
    "Energy (HS 27)": ("27",),
    "Metals and ores (HS 26, 72, 74–81)": ("26", "72", "74", "75", "76", "78", "79", "80", "81"),
    "Cereals (HS 10)": ("10",),
}

#: Short titles of the HS chapters (Harmonized System 2012, World Customs Organization).
HS_CHAPTERS: dict[str, str] = {
    "01": "Live animals",
    "02": "Meat",
    "03": "Fish",
    "04": "Dairy, eggs, honey",
    "05": "Other animal products",
    "06": "Live plants",
    "07": "Vegetables",
    "08": "Fruit and nuts",
    "09": "Coffee, tea, spices",
    "10": "Cereals",
    "11": "Milling products",
    "12": "Oil seeds",
    "13": "Lacs, gums, resins",
    "14": "Vegetable plaiting materials",
    "15": "Fats and oils",
    "16": "Meat and fish preparations",
    "17": "Sugars",
    "18": "Cocoa",
    "19": "Cereal preparations",
    "20": "Vegetable and fruit preparations",
    "21": "Misc. edible preparations",
    "22": "Beverages",
    "23": "Food residues, animal fodder",
    "24": "Tobacco",
    "25": "Salt, sulphur, earths, stone, cement",
    "26": "Ores, slag and ash",
    "27": "Mineral fuels, oils",
    "28": "Inorganic chemicals",
    "29": "Organic chemicals",
    "30": "Pharmaceuticals",
    "31": "Fertilisers",
    "32": "Tanning and dyeing extracts, paints",
    "33": "Essential oils, cosmetics",
    "34": "Soap, waxes",
    "35": "Albuminoids, glues, enzymes",
    "36": "Explosives",
    "37": "Photographic goods",
    "38": "Misc. chemical products",
    "39": "Plastics",
    "40": "Rubber",
    "41": "Raw hides and skins",
    "42": "Leather articles",
    "43": "Furskins",
    "44": "Wood",
    "45": "Cork",
    "46": "Basketware",
    "47": "Pulp of wood",
    "48": "Paper and paperboard",
    "49": "Printed matter",
    "50": "Silk",
    "51": "Wool",
    "52": "Cotton",
    "53": "Other vegetable textile fibres",
    "54": "Man-made filaments",
    "55": "Man-made staple fibres",
    "56": "Wadding, felt, twine",
    "57": "Carpets",
    "58": "Special woven fabrics",
    "59": "Coated textile fabrics",
    "60": "Knitted fabrics",
    "61": "Knitted apparel",
    "62": "Non-knitted apparel",
    "63": "Other made-up textiles",
    "64": "Footwear",
    "65": "Headgear",
    "66": "Umbrellas",
    "67": "Feathers, artificial flowers",
    "68": "Stone and cement articles",
    "69": "Ceramic products",
    "70": "Glass",
    "71": "Precious stones and metals",
    "72": "Iron and steel",
    "73": "Articles of iron or steel",
    "74": "Copper",
    "75": "Nickel",
    "76": "Aluminium",
    "78": "Lead",
    "79": "Zinc",
    "80": "Tin",
    "81": "Other base metals",
    "82": "Tools of base metal",
    "83": "Misc. articles of base metal",
    "84": "Machinery, nuclear reactors, boilers",
    "85": "Electrical machinery",
    "86": "Railway equipment",
    "87": "Vehicles",
    "88": "Aircraft",
    "89": "Ships",
    "90": "Optical, medical instruments",
    "91": "Clocks and watches",
    "92": "Musical instruments",
    "93": "Arms and ammunition",
    "94": "Furniture, bedding",
    "95": "Toys, sports goods",
    "96": "Misc. manufactured articles",
    "97": "Works of art",
    "99": "Commodities not specified",
}

# --- helpers -------------------------------------------------------------------------


def _flow_codes(flow: str) -> tuple[str, ...]:
    try:
        return FLOW_CODES[flow]
    except KeyError:
        raise ValueError(f"flow {flow!r} is unknown; use one of {', '.join(FLOW_CODES)}") from None


def _family_order(preference: str | Sequence[str]) -> tuple[str, ...]:
    if isinstance(preference, str):
        try:
            return FAMILY_ORDER[preference]
        except KeyError:
            raise ValueError(
                f"source_preference {preference!r} is unknown; use one of {', '.join(FAMILY_ORDER)}"
            ) from None
    order = tuple(preference)
    bad = [f for f in order if f not in FAMILY_LABELS]
    if bad:
        raise ValueError(f"unknown source families {bad}; known: {', '.join(FAMILY_LABELS)}")
    return order


def is_group(code: str) -> bool:
    """True if ``code`` is a registry group (``EU27``, ``EAEU`` …) or the world total."""
    return code == WORLD or code in countries.groups()


def partner_label(code: str) -> str:
    """Short reader label: actor names for the big four, registry names, group names.

    >>> partner_label("RUS"), partner_label("EAEU"), partner_label("EU27"), partner_label("WLD")
    ('Russia', 'EAEU', 'EU (27 members)', 'World')
    """
    fixed = {"RUS": "Russia", "CHN": "China", "USA": "United States", WORLD: "World"}
    if code in fixed:
        return fixed[code]
    if is_group(code):
        from kzanalysis.report import country_name

        return country_name(code)
    try:
        return countries.name(code)
    except Exception:  # a label must never fail
        return code


def group_members(group: str, year: int, reporter: str) -> frozenset[str]:
    """Members of ``group`` at the end of ``year`` (the reporter left out)."""
    return countries.members(group, year) - {reporter}


def member_since(group: str, code: str) -> date | None:
    """First day of ``code``'s first full membership of ``group`` (None if never a member)."""
    starts = [
        m.start
        for m in countries.group_info(group).memberships
        if m.iso3 == code and m.status == "member" and m.start is not None
    ]
    return min(starts) if starts else None


def _codes_with_combined(members: frozenset[str]) -> set[str]:
    codes = set(members)
    for combo, parts in COMBINED_CODES.items():
        if all(p in members for p in parts):
            codes.add(combo)
    return codes


# --- source selection -----------------------------------------------------------------


def with_family(flows: pd.DataFrame) -> pd.DataFrame:
    """Return ``flows`` with a ``source_family`` column (see :data:`SOURCE_FAMILY`)."""
    _require_columns(flows, ["source"], "with_family")
    unknown = sorted(set(flows["source"].unique().tolist()) - set(SOURCE_FAMILY))
    if unknown:
        raise ValueError(
            f"with_family: unknown source ids {unknown}; add them to "
            "kzanalysis.analysis.trade.SOURCE_FAMILY"
        )
    return flows.assign(source_family=flows["source"].map(SOURCE_FAMILY))


def choose_sources(
    flows: pd.DataFrame, reporter: str, preference: str | Sequence[str] = "imf_first"
) -> pd.DataFrame:
    """Which source family gives each (year, flow) of a reporter's series.

    A family qualifies for a year and flow if it has the reporter's world total (``WLD``)
    then; the first qualifying family in the preferred order wins.

    Args:
        flows: ``trade_partner_flows``.
        reporter: ISO3 code of the reporting country.
        preference: A key of :data:`FAMILY_ORDER` or an explicit family order.

    Returns:
        DataFrame with ``year``, ``flow``, ``source_family`` (sorted by flow and year).
    """
    _require_columns(flows, ["reporter_iso3", "partner_code", "flow", "year"], "choose_sources")
    order = _family_order(preference)
    fam = with_family(flows[flows["reporter_iso3"] == reporter])
    totals = fam[(fam["partner_code"] == WORLD) & fam["source_family"].isin(order)]
    rank = {f: i for i, f in enumerate(order)}
    totals = totals.assign(_rank=totals["source_family"].map(rank))
    best = totals.sort_values("_rank").drop_duplicates(["year", "flow"], keep="first")
    out = best[["year", "flow", "source_family"]].sort_values(["flow", "year"])
    return out.reset_index(drop=True)


def select_flows(
    flows: pd.DataFrame, reporter: str, preference: str | Sequence[str] = "imf_first"
) -> pd.DataFrame:
    """The reporter's rows from the chosen family of each (year, flow).

    Returns:
        The matching rows of ``flows`` plus ``source_family``; inside the WITS family a
        partner given by two sources keeps the one listed first in ``_WITHIN_FAMILY``.
    """
    choice = choose_sources(flows, reporter, preference)
    fam = with_family(flows[flows["reporter_iso3"] == reporter])
    merged = fam.merge(choice, on=["year", "flow", "source_family"], how="inner")
    merged = merged.assign(_prio=merged["source"].map(_WITHIN_FAMILY).fillna(0))
    merged = merged.sort_values("_prio").drop_duplicates(
        ["year", "flow", "partner_code"], keep="first"
    )
    out = merged.drop(columns="_prio").sort_values(["flow", "year", "partner_code"])
    out = out.reset_index(drop=True)
    out.attrs = dict(flows.attrs)
    return out


def source_runs(choice: pd.DataFrame) -> pd.DataFrame:
    """Consecutive runs of years per family and flow in a :func:`choose_sources` result.

    Returns:
        DataFrame with ``flow``, ``source_family``, ``first_year``, ``last_year``, ``years``.
    """
    rows = []
    for flow, part in choice.sort_values(["flow", "year"]).groupby("flow", sort=True):
        run_start = prev_year = prev_fam = None
        for year, fam in zip(part["year"], part["source_family"], strict=True):
            if prev_fam is None or fam != prev_fam or year != prev_year + 1:
                if prev_fam is not None:
                    rows.append((flow, prev_fam, run_start, prev_year))
                run_start = year
            prev_year, prev_fam = year, fam
        if prev_fam is not None:
            rows.append((flow, prev_fam, run_start, prev_year))
    out = pd.DataFrame(rows, columns=["flow", "source_family", "first_year", "last_year"])
    out["years"] = out["last_year"] - out["first_year"] + 1
    return out


def describe_sources(choice: pd.DataFrame) -> str:
    """One sentence naming the family behind each span of years, e.g. for a caption."""
    runs = source_runs(choice)
    if runs.empty:
        return "No source covers this country and period."
    spans = runs.drop_duplicates(["source_family", "first_year", "last_year"])
    parts = [
        f"{FAMILY_LABELS[r.source_family]} "
        + (f"{r.first_year}–{r.last_year}" if r.years > 1 else f"{r.first_year}")
        for r in spans.itertuples()
    ]
    return "Series from " + "; ".join(parts) + "."


def source_caption(flows: pd.DataFrame, families: Iterable[str], note: str = "") -> str:
    """ "Source: …" caption from the provenance of ``flows``, for the families used only.

    Falls back to the family names when ``flows`` carries no provenance (hand-made frames).
    """
    fams = set(families)
    ids = {s for s, f in SOURCE_FAMILY.items() if f in fams}
    srcs = flows.attrs.get("provenance", {}).get("sources", [])
    parts = [f"{s['publisher']}, {s['title']} ({s['edition']})" for s in srcs if s["id"] in ids]
    if not parts:
        parts = [FAMILY_LABELS[f] for f in FAMILY_LABELS if f in fams]
    text = "Source: " + "; ".join(parts) + "."
    if note:
        text += " " + note
    return text + " Calculations: kzanalysis."


# --- partner values -------------------------------------------------------------------


def _lookup(selected: pd.DataFrame) -> tuple[dict, dict]:
    """(flow, year, partner) → value and (flow, year) → source family, from plain lists
    (iterating pandas' Arrow-backed string columns element by element is slow)."""
    flow = selected["flow"].tolist()
    year = selected["year"].astype("int64").tolist()
    codes = selected["partner_code"].tolist()
    value = selected["value_usd_mn"].astype("float64").tolist()
    values = dict(zip(zip(flow, year, codes, strict=True), value, strict=True))
    families = dict(
        zip(zip(flow, year, strict=True), selected["source_family"].tolist(), strict=True)
    )
    return values, families


def _sum_codes(values: dict, flow: str, year: int, codes: Iterable[str]) -> float:
    found = [values[(flow, year, c)] for c in sorted(codes) if (flow, year, c) in values]
    return float(sum(found)) if found else math.nan


def _one_value(
    values: dict,
    families: dict,
    flow: str,
    year: int,
    partner: str,
    reporter: str,
    membership: int | None,
) -> float:
    fam = families.get((flow, year))
    if fam is None:
        return math.nan
    if (flow, year, partner) in values and (partner == WORLD or not is_group(partner)):
        return values[(flow, year, partner)]
    if partner == WORLD or not is_group(partner):
        return math.nan
    if fam not in FULL_COVERAGE:
        return values.get((flow, year, partner), math.nan)
    members = group_members(partner, membership if membership is not None else year, reporter)
    if not members:
        return math.nan
    return _sum_codes(values, flow, year, _codes_with_combined(members))


def partner_values(
    selected: pd.DataFrame,
    partners: Sequence[str],
    flow: str,
    start_year: int,
    end_year: int,
    *,
    reporter: str,
    membership: int | None = None,
    with_total: bool = True,
) -> pd.DataFrame:
    """Values of trade with each partner (countries or groups) per year.

    Args:
        selected: Output of :func:`select_flows` (one family per year and flow).
        partners: ISO3 codes and/or group codes.
        flow: ``exports``, ``imports`` or ``turnover`` (exports + imports; missing if
            either is missing).
        start_year: First year.
        end_year: Last year.
        reporter: The reporting country (left out of group sums).
        membership: ``None`` = group members as of each year; a year = that year's
            composition for all years.
        with_total: Add the world total (``WLD``) and ``share_pct`` of it.

    Returns:
        Long DataFrame: ``year``, ``partner``, ``label``, ``value_usd_mn``,
        ``source_family`` (and ``share_pct`` with the total); every (year, partner) pair
        is present, missing values are NaN.
    """
    _require_columns(
        selected,
        ["flow", "year", "partner_code", "value_usd_mn", "source_family"],
        "partner_values",
    )
    codes = _flow_codes(flow)
    wanted = list(dict.fromkeys([*partners, *([WORLD] if with_total else [])]))
    values, families = _lookup(selected)
    rows = []
    for year in range(start_year, end_year + 1):
        fams = [families.get((f, year)) for f in codes]
        fam_label = "+".join(dict.fromkeys(f for f in fams if f)) or None
        for p in wanted:
            parts = [_one_value(values, families, f, year, p, reporter, membership) for f in codes]
            value = math.nan if any(math.isnan(x) for x in parts) else float(sum(parts))
            rows.append((year, p, partner_label(p), value, fam_label))
    out = pd.DataFrame(rows, columns=["year", "partner", "label", "value_usd_mn", "source_family"])
    if with_total:
        total = out[out["partner"] == WORLD].set_index("year")["value_usd_mn"]
        out["share_pct"] = 100 * out["value_usd_mn"] / out["year"].map(total)
    return out


def partner_partition(
    selected: pd.DataFrame,
    partners: Sequence[str],
    flow: str,
    start_year: int,
    end_year: int,
    *,
    reporter: str,
) -> pd.DataFrame:
    """Split the world total into disjoint parts: listed countries, groups, other.

    Countries come first; each group then gets its members (as of each year) not already
    assigned, labelled ``"<group> (other members)"`` when some were; ``Other`` is the world
    total minus all parts. Years whose family does not list every partner (WITS) or lacks
    the total are left out.

    Returns:
        Long DataFrame with ``year``, ``component`` (reader label), ``partner`` (the
        partner code, ``Other`` for the rest), ``value_usd_mn``, ``share_pct``.
    """
    codes = _flow_codes(flow)
    values, families = _lookup(selected)
    countries_first = [p for p in partners if not is_group(p)] + [
        p for p in partners if is_group(p) and p != WORLD
    ]
    labels: dict[str, str] = {}
    listed = {p for p in partners if not is_group(p)}
    for p in countries_first:
        if is_group(p):
            ever = set().union(*(countries.members(p, y) for y in range(start_year, end_year + 1)))
            name = partner_label(p).split(" (", 1)[0]
            labels[p] = f"{name} (other members)" if ever & listed else partner_label(p)
            listed |= ever
        else:
            labels[p] = partner_label(p)
    rows = []
    for year in range(start_year, end_year + 1):
        fams = [families.get((f, year)) for f in codes]
        if any(f not in FULL_COVERAGE for f in fams):
            continue
        totals = [values.get((f, year, WORLD), math.nan) for f in codes]
        if any(math.isnan(t) for t in totals):
            continue
        total = float(sum(totals))
        assigned: set[str] = {reporter}
        parts: list[tuple[str, str, float]] = []
        for p in countries_first:
            if is_group(p):
                members = _codes_with_combined(countries.members(p, year)) - {reporter}
                fresh = members - assigned
                assigned |= members
                if not fresh:
                    value = 0.0
                else:
                    found = [_sum_codes(values, f, year, fresh) for f in codes]
                    value = float(sum(0.0 if math.isnan(x) else x for x in found))
            else:
                assigned.add(p)
                found = [values.get((f, year, p), 0.0) for f in codes]
                value = float(sum(found))
            parts.append((labels[p], p, value))
        parts.append((OTHER, OTHER, total - sum(v for _, _, v in parts)))
        rows += [(year, label, code, v, 100 * v / total) for label, code, v in parts]
    return pd.DataFrame(rows, columns=["year", "component", "partner", "value_usd_mn", "share_pct"])


def every_nth_year(frame: pd.DataFrame, n: int = 5, year_col: str = "year") -> pd.DataFrame:
    """Rows whose year is a multiple of ``n``, plus the last year present."""
    years = sorted(frame[year_col].dropna().unique())
    if not years:
        return frame.iloc[0:0]
    keep = {y for y in years if y % n == 0} | {years[-1]}
    return frame[frame[year_col].isin(keep)]


def share_table(values: pd.DataFrame, n: int = 5) -> pd.DataFrame:
    """Wide table of ``share_pct`` (rows: every ``n``-th year; columns: partner labels)."""
    _require_columns(values, ["year", "label", "share_pct"], "share_table")
    part = every_nth_year(values.dropna(subset=["share_pct"]), n)
    wide = part.pivot(index="year", columns="label", values="share_pct")
    order = list(dict.fromkeys(values["label"]))
    return wide[[c for c in order if c in wide.columns]].round(1)


# --- Russia vs China ------------------------------------------------------------------


def rival_comparison(values: pd.DataFrame, a: str = "CHN", b: str = "RUS") -> pd.DataFrame:
    """Values of two partners side by side with their ratio.

    Args:
        values: Output of :func:`partner_values` with rows for ``a`` and ``b``.
        a: The challenger (default China).
        b: The incumbent (default Russia).

    Returns:
        DataFrame with ``year``, ``value_a_usd_mn``, ``value_b_usd_mn``, ``ratio`` (a/b),
        ``a_ahead`` (bool; NA if either value is missing).
    """
    _require_columns(values, ["year", "partner", "value_usd_mn"], "rival_comparison")
    wide = values.pivot(index="year", columns="partner", values="value_usd_mn")
    for code in (a, b):
        if code not in wide.columns:
            raise ValueError(f"rival_comparison: no rows for partner {code}; include it")
    out = pd.DataFrame(
        {
            "year": wide.index.astype(int),
            "value_a_usd_mn": wide[a].to_numpy(),
            "value_b_usd_mn": wide[b].to_numpy(),
        }
    )
    out["ratio"] = out["value_a_usd_mn"] / out["value_b_usd_mn"]
    ahead = out["value_a_usd_mn"] > out["value_b_usd_mn"]
    known = out[["value_a_usd_mn", "value_b_usd_mn"]].notna().all(axis=1)
    out["a_ahead"] = ahead.astype("boolean").where(known, pd.NA)
    out.attrs["partners"] = (a, b)
    return out


def first_year_ahead(comparison: pd.DataFrame) -> int | None:
    """First year in which partner a's value exceeded partner b's (None if never)."""
    hits = comparison.loc[comparison["a_ahead"].fillna(False).astype(bool), "year"]
    return int(hits.min()) if len(hits) else None


def lasting_lead_year(comparison: pd.DataFrame) -> int | None:
    """First year from which a stayed ahead of b in every later year with data (or None)."""
    known = comparison.dropna(subset=["a_ahead"]).sort_values("year")
    if known.empty or not bool(known["a_ahead"].iloc[-1]):
        return None
    behind = known.loc[~known["a_ahead"].astype(bool), "year"]
    after = known[known["year"] > behind.max()] if len(behind) else known
    return int(after["year"].min())


def crossover_by_flow(
    selected: pd.DataFrame,
    start_year: int,
    end_year: int,
    *,
    reporter: str,
    a: str = "CHN",
    b: str = "RUS",
) -> pd.DataFrame:
    """For exports, imports and turnover: when a first passed b, and a's lasting lead.

    Returns:
        DataFrame with ``flow``, ``first_year_ahead``, ``lasting_lead_from``,
        ``last_year``, ``ratio_last_year``, ``years_with_data`` (years as nullable ints).
    """
    rows = []
    for flow in FLOW_CODES:
        vals = partner_values(
            selected, [a, b], flow, start_year, end_year, reporter=reporter, with_total=False
        )
        comp = rival_comparison(vals, a, b).dropna(subset=["ratio"])
        last = comp["year"].max() if len(comp) else None
        rows.append(
            {
                "flow": flow,
                "first_year_ahead": first_year_ahead(comp),
                "lasting_lead_from": lasting_lead_year(comp),
                "last_year": None if last is None else int(last),
                "ratio_last_year": float(comp["ratio"].iloc[-1]) if len(comp) else math.nan,
                "years_with_data": len(comp),
            }
        )
    out = pd.DataFrame(rows)
    for col in ("first_year_ahead", "lasting_lead_from", "last_year"):
        out[col] = out[col].astype("Int64")
    return out


def trade_balance(
    selected: pd.DataFrame,
    partners: Sequence[str],
    start_year: int,
    end_year: int,
    *,
    reporter: str,
    membership: int | None = None,
) -> pd.DataFrame:
    """Exports, imports and the balance (exports - imports) with each partner.

    Returns:
        Long DataFrame: ``year``, ``partner``, ``label``, ``exports_usd_mn``,
        ``imports_usd_mn``, ``balance_usd_mn``.
    """
    kw = {"reporter": reporter, "membership": membership, "with_total": False}
    ex = partner_values(selected, partners, "exports", start_year, end_year, **kw)
    im = partner_values(selected, partners, "imports", start_year, end_year, **kw)
    out = ex[["year", "partner", "label"]].copy()
    out["exports_usd_mn"] = ex["value_usd_mn"].to_numpy()
    out["imports_usd_mn"] = im["value_usd_mn"].to_numpy()
    out["balance_usd_mn"] = out["exports_usd_mn"] - out["imports_usd_mn"]
    return out


# --- shocks ---------------------------------------------------------------------------


def shock_models(
    values: pd.DataFrame,
    partners: Sequence[str],
    breaks: Sequence[int],
    *,
    flow: str = "turnover",
    alpha: float = 0.05,
    min_segment: int = 3,
) -> tuple[dict[str, BreakTrendFit], dict[str, str]]:
    """Log-linear trend models with level/slope breaks of trade with each partner.

    Args:
        values: Output of :func:`partner_values` (use a fixed ``membership`` for groups, so
            the series has one composition).
        partners: Partner codes to model.
        breaks: Break years (breaks without enough data on both sides are dropped per model).
        flow: Flow name, only for the labels.
        alpha: 1 - confidence level.
        min_segment: Minimum years per segment.

    Returns:
        ``(fits, skipped)``: fitted models by partner, and for partners that could not be
        modelled the reason.
    """
    fits: dict[str, BreakTrendFit] = {}
    skipped: dict[str, str] = {}
    for p in partners:
        part = values[values["partner"] == p]
        name = partner_label(p)
        label = f"{flow.capitalize()} with {'the ' + name if is_group(p) else name}"
        if part.empty:
            skipped[p] = f"{label}: no rows for this partner"
            continue
        try:
            fits[p] = fit_break_trend(
                part["year"].to_numpy(),
                part["value_usd_mn"].to_numpy(),
                breaks,
                log=True,
                label=label,
                alpha=alpha,
                min_segment=min_segment,
            )
        except InsufficientDataError as exc:
            skipped[p] = str(exc)
    return fits, skipped


def shock_table(fits: Mapping[str, BreakTrendFit]) -> pd.DataFrame:
    """Coefficients of several fits with their effects in percent.

    Returns:
        DataFrame with ``partner``, ``term``, ``coef``, ``ci_low``, ``ci_high``,
        ``p_value``, and ``effect_pct``/``effect_ci_low_pct``/``effect_ci_high_pct``
        (``100·(exp(x)-1)``: annual growth for ``trend``, level shift for ``level_*``,
        growth change for ``slope_*``; empty for ``const``).
    """
    rows = []
    for p, fit in fits.items():
        for term, r in fit.coef.iterrows():
            pct = term != "const"
            rows.append(
                {
                    "partner": partner_label(p),
                    "term": term,
                    "coef": r["coef"],
                    "ci_low": r["ci_low"],
                    "ci_high": r["ci_high"],
                    "p_value": r["p_value"],
                    "effect_pct": pct_from_log(r["coef"]) if pct else math.nan,
                    "effect_ci_low_pct": pct_from_log(r["ci_low"]) if pct else math.nan,
                    "effect_ci_high_pct": pct_from_log(r["ci_high"]) if pct else math.nan,
                }
            )
    return pd.DataFrame(rows)


def break_tests_table(fits: Mapping[str, BreakTrendFit]) -> pd.DataFrame:
    """Joint break tests per fit: classic Chow F and HAC Wald F with p-values."""
    rows = []
    for p, fit in fits.items():
        rows.append(
            {
                "partner": partner_label(p),
                "years": f"{fit.data.index.min()}–{fit.data.index.max()}",
                "n": fit.nobs,
                "breaks": ", ".join(map(str, fit.breaks)) or "none",
                "chow_f": fit.chow.f_stat if fit.chow else math.nan,
                "chow_p": fit.chow.p_value if fit.chow else math.nan,
                "hac_wald_f": fit.wald.f_stat if fit.wald else math.nan,
                "hac_wald_p": fit.wald.p_value if fit.wald else math.nan,
                "r_squared": fit.r_squared,
            }
        )
    return pd.DataFrame(rows)


# --- EAEU launch ----------------------------------------------------------------------


def eaeu_launch(
    selected: pd.DataFrame,
    flow: str,
    *,
    reporter: str,
    base_year: int = 2014,
    years: Sequence[int] = (2015, 2016),
    group: str = "EAEU",
) -> pd.DataFrame:
    """Trade with each member of the Union in its first years against the year before.

    Members are the group's members at the end of ``years[0]`` (the reporter left out).

    Returns:
        Long DataFrame: ``partner``, ``label``, ``member_since``, ``year``,
        ``value_usd_mn``, ``share_pct`` (of the reporter's total), ``change_vs_base_pct``.
        Rows for each member, the members together (``partner`` = group) and the world.

    Raises:
        InsufficientDataError: if the base year or all later years lack the world total.
    """
    members = sorted(group_members(group, years[0], reporter))
    if not members:
        raise InsufficientDataError(f"{group} has no members other than {reporter} in {years[0]}")
    all_years = [base_year, *years]
    vals = partner_values(
        selected,
        [*members, group],
        flow,
        min(all_years),
        max(all_years),
        reporter=reporter,
        membership=years[0],
    )
    vals = vals[vals["year"].isin(all_years)]
    total = vals[vals["partner"] == WORLD].set_index("year")["value_usd_mn"]
    missing = [y for y in all_years if pd.isna(total.get(y))]
    if base_year in missing or len(missing) == len(years) + 1:
        raise InsufficientDataError(
            f"{reporter}: no {flow} totals for {', '.join(map(str, missing))}; the EAEU launch "
            "comparison needs the base year and at least one later year"
        )
    base = vals[vals["year"] == base_year].set_index("partner")["value_usd_mn"]
    out = vals.assign(
        change_vs_base_pct=100 * (vals["value_usd_mn"] / vals["partner"].map(base) - 1),
        member_since=vals["partner"].map(
            lambda c: member_since(group, c) if not is_group(c) else None
        ),
    )
    cols = ["partner", "label", "member_since", "year", "value_usd_mn", "share_pct"]
    return out[[*cols, "change_vs_base_pct"]].reset_index(drop=True)


# --- composition of trade with China --------------------------------------------------


def product_rows(
    curated: pd.DataFrame,
    country: str,
    partners: Sequence[str] = ("CHN",),
    *,
    years: tuple[int, int] | None = None,
    source: object | None = None,
) -> pd.DataFrame:
    """HS4 product rows of ``country``'s trade: the large BACI source if configured, else curated.

    The curated ``trade_products_hs4`` covers Kazakhstan with China and the world only.
    When a large BACI-shaped Parquet source is configured (:func:`kzanalysis.bigtrade.configure`
    or ``$KZANALYSIS_BACI_PARQUET``), the rows come from it instead, aggregated in DuckDB, for
    any reporter and the given partners; the product functions of this module accept both.

    Args:
        curated: ``trade_products_hs4`` as loaded.
        country: Reporter ISO3.
        partners: Partner ISO3 codes wanted from the large source.
        years: Inclusive year range for the large source (default: all).
        source: Overrides the configured large source (a path or ``BigTradeSource``).

    Returns:
        Rows in the shape of ``trade_products_hs4``; ``attrs["product_source"]`` is ``baci``
        (with ``attrs["baci_path"]``) or ``wits`` (the curated table, with its provenance).
    """
    from kzanalysis import bigtrade

    big = bigtrade.products_frame(country, list(partners), years=years, source=source)
    if big is not None:
        src = source if source is not None else bigtrade.configured_source()
        big.attrs = {"product_source": "baci", "baci_path": str(getattr(src, "path", src))}
        return big
    out = curated[curated["reporter_iso3"] == country.upper()].copy()
    out.attrs = {**curated.attrs, "product_source": "wits"}
    return out


def product_caption(products: pd.DataFrame, note: str = "") -> str:
    """ "Source: …" caption for rows from :func:`product_rows` (curated WITS or large BACI)."""
    if products.attrs.get("product_source") == "baci":
        text = (
            "Source: CEPII BACI (HS6 aggregated to HS4; large Parquet source "
            f"{products.attrs.get('baci_path', '')}, via kzanalysis.bigtrade)."
        )
        return text + (f" {note}" if note else "") + " Calculations: kzanalysis."
    return source_caption(products, ["wits"], note)


def _products_for(products: pd.DataFrame, partner: str, flow: str) -> pd.DataFrame:
    _require_columns(
        products,
        ["partner_iso3", "flow", "year", "product_code", "value_usd_mn", "incomplete_year"],
        "products",
    )
    part = products[(products["partner_iso3"] == partner) & (products["flow"] == flow)]
    if part.empty:
        raise InsufficientDataError(
            f"no HS4 product rows for partner {partner}, flow {flow}; the product table holds "
            f"{sorted(set(products['partner_iso3']))} × {sorted(set(products['flow']))}"
        )
    return part


def incomplete_years(products: pd.DataFrame) -> list[int]:
    """Years flagged ``incomplete_year`` in the product table (sums of lines are not totals)."""
    return sorted(
        int(y) for y in products.loc[products["incomplete_year"].astype(bool), "year"].unique()
    )


def product_year_summary(products: pd.DataFrame, partner: str, flow: str) -> pd.DataFrame:
    """Per year: number of HS4 lines, their sum, and the incomplete-year flag."""
    part = _products_for(products, partner, flow)
    out = part.groupby("year", sort=True).agg(
        n_lines=("product_code", "size"),
        lines_total_usd_mn=("value_usd_mn", "sum"),
        incomplete_year=("incomplete_year", "any"),
    )
    return out.reset_index()


def product_group_shares(
    products: pd.DataFrame,
    partner: str = "CHN",
    flow: str = "export",
    groups: Mapping[str, Sequence[str]] = HS_GROUPS,
) -> pd.DataFrame:
    """Value and share of HS chapter groups in the sum of product lines, per year.

    Shares in years flagged ``incomplete_year`` are computed but flagged: lines are
    missing there, so neither the values nor the shares are comparable with other years.

    Returns:
        Long DataFrame: ``year``, ``group``, ``value_usd_mn``, ``lines_total_usd_mn``,
        ``share_pct``, ``incomplete_year``.
    """
    part = _products_for(products, partner, flow)
    chapter = part["product_code"].str[:2]
    summary = product_year_summary(products, partner, flow).set_index("year")
    rows = []
    for name, chapters in groups.items():
        sums = part[chapter.isin(chapters)].groupby("year")["value_usd_mn"].sum()
        for year in summary.index:
            value = float(sums.get(year, 0.0))
            total = float(summary.loc[year, "lines_total_usd_mn"])
            rows.append(
                (
                    int(year),
                    name,
                    value,
                    total,
                    100 * value / total,
                    bool(summary.loc[year, "incomplete_year"]),
                )
            )
    cols = ["year", "group", "value_usd_mn", "lines_total_usd_mn", "share_pct", "incomplete_year"]
    return pd.DataFrame(rows, columns=cols)


def top_products(
    products: pd.DataFrame,
    partner: str = "CHN",
    flow: str = "export",
    years: Sequence[int] | None = None,
    n: int = 10,
    *,
    complete_only: bool = True,
) -> pd.DataFrame:
    """The ``n`` largest HS4 products by value summed over ``years``.

    Args:
        products: ``trade_products_hs4``.
        partner: ``CHN`` or ``WLD``.
        flow: ``export`` or ``import``.
        years: Years to sum (default: all).
        n: How many products.
        complete_only: Leave out years flagged ``incomplete_year``.

    Returns:
        DataFrame: ``rank``, ``product_code``, ``hs_chapter`` (title), ``value_usd_mn``,
        ``share_pct`` (of all lines in the same years), ``years_present``, ``years_used``.
    """
    part = _products_for(products, partner, flow)
    if years is not None:
        part = part[part["year"].isin(list(years))]
    if complete_only:
        part = part[~part["incomplete_year"].astype(bool)]
    if part.empty:
        raise InsufficientDataError(f"no product rows for {partner}/{flow} in the chosen years")
    used = sorted(int(y) for y in part["year"].unique())
    agg = part.groupby("product_code").agg(
        value_usd_mn=("value_usd_mn", "sum"), years_present=("year", "nunique")
    )
    total = float(agg["value_usd_mn"].sum())
    agg = agg.sort_values(["value_usd_mn"], ascending=False, kind="stable").head(n).reset_index()
    agg.insert(0, "rank", np.arange(1, len(agg) + 1))
    agg.insert(2, "hs_chapter", agg["product_code"].str[:2].map(HS_CHAPTERS).fillna("?"))
    agg["share_pct"] = 100 * agg["value_usd_mn"] / total
    agg["years_used"] = f"{used[0]}–{used[-1]} ({len(used)} years)"
    return agg[
        [
            "rank",
            "product_code",
            "hs_chapter",
            "value_usd_mn",
            "share_pct",
            "years_present",
            "years_used",
        ]
    ]


def product_growth(
    products: pd.DataFrame,
    code: str,
    start: int,
    end: int,
    *,
    partner: str = "CHN",
    flow: str = "export",
) -> dict[str, object]:
    """Growth of one HS4 product between two years.

    Returns:
        Dict with ``product_code``, ``start``, ``end``, ``value_start_usd_mn``,
        ``value_end_usd_mn``, ``growth_pct``, ``ratio`` and ``note`` (why a value is
        missing, or that a year is flagged incomplete). Missing lines are NaN, not zero.
    """
    part = _products_for(products, partner, flow)
    line = part[part["product_code"] == code].set_index("year")
    flagged = set(incomplete_years(part))
    vals = {}
    notes = []
    for y in (start, end):
        if y in line.index:
            vals[y] = float(line.loc[y, "value_usd_mn"])
        else:
            vals[y] = math.nan
            notes.append(
                f"HS {code} is absent in {y}"
                + (
                    " (an incomplete product year: absence does not mean zero)"
                    if y in flagged
                    else ""
                )
            )
        if y in flagged and y in line.index:
            notes.append(f"{y} is an incomplete product year")
    ratio = vals[end] / vals[start] if vals[start] else math.nan
    return {
        "product_code": code,
        "start": start,
        "end": end,
        "value_start_usd_mn": vals[start],
        "value_end_usd_mn": vals[end],
        "growth_pct": 100 * (ratio - 1) if not math.isnan(ratio) else math.nan,
        "ratio": ratio,
        "note": "; ".join(notes),
    }


# --- source reconciliation ------------------------------------------------------------


def source_comparison(
    flows: pd.DataFrame,
    partners: Sequence[str],
    flow: str,
    start_year: int,
    end_year: int,
    *,
    reporter: str,
    reference: str = "imf_dots",
) -> pd.DataFrame:
    """The same partner series from every source family, where two or more overlap.

    Returns:
        Wide DataFrame: ``year``, ``partner``, ``label``, one ``<family>_usd_mn`` column per
        family present, ``<family>_vs_<reference>_pct`` (100·(family/reference - 1)) and
        ``spread_pct`` (100·(largest/smallest - 1) across families).
        Only (year, partner) pairs with values from at least two families are kept.
    """
    fams = sorted(
        set(
            with_family(flows[flows["reporter_iso3"] == reporter])["source_family"]
            .unique()
            .tolist()
        )
    )
    parts = []
    for fam in fams:
        sel = select_flows(flows, reporter, (fam,))
        if sel.empty:
            continue
        vals = partner_values(
            sel, partners, flow, start_year, end_year, reporter=reporter, with_total=False
        )
        parts.append(vals.assign(source_family=fam))
    if not parts:
        return pd.DataFrame(columns=["year", "partner", "label"])
    long = pd.concat(parts, ignore_index=True)
    wide = long.pivot_table(
        index=["year", "partner", "label"], columns="source_family", values="value_usd_mn"
    )
    wide.columns = [f"{c}_usd_mn" for c in wide.columns]
    wide = wide[wide.notna().sum(axis=1) >= 2].reset_index()
    ref = f"{reference}_usd_mn"
    if ref in wide.columns:
        for col in [c for c in wide.columns if c.endswith("_usd_mn") and c != ref]:
            fam = col.removesuffix("_usd_mn")
            wide[f"{fam}_vs_{reference}_pct"] = 100 * (wide[col] / wide[ref] - 1)
    fam_cols = [c for c in wide.columns if c.endswith("_usd_mn")]
    lo, hi = wide[fam_cols].min(axis=1), wide[fam_cols].max(axis=1)
    wide["spread_pct"] = 100 * (hi / lo - 1)
    order = {p: i for i, p in enumerate(partners)}
    wide = wide.sort_values(
        ["partner", "year"], key=lambda s: s.map(order) if s.name == "partner" else s
    )
    return wide.reset_index(drop=True)


def mirror_flows(
    flows: pd.DataFrame,
    partner: str,
    start_year: int,
    end_year: int,
    *,
    reporter: str,
) -> pd.DataFrame:
    """Reporter's own figures against the partner's mirror figures (IMF DOTS, both sides).

    ``exports``: reporter's exports to the partner (FOB) vs the partner's imports from the
    reporter (CIF); ``imports``: reporter's imports from the partner vs the partner's
    exports to the reporter.

    Returns:
        DataFrame: ``year``, ``direction``, ``reported_usd_mn``, ``mirror_usd_mn``,
        ``gap_usd_mn`` (mirror - reported), ``gap_pct`` (relative to reported); only years
        where both sides exist.

    Raises:
        InsufficientDataError: if the partner does not report in DOTS.
    """
    dots = flows[(flows["source"] == "imf_dots")]
    dots = dots[dots["year"].between(start_year, end_year)]
    if not (dots["reporter_iso3"] == partner).any():
        raise InsufficientDataError(
            f"{partner} does not report in the IMF DOTS extract, so there is no mirror side; "
            f"DOTS reporters here: {sorted(set(dots['reporter_iso3']))}"
        )
    own = dots[(dots["reporter_iso3"] == reporter) & (dots["partner_code"] == partner)]
    mirror = dots[(dots["reporter_iso3"] == partner) & (dots["partner_code"] == reporter)]
    rows = []
    for direction, own_flow, mirror_flow in (
        ("exports", "export", "import"),
        ("imports", "import", "export"),
    ):
        a = own[own["flow"] == own_flow].set_index("year")["value_usd_mn"]
        b = mirror[mirror["flow"] == mirror_flow].set_index("year")["value_usd_mn"]
        both = pd.concat({"reported_usd_mn": a, "mirror_usd_mn": b}, axis=1).dropna()
        both = both.reset_index().assign(direction=direction)
        rows.append(both)
    out = pd.concat(rows, ignore_index=True)
    out["gap_usd_mn"] = out["mirror_usd_mn"] - out["reported_usd_mn"]
    out["gap_pct"] = 100 * out["gap_usd_mn"] / out["reported_usd_mn"]
    out = out[["year", "direction", "reported_usd_mn", "mirror_usd_mn", "gap_usd_mn", "gap_pct"]]
    return out.sort_values(["direction", "year"]).reset_index(drop=True)


def gap_summary(frame: pd.DataFrame, column: str, by: Sequence[str]) -> pd.DataFrame:
    """Median and largest absolute value of a percent-gap column, with the years, per group."""
    rows = []
    for key, part in frame.dropna(subset=[column]).groupby(list(by), sort=False):
        key = key if isinstance(key, tuple) else (key,)
        rows.append(
            {
                **dict(zip(by, key, strict=True)),
                "years": f"{int(part['year'].min())}–{int(part['year'].max())}",
                "n_years": len(part),
                "median_gap_pct": float(part[column].median()),
                "max_abs_gap_pct": float(part[column].abs().max()),
            }
        )
    return pd.DataFrame(rows)


def estimate_share(selected: pd.DataFrame, start_year: int, end_year: int) -> float:
    """Percent of the selected rows in the period that the IMF flagged as estimates."""
    part = selected[selected["year"].between(start_year, end_year)]
    if part.empty or "estimate_flag" not in part.columns:
        return math.nan
    return float(100 * part["estimate_flag"].fillna(False).astype(bool).mean())
