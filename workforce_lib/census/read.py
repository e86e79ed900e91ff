"""Read DfE's children's social work workforce census (CSWW) returns: streamed, safe, validated.

One XML file per authority and census year (``Message`` > ``Header`` > LA-level block > many
``CSWWWorker``). Each file is validated against its year's XSD (``xsd/``, schema versions
2021-2025, chosen by the header's ``Year``) with :mod:`xmlschema`, then checked as DfE's own
validation would (:mod:`.checks`). Every problem found in every file is raised at once as one
:class:`~workforce_lib.errors.DataError`, each naming the file, the line, the element path, the
value and what was expected.

Streaming: the file is fed to the parser in chunks and each ``CSWWWorker`` is validated,
converted to one row and dropped as soon as it ends, so memory does not grow with the file.
The skeleton left at the end (header, LA-level block, first worker and anything unexpected) is
validated whole against the schema, so the order and presence of the blocks are checked too.

Two paths: each file is first read by a fast path (:class:`_Fast`: the C pull parser, no line
or path bookkeeping per element, each worker line counted in the bytes) which reports nothing:
at the first problem, or anything it does not read (a DOCTYPE, a comment or CDATA section in the
body, an unusual encoding), it gives up and the file is read again by the slow path
(:class:`_Stream`), which reports every problem with its line, element path, value and expected
text. Both give the same return (tests/test_census_fast.py). Values are checked first by quick
checks built from each simple type's facets (:func:`_quick_check`), which can only say "valid";
any other value gets xmlschema's verdict (and its message).

Safety: the fast path only reads a file whose prolog (the only place a DOCTYPE may stand) it
has scanned and found free of any ``<!`` declaration; everything else goes to the slow path,
where parsing goes through :mod:`defusedxml`: a DOCTYPE (and so any entity, internal or
external) is refused before it is expanded, and nothing is ever fetched. No CSWW return has one.

SWENo never leaves this module: each distinct number is replaced by a pseudonymous integer
``person`` (the same within one :func:`read_returns` call, so headcount counts people).
"""

from __future__ import annotations

import functools
import gc
import math
import re
import xml.etree.ElementTree as ET
from collections import deque
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

import pandas as pd
import xmlschema
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from ..errors import DataError, Problem
from .checks import ReturnChecker, known_authorities

SCHEMA_YEARS = range(2021, 2026)
XSD_DIR = Path(__file__).resolve().parent / "xsd"
LA_BLOCKS = ("LALevelVacancies", "LALevel")
CHUNK = 1 << 16

# The documented quirk: every copied schema gives the SWENo pattern as `[A-Za-z]{2}\d{1,10}$`.
# XML Schema patterns are anchored already and have no `$` anchor, so a strict validator reads
# the `$` as a literal dollar sign and rejects every real Social Work England number. We read
# the pattern as it was meant (without the `$`); the files in xsd/ stay as published.
_SWENO_AS_WRITTEN = r'value="[A-Za-z]{2}\d{1,10}$"'
_SWENO_AS_MEANT = r'value="[A-Za-z]{2}\d{1,10}"'

#: Worker items kept, and the column each becomes (SWENo becomes ``person``).
DATE_ITEMS = {"RoleStartDate": "start", "RoleEndDate": "end", "PersonBirthDate": "birth"}
NUMBER_ITEMS = {
    "AgencyWorker": "agency",
    "FTE": "fte",
    "FTE30": "fte30",
    "OrgRole": "org_role",
    "StartOrigin": "start_origin",
    "LeaverDestination": "leaver_destination",
    "ReasonLeave": "reason_leave",
    "Cases30": "cases30",
    "WorkingDaysLost": "working_days_lost",
    "Absat30Sept": "absent_30_sept",
}
CODE_ITEMS = {"Ethnicity": "ethnicity", "ReasonAbsence": "reason_absence"}
#: 2021-2023 ``GenderCurrent`` codes as the 2024+ ``Sex`` codes (0 not known, 9 not specified: missing).
GENDER_AS_SEX = {"1": "M", "2": "F"}
COLUMNS = ["line", "person", *DATE_ITEMS.values(), *NUMBER_ITEMS.values(), "sex", *CODE_ITEMS.values()]


@dataclass
class CensusReturn:
    """One authority's census return for one year: header, LA-level figures and one row per worker."""

    file: str
    year: int
    reference_date: date
    lea: str
    la_level: dict[str, float]
    workers: pd.DataFrame = field(repr=False)


@functools.cache
def schema(year: int) -> xmlschema.XMLSchema:
    """The CSWW XML schema of census ``year`` (2021-2025), with the SWENo quirk read as meant."""
    text = (XSD_DIR / f"csww_schema_{year}.xsd").read_text(encoding="utf-8")
    return xmlschema.XMLSchema(text.replace(_SWENO_AS_WRITTEN, _SWENO_AS_MEANT))


def _worker_decl(year: int):
    return next(e for e in schema(year).elements["Message"].type.content.iter_elements() if e.name == "CSWWWorker")


def census_files(paths) -> tuple[list[Path], list[Problem]]:
    """The XML files named, folders expanded to the ``*.xml`` files in them (sorted)."""
    if isinstance(paths, str | Path):
        paths = [paths]
    files, problems = [], []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(q for q in p.iterdir() if q.suffix.lower() == ".xml" and q.is_file())
            if not found:
                problems.append(Problem(str(p), None, None, None, "a folder with one or more CSWW .xml files"))
            files += found
        elif p.is_file():
            files.append(p)
        else:
            problems.append(Problem(str(p), None, None, None, "a CSWW XML file or a folder of them (not found)"))
    return files, problems


def read_returns(paths, indicators: Path | str | None = None) -> list[CensusReturn]:
    """Every return in the files and folders ``paths``, validated; raises one DataError listing
    every problem in every file. ``indicators``: DfE's csww_indicators file, for the LEA codes."""
    files, problems = census_files(paths)
    known, known_problems = known_authorities(indicators)
    problems += known_problems
    people: dict[str, int] = {}
    returns, seen = [], {}
    for path in files:
        ret, file_problems = _read_one(path, known, people)
        problems += file_problems
        if ret is None:
            continue
        key = (ret.lea, ret.year)
        if key in seen:
            expected = f"one return per authority and year ({ret.year}, LEA {ret.lea} is also in {seen[key]})"
            problems.append(Problem(ret.file, None, "Message/Header/Source/LEA", ret.lea, expected))
        seen[key] = ret.file
        returns.append(ret)
    if problems:
        raise DataError(problems)
    return returns


def read_return(path: Path | str, indicators: Path | str | None = None) -> CensusReturn:
    """One validated return; raises DataError listing every problem in the file."""
    return read_returns([path], indicators)[0]


class _WorkerValidator:
    """Validates CSWWWorker elements against the schema's declaration, fast on a large file.

    A worker element has only simple-typed children and no attributes, so it is valid exactly
    when its sequence of child tags fits the content model and each child's text is valid for
    that child's type. So xmlschema validates each new tag sequence once (a whole worker) and
    each new (type, text) once, and both answers are remembered; a worker with anything invalid
    is validated whole by xmlschema again, for its messages.
    """

    MAX_REMEMBERED = 200_000

    def __init__(self, decl):
        self.decl = decl
        self.types = {e.name: e.type for e in decl.type.content.iter_elements()}
        self.quick = {name: _quick_check(t) for name, t in self.types.items()}
        self.models: dict[tuple, bool] = {}
        self.values: dict[tuple, bool] = {}

    def errors(self, elem) -> list:
        stray = bool(elem.attrib) or bool((elem.text or "").strip())
        stray = stray or any(c.attrib or (c.tail or "").strip() or len(c) for c in elem)
        shape = (stray, *(c.tag for c in elem))
        model_ok = self.models.get(shape)
        if model_ok is None:
            errors = list(self.decl.iter_errors(elem))
            self.models[shape] = not any(e.elem is elem or e.elem is None for e in errors)
            return errors
        if model_ok and all(self._value_ok(c) for c in elem):
            return []
        return list(self.decl.iter_errors(elem))

    def _value_ok(self, child) -> bool:
        text = child.text or ""
        quick = self.quick[child.tag]
        if quick is not None and quick(text):
            return True  # surely valid; anything else is xmlschema's verdict
        xsd_type = self.types[child.tag]
        key = (id(xsd_type), text)
        ok = self.values.get(key)
        if ok is None:
            if len(self.values) > self.MAX_REMEMBERED:
                self.values.clear()
            ok = self.values[key] = xsd_type.is_valid(child.text or "")
        return ok


_XSD = "{http://www.w3.org/2001/XMLSchema}"
_XML_SPACE = re.compile(r"[ \t\r\n]")
#: Lexical forms every one of which is valid for the builtin type (a subset of its lexical space).
_BUILTIN_FORMS = {
    "date": re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"),
    "decimal": re.compile(r"-?[0-9]+(?:\.([0-9]*))?"),
    "integer": re.compile(r"-?[0-9]+"),
}


def _quick_check(xsd_type):
    """A check of a simple type's values, built from its facets, that can only say "valid" (True):
    anything it does not pass goes to xmlschema for the verdict (and the message). None when the
    type has a facet or a base type the check does not know.

    Enumerations: the enumerated strings themselves, each confirmed valid by xmlschema. Otherwise
    the value must have no white space (so no facet sees it normalized), be in a plain lexical form
    of its builtin base (xs:string, xs:decimal, xs:integer, xs:date) and pass every level's
    pattern (xmlschema's own regular expressions), minLength, fractionDigits and min/maxInclusive.
    """
    levels, base = [], xsd_type
    while base is not None and base.target_namespace != _XSD[1:-1]:
        levels.append(base)
        base = base.base_type
    if base is None or base.local_name not in ("string", "decimal", "integer", "date"):
        return None
    enumerated = [t.enumeration for t in levels if t.enumeration]
    if enumerated:
        allowed = frozenset(s for s in map(str, enumerated[0]) if xsd_type.is_valid(s))
        return allowed.__contains__
    numeric = base.local_name in ("decimal", "integer")
    checks = []
    for t in levels:
        facets = {k[len(_XSD) :]: v for k, v in (t.facets or {}).items() if k}
        if not set(facets) <= {"pattern", "minLength", "fractionDigits", "minInclusive", "maxInclusive"}:
            return None
        if "pattern" in facets:
            checks.append(lambda s, patterns=facets["pattern"].patterns: any(p.match(s) for p in patterns))
        if "minLength" in facets:
            if base.local_name != "string":
                return None
            checks.append(lambda s, n=facets["minLength"].value: len(s) >= n)
        if "fractionDigits" in facets:
            if base.local_name != "decimal":
                return None
            n = facets["fractionDigits"].value
            checks.append(lambda s, n=n: len(_BUILTIN_FORMS["decimal"].fullmatch(s).group(1) or "") <= n)
        for name, ok in (("minInclusive", Decimal.__ge__), ("maxInclusive", Decimal.__le__)):
            if name in facets:
                if not numeric:
                    return None
                checks.append(lambda s, bound=Decimal(facets[name].value), ok=ok: ok(Decimal(s), bound))
    form = _BUILTIN_FORMS.get(base.local_name)
    if form is None and not checks:
        return lambda s: True  # xs:string, no facets: any text
    is_date = base.local_name == "date"

    def quick(s: str) -> bool:
        if _XML_SPACE.search(s) or (form is not None and not form.fullmatch(s)):
            return False
        if is_date:
            try:
                date.fromisoformat(s)
            except ValueError:
                return False
        try:
            return all(check(s) for check in checks)
        except (ArithmeticError, ValueError):
            return False

    return quick


class _Stream:
    """Parser target: builds the tree, notes each element's line and path, and hands each child
    of ``Message`` to :meth:`_child` as it ends (workers are then dropped)."""

    def __init__(self, path: Path, known: set[str] | None, people: dict[str, int]):
        self.file = str(path)
        self.parser = DefusedXMLParser(target=self, forbid_dtd=True)
        self.expat = self.parser.parser
        self.builder = ET.TreeBuilder()
        self.stack: list[str] = []
        self.where: dict[int, tuple[int, str]] = {}
        self.root = None
        self.problems: list[Problem] = []
        self.checker = ReturnChecker(self.file, known)
        self.people = people
        self.year = self.reference_date = self.lea = None
        self.la_level: dict[str, float] = {}
        self.first_worker = None
        self.worker_decl = None
        self.rows: dict[str, list] = {c: [] for c in COLUMNS}
        self.stopped = False

    # parser target interface
    def start(self, tag, attrs):
        elem = self.builder.start(tag, attrs)
        self.stack.append(tag)
        self.where[id(elem)] = (self.expat.CurrentLineNumber, "/".join(self.stack))
        if self.root is None:
            self.root = elem
        return elem

    def end(self, tag):
        elem = self.builder.end(tag)
        depth = len(self.stack)
        self.stack.pop()
        if depth == 2 and not self.stopped:
            self._child(elem)
        return elem

    def data(self, text):
        self.builder.data(text)

    def close(self):
        return self.builder.close()

    # the return's content
    def line(self, elem) -> int | None:
        return self.where.get(id(elem), (None, None))[0]

    def path(self, elem) -> str | None:
        return self.where.get(id(elem), (None, None))[1]

    def _forget(self, elem) -> None:
        for e in elem.iter():
            self.where.pop(id(e), None)

    def _child(self, elem) -> None:
        tag = elem.tag
        if tag == "Header":
            self._header(elem)
        elif tag in LA_BLOCKS:
            for item in elem:
                self.la_level[item.tag] = _number(item.text)
        elif tag == "CSWWWorker":
            if self.worker_decl is None:
                expected = "a Header with the census Year (2021-2025) before the first CSWWWorker"
                self.problems.append(Problem(self.file, self.line(elem), self.path(elem), None, expected))
                self.stopped = True
                return
            if self.first_worker is None:
                self.first_worker = elem  # stays for the skeleton's validation
            else:
                self.problems += self._xsd_problems(self.validator.errors(elem), elem)
            self._worker(elem)
            if elem is not self.first_worker:
                self.root.remove(elem)
                self._forget(elem)

    def _header(self, elem) -> None:
        def item(path):
            found = elem.find(path)
            return found, (found.text or "").strip() if found is not None else None

        year_elem, year = item("CollectionDetails/Year")
        ref_elem, ref = item("CollectionDetails/ReferenceDate")
        lea_elem, lea = item("Source/LEA")
        header_line = self.line(elem)
        if year is None or not year.isdigit() or int(year) not in SCHEMA_YEARS:
            expected = f"the census year, {SCHEMA_YEARS[0]}-{SCHEMA_YEARS[-1]} (the schema versions the workbench has)"
            where = self.line(year_elem) if year_elem is not None else header_line
            self.problems.append(Problem(self.file, where, "Message/Header/CollectionDetails/Year", year, expected))
            self.stopped = True
            return
        self.year = int(year)
        self.worker_decl = _worker_decl(self.year)
        self.validator = _WorkerValidator(self.worker_decl)
        self.reference_date = date(self.year, 9, 30)
        if ref is not None and ref[:10] != self.reference_date.isoformat():
            expected = f"the census reference date {self.reference_date.isoformat()} (30 September of Year)"
            path = "Message/Header/CollectionDetails/ReferenceDate"
            self.problems.append(Problem(self.file, self.line(ref_elem), path, ref, expected))
        self.lea = lea
        lea_line = self.line(lea_elem) if lea_elem is not None else header_line
        self.problems += self.checker.header(self.year, self.reference_date, lea, lea_line)

    def _worker(self, elem) -> None:
        values: dict[str, object] = {}
        lines: dict[str, int | None] = {}
        texts: dict[str, str] = {}
        for child in elem:
            if child.tag in values:
                continue  # items that may repeat: the first counts
            text = texts[child.tag] = (child.text or "").strip()
            lines[child.tag] = self.line(child)
            if child.tag in DATE_ITEMS:
                values[child.tag] = _date(text)
            elif child.tag in NUMBER_ITEMS:
                values[child.tag] = _number(text)
            else:
                values[child.tag] = text
        line = self.line(elem)
        self.problems += self.checker.worker(values, lines, line, texts)
        rows = self.rows
        rows["line"].append(line)
        sweno = values.get("SWENo") or f"(no SWENo, line {line})"
        rows["person"].append(self.people.setdefault(sweno, len(self.people)))
        for item, column in (DATE_ITEMS | NUMBER_ITEMS).items():
            rows[column].append(values.get(item))
        sex = values.get("Sex") or GENDER_AS_SEX.get(values.get("GenderCurrent"))
        rows["sex"].append(sex or None)
        for item, column in CODE_ITEMS.items():
            rows[column].append(values.get(item) or None)

    def _xsd_problems(self, errors, context) -> list[Problem]:
        problems = []
        for err in errors:
            elem = err.elem if err.elem is not None else context
            line = self.line(elem) or self.line(context)
            value = None if len(elem) else (elem.text or "").strip()
            problems.append(Problem(self.file, line, self.path(elem) or self.path(context), value, _reason(err)))
        return problems

    def finish(self) -> CensusReturn | None:
        if self.root is None:
            self.problems.append(Problem(self.file, None, None, None, "a CSWW return: a Message element"))
            return None
        if not self.stopped:
            self.problems += self._xsd_problems(schema(self.year).iter_errors(self.root), self.root)
            self.problems += self.checker.finish()
        if self.stopped or self.year is None:
            return None
        la_level = {k: v for k, v in self.la_level.items() if v is not None}
        return CensusReturn(self.file, self.year, self.reference_date, self.lea, la_level, _workers(self.rows))


class _NotFast(Exception):
    """The fast path met something it does not read (or a problem): the file takes the slow path."""


#: Encodings in which the prolog's bytes can be read as ASCII (the fast path's DOCTYPE scan).
_ASCII_COMPATIBLE = {"utf-8", "utf8", "us-ascii", "ascii", "iso-8859-1", "latin-1", "latin1"}
_DECLARED_ENCODING = re.compile(rb"""encoding\s*=\s*["']([^"']*)["']""")


def _root_offset(head: bytes) -> int | None:
    """Where the root element's start tag begins in ``head`` (the file's first bytes), when all
    before it is an XML declaration of an ASCII-compatible encoding (or none), comments,
    processing instructions and white space. None for anything else: a DOCTYPE (the only place
    one may stand, so no DOCTYPE and no ENTITY can reach the fast path), a UTF-16 file, a prolog
    longer than ``head``. Such files take the slow path, which refuses a DOCTYPE as before."""
    i = 3 if head.startswith(b"\xef\xbb\xbf") else 0
    if head.startswith(b"<?xml", i) and head[i + 5 : i + 6] in (b" ", b"\t", b"\r", b"\n"):
        end = head.find(b"?>", i)
        if end < 0:
            return None
        declared = _DECLARED_ENCODING.search(head, i, end)
        if declared and declared.group(1).decode("ascii", "replace").lower() not in _ASCII_COMPATIBLE:
            return None
        i = end + 2
    while True:
        while head[i : i + 1] in (b" ", b"\t", b"\r", b"\n"):
            i += 1
        if head.startswith(b"<!--", i):
            end = head.find(b"-->", i + 4)
            if end < 0:
                return None
            i = end + 3
        elif head.startswith(b"<?", i):
            end = head.find(b"?>", i + 2)
            if end < 0:
                return None
            i = end + 2
        elif head[i : i + 1] == b"<" and (head[i + 1 : i + 2].isalpha() or head[i + 1 : i + 2] == b"_"):
            return i
        else:
            return None  # `<!DOCTYPE`, `<!ENTITY`, `<!doctype`, text, end of head: the slow path decides


_MARKUP = re.compile(rb"<(?:CSWWWorker[ \t\r\n/>]|[!?])")


class _WorkerLines:
    """The line of each ``<CSWWWorker`` start tag, counted in the file's bytes as expat counts
    lines (CR LF, CR and LF each end one). Sound only while :attr:`other` stays False: with no
    comment, CDATA section, declaration or processing instruction after the root's start tag,
    every ``<CSWWWorker`` in the bytes is a start tag (``<`` cannot stand raw in text or
    attribute values of well-formed XML)."""

    KEEP = 12  # len("<CSWWWorker") + 1: a tag cut by a chunk's end is scanned with the next

    def __init__(self, root_at: int):
        self.root_at = root_at
        self.tail = b""
        self.offset = 0  # of tail in the file
        self.line = 1  # at the start of tail
        self.starts: deque[int] = deque()
        self.other = False

    def feed(self, chunk: bytes, final: bool = False) -> None:
        data = self.tail + chunk
        cut = len(data) if final else max(len(data) - self.KEEP, 0)
        if cut and not final and data[cut - 1] == 13:
            cut -= 1  # never between the CR and LF of one line end
        crs = b"\r" in data
        line, last = self.line, 0
        for m in _MARKUP.finditer(data):
            at = m.start()
            if at >= cut:
                break
            if data[at + 1] in (33, 63):  # `<!` or `<?`
                self.other = self.other or self.offset + at >= self.root_at
                continue
            line += _line_ends(data, last, at, crs)
            last = at
            self.starts.append(line)
        self.line = line + _line_ends(data, last, cut, crs)
        self.tail = data[cut:]
        self.offset += cut


def _line_ends(data: bytes, start: int, end: int, crs: bool) -> int:
    n = data.count(b"\n", start, end)
    return n + data.count(b"\r", start, end) - data.count(b"\r\n", start, end) if crs else n


class _Fast:
    """The fast path: the C pull parser (end events only), no line or path bookkeeping per
    element, and no problem ever reported: at the first thing the slow path (:class:`_Stream`)
    would report, or anything unusual, it gives up (:class:`_NotFast`) and the file is read again
    by the slow path, which reports every problem with its line, path, value and expected text.
    A return it completes is the one the slow path gives (tests/test_census_fast.py)."""

    def __init__(self, path: Path, known):
        self.file = str(path)
        self.checker = ReturnChecker(self.file, known)
        self.root = None
        self.blocks: list = []  # the Header and LA-level blocks read (each must be a child of the root)
        self.year = self.reference_date = self.lea = None
        self.la_level: dict[str, float] = {}
        self.first_worker = None
        self.validator = None
        self.n_workers = 0
        self.rows: dict[str, list] = {c: [] for c in COLUMNS}
        self.swenos: list[str] = []

    def read(self, source) -> None:
        head = source.read(CHUNK)
        root_at = _root_offset(head)
        if root_at is None:
            raise _NotFast
        self.lines = _WorkerLines(root_at)
        parser = ET.XMLPullParser(events=("end",))
        chunk = head
        while chunk:
            self.lines.feed(chunk)
            parser.feed(chunk)
            self.root = self._events(parser.read_events()) or self.root
            chunk = source.read(CHUNK)
        self.lines.feed(b"", final=True)
        parser.close()
        self.root = self._events(parser.read_events()) or self.root  # the root's end is the last event
        if self.lines.other or self.lines.starts or self.root is None:
            raise _NotFast
        # What the slow path reads at depth 2 only was read here by tag: it must all be the root's children.
        children = list(self.root)
        if any(not any(c is block for c in children) for block in self.blocks):
            raise _NotFast
        if sum(c.tag == "CSWWWorker" for c in children) != self.n_workers:
            raise _NotFast
        # the skeleton the slow path validates: workers after the first dropped (with their tails)
        self.root[:] = [c for c in children if c.tag != "CSWWWorker" or c is self.first_worker]

    def _events(self, events):
        """Reads the ended elements; returns the last (None if none)."""
        elem = None
        for _, elem in events:
            tag = elem.tag
            if tag == "CSWWWorker":
                self._worker(elem)
            elif tag == "Header":
                self.blocks.append(elem)
                self._header(elem)
            elif tag in LA_BLOCKS:
                self.blocks.append(elem)
                for item in elem:
                    self.la_level[item.tag] = _number(item.text)
        return elem

    def _header(self, elem) -> None:
        year = elem.findtext("CollectionDetails/Year")
        year = year.strip() if year is not None else None
        if self.year is not None or year is None or not year.isdigit() or int(year) not in SCHEMA_YEARS:
            raise _NotFast
        self.year = int(year)
        self.validator = _WorkerValidator(_worker_decl(self.year))
        self.reference_date = date(self.year, 9, 30)
        ref = elem.findtext("CollectionDetails/ReferenceDate")
        if ref is not None and ref.strip()[:10] != self.reference_date.isoformat():
            raise _NotFast
        lea = elem.findtext("Source/LEA")
        self.lea = lea.strip() if lea is not None else None
        if self.checker.header(self.year, self.reference_date, self.lea, None):
            raise _NotFast

    def _worker(self, elem) -> None:
        validator = self.validator
        if validator is None or not self.lines.starts or self.lines.other:
            raise _NotFast
        line = self.lines.starts.popleft()
        self.n_workers += 1
        first = self.first_worker is None
        if first:
            self.first_worker = elem  # stays for the skeleton's validation
        # one pass: the tags (content model), each value's quick check, the values read
        quick, tags, unsure = validator.quick, [False], False
        values: dict[str, object] = {}
        texts: dict[str, str] = {}
        for child in elem:
            tag, raw, tail = child.tag, child.text or "", child.tail
            tags.append(tag)
            if child.attrib or len(child) or (tail and not tail.isspace()):
                unsure = True
                continue
            if not unsure and not first:
                check = quick.get(tag)
                unsure = check is None or not check(raw)
            if tag in values:
                continue  # items that may repeat: the first counts
            text = texts[tag] = raw.strip()
            if tag in DATE_ITEMS:
                values[tag] = _date(text)
            elif tag in NUMBER_ITEMS:
                values[tag] = _number(text)
            else:
                values[tag] = text
        if not first and (unsure or not validator.models.get(tuple(tags))) and validator.errors(elem):
            raise _NotFast
        if elem.attrib or (elem.text and not elem.text.isspace()):
            raise _NotFast
        # No item lines: a problem sends the file to the slow path, and the duplicate-SWENo check
        # orders a SWENo's records by start date, then line: worker lines order them as item lines would.
        if self.checker.worker(values, {}, line, texts):
            raise _NotFast
        rows = self.rows
        rows["line"].append(line)
        self.swenos.append(values.get("SWENo") or f"(no SWENo, line {line})")
        for item, column in _KEPT_ITEMS:
            rows[column].append(values.get(item))
        sex = values.get("Sex") or GENDER_AS_SEX.get(values.get("GenderCurrent"))
        rows["sex"].append(sex or None)
        for item, column in CODE_ITEMS.items():
            rows[column].append(values.get(item) or None)
        if not first:
            elem.clear()  # dropped from the root at the end; memory stays bounded meanwhile

    def finish(self, people: dict[str, int]) -> CensusReturn:
        if self.year is None:
            raise _NotFast
        if any(True for _ in schema(self.year).iter_errors(self.root)) or self.checker.finish():
            raise _NotFast
        # pseudonyms only now, so that a file given up on leaves ``people`` as it was
        self.rows["person"] = [people.setdefault(sweno, len(people)) for sweno in self.swenos]
        la_level = {k: v for k, v in self.la_level.items() if v is not None}
        return CensusReturn(self.file, self.year, self.reference_date, self.lea, la_level, _workers(self.rows))


_KEPT_ITEMS = tuple((DATE_ITEMS | NUMBER_ITEMS).items())


def _workers(rows: dict[str, list]) -> pd.DataFrame:
    workers = pd.DataFrame(rows, columns=COLUMNS)
    for column in DATE_ITEMS.values():
        workers[column] = pd.to_datetime(workers[column])
    for column in NUMBER_ITEMS.values():
        workers[column] = workers[column].astype("float64")
    workers["line"] = workers["line"].astype("int64")
    workers["person"] = workers["person"].astype("int64")
    for column in ("sex", *CODE_ITEMS.values()):
        workers[column] = workers[column].astype("category")
    return workers


def _read_one(path: Path, known: set[str] | None, people: dict[str, int]) -> tuple[CensusReturn | None, list[Problem]]:
    """One file: the fast path, and the slow path when the fast one gives up (a problem, or
    anything it does not read). The garbage collector is off meanwhile: a read makes millions
    of short-lived objects and no reference cycles to collect."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        ret = _read_fast(path, known, people)
        return (ret, []) if ret is not None else _read_slow(path, known, people)
    finally:
        if collecting:
            gc.enable()


def _read_fast(path: Path, known: set[str] | None, people: dict[str, int]) -> CensusReturn | None:
    """The return, or None when the fast path gives up (``people`` is then untouched)."""
    fast = _Fast(path, known)
    try:
        with open(path, "rb") as source:
            fast.read(source)
        return fast.finish(people)
    except (_NotFast, ET.ParseError, OSError):
        return None


def _read_slow(path: Path, known: set[str] | None, people: dict[str, int]) -> tuple[CensusReturn | None, list[Problem]]:
    """One file as the workbench has always read it, every problem reported with its line."""
    stream = _Stream(path, known, people)
    try:
        with open(path, "rb") as source:
            while chunk := source.read(CHUNK):
                stream.parser.feed(chunk)
            stream.parser.close()
    except DefusedXmlException as exc:
        expected = (
            "no DOCTYPE, entity or external reference (a CSWW return has none; refused so that nothing "
            "is expanded or fetched)"
        )
        value = getattr(exc, "name", None) or getattr(exc, "sysid", None)
        return None, [Problem(str(path), stream.expat.CurrentLineNumber, "DOCTYPE", value, expected)]
    except ET.ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        return None, [
            Problem(str(path), line, None, None, f"well-formed XML ({exc.msg if hasattr(exc, 'msg') else exc})")
        ]
    except OSError as exc:
        return None, [Problem(str(path), None, None, None, f"a readable file ({exc.strerror or exc})")]
    ret = stream.finish()
    return (ret if not stream.problems else None), _dedupe(stream.problems)


def _dedupe(problems: list[Problem]) -> list[Problem]:
    """One problem per line and element: DfE's check in plain words wins over the schema's."""
    seen, out = set(), []
    order = sorted(problems, key=lambda p: (p.row is None, p.row or 0))
    semantic = {(p.row, p.column) for p in problems if not p.expected.startswith("(schema)")}
    for p in order:
        key = (p.row, p.column)
        if p.expected.startswith("(schema)") and key in semantic:
            continue
        if (key, p.expected) in seen:
            continue
        seen.add((key, p.expected))
        out.append(p)
    return out


def _reason(err) -> str:
    """The schema's complaint as a short sentence, marked as the schema's."""
    reason = (err.reason or str(err.message)).strip().rstrip(".")
    return f"(schema) {reason}"


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _number(text: str | None) -> float | None:
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


#: Where an authority's census returns sit in its data folder.
CENSUS_FOLDER = "census"


def returns_in_data_folder(folder: Path | str, indicators: Path | str | None = None) -> list[CensusReturn]:
    """The census returns in ``folder``/census (every ``*.xml``), validated; [] when the data
    folder has no census folder. Raises one DataError listing every problem, as :func:`read_returns`."""
    census = Path(folder) / CENSUS_FOLDER
    if not census.is_dir():
        return []
    return read_returns([census], indicators)


def returns_of(returns: list[CensusReturn], codes) -> list[CensusReturn]:
    """The returns whose LEA code is one of ``codes`` (an authority's old LA codes), by year."""
    wanted = {str(c).strip() for c in codes}
    return sorted((r for r in returns if r.lea in wanted), key=lambda r: r.year)
