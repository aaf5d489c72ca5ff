"""Numbered references: each source cited once, listed once, with one terms note per publisher.

Figures and tables cite the sources of the tables they show (the provenance that
:func:`kzanalysis.datasets.load` attaches: ``df.attrs["provenance"]["sources"]``). A
:class:`References` collector numbers each source the first time an element citing it
is displayed, and renders the list at the end of the report: publisher, title, edition,
URL and licence per source, then one terms note per publisher (publishers with the same
terms text share one note).

A notebook needs no collector of its own: elements cite into the kernel's collector
(:func:`references`), and the report's last cell displays it. Pass ``refs=`` to keep
a separate list (tests, two reports in one process).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from kzanalysis.report.css import style_block


@dataclass(frozen=True)
class SourceRef:
    """One upstream source as the references show it.

    Attributes:
        id: Source id of the catalog (``sipri_register_2026``); cited once per id.
        publisher: Publisher's name.
        title: Dataset or publication title.
        edition: Edition, vintage or release.
        url: Where the publisher serves the data.
        terms: Terms of use in words.
        licence: Standard licence id (``CC-BY-4.0``) when the terms are a standard
            licence, else empty.
        terms_url: The publisher's terms page, if known.
    """

    id: str
    publisher: str
    title: str
    edition: str = ""
    url: str = ""
    terms: str = ""
    licence: str = ""
    terms_url: str = ""

    @classmethod
    def from_provenance(cls, src: Mapping[str, Any]) -> SourceRef:
        """From one ``provenance["sources"]`` entry (licence and terms page from the specs)."""
        sid = str(src.get("id") or src.get("title") or "source")
        spec = _spec_sources().get(sid)
        return cls(
            id=sid,
            publisher=str(src.get("publisher") or ""),
            title=str(src.get("title") or ""),
            edition=str(src.get("edition") or ""),
            url=str(src.get("path") or src.get("url") or ""),
            terms=str(src.get("terms") or ""),
            licence=str(src.get("license") or getattr(spec, "license_id", None) or ""),
            terms_url=str(src.get("terms_url") or getattr(spec, "terms_url", None) or ""),
        )

    @property
    def short(self) -> str:
        """A short citation: "SIPRI Arms Transfers Database, data generated 18 May 2026"."""
        title = re.split(r":\s| — | – ", self.title, maxsplit=1)[0].strip()
        if len(title) > 70 and " (" in title:
            title = title.split(" (", 1)[0]
        title = _cut(title, 90)
        publisher = _publisher_short(self.publisher)
        if publisher and publisher.lower() not in title.lower():
            title = f"{publisher} {title}" if _is_acronym(publisher) else f"{publisher}, {title}"
        edition = _cut(re.split(r" \(|;", self.edition, maxsplit=1)[0].strip(), 60)
        if len(edition) > 1 and edition[0].isupper() and edition[1].islower():
            edition = edition[0].lower() + edition[1:]
        if edition and edition.casefold() in title.casefold():
            return title  # "Bilateral FDI Statistics 2014" names its edition already
        return f"{title}, {edition}" if edition else title


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _is_acronym(text: str) -> bool:
    return bool(re.fullmatch(r"[A-Z][A-Za-z]*[A-Z][A-Za-z]*", text)) and len(text) <= 8


def _publisher_short(publisher: str) -> str:
    """ "Stockholm International Peace Research Institute (SIPRI)" → "SIPRI" (the first
    acronym in parentheses before the first comma); else the name before its first
    parenthesis or comma."""
    first = re.split(r", ", publisher, maxsplit=1)[0]  # the publisher, not whose data
    for inside in re.finditer(r"\(([^()]+)\)", first):
        if _is_acronym(inside.group(1).strip()):
            return inside.group(1).strip()
    return re.split(r" \(|, ", publisher, maxsplit=1)[0].strip()


@functools.cache
def _spec_sources() -> dict[str, Any]:
    """Source id → :class:`kzanalysis.schema.Source` of the table specs (code, not data)."""
    try:
        from kzanalysis.specs import all_specs

        return {src.id: src for spec in all_specs() for src in spec.sources}
    except Exception:  # pragma: no cover - references must render without the registry
        return {}


SourceLike = Any  # a DataFrame with provenance, a provenance mapping, a source dict, SourceRef


def sources_of(
    sources: SourceLike | Sequence[SourceLike] | None, ids: Iterable[str] | None = None
) -> tuple[SourceRef, ...]:
    """The sources to cite, in order, each once.

    Args:
        sources: Tables loaded with :func:`kzanalysis.datasets.load` (their provenance),
            provenance mappings, ``provenance["sources"]`` entries or :class:`SourceRef`s;
            one or a list.
        ids: Cite only these source ids (e.g. the one edition a figure uses).

    Raises:
        ValueError: if ``ids`` names a source none of ``sources`` has, or a table has
            no provenance.
    """
    if sources is None:
        return ()
    items = list(sources) if isinstance(sources, list | tuple) else [sources]
    found: dict[str, SourceRef] = {}
    for item in items:
        for ref in _refs_of(item):
            found.setdefault(ref.id, ref)
    if ids is None:
        return tuple(found.values())
    wanted = list(dict.fromkeys(ids))
    missing = [i for i in wanted if i not in found]
    if missing:
        raise ValueError(
            f"source ids {missing} are not among the sources given ({sorted(found)}); "
            "pass the tables the element shows, or fix the ids"
        )
    return tuple(found[i] for i in wanted)


def _refs_of(item: SourceLike) -> list[SourceRef]:
    if isinstance(item, SourceRef):
        return [item]
    attrs = getattr(item, "attrs", None)
    if attrs is not None and not isinstance(item, Mapping):
        if "provenance" not in attrs:
            raise ValueError(
                "a table without provenance cannot be cited: load it with "
                "kzanalysis.datasets.load() (derived frames keep it) or pass its sources"
            )
        item = attrs["provenance"]
    if isinstance(item, Mapping) and "sources" in item:
        return [SourceRef.from_provenance(s) for s in item["sources"]]
    if isinstance(item, Mapping):
        return [SourceRef.from_provenance(item)]
    raise TypeError(f"cannot cite a {type(item).__name__}: pass a table or its provenance")


class References:
    """Numbered references of one report.

    Example:
        >>> refs = References()
        >>> src = SourceRef("imf_dots", "International Monetary Fund (IMF)", "DOTS", "2022")
        >>> refs.cite([src]), refs.cite([src]), len(refs)
        ([1], [1], 1)
    """

    def __init__(self) -> None:
        self._numbers: dict[str, int] = {}
        self._sources: list[SourceRef] = []

    def cite(self, sources: Iterable[SourceRef]) -> list[int]:
        """Number each source (once, in order of first citation); return their numbers."""
        out = []
        for src in sources:
            if src.id not in self._numbers:
                self._sources.append(src)
                self._numbers[src.id] = len(self._sources)
            out.append(self._numbers[src.id])
        return out

    def number(self, source_id: str) -> int | None:
        """The number of a cited source id (None if not cited)."""
        return self._numbers.get(source_id)

    def __len__(self) -> int:
        return len(self._sources)

    @property
    def sources(self) -> tuple[SourceRef, ...]:
        """The cited sources in number order."""
        return tuple(self._sources)

    def clear(self) -> None:
        """Forget every citation (a new report in the same kernel)."""
        self._numbers.clear()
        self._sources.clear()

    def terms_notes(self) -> list[tuple[list[str], str, str]]:
        """One ``(publishers, terms, terms_url)`` per publisher, in first-cited order.

        A publisher whose sources state their terms in several texts gets one note (texts
        that another of its texts already contains are dropped, the rest joined);
        publishers with the same terms share a note (e.g. bp and the Energy Institute).
        """
        texts: dict[str, list[str]] = {}  # publisher → its distinct terms texts
        for src in self._sources:
            if src.terms:
                mine = texts.setdefault(src.publisher, [])
                if src.terms not in mine:
                    mine.append(src.terms)
        merged = {pub: _merge_terms(found) for pub, found in texts.items()}
        for pub, text in merged.items():  # contained in another publisher's note: share it
            wider = [t for t in merged.values() if t != text and text in t]
            if wider:
                merged[pub] = max(wider, key=len)
        notes: dict[str, tuple[list[str], str]] = {}
        for src in self._sources:
            if src.publisher not in merged:
                continue
            publishers, _ = notes.setdefault(merged[src.publisher], ([], src.terms_url))
            if src.publisher not in publishers:
                publishers.append(src.publisher)
        return [(pubs, terms, url) for terms, (pubs, url) in notes.items()]

    def _item_text(self, src: SourceRef) -> str:
        parts = [_sentence(src.publisher), _sentence(src.title)]
        if src.edition:
            parts.append(_sentence(f"Edition: {src.edition}"))
        if src.url:
            parts.append(f"{src.url}.")
        parts.append(f"Licence: {src.licence}." if src.licence else "Terms: see below.")
        return " ".join(parts)

    def __repr__(self) -> str:
        if not self._sources:
            return "References: none cited."
        lines = ["References"]
        lines += [f"[{i}] {self._item_text(s)}" for i, s in enumerate(self._sources, 1)]
        notes = self.terms_notes()
        if notes:
            lines.append("Terms of use")
            lines += [f"{'; '.join(pubs)}: {terms}" for pubs, terms, _ in notes]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return style_block() + self.html()

    def html(self, heading: bool = True) -> str:
        """The references section (``<h2 id="references">`` unless ``heading=False``)."""
        head = '<h2 id="references">References</h2>' if heading else ""
        if not self._sources:
            return f'<section class="kz-el kz-references">{head}<p>No source cited.</p></section>'
        items = []
        for i, src in enumerate(self._sources, 1):
            title = escape(src.title)
            url = (
                f' <a href="{escape(src.url)}">{escape(src.url)}</a>.'
                if src.url.startswith(("http://", "https://"))
                else (f" {escape(src.url)}." if src.url else "")
            )
            licence = (
                f" Licence: {escape(src.licence)}."
                if src.licence
                else ' <a href="#kz-terms">Terms of use</a> below.'
            )
            edition = f" {escape(_sentence(f'Edition: {src.edition}'))}" if src.edition else ""
            items.append(
                f'<li id="ref-{i}" value="{i}">{escape(_sentence(src.publisher))} '
                f"<cite>{title}</cite>{'' if src.title.endswith('.') else '.'}"
                f"{edition}{url}{licence}</li>"
            )
        notes = "".join(
            f"<li><strong>{escape('; '.join(pubs))}</strong>: {escape(terms)}"
            + (f' (<a href="{escape(url)}">terms</a>)' if url else "")
            + "</li>"
            for pubs, terms, url in self.terms_notes()
        )
        terms = (
            f'<p class="kz-terms-title" id="kz-terms">Terms of use</p><ul class="kz-terms">'
            f"{notes}</ul>"
            if notes
            else ""
        )
        return (
            f'<section class="kz-el kz-references">{head}<ol>{"".join(items)}</ol>{terms}</section>'
        )


_DEFAULT = References()


def references() -> References:
    """The kernel's collector: elements without ``refs=`` cite into it; display it last."""
    return _DEFAULT


def cite_line(refs: References, sources: Sequence[SourceRef], note: str = "") -> tuple[str, str]:
    """The source line of an element as ``(html, text)``: "Source: … [2]." with links."""
    if not sources:
        return "", ""
    numbers = refs.cite(sources)
    lead = "Source" if len(sources) == 1 else "Sources"
    html_parts = [
        f'{escape(s.short)} <a class="kz-cite" href="#ref-{n}">[{n}]</a>'
        for s, n in zip(sources, numbers, strict=True)
    ]
    text_parts = [f"{s.short} [{n}]" for s, n in zip(sources, numbers, strict=True)]
    extra = f" {note.strip()}" if note.strip() else ""
    return (
        f'<p class="kz-source">{lead}: {"; ".join(html_parts)}.{escape(extra)}</p>',
        f"{lead}: {'; '.join(text_parts)}.{extra}",
    )


def _sentence(text: str) -> str:
    """``text`` ending in one full stop ("bp p.l.c." stays as it is, not "bp p.l.c..")."""
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else f"{text}."


def _merge_terms(texts: list[str]) -> str:
    """One publisher's terms texts as one: drop a text another one contains, join the rest."""
    kept = [t for t in texts if not any(t != o and t.strip() in o for o in texts)]
    return " ".join(dict.fromkeys(kept))
