"""Careers and person-years: staff.csv spells turned into one row per person per service year.

A career is a chain of employments of one ``staff_id`` where each next employment starts no later
than :data:`workforce_lib.turnover.MOVE_GAP_DAYS` days after the previous one ends (the same rule
as :func:`workforce_lib.turnover.internal_moves`: a promotion or a change of team is a move, not a
leaver). Service runs from the career's first start; a return after a longer gap is a new career.

A person-year is one service year of a career: from anniversary ``a_k`` = career start + k years
to ``a_(k+1)``. Its grade is the grade on ``a_k`` (title of the employment held, years since
qualifying on that day); its outcome is the grade on ``a_(k+1)`` if the career is still in post
then (a career ending on a date is out of post on it, as in :mod:`workforce_lib.turnover`), else
"leave". Only service years that end on or before ``as_of`` are kept, so every outcome is known and
stayers are not lost to censoring. This is the anniversary (cohort) method of estimating manpower
flows (Bartholomew, Forbes & McClean, "Statistical Techniques for Manpower Planning", 2nd ed.,
1991, ch. 2): the first-year leaving rate is then exactly the share of recruits gone within a year.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..turnover import MOVE_GAP_DAYS, internal_moves
from .bands import DEFAULT_BANDS, ServiceBands
from .grades import GradeLadder, grade_codes, kmtp_ladder

OUTCOMES = ("stay", "promote", "other move", "leave", "not mapped")


def careers(staff: pd.DataFrame, gap_days: int = MOVE_GAP_DAYS) -> pd.DataFrame:
    """staff.csv with ``career`` (an integer id), ``career_start`` and ``career_end`` (NaT = in post).

    An employment that ended in a move (:func:`workforce_lib.turnover.internal_moves`) continues its
    career into the next employment of the same staff_id.
    """
    staff = staff.reset_index(drop=True)
    moved = internal_moves(staff, gap_days)
    ids = staff["staff_id"].astype(str).to_numpy()
    starts = staff["start_date"].to_numpy(dtype="datetime64[ns]")
    order = np.lexsort((starts, ids))
    moved_sorted = moved[order]
    new_career = np.ones(len(order), dtype=bool)
    new_career[1:] = ~moved_sorted[:-1] | (ids[order][1:] != ids[order][:-1])
    career_sorted = np.cumsum(new_career) - 1
    career = np.empty(len(order), dtype=np.int64)
    career[order] = career_sorted
    frame = staff.assign(career=career)
    first = frame.groupby("career")["start_date"].transform("min")
    leave = frame["leave_date"]
    open_ = leave.isna().groupby(frame["career"]).transform("any")
    last = leave.groupby(frame["career"]).transform("max")
    return frame.assign(career_start=first, career_end=last.where(~open_))


def _add_years(dates: np.ndarray, years: np.ndarray) -> np.ndarray:
    """dates + whole years (29 February becomes 28 February in other years)."""
    d = pd.DatetimeIndex(dates)
    year = d.year.to_numpy() + years
    month, day = d.month.to_numpy(), d.day.to_numpy()
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    day = np.where((month == 2) & (day == 29) & ~leap, 28, day)
    return pd.to_datetime({"year": year, "month": month, "day": day}).to_numpy(dtype="datetime64[ns]")


def _grade_on(frame: pd.DataFrame, career: np.ndarray, when: np.ndarray, ladder: GradeLadder) -> np.ndarray:
    """Grade index of each (career, date): the career's latest employment started on or before the date."""
    keys = frame["career"].to_numpy()
    starts = frame["start_date"].to_numpy(dtype="datetime64[ns]")
    order = np.lexsort((starts, keys))
    k_sorted, s_sorted = keys[order], starts[order]
    lo = np.searchsorted(k_sorted, career, side="left")
    hi = np.searchsorted(k_sorted, career, side="right")
    # Careers are short (a handful of employments): step through the longest chain, keeping the
    # last employment that started on or before the date (the first one if none has yet).
    pos = lo.copy()
    longest = int((hi - lo).max()) if len(career) else 0
    for step in range(1, longest):
        nxt = lo + step
        ok = (nxt < hi) & (s_sorted[np.minimum(nxt, len(s_sorted) - 1)] <= when)
        pos = np.where(ok, nxt, pos)
    rows = order[pos]
    sub = frame.iloc[rows]
    qualified = sub["qualified_date"] if "qualified_date" in sub.columns else sub["start_date"]
    since = qualified.where(qualified.notna(), sub["start_date"]).to_numpy(dtype="datetime64[ns]")
    years = (when - since) / np.timedelta64(1, "D") / 365.25
    return grade_codes(sub["role"].to_numpy(), years, ladder, sub["org_role"].to_numpy() if "org_role" in sub else None)


def person_years(
    staff: pd.DataFrame,
    ladder: GradeLadder | None = None,
    start=None,
    end=None,
    as_of=None,
    bands: ServiceBands = DEFAULT_BANDS,
    year_start_month: int = 4,
    gap_days: int = MOVE_GAP_DAYS,
) -> pd.DataFrame:
    """One row per career service year starting in [start, end) and ending on or before as_of.

    Columns: career, staff_id, year (the year, starting in month ``year_start_month``, in which the
    service year starts: 4 = financial years, 2014 = April 2014 - March 2015), anniversary,
    service_year (completed years at its start, capped at the last band's start), band, grade_from,
    grade_to (None for leavers and titles not mapped), outcome (stay / promote / other move / leave /
    not mapped), fte. ``as_of`` defaults to the latest date in staff.csv; start and end default to
    the five years before it.
    """
    ladder = ladder or kmtp_ladder()
    frame = careers(staff, gap_days)
    latest = (
        max(frame["start_date"].max(), frame["leave_date"].max())
        if frame["leave_date"].notna().any()
        else frame["start_date"].max()
    )
    as_of = pd.Timestamp(latest if as_of is None else as_of).normalize()
    end = as_of if end is None else pd.Timestamp(end)
    start = end - pd.DateOffset(years=5) if start is None else pd.Timestamp(start)
    first = frame.groupby("career").agg(
        career_start=("career_start", "first"),
        career_end=("career_end", "first"),
        staff_id=("staff_id", "first"),
    )
    last_fte = frame.sort_values("start_date").groupby("career")["fte"].last() if "fte" in frame else None
    c_start = first["career_start"].to_numpy(dtype="datetime64[ns]")
    c_end = first["career_end"].to_numpy(dtype="datetime64[ns]")
    # Service years k with a_k in [start, end) and a_(k+1) <= as_of and the career in post on a_k.
    start_years = pd.DatetimeIndex(c_start).year.to_numpy()
    years_from = np.maximum(0, start.year - start_years - 1)
    stop = np.where(np.isnat(c_end), np.datetime64(as_of), np.minimum(c_end, np.datetime64(as_of)))
    n_max = np.maximum(0, pd.DatetimeIndex(stop).year.to_numpy() - start_years + 1 - years_from)
    counts = n_max.astype(np.int64)
    idx = np.repeat(np.arange(len(first)), counts)
    k = years_from[idx] + (np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts))
    a_k = _add_years(c_start[idx], k)
    a_next = _add_years(c_start[idx], k + 1)
    end_idx = c_end[idx]
    in_post_at_start = np.isnat(end_idx) | (end_idx > a_k)
    keep = (
        in_post_at_start & (a_k >= np.datetime64(start)) & (a_k < np.datetime64(end)) & (a_next <= np.datetime64(as_of))
    )
    idx, k, a_k, a_next, end_idx = idx[keep], k[keep], a_k[keep], a_next[keep], end_idx[keep]
    career_ids = first.index.to_numpy()[idx]
    left = ~np.isnat(end_idx) & (end_idx <= a_next)
    g_from = _grade_on(frame, career_ids, a_k, ladder)
    g_to = np.where(left, -1, _grade_on(frame, career_ids, a_next, ladder)) if len(idx) else np.zeros(0, dtype=int)
    outcome = np.select(
        [g_from < 0, left, g_to < 0, g_to == g_from, g_to == g_from + 1],
        ["not mapped", "leave", "not mapped", "stay", "promote"],
        "other move",
    )
    names = np.array(ladder.names + [None], dtype=object)
    service = bands.year_of(k)
    anniversary = pd.DatetimeIndex(a_k)
    year = anniversary.year - (anniversary.month < year_start_month)
    return pd.DataFrame(
        {
            "career": career_ids,
            "staff_id": first["staff_id"].to_numpy()[idx],
            "year": np.asarray(year, dtype=np.int64),
            "anniversary": anniversary,
            "service_year": service,
            "band": np.array(bands.labels, dtype=object)[bands.band_of_year()[service]],
            "grade_from": names[g_from],
            "grade_to": names[np.where(left, -1, g_to)],
            "outcome": outcome,
            "fte": last_fte.to_numpy()[idx] if last_fte is not None else 1.0,
        }
    )
