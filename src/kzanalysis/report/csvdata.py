"""The data behind an element as a CSV download that works offline (a ``data:`` URI).

The file starts with ``#`` comment lines (title, sources with ids and editions, terms;
report and commit when the build sets :data:`ENV_VARIANT` / :data:`ENV_COMMIT`), then
the rows, with units in the column names. ``pd.read_csv(path, comment="#")`` reads it
back: string cells are quoted, so a ``#`` inside a value is data, not a comment.
"""

from __future__ import annotations

import base64
import csv
import os
from collections.abc import Sequence
from html import escape

import pandas as pd

from kzanalysis.report.references import SourceRef

#: Set by the build in the kernel's environment: the report variant (``arms-KAZ``).
ENV_VARIANT = "KZANALYSIS_VARIANT"
#: Set by the build in the kernel's environment: the git commit the report is built from.
ENV_COMMIT = "KZANALYSIS_COMMIT"

#: The link text of every download.
LINK_TEXT = "Download data (CSV)"


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def csv_text(frame: pd.DataFrame, *, title: str, sources: Sequence[SourceRef] = ()) -> str:
    """The CSV file: comment lines, then ``frame`` (index dropped, missing values empty).

    Args:
        frame: The rows, with reader column names that carry their units.
        title: The element's title (first comment line).
        sources: Sources of the rows: id, publisher, title, edition; one terms line each
            distinct terms text.
    """
    lines = [f"# {_one_line(title)}"]
    for src in sources:
        lines.append(
            f"# Source {src.id}: {_one_line(src.publisher)}, {_one_line(src.title)}"
            + (f"; edition: {_one_line(src.edition)}" if src.edition else "")
            + (f"; {src.url}" if src.url else "")
        )
    seen: set[str] = set()
    for src in sources:
        terms = (f"licence {src.licence}. " if src.licence else "") + src.terms
        if terms and terms not in seen:
            seen.add(terms)
            lines.append(f"# Terms ({_one_line(src.publisher)}): {_one_line(terms)}")
    for label, env in (("Report", ENV_VARIANT), ("Commit", ENV_COMMIT)):
        value = os.environ.get(env, "").strip()
        if value:
            lines.append(f"# {label}: {_one_line(value)}")
    body = frame.to_csv(index=False, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC)
    return "\n".join(lines) + "\n" + body


def data_uri(text: str) -> str:
    """``data:text/csv;charset=utf-8;base64,…`` of a CSV text (UTF-8)."""
    payload = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return f"data:text/csv;charset=utf-8;base64,{payload}"


def download_link(text: str, filename: str) -> str:
    """``<a download>`` carrying the CSV, so the download works from a file on disk."""
    return (
        f'<a class="kz-download" href="{data_uri(text)}" download="{escape(filename)}">'
        f"{LINK_TEXT}</a>"
    )


def read_csv_text(text: str) -> pd.DataFrame:
    """Read a CSV made by :func:`csv_text` back (as a reader would, ``comment="#"``)."""
    import io

    return pd.read_csv(io.StringIO(text), comment="#")
