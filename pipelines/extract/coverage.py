"""Coverage: how many of a document's number and date expressions some fact states.

A number expression is a run of digits (full-width folded), with its decimal point and thousands
separators. Explicit rules (``SET_ASIDE_RULES``) set some aside as not facts:
- digits inside a URL;
- part of a name or code: digits glued to Latin letters or katakana (JAIF2.0, G7, TPP11, CO2, km2,
  インダストリー4.0), a number after a hyphen glued to a name (COVID-19), a year or version right
  after a capitalised word that is not a month (Vision 2025, Industry 4.0);
- ordinals: 第N, N周年 (the Nth anniversary), N号 (line or case number), N条 (article), N回目, 注N/※N
  (note markers);
- list ordinals and page numbers: ``1.``/``(1)``/``1)`` at the start of a line or after a space, a
  single digit in brackets, a single digit closing a line of text (slide item numbers), ``-1-``, a
  1–2 digit number alone at the start or end of a slide.
Rules apply only to numbers no fact covers.
An expression is covered when a fact's value or date was read from it: it lies inside the fact's
quote and its digits give one of the fact's numbers (a value, amount, budget, count or year, at any
of the scales the sources write: 万, 億, 兆, thousand, million, billion) or a part of one of its dates
(a year, also as a Japanese era year or a two-digit year; a month; a day). A number that merely sits
inside some quote is not covered. The report lists the uncovered ones with the reason known for each.
Does not belong here: extraction itself.
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass

from pipelines.extract.source import Source
from pipelines.normalize import ERAS, MONTH_NAMES

NUMBER_EXPR = re.compile(r"\d+(?:[.,]\d+)*")
KATAKANA = re.compile(r"[ァ-ヶー]")
CAPITALISED_WORD_BEFORE = re.compile(r"(?P<word>[A-Z][A-Za-z]+)\s$")
HYPHEN_NAME_BEFORE = re.compile(r"[A-Za-z]-$")
ORDINAL_BEFORE = re.compile(r"(?:第|注|※)\s*$")
ORDINAL_AFTER = re.compile(r"^(?:周年|号|条|回目)")
PARENTHESISED_ITEM = re.compile(r"[(（]\s*$")
LINE_END_ITEM = re.compile(r"^[ \t]*(?:\n|$)")
INLINE_LIST_ITEM = re.compile(r"^(?:\.(?!\d)|[)）])")
URL = re.compile(r"https?://\S+")
ORDINAL_AT_LINE_START = re.compile(r"^[ \t]*(?:[(（]\s*)?\d{1,2}(?:\s*[)）.．]|\s+(?=\S))", re.M)
PAGE_MARK = re.compile(r"^[ \t]*-\s*\d{1,3}\s*-[ \t]*$", re.M)


@dataclass
class Expression:
    start: int
    end: int
    text: str
    excluded: str | None = None
    covered: bool = False
    reason: str | None = None


def _excluded_reason(src: Source, start: int, end: int) -> str | None:
    text = src.folded
    for m in URL.finditer(text, max(0, start - 300), end):
        if m.start() <= start < m.end():
            return "part of a URL"
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    if (before.isascii() and before.isalpha()) or (after.isascii() and after.isalpha() and after not in "x"):
        return "part of a name or code (digits glued to letters)"
    if KATAKANA.match(before):
        return "part of a name (digits glued to a katakana word)"
    head = text[max(0, start - 20) : start]
    if HYPHEN_NAME_BEFORE.search(head):
        return "part of a name or code (digits glued to letters)"
    if (word := CAPITALISED_WORD_BEFORE.search(head)) and word["word"] not in MONTH_NAMES:
        return "part of a name (a number after a capitalised word)"
    if ORDINAL_BEFORE.search(head) or ORDINAL_AFTER.match(text[end : end + 2]):
        return "ordinal"
    if (
        (before in "" or before.isspace() or before in "、:：")
        and INLINE_LIST_ITEM.match(text[end : end + 2])
        and end - start <= 2
    ):
        return "list ordinal"
    if end - start == 1 and PARENTHESISED_ITEM.search(head) and text[end : end + 1] in ")）":
        return "list ordinal"
    # A single digit closing a line of text is an item number on a slide ('…の育成1').
    if (
        end - start == 1
        and before
        and not before.isspace()
        and not before.isdigit()
        and LINE_END_ITEM.match(text[end : end + 3])
    ):
        return "list ordinal"
    line_start = text.rfind("\n", 0, start) + 1
    if (item := ORDINAL_AT_LINE_START.match(text, line_start)) and item.start() <= start and end <= item.end():
        return "list ordinal"
    if (mark := PAGE_MARK.match(text, line_start)) and mark.start() <= start < mark.end():
        return "page number"
    seg_a, seg_b = src.segment_of(start)
    seg = text[seg_a:seg_b]
    stripped_head = len(seg) - len(seg.lstrip())
    stripped_tail = len(seg.rstrip())
    if end - start <= 2 and (
        start - seg_a == stripped_head
        and re.match(r"\d{1,2}\s*\n", seg[stripped_head:])
        or end - seg_a == stripped_tail
    ):
        return "page number"
    return None


# The scales a stated number may carry before it becomes a value (1億 = 1e8, 3 billion = 3e9, 55万 = 5.5e5).
SCALES = (1, 1e3, 1e4, 1e6, 1e8, 1e9, 1e12)
DATE_COLUMNS = ("date", "end_date", "start_date", "joined", "published")
# What each era adds to its years: 平成25年 is 1988 + 25.
ERA_OFFSETS = tuple(ERAS.values())


def _read_numbers(row: dict) -> set[float]:
    """The numbers a fact's values could have been read from: every numeric value at every scale, and
    the year (as written in any era, or in two digits), month and day of every date."""
    out: set[float] = set()
    for column, value in row.items():
        if column in ("char_start", "char_end"):
            continue
        if isinstance(value, bool) or value is None:
            continue
        if isinstance(value, int | float) and math.isfinite(value):
            out.update(round(abs(value) / scale, 6) for scale in SCALES)
        elif column in DATE_COLUMNS and isinstance(value, str):
            parts = [int(p) for p in value.split("-") if p.isdigit()]
            if parts:
                year = parts[0]
                out.update({year, year % 100, *(year - offset for offset in ERA_OFFSETS if year > offset)})
                out.update(parts[1:])
        elif column == "duration_text" and isinstance(value, str):
            out.update(float(n.replace(",", "")) for n in NUMBER_EXPR.findall(value))
    return out


def _stated_number(text: str) -> float | None:
    try:
        return round(float(text.replace(",", "")), 6)
    except ValueError:
        return None  # '1.2.3': not one number


def document_coverage(src: Source, facts: dict[str, list[dict]]) -> dict:
    matches = list(NUMBER_EXPR.finditer(src.folded))
    starts = [m.start() for m in matches]
    read: set[int] = set()  # indexes of the expressions some fact's value was read from
    for rows in facts.values():
        for row in rows:
            numbers = _read_numbers(row)
            for i in range(bisect.bisect_left(starts, row["char_start"]), len(matches)):
                m = matches[i]
                if m.start() >= row["char_end"]:
                    break
                if m.end() <= row["char_end"] and _stated_number(m.group()) in numbers:
                    read.add(i)
    expressions = []
    for i, m in enumerate(matches):
        e = Expression(m.start(), m.end(), src.text[m.start() : m.end()])
        # A rule sets aside only what no fact states: a number a fact's value was read from counts as covered.
        e.covered = i in read
        e.excluded = None if e.covered else _excluded_reason(src, m.start(), m.end())
        if e.excluded is None:
            if not e.covered:
                e.reason = next(
                    (s["reason"] for s in src.skipped if s["char_start"] <= e.start < s["char_end"]),
                    "no extractor recognises the statement",
                )
        expressions.append(e)
    counted = [e for e in expressions if e.excluded is None]
    covered = sum(e.covered for e in counted)
    return {
        "document_id": src.document_id,
        "expressions": len(expressions),
        "excluded": len(expressions) - len(counted),
        "counted": len(counted),
        "covered": covered,
        "coverage_pct": round(100.0 * covered / len(counted), 2) if counted else 100.0,
        "excluded_by_rule": _count_by(e.excluded for e in expressions if e.excluded),
        "uncovered": [
            {
                "char_start": e.start,
                "char_end": e.end,
                "text": e.text,
                "reason": e.reason,
                "context": _context(src, e.start, e.end),
            }
            for e in counted
            if not e.covered
        ],
    }


def _count_by(values) -> dict[str, int]:
    out: dict[str, int] = {}
    for v in values:
        out[v] = out.get(v, 0) + 1
    return dict(sorted(out.items()))


def _context(src: Source, start: int, end: int) -> str:
    return re.sub(r"\s+", " ", src.text[max(0, start - 30) : end + 30]).strip()


def coverage_markdown(reports: list[dict]) -> str:
    lines = [
        "# Coverage of number and date expressions",
        "",
        "An expression is a run of digits (with its decimal point and thousands separators). It is covered "
        "when a fact's value or date was read from it: it lies inside the fact's quote and gives one of the "
        "fact's numbers (at a scale such as 万, 億 or million) or a year, month or day of one of its dates. "
        "Coverage is a diagnostic of what the extractors leave unread, not a target. "
        "Numbers no fact covers are set aside only by these rules: digits in "
        "a URL; digits that are part of a name or code (glued to Latin letters or katakana, after a hyphen "
        "glued to a name, or after a capitalised word: Vision 2025); ordinals (第N, N周年, N号, N条, N回目, "
        "注N); list ordinals and page numbers. Every other uncovered number is listed below with its reason.",
        "",
        "| document | expressions | set aside | counted | covered | coverage |",
        "|---|---|---|---|---|---|",
    ]
    for r in reports:
        lines.append(
            f"| `{r['document_id']}` | {r['expressions']} | {r['excluded']} | {r['counted']} | "
            f"{r['covered']} | {r['coverage_pct']}% |"
        )
    lines += ["", "Set aside, by rule:", "", "| document | rule | numbers |", "|---|---|---|"]
    for r in reports:
        lines += [f"| `{r['document_id']}` | {rule} | {n} |" for rule, n in r["excluded_by_rule"].items()]
    for r in reports:
        if r["uncovered"]:
            lines += [
                "",
                f"## Not covered in `{r['document_id']}`",
                "",
                "| offset | text | reason | context |",
                "|---|---|---|---|",
            ]
            for u in r["uncovered"]:
                ctx = u["context"].replace("|", "\\|")
                lines.append(f"| {u['char_start']} | `{u['text']}` | {u['reason']} | {ctx} |")
    return "\n".join(lines) + "\n"
