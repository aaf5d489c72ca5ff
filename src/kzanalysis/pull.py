"""``kzanalysis data pull``: fetch fresh upstream files from the publishers.

Downloads go through pooch (streamed to a temporary file, then moved into
place), over HTTPS only (also after redirects), with a timeout, into
``DEST/<source>/`` together with a ``manifest.json`` recording URL, size, sha256
and retrieval time. Each download is checked before it is accepted: not empty,
no larger than :data:`MAX_BYTES`, exactly the size the server announced, and the
same sha256 after the move. A source's files are replaced all together or not
at all. Pulling never touches the curated ``data/`` folder or the published
``reports/`` (not even through a symbolic link): a pulled snapshot becomes data
only through ``kzanalysis data curate --raw``. A pull that fails removes the
folders it created; a destination that is a file, or a timeout that is not a
positive finite number, is refused before anything is created.

Some publishers have no stable file URL (SIPRI's register is an export form,
IMF DOTS and UNESCO UIS serve data through query portals); those are listed in
``MANUAL`` with instructions instead of being scraped.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from kzanalysis.errors import KzAnalysisError
from kzanalysis.hashing import sha256_file
from kzanalysis.paths import data_dir, reports_dir

#: Largest file a pull accepts (bytes); a bigger answer is abandoned while streaming.
MAX_BYTES = 1 << 30
CHUNK = 1 << 16


class PullError(KzAnalysisError):
    """A download was refused, failed, timed out or would overwrite curated data."""


class PullUsageError(PullError):
    """The pull was asked for something it cannot do (destination, timeout): exit code 2."""


@dataclass(frozen=True)
class Target:
    """Where a pulled file goes in the raw snapshot tree that curation reads.

    Attributes:
        file: The downloaded file name (as in :attr:`PullSource.files`).
        raw_path: The path, relative to the ``--raw`` folder, that the file replaces.
        member: For a zip download, an ``fnmatch`` pattern naming the one member to use.
    """

    file: str
    raw_path: str
    member: str | None = None


@dataclass(frozen=True)
class PullSource:
    """A publisher file set that can be downloaded directly.

    Attributes:
        description: What the files are and who publishes them.
        files: ``(url, filename)`` pairs.
        targets: Which raw snapshot files the downloads replace (used by
            ``kzanalysis update``); empty when no curated table reads them.
    """

    description: str
    files: tuple[tuple[str, str], ...]
    targets: tuple[Target, ...] = ()


SOURCES: dict[str, PullSource] = {
    "brent": PullSource(
        "EIA Europe Brent spot price FOB (annual, monthly) via the datahub.io core dataset",
        (
            ("https://datahub.io/core/oil-prices/r/brent-year.csv", "brent-year.csv"),
            ("https://datahub.io/core/oil-prices/r/brent-monthly.csv", "brent-monthly.csv"),
        ),
        (
            Target("brent-year.csv", "energy/raw/prices/brent-year.csv"),
            Target("brent-monthly.csv", "energy/raw/prices/brent-monthly.csv"),
        ),
    ),
    "fx": PullSource(
        "World Bank WDI PA.NUS.FCRF official exchange rate (LCU per US$), bulk CSV (zip)",
        (
            (
                "https://api.worldbank.org/v2/en/indicator/PA.NUS.FCRF?downloadformat=csv",
                "API_PA.NUS.FCRF_csv.zip",
            ),
        ),
        (
            Target(
                "API_PA.NUS.FCRF_csv.zip",
                "energy/raw/fx/API_PA.NUS.FCRF_DS2_en_csv_v2_13510.csv",
                member="API_PA.NUS.FCRF_DS2_*.csv",
            ),
        ),
    ),
    "owid-energy": PullSource(
        "Our World in Data energy dataset (CSV) and codebook",
        (
            (
                "https://nyc3.digitaloceanspaces.com/owid-public/data/energy/owid-energy-data.csv",
                "owid-energy-data.csv",
            ),
            (
                "https://raw.githubusercontent.com/owid/energy-data/master/owid-energy-codebook.csv",
                "owid-energy-codebook.csv",
            ),
        ),
    ),
}

MANUAL: dict[str, str] = {
    "sipri": "SIPRI Arms Transfers Database: export the trade register (CSV) from "
    "https://armstransfers.sipri.org/ with recipients KAZ, KGZ, TJK, TKM, UZB.",
    "imf-dots": "IMF Direction of Trade Statistics: download from https://data.imf.org/ "
    "(exports FOB / imports CIF by partner) for the reporters you need.",
    "ei-review": "Energy Institute Statistical Review: the 'All data' workbook from "
    "https://www.energyinst.org/statistical-review (its URL changes every edition).",
    "uis": "UNESCO UIS bulk data: https://uis.unesco.org/bdds (outbound mobility).",
}


def check_url(url: str) -> None:
    """Refuse anything but an absolute HTTPS URL.

    Raises:
        PullError: naming the URL.
    """
    parsed = urlparse(url)
    if parsed.scheme != "https" or not parsed.netloc:
        raise PullError(f"refusing to download {url!r}: only https:// URLs are allowed")


def check_dest(dest: Path) -> Path:
    """Resolve ``dest`` (following links) and refuse ``data/``, ``reports/``, anything in them,
    and a file.

    Raises:
        PullUsageError: if ``dest`` is a file, or is ``data/`` or ``reports/`` or below them.
    """
    target = Path(dest).resolve()
    for folder, what, fix in (
        (
            data_dir().resolve(),
            "the curated data folder",
            "pull into a separate folder, then run `kzanalysis data curate --raw <that folder>`",
        ),
        (
            reports_dir().resolve(),
            "the published reports folder",
            "pull into a separate folder (raw downloads are not published)",
        ),
    ):
        if target == folder or folder in target.parents:
            raise PullUsageError(
                f"refusing to download into {target}: it is inside {what} {folder}. Fix: {fix}."
            )
    if target.exists() and not target.is_dir():
        raise PullUsageError(
            f"--dest {dest}: {target} is a file, not a folder. Fix: give a folder to download "
            "into (it is created if missing)."
        )
    return target


def check_timeout(timeout: float) -> float:
    """A timeout must be a positive, finite number of seconds.

    Raises:
        PullUsageError: naming the value.
    """
    if isinstance(timeout, bool) or not math.isfinite(timeout) or timeout <= 0:
        raise PullUsageError(
            f"--timeout {timeout:g}: give a number of seconds greater than 0 (e.g. 60)"
        )
    return float(timeout)


def first_missing(path: Path) -> Path | None:
    """The outermost folder of ``path`` (or ``path`` itself) that does not exist yet."""
    missing = None
    for candidate in (path, *path.parents):
        if candidate.exists() or candidate.is_symlink():
            break
        missing = candidate
    return missing


def head_etag(url: str, timeout: float) -> str | None:
    """The server's ETag for ``url`` from a HEAD request, or None (no header, or no answer).

    Used by ``kzanalysis update`` to skip downloading a file the server says is unchanged;
    any failure simply means "unknown", so the file is downloaded and compared by sha256.
    """
    import requests

    check_url(url)
    try:
        response = requests.head(url, timeout=timeout, allow_redirects=True)
    except requests.exceptions.RequestException:
        return None
    if not response.ok:
        return None
    return response.headers.get("ETag") or None


def fetch(url: str, output_file: str | Path, timeout: float) -> int:
    """Stream ``url`` into ``output_file``; return the bytes written.

    Raises:
        PullError: if a redirect leaves HTTPS, the answer is empty, larger than
            :data:`MAX_BYTES`, or shorter/longer than its ``Content-Length``.
        requests.exceptions.RequestException: on HTTP errors and timeouts.
    """
    import requests

    with requests.get(url, stream=True, timeout=timeout, allow_redirects=True) as response:
        check_url(response.url)  # a redirect to http:// or elsewhere non-HTTPS is refused
        response.raise_for_status()
        announced = response.headers.get("Content-Length")
        encoded = response.headers.get("Content-Encoding", "identity") != "identity"
        written = 0
        with open(output_file, "wb") as fh:
            for chunk in response.iter_content(CHUNK):  # a cut-off body raises here
                written += len(chunk)
                if written > MAX_BYTES:
                    raise PullError(
                        f"{url}: the answer is larger than {MAX_BYTES} bytes; refusing it. "
                        "Fix: check the URL (a file this large is not a publisher's table)."
                    )
                fh.write(chunk)
    if written == 0:
        raise PullError(f"{url}: the server sent an empty file. Fix: retry later.")
    if announced is not None and not encoded and announced.isdigit() and int(announced) != written:
        raise PullError(
            f"{url}: received {written} bytes but the server announced {announced} "
            "(size check failed: the download was cut off). Fix: retry."
        )
    return written


def download(url: str, folder: Path, fname: str, timeout: float) -> Path:
    """Download ``url`` to ``folder/fname`` with pooch (atomic move, HTTPS, timeout, size)."""
    import pooch
    import requests

    check_url(url)

    def downloader(url: str, output_file: Any, _pooch: Any, check_only: bool = False) -> None:
        fetch(url, output_file, timeout)

    try:
        return Path(
            pooch.retrieve(url, known_hash=None, fname=fname, path=folder, downloader=downloader)
        )
    except requests.exceptions.Timeout as exc:
        raise PullError(
            f"{url}: no answer within {timeout:g} s. Fix: retry or raise --timeout."
        ) from exc
    except requests.exceptions.RequestException as exc:
        raise PullError(f"{url}: download failed ({exc}). Fix: check the URL and network.") from exc


def pull(source: str, dest: Path, timeout: float = 60.0) -> dict:
    """Download every file of ``source`` into ``dest/<source>/`` and write a manifest.

    Args:
        source: A key of :data:`SOURCES`.
        dest: Destination folder (never the curated ``data/`` or the published ``reports/``).
        timeout: Seconds to wait for the server on each request.

    Returns:
        The manifest written to ``dest/<source>/manifest.json``.

    Raises:
        PullUsageError: ``dest`` is a file, or in ``data/`` or ``reports/``; ``timeout`` is
            not a positive finite number.
        PullError: for an unknown or manual source, a refused URL, or a failed download.
            Files already in ``dest`` are replaced only by a complete new download;
            folders the pull created are removed again.
    """
    if source not in SOURCES:
        hint = f" ({MANUAL[source]})" if source in MANUAL else ""
        raise PullError(
            f"unknown pull source {source!r}{hint}; pullable: {', '.join(SOURCES)}; "
            f"manual only: {', '.join(MANUAL)}"
        )
    check_timeout(timeout)
    folder = check_dest(dest) / source
    for url, fname in SOURCES[source].files:
        check_url(url)
        if Path(fname).name != fname or fname in ("", ".", "..", "manifest.json"):
            raise PullError(f"{source}: file name {fname!r} must be a plain file name")
    if folder.exists() and not folder.is_dir():
        raise PullUsageError(
            f"{folder} is a file, not a folder. Fix: move it away or pull into another --dest."
        )
    created = first_missing(folder)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        folder = check_dest(folder)  # a ``<source>`` link into data/ is refused too
        return _pull_into(source, folder, timeout)
    except BaseException:
        if created is not None:  # nothing of a failed pull stays behind: not even its folders
            shutil.rmtree(created, ignore_errors=True)
        raise


def _pull_into(source: str, folder: Path, timeout: float) -> dict:
    """Download every file of ``source`` into the existing ``folder``, then the manifest."""
    entries = []
    tmp = Path(tempfile.mkdtemp(dir=folder, prefix=".pull-"))
    try:
        staged = []
        for url, fname in SOURCES[source].files:  # every file complete before any is replaced
            got = download(url, tmp, fname, timeout)
            entries.append(
                {
                    "url": url,
                    "path": fname,
                    "bytes": got.stat().st_size,
                    "sha256": sha256_file(got),
                    "retrieved_utc": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                }
            )
            staged.append((got, folder / fname))
        for got, final in staged:
            os.replace(got, final)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for entry in entries:
        final = folder / entry["path"]
        if final.stat().st_size != entry["bytes"] or sha256_file(final) != entry["sha256"]:
            raise PullError(
                f"{final}: changed while being moved into place (checksum check failed). "
                "Fix: retry; make sure nothing else writes into the folder."
            )
    manifest = {"source": source, "description": SOURCES[source].description, "files": entries}
    fd, tmp_manifest = tempfile.mkstemp(dir=folder, prefix=".manifest.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(json.dumps(manifest, indent=2) + "\n")
    os.replace(tmp_manifest, folder / "manifest.json")
    return manifest
