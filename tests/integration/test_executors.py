"""Build executors: a dask.distributed ``LocalCluster`` runs the variants; option checks.

The cluster is in-process (``processes=False``), two single-threaded workers; each
dask task runs its job in a fresh Python process with its own kernel. The fixture
notebooks are the small ones of ``tests/fixtures/notebooks``.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from kzanalysis.publish.execute import Job, Outcome
from kzanalysis.publish.executors import (
    DaskExecutor,
    ExecutorError,
    LocalExecutor,
    make_executor,
)
from kzanalysis.publish.runner import longest_first
from kzanalysis.publish.store import save_state
from tests.integration.test_build import TWO_VARIANTS, build, line_of, make_project, state

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def cluster_address():
    """Scheduler address of an in-process LocalCluster with two single-thread workers."""
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        yield cluster.scheduler_address


def test_dask_executor_builds_reports_and_reports_failures(tmp_path, cluster_address):
    variants = [
        *TWO_VARIANTS,
        {"name": "fail-KAZ", "notebook": "fail.ipynb", "parameters": {"divisor": 0}},
    ]
    root = make_project(tmp_path / "proj", variants)
    code, out = build(root, "--executor", "dask", "--scheduler", cluster_address)
    assert code == 1, out  # fail-KAZ fails, the others build
    assert "built (why: first build)" in line_of(out, "ok-KAZ")
    assert "built (why: first build)" in line_of(out, "param-UZB")
    assert line_of(out, "fail-KAZ").startswith(
        "fail-KAZ: failed (ZeroDivisionError: division by zero in cell ["
    )
    assert "answer 42" in (root / "reports" / "ok-KAZ.html").read_text()
    assert "country=UZB years=2001" in (root / "reports" / "param-UZB.html").read_text()
    error_page = (root / "reports" / "fail-KAZ.error.html").read_text()
    assert "print(10 / divisor)" in error_page
    assert state(root, "ok-KAZ")["status"] == "ok"
    assert state(root, "fail-KAZ")["status"] == "failed"

    # incremental as with local workers: nothing changed for the good ones
    code, out = build(root, "--executor", "dask", "--scheduler", cluster_address)
    assert line_of(out, "ok-KAZ") == "ok-KAZ: up to date"
    assert line_of(out, "param-UZB") == "param-UZB: up to date"


def test_dask_executor_builds_labelled_variants_of_a_parameter_grid(tmp_path, cluster_address):
    from tests.integration.test_scale_build import GRID, switcher_rows

    labelled = [v for v in GRID if "-y2005-" in v["name"]]
    root = make_project(tmp_path / "proj", labelled)
    code, out = build(root, "--executor", "dask", "--scheduler", cluster_address)
    assert code == 0, out
    assert "0 failed" in out and all(f"{v['name']}: built" in out for v in labelled), out
    page = (root / "reports" / "param-y2005-KAZ.html").read_text()
    assert "country=KAZ years=2005-2020" in page
    assert switcher_rows(page)[0] == ("param (from 2005) for", ["HERE", "param-y2005-UZB"])
    assert 'id="sets-param"' in (root / "reports" / "index.html").read_text()


def test_dask_without_scheduler_and_scheduler_without_dask_are_usage_errors(tmp_path):
    root = make_project(tmp_path / "proj", TWO_VARIANTS)
    code, out = build(root, "--executor", "dask")
    assert code == 2 and "--executor dask needs --scheduler ADDRESS" in out, out
    code, out = build(root, "--scheduler", "tcp://127.0.0.1:8786")
    assert code == 2 and "only used with --executor dask" in out, out
    code, out = build(root, "--executor", "ray")
    assert code == 2 and "unknown executor 'ray'; choose one of: local, dask" in out, out
    assert not (root / "reports" / "ok-KAZ.html").exists()  # checked before any kernel


def test_unreachable_scheduler_names_the_address_and_the_fix():
    executor = DaskExecutor("tcp://127.0.0.1:9", connect_timeout_s=1)
    with pytest.raises(ExecutorError, match=r"cannot reach the dask scheduler at 'tcp://127"):
        list(executor.run([], lambda job: None))


def test_make_executor_chooses_by_name():
    assert make_executor("local", workers=3, scheduler=None) == LocalExecutor(3)
    assert make_executor("dask", workers=1, scheduler="tcp://h:1") == DaskExecutor("tcp://h:1")


def _job(name: str, folder: Path | None = None) -> Job:
    """A job of notebook ``n.ipynb``; with ``folder``, its paths are files there (none exist)."""
    from kzanalysis.publish.html import ReportMeta

    meta = ReportMeta(name, name, "n.ipynb", {}, built_at="", commit="")
    if folder is None:
        return Job(name, "n.ipynb", {}, "e", "l", "r", "x", 1, 1, False, meta)
    paths = [str(folder / f"{name}.{ext}") for ext in ("ipynb", "log", "html", "err.html")]
    return Job(name, str(folder / "n.ipynb"), {}, *paths, 5, 5, False, meta)


def test_longest_first_orders_by_last_duration_and_new_variants_first(tmp_path: Path):
    reports = tmp_path / "reports"
    for name, seconds in {"short": 2.0, "long": 30.0, "mid": 9.5}.items():
        save_state(reports, name, {"name": name, "duration_s": seconds})
    jobs = [_job(n) for n in ("short", "new", "mid", "long")]
    assert [j.name for j in longest_first(jobs, reports)] == ["new", "long", "mid", "short"]


def test_local_executor_in_process_yields_every_outcome(monkeypatch):
    import kzanalysis.publish.execute as execute

    monkeypatch.setattr(execute, "build_job", lambda job: Outcome(job.name, "ok", "built", 0.1))
    started: list[str] = []
    outcomes = list(LocalExecutor(1).run([_job("a"), _job("b")], lambda j: started.append(j.name)))
    assert started == ["a", "b"]
    assert [(o.name, o.ok) for o in outcomes] == [("a", True), ("b", True)]


def test_before_runs_first_while_the_workers_start(tmp_path: Path, monkeypatch):
    """The build's ledger (``before``) runs before any job is handed out, and meanwhile
    the workers start (light until they get a job: the warm server is the build's)."""
    import multiprocessing

    monkeypatch.setenv("KZANALYSIS_WARM_KERNELS", "0")  # the order is tested, not kernels
    started: list[str] = []
    seen: dict[str, object] = {}

    def before() -> None:
        deadline = time.monotonic() + 30
        while len(multiprocessing.active_children()) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        seen["workers"] = len(multiprocessing.active_children())
        seen["started"] = list(started)

    jobs = [_job(f"v{i}", tmp_path) for i in range(3)]
    outcomes = list(LocalExecutor(2).run(jobs, lambda j: started.append(j.name), before))
    assert seen == {"workers": 2, "started": []}
    assert started == ["v0", "v1", "v2"]
    assert sorted(o.name for o in outcomes) == ["v0", "v1", "v2"]
    # the missing notebook fails each job inside a worker; no worker died
    assert not [o for o in outcomes if "worker process failed" in o.message], outcomes


def test_before_runs_first_in_process_and_on_dask(tmp_path: Path, cluster_address):
    """Every executor calls ``before`` once, before handing out a job."""
    calls: list[str] = []
    LocalExecutor(1).run([], calls.append, lambda: calls.append("before"))
    list(LocalExecutor(1).run([], calls.append, lambda: calls.append("before")))
    list(DaskExecutor(cluster_address).run([], calls.append, lambda: calls.append("before")))
    assert calls == ["before", "before"]  # a generator: nothing runs until it is read
