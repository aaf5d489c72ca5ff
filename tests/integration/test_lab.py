"""``make lab`` starts JupyterLab on loopback with the project kernel, serving notebooks/.

The test runs the Makefile's own ``lab`` recipe (``-o`` keeps make from
reinstalling the venv), headless on a free port with a random token, polls
``/api`` until the server answers (bounded), checks the kernel specs and the
folder it serves, then stops the process group it started.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PROJECT_ROOT

pytestmark = pytest.mark.integration

VENV = Path(sys.executable).parent.parent
STAMP = VENV / ".kzanalysis-installed"
START_SECONDS = 90
JUPYTER_DIRS = {
    "JUPYTER_CONFIG_DIR": "config",
    "JUPYTER_DATA_DIR": "data",
    "JUPYTER_RUNTIME_DIR": "runtime",
    "IPYTHONDIR": "ipython",
    "MPLCONFIGDIR": "matplotlib",
}


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get_json(url: str, token: str) -> Any:
    """GET a Jupyter server API URL with the token; the parsed JSON answer."""
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())


def wait_for_api(url: str, token: str, proc: subprocess.Popen[bytes]) -> dict[str, Any]:
    """Poll ``/api`` until the server answers; fail if it exits or does not answer in time."""
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"make lab exited with code {proc.returncode} before serving {url}")
        try:
            return get_json(url, token)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    pytest.fail(f"JupyterLab did not answer on {url} within {START_SECONDS} s")


@pytest.fixture
def lab(tmp_path: Path) -> Iterator[tuple[str, str, subprocess.Popen[bytes]]]:
    """``make lab`` running headless on a free loopback port: (base URL, token, process)."""
    if not shutil.which("make"):
        pytest.skip("make is not installed")
    if not STAMP.is_file():
        pytest.skip(f"the venv was not made by the Makefile ({STAMP} missing)")
    port, token = free_port(), secrets.token_hex(16)
    env = {**os.environ, **{k: str(PROJECT_ROOT / ".jupyter" / v) for k, v in JUPYTER_DIRS.items()}}
    log = (tmp_path / "lab.log").open("wb")
    proc = subprocess.Popen(
        [
            "make",
            "-s",
            "-o",
            str(STAMP.relative_to(PROJECT_ROOT)),
            "lab",
            f"LAB_PORT={port}",
            f"LAB_ARGS=--no-browser --IdentityProvider.token={token}",
        ],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, stopped as a whole below
    )
    try:
        yield f"http://127.0.0.1:{port}", token, proc
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        log.close()


def test_make_lab_serves_notebooks_with_the_project_kernel(lab):
    base, token, proc = lab
    assert "version" in wait_for_api(f"{base}/api", token, proc)
    specs = get_json(f"{base}/api/kernelspecs", token)
    project = {
        name: spec["spec"]
        for name, spec in specs["kernelspecs"].items()
        if "kzanalysis" in spec["spec"]["display_name"]
    }
    assert project, f"no kernel named for the project in {sorted(specs['kernelspecs'])}"
    assert specs["default"] in project
    for spec in project.values():
        assert Path(spec["argv"][0]).parent == Path(sys.executable).parent  # the .venv python
    listing = get_json(f"{base}/api/contents", token)
    names = {item["name"] for item in listing["content"]}
    assert {"00_data_overview.ipynb", "00_data_overview.py", "jupytext.toml"} <= names
    with pytest.raises(urllib.error.HTTPError) as denied:  # the token is required
        get_json(f"{base}/api/kernelspecs", "wrong-token")
    assert denied.value.code == 403
