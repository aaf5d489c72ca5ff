"""``reports/index.html``: every variant with its status, parameters, build time and data.

Variants are grouped by chapter (the name's prefix, ``trade`` in ``trade-KAZ``),
one section each, with a row per country or group (the suffix).

Built from the state records alone (no notebook is read), so ``kzanalysis
index`` is instant. It is rewritten only when its content changes, so a no-op
build leaves the folder untouched. The *Data* column lists the editions each
published report was built on with their age at build time, and flags *stale
data* when one is older than ``max_data_age_days`` (``--max-data-age-days``).
When ``kzanalysis update`` changed the data, the page links ``data-changes.html``.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from pathlib import Path
from typing import Any

from kzanalysis.publish.editions import (
    DEFAULT_MAX_DATA_AGE_DAYS,
    build_date,
    stale_editions,
    with_ages,
)
from kzanalysis.publish.html import CSS
from kzanalysis.publish.store import (
    atomic_write_text,
    error_path,
    load_state,
    report_path,
)

INDEX_NAME = "index.html"
CHANGES_NAME = "data-changes.html"


def _params(parameters: dict[str, Any] | None) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in (parameters or {}).items()) or "—"


def data_cell(record: dict[str, Any] | None, max_age_days: int) -> str:
    """The editions of the published report with their age at build time, and a stale flag."""
    if not record or not record.get("data_editions"):
        return "—"
    editions = with_ages(record["data_editions"], build_date(record.get("good_built_at")))
    items = "".join(
        f"<li><code>{escape(str(e.get('dataset')))}</code>: {escape(str(e.get('publisher')))}"
        f" — {escape(str(e.get('edition')))} "
        + (
            f"({escape(str(e['edition_date']))}, {e['age_days']} days old at build)"
            if e["age_days"] is not None
            else "(date unknown)"
        )
        + "</li>"
        for e in editions
    )
    ages = [e["age_days"] for e in editions if e["age_days"] is not None]
    oldest = f", oldest {max(ages)} days" if ages else ""
    old = stale_editions(editions, max_age_days)
    flag = (
        f' <span class="kz-stale-data" title="{len(old)} edition(s) older than '
        f'{max_age_days} days at build time">stale data</span>'
        if old
        else ""
    )
    return (
        f"<details><summary>{len(editions)} edition(s){oldest}{flag}</summary>"
        f"<ul>{items}</ul></details>"
    )


def split_name(name: str) -> tuple[str, str]:
    """``trade-KAZ`` → ``("trade", "KAZ")``: the chapter and the country or group."""
    chapter, _, group = name.partition("-")
    return chapter, group or "—"


def split_title(title: str, name: str) -> tuple[str, str]:
    """``"EAEU trade — Kazakhstan"`` → ``("EAEU trade", "Kazakhstan")``; else the name's parts."""
    chapter, group = split_name(name)
    head, sep, tail = title.partition(" — ")
    return (head.strip(), tail.strip()) if sep else (chapter, group)


def group_by_chapter(
    variants: Iterable[tuple[str, str]],
) -> list[tuple[str, str, list[tuple[str, str, str]]]]:
    """Variants grouped by chapter: registered chapters in registry order, then the others
    in config order.

    Returns ``[(chapter, chapter label, [(name, title, country label), ...]), ...]``;
    the label is the chapter's registry title, else the first variant's title before ``" — "``.
    """
    from kzanalysis import chapters

    order = {c.name: (i, c.title) for i, c in enumerate(chapters.chapters())}
    groups: dict[str, tuple[str, list[tuple[str, str, str]]]] = {}
    for name, title in variants:
        chapter, group = split_name(name)
        label, country = split_title(title, name)
        country = country if country == group else f"{country} ({group})"
        label = order[chapter][1] if chapter in order else label
        groups.setdefault(chapter, (label, []))[1].append((name, title, country))
    ranked = sorted(
        groups.items(), key=lambda item: order.get(item[0], (len(order), ""))[0]
    )  # stable: unregistered chapters keep their config order after the registered ones
    return [(chapter, label, rows) for chapter, (label, rows) in ranked]


def index_row(
    reports: Path,
    name: str,
    title: str,
    record: dict[str, Any] | None,
    max_age_days: int = DEFAULT_MAX_DATA_AGE_DAYS,
    country: str | None = None,
) -> str:
    """One row: country, link, status (with error page and stale link), parameters, time, data."""
    has_report = report_path(reports, name).is_file()
    link = f'<a href="{escape(name)}.html">{escape(title)}</a>' if has_report else escape(title)
    if record is None:
        status, params, built = "not built", "—", "—"
    elif record.get("status") == "ok":
        status = '<span class="kz-ok">ok</span>'
        params, built = _params(record.get("parameters")), record.get("built_at", "—")
    else:
        err = error_path(reports, name).name
        status = (
            f'<span class="kz-failed">failed</span> ({escape(str(record.get("error", "")))}) '
            f'<a href="{escape(err)}">error page</a>'
        )
        if has_report and record.get("good_built_at"):
            status += (
                f'; <a href="{escape(name)}.html">last good report</a> (stale, built '
                f"{escape(record['good_built_at'])})"
            )
        params, built = _params(record.get("parameters")), record.get("built_at", "—")
    where = escape(country if country is not None else split_name(name)[1])
    return (
        f'<tr><th scope="row">{where}</th><td>{link}<br><code>{escape(name)}</code></td>'
        f"<td>{status}</td><td>{escape(params)}</td><td>{escape(str(built))}</td>"
        f"<td>{data_cell(record, max_age_days)}</td></tr>"
    )


INDEX_CSS = """
.kz-page{max-width:76rem;margin:0 auto;padding:0 1rem;font-family:system-ui,sans-serif}
.kz-page .kz-header,.kz-page .kz-toc{max-width:none}
.kz-chapters{display:flex;flex-wrap:wrap;gap:.3rem 1.2rem;margin:.3rem 0 0;padding:0;
  list-style:none}
.kz-chapter{margin:1.6rem 0}.kz-chapter h2{margin:0 0 .4rem;font-size:1.3rem}
.kz-chapter h2 code{font-size:.9rem;color:var(--kz-muted);font-weight:400}
table.kz-index{border-collapse:collapse;width:100%}
.kz-index td,.kz-index th{border:1px solid var(--kz-line);padding:.4rem;text-align:left;
  vertical-align:top}
.kz-index thead th{background:var(--kz-soft)}.kz-index tbody th{white-space:nowrap}
.kz-ok{color:#1a7f37;font-weight:600}.kz-failed{color:#b42318;font-weight:600}
.kz-stale-data{color:#9a6700;font-weight:600}
@media print{.kz-toc{break-after:auto}.kz-chapter{break-inside:avoid-page}
  details{display:block}details>*{display:block}}
"""


def render_index(
    reports: Path,
    variants: Iterable[tuple[str, str]],
    max_age_days: int = DEFAULT_MAX_DATA_AGE_DAYS,
) -> str:
    """The index page for ``(name, title)`` pairs: one section per chapter, a row per country."""
    chapters = group_by_chapter(variants)
    sections, links = [], []
    for chapter, label, rows in chapters:
        anchor = f"chapter-{escape(chapter)}"
        body = "".join(
            index_row(reports, n, t, load_state(reports, n), max_age_days, country)
            for n, t, country in rows
        )
        links.append(f'<li><a href="#{anchor}">{escape(label)}</a> ({len(rows)})</li>')
        sections.append(
            f'<section class="kz-chapter" id="{anchor}"><h2>{escape(label)} '
            f"<code>{escape(chapter)}-…</code></h2>"
            '<table class="kz-index"><thead><tr><th>Country / group</th><th>Report</th>'
            "<th>Status</th><th>Parameters</th><th>Built</th><th>Data editions</th></tr>"
            f"</thead><tbody>{body}</tbody></table></section>"
        )
    changes = (
        f'<p>What the most recent data refresh changed: <a href="{CHANGES_NAME}">data '
        "changes</a> (written by <code>kzanalysis update</code>).</p>"
        if (reports / CHANGES_NAME).is_file()
        else ""
    )
    nav = (
        f'<nav class="kz-toc"><strong>Chapters</strong><ul class="kz-chapters">{"".join(links)}'
        "</ul></nav>"
        if links
        else ""
    )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>kzanalysis reports</title><style>{CSS}{INDEX_CSS}</style></head><body>"
        '<div class="kz-page"><header class="kz-header"><div class="kz-title">kzanalysis '
        "reports</div><p>One section per chapter, one row per country or group. Built by "
        "<code>kzanalysis build</code> (<code>make reports</code>). "
        f"<em>Stale data</em>: a data edition older than {max_age_days} days when the report "
        f"was built.</p>{changes}</header>{nav}{''.join(sections)}</div></body></html>\n"
    )


def write_index(
    reports: Path,
    variants: Iterable[tuple[str, str]],
    max_age_days: int = DEFAULT_MAX_DATA_AGE_DAYS,
) -> bool:
    """Write ``index.html`` if its content changed; return True if it was written."""
    path = reports / INDEX_NAME
    page = render_index(reports, variants, max_age_days)
    if path.is_file() and path.read_text(encoding="utf-8") == page:
        return False
    atomic_write_text(path, page)
    return True
