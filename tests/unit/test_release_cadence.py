"""Release cadences: declared on every source, validated, and carried by the catalog."""

from __future__ import annotations

import pandas as pd
import pytest

from kzanalysis import catalog, specs
from kzanalysis.paths import data_dir
from kzanalysis.schema import NO_CADENCE, Field, Source, TableSpec


def _source(**kw) -> Source:
    base = dict(
        id="s", publisher="P", title="T", url="https://example.org", terms="t", edition="e",
        retrieved="r", raw_paths=("a.csv",),
    )  # fmt: skip
    return Source(**{**base, **kw})


def test_every_bundled_source_declares_a_cadence():
    undeclared = [
        s.id for spec in specs.all_specs() for s in spec.sources if s.release_cadence_months is None
    ]
    assert undeclared == []
    for spec in specs.all_specs():
        for s in spec.sources:
            assert s.release_note, s.id  # the reason is given in words
    # historical / archived / one-off sources are never stale for their age
    by_id = {s.id: s for spec in specs.all_specs() for s in spec.sources}
    assert by_id["imf_dots"].release_cadence_months == NO_CADENCE
    assert by_id["demoscope"].release_cadence_months == NO_CADENCE
    assert by_id["ei_sr_2026_json"].release_cadence_months == 12
    assert by_id["bp_sr_2021"].release_cadence_months == NO_CADENCE


@pytest.mark.parametrize("bad", [0, -12, True, "yearly", 1.5])
def test_bad_cadences_are_refused(bad):
    with pytest.raises(ValueError, match="release_cadence_months"):
        _source(release_cadence_months=bad)
    with pytest.raises(ValueError, match="release_lag_months"):
        _source(release_cadence_months=12, release_lag_months=-1)


def test_catalog_entry_carries_cadence_and_newest_year():
    entry = catalog.source_entry(
        _source(release_cadence_months=12, release_lag_months=6, release_note="n"), [], 2024
    )
    assert entry["release_cadence_months"] == 12 and entry["release_lag_months"] == 6
    assert entry["release_note"] == "n" and entry["newest_data_year"] == 2024
    none = catalog.source_entry(_source(release_cadence_months=NO_CADENCE), [])
    assert none["release_cadence_months"] == "none" and "release_lag_months" not in none
    assert "newest_data_year" not in none
    assert "release_cadence_months" not in catalog.source_entry(_source(), [])


def test_newest_years_by_source():
    spec = TableSpec(
        name="t", title="T", description="d", primary_key=("year", "source"), spatial="x",
        fields=(Field("year", "integer", "y"), Field("source", "string", "s")),
        sources=(),
    )  # fmt: skip
    frame = pd.DataFrame({"year": [2019, 2021, 2020, None], "source": ["a", "a", "b", "b"]})
    assert catalog.newest_years_by_source(spec, frame) == {"a": 2021, "b": 2020}
    assert catalog.newest_years_by_source(spec, frame.iloc[0:0]) == {}


def test_committed_catalog_carries_every_cadence():
    for res in catalog.load_catalog(data_dir())["resources"]:
        for src in res["sources"]:
            assert "release_cadence_months" in src, (res["name"], src["id"])
            if src["release_cadence_months"] != "none":
                assert isinstance(src.get("newest_data_year"), int), (res["name"], src["id"])
