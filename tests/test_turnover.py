"""Turnover: hand-computed cases, edge cases, and Kent's recruitment arithmetic."""

import numpy as np
import pandas as pd
import pytest

from workforce_lib import turnover


def staff_frame(rows):
    """rows: (role, team, fte, start, leave or None, reason or None)."""
    return pd.DataFrame(
        [
            {
                "staff_id": f"P{i}",
                "role": role,
                "team": team,
                "area": "A",
                "fte": fte,
                "start_date": pd.Timestamp(start),
                "leave_date": pd.Timestamp(leave) if leave else pd.NaT,
                "leaving_reason": reason,
                "entry_route": "NQSW",
                "qualified_date": pd.NaT,
            }
            for i, (role, team, fte, start, leave, reason) in enumerate(rows)
        ]
    )


def ten_staff_two_leavers():
    """10 in post all year; 2 leave on the last day, replaced the next day: 2 / 10 = 20%."""
    rows = [("Social Worker", "t1", 1.0, "2010-01-01", None, None) for _ in range(8)]
    rows += [("Social Worker", "t1", 1.0, "2010-01-01", "2011-12-31", "relocation") for _ in range(2)]
    return staff_frame(rows)


def test_in_post_definition_start_inclusive_leave_exclusive():
    staff = staff_frame([("Social Worker", "t1", 0.5, "2011-03-01", "2011-06-30", "workload")])
    assert turnover.staff_in_post(staff, "2011-02-28").iloc[0] == 0
    assert turnover.staff_in_post(staff, "2011-03-01").iloc[0] == 1  # start_date <= d
    assert turnover.staff_in_post(staff, "2011-06-29").iloc[0] == 1
    assert turnover.staff_in_post(staff, "2011-06-30").iloc[0] == 0  # leave_date > d fails on the day
    assert turnover.staff_in_post(staff, "2011-04-01", measure="fte").iloc[0] == 0.5


def test_ten_staff_two_leavers_is_twenty_percent():
    rate = turnover.turnover_rate(ten_staff_two_leavers(), "2010-12-31", "2011-12-31").iloc[0]
    # In post: 10 at the start and at every month end up to 30 November; on 31 December the
    # 2 leavers are gone: average = (12 x 10 + 8) / 13 = 9.846; 2 / 9.846 = 20.3%.
    assert rate["leavers"] == 2
    assert rate["average_in_post"] == pytest.approx((12 * 10 + 8) / 13)
    assert rate["turnover_rate"] == pytest.approx(2 / ((12 * 10 + 8) / 13))
    assert not rate["annualised"]


def test_constant_ten_in_post_gives_exactly_twenty_percent():
    """Two leavers mid-year, each replaced the same day: 10 in post throughout, 2/10 = 20%."""
    rows = [("Social Worker", "t1", 1.0, "2010-01-01", None, None) for _ in range(8)]
    rows += [("Social Worker", "t1", 1.0, "2010-01-01", "2011-06-15", "workload") for _ in range(2)]
    rows += [("Social Worker", "t1", 1.0, "2011-06-15", None, None) for _ in range(2)]
    rate = turnover.turnover_rate(staff_frame(rows), "2010-12-31", "2011-12-31").iloc[0]
    assert rate["average_in_post"] == 10
    assert rate["turnover_rate"] == pytest.approx(0.20)


def test_part_year_rate_is_annualised_and_labelled():
    rows = [("Social Worker", "t1", 1.0, "2010-01-01", None, None) for _ in range(19)]
    rows += [("Social Worker", "t1", 1.0, "2010-01-01", "2011-03-15", "workload")]
    rows += [("Social Worker", "t1", 1.0, "2011-03-15", None, None)]
    rate = turnover.turnover_rate(staff_frame(rows), "2010-12-31", "2011-06-30").iloc[0]
    # 1 leaver over 6 months with 20 in post: 5% in the period, 10% a year.
    assert rate["turnover_rate"] == pytest.approx(0.05)
    assert rate["annualised"]
    assert rate["annualised_rate"] == pytest.approx(0.05 * 12 / rate["months"], rel=1e-9)
    assert rate["months"] == 6
    assert rate["annualised_rate"] == pytest.approx(0.10)


def test_censored_employment_is_not_a_leaver():
    """An employment that ends after the period is in post, not a leaver."""
    staff = staff_frame(
        [
            ("Social Worker", "t1", 1.0, "2010-01-01", "2012-02-01", "relocation"),
            ("Social Worker", "t1", 1.0, "2010-01-01", None, None),
        ]
    )
    rate = turnover.turnover_rate(staff, "2010-12-31", "2011-12-31").iloc[0]
    assert rate["leavers"] == 0 and rate["turnover_rate"] == 0


def test_no_leavers_gives_zero_and_nobody_in_post_gives_clear_error():
    staff = staff_frame([("Social Worker", "t1", 1.0, "2015-01-01", None, None)])
    with pytest.raises(turnover.NobodyInPostError, match="nobody was in post between 2010-12-31 and 2011-12-31"):
        turnover.turnover_rate(staff, "2010-12-31", "2011-12-31")
    assert turnover.turnover_rate(staff, "2015-06-30", "2015-12-31").iloc[0]["turnover_rate"] == 0


def test_turnover_by_group_and_fte():
    staff = staff_frame(
        [
            ("Social Worker", "t1", 0.5, "2010-01-01", "2011-06-30", "workload"),
            ("Social Worker", "t1", 0.5, "2011-06-30", None, None),
            ("Team Leader", "t2", 1.0, "2010-01-01", None, None),
        ]
    )
    rates = turnover.turnover_rate(staff, "2010-12-31", "2011-12-31", by=["role_group"], measure="fte")
    rates = rates.set_index("role_group")
    assert rates.loc["caseholder", "leavers"] == 0.5
    assert rates.loc["caseholder", "turnover_rate"] == pytest.approx(1.0)  # 0.5 FTE left / 0.5 FTE in post
    assert rates.loc["manager", "turnover_rate"] == 0


def test_rolling_turnover_matches_point_calculation(sample):
    staff = sample.staff
    rolling = turnover.rolling_turnover(staff, "2015-10-31", n_months=4, by=["role_group"])
    point = turnover.turnover_rate(staff, "2014-10-31", "2015-10-31", by=["role_group"]).set_index("role_group")
    last = rolling[rolling["month"] == pd.Timestamp("2015-10-31")].set_index("role_group")
    for group in ("caseholder", "manager"):
        assert last.loc[group, "leavers"] == point.loc[group, "leavers"]
        assert last.loc[group, "turnover_rate"] == pytest.approx(point.loc[group, "turnover_rate"])
    assert len(rolling) == 8


def test_stock_and_flows_agrees_with_a_plain_loop(sample):
    staff = sample.staff
    dates = pd.date_range("2012-01-31", "2013-01-31", freq="ME")
    groups, in_post, leavers = turnover.stock_and_flows(staff, dates, by=["team"])
    team = groups[3]
    part = staff[staff["team"] == team]
    for k, d in enumerate(dates):
        expected = ((part["start_date"] <= d) & (part["leave_date"].isna() | (part["leave_date"] > d))).sum()
        assert in_post[3, k] == expected
        if k:
            left = ((part["leave_date"] > dates[k - 1]) & (part["leave_date"] <= d)).sum()
            assert leavers[3, k] == left


def test_stability_index_hand_computed():
    staff = staff_frame(
        [
            ("Social Worker", "t1", 1.0, "2010-01-01", None, None),
            ("Social Worker", "t1", 1.0, "2010-01-01", None, None),
            ("Social Worker", "t1", 1.0, "2010-01-01", None, None),
            ("Social Worker", "t1", 1.0, "2010-01-01", "2011-05-01", "workload"),
            ("Social Worker", "t1", 1.0, "2011-05-01", None, None),  # joined in the year: not counted
        ]
    )
    result = turnover.stability_index(staff, "2011-12-31").iloc[0]
    assert (result["in_post_year_ago"], result["still_in_post"]) == (4, 3)
    assert result["stability_index"] == pytest.approx(0.75)


def test_leavers_by_reason_and_service_band():
    staff = staff_frame(
        [
            ("Social Worker", "t1", 1.0, "2011-06-01", "2011-09-01", "workload"),  # 0.25 years
            ("Social Worker", "t1", 1.0, "2009-12-01", "2011-09-01", "workload"),  # 1.75
            ("Social Worker", "t1", 1.0, "2008-06-01", "2011-09-01", "relocation"),  # 3.25
            ("Social Worker", "t1", 1.0, "1995-01-01", "2011-09-01", None),  # 16.7, reason not recorded
        ]
    )
    reasons = turnover.leavers_by_reason(staff, "2010-12-31", "2011-12-31").set_index("leaving_reason")
    assert reasons.loc["workload", "leavers"] == 2 and reasons.loc["workload", "share"] == 0.5
    assert reasons.loc["not recorded", "leavers"] == 1
    bands = turnover.leavers_by_service(staff, "2010-12-31", "2011-12-31").set_index("service_band")
    assert bands["leavers"].tolist() == [1, 1, 0, 1, 0, 1]
    assert list(bands.index) == [b[0] for b in turnover.SERVICE_BANDS]


def test_kent_recruitment_need_2011():
    """Kent cabinet paper, May 2011: 50 + 60 = 110 caseholders and 14 + 10 = 24 managers.

    Caseholders: 50 to replace agency (stated); 15% planning turnover on the 375.7 caseholder
    establishment is 56.4, which the paper rounds to 60. Managers: 14 to replace agency (stated);
    the measured 10.3% turnover on the 98.5 manager establishment is 10.1, i.e. 10.
    """
    caseholders = turnover.recruitment_need(375.7, 0.15, agency_to_replace=50, round_leavers_to=10)
    assert caseholders["expected_leavers"] == pytest.approx(56.355)
    assert (caseholders["replace_agency"], caseholders["replace_leavers"], caseholders["total"]) == (50, 60, 110)
    managers = turnover.recruitment_need(98.5, 0.103, agency_to_replace=14)
    assert (managers["replace_agency"], managers["replace_leavers"], managers["total"]) == (14, 10, 24)
    with pytest.raises(ValueError, match="fraction from 0 to 1"):
        turnover.recruitment_need(100, 15, 0)


def test_year_ahead_hand_computed():
    """Kent caseholders: 375.7 posts, 318.8 in post, 18% turnover, 110 hires planned.

    leavers = 0.18 x 318.8 = 57.384; in post a year on = 318.8 - 57.384 + 110 = 371.416;
    vacancy = (375.7 - 371.416) / 375.7 = 1.14%; hires for 10% = 338.13 - 318.8 + 57.384 = 76.714.
    """
    result = turnover.year_ahead(375.7, 318.8, 0.18, 110, 0.10)
    assert result["expected_leavers"] == pytest.approx(57.384)
    assert result["in_post_next_year"] == pytest.approx(371.416)
    assert result["vacancy_rate_now"] == pytest.approx(56.9 / 375.7)
    assert result["vacancy_rate_next_year"] == pytest.approx((375.7 - 371.416) / 375.7)
    assert result["hires_to_reach_target"] == pytest.approx(0.9 * 375.7 - 318.8 + 57.384)
    with pytest.raises(ValueError, match="establishment must be above 0"):
        turnover.year_ahead(0, 0, 0.1, 0)


def test_service_band_edges():
    bands = turnover.service_band(pd.Series([0.0, 0.999, 1.0, 2.5, 4.99, 5.0, 10.0, np.float64(30)]))
    assert bands.astype(str).tolist() == [
        "under 1 year",
        "under 1 year",
        "1-2 years",
        "2-3 years",
        "3-5 years",
        "5-10 years",
        "10 years or more",
        "10 years or more",
    ]


def test_share_of_leavers_under_five_years():
    staff = staff_frame(
        [
            ("Social Worker", "t1", 1.0, "2009-01-01", "2011-06-01", "workload"),  # 2.4 years
            ("Social Worker", "t1", 1.0, "2000-01-01", "2011-06-01", "retirement"),  # 11.4 years
            ("Social Worker", "t1", 1.0, "2010-01-01", None, None),
        ]
    )
    assert turnover.share_of_leavers_under(staff, "2010-12-31", "2011-12-31", 5) == 0.5
    assert np.isnan(turnover.share_of_leavers_under(staff, "2012-12-31", "2013-12-31", 5))
