"""Run curation: build every domain's tables, validate, write, catalog, or check.

The output is deterministic: rows sorted by primary key, CSV with ``\\n`` line
ends and pandas' round-trip float format, catalog keys in a fixed order and no
timestamps — so re-running on the same snapshots is byte-identical.

Tables are curated into a staging folder next to the output
(``.curate-<pid>-<random>/``, gitignored) and moved into place at the end. A run that
was killed leaves its staging folder behind; the next run removes the staging
folders of processes that no longer run (:func:`remove_stale_staging`).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from kzanalysis import catalog
from kzanalysis import curate as registry
from kzanalysis.curate._io import LOG_KEY, require
from kzanalysis.datasets import validate
from kzanalysis.errors import RawDataError
from kzanalysis.hashing import sha256_file
from kzanalysis.schema import TableSpec, unit_problems

#: Staging folders of :func:`curate`: ``.curate-<pid>-<random>``.
STAGING_PREFIX = ".curate-"
STAGING_RE = re.compile(r"^\.curate-(\d+)-[^/]+$")


@dataclass
class CurationResult:
    """What a curation run produced (or, with ``check``, how ``data/`` differs)."""

    tables: dict[str, int] = field(default_factory=dict)
    differences: list[str] = field(default_factory=list)
    #: The curation log: what a parser repaired or read in a documented way, one line each
    #: (``<table>: <what>``), from the frames' ``attrs["curation_log"]``.
    log: list[str] = field(default_factory=list)


def tidy(frame: pd.DataFrame, spec: TableSpec) -> pd.DataFrame:
    """Order columns as the spec, sort rows by the primary key and reset the index.

    Raises:
        RawDataError: if the builder returned columns other than the spec's.
    """
    if list(frame.columns) != spec.field_names:
        raise RawDataError(
            f"curation of {spec.name!r} produced columns {list(frame.columns)}, "
            f"the spec declares {spec.field_names}. Fix: make build() follow the spec."
        )
    key = list(spec.primary_key) or spec.field_names
    return frame.sort_values(key, kind="mergesort", na_position="first").reset_index(drop=True)


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write a table deterministically (UTF-8, ``\\n``, no index, empty cell for missing)."""
    frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


def raw_file_entries(raw: Path, paths: tuple[str, ...], cache: dict[str, Any]) -> list[dict]:
    """Checksums and sizes of a source's raw input files (memoised across sources)."""
    entries = []
    for rel in paths:
        if rel not in cache:
            path = require(raw, rel)
            cache[rel] = {"path": rel, "bytes": path.stat().st_size, "sha256": sha256_file(path)}
        entries.append(cache[rel])
    return entries


def build_all(raw: Path, out: Path) -> CurationResult:
    """Curate every domain from ``raw`` into the (existing, empty) folder ``out``."""
    result = CurationResult()
    resources = []
    raw_cache: dict[str, Any] = {}
    for domain in registry.DOMAINS:
        module = registry.domain_module(domain)
        frames = module.build(raw)
        for spec in module.TABLES:
            problems = unit_problems(spec)
            if problems:
                raise RawDataError("table spec breaks the naming rules: " + "; ".join(problems))
            if spec.name not in frames:
                raise RawDataError(f"curation of domain {domain!r} returned no table {spec.name!r}")
            result.log.extend(
                f"{spec.name}: {line}" for line in frames[spec.name].attrs.get(LOG_KEY, ())
            )
            frame = tidy(frames[spec.name], spec)
            validate(frame, spec, f"curated from {raw}")
            path = out / f"{spec.name}.csv"
            write_csv(frame, path)
            newest = catalog.newest_years_by_source(spec, frame)
            sources = [
                catalog.source_entry(
                    s, raw_file_entries(raw, s.raw_paths, raw_cache), newest.get(s.id)
                )
                for s in spec.sources
            ]
            resources.append(catalog.resource_entry(spec, frame, path, sources))
            result.tables[spec.name] = len(frame)
    (out / catalog.CATALOG_NAME).write_text(catalog.dumps(catalog.package(resources)), "utf-8")
    return result


def compare_dirs(expected: Path, actual: Path) -> list[str]:
    """List files that differ between the fresh curation ``expected`` and ``actual`` data/."""
    diffs = []
    fresh = {p.name for p in expected.iterdir()}
    current = {p.name for p in actual.glob("*.csv")} | (
        {catalog.CATALOG_NAME} if (actual / catalog.CATALOG_NAME).exists() else set()
    )
    for name in sorted(fresh - current):
        diffs.append(f"data/{name} is missing (curation produces it)")
    for name in sorted(current - fresh):
        diffs.append(f"data/{name} is not produced by curation")
    for name in sorted(fresh & current):
        if (expected / name).read_bytes() != (actual / name).read_bytes():
            diffs.append(f"data/{name} differs from what curation produces")
    return diffs


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def remove_stale_staging(folder: Path) -> list[Path]:
    """Remove ``.curate-*`` staging folders in ``folder`` left by runs that no longer run.

    A folder named after a live process is kept (another curation is writing it); one
    without a process id (an earlier version's) or of a dead process is removed.

    Returns:
        The folders removed.
    """
    removed = []
    if not folder.is_dir():
        return removed
    for entry in folder.iterdir():
        if not entry.name.startswith(STAGING_PREFIX) or entry.is_symlink() or not entry.is_dir():
            continue
        match = STAGING_RE.match(entry.name)
        if match and (int(match.group(1)) == os.getpid() or _pid_alive(int(match.group(1)))):
            continue  # being written: by this process or another live one
        shutil.rmtree(entry, ignore_errors=True)
        removed.append(entry)
    return removed


def curate(raw: Path, out: Path, check: bool = False) -> CurationResult:
    """Curate ``raw`` into ``out`` (atomically), or with ``check`` only compare.

    Args:
        raw: Folder with the upstream snapshots (``trade/ energy/ arms/ polls/ investment/``).
        out: The project's ``data/`` folder.
        check: Do not write; report how ``out`` differs from a fresh curation.

    Raises:
        RawDataError: if ``raw`` is not a snapshot folder or an upstream file is bad.
    """
    raw = Path(raw)
    if not raw.is_dir():
        raise RawDataError(
            f"{raw}: raw snapshot folder not found. Fix: pass --raw pointing at the folder "
            "that holds trade/, energy/, arms/, polls/ and investment/ (normally ../shared/data)."
        )
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    remove_stale_staging(out.parent)
    prefix = f"{STAGING_PREFIX}{os.getpid()}-"
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=prefix) as tmp:
        staging = Path(tmp)
        result = build_all(raw, staging)
        if check:
            result.differences = compare_dirs(staging, out)
            return result
        produced = {p.name for p in staging.iterdir()}
        for stale in out.glob("*.csv"):
            if stale.name not in produced:
                stale.unlink()
        for name in [*sorted(produced - {catalog.CATALOG_NAME}), catalog.CATALOG_NAME]:
            os.replace(staging / name, out / name)
    shutil.rmtree(staging, ignore_errors=True)
    return result
