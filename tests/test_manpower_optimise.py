"""The optimiser: small plans whose optimum and shadow prices are derived by hand, plain explanations of
plans that cannot be made, bad input, and H.P. Williams's manpower planning example with its published optima."""

import math

import pandas as pd
import pytest

from workforce_lib.errors import DataError
from workforce_lib.manpower.bands import ServiceBands
from workforce_lib.manpower.grades import ladder_from_mapping
from workforce_lib.manpower.optimise import PlanProblem, optimise, shadow_price_per_year

ONE_BAND = ServiceBands((("all", 0, math.inf),))
TWO_BANDS = ServiceBands((("under 1 year", 0, 1), ("1 year or more", 1, math.inf)))
ONE = ladder_from_mapping({"social worker": []})
AB = ladder_from_mapping({"A": [], "B": []})


def _one_grade(**changes) -> PlanProblem:
    base = dict(
        ladder=ONE,
        start={"social worker": 100},
        establishment={"social worker": 100},
        leaving={"social worker": 0.1},
        recruitment=pd.DataFrame(
            {"grade": ["social worker"], "source": ["UK"], "max_per_year": [5], "cost_per_hire": [1000]}
        ),
        agency_cost_per_fte=50_000,
        bands=ONE_BAND,
        years=1,
    )
    base.update(changes)
    return PlanProblem(**base)


def test_one_grade_optimum_and_recruitment_cap_shadow_price_by_hand():
    result = optimise(_one_grade())
    # 100 x 0.9 = 90 stay; 10 FTE to find: 5 recruits (the cap) at £1,000 and 5 agency FTE at £50,000.
    assert result.status == "optimal"
    assert result.value == pytest.approx(5 * 1000 + 5 * 50_000)
    plan = result.plan.iloc[0]
    assert (plan["recruits"], plan["agency_fte"], plan["in_post"]) == pytest.approx((5, 5, 95))
    # One more recruit replaces an agency FTE: saves £50,000 - £1,000 = £49,000.
    cap = result.binding[result.binding["constraint"] == "recruitment cap"].iloc[0]
    assert cap["shadow_price"] == pytest.approx(-49_000)
    assert cap["sentence"] == (
        "Year 1: recruitment of social worker from UK is at its cap of 5.0; one more recruit would save £49,000."
    )
    assert result.costs.set_index("item")["cost"].sum() == pytest.approx(result.value)


def test_progression_cap_shadow_price_by_hand():
    problem = PlanProblem(
        ladder=AB,
        start={"A": 100, "B": 20},
        establishment={"A": 100, "B": 25},
        leaving={"A": 0.0, "B": 0.0},
        recruitment=pd.DataFrame({"grade": ["A"], "source": ["NQSW"], "max_per_year": [None], "cost_per_hire": [1000]}),
        moves=pd.DataFrame({"from_grade": ["A"], "to_grade": ["B"], "max_per_year": [3], "cost_per_move": [500]}),
        agency_cost_per_fte=50_000,
        bands=ONE_BAND,
        years=1,
    )
    result = optimise(problem)
    # B needs 5: 3 promoted (the cap, £500 each), 2 agency (£50,000 each); A refills the 3 by recruits (£1,000).
    assert result.value == pytest.approx(3 * 500 + 2 * 50_000 + 3 * 1000)
    # One more progression slot: saves £50,000 of agency, costs £500 + a £1,000 recruit: £48,500.
    cap = result.binding[result.binding["constraint"] == "move cap"].iloc[0]
    assert cap["shadow_price"] == pytest.approx(-48_500)
    assert "one more B progression slot would save £48,500" in cap["sentence"]
    summary = shadow_price_per_year(result.binding)
    assert summary.loc[summary["constraint"] == "move cap", "saving_if_raised_every_year"].iloc[0] == pytest.approx(
        48_500
    )


def test_agency_objective_and_share_cap():
    problem = PlanProblem(
        ladder=AB,
        start={"A": 100, "B": 20},
        establishment={"A": 100, "B": 30},
        leaving={"A": 0.0, "B": 0.0},
        recruitment=pd.DataFrame({"grade": ["A"], "source": ["NQSW"], "max_per_year": [50]}),
        moves=pd.DataFrame({"from_grade": ["A"], "to_grade": ["B"], "max_share_of_to": [0.25]}),
        agency_cost_per_fte=50_000,
        bands=ONE_BAND,
        years=1,
    )
    result = optimise(problem, "agency")
    # Promoted P <= 0.25 x B's staff at the year end (20 + P): P <= 5 + P/4, so P <= 20/3; B's gap of 10
    # leaves 10 - 20/3 = 10/3 agency FTE.
    assert result.value == pytest.approx(10 / 3)
    assert result.moves["moved"].iloc[0] == pytest.approx(20 / 3)


def test_infeasible_plan_says_which_requirement_cannot_be_met():
    short = optimise(_one_grade(agency_cost_per_fte=None))
    assert short.status == "infeasible"
    assert short.explanation == [
        "Year 1, social worker: the establishment of 100.0 FTE cannot be filled; even with every lever at its cap "
        "the plan is 5.0 FTE short (raise recruitment or progression caps, or allow agency cover)."
    ]
    over = optimise(_one_grade(establishment={"social worker": 50}))
    assert over.status == "infeasible"
    assert over.explanation[0].startswith(
        "Year 1, social worker: 40.0 FTE more staff than the establishment of 50.0 FTE"
    )


def test_bad_input_is_a_data_error_naming_the_table():
    with pytest.raises(DataError) as caught:
        optimise(
            _one_grade(
                recruitment=pd.DataFrame({"grade": ["social wrker"], "source": ["UK"], "max_per_year": [5]}),
                moves=pd.DataFrame(
                    {"from_grade": ["social worker"], "to_grade": ["social worker"], "max_per_year": [-1]}
                ),
            )
        )
    text = str(caught.value)
    assert (
        "recruitment, row 2, column grade: value 'social wrker': expected a grade of the ladder (social worker)" in text
    )
    assert "moves, row 2, column max_per_year: value '-1': expected a number, 0 or more" in text
    with pytest.raises(DataError, match="a establishment_fte for every grade in every plan year"):
        optimise(
            PlanProblem(
                ladder=AB,
                start={"A": 1, "B": 1},
                establishment=pd.DataFrame({"year": [1], "grade": ["A"], "establishment_fte": [1]}),
                leaving={"A": 0.1, "B": 0.1},
            )
        )
    with pytest.raises(ValueError, match="objective must be one of"):
        optimise(_one_grade(), "happiness")


# ---------------------------------------------------------------------------------------------------------
# H.P. Williams, "Model Building in Mathematical Programming" (5th ed., 2013), 12.5 / 13.5 "Manpower planning".
# Data as in Gurobi's modeling-examples/manpower_planning (which cites the 5th edition, pp. 256-257, 303-304):
# optimum 841.797 redundancies (Gurobi log: 8.417968750e+02), and $498,677.29 at least cost with 1,423.7 laid off.

SKILLS = ["unskilled", "semi-skilled", "skilled"]


def williams() -> PlanProblem:
    return PlanProblem(
        ladder=ladder_from_mapping({s: [] for s in SKILLS}),
        start={"unskilled": 2000, "semi-skilled": 1500, "skilled": 1000},
        establishment=pd.DataFrame(
            {
                "year": [1] * 3 + [2] * 3 + [3] * 3,
                "grade": SKILLS * 3,
                "establishment_fte": [1000, 1400, 1000, 500, 2000, 1500, 0, 2500, 2000],
            }
        ),
        leaving=pd.DataFrame(
            {
                "grade": SKILLS * 2,
                "band": ["under 1 year"] * 3 + ["1 year or more"] * 3,
                "rate": [0.25, 0.20, 0.10, 0.10, 0.05, 0.05],
            }
        ),
        recruitment=pd.DataFrame({"grade": SKILLS, "source": "outside", "max_per_year": [500, 800, 500]}),
        moves=pd.DataFrame(
            {
                "from_grade": ["unskilled", "semi-skilled", "semi-skilled", "skilled", "skilled"],
                "to_grade": ["semi-skilled", "skilled", "unskilled", "unskilled", "semi-skilled"],
                "max_per_year": [200, None, None, None, None],
                "max_share_of_to": [None, 0.25, None, None, None],
                "cost_per_move": [400, 500, 0, 0, 0],
                "leaving_on_move": [None, None, 0.5, 0.5, 0.5],  # half of those downgraded leave
            }
        ),
        grade_costs=pd.DataFrame(
            {
                "grade": SKILLS,
                "redundancy_cost": [200, 500, 500],
                "over_cost": [1500, 2000, 3000],
                "part_time_max": 50,
                "part_time_fte": 0.5,
                "part_time_cost": [500, 400, 400],
            }
        ),
        over_total_max=150,
        bands=TWO_BANDS,
        recruits_join="start",  # Williams: recruits suffer first-year wastage in the year they join
    )


def test_williams_minimum_redundancy():
    result = optimise(williams(), "redundancy")
    assert result.status == "optimal"
    assert result.value == pytest.approx(841.796875, abs=1e-4)
    assert round(result.value) == 842  # Williams's published answer
    # Every requirement is met: in post - half the short-time workers - overmanning = requirement.
    plan = result.plan
    met = plan["in_post"] - 0.5 * plan["part_time"] - plan["over_establishment"]
    assert met.to_numpy() == pytest.approx(plan["establishment_fte"].to_numpy(), abs=1e-6)
    assert plan.groupby("year")["over_establishment"].sum().max() <= 150 + 1e-6


def test_williams_minimum_cost():
    result = optimise(williams(), "cost")
    assert round(result.value, 2) == 498_677.29
    assert result.plan["redundancies"].sum() == pytest.approx(1423.7, abs=0.05)
