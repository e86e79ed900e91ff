"""Recruitment campaign metrics: the agency's weekly dashboard, channel ranking and a budget what-if.

Definitions (Kent 2011 paper, Appendix 7, the agency's weekly dashboard):

* cost per click = spend / clicks; cost per visitor = spend / tracked visitors;
  cost per application = spend / tracked applications;
  visitor-to-application rate = applications / visitors.
* a channel's share of visitors (applications) = its visitors (applications) / all channels'.
* week-on-week growth = visitors in the week / visitors in the week before - 1; the dashboard's
  headline growth is cumulative: visitors to date / visitors to the week before - 1 (4,821 to
  20 April 2011 was +20.8%).

A ratio with nothing to divide by (a channel with no applications) is missing (NaN), never 0 or
infinity; tables show it as "no applications" (see :data:`NO_VALUE_TEXT`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from .disclosure import Disclosed, Disclosure
from .errors import AnalysisError

COUNT_COLUMNS = ["visitors", "clicks", "applications", "spend_gbp"]
NO_VALUE_TEXT = {
    "cost_per_click": "no clicks",
    "cost_per_visitor": "no visitors",
    "cost_per_application": "no applications",
    "visitor_to_application_rate": "no visitors",
    "share_of_visitors": "no visitors",
    "share_of_applications": "no applications",
}
#: Diminishing returns of extra spend: applications scale with (spend ratio) ** this. 0.5 means
#: doubling a channel's spend brings about 41% more applications, not 100% (a square-root curve).
DEFAULT_RESPONSE_EXPONENT = 0.5


def _ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    return numerator / denominator.where(denominator > 0)


def add_rates(totals: pd.DataFrame) -> pd.DataFrame:
    """Add cost per click, visitor and application, the visitor-to-application rate and shares."""
    out = totals.copy()
    out["cost_per_click"] = _ratio(out["spend_gbp"], out["clicks"])
    out["cost_per_visitor"] = _ratio(out["spend_gbp"], out["visitors"])
    out["cost_per_application"] = _ratio(out["spend_gbp"], out["applications"])
    out["visitor_to_application_rate"] = _ratio(out["applications"], out["visitors"])
    out["share_of_visitors"] = _ratio(out["visitors"], pd.Series(out["visitors"].sum(), index=out.index))
    out["share_of_applications"] = _ratio(out["applications"], pd.Series(out["applications"].sum(), index=out.index))
    return out


def campaign_metrics(campaign: pd.DataFrame, by: Sequence[str] = ("channel",), up_to=None) -> pd.DataFrame:
    """Totals and rates per group (channel, advert, week_ending, ...) up to a week (all weeks if None)."""
    frame = campaign if up_to is None else campaign[campaign["week_ending"] <= pd.Timestamp(up_to)]
    if frame.empty:
        raise AnalysisError(f"campaign.csv has no weeks ending on or before {pd.Timestamp(up_to).date()}")
    totals = frame.groupby(list(by), sort=True)[COUNT_COLUMNS].sum().astype(float).reset_index()
    return add_rates(totals)


def report_week(campaign: pd.DataFrame, week_ending=None) -> pd.Timestamp:
    """The report week: the given week_ending (must be in the data), or the latest."""
    weeks = campaign["week_ending"].drop_duplicates().sort_values()
    if week_ending in (None, ""):
        return weeks.iloc[-1]
    when = pd.Timestamp(week_ending)
    if when not in set(weeks):
        raise AnalysisError(
            f"campaign.csv has no week ending {when.date()}; weeks: {', '.join(str(w.date()) for w in weeks)}"
        )
    return when


def weekly(campaign: pd.DataFrame, by: str = "channel") -> pd.DataFrame:
    """Week by week per group: totals, rates, week-on-week and cumulative visitor growth."""
    frame = campaign.groupby(["week_ending", by], sort=True)[COUNT_COLUMNS].sum().astype(float)
    frame = frame.unstack(by, fill_value=0).stack(by, future_stack=True).reset_index()
    frame = frame.sort_values([by, "week_ending"]).reset_index(drop=True)
    grouped = frame.groupby(by, sort=False)
    previous = grouped["visitors"].shift(1)
    frame["visitors_growth"] = _ratio(frame["visitors"], previous) - 1
    cumulative = grouped["visitors"].cumsum()
    frame["cumulative_visitors"] = cumulative
    frame["cumulative_visitors_growth"] = _ratio(cumulative, cumulative.groupby(frame[by]).shift(1)) - 1
    return frame


def dashboard(campaign: pd.DataFrame, week_ending=None) -> pd.DataFrame:
    """The weekly dashboard: per channel, to date and in the report week, with a total row.

    Columns: channel, visitors (to date), share_of_visitors, cumulative_visitors_growth (this
    week's addition to the total), clicks, spend_gbp, cost_per_click, cost_per_visitor,
    applications_week (last 7 days), applications (to date), share_of_applications,
    share_of_week_applications, cost_per_application.
    """
    week = report_week(campaign, week_ending)
    to_date = campaign[campaign["week_ending"] <= week]
    before = to_date[to_date["week_ending"] < week]
    this_week = to_date[to_date["week_ending"] == week]
    table = campaign_metrics(to_date, by=("channel",))
    prior = before.groupby("channel")["visitors"].sum().reindex(table["channel"]).to_numpy()
    week_apps = (
        this_week.groupby("channel")["applications"].sum().reindex(table["channel"]).fillna(0).to_numpy(dtype=float)
    )
    total = add_rates(table[COUNT_COLUMNS].sum().to_frame().T.assign(channel="All channels"))
    total_prior = before["visitors"].sum()
    table["cumulative_visitors_growth"] = _ratio(table["visitors"], pd.Series(prior, index=table.index)) - 1
    table["applications_week"] = week_apps
    total["cumulative_visitors_growth"] = (total["visitors"] / total_prior - 1) if total_prior else np.nan
    total["applications_week"] = week_apps.sum()
    out = pd.concat([table, total], ignore_index=True)
    week_total = week_apps.sum()
    out["share_of_week_applications"] = out["applications_week"] / week_total if week_total else np.nan
    out["week_ending"] = week
    return out[
        [
            "week_ending",
            "channel",
            "visitors",
            "share_of_visitors",
            "cumulative_visitors_growth",
            "clicks",
            "spend_gbp",
            "cost_per_click",
            "cost_per_visitor",
            "applications_week",
            "share_of_week_applications",
            "applications",
            "share_of_applications",
            "cost_per_application",
        ]
    ]


def channel_ranking(campaign: pd.DataFrame, up_to=None) -> pd.DataFrame:
    """Channels from most to least cost-effective: by cost per application, then per visitor.

    Channels with no applications come last (ranked among themselves by cost per visitor).
    """
    table = campaign_metrics(campaign, by=("channel",), up_to=up_to)
    table = table.assign(_no_apps=table["cost_per_application"].isna()).sort_values(
        ["_no_apps", "cost_per_application", "cost_per_visitor"], na_position="last", kind="stable"
    )
    table = table.drop(columns="_no_apps").reset_index(drop=True)
    table.insert(0, "rank", np.arange(1, len(table) + 1))
    return table


def budget_what_if(
    campaign: pd.DataFrame,
    new_spend: Mapping[str, float],
    response_exponent: float = DEFAULT_RESPONSE_EXPONENT,
    up_to=None,
) -> pd.DataFrame:
    """Expected applications if each channel's spend changed, with diminishing returns.

    expected applications = observed applications x (new spend / observed spend) ** exponent
    (a documented, simple power curve: exponent 1 = constant cost per application; 0.5 = each
    doubling of spend brings about 41% more). Channels that brought no applications are expected
    to bring none whatever is spent, and a channel with no spend so far cannot be projected.
    Caveat: observed costs per application come from a few weeks of one campaign.
    """
    if not 0 < response_exponent <= 1:
        raise AnalysisError("the response exponent must be above 0 and at most 1")
    table = campaign_metrics(campaign, by=("channel",), up_to=up_to)
    unknown = sorted(set(new_spend) - set(table["channel"]))
    if unknown:
        raise AnalysisError(f"no such channel(s) in campaign.csv: {unknown}")
    spend = table["channel"].map(new_spend).fillna(table["spend_gbp"]).astype(float)
    if (spend < 0).any():
        raise AnalysisError("spend cannot be negative")
    ratio = spend / table["spend_gbp"].where(table["spend_gbp"] > 0)
    expected = table["applications"] * ratio.fillna(0) ** response_exponent
    out = pd.DataFrame(
        {
            "channel": table["channel"],
            "observed_spend_gbp": table["spend_gbp"],
            "observed_applications": table["applications"],
            "new_spend_gbp": spend,
            "expected_applications": expected,
        }
    )
    out["expected_cost_per_application"] = _ratio(out["new_spend_gbp"], out["expected_applications"])
    return out


def budget_caveat(response_exponent: float = DEFAULT_RESPONSE_EXPONENT) -> str:
    """The caveat printed with every budget what-if."""
    gain = 2**response_exponent - 1
    return (
        f"Estimate only: each channel's applications are scaled from what it brought so far with diminishing "
        f"returns (doubling spend brings about {gain:.0%} more applications). Channels with no applications "
        "so far are assumed to bring none. Based on a few weeks of one campaign."
    )


def disclosed_dashboard(board: pd.DataFrame, disclosure: Disclosure) -> Disclosed:
    """:func:`dashboard` suppressed for publication: applications are people; the channels add up
    to the last row (all channels); shares and cost per application rest on the counts (spend is
    published, so the cost would give the count away)."""
    counts = ("applications_week", "applications")
    return disclosure.table(
        board,
        counts=counts,
        rates={
            "share_of_week_applications": ("applications_week",),
            "share_of_applications": ("applications",),
            "cost_per_application": ("applications",),
        },
        differences=[("applications", "applications_week")],
        column_totals=counts,
        row_totals=[(board.index[-1], list(board.index[:-1]))] if len(board) else None,
    )


def disclosed_ranking(ranking: pd.DataFrame, disclosure: Disclosure) -> Disclosed:
    """:func:`channel_ranking` suppressed for publication: applications per channel add up to the
    published total; cost per application and the visitor conversion rest on them."""
    return disclosure.table(
        ranking,
        counts=("applications",),
        rates={"cost_per_application": ("applications",), "visitor_to_application_rate": ("applications",)},
        column_totals=("applications",),
    )
