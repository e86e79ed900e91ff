"""Workforce plan projection: hand-computed paths, the Kent solver figures, Monte Carlo convergence."""

import numpy as np
import pandas as pd
import pytest

from workforce_lib import projection as pj


def start_frame(establishment=100.0, in_post=80.0, agency=10.0, under_two=0.0, group="caseholder"):
    return pd.DataFrame(
        {
            "role_group": [group],
            "establishment_fte": [establishment],
            "in_post_fte": [in_post],
            "agency_fte": [agency],
            "under_two_years_share": [under_two],
            "as_of": [pd.Timestamp("2011-03-31")],
        }
    )


def no_offers(months=36, sources=pj.DEFAULT_SOURCES):
    return np.zeros((1, len(sources), months)), list(sources)


def test_monthly_hazard():
    assert pj.monthly_hazard(0.15) == pytest.approx(1 - 0.85 ** (1 / 12))
    assert 1 - (1 - pj.monthly_hazard(0.15)) ** 12 == pytest.approx(0.15)
    with pytest.raises(ValueError):
        pj.monthly_hazard(1.0)


def test_no_turnover_no_hires_keeps_in_post():
    offers, names = no_offers()
    frame = pj.project(start_frame(), offers, names, pj.PlanSettings(turnover_rate=0.0))
    assert np.allclose(frame["in_post_fte"], 80.0)
    assert np.allclose(frame["vacancy_rate"], 0.20)


def test_hires_equal_to_leavers_keep_the_rate_steady():
    """80 in post at 15%: 80 x h leave a month; the same number of experienced starts keeps 80."""
    h = pj.monthly_hazard(0.15)
    offers, names = no_offers()
    internal = names.index("internal")  # acceptance 1, no lag, experienced
    offers[0, internal, :] = 80 * h
    frame = pj.project(start_frame(), offers, names, pj.PlanSettings())
    assert np.allclose(frame["in_post_fte"], 80.0)
    assert np.allclose(frame["leavers"], 80 * h)


def test_one_year_without_hires_loses_the_annual_rate():
    offers, names = no_offers(12)
    frame = pj.project(start_frame(), offers, names, pj.PlanSettings(horizon_months=12))
    assert frame["in_post_fte"].iloc[-1] == pytest.approx(80 * 0.85)


def test_kent_solver():
    """Kent caseholders, 375.7 establishment and 318.8 in post, 15% turnover, hires evenly spread.

    q = 0.85 ** (1/12); after 12 months in post = 318.8 x 0.85 + H (1 - 0.85) / (1 - q) = 270.98 + 11.153 H.
    Every post filled: H = (375.7 - 270.98) / 11.153 = 9.39 a month, 112.7 a year (the paper rounds to 110).
    10% vacancy: H = (338.13 - 270.98) / 11.153 = 6.02 a month, 72.3 a year.
    """
    q = 0.85 ** (1 / 12)
    growth = (1 - 0.85) / (1 - q)
    full = pj.constant_hires_needed(375.7, 318.8, 0.15, 0.0, 12)
    ten = pj.constant_hires_needed(375.7, 318.8, 0.15, 0.10, 12)
    assert full == pytest.approx((375.7 - 318.8 * 0.85) / growth)
    assert full * 12 == pytest.approx(112.7, abs=0.1)
    assert ten * 12 == pytest.approx(72.3, abs=0.1)
    # The projection with that many experienced starts a month lands on the target.
    offers, names = no_offers(12)
    offers[0, names.index("internal"), :] = ten
    frame = pj.project(start_frame(375.7, 318.8, 53.9), offers, names, pj.PlanSettings(horizon_months=12))
    assert frame["vacancy_rate"].iloc[-1] == pytest.approx(0.10)
    assert pj.constant_hires_needed(100, 95, 0.0, 0.10, 6) == 0  # already there


def test_new_entrants_age_out_after_24_months():
    offers, names = no_offers(30)
    offers[0, names.index("internal"), 0] = 0.0
    nqsw = names.index("NQSW")
    offers[0, nqsw, 0] = 20.0  # 20 NQSW starts in the first month
    frame = pj.project(start_frame(in_post=80.0), offers, names, pj.PlanSettings(horizon_months=30, turnover_rate=0.0))
    share = frame["under_two_years_share"].to_numpy()
    assert share[0] == pytest.approx(20 / 100)
    assert share[23] == pytest.approx(20 / 100)  # still under two years in month 24
    assert share[24] == 0  # experienced from month 25


def test_sources_lags_acceptance_and_september_intake():
    plan = pd.DataFrame(
        {
            "year": [2011, 2011],
            "role_group": ["caseholder"] * 2,
            "source": ["NQSW", "overseas"],
            "planned_hires": [10, 12],
        }
    )
    offers, names = pj.monthly_offers(plan, ["caseholder"], "2011-03-31", 24, pj.DEFAULT_SOURCES)
    nqsw = offers[0, names.index("NQSW")]
    assert nqsw.sum() == pytest.approx(10 * 0.9)
    assert nqsw[5] == pytest.approx(9.0)  # month 6 of a projection from April is September 2011
    overseas = offers[0, names.index("overseas")]
    assert overseas[:6].sum() == 0  # six-month start lag
    assert overseas[6:18].sum() == pytest.approx(12 * 0.7)


def test_agency_covers_vacancies_down_to_the_floor():
    offers, names = no_offers(1)
    frame = pj.project(
        start_frame(100, 80, 10), offers, names, pj.PlanSettings(horizon_months=1, turnover_rate=0.0, agency_floor=0.05)
    )
    assert frame["agency_fte"].iloc[0] == pytest.approx(15.0)  # 20 vacant, 5 left uncovered
    assert frame["net_vacancy_rate"].iloc[0] == pytest.approx(0.05)
    kept = pj.project(start_frame(100, 80, 10), offers, names, pj.PlanSettings(horizon_months=1, turnover_rate=0.0))
    assert kept["agency_fte"].iloc[0] == pytest.approx(10.0)  # the starting 10% net vacancy is kept


def test_cost_hand_computed():
    offers, names = no_offers(1)
    settings = pj.PlanSettings(
        horizon_months=1,
        turnover_rate=0.0,
        average_salary=36000,
        on_cost_rate=0.25,
        agency_day_rate=300,
        agency_days_per_year=220,
        agency_floor=0.0,
    )
    frame = pj.project(start_frame(100, 80, 10), offers, names, settings)
    # 80 x 36,000 x 1.25 / 12 + 20 agency x 300 x 220 / 12
    assert frame["cost"].iloc[0] == pytest.approx(80 * 36000 * 1.25 / 12 + 20 * 300 * 220 / 12)


def test_summary_reports_target_month_or_not_within_horizon():
    offers, names = no_offers(12)
    offers[0, names.index("internal"), 3] = 15.0
    frame = pj.project(start_frame(100, 80, 10), offers, names, pj.PlanSettings(horizon_months=12, turnover_rate=0.0))
    row = pj.summary(frame, pj.PlanSettings(horizon_months=12)).iloc[0]
    assert row["month_target_met"] == "July 2011"  # 95 in post from the fourth month
    none, names = no_offers(12)
    row = pj.summary(
        pj.project(start_frame(), none, names, pj.PlanSettings(horizon_months=12)), pj.PlanSettings()
    ).iloc[0]
    assert row["month_target_met"] == "not within horizon"


def test_monte_carlo_mean_converges_to_the_deterministic_path(sample):
    start = pj.starting_point(sample.staffing, staff=sample.staff)
    settings = pj.PlanSettings()
    offers, names = pj.monthly_offers(
        sample.recruitment_plan, start["role_group"].tolist(), start["as_of"].iloc[0], 36, settings.sources
    )
    frame = pj.project(start.assign(in_post_fte=start["in_post_fte"].round()), offers, names, settings)
    simulated = pj.simulate(start, offers, names, settings, runs=4000, seed=1)
    mean = simulated["in_post"].mean(axis=0)
    for g, group in enumerate(start["role_group"]):
        path = frame.loc[frame["role_group"] == group, "in_post_fte"].to_numpy()
        assert np.max(np.abs(mean[g] - path)) < 0.6, group
    again = pj.simulate(start, offers, names, settings, runs=50, seed=1)["in_post"]
    assert np.array_equal(again, pj.simulate(start, offers, names, settings, runs=50, seed=1)["in_post"])
    months = pd.DatetimeIndex(frame["month"].unique())
    band = pj.bands(simulated, start, months)
    assert (band["p10"] <= band["p50"]).all() and (band["p50"] <= band["p90"]).all()


def test_yearly_table_sums_the_months():
    offers, names = no_offers(24)
    offers[0, names.index("internal"), :] = 1.0
    frame = pj.project(start_frame(), offers, names, pj.PlanSettings(horizon_months=24, turnover_rate=0.0))
    table = pj.yearly(frame, "2011-03-31")
    assert table["plan_year"].tolist() == [1, 2]
    assert table["hires"].tolist() == [12.0, 12.0]
    assert table["in_post_fte"].tolist() == [92.0, 104.0]  # 80 + 12, then + 12 more


def test_target_is_met_only_when_held_to_the_end_of_the_horizon():
    """A hand-made path against a 10% target, months January to June 2020: 12.0%, 9.0%, 10.0% as
    shown (10.049%), 10.1% as shown (10.06%), 8.0%, 7.0%. First reached in February, above again
    in April, met and held from May."""
    months = pd.date_range("2020-01-31", periods=6, freq="ME")
    held = pj.target_held(months, [0.12, 0.09, 0.10049, 0.1006, 0.08, 0.07], 0.10)
    assert held.first_met == pd.Timestamp("2020-02-29") and held.held_from == pd.Timestamp("2020-05-31")
    assert held.above_again == (pd.Timestamp("2020-04-30"),) and held.met
    assert pj.target_words(held, 0.10) == (
        "the 10% vacancy target is met and held from May 2020 to the end of the projection (June 2020); "
        "it is first reached in February 2020, but vacancy is above it again in April 2020"
    )
    slipping = pj.target_held(months, [0.12, 0.09, 0.08, 0.11, 0.12, 0.13], 0.10)
    assert slipping.held_from is None and not slipping.met
    assert pj.target_words(slipping, 0.10) == (
        "the 10% vacancy target is not held: it is reached in February 2020, but vacancy is above it again in "
        "April to June 2020, to the end of the projection"
    )
    kept = pj.target_held(months, [0.12, 0.09, 0.08, 0.07, 0.06, 0.05], 0.10)
    assert pj.target_words(kept, 0.10) == (
        "the 10% vacancy target is met in February 2020 and held to the end of the projection (June 2020)"
    )
    never = pj.target_held(months, [0.1251] * 6, 0.125)  # shown 12.5%: at target
    assert never.held_from == months[0]
    never = pj.target_held(months, [0.1255] * 6, 0.125)  # shown 12.6%
    assert pj.target_words(never, 0.125) == "the 12.5% vacancy target is not met within the projection (to June 2020)"


def test_month_spans_join_consecutive_months():
    months = pd.to_datetime(["2012-12-31", "2013-01-31", "2013-02-28", "2013-05-31", "2013-07-31", "2013-08-31"])
    assert pj.month_spans(months) == "December 2012 to February 2013, May 2013 and July to August 2013"
    assert pj.month_spans(months[3:4]) == "May 2013"


def test_sample_plan_slips_above_target_in_july_and_august_2013(sample):
    """Kent's sample plan: under 10% from September 2011, 10.7% and 11.4% in July and August 2013
    (before the September intakes), so the target is met and held only from September 2013."""
    start = pj.starting_point(sample.staffing, staff=sample.staff)
    settings = pj.PlanSettings()
    offers, names = pj.monthly_offers(
        sample.recruitment_plan, start["role_group"].tolist(), start["as_of"].iloc[0], 36, settings.sources
    )
    frame = pj.project(start, offers, names, settings)
    row = pj.summary(frame, settings).set_index("role_group").loc["caseholder"]
    assert row["month_target_met"] == "September 2013"
    assert row["month_target_first_reached"] == "September 2011"
    assert row["above_target_again"] == "July to August 2013"
    managers = pj.summary(frame, settings).set_index("role_group").loc["manager"]
    assert managers["month_target_met"] == "not within horizon" and managers["above_target_again"] == ""
