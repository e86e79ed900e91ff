"""A published pack over council data full of small cells discloses nothing: no count of 1 to 4
people in any table, sentence, figures.json or the PDF's text, and no suppressed count that a
total or difference on the page gives away. The same scanner finds plenty in the draft edition,
so it can fail."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from tests.disclosure_scan import scan_pack
from workforce_lib.pack import render_pack

COUNCILS = Path(__file__).parent / "data" / "councils"

pytestmark = pytest.mark.slow


def _render(tmp_path: Path, council: str, authority: str, publish: bool, pdf: bool) -> Path:
    spec = {
        "title": "Published edition",
        "authority": authority,
        "data_dir": str(COUNCILS / council),
        "output": f"{council}_{'published' if publish else 'draft'}",
        "publish": publish,
    }
    pack_file = tmp_path / f"{spec['output']}.yaml"
    pack_file.write_text(yaml.safe_dump(spec), encoding="utf-8")
    result = render_pack(pack_file, reports_dir=tmp_path / "reports", pdf=pdf)
    return result.folder


@pytest.mark.parametrize(("council", "authority"), [("wiltshire", "Wiltshire Council"), ("tiny", "Tinytown")])
def test_published_pack_discloses_no_small_count(tmp_path, council, authority):
    pdf = shutil.which("chromium") is not None
    folder = _render(tmp_path, council, authority, publish=True, pdf=pdf)
    assert not pdf or (folder / "pack.pdf").exists()
    assert scan_pack(folder) == []
    page = (folder / "02_turnover.html").read_text(encoding="utf-8")
    assert "[c]" in page and "fewer than 5" in page


def test_the_scanner_finds_small_counts_in_the_draft_edition(tmp_path):
    found = scan_pack(_render(tmp_path, "wiltshire", "Wiltshire Council", publish=False, pdf=False))
    assert any("Agency FTE = 1.0" in f for f in found)
    assert any("Leavers = 1" in f or "'1 leavers'" in f for f in found) or len(found) > 50
