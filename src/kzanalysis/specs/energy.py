"""Energy tables: Statistical Review series and trade matrices, Brent, official FX rates.

Sources are declared in :mod:`kzanalysis.specs.energy_sources`, series definitions and
scope in :mod:`kzanalysis.specs.energy_series`, entity codes in
:mod:`kzanalysis.specs.energy_codes`; parsing lives in ``curate/energy.py`` (its docstring
says how each table is built).
"""

from __future__ import annotations

from kzanalysis.schema import UNIT_SUFFIXES, Field, TableSpec
from kzanalysis.specs.energy_series import (
    ENTITY_KINDS,
    FOCUS_GROUPS,
    FOCUS_ISO3,
    FX_ISO3,
    RANK_FROM_YEAR,
    SERIES,
    UNIT_COLUMNS,
    VARIABLES,
    SeriesDef,
)
from kzanalysis.specs.energy_sources import (
    BRENT_SOURCE,
    EDITIONS,
    FX_SOURCE,
    SR_2021,
    SR_2022,
    SR_2023,
    SR_2024,
    SR_2026,
)

__all__ = [
    "BRENT_ANNUAL",
    "BRENT_SOURCE",
    "CRUDE_INTERAREA_FLOWS",
    "EDITIONS",
    "ENERGY_SERIES",
    "ENTITY_KINDS",
    "FOCUS_GROUPS",
    "FOCUS_ISO3",
    "FX_ISO3",
    "FX_OFFICIAL_RATES",
    "FX_SOURCE",
    "GAS_PIPELINE_FLOWS",
    "RANK_FROM_YEAR",
    "SERIES",
    "SR_2021",
    "SR_2022",
    "SR_2023",
    "SR_2024",
    "SR_2026",
    "TABLES",
    "UNIT_COLUMNS",
    "VARIABLES",
    "SeriesDef",
]

_F_EDITION = Field(
    "edition",
    "string",
    "Statistical Review edition year (the data run to the year before).",
    enum=tuple(EDITIONS),
)
_F_SOURCE = Field("source", "string", "Id of the Source the row comes from.")


def _value_field(unit: str) -> Field:
    """The nullable value column of one unit family."""
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
