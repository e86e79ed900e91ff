"""Authority names as councils write them, matched to one another and to DfE's names.

"Kent County Council", "kent", "KENT CC" and DfE's "Kent" are the same authority. Matching
ignores case, punctuation, "&"/"and", and the words that say what kind of council it is
(council, county, borough, city, metropolitan, district, royal, London Borough of, CC, MBC...).
"""

from __future__ import annotations

import difflib
import re

_KIND_WORDS = {
    "council",
    "county",
    "city",
    "borough",
    "metropolitan",
    "district",
    "royal",
    "london",
    "of",
    "the",
    "cc",
    "bc",
    "mbc",
    "lbc",
    "la",
}


def canonical(name) -> str:
    """The matching key of an authority name: lower case, no punctuation, no council-kind words,
    words in order ("Bristol, City of" and "City of Bristol Council" are both 'bristol')."""
    words = re.sub(r"[^a-z0-9 ]+", " ", str(name).lower().replace("&", " and ")).split()
    kept = [w for w in words if w not in _KIND_WORDS]
    return " ".join(sorted(kept or words))


def match(name, candidates) -> str | None:
    """The candidate that is the same authority as ``name`` (exact first, then by canonical key)."""
    candidates = [str(c) for c in candidates]
    text = str(name).strip()
    for c in candidates:
        if c == text:
            return c
    key = canonical(text)
    found = [c for c in candidates if canonical(c) == key]
    if len(found) == 1:
        return found[0]
    # "City of London" vs "London": a kind word that is the whole name; prefer the exact lower-case match.
    lower = [c for c in found if c.lower() == text.lower()]
    return lower[0] if lower else (found[0] if found else None)


def closest(name, candidates, n: int = 3) -> list[str]:
    """Up to ``n`` candidates whose names are closest to ``name``, for a 'did you mean' hint."""
    candidates = [str(c) for c in candidates]
    keys = {canonical(c): c for c in candidates}
    near = difflib.get_close_matches(canonical(name), list(keys), n=n, cutoff=0.5)
    return [keys[k] for k in near]


def from_data(pay_scales=None, benchmarks=None) -> str:
    """The authority a data folder belongs to, when no one says: the first authority listed in
    pay_scales.csv (the contract asks for your own first), else the first in benchmarks.csv that
    is not England or a region; '' when neither file is there."""
    for frame in (pay_scales, benchmarks):
        if frame is None or frame.empty:
            continue
        for name in frame["authority"].astype(str):
            if canonical(name) not in _NOT_AUTHORITIES:
                return name
    return ""


_NOT_AUTHORITIES = {
    canonical(n)
    for n in (
        "England",
        "North East",
        "North West",
        "Yorkshire and The Humber",
        "East Midlands",
        "West Midlands",
        "East of England",
        "London",
        "Inner London",
        "Outer London",
        "South East",
        "South West",
    )
}
