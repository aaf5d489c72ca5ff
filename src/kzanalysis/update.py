"""``kzanalysis update``: the unattended refresh-and-publish job (``make update``).

One run:

1. **Recover** from an interrupted earlier run (the swap journal, see :func:`recover`).
2. **Pull** every pullable source (:data:`kzanalysis.pull.SOURCES` with ``targets``)
   into ``RAW_WORK/incoming/<source>/``. A source is *unchanged* when the server's
   ETag equals the one recorded last time, or when every file it replaces has the
   same sha256 as the file curation reads now; a download that fails leaves
   everything of that source as it was and is reported (exit code 3).
3. **Curate** into a staging folder next to ``data/`` from the *raw workspace*
   ``RAW_WORK/tree/``: a tree of links to the bundled snapshot (``--raw``) with the
   accepted pulled files (``RAW_WORK/accepted/``) and this run's new ones laid over
   the raw paths they replace. Curation is skipped when nothing is new and
   ``data/`` is what the last update left.
4. **Verify** the staging folder (:func:`kzanalysis.datasets.verify`). If curation
   or verification fails (e.g. a publisher changed a file's layout), ``data/`` is
   not touched, the new files are not accepted and the exit code is 4.
5. **Swap** ``data/`` for the staging folder (two renames, journalled), write
   ``reports/data-changes.html`` (a per-table diff, :mod:`kzanalysis.datachanges`)
   and accept the pulled files.
6. **Build** the reports (``kzanalysis build``): only the variants whose data,
   notebook, parameters, code or lock changed are rebuilt.

The whole run holds the project lock (:mod:`kzanalysis.publish.lock`, the one every
command writing ``reports/`` or ``data/`` takes): a build, an index or a ``data
curate`` started meanwhile waits for it, and it waits for them (``--lock-timeout``).
Its own build in step 6 runs under the same lock, lent to it. The raw workspace
may not be inside ``data/`` or ``reports/``; symbolic links in the raw snapshot
(e.g. a domain folder linked from elsewhere) are followed, as ``data curate`` does.

Exit codes: 0 all well (also "nothing new"); 1 a report failed to build; 2 usage
or configuration error, or the project was busy (another update, or another command
holding the project lock past ``--lock-timeout``; nothing was done); 3 a source
failed to download (the others proceeded);
4 curation or verification failed (``data/`` unchanged). When several happen,
the highest-numbered one is returned.
"""

from __future__ import annotations

import fnmatch
import json
import os
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kzanalysis import pull
from kzanalysis.errors import KzAnalysisError
from kzanalysis.hashing import sha256_file
from kzanalysis.paths import PROJECT_ROOT, data_dir, default_raw_dir, reports_dir

EXIT_OK, EXIT_REPORT_FAILED, EXIT_USAGE, EXIT_SOURCE_FAILED, EXIT_DATA_FAILED = 0, 1, 2, 3, 4
EXIT_MEANINGS = {
    EXIT_OK: "ok",
    EXIT_REPORT_FAILED: "a report failed to build (its last good version is kept)",
    EXIT_USAGE: "usage or configuration error",
    EXIT_SOURCE_FAILED: "a source failed to download; its previous data are kept",
    EXIT_DATA_FAILED: "curation or verification failed; data/ is unchanged",
}
SUMMARY_SCHEMA = "kzanalysis-update-summary/1"
CHANGES_NAME = "data-changes.html"
STATE_NAME = "state.json"


class UpdateError(KzAnalysisError):
    """The update cannot run: bad options, a missing snapshot, or another update running."""


@dataclass
class UpdateOptions:
    """What ``kzanalysis update`` was asked to do.

    Attributes:
        raw: The bundled raw snapshot (default ``$KZANALYSIS_RAW_DIR`` or ``../shared/data``).
        raw_work: The raw workspace (default ``$KZANALYSIS_RAW_WORK`` or ``.raw/``).
        sources: Pull sources to refresh (default: every one with targets).
        timeout: Seconds per HTTP request.
        threshold_pct: Revisions larger than this (percent) are listed in the data changes.
        recurate: Curate even if nothing new was pulled.
        build: Build the reports afterwards.
        build_options: Options of that build (a ``BuildOptions``; default: all variants).
        log: Where progress lines go.
    """

    raw: Path | None = None
    raw_work: Path | None = None
    sources: list[str] = field(default_factory=list)
    timeout: float = 60.0
    threshold_pct: float = 1.0
    recurate: bool = False
    build: bool = True
    build_options: Any = None
    log: Callable[[str], None] = print


@dataclass
class SourceResult:
    """What happened to one pull source: ``new``, ``unchanged``, ``failed`` or ``skipped``."""

    name: str
    status: str
    message: str = ""
    changed_paths: list[str] = field(default_factory=list)


@dataclass
class UpdateResult:
    """The outcome of an update (see :func:`summary`)."""

    started_at: str
    finished_at: str = ""
    recovered: list[str] = field(default_factory=list)
    sources: list[SourceResult] = field(default_factory=list)
    curation: dict[str, Any] = field(default_factory=lambda: {"status": "skipped"})
    data_changes: list[dict[str, Any]] = field(default_factory=list)
    build: Any = None
    build_error: str | None = None
    exit_code: int = EXIT_OK


def now_text() -> str:
    """The current time, UTC, to the second."""
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def default_raw_work() -> Path:
    """The raw workspace: ``$KZANALYSIS_RAW_WORK``, else ``.raw/`` in the project (ignored)."""
    value = os.environ.get("KZANALYSIS_RAW_WORK")
    return Path(value).resolve() if value else PROJECT_ROOT / ".raw"


# --- The data/ swap, its journal and recovery -------------------------------------------


def swap_paths(data: Path) -> dict[str, Path]:
    """The staging folder, the old-data folder and the journal, next to ``data``."""
    return {
        "staging": data.parent / f".{data.name}.staging",
        "old": data.parent / f".{data.name}.old",
        "journal": data.parent / f".{data.name}.swap.json",
    }


def write_json_atomic(path: Path, doc: dict[str, Any]) -> None:
    """Write JSON via a synced temporary file and a rename (journal, manifests, state)."""
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(json.dumps(doc, indent=2) + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def carry_over(data: Path, staging: Path) -> list[str]:
    """Copy the files of ``data`` that curation does not produce (e.g. ``claims.yaml``).

    ``data/`` also holds hand-maintained files next to the curated tables; the swap
    must not lose them. Returns the names copied.
    """
    copied = []
    if data.is_dir():
        for path in sorted(data.iterdir()):
            if path.is_file() and not (staging / path.name).exists():
                shutil.copy2(path, staging / path.name)
                copied.append(path.name)
    return copied


def swap_in(data: Path, staging: Path) -> None:
    """Replace ``data`` by the verified ``staging`` folder: journal, two renames, clean up.

    Files that curation does not produce are carried over first (:func:`carry_over`).
    An interruption between the renames leaves the journal; :func:`recover` then
    finishes the swap (the staging folder was verified before the journal was written).
    """
    carry_over(data, staging)
    paths = swap_paths(data)
    shutil.rmtree(paths["old"], ignore_errors=True)
    write_json_atomic(
        paths["journal"],
        {"data": str(data), "staging": str(staging), "old": str(paths["old"]), "at": now_text()},
    )
    if data.exists():
        os.rename(data, paths["old"])
    os.rename(staging, data)
    paths["journal"].unlink()
    shutil.rmtree(paths["old"], ignore_errors=True)


def recover(data: Path) -> list[str]:
    """Finish or clean up an interrupted update; return what was done (empty: nothing).

    - journal present, ``data/`` missing: the swap stopped between its renames → move the
      verified staging folder in (or, if it is gone, put the old data back);
    - journal present, ``data/`` present: the swap completed → remove the leftovers;
    - no journal: a staging or old folder is the remains of an interrupted curation or
      clean-up → remove it (``data/`` was never touched).
    """
    paths = swap_paths(data)
    done = []
    if paths["journal"].exists():
        if not data.exists() and paths["staging"].is_dir():
            os.rename(paths["staging"], data)
            done.append(f"finished an interrupted swap: {paths['staging'].name} → {data.name}")
        elif not data.exists() and paths["old"].is_dir():
            os.rename(paths["old"], data)
            done.append(f"rolled back an interrupted swap: {paths['old'].name} → {data.name}")
        paths["journal"].unlink()
    for key in ("staging", "old"):
        if paths[key].exists():
            shutil.rmtree(paths[key], ignore_errors=True)
            done.append(f"removed the leftover {paths[key].name}")
    return done


# --- Pulling into the raw workspace ------------------------------------------------------


def pullable(names: list[str]) -> list[str]:
    """The sources to refresh (default: every pull source).

    Raises:
        UpdateError: for a name that is not a pull source (lists the valid ones).
    """
    if not names:
        return list(pull.SOURCES)
    unknown = [n for n in names if n not in pull.SOURCES]
    if unknown:
        raise UpdateError(
            f"unknown pull source(s) {', '.join(unknown)}; pullable: {', '.join(pull.SOURCES)} "
            "(`kzanalysis data pull --list`)"
        )
    return names


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """A source folder's ``manifest.json``, or None."""
    try:
        return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None


def materialize(source: str, folder: Path) -> dict[str, Path]:
    """Lay out a pulled source's target files under ``folder/targets/<raw_path>``.

    Plain files are copied; a zip target's single member matching ``Target.member`` is
    extracted.

    Raises:
        pull.PullError: a downloaded file is missing, not a zip, or has no (or several)
            members matching the declared pattern.
    """
    out = {}
    for target in pull.SOURCES[source].targets:
        got = folder / target.file
        dest = folder / "targets" / target.raw_path
        dest.parent.mkdir(parents=True, exist_ok=True)
        if target.member is None:
            shutil.copyfile(got, dest)
        else:
            try:
                with zipfile.ZipFile(got) as zf:
                    names = [n for n in zf.namelist() if fnmatch.fnmatch(n, target.member)]
                    if len(names) != 1:
                        raise pull.PullError(
                            f"{source}: {target.file} has {len(names)} members matching "
                            f"{target.member!r} (members: {', '.join(zf.namelist()) or 'none'}); "
                            "the publisher changed the package. Fix: update the source's "
                            "targets in kzanalysis/pull.py."
                        )
                    dest.write_bytes(zf.read(names[0]))
            except zipfile.BadZipFile as exc:
                raise pull.PullError(
                    f"{source}: {target.file} is not a zip file ({exc}); the publisher changed "
                    "the download. Fix: check the URL in kzanalysis/pull.py."
                ) from exc
        out[target.raw_path] = dest
    return out


def current_file(raw: Path, accepted: Path, source: str, raw_path: str) -> Path:
    """The file curation reads now for ``raw_path``: the accepted pull, else the snapshot."""
    mine = accepted / source / "targets" / raw_path
    return mine if mine.is_file() else raw / raw_path


def fetch_source(
    source: str, raw: Path, work: Path, timeout: float, log: Callable[[str], None]
) -> SourceResult:
    """Pull one source into ``work/incoming`` and say whether it brings new files.

    Never raises for a download problem: a failure is returned as ``failed`` and the
    incoming folder of that source is removed, so nothing of it is used.
    """
    spec = pull.SOURCES[source]
    if not spec.targets:
        return SourceResult(source, "skipped", "no curated table reads its files")
    accepted, incoming = work / "accepted", work / "incoming"
    previous = read_manifest(accepted / source)
    etags = {url: pull.head_etag(url, timeout) for url, _ in spec.files}
    old_etags = {f.get("url"): f.get("etag") for f in (previous or {}).get("files", [])}
    if previous and all(etags.values()) and etags == old_etags:
        return SourceResult(source, "unchanged", "same ETag as the accepted download")
    shutil.rmtree(incoming / source, ignore_errors=True)
    try:
        manifest = pull.pull(source, incoming, timeout=timeout)
        for entry in manifest["files"]:
            entry["etag"] = etags.get(entry["url"])
        write_json_atomic(incoming / source / "manifest.json", manifest)
        files = materialize(source, incoming / source)
    except Exception as exc:  # any failure of one source must not stop the others
        shutil.rmtree(incoming / source, ignore_errors=True)
        message = str(exc) if isinstance(exc, KzAnalysisError) else f"{type(exc).__name__}: {exc}"
        log(f"{source}: download failed, previous data kept ({message})")
        return SourceResult(source, "failed", message)
    changed = [
        rel
        for rel, path in files.items()
        if not (cur := current_file(raw, accepted, source, rel)).is_file()
        or sha256_file(cur) != sha256_file(path)
    ]
    if not changed:
        return SourceResult(source, "unchanged", "same sha256 as the files curation reads now")
    return SourceResult(source, "new", f"new file(s): {', '.join(changed)}", changed)


def walk_files(base: Path) -> list[Path]:
    """Every file under ``base``, following symbolic links to folders (as curation reads
    them), each real folder visited once (a link cycle ends there). Sorted."""
    files: list[Path] = []
    seen: set[str] = set()
    for folder, dirs, names in os.walk(base, followlinks=True):
        real = os.path.realpath(folder)
        if real in seen:
            dirs[:] = []
            continue
        seen.add(real)
        files.extend(Path(folder) / n for n in names if (Path(folder) / n).is_file())
    return sorted(files)


def make_tree(raw: Path, overlays: list[Path], tree: Path) -> Path:
    """Build the raw workspace: links to every snapshot file, overlaid by pulled files.

    Symbolic links in ``raw`` (a domain folder linked from elsewhere) are followed, so
    the tree holds what ``kzanalysis data curate --raw`` would read.

    Args:
        raw: The bundled snapshot folder.
        overlays: ``…/<source>/targets`` folders, laid over in order (later wins).
        tree: The folder to (re)create.
    """
    shutil.rmtree(tree, ignore_errors=True)
    tree.mkdir(parents=True)

    def link(src: Path, dest: Path) -> None:
        dest.parent.mkdir(parents=True, exist_ok=True)
        if dest.is_symlink() or dest.exists():
            dest.unlink()
        try:
            dest.symlink_to(src.resolve())
        except OSError:  # no symlinks on this file system: copy
            shutil.copyfile(src, dest)

    for base in (raw, *overlays):
        for path in walk_files(base):
            link(path, tree / path.relative_to(base))
    return tree


def accept(work: Path, sources: list[str]) -> None:
    """Make this run's downloads of ``sources`` the accepted ones (after a good swap)."""
    for source in sources:
        src, dest = work / "incoming" / source, work / "accepted" / source
        if not src.is_dir():
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        trash = dest.with_name(f".{source}.old")
        shutil.rmtree(trash, ignore_errors=True)
        if dest.exists():
            os.rename(dest, trash)
        os.rename(src, dest)
        shutil.rmtree(trash, ignore_errors=True)


# --- Curation, verification and the data-change diff ------------------------------------


def catalog_digest(data: Path) -> str | None:
    """sha256 of ``data/datapackage.json`` (None if absent): says whether data/ moved."""
    path = data / "datapackage.json"
    return sha256_file(path) if path.is_file() else None


def read_state(work: Path) -> dict[str, Any]:
    """The workspace state (catalog digest the last update left in data/)."""
    try:
        return json.loads((work / STATE_NAME).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}


def table_diffs(old: Path, new: Path, threshold_pct: float) -> list[Any]:
    """Diff every curated table whose file differs between ``old`` and ``new``."""
    import pandas as pd

    from kzanalysis.datachanges import diff_tables
    from kzanalysis.datasets import read_table_csv
    from kzanalysis.specs import all_specs

    diffs = []
    for spec in all_specs():
        before, after = old / f"{spec.name}.csv", new / f"{spec.name}.csv"
        if before.is_file() and after.is_file() and before.read_bytes() == after.read_bytes():
            continue
        old_df = read_table_csv(before, spec) if before.is_file() else pd.DataFrame()
        new_df = read_table_csv(after, spec) if after.is_file() else pd.DataFrame()
        diff = diff_tables(old_df, new_df, spec, threshold_pct)
        if diff.changed:
            diffs.append(diff)
    return diffs


def curate_and_verify(tree: Path, staging: Path) -> str | None:
    """Curate ``tree`` into ``staging`` and verify it; return the problem, or None if fine."""
    from kzanalysis.curate.run import curate
    from kzanalysis.datasets import clear_cache, verify

    shutil.rmtree(staging, ignore_errors=True)
    try:
        curate(tree, staging)
        report = verify(staging)
    except Exception as exc:  # a new upstream layout may break a parser in any way
        kind = "" if isinstance(exc, KzAnalysisError) else f"{type(exc).__name__}: "
        return f"curation failed: {kind}{exc}"
    finally:
        clear_cache()
    bad = {name: problems for name, problems in report.items() if problems}
    if bad:
        details = "; ".join(f"{n}: {p[0]}" for n, p in bad.items())
        return f"verification of the fresh curation failed for {', '.join(bad)} ({details})"
    return None


def write_changes_page(reports: Path, diffs: list[Any], sources: list[str], when: str) -> Path:
    """Write ``reports/data-changes.html`` atomically."""
    from kzanalysis.datachanges import render_changes_html
    from kzanalysis.publish.html import CSS
    from kzanalysis.publish.store import atomic_write_text

    path = reports / CHANGES_NAME
    atomic_write_text(path, render_changes_html(diffs, when, sources, CSS))
    return path


def lock_timeout(opts: UpdateOptions) -> float:
    """Seconds to wait for the project lock (the build's own setting, ``--lock-timeout``)."""
    return float(getattr(opts.build_options, "lock_timeout", 900.0))


def refresh_data(opts: UpdateOptions, result: UpdateResult, raw: Path, work: Path) -> None:
    """Steps 3–5: curate, verify, swap, diff and accept (updates ``result``).

    Runs under the project lock (:func:`run_update` holds it).
    """
    from kzanalysis.curate.run import compare_dirs

    data = data_dir()
    new = [s.name for s in result.sources if s.status == "new"]
    accepted = sorted(
        p / "targets"
        for p in (work / "accepted").glob("*")
        if p.is_dir() and not p.name.startswith(".")
    )
    state = read_state(work)
    # data/ moved since the last update (e.g. reset by git) while pulled files are in use
    moved = bool(state or accepted) and catalog_digest(data) != state.get("catalog_sha256")
    if not (new or opts.recurate or moved):
        result.curation = {"status": "skipped", "message": "no new upstream file"}
        return
    why = (
        f"new files from {', '.join(new)}"
        if new
        else "--recurate"
        if opts.recurate
        else "data/ differs from what the last update left"
    )
    opts.log(f"curating into a staging folder ({why})")
    overlays = [p for p in accepted if p.parent.name not in new]
    overlays += [work / "incoming" / s / "targets" for s in new]
    tree = make_tree(raw, overlays, work / "tree")
    staging = swap_paths(data)["staging"]
    problem = curate_and_verify(tree, staging)
    if problem:
        shutil.rmtree(staging, ignore_errors=True)
        for s in new:
            shutil.rmtree(work / "incoming" / s, ignore_errors=True)
        result.curation = {
            "status": "failed",
            "message": f"{problem}. data/ is unchanged and the new downloads "
            f"({', '.join(new) or 'none'}) were not accepted. Fix: adapt the curation module "
            "to the publisher's new layout, or wait for a corrected file.",
        }
        opts.log(f"error: {result.curation['message']}")
        return
    differences = compare_dirs(staging, data) if data.is_dir() else ["data/ is missing"]
    if not differences:
        shutil.rmtree(staging, ignore_errors=True)
        result.curation = {
            "status": "unchanged",
            "message": f"curation gives the same data/ ({why})",
        }
    else:
        diffs = table_diffs(data, staging, opts.threshold_pct)
        reports = reports_dir()
        swap_in(data, staging)  # under the project lock: never while a build runs
        result.data_changes = [d.to_dict() for d in diffs]
        page = write_changes_page(reports, diffs, new, result.started_at)
        result.curation = {
            "status": "replaced",
            "message": f"data/ replaced ({len(differences)} file(s) differ); changes: {page.name}",
            "differences": differences,
        }
        for d in diffs:
            opts.log(f"data change: {d.summary()}")
    same = [s.name for s in result.sources if s.status == "unchanged"]
    accept(work, new + same)  # same bytes as in use: only refreshes manifests and ETags
    state = {"catalog_sha256": catalog_digest(data), "updated_at": result.started_at}
    write_json_atomic(work / STATE_NAME, state)
    opts.log(f"data: {result.curation['message']}")


def check_workspace(work: Path) -> Path:
    """The raw workspace, resolved; it may not be (inside) ``data/`` or ``reports/``.

    Raises:
        UpdateError: naming the folder it would be inside.
    """
    target = work.resolve()
    for folder, what in (
        (data_dir(), "the curated data folder"),
        (reports_dir(), "the reports folder"),
    ):
        folder = folder.resolve()
        if target == folder or folder in target.parents:
            raise UpdateError(
                f"--raw-work {work}: the raw workspace would be inside {what} {folder} (its "
                "downloads and link tree would be curated or published). Fix: use a folder "
                "outside it, e.g. the default .raw/."
            )
    return target


def run_update(opts: UpdateOptions) -> UpdateResult:
    """Run the whole update (see the module docstring); never raises for a failing step.

    Raises:
        UpdateError: bad options, the snapshot folder missing, or another update running.
        ProjectBusyError: another command held the project lock past the lock timeout.
    """
    from filelock import FileLock, Timeout

    from kzanalysis.publish.lock import project_lock

    raw = Path(opts.raw or default_raw_dir())
    if not raw.is_dir():
        raise UpdateError(
            f"{raw}: raw snapshot folder not found. Fix: pass --raw pointing at the folder "
            "that holds trade/, energy/, arms/, polls/ and investment/ (normally ../shared/data)."
        )
    try:
        pull.check_timeout(opts.timeout)
    except pull.PullUsageError as exc:
        raise UpdateError(str(exc)) from None
    sources = pullable(opts.sources)
    work = check_workspace(Path(opts.raw_work or default_raw_work()))
    work.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(work / ".update.lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise UpdateError(
            f"another update is running (lock {work / '.update.lock'}); wait for it to finish"
        ) from None
    result = UpdateResult(started_at=now_text())
    try:
        with project_lock(reports_dir(), lock_timeout(opts), opts.log, "kzanalysis update") as held:
            result.recovered = recover(data_dir())
            for line in result.recovered:
                opts.log(f"recovery: {line}")
            shutil.rmtree(work / "incoming", ignore_errors=True)
            held.describe("pulling new data")  # what others waiting for the lock are told
            for source in sources:
                outcome = fetch_source(source, raw, work, opts.timeout, opts.log)
                result.sources.append(outcome)
                if outcome.status != "failed":
                    opts.log(f"{source}: {outcome.status} ({outcome.message})")
            held.describe("curating and replacing data/")
            refresh_data(opts, result, raw, work)
            if opts.build:
                with held.lend("building the reports"):  # the build takes our lock, not waits
                    run_build(opts, result)
    finally:
        lock.release()
    result.exit_code = exit_code(result)
    result.finished_at = now_text()
    return result


def run_build(opts: UpdateOptions, result: UpdateResult) -> None:
    """Step 6: the incremental build (its errors are recorded, not raised)."""
    from kzanalysis.publish.runner import BuildOptions, build

    try:
        result.build = build(opts.build_options or BuildOptions())
    except KzAnalysisError as exc:
        result.build_error = str(exc)
        opts.log(f"error: build did not run: {exc}")


def exit_code(result: UpdateResult) -> int:
    """The highest-numbered problem of the run (see the module docstring)."""
    codes = [EXIT_OK]
    if result.build_error is not None:
        codes.append(EXIT_USAGE)
    elif result.build is not None and result.build.exit_code:
        codes.append(EXIT_REPORT_FAILED)
    if any(s.status == "failed" for s in result.sources):
        codes.append(EXIT_SOURCE_FAILED)
    if result.curation.get("status") == "failed":
        codes.append(EXIT_DATA_FAILED)
    return max(codes)


def summary(result: UpdateResult, max_age_days: int) -> dict[str, Any]:
    """The update's machine-readable summary (the build's own summary under ``build``)."""
    from kzanalysis.publish.summary import build_summary

    build_doc = None
    if result.build is not None or result.build_error is not None:
        build_doc = build_summary(
            result.build,
            exit_code=result.build.exit_code if result.build else EXIT_USAGE,
            max_age_days=max_age_days,
            error=result.build_error,
        )
    return {
        "schema": SUMMARY_SCHEMA,
        "started_at": result.started_at,
        "finished_at": result.finished_at,
        "exit_code": result.exit_code,
        "exit_meaning": EXIT_MEANINGS[result.exit_code],
        "error": None,
        "recovered": result.recovered,
        "sources": [s.__dict__ for s in result.sources],
        "curation": result.curation,
        "data_changes": result.data_changes,
        "build": build_doc,
    }
