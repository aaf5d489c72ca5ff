"""The report exporter gives nbconvert's page without nbconvert's whole-page re-parse.

nbconvert's lab HTML exporter parses every rendered page with BeautifulSoup to add default
alt text and ``tabindex`` attributes; :func:`kzanalysis.publish.html.exporter` adds them with
:func:`~kzanalysis.publish.html.accessible` instead, and is built once per process. The
pages must be the same document: ours, read by the same parser, equals nbconvert's own
output for every committed chapter notebook (their outputs are those nbval checks), with
code shown and hidden.
"""

from __future__ import annotations

import copy
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup

from kzanalysis.publish import html

pytestmark = pytest.mark.integration

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("[0-9][0-9]_*.ipynb"))
RESOURCES = {"kz": {"css": "", "js": "", "header": "<p>header</p>", "footer": "<p>footer</p>"}}


@pytest.mark.parametrize("show_code", [False, True], ids=["code hidden", "code shown"])
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_same_document_as_nbconvert(path, show_code):
    from nbconvert import HTMLExporter

    nb = nbformat.read(path, as_version=4)
    exp = html.exporter(show_code)
    ours, _ = exp.from_notebook_node(copy.deepcopy(nb), resources=copy.deepcopy(RESOURCES))
    stock, _ = HTMLExporter.from_notebook_node(
        exp, copy.deepcopy(nb), resources=copy.deepcopy(RESOURCES)
    )
    assert 'tabindex="0"' in ours
    assert str(BeautifulSoup(ours, features="html.parser")) == stock


def test_one_exporter_per_setting():
    assert html.exporter(False) is html.exporter(False)
    assert html.exporter(True) is not html.exporter(False)


def test_accessible_adds_what_nbconvert_adds_and_nothing_else():
    page = (
        '<div class="jp-Cell-inputWrapper"><img src="a.png">'
        '<img alt="kept" src="b.png"></div>'
        '<div class="jp-RenderedHTML jp-OutputArea-output" data-mime-type="text/html">x</div>'
        '<div class="jp-OutputArea-output" tabindex="-1">y</div>'
        '<div class="jp-OutputArea-outputs">z</div><div class="kz-el">w</div>'
    )
    assert html.accessible(page) == (
        f'<div class="jp-Cell-inputWrapper" tabindex="0"><img alt="{html.NO_ALT}" src="a.png">'
        '<img alt="kept" src="b.png"></div>'
        '<div class="jp-RenderedHTML jp-OutputArea-output" data-mime-type="text/html" '
        'tabindex="0">x</div>'
        '<div class="jp-OutputArea-output" tabindex="-1">y</div>'
        '<div class="jp-OutputArea-outputs">z</div><div class="kz-el">w</div>'
    )


def test_contents_read_character_references_as_text():
    """The page keeps the template's character references (no re-parse): the table of
    contents reads them as characters, with the anchor links' pilcrow left out."""
    body = (
        '<h1 id="Chapter-1a-%E2%80%94-Trade">Chapter 1a &#8212; Trade'
        '<a class="anchor-link" href="#Chapter-1a-%E2%80%94-Trade">&#182;</a></h1>'
        '<h2 id="Russia&#39;s-share">Russia&#39;s share &amp; China&#8217;s'
        '<a class="anchor-link" href="#x">&#182;</a></h2>'
    )
    toc = html.toc_html(body)
    assert ">Chapter 1a — Trade</a>" in toc
    assert ">Russia&#x27;s share &amp; China’s</a>" in toc
    assert 'href="#Russia&#x27;s-share"' in toc
    assert "&#182;" not in toc and "¶" not in toc and "&amp;#" not in toc


def test_a_rendered_chapter_report_has_no_escaped_references_in_its_contents():
    from kzanalysis.publish.html import ReportMeta

    nb = nbformat.read(NOTEBOOKS[1], as_version=4)
    meta = ReportMeta(NOTEBOOKS[1].stem, "t", str(NOTEBOOKS[1]), {}, built_at="", commit="")
    page = html.render_report(nb, meta)
    toc = page[page.index('<nav class="kz-toc">') :]
    toc = toc[: toc.index("</nav>")]
    assert "&amp;#" not in toc and "&#182;" not in toc and "—" in toc


def test_contents_follow_the_key_findings_in_a_rendered_chapter_report():
    """The lab template writes a markdown cell's ``id`` before its class; the contents
    still go after the Key findings, before the next markdown cell, so findings lead."""
    from kzanalysis.publish.html import ReportMeta

    nb = nbformat.read(NOTEBOOKS[1], as_version=4)
    meta = ReportMeta(NOTEBOOKS[1].stem, "t", str(NOTEBOOKS[1]), {}, built_at="", commit="")
    page = html.render_report(nb, meta)
    findings, toc = page.index(html.FINDINGS_MARK), page.index('<nav class="kz-toc">')
    assert findings < toc
    assert html.MARKDOWN_CELL_RE.search(page, toc) is not None  # sections follow the contents
    assert html.TOC_MARK not in page
