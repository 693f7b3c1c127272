"""What a stated number counts: a short phrase in the source's words (the ``subject`` of a metric).

Japanese, tried in this order around ``<number><counter>``:
- the thing named after it: ``3つのイニシアティブ``, ``4つをテーマとした``, ``2,514件の事業``,
  ``3,000人以上の“パートナーズ”``, ``1,000人の研究者`` (for people, only a noun naming people);
- the noun glued before it (``大学生107名``, ``メコン地域5カ国``, ``ASEAN10か国``, ``日本参加青年 20名``,
  ``ネットワーク（ASCN）10か国``), without words that name no thing (合計, 約, 現在, 当初...); a list of
  names before it is skipped for the clause that qualifies the list (``メコン川流域に位置する、A、B、C
  の東南アジア5カ国``); the label a bracketed count follows (``構築研修（４か国）``); the owner before の
  (``ASEANの4都市``); the label of its line (``参加者：約800名``);
- the action the sentence does to it (``1万人を…受け入れる``: 受け入れ人数; ``5か国へ…派遣``:
  派遣先国; ``…が加盟し、現在は10か国で構成``: 加盟国; ``368名招聘``), from a lexicon of such verbs;
- the sentence's topic (``派遣人数は、2014年に100人``, ``派遣先も広がり、当初の5か国``);
- the counter when it is a noun itself (``4項目``, ``3本柱``).
A share (``%``, ``割``) is of the noun before ``の/は/が``; a share of Japan or the world is a ratio.
English: the noun phrase after the number with its ``of``-phrase, ``to``-clause, participle or
``since``-clause (``four main objectives of the Centre``, ``20 training courses are offered``), a
compound (``10-nation group``, ``10-member Association of …``), the phrase after ``N% of``.
A subject is at most MAX_SUBJECT characters and never the number itself.
Does not belong here: finding the numbers (``quantities``).
"""

from __future__ import annotations

import re

from pipelines.extract.base import BULLETS
from pipelines.extract.source import Source
from pipelines.normalize import remove_spaces

MAX_SUBJECT = 64
NOUN = r"[\u4e00-\u9fff々〆ヵヶァ-ヴーA-Za-z&]"
NOUN_CHAR = re.compile(NOUN)
# Words that name no thing: totals, approximations, time.
GENERIC = (
    "合計",
    "総計",
    "累計",
    "累積",
    "総数",
    "総勢",
    "延べ",
    "最大",
    "最多",
    "計約",
    "計",
    "約",
    "現在",
    "当初",
    "全",
    "各",
    "毎年",
    "年間",
    "過去",
    "今後",
    "方々",
    "以上",
    "以下",
    "当面",
    "半分",
    "半数",
    "大半",
    "一部",
    "全体",
    "残り",
    "最後",
    "最初",
    "上位",
    "下位",
    "同",
)
# A phrase that names a time, not a thing: '2015年度', '現在', '今回'.
TIME_WORD = re.compile(
    r"(?:^(?:年|月|日|時|後|前)|\d|\d年|\d月|\d日|年度|時点|現在|当初|今回|今年|本年|昨年|来年|初年度|以降|以来|期間|頃|まで|際)$"
)
DEMONSTRATIVE_BEFORE = re.compile(r"(?:この|その|あの|本|同|当|これら|それら)$")
BOUND = r"(?:以上|超|余り|程度|前後|近く)?"
# A noun, an adjective and its noun ('新たな方向性'), or two nouns linked by の ('政策の柱').
NOUN_PHRASE = NOUN + r"{1,20}(?:(?:たな|的な|な|い|の)" + NOUN + r"{1,20})?"
QUOTED_AFTER = re.compile(BOUND + r"の[“\"「『](?P<n>[^”\"」』\n]{1,30})[”\"」』]")
NOUN_AFTER = re.compile(BOUND + r"(?:の|を超える|を超す)(?P<n>" + NOUN_PHRASE + r")")
# '3つをテーマとした', '4つを新たな取組の柱とする', '5つが協力分野'
THEME_AFTER = re.compile(
    r"(?:を(?P<n>" + NOUN_PHRASE + r")(?:と|に)|が(?P<m>" + NOUN + r"{1,20})(?=[)）。、]|$))", re.M
)
# '参加者：約800名', '【規模】 約1,500人', '参加人数： A 20名 + B 90名 = 110名': the label of the line.
LINE_LABEL = re.compile(
    r"^[ \t]*(?:["
    + BULLETS
    + r"][ \t]*)?(?:[(（][^)）\n]{1,6}[)）][ \t]*)?[【\[]?(?P<n>[^\s：:【】\[\]。、]{1,20}?)[】\]]?[ \t]*[：:]",
    re.M,
)
# 'Xの約30%', '支援が約6割': the owner of a share, before the number.
SHARE_OWNER = re.compile(r"(?:の|は|が)(?:約|およそ|全体の)?\s*$")
COMPARISON = re.compile(r"(?:日本|世界|世界平均|全体)の(?:約|およそ)?\s*$")
# 'LABEL（4か国）': a count in brackets right after what it counts.
BRACKET_COUNT_BEFORE = re.compile(r"[(（]\s*(?:約|およそ)?\s*$")
FREQUENCY_BEFORE = re.compile(r"(?:年|毎年|月|毎月|週|毎週|日|毎日|ヶ月に|か月に|カ月に|年に|月に)\s*(?:約)?\s*$")
RATE_BEFORE = re.compile(r"(?:各[\u4e00-\u9fff]{0,3}|[×x*]|当たり|あたり|につき)\s*(?:約)?\s*$")
# Counters of things that a following noun names ('2つのイニシアティブ', '2,514件の事業'); after other
# counters the noun is a property of what is counted ('34州の半分').
AFTER_NOUN_COUNTERS = frozenset({"つ", "件", "本", "回", "項目", "期", "バッチ", "㎡", "m2", "社", "団体"})
ACRONYM_BEFORE = re.compile(r"[(（][A-Z][A-Za-z0-9&\-]{1,10}[)）]$")
PERSON_NOUN = re.compile(
    r"(?:者|生|員|人|師|家|官|士|手|職員|青年|少年|児童|生徒|子供|子ども|女性|男性|市民|住民|選手|パートナーズ|リーダー|メンバー)$"
)
PARTICLE_AFTER = re.compile(r"(?:以上|超|余り|程度|前後|近く)?\s*(?P<p>を|が|に|へ|から|で|の|と)")
BRACKETED = re.compile(r"[(（][^)）]{0,120}[)）]|「[^」]{0,60}」|『[^』]{0,60}』|“[^”]{0,60}”")
# Actions done to people or countries: (verb, subject for persons, subject for countries).
VERBS = [
    ("受け入れ", "受け入れ人数", "送り出し国"),
    ("受入れ", "受入れ人数", "送り出し国"),
    ("受入", "受入人数", "送り出し国"),
    ("招へい", "招へい人数", "招へい国"),
    ("招聘", "招聘人数", "招聘国"),
    ("派遣", "派遣人数", "派遣先国"),
    ("訪日", "訪日者数", "訪日国"),
    ("来日", "来日者数", "来日国"),
    ("参加", "参加者数", "参加国"),
    ("出席", "出席者数", "出席国"),
    ("修了", "修了者数", None),
    ("卒業", "卒業者数", None),
    ("受益", "受益者数", None),
    ("裨益", "受益者数", None),
    ("登録", "登録者数", "登録国"),
    ("育成", "育成人数", None),
    ("養成", "養成人数", None),
    ("研修", "研修人数", "研修対象国"),
    ("招待", "招待人数", "招待国"),
    ("採用", "採用人数", "採用国"),
    ("交流", "交流人数", None),
    ("加盟", None, "加盟国"),
    ("構成", None, "加盟国"),
    ("設立", None, "原加盟国"),
    ("創設", None, "原加盟国"),
    ("結成", None, "原加盟国"),
    ("発足", None, "原加盟国"),
    ("署名", None, "署名国"),
    ("批准", None, "批准国"),
    ("導入", None, "導入国"),
]
VERB = re.compile("|".join(v for v, _, _ in VERBS))
VERB_SUBJECT = {v: (p, c) for v, p, c in VERBS}
# A glued noun that is itself one of those verbs: 加盟10カ国 = 加盟国.
GLUED_VERB_COUNTRY = {"加盟": "加盟国", "参加": "参加国", "対象": "対象国", "派遣先": "派遣先国"}
COUNTER_NOUN = {
    "項目": "項目",
    "本柱": "柱",
    "分野": "分野",
    "拠点": "拠点",
    "原則": "原則",
    "都市": "都市",
    "機関": "機関",
    "社": "企業",
    "校": "学校",
    "団体": "団体",
    "大学": "大学",
    "層": "層",
}
COUNTRY_SUFFIX = "諸国"


def _noun_start(text: str, end: int, floor: int) -> int:
    """Start of the run of noun characters (kanji, katakana, Latin) ending at end."""
    i = end
    while i > floor and NOUN_CHAR.match(text[i - 1]):
        i -= 1
    return i


def strip_generic(word: str) -> str:
    """'方々合計' -> '', '現地日本語教師約' -> '現地日本語教師': words that name no thing, from both ends."""
    changed = True
    while word and changed:
        changed = False
        for g in GENERIC:
            if word.endswith(g):
                word, changed = word[: -len(g)], True
            elif word.startswith(g) and len(word) > len(g):
                word, changed = word[len(g) :], True
    return word


def _list_start(text: str, pos: int, floor: int) -> int | None:
    """Where a list of two or more names separated by 、 ends at pos ('A、B、Cの' with pos at 'の')."""
    items, i, first = 0, pos, pos
    while True:
        j = _noun_start(text, i, floor)
        if j == i:
            break
        items, first = items + 1, j
        if j > floor and text[j - 1] in "、,，・":
            i = j - 1
            continue
        break
    return first if items >= 2 else None


def _relative_clause(text: str, end: int, floor: int) -> str | None:
    """'メコン川流域に位置する' ending at end (before '、'): a short clause ending in a verb's plain form."""
    start = max(floor, end - 25)
    clause = text[start:end]
    cut = max(clause.rfind(c) for c in "、。,，「」()（）\n")
    clause = clause[cut + 1 :]
    if 3 <= len(clause) and re.search(r"(?:する|した|している|された|れる|ある|いる|なる)$", clause):
        return clause
    return None


def ja_glued(src: Source, start: int, floor: int) -> tuple[str, str]:
    """(noun glued before the number, qualifying clause) with generic words removed. The noun may be
    one space away ('日本参加青年 20名', '出席者 約250名') or carry its acronym ('ネットワーク（ASCN）10か国')."""
    text = src.folded
    end = start
    while end > floor:
        if text[end - 1] in " \u3000" and not (end - 1 > floor and text[end - 2].isascii()):
            end -= 1  # not after an English word: 'About 85%'
        elif text[end - 1] == "約":
            end -= 1
        elif text[max(floor, end - 3) : end] == "およそ":
            end -= 3
        else:
            break
    if (acr := ACRONYM_BEFORE.search(text, max(floor, end - 14), end)) and _noun_start(
        text, acr.start(), floor
    ) < acr.start():
        j = _noun_start(text, acr.start(), floor)
        while j - 1 > floor and text[j - 1] == "・" and NOUN_CHAR.match(text[j - 2]):
            j = _noun_start(text, j - 1, floor)  # 'ASEANスマートシティ・ネットワーク（ASCN）'
        return src.text[j:end], ""
    j = _noun_start(text, end, floor)
    if COUNT_BEFORE.search(text, max(floor, j - 6), j):
        return "", ""  # '10か国29都市': the counter of the number before
    word = src.text[j:end].strip()
    if j > floor and text[j - 1].isdigit():
        word = word.lstrip("年月日度末")  # the rest of a date: '2014年度派遣者'
    word = strip_generic(word)
    if not word or TIME_WORD.search(word):
        return "", ""
    qualifier = ""
    if j > floor and text[j - 1] == "の" and (ls := _list_start(text, j - 1, floor)) is not None:
        if ls > floor and text[ls - 1] == "、" and (clause := _relative_clause(text, ls - 1, floor)):
            qualifier = clause
    return word, qualifier


TOPIC_MARK = re.compile(r"(?:は|も)(?![じな])|が(?=\s*(?:約|およそ)?\s*\d)")


COUNT_BEFORE = re.compile(r"\d(?:か|カ|ヶ|ヵ)?$")


def _topic(src: Source, floor: int, start: int) -> str:
    """The noun phrase the sentence is about before start: 'Xは', 'Xも', or 'Xが' right before the number."""
    text = src.folded
    for m in reversed(list(TOPIC_MARK.finditer(text[floor : start + 8]))):
        end = floor + m.start()
        if end >= start:
            continue
        phrase = ja_noun_phrase_before(src, end, floor)
        if phrase and not TIME_WORD.search(phrase):
            return phrase
    return ""


def ja_noun_phrase_before(src: Source, end: int, floor: int) -> str:
    """'現地への派遣人数' ending at end: a noun run, with one 'Xの'/'Xへの' modifier (or a quoted name)."""
    text = src.folded
    j = _noun_start(text, end, floor)
    if j == end:
        return ""
    head = src.text[j:end]
    if DEMONSTRATIVE_BEFORE.search(text[max(floor, j - 3) : j]):
        return ""
    for link in ("からの", "への", "での", "との", "の"):
        if text[max(floor, j - len(link)) : j] == link:
            k = j - len(link)
            if k > floor and text[k - 1] in '”"」』':
                q = max(text.rfind(c, floor, k - 1) for c in '“"「『')
                if q >= floor:
                    return src.text[q:end]
            i = _noun_start(text, k, floor)
            if i < k:
                return src.text[i:end]
    return head


def _verb_after(src: Source, end: int, clause_end: int) -> tuple[str, str] | None:
    """(particle, verb) of the action the sentence does to what is counted, in the clause after it."""
    text = src.folded
    if v := VERB.match(text, end):
        return "", v.group()  # '368名招聘', '100名派遣'
    p = PARTICLE_AFTER.match(text, end)
    if p is None:
        # a breakdown in brackets may come first: '59名（タイ29名、…）が'
        b = BRACKETED.match(text, end)
        if b is None or (p := PARTICLE_AFTER.match(text, b.end())) is None:
            return None
    rest = BRACKETED.sub(lambda m: " " * len(m.group()), text[p.end() : min(clause_end, p.end() + 40)])
    v = VERB.search(rest)
    return (p["p"], v.group()) if v else None


def _genitive_owner(src: Source, start: int, floor: int) -> str:
    """'ASEANの4都市' -> 'ASEAN': the owner named before の (not a list, a time or a word naming no thing)."""
    text = src.folded
    if start - 1 <= floor or text[start - 1] != "の":
        return ""
    j = _noun_start(text, start - 1, floor)
    if j == start - 1 or (j > floor and text[j - 1] in "、,，・"):
        return ""
    word = strip_generic(src.text[j : start - 1])
    return "" if not word or TIME_WORD.search(word) else word


def _bracket_label(src: Source, start: int, floor: int) -> str:
    """'持続的な物流システム\n構築研修（４か国）' -> the label before the bracket, with its wrapped line."""
    text = src.folded
    if not (m := BRACKET_COUNT_BEFORE.search(text, max(floor, start - 6), start)):
        return ""
    end = m.start()
    j = _noun_start(text, end, floor)
    if j == end:
        return ""
    line_a = text.rfind("\n", 0, j) + 1
    if j == line_a and j > 1:
        prev_a = text.rfind("\n", 0, j - 1) + 1
        prev = text[prev_a : j - 1]
        if prev.strip() and len(prev.strip()) <= 30 and not re.search(r"[。、.:：)）\d]\s*$", prev):
            return remove_spaces(src.text[prev_a:end])
    return strip_generic(src.text[j:end])


def _share_owner(src: Source, start: int, floor: int) -> tuple[str, str]:
    """'Xの約30%', '日本からの支援が約6割を占める': the owner of a share; a comparison with Japan or the
    world (日本の約12倍, 世界の8.5%) is a ratio, not a quantity."""
    text = src.folded
    before = text[max(floor, start - 12) : start]
    if COMPARISON.search(before):
        return "", "a comparison with Japan or the world (a ratio)"
    if m := SHARE_OWNER.search(text, max(floor, start - 8), start):
        phrase = ja_noun_phrase_before(src, m.start(), floor)
        if phrase and not TIME_WORD.search(phrase):
            return phrase[:MAX_SUBJECT], "noun before the number"
    return "", "what the share is of is not named"


def ja_subject(src: Source, start: int, end: int, counter: str, unit: str) -> tuple[str, str]:
    """(subject, how it was found) for '<number><counter>' at [start, end); ('', why not) when none."""
    text = src.folded
    sent_a, sent_b = src.statement(start, end)
    floor = min(sent_a, start)
    clause_end = max(sent_b, end)
    if counter in ("回", "件") and FREQUENCY_BEFORE.search(text, max(floor, start - 6), start):
        return "", "a frequency (年1回), not a count"
    if RATE_BEFORE.search(text, max(floor, start - 6), start):
        return "", "a rate per item (各国1名, ×10人), not a count"
    if unit in ("percent", "tenths"):
        subject, how = _share_owner(src, start, floor)
        if subject or how.startswith("a comparison"):
            return subject, how
    # 1. the thing named after the number
    if unit != "countries":
        if (q := QUOTED_AFTER.match(text, end)) and unit in ("persons", "items"):
            return src.text[q.start("n") : q.end("n")], "named after the number"
        n = NOUN_AFTER.match(text, end)
        if n and (counter in AFTER_NOUN_COUNTERS or (unit == "persons" and PERSON_NOUN.search(n["n"]))):
            return src.text[n.start("n") : n.end("n")], "named after the number"
        if counter == "つ" and (t := THEME_AFTER.match(text, end)):
            g = "n" if t["n"] else "m"
            return src.text[t.start(g) : t.end(g)], "named after the number"
    # 2. the noun glued before it, or the label its bracket follows
    word, qualifier = ja_glued(src, start, floor)
    if not word and (bracket_label := _bracket_label(src, start, floor)):
        return bracket_label[:MAX_SUBJECT], "noun before the number"
    if word and unit == "countries":
        if word in GLUED_VERB_COUNTRY:
            return GLUED_VERB_COUNTRY[word], "noun before the number"
        if not word.endswith(("国", "諸国", "地域")):
            word += COUNTRY_SUFFIX
    elif word and unit == "persons" and word in VERB_SUBJECT and VERB_SUBJECT[word][0]:
        return VERB_SUBJECT[word][0] or word, "noun before the number"  # '派遣約1,500人': 派遣人数
    elif word and counter in COUNTER_NOUN and not word.endswith(COUNTER_NOUN[counter]):
        word += COUNTER_NOUN[counter]  # '重点4分野': 重点分野
    if word:
        return (qualifier + word)[:MAX_SUBJECT], "noun before the number"
    if owner := _genitive_owner(src, start, floor):  # 'ASEANの4都市': ASEANの都市
        noun = COUNTRY_SUFFIX if unit == "countries" else COUNTER_NOUN.get(counter, "")
        if noun:
            return f"{owner}の{noun}" if unit != "countries" else owner + noun, "noun before the number"
    line_a = text.rfind("\n", 0, start) + 1
    line_label = LINE_LABEL.match(text, line_a, start)
    if line_label and line_label.end() >= start - 3:  # '参加者：約800名'
        return src.text[line_label.start("n") : line_label.end("n")], "noun before the number"
    # 3. what the sentence does to it
    if unit in ("persons", "countries") and (found := _verb_after(src, end, clause_end)):
        particle, verb = found
        persons, countries = VERB_SUBJECT[verb]
        by_verb = persons if unit == "persons" else countries
        if by_verb and not (unit == "countries" and verb == "派遣" and particle not in ("へ", "に")):
            return by_verb, f"the sentence's verb ({verb})"
    if unit == "countries" and (v := VERB.search(text, floor, start)) and v.group() in ("加盟", "構成"):
        return "加盟国", f"the sentence's verb ({v.group()})"
    # 4. the sentence's topic, else the label of its line
    if topic := _topic(src, floor, start):
        if unit == "countries" and "国" not in topic:
            topic += "国"
        return topic[:MAX_SUBJECT], "topic of the sentence"
    if line_label:
        return src.text[line_label.start("n") : line_label.end("n")], "label of the line"
    # 5. the counter is a noun itself
    if counter in COUNTER_NOUN:
        return COUNTER_NOUN[counter], "the counter"
    return "", "what is counted is not named"


# --- English -----------------------------------------------------------------------------------------

EN_STOP_WORDS = STOP = frozenset(
    "a an the and or but of to from in on at by for with as than into onto over under through during between "
    "since ago per each every is are was were be been being have has had will would can could may might shall "
    "should do does did that which who whom whose this these those its their his her our your my it they we "
    "he she you i not no also only about around nearly approximately some more less most least up down out "
    "off while when where if then".split()
)
WORLD_OR_JAPAN = re.compile(r"(?:the\s+)?(?:world|global|Japan)(?:'s|’s)?\b", re.I)
SCALE_WORDS = frozenset("hundred thousand million billion trillion bn tn mn".split())
IRREGULAR_PLURALS = frozenset("people staff personnel children women men youth police media".split())
# 'the last four countries to join the Association of Southeast Asian Nations (ASEAN)'
# 'the last four countries to join the Association of Southeast Asian Nations (ASEAN)'
TO_CLAUSE = re.compile(
    r" to [a-z]+(?: (?:the |a |an )?[A-Za-z][\w\-]*){0,6}?(?=\s*[(,.;:]|\s+(?:between|in|on|at|since|from|by)\b)"
)
WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*")
CAPITALISED = re.compile(r"[A-Z]")
AUXILIARY = re.compile(
    r"\s+(?:are|were|is|was|have been|has been|had been|will be|can be|are being)\s+(?P<p>[a-z]+ed|set|held|made|built|given|taken|run)\b"
)


def _words(text: str, pos: int, limit: int = 80) -> list[re.Match]:
    """The words from pos on, separated by single spaces only (a punctuation mark ends the run)."""
    out = []
    i = pos
    end = min(len(text), pos + limit)
    while i < end:
        m = WORD.match(text, i)
        if m is None:
            break
        out.append(m)
        j = m.end()
        if j < len(text) and text[j] == " " and j + 1 < len(text) and text[j + 1].isalpha():
            i = j + 1
        else:
            break
    return out


def is_plural(word: str) -> bool:
    w = word.lower()
    if w in IRREGULAR_PLURALS:
        return True
    return len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is", "'s", "’s")) and w not in STOP


def en_noun_phrase(text: str, pos: int) -> tuple[int, int, str] | None:
    """(start, end, head) of the noun phrase starting at pos whose head is a plural noun:
    'main objectives', 'ASEAN countries', 'member states'."""
    words = _words(text, pos, 60)
    if words and words[0].group().lower() in SCALE_WORDS:
        return None  # '150 million people': a figure, not a count of things
    np_end, head = None, None
    for i, w in enumerate(words[:5]):
        lw = w.group().lower()
        if lw in STOP:
            break
        if is_plural(w.group()):
            np_end, head = i, lw
            # a plural modifier before another noun ('sports events') is not the head: keep going
    if np_end is None:
        return None
    return words[0].start(), words[np_end].end(), head or ""


def _of_phrase(text: str, pos: int) -> int | None:
    """End of 'of the ASEAN-Japan Centre' / 'of partnership' starting at pos (text[pos:] starts 'of ')."""
    words = _words(text, pos, 90)
    if not words or words[0].group().lower() != "of" or len(words) < 2:
        return None
    i = 1
    if words[i].group().lower() in ("the", "a", "an") and len(words) > i + 1:
        i += 1
    if CAPITALISED.match(words[i].group()):
        end = words[i].end()
        j = i + 1
        while j < len(words):
            w = words[j].group()
            if CAPITALISED.match(w):
                end = words[j].end()
            elif w.lower() not in ("of", "and", "for", "the", "on", "in") or j + 1 >= len(words):
                break
            j += 1
        return end
    found: int | None = None
    for w in words[i : i + 3]:
        if w.group().lower() in STOP:
            break
        found = w.end()
    return found


def en_subject_after(src: Source, pos: int) -> tuple[str, str, int] | None:
    """(subject, head noun, end) for the words after a number: the noun phrase with its of-phrase,
    a participle ('courses are offered' -> 'courses offered') or a since-clause."""
    text = src.folded
    np = en_noun_phrase(text, pos)
    if np is None:
        return None
    a, b, head = np
    end = b
    subject = src.text[a:b]
    rest = text[b : b + 120]
    if rest.startswith(" of ") and (of_end := _of_phrase(text, b + 1)):
        if of_end - a <= MAX_SUBJECT:
            subject, end = src.text[a:of_end], of_end
    elif m := TO_CLAUSE.match(rest):
        if len(subject) + len(m.group()) <= MAX_SUBJECT:
            subject, end = subject + m.group(), b + m.end()
    elif rest.startswith(" since "):
        m = re.match(r" since [^,.;:()\n]{3,60}", rest)
        if m and len(subject) + len(m.group()) <= MAX_SUBJECT:
            subject, end = subject + m.group(), b + m.end()
    elif aux := AUXILIARY.match(rest):
        subject = subject + " " + aux["p"]
    return " ".join(subject.split()), head, end


def en_subject_of(src: Source, pos: int) -> str:
    """The phrase after 'N% of': 'the measures listed in the Roadmap have been completed' ->
    'measures listed in the Roadmap'."""
    text = src.folded
    m = re.match(r"\s*of\s+(?:the\s+|all\s+|their\s+|its\s+)?", text[pos : pos + 12])
    if m is None:
        return ""
    words = _words(text, pos + m.end(), 120)
    out = []
    for w in words[:9]:
        if w.group().lower() in ("have", "has", "had", "are", "is", "was", "were", "will", "would", "can"):
            break
        out.append(w)
    if not out:
        return ""
    subject = " ".join(src.text[out[0].start() : out[-1].end()].split())[:MAX_SUBJECT]
    if WORLD_OR_JAPAN.match(subject):
        return ""  # 'of the world's population', "of Japan's": a ratio, not a quantity
    return subject
