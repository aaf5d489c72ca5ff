"""The ``build``, ``params``, ``refresh`` and ``index`` commands, added to the main CLI.

Module-level imports are typer and the standard library only; everything else
is imported inside the commands so ``kzanalysis build`` on an up-to-date tree
stays fast. Exit codes: 0 every selected variant built or up to date, 1 a
variant failed (or the lock was busy), 2 usage, config or parameter errors.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

EXIT_FAILED, EXIT_USAGE = 1, 2


def _error(message: str, code: int) -> typer.Exit:
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
    lock_timeout: Annotated[
        float, typer.Option(min=0, help="Seconds to wait for another build; 0: fail at once.")
    ] = 900.0,
    plain: Annotated[
        bool | None,
        typer.Option("--plain/--rich", help="Plain log lines or live display (default: by TTY)."),
    ] = None,
    config: Annotated[
        Path | None, typer.Option(help="Variants file (default: reports.yaml).")
    ] = None,
) -> None:
    """Build HTML reports in reports/: only variants whose inputs changed, in parallel."""
    from kzanalysis.build.lock import BuildLockedError
    from kzanalysis.build.runner import BuildOptions, build
    from kzanalysis.errors import KzAnalysisError

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
    )
    try:
        result = build(opts)
    except BuildLockedError as exc:
        raise _error(str(exc), EXIT_FAILED) from None
    except KzAnalysisError as exc:  # config, selection and parameter errors
        raise _error(str(exc), EXIT_USAGE) from None
    raise typer.Exit(result.exit_code)


def params_command(
    notebook: Annotated[str, typer.Argument(help="Notebook path, file name or stem.")],
) -> None:
    """Print a notebook's parameters: type, default, allowed values and rules."""
    from kzanalysis import params as P
    from kzanalysis.build.refresh import find_notebook
    from kzanalysis.errors import KzAnalysisError

    try:
        path = find_notebook(notebook)
        nb = P.read_notebook(path)
        model = P.model_for(nb, path.name)
    except KzAnalysisError as exc:
        raise _error(str(exc), EXIT_USAGE) from None
    name = P.model_name(nb)
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
) -> None:
    """Re-execute notebooks in place with their defaults (committed outputs for nbval)."""
    from kzanalysis.build.refresh import find_notebook, refresh
    from kzanalysis.errors import KzAnalysisError
    from kzanalysis.paths import notebooks_dir

    try:
        paths = (
            [find_notebook(n) for n in notebooks]
            if notebooks
            else sorted(notebooks_dir().glob("*.ipynb"))
        )
    except KzAnalysisError as exc:
        raise _error(str(exc), EXIT_USAGE) from None
    failed = 0
    for path in paths:
        try:
            seconds = refresh(path, timeout=timeout)
        except KzAnalysisError as exc:
            failed += 1
            typer.echo(f"{path.name}: failed ({exc})", err=True)
            continue
        typer.echo(f"{path.name}: refreshed in {seconds:.1f} s")
    if failed:
        raise typer.Exit(EXIT_FAILED)


def index_command() -> None:
    """Rewrite reports/index.html from the last build's state."""
    from kzanalysis.build.index import write_index
    from kzanalysis.build.variants import load_variants
    from kzanalysis.errors import KzAnalysisError
    from kzanalysis.paths import reports_dir

    try:
        variants = load_variants()
    except KzAnalysisError as exc:
        raise _error(str(exc), EXIT_USAGE) from None
    written = write_index(reports_dir(), [(v.name, v.title) for v in variants])
    typer.echo(f"{reports_dir() / 'index.html'}: {'written' if written else 'unchanged'}")


def register(app: typer.Typer) -> None:
    """Add the report commands to the ``kzanalysis`` app."""
    app.command("build")(build_command)
    app.command("params")(params_command)
    app.command("refresh")(refresh_command)
    app.command("index")(index_command)
