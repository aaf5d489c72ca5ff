"""The committed data/: verified, exactly reproducible from the raw snapshots, loadable."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kzanalysis import curate as curate_registry
from kzanalysis import datasets
from kzanalysis.curate.run import curate
from kzanalysis.schema import unit_problems
from kzanalysis.specs import all_specs
from tests.conftest import PROJECT_ROOT, SHARED_DATA

pytestmark = pytest.mark.integration
DATA = PROJECT_ROOT / "data"
RESOURCES = json.loads((DATA / "datapackage.json").read_text())["resources"]


def test_every_spec_is_catalogued_and_follows_naming_rules() -> None:
    specs = all_specs()
    assert [s.name for s in specs] == [r["name"] for r in RESOURCES]
    for spec in specs:
        assert unit_problems(spec) == []
        assert spec.sources and all(s.terms and s.url and s.edition for s in spec.sources)


def test_committed_data_verifies() -> None:
    report = datasets.verify(DATA)
    assert {name: problems for name, problems in report.items() if problems} == {}


@pytest.mark.skipif(not SHARED_DATA.is_dir(), reason=f"raw snapshots not present at {SHARED_DATA}")
def test_recuration_reproduces_committed_data_exactly(
    tmp_path: Path, raw_domain_build, monkeypatch: pytest.MonkeyPatch
) -> None:
    # each domain's parse of the snapshots is the run's (tests/conftest.py), shared with
    # the *_sanity tests; tidying, validation, writing and the comparison run here
    for domain in curate_registry.DOMAINS:
        module = curate_registry.domain_module(domain)
        real = module.build

        def shared(raw: Path, domain: str = domain, real=real) -> dict:
            return raw_domain_build(domain) if Path(raw) == SHARED_DATA else real(raw)

        monkeypatch.setattr(module, "build", shared)
    result = curate(SHARED_DATA, DATA, check=True)
    assert result.differences == []
    assert set(result.tables) == {r["name"] for r in RESOURCES}


@pytest.fixture(scope="module")
def _content_results() -> dict[tuple[str, str], list[str]]:
    """Parse/schema results of committed tables, by (name, catalog hash); see below."""
    return {}


@pytest.fixture
def content_checked_once(
    _content_results: dict[tuple[str, str], list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``verify`` parses a table (``content_problems``) once per module, not once per test.

    ``verify`` parses a table only after its file matched the catalog's size and sha256,
    and every test below uses the committed catalog: a parsed file is then byte for byte a
    committed table, so its result is the same in every copy. The first test computes it
    for real; the others reuse it (the corrupted table itself always fails its checksum
    first and is never parsed). Used by ``test_one_corrupted_byte_is_caught_and_named``.
    """
    real = datasets.content_problems

    def once(res: dict, spec, folder: Path) -> list[str]:
        key = (res["name"], res["hash"])
        if key not in _content_results:
            _content_results[key] = real(res, spec, folder)
        return list(_content_results[key])

    monkeypatch.setattr(datasets, "content_problems", once)


@pytest.mark.parametrize("res", RESOURCES, ids=[r["name"] for r in RESOURCES])
def test_one_corrupted_byte_is_caught_and_named(
    res: dict, tmp_path: Path, content_checked_once: None
) -> None:
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    path = copy / res["path"]
    blob = bytearray(path.read_bytes())
    blob[len(blob) // 2] ^= 0x20
    path.write_bytes(bytes(blob))
    report = datasets.verify(copy)
    assert [n for n, problems in report.items() if problems] == [res["name"]]
    assert res["path"] in report[res["name"]][0] and "checksum mismatch" in report[res["name"]][0]


@pytest.mark.parametrize("res", RESOURCES, ids=[r["name"] for r in RESOURCES])
def test_loaders_return_validated_tables_with_provenance(res: dict) -> None:
    frame = datasets.load(res["name"])
    assert len(frame) == res["rows"]
    prov = frame.attrs["provenance"]
    assert prov["table"] == res["name"] and prov["sources"]
