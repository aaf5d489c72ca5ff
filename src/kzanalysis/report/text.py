"""Reader text: headers with units, numbers, dates, slugs, and a check for code noise.

Everything the report elements show goes through these helpers, so that a reader never
sees ``share_pct``, ``NaN``, ``<NA>`` or ``2022.2`` where "Share (%)", "–" and "March
2022" belong.

Example:
    >>> header("share_of_deliveries_pct"), header("value_usd_mn"), header("partner_iso3")
    ('Share of deliveries (%)', 'Value (US$ mn)', 'Partner')
    >>> number(-1234.5, 1), month_year(2022.2), fieldwork("2022-11-20", "2023-01-10")
    ('−1,234.5', 'March 2022', 'November 2022 – January 2023')
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from kzanalysis.months import MONTHS

#: What a missing value looks like in a table (an en dash).
MISSING = "–"

#: Unit suffixes of column names (``kzanalysis.schema.UNIT_SUFFIXES``) → unit in a header.
UNIT_LABELS: dict[str, str] = {
    "usd_per_bbl": "US$ per barrel",
    "lcu_per_usd": "local currency per US$",
    "tiv_per_unit_mn": "TIV mn per unit",
    "thousand_persons": "thousand persons",
    "usd_mn": "US$ mn",
    "usd_bn": "US$ bn",
    "usd_k": "US$ thousand",
    "eur_mn": "€ mn",
    "tiv_mn": "TIV mn",
    "bn_bbl": "bn barrels",
    "pct": "%",
    "pp": "percentage points",
    "eur": "€",
    "ratio": "ratio",
    "bcm": "bcm",
    "tcm": "tcm",
    "kbd": "kb/d",
    "mt": "Mt",
    "mtoe": "Mtoe",
    "ej": "EJ",
    "pj": "PJ",
    "twh": "TWh",
    "count": "number",
    "n": "respondents",
    "students": "students",
    "persons": "persons",
    "points": "points",
    "flag": "0/1",
}

#: Words written in capitals in headers.
ACRONYMS: dict[str, str] = {
    w.lower(): w
    for w in (
        "TIV",
        "HHI",
        "GDP",
        "EU",
        "US",
        "UK",
        "CI",
        "HS",
        "HS4",
        "HS6",
        "EAEU",
        "CIS",
        "SCO",
        "CSTO",
        "FX",
        "LNG",
        "IMF",
        "SIPRI",
        "UIS",
        "ID",
        "CA5",
    )
}

_SUFFIXES = sorted(UNIT_LABELS, key=len, reverse=True)


def words(name: str) -> str:
    """``"share_of_deliveries"`` → ``"Share of deliveries"`` (acronyms kept in capitals)."""
    parts = [p for p in re.split(r"[_\s]+", str(name).strip()) if p]
    out = [ACRONYMS.get(p.lower(), p) for p in parts]
    if out and out[0] == parts[0] and out[0][:1].islower():
        out[0] = out[0][:1].upper() + out[0][1:]
    return " ".join(out)


def unit_of(name: str) -> str | None:
    """The unit a column name's suffix means (``"value_usd_mn"`` → ``"US$ mn"``), or None."""
    lowered = str(name).lower()
    for suffix in _SUFFIXES:
        if lowered == suffix or lowered.endswith("_" + suffix):
            return UNIT_LABELS[suffix]
    return None


def header(name: str, unit: str | None = None) -> str:
    """A reader header for a column name: words, then the unit in parentheses.

    ``"share_pct"`` → "Share (%)"; ``"partner_iso3"`` → "Partner"; ``"year"`` → "Year";
    ``"tiv_mn"`` → "TIV (mn)". A header that already has "(…)" is kept as it is.

    Args:
        name: Column name (snake_case with a unit suffix) or a header.
        unit: Unit to use instead of the one the suffix means.
    """
    text = str(name).strip()
    if "(" in text and text.endswith(")") and unit is None:
        return text
    lowered = text.lower()
    for suffix in ("_iso3", "_code"):
        if lowered.endswith(suffix) and len(lowered) > len(suffix):
            return words(text[: -len(suffix)])
    found = None
    for suffix in _SUFFIXES:
        if lowered == suffix or lowered.endswith("_" + suffix):
            found = suffix
            break
    if found is None:
        stem, label = text, unit
    else:
        stem, label = text[: len(text) - len(found)].rstrip("_"), unit or UNIT_LABELS[found]
        if not stem:  # the whole name is a unit: "tiv_mn" → TIV (mn), "n" → Respondents (number)
            head, _, rest = found.partition("_")
            stem, label = (head, unit or rest) if rest else (label, unit or "number")
    title = words(stem)
    return f"{title} ({label})" if label else title


def number(value: Any, decimals: int = 1, *, thousands: bool = True, minus: str = "−") -> str:
    """A number as a reader reads it: fixed decimals, thousands separators, true minus.

    Missing values (``None``, ``NaN``, ``pd.NA``) give :data:`MISSING`.
    """
    if is_missing(value):
        return MISSING
    if not math.isfinite(float(value)):
        return "∞" if float(value) > 0 else minus + "∞"
    exact = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    text = f"{exact:{',' if thousands else ''}.{decimals}f}"
    if text.startswith("-"):
        text = text[1:] if float(text.replace(",", "")) == 0 else minus + text[1:]
    return text


def is_missing(value: Any) -> bool:
    """True for ``None``, ``NaN``, ``pd.NA`` and ``NaT``."""
    if value is None:
        return True
    if isinstance(value, str):  # never missing; and no pandas import for a report header
        return False
    import pandas as pd

    try:
        result = pd.isna(value)
    except (TypeError, ValueError):
        return False
    return bool(result) if getattr(result, "ndim", 0) == 0 else False


def _as_date(value: Any) -> dt.date:
    """A date from a date, datetime, Timestamp, ISO string or decimal year (2022.2)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime().date()
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"\d{4}-\d{2}", text):
            text += "-01"
        return dt.date.fromisoformat(text[:10])
    year = float(value)
    if math.isnan(year):
        raise ValueError("a missing date has no month")
    whole = math.floor(year)
    month = min(12, int((year - whole) * 12) + 1)
    return dt.date(int(whole), month, 1)


def month_year(value: Any) -> str:
    """``"March 2022"`` from a date, ISO string or decimal year (``2022.2`` → March 2022).

    A decimal year's fraction counts twelfths: ``.0``–``.083`` is January, ``.2`` March.
    Missing values give :data:`MISSING`.
    """
    if is_missing(value):
        return MISSING
    d = _as_date(value)
    return f"{MONTHS[d.month - 1]} {d.year}"


def day_month_year(value: Any) -> str:
    """``"15 March 2022"`` from a date or ISO string (missing → :data:`MISSING`)."""
    if is_missing(value):
        return MISSING
    d = _as_date(value)
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def fieldwork(start: Any, end: Any = None) -> str:
    """A fieldwork period in words: "March 2022", "March–April 2022", "November 2022 –
    January 2023"; only one end known gives that month."""
    if is_missing(start) and is_missing(end):
        return MISSING
    if is_missing(end) or is_missing(start):
        return month_year(end if is_missing(start) else start)
    a, b = _as_date(start), _as_date(end)
    if (a.year, a.month) == (b.year, b.month):
        return month_year(a)
    if a.year == b.year:
        return f"{MONTHS[a.month - 1]}–{MONTHS[b.month - 1]} {a.year}"
    return f"{month_year(a)} – {month_year(b)}"


def slug(text: str, limit: int = 60) -> str:
    """A stable anchor or file name: ASCII lower case words joined by hyphens.

    >>> slug("Kazakhstan: arms deliveries by supplier, 1992–2025")
    'kazakhstan-arms-deliveries-by-supplier-1992-2025'
    """
    spaced = re.sub(r"[^\w]+", " ", re.sub(r"['’]", "", str(text)))
    ascii_text = unicodedata.normalize("NFKD", spaced).encode("ascii", "ignore").decode()
    out = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(out) > limit:
        out = out[:limit].rsplit("-", 1)[0]
    return out or "item"


def is_identifier(value: Any) -> bool:
    """True for a code-like value such as ``partly_supported`` or ``dms_side_support``."""
    return isinstance(value, str) and bool(re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)+", value))


def label(value: Any) -> str:
    """A code-like value in words: ``"partly_supported"`` → "partly supported"."""
    return MISSING if is_missing(value) else str(value).replace("_", " ").strip()


_TAG = re.compile(r"<[^>]*>")
_NOISE: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("a missing-value repr", re.compile(r"<NA>|&lt;NA&gt;|\bNaN\b|\bNaT\b|\bNone\b")),
    ("a snake_case id", re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")),
    ("a Python repr", re.compile(r"\{'|'\}|\[\'|\bobject at 0x")),
    ("a regex", re.compile(r"/\^[^/]*\$/")),
    # a value printed by Python ("2021: False", "thesis True"): reader text says yes / no
    ("a boolean repr", re.compile(r"(?::|\bthesis|\bdata|\bvalue)\s+(?:True|False)\b")),
)


def reader_text_problems(html_or_text: str) -> list[str]:
    """Code noise in what a reader sees (tags, attributes, styles and scripts removed).

    Returns one line per problem ("a snake_case id: 'share_pct'"); empty when clean.
    """
    text = re.sub(r"<(style|script|svg)\b.*?</\1>", " ", html_or_text, flags=re.S | re.I)
    text = _TAG.sub(" ", text)
    text = re.sub(r"\bhttps?://\S+", " ", text)  # a web address is quoted as it is
    problems = []
    for what, pattern in _NOISE:
        problems += [f"{what}: {m.group(0)!r}" for m in pattern.finditer(text)]
    return problems


def year_spans(years: Iterable[int]) -> list[str]:
    """Years as short spans, runs of three or more as a range:
    ``[2015, …, 2019, 2023, 2024]`` → ``["2015–2019", "2023", "2024"]``."""
    ys = sorted({int(y) for y in years})
    spans: list[list[int]] = []
    for y in ys:
        if spans and y == spans[-1][-1] + 1:
            spans[-1].append(y)
        else:
            spans.append([y])
    out: list[str] = []
    for span in spans:
        out.extend([f"{span[0]}–{span[-1]}"] if len(span) > 2 else map(str, span))
    return out


def join_words(items: Sequence[Any], word: str = "and") -> str:
    """``a``, ``a and b``, ``a, b and c`` (``word="or"``: ``a, b or c``)."""
    words = [str(i) for i in items]
    return ", ".join(words[:-1]) + f" {word} " + words[-1] if len(words) > 1 else "".join(words)


#: Country and group codes with the short names reports use.
SHORT_NAMES: dict[str, str] = {
    "RUS": "Russia",
    "USA": "United States",
    "GBR": "United Kingdom",
    "SUN": "Soviet Union",
    "WLD": "World",
    "EU27": "EU (27 members)",
    "EU28": "EU (28 members)",
    "EAEU": "EAEU",
    "CA5": "Central Asia (5 states)",
    "CIS": "CIS",
    "CU": "Customs Union",
    "CSTO": "CSTO",
    "SCO": "SCO",
    "Europe": "Europe",
}


def country_name(code: Any) -> str:
    """Reader name of an ISO3 or group code (``RUS`` → Russia, ``KAZ`` → Kazakhstan).

    Values that are no code (already names) are returned unchanged.
    """
    if is_missing(code):
        return MISSING
    text = str(code).strip()
    if text in SHORT_NAMES:
        return SHORT_NAMES[text]
    if len(text) == 3 and text.isalpha():
        from kzanalysis import countries

        try:
            return countries.name(text)
        except Exception:  # not a code: keep the value (a name, a label)
            return text
    return text
