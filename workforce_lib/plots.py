"""Charts for committee packs: functions that take computed frames and return a matplotlib Figure.

No computation happens here (that is the analysis modules' job). Every chart has a title that
states the finding, labelled axes with units, the target line where there is one, colour-blind
safe colours (Okabe-Ito) and a footnote with the source and as-of date. Figures are built with
``matplotlib.figure.Figure`` rather than pyplot, so nothing is shown or kept alive by accident.
"""

from __future__ import annotations

import io

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter

from . import roles
from .projection import target_held
from .targets import above_target, target_text

# Chart text comes from data files (team, channel, authority names): drawn literally, never parsed
# as mathtext, so '$\\undefinedcmd$' in a team name is shown as written instead of crashing the chart.
matplotlib.rcParams["text.parse_math"] = False

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


#: Where a chart keeps the sentence it illustrates (set by :func:`describe`), for its alt text.
_SENTENCE = "_workforce_sentence"


def describe(fig: Figure, sentence: str) -> Figure:
    """The chart with the sentence it illustrates attached: its alt text is then title + sentence."""
    setattr(fig, _SENTENCE, " ".join(str(sentence).split()))
    return fig


def alt_text(fig: Figure) -> str:
    """A chart's alternative text for readers who cannot see it: its title(s), then the sentence it
    illustrates (:func:`describe`), or, without one, what its axes show."""
    titles = [fig._suptitle.get_text()] if fig._suptitle is not None else []
    # Charts put their finding in a left-aligned title; read every position of every axes.
    titles += [ax.get_title(loc=where) for ax in fig.axes for where in ("left", "center", "right")]
    parts = [" ".join(t.split()).rstrip(".") for t in titles if t and t.strip()]
    sentence = getattr(fig, _SENTENCE, "")
    if sentence:
        parts.append(sentence.rstrip("."))
    else:
        for ax in fig.axes:
            x, y = ax.get_xlabel().strip(), ax.get_ylabel().strip()
            if x or y:
                parts.append("Chart of " + " against ".join(" ".join(v.split()) for v in (y, x) if v))
    return (". ".join(parts) + ".") if parts else "Chart."


def _png_with_alt(fig: Figure):
    """PNG bytes and their metadata (the alt text) for IPython's display of a Figure."""
    from IPython.core.pylabtools import print_figure

    return print_figure(fig, "png", bbox_inches="tight"), {"alt": alt_text(fig)}


def show_alt_text() -> None:
    """Make IPython display every Figure with its alt text in the output's metadata (the pack's
    page template writes it into the image's alt attribute). Does nothing outside IPython."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency of the notebooks
        return
    shell = get_ipython()
    if shell is not None:
        shell.display_formatter.formatters["image/png"].for_type(Figure, _png_with_alt)


def _encode_png(canvas) -> bytes:
    """The canvas's pixels as PNG, compressed lightly (a what-if image is shown once, not stored)."""
    from PIL import Image

    width, height = canvas.get_width_height(physical=True)
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    buffer = io.BytesIO()
    image.save(buffer, format="png", compress_level=1)
    return buffer.getvalue()


class LiveChart:
    """A what-if chart drawn in full once, then updated in place on every move of a control.

    The figure's layout is fixed after the first draw and a picture of everything that does not
    move (axes, ticks, labels, footnote) is kept; a move changes the data of the ``dynamic``
    artists and redraws only those over that picture (matplotlib's blitting), so it costs a few
    artists' drawing instead of the whole figure's text and layout. ``key`` says what the picture
    shows (role group, team data, axis limits...): an update whose key differs, or whose data
    leaves the axes' limits, builds a new chart instead.
    """

    def __init__(self, figure: Figure, key, handles: dict, dynamic: list, dpi: int = 90):
        self.figure, self.key, self.handles = figure, key, handles
        # Legends are drawn last, over the moving lines and bars, as in a full draw.
        legends = [ax.get_legend() for ax in figure.axes if ax.get_legend() is not None]
        self.dynamic = [a for a in dynamic if a not in legends] + legends
        figure.set_dpi(dpi)
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        self.canvas = FigureCanvasAgg(figure)
        self._background = None

    def replace(self, old, new) -> None:
        """Swap a dynamic artist for a new one (a re-made band, say)."""
        old.remove()
        self.dynamic[self.dynamic.index(old)] = new

    def png(self) -> bytes:
        """The chart as PNG: the kept picture plus the dynamic artists at their current data."""
        if self._background is None:
            # Everything but the dynamic artists (animated only for this draw, so the figure still
            # draws whole when shown elsewhere); the layout engine runs here, once.
            for artist in self.dynamic:
                artist.set_animated(True)
            self.canvas.draw()
            for artist in self.dynamic:
                artist.set_animated(False)
            self.figure.set_layout_engine("none")
            self._background = self.canvas.copy_from_bbox(self.figure.bbox)
        else:
            self.canvas.restore_region(self._background)
        renderer = self.canvas.get_renderer()
        for artist in self.dynamic:
            artist.draw(renderer)
        return _encode_png(self.canvas)


def _within(ax, xs=None, ys=None) -> bool:
    """Whether data fits the axes' current limits (else a live chart is rebuilt with new limits)."""
    for values, (low, high) in ((xs, sorted(ax.get_xlim())), (ys, sorted(ax.get_ylim()))):
        if values is None:
            continue
        values = np.asarray(values, dtype=float)
        values = values[np.isfinite(values)]
        if len(values) and (values.min() < low or values.max() > high):
            return False
    return True


def _live(live: LiveChart | None, key) -> LiveChart | None:
    """The live chart to update, if it shows the same picture; None means build a new one."""
    return live if live is not None and live.key == key else None


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
    return _vacancy_figure(table, target, title_group, as_of, source, max_teams)[0]


def _vacancy_teams(table: pd.DataFrame, max_teams: int):
    all_teams = table[(table["team"] != "All teams")].sort_values("vacancy_rate", ascending=True, na_position="first")
    return all_teams, all_teams.tail(max_teams), table[table["area"] == "Total"].iloc[0]


def _vacancy_title(title_group: str, total, all_teams: pd.DataFrame, target: float) -> str:
    above = int(above_target(all_teams["vacancy_rate"], target).sum())
    overall = (
        "vacancy not published" if pd.isna(total["vacancy_rate"]) else f"{total['vacancy_rate']:.1%} vacant overall"
    )
    return f"{title_group}: {overall}, {above} of {len(all_teams)} teams above the {target:.0%} target"


def _vacancy_figure(table, target, title_group, as_of, source, max_teams):
    all_teams, teams, total = _vacancy_teams(table, max_teams)
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
    line = ax.axvline(target, color=TARGET_COLOUR, linestyle="--", linewidth=1.6, label=f"Target {target:.0%}")
    ax.axvline(0, color="#333333", linewidth=0.8)
    marks = ["  [c]" if pd.isna(r) else "" for r in teams["vacancy_rate"]]
    ax.set_yticks(y, [f"{t} ({a}){m}" for t, a, m in zip(teams["team"], teams["area"], marks, strict=True)])
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel("Share of funded FTE posts (%)")
    ax.set_ylabel("Team (area)")
    title = ax.set_title(_vacancy_title(title_group, total, all_teams, target), loc="left", fontsize=11)
    ax.grid(axis="x", alpha=0.3)
    legend = ax.legend(loc="lower right", fontsize=8, framealpha=0.9)
    shown = "" if len(teams) == len(all_teams) else f" Showing the {len(teams)} highest of {len(all_teams)} teams."
    if any(marks):
        shown += " [c]: no bar, suppressed (fewer than 5 people in post) or no funded posts."
    _footnote(fig, f"Source: {source}, snapshot {as_of}. Negative rates: more staff in post than funded posts.{shown}")
    return fig, {"ax": ax, "target": line, "title": title, "legend": legend}


def live_vacancy_by_team_chart(
    live: LiveChart | None,
    table: pd.DataFrame,
    target: float,
    *,
    title_group: str,
    as_of: str,
    source: str = "staffing.csv",
    max_teams: int = 30,
) -> LiveChart:
    """:func:`vacancy_by_team_chart` for a target slider: the bars stay, the target line, title and
    legend move."""
    all_teams, teams, total = _vacancy_teams(table, max_teams)
    key = ("vacancy", title_group, as_of, source, max_teams, len(all_teams), float(total["vacancy_rate"]))
    key += tuple(teams["team"]) + tuple(np.round(teams[["vacancy_rate", "net_vacancy_rate"]].to_numpy(), 6).ravel())
    chart = _live(live, key)
    if chart is None or not _within(chart.handles["ax"], xs=[target]):
        fig, handles = _vacancy_figure(table, target, title_group, as_of, source, max_teams)
        return LiveChart(fig, key, handles, [handles["target"], handles["title"], handles["legend"]])
    h = chart.handles
    h["target"].set_xdata([target, target])
    h["title"].set_text(_vacancy_title(title_group, total, all_teams, target))
    for text in h["legend"].get_texts():
        if text.get_text().startswith("Target "):
            text.set_text(f"Target {target:.0%}")
    return chart


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
    start, end = (("[c]" if pd.isna(v) else f"{v:,.1f}") for v in (first["agency_fte"], last["agency_fte"]))
    ax.set_title(
        f"{title_group}: agency cover went from {start} to {end} FTE ({first['month']:%b %Y} to {last['month']:%b %Y})",
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
    return _year_ahead_figure(result, vacancy_target, title_group)[0]


def _year_ahead_bars(result: dict) -> tuple[list[float], list[float]]:
    now, leavers, hires, nxt = (
        result["in_post_fte"],
        result["expected_leavers"],
        result["planned_hires"],
        result["in_post_next_year"],
    )
    return [0, now - leavers, now - leavers, 0], [now, leavers, hires, nxt]


def _year_ahead_title(result: dict, title_group: str) -> str:
    return (
        f"{title_group}: at {result['turnover_rate']:.0%} turnover, vacancy goes from "
        f"{result['vacancy_rate_now']:.1%} to {result['vacancy_rate_next_year']:.1%} in a year"
    )


def _year_ahead_figure(result: dict, vacancy_target: float, title_group: str, top: float | None = None):
    fig = Figure(figsize=(8.0, 3.8), layout="constrained")
    ax = fig.add_subplot()
    labels = ["In post now", "Expected leavers", "Planned hires", "In post a year on"]
    bottoms, heights = _year_ahead_bars(result)
    colours = [COLOURS["blue"], COLOURS["vermillion"], COLOURS["green"], COLOURS["blue"]]
    bars = ax.bar(labels, heights, bottom=bottoms, color=colours)
    establishment = result["establishment_fte"]
    ax.axhline(establishment, color=COLOURS["black"], linewidth=1.2, label=f"Establishment {establishment:,.1f} FTE")
    ax.axhline(
        (1 - vacancy_target) * establishment,
        color=TARGET_COLOUR,
        linestyle="--",
        label=f"In post at the {vacancy_target:.0%} vacancy target",
    )
    notes = [
        ax.annotate(f"{h:,.1f}", (x, b + h), xytext=(0, 3), textcoords="offset points", ha="center", fontsize=8)
        for x, (b, h) in enumerate(zip(bottoms, heights, strict=True))
    ]
    ax.set_ylabel("Staff (FTE)")
    title = ax.set_title(_year_ahead_title(result, title_group), loc="left", fontsize=11)
    ax.legend(fontsize=8, loc="lower right")
    ax.grid(axis="y", alpha=0.3)
    if top is not None:
        ax.set_ylim(0, top)
    return fig, {"ax": ax, "bars": list(bars.patches), "notes": notes, "title": title}


def live_year_ahead_chart(live: LiveChart | None, result: dict, *, vacancy_target: float, title_group: str):
    """:func:`year_ahead_chart` for a turnover slider: bars, their labels and the title move."""
    key = ("year ahead", title_group, vacancy_target, result["establishment_fte"], result["in_post_fte"])
    bottoms, heights = _year_ahead_bars(result)
    tops = [b + h for b, h in zip(bottoms, heights, strict=True)]
    chart = _live(live, key)
    if chart is None or not _within(chart.handles["ax"], ys=[t * 1.06 for t in tops]):
        # Room above for the slider's range, so most moves keep the picture.
        top = max([result["establishment_fte"], *tops]) * 1.35
        fig, handles = _year_ahead_figure(result, vacancy_target, title_group, top=top)
        return LiveChart(fig, key, handles, [*handles["bars"], *handles["notes"], handles["title"]])
    h = chart.handles
    for patch, note, b, height in zip(h["bars"], h["notes"], bottoms, heights, strict=True):
        patch.set_y(b)
        patch.set_height(height)
        note.set_text(f"{height:,.1f}")
        note.xy = (note.xy[0], b + height)
    h["title"].set_text(_year_ahead_title(result, title_group))
    return chart


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
    top = float(data["count"].max()) if data["count"].notna().any() else 1.0
    for ax, role in zip(axes, roles, strict=True):
        part = data[data["role"] == role]
        y = np.arange(len(part))
        ax.barh(y, part["count"], color=COLOURS["blue"])
        ax.set_yticks(y, part["stage"].tolist())
        ax.invert_yaxis()
        ax.set_xlim(0, top * 1.35)
        for yi, row in zip(y, part.itertuples(), strict=True):
            if pd.isna(row.count):
                ax.annotate("[c]", (0, yi), xytext=(4, 0), textcoords="offset points", va="center", fontsize=8)
                continue
            label = f"{row.count:,.0f}"
            if pd.notna(row.from_previous):
                label += f"  ({row.from_previous:.1%} of {row.previous_stage}; {row.from_first:.1%} overall)"
            ax.annotate(label, (row.count, yi), xytext=(4, 0), textcoords="offset points", va="center", fontsize=8)
        ax.set_title(role, loc="left", fontsize=10)
        ax.grid(axis="x", alpha=0.3)
    axes[-1].set_xlabel("Candidates (headcount)")
    fig.suptitle(title, x=0.01, ha="left", fontsize=11)
    hidden = " [c]: fewer than 5 candidates, suppressed to protect individuals." if data["count"].isna().any() else ""
    _footnote(fig, f"Source: {source}. Conversion = count at a stage / count at the stage before.{hidden}")
    return fig


def budget_chart(what_if: pd.DataFrame, *, title: str) -> Figure:
    """Observed and expected applications per channel under a re-split budget."""
    return _budget_figure(what_if, title)[0]


def _budget_figure(what_if: pd.DataFrame, title: str, right: float | None = None):
    fig = Figure(figsize=(8.0, 3.6), layout="constrained")
    ax = fig.add_subplot()
    y = np.arange(len(what_if))
    ax.barh(y + 0.2, what_if["observed_applications"], height=0.4, color=COLOURS["grey"], label="So far")
    expected = ax.barh(y - 0.2, what_if["expected_applications"], height=0.4, color=COLOURS["green"], label="Expected")
    ax.set_yticks(y, what_if["channel"].tolist())
    ax.invert_yaxis()
    ax.set_xlabel("Applications")
    heading = ax.set_title(title, loc="left", fontsize=11)
    ax.legend(fontsize=8, loc="lower right")
    ax.grid(axis="x", alpha=0.3)
    if right is not None:
        ax.set_xlim(0, right)
    return fig, {"ax": ax, "expected": list(expected.patches), "title": heading}


def live_budget_chart(live: LiveChart | None, what_if: pd.DataFrame, *, title: str) -> LiveChart:
    """:func:`budget_chart` for spend sliders: the expected bars and the title move."""
    key = ("budget", tuple(what_if["channel"]), tuple(what_if["observed_applications"]))
    chart = _live(live, key)
    expected = what_if["expected_applications"].to_numpy(dtype=float)
    if chart is None or not _within(chart.handles["ax"], xs=expected):
        right = max(float(what_if["observed_applications"].max()), float(expected.max()), 1.0) * 1.6
        fig, handles = _budget_figure(what_if, title, right)
        return LiveChart(fig, key, handles, [*handles["expected"], handles["title"]])
    for patch, value in zip(chart.handles["expected"], expected, strict=True):
        patch.set_width(value)
    chart.handles["title"].set_text(title)
    return chart


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
    return _reward_rank_figure(positions, reward, authority, role, point)[0]


def _reward_rank_data(reward: pd.DataFrame, role: str, point: str) -> pd.DataFrame:
    return reward[(reward["role"] == role) & (reward["point"] == point)].sort_values("total_reward")


def _reward_rank_title(positions: pd.DataFrame, authority: str, role: str) -> str:
    row = positions[positions["role"] == role].iloc[0]
    return f"{role}: {authority} ranks {row['rank']} of {row['of']}"


def _reward_rank_figure(positions, reward, authority, role, point, right: float | None = None):
    data = _reward_rank_data(reward, role, point)
    fig = Figure(figsize=(8.0, 3.4), layout="constrained")
    ax = fig.add_subplot()
    y = np.arange(len(data))
    bars = ax.barh(y, data["total_reward"], color=COLOURS["blue"])
    # Names and values are text artists, not tick labels, so a live chart can re-rank them.
    ax.set_yticks(y, [""] * len(y))
    names = [
        ax.annotate("", (0, yi), xytext=(-4, 0), textcoords="offset points", ha="right", va="center", fontsize=10)
        for yi in y
    ]
    notes = [ax.annotate("", (0, yi), xytext=(4, 0), textcoords="offset points", va="center", fontsize=8) for yi in y]
    ax.set_xlabel(f"Total reward, £ a year ({point} of range)")
    ax.set_xlim(0, right if right is not None else data["total_reward"].max() * 1.18)
    title = ax.set_title("", loc="left", fontsize=11)
    ax.grid(axis="x", alpha=0.3)
    handles = {"ax": ax, "bars": list(bars.patches), "names": names, "notes": notes, "title": title}
    _set_reward_rank(handles, data, positions, authority, role)
    return fig, handles


def _set_reward_rank(handles: dict, data: pd.DataFrame, positions, authority: str, role: str) -> None:
    """Put each authority's bar, name and value at its rank; this authority in vermillion."""
    rows = zip(handles["bars"], handles["names"], handles["notes"], data.itertuples(), strict=True)
    for patch, name, note, row in rows:
        patch.set_width(row.total_reward)
        patch.set_color(COLOURS["vermillion"] if row.authority == authority else COLOURS["blue"])
        name.set_text(row.authority)
        note.set_text(f"£{row.total_reward:,.0f}")
        note.xy = (row.total_reward, note.xy[1])
    handles["title"].set_text(_reward_rank_title(positions, authority, role))


def live_reward_rank_chart(
    live: LiveChart | None, positions: pd.DataFrame, reward: pd.DataFrame, *, authority: str, role: str, point: str
) -> LiveChart:
    """:func:`reward_rank_chart` for a premium slider: bars, names, values and the title move
    (names are text artists, so re-ranking needs no redraw of the axes)."""
    data = _reward_rank_data(reward, role, point)
    key = ("reward rank", authority, role, point, tuple(sorted(data["authority"])))
    chart = _live(live, key)
    values = data["total_reward"].to_numpy(dtype=float)
    if chart is None or not _within(chart.handles["ax"], xs=values * 1.12):
        fig, handles = _reward_rank_figure(positions, reward, authority, role, point, right=values.max() * 1.3)
        dynamic = [*handles["bars"], *handles["names"], *handles["notes"], handles["title"]]
        return LiveChart(fig, key, handles, dynamic)
    _set_reward_rank(chart.handles, data, positions, authority, role)
    return chart


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
    return _benchmark_figure(comparison, authority, label, is_rate, source)[0]


_BENCHMARK_STYLES = {
    "neighbour median": dict(color=COLOURS["black"], linestyle="--", linewidth=1.5),
    "region": dict(color=COLOURS["blue"], linewidth=1.6),
    "England": dict(color=COLOURS["green"], linewidth=1.6),
    "authority": dict(color=COLOURS["vermillion"], linewidth=2.8, marker="o"),
}
_MAX_NEIGHBOURS = 10


def _benchmark_figure(comparison, authority, label, is_rate, source, top: float | None = None):
    fig = Figure(figsize=(8.5, 4.4), layout="constrained")
    ax = fig.add_subplot()
    years = sorted(comparison["year"].unique())
    count = max(_MAX_NEIGHBOURS, comparison.loc[comparison["role"] == "neighbour", "area"].nunique())
    neighbours = [ax.plot([], [], color=COLOURS["grey"], linewidth=0.8, alpha=0.5)[0] for _ in range(count)]
    lines = {role: ax.plot([], [], **style)[0] for role, style in _BENCHMARK_STYLES.items()}
    proxy = ax.plot([], [], color=COLOURS["grey"], linewidth=0.8)[0]
    notes = [
        ax.annotate(
            "",
            (year, 0),
            xytext=(0, 6),
            textcoords="offset points",
            rotation=90,
            fontsize=7,
            color=COLOURS["vermillion"],
            ha="center",
        )
        for year in years
    ]
    if is_rate:
        ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlim(years[0] - 0.4, years[-1] + 0.4)
    values = comparison["value"].dropna()
    ax.set_ylim(0, top if top is not None else max(float(values.max()) if len(values) else 1.0, 1e-9) * 1.05)
    ax.set_xlabel("Year (to 30 September)")
    ax.set_ylabel(label + (" (%)" if is_rate else ""))
    title = ax.set_title("", loc="left", fontsize=11)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(alpha=0.3)
    order = ["neighbour median", "region", "England", "authority"]
    legend = ax.legend(
        [lines[r] for r in order] + [proxy],
        ["Statistical neighbours' median", "Region", "England", authority, "Each statistical neighbour"],
        fontsize=8,
        loc="upper left",
        ncols=2,
    )
    _footnote(
        fig,
        f"Source: {source} (Open Government Licence v3.0); "
        "neighbours: DfE statistical neighbour groupings, April 2021.",
    )
    handles = {"ax": ax, "neighbours": neighbours, "lines": lines, "notes": notes, "title": title, "legend": legend}
    _set_benchmark(handles, comparison, authority, label, is_rate)
    return fig, handles


def _set_benchmark(handles: dict, comparison: pd.DataFrame, authority: str, label: str, is_rate: bool) -> None:
    """Put one authority's comparison into the chart's lines, notes, legend and title."""
    parts = [part for _, part in comparison[comparison["role"] == "neighbour"].groupby("area")]
    lines = handles["neighbours"]
    for line, part in zip(lines, parts + [None] * (len(lines) - len(parts)), strict=True):
        line.set_data(([], []) if part is None else (part["year"], part["value"]))
    region = ""
    for role, line in handles["lines"].items():
        part = comparison[comparison["role"] == role].sort_values("year")
        line.set_data(part["year"], part["value"])
        if role == "region" and len(part):
            region = part["area"].iloc[0]
    texts = handles["legend"].get_texts()
    texts[1].set_text(f"Region: {region}" if region else "Region: not published")
    texts[3].set_text(authority)
    missing = comparison[(comparison["role"] == "authority") & comparison["value"].isna()]
    reasons = {int(r.year): r.status_text for r in missing.itertuples()}
    for note in handles["notes"]:
        year = int(note.xy[0])
        note.set_text(f"{authority}: {reasons[year] or 'not published'}" if year in reasons else "")
    last = comparison[comparison["role"] == "authority"].dropna(subset=["value"]).sort_values("year").tail(1)
    latest = ""
    if len(last):
        value = last["value"].iloc[0]
        latest = f": {value:.1%} in {last['year'].iloc[0]}" if is_rate else f": {value:,.1f} in {last['year'].iloc[0]}"
    handles["title"].set_text(f"{label}, {authority}{latest}")


def live_benchmark_chart(
    live: LiveChart | None,
    comparison: pd.DataFrame,
    *,
    authority: str,
    label: str,
    is_rate: bool,
    source: str = "DfE children's social work workforce statistics",
) -> LiveChart:
    """:func:`benchmark_chart` for the authority dropdown: every line, note, legend entry and the
    title move; the axes keep their limits while the new authority's figures fit them."""
    years = tuple(sorted(comparison["year"].unique()))
    key = ("benchmark", label, is_rate, source, years)
    chart = _live(live, key)
    values = comparison["value"].dropna().to_numpy(dtype=float)
    fits = chart is not None and _within(chart.handles["ax"], ys=values * 1.05)
    if not fits or comparison[comparison["role"] == "neighbour"]["area"].nunique() > _MAX_NEIGHBOURS:
        top = max(float(values.max()) if len(values) else 1.0, 1e-9) * 1.4
        fig, handles = _benchmark_figure(comparison, authority, label, is_rate, source, top=top)
        dynamic = [*handles["neighbours"], *handles["lines"].values(), *handles["notes"], handles["title"]]
        return LiveChart(fig, key, handles, dynamic)
    _set_benchmark(chart.handles, comparison, authority, label, is_rate)
    return chart


def plan_chart(
    frame: pd.DataFrame, band: pd.DataFrame | None, *, role_group: str, target: float, ceiling: float
) -> Figure:
    """Three panels for one role group: vacancy (gross, net, P10-P90 band, target line), agency FTE
    and monthly cost, and the under-two-years share against its ceiling."""
    return _plan_figure(frame, band, role_group, target, ceiling)[0]


def _plan_title(part: pd.DataFrame, role_group: str, target: float) -> str:
    """The plan chart's title: when the target is met and held (:func:`projection.target_held`)."""
    held = target_held(part["month"], part["vacancy_rate"], target)
    goal = f"{roles.label(role_group)}: vacancy target of {target_text(target)}"
    if held.held_from is None:
        return f"{goal} not met and held within the projection"
    return f"{goal} met and held from {held.held_from.strftime('%B %Y')}"


def _plan_band(ax, band: pd.DataFrame | None, role_group: str):
    if band is None:
        return None
    b = band[band["role_group"] == role_group]
    return ax.fill_between(
        b["month"], b["p10"], b["p90"], color=COLOURS["sky"], alpha=0.35, label="P10-P90 of simulations"
    )


def _plan_figure(frame, band, role_group, target, ceiling, limits: dict | None = None):
    part = frame[frame["role_group"] == role_group]
    fig = Figure(figsize=(8.5, 8.0), layout="constrained")
    ax1, ax2, ax3 = fig.subplots(3, 1, sharex=True)
    shade = _plan_band(ax1, band, role_group)
    (gross,) = ax1.plot(part["month"], part["vacancy_rate"], color=COLOURS["blue"], linewidth=2, label="Vacancy rate")
    (net,) = ax1.plot(
        part["month"], part["net_vacancy_rate"], color=COLOURS["green"], linestyle="-.", label="Net of agency cover"
    )
    ax1.axhline(target, color=TARGET_COLOUR, linestyle="--", label=f"Target {target:.0%}")
    ax1.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax1.set_ylabel("Vacancy (%)")
    title = ax1.set_title(_plan_title(part, role_group, target), loc="left", fontsize=11)
    ax1.legend(fontsize=8, loc="upper right")
    ax1.grid(alpha=0.3)
    (agency,) = ax2.plot(part["month"], part["agency_fte"], color=COLOURS["orange"], linewidth=2, label="Agency FTE")
    ax2.set_ylabel("Agency (FTE)")
    ax2.set_ylim(bottom=0)
    twin = ax2.twinx()
    (cost,) = twin.plot(
        part["month"], part["cost"] / 1000, color=COLOURS["purple"], linestyle=":", label="Monthly cost"
    )
    twin.set_ylabel("Monthly cost (£000)")
    ax2.legend(handles=ax2.get_lines() + twin.get_lines(), fontsize=8, loc="upper right")
    ax2.grid(alpha=0.3)
    (young,) = ax3.plot(
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
    for ax, name in ((ax1, "ax1"), (ax2, "ax2"), (twin, "twin"), (ax3, "ax3")):
        if limits and name in limits:
            ax.set_ylim(*limits[name])
    handles = {"ax1": ax1, "ax2": ax2, "twin": twin, "ax3": ax3, "band": shade, "title": title}
    handles |= {"gross": gross, "net": net, "agency": agency, "cost": cost, "young": young}
    return fig, handles


def _plan_series(part: pd.DataFrame, band: pd.DataFrame | None, role_group: str) -> dict[str, np.ndarray]:
    series = {
        "ax1": np.concatenate([part["vacancy_rate"], part["net_vacancy_rate"]]),
        "ax2": part["agency_fte"].to_numpy(dtype=float),
        "twin": part["cost"].to_numpy(dtype=float) / 1000,
        "ax3": part["under_two_years_share"].to_numpy(dtype=float),
    }
    if band is not None:
        b = band[band["role_group"] == role_group]
        series["ax1"] = np.concatenate([series["ax1"], b["p10"], b["p90"]])
    return series


def live_plan_chart(
    live: LiveChart | None,
    frame: pd.DataFrame,
    band: pd.DataFrame | None,
    *,
    role_group: str,
    target: float,
    ceiling: float,
) -> LiveChart:
    """:func:`plan_chart` for the plan sliders: every line, the band and the title move; the axes
    keep limits with room for the sliders' range (data beyond them redraws the chart)."""
    part = frame[frame["role_group"] == role_group]
    months = tuple(part["month"])
    key = ("plan", role_group, target, ceiling, months, band is None)
    series = _plan_series(part, band, role_group)
    chart = _live(live, key)
    if chart is not None and all(_within(chart.handles[name], ys=v) for name, v in series.items()):
        h = chart.handles
        h["gross"].set_ydata(part["vacancy_rate"])
        h["net"].set_ydata(part["net_vacancy_rate"])
        h["agency"].set_ydata(part["agency_fte"])
        h["cost"].set_ydata(part["cost"] / 1000)
        h["young"].set_ydata(part["under_two_years_share"])
        h["title"].set_text(_plan_title(part, role_group, target))
        if band is not None:
            shade = _plan_band(h["ax1"], band, role_group)
            chart.replace(h["band"], shade)
            h["band"] = shade
        return chart

    def room(values: np.ndarray, floor: float = 0.0, low: float | None = None) -> tuple[float, float]:
        values = values[np.isfinite(values)]
        high = max(float(values.max()) if len(values) else 0.0, floor)
        bottom = min(float(values.min()) if len(values) else 0.0, 0.0) if low is None else low
        return bottom - 0.05 * abs(high - bottom), high * 1.6 + 1e-9

    limits = {
        "ax1": room(series["ax1"], target * 2),
        "ax2": room(series["ax2"], 1.0, 0.0),
        "twin": room(series["twin"], 1.0, 0.0),
        "ax3": room(series["ax3"], ceiling * 2, 0.0),
    }
    fig, handles = _plan_figure(frame, band, role_group, target, ceiling, limits)
    lines = [handles[n] for n in ("gross", "net", "agency", "cost", "young", "title")]
    return LiveChart(fig, key, handles, ([handles["band"]] if band is not None else []) + lines)


show_alt_text()
