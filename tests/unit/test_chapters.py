"""The chapter registry (``src/kzanalysis/chapters.yaml``): declared once, derived everywhere."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from kzanalysis import chapters
from kzanalysis import params as P
from kzanalysis.paths import PROJECT_ROOT, notebooks_dir

SRC = PROJECT_ROOT / "src" / "kzanalysis"


def _chapter_words() -> set[str]:
    """Strings that name a chapter: names, notebooks and modules."""
    words: set[str] = set()
    for c in chapters.chapters():
        words |= {c.name, c.notebook, Path(c.notebook).stem, c.params_model}
        words |= {m for m in (c.analysis, c.metrics) if m}
    return words


def test_registry_declares_the_chapters_and_their_default_variants():
    names = [c.name for c in chapters.chapters()]
    # the six original chapters, in order (a scaffolded chapter may follow)
    assert names[:6] == ["overview", "trade", "energy", "arms", "polls", "synthesis"]
    variants = [v["name"] for v in chapters.default_variants()]
    assert len(variants) == len(set(variants)) == sum(len(c.variants) for c in chapters.chapters())
    assert len([v for v in variants if v.split("-")[0] in names[:6]]) == 24
    assert "arms-CA5" in variants and "trade-KAZ" in variants
    trade = chapters.get("trade")
    assert trade.variant_title("KAZ") == "EAEU trade — Kazakhstan"
    assert chapters.get("arms").variant_title("CA5") == "Arms imports — Central Asia (five states)"


def test_every_chapter_resolves_to_real_files_modules_and_tables():
    catalog = json.loads((PROJECT_ROOT / "data" / "datapackage.json").read_text())
    tables = {r["name"] for r in catalog["resources"]}
    for c in chapters.chapters():
        nb_path = notebooks_dir() / c.notebook
        assert nb_path.is_file(), c.notebook
        nb = P.read_notebook(nb_path)
        model = P.model_for(nb, c.notebook, nb_path)  # the parameters cell matches the model
        assert model is P.MODELS[c.name]
        assert c.identity in model.model_fields
        for module in (c.analysis, c.metrics):
            if module:
                __import__(module)
        assert set(c.tables or ()) <= tables, c.name
        assert c.domain is None or c.domain in chapters.data_domains()


def test_lists_derive_from_the_registry():
    from kzanalysis.claims import ledger
    from kzanalysis.publish import index, warm

    assert set(P.MODELS) == {"country_period", *(c.name for c in chapters.chapters())}
    assert ledger.metric_modules() == tuple(c.metrics for c in chapters.chapters() if c.metrics)
    modules = warm.default_modules()
    for c in chapters.chapters():
        for module in (c.analysis, c.metrics):
            assert module is None or module in modules, module
    groups = index.group_by_chapter([("synthesis-KAZ", "x — y"), ("trade-KAZ", "x — y")])
    assert [g[0] for g in groups] == ["trade", "synthesis"]
    assert groups[0][1] == "EAEU trade"


def _literals_naming_chapters(path: Path, words: set[str]) -> list[str]:
    """Collection literals in ``path`` holding two or more chapter-naming strings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            items = node.elts
        elif isinstance(node, ast.Dict):
            items = [k for k in node.keys if k is not None]
        else:
            continue
        named = {
            e.value
            for e in items
            if isinstance(e, ast.Constant) and isinstance(e.value, str) and e.value in words
        }
        if len(named) >= 2:
            found.append(f"{path.relative_to(PROJECT_ROOT)}:{node.lineno} {sorted(named)}")
    return found


def test_no_module_keeps_its_own_list_of_chapters():
    words = _chapter_words()
    offenders = [
        hit for path in sorted(SRC.rglob("*.py")) for hit in _literals_naming_chapters(path, words)
    ]
    assert offenders == [], "chapter lists outside src/kzanalysis/chapters.yaml: " + "; ".join(
        offenders
    )


def test_the_scan_finds_a_list_of_chapters(tmp_path):
    sample = PROJECT_ROOT / "tests" / "_sample_chapter_list.py"
    sample.write_text('MODULES = ("kzanalysis.analysis.trade", "kzanalysis.analysis.arms")\n')
    try:
        assert _literals_naming_chapters(sample, _chapter_words())
    finally:
        sample.unlink()


def test_chapter_notebooks_and_reports_yaml_name_no_chapter_data():
    for c in chapters.chapters():
        meta = P.read_notebook(notebooks_dir() / c.notebook)["metadata"].get("kzanalysis") or {}
        assert "params_model" not in meta and "datasets" not in meta, c.notebook
    import yaml

    doc = yaml.safe_load((PROJECT_ROOT / "reports.yaml").read_text(encoding="utf-8"))
    assert doc["chapter_variants"] == "all" and not doc.get("variants")


def test_a_malformed_registry_is_a_clear_error(tmp_path, monkeypatch):
    bad = tmp_path / "chapters.yaml"
    bad.write_text(
        "domains: [trade]\ngroups: {KAZ: Kazakhstan}\nchapters:\n"
        "  - {name: trade, title: T, notebook: t.ipynb, params_model: a:B, identity: country,"
        " variants: [KGZ]}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("KZANALYSIS_CHAPTERS", str(bad))
    with pytest.raises(chapters.RegistryError, match=r"variants for \['KGZ'\].*groups"):
        chapters.chapters()
    bad.write_text(
        "domains: [trade]\ngroups: {}\nchapters:\n  - {name: Trade!, title: T}\n", encoding="utf-8"
    )
    with pytest.raises(chapters.RegistryError, match="missing keys"):
        chapters.chapters()
    with pytest.raises(chapters.RegistryError, match="unknown chapter 'nope'"):
        monkeypatch.delenv("KZANALYSIS_CHAPTERS")
        chapters.get("nope")


def test_years_from_bounds_the_year_parameters_by_the_tables_it_names(tmp_path, monkeypatch):
    from kzanalysis.catalog import load_catalog
    from kzanalysis.publish import variants as V

    money = chapters.get("money")
    assert money.coverage_tables() == ("investment_china_official_finance",)
    assert chapters.get("trade").coverage_tables() == chapters.get("trade").tables
    resources = load_catalog()["resources"]
    # all of money's tables in common: 2001–2012 (FDI by origin); official finance: 2000–2021
    assert P.coverage_from(resources, money.tables) == (2001, 2012)
    variant = next(v for v in V.load_variants() if v.name == "money-KAZ")
    resolved = V.resolve(variant, resources=resources)
    assert (resolved.parameters["start_year"], resolved.parameters["end_year"]) == (2000, 2021)
    with pytest.raises(P.ParameterError, match="outside the data coverage 2000–2021"):
        V.resolve(variant, ["end_year=2023"], resources=resources)
    bad = tmp_path / "chapters.yaml"
    bad.write_text(
        "domains: [trade]\ngroups: {KAZ: Kazakhstan}\nchapters:\n"
        "  - {name: trade, title: T, notebook: t.ipynb, params_model: a:B, identity: country,"
        " variants: [KAZ], tables: [a], years_from: [b]}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("KZANALYSIS_CHAPTERS", str(bad))
    with pytest.raises(chapters.RegistryError, match=r"years_from names \['b'\]"):
        chapters.chapters()
