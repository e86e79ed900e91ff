"""The workforce plan by grade with its levers moved, for the grade-plan what-if panel.

The levers are the recruits a year into the lowest grade, a factor on leaving rates (every grade or
one, any length of service or one), a cap on the focus grade's posts and, where the data do not give
it, the promotion rate into the focus grade (senior practitioner on the default ladder). Each lever
at its starting value (:func:`levers_now`) leaves that setting as it was (:func:`moved_settings`), so
the panel at its starting position is the static projection and plan exactly
(:func:`workforce_lib.manpower.committee.what_if` and :func:`~workforce_lib.manpower.committee.best_plan`).
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from ..disclosure import NOT_PUBLISHED, Disclosure
from ..manpower import committee
from ..manpower.scenario import _focus
from .result import WhatIf

#: What the grade-plan panel's controls do, shown above the panel in JupyterLab (never in a static pack).
PROMPT = (
    "**What if?** Move the sliders: newly qualified recruits a year, the share promoted a year into the grade "
    "the committee asks about, a factor on leaving rates (for every grade or one, any length of service or "
    "one) and a cap on posts. At their starting positions they are this pack's settings; the sentence, the "
    "table and the chart are redrawn, and the least-cost plan re-solved, by the same functions as above."
)


def focus_grades(inputs: committee.GradeInputs) -> tuple[str, str | None]:
    """The grade the committee asks about (senior practitioner on the default ladder) and the grade below it."""
    ladder = inputs.ladder
    index = _focus(ladder, None)
    return ladder.names[index], ladder.names[index - 1] if index > 0 else None


def promotion_is_a_lever(inputs: committee.GradeInputs) -> bool:
    """Whether the promotion rate into the focus grade can be moved: there is a grade below it and
    promotion into it is not counted by years in grade (where the data give the step)."""
    ladder = inputs.ladder
    index = _focus(ladder, None)
    return index > 0 and (index - 1) not in inputs.by_years


def levers_now(inputs: committee.GradeInputs, settings: committee.GradeSettings) -> dict:
    """The levers' starting values, as :func:`committee.resolve` works them out from the settings:
    intake (to 0.1 FTE, the slider's step), leaving factor, grade and band, the focus grade's cap (0 =
    none) and, when a lever (:func:`promotion_is_a_lever`), the promotion rate into the focus grade."""
    resolved = committee.resolve(inputs, settings)
    focus, below = focus_grades(inputs)
    levers = {
        "intake": round(resolved.nqsw_intake, 1),
        "factor": settings.leaving_factor,
        "grade": settings.leaving_grade or "",
        "band": settings.leaving_band or "",
        "cap": resolved.caps.get(focus, 0.0),
    }
    if promotion_is_a_lever(inputs):
        levers["promotion"] = resolved.promotion.get(below, 0.0)
    return levers


def moved_settings(
    inputs: committee.GradeInputs,
    settings: committee.GradeSettings,
    intake: float,
    factor: float,
    grade: str,
    band: str,
    cap: float,
    promotion: float | None = None,
) -> committee.GradeSettings:
    """The settings with the levers moved; a lever at its starting value (:func:`levers_now`) leaves
    its setting untouched (the intake as set, -1 meaning staff.csv's average; the promotion rate as set)."""
    now = levers_now(inputs, settings)
    focus, below = focus_grades(inputs)
    ladder = inputs.ladder
    caps = {k: v for k, v in settings.caps.items() if ladder.names[ladder.index(k)] != focus}
    if cap > 0:
        caps[focus] = cap
    return replace(
        settings,
        nqsw_intake=intake if intake != now["intake"] else settings.nqsw_intake,
        leaving_factor=factor,
        leaving_grade=grade,
        leaving_band=band,
        caps=caps,
        promotion_rates=settings.promotion_rates
        if promotion is None or promotion == now.get("promotion")
        else {**settings.promotion_rates, below: promotion},
    )


def grade_plan_what_if(inputs, settings, disclosure: Disclosure = NOT_PUBLISHED) -> WhatIf:
    """The plan by grade at these settings: the projection's sentence, the least-cost plan's cost,
    the last year by grade and the chart (:func:`workforce_lib.manpower.committee.what_if` and
    :func:`~workforce_lib.manpower.committee.best_plan`, the functions the static cells call)."""
    from ..publish import format_table

    what = committee.what_if(inputs, settings, disclosure)
    plan = committee.best_plan(inputs, settings, what.result.rates)
    last = what.table[what.table["year"] == settings.years]
    table = format_table(
        pd.DataFrame(
            {
                "grade": [g[:1].upper() + g[1:] for g in last["grade"]],
                "in_post": last["in_post"].to_numpy(),
                "band": [f"{a:,.1f} to {b:,.1f}" for a, b in zip(last["p10"], last["p90"], strict=True)],
                "establishment_fte": last["establishment_fte"].to_numpy(),
                "agency_fte": last["agency_fte"].to_numpy(),
            }
        ),
        fte=("in_post", "establishment_fte", "agency_fte"),
        rename={
            "grade": "Grade",
            "in_post": f"Projected in post after {settings.years} years",
            "band": "P10 to P90",
            "establishment_fte": "Establishment",
            "agency_fte": "Agency cover needed",
        },
        table_id="grade_what_if",
    ).to_html()
    sentence = f"{what.sentence} {committee.plan_sentence(plan, settings.years)}"
    return WhatIf(sentence, what.figure, {**what.figures, "plan": committee.plan_figures(plan)}, table)
