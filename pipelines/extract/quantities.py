"""Every other stated quantity (``metrics``): people, countries, events, papers, percentages...

Recognises a number with a counter (``322名``, ``8万人``, ``50か国``, ``2,514件``, ``91回``, ``178本``,
``99.8％``, ``16社``, ``7機関``, ``29都市``, ``7バッチ``, ``about 20 training courses``) and a number
on a line of its own whose label follows on the next lines, as slides lay out figures
(``287`` / ``アセアン工学ジャーナルに掲載された論文``). The subject is the statement in the source's
words; the unit is named from the counter.
Numbers that other families already state (dates, money, statistics, projects) are left to them.
Does not belong here: money (``money``), dates (``timeline``).
"""

from __future__ import annotations

import re
from functools import cache

from pipelines.extract.base import Spans, first_chars, line_spans
from pipelines.extract.family import Family
from pipelines.extract.source import Source
from pipelines.normalize import (
    JP_AMOUNT,
    JP_AMOUNT_NEXT,
    collapse_spaces,
    is_approximate,
    parse_japanese_amount,
    parse_number,
    remove_spaces,
)

COUNTERS = [
    (r"名|人(?![口材員数当])", "persons"),
    (r"か国・地域|カ国・地域|か国|カ国|ヶ国|ヵ国|ヶ国", "countries"),
    (r"件", "items"),
    (r"回", "times"),
    (r"本", "papers"),
    (r"社", "companies"),
    (r"機関", "organizations"),
    (r"都市", "cities"),
    (r"州", "provinces"),
    (r"バッチ", "batches"),
    (r"%|％", "percent"),
    (r"倍", "times_ratio"),
    (r"日間", "days"),
    (r"時間", "hours"),
    (r"分(?!野)", "minutes"),
    (r"週間", "weeks"),
    (r"年間", "years"),
    (r"か月|ヶ月|カ月", "months"),
    (r"㎡|m2", "m2"),
    (r"つ", "items"),
    (r"期", "batches"),
    (r"年(?![月度0-9])", "years"),
    (r"層", "tiers"),
    (r"原則", "principles"),
    (r"分野", "fields"),
    (r"拠点", "sites"),
    (r"校", "schools"),
    (r"区", "wards"),
    (r"割", "tenths"),
]
# Digits are never read from inside a longer number or a Latin name (JAIF2.0, G7).
# Nor from the end of a range ('2015-2020の'), nor after katakana (フェーズ4期間: part of a name).
NOT_INSIDE = r"(?<![0-9A-Za-z.\-～~–ァ-ヶー])(?<![0-9],)"
COUNTER = re.compile(
    NOT_INSIDE + r"(?P<num>" + JP_AMOUNT + r")(?:(?P<counter>" + "|".join(c for c, _ in COUNTERS) + r")"
    r"|\n(?P<wrapped>つ))(?!目)"
)  # '３\nつの柱': a counter wrapped onto the next line; '3回目' is an ordinal
# What follows the first digits of each pattern's number (Source.scan tries no other number).
COUNTER_NEXT = "[" + re.escape(JP_AMOUNT_NEXT + "".join(first_chars(c) for c, _ in COUNTERS) + "\n") + "]"
# "12の展示", "17の国・機関": a number, の, and the thing counted (its first word is the unit).
COUNT_OF = re.compile(NOT_INSIDE + r"(?P<num>\d+(?:,\d{3})*)の(?P<noun>[^\s、。・()（）0-9]{1,6})")
COUNT_OF_NEXT = "[,の]"
UNIT_OF = [(re.compile(c), u) for c, u in COUNTERS]
EN_UNITS = {"states": "countries", "people": "persons", "trainees": "persons", "officials": "persons"}
NUMBER_WORDS = {
    w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve".split())
}
EN_NOUNS = (
    "courses",
    "countries",
    "officials",
    "trainees",
    "projects",
    "people",
    "persons",
    "participants",
    "batches",
    "years",
    "months",
    "members",
    "states",
    "areas",
    "diplomats",
    "experts",
)
EN_COUNT = re.compile(
    r"(?:\b(?P<approx>nearly|about|over|more than|around))?\s*(?<![\w.])(?P<num>\d+(?:,\d{3})*|"
    + "|".join(NUMBER_WORDS)
    + r")\s+(?P<noun>(?:[A-Za-z\-]+ ){0,3}?(?:"
    + "|".join(EN_NOUNS)
    + r"))\b",
    re.I,
)
EN_COUNT_NOUNS = re.compile("|".join(EN_NOUNS))  # searched in lower-cased text
EN_COUNT_NEXT = r"[,\s]"  # after digits; number words are EN_COUNT_WORDS
# Where EN_COUNT may start with a word (EN_COUNT itself checks the word boundary before it).
EN_COUNT_WORDS = re.compile(r"(?:nearly|about|over|more than|around|" + "|".join(NUMBER_WORDS) + r")\b", re.I)
SHARE_SPLIT_WORD = "basis"
SHARE_SPLIT = re.compile(r"(?<![\w.])(?P<a>\d{1,3})-(?P<b>\d{1,3})\s+" + SHARE_SPLIT_WORD)
NUMBER_LINE = re.compile(r"^[ \t]*(?P<num>\d+(?:,\d{3})*(?:\.\d+)?)(?P<plus>\+)?[ \t]*$", re.M)
ORDINAL_BEFORE = re.compile(r"(第|No\.|#)\s*$")


@cache  # a handful of counters recur
def _unit(counter: str) -> str:
    for pattern, unit in UNIT_OF:
        if pattern.fullmatch(counter):
            return unit
    return "count"


def extract_metrics(src: Source, stated: Spans | None = None) -> dict[str, list[dict]]:
    rows = []
    # Dates and amounts of money are numbers too: they are left to their own families.
    covered = (
        (stated or Spans()).union((d.start, d.end) for d in src.dates).union((m.start(), m.end()) for m in src.money)
    )

    def free(a: int, b: int) -> bool:
        return not covered.covers(a, b)

    for m in src.scan(COUNTER, followed_by=COUNTER_NEXT):
        if not free(m.start(), m.end()) or ORDINAL_BEFORE.search(src.folded[max(0, m.start() - 3) : m.start()]):
            continue
        try:
            parsed = parse_japanese_amount(m["num"])
        except ValueError:
            continue
        rows.append(_metric(src, m.start(), m.end(), parsed.value, _unit(m["counter"] or m["wrapped"]), [parsed.note]))
    for m in src.scan(COUNT_OF, followed_by=COUNT_OF_NEXT):
        if free(m.start("num"), m.end("num")) and not ORDINAL_BEFORE.search(
            src.folded[max(0, m.start() - 3) : m.start()]
        ):
            rows.append(_metric(src, m.start(), m.end(), parse_number(m["num"]).value, m["noun"], []))
    # A document that never names what EN_COUNT counts is not scanned for it.
    for m in (
        src.scan(EN_COUNT, also=EN_COUNT_WORDS, followed_by=EN_COUNT_NEXT) if EN_COUNT_NOUNS.search(src.lowered) else ()
    ):
        if free(m.start("num"), m.end()):
            word = m["num"].lower()
            value = float(NUMBER_WORDS[word]) if word in NUMBER_WORDS else parse_number(m["num"]).value
            unit = m["noun"].split()[-1].lower()
            rows.append(_metric(src, m.start(), m.end(), value, EN_UNITS.get(unit, unit), []))
    for m in src.scan(SHARE_SPLIT) if SHARE_SPLIT_WORD in src.folded else ():
        if free(m.start(), m.end()):
            rows.append(
                _metric(
                    src,
                    m.start(),
                    m.end(),
                    float(m["a"]),
                    "percent",
                    [f"cost split {m['a']}-{m['b']}: the first party's share"],
                )
            )
    rows += _framework_sizes(src, free)
    covered.add((r["char_start"], r["char_end"]) for r in rows)
    rows += _figure_lines(src, free)
    return {"metrics": rows}


def _metric(src: Source, start: int, end: int, value: float, unit: str, notes: list) -> dict:
    a, b = src.statement(start, end)
    a, b = src.clip(a, b, start, end)
    dates = src.dates_in(a, b)
    subject = collapse_spaces(src.text[a:b])
    approximate = is_approximate(src.folded[a:start], src.folded[end : end + 6])
    return src.fact(
        a,
        b,
        notes,
        subject=subject,
        value=value,
        unit=unit,
        date=dates[0].date if len(dates) == 1 else None,
        approximate=approximate,
    )


def _label_block(src: Source, start: int, limit: int = 200) -> tuple[int, int] | None:
    """The non-empty lines from start up to a blank line or a figure line: (start, end) or None."""
    first: int | None = None
    last = 0
    for la, lb in line_spans(src.folded, start, min(len(src.text), start + limit)):
        line = src.folded[la:lb]
        if not line.strip() or NUMBER_LINE.match(line):
            break
        first = la if first is None else first
        last = lb
    return (first, last) if first is not None else None


def figure_lines_of(src: Source):
    """NUMBER_LINE.finditer(folded), tried only on the lines that hold a number."""
    return src.match_lines(NUMBER_LINE, src.candidate_starts())


def labelled_figure_lines(src: Source):
    """LABEL_THEN_FIGURE.finditer(folded), tried only on the lines that hold a number."""
    return src.match_lines(LABEL_THEN_FIGURE, src.candidate_starts())


def _figure_lines(src: Source, free) -> list[dict]:
    """A number alone on its line, labelled by the lines that follow it (slides put figures above
    their labels), or, after a blank line, by the next block of text."""
    rows = []
    figure_lines = list(figure_lines_of(src))
    per_segment: dict[tuple[int, int], int] = {}
    for m in figure_lines:
        seg = src.segment_of(m.start())
        per_segment[seg] = per_segment.get(seg, 0) + 1
    for m in figure_lines:
        b = m.end()
        seg_a, seg_b = src.segment_of(m.start())
        # Only a slide of figures lays numbers out on lines of their own; elsewhere a lone number is
        # a page number or a list item.
        if per_segment[(seg_a, seg_b)] < MIN_FIGURES_ON_SLIDE or not free(m.start("num"), m.end("num")):
            continue
        notes = ["figure whose label follows it on the slide"]
        block = _label_block(src, b + 1, limit=min(200, seg_b - b - 1))
        if block is None:
            after_blank = BLANK_LINES.match(src.folded, b + 1, b + 40)
            if after_blank and after_blank.end() < seg_b:
                block = _label_block(src, after_blank.end(), limit=min(200, seg_b - after_blank.end()))
                notes = ["figure whose label is the next block of text on the slide"]
        if block is None or block[1] - m.start("num") > 400 or SENTENCE_MARK.search(src.folded, block[0], block[1]):
            continue
        digits = LEADING_DIGITS.match(src.folded, block[0])
        number = m["num"]
        if digits:  # the figure was split over two lines ('1' / '0国際大学'): join its digits
            number += digits.group()
            notes.append(f"value split over two lines in the source, read as {number}")
        label = remove_spaces(src.text[block[0] + (len(digits.group()) if digits else 0) : block[1]])
        rows.append(
            src.fact(
                m.start("num"),
                block[1],
                notes,
                subject=label,
                value=parse_number(number).value,
                unit="count",
                date=None,
                approximate=bool(m["plus"]),
            )
        )
    for m in labelled_figure_lines(src):
        if not free(m.start("num"), m.end("num")):
            continue
        # A label wrapped from the line above ('相互訪問支' / '援225') belongs to the figure.
        start = m.start("label")
        prev = src.folded.rfind("\n", 0, max(0, start - 1))
        above = src.folded[prev + 1 : start - 1] if start else ""
        if above.strip() and not re.search(r"[\d。)）]\s*$", above):
            start = prev + 1
        label = remove_spaces(src.text[start : m.start("num")])
        rows.append(
            src.fact(
                start,
                m.end(),
                ["figure written after its label"],
                subject=label,
                value=parse_number(m["num"]).value,
                unit="count",
                date=None,
                approximate=bool(m["plus"]),
            )
        )
    for m in TOTAL_IN_BRACKETS.finditer(src.folded):
        if not free(m.start("num"), m.end("num")):
            continue
        # The label is the text before the bracket on the same line.
        line_start = src.folded.rfind("\n", 0, m.start()) + 1
        label_start = max(line_start, m.start() - 40)
        label_start, label_end = src.trim(label_start, m.start())
        if label_end <= label_start:
            continue
        rows.append(
            src.fact(
                label_start,
                m.end(),
                ["total in brackets after its label"],
                subject=remove_spaces(src.text[label_start:label_end]),
                value=parse_number(m["num"]).value,
                unit="count",
                date=None,
                approximate=True,
            )
        )
    return rows


# "援225": a figure glued to the end of its label line; "奨学金給付 (1,400+)": a total in brackets.
# The label ends in kanji or hiragana: after Latin letters or katakana the digits belong to a name.
LABEL_THEN_FIGURE = re.compile(
    r"^[ \t]*(?P<label>[^\d\n:：]*[\u3041-\u3096\u4e00-\u9fff])(?P<num>\d{2,}(?:,\d{3})*)(?P<plus>\+)?[ \t]*$", re.M
)
MIN_FIGURES_ON_SLIDE = 3
BLANK_LINES = re.compile(r"[ \t]*\n(?:[ \t]*\n)*")
SENTENCE_MARK = re.compile(r"[、。]")
LEADING_DIGITS = re.compile(r"[ \t]*\d+")
TOTAL_IN_BRACKETS = re.compile(r"[(（](?P<num>\d+(?:,\d{3})*)\+[)）]")


def _framework_sizes(src: Source, free) -> list[dict]:
    """'ＡＳＥＡＮ地域フォーラム（ＡＲＦ） （２７）' on a slide whose note says what the bracketed number counts
    ('（）内は参加している国・地域・機関の数')."""
    rows, seen = [], set()
    for note in BRACKET_NOTE.finditer(src.folded):
        seg_a, seg_b = src.segment_of(note.start())
        if (seg_a, seg_b) in seen:  # the note may be repeated on its slide
            continue
        seen.add((seg_a, seg_b))
        what = src.text[note.start("what") : note.end("what")]
        for m in BRACKETED_SIZE.finditer(src.folded, seg_a, seg_b):
            if free(m.start("num"), m.end("num")):
                rows.append(
                    src.fact(
                        m.start("name"),
                        m.end(),
                        [f"the bracketed number is {what} (slide note)"],
                        subject=collapse_spaces(src.text[m.start("name") : m.end("name")]),
                        value=float(m["num"]),
                        unit="members",
                        date=None,
                        approximate=False,
                    )
                )
    return rows


BRACKET_NOTE = re.compile(r"[(（][)）]内は(?P<what>[^。\n]{1,30}?)の数")
BRACKETED_SIZE = re.compile(r"^[ \t]*(?P<name>[^\n]*?\S)[ \t]*[(（](?P<num>\d{1,3})[)）][ \t]*$", re.M)


FAMILY = Family("quantities", tables=("metrics",), extract=extract_metrics, leaves_alone=("indicators", "projects"))
