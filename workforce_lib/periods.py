"""Periods that mean what they say: the date an extract was taken, and the plan year that follows.

A turnover period ends at the date of the extract, never at the last start or leave found in
staff.csv (a quiet month would shorten the period and inflate the rate). The extract date is, in
order: the ``as_of`` the analyst gives; the latest staffing.csv snapshot (taken from the same HR
system); only failing both, the latest date in staff.csv, and the page says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .errors import AnalysisError


@dataclass(frozen=True)
class ExtractDate:
    """The date figures are taken at, and where it came from, in words for the page."""

    date: pd.Timestamp
    source: str

    @property
    def caveat(self) -> str:
        """A warning for the page when the date is only the last event in staff.csv."""
        if self.source != "latest date in staff.csv":
            return ""
        return (
            "No extract date was given and there is no staffing.csv, so the period ends at the latest start "
            "or leave date in staff.csv; set as_of to the date of the extract for a true period."
        )


def extract_date(as_of: str | None, staffing: pd.DataFrame | None, staff: pd.DataFrame | None) -> ExtractDate:
    """The extract date: ``as_of`` if given, else the latest staffing.csv snapshot, else the latest
    start or leave date in staff.csv (see the module)."""
    if as_of:
        try:
            return ExtractDate(pd.Timestamp(as_of).normalize(), "the date you set (as_of)")
        except (ValueError, TypeError):
            raise AnalysisError(f"as_of is {as_of!r}; expected a date like 2025-03-31") from None
    if staffing is not None and len(staffing):
        return ExtractDate(pd.Timestamp(staffing["as_of"].max()), "the latest staffing.csv snapshot")
    if staff is not None and len(staff):
        latest = pd.concat([staff["start_date"], staff["leave_date"]]).max()
        return ExtractDate(pd.Timestamp(latest), "latest date in staff.csv")
    raise AnalysisError("no date to take figures at: set as_of, or provide staffing.csv or staff.csv")


def plan_year(plan: pd.DataFrame | None, snapshot) -> int | None:
    """The plan year a year-ahead view uses: the first year of the recruitment plan at or after the
    snapshot's year; None when there is no plan or it ends before the snapshot."""
    if plan is None or plan.empty:
        return None
    years = sorted(int(y) for y in plan["year"].dropna().unique() if int(y) >= pd.Timestamp(snapshot).year)
    return years[0] if years else None


def months_after(date, months: int) -> str:
    """The month ``months`` after ``date`` as 'YYYY-MM' (the default target date: 12 months on)."""
    return (pd.Timestamp(date) + pd.DateOffset(months=months)).strftime("%Y-%m")


def long_date(date) -> str:
    """A date as a councillor reads it: '31 March 2025'."""
    stamp = pd.Timestamp(date)
    return f"{stamp.day} {stamp:%B %Y}"
