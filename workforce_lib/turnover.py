"""Turnover: staff in post, leavers, turnover rates, stability, leavers by reason and service.

Definitions (the workbench's, following the Kent papers; DfE's own measures, taken at 30 September
rather than over an average, are in :mod:`workforce_lib.census.measures`):

* An employment is in post on date d when ``start_date <= d`` and (``leave_date`` is blank or
  ``leave_date > d``). A leaver in a period (start, end] has ``start < leave_date <= end``.
* Average staff in post over a period = mean of the number in post at the period start and at
  each month end inside it, the period end included (13 points for a year).
* Turnover rate = leavers in the period / average staff in post over the period, by headcount or
  by FTE (say which). A part-year rate is annualised by scaling to 12 months, and labelled so.
* Stability index = people in post now who were in post a year ago / people in post a year ago
  (by ``staff_id``, so a promotion or a change of team keeps a person stable).
* A move within the authority is not a leaver: an employment whose ``staff_id`` starts another
  employment within :data:`MOVE_GAP_DAYS` days of its leave date (a promotion, a new team) ended
  in a move (:func:`internal_moves`). DfE does not count moves within children's social work as
  leavers either (CSWW guidance).

Small or empty groups (any council, however small): every group found in staff.csv gets a row. A
rate whose denominator is zero (nobody in post over the period, or nobody a year ago) is NaN,
never inf and never an exception part-way through a table; no leavers is a count of 0 and a rate
of 0; a share of leavers when nobody left is NaN. A rate above 100% is possible (more leavers than
the average in post, as when everybody left early in the period) and is reported as it is.

Everything rests on :func:`stock_and_flows`, which counts in post at any dates and leavers
between them for every group at once (vectorised: a million employments in well under a second).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .disclosure import Disclosed, Disclosure
from .roles import with_role_group

#: Length-of-service bands for leavers (years), as committee papers group them.
SERVICE_BANDS: tuple[tuple[str, float, float], ...] = (
    ("under 1 year", 0, 1),
    ("1-2 years", 1, 2),
    ("2-3 years", 2, 3),
    ("3-5 years", 3, 5),
    ("5-10 years", 5, 10),
    ("10 years or more", 10, np.inf),
)
MEASURES = ("headcount", "fte")
#: Days between leaving one employment and starting the next that still make it a move, not a leaver.
MOVE_GAP_DAYS = 7
DAYS_PER_YEAR = 365.25


class NobodyInPostError(ValueError):
    """Nobody at all was in post for a turnover rate or stability index (raised with ``strict=True``)."""


def internal_moves(staff: pd.DataFrame, gap_days: int = MOVE_GAP_DAYS) -> np.ndarray:
    """For each employment, whether it ended in a move within the authority: the same ``staff_id``
    starts another employment after this one started and no later than ``gap_days`` after it ended."""
    if staff.empty or "staff_id" not in staff.columns:
        return np.zeros(len(staff), dtype=bool)
    order = np.lexsort((staff["start_date"].to_numpy(dtype="datetime64[ns]"), staff["staff_id"].astype(str).to_numpy()))
    ids = staff["staff_id"].astype(str).to_numpy()[order]
    starts = staff["start_date"].to_numpy(dtype="datetime64[ns]")[order]
    leaves = staff["leave_date"].to_numpy(dtype="datetime64[ns]")[order]
    same_next = np.append(ids[1:] == ids[:-1], False)
    next_start = np.append(starts[1:], np.datetime64("NaT"))
    gap = np.timedelta64(gap_days, "D")
    with np.errstate(invalid="ignore"):
        moved_sorted = same_next & ~np.isnat(leaves) & (next_start >= starts) & (next_start <= leaves + gap)
    moved = np.zeros(len(staff), dtype=bool)
    moved[order] = moved_sorted
    return moved


def _as_timestamp(value) -> pd.Timestamp:
    return pd.Timestamp(value).normalize()


def _groups(staff: pd.DataFrame, by: Sequence[str] | None) -> tuple[np.ndarray, pd.Index]:
    by = list(by or [])
    if not by:
        return np.zeros(len(staff), dtype=np.int64), pd.Index(["All staff"], name="group")
    if any(b == "role_group" for b in by):
        staff = with_role_group(staff)
    missing = [b for b in by if b not in staff.columns]
    if missing:
        raise ValueError(f"cannot group staff by {missing}: staff.csv has columns {list(staff.columns)}")
    if len(by) == 1:
        codes, uniques = pd.factorize(staff[by[0]].fillna("(blank)"), sort=True)
        return codes, pd.Index(uniques, name=by[0])
    if staff.empty:  # no staff at all: no groups (pandas cannot factorize an empty MultiIndex)
        return np.zeros(0, dtype=np.int64), pd.MultiIndex.from_arrays([[] for _ in by], names=by)
    keys = pd.MultiIndex.from_frame(staff[by].fillna("(blank)"))
    codes, uniques = pd.factorize(keys, sort=True)
    return codes, pd.MultiIndex.from_tuples(list(uniques), names=by)


def _weights(staff: pd.DataFrame, measure: str) -> np.ndarray:
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {MEASURES}, not {measure!r}")
    return np.ones(len(staff)) if measure == "headcount" else staff["fte"].to_numpy(dtype=float)


def stock_and_flows(
    staff: pd.DataFrame, dates: Sequence, by: Sequence[str] | None = None, measure: str = "headcount"
) -> tuple[pd.Index, np.ndarray, np.ndarray]:
    """In post at each date and leavers between consecutive dates, per group.

    Returns ``(groups, in_post, leavers)``: ``in_post[g, k]`` is the number (or FTE) in post on
    ``dates[k]``; ``leavers[g, k]`` is the number who left in ``(dates[k-1], dates[k]]``
    (``leavers[:, 0]`` is 0). Dates must be increasing.
    """
    when = pd.DatetimeIndex([_as_timestamp(d) for d in dates])
    if len(when) == 0 or not when.is_monotonic_increasing:
        raise ValueError("dates must be a non-empty increasing sequence")
    if "role_group" in (by or []):
        staff = with_role_group(staff)
    codes, groups = _groups(staff, by)
    weight = _weights(staff, measure)
    d = when.to_numpy(dtype="datetime64[ns]")
    start = staff["start_date"].to_numpy(dtype="datetime64[ns]")
    leave = staff["leave_date"].to_numpy(dtype="datetime64[ns]")
    has_left = ~np.isnat(leave)
    first_in = np.searchsorted(d, start, side="left")  # first date k with d[k] >= start
    first_out = np.where(has_left, np.searchsorted(d, np.where(has_left, leave, d[0]), side="left"), len(d))
    n_groups, n_dates = len(groups), len(d)
    diff = np.zeros((n_groups, n_dates + 1))
    np.add.at(diff, (codes, first_in), weight)
    np.add.at(diff, (codes, first_out), -weight)
    in_post = np.cumsum(diff, axis=1)[:, :n_dates]
    leavers = np.zeros((n_groups, n_dates + 1))
    # A leave on (d[k-1], d[k]] has first_out == k; count k in 1..n_dates-1 only.
    counted = has_left & ~internal_moves(staff) & (first_out >= 1) & (first_out < n_dates)
    np.add.at(leavers, (codes[counted], first_out[counted]), weight[counted])
    return groups, np.round(in_post, 10), leavers[:, :n_dates]


def month_ends_between(start, end) -> list[pd.Timestamp]:
    """The period start, every month end strictly inside (start, end), and the end."""
    start, end = _as_timestamp(start), _as_timestamp(end)
    if end <= start:
        raise ValueError(f"the period must end after it starts ({start.date()} to {end.date()})")
    inside = pd.date_range(start, end, freq="ME")
    inside = [m for m in inside if start < m < end]
    return [start, *inside, end]


def months_between(start, end) -> float:
    """Length of a period in months: whole calendar months when both ends fall on the same day
    of the month or on month ends (31 Dec to 30 Jun is 6), otherwise days / (365.25 / 12)."""
    start, end = _as_timestamp(start), _as_timestamp(end)
    both_month_ends = start.is_month_end and end.is_month_end
    if both_month_ends or start.day == end.day:
        return float((end.year - start.year) * 12 + end.month - start.month)
    return (end - start).days / (DAYS_PER_YEAR / 12)


def staff_in_post(staff: pd.DataFrame, on, by: Sequence[str] | None = None, measure: str = "headcount") -> pd.Series:
    """Staff in post on a date (headcount or FTE), per group."""
    groups, in_post, _ = stock_and_flows(staff, [on], by, measure)
    return pd.Series(in_post[:, 0], index=groups, name=f"in_post_{measure}")


def average_in_post(
    staff: pd.DataFrame, start, end, by: Sequence[str] | None = None, measure: str = "headcount"
) -> pd.Series:
    """Average staff in post over (start, end]: mean of the counts at the start and each month end."""
    groups, in_post, _ = stock_and_flows(staff, month_ends_between(start, end), by, measure)
    return pd.Series(in_post.mean(axis=1), index=groups, name=f"average_in_post_{measure}")


def turnover_rate(
    staff: pd.DataFrame,
    start,
    end,
    by: Sequence[str] | None = None,
    measure: str = "headcount",
    strict: bool = False,
) -> pd.DataFrame:
    """Leavers, average in post and turnover rate over (start, end], per group.

    turnover_rate = leavers / average in post (see the module docstring for both). A period
    shorter than 12 months also gets ``annualised_rate`` = turnover_rate x 12 / months, and
    ``annualised`` = True.

    Parameters
    ----------
    staff : staff.csv frame.
    start, end : the period (start, end].
    by : columns to group by (``role_group`` is derived from role); None for one "All staff" row.
    measure : "headcount" or "fte".
    strict : if True, raise :class:`NobodyInPostError` when nobody at all was in post, rather
        than returning NaN rates.

    Returns
    -------
    DataFrame, one row per group in staff.csv: the group columns, leavers (0 when nobody left),
    average_in_post, measure, months, turnover_rate, annualised, annualised_rate. The rates are
    NaN for a group with nobody in post at the period start or any month end (average_in_post
    0), even if someone joined and left between month ends.
    """
    dates = month_ends_between(start, end)
    groups, in_post, leavers = stock_and_flows(staff, dates, by, measure)
    average = in_post.mean(axis=1)
    left = leavers[:, 1:].sum(axis=1)
    months = months_between(start, end)
    frame = pd.DataFrame(
        {"leavers": left, "average_in_post": average, "measure": measure, "months": months},
        index=groups,
    )
    if strict and not (frame["average_in_post"] > 0).any():
        raise NobodyInPostError(
            f"nobody was in post between {_as_timestamp(start).date()} and {_as_timestamp(end).date()}"
            + (f" in any group of {list(by)}" if by else "")
            + ", so there is no turnover rate"
        )
    frame["turnover_rate"] = frame["leavers"] / frame["average_in_post"].where(frame["average_in_post"] > 0)
    frame["annualised"] = months < 11.9
    frame["annualised_rate"] = frame["turnover_rate"] * (12 / months if months < 11.9 else 1.0)
    return frame.reset_index()


def rolling_turnover(
    staff: pd.DataFrame,
    end,
    n_months: int = 36,
    window_months: int = 12,
    by: Sequence[str] | None = None,
    measure: str = "headcount",
) -> pd.DataFrame:
    """Rolling turnover month by month: for each of ``n_months`` window ends up to ``end``, the
    :func:`turnover_rate` of the ``window_months`` to it (leavers / average in post at the window's
    start and month ends).

    The last window ends on ``end`` itself, so the chart's last point is the table's rate for the
    period the page states (to 28 October 2015, not to 31 October). The earlier windows end one,
    two, ... months before: at month ends when ``end`` is one, else on the same day of the month.

    Returns a tidy frame: month (the window's end), group columns, leavers, average_in_post,
    turnover_rate (NaN where nobody was in post).
    """
    last = _as_timestamp(end)
    if last.is_month_end:
        ends = pd.date_range(end=last, periods=n_months, freq="ME")
    else:
        ends = pd.DatetimeIndex([last - pd.DateOffset(months=k) for k in range(n_months - 1, -1, -1)])
    windows = [month_ends_between(e - pd.DateOffset(months=window_months), e) for e in ends]
    dates = pd.DatetimeIndex(sorted(set().union(*windows)))
    groups, in_post, leavers = stock_and_flows(staff, dates, by, measure)
    # leavers[:, k] counts (dates[k-1], dates[k]]: a window's leavers are a difference of cumulative sums.
    left_cum = np.cumsum(leavers, axis=1)
    left, stock = np.empty((len(groups), n_months)), np.empty((len(groups), n_months))
    for j, window in enumerate(windows):
        index = dates.get_indexer(window)
        left[:, j] = left_cum[:, index[-1]] - left_cum[:, index[0]]
        stock[:, j] = in_post[:, index].mean(axis=1)
    frame = pd.DataFrame(
        {
            "month": np.tile(ends, len(groups)),
            "group": np.repeat(np.arange(len(groups)), n_months),
            "leavers": left.reshape(-1),
            "average_in_post": stock.reshape(-1),
        }
    )
    frame["group"] = np.asarray(groups, dtype=object)[frame["group"].to_numpy()]
    frame["turnover_rate"] = frame["leavers"] / frame["average_in_post"].where(frame["average_in_post"] > 0)
    frame["measure"] = measure
    if by and len(by) > 1:
        frame[list(by)] = pd.DataFrame(frame.pop("group").tolist(), index=frame.index)
    else:
        frame = frame.rename(columns={"group": (by or ["group"])[0]})
    return frame


def stability_index(staff: pd.DataFrame, as_of, by: Sequence[str] | None = None, strict: bool = False) -> pd.DataFrame:
    """Stability index: of those in post a year before as_of, the share still in post at as_of.

    stability_index = headcount of employments in post on both dates / headcount in post a year
    earlier (the usual HR definition, as the CIPD gives it).

    Returns one row per group in staff.csv: in_post_year_ago, still_in_post, stability_index
    (NaN for a group with nobody in post a year earlier, such as a team started since). With
    ``strict=True``, :class:`NobodyInPostError` is raised instead when nobody at all was in post
    a year earlier.
    """
    now = _as_timestamp(as_of)
    year_ago = now - pd.DateOffset(years=1)
    codes, groups = _groups(with_role_group(staff) if "role_group" in (by or []) else staff, by)
    start, leave = staff["start_date"], staff["leave_date"]
    then = (start <= year_ago) & (leave.isna() | (leave > year_ago))
    in_post_now = (start <= now) & (leave.isna() | (leave > now))
    if "staff_id" in staff.columns:  # a person, not an employment: a move within the year keeps them
        ids_now = set(staff.loc[in_post_now, "staff_id"].astype(str))
        still = then & staff["staff_id"].astype(str).isin(ids_now)
    else:
        still = then & (leave.isna() | (leave > now))
    counts = pd.DataFrame({"code": codes, "then": then.to_numpy(), "still": still.to_numpy()})
    sums = counts.groupby("code")[["then", "still"]].sum().reindex(range(len(groups)), fill_value=0)
    frame = pd.DataFrame(
        {"in_post_year_ago": sums["then"].to_numpy(), "still_in_post": sums["still"].to_numpy()}, index=groups
    )
    if strict and not (frame["in_post_year_ago"] > 0).any():
        raise NobodyInPostError(f"nobody was in post on {year_ago.date()}, so there is no stability index")
    frame["stability_index"] = frame["still_in_post"] / frame["in_post_year_ago"].where(frame["in_post_year_ago"] > 0)
    return frame.reset_index()


def leavers_in_period(staff: pd.DataFrame, start, end) -> pd.DataFrame:
    """The employments that ended in (start, end] by leaving (not by a move within the authority),
    with their length of service in years."""
    start, end = _as_timestamp(start), _as_timestamp(end)
    left = staff[(staff["leave_date"] > start) & (staff["leave_date"] <= end) & ~internal_moves(staff)]
    return left.assign(service_years=(left["leave_date"] - left["start_date"]).dt.days / DAYS_PER_YEAR)


def share_of_leavers_under(staff: pd.DataFrame, start, end, years: float) -> float:
    """Share of the leavers in (start, end] with under ``years`` years' service (NaN if none left).

    Kent 2015 update: 25 of 46 leavers had under five years' service.
    """
    left = leavers_in_period(staff, start, end)
    return float((left["service_years"] < years).mean()) if len(left) else float("nan")


def published_share_of_leavers_under(
    staff: pd.DataFrame, start, end, years: float, disclosure: Disclosure
) -> float | str | None:
    """:func:`share_of_leavers_under` for publication: the marker when those under ``years`` or
    those not under are fewer than the threshold (either gives the other away with the total of
    leavers); None when nobody left; else the share rounded to 0.001."""
    left = leavers_in_period(staff, start, end)
    under = int((left["service_years"] < years).sum())
    return disclosure.rate(under / len(left) if len(left) else None, under, len(left) - under)


def service_band(years: pd.Series) -> pd.Series:
    """Length-of-service band of each value in years (see SERVICE_BANDS)."""
    labels = [b[0] for b in SERVICE_BANDS]
    edges = [b[1] for b in SERVICE_BANDS] + [np.inf]
    return pd.cut(years, bins=edges, labels=labels, right=False)


def _shares(counts: pd.Series, name: str) -> pd.DataFrame:
    total = counts.sum()
    frame = counts.rename("leavers").reset_index().rename(columns={"index": name})
    frame["share"] = frame["leavers"] / total if total else np.nan
    return frame


def leavers_by_reason(staff: pd.DataFrame, start, end) -> pd.DataFrame:
    """Leavers in (start, end] by leaving reason, counts and shares, largest first.

    share = leavers with the reason / all leavers; a blank reason is "not recorded". With no
    leavers the frame is empty, with the columns leaving_reason, leavers, share.
    """
    left = leavers_in_period(staff, start, end)
    counts = left["leaving_reason"].fillna("not recorded").value_counts()
    counts.index.name = "leaving_reason"
    return _shares(counts.sort_index().sort_values(ascending=False, kind="stable"), "leaving_reason")


def leavers_by_service(staff: pd.DataFrame, start, end) -> pd.DataFrame:
    """Leavers in (start, end] by length-of-service band, counts and shares, in band order.

    Every band of SERVICE_BANDS has a row; with no leavers each has 0 leavers and share NaN.
    """
    left = leavers_in_period(staff, start, end)
    counts = service_band(left["service_years"]).value_counts(sort=False)
    counts.index = counts.index.astype(str)
    counts.index.name = "service_band"
    return _shares(counts, "service_band")


def recruitment_need(
    staff_in_post: float,
    turnover_rate: float,
    agency_to_replace: float = 0.0,
    round_leavers_to: int = 1,
) -> dict[str, float]:
    """Hires needed in a year: posts to fill to replace agency cover + expected leavers.

    expected leavers = turnover rate x staff in post (rounded to ``round_leavers_to``, as plans
    round: Kent 2011 gives 60 for 15% of its 375.7 caseholder posts); total = agency + leavers.
    Source: Kent cabinet paper, May 2011, "Recruitment Needs" (50 + 60 = 110 caseholders).
    """
    if staff_in_post < 0 or agency_to_replace < 0:
        raise ValueError("staff in post and agency to replace cannot be negative")
    if not 0 <= turnover_rate <= 1:
        raise ValueError(f"turnover rate must be a fraction from 0 to 1, not {turnover_rate}")
    leavers = turnover_rate * staff_in_post
    step = max(int(round_leavers_to), 1)
    leavers_rounded = round(leavers / step) * step
    return {
        "replace_agency": float(agency_to_replace),
        "expected_leavers": float(leavers),
        "replace_leavers": float(leavers_rounded),
        "total": float(agency_to_replace + leavers_rounded),
    }


def year_ahead(
    establishment_fte: float,
    in_post_fte: float,
    turnover_rate: float,
    planned_hires: float,
    vacancy_target: float = 0.10,
) -> dict[str, float]:
    """One year on at a given turnover rate and hiring level (simple annual arithmetic).

    leavers = turnover rate x in post; in post a year on = in post - leavers + planned hires;
    vacancy rate = (establishment - in post) / establishment, now and a year on; hires needed to
    reach the target = (1 - target) x establishment - in post + leavers (never below 0).
    """
    if establishment_fte <= 0:
        raise ValueError("establishment must be above 0 FTE to give a vacancy rate")
    if not 0 <= turnover_rate <= 1:
        raise ValueError(f"turnover rate must be a fraction from 0 to 1, not {turnover_rate}")
    leavers = turnover_rate * in_post_fte
    next_in_post = in_post_fte - leavers + planned_hires
    hires_for_target = max((1 - vacancy_target) * establishment_fte - in_post_fte + leavers, 0.0)
    return {
        "establishment_fte": establishment_fte,
        "in_post_fte": in_post_fte,
        "turnover_rate": turnover_rate,
        "expected_leavers": leavers,
        "planned_hires": planned_hires,
        "in_post_next_year": next_in_post,
        "vacancy_rate_now": (establishment_fte - in_post_fte) / establishment_fte,
        "vacancy_rate_next_year": (establishment_fte - next_in_post) / establishment_fte,
        "hires_to_reach_target": hires_for_target,
    }


def data_end_date(staff: pd.DataFrame) -> pd.Timestamp:
    """The latest date staff.csv knows about (a start or a leave): the default as_of."""
    return max(
        staff["start_date"].max(),
        staff["leave_date"].max(skipna=True) if staff["leave_date"].notna().any() else staff["start_date"].max(),
    )


def planned_hires(plan: pd.DataFrame | None, role_group: str, year: int) -> float:
    """Planned hires of a role group in a plan year (all sources); 0 when the plan has no such year."""
    if plan is None:
        return 0.0
    rows = plan[(plan["role_group"] == role_group) & (plan["year"] == year)]
    return float(rows["planned_hires"].sum())


def disclosed_rates(rates: pd.DataFrame, disclosure: Disclosure) -> Disclosed:
    """:func:`turnover_rate` output suppressed for publication: leavers and the average in post are
    people; the rates rest on both; the leavers of all groups add up to a published total."""
    return disclosure.table(
        rates,
        counts=("leavers", "average_in_post"),
        rates={r: ("leavers", "average_in_post") for r in ("turnover_rate", "annualised_rate")},
        column_totals=("leavers",),
    )


def disclosed_stability(stability: pd.DataFrame, disclosure: Disclosure) -> Disclosed:
    """:func:`stability_index` output suppressed for publication: in post a year ago minus still in
    post is the number who left, so a small difference hides "still in post" and the index."""
    return disclosure.table(
        stability,
        counts=("in_post_year_ago", "still_in_post"),
        differences=[("in_post_year_ago", "still_in_post")],
        rates={"stability_index": ("in_post_year_ago", "still_in_post")},
    )


def disclosed_leavers(breakdown: pd.DataFrame, disclosure: Disclosure) -> Disclosed:
    """Leavers by reason or by length of service, suppressed for publication: the parts add up to
    the published number of leavers, so one small part hides another; shares go with their count."""
    return disclosure.table(breakdown, counts=("leavers",), rates={"share": ("leavers",)}, column_totals=("leavers",))
