"""One colour per actor: CIEDE2000 against its published test data, and the registry's rules."""

from __future__ import annotations

import itertools
import re
import warnings

import pytest

from kzanalysis import plotting
from kzanalysis.plotting import (
    ACTORS,
    FIGURE_GROUPS,
    MIN_DELTA_E_IN_FIGURE,
    MIN_DELTA_E_RUSSIA_CHINA,
    colour,
    colour_distance,
    delta_e_2000,
    palette,
    srgb_to_lab,
)

# Sharma, Wu & Dalal (2005), "The CIEDE2000 color-difference formula: implementation
# notes, supplementary test data, and mathematical observations", Table 1: all 34 pairs
# (L1, a1, b1, L2, a2, b2, ΔE00).
SHARMA_PAIRS = [
    (50.0000, 2.6772, -79.7751, 50.0000, 0.0000, -82.7485, 2.0425),
    (50.0000, 3.1571, -77.2803, 50.0000, 0.0000, -82.7485, 2.8615),
    (50.0000, 2.8361, -74.0200, 50.0000, 0.0000, -82.7485, 3.4412),
    (50.0000, -1.3802, -84.2814, 50.0000, 0.0000, -82.7485, 1.0000),
    (50.0000, -1.1848, -84.8006, 50.0000, 0.0000, -82.7485, 1.0000),
    (50.0000, -0.9009, -85.5211, 50.0000, 0.0000, -82.7485, 1.0000),
    (50.0000, 0.0000, 0.0000, 50.0000, -1.0000, 2.0000, 2.3669),
    (50.0000, -1.0000, 2.0000, 50.0000, 0.0000, 0.0000, 2.3669),
    (50.0000, 2.4900, -0.0010, 50.0000, -2.4900, 0.0009, 7.1792),
    (50.0000, 2.4900, -0.0010, 50.0000, -2.4900, 0.0010, 7.1792),
    (50.0000, 2.4900, -0.0010, 50.0000, -2.4900, 0.0011, 7.2195),
    (50.0000, 2.4900, -0.0010, 50.0000, -2.4900, 0.0012, 7.2195),
    (50.0000, -0.0010, 2.4900, 50.0000, 0.0009, -2.4900, 4.8045),
    (50.0000, -0.0010, 2.4900, 50.0000, 0.0010, -2.4900, 4.8045),
    (50.0000, -0.0010, 2.4900, 50.0000, 0.0011, -2.4900, 4.7461),
    (50.0000, 2.5000, 0.0000, 50.0000, 0.0000, -2.5000, 4.3065),
    (50.0000, 2.5000, 0.0000, 73.0000, 25.0000, -18.0000, 27.1492),
    (50.0000, 2.5000, 0.0000, 61.0000, -5.0000, 29.0000, 22.8977),
    (50.0000, 2.5000, 0.0000, 56.0000, -27.0000, -3.0000, 31.9030),
    (50.0000, 2.5000, 0.0000, 58.0000, 24.0000, 15.0000, 19.4535),
    (50.0000, 2.5000, 0.0000, 50.0000, 3.1736, 0.5854, 1.0000),
    (50.0000, 2.5000, 0.0000, 50.0000, 3.2972, 0.0000, 1.0000),
    (50.0000, 2.5000, 0.0000, 50.0000, 1.8634, 0.5757, 1.0000),
    (50.0000, 2.5000, 0.0000, 50.0000, 3.2592, 0.3350, 1.0000),
    (60.2574, -34.0099, 36.2677, 60.4626, -34.1751, 39.4387, 1.2644),
    (63.0109, -31.0961, -5.8663, 62.8187, -29.7946, -4.0864, 1.2630),
    (61.2901, 3.7196, -5.3901, 61.4292, 2.2480, -4.9620, 1.8731),
    (35.0831, -44.1164, 3.7933, 35.0232, -40.0716, 1.5901, 1.8645),
    (22.7233, 20.0904, -46.6940, 23.0331, 14.9730, -42.5619, 2.0373),
    (36.4612, 47.8580, 18.3852, 36.2715, 50.5065, 21.2231, 1.4146),
    (90.8027, -2.0831, 1.4410, 91.1528, -1.6435, 0.0447, 1.4441),
    (90.9257, -0.5406, -0.9208, 88.6381, -0.8985, -0.7239, 1.5381),
    (6.7747, -0.2908, -2.4247, 5.8714, -0.0985, -2.2286, 0.6377),
    (2.0776, 0.0795, -1.1350, 0.9033, -0.0636, -0.5514, 0.9082),
]


@pytest.mark.parametrize("pair", SHARMA_PAIRS, ids=[f"pair{i}" for i in range(1, 35)])
def test_ciede2000_matches_sharma_wu_dalal(pair: tuple[float, ...]) -> None:
    *labs, expected = pair
    assert round(delta_e_2000(tuple(labs[:3]), tuple(labs[3:])), 4) == expected
    assert round(delta_e_2000(tuple(labs[3:]), tuple(labs[:3])), 4) == expected  # symmetric


def test_srgb_to_lab_known_values() -> None:
    # white is L* 100; sRGB red is (53.24, 80.09, 67.20) under D65
    assert [round(v, 2) for v in srgb_to_lab("#FFFFFF")] == [100.0, 0.0, 0.0]
    assert [round(v, 2) for v in srgb_to_lab("#FF0000")] == [53.24, 80.09, 67.2]
    assert [round(v, 2) for v in srgb_to_lab("#000000")] == [0.0, 0.0, 0.0]
    assert colour_distance("#123456", "#123456") == 0
    with pytest.raises(ValueError, match="#RRGGBB"):
        srgb_to_lab("red")


def test_every_actor_has_one_valid_colour_and_its_aliases_map_to_it() -> None:
    names = [a.name for a in ACTORS]
    assert len(names) == len(set(names))
    owners: dict[str, str] = {}
    for a in ACTORS:
        assert re.fullmatch(r"#[0-9A-F]{6}", a.colour), a
        for alias in (a.name, *a.aliases):
            assert owners.setdefault(alias.casefold(), a.name) == a.name, (
                f"{alias!r} means both {owners[alias.casefold()]} and {a.name}"
            )
            assert colour(alias, strict=True) == a.colour
    colours = [a.colour for a in ACTORS]
    assert len(colours) == len(set(colours)), "two actors share a colour"


def test_russia_and_china_stand_apart_from_every_other_actor() -> None:
    for power in ("Russia", "China"):
        for other in ACTORS:
            if other.name != power:
                dist = colour_distance(colour(power), other.colour)
                assert dist >= MIN_DELTA_E_RUSSIA_CHINA, f"{power} vs {other.name}: {dist:.1f}"


@pytest.mark.parametrize("group", sorted(FIGURE_GROUPS))
def test_actors_drawn_together_are_distinguishable(group: str) -> None:
    members = FIGURE_GROUPS[group]
    for name in members:
        assert plotting.actor_of(name) == name, f"{group}: {name!r} is not a registry actor"
    for a, b in itertools.combinations(members, 2):
        dist = colour_distance(colour(a), colour(b))
        assert dist >= MIN_DELTA_E_IN_FIGURE, f"{group}: {a} vs {b} only {dist:.1f} apart"


def test_headline_colours_are_backward_compatible() -> None:
    assert list(plotting.ACTOR_COLORS) == ["Russia", "China", "EU", "US", "Other"]
    assert plotting.ACTOR_COLORS["Russia"] == "#D55E00"
    assert plotting.ACTOR_COLORS["China"] == "#0072B2"
    assert plotting.ACTOR_COLORS["EU"] == "#009E73"
    assert plotting.ACTOR_COLORS["US"] == "#CC79A7"
    # #999999 was 27.0 from China: too close for the rule; a lighter grey meets it
    assert colour_distance("#999999", "#0072B2") < MIN_DELTA_E_RUSSIA_CHINA
    assert plotting.ACTOR_COLORS["Other"] == "#BBBBBB"


def test_palette_maps_every_label_through_the_registry_not_by_order() -> None:
    first = palette(["Ukraine", "Türkiye", "EAEU"], strict=True)
    second = palette(["EAEU", "Türkiye", "Ukraine", "TUR", "UKR"], strict=True)
    assert first["Ukraine"] == second["Ukraine"] == second["UKR"] == colour("Ukraine")
    assert first["EAEU"] == second["EAEU"] != colour("Russia")
    assert palette(["EAEU (other members)"], strict=True)["EAEU (other members)"] == colour("EAEU")


def test_unknown_label_is_an_error_when_strict_and_grey_otherwise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(KeyError, match="no actor colour for chart label 'Atlantis'"):
        palette(["Russia", "Atlantis"], strict=True)
    monkeypatch.delenv(plotting.STRICT_ENV, raising=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # silent: a warning would change notebook outputs
        assert palette(["Atlantis"])["Atlantis"] == plotting.UNKNOWN_COLOUR
    assert "Atlantis" in plotting.unknown_labels()
    monkeypatch.setenv(plotting.STRICT_ENV, "1")
    with pytest.raises(KeyError):
        palette(["Atlantis"])
    assert plotting.actor("Atlantis") == "Other"  # the old lookup keeps its default


def test_power_of_finds_the_power_a_question_asks_about() -> None:
    assert plotting.power_of("Approval of the leadership of the United States") == "US"
    assert plotting.power_of("Russia wages war against Ukraine to occupy and annex it") == (
        "Russia"
    )
    assert plotting.power_of("Should Kazakhstan join the Eurasian Economic Union?") == (
        "Kazakhstan"
    )
    assert plotting.power_of("support for the Eurasian Economic Union") == "EAEU"
    assert plotting.power_of("Attitude towards Chinese investment") == "China"
    assert plotting.power_of("difficult to answer") is None
    assert plotting.power_of("Total of other answers") is None  # residuals are no power
    colours = plotting.power_palette(
        {"Gallup: approve": "Russia", "EDB: support": "support for the EAEU"}, strict=True
    )
    assert colours == {"Gallup: approve": colour("Russia"), "EDB: support": colour("EAEU")}


def test_labels_the_chapters_colour_are_all_in_the_registry() -> None:
    """The labels the trade, energy, polls, money and synthesis code pass to the palette."""
    from kzanalysis.analysis import energy, money, polls, trade
    from kzanalysis.analysis import money_report as R
    from kzanalysis.analysis.arms_params import CA5
    from kzanalysis.analysis.trade_params import DEFAULT_PARTNERS

    labels = [
        "Russia", "China", "EU27", "EAEU", "EAEU (other members)", "Türkiye",
        "United States", "Other", "World",
        *(trade.partner_label(p) for p in DEFAULT_PARTNERS),
        *(energy.label(c) for c in (*CA5, "RUS", "CHN")),
        *polls.LEADERSHIP_ACTORS.values(),
        "Kazakhs", "Russians",  # census peoples
        *(R._COLOUR_OF.get(k, k) for k in (*money.INVESTORS, *money.OFFSHORE)),
    ]  # fmt: skip
    palette(labels, strict=True)


def test_arms_groups_cover_what_the_arms_charts_show() -> None:
    """Every supplier set the deliveries charts draw (bundled editions, every recipient)
    lies within one declared figure group, so the ΔE rule covers the real charts."""
    from kzanalysis import datasets
    from kzanalysis.analysis import arms as A
    from kzanalysis.analysis.arms_params import BUNDLED_EDITIONS, CA5

    deals = datasets.load("arms_deals")
    per_year = datasets.load("arms_deliveries")
    names = A.supplier_names(deals)
    groups = [set(m) for k, m in FIGURE_GROUPS.items() if k.startswith("arms deliveries")]
    for edition in BUNDLED_EDITIONS:
        for recipients in [[c] for c in CA5] + [list(CA5)]:
            chosen = A.select_edition(deals, edition, recipients)
            reference = A.select_edition(per_year, A.REFERENCE_PER_YEAR[edition], recipients)
            yearly = A.label_suppliers(A.yearly_from_deals(chosen, reference), names)
            table = A.supplier_year_table(yearly, 1992, int(yearly["year"].max()))
            drawn = {plotting.actor(x) for x in A.top_labels(table, 6)} | {"Other"}
            assert any(drawn <= g for g in groups), (edition, recipients, sorted(drawn))
            palette(table["supplier_label"], strict=True)  # every supplier has its colour
