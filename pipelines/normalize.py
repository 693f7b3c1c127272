"""Normalisation, done once and only here.

Belongs here: folding full-width characters, reading numbers with 万/億/兆 and 百万, 約/about
(approximate), Japanese era years, dates at the precision stated, date ranges and durations,
country names to ISO 3166-1 alpha-3, currencies to ISO 4217.
Does not belong here: finding statements in a document (the extractors do that) or any value
taken from a particular document.
"""

from __future__ import annotations

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


# Split on runs of characters to fold (captured, so they come back as every other piece).
_FOLD_RUNS = re.compile("([" + re.escape("".join(map(chr, sorted(_FOLD_TABLE)))) + "]+)")


def fold_text(text: str) -> str:
    """Full-width letters, digits and punctuation to ASCII, CR to a space, keeping every offset unchanged."""
    if text.isascii():  # most calls: numbers and words already taken from folded text
        return text.replace("\r", " ")
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
    note = None
    if len(groups) > 1 and any(len(g) != 3 for g in groups[1:]):
        note = f"malformed thousands separator in {text!r}; read as {s.replace(',', '')}"
    return ParsedNumber(float(s.replace(",", "")), note)


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
    return ParsedNumber(round(total, 6), "; ".join(notes) or None)


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

ERAS = {"令和": 2018, "平成": 1988, "昭和": 1925}
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
JP_YEAR = r"(?:(?P<era>令和|平成|昭和)\s*(?P<era_year>\d{1,2}|元)年(?:\s*[（(]\s*(?P<era_western>\d{4})年\s*[）)])?|(?P<year>\d{4})年)"
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
    if not 1 <= day <= 31:
        raise ValueError(f"day out of range: {day}")
    return f"{year:04d}-{month:02d}-{day:02d}"


def era_to_year(era: str, year_text: str) -> int:
    n = 1 if year_text == "元" else int(fold_text(year_text))
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
