"""Figures as deterministic inline SVG with title, subtitle, alt text, source and data.

The SVG is written with text kept as text (``svg.fonttype: none``), a fixed
``svg.hashsalt`` (matplotlib's clip-path and marker ids are hashes salted with it,
random otherwise) and no metadata (no date, no matplotlib version), and its ids are
prefixed with the figure's anchor so that two figures on one page never share an id.
The same figure therefore gives the same bytes in every kernel, and since the SVG sits
inside the ``text/html`` output (which nbval compares; it never compares images), a
changed chart fails the notebook tests.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping
from html import escape
from typing import Any

import pandas as pd

from kzanalysis import timings
from kzanalysis.report import csvdata
from kzanalysis.report.base import Element
from kzanalysis.report.css import style_block
from kzanalysis.report.references import References, SourceLike
from kzanalysis.report.table import Col, ColumnSpec
from kzanalysis.report.text import header

#: Salt of matplotlib's SVG ids (fixed: the same figure always gives the same SVG).
SVG_HASHSALT = "kzanalysis"

#: Alt texts that describe nothing.
PLACEHOLDER_ALTS = frozenset(
    {
        "",
        "alt",
        "chart",
        "figure",
        "graph",
        "image",
        "plot",
        "todo",
        "tbd",
        "...",
        "no description has been provided for this image",
    }
)

_ID_REF = re.compile(r'(\bid=")([^"]+)(")|(url\(#)([^)]+)(\))|((?:xlink:)?href="#)([^"]+)(")')


def render_svg(fig: Any, id_prefix: str) -> str:
    """Inline SVG of a matplotlib figure: deterministic, text as text, ids prefixed.

    Args:
        fig: A matplotlib Figure (or anything with ``.figure``: Axes, seaborn grids).
        id_prefix: Prefix of every id in the SVG (the figure's anchor).
    """
    import matplotlib as mpl

    figure = _figure_of(fig)
    buffer = io.StringIO()
    with mpl.rc_context({"svg.fonttype": "none", "svg.hashsalt": SVG_HASHSALT}):
        save_tight_svg(figure, buffer)
    svg = buffer.getvalue()
    svg = re.sub(r"<\?xml[^>]*\?>\s*|<!DOCTYPE[^>]*>\s*|<!--.*?-->\s*", "", svg, flags=re.S)
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, flags=re.S)

    def prefixed(match: re.Match[str]) -> str:
        g = match.groups()
        for i in (0, 3, 6):
            if g[i] is not None:
                return f"{g[i]}{id_prefix}-{g[i + 1]}{g[i + 2]}"
        return match.group(0)  # pragma: no cover

    return _ID_REF.sub(prefixed, svg).strip()


def save_tight_svg(figure: Any, out: io.StringIO) -> None:
    """``figure.savefig(out, format="svg", bbox_inches="tight")``, drawing the figure once.

    For ``bbox_inches="tight"`` matplotlib draws the whole figure without output to find
    the box, then draws it again into the file: two layouts of every text, most of the
    cost of a figure. A figure already laid out (``tight_layout()``, which leaves only a
    placeholder layout engine, or none) needs no layout at draw time; for it, the box is
    measured as matplotlib measures it, with the SVG renderer's metrics
    (:func:`tight_bbox_svg`), and the figure drawn once into that box. The drawing is
    matplotlib's: the same elements, every coordinate equal to within a rounding of its
    last printed digit (``tests/unit/test_figure_svg.py``). A figure with an active layout
    engine (constrained layout) is saved the usual way: its layout runs at draw.
    """
    import matplotlib as mpl
    from matplotlib.layout_engine import PlaceHolderLayoutEngine

    engine = figure.get_layout_engine()
    if engine is not None and not isinstance(engine, PlaceHolderLayoutEngine):
        figure.savefig(out, format="svg", metadata={"Date": None}, bbox_inches="tight")
        return
    # None means "no engine" only while no rcParam asks for one at draw time
    no_layout = {"figure.autolayout": False, "figure.constrained_layout.use": False}
    with mpl.rc_context(no_layout):
        figure.set_layout_engine(None)  # so matplotlib does not draw before the real draw
        try:
            bbox = tight_bbox_svg(figure)
            figure.savefig(out, format="svg", metadata={"Date": None}, bbox_inches=bbox)
        finally:
            if engine is not None:
                figure.set_layout_engine(engine)


def tight_bbox_svg(figure: Any) -> Any:
    """The box ``savefig(format="svg", bbox_inches="tight")`` crops ``figure`` to, padded.

    Measured as ``print_figure`` measures it: with the SVG backend's renderer, while the
    figure's dpi is 72 (as ``print_svg`` sets it), padded by ``savefig.pad_inches``.
    """
    import matplotlib as mpl
    from matplotlib.backends.backend_mixed import MixedModeRenderer
    from matplotlib.backends.backend_svg import RendererSVG

    dpi = figure.dpi
    width, height = figure.get_size_inches()
    figure.dpi = 72
    try:
        renderer = MixedModeRenderer(
            figure,
            width,
            height,
            dpi,
            RendererSVG(width * 72, height * 72, io.StringIO(), image_dpi=dpi),
        )
        bbox = figure.get_tightbbox(renderer)
    finally:
        figure.dpi = dpi
    pad = mpl.rcParams["savefig.pad_inches"]
    return bbox.padded(pad, pad)


def _figure_of(fig: Any) -> Any:
    for attr in ("savefig",):
        if hasattr(fig, attr):
            return fig
    for attr in ("figure", "fig"):
        inner = getattr(fig, attr, None)
        if inner is not None and hasattr(inner, "savefig"):
            return inner
    raise TypeError(f"not a matplotlib figure: {type(fig).__name__}")


def check_alt(alt: str, title: str) -> str:
    """The alt text, checked: a description, not a placeholder or the bare title.

    Raises:
        ValueError: for an empty, placeholder or one-word alt text, or the title alone.
    """
    text = " ".join(str(alt or "").split())
    if text.lower().strip(". ") in PLACEHOLDER_ALTS or len(text.split()) < 4:
        raise ValueError(
            f"figure {title!r}: alt text {text!r} describes nothing; say what the chart "
            "shows, from the same numbers as the subtitle (at least a short sentence)"
        )
    if text.lower() == title.lower():
        raise ValueError(f"figure {title!r}: the alt text repeats the title; describe the data")
    return text


class Figure(Element):
    """A chart with its title, subtitle, alt text, source line and data download.

    The matplotlib figure is rendered to SVG when the element is made, then closed
    (the notebook shows no second, PNG copy).

    Args:
        fig: The matplotlib figure (or Axes / seaborn grid) — draw it with
            :func:`kzanalysis.plotting.label_axes`, no title or caption in the image.
        title: Title (reader text; also the anchor ``fig-<slug>`` and the CSV name).
        subtitle: One sentence computed from the data by the caller ("Russia's share
            fell from 98 % in 1996–2000 to 83 % in 2021–2025.").
        alt: Alt text from the same numbers: what the chart shows, for readers who
            cannot see it. Required; placeholders are refused.
        data: Exactly the plotted rows (the CSV download).
        columns: Column name → :class:`~kzanalysis.report.Col` or header for the CSV
            (default: headers from the names, ``share_pct`` → "Share (%)").
        sources: Tables loaded with :func:`kzanalysis.datasets.load` (or their
            provenance) the data come from.
        source_ids: Cite only these source ids (e.g. the edition the chart uses).
        refs: Reference collector (default: the kernel's, :func:`references`).
        note: Sentence after the source line.
        anchor: Anchor id instead of ``fig-<slug of title>``.
        csv_name: Download file name instead of ``<slug of title>.csv``.

    Raises:
        ValueError: for a missing subtitle, a placeholder alt text, empty data or a
            numeric data column without a unit.
    """

    prefix = "fig"
    kind = "figure"

    def __init__(
        self,
        fig: Any,
        *,
        title: str,
        subtitle: str,
        alt: str,
        data: pd.DataFrame,
        columns: Mapping[str, ColumnSpec] | None = None,
        sources: SourceLike | list[SourceLike] | None = None,
        source_ids: Iterable[str] | None = None,
        refs: References | None = None,
        note: str = "",
        anchor: str | None = None,
        csv_name: str | None = None,
    ) -> None:
        super().__init__(
            title=title,
            subtitle=subtitle,
            sources=sources,
            source_ids=source_ids,
            refs=refs,
            note=note,
            anchor=anchor,
            csv_name=csv_name,
        )
        if not self.subtitle:
            raise ValueError(f"figure {self.title!r} needs a subtitle: one sentence from the data")
        self.alt = check_alt(alt, self.title)
        if not isinstance(data, pd.DataFrame) or data.empty:
            raise ValueError(f"figure {self.title!r}: pass the plotted rows as data")
        self.data = _with_headers(data, columns, self.title)
        try:
            with timings.stage("figures"):
                self.svg = render_svg(fig, self.anchor)
        finally:
            import matplotlib.pyplot as plt

            plt.close(_figure_of(fig))

    def csv(self) -> str:
        """The CSV download's text (comment lines, then the plotted rows)."""
        return self._csv(self.data)

    def html(self) -> str:
        """The element's HTML (without the stylesheet)."""
        svg = self.svg.replace(
            "<svg ",
            f'<svg role="img" aria-labelledby="{self.anchor}-alt" ',
            1,
        )
        svg = re.sub(
            r"(<svg\b[^>]*>)",
            lambda m: f'{m.group(1)}<title id="{self.anchor}-alt">{escape(self.alt)}</title>',
            svg,
            count=1,
        )
        source_html, _ = self._source_line()
        return (
            f'<figure class="kz-el kz-figure" id="{self.anchor}">{self._head_html()}{svg}'
            f"<figcaption>{source_html}"
            f'<p class="kz-actions">{csvdata.download_link(self.csv(), self.csv_name)}</p>'
            "</figcaption></figure>"
        )

    def _repr_html_(self) -> str:
        return style_block() + self.html()

    def __repr__(self) -> str:
        _, source = self._source_line()
        lines = [f"Figure: {self.title}", self.subtitle, f"Alt text: {self.alt}"]
        if source:
            lines.append(source)
        lines.append(f"Data: {len(self.data)} rows ({self.csv_name}).")
        return "\n".join(lines)


def _with_headers(
    data: pd.DataFrame, columns: Mapping[str, ColumnSpec] | None, title: str
) -> pd.DataFrame:
    """The plotted rows with reader column names that carry units (checked)."""
    frame = data.reset_index(drop=True)
    if columns is not None:
        frame = frame[list(columns)]
    names = {}
    for c in frame.columns:
        spec = (columns or {}).get(c)
        col = Col(header=spec) if isinstance(spec, str) else (spec or Col())
        names[c] = col.header or header(str(c), col.unit)
        is_number = pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(
            frame[c]
        )
        yearish = str(c).lower() == "year" or str(c).lower().endswith("_year")
        if is_number and not yearish and not ("(" in names[c] and names[c].endswith(")")):
            raise ValueError(
                f"figure {title!r}: data column {c!r} ({names[c]!r}) has no unit; name it "
                "with a unit suffix (share_pct, value_usd_mn) or pass columns={…: 'Name (unit)'}"
            )
    return frame.rename(columns=names)
