"""Workforce plan: a monthly stock-flow projection to the vacancy target, with uncertainty.

For each role group, month by month from a starting point (establishment, in post, agency, share
of staff under two years' experience):

* leavers = in post x monthly hazard, hazard = 1 - (1 - annual turnover) ** (1/12); optionally a
  higher annual rate for staff in their first two years;
* hires = the recruitment plan's planned hires (offers) x each source's acceptance rate, spread
  evenly over the plan year and arriving after the source's start lag; NQSWs and OU/MA
  qualifiers all start in the September of their plan year;
* hires from NQSW, overseas and OU/MA routes count as under two years' experience for their first
  24 months (new-entrant cohorts age month by month);
* agency staff cover vacancies down to a chosen floor (the net vacancy rate left uncovered) and
  are released as permanent staff arrive;
* monthly cost = in post x average salary x (1 + on-cost rate) / 12 + agency FTE x day rate x
  working days a year / 12.

Within a month, leaving happens first and hires join at the month end. A plan year is the 12
months from the projection start (plan year 2011 starting April 2011 covers April 2011 - March
2012). Every assumption is a parameter (see workforce_lib/pack/docs/assumptions_caveats.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .errors import AnalysisError
from .targets import above_target, at_or_under_target, target_text

MONTHS_UNDER_TWO = 24


@dataclass(frozen=True)
class Source:
    """A recruitment source: months from offer to start, share of offers accepted, and whether its
    hires are new to practice (under two years' experience for their first 24 months)."""

    start_lag_months: int
    acceptance_rate: float
    new_entrant: bool
    september_start: bool = False


DEFAULT_SOURCES: dict[str, Source] = {
    "NQSW": Source(0, 0.90, True, september_start=True),
    "UK external": Source(3, 0.80, False),
    "overseas": Source(6, 0.70, True),
    "returners": Source(2, 0.85, False),
    "OU/MA": Source(0, 1.00, True, september_start=True),
    "internal": Source(1, 1.00, False),
}


#: Words in a council's own source names and the default source each behaves like (first match wins).
SOURCE_WORDS: tuple[tuple[str, str], ...] = (
    ("internal", "internal"),
    ("promot", "internal"),
    ("overseas", "overseas"),
    ("international", "overseas"),
    ("return", "returners"),
    ("nqsw", "NQSW"),
    ("asye", "NQSW"),
    ("newly qualified", "NQSW"),
    ("graduate", "NQSW"),
    ("frontline", "OU/MA"),
    ("step up", "OU/MA"),
    ("apprentic", "OU/MA"),
    ("open university", "OU/MA"),
    ("ou/ma", "OU/MA"),
)


def source_of(name: str, sources: dict[str, Source]) -> Source:
    """How a recruitment source behaves (lag, acceptance, new to practice): the settings' own entry
    when the name is there (case ignored), else the default source its words suggest ("ASYE" behaves
    like NQSW, "International recruitment" like overseas), else an experienced UK hire."""
    by_key = {k.lower(): v for k, v in sources.items()}
    key = " ".join(str(name).lower().split())
    if key in by_key:
        return by_key[key]
    for words, default in SOURCE_WORDS:
        if words in key:
            return by_key.get(default.lower(), DEFAULT_SOURCES[default])
    return by_key.get("uk external", DEFAULT_SOURCES["UK external"])


def plan_source_names(plan: pd.DataFrame | None, sources: dict[str, Source]) -> list[str]:
    """The settings' sources, then every other source the recruitment plan names (its own words)."""
    names = list(sources)
    known = {n.lower() for n in names}
    if plan is not None:
        for name in dict.fromkeys(plan["source"].astype(str)):
            if name.lower() not in known:
                names.append(name)
                known.add(name.lower())
    return names


@dataclass(frozen=True)
class PlanSettings:
    """The what-if levers of a workforce plan, with the defaults the Kent paper implies."""

    horizon_months: int = 36
    turnover_rate: float = 0.15
    new_entrant_turnover_rate: float | None = None
    vacancy_target: float = 0.10
    experience_ceiling: float = 0.15
    agency_floor: float | None = None  # net vacancy left uncovered; None = keep the starting cover
    average_salary: float = 30_000.0
    on_cost_rate: float = 529 / 2000
    agency_day_rate: float = 250.0
    agency_days_per_year: float = 220.0
    sources: dict[str, Source] = field(default_factory=lambda: dict(DEFAULT_SOURCES))


def monthly_hazard(annual_rate: float) -> float:
    """Monthly leaving probability from an annual turnover rate: 1 - (1 - a) ** (1/12)."""
    if not 0 <= annual_rate < 1:
        raise AnalysisError(f"annual turnover must be from 0 to below 1, not {annual_rate}")
    return 1 - (1 - annual_rate) ** (1 / 12)


def starting_point(
    staffing: pd.DataFrame,
    as_of=None,
    staff: pd.DataFrame | None = None,
    under_two_years_share: float | None = None,
) -> pd.DataFrame:
    """Establishment, in post, agency and under-two-years share per role group at as_of.

    FTE come from the staffing snapshot on or before as_of. The under-two-years share is, in
    order: the parameter if given; else caseholders' share from staff.csv on the snapshot date
    (managers 0); else unknown: the model then starts everyone as experienced (share 0) and
    ``experience_known`` is False, so no page reports a share it never measured.
    """
    from .retention import experience_mix
    from .vacancy import snapshot, vacancy_summary

    snap = snapshot(staffing, as_of)
    start = vacancy_summary(snap, by=("role_group",))[["role_group", "establishment_fte", "in_post_fte", "agency_fte"]]
    when = snap["as_of"].max()
    share = pd.Series(0.0, index=start.index)
    known = pd.Series(start["role_group"] != "caseholder", index=start.index)
    if under_two_years_share is not None:
        share[:] = under_two_years_share
        known[:] = True
    elif staff is not None:
        try:
            mix = float(experience_mix(staff, when).iloc[0]["under_two_years_share"])
        except ValueError:
            mix = np.nan
        if not np.isnan(mix):
            share[start["role_group"] == "caseholder"] = mix
            known[:] = True
    start["under_two_years_share"] = share
    start["experience_known"] = known
    start["as_of"] = when
    return start


def monthly_offers(
    plan: pd.DataFrame | None,
    groups: list[str],
    start,
    horizon_months: int,
    sources: dict[str, Source],
    annual_hires: dict[str, dict[str, float]] | None = None,
) -> tuple[np.ndarray, list[str]]:
    """Expected starts per group, source and month: array [group, source, month] and source names.

    From ``annual_hires`` ({group: {source: offers a year}}, the same every plan year) when given,
    else recruitment_plan.csv by plan year. Offers x acceptance rate, spread evenly over the plan
    year (or all in its September for September-start sources) and moved by the start lag.
    """
    start = pd.Timestamp(start)
    first_month = (start + pd.offsets.MonthBegin(1)).to_period("M") if start.day > 1 else start.to_period("M")
    months = pd.period_range(first_month, periods=horizon_months, freq="M")
    names = plan_source_names(plan, sources)
    out = np.zeros((len(groups), len(names), horizon_months))
    n_years = int(np.ceil(horizon_months / 12)) + 1
    for gi, group in enumerate(groups):
        for si, name in enumerate(names):
            source = source_of(name, sources)
            for year_index in range(n_years):
                if annual_hires is not None:
                    offers = float(annual_hires.get(group, {}).get(name, 0.0))
                elif plan is not None:
                    rows = plan[
                        (plan["role_group"] == group)
                        & (plan["source"].astype(str).str.lower() == name.lower())
                        & (plan["year"] == first_month.year + year_index)
                    ]
                    offers = float(rows["planned_hires"].sum())
                else:
                    offers = 0.0
                starts = offers * source.acceptance_rate
                if starts == 0:
                    continue
                year_months = range(year_index * 12, year_index * 12 + 12)
                if source.september_start:
                    septembers = [
                        m
                        for m in year_months
                        if months[min(m, horizon_months - 1)].month == 9
                        or (m >= horizon_months and (first_month + m).month == 9)
                    ]
                    landing = [m + source.start_lag_months for m in septembers[:1]]
                    shares = [starts]
                else:
                    landing = [m + source.start_lag_months for m in year_months]
                    shares = [starts / 12] * 12
                for m, amount in zip(landing, shares, strict=True):
                    if 0 <= m < horizon_months:
                        out[gi, si, m] += amount
    return out, names


def _agency(vacancy_fte: np.ndarray, establishment: np.ndarray, floor: np.ndarray) -> np.ndarray:
    return np.maximum(vacancy_fte - floor * establishment, 0.0)


def project(start: pd.DataFrame, offers: np.ndarray, names: list[str], settings: PlanSettings) -> pd.DataFrame:
    """Deterministic monthly projection per group (expected values). Tidy frame per month and group:
    month, role_group, establishment_fte, in_post_fte, hires, leavers, vacancy_rate, net_vacancy_rate,
    agency_fte, under_two_years_share, cost."""
    groups = start["role_group"].tolist()
    establishment = start["establishment_fte"].to_numpy(float)
    in_post = start["in_post_fte"].to_numpy(float)
    agency0 = start["agency_fte"].to_numpy(float)
    floor = (
        np.full(len(groups), settings.agency_floor)
        if settings.agency_floor is not None
        else np.where(
            establishment > 0, (establishment - in_post - agency0) / np.where(establishment > 0, establishment, 1), 0
        )
    )
    floor = np.maximum(floor, 0.0)
    new_mask = np.array([source_of(n, settings.sources).new_entrant for n in names], dtype=bool)
    hazard = monthly_hazard(settings.turnover_rate)
    hazard_new = monthly_hazard(settings.new_entrant_turnover_rate) if settings.new_entrant_turnover_rate else hazard
    cohorts = np.repeat(
        (in_post * start["under_two_years_share"].to_numpy(float) / MONTHS_UNDER_TWO)[:, None], MONTHS_UNDER_TWO, axis=1
    )
    experienced = in_post - cohorts.sum(axis=1)
    month0 = pd.Timestamp(start["as_of"].iloc[0])
    months = pd.date_range(month0 + pd.offsets.MonthEnd(1), periods=settings.horizon_months, freq="ME")
    n_groups, horizon = len(groups), settings.horizon_months
    out = {k: np.zeros((horizon, n_groups)) for k in ("in_post", "hires", "leavers", "agency", "new", "cost")}
    for t in range(horizon):
        left_exp = experienced * hazard
        left_new = cohorts * hazard_new
        experienced = experienced - left_exp
        cohorts = cohorts - left_new
        hires_new = offers[:, new_mask, t].sum(axis=1)
        hires_exp = offers[:, ~new_mask, t].sum(axis=1)
        # Age the new-entrant cohorts: the oldest become experienced; this month's hires join at age 0.
        experienced = experienced + cohorts[:, -1] + hires_exp
        cohorts = np.concatenate([hires_new[:, None], cohorts[:, :-1]], axis=1)
        total = experienced + cohorts.sum(axis=1)
        agency = _agency(establishment - total, establishment, floor)
        out["in_post"][t] = total
        out["hires"][t] = hires_new + hires_exp
        out["leavers"][t] = left_exp + left_new.sum(axis=1)
        out["agency"][t] = agency
        out["new"][t] = cohorts.sum(axis=1)
        out["cost"][t] = total * settings.average_salary * (1 + settings.on_cost_rate) / 12 + (
            agency * settings.agency_day_rate * settings.agency_days_per_year / 12
        )
    safe = np.where(establishment > 0, establishment, np.nan)[None, :]
    vacancy = establishment[None, :] - out["in_post"]
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(out["in_post"] > 0, out["new"] / out["in_post"], np.nan)

    # Group-major order: all months of the first group, then the next.
    def flat(a):
        return a.T.reshape(-1)

    return pd.DataFrame(
        {
            "month": np.tile(months, n_groups),
            "role_group": np.repeat(groups, horizon),
            "establishment_fte": np.repeat(establishment, horizon),
            "in_post_fte": flat(out["in_post"]),
            "hires": flat(out["hires"]),
            "leavers": flat(out["leavers"]),
            "vacancy_rate": flat(vacancy / safe),
            "net_vacancy_rate": flat((vacancy - out["agency"]) / safe),
            "agency_fte": flat(out["agency"]),
            "under_two_years_share": flat(share),
            "experience_known": np.repeat(start.get("experience_known", pd.Series(True, index=start.index)), horizon),
            "cost": flat(out["cost"]),
        }
    )


@dataclass(frozen=True)
class TargetHeld:
    """When a projected vacancy path meets its target and whether it holds it (:func:`target_held`)."""

    first_met: pd.Timestamp | None  # the first month at or under target
    held_from: pd.Timestamp | None  # the first month from which every month to the end is at or under it
    above_again: tuple[pd.Timestamp, ...]  # months above target after first meeting it
    end: pd.Timestamp  # the last month projected

    @property
    def met(self) -> bool:
        """Met and held to the end of the horizon."""
        return self.held_from is not None


def target_held(months, rates, target: float) -> TargetHeld:
    """First month at or under target, the month from which the path stays at or under it to the
    end of the horizon, and the months above it after first meeting it.

    "At or under" is :func:`workforce_lib.targets.at_or_under_target` (the rate as shown, to 0.1
    percentage point). The target is met only when held: held_from is None when the last month is
    above target. Kent's sample plan first reaches 10% in September 2011, is above it in July and
    August 2013 (10.7%, 11.4%) and holds it from September 2013."""
    months = pd.DatetimeIndex(months)
    ok = np.asarray(at_or_under_target(np.asarray(rates, dtype=float), target), dtype=bool)
    if not len(ok):
        raise AnalysisError("a projection needs at least one month to judge a target")
    first = int(np.argmax(ok)) if ok.any() else None
    held = None
    if ok[-1]:
        above = np.flatnonzero(~ok)
        held = int(above[-1]) + 1 if len(above) else 0
    again = () if first is None else tuple(months[first:][~ok[first:]])
    return TargetHeld(
        months[first] if first is not None else None,
        months[held] if held is not None else None,
        again,
        months[-1],
    )


def month_spans(months) -> str:
    """Months in words, runs of consecutive months joined: "July to August 2013", "December 2012 to
    February 2013 and May 2013"."""
    periods = sorted(pd.PeriodIndex(pd.DatetimeIndex(months), freq="M"))
    runs: list[list[pd.Period]] = []
    for p in periods:
        if runs and p == runs[-1][-1] + 1:
            runs[-1].append(p)
        else:
            runs.append([p])
    words = []
    for run in runs:
        a, b = run[0], run[-1]
        if a == b:
            words.append(a.strftime("%B %Y"))
        elif a.year == b.year:
            words.append(f"{a.strftime('%B')} to {b.strftime('%B %Y')}")
        else:
            words.append(f"{a.strftime('%B %Y')} to {b.strftime('%B %Y')}")
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _month(when: pd.Timestamp | None, none: str) -> str:
    return none if when is None else when.strftime("%B %Y")


def target_words(held: TargetHeld, target: float) -> str:
    """The verdict of :func:`target_held` in words: met and held from a month, or when it slips back."""
    goal = f"the {target_text(target)} vacancy target"
    end = held.end.strftime("%B %Y")
    if held.first_met is None:
        return f"{goal} is not met within the projection (to {end})"
    if held.held_from is None:
        return (
            f"{goal} is not held: it is reached in {_month(held.first_met, '')}, but vacancy is above it again "
            f"in {month_spans(held.above_again)}, to the end of the projection"
        )
    if held.held_from == held.first_met:
        return f"{goal} is met in {_month(held.first_met, '')} and held to the end of the projection ({end})"
    return (
        f"{goal} is met and held from {_month(held.held_from, '')} to the end of the projection ({end}); it is "
        f"first reached in {_month(held.first_met, '')}, but vacancy is above it again in "
        f"{month_spans(held.above_again)}"
    )


NOT_WITHIN = "not within horizon"


def summary(frame: pd.DataFrame, settings: PlanSettings) -> pd.DataFrame:
    """Per group: the month from which the vacancy target is met and held to the end of the horizon
    (:func:`target_held`; 'not within horizon' when it is not held), the month it is first reached,
    the months above it after that ('' for none), hires a year, peak and final agency FTE, final
    vacancy rate, whether the experience ceiling is breached (a share above it as shown,
    :func:`workforce_lib.targets.above_target`), cost."""
    rows = []
    years = settings.horizon_months / 12
    for group, part in frame.groupby("role_group", sort=False):
        held = target_held(part["month"], part["vacancy_rate"], settings.vacancy_target)
        known = bool(part["experience_known"].all()) if "experience_known" in part else True
        rows.append(
            {
                "role_group": group,
                "month_target_met": _month(held.held_from, NOT_WITHIN),
                "month_target_first_reached": _month(held.first_met, NOT_WITHIN),
                "above_target_again": month_spans(held.above_again) if held.above_again else "",
                "hires_per_year": part["hires"].sum() / years,
                "final_vacancy_rate": part["vacancy_rate"].iloc[-1],
                "peak_agency_fte": part["agency_fte"].max(),
                "final_agency_fte": part["agency_fte"].iloc[-1],
                "max_under_two_years_share": part["under_two_years_share"].max() if known else np.nan,
                "experience_ceiling_breached": (
                    bool(above_target(part["under_two_years_share"], settings.experience_ceiling).any())
                    if known
                    else pd.NA
                ),
                "total_cost": part["cost"].sum(),
            }
        )
    return pd.DataFrame(rows)


def constant_hires_needed(
    establishment: float, in_post: float, turnover_rate: float, vacancy_target: float, months: int
) -> float:
    """The constant monthly hires that bring the vacancy rate to the target after ``months`` months.

    With q = (1 - turnover) ** (1/12) and hires joining at each month end,
    in post after m months = P0 q^m + H (1 - q^m) / (1 - q); solving for the target
    (1 - target) x establishment gives H. Never below 0.
    """
    if months <= 0:
        raise AnalysisError("the target date must be at least one month after the start")
    q = 1 - monthly_hazard(turnover_rate)
    target_in_post = (1 - vacancy_target) * establishment
    growth = months if q == 1 else (1 - q**months) / (1 - q)
    return max((target_in_post - in_post * q**months) / growth, 0.0)


def simulate(
    start: pd.DataFrame,
    offers: np.ndarray,
    source_names: list[str],
    settings: PlanSettings,
    runs: int = 1000,
    seed: int = 2011,
) -> dict[str, np.ndarray]:
    """Monte Carlo runs of the projection, vectorised over runs and groups (no loop per run).

    Leavers are binomial on the staff in post (whole FTE); starts are binomial on the offers
    (acceptance rate) with the fractional part of an offer drawn as one more Bernoulli trial.
    Returns arrays [run, group, month] of in_post and vacancy_rate.
    """
    rng = np.random.default_rng(seed)
    groups = len(start)
    establishment = start["establishment_fte"].to_numpy(float)
    new_mask = np.array([source_of(n, settings.sources).new_entrant for n in source_names], dtype=bool)
    acceptance = np.array([source_of(n, settings.sources).acceptance_rate for n in source_names])
    hazard = monthly_hazard(settings.turnover_rate)
    hazard_new = monthly_hazard(settings.new_entrant_turnover_rate) if settings.new_entrant_turnover_rate else hazard
    in_post0 = np.round(start["in_post_fte"].to_numpy(float)).astype(np.int64)
    new0 = np.round(in_post0 * start["under_two_years_share"].to_numpy(float)).astype(np.int64)
    cohorts = np.zeros((runs, groups, MONTHS_UNDER_TWO), dtype=np.int64)
    for g in range(groups):
        cohorts[:, g, :] = np.bincount(np.arange(new0[g]) % MONTHS_UNDER_TWO, minlength=MONTHS_UNDER_TWO)
    experienced = np.broadcast_to(in_post0 - new0, (runs, groups)).copy()
    # Offers: starts / acceptance, as whole offers plus a fractional one.
    offer_counts = offers / acceptance[None, :, None]
    whole = np.floor(offer_counts).astype(np.int64)
    frac = offer_counts - whole
    in_post_out = np.zeros((runs, groups, settings.horizon_months))
    for t in range(settings.horizon_months):
        experienced = experienced - rng.binomial(experienced, hazard)
        cohorts = cohorts - rng.binomial(cohorts, hazard_new)
        n = whole[None, :, :, t] + (rng.random((runs, groups, len(source_names))) < frac[None, :, :, t])
        starts = rng.binomial(n, acceptance[None, None, :])
        experienced = experienced + cohorts[:, :, -1] + starts[:, :, ~new_mask].sum(axis=2)
        cohorts = np.concatenate([starts[:, :, new_mask].sum(axis=2)[:, :, None], cohorts[:, :, :-1]], axis=2)
        in_post_out[:, :, t] = experienced + cohorts.sum(axis=2)
    safe = np.where(establishment > 0, establishment, np.nan)[None, :, None]
    return {"in_post": in_post_out, "vacancy_rate": (safe - in_post_out) / safe}


def bands(simulated: dict[str, np.ndarray], start: pd.DataFrame, months: pd.DatetimeIndex) -> pd.DataFrame:
    """P10 / P50 / P90 of the simulated vacancy rate per month and group, and the mean."""
    rate = simulated["vacancy_rate"]
    p10, p50, p90 = np.percentile(rate, [10, 50, 90], axis=0)
    mean = rate.mean(axis=0)
    rows = []
    for g, group in enumerate(start["role_group"]):
        rows.append(
            pd.DataFrame(
                {"month": months, "role_group": group, "p10": p10[g], "p50": p50[g], "p90": p90[g], "mean": mean[g]}
            )
        )
    return pd.concat(rows, ignore_index=True)


def target_held_band(band: pd.DataFrame, target: float) -> dict[str, str]:
    """The month from which the target is met and held (:func:`target_held`) on the optimistic
    (P10), middle (P50) and pessimistic (P90) paths of the simulations; 'not within horizon' if not."""
    return {
        column: _month(target_held(band["month"], band[column], target).held_from, NOT_WITHIN)
        for column in ("p10", "p50", "p90")
    }


def yearly(frame: pd.DataFrame, as_of) -> pd.DataFrame:
    """Plan year by plan year (12 months from the start): starts, leavers, and the position and
    cost at each year end. The under-two-years share is NaN (unknown) where the starting
    experience was never measured (``experience_known``)."""
    months = pd.PeriodIndex(frame["month"], freq="M") - pd.Period(pd.Timestamp(as_of), freq="M")
    plan_year = [(m.n - 1) // 12 + 1 for m in months]
    if "experience_known" in frame:
        frame = frame.assign(under_two_years_share=frame["under_two_years_share"].where(frame["experience_known"]))
    return (
        frame.assign(plan_year=plan_year)
        .groupby(["role_group", "plan_year"], sort=False)
        .agg(
            hires=("hires", "sum"),
            leavers=("leavers", "sum"),
            in_post_fte=("in_post_fte", "last"),
            vacancy_rate=("vacancy_rate", "last"),
            agency_fte=("agency_fte", "last"),
            under_two_years_share=("under_two_years_share", "last"),
            cost=("cost", "sum"),
        )
        .reset_index()
    )
