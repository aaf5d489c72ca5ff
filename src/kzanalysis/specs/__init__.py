"""Table declarations: what every curated table holds, where it comes from, under which terms.

One module per data domain (the ``domains`` of ``chapters.yaml``), each exposing
``TABLES`` (a tuple of :class:`~kzanalysis.schema.TableSpec`), with its sources, terms,
editions and code maps in sibling modules (``<domain>_sources``, ``<domain>_codes`` …).
Declarations import only the standard library and :mod:`kzanalysis.schema`, so loaders,
analyses and claims can read them without importing the parsers in
the ``curate`` package (pandas-heavy, openpyxl).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from types import ModuleType

from kzanalysis.chapters import data_domains
from kzanalysis.schema import TableSpec

#: Domains in catalog order, as ``chapters.yaml`` declares them (read once, at import);
#: each is a module ``kzanalysis.specs.<domain>`` with ``TABLES``.
DOMAINS: tuple[str, ...] = data_domains()


def domain_module(domain: str) -> ModuleType:
    """Import the declarations module of ``domain``.

    Raises:
        KeyError: if the domain is unknown (message lists the valid ones).
    """
    if domain not in DOMAINS:
        raise KeyError(f"unknown data domain {domain!r}; valid: {', '.join(DOMAINS)}")
    return importlib.import_module(f"kzanalysis.specs.{domain}")


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
