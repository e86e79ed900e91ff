"""Benchmark: a national-scale set of CSWW census returns, read, validated and measured.

Generates N_YEARS returns of N_WORKERS workers each (default 9 x 45,000, about England's
children's social workers in a year) with workforce_lib.census.generate in a temporary folder,
then, in a fresh process, reads them all (streaming parse, XSD validation, DfE's checks) and
computes DfE's measures. Prints rows, seconds and the process's peak memory, and the largest
file's size: memory should follow one worker, not the file. The workbench has schemas for 2021-2025
only, so the years cycle through those five under a second authority code (9 returns = 9 census
years' worth of workers).
Run: .venv/bin/python bench/bench_census.py [N_WORKERS] [N_YEARS]
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STEP = r"""
import json, sys, time
t = time.perf_counter()
from workforce_lib.census import census_measures, read_returns
from workforce_lib.census.read import SCHEMA_YEARS, schema
for year in SCHEMA_YEARS:
    schema(year)
imported = time.perf_counter() - t
t = time.perf_counter()
returns = read_returns([sys.argv[1]])
loaded = time.perf_counter() - t
t = time.perf_counter()
table = census_measures(returns)
measured = time.perf_counter() - t
with open("/proc/self/status") as status:
    peak = next(int(l.split()[1]) for l in status if l.startswith("VmHWM")) / 1024
print(json.dumps({"imported": imported, "loaded": loaded, "measured": measured, "peak_mb": peak,
                  "rows": int(sum(len(r.workers) for r in returns)), "returns": len(table)}))
"""
LEAS = ("301", "302")


def main(n_workers: int = 45_000, n_years: int = 9) -> None:
    from workforce_lib.census.generate import write_return
    from workforce_lib.census.read import SCHEMA_YEARS

    years = list(SCHEMA_YEARS)
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        records = 0
        for i in range(n_years):
            lea, year = LEAS[i // len(years)], years[i % len(years)]
            records += write_return(
                Path(tmp) / f"csww_{lea}_{year}.xml", lea=lea, year=year, n_workers=n_workers, seed=i
            )
        made = time.perf_counter() - t
        sizes = [p.stat().st_size / 1e6 for p in Path(tmp).glob("*.xml")]
        out = subprocess.run([sys.executable, "-c", STEP, tmp], capture_output=True, text=True)
        if out.returncode != 0:
            raise RuntimeError(out.stderr[-2000:])
        result = json.loads(out.stdout.strip().splitlines()[-1])
    print(
        f"CSWW returns: {n_years} files x {n_workers:,} workers = {records:,} records, {sum(sizes):,.0f} MB "
        f"(largest {max(sizes):,.0f} MB; generated in {made:.1f} s)"
    )
    print(f"  import + 5 schemas (once a session): {result['imported']:6.2f} s, not counted below")
    print(
        f"  read + validate + check: {result['rows']:,} rows in {result['loaded']:6.2f} s "
        f"({result['rows'] / result['loaded']:,.0f} rows/s)"
    )
    print(f"  DfE measures: {result['returns']} rows (authority x year) in {result['measured']:6.2f} s")
    print(f"  peak memory of the whole process: {result['peak_mb']:,.0f} MB")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:]))
