"""One ledger per data state: the claims are evaluated once, then read from a cache file.

Every chapter notebook shows ledger rows, the synthesis all of them, ``kzanalysis claims``
prints them and the front page lists them. Their verdicts depend only on ``claims.yaml``,
the curated tables and the library's code, so they are computed once per *data state* —
the digest of

- ``data/claims.yaml``'s bytes,
- each catalogued table's checksum (``data/datapackage.json``), and
- the package source outside ``publish/`` and ``templates/`` (the metrics, the analyses
  they call, the ledger rules)

— and stored as ``reports/.build/ledger/ledger-<digest>.json`` (written atomically, so
parallel builds read the old file or the new one; a stale file is never read because its
name and content carry the digest). ``kzanalysis build`` writes it before any kernel
starts; a report's kernel only reads it (the build's write guard allows a report to write
its own output only), and evaluates in memory if it is missing.

With each claim's records the file keeps what the claim read (tables, its declaration),
and a report that shows a claim records exactly those reads for the build's fingerprint,
as if it had evaluated the claim itself.

A changed table, tolerance or metric gives a new digest, hence a fresh evaluation.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from kzanalysis import reads, timings

#: Format of the cache file; a file of another version is recomputed.
CACHE_VERSION = 1
#: The package folder whose source the verdicts depend on.
PACKAGE_DIR = Path(__file__).resolve().parents[1]
_SOURCE_SUFFIXES = (".py", ".yaml", ".j2", ".json", ".css")
#: Parts of the package that cannot change a verdict (reports and page templates).
_NOT_VERDICT_CODE = ("publish/", "templates/")
#: Evaluated states of this process (digest → document).
_memo: dict[str, dict[str, Any]] = {}
#: The library digest of this process: the code it imported does not change under it.
_library: list[str] = []


def library_digests(package_dir: Path = PACKAGE_DIR) -> tuple[str, str]:
    """Digests of the package source: (everything but ``publish/`` and ``templates/``, all)."""
    verdicts, everything = hashlib.sha256(), hashlib.sha256()
    files = sorted(
        p
        for p in package_dir.rglob("*")
        if p.suffix in _SOURCE_SUFFIXES and "__pycache__" not in p.parts and p.is_file()
    )
    for path in files:
        rel = path.relative_to(package_dir).as_posix()
        item = rel.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest()
        everything.update(item)
        if not rel.startswith(_NOT_VERDICT_CODE):
            verdicts.update(item)
    return verdicts.hexdigest(), everything.hexdigest()


def state_digest(data: Path, library: str | None = None) -> str:
    """Digest of everything the ledger's verdicts depend on (see the module docstring).

    Args:
        data: The data folder (``claims.yaml`` and ``datapackage.json``).
        library: The library digest, if already computed (:func:`library_digests`).
    """
    digest = hashlib.sha256()
    claims = data / "claims.yaml"
    digest.update(claims.read_bytes() if claims.is_file() else b"(no claims)")
    try:
        doc = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
        hashes = sorted(f"{r.get('name')}:{r.get('hash')}" for r in doc.get("resources", []))
    except (OSError, ValueError, AttributeError):
        hashes = ["(no catalog)"]
    digest.update("\n".join(hashes).encode())
    if library is None:
        if not _library:
            _library.append(library_digests()[0])
        library = _library[0]
    digest.update(library.encode())
    return digest.hexdigest()


#: A folder of ledger files shared by every reports folder, instead of each one's
#: ``.build/ledger``: the test suite sets one per run, so each data state is evaluated
#: once per run rather than once per build into a fresh folder. Files are named by their
#: digest; in a shared folder, the files of other data states are kept.
ENV_DIR = "KZANALYSIS_LEDGER_DIR"


def cache_folder(reports: Path | None = None) -> Path:
    """Where ledger files live: ``$KZANALYSIS_LEDGER_DIR`` if set, else
    ``<reports>/.build/ledger`` (``$KZANALYSIS_REPORTS_DIR``)."""
    from kzanalysis.paths import reports_dir

    shared = os.environ.get(ENV_DIR, "").strip()
    if shared:
        return Path(shared)
    return (reports or reports_dir()) / ".build" / "ledger"


def cache_file(digest: str, reports: Path | None = None) -> Path:
    """The ledger file of one data state."""
    return cache_folder(reports) / f"ledger-{digest}.json"


def evaluate_state(data: Path, digest: str) -> dict[str, Any]:
    """Evaluate every claim of ``data/claims.yaml``: the cache document.

    Returns:
        ``version``, ``digest``, ``records`` (:func:`~kzanalysis.claims.ledger.as_records`,
        by id), ``domains`` (id → data domain) and ``reads`` (id → key → digest). Nothing
        is recorded into a running build's reads file here.
    """
    from kzanalysis.claims.ledger import as_records, evaluate_all
    from kzanalysis.claims.model import load_claims

    claims = load_claims(data / "claims.yaml")
    seen: dict[str, dict[str, str]] = {}
    results = evaluate_all(claims, reads_out=seen)
    return {
        "version": CACHE_VERSION,
        "digest": digest,
        "records": sorted(as_records(results), key=lambda r: r["id"]),
        "domains": {c.id: c.data_domain for c in claims},
        "reads": seen,
    }


def _read(path: Path, digest: str) -> dict[str, Any] | None:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    ok = isinstance(doc, dict) and doc.get("version") == CACHE_VERSION
    return doc if ok and doc.get("digest") == digest else None


def _write(path: Path, doc: dict[str, Any]) -> None:
    from kzanalysis.publish.store import atomic_write_text

    with contextlib.suppress(OSError):  # a read-only reports folder: evaluate every time
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(path, json.dumps(doc, ensure_ascii=False, sort_keys=True) + "\n")
        if os.environ.get(ENV_DIR, "").strip():
            return  # a shared folder serves several data states at once
        for other in path.parent.glob("ledger-*.json"):  # keep the current state only
            if other != path:
                other.unlink(missing_ok=True)


def ledger_state(data: Path | None = None, reports: Path | None = None) -> dict[str, Any]:
    """The evaluated ledger of the current data state: from this process, the cache file,
    or a fresh evaluation (then written to the cache).

    Args:
        data: The data folder (default: the project's ``data/``).
        reports: The reports folder whose ``.build/ledger`` holds the cache.

    Returns:
        The document of :func:`evaluate_state`.
    """
    from kzanalysis.paths import data_dir

    data = data or data_dir()
    digest = state_digest(data)
    path = cache_file(digest, reports)
    doc = _memo.get(digest) or _read(path, digest)
    if doc is None:
        doc = evaluate_state(data, digest)
    if not path.is_file() and not os.environ.get(reads.ENV):
        _write(path, doc)  # a report's kernel only reads: the build writes it beforehand
    _memo[digest] = doc
    return doc


def records(
    ids: list[str] | None = None, data: Path | None = None, reports: Path | None = None
) -> list[dict[str, Any]]:
    """The cached records of ``ids`` (all if None), in id order, with their reads recorded.

    A report that shows a claim thereby records what the claim's evaluation read, exactly
    as if it had evaluated it (:mod:`kzanalysis.reads`).
    """
    with timings.stage("ledger"):
        doc = ledger_state(data, reports)
    wanted = None if ids is None else set(ids)
    out = [r for r in doc["records"] if wanted is None or r["id"] in wanted]
    for rec in out:
        for key, digest in (doc["reads"].get(rec["id"]) or {}).items():
            reads.record(key, digest)
    return [dict(r) for r in out]
