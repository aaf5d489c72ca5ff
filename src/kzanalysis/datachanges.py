"""What changed in a curated table between two curations: a short, human-readable diff.

:func:`diff_tables` compares the old and the new version of one table row by
row, keyed by the table's primary key (``spec.primary_key``): rows added and
removed, numeric values revised by more than a threshold (the biggest few shown
with key, old and new value), smaller revisions counted, other (text) values
changed, and years that appear or disappear. :func:`render_changes_html` turns
the diffs of an update into ``reports/data-changes.html``; every string is
escaped. ``kzanalysis update`` writes both that page and the same diffs, as
JSON, into its summary.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from html import escape
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from kzanalysis.schema import TableSpec

#: Default threshold (percent of the old value) above which a revision is listed.
DEFAULT_THRESHOLD_PCT = 1.0
#: How many examples (revisions, added or removed rows) a diff keeps.
DEFAULT_TOP = 5


@dataclass
class Revision:
    """One numeric value that changed for the same key.

    Attributes:
        key: Primary-key column → value of the row.
        column: The numeric column that changed.
        old: Previous value (None if it was empty).
        new: New value (None if it is now empty).
        change_pct: ``(new - old) / |old| * 100``; None when old or new is empty or old is 0.
    """

    key: dict[str, Any]
    column: str
    old: float | None
    new: float | None
    change_pct: float | None


@dataclass
class TableDiff:
    """How one table changed (see :func:`diff_tables`)."""

    table: str
    rows_old: int
    rows_new: int
    added: int = 0
    removed: int = 0
    added_examples: list[dict[str, Any]] = field(default_factory=list)
    removed_examples: list[dict[str, Any]] = field(default_factory=list)
    revised: int = 0
    small_revisions: int = 0
    revisions: list[Revision] = field(default_factory=list)
    text_changes: int = 0
    new_years: list[int] = field(default_factory=list)
    dropped_years: list[int] = field(default_factory=list)
    threshold_pct: float = DEFAULT_THRESHOLD_PCT

    @property
    def changed(self) -> bool:
        """True if anything at all differs."""
        return bool(
            self.added
            or self.removed
            or self.revised
            or self.small_revisions
            or self.text_changes
            or self.new_years
            or self.dropped_years
        )

    def summary(self) -> str:
        """One line, e.g. ``arms_deliveries: 2 rows added; 1 value revised by more than 1%``."""
        parts = []
        if self.added:
            parts.append(f"{self.added} row{'s' * (self.added != 1)} added")
        if self.removed:
            parts.append(f"{self.removed} row{'s' * (self.removed != 1)} removed")
        if self.revised:
            parts.append(
                f"{self.revised} value{'s' * (self.revised != 1)} revised by more than "
                f"{self.threshold_pct:g}%"
            )
        if self.small_revisions:
            parts.append(f"{self.small_revisions} smaller revision(s)")
        if self.text_changes:
            parts.append(f"{self.text_changes} text value(s) changed")
        if self.new_years:
            parts.append("new years " + ", ".join(map(str, self.new_years)))
        if self.dropped_years:
            parts.append("years no longer present " + ", ".join(map(str, self.dropped_years)))
        return f"{self.table}: " + ("; ".join(parts) if parts else "no change")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (with the one-line summary)."""
        return {**asdict(self), "summary": self.summary()}


def _plain(value: Any) -> Any:
    """A JSON- and HTML-friendly Python value (numpy scalars, NaN → None)."""
    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    try:
        import pandas as pd

        if value is pd.NA or value is pd.NaT:
            return None
    except ImportError:  # pragma: no cover
        pass
    return value


def _row_dicts(frame: pd.DataFrame, columns: list[str], top: int) -> list[dict[str, Any]]:
    return [
        {c: _plain(v) for c, v in zip(columns, row, strict=True)}
        for row in frame[columns].head(top).itertuples(index=False, name=None)
    ]


def _change_pct(old: float | None, new: float | None) -> float | None:
    if old is None or new is None or old == 0:
        return None
    return (new - old) / abs(old) * 100.0


def _years(frame: pd.DataFrame, column: str | None) -> set[int]:
    if column is None or column not in frame:
        return set()
    return {int(y) for y in frame[column].dropna().unique()}


def diff_tables(
    old_df: pd.DataFrame,
    new_df: pd.DataFrame,
    spec: TableSpec,
    threshold_pct: float = DEFAULT_THRESHOLD_PCT,
    top: int = DEFAULT_TOP,
) -> TableDiff:
    """Compare two versions of a curated table, keyed by its primary key.

    Args:
        old_df: The table before the update (may be empty: a new table).
        new_df: The table after the update.
        spec: The table's spec: primary key, fields (numeric or not), year field.
        threshold_pct: A numeric value counts as *revised* when it moved by more than this
            percentage of its old value, or when it appeared, disappeared or left zero;
            smaller moves are counted in ``small_revisions``.
        top: How many revisions (largest relative change first) and added/removed rows to keep.

    Returns:
        The :class:`TableDiff`. A table without a primary key is keyed by all its columns,
        so changes show as rows removed and added.
    """
    import pandas as pd

    key = list(spec.primary_key) or spec.field_names
    numeric = [f.name for f in spec.fields if f.is_numeric and f.name not in key]
    text = [f.name for f in spec.fields if not f.is_numeric and f.name not in key]
    old = old_df.reindex(columns=spec.field_names)
    new = new_df.reindex(columns=spec.field_names)
    if old.empty and not new.empty:  # a new table: same dtypes, so the merge keys line up
        old = new.iloc[0:0]
    elif new.empty and not old.empty:
        new = old.iloc[0:0]
    merged = old.merge(
        new, on=key, how="outer", suffixes=("_old", "_new"), indicator=True, sort=True
    )
    result = TableDiff(spec.name, len(old_df), len(new_df), threshold_pct=threshold_pct)
    added = merged[merged["_merge"] == "right_only"]
    removed = merged[merged["_merge"] == "left_only"]
    both = merged[merged["_merge"] == "both"]
    result.added, result.removed = len(added), len(removed)
    result.added_examples = _row_dicts(
        added.rename(columns={f"{c}_new": c for c in numeric + text}), spec.field_names, top
    )
    result.removed_examples = _row_dicts(
        removed.rename(columns={f"{c}_old": c for c in numeric + text}), spec.field_names, top
    )
    revisions: list[Revision] = []
    for column in numeric:
        before = pd.to_numeric(both[f"{column}_old"], errors="coerce").astype("float64")
        after = pd.to_numeric(both[f"{column}_new"], errors="coerce").astype("float64")
        differs = (before != after) & ~(before.isna() & after.isna())
        for idx in both.index[differs.to_numpy()]:
            o, n = _plain(before[idx]), _plain(after[idx])
            pct = _change_pct(o, n)
            if pct is not None and abs(pct) <= threshold_pct:
                result.small_revisions += 1
                continue
            revisions.append(
                Revision(
                    key={c: _plain(both.at[idx, c]) for c in key},
                    column=column,
                    old=o,
                    new=n,
                    change_pct=None if pct is None else round(pct, 3),
                )
            )
    for column in text:
        before, after = both[f"{column}_old"], both[f"{column}_new"]
        differs = (before != after) & ~(before.isna() & after.isna())
        result.text_changes += int(differs.sum())
    result.revised = len(revisions)
    revisions.sort(key=lambda r: -math.inf if r.change_pct is None else -abs(r.change_pct))
    result.revisions = revisions[:top]
    old_years, new_years = _years(old_df, spec.year_field), _years(new_df, spec.year_field)
    result.new_years = sorted(new_years - old_years)
    result.dropped_years = sorted(old_years - new_years)
    return result


def _value(value: Any) -> str:
    if value is None:
        return "(empty)"
    if isinstance(value, float):
        return f"{value:,.6g}"
    return str(value)


def _key_text(key: Mapping[str, Any]) -> str:
    return ", ".join(f"{k}={_value(v)}" for k, v in key.items())


def _table_section(diff: TableDiff) -> str:
    parts = [f"<h2><code>{escape(diff.table)}</code></h2><p>{escape(diff.summary())}</p>"]
    parts.append(f"<p>Rows: {diff.rows_old:,} → {diff.rows_new:,}.</p>")
    if diff.revisions:
        rows = "".join(
            f"<tr><td>{escape(_key_text(r.key))}</td><td><code>{escape(r.column)}</code></td>"
            f"<td>{escape(_value(r.old))}</td><td>{escape(_value(r.new))}</td>"
            f"<td>{escape('—' if r.change_pct is None else f'{r.change_pct:+.2f}%')}</td></tr>"
            for r in diff.revisions
        )
        shown = f" (largest {len(diff.revisions)} of {diff.revised})"
        parts.append(
            f"<h3>Revised values{escape(shown)}</h3><table class='kz-changes'>"
            "<tr><th>Row</th><th>Column</th><th>Old</th><th>New</th><th>Change</th></tr>"
            f"{rows}</table>"
        )
    for label, examples, count in (
        ("Rows added", diff.added_examples, diff.added),
        ("Rows removed", diff.removed_examples, diff.removed),
    ):
        if examples:
            items = "".join(f"<li>{escape(_key_text(e))}</li>" for e in examples)
            more = f" (first {len(examples)} of {count})" if count > len(examples) else ""
            parts.append(f"<h3>{escape(label + more)}</h3><ul>{items}</ul>")
    return "<section class='kz-banner'>" + "".join(parts) + "</section>"


def render_changes_html(
    diffs: Iterable[TableDiff], when: str, sources: Iterable[str] = (), css: str = ""
) -> str:
    """The data-change page of an update.

    Args:
        diffs: One diff per table that changed.
        when: When the update ran (shown in the header).
        sources: The refreshed upstream sources (names), for the header.
        css: Style sheet to inline (the report CSS).
    """
    diffs = [d for d in diffs if d.changed]
    refreshed = ", ".join(sources) or "—"
    body = (
        "".join(_table_section(d) for d in diffs)
        if diffs
        else "<section class='kz-banner'><p>No curated table changed.</p></section>"
    )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>kzanalysis data changes</title><style>{css}"
        "table.kz-changes{border-collapse:collapse}"
        ".kz-changes td,.kz-changes th{border:1px solid #d6dbe3;padding:.3rem;text-align:left}"
        "</style></head><body>"
        '<header class="kz-header"><div class="kz-title">Data changes</div>'
        f"<p>Update of {escape(when)}; refreshed sources: {escape(refreshed)}. "
        "Each table is compared with its previous curation row by row, by its primary key.</p>"
        '<p><a href="index.html">All reports</a></p></header>'
        f"{body}</body></html>\n"
    )
