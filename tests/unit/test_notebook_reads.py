"""``params.read_notebook`` parses a notebook once per version of the file.

A build plans several variants of each notebook; each used to parse the whole executed
notebook JSON again. The cache is keyed by the file's path, modification time and size,
so an edited notebook is read again and a broken one still gets its clear error.
"""

from __future__ import annotations

import json
import os

import pytest

from kzanalysis import params as P
from kzanalysis.params import ParameterError


def write(path, cells):
    path.write_text(json.dumps({"cells": cells, "metadata": {}}), encoding="utf-8")


def test_same_file_is_parsed_once_and_an_edit_is_seen(tmp_path):
    path = tmp_path / "a.ipynb"
    write(path, [{"cell_type": "code", "source": "x = 1"}])
    first = P.read_notebook(path)
    assert P.read_notebook(path) is first
    write(path, [{"cell_type": "code", "source": "x = 22"}])  # another size
    assert P.read_notebook(path)["cells"][0]["source"] == "x = 22"
    write(path, [{"cell_type": "code", "source": "x = 33"}])  # same size, newer time
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert P.read_notebook(path)["cells"][0]["source"] == "x = 33"


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (None, "notebook not found"),
        ("{not json", "not a valid notebook file"),
        ("[]", "no 'cells'"),
    ],
)
def test_errors_name_the_file_and_the_problem(tmp_path, content, words):
    path = tmp_path / "b.ipynb"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ParameterError, match=words) as info:
        P.read_notebook(path)
    assert str(path) in str(info.value)


def test_a_folder_is_refused_with_a_message(tmp_path):
    with pytest.raises(ParameterError, match="cannot read the notebook"):
        P.read_notebook(tmp_path)
