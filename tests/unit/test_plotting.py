"""Fixed actor colours, captions and chart labelling."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from kzanalysis import plotting


def test_actor_colours_are_fixed_and_distinct() -> None:
    colours = plotting.ACTOR_COLORS
    assert set(colours) == {"Russia", "China", "EU", "US", "Other"}
    assert len(set(colours.values())) == 5


def test_palette_uses_actor_colour_for_codes_and_names() -> None:
    pal = plotting.palette(["RUS", "China", "EU27", "USA", "TUR", "EAEU", "Other"], strict=True)
    assert pal["RUS"] == plotting.ACTOR_COLORS["Russia"]
    assert pal["China"] == plotting.ACTOR_COLORS["China"]
    assert pal["EU27"] == plotting.ACTOR_COLORS["EU"]
    assert pal["USA"] == plotting.ACTOR_COLORS["US"]
    assert pal["Other"] == plotting.ACTOR_COLORS["Other"]
    # secondary actors take their registry colour, not the next spare one
    assert pal["TUR"] == plotting.colour("Türkiye") == plotting.palette(["Turkey"])["Turkey"]
    assert pal["EAEU"] == plotting.colour("Eurasian Economic Union")
    assert plotting.SECONDARY_COLORS[0] not in pal.values()


def test_label_axes_labels_without_drawing_title_or_caption() -> None:
    fig, ax = plt.subplots()
    ax.plot([1, 2], [3, 4], label="Russia")
    with pytest.raises(ValueError, match="unit in parentheses"):
        plotting.label_axes(ax, xlabel="Year", ylabel="Exports")
    out = plotting.label_axes(ax, xlabel="Year", ylabel="Exports (US$ mn)")
    assert out is fig
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title(loc="left")) == (
        "Year",
        "Exports (US$ mn)",
        "",
    )
    assert not fig.texts and ax.get_legend() is not None
    plt.close(fig)


def test_source_caption_from_provenance() -> None:
    frame = pd.DataFrame({"a": [1]})
    frame.attrs["provenance"] = {
        "sources": [{"publisher": "SIPRI", "title": "Arms Transfers Database", "edition": "2026"}]
    }
    assert plotting.source_caption(frame) == (
        "Source: SIPRI, Arms Transfers Database (2026). Calculations: kzanalysis."
    )
    with pytest.raises(ValueError, match="no provenance"):
        plotting.source_caption(pd.DataFrame())


def test_source_caption_limited_to_source_ids_short_form_and_note() -> None:
    frame = pd.DataFrame({"a": [1]})
    frame.attrs["provenance"] = {
        "sources": [
            {"id": "sipri", "publisher": "SIPRI", "title": "ATD", "edition": "2026"},
            {"id": "imf_dots", "publisher": "IMF", "title": "DOTS", "edition": "2022"},
        ]
    }
    other = pd.DataFrame({"b": [1]})
    other.attrs["provenance"] = {
        "sources": [{"id": "sipri", "publisher": "SIPRI", "title": "ATD", "edition": "2026"}]
    }
    text = plotting.source_caption([frame, other], {"sipri"}, note="Shares in %.", titles=False)
    assert text == "Source: SIPRI (2026). Shares in %. Calculations: kzanalysis."
    with pytest.raises(ValueError, match=r"no matching provenance.*'nope'"):
        plotting.source_caption(frame, ["nope"])


def test_finish_requires_units_and_source() -> None:
    fig, ax = plt.subplots()
    ax.plot([1, 2], [3, 4], label="RUS")
    with pytest.raises(ValueError, match="unit in parentheses"):
        plotting.finish(ax, title="t", xlabel="Year", ylabel="Exports", source="Source: x")
    with pytest.raises(ValueError, match="source caption"):
        plotting.finish(ax, title="t", xlabel="Year", ylabel="Exports (US$ mn)", source=" ")
    out = plotting.finish(ax, title="t", xlabel="Year", ylabel="Exports (US$ mn)", source="S: x")
    assert ax.get_ylabel() == "Exports (US$ mn)"
    assert any(t.get_text() == "S: x" for t in out.texts)
    plt.close(fig)


@pytest.mark.parametrize(
    ("value", "text"),
    [(1000.0, "1,000"), (30000.0, "30,000"), (2.0, "2"), (0.2, "0.2"), (0.03, "0.03")],
)
def test_tick_number_is_a_plain_number(value: float, text: str) -> None:
    assert plotting.tick_number(value) == text


def _tick_labels(lo: float, hi: float) -> tuple[list[str], list[str]]:
    fig, ax = plt.subplots()
    ax.plot([0, 1], [lo, hi])
    plotting.log_scale(ax)
    fig.canvas.draw()
    shown = (
        [t.get_text() for t in ax.get_yticklabels() if t.get_text()],
        [t.get_text() for t in ax.yaxis.get_minorticklabels() if t.get_text()],
    )
    plt.close(fig)
    return shown


def test_log_scale_labels_the_ticks_matplotlib_labels_as_plain_numbers() -> None:
    # three decades: only the powers of ten are labelled, as matplotlib does
    assert _tick_labels(300, 30000) == (["100", "1,000", "10,000", "100,000"], [])
    # under one decade and a half: matplotlib labels the minor ticks 2, 3, 4 and 6 too
    major, minor = _tick_labels(800, 4000)
    assert major == ["100", "1,000", "10,000"]
    assert minor == ["200", "300", "400", "600", "2,000", "3,000", "4,000", "6,000"]
    assert not any("$" in t for t in major + minor)  # no mathtext: powers of ten read 10³


def test_log_scale_draws_no_mathtext(monkeypatch: pytest.MonkeyPatch) -> None:
    from matplotlib import mathtext

    parsed: list[str] = []
    original = mathtext.MathTextParser.parse
    monkeypatch.setattr(
        mathtext.MathTextParser,
        "parse",
        lambda self, s, *a, **k: parsed.append(s) or original(self, s, *a, **k),
    )
    _tick_labels(800, 4000)
    assert parsed == []
    fig, ax = plt.subplots()  # the check sees matplotlib's default log labels
    ax.plot([0, 1], [800, 4000])
    ax.set_yscale("log")
    fig.canvas.draw()
    plt.close(fig)
    assert parsed


def test_label_axes_lays_out_unless_told_a_later_layout_follows() -> None:
    import matplotlib as mpl

    default_left = mpl.rcParams["figure.subplot.left"]
    fig, ax = plt.subplots()
    ax.plot([1, 2], [1, 2])
    plotting.label_axes(ax, xlabel="Year", ylabel="Value (US$ mn)", layout=False)
    assert fig.subplotpars.left == default_left  # not laid out: the caller does it once
    plotting.label_axes(ax, xlabel="Year", ylabel="Value (US$ mn)")
    assert fig.subplotpars.left != default_left  # tight_layout moved the axes
    plt.close(fig)


def test_log_scale_names_a_wrong_axis() -> None:
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="axis must be 'x' or 'y', not 'z'"):
        plotting.log_scale(ax, axis="z")
    plt.close(fig)
