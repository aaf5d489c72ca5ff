"""The base class of every notebook parameter model (kept apart to avoid import cycles).

Chapter modules (``kzanalysis.analysis.<chapter>_params``) subclass
:class:`NotebookParams`; :mod:`kzanalysis.params` registers them in ``MODELS``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict


class NotebookParams(BaseModel):
    """Base of every parameter model: unknown names are errors, instances are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    #: Cross-field rules in words, shown by ``kzanalysis params``.
    RULES: ClassVar[tuple[str, ...]] = ()


#: The five Central Asian states, the possible report countries of most chapters.
CA5: tuple[str, ...] = ("KAZ", "KGZ", "TJK", "TKM", "UZB")


def ca5_country(value: object, scope: str) -> str:
    """``value`` as the ISO3 code of a Central Asian state (case and spaces ignored).

    Args:
        value: The parameter value (``"kaz"``, ``" UZB "``).
        scope: Whose parameter it is, for the message (``"this chapter"``).

    Raises:
        ValueError: naming the value and the allowed codes.
    """
    code = str(value).strip().upper()
    if code not in CA5:
        raise ValueError(
            f"country {value!r} is not a Central Asian state of {scope}; "
            f"use one of {', '.join(CA5)} (ISO3 codes)"
        )
    return code


def check_period(start_year: int, end_year: int, context: Mapping[str, Any] | None) -> None:
    """The year rules every parameter model with a period shares.

    Args:
        start_year: First year.
        end_year: Last year.
        context: The validation context; its ``coverage`` (first, last year of the data the
            notebook reads), when given, must contain the period.

    Raises:
        ValueError: naming the years and what to give instead.
    """
    if start_year > end_year:
        raise ValueError(
            f"start_year ({start_year}) is after end_year ({end_year}); give start_year <= end_year"
        )
    coverage = (context or {}).get("coverage")
    if coverage:
        lo, hi = coverage
        if start_year < lo or end_year > hi:
            raise ValueError(
                f"years {start_year}–{end_year} are outside the data coverage "
                f"{lo}–{hi}; choose years inside it"
            )
