"""The ``kzanalysis data`` commands, in-process on the fake domain."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kzanalysis.cli import app

pytestmark = pytest.mark.integration
runner = CliRunner()


def test_curate_check_verify_info(fake_domain, fake_raw: Path, tmp_path: Path, monkeypatch) -> None:
    data = tmp_path / "data"
    monkeypatch.setenv("KZANALYSIS_DATA_DIR", str(data))
    monkeypatch.setenv("KZANALYSIS_REPORTS_DIR", str(tmp_path / "reports"))  # the project lock
    result = runner.invoke(app, ["data", "curate", "--raw", str(fake_raw)])
    assert result.exit_code == 0, result.output
    assert "wrote fake_exports: 3 rows" in result.output

    result = runner.invoke(app, ["data", "curate", "--raw", str(fake_raw), "--check"])
    assert result.exit_code == 0 and "matches a fresh curation" in result.output

    result = runner.invoke(app, ["data", "verify"])
    assert result.exit_code == 0 and "ok   fake_exports" in result.output

    result = runner.invoke(app, ["data", "info", "--json"])
    assert result.exit_code == 0
    (row,) = json.loads(result.output)
    assert row["table"] == "fake_exports" and row["start_year"] == 2020
    assert row["terms"].startswith("Free to reuse")

    result = runner.invoke(app, ["data", "info"])
    assert (
        result.exit_code == 0 and "fake_exports" in result.output and "2020–2021" in result.output
    )

    (data / "fake_exports.csv").write_text("partner_iso3,year\n")
    result = runner.invoke(app, ["data", "verify"])
    assert result.exit_code == 1
    assert "FAIL fake_exports" in result.output
    result = runner.invoke(app, ["data", "curate", "--raw", str(fake_raw), "--check"])
    assert result.exit_code == 1 and "differs" in result.output


def test_curate_prints_the_curation_log(fake_domain, fake_raw: Path, tmp_path: Path) -> None:
    from tests.conftest import build_fake

    def build_with_log(raw: Path):
        frames = build_fake(raw)
        frames["fake_exports"].attrs["curation_log"] = ["row 2 (CHN, 2020): '- -5' read as -5"]
        return frames

    fake_domain.build = build_with_log
    out = ["--out", str(tmp_path / "d")]
    result = runner.invoke(app, ["data", "curate", "--raw", str(fake_raw), *out])
    assert result.exit_code == 0, result.output
    assert "log: fake_exports: row 2 (CHN, 2020): '- -5' read as -5" in result.output
    result = runner.invoke(app, ["data", "curate", "--raw", str(fake_raw), *out, "--check"])
    assert result.exit_code == 0 and "log: fake_exports: row 2" in result.output


def test_curate_bad_raw_folder_exit_code(fake_domain, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["data", "curate", "--raw", str(tmp_path / "nope"), "--out", str(tmp_path / "d")]
    )
    assert result.exit_code == 1
    assert "raw snapshot folder not found" in result.output


def test_pull_usage_errors() -> None:
    result = runner.invoke(app, ["data", "pull"])
    assert result.exit_code == 2 and "give --source" in result.output
    result = runner.invoke(app, ["data", "pull", "--list"])
    assert result.exit_code == 0 and "brent" in result.output
