"""The grade plan page's library half: the ladder file, inputs from a council's data, rates and
assumptions in plain words, published-edition suppression, and one what-if for the page and the panel."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from workforce_lib import load_dataset, widgets
from workforce_lib.disclosure import Disclosure
from workforce_lib.errors import DataError
from workforce_lib.manpower import committee
from workforce_lib.manpower.grades import kmtp_ladder, ladder_from_mapping
from workforce_lib.manpower.optimise import PlanProblem, optimise

WILTSHIRE = Path(__file__).parent / "data" / "councils" / "wiltshire"


@pytest.fixture(scope="module")
def wiltshire():
    data = load_dataset(WILTSHIRE)
    ladder, source = committee.read_ladder(WILTSHIRE)
    inputs = committee.grade_inputs(data.staff, data.staffing, ladder, pd.Timestamp("2025-03-31"), "given", source)
    return data, inputs


def test_the_default_ladder_unless_the_folder_has_grades_csv(tmp_path):
    ladder, source = committee.read_ladder(tmp_path)
    assert ladder.names == kmtp_ladder().names and "no grades.csv" in source
    (tmp_path / "grades.csv").write_text(
        'grade,order,role,cost_per_fte,cap\npractitioner,1,Social Worker,"£40,000",\nlead,2,Team Manager,,10\n',
        encoding="utf-8",
    )
    ladder, source = committee.read_ladder(tmp_path)
    assert ladder.names == ["practitioner", "lead"] and source == "your own ladder in grades.csv"
    assert ladder.grades[0].cost_per_fte == 40_000 and ladder.grades[1].cap == 10
    (tmp_path / "grades.csv").write_text("grade,order\nA,one\n", encoding="utf-8")
    with pytest.raises(DataError, match="row 2, column order"):
        committee.read_ladder(tmp_path)


def test_titles_no_rule_maps_are_listed_not_dropped():
    staff = pd.DataFrame(
        {
            "role": ["Social Worker", "Head of Service", "Head of Service"],
            "start_date": pd.to_datetime(["2020-01-01"] * 3),
            "leave_date": pd.to_datetime([None, None, "2021-01-01"]),
        }
    )
    mapping = committee.title_mapping(staff, kmtp_ladder(), "2022-01-01")
    head = mapping[mapping["role"] == "Head of Service"].iloc[0]
    assert (head["employments"], head["in_post"]) == (2, 1) and head["grade"].startswith("Not mapped")
    assert "“Head of Service”" in committee.unmapped_sentence(mapping)


def test_establishment_per_grade_keeps_each_role_groups_vacancy_rate():
    ladder = ladder_from_mapping(
        pd.DataFrame(
            {
                "grade": ["A", "B", "M"],
                "order": [1, 2, 3],
                "role": ["a", "b", "m"],
                "role_group": ["caseholder", "caseholder", "manager"],
            }
        )
    )
    stock = pd.DataFrame({"grade": ["A", "B", "M"], "staff": [30.0, 10.0, 5.0]})
    staffing = pd.DataFrame(
        {
            "as_of": pd.to_datetime(["2025-03-31"] * 2),
            "role_group": ["caseholder", "manager"],
            "establishment_fte": [50.0, 5.0],
            "in_post_fte": [40.0, 4.0],
        }
    )
    est, source = committee.establishment_by_grade(stock, ladder, staffing, "2025-03-31")
    # Caseholders 50 / 40 = 1.25: A 30 x 1.25 = 37.5, B 12.5; managers 5 / 4: M 6.25 (to one decimal).
    assert est == {"A": 37.5, "B": 12.5, "M": 6.2}
    assert "31 March 2025" in source
    est, source = committee.establishment_by_grade(stock, ladder, None, "2025-03-31")
    assert est == {"A": 30.0, "B": 10.0, "M": 5.0} and "no staffing.csv" in source


def test_recruits_a_year_count_careers_not_internal_moves():
    staff = pd.DataFrame(
        {
            "staff_id": ["1", "2", "2", "3"],
            "role": ["Social Worker", "Social Worker", "Senior Practitioner", "Team Manager"],
            "start_date": pd.to_datetime(["2021-01-01", "2022-01-01", "2023-01-02", "2019-01-01"]),
            "leave_date": pd.to_datetime([None, "2023-01-01", None, None]),
            "qualified_date": pd.to_datetime(["2020-12-01", "2015-01-01", "2015-01-01", "2000-01-01"]),
            "fte": 1.0,
        }
    )
    got = committee.observed_starts(staff, kmtp_ladder(), pd.Timestamp("2020-01-01"), pd.Timestamp("2025-01-01"))
    # Two careers start in the five years: one newly qualified, one experienced (the promotion is a move).
    assert got == {
        "newly qualified (ASYE)": 0.2,
        "social worker": 0.0,
        "experienced social worker": 0.2,
        "senior practitioner": 0.0,
        "team manager": 0.0,
    }


def test_rates_read_as_percentages_with_intervals_and_hide_small_counts_with_their_row(wiltshire):
    _, inputs = wiltshire
    shown = committee.rates_for_committee(inputs.estimates)
    asye = shown[shown["grade"] == "Newly qualified (ASYE)"].iloc[0]
    # 21 of 25 person-years moved on: 84.0%, Clopper-Pearson 63.9% to 95.5%.
    assert asye["promote"] == "84.0% (63.9–95.5%)"
    assert shown["promote"].iloc[-1] == "top grade"
    published = committee.rates_for_committee(inputs.estimates, Disclosure.of(True))
    row = published[published["grade"] == "Newly qualified (ASYE)"].iloc[0]
    # 1 stayed and 3 left: both hidden, and the 84.0% with them (it would give the rest away).
    assert (row["stay"], row["promote"], row["leave"]) == ("[c]", "[c]", "[c]")
    headline = committee.headline_rates(inputs.estimates, Disclosure.of(True))
    assert headline["social worker"] == {"promotion_rate": "[c]", "leaving_rate": "[c]"}


def test_no_promotion_seen_is_said_plainly():
    data = load_dataset(Path(__file__).parent.parent / "data" / "sample")
    ladder = kmtp_ladder()
    inputs = committee.grade_inputs(data.staff, data.staffing, ladder, pd.Timestamp("2011-03-31"))
    notes = " ".join(committee.rates_notes(inputs.estimates, ladder, inputs.by_years, promotion_set=True))
    assert "No promotion out of experienced social worker or senior practitioner was seen" in notes
    assert "use the promotion rate set for this pack" in notes


def test_the_static_page_and_the_panel_show_the_same_figures(wiltshire):
    _, inputs = wiltshire
    settings = committee.GradeSettings(nqsw_intake=10, promotion_rate=0.09, runs=100)
    what = committee.what_if(inputs, settings)
    plan = committee.best_plan(inputs, settings, what.result.rates)
    static = widgets.grade_plan_what_if(inputs, settings)
    assert static.sentence == f"{what.sentence} {committee.plan_sentence(plan, 3)}"
    panel = widgets.grade_plan_panel(inputs, settings, interactive=True)
    assert what.sentence.replace("'", "&#x27;") in panel.children[1].value
    assert widgets.grade_plan_panel(inputs, settings, interactive=False) is None  # the static cells show it
    assert "senior practitioners at the end of year 3" in what.sentence
    assert what.figures["in_post_at_the_end_fte"] == pytest.approx(
        what.table.query("year == 3 and grade == 'senior practitioner'")["in_post"].iloc[0], abs=0.05
    )


def test_assumptions_name_every_source(wiltshire):
    _, inputs = wiltshire
    table = committee.assumptions_table(inputs, committee.resolve(inputs, committee.GradeSettings(promotion_rate=0.09)))
    by = dict(zip(table["assumption"], table["source"], strict=True))
    assert by["Promotion a year"] == "set for this pack"
    assert by["Recruits a year as newly qualified (ASYE)"].startswith("the average a year who started")
    assert "staffing.csv on 31 March 2025" in by["Establishment (FTE)"]
    published = committee.assumptions_table(
        inputs, committee.resolve(inputs, committee.GradeSettings()), Disclosure.of(True)
    )
    # Wiltshire's 3 promotions from experienced social worker to senior practitioner: the rate is hidden.
    assert "experienced social worker [c]" in published.set_index("assumption").at["Promotion a year", "value"]


def test_recentred_counts_follow_the_what_if_rates(wiltshire):
    _, inputs = wiltshire
    moved = inputs.rates.with_promotion({"experienced social worker": 0.2})
    again = committee.recentred(moved)
    g = inputs.ladder.index("experienced social worker")
    assert again.move_events[g, g + 1] / again.move_exposure[g] == pytest.approx(0.2)
    assert np.allclose(again.leave_events, inputs.rates.leave_events)


def test_binding_caps_in_words():
    ladder = ladder_from_mapping({"A": ["practitioner"], "B": ["lead"]})
    problem = PlanProblem(
        ladder=ladder,
        start={"A": 100, "B": 50},
        establishment={"A": 100, "B": 60},
        leaving={"A": 0.1, "B": 0.1},
        recruitment=pd.DataFrame({"grade": ["A"], "source": ["newly qualified"], "max_per_year": [500]}),
        moves=pd.DataFrame({"from_grade": ["A"], "to_grade": ["B"], "max_per_year": [5]}),
        grade_costs=pd.DataFrame({"grade": ["A", "B"], "cost_per_fte": [30_000, 40_000], "over_cost": [0, 0]}),
        agency_cost_per_fte=55_000,
        years=2,
    )
    plan = optimise(problem)
    words = committee.binding_sentences(plan)
    assert any(w.startswith("Promotion from A to B is at its limit of 5.0 a year in years 1 to 2") for w in words)
    assert committee.binding_sentences(plan, {"A"})[0].startswith(
        "Promotion from A to B is at its limit (the estimated promotion rate)"
    )
    assert committee.plan_sentence(plan, 2).startswith("The least-cost plan that covers every grade's establishment")


def test_nobody_in_post_is_not_available_not_a_failure():
    data = load_dataset(Path(__file__).parent / "data" / "councils" / "everybody_left")
    from workforce_lib.errors import NotAvailableError

    with pytest.raises(NotAvailableError, match="Not available: nobody in post on 31 March 2025"):
        committee.grade_inputs(data.staff, data.staffing, kmtp_ladder(), pd.Timestamp("2025-03-31"))
