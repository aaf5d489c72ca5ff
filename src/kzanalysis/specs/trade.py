"""Trade tables: partner totals (IMF DOTS, BNS, WITS) and HS4 products.

The sources are declared in :mod:`kzanalysis.specs.trade_sources`; the parsers and the
assembly of the frames live in ``curate/trade.py``.
"""

from __future__ import annotations

from kzanalysis.schema import Field, TableSpec
from kzanalysis.specs.trade_sources import (
    BNS,
    DOTS,
    KAZPAPER_DERIVED,
    PARTNER_SOURCES,
    WITS_HS4,
    WITS_SECTIONS,
)

__all__ = [
    "BNS",
    "DOTS",
    "KAZPAPER_DERIVED",
    "PARTNER_FLOWS",
    "PARTNER_SOURCES",
    "PRODUCTS_HS4",
    "REPORTERS",
    "TABLES",
    "WITS_HS4",
    "WITS_SECTIONS",
]

# --- table specs ---------------------------------------------------------------------

REPORTERS = ("KAZ", "UZB", "KGZ", "TJK", "TKM", "CHN", "RUS")

PARTNER_FLOWS = TableSpec(
    name="trade_partner_flows",
    title="Merchandise trade by partner: Central Asia, China and Russia (DOTS, BNS, WITS)",
    description=(
        "One row per (source, reporter, partner, flow, year): the reporter's exports to or "
        "imports from a partner country, an aggregate (group) or an unallocated residual, "
        "in million current US dollars, as the reporter records them. IMF DOTS 1992–2020 "
        "(China from 1961) for KAZ, UZB, KGZ, TJK, TKM, CHN, RUS with ALL their partners; "
        "Kazakhstan BNS 2018–2023 with all partners and BNS groups; WITS-based KAZ totals "
        "with China, World, Russia and EU27+UK for complete years only (2015–2019, 2023–2024)."
    ),
    fields=(
        Field(
            "source",
            "string",
            "Id of the upstream source the row comes from.",
            enum=tuple(s.id for s in PARTNER_SOURCES),
        ),
        Field("reporter_iso3", "string", "ISO3 code of the reporting country.", enum=REPORTERS),
        Field(
            "partner_code",
            "string",
            "Partner: ISO3 code for a country (ISO 3166-3 for former states; BLX, XKX, YAR "
            "non-ISO), else a group/residual code (WLD, IMF_EU, EU28, EU27, CIS, EAEU, …).",
        ),
        Field(
            "partner_kind",
            "string",
            "country (incl. former states), group (aggregate of other rows: never add to "
            "countries) or unallocated (IMF residual such as 'Asia not specified').",
            enum=("country", "group", "unallocated"),
        ),
        Field("partner_name", "string", "Partner name exactly as the publisher wrote it."),
        Field(
            "flow",
            "string",
            "export or import, from the reporter's side.",
            enum=("export", "import"),
        ),
        Field(
            "year", "integer", "Calendar year.", unit="calendar year", minimum=1961, maximum=2024
        ),
        Field(
            "value_usd_mn",
            "number",
            "Trade value (DOTS exports FOB / imports CIF; BNS exports by destination, "
            "imports by origin).",
            unit="million current US dollars",
        ),
        Field(
            "estimate_flag",
            "boolean",
            "True if the IMF marked the cell as an estimate ('e'); always False for BNS/WITS.",
        ),
    ),
    primary_key=("source", "reporter_iso3", "partner_code", "flow", "year"),
    sources=PARTNER_SOURCES,
    spatial="Reporters Kazakhstan, Uzbekistan, Kyrgyzstan, Tajikistan, Turkmenistan, China "
    "and Russia (DOTS); Kazakhstan only (BNS, WITS). Partners: all countries and groups.",
    caveats=(
        "Do not sum all rows: partner_kind 'group' rows (World, IMF regions, IMF_EU, CIS, "
        "EAEU, EU28/EU27, BNS continents) aggregate other rows. Countries + 'unallocated' "
        "rows add up (about) to WLD.",
        "DOTS: the duplicated first 'Australia' row of every sheet is dropped; cells with a "
        "trailing 'e' are IMF estimates (estimate_flag), often derived from partner data; "
        "1992–1993 KAZ, 1992–1999 UZB and much of TKM are estimates. No flag does not prove "
        "the reporter itself reported the figure (notably Turkmenistan).",
        "DOTS 'European Union' (IMF_EU) is the IMF's group; this vintage does not state its "
        "composition (EU27 or EU28, back-cast or not). IMF_EURO_AREA likewise.",
        "DOTS vintage of early 2022: the IMF revises DOTS, current figures (esp. 2019–2020) "
        "may differ. 2021 and later are not in this vintage.",
        "DOTS values are reported flows; China's and Russia's workbooks give the mirror side "
        "(e.g. CHN imports from KAZ vs KAZ exports to CHN differ by CIF/FOB, timing, transit).",
        "BNS: each year from the latest workbook holding it (revised). Trade with EAEU members "
        "comes from an enterprise survey (form 1-TS), other trade from customs data; imports "
        "by country of origin, exports by destination. Group codes: WLD (Всего), CIS (Страны "
        "СНГ), EAEU (Страны ЕАЭС), CIS_NON_EAEU, BNS_NON_CIS (Остальные страны мира), "
        "BNS_EUROPE, BNS_EUROPE_NON_EU, BNS_ASIA, BNS_AMERICA, BNS_AFRICA, BNS_OCEANIA.",
        "BNS «Страны ЕС» includes the United Kingdom in 2018–2022 (28 member rows; coded "
        "EU28) and excludes it in 2023 (coded EU27): the EU series has a break in 2023.",
        "WITS totals are sums of product lines (source wits_hs4 for China/World, "
        "wits_sections for imports from Russia). 2020–2022 are omitted because the WITS "
        "product data for those years are incomplete (e.g. 2020 KAZ imports from China 1.96 "
        "bn in HS4 lines vs 6.35 DOTS / 6.38 BNS); use DOTS or BNS for those years.",
        "Source kazpaper_repo_derived (KAZ exports to Russia; trade with EU27+UK, code "
        "EU27_GBR with a fixed 28-country composition) is a third-party computation by the "
        "KazPaper repo from a WITS file not in the snapshot; 2020–2022 dropped for the same "
        "completeness reason.",
        "Values are rounded to 6 decimals (1 US dollar).",
    ),
)

PRODUCTS_HS4 = TableSpec(
    name="trade_products_hs4",
    title="Kazakhstan's trade with China and the World by HS 4-digit product, 2015–2024",
    description=(
        "One row per (partner, flow, year, HS4 product): Kazakhstan-reported exports to or "
        "imports from China (CHN) or the World (WLD), HS 2012 nomenclature as served by WITS, "
        "in million current US dollars. Products absent in a year are absent (not zero)."
    ),
    fields=(
        Field("source", "string", "Id of the upstream source.", enum=(WITS_HS4.id,)),
        Field("reporter_iso3", "string", "Reporting country (always KAZ).", enum=("KAZ",)),
        Field("partner_iso3", "string", "CHN (China) or WLD (World).", enum=("CHN", "WLD")),
        Field("partner_name", "string", "Partner name as WITS writes it."),
        Field(
            "flow", "string", "export or import, from Kazakhstan's side.", enum=("export", "import")
        ),
        Field(
            "year", "integer", "Calendar year.", unit="calendar year", minimum=2015, maximum=2024
        ),
        Field("hs_nomenclature", "string", "WITS nomenclature code (H4 = HS 2012).", enum=("H4",)),
        Field("product_code", "string", "HS 4-digit heading, as text with leading zeros."),
        Field("value_usd_mn", "number", "Trade value.", unit="million current US dollars"),
        Field(
            "incomplete_year",
            "boolean",
            "True for 2020–2022, years in which many product lines are missing from the "
            "WITS data (sums of lines are not totals).",
        ),
    ),
    primary_key=("partner_iso3", "flow", "year", "product_code"),
    sources=(WITS_HS4,),
    spatial="Kazakhstan (reporter) with China and the World.",
    caveats=(
        "2020–2022 are incomplete (incomplete_year): the number of KAZ–China lines drops "
        "(exports 154/130/150 vs 300–400 in other years) and e.g. refined copper (7403) and "
        "zinc (7901) exports to China are absent. Lines that are present (e.g. 2709, 2711) are "
        "usable, but a missing line does not mean zero trade and sums of lines are not totals.",
        "Kazakhstan-reported (exports presumably FOB, imports CIF); HS 2012 codes as served "
        "by WITS even when Kazakhstan reported in a newer HS edition.",
        "Values converted from thousand USD (TradeValuein1000USD) and rounded to 6 decimals.",
    ),
)

TABLES: tuple[TableSpec, ...] = (PARTNER_FLOWS, PRODUCTS_HS4)
