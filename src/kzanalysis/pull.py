"""``kzanalysis data pull``: fetch fresh upstream files from the publishers.

Downloads go through pooch (streamed to a temporary file, then moved into
place), over HTTPS only, with a timeout, into ``DEST/<source>/`` together with a
``manifest.json`` recording URL, size, sha256 and retrieval time. Pulling never
touches the curated ``data/`` folder: a pulled snapshot becomes data only
through ``kzanalysis data curate --raw``.

Some publishers have no stable file URL (SIPRI's register is an export form,
IMF DOTS and UNESCO UIS serve data through query portals); those are listed in
``MANUAL`` with instructions instead of being scraped.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

from kzanalysis.errors import KzAnalysisError
from kzanalysis.hashing import sha256_file
from kzanalysis.paths import data_dir


class PullError(KzAnalysisError):
    """A download was refused, failed, timed out or would overwrite curated data."""


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
    """Resolve ``dest`` and refuse the curated data folder (or anything inside it).

    Raises:
        PullError: if ``dest`` is ``data/`` or below it.
    """
    target = Path(dest).resolve()
    curated = data_dir().resolve()
    if target == curated or curated in target.parents:
        raise PullError(
            f"refusing to download into {target}: it is inside the curated data folder "
            f"{curated}. Fix: pull into a separate folder, then run "
            "`kzanalysis data curate --raw <that folder>`."
        )
    return target


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


def download(url: str, folder: Path, fname: str, timeout: float) -> Path:
    """Download ``url`` to ``folder/fname`` with pooch (atomic move, HTTPS, timeout)."""
    import pooch
    import requests

    check_url(url)
    downloader = pooch.HTTPDownloader(timeout=timeout, progressbar=False)
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
        dest: Destination folder (never the curated ``data/``).
        timeout: Seconds to wait for the server on each request.

    Returns:
        The manifest written to ``dest/<source>/manifest.json``.

    Raises:
        PullError: for an unknown or manual source, a refused URL or destination, or a
            failed download. Files already in ``dest`` are replaced only by a complete
            new download.
    """
    if source not in SOURCES:
        hint = f" ({MANUAL[source]})" if source in MANUAL else ""
        raise PullError(
            f"unknown pull source {source!r}{hint}; pullable: {', '.join(SOURCES)}; "
            f"manual only: {', '.join(MANUAL)}"
        )
    folder = check_dest(dest) / source
    folder.mkdir(parents=True, exist_ok=True)
    entries = []
    for url, _fname in SOURCES[source].files:
        check_url(url)
    for url, fname in SOURCES[source].files:
        with tempfile.TemporaryDirectory(dir=folder, prefix=".pull-") as tmp:
            got = download(url, Path(tmp), fname, timeout)
            final = folder / fname
            os.replace(got, final)
        entries.append(
            {
                "url": url,
                "path": fname,
                "bytes": final.stat().st_size,
                "sha256": sha256_file(final),
                "retrieved_utc": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            }
        )
    manifest = {"source": source, "description": SOURCES[source].description, "files": entries}
    tmp_manifest = folder / ".manifest.json.tmp"
    tmp_manifest.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp_manifest, folder / "manifest.json")
    return manifest
