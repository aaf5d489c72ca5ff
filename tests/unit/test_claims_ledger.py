"""The ledger's verdict logic, declarations and evaluation (metrics faked)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kzanalysis.claims.ledger import (
    as_records,
    change_sentence,
    combine,
    evaluate,
    evaluate_both,
    judge,
    verdict_counts,
    written_args,
)
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
        # bounds: contradicted only beyond the bound ± the tolerance, else not a test
        (100, 95.0, "upper_bound", 5, "untestable"),  # at the edge
        (100, 94.99, "upper_bound", 5, "contradicted"),
        (10, 64.15, "upper_bound", 5, "untestable"),  # far above: respected, not support
        (100, 105.0, "lower_bound", 5, "untestable"),  # at the edge
        (100, 105.01, "lower_bound", 5, "contradicted"),
        (42, 16.31, "lower_bound", 5, "untestable"),
        (42, None, "lower_bound", 5, "untestable"),
    ],
)
def test_judge_at_tolerance_edges(thesis, data, kind, tol, expected) -> None:
    assert judge(part(thesis, kind, tol), Measurement(data, "e")) == expected


@pytest.mark.parametrize(
    ("verdicts", "expected"),
    [
        (["supported", "supported"], "supported"),
        (["supported", "contradicted"], "partly_supported"),
        (["supported", "untestable"], "supported"),  # untestable parts do not count against
        (["contradicted", "untestable"], "contradicted"),
        (["supported", "contradicted", "untestable"], "partly_supported"),
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
    assert result.verdict == "supported"  # the one testable part holds
    assert [p.verdict for p in result.parts] == ["untestable", "supported"]
    assert "2020: thesis 1450 US$ mn vs data 1,447 US$ mn (supported" in result.explanation
    assert "2014: thesis 206 US$ mn vs data no data (untestable" in result.explanation
    assert result.explanation.endswith("(1 of 2 parts testable)")
    (rec,) = as_records([result])
    assert rec["data_value"] == "2014: n/a; 2020: 1,447" and rec["unit"] == "US$ mn"
    assert evaluate(claim(args={"scale": 2.0}), {"fake.metric": fake}).verdict == "contradicted"


def test_bound_parts_are_said_to_be_bounds_not_support() -> None:
    lower = {"kind": "lower_bound", "value": 5}
    c = claim(
        parts=[
            {"label": "FDI", "thesis": 42, "unit": "US$ bn", "tolerance": lower},
            {"label": "loans", "thesis": 42, "unit": "US$ bn", "tolerance": lower},
        ]
    )
    result = evaluate(c, {"fake.metric": lambda scale: [Measurement(None, "e"), fake(1)[1]]})
    # 1447 is above 42 + 5 %: a component larger than the claimed total contradicts it
    assert result.verdict == "contradicted"
    result = evaluate(
        c, {"fake.metric": lambda scale: [Measurement(None, "e"), Measurement(16.31, "e")]}
    )
    assert result.verdict == "untestable"
    assert "FDI: thesis 42 US$ bn vs data no data (untestable, the data are a lower bound" in (
        result.explanation
    )
    assert (
        "loans: thesis 42 US$ bn vs data 16.31 US$ bn (consistent with the bound, not a test;"
        in (result.explanation)
    )
    assert result.explanation.endswith(
        "(0 of 2 parts testable; 1 only bounded by the data: a bound the claim respects does "
        "not support its figure)"
    )
    with pytest.raises(ValueError, match="needs a numeric thesis"):
        part(True, "upper_bound", 5)


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
        "supported": 1,
        "partly_supported": 0,
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


# --- when written and now; composition rules ----------------------------------------------


def shares(**args) -> list[Measurement]:
    """Three published shares; the fourth (undecided) is not published."""
    return [
        Measurement(39.0, "r"),
        Measurement(46.0, "n"),
        Measurement(10.0, "u"),
        Measurement(None, "not published"),
    ]


def poll_claim(**over) -> Claim:
    base = {
        "id": "C98",
        "chapter": 3,
        "claim": "39 / 46 / 10 / 5",
        "thesis_value": "39 / 46 / 10 / 5 %",
        "metric": "fake.shares",
        "parts": [
            {"label": lab, "thesis": v, "unit": "%", "tolerance": {"kind": "absolute", "value": 2}}
            for lab, v in (("Russia", 39), ("neutral", 46), ("Ukraine", 10))
        ]
        + [
            {
                "label": "undecided",
                "thesis": 5,
                "unit": "%",
                "tolerance": {"kind": "absolute", "value": 2},
                "derived": "complement_100",
            }
        ],
    }
    base.update(over)
    return Claim.model_validate(base)


def test_an_unpublished_remainder_is_computed_as_the_complement() -> None:
    result = evaluate(poll_claim(), {"fake.shares": shares})
    undecided = result.parts[3]
    assert undecided.measurement.value == 5.0  # 100 − 39 − 46 − 10
    assert undecided.measurement.evidence.startswith("arithmetic complement: 100 − 39 − 46 − 10")
    assert result.verdict == "supported" and "parts testable" not in result.explanation
    with pytest.raises(ValueError, match="at most one part may be derived"):
        poll_claim(parts=[poll_claim().parts[3]])


def rival(years, edition="2026"):
    """China ahead of Russia: not in 2021 on the 2022 edition, in 2021 on 2026, and later."""
    ahead = {("2022", 2021): False, ("2026", 2021): True, ("2026", 2025): True}
    return [Measurement(ahead.get((edition, y)), f"edition {edition}, {y}") for y in years]


def rival_claim(**over) -> Claim:
    base = {
        "id": "C97",
        "chapter": 1,
        "claim": "China ahead of Russia",
        "thesis_value": "CHN > RUS",
        "metric": "fake.rival",
        "args": {"years": [2021, "latest"], "edition": "2026"},
        "written": {"period": "2021", "end_year": 2021, "args": {"edition": "2022"}},
        "parts": [
            {"label": "2021", "thesis": True, "unit": "yes/no", "tolerance": {"kind": "exact"}},
            {
                "label": "latest year",
                "thesis": True,
                "unit": "yes/no",
                "tolerance": {"kind": "exact"},
                "when": "now",
            },
        ],
    }
    base.update(over)
    return Claim.model_validate(base)


def test_written_args_replace_latest_and_apply_the_overrides() -> None:
    assert written_args(rival_claim()) == {"years": [2021, 2021], "edition": "2022"}
    nested = rival_claim(args={"periods": [[1992, 2021], [1992, "latest"]]}, written={})
    assert written_args(nested) == {"periods": [[1992, 2021], [1992, 2021]]}


def test_two_verdicts_and_the_sentence_that_says_why_they_differ() -> None:
    def metric(years, edition):
        return rival([2025 if y == "latest" else y for y in years], edition)

    result = evaluate_both(rival_claim(), {"fake.rival": metric})
    assert result.verdict == "supported"  # 2021 and 2025 on the 2026 edition
    assert result.written.verdict == "contradicted"  # 2021 on the 2022 edition only
    assert [p.part.label for p in result.written.parts] == ["2021"]  # "latest" is now-only
    assert result.change == (
        "Did not hold when written (2021, edition 2022); holds now: 2021: no then, yes "
        "now; latest year: yes (judged now only)."
    )
    (rec,) = as_records([result])
    assert (rec["verdict"], rec["verdict_when_written"]) == ("supported", "contradicted")
    assert rec["reference_period"] == "2021" and rec["change"] == result.change


def test_same_arguments_mean_one_evaluation_and_no_change_sentence() -> None:
    calls = []

    def counted(scale):
        calls.append(scale)
        return fake(scale)

    result = evaluate_both(claim(), {"fake.metric": counted})
    assert calls == [1.0] and result.written is result and result.change == ""
    assert change_sentence(result, result) == ""


def test_a_written_evaluation_the_old_data_cannot_compute_is_untestable_then() -> None:
    def metric(years, edition):
        if edition == "2022":
            raise KeyError("edition 2022 has no such year")
        return rival([2025 if y == "latest" else y for y in years], edition)

    result = evaluate_both(rival_claim(), {"fake.rival": metric})
    assert result.verdict == "supported" and result.written.verdict == "untestable"
    assert result.change.startswith("Could not be tested when written (2021, edition 2022)")


def test_unit_limits_are_stated_with_the_verdict() -> None:
    result = evaluate(claim(unit_limits="tested in US dollars only"), {"fake.metric": fake})
    assert result.explanation.endswith("Not covered by this measure: tested in US dollars only")


def test_same_verdicts_with_a_flipped_part_are_explained_small_revisions_are_not() -> None:
    c = claim(written={"period": "2020", "args": {"scale": 1.001}})
    # 1447 vs 1447·1.001: both within 5 % of 1450 — a revision that changes no verdict
    quiet = evaluate_both(c, {"fake.metric": fake})
    assert quiet.verdict == quiet.written.verdict and quiet.change == ""

    def swap(scale):  # now: 2014 holds, 2020 not; when written: the other way round
        if scale == 1.0:
            return [Measurement(206.0, "a"), Measurement(2000.0, "b")]
        return [Measurement(412.0, "a"), Measurement(1450.0, "b")]

    both = evaluate_both(
        claim(written={"period": "2020", "args": {"scale": 2.0}}), {"fake.metric": swap}
    )
    assert both.verdict == both.written.verdict == "partly_supported"
    assert both.change == (
        "Partly held when written (2020) and partly holds now, but the data changed: "
        "2014: 412 then, 206 now; 2020: 1,450 then, 2,000 now."
    )
