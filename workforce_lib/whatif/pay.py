"""Pay what-ifs: the ready reckoner (one offer line by line) and an extra market premium.

The premium what-if adds an *extra* annual premium on top of everything pay_supplements.csv
already counts (Kent's £3,000 market premium for Experienced SWs is in the static figures), starting
at £0, so at its starting position it shows the static rank and gap. It adds the premium once to
total reward and costs exactly what it adds: extra premium x eligible WTE x (1 + on-cost rate)
(:func:`workforce_lib.pay.premium_cost`).
"""

from __future__ import annotations

import pandas as pd

from .. import pay, plots
from .result import WhatIf

#: What the ready reckoner's controls do, shown above the panel in JupyterLab (never in a static pack).
RECKONER_PROMPT = (
    "Choose an authority, a role and a point in its range to see the whole package line by line, "
    "the way an applicant would compare offers."
)
#: What the premium slider does, shown above the panel in JupyterLab (never in a static pack).
PREMIUM_PROMPT = (
    "Move the slider to add an extra market premium, on top of the extras already counted above, "
    "and see the authority's rank and what the extra premium would cost."
)


def reckoner_what_if(
    pay_scales: pd.DataFrame,
    supplements: pd.DataFrame | None,
    authority: str,
    role: str,
    point: str,
    one_off_years: float = 2,
) -> WhatIf:
    """The whole package of one authority's role at a point of its range, line by line
    (:func:`workforce_lib.pay.package_lines`; total = salary + extras + one-offs / years)."""
    from ..publish import format_table

    lines = pay.package_lines(pay_scales, supplements, authority, role, point, one_off_years)
    total = lines["per_year_gbp"].iloc[-1]
    reward = pay.total_reward(pay_scales, supplements, one_off_years, points=(point,))
    positions = pay.position(reward, authority, point)
    table = format_table(
        lines,
        money=("per_year_gbp",),
        rename={"item": "Item", "basis": "Basis", "per_year_gbp": "£ a year", "notes": "Conditions"},
        table_id="reckoner",
    ).to_html()
    sentence = (
        f"{authority}, {role} at the {point} of the range: £{total:,.0f} a year all extras counted "
        f"(one-off payments spread over {one_off_years:g} years)."
    )
    figure = plots.reward_rank_chart(positions, reward, authority=authority, role=role, point=point)
    return WhatIf(sentence, figure, {"total_reward_gbp": round(float(total), 2)}, table)


def premium_what_if(
    pay_scales: pd.DataFrame,
    supplements: pd.DataFrame | None,
    authority: str,
    role: str,
    premium: float,
    eligible_wte: float,
    point: str = "middle",
    one_off_years: float = 2,
    on_cost_rate: float = pay.DEFAULT_ON_COST_RATE,
    live: plots.LiveChart | None = None,
) -> WhatIf:
    """An extra annual market premium for one role, on top of the extras already counted: the
    authority's total reward, rank and gap with it, and what it adds to the pay bill.

    total reward = :func:`workforce_lib.pay.total_reward` with one more annual supplement row of
    ``premium``; added cost = premium x eligible WTE x (1 + on-cost rate). At ``premium`` 0 the
    figures are the static ones (:func:`workforce_lib.pay.position` on the same inputs)."""
    extra = pay.premium_rows(authority, [role], premium) if premium else None
    reward = pay.total_reward(pay_scales, supplements, one_off_years, points=(point,), extra=extra)
    positions = pay.position(reward, authority, point)
    row = positions[positions["role"] == role].iloc[0]
    cost = pay.premium_cost(premium, eligible_wte, on_cost_rate)
    already = pay.current_premium(supplements, authority, role)
    counted = f"the £{already:,.0f} market premium already counted" if already else "the extras already counted"
    gap = pay.gap_words(row["gap_to_best_gbp"], row["best_payer"])
    where = f"{row['rank']} of {row['of']} ({pay.quarter_phrase(row['quarter_by_value'])}, {gap})"
    on_costs = f"{on_cost_rate * 100:g}%"
    if premium:
        sentence = (
            f"With an extra £{premium:,.0f} a year for {role}s on top of {counted} (£{already + premium:,.0f} "
            f"a year in all), {authority} would rank {where}, at an added annual cost of £{cost:,.0f} for "
            f"{eligible_wte:,.1f} eligible WTE including {on_costs} on-costs."
        )
    else:
        sentence = (
            f"With no extra premium for {role}s (on top of {counted}), {authority} stays at rank {where}: "
            f"an added annual cost of £0 for {eligible_wte:,.1f} eligible WTE."
        )
    chart = plots.live_reward_rank_chart(live, positions, reward, authority=authority, role=role, point=point)
    figures = {
        "extra_premium_gbp": round(float(premium), 2),
        "premium_in_all_gbp": round(float(already + premium), 2),
        "total_reward_gbp": round(float(row["total_reward"]), 2),
        "rank": int(row["rank"]),
        "gap_to_best_gbp": round(float(row["gap_to_best_gbp"]), 0),
        "annual_cost_gbp": round(cost, 2),
    }
    return WhatIf(sentence, chart.figure, figures, chart=chart)
