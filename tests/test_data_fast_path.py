"""The Arrow fast path for clean UTF-8 files gives exactly what the careful path gives: the same
typed frames and the same problems. (A byte-order mark sends the same content the careful way.)"""

from pathlib import Path

import pandas as pd
import pytest

from workforce_lib.contract import SPECS
from workforce_lib.data import DataError, _read_clean_utf8, parse_frame, read_raw

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample"
BOM = b"\xef\xbb\xbf"
FILES = {spec.filename: name for name, (spec, _) in SPECS.items()}


def both_ways(raw: bytes, name: str):
    filename = SPECS[name][0].filename
    assert _read_clean_utf8(raw) is not None, "this content should take the fast path"
    assert _read_clean_utf8(BOM + raw) is None
    results = []
    for content in (raw, BOM + raw):
        try:
            results.append(parse_frame(read_raw(content, filename), name, filename))
        except DataError as exc:
            results.append(exc.problems)
    return results


@pytest.mark.parametrize("path", sorted(SAMPLE.glob("*.csv")), ids=lambda p: p.name)
def test_every_sample_file_is_the_same_either_way(path):
    fast, careful = both_ways(path.read_bytes(), FILES[path.name])
    pd.testing.assert_frame_equal(fast, careful)


MESSY_STAFF = b"""staff_id,role,team,area,fte,start_date,leave_date,leaving_reason,entry_route,qualified_date
S1, Social Worker ,Swale,East Kent,1,2010-04-01,,,UK external,2009-07-01
S2,Social Worker,Swale,East Kent,0.5,01/05/2010,31/03/2011,retirement,NQSW,
S3,Senior Practitioner,Dover,,1.0,2010-4-1 ,2011-03-31 00:00,workload,UK external,2008-06-30
S4,Team Manager,Dover,East Kent,+0.8,2009-01-05,,,internal,
S5,Social Worker,Thanet,East Kent,.5,2009-01-05,,,overseas,2005-01-01
"""

BAD_STAFF = b"""staff_id,role,team,area,fte,start_date,leave_date,leaving_reason,entry_route,qualified_date
S1,Social Worker,Swale,East Kent,one,2010-04-01,,,UK external,
S2,Social Worker,Swale,East Kent,0.5,31/02/2010,2009-03-31,retirement,NQSW,
S3,Social Worker,Dover,East Kent,2.5,2010-04-01,,workload,UK external,1e5
S3,Social Worker,Dover,East Kent,inf,2010-04-01,,,,
"""


def test_mixed_formats_parse_the_same_either_way():
    fast, careful = both_ways(MESSY_STAFF, "staff")
    pd.testing.assert_frame_equal(fast, careful)
    assert fast["fte"].tolist() == [1.0, 0.5, 1.0, 0.8, 0.5]
    assert fast["start_date"].dt.strftime("%Y-%m-%d").tolist()[:3] == ["2010-04-01", "2010-05-01", "2010-04-01"]
    assert fast["role"].iloc[0] == "Social Worker" and fast["area"].iloc[2] is None


def test_bad_values_give_the_same_problems_either_way():
    fast, careful = both_ways(BAD_STAFF, "staff")
    assert isinstance(fast, list) and fast == careful
    found = {(p.row, p.column, p.value) for p in fast}
    assert (2, "fte", "one") in found and (5, "fte", "inf") in found
    assert (3, "start_date", "31/02/2010") in found and (4, "qualified_date", "1e5") in found


TYPED = ("staff.csv", "staffing.csv", "campaign.csv", "funnel.csv", "recruitment_plan.csv")


@pytest.mark.parametrize("filename", TYPED)
def test_typed_read_of_clean_files_equals_the_careful_way(filename):
    """Clean files (ISO dates, plain numbers) are parsed to types by Arrow as it reads."""
    from workforce_lib.data import _typed_fast_load

    name = FILES[filename]
    raw = (SAMPLE / filename).read_bytes()
    typed = _typed_fast_load(raw, name)
    assert typed is not None, "a clean file should take the typed path"
    careful = parse_frame(read_raw(BOM + raw, filename), name, filename)
    pd.testing.assert_frame_equal(typed, careful)


def test_typed_read_of_a_large_synthetic_file(tmp_path):
    from workforce_lib.data import _typed_fast_load
    from workforce_lib.synthetic import write_large_staff

    path = tmp_path / "staff.csv"
    write_large_staff(path, n_employments=20_000)
    raw = path.read_bytes()
    typed = _typed_fast_load(raw, "staff")
    assert typed is not None and len(typed) == 20_000
    pd.testing.assert_frame_equal(typed, parse_frame(read_raw(BOM + raw, "staff.csv"), "staff"))


CLEAN_STAFF = b"""staff_id,role,team,area,fte,start_date,leave_date,leaving_reason,entry_route,qualified_date
S1,Social Worker,Swale,East Kent,1,2010-04-01,,,UK external,2009-07-01
S2,Social Worker,Swale,East Kent,0.5,2010-05-01,2011-03-31,retirement,NQSW,
S3,Team Manager,Dover,,0.8,2009-01-05,,,internal,
"""


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (b",0.8,", b",inf,"),  # text that Arrow reads as a number and the contract does not
        (b",0.8,", b",nan,"),
        (b",Dover,", b",Dover ,"),  # a space after text
        (b"2010-05-01", b"01/05/2010"),  # a UK date
        (b",0.8,", b",1e5,"),  # a number the contract rejects (FTE above 1.5): the careful way names it
        (b"internal,\n", b"internal,\n,,,,,,,,,\n"),  # a row of empty cells
    ],
)
def test_anything_unusual_leaves_the_typed_read_for_the_careful_way(old, new):
    from workforce_lib.data import _typed_fast_load

    assert _typed_fast_load(CLEAN_STAFF, "staff") is not None
    unusual = CLEAN_STAFF.replace(old, new)
    assert unusual != CLEAN_STAFF
    assert _typed_fast_load(unusual, "staff") is None


def test_spaces_around_numbers_give_the_same_value_either_way():
    from workforce_lib.data import _typed_fast_load

    spaced = CLEAN_STAFF.replace(b",0.8,", b", 0.8 ,")
    typed = _typed_fast_load(spaced, "staff")
    careful = parse_frame(read_raw(BOM + spaced, "staff.csv"), "staff")
    assert careful["fte"].iloc[2] == 0.8
    if typed is not None:  # Arrow reads ' 0.8 ' as 0.8 too
        pd.testing.assert_frame_equal(typed, careful)


@pytest.mark.parametrize("other_start", [b"2010-04-01", b"01/04/2010"], ids=["typed read", "Arrow text read"])
def test_impossible_dates_are_problems_on_every_path(other_start):
    """Arrow alone would roll 2009-02-30 over to 2 March: a silently wrong date. Each path rejects it."""
    from workforce_lib.data import parse_bytes

    raw = CLEAN_STAFF.replace(b"2010-04-01", other_start).replace(b"2009-01-05", b"2009-02-30")
    with pytest.raises(DataError) as info:
        parse_bytes(raw, "staff")
    problems = [(p.row, p.column, p.value) for p in info.value.problems]
    assert problems == [(4, "start_date", "2009-02-30")]
    leap = parse_bytes(CLEAN_STAFF.replace(b"2009-01-05", b"2008-02-29"), "staff")
    assert leap["start_date"].iloc[2] == pd.Timestamp("2008-02-29")


def test_iso_dates_read_from_bytes_match_numpy_for_every_day():
    import numpy as np
    import pyarrow as pa

    from workforce_lib.data import _iso_dates

    days = np.arange(np.datetime64("1678-01-01"), np.datetime64("2262-01-01"))
    values, ok = _iso_dates(pa.array(np.datetime_as_string(days), type=pa.large_string()))
    assert ok.all() and (values == days.astype("datetime64[ns]")).all()
    odd = ["2009-02-29", "2008-02-29", "2009-04-31", "2009-13-01", "2009-00-10", "2009-01-00", "20x9-01-01"]
    odd += ["2009/01/01", None, "", "2009-1-5", "1600-01-01"]
    values, ok = _iso_dates(pa.array(odd, type=pa.large_string()))
    assert ok.tolist() == [False, True] + [False] * 10
    assert values[1] == np.datetime64("2008-02-29") and np.isnat(values[0])
