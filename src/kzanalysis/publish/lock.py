"""One build at a time per reports folder: an OS file lock on ``reports/.lock``.

A second build waits for the first (up to a timeout, default 15 minutes) and
then usually finds everything up to date; with ``--lock-timeout 0`` it exits at
once. The lock is an ``flock``: the OS releases it when the holder dies, so a
killed build never leaves a stale lock behind; the next holder also removes the
temporary files a killed build left in ``reports/`` and its state folder.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from kzanalysis.errors import KzAnalysisError
from kzanalysis.publish.store import atomic_write_text, remove_stale_temps, state_dir

LOCK_NAME = ".lock"


class BuildLockedError(KzAnalysisError):
    """Another build holds the lock on the reports folder for longer than we wait."""


def holder(reports: Path) -> str:
    """Describe who holds the lock (pid written by the holder), for messages."""
    try:
        return (state_dir(reports) / "lock-holder").read_text(encoding="utf-8").strip()
    except OSError:
        return "unknown process"


@contextmanager
def build_lock(
    reports: Path, timeout: float, log: Callable[[str], None] = lambda _: None
) -> Iterator[None]:
    """Hold the reports folder's lock for the duration of the block.

    Raises:
        BuildLockedError: if the lock is not free within ``timeout`` seconds.
    """
    from filelock import FileLock, Timeout

    reports.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(reports / LOCK_NAME))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if timeout <= 0:
            raise BuildLockedError(
                f"another build is running on {reports} ({holder(reports)}); wait for it or "
                "give --lock-timeout SECONDS"
            ) from None
        log(f"waiting up to {timeout:g} s for another build ({holder(reports)}) to finish")
        try:
            lock.acquire(timeout=timeout)
        except Timeout:
            raise BuildLockedError(
                f"another build on {reports} ({holder(reports)}) still runs after {timeout:g} s; "
                "try again later or raise --lock-timeout"
            ) from None
    try:
        state = state_dir(reports)
        remove_stale_temps(reports, state)  # left by a build that was killed mid-write
        atomic_write_text(state / "lock-holder", f"pid {os.getpid()}\n")
        yield
    finally:
        lock.release()
