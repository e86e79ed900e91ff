"""England's published children's social work workforce statistics (DfE) and statistical neighbours.

Reads DfE's own file as published (not the workbench's data contract): one row per year
(reporting year to 30 September) and geography (National, Regional, Local authority). Special
values become missing with the reason kept alongside, so a chart says "suppressed" instead of
drawing a gap or a zero:

    x not available, z not applicable, c confidential, u low reliability, low rounds to 0 but is not 0

Rates are published as percentages to one decimal place; here they are fractions (15.4 -> 0.154).
DfE definitions, used both to check the published rates and to put an authority's own monthly
figures next to them:

    turnover rate = FTE leavers in the year / FTE in post at 30 September
    agency rate   = agency FTE / (agency FTE + FTE in post)
    vacancy rate  = FTE vacancies / (FTE vacancies + FTE in post)

Quirks handled (see data/dfe/README.md): a combined row for North / West Northamptonshire with
codes "940 / 941" (and Kingston upon Thames / Richmond upon Thames, "314 / 318"); LA codes that
change between years (Dorset 835 -> 838); regional rows for Inner and Outer London as well as
London; authorities created after the April 2021 neighbour groupings (Cumberland, Westmorland and
Furness) take the neighbours of the authority they replaced (Cumbria).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from .data import DataError, Problem, read_raw
from .errors import AnalysisError, NotAvailableError
from .quarters import quarter_of_rank

STATUS_TEXT = {
    "x": "not available",
    "z": "not applicable",
    "c": "confidential",
    "u": "low reliability",
    "low": "rounds to 0",
}
ID_COLUMNS = [
    "time_period",
    "time_identifier",
    "geographic_level",
    "country_name",
    "region_code",
    "region_name",
    "old_la_code",
    "new_la_code",
    "la_name",
]
VALUE_COLUMNS = [
    "inpost_fte",
    "inpost_headcount",
    "starters_fte",
    "starters_headcount",
    "leavers_fte",
    "leavers_headcount",
    "turnover_rate_fte",
    "turnover_rate_headcount",
    "agency_fte",
    "agency_headcount",
    "agency_rate_fte",
    "agency_rate_headcount",
    "agency_cover_fte",
    "agency_cover_rate_fte",
    "vacancy_fte",
    "vacancy_rate_fte",
    "vacancy_agency_cover_rate_fte",
    "case_holders_fte",
    "cases",
    "caseload_fte",
    "working_days_lost_fte",
    "absence_rate_fte",
]
#: Indicators a committee compares, with their labels and whether they are rates.
INDICATORS = {
    "turnover_rate_fte": ("Turnover rate (FTE)", True),
    "vacancy_rate_fte": ("Vacancy rate (FTE)", True),
    "agency_rate_fte": ("Agency worker rate (FTE)", True),
    "caseload_fte": ("Average caseload per case-holding FTE", False),
    "absence_rate_fte": ("Sickness absence rate (FTE)", True),
}
#: Authorities created after the April 2021 groupings, and the authority they replaced.
PREDECESSORS = {"942": "909", "943": "909"}
LEVELS = ("National", "Regional", "Local authority")


def shown(indicator: str, value) -> str:
    """One indicator's value as a committee reads it: "15.4%" for a rate (a fraction here), "17.2"
    for a caseload, the suppression marker as it is, "not available" when missing."""
    if isinstance(value, str):
        return value
    if value is None or pd.isna(value):
        return "not available"
    return f"{value:.1%}" if INDICATORS[indicator][1] else f"{value:,.1f}"


def shown_rows(frame: pd.DataFrame, key: str, columns: Sequence[str]) -> pd.DataFrame:
    """``frame`` with each of ``columns`` as text (:func:`shown`), the indicator of each row in ``key``."""
    out = frame.copy()
    for column in columns:
        out[column] = [shown(k, v) for k, v in zip(out[key], out[column], strict=True)]
    return out


def shown_columns(frame: pd.DataFrame, indicators: Sequence[str]) -> pd.DataFrame:
    """``frame`` with each column named after an indicator as text (:func:`shown`)."""
    return frame.assign(**{i: [shown(i, v) for v in frame[i]] for i in indicators})


def _is_rate(column: str) -> bool:
    return "_rate_" in column or column.endswith("_rate")


def load_dfe_indicators(path: Path | str) -> pd.DataFrame:
    """DfE's workforce indicators file as a tidy frame, one row per year, geography and indicator.

    Columns: year, level, region_name, la_code, la_name, area, indicator, value (rates as
    fractions), status (x, z, c, u, low or blank) and status_text. A file in an older or unknown
    layout is a DataError naming the columns it lacks.
    """
    path = Path(path)
    raw = read_raw(path, path.name, unique_header=False)
    missing = [c for c in ID_COLUMNS + VALUE_COLUMNS if c not in raw.columns]
    if missing:
        raise DataError(
            [
                Problem(
                    path.name,
                    1,
                    ", ".join(missing),
                    None,
                    "DfE's 2017-2025 layout of the children's social work workforce indicators "
                    f"(this file lacks {len(missing)} of its columns)",
                )
            ]
        )
    problems = []
    years = pd.to_numeric(raw["time_period"], errors="coerce")
    for row in raw.index[years.isna()]:
        problems.append(Problem(path.name, int(row), "time_period", raw.at[row, "time_period"], "a year like 2025"))
    levels = raw["geographic_level"].str.strip()
    for row in raw.index[~levels.isin(LEVELS)]:
        problems.append(
            Problem(
                path.name, int(row), "geographic_level", raw.at[row, "geographic_level"], f"one of: {', '.join(LEVELS)}"
            )
        )
    frames = []
    for column in VALUE_COLUMNS:
        text = raw[column].str.strip()
        status = text.where(text.isin(list(STATUS_TEXT)), "")
        value = pd.to_numeric(text.where(status == ""), errors="coerce")
        bad = (status == "") & value.isna() & (text != "")
        for row in raw.index[bad]:
            problems.append(
                Problem(
                    path.name, int(row), column, raw.at[row, column], "a number or one of DfE's symbols x, z, c, u, low"
                )
            )
        status = status.where(~((status == "") & (text == "")), "x")  # a blank cell is "not available"
        if _is_rate(column):
            value = value / 100
        frames.append(
            pd.DataFrame(
                {
                    "row": raw.index,
                    "indicator": column,
                    "value": value.to_numpy(dtype=float),
                    "status": status.to_numpy(),
                }
            )
        )
    if problems:
        raise DataError(problems)
    ids = pd.DataFrame(
        {
            "row": raw.index,
            "year": years.astype(int).to_numpy(),
            "level": levels.to_numpy(),
            "region_name": raw["region_name"].str.strip().to_numpy(),
            "la_code": raw["old_la_code"].str.strip().to_numpy(),
            "la_name": raw["la_name"].str.strip().to_numpy(),
        }
    )
    ids["area"] = np.where(
        ids["level"] == "Local authority",
        ids["la_name"],
        np.where(ids["level"] == "Regional", ids["region_name"], "England"),
    )
    long = ids.merge(pd.concat(frames, ignore_index=True), on="row").drop(columns="row")
    long["status_text"] = long["status"].map(STATUS_TEXT).fillna("")
    long = long.sort_values(["level", "area", "indicator", "year"], kind="stable").reset_index(drop=True)
    # Categories make the many equality filters of a comparison fast (a 32,000-row frame).
    for column in ("level", "indicator"):
        long[column] = long[column].astype("category")
    return long


def wide(indicators: pd.DataFrame) -> pd.DataFrame:
    """One row per year and area, one column per indicator (values only)."""
    keys = ["year", "level", "region_name", "la_code", "la_name", "area"]
    table = indicators.set_index([*keys, "indicator"])["value"].unstack("indicator")
    table.columns.name = None
    return table.reset_index()


def recompute_rates(indicators: pd.DataFrame) -> pd.DataFrame:
    """DfE's turnover, agency and vacancy rates recomputed from the FTE columns, beside the published.

    For each rate: ``<rate>_computed`` and ``<rate>_difference`` (computed - published, in
    percentage points); missing where an input is suppressed or the denominator is 0.
    """
    table = wide(indicators)
    inpost = table["inpost_fte"]

    def ratio(num, den):
        return num / den.where(den > 0)

    table["turnover_rate_fte_computed"] = ratio(table["leavers_fte"], inpost)
    table["agency_rate_fte_computed"] = ratio(table["agency_fte"], table["agency_fte"] + inpost)
    table["vacancy_rate_fte_computed"] = ratio(table["vacancy_fte"], table["vacancy_fte"] + inpost)
    for rate in ("turnover_rate_fte", "agency_rate_fte", "vacancy_rate_fte"):
        table[f"{rate}_difference"] = (table[f"{rate}_computed"] - table[rate]) * 100
    return table


# ---------------------------------------------------------------------------------------------
# Statistical neighbours


def load_neighbours(path: Path | str) -> pd.DataFrame:
    """DfE's statistical neighbour groupings as a tidy frame: la_code, la_name, region,
    neighbour_rank (1-10), neighbour_code, closeness."""
    path = Path(path)
    raw = read_raw(path, path.name, unique_header=False)
    raw = raw.rename(columns=lambda c: c.strip())
    needed = ["la num", "la name", "goreg"] + [f"sn{i}" for i in range(1, 11)]
    missing = [c for c in needed if c not in raw.columns]
    if missing:
        raise DataError([Problem(path.name, 1, ", ".join(missing), None, "DfE's statistical neighbour layout")])
    raw = raw[raw["la num"].str.strip() != ""]
    closeness_columns = [c for c in raw.columns if c.startswith("snp")]
    rows = []
    for _, row in raw.iterrows():
        for i in range(1, 11):
            code = str(row[f"sn{i}"]).strip()
            if not code:
                continue
            rows.append(
                {
                    "la_code": str(row["la num"]).strip(),
                    "la_name": str(row["la name"]).strip(),
                    "region": str(row["goreg"]).strip(),
                    "neighbour_rank": i,
                    "neighbour_code": code,
                    "closeness": str(row[closeness_columns[i - 1]]).strip() if i - 1 < len(closeness_columns) else "",
                }
            )
    return pd.DataFrame(rows)


def code_to_area(indicators: pd.DataFrame) -> dict[str, str]:
    """Every DfE LA code (a combined code '940 / 941' counts for each part) -> the area name that
    carries its figures in the latest year it appears."""
    la = indicators[indicators["level"] == "Local authority"][["year", "la_code", "area"]].drop_duplicates()
    mapping: dict[str, str] = {}
    for row in la.sort_values("year").itertuples(index=False):
        for part in str(row.la_code).split("/"):
            mapping[part.strip()] = row.area
    return mapping


def authorities(indicators: pd.DataFrame) -> list[str]:
    """Every local authority (area name) in the file."""
    return sorted(indicators.loc[indicators["level"] == "Local authority", "area"].unique())


def current_authorities(indicators: pd.DataFrame) -> list[str]:
    """Local authorities in the file's latest year (those that exist now: not Cumbria, not Northamptonshire)."""
    la = indicators[indicators["level"] == "Local authority"]
    return sorted(la.loc[la["year"] == la["year"].max(), "area"].unique())


class UnknownAuthorityError(NotAvailableError):
    """An authority DfE's file does not hold: the benchmark section is not available for it."""


def resolve_authority(indicators: pd.DataFrame, name_or_code: str | int) -> str:
    """The DfE area name for an authority given by name (any case) or three-digit LA code (886 = Kent)."""
    from .authorities import closest, match

    text = str(name_or_code).strip()
    names = authorities(indicators)
    codes = code_to_area(indicators)
    if text in codes:
        return codes[text]
    found = match(text, names)
    if found is not None:
        return found
    close = closest(text, names)
    hint = f"; the closest names are {', '.join(close)}" if close else ""
    raise UnknownAuthorityError(
        f"{text!r} is not a local authority name or LA code in DfE's published statistics{hint}. "
        "Set authority in the pack file to the name DfE uses or to the three-digit LA code."
    )


def select_authorities(indicators: pd.DataFrame, groupings: pd.DataFrame, selection) -> list[str]:
    """The authorities a multi-authority pack covers, in order, without repeats.

    ``selection`` is ``"all"`` (every authority in the latest year), a list of names or LA codes,
    ``{"neighbours_of": X}`` (X then its ten statistical neighbours; ``include_self: false`` leaves
    X out) or ``{"region": R}`` (every current authority in region R).
    """
    if isinstance(selection, str) and selection.strip().lower() == "all":
        return current_authorities(indicators)
    if isinstance(selection, list):
        if not selection:
            raise AnalysisError("the list of authorities is empty")
        chosen = [resolve_authority(indicators, item) for item in selection]
    elif isinstance(selection, dict) and "neighbours_of" in selection:
        unknown = sorted(set(selection) - {"neighbours_of", "include_self"})
        if unknown:
            raise AnalysisError(f"unknown key(s) {unknown} beside neighbours_of; allowed: include_self")
        centre = resolve_authority(indicators, selection["neighbours_of"])
        chosen = ([centre] if selection.get("include_self", True) else []) + list(
            neighbours_of(indicators, groupings, centre)["area"]
        )
    elif isinstance(selection, dict) and set(selection) == {"region"}:
        wanted = str(selection["region"]).strip().lower()
        chosen = [a for a in current_authorities(indicators) if region_of(indicators, a).lower() == wanted]
        if not chosen:
            regions = sorted({region_of(indicators, a) for a in current_authorities(indicators)})
            raise AnalysisError(f"no authority in region {selection['region']!r}; regions: {regions}")
    else:
        raise AnalysisError(
            f"{selection!r} is not a selection of authorities: give 'all', a list of names or LA codes, "
            "{neighbours_of: NAME} or {region: NAME}"
        )
    return list(dict.fromkeys(chosen))


def slug(authority: str) -> str:
    """A folder name for an authority: 'Bath and North East Somerset' -> 'bath-and-north-east-somerset'."""
    import re

    return re.sub(r"[^a-z0-9]+", "-", authority.lower()).strip("-")


def codes_of(indicators: pd.DataFrame, authority: str) -> list[str]:
    """The old LA codes an authority has had in DfE's file (latest first; a combined row gives each)."""
    rows = indicators[(indicators["level"] == "Local authority") & (indicators["area"] == authority)]
    if rows.empty:
        raise AnalysisError(f"{authority!r} is not a local authority in the DfE file")
    codes = []
    for code in rows.sort_values("year", ascending=False)["la_code"].unique():
        codes.extend(part.strip() for part in str(code).split("/"))
    return codes


def neighbours_of(indicators: pd.DataFrame, groupings: pd.DataFrame, authority: str) -> pd.DataFrame:
    """An authority's ten statistical neighbours: rank, area name in the DfE file, closeness, region.

    Uses the authority's own codes (latest first; a combined row uses its first code's grouping),
    else its predecessor's (Cumberland and Westmorland and Furness: Cumbria's). Neighbours that
    share one combined DfE row are listed once, at their closest rank.
    """
    codes = codes_of(indicators, authority)
    candidates = codes + [PREDECESSORS[c] for c in codes if c in PREDECESSORS]
    groups = groupings[groupings["la_code"].isin(candidates)]
    if groups.empty:
        raise AnalysisError(f"no statistical neighbours for {authority} (codes {codes}) in the groupings file")
    first = next(c for c in candidates if c in set(groups["la_code"]))
    group = groups[groups["la_code"] == first].sort_values("neighbour_rank")
    names = code_to_area(indicators)
    group = group.assign(area=group["neighbour_code"].map(names))
    group = group[group["area"].notna() & (group["area"] != authority)].drop_duplicates("area", keep="first")
    latest = (
        indicators[indicators["level"] == "Local authority"].sort_values("year").drop_duplicates("area", keep="last")
    )
    regions = dict(zip(latest["area"], latest["region_name"], strict=True))
    group = group.assign(region=group["area"].map(regions), grouping_code=first)
    return group[["neighbour_rank", "area", "closeness", "region", "grouping_code"]].reset_index(drop=True)


def region_of(indicators: pd.DataFrame, authority: str) -> str:
    """The authority's region in the latest year it appears (London, not Inner or Outer London)."""
    rows = indicators[(indicators["level"] == "Local authority") & (indicators["area"] == authority)]
    if rows.empty:
        raise AnalysisError(f"{authority!r} is not a local authority in the DfE file")
    region = str(rows.sort_values("year")["region_name"].iloc[-1])
    return "London" if region in ("Inner London", "Outer London") else region


def comparison(
    indicators: pd.DataFrame,
    groupings: pd.DataFrame,
    authority: str,
    indicator: str,
    years: Sequence[int] | None = None,
) -> pd.DataFrame:
    """One indicator for the authority, its neighbours, their median, its region and England.

    Tidy frame: year, role (authority, neighbour, neighbour median, region, England), area, value,
    status, status_text, closeness. The neighbour median is over neighbours with a value that year.
    """
    neighbours = neighbours_of(indicators, groupings, authority)
    region = region_of(indicators, authority)
    data = indicators[indicators["indicator"] == indicator]
    if data.empty:
        raise AnalysisError(
            f"{indicator!r} is not an indicator of the DfE file; choose from {sorted(indicators['indicator'].unique())}"
        )
    if years:
        data = data[data["year"].isin(list(years))]
    local = data[data["level"] == "Local authority"]
    parts = [
        local[local["area"] == authority].assign(role="authority", closeness=""),
        local[local["area"].isin(neighbours["area"])]
        .merge(neighbours[["area", "closeness"]], on="area")
        .assign(role="neighbour"),
        data[(data["level"] == "Regional") & (data["area"] == region)].assign(role="region", closeness=""),
        data[data["level"] == "National"].assign(role="England", closeness=""),
    ]
    frame = pd.concat(parts, ignore_index=True)
    neigh = frame[frame["role"] == "neighbour"]
    median = neigh.groupby("year")["value"].median().rename("value").reset_index()
    median = median.assign(role="neighbour median", area="Neighbours' median", status="", status_text="", closeness="")
    columns = ["year", "role", "area", "value", "status", "status_text", "closeness"]
    out = pd.concat([frame[columns], median[columns]], ignore_index=True)
    return out.sort_values(["role", "area", "year"], kind="stable").reset_index(drop=True)


def neighbour_ranking(comparison_frame: pd.DataFrame, year: int, higher_is_worse: bool = True) -> pd.DataFrame:
    """The authority and its neighbours ranked for one year (1 = best: lowest where higher is
    worse), with the quarter of the values each is in (``quarter_by_value``: "lowest" to "highest",
    by the value whichever way is better, :func:`workforce_lib.quarters.quarter_of_rank`);
    suppressed values are listed last with their reason."""
    rows = comparison_frame[
        (comparison_frame["year"] == year) & comparison_frame["role"].isin(["authority", "neighbour"])
    ]
    known = rows[rows["value"].notna()].sort_values("value", ascending=higher_is_worse, kind="stable")
    n = len(known)
    known = known.assign(rank=np.arange(1, n + 1), of=n)
    from_lowest = known["rank"] if higher_is_worse else n + 1 - known["rank"]
    known["quarter_by_value"] = [quarter_of_rank(int(r), n) for r in from_lowest]
    unknown = rows[rows["value"].isna()].assign(rank=np.nan, of=n, quarter_by_value=None)
    return pd.concat([known, unknown], ignore_index=True)[
        ["area", "role", "value", "status_text", "rank", "of", "quarter_by_value"]
    ]


def headline(comparison_frame: pd.DataFrame, year: int | None = None, higher_is_worse: bool = True) -> dict:
    """Latest value, England's, the neighbours' median, the rank among the authority and its
    neighbours and the quarter of their values it is in (:func:`neighbour_ranking`)."""
    data = comparison_frame
    year = int(year or data.loc[data["role"] == "authority", "year"].max())
    at = data[data["year"] == year]

    def value(role):
        v = at.loc[at["role"] == role, "value"]
        return None if v.empty or pd.isna(v.iloc[0]) else round(float(v.iloc[0]), 4)

    ranking = neighbour_ranking(data, year, higher_is_worse)
    mine = ranking[ranking["role"] == "authority"]
    rank = None if mine.empty or pd.isna(mine["rank"].iloc[0]) else int(mine["rank"].iloc[0])
    quarter = None if rank is None else mine["quarter_by_value"].iloc[0]
    status = at.loc[at["role"] == "authority", "status_text"]
    return {
        "year": year,
        "value": value("authority"),
        "status": "" if status.empty else str(status.iloc[0]),
        "england": value("England"),
        "neighbours_median": value("neighbour median"),
        "rank_among_neighbours": rank,
        "of": int(ranking["of"].iloc[0]) if len(ranking) else 0,
        "quarter_by_value": quarter,
    }
