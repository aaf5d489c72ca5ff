"""Write guard: a notebook may write its own outputs, nothing else in ``reports/`` or ``data/``.

Under the build lock, before any job runs, the runner takes a :class:`Guard`
over the watched folders (``reports/`` and ``data/``): every regular file's
size, ``mtime_ns`` and sha256, plus a backup copy in a private temporary folder
(``$TMPDIR/kzguard-<pid>-XXXX``, removed by :func:`close`, at interpreter exit, and
by the next build when the process ``<pid>`` was killed: :func:`remove_stale_backups`).
After each job's outcome (and once at the end) :func:`check` walks the folders again
and compares: size and mtime first, the hash only when they differ (a file touched
but not changed is no change). Every difference at a path that is not *allowed*
(the outputs of the jobs running at the time, and the hidden temporary files of
their atomic writes) is undone at once: a changed or deleted file is copied back
from its backup, a created file is removed (and the empty folders it came in). What
is undone is not lost: the changed or created file's bytes are first copied to the
build's ``keep_dir`` (``reports/.build/undone/<time>/``; the warning names the copy),
since the writer may have been a person editing ``data/`` by hand during the build.
Symbolic links, FIFOs, sockets and device files that appear anywhere under the
watched folders (allowed outputs included) are removed and reported too: a
published ``reports/leak.html`` → ``/etc/passwd`` would serve that file. The
runner attributes the changes to the jobs that were running, fails them, says
so in a warning line, and uses :func:`restore` to put a tainted job's last good
report back.

The build lock keeps every other writer (index, refresh, curation, update) out
while a build runs, so what the guard undoes was written by the build's kernels.

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
* A build interrupted (SIGINT, SIGTERM) first ends its workers and kernels,
  then undoes what they changed; a build killed with SIGKILL restores nothing
  (its backup folder is removed by the next build).
* Backups cost one copy of ``reports/`` and ``data/`` per build that runs any
  job (no-op builds take no guard). A file that cannot be backed up is still
  watched; a change to it is reported as not restored.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import hashlib
import os
import re
import shutil
import stat
import tempfile
import time
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kzanalysis.publish.store import pid_alive

#: Hidden temporary files of ``store.atomic_write_text``: ``.<name>.<pid>.<random>.tmp``.
TEMP_RE = re.compile(r"^\.(?P<base>.+)\.\d+\.[^.]+\.tmp$")
CHUNK = 1 << 20
#: Backup folders: ``kzguard-<pid of the build>-<random>``.
BACKUP_PREFIX = "kzguard-"
BACKUP_RE = re.compile(r"^kzguard-(?P<pid>\d+)-[^/]+$")
#: Backup folders named without a pid (before the pid was in the name) older than this
#: many seconds are removed as stale.
LEGACY_BACKUP_AGE_S = 3600.0


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
    kept: Path | None = None  # where the undone bytes were kept (changed or created files)


@dataclass
class Guard:
    """Baseline of the watched folders and where each file's backup copy is.

    ``specials`` are the symbolic links and other non-regular entries (FIFOs, sockets,
    devices) found at the start, with what they were (:func:`special_kind`).
    """

    roots: tuple[Path, ...]
    ignored: frozenset[Path]
    backup_dir: Path
    keep_dir: Path | None = None
    files: dict[Path, FileState] = field(default_factory=dict)
    dirs: set[Path] = field(default_factory=set)
    backups: dict[Path, Path] = field(default_factory=dict)
    specials: dict[Path, str] = field(default_factory=dict)
    copies: int = 0
    cleanup: Callable[[], None] | None = field(default=None, repr=False)


def sha256_of(path: Path) -> str:
    """The sha256 of a file's bytes, hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def special_kind(path: Path, st: os.stat_result) -> str:
    """What a non-regular entry is: ``symlink → TARGET``, ``FIFO``, ``socket``, ``device``."""
    if stat.S_ISLNK(st.st_mode):
        try:
            return f"symlink → {os.readlink(path)}"
        except OSError:
            return "symlink"
    if stat.S_ISFIFO(st.st_mode):
        return "FIFO"
    if stat.S_ISSOCK(st.st_mode):
        return "socket"
    if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode):
        return "device"
    return "special file"


def walk_all(
    roots: Iterable[Path], ignored: Collection[Path]
) -> tuple[dict[Path, os.stat_result], set[Path], dict[Path, str]]:
    """Regular files (with their ``lstat``), folders, and every other entry (symlinks,
    including links to folders, FIFOs, sockets, devices) under ``roots``; links not followed."""
    files: dict[Path, os.stat_result] = {}
    dirs: set[Path] = set()
    specials: dict[Path, str] = {}
    for root in roots:
        if not root.is_dir():
            continue
        for folder, subdirs, names in os.walk(root):
            base = Path(folder)
            dirs.add(base)
            keep = []
            for d in subdirs:
                path = base / d
                if path in ignored:
                    continue
                if path.is_symlink():  # listed with the folders, never descended into
                    names.append(d)
                else:
                    keep.append(d)
            subdirs[:] = keep
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
                else:
                    specials[path] = special_kind(path, st)
    return files, dirs, specials


def walk(
    roots: Iterable[Path], ignored: Collection[Path]
) -> tuple[dict[Path, os.stat_result], set[Path]]:
    """Regular files (with their ``lstat``) and folders under ``roots``; symlinks not followed."""
    files, dirs, _ = walk_all(roots, ignored)
    return files, dirs


def is_allowed(path: Path, allowed: Collection[Path]) -> bool:
    """Whether ``path`` is an allowed output or the temporary file of an atomic write of one."""
    if path in allowed:
        return True
    match = TEMP_RE.match(path.name)
    return bool(match) and path.parent / match.group("base") in allowed


def take(
    roots: Iterable[Path],
    ignored: Collection[Path] = (),
    tmp: Path | None = None,
    keep_dir: Path | None = None,
) -> Guard:
    """Snapshot the watched folders and back every file up into a new temporary folder.

    The folder (``kzguard-<pid>-XXXX``) is removed by :func:`close`, else at interpreter
    exit; backups left by killed builds are removed first (:func:`remove_stale_backups`).

    Args:
        roots: Folders to watch (missing ones are skipped; duplicates merged).
        ignored: Paths never compared (the build lock file, the ``--log-file``).
        tmp: Parent of the backup folder (default: the system's temporary folder).
        keep_dir: Where :func:`check` keeps a copy of every changed or created file it
            undoes (``<keep_dir>/<root name>/<path in the root>``), so that nothing is
            lost — a person who edited ``data/claims.yaml`` by hand during a build finds
            the edit there. Never compared itself. None: undone bytes are not kept.
    """
    remove_stale_backups(tmp)
    unique = tuple(dict.fromkeys(Path(r).absolute() for r in roots))
    keep = Path(keep_dir).absolute() if keep_dir is not None else None
    guard = Guard(
        roots=unique,
        ignored=frozenset(Path(p).absolute() for p in [*ignored, *([keep] if keep else [])]),
        backup_dir=Path(tempfile.mkdtemp(prefix=f"{BACKUP_PREFIX}{os.getpid()}-", dir=tmp)),
        keep_dir=keep,
    )
    guard.cleanup = functools.partial(_remove_backups, guard.backup_dir)
    atexit.register(guard.cleanup)
    files, guard.dirs, guard.specials = walk_all(guard.roots, guard.ignored)
    for path in files:
        _baseline(guard, path)
    return guard


def _remove_backups(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


def remove_stale_backups(tmp: Path | None = None) -> list[Path]:
    """Remove backup folders of builds that no longer run (killed: no cleanup of their own).

    ``kzguard-<pid>-…`` whose process is gone; folders named without a pid (older
    versions) once older than :data:`LEGACY_BACKUP_AGE_S`. Returns the folders removed.
    """
    parent = Path(tmp) if tmp is not None else Path(tempfile.gettempdir())
    removed = []
    with contextlib.suppress(OSError):
        for entry in parent.glob(f"{BACKUP_PREFIX}*"):
            match = BACKUP_RE.match(entry.name)
            try:
                if not entry.is_dir() or entry.is_symlink():
                    continue
                if match:
                    stale = int(match.group("pid")) != os.getpid() and not pid_alive(
                        int(match.group("pid"))
                    )
                else:
                    stale = time.time() - entry.stat().st_mtime > LEGACY_BACKUP_AGE_S
            except OSError:
                continue
            if stale:
                shutil.rmtree(entry, ignore_errors=True)
                removed.append(entry)
    return removed


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


def keep_aside(guard: Guard, path: Path) -> Path | None:
    """Copy a regular file about to be undone into the guard's ``keep_dir``; its new path.

    Symbolic links and special files are never copied (nor followed). None when there is
    no ``keep_dir``, the file is gone or the copy fails.
    """
    if guard.keep_dir is None:
        return None
    path = Path(path).absolute()
    try:
        if path.is_symlink() or not path.is_file():
            return None
        root = next((r for r in guard.roots if path.is_relative_to(r)), None)
        rel = path.relative_to(root) if root is not None else Path(path.name)
        target = guard.keep_dir / (root.name if root is not None else "") / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
        return target
    except OSError:
        return None


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

    Symbolic links and other special files (FIFOs, sockets, devices) that were not
    there at the start are removed wherever they are, allowed outputs included.

    Args:
        guard: The baseline from :func:`take`.
        allowed: Paths that may change now (the running jobs' outputs); their changes
            are neither reported nor undone (:func:`refresh` them when the job is done).

    Returns:
        The changes found, each saying whether it was undone.
    """
    allowed = {Path(p).absolute() for p in allowed}
    now, dirs, specials = walk_all(guard.roots, guard.ignored)
    changes: list[Change] = []
    for path, kind in specials.items():
        if guard.specials.get(path) == kind:
            continue  # there before the build, unchanged
        existed = path in guard.files or path in guard.specials
        guard.specials.pop(path, None)
        changes.append(
            Change(path, "changed" if existed else "created", restore(guard, path), kind)
        )
    for path, st in now.items():
        if is_allowed(path, allowed):
            continue
        old = guard.files.get(path)
        if old is None:
            was = guard.specials.pop(path, None)
            kept = keep_aside(guard, path)
            kind = "changed" if was else "created"
            changes.append(Change(path, kind, restore(guard, path), kept=kept))
        elif (st.st_size, st.st_mtime_ns) != (old.size, old.mtime_ns):
            if _same_bytes(path, old):
                guard.files[path] = FileState(st.st_size, st.st_mtime_ns, old.sha256)
            else:
                kept = keep_aside(guard, path)
                changes.append(Change(path, "changed", restore(guard, path), kept=kept))
    for path in guard.files.keys() - now.keys() - specials.keys():
        if not is_allowed(path, allowed):
            changes.append(Change(path, "deleted", restore(guard, path)))
    for path in guard.specials.keys() - specials.keys() - now.keys():
        guard.specials.pop(path)  # a link that was there is gone: reported, not recreated
        changes.append(Change(path, "deleted", False, "special file"))
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
    """For messages: ``reports/a.html (changed, restored)``, ``reports/leak.html (symlink →
    /etc/passwd, created, removed)``."""
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
        note = f"{change.note}, " if change.note else ""
        kept = ""
        if change.kept is not None:
            where = change.kept
            if base is not None:
                with contextlib.suppress(ValueError):
                    where = change.kept.relative_to(base)
            kept = f" — the undone copy is kept at {where.as_posix()}"
        parts.append(f"{shown.as_posix()} ({note}{what}){kept}")
    return ", ".join(parts)


def close(guard: Guard) -> None:
    """Remove the backup copies."""
    _remove_backups(guard.backup_dir)
    if guard.cleanup is not None:
        atexit.unregister(guard.cleanup)
        guard.cleanup = None
