"""``diff_tables`` and the data-change page, on hand-made frames."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from kzanalysis.datachanges import diff_tables, render_changes_html
from kzanalysis.publish.editions import edition_date, stale_editions, variant_editions, with_ages
from kzanalysis.schema import Field, Source, TableSpec

SRC = Source("sipri", "SIPRI", "Arms transfers", "https://example.org", "credit", "v1", "test", ())
SPEC = TableSpec(
    name="deliveries",
    title="Deliveries",
    description="Per recipient and year.",
    fields=(
        Field("recipient_iso3", "string", "Recipient"),
        Field("year", "integer", "Year", unit="calendar year"),
        Field("tiv_mn", "number", "TIV", unit="TIV millions", nullable=True),
        Field("note", "string", "Note", nullable=True),
        Field("source", "string", "Source"),
    ),
    primary_key=("recipient_iso3", "year"),
    sources=(SRC,),
    spatial="Central Asia",
)


def frame(rows: list[tuple]) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=SPEC.field_names)
    return out.astype({"year": "int64", "tiv_mn": "float64"})


OLD = frame(
    [
        ("KAZ", 2020, 100.0, None, "sipri"),
        ("KAZ", 2021, 50.0, None, "sipri"),
        ("UZB", 2020, 10.0, "x", "sipri"),
        ("UZB", 2021, 0.0, None, "sipri"),
        ("TJK", 2021, 5.0, None, "sipri"),
    ]
)


def test_identical_tables_have_no_change():
    diff = diff_tables(OLD, OLD.iloc[::-1].copy(), SPEC)
    assert not diff.changed
    assert diff.summary() == "deliveries: no change"


def test_added_removed_revised_and_new_years():
    new = frame(
        [
            ("KAZ", 2020, 100.4, None, "sipri"),  # +0.4%: below the 1% threshold
            ("KAZ", 2021, 65.0, None, "sipri"),  # +30%: SIPRI revised KAZ 2021
            ("UZB", 2020, 10.0, "y", "sipri"),  # text change only
            ("UZB", 2021, 3.0, None, "sipri"),  # from zero: no percentage, still listed
            ("KAZ", 2022, 7.0, None, "sipri"),  # added, new year
        ]
    )
    diff = diff_tables(OLD, new, SPEC, threshold_pct=1.0)
    assert (diff.rows_old, diff.rows_new, diff.added, diff.removed) == (5, 5, 1, 1)
    assert diff.added_examples == [
        {"recipient_iso3": "KAZ", "year": 2022, "tiv_mn": 7.0, "note": None, "source": "sipri"}
    ]
    assert diff.removed_examples[0]["recipient_iso3"] == "TJK"
    assert diff.revised == 2 and diff.small_revisions == 1 and diff.text_changes == 1
    from_zero, kaz = diff.revisions  # no percentage (from zero) counts as the largest change
    assert from_zero.key == {"recipient_iso3": "UZB", "year": 2021} and from_zero.change_pct is None
    assert kaz.key == {"recipient_iso3": "KAZ", "year": 2021}
    assert (kaz.column, kaz.old, kaz.new, kaz.change_pct) == ("tiv_mn", 50.0, 65.0, 30.0)
    assert diff.new_years == [2022] and diff.dropped_years == []
    summary = diff.summary()
    assert "1 row added" in summary and "2 values revised by more than 1%" in summary
    assert "new years 2022" in summary
    json.dumps(diff.to_dict())  # JSON-ready: no numpy scalars


def test_threshold_and_top_limit():
    new = OLD.copy()
    new["tiv_mn"] = new["tiv_mn"] * 1.05
    assert diff_tables(OLD, new, SPEC, threshold_pct=10).revised == 0
    diff = diff_tables(OLD, new, SPEC, threshold_pct=1, top=2)
    assert diff.revised == 4 and len(diff.revisions) == 2  # UZB 2021 stays 0.0
    assert all(r.change_pct == pytest.approx(5.0) for r in diff.revisions)


def test_value_blanked_counts_as_revision_and_dropped_year():
    new = OLD[OLD["year"] == 2021].copy()
    new.loc[new["recipient_iso3"] == "KAZ", "tiv_mn"] = float("nan")
    diff = diff_tables(OLD, new, SPEC)
    assert diff.removed == 2 and diff.dropped_years == [2020]
    (rev,) = diff.revisions
    assert rev.old == 50.0 and rev.new is None


def test_new_table_is_all_added():
    diff = diff_tables(pd.DataFrame(), OLD, SPEC)
    assert diff.added == 5 and diff.rows_old == 0 and diff.new_years == [2020, 2021]


def test_html_escapes_everything():
    new = OLD.copy()
    new.loc[0, "recipient_iso3"] = "<script>alert(1)</script>"
    diff = diff_tables(OLD, new, SPEC)
    page = render_changes_html([diff], "2026-01-01 <now>", ["src&<b>"])
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "src&amp;&lt;b&gt;" in page and "2026-01-01 &lt;now&gt;" in page
    assert "Rows added" in page and "deliveries" in page
    assert "No curated table changed" in render_changes_html([], "now")


def test_edition_dates_and_ages():
    assert str(edition_date("WDI, Last Updated Date 2025-03-24")) == "2025-03-24"
    assert str(edition_date("2023 workbook published 25.07.2024")) == "2024-07-25"
    assert str(edition_date("Survey of Feb 2020, reported 6 May 2020")) == "2020-05-06"
    assert str(edition_date("2026 edition (data to 2025)")) == "2026-07-01"
    assert str(edition_date("Press releases 2017-2025")) == "2025-07-01"
    assert edition_date("HS 2012 ('H4')") is None and edition_date("v7") is None
    resources = [
        {"name": "a", "sources": [{"id": "x", "publisher": "P", "edition": "2020-01-01"}]},
        {"name": "b", "sources": [{"id": "y", "publisher": "Q", "edition": "v7"}]},
    ]
    eds = with_ages(variant_editions(resources), edition_date("2021-03-01"))
    assert [(e["dataset"], e["age_days"]) for e in eds] == [("a", 425), ("b", None)]
    assert [e["dataset"] for e in stale_editions(eds, 400)] == ["a"]
    assert stale_editions(eds, 500) == []
