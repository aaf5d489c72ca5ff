"""Unit tests of the investment curation on small synthetic files in the upstream layouts."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from kzanalysis.curate import investment, investment_aiddata, investment_unctad
from kzanalysis.curate.investment_unctad import parse_cell
from kzanalysis.errors import RawDataError
from kzanalysis.schema import pandera_schema, unit_problems
from kzanalysis.specs.investment import GCDF3_YEARS
from kzanalysis.specs.investment_sources import (
    GCDF2_FILE,
    GCDF3_FILE,
    UNCTAD_DIR,
    UNCTAD_FILES,
)

YEARS = ["2001", "2002", "2003"]
KAZ_BANK = "National Bank of Kazakhstan"
FLOWS_TITLE = "Table 1. FDI flows in the host economy"

# --- writers of synthetic upstream files -----------------------------------------------


def unctad_rows(
    host: str = "Kazakhstan",
    title: str = FLOWS_TITLE,
    bank: str = KAZ_BANK,
    body: list[tuple[int, str, list[str]]] | None = None,
    page_break_after: int = 3,
) -> list[list[str]]:
    """The rows of an R-converted UNCTAD sheet; ``body`` = (depth, label, cells)."""
    body = body or SHEET_BODY
    width = 7 + len(YEARS)

    def line(depth: int | None, label: str, cells: list[str]) -> list[str]:
        labels = [""] * 5
        if depth is not None:
            labels[depth] = label
        return ["", *labels, "NA", *cells]

    blank = [""] * len(YEARS)
    rows = [["", host, "X", "X.1", "X.2", "X.3", "X.4"] + [f"X.{i}" for i in range(5, width - 2)]]
    header = [
        line(0, f"{title}, by geographical origin", blank),
        line(0, "(Millions of US dollars)", blank),
        line(0, "Region / economy", YEARS),
    ]
    rows += header
    for i, (depth, label, cells) in enumerate(body):
        rows.append(line(depth, label, cells))
        if i + 1 == page_break_after:
            rows.append(line(None, "", ["", "", "/..."]))
            rows.append(line(0, f"{title}, by geographical origin (concluded)", blank))
            rows += header[1:]
    rows.append(line(0, f"Source:  UNCTAD FDI/TNC database, based on data from the {bank}.", blank))
    rows.append(line(0, "Note:  Data refer to gross inflows.", blank))
    for n, row in enumerate(rows[1:], start=1):
        row[0] = str(n)
    return rows


SHEET_BODY: list[tuple[int, str, list[str]]] = [
    (0, "World", ["1 718", "-- 156", "7"]),
    (1, "Developed economies", ["1 000", "- -150", ".."]),
    (2, "Europe", ["1 000", "- -150", ".."]),
    (3, "European Union", ["1 000", "- -150", ".."]),
    (4, "Netherlands", ["1 000", "- -150", ".."]),
    (1, "Transition economies", ["718", "- -6", "7"]),
    (2, "CIS", ["718", "- -6", "7"]),
    (3, "Russian Federation", ["718", "- -0", "7"]),
    (3, "Kyrgyzstan", ["0", "- -6", "0"]),
    (2, "Georgia", ["0", "0", "0"]),
    (1, "Unspecified ", ["0", "0", "0"]),
]


def write_unctad(path: Path, rows: list[list[str]]) -> Path:
    """Write rows as R's write.csv does (every cell quoted except NA)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        for row in rows:
            fh.write(",".join(c if c == "NA" else f'"{c}"' for c in row) + "\n")
    return path


GCDF3_HEADER = "ccode,year,oof_amt,oof_adj,oda_amt,oda_adj,vof_amt,vof_adj\n"


def write_gcdf3(path: Path, lines: list[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(GCDF3_HEADER + "".join(line + "\n" for line in lines), encoding="utf-8")
    return path


#: One row per kept recipient (all six needed), plus one dropped recipient (Angola, 540).
GCDF3_LINES = [
    "705,2000,0,0,5132913.45759056,5132913.45759056,0,0",
    "705,2002,429906243.144627,429906243.144627,301975.252844699,301975.252844699,0,0",
    "701,2008,0,0,0,0,0,0",
    "703,2001,0,0,49822008.294567436,49822008.294567436,0,0",
    "702,2000,0,0,19782118.74440981,19782118.74440981,0,0",
    "704,2001,30379273.350346,30379273.350346,0,0,0,0",
    "365,2009,40132797373.33282,40132797373.33282,0,0,0,0",
    "540,2009,1000000,1000000,0,0,0,0",
]

GCDF2_COLUMNS = [
    "id",
    "AidData TUFF Project ID",
    "Recommended For Aggregates",
    "Umbrella",
    "Title",
    "Status",
    "Implementation Start Year",
    "Completion Year",
    "Flow Type",
    "Flow Class",
    "AidData Sector Name",
    "Commitment Year",
    "Funding Agencies",
    "Receiving Agencies",
    "Implementing Agencies",
    "Recipient",
    "Amount (Constant USD2017)",
    "finance_type",
]


def gcdf2_row(pid: int, recipient: str, amount: str = "26300000.4", **over: str) -> dict:
    row = {c: "" for c in GCDF2_COLUMNS}
    row.update(
        {
            "id": str(pid),
            "AidData TUFF Project ID": str(pid),
            "Recommended For Aggregates": "Yes",
            "Umbrella": "No",
            "Title": f"Project {pid}",
            "Status": "Completion",
            "Flow Type": "Loan",
            "Flow Class": "OOF-like",
            "AidData Sector Name": "ENERGY",
            "Commitment Year": "2009",
            "Funding Agencies": " Export-Import Bank of China",
            "Recipient": recipient,
            "Amount (Constant USD2017)": amount,
            "finance_type": "development",
        }
    )
    row.update(over)
    return row


def write_gcdf2(path: Path, rows: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=GCDF2_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


GCDF2_ROWS = [
    gcdf2_row(1, "Kazakhstan"),
    gcdf2_row(2, "Kyrgyz Republic", amount="", Umbrella="Yes"),
    gcdf2_row(3, "Uzbekistan", **{"Flow Class": "CA", "finance_type": "huawei"}),
    gcdf2_row(4, "Angola"),  # not Central Asian: dropped
]

# --- UNCTAD cells ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("0", (0.0, False)),
        ("7", (7.0, False)),
        ("1 718", (1718.0, False)),
        ("12 066", (12066.0, False)),
        ("-7", (-7.0, False)),
        ("..", (None, False)),
        ("- -5", (-5.0, True)),
        ("- -33", (-33.0, True)),
        ("-- 156", (-156.0, True)),
        ("-- 1 380", (-1380.0, True)),
        ("- -0", (0.0, True)),
    ],
)
def test_parse_cell_numbers_missing_and_garbled_negatives(cell, expected) -> None:
    value, repaired = parse_cell(cell)
    assert (value, repaired) == expected
    assert value is None or str(value) != "-0.0"  # no negative zero in the CSV


@pytest.mark.parametrize(
    "cell",
    ["", "-", "- 5", "--5", "- - 5", "---5", "5-", "1718", "1 71", "1,718", "- -1 71", "n/a"],
)
def test_parse_cell_refuses_ambiguous_cells(cell) -> None:
    with pytest.raises(ValueError):
        parse_cell(cell)


# --- UNCTAD sheets ------------------------------------------------------------------------


def test_sheet_hierarchy_kinds_missing_and_page_break(tmp_path: Path) -> None:
    path = write_unctad(tmp_path / "KAZ.csv", unctad_rows())
    frame, _ = investment_unctad.parse_sheet(path, "Kazakhstan", FLOWS_TITLE, KAZ_BANK)
    # 11 investors x 3 years: the page-break marker, repeated title and header are dropped
    assert len(frame) == 33
    assert frame["investor_name"].nunique() == 11
    by = frame.set_index(["investor_name", "year"])
    assert by.loc[("World", 2001), "value_usd_mn"] == 1718.0
    assert by.loc[("World", 2001), "investor_kind"] == "world"
    assert pd.isna(by.loc[("World", 2001), "parent_name"])
    assert by.loc[("Netherlands", 2001), "investor_iso3"] == "NLD"
    assert by.loc[("Netherlands", 2001), "parent_name"] == "European Union"
    assert by.loc[("European Union", 2001), "investor_kind"] == "group"
    # after the page break the hierarchy continues from the World row
    assert by.loc[("Transition economies", 2001), "parent_name"] == "World"
    assert by.loc[("Russian Federation", 2001), "investor_iso3"] == "RUS"
    assert by.loc[("Russian Federation", 2001), "parent_name"] == "CIS"
    assert by.loc[("Georgia", 2001), "investor_kind"] == "country"  # a country at region depth
    assert by.loc[("Georgia", 2001), "parent_name"] == "Transition economies"
    # the trailing space of 'Unspecified ' is stripped
    assert by.loc[("Unspecified", 2001), "investor_kind"] == "unspecified"
    # '..' is missing, never 0
    assert pd.isna(by.loc[("Netherlands", 2003), "value_usd_mn"])
    assert not by.loc[("Netherlands", 2003), "sign_repaired"]


def test_sheet_garbled_negatives_are_read_and_every_one_listed(tmp_path: Path) -> None:
    path = write_unctad(tmp_path / "KAZ.csv", unctad_rows())
    frame, repairs = investment_unctad.parse_sheet(path, "Kazakhstan", FLOWS_TITLE, KAZ_BANK)
    expected = {
        ("World", 2002, "-- 156", -156.0),
        ("Developed economies", 2002, "- -150", -150.0),
        ("Europe", 2002, "- -150", -150.0),
        ("European Union", 2002, "- -150", -150.0),
        ("Netherlands", 2002, "- -150", -150.0),
        ("Transition economies", 2002, "- -6", -6.0),
        ("CIS", 2002, "- -6", -6.0),
        ("Russian Federation", 2002, "- -0", 0.0),
        ("Kyrgyzstan", 2002, "- -6", -6.0),
    }
    assert {(r.investor, r.year, r.cell, r.value) for r in repairs} == expected
    flagged = frame[frame["sign_repaired"]]
    assert {(n, y) for n, y in zip(flagged.investor_name, flagged.year, strict=True)} == {
        (n, y) for n, y, _, _ in expected
    }
    assert (frame.loc[~frame["sign_repaired"], "value_usd_mn"].dropna() >= 0).all()
    line = str(next(r for r in repairs if r.investor == "World"))
    assert line == "KAZ.csv row 4 (World, 2002): garbled negative '-- 156' read as -156"


def test_sheet_ambiguous_cell_stops_with_where_and_fix(tmp_path: Path) -> None:
    body = [*SHEET_BODY]
    body[4] = (4, "Netherlands", ["1 000", "- 150", ".."])
    path = write_unctad(tmp_path / "KAZ.csv", unctad_rows(body=body))
    with pytest.raises(RawDataError) as err:
        investment_unctad.parse_sheet(path, "Kazakhstan", FLOWS_TITLE, KAZ_BANK)
    message = str(err.value)
    assert "(Netherlands, 2002)" in message and "'- 150'" in message and "Fix:" in message


@pytest.mark.parametrize(
    ("kwargs", "body_change", "needle"),
    [
        ({"host": "Kyrgyzstan"}, None, "header names host 'Kyrgyzstan'"),
        ({"title": "Table 3. FDI stock in the host economy"}, None, "table title"),
        ({"bank": "National Bank of the Kyrgyz Republic"}, None, "does not name the National"),
        ({}, (4, "Atlantis", ["1", "1", "1"]), "unknown investor label 'Atlantis'"),
    ],
)
def test_sheet_layout_errors_are_named(tmp_path: Path, kwargs, body_change, needle) -> None:
    body = [*SHEET_BODY]
    if body_change:
        body[4] = body_change
    path = write_unctad(tmp_path / "KAZ.csv", unctad_rows(body=body, **kwargs))
    with pytest.raises(RawDataError, match="Fix:") as err:
        investment_unctad.parse_sheet(path, "Kazakhstan", FLOWS_TITLE, KAZ_BANK)
    assert needle in str(err.value)


def test_sheet_values_without_a_label_are_refused(tmp_path: Path) -> None:
    rows = unctad_rows()
    rows.insert(6, ["99", "", "", "", "", "", "NA", "5", "", ""])
    path = write_unctad(tmp_path / "KAZ.csv", rows)
    with pytest.raises(RawDataError, match="values without a label"):
        investment_unctad.parse_sheet(path, "Kazakhstan", FLOWS_TITLE, KAZ_BANK)


# --- AidData GCDF 3.0 (odadata) ------------------------------------------------------------


def test_gcdf3_absent_years_are_rows_without_amounts(tmp_path: Path) -> None:
    path = write_gcdf3(tmp_path / "cow_gcdf.csv", GCDF3_LINES)
    frame, log = investment_aiddata.parse_gcdf3(path, GCDF3_YEARS)
    n_years = GCDF3_YEARS[1] - GCDF3_YEARS[0] + 1
    assert len(frame) == 6 * n_years * 3  # six recipients, every year, three flow classes
    assert set(frame["recipient_iso3"]) == {"KAZ", "KGZ", "TJK", "TKM", "UZB", "RUS"}
    kaz = frame[frame.recipient_iso3 == "KAZ"].set_index(["year", "flow_class"])
    # whole dollars -> millions, rounded to 1 dollar
    assert kaz.loc[(2000, "ODA-like"), "commitment_usd2021_mn"] == 5.132913
    assert kaz.loc[(2002, "OOF-like"), "adjusted_commitment_usd2021_mn"] == 429.906243
    # a recorded year's empty class is 0 (odadata's fill), recorded True
    assert kaz.loc[(2000, "OOF-like"), "commitment_usd2021_mn"] == 0.0
    assert kaz.loc[(2000, "OOF-like"), "commitment_recorded"]
    # an absent year: no recorded commitment, amounts empty (not 0)
    assert not kaz.loc[(2001, "ODA-like"), "commitment_recorded"]
    assert kaz.loc[[2001], "commitment_usd2021_mn"].isna().all()
    # a recorded year with zero in every class (projects without an amount) stays recorded 0
    tkm = frame[(frame.recipient_iso3 == "TKM") & (frame.year == 2008)]
    assert tkm["commitment_recorded"].all() and (tkm["commitment_usd2021_mn"] == 0).all()
    rus = frame[(frame.recipient_iso3 == "RUS") & (frame.year == 2009)]
    assert rus.set_index("flow_class").loc["OOF-like", "commitment_usd2021_mn"] == 40132.797373
    kaz_log = next(line for line in log if " KAZ " in line)
    assert "for 2001, 2003, 2004," in kaz_log and "no recorded commitment" in kaz_log


@pytest.mark.parametrize(
    ("lines", "needle"),
    [
        ([*GCDF3_LINES, GCDF3_LINES[0]], "more than one row"),
        ([*GCDF3_LINES[:-1], "705,2001,-5,0,0,0,0,0"], "negative amounts"),
        ([*GCDF3_LINES, "705,2022,1,1,0,0,0,0"], "years outside"),
        ([*GCDF3_LINES, "705,2003,,1,0,0,0,0"], "empty cells"),
        ([line for line in GCDF3_LINES if not line.startswith("705,")], "no rows for the"),
    ],
)
def test_gcdf3_bad_files_are_refused(tmp_path: Path, lines, needle) -> None:
    path = write_gcdf3(tmp_path / "cow_gcdf.csv", lines)
    with pytest.raises(RawDataError, match="Fix:") as err:
        investment_aiddata.parse_gcdf3(path, GCDF3_YEARS)
    assert needle in str(err.value)


def test_gcdf3_other_columns_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "cow_gcdf.csv"
    path.write_text("ccode,year,amount\n705,2000,1\n", encoding="utf-8")
    with pytest.raises(RawDataError, match="odadata"):
        investment_aiddata.parse_gcdf3(path, GCDF3_YEARS)


# --- AidData GCDF 2.0 geolocated projects --------------------------------------------------


def test_gcdf2_central_asian_projects(tmp_path: Path) -> None:
    frame = investment_aiddata.parse_gcdf2(write_gcdf2(tmp_path / "final_df.csv", GCDF2_ROWS))
    assert list(frame["project_id"]) == ["1", "2", "3"]
    assert list(frame["recipient_iso3"]) == ["KAZ", "KGZ", "UZB"]
    assert frame.loc[0, "amount_usd2017_mn"] == 26.3
    assert pd.isna(frame.loc[1, "amount_usd2017_mn"])  # no amount: empty, not 0
    assert frame.loc[0, "funding_agencies"] == "Export-Import Bank of China"  # stripped
    assert frame.loc[1, "recipient_name"] == "Kyrgyz Republic"
    assert list(frame["umbrella"]) == [False, True, False]
    assert frame["recommended_for_aggregates"].all()
    assert frame.loc[2, "finance_type"] == "huawei"


def test_gcdf2_bad_yes_no_and_ids_are_refused(tmp_path: Path) -> None:
    rows = [*GCDF2_ROWS[:2], gcdf2_row(3, "Tajikistan", Umbrella="Maybe")]
    with pytest.raises(RawDataError, match="'umbrella' holds"):
        investment_aiddata.parse_gcdf2(write_gcdf2(tmp_path / "a.csv", rows))
    rows = [*GCDF2_ROWS[:2], gcdf2_row(3, "Tajikistan", id="99")]
    with pytest.raises(RawDataError, match="differs from"):
        investment_aiddata.parse_gcdf2(write_gcdf2(tmp_path / "b.csv", rows))


# --- the domain's build --------------------------------------------------------------------


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    """A raw snapshot folder with every investment file, synthetic."""
    raw = tmp_path / "raw"
    banks = {"Kazakhstan": KAZ_BANK, "Kyrgyzstan": "National Bank of the Kyrgyz Republic"}
    for name, (_, _, host, title, _) in UNCTAD_FILES.items():
        rows = unctad_rows(host=host, title=title, bank=banks[host])
        write_unctad(raw / UNCTAD_DIR / name, rows)
    write_gcdf3(raw / GCDF3_FILE, GCDF3_LINES)
    write_gcdf2(raw / GCDF2_FILE, GCDF2_ROWS)
    return raw


def test_build_validates_against_the_specs_and_carries_the_log(raw: Path) -> None:
    frames = investment.build(raw)
    assert set(frames) == {s.name for s in investment.TABLES}
    for spec in investment.TABLES:
        assert unit_problems(spec) == []
        pandera_schema(spec).validate(frames[spec.name], lazy=True)
    fdi = frames["investment_fdi_by_origin"]
    assert set(zip(fdi.host_iso3, fdi.measure, strict=True)) == {
        ("KAZ", "inflow"),
        ("KGZ", "inflow"),
        ("KAZ", "stock"),
    }
    log = fdi.attrs["curation_log"]
    assert len(log) == 3 * 9 and all("garbled negative" in line for line in log)
    assert len(frames["investment_china_official_finance"].attrs["curation_log"]) == 6
    assert frames["investment_china_projects_geolocated"].attrs["curation_log"] == []


def test_curation_run_reports_the_log(raw: Path, tmp_path: Path, monkeypatch) -> None:
    from kzanalysis import curate, specs
    from kzanalysis.curate.run import curate as run_curate

    for registry in (curate, specs):
        monkeypatch.setattr(registry, "DOMAINS", ("investment",))
    result = run_curate(raw, tmp_path / "data")
    assert result.tables["investment_fdi_by_origin"] == 3 * 33
    assert "investment_fdi_by_origin: KAZ_flows_by_origin.csv row 4 (World, 2002): " in (
        "\n".join(result.log)
    )
    assert sum(line.startswith("investment_china_official_finance: ") for line in result.log) == 6
    again = run_curate(raw, tmp_path / "data", check=True)
    assert again.differences == [] and again.log == result.log
