"""Campaign metrics: Appendix 7 from the sample, hand-computed cases, zero divisions."""

import pandas as pd
import pytest

from workforce_lib import campaign


def ads(rows):
    return pd.DataFrame(
        [
            {
                "week_ending": pd.Timestamp(w),
                "channel": c,
                "advert": a,
                "visitors": v,
                "clicks": k,
                "applications": n,
                "spend_gbp": s,
            }
            for w, c, a, v, k, n, s in rows
        ]
    )


HAND = ads(
    [
        ("2011-04-13", "Google", "keywords", 100, 120, 0, 60.0),
        ("2011-04-13", "Guardian", "banner", 50, 40, 2, 400.0),
        ("2011-04-20", "Google", "keywords", 150, 180, 4, 90.0),
        ("2011-04-20", "Guardian", "banner", 50, 60, 6, 400.0),
        ("2011-04-20", "Trade press", "listing", 0, 0, 0, 100.0),
    ]
)


def test_hand_computed_channel_metrics():
    table = campaign.campaign_metrics(HAND).set_index("channel")
    google = table.loc["Google"]
    assert google["cost_per_click"] == pytest.approx(150 / 300)
    assert google["cost_per_visitor"] == pytest.approx(150 / 250)
    assert google["cost_per_application"] == pytest.approx(150 / 4)
    assert google["visitor_to_application_rate"] == pytest.approx(4 / 250)
    assert google["share_of_visitors"] == pytest.approx(250 / 350)
    assert table.loc["Guardian", "share_of_applications"] == pytest.approx(8 / 12)


def test_no_applications_is_missing_not_infinite_or_zero():
    trade = campaign.campaign_metrics(HAND).set_index("channel").loc["Trade press"]
    assert pd.isna(trade["cost_per_application"]) and pd.isna(trade["cost_per_visitor"])
    assert campaign.NO_VALUE_TEXT["cost_per_application"] == "no applications"
    ranking = campaign.channel_ranking(HAND)
    assert ranking["channel"].tolist() == ["Google", "Guardian", "Trade press"]


def test_week_on_week_and_cumulative_growth():
    weekly = campaign.weekly(HAND).set_index(["channel", "week_ending"])
    google = weekly.loc[("Google", pd.Timestamp("2011-04-20"))]
    assert google["visitors_growth"] == pytest.approx(0.5)  # 150 after 100
    assert google["cumulative_visitors_growth"] == pytest.approx(250 / 100 - 1)
    trade_first = weekly.loc[("Trade press", pd.Timestamp("2011-04-13"))]
    assert trade_first["visitors"] == 0  # absent weeks are zeros, not gaps


def test_dashboard_reproduces_appendix_7(sample):
    """Kent 2011, Appendix 7: 4,821 visitors (+20.8%), Google 59.4% at £0.61, £3.76 a click,
    £5.51 a visitor, 22 applications in the last 7 days, half from the Guardian; Guardian
    visitors +34.7%, Community Care +14.2% in the week."""
    board = campaign.dashboard(sample.campaign, "2011-04-20").set_index("channel")
    total = board.loc["All channels"]
    assert total["visitors"] == 4821
    assert round(total["cumulative_visitors_growth"] * 100, 1) == 20.8
    assert round(total["cost_per_click"], 2) == 3.76
    assert round(total["cost_per_visitor"], 2) == 5.51
    assert total["applications_week"] == 22
    assert round(board.loc["Google", "share_of_visitors"] * 100, 1) == 59.4
    assert round(board.loc["Google", "cost_per_visitor"], 2) == 0.61
    assert board.loc["Guardian", "share_of_week_applications"] == 0.5
    assert round(board.loc["Guardian", "cumulative_visitors_growth"] * 100, 1) == 34.7
    assert round(board.loc["Community Care", "cumulative_visitors_growth"] * 100, 1) == 14.2
    with pytest.raises(ValueError, match="no week ending 2011-04-21"):
        campaign.dashboard(sample.campaign, "2011-04-21")


def test_budget_what_if_diminishing_returns():
    table = campaign.budget_what_if(HAND, {"Google": 600.0}).set_index("channel")
    # Google: 4 applications for £150; four times the spend with exponent 0.5 gives 4 x 2 = 8.
    assert table.loc["Google", "expected_applications"] == pytest.approx(8.0)
    assert table.loc["Google", "expected_cost_per_application"] == pytest.approx(75.0)
    assert table.loc["Guardian", "expected_applications"] == pytest.approx(8.0)  # unchanged spend
    assert table.loc["Trade press", "expected_applications"] == 0
    linear = campaign.budget_what_if(HAND, {"Google": 600.0}, response_exponent=1.0).set_index("channel")
    assert linear.loc["Google", "expected_applications"] == pytest.approx(16.0)
    with pytest.raises(ValueError, match="no such channel"):
        campaign.budget_what_if(HAND, {"Radio": 100})
    assert "41% more" in campaign.budget_caveat()
