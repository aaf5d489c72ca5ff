"""Report variants: ``reports.yaml`` loaded, checked and resolved into validated build plans.

``reports.yaml`` (project root, or ``$KZANALYSIS_REPORTS_CONFIG``)::

    defaults: {cell_timeout: 600, start_timeout: 60, show_code: false}
    chapter_variants: all               # the chapter registry's default variants (or none)
    variants:                           # more variants; one with a registry name replaces it
      - name: overview-KAZ              # <chapter>-<ISO3 or group>
        notebook: 00_data_overview.ipynb  # relative to notebooks/
        title: Data overview — Kazakhstan
        parameters: {country: KAZ}
        datasets: [trade_flows]         # optional; default: the chapter's tables (registry),
                                        # else notebook metadata, else all

Everything here is cheap (yaml, json, pydantic): no kernel, no papermill.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kzanalysis import chapters
from kzanalysis import params as P
from kzanalysis.errors import KzAnalysisError
from kzanalysis.paths import PROJECT_ROOT, notebooks_dir

NAME_RE = re.compile(r"^[a-z][a-z0-9_]*(?:-[a-z0-9_]+)*-[A-Z][A-Z0-9]{2,}$")
DEFAULTS: dict[str, Any] = {"cell_timeout": 600, "start_timeout": 60, "show_code": False}
VARIANT_KEYS = {"name", "notebook", "parameters", "title", "datasets", *DEFAULTS}


class VariantConfigError(KzAnalysisError):
    """``reports.yaml`` is missing, malformed, or names something that does not exist."""


def config_path() -> Path:
    """Where ``reports.yaml`` is (``$KZANALYSIS_REPORTS_CONFIG`` overrides the project's)."""
    value = os.environ.get("KZANALYSIS_REPORTS_CONFIG")
    return Path(value).resolve() if value else PROJECT_ROOT / "reports.yaml"


@dataclass(frozen=True)
class Variant:
    """One report: a notebook, its parameters, and how to build it."""

    name: str
    notebook: Path
    title: str
    parameters: dict[str, Any]
    datasets: tuple[str, ...] | None
    cell_timeout: int
    start_timeout: int
    show_code: bool


@dataclass(frozen=True)
class Resolved:
    """A variant with its parameters validated by the notebook's model."""

    variant: Variant
    model_name: str
    parameters: dict[str, Any]
    datasets: tuple[str, ...] | None
    notebook_json: dict[str, Any] = field(repr=False)


def _positive(value: Any, key: str, where: str) -> int:
    """Whole seconds (nbclient's timeouts are integers); fractions round up."""
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise VariantConfigError(f"{where}: {key} must be a positive number of seconds")
    return math.ceil(value)


def parse_variant(raw: Any, defaults: dict[str, Any], where: str, nb_dir: Path) -> Variant:
    """Check one entry of ``variants:`` and return it as a :class:`Variant`.

    Raises:
        VariantConfigError: naming the entry and the key that is wrong.
    """
    if not isinstance(raw, dict):
        raise VariantConfigError(f"{where}: each variant must be a mapping with name, notebook")
    unknown = set(raw) - VARIANT_KEYS
    if unknown:
        raise VariantConfigError(
            f"{where}: unknown key(s) {sorted(unknown)}; allowed: {sorted(VARIANT_KEYS)}"
        )
    name = raw.get("name")
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise VariantConfigError(
            f"{where}: name {name!r} must look like <chapter>-<ISO3 or group>, e.g. trade-KAZ"
        )
    where = f"{where} ({name})"
    nb = raw.get("notebook")
    if not isinstance(nb, str):
        raise VariantConfigError(f"{where}: 'notebook' (a path relative to notebooks/) is missing")
    path = (nb_dir / nb).resolve()
    if not path.is_file():
        raise VariantConfigError(f"{where}: notebook {path} does not exist")
    parameters = raw.get("parameters") or {}
    if not isinstance(parameters, dict):
        raise VariantConfigError(f"{where}: 'parameters' must be a mapping NAME: VALUE")
    datasets = raw.get("datasets")
    if datasets is not None and (
        not isinstance(datasets, list) or not all(isinstance(d, str) for d in datasets)
    ):
        raise VariantConfigError(f"{where}: 'datasets' must be a list of table names")
    merged = {**defaults, **{k: raw[k] for k in DEFAULTS if k in raw}}
    return Variant(
        name=name,
        notebook=path,
        title=str(raw.get("title") or name),
        parameters=dict(parameters),
        datasets=tuple(datasets) if datasets is not None else None,
        cell_timeout=_positive(merged["cell_timeout"], "cell_timeout", where),
        start_timeout=_positive(merged["start_timeout"], "start_timeout", where),
        show_code=bool(merged["show_code"]),
    )


def load_variants(path: Path | None = None, nb_dir: Path | None = None) -> list[Variant]:
    """Read and check ``reports.yaml``.

    Raises:
        VariantConfigError: if the file is missing or any entry is wrong.
    """
    import yaml

    path = path or config_path()
    nb_dir = nb_dir or notebooks_dir()
    if not path.is_file():
        raise VariantConfigError(f"{path}: report variants file not found; create reports.yaml")
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise VariantConfigError(f"{path}: not valid YAML ({exc})") from None
    if not isinstance(doc, dict):
        raise VariantConfigError(f"{path}: needs a top-level 'variants:' list")
    registered = doc.get("chapter_variants", "none")
    if registered not in ("all", "none"):
        raise VariantConfigError(
            f"{path}: chapter_variants must be 'all' (the chapter registry's default variants) "
            f"or 'none', not {registered!r}"
        )
    own = doc.get("variants", [] if registered == "all" else None)
    if not isinstance(own, list):
        raise VariantConfigError(f"{path}: needs a top-level 'variants:' list")
    defaults = {**DEFAULTS, **(doc.get("defaults") or {})}
    unknown = set(defaults) - set(DEFAULTS)
    if unknown:
        raise VariantConfigError(f"{path}: unknown defaults {sorted(unknown)}")
    variants = [
        parse_variant(raw, defaults, f"{path.name} variant #{i + 1}", nb_dir)
        for i, raw in enumerate(own)
    ]
    seen: set[str] = set()
    for v in variants:
        if v.name in seen:
            raise VariantConfigError(f"{path}: variant name {v.name!r} is used twice")
        seen.add(v.name)
    if registered == "all":
        base = [
            parse_variant(raw, defaults, f"chapter registry variant {raw['name']}", nb_dir)
            for raw in chapters.default_variants()
            if raw["name"] not in seen  # an entry in reports.yaml replaces the registry's
        ]
        variants = base + variants
    return variants


def select(variants: list[Variant], names: list[str]) -> list[Variant]:
    """Return the variants called ``names`` (all if empty), in config order.

    Raises:
        VariantConfigError: listing the valid names if one is unknown.
    """
    if not names:
        return variants
    known = {v.name for v in variants}
    missing = [n for n in names if n not in known]
    if missing:
        raise VariantConfigError(
            f"unknown variant(s) {', '.join(missing)}; variants in reports.yaml: "
            f"{', '.join(sorted(known))}"
        )
    wanted = set(names)
    return [v for v in variants if v.name in wanted]


def notebook_datasets(variant: Variant, nb: dict[str, Any]) -> tuple[str, ...] | None:
    """Tables a variant declares: reports.yaml, else its chapter's (registry), else notebook
    metadata, else None (= all). After its first build, what it read replaces them."""
    if variant.datasets is not None:
        return variant.datasets
    chapter = chapters.for_notebook(variant.notebook)
    if chapter is not None:
        return chapter.tables
    meta = ((nb.get("metadata") or {}).get("kzanalysis") or {}).get("datasets")
    return tuple(meta) if isinstance(meta, list) else None


def resolve(
    variant: Variant,
    overrides: list[str] | tuple[str, ...] = (),
    resources: list[dict[str, Any]] | None = None,
) -> Resolved:
    """Validate a variant's parameters (+ ``-p`` overrides) with its notebook's model.

    Args:
        variant: The variant from reports.yaml.
        overrides: ``NAME=VALUE`` strings, typed by the model.
        resources: Catalog resources; their coverage bounds year parameters (None: no bound).

    Raises:
        ParameterError: naming the variant, parameter, value and what is allowed.
    """
    where = f"variant {variant.name!r} ({variant.notebook.name})"
    nb = P.read_notebook(variant.notebook)
    model = P.model_for(nb, where, variant.notebook)
    values = dict(variant.parameters)
    if overrides:
        try:
            values.update(P.parse_overrides(model, overrides))
        except P.ParameterError as exc:
            raise P.ParameterError(f"{where}: {exc}") from None
    datasets = notebook_datasets(variant, nb)
    coverage = P.coverage_from(resources, datasets) if resources is not None else None
    validated = P.validate(model, values, where, coverage)
    return Resolved(
        variant=variant,
        model_name=P.model_name(nb, variant.notebook) or "derived",
        parameters=validated.model_dump(mode="json"),
        datasets=datasets,
        notebook_json=nb,
    )
