"""Role titles and role groups: one visible, editable mapping from a council's titles to groups.

Every analysis works on role groups: ``caseholder`` (social workers holding cases, whatever the
council calls them), ``manager`` (non-caseholding managers) and ``other`` (roles outside both,
kept but counted in neither). A council's own titles map to groups through, in order:

1. ``role_groups.csv`` in the data folder (columns ``role``, ``role_group``), if present: the
   council's own word, which wins;
2. the default rules below, by words in the title (case and spacing ignored), managers first so
   "Team Manager" and "Principal Social Worker" are managers, not social workers;
3. anything else is ``other``, and ``workforce validate`` lists it as a title it could not map.

The defaults follow the career structure of children's social work (DfE's workforce census
seniority bands: case holder, senior practitioner, first line manager, middle manager, senior
manager); a council whose titles differ writes ``role_groups.csv``.
"""

from __future__ import annotations

import re

import pandas as pd

from .contract import ROLE_GROUPS

#: Default rules: (words a title contains, its group), tried in order; the first that matches wins.
DEFAULT_RULES: tuple[tuple[str, str], ...] = (
    ("manager", "manager"),
    ("team leader", "manager"),
    ("head of", "manager"),
    ("director", "manager"),
    ("principal social worker", "manager"),
    ("practice supervisor", "manager"),
    ("practice lead", "manager"),
    ("assistant", "other"),
    ("support worker", "other"),
    ("student", "other"),
    ("social worker", "caseholder"),
    ("practitioner", "caseholder"),
    ("nqsw", "caseholder"),
    ("asye", "caseholder"),
    ("newly qualified", "caseholder"),
)


def _key(value) -> str:
    return " ".join(str(value).lower().split())


def _default_group(key: str) -> str | None:
    for words, group in DEFAULT_RULES:
        if re.search(rf"\b{re.escape(words)}\b", key):
            return group
    return None


def role_map(titles, explicit: pd.DataFrame | None = None) -> pd.DataFrame:
    """How each distinct title maps: role, role_group and how it was decided (``role_groups.csv``,
    ``default rule`` or ``not mapped``), one row per title as written."""
    given = (
        {} if explicit is None else {_key(r): g for r, g in zip(explicit["role"], explicit["role_group"], strict=True)}
    )
    rows = []
    for title in pd.unique(pd.Series(list(titles), dtype=object).dropna()):
        key = _key(title)
        if key in given:
            rows.append((title, given[key], "role_groups.csv"))
            continue
        group = _default_group(key)
        rows.append((title, group or "other", "default rule" if group else "not mapped"))
    return pd.DataFrame(rows, columns=["role", "role_group", "mapped_by"])


def role_group_of(roles: pd.Series, explicit: pd.DataFrame | None = None) -> pd.Series:
    """The role group of each role title: ``caseholder``, ``manager`` or ``other`` (see the module)."""
    mapping = role_map(roles, explicit)
    return roles.map(dict(zip(mapping["role"], mapping["role_group"], strict=True))).fillna("other")


def unmapped_titles(staff: pd.DataFrame, explicit: pd.DataFrame | None = None) -> pd.DataFrame:
    """Titles in staff.csv that neither role_groups.csv nor a default rule maps, with their row counts."""
    mapping = role_map(staff["role"], explicit)
    missing = mapping.loc[mapping["mapped_by"] == "not mapped", "role"]
    counts = staff["role"].value_counts()
    return pd.DataFrame({"role": missing, "rows": [int(counts[t]) for t in missing]}).reset_index(drop=True)


def with_role_group(staff: pd.DataFrame, explicit: pd.DataFrame | None = None) -> pd.DataFrame:
    """staff.csv with a ``role_group`` column from ``role`` (kept if already present, as it is
    once the data folder is loaded: :func:`workforce_lib.data.load_dataset` adds it)."""
    if "role_group" in staff.columns:
        return staff
    return staff.assign(role_group=role_group_of(staff["role"], explicit))


def label(role_group: str, plural: bool = True) -> str:
    """A role group in words for headings and sentences: 'Caseholders', 'Managers', 'Other roles'."""
    words = {"caseholder": "caseholders", "manager": "managers", "other": "other roles"}
    text = words.get(role_group, str(role_group)) if plural else str(role_group)
    return text[:1].upper() + text[1:]


def select(staff: pd.DataFrame, role: str = "", area: str = "") -> pd.DataFrame:
    """Rows for a role group (``caseholder``/``manager``/``other``) or a single role, and an area; blank = all."""
    from .errors import AnalysisError

    frame = with_role_group(staff)
    if role:
        key = _key(role)
        if key in ROLE_GROUPS:
            frame = frame[frame["role_group"] == key]
        else:
            frame = frame[frame["role"].astype(str).map(_key) == key]
        if frame.empty:
            known = sorted(set(staff["role"].astype(str)) | set(ROLE_GROUPS))
            raise AnalysisError(f"no staff with role {role!r}; roles in the data: {', '.join(known)}")
    if area:
        if "area" not in frame.columns or not (frame["area"] == area).any():
            known = sorted(staff["area"].dropna().unique()) if "area" in staff.columns else []
            raise AnalysisError(f"no staff in area {area!r}; areas in the data: {', '.join(map(str, known))}")
        frame = frame[frame["area"] == area]
    return frame
