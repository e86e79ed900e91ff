"""Committee packs: run the listed notebooks with papermill and render them as pages a councillor reads.

One module per step: :mod:`.settings` reads and checks the pack file, :mod:`.execute` runs each
section, :mod:`.summary` turns the sections' headline figures into the summary table,
:mod:`.pages` writes the pages, :mod:`.pdf` prints the A4 PDF and :mod:`.render` puts it together,
replacing the previous pack only when the new one is complete.
"""

from ..errors import PackError
from .execute import UNEXPECTED, execute_notebook, outcome_of, plain_sentence, render_task
from .pages import CONTENT_SECURITY_POLICY, combined_html, notebook_html, notice_html, offline_page
from .pdf import CHROMIUM_FLAGS, chromium_path, print_pdf
from .render import PackResult, render_pack
from .settings import (
    DFE_DIR,
    DFE_INDICATORS_FILE,
    DFE_NEIGHBOURS_FILE,
    STANDARD_SECTIONS,
    NotebookRun,
    Pack,
    PackPlan,
    check_slug,
    declared_parameters,
    load_pack,
    load_packs,
)

__all__ = [
    "CHROMIUM_FLAGS",
    "CONTENT_SECURITY_POLICY",
    "DFE_DIR",
    "DFE_INDICATORS_FILE",
    "DFE_NEIGHBOURS_FILE",
    "STANDARD_SECTIONS",
    "UNEXPECTED",
    "NotebookRun",
    "Pack",
    "PackError",
    "PackPlan",
    "PackResult",
    "check_slug",
    "chromium_path",
    "combined_html",
    "declared_parameters",
    "execute_notebook",
    "load_pack",
    "load_packs",
    "notebook_html",
    "notice_html",
    "offline_page",
    "outcome_of",
    "plain_sentence",
    "print_pdf",
    "render_pack",
    "render_task",
]
