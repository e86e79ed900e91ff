"""Roles and role groups in the council's words (Kent 2011 cabinet paper).

Caseholders are NQSWs, (career grade) social workers and senior practitioners; non-caseholding
managers are team leaders and principal social workers. Matching ignores case and spacing.
"""

from __future__ import annotations

import pandas as pd

CASEHOLDER_ROLES = ("NQSW", "Social Worker", "Senior Practitioner")
MANAGER_ROLES = ("Team Leader", "Principal Social Worker")
ROLE_GROUPS = ("caseholder", "manager")


def _key(value: str) -> str:
    return " ".join(str(value).lower().split())


_GROUP_OF = {_key(r): "caseholder" for r in CASEHOLDER_ROLES} | {_key(r): "manager" for r in MANAGER_ROLES}


def role_group_of(roles: pd.Series) -> pd.Series:
    """The role group of each role: ``caseholder``, ``manager`` or ``other`` for roles outside both."""
    keys = roles.astype(str).str.lower().str.split().str.join(" ")
    return keys.map(_GROUP_OF).fillna("other")


def with_role_group(staff: pd.DataFrame) -> pd.DataFrame:
    """staff.csv with a ``role_group`` column added from ``role`` (kept if already present)."""
    if "role_group" in staff.columns:
        return staff
    return staff.assign(role_group=role_group_of(staff["role"]))


def select(staff: pd.DataFrame, role: str = "", area: str = "") -> pd.DataFrame:
    """Rows for a role group (``caseholder``/``manager``) or a single role, and an area; blank = all."""
    frame = with_role_group(staff)
    if role:
        key = _key(role)
        if key in ROLE_GROUPS:
            frame = frame[frame["role_group"] == key]
        else:
            frame = frame[frame["role"].astype(str).map(_key) == key]
        if frame.empty:
            known = sorted(set(staff["role"].astype(str)) | set(ROLE_GROUPS))
            raise ValueError(f"no staff with role {role!r}; roles in the data: {known}")
    if area:
        if "area" not in frame.columns or not (frame["area"] == area).any():
            known = sorted(staff["area"].dropna().unique()) if "area" in staff.columns else []
            raise ValueError(f"no staff in area {area!r}; areas in the data: {known}")
        frame = frame[frame["area"] == area]
    return frame
