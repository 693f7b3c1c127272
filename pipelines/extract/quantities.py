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

from pipelines.extract.base import Source, line_spans
from pipelines.extract.timeline import find_dates
from pipelines.normalize import JP_AMOUNT, is_approximate, parse_japanese_amount, parse_number

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
]
COUNTER = re.compile(
    r"(?<![\w.,])(?P<num>" + JP_AMOUNT + r")(?P<counter>" + "|".join(c for c, _ in COUNTERS) + r")")
UNIT_OF = [(re.compile(c), u) for c, u in COUNTERS]
EN_COUNT = re.compile(r"(?P<approx>nearly|about|over|more than)?\s*(?P<num>\d+(?:,\d{3})*)\s+(?P<noun>(?:[a-z\-]+ ){0,2}"
                      r"(?:courses|countries|officials|trainees|projects|people|persons|participants|batches|years))")
NUMBER_LINE = re.compile(r"^[ \t]*(?P<num>\d+(?:,\d{3})*(?:\.\d+)?)(?P<plus>\+)?[ \t]*$")
ORDINAL_BEFORE = re.compile(r"(第|No\.|#)\s*$")


def _unit(counter: str) -> str:
    for pattern, unit in UNIT_OF:
        if pattern.fullmatch(counter):
            return unit
    return "count"


def extract_metrics(src: Source, exclude: list[tuple[int, int]] = ()) -> dict[str, list[dict]]:
    rows = []
    covered = list(exclude)

    def free(a: int, b: int) -> bool:
        return not any(x <= a and b <= y for x, y in covered)

    for m in COUNTER.finditer(src.folded):
        if not free(m.start(), m.end()) or ORDINAL_BEFORE.search(src.folded[max(0, m.start() - 3):m.start()]):
            continue
        try:
            parsed = parse_japanese_amount(m["num"])
        except ValueError:
            continue
        rows.append(_metric(src, m.start(), m.end(), parsed.value, _unit(m["counter"]), [parsed.note]))
    if src.language == "en":
        for m in EN_COUNT.finditer(src.folded):
            if free(m.start("num"), m.end()):
                value = parse_number(m["num"]).value
                rows.append(_metric(src, m.start(), m.end(), value, m["noun"].split()[-1], []))
    rows += _figure_lines(src, free)
    return {"metrics": rows}


def _metric(src: Source, start: int, end: int, value: float, unit: str, notes: list) -> dict:
    a, b = src.statement(start, end)
    a, b = src.clip(a, b, start, end)
    dates = find_dates(src, a, b)
    subject = re.sub(r"\s+", " ", src.text[a:b]).strip()
    approximate = is_approximate(src.folded[a:start], src.folded[end:end + 6])
    return src.fact(a, b, notes, subject=subject, value=value, unit=unit,
                    date=dates[0].date if len(dates) == 1 else None, approximate=approximate)


def _figure_lines(src: Source, free) -> list[dict]:
    """A number alone on its line, labelled by the text that follows it (up to the next blank line)."""
    rows = []
    for a, b in line_spans(src.folded):
        m = NUMBER_LINE.match(src.folded, a, b)
        if not m or not free(a + m.start("num"), a + m.end("num")):
            continue
        # The label: the following non-empty lines up to a blank line or the next figure.
        label_end, pos = None, b + 1
        for la, lb in line_spans(src.folded, b + 1, min(len(src.text), b + 200)):
            line = src.folded[la:lb]
            if not line.strip() or NUMBER_LINE.match(line):
                break
            label_end = lb
        if label_end is None or label_end - a > 400:
            continue
        value = parse_number(m["num"]).value
        label = re.sub(r"\s+", "", src.text[b:label_end])
        rows.append(src.fact(a + m.start("num"), label_end, ["figure whose label follows it on the slide"],
                             subject=label, value=value, unit="count", date=None, approximate=bool(m["plus"])))
    return rows
