"""The sample pack as a councillor reads it: one value per figure, a cover and summary, plain words,
alt text on every chart, and an A4 PDF with page numbers and a bookmark per section.

The pack is rendered once for the module (real kernels, about half a minute)."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from workforce_lib import pack as packs
from workforce_lib.headlines import section_headlines
from workforce_lib.pack.summary import HISTORY_FILE

ROOT = Path(__file__).resolve().parent.parent
NBCONVERT_NO_ALT = "No description has been provided for this image"


class _Text(HTMLParser):
    """A page's visible text, with the headline-figures table (which repeats the figures) kept apart."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.body: list[str] = []
        self.headline_table: list[str] = []
        self.images: list[dict] = []
        self._skip = 0
        self._in_headlines = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("style", "script", "title"):
            self._skip += 1
        if tag == "table" and "headline-figures" in (attrs.get("class") or ""):
            self._in_headlines += 1
        if tag == "img":
            self.images.append(attrs)

    def handle_endtag(self, tag):
        if tag in ("style", "script", "title"):
            self._skip -= 1
        if tag == "table" and self._in_headlines:
            self._in_headlines -= 1

    def handle_data(self, data):
        if self._skip:
            return
        (self.headline_table if self._in_headlines else self.body).append(data)


def read_page(path: Path) -> _Text:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def sample_pack(tmp_path_factory):
    reports = tmp_path_factory.mktemp("reports")
    pdf = packs.chromium_path() is not None
    result = packs.render_pack(ROOT / "packs" / "sample.yaml", reports_dir=reports, pdf=pdf)
    assert not result.failed, [(r.name, r.error) for r in result.failed]
    return result


def test_every_summary_figure_is_shown_in_words_on_its_page(sample_pack):
    """Each headline figure of figures.json, formatted once (headlines.format_value), appears in the
    sentences or tables of its own page, outside the table of headline figures that repeats it."""
    folder = sample_pack.folder
    sections = json.loads((folder / "figures.json").read_text(encoding="utf-8"))["sections"]
    missing = []
    checked = 0
    for name, figures in sections.items():
        text = " ".join(" ".join(read_page(folder / f"{name}.html").body).split())
        for headline in section_headlines(name, figures):
            if not headline.headline or headline.value is None:
                continue
            checked += 1
            if headline.shown not in text:
                missing.append(f"{name}: {headline.label} = {headline.shown}")
    assert checked >= 25
    assert not missing, missing


def test_pack_html_opens_with_a_cover_summary_and_linked_contents(sample_pack):
    folder = sample_pack.folder
    page = (folder / "pack.html").read_text(encoding="utf-8")
    text = " ".join(" ".join(read_page(folder / "pack.html").body).split())
    cover = text[: text.index("Contents")]
    assert cover.startswith("Children's social work workforce: sample committee pack Kent Rendered ")
    assert "Vacancy rate: caseholders 15.1% 10.0% red" in cover
    # DfE's turnover for Kent in 2025 (15.4%) against its neighbours' median (9.8%): red.
    assert "DfE turnover 15.4% 9.8% red" in cover
    for run in sample_pack.runs:
        assert f'href="#section-{run.name}"' in page and f'id="section-{run.name}"' in page, run.name
    assert "(figures at 31 March 2011)" in cover and "(figures year to 30 September 2025)" in cover


def test_index_leads_with_the_summary_and_keeps_provenance_in_an_appendix(sample_pack):
    folder = sample_pack.folder
    text = " ".join(" ".join(read_page(folder / "index.html").body).split())
    assert text.index("Summary") < text.index("Contents") < text.index("Appendix: where the figures come from")
    assert text.index("SHA-256") > text.index("Appendix")
    assert "census/csww_886_2025.xml 1,064" in text  # the census return read, with its worker records
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert 'href="assumptions_caveats.html"' in page and ".md" not in page
    assert "{" not in text and "['" not in text  # settings in words, not JSON
    doc = " ".join(read_page(folder / "assumptions_caveats.html").body)
    assert "Assumptions and caveats" in doc and "<h1>" in (folder / "assumptions_caveats.html").read_text()


def test_pages_are_for_councillors_not_for_the_notebook(sample_pack):
    folder = sample_pack.folder
    for page in sorted(folder.glob("*.html")):
        parsed = read_page(page)
        text = " ".join(" ".join(parsed.body + parsed.headline_table).split())
        for phrase in ("Move the slider", "This notebook", "True", "False", "£-", "['", "{'"):
            assert phrase not in text, f"{page.name}: {phrase!r}"
        for image in parsed.images:
            alt = image.get("alt") or ""
            assert alt and alt != NBCONVERT_NO_ALT and len(alt) > 20, f"{page.name}: image alt {alt!r}"
    for run in sample_pack.runs:
        images = re.findall(r'src="data:image/png;base64,([^"]+)"', (folder / f"{run.name}.html").read_text())
        assert len(images) == len(set(images)), f"{run.name} shows a chart twice"


def test_headline_figures_on_a_page_are_a_readable_table(sample_pack):
    parsed = read_page(sample_pack.folder / "04_pay_benchmark.html")
    table = " ".join(" ".join(parsed.headline_table).split())
    assert "Pay against the neighbours' median: Experienced SW −£1,541" in table
    assert "_" not in table


def test_pdf_is_a4_with_page_numbers_and_a_bookmark_per_section(sample_pack):
    if sample_pack.pdf is None:
        pytest.skip("Chromium is not installed")
    import pypdf

    reader = pypdf.PdfReader(sample_pack.pdf)
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    pages = len(reader.pages)
    assert f"Page 1 of {pages}" in reader.pages[0].extract_text()
    assert f"Page {pages} of {pages}" in reader.pages[-1].extract_text()

    def titles(outline):
        for item in outline:
            if isinstance(item, list):
                yield from titles(item)
            else:
                yield " ".join(item.title.split())

    bookmarks = list(titles(reader.outline))
    for run in sample_pack.runs:
        assert any(" ".join(run.title.split()).replace(" ", "") == b.replace(" ", "") for b in bookmarks), run.title


def test_the_next_pack_shows_the_change_since_this_one(sample_pack, tmp_path):
    """history.json keeps each render; the summary shows the change against the last one."""
    import shutil

    reports = tmp_path / "reports"
    shutil.copytree(sample_pack.folder, reports / "sample")
    history = json.loads((reports / "sample" / HISTORY_FILE).read_text())
    history[-1]["values"]["01_vacancy/vacancy.by_role_group.caseholder.vacancy_rate"] = 0.171
    (reports / "sample" / HISTORY_FILE).write_text(json.dumps(history))
    result = packs.render_pack(ROOT / "packs" / "sample.yaml", reports_dir=reports, only=["05_campaign_funnel"])
    assert not result.failed
    kept = json.loads((result.folder / HISTORY_FILE).read_text())
    assert len(kept) == len(history) + 1
    text = " ".join(" ".join(read_page(result.folder / "index.html").body).split())
    # 15.1% now against 17.1% in the last pack: down 2.0 points; unchanged figures say so.
    assert "Vacancy rate: caseholders 15.1% 10.0% red −2.0 points" in text
    assert "Applications 22 none set no target no change" in text
    assert html.escape("<") not in text
