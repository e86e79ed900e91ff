"""Characteristics and flows of a census return, hand-computed on a hand-made file, and their suppression.

tests/data/census/characteristics_2023.xml (LEA 301, reference date 2023-09-30): LA-employed in
post are SW2000001-08 and SW2000012's second record (a move within: neither starter nor leaver),
9 people; leavers SW2000009-11; starters SW2000002, 07, 08, 11; SW2000013 is agency (caseload only).
"""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import pandas as pd
import pytest

from workforce_lib.census import characteristics as ch
from workforce_lib.census import read_return
from workforce_lib.disclosure import Disclosure

DATA = Path(__file__).resolve().parent / "data" / "census"
C = "[c]"


@pytest.fixture(scope="module")
def ret():
    return read_return(DATA / "characteristics_2023.xml")


def rows(table: pd.DataFrame) -> list[tuple]:
    return [tuple(r) for r in table.itertuples(index=False)]


def test_age_bands_at_30_september(ret):
    # 1999-10-01 is 23; 1993-09-30 turns 30 on the day; 1993-10-01 is still 29; no birth date: not known
    assert rows(ch.by_age(ret)) == [
        ("Under 30", 2, 22.2),
        ("30 to 39", 3, 33.3),
        ("40 to 49", 1, 11.1),
        ("50 to 59", 1, 11.1),
        ("60 and over", 1, 11.1),
        ("Not known", 1, 11.1),
    ]


def test_seniority_counts_the_move_within_once_under_its_current_role(ret):
    assert rows(ch.by_seniority(ret)) == [
        ("Senior manager", 1, 11.1),
        ("Middle manager", 1, 11.1),
        ("First line manager", 2, 22.2),
        ("Senior practitioner", 1, 11.1),
        ("Case holder", 3, 33.3),
        ("Qualified without cases", 1, 11.1),
        ("Not known", 0, 0.0),
    ]


def test_ethnicity_major_groups_refused_is_not_known(ret):
    assert rows(ch.by_ethnicity(ret)) == [
        ("White", 4, 44.4),
        ("Mixed or multiple ethnic groups", 1, 11.1),
        ("Asian or Asian British", 1, 11.1),
        ("Black, African, Caribbean or Black British", 1, 11.1),
        ("Any other ethnic group", 1, 11.1),  # CHNE
        ("Not known", 1, 11.1),  # REFU
    ]


def test_sex_gender_not_known_is_not_known(ret):
    assert rows(ch.by_sex(ret)) == [("Female", 7, 77.8), ("Male", 1, 11.1), ("Not known", 1, 11.1)]


def test_starters_by_origin(ret):
    table = ch.starters_by_origin(ret)
    assert table["headcount"].sum() == 4
    shown = [(o, n, s) for o, n, s in rows(table) if n]
    assert shown == [
        ("Social worker role in a different local authority in England", 1, 25.0),
        ("Social worker role outside England", 1, 25.0),
        ("Non-social care role/any role outside England/no employment/career break", 1, 25.0),
        ("Not known", 1, 25.0),  # StartOrigin 9
    ]
    assert len(table) == 9  # every origin of the code list, then Not known


def test_leavers_by_reason_and_destination(ret):
    reason = ch.leavers_by_reason(ret)
    assert [(r, n, s) for r, n, s in rows(reason) if n] == [("Resignation", 2, 66.7), ("Retired", 1, 33.3)]
    dest = ch.leavers_by_destination(ret)
    assert [(d, n, s) for d, n, s in rows(dest) if n] == [
        ("Social worker role in a different local authority in England", 1, 33.3),
        ("Agency or consultancy in social work (in England)", 1, 33.3),
        ("Not known", 1, 33.3),  # LeaverDestination 8
    ]


def test_caseload_distribution_includes_agency_case_holders(ret):
    assert rows(ch.caseload_distribution(ret)) == [
        ("1 to 9", 1, 20.0, 8.0),
        ("10 to 14", 1, 20.0, 12.0),
        ("15 to 19", 1, 20.0, 15.0),  # the agency worker
        ("20 to 24", 1, 20.0, 22.0),
        ("25 to 29", 0, 0.0, 0.0),
        ("30 and over", 1, 20.0, 31.0),
        ("Not known", 0, 0.0, 0.0),
    ]


def test_absence_bands_and_days_lost(ret):
    assert rows(ch.absence(ret)) == [
        ("No days lost", 3, 33.3, 0.0),
        ("Under 5 days", 3, 33.3, 6.5),
        ("5 to 19 days", 1, 11.1, 12.0),
        ("20 days or more", 1, 11.1, 25.0),
        ("Not known", 1, 11.1, 0.0),  # no WorkingDaysLost
    ]


def test_unknown_codes_become_not_known_never_dropped(ret):
    workers = ret.workers.copy()
    workers["org_role"] = workers["org_role"].replace({1.0: 9.0})
    workers["ethnicity"] = workers["ethnicity"].astype("object").replace({"WOTH": "ZZZZ"})
    odd = dataclasses.replace(ret, workers=workers)
    seniority = ch.by_seniority(odd).set_index("seniority")["headcount"]
    assert (seniority["Senior manager"], seniority["Not known"], seniority.sum()) == (0, 1, 9)
    ethnicity = ch.by_ethnicity(odd).set_index("ethnicity")["headcount"]
    assert (ethnicity["White"], ethnicity["Not known"], ethnicity.sum()) == (3, 2, 9)


def test_empty_group_has_no_share(ret):
    workers = ret.workers[ret.workers["end"].isna() & False]
    table = ch.by_sex(dataclasses.replace(ret, workers=workers))
    assert table["headcount"].tolist() == [0, 0, 0]
    assert all(math.isnan(s) for s in table["share"])


def test_every_characteristic_has_headcount_and_share(ret):
    tables = ch.characteristics(ret)
    assert set(tables) == set(ch.CHARACTERISTICS)
    for table in tables.values():
        assert {"headcount", "share"} <= set(table.columns)
        assert table.iloc[-1, 0] == "Not known"


# --- suppression ---------------------------------------------------------------------------


def test_primary_and_secondary_suppression_exact_cells():
    table = pd.DataFrame({"sex": ["Female", "Male", "Not known"], "headcount": [20, 6, 3], "share": [69.0, 20.7, 10.3]})
    out = ch.disclosed_characteristic(table, Disclosure.of(publish=True))
    # Not known 3 is primary; Male 6 is the next smallest, hidden so 3 = total - 20 - 6 cannot be got back
    assert out.frame.values.tolist() == [["Female", 20, 69.0], ["Male", C, C], ["Not known", C, C]]
    assert out.totals_hidden == frozenset()


def test_zero_rows_stay_shown_and_linked_columns_follow_headcount(ret):
    table = ch.caseload_distribution(ret)
    table["headcount"] = [12, 0, 2, 7, 30, 9, 0]
    out = ch.disclosed_characteristic(table, Disclosure.of(publish=True))
    hidden = out.hidden
    assert hidden.index[hidden["headcount"]].tolist() == [2, 3]  # 2 primary, 7 secondary; zeros shown
    assert (hidden["share"] == hidden["headcount"]).all() and (hidden["cases"] == hidden["headcount"]).all()
    assert out.frame.loc[2, "cases"] == C and out.frame.loc[1, "headcount"] == 0


def test_a_table_of_only_small_counts_is_all_hidden(ret):
    out = ch.disclosed_characteristic(ch.by_seniority(ret), Disclosure.of(publish=True))
    assert out.frame["headcount"].tolist() == [C, C, C, C, C, C, 0]
    assert out.frame["share"].tolist()[:6] == [C] * 6


def test_not_publishing_hides_nothing(ret):
    out = ch.disclosed_characteristic(ch.by_age(ret), Disclosure.of(publish=False))
    assert not out.hidden.any().any()
