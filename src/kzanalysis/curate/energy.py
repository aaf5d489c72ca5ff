"""Curation of the energy snapshots (``energy/raw/``) into five tidy tables.

Tables
------
``energy_series``
    bp / Energy Institute *Statistical Review of World Energy* country series, long format,
    one row per (edition, entity, variable, unit, year). Editions revise history, so the
    **edition is part of the key** and editions are never mixed silently. Editions on disk:
    bp 2021, bp 2022, EI 2023, EI 2024 (original xlsx workbooks) and EI 2026 (a third
    party's JSON extraction of the workbook). The bp 2022 *narrow* parquet/CSV is the same
    edition as the bp 2022 workbook; it is not a separate row source (it would duplicate
    edition "2022") and is used only by the integration tests to cross-check the xlsx parser.

    Units differ per variable and a numeric column name must carry its unit, so the table
    has one nullable value column per unit family (``value_kbd``, ``value_mt``, ``value_bcm``,
    ``value_ej``, ``value_twh``, ``value_bn_bbl``, ``value_tcm``); exactly one is non-null per
    row and the string column ``unit`` names it. Each series keeps the unit(s) the edition
    publishes: oil production is present both in kb/d and in Mt; nothing is converted.
    The 2026 edition replaced "Primary energy consumption" (substitution method) by
    "Total energy supply" (TES), which is a different measure: it is stored as the separate
    variable ``total_energy_supply``.

    Entity scope: variables needed for world ranks (oil production, gas production, oil
    proved reserves, LNG imports) keep every country from :data:`RANK_FROM_YEAR` (2000) on;
    every variable keeps the focus countries (:data:`FOCUS_ISO3`) for all years and the
    aggregates in :data:`FOCUS_GROUPS` (World, CIS, Other CIS, USSR, OECD, non-OECD, OPEC,
    non-OPEC, EU). Regional totals and other "Other …" residuals are dropped.
    ``entity_kind`` says how a row adds up: ``country`` + ``area`` rows are disjoint and
    sum to the ``total`` (World); ``subtotal`` rows (regions, OECD, EU …) overlap them.

``energy_gas_pipeline_flows``
    Inter-country natural-gas trade by pipeline (bcm, GCV 40 MJ/m³), exporter → importer,
    from each edition's "Trade movements YYYY by pipeline" matrix (data years 2020, 2021,
    2022, 2023, 2025). Non-zero cells only. Matrix totals (``Total imports`` /
    ``Total exports``) are kept with code ``TOTAL`` and kind ``total``; regional rows are
    ``subtotal`` (e.g. ``CIS``) or ``area`` (``Other CIS``, ``EU`` …).

``energy_crude_interarea_flows``
    Crude-oil inter-area movements (Mt), exporter area → importer area, from each edition's
    "Oil: Inter-area movements" matrix (crude block only). Areas, not countries: Kazakhstan
    is inside ``Other CIS``.

``brent_annual``
    Brent spot (Europe Brent FOB) annual average, USD/bbl, EIA via the datahub
    ``oil-prices`` package; 1987 is flagged as a partial year.

``fx_official_rates``
    World Bank WDI ``PA.NUS.FCRF`` official exchange rate (LCU per USD, period average) for
    the Central Asian states and the comparison countries (:data:`FX_ISO3`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kzanalysis.curate import energy_ei as ei
from kzanalysis.curate._io import fail, require
from kzanalysis.schema import Field, Source, TableSpec

# --------------------------------------------------------------------------------------
# Sources
# --------------------------------------------------------------------------------------

_EI_DIR = "energy/raw/ei_statistical_review"
_SR_URL = "https://www.energyinst.org/statistical-review"
_SR_TERMS = (
    "The workbooks carry no licence text; the 2026 extraction's README says 'Data © Energy "
    "Institute'. Cite the edition (e.g. 'Energy Institute, Statistical Review of World "
    "Energy 2024'); only a Kazakhstan/Central-Asia-scoped extract is committed. Check EI's "
    "terms of use before republishing; price tables are third-party (S&P Global Platts)."
)


def _sr_source(sid: str, publisher: str, edition: str, file: str, origin: str) -> Source:
    """A Statistical Review edition as a :class:`Source`."""
    return Source(
        id=sid,
        publisher=publisher,
        title=f"Statistical Review of World Energy {edition} — all data workbook",
        url=_SR_URL,
        terms=_SR_TERMS,
        edition=f"{edition} edition (data to {int(edition) - 1})",
        retrieved=origin,
        raw_paths=(f"{_EI_DIR}/{file}",),
    )


SR_2021 = _sr_source(
    "bp_sr_2021",
    "bp p.l.c.",
    "2021",
    "bp-stats-review-2021-all-data.xlsx",
    "Byte copy of bp-stats-review-2021-all-data.xlsx from the public GitHub repository "
    "DyingDown/Wind-Energy-Visualization at commit b2080436739a6da100345c310068a2116f1bbdea "
    "(re-saved by a user with Kingsoft Office; values agree with OWID's CSV of the edition).",
)
SR_2022 = _sr_source(
    "bp_sr_2022",
    "bp p.l.c.",
    "2022",
    "bp-stats-review-2022-all-data.xlsx",
    "Byte copy of data/bp-stats-review-2022-all-data.xlsx from GitHub yfbenkhalifa/DB2-Project1 "
    "at commit 0f530225106ec1274c1b58b32422367aaf7c31fe; values agree with the bp 2022 narrow "
    "dataset in ADGEfficiency/analyze-bp-historical-data (commit e501e669…).",
)
SR_2023 = _sr_source(
    "ei_sr_2023",
    "Energy Institute",
    "2023",
    "EI-stats-review-2023-all-data.xlsx",
    "Byte copy of BP-Statistical-Review-2022-Original.xlsx (misnamed upstream: its Contents "
    "sheet says 2023 Energy Institute Statistical Review, data to 2022) from GitHub "
    "ryanczm/BP-Statistical-Report at commit f3af397346fd1cbb2f635dbeefc4360b8aa04db5.",
)
SR_2024 = _sr_source(
    "ei_sr_2024",
    "Energy Institute",
    "2024",
    "EI-Stats-Review-All-Data-2024.xlsx",
    "Byte copy of EI-Stats-Review-All-Data.xlsx from GitHub reformship/hpc_reasearch at commit "
    "c6db12979eb4f82458bbb099501ab4730293ee48; its 93 common sheets are identical to three "
    "other independent copies.",
)
SR_2026 = Source(
    id="ei_sr_2026_json",
    publisher="Energy Institute",
    title="Statistical Review of World Energy 2026 — all data workbook, JSON extraction "
    "by a third party",
    url=_SR_URL,
    terms=_SR_TERMS + " The 'Derived & ratios' sheets of the extraction are the extractor's "
    "own computations and are not used.",
    edition="2026 edition (data to 2025)",
    retrieved="Byte copy of ei_data.json from GitHub hall-brad/energy-statistical-review-"
    "dashboard at commit 4803eba5eddf7e52b4deb0d117dda9abf0388e8c (not the original workbook; "
    "overlapping years were checked against EI 2024 by the collector).",
    raw_paths=(f"{_EI_DIR}/ei_statistical_review_2026_extracted_ei_data.json",),
)

#: Edition label → (source, raw path, is the JSON extraction).
EDITIONS: dict[str, Source] = {
    "2021": SR_2021,
    "2022": SR_2022,
    "2023": SR_2023,
    "2024": SR_2024,
    "2026": SR_2026,
}

BRENT_SOURCE = Source(
    id="eia_brent_datahub",
    publisher="U.S. Energy Information Administration (packaged by datahub.io core datasets)",
    title="Europe Brent Spot Price FOB (series RBRTE), annual average",
    url="https://www.eia.gov/dnav/pet/hist/RBRTEd.htm",
    terms="Public domain: the datahub package's datapackage.json states ODC-PDDL-1.0; EIA data "
    "are US government works. Credit 'U.S. Energy Information Administration'.",
    terms_url="https://opendatacommons.org/licenses/pddl/1-0/",
    edition="datahub core/oil-prices, annual series to 2025",
    retrieved="Byte copy of data/brent-year.csv from GitHub datasets/oil-prices at HEAD "
    "2d75ce3a792c2f152619c10272e86052be3a8390 (2026-08-22).",
    raw_paths=("energy/raw/prices/brent-year.csv",),
)

FX_SOURCE = Source(
    id="wb_wdi_fx",
    publisher="World Bank",
    title="World Development Indicators: Official exchange rate (LCU per US$, period "
    "average), PA.NUS.FCRF",
    url="https://data.worldbank.org/indicator/PA.NUS.FCRF",
    terms="CC BY 4.0 (World Bank WDI terms; not restated in the file). Credit 'World Bank, "
    "World Development Indicators'.",
    terms_url="https://www.worldbank.org/en/about/legal/terms-of-use-for-datasets",
    edition="WDI, Last Updated Date 2025-03-24",
    retrieved="Byte copy of the unmodified World Bank bulk download "
    "API_PA.NUS.FCRF_DS2_en_csv_v2_13510.csv from GitHub Skyedge1903/Dashboard at commit "
    "34f6d324496d3cf09aac84be9b0e81c515d8297c.",
    raw_paths=("energy/raw/fx/API_PA.NUS.FCRF_DS2_en_csv_v2_13510.csv",),
)

# --------------------------------------------------------------------------------------
# Series definitions
# --------------------------------------------------------------------------------------

#: Countries kept for every variable (EAEU members, Central Asia, China, US).
FOCUS_ISO3: frozenset[str] = frozenset(
    {"KAZ", "RUS", "CHN", "TKM", "UZB", "BLR", "ARM", "KGZ", "TJK", "USA"}
)
#: Aggregates kept for every variable. Regions (``REG_*``) and other residuals
#: (``OTHER_*``) are dropped: no claim needs them and they can be rebuilt from the workbooks.
FOCUS_GROUPS: frozenset[str] = frozenset(
    {"WLD", "CIS", "CIS_OTHER", "USSR", "OECD", "NON_OECD", "OPEC", "NON_OPEC", "EU"}
)

#: First year for which non-focus countries are kept in the rank series.
RANK_FROM_YEAR = 2000

#: Unit code → value column, in file order.
UNIT_COLUMNS: dict[str, str] = {
    "kbd": "value_kbd",
    "mt": "value_mt",
    "bcm": "value_bcm",
    "ej": "value_ej",
    "twh": "value_twh",
    "bn_bbl": "value_bn_bbl",
    "tcm": "value_tcm",
}


@dataclass(frozen=True)
class SeriesDef:
    """One Statistical Review series: the sheet names across editions and its unit.

    Attributes:
        variable: Variable name in the curated table.
        unit: Unit code (a key of :data:`UNIT_COLUMNS`).
        unit_label: Start of the unit label in the sheet header / JSON ``unit``.
        sheets: Accepted sheet names (matched after :func:`energy_ei.norm_sheet`).
        all_countries: Keep every country (needed for ranks), not only the focus set.
        editions: Editions that publish it (None: all).
    """

    variable: str
    unit: str
    unit_label: str
    sheets: tuple[str, ...]
    all_countries: bool = False
    editions: tuple[str, ...] | None = None


_BP = ("2021", "2022", "2023", "2024")

SERIES: tuple[SeriesDef, ...] = (
    SeriesDef(
        "oil_production", "kbd", "Thousand barrels daily", ("Oil Production - Barrels",), True
    ),
    SeriesDef("oil_production", "mt", "Million tonnes", ("Oil Production - Tonnes",), True),
    SeriesDef(
        "crude_condensate_production",
        "kbd",
        "Thousand barrels daily",
        ("Oil Production - Crude Conds", "Crude+cond production - barrels"),
    ),
    SeriesDef("oil_consumption", "kbd", "Thousand barrels daily", ("Oil Consumption - Barrels",)),
    SeriesDef("oil_consumption", "ej", "Exajoules", ("Oil Consumption - EJ",)),
    SeriesDef("gas_production", "bcm", "Billion cubic metres", ("Gas Production - Bcm",), True),
    SeriesDef("gas_production", "ej", "Exajoules", ("Gas Production - EJ",), True),
    SeriesDef("gas_consumption", "bcm", "Billion cubic metres", ("Gas Consumption - Bcm",)),
    SeriesDef("gas_consumption", "ej", "Exajoules", ("Gas Consumption - EJ",)),
    SeriesDef(
        "gas_lng_imports",
        "bcm",
        "Billion cubic metres",
        ("Gas - LNG imports", "Gas - LNG imports bcm"),
        True,
    ),
    SeriesDef(
        "coal_production",
        "mt",
        "Million tonnes",
        ("Coal Production - Tonnes", "Coal Production - mt"),
    ),
    SeriesDef("coal_production", "ej", "Exajoules", ("Coal Production - EJ",)),
    SeriesDef("coal_consumption", "ej", "Exajoules", ("Coal Consumption - EJ",)),
    SeriesDef(
        "primary_energy_consumption",
        "ej",
        "Exajoules",
        ("Primary Energy Consumption", "Primary energy cons - EJ"),
        editions=_BP,
    ),
    SeriesDef(
        "total_energy_supply",
        "ej",
        "Exajoules",
        ("Total Energy Supply (TES) -EJ",),
        editions=("2026",),
    ),
    SeriesDef(
        "electricity_generation",
        "twh",
        "Terawatt-hours",
        ("Electricity Generation", "Electricity Generation - TWh"),
    ),
    SeriesDef(
        "electricity_generation_coal",
        "twh",
        "Terawatt-hours",
        ("Elec Gen from Coal", "Coal inputs - Elec generation"),
    ),
    SeriesDef(
        "electricity_generation_gas",
        "twh",
        "Terawatt-hours",
        ("Elec Gen from Gas", "Gas inputs - Elec generation"),
    ),
    SeriesDef(
        "oil_reserves",
        "bn_bbl",
        "Thousand million barrels",
        ("Oil - Proved reserves history",),
        True,
    ),
    SeriesDef("gas_reserves", "tcm", "Trillion cubic metres", ("Gas - Proved reserves history",)),
)

VARIABLES: tuple[str, ...] = tuple(sorted({s.variable for s in SERIES}))
ENTITY_KINDS: tuple[str, ...] = ("country", "area", "subtotal", "total")

# --------------------------------------------------------------------------------------
# Specs
# --------------------------------------------------------------------------------------

_F_EDITION = Field(
    "edition",
    "string",
    "Statistical Review edition year (the data run to the year before).",
    enum=tuple(EDITIONS),
)
_F_SOURCE = Field("source", "string", "Id of the Source the row comes from.")


def _value_field(unit: str) -> Field:
    """The nullable value column of one unit family."""
    from kzanalysis.schema import UNIT_SUFFIXES

    return Field(
        UNIT_COLUMNS[unit],
        "number",
        f"Value when the series is published in {UNIT_SUFFIXES[unit]}; empty otherwise.",
        unit=UNIT_SUFFIXES[unit],
        nullable=True,
    )


ENERGY_SERIES = TableSpec(
    name="energy_series",
    title="Statistical Review of World Energy series by edition",
    description=(
        "One row per edition, entity, variable, unit and year: production, consumption, "
        "proved reserves, LNG imports, primary energy / TES and electricity generation as "
        "published in each Statistical Review edition. Exactly one value_* column is filled."
    ),
    fields=(
        _F_EDITION,
        Field(
            "entity_code",
            "string",
            "ISO3 code, or a group/area code (WLD, CIS, CIS_OTHER, "
            "OECD, EU, USSR, REG_*, OTHER_*).",
        ),
        Field("entity", "string", "Entity name as published in the edition."),
        Field(
            "entity_kind",
            "string",
            "country; area (disjoint residual such as Other CIS); "
            "subtotal (overlapping group or region); total (World).",
            enum=ENTITY_KINDS,
        ),
        Field("variable", "string", "Series name.", enum=VARIABLES),
        Field("unit", "string", "Unit code of the filled value column.", enum=tuple(UNIT_COLUMNS)),
        Field(
            "year",
            "integer",
            "Data year (end of year for reserves).",
            unit="calendar year",
            minimum=1900,
            maximum=2100,
        ),
        *(_value_field(u) for u in UNIT_COLUMNS),
        _F_SOURCE,
    ),
    primary_key=("edition", "entity_code", "variable", "unit", "year"),
    sources=tuple(EDITIONS.values()),
    spatial="Kazakhstan, Russia, China, Turkmenistan, Uzbekistan, Tajikistan, Belarus, "
    "Armenia, Kyrgyzstan, United States, World and groups (CIS, Other CIS, USSR, OECD, "
    "non-OECD, OPEC, non-OPEC, EU); every itemised country from 2000 on for oil and gas "
    "production, oil proved reserves and LNG imports (for world ranks).",
    caveats=(
        "Editions revise history (e.g. Kazakhstan gas production 2020: 31.69 bcm in bp 2021, "
        "33.34 in bp 2022, 30.61 in EI 2026); filter on one edition, never mix silently.",
        "Proved reserves are frozen at end-2020 in every edition from 2022 on (EI: methodology "
        "under review); the EI 2026 history is unchanged.",
        "EI 2026 publishes Total Energy Supply (TES), not primary energy by the substitution "
        "method; it is much lower for China (142.8 vs 157.6 EJ in 2021). Stored as the separate "
        "variable total_energy_supply.",
        "EI 2026 rows come from a third party's JSON extraction of the workbook (values rounded "
        "to about 6 significant digits), not from the original file.",
        "For CIS countries the data before 1985 (1991 for reserves) are a USSR split or absent; "
        "the USSR row holds the earlier totals. Armenia, Kyrgyzstan and Tajikistan are not "
        "itemised in most sheets: they are inside 'Other CIS'.",
        "Cells marked n/a, '-', '^' (less than 0.05) etc. are omitted, not set to zero.",
        "Oil production includes NGLs; crude_condensate_production excludes them. Gas volumes "
        "are standardised to 40 MJ/m3 GCV.",
        "The bp 2022 narrow parquet/CSV is the same edition as the bp 2022 workbook and is not "
        "a row source; it only cross-checks the parser in tests.",
    ),
)

_FLOW_FIELDS_HEAD = (
    _F_EDITION,
    Field(
        "year",
        "integer",
        "Data year of the matrix.",
        unit="calendar year",
        minimum=1900,
        maximum=2100,
    ),
    Field("exporter", "string", "Exporter (From) as published."),
    Field("exporter_code", "string", "ISO3, group/area code, or TOTAL for the matrix total."),
    Field("exporter_kind", "string", "country, area, subtotal or total.", enum=ENTITY_KINDS),
    Field("importer", "string", "Importer (To) as published."),
    Field("importer_code", "string", "ISO3, group/area code, or TOTAL for the matrix total."),
    Field("importer_kind", "string", "country, area, subtotal or total.", enum=ENTITY_KINDS),
)

GAS_PIPELINE_FLOWS = TableSpec(
    name="energy_gas_pipeline_flows",
    title="Natural gas trade by pipeline, exporter to importer",
    description=(
        "One row per edition, data year, exporter and importer with a non-zero pipeline gas "
        "flow in the Statistical Review's 'Trade movements by pipeline' matrix. Importer "
        "code TOTAL with exporter X is X's total pipeline exports; exporter code TOTAL is the "
        "importer's total pipeline imports."
    ),
    fields=(
        *_FLOW_FIELDS_HEAD,
        Field(
            "flow_bcm",
            "number",
            "Pipeline gas flow.",
            unit="billion cubic metres (standardised to 40 MJ/m3 GCV)",
            minimum=0,
        ),
        _F_SOURCE,
    ),
    primary_key=("edition", "year", "exporter_code", "importer_code"),
    sources=tuple(EDITIONS.values()),
    spatial="Worldwide matrix as published (countries and regions).",
    caveats=(
        "Data years on disk: 2020 (bp 2021), 2021 (bp 2022), 2022 (EI 2023), 2023 (EI 2024), "
        "2025 (EI 2026). No 2024 matrix (EI 2025) is available.",
        "Zero cells are omitted: an absent exporter/importer pair means no recorded flow.",
        "Russia→China is all Russian pipeline gas to China; Power of Siberia alone is not "
        "published separately.",
        "Rows of kind subtotal (North America, Europe, CIS, Asia Pacific …) overlap their "
        "member rows; sum only country and area rows to avoid double counting.",
        "The EI 2026 matrix comes from the third-party JSON extraction and has no "
        "Kazakhstan→Russia cell.",
    ),
)

CRUDE_INTERAREA_FLOWS = TableSpec(
    name="energy_crude_interarea_flows",
    title="Crude oil inter-area movements",
    description=(
        "One row per edition, data year, exporting area and importing area with a non-zero "
        "crude oil flow (million tonnes) in the Statistical Review's 'Oil: Inter-area "
        "movements' matrix, crude block (condensates included). Importer code TOTAL is the "
        "exporting area's total; exporter code TOTAL (row 'Total imports') is the importing "
        "area's total crude imports."
    ),
    fields=(
        *_FLOW_FIELDS_HEAD,
        Field("flow_mt", "number", "Crude oil flow.", unit="million tonnes", minimum=0),
        _F_SOURCE,
    ),
    primary_key=("edition", "year", "exporter_code", "importer_code"),
    sources=tuple(EDITIONS.values()),
    spatial="Inter-area matrix: some countries (US, China, Russia, Saudi Arabia …) and areas; "
    "Kazakhstan is inside 'Other CIS'.",
    caveats=(
        "Areas, not countries: Kazakh crude is inside 'Other CIS' (with Azerbaijan and "
        "Turkmenistan). Russian crude shipped through Kazakh pipelines counts under Russia.",
        "Intra-area movements (e.g. within Europe) are excluded; bunkers are not exports.",
        "The EI 2026 JSON sheet is titled 2024 but its row totals equal the 2025 export column "
        "of 'Oil - Trade movements in 24-25' (collector's check); it is stored as year 2025.",
        "Russia is labelled 'Russia' in 2020-2022 and 2025 and 'Russian Federation' in 2023; "
        "both map to RUS.",
        "Zero cells are omitted.",
    ),
)

BRENT_ANNUAL = TableSpec(
    name="brent_annual",
    title="Brent spot price, annual average",
    description="One row per year: Europe Brent spot price FOB, annual average of daily prices.",
    fields=(
        Field(
            "year", "integer", "Calendar year.", unit="calendar year", minimum=1900, maximum=2100
        ),
        Field(
            "brent_usd_per_bbl",
            "number",
            "Annual average Brent spot price FOB.",
            unit="US dollars per barrel (nominal)",
            minimum=0,
        ),
        Field(
            "partial_year",
            "boolean",
            "True when the average covers part of the year only "
            "(1987: the series starts on 20 May 1987).",
        ),
        _F_SOURCE,
    ),
    primary_key=("year",),
    sources=(BRENT_SOURCE,),
    spatial="World market price (North Sea Brent).",
    caveats=(
        "1987 is a partial-year average (data start 20 May 1987).",
        "Nominal US dollars; the datahub file dates annual values on 30 June.",
    ),
)

#: Countries kept from WDI (the five Central Asian states, Russia, China, Belarus, Armenia).
FX_ISO3: tuple[str, ...] = ("KAZ", "KGZ", "TJK", "TKM", "UZB", "RUS", "CHN", "BLR", "ARM")

FX_OFFICIAL_RATES = TableSpec(
    name="fx_official_rates",
    title="Official exchange rates (LCU per US$)",
    description="One row per country and year with a published official exchange rate.",
    fields=(
        Field("country_iso3", "string", "ISO3 country code (WDI Country Code).", enum=FX_ISO3),
        Field("country", "string", "Country name as published by the World Bank."),
        Field(
            "year", "integer", "Calendar year.", unit="calendar year", minimum=1900, maximum=2100
        ),
        Field(
            "rate_lcu_per_usd",
            "number",
            "Official exchange rate, period average.",
            unit="local currency units per US dollar",
            minimum=0,
        ),
        _F_SOURCE,
    ),
    primary_key=("country_iso3", "year"),
    sources=(FX_SOURCE,),
    spatial="Kazakhstan, Kyrgyzstan, Tajikistan, Turkmenistan, Uzbekistan, Russia, China, "
    "Belarus, Armenia.",
    caveats=(
        "Empty WDI cells are omitted (Turkmenistan has rates for 1994-2001 only; 2024 is empty "
        "for all).",
        "Rates are in the currency unit of each year (redenominations are not adjusted: e.g. "
        "Belarus 2016, Russia 1998).",
    ),
)

TABLES: tuple[TableSpec, ...] = (
    ENERGY_SERIES,
    GAS_PIPELINE_FLOWS,
    CRUDE_INTERAREA_FLOWS,
    BRENT_ANNUAL,
    FX_OFFICIAL_RATES,
)

# --------------------------------------------------------------------------------------
# energy_series
# --------------------------------------------------------------------------------------


def _keep_entity(code: str, kind: str, year: int, series: SeriesDef) -> bool:
    """Scope rule: focus countries and groups always; other countries for rank series only.

    Non-focus countries are kept from :data:`RANK_FROM_YEAR` on (ranks are needed for
    recent years only; this keeps the table small).
    """
    if kind == "country":
        if code in FOCUS_ISO3:
            return True
        return series.all_countries and year >= RANK_FROM_YEAR
    return code in FOCUS_GROUPS


def series_frame(
    rows: Sequence[ei.SeriesRow], series: SeriesDef, edition: str, source_id: str, where: str
) -> pd.DataFrame:
    """Turn parsed rows of one sheet into ``energy_series`` rows (scoped, coded).

    Raises:
        RawDataError: for unmapped entity names or an entity repeated within the sheet.
    """
    mapping = ei.resolve_all({r.entity for r in rows}, where)
    records = []
    for r in rows:
        code, kind = mapping[r.entity]
        if not _keep_entity(code, kind, r.year, series):
            continue
        rec = {
            "edition": edition,
            "entity_code": code,
            "entity": ei.clean_name(r.entity),
            "entity_kind": kind,
            "variable": series.variable,
            "unit": series.unit,
            "year": r.year,
        }
        rec.update({col: None for col in UNIT_COLUMNS.values()})
        rec[UNIT_COLUMNS[series.unit]] = round(r.value, 6)
        rec["source"] = source_id
        records.append(rec)
    frame = pd.DataFrame.from_records(records, columns=ENERGY_SERIES.field_names)
    dup = frame.duplicated(["entity_code", "year"], keep=False)
    if dup.any():
        names = sorted(set(frame.loc[dup, "entity"]))
        raise fail(
            where,
            f"entities repeated within the sheet: {names}",
            "the sheet has sections; this series cannot be read as a plain table",
        )
    return frame


def _series_sheets(
    defs: Sequence[SeriesDef], edition: str, sheets: dict
) -> list[tuple[SeriesDef, str]]:
    """Pair each series definition that applies to ``edition`` with its sheet name."""
    out = []
    for s in defs:
        if s.editions is not None and edition not in s.editions:
            continue
        out.append((s, ei.find_sheet(sheets, s.sheets, f"edition {edition}")))
    return out


def build_energy_series(
    workbooks: dict[str, dict[str, ei.Grid]], json_sheets: dict[str, dict] | None
) -> pd.DataFrame:
    """Build ``energy_series`` from parsed workbooks (edition → sheets) and the 2026 JSON."""
    frames = []
    for edition, sheets in workbooks.items():
        src = EDITIONS[edition]
        for s, sheet in _series_sheets(SERIES, edition, sheets):
            where = f"{src.raw_paths[0]} [{sheet}]"
            rows = ei.parse_timeseries_grid(sheets[sheet], s.unit_label, where)
            frames.append(series_frame(rows, s, edition, src.id, where))
    if json_sheets is not None:
        for s, sheet in _series_sheets(SERIES, "2026", json_sheets):
            where = f"{SR_2026.raw_paths[0]} [{sheet}]"
            rows = ei.parse_timeseries_json(json_sheets[sheet], s.unit_label, where)
            frames.append(series_frame(rows, s, "2026", SR_2026.id, where))
    frame = pd.concat(frames, ignore_index=True)
    return finalize(frame, ENERGY_SERIES)


# --------------------------------------------------------------------------------------
# Matrices
# --------------------------------------------------------------------------------------

#: Pipeline-matrix labels that are regional subtotals (overlap their member rows).
GAS_SUBTOTALS: frozenset[str] = frozenset(
    {
        "North America",
        "S. & Cent. America",
        "Europe",
        "CIS",
        "Middle East",
        "Africa",
        "Asia Pacific",
        "Middle East & Africa",
    }
)

GAS_SHEETS = ("Gas - Trade movts - pipeline", "Gas trade - pipeline")
OIL_SHEETS = ("Oil - Inter-area movements",)
#: EI 2026 JSON: the inter-area sheet is titled 2024 but holds 2025 flows (PROVENANCE §2).
JSON_INTERAREA_YEAR = 2025


def _flow_kind(name: str, code: str, kind: str, subtotals: frozenset[str]) -> str:
    """Kind of a matrix label: matrix totals and listed subtotals; other groups are areas."""
    if kind == "total" and code == "TOTAL":
        return "total"
    if kind == "country":
        return "country"
    return "subtotal" if ei.clean_name(name) in subtotals else "area"


def flows_frame(
    cells: Sequence[ei.MatrixCell],
    spec: TableSpec,
    edition: str,
    year: int,
    source_id: str,
    where: str,
    subtotals: frozenset[str],
) -> pd.DataFrame:
    """Turn matrix cells into rows of a flow table (``spec`` gives the value column)."""
    labels = {c.exporter for c in cells} | {c.importer for c in cells}
    mapping = ei.resolve_all(labels, where)
    value_col = spec.field_names[-2]
    records = []
    for c in cells:
        (ex_code, ex_kind), (im_code, im_kind) = mapping[c.exporter], mapping[c.importer]
        records.append(
            {
                "edition": edition,
                "year": year,
                "exporter": ei.clean_name(c.exporter),
                "exporter_code": ex_code,
                "exporter_kind": _flow_kind(c.exporter, ex_code, ex_kind, subtotals),
                "importer": ei.clean_name(c.importer),
                "importer_code": im_code,
                "importer_kind": _flow_kind(c.importer, im_code, im_kind, subtotals),
                value_col: round(c.value, 6),
                "source": source_id,
            }
        )
    frame = pd.DataFrame.from_records(records, columns=spec.field_names)
    dup = frame.duplicated(["exporter_code", "importer_code"], keep=False)
    if dup.any():
        pairs = sorted(
            set(zip(frame.loc[dup, "exporter"], frame.loc[dup, "importer"], strict=True))
        )
        raise fail(where, f"exporter/importer pairs repeated in the matrix: {pairs[:5]}")
    return frame


def _grid_of_json(sheets: dict[str, dict], name: str, where: str) -> ei.Grid:
    """The ``grid`` of a ``raw`` JSON sheet."""
    sheet = sheets[name]
    grid = sheet.get("grid")
    if sheet.get("type") != "raw" or not isinstance(grid, list):
        raise fail(where, "expected a 'raw' sheet with a 'grid'", "check the extraction format")
    return grid


def _json_sheet_by_title(sheets: dict[str, dict], pattern: str, where: str) -> str:
    """Name of the single JSON sheet whose name matches ``pattern`` (regex, case-insensitive)."""
    import re

    hits = [n for n in sheets if re.fullmatch(pattern, ei.norm_sheet(n))]
    if len(hits) != 1:
        raise fail(where, f"expected one sheet matching {pattern!r}, found {hits}")
    return hits[0]


def build_gas_flows(
    workbooks: dict[str, dict[str, ei.Grid]], json_sheets: dict[str, dict] | None
) -> pd.DataFrame:
    """Build ``energy_gas_pipeline_flows`` from every edition's pipeline matrix."""
    grids: list[tuple[str, str, ei.Grid]] = []
    for edition, sheets in workbooks.items():
        src = EDITIONS[edition]
        name = ei.find_sheet(sheets, GAS_SHEETS, src.raw_paths[0])
        grids.append((edition, f"{src.raw_paths[0]} [{name}]", sheets[name]))
    if json_sheets is not None:
        where = SR_2026.raw_paths[0]
        name = _json_sheet_by_title(json_sheets, r"gas trade \d{4} - pipeline", where)
        grids.append(("2026", f"{where} [{name}]", _grid_of_json(json_sheets, name, where)))
    frames = []
    for edition, where, grid in grids:
        year = ei.title_year(grid, r"trade movements (\d{4}) by pipeline", where)
        cells = ei.parse_gas_pipeline_grid(grid, where)
        frames.append(
            flows_frame(
                cells, GAS_PIPELINE_FLOWS, edition, year, EDITIONS[edition].id, where, GAS_SUBTOTALS
            )
        )
    return finalize(pd.concat(frames, ignore_index=True), GAS_PIPELINE_FLOWS)


def build_crude_flows(
    workbooks: dict[str, dict[str, ei.Grid]], json_sheets: dict[str, dict] | None
) -> pd.DataFrame:
    """Build ``energy_crude_interarea_flows`` from every edition's inter-area matrix."""
    frames = []
    for edition, sheets in workbooks.items():
        src = EDITIONS[edition]
        name = ei.find_sheet(sheets, OIL_SHEETS, src.raw_paths[0])
        where = f"{src.raw_paths[0]} [{name}]"
        grid = sheets[name]
        year = ei.title_year(grid, r"inter-area movements (\d{4})", where)
        cells = ei.parse_oil_interarea_grid(grid, "Crude", where)
        frames.append(
            flows_frame(cells, CRUDE_INTERAREA_FLOWS, edition, year, src.id, where, frozenset())
        )
    if json_sheets is not None:
        base = SR_2026.raw_paths[0]
        name = ei.find_sheet(json_sheets, OIL_SHEETS, base)
        where = f"{base} [{name}]"
        grid = _grid_of_json(json_sheets, name, where)
        ei.title_year(grid, r"inter-area movements (\d{4})", where)  # layout check only
        cells = ei.parse_oil_interarea_grid(grid, "Crude", where)
        frames.append(
            flows_frame(
                cells,
                CRUDE_INTERAREA_FLOWS,
                "2026",
                JSON_INTERAREA_YEAR,
                SR_2026.id,
                where,
                frozenset(),
            )
        )
    return finalize(pd.concat(frames, ignore_index=True), CRUDE_INTERAREA_FLOWS)


# --------------------------------------------------------------------------------------
# Brent and FX
# --------------------------------------------------------------------------------------


def parse_brent_year(path: Path, where: str) -> pd.DataFrame:
    """Parse datahub ``brent-year.csv`` (``Date,Price``; Date = 30 June of the year).

    Raises:
        RawDataError: on a renamed header, a bad date or price, or a repeated year.
    """
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise fail(where, f"not a readable UTF-8 CSV ({exc})") from exc
    if list(raw.columns) != ["Date", "Price"]:
        raise fail(
            where,
            f"header is {list(raw.columns)}, expected ['Date', 'Price']",
            "the datahub package changed its layout; update parse_brent_year",
        )
    dates = pd.to_datetime(raw["Date"], format="%Y-%m-%d", errors="coerce")
    prices = pd.to_numeric(raw["Price"], errors="coerce")
    bad = dates.isna() | prices.isna()
    if bad.any():
        raise fail(where, f"unparseable rows: {raw.loc[bad].to_dict('records')[:5]}")
    years = dates.dt.year.astype("int64")
    if years.duplicated().any():
        raise fail(where, f"repeated years: {sorted(set(years[years.duplicated()]))}")
    first = int(years.min())
    frame = pd.DataFrame(
        {
            "year": years,
            "brent_usd_per_bbl": prices.astype("float64").round(6),
            # the EIA daily series starts on 1987-05-20, so its first year is partial
            "partial_year": (years == first) & (first == 1987),
            "source": BRENT_SOURCE.id,
        }
    )
    frame["partial_year"] = frame["partial_year"].astype("boolean")
    return finalize(frame, BRENT_ANNUAL)


def parse_wdi_csv(path: Path, where: str, countries: Sequence[str] = FX_ISO3) -> pd.DataFrame:
    """Parse a World Bank WDI bulk CSV (4 metadata lines, then a wide year table).

    Raises:
        RawDataError: if the header row is missing, the indicator is not PA.NUS.FCRF, or a
            requested country is absent.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise fail(where, f"not UTF-8 text ({exc})", "restore the World Bank bulk CSV") from exc
    lines = text.splitlines()
    head = next((i for i, ln in enumerate(lines) if ln.startswith('"Country Name"')), None)
    if head is None:
        raise fail(
            where,
            'no header line starting with "Country Name"',
            "expected the World Bank bulk-download layout",
        )
    rows = list(csv.reader(io.StringIO("\n".join(lines[head:]))))
    header = rows[0]
    if header[:4] != ["Country Name", "Country Code", "Indicator Name", "Indicator Code"]:
        raise fail(where, f"unexpected header start {header[:4]}")
    year_cols = [(j, int(h)) for j, h in enumerate(header) if h.strip().isdigit()]
    records = []
    seen = set()
    for row in rows[1:]:
        if len(row) < 4 or row[1] not in countries:
            continue
        if row[3] != "PA.NUS.FCRF":
            raise fail(where, f"indicator {row[3]!r}, expected 'PA.NUS.FCRF'")
        seen.add(row[1])
        for j, year in year_cols:
            cell = row[j].strip() if j < len(row) else ""
            if not cell:
                continue
            try:
                value = float(cell)
            except ValueError:
                raise fail(where, f"{row[1]} {year}: non-numeric value {cell!r}") from None
            records.append(
                {
                    "country_iso3": row[1],
                    "country": row[0],
                    "year": year,
                    "rate_lcu_per_usd": round(value, 6),
                    "source": FX_SOURCE.id,
                }
            )
    missing = sorted(set(countries) - seen)
    if missing:
        raise fail(where, f"countries absent from the file: {missing}")
    frame = pd.DataFrame.from_records(records, columns=FX_OFFICIAL_RATES.field_names)
    return finalize(frame, FX_OFFICIAL_RATES)


# --------------------------------------------------------------------------------------
# Common
# --------------------------------------------------------------------------------------


def finalize(frame: pd.DataFrame, spec: TableSpec) -> pd.DataFrame:
    """Order columns as the spec, cast dtypes, sort by the key and check key uniqueness.

    Raises:
        RawDataError: if the primary key repeats (an upstream duplicate the code missed).
    """
    from kzanalysis.schema import read_dtypes

    frame = frame[spec.field_names].astype(read_dtypes(spec))
    key = list(spec.primary_key)
    dup = frame.duplicated(key, keep=False)
    if dup.any():
        raise fail(
            spec.name,
            f"primary key {key} repeats: {frame.loc[dup, key].head().to_dict('records')}",
            "an upstream sheet holds duplicate rows; handle them in the parser",
        )
    return frame.sort_values(key, kind="mergesort").reset_index(drop=True)


def build(raw: Path) -> dict[str, pd.DataFrame]:
    """Return one DataFrame per spec in TABLES, curated from ``raw``."""
    raw = Path(raw)
    workbooks = {
        edition: ei.read_workbook(require(raw, src.raw_paths[0]))
        for edition, src in EDITIONS.items()
        if edition != "2026"
    }
    json_sheets = ei.read_json(require(raw, SR_2026.raw_paths[0]))
    brent_rel = BRENT_SOURCE.raw_paths[0]
    fx_rel = FX_SOURCE.raw_paths[0]
    return {
        ENERGY_SERIES.name: build_energy_series(workbooks, json_sheets),
        GAS_PIPELINE_FLOWS.name: build_gas_flows(workbooks, json_sheets),
        CRUDE_INTERAREA_FLOWS.name: build_crude_flows(workbooks, json_sheets),
        BRENT_ANNUAL.name: parse_brent_year(require(raw, brent_rel), brent_rel),
        FX_OFFICIAL_RATES.name: parse_wdi_csv(require(raw, fx_rel), fx_rel),
    }
