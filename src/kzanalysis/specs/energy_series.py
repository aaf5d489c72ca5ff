"""Energy series definitions: which Statistical Review series are curated, and for whom.

Declarations shared by curation (which sheets to read, which entities to keep) and the
energy analysis (units, focus countries, rank years).
"""

from __future__ import annotations

from dataclasses import dataclass

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
        sheets: Accepted sheet names (matched case- and space-insensitively).
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

#: Countries kept from WDI (the five Central Asian states, Russia, China, Belarus, Armenia).
FX_ISO3: tuple[str, ...] = ("KAZ", "KGZ", "TJK", "TKM", "UZB", "RUS", "CHN", "BLR", "ARM")
