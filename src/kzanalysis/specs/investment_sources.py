"""Investment sources: UNCTAD bilateral FDI sheets and AidData's Chinese development finance.

Declarations only (no parsing): the raw-file layout under ``--raw`` and the
:class:`~kzanalysis.schema.Source` of each upstream publication. All three snapshots are
frozen copies from public GitHub repositories (see ``investment/PROVENANCE.md``).
"""

from __future__ import annotations

from kzanalysis.schema import NO_CADENCE, Source

# --- raw files -----------------------------------------------------------------------

UNCTAD_DIR = "investment/raw/unctad_fdi_2014"

#: UNCTAD country sheets: file → (host ISO3, measure, host name in the header cell,
#: table title prefix, the data-source bank named in the footer). Checked while parsing,
#: so a swapped file is caught.
UNCTAD_FILES: dict[str, tuple[str, str, str, str, str]] = {
    "KAZ_flows_by_origin.csv": (
        "KAZ",
        "inflow",
        "Kazakhstan",
        "Table 1. FDI flows in the host economy",
        "National Bank of Kazakhstan",
    ),
    "KGZ_flows_by_origin.csv": (
        "KGZ",
        "inflow",
        "Kyrgyzstan",
        "Table 1. FDI flows in the host economy",
        "National Bank of the Kyrgyz Republic",
    ),
    "KAZ_stock_by_origin.csv": (
        "KAZ",
        "stock",
        "Kazakhstan",
        "Table 3. FDI stock in the host economy",
        "National Bank of Kazakhstan",
    ),
}

GCDF3_FILE = "investment/raw/aiddata_gcdf3_odadata/cow_gcdf.csv"
GCDF2_FILE = "investment/raw/aiddata_gcdf2_geolocated/final_df.csv"

# --- sources -------------------------------------------------------------------------

UNCTAD_FDI_2014 = Source(
    id="unctad_bilateral_fdi_2014",
    publisher="United Nations Conference on Trade and Development (UNCTAD), based on data "
    "from the National Bank of Kazakhstan and the National Bank of the Kyrgyz Republic",
    title="Bilateral FDI Statistics 2014: country sheets for Kazakhstan (Table 1, FDI flows "
    "by geographical origin; Table 3, FDI stock by geographical origin) and Kyrgyzstan "
    "(Table 1), 2001–2012",
    url="http://unctad.org/Sections/dite_fdistat/docs/webdiaeia2014d3_KAZ.xls",
    terms="UNCTAD's terms of use apply; they could not be checked offline, and the snapshot "
    "repository has no licence file. Cite 'UNCTAD, Bilateral FDI Statistics 2014 (UNCTAD "
    "FDI/TNC database), based on data from the National Bank of Kazakhstan' (for Kyrgyzstan: "
    "'… the National Bank of the Kyrgyz Republic'). Only the Kazakhstan and Kyrgyzstan "
    "sheets are used.",
    edition="Bilateral FDI Statistics 2014 (data 2001–2012), the Kazakhstan and Kyrgyzstan "
    "country sheets",
    retrieved="UNCTAD's webdiaeia2014d3_KAZ.xls and webdiaeia2014d3_KGZ.xls (sheet 1; "
    "Kazakhstan's stock table from the same release), copied byte-for-byte from GitHub "
    "desmarais-lab/FDI_IGERT_H: 'Cleaning "
    "Code/FDI Raw Data/KAZ.csv' and '…/KGZ.csv' at commit "
    "f4fd9cb94ba9ae74be131008ac125ba280a4aadb, 'Code/Stock_Raw/KAZ.csv' at commit 6fc1df3 "
    "(no longer in the repository's HEAD); CSVs written by R (gdata::read.xls, write.csv) "
    "from UNCTAD's .xls, not downloaded from UNCTAD directly.",
    raw_paths=tuple(f"{UNCTAD_DIR}/{name}" for name in UNCTAD_FILES),
    release_cadence_months=NO_CADENCE,
    release_note="A discontinued, archived release: UNCTAD's bilateral FDI country sheets "
    "of 2014 (data to 2012) are not updated; a newer source (IMF CDIS, National Bank "
    "statistics) would be added as a new source.",
)

_ODC_BY = "https://opendatacommons.org/licenses/by/1-0/"
_AIDDATA_TERMS = (
    "AidData states the Open Data Commons Attribution License (ODC-By 1.0) for its "
    "datasets: reuse with attribution to AidData at William & Mary."
)

AIDDATA_GCDF3 = Source(
    id="aiddata_gcdf3_odadata",
    publisher="AidData at William & Mary (Global Chinese Development Finance Dataset 3.0), "
    "aggregated by the R package odadata (Miles D. Williams)",
    title="Global Chinese Development Finance Dataset, Version 3.0: commitments 2000–2021 "
    "summed by recipient, year and flow class (the odadata package's country-year table)",
    url="https://www.aiddata.org/data/aiddatas-global-chinese-development-finance-dataset-"
    "version-3-0",
    terms=_AIDDATA_TERMS + " Cite Custer, S., Dreher, A., Elston, T.B., et al. 2023. "
    "Tracking Chinese Development Finance: An Application of AidData's TUFF 3.0 "
    "Methodology. Williamsburg, VA: AidData at William & Mary. The derivative package "
    "(odadata) declares no proper licence (no LICENSE file; its DESCRIPTION names the "
    "MIT licence only through a placeholder); its sums are its author's computation.",
    terms_url=_ODC_BY,
    license_id="ODC-By-1.0",
    edition="GCDF 3.0 (2023; commitments 2000–2021), summed by recipient, year and flow "
    "class by the odadata package (projects recommended for aggregates, constant 2021 US "
    "dollars)",
    retrieved="Made by odadata's script clean_gcdf_data.R from AidData's GCDF 3.0 workbook; "
    "copied byte-for-byte from GitHub milesdwilliams15/odadata, data/cow_gcdf.csv "
    "at commit 3c1f8955597e21246abbc1607df7b0c6f7dcd5b2; not checked against AidData's "
    "original workbook (not among the collected files).",
    raw_paths=(GCDF3_FILE,),
    release_cadence_months=NO_CADENCE,
    release_note="A frozen third-party aggregate of one AidData release (3.0); AidData "
    "publishes new versions irregularly, and a newer one would be added as a new source.",
)

AIDDATA_GCDF2_GEO = Source(
    id="aiddata_gcdf2_geolocated",
    publisher="AidData at William & Mary (Global Chinese Development Finance Dataset 2.0, "
    "geospatial release)",
    title="Global Chinese Development Finance Dataset, Version 2.0: projects that AidData "
    "geolocated in OpenStreetMap (china-osm-geodata, build 2021-09-29), commitments "
    "2000–2017",
    url="https://github.com/aiddata/china-osm-geodata",
    terms=_AIDDATA_TERMS + " Cite Custer, S., et al. 2021. Tracking Chinese Development "
    "Finance: An Application of AidData's TUFF 2.0 Methodology. Williamsburg, VA: AidData "
    "at William & Mary; and Dreher, A., Fuchs, A., Parks, B.C., Strange, A., Tierney, M.J. "
    "2022. Banking on Beijing. Cambridge University Press. The OSM-derived geometries "
    "(ODbL) are not used.",
    terms_url=_ODC_BY,
    license_id="ODC-By-1.0",
    edition="GCDF 2.0 geospatial release, build of 29 September 2021",
    retrieved="Copied byte-for-byte from GitHub aiddata/china-osm-geodata, "
    "output_data/2.0release/results/2021_09_29_12_06/final_df.csv at commit "
    "23ac34d2232318b242a6c62e241c08b4be9236b1.",
    raw_paths=(GCDF2_FILE,),
    release_cadence_months=NO_CADENCE,
    release_note="An archived build of a superseded version (2.0, replaced by 3.0 in 2023); "
    "it is not updated.",
)
