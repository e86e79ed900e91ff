"""Own figures on DfE's definitions from staff.csv and staffing.csv, and own beside published (reconciliation)."""

import math

import numpy as np
import pandas as pd
import pytest

from workforce_lib import dfe
from workforce_lib.census import census_measures, read_returns, reconcile, staff_measures, write_return
from workforce_lib.census import reconciliation as rc
from workforce_lib.census.from_staff import latest_census_year, staff_return_notes
from workforce_lib.census.own import own_against_published, own_rates


def staff_frame(rows):
    frame = pd.DataFrame(rows, columns=["staff_id", "role", "fte", "start_date", "leave_date", "qualified_date"])
    for c in ("start_date", "leave_date", "qualified_date"):
        frame[c] = pd.to_datetime(frame[c])
    return frame.assign(team="T", area="A")


HAND = staff_frame(
    [
        # A: promoted on 1 July 2024: a move within, neither a leaver nor a starter; one person.
        ("A", "Social Worker", 1.0, "2019-01-01", "2024-06-30", "2018-07-01"),
        ("A", "Senior Practitioner", 1.0, "2024-07-01", None, "2018-07-01"),
        ("B", "Social Worker", 0.5, "2018-05-01", "2024-03-15", "2017-07-01"),  # leaver
        ("C", "Family Support Worker", 1.0, "2018-05-01", "2024-03-15", None),  # out of scope (not a social worker)
        ("D", "Social Worker", 1.0, "2024-01-01", None, "2025-06-01"),  # not qualified by 30 Sep 2024
        ("E", "Team Manager", 1.0, "2010-01-01", None, "2001-07-01"),
        ("F", "Social Worker", 1.0, "2024-11-01", None, "2024-07-01"),  # starts after the reference date
        ("G", "Social Worker", 1.0, "2015-01-01", "2023-09-30", "2014-07-01"),  # left in the year before
        ("H", "Social Worker", 1.0, "2015-01-01", "2024-09-30", "2014-07-01"),  # leaves on 30 September: a leaver
        ("I", "Social Worker", 0.8, "2024-02-01", None, "2023-07-01"),  # a starter in the year, in post
    ]
)


def test_staff_csv_as_a_census_return_hand_computed():
    m = staff_measures(HAND, 2024)
    # In post at 30 Sep 2024: A (1.0), E (1.0), I (0.8) = 2.8 FTE, 3 people. Leavers 1 Oct 2023 - 30 Sep 2024:
    # B (0.5) and H (1.0) = 1.5 FTE, 2 people (A's promotion is a move; C is out of scope; G left before).
    assert (m["inpost_fte"], m["inpost_headcount"]) == (2.8, 3)
    assert (m["leavers_fte"], m["leavers_headcount"]) == (1.5, 2)
    assert (m["starters_fte"], m["starters_headcount"]) == (0.8, 1)  # I only; A's new role is a move
    assert m["turnover_rate_fte"] == 53.6  # 1.5 / 2.8 = 53.57% -> 53.6
    assert m["turnover_rate_headcount"] == 66.7  # 2 / 3
    assert math.isnan(m["agency_rate_fte"]) and math.isnan(m["caseload_fte"]) and math.isnan(m["absence_rate_fte"])
    assert math.isnan(m["vacancy_rate_fte"])  # no staffing.csv


def test_headcount_counts_people_not_employments():
    two_jobs = staff_frame(
        [
            ("A", "Social Worker", 0.5, "2020-01-01", None, "2019-07-01"),
            ("A", "Social Worker", 0.5, "2021-01-01", None, "2019-07-01"),  # a second part-time post
            ("B", "Social Worker", 1.0, "2020-01-01", None, "2019-07-01"),
        ]
    )
    m = staff_measures(two_jobs, 2024)
    assert (m["inpost_fte"], m["inpost_headcount"]) == (2.0, 2)


def test_nobody_leaving_is_zero_turnover_not_an_error():
    stayers = staff_frame(
        [
            ("A", "Social Worker", 1.0, "2018-01-01", None, "2017-07-01"),
            ("B", "Social Worker", 1.0, "2021-03-01", None, "2020-07-01"),  # the latest date staff.csv knows
        ]
    )
    m = staff_measures(stayers, 2024)
    assert (m["leavers_fte"], m["leavers_headcount"], m["turnover_rate_fte"]) == (0.0, 0, 0.0)
    rates = own_rates(None, stayers)  # the latest 30 September on or before 1 March 2021
    assert rates["turnover_rate_fte"]["value"] == 0.0 and rates["turnover_rate_fte"]["as_of"] == "2020-09-30"


def test_without_qualified_date_every_caseholder_and_manager_counts_and_the_note_says_so():
    no_dates = HAND.drop(columns="qualified_date")
    assert staff_measures(no_dates, 2024)["inpost_headcount"] == 4  # D is now counted
    assert "no qualified_date" in staff_return_notes(no_dates, 2024)[0]


def test_latest_census_year():
    assert latest_census_year("2015-10-15") == 2015
    assert latest_census_year("2015-09-30") == 2015
    assert latest_census_year("2015-09-29") == 2014


def test_own_turnover_on_the_sample_is_the_year_to_30_september(sample):
    """Kent sample, staff.csv ending October 2015: the census year to 30 September 2015, computed here
    independently with pandas (moves: the same staff_id starting again within 7 days)."""
    staff = sample.staff
    ref, first = pd.Timestamp("2015-09-30"), pd.Timestamp("2014-10-01")
    scope = staff[staff["role_group"].isin(["caseholder", "manager"]) & (staff["qualified_date"] <= ref)]
    in_post = scope[(scope["start_date"] <= ref) & (scope["leave_date"].isna() | (scope["leave_date"] > ref))]
    left = scope[scope["leave_date"].between(first, ref)]
    moved = [
        any(
            (other.start_date >= row.leave_date) and (other.start_date <= row.leave_date + pd.Timedelta(days=7))
            for other in scope[scope["staff_id"] == row.staff_id].itertuples()
        )
        for row in left.itertuples()
    ]
    leavers_fte = left.loc[~np.array(moved), "fte"].sum()
    expected = round(leavers_fte / in_post["fte"].sum() * 100, 1)
    assert expected == 11.2  # the figure the issue quotes for 30 Sep 2015
    rates = own_rates(sample.staffing, sample.staff)
    assert rates["turnover_rate_fte"]["value"] == pytest.approx(expected / 100)
    assert rates["turnover_rate_fte"]["as_of"] == "2015-09-30"


def test_one_vacancy_definition_over_filled_teams_offset(sample):
    # Kent Appendix 1, 31 March 2011: 74.9 FTE vacant in under-filled teams, less 3.0 FTE over
    # establishment in three manager teams = 71.9 vacant against 402.3 in post (not clipped to 74.9).
    rates = own_rates(sample.staffing, None)
    assert rates["vacancy_rate_fte"]["value"] == pytest.approx(71.9 / (71.9 + 402.3), abs=1e-6)
    assert rates["vacancy_rate_fte"]["as_of"] == "2011-03-31"
    assert math.isnan(rates["agency_rate_fte"]["value"]) and "agency cover only" in rates["agency_rate_fte"]["reason"]


def test_own_figures_beside_published(published, groupings, sample):
    table = own_against_published(published, groupings, "Kent", sample.staffing, sample.staff).set_index("key")
    assert table.loc["vacancy_rate_fte", "own"] == pytest.approx(71.9 / (71.9 + 402.3), abs=1e-6)
    assert table.loc["vacancy_rate_fte", "published"] == pytest.approx(0.144)
    assert table.loc["vacancy_rate_fte", "published_year"] == 2025
    assert table.loc["turnover_rate_fte", "own_as_of"] == "30 September 2015"
    assert table.loc["agency_rate_fte", "own_as_of"] == "not available"


def test_own_figures_from_census_returns_of_the_authority_only(published, groupings, tmp_path):
    write_return(tmp_path / "kent.xml", lea="886", year=2024, n_workers=60, seed=5)
    write_return(tmp_path / "other.xml", lea="301", year=2025, n_workers=60, seed=6)  # another authority, later
    returns = read_returns([tmp_path])
    kent = census_measures([r for r in returns if r.lea == "886"]).iloc[0]
    table = own_against_published(published, groupings, "Kent", None, None, returns=returns).set_index("key")
    assert table.loc["agency_rate_fte", "own"] == pytest.approx(kent["agency_rate_fte"] / 100)
    assert table.loc["caseload_fte", "own"] == pytest.approx(kent["caseload_fte"])
    assert table.loc["turnover_rate_fte", "own_as_of"] == "30 September 2024"
    assert table.loc["turnover_rate_fte", "own_source"] == "census return 2024"


def test_shown_formats_each_indicator_in_its_own_units():
    assert dfe.shown("turnover_rate_fte", 0.154) == "15.4%"
    assert dfe.shown("caseload_fte", 17.0) == "17.0"
    assert dfe.shown("caseload_fte", None) == "not available"
    assert dfe.shown("agency_rate_fte", "[c]") == "[c]"


# --- reconciliation -------------------------------------------------------------------------------


def published_from(own_row: pd.Series, changes: dict, statuses: dict | None = None) -> pd.DataFrame:
    """A tidy DfE indicators frame holding one published row: own values with ``changes``."""
    rows = []
    for measure in rc.MEASURE_COLUMNS:
        value = changes.get(measure, own_row[measure])
        status = (statuses or {}).get(measure, "")
        is_rate = "_rate" in measure
        rows.append(
            {
                "year": int(own_row["time_period"]),
                "level": "Local authority",
                "region_name": "South East",
                "la_code": "886",
                "la_name": "Kent",
                "area": "Kent",
                "indicator": measure,
                "value": np.nan if status else float(value) / (100 if is_rate else 1),
                "status": status,
                "status_text": dfe.STATUS_TEXT.get(status, ""),
            }
        )
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def own_kent(tmp_path_factory):
    folder = tmp_path_factory.mktemp("kent")
    write_return(folder / "kent.xml", lea="886", year=2024, n_workers=200, seed=9)  # every measure defined
    return census_measures(read_returns([folder]))


def test_reconcile_agrees_with_its_own_published_row(own_kent):
    table = reconcile(own_kent, published_from(own_kent.iloc[0], {}))
    assert len(table) == 22 and set(table["result"]) == {"agrees"}
    assert rc.summary(table).iloc[0][["compared", "agree", "differ"]].tolist() == [22, 22, 0]


def test_reconcile_names_each_difference_and_its_likely_cause(own_kent):
    row = own_kent.iloc[0]
    changes = {
        "leavers_fte": row["leavers_fte"] + 2.0,  # two more FTE leavers published
        "turnover_rate_fte": row["turnover_rate_fte"] + 0.5,
        "vacancy_fte": row["vacancy_fte"] + 0.1,  # rounding
        "inpost_headcount": row["inpost_headcount"] + 1,  # a count: any difference is a difference
    }
    table = reconcile(own_kent, published_from(row, changes, {"cases": "c"})).set_index("measure")
    assert table.loc["leavers_fte", "result"] == "differs"
    assert table.loc["leavers_fte", "difference"] == pytest.approx(-2.0)
    assert "a move within" in table.loc["leavers_fte", "cause"]
    assert table.loc["turnover_rate_fte", "cause"] == "follows from the difference in FTE leavers"
    assert table.loc["vacancy_fte", "result"] == "rounding"
    assert table.loc["inpost_headcount", "result"] == "differs"
    assert table.loc["turnover_rate_headcount", "result"] == "agrees"  # its input differs, the rate does not
    assert table.loc["cases", "result"] == "not published" and "confidential" in table.loc["cases", "cause"]
    assert table.loc["agency_fte", "result"] == "agrees"


def test_reconcile_leaves_out_years_dfe_has_not_published(own_kent, published):
    later = own_kent.assign(time_period=2026)
    assert reconcile(later, published).empty
    assert rc.unpublished_years(later, published) == [2026]


# --- the census section's tables -----------------------------------------------------------------


def test_measures_by_year_reads_as_a_committee_table(own_kent):
    from workforce_lib.census import compare
    from workforce_lib.disclosure import Disclosure

    table = compare.measures_by_year(own_kent).set_index("Measure")
    row = own_kent.iloc[0]
    assert table.loc["Turnover rate (FTE)", "2024"] == f"{row['turnover_rate_fte']:.1f}%"
    assert table.loc["Headcount in post", "2024"] == f"{row['inpost_headcount']:,}"
    small = own_kent.assign(leavers_headcount=3, leavers_fte=2.6)
    hidden = compare.measures_by_year(small, Disclosure.of(True, 5)).set_index("Measure")
    assert hidden.loc["Headcount of leavers", "2024"] == "[c]" and hidden.loc["FTE leavers", "2024"] == "[c]"
    assert hidden.loc["Turnover rate (FTE)", "2024"] == "[c]"  # rests on the hidden leavers
    assert hidden.loc["FTE vacancies", "2024"] != "[c]"  # posts, not people


def test_own_trend_and_areas_put_own_returns_beside_published(published, groupings, own_kent):
    from workforce_lib.census import compare

    trend = compare.own_trend(published, "Kent", own_kent)
    mine = trend[(trend["year"] == 2024)]
    assert mine["source"].tolist() == ["DfE published", "own return"]
    assert mine.iloc[0]["turnover_rate_fte"] == pytest.approx(0.111)  # DfE's Kent 2024
    assert mine.iloc[1]["turnover_rate_fte"] == pytest.approx(own_kent.iloc[0]["turnover_rate_fte"] / 100)
    areas = compare.own_against_areas(published, groupings, "Kent", own_kent.iloc[0]).set_index("key")
    assert areas.loc["caseload_fte", "compared_year"] == 2024
    assert areas.loc["caseload_fte", "published"] == pytest.approx(15.8)
    england = published[(published["area"] == "England") & (published["year"] == 2024)]
    expected = england.loc[england["indicator"] == "vacancy_rate_fte", "value"].iloc[0]
    assert areas.loc["vacancy_rate_fte", "england"] == pytest.approx(expected)
    later = compare.own_against_areas(published, groupings, "Kent", own_kent.iloc[0].copy().replace({2024: 2026}))
    assert later["compared_year"].iloc[0] == 2025 and later["published"].isna().all()


def test_headline_figures_and_reconciliation_words(published, own_kent):
    from workforce_lib.census import compare

    row = own_kent.iloc[0]
    checked = reconcile(own_kent, published_from(row, {"leavers_fte": row["leavers_fte"] + 2}))
    figures = compare.headline_figures(own_kent, checked)
    assert figures["census_year"] == 2024
    assert figures["turnover_rate"] == pytest.approx(own_kent.iloc[0]["turnover_rate_fte"] / 100)
    assert (figures["measures_checked_against_dfe"], figures["measures_agreeing_with_dfe"]) == (22, 21)
    sentence = rc.summary_sentence(checked, [2026])
    assert sentence.startswith("2024: 21 of 22 measures agree") and "1 differ" in sentence
    assert "DfE has not yet published 2026" in sentence
    diffs = rc.differences(checked)
    assert diffs.iloc[0]["label"] == "FTE leavers" and diffs.iloc[0]["difference"] == "−2.0"
    assert rc.measure_text("turnover_rate_fte", -0.5, signed=True) == "−0.5 points"
    assert rc.measure_text("cases", 1234.0) == "1,234"


def test_authority_returns_say_why_in_plain_words(published, tmp_path):
    from workforce_lib import NotAvailableError
    from workforce_lib.census.own import authority_returns

    with pytest.raises(NotAvailableError, match="needs your census returns"):
        authority_returns(published, [], "Kent")
    write_return(tmp_path / "a.xml", lea="886", year=2024, n_workers=20, seed=1)
    write_return(tmp_path / "b.xml", lea="865", year=2024, n_workers=20, seed=2)
    returns = read_returns([tmp_path])
    with pytest.raises(NotAvailableError, match="returns of 2 authorities"):
        authority_returns(published, returns)
    with pytest.raises(NotAvailableError, match="no return for Leeds"):
        authority_returns(published, returns, "Leeds")
    name, mine = authority_returns(published, returns[:1])
    assert name == "Kent" and [r.lea for r in mine] == ["886"]


def test_cli_reconcile_prints_each_year_and_every_difference(sample_dir, capsys):
    from workforce_lib import cli

    assert cli.main(["census", str(sample_dir / "census"), "--reconcile"]) == 0
    out = capsys.readouterr().out
    # The sample's returns are synthetic, so they differ from Kent's real 2024 row: 821 in post against 823.
    assert out.startswith("2024: 2 of 22 measures agree with DfE's published figures")
    assert "Headcount in post" in out and "821" in out and "823" in out and "−2" in out
