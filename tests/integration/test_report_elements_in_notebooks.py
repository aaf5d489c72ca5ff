"""The chapter notebooks' committed outputs are report elements a reader can use.

Checked on the outputs nbval keeps reproducible (each notebook's default variant): no
printed result blocks, no PNG figures (every figure is an inline SVG element with real
alt text and a CSV download carrying exactly its plotted rows), a "Key findings" box
before the first figure or table and right under the chapter's heading (no introduction
or note before it: on a phone those filled the first screen), numbered references at the
end, no code noise in the HTML, and a report-sized total.
"""

from __future__ import annotations

import base64
import io
import json
import re
import urllib.parse

import pandas as pd
import pytest

from kzanalysis import chapters
from kzanalysis.paths import notebooks_dir
from kzanalysis.report import reader_text_problems

pytestmark = pytest.mark.integration
NOTEBOOKS = [c.notebook for c in chapters.chapters() if (notebooks_dir() / c.notebook).is_file()]
FIGURE_RE = re.compile(r'<figure class="kz-el kz-figure" id="([^"]+)">(.*?)</figure>', re.S)
ALT_RE = re.compile(r'<title id="[^"]+-alt">([^<]*)</title>')
LINK_RE = re.compile(r'href="data:text/csv;[^,]*base64,([^"]+)"')
PLACEHOLDERS = ("no description", "image", "figure", "chart", "todo", "alt")


def outputs(name: str) -> list[list[dict]]:
    nb = json.loads((notebooks_dir() / name).read_text(encoding="utf-8"))
    return [c.get("outputs", []) for c in nb["cells"] if c["cell_type"] == "code"]


def html_of(name: str) -> list[str]:
    return [
        "".join(o["data"]["text/html"])
        for cell in outputs(name)
        for o in cell
        if "text/html" in o.get("data", {})
    ]


def decode_csv(encoded: str) -> pd.DataFrame:
    text = base64.b64decode(urllib.parse.unquote(encoded)).decode("utf-8")
    return pd.read_csv(io.StringIO(text), comment="#")


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_no_printed_results_and_no_png_figures(name):
    for cell in outputs(name):
        for out in cell:
            assert out.get("output_type") != "error", name
            if out.get("output_type") == "stream":
                text = "".join(out.get("text", ""))
                assert out.get("name") != "stdout" or not text.strip(), (
                    f"{name}: printed output (a <pre> block in the report): {text[:200]!r}"
                )
            assert "image/png" not in out.get("data", {}), f"{name}: a PNG figure"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_figures_have_alt_text_and_their_plotted_rows_as_csv(name):
    found = 0
    for cell in outputs(name):
        for out in cell:
            data = out.get("data", {})
            html = "".join(data.get("text/html", ""))
            figures = list(FIGURE_RE.finditer(html))
            stated = re.findall(r"Data: (\d+) rows", "".join(data.get("text/plain", "")))
            for match, rows_stated in zip(figures, stated or [None] * len(figures), strict=False):
                found += 1
                anchor, body = match.groups()
                alt = ALT_RE.search(body)
                assert alt and len(alt.group(1).split()) >= 5, f"{name} {anchor}: no alt text"
                assert alt.group(1).strip().lower() not in PLACEHOLDERS
                link = LINK_RE.search(body)
                assert link, f"{name} {anchor}: no CSV download"
                rows = len(decode_csv(link.group(1)))
                assert rows > 0, f"{name} {anchor}: empty CSV"
                if rows_stated is not None and len(figures) == 1:
                    assert rows == int(rows_stated), f"{name} {anchor}: CSV rows != plotted rows"
    chapter = next(c for c in chapters.chapters() if c.notebook == name)
    assert found or chapter.name == "overview", f"{name}: no figure element"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_findings_come_first_and_references_last(name):
    pages = html_of(name)
    joined = "".join(pages)
    assert "kz-findings" in joined, f"{name}: no Key findings box"
    first_element = min(
        (joined.find(m) for m in ('class="kz-el kz-figure"', 'class="kz-el kz-table')),
        key=lambda i: i if i >= 0 else len(joined),
    )
    assert joined.find("kz-findings") < max(first_element, 0) or first_element < 0
    assert 'id="references"' in pages[-1], f"{name}: the last output is not the references"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_nothing_but_the_heading_comes_before_the_findings(name):
    cells = json.loads((notebooks_dir() / name).read_text(encoding="utf-8"))["cells"]
    first = next(
        (i for i, c in enumerate(cells) if "kz-findings" in json.dumps(c.get("outputs", []))),
        None,
    )
    assert first is not None, f"{name}: no Key findings box"
    for cell in cells[:first]:
        text = "".join(cell["source"]).strip()
        if cell["cell_type"] == "markdown":
            assert text.startswith("#") and "\n" not in text, f"{name}: {text[:60]!r}…"
        else:
            assert cell.get("outputs", []) == [], f"{name}: output before the findings"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_reader_text_has_no_code_noise_and_the_notebook_is_report_sized(name):
    for html in html_of(name):
        assert reader_text_problems(html) == [], name
    size = (notebooks_dir() / name).stat().st_size
    assert size <= 2 * 1024 * 1024, f"{name}: {size / 1e6:.1f} MB of outputs"
