"""The stale-data rule: superseded editions and data years older than a release cadence."""

from __future__ import annotations

from datetime import date

import pytest

from kzanalysis import chapters
from kzanalysis.catalog import load_catalog
from kzanalysis.paths import data_dir
from kzanalysis.publish.editions import (
    release_due,
    stale_reasons,
    variant_editions,
)
from kzanalysis.publish.summary import variant_entry


def catalog(edition="2026 edition", cadence=12, lag=6, newest=2025, **more):
    src = {"id": "src", "publisher": "Pub", "edition": edition, "newest_data_year": newest}
    if cadence is not None:
        src["release_cadence_months"] = cadence
    if isinstance(cadence, int):
        src["release_lag_months"] = lag
    return [{"name": "table", "sources": [{**src, **more}]}]


def used(edition="2026 edition", when="2026-07-01"):
    return [
        {"dataset": "table", "source": "src", "publisher": "Pub", "edition": edition,
         "edition_date": when}
    ]  # fmt: skip


BUILT = date(2026, 12, 7)


def test_release_due_is_the_month_end_after_cadence_and_lag():
    assert release_due(2023, 12, 7) == date(2025, 7, 31)
    assert release_due(2025, 12, 6) == date(2027, 6, 30)
    assert release_due(2024, 12, 3) == date(2026, 3, 31)
    assert release_due(2020, 1, 0) == date(2021, 1, 31)
    assert release_due(2021, 60, 12) == date(2027, 12, 31)  # a census every five years


def test_current_data_are_not_flagged():
    assert stale_reasons(used(), catalog(), BUILT) == []
    # the day before the due date: still current; the day after: overdue
    assert stale_reasons(used(), catalog(newest=2024), date(2026, 6, 30)) == []
    (why,) = stale_reasons(used(), catalog(newest=2024), date(2026, 7, 1))
    assert why == "Pub: data end in 2024; a release with later data was due by 30 June 2026"


def test_data_year_too_old_for_the_cadence_is_flagged():
    (why,) = stale_reasons(used(), catalog(newest=2023, lag=7), BUILT)
    assert "data end in 2023" in why and "31 July 2025" in why


def test_superseded_edition_is_flagged():
    (why,) = stale_reasons(used(edition="2025 edition"), catalog(), BUILT)
    assert why == "Pub: built on the edition “2025 edition”; the data now hold “2026 edition”"
    # a source the table no longer lists, and a table the data no longer hold
    gone = [{"name": "table", "sources": []}]
    assert "a newer source" in stale_reasons(used(), gone, BUILT)[0]
    assert "no longer hold" in stale_reasons(used(), [{"name": "x"}], BUILT)[0]


def test_no_cadence_is_never_stale_for_age():
    old = catalog(edition="1999 census", cadence="none", newest=1999)
    assert stale_reasons(used(edition="1999 census", when="1999-07-01"), old, BUILT) == []


def test_undeclared_cadence_falls_back_to_the_edition_age():
    undeclared = catalog(cadence=None)
    assert stale_reasons(used(when="2026-07-01"), undeclared, BUILT, 400) == []
    (why,) = stale_reasons(used(when="2020-07-01"), undeclared, BUILT, 400)
    assert "no release cadence declared" in why and "400 days" in why


def test_newest_year_is_the_sources_latest_over_all_its_tables():
    newer = {**catalog()[0]["sources"][0], "newest_data_year": 2025}
    resources = [*catalog(newest=2020), {"name": "other", "sources": [newer]}]
    assert stale_reasons(used(), resources, BUILT) == []


def test_summary_entry_carries_flag_and_reasons():
    entry = {"name": "a-KAZ", "built_at": "2026-12-07 06:00:00 UTC", "data_editions": used()}
    assert variant_entry(entry, 400, catalog())["stale_data"] is False
    stale = variant_entry(entry, 400, catalog(newest=2022))
    assert stale["stale_data"] is True and len(stale["stale_reasons"]) == 1


@pytest.fixture(scope="module")
def real_resources():
    return load_catalog(data_dir())["resources"]


def test_real_catalog_does_not_flag_every_report(real_resources):
    """Each chapter's declared tables, as a build on the day the rule was written records
    them: some chapters are flagged (newer data were due), not all of them."""
    flagged = {}
    for chapter in chapters.chapters():
        tables = set(chapter.tables or [r["name"] for r in real_resources])
        editions = variant_editions(r for r in real_resources if r["name"] in tables)
        flagged[chapter.name] = stale_reasons(editions, real_resources, BUILT)
    assert any(flagged.values()), flagged
    assert not all(flagged.values()), flagged
    assert flagged["energy"] == [] and flagged["polls"] == []
    # the Bureau of National Statistics' trade data end in 2023: 2024 was due in 2025
    assert any("Bureau of National Statistics" in r for r in flagged["trade"])


def test_one_publisher_with_two_overdue_datasets_names_each():
    src = {"publisher": "SIPRI", "release_cadence_months": 12, "release_lag_months": 3}
    resources = [
        {"name": "a", "sources": [{**src, "id": "x", "edition": "e1", "newest_data_year": 2024,
                                   "title": "Register (DOI 1)"}]},
        {"name": "b", "sources": [{**src, "id": "y", "edition": "e2", "newest_data_year": 2023,
                                   "title": "TIV table, imports (DOI 2)"}]},
    ]  # fmt: skip
    editions = [
        {"dataset": "a", "source": "x", "publisher": "SIPRI", "edition": "e1"},
        {"dataset": "b", "source": "y", "publisher": "SIPRI", "edition": "e2"},
    ]
    assert stale_reasons(editions, resources, BUILT) == [
        "SIPRI, Register: data end in 2024; a release with later data was due by 31 March 2026",
        "SIPRI, TIV table, imports: data end in 2023; a release with later data was due by "
        "31 March 2025",
    ]
    assert stale_reasons(editions[:1], resources, BUILT)[0].startswith("SIPRI: data end in 2024")
