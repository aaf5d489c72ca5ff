"""Energy code maps: Statistical Review entity labels → ISO3 or group/area codes.

The parser ``curate/energy_ei.py`` resolves every published label here (then
with pycountry); an unknown label is reported, never guessed.
"""

from __future__ import annotations

#: Publisher spellings that ``pycountry.countries.lookup`` does not resolve (or resolves
#: wrongly). Keys are names after ``clean_name`` (``curate/energy_ei.py``).
COUNTRY_ALIASES: dict[str, str] = {
    "US": "USA",
    "USA": "USA",
    "UAE": "ARE",
    "Russia": "RUS",
    "Iran": "IRN",
    "South Korea": "KOR",
    "Taiwan": "TWN",
    "China Hong Kong SAR": "HKG",
    "Vietnam": "VNM",
    "Venezuela": "VEN",
    "Bolivia": "BOL",
    "Syria": "SYR",
    "Trinidad & Tobago": "TTO",
    "Czech Republic": "CZE",
    "Turkey": "TUR",
    "Republic of Congo": "COG",
    "Congo": "COG",
    "Democratic Republic of Congo": "COD",
    "North Macedonia": "MKD",
    "Moldova": "MDA",
    "Brunei": "BRN",
    "Laos": "LAO",
    "Tanzania": "TZA",
    "Papua New Guinea": "PNG",
}

#: Aggregates (groups, regions, areas) the Statistical Review publishes, with the code used
#: here and whether the row overlaps other rows (``subtotal``) or is a disjoint area.
#: ``Total World`` is the only ``total``. Labels starting with ``Total `` / ``Other `` that
#: are not listed get a code derived from the name (:func:`aggregate_code`).
AGGREGATES: dict[str, tuple[str, str]] = {
    "Total World": ("WLD", "total"),
    "Total CIS": ("CIS", "subtotal"),
    "CIS": ("CIS", "subtotal"),
    "Other CIS": ("CIS_OTHER", "area"),
    "USSR": ("USSR", "area"),
    "of which: OECD": ("OECD", "subtotal"),
    "OECD": ("OECD", "subtotal"),
    "Non-OECD": ("NON_OECD", "subtotal"),
    "OPEC": ("OPEC", "subtotal"),
    "Non-OPEC": ("NON_OPEC", "subtotal"),
    "European Union": ("EU", "subtotal"),
    "EU": ("EU", "subtotal"),
    "Total North America": ("REG_NORTH_AMERICA", "subtotal"),
    "North America": ("REG_NORTH_AMERICA", "subtotal"),
    "Total S. & Cent. America": ("REG_S_CENT_AMERICA", "subtotal"),
    "S. & Cent. America": ("REG_S_CENT_AMERICA", "subtotal"),
    "Total Europe": ("REG_EUROPE", "subtotal"),
    "Europe": ("REG_EUROPE", "subtotal"),
    "Total Middle East": ("REG_MIDDLE_EAST", "subtotal"),
    "Middle East": ("REG_MIDDLE_EAST", "subtotal"),
    "Total Africa": ("REG_AFRICA", "subtotal"),
    "Africa": ("REG_AFRICA", "subtotal"),
    "Total Asia Pacific": ("REG_ASIA_PACIFIC", "subtotal"),
    "Asia Pacific": ("REG_ASIA_PACIFIC", "subtotal"),
    "Total Middle East & Africa": ("REG_MIDDLE_EAST_AFRICA", "subtotal"),
    "Middle East & Africa": ("REG_MIDDLE_EAST_AFRICA", "subtotal"),
    "Rest of Europe": ("AREA_REST_OF_EUROPE", "area"),
    "Non-EU Europe": ("AREA_NON_EU_EUROPE", "area"),
    "Central America": ("AREA_CENTRAL_AMERICA", "area"),
    "Eastern Africa": ("AREA_EASTERN_AFRICA", "area"),
    "Middle Africa": ("AREA_MIDDLE_AFRICA", "area"),
    "Western Africa": ("AREA_WESTERN_AFRICA", "area"),
    "North Africa": ("AREA_NORTH_AFRICA", "area"),
    "West Africa": ("AREA_WEST_AFRICA", "area"),
    "East & S. Africa": ("AREA_EAST_S_AFRICA", "area"),
    "Australasia": ("AREA_AUSTRALASIA", "area"),
    "Total imports": ("TOTAL", "total"),
    "Total exports": ("TOTAL", "total"),
    "Total": ("TOTAL", "total"),
    # memo items below a country in the reserves sheets (parts of Canada's / Venezuela's
    # reserves); they are not entities and are dropped
    "Canadian Oil Sands: Total": ("MEMO_CANADA_OIL_SANDS", "memo"),
    "of which: Under active development": ("MEMO_CANADA_OIL_SANDS_ACTIVE", "memo"),
    "Venezuela: Orinoco Belt": ("MEMO_VENEZUELA_ORINOCO", "memo"),
}

#: Pipeline-matrix labels that are regional subtotals (overlap their member rows).
GAS_SUBTOTALS: frozenset[str] = frozenset(
    {
        "North America",
        "S. & Cent. America",
        "Europe",
        "CIS",
        "Middle East",
        "Africa",
        "Asia Pacific",
        "Middle East & Africa",
    }
)
