"""What figures and tables share: anchor, sources and their line, the CSV download."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

import pandas as pd

from kzanalysis.report import csvdata
from kzanalysis.report.references import (
    References,
    SourceLike,
    SourceRef,
    cite_line,
    references,
    sources_of,
)
from kzanalysis.report.text import slug


class Element:
    """Base of :class:`~kzanalysis.report.Figure` and :class:`~kzanalysis.report.Table`.

    Attributes:
        title: The element's title (reader text).
        subtitle: One sentence computed from the data (may be empty for a table).
        anchor: ``fig-<slug>`` / ``tbl-<slug>`` of the title (stable across runs).
        sources: The sources it cites (each once).
    """

    prefix = "el"
    kind = "element"

    def __init__(
        self,
        *,
        title: str,
        subtitle: str,
        sources: SourceLike | list[SourceLike] | None,
        source_ids: Iterable[str] | None,
        refs: References | None,
        note: str,
        anchor: str | None,
        csv_name: str | None,
    ) -> None:
        if not str(title).strip():
            raise ValueError(f"a {self.kind} needs a title")
        self.title = " ".join(str(title).split())
        self.subtitle = " ".join(str(subtitle or "").split())
        self.sources: tuple[SourceRef, ...] = sources_of(sources, source_ids)
        self.note = " ".join(str(note or "").split())
        self.anchor = anchor or f"{self.prefix}-{slug(self.title)}"
        self.csv_name = csv_name or f"{slug(self.title)}.csv"
        self._refs = refs

    @property
    def refs(self) -> References:
        """The collector this element cites into (the kernel's unless ``refs=`` was given)."""
        return self._refs if self._refs is not None else references()

    def _source_line(self) -> tuple[str, str]:
        return cite_line(self.refs, self.sources, self.note)

    def _csv(self, frame: pd.DataFrame) -> str:
        return csvdata.csv_text(frame, title=self.title, sources=self.sources)

    def _head_html(self) -> str:
        sub = f'<p class="kz-subtitle">{escape(self.subtitle)}</p>' if self.subtitle else ""
        return f'<p class="kz-title" id="{self.anchor}-title">{escape(self.title)}</p>{sub}'

    def _head_text(self) -> list[str]:
        return [self.title] + ([self.subtitle] if self.subtitle else [])
