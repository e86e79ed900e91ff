"""Real-browser fixtures: Debian's Chromium driven by Playwright against servers the tests start.

JupyterLab (and Voila) run on a free localhost port with a random token, on a temporary copy of
the notebooks (JupyterLab saves what it runs: the committed notebooks must not change), and are
stopped afterwards. Without Chromium the tests skip, except in CI, where that is a failure.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

from workforce_lib.pack import CHROMIUM_FLAGS

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [flag for flag in CHROMIUM_FLAGS if flag != "--headless"]  # Playwright adds its own
SCREENSHOTS = ROOT / "reports" / "browser-screenshots"


def chromium() -> str | None:
    for name in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", "chromium"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, timeout: float = 90) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except Exception:  # noqa: BLE001 - not up yet
            time.sleep(0.3)
    raise RuntimeError(f"server at {url} did not start in {timeout} s")


@pytest.fixture(scope="session")
def browser():
    path = chromium()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing in CI: .ci/run must install Debian's chromium package")
        pytest.skip("Chromium is not installed (apt-get install chromium); browser tests skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1300, "height": 950})
    page = context.new_page()

    def offline(route):
        host = urlparse(route.request.url).hostname
        return route.continue_() if host in ("127.0.0.1", "localhost") else route.abort()

    page.route("**/*", offline)  # nothing may depend on the internet (council networks, CI)
    yield page
    context.close()


@pytest.fixture(scope="session")
def lab(tmp_path_factory):
    """A JupyterLab server on a temporary copy of the notebooks: yields (base url, token, folder)."""
    work = tmp_path_factory.mktemp("lab")
    shutil.copytree(ROOT / "notebooks", work / "notebooks")
    (work / "data").symlink_to(ROOT / "data")
    port, token = free_port(), secrets.token_hex(16)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--allow-root",
            f"--port={port}",
            "--ServerApp.ip=127.0.0.1",
            f"--IdentityProvider.token={token}",
            "--LabApp.news_url=None",
            f"--ServerApp.root_dir={work / 'notebooks'}",
            "--ServerApp.open_browser=False",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/api/status?token={token}")
        yield base, token, work / "notebooks"
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def shutdown_kernels(base: str, token: str) -> None:
    """Kernels outlive browser pages: stop them so each test starts on a fresh kernel."""
    import json

    with urllib.request.urlopen(f"{base}/api/kernels?token={token}", timeout=10) as response:
        kernels = json.load(response)
    for kernel in kernels:
        request = urllib.request.Request(f"{base}/api/kernels/{kernel['id']}?token={token}", method="DELETE")
        urllib.request.urlopen(request, timeout=10)
