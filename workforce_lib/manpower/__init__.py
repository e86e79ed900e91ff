"""Manpower model by grade (issue 18): grades as data, rates from the council's own history,
Markov projections (push, pull, Monte Carlo), an LP optimiser, and what-if scenarios.

Modules, one idea each: :mod:`bands` (service bands), :mod:`grades` (the ladder and title
mapping), :mod:`history` (careers and person-years from staff.csv), :mod:`estimate` (rates with
exact intervals), :mod:`rates` (the model's probabilities), :mod:`inputs` (plan tables checked),
:mod:`project` (projections), :mod:`optimise` (the linear programme), :mod:`scenario` (sliders).
See docs/manpower.md.
"""

from .bands import DEFAULT_BANDS, TWO_BANDS, ServiceBands
from .estimate import clopper_pearson, rates_table, transition_rates, yearly_transitions
from .grades import (
    Grade,
    GradeLadder,
    GradeRule,
    assign_grades,
    grade_map,
    kmtp_ladder,
    ladder_from_mapping,
    unmapped_titles,
)
from .history import careers, person_years
from .optimise import PlanProblem, PlanResult, optimise, shadow_price_per_year
from .project import (
    Projection,
    collapse,
    experience_share,
    in_year_leaving_rate,
    project_pull,
    project_push,
    simulate,
    starting_stock,
    student_pipeline,
)
from .rates import ManpowerRates, make_rates, rates_from_estimate
from .scenario import ScenarioResult, scenario

__all__ = [
    "DEFAULT_BANDS",
    "TWO_BANDS",
    "Grade",
    "GradeLadder",
    "GradeRule",
    "ManpowerRates",
    "PlanProblem",
    "PlanResult",
    "Projection",
    "ScenarioResult",
    "ServiceBands",
    "assign_grades",
    "careers",
    "clopper_pearson",
    "collapse",
    "experience_share",
    "grade_map",
    "in_year_leaving_rate",
    "kmtp_ladder",
    "ladder_from_mapping",
    "make_rates",
    "optimise",
    "person_years",
    "project_pull",
    "project_push",
    "rates_from_estimate",
    "rates_table",
    "scenario",
    "shadow_price_per_year",
    "simulate",
    "starting_stock",
    "student_pipeline",
    "transition_rates",
    "unmapped_titles",
    "yearly_transitions",
]
