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
