"""The result of a what-if: what a panel or a static cell shows for one setting of its levers."""

from __future__ import annotations

from dataclasses import dataclass

from matplotlib.figure import Figure

from .. import plots


@dataclass
class WhatIf:
    """What a what-if shows for one setting of its controls: sentence, chart and headline figures."""

    sentence: str
    figure: Figure
    figures: dict
    table_html: str = ""
    chart: plots.LiveChart | None = None  # the figure as a live chart, updated in place by the next move

    def png(self) -> bytes:
        return self.chart.png() if self.chart is not None else plots.figure_png(self.figure)
