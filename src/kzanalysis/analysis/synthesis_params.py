"""Parameters of the synthesis notebook (``notebooks/05_synthesis.ipynb``).

The synthesis puts the four spheres of the thesis side by side for one Central Asian
state: who has the larger share, Russia or China, in trade (economic), pipeline gas exports
(energy), arms deliveries (military) and comparable poll questions (opinion). There is no
composite index: the spheres are shown side by side, and the only judgement parameter,
``tie_band_pp``, is explicit and printed with every leader table.

The notebook's ``parameters`` cell holds literal defaults equal to the defaults here; its
first code cell validates them with :class:`SynthesisParams`. Only pydantic and the
standard library are imported, so validation stays cheap.

Example:
    >>> p = SynthesisParams(country="kgz", start_year=2000, end_year=2020, window=5)
    >>> p.country, p.start_year, p.end_year, p.window, p.tie_band_pp
    ('KGZ', 2000, 2020, 5, 5.0)
"""

from __future__ import annotations

import math
from typing import ClassVar

from pydantic import Field, field_validator, model_validator

from kzanalysis.param_base import CA5, NotebookParams, ca5_country

#: Outer year bounds: independence (1992, the first year of the trade and arms series) to
#: the latest year any bundled table covers (2025).
FIRST_YEAR, LAST_YEAR = 1992, 2025


class SynthesisParams(NotebookParams):
    """Validated parameters of the synthesis notebook.

    Attributes:
        country: ISO3 code of the Central Asian state the report is about.
        start_year: First year of the per-year view and of the first leader period.
        end_year: Last year (the last period may be shorter than ``window``).
        window: Years per period of the leader table (periods start at ``start_year``).
        tie_band_pp: Percentage points: a period whose average Russia − China share gap
            is within ± this band is called "close", not led by either.
    """

    RULES: ClassVar[tuple[str, ...]] = (
        f"{FIRST_YEAR} <= start_year <= end_year <= {LAST_YEAR}",
        "periods of `window` years start at start_year; the last one may be shorter",
    )

    country: str = Field(
        "KAZ",
        description="ISO3 code of the Central Asian state",
        json_schema_extra={"allowed": "one of " + ", ".join(CA5)},
    )
    start_year: int = Field(
        1996, ge=FIRST_YEAR, le=LAST_YEAR, description="first year of the synthesis"
    )
    end_year: int = Field(LAST_YEAR, ge=FIRST_YEAR, le=LAST_YEAR, description="last year")
    window: int = Field(5, ge=1, le=10, description="years per period of the leader table")
    tie_band_pp: float = Field(
        5.0,
        ge=0.0,
        le=100.0,
        description="a period is 'close' when |Russia − China| average share gap <= this (pp)",
        json_schema_extra={"allowed": "a number of percentage points from 0 to 100, e.g. 5"},
    )

    @field_validator("country", mode="before")
    @classmethod
    def _country(cls, value: object) -> str:
        return ca5_country(value, "this synthesis")

    @field_validator("tie_band_pp")
    @classmethod
    def _finite(cls, value: float) -> float:
        if not math.isfinite(value):
            raise ValueError(f"tie_band_pp {value!r} is not a finite number; give e.g. 5")
        return float(value)

    @model_validator(mode="after")
    def _period(self) -> SynthesisParams:
        if self.start_year > self.end_year:
            raise ValueError(
                f"start_year ({self.start_year}) is after end_year ({self.end_year}); "
                "give start_year <= end_year"
            )
        return self

    @property
    def periods(self) -> list[tuple[int, int]]:
        """The leader table's periods: ``window`` years from ``start_year``, last one cut."""
        return [
            (first, min(first + self.window - 1, self.end_year))
            for first in range(self.start_year, self.end_year + 1, self.window)
        ]
