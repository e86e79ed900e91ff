"""The campaign budget re-split across channels, for the budget what-if panel.

At its starting position (each channel's spend so far, :func:`spend_now`) the panel expects the
applications each channel brought: the ranking table's figures, so a static pack shows no panel.
"""

from __future__ import annotations

import pandas as pd

from .. import campaign, plots
from ..disclosure import NOT_PUBLISHED, Disclosure
from .result import WhatIf

#: What the budget panel's controls do, shown above the panel in JupyterLab (never in a static pack).
PROMPT = (
    "**What if the budget were split differently?** Move each channel's spend to see the applications it "
    "might bring. The estimate scales what each channel brought so far, with diminishing returns, so treat "
    "it as a guide, not a forecast. At their starting positions the sliders are the spend so far."
)


def spend_now(campaign_frame: pd.DataFrame) -> dict[str, float]:
    """Each channel's spend so far (£, unrounded): the budget panel's starting position."""
    observed = campaign.campaign_metrics(campaign_frame, by=("channel",))
    return dict(zip(observed["channel"], observed["spend_gbp"].astype(float), strict=True))


def budget_what_if(
    campaign_frame: pd.DataFrame,
    new_spend: dict[str, float],
    live: plots.LiveChart | None = None,
    disclosure: Disclosure = NOT_PUBLISHED,
) -> WhatIf:
    """Expected applications and cost per application if spend were re-split across channels.

    expected applications = observed applications x (new spend / observed spend) ** exponent
    (:func:`workforce_lib.campaign.budget_what_if`, a workbench convention). In a published pack a
    channel whose applications are suppressed in the ranking has no bars (its expected applications
    would give its count away) and is marked [c].
    """
    table = campaign.budget_what_if(campaign_frame, new_spend)
    spend, apps = table["new_spend_gbp"].sum(), table["expected_applications"].sum()
    if disclosure.active:
        shown = campaign.disclosed_ranking(campaign.channel_ranking(campaign_frame), disclosure)
        secret = set(shown.frame["channel"][shown.column_hidden("applications")])
        hide = table["channel"].isin(secret)
        table = table.assign(
            channel=table["channel"].where(~hide, table["channel"] + "  [c]"),
            observed_applications=table["observed_applications"].mask(hide),
            expected_applications=table["expected_applications"].mask(hide),
        )
    observed = table["observed_applications"].sum()
    cost = f"£{spend / apps:,.0f} an application" if apps > 0 else "no applications expected"
    sentence = (
        f"Spending £{spend:,.0f} split this way would be expected to bring about {apps:,.1f} applications "
        f"({observed:,.0f} so far), {cost}. {campaign.budget_caveat()}"
    )
    chart = plots.live_budget_chart(live, table, title=f"Expected applications for £{spend:,.0f} of spend")
    plots.describe(chart.figure, sentence)
    figures = {"spend_gbp": round(float(spend), 2), "expected_applications": round(float(apps), 2)}
    return WhatIf(sentence, chart.figure, figures, chart=chart)
