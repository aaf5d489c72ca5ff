"""Investment code maps: UNCTAD investor labels, COW and AidData recipient codes.

Declarations only. Every label a parser meets must be listed here (a new label fails the
curation with the fix), so the ISO3 code of each investing economy is chosen once, by hand.
"""

from __future__ import annotations

#: UNCTAD *Bilateral FDI Statistics 2014* investing-economy labels (stripped) → ISO3.
#: Territories count as economies (Gibraltar, Guernsey, Jersey, …); Netherlands Antilles
#: (dissolved 2010) keeps its former ISO 3166-1 code ANT.
UNCTAD_ECONOMIES: dict[str, str] = {
    "Antigua and Barbuda": "ATG",
    "Armenia": "ARM",
    "Aruba": "ABW",
    "Australia": "AUS",
    "Austria": "AUT",
    "Azerbaijan": "AZE",
    "Bahamas": "BHS",
    "Bahrain": "BHR",
    "Barbados": "BRB",
    "Belarus": "BLR",
    "Belgium": "BEL",
    "Belize": "BLZ",
    "Bermuda": "BMU",
    "British Virgin Islands": "VGB",
    "Bulgaria": "BGR",
    "Canada": "CAN",
    "Cayman Islands": "CYM",
    "China": "CHN",
    "Croatia": "HRV",
    "Cyprus": "CYP",
    "Czech Republic": "CZE",
    "Denmark": "DNK",
    "Estonia": "EST",
    "Finland": "FIN",
    "France": "FRA",
    "Georgia": "GEO",
    "Germany": "DEU",
    "Gibraltar": "GIB",
    "Greece": "GRC",
    "Guernsey": "GGY",
    "Hong Kong, China": "HKG",
    "Hungary": "HUN",
    "Iceland": "ISL",
    "India": "IND",
    "Indonesia": "IDN",
    "Iran, Islamic Republic of": "IRN",
    "Ireland": "IRL",
    "Isle of Man": "IMN",
    "Israel": "ISR",
    "Italy": "ITA",
    "Japan": "JPN",
    "Jersey": "JEY",
    "Jordan": "JOR",
    "Kazakhstan": "KAZ",
    "Korea, Republic of": "KOR",
    "Kuwait": "KWT",
    "Kyrgyzstan": "KGZ",
    "Latvia": "LVA",
    "Lebanon": "LBN",
    "Liberia": "LBR",
    "Liechtenstein": "LIE",
    "Lithuania": "LTU",
    "Luxembourg": "LUX",
    "Malaysia": "MYS",
    "Malta": "MLT",
    "Marshall Islands": "MHL",
    "Mauritius": "MUS",
    "Moldova, Republic of": "MDA",
    "Mongolia": "MNG",
    "Morocco": "MAR",
    "Nepal": "NPL",
    "Netherlands": "NLD",
    "Netherlands Antilles": "ANT",
    "Norway": "NOR",
    "Oman": "OMN",
    "Pakistan": "PAK",
    "Panama": "PAN",
    "Philippines": "PHL",
    "Poland": "POL",
    "Portugal": "PRT",
    "Romania": "ROU",
    "Russian Federation": "RUS",
    "Saint Kitts and Nevis": "KNA",
    "Samoa": "WSM",
    "Saudi Arabia": "SAU",
    "Serbia": "SRB",
    "Seychelles": "SYC",
    "Singapore": "SGP",
    "Slovakia": "SVK",
    "Slovenia": "SVN",
    "South Africa": "ZAF",
    "Spain": "ESP",
    "Sweden": "SWE",
    "Switzerland": "CHE",
    "Tajikistan": "TJK",
    "Tunisia": "TUN",
    "Turkey": "TUR",
    "US Virgin Islands": "VIR",
    "Ukraine": "UKR",
    "United Arab Emirates": "ARE",
    "United Kingdom": "GBR",
    "United States": "USA",
    "Uzbekistan": "UZB",
}

#: UNCTAD labels of aggregates (sums of the rows indented below them; never add to economies).
UNCTAD_GROUPS: frozenset[str] = frozenset(
    {
        "Developed economies",
        "Developing economies",
        "Transition economies",
        "Europe",
        "European Union",
        "Other developed Europe",
        "North America",
        "Other developed countries",
        "Africa",
        "North Africa",
        "Other Africa",
        "Asia",
        "East Asia",
        "South-East Asia",
        "South Asia",
        "West Asia",
        "Latin America and the Caribbean",
        "Central America",
        "Caribbean",
        "Oceania",
        "South-East Europe",
        "CIS",
    }
)

#: The two special rows: the total and the residual UNCTAD could not allocate.
UNCTAD_WORLD = "World"
UNCTAD_UNSPECIFIED = "Unspecified"

#: Correlates of War country codes (as odadata keys recipients) → ISO3, for the recipients kept.
COW_RECIPIENTS: dict[int, str] = {
    705: "KAZ",
    703: "KGZ",
    702: "TJK",
    701: "TKM",
    704: "UZB",
    365: "RUS",
}

#: GCDF 2.0 ``Recipient`` labels of the five Central Asian states → ISO3.
GCDF_RECIPIENTS: dict[str, str] = {
    "Kazakhstan": "KAZ",
    "Kyrgyz Republic": "KGZ",
    "Tajikistan": "TJK",
    "Turkmenistan": "TKM",
    "Uzbekistan": "UZB",
}

#: AidData's flow classes, as the odadata column prefixes abbreviate them.
GCDF3_FLOW_CLASSES: dict[str, str] = {
    "oda": "ODA-like",
    "oof": "OOF-like",
    "vof": "Vague (Official Finance)",
}
