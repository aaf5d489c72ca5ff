"""Tests of kzanalysis.analysis.polls_report: the polls chapter's report elements.

Every frame is made by hand; the expected sentences, counts and plotted rows are written
out from those frames next to each assertion.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest

from kzanalysis import plotting, report
from kzanalysis.analysis import polls as P
from kzanalysis.analysis import polls_report as PR

SOURCES = {
    "demoscope": "DEMOSCOPE Bureau of Public Opinion Express Monitoring",
    "gallup_world_poll": "Gallup (Gallup World Poll)",
    "edb_integration_barometer": "Eurasian Development Bank",
    "kaziss": "Kazakhstan Institute for Strategic Studies (KazISS)",
}
CTX = PR.Context("KAZ", confidence=0.95, design_effect=1.5)


@pytest.fixture(autouse=True)
def _fresh_references():
    report.references().clear()
    yield
    report.references().clear()


def _provenance(frame: pd.DataFrame) -> pd.DataFrame:
    frame.attrs["provenance"] = {
        "table": "poll_toplines",
        "sources": [
            {
                "id": sid,
                "publisher": pub,
                "title": f"{pub} toplines",
                "edition": "test edition",
                "terms": "Quoted with credit.",
            }
            for sid, pub in SOURCES.items()
        ],
    }
    return frame


def _polls(records: list[dict]) -> pd.DataFrame:
    """poll_toplines-like rows (with provenance) with defaults for unneeded columns."""
    base = {
        "survey": "S",
        "fieldwork_start": "2022-03",
        "fieldwork_end": "2022-03",
        "fieldwork_year": 2022,
        "country_iso3": "KAZ",
        "country": "Kazakhstan",
        "population": "adults",
        "subgroup": "all",
        "question_id": "dms_side_support",
        "question_text": "Which side of the conflict do you support? (Russia / Ukraine / neutral)",
        "option": "Russia",
        "share_pct": 50.0,
        "sample_n": pd.NA,
        "source_title": "t",
        "source_publisher": "DEMOSCOPE",
        "source_url": "https://example.org",
        "page_or_table": "press release text",
        "secondary_report": False,
        "source": "demoscope",
    }
    frame = pd.DataFrame([{**base, **r} for r in records])
    frame["sample_n"] = frame["sample_n"].astype("Int64")
    frame["fieldwork_year"] = frame["fieldwork_year"].astype("Int64")
    frame["secondary_report"] = frame["secondary_report"].astype("boolean")
    return _provenance(frame)


def _side_waves() -> pd.DataFrame:
    """Three DEMOSCOPE waves of the side question (n published), wave 1 Russia secondary."""
    rows = []
    for start, end, n, shares in [
        ("2022-03", "2022-03", 1100, {"Russia": 39.0, "Ukraine": 10.0, "neutral": 46.0}),
        ("2022-11-04", "2022-11-24", 1110, {"Russia": 13.0, "Ukraine": 22.0, "neutral": 59.0}),
        ("2023-05-03", "2023-05-12", 1100, {"Russia": 12.8, "Ukraine": 21.1, "neutral": 59.8}),
    ]:
        for option, share in shares.items():
            rows.append(
                {
                    "survey": f"DEMOSCOPE {start}",
                    "fieldwork_start": start,
                    "fieldwork_end": end,
                    "fieldwork_year": int(start[:4]),
                    "option": option,
                    "share_pct": share,
                    "sample_n": n,
                    "secondary_report": start == "2022-03" and option == "Russia",
                    "source_publisher": "Blog (a secondary outlet)"
                    if start == "2022-03" and option == "Russia"
                    else "DEMOSCOPE",
                }
            )
    return _polls(rows)


def _gallup() -> pd.DataFrame:
    q = "Do you approve or disapprove of the job performance of the leadership of {}?"
    rows = [
        ("gallup_approve_russia", "Russia", "2008", 87.0),
        ("gallup_approve_russia", "Russia", "2021", 55.0),
        ("gallup_approve_russia", "Russia", "2025", 30.0),
        ("gallup_approve_us", "the United States", "2010", 42.0),
    ]
    return _polls(
        [
            {
                "survey": f"Gallup {year}",
                "fieldwork_start": year,
                "fieldwork_end": year,
                "fieldwork_year": int(year),
                "question_id": qid,
                "question_text": q.format(whom),
                "option": "approve",
                "share_pct": share,
                "secondary_report": True,
                "source_publisher": "News site (quoting Gallup)",
                "source": "gallup_world_poll",
            }
            for qid, whom, year, share in rows
        ]
    )


def _edb() -> pd.DataFrame:
    text = "Attitude to own country participating in the Customs Union / Eurasian Economic Union"
    rows = [
        {
            "survey": f"EDB {year}",
            "fieldwork_start": str(year),
            "fieldwork_end": str(year),
            "fieldwork_year": year,
            "question_id": "edb_eaeu_support",
            "question_text": text,
            "option": "support",
            "share_pct": share,
            "source": "edb_integration_barometer",
            "source_publisher": "EDB",
            "page_or_table": "page text: support for joining" if year == 2014 else "page text",
        }
        for year, share in [(2014, 84.0), (2015, 80.0), (2016, 74.0)]
    ]
    rows.append(
        {
            "survey": "KazISS",
            "fieldwork_start": None,
            "fieldwork_end": "2014-11-18",
            "fieldwork_year": 2014,
            "question_id": "kaziss_customs_union",
            "question_text": "Support for the Customs Union",
            "option": "support",
            "share_pct": 73.7,
            "secondary_report": True,
            "source": "kaziss",
            "source_publisher": "aprc.kr (summary of a statement)",
        }
    )
    return _polls(rows)


# --------------------------------------------------------------------------------------
# Words
# --------------------------------------------------------------------------------------


def test_question_wording_drops_answer_lists_and_subgroup_notes():
    assert PR.question_wording("Opinion of Russia (favorable / unfavorable)") == (
        "Opinion of Russia"
    )
    assert PR.question_wording(
        "Which side of the conflict do you support? (Russia / Ukraine / neutral) "
        "[subgroup = chose to be interviewed in Kazakh, 23% of sample]"
    ) == ("Which side of the conflict do you support?")
    assert PR.question_wording("Confidence in leader (a great deal / fair amount) - Xi") == (
        "Confidence in leader - Xi"
    )
    # a parenthesis without an answer list stays
    assert PR.question_wording("Attitude to participating in (or joining) the EAEU") == (
        "Attitude to participating in (or joining) the EAEU"
    )
    assert PR.question_wording("How would you rate Kyrgyzstan's relations with ...? Japan") == (
        "How would you rate Kyrgyzstan's relations with Japan?"
    )


@pytest.mark.parametrize(
    ("qid", "text", "option", "topic", "power"),
    [
        # the answer names the power
        ("dms_side_support", "Which side? (Russia / Ukraine / neutral)", "Ukraine", "", "Ukraine"),
        # no power in the answer, the answer list removed from the question: none
        ("dms_side_support", "Which side? (Russia / Ukraine / neutral)", "neutral", "", "Other"),
        # the respondents' own country is ignored, the other power counts
        ("x", "Should Kazakhstan have closer relations with Russia?", "support", "", "Russia"),
        # the leadership a question rates
        ("mv_confidence_xi", "Confidence in leader - Xi Jinping", "great deal", "", "China"),
        # a leader named in the wording
        ("x", "Do you support the arrest of Vladimir Putin?", "oppose", "", "Russia"),
        # a Central Asian neighbour is no power here
        ("x", "How would you rate relations with Uzbekistan?", "good", "", "Other"),
        # aliases: Turkey is Türkiye, the EU by its full name
        ("x", "How would you rate relations with Turkey?", "good", "", "Türkiye"),
        ("x", "How would you rate relations with European Union?", "bad", "", "EU"),
        # the topic's power when nothing is named
        ("mv_join_eaeu", "Should our country join the Eurasian (Economic) Union?", "yes",
         "eaeu_support", "EAEU"),
    ],
)  # fmt: skip
def test_power_asked_about(qid, text, option, topic, power):
    assert PR.power_asked_about(qid, text, option, "Kazakhstan", topic) == power


def test_every_bundled_poll_colour_is_in_the_registry():
    from kzanalysis import datasets

    polls = datasets.load("poll_toplines")
    powers = {
        PR.power_asked_about(q, t, o, "")
        for q, t, o in zip(
            polls["question_id"], polls["question_text"], polls["option"], strict=True
        )
    }
    plotting.palette(powers, strict=True)  # every power has its registry colour


def test_share_text_keeps_the_published_precision():
    assert PR.share_text(87.0) == "87 %"
    assert PR.share_text(73.7) == "73.7 %"
    assert PR.share_text(82.449, 1) == "82.4 %"
    assert PR.share_text(float("nan")) == report.MISSING


def test_dot_label_shortens_the_answer_first():
    assert PR.dot_label(["support", "2014"]) == "support · 2014"
    long = "war between Russia and Ukraine to prevent NATO troops being deployed there"
    label = PR.dot_label([long, "interviewed in Kazakh", "March 2022"], 50)
    assert label == "war between… · interviewed in Kazakh · March 2022"
    assert len(label) <= 50


def test_model_words():
    assert PR.model_words("binomial GLM") == "binomial GLM"
    assert PR.model_words("none: 1 wave(s) with published n (needs 3)") == (
        "none: 1 wave with n, 3 needed"
    )


def test_parameters_note_in_words():
    ctx = PR.Context("KGZ", topic="eaeu_support", subgroup="age", design_effect=2.0)
    text = repr(PR.parameters_note(ctx))
    assert text == (
        "This report. Kyrgyzstan · toplines on support for the Customs Union and the EAEU, by "
        "age · 95 % confidence intervals with a design effect of 2 (effective sample size = "
        "published n / 2)."
    )
    assert report.reader_text_problems(text) == []


# --------------------------------------------------------------------------------------
# Figures
# --------------------------------------------------------------------------------------


def _points(polls: pd.DataFrame) -> pd.DataFrame:
    rows = P.add_intervals(P.select_toplines(polls, "KAZ"), design_effect=1.5)
    return PR.reader_rows(rows, "Kazakhstan")


def test_toplines_figure_plots_every_row_once_with_computed_texts():
    polls = _side_waves()
    pts = _points(polls)
    fig = PR.toplines_figure(pts, CTX, title="Kazakhstan polls: the war", what="the war",
                             sources=polls)  # fmt: skip
    # plotted rows = CSV rows: 9 shares, one per answer and wave
    data = report.read_csv_text(fig.csv())
    assert len(data) == len(pts) == 9
    assert list(data.columns[:4]) == ["Question", "Answer", "Fieldwork", "Share (%)"]
    assert set(data["Fieldwork"]) == {"March 2022", "November 2022", "May 2023"}
    assert sorted(data["Share (%)"]) == sorted(pts["share_pct"])
    # 9 shares, 1 question, all 9 with n (so an interval), 1 secondary (Russia, March 2022)
    assert fig.subtitle == (
        "9 published shares from 1 question, fieldwork March 2022 to May 2023; 9 with a "
        "95 % interval, 1 read in secondary reports."
    )
    assert "shares run from 10 % (Ukraine, March 2022) to 59.8 % (neutral, May 2023)" in fig.alt
    # coloured by the power asked about: Russia, Ukraine, neutral (grey)
    for actor in ("Russia", "Ukraine", "Other"):
        assert plotting.colour(actor).lower() in fig.svg.lower()
    assert "dms_side_support" not in fig.html()
    assert report.reader_text_problems(fig.html()) == []


def test_dot_figure_keeps_each_questions_rows_together():
    polls = _polls(
        [
            {"question_id": "a_one", "question_text": "First?", "option": "Russia"},
            {"question_id": "b_two", "question_text": "Second?", "option": "China"},
            {"question_id": "a_one", "question_text": "First?", "option": "Ukraine"},
        ]
    )
    pts = P.add_intervals(polls.assign(fieldwork="2022", fieldwork_mid_year=2022.5))
    pts = PR.reader_rows(pts.assign(topic="views_of_russia"), "Kazakhstan")
    fig = PR.dot_figure(pts, title="T", subtitle="S.", alt="Dot chart of three shares.",
                        sources=polls)  # fmt: skip
    data = report.read_csv_text(fig.csv())
    # grouped by question in order of first appearance: First? (Russia, Ukraine), Second?
    assert list(data["Question"]) == ["First?", "First?", "Second?"]
    assert list(data["Answer"]) == ["Russia", "Ukraine", "China"]
    assert list(data["Power asked about"]) == ["Russia", "Ukraine", "China"]


def test_time_figure_rows_dates_and_markers():
    polls = _gallup()
    lead = P.add_intervals(P.leadership_series(polls, "KAZ"))
    pts = PR.reader_rows(lead, "Kazakhstan").assign(series=lambda d: d["actor"])
    pts["power"] = pts["actor"]
    fig = PR.time_figure(pts, title="Approval", subtitle="S.", alt="Dots over four years.",
                         sources=polls)  # fmt: skip
    data = report.read_csv_text(fig.csv())
    assert len(data) == 4
    # a year's fieldwork midpoint is 2 July (mid-year), in words and as a date
    assert list(data["Fieldwork"].astype(str)) == ["2008", "2010", "2021", "2025"]
    assert data["Fieldwork midpoint (date)"].iloc[0] == "2008-07-02"
    assert bool(data["Read in a secondary report"].all())
    assert plotting.colour("US").lower() in fig.svg.lower()


def test_glm_figure_data_are_the_waves_and_the_fitted_curve():
    polls = _side_waves()
    war = P.add_intervals(P.select_toplines(polls, "KAZ", "war_in_ukraine"))
    war = PR.reader_rows(war, "Kazakhstan")
    _, fits = P.trend_table(war, design_effect=1.5)
    series = [(war[war["answer"] == o], fits[("dms_side_support", o, "all")]) for o in ("Russia",)]
    fig = PR.glm_figure(series, CTX, title="GLM", sources=polls)
    data = report.read_csv_text(fig.csv())
    # 3 published waves + 40 points of the fitted curve
    assert (data["Series"] == "published share").sum() == 3
    assert (data["Series"] == "GLM trend").sum() == 40
    fit = fits[("dms_side_support", "Russia", "all")]
    ends = fit.predict([war["fieldwork_mid_year"].min(), war["fieldwork_mid_year"].max()])
    assert fig.subtitle.startswith(
        f"Fitted support for Russia falls from {PR.share_text(ends['share_pct'].iloc[0], 1)} "
        f"in March 2022 to {PR.share_text(ends['share_pct'].iloc[-1], 1)} in May 2023 "
        f"(odds × {fit.odds_ratio_per_year:.2f} per year)"
    )


def test_side_sentence_first_to_last_wave():
    polls = _side_waves()
    pts = _points(polls)
    assert PR.side_sentence(pts) == (
        "From March 2022 to May 2023, support for Russia fell from 39 % to 12.8 %, support "
        "for Ukraine rose from 10 % to 21.1 % and “neutral” answers rose from 46 % to 59.8 %."
    )
    one = pts[pts["fieldwork"] == "March 2022"]
    assert PR.side_sentence(one) == (
        "In March 2022: support for Russia 39 %, support for Ukraine 10 % and “neutral” "
        "answers 46 %."
    )


# --------------------------------------------------------------------------------------
# Sections and findings
# --------------------------------------------------------------------------------------


def test_coverage_section_counts_and_finding():
    polls = pd.concat([_side_waves(), _gallup()], ignore_index=True)
    polls = _provenance(polls)
    section = PR.coverage_section(polls, CTX)
    table, note = section.elements
    # 9 war shares (all with n, 1 secondary) + 4 Gallup shares (no n, all secondary)
    sentence, target = section.finding
    assert sentence == (
        "The bundle holds 13 published poll shares for Kazakhstan on 2 of 8 topics; only 9 "
        "come with the pollster's sample size (so an interval) and 5 were read in secondary "
        "reports, not in the pollster's release."
    )
    assert target is table
    assert list(table.frame["topic"]) == ["Approval of foreign leaderships", "The war in Ukraine"]
    assert list(table.frame["KAZ"]) == [4, 9]
    assert table.headers["KAZ"] == "Kazakhstan (shares)"
    assert "No published data on views of Russia" in repr(note)


def test_coverage_finding_without_sample_sizes():
    section = PR.coverage_section(_gallup(), CTX)
    assert "none comes with the pollster's sample size" in section.finding[0]


def test_leadership_section_sentences():
    section = PR.leadership_section(_gallup(), CTX)
    sentence, figure = section.finding
    assert sentence == (
        "Gallup approval of Russia's leadership in Kazakhstan fell from 87 % in 2008 to 30 % "
        "in 2025; every value was read in a secondary report, without a sample size."
    )
    assert isinstance(figure, report.Figure)
    assert figure.subtitle == (
        "Approval of Russia's leadership fell from 87 % in 2008 to 30 % in 2025; every value "
        "read in a secondary report, none with a published sample size."
    )
    notes = [repr(e) for e in section.elements if isinstance(e, report.Note)]
    assert notes[0] == (
        "Gallup approval in Kazakhstan: of Russia's leadership 87 % (2008), 55 % (2021) and "
        "30 % (2025); of the US's leadership 42 % (2010). Every value was read in a secondary "
        "report (outlets in the table)."
    )
    # the thesis check (Kazakhstan only): one value dated 2007-2017, 55 % dated 2021
    assert "The bundle has 1 Kazakhstan value dated 2007–2017 (87 % in 2008)" in notes[1]
    assert "the 55 % value is dated 2021" in notes[1]
    # no n anywhere: the table leaves the n and interval columns out and says why
    table = section.elements[0]
    assert "sample_n" not in table.headers and "ci_low_pct" not in table.headers
    assert any("none has an interval" in n for n in table.notes)


def test_leadership_section_without_data_says_so():
    section = PR.leadership_section(_gallup(), PR.Context("UZB"))
    assert section.finding == (
        "The bundle holds no Gallup approval of Russia's leadership in Uzbekistan."
    )
    assert "No published data" in repr(section.elements[0])


def test_eaeu_section_edb_range_and_other_pollsters():
    section = PR.eaeu_section(_edb(), CTX)
    sentence, figure = section.finding
    assert sentence == (
        "In the EDB Integration Barometer, support for the Customs Union and the EAEU in "
        "Kazakhstan ranged from 74 % (2016) to 84 % (2014) over 3 waves, 2014–2016."
    )
    assert figure.subtitle.endswith(
        "; 1 other reading by other pollsters, with other wordings, is not joined to it."
    )
    data = report.read_csv_text(figure.csv())
    assert len(data) == 4  # 3 EDB waves + the KazISS reading
    assert set(data["Power asked about"]) == {"EAEU"}
    wording = [repr(e) for e in section.elements if "Wording" in repr(e)]
    assert wording == [
        "Wording. How the pollster's page words the question: 2014, “support for joining”."
    ]


def test_war_side_section_finding_with_test():
    polls = _side_waves()
    section = PR.war_side_section(polls, CTX)
    sentence, _ = section.finding
    test = P.two_proportion_test(39.0, 1100, 13.0, 1110, design_effect=1.5)
    assert test.p_value < 0.001
    assert sentence == (
        "Support for Russia in the war among Kazakhstan's adults fell from 39 % in March 2022 "
        "to 12.8 % in May 2023 (DEMOSCOPE); the first change, −26.0 points, is outside "
        "sampling error (p < 0.001)."
    )
    residuals = repr(section.elements[1])
    # 39 + 10 + 46 = 95: 5 % not published
    assert residuals.startswith(
        "Residuals. March 2022: the published answers sum to 95.0 %, the remaining 5.0 %"
    )


def test_war_sections_without_data_say_so():
    polls = _gallup()
    for build in (
        PR.war_side_section,
        PR.war_waves_section,
        PR.war_trend_section,
        PR.war_subgroups_section,
        PR.war_other_section,
    ):
        section = build(polls, CTX)
        assert len(section.elements) == 1
        assert isinstance(section.elements[0], report.Note)
    assert PR.war_side_section(polls, CTX).finding == (
        "No poll in the bundle asked respondents in Kazakhstan which side they support in the "
        "war in Ukraine."
    )


def _flows() -> tuple[pd.DataFrame, pd.DataFrame]:
    flows = pd.DataFrame(
        {
            "year": [2018, 2018, 2019, 2019, 2018, 2019, 2019],
            "origin_iso3": ["KAZ", "KAZ", "KAZ", "KAZ", "KGZ", "KGZ", "KGZ"],
            "dest_iso3": ["RUS", "USA", "RUS", "USA", "RUS", "RUS", "TUR"],
            "dest_name": ["Russia", "United States", "Russia", "United States", "Russia",
                          "Russia", "Turkey"],
            "students": [700.0, 300.0, 600.0, 400.0, 50.0, 60.0, 40.0],
            "source": "uis_flows_360info",
        }
    )  # fmt: skip
    inbound = pd.DataFrame(
        {
            "country_iso3": ["KAZ", "KAZ"],
            "year": [2018, 2019],
            "outbound_derived_students": [1400.0, 1000.0],
            "source": "uis_inbound_netflow",
        }
    )
    for frame, sid in ((flows, "uis_flows_360info"), (inbound, "uis_inbound_netflow")):
        frame.attrs["provenance"] = {
            "sources": [{"id": sid, "publisher": "UIS", "title": sid, "edition": "2025"}]
        }
    return flows, inbound


def test_students_section_shares_and_finding():
    flows, inbound = _flows()
    section = PR.students_section(flows, inbound, CTX)
    sentence, figure = section.finding
    # 700 / (700 + 300) = 70 %, 600 / 1000 = 60 %
    assert sentence == (
        "Russia's share of Kazakhstan's students abroad (destinations UNESCO lists, China not "
        "among them) went from 70 % in 2018 to 60 % in 2019."
    )
    assert figure.subtitle == (
        "Russia's share of Kazakhstan's listed students abroad fell from 70.0 % in 2018 to "
        "60.0 % in 2019."
    )
    data = report.read_csv_text(figure.csv())
    assert len(data) == 4  # 2 origins × 2 years, as plotted
    kgz = data[data["Origin"] == "Kyrgyzstan"].set_index("Year")
    assert kgz.loc[2019, "Russia's share of listed students (%)"] == pytest.approx(60.0)
    # the table across origins: 2019, the last year with Russia for both
    common = [e for e in section.elements if isinstance(e, report.Table)][1]
    assert common.title.endswith("in 2019")
    assert list(common.frame["origin_iso3"]) == ["KAZ", "KGZ"]


def test_census_section_and_figure():
    indicators = pd.DataFrame(
        {
            "indicator": ["ethnic_share_census"] * 4 + ["language_can_speak_census"],
            "country_iso3": ["KAZ"] * 5,
            "year": [1989, 1989, 2021, 2021, 2021],
            "group": ["Kazakhs", "Russians", "Kazakhs", "Russians", "Russian"],
            "value_pct": [39.7, 37.7, 70.4, 15.5, 83.7],
            "source": ["a", "a", "b", "b", "b"],
        }
    )
    indicators.attrs["provenance"] = {
        "sources": [
            {"id": "a", "publisher": "Paper (working paper)", "title": "A", "edition": "1"},
            {"id": "b", "publisher": "News site (citing the census)", "title": "B", "edition": "2"},
        ]
    }
    section = PR.census_section(indicators, CTX)
    figure = next(e for e in section.elements if isinstance(e, report.Figure))
    assert figure.subtitle == (
        "Ethnic Kazakhs rose from 39.7 % in 1989 to 70.4 % in 2021 and ethnic Russians fell "
        "from 37.7 % in 1989 to 15.5 % in 2021."
    )
    assert len(report.read_csv_text(figure.csv())) == 4
    table = section.elements[0]
    assert list(table.frame["published_by"]) == ["Paper", "News site"]  # names, not ids
    assert report.reader_text_problems(table.html()) == []
    empty = PR.census_section(indicators, PR.Context("TJK"))
    assert "Kazakhstan only, not Tajikistan" in repr(empty.elements[0])


def test_ledger_sentence_grammar():
    frame = pd.DataFrame({"verdict": ["supported", "partly_supported", "partly_supported"]})
    assert PR.ledger_sentence(frame) == (
        "Of the 3 thesis claims the poll and soft-power data test (about Kazakhstan, whatever "
        "this report's country), 1 is supported and 2 partly supported."
    )


def test_findings_link_their_elements_and_work_without_data():
    polls = _gallup()
    flows, inbound = _flows()
    ledger = pd.DataFrame({"verdict": ["supported", "untestable"]})
    sections = [
        PR.coverage_section(polls, CTX),
        PR.leadership_section(polls, CTX),
        PR.eaeu_section(polls, CTX),
        PR.war_side_section(polls, CTX),
        PR.students_section(flows, inbound, CTX),
    ]
    box = PR.findings(*sections, ledger=ledger)
    assert len(box.items) == 6
    anchors = [anchor for _, anchor, _ in box.items]
    assert anchors[0] == sections[0].elements[0].anchor  # the coverage table
    assert anchors[1] == sections[1].finding[1].anchor  # the approval figure
    assert anchors[2] is None and anchors[3] is None  # no EAEU, no war data: no link
    assert box.items[2][0] == (
        "No poll in the bundle measures support for the Customs Union or the EAEU in Kazakhstan."
    )
    assert report.reader_text_problems(box.html()) == []


def test_section_displays_its_elements(monkeypatch):
    shown = []
    import IPython.display

    monkeypatch.setattr(IPython.display, "display", lambda e: shown.append(e))
    notes = [report.Note("one"), report.Note("two")]
    PR.Section(notes)._ipython_display_()
    assert shown == notes


def test_reader_text_of_every_section_is_clean():
    polls = pd.concat([_side_waves(), _gallup(), _edb()], ignore_index=True)
    polls = _provenance(polls)
    for build in (
        PR.coverage_section,
        PR.toplines_section,
        PR.leadership_section,
        PR.eaeu_section,
        PR.trends_section,
        PR.war_side_section,
        PR.war_waves_section,
        PR.war_trend_section,
        PR.war_other_section,
        PR.quality_section,
    ):
        for element in build(polls, CTX).elements:
            assert report.reader_text_problems(element.html()) == [], (build.__name__, element)
