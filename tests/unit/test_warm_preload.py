"""Which warm-kernel server a build gets: ``kernel`` (IPython only) or ``full`` (libraries,
tables, warm-up), decided from the notebooks' imports (:mod:`kzanalysis.publish.warm`)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from kzanalysis.publish import warm


def nb(path: Path, *cells: str, markdown: str = "# import pandas") -> Path:
    doc = {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {},
        "cells": [{"cell_type": "markdown", "metadata": {}, "source": markdown}]
        + [
            {
                "cell_type": "code",
                "metadata": {},
                "source": c,
                "outputs": [],
                "execution_count": None,
            }
            for c in cells
        ],
    }
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (["x = 1", "print(x)"], True),
        (["import os, sys\nimport os.path as p", "from collections import abc"], True),
        (["def f():\n    import json\n    return json"], True),  # nested imports count too
        ([["import time\n", "time.sleep(0)"]], True),  # source as a list of lines
        (["import os", "import pandas as pd"], False),
        (["from kzanalysis.params import validate_in_notebook"], False),
        (["def f():\n    import numpy\n"], False),
        (["from . import sibling"], False),  # relative: not the standard library
        (["%time x = 1"], False),  # IPython syntax: cannot tell, so the full server
        (["!ls"], False),
    ],
)
def test_stdlib_only_reads_every_code_cell(tmp_path, cells, expected):
    assert warm.stdlib_only(nb(tmp_path / "n.ipynb", *cells)) is expected


def test_unreadable_or_broken_notebooks_are_not_stdlib_only(tmp_path):
    assert warm.stdlib_only(tmp_path / "missing.ipynb") is False
    bad = tmp_path / "bad.ipynb"
    bad.write_text("{not json", encoding="utf-8")
    assert warm.stdlib_only(bad) is False
    odd = tmp_path / "odd.ipynb"
    odd.write_text(json.dumps({"cells": "not a list"}), encoding="utf-8")
    assert warm.stdlib_only(odd) is False


def test_preload_level_reads_the_environment():
    assert warm.preload_level({}) == "full"
    assert warm.preload_level({warm.ENV_PRELOAD: " Kernel "}) == "kernel"
    assert warm.preload_level({warm.ENV_PRELOAD: "full"}) == "full"
    assert warm.preload_level({warm.ENV_PRELOAD: "bogus"}) == "full"  # more is only slower


def test_preload_for_sets_kernel_only_when_every_notebook_is_stdlib_only(tmp_path, monkeypatch):
    monkeypatch.delenv(warm.ENV_PRELOAD, raising=False)
    light = [nb(tmp_path / "a.ipynb", "import os"), nb(tmp_path / "b.ipynb", "print(1)")]
    heavy = nb(tmp_path / "c.ipynb", "import pandas")
    with warm.preload_for(iter(light)):
        assert os.environ[warm.ENV_PRELOAD] == "kernel"
    assert warm.ENV_PRELOAD not in os.environ  # restored
    with warm.preload_for([*light, heavy]):
        assert warm.ENV_PRELOAD not in os.environ
    with warm.preload_for([]):
        assert warm.ENV_PRELOAD not in os.environ
    monkeypatch.setenv(warm.ENV_PRELOAD, "full")  # an explicit choice is kept
    with warm.preload_for(light):
        assert os.environ[warm.ENV_PRELOAD] == "full"
    assert os.environ[warm.ENV_PRELOAD] == "full"


def test_kernel_modules_are_a_subset_of_the_full_list():
    assert set(warm.KERNEL_MODULES) <= set(warm.BASE_MODULES)
    assert not {"pandas", "matplotlib", "numpy"} & set(warm.KERNEL_MODULES)
