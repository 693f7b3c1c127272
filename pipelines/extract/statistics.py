"""Statistics of countries and groupings (``indicators``) and the leaders on country cards (``leaders``).

Recognises a *stat line* ``<label>：<value><unit>`` (人口, GDP, GDP/人, 1人当たりGDP, 面積, 貿易額,
加盟国) with its comparisons in brackets (``（日本の約12倍、世界の約3.3％）``), groups stat lines into
cards, and works out whose card it is: a ``【国名】`` header, a ``<name>基本データ（年）`` heading, the
one labelled entity on the slide that has no card of its own, or a ``<name>とは`` slide heading.
A card's last line naming a person with a title (首相, 大統領...) is its leader.
Statistics stated in prose, tables and profile pages are read by ``indicators_prose`` (called here,
leaving the cards' lines alone).
Does not belong here: other quantities (``quantities``), dates (``timeline``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipelines.extract.base import Spans, about_headings, line_spans
from pipelines.extract.family import Family
from pipelines.extract.indicators_prose import extract_prose_indicators
from pipelines.extract.source import Source
from pipelines.normalize import JP_AMOUNT, country_code, fold_text, parse_japanese_amount
from schemas.tables import TABLES, CardIsConsistent

LABELS = [
    # Alternatives spelt out in full (no optional parts) keep CARD_MARK a fast literal search.
    (re.compile(r"GDP/人|1人当たりGDP|一人当たりGDP"), "gdp_per_capita_usd"),
    (re.compile(r"GDP"), "gdp_usd"),
    (re.compile(r"人口"), "population"),
    (re.compile(r"面積"), "area_km2"),
    (re.compile(r"貿易額"), "trade_usd"),
    (re.compile(r"加盟国数?"), "member_countries"),
]
UNITS = {
    "population": r"人",
    "gdp_usd": r"(?:米ドル|ドル)",
    "gdp_per_capita_usd": r"(?:米ドル|ドル)",
    "area_km2": r"(?:km2|km²|㎢)",
    "trade_usd": r"(?:米ドル|ドル)",
    "member_countries": r"(?:カ国|か国|ヶ国|ヵ国)",
}
# Every card has a header, a basic-data heading or a stat line, and every stat line one of the labels:
# a slide with none of them has no card to read.
CARD_MARK = re.compile("【|基本データ|" + "|".join(pattern.pattern for pattern, _ in LABELS))
STAT_LINE = re.compile(
    r"^[ \t]*(?P<label>[^:：\n]{1,20}?)[ \t]*[:：][ \t]*(?P<approx>約)?[ \t]*(?P<minus>-)?(?P<amount>"
    + JP_AMOUNT
    + r")[ \t]*"
    r"(?P<unit>米ドル|ドル|km2|km²|㎢|人|カ国|か国|ヶ国|ヵ国)"
)
HEADER = re.compile(r"^[ \t]*【(?P<name>[^】]+)】[ \t]*$")
BASIC_DATA = re.compile(r"^[ \t]*(?P<name>\S+?)基本データ[ \t]*[（(](?P<year>\d{4})年[）)]")
LEADER_TITLES = r"国家主席|大統領|国王|首相|総理|首席|議長|スルタン"
LEADER_LINE = re.compile(
    r"^[ \t]*(?P<name>[^\s:：、。（(【]{2,20}?)(?P<title>" + LEADER_TITLES + r")(?:[ \t]*[(（]\*[)）])?[ \t]*$"
)
COMPARISON = re.compile(
    r"(?P<ref>日本|世界)の(?P<approx>約|ほぼ)?(?:(?P<num>\d+(?:\.\d+)?)(?P<unit>倍|%|％)|(?P<a>\d+)/(?P<b>\d+)|(?P<half>半分))"
)
REFERENCE_CODES = {"日本": "JPN", "世界": "WLD"}


@dataclass
class Stat:
    indicator: str
    value: float
    approximate: bool
    start: int
    end: int
    notes: list[str] = field(default_factory=list)


@dataclass
class Card:
    entity: str | None = None
    reference_year: int | None = None
    how: str | None = None
    stats: list[Stat] = field(default_factory=list)
    comparisons: list[dict] = field(default_factory=list)
    leader: tuple[int, int, str, str] | None = None


def indicator_for(label: str) -> str | None:
    label = fold_text(label)
    for pattern, name in LABELS:
        if pattern.search(label):
            return name
    return None


def _entity_labels(line: str) -> list[str]:
    """Codes of a line that is nothing but one or more entity names (a map label)."""
    codes = []
    for part in line.split():  # already folded
        if not (code := country_code(part)):
            return []
        codes.append(code)
    return codes


def extract_statistics(src: Source, stated: Spans | None = None) -> dict[str, list[dict]]:
    indicators, leaders = [], []
    on_cards = Spans()  # every stat line of a card, read or not: the prose reader leaves them alone
    for seg_start, seg_end in src.segments:
        if not CARD_MARK.search(src.folded, seg_start, seg_end):
            continue
        cards, labels, about = _read_cards(src, seg_start, seg_end)
        named = {c.entity for c in cards if c.entity}
        on_cards.add((s.start, s.end) for card in cards for s in card.stats)
        on_cards.add((c["start"], c["end"]) for card in cards for c in card.comparisons)
        for card in cards:
            if card.entity is None:
                remaining = [code for code in labels if code not in named]
                if len(set(remaining)) == 1:
                    card.entity, card.how = remaining[0], "entity: the only labelled entity on the slide without a card"
                elif about:
                    card.entity, card.how = about, "entity: named by the slide heading"
                else:
                    for s in card.stats:
                        src.skip(s.start, s.end, "statistic whose country or grouping is not stated")
                    continue
            indicators += _card_facts(src, card)
            if card.leader:
                a, b, name, title = card.leader
                leaders.append(src.fact(a, b, [card.how], entity_code=card.entity, name=name, title=title))
    indicators += extract_prose_indicators(src, on_cards)
    return {"indicators": indicators, "leaders": leaders}


def _read_cards(src: Source, seg_start: int, seg_end: int) -> tuple[list[Card], list[str], str | None]:
    cards: list[Card] = []
    labels: list[str] = []
    about = None
    card: Card | None = None
    for a, b in line_spans(src.folded, seg_start, seg_end):
        line = src.folded[a:b]
        if not line.strip():
            continue
        if "【" in line and (m := HEADER.match(line)):
            card = Card(entity=country_code(m["name"]), how=None)
            cards.append(card)
            continue
        if "基本データ" in line and (m := BASIC_DATA.match(line)):
            card = Card(entity=country_code(m["name"]), reference_year=int(m["year"]))
            cards.append(card)
            continue
        if (
            ":" in line
            and (m := STAT_LINE.match(line))
            and (ind := indicator_for(m["label"]))
            and re.fullmatch(UNITS[ind], m["unit"])
        ):
            if card is None or card.leader is not None:
                card = Card()
                cards.append(card)
            amount = parse_japanese_amount(m["amount"])
            stat = Stat(
                ind,
                -amount.value if m["minus"] else amount.value,  # a stated negative, refused by the bounds
                bool(m["approx"]),
                a + m.start("label"),
                a + m.end("unit"),
                [amount.note] if amount.note else [],
            )
            card.stats.append(stat)
            _read_comparisons(src, card, stat, a + m.end("unit"), b)
            continue
        if card is not None and card.stats and line.strip().startswith(("（", "(")) and COMPARISON.search(line):
            _read_comparisons(src, card, card.stats[-1], a, b)
            continue
        if card is not None and card.stats and card.leader is None and (m := LEADER_LINE.match(line)):
            card.leader = (
                a + m.start("name"),
                a + m.end("title"),
                src.text[a + m.start("name") : a + m.end("name")],
                src.text[a + m.start("title") : a + m.end("title")],
            )
            continue
        if codes := _entity_labels(line):
            labels += codes
            card = None
            continue
        if (
            about is None
            and "とは" in line
            and (name := next(about_headings(line), None))
            and (code := country_code(line[name[0] : name[1]]))
        ):
            about = code
    return cards, labels, about


def _read_comparisons(src: Source, card: Card, stat: Stat, a: int, b: int) -> None:
    # A comparison wrapped onto the next line still belongs to the stat: read up to the closing bracket.
    line = src.folded[a:b]
    if line.count("(") > line.count(")"):
        close = src.folded.find(")", b)
        if close != -1 and close - b < 80:
            b = close + 1
    for m in COMPARISON.finditer(src.folded, a, b):
        if m["half"]:
            value = 0.5
        elif m["a"]:
            value = int(m["a"]) / int(m["b"])
        elif m["unit"] == "倍":
            value = float(m["num"])
        else:
            value = float(m["num"]) / 100
        card.comparisons.append(
            dict(
                indicator=f"{stat.indicator}_ratio_to_{REFERENCE_CODES[m['ref']]}",
                value=round(value, 6),
                approximate=bool(m["approx"]),
                start=stat.start,
                end=m.end(),
                stat_end=stat.end,
                cmp_start=m.start(),
            )
        )


# GDP / population gives GDP per capita to within the rounding of the figures on a card: the rule the
# indicators table declares, whose flag the note of a card that breaks it carries.
CARD_RULE = TABLES["indicators"].rule(CardIsConsistent)


def per_capita_gap(gdp: float, population: float, per_capita: float) -> float:
    """Relative gap between stated GDP per capita and GDP / population."""
    return abs(gdp / population - per_capita) / per_capita


def _consistency_notes(card: Card) -> list[str]:
    """A card whose GDP, population and GDP per capita contradict each other is flagged, not corrected:
    the source does not say which figure is wrong."""
    stated = {s.indicator: s.value for s in card.stats}
    if {"gdp_usd", "population", "gdp_per_capita_usd"} <= set(stated):
        gap = per_capita_gap(stated["gdp_usd"], stated["population"], stated["gdp_per_capita_usd"])
        if gap > CARD_RULE.tolerance:
            implied = stated["gdp_usd"] / stated["population"]
            return [
                f"{CARD_RULE.flag}: GDP / population = {implied:,.0f} but GDP per capita is stated as "
                f"{stated['gdp_per_capita_usd']:,.0f} ({gap:.0%} apart); values kept as stated"
            ]
    return []


def _card_facts(src: Source, card: Card) -> list[dict]:
    out = []
    flags = _consistency_notes(card)
    for s in card.stats:
        flag = flags if s.indicator in ("gdp_usd", "population", "gdp_per_capita_usd") else []
        out.append(
            src.fact(
                s.start,
                s.end,
                [card.how, *s.notes, *flag],
                entity_code=card.entity,
                indicator=s.indicator,
                value=s.value,
                reference_year=card.reference_year,
                approximate=s.approximate,
            )
        )
    for c in card.comparisons:
        # The quote runs from the stat's label to the comparison: "面積：449万㎢（日本の約12倍"
        start, end = c["start"], c["end"]
        if end - start > 400:
            start = c["cmp_start"]
        out.append(
            src.fact(
                start,
                end,
                [card.how],
                entity_code=card.entity,
                indicator=c["indicator"],
                value=c["value"],
                reference_year=card.reference_year,
                approximate=c["approximate"],
            )
        )
    return out


FAMILY = Family("statistics", tables=("indicators", "leaders"), extract=extract_statistics)
