"""Jupytext pairing: every ``notebooks/NN_*.ipynb`` has a percent-script twin ``NN_*.py``.

The ``.py`` twin holds the same cells as plain text (``# %%`` code cells,
``# %% [markdown]`` cells, cell tags such as ``tags=["parameters"]``), so diffs
and reviews read like code; the ``.ipynb`` keeps the outputs that nbval checks.
The pairing rules live in ``notebooks/jupytext.toml`` (formats, which metadata
the script keeps); JupyterLab's jupytext extension reads them too, so saving in
Lab updates both files.

Run ``make pair`` (``python -m kzanalysis.pairing``) after adding or editing a
notebook; ``python -m kzanalysis.pairing --check`` (and the test suite) fails
when a pair is missing or out of sync. jupytext is imported inside the functions.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

CONFIG_NAME = "jupytext.toml"
PAIR_FORMAT = "py:percent"
PAIR_SUFFIX = ".py"
PARAMETERS_TAG = "parameters"


def pair_path(notebook: Path) -> Path:
    """The percent script paired with ``notebook`` (same folder and stem, ``.py``)."""
    return notebook.with_suffix(PAIR_SUFFIX)


def load_config(folder: Path) -> Any:
    """The jupytext configuration for notebooks in ``folder``.

    Raises:
        FileNotFoundError: if ``folder/jupytext.toml`` is missing (the pairing rules).
    """
    from jupytext.config import load_jupytext_configuration_file

    path = folder / CONFIG_NAME
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} is missing: it holds the pairing rules (formats = 'ipynb,{PAIR_FORMAT}'). "
            "Fix: restore it from git."
        )
    return load_jupytext_configuration_file(str(path))


def expected_pair_text(notebook: Path) -> str:
    """The percent script jupytext writes for ``notebook`` under the folder's config."""
    import jupytext

    config = load_config(notebook.parent)
    return jupytext.writes(jupytext.read(notebook), fmt=PAIR_FORMAT, config=config)


def parameters_tag_kept(text: str) -> bool:
    """True if a percent script marks a cell with the ``parameters`` tag."""
    return any(
        line.startswith("# %%") and f'"{PARAMETERS_TAG}"' in line and "tags=" in line
        for line in text.splitlines()
    )


def _first_difference(expected: str, actual: str) -> str:
    diff = difflib.unified_diff(
        actual.splitlines(), expected.splitlines(), "pair", "notebook", n=0, lineterm=""
    )
    changed = [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    return changed[0] if changed else "(whitespace only)"


def pair_problems(notebook: Path) -> list[str]:
    """What is wrong with the pair of one notebook (empty list: in sync)."""
    pair = pair_path(notebook)
    fix = "Fix: run 'make pair' and commit both files."
    if not pair.is_file():
        return [f"{notebook.name}: no paired script {pair.name}. {fix}"]
    expected = expected_pair_text(notebook)
    actual = pair.read_text(encoding="utf-8")
    problems = []
    if actual != expected:
        problems.append(
            f"{pair.name} is out of sync with {notebook.name} (first difference: "
            f"{_first_difference(expected, actual)!r}). {fix}"
        )
    if _has_parameters_cell(notebook) and not parameters_tag_kept(actual):
        problems.append(f"{pair.name} lost the '{PARAMETERS_TAG}' cell tag. {fix}")
    return problems


def _has_parameters_cell(notebook: Path) -> bool:
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    return any(PARAMETERS_TAG in c.get("metadata", {}).get("tags", []) for c in nb["cells"])


def check_pairs(folder: Path) -> list[str]:
    """Problems of every notebook's pair in ``folder``, plus scripts without a notebook."""
    problems: list[str] = []
    for notebook in sorted(folder.glob("*.ipynb")):
        problems.extend(pair_problems(notebook))
    for script in sorted(folder.glob(f"*{PAIR_SUFFIX}")):
        if not script.with_suffix(".ipynb").is_file():
            problems.append(
                f"{script.name} has no notebook {script.stem}.ipynb. Fix: create it with "
                f"'jupytext --sync {script}' (then 'kzanalysis refresh') or delete the script."
            )
    return problems


def sync_pairs(notebooks: Iterable[Path]) -> None:
    """Create or update the pairs with ``jupytext --sync`` (the newer file's cells win).

    Outputs stay in the ``.ipynb``; when the script is newer (edited in a review),
    its cells replace the notebook's inputs.
    """
    from jupytext.cli import jupytext

    paths = [str(p) for p in notebooks]
    if paths:
        jupytext(["--sync", "--quiet", *paths])


def _notebooks(folder: Path, names: Sequence[str]) -> list[Path]:
    if not names:
        return sorted(folder.glob("*.ipynb"))
    found = []
    for name in names:
        path = Path(name)
        path = path if path.exists() else folder / path.name
        path = path.with_suffix(".ipynb")
        if not path.is_file():
            raise SystemExit(f"error: notebook {name!r} not found (looked for {path}).")
        found.append(path)
    return found


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m kzanalysis.pairing [--check] [NOTEBOOK ...]`` (``make pair``)."""
    from kzanalysis.paths import notebooks_dir

    parser = argparse.ArgumentParser(
        prog="python -m kzanalysis.pairing",
        description="Pair notebooks with jupytext percent scripts (notebooks/*.py), or check.",
    )
    parser.add_argument("notebooks", nargs="*", help="Notebooks (default: all in notebooks/).")
    parser.add_argument(
        "--check", action="store_true", help="Only check; exit 1 if a pair is missing or stale."
    )
    args = parser.parse_args(argv)
    folder = notebooks_dir()
    if args.check:
        problems = check_pairs(folder)
        for problem in problems:
            print(f"error: {problem}", file=sys.stderr)
        if not problems:
            print(f"ok: every notebook in {folder} has an in-sync percent script")
        return 1 if problems else 0
    paths = _notebooks(folder, args.notebooks)
    load_config(folder)
    sync_pairs(paths)
    for path in paths:
        print(f"paired {path.name} <-> {pair_path(path).name}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
