"""Build state under ``reports/.build/`` and atomic file writes; the build's processes.

Each variant has one JSON record, ``reports/.build/<name>.json``: its last
attempt (status, time, error) and the fingerprint and time of its last *good*
build. Records are written atomically (temporary file + ``os.replace``), so an
interrupted build leaves either the old or the new record, never half of one.

The process helpers at the end (:func:`pid_alive`, :func:`set_parent_death_signal`,
:func:`process_tree`, :func:`kill_tree`) let a build, its workers and the warm-kernel
servers end their whole process tree together (Linux ``/proc``; elsewhere ``psutil``
when installed, else only what each process started directly).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

STATE_DIR = ".build"
#: Temporary files of :func:`atomic_write_text`: ``.<name>.<writer pid>.<random>.tmp``.
TEMP_RE = re.compile(r"^\..+\.(\d+)\.[^.]+\.tmp$")


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file in the same folder and a rename.

    Readers see the old file or the new one, never part of one. The temporary file is
    named after the writing process, so one left by a killed writer can be recognised
    and removed (:func:`remove_stale_temps`).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(
        prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent
    )
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def state_dir(reports: Path) -> Path:
    """Folder of the build state (gitignored)."""
    return reports / STATE_DIR


def report_path(reports: Path, name: str) -> Path:
    """The HTML report of a variant."""
    return reports / f"{name}.html"


def error_path(reports: Path, name: str) -> Path:
    """The error page of a variant whose last build failed."""
    return reports / f"{name}.error.html"


def executed_path(reports: Path, name: str) -> Path:
    """The executed notebook of a variant's last build (kept for debugging)."""
    return state_dir(reports) / "executed" / f"{name}.ipynb"


def log_path(reports: Path, name: str) -> Path:
    """Kernel and execution messages (stderr) of a variant's last build."""
    return state_dir(reports) / "logs" / f"{name}.log"


def load_state(reports: Path, name: str) -> dict[str, Any] | None:
    """Return a variant's record, or None if it was never built or the record is unreadable."""
    path = state_dir(reports) / f"{name}.json"
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError, UnicodeDecodeError):
        return None
    return record if isinstance(record, dict) else None


def save_state(reports: Path, name: str, record: dict[str, Any]) -> None:
    """Write a variant's record atomically."""
    text = json.dumps(record, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    atomic_write_text(state_dir(reports) / f"{name}.json", text)


def pid_alive(pid: int) -> bool:
    """Whether a process with this id exists (a zombie or another user's counts as alive)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def pid_running(pid: int) -> bool:
    """Whether a process with this id runs: :func:`pid_alive`, but an exited process not yet
    reaped by its parent (a zombie) counts as gone (Linux ``/proc``; elsewhere as alive)."""
    if not pid_alive(pid):
        return False
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state not in ("Z", "X")


def set_parent_death_signal(sig: int) -> bool:
    """Linux: have the kernel send ``sig`` to this process when its parent process dies.

    (``prctl(PR_SET_PDEATHSIG)``; strictly, when the *thread* that started this
    process ends, so callers check ``os.getppid()`` when the signal arrives.)
    Returns False where it is not available (other systems): callers also poll
    their parent.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(1, int(sig), 0, 0, 0) == 0  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return False


def _proc_table() -> dict[int, tuple[int, int, int, str]]:
    """``{pid: (parent pid, process group, session, state letter)}`` of every process."""
    table: dict[int, tuple[int, int, int, str]] = {}
    proc = Path("/proc")
    if proc.is_dir():
        for entry in proc.iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue  # ended while we looked
            table[int(entry.name)] = (int(fields[1]), int(fields[2]), int(fields[3]), fields[0])
        return table
    try:
        import psutil
    except ImportError:
        return table
    for p in psutil.process_iter(["ppid", "status"]):
        with contextlib.suppress(psutil.Error, OSError):
            pid = p.pid
            table[pid] = (p.info["ppid"] or 0, os.getpgid(pid), os.getsid(pid), "R")
    return table


def process_tree(roots: Iterable[int], exclude: Iterable[int] = ()) -> set[int]:
    """``roots``' descendants, and every process in a session or process group one of them
    leads (a kernel's own subprocesses, even once re-parented).

    ``exclude``d processes and what descends from them are left out, and so are
    zombies (already dead) and ``roots`` themselves.
    """
    table = _proc_table()
    children: dict[int, list[int]] = {}
    for pid, (ppid, _, _, _) in table.items():
        children.setdefault(ppid, []).append(pid)
    skip = {*exclude, *roots, os.getpid()}
    found: set[int] = set()
    todo = list(roots)
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found and child not in skip:
                found.add(child)
                todo.append(child)
    leaders = set(found)
    for pid, (_, pgid, sid, _) in table.items():
        if pid not in skip and (pgid in leaders or sid in leaders):
            found.add(pid)
    return {p for p in found if table.get(p, (0, 0, 0, "Z"))[3] != "Z"}


def alive(pids: Iterable[int]) -> set[int]:
    """Those of ``pids`` that still run (zombies count as ended)."""
    table = _proc_table()
    if not table:  # no /proc and no psutil
        return {p for p in pids if pid_alive(p)}
    return {p for p in pids if p in table and table[p][3] != "Z"}


def kill_tree(roots: Iterable[int], exclude: Iterable[int] = (), rounds: int = 3) -> set[int]:
    """SIGKILL every process of :func:`process_tree`; ``roots`` themselves are left alone.

    Looks again up to ``rounds`` times for what was forked meanwhile or re-parented
    (the children, sessions and process groups of what was killed). Returns what was killed.
    """
    roots, skip = list(roots), {*exclude, *roots, os.getpid()}
    killed: set[int] = set()
    found = process_tree(roots, exclude)
    for _ in range(rounds):
        if not found:
            break
        for pid in found:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        killed |= found
        table = _proc_table()
        found = {
            pid
            for pid, (ppid, pgid, sid, state) in table.items()
            if state != "Z" and (ppid in killed or pgid in killed or sid in killed)
        }
        found = (found | process_tree(roots, exclude)) - killed - skip
    return killed


def remove_stale_temps(*folders: Path) -> list[Path]:
    """Delete temporary files left in ``folders`` by writers that no longer run.

    A build killed in the middle of :func:`atomic_write_text` leaves its hidden
    temporary file behind (the real file is untouched). Files of live writers are kept.

    Returns:
        The files removed.
    """
    removed = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for entry in folder.iterdir():
            match = TEMP_RE.match(entry.name)
            if match and entry.is_file() and not pid_alive(int(match.group(1))):
                entry.unlink(missing_ok=True)
                removed.append(entry)
    return removed
