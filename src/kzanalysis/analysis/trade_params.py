"""Parameters of the EAEU trade chapter (``notebooks/01_eaeu_trade.ipynb``).

The notebook's ``parameters`` cell holds literal defaults equal to the defaults here; its
first code cell validates them with :class:`TradeParams`, so a bad value (an unknown
country, a year outside the data, a break outside the period) stops the notebook with a
message that names the parameter, the value and what is allowed.

Example:
    >>> p = TradeParams(country="uzb", partners=["russia", "EAEU"])
    >>> p.country, p.partners
    ('UZB', ['RUS', 'EAEU'])
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field, field_validator, model_validator

from kzanalysis import countries
from kzanalysis.errors import UnknownCodeError
from kzanalysis.param_base import NotebookParams

#: Years the trade tables cover for at least one source: IMF DOTS 1992–2020, Kazakhstan's
#: BNS 2018–2023, WITS-based totals to 2024 (see ``trade_partner_flows``).
DATA_FIRST_YEAR, DATA_LAST_YEAR = 1992, 2024

#: The five Central Asian states, from the registry (CA5 has a constant composition).
CA5: tuple[str, ...] = tuple(sorted(countries.members("CA5", 2020)))

#: Partner codes that are groups with a meaning in the trade tables besides registry groups.
EXTRA_GROUP_CODES: tuple[str, ...] = ("WLD",)

Flow = Literal["exports", "imports", "turnover"]
SourcePreference = Literal["auto", "imf_first", "national_first", "imf_only", "imf_first_mirror"]

#: How each ``source_preference`` ranks the source families (see ``analysis.trade``).
SOURCE_PREFERENCES: dict[str, str] = {
    "auto": "IMF DOTS first, then national statistics, then WITS totals; where the country's "
    "own series are an allocation by the IMF (constant partner shares for four years or more, "
    "computed), China's and Russia's own figures stand in for the flagged years",
    "imf_first": "IMF DOTS for every year it covers (to 2020), then Kazakhstan's national "
    "statistics (BNS, 2018–2023), then WITS/UN Comtrade-based totals (2024)",
    "national_first": "national statistics (BNS, Kazakhstan 2018–2023) where available, "
    "else IMF DOTS, then WITS/UN Comtrade-based totals",
    "imf_only": "IMF DOTS only (1992–2020)",
    "imf_first_mirror": "as IMF DOTS first, but in the years where the country's own figures "
    "for its trade with China or Russia are flagged (a recording break, a constant share or a "
    "tenfold jump) the partner's own report of the same trade stands in",
}

#: Each ``source_preference`` in a few words (report headers).
SOURCE_PREFERENCE_LABELS: dict[str, str] = {
    "auto": "IMF DOTS first (the partners' figures where the series are an allocation)",
    "imf_first": "IMF DOTS first",
    "national_first": "national statistics first",
    "imf_only": "IMF DOTS only",
    "imf_first_mirror": "IMF DOTS first, the partners' figures in flagged years",
}

DEFAULT_PARTNERS = ["RUS", "CHN", "EU27", "EAEU", "TUR", "USA"]
DEFAULT_BREAKS = [2015, 2022]


def partner_code(value: str) -> str:
    """Return the canonical partner code: a registry group code, ``WLD`` or an ISO3 code.

    Raises:
        UnknownCodeError: if ``value`` is neither a group nor a country the registry knows.
    """
    if not isinstance(value, str) or not value.strip():
        raise UnknownCodeError(f"partner {value!r} must be a non-empty string")
    text = value.strip()
    if text.upper() in EXTRA_GROUP_CODES:
        return text.upper()
    for group in countries.groups():
        if group.casefold() == text.casefold():
            return group
    try:
        return countries.iso3(text)
    except UnknownCodeError as exc:
        raise UnknownCodeError(
            f"{exc} Partners may also be groups: {', '.join(countries.groups())}, WLD."
        ) from None


class TradeParams(NotebookParams):
    """Validated parameters of the trade chapter.

    Attributes:
        country: Central Asian state whose trade is analysed (its own reported flows).
        start_year: First year of the analysis.
        end_year: Last year of the analysis.
        partners: Partners to show: ISO3 codes or group codes (``EU27``, ``EAEU``, ``CIS``…).
        flow: ``exports``, ``imports`` or ``turnover`` (exports + imports).
        source_preference: Which source family wins where several cover a year.
        breaks: Shock years for the trend-break models (level and slope break at each).
    """

    #: Cross-field rules in words (shown by the build's parameter listing).
    RULES: ClassVar[tuple[str, ...]] = (
        f"{DATA_FIRST_YEAR} <= start_year <= end_year <= {DATA_LAST_YEAR}",
        "every break year b satisfies start_year < b <= end_year",
        "partners are registry countries or groups, without duplicates, not the country itself",
    )

    country: str = Field(
        "KAZ",
        description="ISO3 code of the Central Asian state",
        json_schema_extra={"allowed": "one of " + ", ".join(CA5)},
    )
    start_year: int = Field(
        1995, ge=DATA_FIRST_YEAR, le=DATA_LAST_YEAR, description="first year of the analysis"
    )
    end_year: int = Field(
        2024, ge=DATA_FIRST_YEAR, le=DATA_LAST_YEAR, description="last year of the analysis"
    )
    partners: list[str] = Field(
        DEFAULT_PARTNERS,
        min_length=1,
        description="partner countries (ISO3) and groups (EU27, EAEU, CIS, …)",
        json_schema_extra={
            "allowed": "ISO3 codes or group codes: " + ", ".join(countries.groups())
        },
    )
    flow: Flow = Field("turnover", description="exports, imports or turnover")
    source_preference: SourcePreference = Field(
        "auto",
        description="which source wins where several cover a year",
        json_schema_extra={"labels": SOURCE_PREFERENCE_LABELS},
    )
    breaks: list[int] = Field(
        DEFAULT_BREAKS, description="shock years for the level/slope break models"
    )

    @field_validator("country", mode="before")
    @classmethod
    def _ca5(cls, value: object) -> str:
        try:
            code = countries.iso3(str(value))
        except UnknownCodeError:
            code = None
        if code not in CA5:
            raise ValueError(
                f"country {value!r} is not one of the five Central Asian states; "
                f"use one of {', '.join(CA5)}"
            )
        return code

    @field_validator("partners")
    @classmethod
    def _partners(cls, value: list[str]) -> list[str]:
        codes = []
        for item in value:
            try:
                code = partner_code(item)
            except UnknownCodeError as exc:
                raise ValueError(f"partner {item!r}: {exc}") from None
            if code in codes:
                raise ValueError(f"partner {item!r} is listed twice (as {code}); list it once")
            codes.append(code)
        return codes

    @field_validator("breaks")
    @classmethod
    def _breaks(cls, value: list[int]) -> list[int]:
        if len(set(value)) != len(value):
            raise ValueError(f"breaks {value} repeat a year; list each year once")
        return sorted(value)

    @model_validator(mode="after")
    def _cross(self) -> TradeParams:
        if self.start_year > self.end_year:
            raise ValueError(
                f"start_year ({self.start_year}) is after end_year ({self.end_year}); "
                "give start_year <= end_year"
            )
        outside = [b for b in self.breaks if not self.start_year < b <= self.end_year]
        if outside:
            raise ValueError(
                f"break year(s) {outside} are not inside the period {self.start_year}–"
                f"{self.end_year} (need start_year < break <= end_year); move the period or "
                "drop those breaks"
            )
        if self.country in self.partners:
            raise ValueError(
                f"partners include the country itself ({self.country}); remove it "
                "(groups that contain it are fine: its own row is left out of group sums)"
            )
        return self

    @property
    def flow_codes(self) -> tuple[str, ...]:
        """The data's flow codes for :attr:`flow` (``export``/``import``)."""
        return {"exports": ("export",), "imports": ("import",), "turnover": ("export", "import")}[
            self.flow
        ]
