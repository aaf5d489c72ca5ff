"""Arms tables: SIPRI deals, deliveries and TIV tables for the Central Asian recipients.

All values are SIPRI trend-indicator values (TIV, millions): a volume index, not money.
Sources are declared in :mod:`kzanalysis.specs.arms_sources`; SIPRI's export formats are
read by ``curate/arms_sipri.py`` and the tables built by ``curate/arms.py``.
"""

from __future__ import annotations

from kzanalysis.schema import Field, TableSpec
from kzanalysis.specs.arms_sources import (
    EDITIONS,
    SRC_DELIVERIES_2024,
    SRC_DELIVERIES_2026,
    SRC_REGISTER_2025,
    SRC_REGISTER_2026,
    SRC_TIV_CHINA,
    SRC_TIV_IMPORTS,
)

__all__ = [
    "ACTOR_KINDS",
    "CENTRAL_ASIA",
    "CHINA_EXPORTS",
    "CHINA_TOTAL_ROW",
    "DEALS",
    "DELIVERIES",
    "EDITIONS",
    "IMPORT_TOTALS",
    "SIPRI_STATE_ALIASES",
    "SRC_DELIVERIES_2024",
    "SRC_DELIVERIES_2026",
    "SRC_REGISTER_2025",
    "SRC_REGISTER_2026",
    "SRC_TIV_CHINA",
    "SRC_TIV_IMPORTS",
    "STATUSES",
    "TABLES",
    "WORLD_CODE",
    "WORLD_IMPORTS_ROW",
]

# --------------------------------------------------------------------------- codes

#: Central Asian recipients as SIPRI spells them, with their ISO3 codes.
CENTRAL_ASIA: dict[str, str] = {
    "Kazakhstan": "KAZ",
    "Kyrgyzstan": "KGZ",
    "Tajikistan": "TJK",
    "Turkmenistan": "TKM",
    "Uzbekistan": "UZB",
}

#: SIPRI spellings of states that ``pycountry.countries.lookup`` does not resolve.
#: Former states get their ISO 3166-3 alpha-3 codes (``SUN`` = Soviet Union, which
#: SIPRI uses as supplier up to 1991; ``Russia`` from 1992). Kosovo has no ISO code;
#: ``XKX`` is the user-assigned code used by the EU and the World Bank.
SIPRI_STATE_ALIASES: dict[str, str] = {
    "Russia": "RUS",
    "Soviet Union": "SUN",
    "Turkiye": "TUR",
    "Turkey": "TUR",
    "UAE": "ARE",
    "Bosnia-Herzegovina": "BIH",
    "Brunei": "BRN",
    "Cote d'Ivoire": "CIV",
    "Czechoslovakia": "CSK",
    "DR Congo": "COD",
    "East Germany (GDR)": "DDR",
    "Kosovo": "XKX",
    "Palestine": "PSE",
    "Saint Vincent": "VCT",
    "Yugoslavia": "YUG",
}

#: Kinds of actor in the ``supplier_kind`` columns.
ACTOR_KINDS: tuple[str, ...] = ("state", "non_state", "organisation", "unknown")

#: Values of the register's ``status`` column.
STATUSES: tuple[str, ...] = ("New", "Second hand", "Second hand but modernized")

#: Row names of the TIV tables' total rows, coded ``WLD`` in the curated tables.
WORLD_IMPORTS_ROW = "Total world import"
CHINA_TOTAL_ROW = "Total imports from China"
WORLD_CODE = "WLD"

# --------------------------------------------------------------------------- fields

_CA_CODES = tuple(sorted(CENTRAL_ASIA.values()))
_YEAR = "calendar year"
_TIV = "SIPRI trend-indicator value, millions (a volume index, not money)"
_TIV_UNIT = "SIPRI TIV per unit, millions"
_ITEMS = "number of weapon items"


def _edition(ids: tuple[str, ...]) -> Field:
    """The ``edition`` field, allowing the vintages of the sources ``ids``."""
    return Field(
        "edition",
        "string",
        "SIPRI vintage: the export's 'Data generated' date (ISO); always quote it with a figure",
        enum=tuple(sorted(EDITIONS[i] for i in ids)),
    )


def _source(ids: tuple[str, ...]) -> Field:
    """The ``source`` field, allowing the source ids ``ids``."""
    return Field("source", "string", "Id of the Source the row comes from", enum=ids)


_RECIPIENT_FIELDS = (
    Field("recipient_iso3", "string", "ISO3 code of the Central Asian recipient", enum=_CA_CODES),
    Field("recipient", "string", "Recipient name as SIPRI spells it"),
)
_SUPPLIER_FIELDS = (
    Field(
        "supplier_iso3",
        "string",
        "ISO3 code of the supplier state (SUN = Soviet Union, ISO 3166-3; SIPRI uses it up "
        "to 1991 and Russia from 1992); empty for non-state actors, organisations and "
        "unknown suppliers",
        nullable=True,
    ),
    Field("supplier", "string", "Supplier name as SIPRI spells it ('*' non-state, '**' org.)"),
    Field(
        "supplier_kind",
        "string",
        "state, non_state ('*' in SIPRI), organisation ('**') or unknown ('unknown supplier(s)')",
        enum=ACTOR_KINDS,
    ),
)

_DEAL_IDS = (SRC_REGISTER_2026.id, SRC_REGISTER_2025.id)
DEALS = TableSpec(
    name="arms_deals",
    title="Arms transfer deals with Central Asian recipients (SIPRI trade register, 2 vintages)",
    description=(
        "One row per deal (order) of major conventional arms with a recipient in Kazakhstan, "
        "Kyrgyzstan, Tajikistan, Turkmenistan or Uzbekistan, as listed in SIPRI's deal-level "
        "trade register, for two vintages (edition) so revisions can be compared. TIV values "
        "are as published by SIPRI (already adjusted for second-hand status). deal_id is "
        "'<recipient ISO3>-<supplier ISO3, or NSA/ORG/UNK>-<order year>-<first 8 hex digits "
        "of the SHA-1 of the record's 16 raw cells>' (a '-2', '-3' suffix would separate "
        "identical records); it is stable for a given edition and equal across editions only "
        "if SIPRI left the record unchanged."
    ),
    fields=(
        _edition(_DEAL_IDS),
        Field("deal_id", "string", "Deal id, unique within an edition (see description)"),
        *_RECIPIENT_FIELDS,
        *_SUPPLIER_FIELDS,
        Field("order_year", "integer", "Year of order", unit=_YEAR, nullable=True, minimum=1950),
        Field("order_year_uncertain", "boolean", "SIPRI marks the order year '?' (uncertain)"),
        Field(
            "ordered_count",
            "integer",
            "Number ordered (empty: not known)",
            unit=_ITEMS,
            nullable=True,
            minimum=0,
        ),
        Field("ordered_count_uncertain", "boolean", "SIPRI marks the number ordered '?'"),
        Field("designation", "string", "Weapon designation (e.g. Su-30MK)"),
        Field(
            "description",
            "string",
            "Weapon description as published (vintage 2026 uses long forms such as 'armoured "
            "personnel carrier', older vintages 'APC')",
        ),
        Field(
            "delivered_count",
            "integer",
            "Number delivered over all years (deliveries identified so far)",
            unit=_ITEMS,
            nullable=True,
            minimum=0,
        ),
        Field("delivered_count_uncertain", "boolean", "SIPRI marks the number delivered '?'"),
        Field(
            "delivery_years",
            "string",
            "Year(s) of delivery as published, '; '-separated (empty: none identified)",
            nullable=True,
        ),
        Field(
            "first_delivery_year",
            "integer",
            "Earliest year in delivery_years",
            unit=_YEAR,
            nullable=True,
            minimum=1950,
        ),
        Field(
            "last_delivery_year",
            "integer",
            "Latest year in delivery_years",
            unit=_YEAR,
            nullable=True,
            minimum=1950,
        ),
        Field("status", "string", "New, Second hand or Second hand but modernized", enum=STATUSES),
        Field(
            "comments",
            "string",
            "SIPRI's comments (version, aid, licence production, deal price ...)",
            nullable=True,
        ),
        Field(
            "tiv_per_unit_mn",
            "number",
            "TIV of one unit, adjusted for status (second hand 40%, modernized 66% of new)",
            unit=_TIV_UNIT,
            nullable=True,
            minimum=0,
        ),
        Field(
            "order_tiv_mn",
            "number",
            "TIV of the whole order (empty: number ordered or unit TIV not available)",
            unit=_TIV,
            nullable=True,
            minimum=0,
        ),
        Field(
            "delivered_tiv_mn",
            "number",
            "TIV of the weapons delivered, all years together (0 means 0-0.5; empty means "
            "no deliveries identified)",
            unit=_TIV,
            nullable=True,
            minimum=0,
        ),
        _source(_DEAL_IDS),
    ),
    primary_key=("edition", "deal_id"),
    sources=(SRC_REGISTER_2026, SRC_REGISTER_2025),
    spatial="Recipients: Kazakhstan, Kyrgyzstan, Tajikistan, Turkmenistan, Uzbekistan; "
    "suppliers: all",
    caveats=(
        "TIV is SIPRI's trend-indicator value: a volume index of major conventional arms based "
        "on unit production costs, NOT money; never compare it with USD or trade values.",
        "Gifts and aid count at full TIV (e.g. the 2013 S-300PS aid from Russia).",
        "Coverage is major conventional weapons only (aircraft, armoured vehicles, artillery, "
        "air defence, missiles, ships, sensors, engines, turrets); small arms are excluded; "
        "licensed production in the recipient country is included.",
        "SIPRI revises the whole database every spring, including old years: always quote the "
        "edition. Between 2025-03-13 and 2026-05-18 e.g. Kazakhstan's 2022 Mi-35M order went "
        "from 1 delivered to 0 and the 2021 Su-30SM order's deliveries from '2024' to "
        "'2023; 2024'.",
        "delivered_tiv_mn is a total over all delivery years; use arms_deliveries for annual "
        "figures. delivered_count and delivery_years count deliveries identified so far; an "
        "order with 0 delivered can still have order_tiv_mn.",
        "'?' (the *_uncertain flags) marks data SIPRI considers uncertain. A TIV of 0 means "
        "between 0 and 0.5 million.",
        "Weapon descriptions are spelled differently by vintage (2026: long forms such as "
        "'fighter/ground-attack aircraft'; 2025: 'FGA aircraft'), as are some supplier names "
        "('UAE' vs 'United Arab Emirates'); supplier_iso3 is consistent.",
        "SIPRI records Kazakhstan's Su-30SM as designation 'Su-30MK' with the comment "
        "'Su-30SM version'. No Y-8 transport aircraft from China to any Central Asian state "
        "appears in either vintage.",
        "The 2025-03-13 file has 4 non-Central-Asian records whose Comments contain a raw line "
        "break; the reader re-joins split records (none is in this extract).",
        "Only deals with one of the five states as recipient are kept (SIPRI's terms forbid "
        "republishing the database); no Central Asian recipient appears before 1992.",
    ),
    year_field="order_year",
)

_DELIVERY_IDS = (SRC_DELIVERIES_2026.id, SRC_DELIVERIES_2024.id)
DELIVERIES = TableSpec(
    name="arms_deliveries",
    title="Arms deliveries to Central Asia by deal and delivery year (SIPRI, 2 vintages)",
    description=(
        "One row per deal and delivery year for deals with a Central Asian recipient, from "
        "SIPRI's per-delivery-year trade registers. tiv_mn is the TIV delivered in that year, "
        "the quantity SIPRI's annual TIV tables sum, so sums per recipient and year reproduce "
        "SIPRI's import totals of the same vintage."
    ),
    fields=(
        _edition(_DELIVERY_IDS),
        Field("sipri_deal_id", "string", "SIPRI AT Database ID of the deal"),
        *_RECIPIENT_FIELDS,
        *_SUPPLIER_FIELDS,
        Field("year", "integer", "Delivery year", unit=_YEAR, minimum=1950),
        Field("year_uncertain", "boolean", "SIPRI: 'Delivery year is estimate'", nullable=True),
        Field(
            "order_year", "integer", "Order date (year)", unit=_YEAR, nullable=True, minimum=1950
        ),
        Field("order_year_uncertain", "boolean", "SIPRI: 'Order date is estimate'", nullable=True),
        Field("designation", "string", "Weapon designation"),
        Field("description", "string", "Weapon description as published in that vintage"),
        Field("armament_category", "string", "SIPRI armament category (e.g. Aircraft)"),
        Field(
            "delivered_count",
            "integer",
            "Number delivered in this year",
            unit=_ITEMS,
            nullable=True,
            minimum=0,
        ),
        Field(
            "delivered_count_uncertain",
            "boolean",
            "SIPRI: 'Numbers delivered is estimate'",
            nullable=True,
        ),
        Field("status", "string", "New, Second hand or Second hand but modernized", enum=STATUSES),
        Field(
            "new_tiv_per_unit_mn",
            "number",
            "SIPRI estimate: TIV of one new unit, before the status adjustment",
            unit=_TIV_UNIT,
            nullable=True,
            minimum=0,
        ),
        Field(
            "deal_tiv_per_unit_mn",
            "number",
            "TIV deal unit: TIV of one unit after the second-hand/modernized adjustment",
            unit=_TIV_UNIT,
            nullable=True,
            minimum=0,
        ),
        Field(
            "tiv_mn",
            "number",
            "TIV delivered in this year (0 means 0-0.5)",
            unit=_TIV,
            nullable=True,
            minimum=0,
        ),
        Field(
            "local_production",
            "boolean",
            "SIPRI: produced under licence in the recipient country",
            nullable=True,
        ),
        _source(_DELIVERY_IDS),
    ),
    primary_key=("edition", "sipri_deal_id", "year"),
    sources=(SRC_DELIVERIES_2026, SRC_DELIVERIES_2024),
    spatial="Recipients: Kazakhstan, Kyrgyzstan, Tajikistan, Turkmenistan, Uzbekistan; "
    "suppliers: all",
    caveats=(
        "TIV is a volume index, NOT money; never compare it with USD or trade values.",
        "Edition 2026-02-12 was generated before SIPRI's March-2026 update: its values are the "
        "2025 vintage (equal to arms_deals edition 2025-03-13) and it covers delivery years "
        "1995-2024 only. The only Central Asian delivery before 1995 is Tajikistan <- Russia, "
        "10 second-hand Mi-17 in 1994 (29 TIV), which is in edition 2024-04-13 and in "
        "arms_deals but deliberately NOT copied into edition 2026-02-12 (rows of an edition "
        "come from that edition's file only); add it when summing that edition from 1994.",
        "Edition 2024-04-13 (2024 vintage) covers delivery years 1990-2023 and matches SIPRI's "
        "2024 import TIV table (arms_sipri_import_totals) within 1 TIV per recipient and year. "
        "Edition 2026-02-12 differs from that table where SIPRI revised the data, e.g. "
        "Kazakhstan 2021 (85 in the 2024 table, 195 here), Kyrgyzstan 2023 (23 vs 52.5), "
        "Turkmenistan 2021 (377 vs 382.4) and Kazakhstan 2017-2019 (about 1.5-2 TIV).",
        "Do not mix editions for the same years without saying so; there is no SIPRI-format "
        "per-year file for the 2026 vintage (2025 deliveries).",
        "Estimate flags are empty for a few rows in edition 2026-02-12 (kept as missing). "
        "Descriptions and armament categories are spelled differently by vintage ('APC' vs "
        "'armoured personnel carrier', 'Air defence systems' vs 'Air-defence systems').",
        "The 2026-02-12 file ends every line with an extra ';' (removed before parsing).",
        "Only deals with one of the five states as recipient are kept (SIPRI's terms).",
    ),
    year_field="year",
)

_TOTAL_FIELDS = (
    Field("year", "integer", "Year of delivery", unit=_YEAR, minimum=1950),
    Field(
        "tiv_mn",
        "number",
        "TIV delivered in the year, as published (rounded; 0 means 0-0.5)",
        unit=_TIV,
        minimum=0,
    ),
)

IMPORT_TOTALS = TableSpec(
    name="arms_sipri_import_totals",
    title="SIPRI TIV table: arms imports of the Central Asian states and the world, by year",
    description=(
        "SIPRI's own annual import totals ('Volume of transfers of major arms', imports by "
        "recipient) for the five Central Asian states and the world total (recipient_iso3 "
        "WLD), one row per recipient and year with deliveries identified. Used as the "
        "denominator of global shares and to validate sums of arms_deliveries."
    ),
    fields=(
        _edition((SRC_TIV_IMPORTS.id,)),
        Field(
            "recipient_iso3",
            "string",
            "ISO3 code of the recipient; WLD = world total (SIPRI's 'Total world import')",
            enum=(*_CA_CODES, WORLD_CODE),
        ),
        Field("recipient", "string", "Row name as SIPRI spells it"),
        *_TOTAL_FIELDS,
        _source((SRC_TIV_IMPORTS.id,)),
    ),
    primary_key=("edition", "recipient_iso3", "year"),
    sources=(SRC_TIV_IMPORTS,),
    spatial="Kazakhstan, Kyrgyzstan, Tajikistan, Turkmenistan, Uzbekistan; world total",
    caveats=(
        "TIV is a volume index, NOT money.",
        "Only non-empty cells are kept: a missing recipient-year means SIPRI identified no "
        "deliveries (the five states have no rows before 1992). The 2024 column of this "
        "vintage is empty for every row (data through 2023), so 2024 is absent.",
        "Values are SIPRI's rounded published figures (2024 vintage); the register-based "
        "tables of other vintages differ where SIPRI revised the data.",
        "The table gives no supplier breakdown; use arms_deliveries for that.",
        "The all-years total and percentage columns are not kept (recompute from the years).",
    ),
    year_field="year",
)

CHINA_EXPORTS = TableSpec(
    name="arms_sipri_china_exports",
    title="SIPRI TIV table: China's arms exports to Central Asia and in total, by year",
    description=(
        "SIPRI's TIV table of China's exports by recipient, for the Central Asian recipients "
        "and the total of all recipients (recipient_iso3 WLD, SIPRI's 'Total imports from "
        "China'), one row per recipient and year with deliveries identified."
    ),
    fields=(
        _edition((SRC_TIV_CHINA.id,)),
        Field(
            "recipient_iso3",
            "string",
            "ISO3 code of the recipient; WLD = all recipients ('Total imports from China')",
            enum=(*_CA_CODES, WORLD_CODE),
        ),
        Field("recipient", "string", "Row name as SIPRI spells it"),
        *_TOTAL_FIELDS,
        _source((SRC_TIV_CHINA.id,)),
    ),
    primary_key=("edition", "recipient_iso3", "year"),
    sources=(SRC_TIV_CHINA,),
    spatial="Supplier China; recipients Kazakhstan, Tajikistan, Turkmenistan, Uzbekistan "
    "(Kyrgyzstan has no deliveries from China in 2000-2025) and all recipients",
    caveats=(
        "TIV is a volume index, NOT money.",
        "Only non-empty cells are kept: a missing recipient-year means no deliveries "
        "identified; Kyrgyzstan has no row at all.",
        "2026 vintage (March-2026 update), deliveries 2000-2025; not directly comparable with "
        "the 2024-vintage arms_sipri_import_totals.",
        "The all-years total and percentage columns are not kept.",
    ),
    year_field="year",
)

TABLES: tuple[TableSpec, ...] = (DEALS, DELIVERIES, IMPORT_TOTALS, CHINA_EXPORTS)
