"""Recruitment selection funnel: conversion from stage to stage, and offers against vacancies.

Definitions: conversion from the previous stage = count at a stage / count at the stage before
it (stages in the contract's order: applied, shortlisted, interviewed, offered, accepted,
started; only the stages present for a role and source); overall conversion = count / count at
the first stage present. A county council's 2015 update: social workers 64 applied, 19 shortlisted (29.7%),
11 offered (57.9% of those shortlisted; 17.2% overall).

Offers per vacancy answers the members' question "how many vacancies sit behind those offers":
offers / vacancy FTE of the role's group in staffing.csv at the snapshot nearest the period end.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .contract import FUNNEL_STAGES
from .roles import role_map
from .vacancy import vacancy_summary


def conversion(funnel: pd.DataFrame) -> pd.DataFrame:
    """Each stage's count with conversion from the previous stage present and from the first."""
    order = {s: i for i, s in enumerate(FUNNEL_STAGES)}
    frame = funnel.assign(_order=funnel["stage"].map(order), count=funnel["count"].astype(float)).sort_values(
        ["period", "role", "source", "_order"], kind="stable"
    )
    keys = ["period", "role", "source"]
    grouped = frame.groupby(keys, sort=False)["count"]
    previous = grouped.shift(1)
    first = grouped.transform("first")
    frame["from_previous"] = frame["count"] / previous.where(previous > 0)
    frame["from_first"] = frame["count"] / first.where(first > 0)
    frame["previous_stage"] = frame.groupby(keys, sort=False)["stage"].shift(1)
    return frame.drop(columns="_order").reset_index(drop=True)


def conversion_table(funnel: pd.DataFrame, source: str = "all") -> pd.DataFrame:
    """One row per period and role for a source: counts per stage and conversion between them."""
    conv = conversion(funnel[funnel["source"] == source])
    if conv.empty:
        return pd.DataFrame(columns=["period", "role", "source"])
    counts = conv.pivot_table(index=["period", "role", "source"], columns="stage", values="count", aggfunc="sum")
    stages = [s for s in FUNNEL_STAGES if s in counts.columns]
    counts = counts[stages]
    out = counts.copy()
    for before, after in zip(stages, stages[1:], strict=False):
        out[f"{after}_of_{before}"] = counts[after] / counts[before].where(counts[before] > 0)
    if len(stages) > 1:
        out[f"{stages[-1]}_of_{stages[0]}"] = counts[stages[-1]] / counts[stages[0]].where(counts[stages[0]] > 0)
    out.columns.name = None
    return out.reset_index()


def period_end(period: str) -> pd.Timestamp:
    """The last day of a funnel period such as '2015-04/2015-10' (end of October 2015)."""
    last = str(period).split("/")[-1].strip()
    try:
        return pd.Period(last, freq="M").end_time.normalize()
    except (ValueError, TypeError):
        return pd.Timestamp(last)


def offers_per_vacancy(
    funnel: pd.DataFrame, staffing: pd.DataFrame, stage: str = "offered", role_groups: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Offers (source 'all') per vacant FTE of the role's group at the staffing snapshot nearest the
    period end; the snapshot used and how far it is from the period end are stated in each row.
    Funnel roles map to groups as staff.csv titles do (``role_groups`` is the data folder's map)."""
    offers = funnel[(funnel["source"] == "all") & (funnel["stage"] == stage)]
    mapping = role_map(offers["role"], role_groups)
    group_of = dict(
        zip(mapping["role"], mapping["role_group"].where(mapping["mapped_by"] != "not mapped"), strict=True)
    )
    dates = pd.Series(sorted(staffing["as_of"].unique()))
    rows = []
    for row in offers.itertuples(index=False):
        end = period_end(row.period)
        nearest = dates.iloc[int(np.argmin(np.abs((dates - end).dt.days)))]
        group = group_of.get(row.role)
        group = None if pd.isna(group) else group
        vacancy_fte = np.nan
        if group is not None:
            snap = vacancy_summary(staffing[staffing["as_of"] == nearest], by=("role_group",)).set_index("role_group")
            if group in snap.index:
                vacancy_fte = float(snap.loc[group, "vacancy_fte"])
        rows.append(
            {
                "period": row.period,
                "role": row.role,
                "role_group": group or "unknown",
                "offers": float(row.count),
                "staffing_as_of": nearest,
                "days_from_period_end": int(abs((nearest - end).days)),
                "vacancy_fte": vacancy_fte,
                "offers_per_vacancy": row.count / vacancy_fte if vacancy_fte and vacancy_fte > 0 else np.nan,
            }
        )
    return pd.DataFrame(rows)


def conversion_sentence(row: pd.Series) -> str:
    """One row of :func:`conversion_table` in words, over whichever stages it has: "Social Worker:
    64 applied, 19 shortlisted (29.7%), 11 offered (57.9% of those shortlisted; 17.2% overall)."."""
    stages = [s for s in FUNNEL_STAGES if s in row.index and pd.notna(row[s])]
    if not stages:
        return f"{row['role']}: no stages recorded."
    parts = [f"{row[stages[0]]:,.0f} {stages[0]}"]
    for i, (before, after) in enumerate(zip(stages, stages[1:], strict=False), start=1):
        rate = row.get(f"{after}_of_{before}")
        shown = "no one at the stage before" if pd.isna(rate) else f"{rate:.1%}"
        if i == 1:
            parts.append(f"{row[after]:,.0f} {after} ({shown})")
            continue
        overall = row.get(f"{after}_of_{stages[0]}") if after == stages[-1] else None
        tail = f"; {overall:.1%} overall" if overall is not None and pd.notna(overall) else ""
        parts.append(f"{row[after]:,.0f} {after} ({shown} of those {before}{tail})")
    return f"{row['role']}: " + ", ".join(parts) + "."
