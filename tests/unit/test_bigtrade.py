"""DuckDB path for large BACI-shaped trade Parquet: aggregates checked by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from kzanalysis import bigtrade as B

KAZ, CHN, RUS, UZB = 398, 156, 643, 860

# t, i (exporter), j (importer), k (HS6), v (kUSD), q (tons)
ROWS = [
    (2020, KAZ, CHN, 270900, 1000.0, 5.0),  # crude → HS4 2709
    (2020, KAZ, CHN, 270910, 500.0, None),  # same HS4, no quantity
    (2020, KAZ, CHN, 10111, 40.0, 1.0),  # 010111 → HS4 0101 (leading zero)
    (2021, KAZ, CHN, 270900, 2000.0, 7.0),
    (2020, KAZ, RUS, 270900, 300.0, 2.0),
    (2020, UZB, CHN, 270900, 9999.0, 9.0),  # other exporter: never in KAZ's exports
    (2020, CHN, KAZ, 850110, 250.0, 0.5),  # KAZ imports from CHN
    (2019, KAZ, CHN, 270900, 123.0, 1.0),
]


@pytest.fixture
def parquet(tmp_path):
    frame = pd.DataFrame(ROWS, columns=list(B.BACI_COLUMNS))
    half = len(frame) // 2  # two files: a folder source reads both
    frame.iloc[:half].to_parquet(tmp_path / "part-0.parquet", index=False)
    frame.iloc[half:].to_parquet(tmp_path / "part-1.parquet", index=False)
    return tmp_path


def test_exports_by_partner_hs4_year_match_hand_sums(parquet):
    out = B.aggregate(parquet, [KAZ], flow="export")
    got = {
        (r.partner, r.product_code, r.year): (r.value_usd_mn, r.n_rows)
        for r in out.itertuples(index=False)
    }
    assert got == {
        (CHN, "0101", 2020): (0.04, 1),
        (CHN, "2709", 2019): (0.123, 1),
        (CHN, "2709", 2020): (1.5, 2),  # 1000 + 500 kUSD = 1.5 USD mn
        (CHN, "2709", 2021): (2.0, 1),
        (RUS, "2709", 2020): (0.3, 1),
    }
    row = out[(out.partner == CHN) & (out.product_code == "2709") & (out.year == 2020)]
    assert row["quantity_t"].item() == 5.0  # the null quantity is skipped, not zero


def test_filters_imports_years_partners_and_digits(parquet):
    imports = B.aggregate(parquet, [KAZ], flow="import", product_digits=6)
    assert imports[["partner", "product_code", "year"]].values.tolist() == [[CHN, "850110", 2020]]
    assert imports["value_usd_mn"].item() == pytest.approx(0.25)
    two = B.aggregate(parquet, [KAZ, UZB], partners=[CHN], years=(2020, 2020), product_digits=2)
    assert two[["product_code", "value_usd_mn"]].values.tolist() == [
        ["01", pytest.approx(0.04)],
        ["27", pytest.approx(1.0 + 0.5 + 9.999)],
    ]


def test_products_frame_has_the_curated_table_shape(parquet):
    assert B.products_frame("KAZ", source=None) is None  # nothing configured
    frame = B.products_frame(
        "KAZ", ["CHN"], years=(2020, 2021), source=B.BigTradeSource(B.parquet_glob(parquet))
    )
    assert list(frame.columns) == [
        "source", "reporter_iso3", "partner_iso3", "partner_name", "flow", "year",
        "hs_nomenclature", "product_code", "value_usd_mn", "incomplete_year",
    ]  # fmt: skip
    exports = frame[frame.flow == "export"].set_index(["product_code", "year"])["value_usd_mn"]
    assert exports.to_dict() == {("0101", 2020): 0.04, ("2709", 2020): 1.5, ("2709", 2021): 2.0}
    assert set(frame.partner_iso3) == {"CHN"} and set(frame.partner_name) == {"China"}
    assert frame.loc[frame.flow == "import", "product_code"].tolist() == ["8501"]


def test_configure_and_environment_variable(parquet, monkeypatch):
    monkeypatch.setattr(B, "_configured", None)
    monkeypatch.delenv(B.ENV_VAR, raising=False)
    assert B.configured_source() is None
    monkeypatch.setenv(B.ENV_VAR, str(parquet / "part-*.parquet"))
    assert B.configured_source().path.endswith("part-*.parquet")
    B.configure(parquet, memory_limit="256MB", threads=1)
    frame = B.products_frame("KAZ", ["RUS"], flows=["export"])
    assert frame["value_usd_mn"].tolist() == [pytest.approx(0.3)]
    B.configure(None)
    assert B.configured_source().path.endswith("part-*.parquet")  # back to the env var


def test_codes_round_trip_including_baci_specific_ones():
    assert B.iso3_of(KAZ) == "KAZ" and B.iso3_of(842) == "USA" and B.iso3_of(490) == "TWN"
    assert B.baci_code("USA") == 842 and B.baci_code("kaz") == KAZ
    assert B.iso3_of(999) is None
    with pytest.raises(B.BigTradeError, match="'XYZ' is not an ISO3 country code"):
        B.baci_code("XYZ")


def test_errors_say_what_and_how_to_fix(parquet, tmp_path):
    with pytest.raises(B.BigTradeError, match=r"no Parquet file matches .*KZANALYSIS_BACI"):
        B.aggregate(tmp_path / "missing", [KAZ])
    with pytest.raises(B.BigTradeError, match="flow 'both'"):
        B.aggregate(parquet, [KAZ], flow="both")
    with pytest.raises(B.BigTradeError, match="product_digits 3"):
        B.aggregate(parquet, [KAZ], product_digits=3)
    with pytest.raises(B.BigTradeError, match="memory_limit 'lots'"):
        B.aggregate(B.BigTradeSource(B.parquet_glob(parquet), memory_limit="lots"), [KAZ])
    bad = tmp_path / "bad"
    bad.mkdir()
    pd.DataFrame({"year": [2020], "value": [1.0]}).to_parquet(bad / "x.parquet")
    with pytest.raises(
        B.BigTradeError, match=r"lacks BACI column\(s\) \['t', 'i', 'j', 'k', 'v'\]"
    ):
        B.aggregate(bad, [KAZ])


def test_trade_product_rows_use_the_large_source_when_configured(parquet, monkeypatch):
    from kzanalysis.analysis import trade as T

    curated = pd.DataFrame(
        {
            "source": "wits",
            "reporter_iso3": ["KAZ", "KAZ"],
            "partner_iso3": ["CHN", "WLD"],
            "flow": "export",
            "year": 2020,
            "product_code": "2709",
            "value_usd_mn": [1.0, 2.0],
            "incomplete_year": False,
        }
    )
    monkeypatch.delenv(B.ENV_VAR, raising=False)
    B.configure(None)
    plain = T.product_rows(curated, "KAZ")
    assert plain.attrs["product_source"] == "wits" and len(plain) == 2
    assert T.product_rows(curated, "UZB").empty  # the curated table has Kazakhstan only
    assert "Calculations: kzanalysis" in T.product_caption(plain)

    monkeypatch.setenv(B.ENV_VAR, str(parquet))
    big = T.product_rows(curated, "UZB", ["CHN"])
    assert big.attrs["product_source"] == "baci"
    assert big[big.flow == "export"].set_index("product_code")["value_usd_mn"].to_dict() == {
        "2709": pytest.approx(9.999)
    }
    top = T.top_products(big, "CHN", "export", n=1)  # the chapter's functions accept the rows
    assert top["product_code"].tolist() == ["2709"]
    assert T.product_caption(big).startswith("Source: CEPII BACI")
