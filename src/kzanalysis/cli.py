"""The ``kzanalysis`` command line: data curation and checks, report builds.

Module-level imports stay cheap (typer, stdlib) so that ``kzanalysis build`` on
an up-to-date tree answers in about a second; heavy libraries are imported
inside the commands that need them.
"""

from __future__ import annotations

import json
import sys
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
)
data_app = typer.Typer(help="Curate, verify, describe and pull the datasets.", no_args_is_help=True)
app.add_typer(data_app, name="data")


def _fail(message: str, code: int = 1) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


@data_app.command("curate")
def data_curate(
    raw: Annotated[
        Path, typer.Option(help="Folder with the upstream snapshots (trade/ energy/ arms/ polls/).")
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
) -> None:
    """Turn the upstream snapshots into the curated tables and datapackage.json."""
    from kzanalysis.curate.run import curate
    from kzanalysis.paths import data_dir

    target = out or data_dir()
    try:
        result = curate(raw, target, check=check)
    except KzAnalysisError as exc:
        _fail(str(exc))
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
        Path | None, typer.Option(help="Folder to download into (never data/).")
    ] = None,
    list_sources: Annotated[
        bool, typer.Option("--list", help="List the pullable sources.")
    ] = False,
    timeout: Annotated[float, typer.Option(help="Seconds before a download is abandoned.")] = 60.0,
) -> None:
    """Download fresh upstream files from the publishers, with checksums and a manifest."""
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
    from kzanalysis.claims.ledger import as_records, evaluate_all, verdict_counts

    try:
        results = evaluate_all(chapter=chapter)
    except KzAnalysisError as exc:
        _fail(str(exc))
    records = as_records(results)
    if as_json:
        typer.echo(json.dumps(records, indent=2, ensure_ascii=False))
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(title="Claims ledger", show_lines=True)
        for col in ("id", "verdict", "thesis_value", "data_value", "unit", "explanation"):
            table.add_column(col, overflow="fold")
        for rec in records:
            table.add_row(
                *(
                    str(rec[c] or "")
                    for c in ("id", "verdict", "thesis_value", "data_value", "unit", "explanation")
                )
            )
        console = Console(width=max(140, Console().width))
        console.print(table)
        console.print(", ".join(f"{k}: {v}" for k, v in verdict_counts(results).items()))
    failed = [r["id"] for r in records if r["error"]]
    if failed:
        _fail(f"metrics failed to compute for {', '.join(failed)} (see 'explanation')")


def _register_build_commands() -> None:
    import importlib.util

    if importlib.util.find_spec("kzanalysis.build") is None:
        return  # the build package is not installed in this tree
    from kzanalysis.build.cli import register

    register(app)


_register_build_commands()


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KzAnalysisError as exc:  # last resort: never a bare traceback for our own errors
        typer.echo(f"error: {exc}", err=True)
        sys.exit(1)
