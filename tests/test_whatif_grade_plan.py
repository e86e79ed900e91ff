"""The grade-plan what-if: levers at their starting values leave the settings as they were, so the
panel at its starting position is the static projection and least-cost plan of 08 (sample pack settings)."""

import html

import pandas as pd
import pytest

from workforce_lib import widgets
from workforce_lib.manpower import committee
from workforce_lib.whatif import grade_plan as grade_plan_whatif


@pytest.fixture(scope="module")
def sample_plan(sample_dir):
    from workforce_lib import load_dataset

    data = load_dataset(sample_dir)
    ladder, source = committee.read_ladder(sample_dir)
    inputs = committee.grade_inputs(
        data.staff, data.staffing, ladder, pd.Timestamp("2011-03-31"), "the latest staffing.csv snapshot", source
    )
    # packs/sample.yaml: 40 NQSWs a year, 9% promoted, 30 student placements, a 15% ceiling.
    settings = committee.GradeSettings(
        nqsw_intake=40, promotion_rate=0.09, experience_ceiling=0.15, students=(30, 0.8, 0.9), runs=100
    )
    return inputs, settings


def test_levers_at_their_starting_values_leave_the_settings_alone(sample_plan):
    inputs, settings = sample_plan
    now = grade_plan_whatif.levers_now(inputs, settings)
    assert now["intake"] == 40 and now["factor"] == 1.0 and now["grade"] == "" and now["cap"] == 0.0
    assert grade_plan_whatif.moved_settings(inputs, settings, **now) == settings
    moved = grade_plan_whatif.moved_settings(inputs, settings, **{**now, "intake": 50.0, "cap": 20})
    assert moved.nqsw_intake == 50.0 and moved.caps == {"senior practitioner": 20}


def test_the_panel_starts_at_the_static_projection_and_plan(sample_plan):
    inputs, settings = sample_plan
    what = committee.what_if(inputs, settings)  # the static cells of 08
    plan = committee.best_plan(inputs, settings, what.result.rates)
    static = grade_plan_whatif.grade_plan_what_if(inputs, settings)
    assert static.sentence == f"{what.sentence} {committee.plan_sentence(plan, settings.years)}"
    assert static.figures == {**what.figures, "plan": committee.plan_figures(plan)}
    panel = widgets.grade_plan_panel(inputs, settings)
    assert panel.children[1].value == f"<p>{html.escape(static.sentence)}</p>{static.table_html}"
    assert widgets.grade_plan_panel(inputs, settings, interactive=False) is None
