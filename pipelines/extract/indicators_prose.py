"""Statistics of ASEAN and of countries stated in prose, lists, tables and profile pages (``indicators``).

The country cards of slides (``<label>：<value>`` lines under a card header) are read by
``statistics``; this module reads the other styles and is called by it:
- prose: a label, then its value (``人口は約6億7,000万人``, ``名目GDPは3.6兆ドル（2022年）``,
  ``a population of about 600 million``, ``GDP per capita of US$ 4,000``, ``total trade of US$ 2.5
  trillion``), or the value then its label (``6.7億人の人口``);
- a label line with its value on the same line or on the next non-empty line (``Population (2013):
  625 million``, ``Total Land Area`` / ``4.44 million square kilometres``);
- a table row ``label | value | 日本(value)の… | 世界(value)の… |``: the row's entity, and each country
  named with a value in brackets (the world's total and the ratios are comparisons, not statistics);
- a table with a header row of labels and a first cell naming the country.
A value is kept only when its unit fits its label (people for a population, US dollars for GDP and
trade, km² for an area). The entity is the country or ASEAN that the statement names before the
label, else the one the slide's ``<name>とは`` heading or the page's title line names. A figure for
Japan and ASEAN together (``日ASEAN``, ``Japan and ASEAN``), partner or intra-regional trade, and
world totals are not a country's statistic: they are left to ``quantities`` (``metrics``) or left out.
The reference year is the year stated with the label (``面積(2021年)``, ``GDP (PPP) in 2013``), else
in brackets after the value (``(2013 estimate)``, ``（2022年）``), else in the statement before the
label (``2022年時点の``, ``as of 2012``). ``approximate``: 約/about/around/nearly/some... before the
value (``pipelines.normalize.is_approximate``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines.extract.base import BULLETS, Spans
from pipelines.extract.source import Source
from pipelines.normalize import (
    JP_AMOUNT,
    JP_AMOUNT_NEXT,
    country_code,
    country_code_wrapped,
    country_name_pattern,
    is_approximate,
    parse_english_amount,
    parse_japanese_amount,
)

NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"
SCALE = r"(?P<{}>(?i:thousand|million|billion|trillion|bn|tn))\b"
AREA_JA = r"km2|km²|㎢|k㎡|平方キロメートル|平方キロ|平方km"
AREA_EN = r"square kilometres|square kilometers|sq\.? ?km|km2|km²|㎢"
# A statistic's value with its unit. A year glued to a currency ('in 2013US$2.48 trillion') is not an
# amount: a currency written after a number must not be followed by another number.
VALUE = re.compile(
    r"(?:(?P<cur>US\$|USD|\$)\s*(?P<usd>" + NUM + r")(?:\s*" + SCALE.format("usd_scale") + r")?"
    r"|(?<![\d.,])(?P<ja>" + JP_AMOUNT + r")\s*(?P<ja_unit>米ドル|ドル|人(?![当口])|" + AREA_JA + r")"
    r"|(?<![\d.,])(?P<en>" + NUM + r")\s*(?:" + SCALE.format("en_scale") + r")?\s*"
    r"(?:(?P<en_cur>US\$|USD|US dollars|dollars)(?!\s*\d)|(?P<en_area>" + AREA_EN + r")"
    r"|(?P<en_people>(?i:people|persons|inhabitants))\b)"
    r"|(?<![\d.,])(?P<bare>" + NUM + r")\s*(?P<bare_scale>(?i:million|billion))\b)"
)
CURRENCY_LEAD = re.compile(r"US\$|USD|\$")
# What may follow the first digits of a VALUE (Source.scan tries no other number).
VALUE_NEXT = "[" + re.escape(JP_AMOUNT_NEXT + "米ドル人k㎢平U") + r"]|\s"

# What a statistic measures, by its label (searched in the lower-cased text). Longer labels first.
LABEL = re.compile(
    r"(?P<gdp_per_capita_usd>1人当たり(?:の)?(?:名目)?gdp|一人当たり(?:の)?(?:名目)?gdp|gdp/人|gdp per capita"
    r"|per capita gdp|per-capita gdp)"
    r"|(?P<gdp_ppp_usd>gdp\s*[(（](?:ppp|購買力平価)[)）]|購買力平価(?:ベース)?(?:の)?gdp|ppp gdp|gdp at ppp)"
    r"|(?P<gdp_usd>名目gdp|gdp総額|gdp|国内総生産|gross domestic product)"
    r"|(?P<population>総人口|人口|population)"
    r"|(?P<area_km2>国土面積|総面積|面積|land area|total area|\barea\b)"
    r"|(?P<trade_usd>貿易総額|貿易額|total trade|\btrade\b)"
)
KIND_OF = {
    "population": ("persons", "count"),
    "gdp_usd": ("usd",),
    "gdp_per_capita_usd": ("usd",),
    "gdp_ppp_usd": ("usd",),
    "trade_usd": ("usd",),
    "area_km2": ("km2",),
}
# Trade between partners or within the region is not the entity's total trade.
PARTNER_TRADE = re.compile(r"intra|域内|partner|相手|with\s|between|との|間の|対|日asean|japan-asean|asean-japan")
# Between a label and a value that is not the level itself: a change, a balance, a share, a comparison.
NOT_THE_LEVEL = re.compile(
    r"growth|grew|grow|increase|decrease|rose|rise|fell|fall|declin|chang|deficit|surplus|balance|share|half|"
    r"times|per cent|percent|density|per\s|増|減|伸び|成長|赤字|黒字|収支|割合|倍|半分|密度|当たり"
)
# A part of the population or of the economy is not the whole: 'urban population', '生産年齢人口'.
PART_BEFORE_LABEL = re.compile(
    r"(?:urban|rural|working[- ]age|labou?r|elderly|youth|female|male|foreign|muslim|都市|農村|生産年齢|労働力?|高齢|若年|"
    r"外国人|女性|男性)\s*$"
)
PER_CAPITA_PPP = re.compile(r"\s*[(（](?:ppp|購買力平価)[)）]")
# Between a label and its value: a year, a colon or bar, 'は約', ' of about ' (no other sentence).
MAX_GAP = 30
GAP_BREAK = re.compile(r"[。.;；!?](?:\s|$)|。")
YEAR_IN = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})(?!\d)")
YEAR_BRACKET_AFTER = re.compile(
    r"\s*[(（]\s*(?:as of\s+)?(?:[A-Za-z]+\.?\s+)?(?P<y>(?:19|20)\d{2})\s*年?(?:度)?"
    r"(?:\s*(?:estimates?|est\.|estimated|figures?|data|時点|現在|推計|見込み|実績|末))?\s*[)）]"
)
YEAR_BEFORE = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*年(?:度)?(?:末)?\s*(?:時点|現在)|as of\s+(?:[A-Za-z]+\s+)?(?:\d{1,2},?\s+)?(?P<y2>(?:19|20)\d{2})"
    r"|\bin\s+(?P<y3>(?:19|20)\d{2})\b|(?P<y4>(?:19|20)\d{2})\s*年の"
)
WORLD = re.compile(r"世界(?:平均|全体)?|world(?: average| total)?", re.I)
ASEAN_NAME = re.compile(
    r"(?:ASEAN|Asean)(?:加盟国|諸国)?(?![A-Za-z])|アセアン|東南アジア諸国連合|Association of Southeast Asian Nations"
)
# Two entities together: 'Japan and ASEAN', '日本とASEAN', '日ASEAN', 'ASEAN+3': a combined figure.
JOINED = re.compile(r"^\s*(?:and|&|と|及び|および|・|、|,|-|–)\s*$", re.I)
COMBINED_MARK = re.compile(
    r"日\s*[・･]?\s*ASEAN|ASEAN\s*(?:\+|＋|Plus)|Japan\s*[-–]\s*ASEAN|ASEAN\s*[-–]\s*Japan", re.I
)
# '5億人の人口を抱える欧州連合': the population of what the clause goes on to name, not of the page's subject.
OTHER_HOLDER = re.compile(
    r"を(?:抱える|擁する|有する)[^。、\n]{0,12}?(?:連合|EU|共同体|機構|NAFTA|北米|中国|インド|米国|アメリカ|日本)"
)
VALUE_AFTER_LABEL_JA = re.compile(r"の(?P<label>総人口|人口)(?!増|減|比|密度)")
STANDALONE_LEAD = 40  # characters before a value alone on its line (at most an 'approximately')
STANDALONE_REST = 200  # characters after it (at most a bracketed year)
TABLE_CELL = re.compile(r"\s*\|\s*")


@dataclass
class Value:
    start: int
    end: int
    value: float
    kind: str  # persons, count, usd, km2
    notes: list[str]


@dataclass
class Binding:
    indicator: str
    label_start: int
    label_end: int
    year: int | None
    how: str


def _read_value(m: re.Match) -> Value | None:
    try:
        if m["cur"]:
            parsed = parse_english_amount(m["usd"], m["usd_scale"])
            return Value(m.start(), m.end(), parsed.value, "usd", [parsed.note] if parsed.note else [])
        if m["ja"]:
            parsed = parse_japanese_amount(m["ja"])
            unit = m["ja_unit"]
            kind = "usd" if "ドル" in unit else "persons" if unit == "人" else "km2"
            return Value(m.start(), m.end(), parsed.value, kind, [parsed.note] if parsed.note else [])
        if m["en"]:
            parsed = parse_english_amount(m["en"], m["en_scale"])
            kind = "usd" if m["en_cur"] else "km2" if m["en_area"] else "persons"
            return Value(m.start(), m.end(), parsed.value, kind, [parsed.note] if parsed.note else [])
        parsed = parse_english_amount(m["bare"], m["bare_scale"])
        return Value(m.start(), m.end(), parsed.value, "count", [parsed.note] if parsed.note else [])
    except ValueError:
        return None


def _label_of(src: Source, lo: int, hi: int) -> tuple[str, int, int] | None:
    """The last label in lowered[lo:hi]: (indicator, start, end)."""
    last = None
    for m in LABEL.finditer(src.lowered, lo, hi):
        last = m
    if last is None:
        return None
    return next(k for k, v in last.groupdict().items() if v), last.start(), last.end()


def _line(src: Source, pos: int) -> tuple[int, int]:
    a = src.folded.rfind("\n", 0, pos) + 1
    b = src.folded.find("\n", pos)
    return a, (len(src.folded) if b == -1 else b)


def _previous_line(src: Source, line_start: int, max_blank: int = 2) -> tuple[int, int] | None:
    """The previous non-empty line, across at most max_blank blank lines."""
    b = line_start - 1
    blanks = 0
    while b > 0:
        a = src.folded.rfind("\n", 0, b) + 1
        if src.folded[a:b].strip():
            return a, b
        blanks += 1
        if blanks > max_blank:
            return None
        b = a - 1
    return None


def _year(text: str, pattern: re.Pattern = YEAR_IN) -> int | None:
    found = [m for m in pattern.finditer(text)]
    if not found:
        return None
    m = found[-1]
    return int(next(v for k, v in m.groupdict().items() if v and k.startswith("y")))


def _entities(src: Source, a: int, b: int) -> list[tuple[int, int, str]]:
    """(start, end, code) of every country or ASEAN named in folded[a:b], in order."""
    out = []
    for m in country_name_pattern().finditer(src.folded, a, b):
        if code := country_code_wrapped(m.group()):
            out.append((m.start(), m.end(), code))
    for m in ASEAN_NAME.finditer(src.folded, a, b):
        out.append((m.start(), m.end(), "ASEAN"))
    out.sort()
    # drop a name inside another ('ASEAN' of 'ASEAN加盟国' found twice)
    kept: list[tuple[int, int, str]] = []
    for e in out:
        if kept and e[0] < kept[-1][1]:
            if e[1] - e[0] > kept[-1][1] - kept[-1][0]:
                kept[-1] = e
            continue
        kept.append(e)
    return kept


def statement_entity(src: Source, a: int, b: int) -> tuple[str | None, str | None]:
    """The entity a statement names in folded[a:b] (before a label): (code, None), or (None, why not)."""
    if COMBINED_MARK.search(src.folded, a, b):
        return None, "a figure of Japan and ASEAN together"
    found = _entities(src, a, b)
    for (_, e1, c1), (s2, _, c2) in zip(found, found[1:], strict=False):
        if c1 != c2 and JOINED.match(src.folded[e1:s2]):
            return None, "a figure of several countries together"
    if found:
        return found[-1][2], None
    return None, None


def page_entity(src: Source, pos: int) -> tuple[str | None, str | None]:
    """The entity the slide's '<name>とは' heading names, else the one the page's title line names."""
    org = src.segment_organisation(pos)
    if org and (code := country_code(org)):
        return code, "entity: named by the slide heading"
    first = next((m for m in re.finditer(r"\S[^\n]*", src.folded)), None)
    if first is not None and first.start() < pos:
        codes = {c for _, _, c in _entities(src, first.start(), first.end())}
        if len(codes) == 1:
            return codes.pop(), "entity: named by the page's title"
    return None, None


def _bracketed_entity(src: Source, v: Value) -> tuple[str | None, bool]:
    """'日本(37.8万k㎡)', 'Japan (US$4.2 trillion)': (code, True); '世界(…)': (None, True); else (None, False)."""
    before = src.folded[max(0, v.start - 30) : v.start]
    stripped = before.rstrip()
    if not stripped.endswith(("(", "（")):
        return None, False
    head = stripped[:-1].rstrip()
    if WORLD.search(head[-6:]):
        return None, True
    found = _entities(src, v.start - len(before), v.start - len(before) + len(head))
    if found and found[-1][1] == v.start - len(before) + len(head):
        return found[-1][2], True
    return None, False


def header_end(src: Source) -> int:
    """End of the page's header: its title lines up to a line that is only a date (a dateline) in the
    first lines, else its first line when that is a headline (not a sentence); 0 when there is none."""
    text = src.folded
    for d in src.dates:
        if d.start > 800:
            break
        a = text.rfind("\n", 0, d.start) + 1
        e = text.find("\n", d.end)
        b = len(text) if e == -1 else e
        rest = (text[a : d.start] + text[d.end : b]).strip(" \t[]【】()（）:：")
        if len(rest) <= 12 and not re.search(r"\d", rest):
            return b
    first = re.search(r"\S[^\n]*", text)
    if first and len(first.group()) <= 200 and not first.group().rstrip().endswith(("。", ".")):
        return first.end()  # a headline, not a sentence
    return 0


def extract_prose_indicators(src: Source, taken: Spans) -> list[dict]:
    """Indicators stated outside country cards; `taken` holds the spans the cards already stated."""
    rows: list[dict] = []
    header_labels = _table_headers(src)
    line_binding: dict[int, Binding] = {}  # a table row's label, for the values bracketed after it
    last_value_end = -1
    row_lines: dict[int, bool] = {}  # whether the line starting there is a table row (counted once a line)
    for m in src.scan(VALUE, also=CURRENCY_LEAD, followed_by=VALUE_NEXT):
        v = _read_value(m)
        if v is None or taken.covers(v.start, v.end):
            continue
        line_a, line_b = _line(src, v.start)
        if (is_row := row_lines.get(line_a)) is None:
            is_row = row_lines[line_a] = src.folded.count("|", line_a, line_b) >= 2
        stmt_a, _ = src.statement(v.start, v.end)
        stmt_a = line_a if is_row else min(stmt_a, v.start)  # a table row is a statement of its own
        entity, bracketed = _bracketed_entity(src, v)
        if bracketed:
            binding = line_binding.get(line_a)
            if entity is None or binding is None or v.kind not in KIND_OF[binding.indicator]:
                last_value_end = v.end
                continue
            rows.append(_row(src, v, binding, entity, (line_a, line_b), "entity: named before the bracketed value"))
            continue
        binding = _bind(src, v, stmt_a, max(line_a, last_value_end if last_value_end > stmt_a else stmt_a))
        if header_labels and (binding is None or binding.how == _UNLABELLED):
            binding, entity = _bind_column(src, v, (line_a, line_b), header_labels)
        last_value_end = v.end
        if binding is None or v.kind not in KIND_OF[binding.indicator]:
            continue
        if binding.indicator == "trade_usd" and PARTNER_TRADE.search(
            src.lowered, max(line_a, binding.label_start - 20), min(line_b, binding.label_end + 12)
        ):
            continue  # partner or intra-regional trade: a metric
        if binding.indicator == "gdp_per_capita_usd" and PER_CAPITA_PPP.match(src.lowered, binding.label_end):
            continue  # GDP per capita at PPP: not one of the indicators
        how = None
        if not src.folded[line_a : binding.label_start].strip(" \t" + BULLETS):
            stmt_a = max(stmt_a, line_a)  # a line led by its label ('GDP 2兆ドル') is a statement of its own
        if entity is None and binding.label_end < v.start:
            # 'GDP of Viet Nam is US$…': a country named between the label and the value is the entity
            between = _entities(src, binding.label_end, v.start)
            entity = between[-1][2] if between else None
        if entity is None:
            entity, why = statement_entity(src, stmt_a, binding.label_end)
            if entity is None and why:
                src.skip(binding.label_start, v.end, why)
                continue
            if entity is None:
                entity, how = page_entity(src, v.start)
            if entity is None:
                src.skip(binding.label_start, v.end, "statistic whose country or grouping is not stated")
                continue
        whole_line = is_row or binding.how == _IN_TABLE
        span = (line_a, line_b) if whole_line else (min(binding.label_start, v.start), max(binding.label_end, v.end))
        line_binding[line_a] = binding
        rows.append(_row(src, v, binding, entity, span, how))
    return _once(src, rows)


def _once(src: Source, rows: list[dict]) -> list[dict]:
    """A statistic stated in the page's header and again in its body is one row, at the body."""
    head = header_end(src)
    key = lambda r: (r["entity_code"], r["indicator"], r["value"], r["reference_year"])  # noqa: E731
    in_body = {key(r) for r in rows if r["char_start"] >= head}
    return [r for r in rows if r["char_start"] >= head or key(r) not in in_body]


def _bind(src: Source, v: Value, stmt_a: int, lo: int) -> Binding | None:
    """The label a value belongs to: before it in its statement, after it ('6.7億人の人口'), or on the
    label line above a value that stands alone on its line."""
    found = _label_of(src, max(lo, v.start - MAX_GAP - 20), v.start)
    if found:
        indicator, ls, le = found
        gap = src.folded[le : v.start]
        if (
            len(gap) <= MAX_GAP
            and not GAP_BREAK.search(gap)
            and "\n" not in gap.strip(" \t")
            and not NOT_THE_LEVEL.search(src.lowered, le, v.start)
            and not PART_BEFORE_LABEL.search(src.lowered, max(0, ls - 15), ls)
        ):
            year = _year(gap) or _bracket_year(src, v) or _year(src.folded[stmt_a:ls], YEAR_BEFORE)
            return Binding(indicator, ls, le, year, "label before the value")
    if (after := VALUE_AFTER_LABEL_JA.match(src.folded, v.end)) and not OTHER_HOLDER.match(src.folded, after.end()):
        year = _bracket_year(src, v) or _year(src.folded[stmt_a : v.start], YEAR_BEFORE)
        return Binding("population", after.start("label"), after.end("label"), year, "label after the value")
    line_a, line_b = _line(src, v.start)
    # (Only the few characters around the value are read: a long line is not a value standing alone.)
    lead = src.folded[line_a : v.start] if v.start - line_a <= STANDALONE_LEAD else "-"
    rest = YEAR_BRACKET_AFTER.sub("", src.folded[v.end : min(line_b, v.end + STANDALONE_REST)]).strip()
    if line_b - v.end > STANDALONE_REST:
        rest = rest or "-"
    if lead.strip().lower() in ("", "約", "about", "approximately", "around", "~") and not rest:
        prev = _previous_line(src, line_a)
        if prev is not None:
            pa, pb = prev
            label_line = src.folded[pa:pb]
            if len(label_line.strip()) <= 80 and not GAP_BREAK.search(label_line.strip() + " "):
                found = _label_of(src, pa, pb)
                if found:
                    indicator, ls, le = found
                    year = _year(src.folded[le:pb]) or _bracket_year(src, v)
                    return Binding(indicator, ls, le, year, "label on the line above the value")
            elif v.kind == "count":
                # A figure in millions with neither unit nor label, alone on its line of a profile page:
                # the one statistic profiles state that way is a population.
                return Binding("population", v.start, v.start, _bracket_year(src, v), _UNLABELLED)
    return None


_IN_TABLE = "column of a table of countries"
_UNLABELLED = "a figure in millions with no unit or label, alone on its line: read as the population"


def _bracket_year(src: Source, v: Value) -> int | None:
    m = YEAR_BRACKET_AFTER.match(src.folded, v.end)
    return int(m["y"]) if m else None


@dataclass
class Header:
    """A table's header line: its labels in order, with the year each states ('名目GDP(2022年)')."""

    start: int
    end: int
    labels: list[tuple[str, int | None]]  # (indicator, year), in the order they appear
    columns: list[str | None] | None  # the indicator of each '|' cell, when the table has cells


# A word every label holds (searched with str.find).
LABEL_WORDS = ("人口", "gdp", "population", "面積", "area", "貿易", "trade", "国内総生産", "domestic product")


def _positions(text: str, word: str) -> list[int]:
    out, i = [], text.find(word)
    while i != -1:
        out.append(i)
        i = text.find(word, i + 1)
    return out


def _table_headers(src: Source) -> list[Header]:
    """Lines naming two or more statistics and stating no value: the headers of tables of countries
    ('国名 | 人口 | GDP', 'Country Population GDP', '国名首都人口名目GDP(2022年)')."""
    out: list[Header] = []
    text, lowered = src.folded, src.lowered
    # Only lines holding a label's word are tried (a search for LABEL at every position is slow).
    lines = sorted({_line(src, pos) for word in LABEL_WORDS for pos in _positions(lowered, word)})
    for a, b in lines:
        line = lowered[a:b]
        if len(line) > 120 or "。" in line or re.search(r"\d{3}", YEAR_IN.sub("", line)):
            continue  # a sentence, or a line stating values
        labels = []
        for lab in LABEL.finditer(lowered, a, b):
            year = YEAR_IN.match(text, lab.end() + 1) if text[lab.end() : lab.end() + 1] in "(（" else None
            labels.append((next(k for k, v in lab.groupdict().items() if v), int(year["y"]) if year else None))
        if len({x for x, _ in labels}) < 2:
            continue
        columns = None
        if "|" in line:
            columns = [_cell_label(c) for c in TABLE_CELL.split(line.strip().strip("|"))]
        out.append(Header(a, b, labels, columns))
    return out


def _cell_label(cell: str) -> str | None:
    m = LABEL.fullmatch(re.sub(r"\s*[(（][^)）]*[)）]\s*$", "", cell.strip()))
    return next(k for k, v in m.groupdict().items() if v) if m else None


def leading_country(text: str) -> str | None:
    """The country whose name starts text, also when the next cell runs into it ('インドネシアジャカルタ')."""
    for k in range(min(len(text), 24), 1, -1):
        if (code := country_code(text[:k])) and code != "ASEAN":
            return code
    return None


ROW_LEAD = re.compile(r"[ \t|" + BULLETS + r"]*")


def _bind_column(
    src: Source, v: Value, line: tuple[int, int], headers: list[Header]
) -> tuple[Binding | None, str | None]:
    """A value in a row of a table of countries: the row starts with the country's name, the header above
    names the statistic (by the value's '|' column, else by its unit when one label has that unit)."""
    above = [h for h in headers if h.end < line[0] and line[0] - h.end < 1500]
    if not above:
        return None, None
    header = above[-1]
    lead = m.end() if (m := ROW_LEAD.match(src.folded, line[0])) else line[0]
    entity = leading_country(src.folded[lead : min(line[1], lead + 24)])
    if entity is None:
        return None, None
    if header.columns is not None and "|" in src.folded[line[0] : line[1]]:
        column = src.folded.count("|", lead, v.start)
        if column >= len(header.columns) or header.columns[column] is None:
            return None, None
        indicator = header.columns[column]
        years = [y for x, y in header.labels if x == indicator]
    else:
        fitting = [(x, y) for x, y in header.labels if v.kind in KIND_OF[x]]
        if len({x for x, _ in fitting}) != 1:
            return None, None
        indicator, years = fitting[0][0], [fitting[0][1]]
    header_text = src.folded[header.start : header.end]
    free_years = [y for y in map(int, YEAR_IN.findall(header_text)) if y not in {y for _, y in header.labels}]
    year = next((y for y in years if y), None) or (free_years[-1] if free_years else None) or _bracket_year(src, v)
    return Binding(indicator or "", v.start, v.start, year, _IN_TABLE), entity


def _row(src: Source, v: Value, b: Binding, entity: str, span: tuple[int, int], how: str | None) -> dict:
    start, end = span
    if end == v.end and (bracket := YEAR_BRACKET_AFTER.match(src.folded, v.end)):
        end = bracket.end()  # '512.3 million (2016 estimate)': the year the value refers to
    approximate = is_approximate(src.folded[max(start, v.start - 20) : v.start], src.folded[v.end : v.end + 6])
    notes = [how, b.how if b.how != "label before the value" else None, *v.notes]
    return src.fact(
        start,
        end,
        notes,
        entity_code=entity,
        indicator=b.indicator,
        value=v.value,
        reference_year=b.year,
        approximate=approximate,
    )
