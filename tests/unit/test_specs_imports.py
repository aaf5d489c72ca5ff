"""Declarations apart from parsers: loaders, analyses and claims never import the curation code."""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

import pytest

from kzanalysis import chapters, curate, specs
from kzanalysis.schema import TableSpec
from tests.conftest import PROJECT_ROOT
from tests.probe import run_probe

SPECS_DIR = PROJECT_ROOT / "src" / "kzanalysis" / "specs"

#: Runs in a fresh interpreter: import every reader of the specs, load one table, and
#: report which curation modules (and openpyxl) ended up imported.
_PROBE = """
import importlib, json, pkgutil, sys
import kzanalysis.analysis, kzanalysis.claims
names = ["kzanalysis.datasets", "kzanalysis.catalog", "kzanalysis.plotting",
         "kzanalysis.params", "kzanalysis.claims", "kzanalysis.claims.ledger"]
for package in (kzanalysis.analysis, kzanalysis.claims):
    names += [f"{package.__name__}.{m.name}" for m in pkgutil.iter_modules(package.__path__)]
for name in names:
    importlib.import_module(name)
from kzanalysis import datasets, specs
specs.all_specs()
datasets.load("brent_annual")
print(json.dumps({
    "imported": names,
    "curate": sorted(m for m in sys.modules if m.startswith("kzanalysis.curate")),
    "openpyxl": sorted(m for m in sys.modules if m.split(".")[0] == "openpyxl"),
}))
"""


def test_readers_of_the_specs_import_no_parser_and_no_openpyxl() -> None:
    report = run_probe(_PROBE)
    imported = set(report["imported"])
    for name in (
        "kzanalysis.analysis.trade",
        "kzanalysis.analysis.energy",
        "kzanalysis.analysis.arms",
        "kzanalysis.analysis.polls",
        "kzanalysis.analysis.synthesis",
        "kzanalysis.analysis.trade_params",
        "kzanalysis.claims.metrics_energy",
        "kzanalysis.claims.metrics_trade",
    ):
        assert name in imported, f"the probe no longer imports {name}"
    assert report["curate"] == [], "a reader imported the curation code"
    assert report["openpyxl"] == [], "a reader imported openpyxl"


def _imports(path: Path) -> set[str]:
    """Top-level module names imported by ``path`` (``from x.y import z`` → ``x.y``)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_specs_modules_import_only_the_standard_library_and_small_modules() -> None:
    allowed = {"kzanalysis.schema", "kzanalysis.chapters"}
    for path in sorted(SPECS_DIR.glob("*.py")):
        for name in _imports(path):
            if name.startswith("kzanalysis."):
                ok = name in allowed or name.startswith("kzanalysis.specs")
            else:
                ok = name.split(".")[0] in sys.stdlib_module_names or name == "__future__"
            assert ok, f"{path.name} imports {name}: specs may import only the standard library"


def test_every_domain_has_a_specs_module_with_tables_in_catalog_order() -> None:
    assert chapters.data_domains() == specs.DOMAINS
    names = []
    for domain in specs.DOMAINS:
        tables = specs.domain_module(domain).TABLES
        assert tables and all(isinstance(t, TableSpec) for t in tables)
        names += [t.name for t in tables]
    assert [s.name for s in specs.all_specs()] == names
    catalog = json.loads((PROJECT_ROOT / "data" / "datapackage.json").read_text())
    assert [r["name"] for r in catalog["resources"]] == names


def test_all_specs_of_some_domains() -> None:
    polls = [s.name for s in specs.all_specs(["polls"])]
    assert polls == [t.name for t in specs.domain_module("polls").TABLES]
    assert "poll_toplines" in polls and "energy_series" not in polls


def test_spec_for_known_and_unknown_tables() -> None:
    assert specs.spec_for("brent_annual").primary_key == ("year",)
    with pytest.raises(KeyError, match=r"unknown table 'nope'; valid tables: trade_partner_flows"):
        specs.spec_for("nope")


def test_unknown_domain_lists_the_valid_ones() -> None:
    with pytest.raises(KeyError, match=r"unknown data domain 'x'; valid: trade, energy"):
        specs.domain_module("x")
    with pytest.raises(KeyError, match=r"unknown data domain 'x'; valid: trade, energy"):
        curate.domain_module("x")


def test_curate_reexports_the_registry_and_its_parsers_share_the_specs() -> None:
    assert curate.DOMAINS is specs.DOMAINS
    assert curate.all_specs is specs.all_specs and curate.spec_for is specs.spec_for
    for domain in specs.DOMAINS:
        parser = curate.domain_module(domain)
        assert parser.TABLES is specs.domain_module(domain).TABLES
        assert callable(parser.build)
