"""Ledger metrics for the energy claims (each returns one Measurement per declared part).

Every metric ``energy.<what>`` loads the curated tables with :func:`kzanalysis.datasets.load`
and hands them to a pure ``measure_<what>`` function (hand-made frames in the unit tests),
which calls the chapter functions of :mod:`kzanalysis.analysis.energy`. A metric never
returns a verdict: it returns the data's value (``None`` when the bundled tables cannot
measure a part), the evidence (tables, edition, years, the figure compared) and caveats.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd

from kzanalysis import countries, datasets
from kzanalysis.analysis import energy as en
from kzanalysis.claims.model import Measurement
from kzanalysis.specs.energy import EDITIONS, UNIT_COLUMNS

SERIES = "energy_series"
PIPELINES = "energy_gas_pipeline_flows"
CRUDE = "energy_crude_interarea_flows"

# --------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------


def edition_label(edition: str) -> str:
    """Readable name of a Statistical Review edition, e.g. ``EI Statistical Review 2024 …``."""
    src = EDITIONS.get(edition)
    if src is None:
        return f"Statistical Review edition {edition}"
    short = "bp" if src.publisher.startswith("bp") else "EI"
    extra = ", third-party JSON extraction" if src.id.endswith("_json") else ""
    return (
        f"{short} Statistical Review of World Energy {edition}, data to {int(edition) - 1}{extra}"
    )


def _fmt(value: float, digits: int = 1) -> str:
    return "n/a" if value is None or math.isnan(value) else f"{value:,.{digits}f}"


def _year_value(frame: pd.DataFrame, code: str, year: int, col: str = "value") -> float:
    """Value of ``code`` in ``year`` in a frame with ``entity_code``/``year`` (NaN if absent)."""
    hit = frame[(frame["entity_code"] == code) & (frame["year"] == year)]
    return float(hit[col].iloc[0]) if len(hit) else math.nan


# --------------------------------------------------------------------------------------
# C01–C03: EAEU members' share of world output
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupShare:
    """A group's share of the world total in one series and year.

    Attributes:
        year: Data year.
        members: Group members that year (registry).
        itemised: Members the Review itemises (with a value).
        missing: Members not itemised (inside the "Other CIS" area).
        members_value: Sum over the itemised members.
        area_value: The whole "Other CIS" area (NaN if absent).
        world_value: World total.
        share_pct: ``100 · members_value / world_value`` (a lower bound if members are missing).
        upper_pct: Share with all of "Other CIS" added (an upper bound).
    """

    year: int
    members: tuple[str, ...]
    itemised: tuple[str, ...]
    missing: tuple[str, ...]
    members_value: float
    area_value: float
    world_value: float
    share_pct: float
    upper_pct: float


def group_world_share(
    frame: pd.DataFrame, members: Sequence[str], year: int, area: str = "CIS_OTHER"
) -> GroupShare:
    """Share of the world total held by ``members`` in ``year``.

    Args:
        frame: ``entity_code``, ``year``, ``value`` rows of one series (one edition and unit),
            with the world total as ``WLD``.
        members: ISO3 codes of the group.
        year: Data year.
        area: Residual area holding non-itemised members (its value bounds their sum).

    Raises:
        ValueError: if the world total or every member is missing that year.
    """
    rows = frame[frame["year"] == year].set_index("entity_code")["value"]
    world = float(rows.get("WLD", math.nan))
    if math.isnan(world) or world <= 0:
        raise ValueError(f"no world total in {year}; cannot compute a world share")
    itemised = tuple(sorted(m for m in members if not pd.isna(rows.get(m, math.nan))))
    if not itemised:
        raise ValueError(f"none of {sorted(members)} is itemised in {year}")
    missing = tuple(sorted(set(members) - set(itemised)))
    total = float(sum(rows[m] for m in itemised))
    area_value = float(rows.get(area, math.nan))
    upper = total + (0.0 if math.isnan(area_value) else area_value)
    return GroupShare(
        year=year,
        members=tuple(sorted(members)),
        itemised=itemised,
        missing=missing,
        members_value=total,
        area_value=area_value,
        world_value=world,
        share_pct=100.0 * total / world,
        upper_pct=100.0 * upper / world,
    )


def measure_eaeu_world_share(
    series: pd.DataFrame,
    *,
    variable: str,
    unit: str,
    year: int,
    edition: str,
    group: str = "EAEU",
    context_years: Sequence[int] = (),
) -> list[Measurement]:
    """The group's (members of ``year``) share of world ``variable`` in ``unit``.

    The value is the itemised members' share (a lower bound when members sit inside "Other
    CIS"); the note gives the upper bound with all of "Other CIS" and other years' shares.
    """
    sel = en.select_series(series, edition, variable, unit)
    frame = sel.rename(columns={UNIT_COLUMNS[unit]: "value"})
    members = sorted(countries.members(group, year))
    res = group_world_share(frame, members, year)
    unit_label = en.UNIT_LABELS[unit]
    evidence = (
        f"{SERIES} ({edition_label(edition)}), {variable} in {unit_label}, {year}: "
        f"{' + '.join(res.itemised)} = {_fmt(res.members_value)} of world "
        f"{_fmt(res.world_value)} {unit_label} = {res.share_pct:.2f} %"
    )
    notes = []
    if res.missing:
        notes.append(
            f"{group} members of {year} not itemised by the Review: {', '.join(res.missing)} "
            f"(inside 'Other CIS', {_fmt(res.area_value, 2)} {unit_label}, which also holds "
            "non-members); the value counts the itemised members only (a lower bound); with "
            f"all of 'Other CIS' the share would be {res.upper_pct:.2f} % (an upper bound)"
        )
    others = []
    for y in context_years:
        try:
            other = group_world_share(frame, sorted(countries.members(group, y)), y)
        except ValueError:
            continue
        others.append(f"{y}: {other.share_pct:.2f} %")
    if others:
        notes.append("same measure in other years: " + ", ".join(others))
    return [Measurement(round(res.share_pct, 2), evidence, "; ".join(notes))]


def eaeu_world_share(**args) -> list[Measurement]:
    """Metric ``energy.eaeu_world_share`` (C01–C03)."""
    return measure_eaeu_world_share(datasets.load(SERIES), **args)


# --------------------------------------------------------------------------------------
# C04–C06: proved oil reserves and their ranks
# --------------------------------------------------------------------------------------

RESERVE_MEASURES = ("value", "world_rank", "cis_rank")


def measure_oil_reserves(
    series: pd.DataFrame,
    *,
    country: str,
    edition: str,
    year: int,
    measure: str,
    cross_editions: Sequence[str] = (),
) -> list[Measurement]:
    """A country's proved oil reserves (bn bbl), world rank or CIS rank in one year.

    Ranks count countries only (areas such as "Other CIS" excluded; ties share the best
    rank); the CIS includes associates (Turkmenistan).

    Args:
        measure: ``value``, ``world_rank`` or ``cis_rank``.
        cross_editions: Other editions to report in the note (reserves are frozen at end-2020
            from the 2022 edition on, so the same year should give the same figures).
    """
    if measure not in RESERVE_MEASURES:
        raise ValueError(f"measure {measure!r} unknown; use one of {RESERVE_MEASURES}")
    r = en.country_rank(series, edition, "oil_reserves", "bn_bbl", country, year)
    value = {"value": r.value, "world_rank": r.world_rank, "cis_rank": r.cis_rank}[measure]
    evidence = (
        f"{SERIES} ({edition_label(edition)}), oil_reserves (proved, bn bbl), end-{r.year}: "
        f"{en.label(country)} {_fmt(r.value)} bn bbl, world rank {r.world_rank} of {r.world_n} "
        f"countries, CIS rank {r.cis_rank} of {r.cis_n}"
    )
    notes = [
        "the Review froze proved reserves at end-2020 from the 2022 edition on; ranks count "
        "countries only (areas such as 'Other CIS' excluded)"
    ]
    if measure == "cis_rank":
        notes.append(
            "'the region' read as the CIS (associates included); not itemised: "
            f"{', '.join(r.cis_missing) or 'none'} (inside 'Other CIS')"
        )
    if not r.world_complete:
        notes.append("the table does not keep every country for this year: rank incomplete")
    same = []
    for ed in cross_editions:
        o = en.country_rank(series, ed, "oil_reserves", "bn_bbl", country, year)
        same.append(f"{ed}: {_fmt(o.value)} bn bbl, world {o.world_rank}, CIS {o.cis_rank}")
    if same:
        notes.append("other editions, same year: " + "; ".join(same))
    return [Measurement(value, evidence, "; ".join(notes))]


def oil_reserves(**args) -> list[Measurement]:
    """Metric ``energy.oil_reserves`` (C04–C06)."""
    return measure_oil_reserves(datasets.load(SERIES), **args)


# --------------------------------------------------------------------------------------
# C07: combined oil and gas production in EJ
# --------------------------------------------------------------------------------------


def combined_oil_gas_ej(series: pd.DataFrame, edition: str, year: int) -> tuple[pd.DataFrame, str]:
    """Oil + gas production in EJ per entity in one year.

    Oil is converted from Mt with the documented factor (via
    :func:`kzanalysis.analysis.energy.series_in_unit`), gas is the published EJ series; an
    entity with only one fuel counts that fuel.

    Returns:
        ``(frame, method)``: frame with ``entity_code``, ``entity_kind``, ``oil_ej``,
        ``gas_ej``, ``value_ej``; method describes the oil and gas units.
    """
    oil, m_oil = en.series_in_unit(series, edition, "oil_production", "oil", "ej")
    gas, m_gas = en.series_in_unit(series, edition, "gas_production", "gas", "ej")
    oil = oil[oil["year"] == year].set_index("entity_code")["value"].rename("oil_ej")
    gas = gas[gas["year"] == year].set_index("entity_code")["value"].rename("gas_ej")
    out = pd.concat([oil, gas], axis=1)
    out["value_ej"] = out[["oil_ej", "gas_ej"]].sum(axis=1, min_count=1)
    kinds = series[series["edition"] == edition].drop_duplicates("entity_code")
    kinds = kinds.set_index("entity_code")["entity_kind"]
    out["entity_kind"] = out.index.map(kinds)
    out = out.rename_axis("entity_code").reset_index()
    return out, f"oil {m_oil}; gas {m_gas}"


def measure_combined_producer_rank(
    series: pd.DataFrame, *, country: str, edition: str, years: Sequence[int]
) -> list[Measurement]:
    """The country's world rank in oil + gas production (EJ), one Measurement per year."""
    out = []
    for year in years:
        frame, method = combined_oil_gas_ej(series, edition, year)
        ranked = en.rank_countries(frame, "value_ej")
        own = ranked[ranked["entity_code"] == country]
        if own.empty:
            out.append(
                Measurement(None, f"{SERIES} ({edition_label(edition)}): no {country} in {year}")
            )
            continue
        top = ranked.iloc[0]
        rank = int(own["rank"].iloc[0])
        evidence = (
            f"{SERIES} ({edition_label(edition)}), oil_production + gas_production in EJ, "
            f"{year}: {en.label(country)} {_fmt(float(own['value_ej'].iloc[0]), 2)} EJ "
            f"(oil {_fmt(float(own['oil_ej'].iloc[0]), 2)} + gas "
            f"{_fmt(float(own['gas_ej'].iloc[0]), 2)}), rank {rank} of {len(ranked)} countries; "
            f"first: {en.label(top['entity_code'])} {_fmt(float(top['value_ej']), 2)} EJ"
        )
        note = (
            f"{method} (1 Mt ≈ 1 Mtoe = 0.041868 EJ; oil includes NGLs); countries only, "
            "areas and groups excluded"
        )
        out.append(Measurement(rank, evidence, note))
    return out


def combined_producer_rank(**args) -> list[Measurement]:
    """Metric ``energy.combined_producer_rank`` (C07)."""
    return measure_combined_producer_rank(datasets.load(SERIES), **args)


# --------------------------------------------------------------------------------------
# C08: largest importer of crude oil and of gas
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportRank:
    """A country's rank among importers that a table itemises, and whether it is certain.

    Attributes:
        year: Data year.
        value: The country's imports.
        rank: Rank among itemised countries (1 = largest).
        n: Number of itemised countries.
        leader: Code of the largest itemised country.
        runner_up: The largest other itemised country and its value.
        largest_area: Largest residual area (whose members are not itemised) and its value.
        established: True if the country's imports exceed every such area's total, so no
            country hidden inside an area can be larger.
    """

    year: int
    value: float
    rank: int
    n: int
    leader: str
    runner_up: tuple[str, float]
    largest_area: tuple[str, float]
    established: bool


def import_rank(frame: pd.DataFrame, country: str, year: int) -> ImportRank:
    """Rank ``country`` in a one-year frame of importers (``entity_code``, ``entity_kind``,
    ``value``, optional published ``name``); ``area`` rows bound the countries they hide."""
    ranked = en.rank_countries(frame, "value")
    own = ranked[ranked["entity_code"] == country]
    if own.empty:
        raise ValueError(f"{country} has no imports in {year}")
    value = float(own["value"].iloc[0])
    areas = frame[frame["entity_kind"] == "area"].dropna(subset=["value"])
    if areas.empty:
        largest = ("none", 0.0)
    else:
        top = areas.sort_values("value", ascending=False).iloc[0]
        name = top["name"] if "name" in areas.columns else en.label(top["entity_code"])
        largest = (str(name), float(top["value"]))
    rest = ranked[ranked["entity_code"] != country]
    runner = (
        (en.label(rest["entity_code"].iloc[0]), float(rest["value"].iloc[0]))
        if len(rest)
        else ("none", math.nan)
    )
    return ImportRank(
        year=year,
        value=value,
        rank=int(own["rank"].iloc[0]),
        n=len(ranked),
        leader=str(ranked["entity_code"].iloc[0]),
        runner_up=runner,
        largest_area=largest,
        established=value > largest[1],
    )


def crude_importers(crude: pd.DataFrame, year: int) -> pd.DataFrame:
    """Total crude imports (Mt) of each importing column of the inter-area matrix in ``year``."""
    tot = crude[(crude["year"] == year) & (crude["exporter_code"] == "TOTAL")]
    tot = tot[tot["importer_kind"].isin(["country", "area"])]
    names = {"importer_code": "entity_code", "importer_kind": "entity_kind", "importer": "name"}
    out = tot.rename(columns={**names, "flow_mt": "value"})
    return out[["entity_code", "entity_kind", "name", "value", "edition"]].reset_index(drop=True)


def gas_importers(pipelines: pd.DataFrame, series: pd.DataFrame, year: int) -> pd.DataFrame:
    """Gas imports (bcm) = pipeline imports + LNG imports per entity in ``year``.

    Pipeline imports are the matrix's ``Total`` row per importer (countries and areas);
    LNG imports come from ``energy_series`` (every country, same edition as the matrix). A
    country absent from the pipeline matrix counts its LNG only (it may hide inside an area).

    Returns:
        ``entity_code``, ``entity_kind``, ``name``, ``pipeline_bcm``, ``lng_bcm``, ``value``
        and the ``edition`` used.
    """
    pipe = pipelines[(pipelines["year"] == year) & (pipelines["exporter_code"] == "TOTAL")]
    pipe = pipe[pipe["importer_kind"].isin(["country", "area"])]
    if pipe.empty:
        raise ValueError(f"no pipeline matrix for {year}")
    edition = str(pipe["edition"].iloc[0])
    p = pipe.set_index("importer_code")
    lng = en.select_series(series, edition, "gas_lng_imports", "bcm")
    lng = lng[(lng["year"] == year) & (lng["entity_kind"] == "country")].set_index("entity_code")
    codes = sorted(set(p.index) | set(lng.index))
    out = pd.DataFrame({"entity_code": codes})
    out["entity_kind"] = [
        p.loc[c, "importer_kind"] if c in p.index else lng.loc[c, "entity_kind"] for c in codes
    ]
    out["name"] = [p.loc[c, "importer"] if c in p.index else en.label(c) for c in codes]
    out["pipeline_bcm"] = out["entity_code"].map(p["flow_bcm"])
    out["lng_bcm"] = out["entity_code"].map(lng["value_bcm"])
    out["value"] = out[["pipeline_bcm", "lng_bcm"]].sum(axis=1, min_count=1)
    out["edition"] = edition
    return out


def _import_measurement(
    res: ImportRank, country: str, what: str, unit: str, table: str, ed: str
) -> Measurement:
    area, area_value = res.largest_area
    evidence = (
        f"{table} ({edition_label(ed)}), {what}, {res.year}: {en.label(country)} "
        f"{_fmt(res.value)} {unit}, rank {res.rank} of {res.n} itemised countries "
        f"(first: {en.label(res.leader)}; largest other: {res.runner_up[0]} "
        f"{_fmt(res.runner_up[1])} {unit}); largest area with non-itemised members: "
        f"{area} {_fmt(area_value)} {unit}"
    )
    if res.established:
        note = (
            f"the rank is certain: {en.label(country)}'s {what} exceed the total of every "
            "area whose members the table does not itemise"
        )
        return Measurement(res.rank, evidence, note)
    note = (
        f"not measurable: the area {area} ({_fmt(area_value)} {unit}) exceeds "
        f"{en.label(country)}'s {what} and its members are not itemised, so one of them "
        "could be larger"
    )
    return Measurement(None, evidence, note)


def measure_largest_importer(
    crude: pd.DataFrame,
    pipelines: pd.DataFrame,
    series: pd.DataFrame,
    *,
    country: str,
    years: Sequence[int],
) -> list[Measurement]:
    """Rank of ``country`` as crude importer and as gas importer; two Measurements per year.

    Crude: total crude imports in the inter-area matrix (Mt). Gas: pipeline + LNG imports
    (bcm). A rank is returned only when no country hidden inside an area could be larger.
    """
    out = []
    for year in years:
        cr = crude_importers(crude, year)
        ed_c = str(cr["edition"].iloc[0]) if len(cr) else "?"
        out.append(
            _import_measurement(
                import_rank(cr, country, year), country, "crude oil imports", "Mt", CRUDE, ed_c
            )
        )
        gas = gas_importers(pipelines, series, year)
        ed_g = str(gas["edition"].iloc[0])
        m = _import_measurement(
            import_rank(gas, country, year),
            country,
            "gas imports (pipeline + LNG)",
            "bcm",
            f"{PIPELINES} + {SERIES} gas_lng_imports",
            ed_g,
        )
        own = gas[gas["entity_code"] == country].iloc[0]
        extra = (
            f"{en.label(country)} = pipeline {_fmt(own['pipeline_bcm'])} + LNG "
            f"{_fmt(own['lng_bcm'])} bcm; "
            "gross imports (re-exports of transit countries included)"
        )
        out.append(Measurement(m.value, m.evidence, f"{m.note}; {extra}"))
    return out


def largest_importer(**args) -> list[Measurement]:
    """Metric ``energy.largest_importer`` (C08)."""
    return measure_largest_importer(
        datasets.load(CRUDE), datasets.load(PIPELINES), datasets.load(SERIES), **args
    )


# --------------------------------------------------------------------------------------
# C09: coal share of primary energy
# --------------------------------------------------------------------------------------


def measure_coal_share(
    series: pd.DataFrame,
    *,
    country: str,
    edition: str,
    year: int,
    threshold: float,
    compare_edition: str | None = None,
) -> list[Measurement]:
    """Coal's share of the country's primary energy in ``year``; the note says when it last
    reached ``threshold`` (and the same in ``compare_edition``, e.g. the TES-based 2026)."""
    shares = en.coal_shares(series, edition, country)
    _, measure = en.primary_measure(edition)
    row = shares[shares["year"] == year]
    if row.empty:
        return [Measurement(None, f"{SERIES} ({edition_label(edition)}): no {year} row")]
    share = float(row["coal_share_primary_pct"].iloc[0])
    elec = float(row["coal_share_electricity_pct"].iloc[0])
    last = en.last_year_at_or_above(shares, "coal_share_primary_pct", threshold)
    evidence = (
        f"{SERIES} ({edition_label(edition)}), coal_consumption / {measure}, {en.label(country)} "
        f"{year}: {_fmt(float(row['coal_consumption_ej'].iloc[0]), 2)} / "
        f"{_fmt(float(row['primary_ej'].iloc[0]), 2)} EJ = {share:.1f} %"
    )
    notes = [
        f"last year at or above {threshold:g} %: {last if last is not None else 'never'}",
        f"coal's share of electricity generation in {year}: {_fmt(elec)} %",
    ]
    if compare_edition:
        other = en.coal_shares(series, compare_edition, country)
        _, m2 = en.primary_measure(compare_edition)
        o = other[other["year"] == year]["coal_share_primary_pct"]
        last2 = en.last_year_at_or_above(other, "coal_share_primary_pct", threshold)
        notes.append(
            f"edition {compare_edition} ({m2}): {_fmt(float(o.iloc[0])) if len(o) else 'n/a'} % "
            f"in {year}, last at or above {threshold:g} %: {last2 if last2 else 'never'}"
        )
    return [Measurement(round(share, 1), evidence, "; ".join(notes))]


def coal_share(**args) -> list[Measurement]:
    """Metric ``energy.coal_share`` (C09)."""
    return measure_coal_share(datasets.load(SERIES), **args)


# --------------------------------------------------------------------------------------
# C13–C14: pipeline gas between two countries
# --------------------------------------------------------------------------------------


def measure_pipeline_flow(
    pipelines: pd.DataFrame, *, exporter: str, importer: str, year: int, edition: str
) -> list[Measurement]:
    """Pipeline gas flow (bcm) from ``exporter`` to ``importer`` in one matrix year."""
    sel = pipelines[(pipelines["edition"] == edition) & (pipelines["year"] == year)]
    pairs = en.pipeline_pairs(sel, [(exporter, importer)]) if len(sel) else pd.DataFrame()
    pair = f"{en.label(exporter)} → {en.label(importer)}"
    if pairs.empty or pd.isna(pairs["flow_bcm"].iloc[0]):
        have = sorted(
            {(e, int(y)) for e, y in zip(pipelines["edition"], pipelines["year"], strict=True)}
        )
        return [
            Measurement(
                None,
                f"{PIPELINES}: no {pair} value for {year} in edition {edition} "
                f"(matrices on disk: {have})",
            )
        ]
    flow = float(pairs["flow_bcm"].iloc[0])
    progress = en.contract_progress(en.pipeline_pairs(pipelines, [(exporter, importer)]))
    series = ", ".join(
        f"{int(y)}: {v:.1f}" for y, v in zip(progress["year"], progress["flow_bcm"], strict=True)
    )
    evidence = (
        f"{PIPELINES} ({edition_label(edition)}), pipeline gas {pair}, {year}: "
        f"{flow:.2f} bcm ({pairs['status'].iloc[0]})"
    )
    note = (
        f"all {pair} pipeline gas (the Review does not publish single pipelines); volumes "
        f"standardised to 40 MJ/m³ GCV; all bundled matrix years (bcm): {series}"
    )
    return [Measurement(round(flow, 2), evidence, note)]


def pipeline_flow(**args) -> list[Measurement]:
    """Metric ``energy.pipeline_flow`` (C13, C14)."""
    return measure_pipeline_flow(datasets.load(PIPELINES), **args)


# --------------------------------------------------------------------------------------
# C15, C19: crude oil out of "Other CIS"
# --------------------------------------------------------------------------------------


def measure_crude_flow_kbd(
    crude: pd.DataFrame, *, exporter: str, importer: str, year: int, edition: str
) -> list[Measurement]:
    """Crude flow from an exporting area to an importer, Mt converted to kb/d."""
    sel = crude[(crude["edition"] == edition) & (crude["year"] == year)]
    cell = sel[(sel["exporter_code"] == exporter) & (sel["importer_code"] == importer)]
    if sel.empty:
        return [Measurement(None, f"{CRUDE}: no matrix for {year} in edition {edition}")]
    mt = float(cell["flow_mt"].iloc[0]) if len(cell) else 0.0
    kbd = en.convert(mt, "oil", "mt", "kbd")
    dest = en.crude_destinations(crude, exporter)
    cells = dest[dest["importer_code"] == importer]
    others = ", ".join(
        f"{int(y)}: {en.convert(v, 'oil', 'mt', 'kbd'):.0f}"
        for y, v in zip(cells["year"], cells["flow_mt"], strict=True)
    )
    evidence = (
        f"{CRUDE} ({edition_label(edition)}), crude {en.label(exporter)} → {en.label(importer)}, "
        f"{year}: {mt:.2f} Mt = {kbd:.0f} kb/d (× {1 / en.MT_PER_YEAR_PER_KBD:.2f} kb/d per "
        "Mt/yr: 7.33 bbl/t, 365 days)"
    )
    note = (
        "the data give the actual flow, not a pipeline's capacity; 'Other CIS' is an area "
        "(Kazakhstan with Azerbaijan, Turkmenistan …), and Russian crude shipped through "
        "Kazakh pipelines counts under Russia, so a pipeline's throughput can exceed this "
        f"flow; kb/d by matrix year: {others}"
    )
    return [Measurement(round(kbd, 1), evidence, note)]


def crude_flow_kbd(**args) -> list[Measurement]:
    """Metric ``energy.crude_flow_kbd`` (C15)."""
    return measure_crude_flow_kbd(datasets.load(CRUDE), **args)


def measure_crude_transit_proxy(
    crude: pd.DataFrame, *, exporter: str, year: int, edition: str
) -> list[Measurement]:
    """Why the transit share cannot be measured, with the closest figure the data hold.

    The inter-area matrix records destinations, not routes, and "Other CIS" mixes Kazakh
    crude with Azerbaijan's (exported via Georgia and Turkey, not Russia). The share going to
    Europe is reported as context only; the value is ``None`` (untestable).
    """
    dest = en.crude_destinations(crude, exporter)
    d = dest[(dest["edition"] == edition) & (dest["year"] == year)]
    evc = en.europe_vs_china(d) if len(d) else pd.DataFrame()
    if evc.empty:
        context = f"no {en.label(exporter)} crude rows for {year} in edition {edition}"
    else:
        r = evc.iloc[0]
        context = (
            f"closest figure, not used for a verdict: {en.label(exporter)} crude to Europe "
            f"{r['europe_mt']:.1f} of {r['total_mt']:.1f} Mt = {r['europe_share_pct']:.1f} %, "
            f"to China {r['china_share_pct']:.1f} %"
        )
    evidence = f"{CRUDE} ({edition_label(edition)}), {year}: {context}"
    note = (
        "the matrix gives destinations, not routes, and 'Other CIS' includes Azerbaijan's "
        "crude (Baku–Tbilisi–Ceyhan, not via Russia) while Kazakh crude to Asia via CPC / "
        "Novorossiysk does transit Russia: a destination share is not a transit share. Would "
        "need: Kazakhstan's crude exports by route (CPC, Atyrau–Samara, Kazakhstan–China "
        "pipeline, Aktau tankers), e.g. KazTransOil / Ministry of Energy statistics"
    )
    return [Measurement(None, evidence, note)]


def crude_transit_proxy(**args) -> list[Measurement]:
    """Metric ``energy.crude_transit_proxy`` (C19: untestable, with context)."""
    return measure_crude_transit_proxy(datasets.load(CRUDE), **args)


METRICS: dict[str, Callable[..., list[Measurement]]] = {
    "energy.eaeu_world_share": eaeu_world_share,
    "energy.oil_reserves": oil_reserves,
    "energy.combined_producer_rank": combined_producer_rank,
    "energy.largest_importer": largest_importer,
    "energy.coal_share": coal_share,
    "energy.pipeline_flow": pipeline_flow,
    "energy.crude_flow_kbd": crude_flow_kbd,
    "energy.crude_transit_proxy": crude_transit_proxy,
}
