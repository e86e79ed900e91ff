"""Vacancy: gross and net of agency cover, for any grouping of a staffing snapshot.

Definitions (Kent 2011 cabinet paper, Appendix 1; the same as DfE's workforce statistics):

* vacancy FTE = establishment FTE - in post FTE
* vacancy rate = vacancy FTE / establishment FTE
* vacancy rate net of agency cover = (establishment - in post - agency) / establishment

Over-filled teams have negative rates; they are shown, never clipped.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

from .disclosure import NOT_PUBLISHED, Disclosed, Disclosure
from .errors import AnalysisError
from .periods import long_date
from .targets import above_target, at_or_under_target

FTE_COLUMNS = ["establishment_fte", "in_post_fte", "agency_fte"]

#: Red/amber/green against the vacancy target: green at or under the target, amber up to this
#: many points above it, red beyond. A workbench convention, not from the papers.
DEFAULT_AMBER_MARGIN = 0.05


def snapshot(staffing: pd.DataFrame, as_of: str | pd.Timestamp | None = None) -> pd.DataFrame:
    """The rows of the latest snapshot on or before ``as_of`` (the latest of all when None)."""
    dates = staffing["as_of"].dropna()
    if as_of is not None and str(as_of) != "":
        when = pd.Timestamp(as_of)
        dates = dates[dates <= when]
        if dates.empty:
            first = staffing["as_of"].min().date().isoformat()
            raise AnalysisError(f"staffing.csv has no snapshot on or before {when.date()}; the first is {first}")
    if dates.empty:
        raise AnalysisError("staffing.csv has no snapshot dates")
    return staffing[staffing["as_of"] == dates.max()].reset_index(drop=True)


def vacancy_rates(frame: pd.DataFrame) -> pd.DataFrame:
    """Add vacancy_fte, vacancy_rate and net_vacancy_rate to a frame of FTE totals.

    vacancy_rate = (establishment - in post) / establishment;
    net_vacancy_rate = (establishment - in post - agency) / establishment (Kent 2011, App. 1).
    A group with no establishment has no rate (NaN), not 0% or infinity.
    """
    out = frame.copy()
    establishment = out["establishment_fte"].astype(float)
    safe = establishment.where(establishment > 0, np.nan)
    out["vacancy_fte"] = establishment - out["in_post_fte"]
    out["vacancy_rate"] = _clean(out["vacancy_fte"] / safe)
    out["net_vacancy_rate"] = _clean((out["vacancy_fte"] - out["agency_fte"]) / safe)
    out["vacancy_fte"] = _clean(out["vacancy_fte"])
    return out


def _clean(values: pd.Series) -> pd.Series:
    """Drop floating-point noise (98.5 - 83.5 - 15.0 is -1.4e-14, shown as '-0.0%') and negative zero."""
    return values.round(10) + 0.0


def vacancy_summary(staffing: pd.DataFrame, by: Sequence[str] = ("role_group",)) -> pd.DataFrame:
    """Establishment, in post, agency and vacancy (gross and net) FTE and rates per group.

    Sums FTE within each group of ``by`` (any of area, team, role_group, as_of) and applies
    :func:`vacancy_rates`. Summing across snapshot dates would double count, so a frame
    holding several dates must either be grouped by ``as_of`` or cut with :func:`snapshot`.

    Examples
    --------
    Kent, 31 March 2011 (Appendix 1): caseholders 375.7 establishment, 318.8 in post,
    53.9 agency give a 15.1% vacancy rate, 0.8% net of agency.
    """
    by = list(by)
    unknown = [c for c in by if c not in staffing.columns]
    if unknown:
        raise AnalysisError(f"cannot group staffing by {unknown}: it has columns {list(staffing.columns)}")
    if "as_of" not in by and staffing["as_of"].nunique() > 1:
        raise AnalysisError(
            f"staffing holds {staffing['as_of'].nunique()} snapshot dates; group by as_of or "
            "choose one date with vacancy.snapshot(staffing, as_of)"
        )
    if by:
        totals = staffing.groupby(by, sort=True, dropna=False)[FTE_COLUMNS].sum().reset_index()
    else:
        totals = staffing[FTE_COLUMNS].sum().to_frame().T
    return vacancy_rates(totals)


def rag_status(vacancy_rate: pd.Series, target: float, amber_margin: float = DEFAULT_AMBER_MARGIN) -> pd.Series:
    """Red/amber/green against the vacancy target: green <= target < amber <= target + margin < red,
    each rate compared as shown (:func:`workforce_lib.targets.at_or_under_target`)."""
    status = np.select(
        [at_or_under_target(vacancy_rate, target), at_or_under_target(vacancy_rate, target + amber_margin)],
        ["green", "amber"],
        default="red",
    )
    return pd.Series(np.where(vacancy_rate.isna(), "no establishment", status), index=vacancy_rate.index)


def team_table(
    staffing: pd.DataFrame,
    target: float,
    role_group: str | None = None,
    amber_margin: float = DEFAULT_AMBER_MARGIN,
) -> pd.DataFrame:
    """Vacancy per team with area subtotals and a total, and a RAG status against ``target``.

    Rows: every team (sorted within area), each area's subtotal (team = "All teams") and the
    grand total (area = "Total"), as committee papers lay them out (Kent 2011, Appendix 1).
    """
    frame = staffing if role_group is None else staffing[staffing["role_group"] == role_group]
    if frame.empty:
        groups = sorted(staffing["role_group"].unique())
        raise AnalysisError(f"no staffing rows for role group {role_group!r}; there are: {groups}")
    teams = vacancy_summary(frame, by=("area", "team"))
    areas = vacancy_summary(frame, by=("area",)).assign(team="All teams")
    total = vacancy_summary(frame, by=()).assign(area="Total", team="All teams")
    teams["_order"], areas["_order"], total["_order"] = 0, 1, 2
    table = pd.concat([teams, areas], ignore_index=True).sort_values(["area", "_order", "team"])
    table = pd.concat([table, total], ignore_index=True).drop(columns="_order")
    table["status"] = rag_status(table["vacancy_rate"], target, amber_margin)
    return table[["area", "team", *FTE_COLUMNS, "vacancy_fte", "vacancy_rate", "net_vacancy_rate", "status"]]


#: How a vacancy table is suppressed for publication: in post and agency FTE are people (an FTE
#: under the threshold can be fewer than five); establishment = in post + vacant, so a hidden in
#: post hides the vacancy too; the rates rest on them.
VACANCY_DISCLOSURE = {
    "counts": ("in_post_fte", "agency_fte"),
    "sums": {"establishment_fte": ("in_post_fte", "vacancy_fte")},
    "rates": {
        "vacancy_rate": ("in_post_fte", "vacancy_fte"),
        "net_vacancy_rate": ("in_post_fte", "agency_fte", "vacancy_fte"),
        "status": ("in_post_fte", "vacancy_fte"),
    },
}


def disclosed(table: pd.DataFrame, disclosure: Disclosure) -> Disclosed:
    """A vacancy table (:func:`vacancy_summary` or :func:`team_table`) suppressed for publication.

    In a team table each area's subtotal adds up its teams and the total adds up the areas, so a
    hidden team hides a second cell in its area, and a hidden area a second area. A summary by role
    group has no published total across groups, so its rows are suppressed one by one (the same
    values as each team table's total row).
    """
    if "team" in table.columns and "area" in table.columns:
        is_area = (table["team"] == "All teams") & (table["area"] != "Total")
        relations = [
            (table.index[is_area & (table["area"] == area)][0], list(rows.index))
            for area, rows in table[table["team"] != "All teams"].groupby("area", sort=False)
        ]
        total = table.index[table["area"] == "Total"]
        relations.append((total[0] if len(total) else None, list(table.index[is_area])))
        return disclosure.table(
            table, row_totals=relations, column_totals=("in_post_fte", "agency_fte"), **VACANCY_DISCLOSURE
        )
    return disclosure.table(table, **VACANCY_DISCLOSURE)


def fte_to_meet_target(vacancy_fte: float | str, establishment_fte: float | str, target: float) -> float | str:
    """More FTE in post that would bring the vacancy rate down to the target, to 0.1 FTE (0 when within it).

    FTE = vacancy FTE - target x establishment FTE (the vacancy rate of Kent 2011, Appendix 1, solved
    for in post), rounded half up on the exact decimal: managers' 15.0 vacant of 98.5 posts against
    10% is 15.0 - 9.85 = 5.15, always shown as 5.2, whichever way the FTE were summed (a sum
    by team and a sum by role group differ in the 14th decimal). Every sentence and figure uses this.
    """
    for value in (vacancy_fte, establishment_fte):
        if isinstance(value, str):  # a suppression marker ('[c]'): what rests on it is hidden too
            return value
    gap = float(vacancy_fte) - target * float(establishment_fte)
    if np.isnan(gap):
        return float("nan")
    if round(gap, 6) <= 0:
        return 0.0
    return float(Decimal(repr(round(gap, 6))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def headline_figures(
    staffing: pd.DataFrame, disclosure: Disclosure = NOT_PUBLISHED, target: float | None = None
) -> dict[str, dict]:
    """Per role group: establishment, in post and agency FTE, gross and net vacancy rates, and with
    a ``target`` the FTE more in post that would meet it (:func:`fte_to_meet_target`).

    These are what the committee pack writes to figures.json (rounded: FTE to 0.1, rates to
    0.001, i.e. a tenth of a percentage point), suppressed as the tables are.
    """
    summary = disclosed(vacancy_summary(staffing, by=("role_group",)), disclosure).frame
    figures: dict[str, dict] = {}
    for row in summary.itertuples(index=False):
        figures[str(row.role_group)] = {
            **{
                name: value if isinstance(value, str) else round(float(value), digits)
                for name, value, digits in (
                    ("establishment_fte", row.establishment_fte, 1),
                    ("in_post_fte", row.in_post_fte, 1),
                    ("agency_fte", row.agency_fte, 1),
                    ("vacancy_rate", row.vacancy_rate, 3),
                    ("net_vacancy_rate", row.net_vacancy_rate, 3),
                )
            },
        }
        if target is not None:
            figures[str(row.role_group)]["more_in_post_to_meet_target_fte"] = (
                row.vacancy_fte
                if isinstance(row.vacancy_fte, str)
                else fte_to_meet_target(row.vacancy_fte, row.establishment_fte, target)
            )
    return figures


def trend_with_rates(trend: pd.DataFrame, role_group: str) -> pd.DataFrame:
    """Monthly staffing of one role group; adds agency share of all staff (agency / (agency + in post))."""
    frame = trend[trend["role_group"] == role_group].sort_values("month").reset_index(drop=True)
    if frame.empty:
        raise AnalysisError(f"staffing_trend.csv has no rows for role group {role_group!r}")
    total = frame["agency_fte"] + frame["in_post_fte"]
    frame["agency_rate"] = frame["agency_fte"] / total.where(total > 0, np.nan)
    return frame


def disclosed_trend(trend: pd.DataFrame, disclosure: Disclosure) -> pd.DataFrame:
    """A staffing trend for a published chart: FTE of people under the threshold (and the agency
    share resting on them) become missing, so the line has a gap instead of a small figure."""
    out = trend.copy()
    columns = [c for c in ("in_post_fte", "agency_fte", "overseas_fte") if c in out.columns]
    hidden = pd.concat([disclosure.series(out[c]) for c in columns], axis=1).any(axis=1)
    for column in columns:
        out[column] = out[column].mask(disclosure.series(trend[column]))
    if "agency_rate" in out.columns:
        out["agency_rate"] = out["agency_rate"].mask(hidden)
    return out


def vacancy_sentence(summary_row: pd.Series, target: float, label: str) -> str:
    """One plain-English sentence on a group's vacancy against the target, for a councillor.

    The row may come from a table suppressed for publication (:func:`disclosed`): a suppressed
    rate or agency FTE is said to be not published, never printed.
    """
    rate = summary_row["vacancy_rate"]
    net = summary_row["net_vacancy_rate"]
    if isinstance(rate, str):
        posts = summary_row["establishment_fte"]
        posts = "" if isinstance(posts, str) else f" of {posts:,.1f} funded FTE posts"
        return f"{label}: the vacancy rate{posts} is not published because fewer than 5 people are in post."
    if pd.isna(rate):
        return f"{label}: no funded posts, so no vacancy rate."
    gap_fte = fte_to_meet_target(summary_row["vacancy_fte"], summary_row["establishment_fte"], target)
    verdict = (
        f"{abs(rate - target) * 100:.1f} points above your {target:.0%} target: "
        f"{gap_fte:,.1f} more FTE in post would meet it"
        if above_target(rate, target)
        else f"within your {target:.0%} target"
    )
    cover = (
        "agency cover is not published (under 5 FTE)."
        if isinstance(net, str)
        else f"after agency cover of {summary_row['agency_fte']:,.1f} FTE, {net:.1%} stay unfilled."
    )
    return (
        f"{label}: {rate:.1%} of {summary_row['establishment_fte']:,.1f} funded FTE posts are vacant "
        f"({verdict}); {cover}"
    )


def trend_against_snapshot(trend: pd.DataFrame, staffing: pd.DataFrame, role_group: str) -> dict:
    """The staffing trend's month of the snapshot beside the snapshot's totals, for one role group.

    Returns the trend's and the snapshot's in post and agency FTE for that month, and
    in_post_share = trend in post / snapshot in post (how much of the snapshot's staff the trend
    counts); ``month`` is None when the trend has no row for the snapshot's month. Kent 2011: the
    trend's March 2011 has 225.2 in post and 55.3 agency, Appendix 1 has 318.8 and 53.9 (71%).
    """
    snap = snapshot(staffing)
    snap = snap[snap["role_group"] == role_group]
    when = pd.Timestamp(snap["as_of"].max()) if len(snap) else pd.Timestamp(staffing["as_of"].max())
    months = pd.to_datetime(trend["month"]).dt.to_period("M")
    rows = trend[(trend["role_group"] == role_group) & (months == when.to_period("M"))]
    found = {
        "as_of": when,
        "month": None,
        "snapshot_in_post_fte": float(snap["in_post_fte"].sum()),
        "snapshot_agency_fte": float(snap["agency_fte"].sum()),
        "trend_in_post_fte": float("nan"),
        "trend_agency_fte": float("nan"),
        "in_post_share": float("nan"),
    }
    if len(rows):
        in_post = float(rows["in_post_fte"].sum())
        found |= {
            "month": pd.Timestamp(rows["month"].iloc[0]),
            "trend_in_post_fte": in_post,
            "trend_agency_fte": float(rows["agency_fte"].sum()),
            "in_post_share": in_post / found["snapshot_in_post_fte"] if found["snapshot_in_post_fte"] > 0 else np.nan,
        }
    return found


def trend_coverage_sentence(
    trend: pd.DataFrame, staffing: pd.DataFrame, role_group: str, label: str, disclosure: Disclosure = NOT_PUBLISHED
) -> str:
    """In plain words, whether the trend counts the same staff as the snapshot (:func:`trend_against_snapshot`).

    The same when in post and agency agree to 0.1 FTE; otherwise the trend's figures for the
    snapshot's month are set beside the snapshot's, with the share of its staff in post the trend covers.
    """
    found = trend_against_snapshot(trend, staffing, role_group)
    snapshot_date = long_date(found["as_of"])
    if found["month"] is None:
        months = pd.to_datetime(trend.loc[trend["role_group"] == role_group, "month"])
        last = f"ends in {months.max():%B %Y}" if len(months) else "has no months"
        return (
            f"The trend {last} and the snapshot above is dated {snapshot_date}, so the two cannot be checked "
            "against each other."
        )

    def fte(value: float) -> str:
        return disclosure.words(value, f"{value:,.1f}")

    in_post, agency = found["trend_in_post_fte"], found["trend_agency_fte"]
    if abs(in_post - found["snapshot_in_post_fte"]) < 0.05 and abs(agency - found["snapshot_agency_fte"]) < 0.05:
        return (
            f"The trend's {found['month']:%B %Y} agrees with the snapshot of {snapshot_date}: {fte(in_post)} FTE "
            f"{label.lower()} in post and {fte(agency)} FTE agency."
        )
    share = found["in_post_share"]
    share = disclosure.words(share, f"{share:.0%}", in_post, found["snapshot_in_post_fte"])
    fewer = in_post < found["snapshot_in_post_fte"]
    return (
        f"The trend counts {'fewer' if fewer else 'more'} staff than the snapshot above: for {found['month']:%B %Y} "
        f"it has {fte(in_post)} FTE {label.lower()} in post and {fte(agency)} FTE agency, where the snapshot of "
        f"{snapshot_date} has {fte(found['snapshot_in_post_fte'])} in post and {fte(found['snapshot_agency_fte'])} "
        f"agency. Its staff in post are {share} of the snapshot's ("
        + ("it leaves some teams out" if fewer else "it takes in teams the snapshot leaves out")
        + "), so read it for the change from month to month, not for totals to set beside the tables."
    )
