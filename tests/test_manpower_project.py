"""Projections by grade: hand-computed push and pull, the student pipeline, Monte Carlo, agreement with
the role-group projection when grades are collapsed, and the scenario sentences."""

import math

import numpy as np
import pandas as pd
import pytest

from workforce_lib import projection
from workforce_lib.errors import DataError
from workforce_lib.manpower.bands import ServiceBands
from workforce_lib.manpower.grades import ladder_from_mapping
from workforce_lib.manpower.project import (
    collapse,
    in_year_leaving_rate,
    project_pull,
    project_push,
    simulate,
    student_pipeline,
)
from workforce_lib.manpower.rates import make_rates
from workforce_lib.manpower.scenario import scenario

ONE_BAND = ServiceBands((("all", 0, math.inf),))
TWO_BANDS = ServiceBands((("under 1 year", 0, 1), ("1 year or more", 1, math.inf)))
AB = ladder_from_mapping({"A": ["practitioner"], "B": ["lead"]})


def test_two_grade_push_by_hand():
    rates = make_rates(AB, leave={"A": 0.1, "B": 0.05}, promote={"A": 0.2}, bands=ONE_BAND)
    out = project_push({"A": 100, "B": 50}, rates, {"A": 20}, years=2, establishment={"A": 100, "B": 80}).grades
    # Year 1: A = 100 - 10 left - 20 promoted + 20 recruits (year end) = 90; B = 50 - 2.5 + 20 = 67.5.
    # Year 2: A = 90 - 9 - 18 + 20 = 83; B = 67.5 - 3.375 + 18 = 82.125.
    assert out["in_post"].tolist() == pytest.approx([90, 67.5, 83, 82.125])
    assert out["leavers"].tolist() == pytest.approx([10, 2.5, 9, 3.375])
    assert out["promoted_in"].tolist() == pytest.approx([0, 20, 0, 18])
    # Agency covers the vacancy: A 10, B 12.5; then A 17, B over-filled by 2.125 (no agency, rate negative).
    assert out["agency_fte"].tolist() == pytest.approx([10, 12.5, 17, 0])
    assert out["vacancy_rate"].iloc[3] == pytest.approx(-2.125 / 80)


def test_recruits_joining_at_the_year_start_face_the_first_year_rate():
    rates = make_rates(AB, leave={"A": 0.1, "B": 0.05}, promote={"A": 0.2}, bands=ONE_BAND)
    out = project_push({"A": 100, "B": 50}, rates, {"A": 20}, years=1, recruits_join="start").grades
    # A: (100 + 20) x (1 - 0.1 - 0.2) = 84; B: 50 x 0.95 + 120 x 0.2 = 71.5.
    assert out["in_post"].tolist() == pytest.approx([84, 71.5])


def test_service_bands_age_year_by_year():
    one = ladder_from_mapping({"A": []})
    rates = make_rates(one, leave={("A", "under 1 year"): 0.3, ("A", "1 year or more"): 0.1}, bands=TWO_BANDS)
    bands = project_push({"A": 100}, rates, {"A": 50}, years=2).bands
    got = bands.set_index(["year", "band"])["in_post"]
    # Year 1: 100 x 0.9 = 90 long-serving; 50 recruits under 1 year.
    # Year 2: 90 x 0.9 + 50 x 0.7 = 116 long-serving; 50 new recruits.
    assert got[(1, "1 year or more")] == pytest.approx(90)
    assert got[(1, "under 1 year")] == pytest.approx(50)
    assert got[(2, "1 year or more")] == pytest.approx(116)
    assert got[(2, "under 1 year")] == pytest.approx(50)


def test_pull_fills_from_the_top_down_by_hand():
    rates = make_rates(AB, leave=0.1, bands=ONE_BAND)
    out = project_pull(
        {"A": 100, "B": 50}, rates, {"A": 100, "B": 60}, years=1, promotion_caps={"A": 8}, intake_cap=30
    ).grades
    # After leaving: A 90, B 45. B's vacancy 15: 8 promoted (the cap), 7 left to agency (no external recruits).
    # A's vacancy is then 100 - 82 = 18: 18 recruits (within the intake of 30).
    assert out["in_post"].tolist() == pytest.approx([100, 53])
    assert out["promoted_in"].tolist() == pytest.approx([0, 8])
    assert out["starters"].tolist() == pytest.approx([18, 0])
    assert out["agency_fte"].tolist() == pytest.approx([0, 7])


def test_student_pipeline():
    # Kent contracted 30 final-year students: at 80% converting to offers and 90% accepting, 21.6 NQSWs.
    assert student_pipeline(30, 0.8, 0.9) == pytest.approx(21.6)
    with pytest.raises(ValueError, match="conversion rate"):
        student_pipeline(30, 1.2)


def test_monte_carlo_is_seeded_and_centred():
    rates = make_rates(AB, leave={"A": 0.1, "B": 0.05}, promote={"A": 0.2}, bands=ONE_BAND)
    counted = rates.__class__(
        AB,
        rates.leave,
        rates.move,
        ONE_BAND,
        leave_events=np.array([[20.0], [5.0]]),
        leave_exposure=np.array([[200.0], [100.0]]),
        move_events=np.array([[0.0, 40.0], [0.0, 0.0]]),
        move_exposure=np.array([200.0, 100.0]),
    )
    band = simulate({"A": 100, "B": 50}, counted, {"A": 20}, years=2, runs=2000, seed=5)
    again = simulate({"A": 100, "B": 50}, counted, {"A": 20}, years=2, runs=2000, seed=5)
    pd.testing.assert_frame_equal(band, again)
    row = band[(band["year"] == 2) & (band["grade"] == "B")].iloc[0]
    assert row["p10"] < row["p50"] < row["p90"]
    assert row["p50"] == pytest.approx(82.125, abs=1.5)  # the hand-computed expected path


def test_collapsed_grades_agree_with_the_role_group_projection():
    """Two caseholder grades with promotion between them, one leaving rate, hires spread evenly:
    in post at every year end equals workforce_lib.projection's monthly model exactly, once recruits
    who leave within their joining year are netted off (in_year_leaving_rate)."""
    turnover, hires = 0.15, 24.0
    settings = projection.PlanSettings(
        horizon_months=36, turnover_rate=turnover, agency_floor=0.0, sources={"x": projection.Source(0, 1.0, False)}
    )
    start = pd.DataFrame(
        {
            "role_group": ["caseholder"],
            "establishment_fte": [100.0],
            "in_post_fte": [80.0],
            "agency_fte": [20.0],
            "under_two_years_share": [0.0],
            "experience_known": [True],
            "as_of": [pd.Timestamp("2011-03-31")],
        }
    )
    offers, names = projection.monthly_offers(
        None, ["caseholder"], "2011-03-31", 36, settings.sources, {"caseholder": {"x": hires}}
    )
    monthly = projection.project(start, offers, names, settings)
    year_ends = monthly.iloc[[11, 23, 35]]

    two = ladder_from_mapping({"practitioner": [], "senior": []})
    rates = make_rates(two, leave=turnover, promote={"practitioner": 0.1})
    ours = project_push(
        {"practitioner": 60, "senior": 20},
        rates,
        {"practitioner": hires},
        years=3,
        establishment={"practitioner": 75, "senior": 25},
        in_year_leaving=in_year_leaving_rate(turnover),
    )
    grouped = collapse(ours, two)
    assert grouped["in_post"].to_numpy() == pytest.approx(year_ends["in_post_fte"].to_numpy(), abs=1e-9)
    assert grouped["leavers"].sum() == pytest.approx(monthly["leavers"].sum(), abs=1e-9)
    # Agency agrees at the group level (max(establishment - in post, 0) with no floor).
    assert np.maximum(100 - grouped["in_post"].to_numpy(), 0) == pytest.approx(year_ends["agency_fte"].to_numpy())


def test_bad_plan_inputs_are_data_errors():
    rates = make_rates(AB, leave=0.1, bands=ONE_BAND)
    with pytest.raises(DataError, match="a grade of the ladder"):
        project_push({"A": 100}, rates, {"Z": 5}, years=1)
    with pytest.raises(DataError, match="year, grade"):
        est = pd.DataFrame({"year": [1], "grade": ["A"], "establishment_fte": [100]})
        project_push({"A": 100}, rates, None, establishment=est)
    with pytest.raises(DataError, match="a number of 0 or more"):
        project_pull({"A": 100}, rates, {"A": 100, "B": 5}, years=1, promotion_caps={"A": -1})


def test_scenario_answers_the_committee_question():
    rates = make_rates(AB, leave={"A": 0.1, "B": 0.05}, promote={"A": 0.2}, bands=ONE_BAND)
    result = scenario(
        {"A": 100, "B": 50},
        rates,
        {"A": 100, "B": 80},
        years=2,
        nqsw_intake=20,
        focus_grade="B",
        caps={"B": 70},
        agency_cost_per_fte=50_000,
    )
    assert result.sentences[0] == (
        "With 20 newly qualified social workers a year and 20% of As promoted a year, there would be 82.1 Bs "
        "at the end of year 2 (establishment 80.0)."
    )
    assert result.sentences[1] == "Agency cover needed at the end of year 2: 17.0 FTE, costing £850,000 a year."
    assert result.sentences[-1] == "Bs exceed the cap of 70 from year 2 (82.1)."
    # A 9% promotion slider: B = 50 x 0.95 + 100 x 0.09 = 56.5 after year 1.
    slower = scenario({"A": 100, "B": 50}, rates, {"A": 100, "B": 80}, years=1, nqsw_intake=20, promotion_rate=0.09)
    assert slower.projection.grades["in_post"].iloc[1] == pytest.approx(56.5)
