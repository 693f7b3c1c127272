"""Money pledged, contributed, lent or disbursed (``commitments``).

Recognises an amount of money (``1億ドル``, ``約２兆８千億円``, ``12億ドル``, ``$98,520``, ``200億円``) in a
statement, with what the statement says about it: approximate (約, 規模, nearly), the period it
covers (``3年間（2020年～2022年）``, ``５年間で``), the channel it flows through (the acronym or fund
named just before it: ``JAIF``, ``JICAの``, ``JBICによる``, ``through the Japan ESCAP Cooperation Fund``),
the funder (Japan when the statement names Japan or its government), and the date the statement states.
Amounts already stated as a statistic or a project budget are left to those tables.
Does not belong here: budgets of projects (``projects``), GDP and trade (``statistics``).
"""

from __future__ import annotations

import re

from pipelines.extract.base import Spans
from pipelines.extract.family import Family
from pipelines.extract.source import Source
from pipelines.normalize import (
    collapse_spaces,
    currency_code,
    is_approximate,
    parse_japanese_amount,
    parse_number,
)

SCALES = {"million": 10**6, "billion": 10**9}
# The fund or agency named just before the amount: 'JBICによる2,000億円', '（JAIF）に55億円', 'JENESYS2.0（7,300万ドル'.
CHANNEL_BEFORE = re.compile(
    r"(?P<acr>[A-Z][A-Z0-9.]{1,9})[)）]?\s*(?:(?:に|の|による|を通じ(?:て)?|から)[^A-Z、。,]{0,14}|[(（])$"
)
CHANNEL_EN = re.compile(r"through (?:the )?(?P<fund>[A-Z][\w\- ]+?(?:Fund|Facility|Programme|Program))")
PERIOD = re.compile(r"(?P<period>\d+年間(?:[(（][^)）]{1,30}[)）])?)(?:で|に|の)?[^。]{0,40}$")
JAPAN = re.compile(r"日本|我が国|わが国|Japan")
# Who pays, when the statement says: 'ＡＳＥＡＮ加盟国が…拠出', '日本は…表明'.
PAYER = re.compile(r"(?P<who>[^\s、。,，（(]{2,12}?)(?:が|は)[^。]*?(?:拠出|表明|提供|支援|出資|融資|disburse)")
GROUP_HEADING = re.compile(r"^[ \t]*•", re.M)


def extract_commitments(src: Source, stated: Spans | None = None) -> dict[str, list[dict]]:
    rows = []
    stated = stated or Spans()
    for m in src.money:
        if stated.covers(m.start(), m.end()):
            continue
        if m["sign"]:
            value = parse_number(m["usd"]).value * SCALES.get((m["scale"] or "").lower(), 1)
            currency: str | None = "USD"
            notes: list[str | None] = []
        else:
            parsed = parse_japanese_amount(m["amount"])
            value, currency, notes = parsed.value, currency_code(m["cur"]), [parsed.note]
            if m["cur"] == "百万米ドル" and "百万" not in m["amount"]:
                value *= 10**6
        a, b = src.statement(m.start(), m.end())
        a, b = src.clip(a, b, m.start(), m.end())
        before = src.folded[a : m.start()]
        approximate = is_approximate(before, src.folded[m.end() : m.end() + 6])
        channel = None
        if c := CHANNEL_EN.search(src.folded, a, b):
            channel = c["fund"]
        elif c := CHANNEL_BEFORE.search(before[-30:]):
            channel = c["acr"]
        period = None
        if p := PERIOD.search(before):
            period = src.text[a + p.start("period") : a + p.end("period")]
        date, note = _date_of(src, a, b) if not period else (None, None)
        funder, funder_note = _funder(src, a, b)
        description = collapse_spaces(src.text[a:b])
        rows.append(
            src.fact(
                a,
                b,
                notes + [note, funder_note],
                amount=value,
                currency=currency,
                approximate=approximate,
                date=date,
                period=period,
                funder=funder,
                channel=channel,
                description=description,
            )
        )
    return {"commitments": rows}


def _date_of(src, a: int, b: int) -> tuple[str | None, str | None]:
    """The date the statement states; else the date of the bullet heading it is listed under."""
    dates = src.dates_in(a, b)
    if dates:
        return dates[0].date, dates[0].note
    seg_a, _ = src.segment_of(a)
    headings = [m.start() for m in GROUP_HEADING.finditer(src.folded, seg_a, a)]
    if headings:
        line_end = src.folded.find("\n", headings[-1])
        heading_dates = src.dates_in(headings[-1], line_end if line_end != -1 else a)
        if heading_dates:
            return heading_dates[0].date, "date of the heading the amount is listed under"
    return None, None


def _funder(src, a: int, b: int) -> tuple[str | None, str | None]:
    text = src.folded[a:b]
    if m := PAYER.search(text):
        who = m["who"]
        if "ASEAN" in who:
            return "ASEAN", None
        if JAPAN.search(who):
            return "JPN", None
    if JAPAN.search(text):
        return "JPN", None
    seg_a, seg_b = src.segment_of(a)
    if JAPAN.search(src.folded, seg_a, seg_b):
        return "JPN", "funder: Japan, named on the same slide"
    return None, None


# A GDP is a statistic, and a budget belongs to its project: neither is a commitment.
FAMILY = Family("money", tables=("commitments",), extract=extract_commitments, leaves_alone=("indicators", "projects"))
