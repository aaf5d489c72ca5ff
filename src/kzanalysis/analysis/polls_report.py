"""Report elements of the polls chapter: tables, figures, notes and the key findings.

The statistics come from :mod:`kzanalysis.analysis.polls`; this module turns them into
what ``notebooks/04_opinion_polls.ipynb`` displays (:mod:`kzanalysis.report` elements):

* one ``*_section`` function per notebook section returns a :class:`Section` (its
  elements in display order, and the sentence it contributes to the key findings);
* :func:`findings` gathers those sentences (each linked to the figure or table that
  shows it) into the "Key findings" box; every variant gets its sentences, a country
  with little data gets a sentence saying so;
* the ``*_figure`` functions draw with :mod:`kzanalysis.plotting` and return a
  :class:`kzanalysis.report.Figure` whose CSV holds exactly the plotted rows.

**Reader text.** Questions are shown in their wording (answer lists and subgroup notes
removed, :func:`question_wording`), fieldwork as dates (:func:`~kzanalysis.analysis.polls.
fieldwork_text`), subgroups, topics and parameters in words; question ids never appear.

**Colours.** Every poll point is coloured by the power its question or answer is about
(:func:`power_asked_about`, :func:`kzanalysis.plotting.power_palette`). The Central Asian
states themselves are not powers here and are drawn grey ("Other"): the registry's
Kazakhstan and EU colours are 8 ΔE2000 apart, too close for one chart, and the IRI poll
of Kyrgyzstan rates relations with both (a registry change is requested).

**Markers.** A whisker is the confidence interval (only whole-sample shares whose
pollster printed n get one); a hollow marker is a number read in a secondary report
(filled: the pollster's own release); in time charts with several series about the same
power, series differ by marker shape.

All functions are pure apart from matplotlib drawing.
"""

from __future__ import annotations

import functools
import re
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from kzanalysis import plotting, report
from kzanalysis.analysis import polls as P
from kzanalysis.analysis._checks import require_columns as _require_columns
from kzanalysis.analysis.polls_params import CA5, TOPICS

__all__ = [
    "POLLSTERS",
    "TOPIC_TITLES",
    "Context",
    "Section",
    "census_figure",
    "census_section",
    "ci_note",
    "context",
    "coverage_section",
    "dot_figure",
    "dot_label",
    "eaeu_section",
    "findings",
    "glm_figure",
    "leadership_section",
    "ledger_sentence",
    "model_words",
    "parameters_note",
    "pollster",
    "power_asked_about",
    "quality_section",
    "question_wording",
    "reader_rows",
    "reported_by",
    "share_text",
    "side_sentence",
    "students_figure",
    "students_section",
    "time_figure",
    "toplines_figure",
    "toplines_section",
    "trends_section",
    "war_other_section",
    "war_side_section",
    "war_subgroups_section",
    "war_trend_section",
    "war_waves_section",
    "waves_figure",
]

# --------------------------------------------------------------------------- words

#: Topics in words (headings, titles, notes).
TOPIC_TITLES: dict[str, str] = {
    "all": "All topics",
    "views_of_russia": "Views of Russia",
    "views_of_china": "Views of China",
    "views_of_others": "Views of other countries",
    "partner_choice": "Preferred partners",
    "leadership_approval": "Approval of foreign leaderships",
    "eaeu_support": "Support for the Customs Union and the EAEU",
    "war_in_ukraine": "The war in Ukraine",
    "language_and_media": "Language and media",
}

#: Subgroup parameter values in words.
SUBGROUP_PARAM_TEXT: dict[str, str] = {
    "all": "whole samples",
    "language": "by language of interview",
    "ethnicity": "by ethnicity",
    "age": "by age",
}

#: Short pollster names (legends, tables) by source id.
POLLSTERS: dict[str, str] = {
    "demoscope": "DEMOSCOPE",
    "kse_gradus": "KSE / Gradus",
    "mvector": "M-Vector",
    "cab": "Central Asia Barometer",
    "gallup_world_poll": "Gallup",
    "edb_integration_barometer": "EDB Integration Barometer",
    "kaziss": "KazISS",
    "opendemocracy": "openDemocracy",
    "talap": "TALAP",
    "iri": "IRI",
}

#: Leaders named in question texts → the power they stand for.
LEADER_POWERS: dict[str, str] = {
    "Putin": "Russia",
    "Obama": "US",
    "Xi Jinping": "China",
}

#: Power a topic is about when neither answer nor question names one.
TOPIC_POWERS: dict[str, str] = {"eaeu_support": "EAEU"}

#: Marker shapes of series about the same power (time charts).
SERIES_MARKERS: tuple[str, ...] = ("o", "^", "D", "v", "P", "X")

#: Colour of legend keys that explain a marker, not an actor.
KEY_GREY = "#444444"

_CA5_NAMES = {report.country_name(c) for c in CA5}
_OPTIONS_LIST = re.compile(r"\s*\([^()]*/[^()]*\)")  # "(favorable / unfavorable)"
_SUBGROUP_NOTE = re.compile(r"\s*\[[^\]]*\]")  # "[interview language Kazakh]"
_RATE_WITH = re.compile(r"with \.\.\.\?\s*(.+)$")  # "relations with ...? China"


def _lc(text: str) -> str:
    """First letter in lower case, unless the first word is an acronym ("EAEU")."""
    first = text.split(" ", 1)[0]
    return text if first.isupper() else text[:1].lower() + text[1:]


def share_text(value: float, digits: int | None = None) -> str:
    """A share as reader text at its published precision: ``87 %``, ``73.7 %``.

    Args:
        value: Percent.
        digits: Decimals; default 0 for whole numbers, else 1.
    """
    if report.text.is_missing(value):
        return report.MISSING
    if digits is None:
        digits = 0 if float(value).is_integer() else 1
    return f"{report.number(value, digits)} %"


def _pp(value: float, digits: int = 1) -> str:
    """A signed change in percentage points: ``+25.0 points``, ``−26.0 points``."""
    text = report.number(value, digits)
    return f"{'+' if value > 0 else ''}{text} points"


_listing = report.join_words  # "a, b and c" (shared)


def _whose(actor: str) -> str:
    """Possessive of an actor: Russia's, the US's."""
    return {"US": "the US's", "EU": "the EU's", "EAEU": "the EAEU's"}.get(actor, f"{actor}'s")


def question_wording(text: str) -> str:
    """The question as a reader reads it: answer lists and subgroup notes removed.

    Example:
        >>> question_wording("Opinion of Russia (favorable / unfavorable)")
        'Opinion of Russia'
        >>> question_wording("How would you rate Kyrgyzstan's current relations with ...? China")
        "How would you rate Kyrgyzstan's current relations with China?"
    """
    out = _SUBGROUP_NOTE.sub("", str(text))
    out = _OPTIONS_LIST.sub("", out)
    out = _RATE_WITH.sub(lambda m: f"with {m.group(1).strip()}?", out)
    return " ".join(out.split())


def pollster(source_id: str) -> str:
    """Short pollster name of a ``poll_toplines`` source id."""
    return POLLSTERS.get(source_id, report.text.label(source_id))


def reported_by(secondary: Any, publisher: str) -> str:
    """Where a number was read: "pollster's release" or the secondary outlet's name."""
    if bool(secondary) and not report.text.is_missing(secondary):
        return f"secondary report: {_short_publisher(publisher)}"
    return "pollster's release"


_SOURCE_LEAD = re.compile(r"^(page|press release|blog|article|memo) text[:;]\s*")


def _source_text(text: str) -> str:
    """A row's page note without its lead ("page text: support for joining" → "support
    for joining")."""
    return _SOURCE_LEAD.sub("", str(text)).strip()


def _short_publisher(publisher: str) -> str:
    """A publisher or outlet name without its parenthesis: "aqparat.info (news site …)" →
    "aqparat.info"."""
    return str(publisher).split(" (", 1)[0].strip()


@functools.lru_cache(maxsize=4096)
def power_asked_about(
    question_id: str, question_text: str, option: str, country_name: str = "", topic: str = ""
) -> str:
    """The power a published share is about (its colour in the poll charts).

    The answer first ("Russia", "war between Russia and Ukraine …"), then the leadership
    a question rates, then the question wording (its answer list removed), then the
    topic (the EAEU for support questions). The respondents' own country is ignored,
    and the Central Asian states are no power here (grey, "Other").

    Example:
        >>> power_asked_about("x", "Should Kazakhstan have closer relations with Russia?",
        ...                   "support", "Kazakhstan")
        'Russia'
        >>> power_asked_about("dms_side_support", "Which side do you support? (Russia / Ukraine)",
        ...                   "neutral", "Kazakhstan")
        'Other'
    """
    leadership = P.LEADERSHIP_ACTORS.get(str(question_id))
    texts: list[str | None] = [str(option), leadership, question_wording(question_text)]
    for text in texts:
        if not text:
            continue
        cleaned = text
        for name in {country_name, *_CA5_NAMES} - {""}:
            cleaned = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", " ", cleaned)
        for leader, power in LEADER_POWERS.items():
            if re.search(rf"(?<!\w){re.escape(leader)}(?!\w)", cleaned):
                return power
        who = plotting.actor_of(cleaned.strip()) or plotting.power_of(cleaned)
        if who is not None:
            return "Other" if who in _CA5_NAMES else who
    return TOPIC_POWERS.get(topic, "Other")


# --------------------------------------------------------------------------- context


@dataclass(frozen=True)
class Context:
    """What every section of one report needs: the country and the interval settings.

    Attributes:
        country: ISO3 code of the Central Asian state.
        topic: Topic of the toplines section (``all``: every topic).
        subgroup: Respondents of the toplines section (``all``, ``language``, …).
        confidence: Confidence level of intervals and tests.
        design_effect: Design effect (effective n = n / design effect).
    """

    country: str
    topic: str = "all"
    subgroup: str = "all"
    confidence: float = 0.95
    design_effect: float = 1.5

    @property
    def name(self) -> str:
        """The country's name (Kazakhstan)."""
        return report.country_name(self.country)

    @property
    def level(self) -> str:
        """The confidence level as reader text ("95 %")."""
        return share_text(round(self.confidence * 100, 1))

    @property
    def deff(self) -> str:
        """The design effect as reader text ("1.5")."""
        return f"{self.design_effect:g}"


def context(params: Any) -> Context:
    """The :class:`Context` of validated notebook parameters (``PollsParams``)."""
    return Context(
        country=params.country,
        topic=params.topic,
        subgroup=params.subgroup,
        confidence=float(params.confidence),
        design_effect=float(params.design_effect),
    )


def parameters_note(ctx: Context) -> report.Note:
    """The report's parameters in words (shown under the validation cell)."""
    topic = "every topic" if ctx.topic == "all" else _lc(TOPIC_TITLES[ctx.topic])
    return report.Note(
        f"{ctx.name} · toplines on {topic}, {SUBGROUP_PARAM_TEXT[ctx.subgroup]} · "
        f"{ctx.level} confidence intervals with a design effect of {ctx.deff} "
        f"(effective sample size = published n / {ctx.deff}).",
        label="This report",
    )


@dataclass
class Section:
    """The elements of one notebook section, in display order, and its key finding.

    Displaying a section (the last expression of a cell) displays its elements.

    Attributes:
        elements: Report elements (:class:`~kzanalysis.report.Table`, ``Figure``,
            ``Note``) in display order.
        finding: The sentence this section gives the key findings, with the element
            that shows it (``(sentence, element)``), or a bare sentence, or None.
    """

    elements: list[Any] = field(default_factory=list)
    finding: tuple[str, Any] | str | None = None

    def _ipython_display_(self) -> None:
        from IPython.display import display

        for element in self.elements:
            display(element)

    def __repr__(self) -> str:
        return "\n\n".join(repr(e) for e in self.elements)


def _ids(rows: pd.DataFrame) -> list[str]:
    """Source ids of ``rows`` in order of first appearance."""
    return list(dict.fromkeys(rows["source"].dropna().astype(str)))


# --------------------------------------------------------------------------- rows


def reader_rows(rows: pd.DataFrame, country_name: str = "") -> pd.DataFrame:
    """Topline rows with reader columns: question, answer, subgroup, pollster, reported
    by, power asked about (``fieldwork`` comes from :func:`~kzanalysis.analysis.polls.
    select_toplines`).
    """
    _require_columns(
        rows,
        [
            "question_id",
            "question_text",
            "option",
            "subgroup",
            "source",
            "secondary_report",
            "source_publisher",
        ],
        "reader_rows",
    )
    out = rows.copy()
    topics = out["topic"] if "topic" in out else out["question_id"].map(P.topic_of)
    out["question"] = out["question_text"].map(question_wording)
    out["answer"] = out["option"].astype(str)
    out["subgroup_text"] = out["subgroup"].map(lambda s: P.SUBGROUP_LABELS.get(s, s))
    out["pollster"] = out["source"].map(pollster)
    out["reported_by"] = [
        reported_by(s, p)
        for s, p in zip(out["secondary_report"], out["source_publisher"], strict=True)
    ]
    out["power"] = [
        power_asked_about(str(q), str(t), str(o), country_name, str(tp))
        for q, t, o, tp in zip(
            out["question_id"], out["question_text"], out["option"], topics, strict=True
        )
    ]
    out["secondary"] = out["secondary_report"].fillna(False).astype(bool)
    return out


def _share_cols(ctx: Context, *, subgroup: bool = False, pollster_col: bool = False) -> dict:
    """Column specs of a toplines table (question, answer, fieldwork, share, n, interval)."""
    cols: dict[str, report.Col] = {"question": report.Col("Question", kind="text")}
    if pollster_col:
        cols["pollster"] = report.Col("Pollster", kind="text")
    cols["fieldwork"] = report.Col("Fieldwork", kind="text")
    if subgroup:
        cols["subgroup_text"] = report.Col("Respondents", kind="text")
    cols |= {
        "answer": report.Col("Answer", kind="text"),
        "share_pct": report.Col("Share (%)", kind="number"),
        "sample_n": report.Col("Sample size (respondents)", kind="integer"),
        "ci_low_pct": report.Col(CI_LOW, kind="number"),
        "ci_high_pct": report.Col(CI_HIGH, kind="number"),
        "reported_by": report.Col("Read in", kind="text"),
    }
    return cols


#: Column headers of the confidence interval (the level is in each table's note).
CI_LOW, CI_HIGH = "CI low (%)", "CI high (%)"


def ci_note(ctx: Context) -> str:
    """The note under a table with intervals: what "CI" means here."""
    return (
        f"CI: {ctx.level} confidence interval (Wilson score) on the effective sample size, "
        f"n / {ctx.deff}."
    )


def _drop_empty(columns: Mapping[str, Any], frame: pd.DataFrame) -> dict[str, Any]:
    """``columns`` without the sample-size and interval columns when no row has a value."""
    optional = {"sample_n", "ci_low_pct", "ci_high_pct", "diff_ci_low_pp", "diff_ci_high_pp"}
    return {
        k: v
        for k, v in columns.items()
        if k not in optional or k not in frame or frame[k].notna().any()
    }


def _table(
    frame: pd.DataFrame, columns: Mapping[str, Any], ctx: Context, **kwargs: Any
) -> report.Table:
    """A toplines table: empty n / interval columns left out, the CI note when shown, the
    missing-value note when a share has no interval."""
    cols = _drop_empty(columns, frame)
    notes = list(kwargs.pop("notes", []))
    if "ci_low_pct" in cols:
        notes.append(ci_note(ctx))
    elif any(k in columns for k in ("sample_n", "ci_low_pct")):
        notes.append("No share in this table has a published sample size, so none has an interval.")
    if "ci_low_pct" in cols and "missing_note" not in kwargs:
        kwargs["missing_note"] = _NO_INTERVAL
    return report.Table(frame, cols, notes=notes, **kwargs)


_NO_INTERVAL = (
    "no sample size published, so no interval (subgroup shares never get one: their "
    "sizes were not published)."
)


# --------------------------------------------------------------------------- figures


def _marker_handles(has_interval: bool, has_secondary: bool) -> list[Any]:
    from matplotlib.lines import Line2D

    out = [Line2D([], [], marker="o", color=KEY_GREY, ls="none", label="pollster's release")]
    if has_secondary:
        out.append(
            Line2D(
                [], [], marker="o", color=KEY_GREY, mfc="white", ls="none", label="secondary report"
            )
        )
    if has_interval:
        out.append(Line2D([], [], marker="|", color=KEY_GREY, ms=10, ls="none", label="interval"))
    return out


def _power_handles(powers: Iterable[str], colours: Mapping[str, str]) -> list[Any]:
    from matplotlib.lines import Line2D

    ordered = [p for p in dict.fromkeys(powers) if p != "Other"]
    ordered += ["Other"] if "Other" in set(powers) else []
    return [
        Line2D(
            [],
            [],
            marker="s",
            ms=8,
            ls="none",
            color=colours[p],
            label="no power / other" if p == "Other" else p,
        )
        for p in ordered
    ]


#: Share of a dot chart's width given to the row labels.
LABEL_COLUMN = 0.4
#: Characters of a dot chart's row label (the answer is shortened first).
LABEL_CHARS = 70


def dot_label(parts: Sequence[str], width: int = LABEL_CHARS) -> str:
    """A dot chart's row label: the parts joined by " · ", the first (the answer)
    shortened so that the label fits ``width`` characters.

    Example:
        >>> dot_label(["war between Russia and Ukraine to prevent NATO troops being deployed"
        ...            " there", "March 2022"], 40)
        'war between Russia and… · March 2022'
    """
    first, rest = str(parts[0]), [str(p) for p in parts[1:]]
    tail = "".join(f" · {p}" for p in rest)
    room = max(12, width - len(tail))
    if len(first) > room:
        cut = first[: room - 1]
        cut = cut.rsplit(" ", 1)[0] if " " in cut else cut
        first = cut.rstrip(" ,;:(") + "…"
    return first + tail


def _estimate(
    ax: Any,
    x: Any,
    y: Any,
    row: pd.Series,
    colour: str,
    *,
    marker: str = "o",
    ms: float = 7,
    horizontal: bool = False,
) -> None:
    """Draw one published share: its confidence whisker (when known) and its dot, hollow
    when the number was read in a secondary report (the charts' shared convention)."""
    if pd.notna(row["ci_low_pct"]):
        low_high = [row["ci_low_pct"], row["ci_high_pct"]]
        if horizontal:
            ax.plot(low_high, [y, y], color=colour, lw=1.6)
        else:
            ax.plot([x, x], low_high, color=colour, lw=1.6)
    ax.plot(
        x,
        y,
        ls="none",
        ms=ms,
        mew=1.5,
        marker=marker,
        color=colour,
        mfc="white" if row["secondary"] else colour,
    )


def dot_figure(
    points: pd.DataFrame,
    *,
    title: str,
    subtitle: str,
    alt: str,
    sources: Any,
    label_cols: Sequence[str] = ("answer", "fieldwork"),
    level: str = "95 %",
) -> report.Figure:
    """Dot-and-whisker chart of published shares, grouped under their questions.

    Each question's wording is a heading in the chart; under it one row per share,
    labelled with ``label_cols`` (answer, fieldwork, respondents). The dot is coloured by
    the power asked about (``power``), hollow when read in a secondary report, with a
    whisker where an interval exists.

    Args:
        points: Rows with ``question``, ``label_cols``, ``share_pct``, ``ci_low_pct``,
            ``ci_high_pct``, ``secondary``, ``power``, ``sample_n``, ``reported_by``,
            ``source``; drawn in their order.
        title, subtitle, alt: The figure's texts (computed by the caller).
        sources: The loaded ``poll_toplines`` (its provenance; the rows' sources cited).
        label_cols: Columns naming each row.
        level: Confidence level in words (legend).
    """
    import matplotlib.pyplot as plt

    _require_columns(
        points,
        [
            "question",
            *label_cols,
            "share_pct",
            "ci_low_pct",
            "ci_high_pct",
            "secondary",
            "power",
            "source",
        ],
        "dot_figure",
    )
    from matplotlib.transforms import blended_transform_factory

    order = [i for _, g in points.groupby("question", sort=False) for i in g.index]
    data = points.loc[order].reset_index(drop=True)  # each question's rows together
    colours = plotting.power_palette(dict(zip(data["power"], data["power"], strict=True)))
    ys, ticks, heads, y = [], [], [], 0.0
    for question, group in data.groupby("question", sort=False):
        lines = textwrap.wrap(str(question), 140) or [""]
        if len(lines) > 2:
            lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), 139, placeholder="…")]
        heads.append((y + (len(lines) - 1) * 0.4, "\n".join(lines)))
        y += 0.4 * len(lines) + 0.7
        for i in group.index:
            ticks.append(dot_label([str(data.at[i, c]) for c in label_cols]))
            ys.append(y)
            y += 1.0
        y += 0.3
    handles = _power_handles(data["power"], colours) + _marker_handles(
        data["ci_low_pct"].notna().any(), bool(data["secondary"].any())
    )
    ncol = min(len(handles), 7)
    top_in, bottom_in, row_in = 0.55 + 0.22 * -(-len(handles) // ncol), 0.65, 0.22
    height = top_in + bottom_in + row_in * (y + 0.7)
    fig, ax = plt.subplots(figsize=(10, height))
    for (_, r), yy in zip(data.iterrows(), ys, strict=True):
        _estimate(ax, r["share_pct"], yy, r, colours[r["power"]], ms=6, horizontal=True)
    left_of_figure = blended_transform_factory(fig.transFigure, ax.transData)
    for yy, text in heads:
        ax.text(
            0.01,
            yy,
            text,
            transform=left_of_figure,
            ha="left",
            va="center",
            fontsize=8,
            fontweight="bold",
        )
    ax.set_yticks(ys, ticks, fontsize=7.5)
    ax.set_ylim(y - 0.3, -1.0)
    ax.set_xlim(0, 100)
    plotting.label_axes(
        ax, xlabel="Share of respondents (%)", ylabel="Answer · fieldwork (%)", legend=False
    )
    ax.set_ylabel("")
    ax.grid(axis="y", lw=0.5)
    fig.subplots_adjust(
        left=LABEL_COLUMN, right=0.98, top=1 - top_in / height, bottom=bottom_in / height
    )
    ax.legend(
        handles=handles,
        frameon=False,
        fontsize=8,
        loc="lower left",
        bbox_to_anchor=(0.01, 1.0),
        bbox_transform=blended_transform_factory(fig.transFigure, ax.transAxes),
        ncol=ncol,
        title=f"Colour: power asked about · whisker: {level} confidence interval",
        title_fontsize=8,
        alignment="left",
    )
    columns = {
        "question": "Question",
        **{c: report.text.header(c) if c != "subgroup_text" else "Respondents" for c in label_cols},
        "share_pct": "Share (%)",
        "ci_low_pct": CI_LOW,
        "ci_high_pct": CI_HIGH,
        "sample_n": "Sample size (respondents)",
        "secondary": "Read in a secondary report",
        "reported_by": "Read in",
        "power": "Power asked about",
    }
    return report.Figure(
        fig,
        title=title,
        subtitle=subtitle,
        alt=alt,
        data=data,
        columns=columns,
        sources=sources,
        source_ids=_ids(data),
    )


def time_figure(
    points: pd.DataFrame,
    *,
    title: str,
    subtitle: str,
    alt: str,
    sources: Any,
) -> report.Figure:
    """Published shares over time: one series per ``series``, coloured by ``power``.

    Dashed lines only guide the eye between waves of the same series (different
    pollsters and wordings are never joined); whiskers where an interval exists;
    hollow markers for secondary reports. Series about the same power differ in
    marker shape.

    Args:
        points: Rows with ``series``, ``power``, ``fieldwork``, ``fieldwork_mid_year``,
            ``share_pct``, ``ci_low_pct``, ``ci_high_pct``, ``secondary``, ``source``,
            ``reported_by``; undated rows are left out.
        title, subtitle, alt: The figure's texts.
        sources: The loaded ``poll_toplines``.
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    _require_columns(
        points,
        [
            "series",
            "power",
            "fieldwork",
            "fieldwork_mid_year",
            "share_pct",
            "ci_low_pct",
            "ci_high_pct",
            "secondary",
            "source",
        ],
        "time_figure",
    )
    data = (
        points.dropna(subset=["fieldwork_mid_year"])
        .sort_values(["fieldwork_mid_year"], kind="stable")
        .reset_index(drop=True)
    )
    series = list(dict.fromkeys(data["series"]))
    power_of_series = dict(zip(data["series"], data["power"], strict=False))
    colours = plotting.power_palette(power_of_series)
    same_power = len(set(power_of_series.values())) < len(series)
    markers = {
        s: SERIES_MARKERS[i % len(SERIES_MARKERS)] if same_power else "o"
        for i, s in enumerate(series)
    }
    fig, ax = plt.subplots(figsize=(9, 4.5))
    handles = []
    for name in series:
        grp = data[data["series"] == name]
        colour = colours[name]
        if len(grp) > 1:
            ax.plot(grp["fieldwork_mid_year"], grp["share_pct"], ls="--", lw=0.8, color=colour)
        for _, r in grp.iterrows():
            _estimate(ax, r["fieldwork_mid_year"], r["share_pct"], r, colour, marker=markers[name])
        handles.append(
            Line2D(
                [],
                [],
                marker=markers[name],
                ms=7,
                ls="none",
                color=colour,
                label=textwrap.fill(str(name), 55),
            )
        )
    handles += _marker_handles(data["ci_low_pct"].notna().any(), bool(data["secondary"].any()))
    ax.set_ylim(0, 100)
    lo, hi = data["fieldwork_mid_year"].min(), data["fieldwork_mid_year"].max()
    ax.set_xlim(lo - max(0.6, (hi - lo) * 0.05), hi + max(0.6, (hi - lo) * 0.05))
    _time_ticks(ax, data)
    plotting.label_axes(
        ax,
        xlabel="Fieldwork (midpoint)",
        ylabel="Share of respondents (%)",
        legend=False,
        layout=False,
    )
    ax.legend(
        handles=handles,
        frameon=False,
        fontsize=8,
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
    )
    fig.tight_layout()
    frame = data.assign(fieldwork_midpoint=data["fieldwork_mid_year"].map(P.midpoint_date))
    columns = {
        "series": "Series",
        "power": "Power asked about",
        "fieldwork": "Fieldwork",
        "fieldwork_midpoint": "Fieldwork midpoint (date)",
        "share_pct": "Share (%)",
        "ci_low_pct": "Interval from (%)",
        "ci_high_pct": "Interval to (%)",
        "secondary": "Read in a secondary report",
    }
    return report.Figure(
        fig,
        title=title,
        subtitle=subtitle,
        alt=alt,
        data=frame,
        columns=columns,
        sources=sources,
        source_ids=_ids(data),
    )


def _time_ticks(ax: Any, points: pd.DataFrame) -> None:
    """X ticks of a chart over fieldwork midpoints: whole years over three years or more,
    else one tick per wave labelled with its fieldwork ("March 2022")."""
    from matplotlib.ticker import MaxNLocator

    dated = points.dropna(subset=["fieldwork_mid_year"])
    span = dated["fieldwork_mid_year"].max() - dated["fieldwork_mid_year"].min()
    if span >= 3:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        return
    waves = dated.drop_duplicates("fieldwork").sort_values("fieldwork_mid_year")
    ax.set_xticks(waves["fieldwork_mid_year"].tolist(), waves["fieldwork"].tolist())


def _change_phrase(first: pd.Series, last: pd.Series, what: str) -> str:
    """ "<what> fell from 87 % in 2008 to 30 % in 2025" (rose / stayed at)."""
    a, b = float(first["share_pct"]), float(last["share_pct"])
    verb = "rose" if b > a else "fell" if b < a else "stayed at"
    if verb == "stayed at":
        return f"{what} stayed at {share_text(a)} from {first['fieldwork']} to {last['fieldwork']}"
    return (
        f"{what} {verb} from {share_text(a)} in {first['fieldwork']} to {share_text(b)} in "
        f"{last['fieldwork']}"
    )


def _series_values(points: pd.DataFrame) -> str:
    """ "87 % (2008), 55 % (2021) and 30 % (2025)"."""
    return _listing(
        [
            f"{share_text(v)} ({w})"
            for v, w in zip(points["share_pct"], points["fieldwork"], strict=True)
        ]
    )


def _range_text(points: pd.DataFrame) -> str:
    """ "from 7.6 % (dissatisfied, November 2014) to 84.9 % (support, November 2014)"."""
    lo = points.loc[points["share_pct"].idxmin()]
    hi = points.loc[points["share_pct"].idxmax()]
    return (
        f"from {share_text(lo['share_pct'])} ({lo['answer']}, {lo['fieldwork']}) to "
        f"{share_text(hi['share_pct'])} ({hi['answer']}, {hi['fieldwork']})"
    )


def toplines_figure(
    points: pd.DataFrame, ctx: Context, *, title: str, what: str, sources: Any
) -> report.Figure:
    """Dot chart of one topic's (or subgroup's) published shares with computed texts.

    Args:
        points: :func:`reader_rows` of the shares to draw (with intervals).
        ctx: The report's context.
        title: Figure title.
        what: What the shares are about, in words ("views of Russia").
        sources: The loaded ``poll_toplines``.
    """
    n, k = len(points), int(points["ci_low_pct"].notna().sum())
    s = int(points["secondary"].sum())
    q = points["question"].nunique()
    dated = points.dropna(subset=["fieldwork_mid_year"]).sort_values("fieldwork_mid_year")
    span = (
        f", fieldwork {dated['fieldwork'].iloc[0]} to {dated['fieldwork'].iloc[-1]}"
        if len(dated) and dated["fieldwork"].iloc[0] != dated["fieldwork"].iloc[-1]
        else (f", fieldwork {dated['fieldwork'].iloc[0]}" if len(dated) else "")
    )
    subtitle = (
        f"{n} published {'share' if n == 1 else 'shares'} from {q} "
        f"{'question' if q == 1 else 'questions'}{span}; {k} with a {ctx.level} interval, "
        f"{s} read in secondary reports."
    )
    by_subgroup = "subgroup_text" in points and (points["subgroup"] != "all").any()
    label_cols = (
        ("answer", "subgroup_text", "fieldwork") if by_subgroup else ("answer", "fieldwork")
    )
    alt = (
        f"Dot chart of {n} published shares on {what} in {ctx.name}, grouped under {q} "
        f"question{'s' if q != 1 else ''}, one row per answer"
        + (", respondent group" if by_subgroup else "")
        + f" and fieldwork; shares run {_range_text(points)}; dots are coloured by the power "
        "asked about, whiskers show intervals and hollow dots numbers read in secondary reports."
    )
    return dot_figure(
        points,
        title=title,
        subtitle=subtitle,
        alt=alt,
        sources=sources,
        label_cols=label_cols,
        level=ctx.level,
    )


# --------------------------------------------------------------------------- sections


def coverage_section(polls: pd.DataFrame, ctx: Context) -> Section:
    """What the bundle holds: published shares per topic and country, and a sentence.

    Returns:
        The table and a note; the finding counts the country's shares.
    """
    cov = P.coverage(polls)
    wide = cov.pivot_table(
        index="topic", columns="country_iso3", values="rows", aggfunc="sum", fill_value=0
    )
    order = [c for c in (*CA5, "pooled") if c in wide.columns]
    topics = [t for t in TOPICS if t in wide.index]
    wide = wide.loc[topics, order].reset_index()
    wide["topic"] = wide["topic"].map(TOPIC_TITLES)
    columns: dict[str, report.Col] = {"topic": report.Col("Topic", kind="text")}
    for c in order:
        name = "Central Asia, pooled samples" if c == "pooled" else report.country_name(c)
        columns[c] = report.Col(f"{name} (shares)", kind="integer")
    mine = cov[cov["country_iso3"] == ctx.country]
    n_rows, n_topics = int(mine["rows"].sum()), len(mine)
    total_topics = len(TOPICS) - 1
    table = report.Table(
        wide,
        columns,
        title="Published answer shares per topic and country",
        subtitle=(
            f"{ctx.name} has {n_rows} published shares in {n_topics} of {total_topics} "
            "topics; pooled samples cover several Central Asian states at once."
        ),
        sources=polls,
        notes=[
            "A share is one answer option of one question in one survey wave and respondent group."
        ],
    )
    no_data = [_lc(TOPIC_TITLES[t]) for t in TOPICS if t != "all" and t not in set(mine["topic"])]
    with_n, secondary = int(mine["rows_with_n"].sum()), int(mine["rows_secondary"].sum())
    note = report.Note(
        f"{ctx.name}: {n_rows} published shares in {n_topics} of {total_topics} topics; "
        f"{with_n} of them with a published sample size, {secondary} read in a secondary "
        f"report. No published data on {_listing(no_data)}."
        if n_rows and no_data
        else (
            f"{ctx.name}: {n_rows} published shares, with data on every topic; {with_n} of them "
            f"with a published sample size, {secondary} read in a secondary report."
            if n_rows
            else f"The bundle holds no published shares for {ctx.name}."
        ),
        label="",
    )
    if n_rows:
        finding = (
            f"The bundle holds {n_rows} published poll shares for {ctx.name} on {n_topics} of "
            f"{total_topics} topics; "
            + (
                f"only {with_n} come with the pollster's sample size (so an interval)"
                if with_n
                else "none comes with the pollster's sample size (so none has an interval)"
            )
            + f" and {secondary} were read in secondary reports, not in the pollster's release.",
            table,
        )
    else:
        finding = (f"The bundle holds no published poll shares for {ctx.name}.", table)
    return Section([table, note], finding)


def toplines_section(polls: pd.DataFrame, ctx: Context) -> Section:
    """Every published share of the report's topic and subgroup, with intervals.

    Returns:
        A table of the shares, a note on the intervals and one dot chart per topic; a
        note when there is no data.
    """
    rows = P.add_intervals(
        P.select_toplines(polls, ctx.country, ctx.topic, ctx.subgroup),
        confidence=ctx.confidence,
        design_effect=ctx.design_effect,
    )
    topic_words = "every topic" if ctx.topic == "all" else _lc(TOPIC_TITLES[ctx.topic])
    if rows.empty:
        have = sorted(set(P.select_toplines(polls, ctx.country)["topic"]), key=TOPICS.index)
        return Section(
            [
                report.Note(
                    f"No published data: the bundle holds no shares for {ctx.name} on "
                    f"{topic_words} ({SUBGROUP_PARAM_TEXT[ctx.subgroup]}). Topics with data "
                    f"for {ctx.name}: {_listing([_lc(TOPIC_TITLES[t]) for t in have]) or 'none'}.",
                    label="",
                )
            ]
        )
    pts = reader_rows(rows, ctx.name)
    pts["topic_title"] = pts["topic"].map(TOPIC_TITLES)
    by_subgroup = ctx.subgroup != "all"
    columns = {"topic_title": report.Col("Topic", kind="text")} | _share_cols(
        ctx, subgroup=by_subgroup
    )
    table = _table(
        pts,
        columns,
        ctx=ctx,
        title=f"{ctx.name}: published shares on {topic_words}",
        subtitle=(
            f"{len(pts)} shares from {pts['question'].nunique()} questions "
            f"({SUBGROUP_PARAM_TEXT[ctx.subgroup]}), grouped by topic and question."
        ),
        sources=polls,
        source_ids=_ids(pts),
    )
    with_ci = pts[pts["ci_low_pct"].notna()]
    half = (with_ci["ci_high_pct"] - with_ci["ci_low_pct"]) / 2
    status = pts["interval"].value_counts()
    note = report.Note(
        f"Of {len(pts)} shares shown, {len(with_ci)} have a {ctx.level} Wilson interval "
        f"(design effect {ctx.deff}); {int(status.get(P.NO_N, 0))} have none because the "
        f"pollster's n was not published and {int(status.get(P.SUBGROUP_NO_N, 0))} because "
        "they are subgroup shares. "
        + (
            f"The intervals' half-widths run from {report.number(half.min(), 1)} to "
            f"{report.number(half.max(), 1)} percentage points: differences of a few points "
            "between single shares are within sampling error."
            if len(with_ci)
            else "No share in this selection can be given an interval."
        ),
        label="",
    )
    figures = [
        toplines_figure(
            grp,
            ctx,
            title=f"{ctx.name} polls: {_lc(TOPIC_TITLES[tp])}",
            what=_lc(TOPIC_TITLES[tp]),
            sources=polls,
        )
        for tp, grp in pts.groupby("topic", sort=False)
    ]
    return Section([table, note, *figures])


def leadership_section(polls: pd.DataFrame, ctx: Context) -> Section:
    """Approval of foreign leaderships: the country's table, sentences, chart; pooled context.

    Returns:
        Elements and the finding on approval of Russia's leadership.
    """
    lead = P.add_intervals(
        P.leadership_series(polls, ctx.country),
        confidence=ctx.confidence,
        design_effect=ctx.design_effect,
    )
    own = reader_rows(lead[lead["scope"] == ctx.country], ctx.name)
    pooled = reader_rows(lead[lead["scope"] != ctx.country], ctx.name)
    elements: list[Any] = []
    finding: tuple[str, Any] | str = (
        f"The bundle holds no Gallup approval of Russia's leadership in {ctx.name}."
    )
    if own.empty:
        elements.append(
            report.Note(
                f"No published data: the bundle has no leadership-approval shares for {ctx.name}.",
                label="",
            )
        )
    else:
        table = _table(
            own,
            {
                "measure": report.Col("Measure", kind="text"),
                "actor": report.Col("Whose leadership", kind="text"),
                "fieldwork": report.Col("Fieldwork", kind="text"),
                "answer": report.Col("Answer", kind="text"),
                "share_pct": report.Col("Share (%)", kind="number"),
                "sample_n": report.Col("Sample size (respondents)", kind="integer"),
                "ci_low_pct": report.Col(CI_LOW, kind="number"),
                "ci_high_pct": report.Col(CI_HIGH, kind="number"),
                "reported_by": report.Col("Read in", kind="text"),
            },
            ctx=ctx,
            title=f"{ctx.name}: approval of and confidence in foreign leaderships",
            sources=polls,
            source_ids=_ids(own),
        )
        elements.append(table)
        approve = own[
            (own["measure"] == "Gallup: approval of the leadership") & (own["answer"] == "approve")
        ]
        if len(approve):
            parts = [
                f"of {_whose(actor)} leadership {_series_values(g)}"
                for actor, g in approve.groupby("actor", sort=False)
            ]
            every = bool(approve["secondary"].all())
            elements.append(
                report.Note(
                    f"Gallup approval in {ctx.name}: "
                    + "; ".join(parts)
                    + ". "
                    + (
                        "Every value was read in a secondary report (outlets in the table)."
                        if every
                        else f"{int(approve['secondary'].sum())} of {len(approve)} values were "
                        "read in secondary reports (outlets in the table)."
                    ),
                    label="",
                )
            )
            rus = approve[approve["actor"] == "Russia"]
            if ctx.country == "KAZ" and len(rus):
                in_range = rus[rus["fieldwork_year"].between(2007, 2017)]
                dated_55 = rus.loc[rus["share_pct"] == 55, "fieldwork"]
                elements.append(
                    report.Note(
                        "Claim C36 says approval of Russia's leadership ranged 55–87 % in "
                        f"2007–2017. The bundle has {len(in_range)} Kazakhstan "
                        f"value{'s' if len(in_range) != 1 else ''} dated 2007–2017 ("
                        + _listing(
                            [
                                f"{share_text(v)} in {w}"
                                for v, w in zip(
                                    in_range["share_pct"], in_range["fieldwork"], strict=True
                                )
                            ]
                        )
                        + ")"
                        + (
                            f"; the 55 % value is dated {_listing(list(dated_55))}"
                            if len(dated_55)
                            else ""
                        )
                        + ". The upper bound is matched, the range is not confirmed.",
                        label="Thesis check",
                    )
                )
            pts = approve.assign(series=approve["actor"], power=approve["actor"])
            main = (
                pts[pts["actor"] == "Russia"]
                if (pts["actor"] == "Russia").any()
                else pts[pts["actor"] == pts["actor"].iloc[0]]
            )
            main = main.dropna(subset=["fieldwork_mid_year"]).sort_values("fieldwork_mid_year")
            who = main["actor"].iloc[0]
            what = f"Approval of {_whose(who)} leadership"
            secondary_words = (
                "every value read in a secondary report"
                if every
                else "hollow dots were read in secondary reports"
            )
            lead_sentence = (
                _change_phrase(main.iloc[0], main.iloc[-1], what)
                if len(main) > 1
                else f"{what} was {share_text(main['share_pct'].iloc[0])} in "
                f"{main['fieldwork'].iloc[0]}"
            )
            alt = (
                f"Dots over fieldwork years of Gallup approval of foreign leaderships in "
                f"{ctx.name}, one colour per leadership: "
                + "; ".join(
                    f"{a}: {_series_values(g.sort_values('fieldwork_mid_year'))}"
                    for a, g in pts.groupby("actor", sort=False)
                )
                + "."
            )
            figure = time_figure(
                pts,
                title=f"{ctx.name}: approval of foreign leaderships (Gallup, as reported)",
                subtitle=f"{lead_sentence}; {secondary_words}, none with a published sample size.",
                alt=alt,
                sources=polls,
            )
            elements.append(figure)
            if (approve["actor"] == "Russia").any():
                rus = main
                finding = (
                    (
                        _change_phrase(
                            rus.iloc[0],
                            rus.iloc[-1],
                            f"Gallup approval of Russia's leadership in {ctx.name}",
                        )
                        if len(rus) > 1
                        else f"Gallup approval of Russia's leadership in {ctx.name} was "
                        f"{share_text(rus['share_pct'].iloc[0])} in {rus['fieldwork'].iloc[0]}"
                    )
                    + (
                        "; every value was read in a secondary report, without a sample size."
                        if bool(rus["secondary"].all())
                        else "."
                    ),
                    figure,
                )
    if not pooled.empty:
        elements.append(
            report.Table(
                pooled,
                {
                    "measure": report.Col("Measure", kind="text"),
                    "actor": report.Col("Whose leadership", kind="text"),
                    "answer": report.Col("Answer", kind="text"),
                    "share_pct": report.Col("Share (%)", kind="number"),
                    "reported_by": report.Col("Read in", kind="text"),
                },
                title="Context: Central Asia pooled (Kazakhstan, Kyrgyzstan, Tajikistan, "
                "Uzbekistan), Gallup 2006–2018",
                sources=polls,
                source_ids=_ids(pooled),
            )
        )
    return Section(elements, finding)


def eaeu_section(polls: pd.DataFrame, ctx: Context) -> Section:
    """Support for the Customs Union / EAEU: table, wording notes, chart by pollster.

    Returns:
        Elements and the finding on the EDB Integration Barometer's support series.
    """
    rows = P.select_toplines(polls, ctx.country, "eaeu_support")
    if rows.empty:
        sentence = (
            f"No poll in the bundle measures support for the Customs Union or the EAEU in "
            f"{ctx.name}."
        )
        return Section([report.Note(sentence, label="No published data")], sentence)
    rows = P.add_intervals(rows, confidence=ctx.confidence, design_effect=ctx.design_effect)
    pts = reader_rows(rows, ctx.name)
    table = _table(
        pts,
        _share_cols(ctx, pollster_col=True),
        ctx=ctx,
        title=f"{ctx.name}: support for the Customs Union and the EAEU",
        sources=polls,
        source_ids=_ids(pts),
    )
    elements: list[Any] = [table]
    joining = pts[pts["page_or_table"].str.contains("join", case=False, na=False)]
    if len(joining):
        elements.append(
            report.Note(
                "How the pollster's page words the question: "
                + "; ".join(
                    f"{w}, “{_source_text(t)}”"
                    for w, t in zip(joining["fieldwork"], joining["page_or_table"], strict=True)
                )
                + ".",
                label="Wording",
            )
        )
    support = pts[pts["answer"].isin(["support", "should join"]) & (pts["subgroup"] == "all")]
    support = support.assign(
        series=[
            f"{p}: {q} — {a}"
            for p, q, a in zip(
                support["pollster"], support["question"], support["answer"], strict=True
            )
        ]
    )
    edb = support[support["question_id"] == "edb_eaeu_support"].sort_values("fieldwork_mid_year")
    finding: tuple[str, Any] | str = ""
    if len(edb):
        lo, hi = edb.loc[edb["share_pct"].idxmin()], edb.loc[edb["share_pct"].idxmax()]
        if len(edb) > 1:
            edb_text = (
                f"support for the Customs Union and the EAEU in {ctx.name} ranged from "
                f"{share_text(lo['share_pct'])} ({lo['fieldwork']}) to "
                f"{share_text(hi['share_pct'])} ({hi['fieldwork']}) over {len(edb)} waves, "
                f"{edb['fieldwork'].iloc[0]}–{edb['fieldwork'].iloc[-1]}"
            )
        else:
            edb_text = (
                f"support for the Customs Union and the EAEU in {ctx.name} was "
                f"{share_text(lo['share_pct'])} in {lo['fieldwork']} (one wave)"
            )
        elements.append(
            report.Note(
                f"EDB Integration Barometer: {edb_text}; the sample size per country was not "
                "published, so there is no interval and no trend test.",
                label="",
            )
        )
    if len(support):
        others = support[support["question_id"] != "edb_eaeu_support"]
        subtitle = (
            f"In the EDB Integration Barometer, {edb_text}"
            if len(edb)
            else f"Support ranged {_range_text(support)}"
        ) + (
            f"; {len(others)} other {'reading' if len(others) == 1 else 'readings'} by other "
            f"pollsters, with other wordings, {'is' if len(others) == 1 else 'are'} not joined "
            "to it."
            if len(edb) and len(others)
            else "."
        )
        alt = (
            f"Dots over fieldwork years of support for the Customs Union and the EAEU in "
            f"{ctx.name}, one marker shape per pollster and question: "
            + "; ".join(
                f"{s}: {_series_values(g.sort_values('fieldwork_mid_year'))}"
                for s, g in support.groupby("series", sort=False)
            )
            + "."
        )
        figure = time_figure(
            support,
            title=f"{ctx.name}: support for the Customs Union and the EAEU, by pollster",
            subtitle=subtitle,
            alt=alt,
            sources=polls,
        )
        elements.append(figure)
        finding = (
            (
                f"In the EDB Integration Barometer, {edb_text}."
                if len(edb)
                else f"Support for "
                f"the Customs Union and the EAEU in {ctx.name} ranged {_range_text(support)}."
            ),
            figure,
        )
    else:
        finding = f"No support share for the Customs Union or the EAEU in {ctx.name} is published."
    return Section(elements, finding)


def trends_section(polls: pd.DataFrame, ctx: Context) -> Section:
    """Every series asked in two or more waves, with its change and trend model.

    Returns:
        The series table and a note (or a note that there is no such series).
    """
    rows = P.add_intervals(
        P.select_toplines(polls, ctx.country),
        confidence=ctx.confidence,
        design_effect=ctx.design_effect,
    )
    trends, _ = P.trend_table(rows, design_effect=ctx.design_effect, confidence=ctx.confidence)
    if trends.empty:
        return Section(
            [
                report.Note(
                    f"No question was asked of {ctx.name} in two or more waves: no trend can be "
                    "shown.",
                    label="",
                )
            ]
        )
    fieldwork = dict(zip(rows["wave"], rows["fieldwork"], strict=True))
    wording = dict(
        zip(rows["question_id"], rows["question_text"].map(question_wording), strict=True)
    )
    table_rows = trends.assign(
        question=trends["question_id"].map(wording),
        subgroup_text=trends["subgroup"].map(lambda s: P.SUBGROUP_LABELS.get(s, s)),
        first_fieldwork=trends["first_wave"].map(fieldwork),
        last_fieldwork=trends["last_wave"].map(fieldwork),
        model_text=trends["model"].map(model_words),
    )
    shown = rows[rows["question_id"].isin(trends["question_id"])]
    fitted = int((trends["model"] == "binomial GLM").sum())
    table = report.Table(
        table_rows,
        {
            "question": report.Col("Question", kind="text"),
            "option": report.Col("Answer", kind="text"),
            **(
                {"subgroup_text": report.Col("Respondents", kind="text")}
                if (trends["subgroup"] != "all").any()
                else {}
            ),
            "first_fieldwork": report.Col("First wave", kind="text"),
            "last_fieldwork": report.Col("Last wave", kind="text"),
            "first_pct": report.Col("First (%)", kind="number"),
            "last_pct": report.Col("Last (%)", kind="number"),
            "change_pp": report.Col("Change (points)", kind="number"),
            "waves": report.Col("Waves (number)", kind="integer"),
            "waves_with_n": report.Col("With published n (waves)", kind="integer"),
            "model_text": report.Col("Trend model", kind="text"),
        },
        title=f"{ctx.name}: every series asked in two or more waves",
        subtitle=(
            f"{len(trends)} series; {fitted} of them have at least three waves with a published "
            "n and get a binomial GLM trend."
        ),
        sources=polls,
        source_ids=_ids(shown),
    )
    caveats = report.Table(
        table_rows,
        {
            "question": report.Col("Question", kind="text"),
            "option": report.Col("Answer", kind="text"),
            "caveats": report.Col("What limits the comparison over time", kind="text"),
        },
        title=f"{ctx.name}: caveats of each series asked in two or more waves",
        sources=polls,
        source_ids=_ids(shown),
    )
    note = report.Note(
        f"{len(trends)} series have two or more waves; {fitted} of them have at least three "
        "waves with a published n and get a binomial GLM trend (section 3). For the other "
        f"{len(trends) - fitted} the change is descriptive only.",
        label="",
    )
    return Section([table, note, caveats])


_NO_MODEL = re.compile(r"none: (\d+) wave\(s\) with published n \(needs (\d+)\)")


def model_words(model: str) -> str:
    """A trend-model status in short words.

    Example:
        >>> model_words("none: 2 wave(s) with published n (needs 3)")
        'none: 2 waves with n, 3 needed'
    """
    match = _NO_MODEL.fullmatch(str(model))
    if match is None:
        return str(model)
    k = int(match.group(1))
    return f"none: {k} {'wave' if k == 1 else 'waves'} with n, {match.group(2)} needed"


def _war(polls: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    """The country's whole-sample war questions with intervals and reader columns."""
    rows = P.add_intervals(
        P.select_toplines(polls, ctx.country, "war_in_ukraine"),
        confidence=ctx.confidence,
        design_effect=ctx.design_effect,
    )
    return reader_rows(rows, ctx.name) if len(rows) else rows


SIDE_QUESTION = "dms_side_support"


def _option_words(option: str) -> str:
    """ "support for Russia" for an actor answer, else "“neutral” answers"."""
    return f"support for {option}" if plotting.actor_of(option) else f"“{option}” answers"


def side_sentence(side: pd.DataFrame) -> str:
    """The side-support shares from the first to the last wave, in one sentence.

    Args:
        side: Whole-sample rows of one question with ``answer``, ``fieldwork``,
            ``fieldwork_mid_year`` and ``share_pct``.
    """
    ordered = side.sort_values("fieldwork_mid_year", kind="stable")
    waves = list(dict.fromkeys(ordered["fieldwork"]))
    if len(waves) == 1:
        return (
            f"In {waves[0]}: "
            + _listing(
                [
                    f"{_option_words(a)} {share_text(v)}"
                    for a, v in zip(ordered["answer"], ordered["share_pct"], strict=True)
                ]
            )
            + "."
        )
    parts = []
    for option, g in ordered.groupby("answer", sort=False):
        a, b = float(g["share_pct"].iloc[0]), float(g["share_pct"].iloc[-1])
        verb = "rose" if b > a else "fell" if b < a else "stayed"
        parts.append(f"{_option_words(option)} {verb} from {share_text(a)} to {share_text(b)}")
    return f"From {waves[0]} to {waves[-1]}, " + _listing(parts) + "."


def waves_figure(side: pd.DataFrame, ctx: Context, *, title: str, sources: Any) -> report.Figure:
    """Shares of each answer by survey wave, with intervals where n is known.

    Args:
        side: :func:`reader_rows` of one question's whole-sample waves (with intervals).
        ctx: The report's context.
        title: Figure title.
        sources: The loaded ``poll_toplines``.
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    data = side.sort_values(["fieldwork_mid_year"], kind="stable").reset_index(drop=True)
    waves = list(dict.fromkeys(data["fieldwork"]))
    options = list(dict.fromkeys(data["answer"]))
    about = {o: data.loc[data["answer"] == o, "power"].iloc[0] for o in options}
    colours = plotting.power_palette(about)
    fig, ax = plt.subplots(figsize=(9, 4.5))
    width = 0.8 / max(len(options), 1)
    handles = []
    for j, opt in enumerate(options):
        for _, r in data[data["answer"] == opt].iterrows():
            x = waves.index(r["fieldwork"]) + (j - (len(options) - 1) / 2) * width
            _estimate(ax, x, r["share_pct"], r, colours[opt])
        handles.append(Line2D([], [], marker="s", ms=8, ls="none", color=colours[opt], label=opt))
    handles += _marker_handles(data["ci_low_pct"].notna().any(), bool(data["secondary"].any()))
    ax.set_xticks(range(len(waves)), waves)
    ax.set_ylim(0, 100)
    plotting.label_axes(
        ax,
        xlabel="Survey wave (fieldwork)",
        ylabel="Share of respondents (%)",
        legend=False,
        layout=False,
    )
    ax.legend(
        handles=handles, frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0)
    )
    fig.tight_layout()
    n_text = _listing([f"{int(n):,}" for n in dict.fromkeys(data["sample_n"].dropna())])
    alt = (
        f"Dots with {ctx.level} interval whiskers of the answers to “{data['question'].iloc[0]}” "
        f"in {ctx.name} in {len(waves)} survey waves ({_listing(waves)}; samples of {n_text}): "
        + "; ".join(f"{o}: {_series_values(data[data['answer'] == o])}" for o in options)
        + "."
    )
    columns = {
        "question": "Question",
        "fieldwork": "Fieldwork",
        "answer": "Answer",
        "share_pct": "Share (%)",
        "ci_low_pct": CI_LOW,
        "ci_high_pct": CI_HIGH,
        "sample_n": "Sample size (respondents)",
        "secondary": "Read in a secondary report",
        "power": "Power asked about",
    }
    return report.Figure(
        fig,
        title=title,
        subtitle=side_sentence(data),
        alt=alt,
        data=data,
        columns=columns,
        sources=sources,
        source_ids=_ids(data),
    )


def war_side_section(polls: pd.DataFrame, ctx: Context) -> Section:
    """DEMOSCOPE's "which side do you support?" waves: table, residuals, chart.

    Returns:
        Elements and the finding on support for Russia across the waves.
    """
    war = _war(polls, ctx)
    side = war[war["question_id"] == SIDE_QUESTION] if len(war) else war
    if side.empty:
        return Section(
            [
                report.Note(
                    "No published data: DEMOSCOPE's side-support question was asked only in "
                    f"Kazakhstan; the bundle has no such wave for {ctx.name}.",
                    label="",
                )
            ],
            f"No poll in the bundle asked respondents in {ctx.name} which side they support in "
            "the war in Ukraine.",
        )
    question = side["question"].iloc[0]
    table = _table(
        side,
        {k: v for k, v in _share_cols(ctx).items() if k != "question"},
        ctx=ctx,
        title=f"{ctx.name}: “{question}” (DEMOSCOPE, whole samples)",
        sources=polls,
        source_ids=_ids(side),
    )
    resid = P.residual_pct(side, by=("wave", "fieldwork", "question_id", "subgroup"))
    resid = resid.merge(
        side.groupby("wave")["fieldwork_mid_year"].first().reset_index(), on="wave"
    ).sort_values("fieldwork_mid_year")
    note = report.Note(
        " ".join(
            f"{r['fieldwork']}: the published answers sum to "
            f"{share_text(r['sum_published_pct'], 1)}, "
            f"the remaining {share_text(r['residual_pct'], 1)} (don't know, not printed) is "
            "arithmetic, not published."
            for _, r in resid.iterrows()
        ),
        label="Residuals",
    )
    figure = waves_figure(
        side,
        ctx,
        title=f"{ctx.name}: which side do you support in the war? (DEMOSCOPE)",
        sources=polls,
    )
    rus = side[side["answer"] == "Russia"].sort_values("fieldwork_mid_year")
    if len(rus) > 1:
        cmp = P.compare_waves(side, design_effect=ctx.design_effect, confidence=ctx.confidence)
        first = cmp[cmp["option"] == "Russia"].iloc[0]
        sentence = (
            _change_phrase(
                rus.iloc[0],
                rus.iloc[-1],
                f"Support for Russia in the war among {ctx.name}'s adults",
            )
            + f" (DEMOSCOPE); the first change, {_pp(first['diff_pp'])}, is outside sampling "
            f"error (p {_p_text(first['p_value'])})."
            if pd.notna(first["p_value"]) and first["p_value"] < 0.05
            else _change_phrase(
                rus.iloc[0], rus.iloc[-1], f"Support for Russia in the war in {ctx.name}"
            )
            + " (DEMOSCOPE)."
        )
    else:
        sentence = side_sentence(side)
    return Section([table, note, figure], (sentence, figure))


def _p_text(p: float) -> str:
    """A p value as reader text: "< 0.001", "= 0.012"."""
    if pd.isna(p):
        return report.MISSING
    return "< 0.001" if p < 0.001 else f"= {p:.3f}"


def war_waves_section(polls: pd.DataFrame, ctx: Context) -> Section:
    """Changes between consecutive waves of the war questions (z tests), with sentences.

    Returns:
        The comparison table and notes (or a note that no question was asked twice).
    """
    war = _war(polls, ctx)
    cmp = (
        P.compare_waves(war, design_effect=ctx.design_effect, confidence=ctx.confidence)
        if len(war)
        else pd.DataFrame()
    )
    if cmp.empty:
        return Section(
            [
                report.Note(
                    f"No war question was asked of {ctx.name} in two waves: no comparison "
                    "between waves.",
                    label="",
                )
            ]
        )
    fieldwork = dict(zip(war["wave"], war["fieldwork"], strict=True))
    wording = dict(zip(war["question_id"], war["question"], strict=True))
    rows = cmp.assign(
        question=cmp["question_id"].map(wording),
        fieldwork_1=cmp["wave_1"].map(fieldwork),
        fieldwork_2=cmp["wave_2"].map(fieldwork),
        p_text=cmp["p_value"].map(
            lambda p: report.MISSING if pd.isna(p) else _p_text(p).lstrip("= ")
        ),
        secondary=cmp["secondary_1"] | cmp["secondary_2"],
    )
    table = report.Table(
        rows,
        {
            "question": report.Col("Question", kind="text"),
            "option": report.Col("Answer", kind="text"),
            "fieldwork_1": report.Col("From wave", kind="text"),
            "fieldwork_2": report.Col("To wave", kind="text"),
            "share_1_pct": report.Col("Share then (%)", kind="number"),
            "share_2_pct": report.Col("Share after (%)", kind="number"),
            "diff_pp": report.Col("Change (points)", kind="number"),
            "diff_ci_low_pp": report.Col("CI low (points)", kind="number"),
            "diff_ci_high_pp": report.Col("CI high (points)", kind="number"),
            "z": report.Col("z (standard errors)", kind="number", decimals=1),
            "p_text": report.Col("p value", kind="text"),
            "secondary": report.Col("A wave read in a secondary report", kind="bool"),
        },
        title=f"{ctx.name}: change of the war answers between consecutive waves",
        subtitle=(
            f"CI: Newcombe {ctx.level} confidence interval of the change; z and p: "
            f"two-proportion z test on effective samples (n / {ctx.deff})."
        ),
        missing_note="no test: a wave's sample size was not published.",
        sources=polls,
        source_ids=_ids(war[war["question_id"].isin(cmp["question_id"])]),
    )
    elements: list[Any] = [table]
    side = war[war["question_id"] == SIDE_QUESTION]
    rus = side[side["answer"] == "Russia"].sort_values("fieldwork_mid_year")
    if len(rus) >= 2:
        first = cmp[(cmp["question_id"] == SIDE_QUESTION) & (cmp["option"] == "Russia")].iloc[0]
        a, b = rus.iloc[0], rus.iloc[1]

        def flag(r: pd.Series) -> str:
            return P.flagged(r["share_pct"], r["secondary"], r["source_publisher"], 1).replace(
                "%", " %", 1
            )

        def n_of(r: pd.Series) -> str:
            return "not published" if pd.isna(r["sample_n"]) else f"{int(r['sample_n']):,}"

        elements.append(
            report.Note(
                f"Support for Russia: {flag(a)} in {a['fieldwork']} (n = {n_of(a)}), {flag(b)} in "
                f"{b['fieldwork']} (n = {n_of(b)}): a change of {_pp(first['diff_pp'])} "
                f"({ctx.level} interval {report.number(first['diff_ci_low_pp'], 1)} to "
                f"{report.number(first['diff_ci_high_pp'], 1)}; "
                f"z = {report.number(first['z'], 1)}, "
                f"p {_p_text(first['p_value'])})"
                + (
                    f", then {flag(rus.iloc[-1])} in {rus.iloc[-1]['fieldwork']}."
                    if len(rus) > 2
                    else "."
                ),
                label="",
            )
        )
        if ctx.country == "KAZ":
            w1 = side[side["wave"] == rus.iloc[0]["wave"]].set_index("answer")
            elements.append(
                report.Note(
                    "Claim C37 says 39 % supported Russia, 46 % were neutral, 10 % against and "
                    "5 % undecided in March 2022. The data: "
                    + _listing(
                        [
                            f"{o} {flag(w1.loc[o])}"
                            for o in ("Russia", "neutral", "Ukraine")
                            if o in w1.index
                        ]
                    )
                    + f"; the residual {share_text(round(100 - w1['share_pct'].sum()))} is "
                    "arithmetic (not printed in any stored source). “10 % against” is support "
                    "for Ukraine, not opposition to the war.",
                    label="Thesis check",
                )
            )
    return Section(elements)


def glm_figure(
    series: Sequence[tuple[pd.DataFrame, P.GlmTrend]], ctx: Context, *, title: str, sources: Any
) -> report.Figure:
    """The waves of each answer with its fitted binomial GLM trend and band.

    Args:
        series: ``(rows, fit)`` per answer: :func:`reader_rows` of the waves the fit used
            (with intervals) and the fit.
        ctx: The report's context.
        title: Figure title.
        sources: The loaded ``poll_toplines``.
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    about = {rows["answer"].iloc[0]: rows["power"].iloc[0] for rows, _ in series}
    colours = plotting.power_palette(about)
    fig, ax = plt.subplots(figsize=(9, 4.5))
    frames, handles = [], []
    for rows, fit in series:
        answer = rows["answer"].iloc[0]
        colour = colours[answer]
        grid = np.linspace(rows["fieldwork_mid_year"].min(), rows["fieldwork_mid_year"].max(), 40)
        pred = fit.predict(grid)
        ax.fill_between(
            pred["year"], pred["ci_low_pct"], pred["ci_high_pct"], color=colour, alpha=0.15, lw=0
        )
        ax.plot(pred["year"], pred["share_pct"], color=colour, lw=1.5)
        for _, r in rows.iterrows():
            _estimate(ax, r["fieldwork_mid_year"], r["share_pct"], r, colour)
        handles.append(Line2D([], [], color=colour, marker="o", lw=1.5, label=answer))
        frames.append(
            pd.DataFrame(
                {
                    "answer": answer,
                    "what": "published share",
                    "fieldwork": rows["fieldwork"].to_numpy(),
                    "date": rows["fieldwork_mid_year"].map(P.midpoint_date).to_numpy(),
                    "share_pct": rows["share_pct"].to_numpy(),
                    "ci_low_pct": rows["ci_low_pct"].to_numpy(),
                    "ci_high_pct": rows["ci_high_pct"].to_numpy(),
                    "secondary": rows["secondary"].to_numpy(),
                }
            )
        )
        frames.append(
            pd.DataFrame(
                {
                    "answer": answer,
                    "what": "GLM trend",
                    "fieldwork": None,
                    "date": pred["year"].map(P.midpoint_date).to_numpy(),
                    "share_pct": pred["share_pct"].to_numpy(),
                    "ci_low_pct": pred["ci_low_pct"].to_numpy(),
                    "ci_high_pct": pred["ci_high_pct"].to_numpy(),
                    "secondary": False,
                }
            )
        )
    handles.append(
        Line2D([], [], color=KEY_GREY, lw=6, alpha=0.15, label=f"GLM trend, {ctx.level} band")
    )
    handles += _marker_handles(True, any(bool(rows["secondary"].any()) for rows, _ in series))
    ax.set_ylim(0, 100)
    _time_ticks(ax, pd.concat([rows for rows, _ in series]))
    plotting.label_axes(
        ax,
        xlabel="Fieldwork (midpoint)",
        ylabel="Share of respondents (%)",
        legend=False,
        layout=False,
    )
    ax.legend(
        handles=handles, frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0)
    )
    fig.tight_layout()
    main_rows, main_fit = next(
        ((r, f) for r, f in series if r["answer"].iloc[0] == "Russia"), series[0]
    )
    ends = main_fit.predict(
        [main_rows["fieldwork_mid_year"].min(), main_rows["fieldwork_mid_year"].max()]
    )
    a, b = ends["share_pct"].iloc[0], ends["share_pct"].iloc[-1]
    ordered = main_rows.sort_values("fieldwork_mid_year")
    shape = (
        f"but the waves scatter far more than sampling allows (dispersion "
        f"{report.number(main_fit.dispersion, 1)})"
        if main_fit.dispersion > 2
        else "and the waves lie close to the fitted path"
    )
    subtitle = (
        f"Fitted {_option_words(ordered['answer'].iloc[0])} {'falls' if b < a else 'rises'} from "
        f"{share_text(a, 1)} in {ordered['fieldwork'].iloc[0]} to {share_text(b, 1)} in "
        f"{ordered['fieldwork'].iloc[-1]} (odds × {main_fit.odds_ratio_per_year:.2f} per year), "
        f"{shape}."
    )
    alt = (
        f"Published shares and fitted binomial GLM trends with {ctx.level} bands of the answers "
        f"to “{main_rows['question'].iloc[0]}” in {ctx.name}: "
        + "; ".join(
            f"{r['answer'].iloc[0]}: {_series_values(r.sort_values('fieldwork_mid_year'))}, fitted "
            f"odds × {f.odds_ratio_per_year:.2f} per year"
            for r, f in series
        )
        + "."
    )
    data = pd.concat(frames, ignore_index=True)
    return report.Figure(
        fig,
        title=title,
        subtitle=subtitle,
        alt=alt,
        data=data,
        columns={
            "answer": "Answer",
            "what": "Series",
            "fieldwork": "Fieldwork",
            "date": "Date",
            "share_pct": "Share (%)",
            "ci_low_pct": CI_LOW,
            "ci_high_pct": CI_HIGH,
            "secondary": "Read in a secondary report",
        },
        sources=sources,
        source_ids=_ids(pd.concat([r for r, _ in series])),
    )


def war_trend_section(polls: pd.DataFrame, ctx: Context) -> Section:
    """Binomial GLM trends of the war series with three waves of published n.

    Returns:
        The trend table, a note on the fit and the chart (or a note that none is possible).
    """
    war = _war(polls, ctx)
    if war.empty:
        trends, fits = pd.DataFrame(columns=["model"]), {}
    else:
        trends, fits = P.trend_table(
            war, design_effect=ctx.design_effect, confidence=ctx.confidence
        )
    side = war[war["question_id"] == SIDE_QUESTION] if len(war) else war
    series = [
        (
            side[(side["answer"] == opt) & side["sample_n"].notna()],
            fits[(SIDE_QUESTION, opt, "all")],
        )
        for opt in ("Russia", "Ukraine", "neutral")
        if (SIDE_QUESTION, opt, "all") in fits
    ]
    if not series:
        return Section(
            [
                report.Note(
                    f"No GLM trend: {ctx.name} has no war series with three waves of published n.",
                    label="",
                )
            ]
        )
    wording = dict(zip(war["question_id"], war["question"], strict=True))
    fitted = trends[trends["model"] == "binomial GLM"]
    fitted = fitted.assign(question=fitted["question_id"].map(wording))
    table = report.Table(
        fitted,
        {
            "question": report.Col("Question", kind="text"),
            "option": report.Col("Answer", kind="text"),
            "waves_with_n": report.Col("Waves with published n (number)", kind="integer"),
            "slope_logit_per_year": report.Col(
                "Slope (log-odds per year)", kind="number", decimals=3
            ),
            "slope_ci_low": report.Col("CI low (log-odds per year)", kind="number", decimals=3),
            "slope_ci_high": report.Col("CI high (log-odds per year)", kind="number", decimals=3),
            "dispersion": report.Col("Pearson dispersion (ratio)", kind="number", decimals=1),
            "quasi_ci_low": report.Col(
                "Quasi-binomial CI low (log-odds per year)", kind="number", decimals=3
            ),
            "quasi_ci_high": report.Col(
                "Quasi-binomial CI high (log-odds per year)", kind="number", decimals=3
            ),
        },
        title=f"{ctx.name}: binomial GLM trends of the war answers",
        subtitle=(
            f"Log-odds per year on effective counts (n / {ctx.deff}); {ctx.level} intervals, "
            "binomial and quasi-binomial (scaled by the dispersion)."
        ),
        sources=polls,
        source_ids=_ids(war[war["question_id"].isin(fitted["question_id"])]),
    )
    elements: list[Any] = [table]
    rus = fits.get((SIDE_QUESTION, "Russia", "all"))
    if rus is not None:
        q = fitted[(fitted["question_id"] == SIDE_QUESTION) & (fitted["option"] == "Russia")].iloc[
            0
        ]
        elements.append(
            report.Note(
                f"Support for Russia: the odds are multiplied by {rus.odds_ratio_per_year:.2f} per "
                f"year (slope {report.number(rus.slope, 2)} log-odds per year, "
                f"{ctx.level} interval "
                f"{report.number(rus.slope_ci[0], 2)} to {report.number(rus.slope_ci[1], 2)}; "
                f"quasi-binomial {report.number(q['quasi_ci_low'], 2)} to "
                f"{report.number(q['quasi_ci_high'], 2)}). But with {rus.n_waves} waves the "
                f"Pearson dispersion is {report.number(rus.dispersion, 1)} on {rus.df_resid} "
                f"degree{'s' if rus.df_resid != 1 else ''} of freedom: the waves do not lie on a "
                "smooth logistic path (a steep drop in 2022, then flat), so the straight-line "
                "trend summarises direction, not shape; the binomial interval is too narrow and "
                "the quasi-binomial one rests on few degrees of freedom. The wave-to-wave tests "
                "above are the better evidence.",
                label="",
            )
        )
    elements.append(
        glm_figure(
            series,
            ctx,
            title=f"{ctx.name}: side support with binomial GLM trends (DEMOSCOPE)",
            sources=polls,
        )
    )
    return Section(elements)


#: Subgroup pairs compared within a wave (descriptively).
SUBGROUP_PAIRS: tuple[tuple[str, str], ...] = (
    ("kazakh_speakers", "russian_speakers"),
    ("ethnic_kazakhs", "ethnic_russians"),
    ("age_18_29", "age_60_plus"),
)


def war_subgroups_section(polls: pd.DataFrame, ctx: Context) -> Section:
    """War answers by language of interview, ethnicity and age (descriptive).

    Returns:
        The difference table, notes on the interview language and the dot chart (or a
        note that there is no subgroup data).
    """
    frames = [
        P.select_toplines(polls, ctx.country, "war_in_ukraine", g)
        for g in ("language", "ethnicity", "age")
    ]
    subs = pd.concat(frames, ignore_index=True)
    subs = subs[subs["subgroup"] != "all"].drop_duplicates(
        ["survey", "question_id", "option", "subgroup"]
    )
    if subs.empty:
        return Section(
            [
                report.Note(
                    "No published data: no war answers by language, ethnicity or age for "
                    f"{ctx.name}.",
                    label="",
                )
            ]
        )
    subs = reader_rows(
        P.add_intervals(subs, confidence=ctx.confidence, design_effect=ctx.design_effect),
        ctx.name,
    )
    diff = P.compare_subgroups(subs, SUBGROUP_PAIRS)
    fieldwork = dict(zip(subs["wave"], subs["fieldwork"], strict=True))
    wording = dict(zip(subs["question_id"], subs["question"], strict=True))
    rows = diff.assign(
        fieldwork=diff["wave"].map(fieldwork),
        question=diff["question_id"].map(wording),
        group_1=diff["subgroup_1"].map(P.SUBGROUP_LABELS),
        group_2=diff["subgroup_2"].map(P.SUBGROUP_LABELS),
    )
    table = report.Table(
        rows,
        {
            "fieldwork": report.Col("Fieldwork", kind="text"),
            "question": report.Col("Question", kind="text"),
            "option": report.Col("Answer", kind="text"),
            "group_1": report.Col("Group 1", kind="text"),
            "group_2": report.Col("Group 2", kind="text"),
            "share_1_pct": report.Col("Share, group 1 (%)", kind="number"),
            "share_2_pct": report.Col("Share, group 2 (%)", kind="number"),
            "diff_pp": report.Col("Difference (percentage points)", kind="number"),
            "secondary": report.Col("Read in a secondary report", kind="bool"),
        },
        title=f"{ctx.name}: war answers by respondent subgroup",
        subtitle="Descriptive differences (group 2 minus group 1): subgroup sizes were not "
        "published, so there is no interval and no test.",
        sources=polls,
        source_ids=_ids(subs),
    )
    elements: list[Any] = [table]
    war = P.select_toplines(polls, ctx.country, "war_in_ukraine")
    mix = war[
        war["page_or_table"].str.contains("Russian-language|in Russian", case=False, na=False)
    ]
    mix = mix.drop_duplicates("wave").sort_values("fieldwork_mid_year")
    if len(mix):
        elements.append(
            report.Note(
                " ".join(
                    f"{w}: {_source_text(t).rstrip('.')}."
                    for w, t in zip(mix["fieldwork"], mix["page_or_table"], strict=True)
                ),
                label="Interview language",
            )
        )
    lang = diff[(diff["question_id"] == SIDE_QUESTION) & (diff["subgroup_1"] == "kazakh_speakers")]
    lang = lang[lang["option"] == "Russia"]
    if len(lang):
        r = lang.iloc[0]
        elements.append(
            report.Note(
                f"In {fieldwork[r['wave']]}, {share_text(r['share_2_pct'])} of those "
                "interviewed in "
                f"Russian supported Russia against {share_text(r['share_1_pct'])} of those "
                f"interviewed in Kazakh ({_pp(r['diff_pp'], 0)}, Russian minus Kazakh); the "
                "language of interview is the respondent's choice, not their ethnicity.",
                label="",
            )
        )
    elements.append(
        toplines_figure(
            subs,
            ctx,
            title=f"{ctx.name} polls: the war in Ukraine by respondent subgroup",
            what="the war in Ukraine by respondent subgroup",
            sources=polls,
        )
    )
    return Section(elements)


def war_other_section(polls: pd.DataFrame, ctx: Context) -> Section:
    """The other war questions (whole samples) as one table.

    Returns:
        The table (or a note that there is none).
    """
    war = _war(polls, ctx)
    other = war[war["question_id"] != SIDE_QUESTION] if len(war) else war
    if other.empty:
        return Section([report.Note(f"No other war questions for {ctx.name}.", label="")])
    return Section(
        [
            _table(
                other,
                _share_cols(ctx, pollster_col=True),
                ctx=ctx,
                title=f"{ctx.name}: the other war questions (whole samples)",
                subtitle=(
                    f"{len(other)} published shares from {other['question'].nunique()} questions."
                ),
                sources=polls,
                source_ids=_ids(other),
            )
        ]
    )


# --------------------------------------------------------------------------- soft power


def students_figure(
    shares: pd.DataFrame, ctx: Context, *, title: str, sources: Any
) -> report.Figure:
    """Russia's share of each origin's listed students abroad, one line per origin.

    Args:
        shares: :func:`~kzanalysis.analysis.polls.student_shares` rows to draw (NaN where
            Russia is not itemised: the lines break there).
        ctx: The report's context (its country is drawn bold).
        title: Figure title.
        sources: The loaded ``student_flows``.
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    data = shares.assign(origin=shares["origin_iso3"].map(report.country_name)).reset_index(
        drop=True
    )
    colours = plotting.palette(list(dict.fromkeys(data["origin"])))
    fig, ax = plt.subplots(figsize=(9, 4.5))
    for origin, grp in data.groupby("origin_iso3", sort=False):
        mine = origin == ctx.country
        label = report.country_name(origin)
        ax.plot(
            grp["year"],
            grp["share_of_listed_pct"],
            marker="o",
            ms=5 if mine else 3,
            lw=2.5 if mine else 1,
            alpha=1 if mine else 0.7,
            color=colours[label],
            label=label,
        )
    ax.set_ylim(0, 100)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    plotting.label_axes(
        ax,
        xlabel="Year",
        ylabel="Russia's share of listed students abroad (%)",
        legend={"frameon": False, "fontsize": 8, "loc": "upper left", "bbox_to_anchor": (1.01, 1)},
    )
    have = data[(data["origin_iso3"] == ctx.country) & data["dest_itemised"]]
    if len(have) > 1:
        first, last = have.iloc[0], have.iloc[-1]
        verb = "rose" if last["share_of_listed_pct"] > first["share_of_listed_pct"] else "fell"
        lead = (
            f"Russia's share of {ctx.name}'s listed students abroad {verb} from "
            f"{share_text(first['share_of_listed_pct'], 1)} in {int(first['year'])} to "
            f"{share_text(last['share_of_listed_pct'], 1)} in {int(last['year'])}"
        )
    elif len(have):
        lead = (
            f"Russia's share of {ctx.name}'s listed students abroad was "
            f"{share_text(have['share_of_listed_pct'].iloc[0], 1)} in {int(have['year'].iloc[0])}"
        )
    else:
        lead = f"Russia is never itemised among {ctx.name}'s destinations"
    gaps = int((~data.loc[data["origin_iso3"] == ctx.country, "dest_itemised"]).sum())
    subtitle = (
        f"{lead}; {gaps} {'year' if gaps == 1 else 'years'} without Russia itemised "
        f"{'is a gap' if gaps == 1 else 'are gaps'}, not zeros."
        if gaps
        else f"{lead}."
    )
    parts = []
    for origin, grp in data[data["dest_itemised"]].groupby("origin", sort=False):
        parts.append(
            f"{origin} {share_text(grp['share_of_listed_pct'].iloc[0], 0)} "
            f"({int(grp['year'].iloc[0])}) to {share_text(grp['share_of_listed_pct'].iloc[-1], 0)} "
            f"({int(grp['year'].iloc[-1])})"
        )
    alt = (
        "Line chart of Russia's share of the students abroad that UNESCO lists for each "
        f"Central Asian state, {int(data['year'].min())}–{int(data['year'].max())}, "
        f"{ctx.name} in bold: " + "; ".join(parts) + "."
    )
    return report.Figure(
        fig,
        title=title,
        subtitle=subtitle,
        alt=alt,
        data=data,
        columns={
            "origin": "Origin",
            "year": "Year",
            "dest_students": "Students in Russia (students)",
            "listed_students": "Listed students abroad (students)",
            "share_of_listed_pct": "Russia's share of listed students (%)",
            "dest_itemised": "Russia itemised",
        },
        sources=sources,
    )


def students_section(flows: pd.DataFrame, inbound: pd.DataFrame, ctx: Context) -> Section:
    """Students abroad: Russia's share for the country, across Central Asia, top destinations.

    Returns:
        Elements and the finding on Russia's share of the country's students abroad.
    """
    shares = P.student_shares(flows, inbound, "RUS")
    mine = shares[shares["origin_iso3"] == ctx.country]
    have = mine[mine["dest_itemised"]]
    elements: list[Any] = []
    sources = [flows, inbound]
    if len(have):
        elements.append(
            report.Table(
                have,
                {
                    "year": report.Col("Year", kind="year"),
                    "dest_students": report.Col("Students in Russia (students)", kind="integer"),
                    "listed_students": report.Col(
                        "Listed students abroad (students)", kind="number", decimals=0
                    ),
                    "share_of_listed_pct": report.Col(
                        "Russia's share of listed (%)", kind="number"
                    ),
                    "outbound_total_students": report.Col(
                        "All students abroad, UIS-derived (students)", kind="integer"
                    ),
                    "share_of_total_pct": report.Col("Russia's share of all (%)", kind="number"),
                },
                title=f"{ctx.name}: students in Russia and Russia's share of students abroad",
                missing_note="UIS publishes no outbound total for this year.",
                notes=[
                    "Listed: the origin's ten largest destinations that report to UIS plus "
                    "“other countries”; all: UIS inbound minus UIS net flow, a derived estimate."
                ],
                sources=sources,
            )
        )
    missing = [str(int(y)) for y in mine.loc[~mine["dest_itemised"], "year"]]
    sentences = [
        f"Russia is not itemised for {ctx.name} in {_listing(missing) or 'no year'} (gaps, not "
        "zeros)."
    ]
    finding: tuple[str, Any] | str = f"UIS itemises no students from {ctx.name} in Russia."
    if len(have):
        first, last = have.iloc[0], have.iloc[-1]
        sentences.append(
            f"Russia's share of {ctx.name}'s listed students abroad went from "
            f"{share_text(first['share_of_listed_pct'], 0)} ({int(first['year'])}) to "
            f"{share_text(last['share_of_listed_pct'], 0)} ({int(last['year'])}); students in "
            f"Russia from {report.number(first['dest_students'], 0)} to "
            f"{report.number(last['dest_students'], 0)}."
        )
    elements.append(report.Note(" ".join(sentences), label=""))
    y2018 = have[have["year"] == 2018]
    if ctx.country == "KAZ" and len(y2018):
        r = y2018.iloc[0]
        elements.append(
            report.Note(
                "Claim C33 says 69,000 of 89,000 students abroad were in Russia in 2018. UIS "
                f"counts {report.number(r['dest_students'], 0)} in Russia of "
                f"{report.number(r['outbound_total_students'], 0)} abroad "
                f"({share_text(r['share_of_total_pct'], 1)}; the total is UIS inbound minus net "
                "flow, a derived estimate).",
                label="Thesis check",
            )
        )
    figure = students_figure(
        shares[shares["year"] >= 2000],
        ctx,
        title="Russia's share of Central Asian students abroad (listed destinations)",
        sources=flows,
    )
    elements.append(figure)
    if len(have) > 1:
        first, last = have.iloc[0], have.iloc[-1]
        finding = (
            f"Russia's share of {ctx.name}'s students abroad (destinations UNESCO lists, China "
            f"not among them) went from {share_text(first['share_of_listed_pct'], 0)} in "
            f"{int(first['year'])} to {share_text(last['share_of_listed_pct'], 0)} in "
            f"{int(last['year'])}.",
            figure,
        )
    elif len(have):
        finding = (
            f"Russia took {share_text(have['share_of_listed_pct'].iloc[0], 0)} of {ctx.name}'s "
            f"listed students abroad in {int(have['year'].iloc[0])}.",
            figure,
        )
    region = shares[shares["dest_itemised"]]
    last_common = int(region.groupby("origin_iso3")["year"].max().min())
    common = region[region["year"] == last_common]
    elements.append(
        report.Table(
            common,
            {
                "origin_iso3": report.Col("Origin", kind="country"),
                "dest_students": report.Col("Students in Russia (students)", kind="integer"),
                "share_of_listed_pct": report.Col("Russia's share of listed (%)", kind="number"),
                "share_of_total_pct": report.Col("Russia's share of all (%)", kind="number"),
            },
            title=f"Russia's share of Central Asian students abroad in {last_common}",
            subtitle=f"{last_common} is the last year with Russia itemised for every origin.",
            missing_note="UIS publishes no outbound total for this origin and year.",
            sources=sources,
        )
    )
    year_top = int(have["year"].max()) if len(have) else int(mine["year"].max())
    top = P.top_destinations(flows, ctx.country, year_top)
    elements.append(
        report.Table(
            top,
            {
                "dest_name": report.Col("Destination", kind="text"),
                "students": report.Col("Students (students)", kind="number", decimals=0),
                "share_of_listed_pct": report.Col("Share of listed (%)", kind="number"),
            },
            title=f"{ctx.name}: listed destinations of students abroad, {year_top}",
            sources=flows,
        )
    )
    return Section(elements, finding)


def census_figure(
    census: pd.DataFrame, ctx: Context, *, sources: Any, source_ids: list[str]
) -> report.Figure:
    """Census shares of ethnic groups by census year (one line per group, values labelled).

    Args:
        census: :func:`~kzanalysis.analysis.polls.census_ethnic_shares` (wide).
        ctx: The report's context.
        sources: The loaded ``soft_power_indicators``.
        source_ids: The sources of the census rows.
    """
    import matplotlib.pyplot as plt

    groups = [c for c in census.columns if c.endswith("_pct")]
    long = census.melt(
        id_vars=["year"], value_vars=groups, var_name="group", value_name="share_pct"
    )
    long["group"] = long["group"].str.removesuffix("_pct").str.capitalize()
    colours = plotting.palette(list(dict.fromkeys(long["group"])))
    fig, ax = plt.subplots(figsize=(9, 4.5))
    for group, grp in long.groupby("group", sort=False):
        ax.plot(grp["year"], grp["share_pct"], marker="o", color=colours[group], label=group)
        for year, value in grp.dropna(subset=["share_pct"])[["year", "share_pct"]].itertuples(
            index=False
        ):
            ax.annotate(
                report.number(value, 1),
                (year, value),
                textcoords="offset points",
                xytext=(0, 6),
                ha="center",
                fontsize=8,
            )
    ax.set_ylim(0, 100)
    ax.set_xticks(sorted(census["year"].astype(int).tolist()))
    plotting.label_axes(
        ax,
        xlabel="Census year",
        ylabel="Share of the population (%)",
        legend={"frameon": False, "fontsize": 8},
    )
    parts = []
    for group, grp in long.dropna(subset=["share_pct"]).groupby("group", sort=False):
        a, b = grp.iloc[0], grp.iloc[-1]
        verb = "rose" if b["share_pct"] > a["share_pct"] else "fell"
        parts.append(
            f"ethnic {group} {verb} from {share_text(a['share_pct'], 1)} in {int(a['year'])} to "
            f"{share_text(b['share_pct'], 1)} in {int(b['year'])}"
        )
    subtitle = _listing(parts)
    subtitle = subtitle[:1].upper() + subtitle[1:] + "."
    alt = (
        f"Line chart of census shares of ethnic groups in {ctx.name} by census year "
        f"({_listing([str(int(y)) for y in census['year']])}), values labelled: {_listing(parts)}; "
        "a census without a value for a group leaves a gap."
    )
    return report.Figure(
        fig,
        title=f"{ctx.name}: ethnic Kazakhs and Russians by census",
        subtitle=subtitle,
        alt=alt,
        data=long,
        columns={
            "year": "Census year",
            "group": "Ethnic group",
            "share_pct": "Share of the population (%)",
        },
        sources=sources,
        source_ids=source_ids,
    )


_LANGUAGE_INDICATORS = {
    "language_can_speak_census": "can speak it (2021 census)",
    "language_spoken_estimate": "speaks it (Library of Congress estimate)",
}


def census_section(indicators: pd.DataFrame, ctx: Context) -> Section:
    """Census ethnic shares and language knowledge (Kazakhstan only in the bundle).

    Returns:
        Tables, notes and the census chart (or a note that the country has none).
    """
    census = P.census_ethnic_shares(indicators, ctx.country)
    langs = P.language_knowledge(indicators, ctx.country)
    if census.empty and langs.empty:
        return Section(
            [
                report.Note(
                    "No published data: the bundle holds census and language indicators for "
                    f"Kazakhstan only, not {ctx.name}.",
                    label="",
                )
            ]
        )
    names = {k: _short_publisher(v) for k, v in P.publishers_of(indicators).items()}
    census_ids = sorted({i for s in census["sources"] for i in s.split(", ")})
    census = census.assign(
        published_by=census["sources"].map(
            lambda s: "; ".join(names.get(i, i) for i in s.split(", "))
        )
    )
    elements: list[Any] = [
        report.Table(
            census,
            {
                "year": report.Col("Census year", kind="year"),
                **{
                    c: report.Col(
                        f"{c.removesuffix('_pct').capitalize()} (% of the population)",
                        kind="number",
                    )
                    for c in census.columns
                    if c.endswith("_pct")
                },
                "published_by": report.Col("Quoted by", kind="text"),
            },
            title=f"{ctx.name}: census shares of ethnic Kazakhs and Russians",
            missing_note="the census value is not in the bundle.",
            sources=indicators,
            source_ids=census_ids,
        )
    ]
    rus = census.dropna(subset=["russians_pct"]) if "russians_pct" in census else census.iloc[0:0]
    if len(rus):
        quoted = sorted({names.get(i, i) for s in rus["sources"] for i in s.split(", ")})
        elements.append(
            report.Note(
                "Ethnic Russians: "
                + _listing(
                    [
                        f"{share_text(v, 1)} ({int(y)})"
                        for y, v in zip(rus["year"], rus["russians_pct"], strict=True)
                    ]
                )
                + f", quoted by {_listing(quoted)} (web pages quoting the census, not the "
                "statistics bureau's own tables)."
                + (
                    f" Claim C32 says about 20 %: the 2021 census gives "
                    f"{share_text(rus['russians_pct'].iloc[-1], 1)}, below 20 %; the 2009 census "
                    "share, which the thesis may have used, is not in the bundle."
                    if ctx.country == "KAZ"
                    else ""
                ),
                label="",
            )
        )
    if not census.empty:
        elements.append(census_figure(census, ctx, sources=indicators, source_ids=census_ids))
    if len(langs):
        lang_rows = langs.assign(
            measure=langs["indicator"].map(
                lambda i: _LANGUAGE_INDICATORS.get(i, report.text.label(i))
            ),
            published_by=langs["source"].map(lambda i: names.get(i, i)),
        )
        elements.append(
            report.Table(
                lang_rows,
                {
                    "language": report.Col("Language", kind="text"),
                    "year": report.Col("Year", kind="year"),
                    "measure": report.Col("Share of the population who …", kind="text"),
                    "value_pct": report.Col("Share of the population (%)", kind="number"),
                    "published_by": report.Col("Quoted by", kind="text"),
                },
                title=f"{ctx.name}: share of the population who speak each language",
                sources=indicators,
                source_ids=list(dict.fromkeys(langs["source"])),
            )
        )
        wide = langs.pivot_table(index="language", columns="year", values="value_pct")
        if {2006, 2021} <= set(wide.columns) and {"Kazakh", "Russian"} <= set(wide.index):
            k06, r06 = wide.loc["Kazakh", 2006], wide.loc["Russian", 2006]
            k21, r21 = wide.loc["Kazakh", 2021], wide.loc["Russian", 2021]
            elements.append(
                report.Note(
                    "Claim C34 says Kazakh is spoken by about 65 % and Russian by about 95 %. The "
                    f"Library of Congress 2006 estimate gives Kazakh {share_text(k06, 1)} and "
                    f"Russian {share_text(r06, 1)}, matching the thesis; the 2021 census gives "
                    f"Kazakh {share_text(k21, 1)} and Russian {share_text(r21, 1)}: Russian is "
                    "still the more widely spoken, but the gap has shrunk from "
                    f"{report.number(r06 - k06, 1)} to {report.number(r21 - k21, 1)} points "
                    "(different sources and definitions).",
                    label="Thesis check",
                )
            )
    return Section(elements)


# --------------------------------------------------------------------------- quality


def quality_section(polls: pd.DataFrame, ctx: Context) -> Section:
    """One row per survey of the country (and the pooled samples): how good the source is.

    Returns:
        The source-quality table and a note with its counts (or a note without data).
    """
    rows = polls[(polls["country_iso3"] == ctx.country) | polls["country_iso3"].isna()]
    quality = P.source_quality(rows, POLLSTERS)
    if quality.empty:
        return Section(
            [
                report.Note(
                    f"No published data: the bundle has no poll toplines for {ctx.name}.", label=""
                )
            ]
        )
    table = report.Table(
        quality,
        {
            "survey": report.Col("Survey", kind="text"),
            "country": report.Col("Respondents in", kind="text"),
            "pollster": report.Col("Pollster", kind="text"),
            "mode_stated": report.Col("Mode stated in the rows", kind="text"),
            "n": report.Col("Sample size", kind="text"),
            "sample_described": report.Col("Sample described as", kind="text"),
            "fieldwork": report.Col("Fieldwork", kind="text"),
            "rows": report.Col("Shares (number)", kind="integer"),
            "origin": report.Col("Numbers read in", kind="text"),
        },
        title=f"{ctx.name}: the surveys behind this report",
        sources=polls,
        source_ids=_ids(rows),
    )
    publishers = P.publishers_of(polls)
    ids = _ids(rows)
    methods = pd.DataFrame(
        {
            "pollster": [pollster(i) for i in ids],
            "publisher": [publishers.get(i, i) for i in ids],
            "note": [P.PROVENANCE_METHOD_NOTES.get(i, "none") for i in ids],
        }
    )
    methods_table = report.Table(
        methods,
        {
            "pollster": report.Col("Pollster", kind="text"),
            "publisher": report.Col("Pollster in full", kind="text"),
            "note": report.Col("Method as the data snapshot's notes describe it", kind="text"),
        },
        title=f"{ctx.name}: method notes per pollster",
        subtitle="What the notes of the data snapshot say about each series' method, next to "
        "(never instead of) the mode stated in the rows.",
        sources=polls,
        source_ids=ids,
    )
    secondary_only = quality["origin"].str.startswith("secondary")
    note = report.Note(
        f"{len(quality)} survey{'s' if len(quality) != 1 else ''}: "
        f"{int((quality['n'] != 'not published').sum())} with a published "
        f"n, {int((quality['mode_stated'] != 'not published').sum())} whose rows state the mode, "
        f"{int(secondary_only.sum())} known only from secondary reports and "
        f"{int(quality['origin'].str.startswith('mixed').sum())} partly so.",
        label="",
    )
    return Section([table, note, methods_table])


# --------------------------------------------------------------------------- findings


def ledger_sentence(ledger: Any) -> str:
    """One sentence with the verdicts of the chapter's thesis claims.

    Args:
        ledger: :func:`kzanalysis.claims.ledger.ledger_element` (a Table; its ``frame`` has
            a ``verdict`` column) or a frame with ``verdict``.
    """
    frame = getattr(ledger, "frame", ledger)
    counts = frame["verdict"].value_counts()
    order = ("supported", "partly_supported", "contradicted", "untestable")
    parts = [f"{int(counts[v])} {report.text.label(v)}" for v in order if counts.get(v, 0)]
    if parts:
        first = parts[0].split(" ", 1)
        parts[0] = f"{first[0]} {'is' if first[0] == '1' else 'are'} {first[1]}"
    if not len(frame):
        return "No thesis claim is tested against the poll and soft-power data."
    return (
        f"Of the {len(frame)} thesis claims the poll and soft-power data test (about "
        f"Kazakhstan, whatever this report's country), {_listing(parts)}."
    )


def findings(*sections: Section, ledger: Any = None) -> report.Findings:
    """The "Key findings" box: each section's finding, then the claims' verdicts.

    Args:
        sections: Sections in report order; those without a finding are skipped.
        ledger: The chapter's ledger table (:func:`kzanalysis.claims.ledger.ledger_element`).

    Raises:
        ValueError: with fewer than three findings (the box needs 3–6 sentences).
    """
    items: list[str | tuple[str, Any]] = [s.finding for s in sections if s.finding]
    if ledger is not None:
        items.append((ledger_sentence(ledger), ledger))
    return report.Findings(items[: report.Findings.MAX_ITEMS])
