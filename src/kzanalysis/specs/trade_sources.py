"""Trade sources: the upstream files read and the publications they come from.

Declarations only (no parsing): the raw-file layout under ``--raw`` (IMF DOTS workbooks,
Kazakhstan BNS sheets, WITS extracts) and the :class:`~kzanalysis.schema.Source` of each.
"""

from __future__ import annotations

from kzanalysis.schema import NO_CADENCE, Source

# --- raw files -----------------------------------------------------------------------

#: The DOTS workbooks used, by file name, with the reporter's ISO3 code and the
#: reporter name the workbook must carry in cell B4 (checked, so a swapped file is caught).
DOTS_FILES: dict[str, tuple[str, str]] = {
    "DOTS_103.xlsx": ("KAZ", "Kazakhstan, Rep. of"),
    "DOTS_210.xlsx": ("UZB", "Uzbekistan, Rep. of"),
    "DOTS_109.xlsx": ("KGZ", "Kyrgyz Rep."),
    "DOTS_192.xlsx": ("TJK", "Tajikistan, Rep. of"),
    "DOTS_201.xlsx": ("TKM", "Turkmenistan"),
    "DOTS_40.xlsx": ("CHN", "China, P.R.: Mainland"),
    "DOTS_162.xlsx": ("RUS", "Russian Federation"),
}
DOTS_DIR = "trade/raw/imf_dots_samleblanc"

BNS_DIR = "trade/raw/kz_bns_marylev"
_PREFIX = "bns_main_foreign_trade_indicators_by_country_"

#: Every data sheet on disk: (workbook year, sheet file suffix, reporting year). Each
#: workbook holds its year and the previous (revised) one; the latest workbook wins.
BNS_SHEETS: tuple[tuple[int, str, int], ...] = (
    (2019, "file2019__sheet1_12_2019", 2019),
    (2019, "file2019__sheet2_12_2018", 2018),
    (2020, "file2020__sheet1_12_2020", 2020),
    (2020, "file2020__sheet2_12_2019", 2019),
    (2021, "file2021__sheet1_12_2021", 2021),
    (2021, "file2021__sheet2_12_2020", 2020),
    (2022, "file2022__sheet1_2022", 2022),
    (2022, "file2022__sheet2_2021", 2021),
    (2023, "file2023__sheet5_2022", 2022),
    (2023, "file2023__sheet6_2023", 2023),
)


def sheet_relpath(suffix: str) -> str:
    """Relative path (under ``--raw``) of a BNS sheet CSV."""
    return f"{BNS_DIR}/{_PREFIX}{suffix}.csv"


def latest_sheets() -> dict[int, str]:
    """Return reporting year → sheet suffix of the latest (revised) workbook holding it."""
    best: dict[int, tuple[int, str]] = {}
    for book, suffix, year in BNS_SHEETS:
        if year not in best or book > best[year][0]:
            best[year] = (book, suffix)
    return {year: suffix for year, (_, suffix) in sorted(best.items())}


WITS_DIR = "trade/raw/wits_kazpaper"

#: HS4 files: (partner ISO3 as WITS codes it, flow) → file name.
HS4_FILES: dict[tuple[str, str], str] = {
    ("CHN", "export"): "kazakhstan_exports_to_china_hs4_2015_2024_wits.csv",
    ("WLD", "export"): "kazakhstan_exports_to_world_hs4_2015_2024_wits.csv",
    ("CHN", "import"): "kazakhstan_imports_from_china_hs4_2015_2024_wits.csv",
    ("WLD", "import"): "kazakhstan_imports_from_world_hs4_2015_2024_wits.csv",
}
#: KAZ imports from every partner by HS section (two files split by chapter range).
SECTION_FILES: tuple[str, ...] = (
    "kazakhstan_imports_all_partners_hs_sections_01_49_2015_2024_wits.csv",
    "kazakhstan_imports_all_partners_hs_sections_50_99_2015_2024_wits.csv",
)
#: The repo's own aggregate (billion USD) computed from its all-partner HS4 export file,
#: which is not in the snapshot.
REPO_DERIVED_FILE = "derived_by_repo__kazakhstan_partner_trade_china_russia_eu_uk_2015_2024.csv"

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
    "in a769819d9b25a21a362d6cabfb10f150903f834d); not downloaded from the IMF directly.",
    raw_paths=tuple(f"{DOTS_DIR}/{f}" for f in DOTS_FILES),
    release_cadence_months=NO_CADENCE,
    release_note="A frozen vintage: the early-2022 copy of the time of the thesis, kept on "
    "purpose; a newer IMF release would be added as a new source.",
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
    raw_paths=tuple(sheet_relpath(s) for s in latest_sheets().values()),
    release_cadence_months=12,
    release_lag_months=7,
    release_note="The Bureau publishes each year's annual workbook about seven months after "
    "the year ends (the 2023 workbook on 25 July 2024).",
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

_WITS_RELEASE = (
    "UN Comtrade carries a reporter's annual data within about a year of the year's end; "
    "WITS serves them."
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
    raw_paths=tuple(f"{WITS_DIR}/{f}" for f in HS4_FILES.values()),
    release_cadence_months=12,
    release_lag_months=12,
    release_note=_WITS_RELEASE,
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
    raw_paths=tuple(f"{WITS_DIR}/{f}" for f in SECTION_FILES),
    release_cadence_months=12,
    release_lag_months=12,
    release_note=_WITS_RELEASE,
)

KAZPAPER_DERIVED = Source(
    id="kazpaper_repo_derived",
    publisher="AkshatSharma03/KazPaper-data-analysis (third-party computation from WITS / "
    "UN Comtrade data)",
    title="Kazakhstan's partner trade with China, Russia, the EU and the UK, 2015–2024 "
    "(the repository's sums of HS4 lines of its all-partner export file, billion USD)",
    url="https://github.com/AkshatSharma03/KazPaper-data-analysis",
    terms=_WITS_TERMS + " The aggregate itself is the repo author's computation.",
    edition="Repository commit ffe5d918c724ccb695019b8184c859845fe9eed7 (its Stata files)",
    retrieved="analysis_v2/dta/kazakhstan_partner_trade_china_russia_eu_uk_2015_2024.dta, "
    "converted .dta → .csv by the collector. Its input (all-partner HS4 export file) is not "
    "in the snapshot, so the sums cannot be re-derived here.",
    raw_paths=(f"{WITS_DIR}/{REPO_DERIVED_FILE}",),
    release_cadence_months=NO_CADENCE,
    release_note="A third party's one-off computation; it is not updated.",
)

PARTNER_SOURCES = (DOTS, BNS, WITS_HS4, WITS_SECTIONS, KAZPAPER_DERIVED)
