"""Write synthetic CSWW census returns that are valid against the year's XSD and DfE's checks.

Random but plausible: workers in post at 30 September (some of them starters in the year),
leavers in the year, agency workers in post, and a few moves within the authority's children's
social work (the same SWENo ending one role and starting the next the following day). Written
as a stream, so a national-scale file costs no memory. For tests and benchmarks only: nothing
here resembles any authority's real staff.

:func:`write_workers` writes a return of exactly the records given (FTE, role, cases, days lost
and dates as chosen; everything else drawn at random as here), for tests that build a return
adding up to known figures.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TextIO

from .read import SCHEMA_YEARS

ETHNICITIES = "WBRI WIRI WOTH MWBC MWBA MWAS MOTH AIND APKN ABAN AOTH BCRB BAFR BOTH CHNE OOTH REFU NOBT".split()
#: Weights of each code, shaped like England's children and family social workers (DfE: about three
#: in four White, one in eight Black, one in ten Asian, a few per cent mixed or other, some not known).
ETHNICITY_WEIGHTS = (62, 1, 6, 1, 1, 1, 1, 4, 3, 1, 2, 3, 7, 1, 0.5, 1.5, 2, 3)


def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


def write_return(
    path: Path | str,
    lea: str = "301",
    year: int = 2025,
    n_workers: int = 100,
    seed: int = 1,
    leaver_share: float = 0.12,
    agency_share: float = 0.1,
    move_share: float = 0.01,
) -> int:
    """Write one valid CSWW return for authority ``lea`` and census ``year``; returns the number of
    CSWWWorker records written (a move within the service writes two)."""
    _check_year(year)
    rng = random.Random(seed)
    ref = date(year, 9, 30)
    first_day = date(year - 1, 10, 1)
    records = 0
    with open(path, "w", encoding="utf-8") as out:
        _write_header(out, lea, year)
        vacancies = n_workers * rng.uniform(0.08, 0.2)
        cover = min(vacancies, n_workers * agency_share * 0.85) * rng.uniform(0.5, 0.9)  # agency cover <= agency
        _write_la_level(out, rng, year, vacancies, cover, round(cover * 1.05))
        for i in range(n_workers):
            sweno = f"SW{seed % 1000:03d}{i:07d}"
            agency = rng.random() < agency_share
            kind = "post"
            if not agency and rng.random() < leaver_share:
                kind = "leaver"
            elif not agency and rng.random() < move_share:
                kind = "move"
            start = _day(rng, date(2000, 1, 1), ref) if rng.random() > 0.15 else _day(rng, first_day, ref)
            if kind == "post":
                out.write(_worker(rng, year, sweno, agency, start, None))
                records += 1
            elif kind == "leaver":
                start = min(start, ref - timedelta(days=30))
                end = _day(rng, max(start, first_day), ref)
                out.write(_worker(rng, year, sweno, False, start, end))
                records += 1
            else:  # the same person ends one role and starts the next the following day
                start = min(start, first_day - timedelta(days=1))
                end = _day(rng, first_day, ref - timedelta(days=1))
                out.write(_worker(rng, year, sweno, False, start, end, reason=8))
                out.write(_worker(rng, year, sweno, False, end + timedelta(days=1), None))
                records += 2
        out.write("</Message>\n")
    return records


def _check_year(year: int) -> None:
    if year not in SCHEMA_YEARS:
        raise ValueError(f"no CSWW schema for {year}: years {SCHEMA_YEARS[0]}-{SCHEMA_YEARS[-1]}")


def _write_header(out: TextIO, lea: str, year: int) -> None:
    ref = date(year, 9, 30)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n<Message>\n  <Header>\n    <CollectionDetails>\n')
    out.write(f"      <Collection>CSWW</Collection>\n      <Year>{year}</Year>\n")
    out.write(f"      <ReferenceDate>{ref.isoformat()}</ReferenceDate>\n    </CollectionDetails>\n")
    out.write(f"    <Source>\n      <SourceLevel>L</SourceLevel>\n      <LEA>{lea}</LEA>\n")
    out.write("      <SoftwareCode>workforce_lib.census.generate</SoftwareCode>\n")
    out.write(f"      <DateTime>{year}-10-15T09:00:00</DateTime>\n    </Source>\n  </Header>\n")


def _write_la_level(
    out: TextIO, rng: random.Random, year: int, vacancies: float, cover: float, cover_headcount: int
) -> None:
    """The LA-level block: LALevelVacancies (2021-2024) or LALevel with the pay-policy items (2025)."""
    block = "LALevel" if year >= 2025 else "LALevelVacancies"
    out.write(f"  <{block}>\n    <NumberOfVacancies>{vacancies:.2f}</NumberOfVacancies>\n")
    out.write(f"    <NoAgencyFTE>{cover:.2f}</NoAgencyFTE>\n")
    out.write(f"    <NoAgencyHeadcount>{cover_headcount}</NoAgencyHeadcount>\n")
    if year >= 2025:
        for item in ("RecruitmentBonus", "RetentionBonus", "PerformanceAward", "CarAllowance"):
            out.write(f"    <{item}>{rng.choice('012')}</{item}>\n")
        for item in ("RelocationPackage", "RegionalWeighting", "CostSWE", "CostDBS"):
            out.write(f"    <{item}>{rng.choice('012')}</{item}>\n")
        out.write("    <OtherAllowances>None</OtherAllowances>\n")
    out.write(f"  </{block}>\n")


@dataclass(frozen=True)
class WorkerRecord:
    """One CSWWWorker record for :func:`write_workers`. The items set here are written exactly;
    those left None are drawn at random as :func:`write_return` draws them (``cases`` None: a
    random Cases30 for a worker in post in roles 3-5; ``days_lost`` None: a random
    WorkingDaysLost for an LA-employed worker, none for an agency worker)."""

    sweno: str
    agency: bool
    start: date
    end: date | None = None
    reason: int | None = None
    fte: float | None = None
    role: int | None = None
    cases: int | None = None
    days_lost: float | None = None


def write_workers(
    path: Path | str,
    workers: Iterable[WorkerRecord],
    lea: str = "301",
    year: int = 2025,
    vacancies: float = 0.0,
    cover: float = 0.0,
    cover_headcount: int | None = None,
    seed: int = 1,
) -> int:
    """Write one CSWW return of exactly ``workers`` (in that order) with the LA-level
    NumberOfVacancies ``vacancies``, NoAgencyFTE ``cover`` and NoAgencyHeadcount
    ``cover_headcount`` (default: ``cover`` rounded up); returns the number of records written.
    Valid against the year's XSD when the records are (FTE 0-1, dates as DfE's checks ask)."""
    _check_year(year)
    rng = random.Random(seed)
    if cover_headcount is None:
        cover_headcount = math.ceil(cover)
    records = 0
    with open(path, "w", encoding="utf-8") as out:
        _write_header(out, lea, year)
        _write_la_level(out, rng, year, vacancies, cover, cover_headcount)
        for w in workers:
            chosen = {"reason": w.reason, "fte": w.fte, "role": w.role, "cases": w.cases, "days_lost": w.days_lost}
            out.write(_worker(rng, year, w.sweno, w.agency, w.start, w.end, **chosen))
            records += 1
        out.write("</Message>\n")
    return records


def _worker(
    rng: random.Random,
    year: int,
    sweno: str,
    agency: bool,
    start: date,
    end: date | None,
    reason: int | None = None,
    fte: float | None = None,
    role: int | None = None,
    cases: int | None = None,
    days_lost: float | None = None,
) -> str:
    """One CSWWWorker element; ``fte``, ``role``, ``cases`` and ``days_lost`` drawn at random when None."""
    if fte is None:
        fte = rng.choice([1.0, 1.0, 1.0, 0.8, 0.6, rng.randint(7, 37) / 37])  # contracts in hours of a 37-hour week
    if role is None:
        role = rng.choices([1, 2, 3, 4, 5, 6], weights=[2, 5, 12, 15, 60, 6])[0]
    lines = [
        f"    <AgencyWorker>{int(agency)}</AgencyWorker>",
        f"    <SWENo>{sweno}</SWENo>",
        f"    <FTE>{fte:.6f}</FTE>",
    ]
    born = _day(rng, date(year - 65, 1, 1), date(year - 23, 1, 1))
    lines.append(f"    <PersonBirthDate>{born.isoformat()}</PersonBirthDate>")
    if year >= 2024:
        lines.append(f"    <Sex>{rng.choice('MFFFF')}</Sex>")
    else:
        lines.append(f"    <GenderCurrent>{rng.choice('12222')}</GenderCurrent>")
    lines.append(f"    <Ethnicity>{rng.choices(ETHNICITIES, weights=ETHNICITY_WEIGHTS)[0]}</Ethnicity>")
    if year <= 2024:
        lines.append("    <QualInst>University</QualInst>")
    lines += [f"    <QualLevel>{rng.choice('1122')}</QualLevel>", f"    <StepUpGrad>{rng.choice('0001')}</StepUpGrad>"]
    lines += [f"    <OrgRole>{role}</OrgRole>", f"    <RoleStartDate>{start.isoformat()}</RoleStartDate>"]
    lines.append(f"    <StartOrigin>{rng.randint(1, 9)}</StartOrigin>")
    if end is not None:
        lines.append(f"    <RoleEndDate>{end.isoformat()}</RoleEndDate>")
        lines.append(f"    <LeaverDestination>{rng.randint(1, 8)}</LeaverDestination>")
        lines.append(f"    <ReasonLeave>{reason or rng.choice([1, 1, 1, 1, 5, 7, 8])}</ReasonLeave>")
    else:
        lines.append(f"    <FTE30>{fte:.6f}</FTE30>")
        if cases is None and role in (3, 4, 5):
            cases = rng.randint(1, 28)
        if cases is not None:
            lines.append(f"    <Cases30>{cases}</Cases30>")
    if days_lost is None and not agency:
        days_lost = rng.choice([0, 0, 0, rng.randint(1, 80) / 2])
    if days_lost is not None:
        lines.append(f"    <WorkingDaysLost>{days_lost:.2f}</WorkingDaysLost>")
    lines += [f"    <ContractWeeks>{rng.uniform(0, 52):.1f}</ContractWeeks>", "    <FrontlineGrad>0</FrontlineGrad>"]
    absent = rng.random() < 0.05 and end is None
    lines.append(f"    <Absat30Sept>{int(absent)}</Absat30Sept>")
    if absent:
        lines.append(f"    <ReasonAbsence>{rng.choice(['SIC', 'MAT', 'TRN'])}</ReasonAbsence>")
    if year <= 2024:
        lines.append(f"    <CFKSSstatus>{rng.randint(1, 3)}</CFKSSstatus>")
    elif not agency:
        lines.append(f"    <BaseSalary>{rng.uniform(32000, 60000):.2f}</BaseSalary>")
    return "  <CSWWWorker>\n" + "\n".join(lines) + "\n  </CSWWWorker>\n"
