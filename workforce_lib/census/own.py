"""The authority's own latest figures on DfE's definitions, beside DfE's published figures.

Own figures come, best first, from:

1. the authority's census returns (``census/*.xml`` in its data folder): the latest return's
   measures (:func:`.measures.return_measures`), exactly as DfE will publish them;
2. otherwise staff.csv and staffing.csv read as a census return (:mod:`.from_staff`): turnover at
   the latest 30 September the extract covers, and vacancies from the latest staffing snapshot.
   The agency rate needs every agency worker in post, which neither file holds: not shown.

Rates are fractions here (15.4% is 0.154), as in :mod:`workforce_lib.dfe`.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .. import dfe
from ..disclosure import NOT_PUBLISHED, Disclosure
from ..turnover import data_end_date
from ..vacancy import snapshot, vacancy_summary
from .compare import as_fraction
from .from_staff import latest_census_year, staff_measures
from .measures import return_measures
from .read import CensusReturn, returns_of

OWN_INDICATORS = ("turnover_rate_fte", "vacancy_rate_fte", "agency_rate_fte", "caseload_fte", "absence_rate_fte")
#: The FTE or counts each own figure rests on (for small-number suppression).
RESTS_ON = {
    "turnover_rate_fte": ("leavers_fte", "inpost_fte"),
    "vacancy_rate_fte": ("inpost_fte",),
    "agency_rate_fte": ("agency_fte", "inpost_fte"),
    "caseload_fte": ("case_holders_fte",),
    "absence_rate_fte": ("inpost_fte",),
}
NOT_FROM_STAFF = {
    "agency_rate_fte": "needs every agency worker in post (a census return); staffing.csv holds agency cover only",
    "caseload_fte": "needs cases per worker (a census return)",
    "absence_rate_fte": "needs working days lost (a census return)",
}


def _entry(indicator: str, measures: dict, as_of: str, source: str) -> dict:
    return {
        "value": as_fraction(indicator, measures.get(indicator, math.nan)),
        "counts": tuple(float(measures.get(k, math.nan)) for k in RESTS_ON[indicator]),
        "as_of": as_of,
        "source": source,
    }


def own_rates(
    staffing: pd.DataFrame | None,
    staff: pd.DataFrame | None,
    as_of=None,
    returns: list[CensusReturn] | None = None,
) -> dict[str, dict]:
    """The authority's own figures on DfE's definitions, one entry per indicator it can give:
    ``{"value", "counts" (what it rests on), "as_of", "source"}``; an indicator it cannot give has
    ``value`` NaN and ``reason``.

    - From the latest census return, when ``returns`` holds any: every indicator, at 30 September.
    - From staff.csv: turnover = FTE leavers in the census year (1 October to 30 September, moves
      within the service not counted) / FTE in post at 30 September, qualified caseholders and
      managers only, for the latest 30 September on or before ``as_of`` (default: the latest date
      in staff.csv) (:func:`.from_staff.staff_measures`).
    - From staffing.csv: vacancy rate = (establishment - in post) / establishment of the latest
      snapshot on or before ``as_of`` (default: the latest), summed over teams
      (:func:`workforce_lib.vacancy.vacancy_summary`, the one vacancy definition),
      which equals DfE's vacancies / (vacancies + in post).
    """
    out: dict[str, dict] = {}
    if returns:
        latest = max(returns, key=lambda r: r.year)
        measures = return_measures(latest)
        when = latest.reference_date.isoformat()
        for indicator in OWN_INDICATORS:
            out[indicator] = _entry(indicator, measures, when, f"census return {latest.year}")
        return out
    when = None if as_of is None or str(as_of) == "" else pd.Timestamp(as_of)
    if staff is not None and len(staff):
        year = latest_census_year(data_end_date(staff) if when is None else when)
        measures = staff_measures(staff, year)
        out["turnover_rate_fte"] = _entry("turnover_rate_fte", measures, f"{year}-09-30", "staff.csv")
    if staffing is not None and len(staffing):
        snap = snapshot(staffing, when)
        total = vacancy_summary(snap, by=()).iloc[0]
        measures = {"vacancy_rate_fte": float(total["vacancy_rate"]) * 100, "inpost_fte": float(total["in_post_fte"])}
        out["vacancy_rate_fte"] = _entry("vacancy_rate_fte", measures, str(snap["as_of"].max().date()), "staffing.csv")
    for indicator, reason in NOT_FROM_STAFF.items():
        out[indicator] = {"value": math.nan, "counts": (), "as_of": "", "source": "", "reason": reason}
    return out


def own_against_published(
    indicators: pd.DataFrame,
    groupings: pd.DataFrame,
    authority: str,
    staffing,
    staff,
    as_of=None,
    disclosure: Disclosure = NOT_PUBLISHED,
    returns: list[CensusReturn] | None = None,
) -> pd.DataFrame:
    """The authority's own figures (:func:`own_rates`) beside its latest published value, its
    neighbours' median and England's. An own figure resting on fewer than the threshold (leavers,
    agency or in post FTE) is suppressed in a published pack; one that cannot be computed says why.
    Only ``returns`` of ``authority`` (by its LA codes) are used."""
    if returns:
        returns = returns_of(returns, dfe.codes_of(indicators, authority))
    mine = own_rates(staffing, staff, as_of, returns)
    rows = []
    for indicator in OWN_INDICATORS:
        entry = mine.get(indicator)
        if entry is None:
            continue
        published = dfe.headline(dfe.comparison(indicators, groupings, authority, indicator))
        value = entry["value"]
        if not np.isnan(value):
            value = disclosure.rate(value, *entry["counts"], digits=None)
        rows.append(
            {
                "key": indicator,
                "indicator": dfe.INDICATORS[indicator][0],
                "own": value,
                "own_as_of": f"{pd.Timestamp(entry['as_of']):%-d %B %Y}" if entry["as_of"] else "not available",
                "own_source": entry["source"] or entry.get("reason", ""),
                "published": published["value"],
                "published_year": published["year"],
                "neighbours_median": published["neighbours_median"],
                "england": published["england"],
            }
        )
    return pd.DataFrame(rows)


#: What a reader needs to read the own figures table, in plain words.
OWN_FIGURES_NOTE = (
    "Own figures use DfE's definitions: turnover = FTE leavers in the year to 30 September (moves within "
    "children's social work are not leavers) / FTE in post at 30 September; vacancy = vacancies / "
    "(vacancies + in post); agency = all agency workers / (agency + in post), qualified social workers only. "
    "From a census return every figure is exactly as DfE will publish it; from staff.csv and staffing.csv "
    "only turnover and vacancy can be computed. Compare dates before drawing conclusions."
)


def authority_returns(indicators: pd.DataFrame, returns: list[CensusReturn], authority: str = "") -> tuple[str, list]:
    """The authority (DfE's name) and its returns, by year. With ``authority`` blank, the
    authority of the returns (they must all be one authority's). Raises NotAvailableError, in
    plain words, when there are no returns, or none for the authority."""
    from ..errors import NotAvailableError

    if not returns:
        raise NotAvailableError(
            "Not available: this section needs your census returns (the CSWW XML files you send DfE) in "
            "the data folder's census folder."
        )
    codes = sorted({r.lea for r in returns})
    if not str(authority).strip():
        if len(codes) > 1:
            raise NotAvailableError(
                f"Not available: the census folder holds returns of {len(codes)} authorities (LA codes "
                f"{', '.join(codes)}); set authority in the pack file to choose one."
            )
        authority = codes[0]
    name = dfe.resolve_authority(indicators, authority)
    mine = returns_of(returns, dfe.codes_of(indicators, name))
    if not mine:
        raise NotAvailableError(
            f"Not available: the census folder has no return for {name} (it holds LA codes {', '.join(codes)})."
        )
    return name, mine
