"""Typed numbers in a notebook's narrative: the check that keeps interpretation computed.

A number typed into a markdown cell does not follow the data: when an edition is revised or
a parameter changes, the sentence around it goes stale while the computed tables move on.
So markdown cells may hold numbers only where they do not describe the data:

- headings (``#`` lines) and chapter, section and claim references ("chapter 1",
  "section 6", "C10–C12");
- quotations of the thesis, marked as such: a blockquote line (``> …``) or text in
  quotation marks (“…”, "…");
- stated conventions on :data:`CONVENTIONS` (unit conversions, classification names,
  SIPRI's second-hand rule, the break years the thesis dates) — fixed by definition, not
  by the data;
- inline code and links' targets.

:func:`typed_numbers` lists every other number with its line, so that a test can fail on
it and the author can move the sentence into the analysis module, where it is computed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

#: Conventions that may be typed: fixed by definition, not measured (regular expressions).
CONVENTIONS: tuple[str, ...] = (
    r"HS (?:19|20)\d\d",  # the Harmonized System edition (a classification's name)
    r"HS \d-digit",
    r"\b4-digit\b",
    r"1 Mt ≈ 1 Mtoe = [\d.]+ PJ",  # unit conversions
    r"1 Mt ≈ [\d.]+ (?:PJ|EJ)",
    r"[\d.]+ bbl/t",
    r"40 MJ/m³",
    r"\b0\.041868\b",
    r"\b41\.868\b",
    r"\b7\.33\b",
    r"\b40 %(?= or less)|\b66 %|\b40 %",  # SIPRI: second-hand weapons at 40 % (66 % refurbished)
    r"\b10,000\b|\b1,800\b|near 0\b",  # the HHI's range and the concentration threshold
    r"\b100\b(?= in each window| %)",  # shares sum to 100
    r"\b(?:three|five)-year\b|\b\d+-year\b",  # window lengths in words
    r"\b2015\b|\b2022\b|\b2014\b",  # the thesis's shock years (EAEU launch, the 2022 war)
    r"\b1991\b|\b1992\b",  # independence; SIPRI's first year for the successor states
    r"\b\d+(?:st|nd|rd|th)\b",  # ordinals in words ("12th", "2nd")
    r"\b27\b(?= members)",  # the EU at its present 27 members
    r"\bCIS\b",
    r"(?<=constant )20\d\d(?= US)",  # a price base is a unit ("constant 2021 US dollars")
)
_CONVENTION_RE = re.compile("|".join(f"(?:{c})" for c in CONVENTIONS))
#: Chapter, section, footnote and claim references.
_REFERENCE_RE = re.compile(
    r"\b(?:chapters?|sections?|footnotes?|figure|table|part|wave)\s+\d+(?:\s*[–-]\s*\d+)?"
    r"|\bC\d\d(?:\s*[–-]\s*C?\d\d)?\b",
    re.IGNORECASE,
)
_QUOTE_RE = re.compile(r"“[^”]*”|\"[^\"]*\"|‘[^’]*’")
_CODE_RE = re.compile(r"`[^`]*`")
_LINK_TARGET_RE = re.compile(r"\]\([^)]*\)")
#: A number not glued to a word (designations such as "Su-30SM" or "HS 2709" are names).
_NUMBER_RE = re.compile(r"(?<![\w.\-])[−+-]?\d(?:[\d,.]*\d)?(?:\s?%)?(?![\w])")


@dataclass(frozen=True)
class TypedNumber:
    """A number typed into narrative text: the number and the line it stands in."""

    number: str
    line: str


def _strip(line: str) -> str:
    for pattern in (_CODE_RE, _LINK_TARGET_RE, _QUOTE_RE, _REFERENCE_RE, _CONVENTION_RE):
        line = pattern.sub(" ", line)
    return line


def typed_numbers(markdown: str) -> list[TypedNumber]:
    """Numbers in ``markdown`` outside headings, quotations, references and conventions.

    Args:
        markdown: One markdown cell's source.

    Returns:
        Each offending number with its (unstripped) line, in order.
    """
    found: list[TypedNumber] = []
    for line in markdown.splitlines():
        text = line.strip()
        if not text or text.startswith(("#", ">")):
            continue
        for match in _NUMBER_RE.finditer(_strip(text)):
            found.append(TypedNumber(match.group(0).strip(), text))
    return found


def notebook_typed_numbers(cells: Iterable[dict]) -> list[TypedNumber]:
    """:func:`typed_numbers` of every markdown cell of a notebook (nbformat cells)."""
    out: list[TypedNumber] = []
    for cell in cells:
        if cell.get("cell_type") == "markdown":
            source = cell.get("source", "")
            out += typed_numbers("".join(source) if isinstance(source, list) else source)
    return out
