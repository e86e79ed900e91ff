"""Hostile pack files and data: every case gets one clear PackError (or renders safely), nothing is
written or deleted outside the reports folder, no script can run in a page, and a pack survives a
kill at any step of its replacement."""

import re
import shutil
from pathlib import Path

import pytest
import yaml

from workforce_lib import pack as packs
from workforce_lib.pack import PackError, load_pack, render_pack
from workforce_lib.pack import render as pack_render

from .test_pack_render import chromium_or_skip, offline_dom

ROOT = Path(__file__).resolve().parent.parent
VACANCY = ROOT / "notebooks" / "01_vacancy.ipynb"


def write_pack(folder: Path, text: str | None = None, **overrides) -> Path:
    spec = {
        "title": "Hostile pack",
        "authority": "Kent",
        "data_dir": str(ROOT / "data" / "sample"),
        "output": "test",
        "notebooks": [{"notebook": str(VACANCY), "name": "vacancy"}],
    }
    spec.update(overrides)
    path = folder / "pack.yaml"
    path.write_text(text if text is not None else yaml.safe_dump(spec), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"output": "./../victim"}, "output is './../victim': expected a plain name"),
        ({"output": "/tmp/anywhere"}, "output is '/tmp/anywhere': expected a plain name"),
        ({"output": "*"}, "output is '*': expected a plain name"),
        ({"output": "a/b"}, "output is 'a/b': expected a plain name"),
        ({"output": "x" * 300}, "expected a plain name of letters, digits, - and _ (at most 64 characters"),
        ({"notebooks": [{"notebook": str(VACANCY), "name": "../../x/source"}]}, "name is '../../x/source'"),
        ({"notebooks": [{"notebook": str(VACANCY), "name": "index"}]}, "name is 'index', which the pack uses"),
        ({"notebooks": [{"notebook": str(VACANCY), "name": "Pack"}]}, "name is 'Pack', which the pack uses"),
        ({"notebooks": [{"notebook": str(VACANCY), "name": "my section"}]}, "name is 'my section'"),
        ({"notebooks": [{"notebook": str(VACANCY), "name": "v.1"}]}, "name is 'v.1'"),
        (
            {"notebooks": [{"notebook": "javascript:alert(document.title)//", "name": "x"}]},
            "notebook 'javascript:alert(document.title)//' not found",
        ),
        ({"timeout": "abc"}, "timeout is 'abc'; expected a whole number of seconds"),
        ({"timeout": 1e400}, "timeout is inf; expected a whole number of seconds"),
        ({"publish": "yes"}, "publish is 'yes'; expected true or false"),
        (
            {
                "defaults": {"suppress_below": 0},
                "notebooks": [{"notebook": str(ROOT / "notebooks" / "02_turnover.ipynb")}],
            },
            "suppress_below is 0; it may not go below 5",
        ),
        ({"notebooks": [{"notebook": str(VACANCY), "parameters": 5}]}, "parameters is 5; expected a mapping"),
        ({"notebooks": [{"notebook": str(ROOT / "notebooks")}]}, "not found"),
    ],
)
def test_hostile_pack_keys_are_one_line_errors(tmp_path, overrides, message):
    with pytest.raises(PackError) as info:
        load_pack(write_pack(tmp_path, **overrides))
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_data_dirs_as_a_list_is_an_error(tmp_path):
    text = yaml.safe_dump(
        {
            "title": "t",
            "authorities": ["Kent"],
            "dfe_dir": str(ROOT / "data" / "dfe"),
            "data_dirs": [str(ROOT / "data" / "sample")],
            "notebooks": [{"notebook": str(VACANCY)}],
        }
    )
    with pytest.raises(PackError, match="data_dirs is .*; expected a mapping of authority names to data folders"):
        packs.load_packs(write_pack(tmp_path, text=text))


def test_yaml_alias_bomb_is_refused_before_it_expands(tmp_path):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
    )
    with pytest.raises(PackError, match="72 YAML aliases; a pack file may use at most 50"):
        load_pack(write_pack(tmp_path, text=bomb))


def test_huge_pack_file_is_refused_before_parsing(tmp_path):
    path = write_pack(tmp_path, text="title: x\n" + "# padding\n" * 200_000)
    with pytest.raises(PackError, match="a pack file may be at most 1,000,000 bytes"):
        load_pack(path)


def test_reports_dir_that_is_a_file_is_an_error(tmp_path):
    afile = tmp_path / "reports"
    afile.write_text("not a folder")
    with pytest.raises(PackError, match="is a file, not a folder"):
        render_pack(write_pack(tmp_path), reports_dir=afile)


def test_a_second_concurrent_run_is_refused(tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    with pack_render._output_lock(reports, "test"), pytest.raises(PackError, match="another run of the pack 'test'"):
        render_pack(write_pack(tmp_path), reports_dir=reports, jobs=1)


@pytest.mark.slow
@pytest.mark.parametrize("step", ["built", "old moved aside", "new moved in"])
def test_a_kill_at_any_step_of_the_replacement_leaves_a_pack(tmp_path, monkeypatch, step):
    reports = tmp_path / "reports"
    path = write_pack(tmp_path)
    render_pack(path, reports_dir=reports, jobs=1)
    first = (reports / "test" / "index.html").read_text(encoding="utf-8")

    def kill(name):
        if name == step:
            raise KeyboardInterrupt(f"killed at {name}")

    monkeypatch.setattr(pack_render, "fault_injection", kill)
    with pytest.raises(KeyboardInterrupt):
        render_pack(path, reports_dir=reports, jobs=1)
    monkeypatch.setattr(pack_render, "fault_injection", None)
    # Whatever the step, the next run (even one that fails before building anything) finds a whole pack.
    bad = write_pack(tmp_path, notebooks=[{"notebook": str(VACANCY), "name": "vacancy"}])
    with pytest.raises(PackError):
        render_pack(bad, reports_dir=reports, dask_scheduler="tcp://127.0.0.1:9")
    index = reports / "test" / "index.html"
    assert index.exists()
    assert "Hostile pack" in index.read_text(encoding="utf-8")
    if step == "built":
        assert index.read_text(encoding="utf-8") == first  # the old pack was never touched
    assert not list(reports.glob(".test.partial-*")) and not list(reports.glob(".test.old-*"))


@pytest.mark.slow
def test_script_in_every_text_field_is_shown_as_text_and_never_runs(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    evil = "<script>alert(1)</script>"
    (data / "staffing.csv").write_text(
        "as_of,area,team,role_group,establishment_fte,in_post_fte,agency_fte\n"
        f'2025-03-31,"{evil}",<img src=x onerror=alert(2)>,caseholder,10,8,1\n'
        f"2025-03-31,$\\undefinedcmd$,[link](javascript:alert(3)),caseholder,5,5,0\n"
        "2025-03-31,North,Duty,manager,2,2,0\n"
        '2025-03-31,West,"<img src=x onerror=""document.body.dataset.pwned=1"">",manager,3,1,0\n',
        encoding="utf-8",
    )
    path = write_pack(
        tmp_path,
        title=f"{evil} pack",
        authority='<img src=x onerror=alert("a")>',
        data_dir=str(data),
        notebooks=[{"notebook": str(VACANCY), "name": "vacancy", "title": f"Vacancy {evil}"}],
    )
    result = render_pack(path, reports_dir=tmp_path / "reports", jobs=1)
    assert [r.status for r in result.runs] == ["ok"]  # the $\undefinedcmd$ area did not crash the chart
    folder = tmp_path / "reports" / "test"
    for page in ("vacancy.html", "index.html", "pack.html"):
        text = (folder / page).read_text(encoding="utf-8")
        assert not re.search(r"<script", text, re.I), page
        assert not re.search(r"<img[^>]*onerror", text, re.I), page
        assert not re.search(r"href\s*=\s*[\"']?\s*javascript:", text, re.I), page
        assert "Content-Security-Policy" in text and "default-src 'none'" in text, page
        # No remote request: no script, stylesheet, image or import loaded from the network.
        assert not re.search(r"(src|href)\s*=\s*[\"']?https?:|@import|url\(\s*[\"']?https?:", text, re.I), page
    page = (folder / "vacancy.html").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=alert(2)&gt;" in page  # the team is shown as written
    # In a real browser, no script ran on any page (a payload that did would mark the body).
    chromium_or_skip()
    for name in ("vacancy.html", "index.html", "pack.html"):
        dom = offline_dom(folder / name)
        assert "<body" in dom and 'data-pwned="1"' not in dom, name


def test_a_failed_section_page_shows_no_traceback_or_path(tmp_path):
    from workforce_lib.pack import notice_html, outcome_of

    try:
        open(tmp_path / "secret" / "staff.csv")  # noqa: SIM115 - an unforeseen error with a local path
    except OSError as exc:
        status, sentence, log = outcome_of(exc)
    assert status == "failed" and sentence == packs.UNEXPECTED
    assert str(tmp_path) in log  # the analyst's log keeps the detail
    page = notice_html("Turnover", sentence, status)
    assert str(tmp_path) not in page and "Traceback" not in page
    assert packs.plain_sentence(f"no file at {tmp_path}/data/staff.csv here") == "no file at staff.csv here"


def test_data_folder_is_never_written(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "sample", data)
    before = sorted((p.name, p.stat().st_mtime_ns) for p in data.iterdir())
    load_pack(write_pack(tmp_path, data_dir=str(data)))
    assert sorted((p.name, p.stat().st_mtime_ns) for p in data.iterdir()) == before


@pytest.mark.slow
def test_a_bad_file_fails_only_the_sections_that_read_it(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "sample", data)
    staff = (data / "staff.csv").read_text(encoding="utf-8").splitlines()
    (data / "staff.csv").write_text("\n".join([*staff, staff[1]]) + "\n", encoding="utf-8")  # a duplicate row
    path = write_pack(
        tmp_path,
        data_dir=str(data),
        notebooks=[
            {"notebook": str(VACANCY), "name": "vacancy"},
            {"notebook": str(ROOT / "notebooks" / "02_turnover.ipynb"), "name": "turnover"},
        ],
    )
    result = render_pack(path, reports_dir=tmp_path / "reports", jobs=2)
    statuses = {r.name: (r.status, r.error) for r in result.runs}
    assert statuses["vacancy"] == ("ok", None)
    assert statuses["turnover"][0] == "failed"
    assert statuses["turnover"][1] == (
        "staff.csv: 2 problems found. Run 'workforce validate' on the data folder for every problem."
    )
    index = (tmp_path / "reports" / "test" / "index.html").read_text(encoding="utf-8")
    assert "Warnings about the data" in index and "so it was not used" in index


@pytest.mark.slow
@pytest.mark.parametrize(
    ("error", "words"),
    [(28, "No space left on device"), (13, "Permission denied"), (30, "Read-only file system")],
)
def test_a_full_or_read_only_reports_folder_is_an_error_and_keeps_the_old_pack(tmp_path, monkeypatch, error, words):
    import os

    reports = tmp_path / "reports"
    path = write_pack(tmp_path)
    render_pack(path, reports_dir=reports, jobs=1)
    first = (reports / "test" / "index.html").read_text(encoding="utf-8")

    def fail(name):
        if name == "built":  # as if the last write of the new pack failed (the disk filled, the folder froze)
            raise OSError(error, os.strerror(error), str(reports / "figures.json"))

    monkeypatch.setattr(pack_render, "fault_injection", fail)
    expected = f"could not write the pack in the reports folder .*: {words} \\(figures.json\\)"
    with pytest.raises(PackError, match=expected):
        render_pack(path, reports_dir=reports, jobs=1)
    assert (reports / "test" / "index.html").read_text(encoding="utf-8") == first
    assert not list(reports.glob(".test.partial-*"))
