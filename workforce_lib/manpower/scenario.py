"""What-if by grade: slider values in, a projection and plain sentences out (pure, no widgets).

Sliders: NQSW intake a year (the bottom grade), student placements x conversion x acceptance
(added to the intake, :func:`project.student_pipeline`), experienced recruits per grade, the
promotion rate (all grades or per grade), leaving rates (one number, per grade, or per grade and
service band, or a factor on the estimated rates), and caps (most staff per grade). Push mode
follows the rates; pull mode fills vacancies by promotion within ``promotion_caps`` and recruits at
the bottom within the intake. The sentences answer the committee's questions: how many senior
practitioners in three years, how much agency cover, and whether the early-career share stays under
the ceiling (Kent 2011: no more than 15% of caseholders in their first two years).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from ..targets import above_target
from .grades import SENIOR, GradeLadder
from .project import Projection, experience_share, project_pull, project_push, student_pipeline
from .rates import ManpowerRates


@dataclass
class ScenarioResult:
    """The projection, a one-row-per-grade summary of the last year, and sentences."""

    projection: Projection
    summary: pd.DataFrame
    sentences: list[str]
    rates: ManpowerRates | None = None  # the rates the sliders made (for a Monte Carlo band of the same what-if)


def _focus(ladder: GradeLadder, grade: str | None) -> int:
    if grade is not None:
        return ladder.index(grade)
    try:
        return ladder.index(SENIOR)
    except ValueError:
        return max(len(ladder) - 2, 0)


def scenario(
    stock,
    rates: ManpowerRates,
    establishment,
    years: int = 3,
    nqsw_intake: float = 40.0,
    students: tuple[float, float, float] | None = None,
    experienced_recruits: Mapping[str, float] | None = None,
    promotion_rate: float | Mapping[str, float] | None = None,
    leaving: float | Mapping | None = None,
    leaving_factor: float = 1.0,
    caps: Mapping[str, float] | None = None,
    mode: str = "push",
    promotion_caps: Mapping[str, float] | None = None,
    agency_cost_per_fte: float = 0.0,
    experience_ceiling: float = 0.15,
    focus_grade: str | None = None,
    early_grades: list[str] | None = None,
) -> ScenarioResult:
    """Project a what-if: the rates changed by the sliders, the recruits given, sentences on the result.

    ``early_grades`` are the grades under two years since qualifying that the experience ceiling
    limits (default: ASYE and social worker); an empty list leaves the ceiling's sentence out."""
    ladder = rates.ladder
    if nqsw_intake < 0:
        raise ValueError(f"the NQSW intake cannot be negative ({nqsw_intake})")
    if leaving_factor < 0:
        raise ValueError(f"the leaving factor cannot be negative ({leaving_factor})")
    changed = rates
    if promotion_rate is not None:
        changed = changed.with_promotion(promotion_rate)
    if leaving is not None:
        changed = changed.with_leaving(leaving)
    if leaving_factor != 1.0:
        changed = replace(changed, leave=np.minimum(changed.leave * leaving_factor, 1.0))
    intake = nqsw_intake + (student_pipeline(*students) if students else 0.0)
    recruits = {ladder.names[0]: intake, **dict(experienced_recruits or {})}
    if mode == "push":
        projection = project_push(
            stock, changed, recruits, years, establishment, agency_cost_per_fte=agency_cost_per_fte
        )
    elif mode == "pull":
        external = {k: v for k, v in (experienced_recruits or {}).items()}
        projection = project_pull(
            stock,
            changed,
            establishment,
            years,
            promotion_caps=promotion_caps,
            external_caps=external,
            intake_cap=intake,
            agency_cost_per_fte=agency_cost_per_fte,
        )
    else:
        raise ValueError(f"mode must be 'push' or 'pull', not {mode!r}")
    frame = projection.grades
    last_year = frame["year"].max()
    last = frame[frame["year"] == last_year].reset_index(drop=True)
    g = _focus(ladder, focus_grade)
    focus = last.iloc[g]
    promo = changed.move[g - 1, g] if g > 0 else 0.0
    below = ladder.names[g - 1] if g else ""
    sentences = [
        f"With {intake:,.0f} newly qualified social workers a year and {promo:.0%} of {below}s "
        f"promoted a year, there would be {focus['in_post']:,.1f} {ladder.names[g]}s at the end of year {last_year} "
        f"(establishment {focus['establishment_fte']:,.1f})."
    ]
    agency = float(last["agency_fte"].sum())
    sentences.append(
        f"Agency cover needed at the end of year {last_year}: {agency:,.1f} FTE"
        + (f", costing £{agency * agency_cost_per_fte:,.0f} a year." if agency_cost_per_fte else ".")
    )
    try:
        if early_grades is not None and not list(early_grades):
            raise ValueError("no early-career grades")
        share = experience_share(projection, early_grades)
        worst = share.loc[share["share"].idxmax()]
        verdict = "above" if above_target(float(worst["share"]), experience_ceiling) else "within"
        sentences.append(
            f"Caseholders in their first two years peak at {worst['share']:.1%} (year {int(worst['year'])}), "
            f"{verdict} the {experience_ceiling:.0%} ceiling."
        )
    except (KeyError, ValueError):
        pass
    for grade, cap in (caps or {}).items():
        gi = ladder.index(grade)
        over = frame[(frame["grade"] == ladder.names[gi]) & (frame["in_post"] > cap + 1e-9)]
        if len(over):
            sentences.append(
                f"{ladder.names[gi][:1].upper()}{ladder.names[gi][1:]}s exceed the cap of {cap:,.0f} from year "
                f"{int(over['year'].min())} ({over['in_post'].iloc[0]:,.1f})."
            )
        else:
            sentences.append(
                f"{ladder.names[gi][:1].upper()}{ladder.names[gi][1:]}s stay within the cap of {cap:,.0f}."
            )
    summary = last[["grade", "in_post", "establishment_fte", "vacancy_rate", "agency_fte"]]
    return ScenarioResult(projection, summary, sentences, changed)
