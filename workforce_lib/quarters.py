"""Which quarter of a set of values one value falls in, in words that mean one thing everywhere.

A quarter is always named by the values themselves, never by a rank's direction: the "highest"
quarter holds the highest values (the best paid, in the pay section; the highest turnover, in the
DfE benchmark), the "lowest" quarter the lowest. Pages say "in the quarter with the highest pay"
or "in the quarter with the lowest rates"; figures.json keeps the same word under the key
``quarter_by_value`` ("highest", "second-highest", "second-lowest" or "lowest"). No page or figure
says "quartile 1", which read as the top in one section and the bottom in another.
"""

from __future__ import annotations

import math

#: The quarters from the lowest values (1) to the highest (4).
QUARTERS = {1: "lowest", 2: "second-lowest", 3: "second-highest", 4: "highest"}


def quarter_of_rank(rank_from_lowest: int, n: int) -> str:
    """The quarter of ``n`` values holding the one ranked ``rank_from_lowest`` (1 = the lowest value):
    ceil(rank / n x 4), named by :data:`QUARTERS`. Of 11: ranks 1-2 lowest, 3-5 second-lowest, 6-8
    second-highest, 9-11 highest."""
    if not 1 <= rank_from_lowest <= n:
        raise ValueError(f"rank {rank_from_lowest} is not within 1 to {n}")
    return QUARTERS[math.ceil(rank_from_lowest / n * 4)]


def quarter_of_share_below(share_below: float) -> str:
    """The quarter of a value from the share of the others it is above (its percentile among them):
    75% or more highest, 50% or more second-highest, 25% or more second-lowest, else lowest."""
    return QUARTERS[4 if share_below >= 0.75 else 3 if share_below >= 0.5 else 2 if share_below >= 0.25 else 1]


def quarter_words(quarter: str, noun: str) -> str:
    """A quarter in a sentence: "in the quarter with the highest pay", "... the lowest rates"."""
    if quarter not in QUARTERS.values():
        raise ValueError(f"{quarter!r} is not a quarter; quarters: {list(QUARTERS.values())}")
    return f"in the quarter with the {quarter} {noun}"
