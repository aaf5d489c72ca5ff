"""The no-op answer: ``kzanalysis build`` on an unchanged tree, without loading the builder.

A full no-op build imports typer's commands, pydantic and the parameter models, loads
``reports.yaml``, validates every variant's parameters and digests its inputs only to
find that nothing changed (about 0.45 s). Like ``make``, most of that can be answered
from file metadata: after a build that leaves every variant up to date, the builder
writes a *stamp* (``reports/.build/noop-stamp.json``) with

- the key: every ``KZANALYSIS_*`` variable, the working folder and the Python executable;
- a snapshot of everything the plan reads and the build writes: each file (inode, size,
  modification and change time in nanoseconds) under the package, notebooks, data and
  reports folders, plus the variants file, the chapter registry, the lock file and each
  variant's notebook;
- the lines a no-op prints.

``kzanalysis build`` (``--plain``, ``--rich`` or no option) first holds the project's and the
data's locks without waiting and takes the snapshot again: if the key and every file are
the same, it prints the stamp's lines and stops. Anything else — a file added, removed,
rewritten or touched, another option, a writer holding a lock, no or an unreadable stamp
— falls through to the full build, which plans as before. The stamp is removed when a
build starts and written again only when a fresh plan after the build finds every
variant up to date and the inputs did not change while it ran; only a build of every
variant with the plan's default options (no names, ``-p``, ``--config``, timeouts, code
visibility, data age or log file, the local executor; ``--force`` may be given) writes one.

Each file's version is :func:`kzanalysis.hashing.file_version` (inode, size, modification
and change time), so an edit that keeps a file's size and modification time is still seen.
This relies on nanosecond timestamps (ext4, xfs, btrfs, tmpfs, overlayfs, APFS); on a file
system with coarse timestamps a same-size rewrite within the same tick would go unseen, as
it would for ``make``.

Only the standard library (and :func:`kzanalysis.hashing.file_version`) is imported here.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from kzanalysis.hashing import file_version

VERSION = 1
STAMP_NAME = "noop-stamp.json"
#: Files of the reports folder that are not its state: the lock, its holder's note and
#: the stamp itself (a no-op rewrites none of the rest).
NOT_STATE = frozenset({".lock", "lock-holder", STAMP_NAME})
#: The arguments of ``kzanalysis build`` that a stamp answers, with their ``plain`` option.
ANSWERED: dict[tuple[str, ...], bool | None] = {(): None, ("--plain",): True, ("--rich",): False}

Snapshot = dict[str, list[int]]


def stamp_path(reports: Path) -> Path:
    """Where the stamp of a reports folder is."""
    return reports / ".build" / STAMP_NAME


def key(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """What must be the same for a stamp to answer: settings, working folder, Python."""
    env = os.environ if environ is None else environ
    return {
        "version": VERSION,
        "env": {k: v for k, v in sorted(env.items()) if k.startswith("KZANALYSIS_")},
        "cwd": os.getcwd(),
        "python": sys.executable,
    }


def _stat(path: str) -> list[int] | None:
    try:
        return list(file_version(path, follow_links=False))  # a link is itself a file here
    except OSError:
        return None


def _walk(root: str) -> Iterator[str]:
    """Every file and link under ``root`` (compiled bytecode and the lock files aside)."""
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for name in files:
            if name not in NOT_STATE:
                yield os.path.join(folder, name)


def snapshot(roots: Iterable[str | os.PathLike], files: Iterable[str | os.PathLike]) -> Snapshot:
    """Metadata of every file under ``roots`` and of each of ``files`` (absent: ``[]``)."""
    out: Snapshot = {}
    for root in roots:
        for path in _walk(os.fspath(root)):
            st = _stat(path)
            if st is not None:
                out[path] = st
    for path in map(os.fspath, files):
        if path not in out:
            out[path] = _stat(path) or []
    return out


@contextlib.contextmanager
def held_at_once(locks: Iterable[str]) -> Iterator[bool]:
    """Hold each existing lock file without waiting; yields False if one is busy or missing."""
    fds: list[int] = []
    try:
        for path in locks:
            try:
                fd = os.open(path, os.O_RDWR)
            except OSError:
                yield False
                return
            fds.append(fd)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                yield False
                return
        yield True
    finally:
        for fd in fds:
            os.close(fd)  # closing the descriptor releases its lock


def make_stamp(
    *,
    roots: Iterable[Path],
    files: Iterable[Path],
    locks: Iterable[Path],
    lines: Sequence[str],
) -> dict[str, Any]:
    """The stamp of a build that left everything up to date.

    Args:
        roots: Folders whose every file counts (package, notebooks, data, reports).
        files: Single files that count (variants file, registry, lock file, notebooks).
        locks: The lock files a writer holds (project, data).
        lines: What a no-op prints, without timestamps.
    """
    roots_s, files_s = [str(p) for p in roots], [str(p) for p in files]
    return {
        "key": key(),
        "roots": roots_s,
        "files": files_s,
        "locks": [str(p) for p in locks],
        "lines": list(lines),
        "snapshot": snapshot(roots_s, files_s),
    }


def write(reports: Path, stamp: Mapping[str, Any]) -> None:
    """Write the stamp atomically (the reports folder's own snapshot excludes it)."""
    from kzanalysis.publish.store import atomic_write_text

    atomic_write_text(stamp_path(reports), json.dumps(stamp))


def forget(reports: Path) -> None:
    """Remove the stamp (a build starts: the tree is about to change)."""
    with contextlib.suppress(FileNotFoundError):
        stamp_path(reports).unlink()


def answer(args: Sequence[str], reports: Path) -> list[str] | None:
    """The lines a no-op build prints, if the stamp says nothing changed; else None."""
    if tuple(args) not in ANSWERED:
        return None
    try:
        stamp = json.loads(stamp_path(reports).read_text(encoding="utf-8"))
        if stamp.get("key") != key():
            return None
        with held_at_once(stamp["locks"]) as held:
            if not held or snapshot(stamp["roots"], stamp["files"]) != stamp["snapshot"]:
                return None
        lines = [str(line) for line in stamp["lines"]]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return lines


def try_answer(argv: Sequence[str]) -> bool:
    """Print a no-op build's lines and return True when ``argv`` is an unchanged ``build``.

    ``argv`` is the command line after the program name (``["build", "--plain"]``).
    """
    if not argv or argv[0] != "build":
        return False
    from kzanalysis.paths import reports_dir
    from kzanalysis.publish.progress import make_progress

    args = tuple(argv[1:])
    lines = answer(args, reports_dir())
    if lines is None:
        return False
    progress = make_progress(0, ANSWERED[args])  # the full build's no-op display
    for line in lines:
        progress.log(line)
    progress.close()
    return True
