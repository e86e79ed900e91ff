"""Committee packs: run the listed notebooks with papermill and render them as HTML without code.

A pack file (``packs/*.yaml``) names the notebooks and their parameters. ``render_pack`` checks
it against each notebook's ``parameters`` cell (papermill's own inspection) before anything runs,
executes every notebook, exports each as HTML with no code cells or prompts, writes
``index.html`` (contents, status, provenance of every data file) and ``figures.json`` (every
notebook's headline figures). The pack is built in a temporary folder beside the target and moved
into place only when complete, so a failed or interrupted run leaves the previous pack intact.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

PACK_KEYS = {"title", "authority", "as_of", "data_dir", "output", "publish", "defaults", "notebooks", "timeout"}
ENTRY_KEYS = {"notebook", "name", "title", "parameters"}
DEFAULT_TIMEOUT_SECONDS = 600


class PackError(ValueError):
    """A pack file that cannot be run; the message names the file and the key."""


@dataclass
class NotebookRun:
    """One notebook of a pack: where it is, what it is called in the pack, its parameters."""

    name: str
    title: str
    notebook: Path
    parameters: dict
    status: str = "pending"
    error: str | None = None
    figures: dict = field(default_factory=dict)


@dataclass
class Pack:
    """A parsed, checked pack file."""

    path: Path
    title: str
    authority: str
    as_of: str
    data_dir: Path
    output: str
    publish: bool
    timeout: int
    runs: list[NotebookRun]


def _json_value(value, where: str):
    """Parameters travel as JSON types; dates become ISO strings (papermill cannot take dates)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (str, bool, int, float)) or value is None:
        return value
    if isinstance(value, list):
        return [_json_value(v, where) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_value(v, where) for k, v in value.items()}
    raise PackError(f"{where}: {value!r} is not a JSON value (text, number, true/false, list or mapping)")


def declared_parameters(notebook: Path | str) -> dict[str, str]:
    """Parameters a notebook's ``parameters`` cell declares, with their type (papermill's inspection).

    papermill infers a type only from an annotation; otherwise the type of the default literal
    is used (``0.10`` -> float, ``"caseholder"`` -> str).
    """
    import ast

    import papermill

    declared = papermill.inspect_notebook(str(notebook))
    types: dict[str, str] = {}
    for name, info in declared.items():
        kind = info.get("inferred_type_name", "None")
        if kind in ("None", None):
            try:
                kind = type(ast.literal_eval(info["default"])).__name__
            except (ValueError, SyntaxError):
                kind = "None"
        types[name] = kind
    return types


_TYPE_CHECKS = {
    "str": lambda v: isinstance(v, str),
    # Numbers are numbers: a pack may give 2.5 where the notebook's default is 2, or 3000 for 3000.0.
    "float": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "int": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "bool": lambda v: isinstance(v, bool),
    "list": lambda v: isinstance(v, list),
    "dict": lambda v: isinstance(v, dict),
}


def load_pack(path: Path | str) -> Pack:
    """Read and check a pack file: unknown keys, missing notebooks, undeclared or mistyped parameters."""
    path = Path(path)
    if not path.exists():
        raise PackError(f"{path}: no such pack file")
    try:
        spec = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise PackError(f"{path}: not valid YAML ({exc})") from None
    if not isinstance(spec, dict):
        raise PackError(f"{path}: expected a mapping of pack settings at the top level")
    unknown = sorted(set(spec) - PACK_KEYS)
    if unknown:
        raise PackError(f"{path}: unknown key(s) {unknown}; allowed: {sorted(PACK_KEYS)}")
    for key in ("title", "data_dir", "notebooks"):
        if key not in spec:
            raise PackError(f"{path}: missing key '{key}'")
    base = path.parent
    data_dir = (base / str(spec["data_dir"])).resolve()
    if not data_dir.is_dir():
        raise PackError(f"{path}: data_dir '{spec['data_dir']}' is not a folder ({data_dir})")
    as_of = _json_value(spec.get("as_of", ""), f"{path}: as_of") or ""
    defaults = _json_value(spec.get("defaults", {}) or {}, f"{path}: defaults")
    if not isinstance(defaults, dict):
        raise PackError(f"{path}: defaults must be a mapping of parameter names to values")
    runs: list[NotebookRun] = []
    seen: set[str] = set()
    entries = spec["notebooks"]
    if not isinstance(entries, list) or not entries:
        raise PackError(f"{path}: notebooks must be a non-empty list")
    for i, entry in enumerate(entries, start=1):
        where = f"{path}: notebooks[{i}]"
        if isinstance(entry, str):
            entry = {"notebook": entry}
        if not isinstance(entry, dict) or "notebook" not in entry:
            raise PackError(f"{where}: expected a mapping with a 'notebook' key")
        bad = sorted(set(entry) - ENTRY_KEYS)
        if bad:
            raise PackError(f"{where}: unknown key(s) {bad}; allowed: {sorted(ENTRY_KEYS)}")
        notebook = (base / str(entry["notebook"])).resolve()
        if not notebook.exists():
            raise PackError(f"{where}: notebook '{entry['notebook']}' not found ({notebook})")
        name = str(entry.get("name") or notebook.stem)
        if name in seen:
            raise PackError(f"{where}: name '{name}' used twice; give each run its own 'name'")
        seen.add(name)
        own = _json_value(entry.get("parameters", {}) or {}, f"{where}: parameters")
        declared = declared_parameters(notebook)
        params = {k: v for k, v in defaults.items() if k in declared}
        params.update(own)
        params["data_dir"] = str(data_dir)
        if "as_of" in declared and as_of and "as_of" not in own:
            params["as_of"] = str(as_of)
        if "interactive" in declared:
            params["interactive"] = False
        if "publish" in declared:
            params["publish"] = bool(spec.get("publish", False))
        undeclared = sorted(set(own) - set(declared))
        if undeclared:
            raise PackError(
                f"{where}: parameter(s) {undeclared} are not declared in the parameters cell of "
                f"{notebook.name} (it declares {sorted(declared)})"
            )
        for key, value in params.items():
            expected = declared.get(key)
            check = _TYPE_CHECKS.get(expected or "")
            if check is not None and value is not None and not check(value):
                raise PackError(
                    f"{where}: parameter '{key}' is {type(value).__name__} {value!r}; "
                    f"{notebook.name} expects {expected}"
                )
        runs.append(NotebookRun(name, str(entry.get("title") or name), notebook, params))
    return Pack(
        path=path,
        title=str(spec["title"]),
        authority=str(spec.get("authority", "")),
        as_of=str(as_of),
        data_dir=data_dir,
        output=str(spec.get("output") or path.stem),
        publish=bool(spec.get("publish", False)),
        timeout=int(spec.get("timeout", DEFAULT_TIMEOUT_SECONDS)),
        runs=runs,
    )


def _ipc_kernel_manager(socket_dir: str):
    """A kernel manager that talks to its kernel over IPC sockets in a private folder, not TCP ports:
    parallel starts cannot race for ports or socket names, and nothing listens on the network."""
    import os

    from jupyter_client.manager import AsyncKernelManager
    from traitlets import CaselessStrEnum, default

    class IPCKernelManager(AsyncKernelManager):
        transport = CaselessStrEnum(["tcp", "ipc"], default_value="ipc", config=True)

        @default("ip")
        def _private_socket_path(self) -> str:
            return os.path.join(socket_dir, "kernel")

    return IPCKernelManager


def execute_notebook(run: NotebookRun, output: Path, timeout: int) -> NotebookRun:
    """Run one notebook with papermill in this process; the executed copy is kept even when a cell fails.

    The kernel runs over IPC, is given ``timeout`` seconds a cell, and is shut down immediately
    afterwards (a graceful shutdown stalls for seconds now and then).
    """
    import papermill

    socket_dir = tempfile.mkdtemp(prefix="workforce-kernel-")
    try:
        papermill.execute_notebook(
            str(run.notebook),
            str(output),
            parameters=run.parameters,
            kernel_name="python3",
            progress_bar=False,
            cwd=str(run.notebook.parent),
            execution_timeout=timeout,
            shutdown_kernel="immediate",
            kernel_manager_class=_ipc_kernel_manager(socket_dir),
        )
        run.status = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure is reported in the pack, not raised
        run.status = "failed"
        lines = [line for line in str(exc).strip().splitlines() if line.strip()]
        run.error = f"{type(exc).__name__}: {lines[-1] if lines else ''}"[:500]
    finally:
        shutil.rmtree(socket_dir, ignore_errors=True)
    return run


def notebook_html(executed: Path) -> str:
    """The executed notebook as HTML without code cells or prompts (nbconvert --no-input)."""
    import nbformat

    return _export(nbformat.read(executed, as_version=4))


def _export(notebook) -> str:
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(notebook)
    return body


def _render_one(run: NotebookRun, work: Path, timeout: int) -> NotebookRun:
    """Worker: execute one notebook, write its HTML, collect its headline figures (in a child process)."""
    import nbformat

    from .publish import collect_figures

    executed = work / f"{run.name}.ipynb"
    execute_notebook(run, executed, timeout)
    if executed.exists():
        notebook = nbformat.read(executed, as_version=4)
        (work / f"{run.name}.html").write_text(_export(notebook), encoding="utf-8")
        run.figures = collect_figures(notebook)
    return run


def combined_html(pack: Pack, work: Path) -> str:
    """One self-contained HTML file of every section (a clerk can email it): contents, then each
    executed notebook without code, figures embedded."""
    import nbformat

    combined = nbformat.v4.new_notebook()
    combined.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    contents = "\n".join(f"{i}. {r.title} ({r.status})" for i, r in enumerate(pack.runs, start=1))
    combined.cells.append(nbformat.v4.new_markdown_cell(f"# {pack.title}\n\n{pack.authority}\n\n{contents}"))
    for run in pack.runs:
        executed = work / f"{run.name}.ipynb"
        combined.cells.append(nbformat.v4.new_markdown_cell(f"---\n\n# {run.title}"))
        if not executed.exists():
            combined.cells.append(nbformat.v4.new_markdown_cell(f"**This section failed:** {run.error}"))
            continue
        cells = nbformat.read(executed, as_version=4).cells
        for i, cell in enumerate(cells):
            cell["id"] = f"{run.name}-{i}"
        combined.cells.extend(cells)
        if run.status != "ok":
            combined.cells.append(nbformat.v4.new_markdown_cell(f"**This section failed:** {run.error}"))
    return _export(combined)


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
                "--no-pdf-header-footer",
                f"--print-to-pdf={pdf_file}",
                html_file.resolve().as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    if result.returncode != 0 or not pdf_file.exists():
        raise PackError(f"Chromium could not print {html_file.name}: {result.stderr.strip()[-300:]}")


def _index_html(pack: Pack, provenance: list, run_at: str, docs: list[str]) -> str:
    from . import __version__

    e = html.escape
    rows = "".join(
        f"<tr><td><a href='{e(r.name)}.html'>{e(r.title)}</a></td>"
        f"<td class='{e(r.status)}'>{e(r.status)}</td><td>{e(r.error or '')}</td></tr>"
        for r in pack.runs
    )
    files = "".join(
        f"<tr><td>{e(s.name)}</td><td>{s.rows:,}</td><td>{e(' to '.join(s.date_range) if s.date_range else '')}</td>"
        f"<td><code>{e(s.sha256)}</code></td></tr>"
        for s in provenance
    )

    def shown(parameters: dict) -> str:
        return json.dumps({k: v for k, v in parameters.items() if k != "data_dir"}, sort_keys=True)

    params = "".join(f"<tr><td>{e(r.name)}</td><td><code>{e(shown(r.parameters))}</code></td></tr>" for r in pack.runs)
    doc_links = " ".join(f"<a href='{e(d)}'>{e(d)}</a>" for d in docs)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{e(pack.title)}</title>
<style>body{{font-family:Arial,Helvetica,sans-serif;max-width:60em;margin:2em auto;color:#222}}
table{{border-collapse:collapse;margin:1em 0}}td,th{{border:1px solid #ccc;padding:4px 8px;text-align:left}}
.ok{{color:#00703c}}.failed{{color:#d4351c;font-weight:bold}}code{{font-size:85%}}</style></head>
<body><h1>{e(pack.title)}</h1>
<p>Authority: <strong>{e(pack.authority)}</strong>.
Data as of: <strong>{e(pack.as_of or "latest in each file")}</strong>.
Rendered {e(run_at)} by Workforce Workbench {e(__version__)}.
{"<strong>Published edition: counts of 1 to 4 are suppressed.</strong>" if pack.publish else ""}</p>
<h2>Contents</h2><table><tr><th>Section</th><th>Status</th><th>Problem</th></tr>{rows}</table>
<p>The whole pack as one file: <a href="pack.html">pack.html</a>. Headline figures of every section:
<a href="figures.json">figures.json</a>. Assumptions and sources: {doc_links}</p>
<h2>Provenance</h2><p>Data folder: <code>{e(pack.data_dir.name)}</code>.
Every file read, with its row count and SHA-256:</p>
<table><tr><th>File</th><th>Rows</th><th>Dates</th><th>SHA-256</th></tr>{files}</table>
<h2>Parameters</h2><table><tr><th>Section</th><th>Parameters</th></tr>{params}</table>
</body></html>
"""


@dataclass
class PackResult:
    """What a pack run produced: its folder and the runs with their status."""

    folder: Path
    runs: list[NotebookRun]
    pdf: Path | None = None

    @property
    def failed(self) -> list[NotebookRun]:
        return [r for r in self.runs if r.status not in ("ok", "carried over")]


DOCS = ("assumptions_caveats.md", "data_log.md")


def _clean_stale_partials(reports_dir: Path, output: str) -> None:
    """Remove half-built folders of this pack left by a killed run (never the finished pack)."""
    for stale in reports_dir.glob(f".{output}.partial-*"):
        shutil.rmtree(stale, ignore_errors=True)
    for stale in reports_dir.glob(f".{output}.old-*"):
        shutil.rmtree(stale, ignore_errors=True)


def render_pack(
    pack_path: Path | str,
    reports_dir: Path | str = "reports",
    jobs: int | None = None,
    pdf: bool = False,
    only: list[str] | None = None,
    progress: bool = False,
) -> PackResult:
    """Render a pack into ``reports_dir/<output>/``, atomically; returns the runs and their status.

    Notebooks run in parallel worker processes (``jobs``, default one per core). With ``only``,
    just those sections run; the others are carried over from the previous pack if it has them.
    """
    import os
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from .data import load_dataset

    pack = load_pack(pack_path)
    if only:
        unknown = sorted(set(only) - {r.name for r in pack.runs})
        if unknown:
            raise PackError(f"{pack.path}: no section named {unknown}; sections: {[r.name for r in pack.runs]}")
    provenance = load_dataset(pack.data_dir).provenance()
    reports_dir = Path(reports_dir)
    reports_dir.mkdir(parents=True, exist_ok=True)
    _clean_stale_partials(reports_dir, pack.output)
    target = reports_dir / pack.output
    work = Path(tempfile.mkdtemp(prefix=f".{pack.output}.partial-", dir=reports_dir))
    try:
        old_figures = {}
        if only and (target / "figures.json").exists():
            old_figures = json.loads((target / "figures.json").read_text(encoding="utf-8")).get("sections", {})
        to_run = []
        for run in pack.runs:
            if only and run.name not in only:
                if (target / f"{run.name}.html").exists():
                    for suffix in (".ipynb", ".html"):
                        if (target / f"{run.name}{suffix}").exists():
                            shutil.copy2(target / f"{run.name}{suffix}", work / f"{run.name}{suffix}")
                    run.status, run.figures = "carried over", old_figures.get(run.name, {})
                else:
                    run.status, run.error = "not run", "left out with --only and not in the previous pack"
                continue
            to_run.append(run)
        workers = max(1, min(jobs or os.cpu_count() or 1, len(to_run) or 1))
        bar = None
        if progress:
            from tqdm import tqdm

            bar = tqdm(total=len(to_run), unit="notebook", desc=pack.output)
        done: dict[str, NotebookRun] = {}
        if workers == 1:
            for run in to_run:
                done[run.name] = _render_one(run, work, pack.timeout)
                if bar:
                    bar.update(1)
        else:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                futures = {pool.submit(_render_one, run, work, pack.timeout): run for run in to_run}
                for future in as_completed(futures):
                    finished = future.result()
                    done[finished.name] = finished
                    if bar:
                        failed = sum(1 for r in done.values() if r.status != "ok")
                        bar.set_postfix(running=min(workers, len(futures) - len(done)), failed=failed)
                        bar.update(1)
        if bar:
            bar.close()
        pack.runs = [done.get(r.name, r) for r in pack.runs]
        run_at = dt.datetime.now().isoformat(timespec="seconds")
        figures = {r.name: r.figures for r in pack.runs}
        (work / "figures.json").write_text(
            json.dumps({"title": pack.title, "as_of": pack.as_of, "sections": figures}, indent=2, sort_keys=True),
            encoding="utf-8",
        )
        docs = []
        docs_dir = Path(__file__).resolve().parent.parent / "docs"
        for name in DOCS:
            if (docs_dir / name).exists():
                shutil.copy2(docs_dir / name, work / name)
                docs.append(name)
        (work / "pack.html").write_text(combined_html(pack, work), encoding="utf-8")
        (work / "index.html").write_text(_index_html(pack, provenance, run_at, docs), encoding="utf-8")
        pdf_file = None
        if pdf:
            pdf_file = work / "pack.pdf"
            print_pdf(work / "pack.html", pdf_file)
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{pack.output}.old-", dir=reports_dir))
            target.rename(old / "pack")
            work.rename(target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            work.rename(target)
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)
    return PackResult(target, pack.runs, target / "pack.pdf" if pdf else None)
