"""Plan inputs given as tables or dicts, checked and turned into arrays by grade and year.

Every table names grades by the ladder's names (case and spacing ignored). A grade the ladder does
not have, a year or grade missing from an establishment, or a negative number is a
:class:`~workforce_lib.errors.DataError` naming the table, row (header = row 1), column, value and
what was expected, all problems together.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..errors import DataError, Problem
from .grades import GradeLadder


def _grade_problem(name: str, row, value, ladder: GradeLadder) -> Problem:
    return Problem(name, row, "grade", str(value), f"a grade of the ladder ({', '.join(ladder.names)})")


def _grade_index(ladder: GradeLadder, value) -> int | None:
    try:
        return ladder.index(str(value))
    except ValueError:
        return None


def by_grade(values, ladder: GradeLadder, name: str, default: float = 0.0, minimum: float | None = 0.0) -> np.ndarray:
    """A number per grade from a number (every grade), a dict {grade: value} or None (the default)."""
    out = np.full(len(ladder), float(default))
    problems = []
    if values is None:
        return out
    if not isinstance(values, Mapping):
        items = [(g, values) for g in ladder.names]
    else:
        items = list(values.items())
    for grade, value in items:
        g = _grade_index(ladder, grade)
        if g is None:
            problems.append(_grade_problem(name, None, grade, ladder))
            continue
        value = float(np.inf if value is None else value)
        if minimum is not None and value < minimum:
            problems.append(Problem(name, None, str(grade), f"{value:g}", f"a number of {minimum:g} or more"))
            continue
        out[g] = value
    if problems:
        raise DataError(problems)
    return out


def plan_years(establishment=None, years: int | None = None, first_year: int = 1) -> list[int]:
    """The plan's year labels: the establishment table's years, else first_year .. first_year + years - 1."""
    if isinstance(establishment, pd.DataFrame) and "year" in establishment.columns:
        return sorted(int(y) for y in pd.unique(establishment["year"]))
    if years is None or years < 1:
        raise ValueError("give the number of plan years (1 or more) or an establishment table with a year column")
    return list(range(first_year, first_year + int(years)))


def by_year_grade(
    table, ladder: GradeLadder, years: list[int], name: str, value: str, complete: bool, default: float = 0.0
) -> np.ndarray:
    """[year, grade] from a table (year, grade, value; rows summed), a dict {grade: value} (every year)
    or a number (every grade, every year). ``complete``: every year x grade must be given."""
    Y, G = len(years), len(ladder)
    out = np.full((Y, G), float(default))
    if table is None:
        if complete:
            raise DataError([Problem(name, None, None, None, f"a {value} for every grade ({', '.join(ladder.names)})")])
        return out
    if not isinstance(table, pd.DataFrame):
        row = by_grade(table, ladder, name, default=np.nan if complete else default)
        if complete and np.isnan(row).any():
            missing = [ladder.names[g] for g in np.flatnonzero(np.isnan(row))]
            raise DataError([Problem(name, None, "grade", m, f"a {value} for grade {m!r}") for m in missing])
        return np.broadcast_to(row, (Y, G)).copy()
    problems: list[Problem] = []
    needed = ["grade", value] + (["year"] if "year" in table.columns or complete else [])
    missing_columns = [c for c in needed if c not in table.columns]
    if missing_columns:
        raise DataError([Problem(name, None, c, None, f"a column {c!r}") for c in missing_columns])
    seen = np.zeros((Y, G), dtype=bool)
    out[:] = 0.0
    year_pos = {y: i for i, y in enumerate(years)}
    for i, rec in enumerate(table.to_dict("records")):
        row = i + 2
        g = _grade_index(ladder, rec["grade"])
        if g is None:
            problems.append(_grade_problem(name, row, rec["grade"], ladder))
            continue
        try:
            amount = float(rec[value])
        except (TypeError, ValueError):
            amount = np.nan
        if np.isnan(amount) or amount < 0:
            problems.append(Problem(name, row, value, str(rec[value]), "a number, 0 or more"))
            continue
        targets = [year_pos.get(int(rec["year"]))] if "year" in table.columns else list(range(Y))
        if targets == [None]:
            continue  # a year outside the plan is not used
        for t in targets:
            out[t, g] += amount
            seen[t, g] = True
    if complete:
        for t, g in zip(*np.nonzero(~seen), strict=True):
            problems.append(
                Problem(
                    name,
                    None,
                    "year, grade",
                    f"{years[t]}, {ladder.names[g]}",
                    f"a {value} for every grade in every plan year",
                )
            )
    if problems:
        raise DataError(problems)
    if not complete and default != 0.0:
        out = np.where(seen, out, default)
    return out
