"""Date expressions: where a document states a date, at the precision stated.

Recognises date expressions in Japanese and English (``1967年``, ``2012年7月～2018年1月``,
``令和５年１０月``, ``20-22 November 2001``, ``2021-2025``, ``本年２月７日``) and resolves a year left
implicit from its context (the document's date for 本年/昨年/last year, the only year stated on the
slide). Every family reads them as ``Source.dates`` (scanned once per document).
Does not belong here: what a dated statement is about (events, meetings, projects and money are
families of their own).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines.extract.base import Text
from pipelines.normalize import (
    JP_DATE,
    MONTH_NAME,
    MONTH_NAMES,
    MONTHS,
    duration_months,
    iso,
    parse_japanese_date,
    year_from_match,
)

DAY_OF_WEEK = re.compile(r"\s*[(（][月火水木金土日][)）]")  # '(日)' after a date
_DOW = "(?:" + DAY_OF_WEEK.pattern + ")?"
_SEP = r"\s*[～〜~\-–－]\s*"
_JP_END = (
    r"(?:(?P<e_full>" + JP_DATE.replace("?P<", "?P<e_") + r")"
    r"|(?P<e_m>\d{1,2})月(?:(?P<e_md>\d{1,2})日)?"
    r"|(?P<e_d>\d{1,2})日"
    r"|(?P<e_short_year>\d{2})年(?![間度])"
    r"|(?P<e_dur>\d+(?:\.\d+)?(?:年間|か月間?|ヶ月間?|カ月間?|ヵ月間?|年(?=[間)）]|の予定)))"
    r")?"
)
JP_DATE_EXPR = re.compile(
    r"(?:(?P<rel>本年|今年|昨年|去年|来年|同年)\s*)?"
    r"(?:"
    + JP_DATE
    + r"|(?P<md_month>\d{1,2})月(?:(?P<md_day>\d{1,2})日)?)"
    + r"(?:(?P<dayrange>\d{1,2})(?=\s*[～~]\s*\d{1,2}日))?"
    + _DOW
    + r"(?:(?P<range>"
    + _SEP
    + r"|から|・)"
    + _JP_END
    + _DOW
    + r")?"
)
EN_DATE_EXPR = re.compile(
    r"(?:(?P<d1>\d{1,2})(?:st|nd|rd|th)?(?:\s*(?:-|–|to)\s*(?P<d2>\d{1,2})(?:st|nd|rd|th)?)?\s+)?"
    r"(?P<month>" + MONTH_NAME + r")\s+(?:(?P<md>\d{1,2}),\s+)?(?P<year>\d{4})"
    r"|(?P<y1>(?:19|20)\d{2})\s*[-–]\s*(?P<y2>(?:19|20)\d{2})"
    r"|between\s+(?P<b1>(?:19|20)\d{2})\s+and\s+(?P<b2>(?:19|20)\d{2})"
    r"|(?P<rel>last year|this year)"
    r"|(?<![0-9A-Za-z.ァ-ヶー\-])(?P<bare>(?:19|20)\d{2})(?![0-9A-Za-z%年]|\.\d)"
)
MONTH_RANGE_START = re.compile(r"\d{1,2}\s*[-～〜~]\s*$")
LINE_RELATIVE = re.compile(r"本年|今年|昨年|去年|来年")
# A year right after a capitalised word is part of a name (Vision 2025, Games 2023), not a date.
NAME_BEFORE_YEAR = re.compile(r"(?P<word>[A-Z][A-Za-z]+)\s$")
# More days of the same month listed after a date: 11月12日(日)、19日(日)
MORE_DAYS = re.compile(r"\s*[、,]\s*(?P<day>\d{1,2})日")
# Words that can lead a date (the rest start with a digit, which 年 or 月 follows): see Source.scan.
JP_DATE_LEADS = re.compile(r"本年|今年|昨年|去年|来年|同年|令和|平成|昭和")
JP_DATE_NUMBER_ENDS = "[年月]"
EN_DATE_LEADS = re.compile("|".join([*MONTH_NAMES, "between", "last year", "this year"]))  # flat: a fast search
# A bare year range in Japanese text, e.g. （2021-2025）, 2003 - 2008
JP_YEAR_RANGE = re.compile(r"(?<![\w.])(?P<y1>(?:19|20)\d{2})\s*[-–]\s*(?P<y2>(?:19|20)\d{2})(?![\w.])")
JP_YEAR_RANGE_NEXT = r"[\s\-–]"
# After the digits of an English date: a day's suffix or 'to' (st, nd, rd, th, to), a space or dash, or for a
# bare year anything but what would make it part of a word, a percentage or a Japanese year.
EN_DATE_NEXT = r"[snrt]|[^0-9A-Za-z%年]"


@dataclass
class DateExpr:
    start: int
    end: int
    date: str | None
    end_date: str | None = None
    duration_text: str | None = None
    duration_months: float | None = None
    note: str | None = None


def _jp_end(m: re.Match, year: int, month: int | None) -> tuple[str | None, str | None, float | None]:
    """End of a Japanese range: (end_date, duration_text, duration_months)."""
    g = m.groupdict()
    if g.get("e_full"):
        return parse_japanese_date(g["e_full"]), None, None
    if g.get("e_m"):
        return iso(year, int(g["e_m"]), int(g["e_md"]) if g.get("e_md") else None), None, None
    if g.get("e_d") and month:
        return iso(year, month, int(g["e_d"])), None, None
    if g.get("e_short_year"):
        return iso(year // 100 * 100 + int(g["e_short_year"])), None, None
    if g.get("e_dur"):
        months = duration_months(g["e_dur"])
        return None, g["e_dur"], months
    return None, None, None


def scan_dates(src: Text) -> list[DateExpr]:
    """Every date expression of the document, in order; a date whose year its context does not give
    is recorded as skipped, with the reason."""
    a, b = 0, len(src.text)
    text = src.folded
    found: list[DateExpr] = []
    taken = bytearray(len(text) + 1)  # 1 where a date expression already claimed the character
    for m in src.scan(JP_DATE_EXPR, also=JP_DATE_LEADS, a=a, b=b, followed_by=JP_DATE_NUMBER_ENDS):
        note = None
        try:
            if m["md_month"]:
                # A date without its year takes it from 本年/昨年 earlier on its line ('本年1月6日に…。８月22日に'),
                # else, for a month and day, from the context rules of Source.context_year.
                line_start = text.rfind("\n", 0, m.start()) + 1
                relative = m["rel"] or (r[-1] if (r := LINE_RELATIVE.findall(text, line_start, m.start())) else None)
                month_only = not m["md_day"]
                if relative == "同年":  # the year of the date stated just before it on the slide
                    seg = src.segment_of(m.start())
                    before = [date for d in found if seg[0] <= d.start < m.start() and (date := d.date)]
                    year, note = (
                        (int(before[-1][:4]), "year from '同年': the date stated before it")
                        if before
                        else (None, "'同年' with no date before it on the slide")
                    )
                else:
                    year, note = src.context_year(
                        m.start(),
                        relative,
                        int(m["md_month"]),
                        int(m["md_day"]) if m["md_day"] else None,
                        allow_continuation=not month_only,
                    )
                if year is None:
                    # '6-7月': the first month of the range shares the reason
                    start = (
                        first.start()
                        if (first := MONTH_RANGE_START.search(text, max(0, m.start() - 6), m.start()))
                        else m.start()
                    )
                    src.skip(
                        start,
                        m.end(),
                        "a month with no year in its context (or a month of a yearly cycle)"
                        if month_only and not relative
                        else note,
                    )
                    continue
                month: int | None = int(m["md_month"])
                day = int(m["md_day"]) if m["md_day"] else None
            else:
                year = year_from_match(m)
                month = int(m["month"]) if m["month"] else None
                day = int(m["day"]) if m["day"] else None
            if m["dayrange"]:
                day = int(m["dayrange"])
            date = iso(year, month, day)
            end_date, dur_text, dur_months = (None, None, None)
            if m["range"]:
                end_date, dur_text, dur_months = _jp_end(m, year, month)
                if m["range"].strip() == "・" and not end_date:
                    end = m.start("range")
                    found.append(DateExpr(m.start(), end, date, note=note))
                    _claim(taken, m.start(), end)
                    continue
            end = m.end() if (end_date or dur_text) else (m.start("range") if m["range"] else m.end())
            found.append(DateExpr(m.start(), end, date, end_date, dur_text, dur_months, note))
            _claim(taken, m.start(), end)
            if day is not None and not m["range"]:
                pos = end
                while more := MORE_DAYS.match(text, pos):
                    found.append(DateExpr(more.start("day"), more.end(), iso(year, month, int(more["day"])), note=note))
                    _claim(taken, more.start("day"), more.end())
                    pos = more.end()
                    if dow := DAY_OF_WEEK.match(text, pos):  # no copy of the rest of the text
                        pos = dow.end()
        except ValueError as err:
            src.skip(m.start(), m.end(), f"not a valid date: {err}")
    for m in src.scan(JP_YEAR_RANGE, a=a, b=b, followed_by=JP_YEAR_RANGE_NEXT):
        if not taken[m.start()]:
            found.append(DateExpr(m.start(), m.end(), m["y1"], m["y2"]))
            _claim(taken, m.start(), m.end())
    for m in src.scan(EN_DATE_EXPR, also=EN_DATE_LEADS, a=a, b=b, followed_by=EN_DATE_NEXT):
        if taken[m.start()]:
            continue
        if (
            m["bare"]
            and (w := NAME_BEFORE_YEAR.search(text[max(0, m.start() - 20) : m.start()]))
            and w["word"].lower() not in MONTHS
        ):
            continue
        found.append(_en_date(src, m))
        _claim(taken, m.start(), m.end())
    return sorted((d for d in found if d.date), key=lambda d: (d.start, d.end))


def _claim(taken: bytearray, start: int, end: int) -> None:
    taken[start:end] = b"\x01" * (end - start)


def _en_date(src: Text, m: re.Match) -> DateExpr:
    if m["month"]:
        year, month = int(m["year"]), MONTHS[m["month"].lower()]
        day = int(m["d1"] or m["md"]) if (m["d1"] or m["md"]) else None
        end = iso(year, month, int(m["d2"])) if m["d2"] else None
        return DateExpr(m.start(), m.end(), iso(year, month, day), end)
    if m["y1"]:
        return DateExpr(m.start(), m.end(), m["y1"], m["y2"])
    if m["b1"]:
        return DateExpr(m.start(), m.end(), m["b1"], m["b2"])
    if m["rel"]:
        stated_year, note = src.context_year(m.start(), m["rel"])
        if stated_year is None:
            src.skip(m.start(), m.end(), note)
            return DateExpr(m.start(), m.end(), None)
        return DateExpr(m.start(), m.end(), iso(stated_year), note=note)
    return DateExpr(m.start(), m.end(), m["bare"])
