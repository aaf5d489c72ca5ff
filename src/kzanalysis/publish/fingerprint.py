"""What a report depends on, as a dict of digests, and why it must be rebuilt.

A variant's fingerprint has one entry per kind of input:

- ``notebook``: sha256 of every cell's type and source (outputs, execution
  counts and metadata are ignored, so ``kzanalysis refresh`` does not trigger a
  rebuild; markdown counts because the report shows it);
- ``parameters``: the validated parameters (canonical JSON);
- ``source``: every file of the installed ``kzanalysis`` package (``*.py`` and
  the report templates);
- ``data``: the catalog checksum of each dataset the variant uses;
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


def data_digests(
    resources: Iterable[Mapping[str, Any]] | None, datasets: Iterable[str] | None
) -> dict[str, str]:
    """Map each dataset the variant uses to its catalog hash (``missing`` if not catalogued)."""
    if resources is None:
        return {"<catalog>": "missing"}
    hashes = {str(r.get("name")): str(r.get("hash")) for r in resources}
    names = list(datasets) if datasets is not None else sorted(hashes)
    return {name: hashes.get(name, "missing") for name in names}


def fingerprint(
    *,
    nb: Mapping[str, Any],
    parameters: Mapping[str, Any],
    data: Mapping[str, str],
    lock: str,
    report: Mapping[str, Any],
    source: str | None = None,
) -> dict[str, Any]:
    """Assemble a variant's fingerprint (see the module docstring)."""
    return {
        "notebook": notebook_digest(nb),
        "parameters": canonical(parameters),
        "source": source if source is not None else source_digest(),
        "data": dict(data),
        "lock": lock,
        "report": canonical(report),
    }


def changes(old: Mapping[str, Any] | None, new: Mapping[str, Any]) -> list[str]:
    """Say why ``new`` differs from ``old`` (empty list: nothing changed)."""
    if not old:
        return ["first build"]
    reasons = [LABELS[key] for key in LABELS if old.get(key) != new.get(key)]
    old_data, new_data = old.get("data") or {}, new.get("data") or {}
    changed = sorted(k for k in new_data if old_data.get(k) != new_data[k])
    removed = sorted(set(old_data) - set(new_data))
    if changed:
        reasons.append("data changed: " + ", ".join(changed))
    if removed:
        reasons.append("datasets no longer used: " + ", ".join(removed))
    return reasons
