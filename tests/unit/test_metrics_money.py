"""Ledger metrics of the money claims (C39–C43) on hand-made frames; values by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from kzanalysis.claims import metrics_money as mm
from kzanalysis.claims.ledger import evaluate, metrics
from kzanalysis.claims.model import Claim, ClaimsError

# --- builders in the curated schemas --------------------------------------------------

NAN = math.nan


def fdi_rows(host: str, measure: str, investor: str, kind: str, values: dict) -> list[dict]:
    return [
        {
            "source": "test",
            "host_iso3": host,
            "measure": measure,
            "investor_name": investor,
            "investor_iso3": investor if kind == "country" else None,
            "investor_kind": kind,
            "parent_name": "World",
            "year": year,
            "value_usd_mn": value,
            "sign_repaired": False,
        }
        for year, value in values.items()
    ]


def make_fdi() -> pd.DataFrame:
    """KAZ inflows 2001–2003 and stock 2001–2003 (2002 not available)."""
    rows = (
        fdi_rows("KAZ", "inflow", "CHN", "country", {2001: 100.0, 2002: 200.0, 2003: 300.0})
        + fdi_rows("KAZ", "inflow", "World", "world", {2001: 1000.0, 2002: 2000.0, 2003: 3000.0})
        + fdi_rows("KAZ", "inflow", "NLD", "country", {2001: 50.0, 2002: 50.0, 2003: 50.0})
        + fdi_rows("KAZ", "inflow", "HKG", "country", {2001: 1.0, 2002: 1.0, 2003: 1.0})
        + fdi_rows("KAZ", "inflow", "Unspecified", "unspecified", {2001: 10.0, 2002: 10.0})
        + fdi_rows("KAZ", "stock", "CHN", "country", {2001: 500.0, 2002: NAN, 2003: 900.0})
        + fdi_rows("KAZ", "stock", "World", "world", {2001: 5000.0, 2002: NAN, 2003: 9000.0})
    )
    frame = pd.DataFrame.from_records(rows)
    frame["sign_repaired"] = frame["sign_repaired"].astype("boolean")
    return frame


CLASSES = ("ODA-like", "OOF-like", "Vague (Official Finance)")


def finance_rows(recipient: str, year: int, amounts: tuple | None) -> list[dict]:
    """Three flow-class rows; ``amounts`` None: no recorded commitment that year."""
    return [
        {
            "source": "test",
            "recipient_iso3": recipient,
            "year": year,
            "flow_class": cls,
            "commitment_recorded": amounts is not None,
            "commitment_usd2021_mn": NAN if amounts is None else amounts[i],
            "adjusted_commitment_usd2021_mn": NAN if amounts is None else amounts[i],
        }
        for i, cls in enumerate(CLASSES)
    ]


def make_finance() -> pd.DataFrame:
    """KAZ 2000–2004 (2001 not recorded) and RUS 2009 only."""
    rows = (
        finance_rows("KAZ", 2000, (5.0, 0.0, 0.0))
        + finance_rows("KAZ", 2001, None)
        + finance_rows("KAZ", 2002, (0.0, 1000.0, 0.0))
        + finance_rows("KAZ", 2003, (0.0, 2000.0, 500.0))
        + finance_rows("KAZ", 2004, (10.0, 0.0, 0.0))
        + finance_rows("RUS", 2009, (0.0, 40000.0, 0.0))
    )
    frame = pd.DataFrame.from_records(rows)
    frame["commitment_recorded"] = frame["commitment_recorded"].astype("boolean")
    return frame


FDI, FIN = make_fdi(), make_finance()


def test_money_metrics_are_registered() -> None:
    assert set(mm.METRICS) == {
        "investment.bri_components",
        "investment.commitment_total",
        "investment.investment_vs_lending",
    }
    assert set(mm.METRICS) <= set(metrics())  # through the chapter registry


# --- helpers ----------------------------------------------------------------------------


def test_fdi_total_sums_inflows_and_takes_the_stock_at_the_period_end() -> None:
    inflow = mm.fdi_total(FDI, period=[2001, 2003])
    assert inflow.value_mn == 600.0  # 100 + 200 + 300
    assert "2001–2003: 0.60 bn current US$" in inflow.text
    assert inflow.detail.startswith("10.0 % of all FDI inflows into Kazakhstan (6.00 bn)")
    stock = mm.fdi_total(FDI, period=[2003, 2003], measure="stock")
    assert stock.value_mn == 900.0 and "end-2003: 0.90 bn" in stock.text
    assert stock.detail == "10.0 % of Kazakhstan's FDI stock"  # 900 / 9000


def test_fdi_total_gives_no_value_for_years_not_covered_or_not_available() -> None:
    later = mm.fdi_total(FDI, period=[2003, 2005])
    assert later.value_mn is None
    assert "not covered (the table holds 2001–2003; no value for 2004, 2005)" in later.text
    gap = mm.fdi_total(FDI, period=[2002, 2002], measure="stock")
    assert gap.value_mn is None and "no value for 2002" in gap.text  # '..' is not zero
    assert mm.fdi_total(FDI, period=[2001, 2001], host="UZB").value_mn is None


def test_fdi_total_mentions_repaired_signs() -> None:
    fdi = FDI.copy()
    fdi.loc[(fdi["investor_name"] == "CHN") & (fdi["year"] == 2002), "sign_repaired"] = True
    inflow = mm.fdi_total(fdi, period=[2001, 2003], measure="inflow")
    assert "1 value(s) with a sign repaired" in inflow.detail


def test_commitment_total_sums_recorded_years_only() -> None:
    total = mm.commitment_total(FIN, period=[2000, 2004])
    assert total.value_mn == 3515.0  # 5 + 1000 + 2500 + 10; 2001 not recorded
    assert "2000–2004: 3.52 bn constant 2021 US$" in total.text
    assert "ODA-like 0.01 bn, OOF-like 3.00 bn, Vague 0.50 bn" in total.text
    assert total.detail.startswith(
        "4 of 5 years with a recorded commitment (none recorded in 2001)"
    )
    # largest years 2003 (2500), 2002 (1000), 2004 (10): 3510 / 3515 = 99.9 %
    assert "largest years 2003 2.50 bn, 2002 1.00 bn, 2004 0.01 bn, 100 % of the total" in (
        total.detail
    )


def test_commitment_total_without_coverage_or_record_gives_no_value() -> None:
    assert mm.commitment_total(FIN, period=[2001, 2001]).value_mn is None
    assert "no commitment recorded" in mm.commitment_total(FIN, period=[2001, 2001]).text
    beyond = mm.commitment_total(FIN, period=[2004, 2006])
    assert beyond.value_mn is None and "the table holds 2000–2004 for it" in beyond.text
    with pytest.raises(ClaimsError, match="must be \\[first_year, last_year\\]"):
        mm.commitment_total(FIN, period=[2004, 2000])


# --- C39, C40 ---------------------------------------------------------------------------


def test_bri_components_fdi_and_lending_over_the_period() -> None:
    fdi_part, lent = mm.measure_bri_components(FDI, FIN, period=[2002, 2003])
    assert fdi_part.value == 0.5  # 200 + 300 US$ mn
    assert lent.value == 3.5  # 1000 + 2500 US$ mn
    assert "lending, not investment" in lent.note and "lower bound" in lent.note
    assert "constant 2021 US$" in lent.evidence and "current US$" in fdi_part.evidence


def test_bri_components_after_the_fdi_years_and_before_the_period() -> None:
    fdi_part, lent = mm.measure_bri_components(FDI, FIN, period=[2004, 2004], before=[2000, 2001])
    assert fdi_part.value is None
    assert "not covered (the table holds 2001–2003" in fdi_part.evidence
    assert "the bundled years:" in fdi_part.note and "0.60 bn current US$" in fdi_part.note
    assert "would need: FDI by country of origin after 2012" in fdi_part.note
    assert lent.value == 0.01  # 10 US$ mn
    # 2000–2001: 5 (2001 not recorded); 2000–2004: 3515
    assert (
        "not compared: 0.01 bn committed in 2000–2001, before the BRI (3.52 bn in 2000–2004)"
        in (lent.note)
    )


# --- C41, C43 ---------------------------------------------------------------------------


def test_commitment_total_of_one_year_for_another_recipient() -> None:
    (m,) = mm.measure_commitment_total(FIN, period=[2009, 2009], recipient="RUS")
    assert m.value == 40.0
    assert "committed to Russia, 2009: 40.00 bn constant 2021 US$ (OOF-like 40.00 bn)" in (
        m.evidence
    )
    assert "years with a recorded commitment" not in m.note  # one year: no count
    assert "not disbursed, repaid or outstanding" in m.note


# --- C42 --------------------------------------------------------------------------------


def test_investment_vs_lending_ratios() -> None:
    inflow, stock, later = mm.measure_investment_vs_lending(
        FDI,
        FIN,
        comparisons=[
            {"fdi": "inflow", "period": [2001, 2003]},
            {"fdi": "stock", "period": [2003, 2003], "lending_period": [2000, 2003]},
            {"fdi": "inflow", "period": [2004, 2004]},
        ],
    )
    # 600 / (1000 + 2500) = 0.1714; commitments 5.8-fold; FDI short by 2900
    assert inflow.value == 0.171
    assert "→ FDI ÷ commitments = 0.17" in inflow.evidence
    assert "commitments exceed FDI 5.8-fold, far more than US prices rose from 2001" in inflow.note
    assert (
        "FDI would have to be 2.90 bn larger, or less than 17 % of the commitments" in inflow.note
    )
    # the same years from Hong Kong 3, the Netherlands 150 and unspecified 20 (2001–2002 only)
    assert "Hong Kong, China 0.00 bn, Netherlands 0.15 bn" in inflow.note
    # 900 / (5 + 1000 + 2500) = 0.2568
    assert stock.value == 0.257 and "a stock (positions at the year's end" in stock.note
    assert later.value is None and "would need: FDI by country of origin" in later.note


def test_investment_vs_lending_near_parity_is_not_called_a_price_effect() -> None:
    fin = FIN.copy()
    fin.loc[fin["recipient_iso3"] == "KAZ", "commitment_usd2021_mn"] /= 4  # 875 for 2001–2003
    (m,) = mm.measure_investment_vs_lending(
        FDI, fin, comparisons=[{"fdi": "inflow", "period": [2001, 2003]}]
    )
    assert m.value == pytest.approx(600 / 875, abs=0.001)  # 0.686: 1.5-fold
    assert "within what the rise of US prices could explain" in m.note


def test_investment_vs_lending_rejects_unknown_measures() -> None:
    with pytest.raises(ClaimsError, match="unknown FDI measure 'outflow'"):
        mm.measure_investment_vs_lending(
            FDI, FIN, comparisons=[{"fdi": "outflow", "period": [2001, 2003]}]
        )


# --- wrappers and the ledger's bound rule on these measures ------------------------------


def test_metric_wrappers_load_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    tables = {mm.FDI: FDI, mm.FINANCE: FIN}
    monkeypatch.setattr("kzanalysis.datasets.load", lambda name, data_dir=None: tables[name])
    (m,) = mm.commitment_sum(period=[2009, 2009], recipient="RUS")
    assert m.value == 40.0
    assert [x.value for x in mm.bri_components(period=[2002, 2003])] == [0.5, 3.5]
    (r,) = mm.investment_vs_lending(comparisons=[{"fdi": "inflow", "period": [2001, 2003]}])
    assert r.value == 0.171


def _bound_claim(thesis: float, kind: str) -> Claim:
    return Claim.model_validate(
        {
            "id": "C98",
            "chapter": 1,
            "claim": "China lent $x in 2009",
            "thesis_value": f"${thesis} bn",
            "metric": "investment.commitment_total",
            "args": {"recipient": "RUS", "period": [2009, 2009]},
            "parts": [
                {
                    "label": "committed to Russia, 2009",
                    "thesis": thesis,
                    "unit": "US$ bn",
                    "tolerance": {"kind": kind, "value": 5},
                }
            ],
        }
    )


def test_an_aggregate_bounds_one_loan_but_never_supports_it() -> None:
    registry = {"investment.commitment_total": lambda **a: mm.measure_commitment_total(FIN, **a)}
    within = evaluate(_bound_claim(25, "upper_bound"), registry)  # 25 ≤ 40: consistent
    assert within.verdict == "untestable"
    assert "(consistent with the bound, not a test; the data are an upper bound" in (
        within.explanation
    )
    assert "(not testable: the data only bound the figure" in within.explanation
    beyond = evaluate(_bound_claim(43, "upper_bound"), registry)  # 43 − 5 % = 40.85 > 40
    assert beyond.verdict == "contradicted"
    edge = evaluate(_bound_claim(42, "upper_bound"), registry)  # 42 − 5 % = 39.9 ≤ 40
    assert edge.verdict == "untestable"
