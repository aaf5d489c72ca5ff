"""Curation of the trade snapshots: partner totals (IMF DOTS, BNS, WITS) and HS4 products.

Parsing lives in ``trade_dots``, ``trade_bns`` and ``trade_wits``; this module holds the
table specs (fields, sources, caveats) and assembles the frames.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from kzanalysis.curate import trade_bns, trade_dots, trade_wits
from kzanalysis.curate._io import require
from kzanalysis.schema import Field, Source, TableSpec, read_dtypes

# --- sources -------------------------------------------------------------------------

DOTS = Source(
    id="imf_dots",
    publisher="International Monetary Fund (IMF)",
    title="Direction of Trade Statistics (DOTS): Exports, FOB to / Imports, CIF from "
    "Partner Countries, country Excel exports",
    url="https://data.imf.org/DOT",
    terms="IMF terms of use for its data apply (free reuse with attribution: 'Source: "
    "International Monetary Fund, Direction of Trade Statistics'). The snapshot repo's MIT "
    "licence covers its code, not the data. Only the 7 reporters' workbooks are used.",
    terms_url="https://www.imf.org/en/About/copyright-and-terms",
    edition="IMF DOTS vintage of early 2022 (files committed 2022-02-02); data to 2020",
    retrieved="Copied byte-for-byte from GitHub SamLeBlanc/Direction-of-Trade-Map, "
    "data/DOTS/DOTS_<n>.xlsx, commit a0b40afbac7cefc59a4b35c1ebe541ac546aafad (files added "
    "in a769819d9b25a21a362d6cabfb10f150903f834d); no live IMF download was possible.",
    raw_paths=tuple(f"{trade_dots.DOTS_DIR}/{f}" for f in trade_dots.DOTS_FILES),
)

BNS = Source(
    id="kz_bns",
    publisher="Bureau of National Statistics of the Agency for Strategic Planning and "
    "Reforms of the Republic of Kazakhstan (BNS)",
    title="Основные показатели внешней торговли Республики Казахстан (Main indicators of "
    "foreign trade of the Republic of Kazakhstan), by country, annual workbooks 2019–2023",
    url="https://stat.gov.kz",
    terms="Official statistics of the Republic of Kazakhstan; BNS terms of use apply "
    "(cite the Bureau of National Statistics of the ASPR RK). The snapshot repo's Apache-2.0 "
    "licence covers the repo, not the data.",
    edition="Workbooks for 2019–2023 (2023 workbook published 25.07.2024); each year taken "
    "from the latest workbook that holds it (revised figures)",
    retrieved="GitHub mary-lev/eu-export-sanctions, data/kazakhstan_data/*.xls, commit "
    "aecc5ff270863e05ce7fae7faf0be452a9146188 (HEAD 4b6a5dfc864ab3352104974a4516458fd7347b38); "
    "each sheet converted cell for cell to CSV by the collector (xlrd, no type conversion).",
    raw_paths=tuple(trade_bns.sheet_relpath(s) for s in trade_bns.latest_sheets().values()),
)

_WITS_TERMS = (
    "UN Comtrade / World Bank WITS terms of use apply (cite 'UN Comtrade via World Bank "
    "WITS'); the snapshot repo states no licence. Only extracts are committed."
)
_WITS_RETRIEVED = (
    "GitHub AkshatSharma03/KazPaper-data-analysis, data/wits_raw/*.dta (added in "
    "40ce7d4bf3ec4a98d022e97ff1ae56a9b45b479a, HEAD ffe5d918c724ccb695019b8184c859845fe9eed7), "
    "converted losslessly .dta → .csv by the collector (same columns, rows and order)."
)

WITS_HS4 = Source(
    id="wits_hs4",
    publisher="World Bank WITS (UN Comtrade data, Kazakhstan-reported)",
    title="Kazakhstan exports to / imports from China and the World by HS 2012 4-digit "
    "product, 2015–2024 (WITS jobs 3100908, 3100910, 3100914, 3100916)",
    url="https://wits.worldbank.org",
    terms=_WITS_TERMS,
    edition="WITS download as committed to the repo (job IDs above); HS 2012 ('H4')",
    retrieved=_WITS_RETRIEVED,
    raw_paths=tuple(f"{trade_wits.WITS_DIR}/{f}" for f in trade_wits.HS4_FILES.values()),
)

WITS_SECTIONS = Source(
    id="wits_sections",
    publisher="World Bank WITS (UN Comtrade data, Kazakhstan-reported)",
    title="Kazakhstan imports from all partners by HS section, 2015–2024 "
    "(WITS jobs 3100965, 3100966)",
    url="https://wits.worldbank.org",
    terms=_WITS_TERMS,
    edition="WITS download as committed to the repo (re-pulled, untruncated files)",
    retrieved=_WITS_RETRIEVED,
    raw_paths=tuple(f"{trade_wits.WITS_DIR}/{f}" for f in trade_wits.SECTION_FILES),
)

KAZPAPER_DERIVED = Source(
    id="kazpaper_repo_derived",
    publisher="AkshatSharma03/KazPaper-data-analysis (third-party computation from WITS / "
    "UN Comtrade data)",
    title="kazakhstan_partner_trade_china_russia_eu_uk_2015_2024 (repo's sums of HS4 lines "
    "of its all-partner export file, billion USD)",
    url="https://github.com/AkshatSharma03/KazPaper-data-analysis",
    terms=_WITS_TERMS + " The aggregate itself is the repo author's computation.",
    edition="Repo HEAD ffe5d918c724ccb695019b8184c859845fe9eed7 (analysis_v2/dta)",
    retrieved="analysis_v2/dta/kazakhstan_partner_trade_china_russia_eu_uk_2015_2024.dta, "
    "converted .dta → .csv by the collector. Its input (all-partner HS4 export file) is not "
    "in the snapshot, so the sums cannot be re-derived here.",
    raw_paths=(f"{trade_wits.WITS_DIR}/{trade_wits.REPO_DERIVED_FILE}",),
)

PARTNER_SOURCES = (DOTS, BNS, WITS_HS4, WITS_SECTIONS, KAZPAPER_DERIVED)

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

# --- assembly ------------------------------------------------------------------------


def _typed(frame: pd.DataFrame, spec: TableSpec) -> pd.DataFrame:
    """Return ``frame`` with the spec's columns in order and its read dtypes."""
    frame = frame[spec.field_names].astype(read_dtypes(spec))
    return frame.reset_index(drop=True)


def build_dots(raw: Path) -> pd.DataFrame:
    """DOTS rows of ``trade_partner_flows`` (7 reporters, all partners)."""
    parts = [
        trade_dots.parse_workbook(require(raw, f"{trade_dots.DOTS_DIR}/{name}"), iso3, label)
        for name, (iso3, label) in trade_dots.DOTS_FILES.items()
    ]
    return pd.concat(parts, ignore_index=True).assign(source=DOTS.id)


def build_bns(raw: Path) -> pd.DataFrame:
    """BNS rows of ``trade_partner_flows`` (KAZ, 2018–2023, latest revision per year)."""
    parts = [
        trade_bns.parse_sheet(require(raw, trade_bns.sheet_relpath(suffix)), year)
        for year, suffix in trade_bns.latest_sheets().items()
    ]
    return pd.concat(parts, ignore_index=True).assign(
        source=BNS.id, reporter_iso3="KAZ", estimate_flag=False
    )


def _read_hs4(raw: Path) -> dict[tuple[str, str], tuple[Path, pd.DataFrame]]:
    """Read the four HS4 extracts, keyed by (partner, flow)."""
    out = {}
    for (partner, flow), name in trade_wits.HS4_FILES.items():
        path = require(raw, f"{trade_wits.WITS_DIR}/{name}")
        out[(partner, flow)] = (path, trade_wits.read_wits(path, flow, partner))
    return out


def build_wits_totals(
    raw: Path, hs4: dict[tuple[str, str], tuple[Path, pd.DataFrame]]
) -> pd.DataFrame:
    """WITS-based KAZ partner totals (complete years only) from three sources."""
    sections = []
    for name in trade_wits.SECTION_FILES:
        path = require(raw, f"{trade_wits.WITS_DIR}/{name}")
        sections.append((path, trade_wits.read_wits(path, "import")))
    repo_path = require(raw, f"{trade_wits.WITS_DIR}/{trade_wits.REPO_DERIVED_FILE}")
    parts = [
        trade_wits.hs4_totals({k: df for k, (_, df) in hs4.items()}).assign(source=WITS_HS4.id),
        trade_wits.section_totals(sections).assign(source=WITS_SECTIONS.id),
        trade_wits.repo_derived_totals(repo_path).assign(source=KAZPAPER_DERIVED.id),
    ]
    return pd.concat(parts, ignore_index=True).assign(reporter_iso3="KAZ", estimate_flag=False)


def build(raw: Path) -> dict[str, pd.DataFrame]:
    """Return one DataFrame per spec in TABLES, curated from ``raw``.

    Raises:
        RawDataError: if an upstream file is missing or its layout changed.
    """
    raw = Path(raw)
    hs4 = _read_hs4(raw)
    flows = pd.concat(
        [build_dots(raw), build_bns(raw), build_wits_totals(raw, hs4)], ignore_index=True
    )
    products = pd.concat(
        [
            trade_wits.hs4_rows(df, path, partner, flow)
            for (partner, flow), (path, df) in hs4.items()
        ],
        ignore_index=True,
    ).assign(source=WITS_HS4.id)
    return {
        PARTNER_FLOWS.name: _typed(flows, PARTNER_FLOWS),
        PRODUCTS_HS4.name: _typed(products, PRODUCTS_HS4),
    }
