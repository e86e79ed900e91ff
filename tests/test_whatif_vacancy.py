"""The vacancy what-if: computed without widgets; the panel at its starting position is the static page."""

import html

import pytest

from workforce_lib import plots, roles, vacancy, widgets
from workforce_lib.whatif import vacancy as vacancy_whatif


@pytest.mark.parametrize(("role_group", "gap"), [("caseholder", 19.3), ("manager", 5.2)])
def test_the_panel_starts_at_the_static_team_chart_and_table(sample, role_group, gap):
    """01_vacancy and 01_vacancy_managers: the static cells' sentences (by role group, and beside the
    team chart) and the panel at the pack's 10% target give one sentence and one FTE to the target."""
    static = vacancy_whatif.vacancy_what_if(sample.staffing, 0.10, role_group)
    by_group = vacancy.vacancy_summary(sample.staffing).set_index("role_group").loc[role_group]
    assert static.sentence == vacancy.vacancy_sentence(by_group, 0.10, roles.label(role_group))
    assert f"{gap} more FTE in post would meet it" in static.sentence
    figures = vacancy.headline_figures(sample.staffing, target=0.10)[role_group]
    assert static.figures["more_in_post_to_meet_target_fte"] == figures["more_in_post_to_meet_target_fte"] == gap
    panel = widgets.vacancy_panel(sample.staffing, 0.10, role_group)
    _, sentence, image = panel.children
    assert sentence.value == f"<p>{html.escape(static.sentence)}</p>"
    assert image.value == static.png()
    assert widgets.vacancy_panel(sample.staffing, 0.10, role_group, interactive=False) is None


def test_the_what_if_has_no_widgets_and_its_chart_says_its_sentence(sample):
    result = vacancy_whatif.vacancy_what_if(sample.staffing, 0.20, "caseholder")
    assert "within your 20% target" in result.sentence
    assert result.figures["more_in_post_to_meet_target_fte"] == 0.0
    # Above 20%: Swale (33.7 posts, 23.0 in post: 31.8%), Gravesham (27.9%), Sevenoaks (34.5%).
    assert result.figures["teams_above_target"] == 3
    assert plots.alt_text(result.figure).endswith(result.sentence)
    assert "ipywidgets" not in open(vacancy_whatif.__file__, encoding="utf-8").read()
