"""The benchmarks still run (tiny sizes, nothing timed: `make bench` prints the real figures)."""

from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


@pytest.fixture(autouse=True)
def bench_on_path(monkeypatch):
    monkeypatch.syspath_prepend(str(BENCH))


def test_bench_load_runs(capsys):
    import bench_load

    bench_load.main(3000)
    out = capsys.readouterr().out
    assert "bare read_csv, pyarrow" in out and "ratio to the bare floor" in out


def test_bench_sliders_runs(capsys):
    import bench_sliders

    bench_sliders.main(3)
    out = capsys.readouterr().out
    assert out.count("median") == 6


def test_bench_packs_writes_a_valid_pack_of_n_authorities(tmp_path):
    """Rendering 20 packs three ways takes minutes; its pack file is checked here."""
    import bench_packs

    from workforce_lib.pack import load_packs

    plan = load_packs(bench_packs.authority_pack(tmp_path, 20))
    assert plan.multi and len(plan.packs) == 20
    assert [p.authority for p in plan.packs][:2] == ["Barking and Dagenham", "Barnet"]
    assert all(run.status == "pending" for run in plan.runs)  # own_data optional: every pack runs


def test_bench_census_runs(capsys):
    import bench_census

    bench_census.main(40, 2)
    out = capsys.readouterr().out
    assert "CSWW returns: 2 files x 40 workers" in out and "DfE measures: 2 rows" in out


def test_bench_manpower_runs(capsys):
    import bench_manpower

    bench_manpower.main()
    out = capsys.readouterr().out
    assert "slider recompute (scenario): median" in out and "optimised plan (optimal)" in out


def test_every_bench_script_is_tested():
    scripts = {p.stem for p in BENCH.glob("bench_*.py")}
    expected = {"bench_load", "bench_sliders", "bench_packs", "bench_census", "bench_manpower"}
    assert scripts == expected, "a new benchmark needs a smoke test here"
