"""Text columns use pandas' Python string storage, whatever was imported first.

``kzanalysis.datasets`` sets ``mode.string_storage`` to ``"python"`` when imported (the
chapters' many small selections cost a tenth more with pyarrow storage), unless the
session chose a storage. pandera resolves the dtype name ``"str"`` with the storage of
the time it was imported, so the tables' schemas name the resolved dtype instead: a table
must load whether pandera came before or after ``datasets``.
"""

from __future__ import annotations

import pandas as pd

from kzanalysis import datasets
from tests.probe import run_probe

#: Runs in a fresh interpreter: optionally choose a storage, import pandera before the
#: loaders, load a table and report the storage of its text columns.
_PROBE = """
import json
import pandas as pd
CHOICE = {choice!r}
if CHOICE:
    pd.set_option("mode.string_storage", CHOICE)
import pandera.pandas  # before kzanalysis.datasets: pandera resolves "str" at import
from kzanalysis import datasets
frame = datasets.load("brent_annual")
text = [c for c in frame.columns if isinstance(frame[c].dtype, pd.StringDtype)]
print(json.dumps({{"option": pd.get_option("mode.string_storage"), "text_columns": len(text),
                   "storages": sorted({{frame[c].dtype.storage for c in text}}),
                   "dtype_names": sorted({{str(frame[c].dtype) for c in text}})}}))
"""


def test_loaded_tables_hold_text_in_python_storage_even_if_pandera_came_first() -> None:
    found = run_probe(_PROBE.format(choice=None), timeout=120)
    assert found["option"] == datasets.STRING_STORAGE == "python"
    assert found["text_columns"] >= 1
    assert found["storages"] == ["python"]
    assert found["dtype_names"] == ["str"]  # the dtype readers see is unchanged


def test_a_session_that_chose_a_storage_keeps_it_and_its_tables_still_validate() -> None:
    found = run_probe(_PROBE.format(choice="pyarrow"), timeout=120)
    assert found["option"] == "pyarrow"
    assert found["storages"] == ["pyarrow"]


def test_frames_built_after_the_import_share_the_tables_storage() -> None:
    datasets.use_string_storage()  # a no-op once set: the option is no longer "auto"
    built = pd.Series(["RUS", "CHN", None])
    assert built.dtype.storage == pd.get_option("mode.string_storage")
    assert built.isna().tolist() == [False, False, True]  # the same missing value as before
