"""Compute floor: the report variants' notebook code run as plain Python in one process.

This is what cannot be avoided when building the reports: importing the libraries
once, running every code cell, formatting the values the notebook displays (text
and HTML reprs) and rendering every figure to PNG, as the inline backend does. No
kernel, no Jupyter messaging, no notebook files, no HTML conversion. Each variant
gets a fresh namespace (its parameters injected after the ``parameters`` cell, as
papermill does); imported modules and the datasets' per-process cache are shared,
which is exactly the saving a single process has over one kernel per report.

Before the first variant the process does what a build's warm-kernel server has done
before it forks a report's kernel: it imports :func:`kzanalysis.publish.warm.default_modules`
(the libraries and every chapter's modules), loads every catalogued table into the
datasets' cache and runs its warm-up (:func:`kzanalysis.publish.warm.warm_up`: one figure,
one model fit, one styled table, so the libraries' first-use work is done). Each is timed
on its own (``"_imports"``, ``"_tables"`` and ``"_warm_up"`` in the output), so a
report's compute is what its cells do, as in a build, and the first report does not
carry the process's imports, its tables' loading or the libraries' first-use work.

Usage (from ``benchmarks/bench.py``, which times the whole process)::

    python benchmarks/floor.py NOTEBOOK_DIR VARIANTS_JSON
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import io
import json
import os
import sys
import time
from pathlib import Path
from typing import Any


def code_cells(nb: dict[str, Any]) -> list[tuple[str, bool]]:
    """(source, is_parameters_cell) of each code cell."""
    out = []
    for cell in nb["cells"]:
        if cell.get("cell_type") != "code":
            continue
        src = cell.get("source", "")
        src = "".join(src) if isinstance(src, list) else src
        tags = cell.get("metadata", {}).get("tags", [])
        out.append((src, "parameters" in tags))
    return out


def show(value: Any) -> None:
    """Format a displayed value the way a kernel does: plain text and, if any, HTML."""
    if value is None:
        return
    repr(value)
    html = getattr(value, "_repr_html_", None)
    if callable(html):
        html()


def flush_figures() -> int:
    """Render every open figure to PNG (like the inline backend) and close it."""
    import matplotlib.pyplot as plt

    numbers = plt.get_fignums()
    for num in numbers:
        fig = plt.figure(num)
        fig.savefig(io.BytesIO(), format="png", bbox_inches="tight")
    plt.close("all")
    return len(numbers)


def run_cell(source: str, namespace: dict[str, Any]) -> None:
    """Execute a cell; display the value of a final expression, as IPython does."""
    from IPython.core.inputtransformer2 import TransformerManager

    source = TransformerManager().transform_cell(source)  # %magics, if any
    tree = ast.parse(source)
    last = tree.body[-1] if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    body = ast.Module(body=tree.body[:-1] if last else tree.body, type_ignores=[])
    exec(compile(body, "<cell>", "exec"), namespace)
    if last is not None:
        show(eval(compile(ast.Expression(last.value), "<cell>", "eval"), namespace))


def run_variant(notebook: Path, parameters: dict[str, Any]) -> int:
    """Run one variant's code in a fresh namespace; return the number of figures."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    namespace: dict[str, Any] = {"__name__": "__main__", "display": lambda *a, **k: _show_all(a)}
    figures = 0
    for source, is_parameters in code_cells(nb):
        run_cell(source, namespace)
        if is_parameters:
            namespace.update(parameters)  # what papermill's injected cell does
        figures += flush_figures()
    return figures


def _show_all(values: tuple[Any, ...]) -> None:
    for value in values:
        show(value)


def main(argv: list[str]) -> int:
    """Run every variant listed in ``VARIANTS_JSON`` (name, notebook, parameters)."""
    nb_dir, variants = (
        Path(argv[0]).resolve(),
        json.loads(Path(argv[1]).read_text(encoding="utf-8")),
    )
    os.environ.setdefault("MPLBACKEND", "Agg")
    os.chdir(nb_dir)  # papermill runs each notebook in its folder
    sys.path.insert(0, str(nb_dir))
    start = time.perf_counter()
    from kzanalysis.publish import warm

    for module in warm.default_modules():
        with contextlib.suppress(ImportError):  # what the server skips, so does the floor
            importlib.import_module(module)
    timings: dict[str, Any] = {"_imports": {"seconds": time.perf_counter() - start, "figures": 0}}
    start = time.perf_counter()
    from kzanalysis import catalog, datasets
    from kzanalysis.paths import data_dir

    folder = data_dir().resolve()  # as the warm-kernel server loads them
    for resource in catalog.load_catalog(folder).get("resources", []):
        datasets.load(resource["name"], folder)
    timings["_tables"] = {"seconds": time.perf_counter() - start, "figures": 0}
    start = time.perf_counter()
    warm.warm_up()
    timings["_warm_up"] = {"seconds": time.perf_counter() - start, "figures": 0}
    for variant in variants:
        start = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):  # printed text is kept, as a kernel does
            figures = run_variant(nb_dir / variant["notebook"], variant["parameters"])
        timings[variant["name"]] = {"seconds": time.perf_counter() - start, "figures": figures}
    print(json.dumps(timings))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
