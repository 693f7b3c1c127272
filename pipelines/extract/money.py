"""Money pledged, contributed, granted, lent, invested, mobilised or disbursed (``commitments``).

One row per amount of ``Source.money`` that a statement gives, lends, invests, pledges or targets,
described by its own clause (a sentence listing four pledges gives four rows, each with its clause).
What the clause (else its statement) says about the amount:
- ``kind``: the form the money takes where the statement names one (loan: 円借款, 融資, yen loans;
  grant: 無償, grant; investment: 出資, investment; investment and loan: 出融資, investment and loans;
  contribution: 拠出, 分担金, contribution), else what is done with it (mobilisation target: 動員,
  官民合わせて, mobilise, from the public and private sectors; disbursement: 支出, disbursed), else
  pledge (表明, 約束, プレッジ, pledge, promise, commit, announce) or assistance (支援, 援助, 供与, ODA,
  assistance, aid, provide, funding);
- ``funder``: who pays as the statement says ('ＡＳＥＡＮ加盟国が…拠出'), Japan where the statement names
  Japan, its government or its prime minister (総理), else Japan where the paragraph or slide does;
- ``channel``: the fund, agency or instrument it flows through (``through the … Fund``, the acronym
  before the amount: ``JBICによる``, ``（JAIF）に``, ``JENESYS2.0（…）``; ODA, JICA, JBIC… named in the clause);
- ``recipient`` where stated (``to ASEAN member nations``, ``メコン地域に対して``), as a code when it is
  ASEAN or a country;
- ``period`` (``3年間（2020年～2022年）``, ``今後3年間``, ``over the next five years``), ``date`` (the clause's
  date, else the statement's, else the heading it is listed under), ``approximate`` (約, 規模, about, nearly).
An amount restated (a headline, a caption, a summary of the same pledge) is one row, at its fullest
statement; an amount in brackets after another one is its conversion ('140 billion yen ($1.3 billion)').
Not commitments: amounts with no word of giving in their statement (GDP, trade, market sizes, prices:
statistics and figures), and amounts already stated as a statistic or a project's budget.
Does not belong here: budgets of projects (``projects``), GDP and trade (``statistics``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines.extract.amounts import money_value
from pipelines.extract.base import Spans
from pipelines.extract.clauses import clause_spans, clip_words, describe, segments_of, statement_span
from pipelines.extract.family import Family
from pipelines.extract.source import Source
from pipelines.normalize import country_code, is_approximate

# The kinds of commitment, most specific first: the form the money takes, what is done with it, the act.
KINDS: tuple[tuple[str, re.Pattern], ...] = (
    ("investment and loan", re.compile(r"出融資|投融資|investments? and loans?|loans? and investments?", re.I)),
    ("loan", re.compile(r"円借款|借款|融資|貸付|\bloans?\b|\blend(?:s|ing)?\b|credit lines?", re.I)),
    ("grant", re.compile(r"無償|贈与|\bgrants?\b", re.I)),
    ("investment", re.compile(r"出資|投資|\binvest(?:s|ed|ing|ments?)?\b|\bequity\b", re.I)),
    (
        "contribution",
        re.compile(r"拠出|醵出|分担金|出えん|\bcontribut(?:e|es|ed|ing|ions?)\b|\bdonat(?:e|ed|ions?)\b", re.I),
    ),
    (
        "mobilisation target",
        re.compile(r"動員|官民合わせて|\bmobili[sz](?:e|es|ed|ing|ation)\b|public and private", re.I),
    ),
    ("disbursement", re.compile(r"支出|\bdisburs(?:e|es|ed|ing|ements?)\b|\bspent\b", re.I)),
    (
        "pledge",
        re.compile(
            r"表明|約束|誓約|プレッジ|\bpledg(?:e|es|ed|ing)\b|\bpromis(?:e|es|ed|ing)\b|\bcommit(?:s|ted|ments?)?\b",
            re.I,
        ),
    ),
    (
        "assistance",
        re.compile(
            r"支援|援助|供与|贈呈|引き渡|(?<![A-Za-z])ODA(?![A-Za-z])|政府開発援助|\bassistance\b|\baid\b|"
            r"\bprovid(?:e|es|ed|ing)\b|\bfunding\b|\bhand(?:s|ed)? over\b",
            re.I,
        ),
    ),
)
KIND_NAMES = tuple(k for k, _ in KINDS)
ANY_KIND = re.compile("|".join(f"(?:{p.pattern})" for _, p in KINDS), re.I)
# Forms of money (0) count only next to the amount; acts (1: mobilising, disbursing; 2: pledging, assisting)
# anywhere in its clause, the nearest first.
TIERS = {name: 0 if i < 5 else 1 if i < 7 else 2 for i, name in enumerate(KIND_NAMES)}
FORM_REACH = 40
JOIN_BREAK = re.compile(r"(?<=[\u3040-\u30ff\u3400-\u9fff])\s*\n\s*(?=[\u3040-\u30ff\u3400-\u9fff])")
# Figures that are not given by anyone: a commitment word must be closer than these to count.
STATISTIC = re.compile(
    r"GDP|GNI|\b[Tt]rade\b|貿易|輸出|輸入|人口|市場規模|market size|売上|\brevenue|価格|\bprices?\b|per capita|1人当たり|"
    r"所得|\bincome\b|予算|\bbudget\b|事業費|直接投資|投資額|\bFDI\b|direct investment|investment (?:flows?|stock)"
)
# A figure's verbs: an amount that reached or totalled something is a statistic, unless also given.
STATISTIC_VERB = re.compile(r"達し|に上る|にのぼる|を記録|\breached\b|\bamounted to\b|\btotall?ed\b|\bstood at\b")
GIVING = re.compile(
    r"表明|約束|拠出|供与|提供|贈与|無償|貸付|融資|出資|\bpledg|\bprovid|\bcontribut|\bcommit|\bgrant|\blend|\bdisburs|"
    r"\bmobili[sz]|\bdonat",
    re.I,
)
PART_OF_TOTAL = re.compile(r"\b[Oo]f (?:the|this) total\b|\bof which\b|うち")
# Japan as the payer: the country, its government, its prime minister (総理 is Japan's in Japanese texts).
JAPAN = re.compile(r"日本|我が国|わが国|\bJapan(?:ese)?\b|総理")
# Japan in the paragraph or slide around a statement: also 日ASEAN/日メコン cooperation (日 is Japan).
JAPAN_CONTEXT = re.compile(JAPAN.pattern + r"|日・?(?:ASEAN|ＡＳＥＡＮ|メコン)")
# Who pays, when the statement says: 'ＡＳＥＡＮ加盟国が…拠出', '日本は…表明'.
PAYER = re.compile(r"(?P<who>[^\s、。,，（(]{2,12}?)(?:が|は)[^。]*?(?:拠出|表明|提供|支援|出資|融資|約束|供与)")
CONVERSION_BEFORE = re.compile(r"[(（]\s*(?:約|about|approx(?:imately|\.)?|around|some)?\s*$", re.I)
CONVERSION_AFTER = re.compile(r"\s*[)）]")
# The fund or agency named just before the amount: 'JBICによる2,000億円', '（JAIF）に55億円', 'JENESYS2.0（7,300万ドル'.
CHANNEL_BEFORE = re.compile(
    r"(?P<acr>[A-Z][A-Z0-9.]{1,9})[)）]?\s*(?:(?:に|の|による|を通じ(?:て)?|から)[^A-Z、。,]{0,14}|[(（])$"
)
CHANNEL_EN = re.compile(r"through (?:the )?(?P<fund>[A-Z][\w\- ]+?(?:Fund|Facility|Programme|Program))")
# Instruments and agencies of the field's finance, named anywhere in the clause.
CHANNEL_NAMES = re.compile(
    r"(?<![A-Za-z])(?P<acr>ODA|JICA|JBIC|JOIN|NEXI|JAIF|JAGEF|JFPR|ADB|JETRO)(?![A-Za-z])|(?P<oda>政府開発援助)"
    r"|(?P<agency>Japan International Cooperation Agency|Japan Bank for International Cooperation)"
)
PERIOD = re.compile(
    r"(?P<period>(?:今後|向こう|本年度以降|(?:\d{4}|\d{2})年度?(?:から|以降)の?)?\s*\d+\s*年間(?:[(（][^)）]{1,30}[)）])?"
    r"|\b(?:over|during|for) (?:the )?(?:next |following |coming )?(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)"
    r" years(?: from \d{4} (?:to|through|until) \d{4})?)"
)
RECIPIENT_EN = re.compile(
    r"\bto (?:the )?(?P<r>(?:[A-Z][\w’'\-]*)(?:\s+(?:[A-Z][\w’'\-]*|of|and|member|nations|states|countries)){0,6})"
)
RECIPIENT_JA = re.compile(
    r"(?P<r>[^\s、。,，「」『』()（）:：・\u3041-\u3096]{2,20}?)(?:に対して|に対する|への|向けの?|向けに)"
)
# A part of a statement that gives its purpose or occasion ('…を念頭に、', '…に向けて、'): its dates are not the
# commitment's.
PURPOSE_END = re.compile(r"(?:念頭に|に向け(?:て)?|を目指し(?:て)?|ため(?:に)?|契機に|記念し(?:て)?)\s*$")
ASEAN_NAMES = re.compile(
    r"^(?:ASEAN|Asean)(?:\s*(?:member (?:nations|states|countries)|諸国|加盟国|各国|地域))?$|Association of Southeast Asian Nations|"
    r"東南アジア諸国連合"
)
ITEM_LABEL = re.compile(r"[ \t]*[" + "・•➢◆■●" + r"][ \t]*(?P<label>[^：:\n]{2,40})[：:]")
FUND_LABEL = re.compile(r"(?:基金|ファンド|事業|プログラム|プロジェクト|Fund|Programme|Program)\s*$")
GROUP_HEADING = re.compile(r"^[ \t]*(?P<bullet>[•➢◆■●])", re.M)
# '文化のWAプロジェクト（200億円）': the item an amount in brackets belongs to.
ITEM_BEFORE = re.compile(r"(?:^|[、,，])\s*(?P<item>[^\s、,，（(がはを]{2,30}?)\s*[（(]\s*[^）)]{0,12}$")


@dataclass
class Commitment:
    """One amount read as a commitment, before restatements are merged."""

    start: int
    end: int
    statement: tuple[int, int]
    clause: tuple[int, int]
    value: float
    currency: str | None
    note: str | None
    kind: str
    alone: bool  # the only amount of its clause


def _kind(src: Source, a: int, b: int, start: int, end: int) -> str | None:
    """The kind of the amount at [start, end) from the words of text[a:b] (lines joined): a form the money
    takes named next to it (FORM_REACH characters), else the nearest word of mobilising or disbursing,
    else the nearest word of pledging or assisting."""
    before, after = joined(src, a, start), joined(src, end, b)
    words = before + " " + after
    pos = len(before)
    best: tuple[int, int, int] | None = None
    for rank, (name, pattern) in enumerate(KINDS):
        tier = TIERS[name]
        for m in pattern.finditer(words):
            distance = pos - m.end() if m.end() <= pos else m.start() - pos
            if tier == 0 and distance > FORM_REACH:
                continue
            key = (tier, distance, rank)
            if best is None or key < best:
                best = key
    return KINDS[best[2]][0] if best else None


def joined(src: Source, a: int, b: int) -> str:
    """text[a:b] with the line breaks inside words removed (a slide's '融\n\n資' is '融資')."""
    return JOIN_BREAK.sub("", src.folded[a:b])


def extract_commitments(src: Source, stated: Spans | None = None) -> dict[str, list[dict]]:
    stated = stated or Spans()
    text = src.folded
    found: list[Commitment] = []
    by_statement: dict[tuple[int, int], list] = {}
    previous_kind: str | None = None
    for m in src.money:
        if stated.covers(m.start(), m.end()):
            continue
        if _is_conversion(src, m):
            src.skip(m.start(), m.end(), "the conversion of the amount before it")
            continue
        by_statement.setdefault(statement_span(src, m.start(), m.end()), []).append(m)
    for (a, b), matches in by_statement.items():
        if not ANY_KIND.search(joined(src, a, b)) and not (previous_kind and PART_OF_TOTAL.search(text, a, b)):
            for m in matches:
                src.skip(m.start(), m.end(), "an amount with no word of giving, lending or pledging")
            continue
        foci = [(m.start(), m.end()) for m in matches]
        for m, (ca, cb) in zip(matches, clause_spans(src, a, b, foci, src.language), strict=True):
            clause = text[ca:cb]
            part = _part_of(src, ca, cb, m.start())
            kind = _kind(src, *part, m.start(), m.end()) or _kind(src, ca, cb, m.start(), m.end())
            if kind is None and (statement_kind := _kind(src, a, b, m.start(), m.end())):
                # the statement's word, for its only amount; an item of a list of amounts is pledged with them
                kind = statement_kind if len(matches) == 1 else "pledge"
            if kind is None and PART_OF_TOTAL.search(clause) and previous_kind:
                kind = previous_kind  # 'Of the total, $1.2 billion will come from …'
            if kind is None:
                src.skip(m.start(), m.end(), "an amount with no word of giving, lending or pledging")
                continue
            if (kind in ("assistance", "pledge") and STATISTIC.search(clause)) or (
                (STATISTIC.search(text, *part) or STATISTIC_VERB.search(text, *part)) and not GIVING.search(text, *part)
            ):
                src.skip(
                    m.start(), m.end(), "a figure (GDP, trade, investment flows, a price, a budget), not a commitment"
                )
                continue
            value, currency, note = money_value(m)
            if not value or currency is None:
                continue
            alone = sum(ca <= x.start() < cb for x in matches) == 1
            found.append(Commitment(m.start(), m.end(), (a, b), (ca, cb), value, currency, note, kind, alone))
            previous_kind = kind
    rows = [_row(src, c) for c in _fullest(src, found)]
    return {"commitments": rows}


def _part_of(src: Source, a: int, b: int, pos: int) -> tuple[int, int]:
    """The part of the clause [a, b) between commas that holds pos (the clause when it has no comma)."""
    if not any(c in src.folded[a:b] for c in "、,，;；"):
        return a, b
    return next(((x, y) for x, y in segments_of(src, a, b) if x <= pos < y), (a, b))


def _is_conversion(src: Source, m: re.Match) -> bool:
    """An amount in brackets right after another amount: its conversion to another currency."""
    text = src.folded
    before = text[max(0, m.start() - 12) : m.start()]
    if not (CONVERSION_BEFORE.search(before) and CONVERSION_AFTER.match(text, m.end())):
        return False
    bracket = max(before.rfind("("), before.rfind("（")) + m.start() - len(before)
    return any(0 <= bracket - x.end() <= 2 for x in src.money if x.end() <= bracket)


def _fullest(src: Source, found: list[Commitment]) -> list[Commitment]:
    """One commitment per amount and currency: an amount restated (headline, caption, summary) is kept at
    its longest statement."""
    best: dict[tuple[float, str | None], Commitment] = {}
    for c in found:
        key = (c.value, c.currency)
        if key not in best or c.statement[1] - c.statement[0] > best[key].statement[1] - best[key].statement[0]:
            if key in best:
                src.skip(best[key].start, best[key].end, "the same amount stated more fully elsewhere")
            best[key] = c
        else:
            src.skip(c.start, c.end, "the same amount stated more fully elsewhere")
    keep = {id(c) for c in best.values()}
    return [c for c in found if id(c) in keep]


def _row(src: Source, c: Commitment) -> dict:
    text = src.folded
    a, b = c.clause
    qa, qb = clip_words(src, a, b, c.start, c.end)
    part = _part_of(src, a, b, c.start)
    approximate = is_approximate(text[a : c.start], text[c.end : c.end + 6])
    period = None
    if p := PERIOD.search(text, a, b):
        period = src.text[p.start("period") : p.end("period")].strip()
    date, date_note = _date_of(src, c, part)
    funder, funder_note = _funder(src, c)
    return src.fact(
        qa,
        qb,
        [c.note, date_note, funder_note],
        amount=c.value,
        currency=c.currency,
        approximate=approximate,
        kind=c.kind,
        date=date,
        period=period,
        funder=funder,
        channel=_channel(src, c, part),
        recipient=_recipient(text[part[0] : part[1]]),
        description=describe(src, qa, qb),
    )


def _channel(src: Source, c: Commitment, part: tuple[int, int]) -> str | None:
    """Through what the money flows: a fund named after 'through', the acronym just before the amount, an
    instrument or agency named in its part of the clause, or the item it is listed under."""
    text = src.folded
    a, b = c.clause
    if m := CHANNEL_EN.search(text, a, b):
        return m["fund"]
    if m := CHANNEL_BEFORE.search(text[max(a, c.start - 30) : c.start]):
        return m["acr"]
    names = list(CHANNEL_NAMES.finditer(text, *part))
    if not names and c.alone:  # the clause's names, when the clause holds no other amount
        names = list(CHANNEL_NAMES.finditer(text, a, b))
    if not names:
        if item := ITEM_BEFORE.search(text[a : c.start]):
            return src.text[a + item.start("item") : a + item.end("item")]
        line_start = text.rfind("\n", 0, c.statement[0]) + 1
        if label := ITEM_LABEL.match(text, line_start, c.start):  # '・日ASEAN統合基金（JAIF）：…'
            if acronym := re.search(r"[(（](?P<acr>[A-Z]{2,10})[)）]", label["label"]):
                return acronym["acr"]
            if FUND_LABEL.search(label["label"]):
                return src.text[label.start("label") : label.end("label")].strip()
        return None
    nearest = min(names, key=lambda n: abs(n.start() - c.start))
    return "ODA" if nearest["oda"] else nearest["acr"] or nearest["agency"]


def _date_of(src: Source, c: Commitment, part: tuple[int, int]) -> tuple[str | None, str | None]:
    """The date of the part of the clause holding the amount (not a period's), else of the statement's
    first or last part ('2013年12月、…', '…, he said Monday') unless that part gives a purpose, else the
    date stated last before it in the paragraph, else the date of the bullet heading it is listed under."""
    a, b = c.statement
    parts = segments_of(src, a, b)
    for x, y in [part, parts[0], parts[-1]]:
        if PURPOSE_END.search(src.folded, x, y):
            continue
        dates = [d for d in src.dates_in(x, y) if not d.end_date and not _in_period(src, d.start, a, b)]
        if dates:
            return dates[0].date, dates[0].note
    p_start, _ = _paragraph(src, a)
    before = [d for d in src.dates_in(p_start, a) if not d.end_date and d.date and len(d.date) >= 7]
    if before:
        return before[-1].date, "year and date of the statement before it in the paragraph"
    seg_a, _ = src.segment_of(c.start)
    line_start = src.folded.rfind("\n", 0, a) + 1
    own = m.group("bullet") if (m := GROUP_HEADING.match(src.folded, line_start)) else None
    headings = [m.start() for m in GROUP_HEADING.finditer(src.folded, seg_a, line_start) if m["bullet"] != own]
    if headings:
        line_end = src.folded.find("\n", headings[-1])
        heading_dates = src.dates_in(headings[-1], line_end if line_end != -1 else a)
        if heading_dates:
            return heading_dates[0].date, "date of the heading the amount is listed under"
    return None, None


def _in_period(src: Source, pos: int, a: int, b: int) -> bool:
    return any(p.start() <= pos < p.end() for p in PERIOD.finditer(src.folded, a, b))


def _funder(src: Source, c: Commitment) -> tuple[str | None, str | None]:
    text = src.folded
    for a, b in (c.clause, c.statement):
        if m := PAYER.search(text, a, b):
            who = m["who"]
            if "ASEAN" in who.upper() and not JAPAN.search(who):
                return "ASEAN", None
            if JAPAN.search(who):
                return "JPN", None
            if code := country_code(who):
                return code, None
        if JAPAN.search(text, a, b):
            return "JPN", None
    paragraph = _paragraph(src, c.statement[0])
    if JAPAN_CONTEXT.search(text, *paragraph):
        return "JPN", "funder: Japan, named in the paragraph"
    seg_a, seg_b = src.segment_of(c.start)
    if JAPAN_CONTEXT.search(text, seg_a, seg_b):
        return "JPN", "funder: Japan, named on the same slide"
    return None, None


def _paragraph(src: Source, pos: int) -> tuple[int, int]:
    """The paragraph or list item holding pos: between blank lines."""
    text = src.folded
    start = text.rfind("\n\n", 0, pos)
    end = text.find("\n\n", pos)
    return start + 1, len(text) if end == -1 else end


def _recipient(clause: str) -> str | None:
    m = RECIPIENT_EN.search(clause) or RECIPIENT_JA.search(clause)
    if m is None:
        return None
    name = m["r"].strip()
    if ASEAN_NAMES.search(name):
        return "ASEAN"
    return country_code(name) or name


# A GDP is a statistic, and a budget belongs to its project: neither is a commitment.
FAMILY = Family("money", tables=("commitments",), extract=extract_commitments, leaves_alone=("indicators", "projects"))
