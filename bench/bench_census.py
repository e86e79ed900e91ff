"""Benchmark: a national-scale set of CSWW census returns, read, validated and measured, against a
bare parse of the same files in the same run.

Generates N_YEARS returns of N_WORKERS workers each (default 9 x 45,000, about England's
children's social workers in a year) with workforce_lib.census.generate in a temporary folder,
then, each in a fresh process:
- the workbench: reads them all (streaming parse, XSD validation, DfE's checks, pseudonymised
  SWENo) and computes DfE's measures;
- the floor: a bare streaming parse of the same files with ``lxml.etree.iterparse`` if lxml is
  installed, else ``xml.etree.ElementTree.iterparse`` (expat, the parser the workbench itself
  uses), reading every worker's items' text and clearing each worker as it ends (so memory stays
  bounded, as the workbench's does).
Prints records, MB, seconds of each, their ratio (issue 15's goal: within 3x of the bare parse)
and each process's peak memory (VmHWM; goal: under 1 GB). The workbench has schemas for
2021-2025 only, so the years cycle through those five under a second authority code (9 returns =
9 census years' worth of workers).

Run: .venv/bin/python bench/bench_census.py [--workers N] [--years N] [--profile K]
     (or positionally: bench_census.py [N_WORKERS] [N_YEARS]); ``--profile K`` also runs the
     workbench's read under cProfile and prints its K heaviest functions.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Peak resident memory of the process: VmHWM, reset when the process execs. ru_maxrss would carry
# over the RSS of the parent (this script, with pandas loaded) from before the exec on Linux.
PEAK = r"""
import resource
def peak_mb():
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM")) / 1024
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
"""
STEP = (
    PEAK
    + r"""
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
print(json.dumps({"imported": imported, "loaded": loaded, "measured": measured, "peak_mb": peak_mb(),
                  "rows": int(sum(len(r.workers) for r in returns)), "returns": len(table)}))
"""
)
BARE = (
    PEAK
    + r"""
import json, sys, time
from pathlib import Path
try:
    from lxml.etree import iterparse
    parser, lxml = "lxml.etree.iterparse", True
except ImportError:
    from xml.etree.ElementTree import iterparse
    parser, lxml = "xml.etree.ElementTree.iterparse", False
t = time.perf_counter()
workers = items = chars = 0
for path in sorted(Path(sys.argv[1]).glob("*.xml")):
    events = iterparse(str(path), events=("start", "end"))
    _, root = next(events)
    for event, elem in events:
        if event == "end" and elem.tag == "CSWWWorker":
            for child in elem:  # touch every item's text, as the workbench reads them all
                chars += len(child.text or "")
                items += 1
            workers += 1
            if lxml:
                elem.clear()
                while elem.getprevious() is not None:
                    del root[0]
            else:
                root.clear()  # drop the finished worker (and the header before it)
seconds = time.perf_counter() - t
print(json.dumps({"parser": parser, "seconds": seconds, "workers": workers, "items": items, "chars": chars,
                  "peak_mb": peak_mb()}))
"""
)
PROFILE = r"""
import cProfile, pstats, sys
from workforce_lib.census import read_returns
from workforce_lib.census.read import SCHEMA_YEARS, schema
for year in SCHEMA_YEARS:
    schema(year)
profile = cProfile.Profile()
profile.runcall(read_returns, [sys.argv[1]])
stats = pstats.Stats(profile).strip_dirs()
stats.sort_stats("tottime").print_stats(int(sys.argv[2]))
stats.sort_stats("cumulative").print_stats(int(sys.argv[2]))
"""
LEAS = ("301", "302")


def _run(script: str, *args: str) -> str:
    out = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-2000:])
    return out.stdout


def main(n_workers: int = 45_000, n_years: int = 9, profile: int = 0) -> dict:
    """Run the benchmark and print its figures; returns them too (seconds, ratio, peaks)."""
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
        bare = json.loads(_run(BARE, tmp).strip().splitlines()[-1])
        result = json.loads(_run(STEP, tmp).strip().splitlines()[-1])
        profiled = _run(PROFILE, tmp, str(profile)) if profile else ""
    if bare["workers"] != records or result["rows"] != records:
        raise RuntimeError(f"{records} records written, {bare['workers']} parsed bare, {result['rows']} read")
    workbench = result["loaded"] + result["measured"]
    ratio = workbench / bare["seconds"] if bare["seconds"] else float("nan")
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
    print(
        f"  bare parse ({bare['parser']}, every item's text read, workers cleared): "
        f"{bare['workers']:,} workers, {bare['items']:,} items in {bare['seconds']:6.2f} s"
    )
    print(
        f"  workbench (read + validate + check + measures) {workbench:6.2f} s vs bare parse {bare['seconds']:6.2f} s: "
        f"ratio {ratio:.1f}x (goal: within 3x)"
    )
    print(
        f"  peak memory of the whole process: workbench {result['peak_mb']:,.0f} MB, "
        f"bare parse {bare['peak_mb']:,.0f} MB (goal: under 1 GB)"
    )
    if profiled:
        print(profiled)
    return {
        "records": records,
        "mb": sum(sizes),
        "workbench_s": workbench,
        "bare_s": bare["seconds"],
        "ratio": ratio,
        "workbench_peak_mb": result["peak_mb"],
        "bare_peak_mb": bare["peak_mb"],
    }


def _args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n_workers", nargs="?", type=int, default=45_000, help="workers a return (45,000)")
    parser.add_argument("n_years", nargs="?", type=int, default=9, help="returns (9)")
    parser.add_argument("--workers", type=int, dest="workers", help="workers a return (as N_WORKERS)")
    parser.add_argument("--years", type=int, dest="years", help="returns (as N_YEARS)")
    parser.add_argument("--profile", type=int, default=0, metavar="K", help="also profile the read: K functions")
    args = parser.parse_args(argv)
    args.n_workers = args.workers or args.n_workers
    args.n_years = args.years or args.n_years
    return args


if __name__ == "__main__":
    a = _args(sys.argv[1:])
    main(a.n_workers, a.n_years, a.profile)
