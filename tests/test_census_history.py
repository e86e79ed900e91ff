"""Census returns of several years linked by person: employment histories in staff.csv's shape, fed to the
same turnover, stability and survival functions as staff.csv."""

from datetime import date

import pandas as pd
import pytest

from workforce_lib import retention, synthetic, turnover
from workforce_lib.census import census_measures, read_returns
from workforce_lib.census.generate import WorkerRecord, write_workers
from workforce_lib.census.history import UNTRACED, employment_histories, history_window, linking_summary


@pytest.fixture(scope="module")
def two_years(tmp_path_factory):
    """2024: A, C, D in post; B left. 2025: A promoted (a move within), C left, D missing, E started."""
    folder = tmp_path_factory.mktemp("linked")
    a1 = dict(sweno="AB1001", agency=False, start=date(2020, 1, 6), role=5, fte=1.0)
    write_workers(
        folder / "y2024.xml",
        [
            WorkerRecord(**a1),
            WorkerRecord("AB1002", False, date(2018, 4, 1), end=date(2024, 5, 1), reason=1, fte=0.5, role=5),
            WorkerRecord("AB1003", False, date(2019, 3, 1), fte=1.0, role=4),
            WorkerRecord("AB1004", False, date(2021, 9, 1), fte=0.8, role=5),
        ],
        lea="886",
        year=2024,
    )
    write_workers(
        folder / "y2025.xml",
        [
            WorkerRecord(**{**a1, "end": date(2025, 2, 28)}, reason=8),
            WorkerRecord("AB1001", False, date(2025, 3, 1), fte=1.0, role=4),
            WorkerRecord("AB1003", False, date(2019, 3, 1), end=date(2025, 3, 1), reason=5, fte=1.0, role=4),
            WorkerRecord("AB1005", False, date(2025, 1, 10), fte=1.0, role=5),
        ],
        lea="886",
        year=2025,
    )
    return read_returns([folder])


def test_histories_link_employments_across_years(two_years):
    h = employment_histories(two_years)
    assert len(h) == 6 and h["staff_id"].nunique() == 5  # A's two roles are one person
    by_start = h.set_index("start_date")
    assert by_start.loc["2018-04-01", "leave_date"] == pd.Timestamp("2024-05-01")
    assert by_start.loc["2019-03-01", "leaving_reason"] == "Retired"  # C, from the 2025 return
    assert by_start.loc["2019-03-01", "first_year"] == 2024 and by_start.loc["2019-03-01", "last_year"] == 2025
    # D: in post in 2024, in neither list of 2025: untraced, taken to have left by 30 September 2025.
    assert by_start.loc["2021-09-01", "leaving_reason"] == UNTRACED
    assert by_start.loc["2021-09-01", "leave_date"] == pd.Timestamp("2025-09-30")
    assert by_start.loc["2025-03-01", "role"] == "Senior practitioner"
    assert by_start.loc["2025-03-01", "role_group"] == "caseholder"
    summary = linking_summary(h).iloc[0]
    assert (summary["employments"], summary["people"], summary["linked"], summary["untraced"]) == (6, 5, 2, 1)


def test_no_sweno_or_birth_date_leaves_the_reading_step(two_years):
    h = employment_histories(two_years)
    assert not any("birth" in c for c in h.columns)
    text = h.astype(str).to_string()
    assert "AB100" not in text
    for ret in two_years:
        assert "AB100" not in ret.workers.astype(str).to_string()


def test_same_turnover_and_stability_functions_as_staff_csv(two_years):
    h = employment_histories(two_years)
    start, end = history_window(two_years)
    assert (start, end) == (pd.Timestamp("2023-10-01"), pd.Timestamp("2025-09-30"))
    # In post on 30 Sep 2024: A, C, D (B left in May). A year on: A only (promoted, the same person);
    # C retired, D untraced (leave date 30 Sep 2025 is not "in post" on that day).
    stability = turnover.stability_index(h, "2025-09-30").iloc[0]
    assert (stability["in_post_year_ago"], stability["still_in_post"]) == (3, 1)
    _, in_post, leavers = turnover.stock_and_flows(h, ["2024-09-30", "2025-09-30"])
    assert in_post[0].tolist() == [3, 2]  # 30 Sep 2025: A (new role) and E
    assert leavers[0, 1] == 2  # C and D; A's promotion is a move, not a leaver


def test_census_measures_and_histories_agree_on_leavers(two_years):
    measures = census_measures(two_years).set_index("time_period")
    assert measures.loc[2025, "leavers_headcount"] == 1  # C; D is missing from the return, so not counted
    assert measures.loc[2025, "starters_headcount"] == 1  # E; A's new role is a move


def test_synthetic_returns_link_year_on_year(tmp_path):
    settings = synthetic.CensusSettings(in_post=300, turnover=0.12)
    paths = synthetic.write_census_returns(tmp_path, "886", [2024, 2025], settings, seed=3)
    assert [p.name for p in paths] == ["csww_886_2024.xml", "csww_886_2025.xml"]
    returns = read_returns(paths)
    measures = census_measures(returns).set_index("time_period")
    assert measures.loc[2024, "inpost_headcount"] == pytest.approx(300 * 0.99, rel=0.05)
    assert 6 <= measures.loc[2025, "turnover_rate_headcount"] <= 18
    h = employment_histories(returns)
    summary = linking_summary(h).iloc[0]
    assert summary["untraced"] == 0  # a complete simulation lists everyone
    # Leavers in census year 2025 by the histories = DfE's leavers headcount of the 2025 return.
    _, _, leavers = turnover.stock_and_flows(h, ["2024-09-30", "2025-09-30"])
    assert leavers[0, 1] == measures.loc[2025, "leavers_headcount"]
    curves = retention.survival_curves(h, "2025-09-30", by="entry_route", observed_from=history_window(returns)[0])
    assert len(curves) > 0


def test_synthetic_returns_refuse_gaps_between_years(tmp_path):
    with pytest.raises(ValueError, match="consecutive"):
        synthetic.write_census_returns(tmp_path, "886", [2022, 2024])


def test_the_sample_returns_are_the_seeded_generator_output(tmp_path, sample_dir):
    """data/sample/census is what `workforce synth` writes (seed 2011), byte for byte."""
    paths = synthetic.write_census_returns(
        tmp_path, synthetic.SAMPLE_LEA, synthetic.SAMPLE_CENSUS_YEARS, synthetic.SAMPLE_CENSUS, seed=2011
    )
    for path in paths:
        assert path.read_bytes() == (sample_dir / "census" / path.name).read_bytes(), path.name


def test_linking_sentence_counts_people_roles_and_untraced(two_years):
    from workforce_lib.census.history import linking_sentence
    from workforce_lib.disclosure import Disclosure

    h = employment_histories(two_years)
    text = linking_sentence(h, two_years)
    assert text.startswith("Linked by person across the returns (1 October 2023 to 30 September 2025): 5 people")
    assert "5 people in 6 roles" in text
    assert "2 of them seen in more than one return" in text and "1 were in post one year" in text
    hidden = linking_sentence(h, two_years, Disclosure.of(True, 5))
    assert "5 people in 6 roles, fewer than 5 of them seen" in hidden  # 5 is shown; 2 and 1 are not
    assert "fewer than 5 were in post one year" in hidden
