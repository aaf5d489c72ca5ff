"""Readers for SIPRI Arms Transfers Database exports (trade registers and TIV tables).

Pure functions that turn one upstream CSV export into plain Python records, with a
:class:`~kzanalysis.errors.RawDataError` (file, problem, fix) for every layout problem.
:mod:`kzanalysis.curate.arms` builds the curated tables from these records.

Formats handled (see ``arms/PROVENANCE.md`` in the shared snapshot folder):

* **Trade register** (deal level, 16 columns): a preamble ending with
  ``Data generated: <date>``, then a header whose three blank-named columns are the
  ``'?'`` uncertainty flags of the column before them. Latin-1. Some vintages contain a
  raw line break inside an unquoted ``Comments`` field, which splits one record in two.
* **Per-delivery-year register** (17 columns, one row per deal x delivery year): same
  preamble; in some exports every line (preamble too) ends with an extra ``;``.
* **TIV tables** (recipient or supplier x year): a preamble, a header
  ``<first cell>,1950,...,2024,1950-2024,Percentage,...``; cells may carry a trailing
  space (``0 ``); an empty cell means no deliveries identified.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

from kzanalysis.countries import lookup_iso3
from kzanalysis.curate._io import fail
from kzanalysis.specs.arms import SIPRI_STATE_ALIASES

#: Header of the deal-level trade register; ``""`` marks the blank-named '?' flag columns.
REGISTER_HEADER: tuple[str, ...] = (
    "Recipient",
    "Supplier",
    "Year of order",
    "",
    "Number ordered",
    "",
    "Weapon designation",
    "Weapon description",
    "Number delivered",
    "",
    "Year(s) of delivery",
    "status",
    "Comments",
    "SIPRI TIV per unit",
    "SIPRI TIV for total order",
    "SIPRI TIV of delivered weapons",
)

#: Header of the per-delivery-year trade register.
DELIVERIES_HEADER: tuple[str, ...] = (
    "SIPRI AT Database ID",
    "Supplier",
    "Recipient",
    "Designation",
    "Description",
    "Armament category",
    "Order date",
    "Order date is estimate",
    "Numbers delivered",
    "Numbers delivered is estimate",
    "Delivery year",
    "Delivery year is estimate",
    "Status",
    "SIPRI estimate",
    "TIV deal unit",
    "TIV delivery values",
    "Local production",
)

_MONTHS = {
    m: i
    for i, m in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
        start=1,
    )
}
_GENERATED = re.compile(r"Data generated:\s*(\d{1,2}) ([A-Z][a-z]{2})[a-z]* (\d{4})")
_YEAR_COLUMN = re.compile(r"^\d{4}$")
_MAX_PREAMBLE_LINES = 40


@dataclass(frozen=True)
class SipriExport:
    """One SIPRI CSV export split into its vintage and its data records.

    Attributes:
        path: The file it came from (for error messages).
        edition: The "Data generated" date, ISO ``YYYY-MM-DD``.
        header: Header cells, stripped.
        records: Data records (lists of raw cell strings), blank lines dropped.
    """

    path: Path
    edition: str
    header: tuple[str, ...]
    records: list[list[str]]


def decode(data: bytes) -> str:
    """Decode an export: UTF-8 if the bytes are valid UTF-8, else Latin-1 (SIPRI's encoding).

    Latin-1 text with accented letters is practically never valid UTF-8, so this reads
    SIPRI's Latin-1 files correctly and does not garble a copy re-saved as UTF-8.
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def split_lines(text: str) -> list[str]:
    """Split on ``\\n`` only (dropping a ``\\r`` before it); Latin-1 text may contain U+0085."""
    return [line.removesuffix("\r") for line in text.split("\n")]


def parse_generated(path: Path, preamble: list[str]) -> str:
    """Return the ISO date of the preamble's ``Data generated: 18 May 2026 ...`` line."""
    for line in preamble:
        match = _GENERATED.search(line)
        if match and match.group(2) in _MONTHS:
            day, month, year = int(match.group(1)), _MONTHS[match.group(2)], int(match.group(3))
            return f"{year:04d}-{month:02d}-{day:02d}"
    raise fail(
        path,
        "no 'Data generated: <day> <Mon> <year>' line in the preamble, so the SIPRI vintage "
        "is unknown",
        "use an unmodified SIPRI export (the preamble states the vintage)",
    )


def read_export(path: Path, first_cell: str) -> SipriExport:
    """Read a SIPRI export: find the header (first cell ``first_cell``) after the preamble.

    If the header line ends with ``;`` (some exports end every line with one), one
    trailing ``;`` is dropped from every line before CSV parsing.

    Args:
        path: The CSV file.
        first_cell: Text of the header's first cell (e.g. ``Recipient``).

    Raises:
        RawDataError: if the header or the vintage line is missing.
    """
    lines = split_lines(decode(Path(path).read_bytes()))
    start = None
    for i, line in enumerate(lines[:_MAX_PREAMBLE_LINES]):
        if line.startswith(first_cell + ","):
            start = i
            break
    if start is None:
        raise fail(
            path,
            f"no header line starting with {first_cell!r} in the first "
            f"{_MAX_PREAMBLE_LINES} lines (renamed column or not a SIPRI export)",
            "check that the file is the SIPRI export named in arms/PROVENANCE.md",
        )
    if lines[start].endswith(";"):
        lines = [line.removesuffix(";") for line in lines]
    edition = parse_generated(path, lines[:start])
    rows = list(csv.reader(io.StringIO("\n".join(lines[start:]))))
    header = tuple(cell.strip() for cell in rows[0])
    records = [row for row in rows[1:] if any(cell.strip() for cell in row)]
    return SipriExport(Path(path), edition, header, records)


def check_header(export: SipriExport, expected: tuple[str, ...]) -> None:
    """Raise a :class:`RawDataError` unless the header is exactly ``expected``."""
    if export.header == expected:
        return
    missing = [c for c in expected if c and c not in export.header]
    extra = [c for c in export.header if c and c not in expected]
    raise fail(
        export.path,
        f"unexpected header: expected {len(expected)} columns {list(expected)}, found "
        f"{len(export.header)} {list(export.header)} (missing: {missing}; unexpected: {extra})",
        "SIPRI may have renamed or reordered columns; update the reader in "
        "kzanalysis/curate/arms_sipri.py after checking the new layout",
    )


def rejoin_split_records(path: Path, records: list[list[str]], width: int) -> list[list[str]]:
    """Re-join records that a raw line break inside an unquoted field split in two.

    A record with fewer than ``width`` fields is merged with the next one(s) when the
    field counts add up (the broken field is joined with a space).

    Raises:
        RawDataError: if a record still does not have ``width`` fields.
    """
    out: list[list[str]] = []
    i = 0
    while i < len(records):
        record = list(records[i])
        while (
            len(record) < width
            and i + 1 < len(records)
            and len(record) + len(records[i + 1]) - 1 <= width
        ):
            nxt = records[i + 1]
            record = [*record[:-1], record[-1].rstrip() + " " + nxt[0].lstrip(), *nxt[1:]]
            i += 1
        if len(record) != width:
            raise fail(
                path,
                f"a record has {len(record)} fields instead of {width}: {record[:4]}",
                "check the file for broken lines or unescaped commas near that record",
            )
        out.append(record)
        i += 1
    return out


def classify_actor(name: str) -> str:
    """Kind of SIPRI actor: ``organisation`` (``**``), ``non_state`` (``*``), ``unknown``, state."""
    if name.endswith("**"):
        return "organisation"
    if name.endswith("*"):
        return "non_state"
    if name.lower().startswith("unknown"):
        return "unknown"
    return "state"


def state_iso3(name: str) -> str | None:
    """ISO3 code of a SIPRI state name (alias dict, then pycountry), or ``None``."""
    return lookup_iso3(name, SIPRI_STATE_ALIASES)


def map_actors(path: Path, names: set[str]) -> dict[str, tuple[str | None, str]]:
    """Map SIPRI actor names to ``(iso3 or None, kind)``.

    Non-state actors, organisations and unknown actors get no ISO3 code.

    Raises:
        RawDataError: listing every state name that cannot be mapped.
    """
    out: dict[str, tuple[str | None, str]] = {}
    unmapped = []
    for name in sorted(names):
        kind = classify_actor(name)
        code = state_iso3(name) if kind == "state" else None
        if kind == "state" and code is None:
            unmapped.append(name)
        out[name] = (code, kind)
    if unmapped:
        raise fail(
            path,
            f"country names not mapped to ISO3: {unmapped}",
            "add the SIPRI spelling to SIPRI_STATE_ALIASES in kzanalysis/specs/arms.py",
        )
    return out


class CellParser:
    """Parse typed cells of one column, collecting bad values into one clear error."""

    def __init__(self, path: Path, column: str):
        """Remember the file and column named in the error message."""
        self.path = path
        self.column = column
        self.bad: list[str] = []

    def integer(self, text: str) -> int | None:
        """Whole number, or ``None`` for an empty cell."""
        text = text.strip()
        if not text:
            return None
        if not text.isdigit():
            self.bad.append(text)
            return None
        return int(text)

    def number(self, text: str) -> float | None:
        """Decimal number, or ``None`` for an empty cell."""
        text = text.strip()
        if not text:
            return None
        try:
            value = float(text)
        except ValueError:
            self.bad.append(text)
            return None
        if value != value or value < 0:  # NaN or negative
            self.bad.append(text)
            return None
        return value

    def question_flag(self, text: str) -> bool:
        """SIPRI's blank-headed flag: ``'?'`` means uncertain, empty means certain."""
        text = text.strip()
        if text not in ("", "?"):
            self.bad.append(text)
        return text == "?"

    def yes_no(self, text: str) -> bool | None:
        """``Yes``/``No`` as a boolean, ``None`` for an empty cell."""
        text = text.strip()
        if text == "":
            return None
        if text not in ("Yes", "No"):
            self.bad.append(text)
            return None
        return text == "Yes"

    def year_list(self, text: str) -> list[int]:
        """Delivery years separated by ``;`` (``"2016; 2017"``), empty list if none."""
        years = []
        for part in text.split(";"):
            part = part.strip()
            if not part:
                continue
            if len(part) != 4 or not part.isdigit():
                self.bad.append(text)
                return []
            years.append(int(part))
        return years

    def one_of(self, text: str, allowed: tuple[str, ...]) -> str:
        """A categorical value that must be one of ``allowed``."""
        text = text.strip()
        if text not in allowed:
            self.bad.append(text)
        return text

    def check(self) -> None:
        """Raise a :class:`RawDataError` if any bad value was seen."""
        if self.bad:
            sample = sorted(set(self.bad))[:5]
            raise fail(
                self.path,
                f"column {self.column!r} has {len(self.bad)} unparsable value(s), e.g. {sample}",
                "check whether SIPRI changed the format of that column",
            )


def deal_key(
    recipient_iso3: str, supplier_code: str, order_year: int | None, cells: list[str]
) -> str:
    """Stable deal id ``<recipient>-<supplier>-<order year>-<8 hex of sha1(all cells)>``."""
    digest = hashlib.sha1("\x1f".join(cells).encode("utf-8")).hexdigest()[:8]
    year = str(order_year) if order_year is not None else "NA"
    return f"{recipient_iso3}-{supplier_code}-{year}-{digest}"


@dataclass(frozen=True)
class TivTable:
    """A SIPRI TIV table (actor x year) in long form.

    Attributes:
        path: The file it came from.
        edition: The "Data generated" date, ISO.
        years: The year columns, in order.
        values: ``{row name: {year: TIV}}`` for non-empty cells only.
        totals: ``{row name: value of the all-years total column}`` (``None`` if empty).
    """

    path: Path
    edition: str
    years: tuple[int, ...]
    values: dict[str, dict[int, float]]
    totals: dict[str, float | None]


def read_tiv_table(path: Path, first_cell: str) -> TivTable:
    """Read a SIPRI TIV table whose header starts ``<first_cell>,<year>,<year>,...``.

    Raises:
        RawDataError: on a missing header, non-contiguous years, a missing total column,
            a row of the wrong width or an unparsable cell.
    """
    export = read_export(path, first_cell)
    header = export.header
    year_idx = [i for i, h in enumerate(header) if _YEAR_COLUMN.match(h)]
    years = tuple(int(header[i]) for i in year_idx)
    if (
        not year_idx
        or year_idx != list(range(1, 1 + len(year_idx)))
        or list(years) != list(range(years[0], years[0] + len(years)))
    ):
        raise fail(
            path,
            f"header {list(header[:4])}... does not have contiguous year columns right after "
            f"{first_cell!r}",
            "check the TIV table layout (one column per year)",
        )
    total_name = f"{years[0]}-{years[-1]}"
    total_idx = 1 + len(years)
    if len(header) <= total_idx or header[total_idx] != total_name:
        raise fail(
            path,
            f"expected the all-years column {total_name!r} after the year columns",
            "check the TIV table layout",
        )
    values: dict[str, dict[int, float]] = {}
    totals: dict[str, float | None] = {}
    for record in export.records:
        if len(record) != len(header):
            raise fail(
                path,
                f"row {record[:2]} has {len(record)} cells, the header has {len(header)}",
                "check the TIV table for broken lines",
            )
        name = record[0].strip()
        parser = CellParser(path, f"{name} (row)")
        row = {}
        for year, i in zip(years, year_idx, strict=True):
            value = parser.number(record[i])
            if value is not None:
                row[year] = value
        totals[name] = parser.number(record[total_idx])
        parser.check()
        if name in values:
            raise fail(path, f"row {name!r} appears twice", "check the TIV table")
        values[name] = row
    return TivTable(Path(path), export.edition, years, values, totals)
