"""Atomic writes of reports and build state: readers never see part of a file.

A reader thread reads a file while writers replace it many times, from threads and
from other processes; every read must be one whole version. A write that fails
half-way (disk full) must leave the old version and no temporary file; temporary
files of killed writers are recognised and removed, those of live ones kept.
"""

from __future__ import annotations

import errno
import subprocess
import sys
import threading

import pytest

from kzanalysis.publish import store

SIZE = 256 * 1024
VERSIONS = [bytes([c]) * SIZE for c in b"abcd"]


def test_readers_see_whole_versions_while_writers_replace_the_file(tmp_path, tally):
    target = tmp_path / "reports" / "x-KAZ.html"
    store.atomic_write_text(target, VERSIONS[0].decode())
    done = threading.Event()
    seen: set[bytes] = set()
    reads = [0]

    def reader() -> None:
        while not done.is_set():
            blob = target.read_bytes()
            assert blob in VERSIONS, f"partial read: {len(blob)} bytes"
            seen.add(blob[:1])
            reads[0] += 1

    def writer(offset: int) -> None:
        for i in range(60):
            store.atomic_write_text(target, VERSIONS[(i + offset) % 4].decode())

    script = (
        "import sys\nfrom pathlib import Path\nfrom kzanalysis.publish.store import "
        "atomic_write_text\n"
        f"for i in range(60): atomic_write_text(Path(sys.argv[1]), {'dc'!r}[i % 2] * {SIZE})\n"
    )
    threads = [threading.Thread(target=reader)] + [
        threading.Thread(target=writer, args=(k,)) for k in range(2)
    ]
    for t in threads:
        t.start()
    procs = [subprocess.Popen([sys.executable, "-c", script, str(target)]) for _ in range(2)]
    for proc in procs:
        assert proc.wait(timeout=120) == 0
    for t in threads[1:]:
        t.join()
    done.set()
    threads[0].join()
    assert target.read_bytes() in VERSIONS
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # no temp file left
    assert reads[0] > 0 and len(seen) >= 1
    tally("concurrent writes with no partial read", 4 * 60)
    tally("reads while writing", reads[0])


@pytest.mark.parametrize("fail_at", ["write", "fsync", "replace"])
def test_a_failed_write_keeps_the_old_version_and_no_temp_file(tmp_path, monkeypatch, fail_at):
    target = tmp_path / "state.json"
    store.atomic_write_text(target, '{"old": true}\n')

    def boom(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    if fail_at == "write":
        real_fdopen = store.os.fdopen

        class Full:
            def __init__(self, fh):
                self.fh = fh

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.fh.close()

            def write(self, text):
                self.fh.write(text[: len(text) // 2])
                boom()

        monkeypatch.setattr(store.os, "fdopen", lambda fd, *a, **k: Full(real_fdopen(fd, *a, **k)))
    else:
        monkeypatch.setattr(store.os, fail_at, boom)
    with pytest.raises(OSError, match="No space left"):
        store.atomic_write_text(target, '{"new": true, "padding": "' + "x" * 10_000 + '"}\n')
    monkeypatch.undo()
    assert target.read_text() == '{"old": true}\n'
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]


def test_temp_files_of_dead_writers_are_removed_and_live_ones_kept(tmp_path):
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    dead = tmp_path / f".a.html.{proc.pid}.x1y2.tmp"
    live = tmp_path / f".b.html.{__import__('os').getpid()}.x1y2.tmp"
    other = tmp_path / ".not-ours.tmp"
    for path in (dead, live, other):
        path.write_text("partial")
    assert store.remove_stale_temps(tmp_path, tmp_path / "missing") == [dead]
    assert not dead.exists() and live.exists() and other.exists()
    store.load_state(tmp_path, "none")  # unreadable/missing state is None, not an error
    (tmp_path / ".build").mkdir()
    (tmp_path / ".build" / "x-KAZ.json").write_bytes(b"\xff\xfe{half")
    assert store.load_state(tmp_path, "x-KAZ") is None
