"""Tests of kzanalysis.analysis.money, its report elements and parameters on hand-made frames.

Every expected value below is computed by hand in the comments.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from pydantic import ValidationError

from kzanalysis.analysis import money as A
from kzanalysis.analysis import money_report as R
from kzanalysis.analysis.money_params import MoneyParams
from kzanalysis.report import Figure, Findings, Note, Table
from kzanalysis.specs import spec_for

#: The curated table's columns, in file order (from its spec).
FDI_COLUMNS = [f.name for f in spec_for("investment_fdi_by_origin").fields]


def _cited(frame: pd.DataFrame, source_id: str) -> pd.DataFrame:
    """``frame`` with the provenance the report elements cite (as datasets.load sets it)."""
    frame.attrs["provenance"] = {
        "table": source_id,
        "sources": [
            {
                "id": source_id,
                "publisher": "Publisher of " + source_id,
                "title": "Title of " + source_id,
                "path": "https://example.org/" + source_id,
                "edition": "1",
                "terms": "cite it",
            }
        ],
    }
    return frame


def fdi() -> pd.DataFrame:
    """KAZ inflows 2010–2012 (world 100, 200, 0), KAZ stock 2010–2011 (2011 not available).

    China 10, 30, 5; Russia 20, 10, 1; Netherlands 40, 60, −5 (repaired); unspecified 5, 5, 0.
    Cumulative over 2010–2011 (the years with a positive world total keep shares; the sums
    use every year where value and world exist): world 300; China 45 → 15.0 %;
    Russia 31 → 10.333 %; Netherlands 95 → 31.667 %; unspecified 10 → 3.333 %.
    """
    rows = []
    world = {2010: 100.0, 2011: 200.0, 2012: 0.0}
    investors = {
        ("China", "CHN", "country"): {2010: 10.0, 2011: 30.0, 2012: 5.0},
        ("Russian Federation", "RUS", "country"): {2010: 20.0, 2011: 10.0, 2012: 1.0},
        ("Netherlands", "NLD", "country"): {2010: 40.0, 2011: 60.0, 2012: -5.0},
        ("Unspecified", None, "unspecified"): {2010: 5.0, 2011: 5.0, 2012: 0.0},
    }
    for year, value in world.items():
        rows.append(("u", "KAZ", "inflow", "World", None, "world", None, year, value, False))
    for (name, iso3, kind), values in investors.items():
        for year, value in values.items():
            repaired = name == "Netherlands" and year == 2012
            rows.append(("u", "KAZ", "inflow", name, iso3, kind, "x", year, value, repaired))
    rows += [
        ("u", "KAZ", "stock", "World", None, "world", None, 2010, 1000.0, False),
        ("u", "KAZ", "stock", "World", None, "world", None, 2011, None, False),
        ("u", "KAZ", "stock", "China", "CHN", "country", "x", 2010, 50.0, False),
        ("u", "KAZ", "stock", "China", "CHN", "country", "x", 2011, None, False),
        ("u", "KAZ", "stock", "Russian Federation", "RUS", "country", "x", 2010, 30.0, False),
        ("u", "KAZ", "stock", "Russian Federation", "RUS", "country", "x", 2011, None, False),
        ("u", "KGZ", "inflow", "China", "CHN", "country", "x", 2010, 999.0, False),
    ]
    return _cited(pd.DataFrame(rows, columns=FDI_COLUMNS), "u")


def finance() -> pd.DataFrame:
    """KAZ 2000–2006: 2001 and 2004 not recorded; 2003 recorded with zero amounts.

    Totals: 2000 10; 2002 100 (ODA 40 + OOF 60); 2003 0; 2005 300; 2006 90.
    Sum 500. Largest years 2005 (300), 2002 (100), 2006 (90): 490 → 98.0 %;
    half (250) is reached by 2005 alone → 1 year. Windows of 3 from 2000:
    2000–2002 = 110 (22.0 %), 2003–2005 = 300 (60.0 %), 2006 = 90 (18.0 %, 1 year).
    """
    amounts = {
        2000: (10.0, 0.0, 0.0),
        2002: (40.0, 60.0, 0.0),
        2003: (0.0, 0.0, 0.0),
        2005: (0.0, 250.0, 50.0),
        2006: (0.0, 90.0, 0.0),
    }
    rows = []
    for year in range(2000, 2007):
        for i, flow_class in enumerate(A.FLOW_CLASSES):
            if year in amounts:
                value = amounts[year][i]
                rows.append(("a", "KAZ", year, flow_class, True, value, value))
            else:
                rows.append(("a", "KAZ", year, flow_class, False, None, None))
    rows.append(("a", "UZB", 2000, "ODA-like", True, 7.0, 7.0))
    return _cited(
        pd.DataFrame(
            rows,
            columns=[
                "source",
                "recipient_iso3",
                "year",
                "flow_class",
                "commitment_recorded",
                "commitment_usd2021_mn",
                "adjusted_commitment_usd2021_mn",
            ],
        ),
        "a",
    )


def projects() -> pd.DataFrame:
    """Four KAZ projects: one umbrella, one not recommended, one without an amount."""
    base = {
        "source": "g",
        "recipient_iso3": "KAZ",
        "recipient_name": "Kazakhstan",
        "funding_agencies": "CDB",
        "flow_type": "Loan",
        "flow_class": "OOF-like",
        "sector": "ENERGY",
        "status": "Completion",
        "finance_type": "development",
    }
    rows = [
        {"project_id": "1", "title": "Big", "commitment_year": 2008, "amount_usd2017_mn": 70.0,
         "recommended_for_aggregates": True, "umbrella": False},
        {"project_id": "2", "title": "Small", "commitment_year": 2009, "amount_usd2017_mn": 30.0,
         "recommended_for_aggregates": True, "umbrella": False},
        {"project_id": "3", "title": "No amount", "commitment_year": 2010,
         "amount_usd2017_mn": None, "recommended_for_aggregates": True, "umbrella": False},
        {"project_id": "4", "title": "Umbrella", "commitment_year": 2008,
         "amount_usd2017_mn": 500.0, "recommended_for_aggregates": True, "umbrella": True},
        {"project_id": "5", "title": "Not recommended", "commitment_year": 2008,
         "amount_usd2017_mn": 900.0, "recommended_for_aggregates": False, "umbrella": False},
    ]  # fmt: skip
    return _cited(pd.DataFrame([base | r for r in rows]), "g")


# --------------------------------------------------------------------------------------
# FDI
# --------------------------------------------------------------------------------------


def test_fdi_by_investor_shares_of_the_world_and_missing_kept() -> None:
    out = A.fdi_by_investor(fdi(), "KAZ", "inflow", 2000, 2021)
    chn = out[out["investor"] == "CHN"].set_index("year")
    assert chn.loc[2010, "share_pct"] == pytest.approx(10.0)
    assert chn.loc[2011, "share_pct"] == pytest.approx(15.0)
    # a world total of zero gives no share (not a division by zero)
    assert math.isnan(chn.loc[2012, "share_pct"])
    unspecified = out[out["investor"] == A.UNSPECIFIED].set_index("year")
    assert unspecified.loc[2011, "value_usd_mn"] == 5.0
    nld = out[out["investor"] == "NLD"].set_index("year")
    assert bool(nld.loc[2012, "sign_repaired"]) and nld.loc[2012, "value_usd_mn"] == -5.0
    stock = A.fdi_by_investor(fdi(), "KAZ", "stock", 2000, 2021, ("CHN", "RUS"))
    rus = stock[stock["investor"] == "RUS"].set_index("year")
    assert rus.loc[2010, "share_pct"] == pytest.approx(3.0)
    assert math.isnan(rus.loc[2011, "value_usd_mn"])  # not available stays empty
    assert A.fdi_by_investor(fdi(), "TJK", "inflow", 2000, 2021).empty


def test_period_totals_are_shares_of_the_cumulative_flow() -> None:
    out = A.period_totals(A.fdi_by_investor(fdi(), "KAZ", "inflow", 2010, 2011))
    rows = out.set_index("investor")
    assert rows.loc["CHN", "value_usd_mn"] == 40.0 and rows.loc["CHN", "world_usd_mn"] == 300.0
    assert rows.loc["CHN", "share_pct"] == pytest.approx(40 / 300 * 100)
    assert rows.loc["RUS", "share_pct"] == pytest.approx(10.0)
    assert (rows.loc["CHN", "first_year"], rows.loc["CHN", "last_year"]) == (2010, 2011)


def test_fdi_sentences_name_the_leader_and_the_offshore_caveat() -> None:
    inflows = A.fdi_by_investor(fdi(), "KAZ", "inflow", 2010, 2011)
    first, second = A.fdi_sentences(A.period_totals(inflows), inflows, "Kazakhstan")
    # China 40/300 = 13.3 %, Russia 30/300 = 10.0 %: gap 3.3 points; yearly: 2010 Russia
    # (20 > 10), 2011 China (15 > 5).
    assert "China supplied 13.3%" in first and "Russia 10.0%" in first
    assert "China's share was the larger, by 3.3 percentage points" in first
    assert "larger in 1 of 2 years, Russia's in 1" in first
    # Netherlands 100/300 = 33.3 %, unspecified 10/300 = 3.3 %, together 36.7 % > 13.3 %
    assert "larger than either" in second and "the Netherlands 33.3%" in second
    assert "(36.7% together)" in second


def test_stock_sentence_gives_the_last_year_with_both_and_the_gaps() -> None:
    stock = A.fdi_by_investor(fdi(), "KAZ", "stock", 2000, 2021, ("CHN", "RUS"))
    text = A.stock_sentence(stock, "Kazakhstan")
    assert "end of 2010 China held 5.0%" in text and "Russia 3.0%" in text
    assert "The stock for 2011 is not available" in text


# --------------------------------------------------------------------------------------
# Official finance
# --------------------------------------------------------------------------------------


def test_commitments_keep_unrecorded_years_apart_from_zero() -> None:
    out = A.commitments(finance(), "KAZ", 2000, 2006).set_index("year")
    assert list(out.index) == list(range(2000, 2007))
    assert not out.loc[2001, "recorded"] and math.isnan(out.loc[2001, "total_usd2021_mn"])
    assert out.loc[2003, "recorded"] and out.loc[2003, "total_usd2021_mn"] == 0.0
    assert out.loc[2002, "oda_like_usd2021_mn"] == 40.0
    assert out.loc[2002, "oof_like_usd2021_mn"] == 60.0
    assert out.loc[2005, "vague_usd2021_mn"] == 50.0
    assert out.loc[2005, "total_usd2021_mn"] == 300.0


def test_window_sums_lumpiness_and_a_short_last_window() -> None:
    by_year = A.commitments(finance(), "KAZ", 2000, 2006)
    windows = A.window_sums(by_year, 3)
    assert windows[["first_year", "last_year", "years"]].values.tolist() == [
        [2000, 2002, 3],
        [2003, 2005, 3],
        [2006, 2006, 1],
    ]
    assert windows["total_usd2021_mn"].tolist() == [110.0, 300.0, 90.0]
    assert windows["recorded_years"].tolist() == [2, 2, 1]
    assert windows["share_pct"].tolist() == pytest.approx([22.0, 60.0, 18.0])
    lump = A.lumpiness(by_year)
    assert lump["top_years"] == [2005, 2002, 2006]
    assert lump["top_share_pct"] == pytest.approx(98.0)
    assert lump["half_years"] == 1 and lump["recorded_years"] == 5
    sentences = A.lending_sentences(by_year, windows, "Kazakhstan")
    assert (
        "committed US$ 500 mn (constant 2021 dollars) to Kazakhstan from 2000 to 2006"
        in (sentences[0])
    )
    assert "(2002, 2005 and 2006) hold 98.0%" in sentences[1]
    assert "a single year holds half" in sentences[1]
    assert "No commitment is recorded in 2001 and 2004" in sentences[1]
    assert "In 2003 AidData records projects without an amount" in sentences[1]
    assert "largest 3-year sum is 2003–2005, US$ 300 mn (60.0% of the total)" in sentences[2]
    assert "The last window, 2006, has one year only" in sentences[2]


def test_lending_sentences_say_when_nothing_is_recorded() -> None:
    empty = A.commitments(finance(), "TKM", 2000, 2006)
    assert A.lending_sentences(empty, A.window_sums(empty), "Turkmenistan") == [
        "AidData records no Chinese official finance for Turkmenistan in the period."
    ]


def test_project_list_filters_like_aidata_and_sorts_by_amount() -> None:
    listed = A.project_list(projects(), "KAZ")
    assert listed["project_id"].tolist() == ["1", "2", "3"]  # umbrella, non-recommended out
    conc = A.project_concentration(listed, top=1)
    assert conc["top_share_pct"] == pytest.approx(70.0)
    assert (conc["projects"], conc["with_amount"]) == (3, 2)
    by_year = A.commitments(finance(), "KAZ", 2000, 2021)
    text = A.project_sentence(listed, by_year, "Kazakhstan")
    # GCDF 3.0 over 2008–2010: no row → US$ 0 mn
    assert "lists 3 projects for Kazakhstan committed 2008–2010 (2 with an amount)" in text
    assert "sum to US$ 100 mn in constant 2017 dollars" in text


# --------------------------------------------------------------------------------------
# Report elements and parameters
# --------------------------------------------------------------------------------------


def _ctx(country: str) -> R.Context:
    return R.context(MoneyParams(country=country, start_year=2000, end_year=2021))


def test_lending_only_country_gets_a_note_instead_of_fdi_elements() -> None:
    ctx = _ctx("TJK")
    res = R.compute(ctx, fdi(), finance(), projects())
    elements = R.elements(res, ctx)
    shown = R.fdi_elements(elements, ctx)
    assert len(shown) == 1 and isinstance(shown[0], Note)
    assert "not bundled for Tajikistan" in shown[0].text
    assert "lending only" in elements["scope"].text
    box = R.findings(res, ctx, elements)  # two sentences: too few for a box, a note
    assert isinstance(box, Note)
    assert box.text.startswith("AidData records no Chinese official finance for Tajikistan")
    assert box.text.endswith("investment by China and Russia cannot be compared here.")


def test_kazakhstan_elements_and_findings() -> None:
    ctx = _ctx("KAZ")
    res = R.compute(ctx, fdi(), finance(), projects())
    elements = R.elements(res, ctx)
    assert isinstance(elements["fdi_figure"], Figure)
    assert all(isinstance(elements[k], Table) for k in ("fdi_table", "stock_table"))
    assert "Netherlands 2012 (−5)" in " ".join(elements["fdi_table"].notes)
    # 2012: world 0 → no shares; nothing outside 0–100 % in 2010–2011
    assert not any("outside 0–100%" in n for n in elements["fdi_table"].notes)
    shown = R.fdi_elements(elements, ctx)
    assert shown == [elements["fdi_figure"], elements["fdi_table"], elements["stock_table"]]
    box = R.findings(res, ctx, elements)
    assert isinstance(box, Findings)
    texts = [t for t, _, _ in box.items]
    assert texts[0].startswith("From 2010 to 2012 China supplied")
    assert any(t.startswith("China's official lenders and donors committed") for t in texts)
    html = elements["projects_table"].html()
    assert "Big" in html and "Umbrella" not in html


def test_params_defaults_and_bad_values() -> None:
    params = MoneyParams()
    assert (params.country, params.start_year, params.end_year, params.window_years) == (
        "KAZ",
        2000,
        2021,
        5,
    )
    assert MoneyParams(country="uzb").country == "UZB"
    with pytest.raises(ValidationError, match="country"):
        MoneyParams(country="RUS")
    with pytest.raises(ValidationError, match="start_year"):
        MoneyParams(start_year=2015, end_year=2010)
    with pytest.raises(ValidationError, match="window_years"):
        MoneyParams(window_years=1)


def test_fdi_table_names_shares_outside_0_to_100() -> None:
    frame = fdi()
    # 2011: the world's net inflow is 20 (not 200): China 30 → 150.0 %, Netherlands 60 → 300.0 %
    frame.loc[(frame["investor_kind"] == "world") & (frame["year"] == 2011), "value_usd_mn"] = 20.0
    ctx = _ctx("KAZ")
    res = R.compute(ctx, frame, finance(), projects())
    notes = " ".join(R.fdi_table(res, ctx).notes)
    assert "Shares outside 0–100%: China 150.0% in 2011" in notes
    assert "Netherlands 300.0% in 2011" in notes


def test_readable_projects_drop_cross_reference_ids_and_codes() -> None:
    listed = A.project_list(projects(), "KAZ").assign(
        title=[
            "CDB provides a loan (Linked to Project ID#1 and #2)",
            "Eximbank loan (linked to #61056)",
            "A grant (Linked to projects #3, #4)",
        ],
        funding_agencies=["Bank of China (BOC)|China Development Bank (CDB)", "CDB", "CDB"],
        sector=["INDUSTRY, MINING, CONSTRUCTION", "ENERGY", "ENERGY"],
        flow_class=["Vague (Official Finance)", "OOF-like", "ODA-like"],
    )
    out = R.readable_projects(listed)
    assert out["title"].tolist() == ["CDB provides a loan", "Eximbank loan", "A grant"]
    assert out.loc[0, "funding_agencies"] == "Bank of China (BOC); China Development Bank (CDB)"
    assert out.loc[0, "sector"] == "Industry, mining, construction"
    assert out["flow_class"].tolist() == ["Vague", "OOF-like", "ODA-like"]


def test_largest_recorded_investor_is_named_when_it_is_another_country() -> None:
    frame = fdi()
    chn = (frame["investor_iso3"] == "CHN") & (frame["host_iso3"] == "KAZ")
    canada = frame[chn & (frame["measure"] == "inflow")].assign(
        investor_name="Canada", investor_iso3="CAN", value_usd_mn=[200.0, 0.0, 0.0]
    )
    frame = pd.concat([frame, canada], ignore_index=True)
    # 2010–2011: Canada 200 of a world 300 → 66.7 %; the Netherlands (100) comes second
    largest = A.largest_investor(frame, "KAZ", 2010, 2011)
    assert (largest["investor"], largest["name"]) == ("CAN", "Canada")
    assert largest["share_pct"] == pytest.approx(200 / 300 * 100)
    inflows = A.fdi_by_investor(frame, "KAZ", "inflow", 2010, 2011)
    second = A.fdi_sentences(A.period_totals(inflows), inflows, "Kazakhstan", largest)[1]
    assert second.endswith("The largest recorded investor over the period is Canada (66.7%).")
    # the Netherlands, a place of unknown ownership, is not named again
    nld = A.largest_investor(fdi(), "KAZ", 2010, 2011)
    assert nld["investor"] == "NLD" and nld["transit"]
    assert (
        "largest recorded"
        not in A.fdi_sentences(A.period_totals(inflows), inflows, "Kazakhstan", nld)[1]
    )
    assert A.largest_investor(fdi(), "UZB", 2010, 2011) is None


def test_scope_note_takes_the_last_fdi_year_from_the_table() -> None:
    frame = fdi()
    frame = frame[frame["year"] <= 2011]  # an edition ending a year earlier
    ctx = _ctx("KGZ")
    text = R.scope_note(R.compute(ctx, frame, finance(), projects()), ctx).text
    assert "nothing after 2011 is bundled" in text and "reaches past 2011" in text
    assert "not the stock (bundled for Kazakhstan only)" in text
