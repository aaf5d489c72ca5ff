"""Tables as a reader reads them: headers with units, fixed decimals, badges, names.

HTML from pandas' ``Styler`` with a fixed id (``set_uuid``: no random ids, so nbval
compares it), no per-cell ids, numbers right-aligned and never wrapped, text wrapping
only between words; long tables show their first rows and fold the rest (``<details>``);
the full table has the class ``kz-sortable`` (the report template's filter and sort
script). Missing values are "–" with a note saying why.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from html import escape
from typing import Any, Literal

import pandas as pd

from kzanalysis.report import csvdata
from kzanalysis.report.base import Element
from kzanalysis.report.css import style_block
from kzanalysis.report.references import References, SourceLike
from kzanalysis.report.text import (
    MISSING,
    SHORT_NAMES,  # noqa: F401  (re-exported: table.SHORT_NAMES, table.country_name)
    country_name,
    day_month_year,
    header,
    is_identifier,
    is_missing,
    label,
    month_year,
    number,
    slug,
)

Kind = Literal[
    "auto",
    "number",
    "integer",
    "year",
    "text",
    "label",
    "country",
    "verdict",
    "month",
    "date",
    "bool",
]

#: Kinds shown right-aligned, without wrapping.
NUMERIC_KINDS = frozenset({"number", "integer", "year"})


@dataclass(frozen=True)
class Col:
    """How one column is shown.

    Attributes:
        header: Reader header with its unit, e.g. "Turnover (US$ mn)"; default from the
            column name (``value_usd_mn`` → "Value (US$ mn)").
        kind: ``number``, ``integer``, ``year``, ``text``, ``label`` (code-like values
            in words), ``country`` (ISO3/group code → name), ``verdict`` (badge),
            ``month`` ("March 2022"), ``date`` ("15 March 2022"), ``bool`` (yes/no), or
            ``auto`` (from the dtype and name).
        decimals: Decimals of a number (default 1; integers 0).
        unit: Unit for the default header, when the name has no unit suffix.
    """

    header: str | None = None
    kind: Kind = "auto"
    decimals: int | None = None
    unit: str | None = None


ColumnSpec = Col | str


def _kind_of(name: str, series: pd.Series) -> str:
    lowered = name.lower()
    if pd.api.types.is_bool_dtype(series):
        return "bool"
    if pd.api.types.is_datetime64_any_dtype(series):
        return "date"
    if pd.api.types.is_numeric_dtype(series):
        yearish = lowered == "year" or lowered.endswith("_year")
        values = series.dropna()
        if yearish and (values.empty or (values == values.round()).all()):
            return "year"
        return "integer" if pd.api.types.is_integer_dtype(series) else "number"
    if lowered.endswith("iso3") or lowered in ("country", "partner", "reporter"):
        return "country"
    if lowered == "verdict" or lowered.endswith("_verdict"):
        return "verdict"
    values = series.dropna()
    if (
        not values.empty
        and values.map(
            lambda v: is_identifier(v) or (isinstance(v, str) and v.isidentifier() and v.islower())
        ).all()
        and values.map(is_identifier).any()
    ):
        return "label"
    return "text"


def _formatter(kind: str, decimals: int | None) -> Callable[[Any], str]:
    """Value → escaped HTML for one column kind."""
    if kind == "number":
        return lambda v: number(v, 1 if decimals is None else decimals)
    if kind == "integer":
        return lambda v: number(v, decimals or 0)
    if kind == "year":
        return lambda v: MISSING if is_missing(v) else str(int(v))
    if kind == "country":
        return lambda v: escape(country_name(v))
    if kind == "label":
        return lambda v: escape(label(v))
    if kind == "verdict":
        return _badge
    if kind == "month":
        return month_year
    if kind == "date":
        return day_month_year
    if kind == "bool":
        return lambda v: MISSING if is_missing(v) else ("yes" if bool(v) else "no")
    return lambda v: MISSING if is_missing(v) else escape(" ".join(str(v).split()))


_VERDICTS = {"supported", "partly-supported", "contradicted", "untestable"}


def _badge(value: Any) -> str:
    """A verdict as a labelled badge: ``partly_supported`` → "partly supported"."""
    if is_missing(value):
        return MISSING
    text = label(value)
    key = slug(text)
    cls = key if key in _VERDICTS else "other"
    return f'<span class="kz-badge kz-badge-{cls}">{escape(text)}</span>'


def _plain(kind: str, decimals: int | None) -> Callable[[Any], str]:
    """Value → plain text (the text/plain table)."""
    if kind == "verdict":
        return lambda v: label(v)
    if kind in NUMERIC_KINDS:
        fmt = _formatter(kind, decimals)
        return lambda v: fmt(v).replace("−", "-")
    fmt = _formatter(kind, decimals)
    import html

    return lambda v: html.unescape(fmt(v))


def _with_row_ids(html: str, row_ids: list[str]) -> str:
    """Styler HTML with ``id="…"`` on each body row, in order."""
    head, sep, body = html.partition("<tbody>")
    if not sep:
        return html
    ids = iter(row_ids)
    body = re.sub(r"<tr>", lambda _m: f'<tr id="{escape(next(ids))}">', body)
    return head + sep + body


class Table(Element):
    """A formatted table with its title, notes, sources and CSV download.

    Args:
        frame: The rows (index ignored unless ``index=True``).
        columns: Columns to show, in order: name → :class:`Col` or a header string.
            ``None`` shows every column with default headers and formats.
        title: Title (reader text; also the anchor ``tbl-<slug>`` and the CSV name).
        subtitle: One sentence computed by the caller (optional).
        notes: Footnotes (sentences).
        missing_note: Why values are missing ("no deliveries recorded in the window");
            shown as "– : …" when the table has missing values.
        sources: Tables loaded with :func:`kzanalysis.datasets.load` (or their
            provenance) whose sources the rows come from.
        source_ids: Cite only these source ids.
        refs: Reference collector (default: the kernel's, :func:`references`).
        note: Sentence after the source line ("Calculations: kzanalysis.").
        max_rows: More rows than this fold: the first ``preview_rows`` show, the rest
            under "Show all N rows".
        preview_rows: Rows shown above the fold.
        sortable: Filter box and sortable columns (class ``kz-sortable``); default: more
            than 5 rows.
        index: Show the index as the first column(s).
        anchor: Anchor id instead of ``tbl-<slug of title>``.
        csv_name: Download file name instead of ``<slug of title>.csv``.
        row_ids: One anchor id per row (``claim-C10``), put on the rows of the full
            table (not on the preview above a fold), so a link can point at a row.

    Raises:
        ValueError: if a listed column is missing, or a numeric column's header has no
            unit in parentheses (years excepted).
    """

    prefix = "tbl"
    kind = "table"

    def __init__(
        self,
        frame: pd.DataFrame,
        columns: Mapping[str, ColumnSpec] | Iterable[str] | None = None,
        *,
        title: str,
        subtitle: str = "",
        notes: Iterable[str] = (),
        missing_note: str = "",
        sources: SourceLike | list[SourceLike] | None = None,
        source_ids: Iterable[str] | None = None,
        refs: References | None = None,
        note: str = "",
        max_rows: int = 15,
        preview_rows: int = 10,
        sortable: bool | None = None,
        index: bool = False,
        anchor: str | None = None,
        csv_name: str | None = None,
        row_ids: Iterable[str] | None = None,
    ) -> None:
        super().__init__(
            title=title,
            subtitle=subtitle,
            sources=sources,
            source_ids=source_ids,
            refs=refs,
            note=note,
            anchor=anchor,
            csv_name=csv_name,
        )
        data = frame.reset_index() if index else frame.reset_index(drop=True)
        if columns is None:
            specs: dict[str, Col] = {str(c): Col() for c in data.columns}
        elif isinstance(columns, Mapping):
            specs = {k: (Col(header=v) if isinstance(v, str) else v) for k, v in columns.items()}
        else:
            specs = {str(c): Col() for c in columns}
        unknown = [c for c in specs if c not in data.columns]
        if unknown:
            raise ValueError(
                f"table {self.title!r}: columns {unknown} are not in the frame "
                f"(it has {list(map(str, data.columns))})"
            )
        self.kinds = {
            c: (s.kind if s.kind != "auto" else _kind_of(c, data[c])) for c, s in specs.items()
        }
        self.headers = {c: s.header or header(c, s.unit) for c, s in specs.items()}
        for c, kind in self.kinds.items():
            h = self.headers[c]
            if kind in ("number", "integer") and not ("(" in h and h.endswith(")")):
                raise ValueError(
                    f"table {self.title!r}: numeric column {c!r} has no unit in its header "
                    f"{h!r}; pass Col(header='… (unit)') or Col(unit=…)"
                )
        self.decimals = {c: s.decimals for c, s in specs.items()}
        self.frame = data[list(specs)].copy()
        self.notes = [" ".join(str(n).split()) for n in notes if str(n).strip()]
        self.missing_note = " ".join(str(missing_note or "").split())
        self.max_rows, self.preview_rows = max_rows, min(preview_rows, max_rows)
        self.row_ids = [str(i) for i in row_ids] if row_ids is not None else None
        if self.row_ids is not None and (
            len(self.row_ids) != len(self.frame) or len(set(self.row_ids)) != len(self.row_ids)
        ):
            raise ValueError(
                f"table {self.title!r}: row_ids must name each of its {len(self.frame)} rows "
                "once (one distinct id per row)"
            )
        self.sortable = len(self.frame) > 5 if sortable is None else sortable
        # short one-word values ("1992–1996", codes, badges) never wrap inside a cell
        self._one_word = {
            c
            for c in self.frame.columns
            if self.kinds[c] not in NUMERIC_KINDS
            and self.frame[c]
            .map(lambda v, k=self.kinds[c]: len(_plain(k, None)(v).split()) <= 1)
            .all()
        } | {c for c, k in self.kinds.items() if k == "verdict"}

    # --- data ---------------------------------------------------------------------

    @property
    def has_missing(self) -> bool:
        """True when a shown cell is missing (then the "–" note is shown)."""
        return bool(self.frame.isna().to_numpy().any())

    def csv_frame(self) -> pd.DataFrame:
        """The rows of the download: reader headers, raw values (codes as names)."""
        out = pd.DataFrame(index=self.frame.index)
        for c in self.frame.columns:
            kind, values = self.kinds[c], self.frame[c]
            if kind in ("country", "label", "verdict", "month", "date", "bool"):
                fmt = _plain(kind, None)
                values = values.map(lambda v, f=fmt: None if is_missing(v) else f(v))
            out[self.headers[c]] = values
        return out

    def csv(self) -> str:
        """The CSV download's text (comment lines, then the rows)."""
        return self._csv(self.csv_frame())

    # --- HTML ---------------------------------------------------------------------

    def _styled(
        self, frame: pd.DataFrame, uuid: str, classes: str, row_ids: list[str] | None = None
    ) -> str:
        from pandas.io.formats.style import Styler

        shown = frame.rename(columns=self.headers)
        styler = Styler(shown, uuid=uuid, cell_ids=False)
        styler.hide(axis="index")
        styler.format(
            {self.headers[c]: _formatter(k, self.decimals[c]) for c, k in self.kinds.items()},
            na_rep=MISSING,
        )
        styler.format_index(escape="html", axis=1)
        num = [k in NUMERIC_KINDS for k in self.kinds.values()]
        classes_of = [
            "kz-num" if n else ("kz-text kz-nowrap" if c in self._one_word else "kz-text")
            for n, c in zip(num, self.kinds, strict=True)
        ]
        td = pd.DataFrame(
            [classes_of] * len(shown),
            index=shown.index,
            columns=shown.columns,
        )
        styler.set_td_classes(td)
        styler.set_table_styles(
            [
                {"selector": f"th.col{i}", "props": "text-align:right"}
                for i, n in enumerate(num)
                if n
            ]
        )
        styler.set_table_attributes(
            f'class="kz-data {classes}" aria-labelledby="{self.anchor}-title"'
        )
        html = styler.to_html(doctype_html=False)
        html = html.replace('<style type="text/css">\n</style>\n', "")
        return _with_row_ids(html, row_ids) if row_ids else html

    def html(self) -> str:
        """The element's HTML (without the stylesheet)."""
        n = len(self.frame)
        full_cls = "kz-sortable" if self.sortable else "kz-plain"
        uuid = f"kz-{self.anchor}"
        full = self._styled(self.frame, uuid, full_cls, self.row_ids)
        if n > self.max_rows:
            preview = self._styled(self.frame.head(self.preview_rows), f"{uuid}-top", "kz-plain")
            body = (
                f'<div class="kz-scroll kz-preview">{preview}</div>'
                f'<details class="kz-fold"><summary>Show all {n:,} rows</summary>'
                f'<div class="kz-scroll">{full}</div></details>'
            )
        else:
            body = f'<div class="kz-scroll">{full}</div>'
        source_html, _ = self._source_line()
        return (
            f'<div class="kz-el kz-table" id="{self.anchor}">{self._head_html()}{body}'
            f"{self._notes_html()}{source_html}"
            f'<p class="kz-actions">{csvdata.download_link(self.csv(), self.csv_name)}</p></div>'
        )

    def _note_lines(self) -> list[str]:
        lines = list(self.notes)
        if self.has_missing:
            lines.append(f"{MISSING} {self.missing_note or 'no value in the source data.'}")
        return lines

    def _notes_html(self) -> str:
        lines = self._note_lines()
        if not lines:
            return ""
        return '<div class="kz-notes">' + "".join(f"<p>{escape(x)}</p>" for x in lines) + "</div>"

    def _repr_html_(self) -> str:
        return style_block() + self.html()

    # --- plain text ---------------------------------------------------------------

    def text_table(self) -> str:
        """The rows as aligned plain text (numbers right-aligned, "–" for missing)."""
        cols = list(self.frame.columns)
        cells = [[_plain(self.kinds[c], self.decimals[c])(v) for v in self.frame[c]] for c in cols]
        lines = []
        widths = [
            max([len(self.headers[c])] + [len(x) for x in col])
            for c, col in zip(cols, cells, strict=True)
        ]
        right = [self.kinds[c] in NUMERIC_KINDS for c in cols]

        def row(values: list[str]) -> str:
            return "  ".join(
                v.rjust(w) if r else v.ljust(w)
                for v, w, r in zip(values, widths, right, strict=True)
            ).rstrip()

        lines.append(row([self.headers[c] for c in cols]))
        lines += [row([col[i] for col in cells]) for i in range(len(self.frame))]
        return "\n".join(lines)

    def __repr__(self) -> str:
        _, source = self._source_line()
        parts = [*self._head_text(), self.text_table(), *self._note_lines()]
        if source:
            parts.append(source)
        parts.append(f"Data: {len(self.frame)} rows ({self.csv_name}).")
        return "\n".join(parts)
