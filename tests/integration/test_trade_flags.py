"""Break and imputation flags on the real cases of the curated trade table.

Kazakhstan–Russia 2010: the Customs Union ended customs recording at the common border in
mid-2010; Kazakhstan's figures for that year fall to half of Russia's mirror figures, and
"China first exceeded Russia in 2010" rests on that year alone. Uzbekistan 2000–2015: it
does not report to the IMF; DOTS allocates its trade with constant partner shares, after
a jump from US$ 30 mn to 1,111 mn of imports from China in 2000.
"""

from __future__ import annotations

import pytest

from kzanalysis import datasets
from kzanalysis.analysis import flags as F

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def flows():
    return datasets.load("trade_partner_flows")


def years(found, direction, kind):
    part = found[(found["direction"] == direction) & (found["kind"] == kind)]
    return part["year"].tolist()


def test_kazakhstan_russia_2010_is_a_recording_break_in_both_directions(flows):
    found = F.partner_flags(flows, "KAZ", "RUS", 1995, 2024)
    assert 2010 in years(found, "imports", "recording-break")
    assert 2010 in years(found, "exports", "recording-break")
    assert 2009 not in years(found, "imports", "recording-break")  # the usual gap, about 1 %
    reason = found[(found["year"] == 2010) & (found["direction"] == "imports")]["reason"].iloc[0]
    assert reason.startswith("Kazakhstan's imports from Russia in 2010 differ from Russia's figure")
    robust = F.break_robust_values(flows, "KAZ", "RUS", 2009, 2011, found)
    row = robust[(robust["year"] == 2010) & (robust["direction"] == "imports")].iloc[0]
    assert bool(row["replaced"]) and row["value_usd_mn"] == pytest.approx(10243.0, abs=1)


def test_china_first_ahead_of_russia_in_kazakhstan_2010_rests_on_the_break(flows):
    result = F.robust_crossover(flows, "KAZ", 1995, 2024)
    assert result["first_reported"] == 2010
    assert result["first_robust"] != 2010 and 2010 in result["flipped"]
    assert any("imports from Russia in 2010" in r for r in result["deciding"])


def test_uzbekistan_2000_2015_is_an_allocation_after_a_jump(flows):
    for partner in ("CHN", "RUS"):
        found = F.partner_flags(flows, "UZB", partner, 1995, 2024)
        assert set(range(2000, 2016)) <= set(years(found, "imports", "constant-share")), partner
    china = F.partner_flags(flows, "UZB", "CHN", 1995, 2024)
    assert 2000 in years(china, "imports", "jump")
    result = F.robust_crossover(flows, "UZB", 1995, 2024)
    assert result["first_reported"] == 2000
    assert result["first_robust"] is not None and result["first_robust"] > 2000
    assert any("allocation" in r for r in result["deciding"])


def test_a_series_without_flags_leaves_the_comparison_alone(flows):
    result = F.robust_crossover(flows, "KAZ", 1995, 2024, flow="exports")
    assert result["first_reported"] == result["first_robust"]
    assert result["deciding"] == []


def test_only_uzbekistan_is_allocated_and_its_trade_report_uses_the_mirror(flows):
    from kzanalysis.analysis import trade_report as TR
    from kzanalysis.analysis.trade_params import TradeParams

    allocated = {
        c for c in ("KAZ", "KGZ", "TJK", "TKM", "UZB") if F.allocated_series(flows, c, 1995, 2024)
    }
    assert allocated == {"UZB"}  # Turkmenistan's jumps and breaks are not an allocation
    assert F.allocated_series(flows, "UZB", 1995, 2024) == list(range(2000, 2016))
    products = datasets.load("trade_products_hs4")
    uzb = TR.prepare(flows, products, TradeParams(country="UZB"))  # the default: auto
    assert uzb.allocated == tuple(range(2000, 2016)) and uzb.mirrored is not None
    assert "are an allocation by the IMF" in TR.scope_note(uzb).text
    kaz = TR.prepare(flows, products, TradeParams(country="KAZ"))
    assert kaz.allocated == () and kaz.mirrored is None  # Kazakhstan keeps its own figures


def test_the_synthesis_economic_sphere_follows_the_same_rule(flows):
    from kzanalysis.analysis import synthesis as S

    uzb = S.economic_shares(flows, "UZB", 1995, 2024)
    noted = sorted(set(uzb.loc[uzb["note"] != "", "year"]))
    assert noted and set(noted) <= set(range(2000, 2016))
    assert "allocation" in uzb.loc[uzb["note"] != "", "note"].iloc[0]
    kaz = S.economic_shares(flows, "KAZ", 1995, 2024)
    assert (kaz["note"] == "").all()
