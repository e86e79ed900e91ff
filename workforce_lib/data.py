"""Load and validate the CSV files of the data contract, one loader per file.

Council exports are messy: UK dates (day first), ``£`` and thousands separators, ``15.1%``
rates, byte-order marks, Excel's Windows-1252 CSVs, stray blank lines. Each loader reads what
they really contain, normalises it into typed columns and validates it with the file's pandera
schema (:mod:`workforce_lib.contract`). Every problem in a file is collected and raised together
as one :class:`DataError` naming file, spreadsheet row (header = row 1), column, value and what
was expected. A bad file never escapes as a pandas traceback.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.errors

from .contract import FILE_PURPOSE, KIND_EXPECTED, SPECS, FileSpec
from .errors import DataError, MissingFileError, Problem

RESAVE_ADVICE = "In Excel use File > Save As > 'CSV UTF-8 (Comma delimited) (*.csv)'."

#: Limits checked on the bytes before a file is parsed, so a small hostile file cannot take the
#: machine's memory: a council's largest export (a million employments) is about 100 MB.
MAX_FILE_BYTES = 250_000_000
MAX_ROWS = 5_000_000
MAX_COLUMNS = 200
MAX_CELL_CHARS = 10_000
MAX_ROW_CHARS = 100_000
#: Numbers beyond this size are not workforce figures (and 1e308 would make every rate 100%).
MAX_NUMBER = 1e12


def _limit(filename: str, row: int | None, value: str, expected: str) -> DataError:
    return DataError([Problem(filename, row, None, value, expected)])


def guard(raw: bytes, filename: str) -> None:
    """Refuse, before parsing, a file over the size, row, column, row-length or cell-length limits,
    or holding a NUL byte; each is a DataError naming the limit (and the row, where there is one)."""
    if len(raw) > MAX_FILE_BYTES:
        raise _limit(filename, None, f"{len(raw):,} bytes", f"a file of at most {MAX_FILE_BYTES:,} bytes")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or raw[:4096].count(b"\x00") > 4:
        return  # UTF-16: decoding names it, with the advice to re-save
    nul = raw.find(b"\x00")
    if nul >= 0:
        row = raw.count(b"\n", 0, nul) + 1
        raise _limit(filename, row, "a NUL byte", "text without NUL (zero) bytes; the file may be damaged")
    bytes_ = np.frombuffer(raw, dtype=np.uint8)
    ends = np.flatnonzero(bytes_ == 10)
    if len(ends) > MAX_ROWS:
        raise _limit(filename, None, f"{len(ends):,} rows", f"a file of at most {MAX_ROWS:,} rows")
    header_end = int(ends[0]) if len(ends) else len(raw)
    columns = raw.count(b",", 0, header_end) + 1
    if columns > MAX_COLUMNS:
        raise _limit(filename, 1, f"{columns:,} columns", f"a header of at most {MAX_COLUMNS} columns")
    lengths = np.diff(np.concatenate(([-1], ends, [len(raw)])))
    longest = int(lengths.max()) - 1 if len(lengths) else 0
    if longest > MAX_CELL_CHARS:
        for index in np.flatnonzero(lengths - 1 > MAX_CELL_CHARS)[:20]:
            start = -1 if index == 0 else int(ends[index - 1])
            line = raw[start + 1 : start + int(lengths[index])]
            cell = max(len(c) for c in line.split(b","))
            if len(line) > MAX_ROW_CHARS or cell > MAX_CELL_CHARS:
                what = f"a cell of {cell:,} characters" if cell > MAX_CELL_CHARS else f"{len(line):,} characters"
                raise _limit(
                    filename,
                    int(index) + 1,
                    what,
                    f"cells of at most {MAX_CELL_CHARS:,} characters and rows of at most {MAX_ROW_CHARS:,}",
                )


# ---------------------------------------------------------------------------------------------
# Reading text


def _decode(raw: bytes, filename: str) -> str:
    """Decode UTF-8 (with or without BOM) or Excel's Windows-1252; anything else is a DataError."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in raw[:4096]:
        raise DataError(
            [
                Problem(
                    filename,
                    None,
                    None,
                    None,
                    "a CSV file in UTF-8 or Windows-1252; this one is UTF-16 ('Unicode Text'). " + RESAVE_ADVICE,
                )
            ]
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if re.search(rb"[\xc2-\xf4][\x80-\xbf]+", raw):
            # Valid UTF-8 letters and bytes that are not: rows saved by two programs. Guessing would
            # turn one half into nonsense ('Â£'), so it is an error naming the first bad row.
            raise _bad_byte(
                raw, exc, filename, "one encoding in the whole file; this row is not UTF-8 while others are."
            ) from None
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise _bad_byte(raw, exc, filename, "text in UTF-8 or Windows-1252 (Excel's CSV).") from None


def _bad_byte(raw: bytes, exc: UnicodeDecodeError, filename: str, expected: str) -> DataError:
    """The error for a byte that cannot be decoded: its spreadsheet row, the byte, what was expected."""
    row = raw[: exc.start].count(b"\n") + 1
    byte = raw[exc.start : exc.start + 1].hex()
    return DataError([Problem(filename, row, None, f"byte 0x{byte}", f"{expected} {RESAVE_ADVICE}")])


_TOKENIZE_LINE = re.compile(r"line (\d+)")


def read_raw(source: Path | str | bytes, filename: str, unique_header: bool = True) -> pd.DataFrame:
    """Read a CSV as strings, keeping each row's spreadsheet row number as the index.

    Blank lines are dropped, but rows keep the number a spreadsheet shows (header = row 1),
    so every later error can name the row the user sees. A column name given twice (in any
    case) is an error unless ``unique_header`` is False (DfE's files repeat some on purpose).
    """
    raw = source if isinstance(source, bytes) else Path(source).read_bytes()
    fast = _read_clean_utf8(raw)
    if fast is not None:
        return _finish_raw(fast, 0, filename)
    text = _decode(raw, filename)
    lines = text.splitlines()
    leading = 0
    while leading < len(lines) and not lines[leading].strip().strip(","):
        leading += 1
    if leading == len(lines):
        raise DataError([Problem(filename, None, None, None, "a header row and data rows; the file is empty")])
    if unique_header:
        _unique_header(lines[leading], filename, leading + 1)
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            skiprows=leading,
            engine="c",
        )
    except pd.errors.ParserError as exc:
        match = _TOKENIZE_LINE.search(str(exc))
        row = int(match.group(1)) + leading if match else None
        raise DataError(
            [Problem(filename, row, None, None, f"the same number of cells as the header ({exc})")]
        ) from None
    except (pd.errors.EmptyDataError, UnicodeDecodeError, ValueError) as exc:
        raise DataError([Problem(filename, None, None, None, f"a readable CSV file ({exc})")]) from None

    return _finish_raw(frame, leading, filename)


def _unique_header(line: str, filename: str, row: int) -> None:
    """Each column name once, compared as the loader does (case and spaces ignored): two columns
    named 'team' and 'Team' would otherwise silently give one of them."""
    import csv

    names = [n.strip().lower() for n in next(csv.reader([line]), [])]
    seen: set[str] = set()
    for name in names:
        if name and name in seen:
            raise DataError(
                [Problem(filename, row, name, None, "each column name once (names are compared ignoring case)")]
            )
        seen.add(name)


def _read_clean_utf8(raw: bytes) -> pd.DataFrame | None:
    """The fast path: a plain UTF-8 file with no blank lines, read by Arrow's multi-threaded CSV
    reader into Arrow-backed strings (about five times faster than pandas' C engine at a million
    rows). Anything else (a byte-order mark, Windows-1252, blank lines, which would shift the row
    numbers, repeated or ragged header names, rows of the wrong length) returns None and goes the
    careful way, which names the problem and the spreadsheet row."""
    import pyarrow as pa

    header = _clean_utf8_header(raw)
    if header is None:
        return None
    table = _arrow_read(raw, header, {h: pa.large_string() for h in header}, blanks_are_null=False)
    if table is None:
        return None
    frame = table.to_pandas(types_mapper={pa.large_string(): pd.StringDtype("pyarrow")}.get)
    frame.columns = header
    return frame


def _arrow_read(raw: bytes, header: list[str], column_types: dict, blanks_are_null: bool):
    """Arrow's multi-threaded CSV reader over the rows under ``header``, each column of the type
    given (text as large strings: what pandas' Arrow strings hold); None when a row does not fit
    (ragged, a value not of its type), so the caller goes the careful way."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    try:
        return pacsv.read_csv(
            pa.py_buffer(raw),
            read_options=pacsv.ReadOptions(column_names=header, skip_rows=1),
            convert_options=pacsv.ConvertOptions(
                column_types=column_types,
                null_values=[""] if blanks_are_null else [],
                strings_can_be_null=blanks_are_null,
                quoted_strings_can_be_null=blanks_are_null,
            ),
            parse_options=pacsv.ParseOptions(newlines_in_values=False, ignore_empty_lines=False),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError, ValueError):
        return None


def _text_values(column):
    """Text for validation: categories when it holds few distinct values (teams, roles: cheap to
    check, made plain text afterwards by :func:`_plain_text`), Python strings otherwise (identifiers,
    where building categories costs more than it saves). Arrow nulls become missing."""
    import pyarrow.compute as pc

    sample = column.slice(0, 10_000)
    if len(pc.unique(sample)) * 10 <= len(sample):
        return pc.dictionary_encode(column).to_pandas().array
    return column.to_numpy(zero_copy_only=False)


def _clean_utf8_header(raw: bytes, blank_lines_matter: bool = True) -> list[str] | None:
    """The header cells of a plain UTF-8 file with no blank lines and a simple, unique header;
    None for anything the careful reader should see. (A typed read need not look for blank lines:
    one in a file of several columns is a ragged row to Arrow, which sends the file the careful way.)"""
    if raw.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")) or b"\x00" in raw[:4096]:
        return None  # a byte-order mark, or UTF-16
    if not raw.isascii():
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            return None  # Windows-1252: decoded the careful way
    end = len(raw)  # (searched in place: copying a 100 MB file costs more than reading it)
    while end and raw[end - 1 : end] in (b"\r", b"\n"):
        end -= 1
    if not raw[:4096].strip() or raw.startswith((b"\n", b"\r")):
        return None  # empty, or a blank first line
    if blank_lines_matter and (raw.find(b"\n\n", 0, end) >= 0 or raw.find(b"\n\r\n", 0, end) >= 0):
        return None  # blank lines, which would shift the spreadsheet row numbers
    if blank_lines_matter and raw.find(b"\r", 0, end) >= 0 and raw.count(b"\r", 0, end) != raw.count(b"\r\n", 0, end):
        return None  # old Mac line ends
    newline = raw.find(b"\n")
    first = raw[: newline if newline >= 0 else end].rstrip(b"\r").decode("utf-8")
    header = first.split(",")
    names = [h.strip().lower() for h in header]
    if len(set(names)) != len(names) or '"' in first or not all(names):
        return None
    return header


def _finish_raw(frame: pd.DataFrame, leading: int, filename: str) -> pd.DataFrame:
    """Header names, spreadsheet row numbers, unnamed empty columns and blank rows, for either reader."""
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    # Excel sometimes saves trailing empty columns: drop unnamed columns that hold nothing.
    unnamed = [c for c in frame.columns if c.startswith("unnamed:") and not frame[c].str.strip().any()]
    frame = frame.drop(columns=unnamed)
    frame.index = pd.RangeIndex(leading + 2, leading + 2 + len(frame), name="row")
    if len(frame.columns):
        # Only rows whose first cell is blank can be blank rows: check the rest on those alone.
        candidates = frame[_blank(frame.iloc[:, 0])]
        if len(candidates):
            blank = (candidates.apply(_strip) == "").all(axis=1)
            frame = frame.drop(index=blank[blank].index)
    if frame.empty:
        raise DataError([Problem(filename, None, None, None, "at least one data row under the header")])
    return frame


# ---------------------------------------------------------------------------------------------
# Normalising values


def _strip(s: pd.Series) -> pd.Series:
    """Strip spaces from every cell, vectorised: Arrow's kernel for Arrow-backed strings, numpy's
    string functions otherwise (pandas' .str is a Python loop on object columns: ten times slower
    at a million rows). The result holds Python strings (object), as the parsers expect."""
    if not isinstance(s.dtype, pd.StringDtype):
        # Arrow strings, not numpy's fixed-width ones: one long cell must not cost its length times
        # every row in memory.
        s = s.astype(pd.StringDtype("pyarrow"))
    return s.str.strip().astype(object)


def _blank(s: pd.Series) -> np.ndarray:
    """Which cells are blank or only spaces (on the Arrow side for Arrow-backed strings)."""
    if isinstance(s.dtype, pd.StringDtype):
        return (s.str.strip() == "").to_numpy(dtype=bool)
    return (_strip(s) == "").to_numpy(dtype=bool)


def _strip_and_mark(s: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Stripped cells (Python strings) and which of them are not blank (Arrow-backed columns go
    through :func:`_normalise_arrow` instead)."""
    text = _strip(s)
    return text, (text != "").to_numpy(dtype=bool)


_ISO_DATE = r"\d{4}-\d{1,2}-\d{1,2}(?:[ T]00:00(?::00)?)?"
_UK_DATE = r"\d{1,2}/\d{1,2}/\d{4}"
_MONTH = r"\d{4}-\d{1,2}"


def _parse_dates(s: pd.Series, filled: np.ndarray) -> pd.Series:
    out = pd.to_datetime(s, format="%Y-%m-%d", errors="coerce").astype("datetime64[ns]")
    rest = out.isna() & filled
    if not rest.any():
        return out
    s = s[rest]
    iso = s.str.fullmatch(_ISO_DATE)
    if iso.any():
        out.loc[iso[iso].index] = pd.to_datetime(s[iso].str.slice(0, 10), format="%Y-%m-%d", errors="coerce")
    uk = s.str.fullmatch(_UK_DATE)
    if uk.any():
        out.loc[uk[uk].index] = pd.to_datetime(s[uk], format="%d/%m/%Y", errors="coerce")
    return out


def _parse_months(s: pd.Series) -> pd.Series:
    out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
    month = s.str.fullmatch(_MONTH)
    if month.any():
        out[month] = pd.to_datetime(s[month] + "-01", format="%Y-%m-%d", errors="coerce")
    return out


def _parse_numbers(s: pd.Series, filled: np.ndarray, *, pounds: bool, percent: bool) -> pd.Series:
    fast = pd.to_numeric(s.where(filled), errors="coerce").astype("float64")
    # to_numeric also takes 'inf', 'nan', '1e5' and 400 digits: those, huge values and anything it
    # could not read go the careful way, which takes plain decimals only.
    rest = (fast.isna() & filled) | ~(fast.abs() <= MAX_NUMBER) & filled
    if not rest.any():
        return fast
    fast.loc[rest[rest].index] = _parse_numbers_carefully(s[rest], pounds=pounds, percent=percent)
    return fast


def _parse_numbers_carefully(s: pd.Series, *, pounds: bool, percent: bool) -> pd.Series:
    cleaned = s.str.replace(",", "", regex=False).str.replace(" ", "", regex=False)
    if pounds:
        cleaned = cleaned.str.replace(r"^(-?)£", r"\1", regex=True)
    is_pct = cleaned.str.endswith("%") if percent else pd.Series(False, index=s.index)
    if percent:
        cleaned = cleaned.str.removesuffix("%")
    # Only plain decimal numbers: to_numeric alone would also take 'inf', 'nan' and '1e5'.
    plain = cleaned.str.fullmatch(r"[-+]?(?:\d+\.?\d*|\.\d+)")
    values = pd.to_numeric(cleaned.where(plain), errors="coerce").astype("float64")
    values = values.where(values.abs() <= MAX_NUMBER)  # 400 digits would be inf; a problem instead
    return values.where(~is_pct, values / 100)


def _normalise_column(s: pd.Series, kind: str, filled: np.ndarray | None = None) -> pd.Series:
    """Typed values of one stripped text column; ``filled`` marks its non-blank cells."""
    if filled is None:
        filled = (s != "").to_numpy(dtype=bool)
    if kind == "text":
        return s.where(filled, None).astype(object)
    if kind == "date":
        return _parse_dates(s, filled)
    if kind == "month":
        return _parse_months(s)
    if kind == "number":
        return _parse_numbers(s, filled, pounds=False, percent=False)
    if kind == "money":
        return _parse_numbers(s, filled, pounds=True, percent=False)
    if kind == "rate":
        return _parse_numbers(s, filled, pounds=False, percent=True)
    if kind == "amount":
        return _parse_numbers(s, filled, pounds=True, percent=True)
    if kind == "integer":
        values = _parse_numbers(s, filled, pounds=False, percent=False)
        # A count is written in digits: '1e5' is not a whole number of applications.
        digits = ~s.where(filled, "").astype(str).str.contains("[eE]", regex=True)
        whole = values.isna() | ((values == values.round()) & digits)
        return values.where(whole).astype("Int64")
    raise ValueError(f"unknown column kind {kind!r}")


_ARROW_NUMBER = r"^-?\d+(?:\.\d+)?$"  # what Arrow's cast reads exactly as pandas does; the rest goes the careful way
_NUMBER_KINDS = {"number": (False, False), "money": (True, False), "rate": (False, True), "amount": (True, True)}


def _iso_dates(strings) -> tuple[np.ndarray, np.ndarray]:
    """Zero-padded ISO dates (2011-04-01) read straight from an Arrow text column's bytes, and which
    cells were such a date. Every cell is checked digit by digit and against the length of its
    month, so an impossible date (2009-02-30, which Arrow's own parser rolls over to 2 March) is
    not one; those cells, and other forms (2009-1-5, 31/03/2011), go the careful way."""
    import pyarrow as pa

    if isinstance(strings, pa.ChunkedArray):
        strings = strings.combine_chunks()
    n = len(strings)
    values = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    ok = np.zeros(n, dtype=bool)
    if n == 0:
        return values, ok
    offset_type = np.int64 if pa.types.is_large_string(strings.type) else np.int32
    offsets = np.frombuffer(strings.buffers()[1], dtype=offset_type)[strings.offset : strings.offset + n + 1]
    valid = strings.is_valid().to_numpy(zero_copy_only=False)
    candidate = valid & (np.diff(offsets) == 10)
    if not candidate.any():
        return values, ok
    data = np.frombuffer(strings.buffers()[2], dtype=np.uint8)
    lengths = np.diff(offsets)
    if np.all((lengths == 10) | (lengths == 0)):
        # The usual file: every date cell is 10 bytes, so the cells lie end to end in the buffer.
        tens = lengths == 10
        cells = data[offsets[0] : offsets[-1]].reshape(-1, 10)
        if not np.array_equal(candidate, tens):
            cells = cells[candidate[tens]]
    else:
        starts = offsets[:-1][candidate].astype(np.int64)
        cells = data[starts[:, None] + np.arange(10)]  # one row of 10 bytes per cell

    def digit(i: int) -> np.ndarray:
        return cells[:, i] - np.uint8(48)  # a byte that is not 0-9 wraps round to more than 9

    shape_ok = (cells[:, 4] == 45) & (cells[:, 7] == 45)  # the dashes
    parts = {i: digit(i) for i in (0, 1, 2, 3, 5, 6, 8, 9)}
    for part in parts.values():
        shape_ok &= part <= 9
    p = {i: part.astype(np.int32) for i, part in parts.items()}
    year = p[0] * 1000 + p[1] * 100 + p[2] * 10 + p[3]
    month = p[5] * 10 + p[6]
    day = p[8] * 10 + p[9]
    shape_ok &= (year >= 1678) & (year <= 2261) & (month >= 1) & (month <= 12) & (day >= 1)
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    month_length = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])[np.clip(month, 1, 12) - 1]
    good = shape_ok & (day <= month_length + (leap & (month == 2)))
    # Days since 1970-01-01 from year, month, day (H. Hinnant's days_from_civil), then nanoseconds.
    y = year - (month <= 2)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (month + np.where(month > 2, -3, 9)) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    days = era * 146097 + doe - 719468
    dates = (days.astype(np.int64) * 86_400_000_000_000).view("datetime64[ns]")
    if good.all() and candidate.all():
        return dates, np.ones(n, dtype=bool)
    where = np.flatnonzero(candidate)[good]
    values[where] = dates[good]
    ok[where] = True
    return values, ok


def _normalise_arrow(s: pd.Series, kind: str):
    """Typed values of an Arrow-backed text column, parsed by Arrow's compute kernels where the
    value is in the common form (2011-04-01, 26422.5) and by :func:`_normalise_column` for the
    rest (UK dates, £ and %, thousands separators), so both give the same values. Text columns
    with few distinct values come back categorical (cheap to check; made plain text after
    validation); identifiers come back as plain text.

    Returns the values, which cells are not blank, and a function giving the stripped text of
    the cells a mask picks (for error messages).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    array = pa.array(s.array)
    # ASCII text (most exports) takes the cheaper ASCII kernel; both strip what str.strip() does.
    ascii_only = pc.all(pc.string_is_ascii(array)).as_py() is not False
    stripped = pc.ascii_trim_whitespace(array) if ascii_only else pc.utf8_trim_whitespace(array)
    filled_arrow = pc.not_equal(stripped, "")
    filled = filled_arrow.to_numpy(zero_copy_only=False)
    index = s.index

    def text_at(mask: np.ndarray) -> pd.Series:
        return pd.Series(stripped.filter(pa.array(mask)).to_pylist(), index=index[mask], dtype=object)

    null = pa.scalar(None, pa.string())
    if kind == "text":
        return pd.Series(_text_values(pc.if_else(filled_arrow, stripped, null)), index=index), filled, text_at
    if kind == "date":
        dates, _ = _iso_dates(stripped)  # cells that are not plain ISO dates are NaT: the careful way decides
        values = pd.Series(dates, index=index)
    elif kind in _NUMBER_KINDS or kind == "integer":
        plain = pc.match_substring_regex(stripped, _ARROW_NUMBER)
        numbers = pc.cast(pc.if_else(plain, stripped, null), pa.float64())
        values = pd.Series(numbers.to_numpy(zero_copy_only=False), index=index, dtype="float64")
        values = values.where(values.abs() <= MAX_NUMBER)  # 400 digits: the careful way rejects it
    else:
        text = text_at(np.ones(len(s), dtype=bool))
        return _normalise_column(text, kind, filled), filled, text_at
    rest = filled & values.isna().to_numpy()
    if rest.any():
        careful = "number" if kind == "integer" else kind
        values.loc[index[rest]] = _normalise_column(text_at(rest), careful).to_numpy()
    if kind == "integer":
        # A count is written in digits: '1e5' is not a whole number of applications.
        digits = ~pc.match_substring_regex(stripped, "[eE]").to_numpy(zero_copy_only=False)
        whole = values.isna() | ((values == values.round()) & digits)
        values = values.where(whole).astype("Int64")
    return values, filled, text_at


def _plain_text(categories: pd.Categorical) -> np.ndarray:
    """Categorical text as Python strings, None where blank (as the careful path gives)."""
    out = np.empty(len(categories), dtype=object)  # filled with None
    codes = categories.codes
    known = codes >= 0
    out[known] = np.asarray(categories.categories, dtype=object)[codes[known]]
    return out


def normalise(raw: pd.DataFrame, spec: FileSpec, filename: str | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Turn the raw strings of a contract file into typed columns; report values that do not parse."""
    filename = filename or spec.filename
    problems: list[Problem] = []
    frame = raw.copy()
    for name, col in spec.columns.items():
        if name not in frame.columns:
            continue
        if isinstance(raw[name].dtype, pd.StringDtype):
            values, filled, text_at = _normalise_arrow(raw[name], col.kind)
        else:
            text, filled = _strip_and_mark(raw[name])
            values = _normalise_column(text, col.kind, filled)
            text_at = text.__getitem__
        bad = filled & values.isna().to_numpy()
        if bad.any():
            for row, value in text_at(bad).items():
                problems.append(Problem(filename, int(row), name, value, KIND_EXPECTED[col.kind]))
        frame[name] = values.array  # same rows in the same order: no need to align the index
    for name in frame.columns:  # columns outside the contract stay text, as Python strings
        if isinstance(frame[name].dtype, pd.StringDtype):
            frame[name] = frame[name].astype(object)
    return frame, problems


# ---------------------------------------------------------------------------------------------
# Validating with pandera


def _value_at(raw: pd.DataFrame, row: int | None, columns: tuple[str, ...]) -> str | None:
    if row is None or row not in raw.index:
        return None
    present = [c for c in columns if c in raw.columns]
    if not present:
        return None
    return " / ".join(str(raw.at[row, c]) for c in present)


def _schema_problems(
    exc: pandera.errors.SchemaErrors, raw: pd.DataFrame, spec: FileSpec, already: set, filename: str
) -> list[Problem]:
    problems: list[Problem] = []
    cases = exc.failure_cases
    for case in cases.itertuples(index=False):
        check = str(case.check)
        column = None if pd.isna(case.column) else str(case.column)
        index = None if pd.isna(case.index) else int(case.index)
        if check == "column_in_dataframe":
            missing = str(case.failure_case)
            problems.append(Problem(filename, 1, missing, None, f"a column named {missing} in the header row"))
        elif check == "not_nullable":
            if (index, column) not in already:
                problems.append(Problem(filename, index, column, "", "a value (this column may not be blank)"))
        elif case.schema_context == "DataFrameSchema" and check in spec.rules:
            # A rule over several columns: pandera reports it once per column; we report it once.
            rule = spec.rules[check]
            problems.append(
                Problem(
                    filename,
                    index,
                    ", ".join(rule.columns),
                    _value_at(raw, index, rule.columns),
                    rule.expected,
                )
            )
        elif (index, column) not in already:
            problems.append(Problem(filename, index, column, _value_at(raw, index, (column,)), check))
    # One line per (row, column, expectation), ordered as the user reads the file.
    unique = {(p.row or 0, p.column or "", p.expected): p for p in problems}
    return [unique[k] for k in sorted(unique, key=lambda k: (k[0], k[1], k[2]))]


def parse_frame(raw: pd.DataFrame, name: str, filename: str | None = None) -> pd.DataFrame:
    """Normalise and validate raw strings as contract file ``name``; raise DataError on any problem."""
    spec, schema = SPECS[name]
    filename = filename or spec.filename
    frame, problems = normalise(raw, spec, filename)
    already = {(p.row, p.column) for p in problems}
    try:
        schema.validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        problems.extend(_schema_problems(exc, raw, spec, already, filename))
    except pandera.errors.SchemaError as exc:  # pragma: no cover - lazy mode collects all
        problems.append(Problem(filename, None, None, None, str(exc)))
    if problems:
        problems.sort(key=lambda p: (p.row or 0, p.column or ""))
        raise DataError(problems)
    return _finish_frame(frame, spec)


def _finish_frame(frame: pd.DataFrame, spec: FileSpec) -> pd.DataFrame:
    """A validated frame as the analyses take it: rows numbered from 0, text as Python strings,
    optional columns that the file left out present and blank."""
    frame = frame.reset_index(drop=True)
    for column in frame.columns:  # text checked as categories (fast) is handed on as plain text
        if isinstance(frame[column].dtype, pd.CategoricalDtype):
            frame[column] = _plain_text(frame[column].array)
    for column, col in spec.columns.items():
        if col.optional and column not in frame.columns:
            frame[column] = pd.Series(pd.NaT if col.kind in ("date", "month") else None, index=frame.index)
    return frame


#: Kinds Arrow reads as numbers while it reads the file (dates are read as text and checked by _iso_dates).
_ARROW_NUMBER_KINDS = {"number", "money", "rate", "amount", "integer"}


def _typed_fast_load(raw: bytes, name: str) -> pd.DataFrame | None:
    """The quickest path, for a clean file in the usual forms (ISO dates, plain numbers, no stray
    spaces): Arrow's reader parses every column to its type as it reads, then the frame is
    validated. The first sign of anything else (a UK date, a £ or %, a space, a blank row, a value
    the contract rejects) returns None, and the file is read again the careful way, which gives
    the same values and names every problem with its spreadsheet row."""
    import pyarrow as pa
    import pyarrow.compute as pc

    spec, schema = SPECS[name]
    header = _clean_utf8_header(raw, blank_lines_matter=False)
    if header is None or len(header) < 2:
        return None
    names = [h.strip().lower() for h in header]
    kinds = {h: spec.columns[n].kind if n in spec.columns else "text" for h, n in zip(header, names, strict=True)}
    if "month" in kinds.values():
        return None
    types = {
        h: pa.int64() if k == "integer" else pa.float64() if k in _ARROW_NUMBER_KINDS else pa.large_string()
        for h, k in kinds.items()
    }
    table = _arrow_read(raw, header, types, blanks_are_null=True)
    if table is None or table.num_rows == 0:
        return None
    blank_row = None
    columns: dict[str, object] = {}
    for h, n in zip(header, names, strict=True):
        column = table.column(h).combine_chunks()
        missing = pc.is_null(column)
        blank_row = missing if blank_row is None else pc.and_(blank_row, missing)
        kind = kinds[h]
        if kind == "text":
            # Spaces around a value (or a cell of spaces) are stripped the careful way.
            if pc.any(pc.not_equal(column, pc.utf8_trim_whitespace(column))).as_py():
                return None
            columns[n] = _text_values(column)
        elif kind == "date":
            dates, ok = _iso_dates(column)
            if not np.all(ok | missing.to_numpy(zero_copy_only=False)):
                return None  # a date not in zero-padded ISO form, or one that does not exist
            columns[n] = dates
        else:
            values = column.to_numpy(zero_copy_only=False).astype("float64")
            present = values[~missing.to_numpy(zero_copy_only=False)]
            if not np.isfinite(present).all() or (np.abs(present) > MAX_NUMBER).any():
                return None  # 'inf', 'nan' or a huge value as text: the careful way rejects them
            if kind == "integer":
                if not np.all(np.isnan(values) | (values == np.round(values))):
                    return None
                values = pd.array(values, dtype="Int64")
            columns[n] = values
    if pc.any(blank_row).as_py():
        return None  # a row of empty cells: the careful way drops it and keeps row numbers
    frame = pd.DataFrame(columns, index=pd.RangeIndex(2, 2 + table.num_rows, name="row"), copy=False)
    try:
        schema.validate(frame, lazy=True)
    except (pandera.errors.SchemaErrors, pandera.errors.SchemaError):
        return None
    return _finish_frame(frame, spec)


def parse_bytes(raw: bytes, name: str, filename: str | None = None) -> pd.DataFrame:
    """Parse and validate the bytes of contract file ``name``: the typed fast path when the file
    is clean, the careful way (same values, every problem named) otherwise."""
    guard(raw, filename or SPECS[name][0].filename)
    frame = _typed_fast_load(raw, name)
    if frame is not None:
        return frame
    filename = filename or SPECS[name][0].filename
    return parse_frame(read_raw(raw, filename), name, filename)


def load_file(path: Path | str, name: str) -> pd.DataFrame:
    """Load one contract file (``name`` is its Dataset attribute, e.g. ``"staffing"``)."""
    spec, _ = SPECS[name]
    path = Path(path)
    filename = path.name
    if not path.exists():
        raise MissingFileError([Problem(filename, None, None, None, f"the file at {path}")])
    return parse_bytes(path.read_bytes(), name, filename)


def load_staffing(path: Path | str) -> pd.DataFrame:
    """Load staffing.csv: establishment, in post and agency FTE per team, role group and date."""
    return load_file(path, "staffing")


def load_staffing_trend(path: Path | str) -> pd.DataFrame:
    """Load staffing_trend.csv: monthly totals of in post, overseas and agency FTE."""
    return load_file(path, "staffing_trend")


def load_staff(path: Path | str) -> pd.DataFrame:
    """Load staff.csv: one row per employment (pseudonymised person-level HR records)."""
    return load_file(path, "staff")


def load_recruitment_plan(path: Path | str) -> pd.DataFrame:
    """Load recruitment_plan.csv: planned hires per year, role group and source."""
    return load_file(path, "recruitment_plan")


def load_pay_scales(path: Path | str) -> pd.DataFrame:
    """Load pay_scales.csv: salary ranges of this authority and its comparators."""
    return load_file(path, "pay_scales")


def load_pay_supplements(path: Path | str) -> pd.DataFrame:
    """Load pay_supplements.csv: extras on top of salary (annual, one-off, % of basic)."""
    return load_file(path, "pay_supplements")


def load_campaign(path: Path | str) -> pd.DataFrame:
    """Load campaign.csv: weekly visitors, clicks, applications and spend per channel and advert."""
    return load_file(path, "campaign")


def load_funnel(path: Path | str) -> pd.DataFrame:
    """Load funnel.csv: counts at each selection stage per period, role and source."""
    return load_file(path, "funnel")


def load_cost_proposals(path: Path | str) -> pd.DataFrame:
    """Load cost_proposals.csv: pay proposals with eligible WTE, amount and basis."""
    return load_file(path, "cost_proposals")


def load_benchmarks(path: Path | str) -> pd.DataFrame:
    """Load benchmarks.csv: published turnover, vacancy and agency rates of peers."""
    return load_file(path, "benchmarks")


# ---------------------------------------------------------------------------------------------
# A whole data folder


@dataclass(frozen=True)
class SourceFile:
    """Provenance of one loaded file: where it came from, how many rows, its SHA-256."""

    name: str
    path: str
    rows: int
    sha256: str
    date_range: tuple[str, str] | None


def source_file(path: Path, date_range: tuple[str, str] | None = None) -> SourceFile:
    """Provenance of a file as it is on disk: rows under the header (non-blank lines) and SHA-256.
    A file over :data:`MAX_FILE_BYTES` is not read: 0 rows and the hash of nothing."""
    raw = path.read_bytes() if path.stat().st_size <= MAX_FILE_BYTES else b""
    rows = max(0, sum(1 for line in raw.splitlines() if line.strip()) - 1)
    return SourceFile(path.name, str(path), rows, hashlib.sha256(raw).hexdigest(), date_range)


@dataclass
class Dataset:
    """The contract files found in one data folder; a file not present is None."""

    folder: Path
    staffing: pd.DataFrame | None = None
    staffing_trend: pd.DataFrame | None = None
    staff: pd.DataFrame | None = None
    recruitment_plan: pd.DataFrame | None = None
    pay_scales: pd.DataFrame | None = None
    pay_supplements: pd.DataFrame | None = None
    campaign: pd.DataFrame | None = None
    funnel: pd.DataFrame | None = None
    cost_proposals: pd.DataFrame | None = None
    benchmarks: pd.DataFrame | None = None
    role_groups: pd.DataFrame | None = None
    sources: dict[str, SourceFile] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    failed: dict[str, DataError] = field(default_factory=dict)  # files left out for their problems

    def require(self, name: str, purpose: str = "") -> pd.DataFrame:
        """The frame for contract file ``name``, or a 'not available' error saying in plain words
        which file this section needs and what for (``purpose``, e.g. "to show turnover")."""
        if name not in SPECS:
            raise ValueError(f"{name!r} is not a contract file; known: {', '.join(SPECS)}")
        frame = getattr(self, name)
        if frame is None and name in self.failed:
            raise self.failed[name]
        if frame is None:
            raise missing_file(name, purpose)
        return frame

    def provenance(self) -> list[SourceFile]:
        """Every file loaded, with row count and SHA-256, in contract order."""
        return [self.sources[n] for n in SPECS if n in self.sources]


def missing_file(name: str, purpose: str = "") -> MissingFileError:
    """The 'not available' error for a missing contract file: "Not available: this section needs
    staff.csv (one row per employment) to show turnover and retention." No local path."""
    filename = SPECS[name][0].filename
    sentence = f"Not available: this section needs {filename} ({FILE_PURPOSE[name]})"
    sentence += f" {purpose.strip()}." if purpose else "."
    problem = Problem(filename, None, None, None, "the file in the data folder (see the data contract for its columns)")
    return MissingFileError([problem], sentence)


def _role_warnings(dataset: Dataset) -> list[Problem]:
    """A warning for every role title that neither role_groups.csv nor a default rule maps."""
    from .roles import unmapped_titles

    warnings = []
    for name in ("staff",):
        frame = getattr(dataset, name)
        if frame is None:
            continue
        for row in unmapped_titles(frame, dataset.role_groups).itertuples(index=False):
            warnings.append(
                Problem(
                    SPECS[name][0].filename,
                    None,
                    "role",
                    row.role,
                    f"a title role_groups.csv or a default rule maps to caseholder, manager or other "
                    f"({row.rows:,} row{'s' if row.rows != 1 else ''} counted as 'other')",
                )
            )
    return warnings


def _date_range(frame: pd.DataFrame, spec: FileSpec) -> tuple[str, str] | None:
    values = [frame[c].dropna() for c in spec.date_columns if c in frame.columns]
    values = [v for v in values if len(v)]
    if not values:
        return None
    combined = pd.concat(values)
    return combined.min().date().isoformat(), combined.max().date().isoformat()


def load_dataset(folder: Path | str, strict: bool = True) -> Dataset:
    """Load every contract file present in ``folder``.

    ``strict`` (validate, and any caller that needs every file): problems in all files are raised
    together. Not strict (pack sections): a file with problems is left out and its DataError kept,
    so a section fails only for the files it reads: :meth:`Dataset.require` raises that file's
    error, and ``warnings`` counts its problems for the pack's index.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise MissingFileError([Problem(folder.name, None, None, None, "a folder holding the contract CSV files")])
    dataset = Dataset(folder=folder)
    problems: list[Problem] = []
    for name, (spec, _) in SPECS.items():
        path = folder / spec.filename
        if not path.is_file():
            continue
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:  # refused before it is read into memory
            error = _limit(spec.filename, None, f"{size:,} bytes", f"a file of at most {MAX_FILE_BYTES:,} bytes")
            problems.extend(error.problems)
            dataset.failed[name] = error
            continue
        raw_bytes = path.read_bytes()
        try:
            frame = parse_bytes(raw_bytes, name)
        except DataError as exc:
            problems.extend(exc.problems)
            dataset.failed[name] = exc
            continue
        setattr(dataset, name, frame)
        dataset.sources[name] = SourceFile(
            name=spec.filename,
            path=str(path),
            rows=len(frame),
            sha256=hashlib.sha256(raw_bytes).hexdigest(),
            date_range=_date_range(frame, spec),
        )
    if problems and strict:
        raise DataError(problems)
    if dataset.staff is not None:
        from .roles import with_role_group

        dataset.warnings = _role_warnings(dataset)
        dataset.staff = with_role_group(dataset.staff, dataset.role_groups)
    for name, error in dataset.failed.items():
        n = len(error.problems)
        dataset.warnings.append(
            Problem(
                SPECS[name][0].filename,
                None,
                None,
                None,
                f"a file that meets the data contract: {n} problem{'s' if n != 1 else ''}, so it was not used "
                "(run workforce validate on the data folder)",
            )
        )
    if not dataset.sources and not dataset.failed:
        raise MissingFileError(
            [Problem(folder.name, None, None, None, "at least one contract CSV file (staffing.csv, staff.csv, ...)")]
        )
    return dataset
