"""Plain-text output helpers for the notebooks: narrative and tables that nbval can compare.

Example:
    >>> import pandas as pd
    >>> show(pd.DataFrame({"year": [2020, 2021], "share_pct": [12.345, None]}))
     year  share_pct
     2020       12.3
     2021          -
"""

from __future__ import annotations

import textwrap

import pandas as pd

#: Width of wrapped narrative, in characters.
WIDTH = 100


def say(text: str, width: int = WIDTH) -> None:
    """Print narrative computed from the data, wrapped for reading.

    Args:
        text: One paragraph.
        width: Line width in characters.
    """
    print(textwrap.fill(text, width=width))


def show(frame: pd.DataFrame, digits: int = 1, index: bool = False, na_rep: str = "-") -> None:
    """Print a table as plain text (stable for nbval): thousands separators, fixed decimals.

    Args:
        frame: The table.
        digits: Decimals of every float column.
        index: Print the index too.
        na_rep: Text of a missing value.
    """
    print(frame.to_string(index=index, na_rep=na_rep, float_format=lambda v: f"{v:,.{digits}f}"))
