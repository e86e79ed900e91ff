"""Headline figures in a councillor's words: labels, formatted values, targets and red/amber/green.

A notebook records its headline figures as a nested mapping (``publish.Figures``), which the pack
keeps in ``figures.json`` for machines. This module turns one section's figures into rows a
councillor reads: "Vacancy rate: caseholders | 15.1% | target 10.0% | red", with one rounding
rule per kind of figure (the table formatters of :mod:`workforce_lib.publish`), so the section's
table, the pack's summary and ``figures.json`` agree.

Each :data:`CATALOGUE` entry names a path in the figures (``*`` matches any key, such as a role
group or a pay role from the council's own files), its label, its kind and which way is better.
Figures the catalogue does not name are still shown, with a label made from their key.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Mapping
from dataclasses import dataclass

from .periods import long_date
from .publish import fmt_count, fmt_fte, fmt_money, fmt_pence, fmt_rate

#: A figure other than a rate within this share of its target (relative) is amber rather than red:
#: a caseload of 16 against 15.4 is amber, 17 is red. Rates follow the vacancy section's rule
#: (amber up to 5 points above). The workbench's convention, shown on every summary page.
AMBER_MARGIN = 0.10


@dataclass(frozen=True)
class Rule:
    """How one figure (or a family of figures, with ``*``) is shown."""

    path: str
    label: str
    kind: str  # rate, fte, money, pence, count, number, month, months, month_range, date, text, year
    better: str | None = None  # "lower", "higher" or None (no direction)
    target: str | None = None  # path of the target within the same figures, if any
    headline: bool = True  # in the pack's one-page summary (else only on the section's page)


R = Rule
#: Labels and kinds of the figures the workbench's sections record.
CATALOGUE: tuple[Rule, ...] = (
    # 01 vacancy
    R("vacancy.by_role_group.*.vacancy_rate", "Vacancy rate: {2}", "rate", "lower", "vacancy.target"),
    R("vacancy.by_role_group.*.net_vacancy_rate", "Vacancy rate after agency cover: {2}", "rate", "lower"),
    R("vacancy.by_role_group.*.establishment_fte", "Establishment (FTE): {2}", "fte", headline=False),
    R("vacancy.by_role_group.*.in_post_fte", "In post (FTE): {2}", "fte", headline=False),
    R("vacancy.by_role_group.*.agency_fte", "Agency workers (FTE): {2}", "fte", "lower", headline=False),
    R("vacancy.by_role_group.*.more_in_post_to_meet_target_fte", "More in post to meet the vacancy target (FTE): {2}",
      "fte", "lower", headline=False),
    R("vacancy.target", "Vacancy target", "rate", headline=False),
    R("vacancy.as_of", "Staffing snapshot", "date", headline=False),
    # 02 turnover
    R("turnover.turnover_rate.*", "Turnover in the last 12 months: {2}", "rate", "lower"),
    R("turnover.stability_index.*", "Stability (in post a year ago and still here): {2}", "rate", "higher"),
    R("turnover.leavers.*", "Leavers in the last 12 months: {2}", "count", headline=False),
    R("turnover.share_leavers_under_5y", "Leavers with under 5 years' service", "rate", "lower", headline=False),
    R("turnover.median_service", "Median length of service", "text", headline=False),
    R("turnover.as_of", "Twelve months to", "date", headline=False),
    # 03 workforce plan
    R("workforce_plan.month_target_met", "Month the vacancy target is met and held", "month"),
    R("workforce_plan.hires_per_year", "Starts a year in the plan", "number"),
    R("workforce_plan.hires_per_year_for_target_date", "Starts a year needed to meet the target date", "number"),
    R(
        "workforce_plan.final_vacancy_rate",
        "Vacancy rate at the end of the plan",
        "rate",
        "lower",
        "workforce_plan.target",
    ),
    R(
        "workforce_plan.month_target_met_p10_p90",
        "Month the target is met: likely range (1 in 10 to 9 in 10)",
        "month",
        headline=False,
    ),
    R("workforce_plan.role_group", "Staff group planned", "text", headline=False),
    R("workforce_plan.month_target_first_reached", "Month the vacancy target is first reached", "month",
      headline=False),
    R("workforce_plan.months_above_target_again", "Months above the target again after first reaching it",
      "months", headline=False),
    R("workforce_plan.target", "Vacancy target", "rate", headline=False),
    R("workforce_plan.peak_agency_fte", "Most agency workers needed (FTE)", "fte", "lower", headline=False),
    R("workforce_plan.total_cost", "Cost of the plan", "money", headline=False),
    # 04 pay
    R("pay.roles.*.gap_to_median_gbp", "Pay against the neighbours' median: {2}", "money", "higher"),
    R("pay.roles.*.gap_to_best_gbp", "Pay behind the best-paying neighbour: {2}", "money", "lower", headline=False),
    R("pay.roles.*.rank", "Pay rank among the authorities compared (1 = highest paid): {2}", "count", headline=False),
    R("pay.roles.*.of", "Authorities compared: {2}", "count", headline=False),
    R("pay.roles.*.quarter_by_value", "Quarter of the authorities compared, by pay: {2}", "text", headline=False),
    R("pay.one_off_years", "Years one-off payments are spread over", "count", headline=False),
    R("pay.point", "Point of each pay range compared", "text", headline=False),
    R("pay.authority", "", "skip"),
    R("pay.scenarios.*.first_year_cost", "Cost in the first year: {2}", "money", headline=False),
    R("pay.scenarios.*.recurring_cost", "Cost each year after: {2}", "money", headline=False),
    # 05 campaign
    R("campaign_funnel.applications", "Applications", "count", "higher"),
    R("campaign_funnel.cost_per_application", "Cost per application", "pence", "lower"),
    R("campaign_funnel.visitors", "Visitors to the campaign pages", "count", "higher", headline=False),
    R("campaign_funnel.best_channel", "Channel with the most applications", "text", headline=False),
    R("campaign_funnel.week_ending", "Week ending", "date", headline=False),
    R("campaign_funnel.conversion.*.*", "{3}: {2}", "rate", "higher", headline=False),
    # 06 DfE benchmark
    R("benchmark.indicators.*.value", "DfE {2}", "indicator", "lower", "benchmark.indicators.{2}.neighbours_median"),
    R("benchmark.indicators.*.neighbours_median", "DfE {2}: neighbours' median", "indicator", headline=False),
    R("benchmark.indicators.*.england", "DfE {2}: England", "indicator", headline=False),
    R(
        "benchmark.indicators.*.rank_among_neighbours",
        "DfE {2}: rank among the neighbours and us (1 = lowest)",
        "count",
        headline=False,
    ),
    R("benchmark.indicators.*.of", "DfE {2}: authorities ranked", "count", headline=False),
    R("benchmark.indicators.*.quarter_by_value", "DfE {2}: quarter among the neighbours", "text", headline=False),
    R("benchmark.indicators.*.status", "DfE {2}: DfE's note", "text", headline=False),
    R("benchmark.authority", "", "skip"),
    R("benchmark.indicators.*.year", "DfE {2}: year", "year", headline=False),
    # 07 census
    R("census.turnover_rate", "Census return: turnover", "rate", "lower"),
    R("census.vacancy_rate", "Census return: vacancy rate", "rate", "lower"),
    R("census.agency_rate", "Census return: agency rate", "rate", "lower"),
    R("census.absence_rate", "Census return: absence rate", "rate", "lower", headline=False),
    R("census.caseload", "Census return: average caseload", "number", "lower", headline=False),
    R("census.census_year", "Census year (to 30 September)", "year", headline=False),
    R("census.inpost_headcount", "Census return: social workers in post (headcount)", "count", headline=False),
    R("census.measures_agreeing_with_dfe", "Census return: measures that agree with DfE's published figures",
      "count", headline=False),
    R("census.measures_checked_against_dfe", "Census return: measures checked against DfE's published figures",
      "count", headline=False),
    # 08 grade plan
    R("grade_plan.plan.total_cost", "Least-cost plan by grade: cost", "money", headline=False),
    R("grade_plan.plan.agency_cost", "Least-cost plan by grade: agency cost", "money", "lower", headline=False),
    R("grade_plan.projection.in_post_at_the_end_fte", "Projected in post at the end (FTE)", "fte", headline=False),
    R("grade_plan.projection.establishment_fte", "Establishment of that grade (FTE)", "fte", headline=False),
    R(
        "grade_plan.projection.peak_early_career_share",
        "Most caseholders in their first two years",
        "rate",
        "lower",
        "grade_plan.projection.early_career_ceiling",
    ),
    R("grade_plan.as_of", "Staff records to", "date", headline=False),
    R("grade_plan.plan.caps_binding", "Least-cost plan by grade: limits that bind", "count", headline=False),
    R("grade_plan.plan.status", "Least-cost plan by grade: result", "text", headline=False),
    R("grade_plan.projection.grade", "Grade projected", "text", headline=False),
    R("grade_plan.projection.years", "Years projected", "count", headline=False),
    R("grade_plan.projection.agency_in_the_last_year_fte", "Projected agency cover in the last year (FTE)", "fte",
      headline=False),
    R("grade_plan.projection.p10_fte", "Projected in post at the end, low (1 in 10) (FTE)", "fte", headline=False),
    R("grade_plan.projection.p90_fte", "Projected in post at the end, high (9 in 10) (FTE)", "fte", headline=False),
    R("grade_plan.rates.*.leaving_rate", "Leaving rate a year: {2}", "rate", "lower", headline=False),
    R("grade_plan.rates.*.promotion_rate", "Moving on a year: {2}", "rate", headline=False),
)

#: Words for the workbench's own keys (role groups, DfE indicators) where they appear in labels.
WORDS = {
    "caseholder": "caseholders",
    "manager": "managers",
    "all": "all staff",
    "turnover_rate_fte": "turnover",
    "vacancy_rate_fte": "vacancy rate",
    "agency_rate_fte": "agency rate",
    "absence_rate_fte": "absence rate",
    "caseload_fte": "average caseload",
    "offered_of_applied": "offered of those who applied",
    "offered_of_shortlisted": "offered of those shortlisted",
    "shortlisted_of_applied": "shortlisted of those who applied",
}

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Headline:
    """One figure of one section, ready to show: its label, value, target and status."""

    section: str
    key: str  # the path in figures.json ('vacancy.by_role_group.caseholder.vacancy_rate')
    label: str
    value: object
    kind: str
    better: str | None = None
    target: float | None = None
    headline: bool = True

    @property
    def shown(self) -> str:
        return format_value(self.value, self.kind)

    @property
    def is_number(self) -> bool:
        """A number (right-aligned in tables), not words or a date."""
        return isinstance(self.value, (int, float)) and not isinstance(self.value, bool) and self.kind != "year"

    @property
    def target_shown(self) -> str:
        return format_value(self.target, self.kind) if self.target is not None else ""

    @property
    def status(self) -> str:
        return rag_status(self.value, self.target, self.better, self.kind)


def _words(key: str) -> str:
    return WORDS.get(key, key.replace("_", " "))


def _flatten(figures: Mapping, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], object]]:
    found = []
    for key in sorted(figures):
        value = figures[key]
        if isinstance(value, Mapping):
            found.extend(_flatten(value, prefix + (str(key),)))
        else:
            found.append((prefix + (str(key),), value))
    return found


def _lookup(figures: Mapping, path: str):
    node = figures
    for part in path.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return node


def _guess_kind(parts: tuple[str, ...], value) -> str:
    key = parts[-1]
    if isinstance(value, bool) or isinstance(value, (list, tuple)):
        return "text"
    if isinstance(value, str):
        return "date" if _ISO_DATE.match(value) else "text"
    if key == "year" or key.endswith("_year"):
        return "year"
    if key.endswith(("_rate", "_share", "target", "_index")) or "_of_" in key:
        return "rate"
    if key.startswith("cost_per_"):
        return "pence"
    if key.endswith(("_gbp", "_cost")) or key == "cost":
        return "money"
    if key.endswith("_fte"):
        return "fte"
    return "count" if isinstance(value, int) else "number"


def section_headlines(
    section: str, figures: Mapping, indicator_kinds: Mapping[str, bool] | None = None
) -> list[Headline]:
    """Every figure of one section as a :class:`Headline`, in the order of the figures' keys.

    ``indicator_kinds`` says which DfE indicators are rates (``dfe.INDICATORS``), for the kind
    "indicator"."""
    if indicator_kinds is None:
        from .dfe import INDICATORS

        indicator_kinds = {k: is_rate for k, (_label, is_rate) in INDICATORS.items()}
    rows = []
    for parts, value in _flatten(figures):
        dotted = ".".join(parts)
        rule = next((r for r in CATALOGUE if fnmatch.fnmatchcase(dotted, r.path)), None)
        if rule is None:
            label = ": ".join(_words(p) for p in parts[1:]) or _words(parts[0])
            rows.append(
                Headline(
                    section, dotted, label[:1].upper() + label[1:], value, _guess_kind(parts, value), headline=False
                )
            )
            continue
        kind = rule.kind
        if kind == "skip" or value == "":  # shown elsewhere (the authority), or nothing to show
            continue
        if kind == "indicator":
            kind = "rate" if indicator_kinds.get(parts[2], False) else "number"
        label = rule.label.format(*[_words(p) for p in parts])
        target = None
        if rule.target:
            found = _lookup(figures, rule.target.format(*parts))
            target = found if isinstance(found, (int, float)) and not isinstance(found, bool) else None
        rows.append(
            Headline(section, dotted, label[:1].upper() + label[1:], value, kind, rule.better, target, rule.headline)
        )
    return rows


def format_value(value, kind: str) -> str:
    """A figure as a councillor reads it: 15.1%, 318.8, £26,422, −£1,541, 31 March 2011, yes/no."""
    if value is None:
        return "not available"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)) and kind == "month_range" and len(value) == 2:  # best and worst case
        best, worst = (str(v).replace("not within horizon", "not within the plan") for v in value)
        return best if best == worst else f"{best} at best; {worst} at worst"
    if isinstance(value, (list, tuple)) and kind == "months":  # a list of months, not a range
        return ", ".join(format_value(v, "month") for v in value) or "none"
    if isinstance(value, (list, tuple)):
        parts = [format_value(v, kind) for v in value]
        return parts[0] if len(set(parts)) == 1 else " to ".join(parts)
    if isinstance(value, str):
        if _ISO_DATE.match(value):
            return long_date(value)
        if kind == "month" and value == "not within horizon":  # projection.NOT_WITHIN, in words
            return "not within the plan"
        return value
    if kind == "year":
        return str(int(value))
    show = {"rate": fmt_rate, "fte": fmt_fte, "money": fmt_money, "pence": fmt_pence, "count": fmt_count}.get(kind)
    if show is not None:
        return show(value)
    return f"{value:,.1f}" if isinstance(value, float) else f"{value:,}"


def rag_status(value, target, better: str | None, kind: str = "rate") -> str:
    """Red, amber or green against a target (or comparison), or '' where there is none.

    A rate is judged as the vacancy section judges it (:func:`workforce_lib.vacancy.rag_status`,
    the same function): green at or under the target as shown, amber up to
    ``vacancy.DEFAULT_AMBER_MARGIN`` (5 points) above it, red beyond. Any other figure (a
    caseload, a sum of money) is amber within :data:`AMBER_MARGIN` of it (relative). Where higher
    is better, the mirror image."""
    if target is None or better is None or not isinstance(value, (int, float)) or isinstance(value, bool):
        return ""
    if kind == "rate":
        import pandas as pd

        from .vacancy import rag_status as rate_status

        if better == "lower":
            return str(rate_status(pd.Series([float(value)]), float(target)).iloc[0])
        return str(rate_status(pd.Series([-float(value)]), -float(target)).iloc[0])
    if better == "lower":
        if value <= target:
            return "green"
        return "amber" if value <= target * (1 + AMBER_MARGIN) else "red"
    if value >= target:
        return "green"
    return "amber" if value >= target * (1 - AMBER_MARGIN) else "red"


def change_since(current: Headline, previous_value) -> str:
    """The change from the previous pack, in the figure's own units: '+1.2 points', '−£300', 'no change'."""
    value = current.value
    numeric = (int, float)
    if not isinstance(value, numeric) or isinstance(value, bool):
        if previous_value is None:
            return "new"
        return "no change" if previous_value == value else f"was {format_value(previous_value, current.kind)}"
    if not isinstance(previous_value, numeric) or isinstance(previous_value, bool):
        return "new"
    if current.kind == "rate":
        points = round((value - previous_value) * 100, 1)
        return "no change" if points == 0 else f"{'+' if points > 0 else '−'}{abs(points):.1f} points"
    shown_now, shown_before = format_value(value, current.kind), format_value(previous_value, current.kind)
    if shown_now == shown_before:
        return "no change"
    difference = value - previous_value
    sign = "+" if difference > 0 else "−"
    return sign + format_value(abs(difference), current.kind).lstrip("−")


def section_period(figures: Mapping) -> str:
    """The date a section's figures describe, in words, from its figures (as_of, week_ending,
    census or DfE year); '' if they carry none."""
    flat = dict(_flatten(figures))
    for parts, value in flat.items():
        if parts[-1] == "as_of" and isinstance(value, str) and _ISO_DATE.match(value):
            return f"at {long_date(value)}"
    for parts, value in flat.items():
        if parts[-1] == "week_ending" and isinstance(value, str) and _ISO_DATE.match(value):
            return f"week ending {long_date(value)}"
    for parts, value in flat.items():
        if parts[-1] in ("census_year", "year") and isinstance(value, int) and not isinstance(value, bool):
            return f"year to 30 September {value}"
    return ""
