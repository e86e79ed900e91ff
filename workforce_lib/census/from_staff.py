"""An authority's staff.csv read as a census return, so its own figures use DfE's definitions.

Between returns, an analyst has the HR extract (staff.csv, one row per employment) and wants the
figures DfE will publish. Rather than a second set of formulas, each employment becomes a CSWW
worker record and the census measures (:mod:`.measures`) are applied unchanged: one definition
of in post, starters, leavers, moves and headcount for returns and HR extracts alike.

DfE's definitions, in its words (Children's social work workforce, methodology, and the CSWW
guide for the census; see docs/census.md):

- Scope: "children and family social workers": registered (qualified) social workers working in
  children's services. Here: employments whose role maps to ``caseholder`` or ``manager``
  (:mod:`workforce_lib.roles`) and whose ``qualified_date`` is on or before the reference date.
  A staff.csv without ``qualified_date`` cannot be scoped to qualified staff; every caseholder
  and manager is counted, and :func:`staff_return_notes` says so.
- Reference date: "as at 30 September"; the census year runs from 1 October to 30 September.
- Leavers: "workers who left the local authority's children's social work in the year"; a move
  within it (a promotion, a new team) is not a leaver and not a starter (the same person starting
  another employment within :data:`~workforce_lib.turnover.MOVE_GAP_DAYS` days).
- Headcount: "the number of people": a person with two employments counts once.
- Agency workers are not in staff.csv, and staffing.csv holds only agency *cover of vacancies*
  (DfE's ``agency_cover_fte``), so the agency measures are left missing, never guessed.
  Vacancies are ``establishment - in post`` from the staffing snapshot, the definition of
  :mod:`workforce_lib.vacancy` and the data contract (over-filled teams offset, not clipped);
  the rate ``vacancies / (vacancies + in post)`` equals ``vacancies / establishment``.
- Cases and absence are not in staff.csv: missing.
"""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd

from ..roles import with_role_group
from .read import COLUMNS, CensusReturn

#: Measures that cannot come from staff.csv and staffing.csv: left missing.
NOT_IN_STAFF = (
    "agency_fte",
    "agency_headcount",
    "agency_rate_fte",
    "agency_rate_headcount",
    "agency_cover_rate_fte",
    "case_holders_fte",
    "cases",
    "caseload_fte",
    "working_days_lost_fte",
    "absence_rate_fte",
)
IN_SCOPE_GROUPS = ("caseholder", "manager")


def reference_date(year: int) -> date:
    """The census reference date of ``year``: 30 September."""
    return date(int(year), 9, 30)


def latest_census_year(on) -> int:
    """The latest census year whose 30 September is on or before ``on``."""
    when = pd.Timestamp(on)
    return when.year if (when.month, when.day) >= (9, 30) else when.year - 1


def in_scope(staff: pd.DataFrame, year: int) -> pd.Series:
    """Employments in DfE's scope at 30 September ``year``: qualified caseholders and managers."""
    groups = with_role_group(staff)["role_group"].isin(IN_SCOPE_GROUPS)
    if "qualified_date" not in staff.columns or staff["qualified_date"].isna().all():
        return groups
    ref = pd.Timestamp(reference_date(year))
    return groups & staff["qualified_date"].notna() & (staff["qualified_date"] <= ref)


def staff_return(staff: pd.DataFrame, year: int, staffing: pd.DataFrame | None = None, lea: str = "") -> CensusReturn:
    """staff.csv (and, for vacancies, the staffing.csv snapshot nearest on or before 30 September
    ``year``) as the census return of ``year``: one LA-employed worker record per employment in
    scope (:func:`in_scope`), with ``staff_id`` as the person."""
    ref = reference_date(year)
    scoped = staff[in_scope(staff, year).to_numpy()]
    workers = pd.DataFrame({c: pd.Series(np.nan, index=scoped.index) for c in COLUMNS})
    workers["line"] = np.arange(1, len(scoped) + 1) + 1  # staff.csv row numbers (header is row 1)
    workers["person"] = pd.factorize(scoped["staff_id"].astype(str))[0]
    workers["start"] = scoped["start_date"]
    workers["end"] = scoped["leave_date"] if "leave_date" in scoped.columns else pd.NaT
    workers["birth"] = pd.NaT
    workers["fte"] = scoped["fte"].astype(float)
    workers["agency"] = 0.0
    workers = workers.reset_index(drop=True)
    return CensusReturn("staff.csv", int(year), ref, str(lea), _la_level(staffing, ref), workers)


def _la_level(staffing: pd.DataFrame | None, ref: date) -> dict[str, float]:
    """NumberOfVacancies (establishment - in post) and NoAgencyFTE (agency cover) from the
    staffing snapshot nearest on or before ``ref``; empty when there is none."""
    snap = staffing_snapshot(staffing, ref)
    if snap is None:
        return {}
    return {
        "NumberOfVacancies": float(snap["establishment_fte"].sum() - snap["in_post_fte"].sum()),
        "NoAgencyFTE": float(snap["agency_fte"].sum()),
    }


def staffing_snapshot(staffing: pd.DataFrame | None, on) -> pd.DataFrame | None:
    """The staffing.csv rows of the latest snapshot on or before ``on`` (None if there is none)."""
    if staffing is None or staffing.empty:
        return None
    dates = staffing["as_of"].dropna()
    dates = dates[dates <= pd.Timestamp(on)]
    if dates.empty:
        return None
    return staffing[staffing["as_of"] == dates.max()]


def staff_measures(staff: pd.DataFrame, year: int, staffing: pd.DataFrame | None = None) -> dict[str, float]:
    """DfE's measures of census ``year`` from staff.csv (and staffing.csv for vacancies), rounded
    as DfE publishes; the measures staff.csv cannot give (:data:`NOT_IN_STAFF`) are NaN."""
    from .measures import return_measures

    measures = return_measures(staff_return(staff, year, staffing))
    for key in NOT_IN_STAFF:
        measures[key] = math.nan
    return measures


def staff_return_notes(staff: pd.DataFrame, year: int, staffing: pd.DataFrame | None = None) -> list[str]:
    """Plain sentences on how far the staff.csv figures for ``year`` can follow DfE's scope."""
    notes = []
    if "qualified_date" not in staff.columns or staff["qualified_date"].isna().all():
        notes.append(
            "staff.csv has no qualified_date, so every caseholder and manager is counted; DfE counts "
            "qualified social workers only."
        )
    snap = staffing_snapshot(staffing, reference_date(year))
    if staffing is not None and snap is None:
        notes.append(f"staffing.csv has no snapshot on or before 30 September {year}, so vacancies are not shown.")
    elif snap is not None and snap["as_of"].max().date() != reference_date(year):
        notes.append(
            f"Vacancies are from the staffing snapshot of {snap['as_of'].max():%-d %B %Y}, the latest on or "
            f"before 30 September {year}."
        )
    return notes
