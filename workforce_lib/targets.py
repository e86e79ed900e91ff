"""The one rule for "at or under target", so a sentence and the number beside it never disagree."""

from __future__ import annotations

import math


def at_or_under_target(value: float, target: float) -> bool:
    """True when a rate is at or under its target as the page shows it.

    Both are compared as percentages rounded to one decimal (the pack's rounding for rates), so
    10.04% against a 10% target counts as met: the page shows "10.0%", and says the target is met.
    A missing value is never at target.
    """
    if value is None or target is None or (isinstance(value, float) and math.isnan(value)):
        return False
    return round(value * 100, 1) <= round(target * 100, 1)
