"""Benchmark: the workforce-plan slider callback (compute + redraw) at 500 teams.

One slider move recomputes the deterministic projection for every team, 1,000 Monte Carlo runs of
36 months for every team (vectorised), and redraws the three-panel chart into the reused figure
(Agg backend). Prints the median and worst of N moves. Run: .venv/bin/python bench/bench_plan_slider.py
"""

from __future__ import annotations

import statistics
import sys
import time

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from workforce_lib import projection, widgets  # noqa: E402


def teams_start(n_teams: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    establishment = rng.uniform(15, 45, n_teams).round(1)
    in_post = (establishment * rng.uniform(0.75, 0.95, n_teams)).round(1)
    return pd.DataFrame(
        {
            "role_group": [f"Team {i:03d}" for i in range(n_teams)],
            "establishment_fte": establishment,
            "in_post_fte": in_post,
            "agency_fte": ((establishment - in_post) * 0.8).round(1),
            "under_two_years_share": rng.uniform(0.05, 0.3, n_teams),
            "as_of": pd.Timestamp("2011-03-31"),
        }
    )


def main(n_teams: int = 500, moves: int = 20, runs: int = 1000) -> None:
    start = teams_start(n_teams)
    annual = {g: {"NQSW": 3.0, "UK external": 3.0, "overseas": 1.0} for g in start["role_group"]}
    figure = Figure(figsize=(8.5, 8.0), layout="constrained")
    times = []
    for i in range(moves):
        settings = projection.PlanSettings(turnover_rate=0.10 + 0.005 * i)
        t0 = time.perf_counter()
        result = widgets.plan_what_if(start, None, settings, "Team 000", annual, "2012-03", runs=runs, figure=figure)
        result.png()
        times.append(time.perf_counter() - t0)
    print(f"plan slider callback, {n_teams} teams, {runs} Monte Carlo runs x 36 months, {moves} moves:")
    print(f"  median {statistics.median(times) * 1000:,.0f} ms, worst {max(times) * 1000:,.0f} ms")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:]))
