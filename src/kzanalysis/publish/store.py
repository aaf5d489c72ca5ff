"""Build state under ``reports/.build/`` and atomic file writes.

Each variant has one JSON record, ``reports/.build/<name>.json``: its last
attempt (status, time, error) and the fingerprint and time of its last *good*
build. Records are written atomically (temporary file + ``os.replace``), so an
interrupted build leaves either the old or the new record, never half of one.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
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
