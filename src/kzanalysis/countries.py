"""Country registry: ISO 3166 alpha-3 codes, names and dated group memberships.

Codes and names come from :mod:`pycountry` (ISO 3166-1 for current countries, ISO 3166-3
for withdrawn ones such as ``SUN``, the Soviet Union); nothing here is a hand-made list of
countries. On top of that the module declares the country groups the thesis uses, each
membership with the date it started and ended, and the source of those dates.

Date semantics:
    * A membership ``start``/``end`` pair is inclusive: ``end`` is the last day on which the
      country was a member (``None`` = still a member at the time of writing, 2025).
    * ``when`` may be a :class:`datetime.date` (a ``datetime``/``pandas.Timestamp`` is reduced
      to its date) or an integer year. **A year means "member on 31 December of that year"**,
      i.e. the composition at year end. So ``members("EAEU", 2014)`` is empty (the Union
      started on 1 January 2015) while ``members("EAEU", 2015)`` already holds all five
      members, Kyrgyzstan having joined on 12 August 2015. Use a date for finer questions.
    * Some groups have a *constant* composition that is applied to any date (``CA5``,
      ``EU27``, ``Europe``); :attr:`GroupInfo.time_varying` says which.

Only full members are returned by default; observers, dialogue partners and the like are
never included. ``include_associates=True`` adds associate members (today only
Turkmenistan in the CIS since 26 August 2005).

Example:
    >>> from kzanalysis import countries
    >>> sorted(countries.members("EAEU", 2016))
    ['ARM', 'BLR', 'KAZ', 'KGZ', 'RUS']
    >>> countries.iso3("Soviet Union")
    'SUN'
"""

from __future__ import annotations

import difflib
import operator
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

import pycountry

from kzanalysis.errors import UnknownCodeError

__all__ = [
    "ALIASES",
    "CA5_CODES",
    "GroupInfo",
    "Membership",
    "as_date",
    "group_info",
    "groups",
    "is_member",
    "iso3",
    "members",
    "name",
]

#: Extra English spellings (case-insensitive) that pycountry's ``lookup`` does not know.
#: Kept deliberately small and generic; publisher-specific spellings belong in the
#: alias dicts of the ``kzanalysis.specs.<domain>`` modules (``<domain>_codes`` where split).
ALIASES: dict[str, str] = {
    "russia": "RUS",
    "turkey": "TUR",
    "uk": "GBR",
    "great britain": "GBR",
    "britain": "GBR",
    "us": "USA",
    "u.s.": "USA",
    "united states of america": "USA",
    "macedonia": "MKD",
    "burma": "MMR",
    "ivory coast": "CIV",
    "soviet union": "SUN",
    "ussr": "SUN",
    "czechoslovakia": "CSK",
    "yugoslavia": "YUG",
    "east germany": "DDR",
    "west germany": "DEU",
}

#: Display names for withdrawn (ISO 3166-3) codes, whose pycountry ``name`` is the long
#: formal one (e.g. "USSR, Union of Soviet Socialist Republics") and which have no
#: ``common_name``. Only used by :func:`name`.
_HISTORIC_DISPLAY_NAMES: dict[str, str] = {
    "SUN": "Soviet Union",
    "CSK": "Czechoslovakia",
    "YUG": "Yugoslavia",
    "DDR": "German Democratic Republic",
    "SCG": "Serbia and Montenegro",
}


# --------------------------------------------------------------------------------------
# Codes and names
# --------------------------------------------------------------------------------------


@cache
def _current() -> dict[str, object]:
    """Return pycountry's current countries keyed by alpha-3 code."""
    return {c.alpha_3: c for c in pycountry.countries}


@cache
def _historic() -> dict[str, object]:
    """Return pycountry's withdrawn countries keyed by alpha-3 (current codes win clashes)."""
    current = _current()
    return {
        c.alpha_3: c
        for c in pycountry.historic_countries
        if c.alpha_3 not in current  # e.g. ATF was reused for a current territory
    }


def _names_of(country: object) -> list[str]:
    """Return the name, official name and common name a pycountry record carries."""
    return [
        getattr(country, attr)
        for attr in ("name", "official_name", "common_name")
        if getattr(country, attr, None)
    ]


@cache
def _historic_names() -> dict[str, str]:
    """Return casefolded names of withdrawn countries -> alpha-3."""
    return {n.casefold(): code for code, c in _historic().items() for n in _names_of(c)}


@cache
def _suggestion_keys() -> dict[str, str]:
    """Return every casefolded code, name and alias -> alpha-3, for close-match hints."""
    keys: dict[str, str] = {}
    for table in (_historic(), _current()):  # current last so it wins on equal keys
        for code, country in table.items():
            keys[code.casefold()] = code
            for n in _names_of(country):
                keys[n.casefold()] = code
    keys.update(ALIASES)
    return keys


def _unknown_code(value: object, what: str) -> UnknownCodeError:
    """Build the error for an unknown country, listing close valid matches."""
    text = str(value).strip().casefold()
    keys = _suggestion_keys()
    close = difflib.get_close_matches(text, list(keys), n=8, cutoff=0.6)
    hints: list[str] = []
    for key in close:
        code = keys[key]
        hint = f"{code} ({name(code)})"
        if hint not in hints:
            hints.append(hint)
    suggestion = f" Close matches: {', '.join(hints)}." if hints else ""
    return UnknownCodeError(
        f"Unknown {what} {value!r}.{suggestion} Use an ISO 3166-1 alpha-3 code such as 'KAZ' "
        "(withdrawn ISO 3166-3 codes such as 'SUN' also work); iso3() also accepts the "
        "names pycountry knows and kzanalysis.countries.ALIASES."
    )


def _code_or_none(code: object) -> str | None:
    """Return the upper-cased alpha-3 code if ``code`` is a known one, else ``None``."""
    if not isinstance(code, str):
        return None
    upper = code.strip().upper()
    if upper in _current() or upper in _historic():
        return upper
    return None


def name(iso3: str) -> str:
    """Return the English name of an ISO 3166 alpha-3 code.

    The name is pycountry's ``common_name`` when it has one (``IRN`` -> "Iran"), else its
    ``name`` (``RUS`` -> "Russian Federation"). Withdrawn codes get a short display name
    (``SUN`` -> "Soviet Union").

    Args:
        iso3: Alpha-3 code, any case (``"kaz"`` works). Names are not accepted here; use
            :func:`iso3` first.

    Returns:
        The country name.

    Raises:
        UnknownCodeError: If ``iso3`` is not a current or withdrawn alpha-3 code; the message
            suggests close matches.
    """
    code = _code_or_none(iso3)
    if code is None:
        raise _unknown_code(iso3, "ISO3 country code")
    if code in _current():
        country = _current()[code]
        return getattr(country, "common_name", None) or country.name
    return _HISTORIC_DISPLAY_NAMES.get(code, _historic()[code].name)


def lookup_iso3(name: str, aliases: Mapping[str, str] | None = None) -> str | None:
    """ISO3 code of a publisher's country name, or ``None`` if it is not a known country.

    The publisher's own ``aliases`` are consulted first, then pycountry's exact lookup
    (names, official and common names, alpha-2/alpha-3 codes; case-insensitive). There is
    no fuzzy matching: a new spelling is reported by the caller, not guessed. Curation
    modules use this with their documented alias tables.
    """
    if aliases and name in aliases:
        return aliases[name]
    try:
        return pycountry.countries.lookup(name).alpha_3
    except LookupError:
        return None


def iso3(name_or_code: str) -> str:
    """Return the ISO 3166 alpha-3 code for a country name or code (case-insensitive).

    Resolution order: a current or withdrawn alpha-3 code; :data:`ALIASES`; pycountry's exact
    ``lookup`` (alpha-2, alpha-3, numeric code, name, official name, common name); names of
    withdrawn countries (ISO 3166-3). No fuzzy matching is done.

    Args:
        name_or_code: E.g. ``"Kazakhstan"``, ``"kaz"``, ``"KZ"``, ``"398"``, ``"Russia"``,
            ``"USSR"``.

    Returns:
        The upper-case alpha-3 code.

    Raises:
        UnknownCodeError: If nothing matches; the message suggests close matches.
    """
    code = _code_or_none(name_or_code)
    if code is not None:
        return code
    if not isinstance(name_or_code, str) or not name_or_code.strip():
        raise _unknown_code(name_or_code, "country")
    text = name_or_code.strip()
    key = text.casefold()
    if key in ALIASES:
        return ALIASES[key]
    try:
        return pycountry.countries.lookup(text).alpha_3
    except LookupError:
        pass
    if key in _historic_names():
        return _historic_names()[key]
    raise _unknown_code(name_or_code, "country")


# --------------------------------------------------------------------------------------
# Groups
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Membership:
    """One spell of a country's membership in a group.

    Attributes:
        iso3: Alpha-3 code of the member.
        start: First day as member; ``None`` for constant groups (applies to any date).
        end: Last day as member (inclusive); ``None`` if still a member.
        status: ``"member"`` (full member) or ``"associate"``.
        note: Why these dates, when they are a judgement call.
    """

    iso3: str
    start: date | None
    end: date | None = None
    status: str = "member"
    note: str = ""

    def covers(self, day: date) -> bool:
        """Return True if this spell includes ``day``."""
        after_start = self.start is None or self.start <= day
        before_end = self.end is None or day <= self.end
        return after_start and before_end


@dataclass(frozen=True)
class GroupInfo:
    """Description of a country group.

    Attributes:
        code: Key to pass to :func:`members` (e.g. ``"EAEU"``).
        name: Full name.
        description: What the group means here and the decisions taken.
        sources: Where the membership dates come from.
        time_varying: False for groups whose composition is applied to any date.
        memberships: Every membership spell, in declaration order.
    """

    code: str
    name: str
    description: str
    sources: tuple[str, ...]
    time_varying: bool
    memberships: tuple[Membership, ...]


def _d(text: str) -> date:
    """Parse an ISO ``YYYY-MM-DD`` date literal."""
    return date.fromisoformat(text)


def _spells(codes: Iterable[str], start: str, end: str | None = None) -> list[Membership]:
    """Return one full-member spell per code sharing the same start and end dates."""
    end_date = _d(end) if end else None
    return [Membership(code, _d(start), end_date) for code in codes]


def _constant(codes: Iterable[str]) -> tuple[Membership, ...]:
    """Return undated spells (composition applied to any date), sorted by code."""
    return tuple(Membership(code, None) for code in sorted(set(codes)))


# Accession to the European Communities (EEC from 1958, EU since 1993-11-01) and, for the
# United Kingdom, withdrawal. Source: European Union, "EU enlargement / From 6 to 27
# members" and "Country profiles" (european-union.europa.eu), and the Withdrawal
# Agreement (OJ L 29, 31.1.2020), in force 2020-02-01.
_EU_ACCESSIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("1958-01-01", ("BEL", "DEU", "FRA", "ITA", "LUX", "NLD")),
    ("1973-01-01", ("DNK", "GBR", "IRL")),
    ("1981-01-01", ("GRC",)),
    ("1986-01-01", ("ESP", "PRT")),
    ("1995-01-01", ("AUT", "FIN", "SWE")),
    ("2004-05-01", ("CYP", "CZE", "EST", "HUN", "LTU", "LVA", "MLT", "POL", "SVK", "SVN")),
    ("2007-01-01", ("BGR", "ROU")),
    ("2013-07-01", ("HRV",)),
)
_BREXIT_LAST_DAY = "2020-01-31"


def _eu28_spells() -> tuple[Membership, ...]:
    """Return dated EU membership spells (accessions; the UK until 31 January 2020)."""
    spells: list[Membership] = []
    for start, codes in _EU_ACCESSIONS:
        for code in codes:
            if code == "GBR":
                spells.append(
                    Membership(
                        code,
                        _d(start),
                        _d(_BREXIT_LAST_DAY),
                        note="Left at 23:00 GMT on 31 January 2020 (Withdrawal Agreement in "
                        "force 1 February 2020); the transition period to 31 December 2020 "
                        "is not counted as membership.",
                    )
                )
            else:
                note = (
                    "EEC founder (Treaty of Rome in force 1958-01-01); the territory of "
                    "the former GDR joined with German reunification on 1990-10-03."
                    if code == "DEU"
                    else ""
                )
                spells.append(Membership(code, _d(start), note=note))
    return tuple(spells)


def _eu27_codes() -> frozenset[str]:
    """Return the post-Brexit EU members (every accession minus the UK)."""
    return frozenset(code for _, codes in _EU_ACCESSIONS for code in codes if code != "GBR")


CA5_CODES: frozenset[str] = frozenset({"KAZ", "KGZ", "TJK", "TKM", "UZB"})

# Non-EU states counted in "Europe" as an arms-supplier region (see the group description).
_EUROPE_NON_EU: tuple[str, ...] = (
    "GBR",  # United Kingdom
    "ISL",  # EFTA/EEA
    "LIE",
    "NOR",
    "CHE",  # EFTA
    "AND",  # microstates
    "MCO",
    "SMR",
    "VAT",
    "ALB",  # Western Balkans
    "BIH",
    "MKD",
    "MNE",
    "SRB",
    "CSK",  # withdrawn codes, for suppliers that appear under their historical names
    "DDR",
    "YUG",
    "SCG",
)


def _cis() -> GroupInfo:
    """Return the Commonwealth of Independent States."""
    alma_ata = ("ARM", "KAZ", "KGZ", "MDA", "TJK", "UZB")
    spells = [
        *_spells(("BLR", "RUS"), "1991-12-08"),
        Membership(
            "UKR",
            _d("1991-12-08"),
            _d("2018-05-18"),
            note="Founding state (Minsk Agreement) that never ratified the 1993 Charter; "
            "counted as participating until presidential decree of 19 May 2018 ended its "
            "participation in CIS statutory bodies.",
        ),
        *_spells(alma_ata, "1991-12-21"),
        Membership(
            "TKM",
            _d("1991-12-21"),
            _d("2005-08-25"),
            note="Signed the Alma-Ata Protocol; never ratified the Charter.",
        ),
        Membership(
            "TKM",
            _d("2005-08-26"),
            None,
            status="associate",
            note="Associate member since the Kazan summit of 26 August 2005 (neutrality).",
        ),
        Membership(
            "AZE",
            _d("1993-09-24"),
            note="Signed in 1991 but parliament refused ratification on 7 October 1992; "
            "counted from ratification on 24 September 1993.",
        ),
        Membership(
            "GEO",
            _d("1993-12-03"),
            _d("2009-08-17"),
            note="Joined December 1993; withdrawal effective 18 August 2009.",
        ),
    ]
    return GroupInfo(
        code="CIS",
        name="Commonwealth of Independent States",
        description=(
            "Post-Soviet states from the Minsk Agreement (8 December 1991: BLR, RUS, UKR) "
            "and the Alma-Ata Protocol (21 December 1991). Start = signature date, except "
            "Azerbaijan (ratification). Ukraine, which never ratified the Charter, is counted "
            "as a participant until May 2018. Turkmenistan is a full member to 25 August "
            "2005 and an associate afterwards (use include_associates=True). Moldova is "
            "still a member although it is preparing to withdraw (not yet effective when "
            "this registry was written, 2025)."
        ),
        sources=(
            "CIS Executive Committee (e-cis.info): Agreement on the Creation of the CIS "
            "(8 Dec 1991), Alma-Ata Protocol (21 Dec 1991), Charter (22 Jan 1993)",
            "CIA World Factbook, 'Commonwealth of Independent States (CIS)' entry (Georgia "
            "left August 2009; Ukraine ended participation in statutory bodies May 2018; "
            "Turkmenistan associate member)",
            "Wikipedia, 'Member states of the Commonwealth of Independent States' (signature "
            "and ratification dates; Turkmenistan associate from 26 August 2005)",
        ),
        time_varying=True,
        memberships=tuple(spells),
    )


def _csto() -> GroupInfo:
    """Return the Collective Security Treaty / CSTO."""
    in_force = "1994-04-20"
    spells = [
        *_spells(("ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK"), in_force),
        *[
            Membership(
                code,
                _d(in_force),
                _d("1999-04-20"),
                note="Did not sign the 2 April 1999 renewal protocol; ceased to be a party "
                "when the treaty's first five-year term expired (20 April 1999).",
            )
            for code in ("AZE", "GEO")
        ],
        Membership(
            "UZB",
            _d(in_force),
            _d("1999-04-20"),
            note="Did not renew the treaty in 1999 (same as AZE and GEO).",
        ),
        Membership(
            "UZB",
            _d("2006-08-16"),
            _d("2012-06-27"),
            note="Membership restored by the protocol of 16 August 2006; suspended by its "
            "note of 28 June 2012 (formalised by the Collective Security Council on 19 "
            "December 2012). Not counted as a member from 28 June 2012.",
        ),
    ]
    return GroupInfo(
        code="CSTO",
        name="Collective Security Treaty Organization (and the Collective Security Treaty)",
        description=(
            "Parties to the Collective Security Treaty (signed Tashkent 15 May 1992, in force "
            "20 April 1994 for its nine parties; the organisation was chartered 7 October 2002, "
            "in force 18 September 2003). Everyone counts from the treaty's entry into force. "
            "Armenia 'froze' its participation in February 2024 but has not left or been "
            "suspended, so it is still counted."
        ),
        sources=(
            "CSTO (en.odkb-csto.org), official history of the Treaty and the Organization",
            "TASS, 28 June 2012 ('CSTO confirms getting note from Uzbekistan on suspension of "
            "membership': restored by protocol of 16 August 2006) and 19 December 2012 "
            "('CSTO leaders suspend Uzbekistan's membership')",
            "Wikipedia, 'Collective Security Treaty Organization' (1999 renewal protocol "
            "signed by six; AZE, GEO, UZB did not renew)",
        ),
        time_varying=True,
        memberships=tuple(spells),
    )


def _sco() -> GroupInfo:
    """Return the Shanghai Cooperation Organisation."""
    spells = [
        *_spells(("CHN", "KAZ", "KGZ", "RUS", "TJK", "UZB"), "2001-06-15"),
        *_spells(("IND", "PAK"), "2017-06-09"),
        *_spells(("IRN",), "2023-07-04"),
        *_spells(("BLR",), "2024-07-04"),
    ]
    return GroupInfo(
        code="SCO",
        name="Shanghai Cooperation Organisation",
        description=(
            "Full members only (observers and dialogue partners excluded). Founded in "
            "Shanghai on 15 June 2001 (the 'Shanghai Five' of 1996 plus Uzbekistan); India "
            "and Pakistan admitted at the Astana summit (9 June 2017), Iran at the New Delhi "
            "virtual summit (4 July 2023), Belarus at the Astana summit (4 July 2024)."
        ),
        sources=(
            "SCO Secretariat (eng.sectsco.org), 'About SCO' and summit declarations (Astana "
            "2017, New Delhi 2023, Astana 2024)",
        ),
        time_varying=True,
        memberships=tuple(spells),
    )


def _eaeu() -> GroupInfo:
    """Return the Eurasian Economic Union."""
    spells = [
        *_spells(("BLR", "KAZ", "RUS"), "2015-01-01"),
        Membership("ARM", _d("2015-01-02"), note="Accession treaty of 10 October 2014."),
        Membership("KGZ", _d("2015-08-12"), note="Accession treaty of 23 December 2014."),
    ]
    return GroupInfo(
        code="EAEU",
        name="Eurasian Economic Union",
        description=(
            "Full members only (observer states excluded). Treaty on the Eurasian Economic "
            "Union signed in Astana on 29 May 2014, in force 1 January 2015 for Belarus, "
            "Kazakhstan and Russia; Armenia from 2 January 2015; Kyrgyzstan from 12 August "
            "2015. Its predecessor is the group 'CU'."
        ),
        sources=(
            "Eurasian Economic Commission / EAEU (eaeunion.org), 'General information' and "
            "the Treaty on the Eurasian Economic Union with the accession treaties of "
            "Armenia and Kyrgyzstan",
        ),
        time_varying=True,
        memberships=tuple(spells),
    )


def _customs_union() -> GroupInfo:
    """Return the Customs Union of Belarus, Kazakhstan and Russia (2010-2014)."""
    return GroupInfo(
        code="CU",
        name="Customs Union of Belarus, Kazakhstan and Russia",
        description=(
            "The trilateral Customs Union from 1 January 2010 (common customs tariff applied; "
            "Customs Code in force July 2010, single customs territory from 1 July 2011) to "
            "31 December 2014. Decision: it ENDS on 2014-12-31 because the Treaty on the "
            "EAEU, in force 1 January 2015, took over its legal framework; the customs union "
            "continues inside the EAEU, so for a continuous 'customs union' series use "
            "members('CU', y) | members('EAEU', y). This keeps CU and EAEU disjoint in time "
            "(no double counting)."
        ),
        sources=(
            "Eurasian Economic Commission (eurasiancommission.org), history of Eurasian "
            "integration: Treaty on the creation of a single customs territory and formation "
            "of the customs union (6 October 2007); common customs tariff from 1 January "
            "2010; superseded by the Treaty on the EAEU on 1 January 2015",
        ),
        time_varying=True,
        memberships=tuple(_spells(("BLR", "KAZ", "RUS"), "2010-01-01", "2014-12-31")),
    )


def _eu28() -> GroupInfo:
    """Return the EU as it actually was on each date (EU28 = EU27 + UK to 2020-01-31)."""
    return GroupInfo(
        code="EU28",
        name="European Union, actual composition (EU28 = EU27 + United Kingdom)",
        description=(
            "Time-varying: each state counts from its accession to the European Communities "
            "(founders from 1 January 1958; the EEC/EC before the EU of 1 November 1993) and "
            "the United Kingdom until 31 January 2020. The group has 28 members from "
            "1 July 2013 to 31 January 2020, fewer before (e.g. 15 in 2000) and 27 after."
        ),
        sources=(
            "European Union (european-union.europa.eu), 'EU enlargement' / 'Country "
            "profiles' (accession dates)",
            "Agreement on the withdrawal of the United Kingdom from the EU (OJ L 29, "
            "31.1.2020; in force 1 February 2020)",
        ),
        time_varying=True,
        memberships=_eu28_spells(),
    )


def _eu27() -> GroupInfo:
    """Return the post-Brexit EU27, applied to any date."""
    return GroupInfo(
        code="EU27",
        name="European Union, 27 post-Brexit members (constant composition)",
        description=(
            "Decision: the 27 members since 1 February 2020 applied to ANY date, as "
            "Eurostat's EU27_2020 aggregate does, so that series are comparable over time "
            "(e.g. members('EU27', 1995) also contains the 2004 entrants). Use 'EU28' for "
            "the composition actually in force on a date. Accession dates are in the EU28 "
            "spells."
        ),
        sources=(
            "European Union (european-union.europa.eu), 'Country profiles'",
            "Eurostat, EU27_2020 aggregate convention",
        ),
        time_varying=False,
        memberships=_constant(_eu27_codes()),
    )


def _ca5() -> GroupInfo:
    """Return the five Central Asian states."""
    return GroupInfo(
        code="CA5",
        name="Central Asia 5",
        description=(
            "Kazakhstan, Kyrgyzstan, Tajikistan, Turkmenistan, Uzbekistan; a geographic "
            "grouping applied to any date (all five independent since 1991)."
        ),
        sources=("UN M49 'Central Asia' sub-region (the same five states)",),
        time_varying=False,
        memberships=_constant(CA5_CODES),
    )


def _europe() -> GroupInfo:
    """Return the 'Europe' arms-supplier region."""
    return GroupInfo(
        code="Europe",
        name="Europe (arms-supplier region, excluding Russia and the post-Soviet states)",
        description=(
            "Decision for arms-supplier charts, where the thesis shows Europe separately "
            "from Russia and Ukraine: all 27 EU members, the United Kingdom, EFTA/EEA "
            "(Iceland, Liechtenstein, Norway, Switzerland), the microstates (Andorra, Monaco, "
            "San Marino, Vatican) and the Western Balkans (Albania, Bosnia and Herzegovina, "
            "Montenegro, North Macedonia, Serbia), plus the withdrawn codes CSK "
            "(Czechoslovakia), DDR (East Germany), YUG (Yugoslavia) and SCG (Serbia and "
            "Montenegro) for suppliers recorded under those names. EXCLUDED: Russia, "
            "Ukraine and the other non-EU former Soviet states (Belarus, Moldova, Georgia, "
            "Armenia, Azerbaijan, Central Asia) and the Soviet Union itself, because their "
            "arms industries are Soviet-legacy and the thesis treats them apart; Turkey is "
            "excluded too (SIPRI and the thesis treat it as a separate actor). Constant "
            "composition, applied to any date."
        ),
        sources=(
            "Project decision (kzanalysis issue on the country registry); EU composition "
            "from the EU27 group",
        ),
        time_varying=False,
        memberships=_constant(_eu27_codes() | set(_EUROPE_NON_EU)),
    )


@cache
def _registry() -> dict[str, GroupInfo]:
    """Return every group keyed by its code."""
    infos = (
        _ca5(),
        _cis(),
        _csto(),
        _customs_union(),
        _eaeu(),
        _eu27(),
        _eu28(),
        _europe(),
        _sco(),
    )
    return {info.code: info for info in infos}


def groups() -> list[str]:
    """Return the codes of every known group, sorted case-insensitively."""
    return sorted(_registry(), key=str.casefold)


def group_info(group: str) -> GroupInfo:
    """Return the name, description, date sources and membership spells of a group.

    Args:
        group: Group code, any case (``"eaeu"`` works).

    Raises:
        UnknownCodeError: If the group is unknown; the message lists the valid groups.
    """
    if isinstance(group, str):
        wanted = group.strip().casefold()
        for code, info in _registry().items():
            if code.casefold() == wanted:
                return info
    raise UnknownCodeError(f"Unknown country group {group!r}. Valid groups: {', '.join(groups())}.")


def as_date(when: int | date) -> date:
    """Return the reference date for ``when``: a year means 31 December of that year.

    Args:
        when: A :class:`datetime.date` (``datetime``/``pandas.Timestamp`` are reduced to their
            date) or an integer year (numpy integers work too).

    Raises:
        TypeError: If ``when`` is neither a date nor an integer (``bool`` is refused).
        UnknownCodeError: If the year is outside 1..9999.
    """
    if isinstance(when, datetime):
        return when.date()
    if isinstance(when, date):
        return when
    if isinstance(when, bool):
        raise TypeError(f"when must be a year (int) or a datetime.date, not {when!r}")
    try:
        year = operator.index(when)
    except TypeError:
        raise TypeError(
            f"when must be a year (int) or a datetime.date, not {type(when).__name__} {when!r}"
        ) from None
    if not date.min.year <= year <= date.max.year:
        raise UnknownCodeError(f"Year {year} is out of range (1..9999).")
    return date(year, 12, 31)


def members(group: str, when: int | date, *, include_associates: bool = False) -> frozenset[str]:
    """Return the alpha-3 codes of a group's members at a date or year end.

    Args:
        group: Group code, any case (see :func:`groups`).
        when: A date, or a year meaning "member on 31 December of that year".
        include_associates: Also return associate members (Turkmenistan in the CIS).

    Returns:
        The members; empty before the group existed.

    Raises:
        UnknownCodeError: If the group is unknown.
    """
    info = group_info(group)
    day = as_date(when)
    statuses = {"member", "associate"} if include_associates else {"member"}
    return frozenset(
        spell.iso3 for spell in info.memberships if spell.status in statuses and spell.covers(day)
    )


def is_member(
    country: str, group: str, when: int | date, *, include_associates: bool = False
) -> bool:
    """Return True if a country belongs to a group at a date or year end.

    Args:
        country: Alpha-3 code or any name :func:`iso3` accepts.
        group: Group code, any case.
        when: A date, or a year meaning "member on 31 December of that year".
        include_associates: Count associate members as members.

    Raises:
        UnknownCodeError: If the country or the group is unknown.
    """
    code = iso3(country)
    return code in members(group, when, include_associates=include_associates)
