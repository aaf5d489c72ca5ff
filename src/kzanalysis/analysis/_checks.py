"""Input checks shared by the chapter analyses."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd


class MissingColumnsError(KeyError, ValueError):
    """A frame passed to an analysis function lacks columns it needs.

    Both a ``KeyError`` (a column lookup failed) and a ``ValueError`` (a bad argument),
    so callers may catch either.
    """

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


def require_columns(frame: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    """Raise :class:`MissingColumnsError` naming the columns ``frame`` lacks.

    Args:
        frame: The frame to check.
        columns: Columns it must have.
        what: Who needs them (the function or table), for the message.

    Raises:
        MissingColumnsError: with the missing and the present columns and how to fix it.
    """
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise MissingColumnsError(
            f"{what}: missing column(s) {missing} (columns present: {list(frame.columns)}); "
            "pass the table as kzanalysis.datasets.load() returns it (or the output of the "
            "function named in the docstring)"
        )
