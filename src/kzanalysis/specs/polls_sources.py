"""Polls sources: transcribed toplines and indicators, UNESCO UIS student data.

Declarations only: the raw files under ``--raw``, each :class:`~kzanalysis.schema.Source`
(publisher, terms, provenance), the poll series a survey name belongs to
(:data:`POLL_SERIES`) and the source of each soft-power row (:data:`INDICATOR_SOURCES`).
"""

from __future__ import annotations

from kzanalysis.schema import NO_CADENCE, Source

# --------------------------------------------------------------------------- raw files

TOPLINES = "polls/raw/toplines_transcribed.csv"
INDICATORS = "polls/raw/soft_power_indicators_transcribed.csv"
FLOWS = "polls/raw/uis_student_flows_top10_destinations_by_origin_360info.csv"
INBOUND = "polls/raw/uis_inbound_and_netflow_by_country.csv"
INBOUND_DEFS = "polls/raw/uis_inbound_and_netflow_indicator_definitions.csv"

_TRANSCRIBED = (
    "Hand-transcribed from stored copies of the public web pages named row by row (each "
    "row's page address); values cut off in those copies are left out, not guessed. Snapshot file "
    "{path} in the shared data folder (see polls/PROVENANCE.md); the transcription date is "
    "not recorded."
)
_QUOTED = (
    "Published toplines quoted as short factual figures with credit; the original "
    "publication is not re-hosted and no licence to it is implied. Cite the pollster ({credit}) "
    "and the page each row names; for rows taken from a secondary report also the "
    "reporting outlet each row names."
)


def _poll_source(sid: str, publisher: str, title: str, url: str, edition: str) -> Source:
    """A transcribed poll series (all rows come from ``toplines_transcribed.csv``)."""
    return Source(
        id=sid,
        publisher=publisher,
        title=title,
        url=url,
        terms=_QUOTED.format(credit=publisher),
        edition=edition,
        retrieved=_TRANSCRIBED.format(path=TOPLINES),
        raw_paths=(TOPLINES,),
        release_cadence_months=NO_CADENCE,
        release_note="Toplines transcribed by hand from published releases; a new wave is "
        "added when it is transcribed, so the age of the newest wave says nothing about "
        "staleness.",
    )


SRC_DEMOSCOPE = _poll_source(
    "demoscope",
    "DEMOSCOPE Bureau of Public Opinion Express Monitoring (demos.kz), with PaperLab / "
    "MediaNet for waves 3-4",
    "DEMOSCOPE polls on the war in Ukraine (waves Mar 2022, Nov 2022, May 2023, Jan-Feb 2025) "
    "and on US-Russia relations and sanctions (Sept 2017)",
    "https://demos.kz",
    "Press releases 2017-2025 (each row names the page title and address)",
)
SRC_KSE = _poll_source(
    "kse_gradus",
    "Kyiv School of Economics (kse.ua) with Gradus Research",
    "Kazakhs and Russians in Kazakhstan have different opinion on the events in Ukraine - poll",
    "https://kse.ua/about-the-school/news/kazakhs-and-russians-in-kazakhstan-have-different-"
    "opinion-on-the-events-in-ukraine-poll/",
    "Release of 22 Apr 2022 (fieldwork dates, mode and n not given)",
)
SRC_CAB = _poll_source(
    "cab",
    "Central Asia Barometer (ca-barometer.org)",
    "Central Asia Barometer survey results (2017-2022 waves) as published by CAB and as "
    "reported by PONARS Eurasia, Eurasianet and Al Jazeera",
    "https://ca-barometer.org",
    "CAB news and data-blog posts 2020-2023 and secondary reports 2020-2022",
)
SRC_MVECTOR = _poll_source(
    "mvector",
    "M-Vector (Central Asian Barometer, CAB's predecessor)",
    "M-Vector 'Central Asian Barometer' 2012 and summer phone poll (KG, TJ; 2014 inferred)",
    "http://m-vector.com/en/news/?id=290",
    "News item of 24 Oct 2012; phone poll as reported by Eurasianet",
)
SRC_GALLUP = _poll_source(
    "gallup_world_poll",
    "Gallup (Gallup World Poll, 'Rating World Leaders')",
    "Gallup World Poll approval of the leadership of Russia, the U.S., China and Ukraine in "
    "Central Asia, as quoted by secondary reports",
    "https://news.gallup.com",
    "Results for 2006-2025 as quoted in reports published 2009-2026 (no Gallup release read)",
)
SRC_EDB = _poll_source(
    "edb_integration_barometer",
    "Eurasian Development Bank Centre for Integration Studies, with Eurasian Monitor",
    "EDB Integration Barometer (support for the Customs Union / EAEU; friendly countries)",
    "https://eabr.org/en/analytics/integration-research/cii-reports/",
    "Releases of 22 Sep 2014, 16 Oct 2015, 26 Oct 2016 and 13 Dec 2017 (waves 2012-2017)",
)
SRC_KAZISS = _poll_source(
    "kaziss",
    "Kazakhstan Institute for Strategic Studies (KazISS)",
    "KazISS poll on the Eurasian Economic Union (reported in a Korean-language summary)",
    "https://aprc.kr/board/headline/article/148681",
    "Statement at an Almaty conference on 18 Nov 2014 (year inferred; fieldwork unknown)",
)
SRC_OPENDEMOCRACY = _poll_source(
    "opendemocracy",
    "openDemocracy (survey as reported by mediaplov.asia; original not seen)",
    "Survey of Kazakhstan residents on relations with Russia (Feb 2020)",
    "http://mediaplov.asia/ru/news/5856-zhiteli-kazahstana-udovletvoreny-otnosheniyami-s-"
    "rossiey-v-ih-nyneshnem-vide-a-eshshe-26-hoteli-by-sblizheniya-s-rossiey",
    "Survey of Feb 2020, reported 6 May 2020",
)
SRC_TALAP = _poll_source(
    "talap",
    "TALAP Center for Applied Research (talap.org)",
    "Residents of Kazakhstan told about their attitude towards China",
    "https://talap.org/en/news/news-detail/89/",
    "Release of 24 May 2024",
)
SRC_IRI = _poll_source(
    "iri",
    "International Republican Institute, Center for Insights in Survey Research (with SIAR "
    "in 2021)",
    "IRI national polls of Kyrgyzstan (end 2018, 2021): ratings of bilateral relations, as "
    "reported by 24.kg",
    "https://24.kg/english/109821_Kyrgyzstans_relations_with_China_are_poor_31__of_"
    "respondents_believe/",
    "Polls of end 2018 and 2021 as reported by 24.kg",
)

#: Poll series: (pattern matched at the start of ``survey``, source, publisher prefixes of
#: the pollster's own releases). A row whose ``source_publisher`` starts with none of the
#: prefixes is a secondary report (a news site or blog quoting the pollster).
POLL_SERIES: tuple[tuple[str, Source, tuple[str, ...]], ...] = (
    (r"DEMOSCOPE", SRC_DEMOSCOPE, ("DEMOSCOPE",)),
    (r"Kyiv School of Economics", SRC_KSE, ("Kyiv School of Economics",)),
    (r"M-Vector", SRC_MVECTOR, ("M-Vector",)),
    (r"Central Asia Barometer", SRC_CAB, ("Central Asia Barometer",)),
    (r"Gallup World Poll", SRC_GALLUP, ()),
    (r"EDB Integration Barometer", SRC_EDB, ("Eurasian Development Bank",)),
    (r"Kazakhstan Institute for Strategic Studies|KazISS", SRC_KAZISS, ()),
    (r"openDemocracy", SRC_OPENDEMOCRACY, ()),
    (r"TALAP", SRC_TALAP, ("TALAP",)),
    (r"IRI\b", SRC_IRI, ()),
)

#: Wikipedia's copyright page (its text is licensed CC BY-SA; mirrors copy it).
_WIKIPEDIA_TERMS = "https://en.wikipedia.org/wiki/Wikipedia:Copyrights"
_CENSUS_TERMS = (
    "Census figures of the statistics bureau (1989 Soviet census; Kazakhstan's censuses 1999, "
    "2009, 2021) quoted as facts with credit from {where}; the page is not re-hosted. Cite "
    "the census and the page each row names."
)
_ONE_OFF = (
    "Census figures and one-off publications transcribed by hand; censuses come about once "
    "a decade, so there is no regular release to wait for."
)
SRC_DAVE_SINNOTT = Source(
    id="dave_sinnott_2002",
    publisher="Bhavna Dave with Peter Sinnott, NCEEER working paper (2002)",
    title="Demographic and Language Politics in the 1999 Kazakhstan Census",
    url="http://docplayer.net/67743199-Demographic-and-language-politics-in-th-e-1999-"
    "kazakhstan-censu-s.html",
    terms=_CENSUS_TERMS.format(where="an academic working paper (stored copy on docplayer.net)"),
    edition="Working paper, 2002 (1989 and 1999 census shares)",
    retrieved=_TRANSCRIBED.format(path=INDICATORS),
    raw_paths=(INDICATORS,),
    release_cadence_months=NO_CADENCE,
    release_note=_ONE_OFF,
)
SRC_AQPARAT = Source(
    id="aqparat_2023",
    publisher="aqparat.info (news site citing the 2021 census national-composition volume)",
    title="Численность казахов увеличилась до 13,4 млн в Казахстане",
    url="https://aqparat.info/news/2023/11/07/10593416-chislennost_kazahov_uvelichilas_do_13_4"
    ".html",
    terms=_CENSUS_TERMS.format(where="a news article"),
    edition="Article of 7 Nov 2023 (2009 and 2021 census)",
    retrieved=_TRANSCRIBED.format(path=INDICATORS),
    raw_paths=(INDICATORS,),
    release_cadence_months=NO_CADENCE,
    release_note=_ONE_OFF,
)
SRC_WIKI_RUSSIANS = Source(
    id="wikipedia_russians_in_kazakhstan",
    publisher="perceptiopt.com (mirror of the Wikipedia article on Russians in Kazakhstan)",
    title="Russos no Cazaquistão (mirror of a Wikipedia article citing the 2021 census)",
    url="https://perceptiopt.com/%D0%A0%D1%83%D1%81%D1%81%D0%BA%D0%B8%D0%B5_%D0%B2_%D0%9A%D0%B0"
    "%D0%B7%D0%B0%D1%85%D1%81%D1%82%D0%B0%D0%BD%D0%B5",
    terms=_CENSUS_TERMS.format(where="a mirror of Wikipedia (Wikipedia text is CC BY-SA)"),
    terms_url=_WIKIPEDIA_TERMS,
    edition="Mirror page as stored (2021 census)",
    retrieved=_TRANSCRIBED.format(path=INDICATORS),
    raw_paths=(INDICATORS,),
    release_cadence_months=NO_CADENCE,
    release_note=_ONE_OFF,
)
SRC_WIKI_LANGUAGES = Source(
    id="wikipedia_languages_of_kazakhstan",
    publisher="wikimili.com (mirror of the Wikipedia article 'Languages of Kazakhstan'; same "
    "table on knowpia.com and arc.ask3.ru)",
    title="Languages of Kazakhstan (Wikipedia mirror citing the 2021 census)",
    url="https://wikimili.com/en/Languages_of_Kazakhstan",
    terms=_CENSUS_TERMS.format(where="a mirror of Wikipedia (Wikipedia text is CC BY-SA)"),
    terms_url=_WIKIPEDIA_TERMS,
    edition="Mirror page as stored (2021 census)",
    retrieved=_TRANSCRIBED.format(path=INDICATORS),
    raw_paths=(INDICATORS,),
    release_cadence_months=NO_CADENCE,
    release_note=_ONE_OFF,
)
SRC_LOC_2006 = Source(
    id="loc_country_profile_2006",
    publisher="Library of Congress, Federal Research Division",
    title="Country Profile: Kazakhstan, December 2006",
    url="https://www.hitpages.com/doc/4508415359451136/5/",
    terms="Work of the US federal government (public domain in the US); cite the Library of "
    "Congress country profile. Read in a stored copy on hitpages.com (p. 5).",
    terms_url="https://www.loc.gov/legal/",
    edition="December 2006",
    retrieved=_TRANSCRIBED.format(path=INDICATORS),
    raw_paths=(INDICATORS,),
    release_cadence_months=NO_CADENCE,
    release_note=_ONE_OFF,
)
SRC_UIS_FLOWS = Source(
    id="uis_flows_360info",
    publisher="360info, from UNESCO Institute for Statistics (UIS) data",
    title="UIS bilateral flows of internationally mobile tertiary students: 10 most popular "
    "destinations by origin, 1998-2021 (360info 'Education Brain Drain' derived data, "
    "popular-destinations-by-origin.csv)",
    url="https://github.com/360-info/report-global-education",
    terms="360info's derived data: Creative Commons Attribution 4.0 (the repository's README "
    "and LICENCE.md); attribute 360info and the UNESCO Institute for Statistics. The "
    "underlying figures are UIS data, whose own terms were not checked against UIS's terms "
    "page.",
    license_id="CC-BY-4.0",
    edition="data/popular-destinations-by-origin.csv as last changed in commit "
    "8d321936380476d7f3737c82db13ca8c165bddac (UIS data years 1998-2021)",
    retrieved="Copied byte-for-byte from the public GitHub repository "
    "360-info/report-global-education, path data/popular-destinations-by-origin.csv, snapshot "
    "HEAD b09bb22ac7ef73d980891d8990cf4d0c4b5f3b94 (2023-01-09); sha256 "
    "743fc0426e3793c31f428ae097be025310de011666ec23ba069a14cd1820fb18.",
    raw_paths=(FLOWS,),
    release_cadence_months=NO_CADENCE,
    release_note="360info's one-off derived data set (2023); it is not updated.",
)
SRC_UIS_INBOUND = Source(
    id="uis_inbound_netflow",
    publisher="UNESCO Institute for Statistics (UIS)",
    title="UIS education data: total inbound internationally mobile students (26637) and net "
    "flow of internationally mobile students, inbound - outbound (MENF.5T8, UIS estimate)",
    url="http://data.uis.unesco.org",
    terms="UIS terms govern (the mirror repository's MIT licence covers only its code). UIS "
    "publishes these statistics as open data for reuse with credit to the UNESCO Institute "
    "for Statistics. The licence is recorded here as CC BY-SA 3.0 IGO, not checked against "
    "UIS's own terms page.",
    edition="February 2025 data release (lastDataUpdate 2025-02-23)",
    retrieved="Copied byte-for-byte (renamed) from the public GitHub repository "
    "nemuulen/INFOSCI301_Final_Project, path data/RAW_inbound_and_outbound_data.csv (last "
    "changed in commit 41436bb90c040903bc794574669da8747f7495d6, snapshot HEAD "
    "e163144625cdd2ac870a4d407377232c132ebd49; sha256 613a316f531662d87045eb92011892d20ea893b"
    "857bbb7122af2ee4dd8036a6e); indicator definitions from data/inbound_data/indicators.csv "
    "at commit 7a686b08b51352ea8a357b093d9ce9d31ca328a9. Original: UIS bulk download service.",
    raw_paths=(INBOUND, INBOUND_DEFS),
    release_cadence_months=12,
    release_lag_months=12,
    release_note="UIS releases education data twice a year; a year's figures appear within "
    "about a year.",
)

#: Source of each soft-power row, keyed by the host of ``source_url`` (or the
#: ``github:<owner>/<repo>`` prefix the transcription uses for the UIS files).
INDICATOR_SOURCES: dict[str, Source] = {
    "docplayer.net": SRC_DAVE_SINNOTT,
    "aqparat.info": SRC_AQPARAT,
    "perceptiopt.com": SRC_WIKI_RUSSIANS,
    "wikimili.com": SRC_WIKI_LANGUAGES,
    "www.hitpages.com": SRC_LOC_2006,
    "github:360-info/report-global-education": SRC_UIS_FLOWS,
    "github:nemuulen/INFOSCI301_Final_Project": SRC_UIS_INBOUND,
}
