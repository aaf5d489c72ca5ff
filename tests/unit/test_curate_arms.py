"""Unit tests of the SIPRI arms readers on small synthetic files in SIPRI's export formats."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from kzanalysis.curate import arms
from kzanalysis.curate.arms_sipri import (
    DELIVERIES_HEADER,
    classify_actor,
    decode,
    map_actors,
    read_export,
    rejoin_split_records,
)
from kzanalysis.errors import RawDataError
from kzanalysis.schema import pandera_schema, unit_problems

# --------------------------------------------------------------------------- writers

PREAMBLE = [
    "Transfers of major conventional arms from All countries  to All countries . Deals with "
    "deliveries made for the year range 'Not specified' to 'Not specified' ",
    "A '?' in a column indicates uncertain data.",
    "An empty field for 'Number ordered' indicates that data is not yet available.",
    "SIPRI trend-indicator values (TIVs) are in millions.",
    "An empty field for 'SIPRI TIV for total order' indicates that data is not available.",
    "A '0' for 'SIPRI TIV of delivered weapons' indicates ...; and an empty field ...",
    "Figures may not add up to stated totals due to the conventions of rounding.",
    "For the method used for the SIPRI TIV see <https://www.sipri.org/databases/armstransfers>.",
    "",
    "Source: SIPRI Arms Transfers Database (c) SIPRI.",
]
REGISTER_HEADER_LINE = (
    "Recipient,Supplier,Year of order, ,Number ordered, ,Weapon designation,Weapon description,"
    "Number delivered, ,Year(s) of delivery,status,Comments,SIPRI TIV per unit,"
    "SIPRI TIV for total order,SIPRI TIV of delivered weapons"
)
REGISTER_ROWS = [
    # CA deal with '?' flags, several delivery years, a Latin-1 character in the comment
    "Kazakhstan,Russia,2015,?,8,,Su-30MK,fighter/ground-attack aircraft,8,?,2016; 2017; 2018,"
    "New,Su-30SM version; pay\xe9 by loan,55,440,440",
    # second-hand aid, quoted comment with a comma
    'Kazakhstan,Russia,2013,?,5,,S-300PS,SAM system,5,,2015,Second hand,"Second-hand, aid",'
    "17,85,85",
    # selected but not ordered: nothing delivered, empty years, empty number ordered
    "Kazakhstan,Turkiye,2022,,,,Anka-S,armed drone,0,,,New,,3,,0",
    # two identical records (kept, told apart by the deal id suffix)
    "Tajikistan,unknown supplier(s),2010,?,2,?,Mi-8MT,transport helicopter,2,?,2010,"
    "Second hand,,1,2,2",
    "Tajikistan,unknown supplier(s),2010,?,2,?,Mi-8MT,transport helicopter,2,?,2010,"
    "Second hand,,1,2,2",
    "Uzbekistan,UAE,2019,,1,,Lorem,radar,1,,2020,New,,4.5,4.5,4.5",
    "Turkmenistan,NATO**,2012,,1,,Ipsum,radar,1,,2013,Second hand but modernized,,0.5,0.5,0",
    # not Central Asia: dropped (incl. a record split by a raw line break in Comments)
    "Afghanistan,Soviet Union,1978,?,500,?,T-55,tank,500,?,1979; 1980,Second hand,aid,0.5,250,250",
    "Thailand,China,2017,,3,,VT-4,tank,3,,2018,New,first part",
    "second part of a comment,2.1,6.3,6.3",
]


def write_register(path: Path, rows=REGISTER_ROWS, generated="18 May 2026 2:29:20 PM", **kw):
    """A deal-level trade register in SIPRI's layout (Latin-1)."""
    header = kw.get("header", REGISTER_HEADER_LINE)
    lines = [*PREAMBLE, f"Data generated: {generated}", header, *rows]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("\n".join(lines) + "\n").encode(kw.get("encoding", "latin-1")))
    return path


DELIVERY_ROWS = [
    "55001,Russia,Kazakhstan,Su-30MK,FGA aircraft,Aircraft,2015,Yes,2,No,2016,No,New,55,55,110,No",
    "55001,Russia,Kazakhstan,Su-30MK,FGA aircraft,Aircraft,2015,Yes,6,Yes,2017,No,New,55,55,330,No",
    "55002,Soviet Union,Tajikistan,Mi-17,transport helicopter,Aircraft,1991,,10,,1994,,"
    "Second hand,7.25,2.9,29,No",
    "55003,unknown supplier(s),Kyrgyzstan,BTR-70,APC,Armoured vehicles,2020,Yes,5,Yes,2021,"
    "Yes,Second hand but modernized,0.5,0.33,1.65,Yes",
    "55004,China,Pakistan,JF-17,FGA aircraft,Aircraft,2010,No,4,No,2011,No,New,15,15,60,Yes",
]


def write_deliveries(
    path: Path, rows=DELIVERY_ROWS, generated="12 Feb 2026 12:26:12 PM", semicolons=True
):
    """A per-delivery-year register; with ``semicolons`` every line ends ';' and CRLF."""
    lines = [*PREAMBLE, f"Data generated: {generated}", ",".join(DELIVERIES_HEADER), *rows]
    end = ";\r\n" if semicolons else "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes("".join(line + end for line in lines).encode("ascii"))
    return path


TIV_PREAMBLE = [
    "Volume of transfers of major arms",
    "Figures are in millions of SIPRI trend-indicator values (TIVs).",
    "A '0' indicates that the volume of deliveries is between 0 and 0.5 million SIPRI TIV.",
    "",
    "Source: SIPRI Arms Transfers Database (c) SIPRI.",
]


def write_tiv(path: Path, rows: list[str], generated: str, first=1991, last=1995):
    """A SIPRI TIV table with year columns ``first..last``."""
    years = ",".join(str(y) for y in range(first, last + 1))
    header = f"Recipient,{years},{first}-{last},Percentage,Sum total years,Percentage of total"
    lines = [*TIV_PREAMBLE, f"Data generated: {generated}", "", header, *rows, ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="ascii")
    return path


IMPORT_ROWS = [
    "India,1,2,3,4,5,15,50%,15,50%",
    "Kazakhstan,,,99,2,0 ,101,1%,101,1%",
    "Kyrgyzstan,,,,,3,3,0.0%,3,0.0%",
    "Tajikistan,,,,29,,29,0.0%,29,0.0%",
    "Turkmenistan,,,,,,,,,",
    "Uzbekistan,,8,9,,,17,0.0%,17,0.0%",
    "Total world import,100,200,300,400,500,1500,100%,1500,",
]
CHINA_ROWS = [
    "Pakistan,69,298,286,267,76,996,44%,996,44%",
    "Kazakhstan,,,,11,,11,0.0%,11,0.0%",
    "Bahamas,,,0 ,,,0 ,0.0%,0 ,0.0%",
    "Total imports from China,309,510,524,701,408,2452,100%,2452,",
]


def write_raw(raw: Path) -> Path:
    """A complete synthetic snapshot folder for ``arms.build``."""
    a = raw / "arms" / "raw"
    write_register(a / "sipri_trade_register_all_1950-2025_gen2026-05-18.csv")
    write_register(
        a / "sipri_trade_register_all_1950-2024_gen2025-03-13.csv",
        rows=REGISTER_ROWS[:3],
        generated="13 Mar 2025 10:02:49 AM",
    )
    write_deliveries(a / "sipri_trade_register_deliveries_1995-2025_gen2026-02-12.csv")
    write_deliveries(
        a / "sipri_trade_register_deliveries_1990-2023_gen2024-04-13.csv",
        generated="13 Apr 2024 3:44:54 PM",
        semicolons=False,
    )
    write_tiv(
        a / "sipri_tiv_table_imports_by_recipient_1950-2024_gen2024-10-13.csv",
        IMPORT_ROWS,
        "13 Oct 2024 12:33:29 PM",
    )
    write_tiv(
        a / "sipri_tiv_table_china_exports_by_recipient_2000-2025_gen2026-07-14.csv",
        CHINA_ROWS,
        "14 Jul 2026 2:57:40 AM",
        first=2014,
        last=2018,
    )
    return raw


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    return write_raw(tmp_path / "raw")


@pytest.fixture
def built(raw: Path) -> dict[str, pd.DataFrame]:
    return arms.build(raw)


# --------------------------------------------------------------------------- specs


@pytest.mark.parametrize("spec", arms.TABLES, ids=lambda s: s.name)
def test_specs_follow_naming_rules(spec):
    assert unit_problems(spec) == []
    assert spec.sources and all(s.raw_paths for s in spec.sources)
    for source in spec.sources:
        assert "Information from the SIPRI Arms Transfers Database" in source.terms
        assert "Central Asian extract" in source.terms
        assert source.edition and source.retrieved and source.url.startswith("https://")


def test_build_returns_every_table_valid(built):
    assert set(built) == {spec.name for spec in arms.TABLES}
    for spec in arms.TABLES:
        frame = built[spec.name]
        assert list(frame.columns) == spec.field_names
        pandera_schema(spec).validate(frame, lazy=True)


def test_source_raw_paths_are_the_files_read(raw):
    listed = {p for spec in arms.TABLES for s in spec.sources for p in s.raw_paths}
    on_disk = {str(p.relative_to(raw)) for p in (raw / "arms" / "raw").iterdir()}
    assert listed == on_disk


# --------------------------------------------------------------------------- deals


def test_deals_keep_only_central_asia_and_both_editions(built):
    deals = built["arms_deals"]
    assert set(deals["recipient_iso3"]) == {"KAZ", "TJK", "UZB", "TKM"}
    assert deals.groupby("edition").size().to_dict() == {"2025-03-13": 3, "2026-05-18": 7}
    assert set(deals["source"]) == {"sipri_register_2025", "sipri_register_2026"}


def _deal(built, designation: str, edition: str = "2026-05-18") -> pd.Series:
    deals = built["arms_deals"]
    rows = deals[(deals["designation"] == designation) & (deals["edition"] == edition)]
    assert len(rows) >= 1
    return rows.iloc[0]


def test_deal_fields_flags_and_latin1(built):
    su = _deal(built, "Su-30MK")
    assert su["recipient"] == "Kazakhstan" and su["supplier_iso3"] == "RUS"
    assert su["order_year"] == 2015 and bool(su["order_year_uncertain"]) is True
    assert su["ordered_count"] == 8 and bool(su["ordered_count_uncertain"]) is False
    assert bool(su["delivered_count_uncertain"]) is True
    assert su["delivery_years"] == "2016; 2017; 2018"
    assert (su["first_delivery_year"], su["last_delivery_year"]) == (2016, 2018)
    assert su["comments"] == "Su-30SM version; payé by loan"
    assert (su["tiv_per_unit_mn"], su["order_tiv_mn"], su["delivered_tiv_mn"]) == (55, 440, 440)
    assert su["deal_id"].startswith("KAZ-RUS-2015-")
    s300 = _deal(built, "S-300PS")
    assert s300["comments"] == "Second-hand, aid" and s300["status"] == "Second hand"


def test_deal_without_deliveries_keeps_empties(built):
    anka = _deal(built, "Anka-S")
    assert pd.isna(anka["ordered_count"]) and pd.isna(anka["order_tiv_mn"])
    assert pd.isna(anka["delivery_years"]) and pd.isna(anka["first_delivery_year"])
    assert anka["delivered_count"] == 0 and anka["delivered_tiv_mn"] == 0
    assert anka["supplier_iso3"] == "TUR"


def test_identical_records_kept_with_distinct_ids(built):
    deals = built["arms_deals"]
    mi8 = deals[(deals["designation"] == "Mi-8MT") & (deals["edition"] == "2026-05-18")]
    ids = sorted(mi8["deal_id"])
    assert len(ids) == 2 and ids[1] == ids[0] + "-2"
    assert ids[0].startswith("TJK-UNK-2010-")
    assert mi8["supplier_iso3"].isna().all() and set(mi8["supplier_kind"]) == {"unknown"}


def test_deal_ids_are_stable_and_shared_across_unchanged_editions(raw, built):
    again = arms.build(raw)["arms_deals"]
    pd.testing.assert_frame_equal(built["arms_deals"], again)
    deals = built["arms_deals"]
    su = deals[deals["designation"] == "Su-30MK"]
    assert su["deal_id"].nunique() == 1  # same record in both editions -> same id


def test_organisation_and_alias_suppliers(built):
    deals = built["arms_deals"]
    nato = deals[deals["supplier"] == "NATO**"].iloc[0]
    assert nato["supplier_kind"] == "organisation" and pd.isna(nato["supplier_iso3"])
    assert nato["deal_id"].startswith("TKM-ORG-2012-")
    assert nato["status"] == "Second hand but modernized"
    assert deals.loc[deals["supplier"] == "UAE", "supplier_iso3"].tolist() == ["ARE"]


def test_register_read_as_utf8_copy_gives_same_result(tmp_path):
    latin = write_register(tmp_path / "a.csv")
    utf8 = write_register(tmp_path / "b.csv", encoding="utf-8")
    assert decode(utf8.read_bytes()) == decode(latin.read_bytes())
    a = arms.parse_register(latin, arms.SRC_REGISTER_2026)
    b = arms.parse_register(utf8, arms.SRC_REGISTER_2026)
    pd.testing.assert_frame_equal(a, b)


def test_split_comment_record_is_rejoined(tmp_path):
    export = read_export(write_register(tmp_path / "r.csv"), "Recipient")
    rows = rejoin_split_records(export.path, export.records, 16)
    thai = [r for r in rows if r[0] == "Thailand"]
    assert thai[0][12] == "first part second part of a comment"
    assert thai[0][15] == "6.3"


def test_unrepairable_record_raises(tmp_path):
    path = write_register(tmp_path / "r.csv", rows=["Kazakhstan,Russia,2015,,1"])
    with pytest.raises(RawDataError, match=r"r\.csv.*5 fields instead of 16"):
        arms.parse_register(path, arms.SRC_REGISTER_2026)


def test_soviet_union_maps_to_sun_and_non_state_kinds(tmp_path):
    mapping = map_actors(
        tmp_path, {"Soviet Union", "Russia", "Hezbollah (Lebanon)*", "unknown supplier(s)"}
    )
    assert mapping["Soviet Union"] == ("SUN", "state")
    assert mapping["Russia"] == ("RUS", "state")
    assert mapping["Hezbollah (Lebanon)*"] == (None, "non_state")
    assert mapping["unknown supplier(s)"] == (None, "unknown")
    assert classify_actor("United Nations**") == "organisation"


def test_unmapped_supplier_raises_listing_names(tmp_path):
    rows = ["Kazakhstan,Atlantis,2015,,1,,X,radar,1,,2016,New,,1,1,1"]
    path = write_register(tmp_path / "r.csv", rows=rows)
    with pytest.raises(RawDataError, match=r"not mapped to ISO3: \['Atlantis'\]"):
        arms.parse_register(path, arms.SRC_REGISTER_2026)


def test_renamed_register_header_raises(tmp_path):
    header = REGISTER_HEADER_LINE.replace("Weapon designation", "Designation")
    path = write_register(tmp_path / "r.csv", header=header)
    with pytest.raises(RawDataError, match=r"unexpected header.*missing: \['Weapon designation'\]"):
        arms.parse_register(path, arms.SRC_REGISTER_2026)


def test_missing_header_raises(tmp_path):
    path = write_register(tmp_path / "r.csv", header="Country,Supplier")
    with pytest.raises(RawDataError, match="no header line starting with 'Recipient'"):
        arms.parse_register(path, arms.SRC_REGISTER_2026)


def test_wrong_vintage_raises(tmp_path):
    path = write_register(tmp_path / "r.csv", generated="1 Mar 2027 9:00:00 AM")
    with pytest.raises(RawDataError, match="data generated 2027-03-01.*expects the 2026-05-18"):
        arms.parse_register(path, arms.SRC_REGISTER_2026)


def test_missing_generated_line_raises(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(REGISTER_HEADER_LINE + "\n" + REGISTER_ROWS[0] + "\n", encoding="latin-1")
    with pytest.raises(RawDataError, match="Data generated"):
        arms.parse_register(path, arms.SRC_REGISTER_2026)


@pytest.mark.parametrize(
    ("row", "column", "bad"),
    [
        ("Kazakhstan,Russia,2015,x,8,,A,b,8,,2016,New,,1,8,8", "flag columns", "x"),
        ("Kazakhstan,Russia,2015,,8,,A,b,8,,2016,New,,1,eight,8", "TIV columns", "eight"),
        ("Kazakhstan,Russia,2015,,8,,A,b,8,,2016-17,New,,1,8,8", "years", "2016-17"),
        ("Kazakhstan,Russia,2015,,8,,A,b,8,,2016,Leased,,1,8,8", "status", "Leased"),
        ("Kazakhstan,Russia,2015,,8.5,,A,b,8,,2016,New,,1,8,8", "ordered", "8.5"),
    ],
)
def test_bad_register_values_raise(tmp_path, row, column, bad):
    path = write_register(tmp_path / "r.csv", rows=[row])
    pattern = rf"r\.csv: column .*{re.escape(column)}.* unparsable value.*{re.escape(bad)}"
    with pytest.raises(RawDataError, match=pattern):
        arms.parse_register(path, arms.SRC_REGISTER_2026)


# --------------------------------------------------------------------------- deliveries


def test_deliveries_both_formats(built):
    dl = built["arms_deliveries"]
    assert set(dl["recipient_iso3"]) == {"KAZ", "TJK", "KGZ"}  # Pakistan row dropped
    per_edition = dl.groupby("edition")["tiv_mn"].sum().to_dict()
    assert per_edition == pytest.approx({"2024-04-13": 470.65, "2026-02-12": 470.65})
    kaz = dl[(dl["edition"] == "2026-02-12") & (dl["recipient_iso3"] == "KAZ")]
    assert kaz.set_index("year")["tiv_mn"].to_dict() == {2016: 110.0, 2017: 330.0}
    assert kaz["sipri_deal_id"].tolist() == ["55001", "55001"]
    assert kaz["delivered_count_uncertain"].tolist() == [False, True]


def test_deliveries_empty_flags_and_soviet_supplier(built):
    dl = built["arms_deliveries"]
    tj = dl[(dl["recipient_iso3"] == "TJK") & (dl["edition"] == "2024-04-13")].iloc[0]
    assert tj["supplier_iso3"] == "SUN" and tj["year"] == 1994
    assert pd.isna(tj["order_year_uncertain"]) and pd.isna(tj["year_uncertain"])
    assert (tj["new_tiv_per_unit_mn"], tj["deal_tiv_per_unit_mn"], tj["tiv_mn"]) == (
        7.25,
        2.9,
        29,
    )
    kg = dl[dl["recipient_iso3"] == "KGZ"].iloc[0]
    assert kg["supplier_kind"] == "unknown" and bool(kg["local_production"]) is True


def test_deliveries_duplicate_deal_year_raises(tmp_path):
    path = write_deliveries(tmp_path / "d.csv", rows=[DELIVERY_ROWS[0], DELIVERY_ROWS[0]])
    with pytest.raises(RawDataError, match="listed more than once"):
        arms.parse_deliveries(path, arms.SRC_DELIVERIES_2026)


def test_deliveries_renamed_header_raises(tmp_path):
    path = write_deliveries(tmp_path / "d.csv")
    text = path.read_text().replace("TIV delivery values", "TIV delivered")
    path.write_text(text)
    with pytest.raises(RawDataError, match=r"missing: \['TIV delivery values'\]"):
        arms.parse_deliveries(path, arms.SRC_DELIVERIES_2026)


def test_deliveries_bad_yes_no_raises(tmp_path):
    row = DELIVERY_ROWS[0].replace(",2015,Yes,", ",2015,Maybe,")
    path = write_deliveries(tmp_path / "d.csv", rows=[row])
    with pytest.raises(RawDataError, match="Order date is estimate.*Maybe"):
        arms.parse_deliveries(path, arms.SRC_DELIVERIES_2026)


# --------------------------------------------------------------------------- TIV tables


def test_import_totals_long_form(built):
    tot = built["arms_sipri_import_totals"]
    kaz = tot[tot["recipient_iso3"] == "KAZ"].set_index("year")["tiv_mn"].to_dict()
    assert kaz == {1993: 99.0, 1994: 2.0, 1995: 0.0}  # '0 ' with trailing space parsed
    assert "IND" not in set(tot["recipient_iso3"])
    assert "TKM" not in set(tot["recipient_iso3"])  # row present but every cell empty
    world = tot[tot["recipient_iso3"] == "WLD"]
    assert world["recipient"].unique().tolist() == ["Total world import"]
    assert world["tiv_mn"].sum() == 1500


def test_china_exports_long_form(built):
    china = built["arms_sipri_china_exports"]
    assert set(china["recipient_iso3"]) == {"KAZ", "WLD"}
    assert china.loc[china["recipient_iso3"] == "KAZ", "year"].tolist() == [2017]
    assert china.loc[china["recipient_iso3"] == "WLD", "tiv_mn"].sum() == 2452


def test_import_table_missing_central_asian_row_raises(tmp_path):
    path = write_tiv(tmp_path / "t.csv", IMPORT_ROWS[:2] + IMPORT_ROWS[3:], "13 Oct 2024")
    with pytest.raises(RawDataError, match=r"rows \['Kyrgyzstan'\] not found"):
        arms.parse_tiv_table(
            path, arms.SRC_TIV_IMPORTS, arms.IMPORT_TOTALS, arms.WORLD_IMPORTS_ROW, True
        )


def test_tiv_table_bad_cell_and_width_raise(tmp_path):
    bad = write_tiv(tmp_path / "a.csv", ["Kazakhstan,,,n/a,,,1,0%,1,0%"], "13 Oct 2024")
    with pytest.raises(RawDataError, match="unparsable value.*n/a"):
        arms.parse_tiv_table(
            bad, arms.SRC_TIV_IMPORTS, arms.IMPORT_TOTALS, arms.WORLD_IMPORTS_ROW, True
        )
    short = write_tiv(tmp_path / "b.csv", ["Kazakhstan,1,2"], "13 Oct 2024")
    with pytest.raises(RawDataError, match="has 3 cells"):
        arms.parse_tiv_table(
            short, arms.SRC_TIV_IMPORTS, arms.IMPORT_TOTALS, arms.WORLD_IMPORTS_ROW, True
        )


def test_tiv_table_without_total_column_raises(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(
        "\n".join([*TIV_PREAMBLE, "Data generated: 13 Oct 2024", "Recipient,2000,2001,Total"]),
        encoding="ascii",
    )
    with pytest.raises(RawDataError, match="all-years column '2000-2001'"):
        arms.parse_tiv_table(
            path, arms.SRC_TIV_IMPORTS, arms.IMPORT_TOTALS, arms.WORLD_IMPORTS_ROW, True
        )


# --------------------------------------------------------------------------- build


def test_missing_file_raises_naming_it(raw):
    (
        raw / "arms" / "raw" / "sipri_tiv_table_imports_by_recipient_1950-2024_gen2024-10-13.csv"
    ).unlink()
    with pytest.raises(RawDataError, match="missing upstream file.*imports_by_recipient"):
        arms.build(raw)
