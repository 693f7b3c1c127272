"""What every extractor shares: the text it reads, spans with provenance, segments and context.

Belongs here: ``Text`` (a document's text, its folded twin and its slides), building a fact row
with exact offsets and quote, statement boundaries, resolving a year from context, and where patterns
are tried: a number-led pattern only at the numbers followed by what it needs (``scan``), a
line-anchored one only on the lines holding what starts it (``match_lines``), each with the same
result as trying it everywhere (tests compare them on random text).
Does not belong here: the mentions several families share (dates, amounts of money: they are named
properties of ``pipelines.extract.source.Source``, which extends ``Text``), any particular kind of
statement (one module per family does that).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, cached_property
from itertools import chain, islice

from pipelines.normalize import ERAS, JP_YEAR, fold_text, year_from_match

MAX_QUOTE = 400
YEAR_MARK = "年"
DIGITS_THEN = re.compile(r"[0-9]+(.?)", re.S)  # the character after each run of digits
GLUED_YEAR = re.compile(r"[0-9]{5,}" + YEAR_MARK)
LINE_BREAK = re.compile(r"\n")
PARAGRAPH_LINE_LENGTH = 60  # mean characters per line above which a document is running text
# Slides are separated by three blank lines, or (where a PDF page break lost them) by a line that
# starts with a single space after a line of text.
# Every alternative of these two starts with a literal character, so that the regex engine can skip
# ahead to candidates (a pattern that starts with a look-behind is tried at every position).
SEGMENT_BREAK = re.compile(r"\n[ \t\u3000]*\n[ \t\u3000]*\n[ \t\u3000]*\n|\n(?<=\S\n)(?= \S)")
# Characters that open a bullet or list item in slides and web pages.
BULLETS = "•➢◆⚫■◼●✓\uf06c\uf0a7\uf0d8\uf0fc・※→⇒◇○〇▲"
SPACE = " \t\r\n\u3000"  # what a quote never starts or ends with
SPACE_OR_BULLET = SPACE + BULLETS
YEAR = re.compile(JP_YEAR)
ERA_LEADS = re.compile("|".join(ERAS))
AS_OF_AFTER_YEAR = re.compile(r"(?:\s*\d{1,2}月)?(?:\s*\d{1,2}日)?\s*(?:時点|現在)")
AS_OF_EN = re.compile(r"[Aa]s of (?:\d{1,2} )?(?:[A-Z][a-z]+ )?(\d{4})")
MONTH_DAY_AFTER_YEAR = re.compile(r"\s*(?P<m>\d{1,2})月\s*(?P<d>\d{1,2})日")
# A period after a title or an initial ends no sentence: "H.E. Mr. Tan", "J. Smith", "U.S. Trade".
_TITLE_ABBREVIATIONS = ("Mr", "Mrs", "Ms", "Dr", "Prof", "St", "Jr", "Sr", "Gen", "Lt", "Col", "Capt", "Hon", "Rev")
_NOT_AN_END = "".join(rf"(?<!\b{a}\.)" for a in _TITLE_ABBREVIATIONS) + r"(?<!(?<![A-Za-z])[A-Z]\.)"
STATEMENT_END = re.compile(
    r"。|\n[ \t\u3000]*\n|\n(?=[ \t\u3000]*["
    + BULLETS
    + r"])|\.(?<=[A-Za-z0-9\)”\"]\.)"
    + _NOT_AN_END
    + r"(?=\s+[A-Z(])"
    r"|\.\s*\n"
)


@dataclass
class Text:
    """One document's text as the extractors see it: original text, folded text (same offsets), context."""

    document_id: str
    text: str
    published: str | None = None
    language: str = "ja"
    skipped: list[dict] = field(default_factory=list)  # statements seen but not made facts, with the reason
    # Where number-led patterns can start, by (lead pattern, following character): see candidate_starts.
    _starts: dict[tuple, list[int]] = field(default_factory=dict, repr=False, compare=False)

    @cached_property
    def folded(self) -> str:
        return fold_text(self.text)

    @cached_property
    def segments(self) -> list[tuple[int, int]]:
        """Slides (or page blocks): runs of text separated by three or more blank lines."""
        out, start = [], 0
        for m in SEGMENT_BREAK.finditer(self.folded):
            out.append((start, m.start()))
            start = m.end()
        out.append((start, len(self.text)))
        return out

    @cached_property
    def _segment_ends(self) -> list[int]:
        return [b for _, b in self.segments]

    def _segment_at(self, pos: int) -> int | None:
        """Index of the segment holding pos (a segment's end position belongs to it); None between two."""
        i = bisect.bisect_left(self._segment_ends, pos)
        return i if i < len(self.segments) and self.segments[i][0] <= pos else None

    def segment_index(self, pos: int) -> int:
        i = self._segment_at(pos)
        return 0 if i is None else i

    def segment_of(self, pos: int) -> tuple[int, int]:
        i = self._segment_at(pos)
        return (0, len(self.text)) if i is None else self.segments[i]

    @cached_property
    def is_paragraph_text(self) -> bool:
        """Web pages put a paragraph or a heading on each line; slides wrap sentences over short lines.
        In paragraph text every line break ends a statement."""
        lengths = list(map(len, filter(str.strip, self.text.splitlines())))
        return bool(lengths) and sum(lengths) / len(lengths) > PARAGRAPH_LINE_LENGTH

    @cached_property
    def _boundaries(self) -> list[tuple[int, int]]:
        """(start, end) of every statement boundary, in order."""
        spans = [m.span() for m in STATEMENT_END.finditer(self.folded)]  # in order, without repeats
        if self.is_paragraph_text:
            spans = sorted(set(spans).union(m.span() for m in LINE_BREAK.finditer(self.folded)))
        return spans

    @cached_property
    def _boundary_starts(self) -> list[int]:
        return [a for a, _ in self._boundaries]

    @cached_property
    def _statement_starts(self) -> list[int]:
        """[i]: where a statement starts after the first i boundaries (the furthest end of the last three)."""
        ends = [e for _, e in self._boundaries]
        return [0, *map(max, ends, [0, *ends[:-1]], [0, 0, *ends[:-2]])]

    def statement(self, start: int, end: int) -> tuple[int, int]:
        """The sentence or slide line around [start, end): between statement boundaries."""
        starts = self._boundary_starts
        a = self._statement_starts[bisect.bisect_left(starts, start)]  # after the boundaries before start
        j = bisect.bisect_left(starts, end)
        b = starts[j] if j < len(starts) else len(self.text)
        if b < len(self.text) and self.text[b] == "。":
            b += 1
        return self.trim(min(a, start), b)

    # --- Where number-led patterns are tried -------------------------------------------------------
    def candidate_starts(self, also: re.Pattern | None = None, followed_by: str | None = None) -> list[int]:
        """Where a number-led pattern can start, in order: the first digit of each number, the first digit
        of a year glued to the number before it (a page number run into a date: '322023年'), and the starts
        of `also` (words that may lead a match, such as 本年 or a month name). With `followed_by` (a regex
        of one character), only the numbers whose last digit is followed by such a character: a pattern
        that needs 年 or 月 right after its number is not tried at the others. Cached per document."""
        key = ("starts", also.pattern if also is not None else None, followed_by)
        if key not in self._starts:
            if followed_by is None:
                numbers = self._number_starts + self._glued_year_starts
            else:
                follows = re.compile(followed_by)  # re caches compiled patterns
                numbers = [
                    a
                    for c, starts in self._number_starts_by_next.items()
                    if c == "" or follows.fullmatch(c)
                    for a in starts
                ]  # '': at the end of the text
                numbers += self._glued_year_starts if follows.fullmatch(YEAR_MARK) else []
            if also is None:
                words = []
            elif also.flags & re.IGNORECASE:
                # Case-insensitive searching is several times slower: search the lower-cased text instead.
                words = [m.start() for m in _case_sensitive(also).finditer(self.lowered)]
            else:
                words = [m.start() for m in also.finditer(self.folded)]
            self._starts[key] = sorted(numbers + words)  # sorted runs: sorting merges them
        return self._starts[key]

    @cached_property
    def lowered(self) -> str:
        """The folded text in lower case, same offsets (for case-insensitive searches of lower-case words)."""
        lowered = self.folded.lower()
        # Only a few characters ('İ') grow when lower-cased; keep the offsets by lower-casing ASCII alone then.
        return lowered if len(lowered) == len(self.folded) else self.folded.translate(_ASCII_LOWER)

    @cached_property
    def _number_starts(self) -> list[int]:
        """Where every run of digits starts."""
        return sorted(chain.from_iterable(self._number_starts_by_next.values()))

    @cached_property
    def _number_starts_by_next(self) -> dict[str, list[int]]:
        """Where every run of digits starts, by the character after its last digit ('' at the text's end)."""
        out: dict[str, list[int]] = {}
        for m in DIGITS_THEN.finditer(self.folded):
            out.setdefault(m[1], []).append(m.start())
        return out

    @cached_property
    def _glued_year_starts(self) -> list[int]:
        # The last four digits before 年 of a longer run of digits.
        return [m.end() - 5 for m in GLUED_YEAR.finditer(self.folded)]

    def scan(
        self,
        pattern: re.Pattern,
        also: re.Pattern | None = None,
        a: int = 0,
        b: int | None = None,
        followed_by: str | None = None,
    ):
        """Like pattern.finditer(folded, a, b) for a pattern whose matches start at a number (see
        candidate_starts) or at `also`, but tried only at those positions: trying a pattern at every
        position is what made extraction slow."""
        b = len(self.folded) if b is None else b
        starts = self.candidate_starts(also, followed_by)
        next_free = a
        text, match = self.folded, pattern.match
        for pos in islice(starts, bisect.bisect_left(starts, a), bisect.bisect_left(starts, b)):
            if pos < next_free:
                continue
            m = match(text, pos, b)
            if m is not None and m.end() > pos:
                next_free = m.end()
                yield m

    def match_lines(self, pattern: re.Pattern, positions: list[int]):
        """Like pattern.finditer(folded) for a pattern anchored at the start of a line (re.M '^') whose
        first line must hold one of `positions` (in order): only those lines are tried."""
        text, line_end, next_free = self.folded, -1, 0
        for pos in positions:
            if pos < line_end:  # on the line just tried
                continue
            start = text.rfind("\n", 0, pos) + 1
            line_end = text.find("\n", pos)
            if line_end == -1:
                line_end = len(text)
            if start >= next_free and (m := pattern.match(text, start)) is not None:
                next_free = max(m.end(), start + 1)
                yield m

    def trim(self, a: int, b: int) -> tuple[int, int]:
        """Strip whitespace and bullet characters from both ends of a span."""
        text = self.text
        while a < b and text[a] in SPACE_OR_BULLET:
            a += 1
        while b > a and text[b - 1] in SPACE:
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

    def fact(self, start: int, end: int, notes: Iterable[str | None] | None = None, **values) -> dict:
        """A fact row with its provenance: the quote is exactly text[start:end]."""
        start, end = self.trim(start, end)
        if not 0 <= start < end <= len(self.text) or end - start > MAX_QUOTE:
            raise ValueError(f"{self.document_id}: bad span [{start}:{end}] for {values}")
        row = dict(values)
        row.update(
            document_id=self.document_id,
            char_start=start,
            char_end=end,
            quote=self.text[start:end],
            notes="; ".join(n for n in (notes or []) if n) or None,
        )
        return row

    def skip(self, start: int, end: int, reason: str | None) -> None:
        self.skipped.append({"char_start": start, "char_end": end, "text": self.text[start:end], "reason": reason})

    # --- Context ---------------------------------------------------------------------------------
    @cached_property
    def _year_matches(self) -> list[re.Match]:
        """Every Japanese year the document states (2023年, 令和5年（2023年）), found in one scan."""
        return list(self.scan(YEAR, also=ERA_LEADS, followed_by=YEAR_MARK))

    @cached_property
    def _year_starts(self) -> list[int]:
        return [m.start() for m in self._year_matches]

    @cached_property
    def _valid_years(self) -> list[tuple[re.Match, int]]:
        """(match, year) for every stated year whose era and western years agree."""
        out = []
        for m in self._year_matches:
            try:
                out.append((m, year_from_match(m)))
            except ValueError:
                pass
        return out

    @cached_property
    def reference_year(self) -> tuple[int | None, str | None]:
        """The year 本年/昨年 refer to: the document's date, else the year of its latest 'as of' date."""
        if self.published:
            return int(self.published[:4]), "the document date"
        years = [year_from_match(m) for m in self._year_matches if AS_OF_AFTER_YEAR.match(self.folded, m.end())]
        years += [int(y) for y in AS_OF_EN.findall(self.folded)]
        if years:
            return max(years), "the year of the document's latest 'as of' date"
        return None, None

    @cached_property
    def _segment_years(self) -> list[set[int]]:
        out: list[set[int]] = [set() for _ in self.segments]
        for m, year in self._valid_years:
            i = self._segment_at(m.start())
            if i is not None and m.end() <= self.segments[i][1]:
                out[i].add(year)
        return out

    @cached_property
    def _full_dates(self) -> dict[tuple[int, int], set[tuple[int, int]]]:
        """(month, day) -> {(segment, year)} for every date the document states with its year."""
        out: dict[tuple[int, int], set[tuple[int, int]]] = {}
        for m, year in self._valid_years:
            if md := MONTH_DAY_AFTER_YEAR.match(self.folded, m.end()):
                out.setdefault((int(md["m"]), int(md["d"])), set()).add((self.segment_index(m.start()), year))
        return out

    def context_year(
        self,
        pos: int,
        relative: str | None = None,
        month: int | None = None,
        day: int | None = None,
        allow_continuation: bool = True,
    ) -> tuple[int | None, str | None]:
        """Year for a date that does not state one, from its context; (None, reason) when the context
        does not say. 本年/昨年/来年: the reference year. 同年: the last year stated before it on the slide.
        A month and day that the slide (else the document, once) states in full with a year: that year.
        Otherwise: the only year its slide states, or, on a slide that states none, the only year of the
        slide it continues (the one just before it)."""
        offsets = {"本年": 0, "今年": 0, "昨年": -1, "去年": -1, "来年": 1, "last year": -1, "this year": 0}
        if relative == "同年":
            a, _ = self.segment_of(pos)
            i = bisect.bisect_left(self._year_starts, pos)
            before = self._year_matches[i - 1] if i else None
            if before is None or before.start() < a or before.end() > pos:
                return None, "'同年' with no year stated before it"
            return year_from_match(before), "year from '同年': the year stated before it"
        if relative:
            year, source = self.reference_year
            if year is None:
                return None, f"'{relative}' but the document states no date"
            return year + offsets[relative], f"year from '{relative}' and {source}"
        i = self.segment_index(pos)
        if month is not None and day is not None:
            stated = self._full_dates.get((month, day), set())
            on_slide = {y for seg, y in stated if seg == i}
            if len(on_slide) == 1:
                return next(iter(on_slide)), "year of the same date stated in full on the slide"
            in_document = {y for _, y in stated}
            if not on_slide and len(in_document) == 1:
                return next(iter(in_document)), "year of the same date stated in full elsewhere in the document"
        years = self._segment_years[i]
        if len(years) == 1:
            return next(iter(years)), "year from the only year stated on the same slide"
        if allow_continuation and not years and i > 0 and len(self._segment_years[i - 1]) == 1:
            return next(iter(self._segment_years[i - 1])), "year from the slide it continues (the one before)"
        return None, "year not stated in its context"


def first_chars(alternation: str) -> str:
    """The first character of each alternative of a regex of plain words ('名|人(?!口)|か国' -> '名人か'),
    for `followed_by`. Refuses an alternative that starts with regex syntax."""
    alternatives = alternation.split("|")
    if any(not a or a[0] in "\\([.^$*+?{" for a in alternatives):
        raise ValueError(f"not an alternation of words: {alternation!r}")
    return "".join(dict.fromkeys(a[0] for a in alternatives))


_ASCII_LOWER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}


@cache
def _case_sensitive(pattern: re.Pattern) -> re.Pattern:
    """The same pattern without re.IGNORECASE, for searching lower-cased text (its words are lower case)."""
    if pattern.pattern != pattern.pattern.lower():
        raise ValueError(f"a case-insensitive lead pattern must be written in lower case: {pattern.pattern!r}")
    return re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE)


class Spans:
    """A set of [start, end) spans answering 'is [a, b) inside one of them?' in O(log n)."""

    def __init__(self, spans=()):
        self._spans = sorted(spans)
        self._dirty = True

    def union(self, spans) -> Spans:
        """A new set holding these spans and those."""
        return Spans([*self._spans, *spans])

    def add(self, spans) -> None:
        self._spans.extend(spans)
        self._dirty = True

    def _build(self) -> None:
        self._spans.sort()
        self._starts = [a for a, _ in self._spans]
        self._max_end, running = [], -1
        for _, b in self._spans:
            running = max(running, b)
            self._max_end.append(running)
        self._dirty = False

    def covers(self, a: int, b: int) -> bool:
        if self._dirty:
            self._build()
        i = bisect.bisect_right(self._starts, a)
        return i > 0 and self._max_end[i - 1] >= b


def line_spans(text: str, a: int = 0, b: int | None = None):
    """(start, end) of every line of text[a:b] (end excludes the newline)."""
    b = len(text) if b is None else b
    pos = a
    while pos < b:
        nl = text.find("\n", pos, b)
        end = b if nl == -1 else nl
        yield pos, end
        pos = end + 1


ABOUT = "とは"
NOT_IN_NAME = ".．、"


def about_headings(text: str, a: int = 0, b: int | None = None):
    """(start, end) of every name in '<name>とは' ('ASEANとは何か') in text[a:b], left to right; a name
    is a run of characters other than spaces, digits and '.．、'. Found from each 'とは', not by trying
    a pattern at every position (which costs the length of every run at every character)."""
    b = len(text) if b is None else b
    pos = a  # where the previous name's 'とは' ended: the next name starts there at the earliest
    q = text.find(ABOUT, pos, b)
    while q != -1:
        p = q
        while p > pos and not (text[p - 1].isspace() or text[p - 1].isdecimal() or text[p - 1] in NOT_IN_NAME):
            p -= 1
        if p < q:
            yield p, q
            pos = q + len(ABOUT)
            q = text.find(ABOUT, pos, b)
        else:
            q = text.find(ABOUT, q + 1, b)
