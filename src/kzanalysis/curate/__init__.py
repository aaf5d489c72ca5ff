"""Curation: upstream snapshots (``--raw``) → tidy tables in ``data/`` + ``datapackage.json``.

One module per upstream domain (``trade``, ``energy``, ``arms``, ``polls``). Each
exposes ``TABLES`` (a tuple of :class:`~kzanalysis.schema.TableSpec`) and
``build(raw: Path) -> dict[str, pandas.DataFrame]`` returning one frame per spec.
This package validates every frame against its spec, writes it deterministically,
and describes it in the catalog, so a re-run is byte-identical.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from types import ModuleType

from kzanalysis.schema import TableSpec

#: Domains in catalog order; each is a module ``kzanalysis.curate.<domain>``.
DOMAINS: tuple[str, ...] = ("trade", "energy", "arms", "polls")


def domain_module(domain: str) -> ModuleType:
    """Import the curation module of ``domain``.

    Raises:
        KeyError: if the domain is unknown (message lists the valid ones).
    """
    if domain not in DOMAINS:
        raise KeyError(f"unknown data domain {domain!r}; valid: {', '.join(DOMAINS)}")
    return importlib.import_module(f"kzanalysis.curate.{domain}")


def all_specs(domains: Iterable[str] | None = None) -> list[TableSpec]:
    """Return the specs of every curated table (of ``domains``, default all), in catalog order."""
    specs: list[TableSpec] = []
    for domain in DOMAINS if domains is None else domains:
        specs.extend(domain_module(domain).TABLES)
    return specs


def spec_for(name: str) -> TableSpec:
    """Return the spec of the table called ``name``.

    Raises:
        KeyError: listing the valid table names.
    """
    specs = all_specs()
    for spec in specs:
        if spec.name == name:
            return spec
    raise KeyError(f"unknown table {name!r}; valid tables: {', '.join(s.name for s in specs)}")
