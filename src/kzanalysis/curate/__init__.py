"""Curation: upstream snapshots (``--raw``) → tidy tables in ``data/`` + ``datapackage.json``.

One parser module per upstream domain (``trade``, ``energy``, ``arms``, ``polls``,
``investment``). Each
exposes ``TABLES`` (its specs, declared in :mod:`kzanalysis.specs`) and
``build(raw: Path) -> dict[str, pandas.DataFrame]`` returning one frame per spec.
:mod:`kzanalysis.curate.run` validates every frame against its spec, writes it
deterministically, and describes it in the catalog, so a re-run is byte-identical.

The table declarations live in :mod:`kzanalysis.specs`; ``DOMAINS``, ``all_specs`` and
``spec_for`` are re-exported here for compatibility. Code that only needs the specs
should import :mod:`kzanalysis.specs`, which does not import the parsers.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from kzanalysis.specs import DOMAINS, all_specs, spec_for

__all__ = ["DOMAINS", "all_specs", "domain_module", "spec_for"]


def domain_module(domain: str) -> ModuleType:
    """Import the curation (parser) module of ``domain``.

    Raises:
        KeyError: if the domain is unknown (message lists the valid ones).
    """
    if domain not in DOMAINS:
        raise KeyError(f"unknown data domain {domain!r}; valid: {', '.join(DOMAINS)}")
    return importlib.import_module(f"kzanalysis.curate.{domain}")
