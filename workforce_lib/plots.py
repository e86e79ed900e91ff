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
from matplotlib.ticker import PercentFormatter

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
) -> Figure:
    """Horizontal bars of gross and net-of-agency vacancy rate per team, with the target line.

    ``table`` is :func:`workforce_lib.vacancy.team_table` output; area subtotals and the total
    are left out (teams only), sorted by gross vacancy rate so the worst teams are on top.
    """
    teams = table[(table["team"] != "All teams")].sort_values("vacancy_rate", ascending=True)
    total = table[table["area"] == "Total"].iloc[0]
    above = int((teams["vacancy_rate"] > target + 1e-12).sum())
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
        f"{above} of {len(teams)} teams above the {target:.0%} target",
        loc="left",
        fontsize=11,
    )
    ax.grid(axis="x", alpha=0.3)
    ax.legend(loc="lower right", fontsize=8, framealpha=0.9)
    fig.get_layout_engine().set(rect=(0, 0.04, 1, 0.96))
    _footnote(fig, f"Source: {source}, snapshot {as_of}. Negative rates: more staff in post than funded posts.")
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
    fig.get_layout_engine().set(rect=(0, 0.04, 1, 0.96))
    _footnote(fig, f"Source: {source}. Monthly totals as reported to committee.")
    return fig
