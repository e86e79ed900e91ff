"""DfE's semantic checks on a CSWW return: what the XSD cannot say about dates, FTE and SWENo.

Checked per worker as the file streams, and across workers at the end:
- a leaver's ``RoleEndDate`` inside the census year (1 October to the 30 September reference date);
- ``FTE`` (and ``FTE30``) within 0-1;
- a ``RoleEndDate`` no earlier than the ``RoleStartDate``; ``Cases30`` and ``WorkingDaysLost`` 0 or more;
- a worker in post at the reference date (no ``RoleEndDate``) has an ``FTE`` above 0;
- a ``RoleStartDate`` no later than the reference date;
- each ``SWENo`` once in a return, except a move within the authority's children's social work,
  which a return shows as one record ending and the next starting within :data:`MOVE_GAP_DAYS`;
- the header's ``LEA`` is an authority code in DfE's published csww_indicators file.
"""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

from ..errors import Problem

#: DfE's published statistics shipped with the workbench (their ``old_la_code`` are the LEA codes).
INDICATORS_FILE = Path(__file__).resolve().parents[2] / "data" / "dfe" / "csww_indicators_2017_to_2025.csv"
#: A SWENo's second record starting no later than this many days after its first ended is one
#: continuing employment (a move within children's social work), not a leaver and a starter.
#: The workbench's rule, not DfE's: DfE's guidance asks for moves within to be left out of
#: starters and leavers but does not say how a return shows one.
MOVE_GAP_DAYS = 7
WORKER = "Message/CSWWWorker"


def known_authorities(indicators: Path | str | None = None) -> tuple[dict[str, str] | None, list[Problem]]:
    """DfE's LA codes -> the authority's latest name, from csww_indicators ('940 / 941' gives both)."""
    path = Path(indicators) if indicators is not None else INDICATORS_FILE
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            rows = [r for r in csv.DictReader(f) if r.get("geographic_level") == "Local authority"]
    except OSError:
        return None, [Problem(str(path), None, None, None, "DfE's csww_indicators file (to check LEA codes)")]
    names: dict[str, str] = {}
    for row in sorted(rows, key=lambda r: r["time_period"]):
        codes = [c.strip() for c in row["old_la_code"].split("/")]
        for code in codes:
            names[code] = row["la_name"] if len(codes) == 1 else names.get(code, row["la_name"])
    return names, []


def census_year(reference_date: date) -> tuple[date, date]:
    """First and last day of the census year ending on ``reference_date`` (1 October to 30 September)."""
    return date(reference_date.year - 1, 10, 1), reference_date


def continues(end: date | None, start: date | None) -> bool:
    """Whether a role starting on ``start`` continues one that ended on ``end`` (a move within)."""
    return end is not None and start is not None and end <= start <= end + timedelta(days=MOVE_GAP_DAYS)


class ReturnChecker:
    """Collects the semantic problems of one return as its workers stream past."""

    def __init__(self, file: str, known: dict[str, str] | None):
        self.file = file
        self.known = known
        self.first = self.last = None
        self.reference_date = None
        self.records: dict[str, list[tuple[int | None, bool, date | None, date | None]]] = {}

    def header(self, year: int, reference_date: date, lea: str | None, line: int | None) -> list[Problem]:
        """The header's LEA against DfE's authority codes."""
        self.reference_date = reference_date
        self.first, self.last = census_year(reference_date)
        if self.known is not None and lea is not None and lea not in self.known:
            expected = "an authority's three-digit LA code as in DfE's csww_indicators file (old_la_code)"
            return [Problem(self.file, line, "Message/Header/Source/LEA", lea, expected)]
        return []

    def worker(self, values: dict, lines: dict, line: int | None, texts: dict | None = None) -> list[Problem]:
        """Problems of one worker record (``values`` by item, parsed; ``lines`` their line numbers;
        ``texts`` as written, for the problem's value)."""
        texts = texts or {}
        if self.reference_date is None:
            return []
        problems = []

        def problem(item, value, expected):
            where = lines.get(item, line)
            problems.append(Problem(self.file, where, f"{WORKER}/{item}", value, expected))

        for item in ("PersonBirthDate", "RoleStartDate", "RoleEndDate"):
            if texts.get(item) and values.get(item) is None:
                problem(item, texts[item], "a date written YYYY-MM-DD (for example 2022-09-30)")
        start, end = values.get("RoleStartDate"), values.get("RoleEndDate")
        if end is not None and not self.first <= end <= self.last:
            expected = f"a leaver's end date in the census year, {self.first.isoformat()} to {self.last.isoformat()}"
            problem("RoleEndDate", texts.get("RoleEndDate", end.isoformat()), expected)
        if start is not None and start > self.last:
            problem(
                "RoleStartDate",
                texts.get("RoleStartDate", start.isoformat()),
                f"a start no later than the reference date {self.last}",
            )
        if start is not None and end is not None and end < start:
            problem(
                "RoleEndDate",
                texts.get("RoleEndDate", end.isoformat()),
                f"an end date no earlier than the RoleStartDate {start}",
            )
        for item, what in (("Cases30", "a number of cases"), ("WorkingDaysLost", "a number of working days lost")):
            number = values.get(item)
            if number is not None and number < 0:
                problem(item, texts.get(item, _text(number)), f"{what}, 0 or more")
        for item in ("FTE", "FTE30"):
            fte = values.get(item)
            if fte is not None and not 0 <= fte <= 1:
                problem(item, texts.get(item, _text(fte)), "a full-time equivalent from 0 to 1")
        if end is None and not values.get("FTE"):
            value = None if values.get("FTE") is None else texts.get("FTE", _text(values["FTE"]))
            problem("FTE", value, "an FTE above 0 for a worker in post at the reference date (no RoleEndDate)")
        sweno = values.get("SWENo")
        if sweno:
            agency = values.get("AgencyWorker") == 1
            self.records.setdefault(sweno, []).append((lines.get("SWENo", line), agency, start, end))
        return problems

    def finish(self) -> list[Problem]:
        """Problems across workers: a SWENo twice, unless one role continues the other."""
        problems = []
        for sweno, records in self.records.items():
            if len(records) < 2:
                continue
            records = sorted(records, key=lambda r: (r[2] or date.min, r[0] or 0))
            first_line = min(r[0] or 0 for r in records)
            for before, after in zip(records, records[1:], strict=False):
                if not continues(before[3], after[2]):
                    expected = (
                        f"each SWENo once in a return (also at line {first_line}); two records only for a move "
                        f"within, the second starting within {MOVE_GAP_DAYS} days of the first's RoleEndDate"
                    )
                    row = max(before[0] or 0, after[0] or 0)
                    problems.append(Problem(self.file, row, f"{WORKER}/SWENo", sweno, expected))
        return problems


def _text(number: float) -> str:
    return f"{number:g}"
