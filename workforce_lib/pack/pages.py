"""Pack pages: each section without code, the one-file pack, the index and the notices.

Every page reads offline and runs nothing (:func:`offline_page`); text from data and pack files is
escaped.
"""

from __future__ import annotations

import html
import json
import re
import shutil
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
    """A notebook as a page: HTML without code cells or prompts, offline (nbconvert --no-input)."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
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


def combined_html(pack: Pack, work: Path) -> str:
    """One self-contained HTML file of every section (a clerk can email it): contents, then each
    executed notebook without code, figures embedded."""
    import nbformat

    combined = nbformat.v4.new_notebook()
    combined.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    contents = "\n".join(
        f"{i}. {markdown_text(r.title)} ({markdown_text(r.status)})" for i, r in enumerate(pack.runs, start=1)
    )
    combined.cells.append(
        nbformat.v4.new_markdown_cell(f"# {markdown_text(pack.title)}\n\n{markdown_text(pack.authority)}\n\n{contents}")
    )
    for run in pack.runs:
        executed = work / f"{run.name}.ipynb"
        combined.cells.append(nbformat.v4.new_markdown_cell(f"---\n\n# {markdown_text(run.title)}"))
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
    return export_page(combined)


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


def _index_html(
    pack: Pack, provenance: list, run_at: str, docs: list[str], national: str = "", warnings: list | None = None
) -> str:
    from .. import __version__

    e = html.escape
    rows = "".join(
        f"<tr><td><a href='{e(r.name)}.html'>{e(r.title)}</a></td>"
        f"<td class='{e(r.status.replace(' ', '-'))}'>{e(r.status)}</td><td>{e(r.error or '')}</td></tr>"
        for r in pack.runs
    )
    noted = "".join(f"<li>{e(str(w))}</li>" for w in warnings or [])
    noted = f"<h2>Warnings about the data</h2><ul>{noted}</ul>" if noted else ""
    files = "".join(
        f"<tr><td>{e(s.name)}</td><td>{s.rows:,}</td><td>{e(' to '.join(s.date_range) if s.date_range else '')}</td>"
        f"<td><code>{e(s.sha256)}</code></td></tr>"
        for s in provenance
    )

    def shown(parameters: dict) -> str:
        return json.dumps({k: v for k, v in parameters.items() if k not in ("data_dir", "dfe_dir")}, sort_keys=True)

    params = "".join(f"<tr><td>{e(r.name)}</td><td><code>{e(shown(r.parameters))}</code></td></tr>" for r in pack.runs)
    doc_links = " ".join(f"<a href='{e(d)}'>{e(d)}</a>" for d in docs)
    folders = ", ".join(f"<code>{e(f.name)}</code>" for f in (pack.data_dir, pack.dfe_dir) if f is not None) or "none"
    up = f"<p><a href='../index.html'>{e(national)}</a> &gt; {e(pack.authority)}</p>" if national else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head>{CONTENT_SECURITY_POLICY}<meta charset="utf-8"><title>{e(pack.title)}: {e(pack.authority)}</title>
{_STYLE}</head>
<body>{up}<h1>{e(pack.title)}</h1>
<p>Authority: <strong>{e(pack.authority)}</strong>.
Data as of: <strong>{e(pack.as_of or "latest in each file")}</strong>.
Rendered {e(run_at)} by Workforce Workbench {e(__version__)}.
{"<strong>Published edition: counts of 1 to 4 are suppressed.</strong>" if pack.publish else ""}</p>
<h2>Contents</h2><table><tr><th>Section</th><th>Status</th><th>Why</th></tr>{rows}</table>
{noted}
<p>The whole pack as one file: <a href="pack.html">pack.html</a>. Headline figures of every section:
<a href="figures.json">figures.json</a>. Assumptions and sources: {doc_links}</p>
<h2>Provenance</h2><p>Data folders: {folders}.
Every file read, with its row count and SHA-256:</p>
<table><tr><th>File</th><th>Rows</th><th>Dates</th><th>SHA-256</th></tr>{files}</table>
<h2>Parameters</h2><table><tr><th>Section</th><th>Parameters</th></tr>{params}</table>
</body></html>
"""


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
    """Every contract file in a data folder with rows and SHA-256, and the warnings of loading it.

    A file with problems does not stop the pack (only the sections that read it fail): it is
    listed with its hash and the problems counted among the warnings."""
    from ..contract import SPECS
    from ..data import load_dataset, source_file
    from ..errors import DataError

    if data_dir is None:
        return [], []
    try:
        dataset = load_dataset(data_dir, strict=False)
    except DataError as exc:  # not even a folder of contract files
        return [], list(exc.problems)
    # A file left out for its problems is still listed, with its hash.
    found = dataset.provenance() + [source_file(data_dir / SPECS[name][0].filename) for name in dataset.failed]
    return found, list(dataset.warnings)


def _copy_docs(docs_dir: Path, folder: Path) -> list[str]:
    docs = []
    for name in DOCS:
        if (docs_dir / name).exists():
            shutil.copy2(docs_dir / name, folder / name)
            docs.append(name)
    return docs
