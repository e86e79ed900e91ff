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
import functools
import html
import json
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .disclosure import DFE_THRESHOLD
from .errors import PackError
from .publish import markdown_text

__all__ = ["PackError", "load_pack", "load_packs", "render_pack"]

PACK_KEYS = {
    "title",
    "authority",
    "authorities",
    "as_of",
    "data_dir",
    "data_dirs",
    "dfe_dir",
    "output",
    "publish",
    "defaults",
    "notebooks",
    "timeout",
}
ENTRY_KEYS = {"notebook", "name", "title", "parameters", "own_data"}
DEFAULT_TIMEOUT_SECONDS = 600
DFE_INDICATORS_FILE = "csww_indicators_2017_to_2025.csv"
DFE_NEIGHBOURS_FILE = "New_Statistical_Neighbour_Groupings_April_2021.csv"
_HOME = Path(__file__).resolve().parent.parent
#: DfE's published statistics shipped with the workbench: the default dfe_dir.
DFE_DIR = _HOME / "data" / "dfe"

#: The sections of a pack file that lists no notebooks: every analysis, in reading order.
STANDARD_SECTIONS: tuple[dict, ...] = (
    {
        "notebook": "01_vacancy.ipynb",
        "name": "01_vacancy",
        "title": "Vacancy: caseholders",
        "parameters": {"role_group": "caseholder"},
    },
    {
        "notebook": "01_vacancy.ipynb",
        "name": "01_vacancy_managers",
        "title": "Vacancy: non-caseholding managers",
        "parameters": {"role_group": "manager"},
    },
    {"notebook": "02_turnover.ipynb", "name": "02_turnover", "title": "Turnover and retention"},
    {
        "notebook": "03_workforce_plan.ipynb",
        "name": "03_workforce_plan",
        "title": "Workforce plan to the vacancy target",
    },
    {
        "notebook": "04_pay_benchmark.ipynb",
        "name": "04_pay_benchmark",
        "title": "Pay benchmark and the cost of proposals",
    },
    {
        "notebook": "05_campaign_funnel.ipynb",
        "name": "05_campaign_funnel",
        "title": "Recruitment campaign and selection funnel",
    },
    {
        "notebook": "06_benchmark.ipynb",
        "name": "06_benchmark",
        "title": "How we compare: DfE statistics and statistical neighbours",
        "own_data": "optional",
    },
    {
        "notebook": "07_census.ipynb",
        "name": "07_census",
        "title": "Our census return: DfE's figures before DfE publishes them",
    },
    {
        "notebook": "08_workforce_plan_by_grade.ipynb",
        "name": "08_workforce_plan_by_grade",
        "title": "Workforce plan by grade",
    },
)


#: Output and section names become folder and file names: plain slugs only.
SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
#: File names a pack writes itself; a section may not take them.
RESERVED_NAMES = {"index", "pack", "figures", "assumptions_caveats", "data_log"}
#: Published counts from 1 to this minus one are suppressed; a pack may raise it, never lower it.
MIN_SUPPRESS_BELOW = DFE_THRESHOLD
#: A pack file is a few kilobytes; a bigger one is refused before it is parsed.
MAX_PACK_FILE_BYTES = 1_000_000
#: YAML aliases beyond this are refused (a small file of nested aliases can expand to gigabytes).
MAX_YAML_ALIASES = 50


def check_slug(value, where: str, reserved: bool = False) -> str:
    """A name that becomes a file or folder name: letters, digits, - and _, at most 64 characters,
    not starting with either, and (for sections) not one of the pack's own pages."""
    text = str(value)
    if not SLUG.match(text):
        raise PackError(
            f"{where} is {text[:80]!r}: expected a plain name of letters, digits, - and _ "
            "(at most 64 characters, starting with a letter or digit), such as my_council"
        )
    if reserved and text.lower() in RESERVED_NAMES:
        raise PackError(f"{where} is {text!r}, which the pack uses for its own page; choose another name")
    return text


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
    authority: str = ""
    label: str = ""  # the name in messages: the section, or 'authority / section' in a multi-authority pack
    log: str = ""  # the traceback of a failure, for the pack's log file (never shown on a page)

    def __post_init__(self):
        self.label = self.label or self.name


@dataclass
class Pack:
    """A parsed, checked pack for one authority."""

    path: Path
    title: str
    authority: str
    as_of: str
    data_dir: Path | None
    output: str
    publish: bool
    timeout: int
    runs: list[NotebookRun]
    dfe_dir: Path | None = None
    slug: str = ""  # its folder inside a multi-authority pack ('' for a single pack)
    region: str = ""

    def folder_in(self, root: Path) -> Path:
        """Where this pack's files go under a pack folder: its own subfolder, or the folder itself."""
        return root / self.slug if self.slug else root


@dataclass
class PackPlan:
    """A pack file: one pack, or one pack per authority (``multi``) with a national index page."""

    path: Path
    title: str
    output: str
    packs: list[Pack]
    multi: bool = False
    selection: str = ""  # how the authorities were chosen, in words
    dfe_dir: Path | None = None

    @property
    def runs(self) -> list[NotebookRun]:
        return [run for pack in self.packs for run in pack.runs]


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


@functools.lru_cache(maxsize=64)
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


@dataclass
class _Entry:
    """One checked ``notebooks`` entry of a pack file, before it is given an authority."""

    where: str
    notebook: Path
    name: str
    title: str
    own: dict
    own_data: str
    declared: dict


def _entries(spec: dict, path: Path) -> list[_Entry]:
    base = path.parent
    if "notebooks" not in spec:
        notebooks = _HOME / "notebooks"
        entries = [{**s, "notebook": str(notebooks / s["notebook"])} for s in STANDARD_SECTIONS]
    else:
        entries = spec["notebooks"]
    if not isinstance(entries, list) or not entries:
        raise PackError(f"{path}: notebooks must be a non-empty list")
    checked: list[_Entry] = []
    seen: set[str] = set()
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
        if not notebook.is_file():
            raise PackError(f"{where}: notebook '{entry['notebook']}' not found ({notebook})")
        name = check_slug(entry.get("name") or notebook.stem, f"{where}: name", reserved=True)
        if name in seen:
            raise PackError(f"{where}: name '{name}' used twice; give each run its own 'name'")
        seen.add(name)
        own_data = str(entry.get("own_data", "required"))
        if own_data not in ("required", "optional"):
            raise PackError(f"{where}: own_data is {own_data!r}; expected 'required' or 'optional'")
        own = _json_value(entry.get("parameters", {}) or {}, f"{where}: parameters")
        if not isinstance(own, dict):
            raise PackError(f"{where}: parameters is {own!r}; expected a mapping of parameter names to values")
        declared = declared_parameters(notebook)
        undeclared = sorted(set(own) - set(declared))
        if undeclared:
            raise PackError(
                f"{where}: parameter(s) {undeclared} are not declared in the parameters cell of "
                f"{notebook.name} (it declares {sorted(declared)})"
            )
        checked.append(_Entry(where, notebook, name, str(entry.get("title") or name), own, own_data, declared))
    return checked


def _run_for(
    entry: _Entry, defaults: dict, settings: dict, authority: str, data_dir: Path | None, label: str
) -> NotebookRun:
    """The run of one entry for one authority: defaults, then the entry's own parameters, then the
    pack's settings (data folder, DfE folder, authority, as_of, publish) where the notebook declares them."""
    declared = entry.declared
    params = {k: v for k, v in defaults.items() if k in declared}
    params.update(entry.own)
    if "data_dir" in declared:
        params["data_dir"] = str(data_dir) if data_dir is not None else ""
    for key in ("dfe_dir", "authority", "as_of"):
        if key in declared and settings.get(key) and key not in entry.own:
            params[key] = settings[key]
    if "interactive" in declared:
        params["interactive"] = False
    floor = params.get("suppress_below")
    if floor is not None and (
        not isinstance(floor, (int, float)) or isinstance(floor, bool) or floor < MIN_SUPPRESS_BELOW
    ):
        raise PackError(
            f"{entry.where}: suppress_below is {floor!r}; it may not go below {MIN_SUPPRESS_BELOW} "
            f"(DfE's rule: counts of 1 to {MIN_SUPPRESS_BELOW - 1} are suppressed in anything published)"
        )
    if "publish" in declared:
        params["publish"] = bool(settings.get("publish", False))
    for key, value in params.items():
        expected = declared.get(key)
        check = _TYPE_CHECKS.get(expected or "")
        if check is not None and value is not None and not check(value):
            raise PackError(
                f"{entry.where}: parameter '{key}' is {type(value).__name__} {value!r}; "
                f"{entry.notebook.name} expects {expected}"
            )
    run = NotebookRun(entry.name, entry.title, entry.notebook, params, authority=authority, label=label)
    if data_dir is None and entry.own_data == "required":
        run.status = "skipped"
        run.error = f"no data folder for {authority}: give one under data_dirs, or mark the section own_data: optional"
    return run


def _folder(base: Path, value, where: str) -> Path:
    folder = (base / str(value)).resolve()
    if not folder.is_dir():
        raise PackError(f"{where} '{value}' is not a folder ({folder})")
    return folder


def _read_yaml(path: Path):
    """The pack file's YAML, refusing a file over :data:`MAX_PACK_FILE_BYTES` before parsing it and
    one with more than :data:`MAX_YAML_ALIASES` aliases (which can expand without bound)."""
    size = path.stat().st_size
    if size > MAX_PACK_FILE_BYTES:
        raise PackError(f"{path}: {size:,} bytes; a pack file may be at most {MAX_PACK_FILE_BYTES:,} bytes")
    text = path.read_text(encoding="utf-8", errors="strict")
    aliases = sum(1 for event in yaml.parse(text, Loader=yaml.SafeLoader) if isinstance(event, yaml.AliasEvent))
    if aliases > MAX_YAML_ALIASES:
        raise PackError(f"{path}: {aliases} YAML aliases; a pack file may use at most {MAX_YAML_ALIASES}")
    return yaml.safe_load(text)


def load_packs(path: Path | str) -> PackPlan:
    """Read and check a pack file: unknown keys, missing notebooks, undeclared or mistyped parameters.

    With ``authorities`` (a list of names or LA codes, ``all``, ``{neighbours_of: X}`` or
    ``{region: R}``, resolved against the DfE file in ``dfe_dir``) the plan holds one pack per
    authority; ``data_dirs`` maps the authorities that have their own extracts to their folders.
    """
    path = Path(path)
    if not path.is_file():
        raise PackError(f"{path}: no such pack file")
    try:
        spec = _read_yaml(path) or {}
    except yaml.YAMLError as exc:
        raise PackError(f"{path}: not valid YAML ({' '.join(str(exc).split())[:300]})") from None
    except UnicodeDecodeError:
        raise PackError(f"{path}: not UTF-8 text") from None
    if not isinstance(spec, dict):
        raise PackError(f"{path}: expected a mapping of pack settings at the top level")
    unknown = sorted(set(spec) - PACK_KEYS)
    if unknown:
        raise PackError(f"{path}: unknown key(s) {unknown}; allowed: {sorted(PACK_KEYS)}")
    multi = "authorities" in spec
    for key in ("title",) + (("dfe_dir",) if multi else ("data_dir",)):
        if key not in spec:
            why = " (a pack for several authorities finds them in DfE's file)" if key == "dfe_dir" else ""
            raise PackError(f"{path}: missing key '{key}'{why}")
    if multi and "data_dir" in spec:
        raise PackError(f"{path}: data_dir is one authority's data; a pack for several authorities uses data_dirs")
    if not multi and "data_dirs" in spec:
        raise PackError(f"{path}: data_dirs needs authorities (the list of authorities they belong to)")
    base = path.parent
    dfe_dir = _folder(base, spec["dfe_dir"], f"{path}: dfe_dir") if "dfe_dir" in spec else None
    if dfe_dir is None and DFE_DIR.is_dir():
        dfe_dir = DFE_DIR
    as_of = _json_value(spec.get("as_of", ""), f"{path}: as_of") or ""
    defaults = _json_value(spec.get("defaults", {}) or {}, f"{path}: defaults")
    if not isinstance(defaults, dict):
        raise PackError(f"{path}: defaults must be a mapping of parameter names to values")
    entries = _entries(spec, path)
    publish = spec.get("publish", False)
    if not isinstance(publish, bool):
        raise PackError(f"{path}: publish is {publish!r}; expected true or false")
    timeout = spec.get("timeout", DEFAULT_TIMEOUT_SECONDS)
    if isinstance(timeout, bool) or not isinstance(timeout, int) or not 1 <= timeout <= 86_400:
        raise PackError(f"{path}: timeout is {timeout!r}; expected a whole number of seconds from 1 to 86400")
    output = check_slug(spec.get("output") or path.stem, f"{path}: output")
    title = str(spec["title"])
    settings = {"as_of": str(as_of), "publish": publish, "dfe_dir": str(dfe_dir) if dfe_dir else ""}

    def make_pack(authority: str, data_dir: Path | None, slug: str = "", region: str = "") -> Pack:
        label = (lambda name: f"{authority} / {name}") if slug else (lambda name: name)
        runs = [
            _run_for(e, defaults, {**settings, "authority": authority}, authority, data_dir, label(e.name))
            for e in entries
        ]
        return Pack(path, title, authority, str(as_of), data_dir, output, publish, timeout, runs, dfe_dir, slug, region)

    if not multi:
        data_dir = _folder(base, spec["data_dir"], f"{path}: data_dir")
        pack = make_pack(str(spec.get("authority", "")), data_dir)
        return PackPlan(path, title, output, [pack], dfe_dir=dfe_dir)

    from . import dfe

    try:
        published = dfe.load_dfe_indicators(dfe_dir / DFE_INDICATORS_FILE)
        groupings = dfe.load_neighbours(dfe_dir / DFE_NEIGHBOURS_FILE)
    except (OSError, ValueError) as exc:
        raise PackError(f"{path}: dfe_dir: {exc}") from None
    selection = _json_value(spec["authorities"], f"{path}: authorities")
    try:
        chosen = dfe.select_authorities(published, groupings, selection)
        own_dirs = {}
        data_dirs = spec.get("data_dirs") or {}
        if not isinstance(data_dirs, dict):
            raise PackError(f"{path}: data_dirs must be a mapping of authority names to data folders")
        for name, folder in data_dirs.items():
            own_dirs[dfe.resolve_authority(published, name)] = _folder(base, folder, f"{path}: data_dirs: {name}")
    except ValueError as exc:
        raise PackError(f"{path}: authorities: {exc}") from None
    strays = sorted(set(own_dirs) - set(chosen))
    if strays:
        raise PackError(f"{path}: data_dirs names {strays}, which are not among the pack's authorities")
    packs = [make_pack(a, own_dirs.get(a), dfe.slug(a), dfe.region_of(published, a)) for a in chosen]
    return PackPlan(path, title, output, packs, True, _describe_selection(selection, len(chosen)), dfe_dir)


def _describe_selection(selection, count: int) -> str:
    if isinstance(selection, dict) and "neighbours_of" in selection:
        self_too = "" if selection.get("include_self", True) is False else " and itself"
        return f"the statistical neighbours of {selection['neighbours_of']}{self_too} ({count} authorities)"
    if isinstance(selection, dict) and "region" in selection:
        return f"every authority in {selection['region']} ({count})"
    if isinstance(selection, str):
        return f"every local authority in DfE's file ({count})"
    return f"{count} listed authorities"


def load_pack(path: Path | str) -> Pack:
    """A single-authority pack file, read and checked (``load_packs`` reads any pack file)."""
    plan = load_packs(path)
    if plan.multi:
        raise PackError(f"{plan.path}: lists several authorities; read it with load_packs")
    return plan.packs[0]


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
        run.status, run.error, run.log = outcome_of(exc)
    finally:
        shutil.rmtree(socket_dir, ignore_errors=True)
    return run


#: What a reader sees for a failure the workbench did not foresee; the details go to the log.
UNEXPECTED = (
    "This section could not be produced because of an unexpected error. The details are in pack.log beside this pack."
)
_ABSOLUTE_PATH = re.compile(r"(?<![\w.\-])(?:[A-Za-z]:)?[\\/](?:[^\s'\"\\/<>]+[\\/])+")


def plain_sentence(text: str) -> str:
    """A message fit for a page: its first paragraph, with any local folder path reduced to the
    file name (a page never shows where the data lives on someone's machine)."""
    first = text.strip().split("\n\n")[0].strip()
    return _ABSOLUTE_PATH.sub("", first)[:1000]


def outcome_of(exc: BaseException) -> tuple[str, str, str]:
    """The status, the reader's sentence and the log text of a notebook that raised ``exc``.

    papermill reports the notebook's exception by class name (``ename``) and message (``evalue``):
    a :class:`~workforce_lib.errors.NotAvailableError` makes the section "not available" with its
    message; any other error a user can cause (a WorkbenchError) fails it with its message; anything
    else fails it with a plain sentence, the traceback kept for the log.
    """
    import traceback

    from . import campaign, dfe, funnel, pay, projection, retention, turnover, vacancy  # noqa: F401 - their errors
    from .errors import NotAvailableError, WorkbenchError, error_names

    ename = getattr(exc, "ename", None) or type(exc).__name__
    evalue = str(getattr(exc, "evalue", None) or exc)
    log = "".join(getattr(exc, "traceback", None) or traceback.format_exception(exc))
    log = re.sub(r"\x1b\[[0-9;]*m", "", log)  # papermill's traceback carries terminal colours
    if ename in error_names(NotAvailableError):
        return "not available", plain_sentence(evalue), log
    if ename in error_names(WorkbenchError):
        lines = evalue.strip().splitlines()
        head = lines[0] if lines else ename
        more = " Run 'workforce validate' on the data folder for every problem." if ename == "DataError" else ""
        return "failed", plain_sentence(head).rstrip(".:") + "." + more, log
    return "failed", UNEXPECTED, f"{ename}: {evalue}\n{log}"


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

    return _export(nbformat.read(executed, as_version=4))


def _export(notebook) -> str:
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


def render_task(run: NotebookRun, timeout: int) -> tuple[NotebookRun, str | None, str | None]:
    """Execute one notebook and export it: the run (status, figures), the executed notebook's JSON
    and its HTML without code. Runs anywhere: in this process, a pool worker or a Dask worker, which
    needs only the notebook and the data at the same paths; nothing is written to the pack folder."""
    import nbformat

    from .publish import collect_figures

    folder = tempfile.mkdtemp(prefix="workforce-run-")
    try:
        executed = Path(folder) / f"{run.name}.ipynb"
        execute_notebook(run, executed, timeout)
        if not executed.exists():
            return run, None, None
        notebook = nbformat.read(executed, as_version=4)
        # Widget state saved with the source notebook (its last interactive run, on other data) must
        # not travel into a pack: packs show static what-if results.
        notebook.metadata.pop("widgets", None)
        text = nbformat.writes(notebook)
        if run.status != "ok":  # the traceback stays in the executed notebook, never on a page
            return run, text, notice_html(run.title, run.error or UNEXPECTED, run.status)
        run.figures = collect_figures(notebook)
        return run, text, _export(notebook)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


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


_STYLE = """<style>body{font-family:Arial,Helvetica,sans-serif;max-width:64em;margin:2em auto;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}
td.num{text-align:right}.ok{color:#00703c}.failed{color:#d4351c;font-weight:bold}.skipped,.not-available{color:#505a5f}
code{font-size:85%}</style>"""


def dfe_provenance(dfe_dir: Path | None) -> list:
    """Provenance of DfE's published files a pack reads: rows and SHA-256, like the contract files."""
    from .data import source_file

    if dfe_dir is None:
        return []
    return [source_file(dfe_dir / n) for n in (DFE_INDICATORS_FILE, DFE_NEIGHBOURS_FILE) if (dfe_dir / n).is_file()]


def _index_html(
    pack: Pack, provenance: list, run_at: str, docs: list[str], national: str = "", warnings: list | None = None
) -> str:
    from . import __version__

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
    from . import __version__
    from .dfe import INDICATORS

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


@dataclass
class PackResult:
    """What a pack run produced: its folder and the runs with their status (every authority's)."""

    folder: Path
    runs: list[NotebookRun]
    pdf: Path | None = None
    packs: list[Pack] = field(default_factory=list)

    @property
    def failed(self) -> list[NotebookRun]:
        return [r for r in self.runs if r.status not in ("ok", "carried over", "skipped", "not available")]


DOCS = ("assumptions_caveats.md", "data_log.md")


def _clean_stale_partials(reports_dir: Path, output: str) -> None:
    """Remove half-built folders of this pack left by a killed run (never the finished pack)."""
    for stale in reports_dir.glob(f".{output}.partial-*"):
        shutil.rmtree(stale, ignore_errors=True)
    for stale in reports_dir.glob(f".{output}.old-*"):
        shutil.rmtree(stale, ignore_errors=True)


def _lost(run: NotebookRun, exc: BaseException) -> tuple[NotebookRun, None, None]:
    """A run whose worker died (killed, out of memory, lost from the cluster): failed, with why."""
    run.status, run.error = "failed", f"worker lost: {type(exc).__name__}: {exc}"[:500]
    return run, None, None


def _run_serial(tasks: list[tuple[NotebookRun, int]]):
    for run, timeout in tasks:
        yield render_task(run, timeout)


def _run_pool(tasks: list[tuple[NotebookRun, int]], workers: int):
    from concurrent.futures import ProcessPoolExecutor, as_completed

    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(render_task, run, timeout): run for run, timeout in tasks}
        for future in as_completed(futures):
            exc = future.exception()
            yield _lost(futures[future], exc) if exc else future.result()


def _run_dask(tasks: list[tuple[NotebookRun, int]], address: str):
    """The same notebook executions on an existing Dask cluster (dask.distributed). Workers need
    the workbench installed and the notebooks and data folders at the same paths as here."""
    try:
        from distributed import Client, as_completed
    except ImportError as exc:  # pragma: no cover - distributed is a dependency
        raise PackError(f"--dask-scheduler needs dask.distributed: {exc}") from None
    try:
        # Connection timeout: Dask's setting distributed.comm.timeouts.connect (30 s unless configured).
        client = Client(address, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise PackError(f"could not reach the Dask scheduler at {address}: {exc}") from None
    with client:
        futures = {client.submit(render_task, run, timeout, pure=False): run for run, timeout in tasks}
        for future in as_completed(futures, loop=client.loop):
            yield _lost(futures[future], future.exception()) if future.status == "error" else future.result()


def _write_pack_folder(pack: Pack, folder: Path, run_at: str, docs_from: Path, national: str = "") -> None:
    """figures.json, the docs, pack.html and index.html of one authority's pack (its sections are written)."""

    provenance, warnings = data_provenance(pack.data_dir)
    provenance += dfe_provenance(pack.dfe_dir)
    write_log(pack, folder)
    figures = {r.name: r.figures for r in pack.runs}
    (folder / "figures.json").write_text(
        json.dumps(
            {"title": pack.title, "authority": pack.authority, "as_of": pack.as_of, "sections": figures},
            indent=2,
            sort_keys=True,
        ),
        encoding="utf-8",
    )
    docs = _copy_docs(docs_from, folder)
    (folder / "pack.html").write_text(combined_html(pack, folder), encoding="utf-8")
    (folder / "index.html").write_text(
        _index_html(pack, provenance, run_at, docs, national, warnings), encoding="utf-8"
    )


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
    from .contract import SPECS
    from .data import load_dataset, source_file
    from .errors import DataError

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


def render_pack(
    pack_path: Path | str,
    reports_dir: Path | str = "reports",
    jobs: int | None = None,
    pdf: bool = False,
    only: list[str] | None = None,
    progress: bool = False,
    dask_scheduler: str | None = None,
) -> PackResult:
    """Render a pack file into ``reports_dir/<output>/``, atomically; returns the runs and their status.

    Notebooks run in parallel worker processes (``jobs``, default one per core; 1 runs them here,
    one after another), or on the Dask cluster whose scheduler is at ``dask_scheduler``. A pack
    file with ``authorities`` gives ``<output>/<authority>/`` for each authority and a national
    ``<output>/index.html``; every section of every authority is one task, so the workers stay busy.
    With ``only``, just those sections run; the others are carried over from the previous pack.
    """
    plan = load_packs(pack_path)
    if only:
        names = {r.name for r in plan.runs}
        unknown = sorted(set(only) - names)
        if unknown:
            raise PackError(f"{plan.path}: no section named {unknown}; sections: {sorted(names)}")
    reports_dir = Path(reports_dir)
    if reports_dir.exists() and not reports_dir.is_dir():
        raise PackError(f"--reports-dir {reports_dir} is a file, not a folder")
    try:
        reports_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PackError(f"cannot create the reports folder {reports_dir}: {exc.strerror}") from None
    with _output_lock(reports_dir, plan.output):
        try:
            return _render_locked(plan, reports_dir, jobs, pdf, only, progress, dask_scheduler)
        except OSError as exc:  # a read-only or full reports folder: the previous pack is left as it was
            where = f" ({Path(exc.filename).name})" if exc.filename else ""
            raise PackError(
                f"could not write the pack in the reports folder {reports_dir}: {exc.strerror or exc}{where}; "
                "the previous pack, if any, is unchanged"
            ) from None


#: A test's fault-injection hook: called with the name of each step of replacing the pack.
fault_injection = None


def _step(name: str) -> None:
    if fault_injection is not None:
        fault_injection(name)


def _inside(path: Path, root: Path) -> Path:
    """``path``, after checking it resolves inside ``root`` (nothing is written or deleted elsewhere)."""
    resolved, base = path.resolve(), root.resolve()
    if resolved != base and base not in resolved.parents:
        raise PackError(f"refusing to write {path}: it is outside the reports folder {root}")
    return path


class _output_lock:
    """One run per output at a time: a second concurrent run of the same pack is refused, saying so.

    An advisory lock (``fcntl.flock``) on ``reports/.<output>.lock``: the system releases it when the
    process ends, however it ends, so a killed run never leaves the output locked."""

    def __init__(self, reports_dir: Path, output: str):
        self.path = _inside(reports_dir / f".{output}.lock", reports_dir)
        self.output = output

    def __enter__(self):
        import fcntl

        try:
            self.handle = open(self.path, "a+")  # noqa: SIM115 - held for the run, closed in __exit__
        except OSError as exc:
            raise PackError(f"cannot write in the reports folder {self.path.parent}: {exc.strerror}") from None
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.handle.close()
            raise PackError(
                f"another run of the pack '{self.output}' is in progress (lock {self.path.name}); "
                "wait for it to finish and run again"
            ) from None
        return self

    def __exit__(self, *exc):
        import fcntl

        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()
        return False


def _recover(reports_dir: Path, output: str) -> None:
    """After a run killed between moving the old pack aside and moving the new one in, put the old
    pack back, so there is always a pack to read; then clear half-built folders."""
    target = reports_dir / output
    if not target.exists():
        olds = sorted(reports_dir.glob(f".{output}.old-*/pack"), key=lambda p: p.stat().st_mtime, reverse=True)
        if olds:
            olds[0].rename(_inside(target, reports_dir))
    _clean_stale_partials(reports_dir, output)


def _render_locked(plan, reports_dir: Path, jobs, pdf, only, progress, dask_scheduler) -> PackResult:
    import os

    _recover(reports_dir, plan.output)
    target = _inside(reports_dir / plan.output, reports_dir)
    work = Path(tempfile.mkdtemp(prefix=f".{plan.output}.partial-", dir=reports_dir))
    docs_dir = Path(__file__).resolve().parent.parent / "docs"
    try:
        tasks: list[tuple[NotebookRun, int]] = []
        where: dict[int, Path] = {}  # id(run) -> the folder its files go to
        for pack in plan.packs:
            folder, previous = pack.folder_in(work), pack.folder_in(target)
            folder.mkdir(exist_ok=True)
            old_figures = {}
            if only and (previous / "figures.json").exists():
                old_figures = json.loads((previous / "figures.json").read_text(encoding="utf-8")).get("sections", {})
            for run in pack.runs:
                if run.status == "skipped":
                    continue
                if only and run.name not in only:
                    if (previous / f"{run.name}.html").exists():
                        for suffix in (".ipynb", ".html"):
                            if (previous / f"{run.name}{suffix}").exists():
                                shutil.copy2(previous / f"{run.name}{suffix}", folder / f"{run.name}{suffix}")
                        run.status, run.figures = "carried over", old_figures.get(run.name, {})
                    else:
                        run.status, run.error = "not run", "left out with --only and not in the previous pack"
                    continue
                where[id(run)] = folder
                tasks.append((run, pack.timeout))
        by_key = {(r.authority, r.name): r for r in plan.runs}
        workers = max(1, min(jobs or os.cpu_count() or 1, len(tasks) or 1))
        if dask_scheduler:
            results = _run_dask(tasks, dask_scheduler)
        elif workers == 1:
            results = _run_serial(tasks)
        else:
            results = _run_pool(tasks, workers)
        bar = None
        if progress:
            from tqdm import tqdm

            bar = tqdm(total=len(tasks), unit="notebook", desc=plan.output)
        failed = 0
        for finished, text, page in results:
            # Results come back as copies from other processes: update the plan's own run.
            run = by_key[(finished.authority, finished.name)]
            run.status, run.error, run.figures, run.log = (
                finished.status,
                finished.error,
                finished.figures,
                finished.log,
            )
            folder = where[id(run)]
            if text is not None:
                (folder / f"{run.name}.ipynb").write_text(text, encoding="utf-8")
            if page is not None:
                (folder / f"{run.name}.html").write_text(page, encoding="utf-8")
            failed += run.status not in ("ok", "not available")
            if bar:
                bar.set_postfix(failed=failed)
                bar.update(1)
        if bar:
            bar.close()
        run_at = dt.datetime.now().isoformat(timespec="seconds")
        for pack in plan.packs:
            _write_pack_folder(pack, pack.folder_in(work), run_at, docs_dir, plan.title if plan.multi else "")
        if plan.multi:
            figures = {p.slug: {r.name: r.figures for r in p.runs} for p in plan.packs}
            (work / "figures.json").write_text(
                json.dumps(
                    {
                        "title": plan.title,
                        "authorities": {p.slug: {"authority": p.authority, "region": p.region} for p in plan.packs},
                        "sections": figures,
                    },
                    indent=2,
                    sort_keys=True,
                ),
                encoding="utf-8",
            )
            docs = _copy_docs(docs_dir, work)
            (work / "index.html").write_text(national_index_html(plan, figures, run_at, docs), encoding="utf-8")
        if pdf:
            for pack in plan.packs:
                folder = pack.folder_in(work)
                print_pdf(folder / "pack.html", folder / "pack.pdf")
        _step("built")
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{plan.output}.old-", dir=reports_dir))
            target.rename(old / "pack")
            _step("old moved aside")
            work.rename(target)
            _step("new moved in")
            shutil.rmtree(old, ignore_errors=True)
        else:
            work.rename(target)
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)
    pdf_file = target / "pack.pdf" if pdf and not plan.multi else None
    return PackResult(target, plan.runs, pdf_file, plan.packs)
