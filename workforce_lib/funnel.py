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
from .disclosure import DFE_THRESHOLD, SUPPRESSION_MARKER, Disclosed, Disclosure
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


def conversion_sentence(row: pd.Series, threshold: int = DFE_THRESHOLD) -> str:
    """One row of :func:`conversion_table` in words, over whichever stages it has: "Social Worker:
    64 applied, 19 shortlisted (29.7%), 11 offered (57.9% of those shortlisted; 17.2% overall).".

    A row suppressed for publication (:func:`disclosed`) says "fewer than 5" for a hidden count and
    "not published" for a hidden rate."""
    stages = [s for s in FUNNEL_STAGES if s in row.index and not missing(row[s])]
    if not stages:
        return f"{row['role']}: no stages recorded."

    def count(stage) -> str:
        value = row[stage]
        return f"fewer than {threshold}" if isinstance(value, str) else f"{value:,.0f}"

    def rate(value) -> str:
        if isinstance(value, str):
            return "not published"
        return "no one at the stage before" if pd.isna(value) else f"{value:.1%}"

    parts = [f"{count(stages[0])} {stages[0]}"]
    for i, (before, after) in enumerate(zip(stages, stages[1:], strict=False), start=1):
        shown = rate(row.get(f"{after}_of_{before}"))
        if i == 1:
            parts.append(f"{count(after)} {after} ({shown})")
            continue
        overall = row.get(f"{after}_of_{stages[0]}") if after == stages[-1] else None
        tail = f"; {rate(overall)} overall" if overall is not None and not missing(overall) else ""
        parts.append(f"{count(after)} {after} ({shown} of those {before}{tail})")
    return f"{row['role']}: " + ", ".join(parts) + "."


def missing(value) -> bool:
    return not isinstance(value, str) and pd.isna(value)


def disclosed(funnel: pd.DataFrame, disclosure: Disclosure) -> dict[str, Disclosed]:
    """:func:`conversion_table` for "all", "internal" and "external" candidates, suppressed together
    for publication: every stage count is people; all = internal + external, so a hidden internal
    count hides its external partner (and so on); each conversion rests on its two stages."""
    tables = {source: conversion_table(funnel, source) for source in ("all", "internal", "external")}
    keys = ["period", "role"]
    wide = None
    for source, table in tables.items():
        part = table.drop(columns="source").set_index(keys).add_suffix(f"|{source}")
        wide = part if wide is None else wide.join(part, how="outer")
    if wide is None or wide.empty:
        return {source: disclosure.table(table) for source, table in tables.items()}
    stages = [s for s in FUNNEL_STAGES if f"{s}|all" in wide.columns or f"{s}|internal" in wide.columns]
    rates: dict[str, tuple[str, str]] = {}
    for source in tables:
        for column in tables[source].columns:
            if "_of_" in column:
                after, before = column.split("_of_")
                rates[f"{column}|{source}"] = (f"{after}|{source}", f"{before}|{source}")
    wide = wide.reset_index()
    result = disclosure.table(
        wide,
        counts=[c for c in wide.columns if c.split("|")[0] in stages],
        sums={f"{s}|all": (f"{s}|internal", f"{s}|external") for s in stages},
        rates=rates,
    )
    out = {}
    for source, table in tables.items():
        if table.empty:
            out[source] = disclosure.table(table)
            continue
        columns = {f"{c}|{source}": c for c in table.columns if c not in (*keys, "source")}
        shown = result.frame[keys + list(columns)].rename(columns=columns)
        hidden = result.hidden[keys + list(columns)].rename(columns=columns)
        present = shown[list(columns.values())].notna().any(axis=1)
        shown, hidden = shown[present].assign(source=source), hidden[present].assign(source=False)
        order = list(table.columns)
        out[source] = Disclosed(shown[order].reset_index(drop=True), hidden[order].reset_index(drop=True))
    return out


def disclosed_conversion(funnel: pd.DataFrame, disclosure: Disclosure) -> pd.DataFrame:
    """:func:`conversion` rows for a published chart: a hidden count (and the conversions resting on
    it) becomes missing, so the bar is left out and labelled [c]."""
    frame = conversion(funnel)
    if not disclosure.active:
        return frame
    hidden_all = disclosed(funnel, disclosure)["all"]
    long = hidden_all.hidden.melt(id_vars=["period", "role", "source"], var_name="stage", value_name="hidden")
    frame = frame.merge(long[long["stage"].isin(FUNNEL_STAGES)], on=["period", "role", "source", "stage"], how="left")
    hide = frame["hidden"].fillna(False).astype(bool)
    previous_hidden = hide.groupby([frame["period"], frame["role"], frame["source"]]).shift(1, fill_value=False)
    first_hidden = hide.groupby([frame["period"], frame["role"], frame["source"]]).transform("first")
    frame["count"] = frame["count"].mask(hide)
    frame["from_previous"] = frame["from_previous"].mask(hide | previous_hidden)
    frame["from_first"] = frame["from_first"].mask(hide | first_hidden)
    return frame.drop(columns="hidden")


def disclosed_offers(per_vacancy: pd.DataFrame, every: Disclosed, stage: str = "offered") -> pd.DataFrame:
    """:func:`offers_per_vacancy` for publication: an offer count hidden in the funnel's "all" table
    (:func:`disclosed`, primary or secondary) is hidden here too, with offers per vacant FTE."""
    if stage not in every.hidden.columns or per_vacancy.empty:
        return per_vacancy
    hidden = every.hidden[["period", "role"]].assign(_hide=every.hidden[stage].to_numpy())
    hidden["period"], hidden["role"] = every.frame["period"], every.frame["role"]
    merged = per_vacancy.merge(hidden, on=["period", "role"], how="left")
    hide = merged.pop("_hide").fillna(False).astype(bool)
    out = merged.astype({"offers": object, "offers_per_vacancy": object})
    out.loc[hide, ["offers", "offers_per_vacancy"]] = SUPPRESSION_MARKER
    return out
