"""Warm vs normal kernels: the chapter notebooks executed as a build worker executes them.

One long-lived worker process per mode (as a build worker is), jobs handed out one
at a time and interleaved across modes (so load from other processes hits every
mode alike), repeated ``--runs`` times; per notebook the median seconds of
``papermill.execute_notebook`` (what ``build.execute.run_notebook`` calls), and
the first job of each worker separately (a warm worker's first job also starts its
fork server).

Modes: ``normal`` (a fresh ``python -m ipykernel_launcher`` per notebook), ``warm``
(forked from the server, tables preloaded), ``warm-nodata`` (forked, imports only).

Usage::

    python benchmarks/warm.py [--runs 3] [--out benchmarks/results]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench import jupyter_env, load_variants  # noqa: E402

MODES = {
    "normal": {"KZANALYSIS_WARM_KERNELS": "0"},
    "warm": {"KZANALYSIS_WARM_KERNELS": "1", "KZANALYSIS_WARM_DATA": "1"},
    "warm-nodata": {"KZANALYSIS_WARM_KERNELS": "1", "KZANALYSIS_WARM_DATA": "0"},
}


def _init(env: dict[str, str]) -> None:
    os.environ.update(env)


def run_one(notebook: str, parameters: dict[str, Any], out: str) -> float:
    """Seconds to execute ``notebook`` as ``build.execute.run_notebook`` does (+ warm kwargs)."""
    import papermill as pm

    from kzanalysis.publish import warm
    from kzanalysis.publish.execute import kernel_config

    start = time.perf_counter()
    pm.execute_notebook(
        notebook,
        out,
        parameters=parameters,
        kernel_name="python3",
        cwd=str(Path(notebook).parent),
        progress_bar=False,
        log_output=False,
        start_timeout=60,
        execution_timeout=600,
        config=kernel_config(),
        **warm.engine_kwargs(),
    )
    return time.perf_counter() - start


def main(argv: list[str]) -> int:
    """Run the comparison; print and write the table."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--modes", default=",".join(MODES))
    p.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    args = p.parse_args(argv)
    modes = args.modes.split(",")
    variants = load_variants(quick=True)
    base_env = jupyter_env()
    tmp = Path(tempfile.mkdtemp(prefix="kzwarmbench-"))
    ctx = multiprocessing.get_context("spawn")
    pools = {}
    for mode in modes:
        os.environ.update(base_env)
        pools[mode] = ProcessPoolExecutor(1, mp_context=ctx, initializer=_init, initargs=(
            {**base_env, **MODES[mode]},))  # fmt: skip
    times: dict[str, dict[str, list[float]]] = {m: {} for m in modes}
    first: dict[str, dict[str, Any]] = {}
    try:
        for run in range(args.runs + 1):  # run 0: each worker's first job, reported apart
            for i, v in enumerate(variants):
                order = modes[(run + i) % len(modes) :] + modes[: (run + i) % len(modes)]
                for mode in order:
                    nb = str(ROOT / "notebooks" / v["notebook"])
                    out = str(tmp / f"{mode}-{v['name']}.ipynb")
                    seconds = pools[mode].submit(run_one, nb, v["parameters"], out).result()
                    if run == 0 and mode not in first:
                        first[mode] = {"variant": v["name"], "seconds": round(seconds, 2)}
                    elif run > 0:
                        times[mode].setdefault(v["name"], []).append(seconds)
                    print(f"run {run} {mode:12} {v['name']:14} {seconds:6.2f} s", flush=True)
    finally:
        for pool in pools.values():
            pool.shutdown()
    medians = {m: {k: statistics.median(v) for k, v in t.items()} for m, t in times.items()}
    result = {
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "runs": args.runs,
        "cpus": os.cpu_count(),
        "load_avg": os.getloadavg(),
        "first_job": first,
        "median_s": {m: {k: round(v, 3) for k, v in d.items()} for m, d in medians.items()},
        "runs_s": {
            m: {k: [round(x, 3) for x in v] for k, v in d.items()} for m, d in times.items()
        },
    }
    lines = [
        f"# Warm vs normal kernels — {result['when']}",
        "",
        f"{args.runs} interleaved runs after one warm-up round; one worker process per mode; "
        f"{os.cpu_count()} CPUs shared with other work (load {result['load_avg'][0]:.2f}).",
        "",
        "| notebook (variant) | " + " | ".join(modes) + " | saving warm |",
        "|---|" + "---:|" * len(modes) + "---:|",
    ]
    for v in variants:
        row = [f"{medians[m][v['name']]:.2f}" for m in modes]
        saving = ""
        if "normal" in medians and "warm" in medians:
            saving = f"{medians['normal'][v['name']] - medians['warm'][v['name']]:.2f}"
        lines.append(f"| {v['notebook']} ({v['name']}) | " + " | ".join(row) + f" | {saving} |")
    totals = [f"{sum(medians[m].values()):.2f}" for m in modes]
    lines.append("| **sum** | " + " | ".join(totals) + " | |")
    lines += ["", "First job of each worker (a warm worker's includes starting its server):", ""]
    lines += [f"- {m}: {f['seconds']} s ({f['variant']})" for m, f in first.items()]
    table = "\n".join(lines) + "\n"
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "warm.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    (args.out / "warm.md").write_text(table, encoding="utf-8")
    print("\n" + table)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
