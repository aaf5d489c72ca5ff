"""Curation of the arms snapshots: SIPRI Arms Transfers Database, Central Asian extract.

Tables (all values in SIPRI trend-indicator values, TIV, millions — a volume index,
not money):

* ``arms_deals`` — one row per deal with a Central Asian recipient, from the deal-level
  trade registers of two vintages (data generated 2026-05-18 and 2025-03-13).
* ``arms_deliveries`` — one row per deal x delivery year, from the per-delivery-year
  registers (generated 2026-02-12 and 2024-04-13); sums give SIPRI's annual totals.
* ``arms_sipri_import_totals`` — SIPRI's own TIV table of imports by recipient
  (generated 2024-10-13): the five Central Asian states and the world total.
* ``arms_sipri_china_exports`` — SIPRI's TIV table of China's exports by recipient
  (generated 2026-07-14): Central Asian recipients and the all-recipient total.

SIPRI's terms allow reformatting and calculating but not republishing the database, so
only the Central Asian rows (plus the world / China-total rows of the TIV tables) are
kept. Parsing of SIPRI's export formats lives in :mod:`kzanalysis.curate.arms_sipri`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from kzanalysis.curate._io import fail, require
from kzanalysis.curate.arms_sipri import (
    ACTOR_KINDS,
    CENTRAL_ASIA,
    DELIVERIES_HEADER,
    REGISTER_HEADER,
    STATUSES,
    CellParser,
    SipriExport,
    check_header,
    deal_key,
    map_actors,
    read_export,
    read_tiv_table,
    rejoin_split_records,
)
from kzanalysis.schema import Field, Source, TableSpec, read_dtypes

# --------------------------------------------------------------------------- sources

_URL = "https://www.sipri.org/databases/armstransfers"
_TERMS_URL = "https://www.sipri.org/contents/armstrad/user_rules.html"
_TERMS = (
    "SIPRI Arms Transfers Database (c) SIPRI; credit line required: 'Information from the "
    "SIPRI Arms Transfers Database'. SIPRI's user rules allow downloading, citing, "
    "reformatting and calculating with the data, but such calculations must not be "
    "attributed to SIPRI, and commercial use needs SIPRI's agreement; SIPRI's terms limit "
    "fair-use reproduction to under 10% of a published data set, so the database must not "
    "be republished in full. This project commits only the Central Asian extract "
    "(recipients Kazakhstan, Kyrgyzstan, Tajikistan, Turkmenistan, Uzbekistan{extra}). The "
    "mirror repository the file was copied from states no licence for it."
)
_COPIED = (
    "Byte-for-byte copy (git show <commit>:<path>) of a SIPRI export committed to the public "
    "GitHub repository {repo}, path {path}, added in commit {commit} ({date}); snapshot HEAD "
    "{head}. SIPRI's own site was not reachable from the collection environment, so nothing "
    "was downloaded from SIPRI directly. sha256 {sha}."
)
_REGISTER_2026 = "arms/raw/sipri_trade_register_all_1950-2025_gen2026-05-18.csv"
_REGISTER_2025 = "arms/raw/sipri_trade_register_all_1950-2024_gen2025-03-13.csv"
_DELIVERIES_2026 = "arms/raw/sipri_trade_register_deliveries_1995-2025_gen2026-02-12.csv"
_DELIVERIES_2024 = "arms/raw/sipri_trade_register_deliveries_1990-2023_gen2024-04-13.csv"
_TIV_IMPORTS = "arms/raw/sipri_tiv_table_imports_by_recipient_1950-2024_gen2024-10-13.csv"
_TIV_CHINA = "arms/raw/sipri_tiv_table_china_exports_by_recipient_2000-2025_gen2026-07-14.csv"

SRC_REGISTER_2026 = Source(
    id="sipri_register_2026",
    publisher="Stockholm International Peace Research Institute (SIPRI)",
    title="SIPRI Arms Transfers Database: trade register, all suppliers and recipients, "
    "deals with deliveries in any year (DOI 10.55163/SAFC1241)",
    url=_URL,
    terms=_TERMS.format(extra=""),
    terms_url=_TERMS_URL,
    edition="Data generated 18 May 2026 (March-2026 database update; deliveries through 2025)",
    retrieved=_COPIED.format(
        repo="alexarui/network-analysis",
        path="trade-register.csv",
        commit="fefe838f1a43f1128abf8fbee110b40063868bda",
        date="2026-05-28",
        head="bc16e95989efdc07f3427b1f44a72bd511dee9c0",
        sha="42230eb8758d2b4f9041af8a74ee6f3c93e4b5da01b5503e349055ddecfa3314",
    ),
    raw_paths=(_REGISTER_2026,),
)
SRC_REGISTER_2025 = Source(
    id="sipri_register_2025",
    publisher="Stockholm International Peace Research Institute (SIPRI)",
    title="SIPRI Arms Transfers Database: trade register, all suppliers and recipients, "
    "deals with deliveries in any year (DOI 10.55163/SAFC1241)",
    url=_URL,
    terms=_TERMS.format(extra=""),
    terms_url=_TERMS_URL,
    edition="Data generated 13 Mar 2025 (2025 database vintage; deliveries through 2024)",
    retrieved=_COPIED.format(
        repo="ColasDroin/SIPRI_arms_transfers_analysis",
        path="trade-register.csv",
        commit="3439ef7d225f26de4a273cb08b051e51c8081eb9",
        date="2025-03-13",
        head="b34bde378b96bf8450441fd6097d5c19b278b8ca",
        sha="915257da0889e15d59936dbdf756529c34ee33c3a0c2ae73183d9cd8fd4b9c92",
    ),
    raw_paths=(_REGISTER_2025,),
)
SRC_DELIVERIES_2026 = Source(
    id="sipri_deliveries_2026",
    publisher="Stockholm International Peace Research Institute (SIPRI)",
    title="SIPRI Arms Transfers Database: trade register by delivery year ('new format'), "
    "all countries, deliveries 1995-2025 (DOI 10.55163/SAFC1241)",
    url=_URL,
    terms=_TERMS.format(extra=""),
    terms_url=_TERMS_URL,
    edition="Data generated 12 Feb 2026 (before the March-2026 update: values are the 2025 "
    "vintage, latest delivery year 2024)",
    retrieved=_COPIED.format(
        repo="nagehanrdogan/Global-Arms-Trade-Network-Analysis-1995-2024-",
        path="trade_register.csv",
        commit="3bcd6c41730f26878edc344425896f57c83dcb29",
        date="2026-02-15",
        head="bdf78c664d67991f2b199a771dcb9e7ac392ebb7",
        sha="de974d8302efdeaad98d0b5a7d0ef020a3e5d1929b6406423cfe2ee2bad51868",
    ),
    raw_paths=(_DELIVERIES_2026,),
)
SRC_DELIVERIES_2024 = Source(
    id="sipri_deliveries_2024",
    publisher="Stockholm International Peace Research Institute (SIPRI)",
    title="SIPRI Arms Transfers Database: trade register by delivery year, all countries, "
    "deliveries or orders 1990-2023 (DOI 10.55163/SAFC1241)",
    url=_URL,
    terms=_TERMS.format(extra=""),
    terms_url=_TERMS_URL,
    edition="Data generated 13 Apr 2024 (2024 database vintage; deliveries through 2023)",
    retrieved=_COPIED.format(
        repo="Andrei-Teodor-Petre/InfoVizProject",
        path="trade-register.csv",
        commit="1b17cccbea316a85499f4204c5e202905a07031f",
        date="2024-05-25",
        head="3b77ff409b87651a980065353b769dc9baeaffff",
        sha="c1e517315ae7132ed36bc4dd3dedf5e6876ababec4fc0af0e3b2b91ea9725c75",
    )
    + " The repository's MIT licence covers its code, not SIPRI's data.",
    raw_paths=(_DELIVERIES_2024,),
)
SRC_TIV_IMPORTS = Source(
    id="sipri_tiv_imports_2024",
    publisher="Stockholm International Peace Research Institute (SIPRI)",
    title="SIPRI Arms Transfers Database: TIV table 'Volume of transfers of major arms', "
    "imports by recipient, 1950-2024 (DOI 10.55163/SAFC1241)",
    url=_URL,
    terms=_TERMS.format(extra="; plus the 'Total world import' row"),
    terms_url=_TERMS_URL,
    edition="Data generated 13 Oct 2024 (2024 database vintage; data through 2023, the 2024 "
    "column is empty)",
    retrieved=_COPIED.format(
        repo="MJHofmann/SIPRI_BRICS",
        path="import-export-values_1950-2024.csv",
        commit="476134311a192f43e0a856357c97c8f35274eb30",
        date="2024-10-13",
        head="bfc9be19b1e3f6ede1ff89e4b3a2c1536485a423",
        sha="77f25767db512c49e9132bb2a2f2dbd34f8455afd22bf62d50670a0a872f248d",
    ),
    raw_paths=(_TIV_IMPORTS,),
)
SRC_TIV_CHINA = Source(
    id="sipri_tiv_china_2026",
    publisher="Stockholm International Peace Research Institute (SIPRI)",
    title="SIPRI Arms Transfers Database: TIV table 'Volume of transfers of major arms', "
    "exports from China by recipient, 2000-2025 (DOI 10.55163/SAFC1241)",
    url=_URL,
    terms=_TERMS.format(extra="; plus the 'Total imports from China' row"),
    terms_url=_TERMS_URL,
    edition="Data generated 14 Jul 2026 (March-2026 database update; data through 2025)",
    retrieved=_COPIED.format(
        repo="DCL-2049/Chinese-Arms-Exports",
        path="data/sipri_tiv_table_2000_2025.csv",
        commit="4fb3a5412a6fd3eef3452af21f256ada117ad82c",
        date="2026-07-14",
        head="18e8aa06bb6edf6aef1b6f8336a4c4009108618c",
        sha="bbdb51d8bed41b708f6c1d66ffb89245c62aabe3cd3b7f79cf00d451086a907d",
    ),
    raw_paths=(_TIV_CHINA,),
)

#: The "Data generated" date (ISO) each source's file must carry; a different date means
#: the file was replaced by another vintage and the specs must be updated with it.
EDITIONS: dict[str, str] = {
    SRC_REGISTER_2026.id: "2026-05-18",
    SRC_REGISTER_2025.id: "2025-03-13",
    SRC_DELIVERIES_2026.id: "2026-02-12",
    SRC_DELIVERIES_2024.id: "2024-04-13",
    SRC_TIV_IMPORTS.id: "2024-10-13",
    SRC_TIV_CHINA.id: "2026-07-14",
}

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

# --------------------------------------------------------------------------- helpers


def _check_edition(export_path: Path, found: str, source: Source) -> str:
    """Return ``found`` if it is the vintage the source expects, else raise."""
    expected = EDITIONS[source.id]
    if found != expected:
        raise fail(
            export_path,
            f"data generated {found}, but source {source.id!r} expects the {expected} vintage",
            "if this is a deliberate new vintage, update the Source, EDITIONS and the specs in "
            "kzanalysis/curate/arms.py (and re-check the sanity tests)",
        )
    return found


def _frame(spec: TableSpec, columns: dict[str, list]) -> pd.DataFrame:
    """Build a frame with the spec's columns and dtypes, sorted by the primary key."""
    dtypes = read_dtypes(spec)
    frame = pd.DataFrame(
        {name: pd.Series(columns[name], dtype=dtypes[name]) for name in spec.field_names}
    )
    return frame.sort_values(list(spec.primary_key), kind="mergesort").reset_index(drop=True)


def _stack(spec: TableSpec, frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate per-edition frames, keeping the spec's dtypes, sorted by the primary key."""
    frame = pd.concat(frames, ignore_index=True).astype(read_dtypes(spec))
    return frame.sort_values(list(spec.primary_key), kind="mergesort").reset_index(drop=True)


def _supplier_code(iso3: str | None, kind: str) -> str:
    """Supplier part of a deal id: ISO3, or NSA / ORG / UNK for non-state actors."""
    return iso3 or {"non_state": "NSA", "organisation": "ORG", "unknown": "UNK"}[kind]


def _central_asian(export: SipriExport, column: int) -> list[list[str]]:
    """Records whose recipient cell (``column``) is one of the five Central Asian states."""
    return [r for r in export.records if r[column].strip() in CENTRAL_ASIA]


def _empty_to_none(text: str) -> str | None:
    """Stripped text, or ``None`` for an empty cell."""
    text = text.strip()
    return text or None


# --------------------------------------------------------------------------- parsers


def parse_register(path: Path, source: Source) -> pd.DataFrame:
    """Curate a deal-level trade register into ``arms_deals`` rows (Central Asia only).

    Raises:
        RawDataError: on a renamed header, wrong vintage, broken record, unparsable value or
            unmapped supplier name.
    """
    export = read_export(path, REGISTER_HEADER[0])
    check_header(export, REGISTER_HEADER)
    edition = _check_edition(path, export.edition, source)
    records = rejoin_split_records(path, export.records, len(REGISTER_HEADER))
    records = _central_asian(SipriExport(path, edition, export.header, records), 0)
    actors = map_actors(path, {r[1].strip() for r in records})
    p = {name: CellParser(path, name) for name in ("order", "ordered", "delivered", "years")}
    p["flags"] = CellParser(path, "'?' flag columns")
    p["status"] = CellParser(path, "status")
    p["tiv"] = CellParser(path, "SIPRI TIV columns")
    cols: dict[str, list] = {name: [] for name in DEALS.field_names}
    seen: dict[str, int] = {}
    for r in records:
        recipient, supplier = r[0].strip(), r[1].strip()
        iso3, kind = actors[supplier]
        order_year = p["order"].integer(r[2])
        years = p["years"].year_list(r[10])
        key = deal_key(CENTRAL_ASIA[recipient], _supplier_code(iso3, kind), order_year, r)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            key = f"{key}-{seen[key]}"
        row = {
            "edition": edition,
            "deal_id": key,
            "recipient_iso3": CENTRAL_ASIA[recipient],
            "recipient": recipient,
            "supplier_iso3": iso3,
            "supplier": supplier,
            "supplier_kind": kind,
            "order_year": order_year,
            "order_year_uncertain": p["flags"].question_flag(r[3]),
            "ordered_count": p["ordered"].integer(r[4]),
            "ordered_count_uncertain": p["flags"].question_flag(r[5]),
            "designation": r[6].strip(),
            "description": r[7].strip(),
            "delivered_count": p["delivered"].integer(r[8]),
            "delivered_count_uncertain": p["flags"].question_flag(r[9]),
            "delivery_years": _empty_to_none(r[10]),
            "first_delivery_year": min(years) if years else None,
            "last_delivery_year": max(years) if years else None,
            "status": p["status"].one_of(r[11], STATUSES),
            "comments": _empty_to_none(r[12]),
            "tiv_per_unit_mn": p["tiv"].number(r[13]),
            "order_tiv_mn": p["tiv"].number(r[14]),
            "delivered_tiv_mn": p["tiv"].number(r[15]),
            "source": source.id,
        }
        for name, value in row.items():
            cols[name].append(value)
    for parser in p.values():
        parser.check()
    return _frame(DEALS, cols)


def parse_deliveries(path: Path, source: Source) -> pd.DataFrame:
    """Curate a per-delivery-year register into ``arms_deliveries`` rows (Central Asia only).

    Raises:
        RawDataError: on a renamed header, wrong vintage, wrong row width, unparsable value,
            unmapped supplier name or a deal listed twice for the same year.
    """
    export = read_export(path, DELIVERIES_HEADER[0])
    check_header(export, DELIVERIES_HEADER)
    edition = _check_edition(path, export.edition, source)
    records = rejoin_split_records(path, export.records, len(DELIVERIES_HEADER))
    records = _central_asian(SipriExport(path, edition, export.header, records), 2)
    actors = map_actors(path, {r[1].strip() for r in records})
    p = {name: CellParser(path, name) for name in DELIVERIES_HEADER}
    cols: dict[str, list] = {name: [] for name in DELIVERIES.field_names}
    for r in records:
        recipient, supplier = r[2].strip(), r[1].strip()
        iso3, kind = actors[supplier]
        deal = r[0].strip()
        if not deal.isdigit():
            p[DELIVERIES_HEADER[0]].bad.append(deal)
        year = p["Delivery year"].integer(r[10])
        if year is None:
            p["Delivery year"].bad.append(r[10])
        row = {
            "edition": edition,
            "sipri_deal_id": deal,
            "recipient_iso3": CENTRAL_ASIA[recipient],
            "recipient": recipient,
            "supplier_iso3": iso3,
            "supplier": supplier,
            "supplier_kind": kind,
            "year": year,
            "year_uncertain": p["Delivery year is estimate"].yes_no(r[11]),
            "order_year": p["Order date"].integer(r[6]),
            "order_year_uncertain": p["Order date is estimate"].yes_no(r[7]),
            "designation": r[3].strip(),
            "description": r[4].strip(),
            "armament_category": r[5].strip(),
            "delivered_count": p["Numbers delivered"].integer(r[8]),
            "delivered_count_uncertain": p["Numbers delivered is estimate"].yes_no(r[9]),
            "status": p["Status"].one_of(r[12], STATUSES),
            "new_tiv_per_unit_mn": p["SIPRI estimate"].number(r[13]),
            "deal_tiv_per_unit_mn": p["TIV deal unit"].number(r[14]),
            "tiv_mn": p["TIV delivery values"].number(r[15]),
            "local_production": p["Local production"].yes_no(r[16]),
            "source": source.id,
        }
        for name, value in row.items():
            cols[name].append(value)
    for parser in p.values():
        parser.check()
    keys = list(zip(cols["sipri_deal_id"], cols["year"], strict=True))
    dupes = sorted({k for k in keys if keys.count(k) > 1})
    if dupes:
        raise fail(
            path,
            f"deal x delivery year listed more than once: {dupes[:5]}",
            "check the export for duplicated rows (SIPRI lists each deal once per year)",
        )
    return _frame(DELIVERIES, cols)


def parse_tiv_table(
    path: Path,
    source: Source,
    spec: TableSpec,
    total_row: str,
    require_all_ca: bool,
) -> pd.DataFrame:
    """Curate a SIPRI TIV table (recipient x year) into long rows for Central Asia + total.

    Args:
        path: The TIV table file.
        source: Its Source.
        spec: The table spec to build.
        total_row: Name of the all-recipients row (coded ``WLD``).
        require_all_ca: Whether each of the five states must have a row.

    Raises:
        RawDataError: on a layout problem, wrong vintage or a missing required row.
    """
    table = read_tiv_table(path, "Recipient")
    edition = _check_edition(path, table.edition, source)
    wanted = {**CENTRAL_ASIA, total_row: WORLD_CODE}
    required = set(wanted) if require_all_ca else {total_row}
    missing = sorted(required - set(table.values))
    if missing:
        raise fail(
            path,
            f"rows {missing} not found (row names: {sorted(table.values)[:8]} ...)",
            "check whether SIPRI renamed the rows; update CENTRAL_ASIA or the total row name",
        )
    cols: dict[str, list] = {name: [] for name in spec.field_names}
    for name, code in wanted.items():
        for year, value in sorted(table.values.get(name, {}).items()):
            for field, item in (
                ("edition", edition),
                ("recipient_iso3", code),
                ("recipient", name),
                ("year", year),
                ("tiv_mn", value),
                ("source", source.id),
            ):
                cols[field].append(item)
    return _frame(spec, cols)


# --------------------------------------------------------------------------- build


def build(raw: Path) -> dict[str, pd.DataFrame]:
    """Curate the arms tables from the snapshot folder ``raw`` (holding ``arms/raw/``).

    Raises:
        RawDataError: if a file is missing or not in the expected layout.
    """
    raw = Path(raw)
    deals = [
        parse_register(require(raw, s.raw_paths[0]), s)
        for s in (SRC_REGISTER_2026, SRC_REGISTER_2025)
    ]
    deliveries = [
        parse_deliveries(require(raw, s.raw_paths[0]), s)
        for s in (SRC_DELIVERIES_2026, SRC_DELIVERIES_2024)
    ]
    return {
        DEALS.name: _stack(DEALS, deals),
        DELIVERIES.name: _stack(DELIVERIES, deliveries),
        IMPORT_TOTALS.name: parse_tiv_table(
            require(raw, _TIV_IMPORTS), SRC_TIV_IMPORTS, IMPORT_TOTALS, WORLD_IMPORTS_ROW, True
        ),
        CHINA_EXPORTS.name: parse_tiv_table(
            require(raw, _TIV_CHINA), SRC_TIV_CHINA, CHINA_EXPORTS, CHINA_TOTAL_ROW, False
        ),
    }
