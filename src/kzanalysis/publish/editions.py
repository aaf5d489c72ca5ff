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

**The stale-data rule** (:func:`stale_reasons`). A report is flagged *stale data* only when

(a) it was built on an edition that a newer one in ``data/`` supersedes: the current
    catalog lists a different edition of the same source for the same table (or no longer
    lists the source), so the published report lags the data; or
(b) a source's newest data year is older than its publisher's release cadence allows: each
    source declares ``release_cadence_months`` and ``release_lag_months`` in its
    :class:`~kzanalysis.schema.Source` (the catalog carries them, with the source's
    ``newest_data_year``, the latest over every table it feeds). With data to year *Y*,
    the next release was due by the end of the month *cadence + lag* months after
    December of *Y* (:func:`release_due`); a report built after that date is flagged.
    Sources with cadence ``"none"`` (frozen vintages, archived editions kept next to the
    newest, transcribed poll toplines, censuses, one-off publications) are never stale
    for their age.

A source that declares no cadence at all (not one of the bundled sources; a test or a new
source) falls back to the age of its edition: older than ``max_age_days`` at build time.
Everything is judged at the date the report was built, so the flag only changes with a
build or a change of ``data/``. Standard library only: the no-op build imports this.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from kzanalysis.months import MONTHS

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


#: The rule in words, for the index page (``{days}``: the fallback limit).
STALE_RULE = (
    "A report is flagged stale data only when it was built on an edition that a newer one in "
    "the data now replaces, or when a source's newest data year is older than its "
    "publisher's release cadence allows (for data to year Y, a release with later data is "
    "due the cadence plus the publisher's usual delay after December of Y). Frozen "
    "vintages, archived editions kept for comparison, transcribed polls, censuses and "
    "one-off publications have no cadence and are never stale for their age. Judged at "
    "the date each report was built."
)
#: Added to :data:`STALE_RULE` when a source declares no cadence.
FALLBACK_RULE = (
    "A source that declares no release cadence is flagged when its edition was more than "
    "{days} days old at build time."
)
NO_CADENCE = "none"


def release_due(newest_year: int, cadence_months: int, lag_months: int) -> date:
    """The last day by which a release with data after ``newest_year`` was due.

    Data run to December of ``newest_year``; the next release covers ``cadence_months``
    more and appears ``lag_months`` after that period ends: the end of the month
    ``cadence_months + lag_months`` after December of ``newest_year``.

    Examples:
        >>> release_due(2023, 12, 7)  # a yearly workbook seven months after the year
        datetime.date(2025, 7, 31)
        >>> release_due(2025, 12, 6)
        datetime.date(2027, 6, 30)
    """
    index = newest_year * 12 + 11 + cadence_months + lag_months  # months since year 0
    year, month = divmod(index, 12)
    first_next = date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    return date.fromordinal(first_next.toordinal() - 1)


def day_text(day: date) -> str:
    """``2025-07-31`` → ``31 July 2025``."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def catalog_sources(
    resources: Iterable[Mapping[str, Any]],
) -> tuple[set[str], dict[tuple[str, str], Mapping[str, Any]]]:
    """The catalog's table names and its source entries by ``(table, source id)``."""
    tables: set[str] = set()
    sources: dict[tuple[str, str], Mapping[str, Any]] = {}
    for res in resources:
        name = str(res.get("name"))
        tables.add(name)
        for src in res.get("sources") or []:
            sources[(name, str(src.get("id") or src.get("title")))] = src
    return tables, sources


def newest_data_years(sources: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """Each source's newest data year over every table it feeds (a source may feed a
    summary table with fewer years than its own table)."""
    out: dict[str, int] = {}
    for src in sources:
        year, sid = src.get("newest_data_year"), str(src.get("id") or src.get("title"))
        if isinstance(year, int) and not isinstance(year, bool):
            out[sid] = max(year, out.get(sid, year))
    return out


def _cadence(current: Mapping[str, Any] | None) -> int | str | None:
    value = (current or {}).get("release_cadence_months")
    if value == NO_CADENCE:
        return NO_CADENCE
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    return None


def stale_reasons(
    editions: Iterable[Mapping[str, Any]],
    resources: Iterable[Mapping[str, Any]] | None,
    built: date | None,
    max_age_days: int = DEFAULT_MAX_DATA_AGE_DAYS,
) -> list[str]:
    """Why a report counts as built on stale data (the module's rule), in words; empty if not.

    Args:
        editions: The report's data editions (``dataset``, ``source``, ``publisher``,
            ``edition``, ``edition_date``), as recorded when it was built.
        resources: The *current* catalog's resources (None: rule (a) and the cadences
            cannot be checked; only the fallback applies).
        built: The day the report was built (None: only rule (a) applies).
        max_age_days: Edition-age limit for sources that declare no cadence.
    """
    tables, current = catalog_sources(resources or [])
    newest_years = newest_data_years(current.values())
    reasons: list[str] = []
    overdue: list[tuple[str, str, str]] = []
    for entry in editions:
        dataset, source = str(entry.get("dataset")), str(entry.get("source"))
        publisher = str(entry.get("publisher") or source)
        now = current.get((dataset, source))
        if resources is not None and (now is None or now.get("edition") != entry.get("edition")):
            newer = f"“{now.get('edition')}”" if now is not None else "a newer source"
            reasons.append(
                f"{publisher}: built on the edition “{entry.get('edition')}”; the data now "
                f"hold {newer}"
                if dataset in tables
                else f"{publisher}: built on a table the data no longer hold"
            )
            continue
        cadence = _cadence(now)
        if cadence == NO_CADENCE or built is None:
            continue
        if cadence is None:  # not declared: the edition's age
            (aged,) = with_ages([entry], built)
            if aged["age_days"] is not None and aged["age_days"] > max_age_days:
                reasons.append(
                    f"{publisher}: edition {aged['age_days']} days old at build (no release "
                    f"cadence declared; the limit is {max_age_days} days)"
                )
            continue
        newest = newest_years.get(source)
        if newest is None:
            continue
        due = release_due(newest, int(cadence), int((now or {}).get("release_lag_months") or 0))
        if built > due:
            title = str((now or {}).get("title") or "").split(" (")[0]
            overdue.append(
                (publisher, title, f"data end in {newest}; a release with later data was due "
                 f"by {day_text(due)}")
            )  # fmt: skip
    for publisher, title, text in overdue:
        # the dataset's title only where one publisher has more than one overdue dataset
        several = len({t for p, t, _ in overdue if p == publisher}) > 1
        reasons.append(
            f"{publisher}, {title}: {text}" if several and title else f"{publisher}: {text}"
        )
    return list(dict.fromkeys(reasons))
