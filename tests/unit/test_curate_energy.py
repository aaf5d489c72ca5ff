"""Unit tests of the energy curation on small synthetic files in the upstream layouts."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from kzanalysis.curate import energy
from kzanalysis.curate import energy_ei as ei
from kzanalysis.errors import RawDataError
from kzanalysis.schema import pandera_schema, unit_problems

UNIT_LABELS = {
    "kbd": "Thousand barrels daily",
    "mt": "Million tonnes ",  # bp 2021 pads the label with a space
    "bcm": "Billion cubic metres",
    "ej": "Exajoules",
    "twh": "Terawatt-hours",
    "bn_bbl": "Thousand million barrels",
    "tcm": "Trillion cubic metres",
}

ENTITIES = ["Kazakhstan", "Russian Federation", "Other CIS", "Total CIS", "Total World", "Japan"]


def _ts_sheet(unit_label: str, years: list[int], rows: dict[str, list]) -> list[list]:
    """A Statistical-Review-style time-series sheet as a list of rows."""
    grid: list[list] = [["Oil: Production*"], [None] * (len(years) + 1) + ["Growth rate"]]
    grid.append([unit_label, *years, years[-1], "2013-23", years[-1]])  # repeated-year tail
    grid.append([])
    for name, values in rows.items():
        grid.append([name, *values, 0.01, 0.02, 0.03])
    grid.append([])
    grid.append(["Source: includes data from somewhere."])
    grid.append(["n/a not available."])
    return grid


def _gas_matrix(year: int) -> list[list]:
    """A pipeline matrix: rows are importers ('To'), columns exporters ('From')."""
    return [
        [f"Natural Gas: Trade movements {year} by pipeline "],
        ["Billion cubic metres", None, None, None, "From"],
        ["To", "Kazakhstan", "Russian Federation", "Turkmenistan", "Total imports"],
        ["Kazakhstan", 0, 3.25, 0, 3.25],
        ["Russian Federation", 7.1, 0, 0, 7.1],
        ["Other CIS", 0, 0.5, 0, 0.5],
        ["CIS", 7.1, 3.75, 0, 10.85],
        ["China", 6.79, 3.88, 27.22, 37.89],
        ["Asia Pacific", 6.79, 3.88, 27.22, 37.89],
        ["Total exports", 13.89, 7.63, 27.22, 48.74],
        ["Source: FGE."],
    ]


def _oil_matrix(year: int, russia: str = "Russia") -> list[list]:
    """An inter-area matrix: rows are exporters ('From'), columns importers ('To')."""
    return [
        [f"Oil: Inter-area movements {year}"],
        [None, None, None, None, "To"],
        ["Crude (million tonnes)", "Europe", "China", "Other CIS", "Total"],
        ["From", None, None, None, "From"],
        [russia, 100.0, 79.6, 0, 179.6],
        ["Other CIS", 67.0, 4.77, 0, 71.77],
        ["Total imports", 167.0, 84.37, 0, 251.37],
        [],
        ["Product (million tonnes)"],
        ["From"],
        [russia, 50.0, 1.0, 2.0, 53.0],
        ["Total imports", 50.0, 1.0, 2.0, 53.0],
    ]


def _series_rows(unit: str) -> dict[str, list]:
    """Values for ENTITIES over 2019-2021; Kazakhstan 2019 is 'n/a'."""
    base = {"Kazakhstan": 30.0, "Russian Federation": 100.0, "Other CIS": 5.0, "Japan": 1.0}
    rows = {}
    for name, v in base.items():
        rows[name] = [v, v + 1, v + 2]
    rows["Kazakhstan"][0] = "n/a"
    rows["Total CIS"] = [135.0, 138.0, 141.0]
    rows["Total World"] = [1000.0, 1001.0, 1002.0]
    if unit == "bn_bbl":  # reserves sheets carry memo rows under Canada/Venezuela
        rows["Canadian Oil Sands: Total"] = [160.0, 160.0, 160.0]
    return rows


def write_workbook(path: Path, edition: str) -> None:
    """Write a synthetic all-data workbook holding every sheet the curation reads."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for s in energy.SERIES:
        if s.editions is not None and edition not in s.editions:
            continue
        ws = wb.create_sheet(s.sheets[0] + " ")  # trailing space as in some editions
        for row in _ts_sheet(UNIT_LABELS[s.unit], [2019, 2020, 2021], _series_rows(s.unit)):
            ws.append(row)
    ws = wb.create_sheet("Gas - Trade movts - pipeline")
    for row in _gas_matrix(int(edition) - 1):
        ws.append(row)
    ws = wb.create_sheet("Oil - Inter-area movements ")
    for row in _oil_matrix(int(edition) - 1):
        ws.append(row)
    wb.save(path)


def write_json(path: Path) -> None:
    """Write a synthetic EI 2026 JSON extraction (timeseries + raw grids)."""
    sheets: dict[str, dict] = {}
    for s in energy.SERIES:
        if s.editions is not None and "2026" not in s.editions:
            continue
        name = s.sheets[-1]
        rows = _series_rows(s.unit)
        sheets[name] = {
            "type": "timeseries",
            "unit": UNIT_LABELS[s.unit].strip(),
            "years": [2023, 2024, 2025],
            "entities": [{"name": n, "values": v, "extra": {}} for n, v in rows.items()],
        }
    to_str = [[("" if c is None else str(c)) for c in r] for r in _gas_matrix(2025)]
    sheets["Gas trade 2025 - pipeline"] = {"type": "raw", "grid": to_str}
    # the JSON inter-area sheet is titled 2024 although it holds 2025 flows
    oil = [[("" if c is None else str(c)) for c in r] for r in _oil_matrix(2024)]
    sheets["Oil - Inter-area movements"] = {"type": "raw", "grid": oil}
    sheets["Coal share of electricity"] = {"type": "timeseries", "unit": "%", "years": []}
    path.write_text(json.dumps({"meta": {}, "sheets": sheets}), encoding="utf-8")


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, dict]:
    """Parsed synthetic workbooks for 2021 and 2024 plus the 2026 JSON sheets."""
    root = tmp_path_factory.mktemp("ei")
    workbooks = {}
    for edition in ("2021", "2024"):
        path = root / f"{edition}.xlsx"
        write_workbook(path, edition)
        workbooks[edition] = ei.read_workbook(path)
    jpath = root / "ei.json"
    write_json(jpath)
    return workbooks, ei.read_json(jpath)


# ---------------------------------------------------------------------------------------
# specs
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("spec", energy.TABLES, ids=lambda s: s.name)
def test_specs_follow_unit_rules(spec) -> None:
    assert unit_problems(spec) == []
    assert "source" in spec.field_names
    assert all(p.startswith("energy/raw/") for src in spec.sources for p in src.raw_paths)


def test_table_names_are_the_agreed_ones() -> None:
    assert [s.name for s in energy.TABLES] == [
        "energy_series",
        "energy_gas_pipeline_flows",
        "energy_crude_interarea_flows",
        "brent_annual",
        "fx_official_rates",
    ]


# ---------------------------------------------------------------------------------------
# entity mapping
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("US", ("USA", "country")),
        ("Russian Federation", ("RUS", "country")),
        ("Russia", ("RUS", "country")),
        ("Kazakhstan", ("KAZ", "country")),
        ("Türkiye", ("TUR", "country")),
        ("Trinidad & Tobago", ("TTO", "country")),
        ("Other CIS", ("CIS_OTHER", "area")),
        ("Total CIS", ("CIS", "subtotal")),
        ("Total World", ("WLD", "total")),
        ("Other Europe1", ("OTHER_EUROPE", "area")),  # footnote digit stripped
        ("of which: OECD", ("OECD", "subtotal")),
        ("Total imports", ("TOTAL", "total")),
    ],
)
def test_resolve_entity(name: str, expected: tuple[str, str]) -> None:
    assert ei.resolve_entity(name) == expected


def test_unmapped_names_are_listed() -> None:
    with pytest.raises(RawDataError, match=r"Atlantis.*Narnia"):
        ei.resolve_all(["Kazakhstan", "Narnia", "Atlantis"], "file.xlsx [sheet]")


# ---------------------------------------------------------------------------------------
# time series
# ---------------------------------------------------------------------------------------


def test_timeseries_grid_parses_years_markers_and_skips_footnotes() -> None:
    grid = _ts_sheet("Exajoules", [2019, 2020, 2021], {"Kazakhstan": ["n/a", 1.5, "-"]})
    rows = ei.parse_timeseries_grid(grid, "Exajoules", "f [s]")
    assert rows == [ei.SeriesRow("Kazakhstan", 2020, 1.5)]  # growth/share columns ignored


def test_timeseries_grid_renamed_unit_raises() -> None:
    grid = _ts_sheet("Million tonnes oil equivalent", [2019, 2020], {"China": [1, 2]})
    with pytest.raises(RawDataError, match=r"f \[s\].*Exajoules"):
        ei.parse_timeseries_grid(grid, "Exajoules", "f [s]")


def test_timeseries_grid_unexpected_text_raises() -> None:
    grid = _ts_sheet("Exajoules", [2019, 2020], {"China": ["lots", 2]})
    with pytest.raises(RawDataError, match="unexpected text 'lots'"):
        ei.parse_timeseries_grid(grid, "Exajoules", "f [s]")


def test_energy_series_from_synthetic_editions(synthetic) -> None:
    workbooks, json_sheets = synthetic
    frame = energy.build_energy_series(workbooks, json_sheets)
    pandera_schema(energy.ENERGY_SERIES).validate(frame)
    assert list(frame.columns) == energy.ENERGY_SERIES.field_names
    assert set(frame["edition"]) == {"2021", "2024", "2026"}
    # exactly one value column is filled, and it is the one named by `unit`
    values = frame[list(energy.UNIT_COLUMNS.values())]
    assert (values.notna().sum(axis=1) == 1).all()
    for unit, col in energy.UNIT_COLUMNS.items():
        assert frame.loc[frame["unit"] == unit, col].notna().all()
    # 'n/a' is omitted, not zero
    kaz = frame[
        (frame.edition == "2021")
        & (frame.entity_code == "KAZ")
        & (frame.variable == "oil_production")
        & (frame.unit == "kbd")
    ]
    assert kaz["year"].tolist() == [2020, 2021]
    assert kaz["value_kbd"].tolist() == [31.0, 32.0]
    # both units of oil production kept side by side
    assert set(frame.loc[frame.variable == "oil_production", "unit"]) == {"kbd", "mt"}
    # memo rows of the reserves sheets are dropped, CIS groups kept with their kinds
    assert not frame["entity_code"].str.startswith("MEMO").any()
    kinds = dict(zip(frame.entity_code, frame.entity_kind, strict=False))
    assert kinds["CIS_OTHER"] == "area" and kinds["CIS"] == "subtotal" and kinds["WLD"] == "total"
    # scope: Japan (non-focus) only in rank series, and only from RANK_FROM_YEAR on
    jpn = frame[frame.entity_code == "JPN"]
    assert set(jpn["variable"]) == {s.variable for s in energy.SERIES if s.all_countries}
    assert (
        frame.loc[(frame.entity_code == "JPN") & (frame.edition == "2021"), "year"] >= 2000
    ).all()
    # the 2026 edition has TES, the bp/EI xlsx editions primary energy
    pe = frame[frame.variable.isin(["primary_energy_consumption", "total_energy_supply"])]
    assert set(zip(pe.edition, pe.variable, strict=True)) == {
        ("2021", "primary_energy_consumption"),
        ("2024", "primary_energy_consumption"),
        ("2026", "total_energy_supply"),
    }
    # JSON years
    assert frame.loc[frame.edition == "2026", "year"].max() == 2025


def test_rank_series_drop_non_focus_countries_before_cutoff() -> None:
    s = energy.SERIES[0]
    assert s.all_countries
    rows = [ei.SeriesRow("Japan", 1999, 1.0), ei.SeriesRow("Japan", 2000, 2.0)]
    rows += [ei.SeriesRow("Kazakhstan", 1999, 3.0)]
    frame = energy.series_frame(rows, s, "2022", "bp_sr_2022", "f [s]")
    assert sorted(zip(frame.entity_code, frame.year, strict=True)) == [
        ("JPN", 2000),
        ("KAZ", 1999),
    ]


def test_repeated_entity_in_sheet_raises() -> None:
    rows = [ei.SeriesRow("US", 2020, 1.0), ei.SeriesRow("US", 2020, 2.0)]
    with pytest.raises(RawDataError, match="repeated within the sheet"):
        energy.series_frame(rows, energy.SERIES[0], "2022", "bp_sr_2022", "f [s]")


def test_missing_sheet_raises(synthetic) -> None:
    workbooks, _ = synthetic
    broken = {"2021": {k: v for k, v in workbooks["2021"].items() if "Gas Production" not in k}}
    with pytest.raises(RawDataError, match=r"edition 2021.*Gas Production - Bcm"):
        energy.build_energy_series(broken, None)


def test_json_unit_mismatch_raises() -> None:
    sheet = {"type": "timeseries", "unit": "Million tonnes", "years": [2025], "entities": []}
    with pytest.raises(RawDataError, match="expected 'Exajoules'"):
        ei.parse_timeseries_json(sheet, "Exajoules", "j [s]")


def test_json_values_years_mismatch_raises() -> None:
    sheet = {
        "type": "timeseries",
        "unit": "Exajoules",
        "years": [2024, 2025],
        "entities": [{"name": "China", "values": [1.0]}],
    }
    with pytest.raises(RawDataError, match="1 values for 2 years"):
        ei.parse_timeseries_json(sheet, "Exajoules", "j [s]")


# ---------------------------------------------------------------------------------------
# matrices
# ---------------------------------------------------------------------------------------


def test_gas_pipeline_flows(synthetic) -> None:
    workbooks, json_sheets = synthetic
    frame = energy.build_gas_flows(workbooks, json_sheets)
    pandera_schema(energy.GAS_PIPELINE_FLOWS).validate(frame)
    assert sorted(set(zip(frame.edition, frame.year, strict=True))) == [
        ("2021", 2020),
        ("2024", 2023),
        ("2026", 2025),
    ]
    one = frame[frame.edition == "2021"].set_index(["exporter_code", "importer_code"])
    assert one.loc[("RUS", "CHN"), "flow_bcm"] == 3.88  # rows are importers
    assert one.loc[("KAZ", "RUS"), "flow_bcm"] == 7.1
    assert one.loc[("TOTAL", "CHN"), "flow_bcm"] == 37.89  # 'Total imports' column
    assert one.loc[("KAZ", "TOTAL"), "flow_bcm"] == 13.89  # 'Total exports' row
    assert ("KAZ", "KAZ") not in one.index  # zero cells omitted
    assert one.loc[("RUS", "CIS"), "importer_kind"] == "subtotal"
    assert one.loc[("RUS", "CIS_OTHER"), "importer_kind"] == "area"
    # subtotals do not double count: countries + areas add up to the matrix total
    rus = frame[(frame.edition == "2021") & (frame.exporter_code == "RUS")]
    parts = rus[rus.importer_kind.isin(["country", "area"])]["flow_bcm"].sum()
    assert parts == pytest.approx(rus.loc[rus.importer_code == "TOTAL", "flow_bcm"].item())


def test_gas_matrix_without_header_raises() -> None:
    grid = _gas_matrix(2020)
    grid[2][0] = "Importer"
    with pytest.raises(RawDataError, match="no header row starting with 'To'"):
        ei.parse_gas_pipeline_grid(grid, "f [gas]")


def test_gas_matrix_without_closing_row_raises() -> None:
    grid = [r for r in _gas_matrix(2020) if not (r and r[0] == "Total exports")]
    with pytest.raises(RawDataError, match="no closing 'Total exports'"):
        ei.parse_gas_pipeline_grid(grid, "f [gas]")


def test_crude_interarea_flows(synthetic) -> None:
    workbooks, json_sheets = synthetic
    frame = energy.build_crude_flows(workbooks, json_sheets)
    pandera_schema(energy.CRUDE_INTERAREA_FLOWS).validate(frame)
    # the JSON sheet titled 2024 is stored as 2025
    assert sorted(set(zip(frame.edition, frame.year, strict=True))) == [
        ("2021", 2020),
        ("2024", 2023),
        ("2026", 2025),
    ]
    one = frame[frame.edition == "2024"].set_index(["exporter_code", "importer_code"])
    assert one.loc[("CIS_OTHER", "CHN"), "flow_mt"] == 4.77  # rows are exporters
    assert one.loc[("RUS", "REG_EUROPE"), "importer_kind"] == "area"
    assert one.loc[("TOTAL", "CHN"), "flow_mt"] == 84.37
    # the product block is not read
    assert frame["flow_mt"].max() < 252 and 53.0 not in frame["flow_mt"].tolist()


def test_crude_block_missing_raises() -> None:
    grid = [r for r in _oil_matrix(2020) if not (r and str(r[0]).startswith("Crude"))]
    with pytest.raises(RawDataError, match="no 'Crude"):
        ei.parse_oil_interarea_grid(grid, "Crude", "f [oil]")


# ---------------------------------------------------------------------------------------
# Brent and FX
# ---------------------------------------------------------------------------------------


def test_brent_year(tmp_path: Path) -> None:
    path = tmp_path / "brent-year.csv"
    path.write_text("Date,Price\n1987-06-30,18.53\n1988-06-30,14.91\n", encoding="utf-8")
    frame = energy.parse_brent_year(path, "brent-year.csv")
    pandera_schema(energy.BRENT_ANNUAL).validate(frame)
    assert frame["year"].tolist() == [1987, 1988]
    assert frame["partial_year"].tolist() == [True, False]
    assert frame["brent_usd_per_bbl"].tolist() == [18.53, 14.91]


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("Year,Price\n1988-06-30,14.91\n", "expected \\['Date', 'Price'\\]"),
        ("Date,Price\n1988-06-30,abc\n", "unparseable rows"),
        ("Date,Price\n1988-06-30,1\n1988-12-31,2\n", "repeated years"),
    ],
)
def test_brent_bad_files_raise(tmp_path: Path, text: str, match: str) -> None:
    path = tmp_path / "brent-year.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RawDataError, match=match):
        energy.parse_brent_year(path, "brent-year.csv")


def _wdi_text(rows: list[list[str]]) -> str:
    """A WDI bulk CSV: BOM, 4 metadata lines, header, rows."""
    head = ["Country Name", "Country Code", "Indicator Name", "Indicator Code", "2022", "2023"]
    lines = ['"Data Source","World Development Indicators",', "", '"Last Updated Date","x",', ""]
    for r in [head, *rows]:
        lines.append(",".join(f'"{c}"' for c in r) + ",")
    return "\ufeff" + "\n".join(lines) + "\n"


def test_wdi_fx(tmp_path: Path) -> None:
    ind = ["Official exchange rate (LCU per US$, period average)", "PA.NUS.FCRF"]
    path = tmp_path / "wdi.csv"
    path.write_text(
        _wdi_text(
            [
                ["Kazakhstan", "KAZ", *ind, "460.17", "456.17"],
                ["Turkmenistan", "TKM", *ind, "", ""],
                ["Aruba", "ABW", *ind, "1.79", "1.79"],
            ]
        ),
        encoding="utf-8",
    )
    frame = energy.parse_wdi_csv(path, "wdi.csv", countries=("KAZ", "TKM"))
    pandera_schema(energy.FX_OFFICIAL_RATES).validate(frame)
    assert frame[["country_iso3", "year", "rate_lcu_per_usd"]].values.tolist() == [
        ["KAZ", 2022, 460.17],
        ["KAZ", 2023, 456.17],
    ]  # empty cells omitted, other countries out of scope


def test_wdi_missing_country_and_bad_header_raise(tmp_path: Path) -> None:
    path = tmp_path / "wdi.csv"
    path.write_text(_wdi_text([]), encoding="utf-8")
    with pytest.raises(RawDataError, match=r"absent from the file: \['KAZ'\]"):
        energy.parse_wdi_csv(path, "wdi.csv", countries=("KAZ",))
    path.write_text("Country,Code\nKazakhstan,KAZ\n", encoding="utf-8")
    with pytest.raises(RawDataError, match="Country Name"):
        energy.parse_wdi_csv(path, "wdi.csv")


# ---------------------------------------------------------------------------------------
# build()
# ---------------------------------------------------------------------------------------


def test_build_missing_raw_file_raises(tmp_path: Path) -> None:
    with pytest.raises(RawDataError, match="bp-stats-review-2021-all-data.xlsx"):
        energy.build(tmp_path)


def test_finalize_rejects_duplicate_keys() -> None:
    frame = pd.DataFrame(
        {
            "year": [2020, 2020],
            "brent_usd_per_bbl": [1.0, 2.0],
            "partial_year": [False, False],
            "source": ["x", "x"],
        }
    )
    with pytest.raises(RawDataError, match="primary key"):
        energy.finalize(frame, energy.BRENT_ANNUAL)


def test_workbook_reads_a_sheet_when_first_used(tmp_path):
    """Only the sheets a parser asks for are read (an EI workbook has ~80, the parsers
    need ~20); every title is listed without reading, and read sheets outlive close()."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "A"
    book.active.append(["x", 1])
    for title in ("B", "C"):
        book.create_sheet(title).append([title, 2])
    path = tmp_path / "book.xlsx"
    book.save(path)
    with ei.read_workbook(path) as wb:
        assert list(wb) == ["A", "B", "C"] and len(wb) == 3 and "C" in wb
        assert wb["B"] == [["B", 2]]
        assert list(wb._grids) == ["B"]  # A and C were not read
        with pytest.raises(KeyError):
            wb["D"]
    assert wb["B"] == [["B", 2]]
