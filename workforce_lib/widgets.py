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
from dataclasses import dataclass

import ipywidgets as w
import pandas as pd
from matplotlib.figure import Figure

from . import plots, vacancy


@dataclass
class WhatIf:
    """What a what-if panel shows for one setting of its controls."""

    sentence: str
    figure: Figure
    figures: dict

    def png(self) -> bytes:
        return plots.figure_png(self.figure)


class StaticWhatIf:
    """A what-if result shown without widgets (packs): the sentence and the chart as an image."""

    def __init__(self, title: str, result: WhatIf):
        self.title = title
        self.result = result

    def _repr_mimebundle_(self, include=None, exclude=None):
        image = base64.b64encode(self.result.png()).decode("ascii")
        body = (
            f"<div class='what-if-static'><p><strong>{html.escape(self.title)}</strong> "
            f"(at this pack's settings)</p><p>{html.escape(self.result.sentence)}</p>"
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


def _percent_slider(value: float, description: str, low: float = 0.0, high: float = 0.35) -> w.FloatSlider:
    return w.FloatSlider(
        value=value,
        min=low,
        max=high,
        step=0.005,
        description=description,
        readout_format=".1%",
        continuous_update=False,
        style={"description_width": "initial"},
        layout=w.Layout(width="420px"),
    )


# ---------------------------------------------------------------------------------------------
# Vacancy


def vacancy_what_if(staffing: pd.DataFrame, target: float, role_group: str) -> WhatIf:
    """Vacancy by team against a target for one role group: sentence, chart, headline figures."""
    table = vacancy.team_table(staffing, target, role_group)
    total = table[table["area"] == "Total"].iloc[0]
    as_of = staffing["as_of"].max().date().isoformat()
    label = role_group.capitalize() + "s"
    figure = plots.vacancy_by_team_chart(table, target, title_group=label, as_of=as_of)
    teams = table[table["team"] != "All teams"]
    figures = {
        "target": target,
        "vacancy_rate": round(float(total["vacancy_rate"]), 3),
        "teams_above_target": int((teams["vacancy_rate"] > target + 1e-12).sum()),
    }
    return WhatIf(vacancy.vacancy_sentence(total, target, label), figure, figures)


def vacancy_panel(staffing: pd.DataFrame, target: float, role_group: str, interactive: bool = True):
    """Slider for the vacancy target and a dropdown for the role group, redrawing the team chart."""
    if not interactive:
        return StaticWhatIf("What if the target were different?", vacancy_what_if(staffing, target, role_group))
    slider = _percent_slider(target, "Vacancy target", 0.0, 0.30)
    groups = sorted(staffing["role_group"].unique())
    dropdown = w.Dropdown(options=groups, value=role_group, description="Role group")
    sentence = w.HTML()
    image = w.Image(format="png", layout=w.Layout(max_width="820px"))

    def update(_change=None) -> None:
        result = vacancy_what_if(staffing, slider.value, dropdown.value)
        sentence.value = f"<p>{html.escape(result.sentence)}</p>"
        image.value = result.png()

    slider.observe(update, names="value")
    dropdown.observe(update, names="value")
    update()
    return Panel("vacancy target and role group", [w.HBox([slider, dropdown]), sentence, image])
