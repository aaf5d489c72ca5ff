"""Where build kernels' Unix sockets live, and removing those of ended processes.

Each kernel of a build (:class:`kzanalysis.publish.kernels.IpcKernelManager`) gets a
folder ``<tmp>/kzk-<pid>-XXXX`` (mode 0700; a short path, since a Unix socket's path may
not exceed about 100 bytes). Its manager removes it when the kernel is cleaned up; a
build worker ending on a signal removes its own (:func:`remove_socket_dirs`) and the next
build those of processes killed outright (:func:`remove_stale_socket_dirs`). No Jupyter
import here: a build with nothing to do imports no execution library.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from kzanalysis.publish.store import pid_alive

#: Prefix of each kernel's socket folder in the temporary directory.
SOCKET_DIR_PREFIX = "kzk-"
_OWNED = re.compile(rf"^{SOCKET_DIR_PREFIX}(?P<pid>\d+)-")


def new_socket_dir() -> str:
    """Make a private folder (mode 0700) for one kernel's sockets; return its path."""
    return tempfile.mkdtemp(prefix=f"{SOCKET_DIR_PREFIX}{os.getpid()}-")


def remove_socket_dirs(pid: int | None = None, tmp: Path | None = None) -> list[Path]:
    """Remove the socket folders of process ``pid`` (this one by default); return them.

    For a process ending on a signal, whose kernel managers never clean up.
    """
    parent = Path(tmp) if tmp is not None else Path(tempfile.gettempdir())
    owner = os.getpid() if pid is None else pid
    return _remove(parent, lambda p: p == owner)


def remove_stale_socket_dirs(tmp: Path | None = None) -> list[Path]:
    """Remove the socket folders of processes that no longer run; return them."""
    parent = Path(tmp) if tmp is not None else Path(tempfile.gettempdir())
    return _remove(parent, lambda p: p != os.getpid() and not pid_alive(p))


def _remove(parent: Path, whose: Callable[[int], bool]) -> list[Path]:
    removed: list[Path] = []
    with contextlib.suppress(OSError):
        for entry in parent.glob(f"{SOCKET_DIR_PREFIX}*"):
            match = _OWNED.match(entry.name)
            if not match or entry.is_symlink() or not entry.is_dir():
                continue
            if whose(int(match.group("pid"))):
                shutil.rmtree(entry, ignore_errors=True)
                removed.append(entry)
    return removed
