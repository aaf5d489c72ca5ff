"""The chapter's parameter model (pydantic only, cheap to import).

Chapter ``money``, "Money: investment and lending", notebook ``notebooks/06_money.ipynb``;
created by ``kzanalysis new chapter``.

The notebook's ``parameters`` cell holds literal defaults equal to the defaults here; its
first code cell validates them with ``validate_in_notebook("money", ...)``,
and the report build validates every variant's parameters with the model below before a
kernel starts, so a bad value stops with a message naming the parameter and what is allowed.
The chapter registry (``src/kzanalysis/chapters.yaml``) names this model.

Example:
    >>> MoneyParams(country="uzb").country
    'UZB'
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field, ValidationInfo, field_validator, model_validator

from kzanalysis.analysis.trade_params import DATA_FIRST_YEAR, DATA_LAST_YEAR
from kzanalysis.param_base import CA5, NotebookParams, ca5_country, check_period


class MoneyParams(NotebookParams):
    """Validated parameters of chapter ``money``.

    Attributes:
        country: Central Asian state the chapter is about (ISO3 code).
        start_year: First year of the analysis.
        end_year: Last year of the analysis (FDI by origin is bundled for 2001–2012 only;
            the FDI sections use the overlap and say so).
        window_years: Length of the windows over which commitments are summed.
    """

    #: Cross-field rules in words (shown by ``kzanalysis params``).
    RULES: ClassVar[tuple[str, ...]] = (
        f"{DATA_FIRST_YEAR} <= start_year <= end_year <= {DATA_LAST_YEAR}",
        "both years inside the coverage of Chinese official finance (catalog temporal)",
    )

    country: str = Field(
        "KAZ",
        description="ISO3 code of the Central Asian state",
        json_schema_extra={"allowed": "one of " + ", ".join(CA5)},
    )
    start_year: int = Field(
        2000, ge=DATA_FIRST_YEAR, le=DATA_LAST_YEAR, description="first year of the analysis"
    )
    end_year: int = Field(
        2021, ge=DATA_FIRST_YEAR, le=DATA_LAST_YEAR, description="last year of the analysis"
    )
    window_years: int = Field(
        5, ge=2, le=10, description="years per window when commitments are summed"
    )

    @field_validator("country", mode="before")
    @classmethod
    def _ca5(cls, value: object) -> str:
        return ca5_country(value, "this chapter")

    @model_validator(mode="after")
    def _period(self, info: ValidationInfo) -> MoneyParams:
        check_period(self.start_year, self.end_year, info.context)
        return self
