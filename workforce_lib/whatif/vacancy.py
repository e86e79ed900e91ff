"""Vacancy by team against a target, for the static cells and the vacancy what-if panel.

The static team chart and the panel at its starting position (the pack's target and role group)
are one call of :func:`vacancy_what_if`, so they show one value per figure.
"""

from __future__ import annotations

import pandas as pd

from .. import plots, roles, vacancy
from ..disclosure import NOT_PUBLISHED, Disclosure
from ..targets import above_target
from .result import WhatIf

#: What the vacancy panel's controls do, shown above the panel in JupyterLab (never in a static pack).
PROMPT = (
    "**What if the target or the role group were different?** Move the slider to test another vacancy "
    "target, or pick the other role group; the sentence and the team chart are redrawn by the same "
    "functions as above."
)

#: How to read the team chart, said beside it.
CHART_NOTE = (
    "The chart puts the teams furthest from the target at the top: dark bars are the vacancy rate, light "
    "bars what remains after agency cover."
)


def vacancy_what_if(
    staffing: pd.DataFrame,
    target: float,
    role_group: str,
    live: plots.LiveChart | None = None,
    disclosure: Disclosure = NOT_PUBLISHED,
) -> WhatIf:
    """Vacancy by team against a target for one role group: sentence, chart, headline figures.

    The sentence is :func:`workforce_lib.vacancy.vacancy_sentence` on the team table's total
    (Kent 2011, Appendix 1 definitions), the FTE to meet the target
    :func:`~workforce_lib.vacancy.fte_to_meet_target`. With ``live`` (the previous move's chart) the
    chart is updated in place where it can be. In a published pack a team whose rates are
    suppressed is drawn without bars and marked [c]; the chart's alt text is its title + the sentence.
    """
    table = vacancy.team_table(staffing, target, role_group)
    hidden = vacancy.disclosed(table, disclosure)
    drawn = table.assign(
        vacancy_rate=table["vacancy_rate"].mask(hidden.hidden["vacancy_rate"]),
        net_vacancy_rate=table["net_vacancy_rate"].mask(hidden.hidden["net_vacancy_rate"]),
    )
    total = hidden.frame[table["area"] == "Total"].iloc[0]
    as_of = staffing["as_of"].max().date().isoformat()
    label = roles.label(role_group)
    chart = plots.live_vacancy_by_team_chart(live, drawn, target, title_group=label, as_of=as_of)
    teams = drawn[drawn["team"] != "All teams"]
    sentence = vacancy.vacancy_sentence(total, target, label)
    figures = {
        "target": target,
        "vacancy_rate": disclosure.rate(total["vacancy_rate"]),
        "teams_above_target": int(above_target(teams["vacancy_rate"], target).sum()),
        "more_in_post_to_meet_target_fte": total["vacancy_fte"]
        if isinstance(total["vacancy_fte"], str)
        else vacancy.fte_to_meet_target(total["vacancy_fte"], total["establishment_fte"], target),
    }
    plots.describe(chart.figure, sentence)
    return WhatIf(sentence, chart.figure, figures, chart=chart)
