"""Break and imputation flags on hand-made series (values chosen so the rule is visible)."""

from __future__ import annotations

import pandas as pd
import pytest

from kzanalysis.analysis import flags as F


def gaps(*pairs: tuple[int, float]) -> pd.DataFrame:
    return pd.DataFrame(pairs, columns=["year", "gap_pct"])


def series(start: int, values: list[float]) -> pd.DataFrame:
    """Gaps of consecutive years from ``start``."""
    return pd.DataFrame({"year": range(start, start + len(values)), "gap_pct": values})


def test_a_year_far_from_its_neighbours_gap_is_a_recording_break():
    # usual gap about 0 %; 2010 +102.5 % (the Customs Union year): its neighbours' median
    # (2007–2009, 2011–2013: 1, −2, 0, −1, 1, 0) is 0, so it departs by 102.5 pp > 15
    mirror = series(2004, [2.0, -1.0, 0.0, 1.0, -2.0, 0.0, 102.5, -1.0, 1.0, 0.0])
    found = F.recording_breaks(mirror)
    assert found["year"].tolist() == [2010]
    assert found["usual_gap_pct"].tolist() == [0.0]


def test_a_lasting_change_of_level_is_a_new_normal_not_a_break():
    # +25 % for four years, then about 0 %: the years at the change are 12.5 pp from the
    # median of their neighbours (both sides), under 15
    mirror = series(1995, [25.0, 26.0, 24.0, 25.0, 0.0, 1.0, -1.0, 0.0, 0.0, 1.0])
    assert F.recording_breaks(mirror).empty
    assert F.recording_breaks(mirror, departure_pp=10)["year"].tolist() == [1998, 1999]


def test_a_noisy_pair_needs_a_departure_beyond_its_own_spread():
    # gaps swing ±60 % (shuttle trade): MAD 60, limit 4 × 60 = 240 pp
    swings = [60.0, -60.0] * 5
    mirror = series(2000, swings)
    assert F.recording_breaks(mirror).empty
    spiked = series(2000, [*swings[:5], 400.0, *swings[6:]])
    assert F.recording_breaks(spiked)["year"].tolist() == [2005]


def test_no_break_is_judged_without_enough_neighbours():
    assert F.recording_breaks(gaps((2000, 0.0), (2001, 50.0), (2002, 0.0))).empty
    assert F.recording_breaks(gaps()).empty


def test_constant_shares_over_four_years_are_a_plateau():
    shares = pd.DataFrame(
        {
            "year": [1999, 2000, 2001, 2002, 2003, 2004, 2005],
            "share_pct": [10.6, 19.09, 19.10, 19.10, 19.09, 19.35, 25.0],
        }
    )
    (run,) = F.share_plateaus(shares).itertuples()
    assert (run.start_year, run.end_year, run.years) == (2000, 2003, 4)
    assert (run.low_pct, run.high_pct) == (19.09, 19.10)
    assert F.share_plateaus(shares, min_years=5).empty
    # a missing year ends a run
    broken = shares[shares["year"] != 2002]
    assert F.share_plateaus(broken).empty


def test_jumps_are_tenfold_changes_either_way_between_consecutive_years():
    values = pd.DataFrame(
        {"year": [1998, 1999, 2000, 2001, 2003], "value_usd_mn": [64.0, 30.1, 1110.9, 100.0, 5.0]}
    )
    found = F.jumps(values)
    assert found["year"].tolist() == [2000, 2001]  # 36.9×, then 0.09×; 2003 is not consecutive
    assert found["ratio"].iloc[0] == pytest.approx(1110.9 / 30.1)
    with pytest.raises(ValueError, match="ratio must be above 1"):
        F.jumps(values, ratio=1)


def test_series_flags_name_each_year_with_its_numbers():
    values = pd.DataFrame({"year": [2009, 2010, 2011], "value_usd_mn": [10.0, 200.0, 210.0]})
    mirror = gaps((2007, 1.0), (2008, -1.0), (2009, 0.5), (2010, 60.0), (2011, 0.0))
    out = F.series_flags(
        partner_name="Russia",
        reporter_name="Kazakhstan",
        flow_words="imports from",
        values=values,
        mirror=mirror,
        estimates=[2011],
    )
    assert out[["year", "kind"]].values.tolist() == [
        [2010, "recording-break"],
        [2010, "jump"],
        [2011, "estimate"],
    ]
    assert (
        out["reason"]
        .iloc[0]
        .startswith(
            "Kazakhstan's imports from Russia in 2010 differ from Russia's figure for the same "
            "trade by +60 %, against a usual gap of 0 %"
        )
    )
    assert "US$ 10.0 mn in 2009 to US$ 200 mn in 2010 (20.0 times)" in out["reason"].iloc[1]
    assert out["label"].tolist() == ["recording break", "jump", "IMF estimate"]


def test_estimate_years():
    rows = pd.DataFrame({"year": [1, 1, 2, 3], "estimate_flag": [False, True, None, True]})
    assert F.estimate_years(rows.astype({"estimate_flag": "boolean"})) == [1, 3]
