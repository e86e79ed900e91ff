"""Render a pack: run its sections, write its pages, and replace the previous pack atomically.

The pack is built in a temporary folder beside the target and moved into place only when complete,
so a failed or interrupted run leaves the previous pack intact. One run per output at a time.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import PackError
from . import pdf as _pdf
from .execute import _run_dask, _run_pool, _run_serial
from .pages import (
    DOCS_DIR,
    _after_main,
    _copy_docs,
    _index_html,
    combined_html,
    cover_html,
    data_provenance,
    dfe_provenance,
    national_index_html,
    section_header,
    write_log,
)
from .settings import NotebookRun, Pack, load_packs


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


def _clean_stale_partials(reports_dir: Path, output: str) -> None:
    """Remove half-built folders of this pack left by a killed run (never the finished pack)."""
    for stale in reports_dir.glob(f".{output}.partial-*"):
        shutil.rmtree(stale, ignore_errors=True)
    for stale in reports_dir.glob(f".{output}.old-*"):
        shutil.rmtree(stale, ignore_errors=True)


def _write_pack_folder(
    pack: Pack,
    folder: Path,
    run_at: str,
    docs_from: Path,
    national: str = "",
    previous: Path | None = None,
    pdf: bool = False,
) -> None:
    """figures.json, history.json, the docs, pack.html and index.html of one authority's pack (its
    sections are written); ``previous`` is the folder of the pack it replaces, for the change since."""
    from .summary import history_entry, read_history, write_history

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
    history = read_history(previous) if previous is not None and previous.is_dir() else []
    sections = [(r.name, r.title, r.figures) for r in pack.runs]
    write_history(folder, history, history_entry(run_at, sections))
    docs = _copy_docs(docs_from, folder)
    for run in pack.runs:
        page = folder / f"{run.name}.html"
        if page.is_file():
            text = page.read_text(encoding="utf-8")
            if 'aria-label="Pack"' not in text:
                page.write_text(_after_main(text, section_header(run, pack.authority)), encoding="utf-8")
    cover = cover_html(pack, run_at, history, docs, lambda name: f"#section-{name}")
    (folder / "pack.html").write_text(combined_html(pack, folder, cover), encoding="utf-8")
    (folder / "index.html").write_text(
        _index_html(pack, provenance, run_at, docs, national, warnings, history, pdf), encoding="utf-8"
    )


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
    docs_dir = DOCS_DIR
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
            _write_pack_folder(
                pack,
                pack.folder_in(work),
                run_at,
                docs_dir,
                plan.title if plan.multi else "",
                pack.folder_in(target),
                pdf,
            )
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
                _pdf.print_pdf(folder / "pack.html", folder / "pack.pdf")
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
