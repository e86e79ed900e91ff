"""Careers, person-years and transition rates: known rates recovered, hand-checked intervals and sample counts."""

import numpy as np
import pandas as pd
import pytest

from workforce_lib.manpower.bands import DEFAULT_BANDS
from workforce_lib.manpower.estimate import clopper_pearson, rates_table, transition_rates, yearly_transitions
from workforce_lib.manpower.grades import ASYE, EXPERIENCED, SOCIAL_WORKER, kmtp_ladder, ladder_from_mapping
from workforce_lib.manpower.history import careers, person_years
from workforce_lib.manpower.rates import rates_from_estimate

TWO = ladder_from_mapping({"practitioner": ["practitioner"], "lead": ["team lead"]})
#: True yearly rates of the simulated population: practitioners leave by service band (the cliff),
#: and 10% a year are promoted to lead; leads leave 5% a year.
P_LEAVE = {"under 1 year": 0.25, "1-3 years": 0.20, "over 3 years": 0.08}
P_PROMOTE, L_LEAVE = 0.10, 0.05


def _simulate(n: int = 3000, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    as_of = pd.Timestamp("2015-12-31")
    rows = []
    for person in range(n):
        start = pd.Timestamp("2000-01-01") + pd.Timedelta(days=int(rng.integers(0, 12 * 365)))
        grade, current_start, k = "Practitioner", start, 0
        while True:
            a = start + pd.DateOffset(years=k)
            if a > as_of:
                rows.append((person, grade, current_start, pd.NaT))
                break
            band = DEFAULT_BANDS.labels[DEFAULT_BANDS.band_of_year()[min(k, 3)]]
            leave = P_LEAVE[band] if grade == "Practitioner" else L_LEAVE
            u = rng.random()
            when = a + pd.Timedelta(days=int(rng.integers(1, 364)))
            if u < leave:
                rows.append((person, grade, current_start, when if when <= as_of else pd.NaT))
                break
            if grade == "Practitioner" and u < leave + P_PROMOTE and when <= as_of:
                rows.append((person, grade, current_start, when - pd.Timedelta(days=1)))
                grade, current_start = "Team Lead", when
            k += 1
    staff = pd.DataFrame(rows, columns=["staff_id", "role", "start_date", "leave_date"])
    staff["staff_id"] = "S" + staff["staff_id"].astype(str)
    staff["qualified_date"] = staff.groupby("staff_id")["start_date"].transform("min")
    staff["fte"] = 1.0
    return staff


@pytest.fixture(scope="module")
def simulated():
    staff = _simulate()
    py = person_years(staff, TWO, start="2005-01-01", end="2014-01-01", as_of="2015-12-31")
    return staff, py


def test_known_rates_are_recovered_within_their_intervals(simulated):
    _, py = simulated
    # Five checks at once: at 95% each, about one seed in four would fail one by chance, so 99% intervals.
    rates = transition_rates(py, TWO, confidence=0.99)

    def row(grade, measure, band="all"):
        return rates[(rates["grade"] == grade) & (rates["measure"] == measure) & (rates["band"] == band)].iloc[0]

    promote = row("practitioner", "promote")
    assert promote["lower"] <= P_PROMOTE <= promote["upper"]
    for band, truth in P_LEAVE.items():
        got = row("practitioner", "leave", band)
        assert got["people_years"] > 300
        assert got["lower"] <= truth <= got["upper"], (band, got["rate"])
    lead = row("lead", "leave")
    assert lead["lower"] <= L_LEAVE <= lead["upper"]
    # Nobody moves down or skips in the simulation; leads have no grade above.
    assert row("practitioner", "other move")["events"] == 0
    assert row("lead", "promote")["events"] == 0


def test_yearly_counts_add_up(simulated):
    _, py = simulated
    yearly = yearly_transitions(py, TWO)
    assert (yearly["people_years"] == yearly["stay"] + yearly["promote"] + yearly["other_move"] + yearly["leave"]).all()
    band_cols = [f"leave {b}" for b in DEFAULT_BANDS.labels]
    assert (yearly[band_cols].sum(axis=1) == yearly["leave"]).all()
    assert sorted(yearly["year"].unique()) == list(range(2004, 2014))  # April-start years: Jan 2005 is in 2004


def test_promotion_within_a_week_is_a_move_not_a_leaver():
    staff = pd.DataFrame(
        {
            "staff_id": ["a", "a", "b", "b"],
            "role": ["Practitioner", "Team Lead", "Practitioner", "Team Lead"],
            "start_date": pd.to_datetime(["2010-01-01", "2012-06-04", "2010-01-01", "2012-07-01"]),
            "leave_date": pd.to_datetime(["2012-06-01", None, "2012-06-01", None]),
            "fte": 1.0,
        }
    )
    frame = careers(staff)
    # a: 3 days between (a move, MOVE_GAP_DAYS = 7); b: 30 days (left, then a new career).
    assert frame["career"].nunique() == 3
    py = person_years(staff, TWO, start="2010-01-01", end="2014-01-01", as_of="2014-12-31")
    a = py[py["staff_id"] == "a"].sort_values("anniversary")
    assert a["outcome"].tolist() == ["stay", "stay", "promote", "stay"]
    assert a["service_year"].tolist() == [0, 1, 2, 3]  # service runs on through the promotion
    b = py[py["staff_id"] == "b"].sort_values("anniversary")
    assert b["outcome"].tolist() == ["stay", "stay", "leave", "stay", "stay"]
    assert b["service_year"].tolist() == [0, 1, 2, 0, 1]


def test_clopper_pearson_by_hand():
    # x = 0 of 10: upper = 1 - 0.025 ** (1/10) = 0.30850; x = 10 of 10: lower = 0.025 ** (1/10) = 0.69150.
    lower, upper = clopper_pearson([0, 10, 0], [10, 10, 0])
    assert lower[0] == 0 and upper[0] == pytest.approx(1 - 0.025 ** (1 / 10), abs=1e-9)
    assert upper[1] == 1 and lower[1] == pytest.approx(0.025 ** (1 / 10), abs=1e-9)
    assert np.isnan(lower[2]) and np.isnan(upper[2])


def test_small_grade_is_pooled_and_says_so(simulated):
    _, py = simulated
    lead_years = int((py["grade_from"] == "lead").sum())
    rates = transition_rates(py, TWO, min_people_years=lead_years + 1)
    lead = rates[rates["grade"] == "lead"]
    assert (lead["pooled_with"] == "practitioner").all()
    assert lead["note"].iloc[0].startswith(f"fewer than {lead_years + 1} people-years in lead ({lead_years})")
    # Pooled rates are the pool's: leave = all leavers / all person-years.
    leave = lead[(lead["measure"] == "leave") & (lead["band"] == "all")].iloc[0]
    assert leave["events"] == (py["outcome"] == "leave").sum()
    assert leave["people_years"] == len(py)


def _independent_sample_counts(staff: pd.DataFrame, as_of, start, end):
    """ASYE person-years and their outcomes in [start, end), by hand with pandas, row by row."""

    def grade(role, qualified, when):
        if role == "NQSW":
            return ASYE
        if role != "Social Worker":
            return role
        years = (when - qualified).days / 365.25
        return ASYE if years < 1 else SOCIAL_WORKER if years < 2 else EXPERIENCED

    counts = {"people_years": 0, "promote": 0, "leave": 0}
    for rec in staff.itertuples(index=False):
        k = 0
        while True:
            a = rec.start_date + pd.DateOffset(years=k)
            b = rec.start_date + pd.DateOffset(years=k + 1)
            k += 1
            if a >= end or b > as_of or (pd.notna(rec.leave_date) and rec.leave_date <= a):
                break
            if a < start or grade(rec.role, rec.qualified_date, a) != ASYE:
                continue
            counts["people_years"] += 1
            if pd.notna(rec.leave_date) and rec.leave_date <= b:
                counts["leave"] += 1
            elif grade(rec.role, rec.qualified_date, b) == SOCIAL_WORKER:
                counts["promote"] += 1
    return counts


def test_sample_rates_match_an_independent_count(sample):
    staff = sample.staff
    as_of, start, end = pd.Timestamp("2015-10-31"), pd.Timestamp("2012-04-01"), pd.Timestamp("2013-04-01")
    # The sample has one employment per staff_id: no promotion from one title to another can be seen.
    assert not staff["staff_id"].duplicated().any()
    ladder = kmtp_ladder()
    py = person_years(staff, ladder, start=start, end=end, as_of=as_of)
    asye = py[py["grade_from"] == ASYE]
    expected = _independent_sample_counts(staff, as_of, start, end)
    assert len(asye) == expected["people_years"]
    assert (asye["outcome"] == "promote").sum() == expected["promote"]
    assert (asye["outcome"] == "leave").sum() == expected["leave"]
    assert expected["people_years"] > 10
    yearly = yearly_transitions(py, ladder)
    assert yearly.loc[yearly["grade"] == EXPERIENCED, "promote"].sum() == 0


def test_sample_rates_are_sane(sample):
    ladder = kmtp_ladder()
    py = person_years(sample.staff, ladder, start="2010-04-01", end="2015-04-01", as_of="2015-10-31")
    table = rates_table(transition_rates(py, ladder)).set_index("grade")
    # Kent planned on 15% turnover; experienced social workers here leave 10-20% a year.
    assert 0.10 < table.loc[EXPERIENCED, "leave"] < 0.20
    assert 0.70 < table.loc[ASYE, "promote"] < 0.95  # ASYE to social worker after a year, unless they leave
    assert table.loc["team manager", "leave"] < table.loc[EXPERIENCED, "leave"]
    model = rates_from_estimate(transition_rates(py, ladder), ladder)
    assert model.leave_exposure.sum() > 0 and model.move[0, 1] == pytest.approx(table.loc[ASYE, "promote"])
