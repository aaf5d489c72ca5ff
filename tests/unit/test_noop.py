"""The no-op stamp (kzanalysis.publish.noop): it answers only for an unchanged tree."""

from __future__ import annotations

import fcntl
import json
import os
from pathlib import Path

import pytest

from kzanalysis.publish import noop

LINES = ["a-KAZ: up to date", "0 built, 1 up to date, 0 failed; index: reports/index.html"]


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """A package, data and reports folder, a lock file each, and a stamp of them."""
    monkeypatch.chdir(tmp_path)
    for var in [k for k in os.environ if k.startswith("KZANALYSIS_")]:
        monkeypatch.delenv(var)
    paths = {
        "pkg": tmp_path / "pkg",
        "data": tmp_path / "data",
        "reports": tmp_path / "reports",
        "config": tmp_path / "reports.yaml",
    }
    (paths["pkg"] / "__pycache__").mkdir(parents=True)
    (paths["pkg"] / "mod.py").write_text("x = 1\n")
    (paths["data"]).mkdir()
    (paths["data"] / "table.csv").write_text("year,value_usd_mn\n2020,1.5\n")
    (paths["reports"] / ".build").mkdir(parents=True)
    (paths["reports"] / "a-KAZ.html").write_text("<p>report</p>")
    (paths["reports"] / ".lock").write_text("")
    paths["config"].write_text("variants: []\n")
    paths["data_lock"] = tmp_path / ".kzanalysis-data.lock"
    paths["data_lock"].write_text("")
    write_stamp(paths)
    return paths


def write_stamp(paths: dict[str, Path]) -> None:
    stamp = noop.make_stamp(
        roots=[paths["pkg"], paths["data"], paths["reports"]],
        files=[paths["config"], paths["config"].with_name("absent.lock")],
        locks=[paths["reports"] / ".lock", paths["data_lock"]],
        lines=LINES,
    )
    noop.write(paths["reports"], stamp)


def answer(paths: dict[str, Path], args: tuple[str, ...] = ("--plain",)) -> list[str] | None:
    return noop.answer(args, paths["reports"])


def test_unchanged_tree_is_answered_with_the_stamps_lines(tree):
    assert answer(tree) == LINES
    assert answer(tree, ()) == LINES and answer(tree, ("--rich",)) == LINES


@pytest.mark.parametrize("args", [("--jobs", "2"), ("--force",), ("trade-KAZ",), ("-p", "x=1")])
def test_other_options_are_never_answered(tree, args):
    assert answer(tree, args) is None


def test_a_rewrite_that_keeps_size_and_modification_time_is_seen(tree):
    table = tree["data"] / "table.csv"
    st = table.stat()
    table.write_text("year,value_usd_mn\n2020,9.5\n")  # same size
    os.utime(table, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert table.stat().st_size == st.st_size and table.stat().st_mtime_ns == st.st_mtime_ns
    assert answer(tree) is None


@pytest.mark.parametrize(
    "change",
    [
        lambda t: (t["pkg"] / "mod.py").touch(),
        lambda t: (t["pkg"] / "new.py").write_text(""),
        lambda t: (t["data"] / "table.csv").unlink(),
        lambda t: (t["reports"] / ".build" / "junk.tmp").write_text("x"),
        lambda t: (t["reports"] / "a-KAZ.html").write_text("<p>other</p>"),
        lambda t: t["config"].write_text("variants: [x]\n"),
        lambda t: t["config"].with_name("absent.lock").write_text(""),
        lambda t: os.replace(t["data"] / "table.csv", t["data"] / "table2.csv"),
    ],
    ids=[
        "source touched",
        "source added",
        "data removed",
        "junk in the state",
        "report rewritten",
        "variants file changed",
        "a missing file appeared",
        "data renamed",
    ],
)
def test_any_change_falls_through_to_the_full_build(tree, change):
    change(tree)
    assert answer(tree) is None


def test_bytecode_and_the_lock_files_are_not_state(tree):
    (tree["pkg"] / "__pycache__" / "mod.cpython-311.pyc").write_bytes(b"\0")
    (tree["reports"] / ".lock").write_text("pid 1")
    (tree["reports"] / ".build" / "lock-holder").write_text("{}")
    assert answer(tree) == LINES


def test_other_settings_or_folder_are_not_answered(tree, monkeypatch, tmp_path):
    monkeypatch.setenv("KZANALYSIS_DATA_DIR", str(tmp_path / "elsewhere"))
    assert answer(tree) is None
    monkeypatch.delenv("KZANALYSIS_DATA_DIR")
    assert answer(tree) == LINES
    monkeypatch.chdir(tree["pkg"])
    assert answer(tree) is None


def test_a_busy_or_missing_lock_is_left_to_the_full_build(tree):
    fd = os.open(tree["data_lock"], os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # another writer holds the data lock
        assert answer(tree) is None
    finally:
        os.close(fd)
    assert answer(tree) == LINES
    (tree["reports"] / ".lock").unlink()
    assert answer(tree) is None


@pytest.mark.parametrize("text", ["", "{", "[]", '{"key": 1}', json.dumps({"lines": 3})])
def test_an_unreadable_stamp_is_no_answer_not_an_error(tree, text):
    noop.stamp_path(tree["reports"]).write_text(text)
    assert answer(tree) is None


def test_forget_removes_the_stamp_and_is_idempotent(tree):
    noop.forget(tree["reports"])
    noop.forget(tree["reports"])
    assert answer(tree) is None
    write_stamp(tree)
    assert answer(tree) == LINES


def test_try_answer_prints_the_lines_as_the_full_build_does(tree, capsys, monkeypatch):
    monkeypatch.setenv("KZANALYSIS_REPORTS_DIR", str(tree["reports"]))
    write_stamp(tree)  # the key has the variable
    assert noop.try_answer(["build", "--rich"])
    assert capsys.readouterr().out.splitlines() == LINES  # a no-op on a terminal: no times
    assert noop.try_answer(["build", "--plain"])
    out = capsys.readouterr().out.splitlines()
    assert [line.split("] ", 1)[1] for line in out] == LINES
    assert all(line.startswith("[") and line[9:11] == "] " for line in out)
    assert not noop.try_answer(["data", "verify"]) and not noop.try_answer([])
