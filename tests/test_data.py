"""Loaders: council-export quirks are read correctly; every malformed file gives one clear DataError."""

from pathlib import Path

import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workforce_lib import DataError, MissingFileError, load_dataset
from workforce_lib.contract import SPECS
from workforce_lib.data import load_file, parse_frame, read_raw

BAD = Path(__file__).parent / "data" / "bad"
CASES = yaml.safe_load((BAD / "cases.yaml").read_text(encoding="utf-8"))


def load_bytes(raw: bytes, name: str) -> pd.DataFrame:
    return parse_frame(read_raw(raw, SPECS[name][0].filename), name)


def test_corpus_is_complete():
    files = sorted(p.name for p in BAD.glob("*.csv"))
    assert len(files) >= 15
    assert files == sorted(CASES), "every malformed file needs its expected problem in cases.yaml"


@pytest.mark.parametrize("filename", sorted(CASES))
def test_malformed_file_names_its_problem(filename):
    case = CASES[filename]
    name = filename.split("__")[0]
    with pytest.raises(DataError) as info:
        load_file(BAD / filename, name)
    problems = info.value.problems
    match = [
        p
        for p in problems
        if p.row == case["row"]
        and p.column == case["column"]
        and p.value == case["value"]
        and case["expected"] in p.expected
    ]
    assert match, f"{filename}: expected {case}, got:\n{info.value}"
    message = str(info.value)
    assert filename in message
    if case["row"] is not None:
        assert f"row {case['row']}" in message
    if case["column"] is not None:
        assert str(case["column"]) in message


def test_all_problems_in_a_file_are_reported_together():
    raw = (
        b"as_of,area,team,role_group,establishment_fte,in_post_fte,agency_fte\n"
        b"2011-03-31,East Kent,Dover,caseholder,-1,24.0,3.0\n"
        b"2011-13-31,East Kent,Swale,caseholder,33.7,x,8.5\n"
    )
    with pytest.raises(DataError) as info:
        load_bytes(raw, "staffing")
    found = {(p.row, p.column) for p in info.value.problems}
    assert found == {(2, "establishment_fte"), (3, "as_of"), (3, "in_post_fte")}
    assert "3 problems" in str(info.value)


def test_council_export_quirks_are_normalised():
    """BOM, UK dates, £ and thousands separators, percentages, padded cells, CRLF."""
    raw = (
        "\ufeffas_of,area,team,role_group,establishment_fte,in_post_fte,agency_fte\r\n"
        ' 31/03/2011 , East Kent , Dover ,caseholder,"1,029.9",24.0,3\r\n'
    ).encode("utf-8")
    frame = load_bytes(raw, "staffing")
    row = frame.iloc[0]
    assert row["as_of"] == pd.Timestamp("2011-03-31")
    assert row["team"] == "Dover"
    assert row["establishment_fte"] == pytest.approx(1029.9)
    rates = load_bytes(
        b"authority,service,year,turnover_rate,vacancy_rate,agency_rate\nKent,children,2018,12%,0.11,11.4%\n",
        "benchmarks",
    )
    assert rates.iloc[0][["turnover_rate", "vacancy_rate", "agency_rate"]].tolist() == pytest.approx(
        [0.12, 0.11, 0.114]
    )


def test_excel_windows_1252_csv_loads():
    raw = "authority,role,salary_min,salary_max\nKent,NQSW,£26,422\n".encode("cp1252")
    raw = raw.replace(b"\xa326,422", b'"\xa326,422","\xa326,422"')
    frame = load_bytes(raw, "pay_scales")
    assert frame.iloc[0]["salary_min"] == 26422
    assert frame.iloc[0]["salary_max"] == 26422


def test_optional_columns_may_be_absent_and_extra_columns_are_kept():
    raw = b"month,role_group,in_post_fte,agency_fte,comment\n2011-03,caseholder,225.2,55.3,from App. 2\n"
    frame = load_bytes(raw, "staffing_trend")
    assert frame.loc[0, "month"] == pd.Timestamp("2011-03-01")
    assert frame["overseas_fte"].isna().all()
    assert frame.loc[0, "comment"] == "from App. 2"


def test_sample_folder_loads_every_file(sample):
    assert {s.name for s in sample.provenance()} == {spec.filename for spec, _ in SPECS.values()}
    assert len(sample.staffing) == 30  # 15 districts x 2 role groups (Appendix 1)
    assert all(len(s.sha256) == 64 for s in sample.provenance())


def test_missing_file_is_named_with_its_folder(tmp_path):
    (tmp_path / "benchmarks.csv").write_bytes(
        (Path(__file__).parent.parent / "data/sample/benchmarks.csv").read_bytes()
    )
    dataset = load_dataset(tmp_path)
    assert dataset.staffing is None
    with pytest.raises(MissingFileError) as info:
        dataset.require("staff", "to show turnover and retention")
    # The sentence a councillor reads: the file, what it holds, what for; no local path.
    assert str(info.value) == (
        "Not available: this section needs staff.csv (one row per employment) to show turnover and retention."
    )
    assert str(tmp_path) not in str(info.value)
    assert info.value.problems[0].file == "staff.csv"


def test_same_team_name_in_several_areas_is_valid():
    frame = load_file(Path(__file__).parent / "data" / "staffing_team_in_two_areas.csv", "staffing")
    assert list(zip(frame["area"], frame["team"], frame["role_group"], strict=True)) == [
        ("East Kent", "Dover", "caseholder"),
        ("West Kent", "Dover", "manager"),
    ]


def test_problems_in_several_files_are_raised_together(tmp_path):
    for filename in ("staffing__negative_fte.csv", "funnel__growing.csv"):
        target = filename.split("__")[0] + ".csv"
        (tmp_path / target).write_bytes((BAD / filename).read_bytes())
    with pytest.raises(DataError) as info:
        load_dataset(tmp_path)
    assert {p.file for p in info.value.problems} == {"staffing.csv", "funnel.csv"}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(sorted(SPECS)), text=st.text(max_size=300), with_header=st.booleans())
def test_random_text_only_ever_raises_data_error(name, text, with_header):
    """Whatever a user feeds in, the loader either returns a frame or raises DataError."""
    header = ",".join(SPECS[name][0].columns) + "\n" if with_header else ""
    raw = (header + text).encode("utf-8")
    try:
        frame = load_bytes(raw, name)
    except DataError:
        return
    assert isinstance(frame, pd.DataFrame)


@settings(max_examples=100, deadline=None)
@given(raw=st.binary(max_size=200))
def test_random_bytes_only_ever_raise_data_error(raw):
    try:
        load_bytes(b"as_of,area,team,role_group,establishment_fte,in_post_fte,agency_fte\n" + raw, "staffing")
    except DataError:
        pass
