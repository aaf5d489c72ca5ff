"""Plain-text notebook output helpers."""

from __future__ import annotations

import pandas as pd

from kzanalysis.display import say, show


def test_say_wraps_at_100_characters(capsys):
    say("word " * 60)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3 and max(map(len, lines)) <= 100


def test_show_fixed_decimals_thousands_and_dash_for_missing(capsys):
    frame = pd.DataFrame({"year": [2020, 2021], "value_usd_mn": [12345.678, None]})
    show(frame)
    assert capsys.readouterr().out.splitlines() == [
        " year  value_usd_mn",
        " 2020      12,345.7",
        " 2021             -",
    ]
    show(frame.set_index("year"), digits=0, index=True, na_rep="n/a")
    out = capsys.readouterr().out
    assert "12,346" in out and "n/a" in out and "2021" in out
