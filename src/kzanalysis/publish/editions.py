"""Data editions of a report: which publisher editions it was built on, and how old they were.

Editions are free text in the catalog (``"Data generated 18 May 2026 (…)"``,
``"2026 edition (data to 2025)"``, ``"WDI, Last Updated Date 2025-03-24"``). The
date of an edition is read from that text: the latest full date it names
(``2025-03-24``, ``25.07.2024``, ``18 May 2026``, ``February 2025``) or, if it
names none, the latest year, counted from 1 July of that year (mid-year, so an
edition known only by its year is at most half a year off). Text without a
date (``"v7"``, a commit id) has no known age and is never flagged.

The age of an edition is counted at the time the report was *built*, so an
index page does not change from one day to the next without a build.
Standard library only: the no-op build imports this.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

#: Default age (days) beyond which a report is flagged as built on stale data.
DEFAULT_MAX_DATA_AGE_DAYS = 400

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ]
    )
    for m in names
}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_ISO_RE = re.compile(r"\b((?:19|20)\d\d)-(\d\d)-(\d\d)\b")
_DOTTED_RE = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.((?:19|20)\d\d)\b")
_DAY_MONTH_RE = re.compile(rf"\b(\d{{1,2}}) ({_MONTH_RE})\.? ((?:19|20)\d\d)\b", re.I)
_MONTH_YEAR_RE = re.compile(rf"\b({_MONTH_RE})\.? ((?:19|20)\d\d)\b", re.I)
_YEAR_RE = re.compile(r"(?<!\w)((?:19|20)\d\d)(?!\w)")
#: Four-digit numbers that are not dates (product classification vintages).
_NOT_A_YEAR_RE = re.compile(r"\b(?:HS|SITC|ISIC|BEC) ?(?:19|20)\d\d\b")


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def edition_date(text: str | None) -> date | None:
    """The date an edition text names (see the module docstring), or None.

    Examples:
        >>> edition_date("Data generated 18 May 2026 (deliveries through 2025)")
        datetime.date(2026, 5, 18)
        >>> edition_date("2026 edition (data to 2025)")
        datetime.date(2026, 7, 1)
        >>> edition_date("v7") is None
        True
    """
    if not text:
        return None
    full: list[date | None] = []
    full += [_safe_date(int(y), int(m), int(d)) for y, m, d in _ISO_RE.findall(text)]
    full += [_safe_date(int(y), int(m), int(d)) for d, m, y in _DOTTED_RE.findall(text)]
    full += [
        _safe_date(int(y), _MONTHS[m.lower()], int(d)) for d, m, y in _DAY_MONTH_RE.findall(text)
    ]
    stripped = _DAY_MONTH_RE.sub(" ", text)
    full += [_safe_date(int(y), _MONTHS[m.lower()], 1) for m, y in _MONTH_YEAR_RE.findall(stripped)]
    found = [d for d in full if d is not None]
    if found:
        return max(found)
    years = [int(y) for y in _YEAR_RE.findall(_NOT_A_YEAR_RE.sub(" ", text))]
    return date(max(years), 7, 1) if years else None


def build_date(built_at: str | None) -> date | None:
    """The day of a ``YYYY-MM-DD HH:MM:SS UTC`` build time (None if unreadable)."""
    if not built_at:
        return None
    try:
        return datetime.strptime(built_at[:10], "%Y-%m-%d").date()
    except ValueError:
        return None


def variant_editions(datasets: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One entry per (dataset, source) a report uses: publisher, edition, edition date.

    Args:
        datasets: Catalog resources (or the trimmed footer entries) the report uses.

    Returns:
        Entries ``{dataset, source, publisher, edition, edition_date}``; the date is ISO
        text or None when the edition names none.
    """
    out = []
    for res in datasets:
        for src in res.get("sources") or []:
            when = edition_date(src.get("edition"))
            out.append(
                {
                    "dataset": res.get("name"),
                    "source": src.get("id") or src.get("title"),
                    "publisher": src.get("publisher"),
                    "edition": src.get("edition"),
                    "edition_date": when.isoformat() if when else None,
                }
            )
    return out


def with_ages(editions: Iterable[Mapping[str, Any]], built: date | None) -> list[dict[str, Any]]:
    """Add ``age_days`` (at build time, never negative; None if unknown) to each entry."""
    out = []
    for entry in editions:
        when = entry.get("edition_date")
        age = None
        if when and built:
            try:
                age = max(0, (built - date.fromisoformat(when)).days)
            except ValueError:
                age = None
        out.append({**entry, "age_days": age})
    return out


def stale_editions(
    editions: Iterable[Mapping[str, Any]], max_age_days: int
) -> list[Mapping[str, Any]]:
    """The entries (with ``age_days``) older than ``max_age_days``, oldest first."""
    old = [e for e in editions if e.get("age_days") is not None and e["age_days"] > max_age_days]
    return sorted(old, key=lambda e: -e["age_days"])
