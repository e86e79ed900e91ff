"""Statistical disclosure control: the one rule every published figure passes through.

DfE's rule for its children's social work workforce statistics: a count of 1 to 4 people is
suppressed (shown ``[c]``), any rate, share, median or curve computed from such a count is
suppressed with it, and further cells are suppressed ("secondary suppression") so that no
suppressed value can be worked out from a total, the other parts or a difference. An FTE of
people below the threshold is treated as a count (it can stand for fewer than five people).

A notebook makes one :class:`Disclosure` from its ``publish`` and ``suppress_below`` parameters
and passes every table (:meth:`Disclosure.table`), sentence figure (:meth:`Disclosure.count`,
:meth:`Disclosure.rate`, :meth:`Disclosure.words`), chart mask and headline figure through it.
Not publishing (threshold 0) shows everything unchanged.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd

#: DfE's marker for a suppressed cell ("confidential").
SUPPRESSION_MARKER = "[c]"
#: DfE's threshold: counts from 1 to 4 are suppressed; a pack may raise it, never lower it.
DFE_THRESHOLD = 5


def suppression_footnote(threshold: int) -> str:
    """The footnote that explains suppressed cells, in DfE's style."""
    return (
        f"{SUPPRESSION_MARKER}: a count of 1 to {threshold - 1} people is suppressed to protect individuals, as in "
        "DfE's published workforce statistics. Rates, shares and medians based on such a count are suppressed "
        "too, and so is a further cell wherever a suppressed one could be worked out from a total or a difference."
    )


@dataclass(frozen=True)
class Disclosed:
    """A table after disclosure control: ``frame`` to show (``[c]`` in hidden cells, object dtype;
    never compute with it), ``hidden`` the boolean mask, ``totals_hidden`` the columns whose
    published total must be suppressed as well."""

    frame: pd.DataFrame
    hidden: pd.DataFrame
    totals_hidden: frozenset[str] = field(default_factory=frozenset)

    def column_hidden(self, column: str) -> pd.Series:
        """The mask of one column (all False for a column not controlled), for a chart's bars."""
        if column in self.hidden.columns:
            return self.hidden[column]
        return pd.Series(False, index=self.frame.index)


@dataclass(frozen=True)
class Disclosure:
    """Small-number suppression at ``threshold`` (0 = not publishing: nothing suppressed)."""

    threshold: int = 0

    @classmethod
    def of(cls, publish: bool, suppress_below: int = DFE_THRESHOLD) -> Disclosure:
        """The rule for a notebook's parameters; the threshold never goes below DfE's 5."""
        return cls(max(int(suppress_below), DFE_THRESHOLD) if publish else 0)

    @property
    def active(self) -> bool:
        return self.threshold > 1

    def hides(self, value) -> bool:
        """True for a count (or FTE of people) above 0 and below the threshold."""
        if not self.active or value is None or isinstance(value, str) or pd.isna(value):
            return False
        return 0 < float(value) < self.threshold

    def hides_any(self, *counts) -> bool:
        """True when any of the counts (or an already suppressed marker) is hidden."""
        return any(isinstance(c, str) or self.hides(c) for c in counts)

    def count(self, value):
        """A count for a headline figure: the marker if hidden, else the whole number (None if missing)."""
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return None
        if isinstance(value, str) or self.hides(value):
            return SUPPRESSION_MARKER
        return int(round(float(value)))

    def fte(self, value, digits: int = 1):
        """An FTE of people for a headline figure: the marker if under the threshold, else rounded."""
        if value is None or pd.isna(value):
            return None
        return SUPPRESSION_MARKER if self.hides(value) else round(float(value), digits)

    def rate(self, value, *counts, digits: int = 3):
        """A rate, share or median for a headline figure: the marker if any count it rests on
        (numerator, denominator) is hidden, else ``value`` rounded (None if missing)."""
        if self.hides_any(*counts) or value == SUPPRESSION_MARKER:
            return SUPPRESSION_MARKER
        if value is None or pd.isna(value):
            return None
        return round(float(value), digits) if digits is not None else value

    def words(self, value, shown: str, *counts) -> str:
        """A figure inside a sentence: ``shown`` (already formatted) or "fewer than 5" for a hidden
        count; for a rate resting on hidden ``counts``, "not published (fewer than 5 people)"."""
        if counts:
            if self.hides_any(*counts):
                return f"not published (fewer than {self.threshold} people)"
            return shown
        if isinstance(value, str) or self.hides(value):
            return f"fewer than {self.threshold}"
        return shown

    def series(self, values: pd.Series) -> pd.Series:
        """The mask of hidden values in one series (for a chart's bars or points)."""
        if not self.active:
            return pd.Series(False, index=values.index)
        numbers = pd.to_numeric(values, errors="coerce")
        return (numbers > 0) & (numbers < self.threshold)

    def table(
        self,
        frame: pd.DataFrame,
        *,
        counts: Iterable[str] = (),
        rates: Mapping[str, Iterable[str]] | None = None,
        sums: Mapping[str, Iterable[str]] | None = None,
        differences: Iterable[tuple[str, str]] = (),
        column_totals: Iterable[str] = (),
        row_totals: Iterable[tuple[Hashable | None, Iterable[Hashable]]] | None = None,
    ) -> Disclosed:
        """Suppress a table for publication, primary and secondary.

        - ``counts``: columns of people (or FTE of people): 1 to threshold-1 are hidden.
        - ``rates``: rate column -> the count columns it rests on; hidden where any of them is.
        - ``sums``: total column -> part columns on the same row (total = sum of parts): a row with
          exactly one hidden member hides another (the smallest non-zero part, else the total).
        - ``differences``: (a, b) where a - b is itself a count of people (in post a year ago
          minus still in post = leavers): when it is hidden, b is hidden too.
        - ``column_totals``: columns whose values add up over rows to a published total;
          ``row_totals`` says which rows: (total row or None when the total is published
          elsewhere, part rows), by default (None, every row). A relation with exactly one hidden
          member hides the next smallest non-zero part, else its total row; a total published
          elsewhere that would give the hidden part away is listed in ``totals_hidden``.
        """
        present = set(frame.columns)
        counts = [c for c in counts if c in present]
        rates = {r: [c for c in cs if c in present] for r, cs in (rates or {}).items() if r in present}
        sums = {t: [p for p in ps if p in present] for t, ps in (sums or {}).items() if t in present}
        column_totals = [c for c in column_totals if c in present]
        relations = [(total, list(parts)) for total, parts in (row_totals or [(None, list(frame.index))])]
        hidden = pd.DataFrame(False, index=frame.index, columns=frame.columns)
        if not self.active:
            return Disclosed(frame, hidden)
        numbers = frame.apply(pd.to_numeric, errors="coerce") if len(frame.columns) else frame
        # Ties are broken by the row's text (its labels), not its position, so two tables of the same
        # figures in different orders hide the same cells.
        text = [c for c in frame.columns if numbers[c].isna().all() and frame[c].notna().any()]
        labels = {i: tuple(str(frame.at[i, c]) for c in text) for i in frame.index}
        for column in counts:
            hidden[column] = self.series(frame[column])
        for a, b in differences:
            gap = numbers[a] - numbers[b]
            hidden[b] |= ((gap > 0) & (gap < self.threshold)) | (hidden[a] & (numbers[b] > 0))
        totals_hidden: set[str] = set()
        changed = True
        while changed:
            changed = False
            for total, parts in sums.items():
                for index in frame.index:
                    if sum(bool(hidden.at[index, m]) for m in [total, *parts]) == 1:
                        changed |= self._hide_another(
                            hidden, numbers, labels, [(index, p) for p in parts], (index, total)
                        )
            for column in column_totals:
                for total, parts in relations:
                    members = parts if total is None else [*parts, total]
                    if sum(bool(hidden.at[i, column]) for i in members) != 1:
                        continue
                    spare = None if total is None else (total, column)
                    if self._hide_another(hidden, numbers, labels, [(i, column) for i in parts], spare):
                        changed = True
                    elif total is None:
                        totals_hidden.add(column)
        for rate, sources in rates.items():
            for source in sources:
                hidden[rate] |= hidden[source]
        shown = frame.astype({c: object for c in hidden.columns[hidden.any()]})
        shown = shown.mask(hidden, SUPPRESSION_MARKER) if hidden.any().any() else shown
        return Disclosed(shown, hidden, frozenset(totals_hidden))

    @staticmethod
    def _hide_another(hidden, numbers, labels: dict, parts: list[tuple], total: tuple | None) -> bool:
        """Hide the smallest non-zero shown part of a relation (ties: by row labels, then column),
        else its total; False if neither can be."""
        shown = [
            (numbers.at[i, c], labels[i], str(c), (i, c))
            for i, c in parts
            if not hidden.at[i, c] and numbers.at[i, c] > 0
        ]
        if shown:
            hidden.at[min(shown, key=lambda item: item[:3])[3]] = True
            return True
        if total is not None and not hidden.at[total]:
            hidden.at[total] = True
            return True
        return False


#: Not publishing: nothing suppressed (the default of every function that takes a disclosure).
NOT_PUBLISHED = Disclosure()
