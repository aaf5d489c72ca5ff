"""Recorded reads (kzanalysis.reads): what the library writes during a build, and digests."""

from __future__ import annotations

import json

import pytest

from kzanalysis import datasets, reads
from kzanalysis.claims import ledger
from kzanalysis.claims.model import load_claims
from kzanalysis.paths import PROJECT_ROOT

DATA = PROJECT_ROOT / "data"


@pytest.fixture
def reads_file(tmp_path, monkeypatch):
    path = tmp_path / "reads.jsonl"
    monkeypatch.setenv(reads.ENV, str(path))
    reads._written.clear()
    yield path
    reads._written.clear()


def test_nothing_is_recorded_outside_a_build(tmp_path, monkeypatch):
    monkeypatch.delenv(reads.ENV, raising=False)
    reads.record("table:x", "1")
    reads.record_file(DATA / "claims.yaml", DATA)
    assert list(tmp_path.iterdir()) == []


def test_records_are_one_line_per_input_and_the_last_digest_wins(reads_file):
    reads.record("table:a", "1")
    reads.record("table:a", "1")  # same digest: not written again
    reads.record("claim:C01", "x")
    reads.record("table:a", "2")
    assert reads_file.read_text().count("\n") == 3
    reads_file.write_text(reads_file.read_text() + '{"key": "table:b", "dig')  # killed mid-write
    assert reads.read_records(reads_file) == {"table:a": "2", "claim:C01": "x"}
    assert reads.read_records(reads_file.with_name("none.jsonl")) == {}


def test_only_files_under_data_are_recorded(reads_file, tmp_path):
    outside = tmp_path / "elsewhere.txt"
    outside.write_text("x")
    reads.record_file(outside, DATA)
    reads.record_file(DATA / "claims.yaml", DATA)
    got = reads.read_records(reads_file)
    assert list(got) == ["file:claims.yaml"]
    assert got["file:claims.yaml"] == reads.file_digest(DATA / "claims.yaml")


def test_loading_a_table_records_its_catalog_entry(reads_file):
    datasets.load("brent_annual")
    catalog = json.loads((DATA / "datapackage.json").read_text())
    entry = next(r for r in catalog["resources"] if r["name"] == "brent_annual")
    assert reads.read_records(reads_file) == {"table:brent_annual": reads.table_digest(entry)}
    # the build recomputes the same digest from the catalog
    now = reads.current_digests(["table:brent_annual"], catalog["resources"], DATA)
    assert now == reads.read_records(reads_file)


def test_a_ledger_table_records_its_claims_their_selection_and_the_tables_they_read(reads_file):
    table = ledger.ledger_table(domain="arms")
    got = reads.read_records(reads_file)
    claims = {k.partition(":")[2] for k in got if k.startswith("claim:")}
    assert claims == set(table["id"])
    assert "claims:domain=arms" in got
    assert "table:arms_sipri_china_exports" in got  # read by a metric, not by the notebook
    catalog = json.loads((DATA / "datapackage.json").read_text())
    assert reads.current_digests(got, catalog["resources"], DATA) == got


def test_claim_and_selection_digests_follow_the_declarations(tmp_path):
    claims = load_claims(DATA / "claims.yaml")
    c25 = next(c for c in claims if c.id == "C25")
    changed = c25.model_copy(update={"note": c25.note + " (edited)"})
    assert reads.claim_digest(changed) != reads.claim_digest(c25)
    assert reads.selection_name(None, "arms") == "domain=arms"
    assert (
        reads.selection_name(2, None) == "chapter=2" and reads.selection_name(None, None) == "all"
    )
    arms = reads.select_ids(claims, "domain=arms")
    assert "C25" in arms and all(c.data_domain == "arms" for c in claims if c.id in arms)
    assert len(reads.select_ids(claims, "all")) == len(claims)
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "claims.yaml").write_text((DATA / "claims.yaml").read_text())
    keys = ["claim:C25", "claim:C99", "claims:domain=arms", "file:gone.txt"]
    now = reads.current_digests(keys, [], folder)
    assert now["claim:C25"] == reads.claim_digest(c25)
    assert now["claim:C99"] == "missing" and now["file:gone.txt"] == "absent"
    assert now["claims:domain=arms"] == reads.selection_digest(arms)


def test_ledger_element_is_a_report_table_with_badges_and_words():
    from kzanalysis.report import Table, reader_text_problems

    element = ledger.ledger_element(domain="arms")
    assert isinstance(element, Table)
    html = element._repr_html_()
    assert "What the thesis says" in html and "partly_supported" not in html
    assert reader_text_problems(html) == []
    assert element.subtitle.startswith(f"{len(ledger.ledger_table(domain='arms'))} claims: ")


def test_current_digests_are_computed_once_per_object_and_follow_a_new_catalog(
    monkeypatch, tmp_path
):
    """Planning many variants computes each table's digest once; a re-read catalog (new
    entry objects, one changed) gives the changed table its new digest."""
    calls: list[str] = []
    real = reads.table_digest

    def counting(res):
        calls.append(res["name"])
        return real(res)

    monkeypatch.setattr(reads, "table_digest", counting)
    resources = [{"name": "a", "hash": "sha256:1"}, {"name": "b", "hash": "sha256:2"}]
    keys = ["table:a", "table:b"]
    first = reads.current_digests(keys, resources, tmp_path)
    for _ in range(5):  # five more variants that read the same tables
        assert reads.current_digests(keys, resources, tmp_path) == first
    assert sorted(calls) == ["a", "b"]
    changed = [{"name": "a", "hash": "sha256:1"}, {"name": "b", "hash": "sha256:3"}]
    again = reads.current_digests(keys, changed, tmp_path)
    assert again["table:a"] == first["table:a"] and again["table:b"] != first["table:b"]
