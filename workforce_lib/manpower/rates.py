"""The Markov model's yearly transition probabilities, by grade and service band.

For someone in grade g in service band b at the start of a year, within the year:

* leave with probability ``leave[g, b]``;
* move to grade j (j != g: a promotion when j = g + 1) with probability ``move[g, j]``;
* otherwise stay in g; stay = 1 - leave[g, b] - sum_j move[g, j].

Moves are per grade (not per band): the data rarely support more. If leave + moves exceed 1 in a
band, the moves there are scaled down to 1 - leave (so nobody is counted twice). This is the
Markov (push) manpower model of Bartholomew, Forbes & McClean (1991, ch. 4) with service bands
as extra states. The counts behind each estimated rate are kept for the Monte Carlo band, whose
draws come from Jeffreys Beta posteriors, Beta(x + 1/2, n - x + 1/2), and for moves a Dirichlet
with the same prior (its marginals are those Betas).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from ..errors import DataError, Problem
from .bands import DEFAULT_BANDS, ServiceBands
from .grades import GradeLadder


@dataclass(frozen=True)
class ManpowerRates:
    """Yearly probabilities: ``leave`` [grade, band], ``move`` [grade, grade] (zero diagonal); the
    optional counts (events and people-years) they were estimated from."""

    ladder: GradeLadder
    leave: np.ndarray
    move: np.ndarray
    bands: ServiceBands = DEFAULT_BANDS
    leave_events: np.ndarray | None = None
    leave_exposure: np.ndarray | None = None
    move_events: np.ndarray | None = None
    move_exposure: np.ndarray | None = None

    def __post_init__(self):
        G, B = len(self.ladder), len(self.bands.labels)
        if self.leave.shape != (G, B) or self.move.shape != (G, G):
            raise ValueError(f"rates need leave of shape {(G, B)} and move of shape {(G, G)}")
        if (self.leave < 0).any() or (self.leave > 1).any() or (self.move < 0).any() or (self.move > 1).any():
            raise ValueError("rates must be fractions from 0 to 1")

    def by_year(self) -> tuple[np.ndarray, np.ndarray]:
        """(leave [G, K+1], move [G, G, K+1]) by tracked service year, moves scaled where needed."""
        return year_rates(self.leave, self.move, self.bands)

    def with_promotion(self, rate: float | Mapping[str, float]) -> ManpowerRates:
        """The same rates with the promotion rate (to the grade above) set for every grade, or for
        the grades named in a dict."""
        move = self.move.copy()
        G = len(self.ladder)
        targets = (
            {g: rate for g in range(G - 1)}
            if not isinstance(rate, Mapping)
            else {self.ladder.index(k): v for k, v in rate.items()}
        )
        for g, value in targets.items():
            if not 0 <= value <= 1:
                raise ValueError(f"promotion rate for {self.ladder.names[g]} must be from 0 to 1, not {value}")
            if g < G - 1:
                move[g, g + 1] = value
        return replace(self, move=move)

    def with_leaving(self, leave: float | Mapping) -> ManpowerRates:
        """The same rates with leaving replaced: a number for all, or {grade: rate} or
        {(grade, band): rate}; a number per grade sets every band of that grade."""
        table = self.leave.copy()
        if not isinstance(leave, Mapping):
            table[:] = leave
        else:
            for key, value in leave.items():
                if isinstance(key, tuple):
                    table[self.ladder.index(key[0]), self.bands.band_index(key[1])] = value
                else:
                    table[self.ladder.index(key), :] = value
        return replace(self, leave=table)


def year_rates(leave: np.ndarray, move: np.ndarray, bands: ServiceBands) -> tuple[np.ndarray, np.ndarray]:
    """Expand band rates to tracked service years; scale moves so leave + moves <= 1 (works on a
    leading axis of Monte Carlo runs too: leave [..., G, B], move [..., G, G])."""
    by_year = bands.band_of_year()
    q = leave[..., by_year]  # [..., G, K+1]
    total_move = move.sum(axis=-1)[..., None]  # [..., G, 1]
    room = 1 - q
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = np.where(total_move > room, room / np.where(total_move > 0, total_move, 1), 1.0)
    m = move[..., :, :, None] * scale[..., :, None, :]  # [..., G, G, K+1]
    return q, m


def _per_grade(values, ladder: GradeLadder, what: str, filename: str) -> np.ndarray:
    out = np.zeros(len(ladder))
    if values is None:
        return out
    if not isinstance(values, Mapping):
        out[:] = float(values)
        return out
    problems = []
    for key, value in values.items():
        try:
            out[ladder.index(key)] = float(value)
        except ValueError:
            problems.append(
                Problem(filename, None, "grade", str(key), f"a grade of the ladder ({', '.join(ladder.names)})")
            )
    if problems:
        raise DataError(problems)
    return out


def make_rates(
    ladder: GradeLadder,
    leave: float | Mapping = 0.0,
    promote: float | Mapping = 0.0,
    moves: Mapping[tuple[str, str], float] | None = None,
    bands: ServiceBands = DEFAULT_BANDS,
) -> ManpowerRates:
    """Rates by hand: ``leave`` a number, {grade: rate} or {(grade, band): rate}; ``promote`` a
    number for every grade below the top or {grade: rate}; ``moves`` {(from, to): rate}."""
    G = len(ladder)
    base = ManpowerRates(ladder, np.zeros((G, len(bands.labels))), np.zeros((G, G)), bands)
    rates = base.with_leaving(leave)
    promote_values = _per_grade(promote, ladder, "promotion rate", "promotion rates")
    move = rates.move.copy()
    for g in range(G - 1):
        move[g, g + 1] = promote_values[g]
    for (a, b), value in (moves or {}).items():
        i, j = ladder.index(a), ladder.index(b)
        if i == j:
            raise ValueError(f"a move needs two different grades, not {a!r} to itself")
        move[i, j] = value
    return replace(rates, move=move)


def rates_from_estimate(rates: pd.DataFrame, ladder: GradeLadder, bands: ServiceBands = DEFAULT_BANDS) -> ManpowerRates:
    """Model rates from :func:`workforce_lib.manpower.estimate.transition_rates`, counts kept.

    A band with no people-years in a grade takes the grade's overall leaving rate.
    """
    G, B = len(ladder), len(bands.labels)
    leave, leave_x, leave_n = np.zeros((G, B)), np.zeros((G, B)), np.zeros((G, B))
    move, move_x, move_n = np.zeros((G, G)), np.zeros((G, G)), np.zeros(G)
    for g, name in enumerate(ladder.names):
        part = rates[rates["grade"] == name]
        if part.empty:
            raise DataError([Problem("transition rates", None, "grade", name, "a row for every grade of the ladder")])
        overall = part[(part["measure"] == "leave") & (part["band"] == "all")].iloc[0]
        move_n[g] = overall["people_years"]
        for b, label in enumerate(bands.labels):
            row = part[(part["measure"] == "leave") & (part["band"] == label)]
            if len(row) and row.iloc[0]["people_years"] > 0:
                leave[g, b] = row.iloc[0]["rate"]
                leave_x[g, b], leave_n[g, b] = row.iloc[0]["events"], row.iloc[0]["people_years"]
            else:
                leave[g, b] = 0.0 if np.isnan(overall["rate"]) else overall["rate"]
                leave_x[g, b], leave_n[g, b] = overall["events"], overall["people_years"]
        if g < G - 1:
            promote = part[part["measure"] == "promote"].iloc[0]
            move[g, g + 1] = 0.0 if np.isnan(promote["rate"]) else promote["rate"]
            move_x[g, g + 1] = promote["events"]
        for row in part[part["measure"] == "move to"].itertuples(index=False):
            j = ladder.index(row.to_grade)
            move[g, j] = row.rate
            move_x[g, j] = row.events
    return ManpowerRates(ladder, leave, move, bands, leave_x, leave_n, move_x, move_n)


def draw_rates(rates: ManpowerRates, runs: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Monte Carlo draws (leave [runs, G, B], move [runs, G, G]) from Jeffreys posteriors of the
    counts; rates given without counts are held fixed."""
    G, B = rates.leave.shape
    leave = np.broadcast_to(rates.leave, (runs, G, B)).copy()
    move = np.broadcast_to(rates.move, (runs, G, G)).copy()
    if rates.leave_events is not None and rates.leave_exposure is not None:
        x, n = rates.leave_events, rates.leave_exposure
        has = n > 0
        draws = rng.beta(np.where(has, x + 0.5, 1), np.where(has, n - x + 0.5, 1), size=(runs, G, B))
        leave = np.where(has[None], draws, leave)
    if rates.move_events is not None and rates.move_exposure is not None:
        for g in range(G):
            n = rates.move_exposure[g]
            if n <= 0:
                continue
            x = rates.move_events[g]
            # Destinations: the grade above, and any move seen or given; never a move nobody made.
            to = np.flatnonzero((x > 0) | (rates.move[g] > 0) | (np.arange(G) == g + 1))
            to = to[to != g]
            if to.size == 0:
                continue
            alpha = np.append(x[to] + 0.5, max(n - x[to].sum(), 0) + 0.5)
            move[:, g, to] = rng.dirichlet(alpha, size=runs)[:, : to.size]
    return leave, move
