"""Curation of the energy snapshots (``energy/raw/``) into five tidy tables.

The table specs, sources and series definitions are declared in
:mod:`kzanalysis.specs.energy`; this module parses and assembles the frames.

Tables
------
``energy_series``
    bp / Energy Institute *Statistical Review of World Energy* country series, long format,
    one row per (edition, entity, variable, unit, year). Editions revise history, so the
    **edition is part of the key** and editions are never mixed silently. Editions on disk:
    bp 2021, bp 2022, EI 2023, EI 2024 (original xlsx workbooks) and EI 2026 (a third
    party's JSON extraction of the workbook). The bp 2022 *narrow* parquet/CSV is the same
    edition as the bp 2022 workbook; it is not a separate row source (it would duplicate
    edition "2022") and is used only by the integration tests to cross-check the xlsx parser.

    Units differ per variable and a numeric column name must carry its unit, so the table
    has one nullable value column per unit family (``value_kbd``, ``value_mt``, ``value_bcm``,
    ``value_ej``, ``value_twh``, ``value_bn_bbl``, ``value_tcm``); exactly one is non-null per
    row and the string column ``unit`` names it. Each series keeps the unit(s) the edition
    publishes: oil production is present both in kb/d and in Mt; nothing is converted.
    The 2026 edition replaced "Primary energy consumption" (substitution method) by
    "Total energy supply" (TES), which is a different measure: it is stored as the separate
    variable ``total_energy_supply``.

    Entity scope: variables needed for world ranks (oil production, gas production, oil
    proved reserves, LNG imports) keep every country from :data:`RANK_FROM_YEAR` (2000) on;
    every variable keeps the focus countries (:data:`FOCUS_ISO3`) for all years and the
    aggregates in :data:`FOCUS_GROUPS` (World, CIS, Other CIS, USSR, OECD, non-OECD, OPEC,
    non-OPEC, EU). Regional totals and other "Other …" residuals are dropped.
    ``entity_kind`` says how a row adds up: ``country`` + ``area`` rows are disjoint and
    sum to the ``total`` (World); ``subtotal`` rows (regions, OECD, EU …) overlap them.

``energy_gas_pipeline_flows``
    Inter-country natural-gas trade by pipeline (bcm, GCV 40 MJ/m³), exporter → importer,
    from each edition's "Trade movements YYYY by pipeline" matrix (data years 2020, 2021,
    2022, 2023, 2025). Non-zero cells only. Matrix totals (``Total imports`` /
    ``Total exports``) are kept with code ``TOTAL`` and kind ``total``; regional rows are
    ``subtotal`` (e.g. ``CIS``) or ``area`` (``Other CIS``, ``EU`` …).

``energy_crude_interarea_flows``
    Crude-oil inter-area movements (Mt), exporter area → importer area, from each edition's
    "Oil: Inter-area movements" matrix (crude block only). Areas, not countries: Kazakhstan
    is inside ``Other CIS``.

``brent_annual``
    Brent spot (Europe Brent FOB) annual average, USD/bbl, EIA via the datahub
    ``oil-prices`` package; 1987 is flagged as a partial year.

``fx_official_rates``
    World Bank WDI ``PA.NUS.FCRF`` official exchange rate (LCU per USD, period average) for
    the Central Asian states and the comparison countries (:data:`FX_ISO3`).
"""

from __future__ import annotations

import contextlib
import csv
import io
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from kzanalysis.curate import energy_ei as ei
from kzanalysis.curate._io import fail, require
from kzanalysis.schema import TableSpec
from kzanalysis.specs.energy import (
    BRENT_ANNUAL,
    BRENT_SOURCE,
    CRUDE_INTERAREA_FLOWS,
    EDITIONS,
    ENERGY_SERIES,
    FOCUS_GROUPS,
    FOCUS_ISO3,
    FX_ISO3,
    FX_OFFICIAL_RATES,
    FX_SOURCE,
    GAS_PIPELINE_FLOWS,
    RANK_FROM_YEAR,
    SERIES,
    SR_2026,
    UNIT_COLUMNS,
    SeriesDef,
)

# the domain's declarations, re-exported: curation runs read ``TABLES`` from this module
from kzanalysis.specs.energy import TABLES as TABLES
from kzanalysis.specs.energy_codes import GAS_SUBTOTALS

# --------------------------------------------------------------------------------------
# energy_series
# --------------------------------------------------------------------------------------


def _keep_entity(code: str, kind: str, year: int, series: SeriesDef) -> bool:
    """Scope rule: focus countries and groups always; other countries for rank series only.

    Non-focus countries are kept from :data:`RANK_FROM_YEAR` on (ranks are needed for
    recent years only; this keeps the table small).
    """
    if kind == "country":
        if code in FOCUS_ISO3:
            return True
        return series.all_countries and year >= RANK_FROM_YEAR
    return code in FOCUS_GROUPS


def series_frame(
    rows: Sequence[ei.SeriesRow], series: SeriesDef, edition: str, source_id: str, where: str
) -> pd.DataFrame:
    """Turn parsed rows of one sheet into ``energy_series`` rows (scoped, coded).

    Raises:
        RawDataError: for unmapped entity names or an entity repeated within the sheet.
    """
    mapping = ei.resolve_all({r.entity for r in rows}, where)
    records = []
    for r in rows:
        code, kind = mapping[r.entity]
        if not _keep_entity(code, kind, r.year, series):
            continue
        rec = {
            "edition": edition,
            "entity_code": code,
            "entity": ei.clean_name(r.entity),
            "entity_kind": kind,
            "variable": series.variable,
            "unit": series.unit,
            "year": r.year,
        }
        rec.update({col: None for col in UNIT_COLUMNS.values()})
        rec[UNIT_COLUMNS[series.unit]] = round(r.value, 6)
        rec["source"] = source_id
        records.append(rec)
    frame = pd.DataFrame.from_records(records, columns=ENERGY_SERIES.field_names)
    dup = frame.duplicated(["entity_code", "year"], keep=False)
    if dup.any():
        names = sorted(set(frame.loc[dup, "entity"]))
        raise fail(
            where,
            f"entities repeated within the sheet: {names}",
            "the sheet has sections; this series cannot be read as a plain table",
        )
    return frame


def _series_sheets(
    defs: Sequence[SeriesDef], edition: str, sheets: dict
) -> list[tuple[SeriesDef, str]]:
    """Pair each series definition that applies to ``edition`` with its sheet name."""
    out = []
    for s in defs:
        if s.editions is not None and edition not in s.editions:
            continue
        out.append((s, ei.find_sheet(sheets, s.sheets, f"edition {edition}")))
    return out


def build_energy_series(
    workbooks: dict[str, dict[str, ei.Grid]], json_sheets: dict[str, dict] | None
) -> pd.DataFrame:
    """Build ``energy_series`` from parsed workbooks (edition → sheets) and the 2026 JSON."""
    frames = []
    for edition, sheets in workbooks.items():
        src = EDITIONS[edition]
        for s, sheet in _series_sheets(SERIES, edition, sheets):
            where = f"{src.raw_paths[0]} [{sheet}]"
            rows = ei.parse_timeseries_grid(sheets[sheet], s.unit_label, where)
            frames.append(series_frame(rows, s, edition, src.id, where))
    if json_sheets is not None:
        for s, sheet in _series_sheets(SERIES, "2026", json_sheets):
            where = f"{SR_2026.raw_paths[0]} [{sheet}]"
            rows = ei.parse_timeseries_json(json_sheets[sheet], s.unit_label, where)
            frames.append(series_frame(rows, s, "2026", SR_2026.id, where))
    frame = pd.concat(frames, ignore_index=True)
    return finalize(frame, ENERGY_SERIES)


# --------------------------------------------------------------------------------------
# Matrices
# --------------------------------------------------------------------------------------

GAS_SHEETS = ("Gas - Trade movts - pipeline", "Gas trade - pipeline")
OIL_SHEETS = ("Oil - Inter-area movements",)
#: EI 2026 JSON: the inter-area sheet is titled 2024 but holds 2025 flows (PROVENANCE §2).
JSON_INTERAREA_YEAR = 2025


def _flow_kind(name: str, code: str, kind: str, subtotals: frozenset[str]) -> str:
    """Kind of a matrix label: matrix totals and listed subtotals; other groups are areas."""
    if kind == "total" and code == "TOTAL":
        return "total"
    if kind == "country":
        return "country"
    return "subtotal" if ei.clean_name(name) in subtotals else "area"


def flows_frame(
    cells: Sequence[ei.MatrixCell],
    spec: TableSpec,
    edition: str,
    year: int,
    source_id: str,
    where: str,
    subtotals: frozenset[str],
) -> pd.DataFrame:
    """Turn matrix cells into rows of a flow table (``spec`` gives the value column)."""
    labels = {c.exporter for c in cells} | {c.importer for c in cells}
    mapping = ei.resolve_all(labels, where)
    value_col = spec.field_names[-2]
    records = []
    for c in cells:
        (ex_code, ex_kind), (im_code, im_kind) = mapping[c.exporter], mapping[c.importer]
        records.append(
            {
                "edition": edition,
                "year": year,
                "exporter": ei.clean_name(c.exporter),
                "exporter_code": ex_code,
                "exporter_kind": _flow_kind(c.exporter, ex_code, ex_kind, subtotals),
                "importer": ei.clean_name(c.importer),
                "importer_code": im_code,
                "importer_kind": _flow_kind(c.importer, im_code, im_kind, subtotals),
                value_col: round(c.value, 6),
                "source": source_id,
            }
        )
    frame = pd.DataFrame.from_records(records, columns=spec.field_names)
    dup = frame.duplicated(["exporter_code", "importer_code"], keep=False)
    if dup.any():
        pairs = sorted(
            set(zip(frame.loc[dup, "exporter"], frame.loc[dup, "importer"], strict=True))
        )
        raise fail(where, f"exporter/importer pairs repeated in the matrix: {pairs[:5]}")
    return frame


def _grid_of_json(sheets: dict[str, dict], name: str, where: str) -> ei.Grid:
    """The ``grid`` of a ``raw`` JSON sheet."""
    sheet = sheets[name]
    grid = sheet.get("grid")
    if sheet.get("type") != "raw" or not isinstance(grid, list):
        raise fail(where, "expected a 'raw' sheet with a 'grid'", "check the extraction format")
    return grid


def _json_sheet_by_title(sheets: dict[str, dict], pattern: str, where: str) -> str:
    """Name of the single JSON sheet whose name matches ``pattern`` (regex, case-insensitive)."""
    import re

    hits = [n for n in sheets if re.fullmatch(pattern, ei.norm_sheet(n))]
    if len(hits) != 1:
        raise fail(where, f"expected one sheet matching {pattern!r}, found {hits}")
    return hits[0]


def build_gas_flows(
    workbooks: dict[str, dict[str, ei.Grid]], json_sheets: dict[str, dict] | None
) -> pd.DataFrame:
    """Build ``energy_gas_pipeline_flows`` from every edition's pipeline matrix."""
    grids: list[tuple[str, str, ei.Grid]] = []
    for edition, sheets in workbooks.items():
        src = EDITIONS[edition]
        name = ei.find_sheet(sheets, GAS_SHEETS, src.raw_paths[0])
        grids.append((edition, f"{src.raw_paths[0]} [{name}]", sheets[name]))
    if json_sheets is not None:
        where = SR_2026.raw_paths[0]
        name = _json_sheet_by_title(json_sheets, r"gas trade \d{4} - pipeline", where)
        grids.append(("2026", f"{where} [{name}]", _grid_of_json(json_sheets, name, where)))
    frames = []
    for edition, where, grid in grids:
        year = ei.title_year(grid, r"trade movements (\d{4}) by pipeline", where)
        cells = ei.parse_gas_pipeline_grid(grid, where)
        frames.append(
            flows_frame(
                cells, GAS_PIPELINE_FLOWS, edition, year, EDITIONS[edition].id, where, GAS_SUBTOTALS
            )
        )
    return finalize(pd.concat(frames, ignore_index=True), GAS_PIPELINE_FLOWS)


def build_crude_flows(
    workbooks: dict[str, dict[str, ei.Grid]], json_sheets: dict[str, dict] | None
) -> pd.DataFrame:
    """Build ``energy_crude_interarea_flows`` from every edition's inter-area matrix."""
    frames = []
    for edition, sheets in workbooks.items():
        src = EDITIONS[edition]
        name = ei.find_sheet(sheets, OIL_SHEETS, src.raw_paths[0])
        where = f"{src.raw_paths[0]} [{name}]"
        grid = sheets[name]
        year = ei.title_year(grid, r"inter-area movements (\d{4})", where)
        cells = ei.parse_oil_interarea_grid(grid, "Crude", where)
        frames.append(
            flows_frame(cells, CRUDE_INTERAREA_FLOWS, edition, year, src.id, where, frozenset())
        )
    if json_sheets is not None:
        base = SR_2026.raw_paths[0]
        name = ei.find_sheet(json_sheets, OIL_SHEETS, base)
        where = f"{base} [{name}]"
        grid = _grid_of_json(json_sheets, name, where)
        ei.title_year(grid, r"inter-area movements (\d{4})", where)  # layout check only
        cells = ei.parse_oil_interarea_grid(grid, "Crude", where)
        frames.append(
            flows_frame(
                cells,
                CRUDE_INTERAREA_FLOWS,
                "2026",
                JSON_INTERAREA_YEAR,
                SR_2026.id,
                where,
                frozenset(),
            )
        )
    return finalize(pd.concat(frames, ignore_index=True), CRUDE_INTERAREA_FLOWS)


# --------------------------------------------------------------------------------------
# Brent and FX
# --------------------------------------------------------------------------------------


def parse_brent_year(path: Path, where: str) -> pd.DataFrame:
    """Parse datahub ``brent-year.csv`` (``Date,Price``; Date = 30 June of the year).

    Raises:
        RawDataError: on a renamed header, a bad date or price, or a repeated year.
    """
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise fail(where, f"not a readable UTF-8 CSV ({exc})") from exc
    if list(raw.columns) != ["Date", "Price"]:
        raise fail(
            where,
            f"header is {list(raw.columns)}, expected ['Date', 'Price']",
            "the datahub package changed its layout; update parse_brent_year",
        )
    dates = pd.to_datetime(raw["Date"], format="%Y-%m-%d", errors="coerce")
    prices = pd.to_numeric(raw["Price"], errors="coerce")
    bad = dates.isna() | prices.isna()
    if bad.any():
        raise fail(where, f"unparseable rows: {raw.loc[bad].to_dict('records')[:5]}")
    years = dates.dt.year.astype("int64")
    if years.duplicated().any():
        raise fail(where, f"repeated years: {sorted(set(years[years.duplicated()]))}")
    first = int(years.min())
    frame = pd.DataFrame(
        {
            "year": years,
            "brent_usd_per_bbl": prices.astype("float64").round(6),
            # the EIA daily series starts on 1987-05-20, so its first year is partial
            "partial_year": (years == first) & (first == 1987),
            "source": BRENT_SOURCE.id,
        }
    )
    frame["partial_year"] = frame["partial_year"].astype("boolean")
    return finalize(frame, BRENT_ANNUAL)


def parse_wdi_csv(path: Path, where: str, countries: Sequence[str] = FX_ISO3) -> pd.DataFrame:
    """Parse a World Bank WDI bulk CSV (4 metadata lines, then a wide year table).

    Raises:
        RawDataError: if the header row is missing, the indicator is not PA.NUS.FCRF, or a
            requested country is absent.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise fail(where, f"not UTF-8 text ({exc})", "restore the World Bank bulk CSV") from exc
    lines = text.splitlines()
    head = next((i for i, ln in enumerate(lines) if ln.startswith('"Country Name"')), None)
    if head is None:
        raise fail(
            where,
            'no header line starting with "Country Name"',
            "expected the World Bank bulk-download layout",
        )
    rows = list(csv.reader(io.StringIO("\n".join(lines[head:]))))
    header = rows[0]
    if header[:4] != ["Country Name", "Country Code", "Indicator Name", "Indicator Code"]:
        raise fail(where, f"unexpected header start {header[:4]}")
    year_cols = [(j, int(h)) for j, h in enumerate(header) if h.strip().isdigit()]
    records = []
    seen = set()
    for row in rows[1:]:
        if len(row) < 4 or row[1] not in countries:
            continue
        if row[3] != "PA.NUS.FCRF":
            raise fail(where, f"indicator {row[3]!r}, expected 'PA.NUS.FCRF'")
        seen.add(row[1])
        for j, year in year_cols:
            cell = row[j].strip() if j < len(row) else ""
            if not cell:
                continue
            try:
                value = float(cell)
            except ValueError:
                raise fail(where, f"{row[1]} {year}: non-numeric value {cell!r}") from None
            records.append(
                {
                    "country_iso3": row[1],
                    "country": row[0],
                    "year": year,
                    "rate_lcu_per_usd": round(value, 6),
                    "source": FX_SOURCE.id,
                }
            )
    missing = sorted(set(countries) - seen)
    if missing:
        raise fail(where, f"countries absent from the file: {missing}")
    frame = pd.DataFrame.from_records(records, columns=FX_OFFICIAL_RATES.field_names)
    return finalize(frame, FX_OFFICIAL_RATES)


# --------------------------------------------------------------------------------------
# Common
# --------------------------------------------------------------------------------------


def finalize(frame: pd.DataFrame, spec: TableSpec) -> pd.DataFrame:
    """Order columns as the spec, cast dtypes, sort by the key and check key uniqueness.

    Raises:
        RawDataError: if the primary key repeats (an upstream duplicate the code missed).
    """
    from kzanalysis.schema import read_dtypes

    frame = frame[spec.field_names].astype(read_dtypes(spec))
    key = list(spec.primary_key)
    dup = frame.duplicated(key, keep=False)
    if dup.any():
        raise fail(
            spec.name,
            f"primary key {key} repeats: {frame.loc[dup, key].head().to_dict('records')}",
            "an upstream sheet holds duplicate rows; handle them in the parser",
        )
    return frame.sort_values(key, kind="mergesort").reset_index(drop=True)


def build(raw: Path) -> dict[str, pd.DataFrame]:
    """Return one DataFrame per spec in TABLES, curated from ``raw``."""
    raw = Path(raw)
    with contextlib.ExitStack() as stack:
        workbooks = {
            edition: stack.enter_context(ei.read_workbook(require(raw, src.raw_paths[0])))
            for edition, src in EDITIONS.items()
            if edition != "2026"
        }
        json_sheets = ei.read_json(require(raw, SR_2026.raw_paths[0]))
        brent_rel = BRENT_SOURCE.raw_paths[0]
        fx_rel = FX_SOURCE.raw_paths[0]
        return {
            ENERGY_SERIES.name: build_energy_series(workbooks, json_sheets),
            GAS_PIPELINE_FLOWS.name: build_gas_flows(workbooks, json_sheets),
            CRUDE_INTERAREA_FLOWS.name: build_crude_flows(workbooks, json_sheets),
            BRENT_ANNUAL.name: parse_brent_year(require(raw, brent_rel), brent_rel),
            FX_OFFICIAL_RATES.name: parse_wdi_csv(require(raw, fx_rel), fx_rel),
        }
