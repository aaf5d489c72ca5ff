"""Energy exports chapter (issue #5): production, reserves, pipelines, crude routes, money.

The thesis argues that energy binds Kazakhstan to both powers: to Russia through transit
and refining, to China through the Kazakhstan–China oil pipeline, Central Asia–China gas
line C and growing exports, while Russia itself turns to China (Power of Siberia). The
functions here turn the curated tables into the chapter's analyses (frames and numbers);
:mod:`kzanalysis.analysis.energy_report` turns those into the report's tables, figures and
sentences, which ``notebooks/02_energy_exports.ipynb`` displays.

Tables used (see ``kzanalysis.specs.energy`` for their columns and caveats):
``energy_series``, ``energy_gas_pipeline_flows``, ``energy_crude_interarea_flows``,
``brent_annual`` and ``trade_products_hs4``.

Rules kept throughout:
    * One Statistical Review edition per analysis (``edition`` argument); the pipeline and
      inter-area matrices exist for one data year per edition, so those tables necessarily
      combine editions and say so in their ``edition`` column.
    * Ranks count ``entity_kind == "country"`` rows only (areas such as "Other CIS",
      subtotals such as "CIS" and the World total are excluded).
    * Units: the Review's published series are used as they are; a series is converted only
      with the Review's approximate conversion factors listed below, and every converted
      value is marked in a ``*_method`` column.

Approximate conversion factors (Energy Institute, *Statistical Review of World Energy*,
"Approximate conversion factors" page, and the Review's definitions):
    * Natural gas: 1 billion cubic metres (bcm, standardised to 40 MJ/m³ gross calorific
      value) = 0.036 EJ (36 PJ, net calorific basis). The curated tables reproduce this
      ratio exactly for every country (gas production and consumption in bcm and EJ).
    * Oil: 1 tonne of oil equivalent (toe) = 41.868 GJ, so 1 Mt of oil ≈ 1 Mtoe = 0.041868
      EJ (crude oil's calorific value is close to 1 toe per tonne).
    * Crude oil: 1 tonne ≈ 7.33 barrels, so 1 thousand barrels per day (kb/d) ≈
      365 × 1000 / 7.33 / 10⁶ = 0.0498 Mt per year ("barrels per day to tonnes per year:
      multiply by 49.8"). The true factor depends on the crude's density: the Review's own
      Mt and kb/d production series give 0.046–0.050 Mt/yr per kb/d for the CIS countries.
    * Coal: calorific values differ by coal type and country (0.012–0.021 EJ/Mt in the
      data), so coal is never converted between Mt and EJ.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kzanalysis import countries
from kzanalysis.analysis._checks import require_columns as _require_columns
from kzanalysis.errors import UnknownCodeError
from kzanalysis.specs.energy import (
    EDITIONS,
    FOCUS_ISO3,
    RANK_FROM_YEAR,
    SERIES,
    UNIT_COLUMNS,
)
from kzanalysis.stats import InsufficientDataError, coef_table, newey_west_lags, ols_hac

__all__ = [
    "BARRELS_PER_TONNE_CRUDE",
    "GAS_EJ_PER_BCM",
    "MT_PER_YEAR_PER_KBD",
    "OIL_EJ_PER_MT",
    "POWER_OF_SIBERIA_CONTRACT_BCM",
    "Elasticity",
    "RankResult",
    "bcm_to_ej",
    "brent_elasticity",
    "cagr",
    "china_pipeline_imports",
    "china_share_of_exports",
    "coal_shares",
    "contract_progress",
    "convert",
    "country_rank",
    "crude_by_region",
    "crude_destinations",
    "crude_into",
    "describe_elasticity",
    "edition_revisions",
    "europe_vs_china",
    "fuel_balance",
    "growth_table",
    "has_product_data",
    "hs_exports",
    "kbd_to_mt_per_year",
    "label",
    "last_year_at_or_above",
    "missing_sentences",
    "mt_oil_to_ej",
    "pair_matrix",
    "pipeline_pairs",
    "rank_countries",
    "reserves_table",
    "select_series",
    "series_in_unit",
]

# --------------------------------------------------------------------------------------
# Constants
# --------------------------------------------------------------------------------------

#: EJ per bcm of natural gas (Review: 1 bcm at 40 MJ/m³ GCV = 36 PJ).
GAS_EJ_PER_BCM = 0.036
#: EJ per Mt of oil (1 Mt ≈ 1 Mtoe; 1 toe = 41.868 GJ).
OIL_EJ_PER_MT = 0.041868
#: Barrels per tonne of crude oil (Review's approximate average).
BARRELS_PER_TONNE_CRUDE = 7.33
#: Days per year used to turn daily rates into annual volumes.
DAYS_PER_YEAR = 365
#: Mt per year for one kb/d of crude: 365 × 1000 bbl / 7.33 bbl/t / 10⁶ t/Mt ≈ 0.0498.
MT_PER_YEAR_PER_KBD = DAYS_PER_YEAR * 1000 / BARRELS_PER_TONNE_CRUDE / 1e6

#: Power of Siberia 1: the May 2014 Gazprom–CNPC 30-year contract provides for up to
#: 38 bcm per year at plateau (the thesis: "up to 38 bcm per year by 2025"). Not in the data.
POWER_OF_SIBERIA_CONTRACT_BCM = 38.0

FUELS: tuple[str, ...] = ("oil", "gas", "coal")

#: Unit code → label for tables and axes.
UNIT_LABELS: dict[str, str] = {
    "ej": "EJ",
    "bcm": "bcm",
    "mt": "Mt",
    "kbd": "kb/d",
    "twh": "TWh",
    "bn_bbl": "bn bbl",
    "tcm": "tcm",
}

#: Documented conversions (fuel, from unit, to unit) → multiplicative factor.
CONVERSIONS: dict[tuple[str, str, str], float] = {
    ("gas", "bcm", "ej"): GAS_EJ_PER_BCM,
    ("gas", "ej", "bcm"): 1 / GAS_EJ_PER_BCM,
    ("oil", "mt", "ej"): OIL_EJ_PER_MT,
    ("oil", "kbd", "mt"): MT_PER_YEAR_PER_KBD,
    ("oil", "mt", "kbd"): 1 / MT_PER_YEAR_PER_KBD,
}

#: Variables that keep every country from RANK_FROM_YEAR on (world ranks are complete).
WORLD_RANK_VARIABLES: frozenset[str] = frozenset(s.variable for s in SERIES if s.all_countries)

#: Display names for codes that are not (or not nicely) country names.
_LABELS: dict[str, str] = {
    "RUS": "Russia",
    "WLD": "World",
    "CIS": "CIS",
    "CIS_OTHER": "Other CIS",
    "USSR": "USSR",
    "REG_EUROPE": "Europe",
    "REG_AFRICA": "Africa",
    "REG_MIDDLE_EAST": "Middle East",
    "REG_S_CENT_AMERICA": "S. & Cent. America",
    "REG_ASIA_PACIFIC": "Asia Pacific",
    "OTHER_ASIA_PACIFIC": "Other Asia Pacific",
    "AREA_AUSTRALASIA": "Australasia",
    "USA": "US",
    "TOTAL": "Total",
}

#: Default pipeline pairs of the chapter (exporter, importer).
PIPELINE_PAIRS: tuple[tuple[str, str], ...] = (
    ("KAZ", "CHN"),
    ("TKM", "CHN"),
    ("UZB", "CHN"),
    ("RUS", "CHN"),
    ("RUS", "KAZ"),
    ("KAZ", "RUS"),
    ("TKM", "RUS"),
    ("TKM", "KAZ"),
    ("UZB", "KAZ"),
)

#: Crude exporter in the inter-area matrix for each chapter country (areas, not countries:
#: Kazakh, Turkmen and Uzbek crude is inside "Other CIS", with Azerbaijan's).
CRUDE_EXPORTER: dict[str, str] = {
    "KAZ": "CIS_OTHER",
    "TKM": "CIS_OTHER",
    "UZB": "CIS_OTHER",
    "RUS": "RUS",
}

#: Destination region of each importer code in the crude inter-area matrix.
CRUDE_REGIONS: dict[str, str] = {
    "REG_EUROPE": "Europe",
    "CHN": "China",
    "IND": "Other Asia Pacific",
    "JPN": "Other Asia Pacific",
    "SGP": "Other Asia Pacific",
    "OTHER_ASIA_PACIFIC": "Other Asia Pacific",
    "AREA_AUSTRALASIA": "Other Asia Pacific",
    "USA": "Americas",
    "CAN": "Americas",
    "MEX": "Americas",
    "REG_S_CENT_AMERICA": "Americas",
    "REG_MIDDLE_EAST": "Middle East & Africa",
    "REG_AFRICA": "Middle East & Africa",
    "RUS": "Russia & other CIS",
    "CIS_OTHER": "Russia & other CIS",
}
CRUDE_REGION_ORDER: tuple[str, ...] = (
    "Europe",
    "China",
    "Other Asia Pacific",
    "Americas",
    "Middle East & Africa",
    "Russia & other CIS",
    "Unassigned",
)

#: The HS 4-digit lines of the "exports to China in money" analysis.
HS_PRODUCTS: dict[str, str] = {
    "2709": "crude oil (HS 2709)",
    "2711": "petroleum gases incl. natural gas (HS 2711)",
}


# --------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------


def label(code: str) -> str:
    """Short display name of a country or aggregate code (``RUS`` → ``Russia``)."""
    if code in _LABELS:
        return _LABELS[code]
    try:
        return countries.name(code)
    except (UnknownCodeError, KeyError, LookupError):
        return code


def _display_names(frame: pd.DataFrame, side: str) -> pd.Series:
    """Names for a flow table's ``exporter``/``importer`` side: short names for countries and
    known codes, the published label for other areas (e.g. "West Africa")."""
    codes = frame[f"{side}_code"]
    published = frame.get(side, codes)
    return pd.Series(
        [
            label(c) if c in _LABELS or len(c) == 3 else str(p)
            for c, p in zip(codes, published, strict=True)
        ],
        index=frame.index,
    )


def _check_edition(frame: pd.DataFrame, edition: str, what: str) -> None:
    editions = sorted(frame["edition"].dropna().unique().tolist())  # not set(): 3 M-row column
    if edition not in editions:
        raise UnknownCodeError(
            f"{what}: edition {edition!r} is not in the table; editions present: {editions}"
        )


def cagr(first: float, last: float, years: float) -> float:
    """Compound annual growth rate in percent: ``100 · ((last / first)^(1/years) − 1)``.

    Args:
        first: Value at the start (> 0).
        last: Value at the end (> 0).
        years: Number of years between the two values (> 0).

    Raises:
        ValueError: if a value is not positive or ``years`` is not positive.

    Example:
        >>> round(cagr(100.0, 121.0, 2), 6)
        10.0
    """
    if years <= 0:
        raise ValueError(f"cagr: years must be positive, got {years}")
    if not (first > 0 and last > 0):
        raise ValueError(
            f"cagr: both values must be positive (got first={first}, last={last}); "
            "a growth rate is not defined through zero or negative values"
        )
    return 100.0 * ((last / first) ** (1.0 / years) - 1.0)


def bcm_to_ej(bcm: float) -> float:
    """Natural gas bcm (40 MJ/m³ GCV) → EJ with the Review's factor 0.036 EJ/bcm."""
    return bcm * GAS_EJ_PER_BCM


def mt_oil_to_ej(mt: float) -> float:
    """Oil Mt → EJ with 1 Mt ≈ 1 Mtoe = 0.041868 EJ."""
    return mt * OIL_EJ_PER_MT


def kbd_to_mt_per_year(kbd: float) -> float:
    """Crude oil kb/d → Mt per year with 7.33 bbl/t and 365 days (≈ × 0.0498)."""
    return kbd * MT_PER_YEAR_PER_KBD


def convert(value: float, fuel: str, from_unit: str, to_unit: str) -> float:
    """Convert ``value`` between unit codes with a documented factor (see :data:`CONVERSIONS`).

    Raises:
        ValueError: if no documented factor exists for that fuel and pair of units.
    """
    if from_unit == to_unit:
        return value
    key = (fuel, from_unit, to_unit)
    if key not in CONVERSIONS:
        allowed = ", ".join(f"{f} {a}→{b}" for f, a, b in CONVERSIONS)
        raise ValueError(
            f"no documented conversion for {fuel} {from_unit}→{to_unit}; allowed: {allowed}"
        )
    return value * CONVERSIONS[key]


def edition_source_id(edition: str) -> str:
    """Source id of a Statistical Review edition (e.g. ``"2024"`` → ``"ei_sr_2024"``)."""
    if edition not in EDITIONS:
        raise UnknownCodeError(f"edition {edition!r} unknown; use one of {sorted(EDITIONS)}")
    return EDITIONS[edition].id


# --------------------------------------------------------------------------------------
# 1. Production and consumption
# --------------------------------------------------------------------------------------


def select_series(
    series: pd.DataFrame,
    edition: str,
    variable: str,
    unit: str,
    entities: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Rows of one edition, variable and unit, with the value in a column named by the unit.

    Returns:
        ``entity_code``, ``entity``, ``entity_kind``, ``year`` and ``value_<unit>``
        (e.g. ``value_bcm``); empty if the edition does not publish that series.

    Raises:
        UnknownCodeError: for an edition not in the table or an unknown unit code.
    """
    _require_columns(series, ["edition", "variable", "unit", "entity_code", "year"], "series")
    _check_edition(series, edition, "select_series")
    if unit not in UNIT_COLUMNS:
        raise UnknownCodeError(f"unit {unit!r} unknown; use one of {list(UNIT_COLUMNS)}")
    col = UNIT_COLUMNS[unit]
    mask = (
        (series["edition"] == edition) & (series["variable"] == variable) & (series["unit"] == unit)
    )
    if entities is not None:
        mask &= series["entity_code"].isin(list(entities))
    out = series.loc[mask, ["entity_code", "entity", "entity_kind", "year", col]]
    return out.dropna(subset=[col]).sort_values(["entity_code", "year"]).reset_index(drop=True)


def series_in_unit(
    series: pd.DataFrame,
    edition: str,
    variable: str,
    fuel: str,
    unit: str,
    entities: Iterable[str] | None = None,
) -> tuple[pd.DataFrame, str]:
    """A variable in ``unit``: the published series if there is one, else a documented conversion.

    Args:
        series: ``energy_series``.
        edition: Statistical Review edition.
        variable: e.g. ``oil_production``.
        fuel: ``oil``, ``gas`` or ``coal`` (selects the conversion factors).
        unit: Target unit code (``ej``, ``bcm``, ``mt``, ``kbd``).
        entities: Entity codes to keep (None: all).

    Returns:
        ``(frame, method)``: frame with ``entity_code``, ``year``, ``value``; method is
        ``"published"``, ``"converted from <unit> × <factor>"`` or ``"not available: …"``
        (then the frame is empty).
    """
    ents = None if entities is None else list(entities)
    published = select_series(series, edition, variable, unit, ents)
    empty = pd.DataFrame({"entity_code": pd.Series(dtype=str), "year": [], "value": []})
    if not published.empty:
        out = published.rename(columns={UNIT_COLUMNS[unit]: "value"})
        return out[["entity_code", "year", "value"]], "published"
    have = sorted(
        set(series.loc[(series["edition"] == edition) & (series["variable"] == variable), "unit"])
    )
    for src in have:
        factor = CONVERSIONS.get((fuel, src, unit))
        if factor is None:
            continue
        base = select_series(series, edition, variable, src, ents)
        if base.empty:
            continue
        out = base.rename(columns={UNIT_COLUMNS[src]: "value"})
        out["value"] = out["value"] * factor
        return out[["entity_code", "year", "value"]], (
            f"converted from {UNIT_LABELS[src]} × {factor:.6g}"
        )
    what = variable.replace("_", " ")
    if not have:
        return empty, f"not available: edition {edition} has no {what} series"
    return empty, (
        f"not available: {what} is published in {' and '.join(UNIT_LABELS[u] for u in have)} "
        f"only, and no documented factor converts it to {UNIT_LABELS[unit]}"
    )


def fuel_balance(
    series: pd.DataFrame,
    edition: str,
    entities: Sequence[str],
    unit: str,
    start_year: int,
    end_year: int,
    fuels: Sequence[str] = FUELS,
) -> pd.DataFrame:
    """Production, consumption and export surplus (production − consumption) in one unit.

    The surplus is an approximation of net exports: it ignores stock changes, and oil
    production includes NGLs while consumption includes refinery gains and biofuels.

    Args:
        series: ``energy_series``.
        edition: Statistical Review edition.
        entities: ISO3 codes to include.
        unit: Unit code (``ej``, ``bcm``, ``mt``, ``kbd``).
        start_year: First year.
        end_year: Last year.
        fuels: Fuels to include.

    Returns:
        Long frame: ``entity_code``, ``fuel``, ``year``, ``production_<unit>``,
        ``consumption_<unit>``, ``surplus_<unit>``, ``production_method``,
        ``consumption_method``. Only (entity, fuel, year) with at least one value.
    """
    frames = []
    all_methods: dict[str, dict[str, str]] = {}
    for fuel in fuels:
        parts = {}
        methods = {}
        for what in ("production", "consumption"):
            frame, method = series_in_unit(series, edition, f"{fuel}_{what}", fuel, unit, entities)
            parts[what] = frame.rename(columns={"value": f"{what}_{unit}"})
            methods[what] = method
        all_methods[fuel] = methods
        merged = parts["production"].merge(
            parts["consumption"], on=["entity_code", "year"], how="outer"
        )
        merged = merged[merged["year"].between(start_year, end_year)]
        if merged.empty:
            continue
        merged.insert(1, "fuel", fuel)
        merged[f"surplus_{unit}"] = merged[f"production_{unit}"] - merged[f"consumption_{unit}"]
        merged["production_method"] = methods["production"]
        merged["consumption_method"] = methods["consumption"]
        frames.append(merged)
    cols = [
        "entity_code",
        "fuel",
        "year",
        f"production_{unit}",
        f"consumption_{unit}",
        f"surplus_{unit}",
        "production_method",
        "consumption_method",
    ]
    if not frames:
        out = pd.DataFrame(columns=cols)
    else:
        out = pd.concat(frames, ignore_index=True)[cols]
        order = {e: i for i, e in enumerate(entities)}
        out["_o"] = out["entity_code"].map(order)
        out["_f"] = out["fuel"].map({f: i for i, f in enumerate(fuels)})
        out = out.sort_values(["_o", "_f", "year"]).drop(columns=["_o", "_f"])
        out = out.reset_index(drop=True)
    out.attrs["methods"] = all_methods
    out.attrs["unit"] = unit
    out.attrs["edition"] = edition
    out.attrs["years"] = (start_year, end_year)
    return out


def missing_sentences(balance: pd.DataFrame, entities: Sequence[str]) -> list[str]:
    """Sentences for the gaps of a :func:`fuel_balance` result (never an error).

    A fuel that the unit does not apply to (e.g. coal in bcm) gets one sentence; a series
    missing for one country (e.g. no coal production for Turkmenistan) gets one sentence
    per country and measure.

    Args:
        balance: :func:`fuel_balance` output (its ``attrs`` carry the methods and unit).
        entities: Entity codes that were asked for.
    """
    methods: dict[str, dict[str, str]] = balance.attrs.get("methods", {})
    unit = balance.attrs.get("unit", "")
    edition = balance.attrs.get("edition", "")
    y0, y1 = balance.attrs.get("years", (None, None))
    out = []
    for fuel, by_what in methods.items():
        for what, method in by_what.items():
            if method.startswith("not available"):
                reason = method.removeprefix("not available: ")
                out.append(f"{fuel.capitalize()} {what} is not shown: {reason}.")
                continue
            col = f"{what}_{unit}"
            for ent in entities:
                rows = balance[(balance["entity_code"] == ent) & (balance["fuel"] == fuel)]
                if rows.empty or col not in rows or rows[col].isna().all():
                    out.append(
                        f"No {fuel} {what} for {label(ent)} in the {edition} edition "
                        f"({y0}–{y1}): the Statistical Review does not publish that series for "
                        f"{label(ent)}."
                    )
    return out


# --------------------------------------------------------------------------------------
# 2. Reserves and rank
# --------------------------------------------------------------------------------------


def rank_countries(frame: pd.DataFrame, value_col: str) -> pd.DataFrame:
    """Rank countries by ``value_col`` (1 = largest), excluding areas, subtotals and totals.

    Ties share the best rank (``method="min"``); missing values are not ranked.

    Args:
        frame: Rows of one year with ``entity_code``, ``entity_kind`` and ``value_col``.
        value_col: Column to rank.

    Returns:
        Countries only, sorted by rank, with a ``rank`` column (int).

    Raises:
        ValueError: if ``frame`` holds more than one year.
    """
    _require_columns(frame, ["entity_code", "entity_kind", value_col], "rank_countries")
    if "year" in frame and frame["year"].nunique() > 1:
        raise ValueError(
            f"rank_countries: frame holds years {sorted(frame['year'].unique())}; "
            "filter it to one year first"
        )
    out = frame[(frame["entity_kind"] == "country") & frame[value_col].notna()].copy()
    if "variable" in out and "unit" in out:
        dup = out.duplicated(["entity_code"], keep=False)
        if dup.any():
            raise ValueError("rank_countries: an entity appears twice; select one variable/unit")
    out["rank"] = out[value_col].rank(ascending=False, method="min").astype(int)
    return out.sort_values(["rank", "entity_code"]).reset_index(drop=True)


@dataclass(frozen=True)
class RankResult:
    """A country's world and CIS rank for one series and year.

    Attributes:
        entity_code: ISO3 of the country.
        variable: Series ranked (e.g. ``oil_reserves``).
        unit: Unit code of the value.
        year: Data year.
        value: The country's value (None if absent).
        world_rank: Rank among all countries with a value (None if absent).
        world_n: Number of countries ranked.
        world_complete: True if the table keeps every country for this series and year
            (otherwise the "world" rank is only among the focus countries kept).
        cis_rank: Rank among CIS members (associates included) with a value.
        cis_n: Number of CIS members ranked.
        cis_missing: CIS members without a value (not itemised by the Review, or outside
            the curated scope).
        cis_complete: False if a missing CIS member is outside the curated scope for this
            series (e.g. Azerbaijan for gas reserves), so the CIS rank could be too good.
    """

    entity_code: str
    variable: str
    unit: str
    year: int
    value: float | None
    world_rank: int | None
    world_n: int
    world_complete: bool
    cis_rank: int | None
    cis_n: int
    cis_missing: tuple[str, ...]
    cis_complete: bool


def country_rank(
    series: pd.DataFrame,
    edition: str,
    variable: str,
    unit: str,
    country: str,
    year: int | None = None,
) -> RankResult:
    """World and CIS rank of ``country`` in one series of one edition.

    CIS membership comes from :func:`kzanalysis.countries.members` for the year, with
    associates (Turkmenistan) included, so Turkmenistan can be ranked within the CIS.

    Args:
        series: ``energy_series``.
        edition: Statistical Review edition.
        variable: Series (``oil_reserves``, ``gas_reserves``, ``oil_production`` …).
        unit: Unit code.
        country: ISO3 code.
        year: Data year; None = the latest year in which the country has a value.

    Raises:
        InsufficientDataError: if the series has no value for the country at all.
    """
    sel = select_series(series, edition, variable, unit)
    col = UNIT_COLUMNS[unit]
    own = sel[sel["entity_code"] == country]
    if own.empty:
        raise InsufficientDataError(
            f"{label(country)} has no {variable} ({UNIT_LABELS[unit]}) in edition {edition}"
        )
    yr = int(own["year"].max()) if year is None else int(year)
    year_rows = sel[sel["year"] == yr]
    world = rank_countries(year_rows, col)
    w = world[world["entity_code"] == country]
    cis = set(countries.members("CIS", yr, include_associates=True))
    in_cis = world[world["entity_code"].isin(cis)]
    cis_ranked = rank_countries(in_cis, col) if not in_cis.empty else in_cis.assign(rank=[])
    c = cis_ranked[cis_ranked["entity_code"] == country]
    world_complete = variable in WORLD_RANK_VARIABLES and yr >= RANK_FROM_YEAR
    missing = tuple(sorted(cis - set(in_cis["entity_code"])))
    # focus countries are kept for every series, so a missing focus member is simply not
    # itemised by the Review; a missing non-focus member may be outside the curated scope
    cis_complete = world_complete or not (set(missing) - FOCUS_ISO3)
    return RankResult(
        entity_code=country,
        variable=variable,
        unit=unit,
        year=yr,
        value=None if w.empty else float(w[col].iloc[0]),
        world_rank=None if w.empty else int(w["rank"].iloc[0]),
        world_n=len(world),
        world_complete=world_complete,
        cis_rank=None if c.empty else int(c["rank"].iloc[0]),
        cis_n=len(cis_ranked),
        cis_missing=missing,
        cis_complete=cis_complete,
    )


def reserves_table(
    series: pd.DataFrame, edition: str, entities: Sequence[str], year: int | None = None
) -> pd.DataFrame:
    """Proved oil (bn bbl) and gas (tcm) reserves of ``entities`` in one year.

    Args:
        year: Data year (end of year); None = latest year with oil reserves (the Review
            froze reserves at end-2020 from the 2022 edition on).

    Returns:
        ``entity_code``, ``country``, ``year``, ``oil_reserves_bn_bbl``,
        ``gas_reserves_tcm``.
    """
    oil = select_series(series, edition, "oil_reserves", "bn_bbl", entities)
    gas = select_series(series, edition, "gas_reserves", "tcm", entities)
    yr = int(oil["year"].max()) if year is None and not oil.empty else year
    if yr is None:
        raise InsufficientDataError(f"edition {edition} has no oil reserves for {entities}")
    out = pd.DataFrame({"entity_code": list(entities)})
    out["country"] = out["entity_code"].map(label)
    out["year"] = yr
    out = out.merge(
        oil[oil["year"] == yr][["entity_code", "value_bn_bbl"]], on="entity_code", how="left"
    ).merge(gas[gas["year"] == yr][["entity_code", "value_tcm"]], on="entity_code", how="left")
    return out.rename(
        columns={"value_bn_bbl": "oil_reserves_bn_bbl", "value_tcm": "gas_reserves_tcm"}
    )


# --------------------------------------------------------------------------------------
# 3. Pipeline gas flows
# --------------------------------------------------------------------------------------


def pipeline_pairs(
    flows: pd.DataFrame, pairs: Sequence[tuple[str, str]] = PIPELINE_PAIRS
) -> pd.DataFrame:
    """Pipeline gas flow of each (exporter, importer) pair in every bundled matrix.

    A matrix omits zero cells, so an absent cell is 0 bcm when both the exporter (as a
    row) and the importer (as a column) appear in that matrix; if either is not in the
    matrix at all (e.g. no Russia column in the EI 2026 extraction) the flow is unknown
    (NaN) and ``status`` says so.

    Returns:
        ``edition``, ``year``, ``exporter_code``, ``importer_code``, ``pair``, ``flow_bcm``,
        ``status`` (``reported``, ``no cell (zero)``, ``not in matrix``).
    """
    _require_columns(
        flows, ["edition", "year", "exporter_code", "importer_code", "flow_bcm"], "flows"
    )
    records = []
    for (edition, year), m in flows.groupby(["edition", "year"], sort=True):
        rows = set(m["exporter_code"])
        cols = set(m["importer_code"])
        cells = m.set_index(["exporter_code", "importer_code"])["flow_bcm"]
        for ex, im in pairs:
            if (ex, im) in cells.index:
                value, status = float(cells.loc[(ex, im)]), "reported"
            elif ex in rows and im in cols:
                value, status = 0.0, "no cell (zero)"
            else:
                value, status = math.nan, "not in matrix"
            records.append(
                {
                    "edition": edition,
                    "year": int(year),
                    "exporter_code": ex,
                    "importer_code": im,
                    "pair": f"{label(ex)} → {label(im)}",
                    "flow_bcm": value,
                    "status": status,
                }
            )
    return pd.DataFrame.from_records(records).sort_values(["year", "pair"], ignore_index=True)


def pair_matrix(pairs: pd.DataFrame) -> pd.DataFrame:
    """Pivot :func:`pipeline_pairs` output: one row per pair, one column per year (bcm)."""
    order = list(dict.fromkeys(pairs.sort_values(["exporter_code", "importer_code"])["pair"]))
    wide = pairs.pivot(index="pair", columns="year", values="flow_bcm")
    wide = wide.reindex(order)
    wide.columns = [int(c) for c in wide.columns]
    wide.index.name = "pair (bcm)"
    return wide


def contract_progress(
    pairs: pd.DataFrame,
    exporter: str = "RUS",
    importer: str = "CHN",
    contract_bcm: float = POWER_OF_SIBERIA_CONTRACT_BCM,
) -> pd.DataFrame:
    """Flow of one pair against a contract volume, with growth between matrix years.

    Growth between two bundled matrices that are more than one year apart (2023 → 2025) is
    annualised (CAGR over the gap).

    Returns:
        ``year``, ``edition``, ``flow_bcm``, ``pct_of_contract``, ``years_since_previous``,
        ``growth_pct_per_year``.
    """
    sel = pairs[(pairs["exporter_code"] == exporter) & (pairs["importer_code"] == importer)]
    sel = sel.dropna(subset=["flow_bcm"]).sort_values("year")
    out = sel[["year", "edition", "flow_bcm"]].reset_index(drop=True)
    out["pct_of_contract"] = 100.0 * out["flow_bcm"] / contract_bcm
    gap = out["year"].diff()
    prev = out["flow_bcm"].shift()
    growth = [
        cagr(p, v, g) if g == g and p > 0 and v > 0 else math.nan
        for p, v, g in zip(prev, out["flow_bcm"], gap, strict=True)
    ]
    out["years_since_previous"] = gap.astype("Int64")
    out["growth_pct_per_year"] = growth
    return out


def china_pipeline_imports(flows: pd.DataFrame) -> pd.DataFrame:
    """China's pipeline gas imports by exporting country and their shares of the total.

    Returns:
        ``edition``, ``year``, ``exporter_code``, ``exporter``, ``flow_bcm``, ``share_pct``
        (of China's total pipeline imports, the matrix's ``TOTAL`` row).
    """
    into = flows[flows["importer_code"] == "CHN"]
    total = into[into["exporter_code"] == "TOTAL"].set_index("year")["flow_bcm"]
    out = into[into["exporter_kind"] == "country"][
        ["edition", "year", "exporter_code", "flow_bcm"]
    ].copy()
    out["exporter"] = out["exporter_code"].map(label)
    out["share_pct"] = 100.0 * out["flow_bcm"] / out["year"].map(total)
    cols = ["edition", "year", "exporter_code", "exporter", "flow_bcm", "share_pct"]
    return out[cols].sort_values(["year", "flow_bcm"], ascending=[True, False], ignore_index=True)


# --------------------------------------------------------------------------------------
# 4. Crude flows out of Central Asia
# --------------------------------------------------------------------------------------


def crude_destinations(crude: pd.DataFrame, exporter_code: str) -> pd.DataFrame:
    """Crude exports of one exporting area by importing area, with shares of its total.

    Args:
        crude: ``energy_crude_interarea_flows``.
        exporter_code: e.g. ``CIS_OTHER`` (Kazakhstan, Azerbaijan, Turkmenistan …) or ``RUS``.

    Returns:
        ``edition``, ``year``, ``importer_code``, ``importer``, ``flow_mt``, ``total_mt``
        (the exporter's ``TOTAL`` cell; the sum of its cells where the matrix has no total)
        and ``share_pct`` (``flow_mt`` as % of ``total_mt``).
    """
    _require_columns(
        crude, ["edition", "year", "exporter_code", "importer_code", "flow_mt"], "crude"
    )
    sel = crude[crude["exporter_code"] == exporter_code]
    if sel.empty:
        raise InsufficientDataError(
            f"no crude exports from {exporter_code!r} in the inter-area matrix; exporters: "
            f"{sorted(set(crude['exporter_code']))}"
        )
    parts = sel[sel["importer_code"] != "TOTAL"].copy()
    total = sel[sel["importer_code"] == "TOTAL"].set_index("year")["flow_mt"]
    sums = parts.groupby("year")["flow_mt"].sum()
    denom = parts["year"].map(total).fillna(parts["year"].map(sums))
    parts["importer"] = _display_names(parts, "importer")
    parts["total_mt"] = denom
    parts["share_pct"] = 100.0 * parts["flow_mt"] / denom
    cols = ["edition", "year", "importer_code", "importer", "flow_mt", "total_mt", "share_pct"]
    return parts[cols].sort_values(["year", "flow_mt"], ascending=[True, False], ignore_index=True)


def crude_into(crude: pd.DataFrame, importer_code: str) -> pd.DataFrame:
    """Crude imports of one importing area by exporting area, with shares of its total.

    Returns:
        ``edition``, ``year``, ``exporter_code``, ``exporter``, ``flow_mt``, ``share_pct``.
    """
    sel = crude[crude["importer_code"] == importer_code]
    parts = sel[sel["exporter_code"] != "TOTAL"].copy()
    total = sel[sel["exporter_code"] == "TOTAL"].set_index("year")["flow_mt"]
    sums = parts.groupby("year")["flow_mt"].sum()
    denom = parts["year"].map(total).fillna(parts["year"].map(sums))
    parts["exporter"] = _display_names(parts, "exporter")
    parts["share_pct"] = 100.0 * parts["flow_mt"] / denom
    cols = ["edition", "year", "exporter_code", "exporter", "flow_mt", "share_pct"]
    return parts[cols].sort_values(["year", "flow_mt"], ascending=[True, False], ignore_index=True)


def crude_by_region(destinations: pd.DataFrame) -> pd.DataFrame:
    """Group :func:`crude_destinations` rows into destination regions (:data:`CRUDE_REGIONS`).

    Returns:
        Wide frame: one row per year, one column per region (Mt), ``total_mt``.
    """
    frame = destinations.assign(
        region=destinations["importer_code"].map(CRUDE_REGIONS).fillna("Unassigned")
    )
    wide = frame.pivot_table(
        index="year", columns="region", values="flow_mt", aggfunc="sum", fill_value=0.0
    )
    wide = wide[[r for r in CRUDE_REGION_ORDER if r in wide.columns]]
    wide.columns = [f"{c} (Mt)" for c in wide.columns]
    wide["total_mt"] = wide.sum(axis=1)
    wide.columns.name = None
    return wide


def europe_vs_china(destinations: pd.DataFrame) -> pd.DataFrame:
    """Europe's and China's shares of an area's crude exports, per year.

    Args:
        destinations: :func:`crude_destinations` output.

    Returns:
        ``year``, ``europe_mt``, ``china_mt``, ``total_mt``, ``europe_share_pct``,
        ``china_share_pct``, ``europe_to_china_ratio`` (NaN when China takes nothing).
    """
    _require_columns(destinations, ["year", "importer_code", "flow_mt", "total_mt"], "destinations")
    d = destinations
    out = pd.DataFrame({"year": sorted(set(d["year"]))})
    for name, code in (("europe_mt", "REG_EUROPE"), ("china_mt", "CHN")):
        out[name] = out["year"].map(d[d["importer_code"] == code].groupby("year")["flow_mt"].sum())
        out[name] = out[name].fillna(0.0)
    out["total_mt"] = out["year"].map(d.groupby("year")["total_mt"].first())
    out["europe_share_pct"] = 100.0 * out["europe_mt"] / out["total_mt"]
    out["china_share_pct"] = 100.0 * out["china_mt"] / out["total_mt"]
    out["europe_to_china_ratio"] = out["europe_mt"] / out["china_mt"].where(out["china_mt"] > 0)
    return out


# --------------------------------------------------------------------------------------
# 5. Exports to China in money
# --------------------------------------------------------------------------------------


def has_product_data(products: pd.DataFrame, reporter: str) -> bool:
    """True if ``trade_products_hs4`` holds lines reported by ``reporter``."""
    return bool((products["reporter_iso3"] == reporter).any())


def hs_exports(
    products: pd.DataFrame,
    reporter: str = "KAZ",
    partner: str = "CHN",
    codes: Sequence[str] = tuple(HS_PRODUCTS),
    start_year: int = 2015,
    end_year: int = 2024,
) -> pd.DataFrame:
    """Export value of HS 4-digit lines from ``reporter`` to ``partner`` per year.

    A line absent in a year stays absent (NaN), never zero: 2020–2022 are incomplete in
    the source (``incomplete_year``).

    Returns:
        ``year``, ``product_code``, ``product``, ``value_usd_mn``, ``incomplete_year``;
        empty if the reporter has no product data.
    """
    _require_columns(
        products,
        ["reporter_iso3", "partner_iso3", "flow", "year", "product_code", "value_usd_mn"],
        "products",
    )
    sel = products[
        (products["reporter_iso3"] == reporter)
        & (products["partner_iso3"] == partner)
        & (products["flow"] == "export")
        & products["product_code"].isin(list(codes))
        & products["year"].between(start_year, end_year)
    ]
    cols = ["year", "product_code", "product", "value_usd_mn", "incomplete_year"]
    if sel.empty:
        return pd.DataFrame(columns=cols)
    years = sorted(set(products.loc[products["reporter_iso3"] == reporter, "year"]))
    years = [y for y in years if start_year <= y <= end_year]
    full = pd.MultiIndex.from_product([years, list(codes)], names=["year", "product_code"])
    out = sel.set_index(["year", "product_code"])[["value_usd_mn", "incomplete_year"]]
    out = out.reindex(full).reset_index()
    inc = products[products["reporter_iso3"] == reporter].groupby("year")["incomplete_year"].any()
    out["incomplete_year"] = out["year"].map(inc).astype("boolean")
    out["product"] = out["product_code"].map(HS_PRODUCTS).fillna(out["product_code"])
    return out[cols]


def china_share_of_exports(
    products: pd.DataFrame,
    reporter: str = "KAZ",
    codes: Sequence[str] = tuple(HS_PRODUCTS),
    start_year: int = 2015,
    end_year: int = 2024,
) -> pd.DataFrame:
    """China's share of the reporter's world exports of each HS line (both in US$ mn).

    Returns:
        ``year``, ``product_code``, ``china_usd_mn``, ``world_usd_mn``, ``china_share_pct``.
    """
    chn = hs_exports(products, reporter, "CHN", codes, start_year, end_year)
    wld = hs_exports(products, reporter, "WLD", codes, start_year, end_year)
    out = chn[["year", "product_code", "value_usd_mn"]].merge(
        wld[["year", "product_code", "value_usd_mn"]],
        on=["year", "product_code"],
        suffixes=("_china", "_world"),
    )
    out = out.rename(
        columns={"value_usd_mn_china": "china_usd_mn", "value_usd_mn_world": "world_usd_mn"}
    )
    out["china_share_pct"] = 100.0 * out["china_usd_mn"] / out["world_usd_mn"]
    return out


def growth_table(values: pd.DataFrame, value_col: str = "value_usd_mn") -> pd.DataFrame:
    """First and last value and CAGR per product (first/last years with a positive value).

    Returns:
        One row per ``product_code``: ``first_year``, ``first_usd_mn``, ``last_year``,
        ``last_usd_mn``, ``cagr_pct``, ``years_with_data``.
    """
    rows = []
    for code, g in values.dropna(subset=[value_col]).groupby("product_code", sort=True):
        g = g[g[value_col] > 0].sort_values("year")
        if len(g) < 2:
            continue
        first, last = g.iloc[0], g.iloc[-1]
        rows.append(
            {
                "product_code": code,
                "first_year": int(first["year"]),
                "first_usd_mn": float(first[value_col]),
                "last_year": int(last["year"]),
                "last_usd_mn": float(last[value_col]),
                "cagr_pct": cagr(
                    float(first[value_col]),
                    float(last[value_col]),
                    int(last["year"]) - int(first["year"]),
                ),
                "years_with_data": len(g),
            }
        )
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class Elasticity:
    """Log-log regression of an export value on the Brent price.

    ``log(value_usd_mn) = a + b · log(brent_usd_per_bbl) + e``; ``b`` is the elasticity.

    Attributes:
        product_code: HS line.
        nobs: Number of years used.
        years: First and last year.
        elasticity: ``b``.
        ci_low: Lower bound of the 95 % confidence interval (HAC).
        ci_high: Upper bound.
        p_value: HAC p-value of ``b = 0``.
        r_squared: R² of the regression.
        hac_lags: Newey–West truncation lag used.
        excluded_years: Years left out (e.g. incomplete years when asked).
    """

    product_code: str
    nobs: int
    years: tuple[int, int]
    elasticity: float
    ci_low: float
    ci_high: float
    p_value: float
    r_squared: float
    hac_lags: int
    excluded_years: tuple[int, ...] = ()


def brent_elasticity(
    values: pd.DataFrame,
    brent: pd.DataFrame,
    product_code: str,
    exclude_years: Iterable[int] = (),
    alpha: float = 0.05,
) -> Elasticity:
    """Elasticity of an export value to the Brent price (OLS on logs, Newey–West errors).

    Uses :func:`kzanalysis.stats.ols_hac` (HAC covariance, small-sample corrected, t
    inference) with the Newey–West rule-of-thumb lag.

    Args:
        values: :func:`hs_exports` output.
        brent: ``brent_annual`` (partial years are dropped).
        product_code: HS line to model.
        exclude_years: Years to leave out (e.g. the incomplete 2020–2022).
        alpha: 1 − confidence level.

    Raises:
        InsufficientDataError: with fewer than 4 usable years.
    """
    excl = tuple(sorted(set(exclude_years)))
    v = values[(values["product_code"] == product_code) & ~values["year"].isin(excl)]
    v = v.dropna(subset=["value_usd_mn"])
    v = v[v["value_usd_mn"] > 0]
    b = brent[~brent["partial_year"].fillna(False).astype(bool)]
    data = v.merge(b[["year", "brent_usd_per_bbl"]], on="year").sort_values("year")
    if len(data) < 4:
        raise InsufficientDataError(
            f"brent_elasticity: {len(data)} usable years for HS {product_code}; need at least 4"
        )
    x = pd.DataFrame({"const": 1.0, "log_brent": np.log(data["brent_usd_per_bbl"].to_numpy(float))})
    y = np.log(data["value_usd_mn"].to_numpy(float))
    lags = newey_west_lags(len(data))
    res = ols_hac(y, x, maxlags=lags)
    row = coef_table(res, alpha).loc["log_brent"]
    return Elasticity(
        product_code=product_code,
        nobs=len(data),
        years=(int(data["year"].min()), int(data["year"].max())),
        elasticity=float(row["coef"]),
        ci_low=float(row["ci_low"]),
        ci_high=float(row["ci_high"]),
        p_value=float(row["p_value"]),
        r_squared=float(res.rsquared),
        hac_lags=lags,
        excluded_years=excl,
    )


def describe_elasticity(e: Elasticity) -> str:
    """Plain-text account of an :class:`Elasticity`, with its caveats (reader text)."""

    def num(value: float, decimals: int = 2) -> str:
        return f"{value:.{decimals}f}".replace("-", "\u2212")

    sig = (
        "The interval excludes zero."
        if e.ci_low > 0 or e.ci_high < 0
        else "The interval includes zero: the data cannot tell the link from no link."
    )
    excl = f" Years left out: {', '.join(map(str, e.excluded_years))}." if e.excluded_years else ""
    return (
        f"HS {e.product_code}: a 1 % higher Brent price goes with a {num(e.elasticity)} % "
        f"higher export value to China (95 % CI {num(e.ci_low)} to {num(e.ci_high)}; "
        f"HAC p = {num(e.p_value, 3)}; R² = {num(e.r_squared)}; n = {e.nobs} years "
        f"{e.years[0]}–{e.years[1]}; Newey–West lag {e.hac_lags}). {sig}{excl} "
        f"Caveats: only {e.nobs} annual observations; nominal values on both sides; the "
        "regression mixes price and volume effects (volumes are set by pipeline capacity and "
        "contracts, not by Brent); "
        + (
            "gas export prices follow oil with a lag of several months under oil-indexed "
            "contracts; "
            if e.product_code == "2711"
            else ""
        )
        + "an association, not a causal estimate."
    )


# --------------------------------------------------------------------------------------
# 6. Edition revisions
# --------------------------------------------------------------------------------------


def edition_revisions(
    series: pd.DataFrame,
    variable: str,
    unit: str,
    entity: str,
    years: Iterable[int] | None = None,
) -> pd.DataFrame:
    """One series as published by every edition: rows = years, columns = editions.

    Adds ``spread`` (max − min across editions) and ``spread_pct`` (spread as % of the
    latest edition's value).

    Returns:
        Frame indexed by ``year``; edition columns hold the value in ``unit``.
    """
    col = UNIT_COLUMNS[unit]
    sel = series[
        (series["variable"] == variable)
        & (series["unit"] == unit)
        & (series["entity_code"] == entity)
    ].dropna(subset=[col])
    if years is not None:
        sel = sel[sel["year"].isin(list(years))]
    if sel.empty:
        raise InsufficientDataError(
            f"no {variable} ({UNIT_LABELS.get(unit, unit)}) for {label(entity)} in any edition"
        )
    wide = sel.pivot(index="year", columns="edition", values=col)
    wide = wide[sorted(wide.columns)]
    wide.columns = [f"ed_{c}" for c in wide.columns]
    vals = wide.to_numpy(float)
    with np.errstate(all="ignore"):
        spread = np.nanmax(vals, axis=1) - np.nanmin(vals, axis=1)
    latest = wide.ffill(axis=1).iloc[:, -1]
    wide["spread"] = spread
    wide["spread_pct"] = 100.0 * wide["spread"] / latest
    wide.index.name = "year"
    return wide


# --------------------------------------------------------------------------------------
# 7. China's energy mix
# --------------------------------------------------------------------------------------


def primary_measure(edition: str) -> tuple[str, str]:
    """Primary-energy variable of an edition and its description.

    Editions up to 2024 publish primary energy consumption (substitution method); EI 2026
    publishes total energy supply (TES), a different and lower measure for China.
    """
    if int(edition) >= 2026:
        return "total_energy_supply", "total energy supply (TES)"
    return "primary_energy_consumption", "primary energy consumption (substitution method)"


def coal_shares(series: pd.DataFrame, edition: str, entity: str = "CHN") -> pd.DataFrame:
    """Coal's share of primary energy and of electricity generation, per year.

    Returns:
        ``year``, ``coal_consumption_ej``, ``primary_ej``, ``coal_share_primary_pct``,
        ``electricity_generation_twh``, ``electricity_generation_coal_twh``,
        ``coal_share_electricity_pct``; shares are NaN where a part is missing.
    """
    primary_var, _ = primary_measure(edition)
    parts = {
        "coal_consumption_ej": ("coal_consumption", "ej"),
        "primary_ej": (primary_var, "ej"),
        "electricity_generation_twh": ("electricity_generation", "twh"),
        "electricity_generation_coal_twh": ("electricity_generation_coal", "twh"),
    }
    frames = []
    for name, (var, unit) in parts.items():
        s = select_series(series, edition, var, unit, [entity])
        frames.append(s.set_index("year")[UNIT_COLUMNS[unit]].rename(name))
    out = pd.concat(frames, axis=1).sort_index()
    out["coal_share_primary_pct"] = 100.0 * out["coal_consumption_ej"] / out["primary_ej"]
    out["coal_share_electricity_pct"] = (
        100.0 * out["electricity_generation_coal_twh"] / out["electricity_generation_twh"]
    )
    out.index.name = "year"
    cols = [
        "coal_consumption_ej",
        "primary_ej",
        "coal_share_primary_pct",
        "electricity_generation_twh",
        "electricity_generation_coal_twh",
        "coal_share_electricity_pct",
    ]
    return out.reset_index()[["year", *cols]]


def last_year_at_or_above(frame: pd.DataFrame, column: str, threshold: float) -> int | None:
    """Last year in which ``column`` was at or above ``threshold`` (None if never)."""
    hit = frame.loc[frame[column] >= threshold, "year"]
    return None if hit.empty else int(hit.max())
