"""Retention: Kaplan-Meier by hand, censoring, left truncation, small groups, and the experience mix.

Confidence bands are lifelines' exponential Greenwood ("log-log") bands, worked by hand:
V = sum d / (n (n - d)) over leaving times so far, se = sqrt(V) / |log S|, and the band is
S ** exp(+-1.96 se) (lower with +). A median's 95% CI runs from where the lower band first falls
to 0.5 to where the upper band does.
"""

import math

import numpy as np
import pandas as pd
import pytest

from tests.test_turnover import staff_frame
from workforce_lib import retention

Z = 1.959964


def exp_greenwood(s, v):
    """Hand formula for the (lower, upper) 95% band of S with Greenwood sum v."""
    se = math.sqrt(v) / abs(math.log(s))
    return s ** math.exp(Z * se), s ** math.exp(-Z * se)


def test_kaplan_meier_hand_computed():
    """Four employments: left at 1 and 3 years, censored at 2 and 4 (still in post on as_of).

    S(1) = 3/4 = 0.75; at 2 a censoring; S(3) = 0.75 x (1 - 1/2) = 0.375 (2 at risk at 3 years).
    Median 3.0 years. Bands: at 1 year V = 1/(4x3), lower 0.128 < 0.5, so the CI starts at the
    first leave (365 days = 0.9993 years); at 3 years V = 1/12 + 1/(2x1) = 7/12, upper 0.808 > 0.5,
    and no later leaver: the upper limit is never reached.
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
    summary = retention.retention_summary(
        staff, as_of, by=None, years=(1.5, 3.5), observed_from=None, min_leavers=2
    ).iloc[0]
    assert summary["leavers"] == 2  # the censored employments are not leavers
    assert summary["still_in_post_1.5y"] == pytest.approx(0.75)
    assert summary["still_in_post_3.5y"] == pytest.approx(0.375)
    assert summary["median_years"] == pytest.approx(1096 / 365.25)
    assert summary["median_ci_lower"] == pytest.approx(365 / 365.25)
    assert np.isnan(summary["median_ci_upper"])  # not inf
    assert summary["median_reached"]
    assert summary["median_text"] == "3.0 years (95% CI from 1.0 years; upper limit not reached)"
    assert summary["fit_note"] == ""

    curve = retention.survival_curves(staff, as_of, by="role", observed_from=None).set_index("years")
    lower_1, upper_1 = exp_greenwood(0.75, 1 / 12)
    lower_3, upper_3 = exp_greenwood(0.375, 7 / 12)
    assert (lower_1, upper_1) == pytest.approx((0.12795, 0.96055), abs=1e-5)
    assert curve.loc[365 / 365.25, ["ci_lower", "ci_upper"]].tolist() == pytest.approx([lower_1, upper_1])
    assert curve.loc[1096 / 365.25, ["ci_lower", "ci_upper"]].tolist() == pytest.approx([lower_3, upper_3])
    assert upper_3 == pytest.approx(0.808, abs=1e-3)


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
    assert summary.iloc[0]["fit_note"] == "too few leavers to estimate"  # the truncated fit worked


def small_authority_with_late_entrants():
    """Observed from 2010-01-01, as_of 2012-01-01; in years of service (days / 365.25):

    A started 2009-07-01, entered at 0.504, left 2010-03-01 at 0.665 (243 days);
    B started 2005-01-01, entered at 4.999, left 2011-01-01 at 5.999 (2191 days);
    C started 2000-01-01, entered at 10.001, in post: censored at 12.0.
    Between A leaving (0.665) and B entering (4.999) nobody is at risk, which lifelines refuses.
    """
    return staff_frame(
        [
            ("Social Worker", "t", 1.0, "2009-07-01", "2010-03-01", "workload"),
            ("Social Worker", "t", 1.0, "2005-01-01", "2011-01-01", "workload"),
            ("Social Worker", "t", 1.0, "2000-01-01", None, None),
        ]
    )


def test_regression_lifelines_stat_error_with_late_entry():
    """The small-authority crash: "There are too few early truncation times and too many events".

    Estimated without late entry (everyone at risk from their start): S = 2/3 after A leaves
    (3 at risk) and 2/3 x 1/2 = 1/3 after B leaves (2 at risk). With min_leavers=1 the median is
    B's 5.999 years; bands at 0.665: V = 1/(3x2), lower 0.054 < 0.5 (so the CI starts there);
    at 5.999: V = 1/6 + 1/2, upper 0.774 > 0.5 and no later leaver: upper limit not reached.
    """
    from lifelines import KaplanMeierFitter
    from lifelines.exceptions import StatError

    staff = small_authority_with_late_entrants()
    data = retention.durations(staff, "2012-01-01", observed_from="2010-01-01")
    with pytest.raises(StatError, match="too few early truncation times"):
        KaplanMeierFitter().fit(data["duration_years"], data["left"], entry=data["entry_years"])

    summary = retention.retention_summary(
        staff, "2012-01-01", by=None, years=(0.5, 1, 6.5), observed_from="2010-01-01", min_leavers=1
    ).iloc[0]
    assert summary["fit_note"] == retention.LATE_ENTRY_DROPPED
    assert summary["fit_note"].startswith("too few early employments to allow for late entry; estimated without it")
    assert [summary["still_in_post_0.5y"], summary["still_in_post_1y"], summary["still_in_post_6.5y"]] == (
        pytest.approx([1.0, 2 / 3, 1 / 3])
    )
    assert summary["median_years"] == pytest.approx(2191 / 365.25)
    assert summary["median_ci_lower"] == pytest.approx(243 / 365.25)
    assert np.isnan(summary["median_ci_upper"])
    assert summary["median_text"] == "6.0 years (95% CI from 0.7 years; upper limit not reached)"

    # With the default min_leavers (5), two leavers are too few for a median.
    default = retention.retention_summary(staff, "2012-01-01", by=None, observed_from="2010-01-01").iloc[0]
    assert np.isnan(default["median_years"]) and np.isnan(default["median_ci_lower"])
    assert pd.isna(default["median_reached"])
    assert default["median_text"] == "too few leavers to estimate"
    assert default["fit_note"] == retention.LATE_ENTRY_DROPPED + "; too few leavers to estimate"
    # The default observed_from (the first leave, 2010-03-01) fails the same way; no exception.
    auto = retention.retention_summary(staff, "2012-01-01", by=None).iloc[0]
    assert auto["fit_note"].startswith("too few early employments")

    curves = retention.survival_curves(staff, "2012-01-01", observed_from="2010-01-01")
    assert curves["still_in_post"].tolist() == pytest.approx([1.0, 2 / 3, 1 / 3, 1 / 3])
    lower, upper = exp_greenwood(2 / 3, 1 / 6)
    assert curves.loc[1, ["ci_lower", "ci_upper"]].tolist() == pytest.approx([lower, upper])
    assert lower == pytest.approx(0.05407, abs=1e-5)
    assert exp_greenwood(1 / 3, 1 / 6 + 1 / 2)[1] == pytest.approx(0.77415, abs=1e-5)
    assert set(curves["fit_note"]) == {retention.LATE_ENTRY_DROPPED}


def test_no_leavers_survival_one_and_median_not_reached():
    """Nobody has left: S = 1 throughout, the median is beyond the longest service.

    Longest: 2006-01-01 to 2015-01-01, 3287 days = 8.9993 years, i.e. nine calendar years (two
    leap days short of 9 x 365.25): "more than 9 years". After 10 years: beyond the data, NaN.
    """
    staff = staff_frame(
        [
            ("Social Worker", "t", 1.0, "2006-01-01", None, None),
            ("Social Worker", "t", 1.0, "2010-06-01", None, None),
        ]
    )
    summary = retention.retention_summary(staff, "2015-01-01", by=None, years=(1, 5, 10)).iloc[0]
    assert (summary["employments"], summary["leavers"]) == (2, 0)
    assert summary["longest_years"] == pytest.approx(3287 / 365.25)
    assert (summary["still_in_post_1y"], summary["still_in_post_5y"]) == (1.0, 1.0)
    assert np.isnan(summary["still_in_post_10y"])
    assert np.isnan(summary["median_years"]) and np.isnan(summary["median_ci_upper"])
    assert bool(summary["median_reached"]) is False
    assert summary["median_text"] == "more than 9 years"
    assert summary["fit_note"] == ""
    curves = retention.survival_curves(staff, "2015-01-01")
    assert (curves["still_in_post"] == 1.0).all()

    new = staff_frame([("Social Worker", "t", 1.0, "2014-07-01", None, None)])  # 184 days = 0.504 years
    assert retention.retention_summary(new, "2015-01-01", by=None).iloc[0]["median_text"] == "more than 6 months"


def test_median_not_reached_with_enough_leavers_is_nan_not_inf():
    """12 start together; 5 leave after a year (365 days), 7 are in post four years on (1461 days).

    S = 7/12 = 0.583 never falls to a half: median "more than 4 years", NaN (not inf). Lower band
    at the leave: V = 5/(12x7), lower 0.270 < 0.5, so the CI's lower limit is 0.9993 years.
    """
    rows = [("Social Worker", "t", 1.0, "2010-01-01", "2011-01-01", "workload")] * 5
    rows += [("Social Worker", "t", 1.0, "2010-01-01", None, None)] * 7
    summary = retention.retention_summary(staff_frame(rows), "2014-01-01", by=None, observed_from=None).iloc[0]
    assert summary["leavers"] == 5
    assert summary["still_in_post_2y"] == pytest.approx(7 / 12)
    assert np.isnan(summary["median_years"]) and not np.isinf(summary["median_years"])
    assert exp_greenwood(7 / 12, 5 / 84)[0] == pytest.approx(0.27014, abs=1e-5)
    assert summary["median_ci_lower"] == pytest.approx(365 / 365.25)
    assert np.isnan(summary["median_ci_upper"])
    assert bool(summary["median_reached"]) is False  # a real False: bool(pd.NA) would raise
    assert summary["median_text"] == "more than 4 years"
    assert not np.isinf(summary[["median_years", "median_ci_lower", "median_ci_upper"]].astype(float)).any()


def test_groups_with_enough_too_few_and_no_leavers():
    """By entry route, as_of 2014-01-01, no late entry. All started 2008-01-01.

    NQSW: 6, leaving on 1 January 2009..2013 (1.002, 2.001, 3.001, 4.0, 5.002 years), one in post
    (6.001): S = 5/6, 4/6, 3/6 -> median 3.001 years (1096 days). Lower band at the first leave
    0.273 < 0.5 (V = 1/30): CI from 1.0; upper band at 5.002 is 0.517 > 0.5 (V = 1/30 + 1/20 +
    1/12 + 1/6 + 1/2): upper limit not reached.
    overseas: 4, all leave (2009..2012): 4 < 5 leavers, so no median; S(1.5) = 3/4; after 5 years
    (beyond its longest, 4.0) NaN.
    returner: 2 in post, no leavers: more than 6 years (2192 days = 6.001).
    """
    rows = [("Social Worker", "t", 1.0, "2008-01-01", f"{y}-01-01", "workload") for y in range(2009, 2014)]
    rows += [("Social Worker", "t", 1.0, "2008-01-01", None, None)]
    rows += [("Social Worker", "t", 1.0, "2008-01-01", f"{y}-01-01", "relocation") for y in range(2009, 2013)]
    rows += [("Social Worker", "t", 1.0, "2008-01-01", None, None)] * 2
    staff = staff_frame(rows)
    staff["entry_route"] = ["NQSW"] * 6 + ["overseas"] * 4 + ["returner"] * 2
    table = retention.retention_summary(staff, "2014-01-01", years=(1.5, 5), observed_from=None)
    table = table.set_index("entry_route")
    assert list(table.index) == ["NQSW", "overseas", "returner"]
    assert table["leavers"].tolist() == [5, 4, 0]

    nqsw = table.loc["NQSW"]
    assert nqsw["median_years"] == pytest.approx(1096 / 365.25)
    assert exp_greenwood(5 / 6, 1 / 30)[0] == pytest.approx(0.27312, abs=1e-5)
    assert exp_greenwood(1 / 6, 1 / 30 + 1 / 20 + 1 / 12 + 1 / 6 + 1 / 2)[1] == pytest.approx(0.5168, abs=1e-4)
    assert nqsw["median_ci_lower"] == pytest.approx(366 / 365.25)
    assert nqsw["median_text"] == "3.0 years (95% CI from 1.0 years; upper limit not reached)"
    assert nqsw["still_in_post_5y"] == pytest.approx(2 / 6)

    overseas = table.loc["overseas"]
    assert np.isnan(overseas["median_years"]) and pd.isna(overseas["median_reached"])
    assert overseas["median_text"] == overseas["fit_note"] == "too few leavers to estimate"
    assert overseas["still_in_post_1.5y"] == pytest.approx(0.75)
    assert np.isnan(overseas["still_in_post_5y"])

    returner = table.loc["returner"]
    assert returner["median_text"] == "more than 6 years" and returner["fit_note"] == ""
    assert returner["still_in_post_5y"] == 1.0
    assert str(table["median_reached"].dtype) == "boolean"


def test_no_employments_and_no_possible_fit(monkeypatch):
    staff = staff_frame([("Social Worker", "t", 1.0, "2010-01-01", None, None)])
    empty = retention.retention_summary(staff, "2009-01-01", by=None).iloc[0]
    assert (empty["employments"], empty["leavers"]) == (0, 0)
    assert empty["median_text"] == empty["fit_note"] == "no employments to estimate from"
    assert retention.retention_summary(staff, "2009-01-01").empty  # by a column: no groups
    curves = retention.survival_curves(staff, "2009-01-01")  # nothing to draw: empty, no exception
    assert curves.empty
    assert list(curves.columns) == ["entry_route", "years", "still_in_post", "ci_lower", "ci_upper", "fit_note"]

    from lifelines import KaplanMeierFitter
    from lifelines.exceptions import ConvergenceError

    def refuse(self, *args, **kwargs):
        raise ConvergenceError("no fit")

    monkeypatch.setattr(KaplanMeierFitter, "fit", refuse)
    row = retention.retention_summary(staff, "2012-01-01", by=None).iloc[0]
    assert row["employments"] == 1
    assert row["median_text"] == row["fit_note"] == "could not be estimated from these records"
    assert np.isnan(row["still_in_post_1y"])


@pytest.mark.parametrize(
    ("args", "text"),
    [
        ((4.2, 3.1, 5.6), "4.2 years (95% CI 3.1 to 5.6)"),
        ((4.2, 3.1, float("inf")), "4.2 years (95% CI from 3.1 years; upper limit not reached)"),
        ((4.2, 3.1, float("nan")), "4.2 years (95% CI from 3.1 years; upper limit not reached)"),
        ((4.2, float("nan"), float("nan")), "4.2 years (95% CI not available)"),
        ((float("inf"), 7.0, float("inf"), 9.7), "more than 9 years"),
        ((float("nan"), float("nan"), float("nan"), 1.2), "more than 1 year"),
        ((float("nan"), float("nan"), float("nan"), 0.09), "more than 1 month"),  # 33 days
        ((float("nan"), float("nan"), float("nan"), 0.02), "not reached yet"),  # 7 days
        ((float("inf"),), "not reached yet"),
    ],
)
def test_describe_median(args, text):
    assert retention.describe_median(*args) == text


def test_describe_median_reason_wins():
    assert retention.describe_median(float("nan"), reason="too few leavers to estimate") == (
        "too few leavers to estimate"
    )


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
    assert bool(mix["above_ceiling"]) is True
    assert mix["status"] == "above the ceiling"


def test_experience_mix_with_no_caseholders_in_post():
    """Only a team leader in post: a row with 0 caseholders, share unknown, not "within"."""
    staff = staff_frame(
        [
            ("Team Leader", "t", 1.0, "2010-01-01", None, None),
            ("Social Worker", "t", 1.0, "2010-01-01", "2014-01-01", "workload"),  # left before as_of
        ]
    )
    mix = retention.experience_mix(staff, "2015-01-01")
    assert len(mix) == 1
    row = mix.iloc[0]
    assert (row["caseholders"], row["experience_known"], row["under_two_years"]) == (0, 0, 0)
    assert np.isnan(row["under_two_years_share"])
    assert row["above_ceiling"] is pd.NA
    assert row["status"] == "unknown"
    assert str(mix["above_ceiling"].dtype) == "boolean"
    by_team = retention.experience_mix(staff, "2015-01-01", by=["team"])
    assert by_team.empty and list(by_team.columns)[:2] == ["team", "caseholders"]
    assert "status" in by_team.columns
    # Before anyone started: the same, no exception.
    assert retention.experience_mix(staff, "2000-01-01").iloc[0]["status"] == "unknown"


def test_experience_mix_with_nobody_s_experience_known():
    """Two experienced entrants with no qualified date: 2 caseholders, 0 known, status unknown."""
    staff = staff_frame([("Social Worker", "t", 1.0, "2010-01-01", None, None)] * 2)
    staff["entry_route"] = "UK experienced"
    row = retention.experience_mix(staff, "2015-01-01").iloc[0]
    assert (row["caseholders"], row["experience_known"], row["under_two_years"]) == (2, 0, 0)
    assert np.isnan(row["under_two_years_share"])
    assert row["above_ceiling"] is pd.NA
    assert row["status"] == "unknown"


def test_experience_mix_at_the_ceiling_is_within():
    """3 of 20 caseholders under two years = 15% exactly: Kent's ceiling is "at most 15%"."""
    rows = [("Social Worker", "t", 1.0, "2014-06-01", None, None)] * 3  # NQSW entrants: 0.6 years
    rows += [("Social Worker", "t", 1.0, "2010-01-01", None, None)] * 17
    staff = staff_frame(rows)
    staff.loc[3:, "qualified_date"] = pd.Timestamp("2005-06-01")
    row = retention.experience_mix(staff, "2015-01-01").iloc[0]
    assert (row["caseholders"], row["under_two_years"]) == (20, 3)
    assert row["under_two_years_share"] == pytest.approx(0.15)
    assert bool(row["above_ceiling"]) is False  # a real False, not pd.NA
    assert row["status"] == "within the ceiling"
