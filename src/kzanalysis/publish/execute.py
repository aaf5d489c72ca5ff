"""One build job, run in a worker: papermill → HTML report, or an error page on failure.

:func:`build_job` is a top-level function over picklable dataclasses so a
process pool can run it. It never raises: every failure (an exception in a
cell, a cell timeout, a dead kernel, a kernel that does not start, a bug while
rendering) comes back as an :class:`Outcome` with what happened and where, and
the error page is already written (or, on a full disk, the Outcome says why
not). papermill and nbconvert are imported here, inside the functions, so a
no-op build never loads them.

Limits: output is capped while it arrives (:class:`~kzanalysis.publish.html.OutputCap`
in the papermill engine ``kzanalysis``, so the executed notebook stays small), and
a rendered report above ``max_report_mb`` (default :data:`DEFAULT_MAX_REPORT_MB`)
fails its variant (kind ``too-large``); the last good report is kept.

Stopping: nothing is written once the build asked to stop (:data:`STOP`) or, in a
build worker, once the build process is gone (:func:`stopping`); the job then comes
back as ``interrupted`` without touching its report or error page.
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from kzanalysis.publish.html import ReportMeta, output_text
from kzanalysis.publish.store import atomic_write_text

#: Environment of a build's kernels naming the report and commit (the same names as
#: ``kzanalysis.report.ENV_VARIANT``/``ENV_COMMIT``; not imported: the worker stays light).
ENV_VARIANT, ENV_COMMIT = "KZANALYSIS_VARIANT", "KZANALYSIS_COMMIT"
ANSI_RE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
KERNEL_NAME = "python3"
#: A report larger than this (MB, 10^6 bytes) fails its variant, unless the variant says
#: otherwise (``max_report_mb`` in reports.yaml).
DEFAULT_MAX_REPORT_MB = 5.0
#: papermill engine name of :func:`capped_engine` (registered on first use).
ENGINE_NAME = "kzanalysis"
#: Characters of output (all cells, all kinds) an executed notebook keeps at least; a
#: job's budget is the larger of this and twice its report cap. Outputs beyond it are
#: dropped as they arrive (a note says so): the executed copy in ``reports/.build/executed``
#: stays bounded, and the report, above its cap anyway, fails with ``too-large``.
NOTEBOOK_OUTPUT_BUDGET_CHARS = 25_000_000
#: Seconds between saves of the executed notebook while it runs. papermill saves the whole
#: notebook (serialised and validated) at every cell's start and end, about 40 writes of a
#: growing file per report; this engine saves at the start, then at most this often, and
#: always when the notebook ends (also after an error, a timeout or a dead kernel), so
#: ``reports/.build/executed`` still shows how far a hung or stopped job got.
SAVE_EVERY_S = 5.0
#: The budget of the notebook running in this process (set by :func:`run_notebook`).
OUTPUT_BUDGET: list[int] = [NOTEBOOK_OUTPUT_BUDGET_CHARS]
#: Set when the build is stopping (a signal, or the build process is gone): no job
#: starts and nothing more is written.
STOP = threading.Event()
#: In a build worker: the build process's id (set by the worker's initializer).
PARENT_PID: list[int] = []
#: The reads and timings files of the job running in this process (removed if the worker
#: is ended).
CURRENT_ENV_FILES: list[Path] = []
#: The job running in this process (its half-written files go if the worker is ended).
CURRENT_JOB: list[Job] = []


def stopping() -> bool:
    """True once the build stops: :data:`STOP` is set, or this worker's build process is gone."""
    return STOP.is_set() or bool(PARENT_PID and os.getppid() != PARENT_PID[0])


class Interrupted(Exception):
    """The build stopped while this job ran (nothing of the job is written)."""


class ReportTooLarge(Exception):
    """The rendered report is above the variant's ``max_report_mb``."""


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
    max_report_mb: float = DEFAULT_MAX_REPORT_MB


@dataclass(frozen=True)
class Outcome:
    """How a job ended.

    ``kind`` is ok, error, timeout, kernel-died, kernel-start, too-large, interrupted
    or internal; the build runner adds outside (the notebook wrote outside its outputs,
    see :mod:`kzanalysis.publish.guard`). ``started_at`` is the wall-clock time (``time.time()``)
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
    stages: dict[str, float] | None = field(default=None, repr=False)

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
def report_identity(variant: str, commit: str) -> Iterator[None]:
    """Tell the kernels started in the block which report and commit they build.

    The report elements write both into the comment lines of their CSV downloads
    (:data:`kzanalysis.report.ENV_VARIANT`, :data:`~kzanalysis.report.ENV_COMMIT`);
    outside a build (JupyterLab, ``kzanalysis refresh``, nbval) they are unset.
    """
    saved = {k: os.environ.get(k) for k in (ENV_VARIANT, ENV_COMMIT)}
    os.environ[ENV_VARIANT], os.environ[ENV_COMMIT] = variant, commit
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@contextmanager
def _env_file(var: str, prefix: str) -> Iterator[Path]:
    """A fresh temporary file named in ``$var`` for the block (kernels inherit it); the
    variable's old value is restored and the file removed afterwards."""
    fd, name = tempfile.mkstemp(prefix=prefix, suffix=".jsonl")
    os.close(fd)
    previous = os.environ.get(var)
    os.environ[var] = name
    CURRENT_ENV_FILES.append(Path(name))
    try:
        yield Path(name)
    finally:
        if previous is None:
            os.environ.pop(var, None)
        else:
            os.environ[var] = previous
        Path(name).unlink(missing_ok=True)
        CURRENT_ENV_FILES.remove(Path(name))


@contextmanager
def recording_reads() -> Iterator[Path]:
    """Let the kernels started in the block record what they read (:mod:`kzanalysis.reads`).

    Sets ``$KZANALYSIS_READS_FILE`` (kernels, normal or warm, inherit this process's
    environment) to a fresh temporary file, yielded; removed afterwards.
    """
    from kzanalysis import reads

    with _env_file(reads.ENV, "kzreads-") as path:
        yield path


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


def capped_engine() -> str:
    """Register the papermill engine whose client caps output as it arrives; its name.

    papermill's own ``nbclient`` engine keeps every output in memory and in the
    executed notebook; this one keeps at most
    :data:`~kzanalysis.publish.html.OUTPUT_CAP_CHARS` of a cell's stream output (and of
    each text output), with a note saying how much was cut, and drops every output
    once the notebook's outputs reach :data:`OUTPUT_BUDGET` characters.
    """
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines
    from papermill.log import logger
    from papermill.utils import merge_kwargs, remove_args

    from kzanalysis.publish import html

    if ENGINE_NAME in papermill_engines._engines:
        return ENGINE_NAME

    class CappedClient(PapermillNotebookClient):
        """papermill's client with :class:`~kzanalysis.publish.html.OutputCap` per cell."""

        def output(self, outs: list, msg: dict, display_id: Any, cell_index: int) -> Any:
            caps = self.__dict__.setdefault("_kz_caps", {})
            if self.clear_before_next_output:  # the delayed clear empties the cell first
                caps.pop(cell_index, None)
            out = super().output(outs, msg, display_id, cell_index)
            if out is None:
                return None
            out = caps.setdefault(cell_index, html.OutputCap()).add(outs, out)
            if out is None:
                return None
            size = output_size(out)
            used = self.__dict__.get("_kz_used", 0) + size
            self.__dict__["_kz_used"] = used
            if used <= OUTPUT_BUDGET[0]:
                return out
            if outs and outs[-1] is out:  # over the notebook's budget: not kept
                outs.pop()
            dropped = self.__dict__.get("_kz_dropped", {})
            self.__dict__["_kz_dropped"] = dropped
            dropped[cell_index] = dropped.get(cell_index, 0) + size
            note = (
                f"[output dropped: {html.size_text(dropped[cell_index])} not kept; this "
                f"notebook's outputs passed {html.size_text(OUTPUT_BUDGET[0])}]\n"
            )
            notes = self.__dict__.setdefault("_kz_notes", {})
            if cell_index not in notes:
                notes[cell_index] = type(out)(output_type="stream", name="stderr", text="")
                outs.append(notes[cell_index])
            notes[cell_index]["text"] = note
            return None

        def clear_output(self, outs: list, msg: dict, cell_index: int) -> None:
            self.__dict__.setdefault("_kz_caps", {}).pop(cell_index, None)
            super().clear_output(outs, msg, cell_index)

    class ThrottledManager(NotebookExecutionManager):
        """papermill's execution record, saved at most every :data:`SAVE_EVERY_S` seconds
        while cells run, and always at the start and the end."""

        def save(self, **kwargs: Any) -> None:
            since = (self.now() - self.last_save_time).total_seconds()
            if self.__dict__.get("_kz_force", True) or since >= SAVE_EVERY_S:
                super().save(**kwargs)
            self.__dict__["_kz_force"] = False

        def notebook_complete(self, **kwargs: Any) -> None:
            self.__dict__["_kz_force"] = True  # the end (success or not) is always saved
            super().notebook_complete(**kwargs)

    class CappedEngine(NBClientEngine):
        """papermill's nbclient engine with :class:`CappedClient` and :class:`ThrottledManager`."""

        @classmethod
        def execute_notebook(
            cls,
            nb: Any,
            kernel_name: str,
            output_path: Any = None,
            progress_bar: bool = True,
            log_output: bool = False,
            autosave_cell_every: int = 30,
            **kwargs: Any,
        ) -> Any:
            """papermill's ``Engine.execute_notebook`` with the throttled manager."""
            nb_man = ThrottledManager(
                nb,
                output_path=output_path,
                progress_bar=progress_bar,
                log_output=log_output,
                autosave_cell_every=autosave_cell_every,
            )
            nb_man.notebook_start()
            try:
                cls.execute_managed_notebook(nb_man, kernel_name, log_output=log_output, **kwargs)
            finally:
                nb_man.cleanup_pbar()
                nb_man.notebook_complete()
            return nb_man.nb

        @classmethod
        def execute_managed_notebook(
            cls,
            nb_man: Any,
            kernel_name: str,
            log_output: bool = False,
            stdout_file: Any = None,
            stderr_file: Any = None,
            start_timeout: int = 60,
            execution_timeout: int | None = None,
            **kwargs: Any,
        ) -> Any:
            kwargs = remove_args(["input_path"], **kwargs)
            safe = remove_args(["timeout", "startup_timeout"], **kwargs)
            final = merge_kwargs(
                safe,
                timeout=execution_timeout if execution_timeout else kwargs.get("timeout"),
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log=logger,
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
            )
            return CappedClient(nb_man, **final).execute()

    papermill_engines.register(ENGINE_NAME, CappedEngine)
    return ENGINE_NAME


def output_size(output: Any) -> int:
    """Characters of an output's text and data (what it adds to the notebook file)."""
    size = len(output_text(output.get("text", "")))
    for value in (output.get("data") or {}).values():
        size += len(output_text(value)) if isinstance(value, str | list) else 0
    return size + sum(len(output_text(line)) for line in output.get("traceback") or [])


def run_notebook(job: Job) -> Any:
    """Execute the notebook with papermill into ``job.executed``; return the executed notebook."""
    import papermill as pm

    from kzanalysis.publish import warm

    Path(job.executed).parent.mkdir(parents=True, exist_ok=True)
    OUTPUT_BUDGET[:] = [max(NOTEBOOK_OUTPUT_BUDGET_CHARS, int(2 * job.max_report_mb * 1e6))]
    return pm.execute_notebook(
        job.notebook,
        job.executed,
        parameters=job.parameters,
        engine_name=capped_engine(),
        kernel_name=job.kernel_name,
        cwd=str(Path(job.notebook).parent),
        progress_bar=False,
        log_output=False,
        start_timeout=job.start_timeout,
        execution_timeout=job.cell_timeout,
        config=kernel_config(),
        # stopped at once: a graceful shutdown polls for ~0.3 s per report, and the kernel
        # has nothing to flush (reads and timings are written during the cells)
        shutdown_kernel="immediate",
        # no IPython history: every parallel kernel wrote its cells to one SQLite file
        extra_arguments=["--HistoryManager.enabled=False"],
        **warm.engine_kwargs(),
    )


def check_size(page: str, job: Job) -> None:
    """Refuse a report above the job's ``max_report_mb``.

    Raises:
        ReportTooLarge: with the size, the cap and where to raise it.
    """
    size = len(page.encode("utf-8"))
    if size > job.max_report_mb * 1e6:
        raise ReportTooLarge(
            f"report is {size / 1e6:.1f} MB, above the {job.max_report_mb:g} MB cap "
            "(max_report_mb in reports.yaml)"
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

    if isinstance(exc, Interrupted) or stopping():
        return Outcome(job.name, "interrupted", "interrupted: the build was stopped", duration)
    if isinstance(exc, ReportTooLarge):
        return Outcome(job.name, "too-large", str(exc), duration)
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


@contextmanager
def recording_timings() -> Iterator[Path]:
    """Let the kernels started in the block record stage timings (:mod:`kzanalysis.timings`)
    into a fresh temporary file, yielded; removed afterwards."""
    from kzanalysis import timings

    with _env_file(timings.ENV, "kztimes-") as path:
        yield path


def _seconds_between(start: Any, end: Any) -> float | None:
    from datetime import datetime

    try:
        return (
            datetime.fromisoformat(str(end)) - datetime.fromisoformat(str(start))
        ).total_seconds()
    except (TypeError, ValueError):
        return None


def stage_times(nb: Any, kernel: dict[str, float], html_seconds: float) -> dict[str, float]:
    """Seconds per stage of one report (:data:`kzanalysis.timings.STAGES`).

    Args:
        nb: The executed notebook (papermill's timing metadata).
        kernel: The kernel-side totals (:func:`kzanalysis.timings.read_totals`).
        html_seconds: The HTML conversion's duration.

    Returns:
        Kernel start (papermill's start to the first cell's start), the kernel-side stages,
        the rest of the cells' durations (imports and other compute) and HTML conversion,
        rounded to milliseconds; a stage without data is left out.
    """
    meta = (nb.get("metadata") or {}).get("papermill") or {}
    cells = [
        (c.get("metadata") or {}).get("papermill") or {}
        for c in nb.get("cells", [])
        if c.get("cell_type") == "code"
    ]
    out: dict[str, float] = {}
    first = next((c.get("start_time") for c in cells if c.get("start_time")), None)
    start = _seconds_between(meta.get("start_time"), first) if first else None
    if start is not None:
        out["kernel start"] = start
    cell_total = sum(float(c.get("duration") or 0.0) for c in cells)
    inside = {k: kernel[k] for k in ("data load", "ledger", "figures") if k in kernel}
    out.update(inside)
    out["imports and other compute"] = max(0.0, cell_total - sum(inside.values()))
    out["HTML conversion"] = html_seconds
    return {k: round(v, 3) for k, v in out.items()}


def build_job(job: Job) -> Outcome:
    """Execute and render one variant; on failure write its error page. Never raises.

    Once the build stops (:func:`stopping`), nothing is written: the job comes back
    ``interrupted`` with its report, error page and state as they were.
    """
    from kzanalysis.publish import html

    start, started_at = time.monotonic(), time.time()
    if stopping():
        return Outcome(job.name, "interrupted", "interrupted: not started", 0.0)
    from kzanalysis import reads, timings

    CURRENT_JOB[:] = [job]
    try:
        with (
            stderr_to(Path(job.log)),
            recording_reads() as reads_file,
            recording_timings() as timings_file,
            report_identity(job.name, job.meta.commit),
        ):
            nb = run_notebook(job)
            recorded = reads.read_records(reads_file)
            kernel_times = timings.read_totals(timings_file)
        html_start = time.monotonic()
        page = html.render_report(nb, job.meta, show_code=job.show_code)
        stages = stage_times(nb, kernel_times, time.monotonic() - html_start)
        check_size(page, job)
        if stopping():  # the build stopped (or is gone) while this job ran: publish nothing
            raise Interrupted()
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
        outcome = replace(outcome, started_at=started_at)
        if outcome.kind == "interrupted":
            return outcome
        return _write_failure(job, outcome)
    finally:
        CURRENT_JOB.clear()
    Path(job.error_page).unlink(missing_ok=True)
    return Outcome(
        job.name,
        "ok",
        "built",
        time.monotonic() - start,
        started_at=started_at,
        reads=recorded,
        stages=stages,
    )


def _write_failure(job: Job, outcome: Outcome) -> Outcome:
    """Write the error page and mark the last good report (if any) as stale.

    Never raises for a write that fails (a full disk, a read-only folder): the
    returned Outcome is ``outcome`` with what could not be written added to its
    message. The last good report is replaced atomically or not at all.
    """
    from kzanalysis.publish import html

    if PARENT_PID and stopping():  # in a worker of a stopped build: nothing is written
        return outcome
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
