"""Employment histories from several years of census returns, linked by person, in staff.csv's shape.

Each return lists the authority's workers in post at 30 September and everyone who started or
left in the year before. Linked across years by person (the pseudonym :mod:`.read` gives each
SWENo; the SWENo itself never leaves the reading step), the returns give one row per employment
with ``staff_id``, ``role``, ``fte``, ``start_date``, ``leave_date``, ``leaving_reason`` and
``entry_route``, so turnover, stability and survival use the same functions as staff.csv
(:mod:`workforce_lib.turnover`, :mod:`workforce_lib.retention`).

Linking rules (the workbench's; DfE publishes no linked series):

- LA-employed records only (``AgencyWorker`` 0); one employment is one (authority, person,
  ``RoleStartDate``). Its latest record wins (a leaver's end date, a new FTE or role).
- A record with no ``RoleStartDate`` starts at the start of the first census year it is seen in
  (1 October), and ``start_estimated`` says so; survival treats it as observed from there.
- An employment in post at one 30 September that the next year's return neither lists in post
  nor as a leaver is *untraced*: it is taken to have left on the next 30 September (the latest
  it can have left) with reason "Not in the next return", and :func:`linking_summary` counts
  these, since a complete return would have listed them.
- ``staff_id`` is a pseudonym (``"W000001"``), ``role`` is the DfE seniority (OrgRole), and
  ``role_group`` follows it: managers (OrgRole 1-3), caseholders (4-5), other (6, qualified
  without cases).
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from ..contract import SPECS
from .characteristics import NOT_KNOWN, ORG_ROLES, ORIGINS, REASONS
from .read import CensusReturn

UNTRACED = "Not in the next return"
ROLE_GROUP_OF_ORG_ROLE = {1: "manager", 2: "manager", 3: "manager", 4: "caseholder", 5: "caseholder", 6: "other"}
#: staff.csv's columns (the data contract), then the role group and what the linking adds.
COLUMNS = [*SPECS["staff"][0].columns, "role_group", "start_estimated", "first_year", "last_year"]


def _records(returns: list[CensusReturn]) -> pd.DataFrame:
    frames = []
    for ret in returns:
        w = ret.workers[ret.workers["agency"] == 0]
        first_day = pd.Timestamp(ret.reference_date.year - 1, 10, 1)
        frames.append(
            pd.DataFrame(
                {
                    "lea": ret.lea,
                    "year": ret.year,
                    "person": w["person"].to_numpy(),
                    "start": w["start"].fillna(first_day).to_numpy(),
                    "start_estimated": w["start"].isna().to_numpy(),
                    "end": w["end"].to_numpy(),
                    "fte": w["fte"].to_numpy(),
                    "org_role": w["org_role"].to_numpy(),
                    "start_origin": w["start_origin"].to_numpy(),
                    "reason_leave": w["reason_leave"].to_numpy(),
                    "ref": pd.Timestamp(ret.reference_date),
                }
            )
        )
    columns = ["lea", "year", "person", "start", "start_estimated", "end", "fte", "org_role", "start_origin",
               "reason_leave", "ref"]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)


def _label(codes: pd.Series, labels: dict) -> pd.Series:
    return codes.map(lambda c: labels.get(int(c), NOT_KNOWN) if pd.notna(c) else NOT_KNOWN)


def employment_histories(returns: list[CensusReturn]) -> pd.DataFrame:
    """One row per employment across ``returns`` (one or more authorities and years), in
    staff.csv's columns (see the module for the linking rules), sorted by start date."""
    records = _records(returns)
    if records.empty:
        return pd.DataFrame(columns=COLUMNS)
    key = ["lea", "person", "start"]
    records = records.sort_values([*key, "year"], kind="stable")
    spans = records.groupby(key, sort=False).agg(first_year=("year", "min"), last_year=("year", "max"))
    latest = records.drop_duplicates(key, keep="last").set_index(key)
    first_origin = records.dropna(subset=["start_origin"]).drop_duplicates(key, keep="first").set_index(key)
    spells = latest.join(spans)
    spells["start_origin"] = first_origin["start_origin"].reindex(spells.index).fillna(spells["start_origin"])
    spells = spells.reset_index()
    untraced = _untraced(spells, returns)
    next_ref = spells["last_year"].map(lambda y: pd.Timestamp(date(int(y) + 1, 9, 30)))
    spells["end"] = spells["end"].where(~untraced, next_ref)
    reason = _label(spells["reason_leave"], REASONS).where(spells["end"].notna(), np.nan)
    person_ids = pd.factorize(spells["lea"].astype(str) + ":" + spells["person"].astype(str))[0] + 1
    out = pd.DataFrame(
        {
            "staff_id": [f"W{i:06d}" for i in person_ids],
            "role": _label(spells["org_role"], ORG_ROLES),
            "role_group": spells["org_role"].map(ROLE_GROUP_OF_ORG_ROLE).fillna("other"),
            "team": "",
            "area": spells["lea"].astype(str),
            "fte": spells["fte"].astype(float),
            "start_date": pd.to_datetime(spells["start"]),
            "leave_date": pd.to_datetime(spells["end"]),
            "leaving_reason": reason.where(~untraced, UNTRACED),
            "entry_route": _label(spells["start_origin"], ORIGINS),
            "qualified_date": pd.NaT,
            "start_estimated": spells["start_estimated"].astype(bool),
            "first_year": spells["first_year"].astype(int),
            "last_year": spells["last_year"].astype(int),
        }
    )
    return out.sort_values(["start_date", "staff_id"], ignore_index=True)


def _untraced(spells: pd.DataFrame, returns: list[CensusReturn]) -> pd.Series:
    """Employments in post at their last return's 30 September whose authority sent a return the
    following year that does not list them."""
    years = {(r.lea, r.year) for r in returns}
    in_post_at_last = spells["end"].isna() | (spells["end"] > spells["ref"])
    has_next = pd.Series([(lea, y + 1) in years for lea, y in zip(spells["lea"], spells["last_year"], strict=True)],
                         index=spells.index)
    return in_post_at_last & has_next


def history_window(returns: list[CensusReturn]) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The period the linked returns observe: 1 October before the first census year to the last
    30 September. Leavers before it are unknown (pass its start as ``observed_from``)."""
    first = min(r.year for r in returns)
    last = max(r.reference_date for r in returns)
    return pd.Timestamp(first - 1, 10, 1), pd.Timestamp(last)


def linking_summary(histories: pd.DataFrame) -> pd.DataFrame:
    """Per authority (``area``): employments, people, spells seen in more than one return, and
    untraced employments (in post one year, missing the next)."""
    if histories.empty:
        return pd.DataFrame(columns=["authority", "employments", "people", "linked", "untraced"])
    grouped = histories.groupby("area", sort=True)
    return pd.DataFrame(
        {
            "employments": grouped.size(),
            "people": grouped["staff_id"].nunique(),
            "linked": grouped.apply(lambda g: int((g["last_year"] > g["first_year"]).sum()), include_groups=False),
            "untraced": grouped.apply(lambda g: int((g["leaving_reason"] == UNTRACED).sum()), include_groups=False),
        }
    ).rename_axis("authority").reset_index()


def linking_sentence(histories: pd.DataFrame, returns: list[CensusReturn], disclosure=None) -> str:
    """The linked histories in words: period, people, roles, roles seen in more than one return,
    and untraced roles (each count through ``disclosure``: "fewer than 5" when hidden)."""
    from ..disclosure import NOT_PUBLISHED
    from ..periods import long_date

    disclosure = disclosure or NOT_PUBLISHED
    first, last = history_window(returns)
    linked = linking_summary(histories)
    totals = {c: int(linked[c].sum()) for c in ("people", "employments", "linked", "untraced")}

    def n(key: str) -> str:
        return disclosure.words(totals[key], f"{totals[key]:,}")

    text = (
        f"Linked by person across the returns ({long_date(first)} to {long_date(last)}): {n('people')} people in "
        f"{n('employments')} roles, {n('linked')} of them seen in more than one return. "
    )
    if totals["untraced"]:
        text += (
            f"{n('untraced')} were in post one year and missing from the next return (neither in post nor a "
            "leaver); they are counted as leaving by the next 30 September."
        )
    else:
        text += "Everyone in post one year is in the next return, in post or as a leaver."
    return text + " The same measures as for staff.csv follow."
