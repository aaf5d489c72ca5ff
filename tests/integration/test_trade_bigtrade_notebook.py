"""The trade notebook uses a configured large BACI source for any country (issue: scale)."""

from __future__ import annotations

import os
import subprocess
import sys

import nbformat
import pandas as pd
import pytest

from tests.conftest import PROJECT_ROOT

UZB, CHN = 860, 156


@pytest.fixture
def baci(tmp_path):
    rows = []
    for year in range(2015, 2025):
        rows.append((year, UZB, CHN, 100190, 1000.0 * (year - 2014), 1.0))  # wheat
        rows.append((year, UZB, CHN, 270900, 5000.0, 1.0))  # crude
        rows.append((year, CHN, UZB, 870323, 2000.0, 1.0))  # cars
    pd.DataFrame(rows, columns=list("tijkvq")).to_parquet(tmp_path / "baci.parquet")
    return tmp_path


def test_trade_notebook_reads_products_from_a_configured_baci_source(baci, tmp_path):
    out = tmp_path / "trade-UZB.ipynb"
    env = {**os.environ, "KZANALYSIS_BACI_PARQUET": str(baci)}
    cmd = [
        sys.executable, "-m", "papermill", "-k", "python3", "--log-level", "ERROR",
        str(PROJECT_ROOT / "notebooks" / "01_eaeu_trade.ipynb"), str(out), "-p", "country", "UZB",
    ]  # fmt: skip
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    nb = nbformat.read(out, as_version=4)
    text = "".join(
        o.get("text", "") + o.get("data", {}).get("text/plain", "")
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
    )
    assert "Top 10 HS4 products, Uzbekistan's exports to China" in text
    assert "Wheat (HS 1001) exports to China: US$ 3.0 mn in 2017, US$ 4.0 mn in 2018" in text
    assert "product composition skipped" not in text
