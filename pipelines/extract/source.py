"""``Source``: one document as every family sees it, with the mentions several families share.

A ``Text`` (the text, its folded twin, slides, statements, context years, where a PDF's pages start) plus named, per-document
results computed once on first use: ``dates`` (every date expression), ``money`` (every amount of
money) and the organisation each slide is about. Families read these properties instead of
scanning the text again.
Does not belong here: recognising a mention (``dates``, ``amounts``), any family's rules.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cached_property

from pipelines.extract.amounts import scan_money
from pipelines.extract.base import Text, about_headings
from pipelines.extract.dates import DateExpr, scan_dates
from pipelines.normalize import country_code

ACRONYM = re.compile(r"[A-Z]{3,6}")


@dataclass
class Source(Text):
    """One document with the mentions its families share."""

    _subjects: dict[int, str | None] = field(default_factory=dict, repr=False, compare=False)
    page_starts: tuple[int, ...] = ()  # where each page of a PDF starts in text; () for other formats

    @cached_property
    def dates(self) -> list[DateExpr]:
        """Every date expression of the document, in order (its year resolved from context)."""
        return scan_dates(self)

    @cached_property
    def _date_starts(self) -> list[int]:
        return [d.start for d in self.dates]

    def dates_in(self, a: int = 0, b: int | None = None) -> list[DateExpr]:
        """The date expressions within text[a:b]."""
        b = len(self.text) if b is None else b
        i, j = bisect.bisect_left(self._date_starts, a), bisect.bisect_left(self._date_starts, b)
        return [d for d in self.dates[i:j] if d.end <= b]

    @cached_property
    def money(self) -> list[re.Match]:
        """Every amount of money in the document, in order (other families leave these numbers alone)."""
        return scan_money(self)

    def segment_organisation(self, pos: int) -> str | None:
        """The organisation the slide holding pos is about ('ASEANとは何か'): ASEAN or an acronym."""
        a, b = self.segment_of(pos)
        if a not in self._subjects:
            names = (self.folded[s:e] for s, e in about_headings(self.folded, a, b))
            self._subjects[a] = next(
                (name for name in names if country_code(name) == "ASEAN" or ACRONYM.fullmatch(name)), None
            )
        return self._subjects[a]
