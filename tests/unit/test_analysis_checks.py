"""The column check every chapter analysis uses on its input frames."""

from __future__ import annotations

import pandas as pd
import pytest

from kzanalysis.analysis import arms, energy, polls, synthesis, trade
from kzanalysis.analysis._checks import MissingColumnsError, require_columns


def test_missing_columns_named_with_what_is_there_and_the_fix():
    frame = pd.DataFrame({"year": [2020], "share_pct": [1.0]})
    require_columns(frame, ["year"], "f")  # present: no error
    with pytest.raises(MissingColumnsError) as info:
        require_columns(frame, ["year", "tiv_mn", "source"], "arms window_sums")
    text = str(info.value)
    assert text.startswith("arms window_sums: missing column(s) ['tiv_mn', 'source']")
    assert "columns present: ['year', 'share_pct']" in text
    assert "kzanalysis.datasets.load()" in text
    # callers written against either convention keep working
    assert isinstance(info.value, KeyError) and isinstance(info.value, ValueError)


@pytest.mark.parametrize("module", [arms, energy, polls, synthesis, trade])
def test_every_chapter_uses_the_shared_check(module):
    assert module._require_columns is require_columns
