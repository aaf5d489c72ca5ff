"""What a report depends on, as a dict of digests, and why it must be rebuilt.

A variant's fingerprint has one entry per kind of input:

- ``notebook``: sha256 of every cell's type and source (outputs, execution
  counts and metadata are ignored, so ``kzanalysis refresh`` does not trigger a
  rebuild; markdown counts because the report shows it);
- ``parameters``: the validated parameters (canonical JSON);
- ``source``: every file of the installed ``kzanalysis`` package (``*.py`` and
  the report templates);
- ``inputs``: what the variant reads, each with its digest (:mod:`kzanalysis.reads`):
  the tables, claims and other ``data/`` files its last good build *recorded* reading,
  plus the tables it declares (chapter registry or reports.yaml; before the first build
  these are all there is) — a notebook that loads a table it does not declare still
  gets it, and a table read only by a claims metric counts for its readers;
- ``lock``: sha256 of ``requirements.lock``;
- ``report``: the presentation options (title, code shown or hidden).

The git commit is not part of it: a commit that changes none of these does not
rebuild anything.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from kzanalysis import reads
from kzanalysis.hashing import sha256_bytes, sha256_file
from kzanalysis.params import cell_source

PACKAGE_DIR = Path(__file__).resolve().parents[1]
SOURCE_SUFFIXES = (".py", ".j2", ".json", ".css", ".yaml")
LABELS = {
    "notebook": "notebook changed",
    "parameters": "parameters changed",
    "source": "kzanalysis source changed",
    "lock": "lock file changed",
    "report": "report options changed",
}


def canonical(obj: Any) -> str:
    """JSON with sorted keys and no whitespace: the same data always gives the same text."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def notebook_digest(nb: Mapping[str, Any]) -> str:
    """Digest of the cells' types and sources only."""
    cells = [[c.get("cell_type"), cell_source(c)] for c in nb.get("cells", [])]
    return sha256_bytes(canonical(cells).encode())


@functools.cache
def source_digest(package_dir: Path = PACKAGE_DIR) -> str:
    """Digest of the package's source files (path + content), computed once per process."""
    digest = hashlib.sha256()
    files = sorted(
        p
        for p in package_dir.rglob("*")
        if p.suffix in SOURCE_SUFFIXES and p.is_file() and "__pycache__" not in p.parts
    )
    for path in files:
        digest.update(path.relative_to(package_dir).as_posix().encode() + b"\0")
        digest.update(sha256_file(path).encode() + b"\n")
    return digest.hexdigest()


def file_digest(path: Path) -> str:
    """sha256 of a file, or ``absent`` if it does not exist."""
    return sha256_file(path) if path.is_file() else "absent"


def input_keys(
    resources: Iterable[Mapping[str, Any]] | None,
    datasets: Iterable[str] | None,
    recorded: Iterable[str] | None,
) -> list[str]:
    """The inputs a variant's fingerprint covers: the tables it declares (``datasets``; None:
    every catalogued table) and what its last good build recorded reading."""
    if datasets is None:
        datasets = [str(r.get("name")) for r in resources or []]
    return sorted({*reads.declared(datasets), *(recorded or ())})


def input_digests(
    keys: Iterable[str], resources: list[Mapping[str, Any]] | None, data_folder: Path
) -> dict[str, str]:
    """Current digest of each input (``{"<catalog>": "missing"}`` without a catalog)."""
    if resources is None:
        return {"<catalog>": "missing"}
    return reads.current_digests(keys, resources, data_folder)


def fingerprint(
    *,
    nb: Mapping[str, Any],
    parameters: Mapping[str, Any],
    inputs: Mapping[str, str],
    lock: str,
    report: Mapping[str, Any],
    source: str | None = None,
) -> dict[str, Any]:
    """Assemble a variant's fingerprint (see the module docstring)."""
    return {
        "notebook": notebook_digest(nb),
        "parameters": canonical(parameters),
        "source": source if source is not None else source_digest(),
        "inputs": dict(inputs),
        "lock": lock,
        "report": canonical(report),
    }


#: How changed inputs are named in a rebuild reason, by kind.
INPUT_LABELS = {
    "table": "data changed",
    "claim": "claims changed",
    "claims": "claims added or removed",
    "file": "data file changed",
}


def changes(old: Mapping[str, Any] | None, new: Mapping[str, Any]) -> list[str]:
    """Say why ``new`` differs from ``old`` (empty list: nothing changed).

    Changed inputs are named: ``data changed: arms_deals``, ``claims changed: C25``,
    ``claims added or removed: domain=arms``, ``data file changed: datapackage.json``.
    """
    if not old:
        return ["first build"]
    if "inputs" not in old:
        return ["build state of an earlier kzanalysis (no recorded inputs)"]
    reasons = [LABELS[key] for key in LABELS if old.get(key) != new.get(key)]
    old_in, new_in = old.get("inputs") or {}, new.get("inputs") or {}
    changed: dict[str, list[str]] = {}
    for key in sorted(new_in):
        if key in old_in and old_in[key] != new_in[key]:
            kind, _, name = key.partition(":")
            changed.setdefault(INPUT_LABELS.get(kind, "input changed"), []).append(name or key)
    added = sorted(set(new_in) - set(old_in))
    for label, names in changed.items():
        reasons.append(f"{label}: " + ", ".join(names))
    if added:
        reasons.append("new inputs: " + ", ".join(k.partition(":")[2] or k for k in added))
    return reasons
