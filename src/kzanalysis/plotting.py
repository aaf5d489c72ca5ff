"""Figures: one fixed colour per actor, labelled axes with units, a source caption.

Every chapter draws with these helpers so that Russia is the same colour in the
trade, energy, arms and polls chapters, and no chart leaves without its units
and its source.

**The actor registry.** :data:`ACTORS` gives every actor a chart shows (powers,
countries, groups, ``Other``) one colour and its aliases (ISO3 codes, other
spellings, peoples: ``RUS``, ``Soviet Union``, ``Russians`` are all Russia).
:func:`palette` maps every label through it, so an actor has the same colour in
every figure; a label the registry does not know is grey at run time (and listed by
:func:`unknown_labels`; no warning, which would change committed notebook outputs),
and an error with ``strict=True`` (or ``KZANALYSIS_STRICT_COLOURS=1``), as in the tests.
:data:`FIGURE_GROUPS` declares which actors are drawn together in one figure; the
tests check, with CIEDE2000 (:func:`delta_e_2000`), that any two actors of a group
are at least 15 apart and that Russia and China are at least 30 from every other
actor.

Example:
    >>> palette(["RUS", "China", "EU27", "TUR", "Other"])["TUR"] == colour("Türkiye")
    True
    >>> round(colour_distance("#D55E00", "#0072B2"), 1)
    49.6
"""

from __future__ import annotations

import functools
import math
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import matplotlib.axes
    import matplotlib.figure
    import pandas as pd


@dataclass(frozen=True)
class Actor:
    """One actor of the charts: its display name, colour and other spellings.

    Attributes:
        name: Name in legends and reader text ("Türkiye", "EU").
        colour: Hex colour, the same in every figure.
        kind: ``power``, ``country``, ``group`` or ``residual`` (Other, unknown, World).
        aliases: Codes and spellings that mean this actor (ISO3 codes, former names,
            adjectives and peoples, e.g. ``RUS``, ``Soviet Union``, ``Russians``).
    """

    name: str
    colour: str
    kind: str
    aliases: tuple[str, ...] = ()


#: Every actor any chart shows, with its one colour. Russia, China, EU, US and Other
#: keep the Okabe–Ito colours of earlier reports (Other is a lighter grey: the old
#: #999999 was 27 ΔE2000 from China, below the 30 the rule asks). The other colours
#: were chosen (from the Okabe–Ito and Paul Tol palettes, then a search in CIELAB) to
#: meet the distance rules of the module docstring.
ACTORS: tuple[Actor, ...] = (
    Actor(
        "Russia",
        "#D55E00",
        "power",
        ("RUS", "SUN", "USSR", "Soviet Union", "Russian Federation", "Russians", "Russian"),
    ),
    Actor("China", "#0072B2", "power", ("CHN", "PRC", "People's Republic of China", "Chinese")),
    Actor(
        "EU",
        "#009E73",
        "power",
        (
            "EU27",
            "EU28",
            "European Union",
            "EU-27",
            "EU-28",
            "IMF_EU",
            "EU (27 members)",
            "EU (28 members)",
        ),
    ),
    Actor(
        "US",
        "#CC79A7",
        "power",
        ("USA", "United States", "United States of America", "U.S.", "America"),
    ),
    Actor("EAEU", "#933B8C", "group", ("Eurasian Economic Union", "CU", "Customs Union")),
    Actor("Europe", "#117733", "group", ("REG_EUROPE", "European states")),
    Actor("World", "#000000", "residual", ("WLD", "World total", "Total")),
    Actor(
        "Other",
        "#BBBBBB",
        "residual",
        ("other", "Others", "others", "Other suppliers", "Other partners", "Rest of the world"),
    ),
    Actor(
        "Unknown", "#E8E1B0", "residual", ("unknown supplier(s)", "unknown", "Unknown supplier(s)")
    ),
    Actor("Türkiye", "#663333", "country", ("TUR", "Turkey", "Turkiye")),
    Actor("Ukraine", "#CCBB44", "country", ("UKR", "Ukrainians")),
    Actor("Israel", "#222255", "country", ("ISR",)),
    Actor("Spain", "#AA3377", "country", ("ESP",)),
    Actor("France", "#5F821B", "country", ("FRA",)),
    Actor("South Africa", "#52C077", "country", ("ZAF",)),
    Actor("Germany", "#900533", "country", ("DEU", "Germans")),
    Actor("UK", "#7A7A32", "country", ("GBR", "United Kingdom", "Britain")),
    Actor("South Korea", "#5CA148", "country", ("KOR", "Republic of Korea")),
    Actor("Belarus", "#37DAEA", "country", ("BLR",)),
    Actor("Italy", "#44BB99", "country", ("ITA",)),
    Actor("Japan", "#FFAABB", "country", ("JPN",)),
    Actor("India", "#B8CF85", "country", ("IND",)),
    Actor("Iran", "#47E182", "country", ("IRN",)),
    Actor("Bulgaria", "#4F6622", "country", ("BGR",)),
    Actor("Netherlands", "#16503C", "country", ("NLD",)),
    Actor("Kazakhstan", "#009988", "country", ("KAZ", "Kazakhs", "Kazakh")),
    Actor("Kyrgyzstan", "#6F7C52", "country", ("KGZ", "Kyrgyz Republic", "Kyrgyz")),
    Actor("Tajikistan", "#BA71E9", "country", ("TJK", "Tajiks")),
    Actor("Turkmenistan", "#D79BAC", "country", ("TKM", "Turkmens")),
    Actor("Uzbekistan", "#C94879", "country", ("UZB", "Uzbeks")),
    # smaller SIPRI suppliers: drawn only in charts that name each bar on an axis
    Actor("Austria", "#CAC0EF", "country", ("AUT",)),
    Actor("Brazil", "#52461F", "country", ("BRA",)),
    Actor("Canada", "#5F3A5A", "country", ("CAN",)),
    Actor("Czechia", "#926A8D", "country", ("CZE", "Czech Republic")),
    Actor("Georgia", "#F6B0EC", "country", ("GEO",)),
    Actor("Serbia", "#662395", "country", ("SRB",)),
    Actor("UAE", "#99DDFF", "country", ("ARE", "United Arab Emirates")),
)

#: Which actors are drawn together in one figure, from what the charts show (the
#: arms groups: the suppliers the deliveries and window-share charts keep for each
#: recipient in the bundled editions, checked against the data in the tests). Any
#: two actors of a group are at least :data:`MIN_DELTA_E_IN_FIGURE` apart.
FIGURE_GROUPS: dict[str, tuple[str, ...]] = {
    "arms deliveries: Kazakhstan": (
        "Russia",
        "China",
        "Spain",
        "Ukraine",
        "Germany",
        "Israel",
        "US",
        "South Africa",
        "France",
        "Other",
    ),
    "arms deliveries: Kyrgyzstan": (
        "Russia",
        "China",
        "Belarus",
        "Türkiye",
        "Kazakhstan",
        "Unknown",
        "Other",
    ),
    "arms deliveries: Tajikistan": ("Russia", "China", "Bulgaria", "Iran", "Other"),
    "arms deliveries: Turkmenistan": (
        "Russia",
        "China",
        "Türkiye",
        "Italy",
        "Ukraine",
        "Netherlands",
        "Other",
    ),
    "arms deliveries: Uzbekistan": ("Russia", "China", "France", "Spain", "US", "Türkiye", "Other"),
    "arms deliveries: Central Asia": (
        "Russia",
        "China",
        "Türkiye",
        "Spain",
        "Italy",
        "Ukraine",
        "France",
        "Other",
    ),
    "arms suppliers grouped": (
        "Russia",
        "China",
        "Europe",
        "US",
        "Türkiye",
        "Ukraine",
        "Israel",
        "South Africa",
        "Belarus",
        "Other",
    ),
    "trade partners": ("Russia", "China", "EU", "EAEU", "US", "Türkiye", "UK", "World", "Other"),
    "energy exports": (
        "Russia",
        "China",
        "Kazakhstan",
        "Turkmenistan",
        "Uzbekistan",
        "Europe",
        "World",
        "Other",
    ),
    "students abroad by origin": (
        "Kazakhstan",
        "Kyrgyzstan",
        "Tajikistan",
        "Turkmenistan",
        "Uzbekistan",
        "Russia",
        "China",
    ),
    "poll questions by power": (
        "Russia",
        "China",
        "US",
        "Ukraine",
        "EU",
        "EAEU",
        "Germany",
        "Belarus",
        "Japan",
        "Other",
    ),
    "census peoples": ("Russia", "Kazakhstan", "Ukraine", "Uzbekistan", "Other"),
    "synthesis": ("Russia", "China"),
    # money: FDI by investor (unspecified investors drawn in the residual grey)
    "money FDI investors": ("Russia", "China", "Netherlands", "Other"),
}

#: Least CIEDE2000 distance between two actors drawn in the same figure.
MIN_DELTA_E_IN_FIGURE = 15.0
#: Least CIEDE2000 distance between Russia or China and any other actor.
MIN_DELTA_E_RUSSIA_CHINA = 30.0

_BY_NAME: dict[str, Actor] = {a.name: a for a in ACTORS}

#: The five headline actors of the report header's colour key (backward compatible).
ACTOR_COLORS: dict[str, str] = {
    n: _BY_NAME[n].colour for n in ("Russia", "China", "EU", "US", "Other")
}

#: Codes and spellings that map onto an actor (every alias of :data:`ACTORS`).
ACTOR_ALIASES: dict[str, str] = {alias: a.name for a in ACTORS for alias in (a.name, *a.aliases)}

#: Colours for series that are not actors (editions, product groups, directions), in
#: order. Never use them for an actor: actors take their colour from the registry.
SECONDARY_COLORS: tuple[str, ...] = ("#E69F00", "#56B4E9", "#F0E442", "#000000", "#8C564B")

#: Colour of a label the registry does not know (at run time; an error when strict).
UNKNOWN_COLOUR = "#999999"

#: Environment variable that makes :func:`palette` strict (``1``) by default.
STRICT_ENV = "KZANALYSIS_STRICT_COLOURS"

_CASEFOLDED: dict[str, str] = {k.casefold(): v for k, v in ACTOR_ALIASES.items()}
_MEMBERS_SUFFIX = re.compile(r"\s*\((other )?members\)$", re.IGNORECASE)


_UNKNOWN: set[str] = set()


def unknown_labels() -> list[str]:
    """Chart labels drawn grey in this process because the registry does not know them."""
    return sorted(_UNKNOWN)


def actor_of(label: str) -> str | None:
    """The registry actor a label means, or ``None``.

    Exact names and aliases first, then the same ignoring case; ``"EAEU (other
    members)"`` means the EAEU.

    >>> actor_of("RUS"), actor_of("türkiye"), actor_of("EAEU (other members)"), actor_of("Mars")
    ('Russia', 'Türkiye', 'EAEU', None)
    """
    text = str(label).strip()
    found = ACTOR_ALIASES.get(text) or _CASEFOLDED.get(text.casefold())
    if found is None and _MEMBERS_SUFFIX.search(text):
        return actor_of(_MEMBERS_SUFFIX.sub("", text))
    return found


def actor(label: str) -> str:
    """Map a code or name to its registry actor (``RUS`` → ``Russia``), else ``Other``."""
    return actor_of(label) or "Other"


def _strict(strict: bool | None) -> bool:
    return os.environ.get(STRICT_ENV, "") == "1" if strict is None else strict


def colour(label: str, *, strict: bool | None = None) -> str:
    """The fixed colour of the actor a label means.

    Args:
        label: Name, code or alias (``"Russia"``, ``"RUS"``, ``"Russians"``).
        strict: Raise on an unknown label instead of returning grey (and recording it
            for :func:`unknown_labels`); default: ``$KZANALYSIS_STRICT_COLOURS == "1"``.

    Raises:
        KeyError: in strict mode, for a label the registry does not know.
    """
    who = actor_of(label)
    if who is not None:
        return _BY_NAME[who].colour
    message = (
        f"no actor colour for chart label {label!r}: add it (or an alias) to "
        "kzanalysis.plotting.ACTORS, or colour the series as a non-actor"
    )
    if _strict(strict):
        raise KeyError(message)
    _UNKNOWN.add(str(label))
    return UNKNOWN_COLOUR


def palette(labels: Iterable[str], *, strict: bool | None = None) -> dict[str, str]:
    """Colour for every label, each from the actor registry (never by order of appearance).

    Args:
        labels: Chart labels (names, codes, aliases); duplicates are fine.
        strict: Raise :class:`KeyError` for an unknown label instead of grey (default:
            ``$KZANALYSIS_STRICT_COLOURS == "1"``).
    """
    return {label: colour(label, strict=strict) for label in dict.fromkeys(labels)}


def power_of(text: str) -> str | None:
    """The power a poll question or answer is about: the registry actor named first.

    Whole words only; peoples and adjectives count ("Russians" → Russia). ``None`` when
    the text names no actor.

    >>> power_of("Approval of the leadership of China")
    'China'
    >>> power_of("Russia should fight back and Kazakhstan should support its neighbour")
    'Russia'
    """
    best: tuple[int, int, str] | None = None
    for alias, name in ACTOR_ALIASES.items():
        if _BY_NAME[name].kind == "residual" or (alias.isupper() and len(alias) == 3):
            continue  # "Other", "Total" and ISO3 codes are not what a question is about
        match = re.search(rf"(?<!\w){re.escape(alias)}(?!\w)", text)
        if match and (best is None or (match.start(), -len(alias)) < best[:2]):
            best = (match.start(), -len(alias), name)
    return best[2] if best else None


def power_palette(labels: Mapping[str, str], *, strict: bool | None = None) -> dict[str, str]:
    """Colour each label by the power it asks about (poll charts).

    Args:
        labels: Label → the actor it is about, or the question wording naming it
            (``{"Gallup: approve": "Russia", "EDB: support for the EAEU": "EAEU"}``).
        strict: As in :func:`palette`, for texts that name no actor.
    """
    out: dict[str, str] = {}
    for label, about in labels.items():
        who = actor_of(about) or power_of(about)
        out[label] = colour(who if who else about, strict=strict)
    return out


# --- Colour difference: CIEDE2000 ------------------------------------------------

#: CIE D65 reference white (2° observer), XYZ scaled so that Y = 1.
_D65 = (0.95047, 1.0, 1.08883)


def hex_to_rgb(colour_hex: str) -> tuple[float, float, float]:
    """``"#D55E00"`` → sRGB components in [0, 1]."""
    h = colour_hex.lstrip("#")
    if not re.fullmatch(r"[0-9a-fA-F]{6}", h):
        raise ValueError(f"not a #RRGGBB colour: {colour_hex!r}")
    r, g, b = (int(h[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return r, g, b


def srgb_to_lab(colour_hex: str) -> tuple[float, float, float]:
    """CIELAB (D65) of an sRGB colour: sRGB → linear RGB → XYZ → L*a*b*."""

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in hex_to_rgb(colour_hex))
    x = 0.4124564 * r + 0.3575761 * g + 0.1804375 * b
    y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b
    z = 0.0193339 * r + 0.1191920 * g + 0.9503041 * b

    def f(t: float) -> float:
        delta = 6 / 29
        return t ** (1 / 3) if t > delta**3 else t / (3 * delta**2) + 4 / 29

    fx, fy, fz = (f(v / n) for v, n in zip((x, y, z), _D65, strict=True))
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def _hue(b: float, a: float) -> float:
    return 0.0 if a == 0 and b == 0 else math.degrees(math.atan2(b, a)) % 360


def delta_e_2000(lab1: tuple[float, float, float], lab2: tuple[float, float, float]) -> float:
    """CIEDE2000 colour difference (kL = kC = kH = 1), as in Sharma, Wu & Dalal (2005)."""
    l1, a1, b1 = lab1
    l2, a2, b2 = lab2
    c_mean = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_mean**7 / (c_mean**7 + 25**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p, h2p = _hue(b1, a1p), _hue(b2, a2p)
    dlp, dcp = l2 - l1, c2p - c1p
    if c1p * c2p == 0:
        dhp = 0.0
    elif abs(h2p - h1p) <= 180:
        dhp = h2p - h1p
    else:
        dhp = h2p - h1p - 360 if h2p - h1p > 180 else h2p - h1p + 360
    d_hue = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dhp / 2))
    l_mean, cp_mean = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        h_mean = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        h_mean = (h1p + h2p) / 2
    else:
        h_mean = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (
        1
        - 0.17 * math.cos(math.radians(h_mean - 30))
        + 0.24 * math.cos(math.radians(2 * h_mean))
        + 0.32 * math.cos(math.radians(3 * h_mean + 6))
        - 0.20 * math.cos(math.radians(4 * h_mean - 63))
    )
    d_theta = 30 * math.exp(-(((h_mean - 275) / 25) ** 2))
    r_c = 2 * math.sqrt(cp_mean**7 / (cp_mean**7 + 25**7))
    s_l = 1 + 0.015 * (l_mean - 50) ** 2 / math.sqrt(20 + (l_mean - 50) ** 2)
    s_c = 1 + 0.045 * cp_mean
    s_h = 1 + 0.015 * cp_mean * t
    r_t = -math.sin(math.radians(2 * d_theta)) * r_c
    return math.sqrt(
        (dlp / s_l) ** 2 + (dcp / s_c) ** 2 + (d_hue / s_h) ** 2 + r_t * (dcp / s_c) * (d_hue / s_h)
    )


def colour_distance(colour1: str, colour2: str) -> float:
    """CIEDE2000 difference of two ``#RRGGBB`` colours (about 1: just noticeable)."""
    return delta_e_2000(srgb_to_lab(colour1), srgb_to_lab(colour2))


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


def label_axes(
    ax: matplotlib.axes.Axes,
    *,
    xlabel: str,
    ylabel: str,
    legend: bool | Mapping[str, Any] = True,
    layout: bool = True,
) -> matplotlib.figure.Figure:
    """Label the axes of a chart for a :class:`kzanalysis.report.Figure` (units required).

    Unlike :func:`finish`, no title and no source caption are drawn into the image: the
    report element shows them as text (selectable, searchable, linked to the references).
    The figure is then laid out (``tight_layout``), unless ``layout`` is False: a figure of
    several panels labels each without it and is laid out once, after its last change
    (each layout measures every text of the figure).

    Raises:
        ValueError: if the y label has no unit in parentheses.
    """
    if "(" not in ylabel or ")" not in ylabel:
        raise ValueError(f"y-axis label {ylabel!r} needs its unit in parentheses, e.g. '(US$ mn)'")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if legend and ax.get_legend_handles_labels()[0]:
        kwargs = dict(legend) if isinstance(legend, Mapping) else {"frameon": False}
        ax.legend(**kwargs)
    fig = ax.figure
    if layout:
        fig.tight_layout()
    return fig


def tick_number(value: float) -> str:
    """A log-axis tick as a reader reads it: ``1,000``, ``30``, ``0.2`` (no powers of ten)."""
    from decimal import Decimal

    if value >= 1:
        return f"{value:,.0f}"
    return format(Decimal(f"{value:.3g}"), "f")


@functools.cache
def _plain_log_formatter() -> type:
    from matplotlib.ticker import LogFormatter

    class PlainLogFormatter(LogFormatter):
        """Matplotlib's choice of log ticks to label, each labelled by :func:`tick_number`."""

        def __call__(self, x: float, pos: int | None = None) -> str:
            return tick_number(x) if x > 0 and super().__call__(x, pos) else ""

    return PlainLogFormatter


def log_scale(ax: matplotlib.axes.Axes, axis: str = "y") -> None:
    """Put one axis of ``ax`` on a log scale with plain numbers as tick labels.

    Matplotlib's default labels are powers of ten (10³, 2×10³), drawn with mathtext; a
    reader of US$ millions reads 1,000 and 2,000. The same ticks are labelled (major and
    minor, as matplotlib chooses them), and no label needs mathtext's parser, which each
    report's kernel otherwise ran anew for every figure (about 3 % of the compute floor).

    Raises:
        ValueError: if ``axis`` is neither ``"x"`` nor ``"y"``.
    """
    if axis not in ("x", "y"):
        raise ValueError(f"log_scale: axis must be 'x' or 'y', not {axis!r}")
    formatter = _plain_log_formatter()
    target = ax.yaxis if axis == "y" else ax.xaxis
    (ax.set_yscale if axis == "y" else ax.set_xscale)("log")
    target.set_major_formatter(formatter(labelOnlyBase=False))
    target.set_minor_formatter(formatter(labelOnlyBase=False))


def use_style() -> None:
    """Apply the project's seaborn theme (white grid, readable sizes, fixed DPI)."""
    import matplotlib as mpl
    import seaborn as sns

    sns.set_theme(style="whitegrid", context="notebook")
    mpl.rcParams.update({"figure.dpi": 100, "savefig.bbox": "tight", "figure.figsize": (9, 4.5)})
