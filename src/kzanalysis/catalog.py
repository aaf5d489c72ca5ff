"""The data catalog: ``data/datapackage.json``, a Frictionless Tabular Data Package.

This module owns the catalog's format: it builds a resource entry from a
:class:`~kzanalysis.schema.TableSpec` and the written file, reads the catalog
back, summarises it (``kzanalysis data info``) and verifies the files against it
(``kzanalysis data verify``). It imports only the standard library at module
level so the report builder can read checksums cheaply. The catalog validates with
``frictionless validate data/datapackage.json`` (tested); the extra keys (``unit``,
``sources[].terms``, ``caveats`` …) are allowed by the standard.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kzanalysis.errors import DataIntegrityError
from kzanalysis.hashing import sha256_file
from kzanalysis.paths import data_dir as default_data_dir

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from kzanalysis.schema import Source, TableSpec

CATALOG_NAME = "datapackage.json"
CURATE_HINT = "run `kzanalysis data curate --raw ../shared/data` (or `make data`)"


def source_entry(
    source: Source, raw_files: list[dict[str, Any]], newest_data_year: int | None = None
) -> dict[str, Any]:
    """Describe one upstream source for the catalog, with the checksums of its raw files.

    Besides publisher, edition and terms, the entry carries the source's release cadence
    (``release_cadence_months``: months between releases, or ``"none"`` for a historical,
    archived or one-off source; ``release_lag_months``; ``release_note``) and
    ``newest_data_year``, the latest year of the table's rows from this source: what the
    stale-data rule of the report index needs (:mod:`kzanalysis.publish.editions`).
    """
    entry: dict[str, Any] = {
        "id": source.id,
        "title": source.title,
        "publisher": source.publisher,
        "path": source.url,
        "edition": source.edition,
        "retrieved": source.retrieved,
        "terms": source.terms,
    }
    if source.terms_url:
        entry["terms_url"] = source.terms_url
    if source.release_cadence_months is not None:
        entry["release_cadence_months"] = source.release_cadence_months
        if isinstance(source.release_cadence_months, int):
            entry["release_lag_months"] = source.release_lag_months
    if source.release_note:
        entry["release_note"] = source.release_note
    if newest_data_year is not None:
        entry["newest_data_year"] = newest_data_year
    entry["raw_files"] = raw_files
    return entry


def newest_years_by_source(spec: TableSpec, frame: pd.DataFrame) -> dict[str, int]:
    """The latest year (the spec's year field) of each source's rows (the ``source`` column)."""
    if spec.year_field is None or frame.empty or "source" not in frame.columns:
        return {}
    years = frame[[spec.year_field, "source"]].dropna()
    if years.empty:
        return {}
    return {str(k): int(v) for k, v in years.groupby("source")[spec.year_field].max().items()}


def license_entry(source: Source) -> dict[str, Any]:
    """Describe one source's licence as a Data Package ``licenses`` item.

    ``name`` is the standard licence id when the publisher's licence is a standard one
    (:attr:`~kzanalysis.schema.Source.license_id`); ``path`` is the publisher's terms page,
    or, when no terms page is known, the page the data are published on; ``title`` is the
    terms in words. Every item therefore has a ``path``, as the standard requires of an
    item without a ``name``.
    """
    entry: dict[str, Any] = {}
    if source.license_id:
        entry["name"] = source.license_id
    entry["path"] = source.terms_url or source.url
    entry["title"] = source.terms
    return entry


def field_entry(spec_field: Any) -> dict[str, Any]:
    """Describe one field in Frictionless table-schema form (plus ``unit``)."""
    entry: dict[str, Any] = {
        "name": spec_field.name,
        "type": spec_field.type,
        "description": spec_field.description,
    }
    if spec_field.unit:
        entry["unit"] = spec_field.unit
    constraints: dict[str, Any] = {"required": not spec_field.nullable}
    if spec_field.enum is not None:
        constraints["enum"] = list(spec_field.enum)
    if spec_field.minimum is not None:
        constraints["minimum"] = spec_field.minimum
    if spec_field.maximum is not None:
        constraints["maximum"] = spec_field.maximum
    entry["constraints"] = constraints
    return entry


def temporal_coverage(spec: TableSpec, frame: pd.DataFrame) -> dict[str, int] | None:
    """Return ``{"start": first_year, "end": last_year}`` from the spec's year field."""
    if spec.year_field is None or frame.empty:
        return None
    years = frame[spec.year_field].dropna()
    if years.empty:
        return None
    return {"start": int(years.min()), "end": int(years.max())}


def resource_entry(
    spec: TableSpec,
    frame: pd.DataFrame,
    path: Path,
    sources: list[dict[str, Any]],
) -> dict[str, Any]:
    """Build the catalog entry of one written table."""
    return {
        "name": spec.name,
        "path": path.name,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "title": spec.title,
        "description": spec.description,
        "hash": "sha256:" + sha256_file(path),
        "bytes": path.stat().st_size,
        "rows": len(frame),
        "temporal": temporal_coverage(spec, frame),
        "spatial": spec.spatial,
        "schema": {
            "fields": [field_entry(f) for f in spec.fields],
            "primaryKey": list(spec.primary_key),
        },
        "sources": sources,
        "licenses": [license_entry(s) for s in spec.sources],
        "caveats": list(spec.caveats),
    }


def package(resources: list[dict[str, Any]]) -> dict[str, Any]:
    """Wrap resource entries into the data package document."""
    return {
        "profile": "tabular-data-package",
        "name": "kzanalysis-curated-data",
        "title": "kzanalysis curated tables: Kazakhstan and Central Asia",
        "description": (
            "Tidy, Central-Asia-scoped tables curated by `kzanalysis data curate` from upstream "
            "snapshots. Each resource names its sources, their terms and the checksums of the "
            "raw files it was made from. There is no single licence for the package: each "
            "resource carries its publishers' licences (resources[].licenses) and their terms "
            "in words (resources[].sources[].terms). The project's own aggregates are the "
            "project's work, not the publishers'."
        ),
        "resources": resources,
    }


def dumps(doc: dict[str, Any]) -> str:
    """Serialise the catalog deterministically (stable key order, trailing newline)."""
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def load_catalog(data_dir: Path | None = None) -> dict[str, Any]:
    """Read ``datapackage.json``.

    Raises:
        DataIntegrityError: if the catalog is missing or not valid JSON.
    """
    folder = Path(data_dir) if data_dir else default_data_dir()
    path = folder / CATALOG_NAME
    if not path.is_file():
        raise DataIntegrityError(f"{path}: catalog not found. Fix: {CURATE_HINT}.")
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DataIntegrityError(
            f"{path}: catalog is not valid JSON ({exc}). Fix: {CURATE_HINT}."
        ) from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("resources"), list):
        raise DataIntegrityError(f"{path}: catalog has no 'resources' list. Fix: {CURATE_HINT}.")
    return doc


def resource(name: str, data_dir: Path | None = None) -> dict[str, Any]:
    """Return the catalog entry of table ``name``.

    Raises:
        DataIntegrityError: if the table is not in the catalog (lists the valid names).
    """
    doc = load_catalog(data_dir)
    for res in doc["resources"]:
        if res.get("name") == name:
            return res
    names = ", ".join(r.get("name", "?") for r in doc["resources"])
    raise DataIntegrityError(f"table {name!r} is not in the catalog; tables: {names}.")


def resource_hashes(data_dir: Path | None = None) -> dict[str, str]:
    """Map every table name to its catalogued ``sha256:<hex>`` hash."""
    return {r["name"]: r["hash"] for r in load_catalog(data_dir)["resources"]}


def resource_path(res: dict[str, Any], folder: Path) -> Path:
    """The file of a catalog resource: a plain file name inside ``folder``.

    Raises:
        DataIntegrityError: if the entry has no ``path`` or it points outside ``folder``
            (an absolute path, a sub-folder or ``..``), so a tampered catalog can never make
            the loaders read, or the checks vouch for, a file elsewhere.
    """
    name = res.get("name", "?")
    rel = res.get("path")
    if not isinstance(rel, str) or not rel or Path(rel).name != rel or rel in (".", ".."):
        raise DataIntegrityError(
            f"{name}: the catalog's path {rel!r} is not a file name inside {folder} "
            f"(path check failed). Fix: {CURATE_HINT}."
        )
    return folder / rel


def check_file(res: dict[str, Any], folder: Path) -> list[str]:
    """Compare one resource's file with its catalog entry (path, existence, size, sha256).

    Every problem names the table, the file, the check that failed and the fix.
    """
    name = res.get("name", "?")
    try:
        path = resource_path(res, folder)
    except DataIntegrityError as exc:
        return [str(exc)]
    if not path.is_file():
        return [f"{name}: file {path} is missing. Fix: {CURATE_HINT}."]
    problems = []
    size = path.stat().st_size
    if size != res.get("bytes"):
        problems.append(
            f"{name}: {path} has {size} bytes, the catalog says {res.get('bytes')} "
            f"(size check failed): the file changed after curation. "
            f"Fix: `git checkout -- {path.name}` in data/, or {CURATE_HINT}."
        )
    digest = "sha256:" + sha256_file(path)
    if digest != res.get("hash"):
        problems.append(
            f"{name}: {path} checksum mismatch (file {digest[:19]}…, catalog "
            f"{str(res.get('hash'))[:19]}…): the file changed after curation. "
            f"Fix: `git checkout -- {path.name}` in data/, or {CURATE_HINT}."
        )
    return problems


def catalog_table(data_dir: Path | None = None) -> pd.DataFrame:
    """Summarise the catalog: one row per table with coverage, publishers, editions and terms."""
    import pandas as pd

    from kzanalysis import reads

    folder = Path(data_dir) if data_dir else default_data_dir()
    reads.record_file(folder / CATALOG_NAME, folder)  # the whole catalog is shown
    rows = []
    for res in load_catalog(folder)["resources"]:
        temporal = res.get("temporal") or {}
        sources = res.get("sources", [])
        rows.append(
            {
                "table": res["name"],
                "title": res.get("title", ""),
                "rows": int(res.get("rows", 0)),
                "start_year": temporal.get("start"),
                "end_year": temporal.get("end"),
                "publishers": "; ".join(dict.fromkeys(s["publisher"] for s in sources)),
                "editions": "; ".join(dict.fromkeys(s["edition"] for s in sources)),
                "terms": " | ".join(dict.fromkeys(s["terms"] for s in sources)),
            }
        )
    frame = pd.DataFrame(rows)
    for col in ("start_year", "end_year"):
        if col in frame:
            frame[col] = frame[col].astype("Int64")
    return frame


def publisher_short(publisher: str) -> str:
    """A publisher's short name for tables: "… Research Institute (SIPRI)" → "SIPRI"; else
    the name before its first parenthesis or comma ("World Bank WITS (UN Comtrade …)" →
    "World Bank WITS")."""
    import re

    inside = re.search(r"\(([^()]+)\)\s*$", publisher)
    if inside and re.fullmatch(r"[A-Z][A-Za-z]*[A-Z][A-Za-z]*", inside.group(1).strip()):
        return inside.group(1).strip()
    return re.split(r" \(|, ", publisher, maxsplit=1)[0].strip()


def _number_ranges(numbers: list[int]) -> str:
    """``[1, 2, 3, 5]`` → ``"1–3, 5"``."""
    values = sorted(set(numbers))
    parts: list[str] = []
    i = 0
    while i < len(values):
        j = i
        while j + 1 < len(values) and values[j + 1] == values[j] + 1:
            j += 1
        parts.append(str(values[i]) if i == j else f"{values[i]}–{values[j]}")
        i = j + 1
    return ", ".join(parts)


def _table_domains() -> dict[str, str]:
    """Table name → its data domain, from the table specs (code, not data)."""
    from kzanalysis.specs import DOMAINS, domain_module

    return {spec.name: domain for domain in DOMAINS for spec in domain_module(domain).TABLES}


def catalog_rows(data_dir: Path | None = None) -> pd.DataFrame:
    """:func:`catalog_table` with what the data overview shows besides: each table's domain,
    short publisher names and its sources (catalog entries, for the references)."""
    folder = Path(data_dir) if data_dir else default_data_dir()
    frame = catalog_table(folder)
    sources = {r["name"]: list(r.get("sources", [])) for r in load_catalog(folder)["resources"]}
    domains = _table_domains()
    frame["domain"] = [domains.get(name, "other") for name in frame["table"]]
    frame["publisher_names"] = [
        "; ".join(dict.fromkeys(publisher_short(s["publisher"]) for s in sources[name]))
        for name in frame["table"]
    ]
    frame["sources"] = [sources[name] for name in frame["table"]]
    return frame


def catalog_element(data_dir: Path | None = None, *, refs: Any = None) -> Any:
    """The catalog as a report Table for the data overview: one row per curated table.

    Each table's sources are cited into the references (``refs``, default the kernel's
    :func:`kzanalysis.report.references`) and the table shows their numbers, so the
    References list at the end of the report gives every source once, with its edition,
    address and terms (one terms note per publisher).

    Args:
        data_dir: Folder with ``datapackage.json`` (default: ``data/``).
        refs: Reference collector.

    Returns:
        kzanalysis.report.Table.
    """
    from kzanalysis import report

    frame = catalog_rows(data_dir)
    collector = refs if refs is not None else report.references()
    frame["references"] = [
        _number_ranges(collector.cite(report.sources_of({"sources": s}))) or report.MISSING
        for s in frame["sources"]
    ]
    frame["domain"] = frame["domain"].str.capitalize()
    first, last = frame["start_year"].min(), frame["end_year"].max()
    years = f", years {int(first)}–{int(last)}" if frame["start_year"].notna().any() else ""
    return report.Table(
        frame,
        {
            "title": report.Col(header="Table", kind="text"),
            "domain": report.Col(header="Domain", kind="text"),
            "rows": report.Col(header="Rows (number)", kind="integer"),
            "start_year": report.Col(header="First year", kind="year"),
            "end_year": report.Col(header="Last year", kind="year"),
            "publisher_names": report.Col(header="Publishers", kind="text"),
            "references": report.Col(header="References", kind="text"),
        },
        title="The curated tables",
        subtitle=f"{len(frame)} tables, {int(frame['rows'].sum()):,} rows{years}.",
        notes=[
            "Rows count the records of the Central Asian extract; the years span the years "
            "with data. References: the numbered sources under References, with their "
            "editions and terms of use."
        ],
        missing_note="the table has no year column.",
        refs=collector,
        anchor="tbl-curated-tables",
        csv_name="curated-tables.csv",
    )


def catalog_findings(data_dir: Path | None = None, *, target: Any = None) -> Any:
    """Key findings of the data overview: tables, sources, years and sizes, computed.

    Args:
        data_dir: Folder with ``datapackage.json`` (default: ``data/``).
        target: The element (or anchor) the sentences link to, e.g. :func:`catalog_element`;
            with a target, the sentence on sources links to the References (``#references``).

    Returns:
        kzanalysis.report.Findings with four sentences.
    """
    from kzanalysis import report

    frame = catalog_rows(data_dir)
    per_domain = frame.groupby("domain", sort=False).size()
    domains = [f"{n} on {d}" for d, n in per_domain.items()]
    ids = {s["id"] for srcs in frame["sources"] for s in srcs}
    publishers = {s["publisher"] for srcs in frame["sources"] for s in srcs}
    dated = frame[frame["start_year"].notna()]
    listed = ", ".join(domains[:-1]) + " and " + domains[-1] if len(domains) > 1 else domains[0]
    sentences = [
        f"The reports read {len(frame)} curated tables with {int(frame['rows'].sum()):,} rows "
        f"in all: {listed}.",
        f"The tables come from {len(ids)} sources by {len(publishers)} publishers; each source "
        "is listed once under References, with its edition, address and terms of use.",
    ]
    if len(dated):
        first, last = int(dated["start_year"].min()), int(dated["end_year"].max())
        earliest = dated.loc[dated["start_year"] == first, "title"].iloc[0]
        reach = int((dated["end_year"] == last).sum())
        sentences.append(
            f"Years with data run from {first} ({earliest}) to {last}; {reach} of the "
            f"{len(frame)} tables {'reaches' if reach == 1 else 'reach'} {last}."
        )
    else:
        sentences.append("No table has a year column, so no years are covered.")
    big, small = frame.loc[frame["rows"].idxmax()], frame.loc[frame["rows"].idxmin()]
    sentences.append(
        f"The only table, {big['title']}, has {int(big['rows']):,} rows."
        if len(frame) == 1
        else f"The largest table is {big['title']} ({int(big['rows']):,} rows); the smallest "
        f"is {small['title']} ({int(small['rows']):,} rows)."
    )
    if target is None:
        return report.Findings(sentences)
    links = [target, "references", *[target] * (len(sentences) - 2)]
    return report.Findings(list(zip(sentences, links, strict=True)))
