"""Disclosure control: primary, linked and secondary suppression on hand-made tables."""

import pandas as pd

from workforce_lib.disclosure import SUPPRESSION_MARKER as C
from workforce_lib.disclosure import Disclosure

PUBLISH = Disclosure.of(True)
DRAFT = Disclosure.of(False)


def test_threshold_never_below_dfe():
    assert Disclosure.of(True, 3).threshold == 5
    assert Disclosure.of(True, 10).threshold == 10
    assert Disclosure.of(False, 10).threshold == 0


def test_single_figures():
    assert PUBLISH.count(3) == C and PUBLISH.count(0) == 0 and PUBLISH.count(5.0) == 5
    assert PUBLISH.count(None) is None and DRAFT.count(3) == 3
    assert PUBLISH.rate(0.25, 12, 3) == C  # denominator 3 hidden
    assert PUBLISH.rate(0.1234, 12, 40) == 0.123
    assert PUBLISH.fte(2.5) == C and PUBLISH.fte(6.84) == 6.8 and PUBLISH.fte(0) == 0.0
    assert PUBLISH.words(2, "2") == "fewer than 5"
    assert PUBLISH.words(0.2, "20.0%", 2, 10) == "not published (fewer than 5 people)"
    assert PUBLISH.words(12, "12") == "12" and DRAFT.words(2, "2") == "2"


def test_primary_and_linked_rate():
    frame = pd.DataFrame({"reason": ["a", "b", "c"], "leavers": [3, 10, 0], "share": [3 / 13, 10 / 13, 0.0]})
    out = PUBLISH.table(frame, counts=["leavers"], rates={"share": ["leavers"]})
    assert out.frame["leavers"].tolist() == [C, 10, 0]
    assert out.frame["share"].tolist()[0] == C and out.frame["share"].tolist()[2] == 0.0
    assert DRAFT.table(frame, counts=["leavers"]).frame is frame


def test_secondary_by_column_total():
    # total 3 + 10 + 6 = 19 is published: 3 alone would be 19 - 10 - 6, so the next smallest (6) goes too.
    frame = pd.DataFrame({"reason": list("abcd"), "leavers": [3, 10, 6, 0]})
    out = PUBLISH.table(frame, counts=["leavers"], column_totals=["leavers"])
    assert out.frame["leavers"].tolist() == [C, 10, C, 0]
    assert not out.totals_hidden
    # two small cells protect each other: nothing more hidden
    two = PUBLISH.table(pd.DataFrame({"n": [3, 2, 10]}), counts=["n"], column_totals=["n"])
    assert two.frame["n"].tolist() == [C, C, 10]


def test_secondary_when_the_only_other_cells_are_zero():
    out = PUBLISH.table(pd.DataFrame({"n": [3, 0]}), counts=["n"], column_totals=["n"])
    assert out.frame["n"].tolist() == [C, 0] and out.totals_hidden == {"n"}


def test_difference_is_a_count():
    # 16 in post a year ago, 14 still in post: 2 left, so "still in post" and its rate are hidden.
    frame = pd.DataFrame({"group": ["x", "y"], "a": [16, 30], "b": [14, 20], "rate": [14 / 16, 20 / 30]})
    out = PUBLISH.table(frame, counts=["a", "b"], differences=[("a", "b")], rates={"rate": ["a", "b"]})
    assert out.frame["b"].tolist() == [C, 20]
    assert out.frame["rate"].tolist()[0] == C and out.frame["a"].tolist() == [16, 30]


def test_row_sum_hides_a_second_part():
    # establishment 10 = in post 7.5 + vacant 2.5: hiding the small in post... here vacant is a post, not a
    # person, but in post 3.0 hidden would be recovered as 10 - 7: the vacancy is hidden too.
    frame = pd.DataFrame({"establishment": [10.0, 20.0], "in_post": [3.0, 18.0], "vacant": [7.0, 2.0]})
    out = PUBLISH.table(frame, counts=["in_post"], sums={"establishment": ["in_post", "vacant"]})
    assert out.frame["in_post"].tolist() == [C, 18.0]
    assert out.frame["vacant"].tolist() == [C, 2.0]  # the second row's vacancy is a post, shown
    assert out.frame["establishment"].tolist() == [10.0, 20.0]


def test_secondary_cascades_across_rows_and_columns():
    # internal 3 hidden -> all = internal + external reveals it, so external hidden; then the external
    # column total (published) has one hidden cell -> the next smallest external (20) is hidden too, and
    # that row's smallest other part (internal 10) with it.
    frame = pd.DataFrame({"all": [20, 30, 40], "internal": [3, 10, 10], "external": [17, 20, 30]})
    out = PUBLISH.table(
        frame,
        counts=["all", "internal", "external"],
        sums={"all": ["internal", "external"]},
        column_totals=["external"],
    )
    hidden = out.hidden
    assert hidden["internal"].tolist() == [True, True, False]
    assert hidden["external"].tolist() == [True, True, False]
    assert hidden["all"].tolist() == [False, False, False]


def test_team_table_hides_a_second_team_in_the_area():
    from workforce_lib import vacancy

    staffing = pd.DataFrame(
        {
            "as_of": pd.Timestamp("2025-03-31"),
            "area": ["N", "N", "N", "S", "S"],
            "team": ["A", "B", "C", "A", "B"],
            "role_group": "caseholder",
            "establishment_fte": [10.0, 12.0, 20.0, 15.0, 15.0],
            "in_post_fte": [3.0, 11.0, 18.0, 14.0, 13.0],
            "agency_fte": [0.0, 0.0, 2.0, 0.0, 0.0],
        }
    )
    table = vacancy.team_table(staffing, 0.1, "caseholder")
    out = vacancy.disclosed(table, PUBLISH)
    rows = {(r.area, r.team): r for r in out.frame.itertuples()}
    # N/A has 3.0 in post: hidden with its vacancy and rates; N/B (11, the next smallest) is hidden so the
    # area total 32 does not give it away.
    assert (
        rows[("N", "A")].in_post_fte == C and rows[("N", "A")].vacancy_fte == C and rows[("N", "A")].vacancy_rate == C
    )
    assert rows[("N", "B")].in_post_fte == C
    assert rows[("N", "C")].in_post_fte == 18.0 and rows[("N", "All teams")].in_post_fte == 32.0
    # agency 2.0 in N/C is alone in its area and in the total: hidden, with the next smallest? all others 0,
    # so the area subtotal of agency is hidden instead, and then the total.
    assert rows[("N", "C")].agency_fte == C and rows[("N", "All teams")].agency_fte == C
    assert rows[("Total", "All teams")].agency_fte == C
    assert rows[("S", "A")].in_post_fte == 14.0


def test_ties_are_broken_by_label_not_row_order():
    frame = pd.DataFrame({"channel": ["b", "a", "c"], "n": [6, 6, 3]})
    one = PUBLISH.table(frame, counts=["n"], column_totals=["n"]).frame
    other = PUBLISH.table(frame.iloc[::-1], counts=["n"], column_totals=["n"]).frame
    shown = [dict(zip(t["channel"], t["n"], strict=True)) for t in (one, other)]
    assert shown[0] == shown[1] == {"a": C, "b": 6, "c": C}


def test_published_share_of_leavers_under_five_years():
    from workforce_lib import turnover

    starts = pd.to_datetime(["2024-01-01", "2023-01-01"] + ["2010-01-01"] * 4)
    staff = pd.DataFrame(
        {
            "staff_id": [f"S{i}" for i in range(6)],
            "start_date": starts,
            "leave_date": pd.Timestamp("2025-01-15"),
            "role": "Social Worker",
        }
    )
    # 2 of 6 leavers had under five years: 33.3% in a draft; hidden when published (2 is 1-4).
    assert turnover.published_share_of_leavers_under(staff, "2024-03-31", "2025-03-31", 5, DRAFT) == 0.333
    assert turnover.published_share_of_leavers_under(staff, "2024-03-31", "2025-03-31", 5, PUBLISH) == C
    assert turnover.published_share_of_leavers_under(staff, "2025-02-01", "2025-03-31", 5, PUBLISH) is None
