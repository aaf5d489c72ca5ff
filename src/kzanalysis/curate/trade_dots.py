"""IMF Direction of Trade Statistics (DOTS) country workbooks → tidy partner flows.

Each workbook (the IMF's Excel export, one per reporter) has two sheets, ``Exports, FOB``
and ``Imports, CIF``: reporter name in B4, unit in B5, years in row 7 from column C,
then one row per partner (a country, an IMF group or an unallocated residual) with
values in million US dollars; text cells such as ``"1,191.26 e"`` are IMF estimates.
"""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pandas as pd

from kzanalysis.curate._io import fail
from kzanalysis.curate.trade_codes import country_iso3
from kzanalysis.specs.trade_codes import (
    IMF_ALIASES,
    IMF_GROUPS,
    IMF_HEADINGS,
    IMF_UNALLOCATED,
)

# the workbook declarations, re-exported for the callers of this parser
from kzanalysis.specs.trade_sources import DOTS_DIR as DOTS_DIR
from kzanalysis.specs.trade_sources import DOTS_FILES as DOTS_FILES

#: Sheet name → flow.
SHEETS: dict[str, str] = {"Exports, FOB": "export", "Imports, CIF": "import"}
UNIT_LINE = "US Dollars, Millions"

_ESTIMATE = re.compile(r"^\s*(-?[\d,]*\.?\d+)\s*e\s*$")
COLUMNS = [
    "reporter_iso3",
    "partner_code",
    "partner_kind",
    "partner_name",
    "flow",
    "year",
    "value_usd_mn",
    "estimate_flag",
]


def parse_cell(value: object, where: str) -> tuple[float | None, bool]:
    """Parse one DOTS value cell into (value, is IMF estimate).

    Args:
        value: The cell: a number, ``None``/blank, or text like ``"1,191.26 e"``.
        where: File/sheet/cell description for the error message.

    Returns:
        ``(None, False)`` for an empty cell, else the value and the estimate flag.

    Raises:
        RawDataError: for text that is neither a number nor an ``e`` estimate.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, False
    if isinstance(value, bool):
        raise fail(where, f"unexpected boolean cell {value!r}")
    if isinstance(value, int | float):
        return float(value), False
    text = str(value)
    match = _ESTIMATE.match(text)
    if match:
        return float(match.group(1).replace(",", "")), True
    try:
        return float(text.replace(",", "")), False
    except ValueError:
        raise fail(
            where,
            f"cell {text!r} is neither a number nor an IMF estimate like '13.35 e'",
            "check whether the IMF changed its value notation and extend parse_cell",
        ) from None


def classify_partner(name: str) -> tuple[str, str] | None:
    """Return (partner_code, partner_kind) for an IMF partner name, or None if unmapped.

    Kinds: ``country`` (incl. former states), ``group`` (IMF aggregates) and
    ``unallocated`` (IMF residual rows such as "Asia not specified").
    """
    if name in IMF_GROUPS:
        return IMF_GROUPS[name], "group"
    if name in IMF_UNALLOCATED:
        return IMF_UNALLOCATED[name], "unallocated"
    code = IMF_ALIASES.get(name) or country_iso3(name)
    return (code, "country") if code else None


def _year_columns(header: tuple, where: str) -> dict[int, int]:
    """Map column index → year from the year header row (row 7)."""
    years: dict[int, int] = {}
    for idx, cell in enumerate(header):
        if idx < 2 or cell is None or str(cell).strip() == "":
            continue
        text = str(cell).strip()
        if not re.fullmatch(r"(19|20)\d\d", text.removesuffix(".0")):
            raise fail(where, f"row 7 column {idx + 1} holds {text!r}, expected a year")
        years[idx] = int(text.removesuffix(".0"))
    if not years:
        raise fail(where, "no years found in row 7 from column C on")
    return years


def parse_sheet(rows: list[tuple], flow: str, reporter: str, where: str) -> pd.DataFrame:
    """Turn one DOTS sheet (rows of cell values) into long rows.

    Drops the duplicated first "Australia" row, skips empty cells and heading rows.

    Raises:
        RawDataError: on a layout change (unit line, header, duplicate partner, unknown name).
    """
    if len(rows) < 8:
        raise fail(where, f"only {len(rows)} rows; expected a title block and partner rows")
    unit = rows[4][1] if len(rows[4]) > 1 else None
    if unit != UNIT_LINE:
        raise fail(where, f"cell B5 is {unit!r}, expected {UNIT_LINE!r}", "check the unit")
    years = _year_columns(rows[6], where)
    body = rows[7:]
    first = body[0][1] if len(body[0]) > 1 else None
    if first != "Australia":
        raise fail(
            where,
            f"first partner row is {first!r}; the IMF export starts with a duplicated "
            "'Australia' row that is dropped",
            "check that the duplicate row is still there before dropping anything",
        )
    body = body[1:]
    seen: set[str] = set()
    unmapped: list[str] = []
    records = []
    for row in body:
        name = row[1] if len(row) > 1 else None
        if name is None or str(name).strip() == "":
            if any(v is not None for v in row[2:]):
                raise fail(where, "a row has values but no partner name in column B")
            continue
        name = str(name).strip()
        if name in seen:
            raise fail(where, f"partner {name!r} appears twice (besides the first Australia)")
        seen.add(name)
        if name in IMF_HEADINGS:
            if any(v is not None for v in row[2:]):
                raise fail(where, f"heading row {name!r} unexpectedly holds values")
            continue
        kind = classify_partner(name)
        if kind is None:
            unmapped.append(name)
            continue
        for idx, year in years.items():
            value, est = parse_cell(row[idx] if idx < len(row) else None, f"{where} {name} {year}")
            if value is None:
                continue
            records.append((reporter, kind[0], kind[1], name, flow, year, round(value, 6), est))
    if unmapped:
        raise fail(
            where,
            f"unmapped IMF partner names {sorted(unmapped)}",
            "add them to IMF_ALIASES, IMF_GROUPS or IMF_UNALLOCATED in "
            "kzanalysis/specs/trade_codes.py",
        )
    return pd.DataFrame.from_records(records, columns=COLUMNS)


def parse_workbook(path: Path, reporter: str, reporter_name: str) -> pd.DataFrame:
    """Parse both sheets of one DOTS workbook.

    Raises:
        RawDataError: if a sheet is missing, the reporter in B4 differs, or the layout changed.
    """
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise fail(path, f"cannot open as an Excel workbook ({exc})") from exc
    try:
        frames = []
        for sheet, flow in SHEETS.items():
            if sheet not in wb.sheetnames:
                raise fail(
                    path,
                    f"sheet {sheet!r} missing (sheets: {wb.sheetnames})",
                    "check that the file is the IMF DOTS country export",
                )
            rows = list(wb[sheet].iter_rows(values_only=True))
            where = f"{path} [{sheet}]"
            found = rows[3][1] if len(rows) > 3 and len(rows[3]) > 1 else None
            if found != reporter_name:
                raise fail(where, f"cell B4 is {found!r}, expected reporter {reporter_name!r}")
            frames.append(parse_sheet(rows, flow, reporter, where))
    finally:
        wb.close()
    return pd.concat(frames, ignore_index=True)
