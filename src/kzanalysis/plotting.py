"""Figures: one fixed colour per actor, labelled axes with units, a source caption.

Every chapter draws with these helpers so that Russia is the same colour in the
trade, energy, arms and polls chapters, and no chart leaves without its units
and its source.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import matplotlib.axes
    import matplotlib.figure
    import pandas as pd

#: Fixed actor colours (colour-blind-safe Okabe–Ito palette).
ACTOR_COLORS: dict[str, str] = {
    "Russia": "#D55E00",  # vermillion
    "China": "#0072B2",  # blue
    "EU": "#009E73",  # bluish green
    "US": "#CC79A7",  # reddish purple
    "Other": "#999999",  # grey
}

#: Codes and spellings that map onto an actor.
ACTOR_ALIASES: dict[str, str] = {
    "RUS": "Russia",
    "SUN": "Russia",
    "Soviet Union": "Russia",
    "Russian Federation": "Russia",
    "CHN": "China",
    "EU27": "EU",
    "EU28": "EU",
    "EU": "EU",
    "European Union": "EU",
    "Europe": "EU",
    "USA": "US",
    "United States": "US",
    "US": "US",
}

#: Extra colours for series that are not one of the five actors (e.g. EAEU, Turkey).
SECONDARY_COLORS: tuple[str, ...] = ("#E69F00", "#56B4E9", "#F0E442", "#000000", "#8C564B")


def actor(label: str) -> str:
    """Map a code or name to its actor (``Russia``, ``China``, ``EU``, ``US``) or ``Other``."""
    if label in ACTOR_COLORS:
        return label
    return ACTOR_ALIASES.get(label, "Other")


def palette(labels: Iterable[str]) -> dict[str, str]:
    """Colour for every label: actors get their fixed colour, others a stable secondary one.

    Labels that are none of the actors are coloured in order of first appearance
    from :data:`SECONDARY_COLORS`, then grey.
    """
    colours: dict[str, str] = {}
    spare = iter(SECONDARY_COLORS)
    for label in dict.fromkeys(labels):
        who = actor(label)
        if who != "Other" or label in ("Other", "other", "Others"):
            colours[label] = ACTOR_COLORS[who]
        else:
            colours[label] = next(spare, ACTOR_COLORS["Other"])
    return colours


def source_caption(
    frames: Iterable[pd.DataFrame] | pd.DataFrame,
    source_ids: Iterable[str] | None = None,
    note: str = "",
    titles: bool = True,
) -> str:
    """Build "Source: …" from the provenance attached by :func:`kzanalysis.datasets.load`.

    Args:
        frames: Tables loaded with :func:`kzanalysis.datasets.load`.
        source_ids: Source ids to cite; ``None`` cites every source of the tables.
        note: Extra sentence after the sources.
        titles: Name each source's dataset title too ("publisher, title (edition)");
            ``False`` gives the short "publisher (edition)".

    Raises:
        ValueError: if the tables carry no provenance, or none of ``source_ids``.
    """
    import pandas as pd

    if isinstance(frames, pd.DataFrame):
        frames = [frames]
    wanted = None if source_ids is None else set(source_ids)
    parts: dict[str, None] = {}
    for frame in frames:
        for src in frame.attrs.get("provenance", {}).get("sources", []):
            if wanted is None or src.get("id") in wanted:
                title = f", {src['title']}" if titles else ""
                parts[f"{src['publisher']}{title} ({src['edition']})"] = None
    if not parts and wanted is not None:
        raise ValueError(
            f"no matching provenance on the data (sources wanted: {wanted}); load tables "
            "with kzanalysis.datasets.load() or check the source ids"
        )
    if not parts:
        raise ValueError(
            "no provenance on the data: load tables with kzanalysis.datasets.load() "
            "or pass the caption text explicitly"
        )
    text = "Source: " + "; ".join(parts) + "."
    if note:
        text += " " + note.strip()
    return text + " Calculations: kzanalysis."


def finish(
    ax: matplotlib.axes.Axes,
    *,
    title: str,
    xlabel: str,
    ylabel: str,
    source: str,
    legend: bool | Mapping[str, Any] = True,
) -> matplotlib.figure.Figure:
    """Label a chart (title, axis labels with units) and put the source caption under it.

    Raises:
        ValueError: if the y label has no unit in parentheses or the caption is empty.
    """
    if "(" not in ylabel or ")" not in ylabel:
        raise ValueError(f"y-axis label {ylabel!r} needs its unit in parentheses, e.g. '(US$ mn)'")
    if not source.strip():
        raise ValueError("every chart needs a source caption")
    ax.set_title(title, loc="left", fontsize=12, fontweight="bold")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if legend and ax.get_legend_handles_labels()[0]:
        kwargs = dict(legend) if isinstance(legend, Mapping) else {"frameon": False}
        ax.legend(**kwargs)
    fig = ax.figure
    fig.text(0.01, -0.02, source, ha="left", va="top", fontsize=8, color="#444444", wrap=True)
    fig.tight_layout()
    return fig


def use_style() -> None:
    """Apply the project's seaborn theme (white grid, readable sizes, fixed DPI)."""
    import matplotlib as mpl
    import seaborn as sns

    sns.set_theme(style="whitegrid", context="notebook")
    mpl.rcParams.update({"figure.dpi": 100, "savefig.bbox": "tight", "figure.figsize": (9, 4.5)})
