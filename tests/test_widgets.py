"""What-if panels: moving a control redraws through the same functions as the static cells."""

import html

import pytest

from workforce_lib import plots, turnover, vacancy, widgets


def test_vacancy_panel_updates_on_slider_and_dropdown(sample):
    panel = widgets.vacancy_panel(sample.staffing, 0.10, "caseholder")
    controls, sentence, image = panel.children
    slider, dropdown = controls.children
    assert "5.1 points above your 10% target" in sentence.value
    first_png = image.value
    slider.value = 0.20
    expected = widgets.vacancy_what_if(sample.staffing, 0.20, "caseholder").sentence
    assert sentence.value == f"<p>{expected}</p>"
    assert "within your 20% target" in sentence.value
    assert image.value != first_png
    dropdown.value = "manager"
    assert "Managers: 15.2%" in sentence.value
    assert repr(panel) == "What-if panel: vacancy target and role group"


def test_static_what_if_shows_sentence_and_chart_with_alt_text(sample):
    result = widgets.vacancy_what_if(sample.staffing, 0.10, "caseholder")
    bundle = widgets.StaticWhatIf("What if?", result)._repr_mimebundle_()
    assert "data:image/png;base64," in bundle["text/html"]
    assert "15.1% of 375.7 funded FTE posts" in bundle["text/plain"]
    # The image's alt text is plots.alt_text (the chart's title + the sentence), not "<title> chart".
    alt = plots.alt_text(result.figure)
    assert alt.endswith(result.sentence)
    assert f"<img alt='{html.escape(alt, quote=True)}' src=" in bundle["text/html"]


@pytest.mark.parametrize("panel", ["vacancy", "turnover", "budget"])
def test_static_packs_get_no_duplicate_panel(sample, panel):
    """In a static pack the static cells show the what-if's starting position; the panel adds nothing."""
    made = {
        "vacancy": lambda: widgets.vacancy_panel(sample.staffing, 0.10, "caseholder", interactive=False),
        "turnover": lambda: widgets.turnover_panel(
            sample.staffing, sample.recruitment_plan, 0.15, "caseholder", interactive=False
        ),
        "budget": lambda: widgets.budget_panel(sample.campaign, interactive=False),
    }[panel]()
    assert made is None


def test_turnover_panel_slider_gives_library_values(sample):
    panel = widgets.turnover_panel(sample.staffing, sample.recruitment_plan, 0.15, "caseholder")
    controls, sentence, _ = panel.children
    slider = controls.children[0]
    slider.value = 0.18
    expected = turnover.year_ahead(375.7, 318.8, 0.18, 110, 0.10)
    assert f"about {expected['expected_leavers']:,.1f} of the 318.8 FTE caseholders" in sentence.value
    assert f"to {expected['vacancy_rate_next_year']:.1%}." in sentence.value


def test_turnover_what_if_for_one_area_shares_out_planned_hires(sample):
    result = widgets.turnover_what_if(sample.staffing, sample.recruitment_plan, 0.15, "manager", "East Kent")
    snap = vacancy.snapshot(sample.staffing)
    managers = snap[snap["role_group"] == "manager"]
    share = 34.5 / managers["establishment_fte"].sum()  # East Kent's share of manager posts
    assert result.figures["planned_hires"] == pytest.approx(round(24 * share, 4))
    assert result.figures["establishment_fte"] == 34.5


def test_budget_panel_slider_updates_expected_applications(sample):
    panel = widgets.budget_panel(sample.campaign)
    sliders, sentence, _ = panel.children
    google = next(s for s in sliders.children if s.description == "Google")
    google.value = 4 * 1747.0
    spend = {s.description: s.value for s in sliders.children}
    expected = widgets.budget_what_if(sample.campaign, spend)
    assert sentence.value == f"<p>{html.escape(expected.sentence)}</p>"
    assert expected.figures["expected_applications"] > 22  # more Google spend, more applications


def test_premium_panel_moves_rank_and_cost(sample):
    panel = widgets.premium_panel(
        sample.pay_scales, sample.pay_supplements, "Kent", "Senior Practitioner", 100.0, premium=0.0
    )
    controls, sentence, _ = panel.children
    slider = controls.children[0]
    assert "rank 3 of 5" in sentence.value and "annual cost of £0" in sentence.value
    slider.value = 3000
    # Kent SP middle: 38,418.5 + 2,000 + 3,000 = 43,418.5; only Surrey (40,684 + 3,000 + 1,000 = 44,684) is
    # higher; Bexley's middle is 33,574.5 x 1.14 + 2,163 = 40,438. So Kent moves from 3rd to 2nd.
    expected = widgets.premium_what_if(
        sample.pay_scales, sample.pay_supplements, "Kent", "Senior Practitioner", 3000, 100.0
    )
    assert sentence.value == f"<p>{html.escape(expected.sentence)}</p>"
    assert expected.figures["annual_cost_gbp"] == pytest.approx(3000 * 100 * (1 + 529 / 2000))
    assert expected.figures["rank"] == 2


def test_benchmark_panel_switches_authority():
    from pathlib import Path

    from workforce_lib import dfe

    root = Path(__file__).resolve().parent.parent / "data" / "dfe"
    published = dfe.load_dfe_indicators(root / "csww_indicators_2017_to_2025.csv")
    groupings = dfe.load_neighbours(root / "New_Statistical_Neighbour_Groupings_April_2021.csv")
    panel = widgets.benchmark_panel(published, groupings, "Kent", "turnover_rate_fte")
    controls, sentence, _ = panel.children
    assert "Kent 15.4%" in sentence.value
    controls.children[0].value = "Medway"
    expected = widgets.benchmark_what_if(published, groupings, "Medway", "turnover_rate_fte")
    assert sentence.value == f"<p>{html.escape(expected.sentence)}</p>"
    controls.children[1].value = "caseload_fte"
    assert "Average caseload" in sentence.value and "Medway" in sentence.value


def test_plan_panel_turnover_slider_redraws_through_the_library(sample):
    from workforce_lib import projection

    start = projection.starting_point(sample.staffing, staff=sample.staff)
    panel = widgets.plan_panel(
        start, sample.recruitment_plan, projection.PlanSettings(), "caseholder", "2012-03", runs=0
    )
    controls, sentence, image = panel.children
    before = image.value
    turnover, hires = controls.children[0], controls.children[1]
    turnover.value = 0.18
    assert "To reach the target by March 2012 takes" in sentence.value
    # The solver's figure for the new turnover is the library's closed form.
    needed = projection.constant_hires_needed(375.7, 318.8, 0.18, 0.10, 12) * 12
    assert f"takes {needed:,.1f} starts a year" in sentence.value
    assert image.value != before
    hires.value = 0
    assert "the 10% vacancy target is not met within the projection (to March 2014)" in sentence.value


def test_plan_premium_and_benchmark_panels_start_at_the_static_result(sample, published, groupings):
    """The panels' first sentence is the static cell's (one function, one set of inputs); in a
    static pack they show nothing more (None), since the static cells already show that result."""
    from workforce_lib.whatif import benchmark, pay

    panel = widgets.benchmark_panel(published, groupings, "Kent", "vacancy_rate_fte")
    static = benchmark.benchmark_what_if(published, groupings, "Kent", "vacancy_rate_fte")
    assert panel.children[1].value == f"<p>{html.escape(static.sentence)}</p>"
    panel = widgets.premium_panel(sample.pay_scales, sample.pay_supplements, "Kent", "Experienced SW", 198.8)
    static = pay.premium_what_if(sample.pay_scales, sample.pay_supplements, "Kent", "Experienced SW", 0.0, 198.8)
    assert panel.children[1].value == f"<p>{html.escape(static.sentence)}</p>"
    assert widgets.benchmark_panel(published, groupings, "Kent", "vacancy_rate_fte", interactive=False) is None
    assert widgets.premium_panel(sample.pay_scales, None, "Kent", "NQSW", 1.0, interactive=False) is None
    assert widgets.reckoner_panel(sample.pay_scales, None, "Kent", "NQSW", interactive=False) is None
