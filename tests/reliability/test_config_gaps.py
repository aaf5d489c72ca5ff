"""Configuration and usage gaps of issue 18: each a clear one-line error, exit code 2.

``reports.yaml`` is read strictly (no anchors or aliases: 323 bytes of alias chain
made 70 MB reports; no duplicate keys), its numbers must be finite and its booleans
booleans, a variant's name is matched whole and its notebook stays inside
``notebooks/``; a ``-p`` override may not change whose report it is; ``data pull``
refuses a file as destination and a timeout of 0 and leaves nothing behind when it
fails; ``data curate`` removes the staging folders a killed run left; publishing
copies no symbolic links.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
import responses
import yaml
from typer.testing import CliRunner

from kzanalysis import params as P
from kzanalysis import pull
from kzanalysis.cli import app
from kzanalysis.paths import PROJECT_ROOT
from kzanalysis.publish.variants import (
    DEFAULTS,
    VariantConfigError,
    load_variants,
    resolve,
    select,
)
from tests.reliability.project import FAULT, code, make_project, notebook, project_env

#: A notebook whose identity parameter is ``country`` (not a registered chapter).
COUNTRY = notebook(code('country = "KAZ"\nstart = 2000', "parameters"), code("print(country)"))
#: The same with ``recipient`` (as the arms chapter).
RECIPIENT = notebook(code('recipient = "KAZ"', "parameters"), code("print(recipient)"))

OK = "  - {name: ok-KAZ, notebook: fault.ipynb}\n"


@pytest.fixture
def proj(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_project(
        tmp_path / "proj",
        {"fault.ipynb": FAULT, "country.ipynb": COUNTRY, "recipient.ipynb": RECIPIENT},
        [
            {"name": "cty-KAZ", "notebook": "country.ipynb", "parameters": {"country": "KAZ"}},
            {"name": "cty-KGZ", "notebook": "country.ipynb", "parameters": {"country": "KGZ"}},
            {"name": "rcp-KAZ", "notebook": "recipient.ipynb"},
            {"name": "rcp-CA5", "notebook": "recipient.ipynb", "parameters": {"recipient": "CA5"}},
        ],
    )
    for key, value in project_env(root).items():
        monkeypatch.setenv(key, value)
    return root


def write(root: Path, text: str) -> Path:
    path = root / "reports.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    assert isinstance(result.exception, SystemExit | None), repr(result.exception)
    return result.exit_code, result.output


def one_line(output: str) -> str:
    lines = output.strip().splitlines()
    assert len(lines) == 1, output
    assert lines[0].startswith("error: ") and "Traceback" not in output, output
    return lines[0]


def refused(root: Path, text: str, *expected: str) -> str:
    """``text`` as reports.yaml: load_variants, build and index all refuse it (exit 2)."""
    path = write(root, text)
    with pytest.raises(VariantConfigError) as exc:
        load_variants(path, root / "notebooks")
    message = str(exc.value)
    assert "\n" not in message, message
    for part in expected:
        assert part in message, message
    for command in (["build", "--plain"], ["index"]):
        started = time.monotonic()
        status, out = cli(*command)
        assert time.monotonic() - started < 10, "refusing took too long"
        assert status == 2, out
        assert one_line(out) == f"error: {message}"
    assert not list((root / "reports").glob("*.html")) if (root / "reports").exists() else True
    return message


# --- 2. YAML: no anchors or aliases, no duplicate keys ---------------------------------------

#: 323 bytes: a title of 10^5 × "lol…" once the aliases expand (70 MB reports before).
LAUGHS = (
    'a: &a ["lollollollollollollollollollol"]\n'
    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
    "variants:\n  - {name: ok-KAZ, notebook: fault.ipynb, title: *e}\n"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (LAUGHS, ("line 1", "anchor &a", "write the value out")),
        ("defaults: &d {cell_timeout: 30}\nvariants:\n" + OK, ("line 1", "anchor &d")),
        (
            "variants:\n  - &v {name: ok-KAZ, notebook: fault.ipynb}\n  - <<: *v\n"
            "    name: ok-UZB\n",
            ("line 2", "anchor &v"),
        ),
        ("variants:\n  - !!python/object:os.system {}\n", ("not valid YAML", "line 2")),
    ],
    ids=["alias-chain-in-title", "anchor", "merge-key", "python-tag"],
)
def test_anchors_aliases_and_tags_are_refused(proj, text, expected, tally):
    assert len(LAUGHS.encode()) < 330
    refused(proj, text, *expected)
    tally("config gaps refused", 1)


def test_an_alias_alone_is_refused_too():
    from kzanalysis.publish.variants import _Refused, strict_loader

    loader = strict_loader()
    with pytest.raises(_Refused, match="line 2: YAML alias \\*x"):
        yaml.load("a: 1\nb: *x\n", Loader=loader)  # refused before its anchor is looked up


@pytest.mark.parametrize(
    ("text", "key", "line", "first"),
    [
        ("variants:\n" + OK + "variants: []\n", "variants", 3, 1),
        (
            "defaults:\n  cell_timeout: 30\n  cell_timeout: 60\nvariants:\n" + OK,
            "cell_timeout",
            3,
            2,
        ),
        (
            "variants:\n  - name: ok-KAZ\n    notebook: fault.ipynb\n    title: A\n    title: B\n",
            "title",
            5,
            4,
        ),
        (
            "variants:\n  - name: ok-KAZ\n    notebook: fault.ipynb\n"
            "    parameters: {mode: ok, mode: hang}\n",
            "mode",
            4,
            4,
        ),
    ],
    ids=["top-level", "defaults", "variant", "parameters"],
)
def test_duplicate_keys_are_refused_with_key_and_line(proj, text, key, line, first, tally):
    refused(proj, text, f"line {line}: key {key!r} is given twice", f"first on line {first}")
    tally("config gaps refused", 1)


def test_syntax_errors_are_one_line_with_the_position(proj):
    refused(proj, "variants:\n  - {name: ok-KAZ, notebook: [\n", "not valid YAML at line 3")


# --- 5. numbers, booleans, names and notebook paths ------------------------------------------


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("cell_timeout: .inf", "cell_timeout must be a positive number of seconds"),
        ("cell_timeout: .nan", "not nan"),
        ("cell_timeout: -.inf", "cell_timeout must be a positive number"),
        ("cell_timeout: 0", "cell_timeout must be a positive number"),
        ("cell_timeout: '10'", "not '10'"),
        ("cell_timeout: true", "not True"),
        ("cell_timeout: 1.0e+300", "at most 604800"),
        ("start_timeout: .inf", "start_timeout must be a positive number"),
        ("show_code: 'false'", "show_code must be true or false (a YAML boolean, unquoted)"),
        ("show_code: 'true'", "not 'true'"),
        ("show_code: 1", "show_code must be true or false"),
        ("show_code: null", "show_code must be true or false"),
        ("max_report_mb: 0", "max_report_mb must be a positive number of megabytes"),
        ("max_report_mb: -5", "max_report_mb must be a positive number"),
        ("max_report_mb: .inf", "not inf"),
        ("max_report_mb: .nan", "not nan"),
        ("max_report_mb: '5'", "not '5'"),
        ("max_report_mb: true", "not True"),
    ],
)
@pytest.mark.parametrize("where", ["variant", "defaults"])
def test_numbers_must_be_finite_and_booleans_boolean(proj, setting, message, where, tally):
    if where == "variant":
        text = f"variants:\n  - name: ok-KAZ\n    notebook: fault.ipynb\n    {setting}\n"
    else:
        text = f"defaults:\n  {setting}\nvariants:\n" + OK
    refused(proj, text, message, "(ok-KAZ)")
    tally("config gaps refused", 1)


def test_valid_settings_and_the_max_report_mb_default(proj):
    assert DEFAULTS["max_report_mb"] == 5
    path = write(
        proj,
        "defaults: {show_code: true, max_report_mb: 12}\nvariants:\n"
        "  - {name: ok-KAZ, notebook: fault.ipynb}\n"
        "  - {name: ok-UZB, notebook: fault.ipynb, show_code: false, max_report_mb: 0.5}\n"
        "  - {name: ok-KGZ, notebook: fault.ipynb, cell_timeout: 604800}\n",
    )
    a, b, c = load_variants(path, proj / "notebooks")
    assert (a.show_code, a.max_report_mb) == (True, 12)
    assert (b.show_code, b.max_report_mb) == (False, 0.5)
    assert c.cell_timeout == 604800
    (plain,) = load_variants(write(proj, "variants:\n" + OK), proj / "notebooks")
    assert (plain.show_code, plain.max_report_mb) == (False, 5)
    committed = load_variants(PROJECT_ROOT / "reports.yaml", PROJECT_ROOT / "notebooks")
    project = {v.name: v for v in committed}
    assert project["trade-KAZ"].max_report_mb == 5
    doc = yaml.safe_load((PROJECT_ROOT / "reports.yaml").read_text())
    assert doc["defaults"]["max_report_mb"] == 5


@pytest.mark.parametrize(
    "name",
    ["ok-KAZ\n", "ok-KAZ\n.html", " ok-KAZ", "ok-KAZ ", "ok/KAZ", "../ok-KAZ", "ok-KAZ\0", "o-kaz"],
)
def test_names_are_matched_whole(proj, name, tally):
    text = "variants:\n" + f"  - name: {json.dumps(name)}\n    notebook: fault.ipynb\n"
    refused(proj, text, "must look like <chapter>-<ISO3 or group>")
    assert not list(proj.rglob("ok-KAZ*")), "a file was written for a refused name"
    tally("config gaps refused", 1)


def test_notebooks_outside_notebooks_are_refused(proj, tmp_path, tally):
    outside = tmp_path / "outside.ipynb"
    shutil.copy(proj / "notebooks" / "fault.ipynb", outside)
    (proj / "notebooks" / "link.ipynb").symlink_to(outside)
    (proj / "notebooks" / "sub").mkdir()
    shutil.copy(outside, proj / "notebooks" / "sub" / "inner.ipynb")
    for ref in ("../../outside.ipynb", str(outside), "sub/../../../outside.ipynb", "link.ipynb"):
        text = "variants:\n" + f"  - name: ok-KAZ\n    notebook: {json.dumps(ref)}\n"
        refused(proj, text, "is outside the notebooks folder", "keep report notebooks there")
    path = write(proj, "variants:\n  - {name: ok-KAZ, notebook: sub/inner.ipynb}\n")
    (variant,) = load_variants(path, proj / "notebooks")  # a subfolder is inside: fine
    assert variant.notebook == (proj / "notebooks" / "sub" / "inner.ipynb").resolve()
    tally("config gaps refused", 4)


# --- 3. published names stay true: -p may not change a variant's country or group -------------


def test_overriding_the_identity_parameter_is_refused_with_the_variant_to_build(proj, tally):
    status, out = cli("build", "--plain", "cty-KAZ", "-p", "country=KGZ")
    assert status == 2, out
    line = one_line(out)
    assert "-p country=KGZ is refused: cty-KAZ is Kazakhstan's report (country=KAZ)" in line
    assert "build cty-KGZ instead" in line
    status, out = cli("build", "--plain", "rcp-KAZ", "-p", "recipient=CA5")  # default KAZ
    assert status == 2 and "build rcp-CA5 instead" in one_line(out), out
    status, out = cli("build", "--plain", "cty-KAZ", "-p", "country=TJK")
    line = one_line(out)
    assert status == 2 and "no variant of country.ipynb has country=TJK" in line, out
    assert "add one to reports.yaml" in line and "name: cty-TJK" in line
    assert not (proj / "reports" / "cty-KAZ.html").exists()
    # the same value, or another parameter, is fine (validated only: no kernel here)
    variants = load_variants()
    (kaz,) = select(variants, ["cty-KAZ"])
    assert resolve(kaz, ["country=KAZ", "start=2005"]).parameters == {
        "country": "KAZ",
        "start": 2005,
    }
    tally("config gaps refused", 3)


@pytest.mark.parametrize(
    ("name", "override", "instead"),
    [
        ("trade-KAZ", "country=KGZ", "build trade-KGZ instead"),
        ("arms-KAZ", "recipient=CA5", "build arms-CA5 instead"),
        ("synthesis-UZB", "country=KAZ", "build synthesis-KAZ instead"),
        ("overview-KAZ", "country=UZB", "add one to reports.yaml"),
    ],
)
def test_registered_chapters_use_their_identity(name, override, instead, monkeypatch):
    monkeypatch.delenv("KZANALYSIS_REPORTS_CONFIG", raising=False)
    committed = load_variants(PROJECT_ROOT / "reports.yaml", PROJECT_ROOT / "notebooks")
    (variant,) = select(committed, [name])
    with pytest.raises(P.ParameterError) as exc:
        resolve(variant, [override])
    assert instead in str(exc.value) and f"{name} is " in str(exc.value)
    same = override.split("=")[0] + "=" + name.split("-")[1]
    assert resolve(variant, [same]).parameters == resolve(variant).parameters


# --- 5. data pull: destination, timeout, no leftovers -----------------------------------------

URL = "https://files.example.org/t.csv"


@pytest.fixture
def source(monkeypatch, tmp_path):
    monkeypatch.setitem(pull.SOURCES, "t", pull.PullSource("test", ((URL, "t.csv"),)))
    monkeypatch.setenv("KZANALYSIS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KZANALYSIS_REPORTS_DIR", str(tmp_path / "reports"))
    (tmp_path / "reports").mkdir()
    return "t"


@pytest.mark.parametrize(
    ("dest", "timeout", "message"),
    [
        ("FILE", "60", "is a file, not a folder"),
        ("new", "0", "--timeout 0: give a number of seconds greater than 0"),
        ("new", "-1", "--timeout -1: give a number of seconds greater than 0"),
        ("new", "nan", "--timeout nan"),
        ("new", "inf", "--timeout inf"),
        ("reports", "60", "inside the published reports folder"),
        ("reports/raw", "60", "inside the published reports folder"),
        ("data", "60", "inside the curated data folder"),
    ],
)
def test_pull_usage_errors_exit_2_in_one_line_and_create_nothing(
    source, tmp_path, dest, timeout, message, tally
):
    (tmp_path / "FILE").write_text("a file")
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.get(URL, body=b"x\n")
        status, out = cli(
            "data", "pull", "--source", source, "--dest", str(tmp_path / dest), "--timeout", timeout
        )
    assert status == 2, out
    assert message in one_line(out)
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before
    tally("config gaps refused", 1)


def test_a_failed_pull_removes_the_folders_it_created(source, tmp_path, tally):
    dest = tmp_path / "new" / "deeper"
    with responses.RequestsMock() as mock:
        mock.get(URL, body=requests.exceptions.ConnectionError("no route"))
        status, out = cli("data", "pull", "--source", source, "--dest", str(dest))
    assert status == 1 and "download failed" in out, out
    assert not (tmp_path / "new").exists()
    (tmp_path / "kept").mkdir()  # a folder that was there stays, empty or not
    with responses.RequestsMock() as mock:
        mock.get(URL, status=503)
        status, _ = cli("data", "pull", "--source", source, "--dest", str(tmp_path / "kept"))
    assert status == 1 and sorted(os.listdir(tmp_path / "kept")) == []
    with responses.RequestsMock() as mock:
        mock.get(URL, body=b"x\n")
        status, out = cli("data", "pull", "--source", source, "--dest", str(dest))
    assert status == 0 and (dest / source / "t.csv").read_bytes() == b"x\n", out
    tally("pull faults survived", 2)


# --- 5. curate staging folders ------------------------------------------------------------


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_stale_curate_staging_folders_are_removed_and_ignored(
    fake_domain, fake_raw, tmp_path, monkeypatch, tally
):
    monkeypatch.setenv("KZANALYSIS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KZANALYSIS_REPORTS_DIR", str(tmp_path / "reports"))
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        folders = {
            "dead": tmp_path / f".curate-{dead_pid()}-abc123",  # a killed run's
            "legacy": tmp_path / ".curate-k2j3h4g5",  # an earlier version's name
            "live": tmp_path / f".curate-{live.pid}-abc123",  # another run, still going
        }
        for folder in folders.values():
            folder.mkdir()
            (folder / "half.csv").write_text("x")
        status, out = cli("data", "curate", "--raw", str(fake_raw))
        assert status == 0, out
        assert not folders["dead"].exists() and not folders["legacy"].exists()
        assert folders["live"].exists()
        assert [p.name for p in tmp_path.glob(".curate-*")] == [folders["live"].name]
    finally:
        live.kill()
        live.wait()
    ignored = subprocess.run(
        ["git", "-C", str(PROJECT_ROOT), "check-ignore", "-q", f".curate-{os.getpid()}-x1y2/"],
        check=False,
    )
    assert ignored.returncode == 0, ".curate-* staging folders are not in .gitignore"
    tally("interrupted runs cleaned up", 2)


# --- 6. publishing copies no links ------------------------------------------------------------


def rsync_lines() -> list[str]:
    text = (PROJECT_ROOT / "deploy" / "cron.example").read_text()
    return [line for line in text.splitlines() if "rsync" in line and not line.startswith("#")]


def test_the_publish_example_neither_follows_nor_copies_links():
    lines = rsync_lines()
    assert lines, "deploy/cron.example shows no publish line"
    for line in lines:
        options = re.findall(r"rsync\s+(.*?)\s+reports/", line)[0].split()
        short = [o for o in options if re.fullmatch(r"-[a-zA-Z]+", o)]
        assert not [o for o in short if set(o) & set("alL")], options  # -a implies -l
        assert "--no-links" in options and "--safe-links" in options
        assert "--copy-links" not in options and "--links" not in options
        assert "flock" in line and "reports/.lock" in line  # waits for a running build
    assert not [line for line in lines if "rsync -a" in line]


@pytest.mark.skipif(shutil.which("rsync") is None, reason="rsync is not installed")
def test_the_publish_rsync_copies_files_but_no_links(tmp_path, tally):
    reports, www, secret = tmp_path / "reports", tmp_path / "www", tmp_path / "secret"
    reports.mkdir()
    www.mkdir()
    secret.mkdir()
    (secret / "key.txt").write_text("private")
    (reports / "ok-KAZ.html").write_text("<html></html>")
    (reports / ".build").mkdir()
    (reports / "leak.html").symlink_to(secret / "key.txt")
    (reports / "dir").symlink_to(secret)
    options = shlex.split(re.findall(r"rsync\s+(.*?)\s+reports/", rsync_lines()[0])[0])
    subprocess.run(["rsync", *options, f"{reports}/", f"{www}/"], check=True, capture_output=True)
    assert sorted(p.name for p in www.rglob("*")) == ["ok-KAZ.html"]
    tally("links kept out of the published copy", 2)
