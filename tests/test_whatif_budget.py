"""The budget what-if: at the spend so far it expects the applications each channel brought (the
ranking table's figures), so the panel starts where the static page is and a static pack shows no panel."""

import html

import pytest

from workforce_lib import campaign, widgets
from workforce_lib.whatif import budget as budget_whatif


def test_the_panel_starts_at_the_spend_and_applications_so_far(sample):
    ranking = campaign.channel_ranking(sample.campaign)
    spend = budget_whatif.spend_now(sample.campaign)
    assert spend["Google"] == 1747.02  # unrounded, so the ratio to the spend so far is exactly 1
    static = budget_whatif.budget_what_if(sample.campaign, spend)
    # Appendix 7 dashboard (synthetic weeks): 22 applications (Guardian 11, Google 9, Community Care 2).
    assert static.figures["expected_applications"] == ranking["applications"].sum() == 22
    assert static.figures["spend_gbp"] == pytest.approx(ranking["spend_gbp"].sum())
    assert "about 22.0 applications (22 so far)" in static.sentence
    panel = widgets.budget_panel(sample.campaign)
    sliders, sentence, _ = panel.children
    assert {s.description: s.value for s in sliders.children} == spend
    assert sentence.value == f"<p>{html.escape(static.sentence)}</p>"
    assert widgets.budget_panel(sample.campaign, interactive=False) is None
