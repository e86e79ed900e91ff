"""Packs for many authorities: selection checked before anything runs, one pack per authority with a
national index, and the same runs on a Dask cluster (a LocalCluster started here)."""

import json
from pathlib import Path

import pytest
import yaml

from workforce_lib import dfe
from workforce_lib import pack as packs

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
DFE = ROOT / "data" / "dfe"
SAMPLE = ROOT / "data" / "sample"


def write_pack(folder: Path, **settings) -> Path:
    spec = {
        "title": "Regional benchmark",
        "authorities": ["Kent", "Surrey"],
        "dfe_dir": str(DFE),
        "data_dirs": {"Kent": str(SAMPLE)},
        "output": "regional",
        "notebooks": [
            {"notebook": str(NOTEBOOKS / "06_benchmark.ipynb"), "name": "benchmark", "own_data": "optional"},
            {"notebook": str(NOTEBOOKS / "01_vacancy.ipynb"), "name": "vacancy"},
        ],
    }
    spec.update(settings)
    path = folder / "pack.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return path


def test_neighbours_of_gives_one_pack_per_authority(tmp_path):
    plan = packs.load_packs(write_pack(tmp_path, authorities={"neighbours_of": "Kent"}))
    assert plan.multi and [p.authority for p in plan.packs][:2] == ["Kent", "Essex"] and len(plan.packs) == 11
    assert plan.selection == "the statistical neighbours of Kent and itself (11 authorities)"
    kent, essex = plan.packs[0], plan.packs[1]
    assert (kent.slug, essex.slug, essex.region) == ("kent", "essex", "East of England")
    bench = essex.runs[0]
    assert bench.parameters["authority"] == "Essex" and bench.parameters["data_dir"] == ""
    assert bench.parameters["dfe_dir"] == str(DFE) and bench.parameters["interactive"] is False
    assert bench.label == "Essex / benchmark"
    # Essex has no data folder: its vacancy section (own data required) is skipped, saying why.
    assert essex.runs[1].status == "skipped" and "no data folder for Essex" in essex.runs[1].error
    assert kent.runs[1].status == "pending" and kent.runs[1].parameters["data_dir"] == str(SAMPLE)


def test_every_authority_in_the_dfe_file(tmp_path):
    plan = packs.load_packs(write_pack(tmp_path, authorities="all", data_dirs={}))
    assert len(plan.packs) == 151
    assert len({p.slug for p in plan.packs}) == 151  # every authority has its own folder


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"authorities": ["Kent", "Narnia"]}, "authorities: 'Narnia' is not a local authority name"),
        ({"data_dir": str(SAMPLE)}, "a pack for several authorities uses data_dirs"),
        ({"data_dirs": {"Essex": str(SAMPLE)}}, "data_dirs names ['Essex'], which are not among"),
        ({"dfe_dir": "/nowhere"}, "dfe_dir '/nowhere' is not a folder"),
        ({"authorities": {"neighbours_of": "Kent", "depth": 2}}, "unknown key(s) ['depth'] beside neighbours_of"),
        (
            {"notebooks": [{"notebook": str(NOTEBOOKS / "06_benchmark.ipynb"), "own_data": "maybe"}]},
            "own_data is 'maybe'; expected 'required' or 'optional'",
        ),
    ],
)
def test_multi_authority_errors_name_file_and_key(tmp_path, settings, message):
    path = write_pack(tmp_path, **settings)
    with pytest.raises(packs.PackError) as info:
        packs.load_packs(path)
    assert str(path) in str(info.value) and message in str(info.value)


def test_missing_dfe_dir_is_explained(tmp_path):
    spec = yaml.safe_load(write_pack(tmp_path).read_text())
    del spec["dfe_dir"]
    path = tmp_path / "no_dfe.yaml"
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    with pytest.raises(packs.PackError, match="missing key 'dfe_dir' \\(a pack for several authorities"):
        packs.load_packs(path)


def published_value(area: str, indicator: str) -> float:
    published = dfe.load_dfe_indicators(DFE / "csww_indicators_2017_to_2025.csv")
    row = published[(published["area"] == area) & (published["indicator"] == indicator) & (published["year"] == 2025)]
    return float(row["value"].iloc[0])


@pytest.mark.slow
def test_process_pool_and_dask_cluster_give_the_same_packs(tmp_path):
    from distributed import LocalCluster

    path = write_pack(tmp_path)
    pool = packs.render_pack(path, reports_dir=tmp_path / "pool", jobs=2)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        on_dask = packs.render_pack(path, reports_dir=tmp_path / "dask", dask_scheduler=cluster.scheduler_address)
    for result in (pool, on_dask):
        statuses = {r.label: r.status for r in result.runs}
        assert statuses == {
            "Kent / benchmark": "ok",
            "Kent / vacancy": "ok",
            "Surrey / benchmark": "ok",
            "Surrey / vacancy": "skipped",
        }
        assert not result.failed
    folder = tmp_path / "pool" / "regional"
    assert sorted(p.name for p in folder.iterdir() if p.is_dir()) == ["kent", "surrey"]
    for name in ("index.html", "pack.html", "figures.json", "benchmark.html"):
        assert (folder / "surrey" / name).exists(), name
    assert (folder / "kent" / "vacancy.html").exists() and not (folder / "surrey" / "vacancy.html").exists()
    # The national index: both authorities, linked, with DfE's latest published rates.
    index = (folder / "index.html").read_text(encoding="utf-8")
    assert "href='kent/index.html'" in index and "href='surrey/index.html'" in index
    assert f"{published_value('Kent', 'turnover_rate_fte'):.1%}" == "15.4%" and "15.4%" in index
    assert f"{published_value('Surrey', 'vacancy_rate_fte'):.1%}" in index
    assert "csww_indicators_2017_to_2025.csv" in index  # provenance of DfE's file
    kent_index = (folder / "kent" / "index.html").read_text(encoding="utf-8")
    assert 'href="../index.html"' in kent_index and "staffing.csv" in kent_index
    # Surrey's benchmark says it has no own data rather than borrowing Kent's.
    assert "No own data" in (folder / "surrey" / "benchmark.html").read_text(encoding="utf-8")
    # The Dask run produced the same figures as the process pool.
    same = json.loads((folder / "figures.json").read_text())
    other = json.loads((tmp_path / "dask" / "regional" / "figures.json").read_text())
    assert same["sections"] == other["sections"]
    kent = same["sections"]["kent"]["benchmark"]["benchmark"]["indicators"]["turnover_rate_fte"]
    assert kent["value"] == pytest.approx(published_value("Kent", "turnover_rate_fte"))


def test_unreachable_dask_scheduler_is_a_clear_error(tmp_path):
    path = write_pack(tmp_path, notebooks=[{"notebook": str(NOTEBOOKS / "06_benchmark.ipynb"), "own_data": "optional"}])
    import dask

    with (
        dask.config.set({"distributed.comm.timeouts.connect": "2s"}),
        pytest.raises(packs.PackError, match="could not reach the Dask scheduler at tcp://127.0.0.1:9"),
    ):
        packs.render_pack(path, reports_dir=tmp_path / "r", dask_scheduler="tcp://127.0.0.1:9")
    assert [p.name for p in (tmp_path / "r").iterdir()] == [".regional.lock"]  # nothing half-built is left


def test_shipped_neighbours_pack_file_is_valid():
    plan = packs.load_packs(ROOT / "packs" / "neighbours.yaml")
    assert len(plan.packs) == 11 and plan.packs[0].authority == "Kent"
    kent_statuses = [r.status for r in plan.packs[0].runs]
    assert kent_statuses == ["pending", "pending", "pending"]  # Kent has its own data: every section runs
    assert [r.status for r in plan.packs[1].runs] == ["pending", "skipped", "skipped"]
