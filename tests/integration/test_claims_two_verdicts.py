"""Two verdicts per claim on the real data: when written (the thesis's period on the data as
they stood) and now, with the composition rules applied to the real cases."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from kzanalysis.claims import ledger as L
from kzanalysis.cli import app

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def results(committed_ledger):
    """Every claim evaluated (``L.evaluate_all()``), shared with the run (tests/conftest.py)."""
    return {r.claim.id: r for r in committed_ledger["results"]}


@pytest.fixture(autouse=True)
def _ledger_evaluated_once(committed_ledger):
    """``kzanalysis claims`` below reads the run's evaluation of this data state."""


def test_every_claim_has_both_verdicts_with_its_reference_period_in_json():
    result = CliRunner().invoke(app, ["claims", "--json"])
    assert result.exit_code == 0, result.output
    records = json.loads(result.output)
    assert len(records) == 44
    for rec in records:
        assert rec["verdict_when_written"] in L.VERDICT_PAST, rec["id"]
        assert rec["reference_period"], rec["id"]
        if rec["verdict"] != rec["verdict_when_written"]:
            assert rec["change"], f"{rec['id']}: verdicts differ without a sentence saying why"
    assert {r["id"] for r in records if r["change"]} >= {"C17", "C22", "C32"}


def test_c22_top_five_held_on_the_thesis_period_and_edition(results):
    c22 = results["C22"]
    top_then = c22.written.parts[0].measurement.value
    top_now = c22.parts[0].measurement.value
    assert top_then == "Russia, Europe, Ukraine, Israel, United States"  # the thesis's five
    assert "South Africa" in top_now  # a 2026 revision of one deal moves it in
    assert c22.written.parts[0].verdict == "supported" and c22.parts[0].verdict == "contradicted"
    assert "United States then" in c22.change and "South Africa now" in c22.change


def test_c32_is_judged_at_2014_by_interpolation_when_written(results):
    c32 = results["C32"]
    (then,) = c32.written.parts
    assert then.measurement.value == pytest.approx(20.11, abs=0.01)
    assert "interpolated linearly between 1999" in then.measurement.evidence
    assert c32.written.verdict == "supported" and c32.verdict == "contradicted"


def test_c37_undecided_is_the_computed_complement(results):
    c37 = results["C37"]
    undecided = c37.parts[3]
    assert undecided.measurement.evidence.startswith("arithmetic complement")
    assert c37.verdict == "supported" and "parts testable" not in c37.explanation


def test_c17_latest_year_counts_now_only(results):
    c17 = results["C17"]
    assert [p.part.label for p in c17.written.parts] == ["China's turnover > Russia's, 2021"]
    assert c17.written.verdict == "contradicted"
    assert "latest year: yes (judged now only)" in c17.change


def test_c16_states_what_its_measure_cannot_see(results):
    assert "Not covered by this measure: tested in US dollars only" in results["C16"].explanation
