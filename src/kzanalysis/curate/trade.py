"""Curation of the trade snapshots (placeholder until the domain lands)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from kzanalysis.schema import TableSpec

TABLES: tuple[TableSpec, ...] = ()


def build(raw: Path) -> dict[str, pd.DataFrame]:
    """Return one DataFrame per spec in TABLES, curated from raw."""
    return {}
