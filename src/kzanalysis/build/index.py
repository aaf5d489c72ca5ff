"""``reports/index.html``: every variant with its status, parameters and build time.

Built from the state records alone (no notebook is read), so ``kzanalysis
index`` is instant. It is rewritten only when its content changes, so a no-op
build leaves the folder untouched.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from pathlib import Path
from typing import Any

from kzanalysis.build.html import CSS
from kzanalysis.build.store import (
    atomic_write_text,
    error_path,
    load_state,
    report_path,
)

INDEX_NAME = "index.html"


def _params(parameters: dict[str, Any] | None) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in (parameters or {}).items()) or "—"


def index_row(reports: Path, name: str, title: str, record: dict[str, Any] | None) -> str:
    """One table row: link, status (with error page and stale link), parameters, build time."""
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
        f"<td>{escape(params)}</td><td>{escape(str(built))}</td></tr>"
    )


def render_index(reports: Path, variants: Iterable[tuple[str, str]]) -> str:
    """The index page for ``(name, title)`` pairs in config order."""
    rows = "".join(index_row(reports, n, t, load_state(reports, n)) for n, t in variants)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>kzanalysis reports</title><style>{CSS}"
        "table.kz-index{border-collapse:collapse;margin:1rem auto;font-family:system-ui}"
        ".kz-index td,.kz-index th{border:1px solid #d6dbe3;padding:.4rem;text-align:left}"
        ".kz-ok{color:#1a7f37;font-weight:600}.kz-failed{color:#b42318;font-weight:600}"
        "</style></head><body>"
        '<header class="kz-header"><div class="kz-title">kzanalysis reports</div>'
        "<p>Built by <code>kzanalysis build</code> (<code>make reports</code>).</p></header>"
        '<table class="kz-index"><tr><th>Report</th><th>Status</th><th>Parameters</th>'
        f"<th>Built</th></tr>{rows}</table></body></html>\n"
    )


def write_index(reports: Path, variants: Iterable[tuple[str, str]]) -> bool:
    """Write ``index.html`` if its content changed; return True if it was written."""
    path = reports / INDEX_NAME
    page = render_index(reports, variants)
    if path.is_file() and path.read_text(encoding="utf-8") == page:
        return False
    atomic_write_text(path, page)
    return True
