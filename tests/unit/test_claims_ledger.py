"""The ledger's verdict logic, declarations and evaluation (metrics faked)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kzanalysis.claims.ledger import as_records, combine, evaluate, judge, verdict_counts
from kzanalysis.claims.model import Claim, ClaimsError, Measurement, Part, Tolerance, load_claims


def part(thesis, kind="relative_pct", value=5.0, unit="US$ mn") -> Part:
    return Part(label="x", thesis=thesis, unit=unit, tolerance=Tolerance(kind=kind, value=value))


@pytest.mark.parametrize(
    ("thesis", "data", "kind", "tol", "expected"),
    [
        (100, 105.0, "relative_pct", 5, "supported"),  # exactly at the edge
        (100, 95.0, "relative_pct", 5, "supported"),
        (100, 105.01, "relative_pct", 5, "contradicted"),
        (100, 94.99, "relative_pct", 5, "contradicted"),
        (60, 62.0, "absolute", 2, "supported"),  # ±2 percentage points
        (60, 62.5, "absolute", 2, "contradicted"),
        (12, 12, "exact", 0, "supported"),
        (12, 13, "exact", 0, "contradicted"),
        ("CHN", "CHN", "exact", 0, "supported"),
        ("CHN", "RUS", "exact", 0, "contradicted"),
        (True, True, "exact", 0, "supported"),
        (3, 3.2, "at_least", 0, "supported"),
        (3, 2.9, "at_least", 0, "contradicted"),
        (3, 2.9, "at_most", 0, "supported"),
        (100, None, "relative_pct", 5, "untestable"),
    ],
)
def test_judge_at_tolerance_edges(thesis, data, kind, tol, expected) -> None:
    assert judge(part(thesis, kind, tol), Measurement(data, "e")) == expected


@pytest.mark.parametrize(
    ("verdicts", "expected"),
    [
        (["supported", "supported"], "supported"),
        (["supported", "contradicted"], "partly_supported"),
        (["supported", "untestable"], "partly_supported"),
        (["contradicted", "untestable"], "contradicted"),
        (["contradicted"], "contradicted"),
        (["untestable", "untestable"], "untestable"),
        ([], "untestable"),
    ],
)
def test_combine(verdicts, expected) -> None:
    assert combine(verdicts) == expected


def claim(**over) -> Claim:
    base = {
        "id": "C99",
        "chapter": 1,
        "claim": "gas exports rose from 206 to 1450",
        "thesis_value": "206 → 1450 US$ mn",
        "metric": "fake.metric",
        "args": {"scale": 1.0},
        "parts": [
            {
                "label": "2014",
                "thesis": 206,
                "unit": "US$ mn",
                "tolerance": {"kind": "relative_pct", "value": 5},
            },
            {
                "label": "2020",
                "thesis": 1450,
                "unit": "US$ mn",
                "tolerance": {"kind": "relative_pct", "value": 5},
            },
        ],
    }
    base.update(over)
    return Claim.model_validate(base)


def fake(scale: float) -> list[Measurement]:
    return [Measurement(None, "no 2014 data"), Measurement(1447.0 * scale, "WITS HS 2711")]


def test_evaluate_computes_verdict_and_explanation() -> None:
    result = evaluate(claim(), {"fake.metric": fake})
    assert result.verdict == "partly_supported"
    assert [p.verdict for p in result.parts] == ["untestable", "supported"]
    assert "2020: thesis 1450 US$ mn vs data 1,447 US$ mn (supported" in result.explanation
    assert "2014: thesis 206 US$ mn vs data no data (untestable" in result.explanation
    (rec,) = as_records([result])
    assert rec["data_value"] == "2014: n/a; 2020: 1,447" and rec["unit"] == "US$ mn"
    assert evaluate(claim(args={"scale": 2.0}), {"fake.metric": fake}).verdict == "contradicted"


def test_evaluate_errors_are_clear() -> None:
    with pytest.raises(ClaimsError, match="unknown metric 'nope'"):
        evaluate(claim(metric="nope"), {"fake.metric": fake})
    with pytest.raises(ClaimsError, match="returned 2 values for 1 parts"):
        evaluate(claim(parts=[claim().parts[0]]), {"fake.metric": fake})


def test_untestable_claims_need_a_reason_and_no_metric() -> None:
    c = claim(
        metric=None,
        parts=[],
        untestable={"reason": "SIPRI excludes trucks.", "would_need": "a trucks register"},
        domain="arms",
    )
    assert c.data_domain == "arms"
    result = evaluate(c, {})
    assert result.verdict == "untestable" and "trucks register" in result.explanation
    with pytest.raises(ValueError, match="either a metric"):
        claim(untestable={"reason": "r", "would_need": "w"})
    with pytest.raises(ValueError, match="at least one part"):
        claim(parts=[])
    with pytest.raises(ValueError, match="needs 'domain'"):
        claim(metric=None, parts=[], untestable={"reason": "r", "would_need": "w"})


def test_data_domain_is_the_metric_prefix_unless_declared() -> None:
    assert claim().data_domain == "fake"
    assert claim(metric="trade.rival_lead").data_domain == "trade"


def test_verdict_counts_lists_every_verdict() -> None:
    result = evaluate(claim(), {"fake.metric": fake})
    assert verdict_counts([result]) == {
        "supported": 0,
        "partly_supported": 1,
        "contradicted": 0,
        "untestable": 0,
    }


def test_load_claims_reports_bad_files(tmp_path: Path) -> None:
    path = tmp_path / "claims.yaml"
    with pytest.raises(ClaimsError, match="not found"):
        load_claims(path)
    path.write_text("claims: [{id: C1}]\n")
    with pytest.raises(ClaimsError, match="C1"):
        load_claims(path)
    good = (
        "{id: C01, chapter: 1, claim: c, thesis_value: v, domain: trade, "
        "untestable: {reason: r, would_need: w}}"
    )
    path.write_text(f"claims: [{good}, {good}]\n")
    with pytest.raises(ClaimsError, match="duplicate claim ids"):
        load_claims(path)
