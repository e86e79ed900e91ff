"""The workforce plan by grade for a committee: the page's inputs from a council's data folder and
the pack's settings, its tables in plain words, and one what-if used by both the static page and
the sliders (pure functions; the notebook only loads, calls and shows).

* :func:`read_ladder`: the council's own ladder (``grades.csv`` in the data folder) or the default
  KMTP ladder.
* :func:`grade_inputs`: rates estimated from staff.csv, the starting stock, the establishment per
  grade (from staffing.csv unless given), the recruits a year seen in staff.csv.
* :class:`GradeSettings` and :func:`resolve`: every assumption the data do not give, with the
  value used and where it comes from (:func:`assumptions_table`), never a hidden constant.
* :func:`what_if`: the projection, its Monte Carlo band, sentences, a chart and headline figures
  for one setting of the levers (the static cells and the what-if panel both call it).
* :func:`plan_problem` and :func:`plan_tables`: the least-cost plan and its binding caps in words.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from ..disclosure import NOT_PUBLISHED, SUPPRESSION_MARKER, Disclosure
from ..errors import AnalysisError, NotAvailableError
from .estimate import transition_rates
from .grades import ASYE, SOCIAL_WORKER, GradeLadder, _candidates, _key, grade_codes, kmtp_ladder, ladder_from_mapping
from .history import careers, person_years
from .optimise import PlanProblem, PlanResult, optimise, shadow_price_per_year
from .project import experience_share, progression_by_years, simulate, starting_stock, student_pipeline
from .rates import ManpowerRates, rates_from_estimate
from .scenario import ScenarioResult, _focus, scenario

#: A council's own ladder in its data folder (columns: see docs/manpower.md, "A council's own ladder").
GRADES_FILE = "grades.csv"
DAYS_PER_YEAR = 365.25


def _cap_first(text: str) -> str:
    return text[:1].upper() + text[1:]


# ---------------------------------------------------------------------------------------------
# The ladder and how titles map to it


def read_ladder(data_dir) -> tuple[GradeLadder, str]:
    """The council's ladder from ``grades.csv`` in the data folder, else the default KMTP ladder;
    with a phrase saying which. A bad grades.csv is a DataError naming its rows."""
    path = Path(data_dir) / GRADES_FILE
    if not path.is_file():
        return kmtp_ladder(), (
            "the default ladder of children's social work careers (newly qualified, social worker, experienced "
            f"social worker, senior practitioner, team manager; no {GRADES_FILE} in the data folder)"
        )
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except UnicodeDecodeError:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="cp1252")
    frame = frame.replace({"": None})
    return ladder_from_mapping(frame, GRADES_FILE), f"your own ladder in {GRADES_FILE}"


def _window_words(low, high) -> str:
    if low is None and high is None:
        return ""
    if low is None:
        return f"under {high:g} year{'s' if high != 1 else ''} since qualifying"
    if high is None:
        return f"{low:g} years or more since qualifying"
    return f"{low:g} to under {high:g} years since qualifying"


def ladder_table(ladder: GradeLadder) -> pd.DataFrame:
    """One row per grade, lowest first: grade, role group, the title words that map to it (with
    any years-since-qualifying window), and its cap on posts if the ladder sets one."""
    rows = []
    for order, grade in enumerate(ladder.grades, start=1):
        words = []
        for rule in ladder.rules:
            if rule.grade != grade.name:
                continue
            window = _window_words(rule.min_years_qualified, rule.max_years_qualified)
            words.append(f"{rule.words}" + (f" ({window})" if window else ""))
        rows.append(
            {
                "order": order,
                "grade": _cap_first(grade.name),
                "role_group": {"caseholder": "Caseholder", "manager": "Manager"}.get(grade.role_group, "Other"),
                "titles": "; ".join(words) or "no titles",
                "cap": "none" if grade.cap is None else f"{grade.cap:,.0f} posts",
            }
        )
    return pd.DataFrame(rows)


def title_mapping(staff: pd.DataFrame, ladder: GradeLadder, as_of) -> pd.DataFrame:
    """How each role title in staff.csv maps to a grade: title, employments (rows), in post on
    as_of (headcount), and the grade in words. Titles no rule maps are listed, not dropped."""
    on = pd.Timestamp(as_of)
    in_post = (staff["start_date"] <= on) & (staff["leave_date"].isna() | (staff["leave_date"] > on))
    rows = []
    for title in sorted(staff["role"].dropna().unique(), key=lambda t: str(t).lower()):
        mask = staff["role"] == title
        found = _candidates(_key(title), ladder)
        if not found:
            grade = "not mapped: left out of the rates and the plan"
        else:
            grades = list(dict.fromkeys(r.grade for r in found))
            if len(grades) == 1:
                grade = grades[0]
            else:
                parts = [
                    f"{r.grade} {_window_words(r.min_years_qualified, r.max_years_qualified)}".replace(
                        " since qualifying", ""
                    )
                    for r in found
                ]
                grade = "by years since qualifying: " + "; ".join(parts)
        rows.append(
            {
                "role": str(title),
                "employments": int(mask.sum()),
                "in_post": int((mask & in_post).sum()),
                "grade": _cap_first(grade),
            }
        )
    return pd.DataFrame(rows, columns=["role", "employments", "in_post", "grade"])


def disclosed_mapping(mapping: pd.DataFrame, disclosure: Disclosure = NOT_PUBLISHED) -> pd.DataFrame:
    """The title table with counts of 1 to 4 people shown as [c] (employments and in post are counts)."""
    return disclosure.table(mapping, counts=["employments", "in_post"]).frame


def unmapped_sentence(mapping: pd.DataFrame) -> str:
    """Plain words on titles no grade rule maps (or that every title maps)."""
    missing = mapping[mapping["grade"].str.startswith("Not mapped")]
    if missing.empty:
        return "Every role title in staff.csv maps to a grade."
    titles = ", ".join(f"“{t}”" for t in missing["role"])
    return (
        f"{len(missing)} title{'s' if len(missing) != 1 else ''} map{'s' if len(missing) == 1 else ''} to no grade "
        f"({titles}). Their staff are left out of the rates and the plan; add the titles to {GRADES_FILE} "
        "to count them."
    )


# ---------------------------------------------------------------------------------------------
# Inputs from the data


def early_grades(ladder: GradeLadder) -> list[str]:
    """Grades under two years since qualifying, which the experience ceiling limits: on the default
    ladder ASYE and social worker; on a council's ladder, grades whose every title window ends by
    two years since qualifying. Empty if none (the ceiling cannot then be checked)."""
    names = ladder.names
    if ASYE in names and SOCIAL_WORKER in names:
        return [ASYE, SOCIAL_WORKER]
    out = []
    for name in names:
        rules = [r for r in ladder.rules if r.grade == name]
        if rules and all(r.max_years_qualified is not None and r.max_years_qualified <= 2 for r in rules):
            out.append(name)
    return out


@dataclass
class GradeInputs:
    """What the data give: the ladder, the dates, the estimated rates, the starting stock, the
    establishment per grade and the recruits a year seen in staff.csv."""

    ladder: GradeLadder
    ladder_source: str
    as_of: pd.Timestamp
    as_of_source: str
    window: tuple[pd.Timestamp, pd.Timestamp]
    person_years: pd.DataFrame
    estimates: pd.DataFrame
    rates: ManpowerRates
    stock: pd.DataFrame
    in_post: pd.Series  # FTE by grade on as_of
    headcount: pd.Series  # people by grade on as_of
    establishment: dict[str, float]
    establishment_source: str
    observed_starts: dict[str, float]  # recruits a year into each grade over the history window
    by_years: set[int] = field(default_factory=set)  # grades that progress by years since qualifying
    early: list[str] = field(default_factory=list)


def _snapshot(staffing: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    dates = staffing["as_of"]
    before = dates[dates <= as_of]
    when = before.max() if len(before) else dates.min()
    return staffing[dates == when]


def establishment_by_grade(
    stock: pd.DataFrame, ladder: GradeLadder, staffing: pd.DataFrame | None, as_of
) -> tuple[dict[str, float], str]:
    """Establishment FTE per grade: each grade's in post times its role group's establishment / in
    post in staffing.csv (the latest snapshot on or before as_of), so every grade of a role group has
    the group's vacancy rate. Without staffing.csv the establishment is the staff in post."""
    in_post = stock.groupby("grade", sort=False)["staff"].sum().reindex(ladder.names, fill_value=0.0)
    if staffing is None or staffing.empty:
        return {g: round(float(v), 1) for g, v in in_post.items()}, (
            "staff in post on the start date (there is no staffing.csv, so no vacancy is assumed)"
        )
    snap = _snapshot(staffing, pd.Timestamp(as_of))
    totals = snap.groupby("role_group")[["establishment_fte", "in_post_fte"]].sum()
    groups = dict(zip(ladder.names, ladder.role_groups(), strict=True))
    out = {}
    for grade, fte in in_post.items():
        group = groups[grade]
        if group in totals.index and totals.at[group, "in_post_fte"] > 0:
            ratio = totals.at[group, "establishment_fte"] / totals.at[group, "in_post_fte"]
        else:
            ratio = 1.0
        out[grade] = round(float(fte * ratio), 1)
    when = pd.Timestamp(snap["as_of"].iloc[0])
    return out, (
        f"staffing.csv on {when.day} {when:%B %Y}: each grade's staff in post times its role group's "
        "establishment ÷ in post, so every grade has its role group's vacancy rate"
    )


def observed_starts(staff: pd.DataFrame, ladder: GradeLadder, start, end) -> dict[str, float]:
    """Recruits a year into each grade: careers (not internal moves) that began in [start, end),
    by the grade of their first title on their first day, divided by the years of the window."""
    frame = careers(staff)
    first = frame.sort_values("start_date").groupby("career").head(1)
    first = first[(first["start_date"] >= start) & (first["start_date"] < end)]
    since = first["qualified_date"].where(first["qualified_date"].notna(), first["start_date"])
    years = (first["start_date"] - since).dt.days.to_numpy() / DAYS_PER_YEAR
    codes = grade_codes(first["role"].to_numpy(), years, ladder, first["org_role"] if "org_role" in first else None)
    span = max((pd.Timestamp(end) - pd.Timestamp(start)).days / DAYS_PER_YEAR, 1e-9)
    counts = np.bincount(codes[codes >= 0], minlength=len(ladder))
    return {name: round(float(counts[g] / span), 1) for g, name in enumerate(ladder.names)}


def grade_inputs(
    staff: pd.DataFrame,
    staffing: pd.DataFrame | None,
    ladder: GradeLadder,
    as_of: pd.Timestamp,
    as_of_source: str = "",
    ladder_source: str = "",
    history_years: int = 5,
    establishment: dict | None = None,
) -> GradeInputs:
    """Everything the page needs from the data, at ``as_of`` with rates from the ``history_years``
    before it. ``establishment`` ({grade: FTE}) replaces the grades it names."""
    as_of = pd.Timestamp(as_of).normalize()
    start = as_of - pd.DateOffset(years=int(history_years))
    py = person_years(staff, ladder, start=start, end=as_of, as_of=as_of)
    estimates = transition_rates(py, ladder)
    rates = rates_from_estimate(estimates, ladder)
    stock = starting_stock(staff, ladder, as_of)
    heads = starting_stock(staff, ladder, as_of, measure="headcount")
    in_post = stock.groupby("grade", sort=False)["staff"].sum().reindex(ladder.names, fill_value=0.0)
    if in_post.sum() <= 0:
        raise NotAvailableError(
            f"Not available: nobody in post on {as_of.day} {as_of:%B %Y} holds a job title that maps to a grade, "
            "so there is no grade mix to plan from."
        )
    est, source = establishment_by_grade(stock, ladder, staffing, as_of)
    if establishment:
        for grade, value in establishment.items():
            est[ladder.names[ladder.index(grade)]] = float(value)
        source += "; the pack sets " + ", ".join(f"{g}" for g in establishment)
    return GradeInputs(
        ladder=ladder,
        ladder_source=ladder_source,
        as_of=as_of,
        as_of_source=as_of_source,
        window=(start, as_of),
        person_years=py,
        estimates=estimates,
        rates=rates,
        stock=stock,
        in_post=in_post,
        headcount=heads.groupby("grade", sort=False)["staff"].sum().reindex(ladder.names, fill_value=0.0),
        establishment=est,
        establishment_source=source,
        observed_starts=observed_starts(staff, ladder, start, as_of),
        by_years=progression_by_years(ladder),
        early=early_grades(ladder),
    )


# ---------------------------------------------------------------------------------------------
# Rates in plain words


def _pct(value) -> str:
    return f"{value * 100:.1f}%"


def _rate_cell(row, disclosure: Disclosure) -> str:
    if row["people_years"] <= 0 or pd.isna(row["rate"]):
        return "nobody in this group"
    if disclosure.hides_any(row["events"], row["people_years"]):
        return SUPPRESSION_MARKER
    return f"{_pct(row['rate'])} ({row['lower'] * 100:.1f}–{_pct(row['upper'])})"


def rates_for_committee(estimates: pd.DataFrame, disclosure: Disclosure = NOT_PUBLISHED) -> pd.DataFrame:
    """One row per grade: people-years, and stay / promoted / other moves / left (overall and by
    length of service) as "13.0% (9.1% to 18.2%)" with the exact 95% interval; pooled grades named.
    In a published pack a rate resting on 1 to 4 people (leavers, promotions or people-years) is [c]."""
    rows = []
    top = estimates["grade"].unique()[-1]
    for grade, part in estimates.groupby("grade", sort=False):
        get = {(r["measure"], r["band"]): r for _, r in part.iterrows()}
        overall = get[("leave", "all")]
        row = {
            "grade": _cap_first(grade),
            "people_years": overall["people_years"],
            "stay": _rate_cell(get[("stay", "all")], disclosure),
            "promote": "top grade" if grade == top else _rate_cell(get[("promote", "all")], disclosure),
            "leave": _rate_cell(overall, disclosure),
        }
        for (measure, band), r in get.items():
            if measure == "leave" and band != "all":
                row[f"leave {band}"] = _rate_cell(r, disclosure)
        moves = part[part["measure"] == "move to"]
        row["other"] = (
            "; ".join(
                f"to {m['to_grade']}: " + (SUPPRESSION_MARKER if disclosure.hides_any(m["events"]) else _pct(m["rate"]))
                for _, m in moves.iterrows()
            )
            or "none seen"
        )
        # stay + promoted + other moves + left = 1 on the same person-years: with one of them hidden it
        # could be worked out from the others, so all of them are hidden together (secondary suppression).
        outcomes = ["stay", "promote", "leave"] + (["other"] if len(moves) else [])
        if any(SUPPRESSION_MARKER in str(row[k]) for k in outcomes):
            for k in outcomes:
                if row[k] not in ("top grade", "nobody in this group"):
                    row[k] = SUPPRESSION_MARKER
        mates = overall["pooled_with"]
        row["pooled"] = (
            ""
            if not mates
            else "all grades together"
            if len(mates.split(", ")) == estimates["grade"].nunique() - 1
            else "with " + mates
        )
        rows.append(row)
    frame = pd.DataFrame(rows)
    if (frame["other"] == "none seen").all():
        frame = frame.drop(columns=["other"])
    if (frame["pooled"] == "").all():
        frame = frame.drop(columns=["pooled"])
    frame["people_years"] = disclosure.table(frame[["people_years"]], counts=["people_years"]).frame["people_years"]
    return frame


def rates_notes(
    estimates: pd.DataFrame, ladder: GradeLadder, by_years: set[int], promotion_set: bool = False
) -> list[str]:
    """Sentences on what the rates rest on: pooled grades, grades with no promotion seen (and whether
    the pack sets a promotion rate instead), progression by years since qualifying, other moves."""
    notes = []
    allpy = estimates[(estimates["measure"] == "leave") & (estimates["band"] == "all")]
    pooled = allpy[allpy["pooled_with"] != ""]
    if len(pooled) == len(allpy) and len(allpy) > 1:
        notes.append(
            f"There are too few people-years ({allpy['people_years'].iloc[0]:,.0f} in all) to estimate rates for "
            "each grade, so every grade is pooled: each shows the rates of all grades together."
        )
    elif len(pooled):
        groups = {}
        for _, r in pooled.iterrows():
            key = tuple(sorted([r["grade"], *r["pooled_with"].split(", ")], key=ladder.index))
            groups[key] = r["people_years"]
        for key, n in groups.items():
            notes.append(
                f"{_cap_first(' and '.join(key))} are pooled: together they have only {n:,.0f} people-years "
                "(at least 20 are needed for a grade of its own), so they share the same rates."
            )
    promote = estimates[(estimates["measure"] == "promote") & (estimates["band"] == "all")]
    never = [
        r["grade"]
        for _, r in promote.iterrows()
        if ladder.index(r["grade"]) < len(ladder) - 1
        and ladder.index(r["grade"]) not in by_years
        and r["events"] == 0
        and not r["pooled_with"]
    ]
    if never:
        notes.append(
            "No promotion out of " + " or ".join(never) + " was seen in staff.csv (a promotion shows as a new row "
            "for the same staff_id with a higher title starting within a week), so the estimated promotion rate "
            "is 0%. "
            + (
                "The projection and the plan below use the promotion rate set for this pack instead (see the "
                "assumptions)."
                if promotion_set
                else "The projection and the plan below use 0% too; set promotion_rate in the pack to test another."
            )
        )
    steps = [f"{ladder.names[g]} to {ladder.names[g + 1]}" for g in sorted(by_years)]
    if steps:
        notes.append(
            "The steps from " + " and from ".join(steps) + " come with years since qualifying (one title, "
            "“Social Worker”, covers them), so their “promoted” rate is the share who reach the next step."
        )
    if not (estimates["measure"] == "move to").any():
        notes.append("Nobody was seen moving down a grade or skipping one.")
    return notes


def headline_rates(estimates: pd.DataFrame, disclosure: Disclosure = NOT_PUBLISHED) -> dict:
    """{grade: {promotion_rate, leaving_rate}} for the headline figures; [c] where suppressed."""
    out = {}
    top = estimates["grade"].unique()[-1]
    for grade, part in estimates.groupby("grade", sort=False):
        get = {
            (r["measure"], r["band"]): r for _, r in part.iterrows() if not (grade == top and r["measure"] == "promote")
        }
        figures = {}
        for key, name in ((("promote", "all"), "promotion_rate"), (("leave", "all"), "leaving_rate")):
            if key not in get:
                continue
            r = get[key]
            figures[name] = (
                None if r["people_years"] <= 0 else disclosure.rate(r["rate"], r["events"], r["people_years"], digits=3)
            )
        if SUPPRESSION_MARKER in figures.values() or disclosure.hides_any(get[("stay", "all")]["events"]):
            figures = {k: (None if v is None else SUPPRESSION_MARKER) for k, v in figures.items()}  # as in the table
        out[grade] = figures
    return out


# ---------------------------------------------------------------------------------------------
# Settings: the assumptions the data do not give


@dataclass
class GradeSettings:
    """The levers and assumptions of the plan; None means "from the data" (see :func:`resolve`)."""

    years: int = 3
    nqsw_intake: float | None = None  # recruits a year into the lowest grade
    experienced_recruits: dict | None = None  # {grade: recruits a year} above the lowest grade
    promotion_rate: float | None = None  # a year, for steps not made by years since qualifying
    promotion_rates: dict = field(default_factory=dict)  # {grade: rate to the grade above}, overriding the above
    leaving_factor: float = 1.0  # times the estimated leaving rates
    leaving_grade: str = ""  # the grade the factor applies to (blank = all)
    leaving_band: str = ""  # the length-of-service band it applies to (blank = all)
    caps: dict = field(default_factory=dict)  # {grade: most staff}
    experience_ceiling: float = 0.15
    salaries: dict = field(default_factory=dict)  # {grade: pounds a year, before on-costs}
    average_salary: float = 30_000.0
    on_cost_rate: float = 0.2645
    agency_day_rate: float = 250.0
    agency_days_per_year: float = 220.0
    agency_max_share: float = 1.0  # most agency cover in a grade, as a share of its establishment
    cost_per_hire: float = 2_000.0
    students: tuple[float, float, float] = (0.0, 0.8, 0.9)  # placements, conversion, acceptance
    runs: int = 500
    seed: int = 2011

    def __post_init__(self):
        # Notebook parameters are typed (a pack checks them), so "from the data" arrives as -1 or {}.
        if self.nqsw_intake is not None and self.nqsw_intake < 0:
            self.nqsw_intake = None
        if self.promotion_rate is not None and self.promotion_rate < 0:
            self.promotion_rate = None
        if not self.experienced_recruits:
            self.experienced_recruits = None


@dataclass
class Resolved:
    """Settings with every blank filled from the data, and the words that say where each came from."""

    settings: GradeSettings
    nqsw_intake: float
    experienced: dict[str, float]
    promotion: dict[str, float]  # {grade: rate into the grade above} for steps not made by years
    salaries: dict[str, float]  # with on-costs
    caps: dict[str, float]
    agency_cost: float
    student_starts: float
    sources: dict[str, str]


def resolve(inputs: GradeInputs, settings: GradeSettings) -> Resolved:
    """Fill the settings' blanks from the data (recruits seen in staff.csv, estimated promotion
    rates, salaries from grades.csv) and check them; the sources say where each value came from."""
    ladder = inputs.ladder
    names = ladder.names
    if settings.years < 1:
        raise AnalysisError(f"years is {settings.years}; the plan needs 1 year or more")
    for label, value in (
        ("promotion_rate", settings.promotion_rate),
        ("experience_ceiling", settings.experience_ceiling),
        ("agency_max_share", settings.agency_max_share),
    ):
        if value is not None and not 0 <= value <= 1:
            raise AnalysisError(f"{label} is {value}; expected a share from 0 to 1 (0.09 for 9%)")
    sources = {}
    window = f"{inputs.window[0].year}-{inputs.window[1].year}"
    if settings.nqsw_intake is None:
        intake = inputs.observed_starts[names[0]]
        sources["nqsw"] = f"the average a year who started as {names[0]} in staff.csv, {window}"
    else:
        intake = float(settings.nqsw_intake)
        sources["nqsw"] = "set for this pack"
    if settings.experienced_recruits is None:
        experienced = {g: inputs.observed_starts[g] for g in names[1:]}
        sources["experienced"] = f"the average a year who started in each grade in staff.csv, {window}"
    else:
        experienced = {g: 0.0 for g in names[1:]}
        for g, v in settings.experienced_recruits.items():
            experienced[names[ladder.index(g)]] = float(v)
        sources["experienced"] = "set for this pack"
    promotion = {}
    for g in range(len(names) - 1):
        if g in inputs.by_years:
            continue
        if settings.promotion_rate is None:
            promotion[names[g]] = float(inputs.rates.move[g, g + 1])
        else:
            promotion[names[g]] = float(settings.promotion_rate)
    for grade, value in settings.promotion_rates.items():
        g = ladder.index(grade)
        if g in inputs.by_years or g == len(names) - 1:
            raise AnalysisError(f"promotion_rates names {grade!r}, which does not move up by promotion")
        if not 0 <= value <= 1:
            raise AnalysisError(f"the promotion rate for {grade} is {value}; expected a share from 0 to 1")
        promotion[names[g]] = float(value)
    sources["promotion"] = (
        "estimated from staff.csv (see the rates above)"
        if settings.promotion_rate is None and not settings.promotion_rates
        else "set for this pack"
    )
    salaries, salary_source = {}, []
    for grade in ladder.grades:
        given = {_key(k): v for k, v in settings.salaries.items()}.get(_key(grade.name))
        if given is not None:
            salaries[grade.name] = float(given) * (1 + settings.on_cost_rate)
            salary_source.append("set for this pack")
        elif grade.cost_per_fte is not None:
            salaries[grade.name] = float(grade.cost_per_fte)
            salary_source.append(f"{GRADES_FILE} (cost per FTE)")
        else:
            salaries[grade.name] = settings.average_salary * (1 + settings.on_cost_rate)
            salary_source.append("the average salary set for this pack")
    sources["salaries"] = "; ".join(dict.fromkeys(salary_source))
    caps = {g.name: float(g.cap) for g in ladder.grades if g.cap is not None}
    for g, v in settings.caps.items():
        caps[names[ladder.index(g)]] = float(v)
    placements, conversion, acceptance = settings.students
    return Resolved(
        settings=settings,
        nqsw_intake=intake,
        experienced=experienced,
        promotion=promotion,
        salaries=salaries,
        caps=caps,
        agency_cost=settings.agency_day_rate * settings.agency_days_per_year,
        student_starts=student_pipeline(placements, conversion, acceptance) if placements else 0.0,
        sources=sources,
    )


def hidden_steps(inputs: GradeInputs, settings: GradeSettings, disclosure: Disclosure = NOT_PUBLISHED) -> set[str]:
    """Grades whose estimated promotion rate rests on 1 to 4 promotions (published packs only), when
    the pack does not set the rate: the rate, and figures it can be worked out from, are not shown."""
    if not disclosure.active or settings.promotion_rate is not None:
        return set()
    promote = inputs.estimates[(inputs.estimates["measure"] == "promote") & (inputs.estimates["band"] == "all")]
    return {
        r["grade"]
        for _, r in promote.iterrows()
        if disclosure.hides(r["events"]) and r["grade"] not in settings.promotion_rates
    }


def hidden_grades(inputs: GradeInputs, disclosure: Disclosure = NOT_PUBLISHED) -> set[str]:
    """Grades with 1 to 4 FTE in post at the start (published packs only): their staff in post, and
    the establishment and vacancy it can be worked out from, are not shown."""
    return {g for g, v in inputs.in_post.items() if disclosure.hides(v)}


def _hide(name: str, text: str, hidden: set[str]) -> str:
    return f"{name} {SUPPRESSION_MARKER}" if name in hidden else text


def assumptions_table(inputs: GradeInputs, resolved: Resolved, disclosure: Disclosure = NOT_PUBLISHED) -> pd.DataFrame:
    """Every assumption of the projection and the plan: what, the value, where it comes from. In a
    published pack, estimated promotion rates resting on 1 to 4 promotions and the establishment of
    grades with 1 to 4 FTE in post are [c]."""
    s = resolved.settings
    names = inputs.ladder.names
    steps, small = hidden_steps(inputs, s, disclosure), hidden_grades(inputs, disclosure)
    rows = [
        ("Years planned", f"{s.years}", f"years after {inputs.as_of.day} {inputs.as_of:%B %Y}"),
        (
            "Establishment (FTE)",
            "; ".join(_hide(g, f"{g} {v:,.1f}", small) for g, v in inputs.establishment.items()),
            inputs.establishment_source,
        ),
        (f"Recruits a year as {names[0]}", f"{resolved.nqsw_intake:,.1f}", resolved.sources["nqsw"]),
        (
            "Experienced recruits a year",
            "; ".join(f"{g} {v:,.1f}" for g, v in resolved.experienced.items()) or "none",
            resolved.sources["experienced"],
        ),
        (
            "Promotion a year",
            "; ".join(_hide(g, f"{g} to the grade above {_pct(v)}", steps) for g, v in resolved.promotion.items())
            or "none",
            resolved.sources["promotion"],
        ),
        (
            "Leaving rates",
            "as estimated"
            if s.leaving_factor == 1.0
            else f"{s.leaving_factor:.2f} times the estimates"
            + (f" for {s.leaving_grade}" if s.leaving_grade else "")
            + (f", {s.leaving_band}" if s.leaving_band else ""),
            "staff.csv (see the rates above)" if s.leaving_factor == 1.0 else "set for this pack",
        ),
        (
            "Experience ceiling",
            f"{s.experience_ceiling:.0%} of caseholders under two years since qualifying",
            "set for this pack"
            + ("" if inputs.early else "; it cannot be checked: no grade of your ladder is only for early careers"),
        ),
        (
            "Cost of a post a year",
            "; ".join(f"{g} £{v:,.0f}" for g, v in resolved.salaries.items()),
            resolved.sources["salaries"] + f", with {s.on_cost_rate:.1%} on-costs where a salary is given",
        ),
        (
            "Agency cover",
            f"£{resolved.agency_cost:,.0f} a year per FTE (£{s.agency_day_rate:,.0f} a day for "
            f"{s.agency_days_per_year:,.0f} days)"
            + ("" if s.agency_max_share >= 1 else f"; at most {s.agency_max_share:.0%} of a grade's establishment"),
            "set for this pack",
        ),
        ("Cost of a recruit", f"£{s.cost_per_hire:,.0f}", "set for this pack"),
        (
            "Students converting to newly qualified posts",
            f"{resolved.student_starts:,.1f} a year"
            + (
                f" ({s.students[0]:,.0f} placements × {s.students[1]:.0%} offered × {s.students[2]:.0%} accepting)"
                if s.students[0]
                else ""
            ),
            "set for this pack",
        ),
        (
            "Caps on posts",
            "; ".join(f"{g} {v:,.0f}" for g, v in resolved.caps.items()) or "none",
            "set for this pack" if s.caps else (GRADES_FILE if resolved.caps else "none set"),
        ),
    ]
    return pd.DataFrame(rows, columns=["assumption", "value", "source"])


# ---------------------------------------------------------------------------------------------
# The what-if: one code path for the static page and the sliders


@dataclass
class GradeWhatIf:
    """One setting of the levers: the scenario, its Monte Carlo band, the year-by-year table, the
    early-career share, a sentence, a chart and headline figures."""

    result: ScenarioResult
    settings: GradeSettings
    band: pd.DataFrame
    table: pd.DataFrame
    share: pd.DataFrame | None
    sentence: str
    figure: object
    figures: dict


def _leaving(rates: ManpowerRates, settings: GradeSettings) -> dict | None:
    """The leaving rates the factor makes ({(grade, band): rate}); None when the factor is 1."""
    if settings.leaving_factor == 1.0:
        return None
    ladder, bands = rates.ladder, rates.bands
    grades = [ladder.index(settings.leaving_grade)] if settings.leaving_grade else range(len(ladder))
    chosen = [bands.band_index(settings.leaving_band)] if settings.leaving_band else range(len(bands.labels))
    return {
        (ladder.names[g], bands.labels[b]): float(min(rates.leave[g, b] * settings.leaving_factor, 1.0))
        for g in grades
        for b in chosen
    }


def recentred(rates: ManpowerRates) -> ManpowerRates:
    """The rates with their counts moved to the rates given (the same people-years): the Monte
    Carlo band of a what-if is centred on the what-if's rates, with the data's uncertainty."""
    out = rates
    if rates.leave_exposure is not None:
        out = replace(out, leave_events=np.minimum(rates.leave * rates.leave_exposure, rates.leave_exposure))
    if rates.move_exposure is not None:
        out = replace(out, move_events=rates.move * rates.move_exposure[:, None])
    return out


def what_if(inputs: GradeInputs, settings: GradeSettings, disclosure: Disclosure = NOT_PUBLISHED) -> GradeWhatIf:
    """The projection at these settings (:func:`workforce_lib.manpower.scenario`), its P10-P90 band
    from the estimated rates' uncertainty, the year-by-year table against the establishment, a
    sentence, the chart and headline figures."""
    from .charts import grade_mix_chart

    r = resolve(inputs, settings)
    ladder = inputs.ladder
    result = scenario(
        inputs.stock,
        inputs.rates,
        inputs.establishment,
        years=settings.years,
        nqsw_intake=r.nqsw_intake,
        students=settings.students if settings.students[0] else None,
        experienced_recruits=r.experienced,
        promotion_rate=r.promotion or None,
        leaving=_leaving(inputs.rates, settings),
        caps=r.caps,
        agency_cost_per_fte=r.agency_cost,
        experience_ceiling=settings.experience_ceiling,
        early_grades=inputs.early,
    )
    recruits = {ladder.names[0]: r.nqsw_intake + r.student_starts, **r.experienced}
    band = simulate(
        inputs.stock,
        recentred(result.rates),
        recruits,
        settings.years,
        inputs.establishment,
        runs=settings.runs,
        seed=settings.seed,
    )
    frame = result.projection.grades
    inpost_band = band[band["measure"] == "in_post"][["year", "grade", "p10", "p90"]]
    table = frame.merge(inpost_band, on=["year", "grade"], how="left")
    share = experience_share(result.projection, inputs.early) if inputs.early else None
    focus = ladder.names[_focus(ladder, None)]
    last = table[(table["year"] == settings.years) & (table["grade"] == focus)].iloc[0]
    first = result.sentences[0]
    below = ladder.names[_focus(ladder, None) - 1] if _focus(ladder, None) > 0 else ""
    if below in hidden_steps(inputs, settings, disclosure):
        promo = result.rates.move[ladder.index(below), ladder.index(below) + 1]
        first = first.replace(f"{promo:.0%} of {below}s promoted", f"the estimated share of {below}s promoted")
    sentence = first + (
        f" The band from the uncertainty of the estimated rates runs from {last['p10']:,.1f} to {last['p90']:,.1f}."
    )
    sentence = " ".join([sentence, *result.sentences[1:]])
    figure = grade_mix_chart(
        table,
        inputs.in_post,
        share,
        ceiling=settings.experience_ceiling,
        focus=focus,
        as_of=inputs.as_of,
    )
    peak = None if share is None or share["share"].isna().all() else float(share["share"].max())
    figures = {
        "years": settings.years,
        "grade": focus,
        "in_post_at_the_end_fte": round(float(last["in_post"]), 1),
        "p10_fte": round(float(last["p10"]), 1),
        "p90_fte": round(float(last["p90"]), 1),
        "establishment_fte": round(float(last["establishment_fte"]), 1),
        "agency_in_the_last_year_fte": round(float(table[table["year"] == settings.years]["agency_fte"].sum()), 1),
        "peak_early_career_share": None if peak is None else round(peak, 3),
    }
    return GradeWhatIf(result, settings, band, table, share, sentence, figure, figures)


def projection_table(what: GradeWhatIf, inputs: GradeInputs, disclosure: Disclosure = NOT_PUBLISHED) -> pd.DataFrame:
    """Year by year and grade: in post at the year end (with its P10-P90 band), the establishment,
    starters, promoted in, leavers and agency cover; "now" rows give the staff in post today
    ([c] under 5 FTE in a published pack: an FTE of people)."""
    now = pd.DataFrame(
        {
            "year": "now",
            "grade": inputs.ladder.names,
            "in_post": inputs.in_post.to_numpy(),
            "band": "",
            "establishment_fte": [inputs.establishment[g] for g in inputs.ladder.names],
            "starters": np.nan,
            "promoted_in": np.nan,
            "leavers": np.nan,
            "agency_fte": np.maximum(
                np.array([inputs.establishment[g] for g in inputs.ladder.names]) - inputs.in_post.to_numpy(), 0
            ),
        }
    )
    small = hidden_grades(inputs, disclosure)
    now = now.astype({"in_post": object, "establishment_fte": object, "agency_fte": object})
    for column in ("in_post", "establishment_fte", "agency_fte"):
        now.loc[now["grade"].isin(small), column] = SUPPRESSION_MARKER
    t = what.table
    later = pd.DataFrame(
        {
            "year": [f"end of year {y}" for y in t["year"]],
            "grade": t["grade"],
            "in_post": t["in_post"],
            "band": [f"{a:,.1f} to {b:,.1f}" for a, b in zip(t["p10"], t["p90"], strict=True)],
            "establishment_fte": t["establishment_fte"],
            "starters": t["starters"],
            "promoted_in": t["promoted_in"].astype(object),
            "leavers": t["leavers"],
            "agency_fte": t["agency_fte"],
        }
    )
    names = inputs.ladder.names
    into = {names[names.index(g) + 1] for g in hidden_steps(inputs, what.settings, disclosure)}
    later.loc[later["grade"].isin(into), "promoted_in"] = SUPPRESSION_MARKER
    later["establishment_fte"] = later["establishment_fte"].astype(object)
    later.loc[later["grade"].isin(small), "establishment_fte"] = SUPPRESSION_MARKER
    out = pd.concat([now, later], ignore_index=True)
    out["grade"] = out["grade"].map(_cap_first)
    return out


# ---------------------------------------------------------------------------------------------
# The least-cost plan


def plan_problem(inputs: GradeInputs, settings: GradeSettings, rates: ManpowerRates | None = None) -> PlanProblem:
    """The linear programme at these settings: recruitment capped at the what-if's recruits a year
    (NQSW intake, students, experienced recruits by grade), progression by years since qualifying for
    everyone, other promotions capped at the promotion rate times the grade's staff now, agency at
    its cost (capped as a share of establishment if set), staff above establishment allowed at their
    salary, the caps on posts. ``rates`` (default: the estimates) give the leaving rates."""
    r = resolve(inputs, settings)
    ladder = inputs.ladder
    names = ladder.names
    rows = [
        {
            "grade": names[0],
            "source": "newly qualified social workers",
            "max_per_year": r.nqsw_intake,
            "cost_per_hire": settings.cost_per_hire,
        }
    ]
    if r.student_starts:
        rows.append(
            {
                "grade": names[0],
                "source": "students",
                "max_per_year": r.student_starts,
                "cost_per_hire": settings.cost_per_hire,
            }
        )
    for grade, n in r.experienced.items():
        if n > 0:
            rows.append(
                {
                    "grade": grade,
                    "source": "experienced staff from outside",
                    "max_per_year": n,
                    "cost_per_hire": settings.cost_per_hire,
                }
            )
    moves = []
    for g in range(len(names) - 1):
        if g in inputs.by_years:
            moves.append(
                {"from_grade": names[g], "to_grade": names[g + 1], "min_share_of_from": 1.0, "max_per_year": None}
            )
        else:
            cap = r.promotion[names[g]] * float(inputs.in_post[names[g]])
            moves.append(
                {
                    "from_grade": names[g],
                    "to_grade": names[g + 1],
                    "min_share_of_from": None,
                    "max_per_year": round(cap, 3),
                }
            )
    grade_costs = pd.DataFrame(
        {
            "grade": names,
            "cost_per_fte": [r.salaries[g] for g in names],
            "over_cost": 0.0,
            "agency_max": [
                None if settings.agency_max_share >= 1 else settings.agency_max_share * inputs.establishment[g]
                for g in names
            ],
        }
    )
    capped = GradeLadder(tuple(replace(g, cap=r.caps.get(g.name, g.cap)) for g in ladder.grades), ladder.rules)
    return PlanProblem(
        ladder=capped,
        start=inputs.stock,
        establishment=inputs.establishment,
        leaving=rates or inputs.rates,
        recruitment=pd.DataFrame(rows),
        moves=pd.DataFrame(moves),
        grade_costs=grade_costs,
        agency_cost_per_fte=r.agency_cost,
        years=settings.years,
        first_year=1,
    )


def best_plan(inputs: GradeInputs, settings: GradeSettings, rates: ManpowerRates | None = None) -> PlanResult:
    """The least-cost plan at these settings (:func:`plan_problem`, :func:`optimise`)."""
    return optimise(plan_problem(inputs, settings, rates), "cost")


def plan_table(
    plan: PlanResult,
    ladder: GradeLadder,
    hidden_steps: set[str] = frozenset(),
    hidden_grades: set[str] = frozenset(),
) -> pd.DataFrame:
    """The plan year by year and grade, for a committee: establishment, in post, recruits,
    promoted in ([c] for the grade above each grade in ``hidden_steps``: promotion capped at a
    suppressed rate; :func:`hidden_steps`), agency and staff above establishment."""
    hidden_into = {ladder.names[ladder.index(g) + 1] for g in hidden_steps}
    p = plan.plan.copy()
    numbers = p.select_dtypes("number").columns
    p[numbers] = p[numbers].round(6) + 0.0  # no "-0.0" from the solver's tolerances
    return pd.DataFrame(
        {
            "year": p["year"].astype(int),
            "grade": p["grade"].map(_cap_first),
            "establishment_fte": p["establishment_fte"]
            .astype(object)
            .mask(p["grade"].isin(hidden_grades), SUPPRESSION_MARKER),
            "in_post": p["in_post"],
            "recruits": p["recruits"],
            "moved_in": p["moved_in"].astype(object).mask(p["grade"].isin(hidden_into), SUPPRESSION_MARKER),
            "agency_fte": p["agency_fte"],
            "over_establishment": p["over_establishment"],
        }
    )


COST_ITEMS = {
    "salaries": "Staff in post",
    "recruitment": "Recruitment",
    "moves": "Promotions",
    "agency": "Agency cover",
    "over-establishment": "Staff above establishment (beyond their salary)",
    "redundancy": "Redundancy",
    "part-time working": "Part-time working",
}


def cost_table(plan: PlanResult) -> pd.DataFrame:
    """The plan's cost by item over all its years, and the total."""
    costs = plan.costs[plan.costs["cost"].abs() > 0.5]
    rows = [(COST_ITEMS.get(i, i), c) for i, c in zip(costs["item"], costs["cost"], strict=True)]
    rows.append(("Total", float(plan.costs["cost"].sum())))
    return pd.DataFrame(rows, columns=["item", "cost"])


def _years_words(years: list[int]) -> str:
    years = sorted(int(y) for y in years)
    if len(years) == 1:
        return f"in year {years[0]}"
    if years == list(range(years[0], years[-1] + 1)):
        return f"in years {years[0]} to {years[-1]}"
    return "in years " + ", ".join(str(y) for y in years[:-1]) + f" and {years[-1]}"


def binding_sentences(plan: PlanResult, hidden_from: set[str] = frozenset()) -> list[str]:
    """The binding caps in words, one sentence per cap over the plan's years, with what one more
    unit a year would save (the sum of HiGHS's shadow prices over the years it binds). A promotion
    cap out of a grade in ``hidden_from`` (a suppressed rate) is named without its number."""
    binding = plan.binding
    if binding.empty:
        return ["No cap binds: the plan is limited by nothing but cost."]
    summed = shadow_price_per_year(binding)
    out = []
    for _, row in summed.iterrows():
        part = binding[(binding["constraint"] == row["constraint"]) & (binding["subject"] == row["subject"])]
        when = _years_words(part["year"].tolist())
        limit = part["limit"].iloc[0]
        saving = row["saving_if_raised_every_year"]
        kind, subject = row["constraint"], row["subject"]
        if kind == "recruitment cap":
            grade, source = subject.split(" from ", 1)
            out.append(
                f"Recruitment of {source} into {grade} is at its limit of {limit:,.1f} a year {when}: "
                f"one more recruit a year would save £{saving:,.0f} over the plan."
            )
        elif kind == "move cap":
            a, b = subject.split(" to ", 1)
            size = "(the estimated promotion rate)" if a in hidden_from else f"of {limit:,.1f} a year"
            out.append(
                f"Promotion from {a} to {b} is at its limit {size} {when}: one more {b} "
                f"progression slot a year would save £{saving:,.0f} over the plan."
            )
        elif kind == "move minimum":
            a, b = subject.split(" to ", 1)
            out.append(
                f"Every {a} moves on to {b} after a year (by years since qualifying) {when}, and this binds: "
                + (
                    f"if one a year could stay a {a}, the plan would save £{saving:,.0f}."
                    if saving > 0
                    else f"each one who moves on saves £{-saving:,.0f} over the plan."
                )
            )
        elif kind == "grade cap":
            out.append(
                f"{_cap_first(subject)} posts are at their cap of {limit:,.0f} {when}: one more post "
                f"would save £{saving:,.0f} over the plan."
            )
        elif kind == "part-time cap":
            out.append(f"Part-time working in {subject} is at its limit {when}: one more would save £{saving:,.0f}.")
        else:
            out.append(
                f"Staff above establishment are at their limit of {limit:,.1f} FTE {when}: one more FTE allowed "
                f"would save £{saving:,.0f} over the plan."
            )
    return out


def plan_sentence(plan: PlanResult, years: int) -> str:
    """The plan's cost and agency cover in one sentence, or why it cannot be made."""
    if plan.status != "optimal":
        return "No plan can fill every grade within these limits. " + " ".join(plan.explanation)
    agency = plan.costs.set_index("item")["cost"].get("agency", 0.0)
    agency_fte = plan.plan[plan.plan["year"] == plan.plan["year"].max()]["agency_fte"].sum()
    return (
        f"The least-cost plan that covers every grade's establishment over {years} year{'s' if years != 1 else ''}, "
        "with agency cover where staff fall short, costs "
        f"£{plan.value / 1e6:,.2f}m, of which agency cover is £{agency / 1e6:,.2f}m; agency cover in the last year "
        f"is {agency_fte:,.1f} FTE."
    )


def plan_figures(plan: PlanResult) -> dict:
    """Headline figures of the plan: its status, cost, agency cost and the caps that bind."""
    if plan.status != "optimal":
        return {"status": "cannot be made", "explanation": " ".join(plan.explanation)}
    costs = plan.costs.set_index("item")["cost"]
    return {
        "status": "least cost",
        "total_cost": round(float(plan.value), 0),
        "agency_cost": round(float(costs.get("agency", 0.0)), 0),
        "caps_binding": int(len(shadow_price_per_year(plan.binding))),
    }


def period_sentence(inputs: GradeInputs, caveat: str = "", disclosure: Disclosure = NOT_PUBLISHED) -> str:
    """When the plan starts, what the rates rest on and which ladder is used, in one paragraph."""
    start, end = inputs.window
    people = inputs.person_years["career"].nunique() if len(inputs.person_years) else 0
    n = len(inputs.person_years)
    text = (
        f"The plan starts on {end.day} {end:%B %Y} ({inputs.as_of_source}). The yearly rates come from staff.csv: "
        f"every year of service that began between {start.day} {start:%B %Y} and {end.day} {end:%B %Y} and "
        f"ended by {end.day} {end:%B %Y}: {disclosure.words(n, f'{n:,}')} person-years of "
        f"{disclosure.words(people, f'{people:,}')} people. "
        f"Grades: {inputs.ladder_source}."
    )
    return text + (f" {caveat}" if caveat else "")
