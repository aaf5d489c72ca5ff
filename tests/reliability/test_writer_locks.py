"""Every writer of ``reports/`` and ``data/`` takes the one project lock (issue 18).

Before, ``kzanalysis index`` or ``kzanalysis data curate`` run during a build wrote
under the build's write guard: the index failed three variants ("wrote outside its
output folder: reports/index.html"), and the new curated tables were silently put
back to the old ones. Now they wait for the build (saying for whom), then do their
work, and the build fails nothing; with ``--lock-timeout 0`` they exit at once with
one line naming the holder.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kzanalysis.cli import app
from kzanalysis.publish import lock as L
from tests.reliability.project import (
    FAULT,
    KZANALYSIS,
    line_of,
    make_project,
    project_env,
    start_build,
    state,
)

pytestmark = pytest.mark.integration

SLOW = [
    {"name": "slow-KAZ", "notebook": "fault.ipynb", "parameters": {"mode": "hang", "seconds": 6}},
]


def end_group(proc: subprocess.Popen[str]) -> None:
    """Stop what a test started (the process group, its kernel included)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


def wait_for(path: Path, proc: subprocess.Popen[str], limit: float = 90) -> None:
    deadline = time.monotonic() + limit
    while not path.exists():
        assert proc.poll() is None, proc.communicate()[0]
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.1)


def one_line(output: str) -> str:
    lines = output.strip().splitlines()
    assert len(lines) == 1, output
    return lines[0]


def test_index_and_curate_during_a_build_wait_then_succeed_and_fail_nothing(
    tmp_path, fake_domain, fake_raw, monkeypatch, tally
):
    root = make_project(tmp_path / "proj", {"fault.ipynb": FAULT}, SLOW)
    for key, value in project_env(root).items():
        monkeypatch.setenv(key, value)
    reports = root / "reports"
    build = start_build(root, "--jobs", "1")
    index = None
    try:
        wait_for(reports / ".build" / "executed" / "slow-KAZ.ipynb", build)  # its job runs
        assert "`kzanalysis build`" in L.holder(reports) and f"pid {build.pid}" in L.holder(reports)
        index = subprocess.Popen(  # a second writer, in its own process
            [str(KZANALYSIS), "index", "--lock-timeout", "120"],
            env={**os.environ, **project_env(root)},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        curated = CliRunner().invoke(  # a third, in this process (the fake data domain)
            app, ["data", "curate", "--raw", str(fake_raw), "--lock-timeout", "120"]
        )
        out, _ = build.communicate(timeout=120)
        index_out, _ = index.communicate(timeout=120)
    finally:
        end_group(build)
        if index is not None and index.poll() is None:
            index.kill()
    assert build.returncode == 0, out
    assert line_of(out, "slow-KAZ").startswith("slow-KAZ: built"), out
    assert "wrote outside" not in out and state(root, "slow-KAZ")["status"] == "ok"
    # the curation waited for the build, then wrote data/, and nothing undid it
    assert curated.exit_code == 0, curated.output
    assert f"waiting up to 120 s for `kzanalysis build` (pid {build.pid}" in curated.output
    catalog = json.loads((root / "data" / "datapackage.json").read_text())
    assert [r["name"] for r in catalog["resources"]] == ["fake_exports"]
    assert (root / "data" / "fake_exports.csv").is_file()
    # the index waited too (for the build, perhaps also for the curation), then was written
    assert index.returncode == 0, index_out
    assert "waiting up to 120 s for `kzanalysis" in index_out
    assert "slow-KAZ" in (reports / "index.html").read_text()
    assert not (reports / ".build" / L.HOLDER_NAME).exists()  # released: no stale holder note
    tally("concurrent writers serialised", 2)


@pytest.fixture
def busy(tmp_path, monkeypatch):
    """A small project whose lock is held (by this process, as a build would)."""
    root = make_project(tmp_path / "proj", {"fault.ipynb": FAULT}, SLOW)
    for key, value in project_env(root).items():
        monkeypatch.setenv(key, value)
    with L.build_lock(root / "reports", timeout=0):
        yield root


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["index"], 1),
        (["refresh", "fault"], 1),
        (["data", "curate", "--raw", "RAW"], 1),
        (["build", "--plain"], 1),
        (["update", "--raw", "RAW", "--no-build", "--raw-work", "WORK"], 2),
    ],
    ids=["index", "refresh", "data-curate", "build", "update"],
)
def test_zero_lock_timeout_exits_at_once_with_one_line(busy, fake_raw, args, code, tally):
    args = [str(fake_raw) if a == "RAW" else str(busy / ".raw") if a == "WORK" else a for a in args]
    notebook = (busy / "notebooks" / "fault.ipynb").read_bytes()
    data = {p.name: p.read_bytes() for p in (busy / "data").iterdir()}
    started = time.monotonic()
    result = CliRunner().invoke(app, [*args, "--lock-timeout", "0"])
    assert time.monotonic() - started < 10
    assert result.exit_code == code, result.output
    line = one_line(result.output)
    assert line.startswith("error: another build is running on "), line
    assert f"`kzanalysis build` (pid {os.getpid()}" in line and "--lock-timeout" in line
    assert (busy / "notebooks" / "fault.ipynb").read_bytes() == notebook
    assert {p.name: p.read_bytes() for p in (busy / "data").iterdir()} == data
    assert not (busy / "reports" / "index.html").exists()
    tally("busy-lock refusals", 1)


def test_curate_outside_the_project_needs_no_lock(busy, fake_domain, fake_raw, tmp_path):
    out = tmp_path / "elsewhere"
    result = CliRunner().invoke(
        app, ["data", "curate", "--raw", str(fake_raw), "--out", str(out), "--lock-timeout", "0"]
    )
    assert result.exit_code == 0, result.output
    assert (out / "fake_exports.csv").is_file()
    inside = busy / "data" / "sub"  # inside data/: the project lock is needed
    result = CliRunner().invoke(
        app, ["data", "curate", "--raw", str(fake_raw), "--out", str(inside), "--lock-timeout", "0"]
    )
    assert result.exit_code == 1 and "another build is running" in result.output


def test_waiting_names_the_holder_and_a_timeout_says_how_long(tmp_path, monkeypatch):
    monkeypatch.setenv("KZANALYSIS_DATA_DIR", str(tmp_path / "data"))  # own data lock
    reports = tmp_path / "reports"
    lines: list[str] = []
    with L.project_lock(reports, 0, command="kzanalysis data curate"):
        assert L.holder(reports).startswith("`kzanalysis data curate` (pid ")
        with pytest.raises(L.ProjectBusyError) as busy, L.project_lock(reports, 0.3, lines.append):
            pass
    assert lines == [f"waiting up to 0.3 s for {lines[0].split(' for ', 1)[1]}"]
    assert "`kzanalysis data curate` (pid" in lines[0] and lines[0].endswith("to finish")
    message = str(busy.value)
    assert message.startswith("another kzanalysis command is running on ")
    assert "still runs after 0.3 s" in message and "--lock-timeout" in message
    with L.project_lock(reports, 0):  # released: free again
        pass


def test_a_lent_lock_is_taken_by_the_holders_own_build_only(tmp_path, monkeypatch):
    """``update`` lends its lock to its build (no self-deadlock); nothing else re-enters."""
    monkeypatch.setenv("KZANALYSIS_DATA_DIR", str(tmp_path / "data"))  # own data lock
    reports = tmp_path / "reports"
    with L.project_lock(reports, 0, command="kzanalysis update") as held:
        not_lent = pytest.raises(L.ProjectBusyError, match="`kzanalysis update`")
        with not_lent, L.build_lock(reports, 0):
            pass
        with held.lend("building the reports"):
            assert "building the reports" in L.holder(reports)
            with L.build_lock(reports, 0):  # granted at once
                assert "`kzanalysis update` (pid" in L.holder(reports)
        assert "building" not in L.holder(reports)
        with pytest.raises(L.ProjectBusyError), L.build_lock(reports, 0):  # the loan ended
            pass


def test_holder_note_of_an_earlier_version_is_understood(tmp_path, monkeypatch):
    monkeypatch.setenv("KZANALYSIS_DATA_DIR", str(tmp_path / "data"))  # own data lock
    reports = tmp_path / "reports"
    (reports / ".build").mkdir(parents=True)
    (reports / ".build" / L.HOLDER_NAME).write_text("pid 4242\n")
    assert L.holder(reports) == "`kzanalysis build` (pid 4242)"
    (reports / ".build" / L.HOLDER_NAME).write_text("garbage")
    assert L.holder(reports) == "an unknown process"


def test_writers_with_other_reports_folders_still_take_turns_on_data(tmp_path, monkeypatch):
    """Two reports folders, one data/: a curation waits for a build guarding data/."""
    import subprocess
    import sys

    from kzanalysis.publish.lock import ProjectBusyError, data_lock_path, project_lock

    data = tmp_path / "data"
    data.mkdir()
    env = {**os.environ, "KZANALYSIS_DATA_DIR": str(data)}
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from kzanalysis.publish.lock import project_lock\n"
            f"with project_lock(__import__('pathlib').Path({str(tmp_path / 'r1')!r}), 0):\n"
            "    print('held', flush=True); time.sleep(30)\n",
        ],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        monkeypatch.setenv("KZANALYSIS_DATA_DIR", str(data))
        with (
            pytest.raises(ProjectBusyError, match=r"another reports folder.*data"),
            project_lock(tmp_path / "r2", 0),
        ):
            pass
        assert data_lock_path(data) == tmp_path / ".kzanalysis-data.lock"
    finally:
        holder.kill()
        holder.wait()
