"""Vacancy: Appendix 1 of the Kent 2011 paper reproduced, and hand-computed cases."""

import pandas as pd
import pytest

from workforce_lib import vacancy

# Kent cabinet paper, 23 May 2011, Appendix 1: establishment, in post, vacancy %, agency, net %.
APPENDIX_1_AREAS = {
    ("East Kent", "caseholder"): (143.4, 118.6, 17.3, 19.5, 3.7),
    ("Mid Kent", "caseholder"): (105.4, 94.8, 10.1, 10.6, 0.0),
    ("West Kent", "caseholder"): (84.8, 67.3, 20.6, 21.8, -5.1),
    ("Disability", "caseholder"): (42.1, 38.1, 9.5, 2.0, 4.8),
    ("East Kent", "manager"): (34.5, 27.5, 20.3, 5.0, 5.8),
    ("Mid Kent", "manager"): (26.6, 26.6, 0.0, 3.0, -11.3),
    ("West Kent", "manager"): (24.4, 20.4, 16.4, 7.0, -12.3),
    ("Disability", "manager"): (13.0, 9.0, 30.8, 0.0, 30.8),
}
APPENDIX_1_TOTALS = {
    "caseholder": (375.7, 318.8, 15.1, 53.9, 0.8),
    "manager": (98.5, 83.5, 15.2, 15.0, 0.0),
}


def staffing_frame(rows, as_of="2011-03-31"):
    return pd.DataFrame(
        [
            {
                "as_of": pd.Timestamp(as_of),
                "area": a,
                "team": t,
                "role_group": g,
                "establishment_fte": e,
                "in_post_fte": i,
                "agency_fte": ag,
            }
            for a, t, g, e, i, ag in rows
        ]
    )


@pytest.mark.parametrize(("key", "expected"), sorted(APPENDIX_1_AREAS.items()))
def test_appendix_1_every_area(sample, key, expected):
    summary = vacancy.vacancy_summary(sample.staffing, by=("area", "role_group")).set_index(["area", "role_group"])
    row = summary.loc[key]
    est, in_post, rate, agency, net = expected
    assert row["establishment_fte"] == pytest.approx(est)
    assert row["in_post_fte"] == pytest.approx(in_post)
    assert row["agency_fte"] == pytest.approx(agency)
    assert row["vacancy_rate"] * 100 == pytest.approx(rate, abs=0.05 + 1e-9)
    assert row["net_vacancy_rate"] * 100 == pytest.approx(net, abs=0.05 + 1e-9)


@pytest.mark.parametrize(("group", "expected"), sorted(APPENDIX_1_TOTALS.items()))
def test_appendix_1_totals(sample, group, expected):
    """15.1% (0.8% with agency) for caseholders; 15.2% (0.0%) for managers."""
    row = vacancy.vacancy_summary(sample.staffing).set_index("role_group").loc[group]
    est, in_post, rate, agency, net = expected
    assert (row["establishment_fte"], row["in_post_fte"], row["agency_fte"]) == pytest.approx((est, in_post, agency))
    assert round(row["vacancy_rate"] * 100, 1) == rate
    assert round(row["net_vacancy_rate"] * 100, 1) == net


def test_hand_computed_rates_and_overfilled_team():
    frame = staffing_frame(
        [
            ("A", "t1", "caseholder", 20.0, 15.0, 2.0),  # 25% gross, 15% net
            ("A", "t2", "caseholder", 10.0, 12.0, 1.0),  # over-filled: -20% gross, -30% net
        ]
    )
    teams = vacancy.vacancy_summary(frame, by=("team",)).set_index("team")
    assert teams.loc["t1", "vacancy_rate"] == pytest.approx(0.25)
    assert teams.loc["t1", "net_vacancy_rate"] == pytest.approx(0.15)
    assert teams.loc["t2", "vacancy_rate"] == pytest.approx(-0.20)
    assert teams.loc["t2", "net_vacancy_rate"] == pytest.approx(-0.30)
    total = vacancy.vacancy_summary(frame, by=()).iloc[0]
    # (30 - 27) / 30 = 10%; (30 - 27 - 3) / 30 = 0%
    assert total["vacancy_rate"] == pytest.approx(0.10)
    assert total["net_vacancy_rate"] == 0.0


def test_zero_establishment_has_no_rate_rather_than_zero_or_infinity():
    frame = staffing_frame([("A", "t1", "caseholder", 0.0, 1.0, 0.0)])
    row = vacancy.vacancy_summary(frame, by=("team",)).iloc[0]
    assert pd.isna(row["vacancy_rate"]) and pd.isna(row["net_vacancy_rate"])
    assert vacancy.rag_status(pd.Series([row["vacancy_rate"]]), 0.1).iloc[0] == "no establishment"


def test_several_snapshot_dates_are_never_summed_silently():
    frame = pd.concat(
        [
            staffing_frame([("A", "t1", "caseholder", 10.0, 8.0, 1.0)], "2011-03-31"),
            staffing_frame([("A", "t1", "caseholder", 10.0, 9.0, 0.0)], "2011-04-30"),
        ]
    )
    with pytest.raises(ValueError, match="2 snapshot dates"):
        vacancy.vacancy_summary(frame)
    by_date = vacancy.vacancy_summary(frame, by=("as_of",))
    assert by_date["vacancy_rate"].tolist() == pytest.approx([0.2, 0.1])
    latest = vacancy.snapshot(frame)
    assert latest["as_of"].unique().tolist() == [pd.Timestamp("2011-04-30")]
    assert vacancy.snapshot(frame, "2011-04-15")["in_post_fte"].tolist() == [8.0]
    with pytest.raises(ValueError, match="no snapshot on or before 2011-01-01"):
        vacancy.snapshot(frame, "2011-01-01")


def test_rag_status_bands():
    rates = pd.Series([0.05, 0.10, 0.12, 0.15, 0.151, -0.2])
    assert vacancy.rag_status(rates, 0.10).tolist() == ["green", "green", "amber", "amber", "red", "green"]


def test_team_table_has_teams_area_subtotals_and_total(sample):
    table = vacancy.team_table(sample.staffing, 0.10, "caseholder")
    assert len(table) == 15 + 4 + 1
    total = table.iloc[-1]
    assert (total["area"], total["team"], total["status"]) == ("Total", "All teams", "red")
    west = table[(table["area"] == "West Kent") & (table["team"] == "All teams")].iloc[0]
    assert west["net_vacancy_rate"] * 100 == pytest.approx(-5.1, abs=0.05)
    sevenoaks = table[table["team"] == "Sevenoaks"].iloc[0]
    assert sevenoaks["vacancy_rate"] * 100 == pytest.approx(34.5, abs=0.05)  # Appendix 1 district row
    assert sevenoaks["status"] == "red"
    with pytest.raises(ValueError, match="no staffing rows for role group 'nurse'"):
        vacancy.team_table(sample.staffing, 0.10, "nurse")


def test_headline_figures(sample):
    figures = vacancy.headline_figures(sample.staffing)
    assert figures["caseholder"] == {
        "establishment_fte": 375.7,
        "in_post_fte": 318.8,
        "agency_fte": 53.9,
        "vacancy_rate": 0.151,
        "net_vacancy_rate": 0.008,
    }
    assert figures["manager"]["vacancy_rate"] == 0.152
    assert figures["manager"]["net_vacancy_rate"] == 0.0


def test_vacancy_sentence_states_gap_to_target(sample):
    row = vacancy.vacancy_summary(sample.staffing).set_index("role_group").loc["caseholder"]
    text = vacancy.vacancy_sentence(row, 0.10, "Caseholders")
    # 56.9 vacant - 10% x 375.7 = 19.33 FTE more in post meets the target.
    assert "15.1%" in text and "19.3 more FTE" in text and "0.8% stay unfilled" in text


def test_fte_to_meet_target_is_rounded_once_half_up():
    # Managers, Appendix 1: 15.0 vacant of 98.5 posts; 10% of 98.5 is 9.85, so 5.15 FTE, shown 5.2
    # (98.5 - 83.5 - 9.85 in floating point is 5.1499999999999986, which "%.1f" shows as 5.1).
    assert vacancy.fte_to_meet_target(98.5 - 83.5, 98.5, 0.10) == 5.2
    assert vacancy.fte_to_meet_target(56.9, 375.7, 0.10) == 19.3  # 56.9 - 37.57 = 19.33
    assert vacancy.fte_to_meet_target(5.0, 100.0, 0.10) == 0.0  # within the target: nothing to add
    assert vacancy.fte_to_meet_target(10.0, 100.0, 0.10) == 0.0  # exactly at it


def test_the_managers_gap_is_one_value_in_every_sentence_and_figure(sample):
    """The role-group summary and the team table's total sum FTE in different orders; the page
    (sentence by role group, the chart's sentence, figures.json) shows one value: 5.2 FTE."""
    by_group = vacancy.vacancy_summary(sample.staffing).set_index("role_group").loc["manager"]
    teams = vacancy.team_table(sample.staffing, 0.10, "manager")
    total = teams[teams["area"] == "Total"].iloc[0]
    for row in (by_group, total):
        assert "5.2 more FTE in post would meet it" in vacancy.vacancy_sentence(row, 0.10, "Managers")
    figures = vacancy.headline_figures(sample.staffing, target=0.10)
    assert figures["manager"]["more_in_post_to_meet_target_fte"] == 5.2
    assert figures["caseholder"]["more_in_post_to_meet_target_fte"] == 19.3


def test_trend_agency_rate(sample):
    trend = vacancy.trend_with_rates(sample.staffing_trend, "caseholder")
    last = trend.iloc[-1]
    # March 2011: 55.3 agency / (55.3 + 225.2) = 19.7%
    assert last["agency_rate"] == pytest.approx(55.3 / 280.5)


def test_team_chart_caps_the_number_of_teams_drawn(sample):
    from workforce_lib import plots

    table = vacancy.team_table(sample.staffing, 0.10, "caseholder")
    fig = plots.vacancy_by_team_chart(table, 0.10, title_group="Caseholders", as_of="2011-03-31", max_teams=5)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(labels) == 5 and labels[-1] == "Sevenoaks (West Kent)"  # the highest vacancy on top
    assert "10 of 15 teams above the 10% target" in ax.get_title(loc="left")
    assert any("Showing the 5 highest of 15 teams" in t.get_text() for t in fig.texts)


def test_trend_against_snapshot_says_the_trend_covers_fewer_staff(sample):
    """Kent 2011: the trend's March 2011 (Appendices 2-3) has 225.2 caseholders in post and 55.3
    agency; the snapshot (Appendix 1) 318.8 and 53.9. 225.2 / 318.8 = 70.6%, shown 71%."""
    found = vacancy.trend_against_snapshot(sample.staffing_trend, sample.staffing, "caseholder")
    assert found["month"] == pd.Timestamp("2011-03-01")
    assert (found["trend_in_post_fte"], found["trend_agency_fte"]) == (225.2, 55.3)
    assert (found["snapshot_in_post_fte"], found["snapshot_agency_fte"]) == (318.8, 53.9)
    assert found["in_post_share"] == pytest.approx(225.2 / 318.8)
    text = vacancy.trend_coverage_sentence(sample.staffing_trend, sample.staffing, "caseholder", "Caseholders")
    assert text.startswith("The trend counts fewer staff than the snapshot above: for March 2011 it has 225.2 FTE")
    assert "the snapshot of 31 March 2011 has 318.8 in post and 53.9 agency" in text
    assert "are 71% of the snapshot's (it leaves some teams out)" in text


def test_trend_coverage_when_the_trend_agrees_or_misses_the_month():
    staffing = staffing_frame([("A", "t1", "caseholder", 10.0, 8.0, 1.0)])
    same = pd.DataFrame(
        {"month": [pd.Timestamp("2011-03-01")], "role_group": ["caseholder"], "in_post_fte": [8.0], "agency_fte": [1.0]}
    )
    text = vacancy.trend_coverage_sentence(same, staffing, "caseholder", "Caseholders")
    assert text == (
        "The trend's March 2011 agrees with the snapshot of 31 March 2011: 8.0 FTE caseholders in post "
        "and 1.0 FTE agency."
    )
    earlier = same.assign(month=pd.Timestamp("2011-01-01"))
    text = vacancy.trend_coverage_sentence(earlier, staffing, "caseholder", "Caseholders")
    assert text == (
        "The trend ends in January 2011 and the snapshot above is dated 31 March 2011, so the two "
        "cannot be checked against each other."
    )


def test_fte_to_meet_target_keeps_a_suppressed_input_hidden():
    """A published pack hides an establishment of 1-4 FTE: the FTE that rests on it is hidden too."""
    assert vacancy.fte_to_meet_target(2.5, "[c]", 0.10) == "[c]"
    assert vacancy.fte_to_meet_target("[c]", 30.0, 0.10) == "[c]"
    assert vacancy.fte_to_meet_target(5.0, 30.0, 0.10) == 2.0  # 5.0 - 0.10 x 30.0
