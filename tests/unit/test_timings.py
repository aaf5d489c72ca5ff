"""Stage timings (kzanalysis.timings) and a report's stage breakdown (publish.execute)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kzanalysis import timings
from kzanalysis.publish.execute import stage_times


def test_nothing_is_recorded_outside_a_build(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv(timings.ENV, raising=False)
    with timings.stage("figures"):
        pass
    assert list(tmp_path.iterdir()) == []


def test_nested_stages_count_once_in_the_outermost(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "times.jsonl"
    monkeypatch.setenv(timings.ENV, str(target))
    with timings.stage("ledger"), timings.stage("data load"):
        pass
    with timings.stage("data load"):
        pass
    lines = [json.loads(line)["stage"] for line in target.read_text().splitlines()]
    assert lines == ["ledger", "data load"]
    with pytest.raises(KeyError), timings.stage("figures"):  # an error still records
        raise KeyError("x")
    assert set(timings.read_totals(target)) == {"ledger", "data load", "figures"}


def test_read_totals_sums_and_skips_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    path.write_text(
        '{"stage": "figures", "seconds": 0.25}\n{"stage": "figures", "seconds": 0.5}\n'
        '{"stage": "ledger"\nnot json\n{"stage": "ledger", "seconds": "x"}\n',
        encoding="utf-8",
    )
    assert timings.read_totals(path) == {"figures": 0.75}
    assert timings.read_totals(tmp_path / "missing.jsonl") == {}


def test_stage_times_from_papermill_metadata_and_kernel_totals() -> None:
    def cell(start: str, duration: float) -> dict:
        return {
            "cell_type": "code",
            "metadata": {"papermill": {"start_time": start, "duration": duration}},
        }

    nb = {
        "metadata": {"papermill": {"start_time": "2026-12-07T10:00:00.000000"}},
        "cells": [
            {"cell_type": "markdown", "metadata": {}},
            cell("2026-12-07T10:00:01.500000", 0.5),  # kernel started in 1.5 s
            cell("2026-12-07T10:00:02.000000", 3.0),
        ],
    }
    out = stage_times(nb, {"data load": 0.4, "figures": 1.1, "other": 9.0}, 0.75)
    # cells 3.5 s, of which data load 0.4 + figures 1.1: the rest 2.0 s
    assert out == {
        "kernel start": 1.5,
        "data load": 0.4,
        "figures": 1.1,
        "imports and other compute": 2.0,
        "HTML conversion": 0.75,
    }
    assert "kernel start" not in stage_times({"cells": []}, {}, 0.1)
