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
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from kzanalysis.errors import KzAnalysisError
from kzanalysis.publish.execute import Job, Outcome

EXECUTORS = ("local", "dask")
#: Seconds to wait for a dask scheduler to answer before giving up.
CONNECT_TIMEOUT_S = 20


class ExecutorError(KzAnalysisError):
    """The executor cannot be used (bad choice of options, scheduler unreachable)."""


class Executor(Protocol):
    """Runs build jobs; yields each job's outcome as it finishes."""

    def run(self, jobs: list[Job], on_start: Callable[[Job], None]) -> Iterator[Outcome]:
        """Run ``jobs``; call ``on_start(job)`` when a job is handed out."""
        ...


@dataclass(frozen=True)
class LocalExecutor:
    """Worker processes on this machine (spawned; in this process when ``workers`` is 1)."""

    workers: int = 1

    def run(self, jobs: list[Job], on_start: Callable[[Job], None]) -> Iterator[Outcome]:
        """Run jobs in a spawned process pool; yield outcomes as they finish."""
        from kzanalysis.publish import execute  # looked up at call time (tests patch it)

        if self.workers <= 1:
            for job in jobs:
                on_start(job)
                yield execute.build_job(job)
            return
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, as_completed

        ctx = multiprocessing.get_context("spawn")
        # Workers that will run several jobs start their warm-kernel server first (see
        # start_worker); with one job each, the server would only cost time.
        init = start_worker if len(jobs) > self.workers else None
        with ProcessPoolExecutor(
            max_workers=self.workers, mp_context=ctx, initializer=init
        ) as pool:
            futures = {}
            for job in jobs:
                on_start(job)
                futures[pool.submit(execute.build_job, job)] = job
            for future in as_completed(futures):
                job = futures[future]
                try:
                    yield future.result()
                except Exception as exc:  # the worker process itself died
                    yield Outcome(job.name, "internal", f"worker process failed: {exc!r}", 0.0)


#: Longest a worker waits for its warm-kernel server before its first job.
WARM_START_WAIT_S = 30.0


def start_worker() -> None:
    """Pool initializer: start this worker's warm-kernel server and wait until it is ready.

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


@dataclass(frozen=True)
class DaskExecutor:
    """Jobs as tasks on a dask.distributed cluster reached at ``scheduler``.

    ``scheduler`` is a scheduler address (``tcp://host:8786``, or the ``inproc://``
    address of an in-process ``LocalCluster``).
    """

    scheduler: str
    connect_timeout_s: float = CONNECT_TIMEOUT_S

    def run(self, jobs: list[Job], on_start: Callable[[Job], None]) -> Iterator[Outcome]:
        """Submit every job to the cluster; yield outcomes as tasks finish."""
        from distributed import Client, as_completed

        try:
            client = Client(self.scheduler, timeout=self.connect_timeout_s, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise ExecutorError(
                f"cannot reach the dask scheduler at {self.scheduler!r} ({exc}); start one "
                "(`dask scheduler`, then `dask worker ADDRESS` on each machine) or fix "
                "--scheduler"
            ) from None
        try:
            futures = {}
            for job in jobs:
                on_start(job)
                future = client.submit(run_job_in_subprocess, job, key=f"kzbuild-{job.name}")
                futures[future] = job
            for future in as_completed(list(futures), loop=client.loop):
                job = futures[future]
                try:
                    yield future.result()
                except Exception as exc:  # the task itself failed (worker lost, …)
                    yield Outcome(
                        job.name, "internal", f"dask task failed on the cluster: {exc!r}", 0.0
                    )
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
