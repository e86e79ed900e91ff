"""The workforce plan at the pack's settings, and with its levers moved (the plan what-if).

The levers are turnover, offers a year, the NQSW share of offers and the agency floor. Each lever
left at the plan's own value (:func:`levers_now`) leaves that input untouched, so the what-if at
its starting position is the static plan exactly: same function, same recruitment plan, same
settings. Moving "offers a year" scales every plan year's offers for the role group alike (the
plan's profile is kept); moving the NQSW share re-weights NQSW against the other sources, each
keeping its own profile over the years (:func:`moved_plan`).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from .. import plots, projection, roles
from .result import WhatIf

#: What the plan panel's controls do, shown above the panel in JupyterLab (never in a static pack).
PROMPT = (
    "Move the sliders: turnover, offers a year (the plan's average over its years; moving it scales "
    "every year's offers alike) and the NQSW share of them, the agency floor (the net vacancy left "
    "uncovered by agency staff) and the target date for the solver. At their starting positions the "
    "sentence and the chart are the plan above; they are redrawn by the same functions."
)
_SAME = 1e-9  # a lever within this of the plan's own value is left at it


def plan_years(start: pd.DataFrame, horizon_months: int) -> list[int]:
    """The plan years a projection covers: year of the first projected month, then one a year.

    As :func:`projection.monthly_offers` counts them: a snapshot of 31 March 2011 starts in April
    2011, so 36 months cover plan years 2011, 2012 and 2013."""
    as_of = pd.Timestamp(start["as_of"].iloc[0])
    first = (as_of + pd.offsets.MonthBegin(1)) if as_of.day > 1 else as_of
    return [first.year + i for i in range(int(np.ceil(horizon_months / 12)))]


def _nqsw_like(names, sources: dict) -> list[bool]:
    """Which source names behave like NQSWs (the settings' NQSW source: same lag, acceptance, start)."""
    nqsw = projection.source_of("NQSW", sources)
    return [projection.source_of(n, sources) == nqsw for n in names]


def _own_rows(plan: pd.DataFrame | None, role_group: str, years: list[int]) -> pd.DataFrame:
    if plan is None:
        return pd.DataFrame(columns=["year", "role_group", "source", "planned_hires"])
    return plan[(plan["role_group"] == role_group) & plan["year"].isin(years)]


def offers_now(plan: pd.DataFrame | None, role_group: str, years: list[int], sources: dict) -> tuple[float, float]:
    """The plan's own offers a year for a role group and the NQSW share of them.

    offers a year = planned hires (offers) over the plan years / number of years; NQSW share =
    offers from NQSW-like sources / all offers (0 with no offers). Kent's sample plan for
    caseholders, 2011-2013: (110 + 60 + 60) / 3 = 76.7 a year, NQSW (45 + 30 + 27) / 230 = 44.3%."""
    rows = _own_rows(plan, role_group, years)
    total = float(rows["planned_hires"].sum())
    nqsw = float(rows.loc[_nqsw_like(rows["source"].astype(str), sources), "planned_hires"].sum()) if len(rows) else 0.0
    return total / len(years), (nqsw / total if total else 0.0)


def moved_plan(
    plan: pd.DataFrame | None,
    role_group: str,
    years: list[int],
    sources: dict,
    offers_a_year: float | None = None,
    nqsw_share: float | None = None,
) -> pd.DataFrame | None:
    """The recruitment plan with the role group's offers moved to ``offers_a_year`` and ``nqsw_share``.

    None for both returns the plan itself. Otherwise, over the plan years, total = offers a year x
    years; NQSW-like offers = share x total and the others = (1 - share) x total, each shared over
    years and sources in the plan's own proportions (by each year's offers where the plan has none
    of that kind; other offers without a source of their own go to "UK external")."""
    if offers_a_year is None and nqsw_share is None:
        return plan
    own = _own_rows(plan, role_group, years)
    now_offers, now_share = offers_now(plan, role_group, years, sources)
    offers = now_offers if offers_a_year is None else float(offers_a_year)
    share = now_share if nqsw_share is None else float(nqsw_share)
    total_new = offers * len(years)
    names = own["source"].astype(str)
    is_nqsw = pd.Series(_nqsw_like(names, sources), index=own.index, dtype=bool)
    by_year = own.groupby("year")["planned_hires"].sum().reindex(years, fill_value=0.0)
    weights_year = by_year / by_year.sum() if by_year.sum() > 0 else pd.Series(1 / len(years), index=years)
    rows = []
    for kind, amount, default in ((True, share * total_new, "NQSW"), (False, (1 - share) * total_new, "UK external")):
        part = own[is_nqsw == kind]
        if part["planned_hires"].sum() > 0:
            for r in part.itertuples(index=False):
                rows.append((r.year, str(r.source), amount * r.planned_hires / part["planned_hires"].sum()))
        elif amount > 0:
            name = str(part["source"].iloc[0]) if len(part) else default
            rows.extend((year, name, amount * weight) for year, weight in weights_year.items())
    moved = pd.DataFrame(rows, columns=["year", "source", "planned_hires"]).assign(role_group=role_group)
    rest = plan.drop(index=own.index) if plan is not None else None
    return pd.concat([f for f in (rest, moved) if f is not None and len(f)], ignore_index=True)


def levers_now(start: pd.DataFrame, plan: pd.DataFrame | None, settings: projection.PlanSettings, role_group: str):
    """The levers at the plan's own values: turnover, offers a year, NQSW share, agency floor.

    The agency floor is the settings' floor, else the role group's starting net vacancy (the cover
    the projection keeps): (establishment - in post - agency) / establishment, never below 0."""
    offers, share = offers_now(plan, role_group, plan_years(start, settings.horizon_months), settings.sources)
    row = start.set_index("role_group").loc[role_group]
    if settings.agency_floor is not None:
        floor = settings.agency_floor
    else:
        est = float(row["establishment_fte"])
        floor = max((est - float(row["in_post_fte"]) - float(row["agency_fte"])) / est, 0.0) if est > 0 else 0.0
    return {
        "turnover_rate": settings.turnover_rate,
        "offers_a_year": offers,
        "nqsw_share": share,
        "agency_floor": floor,
    }


def _moved(value, now):
    """None (leave the input as it is) when a lever is unset or at the plan's own value."""
    return None if value is None or abs(float(value) - float(now)) < _SAME else float(value)


def projected(
    start: pd.DataFrame, plan: pd.DataFrame | None, settings: projection.PlanSettings
) -> tuple[pd.DataFrame, np.ndarray, list[str]]:
    """The deterministic projection of every group from a recruitment plan: frame, offers and source names
    (:func:`projection.monthly_offers` then :func:`projection.project`)."""
    offers, names = projection.monthly_offers(
        plan, start["role_group"].tolist(), start["as_of"].iloc[0], settings.horizon_months, settings.sources
    )
    return projection.project(start, offers, names, settings), offers, names


def _ceiling_words(breached, ceiling: float) -> str:
    """The experience ceiling's verdict in words: breached, kept, or unknown without staff.csv."""
    if breached is pd.NA or pd.isna(breached):
        return f"the {ceiling:.0%} experience ceiling cannot be checked (experience unknown: needs staff.csv)"
    return f"the {ceiling:.0%} experience ceiling you set is {'breached' if breached else 'kept'}"


def plan_what_if(
    start: pd.DataFrame,
    plan: pd.DataFrame | None,
    settings: projection.PlanSettings,
    role_group: str = "caseholder",
    target_date: str | None = None,
    runs: int = 0,
    seed: int = 2011,
    *,
    turnover_rate: float | None = None,
    offers_a_year: float | None = None,
    nqsw_share: float | None = None,
    agency_floor: float | None = None,
    live: plots.LiveChart | None = None,
) -> WhatIf:
    """The plan for one role group at these levers: sentence, chart (with an optional P10-P90 band
    of ``runs`` simulations) and headline figures.

    Levers left out, or at the plan's own values (:func:`levers_now`), leave the recruitment plan
    and the settings as they are: the static plan and the what-if at its starting position are one
    computation. The solver's starts a year for ``target_date`` is
    :func:`projection.constant_hires_needed`."""
    now = levers_now(start, plan, settings, role_group)
    turnover_rate = _moved(turnover_rate, now["turnover_rate"])
    agency_floor = _moved(agency_floor, now["agency_floor"])
    if turnover_rate is not None:
        settings = replace(settings, turnover_rate=turnover_rate)
    if agency_floor is not None:
        settings = replace(settings, agency_floor=agency_floor)
    plan = moved_plan(
        plan,
        role_group,
        plan_years(start, settings.horizon_months),
        settings.sources,
        _moved(offers_a_year, now["offers_a_year"]),
        _moved(nqsw_share, now["nqsw_share"]),
    )
    frame, offers, names = projected(start, plan, settings)
    groups = start["role_group"].tolist()
    band = None
    if runs:
        # The chart shows one group's band, so only that group is simulated (1,000 runs in ~0.05 s).
        shown = [i for i, g in enumerate(groups) if g == role_group]
        one = start.iloc[shown].reset_index(drop=True)
        simulated = projection.simulate(one, offers[shown], names, settings, runs=runs, seed=seed)
        band = projection.bands(simulated, one, pd.DatetimeIndex(frame["month"].unique()))
    part = frame[frame["role_group"] == role_group]
    summary = projection.summary(part, settings).iloc[0]
    held = projection.target_held(part["month"], part["vacancy_rate"], settings.vacancy_target)
    verdict = projection.target_words(held, settings.vacancy_target)
    figures = {
        "target": settings.vacancy_target,
        "month_target_met": summary["month_target_met"],
        "month_target_first_reached": summary["month_target_first_reached"],
        "months_above_target_again": [m.strftime("%B %Y") for m in held.above_again],
        "hires_per_year": round(float(summary["hires_per_year"]), 1),
        "final_vacancy_rate": round(float(summary["final_vacancy_rate"]), 3),
        "peak_agency_fte": round(float(summary["peak_agency_fte"]), 1),
        "total_cost": round(float(summary["total_cost"]), 0),
    }
    sentence = f"{roles.label(role_group)}: {verdict}"
    if band is not None:
        when = projection.target_held_band(band[band["role_group"] == role_group], settings.vacancy_target)
        sentence += band_words(when)
        figures["month_target_met_p10_p90"] = [when["p10"], when["p90"]]
    sentence += (
        f"; {summary['hires_per_year']:,.1f} starts a year, agency peaking at {summary['peak_agency_fte']:,.1f} FTE "
        f"and ending at {summary['final_agency_fte']:,.1f}; vacancy ends at {summary['final_vacancy_rate']:.1%}; "
        + _ceiling_words(summary["experience_ceiling_breached"], settings.experience_ceiling)
        + "; "
        f"cost over {settings.horizon_months} months £{summary['total_cost'] / 1e6:,.2f}m."
    )
    if target_date:
        row = start.set_index("role_group").loc[role_group]
        months = (pd.Period(target_date, freq="M") - pd.Timestamp(start["as_of"].iloc[0]).to_period("M")).n
        needed = projection.constant_hires_needed(
            row["establishment_fte"], row["in_post_fte"], settings.turnover_rate, settings.vacancy_target, months
        )
        by_when = pd.Period(target_date, freq="M").strftime("%B %Y")
        sentence += f" To reach the target by {by_when} takes {needed * 12:,.1f} starts a year."
        figures["hires_per_year_for_target_date"] = round(float(needed) * 12, 1)
    chart = plots.live_plan_chart(
        live, frame, band, role_group=role_group, target=settings.vacancy_target, ceiling=settings.experience_ceiling
    )
    return WhatIf(sentence, chart.figure, figures, chart=chart)


def band_words(when: dict[str, str]) -> str:
    """The simulations' range of :func:`projection.target_held_band` in words, for the plan sentence."""
    if when["p10"] == projection.NOT_WITHIN:
        return " (even the optimistic P10 path of the simulations does not hold it)"
    worst = "not held within the projection" if when["p90"] == projection.NOT_WITHIN else f"from {when['p90']}"
    return f" (P10-P90 of simulations: held from {when['p10']} at best, {worst} at worst)"


def target_dates(start: pd.DataFrame, horizon_months: int, target_date: str | None) -> list[str]:
    """Months (YYYY-MM) the solver's target date can be: every quarter end from three months after
    the snapshot to the end of the horizon, and the pack's own target date."""
    as_of = pd.Timestamp(start["as_of"].iloc[0])
    end = as_of + pd.DateOffset(months=horizon_months)
    dates = [d.strftime("%Y-%m") for d in pd.date_range(as_of + pd.DateOffset(months=3), end, freq="3ME")]
    if target_date:
        dates = sorted(set(dates) | {pd.Period(target_date, freq="M").strftime("%Y-%m")})
    return dates
