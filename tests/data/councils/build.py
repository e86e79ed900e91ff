"""Write the invented council data folders under tests/data/councils/.

Run from anywhere:  python tests/data/councils/build.py

Every figure here is invented; no real person or council return is in it. The output is the
same on every run and every machine: the only randomness is ``random.Random(SEED).random()``,
whose sequence Python guarantees not to change between versions (the script builds every other
draw on top of it), nothing iterates over a set, and the files are written with the csv module.

Folders (see README.md):

* ``wiltshire/``       all ten contract files for a four-area council that reuses team names
                       across areas; staff.csv in UK dates, pay_scales.csv in Windows-1252.
* ``staffing_only/``   a small council with only staffing.csv.
* ``tiny/``            ten employments in one area.
* ``nobody_left/``     no employment has a leave_date.
* ``everybody_left/``  every employment has ended; nobody in post.
* ``none_at_start/``   every employment started in the six months before the snapshot.

The script checks what the brief asks of each folder (funnel counts never grow, "all" = internal
+ external, turnover about 15-20% a year, staff and staffing agree, files under 60 KB) and stops
with an AssertionError if a check fails.
"""

from __future__ import annotations

import csv
import io
import math
import random
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 20250352
MAX_BYTES = 60_000

# ---------------------------------------------------------------------------------------------
# Deterministic draws, built only on random.random() (stable across Python versions).


class Draw:
    def __init__(self, seed: int):
        self._rng = random.Random(seed)

    def u(self) -> float:
        return self._rng.random()

    def uniform(self, low: float, high: float) -> float:
        return low + (high - low) * self.u()

    def integer(self, low: int, high: int) -> int:
        """A whole number from low to high inclusive."""
        return min(high, low + int(self.u() * (high - low + 1)))

    def pick(self, options, weights=None):
        options = list(options)
        if weights is None:
            return options[min(len(options) - 1, int(self.u() * len(options)))]
        total = float(sum(weights))
        target = self.u() * total
        running = 0.0
        for option, weight in zip(options, weights, strict=True):
            running += weight
            if target < running:
                return option
        return options[-1]

    def weighted(self, table: dict):
        return self.pick(list(table), list(table.values()))

    def date_between(self, first: date, last: date) -> date:
        return first + timedelta(days=self.integer(0, (last - first).days))


# ---------------------------------------------------------------------------------------------
# Writing


def iso(d: date | None) -> str:
    return "" if d is None else d.isoformat()


def uk(d: date | None) -> str:
    return "" if d is None else d.strftime("%d/%m/%Y")


def num(x: float) -> str:
    """An FTE as HR systems write it: 1, 0.8, 0.5."""
    return f"{round(x, 2):g}"


def fte1(x: float) -> str:
    """An FTE total with one decimal, as the staffing returns give it: 8.0, 12.6."""
    return f"{round(x, 1) + 0.0:.1f}"


def pounds(x: float) -> str:
    return f"£{x:,.0f}"


def pct(x: float) -> str:
    return f"{100 * x:.1f}%"


WRITTEN: list[tuple[Path, int]] = []


def write_csv(
    folder: Path,
    name: str,
    header: list[str],
    rows: list[list],
    *,
    encoding: str = "utf-8",
    newline: str = "\n",
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=newline)
    writer.writerow(header)
    for row in rows:
        assert len(row) == len(header), (name, row)
        writer.writerow(["" if v is None else v for v in row])
    data = buffer.getvalue().encode(encoding)
    assert len(data) < MAX_BYTES, f"{folder.name}/{name} is {len(data):,} bytes"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)
    WRITTEN.append((folder / name, len(rows)))


def half_down(x: float) -> float:
    """The largest multiple of 0.5 strictly below x."""
    return (math.ceil(x * 2 - 1e-9) - 1) / 2


# ---------------------------------------------------------------------------------------------
# Checks shared by several folders


def in_post(employments: list[dict], on: date) -> list[dict]:
    """Employments in post on a date: started on or before it, not yet left (leave_date after it)."""
    return [e for e in employments if e["start"] <= on and (e["leave"] is None or e["leave"] > on)]


def month_ends(first: date, last: date) -> list[date]:
    out = []
    y, m = first.year, first.month
    while True:
        nxt = date(y + (m == 12), m % 12 + 1, 1)
        end = nxt - timedelta(days=1)
        if end > last:
            return out
        if end >= first:
            out.append(end)
        y, m = nxt.year, nxt.month


def headcount_turnover(employments: list[dict], start: date, end: date, count_promotions: bool) -> float:
    """Leavers in (start, end] / average headcount at start and each month end (13 points)."""
    points = [start, *month_ends(start + timedelta(days=1), end)]
    average = sum(len(in_post(employments, d)) for d in points) / len(points)
    leavers = [
        e
        for e in employments
        if e["leave"] is not None and start < e["leave"] <= end and (count_promotions or not e["promoted"])
    ]
    return len(leavers) / average


def check_funnel(rows: list[list]) -> None:
    stages = ["applied", "shortlisted", "interviewed", "offered", "accepted", "started"]
    counts: dict[tuple, dict[str, int]] = {}
    for period, role, source, stage, count in rows:
        counts.setdefault((period, role, source), {})[stage] = count
    for key, by_stage in counts.items():
        ordered = [by_stage[s] for s in stages if s in by_stage]
        assert all(a >= b for a, b in zip(ordered, ordered[1:], strict=False)), ("funnel grows", key, ordered)
        if key[2] == "all":
            internal = counts[(key[0], key[1], "internal")]
            external = counts[(key[0], key[1], "external")]
            for stage, value in by_stage.items():
                assert value == internal[stage] + external[stage], ("all != internal + external", key, stage)


def check_staffing_matches_staff(staffing: list[list], employments: list[dict], group_of) -> None:
    """in_post_fte of every staffing row equals the FTE of staff.csv in post on that date."""
    for as_of, area, team, role_group, _est, in_post_fte, _agency in staffing:
        fte = sum(
            e["fte"]
            for e in in_post(employments, date.fromisoformat(as_of))
            if (e["area"], e["team"], group_of(e["role"])) == (area, team, role_group)
        )
        assert abs(fte - float(in_post_fte)) < 0.05, (as_of, area, team, role_group, fte, in_post_fte)
    teams = {(r[1], r[2]) for r in staffing}
    for e in employments:
        assert (e["area"], e["team"]) in teams, ("team not in staffing.csv", e)


STAFF_HEADER = [
    "staff_id",
    "role",
    "team",
    "area",
    "fte",
    "start_date",
    "leave_date",
    "leaving_reason",
    "entry_route",
    "qualified_date",
]
STAFFING_HEADER = ["as_of", "area", "team", "role_group", "establishment_fte", "in_post_fte", "agency_fte"]


def staff_rows(employments: list[dict], fmt) -> list[list]:
    return [
        [
            e["staff_id"],
            e["role"],
            e["team"],
            e["area"],
            num(e["fte"]),
            fmt(e["start"]),
            fmt(e["leave"]),
            e["reason"] or "",
            e["route"],
            fmt(e["qualified"]),
        ]
        for e in employments
    ]


def employment(staff_id, role, team, area, fte, start, leave=None, reason=None, route="Experienced", qualified=None):
    return {
        "staff_id": staff_id,
        "role": role,
        "team": team,
        "area": area,
        "fte": fte,
        "start": start,
        "leave": leave,
        "reason": reason,
        "route": route,
        "qualified": qualified,
        "promoted": False,
    }


# =============================================================================================
# Folder 1: Wiltshire

AUTHORITY = "Wiltshire"
SNAPSHOTS = (date(2024, 9, 30), date(2025, 3, 31))
DATA_END = SNAPSHOTS[-1]
EXTRACT_FROM = date(2022, 1, 1)  # the HR extract holds employments in post on or after this date

AREAS = ("North", "South", "East", "West")
SHARED_TEAMS = ("Long-Term Care", "Assessment", "Children in Care")

CASEHOLDER_TITLES = ("ASYE Social Worker", "Social Worker", "Advanced Practitioner", "Consultant Social Worker")
MANAGER_TITLES = ("Team Manager", "Practice Supervisor", "Principal Social Worker")


def wiltshire_group(role: str) -> str:
    if role in CASEHOLDER_TITLES:
        return "caseholder"
    if role in MANAGER_TITLES:
        return "manager"
    raise ValueError(role)


#: Funded caseholder posts of each shared team (title, FTE of the post), by area.
CASEHOLDER_POSTS = {
    ("North", "Long-Term Care"): ["Social Worker"] * 5 + ["Advanced Practitioner", "Consultant Social Worker"],
    ("North", "Assessment"): ["Social Worker"] * 6 + ["Advanced Practitioner"],
    ("North", "Children in Care"): ["Social Worker"] * 5 + ["Advanced Practitioner"],
    ("South", "Long-Term Care"): ["Social Worker"] * 6 + ["Advanced Practitioner", "Consultant Social Worker"],
    ("South", "Assessment"): ["Social Worker"] * 6 + ["Advanced Practitioner"],
    ("South", "Children in Care"): ["Social Worker"] * 5 + ["Advanced Practitioner"],
    ("East", "Long-Term Care"): ["Social Worker"] * 5 + ["Advanced Practitioner"],
    ("East", "Assessment"): ["Social Worker"] * 6 + ["Advanced Practitioner"],
    ("East", "Children in Care"): ["Social Worker"] * 4 + ["Advanced Practitioner", "Consultant Social Worker"],
    ("West", "Long-Term Care"): ["Social Worker"] * 5 + ["Advanced Practitioner"],
    ("West", "Assessment"): ["Social Worker"] * 5 + ["Advanced Practitioner"],
    ("West", "Children in Care"): ["Social Worker"] * 5 + ["Advanced Practitioner"],
}
#: The two small teams: funded posts (title, post FTE). Disabled Children 2.0 FTE, Leaving Care 4.5.
SMALL_TEAMS = {
    ("West", "Disabled Children"): [("Social Worker", 1.0), ("Advanced Practitioner", 1.0)],
    ("East", "Leaving Care"): [("Social Worker", 1.0)] * 3 + [("Advanced Practitioner", 1.0), ("Social Worker", 0.5)],
}
#: Extra, unfunded caseholders recruited over establishment (ASYEs and overseas recruits held
#: supernumerary): these teams are over-filled at the snapshots.
OVER_FILLED = (("North", "Assessment"), ("East", "Children in Care"))
#: The one team with no agency cover at all (neither caseholders nor managers).
NO_AGENCY = ("South", "Children in Care")
#: Funded caseholder posts that stayed vacant throughout (hard to fill), by team.
HARD_TO_FILL = {
    ("North", "Long-Term Care"): 1,
    ("South", "Long-Term Care"): 1,
    ("South", "Assessment"): 1,
    ("East", "Long-Term Care"): 1,
    ("West", "Assessment"): 2,
    ("West", "Children in Care"): 1,
}
#: A new funded caseholder post from January 2025.
NEW_POST = (("East", "Assessment"), date(2025, 1, 1))
PSW_TEAM = ("North", "Assessment")

#: Chance of leaving within a year of service, by years of service (caseholders, managers).
CASEHOLDER_LEAVING = ((1, 0.19), (3, 0.24), (5, 0.17), (10, 0.13), (99, 0.10))
MANAGER_LEAVING = ((1, 0.10), (3, 0.14), (99, 0.10))

CASEHOLDER_ROUTES = {
    "ASYE": 0.34,
    "Experienced": 0.28,
    "Overseas": 0.12,
    "Step Up": 0.06,
    "Frontline": 0.08,
    "Agency conversion": 0.12,
}
SENIOR_ROUTES = {"Experienced": 0.70, "Overseas": 0.10, "Agency conversion": 0.20}
NEW_QUALIFIER_ROUTES = ("ASYE", "Step Up", "Frontline")
LEAVING_REASONS = {
    "Moved to another LA": 0.30,
    "Agency work": 0.18,
    "Personal reasons": 0.16,
    "Relocation": 0.13,
    "Career change": 0.13,
    "Retirement": 0.10,
}
#: Years from qualifying to starting, by entry route (low, high).
YEARS_QUALIFIED = {
    "ASYE": (0.05, 0.35),
    "Step Up": (0.02, 0.2),
    "Frontline": (0.0, 0.1),
    "Experienced": (2.0, 16.0),
    "Overseas": (3.0, 12.0),
    "Agency conversion": (2.0, 12.0),
}
PART_TIME = {1.0: 0.74, 0.8: 0.12, 0.6: 0.07, 0.5: 0.07}


def _service_years(draw: Draw, bands) -> float:
    """Length of service from a piecewise-constant leaving hazard (inverse cumulative hazard)."""
    target = -math.log(1.0 - draw.u())
    low = 0.0
    for high, annual in bands:
        hazard = -math.log(1.0 - annual)
        if target <= hazard * (high - low):
            return low + target / hazard
        target -= hazard * (high - low)
        low = high
    return low + target / hazard


def _qualified(draw: Draw, route: str, start: date, senior: bool) -> date | None:
    if draw.u() < 0.06 and route not in NEW_QUALIFIER_ROUTES:
        return None  # not recorded in the HR system
    low, high = (6.0, 20.0) if senior else YEARS_QUALIFIED[route]
    q = start - timedelta(days=round(365.25 * draw.uniform(low, high)))
    if route in NEW_QUALIFIER_ROUTES:  # courses finish in the summer
        q = date(q.year, draw.pick([6, 7, 7, 8]), draw.integer(1, 28))
        if q >= start:
            q = date(start.year - 1, q.month, q.day)
    return q


def _reason(draw: Draw, years: float) -> str:
    while True:
        reason = draw.weighted(LEAVING_REASONS)
        if reason != "Retirement" or years >= 7:
            return reason


def _post_chain(draw: Draw, area: str, team: str, title: str, post_fte: float, first_start: date | None = None):
    """The employments that hold one post one after another, from 2012 to the data end."""
    group = wiltshire_group(title)
    start = first_start or draw.date_between(date(2012, 1, 1), date(2021, 6, 30))
    out = []
    while True:
        start += timedelta(days=(7 - start.weekday()) % 7 if start.weekday() >= 5 else 0)  # a weekday
        if start > DATA_END:
            break
        senior = title not in ("Social Worker",)
        route = draw.weighted(SENIOR_ROUTES if senior else CASEHOLDER_ROUTES)
        years = _service_years(draw, CASEHOLDER_LEAVING if group == "caseholder" else MANAGER_LEAVING)
        leave = start + timedelta(days=max(30, round(365.25 * years)))
        fte = post_fte if post_fte < 1 else draw.weighted(PART_TIME)
        job = {
            "area": area,
            "team": team,
            "role": title,
            "fte": fte,
            "start": start,
            "leave": leave if leave <= DATA_END else None,
            "route": route,
            "qualified": _qualified(draw, route, start, senior and group == "manager"),
            "years": years,
            "promoted": False,
        }
        if job["leave"] is None or job["leave"] >= EXTRACT_FROM:
            job["reason"] = None if job["leave"] is None else _reason(draw, years)
            out.append(job)
        if job["leave"] is None:
            break
        gap = draw.integer(0, 21) if draw.u() < 0.25 else draw.integer(30, 160)
        start = leave + timedelta(days=gap + 1)
    return out


def _split(job: dict, first_role: str, last_day: date) -> list[dict]:
    """A promotion: the employment up to last_day in first_role, the next day onwards in its role."""
    before = dict(job, role=first_role, leave=last_day, reason=None, promoted=True)
    after = dict(job, start=last_day + timedelta(days=1))
    return [before, after]


def _promotion_day(job: dict, end: date, years_in: tuple[int, ...], open_years: dict[int, int]) -> date | None:
    """The last day in the old role: a month end some whole years after starting, inside the
    extract, before the first snapshot and the employment's end, in a year with promotions still
    to place; None if none fits."""
    for years in years_in:
        last = date(job["start"].year + years, job["start"].month, 1) - timedelta(days=1)
        if EXTRACT_FROM <= last < end and last < date(2024, 9, 1) and open_years.get(last.year):
            return last
    return None


def wiltshire_staff(draw: Draw) -> list[dict]:
    jobs: list[dict] = []
    for (area, team), titles in CASEHOLDER_POSTS.items():
        for title in titles:
            jobs += _post_chain(draw, area, team, title, 1.0)
        if (area, team) == NEW_POST[0]:
            jobs += _post_chain(draw, area, team, "Social Worker", 1.0, first_start=date(2025, 2, 3))
        # managers: a team manager and a practice supervisor in every shared team
        jobs += _post_chain(draw, area, team, "Team Manager", 1.0)
        jobs += _post_chain(draw, area, team, "Practice Supervisor", 1.0)
    for (area, team), posts in SMALL_TEAMS.items():
        for title, post_fte in posts:
            jobs += _post_chain(draw, area, team, title, post_fte)
    jobs += _post_chain(draw, *PSW_TEAM, "Principal Social Worker", 1.0, first_start=date(2019, 11, 4))
    # over-establishment recruits, two in each over-filled team: an overseas recruit from March
    # 2024 and an ASYE from the September 2024 cohort
    for area, team in OVER_FILLED:
        for start, route in ((date(2024, 3, 4), "Overseas"), (date(2024, 9, 2), "ASYE")):
            job = _post_chain(draw, area, team, "Social Worker", 1.0, first_start=start)[0]
            job.update(leave=None, reason=None, fte=1.0, route=route)
            job["qualified"] = _qualified(draw, route, start, senior=False)
            jobs.append(job)

    # Roles in time: new qualifiers are "ASYE Social Worker" in their first year; a few who stay
    # on get a second row as "Social Worker" (the rest were re-graded in place by HR and show one
    # row); some social workers were promoted to advanced practitioner, some to manager posts.
    # Promotions still to place, by kind and the year of the last day in the old role (spread
    # over the years so no one year's turnover carries them all).
    quotas = {
        "asye": {2022: 2, 2023: 2, 2024: 1},
        "ap": {2022: 1, 2023: 1, 2024: 1},
        "manager": {2023: 1, 2024: 1},
    }
    out: list[dict] = []
    for job in sorted(jobs, key=lambda j: (j["start"], j["area"], j["team"], j["role"])):
        end = job["leave"] or DATA_END
        if job["role"] == "Social Worker" and job["route"] in NEW_QUALIFIER_ROUTES:
            year_end = job["start"] + timedelta(days=364)
            if end <= year_end:
                job["role"] = "ASYE Social Worker"
            elif quotas["asye"].get(year_end.year) and EXTRACT_FROM <= year_end < end:
                quotas["asye"][year_end.year] -= 1
                out += _split(job, "ASYE Social Worker", year_end)
                continue
        elif job["role"] == "Advanced Practitioner" and job["route"] == "Experienced":
            last = _promotion_day(job, end, (4, 3, 5, 2, 6), quotas["ap"])
            if last is not None:
                quotas["ap"][last.year] -= 1
                out += _split(job, "Social Worker", last)
                continue
        elif job["role"] in ("Team Manager", "Practice Supervisor"):
            last = _promotion_day(job, end, (5, 4, 6, 3, 7), quotas["manager"])
            if last is not None:
                quotas["manager"][last.year] -= 1
                first = "Advanced Practitioner" if job["role"] == "Practice Supervisor" else "Practice Supervisor"
                out += _split(job, first, last)
                continue
        out.append(job)
    assert not any(n for q in quotas.values() for n in q.values()), f"promotions not all placed: {quotas}"

    # pseudonymous ids, one per person (a promoted person keeps theirs)
    numbers = list(range(10_000, 99_999, 37))
    for job in out:
        job["staff_id"] = f"W{numbers.pop(draw.integer(0, len(numbers) - 1)):05d}"
    # the two rows of a promotion are one person: the row after a promoted row is its pair
    for i, job in enumerate(out):
        if job["promoted"]:
            out[i + 1]["staff_id"] = job["staff_id"]
    return sorted(out, key=lambda j: (j["staff_id"], j["start"]))


def wiltshire_staffing(draw: Draw, jobs: list[dict]) -> list[list]:
    teams = [(area, team) for area in AREAS for team in SHARED_TEAMS]
    teams.insert(teams.index(("East", "Children in Care")) + 1, ("East", "Leaving Care"))
    teams.append(("West", "Disabled Children"))
    rows = []
    for as_of in SNAPSHOTS:
        present = in_post(jobs, as_of)
        for area, team in teams:
            for group in ("caseholder", "manager"):
                if (area, team) in SMALL_TEAMS and group == "manager":
                    continue  # managed from a neighbouring team
                fte = sum(
                    j["fte"]
                    for j in present
                    if (j["area"], j["team"]) == (area, team) and wiltshire_group(j["role"]) == group
                )
                if (area, team) in SMALL_TEAMS:
                    est = sum(p for _, p in SMALL_TEAMS[(area, team)])
                elif group == "manager":
                    est = 3.0 if (area, team) == PSW_TEAM else 2.0
                else:
                    est = float(len(CASEHOLDER_POSTS[(area, team)]) + HARD_TO_FILL.get((area, team), 0))
                    if (area, team) == NEW_POST[0] and as_of >= NEW_POST[1]:
                        est += 1.0
                if (area, team) in OVER_FILLED and group == "caseholder":
                    est = min(est, half_down(fte))
                vacancy = max(0.0, est - fte)
                if (area, team) == NO_AGENCY:
                    agency = 0.0
                elif group == "manager":
                    agency = 1.0 if vacancy >= 0.9 else 0.0
                else:
                    agency = max(0.5, round(vacancy * draw.uniform(0.35, 0.85), 1))
                rows.append([iso(as_of), area, team, group, fte1(est), fte1(fte), fte1(agency)])
    return rows


def wiltshire_trend(draw: Draw, jobs: list[dict], staffing: list[list]) -> list[list]:
    months = month_ends(date(2024, 4, 1), DATA_END)
    rows = []
    for group in ("caseholder", "manager"):
        at = {s: sum(float(r[6]) for r in staffing if r[0] == iso(s) and r[3] == group) for s in SNAPSHOTS}
        slope = (at[SNAPSHOTS[1]] - at[SNAPSHOTS[0]]) / 6
        for end in months:
            present = [j for j in in_post(jobs, end) if wiltshire_group(j["role"]) == group]
            fte = sum(j["fte"] for j in present)
            overseas = sum(j["fte"] for j in present if j["route"] == "Overseas")
            if end in at:
                agency = at[end]
            else:
                steps = (end.year - 2024) * 12 + end.month - 9
                agency = max(0.0, at[SNAPSHOTS[0]] + slope * steps + draw.uniform(-0.8, 0.8))
            est = sum(
                float(r[4])
                for r in staffing
                if r[3] == group and r[0] == iso(SNAPSHOTS[0] if end < NEW_POST[1] else SNAPSHOTS[1])
            )
            rows.append([f"{end:%Y-%m}", group, fte1(fte), fte1(overseas), fte1(agency), fte1(est)])
    return rows


def build_wiltshire(folder: Path) -> None:
    draw = Draw(SEED)
    jobs = wiltshire_staff(draw)
    staffing = wiltshire_staffing(draw, jobs)

    # --- checks on staff and staffing
    assert 165 <= len(jobs) <= 195, len(jobs)
    assert all(j["leave"] is None or EXTRACT_FROM <= j["leave"] <= DATA_END for j in jobs)
    assert min(j["start"] for j in jobs) >= date(2012, 1, 1)
    assert max(j["start"] for j in jobs) <= DATA_END
    assert len({(j["staff_id"], j["start"]) for j in jobs}) == len(jobs)
    assert set(j["role"] for j in jobs) == set(CASEHOLDER_TITLES + MANAGER_TITLES)
    promoted = [j for j in jobs if j["promoted"]]
    assert len(promoted) == 10
    for p in promoted:
        nxt = [j for j in jobs if j["staff_id"] == p["staff_id"] and j["start"] == p["leave"] + timedelta(days=1)]
        assert len(nxt) == 1 and nxt[0]["role"] != p["role"], p
    check_staffing_matches_staff(staffing, jobs, wiltshire_group)
    over = [r for r in staffing if float(r[5]) > float(r[4])]
    assert over, "no over-filled team"
    agency_by_team: dict[tuple, float] = {}
    for r in staffing:
        agency_by_team[(r[1], r[2])] = agency_by_team.get((r[1], r[2]), 0.0) + float(r[6])
    assert [t for t, a in agency_by_team.items() if a == 0] == [NO_AGENCY], agency_by_team
    for year in (2022, 2023, 2024):
        for with_promotions in (False, True):
            rate = headcount_turnover(jobs, date(year, 3, 31), date(year + 1, 3, 31), with_promotions)
            assert 0.15 <= rate <= 0.20, (year, with_promotions, rate)

    write_csv(folder, "staff.csv", STAFF_HEADER, staff_rows(jobs, uk))
    write_csv(folder, "staffing.csv", STAFFING_HEADER, staffing)
    trend = wiltshire_trend(draw, jobs, staffing)
    write_csv(
        folder,
        "staffing_trend.csv",
        ["month", "role_group", "in_post_fte", "overseas_fte", "agency_fte", "establishment_fte"],
        trend,
    )

    # --- recruitment plan: written by Excel as "CSV UTF-8", so with a byte-order mark
    plan = {
        ("caseholder", "ASYE"): (10, 9, 9),
        ("caseholder", "Experienced"): (8, 7, 6),
        ("caseholder", "Overseas"): (6, 4, 2),
        ("caseholder", "Internal"): (3, 3, 3),
        ("manager", "ASYE"): (0, 0, 0),
        ("manager", "Experienced"): (2, 2, 1),
        ("manager", "Overseas"): (0, 1, 0),
        ("manager", "Internal"): (2, 2, 2),
    }
    rows = [
        [year, group, source, hires[i]]
        for i, year in enumerate((2025, 2026, 2027))
        for (group, source), hires in plan.items()
    ]
    write_csv(
        folder, "recruitment_plan.csv", ["year", "role_group", "source", "planned_hires"], rows, encoding="utf-8-sig"
    )

    # --- pay scales: Excel's plain "CSV" export, Windows-1252 with CRLF line ends
    scales = {
        "Wiltshire": [
            (34_000, 35_500, ""),
            (38_500, 44_000, "Grade J; £1,500 market supplement not included"),
            (45_000, 49_500, "Grade K"),
            (51_000, 56_500, "Grade M"),
        ],
        "Swindon": [(33_500, 33_500, "single point"), (37_000, 43_500, ""), (44_500, 48_000, ""), (50_500, 55_000, "")],
        "Dorset": [(34_500, 36_000, ""), (39_000, 45_500, ""), (46_000, 50_500, ""), (52_000, 57_500, "")],
        "Somerset": [
            (33_000, 34_500, ""),
            (37_500, 43_000, "advertised range – 2025/26"),
            (44_000, 48_500, ""),
            (50_000, 55_500, ""),
        ],
        "Bath and North East Somerset": [
            (35_000, 36_500, ""),
            (39_500, 46_000, ""),
            (46_500, 51_000, ""),
            (53_000, 58_000, ""),
        ],
    }
    roles = ("ASYE Social Worker", "Social Worker", "Advanced Practitioner", "Team Manager")
    rows = [
        [authority, role, pounds(low), pounds(high), note]
        for authority, bands in scales.items()
        for role, (low, high, note) in zip(roles, bands, strict=True)
    ]
    write_csv(
        folder,
        "pay_scales.csv",
        ["authority", "role", "salary_min", "salary_max", "notes"],
        rows,
        encoding="cp1252",
        newline="\r\n",
    )

    rows = [
        [
            "Wiltshire",
            "Social Worker",
            "market supplement",
            "£1,500",
            "annual",
            "caseholding social workers in Long-Term Care and Assessment",
        ],
        [
            "Wiltshire",
            "Social Worker",
            "golden hello",
            "£2,000",
            "one_off",
            "experienced social workers appointed from April 2025; repayable if leaving within 2 years",
        ],
        ["Swindon", "Social Worker", "market premium", "5%", "pct_of_basic", "all caseholding social workers"],
        ["Dorset", "Social Worker", "relocation package", "£8,000", "one_off", "up to; receipts needed"],
        ["Somerset", "Advanced Practitioner", "retention payment", "£1,000", "annual", "after two years' service"],
        ["Bath and North East Somerset", "Team Manager", "market supplement", "0.04", "pct_of_basic", ""],
    ]
    write_csv(folder, "pay_supplements.csv", ["authority", "role", "name", "amount", "basis", "notes"], rows)

    write_csv(
        folder,
        "campaign.csv",
        ["week_ending", "channel", "advert", "visitors", "clicks", "applications", "spend_gbp"],
        wiltshire_campaign(draw),
    )

    funnel = {
        ("Social Worker", "internal"): (7, 6, 6, 4, 4, 3),
        ("Social Worker", "external"): (84, 31, 22, 13, 10, 7),
        ("Team Manager", "internal"): (4, 4, 3, 1, 1, 1),
        ("Team Manager", "external"): (17, 7, 5, 2, 1, 0),
    }
    stages = ("applied", "shortlisted", "interviewed", "offered", "accepted", "started")
    rows = []
    for role in ("Social Worker", "Team Manager"):
        both = [a + b for a, b in zip(funnel[(role, "internal")], funnel[(role, "external")], strict=True)]
        for source, counts in (
            ("internal", funnel[(role, "internal")]),
            ("external", funnel[(role, "external")]),
            ("all", both),
        ):
            rows += [
                ["2024-10/2025-03", role, source, stage, count] for stage, count in zip(stages, counts, strict=True)
            ]
    check_funnel(rows)
    write_csv(folder, "funnel.csv", ["period", "role", "source", "stage", "count"], rows)

    latest = [r for r in staffing if r[0] == iso(DATA_END)]
    wte = {
        (g, k): round(sum(float(r[4 if k == "est" else 5]) for r in latest if r[3] == g), 1)
        for g in ("caseholder", "manager")
        for k in ("est", "in")
    }
    proposal = "recruitment and retention payment"
    rows = [
        [
            proposal,
            "current staff in post",
            "caseholder",
            wte[("caseholder", "in")],
            "£2,500",
            "annual",
            "",
            "27.5%",
            "every caseholder in post at 31 March 2025, ASYEs included",
        ],
        [
            proposal,
            "current staff in post",
            "manager",
            wte[("manager", "in")],
            "£1,500",
            "annual",
            "",
            "27.5%",
            "team managers, practice supervisors and the principal social worker",
        ],
        [
            proposal,
            "full establishment",
            "caseholder",
            wte[("caseholder", "est")],
            "£2,500",
            "annual",
            "",
            "27.5%",
            "every funded caseholder post filled",
        ],
        [proposal, "full establishment", "manager", wte[("manager", "est")], "£1,500", "annual", "", "27.5%", ""],
    ]
    write_csv(
        folder,
        "cost_proposals.csv",
        [
            "proposal",
            "scenario",
            "role_group",
            "eligible_wte",
            "amount_gbp",
            "basis",
            "base_salary_gbp",
            "on_cost_rate",
            "notes",
        ],
        rows,
    )

    # benchmarks: Wiltshire's own 2024 rates from these files (DfE year to 30 September)
    sept = [r for r in staffing if r[0] == iso(SNAPSHOTS[0])]
    est, inp, agency = (sum(float(r[i]) for r in sept) for i in (4, 5, 6))
    turnover = {y: headcount_turnover(jobs, date(y - 1, 9, 30), date(y, 9, 30), False) for y in (2023, 2024)}
    rows = [
        [
            "Wiltshire",
            "children",
            2023,
            pct(turnover[2023]),
            "14.0%",
            "12.5%",
            "turnover from staff.csv (year to 30 September; promotions are not leavers); vacancy and agency invented",
        ],
        [
            "Wiltshire",
            "children",
            2024,
            pct(turnover[2024]),
            pct((est - inp) / est),
            pct(agency / (agency + inp)),
            "turnover from staff.csv as in 2023; vacancy and agency from staffing.csv at 30 September 2024",
        ],
        ["South West", "children", 2023, "18.5%", "19.8%", "16.9%", "invented regional figure"],
        ["South West", "children", 2024, "17.2%", "18.1%", "15.4%", "invented regional figure"],
        ["England", "children", 2023, "17.0%", "20.1%", "17.8%", "invented national figure"],
        ["England", "children", 2024, "16.1%", "18.4%", "16.8%", "invented national figure"],
    ]
    write_csv(
        folder,
        "benchmarks.csv",
        ["authority", "service", "year", "turnover_rate", "vacancy_rate", "agency_rate", "notes"],
        rows,
    )


def wiltshire_campaign(draw: Draw) -> list[list]:
    adverts = [
        # channel, advert, visitors a week (low, high), clicks per visitor, applications per 100 visitors, weekly spend
        ("Indeed", "Social Worker - sponsored job", (120, 220), 1.25, 3.0, (140.0, 210.0)),
        ("Indeed", "Team Manager - sponsored job", (30, 70), 1.2, 2.5, (60.0, 90.0)),
        ("LinkedIn", "Sponsored post - experienced SWs", (40, 95), 1.4, 1.5, (110.0, 160.0)),
        ("Community Care", "Jobs board listing", (60, 120), 1.1, 4.0, (250.0, 250.0)),
        ("Facebook", "Carousel - Life in Wiltshire", (150, 320), 1.6, 0.0, (75.0, 120.0)),
        ("Facebook", "Video - meet the North team", (80, 200), 1.5, 0.0, (60.0, 90.0)),
    ]
    rows = []
    week = date(2025, 1, 5)
    while week <= date(2025, 3, 30):
        for channel, advert, (low, high), per_visitor, per_100, (s_low, s_high) in adverts:
            visitors = draw.integer(low, high)
            clicks = round(visitors * per_visitor * draw.uniform(0.95, 1.1))
            applications = int(visitors * per_100 / 100 * draw.uniform(0.4, 1.6))
            spend = round(draw.uniform(s_low, s_high), 2)
            rows.append([iso(week), channel, advert, visitors, clicks, applications, f"{spend:.2f}"])
        week += timedelta(days=7)
    zero = [
        c for c in ("Indeed", "LinkedIn", "Community Care", "Facebook") if all(r[5] == 0 for r in rows if r[1] == c)
    ]
    assert zero == ["Facebook"], zero
    return rows


# =============================================================================================
# Folder 2: staffing only (a small council)


def build_staffing_only(folder: Path) -> None:
    rows = [
        ["2025-03-31", "County Hall", "Front Door", "caseholder", "4.0", "3.0", "1.0"],
        ["2025-03-31", "County Hall", "Front Door", "manager", "1.0", "1.0", "0.0"],
        ["2025-03-31", "County Hall", "Children in Care", "caseholder", "5.0", "4.5", "0.5"],
        ["2025-03-31", "County Hall", "Children in Care", "manager", "1.0", "1.0", "0.0"],
        ["2025-03-31", "Oakham", "Family Support", "caseholder", "4.0", "4.6", "0.0"],
        ["2025-03-31", "Oakham", "Family Support", "manager", "1.0", "0.0", "1.0"],
    ]
    write_csv(folder, "staffing.csv", STAFFING_HEADER, rows)


# =============================================================================================
# Folder 3: tiny (ten employments, one area)


def tiny_group(role: str) -> str:
    return "manager" if role == "Team Manager" else "caseholder"


def build_tiny(folder: Path) -> None:
    d = date.fromisoformat
    b = "Borough"
    jobs = [
        employment(
            "T01", "Social Worker", "Front Door", b, 1.0, d("2021-09-06"), route="ASYE", qualified=d("2021-07-02")
        ),
        employment("T02", "Senior Social Worker", "Front Door", b, 0.8, d("2018-02-12"), qualified=d("2009-06-30")),
        employment(
            "T03",
            "Social Worker",
            "Front Door",
            b,
            1.0,
            d("2023-01-09"),
            d("2025-06-13"),
            "Moved to another LA",
            "ASYE",
            d("2022-07-15"),
        ),
        employment("T04", "Team Manager", "Permanence", b, 1.0, d("2016-05-03"), qualified=d("2003-06-27")),
        employment("T05", "Senior Social Worker", "Permanence", b, 1.0, d("2019-10-14"), qualified=d("2012-07-06")),
        employment("T06", "Social Worker", "Permanence", b, 0.6, d("2022-04-25"), qualified=d("2016-06-24")),
        employment(
            "T07", "Social Worker", "Permanence", b, 1.0, d("2025-03-03"), route="ASYE", qualified=d("2024-11-29")
        ),
        employment(
            "T08",
            "Social Worker",
            "Permanence",
            b,
            1.0,
            d("2020-09-07"),
            d("2024-11-29"),
            "Agency work",
            "ASYE",
            d("2020-07-03"),
        ),
        employment(
            "T09",
            "Senior Social Worker",
            "Duty",
            b,
            1.0,
            d("2017-07-10"),
            d("2025-02-28"),
            "Retirement",
            qualified=d("1994-06-30"),
        ),
        employment("T10", "Social Worker", "Duty", b, 1.0, d("2025-04-07"), route="Agency conversion"),
    ]
    staffing = [
        ["2025-09-30", b, "Front Door", "caseholder", "2.0", "1.8", "0.0"],
        ["2025-09-30", b, "Permanence", "caseholder", "4.0", "2.6", "1.0"],
        ["2025-09-30", b, "Permanence", "manager", "1.0", "1.0", "0.0"],
        ["2025-09-30", b, "Duty", "caseholder", "1.0", "1.0", "0.0"],
    ]
    check_staffing_matches_staff(staffing, jobs, tiny_group)
    assert len(jobs) == 10
    write_csv(folder, "staffing.csv", STAFFING_HEADER, staffing)
    write_csv(folder, "staff.csv", STAFF_HEADER, staff_rows(jobs, iso))
    write_csv(
        folder,
        "recruitment_plan.csv",
        ["year", "role_group", "source", "planned_hires"],
        [
            [2026, "caseholder", "ASYE", 1],
            [2026, "caseholder", "Experienced", 1],
            [2026, "manager", "Internal", 0],
            [2027, "caseholder", "ASYE", 1],
            [2027, "caseholder", "Experienced", 0],
            [2027, "manager", "Internal", 1],
        ],
    )
    write_csv(
        folder,
        "pay_scales.csv",
        ["authority", "role", "salary_min", "salary_max"],
        [
            ["Tinytown", "Social Worker", "36000", "42000"],
            ["Tinytown", "Team Manager", "49000", "53000"],
            ["Neighbourton", "Social Worker", "37500", "37500"],
            ["Neighbourton", "Team Manager", "50000", "55000"],
        ],
    )


# =============================================================================================
# Folders 4-6: edge cases of staff.csv (snapshot 31 March 2025)

EDGE_SNAPSHOT = date(2025, 3, 31)
EDGE_ROLES = {"Social Worker": "caseholder", "Senior Practitioner": "caseholder", "Team Manager": "manager"}


def _edge_staffing(jobs: list[dict], establishment: dict, agency: dict) -> list[list]:
    rows = []
    for (area, team, group), est in establishment.items():
        fte = sum(
            j["fte"]
            for j in in_post(jobs, EDGE_SNAPSHOT)
            if (j["area"], j["team"], EDGE_ROLES[j["role"]]) == (area, team, group)
        )
        rows.append(
            [iso(EDGE_SNAPSHOT), area, team, group, fte1(est), fte1(fte), fte1(agency.get((area, team, group), 0.0))]
        )
    return rows


def _write_edge(folder: Path, jobs: list[dict], establishment: dict, agency: dict) -> list[list]:
    staffing = _edge_staffing(jobs, establishment, agency)
    check_staffing_matches_staff(staffing, jobs, EDGE_ROLES.get)
    assert len({(j["staff_id"], j["start"]) for j in jobs}) == len(jobs)
    write_csv(folder, "staffing.csv", STAFFING_HEADER, staffing)
    write_csv(folder, "staff.csv", STAFF_HEADER, staff_rows(jobs, iso))
    return staffing


def build_nobody_left(folder: Path) -> None:
    d = date.fromisoformat
    a = "Central"
    people = [
        ("Social Worker", "Assessment", 1.0, "2019-09-02", "ASYE", "2019-07-05"),
        ("Social Worker", "Assessment", 1.0, "2022-01-10", "Experienced", "2015-06-26"),
        ("Social Worker", "Assessment", 0.8, "2016-04-18", "Experienced", "2008-07-04"),
        ("Senior Practitioner", "Assessment", 1.0, "2017-11-06", "Experienced", "2006-06-30"),
        ("Social Worker", "Assessment", 0.6, "2024-09-02", "ASYE", "2024-07-12"),
        ("Team Manager", "Assessment", 1.0, "2016-02-01", "Experienced", "2001-06-29"),
        ("Social Worker", "Children in Care", 1.0, "2021-03-01", "Overseas", "2014-11-20"),
        ("Social Worker", "Children in Care", 1.0, "2023-09-04", "ASYE", "2023-06-30"),
        ("Social Worker", "Children in Care", 1.0, "2018-05-14", "Agency conversion", None),
        ("Senior Practitioner", "Children in Care", 0.5, "2020-10-05", "Experienced", "2010-07-09"),
        ("Social Worker", "Children in Care", 0.8, "2024-11-11", "Experienced", "2019-06-28"),
        ("Team Manager", "Children in Care", 1.0, "2019-01-07", "Experienced", "2004-07-02"),
    ]
    jobs = [
        employment(f"N{i + 1:02d}", role, team, a, fte, d(start), route=route, qualified=q and d(q))
        for i, (role, team, fte, start, route, q) in enumerate(people)
    ]
    assert len(jobs) == 12 and all(j["leave"] is None for j in jobs)
    establishment = {
        (a, "Assessment", "caseholder"): 6.0,
        (a, "Assessment", "manager"): 1.0,
        (a, "Children in Care", "caseholder"): 5.0,
        (a, "Children in Care", "manager"): 1.0,
    }
    _write_edge(folder, jobs, establishment, {(a, "Assessment", "caseholder"): 1.0})


def build_everybody_left(folder: Path) -> None:
    d = date.fromisoformat
    a = "Central"
    people = [
        ("Social Worker", "Assessment", 1.0, "2019-09-02", "2023-06-30", "Moved to another LA", "ASYE", "2019-07-05"),
        ("Social Worker", "Assessment", 1.0, "2021-02-15", "2024-01-31", "Agency work", "Experienced", "2013-06-28"),
        (
            "Social Worker",
            "Assessment",
            0.8,
            "2020-06-01",
            "2024-08-16",
            "Personal reasons",
            "Experienced",
            "2011-07-01",
        ),
        (
            "Senior Practitioner",
            "Assessment",
            1.0,
            "2018-03-05",
            "2024-10-31",
            "Agency work",
            "Experienced",
            "2007-06-29",
        ),
        ("Social Worker", "Assessment", 1.0, "2023-09-04", "2025-02-28", "Moved to another LA", "ASYE", "2023-07-07"),
        ("Team Manager", "Assessment", 1.0, "2017-01-09", "2024-12-20", "Retirement", "Experienced", "1996-06-28"),
        ("Social Worker", "Children in Care", 1.0, "2022-05-09", "2024-05-31", "Relocation", "Overseas", "2016-12-01"),
        ("Social Worker", "Children in Care", 0.6, "2021-10-04", "2025-01-10", "Career change", "Experienced", None),
    ]
    jobs = [
        employment(f"E{i + 1:02d}", role, team, a, fte, d(start), d(leave), reason, route, q and d(q))
        for i, (role, team, fte, start, leave, reason, route, q) in enumerate(people)
    ]
    assert len(jobs) == 8 and all(j["leave"] is not None and j["leave"] < EDGE_SNAPSHOT for j in jobs)
    establishment = {
        (a, "Assessment", "caseholder"): 5.0,
        (a, "Assessment", "manager"): 1.0,
        (a, "Children in Care", "caseholder"): 2.0,
    }
    agency = {
        (a, "Assessment", "caseholder"): 4.0,
        (a, "Assessment", "manager"): 1.0,
        (a, "Children in Care", "caseholder"): 2.0,
    }
    staffing = _write_edge(folder, jobs, establishment, agency)
    assert all(r[5] == "0.0" for r in staffing)


def build_none_at_start(folder: Path) -> None:
    d = date.fromisoformat
    a = "Central"
    people = [
        ("Team Manager", "Assessment", 1.0, "2024-10-07", None, None, "Experienced", "2008-06-27"),
        (
            "Social Worker",
            "Assessment",
            1.0,
            "2024-10-07",
            "2025-01-31",
            "Moved to another LA",
            "Experienced",
            "2018-07-06",
        ),
        ("Social Worker", "Assessment", 1.0, "2024-10-14", None, None, "Agency conversion", "2015-06-26"),
        ("Senior Practitioner", "Assessment", 1.0, "2024-11-04", None, None, "Experienced", "2012-07-13"),
        ("Social Worker", "Assessment", 0.8, "2025-01-06", None, None, "Overseas", "2019-11-15"),
        ("Social Worker", "Children in Care", 1.0, "2024-10-21", None, None, "Experienced", "2020-06-26"),
        (
            "Social Worker",
            "Children in Care",
            1.0,
            "2024-11-04",
            "2025-03-14",
            "Personal reasons",
            "Overseas",
            "2017-12-08",
        ),
        ("Social Worker", "Children in Care", 0.6, "2025-02-03", None, None, "Experienced", None),
        ("Social Worker", "Children in Care", 1.0, "2025-03-03", None, None, "ASYE", "2024-12-13"),
    ]
    jobs = [
        employment(f"S{i + 1:02d}", role, team, a, fte, d(start), leave and d(leave), reason, route, q and d(q))
        for i, (role, team, fte, start, leave, reason, route, q) in enumerate(people)
    ]
    six_months_before = date(2024, 9, 30)
    assert len(jobs) == 9 and all(six_months_before < j["start"] <= EDGE_SNAPSHOT for j in jobs)
    assert sum(j["leave"] is not None for j in jobs) == 2
    establishment = {
        (a, "Assessment", "caseholder"): 5.0,
        (a, "Assessment", "manager"): 1.0,
        (a, "Children in Care", "caseholder"): 4.0,
    }
    agency = {(a, "Assessment", "caseholder"): 1.0, (a, "Children in Care", "caseholder"): 1.0}
    _write_edge(folder, jobs, establishment, agency)


# =============================================================================================


def build_wiltshire_census(folder: Path) -> None:
    """Two linked census returns (2022 and 2023 schemas, LA code 865), from the workbench's seeded
    generator: a smaller council than the sample, in older schema years."""
    import sys

    sys.path.insert(0, str(HERE.parents[2]))
    from workforce_lib.synthetic import CensusSettings, write_census_returns

    folder.mkdir(exist_ok=True)
    settings = CensusSettings(in_post=240, turnover=0.17, agency_share=0.12, vacancy_rate=0.2, caseload=15.0)
    for path in write_census_returns(folder, "865", [2022, 2023], settings, seed=865):
        WRITTEN.append((path, "census"))


def main() -> None:
    build_wiltshire(HERE / "wiltshire")
    build_wiltshire_census(HERE / "wiltshire" / "census")
    build_staffing_only(HERE / "staffing_only")
    build_tiny(HERE / "tiny")
    build_nobody_left(HERE / "nobody_left")
    build_everybody_left(HERE / "everybody_left")
    build_none_at_start(HERE / "none_at_start")
    for path, rows in WRITTEN:
        print(f"{path.relative_to(HERE)}: {rows} rows, {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
