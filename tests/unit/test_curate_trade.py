"""Unit tests of the trade curation on small synthetic files in the upstream layouts."""

from __future__ import annotations

import csv
import gettext
from pathlib import Path

import openpyxl
import pandas as pd
import pycountry
import pytest

from kzanalysis.curate import trade, trade_bns, trade_dots, trade_wits
from kzanalysis.errors import RawDataError
from kzanalysis.schema import pandera_schema, unit_problems

EU28 = [
    "AUT",
    "BEL",
    "BGR",
    "CYP",
    "CZE",
    "DEU",
    "DNK",
    "ESP",
    "EST",
    "FIN",
    "FRA",
    "GRC",
    "HRV",
    "HUN",
    "IRL",
    "ITA",
    "LTU",
    "LUX",
    "LVA",
    "MLT",
    "NLD",
    "POL",
    "PRT",
    "ROU",
    "SVK",
    "SVN",
    "SWE",
    "GBR",
]

# --- writers of synthetic upstream files -----------------------------------------------


def write_dots(path: Path, reporter: str, rows: list[list], years=(2019, 2020), sheets=None):
    """Write a DOTS-like workbook; ``rows`` = [partner, v1, v2] for BOTH sheets."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for sheet in sheets or trade_dots.SHEETS:
        ws = wb.create_sheet(sheet)
        ws["B2"] = f"{sheet} to Partner Countries"
        ws["B4"] = reporter
        ws["B5"] = "US Dollars, Millions"
        for j, y in enumerate(years):
            ws.cell(row=7, column=3 + j, value=str(y))
        for i, row in enumerate(rows):
            for j, v in enumerate(row):
                ws.cell(row=8 + i, column=2 + j, value=v)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


DOTS_ROWS = [
    ["Australia", 1.0, None],  # duplicated first row (dropped)
    ["World", 100.0, 110.0],
    ["European Union", 20.0, "1,191.26 e"],
    ["Australia", 1.0, None],
    ["China, P.R.: Mainland", "13.35 e", 30.0],
    ["Memorandum Items", None, None],
    ["Asia not specified", 0.5, None],
]


def ru_name(iso3: str) -> str:
    """Russian pycountry name of a country (to write synthetic BNS sheets)."""
    tr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ru"])
    return tr.gettext(pycountry.countries.get(alpha_3=iso3).name)


def write_bns(path: Path, year: int, eu_members=EU28, extra=(), header_word="Экспорт"):
    """Write a BNS-like sheet CSV (values in thousand USD)."""
    rows = [
        [" Основные показатели внешней торговли Республики Казахстан", "", "", "", "", "", ""],
        [f"за январь-декабрь {year} года", "", "", "", "", "", ""],
        ["", "", "", "", "тыс. долларов США", "", ""],
        ["Наименование страны", "Товарооборот", "", header_word, "", "Импорт", ""],
        ["", "Всего", "%", "Всего", "%", "Всего", "%"],
        ["Всего\nв том числе", "3000", "100", "2000", "100", "1000", "100"],
        ["Страны СНГ", "1500", "50", "1000", "50", "500", "50"],
        [" Страны ЕАЭС", "1500", "50", "1000", "50", "500", "50"],
        ["Россия", "1500", "50", "1000", "50", "500", "50"],
        ["Европа", "1000", "", "600", "", "400", ""],
        ["  Страны ЕС", "1000", "", "600", "", "400", ""],
    ]
    rows += [[ru_name(c), "10", "", "5", "", "5", ""] for c in eu_members]
    rows += [["Страны вне ЕС", "0", "", "", "", "0", ""]]
    rows += [["Кыргызстан", "7.5", "", "7.5", "", "", ""], *extra]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)


def write_wits(path: Path, partner: str, flow: str, lines: list[tuple[str, int, float]]):
    """Write a WITS-like extract: lines = (ProductCode, Year, value in 1000 USD)."""
    name = {"CHN": "China", "WLD": "World", "RUS": "Russian Federation"}[partner]
    fname, fcode = ("Export", 6) if flow == "export" else ("Import", 5)
    rows = [
        ["H4", "KAZ", code, "Kazakhstan", partner, name, y, fname, fcode, v, "", ""]
        for code, y, v in lines
    ]
    cols = [*trade_wits.WITS_COLUMNS, "PartnerRegion", "PartnerIncomeGroup"]
    path.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(rows, columns=cols).to_csv(path, index=False)


def write_raw_tree(raw: Path) -> None:
    """Write a complete synthetic ``--raw`` tree for the trade domain."""
    for name, (_, label) in trade_dots.DOTS_FILES.items():
        write_dots(raw / trade_dots.DOTS_DIR / name, label, DOTS_ROWS)
    for year, suffix in trade_bns.latest_sheets().items():
        members = EU28[:-1] if year == 2023 else EU28
        write_bns(raw / trade_bns.sheet_relpath(suffix), year, members)
    wdir = raw / trade_wits.WITS_DIR
    for (partner, flow), name in trade_wits.HS4_FILES.items():
        lines = [("0101", 2019, 1500.5), ("2709", 2019, 2000.0), ("2709", 2020, 10.0)]
        write_wits(wdir / name, partner, flow, lines)
    write_wits(wdir / trade_wits.SECTION_FILES[0], "RUS", "import", [("27-27_Fuels", 2019, 700.0)])
    write_wits(wdir / trade_wits.SECTION_FILES[1], "RUS", "import", [("72-83_Metals", 2019, 300.0)])
    pd.DataFrame(
        {
            "year": [2019, 2020],
            "russia_exp_bn": [5.5, 5.0],
            "eu_uk_exp_bn": [23.1, 16.3],
            "eu_uk_imp_bn": [6.6, 2.2],
        }
    ).to_csv(wdir / trade_wits.REPO_DERIVED_FILE, index=False)


# --- specs -------------------------------------------------------------------------------


@pytest.mark.parametrize("spec", trade.TABLES, ids=lambda s: s.name)
def test_specs_follow_unit_rules(spec):
    assert unit_problems(spec) == []
    assert spec.sources
    for src in spec.sources:
        assert src.raw_paths and src.terms and src.retrieved


# --- DOTS --------------------------------------------------------------------------------


@pytest.fixture
def dots_frame(tmp_path):
    path = tmp_path / "DOTS_103.xlsx"
    write_dots(path, "Kazakhstan, Rep. of", DOTS_ROWS)
    return trade_dots.parse_workbook(path, "KAZ", "Kazakhstan, Rep. of")


def test_dots_drops_duplicate_first_australia_row(dots_frame):
    aus = dots_frame[(dots_frame.partner_code == "AUS")]
    assert len(aus) == 2  # one per sheet (2019 only; 2020 empty), not 4
    assert set(aus.year) == {2019}


def test_dots_parses_estimates_with_thousands_comma(dots_frame):
    eu = dots_frame[(dots_frame.partner_code == "IMF_EU") & (dots_frame.year == 2020)]
    assert eu.value_usd_mn.tolist() == [1191.26, 1191.26]
    assert eu.estimate_flag.all()
    chn = dots_frame[(dots_frame.partner_code == "CHN") & (dots_frame.year == 2019)]
    assert chn.value_usd_mn.tolist() == [13.35, 13.35] and chn.estimate_flag.all()
    wld = dots_frame[(dots_frame.partner_code == "WLD") & (dots_frame.year == 2019)]
    assert not wld.estimate_flag.any()


def test_dots_kinds_and_empty_cells(dots_frame):
    kinds = dots_frame.drop_duplicates("partner_code").set_index("partner_code").partner_kind
    assert kinds.to_dict() == {
        "WLD": "group",
        "IMF_EU": "group",
        "AUS": "country",
        "CHN": "country",
        "IMF_NS_ASIA": "unallocated",
    }
    # 2 sheets x (WLD 2 + EU 2 + AUS 1 + CHN 2 + NS 1) cells; empty cells and headings dropped
    assert len(dots_frame) == 16
    assert set(dots_frame.flow) == {"export", "import"}


def test_dots_unmapped_partner_is_listed(tmp_path):
    path = tmp_path / "x.xlsx"
    write_dots(path, "Kazakhstan, Rep. of", [*DOTS_ROWS, ["Atlantis, Rep. of", 1.0, 2.0]])
    with pytest.raises(RawDataError, match="Atlantis, Rep. of"):
        trade_dots.parse_workbook(path, "KAZ", "Kazakhstan, Rep. of")


def test_dots_renamed_sheet_is_a_clear_error(tmp_path):
    path = tmp_path / "x.xlsx"
    write_dots(path, "Kazakhstan, Rep. of", DOTS_ROWS, sheets=["Exports", "Imports, CIF"])
    with pytest.raises(RawDataError, match=r"sheet 'Exports, FOB' missing.*Fix:"):
        trade_dots.parse_workbook(path, "KAZ", "Kazakhstan, Rep. of")


def test_dots_wrong_reporter_and_missing_duplicate_row(tmp_path):
    path = tmp_path / "x.xlsx"
    write_dots(path, "Uzbekistan, Rep. of", DOTS_ROWS)
    with pytest.raises(RawDataError, match="expected reporter"):
        trade_dots.parse_workbook(path, "KAZ", "Kazakhstan, Rep. of")
    write_dots(path, "Kazakhstan, Rep. of", DOTS_ROWS[1:])
    with pytest.raises(RawDataError, match="duplicated 'Australia'"):
        trade_dots.parse_workbook(path, "KAZ", "Kazakhstan, Rep. of")


def test_dots_bad_cell_text():
    with pytest.raises(RawDataError, match="neither a number"):
        trade_dots.parse_cell("n.a.", "f.xlsx")
    assert trade_dots.parse_cell("  ", "f") == (None, False)
    assert trade_dots.parse_cell(0, "f") == (0.0, False)


# --- BNS ---------------------------------------------------------------------------------


def test_bns_groups_units_and_eu_composition(tmp_path):
    path = tmp_path / "s.csv"
    write_bns(path, 2020)
    df = trade_bns.parse_sheet(path, 2020)
    by = df.set_index(["partner_code", "flow"]).value_usd_mn
    assert by[("WLD", "export")] == 2.0  # 2000 thousand USD → 2 million
    assert by[("RUS", "import")] == 0.5
    assert by[("KGZ", "export")] == 0.0075
    assert ("KGZ", "import") not in by.index  # empty cell → no row
    kinds = df.drop_duplicates("partner_code").set_index("partner_code").partner_kind
    assert (
        kinds[["WLD", "CIS", "EAEU", "BNS_EUROPE", "EU28", "BNS_EUROPE_NON_EU"]].eq("group").all()
    )
    assert kinds[["RUS", "KGZ", "GBR", "DEU"]].eq("country").all()
    assert "BNS_EUROPE_NON_EU" not in set(df[df.flow == "export"].partner_code)
    assert df.partner_name[df.partner_code == "WLD"].iat[0] == "Всего в том числе"

    write_bns(path, 2023, EU28[:-1])
    assert "EU27" in set(trade_bns.parse_sheet(path, 2023).partner_code)


def test_bns_unmapped_name_renamed_header_and_wrong_year(tmp_path):
    path = tmp_path / "s.csv"
    write_bns(path, 2020, extra=[["Страна Оз", "1", "", "1", "", "", ""]])
    with pytest.raises(RawDataError, match="Страна Оз"):
        trade_bns.parse_sheet(path, 2020)
    write_bns(path, 2020, header_word="Вывоз")
    with pytest.raises(RawDataError, match="expected «экспорт…»"):
        trade_bns.parse_sheet(path, 2020)
    write_bns(path, 2020)
    with pytest.raises(RawDataError, match="title says 2020"):
        trade_bns.parse_sheet(path, 2021)


def test_bns_duplicate_partner_is_an_error(tmp_path):
    path = tmp_path / "s.csv"
    write_bns(path, 2020, extra=[["Кыргызстан", "1", "", "1", "", "", ""]])
    with pytest.raises(RawDataError, match="KGZ appears twice"):
        trade_bns.parse_sheet(path, 2020)


def test_bns_latest_workbook_wins():
    latest = trade_bns.latest_sheets()
    assert latest[2019] == "file2020__sheet2_12_2019"
    assert latest[2022] == "file2023__sheet5_2022"
    assert sorted(latest) == [2018, 2019, 2020, 2021, 2022, 2023]


# --- WITS --------------------------------------------------------------------------------


def test_wits_product_codes_stay_text_and_incomplete_years_flagged(tmp_path):
    path = tmp_path / "w.csv"
    write_wits(path, "CHN", "export", [("0101", 2019, 355.509), ("2711", 2020, 1447000.0)])
    df = trade_wits.read_wits(path, "export", "CHN")
    rows = trade_wits.hs4_rows(df, path, "CHN", "export")
    assert rows.product_code.tolist() == ["0101", "2711"]
    assert rows.value_usd_mn.tolist() == [0.355509, 1447.0]
    assert rows.incomplete_year.tolist() == [False, True]


def test_wits_totals_skip_incomplete_years(tmp_path):
    path = tmp_path / "w.csv"
    write_wits(path, "CHN", "export", [("0101", 2019, 1000.0), ("0102", 2019, 500.0),
                                        ("0101", 2021, 9.0)])  # fmt: skip
    df = trade_wits.read_wits(path, "export", "CHN")
    tot = trade_wits.hs4_totals({("CHN", "export"): df})
    assert tot[["year", "value_usd_mn"]].values.tolist() == [[2019, 1.5]]


def test_wits_errors(tmp_path):
    path = tmp_path / "w.csv"
    write_wits(path, "CHN", "export", [("0101", 2019, 1.0), ("0101", 2019, 2.0)])
    with pytest.raises(RawDataError, match="share \\(partner, product, year\\)"):
        trade_wits.read_wits(path, "export", "CHN")
    write_wits(path, "CHN", "import", [("0101", 2019, 1.0)])
    with pytest.raises(RawDataError, match="TradeFlowName"):
        trade_wits.read_wits(path, "export", "CHN")
    pd.read_csv(path).rename(columns={"ProductCode": "Product"}).to_csv(path, index=False)
    with pytest.raises(RawDataError, match="missing columns \\['ProductCode'\\]"):
        trade_wits.read_wits(path, "import", "CHN")


def test_wits_section_overlap_would_double_count(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    write_wits(a, "RUS", "import", [("27-27_Fuels", 2019, 1.0)])
    write_wits(b, "RUS", "import", [("27-27_Fuels", 2019, 1.0)])
    frames = [(p, trade_wits.read_wits(p, "import")) for p in (a, b)]
    with pytest.raises(RawDataError, match="double count"):
        trade_wits.section_totals(frames)


# --- full build on a synthetic raw tree ---------------------------------------------------


@pytest.fixture
def built(tmp_path):
    write_raw_tree(tmp_path)
    return trade.build(tmp_path)


def test_build_validates_against_specs(built):
    for spec in trade.TABLES:
        frame = built[spec.name]
        assert list(frame.columns) == spec.field_names
        pandera_schema(spec).validate(frame)
        assert len(frame) > 0


def test_build_contents(built):
    flows = built["trade_partner_flows"]
    assert set(flows.source) == {s.id for s in trade.PARTNER_SOURCES}
    # DOTS: 16 rows per workbook (see test_dots_kinds_and_empty_cells) x 7 reporters
    assert (flows.source == "imf_dots").sum() == 16 * 7
    wits = flows[flows.source != "imf_dots"].query("source != 'kz_bns'")
    assert 2020 not in set(wits.year)  # incomplete years never published as totals
    rus = wits[(wits.source == "wits_sections")]
    assert rus.value_usd_mn.tolist() == [1.0]  # 700 + 300 thousand USD
    eu = wits[(wits.partner_code == "EU27_GBR") & (wits.flow == "export")]
    assert eu.value_usd_mn.tolist() == [23100.0]
    bns_eu = flows[(flows.source == "kz_bns") & flows.partner_code.str.startswith("EU")]
    assert set(zip(bns_eu.year, bns_eu.partner_code, strict=True)) >= {
        (2022, "EU28"),
        (2023, "EU27"),
    }
    hs4 = built["trade_products_hs4"]
    assert hs4.loc[hs4.year == 2020, "incomplete_year"].all()
    assert not hs4.loc[hs4.year == 2019, "incomplete_year"].any()


def test_build_missing_file_is_a_clear_error(tmp_path):
    write_raw_tree(tmp_path)
    (tmp_path / trade_dots.DOTS_DIR / "DOTS_40.xlsx").unlink()
    with pytest.raises(RawDataError, match=r"missing upstream file .*DOTS_40\.xlsx.*Fix:"):
        trade.build(tmp_path)
