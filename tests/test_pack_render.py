"""The committee pack renderer: parallel runs, failure isolation, atomic output, publication safety,
offline reading and PDF. These tests run real kernels (seconds each)."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml

from workforce_lib import pack as packs
from workforce_lib.pack import UNEXPECTED
from workforce_lib.pack import pdf as pack_pdf

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
SAMPLE = ROOT / "data" / "sample"


def write_pack(folder: Path, notebooks, **settings) -> Path:
    spec = {
        "title": "Test pack",
        "authority": "Kent",
        "data_dir": str(SAMPLE),
        "output": "test",
        "notebooks": notebooks,
    }
    spec.update(settings)
    path = folder / "pack.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def broken_notebook(tmp_path):
    """A copy of the vacancy notebook whose load cell divides by zero."""
    import nbformat

    nb = nbformat.read(NOTEBOOKS / "01_vacancy.ipynb", as_version=4)
    nb.cells[2].source += "\n1 / 0  # deliberately broken"
    path = NOTEBOOKS / "zz_broken_test_copy.ipynb"
    nbformat.write(nb, path)
    yield path
    path.unlink(missing_ok=True)


def test_broken_notebook_fails_alone_and_the_command_exits_non_zero(tmp_path, broken_notebook):
    path = write_pack(
        tmp_path,
        [
            {"notebook": str(broken_notebook), "name": "broken"},
            {"notebook": str(NOTEBOOKS / "01_vacancy.ipynb"), "name": "vacancy"},
        ],
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "workforce_lib.cli",
            "pack",
            str(path),
            "--reports-dir",
            str(tmp_path / "r"),
            "--jobs",
            "2",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1
    failures = [line for line in result.stderr.splitlines() if line.startswith("FAILED")]
    assert failures == [f"FAILED broken: {UNEXPECTED}"]
    folder = tmp_path / "r" / "test"
    assert (folder / "vacancy.html").exists()
    executed = json.loads((folder / "broken.ipynb").read_text())
    errors = [o for c in executed["cells"] for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert errors and errors[0]["ename"] == "ZeroDivisionError"  # the failing cell and its error are kept
    # The reader sees one plain sentence; the traceback goes to pack.log, never into a page.
    index = (folder / "index.html").read_text()
    assert "failed" in index and UNEXPECTED in index and "ZeroDivisionError" not in index
    page = (folder / "broken.html").read_text()
    assert UNEXPECTED in page and "Traceback" not in page and "ZeroDivisionError" not in page
    combined = (folder / "pack.html").read_text()
    assert "Could not be produced" in combined and "ZeroDivisionError" not in combined
    log = (folder / "pack.log").read_text()
    assert "broken: failed" in log and "ZeroDivisionError: division by zero" in log


def test_killed_run_leaves_the_previous_pack_intact(tmp_path):
    reports = tmp_path / "r"
    previous = reports / "test"
    previous.mkdir(parents=True)
    (previous / "index.html").write_text("previous pack")
    path = write_pack(tmp_path, [{"notebook": str(NOTEBOOKS / "06_benchmark.ipynb"), "name": "benchmark"}])
    process = subprocess.Popen(
        [sys.executable, "-m", "workforce_lib.cli", "pack", str(path), "--reports-dir", str(reports)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    # Kill it half-way: once its half-built folder exists and the kernel has had a moment to start.
    deadline = time.time() + 60
    while time.time() < deadline and not list(reports.glob(".test.partial-*")):
        time.sleep(0.1)
    time.sleep(2.0)
    assert process.poll() is None, "the run finished before it could be killed"
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert (previous / "index.html").read_text() == "previous pack"
    visible = sorted(p.name for p in reports.iterdir() if not p.name.startswith("."))
    assert visible == ["test"]  # nothing that looks like a pack besides the previous one
    # The next run clears the half-built folder and replaces the pack whole.
    packs.render_pack(path, reports_dir=reports, jobs=1)
    assert sorted(p.name for p in reports.iterdir()) == [".test.lock", "test"]
    assert "benchmark.html" in {p.name for p in previous.iterdir()}


def test_published_pack_has_no_small_counts_or_staff_ids(tmp_path):
    path = write_pack(
        tmp_path,
        [
            {
                "notebook": str(NOTEBOOKS / "02_turnover.ipynb"),
                "name": "turnover",
                "parameters": {"area": "Disability"},
            },
            {"notebook": str(NOTEBOOKS / "05_campaign_funnel.ipynb"), "name": "funnel"},
        ],
        publish=True,
    )
    result = packs.render_pack(path, reports_dir=tmp_path / "r", jobs=2)
    assert not result.failed, [(r.name, r.error) for r in result.failed]
    folder = tmp_path / "r" / "test"
    staff_ids = pd.read_csv(SAMPLE / "staff.csv", usecols=["staff_id"])["staff_id"].tolist()
    for file in folder.iterdir():
        text = file.read_text(encoding="utf-8", errors="ignore")
        leaked = [s for s in staff_ids if s in text]
        assert not leaked, f"{file.name} shows staff ids {leaked[:3]}"
    figures = json.loads((folder / "figures.json").read_text())["sections"]
    for value in figures["turnover"]["turnover"]["leavers"].values():
        assert value == "[c]" or value == 0 or value >= 5
    page = (folder / "turnover.html").read_text()
    assert "[c]" in page and "suppressed to protect individuals" in page
    funnel_page = (folder / "funnel.html").read_text()
    # Team Manager external offers (1) and Senior Practitioner external offers (2) are suppressed.
    assert "[c]" in funnel_page


def offline_dom(html_file: Path) -> str:
    browser = packs.chromium_path()
    result = subprocess.run(
        [
            browser,
            *packs.CHROMIUM_FLAGS,
            "--proxy-server=http://127.0.0.1:9",
            "--proxy-bypass-list=<-loopback>",
            f"--user-data-dir={html_file.parent / '.chromium'}",
            "--dump-dom",
            html_file.resolve().as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result.stdout


def chromium_or_skip():
    if packs.chromium_path() is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing in CI: .ci/run must install it")
        pytest.skip("Chromium is not installed (apt-get install chromium)")


def test_sample_pack_reads_offline_with_every_section_filled(tmp_path):
    """With the network cut off, every section of the combined pack shows its sentence and chart,
    and no what-if panel is left as an empty widget area or repeats the static result."""
    chromium_or_skip()
    result = packs.render_pack(ROOT / "packs" / "sample.yaml", reports_dir=tmp_path / "r", pdf=True)
    assert not result.failed, [(r.name, r.error) for r in result.failed]
    folder = result.folder
    assert (folder / "pack.pdf").read_bytes()[:5] == b"%PDF-"
    dom = offline_dom(folder / "pack.html")
    assert "application/vnd.jupyter.widget-view+json" not in (folder / "pack.html").read_text()
    sections = dom.split("This section failed")
    assert len(sections) == 1
    for run in result.runs:
        assert run.title in dom, run.title
    # What-if panels are for JupyterLab: a static pack shows each result once, with no repeat of it.
    assert "(at this pack's settings)" not in dom and "Move the slider" not in dom
    assert dom.count("data:image/png;base64") >= 20
    for run in result.runs:
        page = offline_dom(folder / f"{run.name}.html")
        assert "data:image/png;base64" in page and "Headline figures" in page, run.name


def test_pdf_without_chromium_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(pack_pdf, "chromium_path", lambda: None)
    html_file = tmp_path / "p.html"
    html_file.write_text("<p>x</p>")
    with pytest.raises(packs.PackError, match="apt-get install chromium"):
        packs.print_pdf(html_file, tmp_path / "p.pdf")
