"""Investment tables: FDI by origin (UNCTAD) and Chinese official finance (AidData GCDF).

The sources and the raw-file layout are declared in :mod:`kzanalysis.specs.investment_sources`,
the code maps in :mod:`kzanalysis.specs.investment_codes`; the parsers live in
``curate/investment*.py``.
"""

from __future__ import annotations

from kzanalysis.schema import Field, TableSpec
from kzanalysis.specs.investment_codes import (
    COW_RECIPIENTS,
    GCDF3_FLOW_CLASSES,
    GCDF_RECIPIENTS,
)
from kzanalysis.specs.investment_sources import (
    AIDDATA_GCDF2_GEO,
    AIDDATA_GCDF3,
    UNCTAD_FDI_2014,
)

__all__ = [
    "AIDDATA_GCDF2_GEO",
    "AIDDATA_GCDF3",
    "CHINA_OFFICIAL_FINANCE",
    "CHINA_PROJECTS",
    "FDI_BY_ORIGIN",
    "GCDF3_YEARS",
    "TABLES",
    "UNCTAD_FDI_2014",
]

#: The years GCDF 3.0 covers (commitments 2000–2021): every recipient gets a row per year.
GCDF3_YEARS = (2000, 2021)

FDI_BY_ORIGIN = TableSpec(
    name="investment_fdi_by_origin",
    title="FDI into Kazakhstan and Kyrgyzstan by investing economy, 2001–2012 (UNCTAD)",
    description=(
        "One row per (host, measure, investor, year): gross FDI inflows into Kazakhstan and "
        "Kyrgyzstan, and Kazakhstan's inward FDI stock, by investing economy or group, in "
        "million current US dollars, as UNCTAD's Bilateral FDI Statistics 2014 report them "
        "from the two National Banks' data. Empty value: not available ('..' in the sheet)."
    ),
    fields=(
        Field("source", "string", "Id of the upstream source.", enum=(UNCTAD_FDI_2014.id,)),
        Field("host_iso3", "string", "Host economy receiving the FDI.", enum=("KAZ", "KGZ")),
        Field(
            "measure",
            "string",
            "inflow (gross FDI inflows during the year) or stock (inward FDI position at the "
            "end of the year).",
            enum=("inflow", "stock"),
        ),
        Field("investor_name", "string", "Investing economy or group, as UNCTAD writes it."),
        Field(
            "investor_iso3",
            "string",
            "ISO3 code of the investing economy (countries and territories; ANT for the former "
            "Netherlands Antilles); empty for World, groups and Unspecified.",
            nullable=True,
        ),
        Field(
            "investor_kind",
            "string",
            "country (an economy, incl. territories), group (an aggregate of the rows "
            "indented below it: never add to countries), world (the total) or unspecified "
            "(FDI UNCTAD could not allocate to an origin).",
            enum=("country", "group", "world", "unspecified"),
        ),
        Field(
            "parent_name",
            "string",
            "The aggregate row this row is indented under (World for the top groups and "
            "Unspecified); empty for World itself.",
            nullable=True,
        ),
        Field(
            "year", "integer", "Calendar year.", unit="calendar year", minimum=2001, maximum=2012
        ),
        Field(
            "value_usd_mn",
            "number",
            "FDI inflow or stock; negative: disinvestment (flows) or net liabilities (stock). "
            "Empty: not available.",
            unit="million current US dollars",
            nullable=True,
        ),
        Field(
            "sign_repaired",
            "boolean",
            "True if the sheet's cell was a garbled negative ('- -5', '-- 156') read as a "
            "negative number (every such cell is also listed in the curation log).",
        ),
    ),
    primary_key=("host_iso3", "measure", "investor_name", "year"),
    sources=(UNCTAD_FDI_2014,),
    spatial="Hosts Kazakhstan (inflows and stock) and Kyrgyzstan (inflows); investors: every "
    "economy and group UNCTAD lists (no row for Turkmenistan as an investor).",
    caveats=(
        "Do not sum all rows: investor_kind 'group' and 'world' rows aggregate the rows "
        "below them (parent_name gives the hierarchy); countries + 'unspecified' add up "
        "(within rounding) to World.",
        "Values are whole millions as the sheets round them; '0' can be a small amount and "
        "'- -0' (a negative under half a million) is read as 0 with sign_repaired True.",
        "The R conversion of UNCTAD's .xls garbled negative numbers as '- -5' or '-- 156'. "
        "Cells of exactly that pattern (two minus signs, then a number) are read as negative "
        "(sign_repaired; 142 cells, listed in the curation log): every aggregate holding one "
        "then adds up to its children within rounding, most do not when they are read as "
        "positive. Any other cell that is not a number or '..' stops the curation.",
        "Kazakhstan's stock for 2008 and 2009 is not available ('..' for every investor), "
        "so is Jordan's stock in 2003: empty values, never zero.",
        "The page-break rows of the sheets ('/...', the repeated title and year header) are "
        "dropped; so are the source and note lines.",
        "Large Netherlands, offshore-centre (British Virgin Islands, Switzerland, …) and "
        "Unspecified amounts reflect transit and offshore routing: the immediate investor "
        "is not the ultimate owner, and Russian and Chinese capital may be partly hidden "
        "there.",
        "Kazakhstan reports gross inflows (the sheet's note). The series ends in 2012: "
        "there is no FDI by origin after 2012, and none for Uzbekistan, Tajikistan or "
        "Turkmenistan as hosts, in the snapshots.",
    ),
)

_RECIPIENTS = tuple(COW_RECIPIENTS.values())

CHINA_OFFICIAL_FINANCE = TableSpec(
    name="investment_china_official_finance",
    title="Chinese official finance commitments to Central Asia and Russia, 2000–2021 "
    "(AidData GCDF 3.0)",
    description=(
        "One row per (recipient, year, flow class) for every year 2000–2021: the sum of "
        "China's official development finance commitments AidData recommends for aggregates, "
        "in million constant 2021 US dollars, as the odadata package summed GCDF 3.0. "
        "commitment_recorded False: the file has no row for the recipient and year (no "
        "recorded commitment), amounts empty — distinct from a recorded zero."
    ),
    fields=(
        Field("source", "string", "Id of the upstream source.", enum=(AIDDATA_GCDF3.id,)),
        Field(
            "recipient_iso3",
            "string",
            "Recipient country (the five Central Asian states and Russia).",
            enum=_RECIPIENTS,
        ),
        Field(
            "year",
            "integer",
            "Commitment year.",
            unit="calendar year",
            minimum=GCDF3_YEARS[0],
            maximum=GCDF3_YEARS[1],
        ),
        Field(
            "flow_class",
            "string",
            "AidData flow class: ODA-like (concessional, development intent), OOF-like "
            "(other official flows) or Vague (Official Finance) (not classifiable).",
            enum=tuple(GCDF3_FLOW_CLASSES.values()),
        ),
        Field(
            "commitment_recorded",
            "boolean",
            "True if the source file has a row for this recipient and year (at least one "
            "commitment recommended for aggregates, in any flow class); False: no recorded "
            "commitment, amounts empty.",
        ),
        Field(
            "commitment_usd2021_mn",
            "number",
            "Committed amount ('Amount (Constant USD 2021)' summed), converted from whole "
            "dollars to millions. Empty when commitment_recorded is False.",
            unit="million constant 2021 US dollars",
            nullable=True,
            minimum=0,
        ),
        Field(
            "adjusted_commitment_usd2021_mn",
            "number",
            "Adjusted amount ('Adjusted Amount (Constant USD 2021)' summed), converted from "
            "whole dollars to millions. Empty when commitment_recorded is False.",
            unit="million constant 2021 US dollars",
            nullable=True,
            minimum=0,
        ),
    ),
    primary_key=("recipient_iso3", "year", "flow_class"),
    sources=(AIDDATA_GCDF3,),
    spatial="Recipients Kazakhstan, Kyrgyzstan, Tajikistan, Turkmenistan, Uzbekistan and "
    "Russia (as a recipient of Chinese finance).",
    caveats=(
        "Commitments, not disbursements or outstanding debt; constant 2021 US dollars, not "
        "current dollars.",
        "A year without a row in the source (commitment_recorded False) means AidData "
        "recorded no commitment recommended for aggregates; treat it as zero only if you "
        "accept AidData's coverage. Years absent: KAZ 2001; KGZ 2000; TJK 2001, 2005; TKM "
        "2004, 2010, 2012, 2014–2016; UZB 2000, 2002; RUS 2000, 2001.",
        "Within a recorded year a flow class without projects is 0 (odadata fills the join "
        "with zeros); a recorded year can also be 0 in every class (TKM 2008, 2013, "
        "2017–2018, 2020–2021) when its projects carry no amount.",
        "Only projects AidData recommends for aggregates; regional and multi-country "
        "projects are dropped by odadata. No lender (CDB, China Exim) and no project "
        "detail: see investment_china_projects_geolocated.",
        "Adjusted amounts differ from the amounts in a few rows only: in the file 3 "
        "Tajikistan and 4 Russia recipient-years, all by under one dollar except Russia "
        "2016–2018.",
        "Amounts rounded to 6 decimals (1 US dollar). China's official lending has no "
        "Russian counterpart series in the snapshots.",
    ),
)

CHINA_PROJECTS = TableSpec(
    name="investment_china_projects_geolocated",
    title="Chinese development finance projects in Central Asia that AidData geolocated, "
    "2001–2017 (GCDF 2.0, a subset)",
    description=(
        "One row per project of AidData's GCDF 2.0 in the five Central Asian states that "
        "AidData could locate in OpenStreetMap: title, lender, flow type and class, status, "
        "commitment year and amount in million constant 2017 US dollars. Project detail "
        "only: a subset, not for totals."
    ),
    fields=(
        Field("source", "string", "Id of the upstream source.", enum=(AIDDATA_GCDF2_GEO.id,)),
        Field("project_id", "string", "AidData TUFF project id."),
        Field(
            "recipient_iso3",
            "string",
            "Recipient country.",
            enum=tuple(GCDF_RECIPIENTS.values()),
        ),
        Field("recipient_name", "string", "Recipient as AidData writes it."),
        Field("title", "string", "Project title, as AidData writes it."),
        Field(
            "funding_agencies",
            "string",
            "Lending or granting Chinese agencies; several are separated by '|'.",
        ),
        Field("flow_type", "string", "AidData flow type (Loan, Grant, Export Buyer's Credit, …)."),
        Field(
            "flow_class",
            "string",
            "AidData flow class; CA marks the Huawei rows (not official finance).",
            enum=("ODA-like", "OOF-like", "Vague (Official Finance)", "CA"),
        ),
        Field("sector", "string", "AidData sector name."),
        Field("status", "string", "Project status (Completion, Implementation, Pipeline: …)."),
        Field(
            "commitment_year",
            "integer",
            "Year of the commitment.",
            unit="calendar year",
            minimum=2000,
            maximum=2017,
        ),
        Field(
            "amount_usd2017_mn",
            "number",
            "Committed amount, converted from whole constant 2017 US dollars to millions; "
            "empty: AidData gives no amount.",
            unit="million constant 2017 US dollars",
            nullable=True,
            minimum=0,
        ),
        Field(
            "recommended_for_aggregates",
            "boolean",
            "AidData's 'Recommended For Aggregates' (False: do not count in totals).",
        ),
        Field(
            "umbrella",
            "boolean",
            "AidData's 'Umbrella' (True: a framework whose amount the sub-projects also carry).",
        ),
        Field(
            "finance_type",
            "string",
            "development (the GCDF tab) or huawei (AidData's separate Huawei tab).",
            enum=("development", "huawei", "military"),
        ),
    ),
    primary_key=("project_id",),
    sources=(AIDDATA_GCDF2_GEO,),
    spatial="Kazakhstan, Kyrgyzstan, Tajikistan, Turkmenistan and Uzbekistan (recipients).",
    year_field="commitment_year",
    caveats=(
        "A subset, not for totals: only the GCDF 2.0 projects AidData could locate in "
        "OpenStreetMap (3,325 of 13,427 worldwide); Kazakhstan's yearly sums are far below "
        "the GCDF 3.0 aggregates in investment_china_official_finance. Use it for project "
        "detail (lender, flow type, status) and cross-checks.",
        "Before summing anything, keep recommended_for_aggregates True and finance_type "
        "development, and mind umbrella projects (their amounts repeat in sub-projects).",
        "Constant 2017 US dollars (GCDF 2.0), not the constant 2021 dollars of GCDF 3.0; "
        "commitments, not disbursements. Amounts rounded to 6 decimals (1 US dollar).",
        "Kyrgyzstan is spelled 'Kyrgyz Republic' in recipient_name, as AidData writes it.",
    ),
)

TABLES: tuple[TableSpec, ...] = (FDI_BY_ORIGIN, CHINA_OFFICIAL_FINANCE, CHINA_PROJECTS)
