"""The ``build``, ``params``, ``refresh``, ``index`` and ``variants grid`` commands, added to
the main CLI.

Module-level imports are typer and the standard library only; everything else
is imported inside the commands so ``kzanalysis build`` on an up-to-date tree
stays fast. Exit codes: 0 every selected variant built or up to date, 1 a
variant failed (or the lock was busy), 2 usage, config or parameter errors.
``--summary-json PATH`` writes the same result machine-readably (also on exit
codes 1 and 2), ``--log-file PATH`` appends plain timestamped log lines.

``build``, ``index`` and ``refresh`` take the project lock
(:mod:`kzanalysis.publish.lock`) like every command that writes ``reports/``,
``data/`` or the notebooks; ``--lock-timeout SECONDS`` says how long to wait for
another one (0: exit at once with code 1, naming the command that holds it).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

EXIT_FAILED, EXIT_USAGE = 1, 2
DEFAULT_MAX_AGE = 400  # kept equal to build.editions.DEFAULT_MAX_DATA_AGE_DAYS (tested)
LOCK_HELP = (
    "Seconds to wait while another kzanalysis command writes reports/, data/ or the "
    "notebooks (build, index, refresh, data curate, update); 0: exit at once (code 1)."
)
LockTimeout = Annotated[float, typer.Option(min=0, help=LOCK_HELP)]


def _error(message: str, code: int) -> typer.Exit:
    from kzanalysis.cli import show_traceback  # the --debug option lives on the main app

    show_traceback()
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def build_command(
    variants: Annotated[
        list[str] | None, typer.Argument(help="Variants to build (default: all in reports.yaml).")
    ] = None,
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", min=1, help="Parallel workers (default: CPUs).")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Rebuild even if nothing changed.")
    ] = False,
    no_input: Annotated[
        bool | None,
        typer.Option(
            "--no-input/--show-code",
            help="Hide or show code cells in the HTML (default: reports.yaml, else hidden).",
        ),
    ] = None,
    param: Annotated[
        list[str] | None,
        typer.Option("-p", "--param", help="Override a parameter: -p NAME=VALUE (repeatable)."),
    ] = None,
    cell_timeout: Annotated[
        int | None, typer.Option(min=1, help="Seconds a cell may run (default 600).")
    ] = None,
    start_timeout: Annotated[
        int | None, typer.Option(min=1, help="Seconds for a kernel to start (default 60).")
    ] = None,
    lock_timeout: LockTimeout = 900.0,
    plain: Annotated[
        bool | None,
        typer.Option("--plain/--rich", help="Plain log lines or live display (default: by TTY)."),
    ] = None,
    config: Annotated[
        Path | None, typer.Option(help="Variants file (default: reports.yaml).")
    ] = None,
    summary_json: Annotated[
        Path | None,
        typer.Option(
            help="Write per-variant status, duration, reasons, data editions and errors "
            "as JSON to this file."
        ),
    ] = None,
    log_file: Annotated[
        Path | None, typer.Option(help="Append plain, timestamped log lines to this file.")
    ] = None,
    max_data_age_days: Annotated[
        int,
        typer.Option(
            min=0,
            help="Stale data: a report is flagged when a newer edition in data/ replaces one "
            "it used or a source's newest data year is older than its declared release "
            "cadence allows; this many days is the edition-age limit only for a source "
            "that declares no cadence.",
        ),
    ] = DEFAULT_MAX_AGE,
    executor: Annotated[
        str,
        typer.Option(
            help="Where variants run: 'local' (worker processes, --jobs) or 'dask' "
            "(a dask.distributed cluster, with --scheduler)."
        ),
    ] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option(help="Dask scheduler address for --executor dask, e.g. tcp://HOST:8786."),
    ] = None,
) -> None:
    """Build HTML reports in reports/: only variants whose inputs changed, in parallel.

    Examples: 'kzanalysis build' (everything that changed), 'kzanalysis build trade-UZB
    -p start_year=2005' (one variant, a parameter override), 'kzanalysis build --force
    --show-code'. Each variant prints 'building', then 'built (why: ...)', 'up to date'
    or 'failed (...)'; reports land in reports/VARIANT.html, listed in reports/index.html.
    Exit codes: 0 all built or up to date, 1 a variant failed or the lock was busy,
    2 usage, config or parameter error.
    """
    from kzanalysis.errors import KzAnalysisError
    from kzanalysis.publish.lock import BuildLockedError
    from kzanalysis.publish.runner import BuildOptions, build, now_text

    opts = BuildOptions(
        names=list(variants or []),
        jobs=jobs,
        force=force,
        show_code=None if no_input is None else not no_input,
        overrides=list(param or []),
        cell_timeout=cell_timeout,
        start_timeout=start_timeout,
        lock_timeout=lock_timeout,
        plain=plain,
        config=config,
        log_file=log_file,
        max_data_age_days=max_data_age_days,
        executor=executor,
        scheduler=scheduler,
    )
    started = now_text()
    result, error, code = None, None, 0
    try:
        result = build(opts)
        code = result.exit_code
    except BuildLockedError as exc:
        error, code = str(exc), EXIT_FAILED
    except KzAnalysisError as exc:  # config, selection and parameter errors
        error, code = str(exc), EXIT_USAGE
    if error is not None and log_file is not None:
        from kzanalysis.publish.progress import FileLog

        FileLog(log_file).write(f"error: {error}")
    if summary_json is not None:
        from kzanalysis.publish.summary import build_summary, write_summary

        doc = build_summary(
            result,
            exit_code=code,
            max_age_days=max_data_age_days,
            error=error,
            started_at=started,
            finished_at=now_text(),
        )
        write_summary(summary_json, doc)
    if error is not None:
        raise _error(error, code)
    raise typer.Exit(code)


def params_command(
    notebook: Annotated[str, typer.Argument(help="Notebook path, file name or stem.")],
) -> None:
    """Print a notebook's parameters: type, default, allowed values and rules.

    Use the names with 'kzanalysis build VARIANT -p NAME=VALUE', or edit the notebook's
    'parameters' cell when exploring in JupyterLab.
    """
    from kzanalysis import params as P
    from kzanalysis.errors import KzAnalysisError
    from kzanalysis.publish.refresh import find_notebook

    try:
        path = find_notebook(notebook)
        nb = P.read_notebook(path)
        model = P.model_for(nb, path.name, path)
    except KzAnalysisError as exc:
        raise _error(str(exc), EXIT_USAGE) from None
    name = P.model_name(nb, path)
    origin = (
        f"model {name!r} ({model.__name__}) in kzanalysis.params"
        if name
        else "no model in kzanalysis.params: types inferred from the literal defaults"
    )
    typer.echo(f"{path.name}: {origin}")
    rows = P.describe(model)
    if not rows:
        typer.echo("  (no parameters)")
    for row in rows:
        typer.echo(f"  {row['name']}: {row['type']} = {row['default']}")
        typer.echo(f"      allowed: {row['allowed']}")
        if row["description"]:
            typer.echo(f"      {row['description']}")
    for rule in model.RULES:
        typer.echo(f"  rule: {rule}")


def refresh_command(
    notebooks: Annotated[
        list[str] | None,
        typer.Argument(help="Notebooks to re-execute in place (default: all in notebooks/)."),
    ] = None,
    timeout: Annotated[int, typer.Option(min=1, help="Seconds a cell may run.")] = 600,
    lock_timeout: LockTimeout = 900.0,
) -> None:
    """Re-execute notebooks in place with their defaults (committed outputs for nbval).

    Prints a line as each notebook starts and when it is done. Run 'make pair' afterwards
    if you changed cells, so the notebooks/*.py scripts stay in sync. Waits while a build
    (or another command writing the project) runs: a build reads these notebooks.
    """
    from kzanalysis.errors import KzAnalysisError
    from kzanalysis.paths import notebooks_dir, reports_dir
    from kzanalysis.publish.lock import ProjectBusyError, project_lock
    from kzanalysis.publish.refresh import find_notebook, refresh

    try:
        paths = (
            [find_notebook(n) for n in notebooks]
            if notebooks
            else sorted(notebooks_dir().glob("*.ipynb"))
        )
    except KzAnalysisError as exc:
        raise _error(str(exc), EXIT_USAGE) from None
    failed = 0
    try:
        with project_lock(reports_dir(), lock_timeout, _wait_line, "kzanalysis refresh"):
            for number, path in enumerate(paths, 1):
                typer.echo(f"{path.name}: running ({number}/{len(paths)})…")
                try:
                    seconds = refresh(path, timeout=timeout)
                except KzAnalysisError as exc:
                    failed += 1
                    typer.echo(f"{path.name}: failed ({exc})", err=True)
                    continue
                typer.echo(f"{path.name}: refreshed in {seconds:.1f} s")
    except ProjectBusyError as exc:
        raise _error(str(exc), EXIT_FAILED) from None
    except OSError as exc:
        raise _error(_cannot_write(exc), EXIT_FAILED) from None
    if failed:
        raise typer.Exit(EXIT_FAILED)


def _wait_line(line: str) -> None:
    """Say on stderr that the command waits for the project lock."""
    typer.echo(line, err=True)


def _cannot_write(exc: OSError) -> str:
    where = exc.filename or "reports/"
    return f"cannot write to {where}: {exc.strerror or exc}; free space or fix permissions"


def index_command(
    max_data_age_days: Annotated[
        int,
        typer.Option(
            min=0,
            help="Stale data: a report is flagged when a newer edition in data/ replaces one "
            "it used or a source's newest data year is older than its declared release "
            "cadence allows; this many days is the edition-age limit only for a source "
            "that declares no cadence.",
        ),
    ] = DEFAULT_MAX_AGE,
    lock_timeout: LockTimeout = 900.0,
) -> None:
    """Rewrite reports/index.html from the last build's state (waits while a build runs)."""
    from kzanalysis.errors import KzAnalysisError
    from kzanalysis.paths import reports_dir
    from kzanalysis.publish.index import write_index
    from kzanalysis.publish.lock import ProjectBusyError, project_lock
    from kzanalysis.publish.variants import load_variants

    reports = reports_dir()
    try:
        variants = load_variants()
        with project_lock(reports, lock_timeout, _wait_line, "kzanalysis index"):
            written = write_index(reports, [(v.name, v.title) for v in variants], max_data_age_days)
    except ProjectBusyError as exc:
        raise _error(str(exc), EXIT_FAILED) from None
    except KzAnalysisError as exc:
        raise _error(str(exc), EXIT_USAGE) from None
    except OSError as exc:
        raise _error(_cannot_write(exc), EXIT_FAILED) from None
    typer.echo(f"{reports / 'index.html'}: {'written' if written else 'unchanged'}")


def grid_command(
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Variants file to write (e.g. reports-grid.yaml).")
    ],
    grid: Annotated[
        list[str] | None,
        typer.Option(
            "--grid",
            "-g",
            help="TAG=N,N,... replacing one tag of the default grid (w: window years, "
            "y: start year, c: confidence in %); 'c=' drops a tag (repeatable).",
        ),
    ] = None,
) -> None:
    """Write a variants file: every chapter x country x parameter set of a grid.

    Names are CHAPTER-LABEL-GROUP (e.g. arms-w3-y2005-KAZ), titles say the
    parameters in words. Only variants the build's parameter validation accepts are
    written (the others are listed). Build them with 'kzanalysis build --config FILE'.
    """
    from kzanalysis.errors import KzAnalysisError
    from kzanalysis.publish.grid import grid_variants, parse_grid, write_grid

    try:
        entries, skipped = grid_variants(parse_grid(grid or []))
        total = write_grid(out, entries)
    except KzAnalysisError as exc:
        raise _error(str(exc), EXIT_USAGE) from None
    except OSError as exc:
        raise _error(_cannot_write(exc), EXIT_FAILED) from None
    for line in skipped:
        typer.echo(f"left out (parameters refused): {line}")
    typer.echo(
        f"{out}: {total} variants ({len(entries)} parameter-set variants and the chapter "
        "registry's defaults); build with 'kzanalysis build --config "
        f"{out}'"
    )


def register(app: typer.Typer) -> None:
    """Add the report commands to the ``kzanalysis`` app."""
    app.command("build")(build_command)
    app.command("params")(params_command)
    app.command("refresh")(refresh_command)
    app.command("index")(index_command)
    variants_app = typer.Typer(
        help="Report variants files: generate a parameter grid.", no_args_is_help=True
    )
    variants_app.command("grid")(grid_command)
    app.add_typer(variants_app, name="variants")
