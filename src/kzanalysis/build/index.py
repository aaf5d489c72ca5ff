"""``reports/index.html``: every variant with its status, parameters, build time and data.

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

from kzanalysis.build.editions import (
    DEFAULT_MAX_DATA_AGE_DAYS,
    build_date,
    stale_editions,
    with_ages,
)
from kzanalysis.build.html import CSS
from kzanalysis.build.store import (
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


def index_row(
    reports: Path,
    name: str,
    title: str,
    record: dict[str, Any] | None,
    max_age_days: int = DEFAULT_MAX_DATA_AGE_DAYS,
) -> str:
    """One table row: link, status (with error page and stale link), parameters, time, data."""
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
    return (
        f"<tr><td>{link}<br><code>{escape(name)}</code></td><td>{status}</td>"
        f"<td>{escape(params)}</td><td>{escape(str(built))}</td>"
        f"<td>{data_cell(record, max_age_days)}</td></tr>"
    )


def render_index(
    reports: Path,
    variants: Iterable[tuple[str, str]],
    max_age_days: int = DEFAULT_MAX_DATA_AGE_DAYS,
) -> str:
    """The index page for ``(name, title)`` pairs in config order."""
    rows = "".join(
        index_row(reports, n, t, load_state(reports, n), max_age_days) for n, t in variants
    )
    changes = (
        f'<p>What the most recent data refresh changed: <a href="{CHANGES_NAME}">data '
        "changes</a> (written by <code>kzanalysis update</code>).</p>"
        if (reports / CHANGES_NAME).is_file()
        else ""
    )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>kzanalysis reports</title><style>{CSS}"
        "table.kz-index{border-collapse:collapse;margin:1rem auto;font-family:system-ui}"
        ".kz-index td,.kz-index th{border:1px solid #d6dbe3;padding:.4rem;text-align:left}"
        ".kz-ok{color:#1a7f37;font-weight:600}.kz-failed{color:#b42318;font-weight:600}"
        ".kz-stale-data{color:#9a6700;font-weight:600}"
        "</style></head><body>"
        '<header class="kz-header"><div class="kz-title">kzanalysis reports</div>'
        "<p>Built by <code>kzanalysis build</code> (<code>make reports</code>). "
        f"<em>Stale data</em>: a data edition older than {max_age_days} days when the report "
        f"was built.</p>{changes}</header>"
        '<table class="kz-index"><tr><th>Report</th><th>Status</th><th>Parameters</th>'
        f"<th>Built</th><th>Data editions</th></tr>{rows}</table></body></html>\n"
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
