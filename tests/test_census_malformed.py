"""A corpus of malformed census returns: each gives exactly the problems listed in its expected.yaml.

tests/data/census/malformed/: one small file per fault (not XML, empty, truncated, wrong encoding,
wrong root, missing LA block, unsupported year, wrong reference date, bad codes, FTE 1.5, end
before start, start after the reference date, duplicate SWENo, a 2025 item in a 2022 file, a
date that is not a date, negative Cases30). Every one must be a DataError, never a traceback.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.test_census import line_of, problems_of
from workforce_lib.errors import Problem

MALFORMED = Path(__file__).resolve().parent / "data" / "census" / "malformed"
EXPECTED = yaml.safe_load((MALFORMED / "expected.yaml").read_text(encoding="utf-8"))


def test_every_file_of_the_corpus_has_an_expected_outcome():
    assert sorted(p.name for p in MALFORMED.glob("*.xml")) == sorted(EXPECTED)
    assert len(EXPECTED) >= 12


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_malformed_return_gives_its_exact_problems(name):
    path = MALFORMED / name
    expected = []
    for p in EXPECTED[name]:
        row = p["row"] if isinstance(p["row"], int) else line_of(path, p["row"][0], p["row"][1])
        expected.append(Problem(str(path), row, p["column"], p["value"], p["expected"]))
    assert problems_of(path) == expected


def test_the_whole_corpus_at_once_lists_every_problem():
    problems = problems_of(MALFORMED)
    assert {Path(p.file).name for p in problems} == set(EXPECTED)
    assert len(problems) == sum(len(v) for v in EXPECTED.values())
