"""Own census figures beside DfE's published ones: every difference beyond rounding, with its likely cause.

An authority computes its measures from its own return (:func:`.measures.census_measures`) months
before DfE publishes. Once DfE has published that year, the two should agree: both use the same
definitions and DfE's rounding. When they do not, the difference is a question for the census
lead (was the return amended during DfE's checks? were moves recorded as leavers?), so each one
is named with its likely cause. A rate that differs only because one of its inputs differs says
so, rather than repeating the cause.

Tolerance: headcounts and cases must be equal; FTE, rates and caseload are published to one
decimal place, so a difference of 0.1 is "rounding" (DfE rounds some rates from rounded inputs).
"""

from __future__ import annotations

import math

import pandas as pd

from .measures import COUNT_COLUMNS, ID_COLUMNS, MEASURE_COLUMNS

ROUNDING = 0.1 + 1e-9
LABELS = {
    "inpost_fte": "FTE in post",
    "inpost_headcount": "headcount in post",
    "starters_fte": "FTE starters",
    "starters_headcount": "headcount of starters",
    "leavers_fte": "FTE leavers",
    "leavers_headcount": "headcount of leavers",
    "turnover_rate_fte": "turnover rate (FTE)",
    "turnover_rate_headcount": "turnover rate (headcount)",
    "agency_fte": "agency FTE",
    "agency_headcount": "agency headcount",
    "agency_rate_fte": "agency rate (FTE)",
    "agency_rate_headcount": "agency rate (headcount)",
    "agency_cover_fte": "agency FTE covering vacancies",
    "agency_cover_rate_fte": "share of agency FTE covering vacancies",
    "vacancy_fte": "FTE vacancies",
    "vacancy_rate_fte": "vacancy rate (FTE)",
    "vacancy_agency_cover_rate_fte": "share of vacancies covered by agency",
    "case_holders_fte": "case-holding FTE",
    "cases": "cases",
    "caseload_fte": "caseload per case-holding FTE",
    "working_days_lost_fte": "working days lost",
    "absence_rate_fte": "absence rate (FTE)",
}
#: The measures each derived measure is computed from.
INPUTS = {
    "turnover_rate_fte": ("leavers_fte", "inpost_fte"),
    "turnover_rate_headcount": ("leavers_headcount", "inpost_headcount"),
    "agency_rate_fte": ("agency_fte", "inpost_fte"),
    "agency_rate_headcount": ("agency_headcount", "inpost_headcount"),
    "agency_cover_rate_fte": ("agency_cover_fte", "agency_fte"),
    "vacancy_rate_fte": ("vacancy_fte", "inpost_fte"),
    "vacancy_agency_cover_rate_fte": ("agency_cover_fte", "vacancy_fte"),
    "caseload_fte": ("cases", "case_holders_fte"),
    "absence_rate_fte": ("working_days_lost_fte", "inpost_fte"),
}
#: The likely cause of a difference in a measure counted from the workers or the LA-level block.
CAUSES = {
    "inpost": "who was in post at 30 September differs: records added, removed or corrected after this file "
    "(DfE publishes the return as amended during its checks), or role dates changed",
    "starters": "who started in the census year differs: start dates changed after this file, or a move within "
    "children's social work (a new role within 7 days of the last) recorded differently",
    "leavers": "who left in the census year differs: end dates changed after this file, or a move within "
    "children's social work (a new role within 7 days of the last) recorded as a leaver",
    "agency": "agency workers in post at 30 September differ: the AgencyWorker flag or their dates changed "
    "after this file",
    "agency_cover": "the LA-level agency cover (NoAgencyFTE) was revised after this file",
    "vacancy": "the LA-level vacancies (NumberOfVacancies) were revised after this file",
    "case_holders": "case-holding workers differ: Cases30 changed, or agency case holders counted differently "
    "(DfE counts every worker in post with Cases30 above 0)",
    "cases": "Cases30 changed after this file",
    "working_days_lost": "WorkingDaysLost changed after this file, or whose absence counts (LA-employed workers "
    "in post at 30 September)",
}


def _cause_key(measure: str) -> str:
    for key in sorted(CAUSES, key=len, reverse=True):
        if measure.startswith(key):
            return key
    raise KeyError(measure)


def _gap(own: float, published: float) -> float:
    if any(v is None or (isinstance(v, float) and math.isnan(v)) for v in (own, published)):
        return math.nan
    return float(own) - float(published)


def _beyond_rounding(measure: str, gap: float) -> bool:
    if math.isnan(gap):
        return False
    return gap != 0 if measure in COUNT_COLUMNS else abs(gap) > ROUNDING


def published_rows(indicators: pd.DataFrame) -> pd.DataFrame:
    """DfE's local-authority rows of the tidy indicators frame, wide, in the census's units
    (rates in percent, as published), one row per year and LA code ('940 / 941' gives each code)."""
    la = indicators[indicators["level"] == "Local authority"]
    value = la["value"].where(~la["indicator"].astype(str).str.contains("_rate"), la["value"] * 100)
    long = la.assign(value=value.round(6), code=la["la_code"].astype(str).str.split("/")).explode("code")
    long["code"] = long["code"].str.strip()
    table = long.pivot_table(index=["year", "code"], columns="indicator", values=["value", "status_text"],
                             aggfunc="first", observed=True, dropna=False)
    values, status = table["value"], table["status_text"].add_suffix("_status")
    return values.join(status)


def reconcile(own: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """Own measures (:func:`.measures.census_measures`) beside DfE's published row of the same
    authority and year, one row per measure, for every year DfE has published.

    Columns: time_period, old_la_code, la_name, measure (DfE's column), label, own, published,
    difference (own - published), result ("agrees", "rounding", "differs", "not published") and
    cause (plain words; for a derived rate whose input differs, that input). Years DfE has not
    published are left out (:func:`unpublished_years` names them).
    """
    published = published_rows(indicators)
    rows = []
    for record in own.to_dict("records"):
        key = (int(record["time_period"]), str(record["old_la_code"]))
        if key not in published.index:
            continue
        theirs = published.loc[key]
        gaps = {m: _gap(record[m], theirs.get(m, math.nan)) for m in MEASURE_COLUMNS}
        for measure in MEASURE_COLUMNS:
            rows.append(
                {
                    **{c: record[c] for c in ID_COLUMNS},
                    "measure": measure,
                    "label": LABELS[measure],
                    "own": record[measure],
                    "published": theirs.get(measure, math.nan),
                    "difference": gaps[measure],
                    **_verdict(measure, record, theirs, gaps),
                }
            )
    columns = [*ID_COLUMNS, "measure", "label", "own", "published", "difference", "result", "cause"]
    return pd.DataFrame(rows, columns=columns)


def _verdict(measure: str, record: dict, theirs: pd.Series, gaps: dict[str, float]) -> dict[str, str]:
    status = theirs.get(f"{measure}_status", "")
    own_missing = pd.isna(record[measure])
    if pd.isna(theirs.get(measure, math.nan)):
        reason = status if isinstance(status, str) and status else "not available"
        cause = f"DfE did not publish it ({reason})"
        if not own_missing:
            cause += "; the own figure is shown for the authority's use only"
        return {"result": "not published", "cause": cause}
    if own_missing:
        item = "NumberOfVacancies" if "vacancy" in measure else "NoAgencyFTE" if "cover" in measure else None
        cause = f"the return has no {item}" if item else "the own figure has no denominator (nobody in it)"
        return {"result": "differs", "cause": cause}
    gap = gaps[measure]
    if gap == 0:
        return {"result": "agrees", "cause": ""}
    differing = [LABELS[m] for m in INPUTS.get(measure, ()) if _beyond_rounding(m, gaps[m])]
    if not _beyond_rounding(measure, gap):
        return {"result": "rounding", "cause": "rounding (DfE rounds to one decimal place)"}
    if differing:
        return {"result": "differs", "cause": "follows from the difference in " + " and ".join(differing)}
    if measure in INPUTS:
        return {"result": "differs", "cause": "inputs agree within rounding; DfE may have computed it from revised "
                "or rounded figures"}
    return {"result": "differs", "cause": CAUSES[_cause_key(measure)]}


def unpublished_years(own: pd.DataFrame, indicators: pd.DataFrame) -> list[int]:
    """Years of own measures that DfE has not published for that authority (nothing to reconcile)."""
    published = published_rows(indicators).index
    keys = zip(own["time_period"].astype(int), own["old_la_code"].astype(str), strict=True)
    return sorted({year for year, code in keys if (year, code) not in published})


def summary(table: pd.DataFrame) -> pd.DataFrame:
    """Per authority and year: measures compared, agreeing (exactly or within rounding), differing."""
    if table.empty:
        return pd.DataFrame(columns=[*ID_COLUMNS, "compared", "agree", "differ", "not_published"])
    grouped = table.groupby(ID_COLUMNS, sort=True)["result"]
    return pd.DataFrame(
        {
            "compared": grouped.size(),
            "agree": grouped.apply(lambda r: int(r.isin(["agrees", "rounding"]).sum())),
            "differ": grouped.apply(lambda r: int((r == "differs").sum())),
            "not_published": grouped.apply(lambda r: int((r == "not published").sum())),
        }
    ).reset_index()


def measure_text(measure: str, value, signed: bool = False) -> str:
    """A census measure as a committee reads it: counts whole ("1,234"), rates "15.4%" (they are
    percentages here), FTE and caseload to one decimal place; a marker as it is; missing "not
    available". ``signed``: a difference, "+1.2" or "−3.4"."""
    if isinstance(value, str):
        return value
    if value is None or pd.isna(value):
        return "not available"
    size = abs(value) if signed else value
    shown = f"{size:,.0f}" if measure in COUNT_COLUMNS else f"{size:,.1f}"
    shown += "%" if "_rate" in measure and not signed else " points" if "_rate" in measure else ""
    if signed:
        shown = ("−" if value < 0 else "+" if value > 0 else "") + shown
    return shown


def differences(table: pd.DataFrame) -> pd.DataFrame:
    """The measures that differ beyond rounding, as text: year, measure, own, published,
    difference (own - published, signed; rates in percentage points) and likely cause."""
    rows = table[table["result"] == "differs"]

    def text(column: str, signed: bool = False) -> list[str]:
        return [measure_text(m, v, signed) for m, v in zip(rows["measure"], rows[column], strict=True)]

    return pd.DataFrame(
        {
            "time_period": rows["time_period"].astype(int),
            "label": [t[:1].upper() + t[1:] for t in rows["label"]],
            "own": text("own"),
            "published": text("published"),
            "difference": text("difference", signed=True),
            "cause": rows["cause"],
        }
    )


def summary_sentence(table: pd.DataFrame, unpublished: list[int]) -> str:
    """The reconciliation in words, per year: how many measures agree with DfE's published
    figures (exactly or within rounding) and how many differ; years DfE has not yet published."""
    parts = []
    for row in summary(table).itertuples(index=False):
        compared = row.compared - row.not_published
        text = f"{row.time_period}: {row.agree} of {compared} measures agree with DfE's published figures"
        text += " (exactly or within rounding)"
        text += f"; {row.differ} differ, each with its likely cause below" if row.differ else ""
        parts.append(text + ".")
    if unpublished:
        years = ", ".join(str(y) for y in unpublished)
        them = "it" if len(unpublished) == 1 else "them"
        parts.append(f"DfE has not yet published {years}, so there is nothing to check {them} against.")
    return " ".join(parts) if parts else "No return to check against DfE's published figures."
