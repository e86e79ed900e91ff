"""Pack files: read a ``packs/*.yaml`` file and check it against each notebook's ``parameters`` cell.

A pack file names the notebooks and their parameters. Everything is checked before anything runs:
unknown keys, missing notebooks, undeclared or mistyped parameters, unsafe names, suppression
floors below DfE's, oversized files and YAML alias bombs, each with a message naming the file and key.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..disclosure import DFE_THRESHOLD
from ..errors import PackError

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


_HOME = Path(__file__).resolve().parent.parent.parent


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


class PackFile(BaseModel):
    """The top level of a pack file, checked by pydantic: known keys only, each of its type.

    Types are strict (``publish: "yes"`` is refused, not read as true); a problem becomes a
    :class:`PackError` naming the file, the key, the value and what was expected
    (:func:`_settings_of`)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    title: str | int | float
    authority: str = ""
    authorities: str | list | dict | None = None
    as_of: str | dt.date = ""
    data_dir: str | None = None
    data_dirs: dict | None = None
    dfe_dir: str | None = None
    output: str | None = None
    publish: bool = False
    defaults: dict | None = None
    notebooks: list | None = None
    timeout: int = Field(DEFAULT_TIMEOUT_SECONDS, ge=1, le=86_400)


#: What each setting must be, in the words of a PackError.
_EXPECTED = {
    "publish": "true or false",
    "timeout": "a whole number of seconds from 1 to 86400",
    "defaults": "a mapping of parameter names to values",
    "data_dirs": "a mapping of authority names to data folders",
    "notebooks": "a non-empty list",
    "as_of": "a date such as 2025-03-31",
}


def _settings_of(spec: dict, path: Path) -> PackFile:
    """The pack file's top level, validated (:class:`PackFile`), or one PackError saying what is wrong."""
    unknown = sorted(set(spec) - PACK_KEYS)
    if unknown:
        raise PackError(f"{path}: unknown key(s) {unknown}; allowed: {sorted(PACK_KEYS)}")
    try:
        return PackFile.model_validate(spec)
    except ValidationError as exc:
        problem = exc.errors()[0]
        key = str(problem["loc"][0]) if problem["loc"] else ""
        if problem["type"] == "missing":
            raise PackError(f"{path}: missing key '{key}'") from None
        expected = _EXPECTED.get(key, "text")
        raise PackError(f"{path}: {key} is {problem['input']!r}; expected {expected}") from None


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
    settings_file = _settings_of(spec, path)
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
    publish = settings_file.publish
    timeout = settings_file.timeout
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

    from .. import dfe

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
