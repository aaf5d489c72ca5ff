"""Curation of the polls snapshots: poll toplines, soft-power indicators, UIS student flows.

Tables (see ``polls/PROVENANCE.md`` in the shared snapshot folder):

* ``poll_toplines`` — one row per published answer share of a poll question in Central
  Asia, hand-transcribed from pollsters' releases and from secondary reports (flagged).
* ``soft_power_indicators`` — census ethnic shares and counts, language knowledge and
  Kazakhstan's students abroad, hand-transcribed (a few values DERIVED from the UIS files,
  which are re-computed here and must agree).
* ``student_flows`` — UNESCO UIS bilateral flows of tertiary students from the five Central
  Asian states to their 10 largest reported destinations (+ "Other countries"), via 360info.
* ``uis_inbound_netflow`` — UIS inbound mobile students and net flow for the five Central
  Asian states, Russia and China, with outbound derived as inbound minus net flow.

Country names are mapped to ISO3 with ``pycountry`` plus :data:`NAME_ALIASES`; a name that
maps to nothing (and is not a known pooled group) raises :class:`RawDataError`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd

from kzanalysis.countries import lookup_iso3
from kzanalysis.curate._io import fail, require
from kzanalysis.schema import Field, Source, TableSpec, read_dtypes

# --------------------------------------------------------------------------- raw files

TOPLINES = "polls/raw/toplines_transcribed.csv"
INDICATORS = "polls/raw/soft_power_indicators_transcribed.csv"
FLOWS = "polls/raw/uis_student_flows_top10_destinations_by_origin_360info.csv"
INBOUND = "polls/raw/uis_inbound_and_netflow_by_country.csv"
INBOUND_DEFS = "polls/raw/uis_inbound_and_netflow_indicator_definitions.csv"

TOPLINES_COLUMNS = (
    "survey",
    "fieldwork_start",
    "fieldwork_end",
    "country",
    "population",
    "subgroup",
    "question_id",
    "question_text",
    "option",
    "percent",
    "n",
    "source_title",
    "source_publisher",
    "source_url",
    "page_or_table",
)
INDICATORS_COLUMNS = (
    "indicator",
    "year",
    "country",
    "region",
    "group",
    "value",
    "unit",
    "source_title",
    "source_publisher",
    "source_url",
    "note",
)
FLOWS_COLUMNS = ("year", "origin_country_name", "dest_country_lumped", "value_lumped", "cond_all")
INBOUND_COLUMNS = ("indicatorId", "geoUnit", "year", "value", "qualifier", "magnitude")
INBOUND_DEFS_COLUMNS = ("indicatorId", "name", "lastDataUpdate", "lastDataUpdateDescription")

# --------------------------------------------------------------------------- countries

#: The five Central Asian states, with their ISO3 codes.
CENTRAL_ASIA: dict[str, str] = {
    "Kazakhstan": "KAZ",
    "Kyrgyzstan": "KGZ",
    "Tajikistan": "TJK",
    "Turkmenistan": "TKM",
    "Uzbekistan": "UZB",
}

#: Publisher spellings that ``pycountry.countries.lookup`` does not resolve (UIS / 360info
#: names: ISO's short names are "Russian Federation", "Türkiye", "Korea, Republic of").
NAME_ALIASES: dict[str, str] = {
    "Russia": "RUS",
    "Turkey": "TUR",
    "Republic of Korea": "KOR",
}

#: Pooled multi-country samples in the toplines (no ISO3 code; country_iso3 left empty).
POOLED_GROUPS: frozenset[str] = frozenset({"Central Asia (KZ, KG, TJ, UZ pooled)"})

#: 360info's lump of destinations outside an origin's top 10 (dest_iso3 left empty).
OTHER_DESTINATIONS = "Other countries"

#: Countries of the ``uis_inbound_netflow`` table: Central Asia plus the comparison actors.
INBOUND_SCOPE: tuple[str, ...] = (*sorted(CENTRAL_ASIA.values()), "CHN", "RUS")

#: UIS indicator ids of the inbound/net-flow file.
UIS_INBOUND = "26637"
UIS_NETFLOW = "MENF.5T8"

# --------------------------------------------------------------------------- sources

_TRANSCRIBED = (
    "Hand-transcribed by the project's data-scout session from stored copies of the public "
    "web pages named row by row in source_url (no live web access; values cut off in the "
    "stored text were left out, not guessed). Snapshot file {path} in the shared data folder; "
    "see polls/PROVENANCE.md. Transcription date not recorded there."
)
_QUOTED = (
    "Published toplines quoted as short factual figures with credit; the original "
    "publication is not re-hosted and no licence to it is implied. Cite the pollster ({credit}) "
    "and the page in source_url; for rows with secondary_report = true also the reporting "
    "outlet named in source_publisher."
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
    )


SRC_DEMOSCOPE = _poll_source(
    "demoscope",
    "DEMOSCOPE Bureau of Public Opinion Express Monitoring (demos.kz), with PaperLab / "
    "MediaNet for waves 3-4",
    "DEMOSCOPE polls on the war in Ukraine (waves Mar 2022, Nov 2022, May 2023, Jan-Feb 2025) "
    "and on US-Russia relations and sanctions (Sept 2017)",
    "https://demos.kz",
    "Press releases 2017-2025 (see source_title / source_url per row)",
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

_CENSUS_TERMS = (
    "Census figures of the statistics bureau (1989 Soviet census; Kazakhstan's censuses 1999, "
    "2009, 2021) quoted as facts with credit from {where}; the page is not re-hosted. Cite "
    "the census and the page in source_url."
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
)
SRC_WIKI_RUSSIANS = Source(
    id="wikipedia_russians_in_kazakhstan",
    publisher="perceptiopt.com (mirror of the Wikipedia article on Russians in Kazakhstan)",
    title="Russos no Cazaquistão (mirror of a Wikipedia article citing the 2021 census)",
    url="https://perceptiopt.com/%D0%A0%D1%83%D1%81%D1%81%D0%BA%D0%B8%D0%B5_%D0%B2_%D0%9A%D0%B0"
    "%D0%B7%D0%B0%D1%85%D1%81%D1%82%D0%B0%D0%BD%D0%B5",
    terms=_CENSUS_TERMS.format(where="a mirror of Wikipedia (Wikipedia text is CC BY-SA)"),
    edition="Mirror page as stored (2021 census)",
    retrieved=_TRANSCRIBED.format(path=INDICATORS),
    raw_paths=(INDICATORS,),
)
SRC_WIKI_LANGUAGES = Source(
    id="wikipedia_languages_of_kazakhstan",
    publisher="wikimili.com (mirror of the Wikipedia article 'Languages of Kazakhstan'; same "
    "table on knowpia.com and arc.ask3.ru)",
    title="Languages of Kazakhstan (Wikipedia mirror citing the 2021 census)",
    url="https://wikimili.com/en/Languages_of_Kazakhstan",
    terms=_CENSUS_TERMS.format(where="a mirror of Wikipedia (Wikipedia text is CC BY-SA)"),
    edition="Mirror page as stored (2021 census)",
    retrieved=_TRANSCRIBED.format(path=INDICATORS),
    raw_paths=(INDICATORS,),
)
SRC_LOC_2006 = Source(
    id="loc_country_profile_2006",
    publisher="Library of Congress, Federal Research Division",
    title="Country Profile: Kazakhstan, December 2006",
    url="https://www.hitpages.com/doc/4508415359451136/5/",
    terms="Work of the US federal government (public domain in the US); cite the Library of "
    "Congress country profile. Read in a stored copy on hitpages.com (p. 5).",
    edition="December 2006",
    retrieved=_TRANSCRIBED.format(path=INDICATORS),
    raw_paths=(INDICATORS,),
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
    "underlying figures are UIS data, whose own terms were not read in the snapshot session.",
    edition="data/popular-destinations-by-origin.csv as last changed in commit "
    "8d321936380476d7f3737c82db13ca8c165bddac (UIS data years 1998-2021)",
    retrieved="Copied byte-for-byte from the public GitHub repository "
    "360-info/report-global-education, path data/popular-destinations-by-origin.csv, snapshot "
    "HEAD b09bb22ac7ef73d980891d8990cf4d0c4b5f3b94 (2023-01-09); sha256 "
    "743fc0426e3793c31f428ae097be025310de011666ec23ba069a14cd1820fb18.",
    raw_paths=(FLOWS,),
)
SRC_UIS_INBOUND = Source(
    id="uis_inbound_netflow",
    publisher="UNESCO Institute for Statistics (UIS)",
    title="UIS education data: total inbound internationally mobile students (26637) and net "
    "flow of internationally mobile students, inbound - outbound (MENF.5T8, UIS estimate)",
    url="http://data.uis.unesco.org",
    terms="UIS terms govern (the mirror repository's MIT licence covers only its code). UIS "
    "publishes these statistics as open data for reuse with credit to the UNESCO Institute "
    "for Statistics; the project brief records the licence as CC BY-SA 3.0 IGO, which was not "
    "checked against UIS's own terms page in the snapshot session.",
    edition="February 2025 data release (lastDataUpdate 2025-02-23)",
    retrieved="Copied byte-for-byte (renamed) from the public GitHub repository "
    "nemuulen/INFOSCI301_Final_Project, path data/RAW_inbound_and_outbound_data.csv (last "
    "changed in commit 41436bb90c040903bc794574669da8747f7495d6, snapshot HEAD "
    "e163144625cdd2ac870a4d407377232c132ebd49; sha256 613a316f531662d87045eb92011892d20ea893b"
    "857bbb7122af2ee4dd8036a6e); indicator definitions from data/inbound_data/indicators.csv "
    "at commit 7a686b08b51352ea8a357b093d9ce9d31ca328a9. Original: UIS bulk download service.",
    raw_paths=(INBOUND, INBOUND_DEFS),
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

#: Soft-power units as transcribed, by prefix, and the value column each goes to.
UNIT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("%", "value_pct"),
    ("persons", "value_persons"),
    ("tertiary students", "value_students"),
)

#: Meaning of the toplines ``subgroup`` codes (PROVENANCE.md).
SUBGROUPS: dict[str, str] = {
    "all": "whole sample",
    "russian_speakers": "chose to be interviewed in Russian (not ethnicity or mother tongue)",
    "kazakh_speakers": "chose to be interviewed in Kazakh (not ethnicity or mother tongue)",
    "ethnic_russians": "self-declared ethnic Russians",
    "ethnic_kazakhs": "self-declared ethnic Kazakhs",
    "other_ethnic_groups": "self-declared other ethnic groups",
    "age_18_29": "aged 18-29",
    "age_60_plus": "aged 60 and over",
}

_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
_YEAR_RE = re.compile(r"^\d{4}$")
_INT_RE = re.compile(r"^\d+$")
_COND = re.compile(r"^[a-] [b-] [c-] [d-]$")
_YEAR = "calendar year"
_STUDENTS = "number of internationally mobile tertiary students"

# --------------------------------------------------------------------------- specs

_ISO3_CA = tuple(sorted(CENTRAL_ASIA.values()))


def _source_field(sources: Iterable[Source]) -> Field:
    ids = tuple(sorted({s.id for s in sources}))
    return Field("source", "string", "Id of the Source the row comes from", enum=ids)


_POLL_SOURCES = tuple(s for _, s, _ in POLL_SERIES)

POLL_TOPLINES = TableSpec(
    name="poll_toplines",
    title="Opinion-poll toplines in Central Asia on Russia, China, the West and the EAEU",
    description=(
        "One row per published answer share (option) of a poll question, for a country "
        "sample and respondent subgroup, hand-transcribed from pollsters' releases or from "
        "news reports quoting them (secondary_report). Shares of one question need not sum "
        "to 100 (don't-knows unpublished, multiple answers, or combined rows kept under their "
        "own question_id)."
    ),
    fields=(
        Field("survey", "string", "Survey / wave as named by the transcription"),
        Field(
            "fieldwork_start",
            "string",
            "Fieldwork start, ISO text with the precision published (YYYY, YYYY-MM or "
            "YYYY-MM-DD); empty when unknown",
            nullable=True,
        ),
        Field(
            "fieldwork_end",
            "string",
            "Fieldwork end, ISO text with the precision published; empty when unknown",
            nullable=True,
        ),
        Field(
            "fieldwork_year",
            "integer",
            "Year of fieldwork_end (of fieldwork_start if the end is unknown); empty when "
            "neither is known. For pooled multi-year rows this is the last year.",
            unit=_YEAR,
            nullable=True,
            minimum=1990,
        ),
        Field(
            "country_iso3",
            "string",
            "ISO3 code of the country sampled; empty for pooled multi-country samples",
            nullable=True,
            enum=_ISO3_CA,
        ),
        Field("country", "string", "Country or pooled sample as transcribed"),
        Field("population", "string", "Population / method as the page described it"),
        Field(
            "subgroup",
            "string",
            "Respondent subgroup: "
            + "; ".join(f"{k} = {v}" for k, v in SUBGROUPS.items())
            + " (subgroup n's were never published)",
            enum=tuple(SUBGROUPS),
        ),
        Field("question_id", "string", "Project id of the question (prefix = series)"),
        Field("question_text", "string", "Short English paraphrase (not questionnaire wording)"),
        Field("option", "string", "Answer option the share refers to"),
        Field(
            "share_pct",
            "number",
            "Share of respondents (of the subgroup) giving the option",
            unit="percent",
            minimum=0,
            maximum=100,
        ),
        Field(
            "sample_n",
            "integer",
            "Sample size printed on the page (whole sample); empty when not printed",
            unit="number of respondents",
            nullable=True,
            minimum=1,
        ),
        Field("source_title", "string", "Title of the page the figure was read on"),
        Field("source_publisher", "string", "Publisher of that page (and date, as transcribed)"),
        Field("source_url", "string", "Address of that page, exactly as the stored corpus gave it"),
        Field("page_or_table", "string", "Where on the page the figure is, with row caveats"),
        Field(
            "secondary_report",
            "boolean",
            "True when source_publisher is not the pollster (a news site or blog quoting it): "
            "weaker evidence than the pollster's own release",
        ),
        _source_field(_POLL_SOURCES),
    ),
    primary_key=(
        "survey",
        "fieldwork_start",
        "fieldwork_end",
        "country",
        "subgroup",
        "question_id",
        "option",
    ),
    sources=_POLL_SOURCES,
    spatial="Kazakhstan, Kyrgyzstan, Tajikistan, Uzbekistan; one pooled Central Asia sample",
    caveats=(
        "Hand-transcribed from stored web pages; numbers cut off in the stored text are "
        "missing, not guessed. question_text is the project's paraphrase.",
        "Several Gallup and CAB figures (and all Gallup, IRI, KazISS and openDemocracy rows) "
        "come from secondary reports (secondary_report = true); treat them as weaker than the "
        "pollster's own release. The 2025 Gallup rows come from a pro-Kremlin aggregator that "
        "relabels 'approval of leadership' as 'support'.",
        "russian_speakers / kazakh_speakers = language chosen for the interview, not "
        "ethnicity; the language mix swings between DEMOSCOPE waves (77% Russian in Mar 2022, "
        "75% Nov 2022, 40.3% May 2023), so do not compare these subgroups across waves.",
        "DEMOSCOPE wave 1 (Mar 2022) method is not in the stored excerpt (one blog says Almaty "
        "only, demos.kz says all regions). The 2025 release's '2022' comparison values are "
        "assigned to the Nov-2022 wave.",
        "Rows of a question need not sum to 100; dms_war_perception_kremlin_combined is the "
        "published sum of two framings, kept separate so it is not double counted.",
        "KSE/Gradus (Apr 2022): no fieldwork dates, mode or n (fieldwork_year empty); "
        "indicative only. KazISS 2014: fieldwork unknown, fieldwork_end is the conference "
        "date of the statement (year inferred). M-Vector phone poll year (2014) inferred.",
        "Central Asia Barometer: waves 1-6 (2017-2019) face to face, wave 7 on by mobile "
        "phone; do not pool across the mode change. The Al Jazeera war-responsibility figures' "
        "wave is ambiguous (see page_or_table).",
        "Gallup: only scattered country values; 87% (KZ approval of Russia's leadership) was "
        "published Jan 2009 and is dated 2008 here. No year-by-year Gallup series 2007-2023.",
        "EDB 2012-2014 (Kyrgyzstan) measure support for joining; two eabr.org URLs have slugs "
        "that do not match their titles (recorded as found).",
        "DEMOSCOPE Sept 2017 used a phone + online non-probability sample (68% women).",
    ),
    year_field="fieldwork_year",
)

_INDICATOR_SOURCES = tuple(dict.fromkeys(INDICATOR_SOURCES.values()))

SOFT_POWER_INDICATORS = TableSpec(
    name="soft_power_indicators",
    title="Soft-power indicators for Kazakhstan: ethnicity, language, students abroad",
    description=(
        "One row per transcribed indicator value: census ethnic shares and counts, language "
        "knowledge (2021 census; Library of Congress 2006 estimate) and Kazakhstan's tertiary "
        "students abroad (UIS). Exactly one of value_pct, value_persons, value_students is "
        "filled, by unit. Rows marked derived were computed by the data scout from the UIS "
        "files; curation re-computes them from those files and fails if they disagree."
    ),
    fields=(
        Field("indicator", "string", "Indicator id (e.g. ethnic_share_census)"),
        Field(
            "year",
            "integer",
            "Reference year (census year, profile year, data year)",
            unit=_YEAR,
            minimum=1900,
        ),
        Field("country_iso3", "string", "ISO3 code of the country", enum=_ISO3_CA),
        Field("country", "string", "Country name as transcribed"),
        Field("region", "string", "Sub-national region (empty: whole country)", nullable=True),
        Field("group", "string", "Group measured (ethnic group, language, destination ...)"),
        Field(
            "value_pct",
            "number",
            "Value when the unit is a percentage (base in unit_original)",
            unit="percent",
            nullable=True,
            minimum=0,
            maximum=100,
        ),
        Field(
            "value_persons",
            "number",
            "Value when the unit is persons (rounding in unit_original)",
            unit="number of persons",
            nullable=True,
            minimum=0,
        ),
        Field(
            "value_students",
            "number",
            "Value when the unit is tertiary students",
            unit=_STUDENTS,
            nullable=True,
            minimum=0,
        ),
        Field("unit_original", "string", "Unit as transcribed (e.g. '% of ethnic Kazakhs')"),
        Field(
            "derived",
            "boolean",
            "True when the transcription marks the value DERIVED (computed from the UIS "
            "files, not read on a page)",
        ),
        Field("source_title", "string", "Title of the page or file the value comes from"),
        Field("source_publisher", "string", "Publisher of that page or file"),
        Field("source_url", "string", "Address of the page (github:<repo> <path> for files)"),
        Field("note", "string", "Transcriber's note", nullable=True),
        _source_field(_INDICATOR_SOURCES),
    ),
    primary_key=("indicator", "year", "country_iso3", "group", "source_title"),
    sources=_INDICATOR_SOURCES,
    spatial="Kazakhstan (national level only)",
    caveats=(
        "Census figures come from news sites, an academic paper and Wikipedia mirrors, not "
        "from the statistics bureau's own tables.",
        "Two different 2021 counts of ethnic Russians are kept (2.9 mln rounded, aqparat.info; "
        "2,981,946, Wikipedia mirror): filter by source when using them.",
        "The 2009 census share of ethnic Russians is not in the data; region-level ethnic "
        "shares were not found.",
        "The Library of Congress 2006 language figures (Kazakh 64.4%, Russian 95%) are an "
        "older estimate; the 2021 census gives 80.1% (Kazakh) and 83.7% (Russian) who can "
        "speak the language.",
        "outbound_students_sum_listed_destinations_uis sums only destinations that report "
        "to UIS (China is missing), so it is not total outbound; "
        "outbound_students_total_uis_derived is UIS inbound minus UIS net flow (an estimate).",
    ),
    year_field="year",
)

STUDENT_FLOWS = TableSpec(
    name="student_flows",
    title="UIS bilateral tertiary student flows from Central Asia (top 10 destinations)",
    description=(
        "One row per origin (the five Central Asian states), destination and year: "
        "internationally mobile tertiary students from the origin enrolled in the "
        "destination, for the origin's 10 largest reported destinations; the rest are lumped "
        "as 'Other countries' (dest_iso3 empty). UIS data via 360info."
    ),
    fields=(
        Field("year", "integer", "Data year", unit=_YEAR, minimum=1990),
        Field("origin_iso3", "string", "ISO3 code of the origin country", enum=_ISO3_CA),
        Field("origin_name", "string", "Origin name as 360info spells it"),
        Field(
            "dest_iso3",
            "string",
            "ISO3 code of the destination; empty for the 'Other countries' lump",
            nullable=True,
        ),
        Field("dest_name", "string", "Destination name as 360info spells it"),
        Field("dest_is_other", "boolean", "True for 360info's 'Other countries' lump"),
        Field(
            "students",
            "number",
            "Students from the origin enrolled in the destination (UIS; a few destinations "
            "report non-integer values, kept as published)",
            unit=_STUDENTS,
            minimum=0,
        ),
        Field("uis_includes", "boolean", "UIS qualifier INCLUDES (the value includes other data)"),
        Field(
            "uis_included",
            "boolean",
            "UIS qualifier INCLUDED (the value is included in another category)",
        ),
        Field("national_estimate", "boolean", "UIS qualifier NAT_EST (national estimate)"),
        Field("uis_estimate", "boolean", "UIS qualifier UIS_EST (UIS estimate)"),
        _source_field((SRC_UIS_FLOWS,)),
    ),
    primary_key=("origin_iso3", "dest_name", "year"),
    sources=(SRC_UIS_FLOWS,),
    spatial="Origins: Kazakhstan, Kyrgyzstan, Tajikistan, Turkmenistan, Uzbekistan; "
    "destinations worldwide (those reporting to UIS)",
    caveats=(
        "Bilateral flows exist only for destinations that report to UIS: China, a major "
        "destination for Central Asians, does not appear.",
        "Some years lack Russia entirely (Kazakhstan 2010, 2013, 2020, 2021), so a year's row "
        "sum is NOT total outbound; use uis_inbound_netflow for totals.",
        "Only the top 10 destinations per origin-year are itemised; the rest are lumped in "
        "'Other countries', whose membership changes from year to year.",
        "Non-integer student counts (e.g. Canada, United States) are UIS values as published "
        "(rounded to 6 decimals here).",
    ),
    year_field="year",
)

UIS_INBOUND_NETFLOW = TableSpec(
    name="uis_inbound_netflow",
    title="UIS inbound mobile students, net flow and derived outbound: Central Asia, Russia, China",
    description=(
        "One row per country and year with an inbound or net-flow value: total inbound "
        "internationally mobile tertiary students (UIS 26637), net flow = inbound - outbound "
        "(UIS MENF.5T8, a UIS estimate), and outbound derived by the project as inbound minus "
        "net flow (empty unless both are published)."
    ),
    fields=(
        Field("year", "integer", "Data year", unit=_YEAR, minimum=1990),
        Field("country_iso3", "string", "ISO3 code (UIS geoUnit)", enum=INBOUND_SCOPE),
        Field(
            "inbound_students",
            "number",
            "Total inbound internationally mobile students, both sexes (UIS 26637)",
            unit=_STUDENTS,
            nullable=True,
            minimum=0,
        ),
        Field(
            "inbound_qualifier",
            "string",
            "UIS qualifier of the inbound value (UIS_EST, NAT_EST; empty: none)",
            nullable=True,
            enum=("NAT_EST", "UIS_EST"),
        ),
        Field(
            "net_flow_students",
            "number",
            "Net flow of internationally mobile students, inbound - outbound (UIS MENF.5T8, "
            "a UIS estimate); negative = net sender",
            unit=_STUDENTS,
            nullable=True,
        ),
        Field(
            "net_flow_qualifier",
            "string",
            "UIS qualifier of the net-flow value (UIS_EST, NAT_EST; empty: none)",
            nullable=True,
            enum=("NAT_EST", "UIS_EST"),
        ),
        Field(
            "outbound_derived_students",
            "number",
            "Outbound students derived by the project as inbound_students - net_flow_students",
            unit=_STUDENTS,
            nullable=True,
        ),
        _source_field((SRC_UIS_INBOUND,)),
    ),
    primary_key=("country_iso3", "year"),
    sources=(SRC_UIS_INBOUND,),
    spatial="Kazakhstan, Kyrgyzstan, Tajikistan, Turkmenistan, Uzbekistan, Russia, China",
    caveats=(
        "outbound_derived_students is the project's derivation (inbound - net flow), not a "
        "UIS figure; net flow is itself a UIS estimate.",
        "February 2025 data release; later releases revise values. Net flow is published "
        "only to 2022, so later years have no derived outbound.",
        "Years missing for a country are absent (UIS published no value).",
    ),
    year_field="year",
)

TABLES: tuple[TableSpec, ...] = (
    POLL_TOPLINES,
    SOFT_POWER_INDICATORS,
    STUDENT_FLOWS,
    UIS_INBOUND_NETFLOW,
)

# --------------------------------------------------------------------------- helpers


def read_raw_csv(path: Path, columns: tuple[str, ...]) -> pd.DataFrame:
    """Read an upstream CSV as text (no NA guessing), stripped, checking its header.

    Args:
        path: The upstream file.
        columns: Columns that must be present (extra columns are ignored).

    Raises:
        RawDataError: if the file is not UTF-8 CSV or a column is missing.
    """
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise fail(path, f"cannot be read as a UTF-8 CSV ({exc})", "restore the snapshot") from exc
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise fail(
            path,
            f"missing column(s) {missing}; found {list(frame.columns)}",
            "check whether the upstream header was renamed and update the parser in "
            "kzanalysis/curate/polls.py",
        )
    return frame.apply(lambda col: col.str.strip())


def _lines(index: Iterable[int]) -> list[int]:
    """File line numbers (header = line 1) of frame rows."""
    return [int(i) + 2 for i in index]


def _require_filled(frame: pd.DataFrame, columns: Iterable[str], path: Path) -> None:
    """Raise if any of ``columns`` has an empty cell."""
    for col in columns:
        empty = frame.index[frame[col] == ""]
        if len(empty):
            raise fail(path, f"empty {col!r} on line(s) {_lines(empty)[:10]}", "fill the cells")


def _numbers(values: pd.Series, what: str, path: Path) -> pd.Series:
    """Parse non-empty text cells as floats; raise listing the cells that are not numbers."""
    out = pd.to_numeric(values.where(values != ""), errors="coerce")
    bad = values[(values != "") & out.isna()]
    if len(bad):
        examples = [f"line {i + 2}: {v!r}" for i, v in bad.head(5).items()]
        raise fail(path, f"{what} is not a number in {examples}", "correct the transcription")
    return out.astype("float64")


def _reject_duplicates(frame: pd.DataFrame, key: list[str], path: Path) -> None:
    """Raise if two rows share the primary key (listing the first few keys)."""
    dupes = frame[frame.duplicated(key, keep=False)]
    if len(dupes):
        keys = sorted({tuple(r) for r in dupes[key].itertuples(index=False)})
        raise fail(
            path,
            f"{len(dupes)} rows share a key {tuple(key)} with another row, e.g. {keys[:3]} "
            f"(lines {_lines(dupes.index)[:10]})",
            "remove the duplicate rows or make them distinguishable (survey, dates, subgroup, "
            "question_id or option)",
        )


def iso3_of(name: str) -> str | None:
    """ISO3 code of a country name (alias table first, then pycountry); None if unknown."""
    return lookup_iso3(name, NAME_ALIASES)


def map_countries(
    names: Iterable[str], path: Path, groups: frozenset[str] = frozenset()
) -> dict[str, str | None]:
    """Map publisher country names to ISO3 (``None`` for the known ``groups``).

    Raises:
        RawDataError: listing every name that maps to nothing.
    """
    mapping: dict[str, str | None] = {}
    unmapped = []
    for name in sorted(set(names)):
        code = None if name in groups else iso3_of(name)
        if code is None and name not in groups:
            unmapped.append(name)
        mapping[name] = code
    if unmapped:
        raise fail(
            path,
            f"country names not mapped to ISO3: {unmapped}",
            "add them to NAME_ALIASES (or POOLED_GROUPS) in kzanalysis/curate/polls.py",
        )
    return mapping


def _frame(spec: TableSpec, columns: dict[str, object]) -> pd.DataFrame:
    """Build a frame with exactly the spec's columns, in order, with the spec's dtypes."""
    dtypes = read_dtypes(spec)
    data = {}
    for name in spec.field_names:
        values = columns[name]
        if dtypes[name] == "str":
            series = pd.Series(values, dtype=object)
            data[name] = series.where(series.notna() & (series != ""), None).astype("str")
        else:
            data[name] = pd.Series(values).astype(dtypes[name])
    return pd.DataFrame(data).reset_index(drop=True)


# --------------------------------------------------------------------------- toplines


def _fieldwork(frame: pd.DataFrame, path: Path) -> pd.Series:
    """Check the fieldwork dates and return the fieldwork year (end, else start)."""
    for col in ("fieldwork_start", "fieldwork_end"):
        bad = frame.index[(frame[col] != "") & ~frame[col].str.match(_DATE)]
        if len(bad):
            raise fail(
                path,
                f"{col} is not YYYY, YYYY-MM or YYYY-MM-DD on line(s) {_lines(bad)[:10]} "
                f"(e.g. {frame.loc[bad[0], col]!r})",
                "write dates in ISO form with the precision the page gave",
            )
    for i, start, end in zip(frame.index, frame.fieldwork_start, frame.fieldwork_end, strict=True):
        k = min(len(start), len(end))
        if k and start[:k] > end[:k]:
            raise fail(path, f"line {i + 2}: fieldwork_start {start} is after fieldwork_end {end}")
    date = frame.fieldwork_end.where(frame.fieldwork_end != "", frame.fieldwork_start)
    return pd.array([int(d[:4]) if d else None for d in date], dtype="Int64")


def _poll_series(surveys: pd.Series, path: Path) -> pd.DataFrame:
    """Source id and primary-publisher prefixes of each row's survey series."""
    found: dict[str, tuple[str, tuple[str, ...]]] = {}
    unknown = []
    for survey in sorted(set(surveys)):
        for pattern, source, primary in POLL_SERIES:
            if re.match(pattern, survey):
                found[survey] = (source.id, primary)
                break
        else:
            unknown.append(survey)
    if unknown:
        raise fail(
            path,
            f"survey(s) of no known poll series: {unknown}",
            "add the series (pattern, Source, pollster publisher prefixes) to POLL_SERIES in "
            "kzanalysis/curate/polls.py",
        )
    return pd.DataFrame([found[s] for s in surveys], columns=["source", "primary"])


def parse_toplines(path: Path) -> pd.DataFrame:
    """Curate ``toplines_transcribed.csv`` into ``poll_toplines`` rows.

    Raises:
        RawDataError: on a renamed header, empty required cell, bad date, share outside
            0-100, bad n, unknown subgroup / country / series, or duplicate rows.
    """
    raw = read_raw_csv(path, TOPLINES_COLUMNS)
    optional = {"fieldwork_start", "fieldwork_end", "n"}
    _require_filled(raw, [c for c in TOPLINES_COLUMNS if c not in optional], path)
    share = _numbers(raw.percent, "percent", path)
    out_of_range = raw.index[(share < 0) | (share > 100)]
    if len(out_of_range):
        raise fail(
            path,
            f"percent outside 0-100 on line(s) {_lines(out_of_range)[:10]}",
            "shares are percentages of respondents; correct the transcription",
        )
    bad_n = raw.index[(raw.n != "") & ~raw.n.str.match(_INT_RE)]
    if len(bad_n):
        raise fail(path, f"n is not a whole number on line(s) {_lines(bad_n)[:10]}")
    unknown = sorted(set(raw.subgroup) - set(SUBGROUPS))
    if unknown:
        raise fail(
            path,
            f"unknown subgroup code(s) {unknown}; known: {sorted(SUBGROUPS)}",
            "add the code and its meaning to SUBGROUPS in kzanalysis/curate/polls.py",
        )
    countries = map_countries(raw.country, path, POOLED_GROUPS)
    outside = sorted(n for n, c in countries.items() if c is not None and c not in _ISO3_CA)
    if outside:
        raise fail(path, f"countries outside Central Asia: {outside}", "curate only Central Asia")
    _reject_duplicates(raw, list(POLL_TOPLINES.primary_key), path)
    series = _poll_series(raw.survey, path)
    secondary = [
        not publisher.startswith(primary)
        for publisher, primary in zip(raw.source_publisher, series.primary, strict=True)
    ]
    cols = {name: raw[name].tolist() for name in TOPLINES_COLUMNS if name in raw}
    cols.update(
        fieldwork_year=_fieldwork(raw, path),
        country_iso3=[countries[c] for c in raw.country],
        share_pct=share.round(6).tolist(),
        sample_n=pd.array([int(n) if n else None for n in raw.n], dtype="Int64"),
        secondary_report=secondary,
        source=series.source.tolist(),
    )
    return _frame(POLL_TOPLINES, cols)


# --------------------------------------------------------------------------- indicators


def _indicator_source(url: str) -> str:
    """Key of INDICATOR_SOURCES for a transcribed ``source_url``."""
    if url.startswith("github:"):
        return url.split()[0]
    return urlparse(url).hostname or url


def parse_indicators(path: Path) -> pd.DataFrame:
    """Curate ``soft_power_indicators_transcribed.csv`` into ``soft_power_indicators`` rows.

    Raises:
        RawDataError: on a renamed header, empty cell, bad year or value, unknown unit,
            country or source page, or duplicate rows.
    """
    raw = read_raw_csv(path, INDICATORS_COLUMNS)
    optional = {"region", "note"}
    _require_filled(raw, [c for c in INDICATORS_COLUMNS if c not in optional], path)
    bad_year = raw.index[~raw.year.str.match(_YEAR_RE)]
    if len(bad_year):
        raise fail(path, f"year is not YYYY on line(s) {_lines(bad_year)[:10]}")
    value = _numbers(raw.value, "value", path)
    countries = map_countries(raw.country, path)
    outside = sorted(n for n, c in countries.items() if c not in _ISO3_CA)
    if outside:
        raise fail(path, f"countries outside Central Asia: {outside}", "curate only Central Asia")
    keys = raw.source_url.map(_indicator_source)
    unknown = sorted(set(keys) - set(INDICATOR_SOURCES))
    if unknown:
        raise fail(
            path,
            f"rows from source page(s) with no Source: {unknown}",
            "add a Source for them to INDICATOR_SOURCES in kzanalysis/curate/polls.py",
        )
    value_cols: dict[str, list] = {col: [None] * len(raw) for _, col in UNIT_COLUMNS}
    unknown_units = set()
    for pos, (unit, v) in enumerate(zip(raw.unit, value, strict=True)):
        col = next((c for prefix, c in UNIT_COLUMNS if unit.startswith(prefix)), None)
        if col is None:
            unknown_units.add(unit)
        else:
            value_cols[col][pos] = round(float(v), 6)
    if unknown_units:
        raise fail(
            path,
            f"unknown unit(s) {sorted(unknown_units)}",
            "map the unit to a value column in UNIT_COLUMNS in kzanalysis/curate/polls.py",
        )
    pct = pd.Series(value_cols["value_pct"], dtype="float64")
    if ((pct < 0) | (pct > 100)).any():
        raise fail(path, "a percentage value is outside 0-100", "correct the transcription")
    iso3 = [countries[c] for c in raw.country]
    frame = raw.assign(country_iso3=iso3)
    _reject_duplicates(frame, list(SOFT_POWER_INDICATORS.primary_key), path)
    cols = {name: raw[name].tolist() for name in INDICATORS_COLUMNS}
    cols.update(
        year=raw.year.astype("int64").tolist(),
        country_iso3=iso3,
        unit_original=raw.unit.tolist(),
        derived=raw.note.str.contains(r"\bDERIVED\b", regex=True).tolist(),
        source=[INDICATOR_SOURCES[k].id for k in keys],
        **value_cols,
    )
    return _frame(SOFT_POWER_INDICATORS, cols)


# --------------------------------------------------------------------------- UIS


def parse_flows(path: Path) -> pd.DataFrame:
    """Curate the 360info top-10 file into ``student_flows`` rows (Central Asian origins).

    Raises:
        RawDataError: on a renamed header, a Central Asian origin with no rows, a bad
            year / value / qualifier string, an unmapped destination or duplicate rows.
    """
    raw = read_raw_csv(path, FLOWS_COLUMNS)
    absent = sorted(set(CENTRAL_ASIA) - set(raw.origin_country_name))
    if absent:
        raise fail(
            path,
            f"no rows for Central Asian origin(s) {absent}",
            "check whether 360info renamed the countries; update CENTRAL_ASIA",
        )
    ca = raw[raw.origin_country_name.isin(list(CENTRAL_ASIA))]
    bad_year = ca.index[~ca.year.str.match(_YEAR_RE)]
    if len(bad_year):
        raise fail(path, f"year is not YYYY on line(s) {_lines(bad_year)[:10]}")
    bad_cond = ca.index[~ca.cond_all.str.match(_COND)]
    if len(bad_cond):
        raise fail(
            path,
            f"cond_all is not of the form 'a b c d' (letters or '-') on line(s) "
            f"{_lines(bad_cond)[:10]}",
            "check 360info's data README for a changed qualifier encoding",
        )
    students = _numbers(ca.value_lumped, "value_lumped", path)
    if students.isna().any() or (students < 0).any():
        raise fail(path, "value_lumped is empty or negative for a Central Asian origin")
    _reject_duplicates(ca, ["origin_country_name", "dest_country_lumped", "year"], path)
    other = ca.dest_country_lumped == OTHER_DESTINATIONS
    dests = map_countries(ca.dest_country_lumped, path, frozenset({OTHER_DESTINATIONS}))
    flags = ca.cond_all.str.split(" ", expand=True)
    cols = {
        "year": ca.year.astype("int64").tolist(),
        "origin_iso3": [CENTRAL_ASIA[o] for o in ca.origin_country_name],
        "origin_name": ca.origin_country_name.tolist(),
        "dest_iso3": [dests[d] for d in ca.dest_country_lumped],
        "dest_name": ca.dest_country_lumped.tolist(),
        "dest_is_other": other.tolist(),
        "students": students.round(6).tolist(),
        "uis_includes": (flags[0] == "a").tolist(),
        "uis_included": (flags[1] == "b").tolist(),
        "national_estimate": (flags[2] == "c").tolist(),
        "uis_estimate": (flags[3] == "d").tolist(),
        "source": [SRC_UIS_FLOWS.id] * len(ca),
    }
    return _frame(STUDENT_FLOWS, cols)


def check_inbound_definitions(path: Path) -> None:
    """Check that the definitions file still defines the two indicators as expected.

    Raises:
        RawDataError: if an indicator is missing or its name changed meaning.
    """
    defs = read_raw_csv(path, INBOUND_DEFS_COLUMNS).set_index("indicatorId")
    expected = {UIS_INBOUND: "total inbound", UIS_NETFLOW: "net flow"}
    for code, words in expected.items():
        if code not in defs.index or words not in defs.loc[code, "name"].lower():
            raise fail(
                path,
                f"indicator {code} is missing or no longer named '{words} ...'",
                "check the UIS indicator definitions and the inbound/net-flow parser",
            )


def parse_inbound(path: Path, defs_path: Path) -> pd.DataFrame:
    """Curate the UIS inbound / net-flow file into ``uis_inbound_netflow`` rows.

    Raises:
        RawDataError: on a renamed header, changed indicator definitions, a country in
            scope with no rows, a bad value, an unhandled magnitude flag or duplicates.
    """
    check_inbound_definitions(defs_path)
    raw = read_raw_csv(path, INBOUND_COLUMNS)
    scope = raw[raw.geoUnit.isin(INBOUND_SCOPE) & raw.indicatorId.isin([UIS_INBOUND, UIS_NETFLOW])]
    absent = sorted(set(INBOUND_SCOPE) - set(scope.geoUnit))
    if absent:
        raise fail(path, f"no inbound / net-flow rows for {absent}", "restore the full file")
    flagged = scope[scope.magnitude != ""]
    if len(flagged):
        raise fail(
            path,
            f"magnitude flag(s) {sorted(set(flagged.magnitude))} on line(s) "
            f"{_lines(flagged.index)[:10]} are not handled",
            "decide how to curate UIS magnitude flags (NA / NIL) in kzanalysis/curate/polls.py",
        )
    unknown_q = sorted(set(scope.qualifier) - {"", "UIS_EST", "NAT_EST"})
    if unknown_q:
        raise fail(path, f"unknown UIS qualifier(s) {unknown_q}", "extend the qualifier enum")
    bad_year = scope.index[~scope.year.str.match(_YEAR_RE)]
    if len(bad_year):
        raise fail(path, f"year is not YYYY on line(s) {_lines(bad_year)[:10]}")
    scope = scope.assign(number=_numbers(scope.value, "value", path))
    if scope.number.isna().any():
        raise fail(path, f"empty value on line(s) {_lines(scope.index[scope.number.isna()])[:10]}")
    _reject_duplicates(scope, ["indicatorId", "geoUnit", "year"], path)
    wide = scope.pivot(index=["geoUnit", "year"], columns="indicatorId", values=["number"])
    quals = scope.pivot(index=["geoUnit", "year"], columns="indicatorId", values=["qualifier"])
    wide = wide.reindex(columns=[("number", UIS_INBOUND), ("number", UIS_NETFLOW)])
    quals = quals.reindex(columns=[("qualifier", UIS_INBOUND), ("qualifier", UIS_NETFLOW)])
    inbound = wide[("number", UIS_INBOUND)]
    netflow = wide[("number", UIS_NETFLOW)]
    cols = {
        "year": [int(y) for _, y in wide.index],
        "country_iso3": [g for g, _ in wide.index],
        "inbound_students": inbound.round(6).tolist(),
        "inbound_qualifier": quals[("qualifier", UIS_INBOUND)].tolist(),
        "net_flow_students": netflow.round(6).tolist(),
        "net_flow_qualifier": quals[("qualifier", UIS_NETFLOW)].tolist(),
        "outbound_derived_students": (inbound - netflow).round(6).tolist(),
        "source": [SRC_UIS_INBOUND.id] * len(wide),
    }
    return _frame(UIS_INBOUND_NETFLOW, cols)


def check_derived_indicators(
    indicators: pd.DataFrame, flows: pd.DataFrame, inbound: pd.DataFrame, path: Path
) -> None:
    """Check the transcribed UIS values against the curated UIS tables.

    ``outbound_students_to_russia_uis`` must equal the Russia row of ``flows``,
    ``outbound_students_sum_listed_destinations_uis`` the sum of the listed rows (to
    within 1 student: the transcription rounds the sum), ``outbound_students_total_uis_derived``
    the derived outbound of ``inbound``.

    Raises:
        RawDataError: listing every transcribed value that disagrees.
    """
    to_russia = flows[flows.dest_iso3 == "RUS"].set_index(["origin_iso3", "year"]).students
    listed = flows.groupby(["origin_iso3", "year"]).students.sum()
    total = inbound.set_index(["country_iso3", "year"]).outbound_derived_students
    expected = {
        "outbound_students_to_russia_uis": to_russia,
        "outbound_students_sum_listed_destinations_uis": listed,
        "outbound_students_total_uis_derived": total,
    }
    problems = []
    for row in indicators.itertuples(index=False):
        series = expected.get(row.indicator)
        if series is None:
            continue
        key = (row.country_iso3, row.year)
        value = series.get(key)
        if value is None or pd.isna(value) or abs(value - row.value_students) > 1:
            problems.append(f"{row.indicator} {key}: transcribed {row.value_students}, UIS {value}")
    if problems:
        raise fail(
            path,
            "transcribed UIS values disagree with the UIS files: " + "; ".join(problems),
            "re-derive the values from the UIS files or correct the transcription",
        )


# --------------------------------------------------------------------------- build


def build(raw: Path) -> dict[str, pd.DataFrame]:
    """Curate the polls tables from the snapshot folder ``raw`` (holding ``polls/raw/``).

    Raises:
        RawDataError: if a file is missing or not in the expected layout.
    """
    raw = Path(raw)
    toplines = parse_toplines(require(raw, TOPLINES))
    indicators_path = require(raw, INDICATORS)
    indicators = parse_indicators(indicators_path)
    flows = parse_flows(require(raw, FLOWS))
    inbound = parse_inbound(require(raw, INBOUND), require(raw, INBOUND_DEFS))
    check_derived_indicators(indicators, flows, inbound, indicators_path)
    return {
        POLL_TOPLINES.name: toplines,
        SOFT_POWER_INDICATORS.name: indicators,
        STUDENT_FLOWS.name: flows,
        UIS_INBOUND_NETFLOW.name: inbound,
    }
