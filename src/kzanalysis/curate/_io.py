"""Small helpers shared by the per-source curation modules."""

from __future__ import annotations

from pathlib import Path

from kzanalysis.errors import RawDataError

#: Key of a built frame's ``attrs`` holding its curation log lines (optional): what the
#: parser repaired or read in a documented way; ``kzanalysis data curate`` prints them.
LOG_KEY = "curation_log"


def require(raw: Path, relpath: str) -> Path:
    """Return ``raw / relpath`` or raise a clear error if the upstream file is missing.

    Args:
        raw: The upstream snapshot folder given as ``--raw`` (e.g. ``../shared/data``).
        relpath: Path of the file relative to ``raw`` (e.g. ``trade/raw/x.csv``).

    Raises:
        RawDataError: naming the missing file and how to fix it.
    """
    path = Path(raw) / relpath
    if not path.is_file():
        raise RawDataError(
            f"missing upstream file {relpath!r} under {raw}: curation needs it. "
            "Fix: pass --raw pointing at the shared snapshot folder (the one holding "
            "trade/, energy/, arms/, polls/, investment/ with their PROVENANCE.md), or "
            "restore the file."
        )
    return path


def fail(
    path: Path | str, what: str, fix: str = "check the upstream file's layout"
) -> RawDataError:
    """Build a :class:`RawDataError` that names the file, the problem and the fix."""
    return RawDataError(f"{path}: {what}. Fix: {fix}.")
