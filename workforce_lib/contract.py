"""The data contract: each CSV file an authority brings, declared once.

A :class:`FileSpec` names a file's columns with the kind of value each holds (used to parse what
council exports really contain: UK dates, ``£26,422``, ``15.1%``), the checks on each column, its
unique key and the rules over several columns. The pandera schema that validates a parsed frame
is generated from that one declaration (:func:`schema_of`), so the loader and the validation can
never disagree about a column. Every check carries an ``error`` text that says, in a council
analyst's words, what was expected. The contract itself is ``docs/data_contract.md``.
"""

from __future__ import annotations

from collections.abc import Callable
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

#: The role groups every analysis knows; ``other`` roles are kept but are neither.
ROLE_GROUPS: tuple[str, ...] = ("caseholder", "manager", "other")

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

DTYPES = {
    "text": None,  # text is checked as object or categories, whichever the loader made
    "date": "datetime64[ns]",
    "month": "datetime64[ns]",
    "number": "float64",
    "money": "float64",
    "rate": "float64",
    "amount": "float64",
    "integer": "Int64",
}


@dataclass(frozen=True)
class Col:
    """One column of a contract file: its kind, whether it may be blank, its checks and allowed values."""

    kind: str
    optional: bool = False
    checks: tuple[pa.Check, ...] = ()
    isin: tuple[str, ...] | None = None

    def column(self) -> pa.Column:
        checks = list(self.checks)
        if self.isin is not None:
            checks.append(pa.Check.isin(list(self.isin), error=f"one of: {', '.join(self.isin)}"))
        return pa.Column(DTYPES[self.kind], checks=checks, nullable=self.optional, required=not self.optional)


@dataclass(frozen=True)
class RowRule:
    """A rule over several columns: its columns (shown in errors), what it expects, and the check
    (a frame in, one verdict per row out; True = fine)."""

    columns: tuple[str, ...]
    expected: str
    check: Callable[[pd.DataFrame], pd.Series] | None = None


@dataclass(frozen=True)
class FileSpec:
    """A contract file: its name, what one row is, columns, unique key and rules over several columns."""

    name: str
    filename: str
    row: str
    columns: dict[str, Col]
    key: tuple[str, ...]
    rules: dict[str, RowRule] = field(default_factory=dict)
    date_columns: tuple[str, ...] = ()

    @property
    def required_columns(self) -> list[str]:
        return [c for c, spec in self.columns.items() if not spec.optional]

    def __post_init__(self):
        key_rule = RowRule(self.key, "one row per " + ", ".join(self.key), _unique_key(self.key))
        object.__setattr__(self, "rules", {"duplicate_key": key_rule, **self.rules})


# ---------------------------------------------------------------------------------------------
# Checks shared by several files


def _unique_key(key: tuple[str, ...]) -> Callable[[pd.DataFrame], pd.Series]:
    def check(df: pd.DataFrame) -> pd.Series:
        if not set(key) <= set(df.columns):
            return pd.Series(True, index=df.index)
        return ~df.duplicated(subset=list(key), keep=False)

    return check


def _ordered(earlier: str, later: str) -> Callable[[pd.DataFrame], pd.Series]:
    def check(df: pd.DataFrame) -> pd.Series:
        if earlier not in df.columns or later not in df.columns:
            return pd.Series(True, index=df.index)
        return df[later].isna() | df[earlier].isna() | (df[later] >= df[earlier])

    return check


def _fraction_when(basis_value: str, amount: str) -> Callable[[pd.DataFrame], pd.Series]:
    def check(df: pd.DataFrame) -> pd.Series:
        if "basis" not in df.columns or amount not in df.columns:
            return pd.Series(True, index=df.index)
        return (df["basis"] != basis_value) | df[amount].between(0, 1)

    return check


_RATE_RANGE = pa.Check.in_range(0, 1, error="a rate from 0 to 1 (0% to 100%)")
#: A team's or a month's FTE: a council has a few thousand social workers at most.
_TEAM_FTE = pa.Check.in_range(0, 10_000, error="an FTE from 0 to 10,000")
#: Counts of people, visitors or hires.
_COUNT = pa.Check.in_range(0, 100_000_000, error="a whole number from 0 to 100,000,000")
_YEAR_RANGE = pa.Check.in_range(1990, 2100, error="a year from 1990 to 2100")
_SALARY = pa.Check.in_range(0, 1_000_000, include_min=False, error="a salary above £0 and at most £1,000,000")


def schema_of(spec: FileSpec) -> pa.DataFrameSchema:
    """The pandera schema of a contract file, generated from its declaration.

    Rules over several columns give a verdict for every row themselves (a blank cell passes or
    fails as each rule says), so pandera is told not to drop rows with blanks first
    (``ignore_na=False``): that also spares it a scan of every cell for blanks before each rule.
    """
    checks = [
        pa.Check(rule.check, name=name, error=name, ignore_na=False) for name, rule in spec.rules.items() if rule.check
    ]
    columns = {name: col.column() for name, col in spec.columns.items()}
    return pa.DataFrameSchema(columns, checks=checks, strict=False, coerce=False)


# ---------------------------------------------------------------------------------------------
# The files


def _reason_only_for_leavers(df: pd.DataFrame) -> pd.Series:
    if "leaving_reason" not in df.columns or "leave_date" not in df.columns:
        return pd.Series(True, index=df.index)
    return df["leave_date"].notna() | df["leaving_reason"].isna()


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


def _pct_has_salary(df: pd.DataFrame) -> pd.Series:
    if "basis" not in df.columns:
        return pd.Series(True, index=df.index)
    salary = df["base_salary_gbp"] if "base_salary_gbp" in df.columns else pd.Series(pd.NA, index=df.index)
    return (df["basis"] != "pct_of_salary") | salary.notna()


STAFFING = FileSpec(
    name="staffing",
    filename="staffing.csv",
    row="one row per team, role group and date",
    columns={
        "as_of": Col("date"),
        "area": Col("text"),
        "team": Col("text"),
        "role_group": Col("text"),
        "establishment_fte": Col("number", checks=(_TEAM_FTE,)),
        "in_post_fte": Col("number", checks=(_TEAM_FTE,)),
        "agency_fte": Col("number", checks=(_TEAM_FTE,)),
    },
    # A team is area + team: councils reuse team names across areas ("Long-Term Care" in each).
    key=("as_of", "area", "team", "role_group"),
    date_columns=("as_of",),
)

STAFFING_TREND = FileSpec(
    name="staffing_trend",
    filename="staffing_trend.csv",
    row="one row per month and role group",
    columns={
        "month": Col("month"),
        "role_group": Col("text"),
        "in_post_fte": Col("number", checks=(_TEAM_FTE,)),
        "overseas_fte": Col("number", optional=True, checks=(_TEAM_FTE,)),
        "agency_fte": Col("number", checks=(_TEAM_FTE,)),
        "establishment_fte": Col("number", optional=True, checks=(_TEAM_FTE,)),
    },
    key=("month", "role_group"),
    date_columns=("month",),
)

STAFF = FileSpec(
    name="staff",
    filename="staff.csv",
    row="one row per employment",
    columns={
        "staff_id": Col("text"),
        "role": Col("text"),
        "team": Col("text"),
        "area": Col("text", optional=True),
        "fte": Col(
            "number", checks=(pa.Check.in_range(0, 1.5, include_min=False, error="an FTE above 0 and at most 1.5"),)
        ),
        "start_date": Col("date"),
        "leave_date": Col("date", optional=True),
        "leaving_reason": Col("text", optional=True),
        "entry_route": Col("text"),
        "qualified_date": Col("date", optional=True),
    },
    key=("staff_id", "start_date"),
    rules={
        "leave_date_before_start_date": RowRule(
            ("start_date", "leave_date"), "leave_date on or after start_date", _ordered("start_date", "leave_date")
        ),
        "reason_without_leave_date": RowRule(
            ("leave_date", "leaving_reason"), "leaving_reason blank while still in post", _reason_only_for_leavers
        ),
    },
    date_columns=("start_date", "leave_date"),
)

RECRUITMENT_PLAN = FileSpec(
    name="recruitment_plan",
    filename="recruitment_plan.csv",
    row="one row per plan year, role group and source of recruits",
    columns={
        "year": Col("integer", checks=(_YEAR_RANGE,)),
        "role_group": Col("text"),
        "source": Col("text"),
        "planned_hires": Col("integer", checks=(_COUNT,)),
    },
    key=("year", "role_group", "source"),
)

PAY_SCALES = FileSpec(
    name="pay_scales",
    filename="pay_scales.csv",
    row="one row per authority and role",
    columns={
        "authority": Col("text"),
        "role": Col("text"),
        "salary_min": Col("money", checks=(_SALARY,)),
        "salary_max": Col("money", checks=(_SALARY,)),
    },
    key=("authority", "role"),
    rules={
        "salary_max_before_salary_min": RowRule(
            ("salary_min", "salary_max"), "salary_max at least salary_min", _ordered("salary_min", "salary_max")
        ),
    },
)

SUPPLEMENT_BASES = ("annual", "one_off", "pct_of_basic")
PAY_SUPPLEMENTS = FileSpec(
    name="pay_supplements",
    filename="pay_supplements.csv",
    row="one row per authority, role and extra",
    columns={
        "authority": Col("text"),
        "role": Col("text"),
        "name": Col("text"),
        "amount": Col("amount", checks=(pa.Check.ge(0, error="an amount >= 0"),)),
        "basis": Col("text", isin=SUPPLEMENT_BASES),
        "notes": Col("text", optional=True),
    },
    key=("authority", "role", "name"),
    rules={
        "pct_not_a_fraction": RowRule(
            ("basis", "amount"),
            "a fraction between 0 and 1 (0.14 or 14%) when basis is pct_of_basic",
            _fraction_when("pct_of_basic", "amount"),
        ),
    },
)

CAMPAIGN = FileSpec(
    name="campaign",
    filename="campaign.csv",
    row="one row per week, channel and advert",
    columns={
        "week_ending": Col("date"),
        "channel": Col("text"),
        "advert": Col("text"),
        "visitors": Col("integer", checks=(_COUNT,)),
        "clicks": Col("integer", checks=(_COUNT,)),
        "applications": Col("integer", checks=(_COUNT,)),
        "spend_gbp": Col("money", checks=(pa.Check.ge(0, error="an amount >= £0"),)),
    },
    key=("week_ending", "channel", "advert"),
    date_columns=("week_ending",),
)

FUNNEL = FileSpec(
    name="funnel",
    filename="funnel.csv",
    row="one row per period, role, source of candidates and selection stage",
    columns={
        "period": Col("text"),
        "role": Col("text"),
        "source": Col("text", isin=("internal", "external", "all")),
        "stage": Col("text", isin=FUNNEL_STAGES),
        "count": Col("integer", checks=(_COUNT,)),
    },
    key=("period", "role", "source", "stage"),
    rules={
        "funnel_grows": RowRule(
            ("period", "role", "source", "stage", "count"),
            "a count no larger than at any earlier stage (" + " > ".join(FUNNEL_STAGES) + ")",
            _funnel_never_grows,
        ),
    },
)

PROPOSAL_BASES = ("annual", "one_off", "pct_of_salary")
COST_PROPOSALS = FileSpec(
    name="cost_proposals",
    filename="cost_proposals.csv",
    row="one row per proposal, scenario and role group",
    columns={
        "proposal": Col("text"),
        "scenario": Col("text"),
        "role_group": Col("text"),
        "eligible_wte": Col("number", checks=(_TEAM_FTE,)),
        "amount_gbp": Col("amount"),
        "basis": Col("text", isin=PROPOSAL_BASES),
        "base_salary_gbp": Col("money", optional=True, checks=(_SALARY,)),
        "on_cost_rate": Col("rate", optional=True, checks=(_RATE_RANGE,)),
    },
    key=("proposal", "scenario", "role_group"),
    rules={
        "pct_without_salary": RowRule(
            ("basis", "base_salary_gbp"), "base_salary_gbp given when basis is pct_of_salary", _pct_has_salary
        ),
        "pct_not_a_fraction": RowRule(
            ("basis", "amount_gbp"),
            "a fraction between 0 and 1 (0.025 or 2.5%) when basis is pct_of_salary",
            _fraction_when("pct_of_salary", "amount_gbp"),
        ),
    },
)

BENCHMARKS = FileSpec(
    name="benchmarks",
    filename="benchmarks.csv",
    row="one row per authority, service and year",
    columns={
        "authority": Col("text"),
        "service": Col("text", isin=("children", "adults")),
        "year": Col("integer", checks=(_YEAR_RANGE,)),
        "turnover_rate": Col("rate", optional=True, checks=(_RATE_RANGE,)),
        "vacancy_rate": Col("rate", optional=True, checks=(_RATE_RANGE,)),
        "agency_rate": Col("rate", optional=True, checks=(_RATE_RANGE,)),
    },
    key=("authority", "service", "year"),
)

ROLE_GROUP_MAP = FileSpec(
    name="role_groups",
    filename="role_groups.csv",
    row="one row per role title",
    columns={
        "role": Col("text"),
        "role_group": Col("text", isin=ROLE_GROUPS),
    },
    key=("role",),
)

#: Every contract file, by the attribute name it gets on a loaded Dataset, with its schema.
SPECS: dict[str, tuple[FileSpec, pa.DataFrameSchema]] = {
    spec.name: (spec, schema_of(spec))
    for spec in (
        STAFFING,
        STAFFING_TREND,
        STAFF,
        RECRUITMENT_PLAN,
        PAY_SCALES,
        PAY_SUPPLEMENTS,
        CAMPAIGN,
        FUNNEL,
        COST_PROPOSALS,
        BENCHMARKS,
        ROLE_GROUP_MAP,
    )
}

#: What each file holds, in words, for "not available" pages and validate's listing.
FILE_PURPOSE: dict[str, str] = {name: spec.row for name, (spec, _) in SPECS.items()}
