"""Pay: total reward by hand, Kent's Appendix 5 comparison, ranks, and the cost of proposals."""

import pandas as pd
import pytest

from workforce_lib import pay


def scales(rows):
    return pd.DataFrame(rows, columns=["authority", "role", "salary_min", "salary_max"])


def supps(rows):
    return pd.DataFrame(rows, columns=["authority", "role", "name", "amount", "basis"])


def test_total_reward_hand_computed():
    """£30,000-£34,000; £1,500 a year; 10% of basic; £2,000 golden hello over 2 years.
    Middle: 32,000 + 1,500 + 3,200 + 1,000 = 37,700."""
    reward = pay.total_reward(
        scales([("A", "SW", 30000, 34000)]),
        supps(
            [
                ("A", "SW", "premium", 1500, "annual"),
                ("A", "SW", "supplement", 0.10, "pct_of_basic"),
                ("A", "SW", "golden hello", 2000, "one_off"),
            ]
        ),
        one_off_years=2,
    ).set_index("point")
    assert reward.loc["middle", "total_reward"] == pytest.approx(37700)
    assert reward.loc["bottom", "total_reward"] == pytest.approx(30000 + 1500 + 3000 + 1000)
    assert reward.loc["top", "pct_of_basic_extras"] == pytest.approx(3400)
    assert (reward["one_off_years"] == 2).all()
    four = pay.total_reward(scales([("A", "SW", 30000, 34000)]), supps([("A", "SW", "gh", 2000, "one_off")]), 4)
    assert four.set_index("point").loc["middle", "one_off_extras_per_year"] == 500


def test_single_point_comparator_has_one_value():
    reward = pay.total_reward(scales([("B", "SW", 38126, 38126)]), None)
    assert reward["total_reward"].tolist() == [38126, 38126, 38126]


def test_kent_nqsw_against_appendix_5_neighbours(sample):
    """Kent's NQSW start of £26,422 (with the proposed £3,000 premium and £2,000 golden hello over
    2 years) against Bexley's £22,608 + 14% + £2,163, Medway's £27,849 + £963, Bromley's £29,601 +
    £1,500 + £1,000 / 2 and Surrey's £26,223 + £3,000 + £2,000 / 2, at the start of each range."""
    reward = pay.total_reward(sample.pay_scales, sample.pay_supplements, one_off_years=2)
    start = reward[(reward["role"] == "NQSW") & (reward["point"] == "bottom")].set_index("authority")["total_reward"]
    assert start["Kent"] == pytest.approx(26422 + 3000 + 1000)
    assert start["Bexley"] == pytest.approx(22608 * 1.14 + 2163)
    assert start["Medway"] == pytest.approx(27849 + 963)
    assert start["Bromley"] == pytest.approx(29601 + 1500 + 500)
    assert start["Surrey"] == pytest.approx(26223 + 3000 + 1000)
    position = pay.position(reward, "Kent", "bottom").set_index("role").loc["NQSW"]
    assert (position["rank"], position["of"], position["quarter_by_value"]) == (2, 5, "highest")
    assert position["best_payer"] == "Bromley"
    assert position["gap_to_best_gbp"] == pytest.approx(31601 - 30422)
    others = sorted([22608 * 1.14 + 2163, 27849 + 963, 31601, 30223])
    assert position["gap_to_median_gbp"] == pytest.approx((others[1] + others[2]) / 2 - 30422)


def test_rank_quarter_and_gap_to_target():
    reward = pay.total_reward(
        scales(
            [
                ("A", "SW", 30000, 30000),
                ("B", "SW", 31000, 31000),
                ("C", "SW", 32000, 32000),
                ("D", "SW", 33000, 33000),
                ("E", "SW", 34000, 34000),
            ]
        ),
        None,
    )
    row = pay.position(reward, "B", "middle", "upper quartile").iloc[0]
    # B pays more than 1 of 4 comparators (25%): in the second-lowest quarter of pay, not "quartile 3".
    assert (row["rank"], row["percentile"], row["quarter_by_value"]) == (4, 0.25, "second-lowest")
    assert pay.quarter_phrase(row["quarter_by_value"]) == "in the quarter with the second-lowest pay"
    # Comparators 30,000, 32,000, 33,000, 34,000: 75th percentile (linear) = 33,250.
    assert row["gap_to_target_gbp"] == pytest.approx(33250 - 31000)
    assert row["gap_to_best_gbp"] == 3000 and row["best_payer"] == "E"
    top = pay.position(reward, "E", "middle").iloc[0]
    assert (top["rank"], top["quarter_by_value"], top["gap_to_target_gbp"]) == (1, "highest", 0)
    assert (
        "quartile" not in top.index
        and pay.gaps_summary(pay.position(reward, "E"))["SW"]["quarter_by_value"] == "highest"
    )
    with pytest.raises(ValueError, match="'Z' is not in pay_scales.csv"):
        pay.position(reward, "Z")


def proposals(rows):
    columns = [
        "proposal",
        "scenario",
        "role_group",
        "eligible_wte",
        "amount_gbp",
        "basis",
        "base_salary_gbp",
        "on_cost_rate",
    ]
    return pd.DataFrame(rows, columns=columns)


def test_on_cost_case_95_wte():
    """95 WTE x (£2,000 + £529 on-costs) = £240,255."""
    costs = pay.cost_of_proposals(
        proposals([("premium", "s", "caseholder", 95, 2000, "annual", None, None)]), on_cost_rate=529 / 2000
    ).iloc[0]
    assert costs["recurring_gbp"] == 190000
    assert costs["on_costs_gbp"] == pytest.approx(95 * 529)
    assert costs["first_year_gbp"] == pytest.approx(240255)
    assert costs["full_year_recurring_gbp"] == pytest.approx(240255)


def test_one_off_and_row_on_cost_rate():
    costs = pay.cost_of_proposals(
        proposals(
            [
                ("gh", "s", "caseholder", 45, 2000, "one_off", None, 0.2),
                ("p", "s", "caseholder", 10, 100, "annual", None, None),
            ]
        ),
        on_cost_rate=0.3,
    )
    gh, p = costs.iloc[0], costs.iloc[1]
    assert (gh["one_off_gbp"], gh["recurring_gbp"], gh["on_costs_gbp"]) == (90000, 0, pytest.approx(18000))
    assert gh["first_year_gbp"] == pytest.approx(108000) and gh["full_year_recurring_gbp"] == 0
    assert p["on_cost_rate_used"] == 0.3 and p["first_year_gbp"] == pytest.approx(1300)


def test_kent_kr9_uplift_about_160000(sample):
    """Appendix 8: 2.5% for 248 KR9 staff costs "around £160,000" a year. Assuming the KR9 entry
    salary of £26,422: 248 x 0.025 x 26,422 = £163,816, without on-costs (as the paper's figure)."""
    costs = pay.cost_of_proposals(sample.cost_proposals).set_index("proposal")
    uplift = costs.loc["KR9 differential uplift"]
    assert uplift["recurring_gbp"] == pytest.approx(248 * 0.025 * 26422)
    assert round(uplift["recurring_gbp"], -4) == 160000
    assert uplift["on_costs_gbp"] == 0
    scenarios = pay.cost_by_scenario(pay.cost_of_proposals(sample.cost_proposals, 0.25)).set_index("scenario")
    # current establishment: uplift 163,816 + premium 198.8 x 3,000 x 1.25 = 909,316
    assert scenarios.loc["current establishment", "first_year_gbp"] == pytest.approx(163816 + 198.8 * 3000 * 1.25)


def test_package_lines_and_premium_cost(sample):
    lines = pay.package_lines(sample.pay_scales, sample.pay_supplements, "Bexley", "NQSW", "bottom")
    assert lines["per_year_gbp"].iloc[-1] == pytest.approx(22608 * 1.14 + 2163)
    assert "14% of basic pay" in lines["basis"].tolist()
    assert pay.premium_cost(3000, 100, 0.25) == 375000
