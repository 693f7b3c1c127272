"""What every extractor shares: the text it reads, spans with provenance, segments and context.

Belongs here: ``Source`` (a document's text, its folded twin and its slides), building a fact row
with exact offsets and quote, statement boundaries, and resolving a year from context.
Does not belong here: any particular kind of statement (one module per family does that).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from pipelines.normalize import JP_YEAR, fold_text, year_from_match

MAX_QUOTE = 400
SEGMENT_BREAK = re.compile(r"\n[ \t\u3000]*\n[ \t\u3000]*\n[ \t\u3000]*\n")
# Characters that open a bullet or list item in slides and web pages.
BULLETS = "•➢◆⚫■◼●✓\uf06c\uf0a7\uf0d8\uf0fc・※→⇒◇○〇▲"
STATEMENT_END = re.compile(r"。|\n[ \t\u3000]*\n|\n(?=[ \t\u3000]*[" + BULLETS + r"])|(?<=[A-Za-z0-9\)”\"])\.(?=\s+[A-Z(])|\.\s*\n")


@dataclass
class Source:
    """One document as the extractors see it: original text, folded text (same offsets), context."""

    document_id: str
    text: str
    published: str | None = None
    language: str = "ja"
    skipped: list[dict] = field(default_factory=list)  # statements seen but not made facts, with the reason

    @cached_property
    def folded(self) -> str:
        return fold_text(self.text)

    @cached_property
    def segments(self) -> list[tuple[int, int]]:
        """Slides (or page blocks): runs of text separated by three or more blank lines."""
        out, start = [], 0
        for m in SEGMENT_BREAK.finditer(self.text):
            out.append((start, m.start()))
            start = m.end()
        out.append((start, len(self.text)))
        return out

    def segment_of(self, pos: int) -> tuple[int, int]:
        for a, b in self.segments:
            if a <= pos < b or pos == b:
                return a, b
        return 0, len(self.text)

    @cached_property
    def _statement_ends(self) -> list[int]:
        return [m.start() for m in STATEMENT_END.finditer(self.folded)]

    def statement(self, start: int, end: int) -> tuple[int, int]:
        """The sentence or slide line around [start, end): between statement boundaries."""
        a = max((e for e in self._statement_ends if e < start), default=-1)
        # Skip the boundary itself (。, blank line, bullet) and leading space.
        m = STATEMENT_END.match(self.folded, a) if a >= 0 else None
        a = m.end() if m else 0
        b = min((e for e in self._statement_ends if e >= end), default=len(self.text))
        if b < len(self.text) and self.text[b] == "。":
            b += 1
        return self.trim(a, b)

    def trim(self, a: int, b: int) -> tuple[int, int]:
        """Strip whitespace and bullet characters from both ends of a span."""
        strip = " \t\r\n\u3000" + BULLETS
        while a < b and self.text[a] in strip:
            a += 1
        while b > a and self.text[b - 1] in " \t\r\n\u3000":
            b -= 1
        return a, b

    def clip(self, a: int, b: int, focus_start: int, focus_end: int) -> tuple[int, int]:
        """Keep a quote within MAX_QUOTE characters, centred on the part that states the value."""
        if b - a <= MAX_QUOTE:
            return a, b
        a2 = max(a, focus_start - 120)
        b2 = min(b, a2 + MAX_QUOTE)
        if b2 < focus_end:
            a2, b2 = focus_start, min(b, focus_start + MAX_QUOTE)
        return self.trim(a2, b2)

    def fact(self, start: int, end: int, notes: list[str] | None = None, **values) -> dict:
        """A fact row with its provenance: the quote is exactly text[start:end]."""
        start, end = self.trim(start, end)
        if not 0 <= start < end <= len(self.text) or end - start > MAX_QUOTE:
            raise ValueError(f"{self.document_id}: bad span [{start}:{end}] for {values}")
        row = dict(values)
        row.update(document_id=self.document_id, char_start=start, char_end=end, quote=self.text[start:end],
                   notes="; ".join(n for n in (notes or []) if n) or None)
        return row

    def skip(self, start: int, end: int, reason: str) -> None:
        self.skipped.append({"char_start": start, "char_end": end, "text": self.text[start:end], "reason": reason})

    # --- Context ---------------------------------------------------------------------------------
    @cached_property
    def document_year(self) -> int | None:
        return int(self.published[:4]) if self.published else None

    def segment_years(self, pos: int) -> set[int]:
        a, b = self.segment_of(pos)
        years = set()
        for m in re.finditer(JP_YEAR, self.folded[a:b]):
            try:
                years.add(year_from_match(m))
            except ValueError:
                pass
        years |= {int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d{2})(?!\d)", self.folded[a:b])
                  if self.language == "en"}
        return years

    def context_year(self, pos: int, relative: str | None = None) -> tuple[int | None, str | None]:
        """Year for a date that does not state one: from 本年/昨年 and the document date, or from the
        single year its slide states. Returns (year, note) or (None, reason)."""
        offsets = {"本年": 0, "今年": 0, "昨年": -1, "去年": -1, "来年": 1, "last year": -1, "this year": 0}
        if relative:
            if self.document_year is None:
                return None, f"'{relative}' but the document states no date"
            return self.document_year + offsets[relative], f"year from '{relative}' and the document date"
        years = self.segment_years(pos)
        if len(years) == 1:
            return years.pop(), "year from the only year stated on the same slide"
        return None, "year not stated in its context"


def line_spans(text: str, a: int = 0, b: int | None = None):
    """(start, end) of every line of text[a:b] (end excludes the newline)."""
    b = len(text) if b is None else b
    pos = a
    while pos < b:
        nl = text.find("\n", pos, b)
        end = b if nl == -1 else nl
        yield pos, end
        pos = end + 1
