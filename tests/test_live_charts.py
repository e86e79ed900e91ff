"""Live what-if charts: a move updates the same figure in place (blitting) and gives the picture a
full draw would; a move the picture cannot hold builds a new chart."""

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from workforce_lib import dfe, plots, projection, widgets

ROOT = Path(__file__).resolve().parent.parent


def pixels(png: bytes) -> np.ndarray:
    import io

    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)


def there_and_back(compute, first, second):
    """Build at ``first``, move to ``second``, move back: the chart object is reused throughout
    and the picture after coming back is the first picture, pixel for pixel (nothing stale)."""
    start = compute(first, None)
    before = start.png()
    moved = compute(second, start.chart)
    after_move = moved.png()
    back = compute(first, moved.chart)
    assert moved.chart is start.chart and back.chart is start.chart
    assert not np.array_equal(pixels(after_move), pixels(before)), "the move changed nothing on the chart"
    assert np.array_equal(pixels(back.png()), pixels(before))
    return start.chart


def test_vacancy_target_moves_line_title_and_legend(sample):
    chart = there_and_back(lambda t, live: widgets.vacancy_what_if(sample.staffing, t, "caseholder", live), 0.10, 0.14)
    assert list(chart.handles["target"].get_xdata()) == [0.10, 0.10]
    assert "10 of 15 teams above the 10% target" in chart.handles["title"].get_text()  # 8 above 14%
    # A target beyond the axis limits cannot be shown on the kept picture: a new chart is built.
    far = widgets.vacancy_what_if(sample.staffing, 0.60, "caseholder", chart)
    assert far.chart is not chart and list(far.chart.handles["target"].get_xdata()) == [0.60, 0.60]


def test_turnover_bars_move_with_the_rate(sample):
    def compute(rate, live):
        return widgets.turnover_what_if(sample.staffing, sample.recruitment_plan, rate, "caseholder", live=live)

    chart = there_and_back(compute, 0.15, 0.25)
    moved = compute(0.25, chart)
    leavers = moved.chart.handles["bars"][1]
    assert leavers.get_height() == pytest.approx(moved.figures["expected_leavers"])
    assert moved.chart.handles["notes"][1].get_text() == f"{moved.figures['expected_leavers']:,.1f}"


def test_premium_reranks_names_without_a_new_chart(sample):
    def compute(premium, live):
        return widgets.premium_what_if(
            sample.pay_scales, sample.pay_supplements, "Kent", "NQSW", premium, 100.0, live=live
        )

    chart = there_and_back(compute, 0.0, 3000.0)
    top = compute(3000.0, chart)
    names = [t.get_text() for t in top.chart.handles["names"]]
    assert names[-1] == "Kent" and top.figures["rank"] == 1  # drawn bottom-up: the best payer last
    assert "Kent ranks 1 of 5" in top.chart.handles["title"].get_text()


def test_budget_and_plan_and_benchmark_update_in_place(sample):
    there_and_back(lambda s, live: widgets.budget_what_if(sample.campaign, {"Google": s}, live), 1747.0, 5000.0)
    start = projection.starting_point(sample.staffing)
    settings = projection.PlanSettings()

    def plan(rate, live):
        moved = projection.PlanSettings(**{**settings.__dict__, "turnover_rate": rate})
        return widgets.plan_what_if(start, sample.recruitment_plan, moved, "caseholder", runs=200, live=live)

    there_and_back(plan, 0.15, 0.18)
    published = dfe.load_dfe_indicators(ROOT / "data" / "dfe" / "csww_indicators_2017_to_2025.csv")
    groupings = dfe.load_neighbours(ROOT / "data" / "dfe" / "New_Statistical_Neighbour_Groupings_April_2021.csv")

    def bench(authority, live):
        return widgets.benchmark_what_if(published, groupings, authority, "turnover_rate_fte", live)

    chart = there_and_back(bench, "Kent", "Essex")
    essex = bench("Essex", chart)
    legend = [t.get_text() for t in essex.chart.handles["legend"].get_texts()]
    assert legend[1] == "Region: East of England" and legend[3] == "Essex"
    assert essex.chart.handles["title"].get_text() == "Turnover rate (FTE), Essex: 8.4% in 2025"


def test_live_chart_matches_a_full_draw_of_the_same_figure(sample):
    """The kept picture plus the moving artists is what a full draw of the figure gives (but for a
    few anti-aliased pixels where a moving artist is drawn after, not among, the others)."""
    result = widgets.vacancy_what_if(sample.staffing, 0.10, "caseholder")
    result.png()
    result = widgets.vacancy_what_if(sample.staffing, 0.12, "caseholder", result.chart)
    live_png = result.png()
    result.chart.canvas.draw()  # the whole figure, as a notebook showing result.figure draws it
    full = plots._encode_png(result.chart.canvas)
    differ = (np.abs(pixels(live_png) - pixels(full)).sum(axis=2) > 0).mean()
    assert differ < 0.001, f"{differ:.2%} of pixels differ"
