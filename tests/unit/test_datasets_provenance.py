"""The read-only provenance that :func:`kzanalysis.datasets.load` attaches to tables."""

from __future__ import annotations

import copy
import json
import pickle

import pandas as pd
import pytest

from kzanalysis.datasets import Provenance, provenance

RES = {
    "name": "t",
    "title": "T",
    "path": "t.csv",
    "hash": "sha256:0",
    "temporal": {"start": 2000, "end": 2001},
    "sources": [{"id": "s", "publisher": "P", "title": "x", "path": "u", "edition": "e"}],
    "caveats": ["c1"],
}


def test_provenance_is_read_only_all_the_way_down():
    p = provenance(RES)
    assert isinstance(p, Provenance) and p["sources"][0]["publisher"] == "P"
    assert p["sources"][0]["terms"] is None and p["caveats"] == ("c1",)
    for change in (
        lambda: p.__setitem__("table", "u"),
        lambda: p.update(table="u"),
        lambda: p.pop("table"),
        lambda: p["sources"][0].__setitem__("id", "z"),
        lambda: p["temporal"].clear(),
    ):
        with pytest.raises(TypeError, match="read-only"):
            change()
    mutable = dict(p)
    mutable["table"] = "u"
    assert p["table"] == "t"


def test_provenance_is_shared_by_pandas_not_copied_and_still_serialises():
    p = provenance(RES)
    assert copy.deepcopy(p) is p and copy.copy(p) is p
    frame = pd.DataFrame({"a": [2, 1]})
    frame.attrs["provenance"] = p
    derived = frame.sort_values("a").query("a > 0")  # pandas deep-copies attrs here
    assert derived.attrs["provenance"] is p
    assert pickle.loads(pickle.dumps(p)) == p
    assert json.loads(json.dumps(p))["sources"][0]["id"] == "s"
