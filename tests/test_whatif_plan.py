"""The plan what-if: at its starting position it is the static plan; moved levers move only their input."""

import html

import pandas as pd
import pytest

from workforce_lib import projection, widgets
from workforce_lib.whatif import plan as plan_whatif


@pytest.fixture(scope="module")
def start(sample):
    return projection.starting_point(sample.staffing, staff=sample.staff)


def test_levers_now_are_the_plans_own_values(sample, start):
    now = plan_whatif.levers_now(start, sample.recruitment_plan, projection.PlanSettings(), "caseholder")
    # Caseholders' offers 2011-2013: 110 + 60 + 60 = 230 over 3 years; NQSW 45 + 30 + 27 = 102.
    assert now["offers_a_year"] == pytest.approx(230 / 3)
    assert now["nqsw_share"] == pytest.approx(102 / 230)
    assert now["turnover_rate"] == 0.15
    # Starting net vacancy: (375.7 - 318.8 - 53.9) / 375.7.
    assert now["agency_floor"] == pytest.approx((375.7 - 318.8 - 53.9) / 375.7)


def test_what_if_at_its_starting_position_is_the_static_plan(sample, start):
    """The page's plan (the static cell) and the panel beneath it, no slider touched: one sentence,
    one set of figures (the panel once repeated the first year's offers every year: 74.8 starts a
    year and vacancy ending at 0.1%, against the plan's 64.5 and 7.8%)."""
    settings = projection.PlanSettings()
    static = plan_whatif.plan_what_if(start, sample.recruitment_plan, settings, "caseholder", "2012-03", 300, 2011)
    panel = widgets.plan_panel(start, sample.recruitment_plan, settings, "caseholder", "2012-03", runs=300, seed=2011)
    controls, sentence, _ = panel.children
    assert sentence.value == f"<p>{html.escape(static.sentence)}</p>"
    now = {c.description: c.value for c in controls.children}
    moved = plan_whatif.plan_what_if(
        start,
        sample.recruitment_plan,
        settings,
        "caseholder",
        now["Target date"],
        300,
        2011,
        turnover_rate=now["Turnover a year"],
        offers_a_year=now["Offers a year"],
        nqsw_share=now["NQSW share of offers"],
        agency_floor=now["Agency floor (net vacancy)"],
    )
    assert moved.sentence == static.sentence and moved.figures == static.figures
    assert static.figures["hires_per_year"] == 64.5 and static.figures["final_vacancy_rate"] == 0.078
    assert (static.figures["target"], static.figures["month_target_met"]) == (0.10, "September 2013")
    assert static.figures["month_target_first_reached"] == "September 2011"
    assert static.figures["months_above_target_again"] == ["July 2013", "August 2013"]
    assert "64.5 starts a year" in static.sentence and "vacancy ends at 7.8%" in static.sentence
    # Moving the turnover slider and back gives the static sentence again.
    controls.children[0].value = 0.18
    assert sentence.value != f"<p>{html.escape(static.sentence)}</p>"
    controls.children[0].value = 0.15
    assert sentence.value == f"<p>{html.escape(static.sentence)}</p>"


def test_moved_plan_scales_offers_and_reweights_nqsw():
    plan = pd.DataFrame(
        {
            "year": [2011, 2011, 2012, 2012, 2011],
            "role_group": ["caseholder"] * 4 + ["manager"],
            "source": ["NQSW", "UK external", "NQSW", "UK external", "UK external"],
            "planned_hires": [30.0, 10.0, 10.0, 30.0, 5.0],
        }
    )
    sources = projection.DEFAULT_SOURCES
    assert plan_whatif.offers_now(plan, "caseholder", [2011, 2012], sources) == (40.0, 0.5)
    assert plan_whatif.moved_plan(plan, "caseholder", [2011, 2012], sources) is plan
    # 60 offers a year (120 over two years), half NQSW: each kind keeps its own profile over the years.
    doubled = plan_whatif.moved_plan(plan, "caseholder", [2011, 2012], sources, offers_a_year=60)
    mine = doubled[doubled["role_group"] == "caseholder"].set_index(["year", "source"])["planned_hires"]
    assert mine.to_dict() == pytest.approx(
        {(2011, "NQSW"): 45.0, (2011, "UK external"): 15.0, (2012, "NQSW"): 15.0, (2012, "UK external"): 45.0}
    )
    # 25% NQSW of the same 80 offers: NQSW 20 (30:10 over the years), others 60 (10:30).
    quarter = plan_whatif.moved_plan(plan, "caseholder", [2011, 2012], sources, nqsw_share=0.25)
    mine = quarter[quarter["role_group"] == "caseholder"].set_index(["year", "source"])["planned_hires"]
    assert mine.to_dict() == pytest.approx(
        {(2011, "NQSW"): 15.0, (2011, "UK external"): 15.0, (2012, "NQSW"): 5.0, (2012, "UK external"): 45.0}
    )
    assert quarter.loc[quarter["role_group"] == "manager", "planned_hires"].tolist() == [5.0]  # untouched


def test_moved_plan_without_offers_of_a_kind_shares_by_year():
    plan = pd.DataFrame(
        {"year": [2011, 2012], "role_group": "caseholder", "source": "UK external", "planned_hires": [30.0, 10.0]}
    )
    moved = plan_whatif.moved_plan(plan, "caseholder", [2011, 2012], projection.DEFAULT_SOURCES, nqsw_share=0.5)
    nqsw = moved[moved["source"] == "NQSW"].set_index("year")["planned_hires"]
    assert nqsw.to_dict() == pytest.approx({2011: 15.0, 2012: 5.0})  # 20 NQSW offers (half of 40), 3:1


def test_target_dates_include_the_packs_own():
    start = pd.DataFrame({"as_of": [pd.Timestamp("2011-03-31")]})
    dates = plan_whatif.target_dates(start, 12, "2011-11")
    assert dates == ["2011-06", "2011-09", "2011-11", "2011-12", "2012-03"]
