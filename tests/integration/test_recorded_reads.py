"""Builds that know what a report read: real chapter notebooks on a copy of data/.

One build of three real variants (trade-KAZ, arms-KAZ, synthesis-KAZ), then:
(a) a claim's tolerance changes → exactly the variants that show that claim rebuild, and
    the build says why; (b) a table read only by a claims metric changes → its readers
    rebuild, the rest stay up to date; (c) arms-KAZ reads ``arms_sipri_china_exports``
    (through a ledger metric) without declaring it, and it is in its fingerprint.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from kzanalysis import chapters
from kzanalysis.cli import app
from kzanalysis.paths import PROJECT_ROOT
from kzanalysis.publish import fingerprint as F
from kzanalysis.publish import runner
from kzanalysis.publish.store import load_state

pytestmark = pytest.mark.integration
VARIANTS = ["trade-KAZ", "arms-KAZ", "synthesis-KAZ"]


def env_for(root: Path) -> dict[str, str]:
    return {
        "KZANALYSIS_DATA_DIR": str(root / "data"),
        "KZANALYSIS_REPORTS_DIR": str(root / "reports"),
        "KZANALYSIS_NOTEBOOKS_DIR": str(PROJECT_ROOT / "notebooks"),
        "KZANALYSIS_REPORTS_CONFIG": str(root / "reports.yaml"),
    }


def build(root: Path, *args: str) -> str:
    result = CliRunner().invoke(app, ["build", "--plain", "--jobs", "2", *args], env=env_for(root))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code == 0, result.output
    return result.output


def line(output: str, name: str) -> str:
    """The result line of a variant (built, up to date or failed), without its timestamp."""
    found = re.findall(rf"{re.escape(name)}: (?:built|up to date|failed).*", output)
    assert len(found) == 1, output
    return found[0]


def plan(root: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """Why each variant would be built now (no kernel)."""
    for key, value in env_for(root).items():
        monkeypatch.setenv(key, value)
    _, resolved, resources, _ = runner.prepare(runner.BuildOptions())
    lock = F.file_digest(PROJECT_ROOT / "requirements.lock")
    return {
        item.variant.name: runner.plan_variant(item, resources, lock, root / "reports", False)[1]
        for item in resolved
    }


@pytest.fixture(scope="module")
def project(tmp_path_factory, committed_ledger) -> Path:
    """Three real variants built on a copy of data/; its first ledger (same data state as
    the committed one) is the run's (``committed_ledger`` in tests/conftest.py)."""
    root = tmp_path_factory.mktemp("recorded")
    shutil.copytree(PROJECT_ROOT / "data", root / "data")
    entries = [v for v in chapters.default_variants() if v["name"] in VARIANTS]
    doc = {"defaults": {"cell_timeout": 300}, "variants": entries}
    (root / "reports.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    output = build(root)
    for name in VARIANTS:
        assert "built (why: first build)" in line(output, name)
    return root


def test_undeclared_table_read_by_a_ledger_metric_is_in_the_fingerprint(project):
    arms = chapters.get("arms")
    assert "arms_sipri_china_exports" not in (arms.tables or ())
    record = load_state(project / "reports", "arms-KAZ")
    assert "table:arms_sipri_china_exports" in record["reads"]
    assert "table:arms_sipri_china_exports" in record["fingerprint"]["inputs"]
    assert "claim:C25" in record["reads"] and "claims:domain=arms" in record["reads"]
    trade = load_state(project / "reports", "trade-KAZ")
    assert "claim:C25" not in trade["reads"]
    assert not any(k.startswith("table:arms") for k in trade["fingerprint"]["inputs"])


def test_each_build_records_where_its_time_went(project):
    """The state of a built report carries its stage timings (kzanalysis.timings)."""
    for name in VARIANTS:
        stages = load_state(project / "reports", name)["stages_s"]
        assert {"kernel start", "figures", "imports and other compute", "HTML conversion"} <= set(
            stages
        ), name
        assert stages["figures"] > 0 and stages["HTML conversion"] > 0, (name, stages)
        assert all(v >= 0 for v in stages.values()), (name, stages)


def test_a_claim_change_rebuilds_exactly_the_reports_that_show_it(project, monkeypatch):
    claims = project / "data" / "claims.yaml"
    original = claims.read_text(encoding="utf-8")
    marker = 'unit: "year", tolerance: {kind: exact}}\n    note: >-\n      With no Chinese'
    assert original.count(marker) == 1  # C25's only part
    claims.write_text(
        original.replace(marker, marker.replace("{kind: exact}", "{kind: absolute, value: 3}")),
        encoding="utf-8",
    )
    assert plan(project, monkeypatch) == {
        "trade-KAZ": [],
        "arms-KAZ": ["claims changed: C25"],
        "synthesis-KAZ": ["claims changed: C25"],
    }
    output = build(project)
    assert "built (why: claims changed: C25)" in line(output, "arms-KAZ")
    assert "built (why: claims changed: C25)" in line(output, "synthesis-KAZ")
    assert line(output, "trade-KAZ") == "trade-KAZ: up to date"
    assert "1 up to date" in output
    assert all(not reasons for reasons in plan(project, monkeypatch).values())


def test_a_table_read_only_by_a_metric_rebuilds_its_readers_only(project, monkeypatch):
    catalog = project / "data" / "datapackage.json"
    doc = json.loads(catalog.read_text(encoding="utf-8"))
    entry = next(r for r in doc["resources"] if r["name"] == "arms_sipri_china_exports")
    entry["caveats"] = [*entry.get("caveats", []), "A new caveat from the publisher."]
    catalog.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert plan(project, monkeypatch) == {
        "trade-KAZ": [],
        "arms-KAZ": ["data changed: arms_sipri_china_exports"],
        "synthesis-KAZ": ["data changed: arms_sipri_china_exports"],
    }
