"""Amounts of money: where a document states one (``1億ドル``, ``約２兆８千億円``, ``$98,520``, ``US$3 billion``).

Every family reads them as ``Source.money`` (scanned once per document): commitments are made of
them, and other families leave these numbers alone.
Does not belong here: what a statement says about its amount (``pipelines.extract.money``).
"""

from __future__ import annotations

import re

from pipelines.extract.base import Text, first_chars
from pipelines.normalize import JP_AMOUNT, JP_AMOUNT_NEXT

CURRENCY_AFTER = "百万米ドル|米ドル|ドル|円|yen|dollars"
MONEY = re.compile(
    r"(?:(?P<sign>US\$|\$)\s*(?P<usd>\d+(?:,\d{3})*(?:\.\d+)?)(?:\s*(?P<scale>million|billion))?"
    r"|(?P<amount>" + JP_AMOUNT + r")\s*(?P<cur>" + CURRENCY_AFTER + "))"
)
MONEY_SIGN = re.compile(r"US\$|\$")
MONEY_NEXT = "[" + re.escape(JP_AMOUNT_NEXT + first_chars(CURRENCY_AFTER)) + r"]|\s"  # after its first digits


def scan_money(text: Text) -> list[re.Match]:
    """Every amount of money in the document, in order."""
    return list(text.scan(MONEY, also=MONEY_SIGN, followed_by=MONEY_NEXT))
