"""Kazakhstan BNS "Main indicators of foreign trade … by country" sheets → partner flows.

The snapshot holds each ``.xls`` sheet as a CSV (cell for cell, ``header=None``). A data
sheet has title rows (the period, e.g. «за январь-декабрь 2020 года» or «2022 год»), the
unit «тыс. долларов США», a header row starting «Наименование…» with turnover, export and
import columns (each followed by a share %), then partner rows from «Всего» down: groups
(СНГ, ЕАЭС, Страны ЕС, Азия …) mixed with countries, values in thousand US dollars.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from kzanalysis.curate._io import fail
from kzanalysis.curate.trade_codes import norm_ru, russian_country_iso3
from kzanalysis.specs.trade_codes import BNS_ALIASES, BNS_GROUPS

# the sheet declarations, re-exported for the callers of this parser
from kzanalysis.specs.trade_sources import BNS_DIR as BNS_DIR
from kzanalysis.specs.trade_sources import BNS_SHEETS as BNS_SHEETS
from kzanalysis.specs.trade_sources import latest_sheets as latest_sheets
from kzanalysis.specs.trade_sources import sheet_relpath as sheet_relpath

EU_LABEL = "страны ес"
EU_END_LABEL = "страны вне ес"

UNIT = "тыс. долларов США"
COLUMNS = ["partner_code", "partner_kind", "partner_name", "flow", "year", "value_usd_mn"]
#: Column positions in the sheet: A name, B turnover, D exports, F imports.
_FLOW_COLS = {"export": 3, "import": 5}


def read_sheet(path: Path) -> pd.DataFrame:
    """Read a sheet CSV as text, cell for cell (empty cells → empty strings)."""
    try:
        return pd.read_csv(path, header=None, dtype=str, keep_default_na=False, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise fail(path, f"cannot read as a UTF-8 CSV ({exc})") from exc


def _find_header(cells: pd.DataFrame, path: Path) -> int:
    """Return the index of the «Наименование …» header row and check its columns."""
    names = [norm_ru(v) for v in cells[0]]
    hits = [i for i, n in enumerate(names) if n.startswith("наименование")]
    if not hits:
        raise fail(path, "no header row starting with «Наименование» in column A")
    i = hits[0]
    row = [norm_ru(v) for v in cells.iloc[i]]
    expected = {1: "товарооборот", 3: "экспорт", 5: "импорт"}
    for col, word in expected.items():
        if col >= len(row) or not row[col].startswith(word):
            raise fail(
                path,
                f"header column {col + 1} is {row[col] if col < len(row) else None!r}, "
                f"expected «{word}…»",
                "check whether BNS changed the column layout and update trade_bns.py",
            )
    return i


def _sheet_year(cells: pd.DataFrame, header: int, path: Path) -> int:
    """Return the reporting year stated in the title rows above the header."""
    text = " ".join(" ".join(cells.iloc[:header].fillna("").to_numpy().ravel()).split())
    if UNIT not in text:
        raise fail(path, f"unit «{UNIT}» not found above the header", "check the unit")
    years = set(re.findall(r"\b(20\d\d)\s*год", text))
    if len(years) != 1:
        raise fail(path, f"cannot tell the reporting year from the title rows (found {years})")
    return int(years.pop())


def _value(text: str, where: str) -> float | None:
    """Parse a value cell (thousand USD) → million USD, or None if empty."""
    text = text.strip()
    if not text:
        return None
    try:
        return round(float(text.replace(",", ".").replace(" ", "")) / 1000.0, 6)
    except ValueError:
        raise fail(where, f"value {text!r} is not a number") from None


def _eu_code(names: list[str], start: int, path: Path) -> str:
    """Return EU28 or EU27 from the number of member rows under «Страны ЕС»."""
    try:
        end = names.index(EU_END_LABEL, start)
    except ValueError:
        raise fail(path, "«Страны ЕС» is not followed by «Страны вне ЕС»") from None
    members = end - start - 1
    if members not in (27, 28):
        raise fail(path, f"«Страны ЕС» lists {members} members, expected 27 or 28")
    return f"EU{members}"


def parse_sheet(path: Path, expected_year: int) -> pd.DataFrame:
    """Parse one BNS sheet CSV into long rows (million USD).

    Raises:
        RawDataError: on a missing header, wrong year, non-numeric value, duplicate or
            unmapped partner names (listed).
    """
    cells = read_sheet(path)
    if cells.shape[1] < 7:
        raise fail(path, f"{cells.shape[1]} columns, expected at least 7 (A–G)")
    header = _find_header(cells, path)
    year = _sheet_year(cells, header, path)
    if year != expected_year:
        raise fail(path, f"title says {year}, the file name says {expected_year}")
    names = [norm_ru(v) for v in cells[0]]
    starts = [i for i in range(header + 1, len(names)) if BNS_GROUPS.get(names[i]) == "WLD"]
    if not starts:
        raise fail(path, "no «Всего» (total) row below the header")
    records, unmapped, seen = [], [], set()
    for i in range(starts[0], len(cells)):
        raw_name = " ".join(str(cells.iat[i, 0]).split())
        flows = {f: _value(cells.iat[i, c], f"{path} row {i + 1}") for f, c in _FLOW_COLS.items()}
        if not raw_name:
            if any(v is not None for v in flows.values()):
                raise fail(path, f"row {i + 1} has values but no partner name")
            continue
        if names[i] == EU_LABEL:
            code, kind = _eu_code(names, i, path), "group"
        elif names[i] in BNS_GROUPS:
            code, kind = BNS_GROUPS[names[i]], "group"
        else:
            code, kind = russian_country_iso3(raw_name, BNS_ALIASES), "country"
            if code is None:
                unmapped.append(raw_name)
                continue
        if code in seen:
            raise fail(path, f"partner code {code} appears twice (row {i + 1}: {raw_name!r})")
        seen.add(code)
        for flow, value in flows.items():
            if value is not None:
                records.append((code, kind, raw_name, flow, year, value))
    if unmapped:
        raise fail(
            path,
            f"unmapped BNS partner names {sorted(unmapped)}",
            "add them to BNS_ALIASES (or BNS_GROUPS) in kzanalysis/specs/trade_codes.py",
        )
    return pd.DataFrame.from_records(records, columns=COLUMNS)
