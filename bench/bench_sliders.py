"""Benchmark: every notebook's what-if callback (compute + matplotlib redraw to PNG, Agg backend).

Realistic size: 500 teams in staffing.csv, 36 months and 1,000 Monte Carlo runs for the plan, all
155 DfE authorities. Prints the median and worst of N moves per panel (default 50).
Run: .venv/bin/python bench/bench_sliders.py [MOVES]
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from workforce_lib import dfe, load_dataset, projection, widgets  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def staffing_500(seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(500):
        for group, size in (("caseholder", 28), ("manager", 7)):
            establishment = round(size * rng.uniform(0.7, 1.3), 1)
            in_post = round(establishment * rng.uniform(0.75, 1.0), 1)
            rows.append(
                (
                    "2011-03-31",
                    f"Area {i // 10:02d}",
                    f"Team {i:03d}",
                    group,
                    establishment,
                    in_post,
                    round(max(establishment - in_post, 0) * 0.8, 1),
                )
            )
    frame = pd.DataFrame(
        rows, columns=["as_of", "area", "team", "role_group", "establishment_fte", "in_post_fte", "agency_fte"]
    )
    frame["as_of"] = pd.to_datetime(frame["as_of"])
    return frame


def time_moves(name: str, callback, values) -> None:
    times = []
    for value in values:
        t = time.perf_counter()
        result = callback(value)
        result.png()
        times.append(time.perf_counter() - t)
    print(f"  {name:34} median {statistics.median(times) * 1000:7,.0f} ms, worst {max(times) * 1000:7,.0f} ms")


def main(moves: int = 50) -> None:
    sample = load_dataset(ROOT / "data" / "sample")
    staffing = staffing_500()
    plan = sample.recruitment_plan
    published = dfe.load_dfe_indicators(ROOT / "data" / "dfe" / "csww_indicators_2017_to_2025.csv")
    groupings = dfe.load_neighbours(ROOT / "data" / "dfe" / "New_Statistical_Neighbour_Groupings_April_2021.csv")
    rates = np.linspace(0.05, 0.30, moves)
    print(f"what-if callbacks, {moves} moves each (compute + redraw):")
    time_moves("vacancy target (500 teams)", lambda r: widgets.vacancy_what_if(staffing, r, "caseholder"), rates)
    time_moves("turnover rate (500 teams)", lambda r: widgets.turnover_what_if(staffing, plan, r, "caseholder"), rates)
    start = projection.starting_point(staffing.assign(role_group=staffing["team"]))
    annual = {g: {"NQSW": 3.0, "UK external": 3.0} for g in start["role_group"]}
    time_moves(
        "workforce plan (500 teams, 1,000 runs)",
        lambda r: widgets.plan_what_if(
            start, None, projection.PlanSettings(turnover_rate=r), "Team 000", annual, "2012-03", runs=1000
        ),
        rates,
    )
    time_moves(
        "pay premium",
        lambda r: widgets.premium_what_if(sample.pay_scales, sample.pay_supplements, "Kent", "NQSW", r * 10000, 100),
        rates,
    )
    time_moves("campaign budget", lambda r: widgets.budget_what_if(sample.campaign, {"Google": r * 10000}), rates)
    authorities = dfe.authorities(published)
    time_moves(
        "DfE benchmark (155 authorities)",
        lambda i: widgets.benchmark_what_if(
            published, groupings, authorities[int(i) % len(authorities)], "turnover_rate_fte"
        ),
        range(moves),
    )


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:]))
