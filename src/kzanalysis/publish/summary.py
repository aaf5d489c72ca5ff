"""The machine-readable result of a build: ``kzanalysis build --summary-json PATH``.

One JSON document per run (written atomically, so a scheduler never reads half
of one)::

    {
      "schema": "kzanalysis-build-summary/1",
      "started_at": "2026-11-28 03:00:01 UTC", "finished_at": "…",
      "exit_code": 1, "exit_meaning": "a variant failed",
      "counts": {"built": 2, "up_to_date": 9, "failed": 1},
      "max_data_age_days": 400,
      "error": null,                      # usage/config/lock error, when the build did not run
      "variants": [
        {"name": "arms-KAZ", "status": "built" | "up_to_date" | "failed",
         "reasons": ["data changed: arms_deliveries"], "duration_s": 41.2,
         "built_at": "…", "report": "reports/arms-KAZ.html",
         "error": null | {"kind": "error", "message": "…", "error_page": "…"},
         "data_editions": [{"dataset", "source", "publisher", "edition", "edition_date",
                            "age_days"}],
         "stale_data": false, "stale_reasons": [], "oldest_data_age_days": 390}
      ]
    }

Ages are counted at the time the published report was built. ``stale_data`` follows the
rule of :mod:`kzanalysis.publish.editions` (a newer edition in ``data/`` supersedes one the
report used, or a source's newest data year is older than its release cadence allows;
``max_data_age_days`` only for sources that declare no cadence); ``stale_reasons`` says
why, in words. Standard library only.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kzanalysis.publish.editions import build_date, stale_reasons, with_ages
from kzanalysis.publish.store import atomic_write_text

SCHEMA = "kzanalysis-build-summary/1"
EXIT_MEANINGS = {
    0: "ok: every selected variant built or up to date",
    1: "a variant failed, or another build held the lock",
    2: "usage, configuration or parameter error: nothing was built",
    130: "interrupted (SIGINT): unfinished variants recorded, last good reports kept",
    143: "stopped (SIGTERM): unfinished variants recorded, last good reports kept",
}


def variant_entry(
    entry: dict[str, Any], max_age_days: int, resources: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """A variant's summary entry with edition ages, the stale-data flag and its reasons.

    Args:
        entry: The build's entry for the variant.
        max_age_days: Edition-age limit for sources without a declared release cadence.
        resources: The current catalog's resources (see :func:`current_resources`).
    """
    built = build_date(entry.get("built_at"))
    editions = with_ages(entry.get("data_editions") or [], built)
    ages = [e["age_days"] for e in editions if e["age_days"] is not None]
    reasons = stale_reasons(entry.get("data_editions") or [], resources, built, max_age_days)
    return {
        **entry,
        "data_editions": editions,
        "oldest_data_age_days": max(ages) if ages else None,
        "stale_data": bool(reasons),
        "stale_reasons": reasons,
    }


def current_resources() -> list[dict[str, Any]] | None:
    """The resources of ``data/datapackage.json`` now, or None if it cannot be read."""
    from kzanalysis.catalog import load_catalog
    from kzanalysis.errors import KzAnalysisError

    try:
        return list(load_catalog()["resources"])
    except (KzAnalysisError, OSError):
        return None


def build_summary(
    result: Any | None,
    *,
    exit_code: int,
    max_age_days: int,
    error: str | None = None,
    started_at: str = "",
    finished_at: str = "",
) -> dict[str, Any]:
    """The summary document of a build.

    Args:
        result: The :class:`~kzanalysis.publish.runner.BuildResult`, or None if the build
            stopped before running (``error`` says why).
        exit_code: The command's exit code.
        max_age_days: The stale-data threshold the run used.
        error: The usage, configuration or lock error, if any.
        started_at: Start time (used when there is no result).
        finished_at: End time (used when there is no result).
    """
    variants = list((result.variants if result else {}).values())
    resources = current_resources() if variants else None
    return {
        "schema": SCHEMA,
        "started_at": result.started_at if result else started_at,
        "finished_at": result.finished_at if result else finished_at,
        "exit_code": exit_code,
        "exit_meaning": EXIT_MEANINGS.get(exit_code, "unknown"),
        "counts": {
            "built": len(result.built) if result else 0,
            "up_to_date": len(result.up_to_date) if result else 0,
            "failed": len(result.failed) if result else 0,
        },
        "max_data_age_days": max_age_days,
        "error": error,
        "variants": [variant_entry(v, max_age_days, resources) for v in variants],
    }


def write_summary(path: Path, summary: dict[str, Any]) -> None:
    """Write the summary as indented JSON, atomically."""
    atomic_write_text(Path(path), json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
