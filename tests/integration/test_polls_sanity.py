"""Polls curation on the real shared snapshot, checked against figures in polls/PROVENANCE.md.

Every expected value below is quoted in ``polls/PROVENANCE.md`` (files table, series notes,
"Checking the thesis figures"). The toplines and indicators are hand transcriptions and the
UIS files are byte-for-byte copies, so the curated values must reproduce the quoted figures
exactly: tolerance 0 for counts and whole-number shares, 1e-9 for float representation.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from kzanalysis.curate import polls
from kzanalysis.curate.run import tidy
from kzanalysis.hashing import sha256_file
from kzanalysis.schema import pandera_schema

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    if not (SHARED_DATA / "polls" / "raw").is_dir():
        pytest.skip(f"shared snapshot folder {SHARED_DATA}/polls/raw is absent")
    frames = polls.build(SHARED_DATA)
    return {s.name: tidy(frames[s.name], s) for s in polls.TABLES}


def test_raw_files_are_the_documented_copies() -> None:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared snapshot folder {SHARED_DATA} is absent")
    expected = {
        polls.FLOWS: "743fc0426e3793c31f428ae097be025310de011666ec23ba069a14cd1820fb18",
        polls.INBOUND: "613a316f531662d87045eb92011892d20ea893b857bbb7122af2ee4dd8036a6e",
        polls.INBOUND_DEFS: "f19088d136b8219c66e19277a6a3b313b435fe51d545e5d7b22efd05dbb657fd",
    }
    for rel, digest in expected.items():
        assert sha256_file(SHARED_DATA / rel) == digest, rel


def test_all_tables_validate(tables: dict[str, pd.DataFrame]) -> None:
    for spec in polls.TABLES:
        pandera_schema(spec).validate(tables[spec.name])
        assert len(tables[spec.name]) > 0


def test_row_counts_match_provenance(tables: dict[str, pd.DataFrame]) -> None:
    assert len(tables["poll_toplines"]) == 180
    assert len(tables["soft_power_indicators"]) == 36
    assert tables["soft_power_indicators"].derived.sum() == 11  # 6 sums + 5 totals
    flows = tables["student_flows"]
    assert set(flows.origin_iso3) == set(polls.CENTRAL_ASIA.values())
    assert (flows.year.min(), flows.year.max()) == (1998, 2021)
    assert set(tables["uis_inbound_netflow"].country_iso3) == set(polls.INBOUND_SCOPE)


def test_demoscope_2022_war_support(tables: dict[str, pd.DataFrame]) -> None:
    """C37: 39 % Russia, 46 % neutral, 10 % Ukraine (5 % never printed), Mar 2022, n=1,100."""
    t = tables["poll_toplines"]
    wave1 = t[(t.question_id == "dms_side_support") & (t.fieldwork_start == "2022-03")]
    overall = wave1[wave1.subgroup == "all"].set_index("option")
    assert overall.share_pct.to_dict() == {"Russia": 39.0, "Ukraine": 10.0, "neutral": 46.0}
    assert set(overall.sample_n) == {1100}
    by_language = wave1.set_index(["subgroup", "option"]).share_pct
    assert by_language[("russian_speakers", "Russia")] == 45
    assert by_language[("kazakh_speakers", "Russia")] == 20
    assert by_language[("russian_speakers", "Ukraine")] == 6
    assert by_language[("kazakh_speakers", "Ukraine")] == 20
    # The wave sample sizes stated in PROVENANCE: 1,100 / 1,110 / 1,100 / 1,100.
    waves = t[(t.source == "demoscope") & t.sample_n.notna() & (t.fieldwork_year >= 2022)]
    assert waves.groupby("fieldwork_start").sample_n.unique().map(list).to_dict() == {
        "2022-03": [1100],
        "2022-11-04": [1110],
        "2023-05-03": [1100],
        "2025-01-27": [1100],
    }


def test_gallup_approval_of_russian_leadership_kazakhstan(tables: dict[str, pd.DataFrame]) -> None:
    """C36: 87 % (published Jan 2009, dated 2008) and 55 % only for 2021; 29 % in 2022."""
    t = tables["poll_toplines"]
    kz = t[(t.question_id == "gallup_approve_russia") & (t.country_iso3 == "KAZ")]
    approve = kz[kz.option == "approve"].set_index("fieldwork_year").share_pct.to_dict()
    assert approve == {2008: 87.0, 2021: 55.0, 2022: 29.0, 2025: 30.0}
    disapprove = kz[kz.option == "disapprove"].set_index("fieldwork_year").share_pct.to_dict()
    assert disapprove == {2021: 20.0, 2022: 50.0}
    assert not any(2009 <= y <= 2017 for y in approve)  # no other KZ year 2007-2017 readable
    assert kz.secondary_report.all()
    pooled = t[t.country == "Central Asia (KZ, KG, TJ, UZ pooled)"]
    pooled_russia = pooled[pooled.question_id == "gallup_approve_russia"].set_index("option")
    assert pooled_russia.share_pct.to_dict() == {
        "approve": 78.0,
        "disapprove": 6.0,
        "don't know / no answer": 16.0,
    }
    avg = pooled[pooled.question_id.str.endswith("_avg")].set_index("question_id").share_pct
    assert avg.to_dict() == {
        "gallup_approve_china_avg": 46.0,
        "gallup_approve_russia_avg": 80.0,
        "gallup_approve_us_avg": 30.0,
    }
    us = t[(t.question_id == "gallup_approve_us") & (t.country_iso3 == "KAZ")]
    us_approve = us[us.option == "approve"].set_index("fieldwork_year").share_pct.to_dict()
    assert us_approve == {2008: 20.0, 2010: 42.0, 2013: 37.0, 2015: 8.0}


def test_edb_integration_barometer_trend(tables: dict[str, pd.DataFrame]) -> None:
    """C38: support for the Customs Union / EAEU by country and wave."""
    t = tables["poll_toplines"]
    edb = t[t.question_id == "edb_eaeu_support"]
    trend = {
        iso3: g.set_index("fieldwork_year").share_pct.to_dict()
        for iso3, g in edb.groupby("country_iso3")
    }
    assert trend == {
        "KAZ": {2014: 84.0, 2015: 80.0, 2016: 74.0, 2017: 76.0},
        "KGZ": {2012: 67.0, 2013: 72.0, 2014: 50.0, 2015: 86.0, 2016: 81.0, 2017: 83.0},
        "TJK": {2014: 72.0, 2015: 72.0, 2016: 68.0, 2017: 69.0},
        "UZB": {2014: 68.0},
    }
    friendly = t[t.question_id == "edb_friendly_cis"].set_index("country_iso3").share_pct
    assert friendly.to_dict() == {"KAZ": 90.0, "KGZ": 94.0, "TJK": 95.0}


def test_culture_import_question_is_not_bundled(tables: dict[str, pd.DataFrame]) -> None:
    """C35 (Russia 58 / China 10 / US 19): PROVENANCE found no readable page with it."""
    t = tables["poll_toplines"]
    assert not t.question_text.str.contains("cultur", case=False).any()
    assert not t.question_id.str.contains("cultur").any()


def test_ethnic_and_language_figures(tables: dict[str, pd.DataFrame]) -> None:
    """C32 (ethnic Russians) and C34 (Kazakh ~65 %, Russian ~95 %)."""
    s = tables["soft_power_indicators"]
    russians = s[(s.indicator == "ethnic_share_census") & (s.group == "Russians")]
    assert russians.set_index("year").value_pct.to_dict() == pytest.approx(
        {1989: 37.7, 1999: 29.9, 2021: 15.54}, abs=1e-9
    )
    loc = s[s.indicator == "language_spoken_estimate"].set_index("group").value_pct
    assert loc.to_dict() == pytest.approx({"Kazakh": 64.4, "Russian": 95.0}, abs=1e-9)
    assert set(s[s.indicator == "language_spoken_estimate"].source) == {"loc_country_profile_2006"}
    census = s[s.indicator == "language_can_speak_census"].set_index("group").value_pct
    assert census.to_dict() == pytest.approx(
        {"Russian": 83.7, "Kazakh": 80.1, "English": 35.1}, abs=1e-9
    )


def test_students_abroad_2018(tables: dict[str, pd.DataFrame]) -> None:
    """C33: 69,836 Kazakhstani students in Russia in 2018 of 88,119 abroad (UIS)."""
    flows = tables["student_flows"]
    kz_ru = flows[(flows.origin_iso3 == "KAZ") & (flows.dest_iso3 == "RUS")]
    to_russia = kz_ru.set_index("year").students
    assert {y: to_russia[y] for y in range(2014, 2020)} == {
        2014: 49252.0,
        2015: 59295.0,
        2016: 69895.0,
        2017: 65237.0,
        2018: 69836.0,
        2019: 71368.0,
    }
    assert not {2010, 2013, 2020, 2021} & set(kz_ru.year)  # Russia absent in those years
    assert "CHN" not in set(flows.dest_iso3.dropna())  # China does not report to UIS
    inbound = tables["uis_inbound_netflow"]
    kz = inbound[inbound.country_iso3 == "KAZ"].set_index("year").outbound_derived_students
    assert {y: kz[y] for y in range(2016, 2021)} == {
        2016: 90213.0,
        2017: 84859.0,
        2018: 88119.0,
        2019: 89347.0,
        2020: 79901.0,
    }
    assert to_russia[2018] / kz[2018] == pytest.approx(0.7925, abs=1e-4)
