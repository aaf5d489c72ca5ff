"""Curation of the trade snapshots: partner totals (IMF DOTS, BNS, WITS) and HS4 products.

Parsing lives in ``trade_dots``, ``trade_bns`` and ``trade_wits``; the table specs and
sources are declared in :mod:`kzanalysis.specs.trade`; this module assembles the frames.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from kzanalysis.curate import trade_bns, trade_dots, trade_wits
from kzanalysis.curate._io import require
from kzanalysis.schema import TableSpec, read_dtypes
from kzanalysis.specs.trade import (
    BNS,
    DOTS,
    KAZPAPER_DERIVED,
    PARTNER_FLOWS,
    PRODUCTS_HS4,
    WITS_HS4,
    WITS_SECTIONS,
)

# the domain's declarations, re-exported: curation runs read ``TABLES`` from this module
from kzanalysis.specs.trade import PARTNER_SOURCES as PARTNER_SOURCES
from kzanalysis.specs.trade import TABLES as TABLES
from kzanalysis.specs.trade_sources import (
    DOTS_DIR,
    DOTS_FILES,
    HS4_FILES,
    REPO_DERIVED_FILE,
    SECTION_FILES,
    WITS_DIR,
    latest_sheets,
    sheet_relpath,
)

# --- assembly ------------------------------------------------------------------------


def _typed(frame: pd.DataFrame, spec: TableSpec) -> pd.DataFrame:
    """Return ``frame`` with the spec's columns in order and its read dtypes."""
    frame = frame[spec.field_names].astype(read_dtypes(spec))
    return frame.reset_index(drop=True)


def build_dots(raw: Path) -> pd.DataFrame:
    """DOTS rows of ``trade_partner_flows`` (7 reporters, all partners)."""
    parts = [
        trade_dots.parse_workbook(require(raw, f"{DOTS_DIR}/{name}"), iso3, label)
        for name, (iso3, label) in DOTS_FILES.items()
    ]
    return pd.concat(parts, ignore_index=True).assign(source=DOTS.id)


def build_bns(raw: Path) -> pd.DataFrame:
    """BNS rows of ``trade_partner_flows`` (KAZ, 2018–2023, latest revision per year)."""
    parts = [
        trade_bns.parse_sheet(require(raw, sheet_relpath(suffix)), year)
        for year, suffix in latest_sheets().items()
    ]
    return pd.concat(parts, ignore_index=True).assign(
        source=BNS.id, reporter_iso3="KAZ", estimate_flag=False
    )


def _read_hs4(raw: Path) -> dict[tuple[str, str], tuple[Path, pd.DataFrame]]:
    """Read the four HS4 extracts, keyed by (partner, flow)."""
    out = {}
    for (partner, flow), name in HS4_FILES.items():
        path = require(raw, f"{WITS_DIR}/{name}")
        out[(partner, flow)] = (path, trade_wits.read_wits(path, flow, partner))
    return out


def build_wits_totals(
    raw: Path, hs4: dict[tuple[str, str], tuple[Path, pd.DataFrame]]
) -> pd.DataFrame:
    """WITS-based KAZ partner totals (complete years only) from three sources."""
    sections = []
    for name in SECTION_FILES:
        path = require(raw, f"{WITS_DIR}/{name}")
        sections.append((path, trade_wits.read_wits(path, "import")))
    repo_path = require(raw, f"{WITS_DIR}/{REPO_DERIVED_FILE}")
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
