"""What-if panels (ipywidgets) that call the same library functions as the static cells.

Each panel has one "what-if" function in :mod:`workforce_lib.whatif` (no widgets) that takes the
slider values and returns a :class:`WhatIf` (a sentence and a chart), used three ways: by the
panel's ``.observe`` handler (setting an ``HTML`` widget and an ``Image`` widget: no prints, so
nbval stays stable), by the notebooks' static cells (the panel's starting position, so a static
pack, where widget JavaScript is unavailable offline, gets ``None`` from a panel and shows nothing
twice), and by tests and benchmarks. :class:`StaticWhatIf` shows a result without widgets.
"""

from __future__ import annotations

import base64
import html

import ipywidgets as w
import pandas as pd

from . import dfe, pay, plots, projection
from .disclosure import NOT_PUBLISHED, Disclosure
from .whatif import WhatIf
from .whatif import benchmark as benchmark_whatif
from .whatif import budget as budget_whatif
from .whatif import grade_plan as grade_plan_whatif
from .whatif import pay as pay_whatif
from .whatif import plan as plan_whatif
from .whatif import turnover as turnover_whatif
from .whatif import vacancy as vacancy_whatif


class StaticWhatIf:
    """A what-if result shown without widgets (packs): the sentence and the chart as an image."""

    def __init__(self, title: str, result: WhatIf):
        self.title = title
        self.result = result

    def _repr_mimebundle_(self, include=None, exclude=None):
        image = base64.b64encode(self.result.png()).decode("ascii")
        # The image's alt text is the chart's title + the sentence it illustrates, as for every chart.
        alt = plots.alt_text(plots.describe(self.result.figure, self.result.sentence))
        body = (
            f"<div class='what-if-static'><p><strong>{html.escape(self.title)}</strong> "
            f"(at this pack's settings)</p><p>{html.escape(self.result.sentence)}</p>{self.result.table_html}"
            f"<img alt='{html.escape(alt, quote=True)}' src='data:image/png;base64,{image}'/></div>"
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
        # An Image widget has no alt attribute; its tooltip carries the chart's title + sentence.
        image.tooltip = plots.alt_text(plots.describe(result.figure, result.sentence))

    for control in controls.values():
        control.observe(update, names="value")
    update()
    row = w.HBox(list(controls.values()), layout=w.Layout(flex_flow="row wrap", grid_gap="4px 16px"))
    return Panel(description, [row, sentence, image])


# ---------------------------------------------------------------------------------------------
# Vacancy


#: Vacancy by team at a target, computed without widgets (the static cells call it too).
vacancy_what_if = vacancy_whatif.vacancy_what_if


def vacancy_panel(
    staffing: pd.DataFrame,
    target: float,
    role_group: str,
    interactive: bool = True,
    disclosure: Disclosure = NOT_PUBLISHED,
):
    """Slider for the vacancy target and a dropdown for the role group over
    :func:`workforce_lib.whatif.vacancy.vacancy_what_if`, starting at the static team chart's values.
    None when not interactive: the static cells already show the team chart at the pack's target."""
    if not interactive:
        return None
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


#: A year ahead at a turnover rate, computed without widgets (the static cells call it too).
turnover_what_if = turnover_whatif.turnover_what_if


def turnover_panel(
    staffing: pd.DataFrame,
    plan: pd.DataFrame | None,
    turnover_rate: float,
    role_group: str,
    area: str = "",
    vacancy_target: float = 0.10,
    interactive: bool = True,
):
    """Turnover-rate slider (0-35%) with role-group and area dropdowns over
    :func:`workforce_lib.whatif.turnover.turnover_what_if`, starting at the static year ahead's values.
    None when not interactive: the static cell already shows the year ahead at the planning rate."""
    if not interactive:
        return None
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


#: Expected applications for a split of the budget, computed without widgets.
budget_what_if = budget_whatif.budget_what_if


def budget_panel(campaign_frame: pd.DataFrame, interactive: bool = True, disclosure: Disclosure = NOT_PUBLISHED):
    """A spend slider per channel (£0 to three times its spend so far) over
    :func:`workforce_lib.whatif.budget.budget_what_if`, starting at the spend so far (unrounded, so the
    expected applications start at those observed). None when not interactive: at the spend so far the
    what-if repeats the ranking table."""
    if not interactive:
        return None
    spend = budget_whatif.spend_now(campaign_frame)
    controls = {
        channel: _slider(value, channel, 0.0, round(max(value * 3, 1000.0), 0), 100.0, ",.0f", "380px")
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


#: The benchmark what-if, computed without widgets (the static cells call it too).
benchmark_what_if = benchmark_whatif.benchmark_what_if


def benchmark_panel(indicators, groupings, authority: str, indicator: str, interactive: bool = True):
    """Choose any authority in the DfE file and any indicator; redraw the comparison through
    :func:`workforce_lib.whatif.benchmark.benchmark_what_if`. None when not interactive: the static
    cells already show every indicator at the pack's settings."""
    if not interactive:
        return None
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
        lambda live, **v: benchmark_whatif.benchmark_what_if(
            indicators, groupings, v["authority"], v["indicator"], live
        ),
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


#: The plan by grade at these settings, computed without widgets.
grade_plan_what_if = grade_plan_whatif.grade_plan_what_if


def grade_plan_panel(inputs, settings, interactive: bool = True, disclosure: Disclosure = NOT_PUBLISHED):
    """Sliders for the NQSW intake, the promotion rate into the focus grade (senior practitioner on the
    default ladder), a factor on leaving rates (all grades or one, all service bands or one) and a cap
    on the focus grade's posts over :func:`workforce_lib.whatif.grade_plan.grade_plan_what_if`; at their
    starting positions (:func:`~workforce_lib.whatif.grade_plan.levers_now`) the static projection and
    plan. None when not interactive: the static cells already show them at the pack's settings."""
    if not interactive:
        return None
    ladder = inputs.ladder
    now = grade_plan_whatif.levers_now(inputs, settings)
    focus, _below = grade_plan_whatif.focus_grades(inputs)
    controls = {
        "intake": _slider(
            now["intake"], f"Recruits a year as {ladder.names[0]}", 0, max(round(3 * now["intake"]), 60), 0.1, ".1f"
        ),
        "factor": _slider(now["factor"], "Leaving rates × ", 0.5, 1.5, 0.05, ".2f"),
        "grade": w.Dropdown(
            options=[("all grades", "")] + [(g, g) for g in ladder.names], value=now["grade"], description="Leaving in"
        ),
        "band": w.Dropdown(
            options=[("any length of service", "")] + [(b, b) for b in inputs.rates.bands.labels],
            value=now["band"],
            description="Service",
        ),
        "cap": _slider(
            now["cap"], f"Cap on {focus} posts (0 = none)", 0, max(round(2 * inputs.establishment[focus]), 10), 1, ".0f"
        ),
    }
    if "promotion" in now:
        controls["promotion"] = _percent_slider(now["promotion"], f"Promoted a year to {focus}", 0.0, 0.30)

    def compute(_live, **levers):
        moved = grade_plan_whatif.moved_settings(inputs, settings, **levers)
        return grade_plan_what_if(inputs, moved, disclosure)

    return what_if_panel("workforce plan by grade", controls, compute)
