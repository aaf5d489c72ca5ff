"""The ``kzanalysis`` command line: data curation and checks, report builds.

Module-level imports stay cheap (typer, stdlib) so that ``kzanalysis build`` on
an up-to-date tree answers in about a second; heavy libraries are imported
inside the commands that need them.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import traceback
from pathlib import Path
from typing import Annotated

import typer

from kzanalysis.errors import KzAnalysisError

app = typer.Typer(
    name="kzanalysis",
    help="Reproducible evidence on Russia and China in Kazakhstan: data, notebooks, reports.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",  # docstring paragraphs re-flow to the terminal width
)
data_app = typer.Typer(
    help="Curate, verify, describe and pull the datasets.",
    no_args_is_help=True,
    rich_markup_mode="markdown",
)
app.add_typer(data_app, name="data")
new_app = typer.Typer(
    help="Create new parts of the project from templates (a chapter).",
    no_args_is_help=True,
    rich_markup_mode="markdown",
)
app.add_typer(new_app, name="new")


DEBUG_ENV = "KZANALYSIS_DEBUG"
_debug = {"on": False}


@app.callback()
def _options(
    debug: Annotated[
        bool,
        typer.Option(
            "--debug",
            help="Errors are one line (what, where, the fix); with --debug also the full "
            "traceback (or set KZANALYSIS_DEBUG=1).",
        ),
    ] = False,
) -> None:
    """Options for every command (errors are one line; --debug adds the traceback)."""
    _debug["on"] = debug or os.environ.get(DEBUG_ENV, "") not in ("", "0")


def debug_enabled() -> bool:
    """True when ``--debug`` was given (or ``KZANALYSIS_DEBUG`` is set)."""
    return _debug["on"] or os.environ.get(DEBUG_ENV, "") not in ("", "0")


def show_traceback() -> None:
    """With ``--debug``, print the traceback of the exception being handled to stderr."""
    if debug_enabled() and sys.exc_info()[0] is not None:
        typer.echo(traceback.format_exc().rstrip(), err=True)


def _fail(message: str, code: int = 1) -> None:
    show_traceback()
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


@data_app.command("curate")
def data_curate(
    raw: Annotated[
        Path,
        typer.Option(
            help="Folder with the upstream snapshots (trade/ energy/ arms/ polls/ investment/)."
        ),
    ],
    out: Annotated[
        Path | None, typer.Option(help="Output folder (default: the project's data/).")
    ] = None,
    check: Annotated[
        bool,
        typer.Option(
            "--check", help="Only compare data/ with a fresh curation; exit 1 if it differs."
        ),
    ] = False,
    lock_timeout: Annotated[
        float,
        typer.Option(
            min=0,
            help="Seconds to wait while another kzanalysis command writes reports/ or data/ "
            "(a build, an update); 0: exit at once (code 1).",
        ),
    ] = 900.0,
) -> None:
    """Turn the upstream snapshots into the curated tables and datapackage.json.

    Writing the project's data/ takes the project lock, so it waits for a running build
    (which would otherwise undo the new files) and a build waits for it; with --out
    outside data/ and reports/ nothing is locked.
    """
    from kzanalysis.curate.run import curate
    from kzanalysis.paths import data_dir, reports_dir
    from kzanalysis.publish.lock import project_lock, writes_project

    target = out or data_dir()
    locked = not check and writes_project(target)
    try:
        with contextlib.ExitStack() as stack:
            if locked:
                stack.enter_context(
                    project_lock(reports_dir(), lock_timeout, _wait_line, "kzanalysis data curate")
                )
            result = curate(raw, target, check=check)
    except KzAnalysisError as exc:  # also a busy project lock (ProjectBusyError)
        _fail(str(exc))
    for line in result.log:
        typer.echo(f"log: {line}")
    if check:
        if result.differences:
            for line in result.differences:
                typer.echo(f"differs: {line}")
            _fail(
                f"{target} is not what curation produces. Fix: run without --check to rewrite it."
            )
        typer.echo(f"ok: {target} matches a fresh curation ({len(result.tables)} tables)")
        return
    for name, rows in result.tables.items():
        typer.echo(f"wrote {name}: {rows} rows")
    typer.echo(f"catalog: {target / 'datapackage.json'}")


def _wait_line(line: str) -> None:
    """Say on stderr that the command waits for the project lock."""
    typer.echo(line, err=True)


@data_app.command("verify")
def data_verify(
    data_dir: Annotated[
        Path | None, typer.Option(help="Folder with datapackage.json (default: data/).")
    ] = None,
) -> None:
    """Check every table's checksum, size and schema against the catalog."""
    from kzanalysis.datasets import verify

    try:
        report = verify(data_dir)
    except KzAnalysisError as exc:
        _fail(str(exc))
    bad = {name: problems for name, problems in report.items() if problems}
    for name in report:
        typer.echo(f"{'FAIL' if name in bad else 'ok  '} {name}")
        for problem in bad.get(name, []):
            typer.echo(f"     {problem}")
    if bad:
        _fail(f"{len(bad)} of {len(report)} tables failed verification: {', '.join(bad)}")


@data_app.command("info")
def data_info(
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the catalog summary as JSON.")
    ] = False,
    data_dir: Annotated[
        Path | None, typer.Option(help="Folder with datapackage.json (default: data/).")
    ] = None,
) -> None:
    """List every table with rows, coverage, publishers, editions and terms."""
    from kzanalysis.catalog import catalog_table

    try:
        table = catalog_table(data_dir)
    except KzAnalysisError as exc:
        _fail(str(exc))
    records = json.loads(table.to_json(orient="records"))
    if as_json:
        typer.echo(json.dumps(records, indent=2, ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    out = Table(title="kzanalysis curated data", show_lines=True)
    for col in ("table", "rows", "coverage", "publishers", "editions", "terms"):
        out.add_column(col, overflow="fold")
    for rec in records:
        coverage = f"{rec['start_year']}–{rec['end_year']}" if rec["start_year"] else "—"
        out.add_row(
            rec["table"],
            str(rec["rows"]),
            coverage,
            rec["publishers"],
            rec["editions"],
            rec["terms"],
        )
    Console(width=max(120, Console().width)).print(out)


@data_app.command("pull")
def data_pull(
    source: Annotated[str | None, typer.Option(help="Source to download (see --list).")] = None,
    dest: Annotated[
        Path | None,
        typer.Option(help="Folder to download into (never data/ or reports/)."),
    ] = None,
    list_sources: Annotated[
        bool, typer.Option("--list", help="List the pullable sources.")
    ] = False,
    timeout: Annotated[
        float, typer.Option(help="Seconds before a download is abandoned (more than 0).")
    ] = 60.0,
) -> None:
    """Download fresh upstream files from the publishers, with checksums and a manifest.

    Exit codes: 0 downloaded; 1 a download failed (files already there are kept, and a
    folder the pull created is removed again); 2 usage (no source or --dest, --dest a
    file or inside data/ or reports/, --timeout not above 0).
    """
    from kzanalysis import pull

    if list_sources or source is None:
        for name, spec in pull.SOURCES.items():
            typer.echo(f"{name:12} {spec.description}")
        if source is None and not list_sources:
            _fail("give --source NAME (one of the above) and --dest DIR", code=2)
        return
    if dest is None:
        _fail("give --dest DIR: the folder to download into", code=2)
    try:
        manifest = pull.pull(source, dest, timeout=timeout)
    except pull.PullUsageError as exc:
        _fail(str(exc), code=2)
    except KzAnalysisError as exc:
        _fail(str(exc))
    for entry in manifest["files"]:
        typer.echo(
            f"downloaded {entry['path']} ({entry['bytes']} bytes, sha256 {entry['sha256'][:12]}…)"
        )
    typer.echo(f"manifest: {Path(dest) / source / 'manifest.json'}")


@app.command("claims")
def claims_command(
    chapter: Annotated[
        int | None, typer.Option(help="Only this thesis chapter (1, 2 or 3).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the ledger as JSON.")] = False,
) -> None:
    """Check every quantitative claim of the thesis against the data (verdicts computed)."""
    from kzanalysis.claims import cache
    from kzanalysis.claims.ledger import verdict_counts

    try:
        records = [
            r for r in cache.records() if chapter is None or r["chapter"] == chapter
        ]  # one evaluation per data state, shared with the reports
    except KzAnalysisError as exc:
        _fail(str(exc))
    if as_json:
        typer.echo(json.dumps(records, indent=2, ensure_ascii=False))
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(title="Claims ledger", show_lines=True)
        headers = {
            "id": "Claim",
            "verdict": "Now",
            "verdict_when_written": "When written",
            "reference_period": "Thesis period",
            "thesis_value": "Thesis value",
            "data_value": "Data value",
            "explanation": "How it was judged",
        }
        for header in headers.values():
            table.add_column(header, overflow="fold")
        for rec in records:
            cells = [
                str(rec[c] or "").replace("_", " ") if "verdict" in c else str(rec[c] or "")
                for c in headers
            ]
            if rec.get("change"):
                cells[-1] = f"{rec['change']} {cells[-1]}"
            table.add_row(*cells)
        console = Console(width=max(140, Console().width))
        console.print(table)
        console.print(
            ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in verdict_counts(records).items())
        )
    failed = [r["id"] for r in records if r["error"]]
    if failed:
        _fail(f"metrics failed to compute for {', '.join(failed)} (see 'explanation')")


@app.command("update")
def update_command(
    raw: Annotated[
        Path | None,
        typer.Option(help="Bundled raw snapshot folder (default: ../shared/data)."),
    ] = None,
    raw_work: Annotated[
        Path | None,
        typer.Option(help="Raw workspace for pulled files and the overlay tree (default: .raw/)."),
    ] = None,
    source: Annotated[
        list[str] | None,
        typer.Option("--source", help="Only refresh this pull source (repeatable; see data pull)."),
    ] = None,
    timeout: Annotated[float, typer.Option(help="Seconds per HTTP request.")] = 60.0,
    revision_threshold_pct: Annotated[
        float, typer.Option(min=0, help="List value revisions larger than this percentage.")
    ] = 1.0,
    recurate: Annotated[
        bool, typer.Option("--recurate", help="Curate even if no new upstream file arrived.")
    ] = False,
    build: Annotated[
        bool, typer.Option("--build/--no-build", help="Build the reports afterwards.")
    ] = True,
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", min=1, help="Parallel build workers.")
    ] = None,
    plain: Annotated[
        bool | None,
        typer.Option("--plain/--rich", help="Plain log lines or live display (default: by TTY)."),
    ] = None,
    summary_json: Annotated[
        Path | None,
        typer.Option(help="Write sources, curation, data changes and build results as JSON."),
    ] = None,
    log_file: Annotated[
        Path | None, typer.Option(help="Append plain, timestamped log lines to this file.")
    ] = None,
    max_data_age_days: Annotated[
        int,
        typer.Option(
            min=0,
            help="Edition-age limit (days) for stale data, only for sources that declare no "
            "release cadence (see kzanalysis build --help).",
        ),
    ] = 400,
    lock_timeout: Annotated[
        float,
        typer.Option(
            min=0,
            help="Seconds to wait while another kzanalysis command writes reports/ or data/ "
            "(a build, data curate); 0: exit at once (code 2).",
        ),
    ] = 900.0,
) -> None:
    """Refresh the data from the publishers, re-curate safely, rebuild what changed.

    The whole run holds the project lock (a build or data curate started meanwhile waits;
    the update's own build runs under it). Exit codes: 0 ok (also when nothing was new);
    1 a report failed; 2 usage error, or another update or kzanalysis command was running
    (nothing done); 3 a source failed to download (others proceeded, its old data kept);
    4 curation or verification failed (data/ unchanged).
    """
    from kzanalysis import update as U
    from kzanalysis.publish.progress import FileLog
    from kzanalysis.publish.runner import BuildOptions
    from kzanalysis.publish.summary import write_summary

    file_log = FileLog(log_file) if log_file else None

    def log(line: str) -> None:
        typer.echo(line)
        if file_log:
            file_log.write(line)

    opts = U.UpdateOptions(
        raw=raw,
        raw_work=raw_work,
        sources=list(source or []),
        timeout=timeout,
        threshold_pct=revision_threshold_pct,
        recurate=recurate,
        build=build,
        build_options=BuildOptions(
            jobs=jobs,
            plain=plain,
            log_file=log_file,
            lock_timeout=lock_timeout,
            max_data_age_days=max_data_age_days,
        ),
        log=log,
    )
    try:
        result = U.run_update(opts)
    except KzAnalysisError as exc:
        if file_log:
            file_log.write(f"error: {exc}")
        if summary_json is not None:
            failed = U.UpdateResult(started_at=U.now_text(), exit_code=U.EXIT_USAGE)
            failed.finished_at = failed.started_at
            write_summary(summary_json, {**U.summary(failed, max_data_age_days), "error": str(exc)})
        _fail(str(exc), code=U.EXIT_USAGE)
    for src in result.sources:
        if src.status == "failed":
            typer.echo(f"error: source {src.name} failed, its previous data kept: {src.message}")
    if summary_json is not None:
        write_summary(summary_json, U.summary(result, max_data_age_days))
    log(f"update finished: exit code {result.exit_code} ({U.EXIT_MEANINGS[result.exit_code]})")
    raise typer.Exit(result.exit_code)


@new_app.command("chapter")
def new_chapter(
    name: Annotated[
        str,
        typer.Argument(
            metavar="NAME",
            help="Chapter name: lower-case letters, digits and _, starting with a letter "
            "(e.g. banking); its variants are NAME-KAZ …",
        ),
    ],
    title: Annotated[
        str | None, typer.Option(help="The chapter's heading, e.g. 'Banking ties'.")
    ] = None,
    countries: Annotated[
        str | None,
        typer.Option(
            help="Default variants: Central Asian states, comma-separated (e.g. KAZ,KGZ); "
            "the first is the notebook's default country. Default: KAZ."
        ),
    ] = None,
    root: Annotated[
        Path | None,
        typer.Option(help="Project folder to create it in (default: this project)."),
    ] = None,
    timeout: Annotated[
        int, typer.Option(min=1, help="Seconds a notebook cell may run when executed.")
    ] = 600,
) -> None:
    """Scaffold a working chapter: notebook pair, parameter model, analysis module, unit
    test and chapter-registry entry; the notebook is executed once (outputs for nbval).

    Exit codes: 0 created; 1 a step failed (nothing is left behind); 2 the name, title,
    countries or root cannot be used (nothing is written).
    """
    from kzanalysis import scaffold
    from kzanalysis.paths import PROJECT_ROOT

    project = (root or PROJECT_ROOT).resolve()
    try:
        chapter = scaffold.plan(project, name, title, countries)
    except KzAnalysisError as exc:
        _fail(str(exc), code=2)
    try:
        created = scaffold.create(project, chapter, timeout=timeout, log=typer.echo)
    except scaffold.ScaffoldFailed as exc:
        if debug_enabled() and exc.details:
            typer.echo(exc.details.rstrip(), err=True)
        _fail(str(exc))
    for path in created:
        typer.echo(f"created {path.relative_to(project)}")
    variants = ", ".join(f"{chapter.name}-{c}" for c in chapter.countries)
    typer.echo(f"registered {chapter.name!r} in {scaffold.REGISTRY} (variants: {variants})")
    for line in scaffold.next_steps(chapter):
        typer.echo(line)


def _register_build_commands() -> None:
    import importlib.util

    if importlib.util.find_spec("kzanalysis.publish") is None:
        return  # the build package is not installed in this tree
    from kzanalysis.publish.cli import register

    register(app)


_register_build_commands()


def one_line_error(exc: BaseException) -> str:
    """The one-line message for an exception that reached the top of the CLI."""
    if isinstance(exc, KzAnalysisError):
        return f"error: {exc}"
    text = " ".join(str(exc).split()) or "(no message)"
    return (
        f"error: unexpected {type(exc).__name__}: {text}. "
        "Run again with --debug for the traceback and report it if it persists."
    )


def main() -> None:
    """Console-script entry point: errors as one line, tracebacks only with ``--debug``.

    ``kzanalysis build`` on an unchanged tree is answered from the no-op stamp before any
    command is loaded (:mod:`kzanalysis.publish.noop`).
    """
    from kzanalysis.publish.noop import try_answer

    if "--debug" in sys.argv[1:]:
        _debug["on"] = True
    try:
        if try_answer(sys.argv[1:]):
            return
        app()
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # last resort: never a bare traceback without --debug
        show_traceback()
        typer.echo(one_line_error(exc), err=True)
        sys.exit(1)
