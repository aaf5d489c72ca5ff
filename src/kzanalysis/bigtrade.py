"""Large product-level trade (CEPII BACI / Comtrade scale) through DuckDB: Parquet in, pandas out.

BACI ships one row per year × exporter × importer × HS6 product: hundreds of
millions of rows for all reporters, too many for ``pandas.read_parquet``. This
module runs the partner × product × year aggregation inside DuckDB, which streams
the Parquet files (only the needed columns, row groups skipped by their
statistics) under a fixed memory limit, and returns the small aggregated frame.

The Parquet schema is BACI's (file names and partitioning are free: a file, a
glob, or a folder of ``*.parquet``):

========  =====================================================  ==============
column    meaning                                                type
========  =====================================================  ==============
``t``     year                                                   integer
``i``     exporter, BACI numeric country code (ISO 3166 numeric  integer
          with a few BACI-specific codes, see :data:`BACI_CODES`)
``j``     importer, same codes                                   integer
``k``     HS6 product code                                       integer or text
``v``     value, thousand current USD                            float
``q``     quantity, metric tons (may be null)                    float
========  =====================================================  ==============

Use from the trade analysis: :func:`configure` a source once (or set
``$KZANALYSIS_BACI_PARQUET``), then :func:`products_frame` returns rows shaped
like the curated ``trade_products_hs4`` table (``source`` = ``baci``) for
:mod:`kzanalysis.analysis.trade`'s product functions, or ``None`` when no large
source is configured.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from kzanalysis.errors import KzAnalysisError

ENV_VAR = "KZANALYSIS_BACI_PARQUET"
BACI_COLUMNS = ("t", "i", "j", "k", "v", "q")
FLOWS = ("export", "import")
#: Default DuckDB limits: enough for a 50-million-row aggregation, small on a laptop.
DEFAULT_MEMORY_LIMIT = "1GB"
#: BACI codes that differ from ISO 3166-1 numeric (CEPII country_codes file).
BACI_CODES = {
    842: "USA",  # ISO 840
    251: "FRA",  # ISO 250 (BACI includes Monaco)
    757: "CHE",  # ISO 756 (with Liechtenstein)
    699: "IND",  # ISO 356
    579: "NOR",  # ISO 578 (with Svalbard)
    490: "TWN",  # "Other Asia, n.e.s." = Taiwan in BACI
    58: "BEL",  # Belgium-Luxembourg (before 1999)
}


class BigTradeError(KzAnalysisError):
    """A large trade source is missing, unreadable or not BACI-shaped."""


@dataclass(frozen=True)
class BigTradeSource:
    """A configured large Parquet source and the DuckDB limits used to query it."""

    path: str
    memory_limit: str = DEFAULT_MEMORY_LIMIT
    threads: int | None = None


_configured: BigTradeSource | None = None


def configure(
    path: str | Path | None,
    *,
    memory_limit: str = DEFAULT_MEMORY_LIMIT,
    threads: int | None = None,
) -> BigTradeSource | None:
    """Set (or with ``None`` clear) the large trade source used by :func:`products_frame`.

    Args:
        path: A Parquet file, a glob (``baci/*.parquet``) or a folder of Parquet files.
        memory_limit: DuckDB memory limit, e.g. ``"1GB"``; larger aggregations spill to disk.
        threads: DuckDB threads (default: all cores).

    Returns:
        The configured source (``None`` when cleared).

    Raises:
        BigTradeError: no Parquet file matches ``path``.
    """
    global _configured
    if path is None:
        _configured = None
        return None
    source = BigTradeSource(parquet_glob(path), memory_limit, threads)
    _configured = source
    return source


def configured_source() -> BigTradeSource | None:
    """The source set by :func:`configure`, else ``$KZANALYSIS_BACI_PARQUET``, else ``None``."""
    if _configured is not None:
        return _configured
    env = os.environ.get(ENV_VAR)
    return BigTradeSource(parquet_glob(env)) if env else None


def parquet_glob(path: str | Path) -> str:
    """The DuckDB file pattern for ``path`` (a folder becomes ``folder/**/*.parquet``).

    Raises:
        BigTradeError: nothing matches.
    """
    import glob

    text = str(path)
    if Path(text).is_dir():
        text = str(Path(text) / "**" / "*.parquet")
    if not glob.glob(text, recursive=True):
        raise BigTradeError(
            f"no Parquet file matches {text!r} (large trade source); point "
            f"kzanalysis.bigtrade.configure() or ${ENV_VAR} at BACI-shaped Parquet files"
        )
    return text


def connect(memory_limit: str = DEFAULT_MEMORY_LIMIT, threads: int | None = None) -> Any:
    """An in-memory DuckDB connection with a memory limit (spilling to a temp folder)."""
    import duckdb

    con = duckdb.connect(":memory:")
    con.execute(f"SET memory_limit = '{_checked_size(memory_limit)}'")
    con.execute("SET preserve_insertion_order = false")  # lets aggregations stream
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    return con


def _checked_size(text: str) -> str:
    import re

    if not re.fullmatch(r"\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)", text.strip()):
        raise BigTradeError(f"memory_limit {text!r} is not a size like '1GB' or '512MB'")
    return text.strip()


def _check_schema(con: Any, pattern: str) -> None:
    cols = {
        row[0]
        for row in con.execute(
            "SELECT name FROM parquet_schema(?) WHERE num_children IS NULL", [pattern]
        ).fetchall()
    }
    missing = [c for c in BACI_COLUMNS[:5] if c not in cols]
    if missing:
        raise BigTradeError(
            f"{pattern}: Parquet lacks BACI column(s) {missing} (has {sorted(cols)}); expected "
            "t (year), i (exporter), j (importer), k (HS6 product), v (kUSD), q (tons)"
        )


def _in_list(values: Iterable[int]) -> str:
    return ", ".join(str(int(v)) for v in values)


def aggregate(
    source: str | Path | BigTradeSource,
    reporters: Sequence[int],
    *,
    flow: str = "export",
    partners: Sequence[int] | None = None,
    years: tuple[int, int] | None = None,
    product_digits: int = 4,
) -> pd.DataFrame:
    """Partner × product × year totals of ``reporters``' trade, aggregated in DuckDB.

    Args:
        source: Parquet file, glob or folder, or a :class:`BigTradeSource` with limits.
        reporters: BACI codes of the reporting countries (summed together).
        flow: ``export`` (reporter is exporter ``i``) or ``import`` (reporter is ``j``).
        partners: BACI codes of partners to keep (default: all).
        years: Inclusive ``(first, last)`` year range (default: all).
        product_digits: HS digits to aggregate to: 2, 4 or 6.

    Returns:
        DataFrame sorted by partner, product, year: ``partner`` (BACI code), ``product_code``
        (zero-padded text of ``product_digits`` digits), ``year``, ``value_usd_mn``,
        ``quantity_t`` (null when no row had a quantity), ``n_rows`` (HS6 rows summed).

    Raises:
        BigTradeError: bad arguments, missing files or a Parquet not shaped like BACI.
    """
    if flow not in FLOWS:
        raise BigTradeError(f"flow {flow!r} is not one of {FLOWS}")
    if product_digits not in (2, 4, 6):
        raise BigTradeError(f"product_digits {product_digits} must be 2, 4 or 6")
    if not reporters:
        raise BigTradeError("reporters is empty: give at least one BACI country code")
    src = source if isinstance(source, BigTradeSource) else BigTradeSource(parquet_glob(source))
    reporter_col, partner_col = ("i", "j") if flow == "export" else ("j", "i")
    where = [f"{reporter_col} IN ({_in_list(reporters)})"]
    if partners is not None:
        if not partners:
            raise BigTradeError("partners is empty: pass None for all partners")
        where.append(f"{partner_col} IN ({_in_list(partners)})")
    if years is not None:
        where.append(f"t BETWEEN {int(years[0])} AND {int(years[1])}")
    product = f"substr(lpad(CAST(k AS VARCHAR), 6, '0'), 1, {product_digits})"
    sql = f"""
        SELECT {partner_col} AS partner, {product} AS product_code, t AS year,
               sum(v) / 1000.0 AS value_usd_mn, sum(q) AS quantity_t, count(*) AS n_rows
        FROM read_parquet(?)
        WHERE {" AND ".join(where)}
        GROUP BY ALL
        ORDER BY partner, product_code, year
    """
    con = connect(src.memory_limit, src.threads)
    try:
        _check_schema(con, src.path)
        out = con.execute(sql, [src.path]).df()
    except Exception as exc:
        if isinstance(exc, BigTradeError):
            raise
        raise BigTradeError(f"DuckDB query on {src.path} failed: {exc}") from exc
    finally:
        con.close()
    return out.astype(
        {"partner": "int64", "year": "int64", "value_usd_mn": "float64", "n_rows": "int64"}
    )


def iso3_of(code: int) -> str | None:
    """ISO3 of a BACI numeric country code (``None`` when unknown)."""
    import pycountry

    if code in BACI_CODES:
        return BACI_CODES[code]
    found = pycountry.countries.get(numeric=f"{int(code):03d}")
    return found.alpha_3 if found else None


def baci_code(iso3: str) -> int:
    """BACI numeric code of an ISO3 country code.

    Raises:
        BigTradeError: unknown ISO3 code.
    """
    import pycountry

    for code, name in BACI_CODES.items():
        if name == iso3 and code != 58:
            return code
    found = pycountry.countries.get(alpha_3=iso3.upper())
    if found is None:
        raise BigTradeError(f"{iso3!r} is not an ISO3 country code (BACI code lookup)")
    return int(found.numeric)


def products_frame(
    country: str,
    partners: Sequence[str] | None = None,
    *,
    flows: Sequence[str] = FLOWS,
    years: tuple[int, int] | None = None,
    source: str | Path | BigTradeSource | None = None,
) -> pd.DataFrame | None:
    """HS4 rows of ``country``'s trade from the large source, shaped like ``trade_products_hs4``.

    The integration point for :mod:`kzanalysis.analysis.trade`: call it where the
    notebook loads ``trade_products_hs4``; ``None`` means no large source is configured
    and the curated table should be used.

    Args:
        country: Reporter ISO3.
        partners: Partner ISO3 codes (default: all partners, one row each).
        flows: ``export`` and/or ``import``.
        years: Inclusive year range (default: all).
        source: Overrides the configured source.

    Returns:
        Columns of ``trade_products_hs4``: ``source`` (``baci``), ``reporter_iso3``,
        ``partner_iso3``, ``partner_name``, ``flow``, ``year``, ``hs_nomenclature``
        (``HS6-BACI``), ``product_code`` (HS4 text), ``value_usd_mn``, ``incomplete_year``
        (False: BACI years are complete); or ``None``.
    """
    src = source if source is not None else configured_source()
    if src is None:
        return None
    partner_codes = [baci_code(p) for p in partners] if partners is not None else None
    frames = []
    for flow in flows:
        agg = aggregate(src, [baci_code(country)], flow=flow, partners=partner_codes, years=years)
        agg.insert(0, "flow", flow)
        frames.append(agg)
    out = pd.concat(frames, ignore_index=True)
    iso = {code: iso3_of(code) for code in out["partner"].unique()}
    partner_iso3 = out["partner"].map(iso).fillna(out["partner"].astype(str))
    return pd.DataFrame(
        {
            "source": "baci",
            "reporter_iso3": country.upper(),
            "partner_iso3": partner_iso3,
            "partner_name": partner_iso3.map(_country_name),
            "flow": out["flow"],
            "year": out["year"],
            "hs_nomenclature": "HS6-BACI",
            "product_code": out["product_code"],
            "value_usd_mn": out["value_usd_mn"],
            "incomplete_year": False,
        }
    )


def _country_name(iso3: str) -> str:
    import pycountry

    found = pycountry.countries.get(alpha_3=iso3)
    return found.name if found else iso3
