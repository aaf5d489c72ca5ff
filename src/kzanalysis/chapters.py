"""The chapter registry: each chapter declared once, in ``chapters.yaml`` next to this module.

Everything that needs the list of chapters derives it from here: parameter models
(:data:`kzanalysis.params.MODELS`), the claims ledger's metric modules, the warm-kernel
preload list, the sections of ``reports/index.html``, the default report variants and
the tables a report declares before its first build. ``kzanalysis new chapter`` appends
an entry (:func:`append_entry`).

Only the standard library and PyYAML are imported, so the build's planning stays cheap.
"""

from __future__ import annotations

import functools
import importlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from kzanalysis.errors import KzAnalysisError

#: The registry file (``$KZANALYSIS_CHAPTERS`` overrides it, for tests of a scaffold).
REGISTRY_FILE = Path(__file__).with_name("chapters.yaml")
NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_KEYS = {
    "name",
    "title",
    "notebook",
    "params_model",
    "analysis",
    "metrics",
    "domain",
    "tables",
    "years_from",
    "identity",
    "variants",
}
_REQUIRED = ("name", "title", "notebook", "params_model", "identity", "variants")


class RegistryError(KzAnalysisError, ValueError):
    """``chapters.yaml`` is malformed or names something that does not exist."""


@dataclass(frozen=True)
class Chapter:
    """One chapter: its notebook, parameter model, modules, tables and default variants."""

    name: str
    title: str
    notebook: str
    params_model: str
    analysis: str | None
    metrics: str | None
    domain: str | None
    tables: tuple[str, ...] | None
    identity: str
    variants: tuple[str, ...]
    years_from: tuple[str, ...] | None = None

    def coverage_tables(self) -> tuple[str, ...] | None:
        """Tables whose catalog years bound the year parameters: ``years_from``, else
        ``tables`` (their common years)."""
        return self.years_from if self.years_from is not None else self.tables

    def variant_name(self, group: str) -> str:
        """``trade`` + ``KAZ`` → ``trade-KAZ``."""
        return f"{self.name}-{group}"

    def variant_title(self, group: str) -> str:
        """``EAEU trade — Kazakhstan``: the chapter title and the group's label."""
        return f"{self.title} — {registry().groups.get(group, group)}"


@dataclass(frozen=True)
class Registry:
    """The parsed ``chapters.yaml``: data domains, group labels and chapters in order."""

    domains: tuple[str, ...]
    groups: dict[str, str]
    chapters: tuple[Chapter, ...]


def registry_path() -> Path:
    """The registry file in use (``$KZANALYSIS_CHAPTERS`` or the package's ``chapters.yaml``)."""
    value = os.environ.get("KZANALYSIS_CHAPTERS")
    return Path(value).resolve() if value else REGISTRY_FILE


def _optional_str(raw: dict[str, Any], key: str, where: str) -> str | None:
    value = raw.get(key)
    if value is not None and not isinstance(value, str):
        raise RegistryError(f"{where}: {key!r} must be a string or null")
    return value


def _strings(value: Any, key: str, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RegistryError(f"{where}: {key!r} must be a list of strings")
    return tuple(value)


def parse_chapter(raw: Any, where: str, domains: tuple[str, ...]) -> Chapter:
    """Check one entry of ``chapters:``.

    Raises:
        RegistryError: naming the entry and the key that is wrong.
    """
    if not isinstance(raw, dict):
        raise RegistryError(f"{where}: each chapter must be a mapping")
    unknown = set(raw) - _KEYS
    missing = [k for k in _REQUIRED if raw.get(k) in (None, "")]
    if unknown or missing:
        raise RegistryError(
            f"{where}: unknown keys {sorted(unknown)} / missing keys {missing}; "
            f"allowed: {sorted(_KEYS)}"
        )
    name = raw["name"]
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise RegistryError(f"{where}: name {name!r} must be lower-case letters, digits, _")
    where = f"{where} ({name})"
    domain = _optional_str(raw, "domain", where)
    if domain is not None and domain not in domains:
        raise RegistryError(f"{where}: domain {domain!r} is not one of {', '.join(domains)}")
    for key in ("params_model",):
        if ":" not in str(raw[key]):
            raise RegistryError(f"{where}: {key} must look like 'package.module:ClassName'")
    tables = raw.get("tables")
    years_from = raw.get("years_from")
    if years_from is not None:
        years_from = _strings(years_from, "years_from", where)
        stray = sorted(set(years_from) - set(tables or years_from))
        if stray:
            raise RegistryError(
                f"{where}: years_from names {stray}, which are not among its tables; "
                "list tables the chapter reads"
            )
    return Chapter(
        name=name,
        title=str(raw["title"]),
        notebook=str(raw["notebook"]),
        params_model=str(raw["params_model"]),
        analysis=_optional_str(raw, "analysis", where),
        metrics=_optional_str(raw, "metrics", where),
        domain=domain,
        tables=None if tables is None else _strings(tables, "tables", where),
        identity=str(raw["identity"]),
        variants=_strings(raw["variants"], "variants", where),
        years_from=years_from,
    )


@functools.cache
def _load(path: str, version: tuple[int, ...]) -> Registry:
    import yaml

    where = Path(path).name
    try:
        doc = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RegistryError(f"{path}: cannot read the chapter registry ({exc})") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("chapters"), list):
        raise RegistryError(f"{path}: needs top-level 'domains:', 'groups:' and 'chapters:'")
    domains = _strings(doc.get("domains") or [], "domains", where)
    groups = doc.get("groups") or {}
    if not isinstance(groups, dict):
        raise RegistryError(f"{path}: 'groups' must map codes to labels")
    chapters = tuple(
        parse_chapter(raw, f"{where} chapter #{i + 1}", domains)
        for i, raw in enumerate(doc["chapters"])
    )
    seen: set[tuple[str, str]] = set()
    for chapter in chapters:
        for key, value in (("name", chapter.name), ("notebook", chapter.notebook)):
            if (key, value) in seen:
                raise RegistryError(f"{path}: chapter {key} {value!r} is declared twice")
            seen.add((key, value))
        unknown = [g for g in chapter.variants if g not in groups]
        if unknown:
            raise RegistryError(
                f"{path}: chapter {chapter.name!r} has variants for {unknown}, which have no "
                "label in 'groups'; add them there"
            )
    return Registry(domains, {str(k): str(v) for k, v in groups.items()}, chapters)


def registry() -> Registry:
    """The registry (re-read when the file changes).

    Raises:
        RegistryError: if ``chapters.yaml`` is malformed.
    """
    from kzanalysis.hashing import file_version

    path = registry_path()
    try:
        version = file_version(path)
    except OSError:
        raise RegistryError(f"{path}: chapter registry not found") from None
    return _load(str(path), version)


def chapters() -> tuple[Chapter, ...]:
    """Every chapter, in registry order."""
    return registry().chapters


def data_domains() -> tuple[str, ...]:
    """The data domains, in catalog order."""
    return registry().domains


def get(name: str) -> Chapter:
    """The chapter called ``name``.

    Raises:
        RegistryError: listing the chapters.
    """
    for chapter in chapters():
        if chapter.name == name:
            return chapter
    raise RegistryError(
        f"unknown chapter {name!r}; chapters: {', '.join(c.name for c in chapters())}"
    )


def for_notebook(path: str | Path) -> Chapter | None:
    """The chapter whose notebook is ``path`` (matched by file name), or None."""
    name = Path(path).name
    return next((c for c in chapters() if c.notebook == name), None)


def import_object(spec: str) -> Any:
    """``"package.module:Name"`` → the object.

    Raises:
        RegistryError: if the module or the name does not exist.
    """
    module_name, _, attr = spec.partition(":")
    try:
        return getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError) as exc:
        raise RegistryError(f"chapter registry: cannot import {spec!r} ({exc})") from None


def metric_modules() -> tuple[str, ...]:
    """The claims ledger's metric modules, in registry order."""
    return tuple(c.metrics for c in chapters() if c.metrics)


def analysis_modules() -> tuple[str, ...]:
    """The chapters' analysis modules, in registry order."""
    return tuple(c.analysis for c in chapters() if c.analysis)


def default_variants() -> list[dict[str, Any]]:
    """The registry's report variants as ``reports.yaml`` entries (name, notebook, title, …)."""
    return [
        {
            "name": c.variant_name(group),
            "notebook": c.notebook,
            "title": c.variant_title(group),
            "parameters": {c.identity: group},
        }
        for c in chapters()
        for group in c.variants
    ]


class VariantName(NamedTuple):
    """A variant name's parts: ``money-w3-KAZ`` → chapter ``money``, label ``w3``, group
    ``KAZ``."""

    chapter: str
    label: str
    group: str

    @property
    def stem(self) -> str:
        """The name without its group: ``money-w3`` (``money`` when there is no label)."""
        return f"{self.chapter}-{self.label}" if self.label else self.chapter


def split_variant_name(name: str) -> VariantName:
    """The one rule for variant names: ``<chapter>[-<label>]-<GROUP>``.

    The chapter is the first segment (chapter names have no ``-``), the group the last
    (an ISO3 code or a registry group in capitals), the label everything between: a
    lower-case parameter-set tag such as ``w3`` or ``w3-y2005`` (``""`` for the chapter's
    plain variant). A name without ``-`` is a chapter alone.

    Examples:
        >>> split_variant_name("trade-KAZ")
        VariantName(chapter='trade', label='', group='KAZ')
        >>> split_variant_name("arms-w3-y2000-CA5")
        VariantName(chapter='arms', label='w3-y2000', group='CA5')
    """
    chapter, _, rest = name.partition("-")
    label, _, group = rest.rpartition("-")
    return VariantName(chapter, label, group)


def chapter_of_variant(name: str) -> Chapter | None:
    """The chapter of a variant name (``trade-KAZ``, ``money-w3-KAZ`` → the registered
    chapter of that name), or None if not registered."""
    prefix = split_variant_name(name).chapter
    return next((c for c in chapters() if c.name == prefix), None)


def append_entry(text: str, path: Path | None = None) -> None:
    """Append a chapter entry (YAML text of one ``- name: …`` item) to the registry file."""
    path = path or registry_path()
    current = path.read_text(encoding="utf-8")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(current.rstrip("\n") + "\n\n" + text.rstrip("\n") + "\n", encoding="utf-8")
    os.replace(tmp, path)  # readers see the old registry or the new one, never half of it
