"""The pack's one-page summary: every headline figure with its target, status and change since the last pack.

The previous packs' figures are kept beside the pack in ``history.json`` (one entry per render,
newest last, at most :data:`HISTORY_LIMIT`), so the change is measured against the pack the
committee saw last time, whatever has happened to the data folder since.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..headlines import Headline, change_since, section_headlines, section_period

HISTORY_FILE = "history.json"
#: Renders kept in the history (a monthly pack keeps ten years).
HISTORY_LIMIT = 120


@dataclass(frozen=True)
class SummaryRow:
    """One row of the summary table."""

    section: str  # the section's name (its page is <section>.html)
    section_title: str
    headline: Headline
    change: str

    @property
    def key(self) -> str:
        return f"{self.section}/{self.headline.key}"


@dataclass(frozen=True)
class SectionLine:
    """One line of the contents: the section, its status, the date its figures describe, why not shown."""

    name: str
    title: str
    status: str
    period: str
    why: str


def summary_rows(
    sections: list[tuple[str, str, dict]], previous: dict | None = None, parameters: dict[str, dict] | None = None
) -> list[SummaryRow]:
    """The summary's rows from (name, title, figures) of each section, in pack order.

    Only figures marked as headlines are shown. A figure that several sections record alike (both
    vacancy sections carry the caseholder and manager rates) is shown once: under the section whose
    settings name it (``parameters``: the manager rate under the section run for managers), else
    under the first. ``previous`` maps 'section/key' to the value in the last pack
    (:func:`previous_values`)."""
    parameters = parameters or {}
    candidates: dict[tuple[str, str], list[tuple[str, str, Headline]]] = {}
    for name, title, figures in sections:
        for headline in section_headlines(name, figures or {}):
            if headline.headline:
                candidates.setdefault((headline.label, headline.shown), []).append((name, title, headline))
    chosen: set[tuple[str, str]] = set()
    for found in candidates.values():
        named = [
            (name, h.key)
            for name, _title, h in found
            if any(str(v) in h.key.split(".") for v in parameters.get(name, {}).values() if isinstance(v, str))
        ]
        chosen.add(named[0] if named else (found[0][0], found[0][2].key))
    rows: list[SummaryRow] = []
    for name, title, figures in sections:
        for headline in section_headlines(name, figures or {}):
            if headline.headline and (name, headline.key) in chosen:
                key = f"{name}/{headline.key}"
                change = change_since(headline, previous.get(key)) if previous is not None else ""
                rows.append(SummaryRow(name, title, headline, change))
    return rows


def grouped(rows: list[SummaryRow]) -> list[tuple[str, str, list[SummaryRow]]]:
    """The rows by section, in pack order: (section name, title, rows)."""
    groups: list[tuple[str, str, list[SummaryRow]]] = []
    for row in rows:
        if not groups or groups[-1][0] != row.section:
            groups.append((row.section, row.section_title, []))
        groups[-1][2].append(row)
    return groups


def section_lines(runs) -> list[SectionLine]:
    """The contents: each run's name, title, status, the date its figures describe and, if it did
    not run, the plain sentence why."""
    return [
        SectionLine(r.name, r.title, r.status, section_period(r.figures or {}), _reason(r.error or ""))
        for r in runs
    ]


def _reason(error: str) -> str:
    """Why a section is not shown, without the 'Not available:' its status already says."""
    return error[len("Not available: ") :] if error.startswith("Not available: ") else error


def read_history(folder: Path) -> list[dict]:
    """The history kept beside a pack (oldest first); a pack from before histories were kept gives
    its figures.json as the one entry; nothing readable gives []."""
    path = folder / HISTORY_FILE
    try:
        if path.is_file():
            entries = json.loads(path.read_text(encoding="utf-8"))
            return [e for e in entries if isinstance(e, dict) and isinstance(e.get("values"), dict)]
        figures_file = folder / "figures.json"
        if figures_file.is_file():
            figures = json.loads(figures_file.read_text(encoding="utf-8"))
            sections = figures.get("sections", {})
            values = {
                f"{name}/{h.key}": h.value
                for name, found in sections.items()
                for h in section_headlines(name, found or {})
            }
            return [{"rendered": "", "values": values}]
    except (OSError, ValueError, AttributeError):
        return []
    return []


def previous_values(history: list[dict]) -> tuple[dict, str]:
    """The values of the last pack and when it was rendered ({} and '' if there is none)."""
    if not history:
        return {}, ""
    last = history[-1]
    return dict(last.get("values", {})), str(last.get("rendered", ""))


def history_entry(run_at: str, sections: list[tuple[str, str, dict]]) -> dict:
    """This render's entry: every figure's value by 'section/key' (not only the headlines, so a
    figure promoted to the summary later still has its past)."""
    values = {}
    for name, _title, figures in sections:
        for headline in section_headlines(name, figures or {}):
            values[f"{name}/{headline.key}"] = headline.value
    return {"rendered": run_at, "values": values}


def write_history(folder: Path, history: list[dict], entry: dict) -> None:
    """history.json in the pack folder: the previous entries and this one, newest last."""
    kept = (history + [entry])[-HISTORY_LIMIT:]
    (folder / HISTORY_FILE).write_text(json.dumps(kept, indent=1, sort_keys=True), encoding="utf-8")
