"""WITS / UN Comtrade extracts of Kazakhstan's trade (KazPaper replication repo) → tables.

Raw files: one row per (reporter, partner, HS 2012 product or HS section, year, flow),
value in thousand US dollars (``TradeValuein1000USD``). ``ProductCode`` is read as text
(HS codes keep their leading zeros). Product data for 2020–2022 are known to be
incomplete, so sums of lines for those years are never published as totals.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from kzanalysis.curate._io import fail

# the extract declarations, re-exported for the callers of this parser
from kzanalysis.specs.trade_sources import HS4_FILES as HS4_FILES
from kzanalysis.specs.trade_sources import REPO_DERIVED_FILE as REPO_DERIVED_FILE
from kzanalysis.specs.trade_sources import SECTION_FILES as SECTION_FILES
from kzanalysis.specs.trade_sources import WITS_DIR as WITS_DIR

#: Partners whose import totals are taken from the section files (sum of sections).
SECTION_PARTNERS: tuple[str, ...] = ("RUS",)
#: Repo-derived columns used: column → (partner code, partner kind, partner name, flow).
REPO_DERIVED_COLUMNS: dict[str, tuple[str, str, str, str]] = {
    "russia_exp_bn": ("RUS", "country", "Russia (repo-derived)", "export"),
    "eu_uk_exp_bn": ("EU27_GBR", "group", "EU27 + United Kingdom (repo-derived)", "export"),
    "eu_uk_imp_bn": ("EU27_GBR", "group", "EU27 + United Kingdom (repo-derived)", "import"),
}

#: Years whose product data are known to be incomplete (lines withheld or lost).
INCOMPLETE_YEARS: frozenset[int] = frozenset({2020, 2021, 2022})

WITS_COLUMNS: tuple[str, ...] = (
    "Nomenclature",
    "ReporterISO3",
    "ProductCode",
    "ReporterName",
    "PartnerISO3",
    "PartnerName",
    "Year",
    "TradeFlowName",
    "TradeFlowCode",
    "TradeValuein1000USD",
)
_FLOW_NAMES = {"export": "Export", "import": "Import"}

HS4_COLUMNS = [
    "reporter_iso3",
    "partner_iso3",
    "partner_name",
    "flow",
    "year",
    "hs_nomenclature",
    "product_code",
    "value_usd_mn",
    "incomplete_year",
]
TOTAL_COLUMNS = ["partner_code", "partner_kind", "partner_name", "flow", "year", "value_usd_mn"]


def read_wits(path: Path, flow: str, partner: str | None = None) -> pd.DataFrame:
    """Read a WITS extract as text and check its layout and constant columns.

    Args:
        path: The CSV file.
        flow: ``export`` or ``import``: every row must carry this flow.
        partner: If given, every row must have this ``PartnerISO3``.

    Returns:
        The rows, with ``Year`` as int and ``value_kusd`` (float, thousand USD).

    Raises:
        RawDataError: on missing columns, unexpected reporter/flow/partner/nomenclature,
            non-numeric values or duplicate (partner, product, year) rows.
    """
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise fail(path, f"cannot read as a CSV ({exc})") from exc
    missing = [c for c in WITS_COLUMNS if c not in df.columns]
    if missing:
        raise fail(
            path,
            f"missing columns {missing} (found {list(df.columns)})",
            "check whether the WITS export format changed and update trade_wits.py",
        )
    checks = {"Nomenclature": "H4", "ReporterISO3": "KAZ", "TradeFlowName": _FLOW_NAMES[flow]}
    if partner is not None:
        checks["PartnerISO3"] = partner
    for col, want in checks.items():
        bad = sorted(set(df[col]) - {want})
        if bad:
            raise fail(path, f"column {col} holds {bad[:5]}, expected only {want!r}")
    years = pd.to_numeric(df["Year"], errors="coerce")
    values = pd.to_numeric(df["TradeValuein1000USD"], errors="coerce")
    bad_rows = df.index[years.isna() | values.isna()]
    if len(bad_rows):
        raise fail(path, f"non-numeric Year/TradeValuein1000USD in data rows {list(bad_rows[:5])}")
    out = df.assign(Year=years.astype("int64"), value_kusd=values.astype("float64"))
    dups = out.duplicated(["PartnerISO3", "ProductCode", "Year"], keep=False)
    if dups.any():
        raise fail(
            path,
            f"{int(dups.sum())} rows share (partner, product, year), e.g. "
            f"{out.loc[dups, ['PartnerISO3', 'ProductCode', 'Year']].head(3).to_dict('records')}",
            "check the file for a repeated download chunk",
        )
    return out


def hs4_rows(df: pd.DataFrame, path: Path, partner: str, flow: str) -> pd.DataFrame:
    """Turn one HS4 extract into ``trade_products_hs4`` rows (million USD)."""
    codes = df["ProductCode"]
    bad = sorted(set(codes[~codes.str.fullmatch(r"\d{4}")]))
    if bad:
        raise fail(path, f"ProductCode values {bad[:5]} are not 4-digit HS codes (read as text)")
    return pd.DataFrame(
        {
            "reporter_iso3": df["ReporterISO3"],
            "partner_iso3": partner,
            "partner_name": df["PartnerName"],
            "flow": flow,
            "year": df["Year"],
            "hs_nomenclature": df["Nomenclature"],
            "product_code": codes,
            "value_usd_mn": (df["value_kusd"] / 1000.0).round(6),
            "incomplete_year": df["Year"].isin(INCOMPLETE_YEARS),
        }
    )[HS4_COLUMNS]


def _sum_lines(df: pd.DataFrame, partner: str, kind: str, flow: str) -> pd.DataFrame:
    """Sum product lines per year (complete years only) → partner-total rows."""
    keep = df[~df["Year"].isin(INCOMPLETE_YEARS)]
    grouped = keep.groupby("Year", sort=True).agg(
        value=("value_kusd", "sum"), name=("PartnerName", "first")
    )
    return pd.DataFrame(
        {
            "partner_code": partner,
            "partner_kind": kind,
            "partner_name": grouped["name"].to_numpy(),
            "flow": flow,
            "year": grouped.index.to_numpy(dtype="int64"),
            "value_usd_mn": (grouped["value"].to_numpy() / 1000.0).round(6),
        }
    )[TOTAL_COLUMNS]


def hs4_totals(frames: dict[tuple[str, str], pd.DataFrame]) -> pd.DataFrame:
    """KAZ totals with China and the World as sums of HS4 lines (complete years only)."""
    parts = [
        _sum_lines(df, partner, "group" if partner == "WLD" else "country", flow)
        for (partner, flow), df in frames.items()
    ]
    return pd.concat(parts, ignore_index=True)


def section_totals(frames: list[tuple[Path, pd.DataFrame]]) -> pd.DataFrame:
    """KAZ imports from ``SECTION_PARTNERS`` as sums of HS sections (complete years only).

    Raises:
        RawDataError: if a section label is not ``NN-NN_Name`` or appears in two files.
    """
    seen: dict[str, Path] = {}
    for path, df in frames:
        labels = set(df["ProductCode"])
        bad = sorted(lab for lab in labels if not re.fullmatch(r"\d\d-\d\d_.+", lab))
        if bad:
            raise fail(path, f"ProductCode values {bad[:5]} are not HS section labels")
        for lab in labels:
            if lab in seen:
                raise fail(path, f"section {lab!r} is also in {seen[lab].name}; would double count")
            seen[lab] = path
    both = pd.concat([df for _, df in frames], ignore_index=True)
    parts = []
    for partner in SECTION_PARTNERS:
        rows = both[both["PartnerISO3"] == partner]
        if rows.empty:
            raise fail(frames[0][0], f"no rows for partner {partner} in the section files")
        parts.append(_sum_lines(rows, partner, "country", "import"))
    return pd.concat(parts, ignore_index=True)


def repo_derived_totals(path: Path) -> pd.DataFrame:
    """KAZ exports to Russia and trade with EU27+UK from the repo's computed file (bn → mn).

    Years in ``INCOMPLETE_YEARS`` are dropped: the repo summed product lines there too.

    Raises:
        RawDataError: if the ``year`` column or a used column is missing or not numeric.
    """
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise fail(path, f"cannot read as a CSV ({exc})") from exc
    need = ["year", *REPO_DERIVED_COLUMNS]
    missing = [c for c in need if c not in df.columns]
    if missing:
        raise fail(path, f"missing columns {missing} (found {list(df.columns)})")
    num = df[need].apply(pd.to_numeric, errors="coerce")
    if num.isna().any().any():
        raise fail(path, "non-numeric or empty cells in the year/value columns")
    num = num[~num["year"].isin(INCOMPLETE_YEARS)]
    parts = []
    for col, (code, kind, name, flow) in REPO_DERIVED_COLUMNS.items():
        parts.append(
            pd.DataFrame(
                {
                    "partner_code": code,
                    "partner_kind": kind,
                    "partner_name": name,
                    "flow": flow,
                    "year": num["year"].astype("int64").to_numpy(),
                    "value_usd_mn": (num[col].to_numpy() * 1000.0).round(6),
                }
            )
        )
    return pd.concat(parts, ignore_index=True)[TOTAL_COLUMNS]
