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

#: The DOTS workbooks used, by file name, with the reporter's ISO3 code and the
#: reporter name the workbook must carry in cell B4 (checked, so a swapped file is caught).
DOTS_FILES: dict[str, tuple[str, str]] = {
    "DOTS_103.xlsx": ("KAZ", "Kazakhstan, Rep. of"),
    "DOTS_210.xlsx": ("UZB", "Uzbekistan, Rep. of"),
    "DOTS_109.xlsx": ("KGZ", "Kyrgyz Rep."),
    "DOTS_192.xlsx": ("TJK", "Tajikistan, Rep. of"),
    "DOTS_201.xlsx": ("TKM", "Turkmenistan"),
    "DOTS_40.xlsx": ("CHN", "China, P.R.: Mainland"),
    "DOTS_162.xlsx": ("RUS", "Russian Federation"),
}
DOTS_DIR = "trade/raw/imf_dots_samleblanc"

#: Sheet name → flow.
SHEETS: dict[str, str] = {"Exports, FOB": "export", "Imports, CIF": "import"}
UNIT_LINE = "US Dollars, Millions"

#: IMF aggregate rows → stable group codes. ``IMF_EU`` is the IMF's "European Union"
#: memorandum group whose composition (EU27/EU28, back-cast or not) the file does not state.
IMF_GROUPS: dict[str, str] = {
    "World": "WLD",
    "Advanced Economies": "IMF_ADV",
    "Euro Area": "IMF_EURO_AREA",
    "European Union": "IMF_EU",
    "Emerging and Developing Economies": "IMF_EMDE",
    "Emerging and Developing Asia": "IMF_EMDE_ASIA",
    "Emerging and Developing Europe": "IMF_EMDE_EUROPE",
    "Middle East and Central Asia": "IMF_MECA",
    "Sub-Saharan Africa": "IMF_SSA",
    "Western Hemisphere": "IMF_WHD",
    "Africa": "IMF_AFRICA",
    "Middle East": "IMF_MIDDLE_EAST",
    "Emerging Market and Developing Economies by Source of Export Earnings: Fuel": (
        "IMF_EMDE_FUEL"
    ),
    "Emerging Market and Developing Economies by Source of Export Earnings: Nonfuel": (
        "IMF_EMDE_NONFUEL"
    ),
}

#: IMF residual rows (trade not allocated to a country). They are not aggregates of
#: country rows: country + unallocated rows add up to ``World``.
IMF_UNALLOCATED: dict[str, str] = {
    "Africa not specified": "IMF_NS_AFRICA",
    "Asia not specified": "IMF_NS_ASIA",
    "Europe not specified": "IMF_NS_EUROPE",
    "Middle East and Central Asia not specified": "IMF_NS_MECA",
    "Western Hemisphere not specified": "IMF_NS_WHD",
    "Countries & Areas not specified": "IMF_NS_ALL",
    "Other Countries not included elsewhere": "IMF_NEI",
    "Special Categories": "IMF_SPECIAL",
}

#: Heading rows without data (skipped; a value in one of them is an error).
IMF_HEADINGS: frozenset[str] = frozenset({"Memorandum Items"})

#: IMF spellings that pycountry cannot look up. Former states use ISO 3166-3 codes
#: (CSK, DDR, SUN, YUG, SCG, ANT, YMD); three entities have no ISO code and get
#: conventional ones: Belgium-Luxembourg ``BLX`` (UN Comtrade's code for the customs
#: union), Kosovo ``XKX`` (the code the EU and the World Bank use) and the Yemen Arab
#: Republic (North Yemen, to 1990) ``YAR`` (project code).
IMF_ALIASES: dict[str, str] = {
    "Afghanistan, Islamic Rep. of": "AFG",
    "Armenia, Rep. of": "ARM",
    "Aruba, Kingdom of the Netherlands": "ABW",
    "Azerbaijan, Rep. of": "AZE",
    "Bahamas, The": "BHS",
    "Bahrain, Kingdom of": "BHR",
    "Belarus, Rep. of": "BLR",
    "Belgium-Luxembourg": "BLX",
    "Central African Rep.": "CAF",
    "China, P.R.: Hong Kong": "HKG",
    "China, P.R.: Macao": "MAC",
    "China, P.R.: Mainland": "CHN",
    "Comoros, Union of the": "COM",
    "Congo, Dem. Rep. of the": "COD",
    "Congo, Rep. of": "COG",
    "Croatia, Rep. of": "HRV",
    "Curaçao, Kingdom of the Netherlands": "CUW",
    "Czech Rep.": "CZE",
    "Czechoslovakia": "CSK",
    "Dominican Rep.": "DOM",
    "Eastern Germany": "DDR",
    "Egypt, Arab Rep. of": "EGY",
    "Equatorial Guinea, Rep. of": "GNQ",
    "Eritrea, The State of": "ERI",
    "Estonia, Rep. of": "EST",
    "Eswatini, Kingdom of": "SWZ",
    "Ethiopia, The Federal Dem. Rep. of": "ETH",
    "Fiji, Rep. of": "FJI",
    "Gambia, The": "GMB",
    "Holy See": "VAT",
    "Iran, Islamic Rep. of": "IRN",
    "Kazakhstan, Rep. of": "KAZ",
    "Korea, Dem. People's Rep. of": "PRK",
    "Korea, Rep. of": "KOR",
    "Kosovo, Rep. of": "XKX",
    "Kyrgyz Rep.": "KGZ",
    "Lao People's Dem. Rep.": "LAO",
    "Lesotho, Kingdom of": "LSO",
    "Madagascar, Rep. of": "MDG",
    "Marshall Islands, Rep. of the": "MHL",
    "Mauritania, Islamic Rep. of": "MRT",
    "Moldova, Rep. of": "MDA",
    "Mozambique, Rep. of": "MOZ",
    "Nauru, Rep. of": "NRU",
    "Netherlands Antilles": "ANT",
    "Netherlands, The": "NLD",
    "North Macedonia, Republic of": "MKD",
    "Palau, Rep. of": "PLW",
    "Poland, Rep. of": "POL",
    "San Marino, Rep. of": "SMR",
    "Serbia and Montenegro": "SCG",
    "Serbia, Rep. of": "SRB",
    "Sint Maarten, Kingdom of the Netherlands": "SXM",
    "Slovak Rep.": "SVK",
    "Slovenia, Rep. of": "SVN",
    "South Sudan, Rep. of": "SSD",
    "St. Kitts and Nevis": "KNA",
    "St. Lucia": "LCA",
    "St. Vincent and the Grenadines": "VCT",
    "Syrian Arab Rep.": "SYR",
    "São Tomé and Príncipe, Dem. Rep. of": "STP",
    "Taiwan Province of China": "TWN",
    "Tajikistan, Rep. of": "TJK",
    "Tanzania, United Rep. of": "TZA",
    "Timor-Leste, Dem. Rep. of": "TLS",
    "Turkey": "TUR",
    "USSR": "SUN",
    "Uzbekistan, Rep. of": "UZB",
    "Venezuela, Rep. Bolivariana de": "VEN",
    "West Bank and Gaza": "PSE",
    "Yemen Arab Rep.": "YAR",
    "Yemen, People's Dem. Rep. of": "YMD",
    "Yemen, Rep. of": "YEM",
    "Yugoslavia": "YUG",
}

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
            "add them to IMF_ALIASES, IMF_GROUPS or IMF_UNALLOCATED in trade_dots.py",
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
