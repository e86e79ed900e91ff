"""CSWW census returns: reading, validation, DfE's checks and measures, the CLI, hostile XML."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pandas as pd
import pytest
import xmlschema

from workforce_lib import cli
from workforce_lib.census import census_measures, read_return, read_returns, write_return
from workforce_lib.census.measures import MEASURE_COLUMNS, round_half_up, working_days
from workforce_lib.census.read import SCHEMA_YEARS, XSD_DIR, schema
from workforce_lib.errors import DataError, Problem

DATA = Path(__file__).resolve().parent / "data" / "census"
ROOT = Path(__file__).resolve().parent.parent
INDICATORS = ROOT / "data" / "dfe" / "csww_indicators_2017_to_2025.csv"
WORKER = "Message/CSWWWorker"


def line_of(path: Path, text: str, nth: int = 1) -> int:
    """The line number of the nth line of ``path`` containing ``text``."""
    hits = [i for i, line in enumerate(path.read_text().splitlines(), start=1) if text in line]
    return hits[nth - 1]


def problems_of(path: Path) -> list[Problem]:
    with pytest.raises(DataError) as caught:
        read_returns([path])
    return caught.value.problems


# --- reading and validation -------------------------------------------------------------------


def test_tiny_return_reads_with_header_la_level_and_one_row_per_record():
    ret = read_return(DATA / "tiny_2023.xml")
    assert (ret.year, ret.lea, str(ret.reference_date)) == (2023, "301", "2023-09-30")
    assert ret.la_level == {"NumberOfVacancies": 2.0, "NoAgencyFTE": 0.5, "NoAgencyHeadcount": 1.0}
    assert len(ret.workers) == 10
    assert ret.workers["person"].nunique() == 9  # SW1000006 moves within: two records, one person
    assert "SWENo" not in ret.workers.columns and "sweno" not in ret.workers.columns
    assert ret.workers["line"].iloc[0] == line_of(DATA / "tiny_2023.xml", "<CSWWWorker>")
    assert set(ret.workers["sex"].dropna()) == {"F"}  # GenderCurrent 2 read as Sex F


@pytest.mark.parametrize("year", list(SCHEMA_YEARS))
def test_every_schema_version_is_read(tmp_path, year):
    path = tmp_path / f"csww_{year}.xml"
    records = write_return(path, lea="886", year=year, n_workers=60, seed=year)
    ret = read_return(path)
    assert (ret.year, ret.lea, len(ret.workers)) == (year, "886", records)
    assert set(ret.workers["sex"].dropna()) <= {"M", "F"}
    if year == 2025:
        assert {"RecruitmentBonus", "CostDBS"} <= set(ret.la_level)  # the 2025 LALevel block
    assert {"NumberOfVacancies", "NoAgencyFTE", "NoAgencyHeadcount"} <= set(ret.la_level)


def test_the_documented_swe_number_quirk_is_tolerated():
    raw = xmlschema.XMLSchema(str(XSD_DIR / "csww_schema_2025.xsd"))
    swe = raw.types["swetype"]
    assert not swe.is_valid("SW123456")  # as published: the `$` is a literal character
    assert schema(2025).types["swetype"].is_valid("SW123456")
    assert not schema(2025).types["swetype"].is_valid("SW123456$")


def test_an_xsd_failure_names_line_element_value_and_the_schema_rule():
    path = DATA / "xsd_failure.xml"
    [problem] = problems_of(path)
    assert (problem.file, problem.row, problem.column, problem.value) == (
        str(path),
        line_of(path, "<Ethnicity>XXXX"),
        f"{WORKER}/Ethnicity",
        "XXXX",
    )
    assert problem.expected.startswith("(schema) value must be one of ['WBRI'")


def test_the_liia_tools_sample_is_read_and_its_deliberate_noise_reported():
    path = DATA / "sample_csww_2022_liiatools.xml"
    problems = problems_of(path)
    kinds = {(p.column, p.expected.split(",")[0].split(" at position")[0]) for p in problems}
    assert (f"{WORKER}/RoleEndDate", "a leaver's end date in the census year") in kinds  # the 1990s leavers
    assert (f"{WORKER}/RoleStartDate", "a start no later than the reference date 2022-09-30") in kinds
    assert (WORKER, "(schema) Unexpected child with tag 'QualLevel'") in kinds  # 2022 requires QualInst
    first_leaver = line_of(path, "<RoleEndDate>2019-09-23")
    assert (
        Problem(
            str(path),
            first_leaver,
            f"{WORKER}/RoleEndDate",
            "2019-09-23",
            "a leaver's end date in the census year, 2021-10-01 to 2022-09-30",
        )
        in problems
    )
    assert all(p.file == str(path) and p.row for p in problems)


# --- DfE's semantic checks: one file each, the exact problem -------------------------------------

IN_YEAR = "2022-10-01 to 2023-09-30"


@pytest.mark.parametrize(
    ("name", "marker", "nth", "column", "value", "expected"),
    [
        (
            "bad_end_date",
            "<RoleEndDate>",
            1,
            f"{WORKER}/RoleEndDate",
            "2021-05-01",
            f"a leaver's end date in the census year, {IN_YEAR}",
        ),
        ("bad_fte", "<FTE>1.5", 1, f"{WORKER}/FTE", "1.500000", "a full-time equivalent from 0 to 1"),
        (
            "no_fte",
            "<CSWWWorker>",
            2,
            f"{WORKER}/FTE",
            None,
            "an FTE above 0 for a worker in post at the reference date (no RoleEndDate)",
        ),
        (
            "duplicate_sweno",
            "<SWENo>SW2000001",
            2,
            f"{WORKER}/SWENo",
            "SW2000001",
            "each SWENo once in a return (also at line 23); two records only for a move within, the second "
            "starting within 7 days of the first's RoleEndDate",
        ),
        (
            "late_start",
            "<RoleStartDate>2023-10-02",
            1,
            f"{WORKER}/RoleStartDate",
            "2023-10-02",
            "a start no later than the reference date 2023-09-30",
        ),
        (
            "unknown_lea",
            "<LEA>",
            1,
            "Message/Header/Source/LEA",
            "999",
            "an authority's three-digit LA code as in DfE's csww_indicators file (old_la_code)",
        ),
    ],
)
def test_each_semantic_check_gives_its_exact_problem(name, marker, nth, column, value, expected):
    path = DATA / f"{name}.xml"
    assert problems_of(path) == [Problem(str(path), line_of(path, marker, nth), column, value, expected)]


def test_problems_of_every_file_are_raised_together_and_a_missing_path_is_one():
    with pytest.raises(DataError) as caught:
        read_returns([DATA / "bad_fte.xml", DATA / "late_start.xml", DATA / "nowhere.xml"])
    files = [p.file for p in caught.value.problems]
    assert files == [str(DATA / "nowhere.xml"), str(DATA / "bad_fte.xml"), str(DATA / "late_start.xml")]


def test_the_same_authority_and_year_twice_is_a_problem(tmp_path):
    for name in ("a.xml", "b.xml"):
        write_return(tmp_path / name, lea="301", year=2024, n_workers=10)
    [problem] = problems_of(tmp_path)
    assert problem.file == str(tmp_path / "b.xml") and problem.value == "301"
    assert problem.expected.startswith("one return per authority and year (2024, LEA 301 is also in")


# --- hostile XML ----------------------------------------------------------------------------------

DOCTYPE_REFUSED = (
    "no DOCTYPE, entity or external reference (a CSWW return has none; refused so that nothing is expanded or fetched)"
)


@pytest.mark.parametrize("name", ["billion_laughs", "external_entity"])
def test_hostile_xml_is_refused_before_anything_is_expanded(name):
    path = DATA / f"{name}.xml"
    assert problems_of(path) == [Problem(str(path), 2, "DOCTYPE", "Message", DOCTYPE_REFUSED)]


def test_malformed_xml_is_one_problem_not_a_traceback(tmp_path):
    path = tmp_path / "cut.xml"
    path.write_text("<Message>\n  <Header>\n")
    [problem] = problems_of(path)
    assert problem.row == 3 and problem.expected.startswith("well-formed XML (no element found")


# --- DfE's measures -------------------------------------------------------------------------------


def test_measures_of_the_tiny_return_worked_by_hand():
    """In post (LA): SW1 1.0, SW2 0.5, SW3 1.0, SW6 (after its move within) 1.0, SW9 0.6 = 4.1 FTE, 5 people.
    Starters: SW2 0.5 (SW6's second record is a move within). Leavers: SW4 0.8 (resigned) and SW5 1.0
    (moved out of children's social work within the LA: DfE counts it); SW6's first record is a move
    within, SW8 an agency worker: neither counts. Agency in post: SW7 1.0. Case holders in post (LA and
    agency): SW1 18, SW2 9, SW6 5, SW9 12, SW7 20 = 64 cases on 4.1 FTE. Days lost (LA in post):
    10 + 0 + 5.5 + 2 + 0 = 17.5; 2023 has 253 working days."""
    row = census_measures([read_return(DATA / "tiny_2023.xml")]).iloc[0]
    expected = {
        "time_period": 2023,
        "old_la_code": "301",
        "la_name": "Barking and Dagenham",
        "inpost_fte": 4.1,
        "inpost_headcount": 5,
        "starters_fte": 0.5,
        "starters_headcount": 1,
        "leavers_fte": 1.8,
        "leavers_headcount": 2,
        "turnover_rate_fte": 43.9,  # 1.8 / 4.1 = 43.90%
        "turnover_rate_headcount": 40.0,  # 2 / 5
        "agency_fte": 1.0,
        "agency_headcount": 1,
        "agency_rate_fte": 19.6,  # 1 / (1 + 4.1) = 19.61%
        "agency_rate_headcount": 16.7,  # 1 / (1 + 5)
        "agency_cover_fte": 0.5,
        "agency_cover_rate_fte": 50.0,  # 0.5 / 1.0
        "vacancy_fte": 2.0,
        "vacancy_rate_fte": 32.8,  # 2 / (2 + 4.1) = 32.79%
        "vacancy_agency_cover_rate_fte": 25.0,  # 0.5 / 2
        "case_holders_fte": 4.1,
        "cases": 64,
        "caseload_fte": 15.6,  # 64 / 4.1 = 15.61
        "working_days_lost_fte": 17.5,
        "absence_rate_fte": 1.7,  # 17.5 / (4.1 x 253) = 1.687%
    }
    assert row.to_dict() == expected


def test_output_columns_are_csww_indicators_columns():
    with open(INDICATORS, newline="") as f:
        published = next(csv.reader(f))
    table = census_measures([read_return(DATA / "tiny_2023.xml")])
    assert list(table.columns) == ["time_period", "old_la_code", "la_name", *MEASURE_COLUMNS]
    assert set(table.columns) <= set(published)
    assert [c for c in published if c in set(MEASURE_COLUMNS)] == MEASURE_COLUMNS


def test_a_measure_without_a_denominator_is_nan_not_a_guess(tmp_path):
    text = (DATA / "tiny_2023.xml").read_text().replace("<NumberOfVacancies>2.00", "<NumberOfVacancies>0.00")
    path = tmp_path / "no_vacancies.xml"
    path.write_text(text.replace("<NoAgencyFTE>0.50", "<NoAgencyFTE>0.00"))
    row = census_measures([read_return(path)]).iloc[0]
    assert row["vacancy_rate_fte"] == 0.0 and math.isnan(row["vacancy_agency_cover_rate_fte"])


def test_dfe_rounding_and_working_days():
    assert [round_half_up(x) for x in (0.25, 0.35, 2.675, 43.95, float("nan"))][:4] == [0.3, 0.4, 2.7, 44.0]
    assert math.isnan(round_half_up(float("nan")))
    assert (working_days(2023), working_days(2024), working_days(2020), working_days(2025)) == (253, 254, 254, 253)


def test_several_returns_give_one_row_per_authority_and_year(tmp_path):
    for lea, year in [("886", 2024), ("301", 2025), ("886", 2025)]:
        write_return(tmp_path / f"{lea}_{year}.xml", lea=lea, year=year, n_workers=80, seed=year)
    table = census_measures(read_returns([tmp_path]))
    assert table[["old_la_code", "time_period"]].values.tolist() == [["301", 2025], ["886", 2024], ["886", 2025]]
    assert table["la_name"].tolist() == ["Barking and Dagenham", "Kent", "Kent"]
    assert table[MEASURE_COLUMNS].notna().all().all()


# --- the command line -----------------------------------------------------------------------------


def test_cli_writes_one_csv_row_per_authority_and_year(tmp_path, capsys):
    out = tmp_path / "own.csv"
    assert cli.main(["census", str(DATA / "tiny_2023.xml"), "--csv", str(out)]) == 0
    assert "wrote" in capsys.readouterr().out
    table = pd.read_csv(out, dtype={"old_la_code": str})
    assert len(table) == 1 and table.loc[0, "old_la_code"] == "301"
    assert table.loc[0, "turnover_rate_fte"] == 43.9 and table.loc[0, "inpost_headcount"] == 5


def test_cli_shows_a_table_without_csv(capsys):
    assert cli.main(["census", str(DATA / "tiny_2023.xml")]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("time_period  old_la_code  la_name") and "Barking and Dagenham" in out


def test_cli_prints_the_problem_table_and_exits_1(capsys):
    assert cli.main(["census", str(DATA / "late_start.xml"), str(DATA / "billion_laughs.xml")]) == 1
    out = capsys.readouterr().out
    assert "2 problems found" in out and "file" in out and "expected" in out
    assert "Traceback" not in out and "DOCTYPE" in out


# --- streaming ------------------------------------------------------------------------------------


def test_bench_census_runs(monkeypatch, capsys):
    monkeypatch.syspath_prepend(str(ROOT / "bench"))
    import bench_census

    bench_census.main(200, 2)
    out = capsys.readouterr().out
    assert "400 records" in out or "records" in out
    assert "peak memory" in out and "rows/s" in out
