"""Notebooks and their jupytext percent scripts (``notebooks/*.py``) stay in sync."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from kzanalysis import pairing
from tests.conftest import PROJECT_ROOT

pytestmark = pytest.mark.integration

NOTEBOOKS = PROJECT_ROOT / "notebooks"


def test_every_notebook_has_an_in_sync_percent_script():
    notebooks = sorted(NOTEBOOKS.glob("*.ipynb"))
    assert notebooks
    problems = pairing.check_pairs(NOTEBOOKS)
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("notebook", sorted(NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.stem)
def test_pairs_keep_the_parameters_tag(notebook):
    pair = pairing.pair_path(notebook)
    if not pair.is_file():
        pytest.skip(f"{pair.name} missing (reported by the in-sync test)")
    text = pair.read_text(encoding="utf-8")
    assert '# %% tags=["parameters"]' in text
    assert "kernelspec:" in text  # notebook metadata travels with the script
    assert "jupytext_version:" not in text  # upgrades do not touch every pair


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A notebooks folder with the project's pairing config and one real notebook."""
    shutil.copy(NOTEBOOKS / pairing.CONFIG_NAME, tmp_path)
    shutil.copy(NOTEBOOKS / "00_data_overview.ipynb", tmp_path)
    return tmp_path


def test_sync_creates_the_pair_and_check_finds_every_problem(folder):
    notebook = folder / "00_data_overview.ipynb"
    before = notebook.read_bytes()
    assert pairing.check_pairs(folder) == [
        "00_data_overview.ipynb: no paired script 00_data_overview.py. "
        "Fix: run 'make pair' and commit both files."
    ]
    pairing.sync_pairs([notebook])
    assert pairing.check_pairs(folder) == []
    assert notebook.read_bytes() == before  # pairing leaves the notebook (and outputs) alone
    pair = pairing.pair_path(notebook)
    text = pair.read_text(encoding="utf-8")
    pair.write_text(text.replace('country = "KAZ"', 'country = "UZB"'), encoding="utf-8")
    (problem,) = pairing.check_pairs(folder)
    assert "out of sync" in problem and "country = " in problem and "make pair" in problem
    pair.write_text(text.replace('# %% tags=["parameters"]', "# %%"), encoding="utf-8")
    problems = pairing.check_pairs(folder)
    assert any("lost the 'parameters' cell tag" in p for p in problems), problems
    (folder / "99_orphan.py").write_text("# %%\nx = 1\n", encoding="utf-8")
    assert any("99_orphan.py has no notebook" in p for p in pairing.check_pairs(folder))


def test_an_edited_script_updates_the_notebook_inputs_and_keeps_outputs(folder):
    notebook = folder / "00_data_overview.ipynb"
    pairing.sync_pairs([notebook])
    pair = pairing.pair_path(notebook)
    pair.write_text(
        pair.read_text(encoding="utf-8").replace('country = "KAZ"', 'country = "UZB"'),
        encoding="utf-8",
    )
    stat = notebook.stat()  # the reviewed script is the newer file
    os.utime(pair, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    pairing.sync_pairs([notebook])
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    params = [c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", [])]
    assert len(params) == 1 and "".join(params[0]["source"]) == 'country = "UZB"'
    original = json.loads((NOTEBOOKS / "00_data_overview.ipynb").read_text(encoding="utf-8"))
    outputs = [c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code"]
    assert outputs == [c.get("outputs") for c in original["cells"] if c["cell_type"] == "code"]
    assert pairing.check_pairs(folder) == []


def test_cli_check_exit_code_and_message(folder, monkeypatch, capsys):
    monkeypatch.setenv("KZANALYSIS_NOTEBOOKS_DIR", str(folder))
    assert pairing.main(["--check"]) == 1
    assert "no paired script 00_data_overview.py" in capsys.readouterr().err
    assert pairing.main([]) == 0
    assert pairing.main(["--check"]) == 0
    assert "in-sync percent script" in capsys.readouterr().out


def test_missing_config_is_a_clear_error(tmp_path):
    shutil.copy(NOTEBOOKS / "00_data_overview.ipynb", tmp_path)
    with pytest.raises(FileNotFoundError, match=r"jupytext.toml is missing.*Fix: restore it"):
        pairing.expected_pair_text(tmp_path / "00_data_overview.ipynb")
