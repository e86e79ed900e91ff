"""Retention: how long employments last (Kaplan-Meier), and the experience mix of caseholders.

Survival of employments is estimated with lifelines' Kaplan-Meier fitter: each employment's
duration runs from start_date to leave_date, or to as_of for staff still in post, who are
right-censored (they have not left *yet*; they are never counted as leavers). Employments that
start after as_of are left out, and a leave after as_of counts as still in post on as_of.

HR extracts usually hold only employments still open at the start of the extract window, so
those that began earlier enter the data late (left truncation). Employments that started before
``observed_from`` enter the risk set at that date (lifelines' ``entry``); by default
``observed_from`` is the earliest leave date recorded, before which no leaver was kept.

Small authorities: the rules for groups the data cannot fully support
----------------------------------------------------------------------
Every group gets a row (or a curve); what could not be estimated is said in words, in
``fit_note`` and ``median_text``, never as ``inf`` or an exception.

1. **Late entry that the data cannot carry.** With few employments, everyone at risk can have
   left before the late entrants enter (the risk set empties and refills), and lifelines refuses
   the truncated fit (``StatError``: "too few early truncation times"; likewise
   ``ConvergenceError`` or ``ValueError``). The group is then estimated *without* late entry
   (everyone at risk from their start) and ``fit_note`` says so: "too few early employments to
   allow for late entry; estimated without it, so it may overstate how long employments last".
   That is the direction of the error: counting late entrants as at risk from year 0 only adds
   to the numbers at risk, so the untruncated curve is never below the truncated one.
   A group with no leavers needs no note: its curve is 1.0 either way.
2. **No leavers.** The share still in post is 1.0 throughout the observed service and the
   median is *not reached*: "more than N years".
3. **Fewer than ``min_leavers`` leavers** (default 5; but at least one). The curve and the shares
   still in post are still given (with wide confidence bands), but the median and its
   confidence interval are NaN and ``fit_note`` and ``median_text`` say "too few leavers to
   estimate".
4. **Beyond the data.** The Kaplan-Meier curve stops at the longest observed service, so a share
   still in post after more years than that is NaN, not the curve's last value carried on.

How a median is worded (:func:`describe_median`; one decimal place):

* reached: "4.2 years (95% CI 3.1 to 5.6)"; if the upper confidence limit is never reached,
  "4.2 years (95% CI from 3.1 years; upper limit not reached)" and ``median_ci_upper`` is NaN;
* not reached (more than half still in post at the longest observed service): "more than N
  years", N the longest observed service rounded down to whole years (a service within a day of
  a whole year counts as that year, for leap days), "more than 1 year"; under a year, "more
  than M months"; under a month, "not reached yet"; ``median_years`` is NaN, never ``inf``;
* not estimated: the reason, e.g. "too few leavers to estimate".

Experience mix (Kent 2011 paper): no more than 15% of caseholders should have under two years'
post-qualification experience. Experience runs from qualified_date, or from start_date for NQSW
entrants whose qualified_date is blank.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from .disclosure import Disclosed, Disclosure
from .roles import with_role_group
from .targets import above_target

DAYS_PER_YEAR = 365.25
RETENTION_YEARS = (1, 2, 3, 5)
EXPERIENCE_CEILING = 0.15
#: Fewest leavers in a group for its median length of service to be estimated.
MIN_LEAVERS = 5

TOO_FEW_LEAVERS = "too few leavers to estimate"
LATE_ENTRY_DROPPED = (
    "too few early employments to allow for late entry; estimated without it, "
    "so it may overstate how long employments last"
)
NOT_ESTIMATED = "could not be estimated from these records"
NO_EMPLOYMENTS = "no employments to estimate from"

ABOVE_CEILING = "above the ceiling"
WITHIN_CEILING = "within the ceiling"
UNKNOWN = "unknown"


def durations(staff: pd.DataFrame, as_of, observed_from="auto") -> pd.DataFrame:
    """Employments started by as_of: duration in years, whether they ended (left), and the
    years of service at which each entered observation (0 unless it began before observed_from).
    """
    as_of = pd.Timestamp(as_of)
    started = staff[staff["start_date"] <= as_of]
    from .turnover import internal_moves

    ended = started["leave_date"].notna() & (started["leave_date"] <= as_of)
    end = started["leave_date"].where(ended, as_of)
    # An employment ended by a move within the authority is censored at the move, not a leaver.
    left = ended & ~internal_moves(started)
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
    """Kaplan-Meier fit with late entry; ``(fitter, note)``, the fallback as in the module docstring.

    The fitter is None (and the note says why) only when no fit at all is possible.
    """
    from lifelines import KaplanMeierFitter
    from lifelines.exceptions import ConvergenceError, StatError

    failures = (StatError, ConvergenceError, ValueError)
    duration = frame["duration_years"].to_numpy(dtype=float)
    left = frame["left"].to_numpy(dtype=bool)
    try:
        fitter = KaplanMeierFitter(label=label)
        fitter.fit(duration, event_observed=left, entry=frame["entry_years"].to_numpy(dtype=float))
        return fitter, ""
    except failures:
        pass
    try:
        fitter = KaplanMeierFitter(label=label)
        fitter.fit(duration, event_observed=left)
    except failures:
        return None, NOT_ESTIMATED
    return fitter, (LATE_ENTRY_DROPPED if left.any() else "")


def _join(*notes: str) -> str:
    return "; ".join(n for n in notes if n)


def survival_curves(
    staff: pd.DataFrame, as_of, by: str = "entry_route", min_group: int = 1, observed_from="auto"
) -> pd.DataFrame:
    """Kaplan-Meier share still in post by years of service, per group, with 95% confidence band.

    Tidy frame: group, years, still_in_post, ci_lower, ci_upper, fit_note. Groups with fewer than
    ``min_group`` employments are left out. ``fit_note`` is blank, or says the group was estimated
    without late entry (see the module docstring); a group no fit is possible for is left out.
    If no employment had started by as_of, the frame is empty (same columns): check ``.empty``
    before drawing.
    """
    data = durations(with_role_group(staff) if by == "role_group" else staff, as_of, observed_from)
    frames = []
    for group, part in data.groupby(by, sort=True):
        if len(part) < min_group:
            continue
        fitter, note = _fit(part, str(group))
        if fitter is None:
            continue
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
                    "fit_note": note,
                }
            )
        )
    if not frames:
        return pd.DataFrame(columns=[by, "years", "still_in_post", "ci_lower", "ci_upper", "fit_note"])
    return pd.concat(frames, ignore_index=True)


def _finite(value) -> float:
    value = float(value)
    return value if math.isfinite(value) else np.nan


def _whole(value: float, per_year: int) -> int:
    """Whole years (per_year=1) or months (12) in ``value`` years, a day's tolerance for leap days."""
    return math.floor((value + 1 / DAYS_PER_YEAR) * per_year)


def describe_median(
    median_years: float,
    ci_lower: float = np.nan,
    ci_upper: float = np.nan,
    longest_years: float = np.nan,
    reason: str = "",
) -> str:
    """The median length of service in words, for sentences and tables (never "inf").

    Rules, in order:

    1. ``reason`` given (the median was not estimated): the reason, e.g. "too few leavers to
       estimate".
    2. A finite median: "4.2 years (95% CI 3.1 to 5.6)", one decimal place. An upper limit that is
       NaN or inf was never reached: "4.2 years (95% CI from 3.1 years; upper limit not reached)".
       No finite lower limit: "4.2 years (95% CI not available)".
    3. Otherwise (NaN or inf: the curve never falls to a half) the median is beyond the longest
       observed service: "more than N years", N = ``longest_years`` rounded down to whole years
       (within a day of a whole year counts as it); "more than 1 year"; under a year "more than
       M months"; under a month, or ``longest_years`` unknown, "not reached yet".

    Examples
    --------
    >>> describe_median(4.2, 3.1, 5.6)
    '4.2 years (95% CI 3.1 to 5.6)'
    >>> describe_median(float("inf"), 7.0, float("inf"), longest_years=9.7)
    'more than 9 years'
    """
    if reason:
        return reason
    median, lower, upper = _finite(median_years), _finite(ci_lower), _finite(ci_upper)
    if not np.isnan(median):
        if np.isnan(lower):
            return f"{median:.1f} years (95% CI not available)"
        if np.isnan(upper):
            return f"{median:.1f} years (95% CI from {lower:.1f} years; upper limit not reached)"
        return f"{median:.1f} years (95% CI {lower:.1f} to {upper:.1f})"
    longest = _finite(longest_years)
    if np.isnan(longest):
        return "not reached yet"
    years = _whole(longest, 1)
    if years >= 1:
        return f"more than {years} year{'s' if years > 1 else ''}"
    months = _whole(longest, 12)
    if months >= 1:
        return f"more than {months} month{'s' if months > 1 else ''}"
    return "not reached yet"


def _summary_columns(key: str, years: Sequence[float]) -> list[str]:
    return [
        key,
        "employments",
        "leavers",
        "median_years",
        "median_ci_lower",
        "median_ci_upper",
        "longest_years",
        *[f"still_in_post_{y:g}y" for y in years],
        "median_reached",
        "median_text",
        "fit_note",
    ]


def _first_at_or_below(curve: pd.Series, q: float = 0.5) -> float:
    """First time a step curve is at or below q (inf if never); float noise in S is ignored.

    lifelines multiplies the steps as exp(sum of logs), so 5/6 x 4/5 x 3/4 comes out a hair above
    0.5 and its own median skips to the next leaving time; a tolerance of 1e-9 keeps the hand
    definition (the first time S(t) <= 0.5).
    """
    hit = curve.to_numpy(dtype=float) <= q + 1e-9
    return float(curve.index[hit.argmax()]) if hit.any() else np.inf


def _summary_row(part: pd.DataFrame, label: str, years: Sequence[float], min_leavers: int) -> dict:
    leavers = int(part["left"].sum())
    longest = float(part["duration_years"].max()) if len(part) else np.nan
    row: dict = {"employments": len(part), "leavers": leavers, "longest_years": longest}
    unknown = {"median_years": np.nan, "median_ci_lower": np.nan, "median_ci_upper": np.nan, "median_reached": pd.NA}
    fitter, note = _fit(part, label) if len(part) else (None, NO_EMPLOYMENTS)
    if fitter is None:
        row.update(unknown, median_text=note, fit_note=note)
        row.update({f"still_in_post_{y:g}y": np.nan for y in years})
        return row
    predicted = np.atleast_1d(fitter.predict(list(years)))
    for y, value in zip(years, predicted, strict=True):
        row[f"still_in_post_{y:g}y"] = float(value) if y <= longest else np.nan
    if 0 < leavers < max(min_leavers, 1):
        row.update(unknown, median_text=TOO_FEW_LEAVERS, fit_note=_join(note, TOO_FEW_LEAVERS))
        return row
    median = _first_at_or_below(fitter.survival_function_.iloc[:, 0])
    band = fitter.confidence_interval_survival_function_
    lower, upper = _first_at_or_below(band.iloc[:, 0]), _first_at_or_below(band.iloc[:, 1])
    row.update(
        median_years=_finite(median),
        median_ci_lower=_finite(lower),
        median_ci_upper=_finite(upper),
        median_reached=math.isfinite(median),
        median_text=describe_median(median, lower, upper, longest),
        fit_note=note,
    )
    return row


def retention_summary(
    staff: pd.DataFrame,
    as_of,
    by: str | None = "entry_route",
    years: Sequence[float] = RETENTION_YEARS,
    observed_from="auto",
    min_leavers: int = MIN_LEAVERS,
) -> pd.DataFrame:
    """Per group: employments, leavers, median length of service (95% CI) and share still in post
    after each of ``years`` (Kaplan-Meier; staff still in post are censored at as_of).

    The median is the first time the Kaplan-Meier curve S(t) falls to 0.5 or below (lifelines'
    convention; a curve exactly at 0.5 counts as there, despite float noise); its 95% confidence
    interval runs from where the lower 95% band of S(t) first does to where the upper band does.

    Parameters
    ----------
    staff : staff.csv frame (start_date, leave_date and the ``by`` column).
    as_of : the date of the extract; later leaves count as still in post.
    by : column to group by (``role_group`` is derived from role); None for one row, "All staff".
    years : service lengths for the ``still_in_post_<y>y`` columns.
    observed_from : when leavers start to be recorded ("auto": the first leave date; None: no
        late entry).
    min_leavers : fewest leavers for a median to be estimated (default 5).

    Returns
    -------
    DataFrame, one row per group: employments, leavers, median_years, median_ci_lower,
    median_ci_upper (NaN, never inf, when not reached or not estimated), longest_years,
    still_in_post_<y>y (NaN beyond longest_years), median_reached (nullable boolean: NA when not
    estimated), median_text (the median in words: print this, see :func:`describe_median`) and
    fit_note (blank, or what the estimate could not allow for; rules in the module docstring).
    With ``by=None`` and no employments started by as_of, the row has 0 employments and the
    note "no employments to estimate from".
    """
    key = by or "group"
    data = durations(with_role_group(staff) if by == "role_group" else staff, as_of, observed_from)
    groups = data.groupby(by, sort=True) if by else [("All staff", data)]
    rows = [{key: group, **_summary_row(part, str(group), years, min_leavers)} for group, part in groups]
    frame = pd.DataFrame(rows, columns=_summary_columns(key, years))
    frame["median_reached"] = frame["median_reached"].astype("boolean")
    return frame


def years_qualified(staff: pd.DataFrame, as_of) -> pd.Series:
    """Years since qualification on as_of: from qualified_date, else start_date for NQSW entrants.

    NaN for staff with neither (an experienced entrant whose qualified_date is blank).
    """
    as_of = pd.Timestamp(as_of)
    since = staff["qualified_date"]
    nqsw = staff["entry_route"].astype(str).str.upper().eq("NQSW")
    since = since.where(since.notna() | ~nqsw, staff["start_date"])
    return (as_of - since).dt.days / DAYS_PER_YEAR


def ceiling_status(share: float, ceiling: float = EXPERIENCE_CEILING) -> str:
    """Where a share stands against the ceiling, in words.

    "above the ceiling" when share > ceiling; "within the ceiling" when share <= ceiling (Kent 2011:
    *at most* 15%); "unknown" when share is NaN (no caseholders, or nobody's experience known).
    """
    if share is None or pd.isna(share):
        return UNKNOWN
    return ABOVE_CEILING if above_target(share, ceiling) else WITHIN_CEILING


def experience_mix(
    staff: pd.DataFrame, as_of, ceiling: float = EXPERIENCE_CEILING, by: Sequence[str] | None = None
) -> pd.DataFrame:
    """Share of caseholders in post on as_of with under two years since qualifying, against the ceiling.

    share = caseholders in post with < 2 years' post-qualification experience / caseholders in
    post whose experience is known (headcount). Kent 2011: the optimum is at most 15%.

    Returns
    -------
    DataFrame, one row per group (one row when ``by`` is None): caseholders, experience_known,
    under_two_years, under_two_years_share (NaN when no experience is known), ceiling,
    above_ceiling (nullable boolean: NA when the share is unknown) and status ("above the
    ceiling", "within the ceiling" or "unknown"; see :func:`ceiling_status`). With no caseholders
    in post the single row has caseholders 0 and status "unknown" (with ``by``, no rows).
    """
    as_of = pd.Timestamp(as_of)
    frame = with_role_group(staff)
    in_post = (frame["start_date"] <= as_of) & (frame["leave_date"].isna() | (frame["leave_date"] > as_of))
    caseholders = frame[in_post & (frame["role_group"] == "caseholder")]
    experience = years_qualified(caseholders, as_of)
    data = caseholders.assign(known=experience.notna(), under_two=experience < 2)
    keys = list(by or [])
    grouped = data.groupby(keys, sort=True) if keys else [((), data)]
    rows = []
    for key, part in grouped:
        known = int(part["known"].sum())
        under = int(part["under_two"].sum())
        share = under / known if known else np.nan
        status = ceiling_status(share, ceiling)
        row = dict(zip(keys, key if isinstance(key, tuple) else (key,), strict=False))
        row.update(
            {
                "caseholders": len(part),
                "experience_known": known,
                "under_two_years": under,
                "under_two_years_share": share,
                "ceiling": ceiling,
                "above_ceiling": pd.NA if status == UNKNOWN else status == ABOVE_CEILING,
                "status": status,
            }
        )
        rows.append(row)
    columns = [*keys, "caseholders", "experience_known", "under_two_years", "under_two_years_share"]
    columns += ["ceiling", "above_ceiling", "status"]
    result = pd.DataFrame(rows, columns=columns)
    result["above_ceiling"] = result["above_ceiling"].astype("boolean")
    return result


def disclosed_summary(summary: pd.DataFrame, disclosure: Disclosure) -> Disclosed:
    """:func:`retention_summary` output suppressed for publication: employments and leavers are
    people, adding up over groups to published totals; the median and the shares still in post
    rest on both, so they go with either."""
    resting = ("employments", "leavers")
    estimates = ["median_text", "median_years", "median_ci_lower", "median_ci_upper", "longest_years", "fit_note"]
    estimates += [c for c in summary.columns if c.startswith("still_in_post_")]
    return disclosure.table(summary, counts=resting, rates={c: resting for c in estimates}, column_totals=resting)


def disclosed_mix(mix: pd.DataFrame, disclosure: Disclosure) -> Disclosed:
    """:func:`experience_mix` output suppressed for publication: caseholders, those whose experience
    is known and those under two years are people, and so are the differences between them (over
    two years; experience unknown); the share and the status rest on them."""
    people = ("caseholders", "experience_known", "under_two_years")
    return disclosure.table(
        mix,
        counts=people,
        differences=[("experience_known", "under_two_years"), ("caseholders", "experience_known")],
        rates={c: people for c in ("under_two_years_share", "above_ceiling", "status")},
    )
