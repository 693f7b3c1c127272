"""Statements and clauses in the source's words, for the families that describe a fact with them
(``events``, ``commitments``, ``projects``).

Belongs here: the statement around a mention with its wrapped lines joined (a web page's paragraph
broken inside a sentence, a slide's bullet whose last word runs past a blank line), the clause of
one mention among several in one statement (a sentence listing four pledges gives four clauses), a
quote kept under the length limit without cutting a word, and a description made of the clause's
text (lines joined: no space between two Japanese characters, one space between words).
Does not belong here: which mentions make a fact (the families), the sentence boundaries themselves
(``Text.statement``).
"""

from __future__ import annotations

import re

from pipelines.extract.base import BULLETS, MAX_QUOTE, Text
from pipelines.normalize import ERA

TERMINALS = "。．.!?！？:："
# A line that continues the one before it starts with a particle or an inflection (hiragana), a
# comma, or a lower-case word.
CONTINUES = re.compile(r"[\u3041-\u3096、，,a-z]")
PARTICLE_END = re.compile(r"[のをにはがとでやへも、]")  # a line that stops on a particle runs on
CJK = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uff01-\uff60]")
OPENERS, CLOSERS = "（(「『“【[〈《", "）)」』”】]〉》"
CLAUSE_BREAKS = "、，,;；"
OPENER = re.compile("[" + re.escape(OPENERS) + "]")
# A list item's number or letter at the start of a description: '1. ', '2 一行は', '(3)', '①', 'a) '.
LIST_NUMBER = re.compile(
    r"\d{1,2}(?:[.．]\s+|[)）]\s*|\s+(?=[^\x00-\x7f]))|[A-Za-z][.)]\s+|\(\d{1,2}\)\s*|（\d{1,2}）\s*|[①-⑳]\s*"
)
WRAP_SHORT_LINE = 60
FIELD_LINE = re.compile(r"[" + BULLETS + r"]?\s*[^：:。、]{1,10}[：:]")  # '日 時 ：', '■ 備 考：', '参加人数：'
COLUMN_LINE = 12  # a line of a page's narrow column wraps at about this many characters or more
COLUMN_WIDTH = 30  # … and at most this many
COLUMN_REACH = 4  # lines within which a wrapped column's sentence ends
CAPTION_MARK = re.compile(r"[=＝]|撮影")
KATAKANA = re.compile(r"[\u30a1-\u30ff]")  # a slide's bullet may run on to a line of at most this many characters
SPACE_RUN = re.compile(r"\s+")
# A line that starts with a year: an item of a chronology ('1977年 福田ドクトリン発表', '2008: signed').
DATED_LINE = re.compile(
    r"(?:(?<=\n)|^)[ \t]*(?:["
    + BULLETS
    + r"]\s*)?(?:(?:19|20)\d{2}(?:年|[:：\s])|"
    + ERA
    + r"\s*\d{1,2}年|\d{1,2}月\d{1,2}日)"
)


# 'H.E. Mr. Aiboshi', 'U.S.', 'Dr.': a full stop that ends an abbreviation, not the sentence.
ABBREVIATION = re.compile(
    r"(?:\b[A-Z](?:\.[A-Z])+|\b(?:Mr|Mrs|Ms|Dr|Prof|St|No|Jr|Sr|Gen|Amb|Co|Inc|Ltd|Nos|Vol|pp|e\.g|i\.e))$"
)


def statement_span(src: Text, start: int, end: int) -> tuple[int, int]:
    """The statement around [start, end) (``Text.statement``), extended over the line breaks that wrap
    it: in paragraph text, a line without a sentence end followed by a line that continues it; on a
    slide, a bullet whose last word runs on past a blank line to a short line that ends the sentence."""
    a, b = src.statement(start, end)
    text = src.folded
    for _ in range(8):  # a statement wraps over a few lines at most, or runs past an abbreviation
        if text[b : b + 1] == "." and ABBREVIATION.search(text, max(0, b - 6), b) and b + 1 < len(text):
            b = max(b + 1, src.statement(b + 1, b + 2)[1])
            continue
        nxt = _continued_after(src, b)
        if nxt is None:
            break
        b = max(b, src.statement(nxt, nxt + 1)[1])
    for _ in range(8):
        prev = _continues_before(src, a)
        if prev is None:
            break
        a = min(a, src.statement(prev, prev + 1)[0])
    if b < len(text) and text[b : b + 1] == "。":
        b += 1
    a, b = _timeline_item(text, a, b, start)
    return src.trim(a, b)


def _timeline_item(text: str, a: int, b: int, pos: int) -> tuple[int, int]:
    """Within a slide's statement that lists dated lines ('1973年 …', '1977年 …'), the item holding pos:
    from its dated line to the next one (its wrapped lines included)."""
    if "\n" not in text[a:b]:
        return a, b
    starts = [m.start() for m in DATED_LINE.finditer(text, a, b)]
    if len(starts) < 2:
        return a, b
    before = [s for s in starts if s <= pos]
    after = [s for s in starts if s > pos]
    return (before[-1] if before else a), (after[0] if after else b)


def _next_line_start(text: str, pos: int) -> tuple[int, int] | None:
    """(newlines crossed, start of the next line's text) when only spaces lie between pos and it."""
    i, newlines = pos, 0
    while i < len(text) and text[i] in " \t\r\n\u3000":
        newlines += text[i] == "\n"
        i += 1
    return (newlines, i) if i < len(text) and newlines else None


def _continued_after(src: Text, b: int) -> int | None:
    """Where the statement ending at b continues on the next line, if it does."""
    text = src.folded
    if b <= 0 or b >= len(text) or text[b - 1] in TERMINALS:
        return None
    found = _next_line_start(text, b)
    if found is None:
        return None
    newlines, nxt = found
    if newlines <= 2 and _open_bracket(text, b) and text[nxt] not in BULLETS:
        # '1967年 …設立（インドネシア・…・タイ・\n\nシンガポール）': a bracket left open runs on
        line_end = text.find("\n", nxt)
        if any(c in CLOSERS for c in text[nxt : len(text) if line_end == -1 else line_end]):
            return nxt
    if newlines == 1 and src.is_paragraph_text:
        if CONTINUES.match(text, nxt) or (PARTICLE_END.match(text, b - 1) and CJK.match(text, nxt)):
            return nxt
    if newlines == 2 and not src.is_paragraph_text and text[nxt] not in BULLETS and CJK.match(text, b - 1):
        # '• JOINによる…2,000億円規模の融\n\n資の枠を確保。': the bullet's sentence ends on the short line;
        # a column of a PDF page wraps its lines past blank lines until the sentence ends ('…プログラムを\n\n実施。')
        line_start = text.rfind("\n", 0, b) + 1
        line_end = text.find("\n", nxt)
        line_end = len(text) if line_end == -1 else line_end
        line = text[nxt:line_end].rstrip()
        current = text[line_start:b].strip()
        if not CJK.match(text, nxt) or LIST_NUMBER.match(line) or FIELD_LINE.match(line) or FIELD_LINE.match(current):
            return None
        if current[:1] in BULLETS and line.endswith("。") and len(line) <= WRAP_SHORT_LINE:
            return nxt
        if (
            DATED_LINE.match(text, nxt)
            or CAPTION_MARK.search(current)
            or "。" not in text[nxt : _lines_end(text, nxt, COLUMN_REACH)]
        ):
            return None
        unfinished = (
            PARTICLE_END.match(text, b - 1)  # '…において、' / '…プログラムを'
            or CONTINUES.match(text, nxt)  # '…WHO等' + 'に加え、'
            or (KATAKANA.match(text, b - 1) and KATAKANA.match(text, nxt))  # '後継プロジェ' + 'クト'
        )
        column = (
            COLUMN_LINE <= len(current) <= COLUMN_WIDTH
            and not DATED_LINE.match(text, line_start)
            and text[nxt] not in OPENERS
        )
        if unfinished or column:
            return nxt
    return None


def _lines_end(text: str, pos: int, n: int) -> int:
    """The end of the n-th line from pos (blank lines not counted)."""
    for _ in range(n):
        nl = text.find("\n", pos)
        if nl == -1:
            return len(text)
        pos = nl + 1
        while pos < len(text) and text[pos] == "\n":
            pos += 1
    return pos


def _open_bracket(text: str, b: int) -> bool:
    """Whether the line ending at b leaves a bracket open."""
    line_start = text.rfind("\n", 0, b) + 1
    if not OPENER.search(text, line_start, b):
        return False
    return sum(text.count(c, line_start, b) for c in OPENERS) > sum(text.count(c, line_start, b) for c in CLOSERS)


def _continues_before(src: Text, a: int) -> int | None:
    """Where the statement starting at a began, on a line before, if a continues it."""
    text = src.folded
    i = a
    while i > 0 and text[i - 1] in " \t\r\n\u3000":
        i -= 1
    if i == 0 or i == a or "\n" not in text[i:a]:
        return None
    return i - 1 if _continued_after(src, i) == a else None


def _depths(text: str, a: int, b: int) -> list[int]:
    """Bracket depth of every character of text[a:b] (0 outside brackets opened within the span)."""
    out, depth = [], 0
    for c in text[a:b]:
        if c in CLOSERS and depth:
            depth -= 1
        out.append(depth)
        if c in OPENERS:
            depth += 1
    return out


def clause_spans(src: Text, a: int, b: int, foci: list[tuple[int, int]], language: str) -> list[tuple[int, int]]:
    """The clause of each focus (sorted, within the statement [a, b)): the statement cut at a comma or
    semicolon outside brackets between consecutive foci. In Japanese a clause runs on to its predicate,
    so the cut is the last break before the next focus; in English the predicate comes first, so it is
    the first break after the focus. Foci with no break between them share their clause."""
    if len(foci) == 1:
        return [src.trim(a, b)]
    text = src.folded
    depth = _depths(text, a, b)
    cuts = [a]
    for (_, end_i), (start_j, _) in zip(foci, foci[1:], strict=False):
        breaks = [p for p in range(end_i, start_j) if depth[p - a] == 0 and _is_break(text, p)]
        if not breaks:
            cuts.append(cuts[-1])  # no break: same clause as the focus before
            continue
        cuts.append((breaks[-1] if language == "ja" else breaks[0]) + 1)
    spans, i = [], 0
    bounds = [*cuts, b]
    while i < len(foci):
        j = i
        while j + 1 < len(foci) and cuts[j + 1] == cuts[i]:
            j += 1
        start, end = cuts[i], bounds[j + 1]
        if end < b and text[end - 1] in CLAUSE_BREAKS:
            end -= 1
        span = src.trim(start, end)
        spans.extend([span] * (j - i + 1))
        i = j + 1
    return spans


def _is_break(text: str, p: int) -> bool:
    """A comma or semicolon that separates clauses (not the thousands separator of '6,000')."""
    return text[p] in CLAUSE_BREAKS and not (
        text[p] in ",，" and text[p - 1 : p].isdigit() and text[p + 1 : p + 2].isdigit()
    )


def segments_of(src: Text, a: int, b: int) -> list[tuple[int, int]]:
    """The parts of the statement [a, b) between its commas and semicolons outside brackets."""
    text = src.folded
    depth = _depths(text, a, b)
    out, start = [], a
    for p in range(a, b):
        if depth[p - a] == 0 and _is_break(text, p):
            out.append((start, p))
            start = p + 1
    out.append((start, b))
    return [(x, y) for x, y in out if y > x]


def clip_words(src: Text, a: int, b: int, focus_start: int, focus_end: int) -> tuple[int, int]:
    """[a, b) kept within MAX_QUOTE characters around the focus, cut at a clause break or a space so that
    no word is cut."""
    if b - a <= MAX_QUOTE:
        return a, b
    text = src.folded
    lo = max(a, focus_start - (MAX_QUOTE - (focus_end - focus_start)) // 3)
    hi = min(b, lo + MAX_QUOTE)
    if lo > a:  # start after a break
        p = next((i + 1 for i in range(lo, focus_start) if text[i] in CLAUSE_BREAKS + " 。"), focus_start)
        lo = p
    if hi < b:  # end before a break
        p = next((i for i in range(hi - 1, focus_end - 1, -1) if text[i] in CLAUSE_BREAKS + " 。"), focus_end)
        hi = p + 1 if text[p : p + 1] == "。" else p
    return src.trim(lo, hi)


def describe(src: Text, a: int, b: int) -> str:
    """The words of text[a:b] on one line: a line break between two Japanese characters disappears,
    any other run of spaces becomes one space; a leading list number is dropped."""
    raw = src.text[a:b]
    out, pos = [], 0
    for m in SPACE_RUN.finditer(raw):
        out.append(raw[pos : m.start()])
        before, after = raw[m.start() - 1 : m.start()], raw[m.end() : m.end() + 1]
        joined = "\n" in m.group() and CJK.match(before or " ") and CJK.match(after or " ")
        out.append("" if joined else " ")
        pos = m.end()
    out.append(raw[pos:])
    text = "".join(out).strip()
    if (n := LIST_NUMBER.match(text)) and n.end() < len(text):
        text = text[n.end() :]
    return text
