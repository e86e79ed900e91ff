"""The cheapest plan that fills the establishment of every grade: a linear programme (SciPy HiGHS).

Decisions per plan year t: recruits per grade and source (within caps), moves between grades
(progression with caps as numbers, as a share of the destination grade, or a minimum share of the
source; a move down with its own leaving), agency cover (FTE, at a yearly cost), and as optional
levers over-establishment (cost per FTE, total cap), part-time working (counted as a fraction of an
FTE, cost, cap) and redundancy (a payment). The stock S[t, g, c] (grade g, completed service years c)
follows the model of :mod:`workforce_lib.manpower.project`:

    S[t, g, age(k)] = (1 - w[g,k]) S[t-1, g, k] - sum_out P[t, r, k] - R[t, g, k] + sum_in a_r P[t, r, k]
                      (+ recruits: (1 - w[g,0]) H at age(0) joining at the year start,
                       or (1 - i[g]) H at c = 0 joining at the year end)
    sum_c S[t, g, c] - (1 - f_g) PT[t, g] + A[t, g] - O[t, g] = establishment[t, g]

with w the leaving rate by service year, age(k) = min(k + 1, K), P moves from band k (a_r = 1 -
the destination grade's leaving rate, or 1 - the move's own leaving for a demotion), R redundancy,
PT part-time staff, A agency FTE, O over-establishment. This is H.P. Williams's manpower planning
model ("Model Building in Mathematical Programming", 5th ed., 2013, sections 12.5 and 13.5),
generalised to any ladder, service bands and agency cover; with Williams's data it reproduces his
optima (tests/test_manpower_optimise.py). Objectives: total cost, agency FTE-years, or redundancies.

Shadow prices are HiGHS's dual values (``res.ineqlin.marginals``, ``res.eqlin.marginals``,
``res.upper.marginals``): the change in the objective per unit of a cap or requirement. A plan that
cannot be made is re-solved with slack on each requirement (phase one): the slack left says which
grade and year cannot be met, and by how much.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import DataError, Problem
from .bands import DEFAULT_BANDS, ServiceBands
from .grades import GradeLadder
from .inputs import by_year_grade, plan_years
from .project import stock_array
from .rates import ManpowerRates

OBJECTIVES = ("cost", "agency", "redundancy")
TOL = 1e-7


@dataclass
class PlanProblem:
    """Everything the optimiser needs, as tables (see docs/manpower.md for each table's columns).

    ladder : the grades, lowest first (a grade's ``cap`` limits its staff).
    start : staff in post at the start by grade (and service year or band): table, dict or array.
    establishment : table (year, grade, establishment_fte) or dict {grade: FTE} for every year.
    leaving : yearly leaving rates: :class:`ManpowerRates`, a table (grade, band, rate) or a dict
        {grade: rate} / {(grade, band): rate}.
    recruitment : table (grade, source, max_per_year; optional cost_per_hire, year). A grade with
        no row cannot recruit.
    moves : table (from_grade, to_grade; optional max_per_year, max_share_of_to, min_share_of_from,
        cost_per_move, leaving_on_move). Blank caps = none.
    grade_costs : table (grade; optional cost_per_fte, redundancy_cost [blank = no redundancy],
        over_cost [blank = no over-establishment], part_time_max, part_time_fte, part_time_cost,
        agency_max).
    over_total_max : most over-establishment FTE a year, all grades (None = no total cap).
    agency_cost_per_fte : a year of agency cover per FTE (day rate x days); None = no agency.
    """

    ladder: GradeLadder
    start: object
    establishment: object
    leaving: object
    recruitment: pd.DataFrame | None = None
    moves: pd.DataFrame | None = None
    grade_costs: pd.DataFrame | None = None
    over_total_max: float | None = None
    agency_cost_per_fte: float | None = None
    bands: ServiceBands = DEFAULT_BANDS
    years: int | None = None
    first_year: int = 1
    recruits_join: str = "end"
    in_year_leaving: float = 0.0


@dataclass
class PlanResult:
    """The solved plan. ``status`` is "optimal" or "infeasible" (then ``explanation`` says why)."""

    status: str
    objective: str
    value: float = float("nan")
    total_cost: float = float("nan")
    plan: pd.DataFrame = field(default_factory=pd.DataFrame)
    recruits: pd.DataFrame = field(default_factory=pd.DataFrame)
    moves: pd.DataFrame = field(default_factory=pd.DataFrame)
    costs: pd.DataFrame = field(default_factory=pd.DataFrame)
    binding: pd.DataFrame = field(default_factory=pd.DataFrame)
    sentences: list[str] = field(default_factory=list)
    explanation: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Reading the tables


def _blank(value) -> bool:
    return (
        value is None
        or (isinstance(value, float) and np.isnan(value))
        or (isinstance(value, str) and not value.strip())
    )


def _num(rec: dict, column: str, name: str, row: int, problems: list, minimum=0.0, maximum=None, default=None):
    value = rec.get(column)
    if _blank(value):
        return default
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = np.nan
    bad = np.isnan(number) or (minimum is not None and number < minimum) or (maximum is not None and number > maximum)
    if bad:
        expected = "a number" + (f", {minimum:g} or more" if minimum is not None else "")
        expected += f" and at most {maximum:g}" if maximum is not None else ""
        problems.append(Problem(name, row, column, str(value), expected))
        return default
    return number


def _grade(ladder: GradeLadder, rec: dict, column: str, name: str, row: int, problems: list) -> int | None:
    try:
        return ladder.index(str(rec.get(column)))
    except ValueError:
        problems.append(
            Problem(name, row, column, str(rec.get(column)), f"a grade of the ladder ({', '.join(ladder.names)})")
        )
        return None


def _records(table, name: str, required: tuple[str, ...]) -> list[dict]:
    if table is None:
        return []
    missing = [c for c in required if c not in table.columns]
    if missing:
        raise DataError([Problem(name, None, c, None, f"a column {c!r}") for c in missing])
    return table.to_dict("records")


def _leaving(leaving, ladder: GradeLadder, bands: ServiceBands) -> np.ndarray:
    G, B = len(ladder), len(bands.labels)
    if isinstance(leaving, ManpowerRates):
        return leaving.leave.copy()
    table = np.full((G, B), np.nan)
    problems: list[Problem] = []
    if isinstance(leaving, pd.DataFrame):
        for i, rec in enumerate(_records(leaving, "leaving rates", ("grade", "rate"))):
            g = _grade(ladder, rec, "grade", "leaving rates", i + 2, problems)
            rate = _num(rec, "rate", "leaving rates", i + 2, problems, 0.0, 1.0)
            if g is None or rate is None:
                continue
            band = rec.get("band")
            if _blank(band) or str(band) == "all":
                table[g, :] = rate
            elif band in bands.labels:
                table[g, bands.band_index(band)] = rate
            else:
                problems.append(Problem("leaving rates", i + 2, "band", str(band), f"one of {', '.join(bands.labels)}"))
    else:
        for key, rate in dict(leaving).items():
            grade, band = key if isinstance(key, tuple) else (key, None)
            rec = {"grade": grade, "rate": rate}
            g = _grade(ladder, rec, "grade", "leaving rates", None, problems)
            rate = _num(rec, "rate", "leaving rates", None, problems, 0.0, 1.0)
            if g is None or rate is None:
                continue
            if band is None:
                table[g, :] = rate
            else:
                table[g, bands.band_index(band)] = rate
    for g in range(G):
        if np.isnan(table[g]).any():
            problems.append(Problem("leaving rates", None, "grade", ladder.names[g], "a leaving rate for every grade"))
    if problems:
        raise DataError(problems)
    return table


# ---------------------------------------------------------------------------------------------
# The linear programme


class _LP:
    """Columns with bounds and costs; rows as triplets; records of what each row and column means."""

    def __init__(self):
        self.lower, self.upper, self.cost = [], [], []
        self.eq, self.ub = ([], [], []), ([], [], [])
        self.b_eq, self.b_ub = [], []
        self.eq_info, self.ub_info = [], []

    def var(self, n: int, upper=np.inf) -> np.ndarray:
        start = len(self.lower)
        self.lower += [0.0] * n
        self.upper += list(np.broadcast_to(np.asarray(upper, dtype=float), (n,)))
        self.cost += [0.0] * n
        return np.arange(start, start + n)

    def row(self, kind: str, cols, coefs, rhs: float, info: dict):
        store, b, infos = (self.eq, self.b_eq, self.eq_info) if kind == "eq" else (self.ub, self.b_ub, self.ub_info)
        r = len(b)
        cols = np.atleast_1d(np.asarray(cols))
        coefs = np.broadcast_to(np.asarray(coefs, dtype=float), cols.shape)
        store[0].extend([r] * cols.size)
        store[1].extend(cols.tolist())
        store[2].extend(coefs.tolist())
        b.append(float(rhs))
        infos.append(info)
        return r

    def matrices(self, n_extra: int = 0):
        from scipy.sparse import csr_matrix

        n = len(self.lower) + n_extra
        a_eq = csr_matrix((self.eq[2], (self.eq[0], self.eq[1])), shape=(len(self.b_eq), n)) if self.b_eq else None
        a_ub = csr_matrix((self.ub[2], (self.ub[0], self.ub[1])), shape=(len(self.b_ub), n)) if self.b_ub else None
        return a_eq, a_ub


def _build(problem: PlanProblem, objective: str):
    ladder, bands = problem.ladder, problem.bands
    if objective not in OBJECTIVES:
        raise ValueError(f"objective must be one of {', '.join(OBJECTIVES)}, not {objective!r}")
    if problem.recruits_join not in ("start", "end"):
        raise ValueError(f"recruits_join must be 'start' or 'end', not {problem.recruits_join!r}")
    at_start = problem.recruits_join == "start"
    years = plan_years(problem.establishment, problem.years, problem.first_year)
    Y, G, K1 = len(years), len(ladder), bands.n_years
    E = by_year_grade(problem.establishment, ladder, years, "establishment", "establishment_fte", complete=True)
    S0 = stock_array(problem.start, ladder, bands)
    w = _leaving(problem.leaving, ladder, bands)[:, bands.band_of_year()]  # [G, K+1]
    problems: list[Problem] = []
    if not 0 <= problem.in_year_leaving < 1:
        problems.append(
            Problem("plan", None, "in_year_leaving", str(problem.in_year_leaving), "a rate from 0 to below 1")
        )
    if problem.over_total_max is not None and problem.over_total_max < 0:
        problems.append(Problem("plan", None, "over_total_max", str(problem.over_total_max), "a number, 0 or more"))
    if problem.agency_cost_per_fte is not None and problem.agency_cost_per_fte < 0:
        problems.append(Problem("plan", None, "agency_cost_per_fte", str(problem.agency_cost_per_fte), "0 or more"))

    # Grade-level levers.
    gc = {
        c: np.full(G, np.nan)
        for c in (
            "cost_per_fte",
            "redundancy_cost",
            "over_cost",
            "part_time_max",
            "part_time_fte",
            "part_time_cost",
            "agency_max",
        )
    }
    for i, rec in enumerate(_records(problem.grade_costs, "grade costs", ("grade",))):
        g = _grade(ladder, rec, "grade", "grade costs", i + 2, problems)
        for column in gc:
            value = _num(rec, column, "grade costs", i + 2, problems, 0.0, 1.0 if column == "part_time_fte" else None)
            if g is not None and value is not None:
                gc[column][g] = value
    salary = np.where(np.isnan(gc["cost_per_fte"]), ladder.costs(), gc["cost_per_fte"])
    pt_fte = np.where(np.isnan(gc["part_time_fte"]), 0.5, gc["part_time_fte"])

    # Recruitment sources.
    sources = []  # (grade, source, cap per year [Y], cost)
    for i, rec in enumerate(_records(problem.recruitment, "recruitment", ("grade", "source", "max_per_year"))):
        g = _grade(ladder, rec, "grade", "recruitment", i + 2, problems)
        cap = _num(rec, "max_per_year", "recruitment", i + 2, problems, default=np.inf)
        cost = _num(rec, "cost_per_hire", "recruitment", i + 2, problems, default=0.0)
        if g is None or cap is None:
            continue
        source = "external" if _blank(rec.get("source")) else str(rec["source"])
        if "year" in rec and not _blank(rec.get("year")):
            if int(rec["year"]) not in years:
                continue
            caps = np.zeros(Y)
            found = [s for s in sources if s[0] == g and s[1] == source]
            if found:
                caps = found[0][2]
            else:
                sources.append((g, source, caps, cost))
            caps[years.index(int(rec["year"]))] = cap
        else:
            sources.append((g, source, np.full(Y, cap), cost))

    # Moves between grades.
    routes = []  # dict(from, to, max_n, max_share, min_share, cost, arrive [K+1])
    for i, rec in enumerate(_records(problem.moves, "moves", ("from_grade", "to_grade"))):
        row = i + 2
        a = _grade(ladder, rec, "from_grade", "moves", row, problems)
        b = _grade(ladder, rec, "to_grade", "moves", row, problems)
        max_n = _num(rec, "max_per_year", "moves", row, problems)
        max_share = _num(rec, "max_share_of_to", "moves", row, problems)
        min_share = _num(rec, "min_share_of_from", "moves", row, problems, 0.0, 1.0)
        cost = _num(rec, "cost_per_move", "moves", row, problems, default=0.0)
        leave_on_move = _num(rec, "leaving_on_move", "moves", row, problems, 0.0, 1.0)
        if a is None or b is None:
            continue
        if a == b:
            problems.append(Problem("moves", row, "to_grade", str(rec["to_grade"]), "a grade other than from_grade"))
            continue
        arrive = 1 - (w[b] if leave_on_move is None else np.full(K1, leave_on_move))
        routes.append(
            dict(frm=a, to=b, max_n=max_n, max_share=max_share, min_share=min_share, cost=cost, arrive=arrive)
        )
    if problems:
        raise DataError(problems)

    lp = _LP()
    S = lp.var(Y * G * K1).reshape(Y, G, K1)
    if at_start:
        lp.upper = list(np.asarray(lp.upper))
        for idx in S[:, :, 0].ravel():
            lp.upper[idx] = 0.0
    H = [lp.var(Y, caps) for (_, _, caps, _) in sources]
    P = [lp.var(Y * K1).reshape(Y, K1) for _ in routes]
    can_redund = ~np.isnan(gc["redundancy_cost"])
    R = {g: lp.var(Y * K1).reshape(Y, K1) for g in range(G) if can_redund[g]}
    pt_max = np.nan_to_num(gc["part_time_max"], nan=0.0)
    PT = {g: lp.var(Y, pt_max[g]) for g in range(G) if pt_max[g] > 0}
    can_over = ~np.isnan(gc["over_cost"])
    OV = {g: lp.var(Y) for g in range(G) if can_over[g]}
    agency_max = np.where(np.isnan(gc["agency_max"]), np.inf, gc["agency_max"])
    A = {g: lp.var(Y, agency_max[g]) for g in range(G)} if problem.agency_cost_per_fte is not None else {}
    # Moves cannot come from a band with nobody in it in the first year.
    for r, route in enumerate(routes):
        for k in range(K1):
            if S0[route["frm"], k] <= 0:
                lp.upper[P[r][0, k]] = 0.0

    # Balance of stock, by year, grade and service year at the year end.
    keep = 1 - problem.in_year_leaving
    for t in range(Y):
        for g in range(G):
            for c in range(K1):
                cols, coefs, rhs = [S[t, g, c]], [1.0], 0.0
                sources_k = [k for k in range(K1) if min(k + 1, K1 - 1) == c]
                for k in sources_k:
                    if t == 0:
                        rhs += (1 - w[g, k]) * S0[g, k]
                    else:
                        cols.append(S[t - 1, g, k])
                        coefs.append(-(1 - w[g, k]))
                    for r, route in enumerate(routes):
                        if route["frm"] == g:
                            cols.append(P[r][t, k])
                            coefs.append(1.0)
                        if route["to"] == g:
                            cols.append(P[r][t, k])
                            coefs.append(-route["arrive"][k])
                    if g in R:
                        cols.append(R[g][t, k])
                        coefs.append(1.0)
                for s, (sg, _, _, _) in enumerate(sources):
                    if sg != g:
                        continue
                    if at_start and c == min(1, K1 - 1):
                        cols.append(H[s][t])
                        coefs.append(-(1 - w[g, 0]))
                    elif not at_start and c == 0:
                        cols.append(H[s][t])
                        coefs.append(-keep)
                lp.row("eq", cols, coefs, rhs, {"kind": "balance", "t": t, "g": g, "c": c})

    # Requirements: in post (part-time counted at their fraction) + agency - over = establishment.
    req_rows = np.zeros((Y, G), dtype=int)
    for t in range(Y):
        for g in range(G):
            cols, coefs = list(S[t, g]), [1.0] * K1
            if g in PT:
                cols.append(PT[g][t])
                coefs.append(-(1 - pt_fte[g]))
            if g in A:
                cols.append(A[g][t])
                coefs.append(1.0)
            if g in OV:
                cols.append(OV[g][t])
                coefs.append(-1.0)
            req_rows[t, g] = lp.row("eq", cols, coefs, E[t, g], {"kind": "establishment", "t": t, "g": g})
            if g in PT:
                lp.row(
                    "ub",
                    [PT[g][t], *S[t, g]],
                    [1.0] + [-1.0] * K1,
                    0.0,
                    {"kind": "part-time within staff", "t": t, "g": g},
                )
            cap = ladder.grades[g].cap
            if cap is not None:
                lp.row("ub", S[t, g], 1.0, cap, {"kind": "grade cap", "t": t, "g": g, "limit": cap})
        if OV and problem.over_total_max is not None:
            lp.row(
                "ub",
                [OV[g][t] for g in OV],
                1.0,
                problem.over_total_max,
                {"kind": "over-establishment cap", "t": t, "limit": problem.over_total_max},
            )
    min_rows = []
    for r, route in enumerate(routes):
        for t in range(Y):
            if route["max_n"] is not None:
                lp.row(
                    "ub", P[r][t], 1.0, route["max_n"], {"kind": "move cap", "t": t, "r": r, "limit": route["max_n"]}
                )
            if route["max_share"] is not None:
                lp.row(
                    "ub",
                    [*P[r][t], *S[t, route["to"]]],
                    [1.0] * K1 + [-route["max_share"]] * K1,
                    0.0,
                    {"kind": "move share cap", "t": t, "r": r, "limit": route["max_share"]},
                )
            if route["min_share"]:
                g = route["frm"]
                if t == 0:
                    cols, coefs = list(P[r][0]), [-1.0] * K1
                    rhs = -route["min_share"] * float(((1 - w[g]) * S0[g]).sum())
                else:
                    cols = [*P[r][t], *S[t - 1, g]]
                    coefs = [-1.0] * K1 + list(route["min_share"] * (1 - w[g]))
                    rhs = 0.0
                min_rows.append(
                    lp.row(
                        "ub", cols, coefs, rhs, {"kind": "move minimum", "t": t, "r": r, "limit": route["min_share"]}
                    )
                )

    # Costs: every item, then the objective chosen.
    cost = np.zeros(len(lp.lower))
    items = {}

    def add(item, cols, value):
        cols = np.atleast_1d(cols)
        cost[cols] += value
        items.setdefault(item, []).append((cols, value))

    for t in range(Y):
        for g in range(G):
            add("salaries", S[t, g], salary[g])
            if g in PT:
                add("salaries", PT[g][t], -salary[g] * (1 - pt_fte[g]))
                add("part-time working", PT[g][t], np.nan_to_num(gc["part_time_cost"][g]))
            if g in OV:
                add("over-establishment", OV[g][t], gc["over_cost"][g])
            if g in R:
                add("redundancy", R[g][t], gc["redundancy_cost"][g])
            if g in A:
                add("agency", A[g][t], problem.agency_cost_per_fte)
    for s, (_, _, _, c) in enumerate(sources):
        add("recruitment", H[s], c)
    for r, route in enumerate(routes):
        add("moves", P[r].ravel(), route["cost"])
    if objective == "cost":
        lp.cost = cost
    elif objective == "agency":
        lp.cost = np.zeros(len(lp.lower))
        for g in A:
            lp.cost[A[g]] = 1.0
    else:
        lp.cost = np.zeros(len(lp.lower))
        for g in R:
            lp.cost[R[g].ravel()] = 1.0
    model = dict(
        years=years,
        E=E,
        S=S,
        H=H,
        P=P,
        R=R,
        PT=PT,
        O=OV,
        A=A,
        sources=sources,
        routes=routes,
        req_rows=req_rows,
        min_rows=min_rows,
        items=items,
        pt_fte=pt_fte,
        salary=salary,
    )
    return lp, model


def _explain_infeasible(lp: _LP, model: dict, ladder: GradeLadder, problem: PlanProblem) -> list[str]:
    """Phase one: slack on each requirement (short or over) and on minimum moves; say what is left."""
    from scipy.optimize import linprog

    req = model["req_rows"].ravel()
    mins = model["min_rows"]
    n = len(lp.lower)
    extra = 2 * req.size + len(mins)
    a_eq, a_ub = lp.matrices(extra)
    a_eq = a_eq.tolil()
    for i, r in enumerate(req):
        a_eq[r, n + 2 * i] = 1.0  # short: FTE that cannot be found
        a_eq[r, n + 2 * i + 1] = -1.0  # over: FTE that cannot be shed
    if a_ub is not None:
        a_ub = a_ub.tolil()
        for i, r in enumerate(mins):
            a_ub[r, n + 2 * req.size + i] = -1.0
    c = np.concatenate([np.zeros(n), np.ones(extra)])
    bounds = list(zip(lp.lower + [0.0] * extra, lp.upper + [np.inf] * extra, strict=True))
    res = linprog(
        c,
        A_ub=None if a_ub is None else a_ub.tocsr(),
        b_ub=lp.b_ub or None,
        A_eq=a_eq.tocsr(),
        b_eq=lp.b_eq,
        bounds=bounds,
        method="highs",
    )
    if res.status != 0:
        return ["The plan cannot be made and the cause could not be found: check the caps for contradictions."]
    x = res.x
    years, E = model["years"], model["E"]
    levers = []
    if not model["A"]:
        levers.append("agency cover is not allowed")
    if not model["R"]:
        levers.append("no grade allows redundancy")
    lines = []
    for i, r in enumerate(req):
        t, g = lp.eq_info[r]["t"], lp.eq_info[r]["g"]
        short, over = x[n + 2 * i], x[n + 2 * i + 1]
        grade = ladder.names[g]
        if short > 1e-6:
            lines.append(
                f"Year {years[t]}, {grade}: the establishment of {E[t, g]:,.1f} FTE cannot be filled; even with "
                f"every lever at its cap the plan is {short:,.1f} FTE short (raise recruitment or progression caps"
                + (", or allow agency cover" if not model["A"] else "")
                + ")."
            )
        if over > 1e-6:
            lines.append(
                f"Year {years[t]}, {grade}: {over:,.1f} FTE more staff than the establishment of {E[t, g]:,.1f} FTE "
                f"with no way to reduce them ("
                + ("; ".join(levers + ["over-establishment is capped or not allowed"]))
                + ")."
            )
    for i, r in enumerate(mins):
        if x[n + 2 * req.size + i] > 1e-6:
            info = lp.ub_info[r]
            route = model["routes"][info["r"]]
            lines.append(
                f"Year {years[info['t']]}: the minimum progression from {ladder.names[route['frm']]} to "
                f"{ladder.names[route['to']]} ({info['limit']:.0%}) cannot be met within the other caps."
            )
    return lines or ["The plan cannot be made: the caps contradict each other."]


def _unit(objective: str, value: float) -> str:
    if objective == "cost":
        return f"£{value:,.0f}"
    if objective == "agency":
        return f"{value:,.2f} agency FTE-years"
    return f"{value:,.2f} redundancies"


def optimise(problem: PlanProblem, objective: str = "cost") -> PlanResult:
    """Solve the plan (:class:`PlanProblem`) for the least total cost, agency FTE-years or redundancies.

    Returns a :class:`PlanResult`: the plan year by year and grade, recruits by source, moves, cost
    items, binding caps with their shadow prices in words, or for a plan that cannot be made, the
    requirements that cannot be met.
    """
    from scipy.optimize import linprog

    ladder = problem.ladder
    lp, model = _build(problem, objective)
    a_eq, a_ub = lp.matrices()
    bounds = list(zip(lp.lower, lp.upper, strict=True))
    res = linprog(lp.cost, A_ub=a_ub, b_ub=lp.b_ub or None, A_eq=a_eq, b_eq=lp.b_eq, bounds=bounds, method="highs")
    if res.status == 2:
        return PlanResult("infeasible", objective, explanation=_explain_infeasible(lp, model, ladder, problem))
    if res.status != 0:
        return PlanResult(f"not solved: {res.message}", objective)
    x = res.x
    years, E, S = model["years"], model["E"], model["S"]
    Y, G = E.shape
    rows = []
    for t in range(Y):
        for g in range(G):
            in_post = float(x[S[t, g]].sum())
            pt = float(x[model["PT"][g][t]]) if g in model["PT"] else 0.0
            rows.append(
                {
                    "year": years[t],
                    "grade": ladder.names[g],
                    "establishment_fte": E[t, g],
                    "in_post": in_post,
                    "fte": in_post - (1 - model["pt_fte"][g]) * pt,
                    "recruits": sum(
                        float(x[h[t]]) for (sg, _, _, _), h in zip(model["sources"], model["H"], strict=True) if sg == g
                    ),
                    "moved_in": sum(
                        float(x[p[t]].sum()) for rt, p in zip(model["routes"], model["P"], strict=True) if rt["to"] == g
                    ),
                    "moved_out": sum(
                        float(x[p[t]].sum())
                        for rt, p in zip(model["routes"], model["P"], strict=True)
                        if rt["frm"] == g
                    ),
                    "redundancies": float(x[model["R"][g][t]].sum()) if g in model["R"] else 0.0,
                    "part_time": pt,
                    "over_establishment": float(x[model["O"][g][t]]) if g in model["O"] else 0.0,
                    "agency_fte": float(x[model["A"][g][t]]) if g in model["A"] else 0.0,
                }
            )
    plan = pd.DataFrame(rows)
    recruits = pd.DataFrame(
        [
            {"year": years[t], "grade": ladder.names[g], "source": src, "recruits": float(x[h[t]])}
            for (g, src, _, _), h in zip(model["sources"], model["H"], strict=True)
            for t in range(Y)
        ],
        columns=["year", "grade", "source", "recruits"],
    )
    moves = pd.DataFrame(
        [
            {
                "year": years[t],
                "from_grade": ladder.names[rt["frm"]],
                "to_grade": ladder.names[rt["to"]],
                "moved": float(x[p[t]].sum()),
            }
            for rt, p in zip(model["routes"], model["P"], strict=True)
            for t in range(Y)
        ],
        columns=["year", "from_grade", "to_grade", "moved"],
    )
    cost_rows = []
    for item, parts in model["items"].items():
        total = sum(float((x[cols] * value).sum()) for cols, value in parts)
        cost_rows.append({"item": item, "cost": total})
    costs = pd.DataFrame(cost_rows, columns=["item", "cost"])
    binding = _binding(res, lp, model, ladder, objective)
    value = float(res.fun)
    sentences = [f"The plan's {'total cost' if objective == 'cost' else 'objective'} is {_unit(objective, value)}."]
    if objective == "cost":
        sentences[0] = f"The least-cost plan costs £{value:,.0f} over {Y} year{'s' if Y != 1 else ''}."
    sentences += (
        list(binding["sentence"]) if len(binding) else ["No cap binds: the plan is limited by nothing but cost."]
    )
    return PlanResult(
        "optimal", objective, value, float(costs["cost"].sum()), plan, recruits, moves, costs, binding, sentences
    )


def _binding(res, lp: _LP, model: dict, ladder: GradeLadder, objective: str) -> pd.DataFrame:
    """Caps that bind, with their shadow prices: the objective's change per unit more of the cap."""
    years = model["years"]
    rows = []
    x = res.x
    ub_slack = np.asarray(lp.b_ub) - (lp.matrices()[1] @ x) if lp.b_ub else np.zeros(0)
    for r, info in enumerate(lp.ub_info):
        kind = info["kind"]
        if kind == "part-time within staff":
            continue
        dual = float(res.ineqlin.marginals[r])
        if abs(ub_slack[r]) > 1e-6 * max(1.0, abs(lp.b_ub[r])) or abs(dual) < 1e-9:
            continue
        year = years[info["t"]]
        if kind in ("move cap", "move share cap", "move minimum"):
            rt = model["routes"][info["r"]]
            a, b = ladder.names[rt["frm"]], ladder.names[rt["to"]]
            what = "progression" if rt["to"] == rt["frm"] + 1 else "move"
            if kind == "move cap":
                subject = f"{a} to {b}"
                text = (
                    f"Year {year}: {what} from {a} to {b} is at its cap of {info['limit']:,.1f}; one more {b} "
                    f"{what} slot would save {_unit(objective, -dual)}."
                )
            elif kind == "move share cap":
                subject = f"{a} to {b}"
                text = (
                    f"Year {year}: {what} from {a} to {b} is at its cap of {info['limit']:.0%} of {b} staff; one more "
                    f"slot would save {_unit(objective, -dual)}."
                )
            else:
                subject = f"{a} to {b}"
                text = (
                    f"Year {year}: the minimum {what} from {a} to {b} ({info['limit']:.0%}) binds; it costs "
                    f"{_unit(objective, -dual)} per person moved beyond what is wanted."
                )
        elif kind == "grade cap":
            subject = ladder.names[info["g"]]
            text = (
                f"Year {year}: {subject} posts are at their cap of {info['limit']:,.1f}; one more post would save "
                f"{_unit(objective, -dual)}."
            )
        else:
            subject = "all grades"
            text = (
                f"Year {year}: over-establishment is at its cap of {info['limit']:,.1f} FTE; one more FTE allowed "
                f"would save {_unit(objective, -dual)}."
            )
        rows.append(
            {
                "constraint": kind,
                "year": year,
                "subject": subject,
                "limit": info.get("limit", np.nan),
                "shadow_price": dual,
                "sentence": text,
            }
        )
    upper_duals = res.upper.marginals
    for (g, src, caps, _), h in zip(model["sources"], model["H"], strict=True):
        for t in range(len(years)):
            dual = float(upper_duals[h[t]])
            if np.isfinite(caps[t]) and x[h[t]] >= caps[t] - 1e-6 and abs(dual) > 1e-9:
                grade = ladder.names[g]
                rows.append(
                    {
                        "constraint": "recruitment cap",
                        "year": years[t],
                        "subject": f"{grade} from {src}",
                        "limit": caps[t],
                        "shadow_price": dual,
                        "sentence": f"Year {years[t]}: recruitment of {grade} from {src} is at its cap of "
                        f"{caps[t]:,.1f}; one more recruit would save {_unit(objective, -dual)}.",
                    }
                )
    for g, cols in model["PT"].items():
        for t in range(len(years)):
            dual = float(upper_duals[cols[t]])
            if abs(dual) > 1e-9 and x[cols[t]] >= lp.upper[cols[t]] - 1e-6:
                grade = ladder.names[g]
                rows.append(
                    {
                        "constraint": "part-time cap",
                        "year": years[t],
                        "subject": grade,
                        "limit": lp.upper[cols[t]],
                        "shadow_price": dual,
                        "sentence": f"Year {years[t]}: part-time working in {grade} is at its cap of "
                        f"{lp.upper[cols[t]]:,.1f}; one more would save {_unit(objective, -dual)}.",
                    }
                )
    return pd.DataFrame(rows, columns=["constraint", "year", "subject", "limit", "shadow_price", "sentence"])


def shadow_price_per_year(binding: pd.DataFrame) -> pd.DataFrame:
    """Binding caps summed over years: what one more unit of the cap in every year would save."""
    if binding.empty:
        return pd.DataFrame(columns=["constraint", "subject", "years_binding", "saving_if_raised_every_year"])
    grouped = binding.groupby(["constraint", "subject"], sort=False)
    return grouped.agg(
        years_binding=("year", "count"), saving_if_raised_every_year=("shadow_price", lambda s: -s.sum())
    ).reset_index()
