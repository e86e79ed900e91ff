"""Sliders in a real browser: run the notebook in JupyterLab (and the plan in Voila), move the
slider with the keyboard, and check the figure shown is what workforce_lib computes."""

from __future__ import annotations

import html
import os
import signal
import subprocess
import sys
import time

from tests.browser.conftest import ROOT, SCREENSHOTS, free_port, shutdown_kernels
from workforce_lib import load_dataset, projection, widgets

SAMPLE = load_dataset(ROOT / "data" / "sample")


def run_all_and_find_slider(page, url: str):
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector(".jp-Notebook", timeout=90_000)
    # JupyterLab may ask which kernel to start: take the notebook's own (Python 3).
    dialog = page.locator(".jp-Dialog")
    try:
        dialog.wait_for(timeout=5_000)
        page.locator(".jp-Dialog .jp-mod-accept").click()
    except Exception:  # noqa: BLE001 - no dialog this time
        pass
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']:visible", timeout=90_000)
    news = page.get_by_role("button", name="No")
    if news.count():
        news.first.click()
    page.get_by_text("Run", exact=True).first.click()
    page.get_by_text("Run All Cells", exact=True).click()
    page.wait_for_selector(".widget-slider .noUi-handle", timeout=120_000)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']:visible", timeout=120_000)


def move_first_slider(page, presses: int) -> str:
    handle = page.locator(".widget-slider .noUi-handle").first
    handle.scroll_into_view_if_needed()
    before = page.locator(".widget-html").last.inner_text()
    handle.focus()
    for _ in range(presses):
        page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "before => [...document.querySelectorAll('.widget-html')].pop().innerText !== before",
        arg=before,
        timeout=60_000,
    )
    return page.locator(".widget-readout").first.inner_text()


def shown_sentence(page, expected: str | None = None, timeout: float = 60) -> str:
    """The sentence the panel shows; with ``expected``, once the kernel has caught up with every key
    press (each press queues an update) or the timeout passes."""
    deadline = time.time() + timeout
    text = page.locator(".widget-html").last.inner_text().strip()
    while expected is not None and text != expected and time.time() < deadline:
        time.sleep(0.25)
        text = page.locator(".widget-html").last.inner_text().strip()
    return text


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def expected_text(sentence: str) -> str:
    return html.unescape(sentence).strip()


def test_turnover_slider_in_jupyterlab(lab, page):
    base, token, _ = lab
    shutdown_kernels(base, token)
    run_all_and_find_slider(page, f"{base}/lab/tree/02_turnover.ipynb?reset&token={token}")
    readout = move_first_slider(page, 6)  # 15% + 6 x 0.5 points
    assert readout == "18.0%"
    expected = widgets.turnover_what_if(SAMPLE.staffing, SAMPLE.recruitment_plan, 0.18, "caseholder").sentence
    assert shown_sentence(page, expected_text(expected)) == expected_text(expected)
    screenshot(page, "02_turnover_slider")
    shutdown_kernels(base, token)


def plan_panel_sentence_at(turnover: float) -> str:
    start = projection.starting_point(SAMPLE.staffing, staff=SAMPLE.staff)
    panel = widgets.plan_panel(
        start, SAMPLE.recruitment_plan, projection.PlanSettings(), "caseholder", "2012-03", runs=300
    )
    panel.children[0].children[0].value = turnover
    return html.unescape(panel.children[1].value.removeprefix("<p>").removesuffix("</p>"))


def test_workforce_plan_slider_in_jupyterlab(lab, page):
    base, token, _ = lab
    shutdown_kernels(base, token)
    run_all_and_find_slider(page, f"{base}/lab/tree/03_workforce_plan.ipynb?reset&token={token}")
    readout = move_first_slider(page, 6)
    assert readout == "18.0%"
    expected = plan_panel_sentence_at(0.18)
    assert shown_sentence(page, expected) == expected
    screenshot(page, "03_workforce_plan_slider")
    shutdown_kernels(base, token)


def kernel_processes(parent: int) -> int:
    result = subprocess.run(["pgrep", "-f", "-P", str(parent), "ipykernel"], capture_output=True, text=True)
    return len([line for line in result.stdout.split() if line.strip()])


def test_workforce_plan_app_in_voila(page):
    """make app: the plan as a dashboard without code; offline fonts blocked; idle kernels culled."""
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "voila",
            str(ROOT / "notebooks" / "03_workforce_plan.ipynb"),
            "--no-browser",
            f"--port={port}",
            "--Voila.ip=127.0.0.1",
            "--MappingKernelManager.cull_idle_timeout=4",
            "--MappingKernelManager.cull_interval=2",
            "--MappingKernelManager.cull_connected=True",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                page.goto(f"http://127.0.0.1:{port}/", wait_until="domcontentloaded", timeout=10_000)
                break
            except Exception:  # noqa: BLE001 - server still starting
                time.sleep(0.5)
        page.wait_for_selector(".widget-slider .noUi-handle", timeout=120_000)
        body = page.inner_text("body")
        assert "projection.PlanSettings(" not in body and "import" not in body  # no code shown
        readout = move_first_slider(page, 6)
        assert readout == "18.0%"
        expected = plan_panel_sentence_at(0.18)
        assert shown_sentence(page, expected) == expected
        screenshot(page, "03_workforce_plan_voila")
        page.goto("about:blank")
        deadline = time.time() + 40
        while time.time() < deadline and kernel_processes(process.pid):
            time.sleep(1)
        assert kernel_processes(process.pid) == 0, "an idle kernel was left running after the page closed"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
