"""One process tree, one fate: a parallel build stopped by a signal leaves nothing behind.

Each test starts ``kzanalysis build --jobs 2`` (its own session) on slow notebooks whose
kernels also start a subprocess, waits until two kernels run, then stops the build:
SIGTERM or SIGKILL to the build process alone, or SIGINT to its process group (Ctrl-C).
Then, within 5 s of the signal (polled: the test goes on as soon as they are gone), no
process of the build's tree (workers, warm-kernel servers, kernels, their subprocesses)
is alive, no report was written after the signal, the last good reports are byte for
byte what they were, and no guard backup is left in the temporary folder (after SIGKILL:
until the next build, which removes it).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest

from kzanalysis.publish import guard as G
from kzanalysis.publish import sockets as K
from kzanalysis.publish.store import alive, process_tree
from tests.reliability.project import (
    build,
    code,
    make_project,
    notebook,
    start_build,
    state,
    write_config,
)

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc"),
]

#: Prints for ``seconds`` (progressively); with ``marks``, starts ``sleep 600`` and leaves
#: ``<kernel pid>-<sleep pid>`` in that folder once it runs.
SLOW = notebook(
    code('seconds = 30\nmarks = ""', "parameters"),
    code(
        "import os, pathlib, subprocess, time\n"
        "if marks:\n"
        '    child = subprocess.Popen(["sleep", "600"])\n'
        '    pathlib.Path(marks, f"{os.getpid()}-{child.pid}").write_text("")\n'
        "for i in range(int(seconds * 10)):\n"
        '    print("tick", i, flush=True)\n'
        "    time.sleep(0.1)\n"
        'print("slow output done")'
    ),
    datasets=["alpha"],
)

LAST_GOOD = "<!DOCTYPE html><html><body>last good {name}</body></html>\n"


def slow_project(root: Path, count: int) -> tuple[Path, list[str]]:
    """``count`` slow variants, each with a last good report and an ok state record."""
    names = [f"slow{i}-KAZ" for i in range(count)]
    marks = root / "marks"
    make_project(
        root,
        {"slow.ipynb": SLOW},
        [{"name": n, "notebook": "slow.ipynb", "parameters": {"marks": str(marks)}} for n in names],
    )
    marks.mkdir()
    reports = root / "reports"
    (reports / ".build").mkdir(parents=True)
    for name in names:
        (reports / f"{name}.html").write_text(LAST_GOOD.format(name=name))
        record = {
            "name": name,
            "status": "ok",
            "fingerprint": {},
            "good_built_at": "2020-01-01 00:00:00 UTC",
            "built_at": "2020-01-01 00:00:00 UTC",
            "reads": [],
            "data_editions": [],
        }
        (reports / ".build" / f"{name}.json").write_text(json.dumps(record))
    return root, names


class Tree:
    """Every process seen in a build's tree while it ran (polled in a thread)."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.seen: set[int] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()

    def _poll(self) -> None:
        while not self._stop.is_set():
            self.seen |= process_tree([self.pid])
            time.sleep(0.05)

    def stop(self) -> set[int]:
        self._stop.set()
        self._thread.join()
        return self.seen


def wait_for_kernels(marks: Path, proc: subprocess.Popen[str], n: int, limit: float = 90) -> None:
    deadline = time.monotonic() + limit
    while len(list(marks.iterdir())) < n:
        assert proc.poll() is None, proc.communicate()[0]
        assert time.monotonic() < deadline, "the kernels never started"
        time.sleep(0.1)


def alive_after(pids: set[int], deadline: float) -> set[int]:
    """Those of ``pids`` still alive at ``deadline`` (a ``time.time()``).

    Polled: the wait ends as soon as all of them are gone, since a process that has ended
    cannot be alive later (every descendant of the build was already in ``pids``: the
    tree was tracked until the build's output closed).
    """
    left = alive(pids)
    while left and time.time() < deadline:
        time.sleep(0.1)
        left = alive(pids)
    return left


def snapshot(reports: Path, names: list[str]) -> dict[str, tuple[bytes, int]]:
    return {
        n: ((reports / f"{n}.html").read_bytes(), (reports / f"{n}.html").stat().st_mtime_ns)
        for n in names
    }


def guard_backups(pid: int) -> list[Path]:
    return list(Path(tempfile.gettempdir()).glob(f"{G.BACKUP_PREFIX}{pid}-*"))


def describe(pid: int) -> str:
    """A process as the failure message names it: pid, parent, state and command line."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except (OSError, IndexError, UnicodeDecodeError):
        return f"{pid} (gone)"
    return f"{pid} (parent {stat[1]}, state {stat[0]}): {cmd[:200]}"


def kill_left(pids: set[int]) -> None:
    for pid in alive(pids):
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


def stop_build(root: Path, names: list[str], how: str, jobs: int = 2) -> dict:
    """Start the build, stop it ``how`` once ``jobs`` kernels run; what was seen afterwards."""
    reports = root / "reports"
    before = snapshot(reports, names)
    proc = start_build(root, "--jobs", str(jobs))
    tree = Tree(proc.pid)
    seen: set[int] = set()
    out, left, marked, signalled = "", set(), [], time.time()
    survivors: list[str] = []
    try:
        wait_for_kernels(root / "marks", proc, jobs)
        time.sleep(0.5)  # inside the cells, printing
        signalled = time.time()
        if how == "SIGINT to the group":
            os.killpg(proc.pid, signal.SIGINT)
        else:
            proc.send_signal(signal.SIGTERM if how == "SIGTERM" else signal.SIGKILL)
        try:
            out, _ = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            out = "(the build's output was still open 30 s after the signal)"
        seen = tree.stop()
        left = alive_after(seen, signalled + 5)
        survivors = [describe(pid) for pid in sorted(left)]  # before they are killed below
        marked = [tuple(map(int, p.name.split("-"))) for p in (root / "marks").iterdir()]
    finally:
        seen |= tree.stop()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    kill_left(seen | {p for pair in marked for p in pair})
    return {
        "code": proc.returncode,
        "out": out,
        "pid": proc.pid,
        "seen": seen,
        "left": left,
        "survivors": survivors,
        "marked": marked,
        "before": before,
        "signalled": signalled,
    }


def assert_nothing_left(run: dict, reports: Path, names: list[str], jobs: int = 2) -> None:
    kernels = {k for k, _ in run["marked"]}
    sleepers = {s for _, s in run["marked"]}
    assert kernels <= run["seen"] and sleepers <= run["seen"], "the tree was not tracked"
    # workers, kernels and their subprocesses (with one job: the kernel and its subprocess)
    assert len(run["seen"]) >= (3 * jobs if jobs > 1 else 2), run["seen"]
    assert not run["left"], (
        f"alive 5 s after the signal: {sorted(run['left'])}\n"
        + "\n".join(run.get("survivors", []))
        + f"\n{run['out']}"
    )
    assert not alive(kernels | sleepers)
    assert snapshot(reports, names) == run["before"], "a report was written after the signal"
    late = [p.name for p in reports.glob("*.html") if p.stat().st_mtime > run["signalled"] + 0.5]
    # only the stopping build itself writes then: error pages of what it did not build, the index
    assert all(n.endswith(".error.html") or n == "index.html" for n in late), late
    assert not list(reports.rglob("*.tmp")), "temporary files left"
    sockets = socket_dirs(run["seen"] | {run["pid"]})
    assert not sockets, f"kernel socket folders left: {sockets}"


def socket_dirs(pids: set[int]) -> list[Path]:
    """Kernel socket folders (``kzk-<pid>-…``) of ``pids`` in the temporary folder."""
    tmp = Path(tempfile.gettempdir())
    return [p for pid in pids for p in tmp.glob(f"{K.SOCKET_DIR_PREFIX}{pid}-*")]


@pytest.mark.parametrize("how", ["SIGTERM", "SIGINT to the group"])
def test_signal_stops_a_parallel_build_and_its_whole_tree(how, tmp_path, tally):
    root, names = slow_project(tmp_path / "proj", 5)
    reports = root / "reports"
    run = stop_build(root, names, how)
    assert_nothing_left(run, reports, names)
    expected = 143 if how == "SIGTERM" else 130
    assert run["code"] == expected, run["out"]
    lines = re.findall(r"interrupted \(SIG\w+\): .*", run["out"])
    assert lines == [
        f"interrupted ({'SIGTERM' if how == 'SIGTERM' else 'SIGINT'}): 5 variants not built; "
        "last good reports kept (0 built, 0 up to date, 0 failed; index: "
        f"{reports / 'index.html'})"
    ], run["out"]
    assert "Traceback" not in run["out"]
    assert len(run["marked"]) == 2, "a queued variant was started after the signal"
    for name in names:  # each one recorded, its last good build kept
        record = state(root, name)
        assert (record["status"], record["kind"]) == ("failed", "interrupted"), record
        assert record["good_built_at"] == "2020-01-01 00:00:00 UTC"
        page = (reports / f"{name}.error.html").read_text()
        assert "interrupted by SIG" in page and f'href="{name}.html"' in page
    index = (reports / "index.html").read_text()
    assert all(f'href="{n}.error.html"' in index for n in names)
    assert not guard_backups(run["pid"])
    tally("interrupted builds recovered", 1)


def test_killed_build_leaves_no_process_and_the_next_build_cleans_up(tmp_path, tally, monkeypatch):
    # a temporary folder of its own: builds of other tests (parallel workers) also remove
    # the backups of dead builds, and would take this one before the check below
    private = tmp_path / "tmp"
    private.mkdir()
    monkeypatch.setenv("TMPDIR", str(private))
    monkeypatch.setattr(tempfile, "tempdir", str(private))
    root, names = slow_project(tmp_path / "proj", 3)
    reports = root / "reports"
    run = stop_build(root, names, "SIGKILL")
    assert run["code"] == -signal.SIGKILL
    assert_nothing_left(run, reports, names)
    for name in names:  # the state is as before: the next build still rebuilds them
        assert state(root, name)["status"] == "ok"
    assert guard_backups(run["pid"]), "expected the killed build's backup folder"
    write_config(root, [])  # the next build, with nothing to do, removes it
    code_, out, exc = build(root)
    assert (code_, exc) == (0, None), out
    assert not guard_backups(run["pid"])
    tally("interrupted builds recovered", 1)


def test_sigterm_with_normal_kernels_leaves_no_process(tmp_path, monkeypatch, tally):
    monkeypatch.setenv("KZANALYSIS_WARM_KERNELS", "0")
    root, names = slow_project(tmp_path / "proj", 3)
    run = stop_build(root, names, "SIGTERM")
    assert run["code"] == 143, run["out"]
    assert_nothing_left(run, root / "reports", names)
    assert not guard_backups(run["pid"])
    tally("interrupted builds recovered", 1)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_signal_stops_a_build_running_jobs_in_its_own_process(sig, tmp_path, tally):
    root, names = slow_project(tmp_path / "proj", 2)
    how = "SIGTERM" if sig == signal.SIGTERM else "SIGINT to the group"
    run = stop_build(root, names, how, jobs=1)
    assert run["code"] == (143 if sig == signal.SIGTERM else 130), run["out"]
    assert_nothing_left(run, root / "reports", names, jobs=1)
    assert f"interrupted ({sig.name}): 2 variants not built" in run["out"], run["out"]
    assert len(run["marked"]) == 1
    for name in names:
        assert state(root, name)["kind"] == "interrupted"
    assert not guard_backups(run["pid"])
    tally("interrupted builds recovered", 1)


#: A build worker that gets a second SIGTERM while it ends its tree (the parent-death signal
#: and the build's own SIGTERM can both arrive): it must still exit, not wait on itself.
TWICE = """
import os, signal, sys, time
from kzanalysis.publish import executors

real = executors.kill_tree

def kill_tree(roots, *args, **kwargs):
    os.kill(os.getpid(), signal.SIGTERM)  # another signal inside the ending
    time.sleep(0.2)
    return real(roots, *args, **kwargs)

executors.kill_tree = kill_tree
executors.worker_init(os.getppid(), False)
os.kill(os.getpid(), signal.SIGTERM)
time.sleep(30)
sys.exit(0)
"""


def test_a_worker_signalled_twice_while_it_ends_still_exits():
    import sys

    from kzanalysis.publish import executors

    proc = subprocess.run([sys.executable, "-c", TWICE], timeout=25, check=False)
    assert proc.returncode == executors.WORKER_ENDED


ENDING_WORKER = """
import os, sys
from pathlib import Path
from kzanalysis.publish import executors, warm

shared, own = Path(sys.argv[1]), Path(sys.argv[2])
mine = warm.ServerHandle.__new__(warm.ServerHandle)  # a server this worker started
mine.dir = own
warm._SERVER[:] = [warm.SharedServer(f"{os.getppid()}:{shared / 'fork.sock'}"), mine]
executors.end_worker()
"""


def test_an_ending_worker_leaves_the_builds_shared_server_to_the_build(tmp_path):
    """A worker stopped with its build removed the shared server's socket folder, so the
    build's request to stop the server failed and the build waited 5 s to kill it; only the
    folder of a server the worker itself started is the worker's to remove."""
    import sys

    from kzanalysis.publish import executors

    shared, own = tmp_path / "kzwarm-shared", tmp_path / "kzwarm-own"
    for folder in (shared, own):
        folder.mkdir()
    (shared / "fork.sock").write_text("")  # stands for the listening socket
    proc = subprocess.run(
        [sys.executable, "-c", ENDING_WORKER, str(shared), str(own)], timeout=25, check=False
    )
    assert proc.returncode == executors.WORKER_ENDED
    assert (shared / "fork.sock").exists()
    assert not own.exists()


def test_stale_guard_backups_of_dead_builds_are_removed(tmp_path):
    dead = subprocess.Popen(["true"])
    dead.wait()
    stale = tmp_path / f"{G.BACKUP_PREFIX}{dead.pid}-abcd1234"
    live = tmp_path / f"{G.BACKUP_PREFIX}{os.getpid()}-abcd1234"
    legacy_old, legacy_new = tmp_path / "kzguard-oldnopid", tmp_path / "kzguard-newnopid"
    for folder in (stale, live, legacy_old, legacy_new):
        folder.mkdir()
        (folder / "1").write_text("backup")
    os.utime(legacy_old, (1, 1))
    removed = G.remove_stale_backups(tmp_path)
    assert sorted(removed) == sorted([stale, legacy_old])
    assert live.exists() and legacy_new.exists()
    guard = G.take([tmp_path / "watched"], tmp=tmp_path)
    assert guard.backup_dir.name.startswith(f"{G.BACKUP_PREFIX}{os.getpid()}-")
    G.close(guard)
    assert not guard.backup_dir.exists()


def test_socket_folders_of_dead_processes_are_removed(tmp_path):
    dead = subprocess.Popen(["true"])
    dead.wait()
    stale = tmp_path / f"{K.SOCKET_DIR_PREFIX}{dead.pid}-abcd1234"
    live = tmp_path / f"{K.SOCKET_DIR_PREFIX}{os.getpid()}-abcd1234"
    foreign = tmp_path / f"{K.SOCKET_DIR_PREFIX}notapid"
    for folder in (stale, live, foreign):
        folder.mkdir()
        (folder / "k-1").write_text("")
    assert K.remove_stale_socket_dirs(tmp_path) == [stale]
    assert live.exists() and foreign.exists()
    assert K.remove_socket_dirs(tmp=tmp_path) == [live]
    assert foreign.exists()
