"""Damaged copies of every ``data/`` table: verify and the loaders fail clearly, never raw.

Each case damages one table in a private copy (truncate, empty, re-encode, byte-order
mark, CRLF, reorder columns, add/remove a row, change a value to text or below its
minimum). Two situations are tried:

* ``catalog kept``: the catalog still describes the original file (someone edited or
  broke the file): size and checksum checks must catch it.
* ``catalog updated``: the catalog's size and hash were updated to match the damaged
  file (someone "fixed" the checksum by hand): the parse, schema, row-count and
  format checks must still catch it.

Either way the failure is a :class:`DataIntegrityError` (loader) or a problem line
(``verify``) naming the table, the check that failed and the fix
(``kzanalysis data curate``), never a pandas traceback.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kzanalysis import datasets
from kzanalysis.cli import app
from kzanalysis.curate import spec_for
from kzanalysis.errors import DataIntegrityError
from kzanalysis.hashing import sha256_file
from kzanalysis.paths import PROJECT_ROOT

pytestmark = pytest.mark.integration

DATA = PROJECT_ROOT / "data"
CATALOG = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
RESOURCES = {r["name"]: r for r in CATALOG["resources"]}
FIX = "kzanalysis data curate"
CHECK_WORDS = (
    "checksum",
    "size check",
    "path check",
    "row-count check",
    "format check",
    "order check",
    "columns do not match",
    "cannot be read",
    "does not fit the schema",
    "violates its schema",
    "missing",
)


def rows_of(blob: bytes) -> list[list[str]]:
    """The CSV rows of ``blob`` (a fresh list of fresh rows: callers may change them)."""
    return [list(row) for row in _parsed(blob)]


@functools.lru_cache(maxsize=4)
def _parsed(blob: bytes) -> tuple[tuple[str, ...], ...]:
    """Parsed once per table (the mutations of a table parse the same committed bytes)."""
    return tuple(map(tuple, csv.reader(io.StringIO(blob.decode("utf-8")))))


def csv_bytes(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def field_index(name: str, want: Callable[[Any], bool]) -> int | None:
    spec = spec_for(name)
    for i, f in enumerate(spec.fields):
        if want(f):
            return i
    return None


def set_value(blob: bytes, name: str, want: Callable[[Any], bool], value: Callable) -> bytes:
    """Set one cell (first non-empty cell of the wanted field, from the middle row on)."""
    rows = rows_of(blob)
    col = field_index(name, want)
    assert col is not None
    for row in rows[len(rows) // 2 :] + rows[1:]:
        if row[col]:
            row[col] = value(row[col])
            return csv_bytes(rows)
    raise AssertionError(f"{name}: no non-empty cell in column {col}")


def numeric(f: Any) -> bool:
    return f.type in ("number", "integer")


def has_minimum(f: Any) -> bool:
    return f.minimum is not None


MUTATIONS: dict[str, Callable[[bytes, str], bytes]] = {
    "truncated mid-line": lambda b, n: b[: len(b) // 2].rstrip(b"\n")[:-1],
    "emptied": lambda b, n: b"",
    "re-encoded UTF-16": lambda b, n: b.decode("utf-8").encode("utf-16"),
    "re-encoded Latin-1/cp1251": lambda b, n: legacy_8bit(b),
    "byte-order mark added": lambda b, n: b"\xef\xbb\xbf" + b,
    "CRLF line ends": lambda b, n: b.replace(b"\n", b"\r\n"),
    "columns reordered": lambda b, n: csv_bytes([[r[1], r[0], *r[2:]] for r in rows_of(b)]),
    "row duplicated": lambda b, n: csv_bytes([*rows_of(b)[:2], *rows_of(b)[1:]]),
    "row removed": lambda b, n: csv_bytes(rows_of(b)[:1] + rows_of(b)[2:]),
    "number became text": lambda b, n: set_value(b, n, numeric, lambda v: "n/a"),
    "value below its minimum": lambda b, n: set_value(
        b, n, has_minimum, lambda v: str(spec_field_minimum(n) - 1)
    ),
}


def legacy_8bit(blob: bytes) -> bytes:
    """The text in the first legacy code page that can hold it (as Excel might save it)."""
    text = blob.decode("utf-8")
    for codec in ("latin-1", "cp1251"):
        try:
            return text.encode(codec)
        except UnicodeEncodeError:
            continue
    return text.encode("latin-1", "replace")


def spec_field_minimum(name: str) -> float:
    col = field_index(name, has_minimum)
    return spec_for(name).fields[col].minimum


def applicable(name: str, mutation: str) -> bool:
    blob = (DATA / RESOURCES[name]["path"]).read_bytes()
    if mutation == "re-encoded Latin-1/cp1251":
        return not legacy_8bit(blob).isascii()  # else the same bytes, or "?" for letters
    if mutation == "number became text":
        return field_index(name, numeric) is not None
    if mutation == "value below its minimum":
        return field_index(name, has_minimum) is not None
    return True


CASES = [
    pytest.param(name, mutation, id=f"{name}-{mutation.replace(' ', '_').replace('/', '_')}")
    for name in RESOURCES
    for mutation in MUTATIONS
    if applicable(name, mutation)
]


@functools.cache
def damaged_bytes(name: str, mutation: str) -> bytes:
    """The committed table ``name`` with ``mutation`` applied (made once per worker: the
    ``catalog kept`` and ``catalog updated`` cases of a mutation write the same bytes)."""
    original = (DATA / RESOURCES[name]["path"]).read_bytes()
    damaged = MUTATIONS[mutation](original, name)
    assert damaged != original, "the mutation changed nothing"
    return damaged


def damaged_copy(tmp_path: Path, name: str, mutation: str, update_catalog: bool) -> Path:
    """A data folder holding the catalog and the damaged table only."""
    folder = tmp_path / "data"
    folder.mkdir(parents=True)
    res = RESOURCES[name]
    path = folder / res["path"]
    path.write_bytes(damaged_bytes(name, mutation))
    catalog = json.loads(json.dumps(CATALOG))
    if update_catalog:
        for entry in catalog["resources"]:
            if entry["name"] == name:
                entry["hash"] = "sha256:" + sha256_file(path)
                entry["bytes"] = path.stat().st_size
    (folder / "datapackage.json").write_text(json.dumps(catalog), encoding="utf-8")
    return folder


def assert_clear(message: str, name: str) -> None:
    assert name in message, message
    assert any(word in message for word in CHECK_WORDS), f"no check named: {message}"
    assert FIX in message, f"no fix named: {message}"
    assert "Traceback" not in message


def table_problems(name: str, folder: Path) -> list[str]:
    """What ``verify`` reports for one table (the per-table part of verify)."""
    res = json.loads((folder / "datapackage.json").read_text())["resources"]
    (entry,) = [r for r in res if r["name"] == name]
    problems = datasets.check_file(entry, folder)
    return problems or datasets.content_problems(entry, spec_for(name), folder)


@pytest.mark.parametrize("update_catalog", [False, True], ids=["catalog_kept", "catalog_updated"])
@pytest.mark.parametrize(("name", "mutation"), CASES)
def test_damaged_table_is_caught_by_verify_and_loader(
    name, mutation, update_catalog, tmp_path, tally
):
    folder = damaged_copy(tmp_path, name, mutation, update_catalog)
    problems = table_problems(name, folder)
    assert problems, f"{name} {mutation}: verify found nothing"
    for problem in problems:
        assert_clear(problem, name)
    format_only = update_catalog and all("format check" in p for p in problems)
    datasets.clear_cache()
    if format_only:  # byte-level layout (BOM, CRLF) is verify's job; the values are intact
        frame = datasets.load(name, folder)
        assert len(frame) == RESOURCES[name]["rows"]
    else:
        with pytest.raises(DataIntegrityError) as err:
            datasets.load(name, folder)
        assert_clear(str(err.value), name)
    datasets.clear_cache()
    tally("damaged data files caught", 1)


@pytest.mark.parametrize(
    "mutation", ["columns reordered", "number became text", "CRLF line ends", "row removed"]
)
def test_data_verify_command_reports_the_table_check_and_fix(mutation, tmp_path, tally):
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    name = "brent_annual"
    damaged = damaged_copy(tmp_path / "one", name, mutation, update_catalog=True)
    shutil.copy(damaged / RESOURCES[name]["path"], folder / RESOURCES[name]["path"])
    shutil.copy(damaged / "datapackage.json", folder / "datapackage.json")
    result = CliRunner().invoke(app, ["data", "verify", "--data-dir", str(folder)])
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    assert f"FAIL {name}" in result.output
    assert [line for line in result.output.splitlines() if line.startswith("FAIL")] == [
        f"FAIL {name}"
    ]
    assert FIX in result.output and "Traceback" not in result.output
    tally("damaged data files caught", 1)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda r: r.update(path="../../etc/passwd"), "path check failed"),
        (lambda r: r.update(path="/etc/hostname"), "path check failed"),
        (lambda r: r.pop("path"), "path check failed"),
        (lambda r: r.update(bytes="many"), "size check failed"),
        (lambda r: r.update(hash=None), "checksum mismatch"),
        (lambda r: r.update(rows=r["rows"] + 1), "row-count check failed"),
    ],
    ids=["traversal", "absolute", "no_path", "bytes_text", "no_hash", "rows"],
)
def test_tampered_catalog_entries_are_problems_not_crashes(change, expected, tmp_path, tally):
    folder = tmp_path / "data"
    folder.mkdir()
    name = "brent_annual"
    shutil.copy(DATA / RESOURCES[name]["path"], folder / RESOURCES[name]["path"])
    catalog = json.loads(json.dumps(CATALOG))
    (entry,) = [r for r in catalog["resources"] if r["name"] == name]
    change(entry)
    (folder / "datapackage.json").write_text(json.dumps(catalog), encoding="utf-8")
    problems = table_problems(name, folder)
    assert any(expected in p for p in problems), problems
    for problem in problems:
        assert_clear(problem, name)
    datasets.clear_cache()
    with pytest.raises(DataIntegrityError, match=expected):
        datasets.load(name, folder)
    datasets.clear_cache()
    tally("damaged data files caught", 1)


@pytest.mark.parametrize(
    "text",
    ["", "{", '{"resources": 3}', "\xff\xfe", "[]"],
    ids=["empty", "truncated", "not_a_list", "binary", "array"],
)
def test_broken_catalog_is_one_clear_error(text, tmp_path, tally):
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "datapackage.json").write_text(text, encoding="latin-1")
    for call in (lambda: datasets.verify(folder), lambda: datasets.load("brent_annual", folder)):
        datasets.clear_cache()
        with pytest.raises(DataIntegrityError, match="datapackage.json") as err:
            call()
        assert FIX in str(err.value)
    datasets.clear_cache()
    tally("damaged data files caught", 1)
