"""Service bands: length of service with the authority, in whole years, grouped for leaving rates.

The model tracks each person's completed years of service with the authority (0, 1, 2, ...),
capped at the lower edge of the last band (``3`` means "3 years or more" with the default bands).
Leaving rates are given per band. The default bands are the committee's "three-year cliff":
under 1 year, 1-3 years, over 3 years (Kent committee minutes; issue 18). Service runs from the
start of a career (a chain of employments linked by moves within the authority, see
:func:`workforce_lib.turnover.internal_moves`), so a promotion does not reset it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class ServiceBands:
    """Ordered bands of completed years of service: (label, from_years, to_years), the last open-ended.

    Bands must start at 0, be contiguous, have whole-year edges and end at infinity.
    """

    bands: tuple[tuple[str, float, float], ...] = (
        ("under 1 year", 0, 1),
        ("1-3 years", 1, 3),
        ("over 3 years", 3, math.inf),
    )

    def __post_init__(self):
        if not self.bands:
            raise ValueError("service bands: give at least one band")
        previous = 0.0
        for label, low, high in self.bands:
            if low != previous:
                raise ValueError(
                    f"service bands: band {label!r} starts at {low} years; expected {previous} (contiguous from 0)"
                )
            if low != int(low) or (high != math.inf and high != int(high)) or high <= low:
                raise ValueError(
                    f"service bands: band {label!r} needs whole-year edges with from < to, not {low}-{high}"
                )
            previous = high
        if previous != math.inf:
            raise ValueError("service bands: the last band must be open-ended (to_years = inf)")
        if len({b[0] for b in self.bands}) != len(self.bands):
            raise ValueError("service bands: labels must be different")

    @property
    def labels(self) -> list[str]:
        return [b[0] for b in self.bands]

    @property
    def top_year(self) -> int:
        """K: completed years are tracked 0..K, K meaning "K years or more"."""
        return int(self.bands[-1][1])

    @property
    def n_years(self) -> int:
        return self.top_year + 1

    def band_of_year(self) -> np.ndarray:
        """Band index of each tracked service year 0..K."""
        years = np.arange(self.n_years)
        lows = np.array([b[1] for b in self.bands], dtype=float)
        return np.searchsorted(lows, years, side="right") - 1

    def band_index(self, label: str) -> int:
        try:
            return self.labels.index(label)
        except ValueError:
            raise ValueError(f"unknown service band {label!r}; bands are {', '.join(self.labels)}") from None

    def year_of(self, years_of_service) -> np.ndarray:
        """Completed whole years of service, capped at K (NaN becomes 0)."""
        values = np.nan_to_num(np.asarray(years_of_service, dtype=float), nan=0.0)
        return np.clip(np.floor(values), 0, self.top_year).astype(int)


DEFAULT_BANDS = ServiceBands()
#: Williams' two bands: recruits in their first year, and everyone else.
TWO_BANDS = ServiceBands((("under 1 year", 0, 1), ("1 year or more", 1, math.inf)))
