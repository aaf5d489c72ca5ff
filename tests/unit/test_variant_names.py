"""One rule for variant names, ``<chapter>[-<label>]-<GROUP>``, and the switcher it drives."""

from __future__ import annotations

import re

import pytest

from kzanalysis import chapters
from kzanalysis.chapters import split_variant_name
from kzanalysis.publish import index, switcher
from kzanalysis.publish.variants import NAME_RE


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("trade-KAZ", ("trade", "", "KAZ")),
        ("arms-CA5", ("arms", "", "CA5")),
        ("money-w3-KAZ", ("money", "w3", "KAZ")),
        ("arms-w3-y2005-CA5", ("arms", "w3-y2005", "CA5")),
        ("overview", ("overview", "", "")),
    ],
)
def test_one_rule_splits_chapter_label_and_group(name, parts):
    assert tuple(split_variant_name(name)) == parts
    chapter, label, group = parts
    # index, switcher and the registry all answer from the same rule
    assert index.split_name(name) == (chapter, group or "—")
    assert switcher.split(name) == (
        (f"{chapter}-{label}" if label else chapter, group) if group else (name, "")
    )
    registered = chapters.chapter_of_variant(name)
    assert (registered.name if registered else chapter) == chapter


def test_labelled_names_are_valid_config_names_and_find_their_chapter():
    assert NAME_RE.fullmatch("money-w3-KAZ") and NAME_RE.fullmatch("arms-w3-y2005-CA5")
    assert chapters.chapter_of_variant("money-w3-KAZ").name == "money"
    assert chapters.chapter_of_variant("arms-w3-y2005-CA5").name == "arms"
    assert split_variant_name("arms-w3-y2005-CA5").stem == "arms-w3-y2005"


def test_labelled_titles_split_into_chapter_and_country_without_the_parameters():
    title = "Arms imports — Central Asia (five states) (3-year windows)"
    assert index.split_title(title, "arms-w3-CA5") == ("Arms imports", "Central Asia (five states)")
    assert index.split_title("Arms imports — Kazakhstan", "arms-KAZ") == (
        "Arms imports",
        "Kazakhstan",
    )


CONFIG = [
    "overview-KAZ",
    "arms-KAZ",
    "arms-KGZ",
    "arms-w3-KAZ",
    "arms-w3-KGZ",
    "arms-w10-KAZ",
    "money-KAZ",
    "money-w3-KAZ",
    "trade-KAZ",
    "trade-y2005-KAZ",
]


def rows_of(current: str) -> list[tuple[str, list[str]]]:
    entries = switcher.sibling_entries(current, CONFIG, CONFIG)
    nav = switcher.switcher_html(current, entries)
    out = []
    for row in re.findall(r"<p>(.*?)</p>", nav):
        label = re.search(r'kz-switch-label">([^<]*):</span>', row).group(1)
        links = re.findall(r'href="([^"]+)\.html"|aria-current="page">', row)
        out.append((label, [x or "HERE" for x in links]))
    return out


def test_switcher_of_a_labelled_report_keeps_its_parameter_set():
    assert rows_of("arms-w3-KAZ") == [
        # the same chapter and parameter set elsewhere
        ("Arms imports (3-year windows) for", ["HERE", "arms-w3-KGZ"]),
        # other chapters here: the same label where they have it, else the plain report
        ("Kazakhstan in", ["overview-KAZ", "HERE", "money-w3-KAZ", "trade-KAZ"]),
        # the same chapter and country with its other parameter sets
        ("Arms imports for Kazakhstan with", ["arms-KAZ", "HERE", "arms-w10-KAZ"]),
    ]


def test_switcher_of_a_plain_report_links_plain_reports_and_its_parameter_sets():
    assert rows_of("arms-KAZ") == [
        ("Arms imports for", ["HERE", "arms-KGZ"]),
        ("Kazakhstan in", ["overview-KAZ", "HERE", "money-KAZ", "trade-KAZ"]),
        ("Arms imports for Kazakhstan with", ["HERE", "arms-w3-KAZ", "arms-w10-KAZ"]),
    ]
    nav = switcher.switcher_html("arms-KAZ", switcher.sibling_entries("arms-KAZ", CONFIG, CONFIG))
    assert ">default parameters</span>" in nav and ">10-year windows</a>" in nav


def test_switcher_reads_a_variants_file_once_per_version(tmp_path, monkeypatch):
    from kzanalysis.publish import variants

    config = tmp_path / "reports.yaml"
    config.write_text("chapter_variants: all\n")
    calls = []
    real = variants.load_variants
    monkeypatch.setattr(variants, "load_variants", lambda *a: calls.append(a) or real(*a))
    first = switcher.configured_names(config, None)
    assert switcher.configured_names(config, None) == first and len(calls) == 1
    config.write_text("chapter_variants: all\nvariants: []\n")  # a new version: read again
    assert switcher.configured_names(config, None) == first and len(calls) == 2
