"""A year ahead at a turnover rate, for the static cell and the turnover what-if panel.

The static "year ahead" at the planning assumption and the panel at its starting position are one
call of :func:`turnover_what_if`, so they show one value per figure.
"""

from __future__ import annotations

import pandas as pd

from .. import periods, plots, roles, turnover, vacancy
from ..errors import AnalysisError
from .result import WhatIf

#: What the turnover panel's controls do, shown above the panel in JupyterLab (never in a static pack).
PROMPT = (
    "**What if turnover were different?** Move the slider to see what another turnover rate means for the "
    "year ahead, or pick another role group or area: how many leave, how many hires it takes to stand still "
    "or to reach the vacancy target, and where vacancy ends with the hires already planned. At its starting "
    "position the panel shows the year ahead above; it is redrawn by the same functions."
)


def turnover_what_if(
    staffing: pd.DataFrame,
    plan: pd.DataFrame | None,
    turnover_rate: float,
    role_group: str,
    area: str = "",
    vacancy_target: float = 0.10,
    live: plots.LiveChart | None = None,
) -> WhatIf:
    """A year on at a turnover rate: leavers, hires needed and vacancy with the planned hires.

    Arithmetic of :func:`workforce_lib.turnover.year_ahead` (leavers = rate x in post; hires to
    reach the target = (1 - target) x establishment - in post + leavers). Establishment and in post
    come from the latest staffing snapshot for the role group (and area), whose date the sentence
    gives; planned hires from recruitment_plan.csv for the first plan year at or after the
    snapshot's year (:func:`periods.plan_year`), shared out by establishment when one area is chosen.
    """
    snap = vacancy.snapshot(staffing)
    rows = snap[snap["role_group"] == role_group]
    if rows.empty:
        raise AnalysisError(f"staffing.csv has no rows for role group {role_group!r}")
    as_of = snap["as_of"].max()
    year = periods.plan_year(plan, as_of)
    hires = turnover.planned_hires(plan, role_group, year) if year is not None else 0.0
    label = roles.label(role_group)
    who = roles.label(role_group).lower()
    if area:
        share = rows.loc[rows["area"] == area, "establishment_fte"].sum() / rows["establishment_fte"].sum()
        rows = rows[rows["area"] == area]
        if rows.empty:
            raise AnalysisError(f"staffing.csv has no {role_group} rows in area {area!r}")
        hires *= share
        label += f" in {area}"
        who += f" in {area}"
    result = turnover.year_ahead(
        float(rows["establishment_fte"].sum()), float(rows["in_post_fte"].sum()), turnover_rate, hires, vacancy_target
    )
    if year is None:
        planned = "With no hires in the recruitment plan for the year ahead"
    else:
        planned = f"With the {hires:,.1f} hires planned for {year}"
    sentence = (
        f"From the staffing snapshot of {periods.long_date(as_of)}: at {turnover_rate:.1%} turnover about "
        f"{result['expected_leavers']:,.1f} of the {result['in_post_fte']:,.1f} FTE {who} in post would leave in "
        f"a year, so that many hires only stand still; reaching your {vacancy_target:.0%} vacancy target takes "
        f"{result['hires_to_reach_target']:,.1f} hires. {planned}, "
        f"vacancy would go from {result['vacancy_rate_now']:.1%} to {result['vacancy_rate_next_year']:.1%}."
    )
    chart = plots.live_year_ahead_chart(live, result, vacancy_target=vacancy_target, title_group=label)
    plots.describe(chart.figure, sentence)
    figures = {k: round(v, 4) for k, v in result.items()}
    return WhatIf(sentence, chart.figure, figures, chart=chart)
