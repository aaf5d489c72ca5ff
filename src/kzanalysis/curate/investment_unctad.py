"""UNCTAD *Bilateral FDI Statistics 2014* country sheets (R-converted CSV) → tidy rows.

Layout of a sheet: a header line, then the R row number in column 0, the hierarchical
labels in columns 1–5 (World > economy group > region > sub-region > economy: the column a
label sits in is its depth), an empty column, and one column per year (the ``Region /
economy`` line names them). Title, unit, header, page-break, source and note lines are
recognised and dropped.

Cells: whole millions with a space as thousands separator (``"1 718"``), ``..`` for not
available (kept missing, never 0), and negatives the conversion garbled as ``"- -5"`` or
``"-- 156"``. Only that exact pattern (two minus signs, then a well-formed number) is read
as a negative; each such cell is reported (:class:`Repair`) so the curation log lists it.
Any other cell stops the curation.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kzanalysis.curate._io import fail
from kzanalysis.specs.investment_codes import (
    UNCTAD_ECONOMIES,
    UNCTAD_GROUPS,
    UNCTAD_UNSPECIFIED,
    UNCTAD_WORLD,
)

#: A well-formed whole number: 1–3 digits, then groups of 3 after a space.
_NUMBER = r"\d{1,3}(?: \d{3})*"
_PLAIN = re.compile(rf"^(-?)({_NUMBER})$")
#: The garbled negatives the R conversion wrote: ``- -5`` and ``-- 156`` (nothing else).
_GARBLED = re.compile(rf"^(?:- -|-- )({_NUMBER})$")
_NOT_AVAILABLE = ".."
_PAGE_BREAK = "/..."
_YEAR = re.compile(r"^(19|20)\d\d$")

ROW_COLUMNS = [
    "investor_name",
    "investor_iso3",
    "investor_kind",
    "parent_name",
    "year",
    "value_usd_mn",
    "sign_repaired",
]


@dataclass(frozen=True)
class Repair:
    """A garbled negative read as a negative number."""

    file: str
    row: str
    investor: str
    year: int
    cell: str
    value: float

    def __str__(self) -> str:
        return (
            f"{self.file} row {self.row} ({self.investor}, {self.year}): garbled negative "
            f"{self.cell!r} read as {self.value:g}"
        )


def parse_cell(cell: str) -> tuple[float | None, bool]:
    """Read one value cell.

    Returns:
        ``(value, repaired)``: the number in millions (``None`` for ``..``, not available)
        and whether it was a garbled negative read as a negative. ``- -0`` is 0.

    Raises:
        ValueError: if the cell is none of a number, ``..`` or a garbled negative.
    """
    text = cell.strip()
    if text == _NOT_AVAILABLE:
        return None, False
    match = _PLAIN.match(text)
    if match:
        value = float(match.group(2).replace(" ", ""))
        return (-value if match.group(1) and value else value), False
    match = _GARBLED.match(text)
    if match:
        value = float(match.group(1).replace(" ", ""))
        return (-value if value else 0.0), True
    raise ValueError(cell)


def classify(name: str) -> tuple[str | None, str]:
    """Return ``(iso3 or None, kind)`` of an investor label.

    Raises:
        KeyError: if the label is neither a known economy nor a known group.
    """
    if name == UNCTAD_WORLD:
        return None, "world"
    if name == UNCTAD_UNSPECIFIED:
        return None, "unspecified"
    if name in UNCTAD_GROUPS:
        return None, "group"
    return UNCTAD_ECONOMIES[name], "country"


def _years(row: list[str], path: Path, line: int) -> dict[int, int]:
    """Column index → year of a ``Region / economy`` header line."""
    years = {i: int(c) for i, c in enumerate(row) if i >= 6 and _YEAR.match(c.strip())}
    if not years:
        raise fail(path, f"line {line}: the 'Region / economy' header names no years")
    return years


def parse_sheet(
    path: Path, host_label: str, title_prefix: str, bank: str
) -> tuple[pd.DataFrame, list[Repair]]:
    """Parse one country sheet into long rows (one per investor and year).

    Args:
        path: The CSV file.
        host_label: The host's name the header cell must carry (``Kazakhstan``).
        title_prefix: How the table title must begin (``Table 1. FDI flows in the host economy``).
        bank: The data source the footer must name (``National Bank of Kazakhstan``).

    Returns:
        The rows (columns :data:`ROW_COLUMNS`) and every garbled negative read as negative.

    Raises:
        RawDataError: naming the file, the line and the fix, if the layout, a label or a
            cell is not what the sheet's format allows.
    """
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    if not rows or len(rows[0]) < 8 or rows[0][1] != host_label:
        found = rows[0][1] if rows and len(rows[0]) > 1 else "nothing"
        raise fail(
            path,
            f"header names host {found!r}, expected {host_label!r}",
            "check that the file is the right country's UNCTAD sheet",
        )
    years: dict[int, int] | None = None
    titled = sourced = False
    stack: list[str] = []  # labels of the enclosing rows, by depth
    records: list[dict] = []
    repairs: list[Repair] = []
    for line, row in enumerate(rows[1:], start=2):
        labels = [c.strip() for c in row[1:6]]
        first = labels[0]
        filled = [i for i, label in enumerate(labels) if label]
        if not filled:  # page break: empty labels, values empty or '/...'
            rest = {c.strip() for c in row[6:]} - {"", "NA"}
            if rest - {_PAGE_BREAK}:
                raise fail(path, f"line {line}: values without a label ({sorted(rest)})")
            continue
        if len(filled) > 1:
            raise fail(path, f"line {line}: more than one label ({[labels[i] for i in filled]})")
        if filled == [0] and first != UNCTAD_WORLD:
            if first.startswith("Table "):
                if not titled and not first.startswith(title_prefix):
                    raise fail(
                        path,
                        f"line {line}: table title {first!r}, expected {title_prefix!r}…",
                        "check that the file is the right table (flows or stock)",
                    )
                titled = True
            elif first == "Region / economy":
                found = _years(row, path, line)
                if years is not None and found != years:
                    raise fail(path, f"line {line}: repeated year header differs from the first")
                years = found
            elif first.startswith("Source:"):
                if bank not in first:
                    raise fail(
                        path,
                        f"line {line}: source line {first!r} does not name the {bank}",
                        "check that the file is the right country's sheet",
                    )
                sourced = True
            elif not (first.startswith("Note:") or first == "(Millions of US dollars)"):
                raise fail(path, f"line {line}: unexpected line {first!r}")
            continue
        if years is None or not titled:
            raise fail(path, f"line {line}: data before the title and the year header")
        depth, name = filled[0], labels[filled[0]]
        try:
            iso3, kind = classify(name)
        except KeyError:
            raise fail(
                path,
                f"line {line}: unknown investor label {name!r}",
                "add it to UNCTAD_ECONOMIES (with its ISO3 code) or UNCTAD_GROUPS in "
                "kzanalysis/specs/investment_codes.py",
            ) from None
        if depth > len(stack):
            raise fail(path, f"line {line}: {name!r} is indented below no parent row")
        del stack[depth:]
        parent = stack[-1] if stack else None
        stack.append(name)
        for col, year in years.items():
            cell = row[col] if col < len(row) else ""
            try:
                value, repaired = parse_cell(cell)
            except ValueError:
                raise fail(
                    path,
                    f"line {line} ({name}, {year}): cell {cell!r} is not a number, '..' or a "
                    "garbled negative ('- -5', '-- 156')",
                    "check the cell against UNCTAD's original sheet and extend "
                    "kzanalysis.curate.investment_unctad.parse_cell only if its reading is "
                    "unambiguous",
                ) from None
            if repaired:
                repairs.append(Repair(path.name, row[0], name, year, cell, float(value or 0.0)))
            records.append(
                {
                    "investor_name": name,
                    "investor_iso3": iso3,
                    "investor_kind": kind,
                    "parent_name": parent,
                    "year": year,
                    "value_usd_mn": value,
                    "sign_repaired": repaired,
                }
            )
    if not records or not sourced:
        raise fail(path, "no data rows or no 'Source:' line found")
    frame = pd.DataFrame.from_records(records, columns=ROW_COLUMNS)
    dup = frame.duplicated(["investor_name", "year"])
    if dup.any():
        raise fail(path, f"investor labels repeat: {sorted(set(frame.investor_name[dup]))}")
    return frame, repairs
