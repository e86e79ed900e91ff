"""Retention: how long employments last (Kaplan-Meier), and the experience mix of caseholders.

Survival of employments is estimated with lifelines' Kaplan-Meier fitter: each employment's
duration runs from start_date to leave_date, or to as_of for staff still in post, who are
right-censored (they have not left *yet*; they are never counted as leavers). Employments that
start after as_of are left out, and a leave after as_of counts as still in post on as_of.

HR extracts usually hold only employments still open at the start of the extract window, so
those that began earlier enter the data late (left truncation). Employments that started before
``observed_from`` enter the risk set at that date (lifelines' ``entry``); by default
``observed_from`` is the earliest leave date recorded, before which no leaver was kept.

Experience mix (Kent 2011 paper): no more than 15% of caseholders should have under two years'
post-qualification experience. Experience runs from qualified_date, or from start_date for NQSW
entrants whose qualified_date is blank.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .roles import with_role_group

DAYS_PER_YEAR = 365.25
RETENTION_YEARS = (1, 2, 3, 5)
EXPERIENCE_CEILING = 0.15


def durations(staff: pd.DataFrame, as_of, observed_from="auto") -> pd.DataFrame:
    """Employments started by as_of: duration in years, whether they ended (left), and the
    years of service at which each entered observation (0 unless it began before observed_from).
    """
    as_of = pd.Timestamp(as_of)
    started = staff[staff["start_date"] <= as_of]
    left = started["leave_date"].notna() & (started["leave_date"] <= as_of)
    end = started["leave_date"].where(left, as_of)
    years = ((end - started["start_date"]).dt.days / DAYS_PER_YEAR).clip(lower=0)
    if isinstance(observed_from, str) and observed_from == "auto":
        observed_from = staff["leave_date"].min()
    if observed_from is None or pd.isna(observed_from):
        entry = pd.Series(0.0, index=started.index)
    else:
        entry = ((pd.Timestamp(observed_from) - started["start_date"]).dt.days / DAYS_PER_YEAR).clip(lower=0)
        entry = entry.clip(upper=years)
    return started.assign(duration_years=years, left=left, entry_years=entry)


def _fit(frame: pd.DataFrame, label: str):
    from lifelines import KaplanMeierFitter

    fitter = KaplanMeierFitter(label=label)
    fitter.fit(frame["duration_years"], event_observed=frame["left"], entry=frame["entry_years"])
    return fitter


def survival_curves(
    staff: pd.DataFrame, as_of, by: str = "entry_route", min_group: int = 1, observed_from="auto"
) -> pd.DataFrame:
    """Kaplan-Meier share still in post by years of service, per group, with 95% confidence band.

    Tidy frame: group, years, still_in_post, ci_lower, ci_upper. Groups with fewer than
    ``min_group`` employments are left out.
    """
    data = durations(with_role_group(staff) if by == "role_group" else staff, as_of, observed_from)
    frames = []
    for group, part in data.groupby(by, sort=True):
        if len(part) < min_group:
            continue
        fitter = _fit(part, str(group))
        curve = fitter.survival_function_.iloc[:, 0]
        band = fitter.confidence_interval_survival_function_
        frames.append(
            pd.DataFrame(
                {
                    by: group,
                    "years": curve.index.to_numpy(),
                    "still_in_post": curve.to_numpy(),
                    "ci_lower": band.iloc[:, 0].to_numpy(),
                    "ci_upper": band.iloc[:, 1].to_numpy(),
                }
            )
        )
    if not frames:
        raise ValueError(f"no employments had started by {pd.Timestamp(as_of).date()}")
    return pd.concat(frames, ignore_index=True)


def retention_summary(
    staff: pd.DataFrame,
    as_of,
    by: str | None = "entry_route",
    years: Sequence[float] = RETENTION_YEARS,
    observed_from="auto",
) -> pd.DataFrame:
    """Per group: employments, leavers, median length of service (95% CI) and share still in post
    after each of ``years`` (Kaplan-Meier; staff still in post are censored at as_of).

    A median that the curve never reaches (more than half still in post) is reported as
    infinity: "more than N years", where N is the longest observed service.
    """
    from lifelines.utils import median_survival_times

    data = durations(with_role_group(staff) if by == "role_group" else staff, as_of, observed_from)
    groups = data.groupby(by, sort=True) if by else [("All staff", data)]
    rows = []
    for group, part in groups:
        fitter = _fit(part, str(group))
        ci = median_survival_times(fitter.confidence_interval_)
        row = {
            (by or "group"): group,
            "employments": len(part),
            "leavers": int(part["left"].sum()),
            "median_years": float(fitter.median_survival_time_),
            "median_ci_lower": float(ci.iloc[0, 0]),
            "median_ci_upper": float(ci.iloc[0, 1]),
            "longest_years": float(part["duration_years"].max()),
        }
        predicted = fitter.predict(list(years))
        for y, value in zip(years, np.atleast_1d(predicted), strict=True):
            row[f"still_in_post_{y:g}y"] = float(value)
        rows.append(row)
    return pd.DataFrame(rows)


def years_qualified(staff: pd.DataFrame, as_of) -> pd.Series:
    """Years since qualification on as_of: from qualified_date, else start_date for NQSW entrants.

    NaN for staff with neither (an experienced entrant whose qualified_date is blank).
    """
    as_of = pd.Timestamp(as_of)
    since = staff["qualified_date"]
    nqsw = staff["entry_route"].astype(str).str.upper().eq("NQSW")
    since = since.where(since.notna() | ~nqsw, staff["start_date"])
    return (as_of - since).dt.days / DAYS_PER_YEAR


def experience_mix(
    staff: pd.DataFrame, as_of, ceiling: float = EXPERIENCE_CEILING, by: Sequence[str] | None = None
) -> pd.DataFrame:
    """Share of caseholders in post on as_of with under two years since qualifying, against the ceiling.

    share = caseholders in post with < 2 years' post-qualification experience / caseholders in
    post whose experience is known (headcount). Kent 2011: the optimum is at most 15%.
    """
    as_of = pd.Timestamp(as_of)
    frame = with_role_group(staff)
    in_post = (frame["start_date"] <= as_of) & (frame["leave_date"].isna() | (frame["leave_date"] > as_of))
    caseholders = frame[in_post & (frame["role_group"] == "caseholder")]
    if caseholders.empty:
        raise ValueError(f"no caseholders were in post on {as_of.date()}")
    experience = years_qualified(caseholders, as_of)
    data = caseholders.assign(known=experience.notna(), under_two=experience < 2)
    keys = list(by or [])
    grouped = data.groupby(keys, sort=True) if keys else [((), data)]
    rows = []
    for key, part in grouped:
        known = int(part["known"].sum())
        under = int(part["under_two"].sum())
        share = under / known if known else np.nan
        row = dict(zip(keys, key if isinstance(key, tuple) else (key,), strict=False))
        row.update(
            {
                "caseholders": len(part),
                "experience_known": known,
                "under_two_years": under,
                "under_two_years_share": share,
                "ceiling": ceiling,
                "above_ceiling": bool(share > ceiling) if known else False,
            }
        )
        rows.append(row)
    return pd.DataFrame(rows)
