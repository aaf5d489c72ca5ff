"""Evaluate the ledger: run each claim's metric, compare with the thesis, give a verdict."""

from __future__ import annotations

import contextlib
import importlib
import math
from collections.abc import Callable, Iterable
from typing import Any

from kzanalysis import reads
from kzanalysis.claims import cache
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
    """Verdict of one part: ``untestable`` without a value, else within tolerance or not
    (a bound: :func:`judge_bound`)."""
    if measured.value is None:
        return "untestable"
    thesis, data = _number(part.thesis), _number(measured.value)
    tol = part.tolerance
    if thesis is None or data is None or tol.kind == "exact":
        if thesis is not None and data is not None:
            return "supported" if thesis == data else "contradicted"
        return "supported" if str(part.thesis) == str(measured.value) else "contradicted"
    if tol.is_bound:
        return judge_bound(tol.kind, thesis, data, tol.value)
    if tol.kind == "relative_pct":
        ok = abs(data - thesis) <= tol.value / 100 * abs(thesis)
    elif tol.kind == "absolute":
        ok = abs(data - thesis) <= tol.value
    elif tol.kind == "at_least":
        ok = data >= thesis
    else:  # at_most
        ok = data <= thesis
    return "supported" if ok else "contradicted"


def judge_bound(kind: str, thesis: float, data: float, pct: float) -> Verdict:
    """Verdict of a part whose data only bound the claimed quantity.

    ``upper_bound``: the true value is at most ``data``, so the claim is contradicted when
    even its low end (``thesis`` − ``pct`` %) exceeds ``data``. ``lower_bound``: the true
    value is at least ``data``, so the claim is contradicted when even its high end
    (``thesis`` + ``pct`` %) is below ``data``. A bound the claim respects cannot confirm
    its figure: the part is ``untestable`` (the explanation says "consistent with the
    bound, not a test").
    """
    margin = pct / 100 * abs(thesis)
    beyond = thesis - margin > data if kind == "upper_bound" else thesis + margin < data
    return "contradicted" if beyond else "untestable"


def only_bounded(result: PartResult) -> bool:
    """Whether a part has a value that bounds the claim, which the claim respects."""
    return (
        result.part.tolerance.is_bound
        and result.verdict == "untestable"
        and result.measurement.value is not None
    )


def combine(verdicts: Iterable[Verdict]) -> Verdict:
    """A claim's verdict from its parts' verdicts (the composition rules).

    Untestable parts (no published value) do not count against a claim: the verdict is
    made of the testable parts — all supported → supported ("n of m parts testable" in the
    explanation), all contradicted → contradicted, a mix → partly_supported; no testable
    part → untestable. A part whose data only bound the claimed quantity, a bound the claim
    respects, is untestable too (:func:`judge_bound`): a bound never supports a figure.
    """
    testable = [v for v in verdicts if v != "untestable"]
    if not testable:
        return "untestable"
    found = set(testable)
    if found == {"supported"}:
        return "supported"
    if "supported" in found:
        return "partly_supported"
    return "contradicted"


def testable_note(parts: list[PartResult]) -> str:
    """``(2 of 3 parts testable)`` when some part is untestable; "" otherwise.

    Parts whose data only bound the claim, which the claim respects, are counted apart:
    ``(0 of 2 parts testable; 1 only bounded by the data, …)``.
    """
    testable = sum(1 for r in parts if r.verdict != "untestable")
    if testable == len(parts) or not parts:
        return ""
    bounded = sum(1 for r in parts if only_bounded(r))
    if not bounded:
        return f"({testable} of {len(parts)} parts testable)"
    if len(parts) == 1:
        return (
            "(not testable: the data only bound the figure, and a bound the claim respects "
            "does not support it)"
        )
    return (
        f"({testable} of {len(parts)} parts testable; {bounded} only bounded by the data: "
        "a bound the claim respects does not support its figure)"
    )


def _fmt(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
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
        unit = "" if r.part.unit == "yes/no" else f" {r.part.unit}"  # "yes", not "yes yes/no"
        data = "no data" if r.measurement.value is None else f"{_fmt(r.measurement.value)}{unit}"
        verdict = (
            "consistent with the bound, not a test;"
            if only_bounded(r)
            else r.verdict.replace("_", " ") + ","
        )
        bits.append(
            f"{r.part.label}: thesis {_fmt(r.part.thesis)}{unit} vs data {data} "
            f"({verdict} {r.part.tolerance.describe()})"
        )
    return "; ".join(bits)


def _replace_latest(value: Any, year: int) -> Any:
    if isinstance(value, str) and value == "latest":
        return year
    if isinstance(value, list | tuple):
        return [_replace_latest(v, year) for v in value]
    if isinstance(value, dict):
        return {k: _replace_latest(v, year) for k, v in value.items()}
    return value


def written_args(claim: Claim) -> dict[str, Any]:
    """The metric's arguments "when written": ``latest`` → the reference period's end year,
    then the claim's ``written.args`` overrides (editions, periods)."""
    args = _replace_latest(dict(claim.args), claim.written.end_year)
    return {**args, **claim.written.args}


def _derive(parts: tuple[Part, ...], measured: list[Measurement]) -> list[Measurement]:
    """Fill ``complement_100`` parts: 100 minus the other parts' values, if all have one."""
    out = list(measured)
    for i, part in enumerate(parts):
        if part.derived != "complement_100" or out[i].value is not None:
            continue
        others = [_number(m.value) for j, m in enumerate(out) if j != i]
        if any(v is None for v in others):
            continue
        value = round(100 - sum(v for v in others if v is not None), 6)
        listed = " − ".join(_fmt(v) for v in others)
        out[i] = Measurement(
            value,
            f"arithmetic complement: 100 − {listed} = {_fmt(value)} (computed, not published)",
            out[i].note,
        )
    return out


def evaluate(
    claim: Claim, registry: dict[str, Metric] | None = None, *, when: str = "now"
) -> ClaimResult:
    """Compute one claim's verdict from the data, now or "when written".

    Args:
        claim: The declaration.
        registry: Metrics by name (default: :func:`metrics`).
        when: ``now`` (the declared arguments: latest data and editions) or ``written``
            (:func:`written_args`: the thesis's period on the data as they stood). Parts
            declared for the other moment only are measured but not judged.

    Raises:
        ClaimsError: if the metric is unknown or returns the wrong number of parts.
    """
    reads.record(f"claim:{claim.id}", reads.claim_digest(claim))
    if claim.untestable is not None:
        return ClaimResult(
            claim,
            "untestable",
            f"{claim.untestable.reason} Would need: {claim.untestable.would_need}",
        )
    registry = metrics() if registry is None else registry
    if claim.metric not in registry:
        raise ClaimsError(
            f"{claim.id}: unknown metric {claim.metric!r}; "
            f"registered: {', '.join(sorted(registry))}"
        )
    args = claim.args if when == "now" else written_args(claim)
    measured = registry[claim.metric](**args)
    if len(measured) != len(claim.parts):
        raise ClaimsError(
            f"{claim.id}: metric {claim.metric!r} returned {len(measured)} values for "
            f"{len(claim.parts)} parts"
        )
    measured = _derive(claim.parts, measured)
    other = "written" if when == "now" else "now"
    parts = [
        PartResult(p, m, judge(p, m))
        for p, m in zip(claim.parts, measured, strict=True)
        if p.when != other
    ]
    explanation = explain(parts)
    note = testable_note(parts)
    if note:
        explanation = f"{explanation} {note}"
    if claim.unit_limits:
        explanation = f"{explanation}. Not covered by this measure: {claim.unit_limits}"
    return ClaimResult(claim, combine(r.verdict for r in parts), explanation, parts)


#: A verdict in a sentence ("held when written; does not hold now").
VERDICT_PAST = {
    "supported": "held",
    "partly_supported": "partly held",
    "contradicted": "did not hold",
    "untestable": "could not be tested",
}
VERDICT_NOW = {
    "supported": "holds",
    "partly_supported": "partly holds",
    "contradicted": "does not hold",
    "untestable": "cannot be tested",
}


def change_sentence(now: ClaimResult, written: ClaimResult) -> str:
    """What differs between the verdict "when written" and the verdict now ("" if nothing).

    ``Did not hold when written (2021); partly holds now: China's turnover > Russia's,
    latest year: True (judged now only).`` When both verdicts agree but a part's own verdict
    flipped (a later edition revised its value across the tolerance), the sentence says so;
    small revisions that change no part's verdict are not mentioned.
    """
    if now is written:
        return ""
    claim = now.claim
    then = {r.part.label: r for r in written.parts}
    current = {r.part.label for r in now.parts}
    changed, flipped = [], []
    for r in now.parts:
        old = then.get(r.part.label)
        if old is not None and old.measurement.value != r.measurement.value:
            line = f"{r.part.label}: {_data(old)} then, {_data(r)} now"
            changed.append(line)
            if old.verdict != r.verdict:
                flipped.append(line)
    if now.verdict == written.verdict:
        changed = flipped  # revisions that leave every part's verdict alone are not news
    if now.verdict == written.verdict and not changed:
        return ""
    one_sided = [
        f"{r.part.label}: {_data(r)} (judged now only)"
        for r in now.parts
        if r.part.label not in then
    ] + [
        f"{r.part.label}: {_data(r)} (judged when written only)"
        for r in written.parts
        if r.part.label not in current
    ]
    editions = {k: v for k, v in claim.written.args.items() if "edition" in k}
    how = "; ".join(f"edition {v}" for v in editions.values() if isinstance(v, str))
    where = claim.written.period + (f", {how}" if how else "")
    past = VERDICT_PAST[written.verdict]
    if now.verdict == written.verdict:
        text = f"{past.capitalize()} when written ({where}) and {VERDICT_NOW[now.verdict]} now"
        return text + ", but the data changed: " + "; ".join(changed) + "."
    text = f"{past.capitalize()} when written ({where}); {VERDICT_NOW[now.verdict]} now"
    details = changed + one_sided
    return text + (": " + "; ".join(details) if details else "") + "."


def _needs_written(claim: Claim) -> bool:
    """Whether "when written" needs its own evaluation (other arguments or parts)."""
    return claim.untestable is None and (
        written_args(claim) != dict(claim.args) or any(p.when != "both" for p in claim.parts)
    )


def evaluate_both(claim: Claim, registry: dict[str, Metric] | None = None) -> ClaimResult:
    """The verdict now, with the verdict when written (``written``) and ``change`` set."""
    now = evaluate(claim, registry, when="now")
    if _needs_written(claim):
        try:
            written = evaluate(claim, registry, when="written")
        except Exception as exc:  # the older data cannot answer: say so, keep "now"
            written = ClaimResult(
                claim, "untestable", f"the data as they stood cannot compute it: {exc}"
            )
    else:
        written = now
    now.written = written
    now.change = change_sentence(now, written)
    return now


def evaluate_all(
    claims: list[Claim] | None = None,
    chapter: int | None = None,
    reads_out: dict[str, dict[str, str]] | None = None,
) -> list[ClaimResult]:
    """Evaluate every claim (of one chapter, if given); a failing metric is recorded, not raised.

    Args:
        claims: The declarations (default: ``data/claims.yaml``, and the selection is
            recorded as read).
        chapter: Only this thesis chapter.
        reads_out: If given, filled with each claim's reads (id → key → digest), kept out
            of a running build's reads file (:func:`kzanalysis.reads.capture`); the ledger
            cache stores them and replays those of the claims a report shows.
    """
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
        with (
            reads.capture(quiet=True) if reads_out is not None else contextlib.nullcontext({})
        ) as seen:
            try:
                results.append(evaluate_both(claim, registry))
            except Exception as exc:  # a broken metric must not hide the other claims
                results.append(
                    ClaimResult(claim, "untestable", f"metric failed: {exc}", error=repr(exc))
                )
        if reads_out is not None:
            reads_out[claim.id] = dict(seen)
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
                "verdict_when_written": (r.written or r).verdict,
                "reference_period": r.claim.written.period,
                "when_written_explanation": (r.written or r).explanation,
                "change": r.change,
            }
        )
    return records


def verdict_counts(results: list[ClaimResult] | list[dict[str, Any]]) -> dict[str, int]:
    """How many claims got each verdict (every verdict listed, zeros included).

    Args:
        results: Evaluated claims, or their records (:func:`as_records`, the cache's).
    """
    counts = dict.fromkeys(VERDICTS, 0)
    for r in results:
        counts[r["verdict"] if isinstance(r, dict) else r.verdict] += 1
    return counts


#: Columns of :func:`ledger_table`, in order.
TABLE_COLUMNS: tuple[str, ...] = (
    "id",
    "verdict",
    "verdict_when_written",
    "reference_period",
    "claim",
    "thesis_value",
    "data_value",
    "unit",
    "explanation",
    "change",
    "evidence",
)


def ledger_table(chapter: int | None = None, domain: str | None = None) -> Any:
    """The ledger's rows (of one thesis chapter or data domain) as a DataFrame for notebooks.

    Verdicts are computed now, from the curated data (:func:`evaluate_all`), once per data
    state and read from the ledger cache afterwards (:mod:`kzanalysis.claims.cache`).

    Args:
        chapter: Thesis chapter (1, 2 or 3); None for every chapter.
        domain: Data domain (``trade``, ``energy``, ``arms``, ``polls``, ``investment``: the
            metric's prefix, or the declared ``domain`` of an untestable claim); None for
            every domain.

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
    if chapter is not None:
        claims = [c for c in claims if c.chapter == chapter]
    records = cache.records([c.id for c in claims])  # one evaluation per data state
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
    "verdict": "Verdict now",
    "verdict_when_written": "When written",
    "reference_period": "Thesis period",
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
    changed = table.loc[table["change"].astype(bool), "id"].tolist()
    if len(table):
        subtitle += (
            f" The verdict differs from the one the thesis's own period and data give for "
            f"{len(changed)} of them ({', '.join(changed)})."
            if changed
            else " Each verdict is the same on the thesis's own period and data."
        )
    table = table.assign(
        explanation=[
            f"{c} {e}".strip() if c else e
            for c, e in zip(table["change"], table["explanation"], strict=True)
        ]
    )
    columns: dict[str, Col | str] = {
        "id": Col(header=ELEMENT_COLUMNS["id"], kind="text"),
        "verdict": Col(header=ELEMENT_COLUMNS["verdict"], kind="verdict"),
        "verdict_when_written": Col(header=ELEMENT_COLUMNS["verdict_when_written"], kind="verdict"),
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
