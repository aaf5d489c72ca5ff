"""BACI-scale benchmark: DuckDB aggregation (kzanalysis.bigtrade) vs pandas read-and-groupby.

``generate`` writes a BACI-shaped Parquet (t, i, j, k, v, q) of N rows with DuckDB
(deterministic hashes, no randomness, bounded memory): years in contiguous blocks as
in BACI's yearly files, exporters, importers and HS6 codes spread by hashing over
200 countries and ~9,600 HS4 headings. ``duckdb`` and ``pandas`` each run in their
own process (``python benchmarks/baci.py duckdb|pandas PARQUET``) so their peak
resident memory (``ru_maxrss``) is measured separately; each prints one JSON line.

Both answer the same question: one reporter's exports by partner × HS4 × year.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

REPORTER = 398  # Kazakhstan's BACI code (ISO 3166 numeric)
YEARS = 23  # 2000-2022


def country_codes() -> list[int]:
    """200 ISO 3166 numeric codes, Kazakhstan included."""
    import pycountry

    codes = sorted(int(c.numeric) for c in pycountry.countries)
    picked = codes[:: max(1, len(codes) // 200)][:199]
    return sorted({*picked, REPORTER})


def generate(path: Path, rows: int) -> dict[str, float]:
    """Write ``rows`` BACI-shaped rows to ``path``; return seconds and size."""
    import duckdb

    codes = country_codes()
    per_year = -(-rows // YEARS)
    start = time.perf_counter()
    con = duckdb.connect()
    con.execute("SET memory_limit = '1GB'")
    con.execute("SET preserve_insertion_order = false")
    con.execute(
        f"""
        COPY (
          SELECT CAST(2000 + r // {per_year} AS SMALLINT) AS t,
                 CAST(list_element({codes}, 1 + CAST(hash(r, 1) % {len(codes)} AS INTEGER))
                      AS SMALLINT) AS i,
                 CAST(list_element({codes}, 1 + CAST(hash(r, 2) % {len(codes)} AS INTEGER))
                      AS SMALLINT) AS j,
                 CAST(10100 + hash(r, 3) % 960000 AS INTEGER) AS k,
                 CAST(hash(r, 4) % 10000000 AS DOUBLE) / 100.0 AS v,
                 CASE WHEN hash(r, 5) % 10 = 0 THEN NULL
                      ELSE CAST(hash(r, 6) % 1000000 AS DOUBLE) / 10.0 END AS q
          FROM range({rows}) AS s(r)
        ) TO '{path}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 1000000)
        """
    )
    con.close()
    return {"seconds": time.perf_counter() - start, "bytes": path.stat().st_size}


def peak_rss_mb() -> float:
    """Peak resident memory of this process, MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_duckdb(path: Path) -> dict[str, float]:
    """kzanalysis.bigtrade.aggregate with its default memory limit."""
    from kzanalysis import bigtrade

    start = time.perf_counter()
    out = bigtrade.aggregate(path, [REPORTER], flow="export")
    return {
        "seconds": time.perf_counter() - start,
        "groups": len(out),
        "total_usd_mn": float(out["value_usd_mn"].sum()),
        "peak_rss_mb": peak_rss_mb(),
    }


def run_pandas(path: Path) -> dict[str, float]:
    """What a pandas user writes: read the columns, filter, derive HS4, group by."""
    import pandas as pd

    start = time.perf_counter()
    df = pd.read_parquet(path, columns=["t", "i", "j", "k", "v", "q"])
    part = df[df["i"] == REPORTER]
    hs4 = part["k"].astype(str).str.zfill(6).str[:4]
    out = (
        part.assign(product_code=hs4)
        .groupby(["j", "product_code", "t"], sort=True)
        .agg(value=("v", "sum"), quantity_t=("q", "sum"), n_rows=("v", "size"))
        .reset_index()
    )
    out["value_usd_mn"] = out["value"] / 1000.0
    return {
        "seconds": time.perf_counter() - start,
        "groups": len(out),
        "total_usd_mn": float(out["value_usd_mn"].sum()),
        "peak_rss_mb": peak_rss_mb(),
    }


if __name__ == "__main__":
    mode, target = sys.argv[1], Path(sys.argv[2])
    if mode == "generate":
        print(json.dumps(generate(target, int(sys.argv[3]))))
    else:
        print(json.dumps({"duckdb": run_duckdb, "pandas": run_pandas}[mode](target)))
