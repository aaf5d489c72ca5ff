"""The switcher in each report's header: move between reports without going back.

Two rows of links: the same chapter for the other countries and groups that have a
variant ("Arms imports for: Kazakhstan · Kyrgyzstan · … · Central Asia (five states)"),
and the other chapters for the same country or group ("Kazakhstan in: Data overview ·
EAEU trade · …"). The current report is named, not linked.

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

from collections.abc import Iterable, Mapping, Sequence
from html import escape
from pathlib import Path
from typing import Any

from kzanalysis.errors import KzAnalysisError


def split(name: str) -> tuple[str, str]:
    """``arms-CA5`` → ``("arms", "CA5")``: the chapter and the country or group."""
    chapter, _, group = name.rpartition("-")
    return (chapter, group) if chapter else (name, "")


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
    """One sibling as the header needs it: name, chapter, group and their labels."""
    chapter, group = split(name)
    return {
        "name": name,
        "chapter": chapter,
        "group": group,
        "chapter_label": chapter_label(chapter),
        "group_label": group_label(group),
    }


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
    chapter, group = split(current)
    linkable = set(available) | {current}
    names = list(dict.fromkeys([*configured, current]))
    return [
        entry(n)
        for n in names
        if n in linkable and (split(n)[0] == chapter or split(n)[1] == group)
    ]


def siblings(variant: Any, reports: Path, building: Iterable[str]) -> list[dict[str, str]]:
    """The switcher entries of ``variant`` (a :class:`~kzanalysis.publish.variants.Variant`)
    in a build writing to ``reports`` that builds the variants ``building``."""
    from kzanalysis.publish.variants import load_variants

    try:
        configured = [v.name for v in load_variants(variant.config, variant.nb_dir)]
    except KzAnalysisError:  # no configuration to read: the report alone
        configured = []
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
    chapter, group = split(current)
    entries = list(entries)
    own = next((e for e in entries if e["name"] == current), None) or entry(current)
    same_chapter = [e for e in entries if e["chapter"] == chapter]
    same_group = [e for e in entries if e["group"] == group]
    rows = []
    if len(same_chapter) > 1:
        rows.append(
            _row(
                f"{own['chapter_label']} for",
                [(e["group_label"], e["name"], e["name"] == current) for e in same_chapter],
            )
        )
    if len(same_group) > 1:
        rows.append(
            _row(
                f"{own['group_label']} in",
                [(e["chapter_label"], e["name"], e["name"] == current) for e in same_group],
            )
        )
    if not rows:
        return ""
    return f'<nav class="kz-switch" aria-label="Other reports">{"".join(rows)}</nav>'
