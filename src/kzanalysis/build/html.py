"""HTML for reports: nbconvert with the offline ``kzreport`` template, header, TOC, footer.

Reports are self-contained: CSS is inlined, images are embedded as data URIs,
and the template loads no JavaScript from a CDN (no require.js, MathJax or
mermaid), so a report opens offline. Formulas in markdown stay as TeX text.
The error page and the stale banner are plain HTML built here with escaping,
so they work even when nbconvert is what failed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

TEMPLATES_DIR = Path(__file__).resolve().parents[1] / "templates"
TEMPLATE_NAME = "kzreport"
TOC_MARK = "<!--kz-toc-->"
STALE_START, STALE_END = "<!--kz-stale-->", "<!--/kz-stale-->"
HEADING_RE = re.compile(r'<h([1-3]) id="([^"]+)"[^>]*>(.*?)</h\1>', re.S)
TAG_RE = re.compile(r"<[^>]+>")
REMOVE_TAGS = ("injected-parameters", "remove-cell")

CSS = """
.kz-header,.kz-footer,.kz-toc,.kz-banner{font-family:system-ui,sans-serif;max-width:60rem;
  margin:1rem auto;padding:.75rem 1rem;border-radius:6px}
.kz-header{background:#f3f5f8;border:1px solid #d6dbe3}
.kz-header .kz-title{font-size:1.6rem;font-weight:600;margin:0 0 .4rem}
.kz-header dl{display:grid;grid-template-columns:max-content auto;gap:.15rem 1rem;margin:0}
.kz-header dt{color:#555}.kz-header dd{margin:0}
.kz-toc{border:1px solid #d6dbe3}.kz-toc ul{margin:.2rem 0 .2rem 1.2rem;padding:0}
.kz-footer{border-top:2px solid #d6dbe3;font-size:.9rem}
.kz-footer table{border-collapse:collapse;width:100%}
.kz-footer td,.kz-footer th{border:1px solid #d6dbe3;padding:.3rem;vertical-align:top;
  text-align:left}
.kz-banner{background:#fff3cd;border:1px solid #e0c26a}
.kz-error{background:#fdecea;border:1px solid #e6a19a}
pre.kz-pre{background:#f6f6f6;padding:.6rem;overflow:auto;font-size:.85rem}
"""


@dataclass(frozen=True)
class ReportMeta:
    """What the header and footer of a report say."""

    name: str
    title: str
    notebook: str
    parameters: dict[str, Any]
    built_at: str
    commit: str
    datasets: tuple[dict[str, Any], ...] = ()
    catalog_note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _params_text(parameters: Mapping[str, Any]) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in parameters.items()) or "(none)"


def header_html(meta: ReportMeta) -> str:
    """The report header: title, parameters, build time, git commit, notebook."""
    rows = [
        ("Parameters", _params_text(meta.parameters)),
        ("Built", meta.built_at),
        ("Git commit", meta.commit),
        ("Notebook", meta.notebook),
        ("Variant", meta.name),
    ]
    items = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in rows)
    return (
        f'<header class="kz-header"><div class="kz-title">{escape(meta.title)}</div>'
        f'<dl>{items}</dl><p><a href="index.html">All reports</a></p></header>'
    )


def _source_html(src: Mapping[str, Any]) -> str:
    title = escape(str(src.get("title", "")))
    url = src.get("path") or src.get("url")
    if url:
        title = f'<a href="{escape(str(url))}">{title}</a>'
    return f"{escape(str(src.get('publisher', '')))}: {title}"


def footer_html(meta: ReportMeta) -> str:
    """The report footer: every dataset used, with source, edition and terms."""
    if not meta.datasets:
        note = meta.catalog_note or "This report uses no catalogued dataset."
        return f'<footer class="kz-footer"><h2>Data</h2><p>{escape(note)}</p></footer>'
    rows = []
    for res in meta.datasets:
        sources = res.get("sources") or [{}]
        for i, src in enumerate(sources):
            first = i == 0
            name = (
                f'<td rowspan="{len(sources)}"><code>{escape(str(res.get("name")))}</code><br>'
                f"{escape(str(res.get('title', '')))}</td>"
                if first
                else ""
            )
            rows.append(
                f"<tr>{name}<td>{_source_html(src)}</td>"
                f"<td>{escape(str(src.get('edition', '')))}</td>"
                f"<td>{escape(str(src.get('terms', '')))}</td></tr>"
            )
    return (
        '<footer class="kz-footer"><h2>Data used in this report</h2><table>'
        "<tr><th>Dataset</th><th>Source</th><th>Edition</th><th>Terms</th></tr>"
        + "".join(rows)
        + "</table></footer>"
    )


def toc_html(body: str) -> str:
    """A table of contents from the rendered h1–h3 headings (with their anchors)."""
    items = []
    for level, anchor, inner in HEADING_RE.findall(body):
        text = TAG_RE.sub("", inner).replace("¶", "").strip()
        if text:
            items.append((int(level), anchor, text))
    if not items:
        return ""
    top = min(level for level, _, _ in items)
    lis = "".join(
        f'<li style="margin-left:{(level - top) * 1.2}rem"><a href="#{escape(anchor)}">'
        f"{escape(text)}</a></li>"
        for level, anchor, text in items
    )
    return f'<nav class="kz-toc"><strong>Contents</strong><ul>{lis}</ul></nav>'


def exporter(show_code: bool) -> Any:
    """An nbconvert HTML exporter with the offline template; code hidden unless ``show_code``."""
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    cfg = Config()
    cfg.TagRemovePreprocessor.enabled = True
    cfg.TagRemovePreprocessor.remove_cell_tags = set(REMOVE_TAGS)
    cfg.TagRemovePreprocessor.remove_input_tags = {"remove-input"}
    cfg.TagRemovePreprocessor.remove_all_outputs_tags = {"remove-output"}
    if not show_code:  # the code-free report still shows nothing of the parameters cell
        cfg.TagRemovePreprocessor.remove_cell_tags = {*REMOVE_TAGS, "parameters"}
    exp = HTMLExporter(
        config=cfg,
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        exclude_input=not show_code,
        exclude_input_prompt=not show_code,
        exclude_output_prompt=True,
        embed_images=True,
    )
    return exp


def render_report(nb: Any, meta: ReportMeta, show_code: bool = False) -> str:
    """Convert an executed notebook into the self-contained HTML report."""
    nb.metadata["title"] = meta.title
    resources = {"kz": {"css": CSS, "header": header_html(meta), "footer": footer_html(meta)}}
    body, _ = exporter(show_code).from_notebook_node(nb, resources=resources)
    return body.replace(TOC_MARK, toc_html(body), 1)


def mark_stale(page: str, meta: ReportMeta, error_page: str, message: str) -> str:
    """Put (or replace) a banner at the top of a last-good report saying it is stale."""
    start, end = page.find(STALE_START), page.find(STALE_END)
    if start != -1 and end != -1:
        page = page[:start] + page[end + len(STALE_END) :]
    banner = (
        f'{STALE_START}<div class="kz-banner kz-stale"><strong>Stale report.</strong> '
        f"The build of {escape(meta.built_at)} failed ({escape(message)}); this is the last "
        f'good version. See the <a href="{escape(error_page)}">error page</a>.</div>{STALE_END}'
    )
    match = re.search(r"<body[^>]*>", page)
    at = match.end() if match else 0
    return page[:at] + banner + page[at:]


def render_error_page(
    meta: ReportMeta, outcome: Any, last_good: str | None, log: str | None = None
) -> str:
    """A standalone page for a failed build: what failed, the cell, the traceback, the log."""
    stale = (
        f'<p>The last good report is kept: <a href="{escape(last_good)}">{escape(last_good)}</a> '
        "(stale).</p>"
        if last_good
        else "<p>There is no earlier good report for this variant.</p>"
    )
    cell = (
        f"<h2>Failing cell [{outcome.cell}]</h2><pre class='kz-pre'>"
        f"{escape(outcome.cell_source)}</pre>"
        if outcome.cell_source
        else ""
    )
    tb = (
        f"<h2>Traceback</h2><pre class='kz-pre'>{escape(outcome.traceback)}</pre>"
        if outcome.traceback
        else ""
    )
    log_link = f'<p>Kernel messages: <a href="{escape(log)}">{escape(log)}</a></p>' if log else ""
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Build failed: {escape(meta.title)}</title><style>{CSS}</style></head><body>"
        f"{header_html(meta)}"
        f'<section class="kz-banner kz-error"><h1>Build failed: {escape(outcome.kind)}</h1>'
        f"<p>{escape(outcome.message)}</p>{stale}{log_link}</section>"
        f'<section class="kz-banner">{cell}{tb}</section></body></html>\n'
    )
