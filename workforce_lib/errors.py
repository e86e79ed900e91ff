"""Errors a user can cause, with one root: :class:`WorkbenchError`.

Anything a council analyst can cause or fix (a bad data file, a missing file, a pack file that
cannot run, an analysis asked of data that cannot answer it) raises a subclass of
:class:`WorkbenchError` whose message is a plain sentence. Anything else is a defect of the
workbench. A pack section stopped by a :class:`NotAvailableError` is shown as "not available"
with its message; one stopped by another WorkbenchError is shown as failed with its message; any
other exception is shown as failed with a plain sentence, its traceback kept in the pack's log.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_PROBLEMS_SHOWN = 50


class WorkbenchError(ValueError):
    """Root of every error a user can cause or fix; its message is meant for them."""


class NotAvailableError(WorkbenchError):
    """An analysis cannot run on this data (a file missing, an authority not in DfE's file): the
    section says why instead of failing."""


class AnalysisError(WorkbenchError):
    """Data that loaded but cannot answer what was asked (no staff in post on a date, a role
    nobody holds); the message says what to change."""


class PackError(WorkbenchError):
    """A pack file that cannot be run; the message names the file and the key."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, in the words a spreadsheet user needs to fix it."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    expected: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"{'columns' if ',' in self.column else 'column'} {self.column}")
        text = ", ".join(where)
        if self.value is not None:
            text += f": value {self.value!r}"
        return f"{text}: expected {self.expected}"


class DataError(WorkbenchError):
    """Input data breaks the data contract; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__(self._message())

    def _message(self) -> str:
        files = sorted({p.file for p in self.problems})
        n = len(self.problems)
        head = f"{', '.join(files)}: {n} problem{'s' if n != 1 else ''} found"
        lines = [f"  - {p}" for p in self.problems[:MAX_PROBLEMS_SHOWN]]
        if n > MAX_PROBLEMS_SHOWN:
            lines.append(f"  ... and {n - MAX_PROBLEMS_SHOWN} more")
        return "\n".join([head, *lines])

    def to_frame(self):
        """The problems as a table: file, row, column, value, expected."""
        import pandas as pd

        return pd.DataFrame(
            [(p.file, p.row, p.column, p.value, p.expected) for p in self.problems],
            columns=["file", "row", "column", "value", "expected"],
        )


class MissingFileError(DataError, NotAvailableError):
    """An analysis needs a contract file that is not in the data folder.

    The message is the sentence a reader sees: "Not available: this section needs staff.csv (one
    row per employment) to show turnover and retention." It names no local path.
    """

    def __init__(self, problems: list[Problem], sentence: str | None = None):
        self.sentence = sentence
        super().__init__(problems)

    def _message(self) -> str:
        return self.sentence or super()._message()


def error_names(root: type[WorkbenchError] = WorkbenchError) -> set[str]:
    """Class names of ``root`` and every subclass defined so far, as papermill reports a notebook's
    exception (``ename``): ``error_names(NotAvailableError)`` are the 'not available' ones."""
    names, todo = set(), [root]
    while todo:
        cls = todo.pop()
        names.add(cls.__name__)
        todo.extend(cls.__subclasses__())
    return names
