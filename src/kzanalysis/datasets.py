"""Loaders for the curated tables: checked, schema-validated, cached, with provenance.

``load(name)`` reads ``data/<name>.csv`` after checking its sha256 against the
catalog, parses it with the dtypes its :class:`~kzanalysis.schema.TableSpec`
declares, validates it with the table's pandera schema and attaches the catalog
entry to ``df.attrs["provenance"]``. Results are cached per process; every call
returns a fresh copy, so callers may modify what they get. During a build, each load is
recorded (:mod:`kzanalysis.reads`) so the report's fingerprint covers what it read.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import pandas as pd

from kzanalysis import reads, timings
from kzanalysis.catalog import CURATE_HINT, check_file, resource, resource_path
from kzanalysis.errors import DataIntegrityError
from kzanalysis.paths import data_dir as default_data_dir
from kzanalysis.schema import TableSpec, pandera_schema, read_dtypes

#: pandas' storage for text columns (``str`` dtype) in every process that loads the tables.
STRING_STORAGE = "python"


def use_string_storage() -> None:
    """Hold text columns in pandas' Python string storage, unless the session chose one.

    The curated tables are small (13 MB in all) and the chapters make tens of thousands
    of small selections on them; pyarrow's fixed cost per call (``take``, conversions)
    made up about a tenth of the reports' compute (``benchmarks/floor.py``: 36 s against
    33 s). The dtype stays ``str``, with the same values and the same missing value
    (``NaN``); only the storage behind it changes. Called when this module is imported,
    before any table is read, so every frame of a report, the ledger and the tests uses
    one storage (pandas turns an outer merge of two storages into ``object``). A session
    that set ``mode.string_storage`` itself keeps its choice.
    """
    if pd.get_option("mode.string_storage") == "auto":
        pd.set_option("mode.string_storage", STRING_STORAGE)


use_string_storage()


def read_table_csv(path: Path, spec: TableSpec) -> pd.DataFrame:
    """Parse a curated CSV with the spec's dtypes (empty cells are missing, nothing else).

    Raises:
        DataIntegrityError: if the header differs from the spec or a value does not parse.
    """
    try:
        header = pd.read_csv(path, nrows=0).columns.tolist()
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise DataIntegrityError(
            f"{spec.name}: {path} cannot be read as CSV ({exc}). Fix: {CURATE_HINT}."
        ) from exc
    if header != spec.field_names:
        missing = [c for c in spec.field_names if c not in header]
        extra = [c for c in header if c not in spec.field_names]
        raise DataIntegrityError(
            f"{spec.name}: {path} columns do not match the schema (missing {missing}, "
            f"unexpected {extra}, or a different order). Fix: {CURATE_HINT}."
        )
    try:
        return pd.read_csv(
            path,
            dtype=read_dtypes(spec),
            keep_default_na=False,
            na_values=[""],
            encoding="utf-8",
        )
    except (ValueError, TypeError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise DataIntegrityError(
            f"{spec.name}: {path} has a value that does not fit the schema's types ({exc}). "
            f"Fix: {CURATE_HINT}."
        ) from exc


def validate(frame: pd.DataFrame, spec: TableSpec, where: str) -> pd.DataFrame:
    """Validate ``frame`` with the spec's pandera schema, naming the column that failed.

    Raises:
        DataIntegrityError: with the table, column, check and a few failing values.
    """
    import pandera.errors as pe

    try:
        return pandera_schema(spec).validate(frame, lazy=True)
    except pe.SchemaErrors as exc:
        cases = exc.failure_cases
        lines = []
        for (column, check), group in cases.groupby(["column", "check"], dropna=False, sort=False):
            sample = ", ".join(map(str, group["failure_case"].head(3).tolist()))
            lines.append(f"column {column!r} failed {check} (e.g. {sample})")
        raise DataIntegrityError(
            f"{spec.name} ({where}) violates its schema: "
            + "; ".join(lines)
            + f". Fix: {CURATE_HINT}"
            " and, if the upstream data changed on purpose, update the table's spec."
        ) from exc


@functools.cache
def _load_cached(name: str, folder: str) -> pd.DataFrame:
    from kzanalysis.specs import spec_for

    try:
        spec = spec_for(name)
    except KeyError as exc:
        raise DataIntegrityError(str(exc.args[0])) from exc
    res = resource(name, Path(folder))
    problems = check_file(res, Path(folder))
    if problems:
        raise DataIntegrityError("; ".join(problems))
    path = resource_path(res, Path(folder))
    frame = validate(read_table_csv(path, spec), spec, str(path))
    problem = check_rows(frame, res, path)
    if problem:
        raise DataIntegrityError(problem)
    frame.attrs["provenance"] = provenance(res)
    _DIGESTS[(name, folder)] = reads.table_digest(res)
    return frame


#: (table, folder) → digest of the catalog entry a cached frame was checked against.
_DIGESTS: dict[tuple[str, str], str] = {}


def check_rows(frame: pd.DataFrame, res: dict[str, Any], path: Path) -> str | None:
    """The row-count problem of a parsed table (None when it has the catalogued rows)."""
    if len(frame) == res.get("rows"):
        return None
    return (
        f"{res.get('name')}: {path} has {len(frame)} data rows, the catalog says "
        f"{res.get('rows')} (row-count check failed): rows were added or removed after "
        f"curation. Fix: {CURATE_HINT}."
    )


def check_canonical(frame: pd.DataFrame, spec: TableSpec, path: Path) -> str | None:
    """The layout problem of a curated file (None when it is exactly as curation writes it).

    Curation writes rows sorted by the primary key, UTF-8 without a byte-order mark,
    ``\\n`` line ends and pandas' round-trip number format (``curate.run.write_csv``), so
    re-serialising the parsed frame must give back the file's bytes. A file edited by hand
    or by a spreadsheet (re-encoded, CRLF, re-quoted, re-sorted) fails here even if its
    catalog entry was updated to match it.
    """
    key = list(spec.primary_key) or spec.field_names
    ordered = frame.sort_values(key, kind="mergesort", na_position="first")
    if not ordered.index.equals(frame.index):
        return (
            f"{spec.name}: {path} rows are not sorted by the primary key {key} "
            f"(order check failed). Fix: {CURATE_HINT}."
        )
    written = frame.to_csv(index=False, lineterminator="\n", encoding="utf-8").encode("utf-8")
    actual = path.read_bytes()
    if written == actual:
        return None
    line = next(
        (
            i
            for i, (a, b) in enumerate(
                zip(written.split(b"\n"), actual.split(b"\n"), strict=False), 1
            )
            if a != b
        ),
        min(written.count(b"\n"), actual.count(b"\n")) + 1,
    )
    return (
        f"{spec.name}: {path} is not byte-for-byte what curation writes (format check failed "
        f"at line {line}: encoding, byte-order mark, line ends, quoting or number format "
        f"changed). Fix: {CURATE_HINT}."
    )


class Provenance(dict):
    """Read-only provenance of a loaded table (a ``dict`` for every reader).

    pandas deep-copies ``df.attrs`` on nearly every operation (filter, sort, column
    access); for a catalog entry that cost seconds per notebook. Being immutable (nested
    lists become tuples, nested dicts ``Provenance``), it is safely shared instead:
    ``copy.deepcopy`` returns the object itself. ``dict(p)`` gives a mutable copy.
    """

    def __deepcopy__(self, memo: dict[int, Any]) -> Provenance:
        return self

    def __copy__(self) -> Provenance:
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (Provenance, (dict(self),))

    def _read_only(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("a table's provenance is read-only; change a copy: dict(provenance)")

    __setitem__ = __delitem__ = __ior__ = _read_only  # type: ignore[assignment]
    clear = pop = popitem = setdefault = update = _read_only  # type: ignore[assignment]


def _frozen(value: Any) -> Any:
    """``value`` with dicts as :class:`Provenance` and lists as tuples, recursively."""
    if isinstance(value, dict):
        return Provenance({k: _frozen(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return tuple(_frozen(v) for v in value)
    return value


def provenance(res: dict[str, Any]) -> Provenance:
    """The parts of a catalog entry that travel with a loaded table (read-only)."""
    return _frozen(
        {
            "table": res["name"],
            "title": res.get("title"),
            "path": res.get("path"),
            "hash": res.get("hash"),
            "temporal": res.get("temporal"),
            "sources": [
                {k: s.get(k) for k in ("id", "publisher", "title", "path", "edition", "terms")}
                for s in res.get("sources", [])
            ],
            "caveats": res.get("caveats", []),
        }
    )


def load(name: str, data_dir: Path | None = None) -> pd.DataFrame:
    """Load curated table ``name`` (checked, validated, cached; returns a copy).

    Args:
        name: Table name as in ``data/datapackage.json`` (``kzanalysis data info`` lists them).
        data_dir: Folder with the catalog; defaults to the project's ``data/``.

    Raises:
        DataIntegrityError: if the table is unknown, missing, changed or invalid.
    """
    folder = str(Path(data_dir or default_data_dir()).resolve())
    with timings.stage("data load"):
        frame = _load_cached(name, folder)
    reads.record(f"table:{name}", _DIGESTS[(name, folder)])  # for the build's fingerprint
    out = frame.copy()
    out.attrs = {"provenance": frame.attrs["provenance"]}  # read-only, shared
    return out


def clear_cache() -> None:
    """Forget every cached table (after re-curating in the same process)."""
    _load_cached.cache_clear()


def content_problems(res: dict[str, Any], spec: TableSpec, folder: Path) -> list[str]:
    """Parse, schema, row-count and format problems of a table whose file matches the catalog."""
    path = resource_path(res, folder)
    try:
        frame = validate(read_table_csv(path, spec), spec, str(path))
    except DataIntegrityError as exc:
        return [str(exc)]
    return [p for p in (check_rows(frame, res, path), check_canonical(frame, spec, path)) if p]


def verify(data_dir: Path | None = None) -> dict[str, list[str]]:
    """Check every catalogued table: file present, size and sha256, header, schema, rows, format.

    Returns:
        A map from table name to its problems (empty list when the table is fine).
        Tables the code defines but the catalog lacks are reported under their name.
    """
    from kzanalysis.catalog import field_entry, load_catalog
    from kzanalysis.specs import all_specs

    folder = Path(data_dir or default_data_dir()).resolve()
    doc = load_catalog(folder)
    specs = {s.name: s for s in all_specs()}
    report: dict[str, list[str]] = {}
    for res in doc["resources"]:
        name = res.get("name", "?")
        problems = check_file(res, folder)
        spec = specs.get(name)
        if spec is None:
            problems.append(f"{name}: in the catalog but no code defines it. Fix: {CURATE_HINT}.")
        elif res.get("schema", {}).get("fields") != [field_entry(f) for f in spec.fields]:
            problems.append(
                f"{name}: the catalog's schema differs from the code's spec. Fix: {CURATE_HINT}."
            )
        if not problems and spec is not None:
            problems.extend(content_problems(res, spec, folder))
        report[name] = problems
    for name in specs.keys() - report.keys():
        report[name] = [f"{name}: defined in code but not in the catalog. Fix: {CURATE_HINT}."]
    return report


# --- One loader per curated table (names follow the catalog). ---------------------


def load_trade_partner_flows(data_dir: Path | None = None) -> pd.DataFrame:
    """Load ``trade_partner_flows`` (see :func:`load`).

    Merchandise trade by partner: Central Asia, China and Russia (DOTS, BNS, WITS).
    """
    return load("trade_partner_flows", data_dir)


def load_trade_products_hs4(data_dir: Path | None = None) -> pd.DataFrame:
    """Load ``trade_products_hs4`` (see :func:`load`).

    Kazakhstan's trade with China and the World by HS 4-digit product, 2015–2024.
    """
    return load("trade_products_hs4", data_dir)


def load_energy_series(data_dir: Path | None = None) -> pd.DataFrame:
    """Load ``energy_series``: Statistical Review of World Energy series by edition."""
    return load("energy_series", data_dir)


def load_energy_gas_pipeline_flows(data_dir: Path | None = None) -> pd.DataFrame:
    """Load ``energy_gas_pipeline_flows``: Natural gas trade by pipeline, exporter to importer."""
    return load("energy_gas_pipeline_flows", data_dir)


def load_energy_crude_interarea_flows(data_dir: Path | None = None) -> pd.DataFrame:
    """Load ``energy_crude_interarea_flows``: Crude oil inter-area movements."""
    return load("energy_crude_interarea_flows", data_dir)


def load_brent_annual(data_dir: Path | None = None) -> pd.DataFrame:
    """Load ``brent_annual``: Brent spot price, annual average."""
    return load("brent_annual", data_dir)


def load_fx_official_rates(data_dir: Path | None = None) -> pd.DataFrame:
    """Load ``fx_official_rates``: Official exchange rates (LCU per US$)."""
    return load("fx_official_rates", data_dir)


def load_arms_deals(data_dir: Path | None = None) -> pd.DataFrame:
    """Load ``arms_deals`` (see :func:`load`).

    Arms transfer deals with Central Asian recipients (SIPRI trade register, 2 vintages).
    """
    return load("arms_deals", data_dir)


def load_arms_deliveries(data_dir: Path | None = None) -> pd.DataFrame:
    """Load ``arms_deliveries`` (see :func:`load`).

    Arms deliveries to Central Asia by deal and delivery year (SIPRI, 2 vintages).
    """
    return load("arms_deliveries", data_dir)


def load_arms_sipri_import_totals(data_dir: Path | None = None) -> pd.DataFrame:
    """Load ``arms_sipri_import_totals`` (see :func:`load`).

    SIPRI TIV table: arms imports of the Central Asian states and the world, by year.
    """
    return load("arms_sipri_import_totals", data_dir)


def load_arms_sipri_china_exports(data_dir: Path | None = None) -> pd.DataFrame:
    """Load ``arms_sipri_china_exports`` (see :func:`load`).

    SIPRI TIV table: China's arms exports to Central Asia and in total, by year.
    """
    return load("arms_sipri_china_exports", data_dir)


def load_poll_toplines(data_dir: Path | None = None) -> pd.DataFrame:
    """Load ``poll_toplines`` (see :func:`load`).

    Opinion-poll toplines in Central Asia on Russia, China, the West and the EAEU.
    """
    return load("poll_toplines", data_dir)


def load_soft_power_indicators(data_dir: Path | None = None) -> pd.DataFrame:
    """Load ``soft_power_indicators`` (see :func:`load`).

    Soft-power indicators for Kazakhstan: ethnicity, language, students abroad.
    """
    return load("soft_power_indicators", data_dir)


def load_student_flows(data_dir: Path | None = None) -> pd.DataFrame:
    """Load ``student_flows`` (see :func:`load`).

    UIS bilateral tertiary student flows from Central Asia (top 10 destinations).
    """
    return load("student_flows", data_dir)


def load_uis_inbound_netflow(data_dir: Path | None = None) -> pd.DataFrame:
    """Load ``uis_inbound_netflow`` (see :func:`load`).

    UIS inbound mobile students, net flow and derived outbound: Central Asia, Russia, China.
    """
    return load("uis_inbound_netflow", data_dir)


def load_investment_fdi_by_origin(data_dir: Path | None = None) -> pd.DataFrame:
    """Load ``investment_fdi_by_origin`` (see :func:`load`).

    UNCTAD FDI into Kazakhstan (inflows, stock) and Kyrgyzstan (inflows) by origin, 2001–2012.
    """
    return load("investment_fdi_by_origin", data_dir)


def load_investment_china_official_finance(data_dir: Path | None = None) -> pd.DataFrame:
    """Load ``investment_china_official_finance`` (see :func:`load`).

    AidData GCDF 3.0 Chinese official finance commitments to Central Asia and Russia, by year
    and flow class (constant 2021 US dollars), with absent years marked.
    """
    return load("investment_china_official_finance", data_dir)


def load_investment_china_projects_geolocated(data_dir: Path | None = None) -> pd.DataFrame:
    """Load ``investment_china_projects_geolocated`` (see :func:`load`).

    AidData GCDF 2.0 geolocated Chinese projects in Central Asia (project detail, a subset).
    """
    return load("investment_china_projects_geolocated", data_dir)
