"""Japan–ASEAN summits and ministerial meetings (``meetings``).

Recognises two shapes:
- a meetings table: a header row naming its columns (日程 場所 会議名 ...), then rows
  ``<月日> <host country>（<city>） <meeting name> [★] [remark wrapped over lines]``, and a caption
  (often *after* the rows, as slides put it) stating the year: ``...（2023年）``;
- a meeting named in prose with its date and place: ``日ASEAN30周年特別首脳会議（2003年12月、於東京）``,
  ``2020年11月 第23回日ASEAN首脳会議``, ``1977年 初の日ASEAN首脳会議開催（クアラルンプール）``.
Does not belong here: other dated statements (``timeline``).
"""

from __future__ import annotations

import re

from pipelines.extract.base import ERA_LEADS, YEAR_MARK, Spans, line_spans
from pipelines.extract.family import Family
from pipelines.extract.source import Source
from pipelines.normalize import JP_DATE, country_code, fold_text, iso, parse_japanese_date, remove_spaces

TABLE_HEADER_WORD = re.compile("日程")
TABLE_HEADER = re.compile(r"^[ \t]*" + TABLE_HEADER_WORD.pattern + r"[ \t]+場所[ \t]+会議名", re.M)
ROW = re.compile(
    r"^\s*(?P<month>\d{1,2})月(?P<day>\d{1,2})日\s+(?P<host>[^\s(（]+)(?:[(（](?P<city>[^)）]+)[)）])?"
    r"\s+(?P<name>\S+)(?P<rest>.*)$"
)
CAPTION_YEAR = re.compile(r"[(（](?P<year>\d{4})年[)）]")
SPECIAL_MARK = "★"
MEETING_WORDS = (
    r"(?:首脳会議|首脳会合|外相会議|財務大臣・中央銀行総裁会議|大臣会合|閣僚会議|閣僚会合|閣僚級対話|閣僚級会合"
    r"|大臣特別対話|特別対話)"
)
JAPAN_ASEAN = r"(?:日\s?・?\s?ASEAN|Japan-ASEAN|ASEAN-Japan)"
PROSE_WITH_PLACE = re.compile(
    r"(?P<name>[^\s、。()（）•➢]*?" + JAPAN_ASEAN + r"[^\s、。()（）]*?" + MEETING_WORDS + r")"
    r"[(（](?P<date>" + JP_DATE + r")、\s*於\.?\s*(?P<city>[^)）]+)[)）]"
)
PLACE_MARK = re.compile(r"於")
DATED_LINE = re.compile(
    r"^[ \t➢•◆・]*(?P<date>"
    + JP_DATE
    + r")\s+(?P<name>(?:第\d+回|初の)?"
    + JAPAN_ASEAN
    + r"[^\s、。:：()（）]*?"
    + MEETING_WORDS
    + r")(?:開催)?(?:[(（](?P<city>[^)）]+)[)）])?",
    re.M,
)


def table_headers(src: Source):
    """TABLE_HEADER.finditer(folded), tried only on the lines that say 日程."""
    return src.match_lines(TABLE_HEADER, [w.start() for w in TABLE_HEADER_WORD.finditer(src.folded)])


def dated_lines(src: Source):
    """DATED_LINE.finditer(folded), tried only on the lines that state a year (which starts the line's date)."""
    return src.match_lines(DATED_LINE, src.candidate_starts(ERA_LEADS, followed_by=YEAR_MARK))


def extract_meetings(src: Source, stated: Spans | None = None) -> dict[str, list[dict]]:
    rows = _table_rows(src) + _prose_meetings(src)
    return {"meetings": _dedupe(rows)}


def _dedupe(rows: list[dict]) -> list[dict]:
    """One row per meeting: the same name stated twice ('2003年 …会議開催' and '…会議（2003年12月、於東京）')
    keeps the statement with the more precise date (its numbers stay covered by the events table)."""
    kept: list[dict] = []
    for row in sorted(rows, key=lambda r: (-len(r["date"] or ""), r["char_start"])):
        name = _bare_name(row["name"])
        same = [
            k
            for k in kept
            if _bare_name(k["name"]) == name and k["date"] and row["date"] and k["date"].startswith(row["date"])
        ]
        if not same:
            kept.append(row)
    return sorted(kept, key=lambda r: r["char_start"])


def _bare_name(name: str) -> str:
    return re.sub(r"^(?:初の|第\d+回)|\s+", "", fold_text(name))


def _table_rows(src: Source) -> list[dict]:
    out = []
    for m in table_headers(src):
        seg_a, seg_b = src.segment_of(m.start())
        rows, caption = [], None
        for a, b in line_spans(src.folded, m.end(), seg_b):
            line = src.folded[a:b]
            if r := ROW.match(line):
                rows.append([a, b, r])
            elif rows and line.strip() and not CAPTION_YEAR.search(line) and not line.strip().startswith("★"):
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
            special = SPECIAL_MARK in rest
            remark = remove_spaces(rest.replace(SPECIAL_MARK, "")) or None
            host = country_code(r["host"])
            out.append(
                src.fact(
                    a,
                    b,
                    [note],
                    date=iso(year, int(r["month"]), int(r["day"])),
                    end_date=None,
                    host_country=host if host and len(host) == 3 else None,
                    city=_original(src, a, r, "city"),
                    name=_original(src, a, r, "name"),
                    special_50th=special,
                    recurrence=_recurrence(src, a + r.start("rest"), b, remark),
                )
            )
    return out


def _original(src: Source, offset: int, m: re.Match, group: str) -> str | None:
    if m[group] is None:
        return None
    return src.text[offset + m.start(group) : offset + m.end(group)]


def _recurrence(src: Source, a: int, b: int, remark: str | None) -> str | None:
    """The remark as written, its line breaks removed (slides wrap a cell over lines)."""
    if not remark:
        return None
    text = src.text[a:b].replace(SPECIAL_MARK, "")
    return remove_spaces(text)


def _prose_meetings(src: Source) -> list[dict]:
    out = []
    for place in PLACE_MARK.finditer(src.folded):  # a meeting 'at' a place: search only those lines
        line_start = src.folded.rfind("\n", 0, place.start()) + 1
        line_end = src.folded.find("\n", place.start())
        for m in PROSE_WITH_PLACE.finditer(src.folded, line_start, line_end if line_end != -1 else len(src.text)):
            if m.start("city") - 1 > place.start() or m.end() < place.start():
                continue
            out.append(
                src.fact(
                    m.start(),
                    m.end(),
                    date=parse_japanese_date(m["date"]),
                    end_date=None,
                    host_country=None,
                    city=src.text[m.start("city") : m.end("city")].strip(),
                    name=src.text[m.start("name") : m.end("name")],
                    special_50th=False,
                    recurrence=None,
                )
            )
    for m in dated_lines(src):
        out.append(
            src.fact(
                m.start("date"),
                m.end(),
                date=parse_japanese_date(remove_spaces(m["date"])),
                end_date=None,
                host_country=None,
                city=src.text[m.start("city") : m.end("city")] if m["city"] else None,
                name=src.text[m.start("name") : m.end("name")],
                special_50th=False,
                recurrence=None,
            )
        )
    return out


FAMILY = Family("meetings", tables=("meetings",), extract=extract_meetings)
