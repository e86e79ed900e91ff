"""A scanner for published packs: finds any count of 1 to 4 people, and any suppressed count that a
total or difference on the same page gives away. Used by tests/test_disclosure_pack.py.

It reads what a reader reads: every HTML page's tables and sentences, figures.json and the PDF's
text. Charts are drawn from the same suppressed tables, so they are not read pixel by pixel.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from bs4 import BeautifulSoup

MARKER = "[c]"
#: Table headers whose cells count people (or FTE of people).
PEOPLE = re.compile(
    r"^(leavers|employments|applications.*|applied|shortlisted|interviewed|offered|accepted|started|offers"
    r"|in post.*|agency fte|average in post|still in post|caseholders in post|experience known|under two years)$",
    re.IGNORECASE,
)
#: Sentences giving a count of 1 to 4 people, or an FTE of people under 5.
SMALL_IN_WORDS = re.compile(
    r"(?<!to )\b([1-4])[ \u00a0]+(leavers?|people|applications?|applied|shortlisted|interviewed|offered|accepted"
    r"|started|caseholders|managers|staff|candidates|employments)\b"
    r"|(?:agency (?:cover of|staff from)|in post went from)\s+([0-4]\.\d)\b",
    re.IGNORECASE,
)
TOTAL_LABELS = {"All channels", "All teams", "Total"}
COUNT_KEYS = {"leavers", "applications", "starters", "headcount", "in_post_fte", "agency_fte"}


def _number(text: str) -> float | None:
    text = text.replace(",", "").replace("£", "").strip()
    try:
        return float(text)
    except ValueError:
        return None


def _small(value: float | None) -> bool:
    return value is not None and 0 < value < 5


def tables(soup: BeautifulSoup) -> list[list[list[str]]]:
    """Every table of a page as rows of cell texts (header row first)."""
    return [
        [[cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])] for row in table.find_all("tr")]
        for table in soup.find_all("table")
    ]


def scan_table(rows: list[list[str]], where: str) -> list[str]:
    """Small counts in people columns, a lone [c] beside a total row, and small differences between
    'In post a year ago' and 'Still in post'."""
    found = []
    if len(rows) < 2:
        return found
    header, body = rows[0], rows[1:]
    people = [i for i, name in enumerate(header) if PEOPLE.match(name)]
    for row in body:
        for i in people:
            if i < len(row) and _small(_number(row[i])):
                found.append(f"{where}: {header[i]} = {row[i]} in row {row}")
    totals = [r for r in body if r and (r[0] in TOTAL_LABELS or (len(r) > 1 and r[1] in TOTAL_LABELS))]
    if totals and "Team" not in header:
        parts = [r for r in body if r not in totals]
        for i in people:
            if sum(1 for r in parts if i < len(r) and r[i] == MARKER) == 1 and totals[-1][i] != MARKER:
                found.append(f"{where}: one [c] in {header[i]} beside a published total")
    if "Team" in header:  # vacancy by team: teams add up to their area's 'All teams' row
        area, team = header.index("Area"), header.index("Team")
        for i in people:
            for name in {r[area] for r in body if r[area] != "Total"}:
                group = [r for r in body if r[area] == name]
                members = [r[i] for r in group]
                if members.count(MARKER) == 1:
                    found.append(f"{where}: area {name} has one [c] in {header[i]} with its subtotal")
            areas = [r[i] for r in body if r[team] == "All teams"]
            if areas.count(MARKER) == 1:
                found.append(f"{where}: one area [c] in {header[i]} beside the total")
    if "In post a year ago" in header and "Still in post" in header:
        a, b = header.index("In post a year ago"), header.index("Still in post")
        for row in body:
            gap = (_number(row[a]) or 0) - (_number(row[b]) or 0) if MARKER not in (row[a], row[b]) else None
            if _small(gap):
                found.append(f"{where}: {row[a]} in post a year ago and {row[b]} still in post: {gap:g} left")
    return found


def scan_text(text: str, where: str) -> list[str]:
    """Sentences that give a small count of people."""
    return [
        f"{where}: '{m.group(0)}'" for m in SMALL_IN_WORDS.finditer(text) if m.group(1) or _small(_number(m.group(3)))
    ]


def scan_figures(figures, where: str, key: str = "") -> list[str]:
    """figures.json: a count key (leavers, applications, FTE of people) with a value of 1 to 4."""
    if isinstance(figures, dict):
        return [f for k, v in figures.items() for f in scan_figures(v, f"{where}.{k}", k if k in COUNT_KEYS else key)]
    if key and isinstance(figures, (int, float)) and not isinstance(figures, bool) and _small(figures):
        return [f"{where} = {figures}"]
    return []


def scan_pack(folder: Path) -> list[str]:
    """Every disclosure a published pack folder makes (empty when it makes none)."""
    found: list[str] = []
    for page in sorted(folder.glob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for i, rows in enumerate(tables(soup)):
            found += scan_table(rows, f"{page.name} table {i + 1}")
        for table in soup.find_all("table"):
            table.decompose()
        found += scan_text(soup.get_text(" "), page.name)
    found += scan_figures(json.loads((folder / "figures.json").read_text(encoding="utf-8")), "figures.json")
    pdf = folder / "pack.pdf"
    if pdf.exists():
        from pypdf import PdfReader

        text = " ".join(page.extract_text() or "" for page in PdfReader(pdf).pages)
        found += scan_text(text, "pack.pdf")
    return found
