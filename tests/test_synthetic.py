"""Synthetic staff and campaign data: reproducible, and calibrated to what the papers say."""

import numpy as np
import pandas as pd
import pytest

from workforce_lib import synthetic

MANAGER_ROLES = {"Team Leader", "Principal Social Worker"}


def in_post(staff, when):
    when = pd.Timestamp(when)
    return (staff["start_date"] <= when) & (staff["leave_date"].isna() | (staff["leave_date"] > when))


def test_sample_staff_is_calibrated_to_the_papers(sample):
    staff = sample.staff
    caseholder = ~staff["role"].isin(MANAGER_ROLES)
    now = in_post(staff, "2015-10-31")
    # About 400 caseholders and 100 managers in post.
    assert 370 <= (now & caseholder).sum() <= 450
    assert 90 <= (now & ~caseholder).sum() <= 125
    # About 15% of caseholders leave a year (average of ten annual rates, headcount).
    rates = []
    for year in range(2006, 2016):
        start, end = pd.Timestamp(f"{year - 1}-10-31"), pd.Timestamp(f"{year}-10-31")
        average = ((in_post(staff, start) & caseholder).sum() + (in_post(staff, end) & caseholder).sum()) / 2
        leavers = ((staff["leave_date"] > start) & (staff["leave_date"] <= end) & caseholder).sum()
        rates.append(leavers / average)
    assert 0.12 <= np.mean(rates) <= 0.18
    # Most leavers have under five years' service (2015 update: 25 of 46).
    leavers = staff[staff["leave_date"].notna()]
    service = (leavers["leave_date"] - leavers["start_date"]).dt.days / 365.25
    assert 0.5 <= (service < 5).mean() <= 0.7
    # Reasons and routes as the papers describe; no reason for anyone still in post.
    assert set(staff["entry_route"]) >= {"NQSW", "UK experienced", "overseas", "returner", "OU/MA"}
    assert staff.loc[staff["leave_date"].isna(), "leaving_reason"].isna().all()
    assert staff.loc[staff["leave_date"].notna(), "leaving_reason"].notna().all()
    assert (staff["leave_date"].dropna() >= staff.loc[staff["leave_date"].notna(), "start_date"]).all()
    assert staff["staff_id"].is_unique


def test_staff_generator_is_reproducible_and_sized():
    teams = synthetic.synthetic_teams(20)
    a = synthetic.make_staff(teams, seed=7)
    b = synthetic.make_staff(teams, seed=7)
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(synthetic.make_staff(teams, seed=8))
    sized = synthetic.make_staff(teams, seed=7, n_employments=5000)
    assert len(sized) == 5000


def test_service_draws_follow_the_hazard():
    """With a constant 20% annual leaving chance, 80% stay a year and mean service is 1/-ln(0.8)."""
    rng = np.random.default_rng(1)
    years = synthetic._draw_service_years(rng, 200_000, ((0, np.inf, 0.20),))
    assert (years > 1).mean() == pytest.approx(0.80, abs=0.005)
    assert years.mean() == pytest.approx(1 / -np.log(0.8), rel=0.01)


def test_allocate_splits_whole_numbers_exactly():
    assert synthetic.allocate(10, [1, 1, 1]).tolist() == [4, 3, 3]
    assert synthetic.allocate(7, [0, 2, 5]).tolist() == [0, 2, 5]
    assert synthetic.allocate(0, [1, 2]).tolist() == [0, 0]


def test_sample_campaign_reproduces_appendix_7(sample):
    c = sample.campaign
    last = c["week_ending"] == c["week_ending"].max()
    assert c["week_ending"].max() == pd.Timestamp("2011-04-20")
    assert c["visitors"].sum() == 4821
    assert c["visitors"].sum() / c.loc[~last, "visitors"].sum() - 1 == pytest.approx(0.208, abs=0.0005)
    google = c[c["channel"] == "Google"]
    assert round(google["visitors"].sum() / c["visitors"].sum() * 100, 1) == 59.4
    assert round(google["spend_gbp"].sum() / google["visitors"].sum(), 2) == 0.61
    assert round(c["spend_gbp"].sum() / c["clicks"].sum(), 2) == 3.76
    assert round(c["spend_gbp"].sum() / c["visitors"].sum(), 2) == 5.51
    assert c.loc[last, "applications"].sum() == 22
    assert c.loc[last & (c["channel"] == "Guardian"), "applications"].sum() == 11
    listing = c[c["advert"] == "Team Leader - listing"]
    assert listing[["visitors", "clicks", "applications"]].to_numpy().sum() == 0
    location = c[c["advert"] == "Location/Employer Keywords"]["applications"].sum()
    assert round(location / 22 * 100, 1) == 36.4


def test_large_staff_file_has_n_valid_employments(tmp_path):
    from workforce_lib.cli import main
    from workforce_lib.data import load_staff

    path = tmp_path / "staff.csv"
    assert main(["synth-staff", str(path), "--employments", "20000"]) == 0
    staff = load_staff(path)  # passes every contract check
    assert len(staff) == 20_000 and staff["team"].nunique() > 10  # posts are scaled out into more teams
    leavers = staff["leave_date"].notna().mean()
    assert 0.3 < leavers < 0.95  # a history: most posts have turned over at least once
