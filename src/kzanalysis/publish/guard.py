"""Write guard: a notebook may write its own outputs, nothing else in ``reports/`` or ``data/``.

Under the build lock, before any job runs, the runner takes a :class:`Guard`
over the watched folders (``reports/`` and ``data/``): every regular file's
size, ``mtime_ns`` and sha256, plus a backup copy in a private temporary folder
(``tempfile.mkdtemp``, removed by :func:`close`). After each job's outcome (and
once at the end) :func:`check` walks the folders again and compares: size and
mtime first, the hash only when they differ (a file touched but not changed is
no change). Every difference at a path that is not *allowed* (the outputs of the
jobs running at the time, and the hidden temporary files of their atomic
writes) is undone at once: a changed or deleted file is copied back from its
backup, a created file is removed (and the empty folders it came in). The
runner attributes the changes to the jobs that were running, fails them, and
uses :func:`restore` to put a tainted job's last good report back.

Limits, on purpose:

* It detects writes into the watched folders only, not into arbitrary paths
  elsewhere (``~``, ``/tmp``, the notebook folder): the build does **not**
  sandbox kernels, and a notebook can still do anything its user can.
* Detection happens between jobs, not as writes happen: a reader of
  ``reports/`` may see a clobbered file until the job's outcome arrives.
* Writes by one running job into another running job's outputs are not told
  apart from that job's own writes; with several workers every job that may
  have been running is a suspect (``--jobs 1`` pinpoints the culprit).
* A file changed back to its original bytes between two checks goes unseen.
* A build interrupted (SIGINT, SIGTERM) while a job runs restores nothing;
  only the next build's jobs are guarded again.
* Backups cost one copy of ``reports/`` and ``data/`` per build that runs any
  job (no-op builds take no guard). A file that cannot be backed up is still
  watched; a change to it is reported as not restored.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path

#: Hidden temporary files of ``store.atomic_write_text``: ``.<name>.<pid>.<random>.tmp``.
TEMP_RE = re.compile(r"^\.(?P<base>.+)\.\d+\.[^.]+\.tmp$")
CHUNK = 1 << 20


@dataclass(frozen=True)
class FileState:
    """What a watched file looked like: size, modification time (ns) and sha256."""

    size: int
    mtime_ns: int
    sha256: str


@dataclass(frozen=True)
class Change:
    """A difference found by :func:`check`: ``kind`` is changed, created or deleted."""

    path: Path
    kind: str
    restored: bool
    note: str = ""


@dataclass
class Guard:
    """Baseline of the watched folders and where each file's backup copy is."""

    roots: tuple[Path, ...]
    ignored: frozenset[Path]
    backup_dir: Path
    files: dict[Path, FileState] = field(default_factory=dict)
    dirs: set[Path] = field(default_factory=set)
    backups: dict[Path, Path] = field(default_factory=dict)
    copies: int = 0


def sha256_of(path: Path) -> str:
    """The sha256 of a file's bytes, hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def walk(
    roots: Iterable[Path], ignored: Collection[Path]
) -> tuple[dict[Path, os.stat_result], set[Path]]:
    """Regular files (with their ``lstat``) and folders under ``roots``; symlinks not followed."""
    files: dict[Path, os.stat_result] = {}
    dirs: set[Path] = set()
    for root in roots:
        if not root.is_dir():
            continue
        for folder, subdirs, names in os.walk(root):
            base = Path(folder)
            dirs.add(base)
            subdirs[:] = [d for d in subdirs if base / d not in ignored]
            for name in names:
                path = base / name
                if path in ignored:
                    continue
                try:
                    st = path.lstat()
                except FileNotFoundError:  # removed while we looked
                    continue
                if stat.S_ISREG(st.st_mode):
                    files[path] = st
    return files, dirs


def is_allowed(path: Path, allowed: Collection[Path]) -> bool:
    """Whether ``path`` is an allowed output or the temporary file of an atomic write of one."""
    if path in allowed:
        return True
    match = TEMP_RE.match(path.name)
    return bool(match) and path.parent / match.group("base") in allowed


def take(roots: Iterable[Path], ignored: Collection[Path] = (), tmp: Path | None = None) -> Guard:
    """Snapshot the watched folders and back every file up into a new temporary folder.

    Args:
        roots: Folders to watch (missing ones are skipped; duplicates merged).
        ignored: Paths never compared (the build lock file, the ``--log-file``).
        tmp: Parent of the backup folder (default: the system's temporary folder).
    """
    unique = tuple(dict.fromkeys(Path(r).absolute() for r in roots))
    guard = Guard(
        roots=unique,
        ignored=frozenset(Path(p).absolute() for p in ignored),
        backup_dir=Path(tempfile.mkdtemp(prefix="kzguard-", dir=tmp)),
    )
    files, guard.dirs = walk(guard.roots, guard.ignored)
    for path in files:
        _baseline(guard, path)
    return guard


def _baseline(guard: Guard, path: Path) -> None:
    """Record ``path`` as it is now (state and backup copy), or forget it if it is gone."""
    old = guard.backups.pop(path, None)
    if old is not None:
        old.unlink(missing_ok=True)
    guard.files.pop(path, None)
    try:
        st = path.lstat()
        if not stat.S_ISREG(st.st_mode):
            return
        guard.copies += 1
        backup = guard.backup_dir / f"{guard.copies}"
        shutil.copy2(path, backup)
        state = FileState(st.st_size, st.st_mtime_ns, sha256_of(backup))
    except FileNotFoundError:
        return
    except OSError:  # unreadable, or no room for the copy: still watched, not restorable
        try:
            state = FileState(st.st_size, st.st_mtime_ns, sha256_of(path))
        except OSError:
            return
        guard.files[path] = state
        return
    guard.files[path] = state
    guard.backups[path] = backup


def refresh(guard: Guard, paths: Iterable[Path]) -> None:
    """Accept the current content of ``paths`` (a finished job's outputs) as the new baseline."""
    for path in paths:
        path = Path(path).absolute()
        _baseline(guard, path)
        if path.parent.is_dir():
            guard.dirs.update(p for p in (path.parent, *path.parent.parents) if _watched(guard, p))


def _watched(guard: Guard, path: Path) -> bool:
    return any(path == root or root in path.parents for root in guard.roots)


def restore(guard: Guard, path: Path) -> bool:
    """Put ``path`` back as it was in the baseline (remove it if it was not there).

    Returns:
        True when the file is as in the baseline again.
    """
    path = Path(path).absolute()
    state = guard.files.get(path)
    try:
        if path.is_symlink() or path.exists():
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
        if state is None:
            return True
        backup = guard.backups.get(path)
        if backup is None:
            return False
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(backup, path)
        st = path.stat()
        guard.files[path] = FileState(st.st_size, st.st_mtime_ns, state.sha256)
    except OSError:
        return False
    return True


def check(guard: Guard, allowed: Collection[Path] = ()) -> list[Change]:
    """Compare the watched folders with the baseline; undo every change outside ``allowed``.

    Args:
        guard: The baseline from :func:`take`.
        allowed: Paths that may change now (the running jobs' outputs); their changes
            are neither reported nor undone (:func:`refresh` them when the job is done).

    Returns:
        The changes found outside ``allowed``, each saying whether it was undone.
    """
    allowed = {Path(p).absolute() for p in allowed}
    now, dirs = walk(guard.roots, guard.ignored)
    changes: list[Change] = []
    for path, st in now.items():
        if is_allowed(path, allowed):
            continue
        old = guard.files.get(path)
        if old is None:
            changes.append(Change(path, "created", restore(guard, path)))
        elif (st.st_size, st.st_mtime_ns) != (old.size, old.mtime_ns):
            if _same_bytes(path, old):
                guard.files[path] = FileState(st.st_size, st.st_mtime_ns, old.sha256)
            else:
                changes.append(Change(path, "changed", restore(guard, path)))
    for path in guard.files.keys() - now.keys():
        if not is_allowed(path, allowed):
            changes.append(Change(path, "deleted", restore(guard, path)))
    _remove_new_dirs(guard, dirs, allowed)
    return sorted(changes, key=lambda c: str(c.path))


def _same_bytes(path: Path, old: FileState) -> bool:
    try:
        return sha256_of(path) == old.sha256
    except OSError:
        return False


def _remove_new_dirs(guard: Guard, dirs: set[Path], allowed: Collection[Path]) -> None:
    """Remove empty folders that appeared since the baseline and hold no allowed output."""
    keep = {p for a in allowed for p in Path(a).parents}
    for folder in sorted(dirs - guard.dirs - keep, key=lambda p: len(p.parts), reverse=True):
        try:
            folder.rmdir()  # only when empty
        except OSError:
            continue


def describe(changes: Iterable[Change], base: Path | None = None) -> str:
    """``reports/a.html (restored), data/x.csv (created, removed)`` for messages."""
    parts = []
    for change in changes:
        shown = change.path
        if base is not None:
            with contextlib.suppress(ValueError):
                shown = change.path.relative_to(base)
        if change.kind == "created":
            what = "created, removed" if change.restored else "created, NOT removed"
        else:
            what = f"{change.kind}, restored" if change.restored else f"{change.kind}, NOT restored"
        parts.append(f"{shown.as_posix()} ({what})")
    return ", ".join(parts)


def close(guard: Guard) -> None:
    """Remove the backup copies."""
    shutil.rmtree(guard.backup_dir, ignore_errors=True)
