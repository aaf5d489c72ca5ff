"""A build's kernels talk over Unix sockets in a private folder, never loopback TCP ports.

With TCP, jupyter_client picks free ports, releases them and starts the kernel; another
process can take one in between and the kernel dies before replying to ``kernel_info``
(it failed a CI run once). Each test runs a notebook through
:func:`kzanalysis.publish.execute.run_notebook` — the build's own call — with warm
kernels on and off; the kernel reports its connection info, the folder of its sockets
and that folder's mode; after the run the folder must be gone.
"""

from __future__ import annotations

import asyncio
import json
import os
import tempfile
from pathlib import Path

import pytest

from kzanalysis.publish import warm
from kzanalysis.publish.execute import run_notebook
from kzanalysis.publish.kernels import IpcBlockingKernelManager, IpcKernelManager
from kzanalysis.publish.sockets import SOCKET_DIR_PREFIX
from tests.integration.cell_jobs import cell_job

pytestmark = pytest.mark.integration

PROBE = (
    "import json, os, stat\n"
    "from ipykernel import get_connection_info\n"
    "info = get_connection_info(unpack=True)\n"
    "folder = os.path.dirname(info['ip'])\n"
    "print(json.dumps({'transport': info['transport'], 'ip': info['ip'],\n"
    "                  'mode': stat.S_IMODE(os.stat(folder).st_mode),\n"
    "                  'ports': [info[k] for k in ('shell_port', 'iopub_port', 'stdin_port',\n"
    "                                              'control_port', 'hb_port')]}))"
)


@pytest.mark.parametrize("warm_kernels", ["1", "0"], ids=["warm", "normal"])
def test_build_kernels_use_private_unix_sockets(tmp_path, monkeypatch, warm_kernels):
    monkeypatch.setenv(warm.ENV_SWITCH, warm_kernels)
    if warm_kernels == "1" and not warm.enabled():
        pytest.skip("warm kernels need os.fork and AF_UNIX fd passing")
    assert issubclass(warm.engine_kwargs()["kernel_manager_class"], IpcKernelManager)
    executed = run_notebook(cell_job(tmp_path, [PROBE]))
    text = "".join(o.get("text", "") for o in executed.cells[0].outputs)
    info = json.loads(text)
    assert info["transport"] == "ipc", info
    folder = Path(info["ip"]).parent
    assert folder.parent == Path(tempfile.gettempdir()), info
    assert folder.name.startswith(SOCKET_DIR_PREFIX), info
    assert info["mode"] == 0o700, f"socket folder mode {info['mode']:o}, not 700"
    assert all(len(f"{info['ip']}-{port}") < 100 for port in info["ports"]), info
    assert not folder.exists(), f"{folder} was left behind after the kernel ended"
    if warm_kernels == "1":
        warm.stop_server()


def test_socket_paths_stay_short_whatever_the_connection_file(tmp_path):
    deep = tmp_path / ("x" * 120)
    deep.mkdir()
    km = IpcKernelManager(kernel_name="python3", connection_file=str(deep / "kernel-1.json"))
    try:
        assert km.transport == "ipc"
        assert len(km.ip) < 60, km.ip
        assert os.path.isdir(os.path.dirname(km.ip))
    finally:
        asyncio.run(km.cleanup_resources())
    assert not os.path.exists(os.path.dirname(km.ip))


def test_nbval_kernels_use_private_unix_sockets_too():
    """tests/conftest.py gives nbval (the notebooks' tests) the same kernel manager."""
    import nbval.kernel

    kernel = nbval.kernel.RunningKernel("python3")
    try:
        assert isinstance(kernel.km, IpcBlockingKernelManager)
        info = kernel.km.get_connection_info()
        assert info["transport"] == "ipc", info
        folder = Path(info["ip"]).parent
        assert folder.is_dir() and folder.name.startswith(SOCKET_DIR_PREFIX)
    finally:
        kernel.stop()
    assert not folder.exists(), f"{folder} was left behind after the kernel ended"
