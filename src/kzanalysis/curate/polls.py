"""Curation of the polls snapshots: poll toplines, soft-power indicators, UIS student flows.

Tables (see ``polls/PROVENANCE.md`` in the shared snapshot folder):

* ``poll_toplines`` — one row per published answer share of a poll question in Central
  Asia, hand-transcribed from pollsters' releases and from secondary reports (flagged).
* ``soft_power_indicators`` — census ethnic shares and counts, language knowledge and
  Kazakhstan's students abroad, hand-transcribed (a few values DERIVED from the UIS files,
  which are re-computed here and must agree).
* ``student_flows`` — UNESCO UIS bilateral flows of tertiary students from the five Central
  Asian states to their 10 largest reported destinations (+ "Other countries"), via 360info.
* ``uis_inbound_netflow`` — UIS inbound mobile students and net flow for the five Central
  Asian states, Russia and China, with outbound derived as inbound minus net flow.

Country names are mapped to ISO3 with ``pycountry`` plus :data:`NAME_ALIASES`; a name that
maps to nothing (and is not a known pooled group) raises :class:`RawDataError`. The table
specs, sources and code maps are declared in :mod:`kzanalysis.specs.polls`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd

from kzanalysis.countries import lookup_iso3
from kzanalysis.curate._io import fail, require
from kzanalysis.schema import TableSpec, read_dtypes
from kzanalysis.specs.polls import (
    CENTRAL_ASIA,
    FLOWS,
    INBOUND,
    INBOUND_DEFS,
    INBOUND_SCOPE,
    INDICATOR_SOURCES,
    INDICATORS,
    NAME_ALIASES,
    OTHER_DESTINATIONS,
    POLL_SERIES,
    POLL_TOPLINES,
    POOLED_GROUPS,
    SOFT_POWER_INDICATORS,
    SRC_UIS_FLOWS,
    SRC_UIS_INBOUND,
    STUDENT_FLOWS,
    SUBGROUPS,
    TOPLINES,
    UIS_INBOUND,
    UIS_INBOUND_NETFLOW,
    UIS_NETFLOW,
    UNIT_COLUMNS,
)

# the domain's declarations, re-exported: curation runs read ``TABLES`` from this module
from kzanalysis.specs.polls import TABLES as TABLES

# --------------------------------------------------------------------------- raw layout

TOPLINES_COLUMNS = (
    "survey",
    "fieldwork_start",
    "fieldwork_end",
    "country",
    "population",
    "subgroup",
    "question_id",
    "question_text",
    "option",
    "percent",
    "n",
    "source_title",
    "source_publisher",
    "source_url",
    "page_or_table",
)
INDICATORS_COLUMNS = (
    "indicator",
    "year",
    "country",
    "region",
    "group",
    "value",
    "unit",
    "source_title",
    "source_publisher",
    "source_url",
    "note",
)
FLOWS_COLUMNS = ("year", "origin_country_name", "dest_country_lumped", "value_lumped", "cond_all")
INBOUND_COLUMNS = ("indicatorId", "geoUnit", "year", "value", "qualifier", "magnitude")
INBOUND_DEFS_COLUMNS = ("indicatorId", "name", "lastDataUpdate", "lastDataUpdateDescription")

_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
_YEAR_RE = re.compile(r"^\d{4}$")
_INT_RE = re.compile(r"^\d+$")
_COND = re.compile(r"^[a-] [b-] [c-] [d-]$")

_ISO3_CA = tuple(sorted(CENTRAL_ASIA.values()))

# --------------------------------------------------------------------------- helpers


def read_raw_csv(path: Path, columns: tuple[str, ...]) -> pd.DataFrame:
    """Read an upstream CSV as text (no NA guessing), stripped, checking its header.

    Args:
        path: The upstream file.
        columns: Columns that must be present (extra columns are ignored).

    Raises:
        RawDataError: if the file is not UTF-8 CSV or a column is missing.
    """
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise fail(path, f"cannot be read as a UTF-8 CSV ({exc})", "restore the snapshot") from exc
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise fail(
            path,
            f"missing column(s) {missing}; found {list(frame.columns)}",
            "check whether the upstream header was renamed and update the parser in "
            "kzanalysis/curate/polls.py",
        )
    return frame.apply(lambda col: col.str.strip())


def _lines(index: Iterable[int]) -> list[int]:
    """File line numbers (header = line 1) of frame rows."""
    return [int(i) + 2 for i in index]


def _require_filled(frame: pd.DataFrame, columns: Iterable[str], path: Path) -> None:
    """Raise if any of ``columns`` has an empty cell."""
    for col in columns:
        empty = frame.index[frame[col] == ""]
        if len(empty):
            raise fail(path, f"empty {col!r} on line(s) {_lines(empty)[:10]}", "fill the cells")


def _numbers(values: pd.Series, what: str, path: Path) -> pd.Series:
    """Parse non-empty text cells as floats; raise listing the cells that are not numbers."""
    out = pd.to_numeric(values.where(values != ""), errors="coerce")
    bad = values[(values != "") & out.isna()]
    if len(bad):
        examples = [f"line {i + 2}: {v!r}" for i, v in bad.head(5).items()]
        raise fail(path, f"{what} is not a number in {examples}", "correct the transcription")
    return out.astype("float64")


def _reject_duplicates(frame: pd.DataFrame, key: list[str], path: Path) -> None:
    """Raise if two rows share the primary key (listing the first few keys)."""
    dupes = frame[frame.duplicated(key, keep=False)]
    if len(dupes):
        keys = sorted({tuple(r) for r in dupes[key].itertuples(index=False)})
        raise fail(
            path,
            f"{len(dupes)} rows share a key {tuple(key)} with another row, e.g. {keys[:3]} "
            f"(lines {_lines(dupes.index)[:10]})",
            "remove the duplicate rows or make them distinguishable (survey, dates, subgroup, "
            "question_id or option)",
        )


def iso3_of(name: str) -> str | None:
    """ISO3 code of a country name (alias table first, then pycountry); None if unknown."""
    return lookup_iso3(name, NAME_ALIASES)


def map_countries(
    names: Iterable[str], path: Path, groups: frozenset[str] = frozenset()
) -> dict[str, str | None]:
    """Map publisher country names to ISO3 (``None`` for the known ``groups``).

    Raises:
        RawDataError: listing every name that maps to nothing.
    """
    mapping: dict[str, str | None] = {}
    unmapped = []
    for name in sorted(set(names)):
        code = None if name in groups else iso3_of(name)
        if code is None and name not in groups:
            unmapped.append(name)
        mapping[name] = code
    if unmapped:
        raise fail(
            path,
            f"country names not mapped to ISO3: {unmapped}",
            "add them to NAME_ALIASES (or POOLED_GROUPS) in kzanalysis/specs/polls.py",
        )
    return mapping


def _frame(spec: TableSpec, columns: dict[str, object]) -> pd.DataFrame:
    """Build a frame with exactly the spec's columns, in order, with the spec's dtypes."""
    dtypes = read_dtypes(spec)
    data = {}
    for name in spec.field_names:
        values = columns[name]
        if dtypes[name] == "str":
            series = pd.Series(values, dtype=object)
            data[name] = series.where(series.notna() & (series != ""), None).astype("str")
        else:
            data[name] = pd.Series(values).astype(dtypes[name])
    return pd.DataFrame(data).reset_index(drop=True)


# --------------------------------------------------------------------------- toplines


def _fieldwork(frame: pd.DataFrame, path: Path) -> pd.Series:
    """Check the fieldwork dates and return the fieldwork year (end, else start)."""
    for col in ("fieldwork_start", "fieldwork_end"):
        bad = frame.index[(frame[col] != "") & ~frame[col].str.match(_DATE)]
        if len(bad):
            raise fail(
                path,
                f"{col} is not YYYY, YYYY-MM or YYYY-MM-DD on line(s) {_lines(bad)[:10]} "
                f"(e.g. {frame.loc[bad[0], col]!r})",
                "write dates in ISO form with the precision the page gave",
            )
    for i, start, end in zip(frame.index, frame.fieldwork_start, frame.fieldwork_end, strict=True):
        k = min(len(start), len(end))
        if k and start[:k] > end[:k]:
            raise fail(path, f"line {i + 2}: fieldwork_start {start} is after fieldwork_end {end}")
    date = frame.fieldwork_end.where(frame.fieldwork_end != "", frame.fieldwork_start)
    return pd.array([int(d[:4]) if d else None for d in date], dtype="Int64")


def _poll_series(surveys: pd.Series, path: Path) -> pd.DataFrame:
    """Source id and primary-publisher prefixes of each row's survey series."""
    found: dict[str, tuple[str, tuple[str, ...]]] = {}
    unknown = []
    for survey in sorted(set(surveys)):
        for pattern, source, primary in POLL_SERIES:
            if re.match(pattern, survey):
                found[survey] = (source.id, primary)
                break
        else:
            unknown.append(survey)
    if unknown:
        raise fail(
            path,
            f"survey(s) of no known poll series: {unknown}",
            "add the series (pattern, Source, pollster publisher prefixes) to POLL_SERIES in "
            "kzanalysis/specs/polls_sources.py",
        )
    return pd.DataFrame([found[s] for s in surveys], columns=["source", "primary"])


def parse_toplines(path: Path) -> pd.DataFrame:
    """Curate ``toplines_transcribed.csv`` into ``poll_toplines`` rows.

    Raises:
        RawDataError: on a renamed header, empty required cell, bad date, share outside
            0-100, bad n, unknown subgroup / country / series, or duplicate rows.
    """
    raw = read_raw_csv(path, TOPLINES_COLUMNS)
    optional = {"fieldwork_start", "fieldwork_end", "n"}
    _require_filled(raw, [c for c in TOPLINES_COLUMNS if c not in optional], path)
    share = _numbers(raw.percent, "percent", path)
    out_of_range = raw.index[(share < 0) | (share > 100)]
    if len(out_of_range):
        raise fail(
            path,
            f"percent outside 0-100 on line(s) {_lines(out_of_range)[:10]}",
            "shares are percentages of respondents; correct the transcription",
        )
    bad_n = raw.index[(raw.n != "") & ~raw.n.str.match(_INT_RE)]
    if len(bad_n):
        raise fail(path, f"n is not a whole number on line(s) {_lines(bad_n)[:10]}")
    unknown = sorted(set(raw.subgroup) - set(SUBGROUPS))
    if unknown:
        raise fail(
            path,
            f"unknown subgroup code(s) {unknown}; known: {sorted(SUBGROUPS)}",
            "add the code and its meaning to SUBGROUPS in kzanalysis/specs/polls.py",
        )
    countries = map_countries(raw.country, path, POOLED_GROUPS)
    outside = sorted(n for n, c in countries.items() if c is not None and c not in _ISO3_CA)
    if outside:
        raise fail(path, f"countries outside Central Asia: {outside}", "curate only Central Asia")
    _reject_duplicates(raw, list(POLL_TOPLINES.primary_key), path)
    series = _poll_series(raw.survey, path)
    secondary = [
        not publisher.startswith(primary)
        for publisher, primary in zip(raw.source_publisher, series.primary, strict=True)
    ]
    cols = {name: raw[name].tolist() for name in TOPLINES_COLUMNS if name in raw}
    cols.update(
        fieldwork_year=_fieldwork(raw, path),
        country_iso3=[countries[c] for c in raw.country],
        share_pct=share.round(6).tolist(),
        sample_n=pd.array([int(n) if n else None for n in raw.n], dtype="Int64"),
        secondary_report=secondary,
        source=series.source.tolist(),
    )
    return _frame(POLL_TOPLINES, cols)


# --------------------------------------------------------------------------- indicators


def _indicator_source(url: str) -> str:
    """Key of INDICATOR_SOURCES for a transcribed ``source_url``."""
    if url.startswith("github:"):
        return url.split()[0]
    return urlparse(url).hostname or url


def parse_indicators(path: Path) -> pd.DataFrame:
    """Curate ``soft_power_indicators_transcribed.csv`` into ``soft_power_indicators`` rows.

    Raises:
        RawDataError: on a renamed header, empty cell, bad year or value, unknown unit,
            country or source page, or duplicate rows.
    """
    raw = read_raw_csv(path, INDICATORS_COLUMNS)
    optional = {"region", "note"}
    _require_filled(raw, [c for c in INDICATORS_COLUMNS if c not in optional], path)
    bad_year = raw.index[~raw.year.str.match(_YEAR_RE)]
    if len(bad_year):
        raise fail(path, f"year is not YYYY on line(s) {_lines(bad_year)[:10]}")
    value = _numbers(raw.value, "value", path)
    countries = map_countries(raw.country, path)
    outside = sorted(n for n, c in countries.items() if c not in _ISO3_CA)
    if outside:
        raise fail(path, f"countries outside Central Asia: {outside}", "curate only Central Asia")
    keys = raw.source_url.map(_indicator_source)
    unknown = sorted(set(keys) - set(INDICATOR_SOURCES))
    if unknown:
        raise fail(
            path,
            f"rows from source page(s) with no Source: {unknown}",
            "add a Source for them to INDICATOR_SOURCES in kzanalysis/specs/polls_sources.py",
        )
    value_cols: dict[str, list] = {col: [None] * len(raw) for _, col in UNIT_COLUMNS}
    unknown_units = set()
    for pos, (unit, v) in enumerate(zip(raw.unit, value, strict=True)):
        col = next((c for prefix, c in UNIT_COLUMNS if unit.startswith(prefix)), None)
        if col is None:
            unknown_units.add(unit)
        else:
            value_cols[col][pos] = round(float(v), 6)
    if unknown_units:
        raise fail(
            path,
            f"unknown unit(s) {sorted(unknown_units)}",
            "map the unit to a value column in UNIT_COLUMNS in kzanalysis/specs/polls.py",
        )
    pct = pd.Series(value_cols["value_pct"], dtype="float64")
    if ((pct < 0) | (pct > 100)).any():
        raise fail(path, "a percentage value is outside 0-100", "correct the transcription")
    iso3 = [countries[c] for c in raw.country]
    frame = raw.assign(country_iso3=iso3)
    _reject_duplicates(frame, list(SOFT_POWER_INDICATORS.primary_key), path)
    cols = {name: raw[name].tolist() for name in INDICATORS_COLUMNS}
    cols.update(
        year=raw.year.astype("int64").tolist(),
        country_iso3=iso3,
        unit_original=raw.unit.tolist(),
        derived=raw.note.str.contains(r"\bDERIVED\b", regex=True).tolist(),
        source=[INDICATOR_SOURCES[k].id for k in keys],
        **value_cols,
    )
    return _frame(SOFT_POWER_INDICATORS, cols)


# --------------------------------------------------------------------------- UIS


def parse_flows(path: Path) -> pd.DataFrame:
    """Curate the 360info top-10 file into ``student_flows`` rows (Central Asian origins).

    Raises:
        RawDataError: on a renamed header, a Central Asian origin with no rows, a bad
            year / value / qualifier string, an unmapped destination or duplicate rows.
    """
    raw = read_raw_csv(path, FLOWS_COLUMNS)
    absent = sorted(set(CENTRAL_ASIA) - set(raw.origin_country_name))
    if absent:
        raise fail(
            path,
            f"no rows for Central Asian origin(s) {absent}",
            "check whether 360info renamed the countries; update CENTRAL_ASIA",
        )
    ca = raw[raw.origin_country_name.isin(list(CENTRAL_ASIA))]
    bad_year = ca.index[~ca.year.str.match(_YEAR_RE)]
    if len(bad_year):
        raise fail(path, f"year is not YYYY on line(s) {_lines(bad_year)[:10]}")
    bad_cond = ca.index[~ca.cond_all.str.match(_COND)]
    if len(bad_cond):
        raise fail(
            path,
            f"cond_all is not of the form 'a b c d' (letters or '-') on line(s) "
            f"{_lines(bad_cond)[:10]}",
            "check 360info's data README for a changed qualifier encoding",
        )
    students = _numbers(ca.value_lumped, "value_lumped", path)
    if students.isna().any() or (students < 0).any():
        raise fail(path, "value_lumped is empty or negative for a Central Asian origin")
    _reject_duplicates(ca, ["origin_country_name", "dest_country_lumped", "year"], path)
    other = ca.dest_country_lumped == OTHER_DESTINATIONS
    dests = map_countries(ca.dest_country_lumped, path, frozenset({OTHER_DESTINATIONS}))
    flags = ca.cond_all.str.split(" ", expand=True)
    cols = {
        "year": ca.year.astype("int64").tolist(),
        "origin_iso3": [CENTRAL_ASIA[o] for o in ca.origin_country_name],
        "origin_name": ca.origin_country_name.tolist(),
        "dest_iso3": [dests[d] for d in ca.dest_country_lumped],
        "dest_name": ca.dest_country_lumped.tolist(),
        "dest_is_other": other.tolist(),
        "students": students.round(6).tolist(),
        "uis_includes": (flags[0] == "a").tolist(),
        "uis_included": (flags[1] == "b").tolist(),
        "national_estimate": (flags[2] == "c").tolist(),
        "uis_estimate": (flags[3] == "d").tolist(),
        "source": [SRC_UIS_FLOWS.id] * len(ca),
    }
    return _frame(STUDENT_FLOWS, cols)


def check_inbound_definitions(path: Path) -> None:
    """Check that the definitions file still defines the two indicators as expected.

    Raises:
        RawDataError: if an indicator is missing or its name changed meaning.
    """
    defs = read_raw_csv(path, INBOUND_DEFS_COLUMNS).set_index("indicatorId")
    expected = {UIS_INBOUND: "total inbound", UIS_NETFLOW: "net flow"}
    for code, words in expected.items():
        if code not in defs.index or words not in defs.loc[code, "name"].lower():
            raise fail(
                path,
                f"indicator {code} is missing or no longer named '{words} ...'",
                "check the UIS indicator definitions and the inbound/net-flow parser",
            )


def parse_inbound(path: Path, defs_path: Path) -> pd.DataFrame:
    """Curate the UIS inbound / net-flow file into ``uis_inbound_netflow`` rows.

    Raises:
        RawDataError: on a renamed header, changed indicator definitions, a country in
            scope with no rows, a bad value, an unhandled magnitude flag or duplicates.
    """
    check_inbound_definitions(defs_path)
    raw = read_raw_csv(path, INBOUND_COLUMNS)
    scope = raw[raw.geoUnit.isin(INBOUND_SCOPE) & raw.indicatorId.isin([UIS_INBOUND, UIS_NETFLOW])]
    absent = sorted(set(INBOUND_SCOPE) - set(scope.geoUnit))
    if absent:
        raise fail(path, f"no inbound / net-flow rows for {absent}", "restore the full file")
    flagged = scope[scope.magnitude != ""]
    if len(flagged):
        raise fail(
            path,
            f"magnitude flag(s) {sorted(set(flagged.magnitude))} on line(s) "
            f"{_lines(flagged.index)[:10]} are not handled",
            "decide how to curate UIS magnitude flags (NA / NIL) in kzanalysis/curate/polls.py",
        )
    unknown_q = sorted(set(scope.qualifier) - {"", "UIS_EST", "NAT_EST"})
    if unknown_q:
        raise fail(path, f"unknown UIS qualifier(s) {unknown_q}", "extend the qualifier enum")
    bad_year = scope.index[~scope.year.str.match(_YEAR_RE)]
    if len(bad_year):
        raise fail(path, f"year is not YYYY on line(s) {_lines(bad_year)[:10]}")
    scope = scope.assign(number=_numbers(scope.value, "value", path))
    if scope.number.isna().any():
        raise fail(path, f"empty value on line(s) {_lines(scope.index[scope.number.isna()])[:10]}")
    _reject_duplicates(scope, ["indicatorId", "geoUnit", "year"], path)
    wide = scope.pivot(index=["geoUnit", "year"], columns="indicatorId", values=["number"])
    quals = scope.pivot(index=["geoUnit", "year"], columns="indicatorId", values=["qualifier"])
    wide = wide.reindex(columns=[("number", UIS_INBOUND), ("number", UIS_NETFLOW)])
    quals = quals.reindex(columns=[("qualifier", UIS_INBOUND), ("qualifier", UIS_NETFLOW)])
    inbound = wide[("number", UIS_INBOUND)]
    netflow = wide[("number", UIS_NETFLOW)]
    cols = {
        "year": [int(y) for _, y in wide.index],
        "country_iso3": [g for g, _ in wide.index],
        "inbound_students": inbound.round(6).tolist(),
        "inbound_qualifier": quals[("qualifier", UIS_INBOUND)].tolist(),
        "net_flow_students": netflow.round(6).tolist(),
        "net_flow_qualifier": quals[("qualifier", UIS_NETFLOW)].tolist(),
        "outbound_derived_students": (inbound - netflow).round(6).tolist(),
        "source": [SRC_UIS_INBOUND.id] * len(wide),
    }
    return _frame(UIS_INBOUND_NETFLOW, cols)


def check_derived_indicators(
    indicators: pd.DataFrame, flows: pd.DataFrame, inbound: pd.DataFrame, path: Path
) -> None:
    """Check the transcribed UIS values against the curated UIS tables.

    ``outbound_students_to_russia_uis`` must equal the Russia row of ``flows``,
    ``outbound_students_sum_listed_destinations_uis`` the sum of the listed rows (to
    within 1 student: the transcription rounds the sum), ``outbound_students_total_uis_derived``
    the derived outbound of ``inbound``.

    Raises:
        RawDataError: listing every transcribed value that disagrees.
    """
    to_russia = flows[flows.dest_iso3 == "RUS"].set_index(["origin_iso3", "year"]).students
    listed = flows.groupby(["origin_iso3", "year"]).students.sum()
    total = inbound.set_index(["country_iso3", "year"]).outbound_derived_students
    expected = {
        "outbound_students_to_russia_uis": to_russia,
        "outbound_students_sum_listed_destinations_uis": listed,
        "outbound_students_total_uis_derived": total,
    }
    problems = []
    for row in indicators.itertuples(index=False):
        series = expected.get(row.indicator)
        if series is None:
            continue
        key = (row.country_iso3, row.year)
        value = series.get(key)
        if value is None or pd.isna(value) or abs(value - row.value_students) > 1:
            problems.append(f"{row.indicator} {key}: transcribed {row.value_students}, UIS {value}")
    if problems:
        raise fail(
            path,
            "transcribed UIS values disagree with the UIS files: " + "; ".join(problems),
            "re-derive the values from the UIS files or correct the transcription",
        )


# --------------------------------------------------------------------------- build


def build(raw: Path) -> dict[str, pd.DataFrame]:
    """Curate the polls tables from the snapshot folder ``raw`` (holding ``polls/raw/``).

    Raises:
        RawDataError: if a file is missing or not in the expected layout.
    """
    raw = Path(raw)
    toplines = parse_toplines(require(raw, TOPLINES))
    indicators_path = require(raw, INDICATORS)
    indicators = parse_indicators(indicators_path)
    flows = parse_flows(require(raw, FLOWS))
    inbound = parse_inbound(require(raw, INBOUND), require(raw, INBOUND_DEFS))
    check_derived_indicators(indicators, flows, inbound, indicators_path)
    return {
        POLL_TOPLINES.name: toplines,
        SOFT_POWER_INDICATORS.name: indicators,
        STUDENT_FLOWS.name: flows,
        UIS_INBOUND_NETFLOW.name: inbound,
    }
