"""Benchmark: the sample committee pack rendered serially (one job) and in parallel, in one run.

Prints both wall-clock times and the speedup. Run: .venv/bin/python bench/bench_packs.py [JOBS]
(default: one job per core).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from workforce_lib.pack import render_pack

ROOT = Path(__file__).resolve().parent.parent


def timed(jobs: int, reports: Path) -> float:
    start = time.perf_counter()
    result = render_pack(ROOT / "packs" / "sample.yaml", reports_dir=reports, jobs=jobs)
    elapsed = time.perf_counter() - start
    if result.failed:
        raise SystemExit(f"pack failed: {[(r.name, r.error) for r in result.failed]}")
    return elapsed


def main(jobs: int | None = None) -> None:
    jobs = jobs or os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        serial = timed(1, Path(tmp) / "serial")
        parallel = timed(jobs, Path(tmp) / "parallel")
    print(f"sample pack (7 notebooks) on {os.cpu_count()} cores:")
    print(f"  serial (1 job):      {serial:6.1f} s")
    print(f"  parallel ({jobs} jobs):  {parallel:6.1f} s")
    print(f"  speedup:             {serial / parallel:6.2f}x")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:]))
