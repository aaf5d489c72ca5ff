"""The report elements' stylesheet (classes ``kz-…``), inlined once per output.

:data:`CSS` is what the report template should include once per page; until it does,
every element's HTML starts with :func:`style_block` so that JupyterLab and the report
show it right. The ``<style>`` carries ``data-kz-css`` so a page builder can drop the
repeats (one copy per output) and keep one.
"""

from __future__ import annotations

#: Stylesheet of the report elements (light, with a ``prefers-color-scheme: dark`` variant on
#: screens, where figures keep their white card; print is always light).
CSS = """
.kz-el{--kz-el-ink:#1f2328;--kz-el-muted:#57606a;--kz-el-line:#d6dbe3;--kz-el-soft:#f3f5f8;
  --kz-el-link:#0b5cad;--kz-el-bg:#fff;font-family:system-ui,-apple-system,"Segoe UI",sans-serif;
  color:var(--kz-el-ink);margin:1.2rem 0;max-width:60rem;line-height:1.45;text-align:left}
.kz-el a{color:var(--kz-el-link)}
.kz-el .kz-title{font-size:1.05rem;font-weight:650;margin:0 0 .15rem}
.kz-el .kz-subtitle{color:var(--kz-el-muted);margin:0 0 .5rem}
.kz-el .kz-source,.kz-el .kz-notes,.kz-el .kz-actions{font-size:.85rem;color:var(--kz-el-muted);
  margin:.35rem 0 0}
.kz-el .kz-notes p{margin:.1rem 0}
.kz-download{display:inline-block;border:1px solid var(--kz-el-line);border-radius:4px;
  padding:.05rem .45rem;text-decoration:none;white-space:nowrap}
.kz-download::before{content:"\\2193\\00a0"}
figure.kz-figure{margin-left:0;margin-right:0}
figure.kz-figure svg{max-width:100%;height:auto;display:block;background:#fff}
.kz-scroll{overflow-x:auto;max-width:100%}
.kz-el table.kz-data{border-collapse:collapse;font-size:.9rem;margin:0;width:auto}
.kz-el table.kz-data th,.kz-el table.kz-data td{padding:.3rem .6rem;border:0;
  border-bottom:1px solid var(--kz-el-line);vertical-align:top;text-align:left;
  white-space:normal;word-break:normal;overflow-wrap:normal;hyphens:none;max-width:28rem}
.kz-el table.kz-data thead th{border-bottom:2px solid var(--kz-el-ink);font-weight:600;
  vertical-align:bottom}
.kz-el table.kz-data td.kz-num,.kz-el table.kz-data th.kz-num{text-align:right;
  white-space:nowrap;font-variant-numeric:tabular-nums}
.kz-el table.kz-data td.kz-nowrap{white-space:nowrap}
.kz-el table.kz-data tbody tr:hover{background:var(--kz-el-soft)}
.kz-badge{display:inline-block;border-radius:999px;padding:0 .55rem;font-size:.8rem;
  white-space:nowrap;border:1px solid currentColor}
.kz-badge-supported,.kz-el a.kz-badge-supported{color:#1a7f37;background:#dafbe1}
.kz-badge-partly-supported,.kz-el a.kz-badge-partly-supported{color:#8a5a00;background:#fff1c7}
.kz-badge-contradicted,.kz-el a.kz-badge-contradicted{color:#b42318;background:#ffe4e0}
.kz-badge-untestable,.kz-badge-other,.kz-el a.kz-badge-untestable{color:#57606a;
  background:#eef1f4}
.kz-verdicts{margin:.5rem 0 1rem}.kz-verdicts p{margin:0}
.kz-verdicts a.kz-badge{text-decoration:none;font-size:.85rem}
.kz-verdicts a.kz-badge:hover{text-decoration:underline}
.kz-verdicts .kz-ids{font-size:.85rem;color:var(--kz-el-muted)}
details.kz-fold>summary{cursor:pointer;color:var(--kz-el-link);font-size:.9rem;margin:.3rem 0}
.kz-el:has(>details.kz-fold[open])>.kz-preview{display:none}
.kz-findings{border:1px solid var(--kz-el-line);border-left:4px solid var(--kz-el-link);
  background:var(--kz-el-soft);border-radius:6px;padding:.6rem 1rem}
.kz-findings .kz-title{margin-bottom:.3rem}
.kz-findings ul{margin:0;padding-left:1.2rem}.kz-findings li{margin:.2rem 0}
p.kz-note{border-left:3px solid var(--kz-el-line);padding-left:.7rem;color:var(--kz-el-muted)}
.kz-references ol{padding-left:2.2rem}.kz-references li{margin:.25rem 0;overflow-wrap:anywhere}
.kz-references .kz-terms-title{font-weight:600;margin:.8rem 0 .2rem}
.kz-references ul.kz-terms{font-size:.9rem;padding-left:1.2rem}
@media screen and (prefers-color-scheme:dark){
  .kz-el{--kz-el-ink:#e6edf3;--kz-el-muted:#a4adb8;--kz-el-line:#3d444d;--kz-el-soft:#1c2128;
    --kz-el-link:#79b8ff;--kz-el-bg:#0d1117}
  .kz-badge-supported,.kz-el a.kz-badge-supported{color:#7ee2a8;background:#12361f}
  .kz-badge-partly-supported,.kz-el a.kz-badge-partly-supported{color:#f2cc60;
    background:#3b2e00}
  .kz-badge-contradicted,.kz-el a.kz-badge-contradicted{color:#ffa198;background:#490202}
  .kz-badge-untestable,.kz-badge-other,.kz-el a.kz-badge-untestable{color:#a4adb8;
    background:#262c36}
  figure.kz-figure svg{border-radius:6px;padding:.4rem;box-sizing:border-box}
}
@media print{.kz-download{display:none}}
""".strip()


def style_block() -> str:
    """``<style data-kz-css>`` with :data:`CSS`, put once at the start of each element's HTML."""
    return f"<style data-kz-css>{CSS}</style>"
