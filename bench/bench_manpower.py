"""Benchmark of the manpower model: one what-if slider recompute (goal under 100 ms), estimation from
the sample staff.csv, and one optimised plan on sample-like inputs. Prints figures; asserts nothing.

    .venv/bin/python bench/bench_manpower.py
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd

from workforce_lib import load_dataset
from workforce_lib.manpower.estimate import rates_table, transition_rates
from workforce_lib.manpower.grades import ASYE, EXPERIENCED, SENIOR, SOCIAL_WORKER, TEAM_MANAGER, kmtp_ladder
from workforce_lib.manpower.history import person_years
from workforce_lib.manpower.optimise import PlanProblem, optimise
from workforce_lib.manpower.project import starting_stock, student_pipeline
from workforce_lib.manpower.rates import rates_from_estimate
from workforce_lib.manpower.scenario import scenario

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample"
AS_OF = "2015-10-31"
#: Illustrative establishment by grade for the sample's 2015 workforce (the papers give none by grade).
ESTABLISHMENT = {ASYE: 45, SOCIAL_WORKER: 40, EXPERIENCED: 300, SENIOR: 75, TEAM_MANAGER: 110}
SALARY = {ASYE: 30_000, SOCIAL_WORKER: 33_000, EXPERIENCED: 37_000, SENIOR: 42_000, TEAM_MANAGER: 48_000}
AGENCY_COST = 250 * 220  # workbench defaults: £250 a day, 220 days


def sample_plan(stock, rates) -> PlanProblem:
    """A sample-like plan: NQSW and student intake, experienced hires, progression caps, agency."""
    students = student_pipeline(30, 0.8, 0.9)  # Kent's 30 contracted final-year students
    recruitment = pd.DataFrame(
        {
            "grade": [ASYE, ASYE, EXPERIENCED, SENIOR, TEAM_MANAGER],
            "source": ["NQSW", "students", "UK experienced", "UK experienced", "UK experienced"],
            "max_per_year": [40, students, 30, 5, 5],
            "cost_per_hire": [2_000, 1_000, 5_000, 5_000, 5_000],
        }
    )
    moves = pd.DataFrame(
        {
            "from_grade": [ASYE, SOCIAL_WORKER, EXPERIENCED, SENIOR],
            "to_grade": [SOCIAL_WORKER, EXPERIENCED, SENIOR, TEAM_MANAGER],
            "min_share_of_from": [1.0, 1.0, None, None],  # by years since qualifying: everyone moves on
            "max_per_year": [None, None, 10, 5],
            "cost_per_move": [0, 0, 1_000, 1_000],
        }
    )
    grade_costs = pd.DataFrame({"grade": list(SALARY), "cost_per_fte": list(SALARY.values())})
    return PlanProblem(
        ladder=rates.ladder,
        start=stock,
        establishment=ESTABLISHMENT,
        leaving=rates,
        recruitment=recruitment,
        moves=moves,
        grade_costs=grade_costs,
        agency_cost_per_fte=AGENCY_COST,
        years=3,
        first_year=2016,
    )


def main() -> None:
    pd.set_option("display.width", 200)
    dataset = load_dataset(SAMPLE)
    ladder = kmtp_ladder()
    t0 = time.perf_counter()
    py = person_years(dataset.staff, ladder, start="2010-04-01", end="2015-04-01", as_of=AS_OF)
    estimated = transition_rates(py, ladder)
    rates = rates_from_estimate(estimated, ladder)
    stock = starting_stock(dataset.staff, ladder, AS_OF)
    print(
        f"estimation from {len(dataset.staff):,} employments ({len(py):,} person-years): "
        f"{time.perf_counter() - t0:.3f} s"
    )
    print(rates_table(estimated).round(3).to_string(index=False))

    timings = []
    for intake in np.linspace(20, 60, 41):
        t = time.perf_counter()
        scenario(
            stock,
            rates,
            ESTABLISHMENT,
            nqsw_intake=float(intake),
            promotion_rate={EXPERIENCED: 0.09},
            agency_cost_per_fte=AGENCY_COST,
        )
        timings.append(time.perf_counter() - t)
    print(
        f"slider recompute (scenario): median {1000 * np.median(timings):.1f} ms, max {1000 * max(timings):.1f} ms "
        f"over {len(timings)} moves (goal under 100 ms)"
    )
    result = scenario(
        stock, rates, ESTABLISHMENT, nqsw_intake=40, promotion_rate={EXPERIENCED: 0.09}, agency_cost_per_fte=AGENCY_COST
    )
    print("\n".join(result.sentences))

    t = time.perf_counter()
    plan = optimise(sample_plan(stock, rates), "cost")
    print(f"\noptimised plan ({plan.status}) in {time.perf_counter() - t:.3f} s")
    print(plan.plan.round(1).to_string(index=False))
    print(plan.costs.round(0).to_string(index=False))
    print("\n".join(plan.sentences))


if __name__ == "__main__":
    main()
