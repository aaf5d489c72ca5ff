"""One writer at a time per project: an OS file lock on ``reports/.lock``.

Every command that writes ``reports/`` or ``data/`` holds this one lock while it
works: ``kzanalysis build``, ``index``, ``refresh`` (it rewrites the notebooks a
build reads), ``data curate`` into the project's ``data/`` and ``update`` (its
whole run: recovery, curation, the swap of ``data/``, the data-change page and
its build). So a build's write guard never mistakes another command's work for a
notebook writing where it should not (and never undoes it).

A second writer waits for the first (up to a timeout, default 15 minutes), saying
who it waits for (``waiting up to 900 s for `kzanalysis build` (pid 123, since …)
to finish``); with ``--lock-timeout 0`` it exits at once. The lock is an
``flock``: the OS releases it when the holder dies, so a killed command never
leaves a stale lock behind; the next holder also removes the temporary files a
killed writer left in ``reports/`` and its state folder.

Nesting: a holder may *lend* its lock to work it runs itself (``update`` runs a
build): inside ``with held.lend("building the reports"):`` a
:func:`project_lock` on the same folder, in the same thread, is granted at once
instead of waiting for itself. Nothing else is re-entrant: two acquisitions in
one process without a loan contend like two processes.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from kzanalysis.errors import KzAnalysisError
from kzanalysis.publish.store import atomic_write_text, remove_stale_temps, state_dir

LOCK_NAME = ".lock"
HOLDER_NAME = "lock-holder"
BUILD = "kzanalysis build"
#: Seconds a writer waits for another by default (``--lock-timeout``).
DEFAULT_TIMEOUT = 900.0


class ProjectBusyError(KzAnalysisError):
    """Another kzanalysis command holds the project lock for longer than we wait."""


#: The historical name (a build found another build running); the same class.
BuildLockedError = ProjectBusyError


@dataclass
class Held:
    """The project lock, held by this process for ``command``."""

    reports: Path
    key: str
    command: str
    since: str

    def describe(self, doing: str | None = None) -> str:
        """Write who holds the lock (and what it is doing) for waiting commands to read."""
        doc = {"pid": os.getpid(), "command": self.command, "doing": doing, "since": self.since}
        atomic_write_text(state_dir(self.reports) / HOLDER_NAME, json.dumps(doc) + "\n")
        return describe(doc)

    @contextmanager
    def lend(self, doing: str | None = None) -> Iterator[None]:
        """Grant :func:`project_lock` on this folder to the block (same thread): no waiting."""
        if doing:
            self.describe(doing)
        token = _LENT.set({**(_LENT.get() or {}), self.key: self})
        try:
            yield
        finally:
            _LENT.reset(token)
            if doing:
                with contextlib.suppress(OSError):
                    self.describe()


#: Locks lent to the running block (:meth:`Held.lend`), by lock-file path.
_LENT: ContextVar[dict[str, Held] | None] = ContextVar("kzanalysis_lent_locks", default=None)


def describe(doc: dict) -> str:
    """```kzanalysis build` (pid 123, since 2025-06-01 03:17:02 UTC)``."""
    details = [f"pid {doc.get('pid', '?')}"]
    if doc.get("doing"):
        details.append(str(doc["doing"]))
    if doc.get("since"):
        details.append(f"since {doc['since']}")
    return f"`{doc.get('command') or 'kzanalysis'}` ({', '.join(details)})"


def holder_doc(reports: Path) -> dict:
    """What the holder wrote about itself (``{}`` if nothing readable)."""
    try:
        text = (state_dir(reports) / HOLDER_NAME).read_text(encoding="utf-8").strip()
    except OSError:
        return {}
    try:
        doc = json.loads(text)
    except ValueError:
        doc = None
    if isinstance(doc, dict):
        return doc
    if text.startswith("pid "):  # written by an earlier version: "pid 123"
        return {"pid": text.removeprefix("pid ").strip(), "command": BUILD}
    return {}


def holder(reports: Path) -> str:
    """Describe who holds the lock, for messages (``unknown process`` if it did not say)."""
    doc = holder_doc(reports)
    return describe(doc) if doc else "an unknown process"


def _busy(reports: Path, doc: dict) -> str:
    who = "another build" if doc.get("command") == BUILD else "another kzanalysis command"
    return f"{who} is running on {reports}: {describe(doc) if doc else 'an unknown process'}"


def _key(reports: Path) -> str:
    return str((reports / LOCK_NAME).resolve())


@contextmanager
def project_lock(
    reports: Path,
    timeout: float = DEFAULT_TIMEOUT,
    log: Callable[[str], None] = lambda _: None,
    command: str = BUILD,
) -> Iterator[Held]:
    """Hold the project's lock (on ``reports/.lock``) for the duration of the block.

    Args:
        reports: The reports folder (the lock file and the holder's note live there).
        timeout: Seconds to wait for another holder; 0: fail at once.
        log: Where the "waiting for …" line goes.
        command: What this process is (``kzanalysis data curate``), for others' messages.

    Raises:
        ProjectBusyError: if the lock is not free within ``timeout`` seconds; the message
            names the holder (command, pid, since when).
    """
    from filelock import FileLock, Timeout

    key = _key(reports)
    lent = (_LENT.get() or {}).get(key)
    if lent is not None:  # our own holder runs us (update → build): no waiting for ourselves
        yield lent
        return
    reports.mkdir(parents=True, exist_ok=True)
    lock = FileLock(key)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        doc = holder_doc(reports)
        if timeout <= 0:
            raise ProjectBusyError(
                f"{_busy(reports, doc)}; wait for it to finish or give --lock-timeout SECONDS"
            ) from None
        log(f"waiting up to {timeout:g} s for {holder(reports)} to finish")
        try:
            lock.acquire(timeout=timeout)
        except Timeout:
            doc = holder_doc(reports) or doc
            raise ProjectBusyError(
                f"{_busy(reports, doc)} and still runs after {timeout:g} s; try again later "
                "or raise --lock-timeout"
            ) from None
    try:
        with data_lock(timeout, log):
            state = state_dir(reports)
            remove_stale_temps(reports, state)  # left by a writer that was killed mid-write
            stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
            held = Held(reports, key, command, stamp)
            held.describe()
            yield held
    finally:
        with contextlib.suppress(OSError):  # the next holder writes its own note anyway
            (state_dir(reports) / HOLDER_NAME).unlink(missing_ok=True)
        lock.release()


def data_dir_now() -> Path:
    """The curated-data folder in use (``$KZANALYSIS_DATA_DIR`` honoured)."""
    from kzanalysis.paths import data_dir

    return data_dir()


def data_lock_path(data: Path | None = None) -> Path:
    """The lock of the curated-data folder, next to it: ``.kzanalysis-data.lock``."""
    folder = (data or data_dir_now()).resolve()
    return folder.parent / f".kzanalysis-{folder.name}.lock"


@contextmanager
def data_lock(
    timeout: float, log: Callable[[str], None] = lambda _: None, data: Path | None = None
) -> Iterator[None]:
    """Hold the curated-data folder's lock too (taken inside the reports folder's lock).

    Writers that use different reports folders (``KZANALYSIS_REPORTS_DIR``) still share
    ``data/``: a build guards it and a curation writes it, so they must take turns too.

    Raises:
        ProjectBusyError: if it is not free within ``timeout`` seconds.
    """
    from filelock import FileLock, Timeout

    path = data_lock_path(data)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(path))
    except OSError:  # a read-only place: nothing else can write data/ there either
        yield
        return
    where = (data or data_dir_now()).resolve()
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if timeout <= 0:
            raise ProjectBusyError(
                f"another kzanalysis command (with another reports folder) is using {where}; "
                "wait for it to finish or give --lock-timeout SECONDS"
            ) from None
        log(f"waiting up to {timeout:g} s for another kzanalysis command using {where}")
        try:
            lock.acquire(timeout=timeout)
        except Timeout:
            raise ProjectBusyError(
                f"another kzanalysis command is still using {where} after {timeout:g} s; "
                "try again later or raise --lock-timeout"
            ) from None
    try:
        yield
    finally:
        lock.release()


@contextmanager
def build_lock(
    reports: Path, timeout: float, log: Callable[[str], None] = lambda _: None
) -> Iterator[None]:
    """The project lock for ``kzanalysis build`` (see :func:`project_lock`).

    Raises:
        BuildLockedError: if the lock is not free within ``timeout`` seconds.
    """
    with project_lock(reports, timeout, log, BUILD):
        yield


def writes_project(path: Path) -> bool:
    """Whether ``path`` is the project's ``data/`` or ``reports/`` or inside one of them."""
    from kzanalysis.paths import data_dir, reports_dir

    target = Path(path).resolve()
    return any(
        target == folder or folder in target.parents
        for folder in (data_dir().resolve(), reports_dir().resolve())
    )
