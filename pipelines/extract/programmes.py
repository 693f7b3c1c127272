"""Named programmes, projects and funds with what a page states about them, for the ``projects`` family.

Recognises, in Japanese and English:
- a programme with the people it sends, invites or trains: ``「…交流」に参加する大学生107名が訪日``,
  ``“…”の派遣人数が1,000人を突破``, ``3,000人以上の"…"を派遣``, ``this programme will invite 300 young
  leaders``; a batch of it (``この事業の第1陣として…合計59名``) is a project of its own, with the batch as
  its phase; ``この事業``/``本プログラム``/``the programme`` stand for the programme named last before them;
- a programme with its length: ``このプログラムは、…今後10年間にわたり…実施され``;
- a project named in quotes with its budget in brackets: ``under the project “…-Phase I” (USD 1.6 million)``;
- a programme a reference heading names (``(参考1)…事業``), with the programme it belongs to
  (``「…」の主な事業として``, ``…の一環として``, ``as part of …``);
- the titles of a list of projects after a lead that says so (``The ongoing projects are: A; B; and C``,
  ``以下のJAIFプロジェクトを通じて…:「A」、「B」``, ``Following projects are carried out …: 1. A 2. B``),
  funded by the fund the lead names.
The same programme's names on a page (quotes, 事業/プログラム suffixes, a name and its acronym) are one
project: one row, at its fullest statement (a sentence before a headline), with the fields other
statements add. A programme that another row of the page belongs to is that row's ``programme``, not a
row of its own.
Does not belong here: phases, work plans and project sheets (``projects``), money outside a project
(``money``).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from pipelines.extract.amounts import money_value
from pipelines.extract.clauses import describe, statement_span
from pipelines.extract.dates import DateExpr
from pipelines.extract.source import Source
from pipelines.normalize import duration_months, fold_text, parse_japanese_amount

QUOTED = re.compile(
    r"「(?P<q1>[^」\n]{2,80})」|“(?P<q2>[^”\n]{2,80})”|\"(?P<q3>[^\"\n]{2,80})\"|”(?P<q4>[^“\n]{2,80})“"
)
PROGRAMME_WORD = r"(?:派遣事業|事業|プログラム|プロジェクト|イニシアティブ|基金|パートナーシップ)"
# Unquoted, a name ending in 基金 is as often an organisation (国際交流基金) as a fund: left out.
UNQUOTED_PROGRAMME_WORD = r"(?:派遣事業|事業|プログラム|プロジェクト|イニシアティブ|パートナーシップ)"
PROGRAMME_WORD_EN = r"(?:Programme|Program|Project|Initiative|Fund|Partnership)"
# An unquoted name ending in a programme word ('青少年交流事業'): found from the word, read backwards
# over the characters a name holds (no space, punctuation, bracket or particle).
PROGRAMME_WORDS = re.compile(UNQUOTED_PROGRAMME_WORD + r"(?![ァ-ヶー])")
NOT_IN_NAME = ' \t\r\n\u3000、。,，「」『』“”"()（）:：・がはをにでとのへも'
NAME_RUN = re.compile("[^" + re.escape(NOT_IN_NAME) + "]*")
NAME_CHARS = 30
APPOSITION = re.compile(r"[、,，]?\s*[「“\"]")
WORD_AFTER_QUOTE = re.compile(r"\s*" + PROGRAMME_WORD)
WORD_BEFORE_QUOTE = re.compile(PROGRAMME_WORD + r"[、,，]?\s*$|\b(?:project|programme|program|initiative)\s*$", re.I)
# (No look-behind at its start: a pattern that starts with one is tried at every position.)
# An English name ending in a programme word, read backwards from the word.
EN_PROGRAMME_WORDS = re.compile(r"(?=[PIF])(?P<word>Programme|Program|Project|Initiative|Fund|Partnership|Facility)\b")
EN_WORD_BEFORE = re.compile(r"(?P<w>[A-Za-z][\w\-’'.]*)\s+$")
EN_NAME_SMALL_WORDS = frozenset("of for and on the to in".split())
EN_NAME_WORDS = 10
# An acronym naming a programme: with its year or edition (JENESYS2018, JAIF2.0) or before 'programme'.
ACRONYM_NAME = re.compile(
    r"(?P<acr>[A-Z]{3,}(?:\d{4}|\d\.\d)(?![A-Za-z0-9])|[A-Z]{3,}[A-Za-z0-9.]*(?= (?:programme|program|project|initiative)\b))"
)
ACRONYM_YEAR = re.compile(r"(?P<acr>[A-Z]{3,}(?:\d{4}|\d\.\d))(?![A-Za-z0-9])")
GENERIC_END = re.compile(r"(?:派遣事業|事業|プログラム|プロジェクト|programme|program|project)$", re.I)
# 'この事業', '本プログラム', 'the programme': the programme named last before it.
ANAPHOR = re.compile(
    r"(?:この|本|同|当)(?:事業|プログラム|プロジェクト|取組|取り組み)|^\s*事業は"
    r"|\b(?:[Tt]his|[Tt]he) (?:programme|program|project|initiative)\b"
)
ANAPHOR_KINDS = ("initiative", "programme", "program", "project", "事業", "プログラム", "プロジェクト")
REFERENT_REACH = 2000  # characters back to the programme a word like 'the initiative' stands for
BATCH = re.compile(r"第\s*(?P<n>\d+)\s*(?:陣|期)|(?P<en>\d+)(?:st|nd|rd|th) (?:batch|cohort)", re.I)
# A count of people ('107名', '1,000人', '300 participants'), found from its digits; a total is marked before it.
PERSONS = re.compile(
    r"(?P<n>\d+(?:,\d{3})*(?:万)?)\s*(?:名|人(?![口目材員件種数間])"
    r"|\s(?:[a-z\-]+\s){0,3}(?:participants|people|persons|students|trainees|officials|officers|leaders|youths?|"
    r"teachers|experts|diplomats)\b)"
)
PERSONS_NEXT = r"[名人万,\s]"
TOTAL_BEFORE = re.compile(r"(?:合計|計|総計|あわせて|a total of)\s*(?:約|およそ)?\s*$", re.I)
PARTICIPATE = re.compile(
    r"参加|派遣|訪日|招へい|招聘|受け入れ|受入れ|研修|出発|突破|修了|participat|dispatch|invit|train|\bsen[dt]\b|attend",
    re.I,
)
DATE_REACH = 15  # a date this close before the name is quoted with it
BENEFIT = re.compile(r"受益|benefi", re.I)
# The length of a programme: '今後5年間にわたり', 'over the next three years' (digits only), found from its digits.
PLAN_LENGTH = re.compile(
    r"(?P<len>\d+\s*(?:年間|か月間?|ヶ月間?|カ月間?))(?:にわたり|にわたって|で)|(?P<en>\d+ (?:years|months))\b"
)
PLAN_LENGTH_NEXT = r"[年かヶカ\s]"
EN_LENGTH_BEFORE = re.compile(r"\b(?:over|for) (?:the )?(?:next )?$")
CARRIED_OUT = re.compile(r"実施|展開|行う|行われ|implement|carried out|run\b|conducted", re.I)
REFERENCE_WORD = re.compile("参考")
REFERENCE_HEADING = re.compile(r"^[ \t]*[(\[【]参考\s*\d*[)\]】][ \t]*(?P<name>[^\n]{2,80}?)[ \t]*$", re.M)
PART_OF = re.compile(
    r"(?:「(?P<q>[^」]{2,80})」|(?P<n>[^\s、。「」]{2,40}))(?:の)?(?:主な事業|一環|一部)|\bas (?:a )?part of (?:the )?(?P<en>[A-Z][^,.;]{2,80})"
)
BUDGET_WORD_BEFORE = re.compile(
    r"(?:\bworth|budget of|budgeted at|valued at|amounting to|総事業費|事業費|予算額?)(?:は|が)?[:：\s]*(?:約|about\s)?$"
)
BUDGET_REACH = 60  # characters between a programme's name and its budget
BUDGET_OF_NAME = re.compile(
    r"[\s,、(（)）]*(?:with\s+a\s+)?(?:total\s+)?(?:worth|budget of|budgeted at|の?総?事業費は?|の?予算額?は?)[:：\s]*(?:約|about\s)?"
)
# '“…” was approved in 2020 with a budget of': what was done to the named project, then its budget.
PASSIVE_THEN_BUDGET = re.compile(
    r"[”\"」]?\s+(?:is|was|were|has been|have been)\s+(?:approved|launched|funded|adopted|started|signed|selected)"
    r"(?:\s+(?:in|on)\s+[^\s,]+(?:\s+\d{4})?)?\s+with\s+(?:a\s+)?(?:total\s+)?(?:budget of|worth)\s*(?:about\s)?"
)
PERIOD_OPEN = re.compile(r"[ \t]*[(（][ \t]*")
CLOSE_BRACKET = re.compile(r"[ \t]*[)）]")
APPROX_BEFORE = re.compile(r"(?:約|about|around|nearly|some)\s*$")
N_YEAR = re.compile(r"\b(?P<n>\d+|one|two|three|four|five|six|seven|eight|nine|ten)-year\b", re.I)
NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
BUDGET_AFTER_TITLE = re.compile(r"[”\"」]\s*[(（]\s*$")
TITLE_PHASE = re.compile(r"[-–\s]\s*(?:Phase|フェーズ)\s*(?P<n>[IVX]+|\d+)\s*$", re.I)
ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10}
# A lead that introduces a list of projects, and the items after it.
LIST_LEAD = re.compile(
    r"\b(?:[Ff]ollowing|[Oo]ngoing|[Tt]hese) (?:[A-Z]{3,6} )?(?:projects|programmes|programs)\b[^\n]{0,300}?(?::|\.(?=[ \t]*\n))"
    r"|(?:以下の|次の)[^。:：\n]{0,20}(?:プロジェクト|事業|プログラム)[^。:：\n]{0,40}[:：]"
    r"|(?:プロジェクト|事業|プログラム)は以下の通り[:：]"
    # A heading line ending with a colon that names projects: 'Approved projects:', 'JAIF Projects
    # completed in 2021:', '採択プロジェクト一覧：'.
    r"|(?m:^)[ \t]*(?:[A-Z][a-z]+[ \t]+)?(?:[A-Z]{2,6}[ \t]+)?(?:[Pp]rojects|[Pp]rogrammes|[Pp]rograms)"
    r"(?:[ \t]+(?:approved|funded|implemented|supported|completed|selected)\b[^\n:]{0,60})?:[ \t]*(?=\n|\Z)"
    r"|(?m:^)[ \t]*[^\n:：。、]{0,12}(?:プロジェクト|案件)(?:一覧|リスト)?[:：][ \t]*(?=\n|\Z)"
)
LIST_WORDS = re.compile(r"(?i:projects|programmes|programs)|以下の|次の|プロジェクト|案件")
LIST_LEAD_BEFORE = 30  # characters a lead may start before its word
WORK_PLAN_NAMED = re.compile(r"(?:Work Plans?|作業計画)\s*(?P<wp>IV|III|II|I)(?![A-Za-z])")
NUMBERED_ITEM = re.compile(r"^[ \t]*(?:\d{1,2}[.)]|[(（]\d{1,2}[)）])[ \t]+(?P<item>[^\n]{4,200})$", re.M)
# The fund a list's lead names: one of the field's funds, else an acronym in brackets after 'Fund'/'基金'.
FUND_NAMED = re.compile(r"(?<![A-Za-z])(?P<bare>JAIF|JAGEF|JICA|JSF|JFPR)(?![A-Za-z])")
FUND_ACRONYM = re.compile(r"(?:Fund|基金)\s*[(（](?P<acr>[A-Z]{3,6})[)）]")
JAPAN = re.compile(r"日本|我が国|\bJapan\b")
# What one statement of a programme may add to another's: who it belongs to and who pays (not its dates
# or counts, which are each statement's own).
MERGED_FIELDS = ("programme", "funder", "iai_work_plan")


@dataclass
class Candidate:
    """A project as one statement gives it."""

    title: str
    start: int
    end: int
    sentence: bool
    fields: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    project_id: str | None = None

    @property
    def key(self) -> str:
        return name_key(self.title)


def project_id_for(title: str) -> str:
    """A stable id: the title's ASCII words, with a hash of the title when it has other characters."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold_text(title).lower()).strip("-")
    if re.search(r"[^\x00-\x7f]", title):
        slug = (slug[:40] + "-" if slug else "") + hashlib.sha1(title.encode()).hexdigest()[:8]
    return slug


def name_key(name: str) -> str:
    """A programme's name without quotes, spaces, case and a generic ending: its names on a page compare."""
    s = re.sub(r"[\s「」『』“”\"”“]", "", fold_text(name)).lower()
    return GENERIC_END.sub("", s) or s


def _quoted_name(m: re.Match) -> tuple[int, int]:
    for g in ("q1", "q2", "q3", "q4"):
        if m[g]:
            return m.start(g), m.end(g)
    raise ValueError("no quoted name")


def programme_mentions(src: Source) -> list[tuple[int, int, str]]:
    """(start, end, name) of every programme named on the page, in order: a quoted name followed or
    preceded by a programme word, an unquoted name ending in one, an acronym with a year (JENESYS2018)."""
    text = src.folded
    out = []
    for m in QUOTED.finditer(text):
        a, b = _quoted_name(m)
        before_start = max(0, m.start() - 12)
        if WORD_AFTER_QUOTE.match(text, m.end()) or WORD_BEFORE_QUOTE.search(text, before_start, m.start()):
            out.append((a, b, src.text[a:b]))
    quote_ends = {m.end() for m in QUOTED.finditer(text)}
    for m in PROGRAMME_WORDS.finditer(text):
        window = text[max(0, m.start() - NAME_CHARS) : m.start()]
        run = NAME_RUN.match(window[::-1])  # the name's characters, read backwards from the word
        start = m.start() - (run.end() if run else 0)
        apposition = APPOSITION.match(text, m.end())  # 'プログラム、「…」': the quoted name is the name
        if m.start() - start >= 2 and start not in quote_ends and not apposition:
            out.append((start, m.end(), src.text[start : m.end()]))
    for m in EN_PROGRAMME_WORDS.finditer(text):
        if not text[m.start() - 1 : m.start()].isspace():
            continue
        if (en_start := _en_name_start(text, m.start("word"))) is not None:
            out.append((en_start, m.end(), src.text[en_start : m.end()]))
    for m in ACRONYM_NAME.finditer(text):
        if not (m.start() and text[m.start() - 1].isascii() and text[m.start() - 1].isalnum()):
            out.append((m.start(), m.end("acr"), m["acr"]))
    return sorted(out)


def _is_sentence(src: Source, a: int, b: int) -> bool:
    return src.folded[a:b].rstrip().endswith(("。", ".")) or src.folded[b : b + 1] in ("。", ".")


def _en_name_start(text: str, word_start: int) -> int | None:
    """Where the capitalised name ending at a programme word starts ('the Example Logistics Project'):
    back over capitalised words and the small words between them; None when no capitalised word leads it."""
    pos, start = word_start, None
    words = 0
    while words < EN_NAME_WORDS:
        m = EN_WORD_BEFORE.search(text, max(0, pos - 40), pos)
        if m is None:
            break
        word = m["w"]
        if word[0].isupper():
            if word in ("The", "This", "These", "A", "An"):
                break
            start = m.start("w")
        elif word not in EN_NAME_SMALL_WORDS:
            break
        pos, words = m.start("w"), words + 1
    return start


def _page_programme(src: Source, mentions: list[tuple[int, int, str]]) -> str | None:
    """The programme the page's head names ('対日理解促進交流プログラム JENESYS2018 招へいプログラム第26陣'):
    its first programme name, with the acronym right after it."""
    head = _head_end(src)
    names = [(a, b, n) for a, b, n in mentions if b <= head]
    if not names:
        return None
    a, b, name = names[0]
    acr = ACRONYM_YEAR.match(src.folded, b + 1) if src.folded[b : b + 1].isspace() else None  # 'name ACR2018'
    return name if acr is None or acr["acr"] in name else f"{name} {acr['acr']}"


def _head_end(src: Source) -> int:
    for m in re.finditer(r"。|\.(?=\s)", src.folded):
        a, _ = src.statement(m.start(), m.start())
        if m.start() - a >= 25:
            return a
    return 0


def _referent(text: str, mentions: list[tuple[int, int, str]], pos: int, anaphor: str = "") -> str | None:
    """The programme named last before pos; for 'the initiative', 'この事業', the last one of that kind (in
    its name or the words around it) when one is named shortly before."""
    before = [(a, b, n) for a, b, n in mentions if b <= pos]
    if not before:
        return None
    kind = next((k for k in ANAPHOR_KINDS if k in anaphor.lower()), None)
    if kind:
        same = [n for a, b, n in before if kind in text[max(0, a - 8) : b + 6].lower() and pos - a <= REFERENT_REACH]
        if same:
            return same[-1]
    return before[-1][2]


def _persons(src: Source, a: int, b: int) -> re.Match | None:
    """The count of people of the statement [a, b): its total, else its first count."""
    text = src.folded
    counts = [c for c in src.scan(PERSONS, a=a, b=b, followed_by=PERSONS_NEXT)]
    counts = [c for c in counts if not BENEFIT.search(text, c.end(), min(b, c.end() + 6))]
    if not counts:
        return None
    return next((c for c in counts if TOTAL_BEFORE.search(text, max(a, c.start() - 12), c.start())), counts[0])


def _count_value(c: re.Match) -> int:
    return int(parse_japanese_amount(c["n"]).value)


def _dates_fields(dates: list[DateExpr], text: str) -> dict:
    """start and end dates from the statement's date: a range, a start ('9月より'), an end ('…年までに')."""
    for d in dates:
        after = text[d.end : d.end + 4]
        if d.end_date:
            return {"start_date": d.date, "end_date": d.end_date}
        if after.startswith(("まで", "until", " until")):
            return {"end_date": d.date}
        return {"start_date": d.date}
    return {}


def participation_candidates(src: Source, mentions: list[tuple[int, int, str]], programme: str | None) -> list:
    """Programmes with the people a statement says they send, invite or train. The quote runs from the
    name (or the word standing for it) to the count, with the dates used: no other number of the
    statement is in it."""
    text = src.folded
    out: list[Candidate] = []
    done: set[tuple[int, int]] = set()
    mentions = list(mentions)  # with the names the statements below give their people to
    for count in src.scan(PERSONS, followed_by=PERSONS_NEXT):
        a, b = statement_span(src, count.start(), count.end())
        if (a, b) in done:
            continue
        done.add((a, b))
        if not PARTICIPATE.search(text, a, b):
            continue
        persons = _persons(src, a, b)
        if persons is None:
            continue
        named = _named_in(src, mentions, a, b, persons.start())
        if named is None:
            continue
        name, (x, y), batch, quoted = named
        if quoted:
            mentions = sorted([*mentions, (x, y, name)])
        total = TOTAL_BEFORE.search(text, max(a, persons.start() - 12), persons.start())
        spans = [(x, y), (total.start() if total else persons.start(), persons.end())]
        fields: dict = {"participants": _count_value(persons)}
        dates = src.dates_in(a, b)[:1]
        fields.update(_dates_fields(dates, text))
        core = (min(p for p, _ in spans), max(q for _, q in spans))
        spans += [(d.start, d.end) for d in dates if core[0] - DATE_REACH <= d.start and d.end <= core[0]]
        parent = None
        title = name
        if batch is not None:
            title, parent = f"{name} {batch[1]}", name
            fields["phase"] = batch[0]
            spans.append(batch[2])
        if parent is None and programme and name_key(programme) != name_key(name):
            parent = programme
        fields["programme"] = parent
        start, end = min(p for p, _ in spans), max(q for _, q in spans)
        if text[end : end + 1] in '”"」“':
            end += 1
        notes = [
            f"year and dates from its statement: {src.text[d.start : d.end]}"
            for d in dates
            if not start <= d.start < end and (fields.get("start_date") or fields.get("end_date"))
        ]
        notes += [d.note for d in dates if d.note]
        out.append(Candidate(title, start, end, _is_sentence(src, a, b), fields, notes))
    return out


def _named_in(
    src: Source, mentions: list, a: int, b: int, pos: int
) -> tuple[str, tuple[int, int], tuple | None, bool] | None:
    """(name, where it or the word standing for it is, batch, whether the statement names it) of the
    statement [a, b): the programme an anaphor in it stands for, else a quoted name or a programme
    named in it, nearest to pos; a batch ('第1陣') after it: (number, words, span)."""
    text = src.folded
    batch_m = BATCH.search(text, a, b)
    batch = None
    if batch_m:
        n = int(batch_m["n"] or batch_m["en"])
        batch = (n, src.text[batch_m.start() : batch_m.end()], batch_m.span())
    if anaphor := ANAPHOR.search(text, a, b):
        referent = _referent(text, mentions, anaphor.start(), anaphor.group())
        if referent is not None and (batch_m is None or batch_m.start() >= anaphor.start()):
            return referent, anaphor.span(), batch, False
    names = [(x, y, n) for x, y, n in mentions if a <= x and y <= b]
    for m in QUOTED.finditer(text, a, b):
        x, y = _quoted_name(m)
        if not any(x == p for p, _, _ in names):
            names.append((x, y, src.text[x:y]))
    if not names:
        return None
    x, y, n = min(names, key=lambda t: min(abs(t[0] - pos), abs(t[1] - pos)))
    if batch_m is not None and batch_m.start() < y:
        batch = None  # a batch named before the programme is not its batch
    if text[x - 1 : x] in '“"「”':
        x -= 1
    return n, (x, y), batch, True


def length_candidates(src: Source, mentions: list[tuple[int, int, str]]) -> list[Candidate]:
    """A programme with its length: 'このプログラムは、…今後10年間にわたり…実施され'."""
    text = src.folded
    out = []
    for m in src.scan(PLAN_LENGTH, followed_by=PLAN_LENGTH_NEXT):
        if m["en"] and not EN_LENGTH_BEFORE.search(text, max(0, m.start() - 20), m.start()):
            continue
        a, b = statement_span(src, m.start(), m.end())
        anaphor = ANAPHOR.search(text, a, min(b, a + 20))
        if (
            anaphor is None
            or not CARRIED_OUT.search(text, a, b)
            or src.money
            and any(a <= x.start() < b for x in src.money)
        ):
            continue
        name = _referent(text, mentions, anaphor.start(), anaphor.group())
        if name is None:
            continue
        group = "len" if m["len"] else "en"
        fields: dict = {
            "duration_text": src.text[m.start(group) : m.end(group)],
            "duration_months": duration_months(m[group].replace(" ", "")),
        }
        out.append(Candidate(name, anaphor.start(), m.end(group), _is_sentence(src, a, b), fields))
    return out


def period_candidates(src: Source, mentions: list[tuple[int, int, str]]) -> list[Candidate]:
    """A named programme with its period in brackets right after its name: '「…プロジェクト」（2019年～2022年）',
    'the Example Connectivity Project (2018-2021)'. The bracket holds the period alone."""
    text = src.folded
    out = []
    for x, y, name in mentions:
        close = y + 1 if text[y : y + 1] in '”"」' else y
        opener = PERIOD_OPEN.match(text, close)
        if opener is None:
            continue
        dates = src.dates_in(opener.end(), min(len(text), opener.end() + 40))
        if not dates or dates[0].start != opener.end() or not dates[0].end_date:
            continue
        shut = CLOSE_BRACKET.match(text, dates[0].end)
        if shut is None:
            continue
        a, b = statement_span(src, x, shut.end())
        start = x - 1 if text[x - 1 : x] in '“"「' else x
        fields = {"start_date": dates[0].date, "end_date": dates[0].end_date}
        out.append(Candidate(name, start, shut.end(), _is_sentence(src, a, b), fields))
    return out


def budget_candidates(src: Source) -> list[Candidate]:
    """A project named in quotes with its budget in brackets right after: '“…-Phase I” (USD 1.6 million)'."""
    text = src.folded
    out = []
    for m in src.money:
        if not BUDGET_AFTER_TITLE.search(text, max(0, m.start() - 6), m.start()):
            continue
        close = max(text.rfind(q, max(0, m.start() - 6), m.start()) for q in '”"」')
        opener = {"”": "“", '"': '"', "」": "「"}[text[close]]
        open_at = text.rfind(opener, max(0, close - 300), close)
        if open_at == -1:
            continue
        title = src.text[open_at + 1 : close].strip()
        end = text.find(")", m.end(), m.end() + 3)
        end = m.end() + 1 if end == -1 else end + 1
        value, currency, _ = money_value(m)
        fields: dict = {"budget_amount": value, "budget_currency": currency}
        if p := TITLE_PHASE.search(title):
            fields["phase"] = int(p["n"]) if p["n"].isdigit() else ROMAN.get(p["n"].upper())
        a, b = statement_span(src, m.start(), m.end())
        if JAPAN.search(text, a, b):
            fields["funder"] = "JPN"
        out.append(Candidate(title, open_at, end, True, fields))
    return out


def worth_candidates(src: Source, mentions: list[tuple[int, int, str]]) -> list[Candidate]:
    """A programme named with its budget ('the Example Initiative, a three-year programme worth US$12
    million', '「…」（総事業費約5億円）'): the name nearest before the amount in its statement."""
    text = src.folded
    out = []
    for m in src.money:
        if not BUDGET_WORD_BEFORE.search(text, max(0, m.start() - 25), m.start()):
            continue
        a, b = statement_span(src, m.start(), m.end())
        names = [(x, y, n) for x, y, n in mentions if a <= x and y <= m.start()]
        anaphor = ANAPHOR.search(text, a, m.start())
        if anaphor and (referent := _referent(text, mentions, anaphor.start(), anaphor.group())):
            names.append((anaphor.start(), anaphor.end(), referent))
            names.sort()
        if not names:
            continue
        x, y, name = names[-1]
        between = text[y : m.start()]
        if len(between) > BUDGET_REACH or not (
            BUDGET_OF_NAME.fullmatch(between)
            or re.search(PROGRAMME_WORD + "|" + PROGRAMME_WORD_EN, between, re.I)
            or (PASSIVE_THEN_BUDGET.fullmatch(between) and not re.search(r"[,;、。]", between))
        ):
            continue  # the amount is not the named programme's ('relief items worth US$1.2 million')
        value, currency, _ = money_value(m)
        fields: dict = {"budget_amount": value, "budget_currency": currency}
        fields["approximate"] = bool(APPROX_BEFORE.search(text, max(0, m.start() - 12), m.start()))
        if length := N_YEAR.search(text, y, m.start()):
            n = length["n"].lower()
            years = int(n) if n.isdigit() else NUMBER_WORDS.get(n)
            if years:
                fields["duration_text"] = src.text[length.start() : length.end()]
                fields["duration_months"] = years * 12
        if fund := FUND_NAMED.search(text, m.end(), b):
            fields["funder"] = fund["bare"]
        out.append(Candidate(name, x, m.end(), _is_sentence(src, a, b), fields))
    return out


def reference_candidates(src: Source) -> list[Candidate]:
    """A programme a reference heading names ('(参考1)…事業'), with the programme it belongs to."""
    text = src.folded
    out = []
    starts = sorted({text.rfind("\n", 0, r.start()) + 1 for r in REFERENCE_WORD.finditer(text)})
    for m in (h for pos in starts if (h := REFERENCE_HEADING.match(text, pos))):
        name = m["name"]
        named = "(?:" + PROGRAMME_WORD + "|" + PROGRAMME_WORD_EN + r")\s*(?:[(（][A-Z0-9.\-]{2,12}[)）])?\s*$"
        if not (re.search(named, name) or QUOTED.search(name)):
            continue
        nxt = m.end() + 1
        while nxt < len(text) and text[nxt].isspace():
            nxt += 1
        a, b = statement_span(src, nxt, nxt + 1) if nxt < len(text) else (m.end(), m.end())
        fields: dict = {}
        if part := PART_OF.search(text, a, b):
            fields["programme"] = (part["q"] or part["n"] or part["en"] or "").strip()
        end = b if b - m.start() <= 400 else m.end()
        title = src.text[m.start("name") : m.end("name")]
        out.append(Candidate(title, m.start(), end, True, fields))
    return out


def list_candidates(src: Source) -> list[Candidate]:
    """The titles of a list of projects after a lead that says so, funded by the fund the lead names."""
    text = src.folded
    out = []
    leads: list[re.Match] = []
    for w in LIST_WORDS.finditer(text):
        if leads and w.start() < leads[-1].end():
            continue
        if lead := LIST_LEAD.search(text, max(0, w.start() - LIST_LEAD_BEFORE), min(len(text), w.end() + 320)):
            if lead.start() <= w.start() < lead.end() and (not leads or lead.start() >= leads[-1].end()):
                leads.append(lead)
    for lead in leads:
        a, _ = src.statement(lead.start(), lead.end())
        para = max(text.rfind("\n\n" if not src.is_paragraph_text else "\n", 0, a), 0)
        fund = next(
            (f for f in (FUND_NAMED.search(text, a, lead.end()), FUND_ACRONYM.search(text, para, lead.end())) if f),
            FUND_NAMED.search(text, para, lead.end()),
        )
        plans = {m["wp"] for m in WORK_PLAN_NAMED.finditer(text, para, lead.end())}
        if len(plans) > 1:
            plans = {m["wp"] for m in WORK_PLAN_NAMED.finditer(text, a, lead.end())}
        fields: dict = {}
        if fund:
            fields["funder"] = fund.groupdict().get("acr") or fund.groupdict().get("bare")
        if len(plans) == 1:
            fields["iai_work_plan"] = plans.pop()
        lead_words = describe(src, a, lead.end())
        for x, y in _list_items(src, lead.end()):
            title = src.text[x:y].strip()
            item_fields = {**fields, **_dates_fields(src.dates_in(x, y), text)}
            out.append(Candidate(title, x, y, True, item_fields, [f"listed under: {lead_words[:120]}"]))
    return out


def _list_items(src: Source, pos: int) -> list[tuple[int, int]]:
    """The items after a list's lead: numbered lines right after it, else the rest of its statement cut
    into quoted titles, or titles separated by semicolons or (outside brackets) Japanese commas."""
    text = src.folded
    first = NUMBERED_ITEM.search(text, pos, min(len(text), pos + 3000))
    if first and not text[pos : first.start()].strip():
        items = [
            (m.start("item"), m.end("item")) for m in NUMBERED_ITEM.finditer(text, first.start(), first.start() + 3000)
        ]
        return _consecutive(text, items)
    _, stop = src.statement(pos, pos + 1)
    if stop - pos > 1500:
        return []
    quoted = [_quoted_name(m) for m in QUOTED.finditer(text, pos, stop)]
    if quoted:
        return quoted
    body = text[pos:stop]
    if ";" in body:
        parts = re.split(r";", body)
    elif "、" in body:
        parts = _split_outside_brackets(body, "、")
    else:
        return []
    out, offset = [], pos
    for part in parts:
        start = text.find(part, offset, stop + 1)
        if start == -1:
            continue
        offset = start + len(part)
        x, y = src.trim(start, start + len(part))
        if text.startswith("and ", x):
            x += 4
        while y > x and text[y - 1] in ".。":
            y -= 1
        if y - x >= 4:
            out.append((x, y))
    return out


def _consecutive(text: str, items: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The numbered items that follow one another from the first, numbered 1, 2, 3… in turn (a blank line
    at most between two): a later '2.' starts another list or a section."""
    out: list[tuple[int, int]] = []
    for x, y in items:
        number = re.search(r"\d+", text[text.rfind("\n", 0, x) + 1 : x])
        if number is None or int(number.group()) != len(out) + 1:
            break
        if out and text.count("\n", out[-1][1], x) > 2:
            break
        while y > x and text[y - 1] in ".。 ":
            y -= 1
        out.append((x, y))
    return out


def _split_outside_brackets(body: str, sep: str) -> list[str]:
    out, depth, start = [], 0, 0
    for i, c in enumerate(body):
        if c in "（(「":
            depth += 1
        elif c in "）)」" and depth:
            depth -= 1
        elif c == sep and depth == 0:
            out.append(body[start:i])
            start = i + 1
    out.append(body[start:])
    return out


def merged(src: Source, candidates: list[Candidate]) -> list[Candidate]:
    """One candidate per programme: the fullest statement (a sentence first, then the most fields, then the
    first), with what the page's other sentences about it add (noted with their words); a programme another
    candidate belongs to is dropped."""
    groups: dict[str, list[Candidate]] = {}
    for c in candidates:
        groups.setdefault(c.key, []).append(c)
    parents = {name_key(c.fields["programme"]) for c in candidates if c.fields.get("programme")}
    out = []
    for key, group in groups.items():
        if key in parents and not any(c.fields.get("participants") or c.fields.get("budget_amount") for c in group):
            continue
        best = max(group, key=lambda c: (c.sentence, sum(bool(v) for v in c.fields.values()), -c.start))
        for other in group:
            added = [
                k
                for k, v in other.fields.items()
                if v is not None and best.fields.get(k) is None and (k in MERGED_FIELDS or other.sentence)
            ]
            for k in added:
                best.fields[k] = other.fields[k]
            if added:
                said = describe(src, other.start, other.end)[:160]
                best.notes.append(f"{', '.join(added)} (with its year, where a date) from another statement: {said}")
        out.append(best)
    return sorted(out, key=lambda c: c.start)
