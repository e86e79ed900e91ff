"""One rule for "at or under target": the rate as shown (a percentage to one decimal) against the target."""

import numpy as np
import pandas as pd
import pytest

from workforce_lib import projection, targets, vacancy


def test_rule_compares_the_rate_as_shown():
    assert targets.at_or_under_target(0.10, 0.10)
    assert targets.at_or_under_target(0.10049, 0.10)  # shown 10.0%: within
    assert not targets.at_or_under_target(0.1005, 0.10)  # shown 10.1% (f"{0.1005:.1%}")
    assert f"{0.1005:.1%}" == "10.1%" and f"{0.10049:.1%}" == "10.0%"
    assert not targets.at_or_under_target(float("nan"), 0.10) and not targets.above_target(float("nan"), 0.10)
    assert targets.above_target(0.1006, 0.10) and not targets.above_target(0.0999, 0.10)
    assert targets.shown_percent(0.123456) == 12.3


def test_rule_on_series_and_arrays():
    rates = pd.Series([0.09, 0.10049, 0.1006, np.nan], index=list("abcd"))
    assert targets.at_or_under_target(rates, 0.10).tolist() == [True, True, False, False]
    assert targets.above_target(rates, 0.10).tolist() == [False, False, True, False]
    assert list(targets.above_target(rates, 0.10).index) == list("abcd")
    assert targets.at_or_under_target(np.array([0.2, 0.125]), 0.125).tolist() == [False, True]


def test_target_text():
    assert targets.target_text(0.10) == "10%" and targets.target_text(0.125) == "12.5%"


def test_every_page_uses_the_rule(sample):
    """A rate shown as 10.0% is within a 10% target in the vacancy sentence, its RAG status and the
    plan's verdict; shown as 10.1% it is above in all three."""
    row = pd.Series(
        {
            "vacancy_rate": 0.10049,
            "net_vacancy_rate": 0.0,
            "vacancy_fte": 10.049,
            "establishment_fte": 100.0,
            "agency_fte": 0.0,
        }
    )
    assert "within your 10% target" in vacancy.vacancy_sentence(row, 0.10, "Caseholders")
    above = row.copy()
    above["vacancy_rate"], above["vacancy_fte"] = 0.1006, 10.06
    assert "0.1 points above your 10% target" in vacancy.vacancy_sentence(above, 0.10, "Caseholders")
    assert vacancy.rag_status(pd.Series([0.10049, 0.1006, 0.15, 0.1506]), 0.10).tolist() == [
        "green",
        "amber",
        "amber",
        "red",
    ]
    months = pd.date_range("2020-01-31", periods=2, freq="ME")
    assert projection.target_held(months, [0.12, 0.10049], 0.10).held_from == months[1]
    assert projection.target_held(months, [0.12, 0.1006], 0.10).held_from is None


@pytest.mark.parametrize("value", [None, float("nan")])
def test_without_a_target_nothing_is_within_it(value):
    assert not targets.at_or_under_target(0.1, value)
    assert targets.at_or_under_target(pd.Series([0.1]), value).tolist() == [False]
    assert not targets.above_target(0.1, value)
