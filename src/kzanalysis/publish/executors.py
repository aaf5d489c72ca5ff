"""Where build jobs run: local worker processes (default) or a dask.distributed cluster.

An executor takes the picklable :class:`~kzanalysis.publish.execute.Job` list of a
build and yields one :class:`~kzanalysis.publish.execute.Outcome` per job as jobs
finish, in any order. It never raises for a failing job: a job whose worker died
comes back as an ``internal`` outcome naming the worker.

* :class:`LocalExecutor` (``--executor local``, the default): ``--jobs`` spawned
  worker processes on this machine; with one worker, jobs run in this process.
* :class:`DaskExecutor` (``--executor dask --scheduler ADDRESS``): every job is a
  dask task. The task runs the job in a fresh Python process on the dask worker
  (``python -m kzanalysis.publish.executors JOBFILE OUTFILE``), because jobs redirect
  file descriptor 2 for their kernels, which threads of one worker must not share.
  Workers need this project installed in the same environment and the same paths
  (a shared filesystem): jobs carry absolute paths of notebooks and reports.

Every job starts its own kernel whatever the executor: nothing is shared between
variants.

One process tree, one fate (local executor): a worker ignores SIGINT (the build
decides), and ends its whole tree (warm-kernel server, kernels, what they started)
and exits, writing nothing more, when the build tells it to (SIGTERM) or when the
build process is gone (Linux parent-death signal, and a thread that watches the
parent). When the build stops (:data:`~kzanalysis.publish.execute.STOP`, set by its
signal handler), :meth:`LocalExecutor.run` hands out no more jobs, cancels the queued
ones, gives running workers :data:`STOP_GRACE_S` to end their trees, then kills what
is left; it yields only the outcomes that had arrived. With one worker (jobs in
this process) :func:`stop_in_process_job` ends the running job's kernel tree.
A dask build stops handing out results and cancels its tasks.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from kzanalysis.errors import KzAnalysisError
from kzanalysis.publish.execute import Job, Outcome
from kzanalysis.publish.sockets import remove_socket_dirs
from kzanalysis.publish.store import alive, kill_tree, process_tree, set_parent_death_signal

EXECUTORS = ("local", "dask")
#: Seconds to wait for a dask scheduler to answer before giving up.
CONNECT_TIMEOUT_S = 20
#: Seconds between two looks at the stop flag while waiting for outcomes.
POLL_S = 0.2
#: Seconds stopped workers get to end their kernels before the build kills what is left.
STOP_GRACE_S = 3.0
#: How often a worker checks that the build process still runs.
WATCH_INTERVAL_S = 0.25
#: Exit code of a worker ended by the build (128 + SIGTERM).
WORKER_ENDED = 143


class ExecutorError(KzAnalysisError):
    """The executor cannot be used (bad choice of options, scheduler unreachable)."""


class Executor(Protocol):
    """Runs build jobs; yields each job's outcome as it finishes."""

    def run(
        self,
        jobs: list[Job],
        on_start: Callable[[Job], None],
        before: Callable[[], None] | None = None,
    ) -> Iterator[Outcome]:
        """Run ``jobs``; call ``before()`` first, then ``on_start(job)`` as each is handed out."""
        ...


@dataclass(frozen=True)
class LocalExecutor:
    """Worker processes on this machine (spawned; in this process when ``workers`` is 1)."""

    workers: int = 1

    def run(
        self,
        jobs: list[Job],
        on_start: Callable[[Job], None],
        before: Callable[[], None] | None = None,
    ) -> Iterator[Outcome]:
        """Run jobs in a spawned process pool; yield outcomes as they finish.

        ``before()`` (the build's claims ledger) runs in this process before any job is
        handed out. Meanwhile, when workers will run several jobs each, this process
        starts the build's one warm-kernel server (:func:`kzanalysis.publish.warm.share`:
        libraries imported and tables loaded once, not once per worker) and the workers,
        which are light until they get a job; every worker forks its kernels from that
        server, which stops after the workers. (One server per worker, all started while
        ``before()`` ran, made the cold build slower on two cores: measured.)

        Stops handing out jobs once the build stops (see the module doc); the jobs
        without an outcome are the ones not built.
        """
        from kzanalysis.publish import (
            execute,  # looked up at call time (tests patch it)
            warm,
        )

        if self.workers <= 1:
            with in_process_jobs(), warm.off_for_one_kernel(len(jobs)):
                if before is not None:
                    before()
                for job in jobs:
                    if execute.STOP.is_set():
                        return
                    on_start(job)
                    yield execute.build_job(job)
            return
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        ctx = multiprocessing.get_context("spawn")
        # Workers that will run several jobs fork their kernels from one warm-kernel
        # server, started here (warm.share) while before() runs; they wait for it before
        # their first job (start_worker). With one job each, a server would only cost
        # time: none is started, and the workers start with their jobs.
        warm_start = len(jobs) > self.workers
        with contextlib.ExitStack() as stack:  # closed last to first: pool, then server
            stack.enter_context(warm.share() if warm_start else contextlib.nullcontext())
            pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=ctx,
                initializer=worker_init,
                initargs=(os.getpid(), warm_start),
            )
            stack.callback(pool.shutdown, wait=True, cancel_futures=True)
            spawn_now = self.workers if warm_start else 0
            yield from self._run_pool(pool, jobs, on_start, before, spawn_now)

    @staticmethod
    def _run_pool(
        pool: Any,
        jobs: list[Job],
        on_start: Callable[[Job], None],
        before: Callable[[], None] | None,
        spawn_now: int,
    ) -> Iterator[Outcome]:
        from concurrent.futures import FIRST_COMPLETED, wait

        from kzanalysis.publish import execute  # looked up at call time (tests patch it)

        futures: dict[Any, Job] = {}
        finished = False
        try:
            if before is not None:
                for _ in range(spawn_now):  # each submit of a no-op spawns a worker now
                    pool.submit(os.getpid)
                before()
            for job in jobs:
                if execute.STOP.is_set():
                    break
                on_start(job)
                futures[pool.submit(execute.build_job, job)] = job
            pending = set(futures)
            while pending and not execute.STOP.is_set():
                done, pending = wait(pending, timeout=POLL_S, return_when=FIRST_COMPLETED)
                for future in done:
                    yield _pool_outcome(future, futures[future])
            if pending:  # stopped: end the workers' trees; keep what had arrived
                stop_pool(pool)
                for future in pending:
                    if future.done() and not future.cancelled() and future.exception() is None:
                        yield future.result()
            finished = True
        finally:
            if not finished:  # an error here, or the consumer stopped reading
                stop_pool(pool)


def _pool_outcome(future: Any, job: Job) -> Outcome:
    try:
        return future.result()
    except Exception as exc:  # the worker process itself died
        return Outcome(job.name, "internal", f"worker process failed: {exc!r}", 0.0)


def stop_pool(pool: Any) -> None:
    """End a process pool now: queued jobs cancelled, every worker and its tree ended.

    Workers get SIGTERM (they kill their kernels and exit, writing nothing more; the
    build's shared warm server ends a kernel whose worker is gone), then
    :data:`STOP_GRACE_S`; whatever of the tree seen at the start still runs then is
    killed (SIGKILL, with the sessions and groups its members lead).
    """
    procs = list((getattr(pool, "_processes", None) or {}).values())
    pids = [p.pid for p in procs if p.pid]
    tree = process_tree(pids)
    pool.shutdown(wait=False, cancel_futures=True)
    for pid in pids:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE_S
    while alive(pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    for pid in alive([*pids, *tree]):
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    kill_tree([*pids, *tree])


#: While jobs run in this process: the processes that existed before (never ended here).
_IN_PROCESS: list[set[int]] = []


@contextlib.contextmanager
def in_process_jobs() -> Iterator[None]:
    """Mark that jobs run in this process, so :func:`stop_in_process_job` can end them."""
    _IN_PROCESS[:] = [process_tree([os.getpid()])]
    try:
        yield
    finally:
        _IN_PROCESS.clear()


def stop_in_process_job() -> set[int]:
    """End the kernels (and warm-kernel server) started by jobs running in this process.

    Called by the build's signal handler; the running job then fails fast and, the
    build stopping, comes back ``interrupted`` without writing. Returns what was killed.
    """
    if not _IN_PROCESS:
        return set()
    return kill_tree([os.getpid()], exclude=_IN_PROCESS[0])


# --------------------------------------------------------------------------- workers


_ENDING = threading.Lock()
_ENDER: list[int] = []  # the thread that ends the worker


def worker_init(parent_pid: int, warm_start: bool) -> None:
    """Pool initializer: tie this worker's fate to the build's, then start its warm server.

    SIGINT is ignored (a Ctrl-C reaches the whole process group; the build decides);
    SIGTERM, the parent-death signal and a watcher thread end the worker with
    :func:`end_worker`.
    """
    from kzanalysis.publish import execute, warm

    execute.PARENT_PID[:] = [parent_pid]
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _on_terminate)
    set_parent_death_signal(signal.SIGTERM)
    if os.getppid() != parent_pid:  # gone before the death signal was set
        end_worker()
    threading.Thread(
        target=_watch_parent, args=(parent_pid,), name="kz-watch-build", daemon=True
    ).start()
    if warm_start:
        start_worker()
    else:  # one job at most: its kernel starts normally, and no server is started for it
        os.environ.setdefault(warm.ENV_SWITCH, "0")


#: Longest a worker waits for its warm-kernel server before its first job.
WARM_START_WAIT_S = 30.0


def start_worker() -> None:
    """Start this worker's warm-kernel server and wait until it is ready.

    Without it the first job's kernel is a normal one, importing the libraries and
    loading the tables while the server does the same on the same cores; waiting
    (about 3 s, at most ``WARM_START_WAIT_S``) lets the first kernel be forked too.
    Never raises: a server that does not start only means normal kernels
    (:mod:`kzanalysis.publish.warm`).
    """
    from kzanalysis.publish import warm

    try:
        warm.prestart(wait=WARM_START_WAIT_S)
    except Exception as exc:  # any failure falls back to normal kernels
        print(f"kzanalysis: warm kernels unavailable in this worker: {exc}", file=sys.stderr)


def _on_terminate(signum: int, frame: Any) -> None:
    end_worker()


def _watch_parent(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(WATCH_INTERVAL_S)
    end_worker()


def end_worker() -> None:
    """End this worker and everything it started; returns only to a call it interrupted.

    Kills its tree (warm-kernel server, kernels and their processes), removes its
    temporary files (the job's reads file, its own server's socket folder, half-written
    atomic writes), and exits without running more of the job: nothing else is written.
    """
    from kzanalysis.publish import execute

    execute.STOP.set()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # no handler inside this one
    if not _ENDING.acquire(blocking=False):
        if _ENDER and _ENDER[0] == threading.get_ident():
            return  # a signal inside our own ending: the interrupted call goes on
        while True:  # the other thread is ending the worker: it exits the process
            time.sleep(1)
    _ENDER[:] = [threading.get_ident()]
    try:
        kill_tree([os.getpid()])
        for path in list(execute.CURRENT_ENV_FILES):
            path.unlink(missing_ok=True)
        warm = sys.modules.get("kzanalysis.publish.warm")
        for handle in getattr(warm, "_SERVER", []):
            # only a server this worker started: the build's shared server (and its socket)
            # is the build's to stop; removing its folder here made that stop fail
            if not isinstance(handle, warm.SharedServer):
                shutil.rmtree(handle.dir, ignore_errors=True)
        remove_socket_dirs()  # of this worker's kernels (their managers never clean up)
        for job in execute.CURRENT_JOB:
            for folder in {Path(job.report).parent, Path(job.error_page).parent}:
                for temp in folder.glob(f".*.{os.getpid()}.*.tmp"):
                    temp.unlink(missing_ok=True)
    finally:
        os._exit(WORKER_ENDED)


@dataclass(frozen=True)
class DaskExecutor:
    """Jobs as tasks on a dask.distributed cluster reached at ``scheduler``.

    ``scheduler`` is a scheduler address (``tcp://host:8786``, or the ``inproc://``
    address of an in-process ``LocalCluster``).
    """

    scheduler: str
    connect_timeout_s: float = CONNECT_TIMEOUT_S

    def run(
        self,
        jobs: list[Job],
        on_start: Callable[[Job], None],
        before: Callable[[], None] | None = None,
    ) -> Iterator[Outcome]:
        """Call ``before()``, submit every job to the cluster; yield outcomes as tasks finish."""
        from distributed import Client, as_completed

        try:
            client = Client(self.scheduler, timeout=self.connect_timeout_s, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise ExecutorError(
                f"cannot reach the dask scheduler at {self.scheduler!r} ({exc}); start one "
                "(`dask scheduler`, then `dask worker ADDRESS` on each machine) or fix "
                "--scheduler"
            ) from None
        from kzanalysis.publish import execute

        try:
            if before is not None:
                before()
            futures = {}
            for job in jobs:
                on_start(job)
                future = client.submit(run_job_in_subprocess, job, key=f"kzbuild-{job.name}")
                futures[future] = job
            finished = as_completed(list(futures), loop=client.loop)
            while not finished.is_empty() and not execute.STOP.is_set():
                batch = finished.next_batch(block=False)
                if not batch:
                    time.sleep(POLL_S)
                for future in batch:
                    job = futures[future]
                    try:
                        yield future.result()
                    except Exception as exc:  # the task itself failed (worker lost, …)
                        yield Outcome(
                            job.name, "internal", f"dask task failed on the cluster: {exc!r}", 0.0
                        )
            if execute.STOP.is_set():  # stopped: the tasks not finished are cancelled
                client.cancel([f for f in futures if not f.done()], force=True)
        finally:
            client.close()


def make_executor(kind: str, *, workers: int, scheduler: str | None) -> Executor:
    """The executor for ``--executor KIND`` (``local`` or ``dask``).

    Raises:
        ExecutorError: an unknown kind, ``dask`` without a scheduler address, or a
            scheduler address with the local executor.
    """
    if kind == "local":
        if scheduler:
            raise ExecutorError(
                f"--scheduler {scheduler} is only used with --executor dask; "
                "add `--executor dask` or drop --scheduler"
            )
        return LocalExecutor(workers)
    if kind == "dask":
        if not scheduler:
            raise ExecutorError(
                "--executor dask needs --scheduler ADDRESS (e.g. tcp://10.0.0.5:8786, "
                "from `dask scheduler`)"
            )
        return DaskExecutor(scheduler)
    raise ExecutorError(f"unknown executor {kind!r}; choose one of: {', '.join(EXECUTORS)}")


def run_job_in_subprocess(job: Job) -> Outcome:
    """Run :func:`~kzanalysis.publish.execute.build_job` in a fresh Python process.

    Used by dask tasks: the process owns its stderr and its kernel, so several
    tasks can run in threads of one worker. Never raises for a failing job.
    """
    with tempfile.TemporaryDirectory(prefix="kzjob-") as tmp:
        job_file, out_file = Path(tmp, "job.pickle"), Path(tmp, "outcome.pickle")
        job_file.write_bytes(pickle.dumps(job))
        proc = subprocess.run(
            [sys.executable, "-m", "kzanalysis.publish.executors", str(job_file), str(out_file)],
            capture_output=True,
            text=True,
            # One job per process: a warm-kernel fork server would be started for one
            # kernel and thrown away, so it is off here unless asked for explicitly.
            env={"KZANALYSIS_WARM_KERNELS": "0", **os.environ, "PYTHONUNBUFFERED": "1"},
            check=False,
        )
        if proc.returncode == 0 and out_file.is_file():
            return pickle.loads(out_file.read_bytes())
        tail = (proc.stderr or proc.stdout or "").strip().splitlines()[-5:]
        return Outcome(
            job.name,
            "internal",
            f"job process on dask worker exited with code {proc.returncode}: "
            + (" | ".join(tail) or "no output"),
            0.0,
        )


def _main(argv: list[str]) -> int:
    """``python -m kzanalysis.publish.executors JOBFILE OUTFILE``: run one pickled job."""
    from kzanalysis.publish.execute import build_job

    job_file, out_file = Path(argv[0]), Path(argv[1])
    job = pickle.loads(job_file.read_bytes())
    out_file.write_bytes(pickle.dumps(build_job(job)))
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
