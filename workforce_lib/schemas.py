"""What each file of the data contract holds: its columns, their kinds and its pandera schema.

The contract is ``DATA_CONTRACT.md`` (copied into ``docs/data_contract.md``). Each file has a
:class:`FileSpec`: the columns with the kind of value they hold (used to parse what council
exports really contain: UK dates, ``£26,422``, ``15.1%``) and a pandera ``DataFrameSchema``
that checks the parsed frame: types, ranges, allowed values, duplicates and cross-column rules.
Every check carries an ``error`` text that says, in a council analyst's words, what was expected.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import pandera.pandas as pa

#: Stages of the selection funnel, in the order a candidate passes them (data contract).
FUNNEL_STAGES: tuple[str, ...] = (
    "applied",
    "shortlisted",
    "interviewed",
    "offered",
    "accepted",
    "started",
)

#: What a value of each kind should look like, for error messages.
KIND_EXPECTED: dict[str, str] = {
    "text": "some text",
    "date": "a date like 2011-04-01 or 01/04/2011",
    "month": "a month like 2011-04",
    "number": "a number",
    "integer": "a whole number",
    "money": "an amount in pounds like 26422 or £26,422",
    "rate": "a rate like 0.151 or 15.1%",
    "amount": "a number of pounds (26422, £26,422) or a fraction (0.14, 14%)",
}


@dataclass(frozen=True)
class Col:
    """One column of a contract file: the kind of value it holds and whether it may be blank."""

    kind: str
    optional: bool = False


@dataclass(frozen=True)
class RowRule:
    """A rule over several columns: its columns (shown in errors) and what it expects."""

    columns: tuple[str, ...]
    expected: str


@dataclass(frozen=True)
class FileSpec:
    """A contract file: name, columns, unique key, rules over several columns, pandera schema."""

    name: str
    filename: str
    columns: dict[str, Col]
    key: tuple[str, ...]
    rules: dict[str, RowRule] = field(default_factory=dict)
    date_columns: tuple[str, ...] = ()

    @property
    def required_columns(self) -> list[str]:
        return [c for c, spec in self.columns.items() if not spec.optional]


def _nonneg(col: str) -> pa.Check:
    return pa.Check.ge(0, error="a number >= 0")


def _unique_key(key: tuple[str, ...], filename: str) -> pa.Check:
    def check(df: pd.DataFrame) -> pd.Series:
        present = [c for c in key if c in df.columns]
        if len(present) < len(key):
            return pd.Series(True, index=df.index)
        return ~df.duplicated(subset=list(key), keep=False)

    return pa.Check(check, name="duplicate_key", error="duplicate_key", ignore_na=False)


def _ordered(earlier: str, later: str) -> pa.Check:
    def check(df: pd.DataFrame) -> pd.Series:
        if earlier not in df.columns or later not in df.columns:
            return pd.Series(True, index=df.index)
        return df[later].isna() | df[earlier].isna() | (df[later] >= df[earlier])

    name = f"{later}_before_{earlier}"
    return pa.Check(check, name=name, error=name, ignore_na=False)


# Checks over several columns return a verdict for every row themselves (a blank cell passes or
# fails as each rule says), so pandera is told not to drop rows with blanks first (ignore_na=False):
# that also spares it a scan of every cell for blanks before each rule (0.3 s at a million rows).


def _schema(spec: FileSpec, columns: dict[str, pa.Column], extra: list[pa.Check] = ()) -> pa.DataFrameSchema:
    checks = [_unique_key(spec.key, spec.filename), *extra]
    return pa.DataFrameSchema(columns, checks=checks, strict=False, coerce=False)


DTYPES = {
    "text": "object",
    "date": "datetime64[ns]",
    "month": "datetime64[ns]",
    "number": "float64",
    "money": "float64",
    "rate": "float64",
    "amount": "float64",
    "integer": "Int64",
}


def _col(spec: FileSpec, name: str, *checks: pa.Check, isin: tuple[str, ...] | None = None) -> pa.Column:
    c = spec.columns[name]
    all_checks = list(checks)
    if isin is not None:
        all_checks.append(pa.Check.isin(list(isin), error=f"one of: {', '.join(isin)}"))
    dtype = None if c.kind == "text" else DTYPES[c.kind]
    return pa.Column(dtype, checks=all_checks, nullable=c.optional, required=not c.optional)


# ---------------------------------------------------------------------------------------------
# staffing.csv

STAFFING = FileSpec(
    name="staffing",
    filename="staffing.csv",
    columns={
        "as_of": Col("date"),
        "area": Col("text"),
        "team": Col("text"),
        "role_group": Col("text"),
        "establishment_fte": Col("number"),
        "in_post_fte": Col("number"),
        "agency_fte": Col("number"),
    },
    key=("as_of", "team", "role_group"),
    rules={
        "duplicate_key": RowRule(("as_of", "team", "role_group"), "one row per as_of, team, role_group"),
        "team_in_two_areas": RowRule(("team", "area"), "each team in one area only"),
    },
    date_columns=("as_of",),
)


def _one_area_per_team(df: pd.DataFrame) -> pd.Series:
    if not {"team", "area"} <= set(df.columns):
        return pd.Series(True, index=df.index)
    areas = df.groupby("team", dropna=False, observed=True)["area"].transform("nunique")
    return areas.fillna(1) <= 1


STAFFING_SCHEMA = _schema(
    STAFFING,
    {
        "as_of": _col(STAFFING, "as_of"),
        "area": _col(STAFFING, "area"),
        "team": _col(STAFFING, "team"),
        "role_group": _col(STAFFING, "role_group"),
        "establishment_fte": _col(STAFFING, "establishment_fte", _nonneg("establishment_fte")),
        "in_post_fte": _col(STAFFING, "in_post_fte", _nonneg("in_post_fte")),
        "agency_fte": _col(STAFFING, "agency_fte", _nonneg("agency_fte")),
    },
    [pa.Check(_one_area_per_team, name="team_in_two_areas", error="team_in_two_areas", ignore_na=False)],
)

# ---------------------------------------------------------------------------------------------
# staffing_trend.csv

STAFFING_TREND = FileSpec(
    name="staffing_trend",
    filename="staffing_trend.csv",
    columns={
        "month": Col("month"),
        "role_group": Col("text"),
        "in_post_fte": Col("number"),
        "overseas_fte": Col("number", optional=True),
        "agency_fte": Col("number"),
        "establishment_fte": Col("number", optional=True),
    },
    key=("month", "role_group"),
    rules={"duplicate_key": RowRule(("month", "role_group"), "one row per month, role_group")},
    date_columns=("month",),
)
STAFFING_TREND_SCHEMA = _schema(
    STAFFING_TREND,
    {
        "month": _col(STAFFING_TREND, "month"),
        "role_group": _col(STAFFING_TREND, "role_group"),
        "in_post_fte": _col(STAFFING_TREND, "in_post_fte", _nonneg("in_post_fte")),
        "overseas_fte": _col(STAFFING_TREND, "overseas_fte", _nonneg("overseas_fte")),
        "agency_fte": _col(STAFFING_TREND, "agency_fte", _nonneg("agency_fte")),
        "establishment_fte": _col(STAFFING_TREND, "establishment_fte", _nonneg("establishment_fte")),
    },
)

# ---------------------------------------------------------------------------------------------
# staff.csv

STAFF = FileSpec(
    name="staff",
    filename="staff.csv",
    columns={
        "staff_id": Col("text"),
        "role": Col("text"),
        "team": Col("text"),
        "area": Col("text", optional=True),
        "fte": Col("number"),
        "start_date": Col("date"),
        "leave_date": Col("date", optional=True),
        "leaving_reason": Col("text", optional=True),
        "entry_route": Col("text"),
        "qualified_date": Col("date", optional=True),
    },
    key=("staff_id", "start_date"),
    rules={
        "duplicate_key": RowRule(("staff_id", "start_date"), "one row per staff_id, start_date"),
        "leave_date_before_start_date": RowRule(("start_date", "leave_date"), "leave_date on or after start_date"),
        "reason_without_leave_date": RowRule(
            ("leave_date", "leaving_reason"), "leaving_reason blank while still in post"
        ),
    },
    date_columns=("start_date", "leave_date"),
)


def _reason_only_for_leavers(df: pd.DataFrame) -> pd.Series:
    if "leaving_reason" not in df.columns or "leave_date" not in df.columns:
        return pd.Series(True, index=df.index)
    return df["leave_date"].notna() | df["leaving_reason"].isna()


STAFF_SCHEMA = _schema(
    STAFF,
    {
        "staff_id": _col(STAFF, "staff_id"),
        "role": _col(STAFF, "role"),
        "team": _col(STAFF, "team"),
        "area": _col(STAFF, "area"),
        "fte": _col(
            STAFF,
            "fte",
            pa.Check.in_range(0, 1.5, include_min=False, error="an FTE above 0 and at most 1.5"),
        ),
        "start_date": _col(STAFF, "start_date"),
        "leave_date": _col(STAFF, "leave_date"),
        "leaving_reason": _col(STAFF, "leaving_reason"),
        "entry_route": _col(STAFF, "entry_route"),
        "qualified_date": _col(STAFF, "qualified_date"),
    },
    [
        _ordered("start_date", "leave_date"),
        pa.Check(
            _reason_only_for_leavers,
            name="reason_without_leave_date",
            error="reason_without_leave_date",
            ignore_na=False,
        ),
    ],
)

# ---------------------------------------------------------------------------------------------
# recruitment_plan.csv

RECRUITMENT_PLAN = FileSpec(
    name="recruitment_plan",
    filename="recruitment_plan.csv",
    columns={
        "year": Col("integer"),
        "role_group": Col("text"),
        "source": Col("text"),
        "planned_hires": Col("integer"),
    },
    key=("year", "role_group", "source"),
    rules={"duplicate_key": RowRule(("year", "role_group", "source"), "one row per year, role_group, source")},
)
RECRUITMENT_PLAN_SCHEMA = _schema(
    RECRUITMENT_PLAN,
    {
        "year": _col(RECRUITMENT_PLAN, "year", pa.Check.in_range(1990, 2100, error="a year from 1990 to 2100")),
        "role_group": _col(RECRUITMENT_PLAN, "role_group"),
        "source": _col(RECRUITMENT_PLAN, "source"),
        "planned_hires": _col(RECRUITMENT_PLAN, "planned_hires", _nonneg("planned_hires")),
    },
)

# ---------------------------------------------------------------------------------------------
# pay_scales.csv

PAY_SCALES = FileSpec(
    name="pay_scales",
    filename="pay_scales.csv",
    columns={
        "authority": Col("text"),
        "role": Col("text"),
        "salary_min": Col("money"),
        "salary_max": Col("money"),
    },
    key=("authority", "role"),
    rules={
        "duplicate_key": RowRule(("authority", "role"), "one row per authority, role"),
        "salary_max_before_salary_min": RowRule(("salary_min", "salary_max"), "salary_max at least salary_min"),
    },
)
PAY_SCALES_SCHEMA = _schema(
    PAY_SCALES,
    {
        "authority": _col(PAY_SCALES, "authority"),
        "role": _col(PAY_SCALES, "role"),
        "salary_min": _col(PAY_SCALES, "salary_min", pa.Check.gt(0, error="a salary above £0")),
        "salary_max": _col(PAY_SCALES, "salary_max", pa.Check.gt(0, error="a salary above £0")),
    },
    [_ordered("salary_min", "salary_max")],
)

# ---------------------------------------------------------------------------------------------
# pay_supplements.csv

SUPPLEMENT_BASES = ("annual", "one_off", "pct_of_basic")
PAY_SUPPLEMENTS = FileSpec(
    name="pay_supplements",
    filename="pay_supplements.csv",
    columns={
        "authority": Col("text"),
        "role": Col("text"),
        "name": Col("text"),
        "amount": Col("amount"),
        "basis": Col("text"),
        "notes": Col("text", optional=True),
    },
    key=("authority", "role", "name"),
    rules={
        "duplicate_key": RowRule(("authority", "role", "name"), "one row per authority, role, name"),
        "pct_not_a_fraction": RowRule(
            ("basis", "amount"), "a fraction between 0 and 1 (0.14 or 14%) when basis is pct_of_basic"
        ),
    },
)


def _pct_is_fraction(df: pd.DataFrame, basis_value: str) -> pd.Series:
    if "basis" not in df.columns or "amount" not in df.columns:
        return pd.Series(True, index=df.index)
    pct = df["basis"] == basis_value
    return ~pct | df["amount"].between(0, 1)


PAY_SUPPLEMENTS_SCHEMA = _schema(
    PAY_SUPPLEMENTS,
    {
        "authority": _col(PAY_SUPPLEMENTS, "authority"),
        "role": _col(PAY_SUPPLEMENTS, "role"),
        "name": _col(PAY_SUPPLEMENTS, "name"),
        "amount": _col(PAY_SUPPLEMENTS, "amount", pa.Check.ge(0, error="an amount >= 0")),
        "basis": _col(PAY_SUPPLEMENTS, "basis", isin=SUPPLEMENT_BASES),
        "notes": _col(PAY_SUPPLEMENTS, "notes"),
    },
    [
        pa.Check(
            lambda df: _pct_is_fraction(df, "pct_of_basic"),
            name="pct_not_a_fraction",
            error="pct_not_a_fraction",
            ignore_na=False,
        )
    ],
)

# ---------------------------------------------------------------------------------------------
# campaign.csv

CAMPAIGN = FileSpec(
    name="campaign",
    filename="campaign.csv",
    columns={
        "week_ending": Col("date"),
        "channel": Col("text"),
        "advert": Col("text"),
        "visitors": Col("integer"),
        "clicks": Col("integer"),
        "applications": Col("integer"),
        "spend_gbp": Col("money"),
    },
    key=("week_ending", "channel", "advert"),
    rules={"duplicate_key": RowRule(("week_ending", "channel", "advert"), "one row per week_ending, channel, advert")},
    date_columns=("week_ending",),
)
CAMPAIGN_SCHEMA = _schema(
    CAMPAIGN,
    {
        "week_ending": _col(CAMPAIGN, "week_ending"),
        "channel": _col(CAMPAIGN, "channel"),
        "advert": _col(CAMPAIGN, "advert"),
        "visitors": _col(CAMPAIGN, "visitors", _nonneg("visitors")),
        "clicks": _col(CAMPAIGN, "clicks", _nonneg("clicks")),
        "applications": _col(CAMPAIGN, "applications", _nonneg("applications")),
        "spend_gbp": _col(CAMPAIGN, "spend_gbp", pa.Check.ge(0, error="an amount >= £0")),
    },
)

# ---------------------------------------------------------------------------------------------
# funnel.csv

FUNNEL = FileSpec(
    name="funnel",
    filename="funnel.csv",
    columns={
        "period": Col("text"),
        "role": Col("text"),
        "source": Col("text"),
        "stage": Col("text"),
        "count": Col("integer"),
    },
    key=("period", "role", "source", "stage"),
    rules={
        "duplicate_key": RowRule(("period", "role", "source", "stage"), "one row per period, role, source, stage"),
        "funnel_grows": RowRule(
            ("period", "role", "source", "stage", "count"),
            "a count no larger than at any earlier stage (" + " > ".join(FUNNEL_STAGES) + ")",
        ),
    },
)


def _funnel_never_grows(df: pd.DataFrame) -> pd.Series:
    keys = ["period", "role", "source"]
    if not {*keys, "stage", "count"} <= set(df.columns):
        return pd.Series(True, index=df.index)
    rank = df["stage"].map({s: i for i, s in enumerate(FUNNEL_STAGES)})
    ok = pd.Series(True, index=df.index)
    usable = rank.notna() & df["count"].notna() & df[keys].notna().all(axis=1)
    if not usable.any():
        return ok
    frame = df.loc[usable, keys + ["count"]].assign(_rank=rank[usable]).sort_values("_rank", kind="stable")
    counts = frame["count"].astype("float64")
    running_min = counts.groupby([frame[k] for k in keys], sort=False, observed=True).cummin()
    earlier_min = running_min.groupby([frame[k] for k in keys], sort=False, observed=True).shift(1)
    grows = counts > earlier_min
    ok.loc[grows[grows].index] = False
    return ok


FUNNEL_SCHEMA = _schema(
    FUNNEL,
    {
        "period": _col(FUNNEL, "period"),
        "role": _col(FUNNEL, "role"),
        "source": _col(FUNNEL, "source", isin=("internal", "external", "all")),
        "stage": _col(FUNNEL, "stage", isin=FUNNEL_STAGES),
        "count": _col(FUNNEL, "count", _nonneg("count")),
    },
    [pa.Check(_funnel_never_grows, name="funnel_grows", error="funnel_grows", ignore_na=False)],
)

# ---------------------------------------------------------------------------------------------
# cost_proposals.csv

PROPOSAL_BASES = ("annual", "one_off", "pct_of_salary")
COST_PROPOSALS = FileSpec(
    name="cost_proposals",
    filename="cost_proposals.csv",
    columns={
        "proposal": Col("text"),
        "scenario": Col("text"),
        "role_group": Col("text"),
        "eligible_wte": Col("number"),
        "amount_gbp": Col("amount"),
        "basis": Col("text"),
        "base_salary_gbp": Col("money", optional=True),
        "on_cost_rate": Col("rate", optional=True),
    },
    key=("proposal", "scenario", "role_group"),
    rules={
        "duplicate_key": RowRule(("proposal", "scenario", "role_group"), "one row per proposal, scenario, role_group"),
        "pct_without_salary": RowRule(
            ("basis", "base_salary_gbp"), "base_salary_gbp given when basis is pct_of_salary"
        ),
        "pct_not_a_fraction": RowRule(
            ("basis", "amount_gbp"), "a fraction between 0 and 1 (0.025 or 2.5%) when basis is pct_of_salary"
        ),
    },
)


def _pct_has_salary(df: pd.DataFrame) -> pd.Series:
    if "basis" not in df.columns:
        return pd.Series(True, index=df.index)
    salary = df["base_salary_gbp"] if "base_salary_gbp" in df.columns else pd.Series(pd.NA, index=df.index)
    return (df["basis"] != "pct_of_salary") | salary.notna()


def _pct_salary_fraction(df: pd.DataFrame) -> pd.Series:
    renamed = df.rename(columns={"amount_gbp": "amount"})
    return _pct_is_fraction(renamed, "pct_of_salary")


COST_PROPOSALS_SCHEMA = _schema(
    COST_PROPOSALS,
    {
        "proposal": _col(COST_PROPOSALS, "proposal"),
        "scenario": _col(COST_PROPOSALS, "scenario"),
        "role_group": _col(COST_PROPOSALS, "role_group"),
        "eligible_wte": _col(COST_PROPOSALS, "eligible_wte", _nonneg("eligible_wte")),
        "amount_gbp": _col(COST_PROPOSALS, "amount_gbp"),
        "basis": _col(COST_PROPOSALS, "basis", isin=PROPOSAL_BASES),
        "base_salary_gbp": _col(COST_PROPOSALS, "base_salary_gbp", pa.Check.gt(0, error="a salary above £0")),
        "on_cost_rate": _col(
            COST_PROPOSALS, "on_cost_rate", pa.Check.in_range(0, 1, error="a rate from 0 to 1 (0% to 100%)")
        ),
    },
    [
        pa.Check(_pct_has_salary, name="pct_without_salary", error="pct_without_salary", ignore_na=False),
        pa.Check(_pct_salary_fraction, name="pct_not_a_fraction", error="pct_not_a_fraction", ignore_na=False),
    ],
)

# ---------------------------------------------------------------------------------------------
# benchmarks.csv

BENCHMARKS = FileSpec(
    name="benchmarks",
    filename="benchmarks.csv",
    columns={
        "authority": Col("text"),
        "service": Col("text"),
        "year": Col("integer"),
        "turnover_rate": Col("rate", optional=True),
        "vacancy_rate": Col("rate", optional=True),
        "agency_rate": Col("rate", optional=True),
    },
    key=("authority", "service", "year"),
    rules={"duplicate_key": RowRule(("authority", "service", "year"), "one row per authority, service, year")},
)
_rate_range = pa.Check.in_range(0, 1, error="a rate from 0 to 1 (0% to 100%)")
BENCHMARKS_SCHEMA = _schema(
    BENCHMARKS,
    {
        "authority": _col(BENCHMARKS, "authority"),
        "service": _col(BENCHMARKS, "service", isin=("children", "adults")),
        "year": _col(BENCHMARKS, "year", pa.Check.in_range(1990, 2100, error="a year from 1990 to 2100")),
        "turnover_rate": _col(BENCHMARKS, "turnover_rate", _rate_range),
        "vacancy_rate": _col(BENCHMARKS, "vacancy_rate", _rate_range),
        "agency_rate": _col(BENCHMARKS, "agency_rate", _rate_range),
    },
)

#: Every contract file, by the attribute name it gets on a loaded Dataset.
SPECS: dict[str, tuple[FileSpec, pa.DataFrameSchema]] = {
    "staffing": (STAFFING, STAFFING_SCHEMA),
    "staffing_trend": (STAFFING_TREND, STAFFING_TREND_SCHEMA),
    "staff": (STAFF, STAFF_SCHEMA),
    "recruitment_plan": (RECRUITMENT_PLAN, RECRUITMENT_PLAN_SCHEMA),
    "pay_scales": (PAY_SCALES, PAY_SCALES_SCHEMA),
    "pay_supplements": (PAY_SUPPLEMENTS, PAY_SUPPLEMENTS_SCHEMA),
    "campaign": (CAMPAIGN, CAMPAIGN_SCHEMA),
    "funnel": (FUNNEL, FUNNEL_SCHEMA),
    "cost_proposals": (COST_PROPOSALS, COST_PROPOSALS_SCHEMA),
    "benchmarks": (BENCHMARKS, BENCHMARKS_SCHEMA),
}
