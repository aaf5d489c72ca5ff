"""``store.pid_alive`` and ``store.pid_running``: a zombie exists but no longer runs."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from kzanalysis.publish.store import pid_alive, pid_running


def test_this_process_runs():
    assert pid_alive(os.getpid()) and pid_running(os.getpid())


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to tell a zombie")
def test_an_unreaped_child_exists_but_does_not_run_and_a_reaped_one_is_gone():
    child = subprocess.Popen(["true"])
    stat = Path(f"/proc/{child.pid}/stat")
    deadline = time.monotonic() + 10
    while stat.read_text().rsplit(")", 1)[1].split()[0] != "Z":  # exited, not yet waited for
        assert time.monotonic() < deadline, "the child did not exit"
        time.sleep(0.01)
    assert pid_alive(child.pid)  # the zombie still holds its pid
    assert not pid_running(child.pid)
    child.wait()
    assert not pid_alive(child.pid) and not pid_running(child.pid)
