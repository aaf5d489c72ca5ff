"""The catalog meets its standard: data/datapackage.json is a valid Frictionless Data Package."""

from __future__ import annotations

import json
import re

import pytest

from kzanalysis import catalog
from kzanalysis.specs import all_specs
from tests.conftest import FAKE_SOURCE, PROJECT_ROOT

DATA = PROJECT_ROOT / "data"
DOC = json.loads((DATA / catalog.CATALOG_NAME).read_text(encoding="utf-8"))
#: Words of how the snapshots were gathered, which have no place in a source's description.
GATHERING_WORDS = re.compile(r"session|scout|brief", re.IGNORECASE)
#: A standard licence id (SPDX / Open Definition style, as the Data Package profile allows).
LICENSE_ID = re.compile(r"^[-a-zA-Z0-9._]+$")


def _licenses(doc: dict) -> list[tuple[str, dict]]:
    """Every ``licenses`` item of the package and its resources, with where it is."""
    items = [("package", lic) for lic in doc.get("licenses", [])]
    for res in doc["resources"]:
        items += [(res["name"], lic) for lic in res.get("licenses", [])]
    return items


@pytest.mark.integration
def test_committed_catalog_validates_with_frictionless() -> None:
    import frictionless  # a dev dependency (pyproject.toml [dev], requirements.lock)

    report = frictionless.validate(str(DATA / catalog.CATALOG_NAME))
    errors = [f"{e.type}: {e.message}" for e in report.errors]
    errors += [f"{t.name}: {e.type}: {e.message}" for t in report.tasks for e in t.errors]
    assert report.valid, "frictionless validate data/datapackage.json:\n" + "\n".join(errors[:20])
    assert len(report.tasks) == len(DOC["resources"])  # every table's rows were checked


def test_every_license_entry_has_a_name_or_a_path() -> None:
    items = _licenses(DOC)
    assert items
    for where, lic in items:
        assert lic.get("name") or lic.get("path"), f"{where}: licence {lic} has no name or path"
        assert "name" not in lic or LICENSE_ID.match(lic["name"]), f"{where}: {lic['name']!r}"
        assert "path" not in lic or lic["path"].startswith(("https://", "http://")), where
        assert lic.get("title"), f"{where}: licence without the terms in words"


def test_every_source_declares_its_licence_and_the_catalog_carries_it() -> None:
    for spec in all_specs():
        entries = [catalog.license_entry(s) for s in spec.sources]
        res = next(r for r in DOC["resources"] if r["name"] == spec.name)
        assert res["licenses"] == entries, f"{spec.name}: catalog is stale; re-run curation"
        for source, entry in zip(spec.sources, entries, strict=True):
            assert entry["path"] == (source.terms_url or source.url)
            assert entry.get("name") == source.license_id and entry["title"] == source.terms


def test_license_entry_without_terms_url_points_at_the_publisher_page() -> None:
    assert catalog.license_entry(FAKE_SOURCE) == {
        "path": FAKE_SOURCE.url,
        "title": FAKE_SOURCE.terms,
    }


def test_no_source_or_terms_text_describes_the_snapshot_gathering() -> None:
    texts = [DOC.get("description", "")]
    for res in DOC["resources"]:
        texts += [res.get("description", ""), *res.get("caveats", [])]
        texts += [f.get("description", "") for f in res["schema"]["fields"]]
        for src in res["sources"]:
            texts += [src["title"], src["terms"], src["retrieved"], src["edition"]]
        texts += [lic.get("title", "") for lic in res.get("licenses", [])]
    hits = sorted({t for t in texts if GATHERING_WORDS.search(t)})
    assert hits == [], "texts that describe how the snapshots were gathered: " + " | ".join(hits)
