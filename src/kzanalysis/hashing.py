"""Checksums of files (sha256), streamed so large files stay cheap, and the version stamp
that tells a process when a file it parsed has changed."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

#: inode, size, modification and change time (ns) of a file: see :func:`file_version`.
FileVersion = tuple[int, int, int, int]


def file_version(path: str | os.PathLike[str], *, follow_links: bool = True) -> FileVersion:
    """What identifies a version of a file without reading it: inode, size, ``mtime_ns``,
    ``ctime_ns``. A rewrite through a rename changes the inode, and any write changes the
    change time, which no user can set back, so an edit that keeps the size and restores
    the modification time is still a new version. Every "parsed once per version of the
    file" cache keys on this.

    Raises:
        OSError: if the file cannot be stat'ed (missing, no permission).
    """
    st = os.stat(path) if follow_links else os.lstat(path)
    return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def sha256_file(path: Path, chunk_size: int = 1 << 20) -> str:
    """Return the hex sha256 digest of the file at ``path``."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(chunk_size):
            digest.update(chunk)
    return digest.hexdigest()


def sha256_bytes(data: bytes) -> str:
    """Return the hex sha256 digest of ``data``."""
    return hashlib.sha256(data).hexdigest()
