"""Execution faults, full disks, interrupts and concurrent builds: failure stays boring.

Every fault must give a non-zero exit, an error page, the last good report kept
(marked stale) and a consistent index and state; the next build recovers. Builds
use real kernels on tiny notebooks (``project.FAULT``, ``project.ECHO``).
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.reliability.project import (
    ECHO,
    FAULT,
    assert_consistent,
    build,
    line_of,
    make_project,
    notebook,
    start_build,
    state,
    write_config,
)
from tests.reliability.project import code as code_cell

pytestmark = pytest.mark.integration

#: fault mode → (variant, what the result line says)
FAULTS = {
    "raise": ("raise-KAZ", "failed (RuntimeError: deliberate failure in cell ["),
    "exit": ("exit-KAZ", "failed (kernel died while running"),
    "hang": ("hang-KAZ", "failed (timeout: cell ["),
}


def fault_variants(modes: dict[str, str]) -> list[dict]:
    out = [{"name": "ok-KAZ", "notebook": "fault.ipynb", "parameters": {"mode": "ok"}}]
    for mode, (name, _) in FAULTS.items():
        entry = {"name": name, "notebook": "fault.ipynb", "parameters": {"mode": modes[mode]}}
        if mode == "hang":
            entry["cell_timeout"] = 3
        out.append(entry)
    return out


@pytest.fixture(scope="module")
def faulted(tmp_path_factory: pytest.TempPathFactory):
    """Build every variant good, then with its fault, keeping both outputs."""
    root = make_project(
        tmp_path_factory.mktemp("faults") / "proj",
        {"fault.ipynb": FAULT},
        fault_variants({m: "ok" for m in FAULTS}),
    )
    code, out, exc = build(root, "--jobs", "2")
    assert (code, exc) == (0, None), out
    good = {p.name: p.read_text() for p in (root / "reports").glob("*.html")}
    first = {name: state(root, name) for name, _ in FAULTS.values()}
    write_config(root, fault_variants({m: m for m in FAULTS}))
    code, out, exc = build(root, "--jobs", "2")
    return root, good, first, code, out, exc


def test_faulty_build_exits_non_zero_and_others_are_untouched(faulted, tally):
    root, good, _, code, out, exc = faulted
    assert exc is None, out
    assert code == 1, out
    assert line_of(out, "ok-KAZ") == "ok-KAZ: up to date"
    assert (root / "reports" / "ok-KAZ.html").read_text() == good["ok-KAZ.html"]
    assert_consistent(root / "reports")
    tally("execution faults survived", len(FAULTS))


@pytest.mark.parametrize("mode", list(FAULTS))
def test_fault_gives_error_page_keeps_last_good_report_and_index(faulted, mode):
    root, good, first, _, out, _ = faulted
    name, says = FAULTS[mode]
    reports = root / "reports"
    line = line_of(out, name)
    assert line.startswith(f"{name}: {says}"), line
    assert "last good report kept (stale)" in line
    error_page = (reports / f"{name}.error.html").read_text()
    assert name in error_page and f'href="{name}.html"' in error_page
    kept = (reports / f"{name}.html").read_text()
    assert "Stale report." in kept and "good output ok" in kept  # last good content
    assert kept.count("good output") == good[f"{name}.html"].count("good output")
    record = state(root, name)
    assert record["status"] == "failed"
    assert record["good_built_at"] == first[name]["good_built_at"]
    assert record["fingerprint"] == first[name]["fingerprint"]
    index = (reports / "index.html").read_text()
    assert f'href="{name}.error.html"' in index and f'href="{name}.html"' in index


def test_next_build_after_the_faults_recovers(faulted, tmp_path):
    import shutil

    root = tmp_path / "proj"
    shutil.copytree(faulted[0], root)
    write_config(root, fault_variants({m: "ok" for m in FAULTS}))
    code, out, exc = build(root, "--jobs", "2")
    assert (code, exc) == (0, None), out
    for name, _ in FAULTS.values():
        assert "previous build failed" in line_of(out, name)
        assert not (root / "reports" / f"{name}.error.html").exists()
        assert "Stale report." not in (root / "reports" / f"{name}.html").read_text()
        assert state(root, name)["status"] == "ok"
    assert_consistent(root / "reports")


def test_notebook_writing_outside_its_output_fails_and_cannot_clobber_reports(tmp_path, tally):
    root = make_project(
        tmp_path / "proj",
        {"fault.ipynb": FAULT},
        [
            {"name": "ok-KAZ", "notebook": "fault.ipynb", "parameters": {"mode": "ok"}},
            {"name": "outside-KAZ", "notebook": "fault.ipynb", "parameters": {"mode": "ok"}},
        ],
    )
    code, out, exc = build(root, "--jobs", "1")
    assert (code, exc) == (0, None), out
    good = (root / "reports" / "ok-KAZ.html").read_text()
    write_config(
        root,
        [
            {"name": "ok-KAZ", "notebook": "fault.ipynb", "parameters": {"mode": "ok"}},
            {"name": "outside-KAZ", "notebook": "fault.ipynb", "parameters": {"mode": "outside"}},
        ],
    )
    code, out, exc = build(root, "--jobs", "1")
    assert exc is None and code == 1, out
    line = line_of(out, "outside-KAZ")
    assert "wrote outside its output folder: reports/ok-KAZ.html (changed, restored)" in line
    assert "last good report kept (stale)" in line
    assert (root / "reports" / "outside-KAZ.error.html").is_file()
    assert (root / "reports" / "ok-KAZ.html").read_text() == good
    kept = (root / "reports" / "outside-KAZ.html").read_text()
    assert "Stale report." in kept and "good output ok" in kept  # the last good one
    assert "good output outside" not in kept
    record = state(root, "outside-KAZ")
    assert (record["status"], record["kind"]) == ("failed", "outside")
    assert_consistent(root / "reports")
    tally("execution faults survived", 1)


#: Damages the project's state, index and data, and leaves junk in reports/.
CLOBBER = notebook(
    code_cell('target = "none"', "parameters"),
    code_cell(
        "import os, pathlib\n"
        'reports = pathlib.Path(os.environ["KZANALYSIS_REPORTS_DIR"])\n'
        'data = pathlib.Path(os.environ["KZANALYSIS_DATA_DIR"])\n'
        'if target == "all":\n'
        '    (reports / ".build" / "ok-KAZ.json").write_text("{")\n'
        '    (reports / "index.html").unlink()\n'
        '    (data / "datapackage.json").write_text("{}")\n'
        '    (reports / "junk").mkdir()\n'
        '    (reports / "junk" / "x.txt").write_text("junk")\n'
        'print("good output", target)'
    ),
    datasets=["alpha"],
)


def test_clobbered_state_index_and_data_are_restored_and_junk_removed(tmp_path, tally):
    def variants(target: str) -> list[dict]:
        return [
            {"name": "ok-KAZ", "notebook": "fault.ipynb", "parameters": {"mode": "ok"}},
            {"name": "clobber-KAZ", "notebook": "clobber.ipynb", "parameters": {"target": target}},
        ]

    root = make_project(
        tmp_path / "proj", {"fault.ipynb": FAULT, "clobber.ipynb": CLOBBER}, variants("none")
    )
    code, out, exc = build(root, "--jobs", "1")
    assert (code, exc) == (0, None), out
    reports = root / "reports"
    watched = [reports / ".build" / "ok-KAZ.json", root / "data" / "datapackage.json"]
    before = {path: path.read_bytes() for path in watched}
    write_config(root, variants("all"))
    code, out, exc = build(root, "--jobs", "1")
    assert exc is None and code == 1, out
    line = line_of(out, "clobber-KAZ")
    for says in (
        "data/datapackage.json (changed, restored)",
        "reports/.build/ok-KAZ.json (changed, restored)",
        "reports/index.html (deleted, restored)",
        "reports/junk/x.txt (created, removed)",
    ):
        assert says in line, line
    assert {path: path.read_bytes() for path in watched} == before
    assert not (reports / "junk").exists()
    assert state(root, "clobber-KAZ")["kind"] == "outside"
    assert 'href="clobber-KAZ.error.html"' in (reports / "index.html").read_text()
    assert_consistent(reports)
    write_config(root, variants("none"))  # the next build recovers
    code, out, exc = build(root, "--jobs", "1")
    assert (code, exc) == (0, None), out
    assert "previous build failed" in line_of(out, "clobber-KAZ")
    assert not (reports / "clobber-KAZ.error.html").exists()
    tally("execution faults survived", 1)


# --- a full disk ------------------------------------------------------------------------


def full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every atomic write fails with ENOSPC, as on a full disk or read-only folder.

    (Tests run as root, so a read-only folder cannot be made with permissions.)
    """
    from kzanalysis.publish import store

    def no_space(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(store.os, "fsync", no_space)


@pytest.fixture(scope="module")
def _ok_project_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One ``ok-KAZ`` project built once per module (a real kernel); copied by ``built_once``."""
    root = make_project(
        tmp_path_factory.mktemp("built-once") / "proj",
        {"fault.ipynb": FAULT},
        [{"name": "ok-KAZ", "notebook": "fault.ipynb", "parameters": {"mode": "ok"}}],
    )
    code, out, exc = build(root, "--jobs", "1")
    assert (code, exc) == (0, None), out
    return root


@pytest.fixture
def built_once(_ok_project_built: Path, tmp_path: Path) -> Path:
    """A private copy of the built ``ok-KAZ`` project (the full-disk tests damage it)."""
    import shutil

    root = tmp_path / "proj"
    shutil.copytree(_ok_project_built, root, symlinks=True)
    return root


def test_full_disk_keeps_last_good_report_state_and_index(built_once, monkeypatch, tally):
    root = built_once
    reports = root / "reports"
    before = {p.relative_to(reports): p.read_bytes() for p in reports.rglob("*") if p.is_file()}
    keep = [p for p in before if p.suffix in (".html", ".json")]
    full_disk(monkeypatch)
    code, out, exc = build(root, "--jobs", "1", "--force")
    assert code != 0 or exc is not None, out
    for rel in keep:  # nothing published was truncated or half-replaced
        assert (reports / rel).read_bytes() == before[rel], rel
    assert_consistent(reports)
    monkeypatch.undo()
    code, out, exc = build(root, "--jobs", "1")  # space is back: the next build recovers
    assert (code, exc) == (0, None), out
    assert_consistent(reports)
    tally("execution faults survived", 1)


def test_full_disk_is_a_clear_failure_not_a_traceback(built_once, monkeypatch):
    full_disk(monkeypatch)
    code, out, exc = build(built_once, "--jobs", "1", "--force")
    assert exc is None, f"unexpected {exc!r}"
    assert code == 1 and "No space left on device" in out, out
    assert (
        "error: cannot write to " in out
        and "reports/: No space left on device; free space or fix permissions" in out
    ), out
    assert "Traceback" not in out


def test_disk_full_while_building_fails_in_one_line_and_cuts_nothing(
    built_once, monkeypatch, tally
):
    """Space runs out after the lock is taken: report, error page, state and index fail."""
    from kzanalysis.publish import store
    from kzanalysis.publish.noop import STAMP_NAME

    reports = built_once / "reports"
    before = {  # what is published and its records (the no-op stamp is a cache: it goes)
        p: p.read_bytes()
        for p in reports.rglob("*")
        if p.suffix in (".html", ".json") and p.name != STAMP_NAME
    }
    real_fsync = os.fsync

    def fills_up(fd: int) -> None:
        if not os.readlink(f"/proc/self/fd/{fd}").rsplit("/", 1)[-1].startswith(".lock-holder"):
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(store.os, "fsync", fills_up)
    code, out, exc = build(built_once, "--jobs", "1", "--force")
    assert exc is None, f"unexpected {exc!r}"
    assert code == 1 and "Traceback" not in out, out
    assert "free space or fix permissions" in out, out
    line = line_of(out, "ok-KAZ")
    assert "error page not written: No space left on device" in line, line
    assert "last good report not marked stale: No space left on device" in line, line
    assert {p: p.read_bytes() for p in before} == before  # nothing published was touched
    assert_consistent(reports)
    monkeypatch.undo()
    code, out, exc = build(built_once, "--jobs", "1")
    assert (code, exc) == (0, None), out
    tally("execution faults survived", 1)


# --- interrupts and concurrent builds ---------------------------------------------------


def end_group(proc: subprocess.Popen[str]) -> None:
    """Stop what a test started: the build's process group (its kernel included)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


def wait_for(path: Path, proc: subprocess.Popen[str], limit: float = 90) -> None:
    """Wait until ``path`` exists (the build reached a point), failing if the build ended."""
    deadline = time.monotonic() + limit
    while not path.exists():
        assert proc.poll() is None, proc.communicate()[0]
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.2)


def dead_pid() -> int:
    """The id of a process that has exited."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_interrupted_build_leaves_no_corrupt_state_and_the_next_recovers(sig, tmp_path, tally):
    variants = [
        {"name": "ok-KAZ", "notebook": "fault.ipynb", "parameters": {"mode": "ok"}},
        {"name": "hang-KAZ", "notebook": "fault.ipynb", "parameters": {"mode": "hang"}},
    ]
    root = make_project(tmp_path / "proj", {"fault.ipynb": FAULT}, variants)
    reports = root / "reports"
    first = start_build(root, "--jobs", "1")
    try:
        wait_for(reports / ".build" / "executed" / "hang-KAZ.ipynb", first)
        time.sleep(1.0)  # inside the hanging cell

        # a second build meanwhile: with --lock-timeout 0 it exits at once, saying who runs
        second = start_build(root, "--lock-timeout", "0")
        try:
            out2, _ = second.communicate(timeout=60)
        finally:
            end_group(second)
        assert second.returncode == 1, out2
        assert "another build is running" in out2 and f"pid {first.pid}" in out2, out2
        assert "Traceback" not in out2

        first.send_signal(sig)
        try:
            out1, _ = first.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            out1 = "(still running after the signal)"
        assert first.returncode != 0, out1
    finally:
        end_group(first)

    stale_temp = reports / f".hang-KAZ.html.{dead_pid()}.abc123.tmp"
    stale_temp.write_text("<html>half")  # as left by a build killed in mid-write
    live_temp = reports / f".other.html.{os.getpid()}.abc123.tmp"
    live_temp.write_text("being written")  # a live writer's file must survive
    for page in reports.glob("*.html"):
        assert page.read_text().rstrip().endswith("</html>"), page
    for record in (reports / ".build").glob("*.json"):
        json.loads(record.read_text())

    variants[1]["parameters"] = {"mode": "hang", "seconds": 0}
    write_config(root, variants)
    code, out, exc = build(root, "--lock-timeout", "0")  # the lock was released
    assert (code, exc) == (0, None), out
    assert line_of(out, "hang-KAZ").startswith("hang-KAZ: built")
    assert not stale_temp.exists() and live_temp.exists()
    live_temp.unlink()
    assert_consistent(reports)
    assert state(root, "hang-KAZ")["status"] == "ok"
    tally("interrupted builds recovered", 1)


def test_parameters_round_trip_exactly_into_the_kernel(tmp_path, tally):
    """A handful of nasty values, through reports.yaml and -p, reach the kernel unchanged."""
    sentinel = tmp_path / "pwned"
    labels = [
        "quote \" and ' and \"\"\" and '''",
        "back\\slash \\n not a newline \\",
        "new\nline\r\nand\ttab",
        f'"); open({str(sentinel)!r}, "w").write("x"); ("',
        f"__import__('os').system('touch {sentinel}')",
        "{label} %s Қазақстан 🇰🇿 \u2028",
    ]
    variants = [
        {
            "name": f"echo-K{i:02d}",
            "notebook": "echo.ipynb",
            "parameters": {"label": label, "n": -(2**62) + i, "ratio": 1e-300, "items": [label]},
        }
        for i, label in enumerate(labels)
    ]
    root = make_project(tmp_path / "proj", {"echo.ipynb": ECHO}, variants)
    code, out, exc = build(root, "--jobs", "2")
    assert (code, exc) == (0, None), out
    override = 'via -p: "quoted" \\ and = sign'
    code, out, exc = build(root, "echo-K00", "-p", f"label={override}", "-p", "items=[]")
    assert (code, exc) == (0, None), out
    expected = {v["name"]: v["parameters"] for v in variants}
    expected["echo-K00"] = {**expected["echo-K00"], "label": override, "items": []}
    for name, params in expected.items():
        executed = json.loads(
            (root / "reports" / ".build" / "executed" / f"{name}.ipynb").read_text()
        )
        printed = [
            "".join(o.get("text", ""))
            for c in executed["cells"]
            for o in c.get("outputs", [])
            if o.get("name") == "stdout"
        ]
        (echo,) = [
            line for text in printed for line in text.splitlines() if line.startswith("ECHO")
        ]
        assert json.loads(echo.removeprefix("ECHO")) == params, name
    assert not sentinel.exists(), "a parameter value ran as code"
    tally("parameter round trips through a kernel", len(expected))
