"""``benchmarks/scale.py``'s reading of a front page and its markdown section (no build)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from kzanalysis.publish import index as I
from tests.unit.test_scale_grid import synthetic_site

SCALE = Path(__file__).resolve().parents[2] / "benchmarks" / "scale.py"


def load_scale():
    spec = importlib.util.spec_from_file_location("scale_bench", SCALE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_index_facts_count_the_parameter_set_groups_and_see_the_filters(tmp_path):
    scale = load_scale()
    reports, pairs = synthetic_site(tmp_path)
    facts = scale.index_facts(I.render_index(reports, pairs, data=tmp_path))
    assert facts["groups"] == 6 and facts["filters"] is True  # every chapter but overview
    assert facts["reports_in_groups"] == len(pairs) - 1  # all but overview-KAZ
    plain = I.render_index(reports, pairs[:29], data=tmp_path)
    assert scale.index_facts(plain)["groups"] == 0


def test_render_states_seconds_per_variant_and_the_targets(tmp_path):
    scale = load_scale()
    res = {
        "when": "2026-12-07 12:00 UTC",
        "default": {"variants": 29, "seconds": 58.0, "built": 29, "failed": 0},
        "grid": {"variants": 278, "seconds": 556.0, "built": 278, "failed": 0},
        "per_variant_s": {"default": 2.0, "grid": 2.0},
        "noop": {"median_s": 0.9, "runs_s": [0.9], "cpu_median_s": 0.8, "load_avg": [1.0]},
        "index": {"groups": 6, "reports_in_groups": 277, "filters": True, "size_kb": 400.0},
        "targets": {
            "linear": {"value": 1.0, "target_max": 1.25, "met": True},
            "noop": {"value": 0.9, "target_max": 1.0, "met": True},
        },
    }
    text = scale.render(res)
    written = scale.write(res, tmp_path / "results")  # what scale.py and bench.py write
    assert written == text == (tmp_path / "results" / "scale.md").read_text(encoding="utf-8")
    assert json.loads((tmp_path / "results" / "scale.json").read_text(encoding="utf-8")) == res
    assert (
        "| generated grid, cold (`--force --config GRID`) | 278 | 556.0 | 2.00 | 278 | 0 |" in text
    )
    assert "No-op build of the grid: 0.90 s wall" in text and "met" in text
    assert "Index: 6 parameter-set groups" in text and "dask" not in text
