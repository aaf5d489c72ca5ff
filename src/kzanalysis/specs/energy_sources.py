"""Energy sources: Statistical Review editions, EIA Brent (datahub) and World Bank WDI FX.

Declarations only: each edition's :class:`~kzanalysis.schema.Source` with its raw file,
terms and provenance, and :data:`EDITIONS` (edition label → source).
"""

from __future__ import annotations

from kzanalysis.schema import NO_CADENCE, Source

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
        release_cadence_months=NO_CADENCE,
        release_note="An older edition of the Statistical Review, kept to compare editions "
        "(the newest edition carries the yearly cadence).",
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
    release_cadence_months=12,
    release_lag_months=6,
    release_note="A new edition every June with data to the previous year.",
)

#: Edition label → source (its raw file is ``raw_paths[0]``; 2026 is the JSON extraction).
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
    license_id="ODC-PDDL-1.0",
    edition="datahub core/oil-prices, annual series to 2025",
    retrieved="Byte copy of data/brent-year.csv from GitHub datasets/oil-prices at HEAD "
    "2d75ce3a792c2f152619c10272e86052be3a8390 (2026-08-22).",
    raw_paths=("energy/raw/prices/brent-year.csv",),
    release_cadence_months=12,
    release_lag_months=1,
    release_note="EIA publishes the spot price daily; a year's average is complete early "
    "the next year.",
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
    license_id="CC-BY-4.0",
    edition="WDI, Last Updated Date 2025-03-24",
    retrieved="Byte copy of the unmodified World Bank bulk download "
    "API_PA.NUS.FCRF_DS2_en_csv_v2_13510.csv from GitHub Skyedge1903/Dashboard at commit "
    "34f6d324496d3cf09aac84be9b0e81c515d8297c.",
    raw_paths=("energy/raw/fx/API_PA.NUS.FCRF_DS2_en_csv_v2_13510.csv",),
    release_cadence_months=12,
    release_lag_months=6,
    release_note="World Development Indicators are updated several times a year; a year's "
    "official exchange rate usually appears by mid-year after.",
)
