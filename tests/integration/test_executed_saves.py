"""The executed notebook is saved a few times per report, not at every cell's start and end.

papermill's own engine serialises and validates the whole notebook about twice per code
cell; :class:`kzanalysis.publish.execute` saves at the start, at most every
``SAVE_EVERY_S`` seconds while cells run, and always at the end, also when a cell fails
or times out, so ``reports/.build/executed`` still shows how far a job got. Each test runs
a notebook through :func:`~kzanalysis.publish.execute.run_notebook`, the build's own
call, with papermill's writer counted.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from kzanalysis.publish import execute
from kzanalysis.publish.execute import Job, run_notebook
from tests.integration.cell_jobs import cell_job

pytestmark = pytest.mark.integration


def job(tmp_path: Path, cells: list[str], cell_timeout: int = 60) -> Job:
    """A job for a notebook of ``cells`` (code), executed into ``tmp_path/out``."""
    return cell_job(tmp_path, cells, cell_timeout, name="saves-KAZ")


@pytest.fixture
def writes(monkeypatch) -> list[int]:
    """Count papermill's writes of the executed notebook (code cells started at each)."""
    import papermill.engines as engines

    seen: list[int] = []
    real = engines.write_ipynb

    def counting(nb, path):
        seen.append(sum(1 for c in nb.cells if c.metadata.get("papermill", {}).get("start_time")))
        return real(nb, path)

    monkeypatch.setattr(engines, "write_ipynb", counting)
    return seen


def started(path: str) -> list[int]:
    """Execution counts of the saved notebook's cells that papermill started."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    return [
        i
        for i, c in enumerate(nb["cells"], 1)
        if c.get("metadata", {}).get("papermill", {}).get("start_time")
    ]


def test_twelve_quick_cells_are_saved_at_the_start_and_the_end_only(tmp_path, writes):
    run_notebook(job(tmp_path, [f"x{i} = {i}" for i in range(12)]))
    # papermill's engine would write 2 + 2 × 12 = 26 times; here: start, then the end
    assert writes == [0, 12], writes
    assert started(str(tmp_path / "out" / "saves.ipynb")) == list(range(1, 13))


def test_a_long_run_is_saved_while_it_runs(tmp_path, writes, monkeypatch):
    monkeypatch.setattr(execute, "SAVE_EVERY_S", 0.2)
    run_notebook(job(tmp_path, ["import time"] + ["time.sleep(0.15)"] * 6))
    assert writes[0] == 0 and writes[-1] == 7, writes
    assert 3 <= len(writes) < 2 + 2 * 7, f"saves in between expected, not every cell: {writes}"


def test_a_timed_out_cell_is_on_disk_as_the_last_started(tmp_path, writes):
    from nbclient.exceptions import CellTimeoutError

    the_job = job(tmp_path, ["a = 1", "b = 2", "import time; time.sleep(30)", "c = 3"], 2)
    with pytest.raises(CellTimeoutError):
        run_notebook(the_job)
    assert started(the_job.executed) == [1, 2, 3]
    outcome = execute.classify(CellTimeoutError("timed out"), the_job, 2.0)
    assert outcome.kind == "timeout" and outcome.cell == 3, outcome
    assert "time.sleep(30)" in outcome.cell_source, outcome


@pytest.mark.parametrize("warm_kernels", ["1", "0"], ids=["warm", "normal"])
def test_build_kernels_keep_no_history_and_are_gone_when_the_run_returns(
    tmp_path, monkeypatch, warm_kernels
):
    """Build kernels skip IPython's history database (parallel kernels all wrote to one
    SQLite file) and are stopped at once, without the graceful shutdown's polling; the
    reports' reads and timings are written during the cells, so nothing is lost."""
    from kzanalysis.publish import warm

    monkeypatch.setenv(warm.ENV_SWITCH, warm_kernels)
    cells = ["import os; pid = os.getpid()", "get_ipython().history_manager.enabled", "pid"]
    nb = run_notebook(job(tmp_path, cells))
    assert nb.cells[1].outputs[0]["data"]["text/plain"] == "False"
    pid = int(nb.cells[2].outputs[0]["data"]["text/plain"])
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_a_forked_kernel_starts_with_the_kernel_side_modules_and_a_frozen_heap(
    tmp_path, monkeypatch
):
    """The warm server imports what every report's kernel imported after the fork
    (the debugger support, pandas' Styler, the SVG backend …) and freezes its heap, so a
    kernel's garbage collections skip the shared objects (no copy-on-write of them)."""
    import gc

    from kzanalysis.publish import warm

    monkeypatch.setenv(warm.ENV_SWITCH, "1")
    if not warm.enabled():
        pytest.skip("warm kernels need os.fork and AF_UNIX fd passing")
    assert warm.prestart(wait=warm.READY_TIMEOUT_S)  # so this kernel is forked
    probe = (
        "import gc, sys\n"
        "names = ('pandas', 'ipykernel.debugger', 'pandas.io.formats.style',\n"
        "         'matplotlib.backends.backend_svg')\n"
        "print(sorted(n for n in names if n not in sys.modules), gc.get_freeze_count() > 10_000)"
    )
    nb = run_notebook(job(tmp_path, [probe]))
    assert nb.cells[0].outputs[0]["text"].strip() == "[] True"
    assert gc.get_freeze_count() == 0  # this process (the build's worker) is not frozen


def test_build_managers_hand_out_the_ready_client_and_poll_briefly():
    """Builds' kernel managers (warm and normal) give the client whose readiness check
    does not idle on IOPub, and wait for a stopped kernel in short steps."""
    import inspect

    from kzanalysis.publish import kernels, warm

    for manager in (kernels.IpcKernelManager, warm.WarmKernelManager):
        km = manager(kernel_name="python3")
        assert km.client_factory is kernels.ReadyKernelClient
        assert km.client().wait_for_ready.__func__ is kernels.ReadyKernelClient._ready
        default = inspect.signature(km._async_wait).parameters["pollinterval"].default
        assert default == kernels.WAIT_POLL_S < 0.1


def test_ready_client_reports_a_kernel_that_never_answers(tmp_path):
    """A kernel that dies before answering ``kernel_info`` is reported as jupyter_client
    reports it (the build's classification reads that message)."""
    import asyncio

    from kzanalysis.publish import kernels

    async def main() -> str:
        km = kernels.IpcKernelManager(kernel_name="python3")
        await km.start_kernel()
        kc = km.client()
        kc.start_channels()
        await km.shutdown_kernel(now=True)
        try:
            await kc.wait_for_ready(timeout=5)
        except RuntimeError as exc:
            return str(exc)
        finally:
            kc.stop_channels()
        return "ready"

    assert asyncio.run(main()) == "Kernel died before replying to kernel_info"


def test_off_for_one_kernel_only_when_one_kernel_and_no_explicit_choice(monkeypatch):
    from kzanalysis.publish import warm

    monkeypatch.delenv(warm.ENV_SWITCH, raising=False)
    with warm.off_for_one_kernel(1):
        assert not warm.enabled()
    assert warm.ENV_SWITCH not in os.environ
    with warm.off_for_one_kernel(2):
        assert warm.ENV_SWITCH not in os.environ
    monkeypatch.setenv(warm.ENV_SWITCH, "1")  # the user's explicit choice is kept
    with warm.off_for_one_kernel(1):
        assert os.environ[warm.ENV_SWITCH] == "1"


def test_a_build_of_one_report_starts_no_server(tmp_path, monkeypatch):
    """In-process builds (one worker): a single report's kernel starts normally, and no
    server is started beside it (it would import and load everything again for nothing)."""
    from kzanalysis.publish import warm
    from kzanalysis.publish.executors import LocalExecutor

    monkeypatch.delenv(warm.ENV_SWITCH, raising=False)
    if not warm.enabled():
        pytest.skip("warm kernels need os.fork and AF_UNIX fd passing")
    warm.stop_server()
    the_job = job(tmp_path, ["import os; print(os.getppid())"])
    outcomes = list(LocalExecutor(workers=1).run([the_job], lambda j: None))
    assert [o.kind for o in outcomes] == ["ok"], outcomes
    nb = json.loads(Path(the_job.executed).read_text(encoding="utf-8"))
    assert "".join(nb["cells"][0]["outputs"][0]["text"]).strip() == str(os.getpid())  # no fork
    assert not warm._SERVER, "a server was started for a single kernel"
    assert warm.enabled()  # the switch is back as it was
