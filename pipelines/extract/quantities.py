"""Every other stated quantity (``metrics``): people, countries, members, items, percentages, trade figures.

Recognises, in Japanese and English:
- a number with a counter (``322名``, ``8万人``, ``50か国``, ``2,514件``, ``91回``, ``99.8％``, ``16社``,
  ``3本柱``, ``4項目``, ``100余名``) or with the thing counted after it (``12の展示``);
- a number (in digits or words) before a plural noun (``four main objectives``, ``nine member states``,
  ``nearly 20 training courses``), a compound (``10-nation group``), ``N% of …``;
- a figure that is not a country's statistic: trade between partners (``China – US$319 billion``
  under ``Top 5 Trade Partners``), intra-regional trade, Japan and ASEAN together (``a total
  population of 740 million``, ``a scale of 8.3 trillion US$``);
- figures laid out on slides and profile pages with their label on the line above or below.
``subject`` is a short phrase naming what is counted (``pipelines.extract.subjects``), never the
statement (that is the ``quote``); ``unit`` an English word (persons, countries, percent, USD, or
the counted noun: objectives, pillars...); ``date`` the date the statement attaches to the number
(``2014年に100人``, ``(2013 estimate)``, ``2023年4月時点で``) or the one date of its statement;
``approximate`` as ``pipelines.normalize.is_approximate`` defines it (an estimate or a bound: 約,
余, 程度, 以上, about, around, nearly, approximately, some, over, more than).
Years elapsed are a quantity (``around 30 years since the grouping was established``, ``設立から約30年が
経過``). Left alone: numbers other families state (dates, money pledged, statistics, projects),
ordinals (第5回, 18th, 3回目, 50周年), times of day and durations (3年間, 約80分, over three years: the
period of a commitment or programme), ages (20代, 54 years of age), ratios and shares of Japan or the
world (日本の約12倍, 世界の8.5%, three times larger), rates and frequencies (各国1名, ×10人, 年1回), a
"top N" ranking, a country's population (a statistic), a count after a demonstrative (この4カ国,
these two documents: named before) and a number whose subject the text does not name. A count stated
again (a headline and its body, a later 'the 5 countries') is one row, at its body statement.
Does not belong here: money pledged (``money``), dates (``timeline``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from pipelines.extract.base import Spans, first_chars, line_spans
from pipelines.extract.family import Family
from pipelines.extract.indicators_prose import (
    CURRENCY_LEAD,
    VALUE,
    VALUE_NEXT,
    header_end,
    leading_country,
    statement_entity,
)
from pipelines.extract.source import Source
from pipelines.extract.subjects import (
    EN_STOP_WORDS,
    MAX_SUBJECT,
    NOUN,
    en_subject_after,
    en_subject_of,
    ja_noun_phrase_before,
    ja_subject,
)
from pipelines.normalize import (
    EN_NUMBER_WORDS,
    JP_AMOUNT,
    JP_AMOUNT_NEXT,
    collapse_spaces,
    country_name_pattern,
    is_approximate,
    parse_english_amount,
    parse_japanese_amount,
    parse_number,
    remove_spaces,
)

COUNTERS = [
    (r"名|人(?![口材員数当])", "persons"),
    (r"か国・地域|カ国・地域|ヶ国・地域|ヵ国・地域|か国|カ国|ヶ国|ヵ国|ケ国", "countries"),
    (r"件", "items"),
    (r"回", "times"),
    (r"本柱", "pillars"),
    (r"本", "items"),
    (r"社", "companies"),
    (r"機関", "organizations"),
    (r"都市", "cities"),
    (r"州", "provinces"),
    (r"バッチ", "batches"),
    (r"%|％", "percent"),
    (r"倍", "ratio"),
    (r"日間", "days"),
    (r"時間", "hours"),
    (r"分(?!野)", "minutes"),
    (r"秒", "seconds"),
    (r"週間", "weeks"),
    (r"年間", "years"),
    (r"か月|ヶ月|カ月|ヵ月", "months"),
    (r"㎡|m2", "m2"),
    (r"項目", "items"),
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
    (r"団体", "organizations"),
    (r"大学", "universities"),
    (r"か所|カ所|ヶ所|箇所", "sites"),
    (r"歳", "age"),
]
DURATIONS = frozenset({"days", "hours", "minutes", "seconds", "weeks", "months", "years"})
LEFT_ALONE_UNITS = frozenset({"ratio", "age"})
# Digits are never read from inside a longer number or a Latin name (JAIF2.0, G7).
# Nor from the end of a range ('2015-2020の'), nor after katakana (フェーズ4期間: part of a name).
NOT_INSIDE = r"(?<![0-9A-Za-z.\-～~–ァ-ヶー])(?<![0-9],)"
# A count of countries or people may follow a name: 'ASEAN10か国', 'CLV3カ国', 'タイ29名'.
NOT_INSIDE_NUMBER = r"(?<![0-9.\-～~–])(?<![0-9],)"
NAME_BEFORE = re.compile(r"[A-Za-zァ-ヶー]")
COUNTER = re.compile(
    NOT_INSIDE_NUMBER
    + r"(?P<num>"
    + JP_AMOUNT
    + r")(?P<yo>余)?(?:(?P<counter>"
    + "|".join(c for c, _ in COUNTERS)
    + r")"
    r"|\n(?P<wrapped>つ))(?!目)"
)  # '３\nつの柱': a counter wrapped onto the next line; '3回目' is an ordinal
# What follows the first digits of each pattern's number (Source.scan tries no other number).
COUNTER_NEXT = "[" + re.escape(JP_AMOUNT_NEXT + "余" + "".join(first_chars(c) for c, _ in COUNTERS) + "\n") + "]"
# "12の展示", "17の国・機関": a number, の, and the thing counted (its first word is the unit).
COUNT_OF = re.compile(NOT_INSIDE + r"(?P<num>\d+(?:,\d{3})*)の(?P<noun>" + NOUN + r"{1,12}(?:・" + NOUN + r"{1,12})*)")
COUNT_OF_NEXT = "[,の]"
UNIT_OF = [(re.compile(c), u) for c, u in COUNTERS]
# An English count: digits or a number word, then a space or a hyphen and a word.
EN_WORDS = "|".join(sorted(EN_NUMBER_WORDS, key=len, reverse=True))
NUMBER_WORDS = EN_NUMBER_WORDS  # the number words a count may be written in (tests read values back with it)
EN_COUNT = re.compile(
    r"(?<![\w.$£€¥\-/])(?P<num>\d{1,3}(?:,\d{3})+|\d+|(?:" + EN_WORDS + r")\b)(?P<sep>-| +)(?=[A-Za-z])", re.I
)
EN_COUNT_NEXT = r"[,\s\-]"  # after digits; number words are EN_COUNT_WORDS
EN_COUNT_WORDS = re.compile(r"(?:" + EN_WORDS + r")\b", re.I)
EN_PERCENT = re.compile(r"(?<![\w.\-])(?P<num>\d+(?:\.\d+)?)\s*(?:%|percent\b|per cent\b)")
EN_PERCENT_NEXT = r"[.%\s]"
# '10-country bloc', '10-member Association of Southeast Asian Nations'
HYPHEN_COUNT = re.compile(
    r"(?P<noun>nation|country|member|state|party|economy)\s+(?:(?P<head>[a-z]+(?:\s+(?!(?:"
    + "|".join(sorted(EN_STOP_WORDS))
    + r")\b)[a-z]+)?)"
    r"|(?P<name>[A-Z][\w\-]*(?:\s+(?:(?:of|for|the)\s+)*[A-Z][\w\-]*)*))"
)
RANKING_BEFORE = re.compile(r"(?:\btop|\bNo\.|#|\bPhase|\bAnnex|\bArticle|\bChapter|\bPart|\bStep|\bLevel)\s*$", re.I)
ORDINAL_BEFORE = re.compile(r"(第|No\.|#)\s*$")
AGE_AFTER = re.compile(r"\s+(?:years?|months?)\s+(?:of age|old)")
EN_UNITS = {
    "countries": "countries",
    "nations": "countries",
    "states": "countries",
    "economies": "countries",
    "people": "persons",
    "persons": "persons",
    "participants": "persons",
    "trainees": "persons",
    "students": "persons",
    "officials": "persons",
    "diplomats": "persons",
    "experts": "persons",
    "leaders": "persons",
    "teachers": "persons",
    "researchers": "persons",
    "volunteers": "persons",
    "youths": "persons",
    "staff": "persons",
    "personnel": "persons",
}
PERSON_MEMBERS = re.compile(r"\b(?:staff|board|team|committee|faculty|family|youth|club|crew|panel)\s+members$", re.I)
ELAPSED_JA = re.compile(r"\s*(?:が|を)?\s*(?:経過|経ち|経った|経つ|たち|たった|ぶり)")
FROM_BEFORE = re.compile(r"から(?:約|およそ)?\s*$")
# A statistic's label for figures that are not a country's indicator (trade between partners, Japan
# and ASEAN together): what the figure measures.
STAT_LABEL = re.compile(
    r"(?P<persons>total population|population|人口|総人口)"
    r"|(?P<money>trade|exports|imports|gdp|economic scale|economy|market|scale|size"
    r"|貿易額|貿易総額|輸出額|輸入額|経済規模|市場規模)",
)
# Trade between partners or within the region (not a country's own total).
PARTNER = re.compile(r"intra|partner|with |between|域内|との|間|対")
ANOTHER_VALUE = re.compile(r"\d[\d,.]*\s*(?:万|億|兆|人|名|ドル|円|%|million|billion|trillion)")
JA_LABEL_GAP = re.compile(r"\s*(?:は|が|も|で|：|:)\s*(?:約|およそ|計|合計)?\s*$")
PARTNER_LINE = re.compile(r"^(?P<pre>[^\n]*?\S)\s+[–—\-]\s+$")
TRAILING_YEAR = re.compile(r"\s+(?:in|for|as of)\s+(?:19|20)\d{2}\s*$|\s*[(（](?:19|20)\d{2}年?[)）]\s*$")
YEAR_BRACKET = re.compile(
    r"\s*[(（]\s*(?:as of\s+)?(?P<y>(?:19|20)\d{2})(?:\s*(?:estimates?|est\.|年|年度))?"
    r"(?:(?P<m>\d{1,2})月)?\s*(?:時点|現在)?\s*[)）]",
    re.I,
)
WHOLE_POPULATION = re.compile(r"(?:.*の)?(?:総)?人口")
EN_OF_AFTER = re.compile(r"\s+of\b")
BACK_REFERENCE = re.compile(r"(?:(?<![A-Za-z])(?:the|The)\s+)$")
# 'these two documents', 'この4カ国', '上記3件': the things were named before; the count states nothing new.
DEMONSTRATIVE = re.compile(r"(?:(?<![A-Za-z])(?:these|those|These|Those)\s+|この|その|これら|これらの|上記|上記の|同)$")
DATE_LINK = re.compile(
    r"^(?:年度|度)?(?:末)?\s*(?:時点で?|現在で?)?\s*(?:に|が|は|で|には|では|の|、|,)?\s*(?:約|およそ)?\s*$"
)


@dataclass
class Mention:
    """A stated number with what it counts, before duplicates are resolved."""

    start: int  # the number
    end: int  # the number with its counter or unit
    value: float
    unit: str
    subject: str
    explicit: bool  # the subject is named next to the number (not taken from the sentence)
    quote: tuple[int, int] | None = None  # the statement, when it is not the number's sentence
    date: str | None = None
    approximate: bool | None = None
    notes: list[str] = field(default_factory=list)
    back_reference: bool = False  # 'the four member states', 'この4カ国': a count stated before


@cache  # a handful of counters recur
def _unit(counter: str) -> str:
    for pattern, unit in UNIT_OF:
        if pattern.fullmatch(counter):
            return unit
    return "count"


def extract_metrics(src: Source, stated: Spans | None = None) -> dict[str, list[dict]]:
    stated = stated or Spans()
    # Dates and amounts of money are numbers too: they are left to their own families.
    covered = stated.union((d.start, d.end) for d in src.dates).union((m.start(), m.end()) for m in src.money)

    def free(a: int, b: int) -> bool:
        return not covered.covers(a, b)

    mentions = _statistic_figures(src, stated)
    covered.add((m.start, m.end) for m in mentions)
    mentions += _japanese_counts(src, free)
    mentions += _english_counts(src, free)
    mentions += _percentages(src, free)
    mentions += _framework_sizes(src, free)
    covered.add((m.start, m.end) for m in mentions)
    mentions += _figure_lines(src, free)
    for m in mentions:
        m.back_reference = bool(BACK_REFERENCE.search(src.folded, max(0, m.start - 12), m.start))
    mentions = [m for m in mentions if not DEMONSTRATIVE.search(src.folded, max(0, m.start - 12), m.start)]
    rows = [_row(src, m) for m in _resolve(src, mentions)]
    return {"metrics": rows}


# --- Japanese counters ---------------------------------------------------------------------------------


def _japanese_counts(src: Source, free) -> list[Mention]:
    out = []
    text = src.folded
    for m in src.scan(COUNTER, followed_by=COUNTER_NEXT):
        if not free(m.start(), m.end()) or ORDINAL_BEFORE.search(text[max(0, m.start() - 3) : m.start()]):
            continue
        counter = m["counter"] or m["wrapped"]
        unit = _unit(counter)
        if unit in LEFT_ALONE_UNITS:
            continue
        if m.start() and NAME_BEFORE.match(text[m.start() - 1]) and unit not in ("countries", "persons"):
            continue  # part of a name: 'フェーズ4期', 'JAIF2.0'
        if m.start() and text[m.start() - 1] in "-–" and m.start() > 1 and NAME_BEFORE.match(text[m.start() - 2]):
            continue
        try:
            parsed = parse_japanese_amount(m["num"])
        except ValueError:
            continue
        notes = [parsed.note] if parsed.note else []
        if unit in DURATIONS:
            if not (unit == "years" and ELAPSED_JA.match(text, m.end())):
                continue  # a period or a time of day: it qualifies another fact
            since = FROM_BEFORE.search(text, max(0, m.start() - 4), m.start())
            what = ja_noun_phrase_before(src, since.start(), max(0, since.start() - 30)) if since else ""
            subject = f"{what}からの経過年数" if what else "経過年数"
            out.append(Mention(m.start(), m.end(), parsed.value, "years", subject, True, notes=notes))
            continue
        if unit == "percent" and EN_OF_AFTER.match(text, m.end()):
            continue  # '85% of the measures': read as English
        subject, how = ja_subject(src, m.start(), m.end(), counter, unit)
        if WHOLE_POPULATION.fullmatch(subject) or (
            unit == "persons" and parsed.value >= 10**6 and leading_country(subject)
        ):
            subject, how = "", "a population is a statistic (indicators), not a count"
        if not subject:
            src.skip(m.start(), m.end(), f"quantity: {how}")
            continue
        explicit = how in ("noun before the number", "named after the number")
        approximate = bool(m["yo"]) or None
        out.append(
            Mention(m.start(), m.end(), parsed.value, unit, subject, explicit, approximate=approximate, notes=notes)
        )
    for m in src.scan(COUNT_OF, followed_by=COUNT_OF_NEXT):
        if free(m.start("num"), m.end("num")) and not ORDINAL_BEFORE.search(text[max(0, m.start() - 3) : m.start()]):
            noun = src.text[m.start("noun") : m.end("noun")]
            out.append(Mention(m.start(), m.end(), parse_number(m["num"]).value, "items", noun, True))
    return out


# --- English counts --------------------------------------------------------------------------------------


def _english_counts(src: Source, free) -> list[Mention]:
    out = []
    text = src.folded
    for m in src.scan(EN_COUNT, also=EN_COUNT_WORDS, followed_by=EN_COUNT_NEXT):
        num = m["num"]
        if not free(m.start("num"), m.end("num")):
            continue
        if RANKING_BEFORE.search(text[max(0, m.start() - 8) : m.start()]):
            continue
        if num.isdigit() and len(num) == 4 and 1900 <= int(num) <= 2100:
            continue  # a year
        value = parse_english_amount(num).value
        if m["sep"] == "-":
            h = HYPHEN_COUNT.match(text, m.end())
            if h is None:
                continue  # 'three-decade', 'two-tier', '50-50': not a count of things
            noun = h["noun"]
            plural = "economies" if noun == "economy" else noun + ("es" if noun.endswith("s") else "s")
            if h["head"]:
                subject = f"{plural} in the {src.text[h.start('head') : h.end('head')]}"
            else:
                subject = f"{plural} of the {src.text[h.start('name') : h.end('name')]}"
            if len(subject) > MAX_SUBJECT:
                continue
            out.append(Mention(m.start(), h.end(), value, "countries", subject, True))
            continue
        if value == 1:
            continue  # 'one minute', '1 a.m.': a single thing is not counted
        found = en_subject_after(src, m.end())
        if found is None:
            continue
        subject, head, end = found
        if head in ("times", "fold"):
            continue  # 'three times larger': a ratio
        if head in ("years", "months", "weeks", "days", "hours", "minutes", "seconds", "decades"):
            if not (head == "years" and " since " in subject) or AGE_AFTER.match(text, m.end() - 1):
                continue  # a period (over three years, about 60 minutes) or an age
        unit = EN_UNITS.get(head, head)
        if head == "members":
            unit = "persons" if PERSON_MEMBERS.search(text[max(0, m.end() - 20) : end]) else "countries"
        out.append(Mention(m.start(), end, value, unit, subject, True))
    return out


def _percentages(src: Source, free) -> list[Mention]:
    """'About 85% of the measures listed in the Roadmap'; a percentage alone on its line under
    its label ('Population aged 15 to 64' / '64.8% (2016 estimate)')."""
    out = []
    text = src.folded
    for m in src.scan(EN_PERCENT, followed_by=EN_PERCENT_NEXT):
        if not free(m.start(), m.end()) or not text[m.end() : m.end() + 4].startswith(" of"):
            continue
        subject = en_subject_of(src, m.end())
        if subject:
            out.append(Mention(m.start(), m.end(), float(m["num"]), "percent", subject, True))
    return out


# --- Figures that are not a country's statistic --------------------------------------------------------


def _statistic_figures(src: Source, stated: Spans) -> list[Mention]:
    """Trade with partners, intra-regional trade, and figures of Japan and ASEAN together, with their
    label: on the same line before the value, on the line above, or as the heading of a list of
    'name – value' lines. Values the statistics already state are theirs."""
    out: list[Mention] = []
    text = src.folded
    heading: tuple[int, str, int | None] | None = None  # (line, heading, year) of a 'name – value' list
    for m in src.scan(VALUE, also=CURRENCY_LEAD, followed_by=VALUE_NEXT):
        if stated.covers(m.start(), m.end()):
            continue
        value, unit = _value_of(m)
        if value is None:
            continue
        line_a = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        line_b = len(text) if line_end == -1 else line_end
        before = text[line_a : m.start()]
        bracket = YEAR_BRACKET.match(text, m.end())
        after = text[(bracket.end() if bracket else m.end()) : line_b].strip()
        # 'Korea – US$120 billion': an item of a list of partners
        if unit != "persons" and not after and (p := PARTNER_LINE.match(before)):
            name, head = _split_item(src, line_a, line_a + p.end("pre"))
            if head:
                heading = (line_a, head, _year_in(head))
            if heading is not None and name:
                subject = f"{heading[1]}: {name}"[:MAX_SUBJECT]
                year = heading[2]
                out.append(
                    Mention(
                        m.start(),
                        m.end(),
                        value,
                        unit,
                        subject,
                        True,
                        quote=(line_a, m.end()),
                        date=str(year) if year else None,
                        notes=["an item of a list under its heading"],
                    )
                )
            continue
        heading = None
        label = _stat_label(src, m.start(), line_a, unit)
        if label is None:
            continue
        subject, label_start, year = label
        if bracket:
            year = int(bracket["y"])
        out.append(
            Mention(
                m.start(),
                m.end(),
                value,
                unit,
                subject,
                True,
                quote=(min(label_start, m.start()), bracket.end() if bracket else m.end()),
                date=str(year) if year else None,
            )
        )
    return out


def _value_of(m: re.Match) -> tuple[float | None, str]:
    try:
        if m["cur"]:
            return parse_english_amount(m["usd"], m["usd_scale"]).value, "USD"
        if m["ja"]:
            unit = m["ja_unit"]
            if "ドル" in unit:
                return parse_japanese_amount(m["ja"]).value, "USD"
            if unit == "人":
                return parse_japanese_amount(m["ja"]).value, "persons"
            return None, ""
        if m["en"]:
            if m["en_area"]:
                return None, ""
            unit = "USD" if m["en_cur"] else "persons"
            return parse_english_amount(m["en"], m["en_scale"]).value, unit
        return parse_english_amount(m["bare"], m["bare_scale"]).value, "persons"
    except ValueError:
        return None, ""


def _year_in(text: str) -> int | None:
    years = re.findall(r"(?<!\d)((?:19|20)\d{2})(?!\d)", text)
    return int(years[-1]) if years else None


def _split_item(src: Source, a: int, b: int) -> tuple[str, str]:
    """'Top 5 Trade Partners in 2013 China' -> ('China', 'Top 5 Trade Partners in 2013'); 'EU' -> ('EU', '')."""
    pre = src.text[a:b]
    names = [n for n in country_name_pattern().finditer(src.folded, a, b) if n.end() == b]
    if names:
        n = names[-1]
        return src.text[n.start() : n.end()], collapse_spaces(src.text[a : n.start()])
    if len(pre.split()) <= 3 and not re.search(r"\d", pre):
        return collapse_spaces(pre), ""
    return "", ""


def _phrase_start(src: Source, phrase: str, end: int) -> int:
    """Where a phrase that ends at end starts (its words as the text writes them, spaces aside)."""
    start = src.text.rfind(phrase.split()[0], max(0, end - len(phrase) - 20), end) if phrase else -1
    return start if start != -1 else end


LABEL_LINE_CHARS = 200  # characters before a value on a label line, spaces included


def _stat_label(src: Source, start: int, line_a: int, unit: str) -> tuple[str, int, int | None] | None:
    """(subject, label start, year) for a figure labelled as trade, a population or an economy's size:
    'Intra-ASEAN Trade in 2016US$512 billion', 'a total population of 520 million', 'a scale of 8.3
    trillion US$'. Not a pledge: the label must come before the value."""
    text, lowered = src.folded, src.lowered
    lo = max(line_a, start - 60)
    labels = list(STAT_LABEL.finditer(lowered, lo, start))
    if not labels:
        return None
    lab = labels[-1]
    if (unit == "persons") != bool(lab["persons"]):
        return None
    gap = text[lab.end() : start]
    if len(gap) > 30 or re.search(r"[。.;](?:\s|$)", gap) or ANOTHER_VALUE.search(gap):
        return None
    # the statistic of one country or of ASEAN is an indicator, unless it names partners
    stmt_a, _ = src.statement(start, start + 1)
    _, why = statement_entity(src, min(stmt_a, lab.start()), lab.end())
    partner = lab["money"] and PARTNER.search(lowered, max(line_a, lab.start() - 20), lab.end() + 12)
    if not why and not partner:
        return None
    if re.match(r"\s*of\b", gap):  # 'a total population of': the words before 'of'
        words = re.findall(r"[A-Za-z][A-Za-z\-]*", text[max(stmt_a, lab.start() - 30) : lab.end()])
        kept: list[str] = []
        for w in reversed(words):
            if w.lower() in ("a", "an", "the", "with", "of", "and", "its", "their"):
                break
            kept.insert(0, w)
        subject = " ".join(kept[-3:])
        return subject, _phrase_start(src, subject, lab.end()), None
    if JA_LABEL_GAP.match(gap):  # '日ASEAN間の貿易総額は約', '日本とASEANを合わせた人口は約'
        clause_a = max(stmt_a, *(text.rfind(c, 0, lab.start()) + 1 for c in "、。,\n"))
        clause_a, _ = src.trim(clause_a, lab.end())
        if lab.end() - clause_a <= 40:
            return src.text[clause_a : lab.end()], clause_a, None
        subject = ja_noun_phrase_before(src, lab.end(), max(stmt_a, lab.start() - 30))
        return (subject, _phrase_start(src, subject, lab.end()), None) if subject else None
    # a label line: the words before the value, without a trailing year (a long line is no label line)
    if start - line_a > LABEL_LINE_CHARS:
        return None
    label_text = src.text[line_a:start]
    year = _year_in(label_text)
    subject = TRAILING_YEAR.sub("", collapse_spaces(label_text))
    subject = re.sub(r"(?:19|20)\d{2}$", "", subject).strip(" :：-–")
    if not subject or len(subject) > MAX_SUBJECT:
        return None
    return subject, line_a, year


# --- Figures on slides ------------------------------------------------------------------------------


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


def _figure_lines(src: Source, free) -> list[Mention]:
    """A number alone on its line, labelled by the lines that follow it (slides put figures above
    their labels), or, after a blank line, by the next block of text; a figure glued to the end of
    its label; a total in brackets after its label; a percentage alone on its line under its label."""
    out: list[Mention] = []
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
        if not label or len(label) > MAX_SUBJECT:
            continue
        out.append(
            Mention(
                m.start("num"),
                m.end("num"),
                parse_number(number).value,
                "count",
                label,
                True,
                quote=(m.start("num"), block[1]),
                approximate=bool(m["plus"]),
                notes=notes,
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
        if len(label) > MAX_SUBJECT:
            continue
        out.append(
            Mention(
                m.start("num"),
                m.end(),
                parse_number(m["num"]).value,
                "count",
                label,
                True,
                quote=(start, m.end()),
                approximate=bool(m["plus"]),
                notes=["figure written after its label"],
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
        out.append(
            Mention(
                m.start("num"),
                m.end(),
                parse_number(m["num"]).value,
                "count",
                remove_spaces(src.text[label_start:label_end]),
                True,
                quote=(label_start, m.end()),
                approximate=True,
                notes=["total in brackets after its label"],
            )
        )
    for m in src.match_lines(PERCENT_LINE, src.candidate_starts()):
        if not free(m.start("num"), m.end("num")):
            continue
        label_span = _label_above(src, m.start())
        if label_span is None:
            continue
        la, lb = label_span
        year = m["y"]
        out.append(
            Mention(
                m.start("num"),
                m.end("pct"),
                float(m["num"]),
                "percent",
                collapse_spaces(src.text[la:lb]),
                True,
                quote=(la, m.end()),
                date=year,
                notes=["percentage under its label"],
            )
        )
    return out


def _label_above(src: Source, line_start: int) -> tuple[int, int] | None:
    """The previous non-empty line (across at most two blank lines) when it is a short label."""
    b = line_start - 1
    for _ in range(3):
        if b <= 0:
            return None
        a = src.folded.rfind("\n", 0, b) + 1
        line = src.folded[a:b].strip()
        if line:
            if len(line) > MAX_SUBJECT or re.search(r"[。.;:：]$|\d$", line):
                return None
            return src.trim(a, b)
        b = a - 1
    return None


# "援225": a figure glued to the end of its label line; "奨学金給付 (1,400+)": a total in brackets.
# The label ends in kanji or hiragana: after Latin letters or katakana the digits belong to a name.
LABEL_THEN_FIGURE = re.compile(
    r"^[ \t]*(?P<label>[^\d\n:：]*[\u3041-\u3096\u4e00-\u9fff])(?P<num>\d{2,}(?:,\d{3})*)(?P<plus>\+)?[ \t]*$", re.M
)
NUMBER_LINE = re.compile(r"^[ \t]*(?P<num>\d+(?:,\d{3})*(?:\.\d+)?)(?P<plus>\+)?[ \t]*$", re.M)
PERCENT_LINE = re.compile(
    r"^[ \t]*(?P<num>\d+(?:\.\d+)?)[ \t]*(?P<pct>%|％)[ \t]*(?:[(（][ \t]*(?P<y>(?:19|20)\d{2})[^)）\n]{0,20}[)）])?[ \t]*$",
    re.M,
)
MIN_FIGURES_ON_SLIDE = 3
BLANK_LINES = re.compile(r"[ \t]*\n(?:[ \t]*\n)*")
SENTENCE_MARK = re.compile(r"[、。]")
LEADING_DIGITS = re.compile(r"[ \t]*\d+")
TOTAL_IN_BRACKETS = re.compile(r"[(（](?P<num>\d+(?:,\d{3})*)\+[)）]")


def _framework_sizes(src: Source, free) -> list[Mention]:
    """'ＡＳＥＡＮ地域フォーラム（ＡＲＦ） （２７）' on a slide whose note says what the bracketed number counts
    ('（）内は参加している国・地域・機関の数')."""
    out, seen = [], set()
    for note in BRACKET_NOTE.finditer(src.folded):
        seg_a, seg_b = src.segment_of(note.start())
        if (seg_a, seg_b) in seen:  # the note may be repeated on its slide
            continue
        seen.add((seg_a, seg_b))
        what = src.text[note.start("what") : note.end("what")]
        for m in BRACKETED_SIZE.finditer(src.folded, seg_a, seg_b):
            if free(m.start("num"), m.end("num")):
                name = collapse_spaces(src.text[m.start("name") : m.end("name")])
                if len(name) > MAX_SUBJECT:
                    continue
                out.append(
                    Mention(
                        m.start("num"),
                        m.end("num"),
                        float(m["num"]),
                        "members",
                        name,
                        True,
                        quote=(m.start("name"), m.end()),
                        approximate=False,
                        notes=[f"the bracketed number is {what} (slide note)"],
                    )
                )
    return out


BRACKET_NOTE = re.compile(r"[(（][)）]内は(?P<what>[^。\n]{1,30}?)の数")
BRACKETED_SIZE = re.compile(r"^[ \t]*(?P<name>[^\n]*?\S)[ \t]*[(（](?P<num>\d{1,3})[)）][ \t]*$", re.M)


# --- Resolution: one row per stated count -----------------------------------------------------------


def _resolve(src: Source, mentions: list[Mention]) -> list[Mention]:
    """One mention per stated count: a count stated in the header and again in the body is kept at its
    body statement; a later mention of the same value and unit is kept only when it names a different
    subject next to the number."""
    mentions.sort(key=lambda m: (m.start, m.end))
    head = header_end(src)
    by_key: dict[tuple[float, str], list[Mention]] = {}
    for m in mentions:
        by_key.setdefault((m.value, m.unit), []).append(m)
    keep: list[Mention] = []
    for group in by_key.values():
        body = [m for m in group if m.start >= head]
        candidates = body or group
        kept: list[Mention] = []
        for m in candidates:
            if not kept:
                kept.append(m)
                continue
            subject = m.subject.casefold()
            if (
                m.explicit
                and not m.back_reference
                and all(subject not in k.subject.casefold() and k.subject.casefold() not in subject for k in kept)
            ):
                kept.append(m)
        keep += kept
    keep.sort(key=lambda m: (m.start, m.end))
    # two readings of one number (a counter and a figure line): the first
    out, seen = [], set()
    for m in keep:
        if (m.start, m.value) in seen:
            continue
        seen.add((m.start, m.value))
        out.append(m)
    return out


def _date_of(src: Source, m: Mention, a: int, b: int) -> tuple[str | None, str | None]:
    """The date attached to the number ('2016年に80人', '2023年4月時点で約1,200名', '(2016 estimate)'),
    else the one date of its statement."""
    if m.date:
        return m.date, None
    text = src.folded
    for d in reversed(src.dates_in(max(a, m.start - 40), m.start)):
        if DATE_LINK.match(text[d.end : m.start]):
            return d.date, "date attached to the number"
        break
    if bracket := YEAR_BRACKET.match(text, m.end):
        month = int(bracket["m"]) if bracket["m"] else None
        return (f"{bracket['y']}-{month:02d}" if month else bracket["y"]), "date in brackets after the number"
    dates = src.dates_in(a, b)
    if len(dates) == 1 and dates[0].end <= m.start and dates[0].note is None:
        return dates[0].date, None  # the one date of the statement, stated with its year before the number
    return None, None


def _row(src: Source, m: Mention) -> dict:
    if m.quote:
        a, b = m.quote
    else:
        a, b = src.statement(m.start, m.end)
        a, b = src.clip(a, b, m.start, m.end)
    a, b = min(a, m.start), max(b, m.end)
    if b - a > 400:
        a, b = src.clip(a, b, m.start, m.end)
    date, note = _date_of(src, m, a, b)
    approximate = m.approximate
    if approximate is None:
        approximate = is_approximate(src.folded[max(a, m.start - 20) : m.start], src.folded[m.end : m.end + 6])
    return src.fact(
        a,
        b,
        [*m.notes, note],
        subject=m.subject,
        value=m.value,
        unit=m.unit,
        date=date,
        approximate=approximate,
    )


# Meetings are not left alone: a count of countries inside a meeting's sentence is a metric (dates and
# ordinals are skipped anyway).
FAMILY = Family("quantities", tables=("metrics",), extract=extract_metrics, leaves_alone=("indicators", "projects"))
