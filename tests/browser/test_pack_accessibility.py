"""The pack's pages in Chromium: an automated accessibility check (axe-core) with no serious or
critical violations, and no request leaving the machine."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import CHROMIUM_ARGS, ROOT, SCREENSHOTS, chromium
from workforce_lib import pack as packs

#: axe-core's rules that a page must not break at these impacts.
BLOCKING = ("serious", "critical")


def axe_script() -> Path:
    import axe_playwright_python

    return Path(axe_playwright_python.__file__).parent / "axe.min.js"


@pytest.fixture(scope="module")
def sample_pack(tmp_path_factory):
    result = packs.render_pack(ROOT / "packs" / "sample.yaml", reports_dir=tmp_path_factory.mktemp("reports"))
    assert not result.failed, [(r.name, r.error) for r in result.failed]
    return result.folder


@pytest.fixture(scope="module")
def files_browser():
    path = chromium()
    if path is None:
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def audit(browser, page_file: Path) -> tuple[list[dict], list[str]]:
    """axe-core's violations on a page opened from disk, and every request it made beyond the file
    itself and embedded data. The page forbids scripts (its Content-Security-Policy), so the check
    runs in a context that bypasses it, as a browser extension would."""
    context = browser.new_context(bypass_csp=True, viewport={"width": 1300, "height": 950})
    page = context.new_page()
    remote: list[str] = []
    page.on("request", lambda r: remote.append(r.url) if not r.url.startswith(("file:", "data:")) else None)
    page.goto(page_file.resolve().as_uri(), wait_until="load")
    page.add_script_tag(path=str(axe_script()))
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"pack-{page_file.stem}.png"))
    context.close()
    return results["violations"], remote


@pytest.mark.parametrize(
    "name",
    ["index", "pack", "assumptions_caveats", "data_log", "01_vacancy", "04_pay_benchmark", "07_census"],
)
def test_pack_page_passes_axe_with_no_remote_requests(sample_pack, files_browser, name):
    violations, remote = audit(files_browser, sample_pack / f"{name}.html")
    blocking = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in violations
        if v["impact"] in BLOCKING
    ]
    assert not blocking, blocking
    assert not remote, remote


def test_the_check_finds_a_chart_without_alt_text(files_browser, tmp_path):
    """The audit is real: a page with an image and no alt text fails it (axe's image-alt, critical)."""
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><main>'
        '<img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk'
        '+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==">'
        "</main></body></html>",
        encoding="utf-8",
    )
    violations, _ = audit(files_browser, page)
    assert [v["id"] for v in violations if v["impact"] == "critical"] == ["image-alt"]
