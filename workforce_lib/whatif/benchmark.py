"""The DfE benchmark: one authority's indicator against its statistical neighbours, region and England.

The static section shows each indicator through :func:`benchmark_what_if`, and the panel that lets
a reader choose another authority or indicator calls the same function, so a sentence, a chart and
the headline figures (:func:`workforce_lib.dfe.headline`) are one computation wherever they appear.
Ranks run from the lowest value (1 = lowest) for every indicator; the quarter is named by the
values (:mod:`workforce_lib.quarters`).
"""

from __future__ import annotations

import pandas as pd

from .. import dfe, plots
from ..quarters import quarter_words
from .result import WhatIf

#: What the benchmark panel's controls do, shown above the panel in JupyterLab (never in a static pack).
PROMPT = "Choose any of the authorities in DfE's file and any indicator to redraw the comparison."


def indicator_label(indicator: str) -> tuple[str, bool]:
    """An indicator's label and whether it is a rate (:data:`workforce_lib.dfe.INDICATORS`)."""
    return dfe.INDICATORS.get(indicator, (indicator, "_rate" in indicator))


def _noun(indicator: str, is_rate: bool) -> str:
    return "rates" if is_rate else "caseloads" if "caseload" in indicator else "values"


def sentence(authority: str, indicator: str, figures: dict) -> str:
    """The headline of one indicator in words: value and year, the neighbours' median, England,
    rank among the authority and its neighbours (1 = lowest) and the quarter of their values."""
    label, is_rate = indicator_label(indicator)

    def show(value):
        if value is None:
            return "not published"
        return f"{value:.1%}" if is_rate else f"{value:,.1f}"

    mine = show(figures["value"]) if figures["value"] is not None else figures["status"] or "not published"
    text = (
        f"{label}: {authority} {mine} in {figures['year']}, against a neighbours' median of "
        f"{show(figures['neighbours_median'])} and England's {show(figures['england'])}"
    )
    if figures["rank_among_neighbours"]:
        text += (
            f"; {figures['rank_among_neighbours']} of {figures['of']} with its statistical neighbours (1 = lowest), "
            + quarter_words(figures["quarter_by_value"], _noun(indicator, is_rate))
        )
    else:
        text += "; not ranked"
    return text + "."


def benchmark_what_if(
    indicators: pd.DataFrame,
    groupings: pd.DataFrame,
    authority: str,
    indicator: str,
    live: plots.LiveChart | None = None,
) -> WhatIf:
    """One authority's indicator against its statistical neighbours, region and England: the
    comparison (:func:`workforce_lib.dfe.comparison`), its headline (:func:`workforce_lib.dfe.headline`,
    latest year, rank 1 = lowest), the sentence and the chart."""
    label, is_rate = indicator_label(indicator)
    frame = dfe.comparison(indicators, groupings, authority, indicator)
    figures = dfe.headline(frame)
    chart = plots.live_benchmark_chart(live, frame, authority=authority, label=label, is_rate=is_rate)
    return WhatIf(sentence(authority, indicator, figures), chart.figure, figures, chart=chart)
