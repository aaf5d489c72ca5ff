"""Where the project's folders are: data, reports, notebooks.

Every path can be overridden by an environment variable so that tests and
scheduled builds can point the library at a copy of the project.
"""

from __future__ import annotations

import os
from pathlib import Path

#: The repository root (``src/kzanalysis/paths.py`` → two levels up from ``src``).
PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _env_path(var: str, default: Path) -> Path:
    value = os.environ.get(var)
    return Path(value).resolve() if value else default


def data_dir() -> Path:
    """Folder with the curated tables and ``datapackage.json`` (``$KZANALYSIS_DATA_DIR``)."""
    return _env_path("KZANALYSIS_DATA_DIR", PROJECT_ROOT / "data")


def reports_dir() -> Path:
    """Folder the HTML reports are written to (``$KZANALYSIS_REPORTS_DIR``)."""
    return _env_path("KZANALYSIS_REPORTS_DIR", PROJECT_ROOT / "reports")


def notebooks_dir() -> Path:
    """Folder with the chapter notebooks (``$KZANALYSIS_NOTEBOOKS_DIR``)."""
    return _env_path("KZANALYSIS_NOTEBOOKS_DIR", PROJECT_ROOT / "notebooks")


def default_raw_dir() -> Path:
    """Default upstream snapshot folder: ``$KZANALYSIS_RAW_DIR``, else ``../shared/data``."""
    return _env_path("KZANALYSIS_RAW_DIR", PROJECT_ROOT.parent / "shared" / "data")
