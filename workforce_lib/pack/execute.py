"""Notebook execution: run one section with papermill and export it, here, in a pool or on Dask.

A section that fails gets a status and one plain sentence for its page; the traceback goes to the
pack's log only.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from ..errors import PackError
from .pages import UNEXPECTED, export_page, notice_html
from .settings import NotebookRun


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

    from .. import campaign, dfe, funnel, pay, projection, retention, turnover, vacancy  # noqa: F401 - their errors
    from ..errors import NotAvailableError, WorkbenchError, error_names

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


def render_task(run: NotebookRun, timeout: int) -> tuple[NotebookRun, str | None, str | None]:
    """Execute one notebook and export it: the run (status, figures), the executed notebook's JSON
    and its HTML without code. Runs anywhere: in this process, a pool worker or a Dask worker, which
    needs only the notebook and the data at the same paths; nothing is written to the pack folder."""
    import nbformat

    from ..publish import collect_figures

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
        return run, text, export_page(notebook)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


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
