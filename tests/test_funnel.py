"""Selection funnel: the Kent 2015 table, zero counts, offers per vacancy."""

import pandas as pd
import pytest

from workforce_lib import funnel


def test_kent_2015_funnel_conversion(sample):
    """Social workers 64 -> 19 -> 11: 29.7% shortlisted, 57.9% of shortlisted offered, 17.2% overall;
    senior practitioners 42 -> 38 -> 9; team managers 30 -> 12 -> 10."""
    table = funnel.conversion_table(sample.funnel, "all").set_index("role")
    sw = table.loc["Social Worker"]
    assert (sw["applied"], sw["shortlisted"], sw["offered"]) == (64, 19, 11)
    assert round(sw["shortlisted_of_applied"] * 100, 1) == 29.7
    assert round(sw["offered_of_shortlisted"] * 100, 1) == 57.9
    assert round(sw["offered_of_applied"] * 100, 1) == 17.2
    sp = table.loc["Senior Practitioner"]
    assert round(sp["shortlisted_of_applied"] * 100, 1) == 90.5  # 38 / 42
    assert round(sp["offered_of_shortlisted"] * 100, 1) == 23.7  # 9 / 38
    tm = table.loc["Team Manager"]
    assert round(tm["offered_of_shortlisted"] * 100, 1) == 83.3  # 10 / 12
    assert round(tm["offered_of_applied"] * 100, 1) == 33.3


def test_internal_and_external_offers(sample):
    internal = funnel.conversion_table(sample.funnel, "internal").set_index("role")
    external = funnel.conversion_table(sample.funnel, "external").set_index("role")
    assert internal.loc["Senior Practitioner", "offered_of_applied"] == pytest.approx(7 / 33)
    assert external.loc["Senior Practitioner", "offered_of_applied"] == pytest.approx(2 / 9)
    assert internal.loc["Team Manager", "offered_of_applied"] == pytest.approx(9 / 13)
    assert external.loc["Team Manager", "offered_of_applied"] == pytest.approx(1 / 17)
    assert external.loc["Social Worker", "applied"] == 52 and pd.isna(external.loc["Social Worker", "offered"])


def test_zero_counts_render_as_missing_conversion():
    frame = pd.DataFrame(
        {
            "period": "p",
            "role": "r",
            "source": "all",
            "stage": ["applied", "shortlisted", "offered"],
            "count": [0, 0, 0],
        }
    )
    conv = funnel.conversion(frame)
    assert conv["from_previous"].isna().all() and conv["from_first"].isna().all()


def test_stages_are_put_in_contract_order():
    frame = pd.DataFrame(
        {
            "period": "p",
            "role": "r",
            "source": "all",
            "stage": ["offered", "applied", "interviewed"],
            "count": [2, 10, 4],
        }
    )
    conv = funnel.conversion(frame)
    assert conv["stage"].tolist() == ["applied", "interviewed", "offered"]
    assert conv["from_previous"].tolist()[1:] == [0.4, 0.5]


def test_offers_per_vacancy_states_the_snapshot_used(sample):
    result = funnel.offers_per_vacancy(sample.funnel, sample.staffing).set_index("role")
    sw = result.loc["Social Worker"]
    assert sw["role_group"] == "caseholder"
    assert sw["vacancy_fte"] == pytest.approx(56.9)  # 375.7 - 318.8 (Appendix 1)
    assert sw["offers_per_vacancy"] == pytest.approx(11 / 56.9)
    assert result.loc["Team Manager", "offers_per_vacancy"] == pytest.approx(10 / 15.0)
    assert sw["staffing_as_of"] == pd.Timestamp("2011-03-31")
    assert sw["days_from_period_end"] == (pd.Timestamp("2015-10-31") - pd.Timestamp("2011-03-31")).days
    assert funnel.period_end("2015-04/2015-10") == pd.Timestamp("2015-10-31")
