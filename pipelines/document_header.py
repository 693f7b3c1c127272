"""The header of a page: its title, publisher and date as the page itself states them.

Belongs here: reading the first lines of a document as a page lays them out (a site's navigation
and breadcrumb, buttons and banners, section labels, the headline, the dateline, a field block such
as ``[Date]``/``[Source]``, the first paragraph of a press release), and the few statements further
on that name the page's publisher or date (an organisation beside a date, '情報提供：…', a copyright
line, 'As of …'). Japanese and English, era years included (through ``pipelines.normalize``).
Does not belong here: the facts the text states (``pipelines.extract``), reading files
(``pipelines.documents``).

The kinds of statement read, in order of trust:
- published: a labelled date ([Date], Date:, Posted on, 掲載日); a date beside the publisher's name;
  a date alone on a header line (2023年12月17日, 平成25年12月14日, November 22, 2015, 2023/12/17, with a
  weekday or a time of day); a date with its place (13 November 2017, Manila); a news dateline opening
  the first paragraph (JAKARTA, 27 May 2021 – …); a statement of when the page's content holds
  (※この情報は20XX年X月時点のものです; As of …) — each at the precision stated. A date inside a
  sentence or a caption, or glued to a page number, is not the page's date; a page that states none
  has none.
- title: a title field; else the headline nearest above the dateline (a wrapped headline joined, a
  subtitle in brackets kept); else the first headline after the navigation; else, on a dated page
  or a record without a headline, its first sentence.
- publisher: a source or publisher field; an organisation named beside the date; a credit line
  (情報提供：…); the site's name heading the page (alone, or first in its navigation bar); the
  organisation an 'About …' page is about; the organisation a press release's first sentence makes
  its subject (国際交流基金は、…します。); a wire agency in the dateline; a copyright line.
Only a bounded head of the text is read line by line; anything further is found from a literal (a
credit label, a copyright mark, an 'as of' word), so a 50 MB document costs little more than a page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines.normalize import (
    JP_DATE,
    MONTHS,
    fold_text,
    iso,
    parse_english_date,
    parse_japanese_date,
    year_from_match,
)

HEAD_CHARS = 4000  # a page's header lies in its first lines
HEAD_LINES = 40
PAIR_HEAD_CHARS = 1200  # a date/publisher pair further in belongs to one slide, not to the document
MAX_TITLE_CHARS = 300  # a longer line is a paragraph, not a title
MAX_PUBLISHER_CHARS = 80
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"  # where str.splitlines() breaks
LINE = re.compile("[^" + LINE_BREAKS + "]+")


@dataclass(frozen=True)
class Header:
    title: str | None
    publisher: str | None
    published: str | None


@dataclass(frozen=True)
class _Line:
    raw: str  # the line as written, stripped
    s: str  # the same folded (full-width forms to ASCII): same length
    blank_before: bool  # an empty line separates it from the line before


# --- Dates as a header states them ----------------------------------------------------------------

_EN_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_WEEKDAY_EN = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|Mon|Tue|Wed|Thu|Fri|Sat|Sun)\.?,?\s+"
_EN_DATE = (
    r"(?:" + _WEEKDAY_EN + r")?(?:"
    r"(?P<d1>\d{1,2})(?:st|nd|rd|th)?\s+(?P<m1>" + _EN_MONTH + r"),?\s+(?P<y1>(?:19|20)\d{2})"
    r"|(?P<m2>" + _EN_MONTH + r")\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y2>(?:19|20)\d{2})"
    r"|(?P<m3>" + _EN_MONTH + r"),?\s+(?P<y3>(?:19|20)\d{2}))"
)
_NUM_DATE = r"(?P<ny>(?:19|20)\d{2})(?P<sep>[-/.])(?P<nm>\d{1,2})(?P=sep)(?P<nd>\d{1,2})"
_WEEKDAY_JA = r"(?:\s*[(（][月火水木金土日](?:曜日?)?[)）])"
_DATE = r"(?:" + JP_DATE + _WEEKDAY_JA + r"?|" + _EN_DATE + r"|" + _NUM_DATE + _WEEKDAY_JA + r"?)"
_TIME = (
    r"(?:\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?(?:\s*(?:JST|GMT|UTC|ICT|WIB|SGT|[A-Z]{3}))?"
    r"|(?:午前|午後)?\d{1,2}時(?:\d{1,2}分)?)"
)
_DATE_ALONE = re.compile(r"(?:" + _TIME + r",?\s+)?" + _DATE + r"(?:,?\s+" + _TIME + r")?(?:\s*(?:発表|公表|掲載))?")
_DATE_LABEL = (
    r"(?:\[\s*(?:Date|Dated|Published|日付|掲載日|公開日|発表日|発行日)\s*\]"
    r"|(?:Date|Dated|Posted(?:\s+on)?|Published(?:\s+on)?|Released(?:\s+on)?|Issued(?:\s+on)?)(?![A-Za-z])"
    r"|(?:日付|掲載日|公開日|発表日|発行日|配信日|公表日))\s*[:：]?\s*"
)
_LABELLED_DATE = re.compile(_DATE_LABEL + r"(?P<date>" + _DATE + r")(?:,?\s+" + _TIME + r")?", re.I)
_PLACE_WORD = r"(?!(?:Updated|Revised|Modified|Last|Posted|Published|Released|Issued|Date)\b)[A-Z][A-Za-z.'’\-]*"
_PLACE = _PLACE_WORD + r"(?:\s+" + _PLACE_WORD + r"){0,3}"
_DATE_PLACE = re.compile(_EN_DATE + r",\s*" + _PLACE + r"(?:,\s*" + _PLACE + r")?")
_PLACE_DATE = re.compile(_PLACE + r"(?:,\s*" + _PLACE + r")?,\s*" + _EN_DATE)
# JAKARTA, 27 May 2021 – … ; Tokyo, March 3, 2016 - … ; MANILA (Kyodo), 2 June 2023 -- …
_PARAGRAPH_DATELINE = re.compile(
    _PLACE
    + r"(?:\s*\((?P<agency>[A-Z][A-Za-z]+)\))?,\s*"
    + _EN_DATE
    + r"(?:\s*\((?P<agency2>[A-Z][A-Za-z]+)\))?\s*(?:[–—]|-{1,2})\s*"
)
# PHNOM PENH-- … ; TOKYO (Kyodo) - … : a news dateline without its date.
_PLACE_PREFIX = re.compile(
    r"[A-Z][A-Z.'’\-]+(?:\s+[A-Z][A-Z.'’\-]+){0,3}(?:\s*\((?P<agency>[A-Z][A-Za-z]+)\))?\s*(?:--|[–—]|\s-)\s*"
)
# ※本記事は2031年4月時点の情報です。 / 2031年4月現在 / As of 30 June 2022 / (Information as of March 2023)
_AS_OF_JA = re.compile(
    r"[※*]?\s*(?:(?:本|この|当)(?:内容|ページ|記事|資料|情報|サイト|データ|レポート)(?:の(?:内容|情報|掲載内容))?"
    r"(?:は|の内容は)\s*)?" + JP_DATE + r"\s*(?:時点|現在)"
    r"(?:の(?:情報|内容|もの|データ)(?:です|に基づきます|に基づいています|となります)?)?[。.]?"
)
_AS_OF_EN = re.compile(
    r"[(\[]?(?:(?:Information|Data|Content|Figures|This page(?: is)?|Current)\s+)?as\s+of\s+" + _EN_DATE + r"[)\]]?\.?",
    re.I,
)


def _iso_of(m: re.Match) -> str | None:
    """The ISO date, at the precision stated, of a match holding one of the date forms above."""
    g = m.groupdict()
    try:
        if g.get("ny"):
            return iso(int(g["ny"]), int(g["nm"]), int(g["nd"]))
        for y, mo, d in (("y1", "m1", "d1"), ("y2", "m2", "d2"), ("y3", "m3", "")):
            if g.get(y):
                month = MONTHS[g[mo].rstrip(".").lower()[:3]]
                return iso(int(g[y]), month, int(g[d]) if g.get(d) else None)
        if g.get("month") and (g.get("year") or g.get("era")):
            return iso(year_from_match(m), int(g["month"]), int(g["day"]) if g.get("day") else None)
    except (ValueError, KeyError):
        return None
    return None  # a year alone (2023年) heads a section, it does not date a page


def _line_date(s: str) -> tuple[str, str] | None:
    """(ISO date, the rest of the line) when a header line is a dateline: a date alone (with a
    weekday or a time), a labelled date (the rest may be the headline glued to it), or a date with
    its place. A date inside a sentence or after a page number is not a line's date."""
    if m := _DATE_ALONE.fullmatch(s):
        return (d, "") if (d := _iso_of(m)) else None
    if m := _LABELLED_DATE.match(s):
        return (d, s[m.end() :].strip(" -–—|:")) if (d := _iso_of(m)) else None
    if len(s) <= 80:
        for pattern in (_DATE_PLACE, _PLACE_DATE):
            if (m := pattern.fullmatch(s)) and (d := _iso_of(m)):
                return d, ""
    return None


def _as_of(s: str) -> str | None:
    """The date of a statement, alone on its line, of when the page's content holds."""
    m = _AS_OF_JA.fullmatch(s) or _AS_OF_EN.fullmatch(s)
    return _iso_of(m) if m else None


# --- What a header line is --------------------------------------------------------------------------

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
_HIRAGANA = re.compile(r"[\u3041-\u309f]")
_NUMBERED = re.compile(r"(?:\d{1,2}\s*[.、)]\s*\S|\(\d{1,2}\)|[①-⑳•・●■□◆◇▶►\-–*]\s*)")
_BREADCRUMB_HOME = re.compile(r"(?:\d{1,2}\.\s*)?(?:Home|HOME|TOP|Top|ホーム|トップ(?:ページ)?)(?:\s|$|[>»›|/])")
_BREADCRUMB_ITEM = re.compile(r"\d{1,2}\.\s*\S.{0,60}")
_NAV_SEPARATORS = re.compile(r"\s[|>»›/]\s|[|»›]")
# A site's furniture, not its content: buttons, banners, language switches.
_UI_EN = re.compile(
    r"\b(?:font size|text size|print|share|tweet|skip to|menu|search|sitemap|site map|reading time|min read|"
    r"learn more|read more|subscribe|log ?in|sign (?:in|up)|bookmark|back to|copy link|facebook|twitter|linkedin)\b",
    re.I,
)
_UI_JA = re.compile(
    r"文字(?:サイズ|の大きさ)|所要時間|印刷|シェア|ツイート|メニュー|検索|サイトマップ|ログイン|ロゴ|"
    r"ブックマーク|戻る|続きを読む|ページの先頭"
)
_LANGUAGE_SWITCH = re.compile(r"(?:English|日本語|Japanese|中文|한국어|ENGLISH)(?:\s*[|/]\s*\S+)*")
_SECTION_WORDS = re.compile(
    r"press releases?|news(?: releases?| room)?|newsroom|statements?|speeches|topics|announcements?|"
    r"プレスリリース|報道発表|記者発表|お知らせ|ニュース|新着情報|トピックス|広報",
    re.I,
)
_CAPTION = re.compile(r"\(?(?:photo|image|illustration|写真|画像)\b\)?|【(?:写真|画像)】|\[(?:photo|image)\]", re.I)
_CAPTION_END = re.compile(r"(?:photo|写真|撮影)\)?$", re.I)
_BYLINE = re.compile(r"(?:By|Written by|Reported by|Text by)\s+\w|(?:文|取材|執筆)[:：]\s*\S", re.I)
# A headline's wrapped second line opens with a word that cannot open a headline (… STATEMENT / OF THE …).
_CONTINUATION = re.compile(r"(?:of|on|for|and|to|in|between|at|with|by|the)\s", re.I)
_PLACE_FROM = re.compile(r"\S{1,12}発")  # バンコク発: the place a news item is datelined from
_PARENTHESISED = re.compile(r"[(（].*[)）]")
_FIELD = re.compile(
    r"\[\s*(?P<key>title|date|dated|source|publisher|author|place|category|full ?text|text|language|"
    r"タイトル|表題|件名|日付|出典|発行|発行元|場所|全文|本文)\s*\]\s*(?P<value>.*)",
    re.I,
)
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st no nos vol jan feb mar apr jun jul aug sep sept oct nov dec gen lt col sen rep jr sr "
    "inc co ltd corp vs etc e.g i.e u.s u.k h.e hon approx".split()
)


def _is_prose(s: str) -> bool:
    """A line of running text: a paragraph, not a headline."""
    if "。" in s and len(s) >= 15:
        return True
    words = s.split()
    if len(words) >= 30:
        return True
    return len(words) >= 8 and (s.endswith((".", ".”", '."', "?", "!")) or bool(re.search(r"[a-z]\. [A-Z]", s)))


def _is_nav(s: str) -> bool:
    """A navigation bar or breadcrumb: Home > …, トップページ 各国・地域情勢 アジア, links side by side."""
    if _BREADCRUMB_HOME.match(s):
        return True
    if len(_NAV_SEPARATORS.findall(s)) >= 2 and not _is_prose(s):
        return True
    if _CJK.search(s) and "。" not in s and "、" not in s:
        tokens = s.split()
        if len(tokens) >= 4 and max(map(len, tokens)) <= 14 and sum(map(len, tokens)) / len(tokens) <= 7:
            return True
    return False


def _is_ui(s: str) -> bool:
    if "cookie" in s.lower() and len(s) < 400:
        return True
    if _LANGUAGE_SWITCH.fullmatch(s):
        return True
    if _CJK.search(s):
        return len(s) <= 30 and bool(_UI_JA.search(s))
    return len(s.split()) <= 4 and bool(_UI_EN.search(s))


def _is_label(s: str) -> bool:
    """A section label, not a headline: 報道発表, アジア, 背景, PRESS RELEASES, FINAL."""
    core = s.strip(" :：■□◆●【】[]")
    if _SECTION_WORDS.fullmatch(core):
        return True
    if _CJK.search(core):
        return len(core) <= 6 and not re.search(r"\d", core)
    words = core.split()
    return len(words) <= 2 and (core.isupper() or len(core) <= 6)


def _is_caption(s: str) -> bool:
    return bool(_CAPTION.match(s) or _CAPTION_END.search(s))


def _skippable(s: str) -> bool:
    """What stands between a headline and its dateline: labels, tags, places, bylines, captions, buttons."""
    return bool(
        _is_label(s)
        or _is_ui(s)
        or _is_caption(s)
        or _BYLINE.match(s)
        or _PLACE_FROM.fullmatch(s)
        or _PARENTHESISED.fullmatch(s)
    )


def _is_heading(s: str) -> bool:
    return (
        2 <= len(s) <= MAX_TITLE_CHARS
        and not _is_prose(s)
        and not _NUMBERED.match(s)
        and not s.startswith(("※", "注", "("))
        and not _skippable(s)
        and not _is_nav(s)
        and _line_date(s) is None
        and _as_of(s) is None
    )


# --- Organisations ---------------------------------------------------------------------------------

# Organisations of the field by the names and acronyms pages use for them (general vocabulary): a
# phrase is also recognised as an organisation by its head noun (省, 機構, センター, Ministry, Fund…).
ORGANISATIONS = frozenset(
    (
        *("JICA", "JETRO", "JAIF", "ERIA", "JBIC", "JOGMEC", "NEXI", "ADB", "AJC", "MOFA", "METI"),
        *("ASEAN Secretariat", "ASEAN-Japan Centre", "ASEAN-Japan Center", "Japan Foundation"),
        *("Kyodo", "Kyodo News", "Jiji Press", "NHK", "Nikkei", "Reuters", "AFP", "Bernama", "Xinhua"),
        *("外務省", "経済産業省", "財務省", "内閣府", "首相官邸", "国際協力機構", "日本貿易振興機構", "ジェトロ"),
        *("国際交流基金", "ジャパンファウンデーション", "日本アセアンセンター", "ASEAN事務局", "アジア開発銀行"),
        *("国際協力銀行", "共同通信", "時事通信", "日本経済新聞", "朝日新聞", "読売新聞", "毎日新聞", "産経新聞"),
    )
)
# A wire agency named in a dateline (MANILA (Kyodo) – … ; 【ジャカルタ=共同】…), as the agency is called.
WIRE_AGENCIES = {"Kyodo": "Kyodo News", "Jiji": "Jiji Press", "Reuters": "Reuters", "AFP": "AFP", "AP": "AP"}
WIRE_AGENCIES |= {a: a for a in ("Bernama", "Xinhua", "Antara", "Yonhap", "VNA", "NNA", "Bloomberg")}
WIRE_AGENCIES |= {
    "共同": "共同通信",
    "時事": "時事通信",
    "ロイター": "ロイター",
    "AFP時事": "AFP時事",
    "新華社": "新華社",
}
_JA_WIRE = re.compile(r"【[^】=]{1,12}=(?P<agency>[^】]{1,8})】|【[^】=]{1,12}?(?P<agency2>共同|時事)】")
_JA_ORG_HEAD = (
    r"(?:省|庁|内閣府|機構|基金|センター|事務局|大使館|総領事館|代表部|研究所|協会|銀行|委員会|財団|公庫|新聞社?|通信社?|"
    r"株式会社|機関)"
)
_JA_NAME = r"[\u30a0-\u30ff\u4e00-\u9fffA-Za-z0-9・&\-]"
_JA_ORG = re.compile(
    r"(?:株式会社)?" + _JA_NAME + r"{1,30}?" + _JA_ORG_HEAD + r"(?:\([^()]{1,30}\))?(?:" + _JA_NAME + r"{0,15}"
    r"(?:" + _JA_ORG_HEAD + r"))?"
)
_EN_ORG_HEADS = frozenset(
    "Ministry Secretariat Centre Center Agency Foundation Institute Fund Team Mission Embassy Organization "
    "Organisation Bank Council Commission Office Department Association Corporation Authority Bureau Shimbun "
    "University".split()
)
_EN_WORD = r"(?:[A-Z][\w'’&.\-]*)"
_EN_PHRASE = _EN_WORD + r"(?:,?\s+(?:(?:of|for|and|the|on|to|in|de|&)\s+)*" + _EN_WORD + r"){0,10}"
_EN_ORG = re.compile(r"(?:The\s+)?(?P<org>" + _EN_PHRASE + r")(?:\s*\((?P<acronym>[A-Z][A-Za-z\-]{1,10})\))?")


def _english_org(phrase: str) -> str | None:
    """The organisation an English phrase names, when the whole phrase is one: capitalised words
    ending in an organisation's noun (Ministry of X, X Centre, X Fund…) or a known name."""
    m = _EN_ORG.fullmatch(phrase.strip())
    if not m or m["org"].startswith(("About ", "Welcome ")):
        return None
    org = m["org"]
    if org in ORGANISATIONS or (m["acronym"] or "") in ORGANISATIONS:
        return org
    words = org.replace(",", " ").split()
    if len(words) >= 2 and (words[-1] in _EN_ORG_HEADS or words[0] in ("Ministry", "Embassy", "Mission")):
        return org
    return None


def _japanese_org(phrase: str) -> str | None:
    """The organisation a Japanese phrase names, when the whole phrase is one."""
    p = phrase.strip()
    if p in ORGANISATIONS:
        return p
    if not _JA_ORG.fullmatch(p):
        return None
    bare = re.sub(r"\([^()]*\)", "", p)
    return p if not _HIRAGANA.search(bare) and len(bare) >= 2 else None


def _is_site_name(s: str) -> bool:
    """A line that is an organisation's name and nothing else, as a site's header gives it (stricter
    than _org: a title-case headline ending in 'Centre' or 'Fund' is a headline)."""
    if _CJK.search(s):
        return _japanese_org(s) is not None
    m = _EN_ORG.fullmatch(s.strip())
    if m is None:
        return False
    org = m["org"]
    return org in ORGANISATIONS or (org.split()[0] in ("Ministry", "Embassy", "Mission") and " of " in org)


def _org(phrase: str) -> str | None:
    p = phrase.strip().strip('「」『』"“”')
    if not p or len(p) > MAX_PUBLISHER_CHARS:
        return None
    return _japanese_org(p) if _CJK.search(p) else _english_org(p)


# --- Reading the header ------------------------------------------------------------------------------


def _head_lines(text: str) -> list[_Line]:
    """The first non-empty lines, stripped, with whether an empty line comes before each."""
    head = text[:HEAD_CHARS]
    folded = fold_text(head)
    lines: list[_Line] = []
    last_end = 0
    for m in LINE.finditer(folded):
        s = m.group()
        stripped = s.strip()
        if not stripped:
            continue
        start = m.start() + len(s) - len(s.lstrip())
        blank = sum(folded.count(c, last_end, start) for c in "\n\u2028\u2029") >= 2
        lines.append(_Line(head[start : start + len(stripped)], stripped, bool(lines) and blank))
        last_end = start + len(stripped)
        if len(lines) >= HEAD_LINES:
            break
    return lines


def _first_sentence(s: str) -> str:
    """A paragraph's first sentence: to its first full stop outside brackets (not an abbreviation's)."""
    depth = 0
    for i, c in enumerate(s):
        if c in "(「『[":
            depth += 1
        elif c in ")」』]":
            depth = max(0, depth - 1)
        elif depth == 0 and c == "。":
            return s[: i + 1]
        elif depth == 0 and c in ".!?" and (i + 1 == len(s) or s[i + 1] == " "):
            word = s[: i + 1].rsplit(None, 1)[-1].rstrip(".").lower()
            if c == "." and (word in _ABBREVIATIONS or len(word) == 1 or "." in word):
                continue  # Mr. H.E. Nov. U.S. A.
            return s[: i + 1]
    return s


def _title_from(lines: list[_Line], i: int, upward: bool) -> str:
    """The headline whose block holds line i: its adjacent headline lines joined (a wrapped headline,
    a line repeated as heading once), with a subtitle in brackets on the next line."""
    first = last = i
    if upward:
        while first > 0 and not lines[first].blank_before:
            above = lines[first - 1].s
            wrapped = _CONTINUATION.match(lines[first].s) and not _is_nav(above) and len(above) <= MAX_TITLE_CHARS
            if not (_is_heading(above) or wrapped):
                break
            first -= 1
    while last + 1 < len(lines) and not lines[last + 1].blank_before and _is_heading(lines[last + 1].s):
        last += 1
    if last + 1 < len(lines) and not lines[last + 1].blank_before and _PARENTHESISED.fullmatch(lines[last + 1].s):
        last += 1
    title = lines[first].raw
    previous = title
    for ln in lines[first + 1 : last + 1]:
        if ln.raw == previous:
            continue
        glue = "" if _PARENTHESISED.fullmatch(ln.s) else " "
        if len(title) + len(glue) + len(ln.raw) > MAX_TITLE_CHARS:
            break
        title += glue + ln.raw
        previous = ln.raw
    return title


@dataclass
class _Scan:
    """What the first pass over the header lines found."""

    fields: dict[str, str]
    field_end: int = -1  # index of the last line of a field block
    published: str | None = None
    dateline: int | None = None  # index of the line that dates the page
    glued_title: str | None = None  # a headline on the dateline's own line
    prose: int = 0  # index of the first paragraph (len(lines) when none)
    agency: str | None = None


def _scan(lines: list[_Line]) -> _Scan:
    sc = _Scan({}, prose=len(lines))
    chronology = False
    for i, ln in enumerate(lines):
        if fm := _FIELD.fullmatch(ln.s):
            sc.fields.setdefault(fm["key"].lower().replace(" ", ""), fm["value"].strip())
            sc.field_end = i
            if sc.published is None and (d := _line_date(ln.s)):
                sc.published, sc.dateline = d[0], i
            continue
        if sc.published is None and (date := _as_of(ln.s)):
            sc.published, sc.dateline = date, i
            continue
        if _is_ui(ln.s) or _is_caption(ln.s):
            continue  # a cookie banner or a photo caption is not the page's first paragraph
        if _is_prose(ln.s):
            if sc.published is None and (m := _PARAGRAPH_DATELINE.match(ln.s)) and (date := _iso_of(m)):
                sc.published, sc.dateline, sc.agency = date, i, m["agency"] or m["agency2"]
            elif m := _PLACE_PREFIX.match(ln.s) or _JA_WIRE.match(ln.s):
                sc.agency = m["agency"] or m.groupdict().get("agency2")
            sc.prose = i
            break
        if sc.published is None and not chronology and (d := _line_date(ln.s)):
            if _opens_a_chronology(lines, i, d[0]):
                chronology = True  # its items' dates are none of them the page's
                continue
            sc.published, sc.dateline = d[0], i
            sc.glued_title = d[1] if d[1] and _is_heading(d[1]) and not _BYLINE.match(d[1]) else None
    return sc


_DATED_ITEM = re.compile(r"(?:" + JP_DATE + r"|" + _EN_DATE + r"|" + _NUM_DATE + r")")


def _opens_a_chronology(lines: list[_Line], i: int, date: str) -> bool:
    """Whether an unlabelled date line (stating ``date``) is the first item of a list of dated items
    (1985年3月 / 山川総理が … / 1988年6月 / …) rather than the page's dateline: another line of the next
    few opens with a date of its own (a year and a month at least). A paragraph opening with the very
    date of the line (2031年5月14日、…が開催された。 under a press release's dateline) is no such item."""
    if _LABELLED_DATE.match(lines[i].s):
        return False
    for ln in lines[i + 1 : i + 5]:
        if (m := _DATED_ITEM.match(ln.s)) and (item := _iso_of(m)):
            if item == date and _is_prose(ln.s):
                continue
            return True
    return False


def _title(lines: list[_Line], sc: _Scan) -> str | None:
    for key in ("title", "タイトル", "表題", "件名"):
        if sc.fields.get(key):
            return sc.fields[key]
    if sc.glued_title:
        return sc.glued_title
    if sc.dateline is not None:  # the headline nearest above the dateline
        i = sc.dateline - 1
        while i > sc.field_end and _skippable(lines[i].s) and not _is_nav(lines[i].s):
            i -= 1
        if i > sc.field_end and _is_heading(lines[i].s) and not _is_site_name(lines[i].s):
            return _title_from(lines, i, upward=True)
        # else the headline below it, before the first paragraph (a press release: label, date, title)
        for i in range(max(sc.dateline, sc.field_end) + 1, sc.prose):
            if _skippable(lines[i].s) or _BRACKET_LABEL.match(lines[i].s):
                continue
            if _is_heading(lines[i].s) and not _is_site_name(lines[i].s):
                return _title_from(lines, i, upward=False)
            break
    else:  # the first headline after the navigation
        for i in range(sc.field_end + 1, sc.prose):
            if _is_heading(lines[i].s) and not _is_site_name(lines[i].s):
                return _title_from(lines, i, upward=False)
    if sc.prose < len(lines) and not (sc.dateline is None and lines and _is_label(lines[0].s)):
        # A page without a headline: its first sentence names its subject (not so where the text
        # opens with a section label: then the sentence opens that section, not the document).
        s, raw = lines[sc.prose].s, lines[sc.prose].raw
        if (m := _PARAGRAPH_DATELINE.match(s) or _PLACE_PREFIX.match(s) or _JA_WIRE.match(s)) and m.end() < len(s):
            s, raw = s[m.end() :], raw[m.end() :]
        s = re.sub(r"^\d{1,2}\s+", "", s)
        raw = raw[len(raw) - len(s) :]
        sentence = _first_sentence(s)
        if 6 <= len(sentence) <= MAX_TITLE_CHARS:
            return raw[: len(sentence)]
    return None


_ISSUER_JA = re.compile(r"(?P<org>[^、。\s]{2,45}?)(?:は|では)[、,]?")
_ISSUER_EN = re.compile(
    r"(?:The\s+)?(?P<org>" + _EN_PHRASE + r")(?:\s*\([A-Z][A-Za-z\-]{1,10}\))?,?\s+(?:has\s+|have\s+|will\s+)?[a-z]"
)
# 当センターは / 本機構では / 弊社は / This Centre / Our Foundation: the page's issuer referring to itself.
_DEICTIC = re.compile(
    r"(?:当|本|弊|この|我が)(?:センター|機構|財団|協会|基金|事務局|研究所|機関|法人|団体|組織|会|社|省|庁|大学)(?:は|では|が)"
    r"|(?:This|Our)\s+[A-Z]|We\b"
)
_POLITE_END = re.compile(r"(?:ます|ました|ません|です|でした|ください)[。.]?$")
_REPORTED = re.compile(r"\b(?:said|says|told|according to|reported)\b")


def _issuing_body(s: str) -> str | None:
    """The organisation a press release's first sentence (after any dateline) makes its subject,
    speaking of itself: 国際交流基金は、…を派遣します。 / The X Secretariat organised … . A news
    report of what an organisation said or did (…と発表した。 / the Ministry said) names no publisher."""
    if m := _PARAGRAPH_DATELINE.match(s):
        s = s[m.end() :]
    sentence = _first_sentence(s)
    if _DEICTIC.match(s):
        return None  # 当センターは / This Centre … : the page's own body, not named
    if _CJK.search(s[:10]):
        if _POLITE_END.search(sentence) and (m := _ISSUER_JA.match(s)):
            return _japanese_org(m["org"])
        return None
    if not _REPORTED.search(sentence) and (m := _ISSUER_EN.match(s)):
        return _english_org(m["org"])
    return None


_CREDIT_WORDS = ("情報提供", "記事提供", "配信元", "発行元")
_CREDIT = re.compile(r"(?:情報提供|記事提供|配信元|発行元)\s*[:：]\s*(?P<who>[^\s、。]{2,60})")


def _line_start(text: str, at: int, window: int = 2000) -> int:
    """Where the line holding position ``at`` starts, looked for in the ``window`` characters before
    it (a search back to the text's start for a break that never occurs would cost the whole text)."""
    lo = max(0, at - window)
    return max(text.rfind(c, lo, at) for c in LINE_BREAKS) + 1 or lo


def _credit_line(text: str) -> str | None:
    """Who supplied the article, on a line of its own anywhere in the page: 情報提供：example-news.jp."""
    for word in _CREDIT_WORDS:
        at = text.find(word)
        while at != -1:
            if (at == 0 or text[at - 1].isspace()) and not text[_line_start(text, at) : at].strip():
                if m := _CREDIT.match(fold_text(text[at : at + 80])):
                    return m["who"]
            at = text.find(word, at + 1)
    return None


_COPYRIGHT = re.compile(
    r"(?:Copyright\s*)?(?:©|\(c\)|Copyright)\s*(?:(?:19|20)\d{2}(?:\s*[-–]\s*(?:19|20)\d{2})?\s*,?\s*)?"
    r"(?P<who>[^©\n]{2,80}?)[.,]?\s*(?:All\s+Rights\s+Reserved\.?)?",
    re.I,
)


def _copyright_holder(text: str) -> str | None:
    """The holder a copyright line names (Copyright © 2023 X. All rights reserved.): the last such
    line of the page, one that starts with the mark (a mark inside a caption is a photo credit)."""
    for mark in ("Copyright", "©"):
        at = text.rfind(mark)
        if at == -1:
            continue
        start = _line_start(text, at)
        if text[start:at].strip():
            continue
        end = min((e for c in LINE_BREAKS if (e := text.find(c, at)) != -1), default=len(text))
        if m := _COPYRIGHT.fullmatch(fold_text(text[start:end]).strip()):
            who = m["who"].strip()
            if re.search(r"[A-Za-z\u3040-\u9fff]", who) and not re.fullmatch(r"(?i)all rights reserved", who):
                return who
    return None


# The pair a slide or a letter ends with: a date line beside the publisher's line (令和2年1月10日 / 外務省).
_PUBLISHER_LINE = re.compile(r"^(?:[^\s\d].{0,30}(?:省|庁|局|代表部|機構)|Ministry of [A-Za-z ,]+)$")
_JP_DATE_LINE = re.compile(r"^" + JP_DATE + r"$")
_EN_DATE_LINE = re.compile(
    r"^(?:\d{1,2}\s+)?(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    r"(?:\s+\d{1,2},)?\s+\d{4}$"
)


def _pair_date(line: str) -> str | None:
    s = re.sub(r"\s+", "", line)
    try:
        if _JP_DATE_LINE.match(s):
            return parse_japanese_date(s)
        if _EN_DATE_LINE.match(line):
            return parse_english_date(line)
    except ValueError:
        return None
    return None


def _date_publisher_pair(text: str) -> tuple[str, str] | None:
    head = [ln.strip() for ln in LINE.findall(fold_text(text[:PAIR_HEAD_CHARS])) if ln.strip()]
    for i, ln in enumerate(head):
        compact = re.sub(r"\s+", "", ln) if _CJK.search(ln) else ln
        if _PUBLISHER_LINE.match(compact):
            dates = [d for d in (_pair_date(head[j]) for j in (i - 1, i + 1) if 0 <= j < len(head)) if d]
            if dates:
                return compact, dates[0]
    return None


# 'As of' anywhere in the document, on a line of its own (As of 30 June 2022 / 2023年4月1日現在).
_AS_OF_WORD = re.compile("時点|現在|A[sｓ][ \u3000][oｏ][fｆ]|Ａ[sｓ][ \u3000][oｏ][fｆ]")
_AS_OF_LINE = re.compile(r"^As of\s+(.+)$|^(.+?)(?:時点|現在)$")


def _as_of_lines(text: str):
    """The stripped lines that end with 時点/現在 or start with 'As of', in order: only those lines
    are looked at, instead of every line of the document (a word inside a line is passed over at
    the cost of looking at the character beside it)."""
    done = -1
    n = len(text)
    for m in _AS_OF_WORD.finditer(text):
        if m.group()[0] in "時現":
            after = text[m.end() : m.end() + 1]
            if after and after not in LINE_BREAKS and not after.isspace():
                continue
        elif m.start() and not text[m.start() - 1].isspace():
            continue
        start = _line_start(text, m.start())
        if start < m.start() and m.group()[0] not in "時現" and text[start : m.start()].strip():
            continue
        if start > done:
            done = start
            line = LINE.match(text, start, n)
            if line and (ln := line.group().strip()):
                yield ln


def _as_of_anywhere(text: str) -> str | None:
    for ln in _as_of_lines(text):
        if not (ln.endswith(("時点", "現在")) or fold_text(ln[:6]).startswith("As of")):
            continue
        if m := _AS_OF_LINE.match(fold_text(ln)):
            if date := _pair_date((m.group(1) or m.group(2)).strip()):
                return date
    return None


_BRACKET_LABEL = re.compile(r"[\[【][^\]】]{1,20}[\]】]")  # [Source] …, [Full text], 【概要】


def _is_title_candidate(lines: list[_Line], sc: _Scan, i: int) -> bool:
    """A headline between the dateline and the first paragraph (what _title takes when nothing above
    the dateline qualifies): it may end in Centre or Fund, it names no publisher."""
    return (
        sc.dateline is not None
        and max(sc.dateline, sc.field_end) < i < sc.prose
        and not _BRACKET_LABEL.match(lines[i].s)
        and _is_heading(lines[i].s)
        and not _is_site_name(lines[i].s)
    )


def read_header(text: str) -> Header:
    """Title, publisher and date as the page states them (None for what it does not state)."""
    lines = _head_lines(text)
    sc = _scan(lines)
    title = _title(lines, sc)
    pair = _date_publisher_pair(text)

    published = sc.published if "date" in sc.fields or "dated" in sc.fields else None
    published = published or (pair[1] if pair else None) or sc.published or _as_of_anywhere(text)

    publisher = None
    for key in ("source", "publisher", "発行", "発行元", "出典"):
        if sc.fields.get(key) and len(sc.fields[key]) <= MAX_PUBLISHER_CHARS:
            publisher = sc.fields[key]
            break
    publisher = publisher or (pair[0] if pair else None) or _credit_line(text)
    if publisher is None:  # the site's name heads the page: alone, or first in its navigation bar
        title_line = next((i for i, ln in enumerate(lines) if title and title.startswith(ln.raw)), None)
        for i, ln in enumerate(lines[: title_line if title_line is not None else min(3, sc.prose)]):
            if _is_title_candidate(lines, sc, i):
                continue  # a headline is never the publisher
            if org := _org(ln.s) or (_org(ln.s.split()[0]) if _is_nav(ln.s) else None):
                publisher = org
                break
    if publisher is None and title:
        if m := re.fullmatch(r"About\s+(?:us:?\s+)?(?:the\s+)?(.+)|(.+)について", fold_text(title).strip()):
            publisher = _org(m[1] or m[2])
    if publisher is None and sc.dateline is not None and sc.prose < len(lines):
        publisher = _issuing_body(lines[sc.prose].s)
    if publisher is None and sc.agency:
        publisher = WIRE_AGENCIES.get(sc.agency)
    publisher = publisher or _copyright_holder(text)
    return Header(title=title, publisher=publisher, published=published)
