"""Grades as data: the KMTP default ladder, a council's ladder file, and titles mapped or reported."""

import numpy as np
import pandas as pd
import pytest

from workforce_lib.errors import DataError
from workforce_lib.manpower.grades import (
    ASYE,
    EXPERIENCED,
    SENIOR,
    SOCIAL_WORKER,
    TEAM_MANAGER,
    assign_grades,
    grade_codes,
    kmtp_ladder,
    ladder_from_mapping,
    unmapped_titles,
)


def _staff(rows):
    frame = pd.DataFrame(rows, columns=["staff_id", "role", "start_date", "leave_date", "qualified_date"])
    for c in ("start_date", "leave_date", "qualified_date"):
        frame[c] = pd.to_datetime(frame[c])
    frame["fte"] = 1.0
    return frame


def test_default_ladder_is_the_kmtp_five_grades_in_order():
    ladder = kmtp_ladder()
    assert ladder.names == [ASYE, SOCIAL_WORKER, EXPERIENCED, SENIOR, TEAM_MANAGER]
    assert ladder.role_groups() == ["caseholder"] * 4 + ["manager"]


def test_social_worker_title_split_by_years_since_qualifying():
    ladder = kmtp_ladder()
    titles = ["Social Worker"] * 4 + ["NQSW", "Senior Social Worker", "team  LEADER", "Principal Social Worker"]
    years = [0.5, 1.0, 1.99, 2.0, 7.0, 0.3, 9.0, 20.0]
    codes = grade_codes(titles, years, ladder)
    # 0.5 y -> ASYE; 1.0 and 1.99 -> social worker; 2.0 -> experienced; an NQSW title is ASYE whatever the
    # years; "senior social worker" (longer words) beats "social worker"; case and spaces ignored.
    assert [ladder.names[c] for c in codes] == [
        ASYE,
        SOCIAL_WORKER,
        SOCIAL_WORKER,
        EXPERIENCED,
        ASYE,
        SENIOR,
        TEAM_MANAGER,
        TEAM_MANAGER,
    ]


def test_unmapped_titles_are_kept_and_reported_with_counts():
    staff = _staff(
        [
            ("a", "Social Worker", "2010-01-01", None, "2005-01-01"),
            ("b", "Service Manager", "2010-01-01", None, "2000-01-01"),
            ("c", "Service Manager", "2011-01-01", None, "2000-01-01"),
        ]
    )
    graded = assign_grades(staff, on="2012-01-01")
    assert len(graded) == 3
    assert graded["grade"].tolist() == [EXPERIENCED, None, None]
    report = unmapped_titles(staff)
    assert report.to_dict("records") == [{"role": "Service Manager", "rows": 2}]


def test_org_role_code_decides_before_the_title():
    ladder = kmtp_ladder()
    codes = grade_codes(["Social Worker", "Social Worker"], [5.0, 5.0], ladder, org_roles=[4, np.nan])
    assert [ladder.names[c] for c in codes] == [SENIOR, EXPERIENCED]


def test_council_ladder_from_a_table():
    table = pd.DataFrame(
        {
            "Grade": ["Practitioner", "Practitioner", "Lead", "Manager"],
            "order": [1, 1, 2, 3],
            "role": ["social worker", "practitioner", "lead practitioner", "team manager"],
            "role_group": ["caseholder", "", "caseholder", "manager"],
            "cost_per_fte": ["£38,000", None, 45000, 52000],
            "cap": [None, None, 24, None],
        }
    )
    ladder = ladder_from_mapping(table)
    assert ladder.names == ["Practitioner", "Lead", "Manager"]
    assert ladder.costs().tolist() == [38000.0, 45000.0, 52000.0]
    assert ladder.caps().tolist() == [np.inf, 24.0, np.inf]
    codes = grade_codes(["Lead Practitioner", "Practitioner", "Team Manager"], [3, 3, 3], ladder)
    assert codes.tolist() == [1, 0, 2]


def test_council_ladder_from_a_dict_keeps_its_order():
    ladder = ladder_from_mapping({"unskilled": [], "semi-skilled": "semi", "skilled": ["skilled"]})
    assert ladder.names == ["unskilled", "semi-skilled", "skilled"]


def test_bad_ladder_reports_every_problem_with_row_and_column():
    table = pd.DataFrame(
        {
            "grade": ["A", "B", "B", "", "C", "D"],
            "order": [1, 2, 3, 4, 1, 9],
            "role": ["x", "y", "y", "z", "x", "w"],
            "role_group": ["caseholder", "caseholder", "caseholder", "manager", "director", "manager"],
            "cost_per_fte": [1, 1, 1, 1, 1, -5],
        }
    )
    with pytest.raises(DataError) as caught:
        ladder_from_mapping(table, "grades.csv")
    found = {(p.row, p.column) for p in caught.value.problems}
    assert (7, "cost_per_fte") in found  # negative cost, row 7
    assert (4, "order") in found  # grade B given two orders
    assert (5, "grade") in found  # blank grade
    assert (6, "role_group") in found  # unknown role group
    assert any(p.column == "order" and "different order" in p.expected for p in caught.value.problems)  # A and C
    assert any(p.column == "role" and "overlaps" in p.expected for p in caught.value.problems)  # 'x' in A and C
    assert "grades.csv" in str(caught.value)


def test_ladder_needs_grade_and_order_columns():
    with pytest.raises(DataError, match="a column 'order'"):
        ladder_from_mapping(pd.DataFrame({"grade": ["A"]}))


def test_years_window_must_run_forwards():
    table = pd.DataFrame(
        {"grade": ["A"], "order": [1], "role": ["x"], "min_years_qualified": [3], "max_years_qualified": [1]}
    )
    with pytest.raises(DataError, match="min_years_qualified below max"):
        ladder_from_mapping(table)
