"""Polls tables: poll toplines, soft-power indicators, UIS student flows and net flows.

Sources are declared in :mod:`kzanalysis.specs.polls_sources`; parsing lives in
``curate/polls.py`` (its docstring says how each table is built).
"""

from __future__ import annotations

from collections.abc import Iterable

from kzanalysis.schema import Field, Source, TableSpec
from kzanalysis.specs.polls_sources import (
    FLOWS,
    INBOUND,
    INBOUND_DEFS,
    INDICATOR_SOURCES,
    INDICATORS,
    POLL_SERIES,
    SRC_UIS_FLOWS,
    SRC_UIS_INBOUND,
    TOPLINES,
)

__all__ = [
    "CENTRAL_ASIA",
    "FLOWS",
    "INBOUND",
    "INBOUND_DEFS",
    "INBOUND_SCOPE",
    "INDICATORS",
    "INDICATOR_SOURCES",
    "NAME_ALIASES",
    "OTHER_DESTINATIONS",
    "POLL_SERIES",
    "POLL_TOPLINES",
    "POOLED_GROUPS",
    "SOFT_POWER_INDICATORS",
    "SRC_UIS_FLOWS",
    "SRC_UIS_INBOUND",
    "STUDENT_FLOWS",
    "SUBGROUPS",
    "TABLES",
    "TOPLINES",
    "UIS_INBOUND",
    "UIS_INBOUND_NETFLOW",
    "UIS_NETFLOW",
    "UNIT_COLUMNS",
]

# --------------------------------------------------------------------------- codes

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

_YEAR = "calendar year"
_STUDENTS = "number of internationally mobile tertiary students"

# --------------------------------------------------------------------------- specs

_ISO3_CA = tuple(sorted(CENTRAL_ASIA.values()))


def _source_field(sources: Iterable[Source]) -> Field:
    """The ``source`` field, allowing the ids of ``sources``."""
    ids = tuple(sorted({s.id for s in sources}))
    return Field("source", "string", "Id of the Source the row comes from", enum=ids)


_POLL_SOURCES = tuple(s for _, s, _ in POLL_SERIES)

POLL_TOPLINES = TableSpec(
    name="poll_toplines",
    title="Opinion-poll toplines in Central Asia on Russia, China, the West and the EAEU",
    description=(
        "One row per published answer share (option) of a poll question, for a country "
        "sample and respondent subgroup, hand-transcribed from pollsters' releases or from "
        "news reports quoting them (marked as secondary reports). Shares of one question "
        "need not sum "
        "to 100 (don't-knows unpublished, multiple answers, or combined rows kept under their "
        "own question identifier)."
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
        Field("source_url", "string", "Address of that page, exactly as transcribed"),
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
        "missing, not guessed. The question wording is the project's paraphrase.",
        "Several Gallup and CAB figures (and all Gallup, IRI, KazISS and openDemocracy rows) "
        "come from secondary reports (news sites or blogs quoting the pollster); treat them "
        "as weaker than the "
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
        "filled, by unit. Rows marked derived were computed from the UIS files when they were "
        "transcribed; curation re-computes them from those files and fails if they disagree."
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
