"""Where a report's build time goes: stage timings recorded by the library in the kernel.

While ``kzanalysis build`` runs a variant it sets ``$KZANALYSIS_TIMINGS_FILE`` for the
kernel; the library then appends one JSON line ``{"stage", "seconds"}`` per timed block:

- ``data load`` — reading, checking and validating a curated table
  (:func:`kzanalysis.datasets.load`, first load in the process only: later ones are copies);
- ``ledger`` — the claims ledger rows a report shows (:mod:`kzanalysis.claims.cache`);
- ``figures`` — rendering a report figure to SVG (:class:`kzanalysis.report.Figure`).

Nested blocks count once, in the outermost stage (a ledger evaluated in the kernel loads
tables: that is ledger time). The build adds the stages seen from outside the kernel —
kernel start (papermill's start to the first cell), the rest of the cells' time (imports
and computing, which a kernel cannot tell apart), HTML conversion — with
:func:`kzanalysis.publish.execute.stage_times`, and stores them with the variant's state;
``make bench`` sums them over a cold build. Outside a build nothing is recorded.

Only the standard library is imported here.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

ENV = "KZANALYSIS_TIMINGS_FILE"
#: The stages of a report's build, in order (kernel-side ones are recorded here).
STAGES = (
    "kernel start",
    "data load",
    "ledger",
    "figures",
    "imports and other compute",
    "HTML conversion",
)
_depth: list[int] = [0]


@contextlib.contextmanager
def stage(name: str) -> Iterator[None]:
    """Time the block as stage ``name`` (no-op outside a build, and when nested)."""
    target = os.environ.get(ENV)
    if not target or _depth[0]:
        _depth[0] += 1
        try:
            yield
        finally:
            _depth[0] -= 1
        return
    _depth[0] += 1
    start = time.perf_counter()
    try:
        yield
    finally:
        _depth[0] -= 1
        line = json.dumps({"stage": name, "seconds": time.perf_counter() - start}) + "\n"
        with contextlib.suppress(OSError), open(target, "a", encoding="utf-8") as fh:
            fh.write(line)


def read_totals(path: Path) -> dict[str, float]:
    """Seconds per stage in a timings file (missing file: nothing; bad lines skipped)."""
    totals: dict[str, float] = {}
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return totals
    for line in text.splitlines():
        try:
            entry = json.loads(line)
            name, seconds = str(entry["stage"]), float(entry["seconds"])
        except (json.JSONDecodeError, KeyError, TypeError, ValueError):
            continue
        totals[name] = totals.get(name, 0.0) + seconds
    return totals
