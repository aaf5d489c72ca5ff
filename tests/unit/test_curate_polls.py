"""Polls curation on small synthetic files written in the upstream formats."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest

from kzanalysis.curate import polls
from kzanalysis.curate.run import tidy
from kzanalysis.errors import RawDataError
from kzanalysis.schema import pandera_schema, unit_problems

# --------------------------------------------------------------------------- writers

TOPLINE_ROWS = [
    # survey, start, end, country, population, subgroup, qid, text, option, percent, n,
    # title, publisher, url, page
    (
        "DEMOSCOPE express poll (wave 1)",
        "2022-03",
        "2022-03",
        "Kazakhstan",
        "citizens",
        "all",
        "dms_side_support",
        "Which side?",
        "Russia",
        "39",
        "1100",
        "Blog post",
        "Window on Eurasia (Paul Goble, blog)",
        "https://example.org/blog",
        "blog text",
    ),
    (
        "DEMOSCOPE express poll (wave 1)",
        "2022-03",
        "2022-03",
        "Kazakhstan",
        "citizens",
        "kazakh_speakers",
        "dms_side_support",
        "Which side? [subgroup]",
        "Ukraine",
        "20",
        "",
        "POLL: release",
        "DEMOSCOPE Bureau of Public Opinion Express Monitoring (demos.kz)",
        "https://demos.kz/x",
        "press release",
    ),
    (
        "Kyiv School of Economics & Gradus Research: attitudes",
        "",
        "",
        "Kazakhstan",
        "not stated",
        "ethnic_russians",
        "kse_support_war",
        "Support the war?",
        "support",
        "42",
        "",
        "KSE news",
        "Kyiv School of Economics (kse.ua), 22 April 2022",
        "https://kse.ua/x",
        "news text",
    ),
    (
        "Gallup World Polls 2006-2018 pooled",
        "2006",
        "2018",
        "Central Asia (KZ, KG, TJ, UZ pooled)",
        "adults 15+",
        "all",
        "gallup_approve_russia",
        "Approve of Russia's leadership?",
        "approve",
        "78",
        "",
        "Как меняют мнение",
        "PONARS Eurasia",
        "https://ponarseurasia.org/x",
        "memo text",
    ),
    (
        "EDB Integration Barometer 2015",
        "2015",
        "2015",
        "Kyrgyzstan",
        "adults",
        "all",
        "edb_eaeu_support",
        "Support EAEU?",
        "support",
        "86.5",
        "",
        "EDB Integration Barometer - 2015",
        "Eurasian Development Bank Centre for Integration Studies, 16 Oct 2015",
        "https://eabr.org/x",
        "report",
    ),
    (
        "Kazakhstan Institute for Strategic Studies (KazISS) poll on the EAEU",
        "",
        "2014-11-18",
        "Kazakhstan",
        "adults",
        "all",
        "kaziss_eaeu_creation",
        "Support EEU?",
        "support",
        "84.9",
        "",
        "summary",
        "aprc.kr (summary)",
        "https://aprc.kr/x",
        "summary",
    ),
]


def write_csv(path: Path, header: tuple[str, ...] | list[str], rows: list) -> Path:
    """Write a CSV the way the upstream files are written (CRLF, minimal quoting)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8", newline="")
    return path


def write_toplines(folder: Path, rows: list | None = None) -> Path:
    rows = TOPLINE_ROWS if rows is None else rows
    return write_csv(folder / polls.TOPLINES, polls.TOPLINES_COLUMNS, rows)


_UIS_360 = "github:360-info/report-global-education data/popular-destinations-by-origin.csv"
_UIS_BULK = "github:nemuulen/INFOSCI301_Final_Project data/RAW_inbound_and_outbound_data.csv"
_PCT = "% of population"
INDICATOR_ROWS = [
    ("ethnic_share_census", "1999", "Kazakhstan", "", "Russians", "29.9", _PCT, "Paper",
     "Dave & Sinnott", "http://docplayer.net/1-x.html", "1999 census"),
    ("ethnic_count_census", "2021", "Kazakhstan", "", "Russians", "2900000",
     'persons (rounded, "2.9 mln")', "Численность", "aqparat.info",
     "https://aqparat.info/news/x.html", "2021 census"),
    ("ethnic_count_census", "2021", "Kazakhstan", "", "Russians", "2981946", "persons",
     "Russos no Cazaquistão", "perceptiopt.com", "https://perceptiopt.com/x", "2021 census"),
    ("language_daily_use_census", "2021", "Kazakhstan", "", "Kazakh (ethnic Kazakhs)", "63.45",
     "% of ethnic Kazakhs", "Languages", "wikimili.com", "https://wikimili.com/en/x", ""),
    ("language_spoken_estimate", "2006", "Kazakhstan", "", "Russian", "95", _PCT,
     "Country Profile", "Library of Congress", "https://www.hitpages.com/doc/1/5/", "LoC"),
    ("outbound_students_to_russia_uis", "2018", "Kazakhstan", "", "destination Russia", "700",
     "tertiary students (number)", "UIS flows", "360info", _UIS_360, "copied file"),
    ("outbound_students_sum_listed_destinations_uis", "2018", "Kazakhstan", "", "all listed",
     "1006", "tertiary students (number)", "UIS flows", "360info", _UIS_360,
     "DERIVED: sum of rows"),
    ("outbound_students_total_uis_derived", "2018", "Kazakhstan", "", "all destinations", "1500",
     "tertiary students (number)", "UIS inbound", "UIS", _UIS_BULK, "DERIVED: inbound - net"),
]  # fmt: skip


def write_indicators(folder: Path, rows: list | None = None) -> Path:
    rows = INDICATOR_ROWS if rows is None else rows
    return write_csv(folder / polls.INDICATORS, polls.INDICATORS_COLUMNS, rows)


def flow_rows() -> list[tuple[str, ...]]:
    """Kazakhstan 2018 (Russia 700, Other countries 300, US 5.5 with flags) + other origins."""
    rows = [
        ("2018", "Kazakhstan", "Russia", "700", "- - - -"),
        ("2018", "Kazakhstan", "Other countries", "300", "- - - -"),
        ("2018", "Kazakhstan", "United States", "5.5", "a - - d"),
        ("2018", "Kazakhstan", "Republic of Korea", "0.5", "- - c -"),
        ("2018", "Afghanistan", "Venezuala", "3", "- - - -"),  # other origin: ignored
    ]
    rows += [
        ("2018", o, "Turkey", "10", "- - - -") for o in polls.CENTRAL_ASIA if o != "Kazakhstan"
    ]
    return rows


def write_flows(folder: Path, rows: list | None = None) -> Path:
    rows = flow_rows() if rows is None else rows
    return write_csv(folder / polls.FLOWS, polls.FLOWS_COLUMNS, rows)


def inbound_rows() -> list[tuple[str, ...]]:
    rows = [
        ("26637", "KAZ", "2018", "500", "", ""),
        ("MENF.5T8", "KAZ", "2018", "-1000", "UIS_EST", ""),
        ("26637", "KAZ", "2023", "800", "NAT_EST", ""),  # net flow not published: no outbound
        ("26637", "AIMS: Central Asia", "2018", "1.5", "", "NA"),  # aggregate: ignored
        ("26637", "FRA", "2018", "9", "", "NIL"),  # out of scope: ignored
    ]
    rows += [("26637", c, "2018", "100", "", "") for c in polls.INBOUND_SCOPE if c != "KAZ"]
    return rows


DEFS_HEADER = (
    "indicatorId",
    "name",
    "theme",
    "lastDataUpdate",
    "lastDataUpdateDescription",
)
DEFS_ROWS = [
    ("26637", "Total inbound internationally mobile students, both sexes (number)", "EDUCATION",
     "2025-02-23", "February 2025 Data Release"),
    ("MENF.5T8", "Net flow of internationally mobile students (inbound - outbound), both sexes "
     "(UIS estimate) (number)", "EDUCATION", "2025-02-23", "February 2025 Data Release"),
]  # fmt: skip


def write_inbound(folder: Path, rows: list | None = None, defs: list | None = None) -> Path:
    write_csv(folder / polls.INBOUND_DEFS, DEFS_HEADER, DEFS_ROWS if defs is None else defs)
    rows = inbound_rows() if rows is None else rows
    return write_csv(folder / polls.INBOUND, polls.INBOUND_COLUMNS, rows)


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    """A synthetic snapshot folder with all five polls files."""
    write_toplines(tmp_path)
    write_indicators(tmp_path)
    write_flows(tmp_path)
    write_inbound(tmp_path)
    return tmp_path


def validated(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    spec = next(s for s in polls.TABLES if s.name == name)
    return pandera_schema(spec).validate(tidy(frame, spec))


# --------------------------------------------------------------------------- specs


def test_specs_follow_naming_rules() -> None:
    assert [s.name for s in polls.TABLES] == [
        "poll_toplines",
        "soft_power_indicators",
        "student_flows",
        "uis_inbound_netflow",
    ]
    for spec in polls.TABLES:
        assert unit_problems(spec) == []
        for source in spec.sources:
            assert source.raw_paths and all(p.startswith("polls/raw/") for p in source.raw_paths)
            assert source.terms and source.url and source.edition and source.retrieved


def test_every_raw_file_is_listed_by_a_source() -> None:
    listed = {p for spec in polls.TABLES for s in spec.sources for p in s.raw_paths}
    assert listed == {
        polls.TOPLINES,
        polls.INDICATORS,
        polls.FLOWS,
        polls.INBOUND,
        polls.INBOUND_DEFS,
    }


# --------------------------------------------------------------------------- build


def test_build_returns_valid_frames(raw: Path) -> None:
    frames = polls.build(raw)
    assert set(frames) == {s.name for s in polls.TABLES}
    for name, frame in frames.items():
        validated(name, frame)
    assert len(frames["poll_toplines"]) == len(TOPLINE_ROWS)
    assert len(frames["soft_power_indicators"]) == len(INDICATOR_ROWS)


def test_build_names_a_missing_file(raw: Path) -> None:
    (raw / polls.FLOWS).unlink()
    with pytest.raises(RawDataError, match="uis_student_flows_top10"):
        polls.build(raw)


# --------------------------------------------------------------------------- toplines


def test_toplines_parsed_and_flagged(tmp_path: Path) -> None:
    frame = validated("poll_toplines", polls.parse_toplines(write_toplines(tmp_path)))
    rows = frame.set_index(["survey", "subgroup", "question_id"])
    goble = rows.loc[("DEMOSCOPE express poll (wave 1)", "all", "dms_side_support")]
    assert goble.share_pct == 39.0 and goble.sample_n == 1100
    assert goble.secondary_report  # a blog quoting DEMOSCOPE
    assert goble.source == "demoscope" and goble.country_iso3 == "KAZ"
    assert goble.fieldwork_start == "2022-03" and goble.fieldwork_year == 2022
    own = rows.loc[("DEMOSCOPE express poll (wave 1)", "kazakh_speakers", "dms_side_support")]
    assert not own.secondary_report and pd.isna(own.sample_n)
    kse = frame[frame.source == "kse_gradus"].iloc[0]
    assert pd.isna(kse.fieldwork_start) and pd.isna(kse.fieldwork_year)
    assert not kse.secondary_report
    pooled = frame[frame.question_id == "gallup_approve_russia"].iloc[0]
    assert pd.isna(pooled.country_iso3) and pooled.fieldwork_year == 2018
    assert pooled.secondary_report and pooled.source == "gallup_world_poll"
    assert pooled.source_title == "Как меняют мнение"  # UTF-8 kept
    edb = frame[frame.source == "edb_integration_barometer"].iloc[0]
    assert edb.share_pct == 86.5 and edb.country_iso3 == "KGZ" and not edb.secondary_report
    kaziss = frame[frame.source == "kaziss"].iloc[0]
    assert kaziss.fieldwork_year == 2014 and kaziss.secondary_report


def test_toplines_duplicate_rejected(tmp_path: Path) -> None:
    path = write_toplines(tmp_path, [*TOPLINE_ROWS, TOPLINE_ROWS[0]])
    with pytest.raises(RawDataError, match=r"share a key.*lines \[2, 8\]"):
        polls.parse_toplines(path)


def test_toplines_same_question_in_another_wave_is_not_a_duplicate(tmp_path: Path) -> None:
    later = list(TOPLINE_ROWS[0])
    later[1] = later[2] = "2022-11"
    frame = polls.parse_toplines(write_toplines(tmp_path, [TOPLINE_ROWS[0], tuple(later)]))
    assert sorted(frame.fieldwork_year) == [2022, 2022] and len(frame) == 2


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        (9, "101", "percent outside 0-100"),
        (9, "-1", "percent outside 0-100"),
        (9, "39%", "percent is not a number"),
        (10, "1,100", "n is not a whole number"),
        (1, "March 2022", "fieldwork_start is not YYYY"),
        (1, "2022-13", "fieldwork_start is not YYYY"),
        (1, "2022-04", "is after fieldwork_end"),
        (5, "women", "unknown subgroup"),
        (3, "Kazakstan", r"not mapped to ISO3: \['Kazakstan'\]"),
        (3, "Russia", "outside Central Asia"),
        (0, "Pew Global Attitudes", "no known poll series"),
        (8, "", "empty 'option'"),
    ],
)
def test_toplines_bad_cells_raise(tmp_path: Path, column: int, value: str, message: str) -> None:
    row = list(TOPLINE_ROWS[0])
    row[column] = value
    path = write_toplines(tmp_path, [*TOPLINE_ROWS[1:], tuple(row)])
    with pytest.raises(RawDataError, match=message) as exc:
        polls.parse_toplines(path)
    assert "toplines_transcribed.csv" in str(exc.value) and "Fix:" in str(exc.value)


def test_toplines_renamed_header_raises(tmp_path: Path) -> None:
    header = ["pct" if c == "percent" else c for c in polls.TOPLINES_COLUMNS]
    path = write_csv(tmp_path / polls.TOPLINES, header, TOPLINE_ROWS)
    with pytest.raises(RawDataError, match=r"missing column\(s\) \['percent'\]"):
        polls.parse_toplines(path)


def test_toplines_not_utf8_raises(tmp_path: Path) -> None:
    path = write_toplines(tmp_path)
    path.write_bytes(path.read_bytes().replace("Как".encode(), "Caf\xe9".encode("latin-1")))
    with pytest.raises(RawDataError, match="UTF-8"):
        polls.parse_toplines(path)


# --------------------------------------------------------------------------- indicators


def test_indicators_units_sources_and_derived(tmp_path: Path) -> None:
    frame = validated("soft_power_indicators", polls.parse_indicators(write_indicators(tmp_path)))
    share = frame[frame.indicator == "ethnic_share_census"].iloc[0]
    assert share.value_pct == 29.9 and pd.isna(share.value_persons)
    assert share.source == "dave_sinnott_2002" and pd.isna(share.region)
    counts = frame[frame.indicator == "ethnic_count_census"].set_index("source")
    assert counts.value_persons.to_dict() == {
        "aqparat_2023": 2900000.0,
        "wikipedia_russians_in_kazakhstan": 2981946.0,
    }  # same key from two publications: both kept
    assert counts.loc["aqparat_2023", "unit_original"] == 'persons (rounded, "2.9 mln")'
    students = frame[frame.value_students.notna()].set_index("indicator")
    assert students.derived.to_dict() == {
        "outbound_students_to_russia_uis": False,
        "outbound_students_sum_listed_destinations_uis": True,
        "outbound_students_total_uis_derived": True,
    }
    assert students.source.to_dict()["outbound_students_total_uis_derived"] == (
        "uis_inbound_netflow"
    )
    filled = frame[["value_pct", "value_persons", "value_students"]].notna().sum(axis=1)
    assert (filled == 1).all()


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        (6, "km", r"unknown unit\(s\) \['km'\]"),
        (5, "about 30", "value is not a number"),
        (5, "130", "percentage value is outside 0-100"),
        (1, "1999/2000", "year is not YYYY"),
        (9, "https://unknown.example/x", r"no Source: \['unknown.example'\]"),
        (2, "Kazakh SSR", "not mapped to ISO3"),
    ],
)
def test_indicators_bad_cells_raise(tmp_path: Path, column: int, value: str, message: str) -> None:
    row = list(INDICATOR_ROWS[0])
    row[column] = value
    path = write_indicators(tmp_path, [tuple(row), *INDICATOR_ROWS[1:]])
    with pytest.raises(RawDataError, match=message):
        polls.parse_indicators(path)


def test_indicators_duplicate_rejected(tmp_path: Path) -> None:
    path = write_indicators(tmp_path, [*INDICATOR_ROWS, INDICATOR_ROWS[1]])
    with pytest.raises(RawDataError, match="share a key"):
        polls.parse_indicators(path)


# --------------------------------------------------------------------------- student flows


def test_flows_central_asia_only_with_flags(tmp_path: Path) -> None:
    frame = validated("student_flows", polls.parse_flows(write_flows(tmp_path)))
    assert set(frame.origin_iso3) == set(polls.CENTRAL_ASIA.values())
    assert "Afghanistan" not in set(frame.origin_name)
    kz = frame[frame.origin_iso3 == "KAZ"].set_index("dest_name")
    assert kz.loc["Russia", "dest_iso3"] == "RUS" and kz.loc["Russia", "students"] == 700
    other = kz.loc["Other countries"]
    assert other.dest_is_other and pd.isna(other.dest_iso3)
    us = kz.loc["United States"]
    assert us.students == 5.5 and us.uis_includes and us.uis_estimate
    assert not us.national_estimate and not us.uis_included
    korea = kz.loc["Republic of Korea"]
    assert korea.dest_iso3 == "KOR" and korea.national_estimate and not korea.uis_estimate


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (("2018", "Kazakhstan", "Atlantis", "1", "- - - -"), r"not mapped to ISO3: \['Atlantis'\]"),
        (("2018", "Kazakhstan", "Germany", "1", "a-c-"), "cond_all is not of the form"),
        (("2018", "Kazakhstan", "Germany", "many", "- - - -"), "value_lumped is not a number"),
        (("2018", "Kazakhstan", "Russia", "700", "- - - -"), "share a key"),
    ],
)
def test_flows_bad_rows_raise(tmp_path: Path, row: tuple[str, ...], message: str) -> None:
    path = write_flows(tmp_path, [*flow_rows(), row])
    with pytest.raises(RawDataError, match=message):
        polls.parse_flows(path)


def test_flows_missing_origin_raises(tmp_path: Path) -> None:
    rows = [r for r in flow_rows() if r[1] != "Kyrgyzstan"]
    rows.append(("2018", "Kyrgyz Republic", "Turkey", "10", "- - - -"))
    with pytest.raises(RawDataError, match=r"no rows for Central Asian origin\(s\) \['Kyrgyz"):
        polls.parse_flows(write_flows(tmp_path, rows))


# --------------------------------------------------------------------------- inbound


def test_inbound_pivot_and_derived_outbound(tmp_path: Path) -> None:
    path = write_inbound(tmp_path)
    frame = validated(
        "uis_inbound_netflow", polls.parse_inbound(path, tmp_path / polls.INBOUND_DEFS)
    )
    assert set(frame.country_iso3) == set(polls.INBOUND_SCOPE)
    kaz = frame[frame.country_iso3 == "KAZ"].set_index("year")
    assert kaz.loc[2018, "inbound_students"] == 500
    assert kaz.loc[2018, "net_flow_students"] == -1000
    assert kaz.loc[2018, "outbound_derived_students"] == 1500  # 500 - (-1000)
    assert kaz.loc[2018, "net_flow_qualifier"] == "UIS_EST"
    assert pd.isna(kaz.loc[2018, "inbound_qualifier"])
    assert kaz.loc[2023, "inbound_qualifier"] == "NAT_EST"
    assert pd.isna(kaz.loc[2023, "net_flow_students"])
    assert pd.isna(kaz.loc[2023, "outbound_derived_students"])


def test_inbound_unhandled_magnitude_raises(tmp_path: Path) -> None:
    rows = [*inbound_rows(), ("MENF.5T8", "RUS", "2019", "0", "", "NIL")]
    path = write_inbound(tmp_path, rows)
    with pytest.raises(RawDataError, match=r"magnitude flag\(s\) \['NIL'\]"):
        polls.parse_inbound(path, tmp_path / polls.INBOUND_DEFS)


def test_inbound_changed_definitions_raise(tmp_path: Path) -> None:
    defs = [DEFS_ROWS[0], ("MENF.5T8", "Outbound students", "EDUCATION", "2026", "x")]
    path = write_inbound(tmp_path, defs=defs)
    with pytest.raises(RawDataError, match="MENF.5T8 is missing or no longer named"):
        polls.parse_inbound(path, tmp_path / polls.INBOUND_DEFS)


def test_inbound_missing_country_raises(tmp_path: Path) -> None:
    path = write_inbound(tmp_path, [r for r in inbound_rows() if r[1] != "CHN"])
    with pytest.raises(RawDataError, match=r"no inbound / net-flow rows for \['CHN'\]"):
        polls.parse_inbound(path, tmp_path / polls.INBOUND_DEFS)


# --------------------------------------------------------------------------- cross-check


def test_transcribed_uis_values_must_match_the_uis_files(raw: Path) -> None:
    rows = [list(r) for r in INDICATOR_ROWS]
    rows[5][5] = "69000"  # Kazakhstan -> Russia 2018 transcribed wrongly
    write_indicators(raw, [tuple(r) for r in rows])
    with pytest.raises(RawDataError, match=r"outbound_students_to_russia_uis \('KAZ', 2018\)"):
        polls.build(raw)


def test_listed_sum_tolerates_rounding_only(raw: Path) -> None:
    rows = [list(r) for r in INDICATOR_ROWS]
    rows[6][5] = "1007"  # listed rows sum to 1006 (700 + 300 + 5.5 + 0.5): within 1
    write_indicators(raw, [tuple(r) for r in rows])
    polls.build(raw)
    rows[6][5] = "1010"
    write_indicators(raw, [tuple(r) for r in rows])
    with pytest.raises(RawDataError, match="sum_listed_destinations"):
        polls.build(raw)
