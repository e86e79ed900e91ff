"""Committee packs: the pack file is checked before anything runs; a real render gives the Appendix 1 figures."""

import json
from pathlib import Path

import pytest
import yaml

from workforce_lib.pack import PackError, load_pack, render_pack

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "01_vacancy.ipynb"


def write_pack(folder: Path, **overrides) -> Path:
    spec = {
        "title": "Test pack",
        "authority": "Kent",
        "data_dir": str(ROOT / "data" / "sample"),
        "output": "test",
        "notebooks": [{"notebook": str(NOTEBOOK), "parameters": {"role_group": "caseholder"}}],
    }
    spec.update(overrides)
    path = folder / "pack.yaml"
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    return path


def test_sample_pack_file_is_valid():
    pack = load_pack(ROOT / "packs" / "sample.yaml")
    assert [r.name for r in pack.runs][:2] == ["01_vacancy", "01_vacancy_managers"]
    first = pack.runs[0].parameters
    assert first["interactive"] is False  # packs show static what-if results
    assert first["vacancy_target"] == 0.10
    assert Path(first["data_dir"]).is_absolute()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"colour": "blue"}, "unknown key(s) ['colour']"),
        ({"notebooks": [{"notebook": "missing.ipynb"}]}, "notebook 'missing.ipynb' not found"),
        (
            {"notebooks": [{"notebook": str(NOTEBOOK), "parameters": {"turnover": 0.18}}]},
            "parameter(s) ['turnover'] are not declared in the parameters cell of 01_vacancy.ipynb",
        ),
        (
            {"notebooks": [{"notebook": str(NOTEBOOK), "parameters": {"vacancy_target": "ten percent"}}]},
            "parameter 'vacancy_target' is str 'ten percent'; 01_vacancy.ipynb expects float",
        ),
        (
            {"notebooks": [{"notebook": str(NOTEBOOK)}, {"notebook": str(NOTEBOOK)}]},
            "name '01_vacancy' used twice",
        ),
        ({"data_dir": "/nowhere/at/all"}, "data_dir '/nowhere/at/all' is not a folder"),
        ({"notebooks": [{"notebook": str(NOTEBOOK), "paramters": {}}]}, "unknown key(s) ['paramters']"),
    ],
)
def test_pack_file_errors_name_file_and_key(tmp_path, overrides, message):
    path = write_pack(tmp_path, **overrides)
    with pytest.raises(PackError) as info:
        load_pack(path)
    assert str(path) in str(info.value)
    assert message in str(info.value)


def test_yaml_dates_travel_as_iso_strings(tmp_path):
    path = tmp_path / "pack.yaml"
    path.write_text(
        f"title: t\ndata_dir: {ROOT / 'data' / 'sample'}\nas_of: 2011-03-31\nnotebooks:\n  - {NOTEBOOK}\n",
        encoding="utf-8",
    )
    pack = load_pack(path)
    assert pack.runs[0].parameters["as_of"] == "2011-03-31"


def test_render_pack_end_to_end(tmp_path):
    hostile = "__import__('os').system('echo pwned')"
    path = write_pack(
        tmp_path,
        notebooks=[
            {"notebook": str(NOTEBOOK), "name": "vacancy", "parameters": {"role_group": "caseholder"}},
            {"notebook": str(NOTEBOOK), "name": "hostile", "parameters": {"role_group": hostile}},
        ],
    )
    result = render_pack(path, reports_dir=tmp_path / "reports")
    folder = tmp_path / "reports" / "test"
    assert result.folder == folder
    statuses = {r.name: r.status for r in result.runs}
    assert statuses == {"vacancy": "ok", "hostile": "failed"}
    # The hostile value reached the notebook as the string it is, not as code.
    hostile_run = next(r for r in result.runs if r.name == "hostile")
    assert "no staffing rows for role group" in hostile_run.error and "__import__" in hostile_run.error
    for name in ("index.html", "figures.json", "vacancy.html", "vacancy.ipynb", "hostile.ipynb"):
        assert (folder / name).exists(), name
    page = (folder / "vacancy.html").read_text(encoding="utf-8")
    assert "vacancy.snapshot(" not in page  # no code cells in the HTML
    assert "15.1%" in page and "Sevenoaks" in page
    figures = json.loads((folder / "figures.json").read_text())["sections"]["vacancy"]["vacancy"]
    assert figures["by_role_group"]["caseholder"]["vacancy_rate"] == 0.151
    assert figures["by_role_group"]["manager"]["net_vacancy_rate"] == 0.0
    index = (folder / "index.html").read_text(encoding="utf-8")
    assert "staffing.csv" in index and "failed" in index
    # No temporary folder is left beside the pack; only the (hidden) lock file that keeps runs apart.
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == [".test.lock", "test"]


@pytest.mark.parametrize("notebook", sorted((ROOT / "notebooks").glob("*.ipynb")), ids=lambda p: p.name)
def test_every_parameter_line_is_understood_by_papermill(notebook):
    """papermill silently skips a line it cannot parse; then a pack could never set that parameter."""
    import ast

    import nbformat

    from workforce_lib.pack import declared_parameters

    nb = nbformat.read(notebook, as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    assigned = {t.id for node in ast.parse(cell.source).body if isinstance(node, ast.Assign) for t in node.targets}
    declared = declared_parameters(notebook)
    assert set(declared) == assigned
    assert all(kind in {"str", "float", "int", "bool", "list", "dict"} for kind in declared.values()), declared
