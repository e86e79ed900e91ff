"""PDF: print the one-file pack with Debian's headless Chromium, offline: A4, numbered pages, bookmarks."""

from __future__ import annotations

from pathlib import Path

from ..errors import PackError

#: Flags for headless Chromium on a machine with no network but loopback (and run as root).
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


def chromium_path() -> str | None:
    """Debian's headless Chromium, if installed (or CHROMIUM pointing at one)."""
    import os
    import shutil as sh

    for candidate in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if candidate and sh.which(candidate):
            return sh.which(candidate)
    return None


def print_pdf(html_file: Path, pdf_file: Path, timeout: int = 120) -> None:
    """Print an HTML file to PDF with headless Chromium, offline; a clear error if it is missing."""
    import subprocess
    import tempfile as tf

    browser = chromium_path()
    if browser is None:
        raise PackError(
            "--pdf needs Chromium, which is not installed: on Debian or Ubuntu run "
            "'apt-get install chromium' (or set CHROMIUM to a Chrome or Chromium executable)"
        )
    with tf.TemporaryDirectory() as profile:
        result = subprocess.run(
            [
                browser,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={profile}",
                "--no-pdf-header-footer",  # page numbers come from the page's own A4 @page rule
                "--generate-pdf-document-outline",  # bookmarks from the headings: one per section
                f"--print-to-pdf={pdf_file}",
                html_file.resolve().as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    if result.returncode != 0 or not pdf_file.exists():
        raise PackError(f"Chromium could not print {html_file.name}: {result.stderr.strip()[-300:]}")
