"""Report elements: tables, figures, findings, notes and references a reader can use.

Analysis functions return these objects and notebooks display them; each has a rich
HTML representation (for JupyterLab and the HTML report) and a stable plain-text one
(compared by nbval, with the HTML). No ``print``-ed frames, no code noise.

=============================  =====================================================
:class:`Table`                 formatted table: headers with units, "–" + note for
                               missing values, badges, names not codes, fold after 15
                               rows, sortable (``kz-sortable``), source line, CSV
:class:`Figure`                matplotlib chart as deterministic inline SVG: title,
                               subtitle, alt text, source line, CSV of plotted rows
:class:`Findings`              "Key findings": 3–6 sentences, optionally linked
:class:`Note`                  a short caveat paragraph
:func:`references`             the kernel's numbered references; display it last
=============================  =====================================================

A thin notebook::

    from kzanalysis import datasets, report
    from kzanalysis.analysis import arms as A

    deals = datasets.load("arms_deals")
    result = A.deliveries_section(deals, recipient="KAZ")   # (illustrative) returns elements
    report.Findings([
        (result.sentence, result.figure),
        "China's share rose from 0 % to 12 %.",
        "No deliveries were recorded in 2003.",
    ])
    result.figure                                            # displays the SVG figure
    result.table
    report.references()                                      # the last cell

Building an element in an analysis function::

    fig, ax = plt.subplots()
    ...draw with plotting.palette(...)...
    plotting.label_axes(ax, xlabel="Year", ylabel="Share of deliveries (%)")
    report.Figure(fig, title=..., subtitle=..., alt=..., data=plotted_rows,
                  sources=deals, source_ids=["sipri_register_2026"])

The CSS (:data:`CSS`, classes ``kz-…``) is inlined once in each output; CSV downloads
name the report and commit when the build sets :data:`ENV_VARIANT` and
:data:`ENV_COMMIT`.
"""

from __future__ import annotations

import importlib
from typing import Any

# The light modules (no pandas), imported with the package: the build's HTML writer
# needs only the stylesheet and country names.
from kzanalysis.report.css import CSS, style_block
from kzanalysis.report.references import References, SourceRef, references, sources_of
from kzanalysis.report.text import (
    MISSING,
    country_name,
    day_month_year,
    fieldwork,
    header,
    join_words,
    month_year,
    number,
    reader_text_problems,
    slug,
)

#: The element modules, which import pandas, and what they export: loaded on first use
#: (PEP 562), so that a build's worker processes, which write report pages but make no
#: elements, never import pandas (about 0.3 s of CPU each).
_LAZY = {
    "ENV_COMMIT": "csvdata",
    "ENV_VARIANT": "csvdata",
    "csv_text": "csvdata",
    "read_csv_text": "csvdata",
    "Figure": "figure",
    "render_svg": "figure",
    "Findings": "notes",
    "Note": "notes",
    "Col": "table",
    "Table": "table",
}

__all__ = [
    "CSS",
    "ENV_COMMIT",
    "ENV_VARIANT",
    "MISSING",
    "Col",
    "Figure",
    "Findings",
    "Note",
    "References",
    "SourceRef",
    "Table",
    "country_name",
    "csv_text",
    "day_month_year",
    "fieldwork",
    "header",
    "join_words",
    "month_year",
    "number",
    "read_csv_text",
    "reader_text_problems",
    "references",
    "render_svg",
    "slug",
    "sources_of",
    "style_block",
]


def __getattr__(name: str) -> Any:
    """Load an exported name from its module on first use (and keep it here)."""
    home = _LAZY.get(name)
    if home is None:
        raise AttributeError(f"module 'kzanalysis.report' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"kzanalysis.report.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The loaded names and every exported one (for completion in JupyterLab)."""
    return sorted({*globals(), *__all__})
