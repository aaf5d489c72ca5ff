"""Report variants: ``reports.yaml`` loaded, checked and resolved into validated build plans.

``reports.yaml`` (project root, or ``$KZANALYSIS_REPORTS_CONFIG``)::

    defaults: {cell_timeout: 600, start_timeout: 60, show_code: false, max_report_mb: 5}
    chapter_variants: all               # the chapter registry's default variants (or none)
    variants:                           # more variants; one with a registry name replaces it
      - name: overview-KAZ              # <chapter>[-<label>]-<ISO3 or group>
        notebook: 00_data_overview.ipynb  # relative to notebooks/
        title: Data overview — Kazakhstan
        parameters: {country: KAZ}
        datasets: [trade_flows]         # optional; default: the chapter's tables (registry),
                                        # else notebook metadata, else all

The file is read strictly: YAML anchors and aliases are refused (a few hundred bytes of
alias chain expand to gigabytes), and so is a key given twice in one mapping (YAML would
silently keep the last). A variant's name must match :data:`NAME_RE` exactly (no trailing
newline), its notebook must be inside ``notebooks/``, timeouts and ``max_report_mb`` must
be positive finite numbers and ``show_code`` a boolean. A ``-p`` override may not change
a variant's identity parameter (its country or group): the report's name and title say
whose data it shows.

Everything here is cheap (yaml, json, pydantic): no kernel, no papermill.
"""

from __future__ import annotations

import functools
import math
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from kzanalysis import chapters
from kzanalysis import params as P
from kzanalysis.errors import KzAnalysisError
from kzanalysis.paths import PROJECT_ROOT, notebooks_dir

#: A variant name, matched whole (\A…\Z, not ^…$: no trailing newline slips through).
NAME_RE = re.compile(r"\A[a-z][a-z0-9_]*(?:-[a-z0-9_]+)*-[A-Z][A-Z0-9]{2,}\Z")
DEFAULT_MAX_REPORT_MB = 5
DEFAULTS: dict[str, Any] = {
    "cell_timeout": 600,
    "start_timeout": 60,
    "show_code": False,
    "max_report_mb": DEFAULT_MAX_REPORT_MB,
}
VARIANT_KEYS = {"name", "notebook", "parameters", "title", "datasets", *DEFAULTS}
#: Longest timeout accepted (seconds): a week. More is a typo, and nbclient cannot wait longer.
MAX_TIMEOUT_S = 7 * 24 * 3600
#: Parameters that name a variant's country or group when the notebook is not a registered
#: chapter (a registered chapter names its own: ``identity`` in ``chapters.yaml``).
IDENTITY_PARAMETERS = ("country", "recipient")


class VariantConfigError(KzAnalysisError):
    """``reports.yaml`` is missing, malformed, or names something that does not exist."""


class _Refused(Exception):
    """A YAML construct ``reports.yaml`` may not use (alias, anchor, duplicate key)."""


@functools.cache
def _no_duplicate_keys(base: type) -> type:
    """``base`` (a PyYAML loader) refusing a mapping that gives one key twice (one class per
    base, made once)."""
    import yaml

    class NoDuplicateKeys(base):  # type: ignore[misc, valid-type]
        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            seen: dict[Any, int] = {}
            for key_node, _ in node.value:
                try:
                    key = self.construct_object(key_node, deep=True)
                    hash(key)
                except (TypeError, yaml.YAMLError):
                    continue  # the base class reports an unhashable key
                line = key_node.start_mark.line + 1
                if key in seen:
                    raise _Refused(
                        f"line {line}: key {key!r} is given twice in one mapping (first on line "
                        f"{seen[key]}); keep one"
                    )
                seen[key] = line
            return super().construct_mapping(node, deep=deep)

    return NoDuplicateKeys


def strict_loader() -> type:
    """A PyYAML ``SafeLoader`` that refuses anchors, aliases and duplicate keys.

    Aliases are how a few hundred bytes become gigabytes ("billion laughs"); nothing in
    ``reports.yaml`` needs them. A duplicate key is almost always an editing mistake
    that YAML would resolve silently by keeping the last value.
    """
    import yaml

    class StrictLoader(_no_duplicate_keys(yaml.SafeLoader)):  # type: ignore[misc]
        def compose_node(self, parent: Any, index: Any) -> Any:
            event = self.peek_event()
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                kind = "alias *" if isinstance(event, yaml.AliasEvent) else "anchor &"
                raise _Refused(
                    f"line {event.start_mark.line + 1}: YAML {kind}{event.anchor} is not "
                    "allowed (anchors and aliases can expand a small file into gigabytes); "
                    "write the value out"
                )
            return super().compose_node(parent, index)

    return StrictLoader


def _fast_load(text: str) -> tuple[bool, Any]:
    """(True, document) if libyaml reads ``text`` and it has no anchor, alias or duplicate
    key; (False, None) otherwise, and :func:`strict_loader` then reads it and says what is
    wrong. A generated grid file of hundreds of variants took 83 ms with the pure-Python
    strict loader and 15 ms here (once per build, or twice with ``--config``)."""
    import yaml

    if not getattr(yaml, "__with_libyaml__", False):
        return False, None
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                return False, None
        return True, yaml.load(text, Loader=_no_duplicate_keys(yaml.CSafeLoader))
    except (yaml.YAMLError, _Refused, RecursionError):
        return False, None


def read_yaml(path: Path) -> Any:
    """Parse ``path`` with :func:`strict_loader`.

    Raises:
        VariantConfigError: one line: the file, the line and what is wrong.
    """
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise VariantConfigError(f"{path}: cannot be read ({exc})") from None
    read, doc = _fast_load(text)
    if read:
        return doc
    try:
        return yaml.load(text, Loader=strict_loader())  # a SafeLoader subclass
    except _Refused as exc:
        raise VariantConfigError(f"{path}: {exc}") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        what = " ".join(str(exc.problem or exc.context or "syntax error").split())
        raise VariantConfigError(f"{path}: not valid YAML{where}: {what}") from None
    except (yaml.YAMLError, RecursionError) as exc:
        text = " ".join(str(exc).split()) or type(exc).__name__
        raise VariantConfigError(f"{path}: not valid YAML ({text})") from None


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
    max_report_mb: float = DEFAULT_MAX_REPORT_MB
    #: Where the variant was declared (``reports.yaml``, the notebooks folder): to look up
    #: the variant to suggest when an override would change its identity.
    config: Path | None = field(default=None, repr=False, compare=False)
    nb_dir: Path | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class Resolved:
    """A variant with its parameters validated by the notebook's model."""

    variant: Variant
    model_name: str
    parameters: dict[str, Any]
    datasets: tuple[str, ...] | None
    notebook_json: dict[str, Any] = field(repr=False)


def _number(value: Any, key: str, where: str, what: str, limit: float | None = None) -> float:
    """A positive, finite number (not a bool, a string, ``.inf`` or ``.nan``)."""
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or value <= 0
        or (limit is not None and value > limit)
    ):
        most = f" (at most {limit:g})" if limit is not None else ""
        raise VariantConfigError(
            f"{where}: {key} must be a positive number of {what}{most}, not {P.shown(value)}"
        )
    return value


def _positive(value: Any, key: str, where: str) -> int:
    """Whole seconds (nbclient's timeouts are integers); fractions round up."""
    return math.ceil(_number(value, key, where, "seconds", MAX_TIMEOUT_S))


def _boolean(value: Any, key: str, where: str) -> bool:
    """``true`` or ``false`` exactly: the string ``"false"`` is not false."""
    if not isinstance(value, bool):
        raise VariantConfigError(
            f"{where}: {key} must be true or false (a YAML boolean, unquoted), not {P.shown(value)}"
        )
    return value


def _notebook(nb: Any, nb_dir: Path, where: str) -> Path:
    """The notebook file, which must be inside ``nb_dir`` (links resolved)."""
    if not isinstance(nb, str) or not nb.strip():
        raise VariantConfigError(f"{where}: 'notebook' (a path relative to notebooks/) is missing")
    folder = nb_dir.resolve()
    path = (folder / nb).resolve()
    if folder not in path.parents:
        raise VariantConfigError(
            f"{where}: notebook {P.shown(nb)} is outside the notebooks folder {folder}; "
            "give a path relative to it and keep report notebooks there"
        )
    if not path.is_file():
        raise VariantConfigError(f"{where}: notebook {path} does not exist")
    return path


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
            f"{where}: unknown key(s) {sorted(map(str, unknown))}; allowed: {sorted(VARIANT_KEYS)}"
        )
    name = raw.get("name")
    if not isinstance(name, str) or not NAME_RE.fullmatch(name):
        raise VariantConfigError(
            f"{where}: name {P.shown(name)} must look like <chapter>-<ISO3 or group>, "
            "e.g. trade-KAZ, or <chapter>-<label>-<ISO3 or group> for a parameter set, "
            "e.g. arms-w3-KAZ"
        )
    where = f"{where} ({name})"
    path = _notebook(raw.get("notebook"), nb_dir, where)
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
        show_code=_boolean(merged["show_code"], "show_code", where),
        max_report_mb=_number(merged["max_report_mb"], "max_report_mb", where, "megabytes"),
    )


def load_variants(path: Path | None = None, nb_dir: Path | None = None) -> list[Variant]:
    """Read and check ``reports.yaml``.

    Raises:
        VariantConfigError: if the file is missing or any entry is wrong.
    """
    path = path or config_path()
    nb_dir = nb_dir or notebooks_dir()
    if not path.is_file():
        raise VariantConfigError(f"{path}: report variants file not found; create reports.yaml")
    doc = read_yaml(path) or {}
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
    given = doc.get("defaults") or {}
    if not isinstance(given, dict):
        raise VariantConfigError(f"{path}: 'defaults' must be a mapping, e.g. cell_timeout: 600")
    defaults = {**DEFAULTS, **given}
    unknown = set(defaults) - set(DEFAULTS)
    if unknown:
        raise VariantConfigError(
            f"{path}: unknown defaults {sorted(map(str, unknown))}; allowed: {sorted(DEFAULTS)}"
        )
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
    return [replace(v, config=path, nb_dir=nb_dir) for v in variants]


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


def coverage_datasets(variant: Variant, nb: dict[str, Any]) -> tuple[str, ...] | None:
    """Tables whose common catalog years bound the variant's year parameters: its chapter's
    ``years_from`` (registry) where declared, else :func:`notebook_datasets`."""
    chapter = chapters.for_notebook(variant.notebook) if variant.datasets is None else None
    if chapter is not None and chapter.years_from is not None:
        return chapter.years_from
    return notebook_datasets(variant, nb)


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
    nb = P.read_notebook(variant.notebook)  # parsed once per file version
    model = P.model_for(nb, where, variant.notebook)
    values = dict(variant.parameters)
    parsed: dict[str, Any] = {}
    if overrides:
        try:
            parsed = P.parse_overrides(model, overrides)
        except P.ParameterError as exc:
            raise P.ParameterError(f"{where}: {exc}") from None
        values.update(parsed)
    datasets = notebook_datasets(variant, nb)
    covering = coverage_datasets(variant, nb)
    coverage = P.coverage_from(resources, covering) if resources is not None else None
    validated = P.validate(model, values, where, coverage)
    identity = identity_parameter(variant, model)
    if identity is not None and identity in parsed:
        check_identity(variant, model, identity, getattr(validated, identity), where, coverage)
    return Resolved(
        variant=variant,
        model_name=P.model_name(nb, variant.notebook) or "derived",
        parameters=validated.model_dump(mode="json"),
        datasets=datasets,
        notebook_json=nb,
    )


def identity_parameter(variant: Variant, model: type[Any]) -> str | None:
    """The parameter naming a variant's country or group: its chapter's ``identity``
    (registry), else ``country`` or ``recipient`` if the notebook has one, else None."""
    chapter = chapters.for_notebook(variant.notebook)
    if chapter is not None:
        return chapter.identity if chapter.identity in model.model_fields else None
    return next((p for p in IDENTITY_PARAMETERS if p in model.model_fields), None)


def check_identity(
    variant: Variant,
    model: type[Any],
    identity: str,
    new: Any,
    where: str,
    coverage: tuple[int, int] | None,
) -> None:
    """Refuse a ``-p`` override that changes whose report this is.

    ``reports/trade-KAZ.html`` is titled and indexed as Kazakhstan's: built with
    ``country=KGZ`` it would publish Kyrgyzstan's data under Kazakhstan's name.

    Raises:
        ParameterError: naming the variant to build instead, or how to add one.
    """
    try:  # the configured value, normalised by the model as the override was
        old = getattr(P.validate(model, variant.parameters, where, coverage), identity)
    except P.ParameterError:
        old = variant.parameters.get(identity, model.model_fields[identity].default)
    if old == new:
        return
    label = chapters.registry().groups.get(str(old), str(old))
    prefix, shown = chapters.split_variant_name(variant.name).stem, P.cut(str(new))
    other = _variant_for(variant, identity, new, f"{prefix}-{new}")
    if other is not None:
        advice = f"build {other} instead (`kzanalysis build {other}`)"
    else:
        nb = variant.notebook.name
        advice = (
            f"no variant of {nb} has {identity}={shown}; add one to reports.yaml "
            f"(variants: - {{name: {prefix}-{shown}, notebook: {nb}, parameters: "
            f"{{{identity}: {shown}}}}}) and build that"
        )
    raise P.ParameterError(
        f"{where}: -p {identity}={shown} is refused: {variant.name} is {label}'s "
        f"report ({identity}={old}), so its name and title would not match the data; {advice}"
    )


def _variant_for(variant: Variant, identity: str, value: Any, preferred: str) -> str | None:
    """The configured variant of the same notebook whose ``identity`` is ``value``."""
    if variant.config is None:
        return None
    try:
        variants = load_variants(variant.config, variant.nb_dir)
    except KzAnalysisError:
        return None
    names = [
        v.name
        for v in variants
        if v.notebook == variant.notebook and str(v.parameters.get(identity)) == str(value)
    ]
    return preferred if preferred in names else (names[0] if names else None)
