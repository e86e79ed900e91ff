"""Pay: total reward against comparators, this authority's position, and the cost of proposals.

Total annual reward at a point in a salary range (Kent 2011 paper, Appendix 5 compares offers
this way, "all extras counted"):

    total = salary + annual supplements + pct_of_basic supplements x salary
            + one-off payments / one_off_years

where salary is the bottom, middle ((min + max) / 2) or top of the range, and one-off payments
(golden hellos, start-up payments) are spread over ``one_off_years`` (default 2, stated in every
output). A comparator given as a single point (salary_min = salary_max) has the same bottom,
middle and top.

Cost of proposals (Hertfordshire-style papers: "95 WTE x (£2,000 + £529 on-costs) = £240,255"):
per WTE amount = amount (annual, one_off) or amount x base_salary_gbp (pct_of_salary); on-costs
= (recurring + one-off) x on-cost rate (the row's rate, else the parameter); first-year total =
recurring + one-off + on-costs; full-year recurring = recurring x (1 + on-cost rate).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from .errors import AnalysisError, NotAvailableError
from .quarters import quarter_of_share_below, quarter_words

POINTS = ("bottom", "middle", "top")
#: Default employer on-cost rate (national insurance and pension): £529 on £2,000, the
#: Hertfordshire-style example the pay paper quotes. Override with the analysis parameter.
DEFAULT_ON_COST_RATE = 529 / 2000
TARGET_POSITIONS = {"top": 1.0, "upper quartile": 0.75, "median": 0.5, "lower quartile": 0.25}


def salary_at(pay_scales: pd.DataFrame, point: str) -> pd.Series:
    """Salary at the bottom, middle or top of each range."""
    if point not in POINTS:
        raise AnalysisError(f"point must be one of {POINTS}, not {point!r}")
    if point == "bottom":
        return pay_scales["salary_min"]
    if point == "top":
        return pay_scales["salary_max"]
    return (pay_scales["salary_min"] + pay_scales["salary_max"]) / 2


def total_reward(
    pay_scales: pd.DataFrame,
    supplements: pd.DataFrame | None,
    one_off_years: float = 2,
    points=POINTS,
    extra: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Total annual reward per authority, role and point of the range, extras counted.

    Columns: authority, role, point, salary, annual_extras, pct_of_basic_extras,
    one_off_extras_per_year, total_reward, one_off_years. ``extra`` holds further supplement
    rows (same columns as pay_supplements.csv), e.g. a what-if market premium.
    """
    if one_off_years <= 0:
        raise AnalysisError("one-off payments must be spread over more than 0 years")
    parts = [s for s in (supplements, extra) if s is not None and len(s)]
    keys = ["authority", "role"]
    bases = ["annual", "one_off", "pct_of_basic"]
    if parts:
        by_basis = pd.concat(parts, ignore_index=True).pivot_table(
            index=keys, columns="basis", values="amount", aggfunc="sum"
        )
        by_basis = by_basis.reindex(columns=bases).fillna(0.0)
    else:
        by_basis = pd.DataFrame(columns=bases, index=pd.MultiIndex.from_tuples([], names=keys), dtype=float)
    frames = []
    for point in points:
        salary = salary_at(pay_scales, point)
        frame = pay_scales[keys].assign(point=point, salary=salary.astype(float))
        frame = frame.merge(by_basis, left_on=keys, right_index=True, how="left").fillna(
            {"annual": 0.0, "one_off": 0.0, "pct_of_basic": 0.0}
        )
        frames.append(frame)
    out = pd.concat(frames, ignore_index=True)
    out["annual_extras"] = out.pop("annual")
    out["pct_of_basic_extras"] = out.pop("pct_of_basic") * out["salary"]
    out["one_off_extras_per_year"] = out.pop("one_off") / one_off_years
    out["total_reward"] = (
        out["salary"] + out["annual_extras"] + out["pct_of_basic_extras"] + out["one_off_extras_per_year"]
    )
    out["one_off_years"] = one_off_years
    return out


def position(
    reward: pd.DataFrame, authority: str, point: str = "middle", target_position: str = "upper quartile"
) -> pd.DataFrame:
    """This authority's position per role at a point of the range.

    rank (1 = best paid of all authorities listed), percentile (share of comparators it pays more
    than), quarter_by_value (the quarter of pay it is in: "highest" when it pays more than 75% or
    more of its comparators, :func:`workforce_lib.quarters.quarter_of_share_below`), gap to the
    best payer and to the median comparator (positive = paid less), and the gap to the target position (the comparators'
    total reward at that quantile, e.g. 75% for the upper quartile).
    """
    if target_position not in TARGET_POSITIONS:
        raise AnalysisError(f"target position must be one of {list(TARGET_POSITIONS)}")
    data = reward[reward["point"] == point]
    if authority not in set(data["authority"]):
        raise AnalysisError(f"{authority!r} is not in pay_scales.csv; authorities: {sorted(set(data['authority']))}")
    rows = []
    for role, part in data.groupby("role", sort=True):
        mine = part[part["authority"] == authority]
        if mine.empty:
            continue
        own = float(mine["total_reward"].iloc[0])
        others = part.loc[part["authority"] != authority, "total_reward"].astype(float)
        best_other = part.loc[part["authority"] != authority].sort_values("total_reward", ascending=False)
        n = len(part)
        rank = int((part["total_reward"] > own).sum()) + 1
        percentile = float((others < own).mean()) if len(others) else np.nan
        quarter = quarter_of_share_below(percentile) if len(others) else None
        median_other = float(others.median()) if len(others) else np.nan
        target = float(np.quantile(others, TARGET_POSITIONS[target_position])) if len(others) else np.nan
        best = float(best_other["total_reward"].iloc[0]) if len(best_other) else np.nan
        rows.append(
            {
                "role": role,
                "authority": authority,
                "point": point,
                "total_reward": own,
                "rank": rank,
                "of": n,
                "percentile": percentile,
                "quarter_by_value": quarter,
                "best_payer": best_other["authority"].iloc[0] if len(best_other) else None,
                "gap_to_best_gbp": best - own,
                "gap_to_best_pct": (best - own) / own,
                "gap_to_median_gbp": median_other - own,
                "gap_to_median_pct": (median_other - own) / own,
                "target_position": target_position,
                "gap_to_target_gbp": max(target - own, 0.0),
            }
        )
    return pd.DataFrame(rows)


def cost_of_proposals(proposals: pd.DataFrame, on_cost_rate: float = DEFAULT_ON_COST_RATE) -> pd.DataFrame:
    """Annual recurring, one-off, on-costs, first-year and full-year recurring cost per proposal row."""
    if not 0 <= on_cost_rate <= 1:
        raise AnalysisError("the on-cost rate must be a fraction from 0 to 1")
    out = proposals.copy()
    pct = out["basis"] == "pct_of_salary"
    per_wte = np.where(pct, out["amount_gbp"] * out["base_salary_gbp"].astype(float), out["amount_gbp"])
    recurring = np.where(out["basis"] == "one_off", 0.0, per_wte * out["eligible_wte"])
    one_off = np.where(out["basis"] == "one_off", per_wte * out["eligible_wte"], 0.0)
    rate = out["on_cost_rate"].astype(float).fillna(on_cost_rate) if "on_cost_rate" in out else on_cost_rate
    out["amount_per_wte_gbp"] = per_wte
    out["on_cost_rate_used"] = rate
    out["recurring_gbp"] = recurring
    out["one_off_gbp"] = one_off
    out["on_costs_gbp"] = (recurring + one_off) * out["on_cost_rate_used"]
    out["first_year_gbp"] = out["recurring_gbp"] + out["one_off_gbp"] + out["on_costs_gbp"]
    out["full_year_recurring_gbp"] = out["recurring_gbp"] * (1 + out["on_cost_rate_used"])
    return out


def cost_by_scenario(costs: pd.DataFrame) -> pd.DataFrame:
    """Totals of :func:`cost_of_proposals` per scenario."""
    columns = ["recurring_gbp", "one_off_gbp", "on_costs_gbp", "first_year_gbp", "full_year_recurring_gbp"]
    return costs.groupby("scenario", sort=True)[columns].sum().reset_index()


def package_lines(
    pay_scales: pd.DataFrame,
    supplements: pd.DataFrame | None,
    authority: str,
    role: str,
    point: str = "middle",
    one_off_years: float = 2,
) -> pd.DataFrame:
    """The whole package line by line, as an applicant compares offers: item, basis, amount a year."""
    scale = pay_scales[(pay_scales["authority"] == authority) & (pay_scales["role"] == role)]
    if scale.empty:
        raise AnalysisError(f"no pay scale for {authority} {role}")
    salary = float(salary_at(scale, point).iloc[0])
    lines = [{"item": f"salary ({point} of range)", "basis": "annual", "per_year_gbp": salary, "notes": ""}]
    if supplements is not None:
        mine = supplements[(supplements["authority"] == authority) & (supplements["role"] == role)]
        for row in mine.itertuples(index=False):
            notes = "" if pd.isna(getattr(row, "notes", None)) else str(row.notes)
            if row.basis == "annual":
                value, basis = row.amount, "annual"
            elif row.basis == "pct_of_basic":
                value, basis = row.amount * salary, f"{row.amount:.0%} of basic pay"
            else:
                value, basis = row.amount / one_off_years, f"one-off £{row.amount:,.0f} over {one_off_years:g} years"
            lines.append({"item": row.name, "basis": basis, "per_year_gbp": float(value), "notes": notes})
    frame = pd.DataFrame(lines)
    total = {"item": "total reward", "basis": "", "per_year_gbp": frame["per_year_gbp"].sum(), "notes": ""}
    return pd.concat([frame, pd.DataFrame([total])], ignore_index=True)


def premium_rows(authority: str, roles, amount: float) -> pd.DataFrame:
    """Supplement rows adding an annual market premium to an authority's roles (for what-ifs)."""
    return pd.DataFrame(
        {
            "authority": authority,
            "role": list(roles),
            "name": "market premium (what-if)",
            "amount": float(amount),
            "basis": "annual",
        }
    )


def current_premium(supplements: pd.DataFrame | None, authority: str, role: str) -> float:
    """The annual market premium an authority already pays on a role: the sum of its annual
    pay_supplements.csv rows whose name says "premium" (Kent's Experienced SW: £3,000). Total
    reward already counts it; a what-if premium is added on top (:func:`premium_rows`)."""
    if supplements is None or supplements.empty:
        return 0.0
    rows = supplements[
        (supplements["authority"] == authority)
        & (supplements["role"] == role)
        & (supplements["basis"] == "annual")
        & supplements["name"].astype(str).str.lower().str.contains("premium")
    ]
    return float(rows["amount"].sum())


def premium_cost(amount: float, eligible_wte: float, on_cost_rate: float = DEFAULT_ON_COST_RATE) -> float:
    """Annual cost of a premium: amount x eligible WTE x (1 + on-cost rate)."""
    return amount * eligible_wte * (1 + on_cost_rate)


def gaps_summary(positions: pd.DataFrame) -> Mapping[str, dict]:
    """Headline figures per role from :func:`position`."""
    return {
        r.role: {
            "rank": int(r.rank),
            "of": int(r.of),
            "quarter_by_value": r.quarter_by_value,
            "gap_to_best_gbp": round(float(r.gap_to_best_gbp), 0),
            "gap_to_median_gbp": round(float(r.gap_to_median_gbp), 0),
        }
        for r in positions.itertuples()
    }


def own_authority(pay_scales: pd.DataFrame, authority: str) -> str:
    """This authority's name as pay_scales.csv writes it ("Kent County Council" finds "Kent").

    Blank means the first authority listed in pay_scales.csv (list your own first). An authority
    the file does not hold makes the pay section not available, naming the file's authorities.
    """
    from .authorities import closest, match

    names = list(dict.fromkeys(pay_scales["authority"].astype(str)))
    if not str(authority).strip():
        return names[0]
    found = match(authority, names)
    if found is None:
        near = closest(authority, names) or names[:5]
        raise NotAvailableError(
            f"Not available: pay_scales.csv has no salary ranges for {authority}. It lists "
            f"{', '.join(near)}{' and others' if len(names) > len(near) else ''}; add your own rows, or set "
            "authority for this section to the name the file uses."
        )
    return found


def default_premium_role(pay_scales: pd.DataFrame, authority: str, staff: pd.DataFrame | None, as_of) -> str:
    """The role a market-premium what-if starts on: the authority's most-staffed role in pay_scales.csv.

    Most-staffed = most staff in post on ``as_of`` in staff.csv with that title (case and spacing
    ignored); without staff.csv, or when no title matches, the first caseholder role of the
    authority's scale, else its first role.
    """
    from .roles import role_group_of

    own = pay_scales[pay_scales["authority"] == authority]
    roles = list(dict.fromkeys(own["role"].astype(str)))
    if staff is not None and len(staff):
        when = pd.Timestamp(as_of)
        in_post = staff[(staff["start_date"] <= when) & (staff["leave_date"].isna() | (staff["leave_date"] > when))]
        counts = in_post["role"].astype(str).map(lambda r: " ".join(r.lower().split())).value_counts()
        staffed = [(int(counts.get(" ".join(r.lower().split()), 0)), -i, r) for i, r in enumerate(roles)]
        best = max(staffed)
        if best[0] > 0:
            return best[2]
    groups = role_group_of(pd.Series(roles, dtype=object))
    caseholders = [r for r, g in zip(roles, groups, strict=True) if g == "caseholder"]
    return (caseholders or roles)[0]


def eligible_wte(
    role: str, staffing: pd.DataFrame | None, staff: pd.DataFrame | None, as_of, role_groups: pd.DataFrame | None = None
) -> tuple[float | None, str]:
    """FTE eligible for a premium on a role, and where it came from in words.

    In post FTE of the role's group at the latest staffing.csv snapshot on or before ``as_of``;
    without staffing.csv, the FTE in post with that title in staff.csv; else unknown (None).
    """
    from .roles import role_group_of
    from .vacancy import snapshot

    group = role_group_of(pd.Series([role], dtype=object), role_groups).iloc[0]
    if staffing is not None and group in set(staffing["role_group"]):
        snap = snapshot(staffing, as_of)
        fte = float(snap.loc[snap["role_group"] == group, "in_post_fte"].sum())
        return fte, f"all {group}s in post in staffing.csv on {pd.Timestamp(snap['as_of'].max()).date()}"
    if staff is not None and len(staff):
        when = pd.Timestamp(as_of)
        key = " ".join(role.lower().split())
        same = staff["role"].astype(str).map(lambda r: " ".join(r.lower().split())) == key
        live = same & (staff["start_date"] <= when) & (staff["leave_date"].isna() | (staff["leave_date"] > when))
        if live.any():
            return float(staff.loc[live, "fte"].sum()), f"{role}s in post in staff.csv on {when.date()}"
    return None, "unknown: needs staffing.csv or staff.csv"


def quarter_phrase(quarter: str | None) -> str:
    """Where an authority's pay stands among the authorities compared: "in the quarter with the
    highest pay" (:func:`workforce_lib.quarters.quarter_words`); "" with no comparators."""
    return quarter_words(quarter, "pay") if quarter else ""


def gap_words(gap_to_best_gbp: float, best_payer: str) -> str:
    """The gap to the best other payer in words: '£1,000 behind Dorset', '£500 ahead of Dorset' or
    'level with Dorset' (never '£-500 behind')."""
    gap = round(float(gap_to_best_gbp))
    if gap > 0:
        return f"£{gap:,.0f} behind the best payer, {best_payer}"
    if gap < 0:
        return f"£{-gap:,.0f} ahead of the next best payer, {best_payer}"
    return f"level with the best payer, {best_payer}"
