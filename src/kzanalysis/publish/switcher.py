"""The switcher in each report's header: move between reports without going back.

Up to three rows of links. For ``arms-w3-KAZ`` (see
:func:`kzanalysis.chapters.split_variant_name` for the name rule):

1. the same chapter *and parameter set* for the other countries and groups ("Arms imports
   (3-year windows) for: Kazakhstan · Kyrgyzstan · … · Central Asia (five states)");
2. the other chapters for the same country or group ("Kazakhstan in: Data overview · EAEU
   trade · …"): each chapter's variant with the same parameter label where there is one,
   else its plain variant (a reader comparing 3-year windows stays with them where the
   other chapter has them, and otherwise still reaches that chapter);
3. the same chapter and country with its other parameter sets ("Arms imports for
   Kazakhstan with: default parameters · 3-year windows · 10-year windows"), only when
   the chapter has any.

A plain report (``arms-KAZ``) has the rows it always had, plus the third when its chapter
has parameter sets. The current report is named, not linked.

The siblings come from the build's configuration: the variants of the file that
declared the report (``reports.yaml`` with the chapter registry's default variants,
:func:`kzanalysis.publish.variants.load_variants`), in its order. A sibling is linked only
when its report file exists when the build starts or the same build produces it, so a
build of a few variants into an empty folder links no report that is not there. A
sibling that fails in this build keeps its last good report (stale) under the same name;
one that fails on its very first build has no report yet, only an error page, and its
link leads nowhere until it builds (the index names it).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from html import escape
from pathlib import Path
from typing import Any

from kzanalysis.chapters import split_variant_name
from kzanalysis.errors import KzAnalysisError
from kzanalysis.publish.grid import label_words


def split(name: str) -> tuple[str, str]:
    """``arms-CA5`` → ``("arms", "CA5")``, ``arms-w3-CA5`` → ``("arms-w3", "CA5")``: the
    name without its group (chapter and parameter label) and the country or group."""
    parts = split_variant_name(name)
    return (parts.stem, parts.group) if parts.group else (name, "")


def chapter_label(chapter: str) -> str:
    """The chapter's title in the registry (``trade`` → "EAEU trade"), else its name."""
    from kzanalysis import chapters

    try:
        return chapters.get(chapter).title
    except KzAnalysisError:
        return chapter


def group_label(group: str) -> str:
    """The group's label in the registry (``CA5`` → "Central Asia (five states)"), else the
    country's name (``AFG`` → "Afghanistan"), else the code."""
    from kzanalysis import chapters, countries

    labels = chapters.registry().groups
    if group in labels:
        return labels[group]
    try:
        return countries.name(group)
    except Exception:  # not an ISO3 code either: show what the name says
        return group


def entry(name: str) -> dict[str, str]:
    """One sibling as the header needs it: name, chapter, parameter label, group and their
    words."""
    parts = split_variant_name(name)
    return {
        "name": name,
        "chapter": parts.chapter,
        "label": parts.label,
        "group": parts.group,
        "chapter_label": chapter_label(parts.chapter),
        "label_words": label_words(parts.label),
        "group_label": group_label(parts.group),
    }


def _parts(e: Mapping[str, str]) -> tuple[str, str, str]:
    """(chapter, label, group) of an entry (entries recorded before labels: from its name)."""
    parts = split_variant_name(e["name"])
    return e.get("chapter", parts.chapter), e.get("label", parts.label), e.get("group", parts.group)


def _rows(
    current: str, entries: Sequence[Mapping[str, str]]
) -> tuple[list[Mapping[str, str]], list[Mapping[str, str]], list[Mapping[str, str]]]:
    """The three rows' entries: same chapter and label; same group (per chapter the same
    label, else the plain one); same chapter and group."""
    chapter, label, group = split_variant_name(current)
    same_set = [e for e in entries if _parts(e)[:2] == (chapter, label)]
    here = [e for e in entries if _parts(e)[2] == group]
    chosen: dict[str, Mapping[str, str]] = {}
    for e in here:
        other, other_label, _ = _parts(e)
        if other == chapter:
            if other_label == label:
                chosen[other] = e
        elif other_label == label or (other_label == "" and other not in chosen):
            chosen[other] = e
    same_group = [e for e in here if chosen.get(_parts(e)[0]) is e]
    same_place = [e for e in here if _parts(e)[0] == chapter]
    return same_set, same_group, same_place


def sibling_entries(
    current: str, configured: Sequence[str], available: Iterable[str]
) -> list[dict[str, str]]:
    """The reports the header of ``current`` links to (itself included, for its place).

    Args:
        current: The report's variant name.
        configured: Every variant of the build's configuration, in its order.
        available: Variants whose report will exist after the build (built now, or
            already in the reports folder).
    """
    linkable = set(available) | {current}
    names = [n for n in dict.fromkeys([*configured, current]) if n in linkable]
    entries = [entry(n) for n in names]
    wanted = {e["name"] for row in _rows(current, entries) for e in row}
    return [e for e in entries if e["name"] in wanted]


def configured_names(config: Path | None, nb_dir: Path | None) -> tuple[str, ...]:
    """The variant names of a variants file, in its order (none if it cannot be read).

    Read once per file version in a process: a build makes one job per variant, and a
    grid of hundreds would otherwise parse its file hundreds of times.
    """
    from kzanalysis.hashing import file_version

    try:
        version = file_version(config) if config is not None else None
    except OSError:
        version = None
    return _configured_names(config, nb_dir, version)


@functools.lru_cache(maxsize=8)
def _configured_names(
    config: Path | None, nb_dir: Path | None, version: tuple[int, ...] | None
) -> tuple[str, ...]:
    from kzanalysis.publish.variants import load_variants

    try:
        return tuple(v.name for v in load_variants(config, nb_dir))
    except KzAnalysisError:  # no configuration to read: the report alone
        return ()


def siblings(variant: Any, reports: Path, building: Iterable[str]) -> list[dict[str, str]]:
    """The switcher entries of ``variant`` (a :class:`~kzanalysis.publish.variants.Variant`)
    in a build writing to ``reports`` that builds the variants ``building``."""
    configured = list(configured_names(variant.config, variant.nb_dir))
    available = {n for n in configured if (reports / f"{n}.html").is_file()} | set(building)
    return sibling_entries(variant.name, configured, available)


def _row(label: str, links: list[tuple[str, str, bool]]) -> str:
    items = "".join(
        f'<span aria-current="page">{escape(text)}</span>'
        if current
        else f'<a href="{escape(name)}.html">{escape(text)}</a>'
        for text, name, current in links
    )
    return f'<p><span class="kz-switch-label">{escape(label)}:</span>{items}</p>'


def switcher_html(current: str, entries: Iterable[Mapping[str, str]]) -> str:
    """The switcher's HTML (``""`` when the report has no sibling)."""
    entries = list(entries)
    own = next((e for e in entries if e["name"] == current), None) or entry(current)
    label = split_variant_name(current).label
    own_set = own["chapter_label"] + (f" ({label_words(label)})" if label else "")
    same_set, same_group, same_place = _rows(current, entries)
    rows = []
    if len(same_set) > 1:
        rows.append(
            _row(
                f"{own_set} for",
                [(e["group_label"], e["name"], e["name"] == current) for e in same_set],
            )
        )
    if len(same_group) > 1:
        rows.append(
            _row(
                f"{own['group_label']} in",
                [(e["chapter_label"], e["name"], e["name"] == current) for e in same_group],
            )
        )
    if len(same_place) > 1:
        rows.append(
            _row(
                f"{own['chapter_label']} for {own['group_label']} with",
                [
                    (
                        e.get("label_words") or label_words(_parts(e)[1]),
                        e["name"],
                        e["name"] == current,
                    )
                    for e in same_place
                ],
            )
        )
    if not rows:
        return ""
    return f'<nav class="kz-switch" aria-label="Other reports">{"".join(rows)}</nav>'
