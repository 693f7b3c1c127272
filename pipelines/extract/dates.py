"""Date expressions: where a document states a date, at the precision stated.

Recognises date expressions in Japanese and English (``1967年``, ``2012年7月～2018年1月``,
``令和５年１０月``, ``20-22 November 2001``, ``2021-2025``, ``本年２月７日``, ``2019-12-02``,
``Dec. 1, 2008``) and resolves a year left implicit from its context: the document's date for
本年/昨年/last year, a month or day without a year (``8月27日、28日``, ``21日午前``, ``On 11th March``,
``from 16 to 18 December``, ``early November``) and a weekday (``said Monday``); the year heading a
list (``97年:`` above ``12月、…``); the same date stated in full; the only year stated on the slide.
A two-digit year (``09年を``, ``15年に``, ``77年:``) takes the century of the document's date (else of the
years it states); ``the next day``/``翌日``/``同日`` count from the date stated just before. Where the
context gives no year, there is no date (the reason is recorded). A year glued to a word
(``東京戦略2012``, ``Vision 2025``, ``the 2013 Vision Statement``) is part of a name, and ``over the
last year`` is a period, not the year before.
Every family reads them as ``Source.dates`` (scanned once per document).
Does not belong here: what a dated statement is about (events, meetings, projects and money are
families of their own).
"""

from __future__ import annotations

import bisect
import datetime
import re
from dataclasses import dataclass

from pipelines.extract.base import Text
from pipelines.normalize import (
    ERA,
    JP_DATE,
    MONTH_NAMES,
    MONTHS,
    duration_months,
    iso,
    parse_japanese_date,
    year_from_match,
)

# English month names, and the abbreviations news pages use ('Nov. 3, 2011', 'Sept. 5').
MONTH_ABBREVIATIONS = ("Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sept", "Sep", "Oct", "Nov", "Dec")
EN_MONTH = "(?:" + "|".join(MONTH_NAMES) + "|(?:" + "|".join(MONTH_ABBREVIATIONS) + r")\.)"
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DAY_OF_WEEK = re.compile(r"\s*[(（][月火水木金土日](?:曜日?)?[)）]")  # '(日)', '(木曜日)' after a date
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
    + r"(?:(?P<dayrange>\d{1,2})(?=\s*[～~・]\s*\d{1,2}日))?"
    + _DOW
    + r"(?:(?P<range>"
    + _SEP
    + r"|から|・)"
    + _JP_END
    + _DOW
    + r")?"
)
EN_DATE_EXPR = re.compile(
    r"(?P<iy>(?:19|20)\d{2})(?P<isep>[-/])(?P<im>\d{1,2})(?P=isep)(?P<id>\d{1,2})(?![0-9])"
    r"|(?:(?P<d1>\d{1,2})(?:st|nd|rd|th)?(?:\s*(?:-|–|to)\s*(?P<d2>\d{1,2})(?:st|nd|rd|th)?)?\s+)?"
    r"(?P<month>" + EN_MONTH + r")\s+(?:(?P<md>\d{1,2}),\s+)?(?P<year>\d{4})"
    r"|(?P<y1>(?:19|20)\d{2})\s*[-–]\s*(?P<y2>(?:19|20)\d{2})"
    r"|(?:between|from)\s+(?P<b1>(?:19|20)\d{2})\s+(?:and|to|until|through)\s+(?P<b2>(?:19|20)\d{2})(?![0-9])"
    r"|(?<!the\s)(?P<rel>last year|this year)"  # 'over the last year' is the past twelve months
    r"|(?<![0-9A-Za-z.ァ-ヶー\-\u3040-\u309f\u4e00-\u9fff/_=])(?P<bare>(?:19|20)\d{2})(?![0-9A-Za-z%年/_]|\.\d)"
)
MONTH_RANGE_START = re.compile(r"\d{1,2}\s*[-～〜~]\s*$")
LINE_RELATIVE = re.compile(r"本年|今年|昨年|去年|来年")
# A year right after a capitalised word is part of a name (Vision 2025, Games 2023), not a date; the
# words that lead a date at the start of a sentence (During 2021, In 2013) are not names.
NAME_BEFORE_YEAR = re.compile(r"(?P<word>[A-Z][A-Za-z]+)\s$")
WORDS_BEFORE_A_YEAR = frozenset(
    "in during since by from until till before after on at as for through throughout between of and to "
    "early late mid also then around about circa".split()
)
# 'the 2016 Example Declaration': a year between 'the' and a capitalised word names a document.
YEAR_IN_A_TITLE = re.compile(r"\s+[A-Z]")
THE_BEFORE = re.compile(r"\bthe\s$")
YEARLY = re.compile(r"(?:毎年|例年|毎月)[^。\n]{0,12}$")  # '毎年4月': a month of a yearly cycle
# More days of the same month listed after a date: 11月12日(日)、19日(日)
MORE_DAYS = re.compile(r"\s*[、,]\s*(?P<day>\d{1,2})日")
# Words that can lead a date (the rest start with a digit, which 年 or 月 follows): see Source.scan.
JP_DATE_LEADS = re.compile(r"本年|今年|昨年|去年|来年|同年|" + ERA)
JP_DATE_NUMBER_ENDS = "[年月]"
EN_DATE_LEADS = re.compile("|".join([*MONTH_NAMES, *MONTH_ABBREVIATIONS, "between", "from", "last year", "this year"]))
# A bare year range in Japanese text, e.g. （2021-2025）, 2003 - 2008
JP_YEAR_RANGE = re.compile(r"(?<![\w.])(?P<y1>(?:19|20)\d{2})\s*[-–]\s*(?P<y2>(?:19|20)\d{2})(?![\w.])")
JP_YEAR_RANGE_NEXT = r"[\s\-–]"
# After the digits of an English date: a day's suffix or 'to' (st, nd, rd, th, to), a space or dash, or for a
# bare year anything but what would make it part of a word, a percentage or a Japanese year.
EN_DATE_NEXT = r"[snrt]|[^0-9A-Za-z%年]"

# A two-digit year of a Japanese text: '09年を', 'ASEANが15年に', '77年:' heading a list. Only after a
# break or a particle, and only where a year can follow: '15年間', '設立から15年', '20年に一度' are lengths.
JP_SHORT_YEAR = re.compile(
    r"(?P<yy>\d{2})年(?![間度目前後代生来半余超次分ぶ連以未])"
    r"(?:\s*(?P<sm>\d{1,2})月(?:\s*(?P<sd>\d{1,2})日)?"
    r"|(?=\s*[:：]|に(?!一度|1度|わた)|を(?!迎|経|過|超|要)|の|、|から|まで|は|以来|頃|ごろ|末|初め|春|夏|秋|冬))"
)
SHORT_YEAR_AFTER = "、。，,「『（(【[：:・がはもとでにを"
# A day without its month in a news report: '21日午前', '5日、'. The month is that of the same day stated
# in full before it, else of the document's date.
JP_DAY_ONLY = re.compile(r"(?P<dd>\d{1,2})日(?=\s*(?:午前|午後|朝|夜|夕方|未明|、|に(?!ち)|[(（][月火水木金土日]))")
NOT_BEFORE_A_DAY = set("0123456789月毎第約数同翌前後各十百全一二三四五六七八九/.・～~-")
# Days counted from the date stated just before: 'the next day', '翌日', '同日'.
RELATIVE_DAY_EN = re.compile(r"the (?:next|following|same|previous) day|the day (?:before|after)")
RELATIVE_DAY_JA = re.compile(r"[翌同前]日(?!付|程度)")
RELATIVE_DAY_OFFSETS = {
    "next": 1,
    "following": 1,
    "same": 0,
    "previous": -1,
    "before": -1,
    "after": 1,
    "翌日": 1,
    "同日": 0,
    "前日": -1,
}
# 本年/昨年/同年 standing alone ('昨年策定された'; before a month or day it leads a date of JP_DATE_EXPR).
JP_RELATIVE_YEAR = re.compile(r"(?P<rel>本年|今年|昨年|去年|来年|同年)(?![度\s0-9来])")
RELATIVE_DAY_REACH = 400  # characters back to the date a relative day counts from
# English month or weekday without a year: '4th May', 'July 13', 'from 3 to 5 October',
# 'late February', 'said Tuesday'. Found from the month or weekday name, then read around it.
# (The look-ahead at the capitals lets the regex engine skip the other characters quickly.)
PARTIAL_LEADS = re.compile(r"(?=[JFMASONDTW])(?P<name>" + EN_MONTH + "|" + "|".join(WEEKDAYS) + r")(?![A-Za-z])")
DAYS_AFTER_MONTH = re.compile(
    r"\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?(?![0-9])(?:\s*(?:-|–|to)\s*(?P<d2>\d{1,2})(?:st|nd|rd|th)?(?![0-9]))?"
    r"(?!\s*,?\s*\d)"
)
DAYS_BEFORE_MONTH = re.compile(
    r"(?<![0-9A-Za-z])(?P<d1>\d{1,2})(?:st|nd|rd|th)?(?:\s*(?:-|–|to)\s*(?P<d2>\d{1,2})(?:st|nd|rd|th)?)?\s+$"
)
WORD_BEFORE_MONTH = re.compile(r"\b(?P<w>early|late|mid|in|since|until|by|from|during|last|next|this)[\s\-]+$", re.I)
WORD_BEFORE_WEEKDAY = re.compile(r"\b(?P<w>on|said|says|last|this|next|since|until|by|early|late|from)\s+$", re.I)
DATE_FOLLOWS = re.compile(r",?\s*(?:\d|" + EN_MONTH + ")")
YEAR_FOLLOWS = re.compile(r"\s*,?\s*(?:of\s+)?\d{4}")
# A line that heads a list with a year: '97年:', '1997年', '1997:'.
YEAR_HEADING = re.compile(
    r"[ \t]*(?:(?P<y4>(?:19|20)\d{2})(?:年|(?=[ \t]*[:：]))|(?P<yy>\d{2})年(?=[ \t]*[:：]))[ \t]*[:：]?\s*"
)
YEAR_HEADING_LINE = re.compile(r"^[ \t]*\d{2,4}(?:年|[ \t]*[:：])[^\n]{0,4}$", re.M)
SAME_DATE_NOTE = "year of the same date stated in full"  # how Text.context_year says it found one
HEADING_REACH = 30  # lines back to the year heading of a list item
YEAR_MARK_CLASS = "[年]"


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


def document_year(src: Text) -> int | None:
    """The year of the document's own date, when it states one."""
    return int(src.published[:4]) if src.published else None


def _century_year(src: Text, yy: int, found: list[DateExpr]) -> int | None:
    """A two-digit year in the century of the document's date (else of the latest year it states):
    the latest year not more than twenty years after that date."""
    reference = document_year(src)
    if reference is None:
        years = [int(d.date[:4]) for d in found if d.date]
        reference = max(years) if years else None
    if reference is None:
        return None
    year = 2000 + yy
    return year if year <= reference + 20 else 1900 + yy


def _heading_lines(text: str) -> list[re.Match]:
    """Every line that is a year heading a list ('97年:', '1997年'), in order."""
    return [m for m in YEAR_HEADING_LINE.finditer(text) if YEAR_HEADING.fullmatch(m.group())]


def _heading_year(src: Text, pos: int, found: list[DateExpr], headings: list[re.Match]) -> int | None:
    """The year heading the list item that holds pos ('97年:' a few lines above it, on the same slide)."""
    i = bisect.bisect_right([h.start() for h in headings], pos) if headings else 0
    if not i:
        return None
    h = headings[i - 1]
    seg_start, _ = src.segment_of(pos)
    line_start = src.folded.rfind("\n", 0, pos) + 1
    if h.start() < seg_start or h.end() >= line_start or src.folded.count("\n", h.end(), line_start) > HEADING_REACH:
        return None
    year = YEAR_HEADING.fullmatch(h.group())
    assert year is not None  # _heading_lines keeps only the lines it matches
    if year["y4"]:
        return int(year["y4"])
    return _century_year(src, int(year["yy"]), found)


def scan_dates(src: Text) -> list[DateExpr]:
    """Every date expression of the document, in order; a date whose year its context does not give
    is recorded as skipped, with the reason."""
    a, b = 0, len(src.text)
    text = src.folded
    found: list[DateExpr] = []
    taken = bytearray(len(text) + 1)  # 1 where a date expression already claimed the character
    headings = _heading_lines(text)
    for m in src.scan(JP_DATE_EXPR, also=JP_DATE_LEADS, a=a, b=b, followed_by=JP_DATE_NUMBER_ENDS):
        note = None
        try:
            if m["md_month"]:
                # A date without its year takes it from 本年/昨年 earlier on its line ('本年1月6日に…。８月22日に'),
                # else from the year heading its list, else from the context rules of Source.context_year,
                # else from the document's date.
                line_start = text.rfind("\n", 0, m.start()) + 1
                relative = m["rel"] or (r[-1] if (r := LINE_RELATIVE.findall(text, line_start, m.start())) else None)
                month_only = not m["md_day"]
                year: int | None
                if relative == "同年":  # the year of the date stated just before it on the slide
                    seg = src.segment_of(m.start())
                    before = [date for d in found if seg[0] <= d.start < m.start() and (date := d.date)]
                    year, note = (
                        (int(before[-1][:4]), "year from '同年': the date stated before it")
                        if before
                        else (None, "'同年' with no date before it on the slide")
                    )
                elif not relative and (heading := _heading_year(src, m.start(), found, headings)) is not None:
                    year, note = heading, "year from the year heading the list"
                else:
                    year, note = src.context_year(
                        m.start(),
                        relative,
                        int(m["md_month"]),
                        int(m["md_day"]) if m["md_day"] else None,
                        allow_continuation=not month_only,
                    )
                    if (
                        not relative
                        and src.published
                        and (year is None or not (note or "").startswith(SAME_DATE_NOTE))
                        and not YEARLY.search(text, line_start, m.start())
                    ):
                        # A dated document: its year, unless the same date is stated in full with another.
                        year, note = document_year(src), "year of the document's date"
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
            if day is not None and not m["range"]:
                more, pos = [], end
                while extra := MORE_DAYS.match(text, pos):
                    more.append(extra)
                    pos = extra.end()
                    if dow := DAY_OF_WEEK.match(text, pos):  # no copy of the rest of the text
                        pos = dow.end()
                if more and [int(x["day"]) for x in more] == list(range(day + 1, day + 1 + len(more))):
                    # '5月9日、10日': consecutive days, one span
                    found.append(
                        DateExpr(m.start(), more[-1].end(), date, iso(year, month, int(more[-1]["day"])), note=note)
                    )
                    _claim(taken, m.start(), more[-1].end())
                    continue
                found.append(DateExpr(m.start(), end, date, end_date, dur_text, dur_months, note))
                _claim(taken, m.start(), end)
                for extra in more:  # '11月12日(日)、19日(日)': days of their own
                    found.append(
                        DateExpr(extra.start("day"), extra.end(), iso(year, month, int(extra["day"])), note=note)
                    )
                    _claim(taken, extra.start("day"), extra.end())
                continue
            found.append(DateExpr(m.start(), end, date, end_date, dur_text, dur_months, note))
            _claim(taken, m.start(), end)
        except ValueError as err:
            src.skip(m.start(), m.end(), f"not a valid date: {err}")
    for m in src.scan(JP_YEAR_RANGE, a=a, b=b, followed_by=JP_YEAR_RANGE_NEXT):
        if not taken[m.start()]:
            found.append(DateExpr(m.start(), m.end(), m["y1"], m["y2"]))
            _claim(taken, m.start(), m.end())
    for m in src.scan(EN_DATE_EXPR, also=EN_DATE_LEADS, a=a, b=b, followed_by=EN_DATE_NEXT):
        if taken[m.start()] or (m["bare"] and _year_in_a_name(text, m)):
            continue
        try:
            expr = _en_date(src, m)
        except ValueError as err:
            src.skip(m.start(), m.end(), f"not a valid date: {err}")
            continue
        found.append(expr)
        _claim(taken, m.start(), m.end())
    found.sort(key=lambda d: (d.start, d.end))
    _short_years(src, found, taken)
    _partial_english_dates(src, found, taken)
    found.sort(key=lambda d: (d.start, d.end))
    _days_without_month(src, found, taken)
    _relative_days(src, found, taken)
    _relative_years(src, found, taken)
    return sorted((d for d in found if d.date), key=lambda d: (d.start, d.end))


def _year_in_a_name(text: str, m: re.Match) -> bool:
    """A bare year that is part of a name: after a capitalised word (Vision 2025), or between 'the' and a
    capitalised word (the 2013 Vision Statement)."""
    if (w := NAME_BEFORE_YEAR.search(text, max(0, m.start() - 20), m.start())) and w["word"].lower() not in (
        WORDS_BEFORE_A_YEAR | set(MONTHS)
    ):
        return True
    return bool(THE_BEFORE.search(text, max(0, m.start() - 5), m.start()) and YEAR_IN_A_TITLE.match(text, m.end()))


def _claim(taken: bytearray, start: int, end: int) -> None:
    taken[start:end] = b"\x01" * (end - start)


def _month_number(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")[:3]]


def _en_date(src: Text, m: re.Match) -> DateExpr:
    if m["iy"]:
        return DateExpr(m.start(), m.end(), iso(int(m["iy"]), int(m["im"]), int(m["id"])))
    if m["month"]:
        year, month = int(m["year"]), _month_number(m["month"])
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


def _short_years(src: Text, found: list[DateExpr], taken: bytearray) -> None:
    """Two-digit years of a Japanese text ('09年を', '15年に', '77年:')."""
    text = src.folded
    stated = list(found)
    for m in src.scan(JP_SHORT_YEAR, followed_by=YEAR_MARK_CLASS):
        before = text[m.start() - 1] if m.start() else "\n"
        if taken[m.start()] or not (before.isspace() or before in SHORT_YEAR_AFTER):
            continue
        year = _century_year(src, int(m["yy"]), stated)
        if year is None:
            src.skip(m.start(), m.end(), "a two-digit year in a document that states no century")
            continue
        try:
            date = iso(year, int(m["sm"]) if m["sm"] else None, int(m["sd"]) if m["sd"] else None)
        except ValueError as err:
            src.skip(m.start(), m.end(), f"not a valid date: {err}")
            continue
        found.append(DateExpr(m.start(), m.end(), date, note="two-digit year, in the century of the document"))
        _claim(taken, m.start(), m.end())


def _same_day_stated(found: list[DateExpr], month: int, day: int) -> int | None:
    """The year of the date with this month and day stated in full (in `found`), when only one is."""
    years = {int(d.date[:4]) for d in found if d.date and len(d.date) == 10 and d.date[5:] == f"{month:02d}-{day:02d}"}
    return years.pop() if len(years) == 1 else None


def _partial_english_dates(src: Text, found: list[DateExpr], taken: bytearray) -> None:
    """English dates without their year ('On 4th May', 'July 13', 'from 3 to 5 October', 'early
    November') and weekdays ('said Tuesday'), dated by the document's date."""
    text = src.folded
    stated = list(found)
    for m in PARTIAL_LEADS.finditer(text):
        if taken[m.start()] or YEAR_FOLLOWS.match(text, m.end()):
            continue
        name = m["name"]
        before = text[max(0, m.start() - 24) : m.start()]
        if name in WEEKDAYS:
            _weekday(src, m, before, found, taken)
            continue
        month = _month_number(name)
        start, end, d1, d2, word = m.start(), m.end(), None, None, None
        if after := DAYS_AFTER_MONTH.match(text, m.end()):
            d1, d2, end = after["d1"], after["d2"], after.end()
        elif days := DAYS_BEFORE_MONTH.search(before):
            d1, d2, start = days["d1"], days["d2"], m.start() - len(before) + days.start()
        elif lead := WORD_BEFORE_MONTH.search(before):
            word, start = lead["w"].lower(), m.start() - len(before) + lead.start()
        else:
            continue
        if taken[start] or taken[end - 1]:
            continue
        year, note = None, None
        if word in ("last", "next"):
            ref = document_year(src)
            year = None if ref is None else ref + (1 if word == "next" else -1)
            note = f"year from '{word} {name}' and the document's date"
        elif d1 and (same := _same_day_stated([x for x in stated if x.start < start], month, int(d1))) is not None:
            year, note = same, "year of the same date stated in full in the document"
        elif src.published:
            year, note = document_year(src), "year of the document's date"
        if year is None:
            src.skip(start, end, "a month with no year, in a document that states no date")
            continue
        try:
            date = iso(year, month, int(d1) if d1 else None)
            end_date = iso(year, month, int(d2)) if d2 else None
        except ValueError as err:
            src.skip(start, end, f"not a valid date: {err}")
            continue
        found.append(DateExpr(start, end, date, end_date, note=note))
        _claim(taken, start, end)


def _weekday(src: Text, m: re.Match, before: str, found: list[DateExpr], taken: bytearray) -> None:
    """'said Tuesday', 'on Friday': the latest such day on or before the document's date ('next Monday':
    the first after it)."""
    lead = WORD_BEFORE_WEEKDAY.search(before)
    if lead is None or DATE_FOLLOWS.match(src.folded, m.end()):
        return
    start = m.start() - len(before) + lead.start()
    if src.published is None or len(src.published) < 10:
        src.skip(start, m.end(), "a weekday in a document that states no date to the day")
        return
    published = datetime.date.fromisoformat(src.published)
    weekday = WEEKDAYS.index(m["name"])
    if lead["w"].lower() == "next":
        day = published + datetime.timedelta(days=(weekday - published.weekday() - 1) % 7 + 1)
    else:
        day = published - datetime.timedelta(days=(published.weekday() - weekday) % 7)
    found.append(DateExpr(start, m.end(), day.isoformat(), note=f"{m['name']} of the week of the document's date"))
    _claim(taken, start, m.end())


def _days_without_month(src: Text, found: list[DateExpr], taken: bytearray) -> None:
    """'21日午前' in a news report: the date stated before it with the same day, else that day of the
    month of the document's date."""
    text = src.folded
    for m in src.scan(JP_DAY_ONLY, followed_by="[日]"):
        if taken[m.start()] or (m.start() and text[m.start() - 1] in NOT_BEFORE_A_DAY):
            continue
        day = int(m["dd"])
        earlier = [d for d in found if d.start < m.start() and d.date and len(d.date) == 10 and int(d.date[8:]) == day]
        if earlier:
            date, note = earlier[-1].date, "the date stated before it with the same day"
        elif src.published and len(src.published) == 10 and 1 <= day <= int(src.published[8:]):
            date, note = src.published[:8] + f"{day:02d}", "the day in the month of the document's date"
        else:
            src.skip(m.start(), m.end(), "a day with no month in its context")
            continue
        found.append(DateExpr(m.start(), m.end(), date, note=note))
        _claim(taken, m.start(), m.end())
    found.sort(key=lambda d: (d.start, d.end))


def _relative_days(src: Text, found: list[DateExpr], taken: bytearray) -> None:
    """'the next day', '翌日', '同日': counted from the date stated just before it (to the day, on the slide)."""
    text = src.folded
    matches = sorted([*RELATIVE_DAY_EN.finditer(text), *RELATIVE_DAY_JA.finditer(text)], key=lambda m: m.start())
    for m in matches:
        if taken[m.start()]:
            continue
        seg_start, _ = src.segment_of(m.start())
        before = [
            d
            for d in found
            if max(seg_start, m.start() - RELATIVE_DAY_REACH) <= d.start < m.start() and d.date and len(d.date) == 10
        ]
        if not before:
            src.skip(m.start(), m.end(), "a day counted from a date the text does not state before it")
            continue
        words = m.group().split()  # 'the next day' -> next; 'the day before' -> before
        offset = RELATIVE_DAY_OFFSETS[m.group() if len(words) == 1 else words[-1] if words[1] == "day" else words[1]]
        base = before[-1]
        counted_from = base.end_date if offset > 0 and base.end_date and len(base.end_date) == 10 else base.date
        assert counted_from is not None  # only dated expressions are kept in `before`
        day = datetime.date.fromisoformat(counted_from)
        date = (day + datetime.timedelta(days=offset)).isoformat()
        found.append(DateExpr(m.start(), m.end(), date, note=f"counted from the date stated before it ({base.date})"))
        _claim(taken, m.start(), m.end())
    found.sort(key=lambda d: (d.start, d.end))


def _relative_years(src: Text, found: list[DateExpr], taken: bytearray) -> None:
    """本年/昨年/来年 standing alone (the document's date), 同年 (the year of the date stated before it)."""
    text = src.folded
    for m in JP_RELATIVE_YEAR.finditer(text):
        if taken[m.start()]:
            continue
        rel = m["rel"]
        if rel == "同年":
            seg_start, _ = src.segment_of(m.start())
            before = [d for d in found if seg_start <= d.start < m.start() and d.date]
            if not before:
                src.skip(m.start(), m.end(), "'同年' with no date before it on the slide")
                continue
            assert before[-1].date is not None
            year, note = int(before[-1].date[:4]), "year from '同年': the date stated before it"
        else:
            stated, reason = src.context_year(m.start(), rel)
            if stated is None:
                src.skip(m.start(), m.end(), reason)
                continue
            year, note = stated, reason or ""
        found.append(DateExpr(m.start(), m.end(), iso(year), note=note))
        _claim(taken, m.start(), m.end())
    found.sort(key=lambda d: (d.start, d.end))
