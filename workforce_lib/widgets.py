"""What-if panels (ipywidgets) that call the same library functions as the static cells.

Each panel has one "what-if" function that takes the slider values and returns a
:class:`WhatIf` (a sentence and a chart), used three ways: by the panel's ``.observe`` handler
(setting an ``HTML`` widget and an ``Image`` widget: no prints, so nbval stays stable), by a
static pack (where widget JavaScript is unavailable offline, :class:`StaticWhatIf` shows the
same sentence and chart at the pack's parameters), and by tests and benchmarks.
"""

from __future__ import annotations

import base64
import html

import ipywidgets as w
import pandas as pd

from . import campaign, dfe, pay, periods, plots, projection, roles, turnover, vacancy
from .disclosure import NOT_PUBLISHED, Disclosure
from .errors import AnalysisError
from .whatif import WhatIf
from .whatif import pay as pay_whatif
from .whatif import plan as plan_whatif


class StaticWhatIf:
    """A what-if result shown without widgets (packs): the sentence and the chart as an image."""

    def __init__(self, title: str, result: WhatIf):
        self.title = title
        self.result = result

    def _repr_mimebundle_(self, include=None, exclude=None):
        image = base64.b64encode(self.result.png()).decode("ascii")
        body = (
            f"<div class='what-if-static'><p><strong>{html.escape(self.title)}</strong> "
            f"(at this pack's settings)</p><p>{html.escape(self.result.sentence)}</p>{self.result.table_html}"
            f"<img alt='{html.escape(self.title)} chart' src='data:image/png;base64,{image}'/></div>"
        )
        return {"text/html": body, "text/plain": f"{self.title}: {self.result.sentence}"}


class Panel(w.VBox):
    """A VBox whose text form is a fixed description, so stored notebook outputs stay stable."""

    def __init__(self, description: str, children):
        super().__init__(children=children)
        self.description = description

    def __repr__(self) -> str:
        return f"What-if panel: {self.description}"


def _slider(
    value: float, description: str, low: float, high: float, step: float, fmt: str, width: str = "420px"
) -> w.FloatSlider:
    """A what-if slider: updates on release, its description in full, ``fmt`` its readout."""
    return w.FloatSlider(
        value=value,
        min=low,
        max=high,
        step=step,
        description=description,
        readout_format=fmt,
        continuous_update=False,
        style={"description_width": "initial"},
        layout=w.Layout(width=width),
    )


def _percent_slider(value: float, description: str, low: float = 0.0, high: float = 0.35) -> w.FloatSlider:
    return _slider(value, description, low, high, 0.005, ".1%")


def what_if_panel(description: str, controls: dict[str, w.ValueWidget], compute) -> Panel:
    """A panel of named controls over a sentence (HTML widget) and a chart (Image widget).

    ``compute(live, **values)`` gets the previous move's live chart (None at first) and each
    control's value by name, and returns a :class:`WhatIf`; it runs once now and again whenever
    any control changes. Passing the live chart on lets a move update the chart in place.
    """
    sentence = w.HTML()
    image = w.Image(format="png", layout=w.Layout(max_width="820px"))
    state: dict = {"chart": None}

    def update(_change=None) -> None:
        result = compute(state["chart"], **{name: control.value for name, control in controls.items()})
        state["chart"] = result.chart
        sentence.value = f"<p>{html.escape(result.sentence)}</p>{result.table_html}"
        image.value = result.png()

    for control in controls.values():
        control.observe(update, names="value")
    update()
    row = w.HBox(list(controls.values()), layout=w.Layout(flex_flow="row wrap", grid_gap="4px 16px"))
    return Panel(description, [row, sentence, image])


# ---------------------------------------------------------------------------------------------
# Vacancy


def vacancy_what_if(
    staffing: pd.DataFrame,
    target: float,
    role_group: str,
    live: plots.LiveChart | None = None,
    disclosure: Disclosure = NOT_PUBLISHED,
) -> WhatIf:
    """Vacancy by team against a target for one role group: sentence, chart, headline figures.

    With ``live`` (the previous move's chart) the chart is updated in place where it can be. In a
    published pack a team whose rates are suppressed is drawn without bars and marked [c]."""
    table = vacancy.team_table(staffing, target, role_group)
    hidden = vacancy.disclosed(table, disclosure)
    drawn = table.assign(
        vacancy_rate=table["vacancy_rate"].mask(hidden.hidden["vacancy_rate"]),
        net_vacancy_rate=table["net_vacancy_rate"].mask(hidden.hidden["net_vacancy_rate"]),
    )
    total = hidden.frame[table["area"] == "Total"].iloc[0]
    as_of = staffing["as_of"].max().date().isoformat()
    label = roles.label(role_group)
    chart = plots.live_vacancy_by_team_chart(live, drawn, target, title_group=label, as_of=as_of)
    teams = drawn[drawn["team"] != "All teams"]
    figures = {
        "target": target,
        "vacancy_rate": disclosure.rate(total["vacancy_rate"]),
        "teams_above_target": int((teams["vacancy_rate"] > target + 1e-12).sum()),
    }
    return WhatIf(vacancy.vacancy_sentence(total, target, label), chart.figure, figures, chart=chart)


def vacancy_panel(
    staffing: pd.DataFrame,
    target: float,
    role_group: str,
    interactive: bool = True,
    disclosure: Disclosure = NOT_PUBLISHED,
):
    """Slider for the vacancy target and a dropdown for the role group, redrawing the team chart."""
    if not interactive:
        return StaticWhatIf(
            "What if the target were different?", vacancy_what_if(staffing, target, role_group, disclosure=disclosure)
        )
    controls = {
        "target": _percent_slider(target, "Vacancy target", 0.0, 0.30),
        "role_group": w.Dropdown(
            options=sorted(staffing["role_group"].unique()), value=role_group, description="Role group"
        ),
    }
    return what_if_panel(
        "vacancy target and role group",
        controls,
        lambda live, **v: vacancy_what_if(staffing, v["target"], v["role_group"], live, disclosure),
    )


# ---------------------------------------------------------------------------------------------
# Turnover


def turnover_what_if(
    staffing: pd.DataFrame,
    plan: pd.DataFrame | None,
    turnover_rate: float,
    role_group: str,
    area: str = "",
    vacancy_target: float = 0.10,
    live: plots.LiveChart | None = None,
) -> WhatIf:
    """A year on at a turnover rate: leavers, hires needed and vacancy with the planned hires.

    Establishment and in post come from the latest staffing snapshot for the role group (and
    area); planned hires from recruitment_plan.csv for the first plan year at or after the
    snapshot's year (:func:`periods.plan_year`), shared out by establishment when one area is chosen.
    """
    snap = vacancy.snapshot(staffing)
    rows = snap[snap["role_group"] == role_group]
    if rows.empty:
        raise AnalysisError(f"staffing.csv has no rows for role group {role_group!r}")
    year = periods.plan_year(plan, snap["as_of"].max())
    hires = turnover.planned_hires(plan, role_group, year) if year is not None else 0.0
    label = roles.label(role_group)
    who = roles.label(role_group).lower()
    if area:
        share = rows.loc[rows["area"] == area, "establishment_fte"].sum() / rows["establishment_fte"].sum()
        rows = rows[rows["area"] == area]
        if rows.empty:
            raise AnalysisError(f"staffing.csv has no {role_group} rows in area {area!r}")
        hires *= share
        label += f" in {area}"
        who += f" in {area}"
    result = turnover.year_ahead(
        float(rows["establishment_fte"].sum()), float(rows["in_post_fte"].sum()), turnover_rate, hires, vacancy_target
    )
    if year is None:
        planned = "With no hires in the recruitment plan for the year ahead"
    else:
        planned = f"With the {hires:,.1f} hires planned for {year}"
    sentence = (
        f"At {turnover_rate:.1%} turnover about {result['expected_leavers']:,.1f} of the "
        f"{result['in_post_fte']:,.1f} FTE {who} in post would leave in a year, so that many hires "
        f"only stand still; reaching your {vacancy_target:.0%} vacancy target takes "
        f"{result['hires_to_reach_target']:,.1f} hires. {planned}, "
        f"vacancy would go from {result['vacancy_rate_now']:.1%} to {result['vacancy_rate_next_year']:.1%}."
    )
    chart = plots.live_year_ahead_chart(live, result, vacancy_target=vacancy_target, title_group=label)
    figures = {k: round(v, 4) for k, v in result.items()}
    return WhatIf(sentence, chart.figure, figures, chart=chart)


def turnover_panel(
    staffing: pd.DataFrame,
    plan: pd.DataFrame | None,
    turnover_rate: float,
    role_group: str,
    area: str = "",
    vacancy_target: float = 0.10,
    interactive: bool = True,
):
    """Turnover-rate slider (0-35%) with role-group and area dropdowns, redrawing the year-ahead chart."""
    if not interactive:
        result = turnover_what_if(staffing, plan, turnover_rate, role_group, area, vacancy_target)
        return StaticWhatIf("What if turnover were different?", result)
    areas = [("All areas", "")] + [(a, a) for a in sorted(staffing["area"].unique())]
    controls = {
        "rate": _percent_slider(turnover_rate, "Turnover rate a year", 0.0, 0.35),
        "group": w.Dropdown(
            options=sorted(staffing["role_group"].unique()), value=role_group, description="Role group"
        ),
        "area": w.Dropdown(options=areas, value=area, description="Area"),
    }
    return what_if_panel(
        "turnover rate, role group and area",
        controls,
        lambda live, **v: turnover_what_if(staffing, plan, v["rate"], v["group"], v["area"], vacancy_target, live),
    )


# ---------------------------------------------------------------------------------------------
# Campaign budget


def budget_what_if(
    campaign_frame: pd.DataFrame,
    new_spend: dict[str, float],
    live: plots.LiveChart | None = None,
    disclosure: Disclosure = NOT_PUBLISHED,
) -> WhatIf:
    """Expected applications and cost per application if spend were re-split across channels.

    In a published pack a channel whose applications are suppressed in the ranking has no bars
    (its expected applications would give its count away) and is marked [c]."""
    table = campaign.budget_what_if(campaign_frame, new_spend)
    spend, apps = table["new_spend_gbp"].sum(), table["expected_applications"].sum()
    if disclosure.active:
        shown = campaign.disclosed_ranking(campaign.channel_ranking(campaign_frame), disclosure)
        secret = set(shown.frame["channel"][shown.column_hidden("applications")])
        hide = table["channel"].isin(secret)
        table = table.assign(
            channel=table["channel"].where(~hide, table["channel"] + "  [c]"),
            observed_applications=table["observed_applications"].mask(hide),
            expected_applications=table["expected_applications"].mask(hide),
        )
    observed = table["observed_applications"].sum()
    cost = f"£{spend / apps:,.0f} an application" if apps > 0 else "no applications expected"
    sentence = (
        f"Spending £{spend:,.0f} split this way would be expected to bring about {apps:,.1f} applications "
        f"({observed:,.0f} so far), {cost}. {campaign.budget_caveat()}"
    )
    chart = plots.live_budget_chart(live, table, title=f"Expected applications for £{spend:,.0f} of spend")
    figures = {"spend_gbp": round(float(spend), 2), "expected_applications": round(float(apps), 2)}
    return WhatIf(sentence, chart.figure, figures, chart=chart)


def budget_panel(campaign_frame: pd.DataFrame, interactive: bool = True, disclosure: Disclosure = NOT_PUBLISHED):
    """A spend slider per channel (£0 to three times its spend so far), with expected applications."""
    observed = campaign.campaign_metrics(campaign_frame, by=("channel",))
    spend = dict(zip(observed["channel"], observed["spend_gbp"].astype(float), strict=True))
    if not interactive:
        return StaticWhatIf(
            "What if the budget were split differently?",
            budget_what_if(campaign_frame, spend, disclosure=disclosure),
        )
    controls = {
        channel: _slider(round(value, 0), channel, 0.0, round(max(value * 3, 1000.0), 0), 100.0, ",.0f", "380px")
        for channel, value in spend.items()
    }
    panel = what_if_panel(
        "spend by channel", controls, lambda live, **v: budget_what_if(campaign_frame, v, live, disclosure)
    )
    sliders = w.VBox(list(controls.values()))
    panel.children = (sliders, *panel.children[1:])
    return panel


# ---------------------------------------------------------------------------------------------
# Pay

#: The pay what-ifs, computed without widgets (the static cells call them too).
reckoner_what_if = pay_whatif.reckoner_what_if
premium_what_if = pay_whatif.premium_what_if


def reckoner_panel(
    pay_scales,
    supplements,
    authority: str,
    role: str,
    point: str = "middle",
    one_off_years: float = 2,
    interactive: bool = True,
):
    """Ready reckoner: choose authority, role and point of the range; see the package line by line
    (:func:`workforce_lib.whatif.pay.reckoner_what_if`). None when not interactive: the static cell
    shows the reckoner at the pack's settings."""
    if not interactive:
        return None
    controls = {
        "authority": w.Dropdown(
            options=sorted(pay_scales["authority"].unique()), value=authority, description="Authority"
        ),
        "role": w.Dropdown(options=sorted(pay_scales["role"].unique()), value=role, description="Role"),
        "point": w.Dropdown(options=list(pay.POINTS), value=point, description="Point of range"),
    }
    return what_if_panel(
        "ready reckoner",
        controls,
        lambda _live, **v: pay_whatif.reckoner_what_if(
            pay_scales, supplements, v["authority"], v["role"], v["point"], one_off_years
        ),
    )


def premium_panel(
    pay_scales,
    supplements,
    authority: str,
    role: str,
    eligible_wte: float,
    point: str = "middle",
    one_off_years: float = 2,
    on_cost_rate: float = pay.DEFAULT_ON_COST_RATE,
    premium: float = 0.0,
    interactive: bool = True,
):
    """An extra-premium slider (£0-£6,000, on top of the extras already counted) and a role dropdown
    over :func:`workforce_lib.whatif.pay.premium_what_if`: rank, gap and added annual cost. None when
    not interactive: the static cell shows the what-if's sentence at the pack's settings."""
    if not interactive:
        return None

    def compute(live, premium, role):
        return pay_whatif.premium_what_if(
            pay_scales, supplements, authority, role, premium, eligible_wte, point, one_off_years, on_cost_rate, live
        )

    controls = {
        "premium": _slider(premium, "Extra premium £", 0, 6000, 250, ",.0f"),
        "role": w.Dropdown(options=sorted(pay_scales["role"].unique()), value=role, description="Role"),
    }
    return what_if_panel("market premium", controls, compute)


# ---------------------------------------------------------------------------------------------
# Benchmark against England


def benchmark_what_if(
    indicators: pd.DataFrame,
    groupings: pd.DataFrame,
    authority: str,
    indicator: str,
    live: plots.LiveChart | None = None,
) -> WhatIf:
    """One authority's indicator against its statistical neighbours, region and England."""
    label, is_rate = dfe.INDICATORS.get(indicator, (indicator, "_rate" in indicator))
    higher_is_worse = indicator != "inpost_fte"
    frame = dfe.comparison(indicators, groupings, authority, indicator)
    figures = dfe.headline(frame, higher_is_worse=higher_is_worse)

    def show(value):
        if value is None:
            return "not published"
        return f"{value:.1%}" if is_rate else f"{value:,.1f}"

    mine = show(figures["value"]) if figures["value"] is not None else figures["status"] or "not published"
    rank = (
        f"ranking {figures['rank_among_neighbours']} of {figures['of']} with its statistical neighbours (1 = lowest)"
        if figures["rank_among_neighbours"]
        else "not ranked"
    )
    sentence = (
        f"{label} in {figures['year']}: {authority} {mine}, {rank}; neighbours' median "
        f"{show(figures['neighbours_median'])}, England {show(figures['england'])}."
    )
    chart = plots.live_benchmark_chart(live, frame, authority=authority, label=label, is_rate=is_rate)
    return WhatIf(sentence, chart.figure, figures, chart=chart)


def benchmark_panel(indicators, groupings, authority: str, indicator: str, interactive: bool = True):
    """Choose any authority in the DfE file and any indicator; redraw the comparison."""
    if not interactive:
        return StaticWhatIf(
            "Another authority or indicator", benchmark_what_if(indicators, groupings, authority, indicator)
        )
    controls = {
        "authority": w.Dropdown(options=dfe.authorities(indicators), value=authority, description="Authority"),
        "indicator": w.Dropdown(
            options=[(label, key) for key, (label, _) in dfe.INDICATORS.items()],
            value=indicator,
            description="Indicator",
        ),
    }
    return what_if_panel(
        "authority and indicator",
        controls,
        lambda live, **v: benchmark_what_if(indicators, groupings, v["authority"], v["indicator"], live),
    )


# ---------------------------------------------------------------------------------------------
# Workforce plan


#: The plan's what-if, computed without widgets (the static cells call it too).
plan_what_if = plan_whatif.plan_what_if


def plan_panel(
    start,
    plan,
    settings: projection.PlanSettings,
    role_group: str = "caseholder",
    target_date: str | None = None,
    runs: int = 0,
    seed: int = 2011,
    interactive: bool = True,
):
    """Sliders for turnover, offers a year, NQSW share, agency floor and a target-date dropdown over
    :func:`workforce_lib.whatif.plan.plan_what_if`; at their starting positions (the plan's own
    values, :func:`~workforce_lib.whatif.plan.levers_now`) the panel shows the static plan exactly.
    None when not interactive: the static cells already show the plan at the pack's settings."""
    if not interactive:
        return None
    now = plan_whatif.levers_now(start, plan, settings, role_group)
    dates = plan_whatif.target_dates(start, settings.horizon_months, target_date)
    chosen = pd.Period(target_date, freq="M").strftime("%Y-%m") if target_date else dates[min(3, len(dates) - 1)]
    offers = now["offers_a_year"]
    controls = {
        "turnover_rate": _percent_slider(now["turnover_rate"], "Turnover a year", 0.0, 0.35),
        "offers_a_year": _slider(offers, "Offers a year", 0, max(round(3 * offers), 50), 1, ".1f"),
        "nqsw_share": _percent_slider(now["nqsw_share"], "NQSW share of offers", 0.0, 1.0),
        "agency_floor": _percent_slider(now["agency_floor"], "Agency floor (net vacancy)", 0.0, 0.20),
        "target_date": w.Dropdown(options=dates, value=chosen, description="Target date"),
    }

    def compute(live, target_date, **levers):
        return plan_whatif.plan_what_if(start, plan, settings, role_group, target_date, runs, seed, live=live, **levers)

    return what_if_panel("workforce plan", controls, compute)


# ---------------------------------------------------------------------------------------------
# Workforce plan by grade


def grade_plan_what_if(inputs, settings, disclosure: Disclosure = NOT_PUBLISHED) -> WhatIf:
    """The plan by grade at these settings: the projection's sentence, the least-cost plan's cost,
    the last year by grade and the chart (:func:`workforce_lib.manpower.committee.what_if` and
    :func:`~workforce_lib.manpower.committee.best_plan`, the functions the static cells call)."""
    from .manpower import committee
    from .publish import format_table

    what = committee.what_if(inputs, settings, disclosure)
    plan = committee.best_plan(inputs, settings, what.result.rates)
    last = what.table[what.table["year"] == settings.years]
    table = format_table(
        pd.DataFrame(
            {
                "grade": [g[:1].upper() + g[1:] for g in last["grade"]],
                "in_post": last["in_post"].to_numpy(),
                "band": [f"{a:,.1f} to {b:,.1f}" for a, b in zip(last["p10"], last["p90"], strict=True)],
                "establishment_fte": last["establishment_fte"].to_numpy(),
                "agency_fte": last["agency_fte"].to_numpy(),
            }
        ),
        fte=("in_post", "establishment_fte", "agency_fte"),
        rename={
            "grade": "Grade",
            "in_post": f"Projected in post after {settings.years} years",
            "band": "P10 to P90",
            "establishment_fte": "Establishment",
            "agency_fte": "Agency cover needed",
        },
        table_id="grade_what_if",
    ).to_html()
    sentence = f"{what.sentence} {committee.plan_sentence(plan, settings.years)}"
    return WhatIf(sentence, what.figure, {**what.figures, "plan": committee.plan_figures(plan)}, table)


def grade_plan_panel(inputs, settings, interactive: bool = True, disclosure: Disclosure = NOT_PUBLISHED):
    """Sliders for the NQSW intake, the promotion rate into the focus grade (senior practitioner on the
    default ladder), a factor on leaving rates (all grades or one, all service bands or one) and a cap
    on the focus grade's posts; redraws the projection and re-solves the least-cost plan."""
    from dataclasses import replace

    from .manpower import committee
    from .manpower.scenario import _focus

    ladder = inputs.ladder
    if not interactive:
        return StaticWhatIf("The plan by grade", grade_plan_what_if(inputs, settings, disclosure))
    resolved = committee.resolve(inputs, settings)
    focus_index = _focus(ladder, None)
    focus = ladder.names[focus_index]
    below = ladder.names[focus_index - 1] if focus_index > 0 else None
    promotion_now = resolved.promotion.get(below, 0.0) if below else 0.0
    cap_now = resolved.caps.get(focus, 0.0)
    controls = {
        "intake": _slider(
            round(resolved.nqsw_intake, 1),
            f"Recruits a year as {ladder.names[0]}",
            0,
            max(round(3 * resolved.nqsw_intake), 60),
            0.1,
            ".1f",
        ),
        "factor": _slider(settings.leaving_factor, "Leaving rates × ", 0.5, 1.5, 0.05, ".2f"),
        "grade": w.Dropdown(
            options=[("all grades", "")] + [(g, g) for g in ladder.names],
            value=settings.leaving_grade or "",
            description="Leaving in",
        ),
        "band": w.Dropdown(
            options=[("any length of service", "")] + [(b, b) for b in inputs.rates.bands.labels],
            value=settings.leaving_band or "",
            description="Service",
        ),
        "cap": _slider(
            cap_now, f"Cap on {focus} posts (0 = none)", 0, max(round(2 * inputs.establishment[focus]), 10), 1, ".0f"
        ),
    }
    if below is not None and (focus_index - 1) not in inputs.by_years:
        controls["promotion"] = _percent_slider(promotion_now, f"Promoted a year to {focus}", 0.0, 0.30)

    def compute(_live, intake, factor, grade, band, cap, promotion=None):
        caps = {k: v for k, v in settings.caps.items() if ladder.names[ladder.index(k)] != focus}
        if cap > 0:
            caps[focus] = cap
        moved = replace(
            settings,
            nqsw_intake=intake if intake != round(resolved.nqsw_intake, 1) else settings.nqsw_intake,
            leaving_factor=factor,
            leaving_grade=grade,
            leaving_band=band,
            caps=caps,
            promotion_rates=settings.promotion_rates
            if promotion is None or promotion == promotion_now
            else {**settings.promotion_rates, below: promotion},
        )
        return grade_plan_what_if(inputs, moved, disclosure)

    return what_if_panel("workforce plan by grade", controls, compute)
