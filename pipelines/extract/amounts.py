"""Amounts of money: where a document states one (``1億ドル``, ``約２兆８千億円``, ``$98,520``, ``US$3 billion``,
``$3bn``, ``USD 1.6 million``, ``¥4.9 trillion``, ``295 billion yen``).

Every family reads them as ``Source.money`` (scanned once per document) and their value with
``money_value``: commitments are made of them, and other families leave these numbers alone.
Does not belong here: what a statement says about its amount (``pipelines.extract.money``).
"""

from __future__ import annotations

import re

from pipelines.extract.base import Text, first_chars
from pipelines.normalize import JP_AMOUNT, JP_AMOUNT_NEXT, currency_code, parse_japanese_amount, parse_number

CURRENCY_AFTER = "百万米ドル|米ドル|ドル|円"
EN_CURRENCY_AFTER = "US dollars|dollars|yen|USD|JPY"
EN_NUMBER = r"\d+(?:,\d{3})*(?:\.\d+)?"
# 'billion' after a space, 'bn' glued to the number ('$3bn').
EN_SCALE = r"(?:\s*(?P<{0}>trillion|billion|million|thousand)|(?P<{0}_short>tn|bn|mn|m|k)(?![A-Za-z]))"
MONEY = re.compile(
    r"(?:(?P<sign>US\$|\$|¥|USD|JPY)\s?(?P<usd>" + EN_NUMBER + r")(?:" + EN_SCALE.format("scale") + r")?"
    r"|(?P<amount>" + JP_AMOUNT + r")\s*(?P<cur>" + CURRENCY_AFTER + r")"
    r"|(?P<en>" + EN_NUMBER + r")(?:" + EN_SCALE.format("en_scale") + r")?\s+(?P<en_cur>" + EN_CURRENCY_AFTER + r")\b)"
)
MONEY_SIGN = re.compile(r"US\$|\$|¥|USD|JPY")
# After the first digits of an amount: what continues a number, starts a scale or a currency, or a space.
MONEY_NEXT = (
    "[" + re.escape(JP_AMOUNT_NEXT + first_chars(CURRENCY_AFTER) + first_chars(EN_CURRENCY_AFTER) + "tbmk") + r"]|\s"
)
SCALES = {
    "trillion": 10**12,
    "billion": 10**9,
    "million": 10**6,
    "thousand": 10**3,
    "tn": 10**12,
    "bn": 10**9,
    "mn": 10**6,
    "m": 10**6,
    "k": 10**3,
}


def scan_money(text: Text) -> list[re.Match]:
    """Every amount of money in the document, in order."""
    return list(text.scan(MONEY, also=MONEY_SIGN, followed_by=MONEY_NEXT))


def money_value(m: re.Match) -> tuple[float, str | None, str | None]:
    """(value in base units, ISO currency, note) of a match of MONEY."""
    if m["sign"]:
        scale = (m["scale"] or m["scale_short"] or "").lower()
        currency = "JPY" if m["sign"] in ("¥", "JPY") else "USD"
        return parse_number(m["usd"]).value * SCALES.get(scale, 1), currency, None
    if m["en"]:
        scale = (m["en_scale"] or m["en_scale_short"] or "").lower()
        return parse_number(m["en"]).value * SCALES.get(scale, 1), currency_code(m["en_cur"]), None
    parsed = parse_japanese_amount(m["amount"])
    value = parsed.value
    if m["cur"] == "百万米ドル" and "百万" not in m["amount"]:
        value *= 10**6
    return value, currency_code(m["cur"]), parsed.note
