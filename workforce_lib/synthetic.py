"""Seeded synthetic data where the papers publish no table: staff.csv and campaign.csv.

Neither file exists in the source papers (HR records are personal data; the campaign agency
gave only a summary). These generators make files that follow the data contract and are
calibrated to what the papers do say, so every analysis has realistic input to run on:

* ``make_staff``: employment histories, post by post. Each funded post is held by a chain of
  employments; each employment lasts a time drawn from a piecewise-constant leaving hazard by
  length of service (highest in years 1-3, the "three-year cliff" members heard about), then
  the post stays vacant for a while before the next starter. Calibrated so that about 15% of
  caseholders leave a year (Kent planned on 15%), most leavers have under five years' service
  (25 of 46 in 2015), with entry routes and reasons as the papers describe. It is vectorised
  over posts so it makes a million employments in seconds.
* ``make_campaign``: the seven weeks of the 2011 online campaign, channel by advert, whose
  totals equal Appendix 7's: 4,821 visitors (+20.8% in the last week), Google 59.4% of
  visitors at £0.61 a visitor, £3.76 a click and £5.51 a visitor overall, 22 applications in
  the last week, half of them from the Guardian.

Both take a seed and return the same frame for the same arguments.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

DAYS_PER_YEAR = 365.25

#: Length-of-service bands (years) and the chance of leaving within a year of service in each.
#: Caseholders: highest in years 1-3; about 16% a year overall in steady state.
CASEHOLDER_LEAVING = ((0, 1, 0.13), (1, 3, 0.19), (3, 5, 0.14), (5, 10, 0.11), (10, np.inf, 0.10))
#: Managers (team leaders, principal social workers) leave less often (Kent: about 5-10%).
MANAGER_LEAVING = ((0, 1, 0.08), (1, 3, 0.10), (3, 5, 0.08), (5, np.inf, 0.07))

CASEHOLDER_ROUTES = {
    "NQSW": 0.38,
    "UK experienced": 0.30,
    "overseas": 0.12,
    "returner": 0.07,
    "OU/MA": 0.07,
    "agency conversion": 0.06,
}
MANAGER_ROUTES = {"internal promotion": 0.45, "UK experienced": 0.45, "agency conversion": 0.10}

#: Reasons for leaving, as the 2015 update and the minutes describe them.
LEAVING_REASONS = {
    "new employment": 0.34,
    "agency work": 0.20,
    "personal/domestic": 0.16,
    "relocation": 0.12,
    "workload": 0.10,
    "dismissal": 0.03,
    "retirement": 0.05,
}

#: Years between qualifying and starting, by entry route (uniform low-high).
YEARS_QUALIFIED_BEFORE_START = {
    "NQSW": (0.05, 0.4),
    "UK experienced": (1.0, 15.0),
    "overseas": (1.0, 10.0),
    "returner": (3.0, 20.0),
    "OU/MA": (0.0, 0.2),
    "agency conversion": (2.0, 12.0),
    "internal promotion": (5.0, 20.0),
}


def _draw_service_years(rng: np.random.Generator, n: int, bands) -> np.ndarray:
    """Length of service drawn from a piecewise-constant hazard (inverse cumulative hazard)."""
    lows = np.array([b[0] for b in bands], dtype=float)
    highs = np.array([b[1] for b in bands], dtype=float)
    hazard = -np.log1p(-np.array([b[2] for b in bands], dtype=float))
    widths = np.where(np.isinf(highs), np.inf, highs - lows)
    cum_at_low = np.concatenate([[0.0], np.cumsum(hazard[:-1] * widths[:-1])])
    target = rng.exponential(1.0, n)
    band = np.searchsorted(cum_at_low, target, side="right") - 1
    return lows[band] + (target - cum_at_low[band]) / hazard[band]


def _choice(rng: np.random.Generator, options: dict[str, float], n: int) -> np.ndarray:
    names = np.array(list(options))
    p = np.array(list(options.values()), dtype=float)
    return names[rng.choice(len(names), size=n, p=p / p.sum())]


def teams_from_staffing(staffing: pd.DataFrame) -> pd.DataFrame:
    """Posts per team and role group from a staffing snapshot (establishment FTE, rounded up)."""
    latest = staffing[staffing["as_of"] == staffing["as_of"].max()]
    table = latest.pivot_table(
        index=["area", "team"], columns="role_group", values="establishment_fte", aggfunc="sum"
    ).fillna(0)
    table = np.ceil(table).astype(int).reset_index()
    table.columns.name = None
    return table.rename(columns={"caseholder": "caseholder_posts", "manager": "manager_posts"})


def synthetic_teams(n_teams: int, caseholder_posts: int = 28, manager_posts: int = 7) -> pd.DataFrame:
    """A large made-up organisation: n_teams teams in areas of ten, each of the given size."""
    idx = np.arange(n_teams)
    return pd.DataFrame(
        {
            "area": [f"Area {i // 10 + 1:03d}" for i in idx],
            "team": [f"Team {i + 1:05d}" for i in idx],
            "caseholder_posts": caseholder_posts,
            "manager_posts": manager_posts,
        }
    )


@dataclass(frozen=True)
class StaffSettings:
    """Calibration of the staff generator; defaults follow the Kent papers."""

    history_start: str = "1985-01-01"
    keep_from: str = "2005-01-01"
    as_of: str = "2015-10-31"
    mean_vacancy_gap_months: float = 3.0
    part_time_share: float = 0.15
    senior_practitioner_share: float = 0.25
    principal_sw_share: float = 0.30
    caseholder_leaving: tuple = CASEHOLDER_LEAVING
    manager_leaving: tuple = MANAGER_LEAVING
    caseholder_routes: dict = field(default_factory=lambda: dict(CASEHOLDER_ROUTES))
    manager_routes: dict = field(default_factory=lambda: dict(MANAGER_ROUTES))


def _post_chains(
    rng: np.random.Generator, n_posts: int, bands, settings: StaffSettings
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Employments of n_posts posts: (post index, start day, leave day) as days since history_start."""
    end_day = (pd.Timestamp(settings.as_of) - pd.Timestamp(settings.history_start)).days
    gap_days = settings.mean_vacancy_gap_months * DAYS_PER_YEAR / 12
    # First occupants start at staggered dates in the first ten years of the history (burn-in).
    next_start = rng.uniform(0, 10 * DAYS_PER_YEAR, n_posts)
    posts, starts, leaves = [], [], []
    active = np.arange(n_posts)
    while active.size:
        start = next_start[active]
        service = _draw_service_years(rng, active.size, bands) * DAYS_PER_YEAR
        leave = start + np.maximum(service, 1.0)
        posts.append(active)
        starts.append(start)
        leaves.append(leave)
        next_start[active] = leave + rng.exponential(gap_days, active.size)
        active = active[next_start[active] <= end_day]
    return np.concatenate(posts), np.concatenate(starts), np.concatenate(leaves)


def make_staff(
    teams: pd.DataFrame,
    seed: int = 2011,
    settings: StaffSettings | None = None,
    n_employments: int | None = None,
) -> pd.DataFrame:
    """Synthetic staff.csv: one row per employment in the given teams, seeded and reproducible.

    Parameters
    ----------
    teams : frame with area, team, caseholder_posts, manager_posts (see ``teams_from_staffing``).
    seed : random seed; the same seed gives the same frame.
    settings : calibration; defaults follow the Kent papers.
    n_employments : if given, posts are scaled so that about this many employments are made,
        and the result is cut to exactly this many rows (for benchmarks at a million records).
    """
    settings = settings or StaffSettings()
    rng = np.random.default_rng(seed)
    teams = teams.reset_index(drop=True)
    if n_employments is not None:
        # About 2.3 kept employments per post over the default 2005-2015 window; 25% headroom,
        # then a random subsample cuts the result to exactly n_employments rows.
        total_posts = int(teams[["caseholder_posts", "manager_posts"]].to_numpy().sum())
        reps = int(np.ceil(1.25 * n_employments / (2.3 * max(total_posts, 1))))
        teams = pd.concat(
            [teams.assign(team=teams["team"] + (f" {r + 1}" if reps > 1 else "")) for r in range(reps)],
            ignore_index=True,
        )
    origin = pd.Timestamp(settings.history_start)
    end_day = (pd.Timestamp(settings.as_of) - origin).days
    keep_day = (pd.Timestamp(settings.keep_from) - origin).days
    frames = []
    for group, posts_col, bands, routes in (
        ("caseholder", "caseholder_posts", settings.caseholder_leaving, settings.caseholder_routes),
        ("manager", "manager_posts", settings.manager_leaving, settings.manager_routes),
    ):
        team_of_post = np.repeat(teams.index.to_numpy(), teams[posts_col].to_numpy())
        post, start, leave = _post_chains(rng, team_of_post.size, bands, settings)
        keep = (start <= end_day) & (leave >= keep_day)
        post, start, leave = post[keep], start[keep], leave[keep]
        n = post.size
        in_post = leave > end_day
        route = _choice(rng, routes, n)
        service_at_end = (np.minimum(leave, end_day) - start) / DAYS_PER_YEAR
        if group == "caseholder":
            role = np.where(
                (route == "NQSW") & (service_at_end < 1),
                "NQSW",
                np.where(
                    (service_at_end > 3) & (rng.random(n) < settings.senior_practitioner_share),
                    "Senior Practitioner",
                    "Social Worker",
                ),
            )
        else:
            role = np.where(rng.random(n) < settings.principal_sw_share, "Principal Social Worker", "Team Leader")
        reason = _choice(rng, LEAVING_REASONS, n)
        reason = np.where((service_at_end >= 10) & (rng.random(n) < 0.3), "retirement", reason)
        reason = np.where(in_post, "", reason)
        low = np.array([YEARS_QUALIFIED_BEFORE_START[r][0] for r in route])
        high = np.array([YEARS_QUALIFIED_BEFORE_START[r][1] for r in route])
        qualified = start - rng.uniform(low, high) * DAYS_PER_YEAR
        fte = np.where(rng.random(n) < settings.part_time_share, rng.choice([0.5, 0.6, 0.8, 0.9], n), 1.0)
        team_rows = teams.loc[team_of_post[post]]
        frames.append(
            pd.DataFrame(
                {
                    "role": role,
                    "team": team_rows["team"].to_numpy(),
                    "area": team_rows["area"].to_numpy(),
                    "fte": fte,
                    "start_day": np.floor(start).astype(int),
                    "leave_day": np.where(in_post, -1, np.floor(leave).astype(int)),
                    "leaving_reason": reason,
                    "entry_route": route,
                    "qualified_day": np.floor(qualified).astype(int),
                }
            )
        )
    staff = pd.concat(frames, ignore_index=True)
    staff = staff.sort_values(["start_day", "team", "role"], kind="stable").reset_index(drop=True)
    if n_employments is not None:
        if len(staff) < n_employments:
            raise ValueError(f"made only {len(staff):,} employments; use more teams for {n_employments:,}")
        keep = np.sort(rng.choice(len(staff), size=n_employments, replace=False))
        staff = staff.iloc[keep]
    n = len(staff)
    ids = rng.permutation(np.arange(100000, 100000 + max(n * 3, 10)))[:n]
    days = pd.to_timedelta(staff["start_day"], unit="D")
    leave_days = staff["leave_day"].where(staff["leave_day"] >= 0)
    out = pd.DataFrame(
        {
            "staff_id": np.char.add("P", ids.astype(str)),
            "role": staff["role"],
            "team": staff["team"],
            "area": staff["area"],
            "fte": staff["fte"],
            "start_date": origin + days,
            "leave_date": origin + pd.to_timedelta(leave_days, unit="D"),
            "leaving_reason": staff["leaving_reason"].replace("", None),
            "entry_route": staff["entry_route"],
            "qualified_date": origin + pd.to_timedelta(staff["qualified_day"], unit="D"),
        }
    )
    # A leaver's day can fall after as_of only through flooring; clamp leave to on/after start.
    out["leave_date"] = out["leave_date"].where(
        out["leave_date"].isna() | (out["leave_date"] >= out["start_date"]), out["start_date"]
    )
    return out.reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# Campaign


#: Channels and adverts of the 2011 Principal Social Worker campaign (Appendix 7), with the
#: share of each channel's visitors each advert brings.
CAMPAIGN_ADVERTS: dict[str, dict[str, float]] = {
    "Google": {
        "Location/Employer Keywords": 0.40,
        "Principal/Social Worker Keywords": 0.30,
        "Senior Practitioner Keywords": 0.15,
        "Team Leader Keywords": 0.08,
        "Display Network": 0.07,
    },
    "Guardian": {
        "Banner - editorial site": 0.25,
        "Banner - job site": 0.45,
        "Premium job (community site homepage)": 0.30,
    },
    "Community Care": {
        "Principal Social Worker - listing": 0.45,
        "Team Leader - listing": 0.0,
        "Banner (permanent - Social care jobs pages)": 0.55,
    },
    "Local Government Professional": {"Enhanced Listing (generic)": 1.0},
    "Diversity Ad network": {"Behavioural targeting MPU": 1.0},
}


@dataclass(frozen=True)
class CampaignTargets:
    """Totals the synthetic campaign must reproduce (Appendix 7 of the Kent 2011 paper)."""

    last_week_ending: str = "2011-04-20"
    weeks: int = 7
    visitors: int = 4821
    visitors_growth_last_week: float = 0.208
    google_visitor_share: float = 0.594
    google_cost_per_visitor: float = 0.61
    cost_per_click: float = 3.76
    cost_per_visitor: float = 5.51
    cost_per_click_fall_last_week: float = 0.033
    cost_per_visitor_fall_last_week: float = 0.043
    # Visitors by the other channels to date and their growth in the last week.
    channel_visitors: dict = field(
        default_factory=lambda: {
            "Guardian": (1102, 0.347),
            "Community Care": (603, 0.142),
            "Local Government Professional": (146, 0.12),
            "Diversity Ad network": (106, 0.10),
        }
    )
    channel_spend_share: dict = field(
        default_factory=lambda: {
            "Guardian": 0.48,
            "Community Care": 0.34,
            "Local Government Professional": 0.11,
            "Diversity Ad network": 0.07,
        }
    )
    # Tracked applications appear only in the last week: by (channel, advert).
    applications_last_week: dict = field(
        default_factory=lambda: {
            ("Google", "Location/Employer Keywords"): 8,
            ("Guardian", "Banner - job site"): 6,
            ("Guardian", "Premium job (community site homepage)"): 5,
            ("Community Care", "Principal Social Worker - listing"): 2,
            ("Google", "Principal/Social Worker Keywords"): 1,
        }
    )


def write_large_staff(path, n_employments: int = 1_000_000, seed: int = 1) -> int:
    """Write a staff.csv of ``n_employments`` employments (default a million, a county council's
    whole workforce history many times over) in teams of 28 caseholder and 7 manager posts, ISO
    dates, for benchmarks and for trying the workbench at scale. Returns the number of rows."""
    staff = make_staff(synthetic_teams(max(n_employments // 2000, 1)), seed=seed, n_employments=n_employments)
    for column in ("start_date", "leave_date", "qualified_date"):
        staff[column] = staff[column].dt.strftime("%Y-%m-%d")
    staff.to_csv(path, index=False)
    return len(staff)


def allocate(total: int, weights) -> np.ndarray:
    """Split a whole number into whole parts proportional to weights (largest remainder)."""
    w = np.asarray(weights, dtype=float)
    if total == 0 or w.sum() == 0:
        return np.zeros(w.size, dtype=int)
    exact = total * w / w.sum()
    parts = np.floor(exact).astype(int)
    short = total - parts.sum()
    order = np.argsort(-(exact - parts), kind="stable")
    parts[order[:short]] += 1
    return parts


def make_campaign(seed: int = 2011, targets: CampaignTargets | None = None) -> pd.DataFrame:
    """Synthetic campaign.csv whose totals equal the Appendix 7 dashboard (see module doc)."""
    t = targets or CampaignTargets()
    rng = np.random.default_rng(seed)
    weeks = pd.date_range(end=pd.Timestamp(t.last_week_ending), periods=t.weeks, freq="7D")
    prior_visitors = round(t.visitors / (1 + t.visitors_growth_last_week))
    google_total = round(t.visitors * t.google_visitor_share)
    others = sum(v for v, _ in t.channel_visitors.values())
    if google_total + others != t.visitors:
        raise ValueError("channel visitors do not add up to the campaign total")
    channel_totals = {"Google": google_total, **{c: v for c, (v, _) in t.channel_visitors.items()}}
    channel_prior = {c: round(v / (1 + g)) for c, (v, g) in t.channel_visitors.items()}
    channel_prior["Google"] = prior_visitors - sum(channel_prior.values())

    spend_total = t.visitors * t.cost_per_visitor
    clicks_total = round(spend_total / t.cost_per_click)
    prior_cpv = t.cost_per_visitor / (1 - t.cost_per_visitor_fall_last_week)
    prior_cpc = t.cost_per_click / (1 - t.cost_per_click_fall_last_week)
    spend_prior = prior_cpv * prior_visitors
    clicks_prior = round(spend_prior / prior_cpc)
    last_week_spend_share = 1 - spend_prior / spend_total
    google_spend = round(google_total * t.google_cost_per_visitor, 2)
    spend_by_channel = {"Google": google_spend}
    rest = spend_total - google_spend
    for c, share in t.channel_spend_share.items():
        spend_by_channel[c] = rest * share

    rows = []
    growth = np.linspace(0.7, 1.3, t.weeks - 1)
    for channel, adverts in CAMPAIGN_ADVERTS.items():
        names = list(adverts)
        ad_w = np.array([adverts[a] for a in names])
        prior = channel_prior[channel]
        last = channel_totals[channel] - prior
        week_w = growth * rng.uniform(0.85, 1.15, growth.size)
        cells_prior = allocate(prior, np.outer(week_w, ad_w * rng.uniform(0.9, 1.1, ad_w.size)).ravel())
        cells_last = allocate(last, ad_w)
        visitors = np.concatenate([cells_prior, cells_last]).reshape(t.weeks, len(names))
        spend_week = np.full(t.weeks, (1 - last_week_spend_share) / (t.weeks - 1))
        spend_week[-1] = last_week_spend_share
        ad_spend_w = np.where(ad_w > 0, ad_w, 0.1)  # a silent advert still costs money
        for wi, week in enumerate(weeks):
            spend_cells = spend_by_channel[channel] * spend_week[wi] * ad_spend_w / ad_spend_w.sum()
            for ai, advert in enumerate(names):
                apps = t.applications_last_week.get((channel, advert), 0) if wi == t.weeks - 1 else 0
                rows.append(
                    {
                        "week_ending": week,
                        "channel": channel,
                        "advert": advert,
                        "visitors": int(visitors[wi, ai]),
                        "clicks": 0,
                        "applications": int(apps),
                        "spend_gbp": round(float(spend_cells[ai]), 2),
                    }
                )
    frame = pd.DataFrame(rows)
    last = frame["week_ending"] == weeks[-1]
    click_ratio = frame["channel"].map({"Google": 1.25}).fillna(1.6).to_numpy()
    weights = frame["visitors"].to_numpy() * click_ratio
    frame.loc[~last, "clicks"] = allocate(clicks_prior, weights[~last.to_numpy()])
    frame.loc[last, "clicks"] = allocate(clicks_total - clicks_prior, weights[last.to_numpy()])
    # Pennies lost to rounding go on the largest cell so that spend adds up exactly.
    drift = round(spend_total - frame["spend_gbp"].sum(), 2)
    frame.loc[frame["spend_gbp"].idxmax(), "spend_gbp"] += drift
    frame["spend_gbp"] = frame["spend_gbp"].round(2)
    return frame


@dataclass(frozen=True)
class CensusSettings:
    """What a synthetic authority's census returns look like, year on year (defaults: about
    England's recent rates, DfE 2023-2025)."""

    in_post: int = 800  #: LA-employed social workers in post at the first 30 September
    turnover: float = 0.14  #: share of LA workers leaving in a year (moves within not counted)
    moves: float = 0.04  #: share moving within children's social work in a year (mostly promotions)
    agency_share: float = 0.14  #: agency workers in post / (agency + LA in post)
    vacancy_rate: float = 0.16  #: vacancies / (vacancies + in post FTE)
    cover_share: float = 0.75  #: share of agency FTE covering vacancies
    caseload: float = 16.0  #: mean Cases30 of case holders
    absence_days: float = 7.0  #: mean working days lost a year per LA worker
    growth: float = 0.01  #: yearly growth in LA in post


#: The sample's census returns: Kent (LA code 886) in 2024 and 2025, sized and paced like Kent's
#: published 2024 figures (823 in post, turnover 11.1%, agency 14.0%, vacancies 15.1%, caseload 15.8,
#: absence 2.8%), so the reconciliation with DfE's rows shows differences of a realistic size.
SAMPLE_LEA = "886"
SAMPLE_CENSUS_YEARS = (2024, 2025)
SAMPLE_CENSUS = CensusSettings(
    in_post=830, turnover=0.11, agency_share=0.14, vacancy_rate=0.15, caseload=13.5, absence_days=6.5, growth=0.0
)

#: OrgRole weights of a children's social work workforce: senior, middle, first-line manager,
#: senior practitioner, case holder, qualified without cases.
ORG_ROLE_WEIGHTS = (2, 5, 12, 15, 60, 6)


def write_census_returns(
    folder, lea: str, years, settings: CensusSettings | None = None, seed: int = 2024
) -> list:
    """Write one linked census return per year in ``years`` (consecutive, each a schema year
    2021-2025) for authority ``lea`` into ``folder``; returns the paths.

    One simulated workforce runs through the years: each LA worker leaves during a year with
    probability ``turnover`` (on a random day) or moves within (a promotion: the role ends and
    the next, one grade up, starts the next day, under the same SWENo), starters replace
    leavers, and agency workers come and go. Each year's return lists, as DfE asks, everyone in
    post on 30 September and everyone who started or left in the year, so returns of
    consecutive years link by SWENo (:mod:`workforce_lib.census.history`). Nothing here is any
    authority's real staff.
    """
    import random as _random
    from datetime import date, timedelta
    from pathlib import Path

    from .census.generate import WorkerRecord, write_workers

    settings = settings or CensusSettings()
    years = sorted(int(y) for y in years)
    if years != list(range(years[0], years[0] + len(years))):
        raise ValueError(f"census years must be consecutive, not {years}")
    rng = _random.Random(seed)
    folder = Path(folder)
    serial = iter(range(1, 10**9))

    def person(agency: bool, start: date, role: int | None = None) -> dict:
        role = role or rng.choices(range(1, 7), weights=ORG_ROLE_WEIGHTS)[0]
        fte = rng.choice([1.0, 1.0, 1.0, 1.0, 0.8, 0.6, round(rng.randint(15, 33) / 37, 6)])
        return {"sweno": f"SW{seed % 100:02d}{next(serial):08d}", "agency": agency, "start": start, "end": None,
                "role": role, "fte": fte, "reason": None}

    def day(first: date, last: date) -> date:
        return first + timedelta(days=rng.randint(0, (last - first).days))

    first_ref = date(years[0] - 1, 9, 30)
    spells = [person(False, day(date(1995, 1, 1), first_ref)) for _ in range(settings.in_post)]
    n_agency = round(settings.in_post * settings.agency_share / (1 - settings.agency_share))
    spells += [person(True, day(first_ref - timedelta(days=700), first_ref)) for _ in range(n_agency)]
    paths = []
    for year in years:
        first, ref = date(year - 1, 10, 1), date(year, 9, 30)
        la_in_post = [s for s in spells if not s["agency"] and s["end"] is None]
        for s in la_in_post:
            draw = rng.random()
            if draw < settings.turnover:
                s["end"], s["reason"] = day(first, ref), rng.choice([1, 1, 1, 1, 1, 5, 2, 4, 7, 8])
            elif draw < settings.turnover + settings.moves and s["role"] > 1:
                s["end"], s["reason"] = day(first, ref - timedelta(days=1)), 8
                spells.append({**person(False, s["end"] + timedelta(days=1), s["role"] - 1), "sweno": s["sweno"],
                               "fte": s["fte"]})
        leavers = sum(1 for s in la_in_post if s["end"] is not None and s["reason"] != 8)
        for _ in range(round(leavers * (1 + settings.growth)) + round(len(la_in_post) * settings.growth)):
            spells.append(person(False, day(first, ref), rng.choices([3, 4, 5, 6], weights=[1, 2, 12, 1])[0]))
        for s in [s for s in spells if s["agency"] and s["end"] is None]:
            if rng.random() < 0.4:  # agency workers come and go: leave the list, replaced by another
                s["end"] = first - timedelta(days=1)
                spells.append(person(True, day(first, ref)))
        records, in_post_fte, agency_fte = [], 0.0, 0.0
        for s in spells:
            if s["start"] > ref or (s["end"] is not None and s["end"] < first):
                continue
            in_post = s["end"] is None or s["end"] > ref
            if s["agency"] and not in_post:
                continue
            in_post_fte += s["fte"] if in_post and not s["agency"] else 0.0
            agency_fte += s["fte"] if in_post and s["agency"] else 0.0
            holds = in_post and s["role"] in (3, 4, 5)
            cases = max(1, round(rng.gauss(settings.caseload, 4))) if holds else None
            lost = None if s["agency"] else round(rng.expovariate(1 / settings.absence_days) * 2) / 2
            records.append(
                WorkerRecord(s["sweno"], s["agency"], s["start"], None if in_post else s["end"],
                             s["reason"] if not in_post else None, s["fte"], s["role"], cases, lost)
            )
        vacancies = round(in_post_fte * settings.vacancy_rate / (1 - settings.vacancy_rate), 2)
        cover = round(min(vacancies, agency_fte * settings.cover_share), 2)
        path = folder / f"csww_{lea}_{year}.xml"
        write_workers(path, records, lea=lea, year=year, vacancies=vacancies, cover=cover, seed=seed + year)
        paths.append(path)
    return paths


def write_sample(folder, seed: int = 2011) -> dict[str, int]:
    """Regenerate staff.csv and campaign.csv in ``folder`` from its staffing.csv; return row counts."""
    from pathlib import Path

    from .data import load_staffing

    folder = Path(folder)
    staffing = load_staffing(folder / "staffing.csv")
    # The sample models Kent's workforce as reported in 2011 (about 400 caseholders and 100
    # managers in post), so posts are the establishment plus a share for teams outside Appendix 1.
    teams = teams_from_staffing(staffing)
    teams["caseholder_posts"] = np.ceil(teams["caseholder_posts"] * 1.12).astype(int)
    teams["manager_posts"] = np.ceil(teams["manager_posts"] * 1.05).astype(int)
    staff = make_staff(teams, seed=seed)
    campaign = make_campaign(seed=seed)
    date_cols = ["start_date", "leave_date", "qualified_date"]
    staff_out = staff.copy()
    for c in date_cols:
        staff_out[c] = staff_out[c].dt.strftime("%Y-%m-%d")
    staff_out.to_csv(folder / "staff.csv", index=False)
    campaign_out = campaign.assign(week_ending=campaign["week_ending"].dt.strftime("%Y-%m-%d"))
    campaign_out.to_csv(folder / "campaign.csv", index=False)
    (folder / "census").mkdir(exist_ok=True)
    returns = write_census_returns(folder / "census", SAMPLE_LEA, SAMPLE_CENSUS_YEARS, SAMPLE_CENSUS, seed=seed)
    return {"staff.csv": len(staff_out), "campaign.csv": len(campaign_out), "census returns": len(returns)}


if __name__ == "__main__":  # pragma: no cover
    import sys

    print(write_sample(sys.argv[1] if len(sys.argv) > 1 else "data/sample"))
