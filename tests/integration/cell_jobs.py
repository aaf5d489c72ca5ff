"""A build job for a small notebook written from code cells (shared by the kernel tests)."""

from __future__ import annotations

from pathlib import Path

import nbformat

from kzanalysis.publish.execute import Job, ReportMeta


def cell_job(
    tmp_path: Path, cells: list[str], cell_timeout: int = 60, name: str = "probe-KAZ"
) -> Job:
    """A job for a notebook of ``cells`` (code, kernel ``python3``) in ``tmp_path``,
    executed into ``tmp_path/out``; the job and its report are called ``name``."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [nbformat.v4.new_code_cell(src) for src in cells]
    stem = name.split("-")[0]
    path = tmp_path / f"{stem}.ipynb"
    nbformat.write(nb, path)
    meta = ReportMeta(
        name=name, title=stem, notebook=str(path), parameters={}, built_at="", commit=""
    )
    return Job(
        name=name,
        notebook=str(path),
        parameters={},
        executed=str(tmp_path / "out" / f"{stem}.ipynb"),
        log=str(tmp_path / "out" / f"{stem}.log"),
        report=str(tmp_path / f"{stem}.html"),
        error_page=str(tmp_path / f"{stem}.error.html"),
        cell_timeout=cell_timeout,
        start_timeout=60,
        show_code=False,
        meta=meta,
    )
