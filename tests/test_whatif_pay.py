"""Pay what-ifs: an extra premium is added once, costs exactly what it adds, and at £0 is the static position."""

import pytest

from workforce_lib import pay
from workforce_lib.whatif import pay as pay_whatif

ON_COSTS = 1 + 529 / 2000


def test_current_premium_is_what_pay_supplements_already_counts(sample):
    assert pay.current_premium(sample.pay_supplements, "Kent", "Experienced SW") == 3000
    assert pay.current_premium(sample.pay_supplements, "Kent", "Senior Practitioner") == 2000
    assert pay.current_premium(sample.pay_supplements, "Surrey", "Experienced SW") == 0  # "market supplement"
    assert pay.current_premium(None, "Kent", "NQSW") == 0


def test_no_extra_premium_is_the_static_position(sample):
    """The sample pack's premium what-if (Experienced SW, 198.8 eligible WTE, extra £0) says what the
    static rank table says: Kent £30,220-£35,724 middle 32,972 + £3,000 premium = £35,972, 2 of 5,
    £6,154 behind Surrey (£38,126 + £1,500 + £1,500 + £2,000 / 2 = £42,126). It once added the
    £3,000 again (£38,972, '£3,154 behind') while costing only one premium."""
    reward = pay.total_reward(sample.pay_scales, sample.pay_supplements, 2)
    static = pay.position(reward, "Kent", "middle").set_index("role").loc["Experienced SW"]
    result = pay_whatif.premium_what_if(sample.pay_scales, sample.pay_supplements, "Kent", "Experienced SW", 0.0, 198.8)
    assert static["total_reward"] == result.figures["total_reward_gbp"] == 35972
    assert static["gap_to_best_gbp"] == result.figures["gap_to_best_gbp"] == 6154
    assert result.figures["rank"] == static["rank"] == 2
    assert result.figures["annual_cost_gbp"] == 0 and result.figures["premium_in_all_gbp"] == 3000
    assert result.sentence == (
        "With no extra premium for Experienced SWs (on top of the £3,000 market premium already counted), "
        "Kent stays at rank 2 of 5 (in the quarter with the highest pay, £6,154 behind the best payer, Surrey): "
        "an added annual cost of £0 for 198.8 eligible WTE."
    )


def test_an_extra_premium_is_added_once_and_costs_what_it_adds(sample):
    none = pay_whatif.premium_what_if(sample.pay_scales, sample.pay_supplements, "Kent", "Experienced SW", 0.0, 198.8)
    more = pay_whatif.premium_what_if(
        sample.pay_scales, sample.pay_supplements, "Kent", "Experienced SW", 1000.0, 198.8
    )
    added = more.figures["total_reward_gbp"] - none.figures["total_reward_gbp"]
    assert added == 1000  # once: £36,972, £5,154 behind Surrey
    assert more.figures["total_reward_gbp"] == 36972 and more.figures["gap_to_best_gbp"] == 5154
    # The cost is what the what-if adds to each eligible post, with on-costs: 1,000 x 198.8 x 1.2645.
    assert more.figures["annual_cost_gbp"] == pytest.approx(added * 198.8 * ON_COSTS) == pytest.approx(251382.6)
    assert "extra £1,000 a year for Experienced SWs on top of the £3,000 market premium already counted" in (
        more.sentence
    )
    assert "(£4,000 a year in all)" in more.sentence and "added annual cost of £251,383" in more.sentence
    assert "26.45% on-costs" in more.sentence


def test_reckoner_lists_the_package(sample):
    result = pay_whatif.reckoner_what_if(sample.pay_scales, sample.pay_supplements, "Kent", "Experienced SW", "middle")
    assert result.figures["total_reward_gbp"] == 35972
    assert result.sentence.startswith("Kent, Experienced SW at the middle of the range: £35,972 a year")
