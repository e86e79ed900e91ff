"""Characteristics and flows of the children's social work workforce, as DfE publishes them.

Each function takes a :class:`~.read.CensusReturn` and returns one table: a label column, then
``headcount`` (distinct people) and ``share`` (headcount / the table's total headcount x 100, one
decimal place, half away from zero; NaN when the total is 0). Every category of DfE's code list
is a row (0 when nobody has it), in the code list's order, then ``Not known``: missing values and
codes outside the list are counted there, never dropped. Definitions of in post, starters and
leavers are :func:`~.measures.return_measures`' (LA-employed, AgencyWorker 0; moves within the
authority's children's social work are neither starters nor leavers). A person with two records
in one group is counted once, under their first record.

Sources: the code lists are the annotations of the CSWW schemas (``xsd/``, DfE's specification);
DfE, "Children's social work workforce" methodology (characteristics are headcounts of workers
in post at 30 September). Publish any of them through :func:`disclosed_characteristic`.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..disclosure import Disclosed, Disclosure
from .measures import populations, round_half_up
from .read import CensusReturn

NOT_KNOWN = "Not known"

#: Age at 30 September, in whole years: (label, lowest age, highest age). The workbench's bands
#: (DfE's published age groups are not in the project's sources; see the module's README).
AGE_BANDS = (
    ("Under 30", 0, 29),
    ("30 to 39", 30, 39),
    ("40 to 49", 40, 49),
    ("50 to 59", 50, 59),
    ("60 and over", 60, 200),
)
#: OrgRole codes (schema ``roletype``), with DfE's labels (the schema's "Practicioner" corrected).
ORG_ROLES = {
    1: "Senior manager",
    2: "Middle manager",
    3: "First line manager",
    4: "Senior practitioner",
    5: "Case holder",
    6: "Qualified without cases",
}
#: Ethnicity codes (schema ``ethnicitytype``) -> major group. CHNE sits in "Any other ethnic
#: group", as in DfE's code list (its codes put Chinese outside the A- Asian codes); REFU
#: (refused) and NOBT (not yet obtained) are not known.
ETHNIC_GROUPS = {
    "White": ("WBRI", "WIRI", "WOTH"),
    "Mixed or multiple ethnic groups": ("MWBC", "MWBA", "MWAS", "MOTH"),
    "Asian or Asian British": ("AIND", "APKN", "ABAN", "AOTH"),
    "Black, African, Caribbean or Black British": ("BCRB", "BAFR", "BOTH"),
    "Any other ethnic group": ("CHNE", "OOTH"),
}
ETHNICITY_GROUP = {code: group for group, codes in ETHNIC_GROUPS.items() for code in codes}
#: Sex (2024+ ``Sex``; 2021-2023 ``GenderCurrent`` 1/2 read as M/F, 0 and 9 not known).
SEXES = {"F": "Female", "M": "Male"}
#: StartOrigin codes (schema ``origintype``); 9 not known and 10 not yet collected are not known.
ORIGINS = {
    1: "Newly qualified social worker",
    2: "Social worker role in a different local authority in England",
    3: "Social worker role outside England",
    4: "Agency or consultancy in social work (in England)",
    5: "Other social work role non-local authority (in England)",
    6: "Other social care role in local authority/non-local authority (in England)",
    7: "Non-social care role/any role outside England/no employment/career break",
    8: "Other",
}
#: ReasonLeave codes (schema ``reasontype``); 9 not known and 10 not yet collected are not known.
REASONS = {
    1: "Resignation",
    2: "Voluntary redundancy",
    3: "Compulsory redundancy",
    4: "Dismissed",
    5: "Retired",
    6: "Deceased",
    7: "Moved to a non-child and family social work role within LA",
    8: "Other",
}
#: LeaverDestination codes (schema ``leavertype``); 8 not known and 9 not yet collected are not known.
DESTINATIONS = {
    1: "Social worker role in a different local authority in England",
    2: "Social worker role outside England",
    3: "Agency or consultancy in social work (in England)",
    4: "Other social work role non-local authority (in England)",
    5: "Other social care role in local authority/non-local authority (in England)",
    6: "Non-social care role/any role outside England/no employment/career break",
    7: "Other",
}
#: Cases30 bands for case holders (Cases30 > 0): (label, lowest, highest). The workbench's bands.
CASELOAD_BANDS = (
    ("1 to 9", 1, 9),
    ("10 to 14", 10, 14),
    ("15 to 19", 15, 19),
    ("20 to 24", 20, 24),
    ("25 to 29", 25, 29),
    ("30 and over", 30, math.inf),
)
#: WorkingDaysLost bands for workers in post: (label, lowest, highest). The workbench's bands.
ABSENCE_BANDS = (
    ("No days lost", 0, 0),
    ("Under 5 days", 1e-9, 4.999999),
    ("5 to 19 days", 5, 19.999999),
    ("20 days or more", 20, math.inf),
)


def _people(ret: CensusReturn, *kinds: str) -> pd.DataFrame:
    """One record per person among the workers who are all of ``kinds`` (columns of
    :func:`measures.populations`: la, agency, in_post, starting, leaving)."""
    who = populations(ret)
    return ret.workers[who[list(kinds)].all(axis=1)].drop_duplicates("person")


def _in_post(ret: CensusReturn) -> pd.DataFrame:
    return _people(ret, "la", "in_post")


def _tabulate(labels: pd.Series, order, column: str, extra: pd.DataFrame | None = None) -> pd.DataFrame:
    """Headcount and share per label, every label of ``order`` then Not known."""
    order = [*order, NOT_KNOWN]
    labels = labels.where(labels.isin(order), NOT_KNOWN)
    counts = labels.value_counts().reindex(order, fill_value=0).astype("int64")
    total = int(counts.sum())
    share = [round_half_up(n / total * 100) if total else math.nan for n in counts]
    table = pd.DataFrame({column: order, "headcount": counts.to_numpy(), "share": share})
    if extra is not None:
        table = table.join(extra.reindex(order).fillna(0).reset_index(drop=True))
    return table


def _coded(values: pd.Series, codes: dict) -> pd.Series:
    return values.map(lambda v: codes.get(int(v)) if pd.notna(v) and float(v).is_integer() else None)


def _banded(values: pd.Series, bands) -> pd.Series:
    def band(v):
        if pd.isna(v):
            return None
        return next((label for label, lo, hi in bands if lo <= v <= hi), None)

    return values.map(band)


def by_age(ret: CensusReturn) -> pd.DataFrame:
    """Headcount in post at 30 September by age band.

    LA-employed workers in post; age = whole years from PersonBirthDate to 30 September of the
    census year; bands :data:`AGE_BANDS`; no or impossible birth date (age < 0) is Not known.
    """
    w = _in_post(ret)
    ref = pd.Timestamp(ret.reference_date)
    birth = w["birth"]
    before_birthday = (birth.dt.month > ref.month) | ((birth.dt.month == ref.month) & (birth.dt.day > ref.day))
    age = ref.year - birth.dt.year - before_birthday.astype("float64")
    age = age.where(age >= 0)
    return _tabulate(_banded(age, AGE_BANDS), [b[0] for b in AGE_BANDS], "age_band")


def by_seniority(ret: CensusReturn) -> pd.DataFrame:
    """Headcount in post at 30 September by seniority (OrgRole, DfE's labels).

    LA-employed workers in post; OrgRole 1-6 as :data:`ORG_ROLES`; missing or other codes Not known.
    """
    w = _in_post(ret)
    return _tabulate(_coded(w["org_role"], ORG_ROLES), ORG_ROLES.values(), "seniority")


def by_ethnicity(ret: CensusReturn) -> pd.DataFrame:
    """Headcount in post at 30 September by ethnicity major group.

    LA-employed workers in post; Ethnicity code -> :data:`ETHNIC_GROUPS`; REFU, NOBT, missing or
    other codes Not known.
    """
    w = _in_post(ret)
    groups = w["ethnicity"].astype("object").map(ETHNICITY_GROUP)
    return _tabulate(groups, ETHNIC_GROUPS, "ethnicity")


def by_sex(ret: CensusReturn) -> pd.DataFrame:
    """Headcount in post at 30 September by sex.

    LA-employed workers in post; Sex M/F (GenderCurrent 1/2 before 2024); otherwise Not known.
    """
    w = _in_post(ret)
    return _tabulate(w["sex"].astype("object").map(SEXES), SEXES.values(), "sex")


def starters_by_origin(ret: CensusReturn) -> pd.DataFrame:
    """Starters in the census year by origin (StartOrigin).

    LA-employed records with RoleStartDate from 1 October to 30 September, less moves within the
    authority's children's social work; distinct people; StartOrigin 1-8 as :data:`ORIGINS`, 9, 10,
    missing or other codes Not known.
    """
    starters = _people(ret, "la", "starting")
    return _tabulate(_coded(starters["start_origin"], ORIGINS), ORIGINS.values(), "origin")


def _leavers(ret: CensusReturn) -> pd.DataFrame:
    return _people(ret, "la", "leaving")


def leavers_by_reason(ret: CensusReturn) -> pd.DataFrame:
    """Leavers in the census year by reason for leaving (ReasonLeave).

    LA-employed records with RoleEndDate from 1 October to 30 September, less moves within (a move
    out of children's social work within the LA, reason 7, is a leaver); distinct people;
    ReasonLeave 1-8 as :data:`REASONS`, 9, 10, missing or other codes Not known.
    """
    leavers = _leavers(ret)
    return _tabulate(_coded(leavers["reason_leave"], REASONS), REASONS.values(), "reason")


def leavers_by_destination(ret: CensusReturn) -> pd.DataFrame:
    """Leavers in the census year by destination (LeaverDestination).

    Leavers as :func:`leavers_by_reason`; LeaverDestination 1-7 as :data:`DESTINATIONS`, 8, 9,
    missing or other codes Not known.
    """
    leavers = _leavers(ret)
    return _tabulate(_coded(leavers["leaver_destination"], DESTINATIONS), DESTINATIONS.values(), "destination")


def caseload_distribution(ret: CensusReturn) -> pd.DataFrame:
    """Case holders at 30 September by caseload band, with their cases.

    Workers in post with Cases30 > 0, LA-employed and agency (as DfE's case_holders_fte); one row
    per person (first record); bands :data:`CASELOAD_BANDS` of Cases30; a non-whole Cases30 falls
    in the band it rounds down into. ``cases`` = sum of Cases30 in the band.
    """
    w = ret.workers
    holders = w[populations(ret)["in_post"] & (w["cases30"] > 0)].drop_duplicates("person")
    cases = np.floor(holders["cases30"]).clip(lower=1)
    bands = _banded(cases, CASELOAD_BANDS)
    extra = holders["cases30"].groupby(bands).sum().rename("cases").to_frame()
    return _tabulate(bands, [b[0] for b in CASELOAD_BANDS], "caseload_band", extra)


def absence(ret: CensusReturn) -> pd.DataFrame:
    """Workers in post at 30 September by working days lost in the year, with the days lost.

    LA-employed workers in post (as DfE's working_days_lost_fte); bands :data:`ABSENCE_BANDS` of
    WorkingDaysLost (sickness absence over the census year); missing or negative is Not known.
    ``days_lost`` = sum of WorkingDaysLost in the band. Workers with absence are every row but
    "No days lost" and Not known.
    """
    w = _in_post(ret)
    days = w["working_days_lost"].where(w["working_days_lost"] >= 0)
    bands = _banded(days, ABSENCE_BANDS)
    extra = days.groupby(bands).sum().rename("days_lost").to_frame()
    return _tabulate(bands, [b[0] for b in ABSENCE_BANDS], "days_lost_band", extra)


#: Every characteristic table, by name.
CHARACTERISTICS = {
    "age": by_age,
    "seniority": by_seniority,
    "ethnicity": by_ethnicity,
    "sex": by_sex,
    "starters_origin": starters_by_origin,
    "leavers_reason": leavers_by_reason,
    "leavers_destination": leavers_by_destination,
    "caseload": caseload_distribution,
    "absence": absence,
}


#: Each table's title and the heading of its label column, as a committee reads them.
CHARACTERISTIC_TITLES = {
    "age": ("Age on 30 September", "Age"),
    "seniority": ("Seniority (role)", "Role"),
    "ethnicity": ("Ethnicity (major groups)", "Ethnic group"),
    "sex": ("Sex", "Sex"),
    "starters_origin": ("Starters in the year: where they came from", "Came from"),
    "leavers_reason": ("Leavers in the year: why they left", "Reason"),
    "leavers_destination": ("Leavers in the year: where they went", "Went to"),
    "caseload": ("Case holders by number of cases on 30 September", "Cases held"),
    "absence": ("Working days lost to sickness in the year", "Days lost"),
}


def characteristics(ret: CensusReturn) -> dict[str, pd.DataFrame]:
    """Every characteristic table of one return, by name (:data:`CHARACTERISTICS`)."""
    return {name: table(ret) for name, table in CHARACTERISTICS.items()}


def disclosed_characteristic(table: pd.DataFrame, disclosure: Disclosure) -> Disclosed:
    """A characteristic table under disclosure control, for publication.

    Headcounts 1 to threshold-1 are hidden; ``share`` (and ``cases`` / ``days_lost``, which rest
    on the same people) wherever the headcount is; and since the table's total headcount is
    published elsewhere, a lone hidden row hides the next smallest row too (secondary), so no
    part can be recovered from the total.
    """
    rates = {"share": ("headcount",), "cases": ("headcount",), "days_lost": ("headcount",)}
    return disclosure.table(table, counts=("headcount",), rates=rates, column_totals=("headcount",))
