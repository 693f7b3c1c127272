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

from pipelines.extract.base import Source
from pipelines.extract.timeline import find_dates
from pipelines.normalize import JP_AMOUNT, currency_code, is_approximate, parse_japanese_amount, parse_number

MONEY = re.compile(
    r"(?:(?P<sign>US\$|\$)\s*(?P<usd>\d+(?:,\d{3})*(?:\.\d+)?)(?:\s*(?P<scale>million|billion))?"
    r"|(?P<amount>" + JP_AMOUNT + r")\s*(?P<cur>百万米ドル|米ドル|ドル|円|yen|dollars))")
SCALES = {"million": 10**6, "billion": 10**9}
CHANNEL_BEFORE = re.compile(r"(?:(?P<acr>[A-Z][A-Z0-9.]{1,9})(?:[)）])?\s*(?:に|の|による|を通じ|から)?[^A-Z、。,]{0,14}$)")
CHANNEL_EN = re.compile(r"through (?:the )?(?P<fund>[A-Z][\w\- ]+?(?:Fund|Facility|Programme|Program))")
PERIOD = re.compile(r"(?P<period>\d+年間(?:[(（][^)）]{1,30}[)）])?)(?:で|に|の)?[^。]{0,40}$")
JAPAN = re.compile(r"日本|我が国|わが国|Japan")


def extract_commitments(src: Source, exclude: list[tuple[int, int]] = ()) -> dict[str, list[dict]]:
    rows = []
    for m in MONEY.finditer(src.folded):
        if any(a <= m.start() and m.end() <= b for a, b in exclude):
            continue
        if m["sign"]:
            value = parse_number(m["usd"]).value * SCALES.get((m["scale"] or "").lower(), 1)
            currency, notes = "USD", []
        else:
            parsed = parse_japanese_amount(m["amount"])
            value, currency, notes = parsed.value, currency_code(m["cur"]), [parsed.note]
            if m["cur"] == "百万米ドル" and "百万" not in m["amount"]:
                value *= 10**6
        a, b = src.statement(m.start(), m.end())
        a, b = src.clip(a, b, m.start(), m.end())
        before = src.folded[a:m.start()]
        approximate = is_approximate(before, src.folded[m.end():m.end() + 6])
        channel = None
        if c := CHANNEL_EN.search(src.folded, a, b):
            channel = c["fund"]
        elif c := CHANNEL_BEFORE.search(before[-30:]):
            channel = c["acr"]
        period = p["period"] if (p := PERIOD.search(before)) else None
        dates = [d for d in find_dates(src, a, b)]
        date = dates[0].date if dates and not period else None
        description = re.sub(r"\s+", " ", src.text[a:b]).strip()
        rows.append(src.fact(a, b, notes, amount=value, currency=currency, approximate=approximate, date=date,
                             period=period, funder="JPN" if JAPAN.search(src.folded[a:b]) else None,
                             channel=channel, description=description))
    return {"commitments": rows}
