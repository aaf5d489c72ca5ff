"""HTML for reports: nbconvert with the offline ``kzreport`` template, header, TOC, footer.

Reports are self-contained: CSS is inlined, images are embedded as data URIs
(PNG figures recompressed to a palette, a third of their size), and the
template loads no JavaScript from a CDN (no require.js, MathJax or mermaid), so
a report opens offline. The only script is :data:`TABLE_JS`, inline: a filter
box and sortable columns for long tables. The header carries the actor colour
key (the colours of :mod:`kzanalysis.plotting`), and a print stylesheet drops
the interactive parts. Formulas in markdown stay as TeX text.
The error page and the stale banner are plain HTML built here with escaping,
so they work even when nbconvert is what failed.

Output caps: a cell keeps at most :data:`OUTPUT_CAP_CHARS` characters of stream
output (stdout and stderr together: the first ones, then a visible note
``[output truncated: 19.8 MB not shown …]``, then the last :data:`TAIL_CHARS`), and
each text output (``text/plain``, ``text/html`` …) at most as many. The executing client applies the
caps as output arrives (:class:`OutputCap`, so the executed notebook in
``reports/.build/executed/`` stays small too), and :func:`render_report` again
(:func:`cap_notebook_outputs`). A cell printing 200 MB thus fails neither the build
machine nor the reader; the whole report is then held to ``max_report_mb``
(:mod:`kzanalysis.publish.execute`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape, unescape
from pathlib import Path
from typing import Any

TEMPLATES_DIR = Path(__file__).resolve().parents[1] / "templates"
TEMPLATE_NAME = "kzreport"
TOC_MARK = "<!--kz-toc-->"
STALE_START, STALE_END = "<!--kz-stale-->", "<!--/kz-stale-->"
HEADING_RE = re.compile(r'<h([1-3]) id="([^"]+)"[^>]*>(.*?)</h\1>', re.S)
TAG_RE = re.compile(r"<[^>]+>")
REMOVE_TAGS = ("injected-parameters", "remove-cell")

#: Tables with at least this many body rows get a filter box and sortable columns.
SORTABLE_MIN_ROWS = 12
#: Characters of stream output a cell keeps (and of each text output); the rest is cut.
OUTPUT_CAP_CHARS = 200_000
#: After the note, the last characters of a cut stream are kept too (how it ended).
TAIL_CHARS = 2_000
#: An error's value (its message) is cut to this many characters.
ERROR_VALUE_CAP_CHARS = 10_000
#: Room for the note and the tail: output within the cap plus this much is left alone.
NOTE_SLACK_CHARS = TAIL_CHARS + 1_000
NOTE_START = "[output truncated: "

BASE_CSS = """
:root{--kz-ink:#1f2328;--kz-muted:#57606a;--kz-line:#d6dbe3;--kz-soft:#f3f5f8;
  --kz-accent:#0b5cad;--kz-bg:#fff}
body{color:var(--kz-ink)}
.kz-header,.kz-footer,.kz-toc,.kz-banner{font-family:system-ui,sans-serif;max-width:60rem;
  margin:1rem auto;padding:.75rem 1rem;border-radius:6px;line-height:1.45}
.kz-header{background:var(--kz-soft);border:1px solid var(--kz-line);
  border-top:4px solid var(--kz-accent)}
.kz-header .kz-kicker{color:var(--kz-muted);font-size:.85rem;text-transform:uppercase;
  letter-spacing:.05em;margin:0}
.kz-header .kz-title{font-size:1.7rem;font-weight:650;margin:.1rem 0 .5rem;line-height:1.2}
.kz-header dl{display:grid;grid-template-columns:max-content auto;gap:.15rem 1rem;margin:0}
.kz-header dt{color:var(--kz-muted)}.kz-header dd{margin:0;overflow-wrap:anywhere}
.kz-header a,.kz-toc a,.kz-footer a{color:var(--kz-accent)}
.kz-actors{display:flex;flex-wrap:wrap;gap:.3rem .9rem;margin:.5rem 0 0;padding:0;
  list-style:none;font-size:.9rem}
.kz-actors li{display:flex;align-items:center;gap:.3rem}
.kz-swatch{display:inline-block;width:.9rem;height:.9rem;border-radius:2px;
  background:var(--kz-c);print-color-adjust:exact;-webkit-print-color-adjust:exact}
.kz-toc{border:1px solid var(--kz-line)}.kz-toc ul{margin:.3rem 0 .2rem 0;padding:0;
  list-style:none}.kz-toc li{margin:.15rem 0}.kz-toc a{text-decoration:none}
.kz-toc a:hover{text-decoration:underline}
.kz-footer{border-top:2px solid var(--kz-line);font-size:.9rem}
.kz-footer table{border-collapse:collapse;width:100%;table-layout:fixed}
.kz-footer td{overflow-wrap:break-word}
.kz-repro{margin:.5rem 0 0;font-size:.9rem}.kz-repro summary{cursor:pointer;color:var(--kz-muted)}
.kz-repro ul{margin:.2rem 0;padding-left:1.2rem;overflow-wrap:anywhere}
.kz-footer td,.kz-footer th{border:1px solid var(--kz-line);padding:.3rem;vertical-align:top;
  text-align:left}
.kz-banner{background:#fff3cd;border:1px solid #e0c26a}
.kz-error{background:#fdecea;border:1px solid #e6a19a}
pre.kz-pre{background:#f6f6f6;padding:.6rem;overflow:auto;font-size:.85rem}
main{max-width:62rem;margin:0 auto}
main h1,main h2,main h3{scroll-margin-top:1rem}
.jp-RenderedImage img,.jp-RenderedSVG img{max-width:100%;height:auto}
.jp-RenderedHTMLCommon{overflow-x:auto}
.kz-table-tools{display:flex;align-items:center;gap:.6rem;margin:.4rem 0;
  font-family:system-ui,sans-serif;font-size:.85rem;color:var(--kz-muted)}
.kz-table-tools input{font:inherit;padding:.2rem .4rem;border:1px solid var(--kz-line);
  border-radius:4px;min-width:14rem}
th.kz-sort{cursor:pointer;user-select:none;white-space:nowrap}
th.kz-sort::after{content:" \\2195";color:#aab}
th.kz-sort[aria-sort=ascending]::after{content:" \\25B2";color:var(--kz-ink)}
th.kz-sort[aria-sort=descending]::after{content:" \\25BC";color:var(--kz-ink)}
table.kz-enhanced tbody tr:nth-child(even){background:#f8f9fb}
"""

#: The report page's own header (compact, so the Key findings lie on the first screen),
#: the switcher, the folded boxes and the table of contents after the findings.
REPORT_CSS = """
.kz-report-header{padding:.55rem 1rem .6rem;margin-top:.6rem}
.kz-report-header .kz-kicker{font-size:.78rem}
.kz-report-header .kz-kicker a{text-transform:none;letter-spacing:0}
.kz-report-header .kz-title{font-size:1.45rem;margin:.05rem 0 .15rem}
.kz-report-header p{margin:.1rem 0}
.kz-params{font-size:.92rem;overflow-wrap:anywhere}
.kz-switch{font-size:.85rem;margin:.25rem 0 0}
.kz-switch p{display:flex;flex-wrap:wrap;gap:0 .15rem;align-items:baseline}
.kz-switch .kz-switch-label{color:var(--kz-muted);margin-right:.35rem}
.kz-switch a,.kz-switch [aria-current]{padding:0 .35rem;border-radius:3px;white-space:nowrap}
.kz-switch [aria-current]{font-weight:650;background:var(--kz-line);color:var(--kz-ink)}
.kz-meta{display:flex;flex-wrap:wrap;align-items:center;gap:.25rem 1rem;font-size:.85rem;
  margin-top:.3rem}
.kz-meta .kz-built{color:var(--kz-muted)}
.kz-report-header .kz-actors{margin:0;font-size:.85rem}
.kz-folds{display:contents}
.kz-folds details{margin:0}
.kz-folds details[open]{flex-basis:100%;order:1;margin:.2rem 0}
.kz-folds summary{cursor:pointer;color:var(--kz-accent)}
.kz-repro dl{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.1rem 1rem;
  margin:.3rem 0}
.kz-repro dt{color:var(--kz-muted)}.kz-repro dd{margin:0;overflow-wrap:anywhere}
.kz-cite p{margin:.3rem 0}
pre.kz-bib{background:var(--kz-bg);border:1px solid var(--kz-line);border-radius:4px;
  padding:.5rem;margin:.2rem 0;white-space:pre-wrap;overflow-wrap:anywhere;font-size:.8rem}
nav.kz-toc{font-size:.92rem;margin:1rem 0}
nav.kz-toc ul{columns:2 18rem;column-gap:2rem}
nav.kz-toc li{break-inside:avoid}
html,body{max-width:100%}
.jp-Cell.jp-mod-noInput.jp-mod-noOutputs{display:none}
.jp-RenderedMarkdown h1:first-child{margin-top:.4rem;font-size:1.75rem}
.jp-OutputArea-output>.kz-el.kz-findings{margin-top:.5rem}
main{padding:0 .75rem;box-sizing:border-box}
.kz-el,.kz-scroll,.jp-OutputArea-output{min-width:0;max-width:100%}
figure.kz-figure svg{background:#fff}
.jp-InputArea-editor{--jp-cell-editor-background:#fff;--jp-mirror-editor-variable-color:#1f2328;
  border:1px solid var(--kz-line);border-radius:4px}
@media (max-width:40rem){
  .kz-report-header .kz-title{font-size:1.2rem}
  .kz-header,.kz-footer,.kz-toc,.kz-banner{margin:.5rem 0}
  html body{margin:0;padding:.3rem}
  main{padding:0 .3rem}
  .jp-RenderedMarkdown h1:first-child{font-size:1.4rem}
  .jp-RenderedMarkdown h2{font-size:1.2rem}
  .jp-Cell{padding:0!important}
  .jp-RenderedHTMLCommon{padding-right:0!important}
}
"""

#: Dark page when the reader's system asks for it (screen only: print stays light).
#: JupyterLab's light theme variables are set on ``body`` (they are declared on
#: ``:root`` after this stylesheet, so ``:root`` here would lose); figures keep a light
#: card, since their SVG is drawn for a white page.
DARK_CSS = """
@media screen and (prefers-color-scheme:dark){
  html body{color-scheme:dark;
    --kz-ink:#e6edf3;--kz-muted:#a4adb8;--kz-line:#3d444d;--kz-soft:#161b22;
    --kz-accent:#79b8ff;--kz-bg:#0d1117;
    --jp-layout-color0:#0d1117;--jp-layout-color1:#0d1117;--jp-layout-color2:#161b22;
    --jp-layout-color3:#30363d;--jp-layout-color4:#484f58;
    --jp-ui-font-color0:#f0f6fc;--jp-ui-font-color1:#e6edf3;--jp-ui-font-color2:#c9d1d9;
    --jp-ui-font-color3:#a4adb8;--jp-content-font-color0:#f0f6fc;
    --jp-content-font-color1:#e6edf3;--jp-content-font-color2:#c9d1d9;
    --jp-content-font-color3:#a4adb8;--jp-content-link-color:#79b8ff;
    --jp-border-color0:#484f58;--jp-border-color1:#3d444d;--jp-border-color2:#30363d;
    --jp-border-color3:#21262d;--jp-cell-editor-background:#161b22;
    --jp-rendermime-table-row-background:#161b22;
    --jp-rendermime-table-row-hover-background:#1f2a37;
    --jp-rendermime-error-background:#3b1212;--jp-inverse-layout-color0:#f0f6fc;
    background:#0d1117;color:#e6edf3}
  .kz-banner{background:#3b2e00;border-color:#7a5c00;color:#f6e7b8}
  .kz-banner a{color:#ffd666}
  .kz-error{background:#3b1212;border-color:#8e3a33;color:#ffdcd7}
  pre.kz-pre{background:#161b22;color:#e6edf3}
  table.kz-enhanced tbody tr:nth-child(even){background:#161b22}
  .jp-RenderedHTMLCommon tbody tr:nth-child(odd){background:var(--jp-layout-color0)}
  .kz-table-tools input{background:#0d1117;color:#e6edf3}
  .jp-InputArea-editor{color-scheme:light;color:#1f2328}
  html body .jp-InputPrompt,html body .jp-OutputPrompt{--jp-cell-inprompt-font-color:#a4adb8;
    --jp-cell-outprompt-font-color:#a4adb8;--jp-cell-prompt-not-active-font-color:#a4adb8;
    color:#a4adb8}
  figure.kz-figure svg,.jp-RenderedImage img,.jp-RenderedSVG img,.jp-RenderedSVG svg{
    background:#fff;border-radius:6px;padding:.4rem;box-sizing:border-box}
}
"""

PRINT_CSS = """
@media print{
  @page{margin:1.6cm 1.4cm}
  html body{background:#fff;color:#000;font-size:10.5pt;overflow:visible}
  main{max-width:none;padding:0}
  .kz-header{background:none;border:0;border-bottom:2px solid #000;border-radius:0;padding:0}
  .kz-toc{border:0;padding:0}
  .kz-table-tools,.kz-header p.kz-nav,.kz-switch,.kz-folds,.kz-repro,.kz-cite,
  details.kz-fold>summary,.kz-el>.kz-preview,.kz-download,.kz-actions{display:none!important}
  details::details-content{content-visibility:visible;display:block}
  details>summary{list-style:none}
  .kz-scroll,.jp-RenderedHTMLCommon,.jp-OutputArea-output,.jp-OutputArea,.jp-Cell,
  .jp-OutputArea-child,.jp-Notebook{overflow:visible!important;max-height:none!important}
  html .kz-el table.kz-data{font-size:7.5pt;max-width:100%}
  html .kz-el table.kz-data:has(thead th:nth-child(7)){font-size:6.5pt;table-layout:fixed;
    width:100%}
  html .kz-el table.kz-data:has(thead th:nth-child(7)) :is(td,th){
    overflow-wrap:anywhere!important}
  html .kz-el table.kz-data th,html .kz-el table.kz-data td,th.kz-sort{max-width:none;
    padding:.1rem .25rem;white-space:normal!important;overflow-wrap:break-word!important}
  html .kz-el table.kz-data td.kz-num{white-space:nowrap!important}
  table.kz-enhanced tbody tr[hidden]{display:table-row}
  th.kz-sort::after{content:none}
  a{color:inherit;text-decoration:none}
  h1,h2,h3,.kz-title{break-after:avoid}
  tr,img,svg,figure,.kz-figure,.kz-findings,.kz-verdicts{break-inside:avoid}
  .jp-RenderedImage img{max-width:100%!important}
  .kz-footer{break-before:page}
}
"""


def actor_css(colours: Mapping[str, str]) -> str:
    """CSS variables ``--kz-<actor>`` with the figures' fixed actor colours."""
    names = ";".join(f"--kz-{_slug(actor)}:{colour}" for actor, colour in colours.items())
    return f":root{{{names}}}\n"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _actor_colours() -> dict[str, str]:
    from kzanalysis.plotting import ACTOR_COLORS  # no heavy import at module level there

    return dict(ACTOR_COLORS)


def elements_css() -> str:
    """The report elements' stylesheet (imported when a report is rendered, not when a
    no-op build imports this module)."""
    from kzanalysis.report.css import CSS as ELEMENTS_CSS

    return ELEMENTS_CSS


CSS = actor_css(_actor_colours()) + BASE_CSS + REPORT_CSS + DARK_CSS + PRINT_CSS

#: Filter box and sortable columns for long output tables (and ``table.kz-sortable``);
#: ``table.kz-plain`` opts out. Inline, no library, no network; cell content is never
#: rewritten, rows are only hidden or reordered.
TABLE_JS = """
(function () {
  "use strict";
  var MIN_ROWS = __MIN_ROWS__;
  function text(cell) { return cell ? (cell.textContent || "").trim() : ""; }
  function number(value) {
    var t = value.replace(/[\\s,%$\\u00a0]/g, "").replace(/\\u2212/g, "-");
    if (t === "" || t === "-" || t === "\\u2013" || t === "\\u2014" ||
        /^(nan|none|<na>|nat)$/i.test(t)) {
      return null;
    }
    var n = Number(t);
    return isFinite(n) ? n : undefined;
  }
  function headerRow(table, width) {
    if (!table.tHead) { return null; }
    for (var i = table.tHead.rows.length - 1; i >= 0; i--) {
      var row = table.tHead.rows[i];
      var spans = Array.prototype.some.call(row.cells, function (c) { return c.colSpan > 1; });
      if (row.cells.length === width && !spans) { return row; }
    }
    return null;
  }
  function enhance(table) {
    var body = table.tBodies[0];
    if (!body || table.classList.contains("kz-plain")) { return; }
    var rows = Array.prototype.slice.call(body.rows);
    if (!table.classList.contains("kz-sortable") && rows.length < MIN_ROWS) { return; }
    table.classList.add("kz-enhanced");
    var tools = document.createElement("div");
    tools.className = "kz-table-tools";
    var input = document.createElement("input");
    input.type = "search";
    input.placeholder = "Filter rows\\u2026";
    input.setAttribute("aria-label", "Filter the rows of this table");
    var count = document.createElement("span");
    count.className = "kz-table-count";
    tools.appendChild(input);
    tools.appendChild(count);
    table.parentNode.insertBefore(tools, table);
    function filter() {
      var query = input.value.toLowerCase(), shown = 0;
      rows.forEach(function (row) {
        var keep = !query || row.textContent.toLowerCase().indexOf(query) !== -1;
        row.hidden = !keep;
        if (keep) { shown++; }
      });
      count.textContent = shown + " of " + rows.length + " rows";
    }
    input.addEventListener("input", filter);
    filter();
    var spanned = rows.some(function (row) {
      return Array.prototype.some.call(row.cells, function (c) { return c.rowSpan > 1; });
    });
    var head = spanned || !rows.length ? null : headerRow(table, rows[0].cells.length);
    if (!head) { return; }
    Array.prototype.forEach.call(head.cells, function (th, col) {
      th.classList.add("kz-sort");
      th.tabIndex = 0;
      th.title = "Sort by this column";
      function sort() {
        var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
        Array.prototype.forEach.call(head.cells, function (c) { c.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
        var keyed = rows.map(function (row, i) {
          var t = text(row.cells[col]);
          return {row: row, text: t, num: number(t), i: i};
        });
        var numeric = keyed.every(function (k) { return k.num !== undefined; });
        keyed.sort(function (a, b) {
          if (numeric) {
            if (a.num === null || b.num === null) {
              return a.num === b.num ? a.i - b.i : (a.num === null ? 1 : -1);
            }
            return (a.num - b.num) * dir || a.i - b.i;
          }
          return a.text.localeCompare(b.text, undefined, {numeric: true}) * dir || a.i - b.i;
        });
        keyed.forEach(function (k) { body.appendChild(k.row); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); }
      });
    });
  }
  function start() {
    var tables = document.querySelectorAll(".jp-OutputArea-output table, table.kz-sortable");
    Array.prototype.forEach.call(tables, enhance);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
""".replace("__MIN_ROWS__", str(SORTABLE_MIN_ROWS))


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


#: Parameters shown first in the header (the variant's country or group).
_PLACE_PARAMETERS = ("country", "recipient", "reporter")
_CODE_RE = re.compile(r"^[A-Z][A-Z0-9]{2,4}$")  # ISO3 and group codes (EU27, CA5)


def _param_value(name: str, value: Any) -> str:
    """One parameter value in words: country names for codes, "latest" for an open end."""
    if value is None:
        return "latest" if name.endswith("year") else "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(_param_value(name, v) for v in value) or "none"
    if isinstance(value, dict):  # a group named for its only member reads as its name
        words = {str(k): _param_value(name, v) for k, v in value.items()}
        return "; ".join(k if w == k else f"{k}: {w}" for k, w in words.items()) or "none"
    if isinstance(value, str):
        from kzanalysis.params import value_label

        label = value_label(name, value)
        if label is not None:
            return label
    if isinstance(value, str) and _CODE_RE.match(value):
        from kzanalysis.report import country_name

        return country_name(value)
    return str(value).replace("_", " ")


def params_text(parameters: Mapping[str, Any]) -> str:
    """The parameters in words for the header: "Country: Kazakhstan · Years: 1992–latest"."""
    params = dict(parameters)
    first = [
        f"{k.capitalize()}: {_param_value(k, params.pop(k))}"
        for k in _PLACE_PARAMETERS
        if k in params
    ]
    if "start_year" in params and "end_year" in params:
        start, end = params.pop("start_year"), params.pop("end_year")
        first.append(f"Years: {_param_value('start_year', start)}–{_param_value('end_year', end)}")
    rest = [f"{k.replace('_', ' ').capitalize()}: {_param_value(k, v)}" for k, v in params.items()]
    return " · ".join(first + rest) or "no parameters"


def reproduce_html(meta: ReportMeta) -> str:
    """The folded "Reproduce this report" box: command, commit, notebook, data checksums."""
    sums = "".join(
        f"<li><code>{escape(str(r.get('name')))}</code> "
        f"<code>{escape(str(r.get('hash', '')))}</code></li>"
        for r in meta.datasets
        if r.get("hash")
    )
    return (
        '<details class="kz-repro"><summary>Reproduce this report</summary><dl>'
        f"<dt>Command</dt><dd><code>kzanalysis build {escape(meta.name)}</code></dd>"
        f"<dt>Git commit</dt><dd>{escape(meta.commit)}</dd>"
        f"<dt>Notebook</dt><dd>{escape(meta.notebook)}</dd>"
        f"<dt>Variant</dt><dd>{escape(meta.name)}</dd></dl>"
        + (f"<p>Data checksums (sha256):</p><ul>{sums}</ul>" if sums else "")
        + "</details>"
    )


def cite_html(meta: ReportMeta) -> str:
    """The folded "Cite this report" box: plain text and BibTeX
    (:func:`kzanalysis.citation.report_citation`); empty if ``CITATION.cff`` is unusable."""
    from kzanalysis.citation import CitationError, report_citation

    try:
        cite = report_citation(meta.title, meta.name, meta.commit, meta.built_at)
    except CitationError:
        return ""
    return (
        '<details class="kz-cite"><summary>Cite this report</summary>'
        f'<p class="kz-cite-text">{escape(cite.text)}</p><p>BibTeX:</p>'
        f'<pre class="kz-bib">{escape(cite.bibtex)}</pre></details>'
    )


def header_html(meta: ReportMeta) -> str:
    """The report header, compact so that the Key findings lie on the first screen: title,
    the parameters in words on one line, the switcher to the sibling reports
    (``meta.extra["siblings"]``, see :mod:`kzanalysis.publish.switcher`), build time and
    colour key, and the folded "Reproduce this report" and "Cite this report" boxes."""
    from kzanalysis.publish.switcher import switcher_html

    return (
        '<header class="kz-header kz-report-header"><p class="kz-kicker">kzanalysis report · '
        f'{escape(meta.name)} · <a href="index.html">All reports</a></p>'
        f'<div class="kz-title">{escape(meta.title)}</div>'
        f'<p class="kz-params">{escape(params_text(meta.parameters))}</p>'
        f"{switcher_html(meta.name, meta.extra.get('siblings') or ())}"
        f'<div class="kz-meta"><span class="kz-built">Built {escape(meta.built_at)}</span>'
        f"{actor_key_html(_actor_colours())}"
        f'<div class="kz-folds">{reproduce_html(meta)}{cite_html(meta)}</div></div></header>'
    )


def actor_key_html(colours: Mapping[str, str]) -> str:
    """The colour key: every actor with the colour it has in all figures."""
    items = "".join(
        f'<li><span class="kz-swatch" style="--kz-c:var(--kz-{_slug(actor)})"></span>'
        f"{escape(actor)}</li>"
        for actor in colours
    )
    return f'<ul class="kz-actors" aria-label="Actor colours in the figures">{items}</ul>'


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
                f'<td rowspan="{len(sources)}">{escape(str(res.get("title", "")))}<br>'
                f"<small>file <code>{escape(str(res.get('name')))}</code></small></td>"
                if first
                else ""
            )
            rows.append(
                f"<tr>{name}<td>{_source_html(src)}</td>"
                f"<td>{escape(str(src.get('edition', '')))}</td>"
                f"<td>{escape(str(src.get('terms', '')))}</td></tr>"
            )
    return (
        '<footer class="kz-footer"><details><summary>Data files behind this report '
        f"({len(meta.datasets)} curated tables: sources, editions, terms)</summary><table>"
        "<tr><th>Dataset</th><th>Source</th><th>Edition</th><th>Terms</th></tr>"
        + "".join(rows)
        + "</table></details></footer>"
    )


def toc_html(body: str) -> str:
    """A table of contents from the rendered h1–h3 headings (with their anchors)."""
    items = []
    for level, anchor, inner in HEADING_RE.findall(body):
        # the template writes characters as references (``&#8212;``, the ``&#182;`` anchor
        # link): read them as text, then escape once for the list
        text = unescape(TAG_RE.sub("", inner)).replace("¶", "").strip()
        if text:
            items.append((int(level), unescape(anchor), text))
    if not items:
        return ""
    top = min(level for level, _, _ in items)
    lis = "".join(
        f'<li style="margin-left:{(level - top) * 1.2}rem"><a href="#{escape(anchor)}">'
        f"{escape(text)}</a></li>"
        for level, anchor, text in items
    )
    return f'<nav class="kz-toc"><strong>Contents</strong><ul>{lis}</ul></nav>'


def compress_png(data: bytes, max_colours: int = 256) -> bytes:
    """A smaller PNG of a chart: flattened on white, adaptive palette, optimised.

    Returns the original bytes when the result would not be smaller or the
    image cannot be read (never fails a report over a figure).
    """
    import io

    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            rgba = image.convert("RGBA")
        flat = Image.new("RGBA", rgba.size, "white")
        flat.alpha_composite(rgba)
        small = flat.convert("RGB").quantize(colors=max_colours, dither=Image.Dither.NONE)
        out = io.BytesIO()
        # zlib level 7: 6x faster than optimize=True (level 9), files about 5 % larger
        small.save(out, "PNG", compress_level=7)
    except (OSError, ValueError):
        return data
    return out.getvalue() if out.tell() < len(data) else data


def compress_notebook_images(nb: Any) -> int:
    """Recompress every PNG output of ``nb`` in place; return the bytes saved."""
    import base64

    saved = 0
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            text = data.get("image/png")
            if not text:
                continue
            raw = base64.b64decode(text if isinstance(text, str) else "".join(text))
            smaller = compress_png(raw)
            if len(smaller) < len(raw):
                data["image/png"] = base64.b64encode(smaller).decode("ascii")
                saved += len(raw) - len(smaller)
    return saved


def size_text(chars: int) -> str:
    """``19.8 MB`` (10^6 characters, about bytes for text), ``45 kB`` below 0.1 MB."""
    return f"{chars / 1e6:.1f} MB" if chars >= 100_000 else f"{max(1, round(chars / 1e3))} kB"


def truncation_note(dropped: int, cap: int = OUTPUT_CAP_CHARS) -> str:
    """The visible note that replaces cut output."""
    return (
        f"\n{NOTE_START}{size_text(dropped)} not shown; a cell keeps the first "
        f"{size_text(cap)} of its output and how it ended]\n"
    )


def output_text(value: Any) -> str:
    """An output's text (a string, or the list of lines a notebook file may hold)."""
    return "".join(value) if isinstance(value, list) else str(value)


def cap_data(output: Any, cap: int = OUTPUT_CAP_CHARS) -> int:
    """Cut an ``execute_result``/``display_data``/``error`` output in place; return chars cut.

    A ``text/plain`` value longer than ``cap`` keeps its start and gets the note; any
    other text value (``text/html``, ``text/markdown``, ``image/svg+xml`` …) that long is
    dropped, since cut markup would not render, and ``text/plain`` says so. An error's
    value and traceback are cut the same way.
    """
    dropped = 0
    if output.get("output_type") == "error":
        value = output_text(output.get("evalue", ""))
        if len(value) > ERROR_VALUE_CAP_CHARS:
            output["evalue"] = value[:ERROR_VALUE_CAP_CHARS] + " …"
            dropped += len(value) - ERROR_VALUE_CAP_CHARS
        lines, kept, cut = [], 0, 0
        for line in output.get("traceback") or []:
            line = output_text(line)
            room = cap - kept
            if room <= 0:
                cut += len(line)
                continue
            lines.append(line[:room])
            cut += max(0, len(line) - room)
            kept += min(len(line), room)
        if cut:
            output["traceback"] = [*lines, truncation_note(cut, cap)]
            dropped += cut
        return dropped
    data = output.get("data")
    if not isinstance(data, dict):
        return 0
    for mime in list(data):
        value = data[mime]
        if not (mime.startswith("text/") or mime == "image/svg+xml"):
            continue
        if not isinstance(value, str | list):
            continue
        text = output_text(value)
        if len(text) <= cap + NOTE_SLACK_CHARS:
            continue
        if mime == "text/plain":
            data[mime] = text[:cap] + truncation_note(len(text) - cap, cap)
        else:
            del data[mime]
        dropped += len(text) - (cap if mime == "text/plain" else 0)
    if dropped and "text/plain" not in data:
        data["text/plain"] = truncation_note(dropped, cap).strip()
    return dropped


class OutputCap:
    """Caps one cell's outputs as they arrive (the executing client keeps one per cell).

    Stream output is kept until the cell has :data:`OUTPUT_CAP_CHARS` characters of it;
    then comes the note (how much was cut) and, last, the final :data:`TAIL_CHARS`
    characters of what followed, updated as more arrives.
    """

    def __init__(self, cap: int = OUTPUT_CAP_CHARS, tail: int = TAIL_CHARS) -> None:
        """A fresh cap: nothing kept yet."""
        self.cap = cap
        self.tail_chars = tail
        self.kept = 0
        self.past = 0  # stream characters beyond the cap, tail included
        self.dropped = 0  # characters cut (streams and text outputs)
        self.data_dropped = 0
        self.note: Any = None
        self.tail: Any = None

    def add(self, outputs: list[Any], output: Any) -> Any:
        """Apply the cap to ``output``, just appended to ``outputs``; return it, or None if
        it was dropped (removed from ``outputs``)."""
        if output.get("output_type") != "stream":
            cut = cap_data(output, self.cap)
            self.data_dropped += cut
            self.dropped += cut
            return output
        text = output_text(output.get("text", ""))
        if self.note is None and self.kept + len(text) <= self.cap:
            self.kept += len(text)
            return output
        room = max(0, self.cap - self.kept)
        self.kept += room
        self.past += len(text) - room
        if room:
            output["text"] = text[:room]
        elif outputs and outputs[-1] is output:
            outputs.pop()
        if self.note is None:
            make = type(output)
            self.note = make(output_type="stream", name="stderr", text="")
            self.tail = make(output_type="stream", name=output.get("name", "stdout"), text="")
            outputs.extend([self.note, self.tail])
        self.tail["text"] = (self.tail["text"] + text[room:])[-self.tail_chars :]
        self.dropped = self.data_dropped + self.past - len(self.tail["text"])
        self.note["text"] = truncation_note(self.past - len(self.tail["text"]), self.cap)
        return output if room else None


def cap_cell_outputs(outputs: list[Any], cap: int = OUTPUT_CAP_CHARS) -> int:
    """Apply the caps to a cell's outputs in place; return the characters cut.

    Stream output already within the cap (plus room for a note) is left as it is,
    so a notebook capped while it ran is not cut twice.
    """
    total = sum(
        len(output_text(o.get("text", ""))) for o in outputs if o.get("output_type") == "stream"
    )
    if total <= cap + NOTE_SLACK_CHARS:
        return sum(cap_data(o, cap) for o in outputs if o.get("output_type") != "stream")
    capper = OutputCap(cap)
    kept: list[Any] = []
    for output in outputs:
        kept.append(output)
        capper.add(kept, output)
    outputs[:] = kept
    return capper.dropped


def cap_notebook_outputs(nb: Any, cap: int = OUTPUT_CAP_CHARS) -> int:
    """Apply the caps to every code cell of ``nb`` in place; return the characters cut."""
    return sum(
        cap_cell_outputs(cell["outputs"], cap)
        for cell in nb.get("cells", [])
        if cell.get("cell_type") == "code" and cell.get("outputs")
    )


#: A ``<div>`` start tag of the lab template, its classes and its other attributes.
_DIV_RE = re.compile(r'<div class="([^"]*)"([^>]*)>')
#: Cells' inputs and outputs are made keyboard-focusable (nbconvert's lab exporter does it).
_FOCUSABLE = ("jp-Cell-inputWrapper", "jp-OutputArea-output")
#: An ``<img`` start without alt text, and nbconvert's words for it.
_IMG_NO_ALT_RE = re.compile(r"<img\b(?![^>]*\balt=)", re.I)
NO_ALT = "No description has been provided for this image"


def accessible(page: str) -> str:
    """What nbconvert's HTML exporter adds after rendering, without re-parsing the page.

    nbconvert parses the whole rendered page with BeautifulSoup (about half of a report's
    conversion time) to give images without alt text a default one and to make cell
    inputs and outputs focusable (``tabindex="0"``). The template writes those ``<div>``
    tags with their classes first, so a pattern finds them; the page is otherwise left as
    the template wrote it.
    """

    def focusable(match: re.Match[str]) -> str:
        tag, classes, rest = match.group(0), match.group(1).split(), match.group(2)
        if "tabindex=" in rest or not any(c in classes for c in _FOCUSABLE):
            return tag
        return f'{tag[:-1]} tabindex="0">'

    page = _IMG_NO_ALT_RE.sub(f'<img alt="{NO_ALT}"', page)
    return _DIV_RE.sub(focusable, page)


@lru_cache(maxsize=2)
def exporter(show_code: bool) -> Any:
    """An nbconvert HTML exporter with the offline template; code hidden unless ``show_code``.

    One per process and setting: its templates are compiled once, not for every report.
    Its ``from_notebook_node`` is nbconvert's lab exporter's, with :func:`accessible`
    instead of BeautifulSoup.
    """
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
    from traitlets.config import Config

    class ReportExporter(HTMLExporter):
        """The lab HTML exporter without its whole-page BeautifulSoup pass."""

        def from_notebook_node(
            self, nb: Any, resources: dict[str, Any] | None = None, **kw: Any
        ) -> tuple[str, dict[str, Any]]:
            langinfo = nb.metadata.get("language_info", {})
            lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
            self.register_filter(
                "highlight_code",
                self.filters.get(
                    "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)
                ),
            )
            resources = self._init_resources(resources)
            self.register_filter(
                "filter_data_type",
                WidgetsDataTypeFilter(
                    notebook_metadata=self._nb_metadata, parent=self, resources=resources
                ),
            )
            page, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
            return accessible(page), resources

    cfg = Config()
    cfg.TagRemovePreprocessor.enabled = True
    cfg.TagRemovePreprocessor.remove_cell_tags = set(REMOVE_TAGS)
    cfg.TagRemovePreprocessor.remove_input_tags = {"remove-input"}
    cfg.TagRemovePreprocessor.remove_all_outputs_tags = {"remove-output"}
    if not show_code:  # the code-free report still shows nothing of the parameters cell
        cfg.TagRemovePreprocessor.remove_cell_tags = {*REMOVE_TAGS, "parameters"}
    return ReportExporter(
        config=cfg,
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        exclude_input=not show_code,
        exclude_input_prompt=not show_code,
        exclude_output_prompt=True,
        embed_images=True,
    )


def render_report(nb: Any, meta: ReportMeta, show_code: bool = False) -> str:
    """Convert an executed notebook into the self-contained HTML report."""
    import copy

    nb = copy.deepcopy(nb)  # the caller's notebook (outputs as executed) stays untouched
    nb.metadata["title"] = meta.title
    cap_notebook_outputs(nb)
    compress_notebook_images(nb)
    resources = {
        "kz": {
            "css": CSS + elements_css(),
            "js": TABLE_JS,
            "header": header_html(meta),
            "footer": footer_html(meta),
        }
    }
    body, _ = exporter(show_code).from_notebook_node(nb, resources=resources)
    body = ELEMENT_STYLE_RE.sub("", body)  # the page's head has the elements' stylesheet
    return place_toc(body, toc_html(body))


#: The stylesheet copy each report element carries for JupyterLab (the page has one).
ELEMENT_STYLE_RE = re.compile(r"<style data-kz-css(?:=\"\")?>.*?</style>", re.S)
FINDINGS_MARK = 'class="kz-el kz-findings"'
#: A markdown cell's start tag, whatever comes before its class (the lab template writes the
#: cell's ``id`` first: ``<div id="cell-id=…" class="jp-Cell jp-MarkdownCell …">``).
MARKDOWN_CELL_RE = re.compile(r'<div\b[^>]*\bclass="jp-Cell jp-MarkdownCell\b')


def place_toc(body: str, toc: str) -> str:
    """Put the table of contents after the Key findings (before the next markdown cell),
    so the findings lead the page; where there are none, under the header."""
    at = body.find(FINDINGS_MARK)
    cell = MARKDOWN_CELL_RE.search(body, at) if at != -1 else None
    if cell is None:
        return body.replace(TOC_MARK, toc, 1)
    after = cell.start()
    return body[:after].replace(TOC_MARK, "", 1) + toc + body[after:]


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
