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


def test_no_leavers_gives_zero_and_nobody_in_post_gives_nan():
    staff = staff_frame([("Social Worker", "t1", 1.0, "2015-01-01", None, None)])
    empty = turnover.turnover_rate(staff, "2010-12-31", "2011-12-31").iloc[0]
    assert (empty["leavers"], empty["average_in_post"]) == (0, 0)
    assert np.isnan(empty["turnover_rate"]) and np.isnan(empty["annualised_rate"])
    with pytest.raises(turnover.NobodyInPostError, match="nobody was in post between 2010-12-31 and 2011-12-31"):
        turnover.turnover_rate(staff, "2010-12-31", "2011-12-31", strict=True)
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


def test_rolling_turnover_ends_on_the_extract_date_not_the_month_end(sample):
    """Extract dated 28 October 2015 (staff.csv's last date): the table's year to 28 October has
    51 caseholder leavers over an average 422.0 in post, 12.1%; the chart's last point and its
    title say the same, not the year to 31 October (49 / 421.7 = 11.6%)."""
    from workforce_lib import plots

    staff = sample.staff
    end = pd.Timestamp("2015-10-28")
    point = turnover.turnover_rate(staff, end - pd.DateOffset(months=12), end, by=["role_group"])
    point = point.set_index("role_group")
    assert (point.loc["caseholder", "leavers"], round(point.loc["caseholder", "turnover_rate"], 3)) == (51, 0.121)
    rolling = turnover.rolling_turnover(staff, end, n_months=3, by=["role_group"])
    assert sorted(rolling["month"].unique()) == [pd.Timestamp(d) for d in ("2015-08-28", "2015-09-28", "2015-10-28")]
    last = rolling[rolling["month"] == end].set_index("role_group")
    for group in ("caseholder", "manager"):
        assert last.loc[group, "leavers"] == point.loc[group, "leavers"]
        assert last.loc[group, "turnover_rate"] == pytest.approx(point.loc[group, "turnover_rate"])
    fig = plots.rolling_turnover_chart(rolling, group_column="role_group", planning_rate=0.15, measure="headcount")
    assert "caseholder 12.1%" in fig.axes[0].get_title(loc="left")


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


# Edge cases for a small authority. Period (2010-12-31, 2011-12-31]: the average in post is over
# 13 dates, 2010-12-31 and the 12 month ends of 2011. Stability is at 2011-12-31 against 2010-12-31.
START, END = "2010-12-31", "2011-12-31"


def test_nobody_left():
    """Three in post all year, nobody leaves: 0 leavers, rate 0, stability 3/3; leaver tables empty."""
    staff = staff_frame([("Social Worker", "t1", 1.0, "2010-01-01", None, None)] * 3)
    rate = turnover.turnover_rate(staff, START, END).iloc[0]
    assert (rate["leavers"], rate["average_in_post"], rate["turnover_rate"], rate["annualised_rate"]) == (0, 3, 0, 0)
    stability = turnover.stability_index(staff, END).iloc[0]
    assert (stability["in_post_year_ago"], stability["still_in_post"], stability["stability_index"]) == (3, 3, 1.0)
    reasons = turnover.leavers_by_reason(staff, START, END)
    assert reasons.empty and list(reasons.columns) == ["leaving_reason", "leavers", "share"]
    service = turnover.leavers_by_service(staff, START, END)
    assert service["service_band"].tolist() == [b[0] for b in turnover.SERVICE_BANDS]
    assert service["leavers"].tolist() == [0] * 6 and service["share"].isna().all()  # 0 of 0: NaN
    assert np.isnan(turnover.share_of_leavers_under(staff, START, END, 5))
    rolling = turnover.rolling_turnover(staff, END, n_months=2)
    assert rolling["leavers"].tolist() == [0, 0] and rolling["turnover_rate"].tolist() == [0, 0]


def test_everybody_left():
    """Both leave on 2011-06-30 (no longer in post that day; 1.49 years' service).

    In post: 2 on 2010-12-31 and the month ends January-May (6 dates), 0 on the 7 from 30 June:
    average 12/13; turnover 2 / (12/13) = 13/6 = 217% (above 100%: reported as it is).
    Stability: 2 a year ago, 0 still: 0.
    """
    staff = staff_frame(
        [
            ("Social Worker", "t1", 1.0, "2010-01-01", "2011-06-30", "workload"),
            ("Social Worker", "t1", 1.0, "2010-01-01", "2011-06-30", "relocation"),
        ]
    )
    rate = turnover.turnover_rate(staff, START, END).iloc[0]
    assert rate["leavers"] == 2
    assert rate["average_in_post"] == pytest.approx(12 / 13)
    assert rate["turnover_rate"] == pytest.approx(13 / 6)
    stability = turnover.stability_index(staff, END).iloc[0]
    assert (stability["in_post_year_ago"], stability["still_in_post"], stability["stability_index"]) == (2, 0, 0.0)
    reasons = turnover.leavers_by_reason(staff, START, END)
    assert reasons["leaving_reason"].tolist() == ["relocation", "workload"]  # a tie: alphabetical
    assert reasons["leavers"].tolist() == [1, 1] and reasons["share"].tolist() == [0.5, 0.5]
    service = turnover.leavers_by_service(staff, START, END).set_index("service_band")
    assert service.loc["1-2 years", "leavers"] == 2 and service.loc["1-2 years", "share"] == 1.0
    assert service["share"].sum() == 1.0
    assert turnover.share_of_leavers_under(staff, START, END, 5) == 1.0
    assert turnover.share_of_leavers_under(staff, START, END, 1) == 0.0
    last = turnover.rolling_turnover(staff, END, n_months=1).iloc[0]
    assert (last["leavers"], last["turnover_rate"]) == (2, pytest.approx(13 / 6))


def test_nobody_in_post_at_the_start_of_the_period():
    """A caseholder team started 2011-07-01 (2 people), one left 2011-10-15; one team leader since 2005.

    Caseholders in post: 0 on the 7 dates to 30 June, 2 at July-September ends, 1 at October-
    December ends: average 9/13, turnover 1 / (9/13) = 13/9. Stability: nobody a year ago, so
    NaN, while the team leader's row is 1/1 (no exception in the middle of the table).
    """
    staff = staff_frame(
        [
            ("Social Worker", "t1", 1.0, "2011-07-01", "2011-10-15", "workload"),
            ("Social Worker", "t1", 1.0, "2011-07-01", None, None),
            ("Team Leader", "t1", 1.0, "2005-01-01", None, None),
        ]
    )
    rates = turnover.turnover_rate(staff, START, END, by=["role_group"]).set_index("role_group")
    assert rates.loc["caseholder", "average_in_post"] == pytest.approx(9 / 13)
    assert rates.loc["caseholder", "turnover_rate"] == pytest.approx(13 / 9)
    assert (rates.loc["manager", "leavers"], rates.loc["manager", "turnover_rate"]) == (0, 0)
    stability = turnover.stability_index(staff, END, by=["role_group"]).set_index("role_group")
    assert (stability.loc["caseholder", "in_post_year_ago"], stability.loc["caseholder", "still_in_post"]) == (0, 0)
    assert np.isnan(stability.loc["caseholder", "stability_index"])
    assert stability.loc["manager", "stability_index"] == 1.0
    caseholders = staff[staff["role"] == "Social Worker"]
    assert np.isnan(turnover.stability_index(caseholders, END).iloc[0]["stability_index"])
    with pytest.raises(turnover.NobodyInPostError, match="nobody was in post on 2010-12-31"):
        turnover.stability_index(caseholders, END, strict=True)
    # Rolling: the year to 2010-12-31 had nobody in post (NaN); to 2011-07-31, 2 at one of 13
    # month ends and no leavers (0); to 2011-12-31 as above.
    rolling = turnover.rolling_turnover(caseholders, END, n_months=13).set_index("month")["turnover_rate"]
    assert np.isnan(rolling[pd.Timestamp("2010-12-31")])
    assert rolling[pd.Timestamp("2011-07-31")] == 0
    assert rolling[pd.Timestamp(END)] == pytest.approx(13 / 9)
    assert not np.isinf(rolling).any()


def test_a_single_person():
    """One social worker, 2010-01-01 to 2011-06-15 (530 days, 1.45 years): in post on 2010-12-31
    and the month ends January-May (6 of 13 dates): turnover 1 / (6/13) = 13/6; stability 0/1."""
    staff = staff_frame([("Social Worker", "t1", 1.0, "2010-01-01", "2011-06-15", "workload")])
    rate = turnover.turnover_rate(staff, START, END, by=["role_group"]).iloc[0]
    assert (rate["role_group"], rate["leavers"]) == ("caseholder", 1)
    assert rate["average_in_post"] == pytest.approx(6 / 13)
    assert rate["turnover_rate"] == pytest.approx(13 / 6)
    assert turnover.stability_index(staff, END).iloc[0]["stability_index"] == 0.0
    reasons = turnover.leavers_by_reason(staff, START, END)
    assert reasons.to_dict("records") == [{"leaving_reason": "workload", "leavers": 1, "share": 1.0}]
    service = turnover.leavers_by_service(staff, START, END)
    assert service["leavers"].tolist() == [0, 1, 0, 0, 0, 0]
    assert turnover.share_of_leavers_under(staff, START, END, 5) == 1.0
    assert turnover.share_of_leavers_under(staff, START, END, 1) == 0.0
    # Still in post: 0 leavers and rate 0; stability 1.
    stayer = staff_frame([("Social Worker", "t1", 1.0, "2010-01-01", None, None)])
    assert turnover.turnover_rate(stayer, START, END).iloc[0]["turnover_rate"] == 0
    assert turnover.stability_index(stayer, END).iloc[0]["stability_index"] == 1.0


def test_joined_and_left_between_month_ends_gives_nan_not_inf():
    """In post 5-20 March only: a leaver, but in post at none of the 13 dates: 1 / 0 is NaN."""
    staff = staff_frame([("Social Worker", "t1", 1.0, "2011-03-05", "2011-03-20", "workload")])
    rate = turnover.turnover_rate(staff, START, END).iloc[0]
    assert (rate["leavers"], rate["average_in_post"]) == (1, 0)
    assert np.isnan(rate["turnover_rate"]) and np.isnan(rate["annualised_rate"])
    rolling = turnover.rolling_turnover(staff, END, n_months=1).iloc[0]
    assert rolling["leavers"] == 1 and np.isnan(rolling["turnover_rate"])
    assert turnover.share_of_leavers_under(staff, START, END, 1) == 1.0


def test_no_staff_at_all():
    """An empty staff.csv (or a filter that keeps nobody): NaN rates, empty tables, no exception."""
    staff = staff_frame([("Social Worker", "t1", 1.0, "2010-01-01", None, None)]).iloc[:0]
    rate = turnover.turnover_rate(staff, START, END).iloc[0]
    assert (rate["group"], rate["leavers"], rate["average_in_post"]) == ("All staff", 0, 0)
    assert np.isnan(rate["turnover_rate"])
    by_two = turnover.turnover_rate(staff, START, END, by=["team", "area"])
    assert by_two.empty and list(by_two.columns[:3]) == ["team", "area", "leavers"]
    assert turnover.stability_index(staff, END, by=["team", "area"]).empty
    assert np.isnan(turnover.stability_index(staff, END).iloc[0]["stability_index"])
    assert turnover.leavers_by_reason(staff, START, END).empty
    assert turnover.leavers_by_service(staff, START, END)["leavers"].sum() == 0
    assert turnover.rolling_turnover(staff, END, n_months=2)["turnover_rate"].isna().all()


def test_a_promotion_is_a_move_not_a_leaver():
    # P0 is promoted: the Social Worker employment ends 31 Aug 2024 and P0 starts as Team Manager on
    # 1 Sep 2024. P1 leaves for good on 30 Sep 2024. P2 stays. Over the year to 31 Mar 2025 only P1 left.
    staff = staff_frame(
        [
            ("Social Worker", "T", 1.0, "2018-01-01", "2024-08-31", None),
            ("Team Manager", "T", 1.0, "2024-09-01", None, None),
            ("Social Worker", "T", 1.0, "2019-01-01", "2024-09-30", "relocation"),
            ("Social Worker", "T", 1.0, "2020-01-01", None, None),
        ]
    ).assign(staff_id=["P0", "P0", "P1", "P2"])
    assert turnover.internal_moves(staff).tolist() == [True, False, False, False]
    left = turnover.leavers_in_period(staff, "2024-03-31", "2025-03-31")
    assert left["staff_id"].tolist() == ["P1"]
    reasons = turnover.leavers_by_reason(staff, "2024-03-31", "2025-03-31")
    assert reasons[["leaving_reason", "leavers"]].to_dict("records") == [{"leaving_reason": "relocation", "leavers": 1}]
    # Stability: P0, P1 and P2 were in post on 31 Mar 2024; P0 (promoted) and P2 still are: 2 of 3.
    stable = turnover.stability_index(staff, "2025-03-31").iloc[0]
    assert (stable["in_post_year_ago"], stable["still_in_post"]) == (3, 2)
    # Turnover: 1 leaver over an average of 3 in post at every month end (the move keeps P0 in post).
    rate = turnover.turnover_rate(staff, "2024-03-31", "2025-03-31").iloc[0]
    assert rate["leavers"] == 1
    assert rate["turnover_rate"] == pytest.approx(1 / rate["average_in_post"])
