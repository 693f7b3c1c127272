"""Generalisation of the meetings, leaders and header readers beyond the layouts of the development pages:
invented snippets in both languages (other wordings, other column orders, headlines under a dateline,
unknown places), and long lines without breaks that must stay linear."""

from __future__ import annotations

import time

from pipelines.document_header import read_header
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
    return [(r["entity_code"], r["title"], r["name"]) for r in rows]


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


# --- meetings: general forms of the cues ----------------------------------------------------------------


def test_ja_a_part_of_the_meeting_being_held_dates_the_meeting():
    for part in ("全体会合", "第2セッション", "ワーキング・ランチ"):
        text = f"5月9日、総理大臣官邸において、日本・メコン地域諸国首脳会議の{part}が開催された。"
        assert meetings(text, "2033-05-10") == [("2033-05-09", "JPN", None, "日本・メコン地域諸国首脳会議")], part


def test_ja_city_then_any_venue_noun():
    text = "日ASEAN外相会議が8日午後、{}で開かれた。"
    assert meetings(text.format("名古屋の国際会議場"), "2034-02-08") == [
        ("2034-02-08", "JPN", "名古屋", "日ASEAN外相会議")
    ]
    assert meetings(text.format("名古屋の迎賓館"), "2034-02-08") == [("2034-02-08", "JPN", "名古屋", "日ASEAN外相会議")]
    # a city named as the owner of something other than a venue is not where the meeting was
    assert meetings("日ASEAN外相会議が8日、名古屋の代表も参加して開かれた。", "2034-02-08")[0][2] is None


def test_ja_two_digit_year_heading_is_read_as_the_nearest_year():
    page = "日ASEAN首脳会議\n\n{}年:\n\n 10月、ASEAN首脳会議に際し開催され、首相が出席。\n"
    got_after = meetings(page.format("03"), "2001-12-01")
    got_before = meetings(page.format("98"), "2001-12-01")
    assert [g[0] for g in got_after] == ["2003-10"]
    assert [g[0] for g in got_before] == ["1998-10"]


def test_ja_meetings_table_with_its_columns_in_another_order():
    text = (
        "会議名 日付 開催地 備考\n"
        "日ASEAN観光大臣会合 3月3日 ラオス（ルアンパバーン）\n"
        "日ASEAN農林大臣会合 10月21日 タイ 2019年から毎年\n"
        "（2035年）\n"
    )
    assert meetings(text) == [
        ("2035-03-03", "LAO", "ルアンパバーン", "日ASEAN観光大臣会合"),
        ("2035-10-21", "THA", None, "日ASEAN農林大臣会合"),
    ]


def test_ja_meetings_table_special_mark_is_read_from_its_legend_only():
    text = "日付 場所 会議名\n◎周年の特別会合\n4月4日 日本（東京） 日ASEAN特別保健大臣会合 ◎\n（2036年）\n"
    rows = extract_meetings(Source("t", text, None, "ja"))["meetings"]
    assert [(r["date"], r["special_50th"]) for r in rows] == [("2036-04-04", True)]
    no_legend = "日付 場所 会議名\n4月4日 日本（東京） 日ASEAN特別保健大臣会合 ◎\n（2036年）\n"
    rows = extract_meetings(Source("t", no_legend, None, "ja"))["meetings"]
    assert [(r["date"], r["special_50th"]) for r in rows] == [("2036-04-04", False)]


# --- headers: a headline under the dateline ---------------------------------------------------------------


def test_headline_below_a_japanese_dateline_with_or_without_a_blank_line():
    for gap in ("\n", "\n\n"):
        text = f"令和9年2月3日{gap}ルーメン港湾協力に関する覚書の署名\n\n本日、大阪において、覚書の署名式が行われました。\n"
        h = read_header(text)
        assert (h.title, h.published) == ("ルーメン港湾協力に関する覚書の署名", "2027-02-03")
    assert (
        read_header("令和9年2月3日\nルーメン港湾協力に関する覚書の署名").title == "ルーメン港湾協力に関する覚書の署名"
    )


def test_headline_below_an_english_dateline_is_the_title_never_the_publisher():
    text = (
        "News Releases\nMarch 9, 2027\nJapan Funds a New Harbour Training Centre\n\n"
        "The Government of Japan has decided to fund a training centre in Port Lumen.\n"
    )
    h = read_header(text)
    assert (h.title, h.publisher, h.published) == ("Japan Funds a New Harbour Training Centre", None, "2027-03-09")
    weekday = "Tuesday, 9 March 2027\nLumen and Japan Agree on Port Safety\n\nOfficials met in Port Lumen on Monday.\n"
    assert read_header(weekday).title == "Lumen and Japan Agree on Port Safety"


def test_a_title_above_the_dateline_is_still_preferred():
    text = "ルーメン港湾協力に関する覚書の署名\n令和9年2月3日\n別の見出し\n\n本日、覚書の署名式が行われました。\n"
    assert read_header(text).title == "ルーメン港湾協力に関する覚書の署名"


def test_a_publisher_line_above_the_dateline_and_a_headline_below():
    h = read_header("外務省\n令和9年2月3日\nルーメン港湾協力に関する共同声明\n")
    assert (h.title, h.publisher) == ("ルーメン港湾協力に関する共同声明", "外務省")


def test_this_centre_is_not_a_publisher():
    ja = "2027年3月9日（火）\n港湾交流フェスティバルを開催します\n\n当センターは、3月20日に交流イベントを開催します。\n"
    assert read_header(ja).publisher is None
    en = "9 March 2027\n\nThis Centre will hold a harbour safety seminar on 20 March.\n"
    assert read_header(en).publisher is None
    named = "2027年3月9日\n\nルーメン港湾機構は、3月20日に交流イベントを開催します。\n"
    assert read_header(named).publisher == "ルーメン港湾機構"


# --- meetings: date and place around the name in other orders ---------------------------------------------


def test_en_date_and_city_after_the_name_separated_by_commas_in_either_order():
    for tail in ("4 June 2032, Vientiane", "Vientiane, 4 June 2032"):
        text = f"Mekong-Japan Foreign Ministers' Meeting, {tail}\n\nThe ministers reviewed the harbour plan.\n"
        assert meetings(text, language="en") == [
            ("2032-06-04", "LAO", "Vientiane", "Mekong-Japan Foreign Ministers' Meeting")
        ]
    # a business meeting is not one of the kind, whatever follows it
    trap = "ASEAN-Japan Business Meeting, 4 June 2032, Vientiane\n"
    assert meetings(trap, language="en") == []


def test_en_date_and_place_before_the_name():
    text = "Leaders of Japan and ASEAN gathered in Manila on 9 October 2032 for the ASEAN-Japan Commemorative Summit."
    assert meetings(text, language="en") == [("2032-10-09", "PHL", "Manila", "ASEAN-Japan Commemorative Summit")]


def test_en_summit_named_type_first():
    text = (
        "Leaders of Japan and ASEAN gathered in Manila on 9 October 2032 for the Special Summit for the "
        "60th Year of ASEAN-Japan Friendship and Cooperation."
    )
    assert meetings(text, language="en") == [
        ("2032-10-09", "PHL", "Manila", "Special Summit for the 60th Year of ASEAN-Japan Friendship and Cooperation")
    ]
    # another grouping's summit named type first is not one
    assert (
        meetings(
            "They met on 9 October 2032 for the Special Summit for the 60th Year of ASEAN-China Relations.",
            language="en",
        )
        == []
    )


def test_en_unknown_town_keeps_the_country_and_the_date():
    text = "The ASEAN-Japan Tourism Ministers' Meeting was held in Port Velmar, Indonesia on 11 May 2032."
    assert meetings(text, language="en") == [("2032-05-11", "IDN", None, "ASEAN-Japan Tourism Ministers' Meeting")]


def test_ja_date_comma_city_then_meeting_held():
    text = "来年5月、バンコクで日メコン外相会議を開催する予定である。"
    assert meetings(text, "2031-11-02") == [("2032-05", "THA", "バンコク", "日メコン外相会議")]


# --- leaders ---------------------------------------------------------------------------------------------


def test_ja_name_then_a_space_then_the_secretary_general_title():
    assert leaders("ボラン・サク ASEAN事務総長が挨拶した。") == [("ASEAN", "事務総長", "ボラン・サク")]
    assert leaders("ボラン・サクASEAN事務総長が挨拶した。") == [("ASEAN", "事務総長", "ボラン・サク")]
    # a city before the title names no one
    assert leaders("式典ではジャカルタ ASEAN事務総長が挨拶した。") == []


def test_en_generation_suffix_keeps_its_full_stop():
    text = "President of the Philippines Marco T. Lumen Jr. welcomed the new harbour initiative."
    assert leaders(text, "en") == [("PHL", "President", "Marco T. Lumen Jr.")]
