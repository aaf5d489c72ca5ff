"""Trade code maps: publisher row labels and country spellings → project codes.

IMF DOTS aggregates, residuals and country spellings; Kazakhstan BNS group labels and
Russian country spellings. The parsers (``curate/trade_*.py``) look names up here;
a name found nowhere is reported, never guessed.
"""

from __future__ import annotations

#: IMF aggregate rows → stable group codes. ``IMF_EU`` is the IMF's "European Union"
#: memorandum group whose composition (EU27/EU28, back-cast or not) the file does not state.
IMF_GROUPS: dict[str, str] = {
    "World": "WLD",
    "Advanced Economies": "IMF_ADV",
    "Euro Area": "IMF_EURO_AREA",
    "European Union": "IMF_EU",
    "Emerging and Developing Economies": "IMF_EMDE",
    "Emerging and Developing Asia": "IMF_EMDE_ASIA",
    "Emerging and Developing Europe": "IMF_EMDE_EUROPE",
    "Middle East and Central Asia": "IMF_MECA",
    "Sub-Saharan Africa": "IMF_SSA",
    "Western Hemisphere": "IMF_WHD",
    "Africa": "IMF_AFRICA",
    "Middle East": "IMF_MIDDLE_EAST",
    "Emerging Market and Developing Economies by Source of Export Earnings: Fuel": (
        "IMF_EMDE_FUEL"
    ),
    "Emerging Market and Developing Economies by Source of Export Earnings: Nonfuel": (
        "IMF_EMDE_NONFUEL"
    ),
}

#: IMF residual rows (trade not allocated to a country). They are not aggregates of
#: country rows: country + unallocated rows add up to ``World``.
IMF_UNALLOCATED: dict[str, str] = {
    "Africa not specified": "IMF_NS_AFRICA",
    "Asia not specified": "IMF_NS_ASIA",
    "Europe not specified": "IMF_NS_EUROPE",
    "Middle East and Central Asia not specified": "IMF_NS_MECA",
    "Western Hemisphere not specified": "IMF_NS_WHD",
    "Countries & Areas not specified": "IMF_NS_ALL",
    "Other Countries not included elsewhere": "IMF_NEI",
    "Special Categories": "IMF_SPECIAL",
}

#: Heading rows without data (skipped; a value in one of them is an error).
IMF_HEADINGS: frozenset[str] = frozenset({"Memorandum Items"})

#: IMF spellings that pycountry cannot look up. Former states use ISO 3166-3 codes
#: (CSK, DDR, SUN, YUG, SCG, ANT, YMD); three entities have no ISO code and get
#: conventional ones: Belgium-Luxembourg ``BLX`` (UN Comtrade's code for the customs
#: union), Kosovo ``XKX`` (the code the EU and the World Bank use) and the Yemen Arab
#: Republic (North Yemen, to 1990) ``YAR`` (project code).
IMF_ALIASES: dict[str, str] = {
    "Afghanistan, Islamic Rep. of": "AFG",
    "Armenia, Rep. of": "ARM",
    "Aruba, Kingdom of the Netherlands": "ABW",
    "Azerbaijan, Rep. of": "AZE",
    "Bahamas, The": "BHS",
    "Bahrain, Kingdom of": "BHR",
    "Belarus, Rep. of": "BLR",
    "Belgium-Luxembourg": "BLX",
    "Central African Rep.": "CAF",
    "China, P.R.: Hong Kong": "HKG",
    "China, P.R.: Macao": "MAC",
    "China, P.R.: Mainland": "CHN",
    "Comoros, Union of the": "COM",
    "Congo, Dem. Rep. of the": "COD",
    "Congo, Rep. of": "COG",
    "Croatia, Rep. of": "HRV",
    "Curaçao, Kingdom of the Netherlands": "CUW",
    "Czech Rep.": "CZE",
    "Czechoslovakia": "CSK",
    "Dominican Rep.": "DOM",
    "Eastern Germany": "DDR",
    "Egypt, Arab Rep. of": "EGY",
    "Equatorial Guinea, Rep. of": "GNQ",
    "Eritrea, The State of": "ERI",
    "Estonia, Rep. of": "EST",
    "Eswatini, Kingdom of": "SWZ",
    "Ethiopia, The Federal Dem. Rep. of": "ETH",
    "Fiji, Rep. of": "FJI",
    "Gambia, The": "GMB",
    "Holy See": "VAT",
    "Iran, Islamic Rep. of": "IRN",
    "Kazakhstan, Rep. of": "KAZ",
    "Korea, Dem. People's Rep. of": "PRK",
    "Korea, Rep. of": "KOR",
    "Kosovo, Rep. of": "XKX",
    "Kyrgyz Rep.": "KGZ",
    "Lao People's Dem. Rep.": "LAO",
    "Lesotho, Kingdom of": "LSO",
    "Madagascar, Rep. of": "MDG",
    "Marshall Islands, Rep. of the": "MHL",
    "Mauritania, Islamic Rep. of": "MRT",
    "Moldova, Rep. of": "MDA",
    "Mozambique, Rep. of": "MOZ",
    "Nauru, Rep. of": "NRU",
    "Netherlands Antilles": "ANT",
    "Netherlands, The": "NLD",
    "North Macedonia, Republic of": "MKD",
    "Palau, Rep. of": "PLW",
    "Poland, Rep. of": "POL",
    "San Marino, Rep. of": "SMR",
    "Serbia and Montenegro": "SCG",
    "Serbia, Rep. of": "SRB",
    "Sint Maarten, Kingdom of the Netherlands": "SXM",
    "Slovak Rep.": "SVK",
    "Slovenia, Rep. of": "SVN",
    "South Sudan, Rep. of": "SSD",
    "St. Kitts and Nevis": "KNA",
    "St. Lucia": "LCA",
    "St. Vincent and the Grenadines": "VCT",
    "Syrian Arab Rep.": "SYR",
    "São Tomé and Príncipe, Dem. Rep. of": "STP",
    "Taiwan Province of China": "TWN",
    "Tajikistan, Rep. of": "TJK",
    "Tanzania, United Rep. of": "TZA",
    "Timor-Leste, Dem. Rep. of": "TLS",
    "Turkey": "TUR",
    "USSR": "SUN",
    "Uzbekistan, Rep. of": "UZB",
    "Venezuela, Rep. Bolivariana de": "VEN",
    "West Bank and Gaza": "PSE",
    "Yemen Arab Rep.": "YAR",
    "Yemen, People's Dem. Rep. of": "YMD",
    "Yemen, Rep. of": "YEM",
    "Yugoslavia": "YUG",
}

#: BNS group rows (normalised Russian label) → stable group code. «Страны ЕС» is handled
#: separately: its code (EU28/EU27) follows the member rows listed under it.
BNS_GROUPS: dict[str, str] = {
    "всего": "WLD",
    "всего в том числе": "WLD",
    "страны снг": "CIS",
    "страны еаэс": "EAEU",
    "страны вне еаэс": "CIS_NON_EAEU",
    "остальные страны мира": "BNS_NON_CIS",
    "европа": "BNS_EUROPE",
    "страны вне ес": "BNS_EUROPE_NON_EU",
    "азия": "BNS_ASIA",
    "америка": "BNS_AMERICA",
    "африка": "BNS_AFRICA",
    "австралия и океания": "BNS_OCEANIA",
}

#: BNS spellings that pycountry's Russian locale does not have (matched case-insensitively).
BNS_ALIASES: dict[str, str] = {
    "Кыргызстан": "KGZ",
    "Россия": "RUS",
    "Молдова, Республика": "MDA",
    "Соединенное Королевство": "GBR",
    "Республика Латвия": "LVA",
    "Фарерские Острова": "FRO",
    "Гибралтар (Брит.)": "GIB",
    "Черногория (Монтенегро)": "MNE",
    "Македония": "MKD",
    "Объединенные Арабские Эмираты": "ARE",
    "Бруней-Даруссалам": "BRN",
    "Ирак, Республика Ирак": "IRQ",
    "Иран, Исламская Республика": "IRN",
    "Палестина, Государство": "PSE",
    "Тайвань (Китай)": "TWN",
    "Доминиканская Республика": "DOM",
    "Соединенные Штаты Америки": "USA",
    "Кот-Д'Ивуар": "CIV",
    "Свазиленд": "SWZ",
    "Танзания, Объединенная Республика": "TZA",
    "Ангилья (Брит.)": "AIA",
    "Сен-Бартелеми": "BLM",
    "Каймановы Острова (Брит.)": "CYM",
    "Центрально-Африканская Республика": "CAF",
    "Виргинские Острова (Брит.)": "VGB",
    "Коморские Острова": "COM",
    "Папуа-Новая Гвинея": "PNG",
    "Кокосовые (Килинг) Острова": "CCK",
    "Тимор-Лесте": "TLS",
    "Острова Теркс и Кайкос": "TCA",
    "Корея, Народно-Демократическая Республика": "PRK",
    "Виргинские Острова, США": "VIR",
    "Гуам (США)": "GUM",
    "Маршалловы Острова": "MHL",
    "Французские Южные Территории": "ATF",
    "Французкие южные территории": "ATF",
    "Самоа, Независимое Государство": "WSM",
    "Ватикан, Государство-Город": "VAT",
    "Британская территория в Индийском океане": "IOT",
    "Остров Святой Елены": "SHN",
    "Северные Марианские острова": "MNP",
    "Малые Тихоокеан. отдален. острова США": "UMI",
    "Малые Тихоокеан.отдален.ост-ва С.Ш.": "UMI",
    "Малые Тихоокеан. Отдаленные остроа США": "UMI",
    "Микронезия, Федеративные Штаты": "FSM",
    "Аландские Острова": "ALA",
    "Южн.Джорджия И Южн.Сандвич.Острова": "SGS",
    "Фолклендские Острова (Мальвинские)": "FLK",
    "Американское Самоа": "ASM",
    "Питкерн": "PCN",
    "Майотта": "MYT",
    "Острова Кука (Н.Зел.)": "COK",
    "Уоллис И Футуна": "WLF",
}
