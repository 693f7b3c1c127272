"""Dated statements (``events``): one row per date of ``Source.dates`` that dates something that
happened or is planned, described by its clause.

A statement holding several dates gives one row per date, each with its own clause as description
(``clauses.clause_spans``); the description joins the lines a statement is wrapped over and is never
only a date. A year heading a list (``77年:``) dates the items under it that state no date of their own.
A fact a headline states and the text restates is one row, at the text's fuller statement.
Not events (each skipped with the reason):
- a page's date stamp or dateline: a date alone on its line with at most a label, a time, a weekday,
  a place or the publisher (``[Date] November 22, 2015``, ``平成25年12月14日``, ``13 November 2017, Manila``,
  ``18:00 JST, December 17, 2023``, ``date 2019-12-02``, a page number glued to a date on its own line);
  a news dateline (``JAKARTA, 27 May 2021 –``) dates its first statement only when that says ``today``;
- the reference date of a figure: ``as of April 2011``, ``2022年時点``, ``(2013 estimate)``, ``Total Trade
  in 2013``, ``面積(2021年)``, and a fiscal year (``2015年度が170人``);
- the period of a plan or an amount: ``over three years from 2020 to 2022``, ``3年間（2020年～2022年）``,
  ``08年からの5年間``, and the horizon a plan runs to (``2015年までの方針``);
- a year characterised rather than dated (``this year marks the 50th year``, ``今年で4年目``).
Does not belong here: recognising dates (``pipelines.extract.dates``); what a dated statement is
about beyond its words (meetings, projects and money have their own families).
"""

from __future__ import annotations

import re

from pipelines.extract.base import BULLETS, Spans
from pipelines.extract.clauses import clause_spans, clip_words, describe, statement_span
from pipelines.extract.dates import YEAR_HEADING, DateExpr
from pipelines.extract.family import Family
from pipelines.extract.source import Source

# What may stand beside a date on a stamp line: labels, a time, a weekday, a place, the publisher's
# kind of word, punctuation.
_TIME = r"\d{1,2}[:：]\d{2}(?:\s*(?:a\.m\.|p\.m\.|am|pm))?(?:\s*\(?(?:JST|GMT|UTC|ICT|WIB|local time)\)?)?"
_WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|[(（][月火水木金土日](?:曜日?)?[)）]"
_LABEL = (
    r"\[?(?:Date|Posted(?: on)?|Published(?: on)?|Updated(?: on)?|Released(?: on)?|Issued(?: on)?|Last updated)\]?"
    r"|日付|掲載日|更新日|発表日|作成日|公開日|発表|公表|掲載|更新|作成|公開"
)
_PLACE = r"[A-Z][A-Za-z.'’\-]*(?:\s+[A-Z][A-Za-z.'’\-]*){0,3}"
STAMP_REST = re.compile(
    r"(?:\s|[\[\]【】()（）:：,，、.。\-–—|/" + re.escape(BULLETS) + "]|" + _TIME + "|" + _WEEKDAY + "|" + _LABEL + ")*"
)
PLACE_REST = re.compile(r"\s*,\s*" + _PLACE + r"(?:\s*,\s*" + _PLACE + r")?\s*")
LABEL_BEFORE = re.compile(
    r"(?:\[Date\]|\bDate\s*[:：]|\bdate|日付\s*[:：]?|掲載日\s*[:：]?|更新日\s*[:：]?|\bPosted on|\bPublished(?: on)?|"
    r"\bUpdated(?: on)?)\s*$"
)
NEWS_DATELINE = re.compile(r"^\s*[A-Z][A-Za-z .'\-]{2,}(?:,\s*[A-Za-z .]+)?,\s*$")
PLACE_BEFORE = re.compile(r"\s*" + _PLACE + r"(?:\s*,\s*" + _PLACE + r")?\s*,\s*")  # 'Jakarta, 3 February 2023'

DATELINE_DASH = re.compile(r"\s*[–—\-:]\s*")
TODAY = re.compile(r"\btoday\b|本日|今日")
# A line that says what happened on the date above it ('2023年10月4日\n日ASEAN農林大臣会合において採択').
EVENT_LINE_END = re.compile(
    r"(?:採択|開催|署名|設立|発足|合意|発効|調印|決定|締結|加盟|就任|訪問|出発|開始|終了|実施|開設|完成|した|された|。|"
    r"held|signed|adopted|launched|established|opened|\.)\s*$"
)
ITEM_MARKS = "（(【[" + BULLETS  # a date in brackets or after a bullet dates an item
BEFORE_CHARS = 45  # what a date's kind is read from before it
STAMP_LINE_CHARS = 100  # a stamp's line holds little besides its date
HEADING_LINE_CHARS = 12
GLUED_NUMBER = re.compile(r"\s*\d{1,3}")
# The issuing body beside a stamp ('外務省', 'ASEAN代表部', 'Ministry of Foreign Affairs Japan').
ORGANISATION_LINE = re.compile(
    r"[^\d。.]{0,30}(?:省|庁|代表部|大使館|事務局|機構|基金|センター|Ministry[^\d.]*|Agency|Embassy[^\d.]*|Mission[^\d.]*|"
    r"Secretariat|Office|Department|Foundation)"
)
SENTENCE_END = re.compile(r"。|\.(?=\s)")
FIRST_SENTENCE_CHARS = 25
HEAD_SENTENCES = 40  # a page's head holds at most a few short lines ending with a full stop
# Reference dates of figures.
AS_OF_AFTER = re.compile(r"\s*(?:時点|現在)")
AS_OF_BEFORE = re.compile(r"\b[Aa]s\s+(?:of|at)\s*$")
ESTIMATE_AFTER = re.compile(r"\s*(?:estimates?|est\.|figures?|data|prices)\b", re.I)
STATISTIC_BEFORE = re.compile(
    r"(?:GDP|GNI|GNP|[Tt]rade|[Ee]xports?|[Ii]mports?|[Pp]opulation|[Aa]rea|per capita|[Ii]ncome|人口|面積|貿易額?|輸出額?|"
    r"輸入額?|総生産|国民所得|当たり|所得|投資額)[^.。\n]{0,25}?(?:\s+in\s+|\s*[(（])$"
)
FISCAL_AFTER = re.compile(r"度")  # 2015年度: a fiscal year, the period of a figure
# Periods of a plan or an amount.
DURATION_AFTER = re.compile(r"\s*(?:から|より|以降)の?\s*(?:\d+|[一二三四五六七八九十]+)\s*(?:年間|か月|ヶ月|カ月)")
DURATION_BEFORE = re.compile(r"(?:\d+\s*(?:年間|か月間?|ヶ月間?|カ月間?))\s*[(（]?\s*$")
EN_PERIOD_BEFORE = re.compile(
    r"\b(?:over|for|during|in)\s+(?:the\s+)?(?:next\s+|following\s+|coming\s+|past\s+)?"
    r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s+years?\s+(?:from\s+|between\s+|starting\s+(?:in\s+)?)?$",
    re.I,
)
PERIOD_END_BEFORE = re.compile(r"\s+(?:to|until|through|and)\s+$|\s*[-–～~]\s*$")
HORIZON_AFTER = re.compile(r"\s*までの")
# A year characterised, not dated.
YEAR_CHARACTERISED = re.compile(
    r"\s+(?:is|marks|was|will be|will mark)\b|(?:で|は)[^。、]{0,30}?(?:\d+年目|\d+周年|節目)"
)
# Words a date carries that say nothing of what happened: '【～6月頃】', 'since', '予定'.
DATE_WORDS = re.compile(
    r"頃|ごろ|上旬|中旬|下旬|末|初め|以降|以来|まで|から|より|予定|時点|現在|曜日?|\b(?:early|late|mid|around|since|until|by|"
    r"from|to|in|on|of)\b",
    re.I,
)
# A named plan's period in brackets after its name: 'IAI Work Plan IV (2021-2025)', '行動計画（2016年～2025年）'.
PLAN_PERIOD_BEFORE = re.compile(
    r"(?:Plan|Programme|Program|Project|Strategy|Agenda|Vision|Framework|Roadmap|計画|戦略|ビジョン|枠組み|ロードマップ"
    r"|プロジェクト|プログラム)(?:\s+[IVX]+|[IVX]+)?[」”\"]?\s*[(（]\s*$"
)
CLOSE_AFTER = re.compile(r"\s*[)）]")
# A cited source: '（世界銀行、 2018）', '(World Bank, 2019)'.
CITATION_BEFORE = re.compile(r"[(（][^()（）\d]{2,30}[、,]\s*$")
HEADING_CHARS = 25  # a short statement ending with a colon heads what follows: '【参考】2020年の研修：'
STARTS = re.compile(r"開始|始ま|着手|発足|launch|start|begin|began", re.I)  # a period that says it starts
HEADLINE_CHARS = 100
HEADLINE_LINES = 3  # a headline is among the page's first lines
CAPTION = re.compile(r"撮影|写真|[Pp]hoto|=")  # a photo's caption states its own fact
SHORT_CLAUSE = 4  # a clause of a few letters besides its date ('2007年発効') needs the one before it
WORD_CHAR = re.compile(r"[^\W\d_]")
# A part of a statement that states a statistic: its year is the figure's reference year.
STATISTIC_WORD = re.compile(
    r"\bGDP\b|\bGNI\b|\b[Tt]rade\b|貿易|輸出|輸入|人口|\b[Pp]opulation\b|\b[Ee]xports?\b|\b[Ii]mports?\b|per capita|国内総生産|"
    r"直接投資|投資額|\bFDI\b|direct investment"
)
DIGIT = re.compile(r"\d")
# The period a summary, report or plan of activities covers, not an event: 'our main results in 2019',
# 'the work plan for 2020', 'highlights of 2018'; '2019年の主な活動実績', '2020年度の事業計画'.
SUMMARY_BEFORE = re.compile(
    r"\b(?i:activities|achievements|accomplishments|results|highlights|performance|figures|statistics|trends|outcomes"
    r"|progress|plans?|priorities|review|overview|summary|report)\s+(?:in|of|for)\s+(?:the\s+(?:year\s+)?)?$"
)
SUMMARY_AFTER = re.compile(
    r"(?:度)?(?:の|における)?(?:主な|主要な|これまでの)?(?:活動|事業)?(?:実績|成果|概要|報告|計画|総括|まとめ)"
)
RELATIVE_YEAR_WORDS = ("this year", "last year", "今年", "本年", "昨年", "去年", "来年")


def _line(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end == -1 else end


def _date_line(src: Source, d: DateExpr) -> tuple[int, int] | None:
    """The line of d when dates stand alone on it (with at most labels, times, weekdays, punctuation)."""
    text = src.folded
    ls, le = _line(text, d.start)
    if le - ls > STAMP_LINE_CHARS:
        return None
    pos = ls
    for x in src.dates_in(ls, le):
        if not STAMP_REST.fullmatch(text, pos, x.start):
            return None
        pos = max(pos, x.end)
    return (ls, le) if STAMP_REST.fullmatch(text, pos, le) else None


def _is_stamp(src: Source, d: DateExpr, head: int) -> bool:
    """A page's or a slide's date stamp: a labelled date ('[Date] …', 'date 2020-05-11'), a date with its
    place ('9 October 2019, Portville'), a page number glued to a date on its own line, or a date alone
    on its line in the page's head (before its first sentence), beside the issuing body's name, or
    with no line beside it saying what happened on it."""
    text = src.folded
    ls, le = _line(text, d.start)
    if LABEL_BEFORE.search(text, max(ls, d.start - 30), d.start):
        return True
    if le - ls > STAMP_LINE_CHARS:
        return False
    if STAMP_REST.fullmatch(text, ls, d.start) and PLACE_REST.fullmatch(text, d.end, le):
        return True
    if PLACE_BEFORE.fullmatch(text, ls, d.start) and STAMP_REST.fullmatch(text, d.end, le):
        return True
    if GLUED_NUMBER.fullmatch(text, ls, d.start) and STAMP_REST.fullmatch(text, d.end, le):
        return True  # '322023年11月1日': a slide's page number run into its date
    if _date_line(src, d) is None:
        return False
    if d.start < head or any(ORGANISATION_LINE.fullmatch(text[x:y].strip()) for x, y in _adjacent_lines(text, ls, le)):
        return True
    return _block_dated_by_line(src, d, ls, le) is None


def head_end(src: Source) -> int:
    """Where the page's first sentence (a statement of some length ending with 。 or a full stop) starts."""
    for i, m in enumerate(SENTENCE_END.finditer(src.folded)):
        if i >= HEAD_SENTENCES:
            break
        a, _ = src.statement(m.start(), m.start())
        if m.start() - a >= FIRST_SENTENCE_CHARS:
            return a
    return 0  # no sentence: no head known


def _adjacent_lines(text: str, ls: int, le: int) -> list[tuple[int, int]]:
    """The non-empty lines right before and after the line [ls, le), when no blank line separates them."""
    out = []
    if ls > 0:
        ps = text.rfind("\n", 0, ls - 1) + 1
        if text[ps : ls - 1].strip():
            out.append((ps, ls - 1))
    if le < len(text):
        ne = text.find("\n", le + 1)
        ne = len(text) if ne == -1 else ne
        if text[le + 1 : ne].strip():
            out.append((le + 1, ne))
    return out


def _block_dated_by_line(src: Source, d: DateExpr, ls: int, le: int) -> tuple[int, int] | None:
    """The lines a date standing alone on its line dates: a date in brackets or after a bullet dates the
    item just above it (a caption's date under the caption, '➢ 2020年12月16日' under its item), else the
    line below; a bare date dates the line just below it when that line says what happened
    ('2023年10月4日' over '…において採択'). None for a stamp."""
    text = src.folded
    seg_start, _ = src.segment_of(d.start)
    below = [(x, y) for x, y in _adjacent_lines(text, ls, le) if x > le]
    marked = text[ls:le].lstrip()[:1] in ITEM_MARKS
    candidates = [_block_above(text, ls, seg_start), *below[:1]] if marked else below[:1]
    for block in candidates:
        if block is None:
            continue
        x, y = block
        words = text[x:y].strip()
        if src.dates_in(x, y) or not re.search(r"[^\W\d_]", words) or YEAR_HEADING.fullmatch(words):
            continue
        if not marked and (STAMP_REST.fullmatch(words) or not EVENT_LINE_END.search(words)):
            continue
        return block
    return None


def _block_above(text: str, ls: int, seg_start: int) -> tuple[int, int] | None:
    """The run of lines ending just above the line starting at ls (across at most one blank line)."""
    end = ls - 1
    while end > seg_start and text[end - 1] in " \t\r\u3000\n" and text.count("\n", end - 1, ls) <= 2:
        end -= 1
    if end <= seg_start or text.count("\n", end, ls) > 2:
        return None
    start = end
    while start > seg_start:
        ps = text.rfind("\n", seg_start, start - 1) + 1
        if not text[ps : start - 1].strip() or start - ps > 200:
            break
        start = ps
    start = text.rfind("\n", seg_start, end) + 1 if start == end else start
    return (start, end) if text[start:end].strip() else None


def _news_dateline(src: Source, d: DateExpr) -> bool:
    """'JAKARTA, 27 May 2021 – …': a place in capitals, the date, a dash, then the first statement."""
    text = src.folded
    if not DATELINE_DASH.match(text, d.end):
        return False
    ls, _ = _line(text, d.start)
    return bool(NEWS_DATELINE.match(text[ls : d.start]))


def not_an_event(src: Source, d: DateExpr, previous: DateExpr | None, head_pos: int) -> str | None:
    """Why a date expression dates no event, or None when it does."""
    text = src.folded
    ls, le = _line(text, d.start)
    before = text[max(ls, d.start - BEFORE_CHARS) : d.start]
    head = text[d.start : d.end]
    if le - ls <= HEADING_LINE_CHARS and YEAR_HEADING.fullmatch(text[ls:le]):
        return "a year heading a list: the items under it are the events"
    if _news_dateline(src, d):
        a, b = statement_span(src, d.start, d.end)
        if TODAY.search(text, d.end, b) and not [x for x in src.dates_in(d.end, b)]:
            return None
        return "a news dateline: the document's date"
    if _is_stamp(src, d, head_pos):
        return "a date stamp or dateline: the document's date, not an event"
    if AS_OF_AFTER.match(text, d.end) or AS_OF_BEFORE.search(before[-12:]) or ESTIMATE_AFTER.match(text, d.end):
        return "the reference date of a figure ('as of', 時点, estimate)"
    part_start, part_end = _comma_part(text, d.start, ls, le)
    if STATISTIC_WORD.search(text, part_start, part_end) and _states_a_figure(src, part_start, part_end):
        return "the reference year of a statistic"
    if SUMMARY_BEFORE.search(before) or (head.endswith("年") and SUMMARY_AFTER.match(text, d.end)):
        return "the period a summary of activities covers"
    if STATISTIC_BEFORE.search(before):
        return "the reference year of a statistic"
    if head.endswith("年") and FISCAL_AFTER.match(text, d.end):
        return "a fiscal year: the period of a figure"
    if DURATION_AFTER.match(text, d.end) or DURATION_BEFORE.search(before[-12:]) or EN_PERIOD_BEFORE.search(before):
        return "the period of a plan or an amount, not an event"
    if d.duration_text and not STARTS.search(joined_after(text, d.end, 30)):
        return "the period of a plan or an amount ('2018年から5年間で'), not an event"
    if previous is not None and previous.end <= d.start and PERIOD_END_BEFORE.fullmatch(text, previous.end, d.start):
        prev_before = text[max(0, previous.start - 60) : previous.start]
        if EN_PERIOD_BEFORE.search(prev_before) or DURATION_BEFORE.search(prev_before):
            return "the end of the period of a plan or an amount"
    if HORIZON_AFTER.match(text, d.end):
        return "the horizon a plan runs to, not an event"
    if d.end_date and CLOSE_AFTER.match(text, d.end) and PLAN_PERIOD_BEFORE.search(before[-20:]):
        return "the period a named plan covers ('Work Plan IV (2021-2025)'), not an event"
    if CLOSE_AFTER.match(text, d.end) and CITATION_BEFORE.search(before):
        return "the year of a cited source ('(World Bank, 2018)')"
    if head.lower() in RELATIVE_YEAR_WORDS and YEAR_CHARACTERISED.match(text, d.end):
        return "a year characterised, not dated"
    return None


def _states_a_figure(src: Source, a: int, b: int) -> bool:
    """Whether text[a:b] states a number besides its dates."""
    text = src.folded
    pos = a
    for x in src.dates_in(a, b):
        if DIGIT.search(text, pos, x.start):
            return True
        pos = x.end
    return bool(DIGIT.search(text, pos, b))


def joined_after(text: str, pos: int, n: int) -> str:
    """The n characters after pos, up to the sentence's end, with line breaks removed."""
    after = re.sub(r"\s+", "", text[pos : pos + n + 10])
    return after[: after.find("。") + 1 or n]


def _comma_part(text: str, pos: int, ls: int, le: int) -> tuple[int, int]:
    """The part of pos's line between the clause breaks (、,;。) around it."""
    a = max(text.rfind(c, ls, pos) for c in "、,;。") + 1 or ls
    ends = [e for c in "、,;。" if (e := text.find(c, pos, le)) != -1]
    return max(a, ls), min(ends) if ends else le


def _heading_events(src: Source, kept: list[DateExpr], headings: list[DateExpr]) -> list[tuple[DateExpr, int, int]]:
    """(date, start, end) for each year heading whose first item states no date of its own: the heading
    dates that item ('77年:' over '第2回ASEAN公式首脳会議に際し、…開催され、福田総理が出席。')."""
    text = src.folded
    out = []
    for h in headings:
        _, le = _line(text, h.start)
        seg_start, seg_end = src.segment_of(h.start)
        pos = le
        while pos < seg_end and text[pos] in " \t\r\n\u3000":
            pos += 1
        if pos >= seg_end:
            continue
        ils, ile = _line(text, pos)
        if YEAR_HEADING.fullmatch(text[ils:ile]):
            continue  # another heading: this one heads nothing
        a, b = statement_span(src, pos, pos + 1)
        if any(a <= d.start < b for d in kept) or any(a <= d.start < b for d in src.dates_in(a, b)):
            continue
        out.append((h, h.start, b))
    return out


def extract_events(src: Source, stated: Spans | None = None) -> dict[str, list[dict]]:
    text = src.folded
    kept: list[DateExpr] = []
    headings: list[DateExpr] = []
    previous = None
    head_pos = head_end(src)
    for d in src.dates:
        reason = not_an_event(src, d, previous, head_pos)
        previous = d
        if reason is None:
            kept.append(d)
            continue
        ls, le = _line(text, d.start)
        if YEAR_HEADING.fullmatch(text[ls:le]):
            headings.append(d)
        src.skip(d.start, d.end, reason)
    groups: dict[tuple[int, int], list[DateExpr]] = {}
    candidates: list[tuple[DateExpr, int, int, int, int]] = []  # date, quote span, statement span
    for d in kept:
        if (line := _date_line(src, d)) is not None:
            block = _block_dated_by_line(src, d, *line)
            if block is None:
                src.skip(d.start, d.end, "a date alone on its line, with nothing beside it that it dates")
            else:
                a, b = min(block[0], line[0]), max(block[1], line[1])
                candidates.append((d, *src.trim(a, b), *src.trim(*block)))
            continue
        groups.setdefault(statement_span(src, d.start, d.end), []).append(d)
    for (a, b), dates in groups.items():
        foci = [(d.start, d.end) for d in dates]
        for d, (ca, cb) in zip(dates, clause_spans(src, a, b, foci, src.language), strict=True):
            if not (ca <= d.start and d.end <= cb):
                ca, cb = src.trim(min(ca, d.start), max(cb, d.end))
            if len(dates) > 1 and ca > a and _own_words(src, ca, cb) <= SHORT_CLAUSE:
                ca = a  # '2005年 △△条約調印、2007年発効': what took effect is in the clause before
            candidates.append((d, ca, cb, a, b))
    for h, a, b in _heading_events(src, kept, headings):
        candidates.append((h, a, b, a, b))
    events: list[dict] = []
    seen: dict[tuple, int] = {}  # (date, quote span) -> index of its row
    for d, ca, cb, sa, sb in sorted(candidates, key=lambda c: (c[1], c[0].start)):
        if sb - sa <= HEADING_CHARS and text[sa:sb].rstrip().endswith((":", "：")):
            src.skip(d.start, d.end, "a date in a heading that labels what follows")
            continue
        qa, qb = clip_words(src, ca, cb, d.start, d.end)
        if not (sa <= d.start < sb):  # a date line: its description is the block it dates
            description = _description(src, d, *clip_words(src, sa, sb, sa, min(sb, sa + 1)))
        else:
            description = _description(src, d, qa, qb)
        if description is None:
            src.skip(d.start, d.end, "a date with no statement around it")
            continue
        # One row per statement and date: the same day stated again in the clause ('8日～9日 … 8日：…')
        # adds nothing; where one of the two gives the span's end, that one is kept.
        key = (d.date, qa, qb)
        if _restated_headline(src, d, sa, sb, kept, groups):
            continue
        if key in seen:
            if d.end_date and not events[seen[key]]["end_date"]:
                events[seen[key]] = src.fact(
                    qa, qb, [d.note], date=d.date, end_date=d.end_date, description=description
                )
            continue
        seen[key] = len(events)
        events.append(src.fact(qa, qb, [d.note], date=d.date, end_date=d.end_date, description=description))
    return {"events": events}


def _own_words(src: Source, a: int, b: int) -> int:
    """How many letters text[a:b] has outside its dates."""
    pos, n = a, 0
    for x in src.dates_in(a, b):
        n += len(WORD_CHAR.findall(src.folded, pos, x.start))
        pos = x.end
    return n + len(WORD_CHAR.findall(src.folded, pos, b))


def _description(src: Source, d: DateExpr, a: int, b: int) -> str | None:
    """The clause's words, without a dateline or heading before the statement; None when nothing but
    dates and punctuation is left."""
    text = src.folded
    start = a
    if _news_dateline(src, d) and (dash := DATELINE_DASH.match(text, d.end)):
        start = dash.end()
    elif start == d.start:
        ls, le = _line(text, d.start)
        if YEAR_HEADING.fullmatch(text[ls:le]):
            start = le
    start, b = src.trim(start, b)
    description = describe(src, start, b)
    rest = description
    for x in src.dates_in(start, b):
        rest = rest.replace(src.text[x.start : x.end], "")
    if not re.search(r"[^\W\d_]", DATE_WORDS.sub("", rest)):
        return None
    return description


def _restated_headline(
    src: Source, d: DateExpr, a: int, b: int, kept: list[DateExpr], groups: dict[tuple[int, int], list[DateExpr]]
) -> bool:
    """A headline (one line, no sentence end) whose date, to the month or day, a sentence of the text
    states again."""
    if d.date is None or len(d.date) < 7:
        return False
    text = src.folded
    if "\n" in text[a:b].strip() or _is_sentence(text, a, b) or b - a > HEADLINE_CHARS or CAPTION.search(text, a, b):
        return False
    if a > _head_lines_end(text):
        return False  # a line further down (a caption, a label) is not the page's headline
    for (sa, sb), dates in groups.items():
        if (
            (sa, sb) != (a, b)
            and _is_sentence(text, sa, sb)
            and any((x.date, x.end_date) == (d.date, d.end_date) for x in dates)
        ):
            return True
    return False


def _head_lines_end(text: str) -> int:
    """The end of the page's first few non-empty lines, where its headline is."""
    pos = 0
    for _ in range(HEADLINE_LINES):
        while pos < len(text) and text[pos] in " \t\r\n\u3000":
            pos += 1
        nl = text.find("\n", pos)
        if nl == -1:
            return len(text)
        pos = nl
    return pos


def _is_sentence(text: str, a: int, b: int) -> bool:
    return text[a:b].rstrip().endswith(("。", ".")) or text[b : b + 1] in ("。", ".")


FAMILY = Family("timeline", tables=("events",), extract=extract_events)
