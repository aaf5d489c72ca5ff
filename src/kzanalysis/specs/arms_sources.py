"""Arms sources: the SIPRI Arms Transfers Database exports read, and their vintages.

Declarations only: each export's :class:`~kzanalysis.schema.Source` (raw file, terms,
provenance) and :data:`EDITIONS`, the "Data generated" date each file must carry.
"""

from __future__ import annotations

from kzanalysis.schema import NO_CADENCE, Source

_URL = "https://www.sipri.org/databases/armstransfers"
_TERMS_URL = "https://www.sipri.org/contents/armstrad/user_rules.html"
_TERMS = (
    "SIPRI Arms Transfers Database (c) SIPRI; credit line required: 'Information from the "
    "SIPRI Arms Transfers Database'. SIPRI's user rules allow downloading, citing, "
    "reformatting and calculating with the data, but such calculations must not be "
    "attributed to SIPRI, and commercial use needs SIPRI's agreement; SIPRI's terms limit "
    "fair-use reproduction to under 10% of a published data set, so the database must not "
    "be republished in full. This project commits only the Central Asian extract "
    "(recipients Kazakhstan, Kyrgyzstan, Tajikistan, Turkmenistan, Uzbekistan; in the TIV "
    "tables also the world and China total rows). The "
    "mirror repository the file was copied from states no licence for it."
)
_COPIED = (
    "Byte-for-byte copy (git show <commit>:<path>) of a SIPRI export committed to the public "
    "GitHub repository {repo}, path {path}, added in commit {commit} ({date}); snapshot HEAD "
    "{head}; not downloaded from SIPRI directly. sha256 {sha}."
)
_REGISTER_2026 = "arms/raw/sipri_trade_register_all_1950-2025_gen2026-05-18.csv"
_REGISTER_2025 = "arms/raw/sipri_trade_register_all_1950-2024_gen2025-03-13.csv"
_DELIVERIES_2026 = "arms/raw/sipri_trade_register_deliveries_1995-2025_gen2026-02-12.csv"
_DELIVERIES_2024 = "arms/raw/sipri_trade_register_deliveries_1990-2023_gen2024-04-13.csv"
_TIV_IMPORTS = "arms/raw/sipri_tiv_table_imports_by_recipient_1950-2024_gen2024-10-13.csv"
_TIV_CHINA = "arms/raw/sipri_tiv_table_china_exports_by_recipient_2000-2025_gen2026-07-14.csv"

_SIPRI_RELEASE = "SIPRI updates the database every March with data to the previous year."
_SIPRI_ARCHIVED = (
    "An older export of the database, kept to compare vintages (the newest export of the "
    "same kind carries the yearly cadence)."
)

SRC_REGISTER_2026 = Source(
    id="sipri_register_2026",
    publisher="Stockholm International Peace Research Institute (SIPRI)",
    title="SIPRI Arms Transfers Database: trade register, all suppliers and recipients, "
    "deals with deliveries in any year (DOI 10.55163/SAFC1241)",
    url=_URL,
    terms=_TERMS,
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
    release_cadence_months=12,
    release_lag_months=3,
    release_note=_SIPRI_RELEASE,
)
SRC_REGISTER_2025 = Source(
    id="sipri_register_2025",
    publisher="Stockholm International Peace Research Institute (SIPRI)",
    title="SIPRI Arms Transfers Database: trade register, all suppliers and recipients, "
    "deals with deliveries in any year (DOI 10.55163/SAFC1241)",
    url=_URL,
    terms=_TERMS,
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
    release_cadence_months=NO_CADENCE,
    release_note=_SIPRI_ARCHIVED,
)
SRC_DELIVERIES_2026 = Source(
    id="sipri_deliveries_2026",
    publisher="Stockholm International Peace Research Institute (SIPRI)",
    title="SIPRI Arms Transfers Database: trade register by delivery year ('new format'), "
    "all countries, deliveries 1995-2025 (DOI 10.55163/SAFC1241)",
    url=_URL,
    terms=_TERMS,
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
    release_cadence_months=12,
    release_lag_months=3,
    release_note=_SIPRI_RELEASE,
)
SRC_DELIVERIES_2024 = Source(
    id="sipri_deliveries_2024",
    publisher="Stockholm International Peace Research Institute (SIPRI)",
    title="SIPRI Arms Transfers Database: trade register by delivery year, all countries, "
    "deliveries or orders 1990-2023 (DOI 10.55163/SAFC1241)",
    url=_URL,
    terms=_TERMS,
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
    release_cadence_months=NO_CADENCE,
    release_note=_SIPRI_ARCHIVED,
)
SRC_TIV_IMPORTS = Source(
    id="sipri_tiv_imports_2024",
    publisher="Stockholm International Peace Research Institute (SIPRI)",
    title="SIPRI Arms Transfers Database: TIV table 'Volume of transfers of major arms', "
    "imports by recipient, 1950-2024 (DOI 10.55163/SAFC1241)",
    url=_URL,
    terms=_TERMS,
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
    release_cadence_months=12,
    release_lag_months=3,
    release_note=_SIPRI_RELEASE,
)
SRC_TIV_CHINA = Source(
    id="sipri_tiv_china_2026",
    publisher="Stockholm International Peace Research Institute (SIPRI)",
    title="SIPRI Arms Transfers Database: TIV table 'Volume of transfers of major arms', "
    "exports from China by recipient, 2000-2025 (DOI 10.55163/SAFC1241)",
    url=_URL,
    terms=_TERMS,
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
    release_cadence_months=12,
    release_lag_months=3,
    release_note=_SIPRI_RELEASE,
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
