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
