"""The committed ledger (data/claims.yaml) against the thesis spec and the real data."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest
from typer.testing import CliRunner

from kzanalysis.claims.model import load_claims
from kzanalysis.cli import app
from tests.conftest import PROJECT_ROOT

SPEC = PROJECT_ROOT.parent / "shared" / "spec" / "claims.md"
#: The spec's ids (../shared/spec/claims.md lists C01-C44); used when the spec is absent.
SPEC_IDS_FALLBACK = [f"C{i:02d}" for i in range(1, 45)]
#: Spec rows not yet in the ledger, each with the issue that adds it (none: the money claims
#: C39-C44 came with the money chapter, issue 22); declaring one makes
#: test_pending_claims_are_still_pending fail until it is removed from here.
PENDING: dict[str, str] = {}
#: The money claims (thesis chapter 1), shown in the money chapter (data domain investment).
MONEY_IDS = {f"C{i}" for i in range(39, 45)}
VERDICTS = {"supported", "partly_supported", "contradicted", "untestable"}


def all_spec_ids() -> list[str]:
    """Claim ids in the spec's table rows (``| C01 | ...``), else the known C01-C44."""
    if not SPEC.is_file():
        return SPEC_IDS_FALLBACK
    return re.findall(r"^\|\s*(C\d{2})\s*\|", SPEC.read_text(encoding="utf-8"), flags=re.M)


def spec_ids() -> list[str]:
    """The spec's ids that the ledger must carry now (all but :data:`PENDING`)."""
    return [i for i in all_spec_ids() if i not in PENDING]


def test_spec_parses_to_unique_ids_with_the_44_of_chapters_1_to_3() -> None:
    ids = all_spec_ids()
    assert len(ids) == len(set(ids)) and len(spec_ids()) == 44, ids


def test_pending_claims_are_still_pending() -> None:
    declared = {c.id for c in load_claims()}
    listed = set(all_spec_ids())
    assert not declared & set(PENDING), "now declared: remove them from PENDING"
    assert set(PENDING) <= listed or not SPEC.is_file(), "PENDING names ids the spec lacks"


def test_every_spec_id_is_declared_exactly_once() -> None:
    declared = Counter(c.id for c in load_claims())
    expected = set(spec_ids())
    missing = sorted(expected - set(declared))
    extra = sorted(set(declared) - expected)
    dupes = sorted(i for i, n in declared.items() if n > 1)
    assert not missing, f"claims missing from data/claims.yaml: {missing}"
    assert not extra, f"ids in data/claims.yaml that are not in the spec: {extra}"
    assert not dupes, f"ids declared more than once: {dupes}"


@pytest.fixture(autouse=True)
def _ledger_evaluated_once(committed_ledger: dict) -> None:
    """``kzanalysis claims`` here reads the run's evaluation of this data state."""


@pytest.fixture(scope="module")
def ledger_json(committed_ledger: dict) -> list[dict]:
    result = CliRunner().invoke(app, ["claims", "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_claims_json_lists_every_id_with_a_computed_verdict(ledger_json: list[dict]) -> None:
    assert [r["id"] for r in ledger_json] == sorted(spec_ids())
    for rec in ledger_json:
        assert rec["verdict"] in VERDICTS, rec
        assert not rec["error"], rec
        for key in ("thesis_value", "data_value", "unit", "evidence", "explanation"):
            assert key in rec, (rec["id"], key)
        if rec["verdict"] != "untestable":
            assert rec["data_value"] not in (None, ""), rec["id"]


def test_chapter_filter(ledger_json: list[dict]) -> None:
    result = CliRunner().invoke(app, ["claims", "--chapter", "3", "--json"])
    assert result.exit_code == 0, result.output
    ids = {r["id"] for r in json.loads(result.stdout)}
    assert ids == {r["id"] for r in ledger_json if r["chapter"] == 3} and ids


def test_ledger_table_by_domain_partitions_the_ledger() -> None:
    from kzanalysis.claims.ledger import counts_sentence, ledger_table
    from kzanalysis.claims.model import ClaimsError

    domains = ("trade", "energy", "arms", "polls", "investment")
    parts = {d: ledger_table(domain=d) for d in domains}
    ids = [i for t in parts.values() for i in t["id"]]
    assert sorted(ids) == sorted(spec_ids())  # every claim in exactly one chapter notebook
    assert set(parts["trade"]["id"]) >= {"C10", "C12", "C17"}
    assert set(parts["arms"]["id"]) >= {"C20", "C31"}
    assert set(parts["investment"]["id"]) == MONEY_IDS
    t = parts["polls"]
    n = {v: int((t["verdict"] == v).sum()) for v in VERDICTS}
    assert counts_sentence(t) == (
        f"{len(t)} claims: {n['supported']} supported, {n['partly_supported']} partly "
        f"supported, {n['contradicted']} contradicted, {n['untestable']} untestable."
    )
    with pytest.raises(ClaimsError, match="unknown claims domain 'money'"):
        ledger_table(domain="money")


def test_money_claims_appear_in_the_money_chapter() -> None:
    from kzanalysis import chapters

    money = chapters.get("money")
    assert money.domain == "investment" and money.metrics == "kzanalysis.claims.metrics_money"
    declared = {c.id: c for c in load_claims() if c.id in MONEY_IDS}
    assert set(declared) == MONEY_IDS
    assert {c.data_domain for c in declared.values()} == {money.domain}


def test_money_claims_say_what_their_measures_are(ledger_json: list[dict]) -> None:
    rows = {r["id"]: r for r in ledger_json if r["id"] in MONEY_IDS}
    for rec in rows.values():
        text = " ".join(
            str(rec[k] or "") for k in ("data_value", "evidence", "notes", "explanation")
        )
        assert not re.search(r"\bnan\b", text, re.I), rec["id"]  # no missing number shown
        assert not re.search(r"\bNone\b|Measurement\(|\{'", text), rec["id"]  # no reprs
        assert rec["reference_period"], rec["id"]
    for cid in ("C39", "C40", "C41", "C43"):  # official finance: constant 2021 dollars, lending
        assert "constant 2021 US$" in rows[cid]["evidence"], cid
    for cid in ("C39", "C40"):  # FDI by origin ends in 2012; the lending only bounds a total
        assert "not covered (the table holds 2001–2012" in rows[cid]["evidence"], cid
        assert "consistent with the bound, not a test" in rows[cid]["explanation"], cid
    assert "cannot both be cumulative totals" in rows["C40"]["explanation"]
    for cid in ("C41", "C43"):  # an aggregate of commitments bounds the claim from above
        assert "the data are an upper bound" in rows[cid]["explanation"], cid
    assert "(2 of 3 parts testable)" in rows["C42"]["explanation"]
    assert "company-level production shares" in rows["C44"]["explanation"]
