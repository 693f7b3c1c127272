"""Generalisation of the meetings, leaders and header readers beyond the layouts of the development pages:
invented snippets in both languages (other wordings, other column orders, headlines under a dateline,
unknown places), and long lines without breaks that must stay linear."""

from __future__ import annotations

import time

from pipelines.extract.leaders import extract_leaders
from pipelines.extract.meetings import extract_meetings
from pipelines.extract.source import Source

MEETING_FIELDS = ("date", "host_country", "city", "name")


def meetings(text: str, published: str | None = None, language: str = "ja") -> list[tuple]:
    src = Source("snippet", text, published, language)
    rows = extract_meetings(src)["meetings"]
    for r in rows:
        assert src.text[r["char_start"] : r["char_end"]] == r["quote"]
    return [tuple(r[f] for f in MEETING_FIELDS) for r in rows]


def leaders(text: str, language: str = "ja") -> list[tuple]:
    src = Source("snippet", text, None, language)
    rows = extract_leaders(src)["leaders"]
    for r in rows:
        assert src.text[r["char_start"] : r["char_end"]] == r["quote"]
    return [(r["country"], r["title"], r["name"]) for r in rows]


# --- speed: a long line naming many meetings and leaders is read in linear time ---------------------------


def _seconds(text: str, language: str) -> float:
    src = Source("long", text, None, language)
    t = time.perf_counter()
    extract_meetings(src)
    return time.perf_counter() - t


def test_a_long_english_line_with_many_names_is_read_in_linear_time():
    unit = "the ASEAN-Japan Summit and President Tamsin Oduya of Indonesia, "
    _seconds(unit * 10, "en")  # warm-up
    # 100 KB on one line: it took about 18 s when every mention re-split the whole line.
    assert _seconds(unit * (100_000 // len(unit)), "en") < 2.0


def test_a_long_japanese_line_with_many_names_is_read_in_linear_time():
    unit = "タイのボラン首相、日ASEAN首脳会議、"
    _seconds(unit * 10, "ja")
    assert _seconds(unit * (100_000 // len(unit.encode())), "ja") < 2.0
