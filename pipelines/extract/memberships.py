"""Who is a member of what, and since when (``memberships``).

A row says that a country (or ASEAN, a party to agreements) is a member, applicant, observer or
non-member of the organisation that the statement names, with the date it joined where the statement
gives one for that member. Recognised statements, each bound to the list of countries it introduces or
that it follows (``member_lists``), never to every country of the sentence:
- founding: ``<Org> was formed on <date> … by A, B and C`` (also ``established … based on the Agreement
  … signed by …``: the signatories of the agreement establishing it are its members; the agreement is
  remembered, so that ``… acceded to the Agreement`` later means the organisation; a group the signatory
  list expands, ``ASEAN, then consisting of A, B …, and Japan``, is not a member itself),
  ``<Org> or ACR was established … by the five original member countries, namely, …``, ``1967年、A、B…の
  5か国が…設立``, ``…の5か国によりASEANが設立``, ``…の5か国で発足``, ``…で設立（A・B・Cの5か国）``; the founding
  date is each founder's ``joined``;
- accession: ``A (June 8, 1990), B (…) … acceded to the Agreement``, ``A joined on <date>, B on <date>, C
  and D on <date>``, ``A joined the group in 1984, followed by B in 1995``, ``… were accepted as full
  members of the association in 1997, as was C in 1999``, ``A became the sixth member on <date>``, ``On
  <date>, A has joined the Centre``, ``1984年 A加盟``, ``A（1995年）、B・C（1997年）が加盟``, ``A、B…が次々と加盟``,
  ``A…は、…(ASEAN)に加盟``, ``Aが2019年に加盟を申請`` (an applicant; ``Aの加盟を支援`` is no membership);
- lists: ``The members of <Org> are …``, ``<Org>'s member countries are the 10 ASEAN Member States, A,
  B …`` (a group named as a whole, then countries), ``<Org> member countries (A, B and C)``, ``(2)New
  members`` over a list with a date per member, ``<Org> consists of / comprises …``, ``加盟国：10カ国（A、
  B…）``, ``ASEAN10か国（A,B,…）``, ``<Org>の加盟国は以下のとおり。`` over a bulleted list, ``原加盟国``/
  ``新規加盟国`` headings, ``…の10か国で構成``, and a header with the list on the lines below
  (``<ORG>のメンバー国：16カ国`` over sub-labels such as ``ASEAN10カ国：``);
- parties to an agreement: ``<Org> was in force in A, B, …``, ``entered into force on <date> for A and B,
  and on <date> for C``, ``…は、2008年12月1日に日本と5か国（A、B…）との間で発効``, ``この協定は、我が国と、A、
  Bの間で既に効力が発生`` (``…の間で発効する予定``: not yet);
- status: ``A is already a member of <Org>``, ``A and B are members of the Centre``, ``A, non-members of
  the Centre``, ``A expressed its intention to join``, ``A is an observer of <Org>``, ``A…は未加盟``,
  ``Aが加盟申請（…年にオブザーバー…）``, ``…と日本がセンターのメンバー国となっています``.
The organisation is the one the statement names (``the Centre``, ``the Agreement``, ``センター``, ``この協定``
resolved to the one named before); where the statement names none (``A subsequently joined on …``,
``Aが加盟``, ``joined the group``), the one the passage is about (the subject of a statement before it,
the slide's ``ASEANとは何か``, the page's title), or the one the last membership statement named. A group
named as a whole (``the 10 ASEAN countries``, ``ASEAN加盟国``, ``ASEAN全10ヵ国``) is not a member, and a
country named beside a list of another organisation's members (Japan beside the ASEAN-Japan Centre's
list) is not made a member of ASEAN.
Does not belong here: other dated statements (``timeline``).
"""

from __future__ import annotations

import re

from pipelines.extract.base import BULLETS, MAX_QUOTE, Spans, line_spans
from pipelines.extract.dates import DateExpr
from pipelines.extract.family import Family
from pipelines.extract.member_lists import (
    ACRONYM,
    ANAPHORA_EN,
    ANAPHORA_JA,
    EN_HEAD,
    HEAD_NOUNS,
    INSTRUMENTS,
    JA_HEADS,
    JA_NAME,
    JA_NAME_RE,
    KNOWN_ORGS,
    ORG_EN,
    ORG_EN_RE,
    Item,
    Run,
    Topics,
    clean_org,
    is_org,
    items_in,
    org_after,
    org_before,
    resolve_anaphora,
    runs_in,
    shared_date,
    subject_at,
)
from pipelines.extract.source import Source

# Words that make a statement worth reading (found in the lower-cased text, so one search covers both languages).
TRIGGERS = re.compile(
    r"member|join|acced|accession|admitted|consist|compris|composed of|made up of|signed by|signator|in force|into force"
    r"|parties|established|founded|formed|observer|加盟|メンバー国|構成国|で構成|から構成|設立|創設|結成|発足|署名国|締約国|オブザーバー|発効|効力が"
    # after a number: 'ASEAN10か国（…）'. Literal alternatives: a leading character class is tried at every
    # character of the text, a literal only where it occurs.
    r"|か国\(|か国（|カ国\(|カ国（|ヶ国\(|ヶ国（|ヵ国\(|ヵ国（"
)

LIST_GOES_ON = ":：,、，・;"
LIST_BELOW = re.compile(r"(?:[:：]|(?:以下|次)[^。\n]{0,12}。|(?:as\s+follows|the\s+following)\s*[:.]?)\s*\Z")
COUNT = r"[0-9]+\s*[かカヶヵ]国"  # '10か国', '５カ国' (folded)

# --- Founding ------------------------------------------------------------------------------------------
FOUNDED_EN = re.compile(
    r"(?:[^.\n]{0,80}?,\s*)?(?:[Tt]he\s+)?(?P<name>"
    + ORG_EN
    + r")(?:\s*\([^()]{1,80}\)|\s+or\s+(?P<alias>"
    + ACRONYM
    + r"))?,?\s+"
    r"(?:is\s+an?\s+[^.;]{0,60}?\s+(?:that|which)\s+)?"  # 'X is an international organisation that was …'
    r"(?:was|were|had\s+been|has\s+been)\s+(?:[a-z]+ly\s+)?(?P<verb>established|founded|formed|created|set\s+up"
    r"|launched|inaugurated)\b"
)
DATE_LEAD_EN = re.compile(r"\s*,?\s*(?:on|in)\s+\Z")
EXPANDED = re.compile(
    r"[)）]?\s*,?\s*(?:(?:which|that)\s+)?(?:then\s+|now\s+|at\s+the\s+time\s+)?(?:consisting\s+of|consisted\s+of"
    r"|comprising|composed\s+of|made\s+up\s+of|i\.e\.|namely)"
)
FOUNDING_JA = re.compile(r"設立|創設|結成|発足")
FOUND_AGENT_JA = re.compile(r"(?P<count>の\s*[0-9]+\s*[かカヶヵ]国)?\s*(?:が|により|によって|は|(?<=国)\s*で)")
FOUNDED_ORG_JA = re.compile(
    r"(?P<name>"
    + JA_NAME
    + "|"
    + ACRONYM
    + r")\s*(?:[(（](?P<acr>"
    + ACRONYM
    + r")[)）])?\s*(?:が|を|は)(?:[^、。]{0,12})\Z"
)
FOUND_PAREN_JA = re.compile(r"(?:設立|創設|結成)(?:され(?:た|る|ました))?\s*[(（]\s*\Z")

# --- Lists introduced before them ----------------------------------------------------------------------
KIND_EN = (
    r"(?:(?:[Ff]ounding|[Oo]riginal|[Cc]urrent|[Nn]ew|[Oo]ther|[Ff]ull)\s+)?"
    r"(?:[Mm]ember\s+(?:[Ss]tates|[Cc]ountries|[Nn]ations|[Ee]conomies)|[Mm]embers|[Pp]arties|[Ss]ignatories"
    r"|[Cc]ontracting\s+[Pp]arties|[Ss]tates\s+[Pp]arties|(?P<bare>countries|nations))"
)
LIST_LEAD = r"(?:\s|[" + re.escape(BULLETS) + r"*\-])*"  # spaces and bullets before the first item
ANAPHORA_BEFORE_JA = re.compile(r"(?<![一-龥々ァ-ヶーA-Za-z・])(?:同|当)?(?P<head>" + JA_HEADS + r")の?\s*\Z")
ANAPHORA_BEFORE = re.compile(r"\b[Tt]he\s+(?P<head>" + HEAD_NOUNS + r")(?:['’]s)?\s*\Z")
NUMBER_WORDS = r"[0-9]+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen"
COUNT_BEFORE_EN = re.compile(r"(?:\b(?:the|its|their|all|" + NUMBER_WORDS + r")\s+)+\Z")
# A group named as a whole before the countries of the list ('the 10 ASEAN countries and Korea',
# 'ASEAN10か国と日本'): not a member itself, but the list goes on after it.
GROUP_EN = (
    r"(?:(?:all\s+)?(?:the\s+)?(?:(?:"
    + NUMBER_WORDS
    + r")\s+)?"
    + ACRONYM
    + r"\s+(?:[Mm]ember\s+)?(?:[Cc]ountries|[Ss]tates|[Nn]ations)(?:\s*\([A-Z]{2,6}\))?(?:\s*,\s*|\s+)(?:(?:and|as\s+well\s+as)\s+)?)?"
)
GROUP_JA = r"(?:" + ACRONYM + r"\s*(?:加盟)?(?:[0-9]+\s*[かカヶヵ]国|諸国|各国)\s*(?:と|及び|および|並びに|、|,)\s*)?"
INTRO_EN = re.compile(
    r"(?P<kind>" + KIND_EN + r")(?:\s+(?:of|to)\s+(?P<org2>(?:the\s+)?" + ORG_EN + r"))?"
    r"(?:[ \t]+(?P<when>in|on|as[ \t]+of)[ \t]+[^,:;()\n]{4,25}?)?"  # 'The founding members of X in 1967 were …'
    r"[ \t]*(?:\([^()]{0,40}\)[ \t]*)?(?:(?P<verb>are|were|include[sd]?|comprise[sd]?|now\s+include)[ \t]*)?"
    r"(?:\([^()]{0,40}\)[ \t]*)?(?P<mark>[:(|]|(?:as\s+follows|the\s+following)[ \t]*[:.]?|,?[ \t]*(?:including|among\s+them|such\s+as)|,?[ \t]*(?:namely|i\.e\.),?)?"
    + LIST_LEAD
    + GROUP_EN
    + r"\Z"
)
# Words one of which the patterns below need (a plain 'in' test before trying them on a window).
EN_INTRO_WORDS = ("member", "part", "signator", "countries", "nations")
CONSIST_WORDS = ("consist", "compris", "compos", "made up", "groups")
CONSIST_EN = re.compile(
    r"(?:consist(?:s|ed|ing)?\s+of|compris(?:es|ed|ing)|groups|(?:is\s+|are\s+|was\s+|were\s+)?composed\s+of"
    r"|made\s+up\s+of)\s*:?\s*" + GROUP_EN + r"\Z"
)
# An agreement in force for its parties: 'was in force in A, B …', 'entered into force on <date> for A, B …,
# and on <date> for C', '…は、2008年12月1日に日本と5か国（A、B…）との間で発効'.
IN_FORCE_EN = re.compile(
    r"(?P<into>into|in)\s+force(?:\s+(?:on|in)\s+[^,;()]{4,30}?)?\s+(?:in|for|between|among|with)\s+"
)
MORE_IN_FORCE_EN = re.compile(r"[ \t]*[,;]?[ \t]*(?:and\s+)?(?:on|in)\s+[^,;()]{4,30}?\s+(?:for|in)\s+(?:the\s+)?\Z")
IN_FORCE_JA = re.compile(
    r"[ \t]*[)）]?[ \t]*(?:の\s*" + COUNT + r")?[ \t]*(?:との間で|との間において|の間で|について|に対して|に対し|で)"
    r"[^。、]{0,8}?(?:発効|効力が?(?:発生|生)(?:じ|ず|し|す))(?P<future>[^。]{0,6}?(?:予定|見込み|こととな|ことにな))?"
)
IN_FORCE_WORDS = ("発効", "効力")
WITH_JA = re.compile(r"[ \t]*(?:と|及び|および)?[ \t]*[、,]?[ \t]*(?:" + COUNT + r")?[ \t]*[(（]?[ \t]*\Z")
INTRO_JA = re.compile(
    r"(?P<kind>(?:原|新規|新|当初の|現在の|創設)?(?:加盟国|メンバー国|構成国)|署名国|締約国|加盟各国|加盟"
    + COUNT
    + r"|(?P<bare>"
    + COUNT
    + r"))"
    r"\s*(?:は|には)?\s*[、,:：]?\s*(?:(?:約|およそ)?"
    + COUNT
    + r"\s*)?(?:(?:は|が)?(?:以下|次)[^。\n]{0,12}?[。:：]|[(（:：、,|｜])?"
    + LIST_LEAD
    + GROUP_JA
    + r"\Z"
)
OPEN_BRACKET = re.compile(r"[(（][^()（）]*\Z")
LIST_MARK = re.compile(r"[ \t\u3000]*(?:[(（][0-9０-９]+[)）]|[0-9]+[.．)]|[①-⑳])?[ \t\u3000]*")
PLAIN_BEFORE_KIND = re.compile(
    r"(?:\A|[\n.:;。、]|[(（][0-9]+[)）]|\b(?:[Tt]he|[Ii]ts|[Tt]heir|[Aa]ll|[Cc]urrent|[Ff]ounding|[Oo]riginal|その|同|"
    + NUMBER_WORDS
    + r"))[ \t\u3000]*\Z"
)
COUNTED = re.compile(r"\s*の\s*" + COUNT)
CLOSE = re.compile(r"\s*(?:など|等|etc\.?)?\s*[)）]")

# --- Statements that follow a list ---------------------------------------------------------------------
ORDINAL = r"(?:(?:full|new|founding|original|newest|latest|[a-z]+(?:th|st|nd|rd))\s+)?"
AFTER_EN = re.compile(
    r"\s*,?\s*(?:(?:subsequently|later|also|officially|formally|eventually|then|finally|now|all|both|each|already"
    r"|too|has|have|had|currently|newly|successively|respectively|in\s+turn)\s+)*"
    r"(?:(?P<join>joined(?!\s+by)|acceded\s+to|became\s+(?:a\s+|the\s+|an\s+)?" + ORDINAL + r"members?(?:\s+of)?"
    r"|became\s+(?P<poss>" + ACRONYM + r")['’]s\s+" + ORDINAL + r"members?\b"
    r"|(?:was|were)\s+(?:admitted|accepted)(?:\s+as\s+(?:a\s+)?" + ORDINAL + r"members?(?:\s+of)?|\s+(?:to|into))?)"
    r"|(?P<member>(?:is|are|was|were|remains?)\s+(?:now\s+|already\s+|also\s+|all\s+|still\s+)*(?:a\s+|the\s+)?"
    r"(?:full\s+|founding\s+|original\s+)?members?\s+(?:of|in))"
    r"|(?P<non>(?:a\s+|the\s+)?non-?members?\s+(?:of|in)|(?:is|are|was|were|remains?)\s+(?:still\s+)?not\s+"
    r"(?:yet\s+)?(?:a\s+)?members?\s+(?:of|in))"
    r"|(?P<applicant>(?:expressed|announced|declared)\s+(?:its|their)\s+(?:intention|wish|desire|interest)\s+to\s+join"
    r"|applied\s+(?:for\s+membership\s+(?:of|in|to)|to\s+join))"
    r"|(?P<observer>(?:is|are|was|were|became)\s+(?:an?\s+)?observers?\s+(?:of|in|to|at)"
    r"|(?:was|were)\s+granted\s+observer\s+status\s+(?:in|at|by|to|of)))\s*"
)
AFTER_JA = re.compile(
    r"(?:の\s*" + COUNT + r")?(?:\s*など)?(?:\s*[(（][^()（）\n]{0,30}[)）])?\s*(?:が|は|も)?\s*[、,]?"
    r"(?P<gap>(?:[^。\n]|\n(?![ \t\u3000]*\n)){0,60}?)"
    r"(?P<verb>加盟申請|未加盟|加盟(?![国各0-9]|諸国)|(?:で|から)構成|オブザーバー|(?:メンバー国|加盟国)(?=と(?:な|し)|に(?:な|加)|である|です))"
)
JA_NOT_YET = re.compile(
    r"(?P<applied>を申請|の申請|を正式に申請)|を(?:目指|希望|検討|支援|求め|歓迎|表明)|に向け|へ向け|交渉|の可能性|候補|手続"
)
# Between a joining and the next members joining with their own dates: ', B on <date>', ', followed by B in …'.
GENERIC_NOUN = re.compile(
    r"\s*the\s+(?:regional\s+)?(?:group|grouping|association|organi[sz]ation|bloc|body|community)\b(?![ \t]+[A-Z])"
)
GAPPED = re.compile(
    r"\s*(?:(?:on|in)\s+[^,;.()]{3,30}?)?\s*,\s*(?:(?:and|followed\s+by|as\s+(?:was|were|did))\s+)?(?:the\s+)?"
)
JA_WHEN = re.compile(r"\s*(?:[(（][月火水木金土日]曜?日?[)）])?\s*に(?![かお]け)")
JOINED_ALONE = re.compile(r"\s*(?:\Z|[,.;:)]|\((?![A-Z]))")
NOT_A_JOIN_DATE = re.compile(r"\s*(?:以降|以来|から|まで|頃|ごろ|時点|現在|にかけて)")
OBSERVER_LATER = re.compile(r"[(（]\s*(?:[0-9]{4}年に)?\s*オブザーバー")
NOT_THE_ORG_JA = re.compile(r"\s*(?:のうち|の中で|の中の|以外|加盟|諸国|各国|全|[0-9])")
VERB_STATUS = {
    "join": "member",
    "member": "member",
    "non": "non-member",
    "applicant": "applicant",
    "observer": "observer",
}
JA_STATUS = {"加盟申請": "applicant", "未加盟": "non-member", "オブザーバー": "observer"}


def extract_memberships(src: Source, stated: Spans | None = None) -> dict[str, list[dict]]:
    return {"memberships": _dedupe(_Reader(src).read())}


class _Reader:
    """One pass over a document's membership statements, in order (what they establish is remembered:
    the instrument an organisation was established by, so that 'acceded to the Agreement' names it)."""

    def __init__(self, src: Source):
        self.src = src
        self.text = src.folded
        self.rows: list[dict] = []
        self.used: set[int] = set()  # items already read (by start)
        self.instruments: dict[str, str] = {}
        self.topics = Topics(src)
        self.last: tuple[int, str] | None = None  # the organisation of the last member read, and where

    def read(self) -> list[dict]:
        self._header_lists()
        done: set[tuple[int, int]] = set()
        for t in TRIGGERS.finditer(self.src.lowered):
            a, b = self.src.statement(t.start(), t.end())
            if (a, b) not in done and a < b:
                done.add((a, b))
                self._statement(a, b)
        return self.rows

    # --- rows ---------------------------------------------------------------------------------------
    def _row(self, item: Item, org: str, status: str, joined: DateExpr | str | None, span, notes: list[str]):
        a, b = span
        if item.code == org:
            return
        if b - a > MAX_QUOTE:
            a, b = (item.start, b) if b - item.start <= MAX_QUOTE else (item.start, item.stop)
        when = joined.date if isinstance(joined, DateExpr) else joined
        self.used.add(item.start)
        if self.last is None or item.start > self.last[0]:
            self.last = (item.start, org)
        self.rows.append(
            self.src.fact(a, b, notes, organization=org, member_code=item.code, status=status, joined=when)
        )

    def _org_named(self, pos: int) -> tuple[int, str] | None:
        """(end, name) of the organisation named at pos, 'the Centre' resolved ('the group', 'the association':
        the one the passage is about)."""
        if m := GENERIC_NOUN.match(self.text, pos):
            name = self._topic(pos)
            return (m.end(), name) if name else None
        if m := ANAPHORA_EN.match(self.text, pos) or ANAPHORA_JA.match(self.text, pos):
            name = self._resolve(pos, m["head"])
            return (m.end(), name) if name else None
        return org_after(self.src, pos)

    # --- a statement --------------------------------------------------------------------------------
    def _statement(self, a: int, b: int) -> None:
        # A list may run on past the statement's end (over a blank line in a slide, or below a heading).
        heads = bool(LIST_BELOW.search(self.text, max(a, b - 30), b))
        ext = min(len(self.text), b + 300) if heads or self.text[b - 1] in LIST_GOES_ON else b
        runs = [r for r in runs_in(self.src, a, ext) if r.start < b or heads and self._heads(r, b)]
        self._founding_en(a, b, runs)
        self._in_force(a, b, runs)
        for run in runs:
            if any(item.start in self.used for item in run.items):
                continue
            if not self._introduced(a, b, run) and not self._followed(a, b, run, runs):
                self._founding_ja(a, b, run)

    def _heads(self, run: Run, b: int) -> bool:
        """Whether the run is on the lines right below the statement ending at b ('… are:', '…は以下のとおり。')."""
        return not self.text[b : run.start].strip(" \t\n\u3000" + BULLETS + "-*")

    def _founding_en(self, a: int, b: int, runs: list[Run]) -> None:
        m = FOUNDED_EN.match(self.text, a, b)
        if m is None:
            return
        org = m["alias"] or self._org_of(m.start("name"), m["name"])
        if org is None:
            return
        verb_end = m.end()
        by = self.text.find(" by ", verb_end, b)
        for ins in INSTRUMENTS.finditer(self.text, verb_end, b if by == -1 else by):
            self.instruments[ins.group()] = org
        if head := EN_HEAD.search(org):  # 'the Centre' is now this one
            self.instruments["Centre" if head.group() == "Center" else head.group()] = org
        if by == -1:
            return
        date = next(
            (
                d
                for d in self.src.dates_in(verb_end, by)
                if d.end_date is None and DATE_LEAD_EN.fullmatch(self.text, verb_end, d.start)
            ),
            None,
        )
        founders = self._agents(by, b, runs)
        if len(founders) < 2:
            return
        for item in founders:
            span = (a, item.end) if item.end - a <= MAX_QUOTE else (by + 1, item.end)
            self._row(item, org, "member", date, span, [f"founding member ({m['verb']} … by)"])

    def _agents(self, by: int, b: int, runs: list[Run]) -> list[Item]:
        """The list right after 'by' ('signed by A, B and C'); a group expanded into its members ('ASEAN, then
        consisting of A, B …, and Japan') is not one of them, its members are."""
        following = [r for r in runs if by < r.start < b]
        if not following or following[0].start - by > 120:
            return []
        out: list[Item] = []
        for i, run in enumerate(following):
            if i and not EXPANDED.match(self.text, following[i - 1].items[-1].end):
                break
            out += [item for item in run.items if not EXPANDED.match(self.text, item.end)]
        return [item for item in out if item.start not in self.used]

    def _in_force(self, a: int, b: int, runs: list[Run]) -> None:
        """The parties an agreement is in force for, with the date it entered into force for them."""
        text = self.text
        for m in IN_FORCE_EN.finditer(text, a, b):
            first = next((r for r in runs if r.start <= m.end() < r.items[0].end), None)
            org = self._last_org(a, m.start())
            if first is None or org is None or first.items[0].start in self.used:
                continue
            into = m["into"] == "into"
            date = self._single_date(m.start(), first.start) if into else None
            self._parties(first, org, date, a)
            for later in runs:  # '…, and on 1 January 2009 for C and D'
                if later.start > first.end and into and MORE_IN_FORCE_EN.search(text, first.end, later.start):
                    self._parties(later, org, self._single_date(first.end, later.start), a)
                    first = later
        if not any(word in text[a:b] for word in IN_FORCE_WORDS):
            return
        clause = a  # where the clause of the parties starts: a date before it is theirs
        for i, run in enumerate(runs):
            said = IN_FORCE_JA.match(text, run.end, b)
            if said is None or run.items[0].start in self.used:
                continue
            if said["future"]:  # '…の間で発効する予定': not yet
                clause = said.end()
                continue
            parties = [run]
            if i and WITH_JA.search(text, runs[i - 1].end, run.start):  # '日本と5か国（A、B…）との間で'
                parties.insert(0, runs[i - 1])
            org = subject_at(self.src, a, b) or self._last_org(a, parties[0].start) or self._topic(a)
            if org is None:
                continue
            date = self._single_date(clause, parties[0].start) or self._date_before(clause, parties[0].start)
            clause = said.end()
            for party in parties:
                self._parties(party, org, date, a)

    def _parties(self, run: Run, org: str, date: DateExpr | None, a: int) -> None:
        for item in run.items:
            if item.start not in self.used:
                self._row(item, org, "member", date, (a, item.stop), ["party: the agreement is in force for it"])

    def _date_before(self, a: int, b: int) -> DateExpr | None:
        """The last date in text[a:b] said as when ('同年12月に…'), not as since or until."""
        dates = [d for d in self.src.dates_in(a, b) if d.end_date is None and JA_WHEN.match(self.text, d.end)]
        return dates[-1] if dates else None

    def _single_date(self, a: int, b: int) -> DateExpr | None:
        dates = [d for d in self.src.dates_in(a, b) if d.end_date is None]
        return dates[0] if len(dates) == 1 and not NOT_A_JOIN_DATE.match(self.text, dates[0].end) else None

    def _last_org(self, a: int, b: int) -> str | None:
        """The last organisation named in text[a:b] ('the AJCEP was in force …'), 'the Agreement' resolved."""
        found: list[tuple[int, str]] = []
        for o in ORG_EN_RE.finditer(self.text, a, b):
            if is_org(name := clean_org(o.group())):
                found.append((o.start(), name))
        for pattern in (ANAPHORA_EN, ANAPHORA_JA):
            for o in pattern.finditer(self.text, a, b):
                if resolved := self._resolve(o.start(), o["head"]):
                    found.append((o.start(), resolved))
        found += [(o.start(), o.group()) for o in JA_NAME_RE.finditer(self.text, a, b) if is_org(o.group())]
        return max(found)[1] if found else None

    def _org_of(self, start: int, name: str) -> str | None:
        """An organisation's name as written at start, 'the Centre' resolved."""
        if m := ANAPHORA_EN.match(self.text, start - 4 if self.text[start - 4 : start] == "the " else start):
            return self._resolve(start, m["head"])
        name = clean_org(name)
        return name if is_org(name) else None

    # --- a list introduced before it ----------------------------------------------------------------
    def _introduced(self, a: int, b: int, run: Run) -> bool:
        text, start = self.text, run.start
        w = max(0, start - 160)
        org: str | None = None
        before: tuple[int, str] | None = None
        when: DateExpr | None = None  # 'the founding members … in 1967 were': when they joined
        intro: re.Match | None = None  # the introducing phrase of a list ('members are:', '加盟国は')
        window = self.src.lowered[w:start]
        en_intro = any(word in window for word in EN_INTRO_WORDS)
        if (
            en_intro
            and (m := INTRO_EN.search(text, w, start))
            and (m["mark"] or ("\n" not in m.group() and m["verb"]) or self._heading_line(m))
        ):
            if m["when"] and re.match(r"(?:founding|original)\b", m["kind"]):
                when = self._single_date(m.start("when"), m.end())
            if m["org2"]:
                named = self._org_named(m.start("org2"))
                org, lead = (named[1] if named else None), m.start()
            else:
                before = self._org_ending_at(self._before_count(m.start("kind")))
                org, lead = (before[1], before[0]) if before else (None, m.start())
            intro = m
        elif "国" in window and (m := INTRO_JA.search(text, max(0, start - 60), start)):
            before = org_before(self.src, m.start("kind"))
            org, lead = (before[1], before[0]) if before else (None, m.start())
            intro = m
        elif any(word in window for word in CONSIST_WORDS) and (m := CONSIST_EN.search(text, w, start)):
            head = re.sub(r"(?:,?\s*(?:which|that|then|now|currently|today)\b)*\s*\Z", "", text[w : m.start()])
            before = org_before(self.src, w + len(head))
            if before is None:
                return False
            org, lead, why = before[1], before[0], "members listed after 'consisting of'"
        else:
            return False
        if intro is not None:  # a list introduced in English or Japanese ('members are:', '加盟国は')
            if intro["bare"] and org not in KNOWN_ORGS:
                return False
            why = "member list"
            if org is None and self._plain_heading(intro.start("kind")):
                org = self._topic(start)
        if org is None:
            return False
        if OPEN_BRACKET.search(m.group()) and not CLOSE.match(text, run.end):
            return False  # '(A, B and C)': the list must be the bracket's whole content
        lead = max(min(lead, start), start - MAX_QUOTE // 2)
        for i, item in enumerate(run.items):
            date = shared_date(run, i) or when
            stop = max(item.stop, date.end) if date is not None else item.stop  # to the member's own date
            self._row(item, org, "member", date, (lead, stop), [why])
        return True

    def _org_ending_at(self, pos: int) -> tuple[int, str] | None:
        """(start, name) of the organisation named right before pos, 'the Centre's' (センターの) resolved."""
        if (m := ANAPHORA_BEFORE.search(self.text, max(0, pos - 40), pos)) or (
            m := ANAPHORA_BEFORE_JA.search(self.text, max(0, pos - 12), pos)
        ):
            name = self._resolve(m.start(), m["head"])
            return (m.start(), name) if name else None
        return org_before(self.src, pos)

    def _resolve(self, pos: int, head: str) -> str | None:
        """'the Centre', 'the Agreement', 'センター' at pos: the organisation established under that instrument,
        else the one the passage is about when its name ends so, else the last one named so."""
        key = "Centre" if head == "Center" else head
        if key in self.instruments:
            return self.instruments[key]
        about = self._topic(pos)
        if about and about.endswith(("Centre", "Center") if key == "Centre" else (head,)):
            return about
        return resolve_anaphora(self.src, pos, head, self.instruments)

    def _topic(self, pos: int) -> str | None:
        """The organisation the passage at pos is about: its subject or heading, unless a membership
        statement after those named another ('…ASEAN加盟国は以下…' below '日本アセアンセンターとは')."""
        found = self.topics.at(pos)
        if self.last is not None and (found is None or found[0] < self.last[0] < pos):
            return self.last[1]
        return found[1] if found else None

    def _heading_line(self, m: re.Match) -> bool:
        """'(2)New members' on a line of its own, the list on the lines below."""
        line_start = self.text.rfind("\n", 0, m.start()) + 1
        return bool(LIST_MARK.fullmatch(self.text, line_start, m.start())) and "\n" in m.group()

    def _plain_heading(self, pos: int) -> bool:
        """'Members:', '加盟国：': a list of the passage's organisation ('Participating members' is not one)."""
        return bool(PLAIN_BEFORE_KIND.search(self.text, max(0, pos - 40), pos))

    def _before_count(self, pos: int) -> int:
        """Where 'ASEAN's ten member states' names its organisation: before the count."""
        m = COUNT_BEFORE_EN.search(self.text, max(0, pos - 60), pos)
        return m.start() if m else pos

    # --- a statement that follows the list ----------------------------------------------------------
    def _followed(self, a: int, b: int, run: Run, runs: list[Run]) -> bool:
        return self._followed_en(a, b, run, runs) or self._followed_ja(a, b, run)

    def _followed_en(self, a: int, b: int, run: Run, runs: list[Run]) -> bool:
        m = AFTER_EN.match(self.text, run.end, b)
        if m is None:
            return False
        kind = m.lastgroup or "member"
        status = VERB_STATUS[kind]
        named = (m.end(), m["poss"]) if m["poss"] else self._org_named(m.end())
        end = named[0] if named else m.end()
        org = named[1] if named else (self._topic(run.start) if kind == "join" and self._nothing_joined(end) else None)
        if org is None:
            return False
        verb_date = next(
            (
                d
                for d in self.src.dates_in(end, min(b, end + 40))
                if d.end_date is None and DATE_LEAD_EN.fullmatch(self.text, end, d.start)
            ),
            None,
        )
        lead = self._leading_date(a, run)
        for i, item in enumerate(run.items):
            date = (shared_date(run, i) or verb_date or lead) if status != "non-member" else None
            stop = max(end, date.end if date is not None and date.start > end else end)
            self._row(
                item, org, status, date, (a if stop - a <= MAX_QUOTE else item.start, stop), [f"'{m.group().strip()}'"]
            )
        if kind == "join":  # 'A joined on <date>, B on <date>, C and D on <date>', '…, followed by B in 1995'
            prev = end
            for later in runs:
                if not (prev <= later.start < b) or not GAPPED.fullmatch(self.text, prev, later.start):
                    continue
                if not all(shared_date(later, i) for i in range(len(later.items))):
                    break
                for i, item in enumerate(later.items):
                    if item.start not in self.used:
                        # The quote runs to the member's own date ('…, Laos and Myanmar on 23 July 1997').
                        date = shared_date(later, i)
                        stop = max(item.stop, date.end) if date is not None else item.stop
                        self._row(item, org, status, date, (a, stop), ["joined (same verb)"])
                prev = later.end
        return True

    def _nothing_joined(self, pos: int) -> bool:
        """'A joined on 7 May 1990' or 'A joined.': the organisation is the passage's ('A joined the talks' is not)."""
        if JOINED_ALONE.match(self.text, pos):
            return True
        if (lead := re.match(r"\s*(?:on|in)\s+", self.text[pos : pos + 8])) is None:
            return False
        return any(d.start == pos + lead.end() for d in self.src.dates_in(pos, pos + 40))

    def _leading_date(self, a: int, run: Run) -> DateExpr | None:
        """The date a statement opens with before its list ('On June 11, 2001, A …', '1984年 A加盟')."""
        for d in self.src.dates_in(a, run.start):
            between = self.text[d.end : run.start]
            if d.end_date is None and re.fullmatch(r"\s*[,、]?\s*(?:the\s+)?", between):
                return d
        return None

    def _followed_ja(self, a: int, b: int, run: Run) -> bool:
        m = AFTER_JA.match(self.text, run.end, min(len(self.text), b + 1))
        if m is None:
            return False
        gap_a, gap_b = m.span("gap")
        if "を" in m["gap"] or any(len(i.code) == 3 for i in items_in(self.src, gap_a, gap_b)):
            return False
        verb = m["verb"]
        status = JA_STATUS.get(verb, "member")  # 'メンバー国' and '加盟国' (…となっている): members
        if verb == "加盟" and (after := JA_NOT_YET.match(self.text, m.end())):
            if not after["applied"]:
                return False  # 'Aの加盟を支援', '加盟に向けた交渉': not (yet) a member
            status = "applicant"  # 'Aが加盟を申請'
        elif m["gap"].endswith("の") and verb == "加盟":
            return False  # 'Aの加盟': a noun, whose verb says whether it happened
        org = None
        if m["gap"].endswith(("に", "の")) and (named := self._org_ending_at(gap_b - 1)):
            org = named[1]  # '…(ASEAN)に加盟', '…がセンターのメンバー国となって'
        elif verb in ("メンバー国", "加盟国"):
            return False
        org = org or self._org_in_statement(a, b, run) or self._topic(run.start)
        if org is None:
            return False
        in_gap = [d for d in self.src.dates_in(gap_a, gap_b) if d.end_date is None]
        date = in_gap[0] if len(in_gap) == 1 and not NOT_A_JOIN_DATE.match(self.text, in_gap[0].end) else None
        lead = self._leading_date(a, run)
        if lead is not None and NOT_A_JOIN_DATE.match(self.text, lead.end):
            lead = None
        stop = m.end()
        for i, item in enumerate(run.items):
            joined = (shared_date(run, i) or date or lead) if status != "non-member" else None
            self._row(item, org, status, joined, (a, stop), [f"'{verb}'"])
            if status == "applicant" and (o := OBSERVER_LATER.match(self.text, stop)):
                years = re.search(r"[0-9]{4}", o.group())
                self._row(item, org, "observer", years.group() if years else None, (a, o.end()), ["observer later"])
        return True

    def _org_in_statement(self, a: int, b: int, run: Run) -> str | None:
        """The organisation a Japanese statement names besides its list: its subject, else the first one it
        names that is not the group the list is drawn from ('ASEANのうち…')."""
        if subject := subject_at(self.src, a, b):
            return subject
        for o in re.finditer(ACRONYM, self.text[a:b]):
            name = o.group()
            if a + o.start() >= run.start and a + o.start() < run.end:
                continue
            if is_org(name) and not NOT_THE_ORG_JA.match(self.text, a + o.end()):
                return name
        return None

    # --- founding, in Japanese ----------------------------------------------------------------------
    def _founding_ja(self, a: int, b: int, run: Run) -> bool:
        if len(run.items) < 2:
            return False
        text = self.text
        agent = FOUND_AGENT_JA.match(text, run.end)
        verb = FOUNDING_JA.search(text, agent.end(), b) if agent else None
        org: str | None = None
        if agent and verb:  # 'A、B…の5か国が…設立', 'A、BによりXが設立'
            org = self._founded_ja_org(agent.end(), verb.start())
            if org is None and not agent["count"]:
                return False  # 'A、Bが工場を設立': not the founding of an organisation
            verb_end = verb.end()
        else:  # '…で設立（A・B・Cの5か国）'
            paren = FOUND_PAREN_JA.search(text, max(a, run.start - 20), run.start)
            if paren is None or not CLOSE.match(text, run.end) and not COUNTED.match(text, run.end):
                return False
            verb_end = run.end
        org = org or subject_at(self.src, a, b) or self._topic(run.start)
        if org is None:
            return False
        dates = [
            d for d in self.src.dates_in(a, run.start) if d.end_date is None and not NOT_A_JOIN_DATE.match(text, d.end)
        ]
        date = dates[-1] if dates else None
        for item in run.items:
            self._row(item, org, "member", date, (a, max(verb_end, item.stop)), ["founding member"])
        return True

    def _founded_ja_org(self, a: int, b: int) -> str | None:
        """'…の5か国によりASEANが設立': the organisation named as what was founded."""
        m = FOUNDED_ORG_JA.search(self.text, a, b)
        return (m["acr"] or m["name"]) if m else None

    # --- a header with the list on the lines below ---------------------------------------------------
    def _header_lists(self) -> None:
        """'<ORG>のメンバー国：16カ国' followed by lines listing the members (under sub-labels)."""
        src = self.src
        for h_start, h_end, org in list_headers(self.text):
            _, seg_b = src.segment_of(h_start)
            for a, b in line_spans(self.text, self.text.find("\n", h_end) + 1, seg_b):
                if b - a > LIST_LINE_CHARS:
                    break  # running text, not a line of the list
                line = self.text[a:b]
                if not line.strip() or SUBLABEL.match(line):
                    continue
                items = items_in(src, a, b)
                rest = line
                for item in reversed(items):
                    rest = rest[: item.start - a] + rest[item.end - a :]
                if not items or SEPARATORS.sub("", rest):
                    break
                for item in items:
                    span = (h_start if item.end - h_start <= MAX_QUOTE else item.start, item.end)
                    self._row(item, org, "member", None, span, [f"member list under '{src.text[h_start:h_end]}'"])


LIST_LINE_CHARS = 300  # a line listing members under a header
LIST_HEADER_TAIL = re.compile(r"(?:メンバー国|加盟国|構成国)[:：]")
ORG_BEFORE = re.compile(r"[A-Z]{3,6}\Z")
SUBLABEL = re.compile(r"^\s*(?:\S*?\d+\s*(?:カ国|か国|ヶ国)[:：]?)\s*$")
SEPARATORS = re.compile(r"[・、,，\s]+|and|及び")


def list_headers(text: str):
    """(start, end, org) of every '<ORG>のメンバー国：' (an acronym of 3 to 6 capitals), found from each
    'のメンバー国' rather than from every capital letter of the document."""
    for tail in LIST_HEADER_TAIL.finditer(text):
        at = tail.start() - 1 if text[tail.start() - 1 : tail.start()] == "の" else tail.start()
        if org := ORG_BEFORE.search(text, max(0, at - 6), at):
            yield org.start(), tail.end(), org.group()


def _dedupe(rows: list[dict]) -> list[dict]:
    """One row per (organisation, member, status): the one that says when, else the first."""
    best: dict[tuple, dict] = {}
    for r in rows:
        key = (r["organization"], r["member_code"], r["status"])
        if key not in best or (best[key]["joined"] is None and r["joined"] is not None):
            best[key] = r
    return [r for r in rows if best[(r["organization"], r["member_code"], r["status"])] is r]


FAMILY = Family("memberships", tables=("memberships",), extract=extract_memberships)
