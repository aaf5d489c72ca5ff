"""``kzanalysis build`` answered from the no-op stamp: the same output as the full no-op,
only when nothing changed, and never after a build that left something to do."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kzanalysis.publish import noop
from tests.integration.test_build import (
    TWO_VARIANTS,
    build,
    edit_notebook,
    line_of,
    make_project,
    project_env,
    write_config,
)

pytestmark = pytest.mark.integration

#: Runs the console script's entry point; says whether the builder was loaded.
SCRIPT = (
    "import sys\n"
    "sys.argv = ['kzanalysis', *sys.argv[1:]]\n"
    "from kzanalysis.cli import main\n"
    "try:\n"
    "    main()\n"
    "except SystemExit as exc:\n"
    "    assert not exc.code, exc.code\n"
    "loaded = sorted({'kzanalysis.publish.runner', 'kzanalysis.params', 'pydantic'}"
    " & set(sys.modules))\n"
    "print('LOADED', loaded)\n"
)


def cli(root: Path, *args: str) -> tuple[list[str], list[str]]:
    """Run ``kzanalysis build ARGS`` in a fresh process: its lines (times removed) and which
    of the builder's modules it loaded."""
    env = {**os.environ, **project_env(root)}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, "build", *args],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=root,
    )
    *lines, last = done.stdout.splitlines()
    loaded = re.fullmatch(r"LOADED \[(.*)\]", last).group(1)
    return [re.sub(r"^\[\d\d:\d\d:\d\d\] ", "", line) for line in lines], [
        m.strip("' ") for m in loaded.split(",") if m
    ]


@pytest.fixture(scope="module")
def built_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(tmp_path_factory.mktemp("noop") / "proj", TWO_VARIANTS)
    code, out = build(root, "--jobs", "1")
    assert code == 0, out
    return root


@pytest.fixture
def project(built_once: Path, tmp_path: Path) -> Path:
    """A private copy, made up to date (a copy's files are new: its first no-op is full)."""
    root = tmp_path / "proj"
    shutil.copytree(built_once, root)
    lines, loaded = cli(root, "--plain")
    assert "kzanalysis.publish.runner" in loaded and lines[-1].startswith("0 built, 2 up to date")
    return root


def test_unchanged_tree_is_answered_without_the_builder_and_says_the_same(project):
    full = cli(project, "--jobs", "1")[0]  # an option the stamp does not answer: full no-op
    for args in [("--plain",), ()]:
        lines, loaded = cli(project, *args)
        assert loaded == [], f"the no-op loaded {loaded}"
        assert (
            lines
            == full
            == [
                "ok-KAZ: up to date",
                "param-UZB: up to date",
                "0 built, 2 up to date, 0 failed; index: reports/index.html",
            ]
        )


def test_a_touched_notebook_goes_through_the_full_plan_then_is_answered_again(project):
    (project / "notebooks" / "ok.ipynb").touch()
    lines, loaded = cli(project, "--plain")
    assert "kzanalysis.publish.runner" in loaded
    assert lines[-1].startswith("0 built, 2 up to date")  # outputs and times are no input
    assert cli(project, "--plain")[1] == []


def test_a_changed_notebook_is_built_and_the_next_no_op_is_answered(project):
    edit_notebook(
        project / "notebooks" / "ok.ipynb",
        lambda nb: nb["cells"][2]["source"].append('\nprint("changed")'),
    )
    lines = cli(project, "--plain")[0]
    assert "ok-KAZ: built (why: notebook changed)" in line_of("\n".join(lines), "ok-KAZ")
    lines, loaded = cli(project, "--plain")
    assert loaded == [] and lines[-1].startswith("0 built, 2 up to date")


def test_a_forced_build_of_everything_is_followed_by_an_answered_no_op(project):
    lines = cli(project, "--force", "--jobs", "1")[0]
    assert lines[-1].startswith("2 built, 0 up to date"), lines
    lines, loaded = cli(project, "--plain")
    assert loaded == [] and lines[-1].startswith("0 built, 2 up to date")


def test_a_failed_variant_leaves_no_stamp(project):
    write_config(project, [*TWO_VARIANTS, {"name": "crash-KAZ", "notebook": "crash.ipynb"}])
    code, out = build(project)
    assert code == 1 and "crash-KAZ: failed" in out, out
    assert not noop.stamp_path(project / "reports").exists()
    code, out = build(project)  # the failed variant is tried again, never answered
    assert code == 1 and "crash-KAZ: failed" in out, out


@pytest.mark.parametrize(
    "args",
    [("ok-KAZ", "--force"), ("param-UZB", "-p", "start_year=2002")],
    ids=["one variant, forced", "a parameter override"],
)
def test_a_build_with_other_options_removes_the_stamp(project, args):
    code, out = build(project, *args)
    assert code == 0, out
    assert not noop.stamp_path(project / "reports").exists()
    assert "kzanalysis.publish.runner" in cli(project, "--plain")[1]
