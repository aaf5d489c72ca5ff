"""The build's write guard: changes outside the allowed outputs are found and undone."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kzanalysis.publish import guard as G
from kzanalysis.publish.execute import Outcome
from kzanalysis.publish.runner import Suspicion, outside_outcome


@pytest.fixture
def tree(tmp_path: Path) -> tuple[Path, Path]:
    reports, data = tmp_path / "reports", tmp_path / "data"
    (reports / ".build").mkdir(parents=True)
    data.mkdir()
    (reports / "a.html").write_text("report a")
    (reports / "b.html").write_text("report b")
    (reports / ".build" / "a.json").write_text('{"status": "ok"}')
    (data / "t.csv").write_text("x,y\n1,2\n")
    return reports, data


@pytest.fixture
def guard(tree, tmp_path):
    backups = tmp_path / "backups"
    backups.mkdir()
    g = G.take(tree, ignored=[tree[0] / ".lock"], tmp=backups)
    yield g
    G.close(g)


def test_take_records_every_file_with_a_backup_outside_the_watched_folders(guard, tree):
    reports, data = tree
    assert set(guard.files) == {
        reports / "a.html",
        reports / "b.html",
        reports / ".build" / "a.json",
        data / "t.csv",
    }
    for path, state in guard.files.items():
        assert state.size == path.stat().st_size
        assert state.sha256 == G.sha256_of(path)
        assert guard.backups[path].read_bytes() == path.read_bytes()
        assert reports not in guard.backups[path].parents


def test_no_change_is_no_change_and_a_touch_is_not_a_change(guard, tree):
    reports, _ = tree
    assert G.check(guard) == []
    os.utime(reports / "a.html", ns=(1, 1))  # same bytes, new mtime
    assert G.check(guard) == []
    assert guard.files[reports / "a.html"].mtime_ns == 1  # baseline follows the touch


def test_changed_created_and_deleted_files_are_undone(guard, tree):
    reports, data = tree
    (reports / "a.html").write_text("clobbered, and longer than before")
    (reports / ".build" / "a.json").unlink()
    (data / "t.csv").write_text("x,y\n9,9\n")  # same size: found by mtime, then hash
    (reports / "sub" / "deep").mkdir(parents=True)
    (reports / "sub" / "deep" / "new.txt").write_text("new")
    changes = G.check(guard)
    kinds = {c.path: (c.kind, c.restored) for c in changes}
    assert kinds == {
        reports / "a.html": ("changed", True),
        reports / ".build" / "a.json": ("deleted", True),
        data / "t.csv": ("changed", True),
        reports / "sub" / "deep" / "new.txt": ("created", True),
    }
    assert (reports / "a.html").read_text() == "report a"
    assert (reports / ".build" / "a.json").read_text() == '{"status": "ok"}'
    assert (data / "t.csv").read_text() == "x,y\n1,2\n"
    assert not (reports / "sub").exists()  # created folders go too
    assert G.check(guard) == []  # and the baseline is consistent again


def test_restored_file_keeps_its_modification_time(guard, tree):
    reports, _ = tree
    before = (reports / "b.html").stat().st_mtime_ns
    (reports / "b.html").write_text("other")
    G.check(guard)
    assert (reports / "b.html").stat().st_mtime_ns == before


def test_allowed_outputs_and_their_temp_files_may_change(guard, tree):
    reports, _ = tree
    allowed = [reports / "a.html", reports / "a.error.html", reports / ".build" / "x" / "a.ipynb"]
    (reports / "a.html").write_text("rebuilt")
    (reports / "a.error.html").write_text("error page")
    (reports / ".a.html.123.abcd_1xy.tmp").write_text("half written")
    (reports / ".build" / "x").mkdir()
    assert G.check(guard, allowed) == []
    assert (reports / ".a.html.123.abcd_1xy.tmp").exists()
    assert (reports / ".build" / "x").is_dir()  # a running job's output folder stays
    # not allowed any more: the change is undone
    changes = G.check(guard)
    assert {c.path for c in changes} == {
        reports / "a.html",
        reports / "a.error.html",
        reports / ".a.html.123.abcd_1xy.tmp",
    }
    assert (reports / "a.html").read_text() == "report a"


def test_temp_file_of_another_name_is_not_allowed():
    allowed = {Path("/r/a.html")}
    assert G.is_allowed(Path("/r/.a.html.99.k2j3.tmp"), allowed)
    assert not G.is_allowed(Path("/r/.b.html.99.k2j3.tmp"), allowed)
    assert not G.is_allowed(Path("/other/.a.html.99.k2j3.tmp"), allowed)
    assert not G.is_allowed(Path("/r/a.html.tmp"), allowed)


def test_refresh_accepts_new_outputs_then_protects_them(guard, tree):
    reports, _ = tree
    (reports / "c.html").write_text("new report")
    G.refresh(guard, [reports / "c.html", reports / "c.error.html"])
    assert G.check(guard) == []
    (reports / "c.html").write_text("clobbered later")
    (changed,) = G.check(guard)
    assert (changed.path, changed.kind, changed.restored) == (reports / "c.html", "changed", True)
    assert (reports / "c.html").read_text() == "new report"


def test_restore_puts_the_baseline_back_or_removes_a_file_that_was_not_there(guard, tree):
    reports, _ = tree
    (reports / "a.html").write_text("tainted report")
    (reports / "new.html").write_text("tainted first report")
    assert G.restore(guard, reports / "a.html")
    assert G.restore(guard, reports / "new.html")
    assert (reports / "a.html").read_text() == "report a"
    assert not (reports / "new.html").exists()


def test_ignored_paths_are_never_compared(guard, tree):
    reports, _ = tree
    (reports / ".lock").write_text("")
    assert G.check(guard) == []
    assert (reports / ".lock").exists()


def test_a_file_without_backup_is_reported_not_restored(guard, tree):
    reports, _ = tree
    guard.backups.pop(reports / "b.html").unlink()
    (reports / "b.html").write_text("clobbered")
    (change,) = G.check(guard)
    assert (change.kind, change.restored) == ("changed", False)
    assert "NOT restored" in G.describe([change], reports.parent)


def test_describe_names_paths_relative_to_the_base(tmp_path):
    changes = [
        G.Change(tmp_path / "reports" / "a.html", "changed", True),
        G.Change(tmp_path / "data" / "x.csv", "created", True),
        G.Change(Path("/elsewhere/y"), "deleted", True),
    ]
    assert G.describe(changes, tmp_path) == (
        "reports/a.html (changed, restored), data/x.csv (created, removed), "
        "/elsewhere/y (deleted, restored)"
    )


def test_close_removes_the_backups(tree, tmp_path):
    g = G.take(tree, tmp=tmp_path)
    assert g.backup_dir.is_dir() and any(g.backup_dir.iterdir())
    G.close(g)
    assert not g.backup_dir.exists()


def test_links_and_special_files_are_removed_even_at_allowed_paths(guard, tree, tmp_path):
    reports, data = tree
    secret = tmp_path / "secret.txt"
    secret.write_text("private")
    (reports / "leak.html").symlink_to(secret)
    (data / "leak.csv").symlink_to(secret)
    (reports / "etc").symlink_to(tmp_path)  # a link to a folder: never descended into
    os.mkfifo(reports / "pipe")
    (reports / "a.html").unlink()
    (reports / "a.html").symlink_to(secret)  # its own output, allowed to change: not to a link
    changes = G.check(guard, allowed=[reports / "a.html"])
    found = {c.path: (c.kind, c.restored, c.note) for c in changes}
    assert found == {
        reports / "leak.html": ("created", True, f"symlink → {secret}"),
        data / "leak.csv": ("created", True, f"symlink → {secret}"),
        reports / "etc": ("created", True, f"symlink → {tmp_path}"),
        reports / "pipe": ("created", True, "FIFO"),
        reports / "a.html": ("changed", True, f"symlink → {secret}"),
    }
    assert (reports / "a.html").read_text() == "report a" and not (reports / "a.html").is_symlink()
    for path in (reports / "leak.html", data / "leak.csv", reports / "etc", reports / "pipe"):
        assert not path.exists() and not path.is_symlink()
    assert secret.read_text() == "private" and tmp_path.is_dir()
    assert G.describe(changes[:1], reports.parent) == (
        f"data/leak.csv (symlink → {secret}, created, removed)"
    )
    assert G.check(guard) == []


def test_links_that_were_there_before_the_build_are_left_alone(tree, tmp_path):
    _, data = tree
    (data / "current.csv").symlink_to(data / "t.csv")
    g = G.take(tree, tmp=tmp_path)
    try:
        assert G.check(g) == []
        assert (data / "current.csv").is_symlink()
        (data / "current.csv").unlink()
        (data / "current.csv").symlink_to("/etc/hostname")  # re-pointed: a change, removed
        (change,) = G.check(g)
        assert (change.kind, change.note) == ("changed", "symlink → /etc/hostname")
        assert not (data / "current.csv").is_symlink()
    finally:
        G.close(g)


def test_backups_are_named_after_the_build_and_removed_at_exit(tree, tmp_path):
    g = G.take(tree, tmp=tmp_path)
    assert g.backup_dir.name.startswith(f"kzguard-{os.getpid()}-")
    assert g.cleanup is not None
    g.cleanup()  # what the interpreter runs at exit if close() never came
    assert not g.backup_dir.exists()
    G.close(g)  # idempotent, and unregisters the exit hook
    assert g.cleanup is None


# --- attribution in the runner -------------------------------------------------------


def suspicion(seen: float, *active: str) -> Suspicion:
    change = G.Change(Path("/p/reports/x.html"), "changed", True)
    return Suspicion((change,), active, seen)


def test_a_lone_suspect_fails_with_the_paths():
    ok = Outcome("a", "ok", "built", 1.0, started_at=100.0)
    out = outside_outcome(ok, [suspicion(200.0, "a")], Path("/p"))
    assert out is not None and not out.ok and out.kind == "outside"
    assert out.message == "wrote outside its output folder: reports/x.html (changed, restored)"


def test_several_suspects_are_named_and_an_earlier_failure_is_kept():
    failed = Outcome("a", "error", "RuntimeError: boom in cell [2]", 1.0, started_at=100.0)
    out = outside_outcome(failed, [suspicion(200.0, "a", "b", "c")], Path("/p"))
    assert out is not None
    assert "one of the variants running at the time: b, c" in out.message
    assert out.message.endswith("the notebook also failed: RuntimeError: boom in cell [2]")


def test_a_job_started_after_the_changes_were_found_is_cleared():
    late = Outcome("b", "ok", "built", 1.0, started_at=300.0)
    assert outside_outcome(late, [suspicion(200.0, "a", "b")], Path("/p")) is None
    assert outside_outcome(late, [], Path("/p")) is None
    unknown = Outcome("b", "ok", "built", 1.0)  # start time unknown: stays a suspect
    assert outside_outcome(unknown, [suspicion(200.0, "a", "b")], Path("/p")) is not None


def test_what_is_undone_is_kept_aside_and_named(tree, tmp_path):
    """A hand edit of data/ during a build is undone but not lost: its bytes are kept."""
    reports, data = tree
    keep = reports / ".build" / "undone" / "2026-12-07T071502"
    g = G.take(tree, tmp=tmp_path, keep_dir=keep)
    try:
        (data / "t.csv").write_text("x,y\n1,3\n")  # someone edits a data file
        (data / "new.csv").write_text("a\n")  # or creates one
        (reports / "leak.html").symlink_to("/etc/passwd")  # links are never copied
        changes = {c.path.name: c for c in G.check(g)}
        assert (data / "t.csv").read_text() == "x,y\n1,2\n"  # restored
        assert not (data / "new.csv").exists()
        assert changes["t.csv"].kept == keep / "data" / "t.csv"
        assert (keep / "data" / "t.csv").read_text() == "x,y\n1,3\n"  # the edit is kept
        assert (keep / "data" / "new.csv").read_text() == "a\n"
        assert changes["leak.html"].kept is None and not list(keep.rglob("leak.html"))
        text = G.describe([changes["t.csv"]], tmp_path)
        assert text == (
            "data/t.csv (changed, restored) — the undone copy is kept at "
            "reports/.build/undone/2026-12-07T071502/data/t.csv"
        )
        assert G.check(g) == []  # the kept copies are not themselves changes
    finally:
        G.close(g)
