"""Tests for the country registry (codes, names, dated group memberships)."""

from __future__ import annotations

import itertools
from datetime import date, datetime

import numpy as np
import pandas as pd
import pycountry
import pytest

from kzanalysis import countries
from kzanalysis.errors import UnknownCodeError

VALID_ISO3 = {c.alpha_3 for c in pycountry.countries} | {
    c.alpha_3 for c in pycountry.historic_countries
}


# --- codes and names -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("KAZ", "KAZ"),
        ("kaz", "KAZ"),
        (" Kazakhstan ", "KAZ"),
        ("kazakhstan", "KAZ"),
        ("KZ", "KAZ"),
        ("398", "KAZ"),
        ("Russian Federation", "RUS"),
        ("Russia", "RUS"),
        ("China", "CHN"),
        ("Iran", "IRN"),
        ("Türkiye", "TUR"),
        ("Turkey", "TUR"),
        ("UK", "GBR"),
        ("United States", "USA"),
        ("Soviet Union", "SUN"),
        ("USSR", "SUN"),
        ("sun", "SUN"),
        ("Czechoslovakia", "CSK"),
        ("German Democratic Republic", "DDR"),
    ],
)
def test_iso3_resolves_names_and_codes(query: str, expected: str) -> None:
    assert countries.iso3(query) == expected


def test_name_uses_pycountry_names() -> None:
    assert countries.name("KAZ") == "Kazakhstan"
    assert countries.name("kgz") == "Kyrgyzstan"
    assert countries.name("RUS") == pycountry.countries.get(alpha_3="RUS").name
    assert countries.name("IRN") == "Iran"  # pycountry common_name preferred
    assert countries.name("SUN") == "Soviet Union"


def test_name_and_iso3_round_trip_for_every_current_country() -> None:
    for country in pycountry.countries:
        assert countries.iso3(countries.name(country.alpha_3)) == country.alpha_3


def test_aliases_point_to_valid_codes() -> None:
    assert set(countries.ALIASES.values()) <= VALID_ISO3
    assert all(key == key.casefold() for key in countries.ALIASES)


@pytest.mark.parametrize("bad", ["Kazakstan", "KZX", "Narnia", "", "  "])
def test_unknown_country_raises_with_close_matches(bad: str) -> None:
    with pytest.raises(UnknownCodeError, match="Unknown country"):
        countries.iso3(bad)


def test_unknown_country_message_suggests_close_matches() -> None:
    with pytest.raises(UnknownCodeError) as err:
        countries.iso3("Kazakstan")
    assert "KAZ (Kazakhstan)" in str(err.value)
    with pytest.raises(UnknownCodeError) as err:
        countries.name("KZX")
    assert "KAZ (Kazakhstan)" in str(err.value)


def test_name_refuses_names_and_non_strings() -> None:
    with pytest.raises(UnknownCodeError):
        countries.name("Kazakhstan")
    with pytest.raises(UnknownCodeError):
        countries.name(398)  # type: ignore[arg-type]
    with pytest.raises(UnknownCodeError):
        countries.iso3(None)  # type: ignore[arg-type]


def test_unknown_code_error_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        countries.iso3("Narnia")


# --- groups: registry -----------------------------------------------------------------


def test_groups_lists_every_thesis_group() -> None:
    assert countries.groups() == [
        "CA5",
        "CIS",
        "CSTO",
        "CU",
        "EAEU",
        "EU27",
        "EU28",
        "Europe",
        "SCO",
    ]


@pytest.mark.parametrize("group", countries.groups())
def test_every_member_code_is_a_valid_pycountry_iso3(group: str) -> None:
    info = countries.group_info(group)
    codes = {spell.iso3 for spell in info.memberships}
    assert codes, group
    assert codes <= VALID_ISO3, codes - VALID_ISO3


@pytest.mark.parametrize("group", countries.groups())
def test_group_info_is_documented_and_spells_are_consistent(group: str) -> None:
    info = countries.group_info(group)
    assert info.code == group
    assert info.name and info.description and info.sources
    for spell in info.memberships:
        assert spell.status in {"member", "associate"}
        if spell.start is not None and spell.end is not None:
            assert spell.start <= spell.end, spell
        if not info.time_varying:
            assert spell.start is None and spell.end is None
    if info.time_varying:
        assert all(spell.start is not None for spell in info.memberships)


@pytest.mark.parametrize("group", countries.groups())
def test_spells_of_one_country_do_not_overlap(group: str) -> None:
    by_code: dict[str, list[countries.Membership]] = {}
    for spell in countries.group_info(group).memberships:
        by_code.setdefault(spell.iso3, []).append(spell)
    for spells in by_code.values():
        spells.sort(key=lambda s: s.start or date.min)
        for earlier, later in itertools.pairwise(spells):
            assert earlier.end is not None and later.start is not None
            assert earlier.end < later.start


def test_group_lookup_is_case_insensitive() -> None:
    assert countries.group_info("eaeu").code == "EAEU"
    assert countries.members("europe", 2000) == countries.members("Europe", 2000)


def test_unknown_group_lists_valid_groups() -> None:
    with pytest.raises(UnknownCodeError) as err:
        countries.members("EEU", 2015)
    message = str(err.value)
    assert "'EEU'" in message
    for group in countries.groups():
        assert group in message
    with pytest.raises(UnknownCodeError, match="Valid groups"):
        countries.group_info("NATO")
    with pytest.raises(UnknownCodeError, match="Valid groups"):
        countries.is_member("KAZ", "NATO", 2020)


# --- dates -----------------------------------------------------------------------------


def test_year_means_31_december() -> None:
    assert countries.as_date(2015) == date(2015, 12, 31)
    assert countries.as_date(np.int64(2015)) == date(2015, 12, 31)
    assert countries.as_date(date(2015, 3, 1)) == date(2015, 3, 1)
    assert countries.as_date(datetime(2015, 3, 1, 12, 0)) == date(2015, 3, 1)
    assert countries.as_date(pd.Timestamp("2015-03-01")) == date(2015, 3, 1)


@pytest.mark.parametrize("bad", ["2015", 2015.0, True, None])
def test_bad_when_type_is_refused(bad: object) -> None:
    with pytest.raises(TypeError):
        countries.members("EAEU", bad)  # type: ignore[arg-type]


def test_out_of_range_year_is_refused() -> None:
    with pytest.raises(UnknownCodeError, match="out of range"):
        countries.members("EAEU", 0)


# --- EAEU and Customs Union ------------------------------------------------------------


def test_eaeu_empty_before_2015_and_five_members_in_2016() -> None:
    assert countries.members("EAEU", 2014) == frozenset()
    assert countries.members("EAEU", 2016) == {"ARM", "BLR", "KAZ", "KGZ", "RUS"}
    assert len(countries.members("EAEU", 2016)) == 5


def test_eaeu_founding_day_and_armenia_boundary() -> None:
    assert countries.members("EAEU", date(2014, 12, 31)) == frozenset()
    assert countries.members("EAEU", date(2015, 1, 1)) == {"BLR", "KAZ", "RUS"}
    assert countries.is_member("ARM", "EAEU", date(2015, 1, 2))
    assert not countries.is_member("ARM", "EAEU", date(2015, 1, 1))


def test_eaeu_kyrgyzstan_boundary_and_year_semantics() -> None:
    assert not countries.is_member("KGZ", "EAEU", date(2015, 8, 11))
    assert countries.is_member("KGZ", "EAEU", date(2015, 8, 12))
    # A year means "member on 31 December": Kyrgyzstan counts for 2015.
    assert countries.is_member("KGZ", "EAEU", 2015)
    assert len(countries.members("EAEU", 2015)) == 5


def test_customs_union_ends_when_eaeu_starts() -> None:
    assert countries.members("CU", 2009) == frozenset()
    assert countries.members("CU", 2010) == {"BLR", "KAZ", "RUS"}
    assert countries.members("CU", 2014) == {"BLR", "KAZ", "RUS"}
    assert countries.members("CU", date(2014, 12, 31)) == {"BLR", "KAZ", "RUS"}
    assert countries.members("CU", date(2015, 1, 1)) == frozenset()
    # No day on which the two overlap; their union is continuous for the founders.
    for year in range(2010, 2025):
        assert {"BLR", "KAZ", "RUS"} <= countries.members("CU", year) | countries.members(
            "EAEU", year
        )
        assert not countries.members("CU", year) & countries.members("EAEU", year)


# --- CIS -------------------------------------------------------------------------------


def test_cis_georgia_ukraine_and_turkmenistan() -> None:
    assert countries.is_member("GEO", "CIS", 2008)
    assert not countries.is_member("GEO", "CIS", 2009)
    assert countries.is_member("GEO", "CIS", date(2009, 8, 17))
    assert not countries.is_member("GEO", "CIS", date(2009, 8, 18))
    assert countries.is_member("UKR", "CIS", 2017)
    assert not countries.is_member("UKR", "CIS", 2018)
    assert countries.is_member("TKM", "CIS", 2004)
    assert not countries.is_member("TKM", "CIS", 2005)
    assert countries.is_member("TKM", "CIS", 2005, include_associates=True)
    assert countries.is_member("TKM", "CIS", 2024, include_associates=True)


def test_cis_composition_today() -> None:
    nine = {"ARM", "AZE", "BLR", "KAZ", "KGZ", "MDA", "RUS", "TJK", "UZB"}
    assert countries.members("CIS", 2024) == nine
    assert countries.members("CIS", 2024, include_associates=True) == nine | {"TKM"}
    assert countries.members("CIS", date(1991, 12, 7)) == frozenset()


# --- CSTO ------------------------------------------------------------------------------


def test_csto_uzbekistan_spells() -> None:
    assert countries.is_member("UZB", "CSTO", 1995)
    assert not countries.is_member("UZB", "CSTO", 2000)
    assert not countries.is_member("UZB", "CSTO", 2005)
    assert countries.is_member("UZB", "CSTO", 2006)
    assert countries.is_member("UZB", "CSTO", 2011)
    assert not countries.is_member("UZB", "CSTO", 2012)  # suspended June 2012
    assert not countries.is_member("UZB", "CSTO", date(2012, 6, 28))
    assert not countries.is_member("UZB", "CSTO", 2020)


def test_csto_georgia_and_azerbaijan_left_1999() -> None:
    for code in ("GEO", "AZE"):
        assert countries.is_member(code, "CSTO", 1998)
        assert not countries.is_member(code, "CSTO", 1999)
    assert countries.members("CSTO", 2020) == {"ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK"}


# --- SCO -------------------------------------------------------------------------------


def test_sco_enlargements() -> None:
    founders = {"CHN", "KAZ", "KGZ", "RUS", "TJK", "UZB"}
    assert countries.members("SCO", 2000) == frozenset()
    assert countries.members("SCO", 2016) == founders
    assert countries.members("SCO", 2017) == founders | {"IND", "PAK"}
    assert not countries.is_member("IRN", "SCO", 2022)
    assert countries.is_member("IRN", "SCO", 2023)
    assert countries.members("SCO", 2023) == founders | {"IND", "PAK", "IRN"}
    assert not countries.is_member("BLR", "SCO", 2023)
    assert countries.is_member("BLR", "SCO", 2024)


# --- EU --------------------------------------------------------------------------------


def test_uk_in_eu28_2019_not_2021() -> None:
    assert countries.is_member("GBR", "EU28", 2019)
    assert not countries.is_member("GBR", "EU28", 2021)
    assert countries.is_member("GBR", "EU28", date(2020, 1, 31))
    assert not countries.is_member("GBR", "EU28", date(2020, 2, 1))
    assert not countries.is_member("GBR", "EU27", 2019)


def test_eu28_sizes_follow_accessions() -> None:
    assert len(countries.members("EU28", 1957)) == 0
    assert len(countries.members("EU28", 1958)) == 6
    assert len(countries.members("EU28", 1994)) == 12
    assert len(countries.members("EU28", 2000)) == 15
    assert len(countries.members("EU28", date(2004, 5, 1))) == 25
    assert len(countries.members("EU28", 2007)) == 27
    assert len(countries.members("EU28", 2019)) == 28
    assert len(countries.members("EU28", 2021)) == 27
    assert not countries.is_member("HRV", "EU28", date(2013, 6, 30))
    assert countries.is_member("HRV", "EU28", date(2013, 7, 1))


def test_eu27_is_the_post_brexit_composition_at_any_date() -> None:
    eu27 = countries.members("EU27", 2024)
    assert len(eu27) == 27
    assert countries.members("EU27", 1990) == eu27
    assert countries.members("EU28", 2021) == eu27
    all_eu28 = {spell.iso3 for spell in countries.group_info("EU28").memberships}
    assert all_eu28 == eu27 | {"GBR"}


# --- CA5 and Europe --------------------------------------------------------------------


def test_ca5() -> None:
    assert countries.members("CA5", 2022) == {"KAZ", "KGZ", "TJK", "TKM", "UZB"}
    assert countries.members("CA5", 1995) == countries.members("CA5", 2022)


def test_europe_supplier_region() -> None:
    europe = countries.members("Europe", 2020)
    assert countries.members("EU27", 2020) <= europe
    assert {"GBR", "NOR", "CHE", "SRB", "CSK", "YUG"} <= europe
    assert not {"RUS", "UKR", "BLR", "SUN", "TUR", "KAZ", "USA", "CHN"} & europe
    assert countries.is_member("United Kingdom", "Europe", 1995)


def test_lookup_iso3_aliases_first_then_exact_pycountry_no_fuzzy() -> None:
    from kzanalysis.countries import lookup_iso3

    assert lookup_iso3("Kazakhstan") == "KAZ"
    assert lookup_iso3("kazakhstan") == "KAZ"
    assert lookup_iso3("Russia", {"Russia": "RUS"}) == "RUS"
    assert lookup_iso3("Kazakstan") is None  # misspelling: reported by the caller, not guessed
