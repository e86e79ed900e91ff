"""Own census measures over the years and against England, the region and statistical neighbours.

The authority's own returns give its figures for years DfE has not yet published; set beside
DfE's published series they show the trend, and beside England, the region and the neighbours'
median of the same year (or DfE's latest, when the year is not yet published) where it stands.
Rates are fractions here, as in :mod:`workforce_lib.dfe`; one rounding rule (DfE's one decimal
place) for own and published alike.
"""

from __future__ import annotations

import math

import pandas as pd

from .. import dfe
from ..disclosure import NOT_PUBLISHED, Disclosed, Disclosure
from .measures import MEASURE_COLUMNS
from .reconciliation import INPUTS, LABELS, measure_text

TREND_INDICATORS = ("turnover_rate_fte", "vacancy_rate_fte", "agency_rate_fte", "caseload_fte", "absence_rate_fte")


def as_fraction(indicator: str, value):
    """A census measure (rates in percent) in :mod:`workforce_lib.dfe`'s units (rates as fractions);
    a suppression marker passes through."""
    if isinstance(value, str):
        return value
    if value is None or pd.isna(value):
        return math.nan
    return round(float(value) / 100, 6) if dfe.INDICATORS[indicator][1] else float(value)


def own_trend(indicators: pd.DataFrame, authority: str, own: pd.DataFrame) -> pd.DataFrame:
    """The authority's published series and its own census measures, one row per year and source.

    Columns: year, source ("DfE published" or "own return"), then one per indicator of
    :data:`TREND_INDICATORS`. A year with both has two rows, published first. ``own`` is
    :func:`.measures.census_measures` for this authority (other authorities' rows are ignored).
    """
    codes = set(dfe.codes_of(indicators, authority))
    published = dfe.wide(indicators[(indicators["level"] == "Local authority") & (indicators["area"] == authority)])
    rows = [
        {"year": int(r["year"]), "source": "DfE published", **{i: r.get(i, math.nan) for i in TREND_INDICATORS}}
        for r in published.to_dict("records")
    ]
    for r in own[own["old_la_code"].astype(str).isin(codes)].to_dict("records"):
        rows.append(
            {"year": int(r["time_period"]), "source": "own return"}
            | {i: as_fraction(i, r[i]) for i in TREND_INDICATORS}
        )
    frame = pd.DataFrame(rows, columns=["year", "source", *TREND_INDICATORS])
    order = frame["source"].map({"DfE published": 0, "own return": 1})
    return frame.assign(_o=order).sort_values(["year", "_o"]).drop(columns="_o").reset_index(drop=True)


def own_against_areas(
    indicators: pd.DataFrame, groupings: pd.DataFrame, authority: str, own_row: pd.Series | dict
) -> pd.DataFrame:
    """One own return's indicators beside England, the region and the neighbours' median.

    Compared in the return's year when DfE has published it, else in DfE's latest year (and
    ``compared_year`` says which). Columns: key, indicator, own, own_year, compared_year,
    published (the authority's own published value that year), region, neighbours_median, england.
    """
    year = int(own_row["time_period"])
    rows = []
    for key in TREND_INDICATORS:
        frame = dfe.comparison(indicators, groupings, authority, key)
        years = sorted(frame["year"].unique())
        when = year if year in years else int(years[-1])
        at = frame[frame["year"] == when]

        def value(role: str, at=at) -> float:
            v = at.loc[at["role"] == role, "value"]
            return float(v.iloc[0]) if len(v) and pd.notna(v.iloc[0]) else math.nan

        rows.append(
            {
                "key": key,
                "indicator": dfe.INDICATORS[key][0],
                "own": as_fraction(key, own_row[key]),
                "own_year": year,
                "compared_year": when,
                "published": value("authority") if when == year else math.nan,
                "region": value("region"),
                "neighbours_median": value("neighbour median"),
                "england": value("England"),
            }
        )
    return pd.DataFrame(rows)


#: FTE of people: suppressed like headcounts in a published pack (vacancies are posts, not people).
PEOPLE_FTE = ("inpost_fte", "starters_fte", "leavers_fte", "agency_fte", "agency_cover_fte", "case_holders_fte")
PEOPLE_COUNTS = ("inpost_headcount", "starters_headcount", "leavers_headcount", "agency_headcount")


def disclosed_measures(own: pd.DataFrame, disclosure: Disclosure) -> Disclosed:
    """Own census measures (one row per return) under disclosure control: headcounts and FTE of
    people from 1 to the threshold hidden; each rate, caseload, case count and days lost hidden
    where what it rests on is (:data:`.reconciliation.INPUTS`)."""
    rates = {m: INPUTS[m] for m in INPUTS}
    rates |= {"cases": ("case_holders_fte",), "working_days_lost_fte": ("inpost_fte",)}
    return disclosure.table(own, counts=(*PEOPLE_COUNTS, *PEOPLE_FTE), rates=rates)


def measures_by_year(own: pd.DataFrame, disclosure: Disclosure = NOT_PUBLISHED) -> pd.DataFrame:
    """Own census measures as a committee reads them: one row per measure (in words), one column
    per year, rates as "15.4%", FTE to one decimal place, counts whole, hidden cells "[c]"."""
    shown = disclosed_measures(own.reset_index(drop=True), disclosure).frame
    columns = {}
    for i, year in enumerate(own["time_period"].astype(int)):
        label = str(year) if list(own["time_period"]).count(year) == 1 else f"{year} ({own['old_la_code'].iloc[i]})"
        columns[label] = [measure_text(m, shown.at[i, m]) for m in MEASURE_COLUMNS]
    return pd.DataFrame({"Measure": [LABELS[m][:1].upper() + LABELS[m][1:] for m in MEASURE_COLUMNS], **columns})


def characteristic_shown(table: pd.DataFrame, disclosure: Disclosure = NOT_PUBLISHED) -> pd.DataFrame:
    """A characteristic table (:mod:`.characteristics`) under disclosure control with its share
    as a fraction (for :func:`workforce_lib.publish.format_table`'s ``rates``)."""
    from .characteristics import disclosed_characteristic

    frame = disclosed_characteristic(table, disclosure).frame.copy()
    frame["share"] = [v if isinstance(v, str) or pd.isna(v) else v / 100 for v in frame["share"]]
    return frame


#: Headline figure keys of the census section (named so the pack formats them as rates or numbers).
HEADLINE_KEYS = {
    "turnover_rate_fte": "turnover_rate",
    "vacancy_rate_fte": "vacancy_rate",
    "agency_rate_fte": "agency_rate",
    "caseload_fte": "caseload",
    "absence_rate_fte": "absence_rate",
}


def headline_figures(own: pd.DataFrame, checked: pd.DataFrame, disclosure: Disclosure = NOT_PUBLISHED) -> dict:
    """The census section's headline figures: the latest return's five indicators (rates as
    fractions), its headcount in post, and how many measures of published years agree with DfE."""
    latest = disclosed_measures(own.reset_index(drop=True), disclosure).frame.iloc[-1]
    figures: dict = {"census_year": int(latest["time_period"])}
    for key, name in HEADLINE_KEYS.items():
        figures[name] = as_fraction(key, latest[key])
    figures["inpost_headcount"] = disclosure.count(latest["inpost_headcount"])
    agree = checked["result"].isin(["agrees", "rounding"])
    figures["measures_checked_against_dfe"] = int((checked["result"] != "not published").sum())
    figures["measures_agreeing_with_dfe"] = int(agree.sum())
    return figures
