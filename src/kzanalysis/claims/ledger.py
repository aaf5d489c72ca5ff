"""Evaluate the ledger: run each claim's metric, compare with the thesis, give a verdict."""

from __future__ import annotations

import importlib
import math
from collections.abc import Callable, Iterable
from typing import Any

from kzanalysis import reads
from kzanalysis.claims.model import (
    VERDICTS,
    Claim,
    ClaimResult,
    ClaimsError,
    Measurement,
    Part,
    PartResult,
    Verdict,
    load_claims,
)


def metric_modules() -> tuple[str, ...]:
    """Modules that register metric functions in a module-level ``METRICS`` dict: each
    chapter's ``metrics`` module in the chapter registry (:mod:`kzanalysis.chapters`)."""
    from kzanalysis import chapters

    return chapters.metric_modules()


Metric = Callable[..., list[Measurement]]


def metrics() -> dict[str, Metric]:
    """All registered metrics by name (``<chapter>.<what>``)."""
    out: dict[str, Metric] = {}
    for name in metric_modules():
        module = importlib.import_module(name)
        for key, func in module.METRICS.items():
            if key in out:
                raise ClaimsError(f"metric {key!r} is registered twice (second in {name})")
            out[key] = func
    return out


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float) and math.isfinite(value):
        return float(value)
    return None


def judge(part: Part, measured: Measurement) -> Verdict:
    """Verdict of one part: ``untestable`` without a value, else within tolerance or not."""
    if measured.value is None:
        return "untestable"
    thesis, data = _number(part.thesis), _number(measured.value)
    tol = part.tolerance
    if thesis is None or data is None or tol.kind == "exact":
        if thesis is not None and data is not None:
            return "supported" if thesis == data else "contradicted"
        return "supported" if str(part.thesis) == str(measured.value) else "contradicted"
    if tol.kind == "relative_pct":
        ok = abs(data - thesis) <= tol.value / 100 * abs(thesis)
    elif tol.kind == "absolute":
        ok = abs(data - thesis) <= tol.value
    elif tol.kind == "at_least":
        ok = data >= thesis
    else:  # at_most
        ok = data <= thesis
    return "supported" if ok else "contradicted"


def combine(verdicts: Iterable[Verdict]) -> Verdict:
    """A claim's verdict from its parts' verdicts.

    All supported → supported; all untestable → untestable; some supported and some not →
    partly_supported; otherwise (contradicted, possibly with untestable parts) → contradicted.
    """
    found = set(verdicts)
    if not found or found == {"untestable"}:
        return "untestable"
    if found == {"supported"}:
        return "supported"
    if "supported" in found:
        return "partly_supported"
    return "contradicted"


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) < 1e4 else f"{value:,.0f}"
    return str(value)


def _data(result: PartResult) -> str:
    value = result.measurement.value
    return "n/a" if value is None else _fmt(value)


def explain(parts: list[PartResult]) -> str:
    """One line: each part's thesis value vs the data's value and its verdict."""
    bits = []
    for r in parts:
        unit = r.part.unit
        data = "no data" if r.measurement.value is None else f"{_fmt(r.measurement.value)} {unit}"
        bits.append(
            f"{r.part.label}: thesis {_fmt(r.part.thesis)} {unit} vs data {data} "
            f"({r.verdict.replace('_', ' ')}, {r.part.tolerance.describe()})"
        )
    return "; ".join(bits)


def evaluate(claim: Claim, registry: dict[str, Metric] | None = None) -> ClaimResult:
    """Compute one claim's verdict from the data.

    Raises:
        ClaimsError: if the metric is unknown or returns the wrong number of parts.
    """
    if claim.untestable is not None:
        reads.record(f"claim:{claim.id}", reads.claim_digest(claim))
        return ClaimResult(
            claim,
            "untestable",
            f"{claim.untestable.reason} Would need: {claim.untestable.would_need}",
        )
    reads.record(f"claim:{claim.id}", reads.claim_digest(claim))
    registry = metrics() if registry is None else registry
    if claim.metric not in registry:
        raise ClaimsError(
            f"{claim.id}: unknown metric {claim.metric!r}; "
            f"registered: {', '.join(sorted(registry))}"
        )
    measured = registry[claim.metric](**claim.args)
    if len(measured) != len(claim.parts):
        raise ClaimsError(
            f"{claim.id}: metric {claim.metric!r} returned {len(measured)} values for "
            f"{len(claim.parts)} parts"
        )
    parts = [PartResult(p, m, judge(p, m)) for p, m in zip(claim.parts, measured, strict=True)]
    return ClaimResult(claim, combine(r.verdict for r in parts), explain(parts), parts)


def evaluate_all(
    claims: list[Claim] | None = None, chapter: int | None = None
) -> list[ClaimResult]:
    """Evaluate every claim (of one chapter, if given); a failing metric is recorded, not raised."""
    if claims is None:
        claims = load_claims()
        selection = reads.selection_name(chapter, None)
        reads.record(
            f"claims:{selection}", reads.selection_digest(reads.select_ids(claims, selection))
        )
    registry = metrics()
    results = []
    for claim in claims:
        if chapter is not None and claim.chapter != chapter:
            continue
        try:
            results.append(evaluate(claim, registry))
        except Exception as exc:  # a broken metric must not hide the other claims
            results.append(
                ClaimResult(claim, "untestable", f"metric failed: {exc}", error=repr(exc))
            )
    return results


def as_records(results: list[ClaimResult]) -> list[dict[str, Any]]:
    """Plain records for JSON and tables: id, verdict, thesis/data values, unit, evidence."""
    records = []
    for r in results:
        units = list(dict.fromkeys(p.part.unit for p in r.parts))
        records.append(
            {
                "id": r.claim.id,
                "chapter": r.claim.chapter,
                "claim": r.claim.claim,
                "verdict": r.verdict,
                "thesis_value": r.claim.thesis_value,
                "data_value": "; ".join(f"{p.part.label}: {_data(p)}" for p in r.parts) or None,
                "unit": "; ".join(units) or None,
                "evidence": " | ".join(dict.fromkeys(p.measurement.evidence for p in r.parts))
                or (r.claim.untestable.would_need if r.claim.untestable else ""),
                "notes": " | ".join(
                    n for n in dict.fromkeys(p.measurement.note for p in r.parts) if n
                ),
                "explanation": r.explanation,
                "error": r.error,
            }
        )
    return records


def verdict_counts(results: list[ClaimResult]) -> dict[str, int]:
    """How many claims got each verdict (every verdict listed, zeros included)."""
    counts = dict.fromkeys(VERDICTS, 0)
    for r in results:
        counts[r.verdict] += 1
    return counts


#: Columns of :func:`ledger_table`, in order.
TABLE_COLUMNS: tuple[str, ...] = (
    "id",
    "verdict",
    "claim",
    "thesis_value",
    "data_value",
    "unit",
    "explanation",
    "evidence",
)


def ledger_table(chapter: int | None = None, domain: str | None = None) -> Any:
    """The ledger's rows (of one thesis chapter or data domain) as a DataFrame for notebooks.

    Verdicts are computed now, from the curated data (:func:`evaluate_all`).

    Args:
        chapter: Thesis chapter (1, 2 or 3); None for every chapter.
        domain: Data domain (``trade``, ``energy``, ``arms``, ``polls``: the metric's prefix,
            or the declared ``domain`` of an untestable claim); None for every domain.

    Returns:
        pandas.DataFrame with :data:`TABLE_COLUMNS`, one row per claim, ordered by id.

    Raises:
        ClaimsError: when a metric fails to compute (the claim id and error are named).
    """
    import pandas as pd

    claims = load_claims()
    domains = {c.data_domain for c in claims}
    if domain is not None and domain not in domains:
        raise ClaimsError(
            f"unknown claims domain {domain!r}; use one of {', '.join(sorted(domains))}"
        )
    selection = reads.selection_name(chapter, domain)
    reads.record(f"claims:{selection}", reads.selection_digest(reads.select_ids(claims, selection)))
    if domain is not None:
        claims = [c for c in claims if c.data_domain == domain]
    records = as_records(evaluate_all(claims, chapter=chapter))
    failed = [f"{r['id']} ({r['error']})" for r in records if r["error"]]
    if failed:
        raise ClaimsError(
            "claims metrics failed to compute: "
            + "; ".join(failed)
            + "; run 'kzanalysis claims --json' for details and fix the metric or data/claims.yaml"
        )
    return pd.DataFrame(records, columns=list(TABLE_COLUMNS)).sort_values("id", ignore_index=True)


def table_counts(table: Any) -> dict[str, int]:
    """Claims per verdict in a :func:`ledger_table` (every verdict, zeros included)."""
    counts = dict.fromkeys(VERDICTS, 0)
    for verdict in table["verdict"]:
        counts[verdict] += 1
    return counts


def counts_sentence(table: Any) -> str:
    """One plain sentence with the number of claims per verdict in a :func:`ledger_table`."""
    parts = ", ".join(f"{n} {v.replace('_', ' ')}" for v, n in table_counts(table).items())
    return f"{len(table)} claims: {parts}."


def row_anchor(claim_id: str) -> str:
    """The anchor of a claim's row in :func:`ledger_element` (``C10`` → ``claim-C10``); the
    front page and :func:`ledger_counts` link to it."""
    return f"claim-{claim_id}"


#: Reader headers of :func:`ledger_element`'s columns.
ELEMENT_COLUMNS: dict[str, str] = {
    "id": "Claim",
    "verdict": "Verdict",
    "claim": "What the thesis says",
    "thesis_value": "Thesis value",
    "data_value": "Data value",
    "explanation": "How it was judged",
}


def ledger_element(chapter: int | None = None, domain: str | None = None, title: str = "") -> Any:
    """The ledger's rows (of one thesis chapter or data domain) as a report table.

    Verdicts are badges, headers are in words; the evidence (tables, editions, years
    compared) is in each row's explanation and in the CSV download.

    Args:
        chapter: Thesis chapter; None for every chapter.
        domain: Data domain (registry ``domains``); None for every domain.
        title: Table title (default: "Thesis claims tested against the data").

    Returns:
        kzanalysis.report.Table.
    """
    from kzanalysis.report import Col, Table

    table = ledger_table(chapter=chapter, domain=domain)
    counts = table_counts(table)
    parts = [f"{n} {v.replace('_', ' ')}" for v, n in counts.items() if n]
    subtitle = f"{len(table)} claims: " + ", ".join(parts) + "." if len(table) else ""
    columns: dict[str, Col | str] = {
        "id": Col(header=ELEMENT_COLUMNS["id"], kind="text"),
        "verdict": Col(header=ELEMENT_COLUMNS["verdict"], kind="verdict"),
        "claim": Col(header=ELEMENT_COLUMNS["claim"], kind="text"),
        "thesis_value": Col(header=ELEMENT_COLUMNS["thesis_value"], kind="text"),
        "data_value": Col(header=ELEMENT_COLUMNS["data_value"], kind="text"),
        "explanation": Col(header=ELEMENT_COLUMNS["explanation"], kind="text"),
    }
    return Table(
        table,
        columns,
        title=title or "Thesis claims tested against the data",
        subtitle=subtitle,
        missing_note="the data cannot measure this value.",
        anchor="tbl-claims-ledger",
        csv_name="claims-ledger.csv",
        row_ids=[row_anchor(i) for i in table["id"]],
        note="Verdicts computed by kzanalysis from the curated data (data/claims.yaml).",
    )


class LedgerCounts:
    """ "Claims tested in this chapter: 3 supported, 1 partly supported, 2 contradicted",
    each count linking to the first of its rows in the ledger table and followed by the
    claim ids, each linking to its row (``#claim-<ID>``). Notebooks display it right
    after their Key findings.

    Args:
        ledger: The ledger table the report shows (:func:`ledger_element`), whose rows
            carry the anchors; or a :func:`ledger_table` frame (id and verdict columns).
        scope: The words after "Claims tested" ("in this chapter", "in all chapters").
    """

    def __init__(self, ledger: Any, scope: str = "in this chapter") -> None:
        frame = getattr(ledger, "frame", ledger)
        self.scope = " ".join(str(scope).split())
        self.groups: list[tuple[str, list[str]]] = []
        by_verdict: dict[str, list[str]] = {v: [] for v in VERDICTS}
        for claim_id, verdict in zip(frame["id"], frame["verdict"], strict=True):
            by_verdict.setdefault(str(verdict), []).append(str(claim_id))
        self.groups = [(v, sorted(ids)) for v, ids in by_verdict.items() if ids]
        self.total = sum(len(ids) for _, ids in self.groups)

    def _lead(self) -> str:
        return f"Claims tested {self.scope}".strip()

    def html(self) -> str:
        """The element's HTML (without the stylesheet)."""
        from html import escape

        if not self.total:
            body = f"{escape(self._lead())}: none."
        else:
            parts = []
            for verdict, ids in self.groups:
                words = verdict.replace("_", " ")
                key = verdict.replace("_", "-")
                rows = ", ".join(f'<a href="#{row_anchor(i)}">{escape(i)}</a>' for i in ids)
                parts.append(
                    f'<a class="kz-badge kz-badge-{key}" href="#{row_anchor(ids[0])}">'
                    f'{len(ids)} {escape(words)}</a> <span class="kz-ids">({rows})</span>'
                )
            body = f"<strong>{escape(self._lead())}:</strong> " + ", ".join(parts)
        return (
            f'<section class="kz-el kz-verdicts" aria-label="{escape(self._lead())}">'
            f"<p>{body}</p></section>"
        )

    def _repr_html_(self) -> str:
        from kzanalysis.report.css import style_block

        return style_block() + self.html()

    def __repr__(self) -> str:
        if not self.total:
            return f"{self._lead()}: none."
        parts = [f"{len(ids)} {v.replace('_', ' ')} ({', '.join(ids)})" for v, ids in self.groups]
        return f"{self._lead()}: " + ", ".join(parts) + "."


def ledger_counts(ledger: Any, scope: str = "in this chapter") -> LedgerCounts:
    """The verdict counts of a report's ledger rows, linked to them (:class:`LedgerCounts`)."""
    return LedgerCounts(ledger, scope)
