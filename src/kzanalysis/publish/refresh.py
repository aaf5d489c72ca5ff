"""``kzanalysis refresh``: re-execute committed notebooks in place with their default parameters.

The notebooks in ``notebooks/`` are committed with outputs so nbval can check
that they still reproduce. Refresh runs them top to bottom in the project's
``python3`` kernel (the one nbval uses), with the notebook's folder as working
directory, records no timing metadata, and writes each file atomically. No
parameters are injected: the outputs are those of the defaults.
"""

from __future__ import annotations

import time
from pathlib import Path

from kzanalysis.errors import KzAnalysisError
from kzanalysis.paths import notebooks_dir
from kzanalysis.publish.store import atomic_write_text

KERNEL_NAME = "python3"


class RefreshError(KzAnalysisError):
    """A notebook failed while being refreshed; the file was left unchanged."""


def find_notebook(ref: str, folder: Path | None = None) -> Path:
    """Resolve a path, file name or stem (``00_data_overview``) to a notebook file.

    Raises:
        KzAnalysisError: listing the notebooks there if nothing matches.
    """
    folder = folder or notebooks_dir()
    candidates = [Path(ref), folder / ref, folder / f"{ref}.ipynb"]
    for path in candidates:
        if path.is_file() and path.suffix == ".ipynb":
            return path.resolve()
    known = ", ".join(sorted(p.stem for p in folder.glob("*.ipynb"))) or "none"
    raise KzAnalysisError(f"notebook {ref!r} not found; notebooks in {folder}: {known}")


def refresh(path: Path, timeout: int = 600, start_timeout: int = 60) -> float:
    """Execute ``path`` in place; return the seconds it took.

    Raises:
        RefreshError: with the cell and error if execution fails (file unchanged).
    """
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    from kzanalysis.publish.execute import kernel_config
    from kzanalysis.publish.kernels import IpcKernelManager

    start = time.monotonic()
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        startup_timeout=start_timeout,
        kernel_name=KERNEL_NAME,
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,
        config=kernel_config(),
        kernel_manager_class=IpcKernelManager,
    )
    try:
        client.execute()
    except CellExecutionError as exc:
        raise RefreshError(f"{path.name}: {exc}; the file was not changed") from None
    except Exception as exc:  # timeouts, dead kernels
        raise RefreshError(
            f"{path.name}: {type(exc).__name__}: {exc}; the file was not changed"
        ) from None
    nb.metadata.get("kernelspec", {}).update(
        {"name": KERNEL_NAME, "display_name": "Python 3 (kzanalysis)", "language": "python"}
    )
    atomic_write_text(path, nbformat.writes(nb) + "\n")
    return time.monotonic() - start
