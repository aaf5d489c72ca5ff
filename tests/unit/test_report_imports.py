"""A build's worker writes report pages without importing pandas.

Each worker process of a parallel build renders the HTML of its reports (header with the
country's name, the elements' stylesheet). Importing pandas for that cost every worker
about 0.3 s of CPU per build; the package ``kzanalysis.report`` loads its element modules
(which need pandas) only when a notebook uses them.
"""

from __future__ import annotations

import types

import pytest

from kzanalysis import report
from tests.probe import run_probe

#: Runs in a fresh interpreter: render a report page as a worker does, then say whether
#: pandas was imported and what the header says.
_PROBE = """
import json, sys
import nbformat
from kzanalysis.publish import html
nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Title\\n\\n## Part")])
meta = html.ReportMeta("trade-KGZ", "EAEU trade", "nb.ipynb", {"country": "KGZ"}, "now", "abc")
page = html.render_report(nb, meta)
print(json.dumps({"pandas": "pandas" in sys.modules, "kyrgyzstan": "Kyrgyzstan" in page,
                  "css": ".kz-figure" in page}))
"""


def test_rendering_a_report_page_imports_no_pandas() -> None:
    assert run_probe(_PROBE, timeout=120) == {"pandas": False, "kyrgyzstan": True, "css": True}


def test_every_exported_name_loads_and_unknown_names_fail_clearly() -> None:
    import kzanalysis.report.figure  # noqa: F401  (loads the submodule "references" too)

    for name in report.__all__:
        assert getattr(report, name) is not None, name
    assert not isinstance(report.references, types.ModuleType)  # the function, not the module
    assert report.country_name("KAZ") == "Kazakhstan"
    assert report.Table.__module__ == "kzanalysis.report.table"
    assert set(report.__all__) <= set(dir(report))
    with pytest.raises(AttributeError, match="'kzanalysis.report' has no attribute 'Tabel'"):
        report.Tabel  # noqa: B018  (a typo)
