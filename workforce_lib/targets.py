"""The one rule for "at or under target", so a sentence and the number beside it never disagree.

A rate is at or under its target when, rounded as the page shows it (a percentage to one decimal,
``f"{rate:.1%}"``), it is at or under the target rounded the same way:

    at or under  <=>  round(100 x rate, 1) <= round(100 x target, 1)

So 10.04% against a 10% target is met (the page shows "10.0%") and 10.05% is not ("10.1%").
Python's ``round`` and the ``%`` format round the same binary value the same way, so the words
("within your 10% target", "met", "green") always agree with the number shown. A missing value is
never at target, nor above it. The same rule serves ceilings (at or under the experience ceiling).
Every comparison of a rate with a target or ceiling in the workbench goes through this module.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd


def _missing(value) -> bool:
    return value is None or (isinstance(value, float | np.floating) and math.isnan(value))


def shown_percent(value):
    """A rate as the page shows it: a percentage rounded to one decimal (0.10049 -> 10.0).

    Scalars give a float (NaN for a missing value); a Series or array gives the same shape."""
    if isinstance(value, pd.Series):
        return pd.Series(shown_percent(value.to_numpy(dtype=float)), index=value.index)
    if isinstance(value, np.ndarray | list | tuple):
        flat = np.asarray(value, dtype=float)
        return np.array([np.nan if math.isnan(v) else round(v * 100, 1) for v in flat.ravel()]).reshape(flat.shape)
    return float("nan") if _missing(value) else round(float(value) * 100, 1)


def at_or_under_target(value, target):
    """True when a rate is at or under its target as the page shows it (see the module's rule).

    Both are compared as percentages rounded to one decimal (the pack's rounding for rates), so
    10.04% against a 10% target counts as met: the page shows "10.0%", and says the target is met.
    A missing value, or a missing target, is never at target. A Series or array gives a boolean
    Series or array."""
    if _missing(target):
        return (
            np.zeros(len(value), dtype=bool)
            if isinstance(value, np.ndarray | list | tuple)
            else (pd.Series(False, index=value.index) if isinstance(value, pd.Series) else False)
        )
    limit = round(float(target) * 100, 1)
    if isinstance(value, pd.Series | np.ndarray | list | tuple):
        shown = shown_percent(value)
        return (shown <= limit) & ~np.isnan(np.asarray(shown, dtype=float))
    if _missing(value):
        return False
    return shown_percent(value) <= limit


def above_target(value, target):
    """True when a rate, as shown, is above its target: known and not :func:`at_or_under_target`
    (never without a target)."""
    if _missing(target):
        return at_or_under_target(value, target)  # all False, in the value's shape
    if isinstance(value, pd.Series | np.ndarray | list | tuple):
        shown = np.asarray(shown_percent(value), dtype=float)
        above = ~np.isnan(shown) & ~np.asarray(at_or_under_target(value, target), dtype=bool)
        return pd.Series(above, index=value.index) if isinstance(value, pd.Series) else above
    return not _missing(value) and not at_or_under_target(value, target)


def target_text(target: float) -> str:
    """A target as a page writes it: whole percentages without decimals ("10%"), else one ("12.5%")."""
    shown = round(float(target) * 100, 1)
    return f"{shown:.0f}%" if shown == int(shown) else f"{shown:.1f}%"
