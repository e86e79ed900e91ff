"""Grades as data: an ordered grade ladder, and how a council's role titles map to it.

A :class:`GradeLadder` is the career structure, lowest grade first. Each :class:`Grade` has a name,
the role group it counts in when grades are collapsed (``caseholder`` / ``manager``), optional
census OrgRole codes, an optional cost per FTE and an optional cap on posts. Role titles map to
grades through :class:`GradeRule` rows: words the title contains (case and spacing ignored, whole
words, as :mod:`workforce_lib.roles` does), optionally only within a window of years since
qualifying (``qualified_date``). When several rules match a title, the longest words win ("senior
social worker" beats "social worker"), then the first rule whose years window holds.

The default ladder is the KMTP career structure (Kent & Medway Teaching Partnership case study,
2019, section 5.3: "5 grades"; newly qualified social workers on the ASYE, social worker,
experienced social worker, senior practitioner, and team manager). ``Social Worker`` is one title
for three grades in most councils' HR systems, so the default splits it by years since qualifying:

* under 1 year: newly qualified (ASYE), the assessed first year in employment;
* 1 to under 2 years: social worker;
* 2 years or more: experienced social worker.

The 2-year edge is the Kent 2011 paper's: "no more than 15% of caseholders having less than two
years post qualification UK experience", so ASYE + social worker is exactly that share. Where
``qualified_date`` is blank the years of service in the employment stand in for it. Titles no rule
maps get no grade; they are kept and reported (:func:`unmapped_titles`), never dropped silently.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..contract import ROLE_GROUPS
from ..errors import DataError, Problem

DAYS_PER_YEAR = 365.25


def _key(value) -> str:
    return " ".join(str(value).lower().split())


@dataclass(frozen=True)
class Grade:
    """One grade of the ladder."""

    name: str
    role_group: str = "caseholder"
    org_roles: tuple[int, ...] = ()
    cost_per_fte: float | None = None
    cap: float | None = None


@dataclass(frozen=True)
class GradeRule:
    """Titles containing ``words`` map to ``grade``, optionally only for years since qualifying in
    [min_years_qualified, max_years_qualified)."""

    words: str
    grade: str
    min_years_qualified: float | None = None
    max_years_qualified: float | None = None

    def holds(self, years: np.ndarray) -> np.ndarray:
        low = -math.inf if self.min_years_qualified is None else self.min_years_qualified
        high = math.inf if self.max_years_qualified is None else self.max_years_qualified
        with np.errstate(invalid="ignore"):
            return (years >= low) & (years < high)


@dataclass(frozen=True)
class GradeLadder:
    """Ordered grades (lowest first) and the rules mapping role titles to them."""

    grades: tuple[Grade, ...]
    rules: tuple[GradeRule, ...] = ()

    def __post_init__(self):
        names = [g.name for g in self.grades]
        if not names:
            raise ValueError("a grade ladder needs at least one grade")
        if len(set(names)) != len(names):
            raise ValueError(f"grade names must be different: {names}")
        for rule in self.rules:
            if rule.grade not in names:
                raise ValueError(
                    f"rule {rule.words!r} names grade {rule.grade!r}, not in the ladder ({', '.join(names)})"
                )

    @property
    def names(self) -> list[str]:
        return [g.name for g in self.grades]

    def __len__(self) -> int:
        return len(self.grades)

    def index(self, name: str) -> int:
        """Position of a grade (0 = lowest); a ValueError naming the ladder's grades if unknown."""
        for i, g in enumerate(self.grades):
            if g.name == name or _key(g.name) == _key(name):
                return i
        raise ValueError(f"unknown grade {name!r}; the ladder's grades are {', '.join(self.names)}")

    def role_groups(self) -> list[str]:
        return [g.role_group for g in self.grades]

    def caps(self) -> np.ndarray:
        return np.array([np.inf if g.cap is None else g.cap for g in self.grades], dtype=float)

    def costs(self) -> np.ndarray:
        return np.array([0.0 if g.cost_per_fte is None else g.cost_per_fte for g in self.grades], dtype=float)


ASYE = "newly qualified (ASYE)"
SOCIAL_WORKER = "social worker"
EXPERIENCED = "experienced social worker"
SENIOR = "senior practitioner"
TEAM_MANAGER = "team manager"
#: Years since qualifying that split the title "Social Worker" (see the module docstring).
ASYE_YEARS, EXPERIENCED_YEARS = 1.0, 2.0


def kmtp_ladder() -> GradeLadder:
    """The default ladder: the KMTP career structure (case study 2019, section 5.3), five grades.

    Principal social workers and team leaders count as team managers (the workbench's manager
    role group); titles above team manager (service manager, head of service) are not mapped.
    """
    grades = (
        Grade(ASYE, "caseholder", (5,)),
        Grade(SOCIAL_WORKER, "caseholder", ()),
        Grade(EXPERIENCED, "caseholder", ()),
        Grade(SENIOR, "caseholder", (4,)),
        Grade(TEAM_MANAGER, "manager", (3,)),
    )
    rules = (
        GradeRule("nqsw", ASYE),
        GradeRule("asye", ASYE),
        GradeRule("newly qualified", ASYE),
        GradeRule("social worker", ASYE, None, ASYE_YEARS),
        GradeRule("social worker", SOCIAL_WORKER, ASYE_YEARS, EXPERIENCED_YEARS),
        GradeRule("social worker", EXPERIENCED, EXPERIENCED_YEARS, None),
        GradeRule("experienced social worker", EXPERIENCED),
        GradeRule("senior practitioner", SENIOR),
        GradeRule("senior social worker", SENIOR),
        GradeRule("advanced practitioner", SENIOR),
        GradeRule("consultant social worker", SENIOR),
        GradeRule("team manager", TEAM_MANAGER),
        GradeRule("assistant team manager", TEAM_MANAGER),
        GradeRule("team leader", TEAM_MANAGER),
        GradeRule("practice supervisor", TEAM_MANAGER),
        GradeRule("principal social worker", TEAM_MANAGER),
    )
    return GradeLadder(grades, rules)


# ---------------------------------------------------------------------------------------------
# A council's own ladder file

LADDER_COLUMNS = (
    "grade",
    "order",
    "role",
    "min_years_qualified",
    "max_years_qualified",
    "role_group",
    "org_role",
    "cost_per_fte",
    "cap",
)


def _number(value) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).strip().replace("£", "").replace(",", "")
    if text == "" or text.lower() == "nan":
        return None
    return float(text)


def ladder_from_mapping(mapping: Mapping | pd.DataFrame, filename: str = "grade ladder") -> GradeLadder:
    """A council's ladder from a table (one row per grade and role title) or a dict.

    Table columns: ``grade`` and ``order`` (whole number, 1 = lowest) are required; optional
    ``role`` (title words; blank = a grade with no titles), ``min_years_qualified`` /
    ``max_years_qualified`` (a window of years since qualifying for that title), ``role_group``
    (caseholder / manager / other; default caseholder), ``org_role`` (census OrgRole code 1-6),
    ``cost_per_fte`` (pounds a year) and ``cap`` (most posts in the grade). Per-grade values must
    agree on every row of the grade. A dict is ``{grade: [titles]}`` in ladder order (lowest first).

    Every problem is reported together in a :class:`~workforce_lib.errors.DataError` naming the
    row (header = row 1), column, value and what was expected.
    """
    if not isinstance(mapping, pd.DataFrame):
        rows = []
        for order, (grade, titles) in enumerate(dict(mapping).items(), start=1):
            titles = [titles] if isinstance(titles, str) else list(titles or [None])
            rows += [{"grade": grade, "order": order, "role": t} for t in (titles or [None])]
        mapping = pd.DataFrame(rows, columns=["grade", "order", "role"])
    frame = mapping.copy()
    frame.columns = [_key(c).replace(" ", "_") for c in frame.columns]
    problems: list[Problem] = []
    missing = [c for c in ("grade", "order") if c not in frame.columns]
    if missing:
        raise DataError(
            [
                Problem(filename, None, c, None, f"a column {c!r} (columns: {', '.join(LADDER_COLUMNS)})")
                for c in missing
            ]
        )
    for column in LADDER_COLUMNS:
        if column not in frame.columns:
            frame[column] = None
    grades: dict[str, dict] = {}
    rules: list[tuple[int, GradeRule]] = []

    def bad(row, column, value, expected):
        problems.append(Problem(filename, row, column, None if value is None else str(value), expected))

    for i, rec in enumerate(frame.to_dict("records")):
        row = i + 2
        name = "" if rec["grade"] is None or pd.isna(rec["grade"]) else str(rec["grade"]).strip()
        if not name:
            bad(row, "grade", rec["grade"], "a grade name")
            continue
        values = {}
        for column, check, expected in (
            ("order", lambda v: v == int(v) and v >= 1, "a whole number from 1 (1 = lowest grade)"),
            ("min_years_qualified", lambda v: v >= 0, "a number of years, 0 or more"),
            ("max_years_qualified", lambda v: v > 0, "a number of years above 0"),
            ("org_role", lambda v: v == int(v) and 1 <= v <= 6, "a census OrgRole code from 1 to 6"),
            ("cost_per_fte", lambda v: v >= 0, "a cost in pounds, 0 or more"),
            ("cap", lambda v: v >= 0, "a number of posts, 0 or more"),
        ):
            try:
                value = _number(rec[column])
            except ValueError:
                bad(row, column, rec[column], expected)
                values[column] = "bad"
                continue
            if value is not None and not check(value):
                bad(row, column, rec[column], expected)
                values[column] = "bad"
                continue
            values[column] = value
        if values["order"] is None:
            bad(row, "order", rec["order"], "a whole number from 1 (1 = lowest grade)")
            continue
        group = rec["role_group"]
        group = "caseholder" if group is None or pd.isna(group) or str(group).strip() == "" else _key(group)
        if group not in ROLE_GROUPS:
            bad(row, "role_group", rec["role_group"], f"one of {', '.join(ROLE_GROUPS)}")
        low, high = values["min_years_qualified"], values["max_years_qualified"]
        if isinstance(low, float) and isinstance(high, float) and low >= high:
            bad(row, "min_years_qualified, max_years_qualified", f"{low:g}-{high:g}", "min_years_qualified below max")
        if "bad" in values.values():
            continue
        attrs = {
            "order": int(values["order"]),
            "role_group": group,
            "cost_per_fte": values["cost_per_fte"],
            "cap": values["cap"],
        }
        seen = grades.setdefault(name, {**attrs, "org_roles": set(), "row": row})
        for attr, value in attrs.items():
            if value is not None and seen[attr] is not None and seen[attr] != value:
                bad(
                    row,
                    attr,
                    value,
                    f"the same {attr} on every row of grade {name!r} ({seen[attr]} on row {seen['row']})",
                )
            elif seen[attr] is None:
                seen[attr] = value
        if values["org_role"] is not None:
            seen["org_roles"].add(int(values["org_role"]))
        role = rec["role"]
        if role is not None and not pd.isna(role) and str(role).strip():
            rules.append((row, GradeRule(_key(role), name, low, high)))
    orders: dict[int, str] = {}
    for name, attrs in grades.items():
        if attrs["order"] in orders and orders[attrs["order"]] != name:
            bad(attrs["row"], "order", attrs["order"], f"a different order from grade {orders[attrs['order']]!r}")
        orders[attrs["order"]] = name
    codes: dict[int, str] = {}
    for name, attrs in grades.items():
        for code in attrs["org_roles"]:
            if code in codes:
                bad(attrs["row"], "org_role", code, f"an OrgRole code used by one grade only (also {codes[code]!r})")
            codes[code] = name
    for a in range(len(rules)):
        for b in range(a + 1, len(rules)):
            (row_a, ra), (row_b, rb) = rules[a], rules[b]
            if ra.words != rb.words or ra.grade == rb.grade:
                continue
            lo = max(ra.min_years_qualified or 0.0, rb.min_years_qualified or 0.0)
            hi = min(ra.max_years_qualified or math.inf, rb.max_years_qualified or math.inf)
            if lo < hi:
                bad(
                    row_b,
                    "role",
                    rb.words,
                    f"one grade per title and years window ({ra.grade!r} on row {row_a} overlaps)",
                )
    if not grades and not problems:
        problems.append(Problem(filename, None, "grade", None, "at least one grade"))
    if problems:
        raise DataError(problems)
    ordered = sorted(grades, key=lambda n: grades[n]["order"])
    return GradeLadder(
        tuple(
            Grade(
                n,
                grades[n]["role_group"],
                tuple(sorted(grades[n]["org_roles"])),
                grades[n]["cost_per_fte"],
                grades[n]["cap"],
            )
            for n in ordered
        ),
        tuple(rule for _, rule in rules),
    )


# ---------------------------------------------------------------------------------------------
# Mapping titles to grades


def _candidates(key: str, ladder: GradeLadder) -> list[GradeRule]:
    """Rules whose words the title contains, keeping only the longest words (most specific)."""
    found = [r for r in ladder.rules if re.search(rf"\b{re.escape(r.words)}\b", key)]
    if not found:
        return []
    longest = max(len(r.words) for r in found)
    return [r for r in found if len(r.words) == longest]


def grade_codes(titles, years_qualified, ladder: GradeLadder, org_roles=None) -> np.ndarray:
    """Grade index (0 = lowest; -1 = not mapped) of each title at the given years since qualifying.

    A census OrgRole code, where given and claimed by a grade, decides first; else the title rules
    (longest words first, then the first rule whose years window holds).
    """
    titles = pd.Series(list(titles), dtype=object)
    years = np.asarray(years_qualified, dtype=float)
    out = np.full(len(titles), -1, dtype=np.int64)
    codes, uniques = pd.factorize(titles.map(lambda t: "" if t is None or pd.isna(t) else _key(t)))
    for u, key in enumerate(uniques):
        rows = np.flatnonzero(codes == u)
        left = np.ones(rows.size, dtype=bool)
        for rule in _candidates(key, ladder):
            hit = left & rule.holds(years[rows])
            out[rows[hit]] = ladder.index(rule.grade)
            left &= ~hit
    if org_roles is not None:
        by_code = {c: i for i, g in enumerate(ladder.grades) for c in g.org_roles}
        org = pd.to_numeric(pd.Series(list(org_roles)), errors="coerce").to_numpy()
        for code, index in by_code.items():
            out[org == code] = index
    return out


def years_qualified_at(staff: pd.DataFrame, when) -> np.ndarray:
    """Years since qualifying at ``when`` (a date or an array of dates, one per row); where
    ``qualified_date`` is blank, years since the employment started stand in for it."""
    when = pd.to_datetime(pd.Series(np.broadcast_to(np.asarray(when, dtype="datetime64[ns]"), (len(staff),))))
    qualified = staff["qualified_date"] if "qualified_date" in staff.columns else pd.Series(pd.NaT, index=staff.index)
    since = qualified.where(qualified.notna(), staff["start_date"]).to_numpy(dtype="datetime64[ns]")
    return (when.to_numpy(dtype="datetime64[ns]") - since) / np.timedelta64(1, "D") / DAYS_PER_YEAR


def assign_grades(staff: pd.DataFrame, ladder: GradeLadder | None = None, on=None) -> pd.DataFrame:
    """staff.csv with a ``grade`` column: each employment's grade on date ``on`` (default: on its
    start date). Titles no rule maps get grade None and stay in the frame (see :func:`unmapped_titles`)."""
    ladder = ladder or kmtp_ladder()
    when = staff["start_date"].to_numpy(dtype="datetime64[ns]") if on is None else pd.Timestamp(on).to_datetime64()
    codes = grade_codes(
        staff["role"], years_qualified_at(staff, when), ladder, staff["org_role"] if "org_role" in staff else None
    )
    names = np.array(ladder.names + [None], dtype=object)
    return staff.assign(grade=names[codes])


def grade_map(titles, ladder: GradeLadder | None = None) -> pd.DataFrame:
    """How each distinct title maps: role, grades (in ladder order) and the rule that decides."""
    ladder = ladder or kmtp_ladder()
    rows = []
    for title in pd.unique(pd.Series(list(titles), dtype=object).dropna()):
        found = _candidates(_key(title), ladder)
        if not found:
            rows.append((title, "", "not mapped"))
            continue
        grades = list(dict.fromkeys(r.grade for r in found))
        how = (
            "by years since qualifying"
            if any(r.min_years_qualified or r.max_years_qualified for r in found)
            else "title"
        )
        rows.append((title, "; ".join(grades), f"rule {found[0].words!r} ({how})"))
    return pd.DataFrame(rows, columns=["role", "grades", "mapped_by"])


def unmapped_titles(staff: pd.DataFrame, ladder: GradeLadder | None = None) -> pd.DataFrame:
    """Titles in staff.csv that no grade rule maps, with their row counts (reported, not dropped)."""
    mapping = grade_map(staff["role"], ladder)
    missing = mapping.loc[mapping["mapped_by"] == "not mapped", "role"]
    counts = staff["role"].value_counts()
    return pd.DataFrame({"role": list(missing), "rows": [int(counts[t]) for t in missing]})
