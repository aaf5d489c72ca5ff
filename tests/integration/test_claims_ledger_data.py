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
#: The spec's ids (../shared/spec/claims.md lists C01-C38); used when the spec is absent.
SPEC_IDS_FALLBACK = [f"C{i:02d}" for i in range(1, 39)]
#: Spec rows not yet in the ledger, each with the issue that adds it. The spec says the money
#: claims "come with the money chapter" (issue 22); declaring one makes
#: test_pending_claims_are_still_pending fail until it is removed from here.
PENDING = {f"C{i}": "issue 22, Chapter 1c - Money" for i in range(39, 45)}
VERDICTS = {"supported", "partly_supported", "contradicted", "untestable"}


def all_spec_ids() -> list[str]:
    """Claim ids in the spec's table rows (``| C01 | ...``), else the known C01-C38."""
    if not SPEC.is_file():
        return SPEC_IDS_FALLBACK
    return re.findall(r"^\|\s*(C\d{2})\s*\|", SPEC.read_text(encoding="utf-8"), flags=re.M)


def spec_ids() -> list[str]:
    """The spec's ids that the ledger must carry now (all but :data:`PENDING`)."""
    return [i for i in all_spec_ids() if i not in PENDING]


def test_spec_parses_to_unique_ids_with_the_38_of_chapters_1_to_3() -> None:
    ids = all_spec_ids()
    assert len(ids) == len(set(ids)) and len(spec_ids()) == 38, ids


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


@pytest.fixture(scope="module")
def ledger_json() -> list[dict]:
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

    parts = {d: ledger_table(domain=d) for d in ("trade", "energy", "arms", "polls")}
    ids = [i for t in parts.values() for i in t["id"]]
    assert sorted(ids) == sorted(spec_ids())  # every claim in exactly one chapter notebook
    assert set(parts["trade"]["id"]) >= {"C10", "C12", "C17"}
    assert set(parts["arms"]["id"]) >= {"C20", "C31"}
    t = parts["polls"]
    n = {v: int((t["verdict"] == v).sum()) for v in VERDICTS}
    assert counts_sentence(t) == (
        f"{len(t)} claims: {n['supported']} supported, {n['partly_supported']} partly "
        f"supported, {n['contradicted']} contradicted, {n['untestable']} untestable."
    )
    with pytest.raises(ClaimsError, match="unknown claims domain 'money'"):
        ledger_table(domain="money")
