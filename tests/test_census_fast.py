"""The census reader's fast path (C pull parser, quick value checks, no per-element bookkeeping)
gives exactly the return of the slow path (today's instrumented reader), and any file with a
problem, or anything the fast path does not read, is read by the slow path with its exact problems."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from workforce_lib.census import read as R
from workforce_lib.census.checks import known_authorities
from workforce_lib.census.generate import write_return

DATA = Path(__file__).resolve().parent / "data" / "census"
KNOWN, _ = known_authorities()
ALL_FILES = sorted(DATA.rglob("*.xml"))


def both(path: Path):
    people_fast, people_slow = {"someone else": 0}, {"someone else": 0}
    fast = R._read_fast(path, KNOWN, people_fast)
    slow, problems = R._read_slow(path, KNOWN, people_slow)
    return fast, slow, problems, people_fast, people_slow


def assert_same(fast: R.CensusReturn, slow: R.CensusReturn) -> None:
    assert fast is not None and slow is not None
    pd.testing.assert_frame_equal(fast.workers, slow.workers)
    header = ("file", "year", "reference_date", "lea")
    assert [getattr(fast, a) for a in header] == [getattr(slow, a) for a in header]
    assert fast.la_level == slow.la_level


def test_every_valid_test_file_reads_the_same_on_the_fast_path():
    valid = 0
    for path in ALL_FILES:
        fast, slow, problems, people_fast, people_slow = both(path)
        if problems:
            assert fast is None, path  # a file with a problem never completes on the fast path
            continue
        valid += 1
        assert_same(fast, slow)
        assert people_fast == people_slow
    assert valid >= 2


@pytest.mark.parametrize("year", list(R.SCHEMA_YEARS))
def test_generated_returns_of_every_schema_year_read_the_same(tmp_path, year):
    path = tmp_path / f"csww_301_{year}.xml"
    write_return(path, lea="301", year=year, n_workers=400, seed=year, move_share=0.05)
    fast, slow, problems, people_fast, people_slow = both(path)
    assert problems == []
    assert_same(fast, slow)
    assert people_fast == people_slow


@pytest.mark.parametrize("ending", [b"\r\n", b"\r"])
def test_line_numbers_match_expat_with_crlf_and_cr_line_ends(tmp_path, ending):
    path = tmp_path / "csww_301_2024.xml"
    write_return(path, lea="301", year=2024, n_workers=300, seed=3)
    text = path.read_bytes()
    # one worker's start tag across two lines, others on the line after a blank one
    text = text.replace(b"<CSWWWorker>", b"<CSWWWorker\n>", 1).replace(b"</CSWWWorker>", b"</CSWWWorker>\n\n", 7)
    path.write_bytes(text.replace(b"\n", ending))
    fast, slow, problems, *_ = both(path)
    assert problems == []
    assert_same(fast, slow)


def test_a_file_larger_than_a_chunk_keeps_its_line_numbers(tmp_path):
    path = tmp_path / "csww_301_2025.xml"
    write_return(path, lea="301", year=2025, n_workers=3000, seed=5)
    assert path.stat().st_size > 4 * R.CHUNK
    fast, slow, problems, *_ = both(path)
    assert problems == []
    assert_same(fast, slow)


@pytest.mark.parametrize(
    "markup",
    [b"<!-- <CSWWWorker> -->", b"<![CDATA[<CSWWWorker>]]>", b"<?pi <CSWWWorker> ?>"],
)
def test_comments_cdata_and_processing_instructions_in_the_body_take_the_slow_path(tmp_path, markup):
    path = tmp_path / "csww_301_2023.xml"
    write_return(path, lea="301", year=2023, n_workers=50, seed=2)
    path.write_bytes(path.read_bytes().replace(b"</CSWWWorker>", b"</CSWWWorker>" + markup, 1))
    assert R._read_fast(path, KNOWN, {}) is None
    ret, problems = R._read_one(path, KNOWN, {})
    slow, slow_problems = R._read_slow(path, KNOWN, {})
    assert problems == slow_problems
    if slow is not None:
        assert_same(ret, slow)


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.relative_to(DATA).as_posix())
def test_a_file_reports_exactly_the_problems_of_the_slow_path(path):
    people_one, people_slow = {}, {}
    ret, problems = R._read_one(path, KNOWN, people_one)
    slow, slow_problems = R._read_slow(path, KNOWN, people_slow)
    assert problems == slow_problems
    assert people_one == people_slow
    if slow is not None:
        assert_same(ret, slow)


def test_a_problem_late_in_a_file_leaves_the_pseudonyms_untouched_and_is_reported_with_its_line(tmp_path):
    path = tmp_path / "csww_301_2022.xml"
    write_return(path, lea="301", year=2022, n_workers=200, seed=4)
    text = path.read_text(encoding="utf-8")
    at = text.rindex("<FTE>")
    text = text[:at] + "<FTE>1.500000</FTE>" + text[text.index("</FTE>", at) + len("</FTE>") :]
    path.write_text(text, encoding="utf-8")
    people = {}
    assert R._read_fast(path, KNOWN, people) is None
    assert people == {}
    ret, problems = R._read_one(path, KNOWN, {})
    assert ret is None and problems == R._read_slow(path, KNOWN, {})[1]
    line = text[:at].count("\n") + 1
    assert any(p.row == line and p.column == "Message/CSWWWorker/FTE" and p.value == "1.500000" for p in problems)


@pytest.mark.parametrize(
    "prolog",
    [
        b'<?xml version="1.0"?><!DOCTYPE Message [<!ENTITY a "b">]>',
        b'<?xml version="1.0"?>\n<!-- a comment -->\n<?pi x?>\n<!DOCTYPE Message SYSTEM "file:///etc/passwd">',
        b"<!doctype Message>",
        b'<!ENTITY a "b">',
        b'<?xml version="1.0" encoding="UTF-16"?>',
        b'<?xml version="1.0" encoding="cp037"?>',
        b"\xff\xfe<\x00",
        b"<!-- unclosed",
    ],
)
def test_the_prolog_scan_sends_any_doctype_or_entity_or_unknown_encoding_to_the_slow_path(prolog):
    assert R._root_offset(prolog + b"<Message></Message>") is None


def test_the_prolog_scan_finds_the_root():
    head = b'\xef\xbb\xbf<?xml version="1.0" encoding="UTF-8"?>\n<!-- c -->\n<Message><Header/>'
    assert head[R._root_offset(head) :].startswith(b"<Message>")


def test_hostile_files_are_refused_with_todays_message():
    for name in ("billion_laughs.xml", "external_entity.xml"):
        assert R._read_fast(DATA / name, KNOWN, {}) is None
        ret, problems = R._read_one(DATA / name, KNOWN, {})
        assert ret is None and [p.column for p in problems] == ["DOCTYPE"]
        assert problems[0].expected.startswith("no DOCTYPE, entity or external reference")


TRICKY = [
    *["", " ", "0", "1", "-1", "+1", "-0", "01", "1.", ".5", "1.5", "1.50", "0.123456", "0.1234567", "1.000000"],
    *["1.0000001", "2.00", "2.005", "-2.00", "NaN", "INF", "1e3", "99999999999999999999", " 1", "1 ", "1\n"],
    *["2023-09-30", "2023-02-30", "2024-02-29", "0000-01-01", "2023-9-30", "2023-09-30Z", "2023-09-30+01:00"],
    *["\u0662\u0660\u0662\u0663-\u0660\u0669-\u0663\u0660", "\u0661", "2023-09-30 "],
    *["AB123", "ab1", "AB12345678901", "AB1\n", "A1", "AB123$", "M", "F", "m", " M", "9", "X", "10", "Other"],
]


@pytest.mark.parametrize("year", list(R.SCHEMA_YEARS))
def test_quick_value_checks_only_ever_say_valid_when_xmlschema_does(year):
    said_valid = 0
    for elem in R._worker_decl(year).type.content.iter_elements():
        quick = R._quick_check(elem.type)
        values = TRICKY + [str(v) for v in (elem.type.enumeration or [])]
        for value in values:
            if quick is not None and quick(value):
                said_valid += 1
                assert elem.type.is_valid(value), (elem.name, value)
    assert said_valid > 50
