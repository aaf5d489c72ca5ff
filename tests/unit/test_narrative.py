"""No typed interpretation: numbers in notebook markdown only where they are not data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kzanalysis.narrative import notebook_typed_numbers, typed_numbers

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def numbers(text: str) -> list[str]:
    return [t.number for t in typed_numbers(text)]


def test_data_numbers_are_found():
    assert numbers("China's share rose to 21.3 % in 2024, from 1,447 US$ mn; −38.8 %.") == [
        "21.3 %",
        "2024",
        "1,447",
        "−38.8 %",
    ]
    assert numbers("IMF DOTS (to 2020), the national bureau (BNS, 2018–2023)") == [
        "2020",
        "2018",
        "2023",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "# Chapter 1a — 2015 and 2022",  # a heading
        "> The thesis: Kazakhstan holds 30 bn barrels.",  # a blockquote of the thesis
        "The thesis says “coal is 72 % of China's energy consumption” (claim C09).",
        "claims C04–C06, section 6, chapter 2",  # references
        "converted at 1 Mt ≈ 1 Mtoe = 41.868 PJ and 7.33 barrels per tonne",  # conventions
        "Su-30SM fighters, Mi-35M helicopters, S-300PS, Y-8 transports",  # designations
        "the 2014–2015 ruble collapse and the 2022 war",  # the thesis's shock years
        "`kzanalysis build trade-KAZ -p start_year=2005` and [a link](https://x.org/2024)",
    ],
)
def test_headings_quotes_references_conventions_and_code_are_allowed(text):
    assert numbers(text) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_markdown_types_no_data_numbers(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    found = notebook_typed_numbers(cells)
    assert not found, (
        f"{path.name}: numbers typed into markdown (compute them in the analysis module, quote "
        "the thesis with quotation marks, or add a true convention to "
        "kzanalysis.narrative.CONVENTIONS): "
        + "; ".join(f"{t.number!r} in “{t.line[:90]}…”" for t in found)
    )
