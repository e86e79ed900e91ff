"""Benchmark: a million-employment staff.csv, loaded and analysed.

Prints, in one run: the bare floor (the faster of pandas' C and pyarrow engines reading the file
with no options), the workbench's load + validation, and 12-month rolling turnover by month and
team, with the ratio to the floor and each step's peak memory (each step in its own process;
imports are timed apart: a notebook pays them once a session).
Run: .venv/bin/python bench/bench_load.py [N_EMPLOYMENTS]
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STEP = r"""
import json, resource, sys, time
import pandas as pd
path, step = sys.argv[1], sys.argv[2]
imported = None
if step == "pyarrow":
    import pyarrow  # pandas imports it on first use: not part of reading
elif step == "workbench":
    t = time.perf_counter()
    from workforce_lib.data import load_staff  # once a session (pandera, the schemas)
    from workforce_lib.turnover import rolling_turnover
    imported = time.perf_counter() - t
t = time.perf_counter()
if step in ("c", "pyarrow"):
    pd.read_csv(path, engine=step)
else:
    staff = load_staff(path)
    loaded = time.perf_counter() - t
    rolling_turnover(staff, staff["leave_date"].max(), n_months=12, by=["team"])
def peak_mb():
    # VmHWM is this process's own high-water mark; ru_maxrss survives exec and would report the
    # benchmark parent's peak (it holds the generated million rows) instead.
    try:
        with open("/proc/self/status") as status:
            return next(int(l.split()[1]) for l in status if l.startswith("VmHWM")) / 1024
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": time.perf_counter() - t, "loaded": locals().get("loaded"), "imported": imported,
                  "peak_mb": peak_mb()}))
"""


def run(path: Path, step: str) -> dict | None:
    out = subprocess.run([sys.executable, "-c", STEP, str(path), step], capture_output=True, text=True)
    if out.returncode != 0:
        if "pyarrow" in out.stderr and step == "pyarrow":
            return None  # engine not installed
        raise RuntimeError(out.stderr[-2000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(n: int = 1_000_000) -> None:
    from workforce_lib.synthetic import write_large_staff

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "staff.csv"
        t = time.perf_counter()
        write_large_staff(path, n_employments=n, seed=1)
        made = time.perf_counter() - t
        size_mb = path.stat().st_size / 1e6
        floors = {engine: r for engine in ("c", "pyarrow") if (r := run(path, engine)) is not None}
        floor_engine = min(floors, key=lambda e: floors[e]["seconds"])
        floor = floors[floor_engine]["seconds"]
        workbench = run(path, "workbench")
    print(f"staff.csv: {n:,} employments, {size_mb:,.0f} MB (generated in {made:.1f} s)")
    if "pyarrow" not in floors:
        print("  (pyarrow is not installed: the floor is pandas' C engine alone)")
    for engine, result in floors.items():
        print(f"  bare read_csv, {engine:8} engine: {result['seconds']:6.2f} s, peak {result['peak_mb']:,.0f} MB")
    print(f"  workbench import (once a session): {workbench['imported']:6.2f} s, not counted below")
    print(f"  workbench load + validation:      {workbench['loaded']:6.2f} s")
    print(
        f"  ... + rolling 12-month turnover by month and team: {workbench['seconds']:6.2f} s, "
        f"peak {workbench['peak_mb']:,.0f} MB"
    )
    print(f"  ratio to the bare floor ({floor_engine}): {workbench['seconds'] / floor:.1f}x (goal: within 2x)")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:]))
