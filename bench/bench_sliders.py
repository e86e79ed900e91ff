"""Benchmark: every notebook's what-if panel, one control moved N times (compute + chart update
+ PNG into the Image widget, Agg backend), through the real ipywidgets callback.

Realistic size: 500 teams in staffing.csv, 36 months and 1,000 Monte Carlo runs for the plan, all
155 DfE authorities. Prints the median and worst of N moves per panel (default 50); the goal is a
median under 100 ms.
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


def time_moves(name: str, panel, control, values) -> None:
    """Move one control of a real what-if panel through ``values``; each move runs the panel's
    callback (compute, chart update, PNG into the Image widget) exactly as in JupyterLab."""
    image = panel.children[2]
    times = []
    for value in values:
        assert value != control.value, f"{name}: a move must change the value, or no callback runs"
        t = time.perf_counter()
        control.value = value
        times.append(time.perf_counter() - t)
        assert image.value, name
    print(f"  {name:40} median {statistics.median(times) * 1000:6,.0f} ms, worst {max(times) * 1000:6,.0f} ms")


def controls_of(panel) -> list:
    """The panel's controls (first child: a row of controls, or a column of sliders)."""
    return list(panel.children[0].children)


def main(moves: int = 50) -> None:
    sample = load_dataset(ROOT / "data" / "sample")
    staffing = staffing_500()
    plan = sample.recruitment_plan
    published = dfe.load_dfe_indicators(ROOT / "data" / "dfe" / "csww_indicators_2017_to_2025.csv")
    groupings = dfe.load_neighbours(ROOT / "data" / "dfe" / "New_Statistical_Neighbour_Groupings_April_2021.csv")
    rates = [float(r) for r in np.round(np.linspace(0.05, 0.30, moves), 3)]
    print(f"what-if panels, {moves} moves of one control each (compute + chart update + PNG):")
    panel = widgets.vacancy_panel(staffing, 0.10, "caseholder")
    time_moves("vacancy target (500 teams)", panel, controls_of(panel)[0], rates)
    panel = widgets.turnover_panel(staffing, plan, 0.15, "caseholder")
    time_moves("turnover rate (500 teams)", panel, controls_of(panel)[0], rates)
    start = projection.starting_point(staffing.assign(role_group=staffing["team"]))
    panel = widgets.plan_panel(start, None, projection.PlanSettings(), "Team 000", "2012-03", runs=1000)
    time_moves("workforce plan turnover (500 teams, 1,000 runs)", panel, controls_of(panel)[0], rates)
    panel = widgets.premium_panel(sample.pay_scales, sample.pay_supplements, "Kent", "NQSW", 100.0)
    time_moves("pay premium", panel, controls_of(panel)[0], [(i * 7 % 24 + 1) * 250.0 for i in range(moves)])
    panel = widgets.budget_panel(sample.campaign)
    google = next(c for c in controls_of(panel) if c.description == "Google")
    time_moves("campaign budget (Google spend)", panel, google, [round(r * 20000, -2) for r in rates])
    panel = widgets.benchmark_panel(published, groupings, "Kent", "turnover_rate_fte")
    authorities = dfe.authorities(published)
    picks = [authorities[(i * 7) % len(authorities)] for i in range(1, moves + 1)]
    time_moves("DfE benchmark authority (155 authorities)", panel, controls_of(panel)[0], picks)


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:]))
