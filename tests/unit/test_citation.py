"""CITATION.cff (CFF 1.2) and the citations the report pages and the index show."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest

from kzanalysis import citation

ROOT = Path(__file__).resolve().parents[2]


def test_citation_cff_has_what_cff_1_2_requires_and_matches_the_package():
    data = citation.cff()
    assert data["cff-version"] == "1.2.0"
    assert data["message"].strip() and data["title"].strip()
    assert data["type"] == "software"
    assert data["authors"] and all("name" in a or "family-names" in a for a in data["authors"])
    dt.date.fromisoformat(str(data["date-released"]))
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert str(data["version"]) == project["version"]
    assert data["license"] == project["license"] == "MIT"
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")
    ref = citation.thesis()
    assert ref["authors"][0]["family-names"] == "Mosher" and ref["year"] == 2022
    assert ref["institution"]["name"] == "Washington and Lee University"


def test_report_citation_names_report_variant_commit_build_date_and_thesis():
    cite = citation.report_citation(
        "Chapter 2 — Energy exports", "energy-KAZ", "abc1234", "2026-12-07 06:00:00 UTC"
    )
    assert cite.text.startswith("kzanalysis contributors (2026). Chapter 2 — Energy exports")
    for part in ("energy-KAZ", "commit abc1234", "built 2026-12-07", "Mosher (2022)"):
        assert part in cite.text and part in cite.bibtex.replace("\\", "")
    assert cite.bibtex.startswith("@techreport{kzanalysisenergyKAZ2026,")
    assert "author = {{kzanalysis contributors}}" in cite.bibtex
    assert cite.bibtex.count("{") == cite.bibtex.count("}")


def test_project_citation_is_software_with_version():
    cite = citation.project_citation()
    assert "(version 0.1.0)" in cite.text
    assert cite.bibtex.startswith("@software{") and "version = {0.1.0}" in cite.bibtex


def test_bibtex_special_characters_are_escaped():
    cite = citation.report_citation("Trade & 50% of_it", "x-KAZ", "c", "2026-01-01 00:00:00 UTC")
    assert r"title = {Trade \& 50\% of\_it}" in cite.bibtex


def test_a_broken_citation_file_is_named_with_the_fix(tmp_path):
    bad = tmp_path / "CITATION.cff"
    bad.write_text("cff-version: 1.2.0\ntitle: x\n")
    with pytest.raises(citation.CitationError, match="'version' is missing"):
        citation.cff(bad)
    with pytest.raises(citation.CitationError, match="restore CITATION.cff"):
        citation.cff(tmp_path / "absent.cff")
