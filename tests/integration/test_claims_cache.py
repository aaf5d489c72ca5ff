"""One ledger per data state (kzanalysis.claims.cache): evaluated once, invalidated by any
change of claims.yaml, a table's checksum or the library, and its reads replayed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kzanalysis import reads
from kzanalysis.claims import cache
from kzanalysis.paths import data_dir

pytestmark = pytest.mark.integration

#: One claim of the real ledger: Power of Siberia's 2021 flow, 16.5 bcm in the thesis,
#: 7.58 bcm in the Statistical Review 2022 → contradicted at ±5 %, supported at ±60 %.
C13 = """claims:
  - id: C13
    chapter: 1
    footnote: 63
    claim: Power of Siberia delivered 16.5 bcm to China in 2021
    thesis_value: "16.5 bcm (2021)"
    metric: energy.pipeline_flow
    args: {exporter: RUS, importer: CHN, year: 2021, edition: "2022"}
    parts:
      - {label: "Russia to China pipeline gas, 2021", thesis: 16.5, unit: bcm,
         tolerance: {kind: relative_pct, value: TOL}}
"""


@pytest.fixture(autouse=True)
def own_ledger_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests check each reports folder's own ``.build/ledger``: no shared folder."""
    monkeypatch.delenv(cache.ENV_DIR, raising=False)


@pytest.fixture
def state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A data folder with the real catalog and tables and a one-claim claims.yaml."""
    data = tmp_path / "data"
    shutil.copytree(data_dir(), data, ignore=shutil.ignore_patterns("claims.yaml"))
    (data / "claims.yaml").write_text(C13.replace("TOL", "5"), encoding="utf-8")
    monkeypatch.setenv("KZANALYSIS_DATA_DIR", str(data))
    monkeypatch.setattr(cache, "_memo", {})
    return data, tmp_path / "reports"


def _count_evaluations(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real = cache.evaluate_state

    def counting(data: Path, digest: str):
        calls.append(digest)
        return real(data, digest)

    monkeypatch.setattr(cache, "evaluate_state", counting)
    return calls


def test_evaluated_once_per_state_then_read_from_the_file(state, monkeypatch):
    data, reports = state
    calls = _count_evaluations(monkeypatch)
    first = cache.ledger_state(data, reports)
    assert [r["verdict"] for r in first["records"]] == ["contradicted"]
    assert len(calls) == 1
    path = cache.cache_file(first["digest"], reports)
    assert path.is_file()
    monkeypatch.setattr(cache, "_memo", {})  # another process: reads the file
    again = cache.ledger_state(data, reports)
    assert again == json.loads(path.read_text(encoding="utf-8")) and len(calls) == 1


def test_a_changed_tolerance_invalidates_it(state, monkeypatch):
    data, reports = state
    calls = _count_evaluations(monkeypatch)
    before = cache.ledger_state(data, reports)
    (data / "claims.yaml").write_text(C13.replace("TOL", "60"), encoding="utf-8")
    after = cache.ledger_state(data, reports)
    assert len(calls) == 2 and after["digest"] != before["digest"]
    assert [r["verdict"] for r in after["records"]] == ["supported"]
    # only the current state's file is kept
    assert sorted(p.name for p in cache.cache_folder(reports).iterdir()) == [
        f"ledger-{after['digest']}.json"
    ]


def test_a_changed_table_or_library_invalidates_it(state, monkeypatch):
    data, _reports = state
    base = cache.state_digest(data, "lib")
    assert cache.state_digest(data, "other lib") != base
    catalog = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    catalog["resources"][0]["hash"] = "sha256:" + "0" * 64
    (data / "datapackage.json").write_text(json.dumps(catalog), encoding="utf-8")
    assert cache.state_digest(data, "lib") != base


def test_a_stale_or_foreign_file_is_not_read(state, monkeypatch):
    data, reports = state
    calls = _count_evaluations(monkeypatch)
    doc = cache.ledger_state(data, reports)
    path = cache.cache_file(doc["digest"], reports)
    path.write_text(json.dumps({**doc, "version": -1}), encoding="utf-8")
    monkeypatch.setattr(cache, "_memo", {})
    cache.ledger_state(data, reports)
    path.write_text("{not json", encoding="utf-8")
    monkeypatch.setattr(cache, "_memo", {})
    assert cache.ledger_state(data, reports)["records"] == doc["records"]
    assert len(calls) == 3


def test_records_replay_what_the_claim_read(state, monkeypatch, tmp_path):
    data, reports = state
    monkeypatch.setenv("KZANALYSIS_REPORTS_DIR", str(reports))
    cache.ledger_state(data, reports)  # evaluated outside the "build": nothing recorded yet
    reads_file = tmp_path / "reads.jsonl"
    monkeypatch.setenv(reads.ENV, str(reads_file))
    monkeypatch.setattr(reads, "_written", {})
    (record,) = cache.records(["C13"], data, reports)
    assert record["id"] == "C13"
    recorded = reads.read_records(reads_file)
    assert "claim:C13" in recorded
    assert "table:energy_gas_pipeline_flows" in recorded
    assert cache.records(["C99"], data, reports) == []


def test_a_report_kernel_evaluates_without_recording_or_writing(state, monkeypatch, tmp_path):
    """In a build's kernel ($KZANALYSIS_READS_FILE set) a missing cache is evaluated in
    memory: nothing recorded until a ledger table replays its claims' reads, and no file
    written (the build's write guard lets a report write only its own output)."""
    data, reports = state
    reads_file = tmp_path / "reads.jsonl"
    monkeypatch.setenv(reads.ENV, str(reads_file))
    monkeypatch.setattr(reads, "_written", {})
    doc = cache.ledger_state(data, reports)
    assert reads.read_records(reads_file) == {}
    assert not cache.cache_file(doc["digest"], reports).exists()


def test_a_shared_folder_serves_every_reports_folder_and_keeps_other_states(
    state, monkeypatch, tmp_path
):
    """``$KZANALYSIS_LEDGER_DIR``: one evaluation for two reports folders; the file of
    another data state stays (each is named by its digest)."""
    data, reports = state
    shared = tmp_path / "shared"
    monkeypatch.setenv(cache.ENV_DIR, str(shared))
    other = shared / "ledger-0000.json"
    shared.mkdir()
    other.write_text("{}", encoding="utf-8")
    calls = _count_evaluations(monkeypatch)
    cache.ledger_state(data, reports)
    monkeypatch.setattr(cache, "_memo", {})  # another process
    cache.ledger_state(data, tmp_path / "other-reports")
    assert len(calls) == 1
    assert cache.cache_file(cache.state_digest(data), reports).parent == shared
    assert other.is_file() and not (reports / ".build" / "ledger").exists()
