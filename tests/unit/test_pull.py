"""``kzanalysis data pull`` with mocked HTTP: checksums, manifest, refusals, timeouts."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
import requests
import responses

from kzanalysis import pull


@pytest.fixture
def one_file_source(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setitem(
        pull.SOURCES,
        "test-src",
        pull.PullSource("test", (("https://files.example.org/a.csv", "a.csv"),)),
    )
    return "test-src"


@responses.activate
def test_pull_downloads_with_checksum_and_manifest(one_file_source: str, tmp_path: Path) -> None:
    body = b"year,value\n2020,1\n"
    responses.get("https://files.example.org/a.csv", body=body)
    manifest = pull.pull(one_file_source, tmp_path / "dl")
    folder = tmp_path / "dl" / one_file_source
    assert (folder / "a.csv").read_bytes() == body
    (entry,) = manifest["files"]
    assert entry["sha256"] == hashlib.sha256(body).hexdigest()
    assert entry["bytes"] == len(body)
    assert json.loads((folder / "manifest.json").read_text()) == manifest
    assert sorted(p.name for p in folder.iterdir()) == ["a.csv", "manifest.json"]


@responses.activate
def test_failed_download_keeps_previous_file(one_file_source: str, tmp_path: Path) -> None:
    folder = tmp_path / "dl" / one_file_source
    folder.mkdir(parents=True)
    (folder / "a.csv").write_text("old\n")
    responses.get("https://files.example.org/a.csv", status=500)
    with pytest.raises(pull.PullError, match="download failed"):
        pull.pull(one_file_source, tmp_path / "dl")
    assert (folder / "a.csv").read_text() == "old\n"
    assert not any(p.name.startswith(".pull-") for p in folder.iterdir())


@responses.activate
def test_timeout_is_reported(one_file_source: str, tmp_path: Path) -> None:
    responses.get("https://files.example.org/a.csv", body=requests.exceptions.ConnectTimeout())
    with pytest.raises(pull.PullError, match="no answer within 5 s"):
        pull.pull(one_file_source, tmp_path / "dl", timeout=5)


def test_refuses_plain_http(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(
        pull.SOURCES, "insecure", pull.PullSource("x", (("http://example.org/a.csv", "a.csv"),))
    )
    with pytest.raises(pull.PullError, match="only https"):
        pull.pull("insecure", tmp_path)


def test_refuses_curated_data_folder(
    one_file_source: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KZANALYSIS_DATA_DIR", str(tmp_path / "data"))
    with pytest.raises(pull.PullError, match="inside the curated data folder"):
        pull.pull(one_file_source, tmp_path / "data" / "sub")


def test_unknown_and_manual_sources_explained(tmp_path: Path) -> None:
    with pytest.raises(pull.PullError, match="pullable: brent"):
        pull.pull("nope", tmp_path)
    with pytest.raises(pull.PullError, match="armstransfers.sipri.org"):
        pull.pull("sipri", tmp_path)


def test_every_configured_url_is_https() -> None:
    for source in pull.SOURCES.values():
        for url, _ in source.files:
            pull.check_url(url)


def test_targets_name_downloaded_files_and_curated_raw_paths() -> None:
    from kzanalysis.curate import all_specs

    raw_paths = {p for spec in all_specs() for s in spec.sources for p in s.raw_paths}
    used = set()
    for name, source in pull.SOURCES.items():
        files = {fname for _, fname in source.files}
        for target in source.targets:
            assert target.file in files, f"{name}: target {target.file} is not downloaded"
            assert not target.raw_path.startswith("/") and ".." not in target.raw_path
            used.add(target.raw_path)
    # every pullable source that curation reads replaces a raw path a table declares
    assert {"energy/raw/prices/brent-year.csv"} <= used & raw_paths
    assert any(p.startswith("energy/raw/fx/") for p in used & raw_paths)


@responses.activate
def test_head_etag() -> None:
    responses.head("https://files.example.org/a.csv", headers={"ETag": '"abc"'})
    responses.head("https://files.example.org/b.csv", status=404)
    assert pull.head_etag("https://files.example.org/a.csv", 5) == '"abc"'
    assert pull.head_etag("https://files.example.org/b.csv", 5) is None
    assert pull.head_etag("https://files.example.org/unmocked.csv", 5) is None
