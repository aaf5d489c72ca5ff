"""Report figures are drawn once when saved, and look exactly as matplotlib saves them.

``report.figure.save_tight_svg`` replaces ``savefig(format="svg", bbox_inches="tight")``,
which draws every figure twice (once without output, to find the box). The SVG it writes
must be matplotlib's, up to the last printed digit of a coordinate (and the clip-path ids,
which hash those coordinates).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib as mpl
import matplotlib.pyplot as plt
import pytest

from kzanalysis import plotting
from kzanalysis.report.figure import SVG_HASHSALT, save_tight_svg

RC = {"svg.fonttype": "none", "svg.hashsalt": SVG_HASHSALT}


def _lines_outside_legend() -> Any:
    fig, ax = plt.subplots(figsize=(9, 4))
    ax.plot([2000, 2010, 2020], [10.0, 35.5, 20.25], label="Russia")
    ax.plot([2000, 2010, 2020], [5.0, 25.0, 45.0], label="China")
    ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1))
    plotting.label_axes(ax, xlabel="Year", ylabel="Share (%)", legend=False)
    return fig


def _panels_with_log_axis() -> Any:
    fig, axes = plt.subplots(1, 3, figsize=(12, 4.2))
    for i, ax in enumerate(axes):
        ax.plot([2000, 2024], [300 * (i + 1), 4000])
        plotting.log_scale(ax)
        ax.text(0.02, 0.96, f"Panel {i + 1}", transform=ax.transAxes, va="top")
    plotting.label_axes(axes[0], xlabel="Year", ylabel="Value (US$ mn, log scale)")
    fig.text(0.01, -0.02, "A note below the axes, outside them.", ha="left", va="top")
    return fig


def _bars_with_long_labels() -> Any:
    fig, ax = plt.subplots(figsize=(6, 3))
    ax.barh(["Russia (Soviet Union until 1991)", "China", "Other suppliers"], [55.0, 30.0, 15.0])
    plotting.label_axes(ax, xlabel="Share of arms imports (%)", ylabel="Supplier (name)")
    return fig


def _constrained() -> Any:
    fig, ax = plt.subplots(figsize=(5, 3), layout="constrained")
    ax.plot([1, 2, 3], [3, 1, 2])
    ax.set_title("A layout engine that runs at draw time")
    return fig


FIGURES: dict[str, Callable[[], Any]] = {
    "legend outside": _lines_outside_legend,
    "panels, log axes, note": _panels_with_log_axis,
    "long labels": _bars_with_long_labels,
    "constrained layout": _constrained,
}


def _normalised(svg: str) -> str:
    svg = re.sub(r"\bp[0-9a-f]{10}\b", "pID", svg)  # clip ids hash the clip coordinates
    svg = re.sub(r"-?\d+\.\d+", lambda m: f"{float(m.group(0)):.3f}", svg)
    return re.sub(r"(?<![\w.])-(0(?:\.000)?)(?![\w.])", r"\1", svg)  # -0 and 0


def _matplotlib_svg(fig: Any) -> str:
    out = io.StringIO()
    with mpl.rc_context(RC):
        fig.savefig(out, format="svg", metadata={"Date": None}, bbox_inches="tight")
    return out.getvalue()


def _our_svg(fig: Any) -> tuple[str, int]:
    draws = 0
    draw = fig.draw

    def counting(renderer: Any) -> None:
        nonlocal draws
        draws += 1
        draw(renderer)

    fig.draw = counting
    out = io.StringIO()
    with mpl.rc_context(RC):
        save_tight_svg(fig, out)
    del fig.draw
    return out.getvalue(), draws


@pytest.mark.parametrize("name", FIGURES)
def test_the_svg_is_matplotlibs_tight_svg(name: str) -> None:
    ours, _ = _our_svg(FIGURES[name]())
    theirs = _matplotlib_svg(FIGURES[name]())
    assert _normalised(ours) == _normalised(theirs)
    width = re.search(r'<svg[^>]* width="([\d.]+)pt"', ours)
    assert width is not None and float(width.group(1)) > 100  # a real, cropped drawing
    plt.close("all")


def test_a_laid_out_figure_is_drawn_once_and_keeps_its_layout_engine() -> None:
    fig = _lines_outside_legend()
    engine = fig.get_layout_engine()
    _, draws = _our_svg(fig)
    assert draws == 1  # matplotlib's own tight save draws twice
    with mpl.rc_context({"figure.autolayout": True}):  # a session asking for layout at draw
        _, draws = _our_svg(_lines_outside_legend())
    assert draws == 1
    assert fig.get_layout_engine() is engine
    constrained = _constrained()
    _, draws = _our_svg(constrained)
    assert draws == 2  # its layout must run at draw: saved the usual way
    plt.close("all")
