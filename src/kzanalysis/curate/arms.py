"""Curation of the arms snapshots: SIPRI Arms Transfers Database, Central Asian extract.

Tables (all values in SIPRI trend-indicator values, TIV, millions — a volume index,
not money):

* ``arms_deals`` — one row per deal with a Central Asian recipient, from the deal-level
  trade registers of two vintages (data generated 2026-05-18 and 2025-03-13).
* ``arms_deliveries`` — one row per deal x delivery year, from the per-delivery-year
  registers (generated 2026-02-12 and 2024-04-13); sums give SIPRI's annual totals.
* ``arms_sipri_import_totals`` — SIPRI's own TIV table of imports by recipient
  (generated 2024-10-13): the five Central Asian states and the world total.
* ``arms_sipri_china_exports`` — SIPRI's TIV table of China's exports by recipient
  (generated 2026-07-14): Central Asian recipients and the all-recipient total.

SIPRI's terms allow reformatting and calculating but not republishing the database, so
only the Central Asian rows (plus the world / China-total rows of the TIV tables) are
kept. Parsing of SIPRI's export formats lives in :mod:`kzanalysis.curate.arms_sipri`;
the table specs and sources are declared in :mod:`kzanalysis.specs.arms`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from kzanalysis.curate._io import fail, require
from kzanalysis.curate.arms_sipri import (
    DELIVERIES_HEADER,
    REGISTER_HEADER,
    CellParser,
    SipriExport,
    check_header,
    deal_key,
    map_actors,
    read_export,
    read_tiv_table,
    rejoin_split_records,
)
from kzanalysis.schema import Source, TableSpec, read_dtypes
from kzanalysis.specs.arms import (
    CENTRAL_ASIA,
    CHINA_EXPORTS,
    CHINA_TOTAL_ROW,
    DEALS,
    DELIVERIES,
    EDITIONS,
    IMPORT_TOTALS,
    SRC_DELIVERIES_2024,
    SRC_DELIVERIES_2026,
    SRC_REGISTER_2025,
    SRC_REGISTER_2026,
    SRC_TIV_CHINA,
    SRC_TIV_IMPORTS,
    STATUSES,
    WORLD_CODE,
    WORLD_IMPORTS_ROW,
)

# the domain's declarations, re-exported: curation runs read ``TABLES`` from this module
from kzanalysis.specs.arms import TABLES as TABLES

# --------------------------------------------------------------------------- helpers


def _check_edition(export_path: Path, found: str, source: Source) -> str:
    """Return ``found`` if it is the vintage the source expects, else raise."""
    expected = EDITIONS[source.id]
    if found != expected:
        raise fail(
            export_path,
            f"data generated {found}, but source {source.id!r} expects the {expected} vintage",
            "if this is a deliberate new vintage, update the Source and EDITIONS in "
            "kzanalysis/specs/arms_sources.py and the specs in kzanalysis/specs/arms.py "
            "(and re-check the sanity tests)",
        )
    return found


def _frame(spec: TableSpec, columns: dict[str, list]) -> pd.DataFrame:
    """Build a frame with the spec's columns and dtypes, sorted by the primary key."""
    dtypes = read_dtypes(spec)
    frame = pd.DataFrame(
        {name: pd.Series(columns[name], dtype=dtypes[name]) for name in spec.field_names}
    )
    return frame.sort_values(list(spec.primary_key), kind="mergesort").reset_index(drop=True)


def _stack(spec: TableSpec, frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate per-edition frames, keeping the spec's dtypes, sorted by the primary key."""
    frame = pd.concat(frames, ignore_index=True).astype(read_dtypes(spec))
    return frame.sort_values(list(spec.primary_key), kind="mergesort").reset_index(drop=True)


def _supplier_code(iso3: str | None, kind: str) -> str:
    """Supplier part of a deal id: ISO3, or NSA / ORG / UNK for non-state actors."""
    return iso3 or {"non_state": "NSA", "organisation": "ORG", "unknown": "UNK"}[kind]


def _central_asian(export: SipriExport, column: int) -> list[list[str]]:
    """Records whose recipient cell (``column``) is one of the five Central Asian states."""
    return [r for r in export.records if r[column].strip() in CENTRAL_ASIA]


def _empty_to_none(text: str) -> str | None:
    """Stripped text, or ``None`` for an empty cell."""
    text = text.strip()
    return text or None


# --------------------------------------------------------------------------- parsers


def parse_register(path: Path, source: Source) -> pd.DataFrame:
    """Curate a deal-level trade register into ``arms_deals`` rows (Central Asia only).

    Raises:
        RawDataError: on a renamed header, wrong vintage, broken record, unparsable value or
            unmapped supplier name.
    """
    export = read_export(path, REGISTER_HEADER[0])
    check_header(export, REGISTER_HEADER)
    edition = _check_edition(path, export.edition, source)
    records = rejoin_split_records(path, export.records, len(REGISTER_HEADER))
    records = _central_asian(SipriExport(path, edition, export.header, records), 0)
    actors = map_actors(path, {r[1].strip() for r in records})
    p = {name: CellParser(path, name) for name in ("order", "ordered", "delivered", "years")}
    p["flags"] = CellParser(path, "'?' flag columns")
    p["status"] = CellParser(path, "status")
    p["tiv"] = CellParser(path, "SIPRI TIV columns")
    cols: dict[str, list] = {name: [] for name in DEALS.field_names}
    seen: dict[str, int] = {}
    for r in records:
        recipient, supplier = r[0].strip(), r[1].strip()
        iso3, kind = actors[supplier]
        order_year = p["order"].integer(r[2])
        years = p["years"].year_list(r[10])
        key = deal_key(CENTRAL_ASIA[recipient], _supplier_code(iso3, kind), order_year, r)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            key = f"{key}-{seen[key]}"
        row = {
            "edition": edition,
            "deal_id": key,
            "recipient_iso3": CENTRAL_ASIA[recipient],
            "recipient": recipient,
            "supplier_iso3": iso3,
            "supplier": supplier,
            "supplier_kind": kind,
            "order_year": order_year,
            "order_year_uncertain": p["flags"].question_flag(r[3]),
            "ordered_count": p["ordered"].integer(r[4]),
            "ordered_count_uncertain": p["flags"].question_flag(r[5]),
            "designation": r[6].strip(),
            "description": r[7].strip(),
            "delivered_count": p["delivered"].integer(r[8]),
            "delivered_count_uncertain": p["flags"].question_flag(r[9]),
            "delivery_years": _empty_to_none(r[10]),
            "first_delivery_year": min(years) if years else None,
            "last_delivery_year": max(years) if years else None,
            "status": p["status"].one_of(r[11], STATUSES),
            "comments": _empty_to_none(r[12]),
            "tiv_per_unit_mn": p["tiv"].number(r[13]),
            "order_tiv_mn": p["tiv"].number(r[14]),
            "delivered_tiv_mn": p["tiv"].number(r[15]),
            "source": source.id,
        }
        for name, value in row.items():
            cols[name].append(value)
    for parser in p.values():
        parser.check()
    return _frame(DEALS, cols)


def parse_deliveries(path: Path, source: Source) -> pd.DataFrame:
    """Curate a per-delivery-year register into ``arms_deliveries`` rows (Central Asia only).

    Raises:
        RawDataError: on a renamed header, wrong vintage, wrong row width, unparsable value,
            unmapped supplier name or a deal listed twice for the same year.
    """
    export = read_export(path, DELIVERIES_HEADER[0])
    check_header(export, DELIVERIES_HEADER)
    edition = _check_edition(path, export.edition, source)
    records = rejoin_split_records(path, export.records, len(DELIVERIES_HEADER))
    records = _central_asian(SipriExport(path, edition, export.header, records), 2)
    actors = map_actors(path, {r[1].strip() for r in records})
    p = {name: CellParser(path, name) for name in DELIVERIES_HEADER}
    cols: dict[str, list] = {name: [] for name in DELIVERIES.field_names}
    for r in records:
        recipient, supplier = r[2].strip(), r[1].strip()
        iso3, kind = actors[supplier]
        deal = r[0].strip()
        if not deal.isdigit():
            p[DELIVERIES_HEADER[0]].bad.append(deal)
        year = p["Delivery year"].integer(r[10])
        if year is None:
            p["Delivery year"].bad.append(r[10])
        row = {
            "edition": edition,
            "sipri_deal_id": deal,
            "recipient_iso3": CENTRAL_ASIA[recipient],
            "recipient": recipient,
            "supplier_iso3": iso3,
            "supplier": supplier,
            "supplier_kind": kind,
            "year": year,
            "year_uncertain": p["Delivery year is estimate"].yes_no(r[11]),
            "order_year": p["Order date"].integer(r[6]),
            "order_year_uncertain": p["Order date is estimate"].yes_no(r[7]),
            "designation": r[3].strip(),
            "description": r[4].strip(),
            "armament_category": r[5].strip(),
            "delivered_count": p["Numbers delivered"].integer(r[8]),
            "delivered_count_uncertain": p["Numbers delivered is estimate"].yes_no(r[9]),
            "status": p["Status"].one_of(r[12], STATUSES),
            "new_tiv_per_unit_mn": p["SIPRI estimate"].number(r[13]),
            "deal_tiv_per_unit_mn": p["TIV deal unit"].number(r[14]),
            "tiv_mn": p["TIV delivery values"].number(r[15]),
            "local_production": p["Local production"].yes_no(r[16]),
            "source": source.id,
        }
        for name, value in row.items():
            cols[name].append(value)
    for parser in p.values():
        parser.check()
    keys = list(zip(cols["sipri_deal_id"], cols["year"], strict=True))
    dupes = sorted({k for k in keys if keys.count(k) > 1})
    if dupes:
        raise fail(
            path,
            f"deal x delivery year listed more than once: {dupes[:5]}",
            "check the export for duplicated rows (SIPRI lists each deal once per year)",
        )
    return _frame(DELIVERIES, cols)


def parse_tiv_table(
    path: Path,
    source: Source,
    spec: TableSpec,
    total_row: str,
    require_all_ca: bool,
) -> pd.DataFrame:
    """Curate a SIPRI TIV table (recipient x year) into long rows for Central Asia + total.

    Args:
        path: The TIV table file.
        source: Its Source.
        spec: The table spec to build.
        total_row: Name of the all-recipients row (coded ``WLD``).
        require_all_ca: Whether each of the five states must have a row.

    Raises:
        RawDataError: on a layout problem, wrong vintage or a missing required row.
    """
    table = read_tiv_table(path, "Recipient")
    edition = _check_edition(path, table.edition, source)
    wanted = {**CENTRAL_ASIA, total_row: WORLD_CODE}
    required = set(wanted) if require_all_ca else {total_row}
    missing = sorted(required - set(table.values))
    if missing:
        raise fail(
            path,
            f"rows {missing} not found (row names: {sorted(table.values)[:8]} ...)",
            "check whether SIPRI renamed the rows; update CENTRAL_ASIA or the total row name",
        )
    cols: dict[str, list] = {name: [] for name in spec.field_names}
    for name, code in wanted.items():
        for year, value in sorted(table.values.get(name, {}).items()):
            for field, item in (
                ("edition", edition),
                ("recipient_iso3", code),
                ("recipient", name),
                ("year", year),
                ("tiv_mn", value),
                ("source", source.id),
            ):
                cols[field].append(item)
    return _frame(spec, cols)


# --------------------------------------------------------------------------- build


def build(raw: Path) -> dict[str, pd.DataFrame]:
    """Curate the arms tables from the snapshot folder ``raw`` (holding ``arms/raw/``).

    Raises:
        RawDataError: if a file is missing or not in the expected layout.
    """
    raw = Path(raw)
    deals = [
        parse_register(require(raw, s.raw_paths[0]), s)
        for s in (SRC_REGISTER_2026, SRC_REGISTER_2025)
    ]
    deliveries = [
        parse_deliveries(require(raw, s.raw_paths[0]), s)
        for s in (SRC_DELIVERIES_2026, SRC_DELIVERIES_2024)
    ]
    return {
        DEALS.name: _stack(DEALS, deals),
        DELIVERIES.name: _stack(DELIVERIES, deliveries),
        IMPORT_TOTALS.name: parse_tiv_table(
            require(raw, SRC_TIV_IMPORTS.raw_paths[0]),
            SRC_TIV_IMPORTS,
            IMPORT_TOTALS,
            WORLD_IMPORTS_ROW,
            True,
        ),
        CHINA_EXPORTS.name: parse_tiv_table(
            require(raw, SRC_TIV_CHINA.raw_paths[0]),
            SRC_TIV_CHINA,
            CHINA_EXPORTS,
            CHINA_TOTAL_ROW,
            False,
        ),
    }
