"""Charts for committee packs: functions that take computed frames and return a matplotlib Figure.

No computation happens here (that is the analysis modules' job). Every chart has a title that
states the finding, labelled axes with units, the target line where there is one, colour-blind
safe colours (Okabe-Ito) and a footnote with the source and as-of date. Figures are built with
``matplotlib.figure.Figure`` rather than pyplot, so nothing is shown or kept alive by accident.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter

#: Okabe-Ito colour-blind-safe palette.
COLOURS = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "grey": "#7F7F7F",
    "black": "#000000",
}
TARGET_COLOUR = COLOURS["vermillion"]


def _footnote(fig: Figure, text: str) -> None:
    """Source and caveats under the chart, with room kept for them below the axes."""
    fig.get_layout_engine().set(rect=(0, 0.05, 1, 0.95))
    fig.text(0.01, 0.01, text, fontsize=7.5, color="#444444", ha="left", va="bottom", wrap=True)


def figure_png(fig: Figure, dpi: int = 90) -> bytes:
    """The figure as PNG bytes (for an Image widget or an embedded static result)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def vacancy_by_team_chart(
    table: pd.DataFrame,
    target: float,
    *,
    title_group: str,
    as_of: str,
    source: str = "staffing.csv",
    max_teams: int = 30,
) -> Figure:
    """Horizontal bars of gross and net-of-agency vacancy rate per team, with the target line.

    ``table`` is :func:`workforce_lib.vacancy.team_table` output; area subtotals and the total
    are left out (teams only), sorted by gross vacancy rate so the worst teams are on top. Past
    ``max_teams`` teams only the highest are drawn, and the footnote says how many are shown.
    """
    all_teams = table[(table["team"] != "All teams")].sort_values("vacancy_rate", ascending=True)
    teams = all_teams.tail(max_teams)
    total = table[table["area"] == "Total"].iloc[0]
    above = int((all_teams["vacancy_rate"] > target + 1e-12).sum())
    height = max(3.2, 0.32 * len(teams) + 1.6)
    fig = Figure(figsize=(8.5, height), layout="constrained")
    ax = fig.add_subplot()
    y = np.arange(len(teams))
    ax.barh(y + 0.2, teams["vacancy_rate"], height=0.4, color=COLOURS["blue"], label="Vacancy rate")
    ax.barh(
        y - 0.2,
        teams["net_vacancy_rate"],
        height=0.4,
        color=COLOURS["sky"],
        label="Vacancy rate net of agency cover",
    )
    ax.axvline(target, color=TARGET_COLOUR, linestyle="--", linewidth=1.6, label=f"Target {target:.0%}")
    ax.axvline(0, color="#333333", linewidth=0.8)
    ax.set_yticks(y, [f"{t} ({a})" for t, a in zip(teams["team"], teams["area"], strict=True)])
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel("Share of funded FTE posts (%)")
    ax.set_ylabel("Team (area)")
    ax.set_title(
        f"{title_group}: {total['vacancy_rate']:.1%} vacant overall, "
        f"{above} of {len(all_teams)} teams above the {target:.0%} target",
        loc="left",
        fontsize=11,
    )
    ax.grid(axis="x", alpha=0.3)
    ax.legend(loc="lower right", fontsize=8, framealpha=0.9)
    shown = "" if len(teams) == len(all_teams) else f" Showing the {len(teams)} highest of {len(all_teams)} teams."
    _footnote(fig, f"Source: {source}, snapshot {as_of}. Negative rates: more staff in post than funded posts.{shown}")
    return fig


def staffing_trend_chart(trend: pd.DataFrame, *, title_group: str, source: str = "staffing_trend.csv") -> Figure:
    """Monthly FTE in post, of whom recruited overseas, and agency FTE, for one role group.

    ``trend`` is :func:`workforce_lib.vacancy.trend_with_rates` output.
    """
    fig = Figure(figsize=(8.5, 4.0), layout="constrained")
    ax = fig.add_subplot()
    months = trend["month"]
    ax.plot(months, trend["in_post_fte"], marker="o", color=COLOURS["blue"], label="In post (permanent)")
    if "overseas_fte" in trend.columns and trend["overseas_fte"].notna().any():
        ax.plot(
            months,
            trend["overseas_fte"],
            marker="s",
            color=COLOURS["green"],
            label="of whom recruited overseas",
        )
    ax.plot(months, trend["agency_fte"], marker="^", color=COLOURS["orange"], label="Agency")
    if "establishment_fte" in trend.columns and trend["establishment_fte"].notna().any():
        ax.plot(months, trend["establishment_fte"], color=COLOURS["grey"], linestyle=":", label="Establishment")
    first, last = trend.iloc[0], trend.iloc[-1]
    ax.set_title(
        f"{title_group}: agency cover went from {first['agency_fte']:,.1f} to {last['agency_fte']:,.1f} FTE "
        f"({first['month']:%b %Y} to {last['month']:%b %Y})",
        loc="left",
        fontsize=11,
    )
    ax.set_xlabel("Month")
    ax.set_ylabel("Staff (FTE)")
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="best")
    fig.autofmt_xdate()
    _footnote(fig, f"Source: {source}. Monthly totals as reported to committee.")
    return fig


GROUP_COLOURS = [COLOURS[c] for c in ("blue", "orange", "green", "purple", "sky", "vermillion", "yellow", "grey")]


def rolling_turnover_chart(
    rolling: pd.DataFrame, *, group_column: str, planning_rate: float | None, measure: str, source: str = "staff.csv"
) -> Figure:
    """Rolling 12-month turnover per group, month by month, with the planning rate as a reference line.

    ``rolling`` is :func:`workforce_lib.turnover.rolling_turnover` output.
    """
    fig = Figure(figsize=(8.5, 4.2), layout="constrained")
    ax = fig.add_subplot()
    latest_parts = []
    for i, (group, part) in enumerate(rolling.groupby(group_column, sort=True)):
        colour = GROUP_COLOURS[i % len(GROUP_COLOURS)]
        ax.plot(part["month"], part["turnover_rate"], color=colour, linewidth=2, label=str(group))
        last = part.dropna(subset=["turnover_rate"]).iloc[-1:]
        if len(last):
            latest_parts.append(f"{group} {last['turnover_rate'].iloc[0]:.1%}")
    if planning_rate is not None:
        ax.axhline(planning_rate, color=TARGET_COLOUR, linestyle="--", label=f"Planning assumption {planning_rate:.0%}")
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_ylim(bottom=0)
    ax.set_xlabel("Month (12 months ending)")
    ax.set_ylabel(f"Leavers / average in post ({measure}, %)")
    end = rolling["month"].max()
    ax.set_title(f"Turnover in the 12 months to {end:%B %Y}: " + ", ".join(latest_parts), loc="left", fontsize=11)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="best")
    _footnote(fig, f"Source: {source}. Rolling 12-month turnover = leavers in the 12 months / average in post.")
    return fig


def leavers_chart(
    counts: pd.DataFrame,
    *,
    category: str,
    title: str,
    xlabel: str,
    suppressed: pd.Series | None = None,
    source: str = "staff.csv",
    horizontal: bool = True,
) -> Figure:
    """Bars of leavers per category; suppressed categories are drawn empty and marked [c]."""
    hidden = suppressed if suppressed is not None else pd.Series(False, index=counts.index)
    values = counts["leavers"].where(~hidden, 0).astype(float)
    fig = Figure(figsize=(8.5, max(3.0, 0.42 * len(counts) + 1.5)), layout="constrained")
    ax = fig.add_subplot()
    positions = np.arange(len(counts))
    labels = counts[category].astype(str).tolist()
    if horizontal:
        ax.barh(positions, values, color=COLOURS["blue"])
        ax.set_yticks(positions, labels)
        ax.invert_yaxis()
        ax.set_xlabel("Leavers (headcount)")
        ax.set_ylabel(xlabel)
    else:
        ax.bar(positions, values, color=COLOURS["blue"])
        ax.set_xticks(positions, labels)
        ax.set_ylabel("Leavers (headcount)")
        ax.set_xlabel(xlabel)
    for pos, value, hide in zip(positions, values, hidden, strict=True):
        text = "[c]" if hide else f"{value:,.0f}"
        xy = (value, pos) if horizontal else (pos, value)
        ax.annotate(
            text,
            xy,
            xytext=(4, 0) if horizontal else (0, 3),
            textcoords="offset points",
            va="center" if horizontal else "bottom",
            ha="left" if horizontal else "center",
            fontsize=8,
        )
    ax.set_title(title, loc="left", fontsize=11)
    ax.grid(axis="x" if horizontal else "y", alpha=0.3)
    note = f"Source: {source}."
    if hidden.any():
        note += " [c] = 1 to 4 leavers, suppressed to protect individuals."
    _footnote(fig, note)
    return fig


def retention_curves_chart(curves: pd.DataFrame, *, group_column: str, as_of: str, source: str = "staff.csv") -> Figure:
    """Kaplan-Meier share of employments still in post by years of service, per group, with 95% bands."""
    fig = Figure(figsize=(8.5, 4.6), layout="constrained")
    ax = fig.add_subplot()
    for i, (group, part) in enumerate(curves.groupby(group_column, sort=True)):
        colour = GROUP_COLOURS[i % len(GROUP_COLOURS)]
        ax.step(part["years"], part["still_in_post"], where="post", color=colour, linewidth=1.8, label=str(group))
        ax.fill_between(part["years"], part["ci_lower"], part["ci_upper"], step="post", color=colour, alpha=0.12)
    ax.axvline(3, color=COLOURS["grey"], linestyle=":", linewidth=1.2)
    ax.annotate("3 years", (3, 0.02), xytext=(3, 0), textcoords="offset points", fontsize=8, color="#444444")
    ax.set_xlim(0, min(15, float(curves["years"].max())))
    ax.set_ylim(0, 1.02)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel("Years since starting")
    ax.set_ylabel("Still in post (%)")
    ax.set_title(
        "How long employments last, by entry route: most leaving happens in the first years", loc="left", fontsize=11
    )
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="upper right", ncols=2)
    _footnote(
        fig,
        f"Source: {source} to {as_of}. Kaplan-Meier estimate; staff still in post are censored; "
        "shaded: 95% confidence band.",
    )
    return fig


def year_ahead_chart(result: dict, *, vacancy_target: float, title_group: str) -> Figure:
    """In post now, leavers, hires and in post a year on against establishment and the target line."""
    fig = Figure(figsize=(8.0, 3.8), layout="constrained")
    ax = fig.add_subplot()
    now, leavers, hires, nxt = (
        result["in_post_fte"],
        result["expected_leavers"],
        result["planned_hires"],
        result["in_post_next_year"],
    )
    labels = ["In post now", "Expected leavers", "Planned hires", "In post a year on"]
    bottoms = [0, now - leavers, now - leavers, 0]
    heights = [now, leavers, hires, nxt]
    colours = [COLOURS["blue"], COLOURS["vermillion"], COLOURS["green"], COLOURS["blue"]]
    ax.bar(labels, heights, bottom=bottoms, color=colours)
    establishment = result["establishment_fte"]
    ax.axhline(establishment, color=COLOURS["black"], linewidth=1.2, label=f"Establishment {establishment:,.1f} FTE")
    ax.axhline(
        (1 - vacancy_target) * establishment,
        color=TARGET_COLOUR,
        linestyle="--",
        label=f"In post at the {vacancy_target:.0%} vacancy target",
    )
    for x, (b, h) in enumerate(zip(bottoms, heights, strict=True)):
        ax.annotate(f"{h:,.1f}", (x, b + h), xytext=(0, 3), textcoords="offset points", ha="center", fontsize=8)
    ax.set_ylabel("Staff (FTE)")
    ax.set_title(
        f"{title_group}: at {result['turnover_rate']:.0%} turnover, vacancy goes from "
        f"{result['vacancy_rate_now']:.1%} to {result['vacancy_rate_next_year']:.1%} in a year",
        loc="left",
        fontsize=11,
    )
    ax.legend(fontsize=8, loc="lower right")
    ax.grid(axis="y", alpha=0.3)
    return fig


def campaign_weekly_chart(weekly: pd.DataFrame, *, value: str, ylabel: str, title: str, source: str = "campaign.csv"):
    """Stacked weekly bars of a campaign count (visitors or applications) by channel."""
    table = weekly.pivot_table(index="week_ending", columns="channel", values=value, aggfunc="sum").fillna(0)
    fig = Figure(figsize=(8.5, 4.0), layout="constrained")
    ax = fig.add_subplot()
    bottom = np.zeros(len(table))
    x = np.arange(len(table))
    for i, channel in enumerate(table.columns):
        ax.bar(x, table[channel], bottom=bottom, color=GROUP_COLOURS[i % len(GROUP_COLOURS)], label=str(channel))
        bottom += table[channel].to_numpy()
    ax.set_xticks(x, [f"{d:%d %b}" for d in table.index])
    ax.set_xlabel("Week ending")
    ax.set_ylabel(ylabel)
    ax.set_title(title, loc="left", fontsize=11)
    ax.legend(fontsize=8, loc="upper left")
    ax.grid(axis="y", alpha=0.3)
    _footnote(fig, f"Source: {source}. Tracked visitors and applications as reported by the campaign agency.")
    return fig


def funnel_chart(conversion: pd.DataFrame, *, title: str, source: str = "funnel.csv") -> Figure:
    """Horizontal bars of the count at each stage per role (source 'all'), labelled with conversion."""
    data = conversion[conversion["source"] == "all"]
    roles = sorted(data["role"].unique())
    fig = Figure(figsize=(8.5, 1.3 + 1.5 * len(roles)), layout="constrained")
    axes = fig.subplots(len(roles), 1, squeeze=False)[:, 0]
    top = float(data["count"].max()) if len(data) else 1.0
    for ax, role in zip(axes, roles, strict=True):
        part = data[data["role"] == role]
        y = np.arange(len(part))
        ax.barh(y, part["count"], color=COLOURS["blue"])
        ax.set_yticks(y, part["stage"].tolist())
        ax.invert_yaxis()
        ax.set_xlim(0, top * 1.35)
        for yi, row in zip(y, part.itertuples(), strict=True):
            label = f"{row.count:,.0f}"
            if pd.notna(row.from_previous):
                label += f"  ({row.from_previous:.1%} of {row.previous_stage}; {row.from_first:.1%} overall)"
            ax.annotate(label, (row.count, yi), xytext=(4, 0), textcoords="offset points", va="center", fontsize=8)
        ax.set_title(role, loc="left", fontsize=10)
        ax.grid(axis="x", alpha=0.3)
    axes[-1].set_xlabel("Candidates (headcount)")
    fig.suptitle(title, x=0.01, ha="left", fontsize=11)
    _footnote(fig, f"Source: {source}. Conversion = count at a stage / count at the stage before.")
    return fig


def budget_chart(what_if: pd.DataFrame, *, title: str) -> Figure:
    """Observed and expected applications per channel under a re-split budget."""
    fig = Figure(figsize=(8.0, 3.6), layout="constrained")
    ax = fig.add_subplot()
    y = np.arange(len(what_if))
    ax.barh(y + 0.2, what_if["observed_applications"], height=0.4, color=COLOURS["grey"], label="So far")
    ax.barh(y - 0.2, what_if["expected_applications"], height=0.4, color=COLOURS["green"], label="Expected")
    ax.set_yticks(y, what_if["channel"].tolist())
    ax.invert_yaxis()
    ax.set_xlabel("Applications")
    ax.set_title(title, loc="left", fontsize=11)
    ax.legend(fontsize=8, loc="lower right")
    ax.grid(axis="x", alpha=0.3)
    return fig


def pay_ranges_chart(
    reward: pd.DataFrame,
    pay_scales: pd.DataFrame,
    *,
    authority: str,
    one_off_years: float,
    source: str = "pay_scales.csv",
) -> Figure:
    """Per role: each authority's salary range, with its extras stacked on top of the range; this
    authority highlighted. Extras are valued at the top of the range (one-offs spread over years)."""
    roles = sorted(pay_scales["role"].unique())
    top = reward[reward["point"] == "top"].set_index(["authority", "role"])
    fig = Figure(figsize=(8.5, 1.2 + 1.6 * len(roles)), layout="constrained")
    axes = fig.subplots(len(roles), 1, squeeze=False, sharex=True)[:, 0]
    for ax, role in zip(axes, roles, strict=True):
        part = pay_scales[pay_scales["role"] == role].sort_values("salary_max")
        y = np.arange(len(part))
        for yi, row in zip(y, part.itertuples(), strict=True):
            mine = row.authority == authority
            base = COLOURS["vermillion"] if mine else COLOURS["blue"]
            width = max(row.salary_max - row.salary_min, 150.0)  # a single point shows as a thin bar
            ax.barh(yi, width, left=row.salary_min, color=base, alpha=0.9 if mine else 0.55, height=0.6)
            extras = top.loc[(row.authority, role), "total_reward"] - row.salary_max
            if extras > 0:
                ax.barh(yi, extras, left=row.salary_max, color=base, alpha=0.35, height=0.6, hatch="//")
            total = row.salary_max + extras
            ax.annotate(
                f"£{total:,.0f}",
                (total, yi),
                xytext=(4, 0),
                textcoords="offset points",
                va="center",
                fontsize=8,
                fontweight="bold" if mine else "normal",
            )
        ax.set_yticks(y, [f"{a} ◀" if a == authority else a for a in part["authority"]])
        ax.set_title(role, loc="left", fontsize=10)
        ax.grid(axis="x", alpha=0.3)
    axes[-1].set_xlabel("£ a year (solid: salary range; hatched: extras at the top of the range)")
    axes[-1].xaxis.set_major_formatter(lambda v, _pos: f"£{v / 1000:,.0f}k")
    fig.suptitle(f"Pay and extras by role: {authority} against its comparators", x=0.01, ha="left", fontsize=11)
    _footnote(fig, f"Source: {source}, pay_supplements.csv. One-off payments spread over {one_off_years:g} years.")
    return fig


def reward_rank_chart(
    positions: pd.DataFrame, reward: pd.DataFrame, *, authority: str, role: str, point: str
) -> Figure:
    """Total reward of every authority for one role, ranked, this authority highlighted."""
    data = reward[(reward["role"] == role) & (reward["point"] == point)].sort_values("total_reward")
    fig = Figure(figsize=(8.0, 3.4), layout="constrained")
    ax = fig.add_subplot()
    colours = [COLOURS["vermillion"] if a == authority else COLOURS["blue"] for a in data["authority"]]
    ax.barh(data["authority"], data["total_reward"], color=colours)
    for yi, value in enumerate(data["total_reward"]):
        ax.annotate(f"£{value:,.0f}", (value, yi), xytext=(4, 0), textcoords="offset points", va="center", fontsize=8)
    row = positions[positions["role"] == role].iloc[0]
    ax.set_xlabel(f"Total reward, £ a year ({point} of range)")
    ax.set_xlim(0, data["total_reward"].max() * 1.18)
    ax.set_title(f"{role}: {authority} ranks {row['rank']} of {row['of']}", loc="left", fontsize=11)
    ax.grid(axis="x", alpha=0.3)
    return fig


def benchmark_chart(
    comparison: pd.DataFrame,
    *,
    authority: str,
    label: str,
    is_rate: bool,
    source: str = "DfE children's social work workforce statistics",
) -> Figure:
    """An indicator over the years: the authority (thick), its statistical neighbours (thin), their
    median, its region and England; the authority's suppressed years are labelled, not drawn as 0."""
    fig = Figure(figsize=(8.5, 4.4), layout="constrained")
    ax = fig.add_subplot()
    for _, part in comparison[comparison["role"] == "neighbour"].groupby("area"):
        ax.plot(part["year"], part["value"], color=COLOURS["grey"], linewidth=0.8, alpha=0.5)
    styles = {
        "neighbour median": dict(
            color=COLOURS["black"], linestyle="--", linewidth=1.5, label="Statistical neighbours' median"
        ),
        "region": dict(color=COLOURS["blue"], linewidth=1.6, label=None),
        "England": dict(color=COLOURS["green"], linewidth=1.6, label="England"),
        "authority": dict(color=COLOURS["vermillion"], linewidth=2.8, marker="o", label=authority),
    }
    for role, style in styles.items():
        part = comparison[comparison["role"] == role].sort_values("year")
        if part.empty:
            continue
        if role == "region":
            style = {**style, "label": f"Region: {part['area'].iloc[0]}"}
        ax.plot(part["year"], part["value"], **style)
    ax.plot([], [], color=COLOURS["grey"], linewidth=0.8, label="Each statistical neighbour")
    mine = comparison[(comparison["role"] == "authority") & comparison["value"].isna()]
    for row in mine.itertuples():
        ax.annotate(
            f"{authority}: {row.status_text or 'not published'}",
            (row.year, 0),
            xytext=(0, 6),
            textcoords="offset points",
            rotation=90,
            fontsize=7,
            color=COLOURS["vermillion"],
            ha="center",
        )
    if is_rate:
        ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_ylim(bottom=0)
    ax.set_xlabel("Year (to 30 September)")
    ax.set_ylabel(label + (" (%)" if is_rate else ""))
    last = comparison[comparison["role"] == "authority"].dropna(subset=["value"]).sort_values("year").tail(1)
    latest = ""
    if len(last):
        value = last["value"].iloc[0]
        latest = f": {value:.1%} in {last['year'].iloc[0]}" if is_rate else f": {value:,.1f} in {last['year'].iloc[0]}"
    ax.set_title(f"{label}, {authority}{latest}", loc="left", fontsize=11)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="upper left", ncols=2)
    _footnote(
        fig,
        f"Source: {source} (Open Government Licence v3.0); "
        "neighbours: DfE statistical neighbour groupings, April 2021.",
    )
    return fig


def plan_chart(
    frame: pd.DataFrame, band: pd.DataFrame | None, *, role_group: str, target: float, ceiling: float, figure=None
) -> Figure:
    """Three panels for one role group: vacancy (gross, net, P10-P90 band, target line), agency FTE
    and monthly cost, and the under-two-years share against its ceiling. Pass ``figure`` to redraw
    into an existing figure (what-if sliders)."""
    part = frame[frame["role_group"] == role_group]
    fig = figure or Figure(figsize=(8.5, 8.0), layout="constrained")
    fig.clear()
    ax1, ax2, ax3 = fig.subplots(3, 1, sharex=True)
    if band is not None:
        b = band[band["role_group"] == role_group]
        ax1.fill_between(
            b["month"], b["p10"], b["p90"], color=COLOURS["sky"], alpha=0.35, label="P10-P90 of simulations"
        )
    ax1.plot(part["month"], part["vacancy_rate"], color=COLOURS["blue"], linewidth=2, label="Vacancy rate")
    ax1.plot(
        part["month"], part["net_vacancy_rate"], color=COLOURS["green"], linestyle="-.", label="Net of agency cover"
    )
    ax1.axhline(target, color=TARGET_COLOUR, linestyle="--", label=f"Target {target:.0%}")
    ax1.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax1.set_ylabel("Vacancy (%)")
    met = part[part["vacancy_rate"] <= target + 1e-12]
    when = met["month"].iloc[0].strftime("%B %Y") if len(met) else "not within the horizon"
    ax1.set_title(f"{role_group.capitalize()}s: vacancy target of {target:.0%} met {when}", loc="left", fontsize=11)
    ax1.legend(fontsize=8, loc="upper right")
    ax1.grid(alpha=0.3)
    ax2.plot(part["month"], part["agency_fte"], color=COLOURS["orange"], linewidth=2, label="Agency FTE")
    ax2.set_ylabel("Agency (FTE)")
    ax2.set_ylim(bottom=0)
    twin = ax2.twinx()
    twin.plot(part["month"], part["cost"] / 1000, color=COLOURS["purple"], linestyle=":", label="Monthly cost")
    twin.set_ylabel("Monthly cost (£000)")
    ax2.legend(handles=ax2.get_lines() + twin.get_lines(), fontsize=8, loc="upper right")
    ax2.grid(alpha=0.3)
    ax3.plot(
        part["month"],
        part["under_two_years_share"],
        color=COLOURS["blue"],
        linewidth=2,
        label="Under two years' experience",
    )
    ax3.axhline(ceiling, color=TARGET_COLOUR, linestyle="--", label=f"Ceiling {ceiling:.0%}")
    ax3.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax3.set_ylabel("Share of in post (%)")
    ax3.set_xlabel("Month")
    ax3.set_ylim(bottom=0)
    ax3.legend(fontsize=8, loc="upper right")
    ax3.grid(alpha=0.3)
    return fig
