"""Normalisation, done once and only here.

Belongs here: folding full-width characters, reading numbers with 万/億/兆 and 百万, 約/about
(approximate), Japanese era years, dates at the precision stated, date ranges and durations,
country names to ISO 3166-1 alpha-3, currencies to ISO 4217.
Does not belong here: finding statements in a document (the extractors do that) or any value
taken from a particular document.
"""

from __future__ import annotations

import calendar
import datetime
import gettext
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import overload

import pycountry

# --- Characters -----------------------------------------------------------------------------------


def _fold_char(c: str) -> str:
    # Only the full-width forms block and the ideographic space: circled digits (①) and Roman
    # numerals (Ⅲ) keep their identity, and every character keeps length 1 so offsets survive.
    if "\uff00" <= c <= "\uffef" or c == "\u3000":
        folded = unicodedata.normalize("NFKC", c)
        if len(folded) == 1:
            return folded
    return c


_FOLD_TABLE = {i: _fold_char(chr(i)) for i in list(range(0xFF00, 0xFFF0)) + [0x3000] if _fold_char(chr(i)) != chr(i)}
# A carriage return (CRLF files) reads as a space, so that line patterns see '\n' line ends.
_FOLD_TABLE[ord("\r")] = " "
# The minus sign reads as the ASCII one: a stated negative stays negative ('−299億ドル').
_FOLD_TABLE[ord("\u2212")] = "-"

# Invisible format characters (Unicode category Cf: zero-width space and joiners, bidi marks and
# controls, soft hyphen, a BOM inside the text): they stay in the text (offsets count them) and
# read as a space; inside a number they are read through (``_format_chars_out_of_numbers``).
FORMAT_CHARS = "".join(
    chr(c) for c in [*range(0x10000), *range(0xE0000, 0xE0080)] if unicodedata.category(chr(c)) == "Cf"
)


def char_class(chars: str) -> str:
    """A regex character class of these characters as ranges ('\u200b-\u200f'): a class of single
    characters is scanned one by one, several times slower on every text searched."""
    codes = sorted(set(map(ord, chars)))
    ranges: list[list[int]] = []
    for c in codes:
        if ranges and c == ranges[-1][1] + 1:
            ranges[-1][1] = c
        else:
            ranges.append([c, c])
    return "[" + "".join(re.escape(chr(a)) + (f"-{re.escape(chr(b))}" if b > a else "") for a, b in ranges) + "]"


FORMAT_CHAR = re.compile(char_class(FORMAT_CHARS))
_FOLD_TABLE.update({ord(c): " " for c in FORMAT_CHARS})
# A number (digits, separators, 万/億/兆) with format characters inside it or glued to its end: '1,\u200b200',
# '１，\u200b６７７万', '1,200\u200b人'.
_NUMBER_RUN = re.compile(
    "[0-9０-９](?:[0-9０-９,，.．千百万億兆]|"
    + FORMAT_CHAR.pattern
    + ")*[0-9０-９千百万億兆]?"
    + FORMAT_CHAR.pattern
    + "*"
)


def _format_chars_out_of_numbers(text: str) -> str:
    """The format characters inside each number moved to its start (as spaces once folded): the
    digits read as one number still glued to what follows it (a counter, a currency), and every
    offset outside the number is unchanged. A span that starts at the number's first digit then
    misses the characters before it: the check of values against quotes stops such a row."""

    def move(m: re.Match) -> str:
        run = m[0]
        digits = FORMAT_CHAR.sub("", run)
        return " " * (len(run) - len(digits)) + digits

    return _NUMBER_RUN.sub(move, text)


def format_chars_note(text: str) -> str | None:
    """The note of a number or a quote holding invisible format characters, naming them; None without any."""
    found = sorted(set(FORMAT_CHAR.findall(text)))
    if not found:
        return None
    names = ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, 'FORMAT CHARACTER')}" for c in found)
    return f"invisible format character(s) read through: {names}"


# Split on runs of characters to fold (captured, so they come back as every other piece).
_FOLD_RUNS = re.compile("([" + re.escape("".join(map(chr, sorted(_FOLD_TABLE)))) + "]+)")


def fold_text(text: str) -> str:
    """Full-width letters, digits and punctuation to ASCII, CR to a space, keeping every offset unchanged."""
    if text.isascii():  # most calls: numbers and words already taken from folded text
        return text.replace("\r", " ")
    if FORMAT_CHAR.search(text):
        text = _format_chars_out_of_numbers(text)
    if len(text) < 40:  # a word or two: translating it whole costs less than finding its runs
        return text.translate(_FOLD_TABLE)
    # A document: translating only the runs that need it is several times faster than translating it whole.
    pieces = _FOLD_RUNS.split(text)
    pieces[1::2] = [run.translate(_FOLD_TABLE) for run in pieces[1::2]]
    return "".join(pieces)


def collapse_spaces(text: str) -> str:
    """Runs of whitespace (line breaks included) to one space, ends stripped: a statement on one line."""
    return " ".join(text.split())  # str.split and the regex \s agree on what whitespace is; split is faster


def remove_spaces(text: str) -> str:
    """Every whitespace character removed: a label wrapped over lines on a slide, read as one word."""
    return "".join(text.split())


# --- Numbers ----------------------------------------------------------------------------------------

# A value is approximate when the source does not state it exactly: an estimate (約, およそ, about,
# around, approximately, nearly, roughly, some; 程度, 規模, 前後, 余り) or a bound (以上, 超, over, more
# than, at least, +). English markers are whole words ('handsome 3' is not 'some 3').
APPROX_PREFIX = re.compile(
    r"(?:約|およそ|概ね|ほぼ|(?<![A-Za-z])(?:about|around|approximately|approx\.|nearly|almost|roughly|some|over"
    r"|more than|at least))\s*$",
    re.I,
)
APPROX_SUFFIX = re.compile(r"^(?:\+|\s*(?:規模|程度|余り|余|超|以上|強|弱|近く|あまり|前後|を?突破|を?超え))")


@dataclass(frozen=True)
class ParsedNumber:
    value: float
    note: str | None = None


@lru_cache(maxsize=8192)  # the same figures recur (years, counts); a parsed number is immutable
def parse_number(text: str) -> ParsedNumber:
    """A decimal number with thousands separators, e.g. '1,677' or '３．３'.

    A separator followed by fewer than three digits ('１，９２') is not a thousands separator:
    the source mistyped it. The digits are read without it and the fact is flagged.
    """
    s = fold_text(text).strip()
    groups = s.split(".")[0].split(",")
    notes = [format_chars_note(text)]
    if len(groups) > 1 and any(len(g) != 3 for g in groups[1:]):
        notes.append(f"malformed thousands separator in {text!r}; read as {s.replace(',', '')}")
    return ParsedNumber(float(s.replace(",", "")), "; ".join(n for n in notes if n) or None)


# A number with Japanese multipliers: 3兆3,433億, 1億2454万, 2兆8千億, 12.3百万, 7,300万
_UNIT = r"(?:[千百]?[兆億万]|千)"
_JP_TERM = re.compile(r"(?P<num>\d+(?:,\d+)*(?:\.\d+)?)(?P<unit>" + _UNIT + ")?")
# The repeated part follows a unit only: '3兆3,433億' is 3兆 + 3,433億, and a plain digit run can be read one
# way (a pattern that could split '12345' into '1' + '2345' backtracks exponentially on a failed match).
JP_AMOUNT = r"\d+(?:[,，]\d+)*(?:[.．]\d+)?(?:(?:[千百]?[兆億万]|千)(?:\d+(?:[,，]\d+)*(?:[千百]?[兆億万]|千)?)*)?"
_DIGIT_UNITS = {"千": 10**3, "百": 10**2, "兆": 10**12, "億": 10**8, "万": 10**4}
# What can follow the first digits of a JP_AMOUNT without ending it: separators, a decimal point, a unit.
JP_AMOUNT_NEXT = ",，.．" + "".join(_DIGIT_UNITS)


@lru_cache(maxsize=8192)
def parse_japanese_amount(text: str) -> ParsedNumber:
    """'3兆3,433億' -> 3343300000000; '1億2454万' -> 124540000; '2兆8千億' -> 2.8e12; '12.3百万' -> 12300000."""
    s = fold_text(text).strip()
    total, pos, notes = 0.0, 0, []
    for m in _JP_TERM.finditer(s):
        if m.start() != pos:
            break
        pos = m.end()
        num = parse_number(m.group("num"))
        if num.note:
            notes.append(num.note)
        multiplier = 1
        for ch in m.group("unit") or "":
            multiplier *= _DIGIT_UNITS[ch]
        total += num.value * multiplier
    if pos != len(s) or pos == 0:
        raise ValueError(f"not an amount: {text!r}")
    if format_note := format_chars_note(text):
        notes.insert(0, format_note)
    return ParsedNumber(round(total, 6), "; ".join(dict.fromkeys(notes)) or None)


def is_approximate(before: str, after: str = "") -> bool:
    """約/about just before the number, or 規模/程度/以上/+ just after it (see APPROX_PREFIX)."""
    return bool(APPROX_PREFIX.search(fold_text(before[-20:])) or APPROX_SUFFIX.search(fold_text(after[:6])))


def number_text(value: float) -> str:
    """Deterministic, shortest text for a number (no trailing .0)."""
    if value == int(value) and abs(value) < 2**53:
        return str(int(value))
    return format(value, ".15g")


# --- Currencies -------------------------------------------------------------------------------------

CURRENCY_WORDS = [
    (re.compile(r"米ドル|ドル|US\$|\$|USD|dollars?", re.I), "USD"),
    (re.compile(r"円|yen|JPY", re.I), "JPY"),
]


def currency_code(text: str) -> str | None:
    for pattern, code in CURRENCY_WORDS:
        if pattern.search(text):
            return code
    return None


# --- Dates ------------------------------------------------------------------------------------------

ERAS = {"令和": 2018, "平成": 1988, "昭和": 1925}  # the year before each era's first year
# The last year of the eras that ended (平成31年 is 2019, 昭和64年 is 1989); the current era's years
# are bounded by today's year plus a margin for plans (令和99年 is no year anyone has stated yet).
ERA_LAST_YEAR = {"平成": 31, "昭和": 64}
ERA_PLANNING_MARGIN = 12
# The eras' one-letter forms, as forms and tables write them (H25年 is 平成25年, R5年 令和5年).
ERA_LETTERS = {"R": "令和", "H": "平成", "S": "昭和"}
# An era, by name or by its letter right before the year's digits (not a letter ending a word: 'NH25年').
ERA = r"(?:令和|平成|昭和|[RHS](?<![A-Za-z][RHS])(?=\d{1,2}年))"
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
MONTHS = {m.lower(): i for i, m in enumerate(MONTH_NAMES, start=1)}
MONTHS.update({k[:3]: v for k, v in list(MONTHS.items())})
MONTH_NAME = "(?:" + "|".join(MONTH_NAMES) + ")"

# Japanese year: 2023年, 令和５年, 令和5年（2023年）, 23年 (only inside a range, see below)
JP_YEAR = (
    r"(?:(?P<era>"
    + ERA
    + r")\s*(?P<era_year>\d{1,2}|元)年(?:\s*[（(]\s*(?P<era_western>\d{4})年\s*[）)])?|(?P<year>\d{4})年)"
)
JP_DATE = JP_YEAR + r"(?:\s*(?P<month>\d{1,2})月(?:\s*(?P<day>\d{1,2})日)?)?"


@overload
def iso(year: int, month: int | None = None, day: int | None = None) -> str: ...
@overload
def iso(year: int | None, month: int | None = None, day: int | None = None) -> str | None: ...
def iso(year: int | None, month: int | None = None, day: int | None = None) -> str | None:
    if year is None:
        return None
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        raise ValueError(f"month out of range: {month}")
    if day is None:
        return f"{year:04d}-{month:02d}"
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        raise ValueError(f"day out of range: {year:04d}-{month:02d}-{day}")
    return f"{year:04d}-{month:02d}-{day:02d}"


def era_to_year(era: str, year_text: str) -> int:
    """令和5年 -> 2023; a year outside its era (平成32年, 令和99年) is a ValueError, not a date."""
    era = ERA_LETTERS.get(era, era)
    n = 1 if year_text == "元" else int(fold_text(year_text))
    last = ERA_LAST_YEAR.get(era, datetime.date.today().year + ERA_PLANNING_MARGIN - ERAS[era])
    if not 1 <= n <= last:
        raise ValueError(f"{era}{year_text}年 is outside its era ({era}元年 to {era}{last}年)")
    return ERAS[era] + n


def year_from_match(m: re.Match) -> int:
    """The year of a match of JP_YEAR (or of a pattern holding it), which states one in either form."""
    gd = m.groupdict()
    if gd.get("year"):
        return int(gd["year"])
    if gd.get("era"):
        y = era_to_year(gd["era"], gd["era_year"])
        if gd.get("era_western") and int(gd["era_western"]) != y:
            raise ValueError(f"era year {gd['era']}{gd['era_year']} is {y}, not {gd['era_western']}")
        return y
    raise ValueError(f"no year stated in {m[0]!r}")


def parse_japanese_date(text: str) -> str:
    """'2023年12月17日' -> '2023-12-17'; '令和５年１０月' -> '2023-10'; '1967年' -> '1967'."""
    m = re.fullmatch(JP_DATE, fold_text(text).strip())
    if not m:
        raise ValueError(f"not a Japanese date: {text!r}")
    return iso(year_from_match(m), int(m["month"]) if m["month"] else None, int(m["day"]) if m["day"] else None)


def parse_english_date(text: str) -> str:
    """'30 June 2022', 'June 11, 2001', 'November 2001', '2001' -> ISO at that precision."""
    s = fold_text(text).strip()
    if m := re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?\s+(" + MONTH_NAME + r")\s+(\d{4})", s):
        return iso(int(m[3]), MONTHS[m[2].lower()], int(m[1]))
    if m := re.fullmatch(r"(" + MONTH_NAME + r")\s+(\d{1,2}),?\s+(\d{4})", s):
        return iso(int(m[3]), MONTHS[m[1].lower()], int(m[2]))
    if m := re.fullmatch(r"(" + MONTH_NAME + r")\s+(\d{4})", s):
        return iso(int(m[2]), MONTHS[m[1].lower()])
    if re.fullmatch(r"\d{4}", s):
        return s
    raise ValueError(f"not an English date: {text!r}")


DURATION = re.compile(
    r"(?P<n>\d+(?:\.\d+)?)\s*(?P<unit>年間|か月間|ヶ月間|カ月間|ヵ月間|か月|ヶ月|カ月|ヵ月|年|週間|日間|"
    r"years?|months?|weeks?|days?)"
)
_MONTHS_PER = {"年間": 12, "年": 12, "year": 12, "years": 12}


def duration_months(text: str) -> float | None:
    """'3年間' -> 36; '2 years' -> 24; '6か月' -> 6; weeks and days have no whole-month length: None."""
    m = DURATION.fullmatch(fold_text(text).strip())
    if not m:
        raise ValueError(f"not a duration: {text!r}")
    n, unit = float(m["n"]), m["unit"]
    if unit in _MONTHS_PER:
        return n * 12
    if "月" in unit or unit.startswith("month"):
        return n
    return None


# --- Countries --------------------------------------------------------------------------------------

# Short forms used in Japanese and English public documents that no ISO list carries.
COUNTRY_ALIASES = {
    "豪州": "AUS",
    "NZ": "NZL",
    "イギリス": "GBR",
    "英国": "GBR",
    "米国": "USA",
    "韓国": "KOR",
    "北朝鮮": "PRK",
    "PNG": "PNG",
    "Lao PDR": "LAO",
    "Laos": "LAO",
    "Viet Nam": "VNM",
    "Vietnam": "VNM",
    "Brunei": "BRN",
    "ASEAN": "ASEAN",
    "ＡＳＥＡＮ": "ASEAN",
    # Names of the region's states that ISO's lists lack (formal, older and common forms, both languages).
    "Republic of Korea": "KOR",
    "Korea": "KOR",
    "ROK": "KOR",
    "North Korea": "PRK",
    "DPRK": "PRK",
    "Russia": "RUS",
    "Burma": "MMR",
    "Republic of the Union of Myanmar": "MMR",
    "Socialist Republic of Vietnam": "VNM",
    "East Timor": "TLS",
    "Timor Leste": "TLS",
    "ミャンマー連邦共和国": "MMR",
    "ビルマ": "MMR",
    "ヴィエトナム": "VNM",
    "ヴェトナム": "VNM",
    "東チモール": "TLS",
    "我が国": "JPN",  # 'our country' in the Japanese government's own texts
    "わが国": "JPN",
}


@lru_cache(maxsize=1)
def _country_index() -> dict[str, str]:
    ja = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ja"], fallback=True)
    index: dict[str, str] = {}
    for c in pycountry.countries:
        names = {c.name, getattr(c, "common_name", c.name), getattr(c, "official_name", c.name)}
        for n in list(names):
            local = ja.gettext(n)
            names.add(local)
            # Derive the short forms Japanese texts use: ブルネイ・ダルサラーム国 -> ブルネイ, 大韓民国 (韓国) -> 韓国
            if m := re.search(r"[（(](.+?)[）)]", local):
                names.add(m.group(1))
            names.add(re.sub(r"\s*[（(].*$", "", local))
            names.add(local.split("・")[0])
            names.add(re.sub(r"(連邦|国)$", "", local))
        for n in names:
            if n and len(n) > 1:
                index.setdefault(n, c.alpha_3)
    index.update(COUNTRY_ALIASES)
    # Web pages write the apostrophe of "Lao People's Democratic Republic" as a typographic one.
    index.update({n.replace("'", "\u2019"): code for n, code in index.items() if "'" in n})
    return index


@lru_cache(maxsize=4096)
def country_code(name: str) -> str | None:
    """ISO 3166-1 alpha-3 for a country name in Japanese or English ('ラオス', 'Lao PDR'); ASEAN for the grouping."""
    s = fold_text(name).strip()
    s = re.sub(r"^the\s+", "", s, flags=re.I)
    idx = _country_index()
    if s in idx:
        return idx[s]
    # pycountry.lookup also accepts numeric and two-letter codes ('392' is Japan): only names go there.
    if len(s) < 3 or not s.replace(" ", "").replace("-", "").isalpha():
        return None
    # pycountry matches three letters as an alpha-3 code in any case: 'Can' or 'Hun' in prose is a
    # word, not Canada or Hungary. Only a code written as one (upper case) is read as a code.
    if len(s) == 3 and not s.isupper():
        return None
    try:
        return pycountry.countries.lookup(s).alpha_3
    except LookupError:
        return None


_KATAKANA = "ァ-ヶー"


def trie_pattern(words: list[str], between: str = "") -> str:
    """A regex matching any of `words`, longest first, as a trie ('ab|ac' -> 'a(?:b|c)'): the regex
    engine then follows one branch per character instead of trying every word at every position.
    `between` is allowed between any two characters of a word."""
    trie: dict = {}
    for w in words:
        node = trie
        for c in w:
            node = node.setdefault(c, {})
        node[""] = {}

    def render(node: dict, lead: str) -> str:
        branches = [lead + re.escape(c) + render(node[c], between) for c in sorted(k for k in node if k)]
        if not branches:
            return ""
        ends_here = "" in node
        if len(branches) == 1 and not ends_here:
            return branches[0]
        # The empty branch last: a longer word is tried before the shorter one it extends.
        return "(?:" + "|".join(branches) + ("|" if ends_here else "") + ")"

    return render(trie, "")


@lru_cache(maxsize=1)
def country_name_pattern() -> re.Pattern:
    """A regex of every known country name (longest first), for finding names in text.

    A Japanese name may be wrapped over a line break (slides wrap 'インドネ\nシア'), and a katakana
    name must not be part of a longer katakana word ('インド' in 'インドネシア')."""
    names = [n for n in _country_index() if len(n) >= 2]
    latin = trie_pattern([n for n in names if n.isascii()])
    other = trie_pattern([n for n in names if not n.isascii()], between="(?: ?\n)?")
    return re.compile(f"(?<![{_KATAKANA}A-Za-z])(?:{latin}|{other})(?![{_KATAKANA}a-z])")


def country_code_wrapped(name: str) -> str | None:
    """country_code for a name found by country_name_pattern (line breaks inside removed)."""
    return country_code(re.sub(r" ?\n", "", name))


# --- English numbers (statistics and quantities) ------------------------------------------------------

EN_SCALES = {
    "k": 10**3,
    "m": 10**6,
    "thousand": 10**3,
    "million": 10**6,
    "mn": 10**6,
    "billion": 10**9,
    "bn": 10**9,
    "trillion": 10**12,
    "tn": 10**12,
}
# Numbers written as words, as counts are ("eleven members", "nine member states").
EN_NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
        "seventeen eighteen nineteen twenty".split()
    )
}
EN_NUMBER_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90})


def parse_english_amount(number: str, scale: str | None = None) -> ParsedNumber:
    """'616.61', 'million' -> 616610000; 'nine' -> 9; '2.48', 'trillion' -> 2.48e12."""
    word = number.strip().lower()
    if word in EN_NUMBER_WORDS:
        parsed = ParsedNumber(float(EN_NUMBER_WORDS[word]))
    else:
        parsed = parse_number(number)
    if scale:
        # in decimal: 8.3 x 10^12 is 8300000000000, not 8300000000000.001
        digits = (
            Decimal(fold_text(number).strip().replace(",", ""))
            if word not in EN_NUMBER_WORDS
            else Decimal(parsed.value)
        )
        return ParsedNumber(float(digits * EN_SCALES[scale.lower()]), parsed.note)
    return parsed


# --- Reading a quote back: what numbers and dates it states (the check of values against quotes) ----

_QUOTE_NUMBER = re.compile(
    r"(?P<minus>-)?(?:US\$|\$|¥)?(?P<amount>" + JP_AMOUNT + r")"
    r"(?:\s*(?P<scale>trillion|billion|million|thousand)\b|(?P<short>tn|bn|mn|m|k)(?![A-Za-z]))?"
    r"(?P<percent>\s*(?:%|percent\b|パーセント))?",
    re.I,
)
_QUOTE_FRACTION = re.compile(r"(?<![\d.])(?P<a>\d+)\s*/\s*(?P<b>\d+)(?![\d.])")
_LATIN = re.compile("[A-Za-z]")
_QUOTE_NUMBER_WORD = re.compile(r"\b(?P<word>" + "|".join(EN_NUMBER_WORDS) + r")\b", re.I)


def _stated_negative(folded: str, minus_at: int) -> bool:
    """A '-' before a number is a minus sign unless it joins two words or numbers: glued to a letter
    or digit before it ('COVID-19', '2018-2023') or between two numbers ('2018 - 2023')."""
    glued = folded[minus_at - 1 : minus_at]
    if glued.isascii() and glued.isalnum():
        return False
    before = folded[:minus_at].rstrip(" \t")
    return not before[-1:].isdigit()


@lru_cache(maxsize=4096)
def stated_numbers(quote: str) -> frozenset[float]:
    """Every number the quote states, read by the normalisers from the quote alone: amounts with
    万/億/兆 or an English scale word (and the amount without it), percentages also as a ratio,
    fractions (2/3), numbers written as words, 半分 (a half); a minus sign is kept."""
    folded = fold_text(quote)
    found: set[float] = set()
    for m in _QUOTE_NUMBER.finditer(folded):
        try:
            value = parse_japanese_amount(m["amount"]).value
        except ValueError:
            continue
        if m["minus"] and _stated_negative(folded, m.start()):
            value = -value
        found.add(value)
        scale = (m["scale"] or m["short"] or "").lower()
        if scale and m["amount"].replace(",", "").replace(".", "").isdigit():  # '2.48 trillion', not '3万 m'
            found.add(parse_english_amount(("-" if value < 0 else "") + m["amount"], scale).value)
        if m["percent"]:
            found.add(round(value / 100, 9))
    for m in _QUOTE_FRACTION.finditer(folded):
        if int(m["b"]):
            found.add(round(int(m["a"]) / int(m["b"]), 6))
    for m in _QUOTE_NUMBER_WORD.finditer(folded) if _LATIN.search(folded) else ():
        found.add(float(EN_NUMBER_WORDS[m["word"].lower()]))
    if "半分" in folded:
        found.add(0.5)
    return frozenset(found)


def states_number(quote: str, value: float) -> bool:
    """The value is one of the numbers the quote states (to the precision a float keeps)."""
    return any(abs(value - n) <= 1e-9 * max(1.0, abs(n)) for n in stated_numbers(quote))


# A year: four digits alone, or glued after a list number ('121999年 キリバス加盟': item 12, 1999).
_QUOTE_YEAR = re.compile(r"(?<!\d)(?P<year>1[89]\d\d|20\d\d|2100)(?!\d)|(?P<year_ja>1[89]\d\d|20\d\d)(?=\s*年)")
_QUOTE_ERA_YEAR = re.compile(r"(?P<era>" + ERA + r")\s*(?P<era_year>\d{1,2}|元)\s*年")
# A date in figures: 2023/12/17, 2023-12-17, 2023.12 (the year first, as Japanese and ISO dates write it).
_QUOTE_NUMERIC_DATE = re.compile(r"(?<![\d.])(?P<year>\d{4})([/.\-])(?P<month>\d{1,2})(?:\2(?P<day>\d{1,2}))?(?![\d])")
_QUOTE_SHORT_YEAR = re.compile(r"(?<![\d.])(?P<yy>\d{2})\s*年")
_QUOTE_MONTH = re.compile(r"(?<![\d.])(?P<month>\d{1,2})\s*月|\b(?P<name>" + "|".join(MONTHS) + r")\b\.?", re.I)
_ORDINAL = r"(?:st|nd|rd|th)?"
_DAY_RANGE = r"(?:\s*(?:[-–~・、,]|to|and)\s*(?P<{0}>\d{{1,2}})" + _ORDINAL + ")?"
_QUOTE_DAY_JA = re.compile(r"(?<![\d.])(?P<day>\d{1,2})(?:\s*[・、,]\s*(?P<day2>\d{1,2}))?\s*日")
_QUOTE_DAY_EN = re.compile(
    r"(?<![\d.])(?P<en_day>\d{1,2})"
    + _ORDINAL
    + _DAY_RANGE.format("en_day2")
    + r"\s+(?:of\s+)?"
    + MONTH_NAME
    + r"|(?<![A-Za-z])(?="
    + "|".join(m[:3] for m in MONTH_NAMES)
    + ")"
    + MONTH_NAME
    + r"\.?\s+(?P<day_after>\d{1,2})"
    + _ORDINAL
    + _DAY_RANGE.format("day_after2")
    + r"(?!\d)",
    re.I,
)
WEEKDAYS = {
    **{d: i for i, d in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))},
    **{d: i for i, d in enumerate("月火水木金土日")},
}
_QUOTE_WEEKDAY = re.compile(
    r"\b(?P<en>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b|[(（](?P<ja>[月火水木金土日])(?:曜日?)?[)）]"
    r"|(?P<ja_word>[月火水木金土日])曜日?",
    re.I,
)


@dataclass(frozen=True)
class StatedDateParts:
    """The years, months and days a quote states, each read on its own."""

    years: frozenset[int]
    months: frozenset[int]
    days: frozenset[int]
    weekdays: frozenset[int]  # Monday is 0


@lru_cache(maxsize=4096)  # a quote often states the values of several columns (date, end_date, amount)
def stated_date_parts(quote: str) -> StatedDateParts:
    """Years (western, era, and two-digit years as either century), months (numbers before 月,
    English names) and days (before 日, or beside an English month name), and dates in figures
    (2023/12/17, 2023-12), stated in the quote."""
    folded = fold_text(quote)
    years = {int(m["year"] or m["year_ja"]) for m in _QUOTE_YEAR.finditer(folded)}
    for m in _QUOTE_ERA_YEAR.finditer(folded):
        try:
            years.add(era_to_year(m["era"], m["era_year"]))
        except ValueError:
            continue
    for m in _QUOTE_SHORT_YEAR.finditer(folded):
        years.update((1900 + int(m["yy"]), 2000 + int(m["yy"])))
    months = {int(m["month"]) if m["month"] else MONTHS[m["name"].lower()] for m in _QUOTE_MONTH.finditer(folded)}
    days: set[int] = set()
    for m in _QUOTE_NUMERIC_DATE.finditer(folded):
        if 1 <= int(m["month"]) <= 12:
            months.add(int(m["month"]))
            days.update([int(m["day"])] if m["day"] else [])
    latin = _LATIN.search(folded) is not None
    day_matches = [
        *(_QUOTE_DAY_JA.finditer(folded) if "日" in folded else ()),
        *(_QUOTE_DAY_EN.finditer(folded) if latin else ()),
    ]
    days.update(int(d) for m in day_matches for d in m.groupdict().values() if d and d.isdigit())
    weekdays = (
        {WEEKDAYS[(m["en"] or m["ja"] or m["ja_word"]).lower()] for m in _QUOTE_WEEKDAY.finditer(folded)}
        if latin or "曜" in folded or "(" in folded
        else set()
    )
    return StatedDateParts(frozenset(years), frozenset(months), frozenset(days), frozenset(weekdays))


def states_date(quote: str, date: str, year_from_context: bool = False) -> bool:
    """Each part of a partial ISO date ('2023', '2023-12', '2023-12-17') is stated in the quote;
    the year is not looked for when the extractor took it from the context (and said so)."""
    parts = stated_date_parts(quote)
    year, *rest = (int(p) for p in date.split("-"))
    month, day = (rest + [None, None])[:2]
    if month is not None and day is not None and calendar.weekday(year, month, day) in parts.weekdays:
        return True  # 'said Monday': the day named by its weekday, in the week of the document's date
    if day is not None and not parts.months and not parts.years:
        return day in parts.days  # a bare day ('21日午前'): its month and year are the context's
    return (
        (year_from_context or year in parts.years)
        and (month is None or month in parts.months)
        and (day is None or day in parts.days)
    )
