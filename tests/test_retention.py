"""Retention: Kaplan-Meier by hand, censoring, left truncation, and the experience mix."""

import pandas as pd
import pytest

from tests.test_turnover import staff_frame
from workforce_lib import retention


def test_kaplan_meier_hand_computed():
    """Four employments: left at 1 and 3 years, censored at 2 and 4 (still in post on as_of).

    S(1) = 3/4 = 0.75; at 2 a censoring; S(3) = 0.75 x (1 - 1/2) = 0.375 (2 at risk at 3 years).
    """
    as_of = "2014-01-01"
    staff = staff_frame(
        [
            ("Social Worker", "t", 1.0, "2010-01-01", "2011-01-01", "workload"),
            ("Social Worker", "t", 1.0, "2012-01-01", None, None),
            ("Social Worker", "t", 1.0, "2010-01-01", "2013-01-01", "workload"),
            ("Social Worker", "t", 1.0, "2010-01-01", None, None),
        ]
    )
    summary = retention.retention_summary(staff, as_of, by=None, years=(1.5, 3.5), observed_from=None).iloc[0]
    assert summary["leavers"] == 2  # the censored employments are not leavers
    assert summary["still_in_post_1.5y"] == pytest.approx(0.75)
    assert summary["still_in_post_3.5y"] == pytest.approx(0.375)
    assert summary["median_years"] == pytest.approx(3.0, abs=0.01)


def test_left_truncation_enters_late_starters_at_the_window():
    """Only employments open on 2010-01-01 were kept. One that started in 2000 and left in 2010.5
    must not count as at risk in its first ten years, or early leaving is understated."""
    staff = staff_frame(
        [
            ("Social Worker", "t", 1.0, "2000-01-01", "2010-07-01", "workload"),
            ("Social Worker", "t", 1.0, "2010-01-01", "2010-07-01", "workload"),
            ("Social Worker", "t", 1.0, "2010-01-01", None, None),
        ]
    )
    data = retention.durations(staff, "2012-01-01", observed_from="2010-01-01")
    assert data["entry_years"].round(2).tolist() == [10.0, 0.0, 0.0]
    summary = retention.retention_summary(staff, "2012-01-01", by=None, years=(1,), observed_from="2010-01-01")
    # At 0.5 years only the two 2010 starters are at risk and one leaves: S(1) = 0.5.
    assert summary.iloc[0]["still_in_post_1y"] == pytest.approx(0.5)


def test_survival_curves_by_entry_route(sample):
    curves = retention.survival_curves(sample.staff, "2015-10-31", by="entry_route")
    assert set(curves["entry_route"]) >= {"NQSW", "overseas", "UK experienced"}
    first = curves.groupby("entry_route")["still_in_post"].first()
    assert (first == 1.0).all()
    assert (curves.groupby("entry_route")["still_in_post"].apply(lambda s: s.is_monotonic_decreasing)).all()
    assert ((curves["ci_lower"] <= curves["still_in_post"]) & (curves["still_in_post"] <= curves["ci_upper"])).all()


def test_sample_retention_recovers_the_generating_hazard(sample):
    """The synthetic caseholders leave 13% in year 1 and 19% a year in years 2-3: S(1)=0.87, S(3)=0.57."""
    staff = sample.staff[sample.staff["role"].isin(["NQSW", "Social Worker", "Senior Practitioner"])]
    summary = retention.retention_summary(staff, "2015-10-31", by=None).iloc[0]
    assert summary["still_in_post_1y"] == pytest.approx(0.87, abs=0.04)
    assert summary["still_in_post_3y"] == pytest.approx(0.87 * 0.81**2, abs=0.05)


def test_experience_mix_hand_computed():
    as_of = "2015-01-01"
    staff = staff_frame(
        [
            ("Social Worker", "t", 1.0, "2014-06-01", None, None),  # NQSW entrant, no qualified date: 0.6 years
            ("Social Worker", "t", 1.0, "2010-01-01", None, None),
            ("Social Worker", "t", 1.0, "2010-01-01", None, None),
            ("Team Leader", "t", 1.0, "2014-06-01", None, None),  # not a caseholder
        ]
    )
    staff.loc[1:, "entry_route"] = "UK experienced"
    staff.loc[1, "qualified_date"] = pd.Timestamp("2013-06-01")  # 1.6 years: under two
    staff.loc[2, "qualified_date"] = pd.Timestamp("2005-06-01")
    mix = retention.experience_mix(staff, as_of).iloc[0]
    assert (mix["caseholders"], mix["under_two_years"]) == (3, 2)
    assert mix["under_two_years_share"] == pytest.approx(2 / 3)
    assert mix["above_ceiling"]
    with pytest.raises(ValueError, match="no caseholders were in post on 2000-01-01"):
        retention.experience_mix(staff, "2000-01-01")
