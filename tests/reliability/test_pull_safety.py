"""``kzanalysis data pull`` against hostile or broken servers (HTTP mocked with ``responses``).

Sizes are checked against what the server announced, empty and oversized answers
are refused, a source's files are replaced all together or not at all, redirects
to plain HTTP and non-HTTPS URLs are refused, timeouts are reported, and nothing
is ever written into the curated ``data/`` folder, not even through a symbolic link.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests
import responses
from hypothesis import given, settings
from hypothesis import strategies as st

from kzanalysis import pull

A, B = "https://files.example.org/a.csv", "https://files.example.org/b.csv"


@pytest.fixture
def two_files(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setitem(pull.SOURCES, "two", pull.PullSource("test", ((A, "a.csv"), (B, "b.csv"))))
    return "two"


@pytest.fixture
def previous(two_files: str, tmp_path: Path) -> Path:
    """A destination holding an earlier complete pull of both files."""
    with responses.RequestsMock() as mock:
        mock.get(A, body=b"old a\n")
        mock.get(B, body=b"old b\n")
        pull.pull(two_files, tmp_path / "dl")
    return tmp_path / "dl" / two_files


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


FAILURES = {
    "server error": lambda m: m.get(B, status=503),
    "not found": lambda m: m.get(B, status=404),
    "connect timeout": lambda m: m.get(B, body=requests.exceptions.ConnectTimeout()),
    "read timeout": lambda m: m.get(B, body=requests.exceptions.ReadTimeout()),
    "connection reset": lambda m: m.get(B, body=requests.exceptions.ConnectionError()),
    "empty body": lambda m: m.get(B, body=b""),
    "cut off": lambda m: m.get(
        B, body=b"only part", headers={"Content-Length": "100"}, auto_calculate_content_length=False
    ),
    "redirect to http": lambda m: (
        m.get(B, status=302, headers={"Location": "http://files.example.org/b.csv"}),
        m.get("http://files.example.org/b.csv", body=b"new b\n"),
    ),
}


@pytest.mark.parametrize("failure", list(FAILURES))
def test_a_failing_file_leaves_every_previous_file_and_the_manifest(
    failure, previous: Path, two_files: str, tally
):
    before = snapshot(previous)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.get(A, body=b"new a\n")
        FAILURES[failure](mock)
        with pytest.raises(pull.PullError) as err:
            pull.pull(two_files, previous.parent, timeout=5)
    message = str(err.value)
    assert ("b.csv" in message and "Fix:" in message) or "only https" in message, message
    assert snapshot(previous) == before  # a.csv not replaced: all files or none
    assert not [p for p in previous.iterdir() if p.name.startswith(".")]  # no temp left
    tally("pull faults survived", 1)


def test_timeouts_name_the_time_and_the_fix(previous: Path, two_files: str):
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.get(A, body=requests.exceptions.ConnectTimeout())
        with pytest.raises(pull.PullError, match=r"no answer within 7 s\. Fix: retry or raise"):
            pull.pull(two_files, previous.parent, timeout=7)


def test_oversized_answer_is_abandoned(previous: Path, two_files: str, monkeypatch):
    monkeypatch.setattr(pull, "MAX_BYTES", 10)
    before = snapshot(previous)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.get(A, body=b"x" * 11)
        with pytest.raises(pull.PullError, match="larger than 10 bytes"):
            pull.pull(two_files, previous.parent)
    assert snapshot(previous) == before


def test_success_records_verified_sizes_and_checksums(previous: Path, two_files: str):
    with responses.RequestsMock() as mock:
        mock.get(A, body=b"new a\n")
        mock.get(B, body=b"new b, longer\n")
        manifest = pull.pull(two_files, previous.parent)
    assert snapshot(previous)["a.csv"] == b"new a\n"
    written = json.loads((previous / "manifest.json").read_text())
    assert written == manifest
    import hashlib

    for entry in manifest["files"]:
        blob = (previous / entry["path"]).read_bytes()
        assert entry["bytes"] == len(blob)
        assert entry["sha256"] == hashlib.sha256(blob).hexdigest()


def test_never_writes_into_curated_data_even_through_a_link(
    two_files: str, tmp_path: Path, monkeypatch, tally
):
    data = tmp_path / "data"
    data.mkdir()
    (data / "keep.csv").write_text("curated\n")
    monkeypatch.setenv("KZANALYSIS_DATA_DIR", str(data))
    dest = tmp_path / "dl"
    dest.mkdir()
    (dest / two_files).symlink_to(data)  # dl/two -> data/
    link_to_data = tmp_path / "data-link"
    link_to_data.symlink_to(data)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.get(A, body=b"a\n")
        mock.get(B, body=b"b\n")
        for target in (dest, data, data / "sub", link_to_data):
            with pytest.raises(pull.PullError, match="inside the curated data folder"):
                pull.pull(two_files, target)
    assert snapshot(data) == {"keep.csv": b"curated\n"}
    tally("pull faults survived", 4)


def test_file_names_cannot_escape_the_source_folder(monkeypatch, tmp_path: Path):
    monkeypatch.setitem(pull.SOURCES, "evil", pull.PullSource("x", ((A, "../escape.csv"),)))
    with pytest.raises(pull.PullError, match="plain file name"):
        pull.pull("evil", tmp_path / "dl")
    assert not (tmp_path / "dl" / "escape.csv").exists()


URL_SCHEMES = st.sampled_from(
    ["http", "ftp", "file", "gopher", "javascript", "data", "ws", "HTTP", "", "httpss"]
)


def test_only_absolute_https_urls_are_accepted(tally):
    count = [0]

    @settings(max_examples=200, deadline=None, database=None, derandomize=True)
    @given(
        scheme=URL_SCHEMES,
        rest=st.one_of(
            st.sampled_from(["//example.org/a.csv", "///etc/passwd", "example.org", ""]),
            st.text(max_size=30),
        ),
    )
    def check(scheme: str, rest: str) -> None:
        count[0] += 1
        with pytest.raises(pull.PullError, match="only https:// URLs"):
            pull.check_url(f"{scheme}:{rest}")

    check()
    for ok in ("https://example.org/a.csv", "HTTPS://example.org/x?y=1"):
        pull.check_url(ok)
    for bad in ("https:///nohost", "https:/x", "//example.org/a.csv", "example.org/a.csv"):
        with pytest.raises(pull.PullError):
            pull.check_url(bad)
    tally("bad URLs refused", count[0] + 4)
