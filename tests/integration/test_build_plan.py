"""Fast tests of the build's planning parts (no kernel): config, fingerprints, state, HTML bits."""

from __future__ import annotations

import configparser
import json
import re
from pathlib import Path

import pytest

from kzanalysis.paths import PROJECT_ROOT
from kzanalysis.publish import fingerprint as F
from kzanalysis.publish.html import ReportMeta, mark_stale, toc_html
from kzanalysis.publish.index import render_index
from kzanalysis.publish.store import atomic_write_text, load_state, save_state
from kzanalysis.publish.variants import VariantConfigError, load_variants, select

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "notebooks"


def config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "reports.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_project_reports_yaml_is_valid():
    variants = load_variants(PROJECT_ROOT / "reports.yaml", PROJECT_ROOT / "notebooks")
    assert "overview-KAZ" in [v.name for v in variants]


def test_every_committed_variant_validates_with_a_registered_model():
    from kzanalysis.catalog import load_catalog
    from kzanalysis.publish.variants import resolve

    resources = load_catalog(PROJECT_ROOT / "data")["resources"]
    variants = load_variants(PROJECT_ROOT / "reports.yaml", PROJECT_ROOT / "notebooks")
    for variant in variants:
        resolved = resolve(variant, (), resources)
        assert resolved.model_name != "derived", f"{variant.name}: register its model in MODELS"
    used = {v.notebook.name for v in variants}
    assert used == {p.name for p in (PROJECT_ROOT / "notebooks").glob("*.ipynb")}


def test_variants_get_defaults_and_per_variant_settings(tmp_path):
    path = config(
        tmp_path,
        "defaults: {cell_timeout: 30}\nvariants:\n"
        "  - {name: ok-KAZ, notebook: ok.ipynb}\n"
        "  - {name: hang-CA5, notebook: hang.ipynb, cell_timeout: 1.2, show_code: true}\n",
    )
    ok, hang = load_variants(path, FIXTURES)
    assert (ok.cell_timeout, ok.start_timeout, ok.show_code, ok.title) == (30, 60, False, "ok-KAZ")
    assert (hang.cell_timeout, hang.show_code) == (2, True)  # whole seconds, rounded up
    assert [v.name for v in select([ok, hang], ["hang-CA5"])] == ["hang-CA5"]
    with pytest.raises(VariantConfigError, match="unknown variant.*nope-KAZ.*hang-CA5, ok-KAZ"):
        select([ok, hang], ["nope-KAZ"])


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("{name: Trade_kaz, notebook: ok.ipynb}", "must look like <chapter>-<ISO3 or group>"),
        ("{name: ok-KAZ, notebook: missing.ipynb}", "missing.ipynb does not exist"),
        ("{name: ok-KAZ, notebook: ok.ipynb, params: {}}", r"unknown key\(s\) \['params'\]"),
        ("{name: ok-KAZ, notebook: ok.ipynb, cell_timeout: 0}", "cell_timeout must be a positive"),
        ("{name: ok-KAZ, notebook: ok.ipynb, parameters: [1]}", "'parameters' must be a mapping"),
    ],
)
def test_config_errors_name_the_variant_and_key(tmp_path, entry, message):
    path = config(tmp_path, f"variants:\n  - {entry}\n")
    with pytest.raises(VariantConfigError, match=message):
        load_variants(path, FIXTURES)


def test_duplicate_names_and_missing_file_are_errors(tmp_path):
    entry = "  - {name: ok-KAZ, notebook: ok.ipynb}\n"
    dup = "variants:\n" + entry + entry
    with pytest.raises(VariantConfigError, match="'ok-KAZ' is used twice"):
        load_variants(config(tmp_path, dup), FIXTURES)
    with pytest.raises(VariantConfigError, match="report variants file not found"):
        load_variants(tmp_path / "none.yaml", FIXTURES)


def test_notebook_digest_ignores_outputs_and_metadata_but_not_markdown():
    nb = json.loads((FIXTURES / "ok.ipynb").read_text())
    base = F.notebook_digest(nb)
    nb["cells"][2]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "1"}]
    nb["cells"][2]["execution_count"] = 3
    nb["cells"][2]["metadata"]["collapsed"] = True
    nb["metadata"]["papermill"] = {"duration": 1.0}
    assert F.notebook_digest(nb) == base
    nb["cells"][0]["source"] = ["# A new title"]
    assert F.notebook_digest(nb) != base


def test_changes_explain_every_kind_of_input():
    old = F.fingerprint(
        nb={"cells": []},
        parameters={"a": 1},
        inputs={
            "table:alpha": "1",
            "table:beta": "2",
            "claim:C25": "c1",
            "claim:C26": "c2",
            "claims:domain=arms": "s1",
            "file:datapackage.json": "f1",
        },
        lock="l1",
        report={"show_code": False},
        source="s1",
    )
    assert F.changes(None, old) == ["first build"]
    assert F.changes(old, dict(old)) == []
    new = {**old, "parameters": '{"a":2}', "source": "s2", "lock": "l2"}
    new["inputs"] = {
        **old["inputs"],
        "table:alpha": "9",
        "claim:C25": "c9",
        "claims:domain=arms": "s9",
        "file:datapackage.json": "f9",
        "table:gamma": "3",
    }
    del new["inputs"]["table:beta"]  # no longer declared: nothing to rebuild for
    assert F.changes(old, new) == [
        "parameters changed",
        "kzanalysis source changed",
        "lock file changed",
        "claims changed: C25",
        "claims added or removed: domain=arms",
        "data file changed: datapackage.json",
        "data changed: alpha",
        "new inputs: gamma",
    ]
    legacy = {k: v for k, v in old.items() if k != "inputs"} | {"data": {"alpha": "1"}}
    assert F.changes(legacy, old) == ["build state of an earlier kzanalysis (no recorded inputs)"]


def test_input_keys_are_declared_tables_plus_recorded_reads():
    resources = [{"name": "a", "hash": "sha256:1"}, {"name": "b", "hash": "sha256:2"}]
    assert F.input_keys(resources, ["b"], None) == ["table:b"]
    assert F.input_keys(resources, None, None) == ["table:a", "table:b"]  # undeclared: all
    assert F.input_keys(resources, ["b"], ["table:a", "claim:C25"]) == [
        "claim:C25",
        "table:a",
        "table:b",
    ]
    digests = F.input_digests(["table:b", "table:z"], resources, Path("/nonexistent"))
    assert digests["table:z"] == "missing" and len(digests["table:b"]) == 64
    assert F.input_digests(["table:b"], None, Path("/nonexistent")) == {"<catalog>": "missing"}


def test_source_digest_changes_with_a_package_file(tmp_path):
    (tmp_path / "m.py").write_text("x = 1\n")
    before = F.source_digest(tmp_path)
    F.source_digest.cache_clear()
    (tmp_path / "m.py").write_text("x = 2\n")
    assert F.source_digest(tmp_path) != before
    F.source_digest.cache_clear()


def test_atomic_write_and_state_round_trip(tmp_path):
    target = tmp_path / "a" / "b.txt"
    atomic_write_text(target, "one")
    atomic_write_text(target, "two")
    assert target.read_text() == "two"
    assert [p.name for p in target.parent.iterdir()] == ["b.txt"]  # no temp file left
    save_state(tmp_path, "ok-KAZ", {"status": "ok"})
    assert load_state(tmp_path, "ok-KAZ") == {"status": "ok"}
    (tmp_path / ".build" / "bad-KAZ.json").write_text("{half")
    assert load_state(tmp_path, "bad-KAZ") is None


def test_stale_banner_is_replaced_not_stacked():
    meta = ReportMeta("x-KAZ", "X", "x.ipynb", {}, "2026-01-01 00:00:00 UTC", "abc")
    page = "<html><body class='a'><main>report</main></body></html>"
    once = mark_stale(page, meta, "x-KAZ.error.html", "boom")
    twice = mark_stale(once, meta, "x-KAZ.error.html", "bang")
    assert twice.count("Stale report.") == 1 and "bang" in twice and "boom" not in twice
    assert twice.index("Stale report.") < twice.index("report</main>")


def test_toc_lists_headings_with_their_anchors():
    body = '<h1 id="Top">Top<a class="anchor-link" href="#Top">¶</a></h1><h2 id="A-b">A b</h2>'
    toc = toc_html(body)
    assert '<a href="#Top">Top</a>' in toc and '<a href="#A-b">A b</a>' in toc
    assert toc_html("<p>no headings</p>") == ""


def test_index_shows_never_built_variants(tmp_path):
    page = render_index(tmp_path, [("ok-KAZ", "OK")], data=tmp_path)
    assert "not built" in page and 'href="ok-KAZ.html"' not in page


def test_sanitize_file_masks_only_volatile_text():
    cfg = configparser.ConfigParser(interpolation=None)
    cfg.read(PROJECT_ROOT / "tests" / "nbval_sanitize.cfg")
    pairs = [(cfg[s]["regex"], cfg[s]["replace"]) for s in cfg.sections()]
    assert len(pairs) >= 6

    def clean(text: str) -> str:
        for regex, replace in pairs:
            text = re.sub(regex, replace, text)
        return text

    assert clean("<Figure at 0x7f3a2c1d4e50>") == clean("<Figure at 0x7f00aa11bb22>")
    assert clean("/tmp/ipykernel_123/4567.py:3: W") == clean("/tmp/ipykernel_9/1.py:3: W")
    summary = "Date:                Sat, 28 Nov 2026   Prob (F-statistic):  0.01"
    assert clean(summary) == clean(summary.replace("Sat, 28 Nov", "Mon, 01 Dec"))
    assert "0.01" in clean(summary)
    assert clean("Time:        12:34:56") == clean("Time:        01:02:03") == "Time:        TIME"
    # real data stays compared: years, values and ISO dates in tables are not masked
    for text in ("2021  1500.5", "1992-01-01", "KAZ 2005 12.3"):
        assert clean(text) == text
