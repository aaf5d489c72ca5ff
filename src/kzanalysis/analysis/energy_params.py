"""Parameters of the energy-exports chapter (``notebooks/02_energy_exports.ipynb``).

The notebook's ``parameters`` cell holds literal defaults equal to the defaults here; its
first code cell validates them with :class:`EnergyParams`, so a bad value (a country the
chapter does not cover, a year outside the edition's data, an unknown edition or unit)
stops the notebook with a message that names the parameter, the value and what is allowed.

Example:
    >>> p = EnergyParams(country="tkm", edition=2024, end_year=2023)
    >>> p.country, p.edition, p.unit_code
    ('TKM', '2024', 'ej')
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field, field_validator, model_validator

from kzanalysis import countries
from kzanalysis.errors import UnknownCodeError
from kzanalysis.param_base import NotebookParams

#: Countries the chapter can be built for: the three Central Asian producers and the two
#: powers (Russia and China are always shown as comparators as well).
COUNTRIES: tuple[str, ...] = ("KAZ", "TKM", "UZB", "RUS", "CHN")

#: Statistical Review editions bundled in ``energy_series`` (edition year; data run to the
#: year before). Taken from the curation module, so a new edition needs no change here.
#: Statistical Review editions bundled in ``energy_series`` (kept literal so that parameter
#: validation never imports pandas; a unit test checks it against the curation module).
BUNDLED_EDITIONS: tuple[str, ...] = ("2021", "2022", "2023", "2024", "2026")
LATEST_EDITION: str = BUNDLED_EDITIONS[-1]

#: First year of the analysis window: the Review itemises the CIS countries from 1985
#: (earlier values are a USSR split or absent).
DATA_FIRST_YEAR = 1985

EnergyUnit = Literal["EJ", "bcm", "Mt", "kb/d"]

#: Parameter unit → unit code of ``energy_series`` (``unit`` column / ``value_<code>``).
UNIT_CODES: dict[str, str] = {"EJ": "ej", "bcm": "bcm", "Mt": "mt", "kb/d": "kbd"}


def last_data_year(edition: str) -> int:
    """Last data year of a Statistical Review edition (the year before the edition year)."""
    return int(edition) - 1


class EnergyParams(NotebookParams):
    """Validated parameters of the energy chapter.

    Attributes:
        country: ISO3 code of the country analysed (KAZ, TKM, UZB, RUS or CHN).
        start_year: First year of the time series shown.
        end_year: Last year of the time series shown (at most the edition's last data year).
        edition: Statistical Review edition used for every series (never mixed silently).
        energy_unit: Unit of the production/consumption comparison: ``EJ`` (all fuels,
            common unit), ``bcm`` (gas only), ``Mt`` (oil and coal production, oil
            consumption converted) or ``kb/d`` (oil only).
    """

    #: Cross-field rules in words (shown by the build's parameter listing).
    RULES: ClassVar[tuple[str, ...]] = (
        f"{DATA_FIRST_YEAR} <= start_year <= end_year <= last data year of the edition "
        "(edition year - 1)",
    )

    country: str = Field(
        "KAZ",
        description="ISO3 code of the country analysed",
        json_schema_extra={"allowed": "one of " + ", ".join(COUNTRIES)},
    )
    start_year: int = Field(
        2000,
        ge=DATA_FIRST_YEAR,
        le=last_data_year(LATEST_EDITION),
        description="first year of the time series",
    )
    end_year: int = Field(
        last_data_year(LATEST_EDITION),
        ge=DATA_FIRST_YEAR,
        le=last_data_year(LATEST_EDITION),
        description="last year of the time series",
    )
    edition: str = Field(
        LATEST_EDITION,
        description="Energy Institute / bp Statistical Review edition (edition year)",
        json_schema_extra={"allowed": "one of " + ", ".join(BUNDLED_EDITIONS)},
    )
    energy_unit: EnergyUnit = Field(
        "EJ", description="unit of the production/consumption comparison: EJ, bcm, Mt, kb/d"
    )

    @field_validator("country", mode="before")
    @classmethod
    def _country(cls, value: object) -> str:
        try:
            code = countries.iso3(str(value))
        except UnknownCodeError:
            code = None
        if code not in COUNTRIES:
            raise ValueError(
                f"country {value!r} is not covered by the energy chapter; "
                f"use one of {', '.join(COUNTRIES)}"
            )
        return code

    @field_validator("edition", mode="before")
    @classmethod
    def _edition(cls, value: object) -> str:
        text = str(value).strip()
        if text not in BUNDLED_EDITIONS:
            raise ValueError(
                f"edition {value!r} is not bundled; use one of {', '.join(BUNDLED_EDITIONS)} "
                "(the Statistical Review edition year; its data run to the year before)"
            )
        return text

    @model_validator(mode="after")
    def _cross(self) -> EnergyParams:
        if self.start_year > self.end_year:
            raise ValueError(
                f"start_year ({self.start_year}) is after end_year ({self.end_year}); "
                "give start_year <= end_year"
            )
        last = last_data_year(self.edition)
        if self.end_year > last:
            raise ValueError(
                f"end_year ({self.end_year}) is after the last data year of edition "
                f"{self.edition} ({last}); use end_year <= {last} or a later edition"
            )
        return self

    @property
    def unit_code(self) -> str:
        """Unit code of :attr:`energy_unit` as used in ``energy_series`` (``ej``, ``kbd`` …)."""
        return UNIT_CODES[self.energy_unit]
