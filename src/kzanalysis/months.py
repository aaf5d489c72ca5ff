"""Month names for reader text (English, whatever the locale): standard library only, so
the no-op build's date parsing and the report elements share one list."""

from __future__ import annotations

#: January … December.
MONTHS: tuple[str, ...] = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
