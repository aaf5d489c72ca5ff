"""One build job, run in a worker: papermill → HTML report, or an error page on failure.

:func:`build_job` is a top-level function over picklable dataclasses so a
process pool can run it. It never raises: every failure (an exception in a
cell, a cell timeout, a dead kernel, a kernel that does not start, a bug while
rendering) comes back as an :class:`Outcome` with what happened and where, and
the error page is already written (or, on a full disk, the Outcome says why
not). papermill and nbconvert are imported here, inside the functions, so a
no-op build never loads them.
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from kzanalysis.publish.html import ReportMeta
from kzanalysis.publish.store import atomic_write_text

ANSI_RE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
KERNEL_NAME = "python3"


@dataclass(frozen=True)
class Job:
    """Everything a worker needs to build one variant."""

    name: str
    notebook: str
    parameters: dict[str, Any]
    executed: str
    log: str
    report: str
    error_page: str
    cell_timeout: int
    start_timeout: int
    show_code: bool
    meta: ReportMeta
    kernel_name: str = KERNEL_NAME


@dataclass(frozen=True)
class Outcome:
    """How a job ended.

    ``kind`` is ok, error, timeout, kernel-died, kernel-start or internal; the build
    runner adds outside (the notebook wrote outside its outputs, see
    :mod:`kzanalysis.publish.guard`). ``started_at`` is the wall-clock time (``time.time()``)
    the worker started the job, 0.0 when unknown.
    """

    name: str
    kind: str
    message: str
    duration_s: float
    cell: int | None = None
    cell_source: str = ""
    traceback: str = field(default="", repr=False)
    started_at: float = 0.0
    reads: dict[str, str] | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        """True when the report was written."""
        return self.kind == "ok"


def strip_ansi(text: str) -> str:
    """Remove terminal colour codes (IPython tracebacks are coloured)."""
    return ANSI_RE.sub("", text)


def kernel_config() -> Any:
    """Kernel manager config: CurveZMQ transport encryption when available (no TCP warning)."""
    import zmq
    from traitlets.config import Config

    cfg = Config()
    if zmq.has("curve"):
        cfg.KernelManager.transport_encryption = "auto"
    return cfg


@contextmanager
def recording_reads() -> Iterator[Path]:
    """Let the kernels started in the block record what they read (:mod:`kzanalysis.reads`).

    Sets ``$KZANALYSIS_READS_FILE`` (kernels, normal or warm, inherit this process's
    environment) to a fresh temporary file, yielded; removed afterwards.
    """
    from kzanalysis import reads

    fd, name = tempfile.mkstemp(prefix="kzreads-", suffix=".jsonl")
    os.close(fd)
    previous = os.environ.get(reads.ENV)
    os.environ[reads.ENV] = name
    try:
        yield Path(name)
    finally:
        if previous is None:
            os.environ.pop(reads.ENV, None)
        else:
            os.environ[reads.ENV] = previous
        Path(name).unlink(missing_ok=True)


@contextmanager
def stderr_to(path: Path) -> Iterator[None]:
    """Send this process's stderr (file descriptor 2, inherited by kernels) to ``path``.

    Kernel and nbclient messages (interrupt tracebacks, "kernel died") go to the
    variant's log instead of interleaving with the build's output.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    sys.stderr.flush()
    saved = os.dup(2)
    with open(path, "wb") as log:
        os.dup2(log.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)


def run_notebook(job: Job) -> Any:
    """Execute the notebook with papermill into ``job.executed``; return the executed notebook."""
    import papermill as pm

    from kzanalysis.publish import warm

    Path(job.executed).parent.mkdir(parents=True, exist_ok=True)
    return pm.execute_notebook(
        job.notebook,
        job.executed,
        parameters=job.parameters,
        kernel_name=job.kernel_name,
        cwd=str(Path(job.notebook).parent),
        progress_bar=False,
        log_output=False,
        start_timeout=job.start_timeout,
        execution_timeout=job.cell_timeout,
        config=kernel_config(),
        **warm.engine_kwargs(),
    )


def _last_started_cell(executed: str) -> tuple[int | None, str]:
    """Return (execution-order number, source) of the last cell papermill started."""
    try:
        nb = json.loads(Path(executed).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None, ""
    code = [c for c in nb.get("cells", []) if c.get("cell_type") == "code"]
    started = [
        (i, c)
        for i, c in enumerate(code, 1)
        if c.get("metadata", {}).get("papermill", {}).get("start_time")
    ]
    if not started:
        return None, ""
    index, cell = started[-1]
    src = cell.get("source", "")
    return index, "".join(src) if isinstance(src, list) else src


def classify(exc: BaseException, job: Job, duration: float) -> Outcome:
    """Turn an execution exception into an :class:`Outcome` saying what happened, and where."""
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        tb = strip_ansi("\n".join(exc.traceback or []))
        return Outcome(
            job.name,
            "error",
            f"{exc.ename}: {exc.evalue} in cell [{exc.exec_count}]",
            duration,
            exc.exec_count,
            exc.source,
            tb,
        )
    cell, source = _last_started_cell(job.executed)
    where = f"cell [{cell}]" if cell else "a cell"
    if isinstance(exc, CellTimeoutError):
        return Outcome(
            job.name,
            "timeout",
            f"timeout: {where} ran longer than {job.cell_timeout:g} s; kernel interrupted "
            "(raise cell_timeout in reports.yaml or --cell-timeout if it is just slow)",
            duration,
            cell,
            source,
            strip_ansi(str(exc)),
        )
    if isinstance(exc, DeadKernelError):
        return Outcome(
            job.name,
            "kernel-died",
            f"kernel died while running {where} (killed, out of memory or crashed)",
            duration,
            cell,
            source,
            strip_ansi(str(exc)),
        )
    text = str(exc)
    if isinstance(exc, TimeoutError) or "didn't respond" in text:  # kernel_info never came
        return Outcome(
            job.name,
            "kernel-start",
            f"kernel did not start within {job.start_timeout:g} s ({text})",
            duration,
            traceback="".join(traceback.format_exception(exc)),
        )
    return Outcome(
        job.name,
        "internal",
        f"{type(exc).__name__}: {text}",
        duration,
        cell,
        source,
        "".join(traceback.format_exception(exc)),
    )


def build_job(job: Job) -> Outcome:
    """Execute and render one variant; on failure write its error page. Never raises."""
    from kzanalysis.publish import html

    start, started_at = time.monotonic(), time.time()
    from kzanalysis import reads

    try:
        with stderr_to(Path(job.log)), recording_reads() as reads_file:
            nb = run_notebook(job)
            recorded = reads.read_records(reads_file)
        page = html.render_report(nb, job.meta, show_code=job.show_code)
        atomic_write_text(Path(job.report), page)
    except Exception as exc:  # every failure becomes an error page and an Outcome
        try:
            outcome = classify(exc, job, time.monotonic() - start)
        except Exception as inner:  # classification itself failed: report the original error
            outcome = Outcome(
                job.name,
                "internal",
                f"{type(exc).__name__}: {exc} (while classifying: {inner})",
                time.monotonic() - start,
                traceback="".join(traceback.format_exception(exc)),
            )
        return _write_failure(job, replace(outcome, started_at=started_at))
    Path(job.error_page).unlink(missing_ok=True)
    return Outcome(
        job.name, "ok", "built", time.monotonic() - start, started_at=started_at, reads=recorded
    )


def _write_failure(job: Job, outcome: Outcome) -> Outcome:
    """Write the error page and mark the last good report (if any) as stale.

    Never raises for a write that fails (a full disk, a read-only folder): the
    returned Outcome is ``outcome`` with what could not be written added to its
    message. The last good report is replaced atomically or not at all.
    """
    from kzanalysis.publish import html

    report = Path(job.report)
    has_good = report.is_file()
    log = os.path.relpath(job.log, report.parent)
    page = html.render_error_page(job.meta, outcome, report.name if has_good else None, log)
    problems = []
    try:
        atomic_write_text(Path(job.error_page), page)
    except OSError as exc:
        problems.append(f"error page not written: {exc.strerror or exc}")
    if has_good:
        try:
            text = report.read_text(encoding="utf-8")
            atomic_write_text(
                report, html.mark_stale(text, job.meta, Path(job.error_page).name, outcome.message)
            )
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(
                f"last good report not marked stale: {getattr(exc, 'strerror', None) or exc}"
            )
    if not problems:
        return outcome
    return replace(outcome, message=f"{outcome.message} ({'; '.join(problems)})")
