"""Transition rates per grade from person-years: stay, promote, other moves, leave by service band.

For a grade g over the chosen years (person-years from :func:`workforce_lib.manpower.history.person_years`):

* n = person-years starting in g (people in post in g on a service anniversary, counted once a year);
* rate of an outcome = people with that outcome / n, where the outcomes are stay, promote (to the
  grade above), a move to any other grade (demotion, or a skip of grades), and leave;
* leaving rate in a service band = leavers in the band / person-years in the band (the "three-year
  cliff": under 1 year, 1-3 years, over 3 years).

Each rate has an exact binomial (Clopper-Pearson) interval: lower = B(a/2; x, n - x + 1), upper =
B(1 - a/2; x + 1, n - x), B the beta quantile (Clopper & Pearson, Biometrika 1934; lower 0 when
x = 0, upper 1 when x = n). A grade with fewer than ``min_people_years`` is pooled with its
neighbour (the grade below; the bottom grade with the one above), repeatedly, until every pool has
enough; pooled grades share their rates and the output says so in ``pooled_with`` and ``note``.
KMTP's "rate of progression" (9%) and "rate of promotion" (6.4%) are this promote rate.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .bands import DEFAULT_BANDS, ServiceBands
from .grades import GradeLadder, kmtp_ladder

MIN_PEOPLE_YEARS = 20


def clopper_pearson(events, trials, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Exact binomial interval (Clopper-Pearson) for events out of trials; NaN where trials = 0."""
    from scipy.stats import beta

    x = np.asarray(events, dtype=float)
    n = np.asarray(trials, dtype=float)
    a = 1 - confidence
    with np.errstate(invalid="ignore", divide="ignore"):
        lower = np.where(x > 0, beta.ppf(a / 2, np.maximum(x, 1e-300), n - x + 1), 0.0)
        upper = np.where(x < n, beta.ppf(1 - a / 2, x + 1, np.maximum(n - x, 1e-300)), 1.0)
    empty = n <= 0
    return np.where(empty, np.nan, lower), np.where(empty, np.nan, upper)


def yearly_transitions(
    py: pd.DataFrame, ladder: GradeLadder | None = None, bands: ServiceBands = DEFAULT_BANDS
) -> pd.DataFrame:
    """Counts per year and grade: people_years, stay, promote, other_move, leave, and leavers per band."""
    ladder = ladder or kmtp_ladder()
    mapped = py[py["outcome"] != "not mapped"]
    years = sorted(mapped["year"].unique())
    index = pd.MultiIndex.from_product([years, ladder.names], names=["year", "grade"])
    counts = mapped.groupby(["year", "grade_from", "outcome"]).size().unstack(fill_value=0)
    counts.index.names = ["year", "grade"]
    counts = counts.reindex(index, fill_value=0)
    for outcome in ("stay", "promote", "other move", "leave"):
        if outcome not in counts:
            counts[outcome] = 0
    out = pd.DataFrame(index=index)
    out["people_years"] = counts[["stay", "promote", "other move", "leave"]].sum(axis=1)
    out["stay"], out["promote"], out["other_move"], out["leave"] = (
        counts["stay"],
        counts["promote"],
        counts["other move"],
        counts["leave"],
    )
    left = mapped[mapped["outcome"] == "leave"].groupby(["year", "grade_from", "band"]).size().unstack(fill_value=0)
    left.index.names = ["year", "grade"]
    left = left.reindex(index=index, columns=bands.labels, fill_value=0)
    for label in bands.labels:
        out[f"leave {label}"] = left[label]
    out = out.astype(int).reset_index()
    return out


def _pools(exposure: np.ndarray, minimum: float) -> list[list[int]]:
    pools = [[g] for g in range(len(exposure))]
    while len(pools) > 1:
        sizes = [exposure[p].sum() for p in pools]
        small = [i for i, s in enumerate(sizes) if s < minimum]
        if not small:
            break
        i = small[0]
        j = i - 1 if i > 0 else i + 1
        a, b = sorted((i, j))
        pools[a] = pools[a] + pools[b]
        del pools[b]
    return pools


def transition_rates(
    py: pd.DataFrame,
    ladder: GradeLadder | None = None,
    bands: ServiceBands = DEFAULT_BANDS,
    min_people_years: float = MIN_PEOPLE_YEARS,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Rates per grade over all years in ``py``, one row per grade and measure, with exact intervals.

    Columns: grade, measure (stay / promote / other move / leave), band ("all" or a service band,
    for leave), to_grade (for other moves), events, people_years, rate, lower, upper, pooled_with
    (the other grades whose counts were added, blank if none) and note.
    """
    ladder = ladder or kmtp_ladder()
    names = ladder.names
    g_of = {n: i for i, n in enumerate(names)}
    mapped = py[py["outcome"] != "not mapped"]
    G, B = len(names), len(bands.labels)
    gi = mapped["grade_from"].map(g_of).to_numpy()
    exposure = np.bincount(gi, minlength=G).astype(float)
    outcome_counts = {
        o: np.bincount(gi[(mapped["outcome"] == o).to_numpy()], minlength=G).astype(float)
        for o in ("stay", "promote", "other move", "leave")
    }
    bi = mapped["band"].map({b: i for i, b in enumerate(bands.labels)}).to_numpy()
    band_exposure = np.zeros((G, B))
    np.add.at(band_exposure, (gi, bi), 1)
    band_leave = np.zeros((G, B))
    leave_mask = (mapped["outcome"] == "leave").to_numpy()
    np.add.at(band_leave, (gi[leave_mask], bi[leave_mask]), 1)
    other = mapped[mapped["outcome"] == "other move"]
    moves = np.zeros((G, G))
    np.add.at(moves, (other["grade_from"].map(g_of).to_numpy(), other["grade_to"].map(g_of).to_numpy()), 1)
    rows = []
    for pool in _pools(exposure, min_people_years):
        n = exposure[pool].sum()
        for g in pool:
            mates = [names[p] for p in pool if p != g]
            pooled = ", ".join(mates)
            note = (
                f"fewer than {min_people_years:g} people-years in {names[g]} ({exposure[g]:g}): pooled with {pooled}"
                if mates
                else ""
            )
            base = {"grade": names[g], "pooled_with": pooled, "note": note}
            for measure in ("stay", "promote", "other move", "leave"):
                rows.append(
                    {
                        **base,
                        "measure": measure,
                        "band": "all",
                        "to_grade": "",
                        "events": outcome_counts[measure][pool].sum(),
                        "people_years": n,
                    }
                )
            for b, label in enumerate(bands.labels):
                rows.append(
                    {
                        **base,
                        "measure": "leave",
                        "band": label,
                        "to_grade": "",
                        "events": band_leave[pool, b].sum(),
                        "people_years": band_exposure[pool, b].sum(),
                    }
                )
            seen = moves[pool].sum(axis=0)
            for j in np.flatnonzero(seen):
                rows.append(
                    {
                        **base,
                        "measure": "move to",
                        "band": "all",
                        "to_grade": names[j],
                        "events": seen[j],
                        "people_years": n,
                    }
                )
    out = pd.DataFrame(
        rows, columns=["grade", "measure", "band", "to_grade", "events", "people_years", "pooled_with", "note"]
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        out["rate"] = np.where(
            out["people_years"] > 0, out["events"] / out["people_years"].where(out["people_years"] > 0), np.nan
        )
    out["lower"], out["upper"] = clopper_pearson(out["events"], out["people_years"], confidence)
    return out[
        [
            "grade",
            "measure",
            "band",
            "to_grade",
            "events",
            "people_years",
            "rate",
            "lower",
            "upper",
            "pooled_with",
            "note",
        ]
    ]


def rates_table(rates: pd.DataFrame) -> pd.DataFrame:
    """One row per grade: people-years, stay, promote and leave rates (leave per band too), for display."""
    wide = rates[rates["measure"].isin(["stay", "promote", "other move", "leave"])].copy()
    wide["column"] = np.where(wide["band"] == "all", wide["measure"], "leave " + wide["band"])
    table = wide.pivot_table(index="grade", columns="column", values="rate", sort=False)
    table.insert(0, "people_years", rates[rates["band"] == "all"].groupby("grade", sort=False)["people_years"].first())
    table["pooled_with"] = rates.groupby("grade", sort=False)["pooled_with"].first()
    return table.reset_index()
