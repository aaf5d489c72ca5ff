"""Proof of scale: a generated grid of hundreds of variants builds in time linear in variants.

Measured in one run, in one snapshot of the project (``bench.Workspace``: library, data,
notebooks copied to a scratch folder), as wall-clock seconds of ``kzanalysis`` processes:

* **default, cold**: ``kzanalysis build --force`` of the chapter registry's default
  variants (29);
* **grid, cold**: ``kzanalysis variants grid`` writes every chapter × country × parameter
  set of the default grid (≥ 240 variants, the defaults included), then
  ``kzanalysis build --force --config GRID``;
* **grid, no-op**: ``kzanalysis build --config GRID`` again (nothing changed; median of
  ``runs``); the target is at most :data:`NOOP_TARGET_S`;
* **grid, dask**: ``kzanalysis build --force --config GRID --executor dask --scheduler
  ADDRESS`` on a ``distributed.LocalCluster`` of two single-thread worker processes;
* **index**: the grid build's ``index.html``: its parameter-set groups (one folded table
  per chapter), whether the filters are there, its size.

Seconds per variant of the grid against the default build (the same machine, minutes
apart) say whether the cost is linear: :data:`LINEAR_MAX` is the largest ratio accepted
(the grid's chapter mix differs from the defaults', so the ratio is not exactly 1).

Usage::

    python benchmarks/scale.py                 # everything (~20 min on 2 idle cores, ~1 h busy)
    python benchmarks/scale.py --no-dask       # without the dask build
    python benchmarks/scale.py --grid w=3 --grid y=2005   # a smaller grid

``benchmarks/bench.py`` calls :func:`run` and :func:`render` (``--scale``, on by default).
Results: ``benchmarks/results/scale.json`` and ``scale.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
#: The issue's target for a build with nothing to do, in seconds.
NOOP_TARGET_S = 1.0
#: Largest ratio of the grid's seconds per variant to the default build's that still
#: counts as linear.
LINEAR_MAX = 1.25


def _bench() -> Any:
    """``benchmarks/bench.py`` as a module (its workspace, timer and variant list)."""
    sys.path.insert(0, str(HERE))
    import bench

    return bench


def index_facts(page: str) -> dict[str, Any]:
    """What the front page offers for a large set: parameter-set groups and filters."""
    return {
        "groups": len(re.findall(r'<details class="kz-sets"', page)),
        "reports_in_groups": len(re.findall(r"\sdata-report[\s>]", page)),
        "filters": 'id="kz-sets-filters"' in page and 'id="kz-sets-chapter"' in page,
        "size_kb": round(len(page.encode()) / 1024, 1),
    }


def chapter_means(reports: Path, names: Sequence[str]) -> dict[str, float]:
    """Mean job seconds per chapter in a build (from the variants' state records)."""
    sys.path.insert(0, str(HERE.parent / "src"))
    from kzanalysis.chapters import split_variant_name

    seconds: dict[str, list[float]] = {}
    for name in names:
        try:
            state = json.loads((reports / ".build" / f"{name}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if state.get("duration_s"):
            chapter = split_variant_name(name).chapter
            seconds.setdefault(chapter, []).append(float(state["duration_s"]))
    return {c: round(statistics.mean(v), 2) for c, v in seconds.items()}


def _children_cpu() -> float:
    """CPU seconds (user + system) of the ended child processes so far."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _built(out: str) -> tuple[int, int]:
    """(built, failed) counts of a build's plain output."""
    built = len(re.findall(r": built \(why", out))
    failed = len(re.findall(r": failed \(", out))
    return built, failed


def dask_build(ws: Any, args: list[str], say: Callable[[str], None]) -> dict[str, Any]:
    """Time a ``--force`` build through ``--executor dask`` on a LocalCluster (2 worker
    processes, 1 thread each) whose workers see the snapshot's environment."""
    from distributed import LocalCluster

    saved = dict(os.environ)
    os.environ.update(ws.env())  # the workers' job subprocesses inherit it
    try:
        with LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster:
            say(f"dask LocalCluster at {cluster.scheduler_address}")
            seconds, out = ws.build(
                *args, "--force", "--executor", "dask", "--scheduler", cluster.scheduler_address
            )
    finally:
        os.environ.clear()
        os.environ.update(saved)
    built, failed = _built(out)
    return {"seconds": round(seconds, 2), "built": built, "failed": failed}


def run(
    runs: int = 3,
    grid: Sequence[str] = (),
    dask: bool = True,
    say: Callable[[str], None] = print,
    quick: bool = False,
) -> dict[str, Any]:
    """Measure the default and grid builds (and the dask build) in one snapshot.

    Args:
        runs: Repeats of the no-op build (median reported).
        grid: ``TAG=N,N`` items for ``kzanalysis variants grid --grid`` (default grid if
            empty).
        dask: Also build the grid through ``--executor dask`` on a LocalCluster.
        say: Progress lines.
        quick: The default build of one variant per notebook only (a smoke test).

    Returns:
        Seconds, variants, seconds per variant, the ratio, the no-op, the dask build,
        the index facts and whether each target is met.
    """
    bench = _bench()
    defaults = bench.load_variants(quick)
    ws = bench.Workspace(defaults)
    res: dict[str, Any] = {"when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")}
    try:
        say(f"scale: default cold build, {len(defaults)} variants")
        seconds, out = ws.build("--force")
        res["default"] = {"variants": len(defaults), "seconds": round(seconds, 2)}
        res["default"]["built"], res["default"]["failed"] = _built(out)
        say(f"scale: default cold {seconds:.1f} s, {seconds / len(defaults):.2f} s per variant")
        grid_file = ws.dir / "reports-grid.yaml"
        cmd = [str(bench.BIN / "kzanalysis"), "variants", "grid", "--out", str(grid_file)]
        for item in grid:
            cmd += ["--grid", item]
        _s, out = bench.timed(cmd, ws.env())
        total = int(re.search(r": (\d+) variants", out).group(1))
        import yaml

        doc = yaml.safe_load(grid_file.read_text(encoding="utf-8"))
        names = [v["name"] for v in bench.load_variants(False)] + [
            v["name"] for v in doc["variants"]
        ]
        res["grid_variants"] = total
        say(f"scale: grid cold build, {total} variants")
        grid_reports = ws.dir / "grid-reports"
        env = {"KZANALYSIS_REPORTS_DIR": str(grid_reports)}
        args = ["--config", str(grid_file)]
        seconds, out = ws.build(*args, "--force", env=env)
        res["grid"] = {"variants": total, "seconds": round(seconds, 2)}
        res["grid"]["built"], res["grid"]["failed"] = _built(out)
        say(f"scale: grid cold {seconds:.1f} s, {seconds / total:.2f} s per variant, {res['grid']}")
        res["chapter_mean_job_s"] = chapter_means(grid_reports, names)
        noops, cpus = [], []
        for _ in range(runs):
            before = _children_cpu()
            noops.append(ws.build(*args, env=env)[0])
            cpus.append(_children_cpu() - before)
        res["noop"] = {
            "median_s": round(statistics.median(noops), 3),
            "runs_s": [round(s, 3) for s in noops],
            "cpu_median_s": round(statistics.median(cpus), 3),
            "load_avg": [round(x, 2) for x in os.getloadavg()],
        }
        say(f"scale: no-op {res['noop']}")
        page = (grid_reports / "index.html").read_text(encoding="utf-8")
        res["index"] = index_facts(page)
        say(f"scale: index {res['index']}")
        if dask:
            say(f"scale: grid cold build through dask, {total} variants")
            saved_reports = ws.reports
            ws.reports = grid_reports
            try:
                res["dask"] = {"variants": total, **dask_build(ws, args, say)}
                say(f"scale: dask {res['dask']}")
            finally:
                ws.reports = saved_reports
    finally:
        ws.close()
    per = {
        k: res[k]["seconds"] / res[k]["variants"] for k in ("default", "grid", "dask") if k in res
    }
    res["per_variant_s"] = {k: round(v, 3) for k, v in per.items()}
    ratio = per["grid"] / per["default"]
    res["targets"] = {
        "linear": {"value": round(ratio, 3), "target_max": LINEAR_MAX, "met": ratio <= LINEAR_MAX},
        "noop": {
            "value": res["noop"]["median_s"],
            "target_max": NOOP_TARGET_S,
            "met": res["noop"]["median_s"] <= NOOP_TARGET_S,
        },
        "at_least_240": {"value": res["grid_variants"], "met": res["grid_variants"] >= 240},
        "index_grouped_and_filterable": {
            "value": res["index"]["groups"],
            "met": res["index"]["groups"] > 0 and res["index"]["filters"],
        },
    }
    return res


def render(res: dict[str, Any]) -> str:
    """The markdown section of a :func:`run` result."""
    per = res["per_variant_s"]
    lines = [
        f"## Proof of scale — {res['when']}",
        "",
        "| build | variants | seconds | s per variant | built | failed |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for key, label in (
        ("default", "default variants, cold (`--force`)"),
        ("grid", "generated grid, cold (`--force --config GRID`)"),
        ("dask", "generated grid, cold, `--executor dask` (LocalCluster 2×1)"),
    ):
        if key in res:
            r = res[key]
            lines.append(
                f"| {label} | {r['variants']} | {r['seconds']:.1f} | {per[key]:.2f} | "
                f"{r['built']} | {r['failed']} |"
            )
    t, idx = res["targets"], res["index"]
    noop = res["noop"]
    lines += [
        "",
        f"No-op build of the grid: {noop['median_s']:.2f} s wall (runs {noop['runs_s']}; "
        f"target ≤ {NOOP_TARGET_S:g} s: {'met' if t['noop']['met'] else 'NOT met'}), "
        f"{noop['cpu_median_s']:.2f} s CPU; load average then {noop['load_avg']}.",
        f"Seconds per variant, grid ÷ default: {t['linear']['value']:.2f} (linear if ≤ "
        f"{LINEAR_MAX}: {'met' if t['linear']['met'] else 'NOT met'}).",
        f"Index: {idx['groups']} parameter-set groups (one folded table per chapter) holding "
        f"{idx['reports_in_groups']} reports, filters by chapter and country: "
        f"{'yes' if idx['filters'] else 'no'}; {idx['size_kb']} KB.",
    ]
    if res.get("chapter_mean_job_s"):
        means = ", ".join(f"{c} {s:.1f} s" for c, s in res["chapter_mean_job_s"].items())
        lines.append(f"Mean job seconds per chapter in the grid build: {means}.")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    """Run the scale benchmark alone and write ``scale.json`` and ``scale.md``."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--runs", type=int, default=3, help="repeats of the no-op build (default 3)")
    p.add_argument("--grid", action="append", default=[], help="TAG=N,N (repeatable)")
    p.add_argument("--dask", action=argparse.BooleanOptionalAction, default=True)
    p.add_argument("--quick", action="store_true", help="default build: one variant per notebook")
    p.add_argument("--out", type=Path, default=RESULTS, help="results folder")
    args = p.parse_args(argv)

    def say(text: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)

    res = run(args.runs, args.grid, args.dask, say, args.quick)
    print("\n" + write(res, args.out))
    return 0


def write(res: dict[str, Any], out: Path) -> str:
    """Write ``scale.json`` and ``scale.md`` of a :func:`run` result into ``out``; the
    markdown (``bench.py`` writes them too, so the results folder holds one run)."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "scale.json").write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
    text = render(res)
    (out / "scale.md").write_text(text, encoding="utf-8")
    return text


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
