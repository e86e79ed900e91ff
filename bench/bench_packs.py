"""Benchmark: committee packs rendered serially, with the process pool and on a Dask LocalCluster.

Two measurements in one run:
1. the sample committee pack (7 notebooks): serial (one job) and parallel (one job per core);
2. 20 authority packs (DfE benchmark section for each of the first 20 authorities in DfE's file,
   plus the national index page): serial, process pool, and a dask.distributed LocalCluster with
   one single-threaded worker per core.

Prints wall-clock times and speedups over serial.
Run: .venv/bin/python bench/bench_packs.py [AUTHORITIES] (default 20).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

import yaml

from workforce_lib import dfe
from workforce_lib.pack import DFE_INDICATORS_FILE, render_pack

ROOT = Path(__file__).resolve().parent.parent
DFE = ROOT / "data" / "dfe"


def timed(pack: Path, reports: Path, **options) -> float:
    start = time.perf_counter()
    result = render_pack(pack, reports_dir=reports, **options)
    elapsed = time.perf_counter() - start
    if result.failed:
        raise SystemExit(f"pack failed: {[(r.label, r.error) for r in result.failed]}")
    return elapsed


def authority_pack(folder: Path, count: int) -> Path:
    """A pack file for the first ``count`` authorities (alphabetical) of DfE's latest year."""
    chosen = dfe.current_authorities(dfe.load_dfe_indicators(DFE / DFE_INDICATORS_FILE))[:count]
    spec = {
        "title": f"Benchmark packs for {count} authorities",
        "authorities": chosen,
        "dfe_dir": str(DFE),
        "output": "authorities",
        "notebooks": [
            {"notebook": str(ROOT / "notebooks" / "06_benchmark.ipynb"), "name": "benchmark", "own_data": "optional"}
        ],
    }
    path = folder / "authorities.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return path


def line(label: str, seconds: float, serial: float) -> str:
    return f"  {label:28} {seconds:7.1f} s   speedup {serial / seconds:5.2f}x"


def main(count: int = 20) -> None:
    from distributed import LocalCluster

    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        sample = ROOT / "packs" / "sample.yaml"
        serial = timed(sample, tmp / "s1", jobs=1)
        parallel = timed(sample, tmp / "s2", jobs=cores)
        print(f"sample pack (7 notebooks) on {cores} cores:")
        print(line("serial (1 job)", serial, serial))
        print(line(f"process pool ({cores} jobs)", parallel, serial))

        pack = authority_pack(tmp, count)
        serial = timed(pack, tmp / "a1", jobs=1)
        pool = timed(pack, tmp / "a2", jobs=cores)
        start = time.perf_counter()
        with LocalCluster(n_workers=cores, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
            started = time.perf_counter() - start
            on_dask = timed(pack, tmp / "a3", dask_scheduler=cluster.scheduler_address)
        print(f"{count} authority packs (one notebook each, plus the national index) on {cores} cores:")
        print(line("serial (1 job)", serial, serial))
        print(line(f"process pool ({cores} jobs)", pool, serial))
        print(line(f"Dask LocalCluster ({cores} workers)", on_dask, serial))
        print(f"  (the LocalCluster took {started:.1f} s to start, not counted above)")
        print(f"  per notebook, serial: {serial / count:.2f} s")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:]))
