"""What a report read: the library records each input it reads, for the build's fingerprint.

While ``kzanalysis build`` runs a variant, it sets ``$KZANALYSIS_READS_FILE`` for the
kernel. Every read through the library then appends one JSON line ``{"key", "digest"}``:

- ``table:<name>`` — a curated table loaded with :func:`kzanalysis.datasets.load`; the
  digest covers its catalog entry (file sha256, schema, sources, editions, caveats);
- ``claim:<id>`` — a claim of ``data/claims.yaml`` that was evaluated (its declaration);
- ``claims:<selection>`` — which claims a ledger table showed (``domain=arms``, ``all``);
- ``file:<path>`` — any other file under ``data/`` (e.g. ``datapackage.json``).

The build stores the keys with the variant's state and, next time, compares the current
digests of exactly those inputs (:func:`current_digests`), so a report is rebuilt when
something it read changed, and only then. Outside a build nothing is recorded.

Only the standard library is imported here.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

ENV = "KZANALYSIS_READS_FILE"
KINDS = ("table", "claim", "claims", "file")
#: (reads file, key) → digest already written by this process (one line per input).
_written: dict[tuple[str, str], str] = {}
#: Open :func:`capture` blocks (innermost last): each collects key → digest.
_captures: list[dict[str, str]] = []


def canonical_digest(obj: Any) -> str:
    """sha256 of ``obj`` as canonical JSON (sorted keys, no whitespace)."""
    text = json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def table_digest(resource: Mapping[str, Any]) -> str:
    """Digest of a table's catalog entry: its data (sha256) and what reports show of it."""
    return canonical_digest(dict(resource))


def file_digest(path: Path) -> str:
    """sha256 of a file's bytes, ``absent`` if it does not exist."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return "absent"


def selection_digest(ids: Iterable[str]) -> str:
    """Digest of which claims a selection holds (sorted ids)."""
    return canonical_digest(sorted(ids))


def record(key: str, digest: str) -> None:
    """Record that ``key`` was read with ``digest`` (no-op outside a build).

    Args:
        key: ``<kind>:<name>``, kind one of :data:`KINDS`.
        digest: What the reader saw (see the module docstring).
    """
    for seen in _captures:
        seen[key] = digest
    target = os.environ.get(ENV)
    if not target or _written.get((target, key)) == digest:
        return
    line = json.dumps({"key": key, "digest": digest}, ensure_ascii=False) + "\n"
    with open(target, "a", encoding="utf-8") as fh:  # one short append per input
        fh.write(line)
    _written[(target, key)] = digest


@contextlib.contextmanager
def capture(*, quiet: bool = False):
    """Collect the reads recorded inside the block (key → digest), in a build or not.

    Args:
        quiet: Also keep them out of a running build's reads file (the caller records the
            ones that matter, e.g. the claims a ledger table shows).

    Yields:
        The dict that fills as reads are recorded.
    """
    seen: dict[str, str] = {}
    _captures.append(seen)
    saved = os.environ.pop(ENV, None) if quiet else None
    try:
        yield seen
    finally:
        _captures.remove(seen)
        if saved is not None:
            os.environ[ENV] = saved


def record_file(path: Path, data_folder: Path) -> None:
    """Record a read of ``path``, a file under ``data_folder`` (other files are ignored)."""
    if not os.environ.get(ENV):
        return
    try:
        name = path.resolve().relative_to(data_folder.resolve()).as_posix()
    except ValueError:
        return
    record(f"file:{name}", file_digest(path))


def read_records(path: Path) -> dict[str, str]:
    """The inputs recorded in a reads file: key → digest (the last one wins).

    A missing file means nothing was recorded; malformed lines are skipped (a kernel
    killed in the middle of a write leaves at most one).
    """
    out: dict[str, str] = {}
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return out
    for line in text.splitlines():
        try:
            entry = json.loads(line)
            key, digest = str(entry["key"]), str(entry["digest"])
        except (json.JSONDecodeError, KeyError, TypeError):
            continue
        if key.partition(":")[0] in KINDS:
            out[key] = digest
    return out


def declared(tables: Iterable[str]) -> list[str]:
    """Keys of the tables a variant declares (its inputs before the first build)."""
    return [f"table:{name}" for name in tables]


def current_digests(
    keys: Iterable[str],
    resources: list[Mapping[str, Any]] | None,
    data_folder: Path,
) -> dict[str, str]:
    """The current digest of each recorded input (``missing`` when it no longer exists).

    Args:
        keys: Recorded keys (``table:…``, ``claim:…``, ``claims:…``, ``file:…``).
        resources: The catalog's resources (None: the catalog is unreadable).
        data_folder: The ``data/`` folder (claims and other files are read from it).
    """
    keys = sorted(set(keys))
    by_name = {str(r.get("name")): r for r in resources or []}
    claims = _claims_by_id(data_folder) if any(k.startswith("claim") for k in keys) else None
    out: dict[str, str] = {}
    for key in keys:
        kind, _, name = key.partition(":")
        if kind == "table":
            res = by_name.get(name)
            out[key] = _once(res, "table", table_digest) if res is not None else "missing"
        elif kind == "claim":
            claim = (claims or {}).get(name)
            out[key] = _once(claim, "claim", claim_digest) if claim is not None else "missing"
        elif kind == "claims":
            out[key] = _once(
                claims,
                f"claims:{name}",
                lambda c, n=name: selection_digest(select_ids(list((c or {}).values()), n)),
            )
        elif kind == "file":
            out[key] = file_digest(data_folder / name)
        else:
            out[key] = "unknown"
    return out


#: id(object), what → (the object, its digest): a build plans every variant against the
#: same catalog entries and the same parsed claims (parsed once per file version), so each
#: digest is computed once, not once per variant that read it. The object is kept with
#: its digest, so its id cannot be reused while the entry exists.
_digests: dict[tuple[int, str], tuple[Any, str]] = {}


def _once(obj: Any, what: str, compute: Any) -> str:
    """``compute(obj)``, remembered for this very object (see :data:`_digests`)."""
    key = (id(obj), what)
    hit = _digests.get(key)
    if hit is not None and hit[0] is obj:
        return hit[1]
    if len(_digests) > 10_000:  # objects of older catalogs and claim files: let them go
        _digests.clear()
    digest = compute(obj)
    _digests[key] = (obj, digest)
    return digest


def claim_digest(claim: Any) -> str:
    """Digest of a claim's declaration (a pydantic ``Claim``)."""
    return canonical_digest(claim.model_dump(mode="json"))


def selection_name(chapter: int | None, domain: str | None) -> str:
    """The ``claims:`` selection name of a ledger table (``all``, ``domain=arms``, …)."""
    parts = [f"chapter={chapter}"] if chapter is not None else []
    parts += [f"domain={domain}"] if domain is not None else []
    return ",".join(parts) or "all"


def select_ids(claims: list[Any], selection: str) -> list[str]:
    """Ids of the claims a selection (:func:`selection_name`) holds."""
    wanted = dict(p.split("=", 1) for p in selection.split(",") if "=" in p)
    return [
        c.id
        for c in claims
        if ("chapter" not in wanted or str(c.chapter) == wanted["chapter"])
        and ("domain" not in wanted or c.data_domain == wanted["domain"])
    ]


def _claims_by_id(data_folder: Path) -> dict[str, Any] | None:
    """The claims of ``data_folder/claims.yaml`` by id (None if unreadable), parsed once per
    version of the file (a build plans many variants against the same ledger)."""
    from kzanalysis.hashing import file_version

    path = data_folder / "claims.yaml"
    try:
        version = file_version(path)
    except OSError:
        return None
    return _parse_claims(str(path), version)


@functools.lru_cache(maxsize=4)
def _parse_claims(path: str, version: tuple[int, ...]) -> dict[str, Any] | None:
    """One dict per version of the file (its identity lets :func:`_once` reuse the
    selections' digests; :func:`~kzanalysis.claims.model.load_claims` parses the file)."""
    from kzanalysis.claims.model import ClaimsError, load_claims

    try:
        return {c.id: c for c in load_claims(Path(path))}
    except ClaimsError:
        return None
