"""Symlinks and special files left by a notebook in ``reports/`` or ``data/`` fail its variant.

A published ``reports/leak.html`` → a private file would serve that file; a link in
``data/`` would feed it to the next build. The guard removes every symbolic link, FIFO,
socket or device file that appears under the watched folders (even at the variant's
own output paths), fails the variant that was running, and says so in a warning line.
"""

from __future__ import annotations

import json

import pytest

from tests.reliability.project import (
    assert_consistent,
    build,
    code,
    line_of,
    make_project,
    notebook,
    state,
)

pytestmark = pytest.mark.integration

LINKS = notebook(
    code('mode = "none"\nsecret = ""\nname = ""', "parameters"),
    code(
        "import os, pathlib\n"
        'reports = pathlib.Path(os.environ["KZANALYSIS_REPORTS_DIR"])\n'
        'data = pathlib.Path(os.environ["KZANALYSIS_DATA_DIR"])\n'
        'if mode == "report":\n'
        '    (reports / "leak.html").symlink_to(secret)\n'
        'if mode == "data":\n'
        '    (data / "leak.csv").symlink_to(secret)\n'
        'if mode == "folder":\n'
        '    (reports / "private").symlink_to(pathlib.Path(secret).parent)\n'
        'if mode == "fifo":\n'
        '    os.mkfifo(reports / "pipe")\n'
        'if mode == "own-log":  # its own output path: allowed to change, never to be a link\n'
        '    log = reports / ".build" / "logs" / f"{name}.log"\n'
        "    log.unlink()\n"
        "    log.symlink_to(secret)\n"
        'print("good output", mode)'
    ),
    datasets=["alpha"],
)

#: variant → (mode, what the failure line says was undone)
CASES = {
    "report-KAZ": ("report", "reports/leak.html (symlink → {secret}, created, removed)"),
    "data-KAZ": ("data", "data/leak.csv (symlink → {secret}, created, removed)"),
    "folder-KAZ": ("folder", "reports/private (symlink → {folder}, created, removed)"),
    "fifo-KAZ": ("fifo", "reports/pipe (FIFO, created, removed)"),
    "ownlog-KAZ": (
        "own-log",
        "reports/.build/logs/ownlog-KAZ.log (symlink → {secret}, created, removed)",
    ),
}


def test_links_and_special_files_fail_their_variant_and_are_removed(tmp_path, tally):
    secret = tmp_path / "private" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("not for publication\n")
    variants = [{"name": "ok-KAZ", "notebook": "links.ipynb", "parameters": {}}] + [
        {
            "name": name,
            "notebook": "links.ipynb",
            "parameters": {"mode": mode, "secret": str(secret), "name": name},
        }
        for name, (mode, _) in CASES.items()
    ]
    root = make_project(tmp_path / "proj", {"links.ipynb": LINKS}, variants)
    reports = root / "reports"
    summary = tmp_path / "summary.json"
    code_, out, exc = build(root, "--jobs", "1", "--summary-json", str(summary))
    assert exc is None and code_ == 1, out
    assert line_of(out, "ok-KAZ").startswith("ok-KAZ: built"), out
    entries = {v["name"]: v for v in json.loads(summary.read_text())["variants"]}
    for name, (_, says) in CASES.items():
        undone = says.format(secret=secret, folder=secret.parent)
        line = line_of(out, name)
        assert line.startswith(f"{name}: failed (wrote outside its output folder: "), line
        assert undone in line, line
        assert "no earlier report" in line
        assert f"warning: the write guard undid changes made while {name} ran: " in out
        assert state(root, name)["kind"] == "outside"
        assert any(undone in w for w in entries[name]["warnings"]), entries[name]
        assert not (reports / f"{name}.html").exists()
    for path in (reports / "leak.html", root / "data" / "leak.csv", reports / "private"):
        assert not path.is_symlink() and not path.exists(), path
    assert not (reports / "pipe").exists()
    assert not (reports / ".build" / "logs" / "ownlog-KAZ.log").is_symlink()
    assert secret.read_text() == "not for publication\n"
    links = [p for p in [*reports.rglob("*"), *(root / "data").rglob("*")] if p.is_symlink()]
    assert links == []
    assert_consistent(reports)
    tally("execution faults survived", len(CASES))
