"""Parameters of ``00_data_overview.ipynb`` (pydantic only, cheap to import)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from kzanalysis.param_base import NotebookParams


class OverviewParams(NotebookParams):
    """Parameters of ``00_data_overview.ipynb``: which Central Asian state the overview is for."""

    country: Literal["KAZ", "KGZ", "TJK", "TKM", "UZB"] = Field(
        "KAZ", description="ISO3 code of the Central Asian state the report is about"
    )
