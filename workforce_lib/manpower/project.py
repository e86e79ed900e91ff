"""Projection of the stock by grade and service band, year by year: push, pull and Monte Carlo.

Timing (one plan year). Everyone in grade g and service year k at the start of the year leaves
with probability leave[g, band(k)], moves to grade j with move[g, j], or stays
(:mod:`workforce_lib.manpower.rates`); at the year end survivors have one more year of service.
Recruits of the year join either

* at the year end (``recruits_join="end"``, the default): they count in that year's in post in
  service year 0, less any ``in_year_leaving`` (those who start and leave within the same plan
  year), and live their first service year, with its leaving rate, in the next plan year. A
  one-year grade such as the ASYE then holds the year's recruits at each year end; or
* at the year start (``"start"``, H.P. Williams's convention): they face the first-year leaving
  rate in the year they join.

For one grade with no moves and recruits at the year end, in post at the year end is

    N(t) = sum_k (1 - q_k) S_k(t - 1) + (1 - i) H(t),

with i the in-year leaving rate. With the monthly model of :mod:`workforce_lib.projection` (hires
spread evenly, joining at month ends, monthly survival r = (1 - a) ** (1/12)) the two agree exactly
at every year end when i = 1 - (1 - r^12) / (12 (1 - r)) (:func:`in_year_leaving_rate`). Agency
covers what remains of the establishment: agency FTE = max(establishment - in post, 0) (vacancy
FTE, DOMAIN.md).

* push (:func:`project_push`): recruitment is a plan (per grade and year); promotions follow rates.
* pull (:func:`project_pull`): after leaving, vacancies are filled from the top down by promotion
  from the grade below (within caps), then by external recruits where a grade allows them, then by
  recruits at the bottom grade (within the intake cap); fills are made at the year end, so they
  count in that year's in post and live their first service year in the next. Grades reached by
  years since qualifying (ASYE to social worker) progress by their rate, not by vacancies.
* Monte Carlo (:func:`simulate`): rates drawn from their posteriors (:func:`rates.draw_rates`),
  the push model run for every draw at once, P10 / P50 / P90 per year and grade.

Stock is measured as the starting stock is (FTE by default); each recruit counts as one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..turnover import DAYS_PER_YEAR
from .bands import DEFAULT_BANDS, ServiceBands
from .grades import GradeLadder, grade_codes
from .history import careers
from .inputs import by_grade, by_year_grade, plan_years
from .rates import ManpowerRates, draw_rates, year_rates


@dataclass
class Projection:
    """A projection: ``grades`` one row per year and grade (flows, in post, establishment, vacancy,
    agency, cost); ``bands`` one row per year, grade and service band (in post at the year end)."""

    grades: pd.DataFrame
    bands: pd.DataFrame


def starting_stock(
    staff: pd.DataFrame,
    ladder: GradeLadder,
    as_of,
    bands: ServiceBands = DEFAULT_BANDS,
    measure: str = "fte",
) -> pd.DataFrame:
    """Staff in post on as_of by grade and completed years of service with the authority (career).

    Columns: grade, service_year (0..K, K = "K or more"), band, staff (FTE or headcount). Staff
    whose title no grade rule maps are left out here; :func:`grades.unmapped_titles` lists them.
    """
    if measure not in ("fte", "headcount"):
        raise ValueError(f"measure must be 'fte' or 'headcount', not {measure!r}")
    on = pd.Timestamp(as_of)
    frame = careers(staff)
    in_post = frame[(frame["start_date"] <= on) & (frame["leave_date"].isna() | (frame["leave_date"] > on))]
    since = in_post["qualified_date"].where(in_post["qualified_date"].notna(), in_post["start_date"])
    years_q = (on - since).dt.days.to_numpy() / DAYS_PER_YEAR
    g = grade_codes(in_post["role"].to_numpy(), years_q, ladder, in_post["org_role"] if "org_role" in in_post else None)
    service = bands.year_of((on - in_post["career_start"]).dt.days.to_numpy() / DAYS_PER_YEAR)
    weight = in_post["fte"].to_numpy(float) if measure == "fte" else np.ones(len(in_post))
    S = np.zeros((len(ladder), bands.n_years))
    ok = g >= 0
    np.add.at(S, (g[ok], service[ok]), weight[ok])
    return stock_frame(S, ladder, bands)


def stock_frame(S: np.ndarray, ladder: GradeLadder, bands: ServiceBands = DEFAULT_BANDS) -> pd.DataFrame:
    """A stock array [grade, service year] as a table (grade, service_year, band, staff)."""
    G, K1 = S.shape
    labels = np.array(bands.labels, dtype=object)[bands.band_of_year()]
    return pd.DataFrame(
        {
            "grade": np.repeat(ladder.names, K1),
            "service_year": np.tile(np.arange(K1), G),
            "band": np.tile(labels, G),
            "staff": S.reshape(-1),
        }
    )


def stock_array(stock, ladder: GradeLadder, bands: ServiceBands = DEFAULT_BANDS) -> np.ndarray:
    """[grade, service year] from a stock table (grade, staff, and service_year or band: a band puts
    its staff in the band's first year) or a dict {grade: staff} (all in the last band)."""
    S = np.zeros((len(ladder), bands.n_years))
    if isinstance(stock, np.ndarray):
        if stock.shape != S.shape:
            raise ValueError(f"a stock array needs shape {S.shape} (grades x service years)")
        return stock.astype(float)
    if not isinstance(stock, pd.DataFrame):
        S[:, -1] = by_grade(stock, ladder, "starting stock")
        return S
    from ..errors import DataError, Problem

    problems = []
    for i, rec in enumerate(stock.to_dict("records")):
        try:
            g = ladder.index(str(rec["grade"]))
        except ValueError:
            problems.append(
                Problem(
                    "starting stock",
                    i + 2,
                    "grade",
                    str(rec["grade"]),
                    f"a grade of the ladder ({', '.join(ladder.names)})",
                )
            )
            continue
        if "service_year" in rec and not pd.isna(rec["service_year"]):
            k = int(min(rec["service_year"], bands.top_year))
        elif "band" in rec:
            try:
                k = int(bands.bands[bands.band_index(str(rec["band"]))][1])
            except ValueError:
                problems.append(
                    Problem("starting stock", i + 2, "band", str(rec["band"]), f"one of {', '.join(bands.labels)}")
                )
                continue
        else:
            k = bands.top_year
        if not rec["staff"] >= 0:
            problems.append(Problem("starting stock", i + 2, "staff", str(rec["staff"]), "a number, 0 or more"))
            continue
        S[g, k] += float(rec["staff"])
    if problems:
        raise DataError(problems)
    return S


def student_pipeline(placements: float, conversion_rate: float, acceptance_rate: float = 1.0) -> float:
    """NQSW starts from student placements: placements x conversion to NQSW offers x acceptance.

    KMTP case study (2019, 5.1): about 100 final placements a year, each authority aiming to recruit
    at least 80% of its students; Kent contracted 30 final-year students (2011 paper).
    """
    for label, value in (("conversion rate", conversion_rate), ("acceptance rate", acceptance_rate)):
        if not 0 <= value <= 1:
            raise ValueError(f"the {label} must be a fraction from 0 to 1, not {value}")
    if placements < 0:
        raise ValueError(f"placements cannot be negative ({placements})")
    return placements * conversion_rate * acceptance_rate


def _age(after: np.ndarray) -> np.ndarray:
    """Everyone one year older in service: [..., K+1] -> [..., K+1], the top year absorbing."""
    out = np.zeros_like(after)
    out[..., 1:] = after[..., :-1]
    out[..., -1] += after[..., -1]
    return out


def _step(S: np.ndarray, q: np.ndarray, m: np.ndarray):
    """One year of leaving and moves on stock S [..., G, K+1]; returns (stock after, before ageing;
    leavers [..., G]; flows [..., G, G])."""
    leavers = S * q
    flows = S[..., :, None, :] * m  # [..., from, to, K+1]
    after = S - leavers - flows.sum(axis=-2) + flows.sum(axis=-3)
    return after, leavers.sum(axis=-1), flows.sum(axis=-1)


def _frame(
    ladder: GradeLadder,
    bands: ServiceBands,
    years: list[int],
    stocks: np.ndarray,
    starters: np.ndarray,
    leavers: np.ndarray,
    flows: np.ndarray,
    establishment: np.ndarray | None,
    agency_cost_per_fte: float,
) -> Projection:
    Y, G, K1 = stocks.shape
    in_post = stocks.sum(axis=-1)
    promoted_in = np.zeros((Y, G))
    promoted_in[:, 1:] = np.array([flows[:, g, g + 1] for g in range(G - 1)]).T if G > 1 else 0
    promoted_out = np.zeros((Y, G))
    promoted_out[:, :-1] = promoted_in[:, 1:]
    moved_in = flows.sum(axis=1) - promoted_in - np.einsum("tgg->tg", flows)
    moved_out = flows.sum(axis=2) - promoted_out - np.einsum("tgg->tg", flows)
    frame = pd.DataFrame(
        {
            "year": np.repeat(years, G),
            "grade": np.tile(ladder.names, Y),
            "role_group": np.tile(ladder.role_groups(), Y),
            "starters": starters.reshape(-1),
            "leavers": leavers.reshape(-1),
            "promoted_in": promoted_in.reshape(-1),
            "promoted_out": promoted_out.reshape(-1),
            "moved_in": moved_in.reshape(-1),
            "moved_out": moved_out.reshape(-1),
            "in_post": in_post.reshape(-1),
        }
    )
    if establishment is not None:
        est = establishment.reshape(-1)
        frame["establishment_fte"] = est
        frame["vacancy_fte"] = est - frame["in_post"]
        with np.errstate(invalid="ignore", divide="ignore"):
            frame["vacancy_rate"] = np.where(est > 0, frame["vacancy_fte"] / np.where(est > 0, est, 1), np.nan)
        frame["agency_fte"] = np.maximum(frame["vacancy_fte"], 0.0)
        frame["cost"] = frame["in_post"] * np.tile(ladder.costs(), Y) + frame["agency_fte"] * agency_cost_per_fte
    labels = np.array(bands.labels, dtype=object)[bands.band_of_year()]
    long = pd.DataFrame(
        {
            "year": np.repeat(years, G * K1),
            "grade": np.tile(np.repeat(ladder.names, K1), Y),
            "service_year": np.tile(np.arange(K1), Y * G),
            "band": np.tile(labels, Y * G),
            "in_post": stocks.reshape(-1),
        }
    )
    by_band = long.groupby(["year", "grade", "band"], sort=False, as_index=False)["in_post"].sum()
    return Projection(frame, by_band)


def in_year_leaving_rate(annual_rate: float, months: int = 12) -> float:
    """Share of recruits spread evenly over a year (joining at month ends) who leave before its end.

    With monthly survival r = (1 - annual_rate) ** (1/12), a recruit joining at the end of month m
    survives 11 - m more months: mean survival = (1 - r^12) / (12 (1 - r)); the rate is 1 minus
    that. It makes the yearly model agree with :func:`workforce_lib.projection.project`.
    """
    if not 0 <= annual_rate < 1:
        raise ValueError(f"the annual leaving rate must be from 0 to below 1, not {annual_rate}")
    r = (1 - annual_rate) ** (1 / 12)
    if r == 1:
        return 0.0
    return 1 - (1 - r**months) / (months * (1 - r))


def _join(recruits_join: str) -> bool:
    if recruits_join not in ("start", "end"):
        raise ValueError(f"recruits_join must be 'start' or 'end', not {recruits_join!r}")
    return recruits_join == "start"


def project_push(
    stock,
    rates: ManpowerRates,
    recruits=None,
    years: int | None = 3,
    establishment=None,
    first_year: int = 1,
    agency_cost_per_fte: float = 0.0,
    recruits_join: str = "end",
    in_year_leaving=0.0,
) -> Projection:
    """Markov push projection: stock by grade and service band at each year end from a recruitment plan.

    Parameters
    ----------
    stock : starting stock (:func:`starting_stock` table, a dict {grade: staff}, or an array).
    rates : the yearly probabilities (:class:`~workforce_lib.manpower.rates.ManpowerRates`).
    recruits : starts per year and grade: a table (year, grade, starts; a ``source`` column is
        summed over), a dict {grade: starts a year} or None (no recruits).
    years, first_year : plan length and first year label (ignored when an establishment table has years).
    establishment : establishment FTE per grade (table year, grade, establishment_fte, or a dict);
        every grade needed. Gives vacancy, agency (= vacancy FTE above 0) and cost.
    agency_cost_per_fte : a year of agency cover per FTE (day rate x working days).
    recruits_join : "end" (default) or "start" of the plan year (see the module docstring).
    in_year_leaving : with "end", the share of each year's recruits gone by its end (number or {grade: rate}).
    """
    ladder, bands = rates.ladder, rates.bands
    at_start = _join(recruits_join)
    labels = plan_years(establishment, years, first_year)
    H = by_year_grade(recruits, ladder, labels, "recruitment plan", "starts", complete=False)
    E = (
        None
        if establishment is None
        else by_year_grade(establishment, ladder, labels, "establishment", "establishment_fte", True)
    )
    keep = 1 - by_grade(in_year_leaving, ladder, "in-year leaving")
    S = stock_array(stock, ladder, bands)
    q, m = rates.by_year()
    Y = len(labels)
    stocks, leavers, flows = (
        np.zeros((Y, *S.shape)),
        np.zeros((Y, len(ladder))),
        np.zeros((Y, len(ladder), len(ladder))),
    )
    for t in range(Y):
        S = S.copy()
        if at_start:
            S[:, 0] += H[t]
        after, leavers[t], flows[t] = _step(S, q, m)
        S = _age(after)
        if not at_start:
            S[:, 0] += H[t] * keep
            leavers[t] += H[t] * (1 - keep)
        stocks[t] = S
    return _frame(ladder, bands, labels, stocks, H, leavers, flows, E, agency_cost_per_fte)


def progression_by_years(ladder: GradeLadder) -> set[int]:
    """Grades whose step up is reached by years since qualifying (the same title words map to this
    grade and the next in consecutive years windows): those progress by rate in the pull model."""
    out = set()
    for g in range(len(ladder) - 1):
        here = {r.words for r in ladder.rules if r.grade == ladder.names[g] and r.max_years_qualified is not None}
        above = {r.words for r in ladder.rules if r.grade == ladder.names[g + 1] and r.min_years_qualified is not None}
        if here & above:
            out.add(g)
    return out


def project_pull(
    stock,
    rates: ManpowerRates,
    establishment,
    years: int | None = 3,
    promotion_caps=None,
    promotion_max_share=None,
    external_caps=None,
    intake_cap: float = np.inf,
    first_year: int = 1,
    agency_cost_per_fte: float = 0.0,
    by_rate: set[int] | None = None,
) -> Projection:
    """Pull projection: vacancies filled from the top down by promotion, then recruits; agency the rest.

    Parameters
    ----------
    promotion_caps : most promoted a year out of each grade into the one above ({grade: n}; default none).
    promotion_max_share : most promoted a year as a share of the grade below's staff ({grade: share}).
    external_caps : most external recruits a year into grades above the bottom ({grade: n}; default 0).
    intake_cap : most recruits a year into the bottom grade (NQSW intake, students included).
    by_rate : grade indices that progress by rate, not by vacancy (default :func:`progression_by_years`).
    """
    ladder, bands = rates.ladder, rates.bands
    labels = plan_years(establishment, years, first_year)
    E = by_year_grade(establishment, ladder, labels, "establishment", "establishment_fte", True)
    caps_n = by_grade(promotion_caps, ladder, "promotion caps", default=np.inf)
    caps_share = by_grade(promotion_max_share, ladder, "promotion share caps", default=1.0)
    external = by_grade(external_caps, ladder, "external recruitment caps", default=0.0)
    if intake_cap < 0:
        raise ValueError(f"the intake cap cannot be negative ({intake_cap})")
    external[0] = intake_cap
    by_rate = progression_by_years(ladder) if by_rate is None else set(by_rate)
    q, m = rates.by_year()
    m = m.copy()
    G = len(ladder)
    for g in range(G - 1):
        if g not in by_rate:
            m[g, g + 1] = 0.0
    S = stock_array(stock, ladder, bands)
    Y = len(labels)
    stocks, starters = np.zeros((Y, *S.shape)), np.zeros((Y, G))
    leavers, flows = np.zeros((Y, G)), np.zeros((Y, G, G))
    for t in range(Y):
        after, leavers[t], flows[t] = _step(S, q, m)
        S = _age(after)
        for g in range(G - 1, -1, -1):
            vacancy = E[t, g] - S[g].sum()
            if vacancy <= 0:
                continue
            if g > 0 and (g - 1) not in by_rate:
                below = S[g - 1].sum()
                promoted = min(vacancy, caps_n[g - 1], caps_share[g - 1] * below, below)
                if promoted > 0:
                    moving = S[g - 1] * (promoted / below)
                    S[g - 1] -= moving
                    S[g] += moving
                    flows[t, g - 1, g] += promoted
                    vacancy -= promoted
            hired = min(max(vacancy, 0.0), external[g])
            S[g, 0] += hired
            starters[t, g] = hired
        stocks[t] = S
    return _frame(ladder, bands, labels, stocks, starters, leavers, flows, E, agency_cost_per_fte)


def simulate(
    stock,
    rates: ManpowerRates,
    recruits=None,
    years: int | None = 3,
    establishment=None,
    runs: int = 1000,
    seed: int = 2011,
    first_year: int = 1,
    recruits_join: str = "end",
    in_year_leaving=0.0,
) -> pd.DataFrame:
    """Monte Carlo band of the push projection: rates drawn from their posteriors (seeded
    ``numpy.random.default_rng``), all runs at once. One row per year and grade: p10, p50, p90 and
    mean of in post, and of agency FTE when an establishment is given."""
    ladder, bands = rates.ladder, rates.bands
    labels = plan_years(establishment, years, first_year)
    H = by_year_grade(recruits, ladder, labels, "recruitment plan", "starts", complete=False)
    E = (
        None
        if establishment is None
        else by_year_grade(establishment, ladder, labels, "establishment", "establishment_fte", True)
    )
    at_start = _join(recruits_join)
    keep = 1 - by_grade(in_year_leaving, ladder, "in-year leaving")
    rng = np.random.default_rng(seed)
    leave, move = draw_rates(rates, runs, rng)
    q, m = year_rates(leave, move, bands)
    S = np.broadcast_to(stock_array(stock, ladder, bands), (runs, len(ladder), bands.n_years)).copy()
    rows = []
    for t, year in enumerate(labels):
        if at_start:
            S[..., 0] += H[t]
        after, _, _ = _step(S, q, m)
        S = _age(after)
        if not at_start:
            S[..., 0] += H[t] * keep
        in_post = S.sum(axis=-1)  # [runs, G]
        measures = {"in_post": in_post}
        if E is not None:
            measures["agency_fte"] = np.maximum(E[t] - in_post, 0.0)
        for measure, values in measures.items():
            p10, p50, p90 = np.percentile(values, [10, 50, 90], axis=0)
            for g, grade in enumerate(ladder.names):
                rows.append((year, grade, measure, p10[g], p50[g], p90[g], values[:, g].mean()))
    return pd.DataFrame(rows, columns=["year", "grade", "measure", "p10", "p50", "p90", "mean"])


def collapse(projection: Projection, ladder: GradeLadder) -> pd.DataFrame:
    """The projection by role group (caseholder, manager): in post, starters, leavers, agency and
    establishment summed over grades; moves between grades of the same group cancel out."""
    frame = projection.grades
    columns = [c for c in ("starters", "leavers", "in_post", "establishment_fte", "agency_fte", "cost") if c in frame]
    return frame.groupby(["year", "role_group"], sort=False, as_index=False)[columns].sum()


def experience_share(projection: Projection, early_grades=None) -> pd.DataFrame:
    """Share of caseholders in the early-career grades at each year end (default: ASYE and social
    worker, i.e. under two years since qualifying: Kent's ceiling of 15%)."""
    from .grades import ASYE, SOCIAL_WORKER

    early = list(early_grades or (ASYE, SOCIAL_WORKER))
    frame = projection.grades[projection.grades["role_group"] == "caseholder"]
    total = frame.groupby("year")["in_post"].sum()
    young = frame[frame["grade"].isin(early)].groupby("year")["in_post"].sum().reindex(total.index, fill_value=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = young / total.where(total > 0)
    return pd.DataFrame(
        {
            "year": total.index,
            "early_career": young.to_numpy(),
            "caseholders": total.to_numpy(),
            "share": share.to_numpy(),
        }
    )
