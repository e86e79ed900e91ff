"""Role titles map to role groups through role_groups.csv, then default rules; the rest is 'other' and warned about."""

import pandas as pd

from workforce_lib import load_dataset
from workforce_lib.roles import label, role_group_of, role_map, unmapped_titles, with_role_group


def test_default_rules_put_managers_before_social_workers():
    titles = pd.Series(
        [
            "Team Manager",
            "Principal Social Worker",
            "team  leader",
            "Practice Supervisor",
            "ASYE Social Worker",
            "Advanced Practitioner",
            "Senior Practitioner",
            "Consultant Social Worker",
            "NQSW",
            "Social Work Assistant",
            "Family Support Worker",
            "Business Support Officer",
        ]
    )
    assert role_group_of(titles).tolist() == [
        "manager",
        "manager",
        "manager",
        "manager",
        "caseholder",
        "caseholder",
        "caseholder",
        "caseholder",
        "caseholder",
        "other",
        "other",
        "other",
    ]


def test_role_groups_file_wins_over_the_defaults_ignoring_case_and_spaces():
    explicit = pd.DataFrame(
        {"role": ["senior  practitioner", "Business Support Officer"], "role_group": ["manager", "other"]}
    )
    mapping = role_map(["Senior Practitioner", "Business Support Officer", "Social Worker", "Therapist"], explicit)
    assert mapping.to_dict("records") == [
        {"role": "Senior Practitioner", "role_group": "manager", "mapped_by": "role_groups.csv"},
        {"role": "Business Support Officer", "role_group": "other", "mapped_by": "role_groups.csv"},
        {"role": "Social Worker", "role_group": "caseholder", "mapped_by": "default rule"},
        {"role": "Therapist", "role_group": "other", "mapped_by": "not mapped"},
    ]


def test_unmapped_titles_are_counted():
    staff = pd.DataFrame({"role": ["Therapist", "Social Worker", "Therapist", "Clinical Lead"]})
    assert unmapped_titles(staff).to_dict("records") == [
        {"role": "Therapist", "rows": 2},
        {"role": "Clinical Lead", "rows": 1},
    ]
    assert with_role_group(staff)["role_group"].tolist() == ["other", "caseholder", "other", "other"]


def test_validate_warns_of_each_unmapped_title(tmp_path):
    (tmp_path / "staff.csv").write_text(
        "staff_id,role,team,fte,start_date,leave_date,leaving_reason,entry_route\n"
        "a,Team Manager,Duty,1,2020-01-01,,,Experienced\n"
        "b,Therapist,Duty,1,2020-01-01,,,Experienced\n"
        "c,Therapist,Duty,0.5,2021-01-01,,,Experienced\n",
        encoding="utf-8",
    )
    dataset = load_dataset(tmp_path)
    assert dataset.staff["role_group"].tolist() == ["manager", "other", "other"]
    [warning] = dataset.warnings
    assert (warning.file, warning.column, warning.value) == ("staff.csv", "role", "Therapist")
    assert "2 rows counted as 'other'" in warning.expected


def test_labels():
    assert [label(g) for g in ("caseholder", "manager", "other")] == ["Caseholders", "Managers", "Other roles"]
