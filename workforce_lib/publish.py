"""Report helpers: tables formatted for a committee, headline figures recorded for the pack.

Tables: rates as percentages with one decimal, money as ``£12,345``, FTE with one decimal,
stable HTML (fixed table id, sorted rows) so nbval can compare stored outputs.
Headline figures: a notebook displays them under a JSON mimetype the pack collects into
``figures.json``; the same display carries a text form that nbval checks.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping

import pandas as pd

FIGURES_MIMETYPE = "application/vnd.workforce.figures+json"

RAG_COLOURS = {
    "green": "background-color: #cfe8d8",
    "amber": "background-color: #fbe3b0",
    "red": "background-color: #f6c6b5",
}


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$])")


def markdown_text(value) -> str:
    """Text from a data or pack file, safe to put inside Markdown: HTML-escaped, and every Markdown
    and MathJax character backslash-escaped, so it shows as written and never becomes markup,
    a link or a formula ('<script>' shows as <script>; '$x$' as $x$)."""
    return html.escape(_MARKDOWN_SPECIAL.sub(r"\\\1", str(value)), quote=True)


def _cell_format(show):
    """A table-cell formatter: text (a suppression marker) unchanged, missing as 'n/a', else ``show``."""

    def format_cell(value) -> str:
        if isinstance(value, str):
            return value
        return "n/a" if pd.isna(value) else show(value)

    return format_cell


#: 0.151 -> '15.1%'; -0.02 -> '−2.0%' (a true minus sign, as money)
fmt_rate = _cell_format(lambda v: f"{'−' if round(v * 100, 1) < 0 else ''}{abs(v) * 100:.1f}%")
#: 318.8 -> '318.8'
fmt_fte = _cell_format(lambda v: f"{v:,.1f}")
#: 51.0 -> '51'
fmt_count = _cell_format(lambda v: f"{v:,.0f}")
#: 3.7599 -> '£3.76' (unit costs)
fmt_pence = _cell_format(lambda v: f"{'−' if v < 0 else ''}£{abs(v):,.2f}")
#: 26422 -> '£26,422'; -1541 -> '−£1,541'
fmt_money = _cell_format(lambda v: f"{'−' if round(v) < 0 else ''}£{abs(v):,.0f}")


def format_table(
    frame: pd.DataFrame,
    *,
    rates: tuple[str, ...] = (),
    fte: tuple[str, ...] = (),
    money: tuple[str, ...] = (),
    pence: tuple[str, ...] = (),
    counts: tuple[str, ...] = (),
    na_text: Mapping[str, str] | None = None,
    rename: Mapping[str, str] | None = None,
    status_column: str | None = None,
    table_id: str = "table",
    caption: str | None = None,
):
    """A pandas Styler with committee formatting and a fixed id (stable HTML for nbval).

    The status column, if named, is coloured red/amber/green; ``na_text`` says per column what a
    missing value means (e.g. cost per application -> "no applications").
    """
    formatters = (
        {c: fmt_rate for c in rates}
        | {c: fmt_fte for c in fte}
        | {c: fmt_money for c in money}
        | {c: fmt_pence for c in pence}
        | {c: fmt_count for c in counts}
    )
    # Text cells come from data files: escaped, so a team named '<script>' shows as written.
    styler = frame.style.format(formatters, na_rep="n/a", escape="html").hide(axis="index").set_uuid(table_id)
    for column, text in (na_text or {}).items():
        if column in frame.columns:
            styler = styler.format(formatters.get(column), subset=[column], na_rep=text, escape="html")
    if status_column is not None:
        styler = styler.map(lambda v: RAG_COLOURS.get(v, ""), subset=[status_column])
    if rename:
        styler = styler.relabel_index([rename.get(c, c) for c in frame.columns], axis="columns")
    if caption:
        styler = styler.set_caption(caption)
    # Numbers right-aligned (the page's default), words left-aligned so they read as text.
    numeric = set(formatters)
    text_columns = [
        i for i, c in enumerate(frame.columns) if c not in numeric and not pd.api.types.is_numeric_dtype(frame[c])
    ]
    styler = styler.set_table_styles(
        [
            {"selector": "th", "props": "text-align: left; padding: 2px 8px;"},
            {"selector": "td", "props": "padding: 2px 8px;"},
        ]
        + [{"selector": f"td.col{i}", "props": "text-align: left;"} for i in text_columns]
    )
    return styler


class Figures:
    """Headline figures of one notebook, shown for nbval and collected by the pack.

    ``display(Figures("vacancy", {...}))`` puts the figures in the notebook's output under
    :data:`FIGURES_MIMETYPE` (read by ``workforce pack`` into figures.json) and as sorted JSON
    text (compared by nbval, so a changed formula fails CI).
    """

    def __init__(self, section: str, figures: Mapping):
        self.section = section
        self.figures = json.loads(json.dumps(figures, sort_keys=True))

    def _repr_mimebundle_(self, include=None, exclude=None):
        from .headlines import section_headlines

        payload = {"section": self.section, "figures": self.figures}
        text = f"Headline figures ({self.section}):\n" + json.dumps(self.figures, indent=1, sort_keys=True)
        rows = section_headlines("", {self.section: self.figures})
        with_target = any(r.target is not None for r in rows)
        body = "".join(
            f"<tr><td style='text-align:left'>{html.escape(r.label)}</td>"
            + f"<td style='text-align:{'right' if r.is_number else 'left'}'>{html.escape(r.shown)}</td>"
            + (f"<td class='num'>{html.escape(r.target_shown)}</td>" if with_target else "")
            + "</tr>"
            for r in rows
        )
        left = "scope='col' style='text-align:left'"
        head = f"<tr><th {left}>Figure</th><th {left}>Value</th>" + (
            f"<th {left}>Target or comparison</th></tr>" if with_target else "</tr>"
        )
        table = (
            "<table class='headline-figures'>"
            "<caption style='text-align:left'>Headline figures of this section</caption>"
            f"<thead>{head}</thead><tbody>{body}</tbody></table>"
        )
        return {FIGURES_MIMETYPE: payload, "text/plain": text, "text/html": table}


def collect_figures(notebook) -> dict[str, dict]:
    """Every headline-figures output of an executed notebook (nbformat node), by section."""
    found: dict[str, dict] = {}
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if FIGURES_MIMETYPE in data:
                payload = data[FIGURES_MIMETYPE]
                found[payload["section"]] = payload["figures"]
    return found
