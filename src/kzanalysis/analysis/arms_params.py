"""Parameters of the arms-shares chapter (``notebooks/03_arms_shares.ipynb``).

The notebook's ``parameters`` cell holds literal defaults equal to the defaults here; its
first code cell validates them with :class:`ArmsParams`, so a bad value (a recipient
outside Central Asia, a year outside the edition's data, an unknown edition, a supplier
group naming an unknown country) stops the notebook with a message that names the
parameter, the value and what is allowed.

Editions are the two bundled vintages of SIPRI's deal-level trade register
(``arms_deals``): the value is the export's "Data generated" date. Their constants are
literal here (parameter validation never imports pandas); a unit test checks them against
the curated data.

Example:
    >>> p = ArmsParams(recipient="uzb", edition="2025-03-13")
    >>> p.recipient, p.last_year, p.recipients
    ('UZB', 2024, ('UZB',))
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field, field_validator, model_validator

from kzanalysis import countries
from kzanalysis.errors import UnknownCodeError
from kzanalysis.param_base import NotebookParams

#: The five Central Asian states (constant registry group) and the region's code.
CA5: tuple[str, ...] = tuple(sorted(countries.members("CA5", 2020)))
REGION = "CA5"

#: Bundled SIPRI deal-register editions ("Data generated" date) → latest delivery year.
EDITION_LAST_YEAR: dict[str, int] = {"2025-03-13": 2024, "2026-05-18": 2025}
BUNDLED_EDITIONS: tuple[str, ...] = tuple(sorted(EDITION_LAST_YEAR))
LATEST_EDITION: str = BUNDLED_EDITIONS[-1]

#: First year of the analysis: the five states are SIPRI recipients from 1992 (their
#: first recorded delivery is 1994).
DATA_FIRST_YEAR = 1992

#: Suppliers that are never put into a supplier group: Russia (with the Soviet Union,
#: SUN, always counted as Russia) and China are the two actors the chapter compares.
UNGROUPABLE: tuple[str, ...] = ("CHN", "RUS", "SUN")

DEFAULT_SUPPLIER_GROUPS: dict[str, list[str]] = {"Europe": ["Europe"]}


def group_member(value: str) -> str:
    """Return the canonical code of a supplier-group member: a registry group or ISO3 code.

    Raises:
        UnknownCodeError: if ``value`` is neither a registry group nor a known country.
    """
    if not isinstance(value, str) or not value.strip():
        raise UnknownCodeError(f"supplier-group member {value!r} must be a non-empty string")
    text = value.strip()
    for group in countries.groups():
        if group.casefold() == text.casefold():
            return group
    try:
        return countries.iso3(text)
    except UnknownCodeError as exc:
        raise UnknownCodeError(
            f"{exc} Members may also be registry groups: {', '.join(countries.groups())}."
        ) from None


def resolve_members(members: list[str], year: int) -> frozenset[str]:
    """ISO3 codes of a supplier group's members in ``year`` (groups expanded at year end)."""
    codes: set[str] = set()
    for member in members:
        if member in countries.groups():
            codes |= countries.members(member, year)
        else:
            codes.add(member)
    return frozenset(codes)


class ArmsParams(NotebookParams):
    """Validated parameters of the arms chapter.

    Attributes:
        recipient: ISO3 code of a Central Asian state, or ``CA5`` for the five together.
        start_year: First delivery year of the analysis.
        end_year: Last delivery year; ``None`` means the edition's latest delivery year.
        window: Length in years of the window sums (SIPRI compares 5-year sums).
        edition: SIPRI deal-register edition ("Data generated" date, ISO).
        supplier_groups: Label → members (ISO3 codes or registry groups such as
            ``Europe``, ``EU27``) combined into one supplier in the grouped ranking.
    """

    #: Cross-field rules in words (shown by the build's parameter listing).
    RULES: ClassVar[tuple[str, ...]] = (
        f"{DATA_FIRST_YEAR} <= start_year <= end_year <= the edition's latest delivery year "
        f"({', '.join(f'{e}: {y}' for e, y in EDITION_LAST_YEAR.items())})",
        "window <= end_year - start_year + 1",
        "supplier groups: non-empty labels other than Russia/China, valid members, no "
        "country in two groups, never CHN, RUS or SUN",
    )

    recipient: str = Field(
        "KAZ",
        description="ISO3 code of the Central Asian recipient, or CA5 for the region",
        json_schema_extra={"allowed": "one of " + ", ".join((*CA5, REGION))},
    )
    start_year: int = Field(
        DATA_FIRST_YEAR,
        ge=DATA_FIRST_YEAR,
        le=max(EDITION_LAST_YEAR.values()),
        description="first delivery year of the analysis",
    )
    end_year: int | None = Field(
        None,
        description="last delivery year (None: the edition's latest delivery year)",
        json_schema_extra={
            "allowed": f"None or a year from {DATA_FIRST_YEAR} to the edition's latest "
            "delivery year"
        },
    )
    window: int = Field(5, ge=1, le=10, description="window length in years (5 = SIPRI's)")
    edition: str = Field(
        LATEST_EDITION,
        description="SIPRI trade-register edition ('Data generated' date)",
        json_schema_extra={"allowed": "one of " + ", ".join(BUNDLED_EDITIONS)},
    )
    supplier_groups: dict[str, list[str]] = Field(
        DEFAULT_SUPPLIER_GROUPS,
        description="supplier groups for the grouped ranking: label -> ISO3 codes or "
        "registry groups",
        json_schema_extra={
            "allowed": "label -> list of ISO3 codes or groups: " + ", ".join(countries.groups())
        },
    )

    @field_validator("recipient", mode="before")
    @classmethod
    def _recipient(cls, value: object) -> str:
        text = str(value).strip()
        if text.upper() == REGION:
            return REGION
        try:
            code = countries.iso3(text)
        except UnknownCodeError:
            code = None
        if code not in CA5:
            raise ValueError(
                f"recipient {value!r} is not a Central Asian state; use one of "
                f"{', '.join(CA5)} or {REGION} for the five together"
            )
        return code

    @field_validator("edition", mode="before")
    @classmethod
    def _edition(cls, value: object) -> str:
        text = str(value).strip()
        if text not in BUNDLED_EDITIONS:
            raise ValueError(
                f"edition {value!r} is not bundled; use one of {', '.join(BUNDLED_EDITIONS)} "
                "(the 'Data generated' date of SIPRI's trade register)"
            )
        return text

    @field_validator("supplier_groups")
    @classmethod
    def _groups(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for label, members in value.items():
            name = label.strip()
            if not name:
                raise ValueError("a supplier group has an empty label; give it a name")
            if name.casefold() in ("russia", "china"):
                raise ValueError(
                    f"supplier group label {label!r} is reserved for the single supplier; "
                    "choose another label"
                )
            if not members:
                raise ValueError(f"supplier group {label!r} has no members; list at least one")
            codes = []
            for member in members:
                try:
                    code = group_member(member)
                except UnknownCodeError as exc:
                    raise ValueError(
                        f"supplier group {label!r}, member {member!r}: {exc}"
                    ) from None
                if code in UNGROUPABLE:
                    raise ValueError(
                        f"supplier group {label!r} includes {code}; Russia (with the Soviet "
                        "Union) and China always stay single suppliers, remove it"
                    )
                codes.append(code)
            out[name] = codes
        return out

    @model_validator(mode="after")
    def _cross(self) -> ArmsParams:
        last = EDITION_LAST_YEAR[self.edition]
        end = self.end_year if self.end_year is not None else last
        if not DATA_FIRST_YEAR <= end <= last:
            raise ValueError(
                f"end_year ({end}) is outside edition {self.edition}'s delivery years "
                f"{DATA_FIRST_YEAR}–{last}; use end_year <= {last} (or None) or another edition"
            )
        if self.start_year > end:
            raise ValueError(
                f"start_year ({self.start_year}) is after end_year ({end}); "
                "give start_year <= end_year"
            )
        if self.window > end - self.start_year + 1:
            raise ValueError(
                f"window ({self.window} years) is longer than the period {self.start_year}–"
                f"{end}; shorten the window or widen the period"
            )
        for year in range(self.start_year, end + 1):
            seen: dict[str, str] = {}
            for label, members in self.supplier_groups.items():
                resolved = resolve_members(members, year)
                for code in sorted(resolved & set(UNGROUPABLE)):
                    raise ValueError(
                        f"supplier group {label!r} contains {code} in {year}; Russia and "
                        "China always stay single suppliers"
                    )
                for code in resolved:
                    if code in seen and seen[code] != label:
                        raise ValueError(
                            f"{code} is in two supplier groups ({seen[code]!r} and {label!r}) "
                            f"in {year}; put each country in one group"
                        )
                    seen[code] = label
        return self

    @property
    def last_year(self) -> int:
        """The last delivery year: ``end_year``, or the edition's latest delivery year."""
        return self.end_year if self.end_year is not None else EDITION_LAST_YEAR[self.edition]

    @property
    def recipients(self) -> tuple[str, ...]:
        """ISO3 codes of the recipient(s): the five states for ``CA5``."""
        return CA5 if self.recipient == REGION else (self.recipient,)
