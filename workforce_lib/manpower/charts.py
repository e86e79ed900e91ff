"""Charts of the plan by grade (matplotlib Figures, as :mod:`workforce_lib.plots` draws them: a title
that states the finding, labelled axes, the establishment and the ceiling drawn, Okabe-Ito colours,
a footnote with the source)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter

from ..plots import COLOURS, TARGET_COLOUR, _footnote
from ..targets import above_target

GRADE_COLOURS = [COLOURS[c] for c in ("sky", "green", "blue", "orange", "purple", "vermillion", "grey", "black")]


def mix_title(table: pd.DataFrame, focus: str, share: pd.DataFrame | None, ceiling: float) -> str:
    """The chart's finding: the focus grade at the last year end against its establishment, and the
    early-career share against the ceiling."""
    years = int(table["year"].max())
    row = table[(table["year"] == years) & (table["grade"] == focus)].iloc[0]
    gap = row["in_post"] - row["establishment_fte"]
    where = "above" if gap > 0.05 else "below" if gap < -0.05 else "at"
    text = (
        f"{focus[:1].upper()}{focus[1:]}s: {row['in_post']:,.1f} after {years} year{'s' if years != 1 else ''}, "
        f"{where} the establishment of {row['establishment_fte']:,.1f}"
    )
    if share is not None and not share["share"].isna().all():
        peak = float(share["share"].max())
        verdict = "over" if above_target(peak, ceiling) else "within"
        text += f"\nCaseholders under two years qualified peak at {peak:.0%} ({verdict} the {ceiling:.0%} ceiling)"
    return text


def grade_mix_chart(
    table: pd.DataFrame,
    in_post_now: pd.Series,
    share: pd.DataFrame | None,
    *,
    ceiling: float,
    focus: str,
    as_of,
    source: str = "staff.csv and staffing.csv",
) -> Figure:
    """Left: in post by grade at each year end (year 0 = now), the P10-P90 band of the Monte Carlo
    runs shaded, each grade's establishment dashed. Right: the share of caseholders under two years
    since qualifying against the ceiling (omitted when the ladder has no early-career grades)."""
    fig = Figure(figsize=(9.5, 4.6), layout="constrained")
    if share is not None:
        ax, ax2 = fig.subplots(1, 2, width_ratios=(2.2, 1))
    else:
        ax, ax2 = fig.subplots(1, 1), None
    grades = list(dict.fromkeys(table["grade"]))
    for i, grade in enumerate(grades):
        colour = GRADE_COLOURS[i % len(GRADE_COLOURS)]
        part = table[table["grade"] == grade].sort_values("year")
        years = np.concatenate([[0], part["year"].to_numpy()])
        values = np.concatenate([[float(in_post_now.get(grade, 0.0))], part["in_post"].to_numpy()])
        width = 2.6 if grade == focus else 1.6
        ax.plot(years, values, color=colour, linewidth=width, marker="o", markersize=3.5, label=grade)
        low = np.concatenate([[values[0]], part["p10"].to_numpy()])
        high = np.concatenate([[values[0]], part["p90"].to_numpy()])
        ax.fill_between(years, low, high, color=colour, alpha=0.18, linewidth=0)
        ax.plot(part["year"], part["establishment_fte"], color=colour, linestyle="--", linewidth=1)
    ax.plot([], [], color="#444444", linestyle="--", linewidth=1, label="establishment (dashed)")
    ax.fill_between([], [], [], color="#444444", alpha=0.18, label="P10-P90 of simulations")
    ax.set_xlabel("Years from now")
    ax.set_ylabel("In post at the year end (FTE)")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7.5, loc="upper left", bbox_to_anchor=(0.0, -0.16), ncol=3, frameon=False)
    if ax2 is not None:
        ax2.plot(share["year"], share["share"], color=COLOURS["blue"], linewidth=2, marker="o", label="Projected")
        ax2.axhline(ceiling, color=TARGET_COLOUR, linestyle="--", label=f"Ceiling {ceiling:.0%}")
        ax2.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax2.xaxis.set_major_locator(MaxNLocator(integer=True))
        top = np.nanmax(np.append(share["share"].to_numpy(dtype=float), ceiling))
        ax2.set_ylim(0, max(top * 1.25, 0.05))
        ax2.set_xlabel("End of year")
        ax2.set_ylabel("Caseholders under two years qualified (%)")
        ax2.legend(fontsize=7.5, loc="lower right")
        ax2.grid(alpha=0.3)
    fig.suptitle(mix_title(table, focus, share, ceiling), x=0.01, ha="left", fontsize=10.5)
    stamp = pd.Timestamp(as_of)
    _footnote(
        fig,
        f"Source: {source}; rates estimated from staff.csv; start {stamp.day} {stamp:%B %Y}. "
        "Expected values; the band reflects the uncertainty of the estimated rates only.",
    )
    return fig
