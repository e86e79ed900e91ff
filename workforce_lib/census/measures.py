"""DfE's local-authority measures of the children's social work workforce, from census returns.

One row per return (authority x census year, reference date 30 September), with the column names
of DfE's published csww_indicators file, so own and published rows line up. Sources: DfE,
"Children's social work workforce" methodology and data guidance, and the definitions in DfE's
dashboard code (CSC_outcomes_and_enablers); the formulas marked "checked" reproduce every
local-authority row of the published 2017-2025 file within rounding.

Scope: every record of a return is a registered (SWENo) children and family social worker, the
census's and DfE's scope; "LA-employed" is ``AgencyWorker`` 0, "agency" is 1. In post at the
reference date R: ``RoleStartDate`` (if any) <= R and no ``RoleEndDate`` <= R. The census year is
1 October to R. A move within the authority's children's social work (one record ending and the
same SWENo starting again within :data:`~.checks.MOVE_GAP_DAYS`) is neither a leaver nor a
starter; a move out of it within the authority (``ReasonLeave`` 7) is a leaver, as DfE counts it.
Headcounts count people (distinct SWENo), not records. FTE is the worker's ``FTE`` item
(``FTE30`` is not used: DfE's use of it is not confirmed).

Rounding as DfE publishes: FTE, rates and caseload to one decimal place, half away from zero,
from unrounded figures; headcounts and cases whole. A measure whose denominator is 0, or whose
LA-level item is missing, is NaN (DfE would show 'z' or 'x'), never a guess.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

from ..dfe import VALUE_COLUMNS
from .checks import MOVE_GAP_DAYS, known_authorities
from .read import CensusReturn

ID_COLUMNS = ["time_period", "old_la_code", "la_name"]
#: The measure columns of DfE's csww_indicators file, in its order (own and published rows line up).
MEASURE_COLUMNS = list(VALUE_COLUMNS)
COUNT_COLUMNS = {"inpost_headcount", "starters_headcount", "leavers_headcount", "agency_headcount", "cases"}
#: Rates of agency cover, which DfE does not publish above 100% (more agency cover than agency
#: workers, or than vacancies): it shows 'u' (low reliability) instead. Evidence: in the published
#: 2017-2025 file, all 21 local-authority rows whose published figures give a cover rate above 100%
#: (5 agency_cover_rate_fte, 16 vacancy_agency_cover_rate_fte) show 'u', and no published cover
#: rate exceeds 100.0. The own figure is then NaN, as DfE's is missing.
COVER_RATES = ("agency_cover_rate_fte", "vacancy_agency_cover_rate_fte")


def working_days(year: int) -> int:
    """Working days in census ``year`` for the absence rate: 253, or 254 when the year (1 October
    to 30 September) has 29 February. Derived from DfE's published rows: with it every
    local-authority absence_rate_fte of 2017-2025 but a handful (inputs rounded) is reproduced."""
    return 254 if calendar.isleap(year) else 253


def round_half_up(value: float, places: int = 1) -> float:
    """``value`` rounded as DfE rounds (half away from zero); NaN stays NaN."""
    if value is None or not math.isfinite(value):
        return math.nan
    exact = Decimal(f"{value:.10f}")  # drop float noise (0.1 + 0.2) before rounding
    return float(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def _ratio(numerator: float, denominator: float, scale: float = 100.0) -> float:
    if denominator is None or not math.isfinite(denominator) or denominator == 0 or not math.isfinite(numerator):
        return math.nan
    return numerator / denominator * scale


def moves_within(workers: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Records that end (``moved_out``) or start (``moved_in``) a move within the authority's
    children's social work: LA-employed records of one person, the later starting on or within
    MOVE_GAP_DAYS of the day the earlier ended."""
    moved_out = pd.Series(False, index=workers.index)
    moved_in = pd.Series(False, index=workers.index)
    la = workers[workers["agency"] == 0]
    repeated = la[la["person"].duplicated(keep=False)].sort_values(["person", "start"])
    if repeated.empty:
        return moved_out, moved_in
    gap = pd.Timedelta(days=MOVE_GAP_DAYS)
    same = repeated["person"].eq(repeated["person"].shift())
    prev_end = repeated["end"].shift()
    chained = same & prev_end.notna() & (repeated["start"] >= prev_end) & (repeated["start"] <= prev_end + gap)
    moved_in.loc[chained[chained].index] = True
    out_index = repeated.index[np.flatnonzero(chained.to_numpy()) - 1]
    moved_out.loc[out_index] = True
    return moved_out, moved_in


def populations(ret: CensusReturn) -> pd.DataFrame:
    """Who each worker record counts as, one boolean column each, for the measures and the
    characteristics alike (one definition per population).

    - la / agency: AgencyWorker 0 / 1;
    - in_post: RoleStartDate blank or on or before 30 September, RoleEndDate blank or after it;
    - starting / leaving: RoleStartDate / RoleEndDate in the census year (1 October to 30
      September), less moves within children's social work (:func:`moves_within`).
    """
    w = ret.workers
    ref = pd.Timestamp(ret.reference_date)
    first = pd.Timestamp(ret.reference_date.year - 1, 10, 1)
    moved_out, moved_in = moves_within(w)
    return pd.DataFrame(
        {
            "la": w["agency"] == 0,
            "agency": w["agency"] == 1,
            "in_post": (w["start"].isna() | (w["start"] <= ref)) & (w["end"].isna() | (w["end"] > ref)),
            "starting": w["start"].between(first, ref) & ~moved_in,
            "leaving": w["end"].between(first, ref) & ~moved_out,
        },
        index=w.index,
    )


def return_measures(ret: CensusReturn) -> dict[str, float]:
    """Every DfE local-authority measure of one return, rounded as DfE publishes them.

    - inpost_fte / _headcount: LA-employed in post at 30 September: sum of FTE / distinct people.
    - starters_fte / _headcount: LA-employed with RoleStartDate in the census year, less moves within.
    - leavers_fte / _headcount: LA-employed with RoleEndDate in the census year, less moves within.
    - turnover_rate_fte = leavers_fte / inpost_fte x 100 (at 30 September, not an average; checked);
      turnover_rate_headcount = leavers_headcount / inpost_headcount x 100 (checked).
    - agency_fte / _headcount: agency workers in post at 30 September, covering a vacancy or not.
    - agency_rate_fte = agency_fte / (agency_fte + inpost_fte) x 100 (checked); _headcount likewise.
    - agency_cover_fte: the LA-level NoAgencyFTE (agency workers covering vacancies);
      agency_cover_rate_fte = agency_cover_fte / agency_fte x 100 (checked).
    - vacancy_fte: the LA-level NumberOfVacancies; vacancy_rate_fte = vacancy_fte / (vacancy_fte +
      inpost_fte) x 100 (checked); vacancy_agency_cover_rate_fte = agency_cover_fte / vacancy_fte x 100.
      A cover rate above 100% is NaN: DfE does not publish one (:data:`COVER_RATES`).
    - case_holders_fte: FTE of workers in post (LA-employed and agency: DfE's file has rows with
      more case-holder FTE than LA FTE in post) with Cases30 > 0; cases = their Cases30;
      caseload_fte = cases / case_holders_fte (checked).
    - working_days_lost_fte: WorkingDaysLost of LA-employed workers in post at 30 September;
      absence_rate_fte = working_days_lost_fte / (inpost_fte x working_days(year)) x 100 (checked).
    """
    w = ret.workers
    who = populations(ret)
    la, agency, in_post, starting, leaving = (who[k] for k in ("la", "agency", "in_post", "starting", "leaving"))

    def fte(mask) -> float:
        return float(w.loc[mask, "fte"].sum())

    def people(mask) -> int:
        return int(w.loc[mask, "person"].nunique())

    inpost_fte, inpost_hc = fte(la & in_post), people(la & in_post)
    leavers_fte, leavers_hc = fte(la & leaving), people(la & leaving)
    agency_fte, agency_hc = fte(agency & in_post), people(agency & in_post)
    cover = ret.la_level.get("NoAgencyFTE", math.nan)
    vacancies = ret.la_level.get("NumberOfVacancies", math.nan)
    holding = in_post & (w["cases30"] > 0)
    holders_fte, cases = fte(holding), float(w.loc[holding, "cases30"].sum())
    days_lost = float(w.loc[la & in_post, "working_days_lost"].sum())
    raw = {
        "inpost_fte": inpost_fte,
        "inpost_headcount": inpost_hc,
        "starters_fte": fte(la & starting),
        "starters_headcount": people(la & starting),
        "leavers_fte": leavers_fte,
        "leavers_headcount": leavers_hc,
        "turnover_rate_fte": _ratio(leavers_fte, inpost_fte),
        "turnover_rate_headcount": _ratio(leavers_hc, inpost_hc),
        "agency_fte": agency_fte,
        "agency_headcount": agency_hc,
        "agency_rate_fte": _ratio(agency_fte, agency_fte + inpost_fte),
        "agency_rate_headcount": _ratio(agency_hc, agency_hc + inpost_hc),
        "agency_cover_fte": cover,
        "agency_cover_rate_fte": _ratio(cover, agency_fte),
        "vacancy_fte": vacancies,
        "vacancy_rate_fte": _ratio(vacancies, vacancies + inpost_fte),
        "vacancy_agency_cover_rate_fte": _ratio(cover, vacancies),
        "case_holders_fte": holders_fte,
        "cases": cases,
        "caseload_fte": _ratio(cases, holders_fte, scale=1.0),
        "working_days_lost_fte": days_lost,
        "absence_rate_fte": _ratio(days_lost, inpost_fte * working_days(ret.year)),
    }
    measures = {k: (int(v) if k in COUNT_COLUMNS else round_half_up(v)) for k, v in raw.items()}
    for k in COVER_RATES:
        if measures[k] > 100:
            measures[k] = math.nan  # DfE shows 'u', never a cover rate above 100%
    return measures


def census_measures(returns: Iterable[CensusReturn], indicators=None) -> pd.DataFrame:
    """One row per return: time_period, old_la_code, la_name (DfE's latest name for the code)
    and every measure column of csww_indicators, sorted by authority and year."""
    names, _ = known_authorities(indicators)
    names = names or {}
    rows = [
        {"time_period": r.year, "old_la_code": r.lea, "la_name": names.get(r.lea, ""), **return_measures(r)}
        for r in returns
    ]
    frame = pd.DataFrame(rows, columns=ID_COLUMNS + MEASURE_COLUMNS)
    frame = frame.sort_values(["old_la_code", "time_period"], ignore_index=True)
    return frame.astype({c: "Int64" for c in COUNT_COLUMNS})
