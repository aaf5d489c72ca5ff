"""Parsers for the bp / Energy Institute *Statistical Review of World Energy* snapshots.

Two upstream layouts are read:

* the "all data" workbooks (bp 2021, bp 2022, EI 2023, EI 2024; ``.xlsx``), one table per
  sheet: a title row, a header row whose first cell is the unit ("Thousand barrels daily")
  followed by the years, then one row per entity (countries, "Other …" residuals,
  "Total …" regions, OECD/OPEC/EU groupings), then footnotes;
* a third party's JSON extraction of the EI 2026 workbook: ``sheets[name]`` with
  ``type == "timeseries"`` (``years``, ``unit``, ``entities[{name, values}]``) or
  ``type == "raw"`` (``grid``: the sheet as a list of rows of strings).

Matrix sheets (gas trade by pipeline, oil inter-area movements) are read from the same
grid of cells in both layouts, so one matrix parser serves every edition.

Every parse problem raises :class:`~kzanalysis.errors.RawDataError` naming the file, the
sheet and the fix.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from kzanalysis.countries import lookup_iso3
from kzanalysis.curate._io import fail
from kzanalysis.specs.energy_codes import AGGREGATES, COUNTRY_ALIASES

Grid = list[list[Any]]

#: Cell markers that mean "no number here" (n/a, "-", less-than-half-unit signs).
MISSING_MARKERS: frozenset[str] = frozenset({"", "n/a", "na", "-", "^", "†", "w", "♦", "◆", "‡"})

_FOOTNOTE_TAIL = re.compile(r"(?<=[A-Za-z.)])[\s]*[*#^†‡§\d]+$")


def clean_name(name: str) -> str:
    """Strip whitespace and trailing footnote marks (``Other Europe1``, ``Ukraine#``)."""
    return _FOOTNOTE_TAIL.sub("", str(name).strip()).strip()


def norm_sheet(name: str) -> str:
    """Normalise a sheet name for matching: lower case, single spaces, no padding."""
    return re.sub(r"\s+", " ", str(name)).strip().lower()


def aggregate_code(name: str) -> str:
    """Code for an unlisted ``Total …``/``Other …`` label, e.g. ``OTHER_ASIA_PACIFIC``."""
    return re.sub(r"[^A-Z]+", "_", name.upper()).strip("_")


@cache
def _pycountry_iso3(name: str) -> str | None:
    """ISO3 of ``name`` via pycountry, or None (never a 2-letter/numeric code match)."""
    if len(name) <= 3:
        return None
    return lookup_iso3(name)


def resolve_entity(name: str) -> tuple[str, str] | None:
    """Return ``(code, kind)`` for a published entity label, or None if unknown.

    ``kind`` is ``country`` (ISO3 code), ``area`` (a disjoint residual or area such as
    ``Other CIS``), ``subtotal`` (overlaps other rows: regions, OECD, EU …), ``total`` or
    ``memo`` (a sub-item of a country row, to be dropped).
    """
    clean = clean_name(name)
    if clean in COUNTRY_ALIASES:
        return COUNTRY_ALIASES[clean], "country"
    if clean in AGGREGATES:
        return AGGREGATES[clean]
    if clean.startswith("Total "):
        return aggregate_code(clean), "subtotal"
    if clean.startswith("Other "):
        return aggregate_code(clean), "area"
    iso3 = _pycountry_iso3(clean)
    return (iso3, "country") if iso3 else None


def resolve_all(names: Iterable[str], where: str) -> dict[str, tuple[str, str]]:
    """Resolve every label or raise one error listing all unmapped labels."""
    out: dict[str, tuple[str, str]] = {}
    unmapped = []
    for name in names:
        hit = resolve_entity(name)
        if hit is None:
            unmapped.append(name)
        else:
            out[name] = hit
    if unmapped:
        raise fail(
            where,
            f"entity names not mapped to ISO3 or a known aggregate: {sorted(set(unmapped))}",
            "add the spelling to COUNTRY_ALIASES or AGGREGATES in kzanalysis.specs.energy_codes",
        )
    return out


def to_number(value: Any, where: str) -> float | None:
    """Convert a cell to float; known 'no data' markers become None.

    Raises:
        RawDataError: for any other text (an unexpected layout).
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise fail(where, f"unexpected boolean cell {value!r}")
    if isinstance(value, int | float):
        return None if math.isnan(float(value)) else float(value)
    text = str(value).strip()
    if text.lower() in MISSING_MARKERS:
        return None
    try:
        return float(text)
    except ValueError:
        raise fail(where, f"unexpected text {text!r} in a numeric cell") from None


# --------------------------------------------------------------------------------------
# Reading workbooks and the JSON extraction
# --------------------------------------------------------------------------------------


class Workbook(Mapping[str, Grid]):
    """An xlsx workbook's sheets by title, each read into a grid of cell values the first
    time it is asked for. An Energy Institute workbook has ~80 sheets and the parsers
    need a few of them: reading every sheet took ~90 % of the energy curation's time.
    Close it (or use it as a context manager) when done."""

    def __init__(self, path: Path) -> None:
        import openpyxl

        self.path = Path(path)
        try:
            self._book = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
        except Exception as exc:
            raise fail(path, f"not a readable xlsx workbook ({exc})", "restore the file") from exc
        self._titles = list(self._book.sheetnames)
        self._grids: dict[str, Grid] = {}

    def __getitem__(self, title: str) -> Grid:
        if title not in self._grids:
            if title not in self._titles:
                raise KeyError(title)
            rows = self._book[title].iter_rows(values_only=True)
            self._grids[title] = [list(r) for r in rows]
        return self._grids[title]

    def __contains__(self, title: object) -> bool:
        return title in self._titles  # without reading the sheet

    def __iter__(self) -> Iterator[str]:
        return iter(self._titles)

    def __len__(self) -> int:
        return len(self._titles)

    def close(self) -> None:
        """Close the file (sheets already read stay readable)."""
        self._book.close()

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_workbook(path: Path) -> Workbook:
    """Open an xlsx workbook: its sheets by title (raw names), read when first used.

    Raises:
        RawDataError: if the file is not a readable workbook.
    """
    return Workbook(path)


def read_json(path: Path) -> dict[str, dict]:
    """Read the EI 2026 JSON extraction and return its ``sheets`` mapping.

    Raises:
        RawDataError: if the file is not JSON or has no ``sheets`` object.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise fail(path, f"not valid UTF-8 JSON ({exc})", "restore the file") from exc
    sheets = data.get("sheets") if isinstance(data, dict) else None
    if not isinstance(sheets, dict):
        raise fail(path, "no 'sheets' object at the top level", "check the extraction format")
    return sheets


def find_sheet(names: Iterable[str], wanted: Sequence[str], where: str) -> str:
    """Return the first sheet whose normalised name is in ``wanted``.

    Raises:
        RawDataError: listing the wanted names when none is present.
    """
    by_norm = {norm_sheet(n): n for n in names}
    for w in wanted:
        if norm_sheet(w) in by_norm:
            return by_norm[norm_sheet(w)]
    raise fail(
        where,
        f"none of the sheets {list(wanted)} is present",
        "the edition renamed the sheet; add the new name to the series definition",
    )


# --------------------------------------------------------------------------------------
# Time-series sheets
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeriesRow:
    """One published value of a time-series sheet."""

    entity: str
    year: int
    value: float


def _is_year(value: Any) -> bool:
    """True for an integral number between 1800 and 2100."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return float(value).is_integer() and 1800 <= value <= 2100


def _year_columns(row: Sequence[Any]) -> list[tuple[int, int]]:
    """``(column index, year)`` for the leading run of increasing years after column 0."""
    cols: list[tuple[int, int]] = []
    for j, v in enumerate(row[1:], start=1):
        if not _is_year(v):
            if cols:
                break
            continue
        year = int(v)
        if cols and year != cols[-1][1] + 1:
            break
        cols.append((j, year))
    return cols


def parse_timeseries_grid(grid: Grid, unit_label: str, where: str) -> list[SeriesRow]:
    """Parse a workbook time-series sheet into rows (entity as published, year, value).

    The header row is the first row whose first cell starts with ``unit_label``
    (case-insensitive) and that has at least two consecutive years. Growth-rate and share
    columns after the year run are ignored. Rows whose year cells are all empty (titles,
    footnotes, blank lines) are skipped; "n/a"-type markers become missing values.

    Raises:
        RawDataError: if no header row with the expected unit is found, or a cell holds
            unexpected text.
    """
    header_idx = None
    for i, row in enumerate(grid):
        first = str(row[0]).strip().lower() if row and row[0] is not None else ""
        if first.startswith(unit_label.lower()) and len(_year_columns(row)) >= 2:
            header_idx = i
            break
    if header_idx is None:
        raise fail(
            where,
            f"no header row starting with the unit {unit_label!r} followed by years",
            "the sheet's unit or layout changed; update the series definition",
        )
    cols = _year_columns(grid[header_idx])
    out: list[SeriesRow] = []
    for row in grid[header_idx + 1 :]:
        if not row or row[0] is None or not str(row[0]).strip():
            continue
        cells = [row[j] if j < len(row) else None for j, _ in cols]
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        name = str(row[0]).strip()
        for (_, year), cell in zip(cols, cells, strict=True):
            value = to_number(cell, f"{where}, row {name!r}, {year}")
            if value is not None:
                out.append(SeriesRow(name, year, value))
    return out


def parse_timeseries_json(sheet: dict, unit_label: str, where: str) -> list[SeriesRow]:
    """Parse a ``timeseries`` sheet of the EI 2026 JSON extraction.

    Raises:
        RawDataError: if the sheet is not a time series, its unit differs from
            ``unit_label``, or the values do not line up with the years.
    """
    if sheet.get("type") != "timeseries":
        raise fail(where, f"sheet type is {sheet.get('type')!r}, expected 'timeseries'")
    unit = str(sheet.get("unit", ""))
    if not unit.lower().startswith(unit_label.lower()):
        raise fail(
            where, f"unit is {unit!r}, expected {unit_label!r}", "update the series definition"
        )
    years = sheet.get("years")
    entities = sheet.get("entities")
    if not isinstance(years, list) or not isinstance(entities, list):
        raise fail(where, "timeseries sheet without 'years' and 'entities' lists")
    out: list[SeriesRow] = []
    for ent in entities:
        name = str(ent.get("name", "")).strip()
        values = ent.get("values")
        if not name or not isinstance(values, list) or len(values) != len(years):
            raise fail(
                where, f"entity {name!r} has {len(values or [])} values for {len(years)} years"
            )
        for year, cell in zip(years, values, strict=True):
            value = to_number(cell, f"{where}, entity {name!r}, {year}")
            if value is not None:
                out.append(SeriesRow(name, int(year), value))
    return out


# --------------------------------------------------------------------------------------
# Matrix sheets (gas pipeline trade, oil inter-area movements)
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MatrixCell:
    """One published cell of a trade matrix (labels as published, after trimming)."""

    exporter: str
    importer: str
    value: float


def title_year(grid: Grid, pattern: str, where: str) -> int:
    """Year in the first cell matching ``pattern`` (a regex with one group) in the top rows.

    Raises:
        RawDataError: if no title with a year is found.
    """
    rx = re.compile(pattern, re.IGNORECASE)
    for row in grid[:5]:
        for cell in row[:1]:
            m = rx.search(str(cell or ""))
            if m:
                return int(m.group(1))
    raise fail(where, f"no title matching {pattern!r} in the first rows", "check the sheet")


def _label(cell: Any) -> str:
    """A header/row label as text (trimmed), '' for empty."""
    return "" if cell is None else str(cell).strip()


def parse_gas_pipeline_grid(grid: Grid, where: str) -> list[MatrixCell]:
    """Parse a "Natural Gas: Trade movements YYYY by pipeline" matrix.

    Layout: a header row starting with ``To`` lists the exporters ("From") and ends with
    ``Total imports``; each following row is an importer, down to ``Total exports``.

    Raises:
        RawDataError: if the ``To`` header row or the ``Total exports`` row is missing.
    """
    head = next((i for i, r in enumerate(grid) if r and _label(r[0]) == "To"), None)
    if head is None:
        raise fail(where, "no header row starting with 'To'", "check the pipeline sheet layout")
    cols = [(j, _label(c)) for j, c in enumerate(grid[head]) if j > 0 and _label(c)]
    if not cols or cols[-1][1] != "Total imports":
        raise fail(where, "the 'To' header row does not end with 'Total imports'")
    return _matrix_cells(grid[head + 1 :], cols, "Total exports", where, rows_are_importers=True)


def parse_oil_interarea_grid(grid: Grid, block: str, where: str) -> list[MatrixCell]:
    """Parse one block (``Crude`` or ``Product``) of an "Oil: Inter-area movements" sheet.

    Layout: a header row ``Crude (million tonnes)`` lists the importers ("To") and ends
    with ``Total``; a row ``From`` follows; each next row is an exporter, down to
    ``Total imports``.

    Raises:
        RawDataError: if the block header, its unit or the ``Total imports`` row is missing.
    """
    head = next(
        (
            i
            for i, r in enumerate(grid)
            if r and _label(r[0]).lower().startswith(block.lower() + " (")
        ),
        None,
    )
    if head is None:
        raise fail(where, f"no '{block} (million tonnes)' block", "check the inter-area sheet")
    if "million tonnes" not in _label(grid[head][0]).lower():
        raise fail(where, f"block header {_label(grid[head][0])!r} is not in million tonnes")
    cols = [(j, _label(c)) for j, c in enumerate(grid[head]) if j > 0 and _label(c)]
    # only the crude header row lists the importers (the product block reuses them), so
    # only the crude block can be read on its own
    if not cols or cols[-1][1] != "Total":
        raise fail(where, f"the {block!r} header row does not list importers ending with 'Total'")
    return _matrix_cells(grid[head + 1 :], cols, "Total imports", where, rows_are_importers=False)


def _matrix_cells(
    rows: Grid,
    cols: list[tuple[int, str]],
    last_label: str,
    where: str,
    *,
    rows_are_importers: bool,
) -> list[MatrixCell]:
    """Read matrix rows up to and including ``last_label``; keep non-zero cells."""
    out: list[MatrixCell] = []
    for row in rows:
        label = _label(row[0]) if row else ""
        if not label or label == "From":
            continue
        for j, col in cols:
            cell = row[j] if j < len(row) else None
            value = to_number(cell, f"{where}, row {label!r}, column {col!r}")
            if value is None or value == 0:
                continue
            if rows_are_importers:
                out.append(MatrixCell(exporter=col, importer=label, value=value))
            else:
                out.append(MatrixCell(exporter=label, importer=col, value=value))
        if label == last_label:
            return out
    raise fail(where, f"matrix has no closing {last_label!r} row", "check the sheet layout")
