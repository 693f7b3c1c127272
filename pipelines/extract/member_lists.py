"""Mentions the ``memberships`` family reads: lists of countries, and the organisations they belong to.

- ``items_in``: the countries (and ASEAN, which is a party to agreements) named in a stretch of text as
  items, each with its formal prefix (``the Republic of``, ``the Kingdom``, ``the Socialist Republic
  of``), the date stated right after it (``Brunei (June 8, 1990)``, ``Vietnam on 28 July 1995``,
  ``ベトナム（1995年）``) or an aside (``Myanmar (formerly Burma)``). A name that is part of another name
  or a group named as a whole is not an item: ``ASEAN-Japan Centre``, ``Japan Foundation``, ``日ASEAN``,
  ``ASEAN加盟国``, ``ASEAN countries``, ``ＡＳＥＡＮ１０カ国``, ``Japan's``.
- ``runs_in``: items joined by list separators (``,``, ``and``, ``、``, ``・``, ``及び``, ``|``) into one
  list; over a line break only a list wrapped after its separator or a line that is one more item
  (``・カンボジア``), never a line that merely starts with a country (``日本は、…``).
- organisation names: an acronym (``AJCEP``, ``ASEAN+3``), an English name ending with the head noun of
  an organisation or agreement (``ASEAN-Japan Centre``, ``Japan-Philippines EPA``), a Japanese one
  (``日本アセアンセンター``; ``東南アジア友好協力条約（TAC）``: the acronym in brackets is the name used),
  found before or after a position; ``the Centre``, ``the Agreement``, ``同センター``, ``この協定``
  resolved to the one named before (``resolve_anaphora``).
- ``Topics``: the organisation a passage is about when its membership statement names none: the subject
  of a statement before it (``ASEAN was formed …``, ``ASEANは、…``), the slide's ``ASEANとは何か``, or the
  page's title (``ASEANの概要``, ``Outline of ASEAN``).
The lexicons here are general vocabulary: formal names of states, head nouns of organisations, and the
field's organisations that a count alone may introduce the members of (``KNOWN_ORGS``).
Does not belong here: which statement makes whom a member of what (``memberships``).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from itertools import islice

from pipelines.extract.base import line_spans
from pipelines.extract.dates import DateExpr
from pipelines.extract.source import Source
from pipelines.normalize import country_code, country_code_wrapped, country_name_pattern

# --- Items and lists ----------------------------------------------------------------------------------

# Words of a state's formal name before its short name: 'the Republic of the Union of Myanmar'.
FORMAL_WORDS = (
    r"Socialist|Democratic|Federal|People['’]s|Islamic|Republic|Kingdom|State|Sultanate|Federation|Commonwealth"
    r"|Union|Principality|Government|Governments|government|governments"
)
FORMAL_LAST_WORDS = [[w] for w in ("the", "The", "of", "Kingdom", "Republic", "Union", "Sultanate", "Federation")]
FORMAL_PREFIX = re.compile(r"(?:(?:[Tt]he\s+)?(?:(?:" + FORMAL_WORDS + r")(?:\s+of)?(?:\s+the)?\s+)+|[Tt]he\s+)\Z")
# What makes a name part of a longer name or a group, not an item of a list.
GLUED_AFTER = re.compile(
    r"-[A-Za-z]|['’]s\b|[ \t]+[A-Z][a-z]|[0-9+]|[ \t]*(?:[1-9][0-9]?[ \t]*)?(?:か国|カ国|ヶ国|ヵ国)"
    r"|[ \t]+(?:countries|country|member|members|nations|states|region|side|leaders|economies|community|citizens)\b"
    r"|加盟(?:国|各国|[0-9])"
    r"|[一-龥々](?<![及並等加])"
)
# The date stated right after an item: '(May 3, 1996)', ' on 14 March 2001', '（1995年）', ' in 1999'.
DATE_AFTER = re.compile(r"\s*[(（]\s*|\s+(?:on|in)\s+")
# Between two items of a list.
ITEM_GAP = re.compile(
    r"(?:\s*(?:[,、，・;；/／|｜]|and\b|or\b|as well as\b|及び|および|並びに|ならびに|と|や)\s*)+"
    r"(?:(?:finally|lastly|also|then|later|most recently),?\s+)?"
    r"|\s*\n[\s" + "•➢◆⚫■◼●✓・※▪◦\\-*" + r"]*"
)
CLOSING = re.compile(r"\s*[)）]")
ASIDE = re.compile(r"[ \t]*[(（][^()（）\n]{1,30}[)）]")  # 'Myanmar (formerly Burma)': part of the item
SEPARATOR = re.compile(r"[,、，・;；/／|｜]|and\b|or\b|及び|および|並びに|と|や")
ITEM_ENDS = re.compile(r"[ \t\u3000]*(?:$|[,、，・;；/／|｜)）]|and\b|or\b|及び|および|並びに|と|や)", re.M)


def _is_kanji(c: str) -> bool:
    return "一" <= c <= "龥" or c == "々"


@dataclass(frozen=True)
class Item:
    """A country (or ASEAN) named as an item of a list, with the date stated right after it."""

    start: int  # the name with its formal prefix
    end: int  # the end of the name
    code: str
    date: DateExpr | None = None
    stop: int = 0  # the end of the item with its date ('(May 3, 1996)')


def _date_after(src: Source, end: int) -> tuple[DateExpr | None, int]:
    m = DATE_AFTER.match(src.folded, end)
    if m is None:
        return None, end
    for d in src.dates_in(m.end(), m.end() + 40):
        if d.start != m.end() or d.date is None or d.end_date is not None:
            break
        stop = d.end
        if "(" in m.group() or "（" in m.group():
            close = CLOSING.match(src.folded, stop)
            if close is None:
                break
            stop = close.end()
        return d, stop
    return None, end


def items_in(src: Source, a: int, b: int) -> list[Item]:
    """The countries named as items in folded[a:b], in order."""
    text, out = src.folded, list[Item]()
    for m in country_name_pattern().finditer(text, a, b):
        code = country_code_wrapped(m.group())
        if not code or not (len(code) == 3 or code == "ASEAN"):
            continue
        s, e = m.span()
        if s and (_is_kanji(text[s - 1]) or text[s - 1] == "-" and text[s - 2 : s - 1].isalnum()):
            continue  # '日ASEAN', 'ASEAN-Japan'
        if GLUED_AFTER.match(text, e):
            continue
        if (
            s > 0
            and text[s - 1] in " \t\n"
            and text[max(0, s - 14) : s].rstrip().rsplit(None, 1)[-1:] in FORMAL_LAST_WORDS
            and (p := FORMAL_PREFIX.search(text, max(0, s - 60), s))
        ):
            s = p.start()
        if out and s < out[-1].stop:
            continue  # inside the aside of the item before: 'Myanmar (formerly Burma)'
        date, stop = _date_after(src, e)
        if date is None and (aside := ASIDE.match(text, e)):
            stop = aside.end()
        out.append(Item(s, e, code, date, stop))
    return out


@dataclass(frozen=True)
class Run:
    """Items joined by list separators: one list."""

    items: tuple[Item, ...]

    @property
    def start(self) -> int:
        return self.items[0].start

    @property
    def end(self) -> int:
        return self.items[-1].stop


def runs_in(src: Source, a: int, b: int) -> list[Run]:
    """The lists of countries in folded[a:b] (a single name is a list of one)."""
    runs: list[list[Item]] = []
    text = src.folded
    for item in items_in(src, a, b):
        gap = ITEM_GAP.match(text, runs[-1][-1].stop) if runs else None
        # Over a line break: a list wrapped after its separator ('タイ・\nシンガポール'), or a line that is an item
        # of the list ('・カンボジア'), not a line that starts with a country ('日本は、…').
        if (
            gap
            and gap.end() >= item.start
            and (
                "\n" not in gap.group()
                or SEPARATOR.search(gap.group().split("\n")[0])
                or ITEM_ENDS.match(text, item.stop)
            )
        ):
            runs[-1].append(item)
        else:
            runs.append([item])
    return [Run(tuple(r)) for r in runs]


def shared_date(run: Run, i: int) -> DateExpr | None:
    """The date of item i: its own, else that of the next item stating one ('Laos and Myanmar on …')."""
    for item in run.items[i:]:
        if item.date is not None:
            return item.date
    return None


# --- Organisations -------------------------------------------------------------------------------------

ACRONYM = r"[A-Z][A-Z0-9]*(?:[+\-][A-Z0-9]+)*[A-Z0-9+](?![a-z])"
NAME_WORD = r"[A-Z][A-Za-z0-9'’&+\-]*"
ORG_EN = NAME_WORD + r"(?:(?:[ \t]+(?:of|on|for|and|&)(?:[ \t]+the)?)?[ \t]+" + NAME_WORD + r")*"
HEAD_NOUNS = (
    "Centre|Center|Association|Agreement|Partnership|Forum|Community|Union|Organization|Organisation|Treaty"
    "|Council|Institute|Bank|Fund|Area|Network|Secretariat|Commission|Committee|Initiative|Charter|Convention"
    "|Nations|Cooperation|Group|Alliance|Framework|Arrangement"
)
EN_HEAD = re.compile(r"(?:" + HEAD_NOUNS + r")\Z")
JA_HEADS = "連合|機構|センター|協定|条約|共同体|フォーラム|基金|連携|憲章|銀行|研究所|委員会|協力会議|会議"
JA_NAME = r"[一-龥々ァ-ヶーA-Za-z・]+?(?:" + JA_HEADS + r")"
# 'the Treaty of Amity and Cooperation in Southeast Asia (TAC)': the acronym may follow a place.
ORG_AFTER_EN = re.compile(
    r"(?:the\s+)?(?P<name>"
    + ORG_EN
    + r")(?:(?:[ \t]+in(?:[ \t]+the)?(?:[ \t]+"
    + NAME_WORD
    + r")+)?\s*\((?P<acr>"
    + ACRONYM
    + r")\))?"
)
ORG_BEFORE_EN = re.compile(r"(?<![A-Za-z0-9'’&+\-])(?P<name>" + ORG_EN + r")(?:\s*\((?P<acr>" + ACRONYM + r")\))?\Z")
ORG_BEFORE_JA = re.compile(
    r"(?:(?P<name>"
    + JA_NAME
    + "|"
    + ACRONYM
    + r")[ \t]*(?:[(（](?P<acr>"
    + ACRONYM
    + r")[)）]|[(（][^()（）\n]{1,30}[)）])?)\Z"
)
ANAPHORA_EN = re.compile(r"the\s+(?P<head>" + HEAD_NOUNS + r")\b(?![ \t]+(?:[A-Z]|of\b|on\b|for\b|and\b|&)|-)")
ANAPHORA_JA = re.compile(r"(?:同|当|本|この)(?P<head>" + JA_HEADS + r")")
# Instruments an organisation is established by: the parties to them are its members.
INSTRUMENTS = re.compile(
    r"\b(Agreement|Treaty|Charter|Convention|Declaration|Statute|Protocol)\b|(協定|条約|憲章|宣言)"
)
INSTRUMENT_OF = re.compile(
    r"\A.*\b(?:Agreement|Treaty|Charter|Convention|Declaration|Statute|Protocol)\s+(?:on|of|for|[Ee]stablishing)"
    r"(?:\s+the)?\s+"
)
# Groupings of the field's organisations named with a count or 'countries' ('ASEAN10か国', 'the ten ASEAN
# countries'): only these make a list that follows them their members (CLMV and the like are not bodies).
KNOWN_ORGS = frozenset(
    "ASEAN APEC EU G7 G20 RCEP CPTPP TPP EAS ARF ERIA OECD UN WTO SAARC BIMSTEC GCC AU NATO OPEC ADMM SCO".split()
)


def is_org(name: str) -> bool:
    """An organisation's name: an acronym or a name ending with an organisation's head noun, not a country."""
    name = name.strip()
    if EN_HEAD.fullmatch(name):
        return False  # 'Centre' alone stands for one named before (resolve_anaphora)
    code = country_code(name)
    if code and code != "ASEAN":
        return False
    if code == "ASEAN" or re.fullmatch(ACRONYM, name):
        return len(name) >= 2
    last = name.rsplit(" ", 1)[-1]
    if " " in name and re.fullmatch(ACRONYM, last) and not country_code(last):
        return True  # 'Japan-Philippines EPA'

    return bool(EN_HEAD.search(name) or re.search(r"(?:" + JA_HEADS + r")\Z", name))


def clean_org(name: str) -> str:
    """The name without a leading article or a generic title ('The Centre', '国際機関日本アセアンセンター')."""
    name = re.sub(r"^(?:The|the)\s+|^(?:国際機関|独立行政法人|公益財団法人|一般財団法人)", "", name.strip())
    return re.sub(r"[ \t]+", " ", name)


def _trim_name(name: str) -> str | None:
    """The longest end of a capitalised run of words that is an organisation's name ('Joint ASEAN' -> ASEAN)."""
    name = clean_org(name)
    while name and not is_org(name) and " " in name:
        name = name.split(" ", 1)[1]
        name = re.sub(r"^(?:of|on|for|and|&)\s+(?:the\s+)?|\s+(?:of|on|for|and|&)(?:\s+the)?$", "", name)
    return name if name and is_org(name) else None


def org_after(src: Source, pos: int) -> tuple[int, str] | None:
    """(end, name) of the organisation named at pos ('the ASEAN-Japan Centre in Tokyo': ASEAN-Japan Centre;
    '東南アジア友好協力条約（TAC）': TAC)."""
    m = ORG_AFTER_EN.match(src.folded, pos)
    if m is None:
        return None
    if m["acr"]:
        return m.end(), m["acr"]
    name = clean_org(m["name"])
    # The whole capitalised run or nothing: 'the ASEAN Summit' is not ASEAN.
    return (m.end("name"), name) if is_org(name) else None


def org_before(src: Source, pos: int, window: int = 120) -> tuple[int, str] | None:
    """(start, name) of the organisation named right before pos (spaces, "'s" and 'の' allowed between)."""
    text = src.folded
    end = pos
    while end > 0 and text[end - 1] in " \t":
        end -= 1
    if text.endswith(("'s", "’s"), 0, end):
        end -= 2
    elif text.endswith("の", 0, end):
        end -= 1
    a = max(0, end - window)
    for pattern in (ORG_BEFORE_JA, ORG_BEFORE_EN):
        if (m := pattern.search(text, a, end)) is None:
            continue
        if m["acr"]:
            return m.start(), m["acr"]
        name = _trim_name(m["name"])
        if name is not None:
            return text.rfind(name, m.start(), m.end()), name
    return None


def resolve_anaphora(src: Source, start: int, head: str, instruments: dict[str, str]) -> str | None:
    """'the Agreement' or 'the Centre' (同センター): the organisation established by that instrument, else
    the last organisation named before whose name ends with that head noun (Centre and Center alike)."""
    key = "Centre" if head == "Center" else head
    if key in instruments:
        return instruments[key]
    heads = ("Centre", "Center") if key == "Centre" else (head,)
    pattern = ORG_EN_RE if head.isascii() else JA_NAME_RE
    best = None
    for m in pattern.finditer(src.folded, max(0, start - 3000), start):
        name = INSTRUMENT_OF.sub("", clean_org(m.group()))  # 'Agreement on the Pacific Centre': the Centre
        if name not in heads and name.endswith(heads) and is_org(name) and not ANAPHORA_JA.fullmatch(name):
            best = name
    return best


ORG_EN_RE = re.compile(ORG_EN)
JA_NAME_RE = re.compile(r"[一-龥々ァ-ヶーA-Za-z・]+(?:" + JA_HEADS + r")")


# --- The organisation a passage is about ---------------------------------------------------------------

SUBJECT_EN = re.compile(
    r"(?:[0-9]+\.\s*)?(?:The\s+)?(?P<name>" + ORG_EN + r")(?:\s*\([^()]{1,60}\))?"
    r"(?:,[^,.\n]{1,80},)?\s+(?:was|is|has|had|were|are|consists|comprises|became)\b"
)
SUBJECT_JA = re.compile(
    r"(?:[0-9]+[.．]\s*)?(?P<name>" + JA_NAME + "|" + ACRONYM + r")"
    r"(?:\s*[(（][^()（）]{1,30}[)）])?\s*(?:は|とは)"
)


def subject_at(src: Source, a: int, b: int) -> str | None:
    """The organisation the statement at a..b is about when it opens with one ('ASEAN was …', 'ASEANは、')."""
    text = src.folded
    while a < b and text[a] in " \t\u3000":
        a += 1
    for pattern in (SUBJECT_EN, SUBJECT_JA):
        if (m := pattern.match(text, a, b)) and is_org(clean_org(m["name"])):
            return clean_org(m["name"])
    return None


STARTS = re.compile(r"\n|(?<=[.!?])[ \t]+|。")  # where a statement can open (besides the text's start)


class Topics:
    """The organisation each passage of a document is about: the last statement before a position (in its
    slide, at most `window` characters back) that opens with an organisation as its subject ('ASEAN was …',
    'ASEANは、…'), else the slide's heading ('ASEANとは何か') or the page's title ('ASEANの概要'). A slide's
    subjects are found once, when a passage of it is first asked about, trying the patterns only where a
    statement opens."""

    def __init__(self, src: Source, window: int = 2500):
        self.src, self.window = src, window
        self._subjects: dict[int, list[tuple[int, str]]] = {}

    def subjects(self, seg_a: int, seg_b: int) -> list[tuple[int, str]]:
        if seg_a not in self._subjects:
            text, found = self.src.folded, []
            for start in (seg_a, *(m.end() for m in STARTS.finditer(text, seg_a, seg_b))):
                if SUBJECT_HINT.search(text, start, min(seg_b, start + 80)) and (
                    name := subject_at(self.src, start, seg_b)
                ):
                    found.append((start, name))
            self._subjects[seg_a] = found
        return self._subjects[seg_a]

    def at(self, pos: int) -> tuple[int, str] | None:
        """(where, name) of the organisation the passage holding pos is about."""
        seg_a, seg_b = self.src.segment_of(pos)
        subjects = self.subjects(seg_a, seg_b)
        i = bisect.bisect_left(subjects, pos, key=lambda s: s[0])
        if i and subjects[i - 1][0] >= max(seg_a, pos - self.window):
            return subjects[i - 1]
        if heading := self.src.segment_organisation(pos) or title_org(self.src, seg_a) or title_org(self.src, 0):
            return seg_a, heading
        return None


# What a statement opening with its subject holds near its start (a cheap test before the patterns).
SUBJECT_HINT = re.compile(r"は| (?:was|is|has|had|were|are|consists|comprises|became) ")


TITLE_ORG = re.compile(
    r"(?<![A-Za-z0-9一-龥々ァ-ヶー])(?P<lead>"
    + ACRONYM
    + "|"
    + JA_NAME
    + r")[ \t]*(?:[(（][^()（）\n]{1,40}[)）])?[ \t]*"
    r"(?:の(?:概要|基礎|基本|歴史|経済|加盟国|紹介)|とは|について|[:：])"
    r"|(?:[:：]|\b(?:of|on|about))[ \t]+(?:the\s+)?(?P<tail>" + ACRONYM + r")[ \t]*$",
    re.M,
)


def title_org(src: Source, a: int, lines: int = 6) -> str | None:
    """The organisation a page or slide is titled with, on one of its first short lines ('ASEANの概要',
    'Country Profile: ASEAN', 'Outline of ASEAN', '2. ASEANの概要')."""
    text = src.folded
    spans = ((s, e) for s, e in line_spans(text, a, min(len(text), a + 600)) if text[s:e].strip())
    for s, e in islice(spans, lines):
        if e - s > 60:
            continue
        for m in TITLE_ORG.finditer(text, s, e):
            name = clean_org(m["lead"] or m["tail"])
            if is_org(name):
                return name
    return None
