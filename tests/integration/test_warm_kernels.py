"""Warm kernels (``kzanalysis.publish.warm``): forked kernels behave like fresh ones.

Each test runs small notebooks through ``papermill.execute_notebook`` twice where it
matters, once with the warm kernel manager and once with a normal kernel, and
checks the same outputs or the same exception. Notebooks print ``os.getppid()``
where the test must know the kernel really was forked from the server (a silent
fallback to normal kernels would otherwise pass).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import stat
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import nbformat
import pytest

from kzanalysis.publish import warm
from kzanalysis.publish.execute import kernel_config
from kzanalysis.publish.kernels import IpcKernelManager
from kzanalysis.publish.sockets import SOCKET_DIR_PREFIX, remove_stale_socket_dirs

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not warm.enabled({}), reason="os.fork / AF_UNIX fd passing unavailable"),
]

PROJECT_DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture(autouse=True, scope="module")
def _warm_on_then_stop_server():
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(warm.ENV_SWITCH, "1")  # even if the caller's environment turned it off
        # these notebooks import only the standard library, as a build would see; the
        # tests of the preloaded tables and library code ask for the full server
        mp.setenv(warm.ENV_PRELOAD, "kernel")
        yield
    warm.stop_server()


def notebook(path: Path, *cells: str, parameters: str = "") -> Path:
    """Write a notebook: an optional ``parameters`` cell, then ``cells``."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    if parameters:
        nb.cells.append(nbformat.v4.new_code_cell(parameters, metadata={"tags": ["parameters"]}))
    nb.cells.extend(nbformat.v4.new_code_cell(src) for src in cells)
    nbformat.write(nb, path)
    return path


def execute(nb: Path, *, warm_kernel: bool, timeout: int = 60, **parameters: Any) -> Any:
    """Run ``nb`` with papermill as ``build.execute.run_notebook`` does."""
    import papermill as pm

    extra = warm.engine_kwargs() if warm_kernel else {"kernel_manager_class": IpcKernelManager}
    if warm_kernel:
        assert extra, "warm kernels are disabled in this environment"
        assert warm.prestart(wait=warm.READY_TIMEOUT_S)  # so this kernel is forked
    return pm.execute_notebook(
        str(nb),
        str(nb.with_suffix(f".{'warm' if warm_kernel else 'normal'}.out.ipynb")),
        parameters=parameters,
        kernel_name="python3",
        cwd=str(nb.parent),
        progress_bar=False,
        log_output=False,
        start_timeout=60,
        execution_timeout=timeout,
        config=kernel_config(),
        **extra,
    )


def failure(nb: Path, *, warm_kernel: bool, **kw: Any) -> BaseException:
    """The exception running ``nb`` raises."""
    with pytest.raises(Exception) as info:
        execute(nb, warm_kernel=warm_kernel, **kw)
    return info.value


def outputs(executed: Any) -> list[list[dict[str, Any]]]:
    """Each code cell's outputs without execution counts."""
    return [
        [{k: v for k, v in out.items() if k != "execution_count"} for out in cell.outputs]
        for cell in executed.cells
        if cell.cell_type == "code"
    ]


def stream_text(executed: Any, source: str = "print") -> str:
    """Printed text of the first code cell whose source contains ``source``."""
    cell = next(c for c in executed.cells if c.cell_type == "code" and source in c.source)
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")


def server_pid() -> int:
    """Pid of this process's fork server."""
    assert warm._SERVER, "no warm-kernel server is running"
    return warm._SERVER[0].proc.pid


def test_switch_and_fallback_rules(monkeypatch):
    monkeypatch.setenv(warm.ENV_SWITCH, "0")
    assert warm.engine_kwargs() == {"kernel_manager_class": IpcKernelManager}
    monkeypatch.setenv(warm.ENV_SWITCH, "1")
    assert warm.engine_kwargs() == {"kernel_manager_class": warm.WarmKernelManager}
    py = os.path.abspath(sys.executable)
    launch = [py, "-Xfrozen_modules=off", "-m", "ipykernel_launcher", "-f", "conn.json"]
    assert warm._kernel_args(launch) == (["-Xfrozen_modules=off"], ["-f", "conn.json"])
    assert warm._kernel_args(["/usr/bin/python3", "-m", "ipykernel_launcher", "-f", "c"]) in (
        None,
        ([], ["-f", "c"]),  # only if /usr/bin/python3 is this interpreter
    )
    assert warm._kernel_args([py, "-m", "other_kernel", "-f", "c"]) is None


def test_same_outputs_as_a_normal_kernel_and_really_forked(tmp_path, monkeypatch):
    monkeypatch.setenv(warm.ENV_PRELOAD, "full")  # as a build of this notebook would get
    nb = notebook(
        tmp_path / "same.ipynb",
        "import numpy as np\nimport pandas as pd\n"
        "df = pd.DataFrame({'x': np.arange(n), 'y': np.arange(n) ** 2})\ndf",
        "import matplotlib.pyplot as plt\nfig, ax = plt.subplots(figsize=(3, 2))\n"
        "ax.plot(df['x'], df['y'])\nax.set_title('squares')",
        "import os, sys\nprint(os.getcwd())\n"
        "print(sys.path.count(''), 'matplotlib' in sys.modules)",
        "import statsmodels.api as sm\nround(float(sm.OLS(df['y'], sm.add_constant(df['x']))"
        ".fit().params['x']), 6)",
        parameters="n = 3",
    )
    got = execute(nb, warm_kernel=True, n=5)
    want = execute(nb, warm_kernel=False, n=5)
    assert outputs(got) == outputs(want)
    kinds = {k for cell in outputs(got) for o in cell for k in o.get("data", {})}
    assert {"text/html", "image/png", "text/plain"} <= kinds  # a table and a figure came out
    assert stream_text(got, "getcwd").splitlines()[0] == str(tmp_path)

    probe = notebook(tmp_path / "probe.ipynb", "import os\nprint(os.getppid())")
    assert int(stream_text(execute(probe, warm_kernel=True))) == server_pid()
    assert int(stream_text(execute(probe, warm_kernel=False))) == os.getpid()


def test_user_namespaces_are_not_shared_between_kernels(tmp_path):
    first = notebook(
        tmp_path / "first.ipynb",
        "import os, pandas\nsecret = 42\npandas.options.display.max_rows = 3\nprint(os.getppid())",
    )
    second = notebook(
        tmp_path / "second.ipynb",
        "import os, pandas\ntry:\n    secret\nexcept NameError:\n    print('undefined')\n"
        "print(pandas.options.display.max_rows)\nprint(os.getppid())",
    )
    a = execute(first, warm_kernel=True)
    b = execute(second, warm_kernel=True)
    lines = stream_text(b).splitlines()
    assert lines[0] == "undefined"
    assert lines[1] == "60"  # module state changed by the first kernel did not leak
    assert stream_text(a).strip() == lines[2] == str(server_pid())  # same server


def test_raising_cell_same_error_as_a_normal_kernel(tmp_path):
    from papermill.exceptions import PapermillExecutionError

    nb = notebook(
        tmp_path / "fail.ipynb", "print('before')", "10 / divisor", parameters="divisor = 1"
    )
    got = failure(nb, warm_kernel=True, divisor=0)
    want = failure(nb, warm_kernel=False, divisor=0)
    assert isinstance(got, PapermillExecutionError) and isinstance(want, PapermillExecutionError)
    assert (got.ename, got.evalue, got.exec_count) == (want.ename, want.evalue, want.exec_count)


@pytest.mark.parametrize(
    "code", ["import os\nos._exit(3)", "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)"]
)
def test_kernel_that_dies_is_reported_dead(tmp_path, code):
    from nbclient.exceptions import DeadKernelError

    nb = notebook(tmp_path / "die.ipynb", "x = 1", code, "print('not reached')")
    got = failure(nb, warm_kernel=True)
    want = failure(nb, warm_kernel=False)
    assert type(got) is type(want)
    assert isinstance(got, DeadKernelError)


def test_hanging_cell_times_out_like_a_normal_kernel(tmp_path):
    from nbclient.exceptions import CellTimeoutError

    nb = notebook(tmp_path / "hang.ipynb", "import time\ntime.sleep(600)")
    got = failure(nb, warm_kernel=True, timeout=1)
    want = failure(nb, warm_kernel=False, timeout=1)
    assert type(got) is type(want)
    assert isinstance(got, CellTimeoutError)


def test_interrupt_reaches_the_forked_kernel(tmp_path):
    """A cell catching KeyboardInterrupt after the timeout's interrupt keeps the kernel."""
    from nbclient.exceptions import CellTimeoutError

    nb = notebook(
        tmp_path / "interrupt.ipynb",
        "import time\ntry:\n    time.sleep(600)\n"
        "except KeyboardInterrupt:\n    print('interrupted')",
    )
    with pytest.raises(CellTimeoutError):
        execute(nb, warm_kernel=True, timeout=3)
    executed = nbformat.read(nb.with_suffix(".warm.out.ipynb"), as_version=4)
    assert "interrupted" in stream_text(executed)


def _children_of(pid: int) -> dict[int, str]:
    """{child pid: state letter} of ``pid``'s children, from /proc."""
    out = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out[int(entry.name)] = fields[0]
    return out


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:  # it went between the two looks
        return True


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc")
def test_no_zombies_or_leftover_processes_after_stop(tmp_path):
    from nbclient.exceptions import CellTimeoutError

    nb = notebook(
        tmp_path / "pids.ipynb",
        "import os, subprocess\nchild = subprocess.Popen(['sleep', '600'])\n"
        "print(os.getpid(), child.pid)",
    )
    kernels = []
    for _ in range(2):
        kernels.append([int(x) for x in stream_text(execute(nb, warm_kernel=True)).split()])
    handle = warm._SERVER[0]
    server = handle.proc.pid
    assert not [p for p, s in _children_of(server).items() if s == "Z"]  # reaped as they end
    hanging = notebook(tmp_path / "still.ipynb", "import time\ntime.sleep(600)")
    with pytest.raises(CellTimeoutError):
        execute(hanging, warm_kernel=True, timeout=2)  # interrupted, then shut down
    warm.stop_server()
    assert handle.proc.returncode is not None  # the server was waited for
    assert not handle.dir.exists()  # its socket folder is gone
    for kernel, _sleeper in kernels:
        assert _gone(kernel)
    assert not [p for p, s in _children_of(os.getpid()).items() if s == "Z"]
    assert not _children_of(server)
    for _kernel, sleeper in kernels:  # a kernel's own subprocess dies with its group at shutdown
        deadline = time.monotonic() + 30
        while not _gone(sleeper) and time.monotonic() < deadline:
            time.sleep(0.1)
        if not _gone(sleeper):
            os.kill(sleeper, signal.SIGKILL)
            pytest.fail(f"process {sleeper} started by a warm kernel outlived the build")


def test_an_owner_that_never_waited_stops_a_listening_server_gracefully():
    """The build owns its server but never waits for it (its workers do). Stopping it must
    still ask it to stop, so it ends its kernels' process groups; killing it left a
    subprocess started by a cell alive after a stopped build."""
    handle = warm.ServerHandle(dict(os.environ), [], preload=False, warm=False)
    killed: list[bool] = []
    real_kill = handle.proc.kill
    try:
        deadline = time.monotonic() + 60
        while not Path(handle.socket).exists() and time.monotonic() < deadline:
            time.sleep(0.05)  # listening, and this handle has not looked
        assert Path(handle.socket).exists()
        handle.proc.kill = lambda: (killed.append(True), real_kill())  # type: ignore[method-assign]
        handle.stop()
        assert killed == []  # asked to stop, not killed
        assert handle.proc.returncode == 0
    finally:
        if handle.proc.poll() is None:
            real_kill()
            handle.proc.wait()
        shutil.rmtree(handle.dir, ignore_errors=True)


def test_socket_is_private_to_the_user(tmp_path):
    execute(notebook(tmp_path / "any.ipynb", "1"), warm_kernel=True)  # a server is running
    handle = warm._SERVER[0]
    assert stat.S_IMODE(os.stat(handle.dir).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(handle.socket).st_mode) == 0o600
    if os.getuid() != 0:
        return
    # as root: another user cannot reach it, and the server's own uid check refuses them
    # even if the file modes are opened up.
    assert _connect_as_nobody(handle.socket) == "PermissionError"
    os.chmod(handle.dir, 0o711)
    os.chmod(handle.socket, 0o666)
    try:
        assert _connect_as_nobody(handle.socket) == "refused"
    finally:
        os.chmod(handle.socket, 0o600)
        os.chmod(handle.dir, 0o700)
    assert handle.alive()
    assert not [p for p in _children_of(handle.proc.pid)]  # nothing was forked for them


def _connect_as_nobody(path: str) -> str:
    """In a forked child running as uid 65534, ask the server for a kernel; say what happened."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        result = "?"
        try:
            os.setgid(65534)
            os.setuid(65534)
            conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            conn.settimeout(10)
            conn.connect(path)
            request = {"args": ["-f", "/tmp/x.json"], "cwd": "/", "env": {}}
            warm._send_msg(conn, request, [0, 1, 2])
            result = "answered" if conn.recv(4096) else "refused"
        except PermissionError:
            result = "PermissionError"
        except (BrokenPipeError, ConnectionResetError):
            result = "refused"
        except Exception as exc:  # reported to the parent
            result = f"{type(exc).__name__}: {exc}"
        finally:
            os.write(write_end, result.encode())
            os._exit(0)
    os.close(write_end)
    os.waitpid(pid, 0)
    with os.fdopen(read_end, "rb") as fh:
        return fh.read().decode()


def test_changed_data_file_is_never_served_from_the_preloaded_cache(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(PROJECT_DATA, data)
    monkeypatch.setenv("KZANALYSIS_DATA_DIR", str(data))
    monkeypatch.setenv(warm.ENV_DATA, "1")
    monkeypatch.setenv(warm.ENV_PRELOAD, "full")
    warm.stop_server()  # the next server preloads this copy
    load = (
        "from kzanalysis import datasets\n"
        "hits = datasets._load_cached.cache_info().hits\n"
        "try:\n    rows = len(datasets.load('brent_annual'))\n"
        "except Exception as exc:\n    rows = type(exc).__name__\n"
        "print(datasets._load_cached.cache_info().hits > hits, rows)"
    )
    nb = notebook(tmp_path / "load.ipynb", load)
    hit, rows = stream_text(execute(nb, warm_kernel=True)).split()
    assert hit == "True" and int(rows) > 0  # served from the preloaded cache
    csv = data / "brent_annual.csv"
    csv.write_text(csv.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # sha256 changes
    hit, error = stream_text(execute(nb, warm_kernel=True)).split()
    assert hit == "False"  # cache dropped in the kernel
    assert error == "DataIntegrityError"  # the real check ran against the changed file
    assert json.loads((data / "datapackage.json").read_text())["resources"]


def test_changed_library_code_restarts_the_server(tmp_path, monkeypatch):
    src = tmp_path / "src"
    shutil.copytree(PROJECT_DATA.parent / "src", src, ignore=shutil.ignore_patterns("__pycache__"))
    plotting = src / "kzanalysis" / "plotting.py"
    original = plotting.read_text(encoding="utf-8")
    plotting.write_text(original + "\nWARM_TEST_MARKER = 1\n", encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", str(src))  # kernels (and their server) import the copy
    monkeypatch.setenv(warm.ENV_PRELOAD, "full")  # the server imports kzanalysis.plotting
    nb = notebook(
        tmp_path / "marker.ipynb",
        "import os\nimport kzanalysis.plotting as p\nprint(p.WARM_TEST_MARKER, os.getppid())",
    )
    marker, parent = stream_text(execute(nb, warm_kernel=True)).split()
    assert marker == "1" and int(parent) == server_pid()
    plotting.write_text(original + "\nWARM_TEST_MARKER = 2\n", encoding="utf-8")
    marker, parent2 = stream_text(execute(nb, warm_kernel=True)).split()
    assert marker == "2"  # the stale server refused: a normal kernel, the new code
    assert int(parent2) == os.getpid()
    marker, parent3 = stream_text(execute(nb, warm_kernel=True)).split()
    assert marker == "2"  # forked from a new server that imported the new code
    assert int(parent3) == server_pid() != int(parent)


OWNER = """
import asyncio, os, sys, time
from kzanalysis.publish import warm

async def main():
    assert warm.prestart(wait=120)
    km = warm.WarmKernelManager(kernel_name="python3")
    await km.start_kernel()
    server = warm._SERVER[0]
    print(server.proc.pid, km.provisioner.pid, server.dir, flush=True)
    time.sleep(600)

asyncio.run(main())
"""


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc")
def test_server_and_kernels_go_when_their_owner_is_killed(tmp_path):
    import subprocess

    owner = subprocess.Popen(
        [sys.executable, "-c", OWNER], stdout=subprocess.PIPE, text=True, cwd=tmp_path
    )
    try:
        server, kernel, folder = owner.stdout.readline().split()
        assert not _gone(int(server)) and not _gone(int(kernel))
    finally:
        owner.kill()  # SIGKILL: no atexit, no cleanup in the owner
        owner.wait()
    deadline = time.monotonic() + 60  # the server polls its parent every second
    while time.monotonic() < deadline and not (_gone(int(server)) and _gone(int(kernel))):
        time.sleep(0.2)
    assert _gone(int(server)) and _gone(int(kernel))
    while time.monotonic() < deadline and Path(folder).exists():
        time.sleep(0.2)
    assert not Path(folder).exists()
    # its kernel's socket folder stays (nobody was left to remove it) until the next
    # build's sweep of folders whose process is gone
    remove_stale_socket_dirs()
    assert not list(Path(tempfile.gettempdir()).glob(f"{SOCKET_DIR_PREFIX}{owner.pid}-*"))


def test_first_kernel_does_not_wait_for_a_starting_server(tmp_path):
    warm.stop_server()
    probe = notebook(tmp_path / "probe.ipynb", "import os\nprint(os.getppid())")
    import papermill as pm

    executed = pm.execute_notebook(
        str(probe),
        str(tmp_path / "out.ipynb"),
        kernel_name="python3",
        progress_bar=False,
        config=kernel_config(),
        **warm.engine_kwargs(),
    )
    assert int(stream_text(executed)) == os.getpid()  # launched normally meanwhile
    assert warm._SERVER  # … and the server is on its way for the next kernels
    assert int(stream_text(execute(probe, warm_kernel=True))) == server_pid()


@pytest.mark.parametrize("switch", ["1", "0"])
def test_build_run_notebook_uses_warm_kernels_unless_switched_off(tmp_path, monkeypatch, switch):
    """The build's own execution path (``execute.run_notebook``) is wired to the switch."""
    from kzanalysis.publish.execute import Job, run_notebook
    from kzanalysis.publish.html import ReportMeta

    monkeypatch.setenv(warm.ENV_SWITCH, switch)
    if switch == "1":
        assert warm.prestart(wait=warm.READY_TIMEOUT_S)
    probe = notebook(tmp_path / "probe.ipynb", "import os\nprint(os.getppid())")
    job = Job(
        name="probe-KAZ",
        notebook=str(probe),
        parameters={},
        executed=str(tmp_path / "out" / "probe.ipynb"),
        log=str(tmp_path / "probe.log"),
        report=str(tmp_path / "probe.html"),
        error_page=str(tmp_path / "probe.error.html"),
        cell_timeout=60,
        start_timeout=60,
        show_code=False,
        meta=ReportMeta("probe-KAZ", "probe", "probe.ipynb", {}, "now", "none"),
    )
    parent = int(stream_text(run_notebook(job)))
    assert parent == (server_pid() if switch == "1" else os.getpid())


def test_build_worker_starts_its_server_before_its_first_job(monkeypatch, capsys):
    from kzanalysis.publish import executors

    warm.stop_server()
    executors.start_worker()  # blocks until ready, so the first kernel is forked
    assert warm._SERVER and warm._SERVER[0].ready(0)

    warm.stop_server()
    monkeypatch.setenv(warm.ENV_SWITCH, "0")
    executors.start_worker()
    assert not warm._SERVER  # switched off: no server

    def broken(**_: Any) -> bool:
        raise warm.WarmKernelError("server exited while starting: boom")

    monkeypatch.setattr(warm, "prestart", broken)
    executors.start_worker()  # never raises: the worker falls back to normal kernels
    assert "warm kernels unavailable in this worker: server exited" in capsys.readouterr().err


PROBE = (
    "import os, sys\n"
    'parent = open(f"/proc/{os.getppid()}/cmdline", "rb").read()\n'
    'print("forked", b"kzanalysis.publish.warm" in parent, "pandas", "pandas" in sys.modules)'
)


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc")
def test_a_build_of_stdlib_only_notebooks_gets_a_kernel_only_server(tmp_path, monkeypatch):
    """The build picks the server from its notebooks' imports: only the standard library
    → a server without the libraries (kernels forked, pandas not loaded); one notebook
    importing pandas → the full server (pandas loaded before the first cell)."""
    from tests.integration.test_build import build, make_project, write_config

    warm.stop_server()
    assert warm.prestart(wait=warm.READY_TIMEOUT_S)  # a kernel-only server, ready: a build
    monkeypatch.delenv(warm.ENV_PRELOAD)  # that asks for the same forks every kernel from it
    variants = [{"name": f"light-{c}", "notebook": "light.ipynb"} for c in ("KAZ", "UZB")]
    root = make_project(tmp_path / "proj", variants)
    notebook(root / "notebooks" / "light.ipynb", PROBE)
    notebook(root / "notebooks" / "heavy.ipynb", PROBE, "import pandas")

    def probes() -> set[str]:
        """What the forked kernels saw ("pandas True/False"). A build that asked for
        another server than the one made ready would start it anew, and run its first
        kernels normally meanwhile (not counted)."""
        pages = [p.read_text() for p in (root / "reports").glob("*-*.html")]
        found = {m for page in pages for m in re.findall(r"forked True (pandas \w+)", page)}
        assert found, "no kernel was forked"
        return found

    code, out = build(root, "--jobs", "1")  # in this process: one server, then forks
    assert code == 0, out
    assert probes() == {"pandas False"}
    assert warm.ENV_PRELOAD not in os.environ  # set only while the build ran

    variants.append({"name": "heavy-KAZ", "notebook": "heavy.ipynb"})
    write_config(root, variants)
    assert warm.prestart(wait=warm.READY_TIMEOUT_S)  # the full server (the default), ready
    code, out = build(root, "--jobs", "1", "--force")
    assert code == 0, out
    assert probes() == {"pandas True"}  # preloaded before the first cell, for every kernel


COUNTRIES = ("KAZ", "KGZ", "TJK", "UZB")

SERVER_PROBE = (
    "import os\n"
    'stat = open(f"/proc/{os.getppid()}/stat").read().rsplit(")", 1)[1].split()\n'
    'print("server", os.getppid(), "owner", stat[1])'
)


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc")
def test_a_parallel_build_forks_every_kernel_from_one_server_it_owns(tmp_path):
    """Two workers, four reports: every kernel is forked from the same server, started by
    the build process itself (not one per worker), and the server is gone afterwards."""
    from tests.integration.test_build import build, make_project

    warm.stop_server()
    variants = [{"name": f"probe-{c}", "notebook": "probe.ipynb"} for c in COUNTRIES]
    root = make_project(tmp_path / "proj", variants)
    notebook(root / "notebooks" / "probe.ipynb", SERVER_PROBE)
    code, out = build(root, "--jobs", "2")  # in this process: the build's pid is ours
    assert code == 0, out
    pages = [(root / "reports" / f"{v['name']}.html").read_text() for v in variants]
    found = {m for page in pages for m in re.findall(r"server (\d+) owner (\d+)", page)}
    assert len(found) == 1, found  # one server for the four kernels
    ((server, owner),) = found
    assert int(owner) == os.getpid()  # the build's own server
    assert _gone(int(server))  # stopped with the build
    assert warm.ENV_SHARED not in os.environ and not warm._SERVER


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc")
def test_a_shared_server_that_fails_to_start_means_normal_kernels_without_waiting(
    tmp_path, monkeypatch, capfd
):
    """The build's server exits while starting (here: a module it must refuse to fork
    with); the workers see it, say why and start normal kernels at once instead of
    waiting for it (``WARM_START_WAIT_S``)."""
    from kzanalysis.publish.executors import WARM_START_WAIT_S
    from tests.integration.test_build import build, make_project

    warm.stop_server()
    monkeypatch.setattr(warm, "KERNEL_MODULES", ("matplotlib_inline.backend_inline",))
    variants = [{"name": f"probe-{c}", "notebook": "probe.ipynb"} for c in COUNTRIES]
    root = make_project(tmp_path / "proj", variants)
    notebook(root / "notebooks" / "probe.ipynb", PROBE)
    started = time.monotonic()
    code, out = build(root, "--jobs", "2")
    seconds = time.monotonic() - started
    assert code == 0, out
    pages = [(root / "reports" / f"{v['name']}.html").read_text() for v in variants]
    assert all("forked False" in page for page in pages)  # normal kernels, all built
    said = capfd.readouterr().err + out
    assert "warm-kernel server (pid" in said and "exited while starting" in said, said
    assert seconds < WARM_START_WAIT_S, seconds  # nobody waited for the dead server
    assert not warm._SERVER and warm.ENV_SHARED not in os.environ
