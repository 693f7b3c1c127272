"""Japan–ASEAN and Japan–Mekong summits, ministerial meetings and the ASEAN-Japan Forum (``meetings``).

Recognises a meeting named in a statement, with the date, end date, city and host country that the
statement (or its context) gives it, in Japanese and English:
- a meetings table: a header row naming its columns (日程 場所 会議名 ...), then rows
  ``<月日> <host country>（<city>） <meeting name> [★] [remark wrapped over lines]``, and a caption
  (often *after* the rows, as slides put it) stating the year: ``...（2023年）``;
- a sentence: ``<date>、<venue>において、第N回<meeting>が開催された``, ``<meeting>が<date>、<city>で開催された``,
  ``<date>の<meeting>``, ``<meeting>（<date>、<city>）``, ``The 18th ASEAN-Japan Summit, chaired by …, was held on
  <date> in <city>, <country>``, ``On <month day>, … the ASEAN-Japan Foreign Ministers' Meeting was held in <city>``,
  ``<meeting> in <city> on <date>``, ``Japan will host a special summit with ASEAN next year``;
- a list item or heading: ``<date> <meeting>開催（<city>）``, a heading naming the meeting above a line
  ``<date>, <city>, <country>``, items under year headings (``97年:``) whose meeting is the page's topic
  (``…首脳会議に際し開催され``), and a glossary entry defining a meeting then ``第1回会合が<date>…開催された``.
A date without a year takes it from a year heading above it, else from the page's own date (its
``published`` date, else its dateline), never from a guess; a day alone (``21日``) takes its month from the
same day stated in full on the page. One row per meeting: the fuller statement of a meeting stated twice
(headline and body) is kept.
Does not belong here: other meetings (working groups, boards, ASEAN's own summits, ASEAN+3), other dated
statements (``timeline``).
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cached_property

from pipelines.extract.base import ERA_LEADS, YEAR_MARK, Spans, line_spans
from pipelines.extract.dates import JP_DATE_EXPR, JP_DATE_LEADS, JP_DATE_NUMBER_ENDS
from pipelines.extract.family import Family
from pipelines.extract.places import Place, places_in
from pipelines.extract.source import Source
from pipelines.normalize import ERA, country_code, fold_text, iso, remove_spaces, year_from_match

# --- Meetings tables -----------------------------------------------------------------------------------

# A header line naming the columns of a meetings table, in any order (more words may follow: 備考, Remarks).
TABLE_COLUMNS = {
    "date": ("日程", "日付", "日時", "開催日", "月日"),
    "place": ("場所", "開催地", "開催場所", "開催国", "開催国・都市"),
    "name": ("会議名", "会議", "会合", "会合名", "名称"),
    "rest": ("備考", "摘要", "内容", "概要"),
}
TABLE_HEADER_WORDS = {w: kind for kind, words in TABLE_COLUMNS.items() for w in words}
_HEADER_WORD = "(?:" + "|".join(sorted(TABLE_HEADER_WORDS, key=len, reverse=True)) + r")(?![^ \t\n])"
TABLE_HEADER_WORD = re.compile("|".join(TABLE_COLUMNS["date"]))  # every table has a date column
TABLE_HEADER = re.compile(
    r"^(?=[^\n]*(?:"
    + TABLE_HEADER_WORD.pattern
    + r"))[ \t]*"
    + _HEADER_WORD
    + r"(?:[ \t]+"
    + _HEADER_WORD
    + r")+[ \t]*$",
    re.M,
)
TABLE_CELLS = {
    "date": r"(?P<month>\d{1,2})月(?P<day>\d{1,2})日",
    "place": r"(?P<host>[^\s(（]+)(?:[(（](?P<city>[^)）]+)[)）])?",
    "name": r"(?P<name>\S+)",
}
CAPTION_YEAR = re.compile(r"[(（](?P<year>\d{4})年[)）]")
# A legend after the header: the mark that flags the anniversary's special meetings ('★ 50周年の特別会合').
LEGEND = re.compile(r"(?P<mark>[★☆◎●◆■◇□※])\s*[^\n]{0,10}(?:周年|特別)")

# --- Vocabulary: meeting types, partners, anniversaries ------------------------------------------------

JA_LEVELS = (
    "首脳会議|首脳会合|外相会議|外相会合|外務大臣会議|外務大臣会合|大臣特別会合|大臣特別対話|大臣会合|大臣会議"
    "|閣僚級会合|閣僚級会議|閣僚級対話|閣僚会議|閣僚会合|総裁会議|特別対話|フォーラム"
)
JA_KEYWORD = re.compile("会議|会合|対話|フォーラム")
JA_NAME_CHARS = r"[^\s、。,，「」『』()（）:：+＋ぁ-ゖ]"
JA_PREFIX = r"(?P<prefix>(?:第\s?\d{1,3}\s?回(?:目の)?|初の|最初の|初めての)\s?)?"
# 日ASEAN, 日・ASEAN, 日本ASEAN, 日本・メコン(地域諸国), ASEAN・日本; the 日 of a date or of 毎日 is not Japan.
JA_NAME = re.compile(
    JA_PREFIX + r"(?:(?<![0-9毎前翌本同今昨先当休祝平週曜])日本?\s?・?\s?(?P<g1>ASEAN|アセアン|メコン)"
    r"|(?P<g2>ASEAN|アセアン|メコン)\s?・\s?日本?)"
    r"\s?(?P<qual>" + JA_NAME_CHARS + r"{0,30}?)(?P<level>" + JA_LEVELS + r")\Z"
)
JA_GENERIC = re.compile(r"(?P<qual>" + JA_NAME_CHARS + r"{0,8}?)(?P<level>(?:特別|記念)首脳会議)\Z")
JA_ORDINAL_REF = re.compile(r"(?P<prefix>第\s?\d{1,3}\s?回(?:目の)?)(?P<level>会合|会議)\Z")
NOT_JAPAN_ASEAN = re.compile(r"中韓|東アジア|ASEAN|\+|＋|日中|ASEAN\s?\+|China|Korea|Plus Three|East Asia|APEC|G7|G20")

EN_KEYWORD = re.compile(r"summit|meeting|forum")
EN_ORDINAL = (
    r"\d{1,3}\s?(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth"
)
EN_NAME = re.compile(
    r"(?:(?P<ord>" + EN_ORDINAL + r")\s+)?(?:(?P<pre>special|commemorative|extraordinary)\s+)?"
    r"(?:(?P<g1>ASEAN|Mekong)\s*[-–—‐]?\s*Japan|Japan\s*[-–—‐]?\s*(?P<g2>ASEAN|Mekong))"
    r"(?P<qual>(?:\s+[A-Za-z]+(?:['’]s?)?){0,4}?)\s+(?P<level>summit|meeting|forum)\Z",
    re.I,
)
# A summit named type first: 'Commemorative Summit for the 50th Year of ASEAN-Japan Friendship and Cooperation'.
EN_LEAD_WORDS = re.compile(
    r"(?:(?P<ord>" + EN_ORDINAL + r")\s+)?(?:(?P<pre>special|commemorative|extraordinary)\s+)?\Z", re.I
)
EN_SUMMIT_OF = re.compile(
    r"\s+(?:for|on|of|marking|celebrating)\s+the\s+(?P<qual>(?:[\w'’]+\s+){0,5}?)"
    r"(?:(?P<g1>ASEAN|Mekong)\s*[-–—‐]\s*Japan|Japan\s*[-–—‐]\s*(?P<g2>ASEAN|Mekong))"
    r"(?:\s+(?:Friendship|Cooperation|Relations|Partnership)(?:\s+and\s+(?:Friendship|Cooperation|Partnership))?)?"
)
EN_UNKNOWN_TOWN = re.compile(r"[A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,2},\s+(?:the\s+)?")
# '… gathered in Port Lumen on 3 May 2032 for the M': where and when stated before the name
EN_FOR_BEFORE = re.compile(r"\bfor\s+(?:the|a|an)\s+\Z")
EN_GATHERED = re.compile(r"\b(?:gathered|met|assembled|convened|came together|meet|gather)\b")
EN_GENERIC = re.compile(r"(?P<qual>special|commemorative|extraordinary)\s+(?P<level>summit)\Z", re.I)
EN_NOT_A_MEETING = frozenset(
    "working group committee board senior officials officials' officials’ business youth students student joint "
    "expert experts network".split()
)
EN_MINISTER_WORDS = frozenset("minister ministers ministers' ministers’ ministerial leaders leaders' leaders’".split())
EN_SPECIAL_WORDS = frozenset("special commemorative extraordinary".split())

JAPAN_WORD = re.compile(r"日本|日・?ASEAN|日・?メコン|Japan", re.I)
PARTNER_WORD = re.compile(r"ASEAN|メコン|Mekong")
FIFTIETH = re.compile(r"50\s?周年|50th\s+(?:anniversary|year)|fiftieth anniversary", re.I)
ANNIVERSARY_JA = re.compile(r"(?P<n>\d{1,3})\s?周年")
ANNIVERSARY_EN = re.compile(r"(?P<n>\d{1,3})\s?(?:st|nd|rd|th)\s+anniversary", re.I)
ONLINE = re.compile(
    r"テレビ会議|ビデオ会議|オンライン|ウェブ会議|videoconferenc|video conferenc|virtually|virtual format|online", re.I
)
ALIAS_PAREN = re.compile(r"[(（]\s*(?:以下|hereinafter)")

# --- Statements and predicates -------------------------------------------------------------------------

OPEN, CLOSE = "(（「『[【", ")）」』]】"
SENTENCE_MARK = re.compile(r"[(（「『\[【)）」』\]】。.\n]")
BULLET_START = re.compile(r"[ \t\u3000]*(?:[•➢◆⚫■◼●✓・※→⇒◇○〇▲\-–*]|\(?\d{1,2}[.)）]|[（(]\d{1,2}[)）])")
EN_ABBREVIATIONS = frozenset(
    "mr mrs ms dr h.e st no nov dec jan feb mar apr jun jul aug sep sept oct a.m p.m u.s e.g i.e jr co ltd inc vs".split()
)
JA_HELD = re.compile(
    r"(?:開催|実施)(?:され(?:ました|ます|た|る)?|する|した|しました|予定)?|開かれ(?:ました|た|る)?|行われ(?:ました|た|る)?"
    r"|催され(?:た|る)?"
)
JA_PAST = re.compile(
    r"開催され(?:た|まし)|開かれ|行われ(?:た|まし)|開催しました|was held|were held|took place|convened"
)
JA_SUBJECT = re.compile(
    r"(?:\s*[」』])?(?:\s*[(（][^()（）]{0,80}[)）])*(?:\s*及び[^、。が]{0,20}?)?\s*(?P<particle>が|は|も)"
)
JA_DIRECT_HELD = re.compile(
    r"(?:\s*[(（][^()（）]{0,80}[)）])*\s*初?開催(?:され(?:ました|た|る)?|予定|する|した)?(?:\s*[(（][^()（）]{1,40}[)）])?"
)
JA_HELD_BEFORE = re.compile(r"(?:において|で|にて)(?:開催|開かれ|行われ)(?:された|される|予定の|た|る)\s*[「『]?\s*\Z")
JA_OBJECT_HELD = re.compile(
    r"(?:\s*[」』])?(?:\s*[(（][^()（）]{0,80}[)）])*\s*を\s*(?:開催|開く|開いた|開き)(?:する|した|します|しました|予定)?"
)
JA_OBJECT_GAP = re.compile(
    r"\s*[に、]\s*[^、。「」]{0,20}?(?:で|において|にて)\s*[「『]?|\s*に\s*[「『]?"  # '<date>(に|、)<city>で M を開催'
)
JA_GAP_BEFORE = re.compile(
    r"\s*(?:(?P<no>の)|[に、]?\s*(?:[^、。]{0,20}?(?:で|において|にて)\s*)?(?:開催|実施|開かれ|行われ)"
    r"(?:された|される|する|予定の|た|る)|(?P<comma>、))?\s*[「『]?\s*"
)
JA_CUE_AFTER = re.compile(
    r"(?:\s*[」』])?(?:\s*[(（][^()（）]{0,80}[)）])*\s*"
    r"(?:において|にて|で|に出席|に参加|の際|に際し|が|は|の[^\s、。「」『』()（）]{1,15}?が\s*(?:開催|行われ|開かれ)|の冒頭|開催|[:：]|[(（]於)"
)
DATE_LEAD_END = re.compile(r"(?:\s*[(（][月火水木金土日](?:曜日?)?[)）])?(?:\s*[、,:：]|\s+|\s*\d{1,2}時|\s*午[前後])")
# A date that starts a period or a recurrence, or an approximate one, is not a meeting's date.
NOT_A_POINT = re.compile(r"\s*(?:から(?!\d)|以降|以来|まで|頃|ごろ|前後|毎)")
DATE_LEAD_TOPIC = re.compile(r"(?:には|に|は)、?\s*[「『]?")  # '10月には日ASEAN首脳会議が…'
JA_DAY_ONLY = re.compile(r"(?<![\d月年/])(?P<day>\d{1,2})日(?![間本目])")
JA_TODAY = re.compile(r"本日|今日")
JA_LOCATIVE_AFTER = re.compile(r"\s*(?:[)）]\s*)?(?:において|にて|で(?!は|も|の))")
# 東京・<district>, 東京都, <city>の<venue noun>で (a guest house, hall, hotel, centre…)
JA_CITY_AFTER = re.compile(
    r"・|都|市|府|県|の[^\s、。「」()（）]{0,12}?(?:館|場|ホール|ホテル|センター|宮殿|公邸|官邸|庁舎)\s*(?:で|において|にて)"
)
JA_PLACE_MARK_BEFORE = re.compile(r"於\s?[.．:：]?\s?\Z")
JA_ENCLOSED_BEFORE = re.compile(r"[(（](?:[^()（）、]{0,20}、)?\s*\Z")
JA_CLOSE_AFTER = re.compile(r"\s*[)）]")
ELLIPTICAL_HELD = re.compile(r"開催され(?=、|た[。、]|。|ました)")
YEAR_HEADING = re.compile(
    r"^[ \t\u3000]*(?:(?P<era>" + ERA + r")(?P<era_year>\d{1,2}|元)|(?P<year>\d{4})|(?P<short>\d{2}))年(?:度)?"
    r"[ \t\u3000]*[:：]?[ \t\u3000]*$",
    re.M,
)

EN_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)(?![a-z])"
)
EN_WHEN = re.compile(
    r"(?P<d1>\d{1,2})(?:st|nd|rd|th)?(?:\s*(?:-|–|to|and)\s*(?P<d2>\d{1,2})(?:st|nd|rd|th)?)?\s+(?P<m1>"
    + EN_MONTH
    + r")"
    r"(?:,?\s+(?P<y1>(?:19|20)\d{2})(?!\d))?"
    r"|(?P<m2>" + EN_MONTH + r")\s+(?P<d3>\d{1,2})(?!\d)(?:st|nd|rd|th)?(?:\s*(?:-|–|to)\s*(?P<d4>\d{1,2})(?!\d))?"
    r"(?:,\s*(?P<y2>(?:19|20)\d{2})(?!\d))?"
    r"|(?P<m3>" + EN_MONTH + r")\s+(?P<y3>(?:19|20)\d{2})(?!\d)"
    r"|(?P<y4>(?:19|20)\d{2})(?![\d%])"
    r"|(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    r"|(?P<rel>today|next year|this year|last year)"
    r"|(?P<m5>" + EN_MONTH + r")(?:\s+(?P<rel5>next year|this year|last year))?"
)
EN_MONTHS = {
    k: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for k in names
}
RELATIVE_YEARS = {"本年": 0, "今年": 0, "昨年": -1, "去年": -1, "来年": 1}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
EN_INSERTION = re.compile(r",\s[^;]{1,200}?,\s+(?=(?:was|were|is|are|will|has|had)\b)")
EN_VERB = re.compile(
    r"\s*,?\s+(?:(?:which|that)\s+)?(?:(?:was|were|is|are|will be|would be|to be|has been|had been|being)\s+)?"
    r"(?P<verb>held|convened|hosted|organi[sz]ed|took place|takes place|will take place|opened)\b"
)
EN_MANNER = re.compile(
    r"\s+(?:virtually|online|via video ?conferenc(?:e|ing)|by video ?conferenc(?:e|ing)|in (?:a )?virtual format)\b",
    re.I,
)
EN_PREP = re.compile(r"\s*,?\s*(?:(?P<prep>on|in|from|at|to|during)\s+)?")
EN_WITH = re.compile(
    r"\s+with\s+(?:the\s+)?(?:ASEAN|Japan|Mekong)(?:\s+(?:countries|nations|member states|leaders))?\b"
)
EN_ON_DATE_LEAD = re.compile(r"(?:On|In)\s+")
EN_TAKING_PART = re.compile(
    r"\b(?:attended|attending|at|during|hosted|chaired|co-chaired|participated in)\s+(?:the\s+|a\s+)?\Z"
)
EN_HOST_BEFORE = re.compile(
    r"(?P<country>[A-Z][A-Za-z ]{2,30}?)\s+(?:will\s+host|hosts|hosted|to\s+host)\s+(?:a|an|the)\s+\Z"
)
EN_HOLD_BEFORE = re.compile(r"\b(?:hold|holds|held|host|hosts|hosted|convene|convenes|convened)\s+(?:the|a|an)\s+\Z")
PAREN_AFTER = re.compile(r"\s*[」』]?\s*[(（](?P<inner>[^()（）]{1,80})[)）]")
NEXT_WORD = re.compile(r"\s+([A-Z][a-z]+)")
COMMA = re.compile(r"\s*,")
WAS = re.compile(r"\b(?:was|were)\b")
DEFINITION_END = re.compile(r"(?:会議|会合)。\Z")
BRACKETED = re.compile(r"[(（][^)）]*[)）]")
CLOSING = re.compile(r"[)）]")
EN_PLACE_BEFORE = re.compile(r"\b(?:in|to|at)\s+\Z")
EN_ON_BEFORE = re.compile(r"\bon\s+\Z")
DATE_LABEL = re.compile(
    r"\b(?:date|updated|posted|published|released?|last|jst|gmt|utc|am|pm|a\.m|p\.m)\b"
    r"|日付|掲載日?|更新日?|発表日?|公開日?|配信日?|作成日?",
    re.I,
)
LETTER = re.compile(r"[^\W\d_]")
EN_DATELINE = re.compile(r"[A-Z][A-Z .'-]{2,30},\s*\Z")
EN_PAST = re.compile(r"\b(?:was|were)\s+(?:held|convened)|\btook place|\b(?:adopted|attended|met)\b")


@dataclass
class When:
    """A date a statement gives, resolved (date None when its year cannot be told)."""

    start: int
    end: int
    date: str | None
    end_date: str | None = None
    note: str | None = None


@dataclass
class Mention:
    """A meeting named in the text: its span, the meeting it names and how the name was read."""

    start: int
    end: int
    group: str  # ASEAN or MEKONG
    level: str  # summit, fm, forum, ministers:<kind>
    ordinal: int | None = None
    special: bool = False
    anniversary: int | None = None
    english: bool = False
    how: str = "name"  # name, generic (a special summit named without its partners), ordinal, elliptical
    name: str | None = None  # the name to write when not the span's text (an elliptical mention)


@dataclass
class Reading:
    """What a statement says about one mentioned meeting."""

    when: When | None = None
    places: list[Place] = field(default_factory=list)
    host: str | None = None
    online: bool = False
    held: bool = False
    span: tuple[int, int] = (0, 0)


class Context:
    """One document as this family reads it: its page date, year headings and sentences."""

    def __init__(self, src: Source):
        self.src = src
        self.text = src.folded
        self._dates: dict[tuple[int, int], list[When]] = {}
        self._line_ends: dict[int, bool] = {}
        self._cells: dict[int, tuple[list[int], list[tuple[int, int]]]] = {}

    @cached_property
    def _newlines(self) -> list[int]:
        return [m.start() for m in NEWLINE.finditer(self.text)]

    def line_of(self, pos: int) -> tuple[int, int]:
        """(start, end) of the line holding pos, without scanning the line."""
        i = bisect.bisect_left(self._newlines, pos)
        ls = self._newlines[i - 1] + 1 if i else 0
        le = self._newlines[i] if i < len(self._newlines) else len(self.text)
        return ls, le

    def cells(self, pos: int) -> tuple[list[int], list[tuple[int, int]]]:
        """(cell starts, trimmed cells) of the line holding pos (split by CELL_BREAK), computed once per line."""
        ls, le = self.line_of(pos)
        got = self._cells.get(ls)
        if got is None:
            cells, at = [], ls
            for brk in CELL_BREAK.finditer(self.text, ls, le):
                cells.append(self.src.trim(at, brk.start()))
                at = brk.end()
            cells.append(self.src.trim(at, le))
            got = self._cells[ls] = ([a for a, _ in cells], cells)
        return got

    # --- the page's own date and year headings ---------------------------------------------------------
    @cached_property
    def page_date(self) -> tuple[str | None, tuple[int, int] | None]:
        """The page's date: its published date, else a dateline near its top (a line that is a date, a
        date with a label or time, or 'CITY, date –')."""
        dateline = self._dateline
        if self.src.published:
            return self.src.published, dateline[1] if dateline[0] == self.src.published else None
        return dateline

    @cached_property
    def _dateline(self) -> tuple[str | None, tuple[int, int] | None]:
        """(date, span) of the first line near the top that is a date with its year (at least its month)."""
        head = min(len(self.text), 1500)
        for d in self.src.dates_in(0, head):
            if d.note is not None or len(d.date or "") < 7:
                continue
            ls = self.text.rfind("\n", 0, d.start) + 1
            le = self.text.find("\n", d.end)
            le = len(self.text) if le == -1 else le
            rest = DATE_LABEL.sub("", self.text[ls : d.start] + self.text[d.end : le])
            if not LETTER.search(rest) or EN_DATELINE.search(self.text, ls, d.start):
                return d.date, (d.start, d.end)
        return None, None

    @cached_property
    def reference_year(self) -> int | None:
        """The year two-digit years are read against: the page's date, else the latest year it states."""
        page, _ = self.page_date
        if page:
            return int(page[:4])
        years = [int(d.date[:4]) for d in self.src.dates if d.date]
        return max(years) if years else None

    @cached_property
    def year_headings(self) -> list[tuple[int, int, int]]:
        """(start, end, year) of every line that is a year alone ('97年:', '2003年', '平成15年')."""
        out = []
        for m in year_heading_lines(self.src):
            if m["short"]:
                ref = self.reference_year
                if ref is None:
                    continue
                # the nearest year ending in those digits: '97年' on a 2001 page is 1997, '03年' is 2003
                yy = int(m["short"])
                year = ref + (yy - ref + 50) % 100 - 50
            else:
                try:
                    year = year_from_match(m)
                except ValueError:
                    continue
            a, b = self.src.trim(m.start(), m.end())
            out.append((a, b, year))
        return out

    @cached_property
    def _heading_starts(self) -> list[int]:
        return [h[0] for h in self.year_headings]

    def heading_year(self, pos: int) -> tuple[int, int, int] | None:
        """The year heading governing pos: the last one before it on its slide."""
        i = bisect.bisect_right(self._heading_starts, pos) - 1
        if i < 0:
            return None
        h = self.year_headings[i]
        seg_a, _ = self.src.segment_of(pos)
        return h if h[0] >= seg_a else None

    def year_for(self, pos: int, month: int, day: int | None, past: bool) -> tuple[int | None, str]:
        """The year of a month (and day) stated without one: its year heading, else the page's date."""
        if h := self.heading_year(pos):
            return h[2], f"year from the heading {self.src.text[h[0] : h[1]]!r}"
        page, _ = self.page_date
        if page is None:
            return None, "year not stated and the page states no date"
        year = int(page[:4])
        if past and iso(year, month, day) > page[: len(iso(year, month, day))]:
            return year - 1, f"year from the page's date {page} (a past meeting, the year before)"
        return year, f"year from the page's date {page}"

    # --- sentences -------------------------------------------------------------------------------------
    def _line_ends_statement(self, nl: int) -> bool:
        """Whether the line break at nl ends a statement (remembered: sentences around mentions overlap)."""
        if nl not in self._line_ends:
            self._line_ends[nl] = self._line_break_ends(nl)
        return self._line_ends[nl]

    def _line_break_ends(self, nl: int) -> bool:
        text = self.text
        prev_start = text.rfind("\n", 0, nl) + 1
        prev = text[prev_start:nl].rstrip()
        nxt_end = text.find("\n", nl + 1)
        nxt = text[nl + 1 : nxt_end if nxt_end != -1 else len(text)]
        if not prev.strip() or not nxt.strip() or BULLET_START.match(nxt) and not nxt.lstrip()[:1].isdigit():
            return True
        if YEAR_HEADING.fullmatch(prev) or YEAR_HEADING.fullmatch(nxt):
            return True
        last = prev[-1]
        if last in "。.:：!?！？":
            return True
        if last in ",、" or self.src.language == "ja" and not self.src.is_paragraph_text:
            return False
        if self.src.is_paragraph_text and self.src.language == "ja":
            return True
        words = prev.split()
        return len(prev) < 60 and not (words and words[-1].isalpha() and words[-1].islower())

    def sentence(self, a: int, b: int) -> tuple[int, int]:
        """The sentence (or heading, or list item) around [a, b): '。' outside brackets, an English full
        stop, a blank line, a bullet, a line that ends a statement (at most 500 characters either side)."""
        text, n = self.text, len(self.text)
        lo, hi = max(0, a - 500), min(n, b + 500)
        s, depth = lo, 0
        for m in reversed(list(SENTENCE_MARK.finditer(text, lo, a))):
            c, i = m[0], m.start()
            if c in CLOSE:
                depth += 1
            elif c in OPEN:
                depth = max(0, depth - 1)
            elif (
                c == "。" and depth == 0 or c == "." and self._en_stop(i) or c == "\n" and self._line_ends_statement(i)
            ):
                s = i + 1
                break
        e, depth = hi, 0
        for m in SENTENCE_MARK.finditer(text, b, hi):
            c, i = m[0], m.start()
            if c in OPEN:
                depth += 1
            elif c in CLOSE:
                depth = max(0, depth - 1)
            elif c == "。" and depth == 0 or c == "." and self._en_stop(i):
                e = i + 1
                break
            elif c == "\n" and self._line_ends_statement(i):
                e = i
                break
        return self.src.trim(s, e)

    def _en_stop(self, i: int) -> bool:
        """Whether the full stop at i ends an English sentence (not an abbreviation, a decimal point)."""
        text = self.text
        if i + 1 < len(text) and not text[i + 1].isspace():
            return False
        j = i + 1
        while j < len(text) and text[j] in " \t":
            j += 1
        if j < len(text) and text[j] != "\n" and not (text[j].isupper() or text[j].isdigit() or text[j] in "“\"(‘'"):
            return False
        w = i
        while w > 0 and (text[w - 1].isalpha() or text[w - 1] == "."):
            w -= 1
        word = text[w:i].lower()
        return not (word in EN_ABBREVIATIONS or len(word) == 1 and word.isalpha())

    # --- dates -----------------------------------------------------------------------------------------
    def dates(self, s: int, e: int) -> list[When]:
        """Every date the text [s, e) states (Japanese), its year resolved as the module says."""
        key = (s, e)
        if key not in self._dates:
            self._dates[key] = self._scan_dates(s, e)
        return self._dates[key]

    def _scan_dates(self, s: int, e: int) -> list[When]:
        text, out = self.text, []
        covered: list[tuple[int, int]] = []
        past = bool(JA_PAST.search(text, s, e))
        stated = {d.start: d for d in self.src.dates_in(s, e)}
        for m in self.src.scan(JP_DATE_EXPR, also=JP_DATE_LEADS, a=s, b=e, followed_by=JP_DATE_NUMBER_ENDS):
            d = stated.get(m.start())
            if m["md_month"] and not m["rel"] and (d is None or _year_from_slide(d.note)):
                month, day = int(m["md_month"]), int(m["md_day"]) if m["md_day"] else None
                end = m.end()
                try:  # a month 13 or a 30 February is no date: skipped, never corrected
                    year, note = self.year_for(m.start(), month, day, past)
                    if year is None and d is not None and d.date:
                        year, note = int(d.date[:4]), d.note or ""
                    date = iso(year, month, day)
                    end_date = _ja_end(m, year, month) if year else None
                except ValueError:
                    continue
                if m["range"] and not end_date:
                    end = m.start("range")
                out.append(When(m.start(), end, date, end_date, note))
                covered.append((m.start(), end))
            elif d is not None:
                out.append(When(d.start, d.end, d.date, d.end_date, d.note))
                covered.append((d.start, d.end))
            elif m["rel"] in RELATIVE_YEARS and m["md_month"] and (page := self.page_date[0]):
                year = int(page[:4]) + RELATIVE_YEARS[m["rel"]]
                try:
                    date = iso(year, int(m["md_month"]), int(m["md_day"]) if m["md_day"] else None)
                except ValueError:
                    continue
                out.append(When(m.start(), m.end(), date, None, f"year from '{m['rel']}' and the page's date {page}"))
                covered.append((m.start(), m.end()))
        for m in JA_DAY_ONLY.finditer(text, s, e):
            if any(a <= m.start() < b for a, b in covered):
                continue
            date, note = self._day_only(int(m["day"]))
            out.append(When(m.start(), m.end(), date, None, note))
        for m in JA_TODAY.finditer(text, s, e):
            page, _ = self.page_date
            out.append(When(m.start(), m.end(), page if page and len(page) == 10 else None, None, "the page's date"))
        return sorted(out, key=lambda w: w.start)

    def _day_only(self, day: int) -> tuple[str | None, str]:
        """A day stated alone ('21日午前'): the same day stated in full on the page, else the page's date."""
        full = {d.date for d in self.src.dates if d.date and len(d.date) == 10 and int(d.date[8:]) == day}
        if len(full) == 1:
            return next(iter(full)), "month and year of the same day stated in full on the page"
        page, _ = self.page_date
        if page and len(page) == 10:
            y, mo, pd = int(page[:4]), int(page[5:7]), int(page[8:])
            if day > pd:
                y, mo = (y, mo - 1) if mo > 1 else (y - 1, 12)
            try:
                return iso(y, mo, day), f"month and year from the page's date {page}"
            except ValueError:
                return None, "not a valid date"
        return None, "a day with no month or year in its context"

    def en_when(self, m: re.Match, past: bool) -> When:
        """An English date matched by EN_WHEN, its missing year from the page's date."""
        page, _ = self.page_date
        note = None
        if m["wd"]:
            if not page or len(page) < 10:
                return When(m.start(), m.end(), None, note="a weekday and the page states no date")
            ref = dt.date.fromisoformat(page)
            target = WEEKDAYS.index(m["wd"].lower())
            back = (ref.weekday() - target) % 7
            day = ref - dt.timedelta(days=back) if past else ref + dt.timedelta(days=(target - ref.weekday()) % 7)
            return When(m.start(), m.end(), day.isoformat(), note=f"the {m['wd']} of the page's date {page} (year)")
        if m["rel"]:
            rel = m["rel"].lower()
            if not page:
                return When(m.start(), m.end(), None, note=f"'{rel}' and the page states no date")
            if rel == "today":
                return When(m.start(), m.end(), page, note=f"'today': the page's date {page} (year)")
            year = int(page[:4]) + {"next year": 1, "this year": 0, "last year": -1}[rel]
            return When(m.start(), m.end(), iso(year), note=f"year from '{rel}' and the page's date {page}")
        if m["y4"]:
            return When(m.start(), m.end(), m["y4"])
        if m["m3"]:
            return When(m.start(), m.end(), iso(int(m["y3"]), _month(m["m3"])))
        if m["m5"]:
            month = _month(m["m5"])
            if m["rel5"]:
                if not page:
                    return When(m.start(), m.end(), None, note="a relative year and the page states no date")
                year = int(page[:4]) + {"next year": 1, "this year": 0, "last year": -1}[m["rel5"].lower()]
                return When(m.start(), m.end(), iso(year, month), note=f"year from '{m['rel5']}' and the page's date")
            y, note = self._en_year(month, None, past)
            return When(m.start(), m.end(), iso(y, month) if y else None, note=note)
        month = _month(m["m1"] or m["m2"])
        d1, d2 = (m["d1"], m["d2"]) if m["m1"] else (m["d3"], m["d4"])
        year_text = m["y1"] or m["y2"]
        if year_text:
            year = int(year_text)
        else:
            y, note = self._en_year(month, int(d1), past)
            if y is None:
                return When(m.start(), m.end(), None, note=note)
            year = y
        try:
            return When(m.start(), m.end(), iso(year, month, int(d1)), iso(year, month, int(d2)) if d2 else None, note)
        except ValueError:
            return When(m.start(), m.end(), None, note="not a valid date")

    def _en_year(self, month: int, day: int | None, past: bool) -> tuple[int | None, str | None]:
        page, _ = self.page_date
        if not page:
            return None, "year not stated and the page states no date"
        year = int(page[:4])
        try:
            stated = iso(year, month, day)
        except ValueError:  # 31 April, 32 March: no date in any year, refused by the caller's iso
            return year, f"year from the page's date {page}"
        if past and stated > page[: len(stated)]:
            return year - 1, f"year from the page's date {page} (a past meeting, the year before)"
        return year, f"year from the page's date {page}"


def year_heading_lines(src: Source):
    """YEAR_HEADING.finditer(folded), tried only on the lines that state a year."""
    return src.match_lines(YEAR_HEADING, src.candidate_starts(ERA_LEADS, followed_by=YEAR_MARK))


def _month(name: str) -> int:
    return EN_MONTHS[name.rstrip(".").lower()]


def _year_from_slide(note: str | None) -> bool:
    """Whether src.dates took a date's year from the slide's only year (a year heading or the page's
    date says better)."""
    return note is not None and ("only year stated" in note or "slide it continues" in note)


def _ja_end(m: re.Match, year: int, month: int) -> str | None:
    if not m["range"]:
        return None
    if m["e_m"]:
        return iso(year, int(m["e_m"]), int(m["e_md"]) if m["e_md"] else None)
    if m["e_d"]:
        return iso(year, month, int(m["e_d"]))
    return None


# --- Finding meetings ----------------------------------------------------------------------------------


def _ja_level(level: str, qual: str) -> str:
    if level.startswith("首脳"):
        return "summit"
    if level.startswith("外相") or level.startswith("外務大臣"):
        return "fm"
    if level == "フォーラム":
        return "forum"
    kind = re.sub(r"\d+\s?周年|特別|友好協力|記念", "", qual)
    return "ministers:" + kind


def _en_level(level: str, words: list[str]) -> str | None:
    lowered = [w.lower() for w in words]
    if any(w in EN_NOT_A_MEETING for w in lowered):
        return None
    level = level.lower()
    if level == "forum":
        return "forum" if not words else None
    if level == "summit" or "summit" in lowered:
        return "summit"
    if not any(w in EN_MINISTER_WORDS for w in lowered):
        return None
    if "leaders" in lowered or "leaders'" in lowered or "leaders’" in lowered:
        return "summit"
    if "foreign" in lowered:
        return "fm"
    kind = " ".join(w for w in lowered if w not in EN_MINISTER_WORDS and w not in EN_SPECIAL_WORDS)
    return "ministers:" + kind


def _ordinal(text: str | None) -> int | None:
    if not text:
        return None
    if m := re.search(r"\d+", text):
        return int(m[0])
    words = EN_ORDINAL.split("|")[1:]
    t = text.lower()
    return words.index(t) + 1 if t in words else None


def find_mentions(ctx: Context) -> MentionList:
    """Every Japan–ASEAN or Japan–Mekong meeting named in the document, in order; found from the
    meeting-type words (会議, Summit …), read backwards over the name."""
    text, src = ctx.text, ctx.src
    out: list[Mention] = []
    for k in JA_KEYWORD.finditer(text):
        ws = max(0, k.start() - 45)
        # The name starts a few characters before its partner's name (第12回日本・メコン…): search from there.
        pair = max(text.rfind(p, ws, k.start()) for p in ("ASEAN", "メコン", "アセアン"))
        if pair != -1 and (m := JA_NAME.search(text, max(ws, pair - 12), k.end())):
            if NOT_JAPAN_ASEAN.search(m["qual"]) or "首脳" in m["qual"] or m["level"] == "フォーラム" and m["qual"]:
                continue
            start = m.start("prefix") if m["prefix"] else m.start()
            ann = ANNIVERSARY_JA.search(m["qual"])
            out.append(
                Mention(
                    start,
                    m.end(),
                    "MEKONG" if (m["g1"] or m["g2"]) == "メコン" else "ASEAN",
                    _ja_level(m["level"], m["qual"]),
                    _ordinal(m["prefix"]),
                    "特別" in m[0] or "記念" in m[0],
                    int(ann["n"]) if ann else None,
                )
            )
        elif text.endswith(("特別首脳会議", "記念首脳会議"), ws, k.end()) and (
            m := JA_GENERIC.search(text, k.start() - 14 if k.start() >= 14 else 0, k.end())
        ):
            out.append(Mention(m.start(), m.end(), "", "summit", special=True, how="generic"))
        elif "回" in text[max(0, k.start() - 3) : k.start()] and (m := JA_ORDINAL_REF.search(text, ws, k.end())):
            out.append(Mention(m.start(), m.end(), "", "", _ordinal(m["prefix"]), how="ordinal"))
    for k in EN_KEYWORD.finditer(src.lowered):
        after = text[k.end() : k.end() + 1]
        if after.isalpha() or k.start() > 0 and text[k.start() - 1].isalpha():
            continue
        ws = max(0, k.start() - 90)
        if src.lowered.startswith("summit", k.start()) and (tail := EN_SUMMIT_OF.match(text, k.end())):
            lead = EN_LEAD_WORDS.search(text, max(0, k.start() - 40), k.start())
            start = lead.start() if lead and lead[0] else k.start()
            group = (tail["g1"] or tail["g2"]).upper()
            special = bool(lead and lead["pre"]) or bool(FIFTIETH.search(text, k.end(), tail.end()))
            if special or (lead and lead["ord"]):
                ordinal = _ordinal(lead["ord"]) if lead else None
                out.append(Mention(start, tail.end(), group, "summit", ordinal, special, english=True))
                continue
        if "japan" in src.lowered[ws : k.start()] and (m := EN_NAME.search(text, ws, k.end())):
            words = m["qual"].split()
            level = _en_level(m["level"], words)
            if level is None:
                continue
            group = (m["g1"] or m["g2"]).upper()
            lowered = {w.lower() for w in words} | ({m["pre"].lower()} if m["pre"] else set())
            out.append(
                Mention(
                    m.start(),
                    m.end(),
                    "MEKONG" if group == "MEKONG" else "ASEAN",
                    level,
                    _ordinal(m["ord"]),
                    bool(lowered & EN_SPECIAL_WORDS),
                    english=True,
                )
            )
        elif m := EN_GENERIC.search(text, ws, k.end()):
            out.append(Mention(m.start(), m.end(), "", "summit", special=True, english=True, how="generic"))
    out.sort(key=lambda x: (x.start, -x.end))
    # Of overlapping mentions ('Summit' and 'Summit Meeting'), the longest.
    kept: list[Mention] = []
    for x in out:
        if kept and x.start < kept[-1].end:
            if x.end - x.start > kept[-1].end - kept[-1].start:
                kept[-1] = x
            continue
        kept.append(x)
    out = kept
    # A name repeated as the alias of the one before it ('(以下「日ASEAN外相会議」という。)') is not a mention.
    return MentionList(x for x in out if not _in_alias(text, x.start))


class MentionList(list[Mention]):
    """The page's mentions, sorted and not overlapping, with lookups by position (no scan of the list, so a
    long statement naming many meetings stays linear)."""

    @cached_property
    def starts(self) -> list[int]:
        return [x.start for x in self]

    def within(self, s: int, e: int) -> list[Mention]:
        return self[bisect.bisect_left(self.starts, s) : bisect.bisect_left(self.starts, e)]

    def covers(self, pos: int) -> bool:
        i = bisect.bisect_right(self.starts, pos) - 1
        return i >= 0 and pos < self[i].end


def _in_alias(text: str, pos: int) -> bool:
    open_at = max(text.rfind("(", max(0, pos - 15), pos), text.rfind("（", max(0, pos - 15), pos))
    return open_at != -1 and bool(ALIAS_PAREN.match(text, open_at)) and not CLOSING.search(text, open_at, pos)


def _japan_and_partner(text: str, s: int, e: int) -> str | None:
    """The partner group when the sentence names Japan with ASEAN or the Mekong countries (and nobody else)."""
    sentence = text[s:e]
    if not JAPAN_WORD.search(sentence) or NOT_JAPAN_ASEAN.search(sentence.replace("ASEAN", "")):
        return None
    if m := PARTNER_WORD.search(sentence):
        return "MEKONG" if m[0] in ("メコン", "Mekong") else "ASEAN"
    return None


# --- Reading a statement -------------------------------------------------------------------------------


def _paren_after(text: str, pos: int) -> tuple[int, int] | None:
    m = PAREN_AFTER.match(text, pos)
    return (m.start("inner"), m.end("inner")) if m else None


def _ja_places(text: str, places: list[Place], mentions: MentionList) -> list[Place]:
    """The places stated as where something is: 東京で, 東京において, 迎賓館(東京), 於東京, (2009年7月、東京),
    大阪・中之島 (a city), 大阪の国際会議場で, never a place inside a meeting's name (日本・メコン…)."""
    out = []
    for p in places:
        if mentions.covers(p.start):
            continue
        if (
            p.kind == "venue"
            or JA_LOCATIVE_AFTER.match(text, p.end)
            or p.kind == "city"
            and JA_CITY_AFTER.match(text, p.end)
            or JA_PLACE_MARK_BEFORE.search(text, max(0, p.start - 3), p.start)
            or JA_ENCLOSED_BEFORE.search(text, max(0, p.start - 30), p.start)
            and JA_CLOSE_AFTER.match(text, p.end)
        ):
            out.append(p)
    return out


def _en_place_ok(text: str, p: Place) -> bool:
    """An English place is where something is: 'in Tokyo', 'to Tokyo', 'Manila, Philippines' — not
    the start of a longer name ('Tokyo Strategy')."""
    if p.kind == "venue":
        return True
    nxt = NEXT_WORD.match(text, p.end)
    if nxt and not country_code(nxt[1]):
        return False
    return bool(EN_PLACE_BEFORE.search(text[max(0, p.start - 4) : p.start])) or text[p.end : p.end + 1] == ","


def read_ja(ctx: Context, m: Mention, s: int, e: int, mentions: MentionList) -> Reading:
    text = ctx.text
    r = Reading(span=(m.start, m.end))
    dates = [d for d in ctx.dates(s, e) if not NOT_A_POINT.match(text, d.end)]
    region_a, region_b = m.start, m.end
    # 'M（2009年7月、プーケット）' / 'M（於東京）'
    paren = _paren_after(text, m.end)
    if paren and not ALIAS_PAREN.match(text, paren[0] - 1):
        inside = [d for d in dates if paren[0] <= d.start < paren[1]]
        if inside:
            r.when = inside[0]
        region_b = max(region_b, paren[1] + 1)
        in_paren = [p for p in places_in(text, paren[0], paren[1]) if not mentions.covers(p.start)]
        if len({p.code for p in in_paren}) == 1:  # one place; a list of countries is a list of members
            r.places = in_paren
    # '<date>の M', '<date>に開催された M', '<date> M'
    before = [d for d in dates if d.end <= m.start]
    if r.when is None and before:
        d = before[-1]
        gap = JA_GAP_BEFORE.fullmatch(text, d.end, m.start)
        if gap and (not gap["comma"] or JA_CUE_AFTER.match(text, m.end)):
            r.when, region_a = d, d.start
    # 'M開催（バンコク）' in a list
    if direct := JA_DIRECT_HELD.match(text, m.end, e):
        r.held = True
        region_b = max(region_b, direct.end())
    # '<date>に<city>で M を開催する'
    if obj := JA_OBJECT_HELD.match(text, m.end, e):
        r.held = True
        region_b = max(region_b, obj.end())
        if r.when is None and before and JA_OBJECT_GAP.fullmatch(text, before[-1].end, m.start):
            r.when, region_a = before[-1], before[-1].start
    # 'M が、<date>、…<city>で開催された'
    subject = JA_SUBJECT.match(text, m.end)
    if subject:
        verb = JA_HELD.search(text, subject.end(), e)
        if verb:
            r.held = True
            region_b = max(region_b, verb.end())
            if r.when is None:
                between = [d for d in dates if subject.end() <= d.start < verb.start()]
                if between:
                    r.when = between[0]
    # '<date>(曜日)、…M において/が開催…': a date leading the sentence is the first meeting's
    if r.when is None:
        content = _content_start(text, s)
        lead = next((d for d in dates if d.start == content), None)
        first = next(iter(mentions.within(s, e)), None)
        if (
            lead
            and first is m
            and (DATE_LEAD_END.match(text, lead.end) or DATE_LEAD_TOPIC.fullmatch(text, lead.end, m.start))
            and not any(lead.end <= d.start < m.start for d in dates)
            and JA_CUE_AFTER.match(text, m.end)
        ):
            r.when, region_a = lead, lead.start
            verb = JA_HELD.search(text, m.end, e)
            if verb:
                r.held = True
                region_b = max(region_b, verb.end())
    # '<city>で開催された M'
    if not r.places and (held_before := JA_HELD_BEFORE.search(text, max(s, m.start - 12), m.start)):
        places = [p for p in places_in(text, max(s, held_before.start() - 30), held_before.start())]
        if places and places[-1].end == held_before.start():
            r.places, region_a = places[-1:], min(region_a, places[-1].start)
    # A heading naming the meeting above a line '<date>、<city>'
    if r.when is None and not r.places:
        line_end = text.find("\n", m.end)
        if line_end != -1 and not text[m.end : line_end].strip():
            nxt_end = text.find("\n", line_end + 1)
            cell = ctx.src.trim(line_end + 1, len(text) if nxt_end == -1 else nxt_end)
            if found := date_and_place(ctx, cell[0], cell[1], False):
                r.when, r.places = found
                region_b = max(region_b, cell[1])
    if ONLINE.search(text, region_a, region_b) or (paren and ONLINE.search(text, paren[0], paren[1])):
        r.online = True
    # Places in the statement's part about this meeting (the whole sentence when it names no other).
    alone = len(mentions.within(s, e)) == 1
    if not r.places:
        r.places = _ja_places(text, places_in(text, region_a, region_b), mentions)
    if not r.places and alone and r.when is not None and r.held:
        r.places = _ja_places(text, places_in(text, s, e), mentions)
    r.span = (min(region_a, r.when.start if r.when else region_a), region_b)
    return r


def _content_start(text: str, s: int) -> int:
    m = BULLET_START.match(text, s)
    pos = m.end() if m else s
    while pos < len(text) and text[pos] in " \t\u3000":
        pos += 1
    return pos


def read_en(ctx: Context, m: Mention, s: int, e: int, mentions: MentionList) -> Reading:
    text = ctx.text
    r = Reading(span=(m.start, m.end))
    past = bool(EN_PAST.search(text, s, e))
    pos = m.end
    if verb := EN_VERB.match(text, pos, e) or (
        (ins := EN_INSERTION.match(text, pos, e)) and EN_VERB.match(text, ins.end() - 1, e)
    ):
        r.held, pos = True, verb.end()
    if manner := EN_MANNER.match(text, pos, e):
        r.online, pos = True, manner.end()
    if w := EN_WITH.match(text, pos, e):
        pos = w.end()
    end = pos
    # 'M, 3 August 2032, Port Lumen' / 'M, Port Lumen, 3 August 2032': the rest of its line, after a comma
    if not r.held and (comma := COMMA.match(text, m.end, e)):
        line_end = text.find("\n", comma.end())
        rest_a, rest_b = ctx.src.trim(comma.end(), min(e, len(text) if line_end == -1 else line_end))
        if stated := date_and_place(ctx, rest_a, rest_b, past):
            r.when, r.places = stated
            pos = end = rest_b
    for _ in range(4 if r.when is None else 0):
        prep = EN_PREP.match(text, pos, e)
        if prep is None:
            break
        at = prep.end()
        word = prep["prep"]
        if word in (None, "on", "in", "from", "during") and (d := EN_WHEN.match(text, at, e)):
            if word is None and not (d["rel"] or d["wd"]) or word == "from" and not (d["d1"] or d["d3"]):
                break
            if r.when is None:
                r.when = ctx.en_when(d, past or r.held and _past_verb(text, m.end, d.start()))
            pos = end = d.end()
            continue
        if word in ("in", "at", "to", None):
            found = [p for p in places_in(text, at, min(e, at + 40)) if p.start == at]
            if found and (word or text[prep.start() : at].strip() == ","):
                r.places.append(found[0])
                pos = end = found[0].end
                continue
            # a town the gazetteer does not know, then its country: keep the country and read on
            if word in ("in", "at") and not found and (town := EN_UNKNOWN_TOWN.match(text, at, e)):
                country = [p for p in places_in(text, town.end(), min(e, town.end() + 40)) if p.start == town.end()]
                if country and country[0].kind == "country":
                    r.places.append(country[0])
                    pos = end = country[0].end
                    continue
        break
    # 'On <date>, … the M was held'
    lead = _content_start(text, s)
    taking_part = EN_TAKING_PART.search(text, max(s, m.start - 30), m.start)
    if r.when is None and (r.held or taking_part) and (on := EN_ON_DATE_LEAD.match(text, lead)):
        d = EN_WHEN.match(text, on.end(), m.start)
        if d and COMMA.match(text, d.end()) and not mentions.within(s, m.start):
            r.when = ctx.en_when(d, past)
    # '… gathered in <city> on <date> for the M'
    if (
        r.when is None
        and not r.places
        and EN_FOR_BEFORE.search(text, max(s, m.start - 10), m.start)
        and EN_GATHERED.search(text, s, m.start)
        and not mentions.within(s, m.start)
    ):
        dates = [
            d for d in EN_WHEN.finditer(text, s, m.start) if _has_year(d) and EN_ON_BEFORE.search(text, s, d.start())
        ]
        places = [p for p in places_in(text, s, m.start) if EN_PLACE_BEFORE.search(text, max(s, p.start - 5), p.start)]
        if dates:
            r.when = ctx.en_when(dates[-1], past=True)
        if places:
            r.places = places[-1:]
    # 'M (Tokyo, 14 December 2013)' / a heading naming the meeting above a line '<date>, <city>, <country>'
    if r.when is None and not r.places:
        paren = PAREN_AFTER.match(text, m.end, e)
        line_end = text.find("\n", m.end)
        cell: tuple[int, int] | None = None
        if paren:
            cell = (paren.start("inner"), paren.end("inner"))
        elif line_end != -1 and not text[m.end : line_end].strip(" .:"):
            nxt_end = text.find("\n", line_end + 1)
            cell = ctx.src.trim(line_end + 1, len(text) if nxt_end == -1 else nxt_end)
        if cell and (in_cell := date_and_place(ctx, cell[0], cell[1], past, need_date=not paren)):
            r.when, r.places = in_cell
            end = cell[1] + (1 if paren else 0)
    # 'November 2019: 22nd ASEAN-Japan Summit' — a list item led by its date
    lead_date = EN_WHEN.match(text, lead)
    if r.when is None and lead_date and _has_year(lead_date) and (sep := LIST_SEP.match(text, lead_date.end())):
        if sep.end() == m.start or text[sep.end() : m.start].strip().lower() in ("the", ""):
            r.when = ctx.en_when(lead_date, past)
    # 'Japan will host a special summit …' / '… to Tokyo and hold the Commemorative Summit'
    if host := EN_HOST_BEFORE.search(text, max(s, m.start - 60), m.start):
        code = country_code(host["country"].split()[-1])
        if code and len(code) == 3:
            r.host = code
            r.span = (host.start(), r.span[1])
    if not r.places and EN_HOLD_BEFORE.search(text, max(s, m.start - 30), m.start):
        before = [p for p in places_in(text, s, m.start) if p.kind == "city" and _en_place_ok(text, p)]
        if before:
            r.places = before[-1:]
    if r.when is not None and r.when.note and r.when.note.startswith("'today'"):
        _, page_span = ctx.page_date
        if page_span and s <= page_span[0] < m.start:
            r.span = (page_span[0], r.span[1])
    a = min([r.span[0], m.start] + ([r.when.start] if r.when else []) + [p.start for p in r.places])
    b = max([r.span[1], end] + ([r.when.end] if r.when else []) + [p.end for p in r.places])
    r.span = (a, b)
    return r


CELL_BREAK = re.compile(r"\t+|[ \u3000]{2,}|\s*[|｜]\s*")
NEWLINE = re.compile("\n")
ROW_REACH = 4  # cells either side of the meeting's cell that may hold its date or place
CELL_FILLER = re.compile(r"[\s,、・:：–—\-]*(?:the\s+(?:Republic|Kingdom)\s+of\s+)?[\s,、・:：–—\-]*")
LIST_SEP = re.compile(r"\s*[:：–—]\s*|\s+-\s+")
PLACE_CELL_FILLER = re.compile(r"[\s・、,()（）於:：]*")


def read_row(ctx: Context, m: Mention, r: Reading) -> None:
    """A table row: the meeting's name in one cell, its date in another, its place in a third (cells split
    by tabs, runs of spaces or bars). The line is split once; only the few cells either side of the
    mention's cell are read (a line of text without line breaks is not one table row)."""
    text = ctx.text
    starts, line_cells = ctx.cells(m.start)
    if len(line_cells) < 2:
        return
    at = bisect.bisect_right(starts, m.start) - 1
    near = line_cells[max(0, at - ROW_REACH) : at + ROW_REACH + 1]
    cells = [(a, b) for a, b in near if a < b and not (a <= m.start < b)]
    if not cells:
        return
    for a, b in cells:
        if r.when is None:
            ja = [d for d in ctx.dates(a, b) if d.start == a and d.end == b]
            en = EN_WHEN.fullmatch(text, a, b)
            if ja:
                r.when = ja[0]
            elif en and not (en["wd"] or en["rel"]):
                r.when = ctx.en_when(en, past=True)
            if r.when is not None:
                r.span = (min(r.span[0], a), max(r.span[1], b))
                continue
        if not r.places:
            places = places_in(text, a, b)
            rest = text[a:b]
            for p in places:
                rest = rest.replace(p.text, "")
            if places and PLACE_CELL_FILLER.fullmatch(rest):
                r.places = places
                r.span = (min(r.span[0], a), max(r.span[1], b))


def _has_year(m: re.Match) -> bool:
    return bool(m["y1"] or m["y2"] or m["y3"] or m["y4"])


def date_and_place(
    ctx: Context, a: int, b: int, past: bool, need_date: bool = True
) -> tuple[When | None, list[Place]] | None:
    """A cell or bracket that holds only a place and a date with its year, in either order
    ('Tokyo, 14 December 2013', '13 November 2017, Manila, Philippines', '2019年11月、バンコク'), or (unless
    need_date) a place alone: (date or None, places)."""
    text = ctx.text
    places = places_in(text, a, b)
    if not places or len({p.code for p in places}) != 1:
        return None
    ja = [d for d in ctx.dates(a, b) if d.date][:1]
    en = [] if ja else [d for d in EN_WHEN.finditer(text, a, b) if _has_year(d)][:1]
    spans = [(p.start, p.end) for p in places] + [d.span() for d in en] + [(d.start, d.end) for d in ja]
    rest = "".join(text[x:y] for x, y in _gaps(a, b, spans))
    if need_date and not (en or ja) or not CELL_FILLER.fullmatch(rest):
        return None
    when = ctx.en_when(en[0], past) if en else ja[0] if ja else None
    return when, places


def _gaps(a: int, b: int, spans: list[tuple[int, int]]):
    pos = a
    for x, y in sorted(spans):
        if x > pos:
            yield pos, x
        pos = max(pos, y)
    if pos < b:
        yield pos, b


def _past_verb(text: str, a: int, b: int) -> bool:
    return bool(WAS.search(text, a, b))


def _host_and_city(r: Reading) -> tuple[str | None, str | None, Place | None]:
    """(host country, city as written, the place that says so)."""
    if r.online:
        return None, None, None
    city = next((p for p in r.places if p.kind == "city"), None)
    country = next((p for p in r.places if p.kind == "country"), None)
    venue = next((p for p in r.places if p.kind == "venue"), None)
    if city:
        return city.code, city.text, city
    if country or venue:
        place = country or venue
        return place.code, None, place  # type: ignore[union-attr]
    return r.host, None, None


# --- Topics: the meeting a page or a list is about -----------------------------------------------------


def _heading_topic(ctx: Context, mentions: list[Mention], pos: int) -> Mention | None:
    """The last heading line before pos that is a meeting's name alone."""
    best = None
    for x in mentions:
        if x.start >= pos:
            break
        if x.how != "name":
            continue
        ls = ctx.text.rfind("\n", 0, x.start) + 1
        le = ctx.text.find("\n", x.end)
        le = len(ctx.text) if le == -1 else le
        if not ctx.text[ls : x.start].strip() and not BRACKETED.sub("", ctx.text[x.end : le]).strip():
            best = x
    return best


DEFINITION_LEVEL = re.compile(r"外相|外務大臣|首脳|経済大臣|閣僚|大臣")


def _definition_topic(ctx: Context, pos: int) -> tuple[str, str] | None:
    """(group, level) of a meeting that the paragraph's first sentence defines: '<partners>と日本の<ministers>が<topic>を話し合う会議。'"""
    text = ctx.text
    ps = text.rfind("\n\n", 0, pos)
    ps = 0 if ps == -1 else ps + 2
    first_end = text.find("。", ps, pos)
    if first_end == -1:
        return None
    first = text[ps : first_end + 1]
    if not DEFINITION_END.search(first):
        return None
    group = _japan_and_partner(text, ps, first_end)
    level = DEFINITION_LEVEL.search(first)
    if group is None or level is None:
        return None
    lv = level[0]
    return group, "summit" if lv == "首脳" else "fm" if lv in ("外相", "外務大臣") else "ministers:" + lv


def _elliptical(ctx: Context, mentions: list[Mention]) -> list[Mention]:
    """'10月、<another meeting>に際し開催され': held, with no subject named, in a list under a
    heading naming the page's meeting."""
    text, out = ctx.text, []
    for v in ELLIPTICAL_HELD.finditer(text):
        if v.start() == 0 or text[v.start() - 1] in "がはもを":
            continue
        s, _ = ctx.sentence(v.start(), v.end())
        if any(s <= x.start < v.start() for x in mentions):
            continue
        topic = _heading_topic(ctx, mentions, s)
        if topic is None or ctx.heading_year(s) is None:
            continue
        out.append(
            Mention(
                s,
                v.end(),
                topic.group,
                topic.level,
                special=topic.special,
                anniversary=topic.anniversary,
                how="elliptical",
                name=ctx.src.text[topic.start : topic.end],
            )
        )
    return out


# --- Rows ----------------------------------------------------------------------------------------------


def extract_meetings(src: Source, stated: Spans | None = None) -> dict[str, list[dict]]:
    ctx = Context(src)
    rows = _table_rows(src) + _statement_rows(ctx)
    return {"meetings": _dedupe(rows)}


def _statement_rows(ctx: Context) -> list[dict]:
    src, text = ctx.src, ctx.text
    mentions = find_mentions(ctx)
    named = [x for x in mentions if x.how != "ordinal"]
    candidates = mentions + _elliptical(ctx, named)
    out = []
    for m in candidates:
        if m.how == "elliptical":
            s, e = m.start, m.end
        else:
            s, e = ctx.sentence(m.start, m.end)
        if m.how == "generic":
            group = _japan_and_partner(text, s, e)
            if group is None:
                continue
            m.group = group
        if m.how == "ordinal":
            topic = _definition_topic(ctx, m.start)
            heading = _heading_topic(ctx, named, m.start)
            if topic is None and heading is None:
                continue
            m.group, m.level = topic if topic else (heading.group, heading.level)  # type: ignore[union-attr]
        if m.how == "elliptical":
            r = Reading(held=True, span=(m.start, m.end))
            dates = ctx.dates(s, e)
            if dates and dates[0].start == _content_start(text, s):
                r.when = dates[0]
            r.places = _ja_places(text, places_in(text, s, e), mentions)
        elif m.english:
            r = read_en(ctx, m, s, e, mentions)
        else:
            r = read_ja(ctx, m, s, e, mentions)
            if m.how == "ordinal" and not r.held:
                continue
        if (r.when is None or not r.places) and m.how == "name":
            read_row(ctx, m, r)
        notes = []
        # A meeting held under a year heading, its date stated nowhere else: the heading's year.
        if r.when is None and (r.held or m.how == "elliptical") and (h := ctx.heading_year(s)):
            if not text[h[1] : s].strip():
                r.when = When(h[0], h[1], iso(h[2]), note=f"year from the heading {src.text[h[0] : h[1]]!r}")
        host, city, place = _host_and_city(r)
        when = r.when
        if when is None and host is None and city is None:
            continue
        if when is not None and when.note:
            notes.append(when.note)
        a = min(r.span[0], m.start, when.start if when else m.start, place.start if place else m.start)
        b = max(r.span[1], m.end, when.end if when else m.end, place.end if place else m.end)
        if a > 0 and text[a - 1] in "「『" and a == m.start:
            a -= 1  # the opening quote of a quoted name
        if (
            b < len(text)
            and text[b] in ")）」』"
            and text[a:b].count(text[b]) < sum(text[a:b].count(o) for o in "(（「『")
        ):
            b += 1  # the closing bracket of a place or remark in brackets
        a, b = src.trim(a, b)
        if b - a > 400:
            a, b = src.clip(a, b, m.start, m.end)
        special = _is_special_50th(text, m, s, e)
        name = m.name or src.text[m.start : m.end]
        row = src.fact(
            a,
            b,
            notes,
            date=when.date if when else None,
            end_date=when.end_date if when else None,
            host_country=host,
            city=city,
            name=name,
            special_50th=special,
            recurrence=None,
        )
        row["_key"] = (m.group, m.level, m.special, m.anniversary, m.ordinal, r.held)
        out.append(row)
    return out


def _is_special_50th(text: str, m: Mention, s: int, e: int) -> bool:
    """A special (commemorative) summit that the text marks as the 50th anniversary's: in its name, or in
    its sentence when its name states no other anniversary."""
    if not m.special:
        return False
    if m.anniversary is not None:
        return m.anniversary == 50
    if FIFTIETH.search(text, m.start, m.end):
        return True
    other = [int(x["n"]) for x in ANNIVERSARY_JA.finditer(text, s, e)] + [
        int(x["n"]) for x in ANNIVERSARY_EN.finditer(text, s, e)
    ]
    return bool(FIFTIETH.search(text, s, e)) and all(n == 50 for n in other)


def _table_rows(src: Source) -> list[dict]:
    out = []
    for header in table_headers(src):
        row_re = _row_pattern(header[0])
        if row_re is None:
            continue
        header_end = header.end()
        seg_a, seg_b = src.segment_of(header_end)
        rows, caption = [], None
        mark: str | None = None
        for a, b in line_spans(src.folded, header_end, seg_b):
            line = src.folded[a:b]
            if r := row_re.match(line):
                rows.append([a, b, r])
            elif not rows and (legend := LEGEND.search(src.folded, a, min(seg_b, a + 40))):
                mark = mark or legend["mark"]
            elif (
                rows and line.strip() and not CAPTION_YEAR.search(line) and not (mark and line.strip().startswith(mark))
            ):
                rows[-1][1] = b  # a remark wrapped onto the next line
            elif rows and (c := CAPTION_YEAR.search(line)):
                caption = int(c["year"])
                break
        for a, b, r in rows:
            year, note = (caption, "year from the table caption") if caption else src.context_year(a)
            if year is None:
                src.skip(a, b, f"meeting row: {note}")
                continue
            rest = src.folded[a + r.start("rest") : b]
            special = mark is not None and mark in rest
            remark = remove_spaces(rest.replace(mark, "") if mark is not None else rest) or None
            host = country_code(r["host"])
            name = _original(src, a, r, "name")
            row = src.fact(
                a,
                b,
                [note] if note else [],
                date=iso(year, int(r["month"]), int(r["day"])),
                end_date=None,
                host_country=host if host and len(host) == 3 else None,
                city=_original(src, a, r, "city"),
                name=name,
                special_50th=special,
                recurrence=_recurrence(src, a + r.start("rest"), b, remark, mark),
            )
            row["_key"] = _name_key(fold_text(name or ""))
            out.append(row)
    return out


def table_headers(src: Source):
    """TABLE_HEADER.finditer(folded), tried only on the lines that name a date column."""
    return src.match_lines(TABLE_HEADER, [w.start() for w in TABLE_HEADER_WORD.finditer(src.folded)])


def _row_pattern(header: str) -> re.Pattern | None:
    """The pattern of the rows under a header naming a date, a place and a meeting column (in any order,
    other columns after them): the cells read in the header's order."""
    kinds = [TABLE_HEADER_WORDS[w] for w in header.split()]
    order = [k for k in kinds if k != "rest"]
    if sorted(order) != ["date", "name", "place"] or "rest" in kinds[: len(order)]:
        return None
    return re.compile(r"^\s*" + r"\s+".join(TABLE_CELLS[k] for k in order) + r"(?P<rest>.*)$")


def _name_key(name: str) -> tuple:
    m = JA_NAME.search(name + "")
    if not m:
        return ("", name, False, None, None, True)
    ann = ANNIVERSARY_JA.search(m["qual"])
    group = "MEKONG" if (m["g1"] or m["g2"]) == "メコン" else "ASEAN"
    special = "特別" in m[0] or "記念" in m[0]
    return (group, _ja_level(m["level"], m["qual"]), special, int(ann["n"]) if ann else None, None, True)


def _original(src: Source, offset: int, m: re.Match, group: str) -> str | None:
    if m[group] is None:
        return None
    return src.text[offset + m.start(group) : offset + m.end(group)]


def _recurrence(src: Source, a: int, b: int, remark: str | None, mark: str | None) -> str | None:
    """The remark as written, its line breaks removed (slides wrap a cell over lines)."""
    if not remark:
        return None
    text = src.text[a:b].replace(mark, "") if mark else src.text[a:b]
    return remove_spaces(text)


# --- One row per meeting -------------------------------------------------------------------------------


def _same_meeting(a: dict, b: dict) -> bool:
    ka, kb = a["_key"], b["_key"]
    if ka[:3] != kb[:3] or ka[0] == "":
        return False
    if None not in (ka[3], kb[3]) and ka[3] != kb[3] or None not in (ka[4], kb[4]) and ka[4] != kb[4]:
        return False
    da, db = a["date"], b["date"]
    if da and db and not (da.startswith(db) or db.startswith(da)):
        return False
    return all(not (a[c] and b[c] and a[c] != b[c]) for c in ("host_country", "city"))


def _fullness(row: dict) -> tuple:
    filled = sum(1 for c in ("date", "end_date", "host_country", "city") if row[c])
    return (filled, len(row["date"] or ""), row["_key"][5], -row["char_start"])


def _dedupe(rows: list[dict]) -> list[dict]:
    """One row per meeting: of the statements of one meeting (a headline and its body, a heading and its
    text, a list and a sentence), the fullest is kept; a meeting stated once per different date stays."""
    kept: list[dict] = []
    for row in sorted(rows, key=_fullness, reverse=True):
        if not any(_same_meeting(row, k) for k in kept) and not any(
            k["char_start"] < row["char_end"] and row["char_start"] < k["char_end"] and k["name"] == row["name"]
            for k in kept
        ):
            kept.append(row)
    for k in kept:
        del k["_key"]
    return sorted(kept, key=lambda r: r["char_start"])


FAMILY = Family("meetings", tables=("meetings",), extract=extract_meetings)
