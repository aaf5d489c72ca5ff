"""``kzanalysis update`` against mocked publishers (no network), on a two-table fake domain.

Each test gets its own tiny project (raw snapshot, curated data/, fixture notebooks,
reports.yaml, raw workspace) selected through the ``KZANALYSIS_*`` environment
variables. Publishers are mocked with ``responses``; ``kzanalysis.pull.SOURCES`` is
replaced by two sources whose files replace the fake raw files.
"""

from __future__ import annotations

import json
import shutil
import types
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import responses
import yaml
from typer.testing import CliRunner

from kzanalysis import curate, pull, specs
from kzanalysis import update as U
from kzanalysis.cli import app
from kzanalysis.curate._io import require
from kzanalysis.schema import Source, TableSpec
from tests.conftest import FAKE_SPEC, RAW_CSV, build_fake

pytestmark = pytest.mark.integration

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "notebooks"
EXP_URL = "https://pub.example.org/exports.csv"
IMP_URL = "https://stats.example.net/imports.csv"
IMP_CSV = "partner,year,value_kusd\nCHN,2019,100\nRUS,2019,300\n"

IMP_SPEC = TableSpec(
    name="fake_imports",
    title="Fake imports",
    description="One row per partner and year (synthetic).",
    fields=tuple(f for f in FAKE_SPEC.fields),
    primary_key=("partner_iso3", "year"),
    sources=(
        Source(
            id="fake_stats",
            publisher="Fake Customs",
            title="Fake imports by partner",
            url="https://example.org/imports",
            terms="Synthetic",
            edition="2020 edition",
            retrieved="written by the test",
            raw_paths=("fake/raw/imports.csv",),
        ),
    ),
    spatial="Kazakhstan (synthetic)",
)


def build_two(raw: Path) -> dict[str, pd.DataFrame]:
    """Curate both fake files (the imports parser is the exports parser on another file)."""
    out = build_fake(raw)
    imports = pd.read_csv(require(raw, "fake/raw/imports.csv"))
    if list(imports.columns) != ["partner", "year", "value_kusd"]:
        from kzanalysis.errors import RawDataError

        raise RawDataError(
            f"fake/raw/imports.csv: columns {list(imports.columns)}, expected partner, year, "
            "value_kusd; the publisher changed the layout. Fix: update the parser."
        )
    tmp = raw.parent / "imp-view"
    (tmp / "fake" / "raw").mkdir(parents=True, exist_ok=True)
    (tmp / "fake" / "raw" / "exports.csv").write_text(imports.to_csv(index=False))
    out["fake_imports"] = build_fake(tmp)["fake_exports"]
    shutil.rmtree(tmp)
    return out


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A curated two-table project with two variants and two mocked pull sources."""
    module = types.ModuleType("kzanalysis.curate.fake2")
    module.TABLES = (FAKE_SPEC, IMP_SPEC)
    module.build = build_two
    for registry in (curate, specs):  # the parsers (curation runs) and the declarations
        monkeypatch.setattr(registry, "DOMAINS", ("fake",))
        monkeypatch.setattr(registry, "domain_module", lambda d: module)
    monkeypatch.setattr(
        pull,
        "SOURCES",
        {
            "exp": pull.PullSource(
                "fake exports",
                ((EXP_URL, "exports.csv"),),
                (pull.Target("exports.csv", "fake/raw/exports.csv"),),
            ),
            "imp": pull.PullSource(
                "fake imports",
                ((IMP_URL, "imports.csv"),),
                (pull.Target("imports.csv", "fake/raw/imports.csv"),),
            ),
            "ref": pull.PullSource("not curated", (("https://x.example.org/r.csv", "r.csv"),)),
        },
    )
    root = tmp_path / "proj"
    raw = root / "shared"
    (raw / "fake" / "raw").mkdir(parents=True)
    (raw / "fake" / "raw" / "exports.csv").write_text(RAW_CSV)
    (raw / "fake" / "raw" / "imports.csv").write_text(IMP_CSV)
    shutil.copytree(FIXTURES, root / "notebooks")
    variants = [
        {"name": "exp-KAZ", "notebook": "ok.ipynb", "datasets": ["fake_exports"]},
        {"name": "imp-KAZ", "notebook": "ok.ipynb", "datasets": ["fake_imports"]},
    ]
    doc = {"defaults": {"cell_timeout": 30, "start_timeout": 60}, "variants": variants}
    (root / "reports.yaml").write_text(yaml.safe_dump(doc))
    env = {
        "KZANALYSIS_DATA_DIR": root / "data",
        "KZANALYSIS_REPORTS_DIR": root / "reports",
        "KZANALYSIS_NOTEBOOKS_DIR": root / "notebooks",
        "KZANALYSIS_REPORTS_CONFIG": root / "reports.yaml",
        "KZANALYSIS_RAW_DIR": raw,
        "KZANALYSIS_RAW_WORK": root / ".raw",
    }
    for key, value in env.items():
        monkeypatch.setenv(key, str(value))
    from kzanalysis.curate.run import curate as run_curate

    run_curate(raw, root / "data")
    return root


def publish(exports: str | int = RAW_CSV, imports: str | int = IMP_CSV) -> None:
    """Mock both publishers: a body, or an HTTP error status."""
    for url, body in ((EXP_URL, exports), (IMP_URL, imports)):
        if isinstance(body, int):
            responses.get(url, status=body)
        else:
            responses.get(url, body=body.encode())


def update(root: Path, *args: str) -> tuple[int, str, dict[str, Any]]:
    """Run ``kzanalysis update`` in-process; return exit code, output and summary."""
    summary = root / "summary.json"
    summary.unlink(missing_ok=True)
    result = CliRunner().invoke(
        app, ["update", "--plain", "--jobs", "1", "--summary-json", str(summary), *args]
    )
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    doc = json.loads(summary.read_text()) if summary.is_file() else {}
    return result.exit_code, result.output, doc


def statuses(doc: dict[str, Any]) -> dict[str, str]:
    return {s["name"]: s["status"] for s in doc["sources"]}


def data_bytes(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "data").iterdir())}


REVISED = "partner,year,value_kusd\nRUS,2021,1500\nCHN,2020,2000.5\nCHN,2021,3100\nCHN,2022,900\n"


@responses.activate
def test_new_edition_rebuilds_only_dependants_and_reports_the_changes(project: Path) -> None:
    root = project
    publish()  # same files as the snapshot: nothing new, but the first build runs
    code, out, doc = update(root, "--log-file", str(root / "update.log"))
    assert code == 0, out
    assert statuses(doc) == {"exp": "unchanged", "imp": "unchanged", "ref": "skipped"}
    assert doc["curation"]["status"] == "skipped" and doc["data_changes"] == []
    variants = {v["name"]: v for v in doc["build"]["variants"]}
    assert variants["exp-KAZ"]["status"] == "built"
    assert variants["exp-KAZ"]["reasons"] == ["first build"]
    assert not (root / "reports" / U.CHANGES_NAME).exists()

    (root / "data" / "claims.yaml").write_text("claims: []\n")  # hand-kept, not curated
    before = data_bytes(root)
    responses.reset()
    publish(exports=REVISED)  # the publisher revised CHN 2021 and added 2022
    code, out, doc = update(root, "--log-file", str(root / "update.log"))
    assert code == 0, out
    assert statuses(doc) == {"exp": "new", "imp": "unchanged", "ref": "skipped"}
    assert doc["curation"]["status"] == "replaced"
    after = data_bytes(root)
    assert after["fake_exports.csv"] != before["fake_exports.csv"]
    assert after["fake_imports.csv"] == before["fake_imports.csv"]
    assert "CHN,2022,0.9," in after["fake_exports.csv"].decode()
    assert after["claims.yaml"] == b"claims: []\n"  # carried over by the swap

    (change,) = doc["data_changes"]
    assert (
        change["table"] == "fake_exports" and change["added"] == 1 and change["new_years"] == [2022]
    )
    (rev,) = change["revisions"]
    assert rev["key"] == {"partner_iso3": "CHN", "year": 2021}
    assert (rev["old"], rev["new"], rev["change_pct"]) == (2.5, 3.1, 24.0)
    page = (root / "reports" / U.CHANGES_NAME).read_text()
    assert "fake_exports" in page and "partner_iso3=CHN, year=2021" in page and "+24.00%" in page
    assert "refreshed sources: exp" in page

    build = {v["name"]: v for v in doc["build"]["variants"]}
    assert build["exp-KAZ"]["status"] == "built"
    assert build["exp-KAZ"]["reasons"] == ["data changed: fake_exports"]
    assert build["imp-KAZ"]["status"] == "up_to_date" and build["imp-KAZ"]["duration_s"] == 0
    assert build["exp-KAZ"]["duration_s"] > 0
    (edition,) = build["imp-KAZ"]["data_editions"]
    assert edition["edition"] == "2020 edition" and edition["edition_date"] == "2020-07-01"
    assert edition["age_days"] > 400 and build["imp-KAZ"]["stale_data"] is True
    assert build["exp-KAZ"]["data_editions"][0]["edition_date"] == "2026-01-01"
    assert doc["build"]["counts"] == {"built": 1, "up_to_date": 1, "failed": 0}

    index = (root / "reports" / "index.html").read_text()
    assert 'href="data-changes.html"' in index and "Data editions" in index
    assert index.count('class="kz-stale-data"') == 1  # imports: 2020 edition
    log = (root / "update.log").read_text()
    assert "exp: new" in log and "exp-KAZ: built (why: data changed: fake_exports)" in log
    assert "data change: fake_exports: 1 row added" in log

    accepted = root / ".raw" / "accepted" / "exp"
    assert (accepted / "targets" / "fake" / "raw" / "exports.csv").read_text() == REVISED
    assert not (root / ".raw" / "incoming" / "exp").exists()

    responses.reset()
    publish(exports=REVISED)  # nothing new since: no curation, nothing rebuilt
    code, out, doc = update(root)
    assert code == 0, out
    assert statuses(doc)["exp"] == "unchanged" and doc["curation"]["status"] == "skipped"
    assert doc["build"]["counts"] == {"built": 0, "up_to_date": 2, "failed": 0}
    assert data_bytes(root) == after


@responses.activate
def test_failed_source_keeps_its_data_and_the_others_proceed(project: Path) -> None:
    before = data_bytes(project)
    publish(exports=500, imports="partner,year,value_kusd\nCHN,2019,100\nRUS,2019,310\n")
    code, out, doc = update(project, "--no-build")
    assert code == U.EXIT_SOURCE_FAILED, out
    assert statuses(doc) == {"exp": "failed", "imp": "new", "ref": "skipped"}
    assert "download failed" in doc["sources"][0]["message"]
    assert "error: source exp failed, its previous data kept" in out
    after = data_bytes(project)
    assert after["fake_exports.csv"] == before["fake_exports.csv"]
    assert after["fake_imports.csv"] != before["fake_imports.csv"]
    assert doc["exit_meaning"].startswith("a source failed")
    assert doc["build"] is None
    assert not (project / ".raw" / "accepted" / "exp").exists()


@responses.activate
def test_new_upstream_layout_fails_curation_and_leaves_data_untouched(project: Path) -> None:
    before = data_bytes(project)
    publish(imports="Partner Name;Year;Value\nChina;2019;100\n")
    code, out, doc = update(project, "--no-build")
    assert code == U.EXIT_DATA_FAILED, out
    message = doc["curation"]["message"]
    assert doc["curation"]["status"] == "failed"
    assert "fake/raw/imports.csv" in message and "changed the layout" in message
    assert "data/ is unchanged" in message and "were not accepted" in message
    assert data_bytes(project) == before
    assert not (project / ".raw" / "accepted" / "imp").exists()
    assert not any(p.name.startswith(".data.") for p in project.iterdir())

    responses.reset()
    publish()  # the publisher fixed the file: the next run is clean
    code, out, doc = update(project, "--no-build")
    assert code == 0, out
    assert statuses(doc)["imp"] == "unchanged" and doc["curation"]["status"] == "skipped"


@responses.activate
def test_interrupted_swap_is_finished_by_the_next_run(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    publish(exports=REVISED)
    real_rename = U.os.rename

    def crash_between_renames(src: Any, dst: Any) -> None:
        if Path(src).name == ".data.staging":  # data → .data.old done, staging → data not
            assert not (project / "data").exists()
            raise KeyboardInterrupt("power cut")
        real_rename(src, dst)

    monkeypatch.setattr(U.os, "rename", crash_between_renames)
    with pytest.raises(KeyboardInterrupt):
        U.run_update(U.UpdateOptions(build=False, log=lambda _: None))
    monkeypatch.setattr(U.os, "rename", real_rename)
    assert not (project / "data").exists()
    assert (project / ".data.swap.json").exists() and (project / ".data.staging").is_dir()

    responses.reset()
    publish(exports=REVISED)
    code, out, doc = update(project, "--no-build")
    assert code == 0, out
    assert doc["recovered"] == [
        "finished an interrupted swap: .data.staging → data",
        "removed the leftover .data.old",
    ]
    assert "recovery: finished an interrupted swap" in out
    assert "CHN,2022,0.9," in (project / "data" / "fake_exports.csv").read_text()
    assert not (project / ".data.swap.json").exists()
    assert not (project / ".data.old").exists() and not (project / ".data.staging").exists()
    from kzanalysis.datasets import verify

    assert all(not problems for problems in verify().values())
    # The pulled file was not accepted before the crash; this run accepted it.
    assert statuses(doc)["exp"] == "new" and doc["curation"]["status"] == "unchanged"
    assert (project / ".raw" / "accepted" / "exp" / "manifest.json").is_file()


@responses.activate
def test_busy_build_lock_leaves_data_untouched(project: Path) -> None:
    """The update takes the project lock before anything: a running build makes it stop at
    once (exit 2, nothing pulled, data/ untouched) with --lock-timeout 0."""
    from kzanalysis.publish.lock import build_lock

    before = data_bytes(project)
    publish(exports=REVISED)
    with build_lock(project / "reports", timeout=0):
        code, out, doc = update(project, "--no-build", "--lock-timeout", "0")
    assert code == U.EXIT_USAGE, out
    assert "another build is running" in doc["error"] and "`kzanalysis build`" in doc["error"]
    assert data_bytes(project) == before and not (project / ".data.staging").exists()
    assert not [c for c in responses.calls if c.request.method == "GET"]  # nothing pulled

    responses.reset()
    publish(exports=REVISED)  # the next run, with the lock free, brings the change in
    code, out, doc = update(project, "--no-build")
    assert code == 0 and doc["curation"]["status"] == "replaced", out


@responses.activate
def test_symlinked_raw_domain_folders_are_followed_as_data_curate_does(project: Path) -> None:
    """A raw snapshot whose domain folder is a link (e.g. into a shared checkout) curates
    the same through ``update`` as through ``data curate`` (before: 'missing upstream
    file' under the update's tree)."""
    raw = project / "shared"
    elsewhere = project / "elsewhere"
    elsewhere.mkdir()
    (raw / "fake").rename(elsewhere / "fake")
    (raw / "fake").symlink_to(elsewhere / "fake", target_is_directory=True)
    result = CliRunner().invoke(app, ["data", "curate", "--raw", str(raw), "--check"])
    assert result.exit_code == 0, result.output
    publish()
    code, out, doc = update(project, "--no-build", "--recurate")
    assert code == 0, out
    assert doc["curation"]["status"] == "unchanged", doc["curation"]


def test_make_tree_follows_links_once_even_in_a_cycle(tmp_path: Path) -> None:
    raw, other = tmp_path / "raw", tmp_path / "other"
    (other / "sub").mkdir(parents=True)
    (other / "sub" / "a.csv").write_text("a\n")
    (other / "sub" / "loop").symlink_to(other, target_is_directory=True)  # a cycle
    raw.mkdir()
    (raw / "d").symlink_to(other, target_is_directory=True)
    (raw / "f.csv").symlink_to(other / "sub" / "a.csv")
    tree = U.make_tree(raw, [], tmp_path / "tree")
    files = sorted(p.relative_to(tree).as_posix() for p in tree.rglob("*") if p.is_file())
    assert files == ["d/sub/a.csv", "f.csv"]


@pytest.mark.parametrize("inside", ["data", "data/raw", "reports", "reports/.raw"])
def test_raw_workspace_inside_data_or_reports_is_refused(project: Path, inside: str) -> None:
    before = data_bytes(project)
    code, out, doc = update(project, "--no-build", "--raw-work", str(project / inside))
    assert code == U.EXIT_USAGE, out
    assert "the raw workspace would be inside" in doc["error"] and "--raw-work" in doc["error"]
    assert data_bytes(project) == before and not (project / inside / ".update.lock").exists()


def test_timeout_must_be_positive(project: Path) -> None:
    for value in ("0", "-1", "nan"):
        code, out, doc = update(project, "--no-build", "--timeout", value)
        assert code == U.EXIT_USAGE, out
        assert "give a number of seconds greater than 0" in doc["error"]


def test_interrupted_curation_leftovers_are_removed(project: Path) -> None:
    (project / ".data.staging").mkdir()
    (project / ".data.staging" / "half.csv").write_text("x")
    assert U.recover(project / "data") == ["removed the leftover .data.staging"]
    assert not (project / ".data.staging").exists() and (project / "data").is_dir()


@responses.activate
def test_same_etag_skips_the_download(project: Path) -> None:
    publish(exports=REVISED)
    responses.head(EXP_URL, headers={"ETag": '"v2"'})
    code, out, doc = update(project, "--no-build", "--source", "exp")
    assert code == 0 and statuses(doc) == {"exp": "new"}, out
    manifest = json.loads((project / ".raw/accepted/exp/manifest.json").read_text())
    assert manifest["files"][0]["etag"] == '"v2"'
    gets = sum(c.request.method == "GET" for c in responses.calls)
    code, out, doc = update(project, "--no-build", "--source", "exp")
    assert code == 0 and statuses(doc) == {"exp": "unchanged"}, out
    assert "same ETag" in doc["sources"][0]["message"]
    assert sum(c.request.method == "GET" for c in responses.calls) == gets  # no new GET


def test_usage_errors(project: Path) -> None:
    code, out, doc = update(project, "--source", "nope")
    assert code == U.EXIT_USAGE and "unknown pull source(s) nope" in out
    assert doc["exit_code"] == 2 and "unknown pull source(s) nope" in doc["error"]
    code, out, _ = update(project, "--raw", str(project / "missing"))
    assert code == U.EXIT_USAGE and "raw snapshot folder not found" in out


def test_zip_member_target_and_overlay_tree(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setitem(
        pull.SOURCES,
        "z",
        pull.PullSource(
            "zip",
            (("https://z.example.org/a.zip", "a.zip"),),
            (pull.Target("a.zip", "d/raw/data.csv", member="API_*.csv"),),
        ),
    )
    folder = tmp_path / "z"
    folder.mkdir()
    with zipfile.ZipFile(folder / "a.zip", "w") as zf:
        zf.writestr("API_X_v2_999.csv", "new\n")
        zf.writestr("Metadata_X.csv", "meta\n")
    (target,) = U.materialize("z", folder).values()
    assert target.read_text() == "new\n"
    raw = tmp_path / "raw"
    (raw / "d" / "raw").mkdir(parents=True)
    (raw / "d" / "raw" / "data.csv").write_text("old\n")
    (raw / "d" / "other.txt").write_text("kept\n")
    tree = U.make_tree(raw, [folder / "targets"], tmp_path / "tree")
    assert (tree / "d" / "raw" / "data.csv").read_text() == "new\n"
    assert (tree / "d" / "other.txt").read_text() == "kept\n"
    assert (raw / "d" / "raw" / "data.csv").read_text() == "old\n"  # snapshot untouched

    with zipfile.ZipFile(folder / "a.zip", "w") as zf:
        zf.writestr("renamed.csv", "x\n")
    with pytest.raises(pull.PullError, match="0 members matching 'API_\\*.csv'"):
        U.materialize("z", folder)


def test_build_summary_json_and_log_on_usage_error(project: Path) -> None:
    summary, log = project / "build.json", project / "build.log"
    result = CliRunner().invoke(
        app,
        ["build", "--plain", "no-SUCH", "--summary-json", str(summary), "--log-file", str(log)],
    )
    assert result.exit_code == 2
    doc = json.loads(summary.read_text())
    assert doc["exit_code"] == 2 and "unknown variant(s) no-SUCH" in doc["error"]
    assert doc["variants"] == [] and doc["exit_meaning"].startswith("usage")
    assert "error: unknown variant(s) no-SUCH" in log.read_text()


def test_cli_default_max_age_matches_the_library() -> None:
    from kzanalysis.publish import cli as build_cli
    from kzanalysis.publish.editions import DEFAULT_MAX_DATA_AGE_DAYS

    assert build_cli.DEFAULT_MAX_AGE == DEFAULT_MAX_DATA_AGE_DAYS
