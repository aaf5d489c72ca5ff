"""Curation orchestrator, catalog and loaders, on a fake domain with a synthetic raw file."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from kzanalysis import catalog, datasets
from kzanalysis.curate.run import curate
from kzanalysis.errors import DataIntegrityError, RawDataError
from kzanalysis.hashing import sha256_file


def test_curate_writes_sorted_table_and_catalog(curated: Path) -> None:
    text = (curated / "fake_exports.csv").read_text()
    assert text == (
        "partner_iso3,year,value_usd_mn,note,source\n"
        "CHN,2020,2.0005,,fake_stats\n"
        "CHN,2021,2.5,,fake_stats\n"
        "RUS,2021,1.5,,fake_stats\n"
    )
    doc = json.loads((curated / "datapackage.json").read_text())
    (res,) = doc["resources"]
    assert res["name"] == "fake_exports"
    assert res["rows"] == 3
    assert res["hash"] == "sha256:" + sha256_file(curated / "fake_exports.csv")
    assert res["bytes"] == (curated / "fake_exports.csv").stat().st_size
    assert res["temporal"] == {"start": 2020, "end": 2021}
    assert res["schema"]["primaryKey"] == ["partner_iso3", "year"]
    fields = {f["name"]: f for f in res["schema"]["fields"]}
    assert fields["value_usd_mn"]["unit"] == "million US dollars"
    assert fields["note"]["constraints"]["required"] is False
    (src,) = res["sources"]
    assert src["publisher"] == "Fake Statistics Office"
    assert src["terms"].startswith("Free to reuse")
    assert src["raw_files"][0]["path"] == "fake/raw/exports.csv"
    assert len(src["raw_files"][0]["sha256"]) == 64


def test_recuration_is_byte_identical(curated: Path, fake_raw: Path) -> None:
    before = {p.name: p.read_bytes() for p in curated.iterdir()}
    curate(fake_raw, curated)
    after = {p.name: p.read_bytes() for p in curated.iterdir()}
    assert before == after


def test_check_mode_reports_differences_without_writing(curated: Path, fake_raw: Path) -> None:
    assert curate(fake_raw, curated, check=True).differences == []
    table = curated / "fake_exports.csv"
    table.write_text(table.read_text().replace("2.5", "2.6"))
    tampered = table.read_bytes()
    diffs = curate(fake_raw, curated, check=True).differences
    assert diffs == ["data/fake_exports.csv differs from what curation produces"]
    assert table.read_bytes() == tampered  # check mode never writes


def test_check_mode_reports_stray_and_missing_files(curated: Path, fake_raw: Path) -> None:
    (curated / "stray.csv").write_text("a\n1\n")
    (curated / "fake_exports.csv").unlink()
    diffs = curate(fake_raw, curated, check=True).differences
    assert "data/fake_exports.csv is missing (curation produces it)" in diffs
    assert "data/stray.csv is not produced by curation" in diffs


def test_missing_raw_file_names_file_and_fix(fake_domain, tmp_path: Path) -> None:
    (tmp_path / "raw").mkdir()
    with pytest.raises(RawDataError, match=r"fake/raw/exports\.csv.*Fix: pass --raw"):
        curate(tmp_path / "raw", tmp_path / "data")
    assert not (tmp_path / "data" / "datapackage.json").exists()


def test_missing_raw_folder(fake_domain, tmp_path: Path) -> None:
    with pytest.raises(RawDataError, match="raw snapshot folder not found"):
        curate(tmp_path / "nope", tmp_path / "data")


def test_failed_curation_keeps_previous_data(curated: Path, fake_raw: Path) -> None:
    before = {p.name: p.read_bytes() for p in curated.iterdir()}
    (fake_raw / "fake" / "raw" / "exports.csv").write_text(
        "partner,year,value_kusd\nUSA,2021,1\n"  # USA is not allowed by the enum
    )
    with pytest.raises(DataIntegrityError, match="partner_iso3"):
        curate(fake_raw, curated)
    assert {p.name: p.read_bytes() for p in curated.iterdir()} == before


def test_loader_returns_typed_validated_copy_with_provenance(curated: Path) -> None:
    frame = datasets.load("fake_exports")
    assert list(frame.columns) == ["partner_iso3", "year", "value_usd_mn", "note", "source"]
    assert frame["year"].dtype == "int64"
    assert frame["value_usd_mn"].sum() == pytest.approx(6.0005)
    assert frame["note"].isna().all()
    prov = frame.attrs["provenance"]
    assert prov["table"] == "fake_exports"
    assert prov["sources"][0]["publisher"] == "Fake Statistics Office"
    frame.loc[0, "value_usd_mn"] = 999.0  # callers may modify their copy ...
    assert datasets.load("fake_exports")["value_usd_mn"].max() == 2.5  # ... not the cache


def test_loader_unknown_table_lists_valid_ones(curated: Path) -> None:
    with pytest.raises(DataIntegrityError, match="unknown table 'nope'.*fake_exports"):
        datasets.load("nope")


def test_loader_refuses_changed_file(curated: Path) -> None:
    path = curated / "fake_exports.csv"
    data = bytearray(path.read_bytes())
    data[-3] ^= 0x01  # flip one bit in the last row
    path.write_bytes(bytes(data))
    with pytest.raises(DataIntegrityError, match=r"fake_exports.*checksum mismatch.*Fix"):
        datasets.load("fake_exports")


def test_verify_names_corrupted_file(curated: Path) -> None:
    assert datasets.verify() == {"fake_exports": []}
    path = curated / "fake_exports.csv"
    data = bytearray(path.read_bytes())
    data[40] = ord("#")
    path.write_bytes(bytes(data))
    problems = datasets.verify()["fake_exports"]
    assert problems and "fake_exports.csv checksum mismatch" in problems[0]


def test_verify_reports_schema_violation_with_column(curated: Path) -> None:
    path = curated / "fake_exports.csv"
    path.write_text(path.read_text().replace("RUS,2021,1.5", "RUS,2021,-1.5"))
    doc = json.loads((curated / "datapackage.json").read_text())
    doc["resources"][0]["hash"] = "sha256:" + sha256_file(path)  # a consistent but invalid file
    doc["resources"][0]["bytes"] = path.stat().st_size
    (curated / "datapackage.json").write_text(json.dumps(doc))
    (problem,) = datasets.verify()["fake_exports"]
    assert "column 'value_usd_mn' failed greater_than_or_equal_to(0)" in problem
    assert "-1.5" in problem


def test_verify_reports_missing_file_and_header_change(curated: Path) -> None:
    path = curated / "fake_exports.csv"
    path.unlink()
    assert "is missing" in datasets.verify()["fake_exports"][0]


def test_read_table_csv_rejects_renamed_column(tmp_path: Path) -> None:
    from tests.conftest import FAKE_SPEC

    path = tmp_path / "t.csv"
    path.write_text("partner,year,value_usd_mn,note,source\nCHN,2020,1,,fake_stats\n")
    with pytest.raises(DataIntegrityError, match=r"missing \['partner_iso3'\]"):
        datasets.read_table_csv(path, FAKE_SPEC)


def test_catalog_missing_and_invalid(tmp_path: Path) -> None:
    with pytest.raises(DataIntegrityError, match="catalog not found.*kzanalysis data curate"):
        catalog.load_catalog(tmp_path)
    (tmp_path / "datapackage.json").write_text("{not json")
    with pytest.raises(DataIntegrityError, match="not valid JSON"):
        catalog.load_catalog(tmp_path)


def test_catalog_table_summary(curated: Path) -> None:
    table = catalog.catalog_table()
    assert table.to_dict("records") == [
        {
            "table": "fake_exports",
            "title": "Fake exports",
            "rows": 3,
            "start_year": 2020,
            "end_year": 2021,
            "publishers": "Fake Statistics Office",
            "editions": "2026-01-01",
            "terms": "Free to reuse with credit (synthetic test data)",
        }
    ]
    assert isinstance(table, pd.DataFrame)


def test_every_table_has_a_named_loader() -> None:
    from kzanalysis.specs import all_specs

    for spec in all_specs():
        loader = getattr(datasets, f"load_{spec.name}")
        assert loader.__doc__ and spec.name in loader.__doc__
