"""The build: validate → lock → plan (fingerprints) → execute in parallel → state → index.

Parameters are validated for every selected variant before the lock is taken
and before any kernel starts. Planning reads only JSON, YAML and file hashes;
papermill and nbconvert are imported by the workers, so a build with nothing to
do finishes in well under a second. Variants run on an executor
(:mod:`kzanalysis.publish.executors`): spawned local worker processes (``--jobs``,
default: CPU count) or a dask cluster (``--executor dask --scheduler ADDRESS``);
the longest variants (by their last build time) are handed out first, so the
workers finish together. One failing variant never stops the others.

While jobs run, a write guard (:mod:`kzanalysis.publish.guard`) watches ``reports/``
and ``data/``: a notebook that writes anything but its own outputs there (or
leaves a symlink or another special file anywhere there) fails its variant, the
files it changed are restored, and a warning line names them. A folder that
cannot be written (a full disk, wrong permissions) ends the build with one line
and exit code 1, never a traceback; what was published stays whole.

Stopping: SIGINT (Ctrl-C) and SIGTERM stop the build. No job is handed out any
more, queued ones are cancelled, running workers end their kernels (see
:mod:`kzanalysis.publish.executors`), what they changed is undone by the guard,
and each variant not built is recorded as failed with kind ``interrupted`` (its
last good report kept as it was, not marked stale; an error page says so). One
line says how many were not built; the exit code is 130 after SIGINT and 143
after SIGTERM. While waiting for another build's lock, a signal ends the wait at once.
Killed with SIGKILL, the build's workers end their trees themselves (parent-death
signal) and write nothing more; the next build removes the guard's backups.

The index lists the variants of ``reports.yaml`` (and the registry's), plus those
of ``--config FILE`` when a side file is built: building one variant from a side
file never drops the others from ``index.html``.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kzanalysis.errors import KzAnalysisError
from kzanalysis.params import ParameterError
from kzanalysis.paths import PROJECT_ROOT, data_dir, notebooks_dir, reports_dir
from kzanalysis.publish import execute as E
from kzanalysis.publish import fingerprint as F
from kzanalysis.publish import guard as G
from kzanalysis.publish import noop, sockets
from kzanalysis.publish.editions import DEFAULT_MAX_DATA_AGE_DAYS, variant_editions
from kzanalysis.publish.execute import DEFAULT_MAX_REPORT_MB, Job, Outcome
from kzanalysis.publish.html import ReportMeta
from kzanalysis.publish.index import write_index
from kzanalysis.publish.lock import LOCK_NAME, build_lock, data_lock_path
from kzanalysis.publish.progress import make_progress
from kzanalysis.publish.store import (
    atomic_write_text,
    error_path,
    executed_path,
    load_state,
    log_path,
    report_path,
    save_state,
    state_dir,
)
from kzanalysis.publish.variants import Resolved, Variant, load_variants, resolve, select

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
#: Exit codes of a build stopped by a signal: 128 + the signal's number.
EXIT_SIGNAL = {signal.SIGINT: 130, signal.SIGTERM: 143}
FOOTER_KEYS = ("name", "title", "path")
SOURCE_KEYS = ("id", "publisher", "title", "edition", "terms", "path", "terms_url")


class UsageError(KzAnalysisError):
    """The command line asks for something inconsistent (exit code 2)."""


@dataclass
class BuildOptions:
    """What ``kzanalysis build`` was asked to do."""

    names: list[str] = field(default_factory=list)
    jobs: int | None = None
    force: bool = False
    show_code: bool | None = None
    overrides: list[str] = field(default_factory=list)
    cell_timeout: int | None = None
    start_timeout: int | None = None
    lock_timeout: float = 900.0
    plain: bool | None = None
    config: Path | None = None
    log_file: Path | None = None
    max_data_age_days: int = DEFAULT_MAX_DATA_AGE_DAYS
    executor: str = "local"
    scheduler: str | None = None


@dataclass
class BuildResult:
    """Per-variant result lines, machine-readable entries and the exit code.

    ``variants`` maps each selected variant to its summary entry (status, duration,
    reasons, data editions, error), in selection order; see :mod:`kzanalysis.publish.summary`.
    ``error`` is set (and ``exit_code`` is 1) when ``reports/`` could not be written.
    ``interrupted`` lists the variants not built because a signal stopped the build
    (``stopped_by``: ``SIGINT`` or ``SIGTERM``; they are in ``failed`` too, with error kind
    ``interrupted``); ``warnings`` are the guard's lines about files it undid (also in
    the summary entries of the variants concerned).
    """

    exit_code: int
    lines: dict[str, str] = field(default_factory=dict)
    built: list[str] = field(default_factory=list)
    up_to_date: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    variants: dict[str, dict[str, Any]] = field(default_factory=dict)
    started_at: str = ""
    finished_at: str = ""
    error: str | None = None
    interrupted: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    stopped_by: str | None = None


def now_text() -> str:
    """The current time, UTC, to the second."""
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def git_commit(root: Path = PROJECT_ROOT) -> str:
    """Short commit id of the project, marked when the tracked tree has uncommitted changes."""
    try:
        head = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short=12", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown (not a git checkout)"
    return f"{head} (with uncommitted changes)" if dirty else head


def load_resources(folder: Path) -> tuple[list[dict[str, Any]] | None, str]:
    """Catalog resources from ``datapackage.json`` and a note (non-empty if unusable)."""
    path = folder / "datapackage.json"
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        resources = doc["resources"]
        if not isinstance(resources, list):
            raise TypeError("'resources' is not a list")
    except FileNotFoundError:
        return None, f"data catalog {path} not found (run `make data`); dataset list unavailable"
    except (json.JSONDecodeError, KeyError, TypeError, UnicodeDecodeError) as exc:
        return None, f"data catalog {path} is unreadable ({exc}); dataset list unavailable"
    return resources, ""


def footer_datasets(
    resources: list[dict[str, Any]] | None, datasets: tuple[str, ...] | None
) -> tuple[dict[str, Any], ...]:
    """The catalog entries (trimmed to what the footer shows) of the datasets a report uses."""
    if resources is None:
        return ()
    chosen = [r for r in resources if datasets is None or r.get("name") in datasets]
    return tuple(
        {
            **{k: r.get(k) for k in FOOTER_KEYS},
            "sources": [{k: s.get(k) for k in SOURCE_KEYS} for s in r.get("sources") or []],
        }
        for r in chosen
    )


def display_path(path: Path) -> str:
    """A path relative to the project (or cwd) when possible, for messages."""
    for base in (PROJECT_ROOT, Path.cwd()):
        try:
            return path.relative_to(base).as_posix()
        except ValueError:
            continue
    return str(path)


def with_cli_options(variant: Variant, opts: BuildOptions) -> Variant:
    """Apply command-line timeouts and code visibility over reports.yaml's."""
    from dataclasses import replace

    changes: dict[str, Any] = {}
    if opts.cell_timeout is not None:
        changes["cell_timeout"] = opts.cell_timeout
    if opts.start_timeout is not None:
        changes["start_timeout"] = opts.start_timeout
    if opts.show_code is not None:
        changes["show_code"] = opts.show_code
    return replace(variant, **changes) if changes else variant


def prepare(opts: BuildOptions) -> tuple[list[Variant], list[Resolved], list[dict] | None, str]:
    """Load the config and validate every selected variant's parameters (no kernel).

    Raises:
        KzAnalysisError: config, selection or parameter problems, all of them in one message.
    """
    from kzanalysis.publish.executors import make_executor

    make_executor(opts.executor, workers=1, scheduler=opts.scheduler)  # options check only
    variants = load_variants(opts.config)
    if opts.overrides and not opts.names:
        raise UsageError(
            "-p overrides need the variant(s) to apply to, e.g. "
            "`kzanalysis build trade-KAZ -p start_year=2005`"
        )
    selected = [with_cli_options(v, opts) for v in select(variants, opts.names)]
    resources, note = load_resources(data_dir())
    resolved, errors = [], []
    for variant in selected:
        try:
            resolved.append(resolve(variant, opts.overrides, resources))
        except ParameterError as exc:
            errors.append(str(exc))
    if errors:
        raise ParameterError("\n".join(errors))
    return variants, resolved, resources, note


def plan_variant(
    item: Resolved, resources: list[dict] | None, lock_digest: str, reports: Path, force: bool
) -> tuple[dict[str, Any], list[str]]:
    """Return the variant's fingerprint and why it must be built (empty: up to date)."""
    v = item.variant
    record = load_state(reports, v.name)
    keys = F.input_keys(resources, item.datasets, recorded_reads(record))
    fp = F.fingerprint(
        nb=item.notebook_json,
        parameters=item.parameters,
        inputs=F.input_digests(keys, resources, data_dir()),
        lock=lock_digest,
        report={"title": v.title, "show_code": v.show_code},
    )
    if force:
        return fp, ["--force"]
    reasons = F.changes((record or {}).get("fingerprint"), fp)
    if record and record.get("status") != "ok":
        reasons = [r for r in reasons if r != "first build"] + ["previous build failed"]
    elif not reasons and not report_path(reports, v.name).is_file():
        reasons.append("report missing")
    return fp, reasons


def recorded_reads(record: dict[str, Any] | None) -> list[str]:
    """The inputs the last good build of a variant recorded reading (none before one)."""
    reads = (record or {}).get("reads")
    return [str(k) for k in reads] if isinstance(reads, list) else []


def make_job(item: Resolved, reports: Path, meta_common: dict[str, Any]) -> Job:
    """The picklable job of a variant."""
    from kzanalysis.publish.switcher import siblings

    v = item.variant
    meta = ReportMeta(
        name=v.name,
        title=v.title,
        notebook=display_path(v.notebook),
        parameters=item.parameters,
        datasets=footer_datasets(meta_common["resources"], item.datasets),
        built_at=meta_common["built_at"],
        commit=meta_common["commit"],
        catalog_note=meta_common["note"],
        extra={"siblings": siblings(v, reports, meta_common.get("building", ()))},
    )
    return Job(
        name=v.name,
        notebook=str(v.notebook),
        parameters=item.parameters,
        executed=str(executed_path(reports, v.name)),
        log=str(log_path(reports, v.name)),
        report=str(report_path(reports, v.name)),
        error_page=str(error_path(reports, v.name)),
        cell_timeout=v.cell_timeout,
        start_timeout=v.start_timeout,
        show_code=v.show_code,
        meta=meta,
        max_report_mb=max_report_mb(v),
    )


def max_report_mb(variant: Variant) -> float:
    """The variant's report size cap in MB (``max_report_mb`` in reports.yaml, default 5)."""
    value = getattr(variant, "max_report_mb", None)
    ok = isinstance(value, int | float) and not isinstance(value, bool) and value > 0
    return float(value) if ok else DEFAULT_MAX_REPORT_MB


def run_jobs(jobs: list[Job], workers: int, on_start: Callable[[Job], None]) -> Any:
    """Yield each job's Outcome as it finishes, on local workers (in-process when one)."""
    from kzanalysis.publish.executors import LocalExecutor

    yield from LocalExecutor(workers).run(jobs, on_start)


def longest_first(jobs: list[Job], reports: Path) -> list[Job]:
    """Jobs ordered by their last recorded build time, longest first (never built: first).

    Handing out long jobs first keeps every worker busy until the end of the build
    (a short job, not a long one, is what runs last).
    """

    def last_duration(job: Job) -> float:
        record = load_state(reports, job.name) or {}
        value = record.get("duration_s")
        return float(value) if isinstance(value, int | float) and value > 0 else float("inf")

    return sorted(jobs, key=last_duration, reverse=True)


def record_for(
    item: Resolved,
    fp: dict,
    outcome: Outcome,
    old: dict | None,
    built_at: str,
    commit: str,
    editions: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The new state record of a variant after a build attempt.

    ``editions`` (the data editions the report was built on) are kept with a good build;
    a failed attempt keeps those of the last good report, which is what stays published.
    """
    v = item.variant
    base = {
        "name": v.name,
        "title": v.title,
        "notebook": display_path(v.notebook),
        "parameters": item.parameters,
        "built_at": built_at,
        "commit": commit,
        "duration_s": round(outcome.duration_s, 2),
    }
    if outcome.ok:
        # what the kernel read, with the digests it saw, joins the planned inputs: the next
        # plan compares exactly these (a change made during the build rebuilds next time)
        inputs = {**fp.get("inputs", {}), **(outcome.reads or {})}
        return {
            **base,
            "status": "ok",
            "fingerprint": {**fp, "inputs": inputs},
            "reads": sorted(outcome.reads or {}),
            "stages_s": dict(outcome.stages or {}),  # where the time went (kzanalysis.timings)
            "good_built_at": built_at,
            "error": None,
            "data_editions": list(editions or []),
        }
    old = old or {}
    return {
        **base,
        "status": "failed",
        "kind": outcome.kind,
        "error": outcome.message,
        "fingerprint": old.get("fingerprint"),  # of the last good build, if any
        "reads": old.get("reads"),
        "good_built_at": old.get("good_built_at"),
        "data_editions": old.get("data_editions") or [],
    }


def result_line(name: str, reasons: list[str], outcome: Outcome, reports: Path) -> str:
    """``name: built (why: …)`` or ``name: failed (…)``."""
    if outcome.ok:
        where = display_path(report_path(reports, name))
        return f"{name}: built (why: {', '.join(reasons)}) in {outcome.duration_s:.1f} s → {where}"
    kept = (
        "last good report kept (stale)"
        if report_path(reports, name).is_file()
        else "no earlier report"
    )
    where = display_path(error_path(reports, name))
    return f"{name}: failed ({outcome.message}) → {where}; {kept}"


class BuildInterrupted(Exception):
    """A signal arrived while the build waited for the lock (nothing had started)."""


@dataclass
class StopState:
    """The stop signal received (if any), and whether the handler may raise right now."""

    signals: list[int] = field(default_factory=list)
    raise_now: bool = False

    @property
    def name(self) -> str | None:
        """``SIGINT`` or ``SIGTERM`` once one arrived."""
        return signal.Signals(self.signals[0]).name if self.signals else None


@contextlib.contextmanager
def stop_on_signals() -> Iterator[StopState]:
    """SIGINT and SIGTERM stop the build instead of killing it (main thread only).

    The handler sets :data:`~kzanalysis.publish.execute.STOP` (jobs end, see
    :mod:`kzanalysis.publish.executors`) and ends the kernels of a job running in this
    process; while ``raise_now`` (waiting for the lock) it raises :class:`BuildInterrupted`.
    """
    from kzanalysis.publish.executors import stop_in_process_job

    state = StopState()
    E.STOP.clear()
    if threading.current_thread() is not threading.main_thread():
        yield state
        return

    def handler(signum: int, frame: Any) -> None:
        if not state.signals:
            state.signals.append(signum)
        E.STOP.set()
        stop_in_process_job()
        if state.raise_now:
            state.raise_now = False
            raise BuildInterrupted()

    previous = {sig: signal.signal(sig, handler) for sig in EXIT_SIGNAL}
    try:
        yield state
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
        E.STOP.clear()


def index_entries(variants: list[Variant], opts: BuildOptions) -> list[tuple[str, str]]:
    """``(name, title)`` of the index: the main config's variants (reports.yaml + registry),
    then those only in ``--config FILE``; a side file's title wins for a shared name."""
    own = [(v.name, v.title) for v in variants]
    if opts.config is None:
        return own
    try:
        main = load_variants()
    except KzAnalysisError:  # the main config is broken: the side file's variants only
        return own
    titles = dict(own)
    entries = [(v.name, titles.pop(v.name, v.title)) for v in main]
    return entries + [(name, title) for name, title in own if name in titles]


def warm_ledger(reports: Path, log: Any) -> None:
    """Evaluate the claims ledger once for the current data state before the kernels start,
    so every report reads it from the cache (:mod:`kzanalysis.claims.cache`) instead of
    evaluating it again. A failing metric is only logged here: the reports that show it
    fail with its message, and the others are built."""
    from kzanalysis.claims import cache as ledger_cache

    try:
        ledger_cache.ledger_state(reports=reports)
    except Exception as exc:  # the notebooks report it where it matters
        log(f"warning: the claims ledger could not be evaluated ahead ({exc})")


def build(opts: BuildOptions) -> BuildResult:
    """Run a build; never raises for a failing notebook or a full disk (see :class:`BuildResult`).

    A SIGINT or SIGTERM stops it (see the module doc): exit code 130 or 143.

    Raises:
        KzAnalysisError: usage, config and parameter errors (exit code 2), lock timeouts.
    """
    result = BuildResult(EXIT_OK, started_at=now_text())
    roots, files = plan_inputs(opts)
    before = noop.snapshot(roots, files) if stampable(opts) else None
    variants, resolved, resources, note = prepare(opts)
    reports = reports_dir()
    lock_digest = F.file_digest(PROJECT_ROOT / "requirements.lock")
    progress = make_progress(0, opts.plain, opts.log_file)
    with stop_on_signals() as stop:
        try:
            with writes_to(reports, result):
                stop.raise_now = True
                with build_lock(reports, opts.lock_timeout, progress.log):
                    stop.raise_now = False
                    noop.forget(reports)  # the tree changes from here on
                    G.remove_stale_backups()  # of builds killed with SIGKILL
                    sockets.remove_stale_socket_dirs()  # of their kernels
                    todo: list[tuple[Resolved, dict, list[str]]] = []
                    for item in resolved:
                        fp, reasons = plan_variant(
                            item, resources, lock_digest, reports, opts.force
                        )
                        name = item.variant.name
                        result.variants[name] = summary_entry(item, reports, resources)
                        if reasons:
                            todo.append((item, fp, reasons))
                            result.variants[name]["reasons"] = reasons
                        else:
                            line = up_to_date_line(name)
                            result.up_to_date.append(name)
                            result.lines[name] = line
                            progress.log(line)
                    if todo:
                        if note:
                            progress.log(f"warning: {note}")
                        run_todo(todo, reports, resources, note, opts, result, stop)
                    write_index(reports, index_entries(variants, opts), opts.max_data_age_days)
                    if before is not None and not stop.signals:
                        inputs = (roots, files, before)
                        stamp_noop(reports, resolved, resources, lock_digest, inputs, result)
            result.stopped_by = stop.name
            with contextlib.suppress(OSError):  # the log file may be on the full disk too
                progress.log(final_line(result, reports))
        except BuildInterrupted:  # while waiting for the lock: nothing was started
            result.stopped_by = stop.name
            with contextlib.suppress(OSError):
                progress.log(f"interrupted ({stop.name}) while waiting for the lock: nothing built")
        finally:
            stop.raise_now = False
            progress.close()
    if stop.signals:
        result.stopped_by = stop.name
        result.exit_code = EXIT_SIGNAL[signal.Signals(stop.signals[0])]
    else:
        result.exit_code = EXIT_FAILED if result.failed or result.error else EXIT_OK
    result.finished_at = now_text()
    return result


def up_to_date_line(name: str) -> str:
    """A variant's line when nothing it depends on changed."""
    return f"{name}: up to date"


def stampable(opts: BuildOptions) -> bool:
    """Whether a build plans every variant with the defaults, as a bare ``kzanalysis build``
    does (only such a build writes the no-op stamp, :mod:`kzanalysis.publish.noop`);
    ``--force`` may be given: the fresh plan after it checks that all is up to date."""
    return (
        not opts.names
        and opts.show_code is None
        and not opts.overrides
        and opts.cell_timeout is None
        and opts.start_timeout is None
        and opts.config is None
        and opts.log_file is None
        and opts.max_data_age_days == DEFAULT_MAX_DATA_AGE_DAYS
        and opts.executor == "local"
    )


def plan_inputs(opts: BuildOptions) -> tuple[list[Path], list[Path]]:
    """The folders and files a plan reads: the package, notebooks and data folders; the
    variants file, chapter registry and lock file (the variants' notebooks are added when
    the stamp is written)."""
    from kzanalysis.chapters import registry_path
    from kzanalysis.publish.variants import config_path

    roots = [F.PACKAGE_DIR, notebooks_dir(), data_dir()]
    files = [opts.config or config_path(), registry_path(), PROJECT_ROOT / "requirements.lock"]
    return roots, [p.resolve() for p in files]


def stamp_noop(
    reports: Path,
    resolved: list[Resolved],
    resources: list[dict] | None,
    lock_digest: str,
    inputs: tuple[list[Path], list[Path], noop.Snapshot],
    result: BuildResult,
) -> None:
    """Write the no-op stamp if no input changed since the plan and (after building) a
    fresh plan finds every variant up to date (:mod:`kzanalysis.publish.noop`).

    ``inputs``: :func:`plan_inputs`' folders and files, and their snapshot before the plan.
    """
    if result.failed or result.error or result.warnings:
        return
    ins, files, before = inputs
    notebooks = [Path(item.variant.notebook).resolve() for item in resolved]
    if any(not any(nb.is_relative_to(root) for root in ins) for nb in notebooks):
        return  # a notebook outside the folders snapshotted before the plan
    if noop.snapshot(ins, files) != before:
        return
    if result.built and any(
        plan_variant(item, resources, lock_digest, reports, False)[1] for item in resolved
    ):
        return
    names = [item.variant.name for item in resolved]
    lines = [up_to_date_line(n) for n in names]
    lines.append(final_line(BuildResult(EXIT_OK, up_to_date=names), reports))
    stamp = noop.make_stamp(
        roots=[*ins, reports],
        files=[*files, *notebooks],
        locks=[reports / LOCK_NAME, data_lock_path()],
        lines=lines,
    )
    noop.write(reports, stamp)


def final_line(result: BuildResult, reports: Path) -> str:
    """The last line of a build: counts and the index, the error, or what an interrupt left."""
    if result.error:
        return f"error: {result.error}"
    counts = (
        f"{len(result.built)} built, {len(result.up_to_date)} up to date, "
        f"{len(result.failed) - len(result.interrupted)} failed"
    )
    where = display_path(reports / "index.html")
    if result.stopped_by or result.interrupted:
        n = len(result.interrupted)
        return (
            f"interrupted ({result.stopped_by or 'stopped'}): {n} variant{'s' if n != 1 else ''} "
            f"not built; last good reports kept ({counts}; index: {where})"
        )
    return f"{counts}; index: {where}"


def cannot_write(reports: Path, exc: OSError) -> str:
    """The one-line message for a reports folder (or another file) that cannot be written."""
    where = f"{display_path(reports)}/"
    if exc.filename and reports.absolute() not in Path(exc.filename).absolute().parents:
        where = display_path(Path(exc.filename))  # e.g. the guard's backups in the temp folder
    return f"cannot write to {where}: {exc.strerror or exc}; free space or fix permissions"


@contextlib.contextmanager
def writes_to(reports: Path, result: BuildResult) -> Iterator[None]:
    """Turn an OSError of the block (a full disk, a read-only folder) into ``result.error``.

    Writes are atomic (:func:`~kzanalysis.publish.store.atomic_write_text`), so what was
    published before the error stays whole; the next build with space recovers.
    """
    try:
        yield
    except OSError as exc:
        result.error = result.error or cannot_write(reports, exc)


def summary_entry(item: Resolved, reports: Path, resources: list[dict] | None) -> dict[str, Any]:
    """A variant's summary entry before it is built: up to date, with its last record's data."""
    v = item.variant
    record = load_state(reports, v.name) or {}
    return {
        "name": v.name,
        "title": v.title,
        "notebook": display_path(v.notebook),
        "parameters": item.parameters,
        "status": "up_to_date",
        "reasons": [],
        "duration_s": 0.0,
        "built_at": record.get("good_built_at"),
        "report": display_path(report_path(reports, v.name)),
        "error": None,
        "data_editions": record.get("data_editions")
        or variant_editions(footer_datasets(resources, item.datasets)),
    }


def job_outputs(job: Job, reports: Path) -> tuple[Path, ...]:
    """The files a job may write: report, error page, executed notebook, log, state record."""
    return (
        Path(job.report),
        Path(job.error_page),
        Path(job.executed),
        Path(job.log),
        state_dir(reports) / f"{job.name}.json",
    )


@dataclass(frozen=True)
class Suspicion:
    """Changes outside the outputs, found at ``seen`` (wall clock) while ``active`` ran."""

    changes: tuple[G.Change, ...]
    active: tuple[str, ...]
    seen: float


def outside_outcome(outcome: Outcome, suspicions: list[Suspicion], base: Path) -> Outcome | None:
    """The failure of a job suspected of writing outside its outputs, or None if cleared.

    Every job handed out and not finished when the changes were found is a suspect;
    one whose worker started it only after that (``outcome.started_at``) is cleared.
    """
    found = [s for s in suspicions if not outcome.started_at or outcome.started_at <= s.seen]
    if not found:
        return None
    changes = [c for s in found for c in s.changes]
    others = sorted({n for s in found for n in s.active} - {outcome.name})
    who = f" (it or one of the variants running at the time: {', '.join(others)})" if others else ""
    message = f"wrote outside its output folder{who}: {G.describe(changes, base)}"
    if not outcome.ok:
        message += f"; the notebook also failed: {outcome.message}"
    return replace(outcome, kind="outside", message=message)


def run_todo(
    todo: list[tuple[Resolved, dict, list[str]]],
    reports: Path,
    resources: list[dict] | None,
    note: str,
    opts: BuildOptions,
    result: BuildResult,
    stop: StopState | None = None,
) -> None:
    """Execute the variants that need it, updating state as each one finishes.

    A write guard over ``reports/`` and ``data/`` is checked after every outcome: the
    changes outside the running jobs' outputs are undone and fail those jobs (their
    last good report is put back, with an error page and a stale banner), and a
    warning line names them. When the build stops, the jobs without an outcome are
    recorded as interrupted after their workers ended and the guard undid their writes.
    """
    from kzanalysis.publish import warm
    from kzanalysis.publish.executors import make_executor

    built_at, commit = now_text(), git_commit()
    common = {"resources": resources, "note": note, "built_at": built_at, "commit": commit}
    common["building"] = tuple(item.variant.name for item, _, _ in todo)  # header switcher
    by_name = {item.variant.name: (item, fp, reasons) for item, fp, reasons in todo}
    jobs = longest_first([make_job(item, reports, common) for item, _, _ in todo], reports)
    job_of = {job.name: job for job in jobs}
    workers = max(1, min(opts.jobs or os.cpu_count() or 1, len(jobs)))
    executor = make_executor(opts.executor, workers=workers, scheduler=opts.scheduler)
    ignored = [reports / LOCK_NAME] + ([Path(opts.log_file).absolute()] if opts.log_file else [])
    stamp = built_at.removesuffix(" UTC").replace(" ", "T").replace(":", "")  # 2026-12-07T071502
    guard: G.Guard | None = None
    active: dict[str, Job] = {}
    suspects: dict[str, list[Suspicion]] = {}
    done: set[str] = set()
    progress = make_progress(len(jobs), opts.plain, opts.log_file)

    def starter(job: Job) -> None:
        active[job.name] = job
        progress.start(job.name, ", ".join(by_name[job.name][2]))

    def warn(changes: list[G.Change], when: str, names: list[str]) -> None:
        what = G.describe(changes, reports.parent)
        line = f"warning: the write guard undid changes {when}: {what}"
        progress.log(line)
        result.warnings.append(line)
        for name in names:
            result.variants[name].setdefault("warnings", []).append(line)

    def before() -> None:
        """The ledger, then the guard's baseline (the ledger's file is the build's own)."""
        nonlocal guard
        warm_ledger(reports, progress.log)
        keep = state_dir(reports) / "undone" / stamp
        guard = G.take([reports, data_dir()], ignored, keep_dir=keep)

    # a build whose notebooks import only the standard library gets light warm servers
    with warm.preload_for(job.notebook for job in jobs):
        try:
            for outcome in executor.run(jobs, starter, before):
                assert guard is not None  # taken by before(), which every executor calls first
                if outcome.kind == "interrupted":  # stopped while it ran: recorded below
                    continue
                allowed = [p for j in active.values() for p in job_outputs(j, reports)]
                changes = G.check(guard, allowed)
                if changes:
                    found = Suspicion(tuple(changes), tuple(sorted(active)), time.time())
                    for name in active:
                        suspects.setdefault(name, []).append(found)
                    warn(changes, f"made while {', '.join(sorted(active))} ran", sorted(active))
                active.pop(outcome.name, None)
                job = job_of[outcome.name]
                tainted = outside_outcome(outcome, suspects.pop(outcome.name, []), reports.parent)
                if tainted is not None:
                    G.restore(guard, Path(job.report))  # its last good report, or none
                    outcome = E._write_failure(job, tainted)
                record_outcome(outcome, by_name, reports, resources, built_at, commit, result)
                done.add(outcome.name)
                progress.done(outcome.name, result.lines[outcome.name])
                G.refresh(guard, job_outputs(job, reports))
            assert guard is not None
            unfinished = [job for job in jobs if job.name not in done]
            # what the stopped jobs' kernels and workers left behind is undone, but their
            # executed notebooks and logs are kept (what they did until the stop)
            keep = [p for job in unfinished for p in (Path(job.executed), Path(job.log))]
            late = G.check(guard, keep)
            if late:
                when = (
                    "after the build was stopped" if unfinished else "after the variants finished"
                )
                warn(late, when, [job.name for job in jobs])
            for job in unfinished:
                record_interrupted(job, by_name, reports, built_at, commit, result, stop)
        finally:
            if guard is not None:
                G.close(guard)
            progress.close()


def record_interrupted(
    job: Job,
    by_name: dict[str, tuple[Resolved, dict, list[str]]],
    reports: Path,
    built_at: str,
    commit: str,
    result: BuildResult,
    stop: StopState | None,
) -> None:
    """Record a variant the stopped build did not build: state (kind ``interrupted``, last good
    build kept), an error page saying so; its last good report stays exactly as it was."""
    from kzanalysis.publish import html

    item, fp, _ = by_name[job.name]
    why = f"by {stop.name}" if stop is not None and stop.name else "(the build stopped)"
    outcome = Outcome(job.name, "interrupted", f"interrupted {why} before it was built", 0.0)
    old = load_state(reports, job.name)
    record = record_for(item, fp, outcome, old, built_at, commit)
    report = Path(job.report)
    last_good = report.name if report.is_file() else None
    log = os.path.relpath(job.log, report.parent)
    with writes_to(reports, result):
        save_state(reports, job.name, record)
        atomic_write_text(
            Path(job.error_page), html.render_error_page(job.meta, outcome, last_good, log)
        )
    kept = "last good report kept" if last_good else "no earlier report"
    result.lines[job.name] = f"{job.name}: interrupted (not built; {kept})"
    result.failed.append(job.name)
    result.interrupted.append(job.name)
    result.variants[job.name].update(
        status="failed",
        duration_s=0.0,
        built_at=record["good_built_at"],
        attempted_at=built_at,
        data_editions=record["data_editions"],
        error={
            "kind": "interrupted",
            "message": outcome.message,
            "error_page": display_path(error_path(reports, job.name)),
        },
    )


def record_outcome(
    outcome: Outcome,
    by_name: dict[str, tuple[Resolved, dict, list[str]]],
    reports: Path,
    resources: list[dict] | None,
    built_at: str,
    commit: str,
    result: BuildResult,
) -> None:
    """Save a finished job's state record; put its result line and entry in ``result``.

    A record that cannot be written (full disk) sets ``result.error``; the old one stays.
    """
    item, fp, reasons = by_name[outcome.name]
    old = load_state(reports, outcome.name)
    editions = variant_editions(footer_datasets(resources, item.datasets))
    record = record_for(item, fp, outcome, old, built_at, commit, editions)
    with writes_to(reports, result):
        save_state(reports, outcome.name, record)
    line = result_line(outcome.name, reasons, outcome, reports)
    (result.built if outcome.ok else result.failed).append(outcome.name)
    result.lines[outcome.name] = line
    result.variants[outcome.name].update(
        status="built" if outcome.ok else "failed",
        duration_s=round(outcome.duration_s, 2),
        built_at=record["good_built_at"],
        attempted_at=built_at,
        data_editions=record["data_editions"],
        error=None
        if outcome.ok
        else {
            "kind": outcome.kind,
            "message": outcome.message,
            "error_page": display_path(error_path(reports, outcome.name)),
        },
    )
