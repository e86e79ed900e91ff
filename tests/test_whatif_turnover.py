"""The turnover what-if: the year ahead computed without widgets; the panel starts at the static year ahead."""

import html

import pytest

from workforce_lib import plots, turnover, widgets
from workforce_lib.whatif import turnover as turnover_whatif


def test_the_panel_starts_at_the_static_year_ahead(sample):
    """02_turnover at the 15% planning assumption, from the 31 March 2011 snapshot (375.7 caseholder
    posts, 318.8 in post) and the 110 hires planned for 2011: 0.15 x 318.8 = 47.82 leavers;
    0.9 x 375.7 - 318.8 + 47.82 = 67.15 hires to reach 10%; in post a year on 318.8 - 47.82 + 110 =
    380.98, vacancy (375.7 - 380.98) / 375.7 = -1.4%."""
    static = turnover_whatif.turnover_what_if(sample.staffing, sample.recruitment_plan, 0.15, "caseholder", "", 0.10)
    assert static.figures["expected_leavers"] == pytest.approx(47.82)
    assert static.figures["hires_to_reach_target"] == pytest.approx(67.15)
    assert static.figures["vacancy_rate_next_year"] == pytest.approx((375.7 - 380.98) / 375.7, abs=1e-4)
    assert static.sentence.startswith("From the staffing snapshot of 31 March 2011: at 15.0% turnover about 47.8 of")
    assert "With the 110.0 hires planned for 2011, vacancy would go from 15.1% to -1.4%." in static.sentence
    assert static.figures == {k: round(v, 4) for k, v in turnover.year_ahead(375.7, 318.8, 0.15, 110, 0.10).items()}
    panel = widgets.turnover_panel(sample.staffing, sample.recruitment_plan, 0.15, "caseholder", "", 0.10)
    _, sentence, image = panel.children
    assert sentence.value == f"<p>{html.escape(static.sentence)}</p>"
    assert image.value == static.png()
    assert plots.alt_text(static.figure).endswith(static.sentence)
    plan = sample.recruitment_plan
    assert widgets.turnover_panel(sample.staffing, plan, 0.15, "caseholder", interactive=False) is None
