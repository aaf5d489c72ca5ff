"""Tests of kzanalysis.analysis.money and its parameters on hand-made frames."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from pydantic import ValidationError

from kzanalysis.analysis import money as A
from kzanalysis.analysis import money_report as R
from kzanalysis.analysis.money_params import MoneyParams
from kzanalysis.report import Figure, Findings, Note

# (source, reporter, partner, flow, year, value_usd_mn), Kazakhstan's own reports.
# Turnover = exports + imports: 2019 world 150, China 30 (20.0%), Russia 45 (30.0%);
# 2020 world 200, China 50 (25.0%), Russia 40 (20.0%); 2021 world 100, Russia 20 (20.0%),
# China only exports (no turnover); 2022 no rows at all.
ROWS = [
    ("imf_dots", "KAZ", "WLD", "export", 2019, 100.0),
    ("imf_dots", "KAZ", "WLD", "import", 2019, 50.0),
    ("imf_dots", "KAZ", "CHN", "export", 2019, 20.0),
    ("imf_dots", "KAZ", "CHN", "import", 2019, 10.0),
    ("imf_dots", "KAZ", "RUS", "export", 2019, 15.0),
    ("imf_dots", "KAZ", "RUS", "import", 2019, 30.0),
    ("imf_dots", "KAZ", "WLD", "export", 2020, 80.0),
    ("imf_dots", "KAZ", "WLD", "import", 2020, 120.0),
    ("imf_dots", "KAZ", "CHN", "export", 2020, 30.0),
    ("imf_dots", "KAZ", "CHN", "import", 2020, 20.0),
    ("imf_dots", "KAZ", "RUS", "export", 2020, 10.0),
    ("imf_dots", "KAZ", "RUS", "import", 2020, 30.0),
    ("imf_dots", "KAZ", "WLD", "export", 2021, 60.0),
    ("imf_dots", "KAZ", "WLD", "import", 2021, 40.0),
    ("imf_dots", "KAZ", "CHN", "export", 2021, 5.0),
    ("imf_dots", "KAZ", "RUS", "export", 2021, 10.0),
    ("imf_dots", "KAZ", "RUS", "import", 2021, 10.0),
    ("imf_dots", "UZB", "CHN", "export", 2019, 999.0),  # another reporter: left out
]


def flows() -> pd.DataFrame:
    return pd.DataFrame(
        ROWS, columns=["source", "reporter_iso3", "partner_code", "flow", "year", "value_usd_mn"]
    )


def test_partner_shares_are_shares_of_the_turnover_with_gaps_kept() -> None:
    shares = A.partner_shares(flows(), "KAZ", 2019, 2022)
    assert list(shares.columns) == ["year", "turnover_usd_mn", "chn_share_pct", "rus_share_pct"]
    assert shares["year"].tolist() == [2019, 2020, 2021, 2022]
    assert shares["turnover_usd_mn"].tolist()[:3] == [150.0, 200.0, 100.0]
    assert shares["chn_share_pct"].tolist()[:2] == pytest.approx([20.0, 25.0])
    assert shares["rus_share_pct"].tolist()[:3] == pytest.approx([30.0, 20.0, 20.0])
    assert math.isnan(shares["chn_share_pct"].iloc[2])  # exports without imports: no turnover
    assert shares.iloc[3].drop("year").isna().all()  # a year without rows stays empty


def test_share_findings_narrate_first_and_last_complete_year() -> None:
    sentences = A.share_findings(A.partner_shares(flows(), "KAZ", 2019, 2022), "Kazakhstan")
    assert sentences == [
        "Shares of Kazakhstan's trade turnover (exports plus imports), first and last year "
        "with every share: China 20.0% in 2019 and 25.0% in 2020; Russia 30.0% in 2019 and "
        "20.0% in 2020.",
        "In 2020 China had the larger share (25.0%).",
        "2 of 4 years in the table lack a figure; they are left empty, not read as zero trade.",
    ]


def test_share_findings_without_data_say_so() -> None:
    (sentence,) = A.share_findings(A.partner_shares(flows(), "KGZ", 2019, 2020), "Kyrgyzstan")
    assert sentence.startswith("No year in the table has Kyrgyzstan's total trade")


def test_report_elements_carry_the_plotted_rows_and_lead_with_findings() -> None:
    shares = A.partner_shares(flows(), "KAZ", 2019, 2022)
    figure = R.shares_figure(shares, "Kazakhstan", {})
    table = R.shares_table(shares, "Kazakhstan", {})
    assert isinstance(figure, Figure) and figure.data["Year"].tolist() == [2019, 2020, 2021]
    assert figure.subtitle == "In 2020 China had the larger share (25.0%)."
    assert len(table.frame) == 4
    box = R.findings(shares, "Kazakhstan", figure, table)
    assert isinstance(box, Findings) and len(box.items) == 3
    empty = A.partner_shares(flows(), "KGZ", 2019, 2020)
    assert isinstance(R.shares_figure(empty, "Kyrgyzstan", {}), Note)
    assert isinstance(R.findings(empty, "Kyrgyzstan", figure, table), Note)


def test_parameters_accept_central_asian_states_and_ordered_years() -> None:
    assert MoneyParams(country="uzb").country == "UZB"
    with pytest.raises(ValidationError, match="not a Central Asian state"):
        MoneyParams(country="RUS")
    with pytest.raises(ValidationError, match="is after end_year"):
        MoneyParams(start_year=2010, end_year=2005)
    with pytest.raises(ValidationError, match="outside the data coverage"):
        MoneyParams.model_validate(
            {"start_year": 1995, "end_year": 2020}, context={"coverage": (2000, 2020)}
        )
