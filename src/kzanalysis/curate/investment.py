"""Curation of the investment snapshots: FDI by origin (UNCTAD) and Chinese official finance.

Parsing lives in ``investment_unctad`` and ``investment_aiddata``; the table specs and
sources are declared in :mod:`kzanalysis.specs.investment`; this module assembles the frames
and their curation log (``frame.attrs["curation_log"]``: every garbled negative read as a
negative, every recipient's years without a GCDF row), which ``kzanalysis data curate``
prints.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from kzanalysis.curate import investment_aiddata, investment_unctad
from kzanalysis.curate._io import LOG_KEY, require
from kzanalysis.schema import TableSpec, read_dtypes
from kzanalysis.specs.investment import (
    AIDDATA_GCDF2_GEO,
    AIDDATA_GCDF3,
    CHINA_OFFICIAL_FINANCE,
    CHINA_PROJECTS,
    FDI_BY_ORIGIN,
    GCDF3_YEARS,
    UNCTAD_FDI_2014,
)

# the domain's declarations, re-exported: curation runs read ``TABLES`` from this module
from kzanalysis.specs.investment import TABLES as TABLES
from kzanalysis.specs.investment_sources import GCDF2_FILE, GCDF3_FILE, UNCTAD_DIR, UNCTAD_FILES


def _typed(frame: pd.DataFrame, spec: TableSpec, log: list[str]) -> pd.DataFrame:
    """Return ``frame`` with the spec's columns in order, its read dtypes and its log."""
    frame = frame[spec.field_names].astype(read_dtypes(spec)).reset_index(drop=True)
    frame.attrs[LOG_KEY] = list(log)
    return frame


def build_fdi(raw: Path) -> tuple[pd.DataFrame, list[str]]:
    """Rows of ``investment_fdi_by_origin`` and the log of garbled negatives read."""
    parts = []
    log = []
    for name, (host, measure, label, title, bank) in UNCTAD_FILES.items():
        path = require(raw, f"{UNCTAD_DIR}/{name}")
        rows, repairs = investment_unctad.parse_sheet(path, label, title, bank)
        parts.append(rows.assign(host_iso3=host, measure=measure))
        log.extend(str(r) for r in repairs)
    frame = pd.concat(parts, ignore_index=True).assign(source=UNCTAD_FDI_2014.id)
    return frame, log


def build(raw: Path) -> dict[str, pd.DataFrame]:
    """Return one DataFrame per spec in TABLES, curated from ``raw``.

    Raises:
        RawDataError: if an upstream file is missing or its layout changed.
    """
    raw = Path(raw)
    fdi, fdi_log = build_fdi(raw)
    finance, finance_log = investment_aiddata.parse_gcdf3(require(raw, GCDF3_FILE), GCDF3_YEARS)
    projects = investment_aiddata.parse_gcdf2(require(raw, GCDF2_FILE))
    return {
        FDI_BY_ORIGIN.name: _typed(fdi, FDI_BY_ORIGIN, fdi_log),
        CHINA_OFFICIAL_FINANCE.name: _typed(
            finance.assign(source=AIDDATA_GCDF3.id), CHINA_OFFICIAL_FINANCE, finance_log
        ),
        CHINA_PROJECTS.name: _typed(
            projects.assign(source=AIDDATA_GCDF2_GEO.id), CHINA_PROJECTS, []
        ),
    }
