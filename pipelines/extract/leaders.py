"""People named with a head-of-state or head-of-government title, and ASEAN's Secretary-General (``leaders``).

Recognises a title (首相, 総理, 総理大臣, 内閣総理大臣, 大統領, 国家主席, 国王, スルタン, ASEAN事務総長;
Prime Minister, President, Sultan, King, Secretary-General of ASEAN) with the person's name and the
country, in any order, in prose, lists and tables:
- Japanese, the name before the title with the country glued to it (``<名>・<国>首相``,
  ``<名>・<国>共和国大統領``, ``<名>ASEAN事務総長``, ``<名><越>首相``), before the name (``<国>の<名>大統領``,
  a list ``<国>からは<名>国王陛下、…``, a table row ``<国>：<名>首相``) or after the title in brackets
  (``<名>首相（<国>）``); a name written in kanji with 総理/首相 and no country is Japan's prime minister;
  a country's title followed by the name (``<国>首相の<名>氏``);
- English, the title before the name (``Prime Minister <Name>``, ``the Prime Minister of <Country>,
  H.E. <Name>``, ``President <Name> of <Country>``) or after it (``<Name>, President of the Republic of
  <Country>``), the country as an adjective or a possessive (``Indonesian President <Name>``,
  ``<Country>'s Prime Minister``) or after ``of``; an unqualified ``Prime Minister <Name>`` is Japan's
  in a document mostly about Japan.
Honorifics (陛下, 閣下, 殿下, 氏; H.E., the Honourable, Dato' Sri…) are neither name nor title. One row per
person per document, at the first mention that states name, title and country. Deputies (副首相,
Deputy Prime Minister), former holders (元首相, former President), spouses (首相夫人), offices (首相官邸),
aides (総理大臣補佐官) and presidents of organisations are not leaders; nor is a country card's leader line,
which the ``statistics`` family reads (its person is not repeated from prose).
Does not belong here: ministers and officials (not in this table), dates (``timeline``).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from pipelines.extract.base import Spans
from pipelines.extract.family import Family
from pipelines.extract.places import places_in
from pipelines.extract.source import Source
from pipelines.extract.statistics import LEADER_LINE, STAT_LINE
from pipelines.normalize import country_code, country_code_wrapped, country_name_pattern, trie_pattern

# --- Lexicons (general vocabulary) ------------------------------------------------------------------

JA_PM_TITLES = ("内閣総理大臣", "総理大臣", "総理", "首相")
JA_TITLES = (*JA_PM_TITLES, "大統領", "国家主席", "国王", "スルタン", "事務総長")
EN_PM_TITLES = ("Prime Minister", "prime minister")
EN_TITLES = (
    *EN_PM_TITLES,
    "Premier",
    "President",
    "Sultan",
    "Sultan and Yang Di-Pertuan",
    "King",
    "Secretary-General",
    "Secretary General",
)
SECRETARY_GENERAL = ("事務総長", "Secretary-General", "Secretary General")
TITLE = re.compile(trie_pattern([*JA_TITLES, *EN_TITLES]))

# What, written right before a title, makes it another office or a former holder.
JA_NOT_BEFORE = ("副", "元", "前", "故", "次期", "暫定", "臨時", "歴代", "初代")
# What, written right after a title, makes the phrase a spouse, an office, an aide, an election...
JA_NOT_AFTER = re.compile(
    r"国|夫人|夫妻|府|官邸|公邸|補佐|秘書|特使|代理|候補|経験|選|令|室|顧問|主催|杯|賞|就任|退任|辞任"
)
JA_HONORIFIC_AFTER = re.compile(r"\s?(?:陛下|閣下|殿下|氏|様)")
EN_NOT_BEFORE = re.compile(r"(?:Deputy|Vice|Acting|Interim|[Ff]ormer|[Ee]x|[Ll]ate|Senior|Assistant|Associate)[ -]$")
EN_NOT_AFTER = re.compile(r"[-‐](?:elect|designate)\b")

# Words that may stand before a kanji name in a run of kanji (冒頭山川総理は): time and place adverbs.
JA_LEADING_WORDS = re.compile(
    r"^(?:冒頭|今回|今般|同日|本日|当日|翌日|前日|昨日|先日|同年|同月|当時|席上|会談|会議|会合|同会議|首脳会議"
    r"|日本国?|我が国|また|更に|特に)"
)
# A kanji "name" that is a determiner or a noun, not a person (同首相, 両首相, 各国首相, 新首相).
JA_NOT_A_NAME = re.compile(
    r"^(?:同|両|各|新|現|元|前|故|歴代|初代|次期|暫定|女性|若手|当時|首脳|各国|相手国|議長国)$|国$"
)
# Japanese single-kanji country abbreviations, read only right after a name in katakana (フック越首相).
JA_ABBREVIATIONS = {
    "日": "JPN",
    "米": "USA",
    "英": "GBR",
    "仏": "FRA",
    "独": "DEU",
    "中": "CHN",
    "韓": "KOR",
    "露": "RUS",
    "豪": "AUS",
    "印": "IND",
    "越": "VNM",
    "比": "PHL",
    "泰": "THA",
    "馬": "MYS",
    "尼": "IDN",
    "星": "SGP",
    "緬": "MMR",
}
JA_STATE_SUFFIX = re.compile(r"(?:人民民主共和国|社会主義共和国|民主共和国|連邦共和国|共和国|連邦|王国|国|事務局)$")

# English adjectives of nationality that no ISO list carries (a country's name is read by country_code).
EN_ADJECTIVES = {
    "Japanese": "JPN",
    "Indonesian": "IDN",
    "Malaysian": "MYS",
    "Thai": "THA",
    "Vietnamese": "VNM",
    "Philippine": "PHL",
    "Filipino": "PHL",
    "Singaporean": "SGP",
    "Cambodian": "KHM",
    "Khmer": "KHM",
    "Lao": "LAO",
    "Laotian": "LAO",
    "Burmese": "MMR",
    "Myanmar": "MMR",
    "Bruneian": "BRN",
    "Timorese": "TLS",
    "East Timorese": "TLS",
    "Chinese": "CHN",
    "Korean": "KOR",
    "South Korean": "KOR",
    "Indian": "IND",
    "Australian": "AUS",
    "American": "USA",
    "U.S.": "USA",
    "US": "USA",
    "British": "GBR",
    "French": "FRA",
    "German": "DEU",
    "Russian": "RUS",
    "Canadian": "CAN",
    "New Zealand": "NZL",
}
EN_STATE_PREFIX = re.compile(
    r"^(?:the\s+)?(?:(?:Socialist|Democratic|Federal|People's|Islamic)\s+)?(?:Republic|Kingdom|Union|State|Sultanate)"
    r"\s+of\s+(?:the\s+)?(?:Union\s+of\s+)?",
    re.I,
)
EN_STATE_SUFFIX = re.compile(r"\s+(?:Secretariat|Darussalam)$")

# English names: capitalised words (initials, hyphens, apostrophes), with the particles of Malay,
# Spanish, Dutch and Arabic names between them.
EN_TOKEN = r"(?:(?:[A-Z]\.)+|[A-Z][A-Za-z]*(?:[-'’][A-Za-z]+)*)"
EN_PARTICLE = r"(?:bin|binti|bte|de|del|da|dos|van|von|al|el|la|le)"
EN_NAME = rf"{EN_TOKEN}(?: (?:{EN_PARTICLE} )?{EN_TOKEN}){{0,6}}"
EN_HONORIFIC = (
    r"(?:H\. ?E\.?|His Excellency|Her Excellency|His Majesty|Her Majesty|His Royal Highness|Her Royal Highness"
    r"|(?:the |The )?(?:Rt\.? )?(?:Right )?Hon(?:ou?rable|\.)|Mr\.?|Mrs\.?|Ms\.?|Dr\.?|Prof\.?|Professor"
    r"|Dato['’]? Sri|Dato['’]? Seri|Datuk Seri|Datuk|Dato['’]?|Tan Sri|Tun|Pehin"
    r"|Samdech|Techo|Haji|Sir|Dame|General|Gen\.|King|Queen|Sultan|Prince|Princess)"
)
EN_HONORIFICS = re.compile(rf"(?:{EN_HONORIFIC},? )+")
EN_NAME_AFTER = re.compile(rf"(?P<comma>,? (?:the )?)(?P<hon>(?:{EN_HONORIFIC},? )*)(?P<name>{EN_NAME})")
EN_NAME_BEFORE = re.compile(rf"(?P<name>{EN_NAME})(?P<sep>,? (?:the )?)$")
EN_OF = re.compile(r" of (?:the )?")
# Capitalised words that end a name (the sentence or another phrase goes on).
EN_NOT_IN_NAME = frozenset(
    "The A An And Or Of In On At For To With By From During After Before As But He She His Her It This That"
    " These Their Said Says Will Was Is Has Had Who Which When While Government Cabinet Office Administration"
    " Minister Ministers Summit Meeting Meetings ASEAN Japan Foreign Finance Defense Defence Economy Trade"
    " Prime President King Sultan Secretary Deputy Vice Chairman Chair"
    " January February March April May June July August September October November December"
    " Monday Tuesday Wednesday Thursday Friday Saturday Sunday Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec".split()
)

KATAKANA_NAME = "ァ-ヶー・="
KANJI = "一-龯々"
JA_NAME_CHARS = re.compile(rf"[{KATAKANA_NAME}{KANJI}A-Za-z]+$")
LATIN_WORD = re.compile("[A-Za-z]+")
JA_COUNTRY_BEFORE = re.compile(
    rf"(?P<country>[{KATAKANA_NAME}{KANJI}A-Za-z]+)(?P<link>の|からは|から|[ \t]*[:：][ \t]*)$"
)
JA_COUNTRY_LABEL = re.compile(rf"^[ \t]*(?P<country>[{KATAKANA_NAME}{KANJI}A-Za-z]+)[ \t]+$")
JA_COUNTRY_AFTER = re.compile(r"[ \t]?[(（](?P<country>[^()（）\n]{1,20})[)）]")
JA_NAME_AFTER_TITLE = re.compile(rf"(?:の|[ \t])?(?P<name>[{KATAKANA_NAME}]{{2,30}})(?:[ \t]?(?:氏|閣下|陛下|殿下))")


def country_at_end(run: str) -> tuple[str, int] | None:
    """(code, where it starts) of the country that ends a run of name characters, trying the run and
    its tails from each change of script or separator (ASEAN議長国カンボジア -> カンボジア)."""
    cuts = [0] + [i for i in range(1, len(run)) if run[i - 1] in "・=" or _script(run[i - 1]) != _script(run[i])]
    for i in cuts:
        if code := country_of(run[i:]):
            return code, i
    return None


def _script(c: str) -> str:
    return "k" if c in "ー・=" or "ァ" <= c <= "ヶ" else "l" if c.isascii() else "h"


def country_of(name: str) -> str | None:
    """The code of a country (or of ASEAN) named in Japanese or English, by its name, its state name
    (ミャンマー連邦共和国, the Republic of the Union of Myanmar, ASEAN事務局) or its English adjective."""
    name = re.sub(r"['’]s?$", "", name.strip(" \t\n・="))
    if len(name) < 2:
        return None
    if len(name) == 3 and name.isascii() and not name.isupper():
        return EN_ADJECTIVES.get(name)  # a word such as 'Hun' or 'Can', not the alpha-3 code it spells
    if code := country_code(name) or EN_ADJECTIVES.get(name):
        return code
    for pattern in (JA_STATE_SUFFIX, EN_STATE_PREFIX, EN_STATE_SUFFIX):
        short = pattern.sub("", name)
        if short != name and len(short) >= 2 and (code := country_code(short)):
            return code
    return None


@dataclass
class Mention:
    """A person named with a title, with the country when the text states it."""

    start: int  # the span stating name, title and country
    end: int
    name_start: int
    name: str
    title: str
    entity: str | None
    how: str
    card: bool = False  # a country card's leader line (read by the statistics family)
    assumed: bool = False  # the country is not stated but assumed (Japan's prime minister)


def name_key(name: str) -> str:
    """A name folded for comparison: width, case, separators and spaces removed."""
    return re.sub(r"[\s・=.'’\-]", "", unicodedata.normalize("NFKC", name)).casefold()


def same_person(a: str, b: str) -> bool:
    """Two names of one person: one begins or ends the other (ボランサク, ボラン・サク; Oduya, Tamsin Oduya;
    ソムラ, ソムラ・ケオマニー)."""
    ka, kb = sorted((name_key(a), name_key(b)), key=len)
    return bool(ka) and (kb.startswith(ka) or kb.endswith(ka))


# --- Japanese -------------------------------------------------------------------------------------


def _japanese(src: Source, m: re.Match) -> Mention | None:
    text, folded = src.text, src.folded
    t0, t1, title = m.start(), m.end(), m.group()
    if any(folded.endswith(w, 0, t0) for w in JA_NOT_BEFORE) or JA_NOT_AFTER.match(folded, t1):
        return None
    line_start = folded.rfind("\n", 0, t0) + 1
    head_end = t0
    # A katakana name may stand one space before its title in tables and news lists.
    if t0 - 1 > line_start and folded[t0 - 1] in " \u3000" and re.match(f"[{KATAKANA_NAME}]", folded[t0 - 2]):
        head_end = t0 - 1
    h = JA_NAME_CHARS.search(folded, max(line_start, head_end - 40), head_end)
    head_start = h.start() if h else head_end
    # <katakana name> ASEAN事務総長: one space between the name and the organisation glued to the title
    if (
        h
        and LATIN_WORD.fullmatch(folded, head_start, head_end)
        and head_start - 2 >= line_start
        and folded[head_start - 1] in " \u3000"
        and re.match(f"[{KATAKANA_NAME}]", folded[head_start - 2])
        and (before := JA_NAME_CHARS.search(folded, max(line_start, head_start - 41), head_start - 1))
        and country_of(before.group()) is None
        and not places_in(folded, before.start(), before.end())  # a city before the title names no one
    ):
        head_start = before.start()
    name_span, glued = _split_head(folded, head_start, head_end)
    how = ""
    country_span: tuple[int, int] | None = None
    entity = None
    end = t1
    if glued:
        entity, country_span, how = glued
    after = JA_HONORIFIC_AFTER.match(folded, t1)
    after_title = after.end() if after else t1
    if name_span is None:
        # <国>首相の<名>氏: the country's title, then the name.
        if entity and (n := JA_NAME_AFTER_TITLE.match(folded, after_title)):
            name_span, end = n.span("name"), n.end("name")
            how = how + ", the name after the title"
        else:
            return None
    ns, ne = name_span
    if entity is None and (p := JA_COUNTRY_AFTER.match(folded, after_title)) and (code := country_of(p["country"])):
        entity, country_span, how = code, p.span(), "country in brackets after the title"
    if entity is None and (c := JA_COUNTRY_BEFORE.search(folded, max(line_start, ns - 40), ns)):
        if found := country_at_end(c["country"]):
            entity, country_span = found[0], (c.start("country") + found[1], c.end("country"))
            how = "country in a list before the name" if c["link"].startswith("から") else "country before the name"
    if entity is None and (lab := JA_COUNTRY_LABEL.match(folded[line_start:ns])):
        if code := country_of(lab["country"]):
            entity, country_span = code, (line_start + lab.start("country"), line_start + lab.end("country"))
            how = "country labelling the row"
    assumed = False
    if entity is None and title in JA_PM_TITLES and re.fullmatch(f"[{KANJI}]+", folded[ns:ne]):
        entity, how, assumed = "JPN", "a name in kanji with 総理/首相 and no country: Japan's prime minister", True
    a = min(ns, country_span[0]) if country_span else ns
    b = max(end, country_span[1]) if country_span else end
    if entity is None:
        src.skip(a, b, "a person named with a title, but no country stated")
        return None
    if (entity == "ASEAN") != (title in SECRETARY_GENERAL):
        return None  # ASEAN's only leader here is its Secretary-General, and he is no country's
    return Mention(a, b, ns, text[ns:ne], text[t0:t1], entity, how, assumed=assumed)


def _split_head(folded: str, a: int, b: int) -> tuple[tuple[int, int] | None, tuple | None]:
    """The name and the country glued to it in the run of name characters folded[a:b] before a title:
    (name span or None, (code, country span, how) or None)."""
    head = folded[a:b]
    if head.endswith(("・", "=")):
        return None, None  # a list separator right before the title (開会式・総理挨拶): no name
    glued = None
    # ASEAN (or a country) in Latin letters right before the title: カオ・リムヘンASEAN事務総長
    if lat := re.search(r"[A-Za-z]+$", head):
        code = country_of(lat.group())
        if code is None:
            return None, None
        glued = (code, (a + lat.start(), b), "country glued to the title")
        head = head[: lat.start()].rstrip(" \u3000")
    elif seps := [i for i, c in enumerate(head) if c in "・="]:
        # <名>・<国>首相: the longest tail after a separator that names a country
        for i in seps:
            if code := country_of(head[i + 1 :]):
                glued = (code, (a + i + 1, b), "country glued to the title")
                head = head[:i]
                break
    if glued is None and (k := re.search(f"(?<=[{KATAKANA_NAME}])[{KANJI}]+$", head)):
        # <名><越>首相: a katakana name with a kanji country or abbreviation glued to it
        tail = k.group()
        code = JA_ABBREVIATIONS.get(tail) or country_of(tail)
        if code is None:
            return None, None
        glued = (code, (a + k.start(), b), "country abbreviation glued to the title")
        head = head[: k.start()]
    if glued is None and head and all(c in JA_ABBREVIATIONS for c in head):
        code = JA_ABBREVIATIONS[head[-1]] if len(head) == 1 else None
        return None, (code, (a, b), "country abbreviation before the title") if code else None
    if glued is None and head and (code := country_of(head)):
        return None, (code, (a, b), "country glued to the title")
    head = head.rstrip("・=")
    if not head:
        return None, glued
    # The name: the trailing run of one script (katakana with its separators, or kanji).
    if re.search(f"[{KATAKANA_NAME}]$", head):
        run = re.search(f"[{KATAKANA_NAME}]+$", head)
    else:
        run = re.search(f"[{KANJI}]+$", head)
    if run is None:
        return None, glued
    ns, name = a + run.start(), run.group()
    if re.fullmatch(f"[{KANJI}]+", name):
        # A date's unit glued before a name (1月山川総理), then adverbs (冒頭山川総理).
        if ns > 0 and folded[ns - 1].isdigit() and (unit := re.match("[年月日時分頃]+", name)):
            ns, name = ns + unit.end(), name[unit.end() :]
        if (lead := JA_LEADING_WORDS.match(name)) and lead.end() < len(name):
            ns, name = ns + lead.end(), name[lead.end() :]
        if not name or len(name) > 6 or JA_NOT_A_NAME.search(name) or country_of(name):
            return None, glued
    else:
        stripped = name.strip("・=")
        ns += len(name) - len(name.lstrip("・="))
        name = stripped
        if len(name) < 2 or country_of(name):
            return None, glued
    return (ns, ns + len(name)), glued


# --- English --------------------------------------------------------------------------------------


def _english(src: Source, flat: str, m: re.Match, dominant: str | None) -> Mention | None:
    text = src.text
    t0, t1, title = m.start(), m.end(), m.group()
    if (t0 > 0 and flat[t0 - 1].isalpha()) or EN_NOT_BEFORE.search(flat, max(0, t0 - 12), t0):
        return None
    if t1 < len(flat) and (flat[t1].isalpha() or EN_NOT_AFTER.match(flat, t1)):
        return None
    entity, country_span, how = None, None, ""
    # The country before the title: an adjective, a name or a possessive (Indonesian President, Japan's).
    before = re.search(r"((?:[A-Z][\w.'’-]*\s){1,4})$", flat[max(0, t0 - 60) : t0])
    if before:
        words = before.group(1).split()
        base = t0 - len(before.group(1))
        for k in range(len(words)):
            if code := country_of(" ".join(words[k:])):
                start = base + len(" ".join(words[:k])) + (1 if k else 0)
                entity, country_span, how = code, (start, t0), "country before the title"
                break
    pos = t1
    # The country after the title: '<title> of <country>'.
    if of := EN_OF.match(flat, t1):
        c = country_name_pattern().match(flat, of.end())
        if c and not re.match(
            r"[-‐]|\s+(?:[A-Z][a-z]+\s+)*(?:Centre|Center|Foundation|Fund|Institute|University"
            r"|Association|Council|Committee|Bank|Forum|Agency|Organi[sz]ation)\b",
            flat[c.end() :],
        ):
            code = country_code_wrapped(c.group()) or country_of(c.group())
            if code and entity is None:
                entity, country_span, how = code, (t1, c.end()), "country after the title"
            pos = c.end()
        elif entity is None:
            return None  # the president of an organisation, not of a country
    name_span = None
    # The name after the title: 'Prime Minister <Name>', 'Prime Minister of <Country>, H.E. <Name>'.
    if n := EN_NAME_AFTER.match(flat, pos):
        span = _clean_name(flat, n.start("name"), n.end("name"))
        comma = "," in n["comma"]
        if span and (not comma or n["hon"] or len(flat[span[0] : span[1]].split()) >= 2):
            name_span = span
    # The name before the title: '<Name>, President of the Republic of <Country>' (needs the country).
    if name_span is None and entity is not None and country_span and country_span[0] >= t1:
        if nb := EN_NAME_BEFORE.search(flat, max(0, t0 - 120), t0):
            if "," in nb["sep"]:
                name_span = _clean_name(flat, nb.start("name"), nb.end("name"), from_end=True)
    if name_span is None:
        return None
    ns, ne = name_span
    # 'President <Name> of <Country>'
    if entity is None and ns >= t1 and (of := EN_OF.match(flat, ne)):
        c = country_name_pattern().match(flat, of.end())
        if c and (code := country_code_wrapped(c.group()) or country_of(c.group())):
            entity, country_span, how = code, (ne, c.end()), "country after the name"
    assumed = False
    if entity is None and title in EN_PM_TITLES and dominant == "JPN":
        entity, how, assumed = "JPN", "an unqualified 'Prime Minister' in a document mostly about Japan", True
    is_sg = title in SECRETARY_GENERAL
    a = min(t0, ns, *(country_span[:1] if country_span else ()))
    b = max(t1, ne, *(country_span[1:] if country_span else ()))
    if entity is None or (entity == "ASEAN") != is_sg:
        if entity is None:
            src.skip(a, b, "a person named with a title, but no country stated")
        return None
    name = re.sub(r"\s+", " ", text[ns:ne])
    return Mention(a, b, ns, name, re.sub(r"\s+", " ", text[t0:t1]), entity, how, assumed=assumed)


def _clean_name(flat: str, a: int, b: int, from_end: bool = False) -> tuple[int, int] | None:
    """The person's name within flat[a:b]: honorifics and a possessive dropped, cut at the first word
    that cannot be part of a name (from the end: after the last one)."""
    words = [(w.start() + a, w.end() + a) for w in re.finditer(r"\S+", flat[a:b])]
    if from_end:
        keep: list[tuple[int, int]] = []
        for s, e in reversed(words):
            if flat[s:e] in EN_NOT_IN_NAME or country_of(flat[s:e]):
                break
            keep.insert(0, (s, e))
        words = keep
        # drop honorifics in front
        while words and (h := EN_HONORIFICS.match(flat[words[0][0] : words[-1][1]] + " ")):
            skip = words[0][0] + h.end()
            words = [(s, e) for s, e in words if s >= skip]
    else:
        kept: list[tuple[int, int]] = []
        for s, e in words:
            if flat[s:e] in EN_NOT_IN_NAME or country_of(flat[s:e]):
                break
            kept.append((s, e))
        words = kept
    if not words:
        return None
    s, e = words[0][0], words[-1][1]
    if poss := re.search(r"['’]s$", flat[s:e]):
        e -= len(poss.group())
    if e - s < 2 or EN_HONORIFICS.fullmatch(flat[s:e] + " "):
        return None
    if GENERATION_SUFFIX.search(flat, s, e) and flat.startswith(".", e):
        e += 1  # 'Jr.' keeps its full stop
    return s, e


GENERATION_SUFFIX = re.compile(r"\b(?:Jr|Sr)\Z")
CAPITALISED_WORD = re.compile(r"\b[A-Z][a-z]{3,}\b")


def _dominant_country(flat: str) -> str | None:
    """The country the document names most often (by name or adjective), when one stands out."""
    counts: Counter[str] = Counter()
    for c in country_name_pattern().finditer(flat):
        if (code := country_code_wrapped(c.group())) and code != "ASEAN":
            counts[code] += 1
    for word in CAPITALISED_WORD.findall(flat):
        if code := EN_ADJECTIVES.get(word):
            counts[code] += 1
    ranked = counts.most_common(2)
    if not ranked or ranked[0][1] < 2 or (len(ranked) > 1 and ranked[1][1] * 2 > ranked[0][1]):
        return None
    return ranked[0][0]


# A country card's stat line, searched for in the card before a leader line.
STAT_LINES = re.compile(STAT_LINE.pattern, re.M)

# --- The family -----------------------------------------------------------------------------------


def _card_leader(src: Source, pos: int) -> str | None:
    """The name on a country card's leader line holding the title at pos (the statistics family reads
    those lines), else None."""
    a = src.folded.rfind("\n", 0, pos) + 1
    b = src.folded.find("\n", pos)
    b = len(src.folded) if b == -1 else b
    line = LEADER_LINE.match(src.folded[a:b])
    if line is None:
        return None
    seg_a, _ = src.segment_of(pos)
    # The statistics family reads a leader line closing a card, after the card's stat lines.
    return line["name"] if STAT_LINES.search(src.folded, seg_a, a) else None


def leader_mentions(src: Source) -> list[Mention]:
    """Every person named with a title and a country (stated, or assumed for Japan's prime minister), in
    order, and the leader lines of country cards (marked, without a country)."""
    folded = src.folded
    flat = folded.replace("\n", " ")
    dominant: str | None = None
    dominant_done = False
    out = []
    for m in TITLE.finditer(folded):
        if m.group()[0].isascii():
            if not dominant_done and m.group() in EN_PM_TITLES:
                dominant, dominant_done = _dominant_country(flat), True
            mention = _english(src, flat, m, dominant)
        elif card_name := _card_leader(src, m.start()):
            mention = Mention(m.start(), m.end(), m.start(), card_name, m.group(), None, "country card", card=True)
        else:
            mention = _japanese(src, m)
        if mention is not None:
            out.append(mention)
    return out


def _drop_words_before_names(mentions: list[Mention]) -> list[Mention]:
    """A kanji 'name' that is another mention's kanji name with a word before it (冒頭山川 beside 山川)
    is that name: Japanese runs of kanji do not show where a word ends."""
    kanji = {m.name for m in mentions if re.fullmatch(f"[{KANJI}]+", m.name)}
    for m in mentions:
        if m.name in kanji:
            shorter = [n for n in kanji if len(n) >= 2 and len(n) < len(m.name) and m.name.endswith(n)]
            if shorter:
                cut = len(m.name) - len(max(shorter, key=len))
                if m.start == m.name_start:
                    m.start += cut
                m.name, m.name_start = m.name[cut:], m.name_start + cut
    return mentions


def extract_leaders(src: Source, stated: Spans | None = None) -> dict[str, list[dict]]:
    mentions = _drop_words_before_names(leader_mentions(src))
    on_cards = [m.name for m in mentions if m.card]
    explicit = [(m.entity, m.name) for m in mentions if m.entity and not m.assumed]
    seen: list[tuple[str, str]] = []
    rows = []
    for m in mentions:
        if m.card or m.entity is None:
            continue
        if any(same_person(m.name, n) for n in on_cards):
            continue  # the country card names this person: the statistics family's row
        if any(e == m.entity and same_person(m.name, n) for e, n in seen):
            continue
        if m.assumed and any(e != m.entity and same_person(m.name, n) for e, n in explicit):
            continue  # the document states this person's country elsewhere, and it is another
        seen.append((m.entity, m.name))
        rows.append(src.fact(m.start, m.end, [m.how], entity_code=m.entity, name=m.name, title=m.title))
    return {"leaders": rows}


FAMILY = Family("leaders", tables=("leaders",), extract=extract_leaders)
