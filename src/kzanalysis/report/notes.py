"""Reader text elements: the "Key findings" box and short notes."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

from kzanalysis.report.css import style_block


def _anchor_of(target: Any) -> tuple[str, str]:
    """``(anchor, what)`` of an element or an anchor string (``"#fig-…"`` or ``"fig-…"``)."""
    anchor = getattr(target, "anchor", None)
    if anchor is None:
        anchor = str(target).lstrip("#")
    what = "figure" if anchor.startswith("fig-") else "table" if anchor.startswith("tbl-") else ""
    return anchor, what


class Findings:
    """The "Key findings" box: 3–6 sentences computed by the caller.

    Args:
        items: Sentences; each a string, or ``(sentence, element)`` to link it to a
            :class:`Figure`/:class:`Table` (or an anchor such as ``"fig-…"``).
        title: Heading of the box.

    Raises:
        ValueError: for fewer than 3 or more than 6 sentences, or an empty one.
    """

    MIN_ITEMS = 3
    MAX_ITEMS = 6

    def __init__(self, items: Sequence[str | tuple[str, Any]], *, title: str = "Key findings"):
        self.title = title
        self.items: list[tuple[str, str | None, str]] = []
        for item in items:
            sentence, target = (item, None) if isinstance(item, str) else item
            text = " ".join(str(sentence).split())
            if not text:
                raise ValueError("a finding is an empty sentence")
            anchor, what = _anchor_of(target) if target is not None else (None, "")
            self.items.append((text, anchor, what))
        if not self.MIN_ITEMS <= len(self.items) <= self.MAX_ITEMS:
            raise ValueError(
                f"key findings take {self.MIN_ITEMS}–{self.MAX_ITEMS} sentences, "
                f"got {len(self.items)}"
            )

    def html(self) -> str:
        """The box's HTML (without the stylesheet)."""
        lis = []
        for text, anchor, what in self.items:
            link = (
                f' <a class="kz-see" href="#{escape(anchor)}">(see the {what or "details"})</a>'
                if anchor
                else ""
            )
            lis.append(f"<li>{escape(text)}{link}</li>")
        return (
            f'<section class="kz-el kz-findings" aria-label="{escape(self.title)}">'
            f'<p class="kz-title">{escape(self.title)}</p><ul>{"".join(lis)}</ul></section>'
        )

    def _repr_html_(self) -> str:
        return style_block() + self.html()

    def __repr__(self) -> str:
        lines = [self.title]
        for text, anchor, what in self.items:
            lines.append(f"- {text}" + (f" (see the {what or 'details'})" if anchor else ""))
        return "\n".join(lines)


class Note:
    """A short reader note (a caveat, a definition) as a plain paragraph.

    Args:
        text: The note (reader text).
        label: Lead word shown in bold ("Note", "Caveat"); ``""`` for none.
    """

    def __init__(self, text: str, *, label: str = "Note") -> None:
        self.text = " ".join(str(text).split())
        if not self.text:
            raise ValueError("a note needs text")
        self.label = label.strip()

    def html(self) -> str:
        """The note's HTML (without the stylesheet)."""
        lead = f"<strong>{escape(self.label)}.</strong> " if self.label else ""
        return f'<p class="kz-el kz-note">{lead}{escape(self.text)}</p>'

    def _repr_html_(self) -> str:
        return style_block() + self.html()

    def __repr__(self) -> str:
        return f"{self.label}. {self.text}" if self.label else self.text
