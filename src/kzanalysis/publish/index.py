"""``reports/index.html``: the project's front page.

What a reader sees, in order:

1. **What the thesis argues** (two lines, the thesis named by
   :func:`kzanalysis.citation.thesis_text`) and **what the data say**: the claims ledger's
   verdict counts over all claims.
2. **The claims ledger**: every claim of ``data/claims.yaml`` (id, claim, thesis value, data
   value, verdict badge) with a link to the report section that tests it
   (``<chapter>-KAZ.html#claim-<ID>``: the chapter whose data domain is the claim's, its
   Kazakhstan variant; the synthesis report when that chapter has no report). Two select
   boxes filter the rows by chapter and verdict (a few lines of inline script, nothing
   loaded: works offline from ``file://``; without script, and in print, every row shows).
3. **Reports by chapter and country**: a chapter × country matrix linking every report (and
   its error page when its last build failed) with its headline finding, the first
   sentence of the report's *Key findings* box, read from the published report with
   :mod:`html.parser` (:func:`headline`). Only plain variants (``trade-KAZ``) are here.
   **Reports by parameter set**, when a parameter grid adds labelled variants
   (``arms-w3-KAZ``, :mod:`kzanalysis.publish.grid`): one folded ``<details>`` table per
   chapter, a row per parameter set in words and a column per country or group, each cell
   the link and status without the headline (hundreds of reports stay one screen per
   chapter); two select boxes filter by chapter and country (the same inline script as the
   ledger's; without it every table is listed, folded; in print, all unfolded).
4. **Cite this project** (:func:`kzanalysis.citation.project_citation`: plain text, BibTeX).
5. **Build status**, folded: last build time and commit, failures, and per report its
   status, build time, parameters in words, data editions and the *stale data* flag of
   :mod:`kzanalysis.publish.editions` (the rule is stated on the page).

**Fast and quiet.** ``kzanalysis index`` and every build (also a no-op one) call
:func:`write_index`, which must stay cheap: evaluating the claims ledger takes seconds of
CPU (pandas, every metric), so its results are cached in ``reports/.build/index-cache.json``
under a digest of everything the verdicts depend on (:func:`ledger_digest`): the bytes of
``data/claims.yaml``, the checksums of the catalog's tables (``data/datapackage.json``
``hash`` of each resource), and the library's source outside ``publish/`` and
``templates/`` (claims code, metrics, analyses, loaders, the chapter registry). The ledger
is evaluated again only when that digest changes. Parameters in words are cached the same
way (keyed by the parameters and the library digest: writing them may import the report
package). Headlines are read from the reports each time (a string search skips to the
findings box; only that section is parsed). The cache file and the page are written only
when their content changes, so a no-op build leaves ``reports/`` byte-identical.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Iterable, Mapping
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from kzanalysis.chapters import split_variant_name
from kzanalysis.publish.editions import (
    DEFAULT_MAX_DATA_AGE_DAYS,
    FALLBACK_RULE,
    STALE_RULE,
    build_date,
    catalog_sources,
    stale_reasons,
)
from kzanalysis.publish.grid import label_words
from kzanalysis.publish.html import CSS
from kzanalysis.publish.store import (
    atomic_write_text,
    error_path,
    load_state,
    report_path,
    state_dir,
)

INDEX_NAME = "index.html"
CHANGES_NAME = "data-changes.html"
CACHE_NAME = "index-cache.json"
#: The country every claim is tested for (the thesis is about Kazakhstan).
FOCUS = "KAZ"
#: The chapter whose report shows every claim (fallback link target).
SYNTHESIS = "synthesis"
#: Verdicts in the order the page lists them.
VERDICTS = ("supported", "partly_supported", "contradicted", "untestable")
PACKAGE_DIR = Path(__file__).resolve().parents[1]


# --------------------------------------------------------------------------- helpers


def split_name(name: str) -> tuple[str, str]:
    """``trade-KAZ`` (or ``trade-y2005-KAZ``) → ``("trade", "KAZ")``: the chapter and the
    country or group (:func:`kzanalysis.chapters.split_variant_name`)."""
    parts = split_variant_name(name)
    return parts.chapter, parts.group or "—"


def split_title(title: str, name: str) -> tuple[str, str]:
    """``"EAEU trade — Kazakhstan"`` → ``("EAEU trade", "Kazakhstan")``; else the name's parts.

    A labelled variant's title ends with its parameters in words, which are dropped:
    ``"Arms imports — Kazakhstan (3-year windows)"`` → ``("Arms imports", "Kazakhstan")``.
    """
    chapter, group = split_name(name)
    head, sep, tail = title.partition(" — ")
    if not sep:
        return chapter, group
    label = split_variant_name(name).label
    suffix = f" ({label_words(label)})"
    tail = tail.strip()
    return head.strip(), tail.removesuffix(suffix) if label else tail


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


def words(text: Any) -> str:
    """A ledger value for readers: ``True``/``False`` as yes/no (the rest unchanged)."""
    return re.sub(r"\bFalse\b", "no", re.sub(r"\bTrue\b", "yes", str(text)))


def verdict_label(verdict: str) -> str:
    """``partly_supported`` → ``partly supported``."""
    return verdict.replace("_", " ")


def badge(verdict: str) -> str:
    """A verdict as a labelled badge (the report elements' classes)."""
    cls = verdict.replace("_", "-") if verdict in VERDICTS else "other"
    return f'<span class="kz-badge kz-badge-{cls}">{escape(verdict_label(verdict))}</span>'


def count_words(n: int, one: str, many: str | None = None) -> str:
    """``1 report`` / ``3 reports``."""
    return f"{n} {one if n == 1 else (many or one + 's')}"


# --------------------------------------------------------------------------- headlines


class _FindingsParser(HTMLParser):
    """The first ``<li>`` of a ``<section class="… kz-findings …">`` whose title is
    "Key findings", without its ``a.kz-see`` link. Fed from the section's start tag."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # open <section> elements since the findings section opened
        self.ok = False  # the start tag was a findings section
        self.title: list[str] | None = None
        self.titled = False
        self.li_depth = 0
        self.skip = 0  # inside a.kz-see
        self.parts: list[str] = []
        self.done = False

    @staticmethod
    def _classes(attrs: list[tuple[str, str | None]]) -> set[str]:
        return set(" ".join(v or "" for k, v in attrs if k == "class").split())

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.done:
            return
        classes = self._classes(attrs)
        if tag == "section":
            if self.depth == 0:
                self.ok = "kz-findings" in classes
            self.depth += 1
        elif not self.ok:
            return
        elif tag == "p" and "kz-title" in classes and not self.titled:
            self.title = []
        elif tag == "li":
            self.li_depth += 1
        elif tag == "a" and self.li_depth and "kz-see" in classes:
            self.skip += 1

    def handle_endtag(self, tag: str) -> None:
        if self.done:
            return
        if tag == "section":
            self.depth -= 1
            if self.depth <= 0:
                self.done = True
        elif tag == "p" and self.title is not None:
            self.titled = " ".join("".join(self.title).split()) == "Key findings"
            self.title = None
        elif tag == "a" and self.skip:
            self.skip -= 1
        elif tag == "li" and self.li_depth:
            self.li_depth -= 1
            if self.li_depth == 0 and self.titled:
                self.done = True

    def handle_data(self, data: str) -> None:
        if self.done or not self.ok:
            return
        if self.title is not None:
            self.title.append(data)
        elif self.li_depth and not self.skip and self.titled:
            self.parts.append(data)

    @property
    def text(self) -> str | None:
        text = " ".join("".join(self.parts).split())
        return text if self.ok and self.titled and text else None


_SECTION_RE = re.compile(r"<section\b[^>]*kz-findings[^>]*>", re.I)
#: Characters parsed from a findings section's start (a box of 3–6 sentences is far less).
_SECTION_WINDOW = 40_000


def headline_of(page: str) -> str | None:
    """The first finding of a report page's "Key findings" box (text, link dropped), or None.

    A string search finds the candidate ``<section …kz-findings…>`` start tags (skipping the
    stylesheets before them); each is parsed with :class:`html.parser.HTMLParser` until the
    first list item of a box titled "Key findings" closes. Entities are unescaped.
    """
    for match in _SECTION_RE.finditer(page):
        parser = _FindingsParser()
        parser.feed(page[match.start() : match.start() + _SECTION_WINDOW])
        parser.close()
        if parser.text:
            return parser.text
    return None


def headline(path: Path, cache: dict[str, Any] | None = None) -> str | None:
    """:func:`headline_of` a report file (None if it does not exist or cannot be read).

    With ``cache`` (the index cache), the headline is kept under ``headlines`` with the
    file's size and modification time and read again only when the file changed: a no-op
    build rewrites no report, so it parses none.
    """
    try:
        st = path.stat()
    except OSError:
        return None
    stamp = [st.st_size, st.st_mtime_ns]
    known = cache.setdefault("headlines", {}) if cache is not None else {}
    hit = known.get(path.name)
    if isinstance(hit, dict) and hit.get("stamp") == stamp:
        return hit.get("text")
    try:
        text = headline_of(path.read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return None
    if cache is not None:
        known[path.name] = {"stamp": stamp, "text": text}
    return text


# --------------------------------------------------------------------------- caches


def _library_digests(package_dir: Path = PACKAGE_DIR) -> tuple[str, str]:
    """Digests of the package source: (everything but ``publish/`` and ``templates/``, all)."""
    from kzanalysis.claims.cache import library_digests

    return library_digests(package_dir)


def ledger_digest(data: Path, library: str | None = None) -> str:
    """Digest of everything the ledger's verdicts depend on: ``claims.yaml``'s bytes, each
    catalogued table's checksum, and the library's source outside ``publish/`` and
    ``templates/`` (:func:`kzanalysis.claims.cache.state_digest`)."""
    from kzanalysis.claims.cache import state_digest

    return state_digest(data, library)


def read_cache(reports: Path) -> dict[str, Any]:
    """The index cache (empty when absent or unreadable)."""
    try:
        doc = json.loads((state_dir(reports) / CACHE_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return doc if isinstance(doc, dict) else {}


def write_cache(reports: Path, cache: dict[str, Any]) -> bool:
    """Write the cache if its content changed; True if written."""
    path = state_dir(reports) / CACHE_NAME
    text = json.dumps(cache, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    with contextlib.suppress(OSError):
        if path.read_text(encoding="utf-8") == text:
            return False
    atomic_write_text(path, text)
    return True


@contextlib.contextmanager
def _not_recorded():
    """Evaluate without recording reads into a running build's reads file."""
    from kzanalysis import reads

    saved = os.environ.pop(reads.ENV, None)
    try:
        yield
    finally:
        if saved is not None:
            os.environ[reads.ENV] = saved


def evaluate_ledger(claims_path: Path, reports: Path | None = None) -> dict[str, Any]:
    """Every claim's row: ``{"rows": [...], "error": None}`` or ``{"rows": [], "error": …}``.

    The verdicts come from the ledger of the current data state (evaluated once, shared
    with the reports and ``kzanalysis claims``: :mod:`kzanalysis.claims.cache`).

    Each row: id, thesis chapter, data domain, claim, thesis and data values, unit, verdict.
    """
    try:
        from kzanalysis.claims import cache as ledger_cache
        from kzanalysis.claims.model import load_claims

        if not load_claims(claims_path):
            return {"rows": [], "error": None}
        with _not_recorded():
            doc = ledger_cache.ledger_state(claims_path.parent, reports)
        rows = [
            {
                "id": r["id"],
                "chapter": r["chapter"],
                "domain": doc["domains"].get(r["id"]),
                "claim": r["claim"],
                "thesis_value": r["thesis_value"],
                "data_value": r["data_value"],
                "unit": r["unit"],
                "verdict": r["verdict"],
                # the verdict on the claim's own period, when the ledger gives one
                "verdict_when_written": r.get("verdict_when_written"),
                "reference_period": r.get("reference_period"),
                "change": r.get("change") or None,
            }
            for r in doc["records"]
        ]
        return {"rows": sorted(rows, key=lambda r: r["id"]), "error": None}
    except Exception as exc:  # the front page still shows the reports
        return {"rows": [], "error": " ".join(str(exc).split())[:300]}


def cached_ledger(
    reports: Path, data: Path, cache: dict[str, Any], library: str | None = None
) -> dict[str, Any] | None:
    """The ledger's rows from ``cache`` if its digest is current, else evaluated and stored
    in ``cache`` (the caller writes it). None when there is no ``claims.yaml``."""
    claims = data / "claims.yaml"
    if not claims.is_file():
        cache.pop("ledger", None)
        return None
    digest = ledger_digest(data, library)
    entry = cache.get("ledger")
    if not (isinstance(entry, dict) and entry.get("digest") == digest):
        entry = {"digest": digest, **evaluate_ledger(claims, reports)}
        cache["ledger"] = entry
    return entry


def _canonical(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, default=str)


def params_words(parameters: Mapping[str, Any] | None, cache: dict[str, Any], library: str) -> str:
    """The parameters in words ("Country: Kazakhstan · Years: 1995–2024"), cached."""
    if not parameters:
        return "no parameters"
    store = cache.get("params")
    if not isinstance(store, dict) or store.get("library") != library:
        store = {"library": library, "texts": {}}
        cache["params"] = store
    key = _canonical(parameters)
    if key not in store["texts"]:
        from kzanalysis.publish.html import params_text

        try:
            store["texts"][key] = params_text(parameters)
        except Exception:  # a value the header cannot name: the names and values as text
            store["texts"][key] = " · ".join(
                f"{str(k).replace('_', ' ').capitalize()}: {v}" for k, v in parameters.items()
            )
    return str(store["texts"][key])


# --------------------------------------------------------------------------- sections

THESIS_ARGUMENT = (
    "Kazakhstan, between its two large neighbours, is less a battleground than fertile "
    "ground for Russian–Chinese cooperation: China's economic weight gives it the greater "
    "overall influence, while Russia keeps the upper hand in security and in public "
    "opinion, a secondary role that the thesis expects to erode Moscow's influence."
)


def _thesis_name() -> str:
    from kzanalysis.citation import CitationError, thesis_text

    try:
        return thesis_text()
    except CitationError:
        return "the thesis"


def intro_html(ledger: dict[str, Any] | None) -> str:
    """What the thesis argues and what the data say (verdict counts over all claims)."""
    rows = (ledger or {}).get("rows") or []
    argues = (
        f'<p class="kz-argues"><strong>What the thesis argues.</strong> '
        f"<cite>{escape(_thesis_name())}</cite> {escape(THESIS_ARGUMENT)}</p>"
    )
    if ledger is None:
        return argues
    if ledger.get("error"):
        return argues + (
            '<p class="kz-says"><strong>What the data say.</strong> The claims ledger could '
            f"not be computed: {escape(ledger['error'])}</p>"
        )
    counts = {v: sum(r["verdict"] == v for r in rows) for v in VERDICTS}
    others = len(rows) - sum(counts.values())
    tiles = "".join(
        f'<li><a href="#ledger" data-kz-verdict="{v}" '
        f'class="kz-tile kz-tile-{v.replace("_", "-")}">'
        f'<span class="kz-tile-n">{n}</span> <span class="kz-tile-label">'
        f"{escape(verdict_label(v))}</span></a></li>"
        for v, n in counts.items()
    )
    if others:
        tiles += f'<li class="kz-tile"><span class="kz-tile-n">{others}</span> other</li>'
    return argues + (
        f'<p class="kz-says"><strong>What the data say.</strong> This project tests the '
        f"thesis's {count_words(len(rows), 'quantitative claim')} against curated public "
        f"data ({domain_words()}). Verdicts:</p>"
        f'<ul class="kz-tiles" aria-label="Verdicts over all claims">{tiles}</ul>'
    )


#: Reader words of a data domain where its name is not enough.
_DOMAIN_WORDS = {"arms": "arms transfers", "investment": "investment and lending"}


def domain_words() -> str:
    """The registry's data domains in words: "trade, energy, arms transfers, …"."""
    from kzanalysis.chapters import data_domains

    return ", ".join(_DOMAIN_WORDS.get(d, d) for d in data_domains())


def claim_target(domain: str | None, reports: Path, known: set[str]) -> tuple[str, str] | None:
    """``(href page, chapter label)`` of the report that tests a claim of ``domain``:
    the chapter with that data domain, its Kazakhstan variant; else the synthesis report."""
    from kzanalysis import chapters

    registered = chapters.chapters()
    chosen = [c for c in registered if domain is not None and c.domain == domain]
    chosen += [c for c in registered if c.name == SYNTHESIS]
    for chapter in chosen:
        name = f"{chapter.name}-{FOCUS}"
        if name in known and report_path(reports, name).is_file():
            return f"{name}.html", chapter.title
    return None


def chapter_of_domain(domain: str | None) -> tuple[str, str]:
    """``(chapter name, title)`` whose data domain is ``domain`` (else the synthesis)."""
    from kzanalysis import chapters

    for chapter in chapters.chapters():
        if domain is not None and chapter.domain == domain:
            return chapter.name, chapter.title
    for chapter in chapters.chapters():
        if chapter.name == SYNTHESIS:
            return chapter.name, chapter.title
    return domain or "other", (domain or "other").capitalize()


def ledger_html(ledger: dict[str, Any] | None, reports: Path, known: set[str]) -> str:
    """The full claims ledger with chapter and verdict filters."""
    if ledger is None or ledger.get("error"):
        return ""
    rows = ledger.get("rows") or []
    if not rows:
        return ""
    body, chapter_names = [], {}
    for r in rows:
        chapter, title = chapter_of_domain(r.get("domain"))
        chapter_names[chapter] = title
        target = claim_target(r.get("domain"), reports, known)
        cid = escape(str(r["id"]))
        link = (
            f'<a href="{escape(target[0])}#claim-{cid}">{escape(target[1])}, Kazakhstan</a>'
            if target
            else "no report built"
        )
        data_value = words(r["data_value"]) if r.get("data_value") else "no data"
        unit = f' <span class="kz-unit">({escape(str(r["unit"]))})</span>' if r.get("unit") else ""
        then = r.get("verdict_when_written")
        earlier = (
            '<br><span class="kz-then">when written'
            + (f" ({escape(str(r['reference_period']))})" if r.get("reference_period") else "")
            + f": {badge(str(then))}</span>"
            if then and then != r["verdict"]
            else ""
        )
        change = f'<p class="kz-change">{escape(words(r["change"]))}</p>' if r.get("change") else ""
        body.append(
            f'<tr id="claim-{cid}" data-chapter="{escape(chapter)}" '
            f'data-verdict="{escape(str(r["verdict"]))}">'
            f'<th scope="row">{cid}</th><td>{escape(str(r["claim"]))}</td>'
            f"<td>{escape(words(r['thesis_value']))}</td><td>{escape(data_value)}{unit}{change}</td>"
            f"<td>{badge(str(r['verdict']))}{earlier}</td><td>{link}</td></tr>"
        )
    chapter_opts = "".join(
        f'<option value="{escape(c)}">{escape(t)}</option>' for c, t in chapter_names.items()
    )
    present = [v for v in VERDICTS if any(r["verdict"] == v for r in rows)]
    verdict_opts = "".join(
        f'<option value="{v}">{escape(verdict_label(v))}</option>' for v in present
    )
    return (
        '<section class="kz-section" id="ledger" aria-labelledby="ledger-h">'
        '<h2 id="ledger-h">The claims ledger</h2>'
        f"<p>Every quantitative claim of the thesis, the value the thesis gives, the value "
        "the curated data give and the verdict (within the tolerance declared for each claim, "
        "or not); the last column links to the report section that tests it.</p>"
        '<div class="kz-filters" id="kz-filters" hidden>'
        '<label>Chapter <select id="kz-filter-chapter"><option value="">all chapters</option>'
        f"{chapter_opts}</select></label>"
        '<label>Verdict <select id="kz-filter-verdict"><option value="">all verdicts</option>'
        f"{verdict_opts}</select></label>"
        f'<span id="kz-filter-count" aria-live="polite">{count_words(len(rows), "claim")}'
        "</span></div>"
        '<div class="kz-scroll" tabindex="0" role="region" aria-label="Claims ledger">'
        '<table class="kz-ledger" id="kz-ledger"><thead><tr><th scope="col">Claim</th>'
        '<th scope="col">What the thesis says</th><th scope="col">Thesis value</th>'
        '<th scope="col">Data value</th><th scope="col">Verdict</th>'
        '<th scope="col">Tested in</th></tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div></section>"
    )


def _groups_in_order(chapters: list[tuple[str, str, list[tuple[str, str, str]]]]) -> list[str]:
    from kzanalysis import chapters as registry

    order = list(registry.registry().groups)
    seen = list(dict.fromkeys(split_name(n)[1] for _, _, rows in chapters for n, _, _ in rows))
    return [g for g in order if g in seen] + [g for g in seen if g not in order]


def plain_only(
    chapters: list[tuple[str, str, list[tuple[str, str, str]]]],
) -> list[tuple[str, str, list[tuple[str, str, str]]]]:
    """The chapters' plain variants (no parameter label); chapters without one left out."""
    out = []
    for chapter, label, rows in chapters:
        plain = [r for r in rows if not split_variant_name(r[0]).label]
        if plain:
            out.append((chapter, label, plain))
    return out


def _group_label(group: str, rows: list[tuple[str, str, list[tuple[str, str, str]]]]) -> str:
    from kzanalysis import chapters as registry

    labels = registry.registry().groups
    if group in labels:
        return labels[group]
    for _, _, items in rows:
        for name, title, _country in items:
            if split_name(name)[1] == group:
                return split_title(title, name)[1]
    return group


def matrix_html(
    reports: Path,
    chapters: list[tuple[str, str, list[tuple[str, str, str]]]],
    records: dict[str, dict[str, Any] | None],
    stale: dict[str, list[str]],
    cache: dict[str, Any] | None = None,
) -> str:
    """Chapter × country: every plain report (or its error page) with its headline finding
    (labelled variants are in :func:`parameter_sets_html`)."""
    chapters = plain_only(chapters)
    groups = _groups_in_order(chapters)
    labels = {g: _group_label(g, chapters) for g in groups}
    head = "".join(f'<th scope="col">{escape(labels[g])}</th>' for g in groups)
    body = []
    for chapter, label, rows in chapters:
        by_group = {split_name(n)[1]: (n, t) for n, t, _ in rows}
        cells = []
        for g in groups:
            if g not in by_group:
                cells.append('<td class="kz-empty"><span class="kz-muted">no report</span></td>')
                continue
            name, _title = by_group[g]
            cells.append(
                matrix_cell(
                    reports, name, labels[g], records.get(name), bool(stale.get(name)), cache=cache
                )
            )
        body.append(
            f'<tr id="chapter-{escape(chapter)}"><th scope="row">{escape(label)}</th>'
            f"{''.join(cells)}</tr>"
        )
    return (
        '<section class="kz-section" id="reports" aria-labelledby="reports-h">'
        '<h2 id="reports-h">Reports by chapter and country</h2>'
        "<p>Each report runs one chapter's analysis for one country or group; the sentence "
        "is its first key finding.</p>"
        '<div class="kz-scroll" tabindex="0" role="region" aria-label="Reports">'
        f'<table class="kz-matrix"><thead><tr><th scope="col">Chapter</th>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div></section>"
    )


def matrix_cell(
    reports: Path,
    name: str,
    place: str,
    record: dict[str, Any] | None,
    stale: bool,
    finding: bool = True,
    cache: dict[str, Any] | None = None,
) -> str:
    """One report in the matrix: link, status, stale mark and (``finding``) headline
    (kept in ``cache``, the index cache, see :func:`headline`)."""
    has_report = report_path(reports, name).is_file()
    failed = record is not None and record.get("status") not in (None, "ok")
    parts = [f'<span class="kz-place">{escape(place)}</span>']
    if has_report:
        parts.append(f'<a class="kz-open" href="{escape(name)}.html">Read the report</a>')
    if failed:
        err = error_path(reports, name)
        link = f' <a href="{escape(err.name)}">error page</a>' if err.is_file() else ""
        kept = " (the last good report is shown)" if has_report else ""
        parts.append(f'<span class="kz-failed">last build failed</span>{link}{kept}')
    elif record is None and not has_report:
        parts.append('<span class="kz-muted">not built yet</span>')
    if stale:
        parts.append('<span class="kz-stale-mark">stale data</span>')
    text = headline(report_path(reports, name), cache) if has_report and finding else None
    first = f'<p class="kz-headline">{escape(text)}</p>' if text else ""
    return f'<td><p class="kz-cell-head">{" ".join(parts)}</p>{first}</td>'


def parameter_sets(
    chapters: list[tuple[str, str, list[tuple[str, str, str]]]],
) -> list[tuple[str, str, list[str], dict[tuple[str, str], str]]]:
    """Chapters that have labelled variants, as ``(chapter, title, labels, cells)``: the
    labels in config order after ``""`` (the plain variants), and ``(label, group) → name``."""
    out = []
    for chapter, title, rows in chapters:
        cells = {}
        for name, _title, _country in rows:
            parts = split_variant_name(name)
            cells[(parts.label, parts.group)] = name
        labels = list(dict.fromkeys(label for label, _ in cells))
        if any(labels):
            out.append((chapter, title, sorted(labels, key=lambda x: x != ""), cells))
    return out


def parameter_sets_html(
    reports: Path,
    chapters: list[tuple[str, str, list[tuple[str, str, str]]]],
    records: dict[str, dict[str, Any] | None],
    stale: dict[str, list[str]],
) -> str:
    """Reports by parameter set, when there are labelled variants (``arms-w3-KAZ``): one
    folded table per chapter, a row per parameter set (in words), a column per country or
    group; two select boxes filter by chapter and country (script; without it every table
    is listed, folded)."""
    sets = parameter_sets(chapters)
    if not sets:
        return ""
    labels = {g: _group_label(g, chapters) for g in _groups_in_order(chapters)}
    blocks, total = [], 0
    for chapter, title, row_labels, cells in sets:
        groups = [g for g in labels if any((lb, g) in cells for lb in row_labels)]
        head = "".join(
            f'<th scope="col" data-group="{escape(g)}">{escape(labels[g])}</th>' for g in groups
        )
        body = []
        for label in row_labels:
            tds = []
            for g in groups:
                name = cells.get((label, g))
                if name is None:
                    tds.append(
                        f'<td class="kz-empty" data-group="{escape(g)}">'
                        '<span class="kz-muted">no report</span></td>'
                    )
                    continue
                cell = matrix_cell(
                    reports, name, labels[g], records.get(name), bool(stale.get(name)), False
                )
                tds.append(cell.replace("<td>", f'<td data-group="{escape(g)}" data-report>', 1))
            body.append(
                f'<tr id="set-{escape(chapter)}-{escape(label or "default")}">'
                f'<th scope="row">{escape(label_words(label))}</th>{"".join(tds)}</tr>'
            )
        count = len(cells)
        total += count
        key = escape(chapter)
        blocks.append(
            f'<details class="kz-sets" id="sets-{key}" data-chapter="{key}">'
            f"<summary>{escape(title)}: {count_words(len(row_labels), 'parameter set')}, "
            f"{count_words(count, 'report')}</summary>"
            f'<div class="kz-scroll" tabindex="0" role="region" aria-label="{escape(title)}">'
            f'<table class="kz-sets-table"><thead><tr><th scope="col">Parameters</th>{head}'
            f"</tr></thead><tbody>{''.join(body)}</tbody></table></div></details>"
        )
    chapter_opts = "".join(
        f'<option value="{escape(c)}">{escape(t)}</option>' for c, t, _, _ in sets
    )
    group_opts = "".join(
        f'<option value="{escape(g)}">{escape(label)}</option>' for g, label in labels.items()
    )
    return (
        '<section class="kz-section" id="parameter-sets" aria-labelledby="sets-h">'
        '<h2 id="sets-h">Reports by parameter set</h2>'
        f"<p>The chapters run again with other parameters ({count_words(total, 'report')} "
        "including the default ones): one table per chapter, a row per parameter set, a column "
        "per country or group. Open a chapter to see its reports.</p>"
        '<div class="kz-filters" id="kz-sets-filters" hidden>'
        '<label>Chapter <select id="kz-sets-chapter"><option value="">all chapters</option>'
        f"{chapter_opts}</select></label>"
        '<label>Country <select id="kz-sets-group"><option value="">all countries</option>'
        f"{group_opts}</select></label>"
        f'<span id="kz-sets-count" aria-live="polite">{count_words(total, "report")}</span></div>'
        f"{''.join(blocks)}</section>"
    )


def cite_html() -> str:
    """The "Cite this project" box (plain text and BibTeX), or nothing without CITATION.cff."""
    from kzanalysis.citation import CitationError, project_citation

    try:
        cite = project_citation()
    except CitationError:
        return ""
    return (
        '<section class="kz-section kz-cite" id="cite" aria-labelledby="cite-h">'
        '<h2 id="cite-h">Cite this project</h2>'
        f'<p class="kz-cite-text">{escape(cite.text)}</p>'
        '<p class="kz-muted">BibTeX:</p>'
        f'<pre class="kz-bibtex">{escape(cite.bibtex)}</pre>'
        "<p>Cite the thesis for the argument, and the publishers for the data: each report "
        "lists its sources with their terms in its References, and every report has its own "
        "“Cite this report” box.</p></section>"
    )


def editions_html(record: dict[str, Any] | None, reasons: list[str]) -> str:
    """The data editions a published report was built on, with the stale flag and why."""
    if not record or not record.get("data_editions"):
        return "—"
    seen = dict.fromkeys(
        (str(e.get("publisher")), str(e.get("edition"))) for e in record["data_editions"]
    )
    items = "".join(f"<li>{escape(p)}: {escape(e)}</li>" for p, e in seen)
    flag = ' <span class="kz-stale-data">stale data</span>' if reasons else ""
    why = (
        '<ul class="kz-why">' + "".join(f"<li>{escape(r)}</li>" for r in reasons) + "</ul>"
        if reasons
        else ""
    )
    return (
        f"<details><summary>{count_words(len(seen), 'edition')}{flag}</summary>"
        f"<ul>{items}</ul></details>{why}"
    )


def status_html(reports: Path, name: str, record: dict[str, Any] | None) -> str:
    """A report's status in words, with its error page."""
    if record is None:
        return "not built"
    if record.get("status") == "ok":
        return '<span class="kz-ok">built</span>'
    err = error_path(reports, name)
    page = f' <a href="{escape(err.name)}">error page</a>' if err.is_file() else ""
    status = (
        f'<span class="kz-failed">failed</span> ({escape(str(record.get("error") or ""))}){page}'
    )
    if report_path(reports, name).is_file() and record.get("good_built_at"):
        status += (
            f'; <a href="{escape(name)}.html">last good report</a> built '
            f"{escape(str(record['good_built_at']))}"
        )
    return status


def status_section_html(
    reports: Path,
    chapters: list[tuple[str, str, list[tuple[str, str, str]]]],
    records: dict[str, dict[str, Any] | None],
    stale: dict[str, list[str]],
    params: dict[str, str],
    rule: str,
) -> str:
    """Build status, folded: time, commit, failures, and per report parameters and data."""
    attempts = [r for r in records.values() if r]
    last = max(attempts, key=lambda r: str(r.get("built_at") or ""), default=None)
    failed = [n for n, r in records.items() if r and r.get("status") not in (None, "ok")]
    flagged = [n for n, reasons in stale.items() if reasons]
    never = [n for n, r in records.items() if r is None]
    bits = [count_words(len(records), "report")]
    if last:
        bits.append(
            f"last build {last.get('built_at')} from commit {str(last.get('commit') or '?')[:12]}"
        )
    bits.append(f"{len(failed)} failed" if failed else "none failed")
    if never:
        bits.append(f"{len(never)} not built yet")
    bits.append(f"{count_words(len(flagged), 'report')} flagged stale data")
    failures = (
        "<p><strong>Failed:</strong> "
        + ", ".join(f'<a href="#status-{escape(n)}">{escape(n)}</a>' for n in failed)
        + "</p>"
        if failed
        else ""
    )
    changes = (
        f'<p>What the most recent data refresh changed: <a href="{CHANGES_NAME}">data '
        "changes</a>.</p>"
        if (reports / CHANGES_NAME).is_file()
        else ""
    )
    rows = []
    for _chapter, _label, items in chapters:
        for name, title, _country in items:
            record = records.get(name)
            link = (
                f'<a href="{escape(name)}.html">{escape(title)}</a>'
                if report_path(reports, name).is_file()
                else escape(title)
            )
            built = escape(str((record or {}).get("built_at") or "—"))
            commit = escape(str((record or {}).get("commit") or "—")[:12])
            rows.append(
                f'<tr id="status-{escape(name)}"><th scope="row">{link}</th>'
                f"<td>{status_html(reports, name, record)}</td><td>{built}</td>"
                f"<td>{commit}</td><td>{escape(params.get(name, '—'))}</td>"
                f"<td>{editions_html(record, stale.get(name) or [])}</td></tr>"
            )
    return (
        '<section class="kz-section" id="build" aria-labelledby="build-h">'
        '<h2 id="build-h">Build status</h2>'
        f'<details class="kz-build"><summary>{escape("; ".join(bits))}</summary>'
        f'{failures}<p class="kz-rule"><strong>Stale data.</strong> {escape(rule)}</p>'
        f"{changes}"
        '<div class="kz-scroll" tabindex="0" role="region" aria-label="Build status">'
        '<table class="kz-status"><thead><tr><th scope="col">Report</th>'
        '<th scope="col">Status</th><th scope="col">Built (UTC)</th><th scope="col">Commit</th>'
        '<th scope="col">Parameters</th><th scope="col">Data editions</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div></details></section>"
    )


INDEX_CSS = """
html{color-scheme:light dark}
body{margin:0;background:var(--kz-bg,#fff);color:var(--kz-ink);line-height:1.5;
  font-family:system-ui,-apple-system,"Segoe UI",sans-serif}
.kz-page{max-width:80rem;margin:0 auto;padding:0 1rem 2rem;overflow-wrap:break-word}
.kz-page .kz-header{max-width:none;margin:1rem 0}.kz-page main{max-width:none}
.kz-front h1{font-size:1.7rem;font-weight:650;margin:.1rem 0 .6rem;line-height:1.2}
.kz-argues,.kz-says{margin:.3rem 0;max-width:60rem}
.kz-page a{color:var(--kz-accent)}
.kz-tiles{display:flex;flex-wrap:wrap;gap:.5rem;margin:.5rem 0 .2rem;padding:0;list-style:none}
.kz-tile{display:inline-flex;align-items:baseline;gap:.35rem;border:1px solid var(--kz-line);
  border-radius:6px;padding:.3rem .8rem;text-decoration:none;color:var(--kz-ink)!important;
  background:var(--kz-bg,#fff)}
.kz-tile-n{font-size:1.5rem;font-weight:700;font-variant-numeric:tabular-nums}
.kz-tile-supported{border-left:6px solid #1a7f37}
.kz-tile-partly-supported{border-left:6px solid #bf8700}
.kz-tile-contradicted{border-left:6px solid #cf222e}
.kz-tile-untestable{border-left:6px solid #8c959f}
.kz-jump{display:flex;flex-wrap:wrap;gap:.2rem 1rem;margin:.6rem 0 0;padding:0;list-style:none;
  font-size:.95rem}
.kz-section{margin:1.8rem 0}.kz-section h2{font-size:1.3rem;margin:0 0 .4rem}
.kz-section>p{max-width:60rem}
.kz-scroll{overflow-x:auto;max-width:100%}
.kz-page table{border-collapse:collapse;width:100%;font-size:.92rem}
.kz-page td,.kz-page th{border-bottom:1px solid var(--kz-line);padding:.4rem .5rem;
  text-align:left;vertical-align:top}
.kz-page thead th{border-bottom:2px solid var(--kz-ink);background:var(--kz-soft)}
.kz-ledger{min-width:48rem}.kz-ledger tbody th{white-space:nowrap}
.kz-ledger td:nth-child(2){min-width:16rem}
.kz-unit{color:var(--kz-muted)}
.kz-then{font-size:.8rem;color:var(--kz-muted)}
.kz-ledger td:nth-child(5){min-width:8rem;max-width:14rem}
.kz-change{margin:.25rem 0 0;font-size:.85rem;color:var(--kz-muted)}
.kz-filters{display:flex;flex-wrap:wrap;gap:.5rem 1.2rem;align-items:center;margin:.4rem 0 .6rem}
.kz-filters select{font:inherit;padding:.15rem .3rem;margin-left:.3rem;color:var(--kz-ink);
  background:var(--kz-bg,#fff);border:1px solid var(--kz-line);border-radius:4px}
#kz-filter-count{color:var(--kz-muted)}
.kz-matrix{table-layout:fixed;min-width:60rem}.kz-matrix tbody th{width:9rem}
.kz-matrix td{font-size:.88rem}
.kz-cell-head{margin:0 0 .2rem;display:flex;flex-wrap:wrap;gap:.1rem .5rem;align-items:baseline}
.kz-place{display:none;font-weight:600}
.kz-headline{margin:0}
.kz-muted{color:var(--kz-muted)}
.kz-ok{color:#1a7f37;font-weight:600}.kz-failed{color:#b42318;font-weight:600}
.kz-stale-data,.kz-stale-mark{color:#8a5a00;font-weight:600;white-space:nowrap}
.kz-stale-mark{font-size:.8rem;border:1px solid currentColor;border-radius:999px;padding:0 .45rem}
.kz-status{min-width:60rem}.kz-status ul{margin:.2rem 0;padding-left:1.1rem}
.kz-why{color:var(--kz-muted);font-size:.85rem}
.kz-build>summary,.kz-sets>summary{cursor:pointer;color:var(--kz-accent)}
.kz-sets{margin:.3rem 0}.kz-sets>summary{font-weight:600}
.kz-sets-table{min-width:40rem;table-layout:fixed}.kz-sets-table thead th:first-child{width:14rem}
#kz-sets-count{color:var(--kz-muted)}
.kz-rule{max-width:60rem}
.kz-cite pre{background:var(--kz-soft);border:1px solid var(--kz-line);padding:.6rem;
  overflow-x:auto;font-size:.85rem;white-space:pre-wrap;overflow-wrap:anywhere}
.kz-badge{display:inline-block;border-radius:999px;padding:0 .55rem;font-size:.8rem;
  white-space:nowrap;border:1px solid currentColor}
.kz-badge-supported{color:#1a7f37;background:#dafbe1}
.kz-badge-partly-supported{color:#8a5a00;background:#fff1c7}
.kz-badge-contradicted{color:#b42318;background:#ffe4e0}
.kz-badge-untestable,.kz-badge-other{color:#57606a;background:#eef1f4}
@media (max-width:44rem){
  .kz-front h1{font-size:1.35rem}
  .kz-matrix,.kz-matrix tbody,.kz-matrix tr,.kz-matrix th,.kz-matrix td{display:block;width:auto}
  .kz-matrix{min-width:0}.kz-matrix thead{display:none}
  .kz-matrix tbody th{width:auto;border-bottom:2px solid var(--kz-ink);padding-top:1rem}
  .kz-matrix td.kz-empty{display:none}.kz-place{display:inline}
}
@media (prefers-color-scheme:dark){
  :root{--kz-ink:#e6edf3;--kz-muted:#9da7b3;--kz-line:#3d444d;--kz-soft:#161b22;
    --kz-accent:#6cb6ff;--kz-bg:#0d1117}
  body{background:#0d1117;color:#e6edf3}
  .kz-ok{color:#7ee2a8}.kz-failed{color:#ffa198}.kz-stale-data,.kz-stale-mark{color:#f2cc60}
  .kz-badge-supported{color:#7ee2a8;background:#12361f}
  .kz-badge-partly-supported{color:#f2cc60;background:#3b2e00}
  .kz-badge-contradicted{color:#ffa198;background:#490202}
  .kz-badge-untestable,.kz-badge-other{color:#9da7b3;background:#262c36}
}
@media print{
  body{background:#fff;color:#000}
  .kz-filters,.kz-jump{display:none!important}
  .kz-ledger tbody tr[hidden]{display:table-row}
  .kz-scroll{overflow:visible}
  .kz-ledger,.kz-matrix,.kz-status{min-width:0}
  .kz-ledger tr,.kz-matrix tr{break-inside:avoid}
  details.kz-build>*,details.kz-sets>*{display:block}
  .kz-sets[hidden]{display:block}.kz-sets-table [hidden]{display:table-cell}
  a{color:inherit;text-decoration:none}
}
"""

INDEX_JS = """
(function () {
  "use strict";
  var box = document.getElementById("kz-sets-filters");
  if (!box) { return; }
  var chapter = document.getElementById("kz-sets-chapter");
  var group = document.getElementById("kz-sets-group");
  var count = document.getElementById("kz-sets-count");
  var sets = document.querySelectorAll("details.kz-sets");
  function apply() {
    var shown = 0, total = 0;
    for (var i = 0; i < sets.length; i++) {
      var on = !chapter.value || sets[i].getAttribute("data-chapter") === chapter.value;
      sets[i].hidden = !on;
      if (on && chapter.value) { sets[i].open = true; }
      var cells = sets[i].querySelectorAll("[data-group]");
      for (var j = 0; j < cells.length; j++) {
        var off = !!group.value && cells[j].getAttribute("data-group") !== group.value;
        cells[j].hidden = off;
        if (cells[j].hasAttribute("data-report")) {
          total++;
          if (on && !off) { shown++; }
        }
      }
    }
    count.textContent = shown === total ?
      total + " reports" : "showing " + shown + " of " + total + " reports";
  }
  chapter.addEventListener("change", apply);
  group.addEventListener("change", apply);
  box.hidden = false;
  apply();
})();
(function () {
  "use strict";
  var table = document.getElementById("kz-ledger");
  var box = document.getElementById("kz-filters");
  if (!table || !box) { return; }
  var chapter = document.getElementById("kz-filter-chapter");
  var verdict = document.getElementById("kz-filter-verdict");
  var count = document.getElementById("kz-filter-count");
  var rows = table.tBodies[0].rows;
  function apply() {
    var shown = 0;
    for (var i = 0; i < rows.length; i++) {
      var row = rows[i];
      var ok = (!chapter.value || row.getAttribute("data-chapter") === chapter.value) &&
               (!verdict.value || row.getAttribute("data-verdict") === verdict.value);
      row.hidden = !ok;
      if (ok) { shown++; }
    }
    count.textContent = shown === rows.length ?
      rows.length + " claims" : "showing " + shown + " of " + rows.length + " claims";
  }
  chapter.addEventListener("change", apply);
  verdict.addEventListener("change", apply);
  var tiles = document.querySelectorAll("a[data-kz-verdict]");
  for (var j = 0; j < tiles.length; j++) {
    tiles[j].addEventListener("click", function () {
      chapter.value = "";
      verdict.value = this.getAttribute("data-kz-verdict");
      apply();
    });
  }
  box.hidden = false;
  apply();
})();
"""


def render_index(
    reports: Path,
    variants: Iterable[tuple[str, str]],
    max_age_days: int = DEFAULT_MAX_DATA_AGE_DAYS,
    data: Path | None = None,
    cache: dict[str, Any] | None = None,
) -> str:
    """The front page for ``(name, title)`` pairs.

    Args:
        reports: The reports folder (state records, reports, error pages).
        variants: The configured variants, ``(name, title)``.
        max_age_days: Edition-age limit for sources without a declared release cadence.
        data: The data folder (default: the project's ``data/``): claims and catalog.
        cache: The index cache (read and updated in place; default: read from ``reports``).
    """
    from kzanalysis.paths import data_dir

    data = Path(data) if data is not None else data_dir()
    cache = read_cache(reports) if cache is None else cache
    ledger_lib, all_lib = _library_digests()
    variants = list(variants)
    known = {n for n, _ in variants}
    chapters = group_by_chapter(variants)
    records = {n: load_state(reports, n) for n, _ in variants}
    try:
        resources = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))["resources"]
    except (OSError, ValueError, KeyError, TypeError):
        resources = None
    stale = {
        n: stale_reasons(
            (r or {}).get("data_editions") or [],
            resources,
            build_date((r or {}).get("good_built_at")),
            max_age_days,
        )
        for n, r in records.items()
    }
    _tables, current = catalog_sources(resources or [])
    undeclared = any(
        "release_cadence_months"
        not in current.get((str(e.get("dataset")), str(e.get("source"))), {})
        for r in records.values()
        for e in (r or {}).get("data_editions") or []
    )
    rule = STALE_RULE + (" " + FALLBACK_RULE.format(days=max_age_days) if undeclared else "")
    params = {
        n: params_words((r or {}).get("parameters"), cache, all_lib)
        for n, r in records.items()
        if r is not None
    }
    used = {_canonical(r.get("parameters")) for r in records.values() if r and r.get("parameters")}
    if isinstance(cache.get("params"), dict):  # forget the words of parameters no longer used
        texts = cache["params"].get("texts") or {}
        cache["params"]["texts"] = {k: v for k, v in texts.items() if k in used}
    if isinstance(cache.get("headlines"), dict):  # forget reports no longer configured
        files = {f"{n}.html" for n in known}
        cache["headlines"] = {k: v for k, v in cache["headlines"].items() if k in files}
    ledger = cached_ledger(reports, data, cache, ledger_lib)
    jump = (
        '<ul class="kz-jump">'
        + ('<li><a href="#ledger">Claims ledger</a></li>' if ledger and ledger.get("rows") else "")
        + '<li><a href="#reports">Reports</a></li>'
        + (
            '<li><a href="#parameter-sets">Parameter sets</a></li>'
            if parameter_sets(chapters)
            else ""
        )
        + '<li><a href="#cite">Cite this project</a></li>'
        '<li><a href="#build">Build status</a></li></ul>'
    )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="color-scheme" content="light dark">'
        "<title>Russia and China in Kazakhstan: the thesis against the data</title>"
        f"<style>{CSS}{INDEX_CSS}</style></head><body>"
        '<div class="kz-page"><header class="kz-header kz-front">'
        '<p class="kz-kicker">kzanalysis · reproducible evidence</p>'
        "<h1>Russia and China in Kazakhstan: the thesis against the data</h1>"
        f"{intro_html(ledger)}{jump}</header><main>"
        f"{ledger_html(ledger, reports, known)}"
        f"{matrix_html(reports, chapters, records, stale, cache)}"
        f"{parameter_sets_html(reports, chapters, records, stale)}"
        f"{cite_html()}"
        f"{status_section_html(reports, chapters, records, stale, params, rule)}"
        f"</main></div><script>{INDEX_JS}</script></body></html>\n"
    )


def write_index(
    reports: Path,
    variants: Iterable[tuple[str, str]],
    max_age_days: int = DEFAULT_MAX_DATA_AGE_DAYS,
) -> bool:
    """Write ``index.html`` (and the index cache) if their content changed; True if the
    page was written."""
    path = reports / INDEX_NAME
    cache = read_cache(reports)
    page = render_index(reports, variants, max_age_days, cache=cache)
    write_cache(reports, cache)
    if path.is_file() and path.read_text(encoding="utf-8") == page:
        return False
    atomic_write_text(path, page)
    return True
