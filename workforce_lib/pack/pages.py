"""Pack pages: each section without code, the one-file pack, the index and the notices.

Every page reads offline and runs nothing (:func:`offline_page`); text from data and pack files is
escaped.
"""

from __future__ import annotations

import functools
import html
import re
from pathlib import Path

from ..publish import markdown_text
from .settings import DFE_INDICATORS_FILE, DFE_NEIGHBOURS_FILE, Pack, PackPlan

#: What a reader sees for a failure the workbench did not foresee; the details go to the log.
UNEXPECTED = (
    "This section could not be produced because of an unexpected error. The details are in pack.log beside this pack."
)


def notice_html(title: str, sentence: str, status: str) -> str:
    """The page of a section that did not run: its title and one plain sentence, escaped."""
    e = html.escape
    heading = "Not available" if status == "not available" else "This section could not be produced"
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{e(title)}</title>{_STYLE}</head>'
        f"<body><h1>{e(title)}</h1><h2 class='{e(status.replace(' ', '-'))}'>{e(heading)}</h2>"
        f"<p>{e(sentence)}</p></body></html>\n"
    )


def notebook_html(executed: Path) -> str:
    """The executed notebook as HTML without code cells or prompts (nbconvert --no-input)."""
    import nbformat

    return export_page(nbformat.read(executed, as_version=4))


def export_page(notebook) -> str:
    """A notebook as a page: HTML without code cells or prompts, offline (nbconvert --no-input).

    The workbench's nbconvert template (lab's, with each image's alt text taken from its output
    metadata: a chart's title and the sentence it illustrates, see ``plots.alt_text``)."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="workbench",
        extra_template_basedirs=[str(TEMPLATES / "nbconvert")],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    body, _ = exporter.from_notebook_node(notebook)
    return offline_page(body)


#: Pages need no script at all (tables, text and charts as images), so none may run: not nbconvert's
#: require.js, MathJax or mermaid loaders from a public CDN, and nothing a data file smuggles in.
CONTENT_SECURITY_POLICY = (
    '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; img-src data:; '
    "style-src 'unsafe-inline'; font-src data:; base-uri 'none'; form-action 'none'\">"
)


_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script\s*>", re.S | re.I)


def offline_page(page: str) -> str:
    """A page that reads offline and runs nothing: every script removed, and a Content-Security-Policy
    that forbids scripts and remote requests (images only as embedded data)."""
    page = _SCRIPT.sub("", page)
    return re.sub(r"<head>", "<head>" + CONTENT_SECURITY_POLICY, page, count=1, flags=re.I)


def combined_html(pack: Pack, work: Path, cover: str = "") -> str:
    """One self-contained HTML file of every section (a clerk can email or print it): the cover and
    summary (``cover``, see :func:`cover_html`), then each section without code, figures embedded,
    each starting on a new printed page under a heading the contents links to."""
    import nbformat

    from ..headlines import section_period

    combined = nbformat.v4.new_notebook()
    combined.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    for run in pack.runs:
        executed = work / f"{run.name}.ipynb"
        period = section_period(run.figures or {})
        heading = f'<h1 id="section-{html.escape(run.name)}" class="section-start">{html.escape(run.title)}</h1>' + (
            f'\n<p class="meta">Figures {html.escape(period)}.</p>' if period else ""
        )
        combined.cells.append(nbformat.v4.new_markdown_cell(heading))
        if run.status not in ("ok", "carried over") or not executed.exists():
            what = {"skipped": "Not run", "not available": "Not available"}.get(run.status, "Could not be produced")
            sentence = run.error or UNEXPECTED
            if sentence.startswith("Not available: "):
                sentence = sentence[len("Not available: ") :]
            combined.cells.append(nbformat.v4.new_markdown_cell(f"**{what}:** {markdown_text(sentence)}"))
            continue
        cells = nbformat.read(executed, as_version=4).cells
        for i, cell in enumerate(cells):
            cell["id"] = f"{run.name}-{i}"
        combined.cells.extend(cells)
    page = export_page(combined)
    page = re.sub(
        r"<title>.*?</title>",
        # A function, not a template: a backslash in a title is text, never a regex escape.
        lambda _match: f"<title>{html.escape(pack.title)}: {html.escape(pack.authority)}</title>",
        page,
        count=1,
        flags=re.S,
    )
    # nbconvert's own '@page {margin: 0.5in}' would hide the page numbers of the workbench's A4 rule.
    page = re.sub(r"@page\s*\{[^{}]*\}", "", page)
    page = page.replace("</head>", f"<style>{_template('style.css.j2').render()}</style></head>", 1)
    return _after_main(page, cover)


def _after_main(page: str, content: str) -> str:
    """The page with ``content`` first inside its <main> (or its <body>)."""
    for opening in (r"<main\b[^>]*>", r"<body\b[^>]*>"):
        found = re.search(opening, page, flags=re.I)
        if found:
            return page[: found.end()] + content + page[found.end() :]
    return content + page


def section_header(run, authority: str) -> str:
    """The line above a section's own page: the authority, the date its figures describe, a link back."""
    from ..headlines import section_period

    period = section_period(run.figures or {})
    where = " · ".join(html.escape(x) for x in (authority, f"figures {period}" if period else "") if x)
    return (
        '<nav aria-label="Pack" style="font-family:Arial,Helvetica,sans-serif;color:#505a5f;margin:0 1em">'
        '<p><a href="index.html" style="color:#1d70b8;text-decoration:underline">Back to the summary</a>'
        + (f" · {where}" if where else "")
        + "</p></nav>"
    )


TEMPLATES = Path(__file__).resolve().parent / "templates"
STATUS_WORDS = {"green": "green", "amber": "amber", "red": "red", "": "no target"}
STATUS_TEXT = {
    "ok": "shown",
    "carried over": "shown (from the previous pack)",
    "not available": "not available",
    "failed": "could not be produced",
    "skipped": "not run",
    "not run": "not run",
}


@functools.lru_cache(maxsize=1)
def _environment():
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,  # every value from a data or pack file is escaped
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _template(name: str):
    return _environment().get_template(name)


def cover_context(pack: Pack, run_at: str, history: list[dict], link, docs: list[str]) -> dict:
    """What the cover and summary show: the pack, its sections and their headline figures."""
    from ..disclosure import DFE_THRESHOLD
    from ..headlines import AMBER_MARGIN
    from ..periods import long_date
    from ..vacancy import DEFAULT_AMBER_MARGIN
    from .summary import grouped, previous_values, section_lines, summary_rows

    previous, previous_at = previous_values(history)
    sections = [(r.name, r.title, r.figures) for r in pack.runs]
    rows = summary_rows(sections, previous if history else None, {r.name: r.parameters for r in pack.runs})
    periods = {line.name: line.period for line in section_lines(pack.runs)}
    return {
        "title": pack.title,
        "authority": pack.authority,
        "rendered": readable_time(run_at),
        "as_of": long_date(pack.as_of) if re.match(r"^\d{4}-\d{2}-\d{2}$", pack.as_of or "") else pack.as_of,
        "published": pack.publish,
        "threshold": DFE_THRESHOLD,
        "rows": rows,
        "groups": [(name, title, periods.get(name, ""), found) for name, title, found in grouped(rows)],
        "show_change": bool(history),
        "previous_at": readable_time(previous_at) if previous_at else "",
        "lines": section_lines(pack.runs),
        "link": link,
        "status_words": STATUS_WORDS,
        "status_text": STATUS_TEXT,
        "amber": f"{AMBER_MARGIN:.0%}",
        "amber_points": f"{DEFAULT_AMBER_MARGIN * 100:.0f}",
        "docs": [(d, DOC_TITLES.get(d, d)) for d in docs],
    }


def readable_time(iso: str) -> str:
    """'2026-11-23T11:05:09' -> '23 November 2026 at 11:05' (the date as :func:`periods.long_date`)."""
    import datetime as dt

    from ..periods import long_date

    try:
        moment = dt.datetime.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{long_date(moment)} at {moment:%H:%M}"


def cover_html(pack: Pack, run_at: str, history: list[dict], docs: list[str], link) -> str:
    """The cover and one-page summary as an HTML fragment (pack.html's first page)."""
    return _template("cover.html.j2").render(**cover_context(pack, run_at, history, link, docs))


_STYLE = """<style>body{font-family:Arial,Helvetica,sans-serif;max-width:64em;margin:2em auto;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}
td.num{text-align:right}.ok{color:#00703c}.failed{color:#d4351c;font-weight:bold}.skipped,.not-available{color:#505a5f}
code{font-size:85%}</style>"""


def dfe_provenance(dfe_dir: Path | None) -> list:
    """Provenance of DfE's published files a pack reads: rows and SHA-256, like the contract files."""
    from ..data import source_file

    if dfe_dir is None:
        return []
    return [source_file(dfe_dir / n) for n in (DFE_INDICATORS_FILE, DFE_NEIGHBOURS_FILE) if (dfe_dir / n).is_file()]


def _setting_text(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(_setting_text(v) for v in value) or "none"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_setting_text(v)}" for k, v in value.items()) or "none"
    return "" if value is None else str(value)


def _index_html(
    pack: Pack,
    provenance: list,
    run_at: str,
    docs: list[str],
    national: str = "",
    warnings: list | None = None,
    history: list[dict] | None = None,
    pdf: bool = False,
) -> str:
    """index.html: the cover and summary, then an appendix with every file read and every setting."""
    from .. import __version__

    files = [
        {"name": s.name, "rows": s.rows, "dates": " to ".join(s.date_range) if s.date_range else "", "sha256": s.sha256}
        for s in provenance
    ]
    settings = [
        (r.title, name.replace("_", " "), _setting_text(value))
        for r in pack.runs
        for name, value in sorted(r.parameters.items())
        if name not in ("data_dir", "dfe_dir", "interactive")
    ]
    context = cover_context(pack, run_at, history or [], lambda name: f"{name}.html", docs)
    return _template("index.html.j2").render(
        csp=CONTENT_SECURITY_POLICY,
        page_title=f"{pack.title}: {pack.authority}",
        national=national,
        warnings=[str(w) for w in warnings or []],
        version=__version__,
        folders=", ".join(f.name for f in (pack.data_dir, pack.dfe_dir) if f is not None),
        files=files,
        settings=settings,
        pdf=pdf,
        **context,
    )


def benchmark_headlines(figures: dict) -> dict[str, dict]:
    """The DfE headline of each indicator from a pack's figures (the benchmark notebook's), if any."""
    for section in figures.values():
        found = section.get("benchmark", {}).get("indicators")
        if found:
            return found
    return {}


def national_index_html(plan: PackPlan, figures: dict[str, dict], run_at: str, docs: list[str]) -> str:
    """The page over a multi-authority pack: every authority with its sections' status, its latest
    published headline figures against its neighbours' median, and a link to its own pack."""
    from .. import __version__
    from ..dfe import INDICATORS

    e = html.escape
    shown = [i for i in INDICATORS if any(i in benchmark_headlines(figures[p.slug]) for p in plan.packs)]

    def cell(headline: dict | None, is_rate: bool) -> str:
        if not headline:
            return "<td></td>"
        value, median = headline.get("value"), headline.get("neighbours_median")
        show = (lambda v: f"{v:.1%}") if is_rate else (lambda v: f"{v:,.1f}")
        text = show(value) if value is not None else (headline.get("status") or "not published")
        versus = f" <small>(neighbours {show(median)})</small>" if median is not None else ""
        return f"<td class='num'>{e(text)}{versus}</td>"

    head = "".join(f"<th>{e(INDICATORS[i][0])}</th>" for i in shown)
    body = []
    failed = 0
    for pack in plan.packs:
        counts: dict[str, int] = {}
        for run in pack.runs:
            counts[run.status] = counts.get(run.status, 0) + 1
        failed += counts.get("failed", 0)
        status = ", ".join(f"<span class='{e(k)}'>{n} {e(k)}</span>" for k, n in sorted(counts.items()))
        headlines = benchmark_headlines(figures[pack.slug])
        year = next((h.get("year") for h in headlines.values() if h.get("year")), "")
        cells = "".join(cell(headlines.get(i), INDICATORS[i][1]) for i in shown)
        body.append(
            f"<tr><td><a href='{e(pack.slug)}/index.html'>{e(pack.authority)}</a></td><td>{e(pack.region)}</td>"
            f"<td>{status}</td><td>{e(str(year))}</td>{cells}</tr>"
        )
    doc_links = " ".join(f"<a href='{e(d)}'>{e(d)}</a>" for d in docs)
    files = "".join(
        f"<tr><td>{e(s.name)}</td><td>{s.rows:,}</td><td><code>{e(s.sha256)}</code></td></tr>"
        for s in dfe_provenance(plan.dfe_dir)
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head>{CONTENT_SECURITY_POLICY}<meta charset="utf-8"><title>{e(plan.title)}</title>{_STYLE}</head>
<body><h1>{e(plan.title)}</h1>
<p>One pack for each of {e(plan.selection)}. Rendered {e(run_at)} by Workforce Workbench {e(__version__)}.
{len(plan.packs)} packs, {failed} failed section(s).</p>
<p>Figures are DfE's published statistics for the latest year (children's social work workforce, FTE),
each with the median of the authority's ten statistical neighbours. Suppressed values show DfE's reason.</p>
<table><tr><th>Authority</th><th>Region</th><th>Sections</th><th>Year</th>{head}</tr>{"".join(body)}</table>
<p>Every authority's headline figures: <a href="figures.json">figures.json</a>. Assumptions and sources: {doc_links}</p>
<h2>Provenance</h2><table><tr><th>File</th><th>Rows</th><th>SHA-256</th></tr>{files}</table>
</body></html>
"""


#: The plain-language pages every pack carries, shipped inside the package (found in any install).
DOCS_DIR = Path(__file__).resolve().parent / "docs"
DOCS = ("assumptions_caveats.md", "data_log.md")


def write_log(pack: Pack, folder: Path) -> None:
    """pack.log beside the pages: every section's status, and the traceback of each failure (the
    analyst's record; pages show only a plain sentence)."""
    lines = []
    for run in pack.runs:
        lines.append(f"{run.label}: {run.status}" + (f": {run.error}" if run.error else ""))
        if run.log:
            lines.extend(["", run.log.rstrip(), ""])
    (folder / "pack.log").write_text("\n".join(lines) + "\n", encoding="utf-8")


def data_provenance(data_dir: Path | None) -> tuple[list, list]:
    """Every contract file and census return in a data folder with rows and SHA-256, and the
    warnings of loading it.

    A file with problems does not stop the pack (only the sections that read it fail): it is
    listed with its hash and the problems counted among the warnings. A census return's rows are
    its worker records."""
    from ..census.read import CENSUS_FOLDER
    from ..contract import SPECS
    from ..data import load_dataset, source_file
    from ..errors import DataError

    if data_dir is None:
        return [], []
    census = sorted((data_dir / CENSUS_FOLDER).glob("*.xml")) if (data_dir / CENSUS_FOLDER).is_dir() else []
    returns = [census_file(path) for path in census]
    try:
        dataset = load_dataset(data_dir, strict=False)
    except DataError as exc:  # not even a folder of contract files
        return returns, list(exc.problems)
    # A file left out for its problems is still listed, with its hash.
    found = dataset.provenance() + [source_file(data_dir / SPECS[name][0].filename) for name in dataset.failed]
    return found + returns, list(dataset.warnings)


def census_file(path: Path):
    """Provenance of a census return: its worker records and SHA-256 (like ``data.source_file``),
    read in blocks (returns can be large)."""
    import hashlib

    from ..data import SourceFile

    marker = b"<CSWWWorker>"
    digest, workers, tail = hashlib.sha256(), 0, b""
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
            joined = tail + block
            workers += joined.count(marker) - tail.count(marker)
            tail = joined[-(len(marker) - 1) :]
    return SourceFile(f"census/{path.name}", str(path), workers, digest.hexdigest(), None)


DOC_TITLES = {"assumptions_caveats.html": "Assumptions and caveats", "data_log.html": "Data log"}


def doc_page(markdown_file: Path) -> str:
    """A plain-language page of the workbench (assumptions, data log) as HTML, offline."""
    import mistune

    text = markdown_file.read_text(encoding="utf-8")
    body = mistune.create_markdown(escape=True, plugins=["table"])(text)
    title = next((line[2:].strip() for line in text.splitlines() if line.startswith("# ")), markdown_file.stem)
    return _template("doc.html.j2").render(csp=CONTENT_SECURITY_POLICY, page_title=title, body=body)


def _copy_docs(docs_dir: Path, folder: Path) -> list[str]:
    """The workbench's plain-language pages written into the pack as HTML; their file names."""
    docs = []
    for name in DOCS:
        if (docs_dir / name).exists():
            page = Path(name).with_suffix(".html").name
            (folder / page).write_text(doc_page(docs_dir / name), encoding="utf-8")
            docs.append(page)
    return docs
