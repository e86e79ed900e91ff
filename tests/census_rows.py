"""Build a CSWW census return whose workers add up to one real published row of DfE's file.

:func:`write_return_for_row` writes a return (valid against the census year's XSD, written by
:func:`workforce_lib.census.generate.write_workers`) whose individual worker records add up to
one local-authority row of DfE's csww_indicators file: FTE and headcount in post, starting and
leaving, agency FTE and headcount, agency cover and vacancies (the LA-level NoAgencyFTE and
NumberOfVacancies), case holders' FTE and cases, working days lost. The published rates then
follow, if the workbench computes them as DfE does.

DfE publishes FTE to one decimal place, from unrounded figures, and its rates from the unrounded
figures too. So the totals the workers add up to are chosen (:func:`targets_for_row`) within
rounding of the published figures (FTE to the thousandth, days lost, vacancies and agency cover
to the hundredth: what the XSD allows) such that every published rate follows from them as
DfE defines it; where the one-decimal figures themselves give every published rate, they are
used as they are.

How the figures are spread over workers:
- FTE: as many full-time workers as keep every part-timer at 0.6 FTE or more, the remainder
  shared evenly by the part-timers (every FTE within 0-1, at most three decimals);
- in post (LA-employed): those not starting in the year start before 1 October; starters start
  in the census year (one on 1 October, one on 30 September when there are two or more);
- leavers started before the year and end in it (one on 1 October, one on 30 September); one
  leaves with ReasonLeave 7 (a move out of children's social work within the LA: DfE counts it);
- a few of those in post moved within the authority's children's social work during the year:
  one record ending and the same SWENo starting again 0 to MOVE_GAP_DAYS days later, neither a
  leaver nor a starter;
- agency workers in post (some starting in the year: not starters), one or two agency leavers
  (not leavers); no WorkingDaysLost for agency workers;
- case holders (Cases30 > 0) among those in post, LA-employed and agency alike, their FTE adding
  up to case_holders_fte; the others in post have Cases30 0 or none;
- WorkingDaysLost spread over about 60% of LA-employed workers in post; 0 for leavers.
"""

from __future__ import annotations

import itertools
import math
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from workforce_lib.census.checks import MOVE_GAP_DAYS
from workforce_lib.census.generate import WorkerRecord, write_workers
from workforce_lib.census.measures import round_half_up, working_days
from workforce_lib.dfe import VALUE_COLUMNS

PUBLISHED = Path(__file__).resolve().parent.parent / "data" / "dfe" / "csww_indicators_2017_to_2025.csv"
FTE_UNIT = 1000  # FTE in thousandths (the XSD allows six decimals)
DAY_UNIT = 100  # WorkingDaysLost, NumberOfVacancies and NoAgencyFTE in hundredths (the XSD's two decimals)
PART_TIME_MIN = 600  # a part-timer works 0.6 FTE or more, where the figures allow


def published_rows(path: Path | str = PUBLISHED) -> pd.DataFrame:
    """DfE's local-authority rows, one per authority and year, measure columns as numbers: DfE's
    markers 'z' (not applicable), 'x' (not available), 'c' (confidential), 'u' (low reliability)
    and blanks as NaN; 'low' (rounds to 0 but is not 0) as 0.0, which it is to one decimal."""
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    rows = raw[raw["geographic_level"] == "Local authority"].copy()
    for column in VALUE_COLUMNS:
        text = rows[column].str.strip()
        rows[column] = pd.to_numeric(text.where(text != "low", "0"), errors="coerce")
    rows["time_period"] = rows["time_period"].astype(int)
    return rows.reset_index(drop=True)


def published_row(la_code: str, year: int, path: Path | str = PUBLISHED) -> pd.Series:
    """The published row of authority ``la_code`` (DfE's old_la_code) for census ``year``."""
    rows = published_rows(path)
    found = rows[(rows["old_la_code"] == la_code) & (rows["time_period"] == year)]
    if len(found) != 1:
        raise LookupError(f"{len(found)} published rows for LA {la_code} in {year}")
    return found.iloc[0]


@dataclass(frozen=True)
class Targets:
    """The totals the workers of a return add up to: FTE in thousandths, days lost, vacancies
    and agency cover in hundredths, headcounts and cases whole."""

    inpost: tuple[int, int]  # (headcount, FTE)
    starters: tuple[int, int]
    leavers: tuple[int, int]
    agency: tuple[int, int]
    cover: int
    vacancies: int
    holders_fte: int
    cases: int
    days_lost: int


#: The published counts and FTE a return is built to (every measure but the rates and caseload, which follow).
INPUTS = tuple(c for c in VALUE_COLUMNS if "_rate" not in c and c != "caseload_fte")


def _rate(num: float, den: float, scale: float = 100.0) -> float:
    return math.nan if den == 0 else round_half_up(num / den * scale)


def _agrees(published: float, value: float) -> bool:
    """Whether ``value`` is the published figure (anything agrees with a suppressed one)."""
    return not math.isfinite(published) or (math.isfinite(value) and abs(value - published) < 1e-6)


def _near(published: float, unit: int) -> list[int]:
    """The values (in 1/unit, none below 0) that round half up to the one-decimal ``published``,
    nearest first."""
    centre = round(published * unit)
    half = unit // 20  # 0.05
    return sorted(range(max(0, centre - half), centre + half), key=lambda v: (abs(v - centre), v))


def targets_for_row(row) -> Targets:
    """Totals within rounding of ``row``'s published figures from which every published rate of
    the row follows as DfE defines it (rates from unrounded figures, rounded half up). Raises
    ValueError if an input is suppressed or no such totals exist."""
    missing = [c for c in INPUTS if not math.isfinite(row[c])]
    if missing:
        raise ValueError(f"published row lacks {', '.join(missing)}: nothing to add up to")
    F, D = FTE_UNIT, DAY_UNIT
    days = working_days(int(row["time_period"]))
    hc = {k: int(row[f"{k}_headcount"]) for k in ("inpost", "starters", "leavers", "agency")}
    if not _agrees(row["turnover_rate_headcount"], _rate(hc["leavers"], hc["inpost"])):
        raise ValueError("turnover_rate_headcount does not follow from the headcounts")
    if not _agrees(row["agency_rate_headcount"], _rate(hc["agency"], hc["agency"] + hc["inpost"])):
        raise ValueError("agency_rate_headcount does not follow from the headcounts")
    holders = [
        h for h in _near(row["case_holders_fte"], F) if _agrees(row["caseload_fte"], _rate(row["cases"], h / F, 1))
    ]

    def fte_near(what: str) -> list[int]:  # FTE within rounding that its headcount can work (0-1 each)
        found = [v for v in _near(row[f"{what}_fte"], F) if _feasible(hc[what], v)]
        if not found:
            raise ValueError(f"{what}: {row[f'{what}_fte']} FTE over {hc[what]} workers, each within 0-1")
        return found

    starters = fte_near("starters")[0]
    for inpost in fte_near("inpost"):
        i = inpost / F
        leavers = [v for v in fte_near("leavers") if _agrees(row["turnover_rate_fte"], _rate(v / F, i))]
        agency = [v for v in fte_near("agency") if _agrees(row["agency_rate_fte"], _rate(v / F, v / F + i))]
        vacancies = [
            v for v in _near(row["vacancy_fte"], D) if _agrees(row["vacancy_rate_fte"], _rate(v / D, v / D + i))
        ]
        lost = [
            v
            for v in _near(row["working_days_lost_fte"], D)
            if _agrees(row["absence_rate_fte"], _rate(v / D, i * days))
        ]
        if not (holders and leavers and agency and vacancies and lost):
            continue
        for a in agency:
            for v in vacancies:
                for cover in _near(row["agency_cover_fte"], D):
                    c = cover / D
                    if _agrees(row["agency_cover_rate_fte"], _rate(c, a / F)) and _agrees(
                        row["vacancy_agency_cover_rate_fte"], _rate(c, v / D)
                    ):
                        return Targets(
                            inpost=(hc["inpost"], inpost),
                            starters=(hc["starters"], starters),
                            leavers=(hc["leavers"], leavers[0]),
                            agency=(hc["agency"], a),
                            cover=cover,
                            vacancies=v,
                            holders_fte=holders[0],
                            cases=int(row["cases"]),
                            days_lost=lost[0],
                        )
    raise ValueError("no totals within rounding of the published figures give every published rate")


def _split(total: int, n: int, unit: int = FTE_UNIT) -> list[int]:
    """``total`` (in 1/unit FTE) over ``n`` workers, each within (0, 1]: full-timers, and
    part-timers of PART_TIME_MIN or more sharing the rest evenly (all evenly if that cannot be)."""
    if n == 0:
        if total:
            raise ValueError(f"{total / unit} FTE over no workers")
        return []
    if not n <= total <= unit * n:
        raise ValueError(f"{total / unit} FTE over {n} workers: each must be within 0-1")
    full = max(0, min(n, (total - PART_TIME_MIN * n) // (unit - PART_TIME_MIN)))
    rest, m = total - unit * full, n - full
    if m == 0:
        return [unit] * full
    q, r = divmod(rest, m)
    return [unit] * full + [q + 1] * r + [q] * (m - r)


def _feasible(n: int, f: int) -> bool:
    return (n == 0 and f == 0) or (n > 0 and n <= f <= FTE_UNIT * n)


def _holder_range(n: int, f: int, k: int) -> tuple[int, int]:
    """The FTE that ``k`` of a group of ``n`` workers with ``f`` FTE can hold between them, each
    worker's FTE within (0, 1] (empty when low > high)."""
    return max(k, f - FTE_UNIT * (n - k)), min(FTE_UNIT * k, f - (n - k))


def _allocate_holders(groups: list[tuple[int, int]], total: int) -> list[tuple[int, int]]:
    """(holders, their FTE) in each group of (workers, FTE), the FTE adding up to ``total``: the
    holders in each group near its share of the workers, then the FTE spread over the groups."""
    everyone = sum(f for _, f in groups)
    if not 0 <= total <= everyone:
        raise ValueError(f"case holders' FTE {total / FTE_UNIT} beyond the FTE in post {everyone / FTE_UNIT}")
    share = total / everyone if everyone else 0.0
    base = [round(n * share) for n, _ in groups]
    steps = sorted(itertools.product(range(-6, 7), repeat=len(groups)), key=lambda d: (sum(map(abs, d)), d))
    for step in steps:
        ks = [min(max(b + d, 0), n) for b, d, (n, _) in zip(base, step, groups, strict=True)]
        ranges = [_holder_range(n, f, k) for k, (n, f) in zip(ks, groups, strict=True)]
        if any(lo > hi for lo, hi in ranges) or not sum(lo for lo, _ in ranges) <= total <= sum(hi for _, hi in ranges):
            continue
        xs = [lo for lo, _ in ranges]
        room = [hi - lo for lo, hi in ranges]
        left = total - sum(xs)
        spare = sum(room)
        for g in range(len(xs)):
            add = min(room[g], left * room[g] // spare) if spare else 0
            xs[g] += add
            room[g] -= add
        left = total - sum(xs)
        for g in range(len(xs)):
            add = min(room[g], left)
            xs[g] += add
            left -= add
        return list(zip(ks, xs, strict=True))
    raise ValueError("cannot spread the case holders' FTE over the workers in post")


def _flows(t: Targets) -> tuple[tuple[int, int], ...]:
    """(workers, FTE) of LA-employed workers: in post since before the year, starters still in
    post, starters who left in the year, and leavers who started before it. Starters are kept in
    post unless the figures need some to have left (each worker's FTE within 0-1)."""
    (n_in, f_in), (n_st, f_st), (n_lv, f_lv) = t.inpost, t.starters, t.leavers
    for d in range(max(0, n_st - n_in), min(n_st, n_lv) + 1):
        if d == 0:
            lo = hi = 0
        else:  # fd, the FTE of the d who left: every group's FTE within (0, 1] a head
            lo = max(d, f_st - FTE_UNIT * (n_st - d), f_lv - FTE_UNIT * (n_lv - d), f_st - f_in + (n_in - n_st + d))
            hi = min(FTE_UNIT * d, f_st - (n_st - d), f_lv - (n_lv - d), FTE_UNIT * (n_in - n_st + d) - f_in + f_st)
        if lo > hi:
            continue
        fd = min(max(f_st * d // n_st if n_st else 0, lo), hi)
        flows = ((n_in - n_st + d, f_in - f_st + fd), (n_st - d, f_st - fd), (d, fd), (n_lv - d, f_lv - fd))
        if all(_feasible(n, f) for n, f in flows):
            return flows
    raise ValueError("cannot spread in post, starters and leavers over workers of FTE within 0-1")


def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


HOLDER_ROLES = [5, 5, 5, 5, 5, 5, 4, 4, 3]
OTHER_ROLES = [1, 2, 2, 3, 6, 6]


def write_return_for_row(path: Path | str, row, schema_year: int | None = None, seed: int = 1) -> Targets:
    """Write to ``path`` a CSWW return for the authority and year of the published ``row`` (a
    row of :func:`published_rows`) whose workers add up to it; returns the totals used.

    ``schema_year``: the census year of the file (its schema version and its header's Year),
    by default the row's time_period (DfE's time_period is the census year: 30 September of it).
    """
    year = int(row["time_period"]) if schema_year is None else schema_year
    lea = str(row["old_la_code"]).split("/")[0].strip()
    t = targets_for_row(row)
    rng = random.Random(seed)
    first, ref = date(year - 1, 10, 1), date(year, 9, 30)
    before = (date(2000, 1, 1), first - timedelta(days=1))

    stayed, kept, brief, gone = _flows(t)
    n_ag, f_ag = t.agency

    # workers in post: (group, FTE, cases or None); groups: stayed, starters, agency
    groups = [stayed, kept, t.agency]
    holders = _allocate_holders(groups, t.holders_fte)
    if sum(k for k, _ in holders) > t.cases:
        raise ValueError("fewer cases than case holders")
    in_post: list[list] = []  # [group, fte, cases]
    for g, ((n, f), (k, x)) in enumerate(zip(groups, holders, strict=True)):
        in_post += [[g, v, 0] for v in _split(x, k)]
        in_post += [[g, v, None] for v in _split(f - x, n - k)]
    holding = [w for w in in_post if w[2] is not None]
    rng.shuffle(holding)
    q, r = divmod(t.cases, len(holding)) if holding else (0, 0)
    for i, w in enumerate(holding):
        w[2] = q + (i < r)
    for w in in_post:
        if w[2] is None and rng.random() < 0.3:
            w[2] = 0  # Cases30 given as 0: in post, holding no cases
    la_in_post = [w for w in in_post if w[0] < 2]
    lost = {}
    if t.days_lost:
        share = max(-(-t.days_lost // (150 * DAY_UNIT)), round(0.6 * len(la_in_post)))
        absent = rng.sample(range(len(la_in_post)), min(len(la_in_post), share))
        q, r = divmod(t.days_lost, len(absent))
        lost = {j: q + (i < r) for i, j in enumerate(absent)}

    records: list[list[WorkerRecord]] = []  # one list per person: a move within is two records
    n_movers = min(3, stayed[0])
    gaps = [1, MOVE_GAP_DAYS, 0]
    starter_days = [first, ref]
    person = 0
    for j, (g, fte, cases) in enumerate(in_post):
        person += 1
        sweno = f"SW{lea}{person:06d}"
        agency = g == 2
        role = rng.choice(HOLDER_ROLES if cases else OTHER_ROLES)
        if not cases and role in (3, 4, 5):
            cases = 0  # written as 0: otherwise write_workers draws Cases30 for these roles
        days = lost.get(j, 0) / DAY_UNIT if not agency else None
        item = {"fte": fte / FTE_UNIT, "role": role, "cases": cases, "days_lost": days}
        if g == 0 and n_movers:
            n_movers -= 1
            end = _day(rng, first, ref - timedelta(days=MOVE_GAP_DAYS + 1))
            earlier = WorkerRecord(sweno, False, _day(rng, *before), end, reason=8, fte=1.0, role=5, days_lost=0.0)
            start = end + timedelta(days=gaps[n_movers % len(gaps)])
            records.append([earlier, WorkerRecord(sweno, False, start, **item)])
        elif g == 0:
            records.append([WorkerRecord(sweno, False, _day(rng, *before), **item)])
        elif g == 1:
            start = starter_days.pop(0) if starter_days else _day(rng, first, ref)
            records.append([WorkerRecord(sweno, False, start, **item)])
        else:
            start = _day(rng, first, ref) if rng.random() < 0.25 else _day(rng, date(2015, 1, 1), ref)
            records.append([WorkerRecord(sweno, True, start, **item)])
    leaver_days = [first, ref]
    for i, fte in enumerate(_split(gone[1], gone[0])):
        person += 1
        start = _day(rng, *before)
        end = leaver_days.pop(0) if leaver_days else _day(rng, first, ref)
        reason = 7 if i == 0 else rng.choice([1, 1, 1, 1, 5, 8])
        role = rng.choice(HOLDER_ROLES + OTHER_ROLES)
        records.append(
            [WorkerRecord(f"SW{lea}{person:06d}", False, start, end, reason, fte / FTE_UNIT, role, days_lost=0.0)]
        )
    for fte in _split(brief[1], brief[0]):  # started and left in the year: a starter and a leaver
        person += 1
        start = _day(rng, first, ref - timedelta(days=1))
        end = _day(rng, start, ref)
        records.append([WorkerRecord(f"SW{lea}{person:06d}", False, start, end, 1, fte / FTE_UNIT, 5, days_lost=0.0)])
    for _ in range(min(2, n_ag)):  # agency workers who left: not leavers (DfE counts LA-employed only)
        person += 1
        end = _day(rng, first, ref)
        records.append([WorkerRecord(f"SW{lea}{person:06d}", True, _day(rng, *before), end, 8, 0.8, 5)])
    rng.shuffle(records)
    write_workers(
        path,
        (r for person_records in records for r in person_records),
        lea=lea,
        year=year,
        vacancies=t.vacancies / DAY_UNIT,
        cover=t.cover / DAY_UNIT,
        cover_headcount=min(n_ag, math.ceil(t.cover / DAY_UNIT)),
        seed=seed,
    )
    return t
