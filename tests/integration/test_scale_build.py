"""A small parameter grid built for real: labelled variants of a fixture notebook.

Three variants of ``param.ipynb`` (the default and one parameter set, ``param-y2005-<GROUP>``,
for two countries; Kazakhstan's default left out) build through the local executor; the
switcher of a labelled report keeps its parameter set and the front page lists the set
under its chapter. The same grid through dask is in ``test_executors.py``.
"""

from __future__ import annotations

import re

import pytest

from tests.integration.test_build import build, line_of, make_project, state

pytestmark = pytest.mark.integration

GRID = [
    {"name": f"param{label}-{group}", "notebook": "param.ipynb", "title": title,
     "parameters": {"country": group, **extra}}
    for group, country in (("KAZ", "Kazakhstan"), ("UZB", "Uzbekistan"))
    for label, title, extra in (
        ("", f"Param fixture — {country}", {}),
        ("-y2005", f"Param fixture — {country} (from 2005)", {"start_year": 2005}),
    )
]  # fmt: skip


def switcher_rows(page: str) -> list[tuple[str, list[str]]]:
    nav = re.search(r'<nav[^>]*class="kz-switch"[^>]*>(.*?)</nav>', page).group(1)
    return [
        (label, [x or "HERE" for x in re.findall(r'href="([^"]+)\.html"|aria-current', row)])
        for label, row in re.findall(r'kz-switch-label">([^<]*):</span>(.*?)</p>', nav)
    ]


def test_a_small_grid_builds_locally_with_switcher_and_index_by_parameter_set(tmp_path):
    variants = [v for v in GRID if v["name"] != "param-KAZ"]
    root = make_project(tmp_path / "proj", variants)
    code, out = build(root, "--jobs", "2")
    assert code == 0, out
    for v in variants:
        assert "built (why: first build)" in line_of(out, v["name"])
    page = (root / "reports" / "param-y2005-UZB.html").read_text()
    assert "country=UZB years=2005-2020" in page
    assert state(root, "param-y2005-UZB")["parameters"]["start_year"] == 2005
    assert switcher_rows(page) == [
        ("param (from 2005) for", ["param-y2005-KAZ", "HERE"]),
        ("param for Uzbekistan with", ["param-UZB", "HERE"]),
    ]
    index = (root / "reports" / "index.html").read_text()
    sets = index[
        index.index('id="parameter-sets"') : index.index(
            "</section>", index.index('id="parameter-sets"')
        )
    ]
    assert "Param fixture: 2 parameter sets, 3 reports" in sets
    assert re.findall(r'<tr id="set-param-([a-z0-9-]+)"><th scope="row">([^<]+)</th>', sets) == [
        ("default", "default parameters"),
        ("y2005", "from 2005"),
    ]
    assert 'href="param-y2005-KAZ.html"' in sets and "no report" in sets  # param-KAZ
    # the no-op build after it: nothing to do
    code, out = build(root)
    assert code == 0 and "0 built, 3 up to date, 0 failed" in out, out
