"""Meetings named in statements (``pipelines.extract.meetings``): snippets written for these tests, in the
styles of summit statements, ministry summaries, news and history pages, in Japanese and English, with
the traps of the kind (other groupings' meetings, working groups and boards, a page's dateline under a
heading, a page number run into a date, a wrapped line, an approximate date)."""

from __future__ import annotations

import pytest

from pipelines.extract.meetings import extract_meetings
from pipelines.extract.source import Source

FIELDS = ("date", "end_date", "host_country", "city", "name", "special_50th")


def rows_of(text: str, published: str | None = None, language: str = "ja") -> list[dict]:
    src = Source("snippet", text, published, language)
    rows = extract_meetings(src)["meetings"]
    for r in rows:
        assert src.text[r["char_start"] : r["char_end"]] == r["quote"]
        assert 0 < len(r["quote"]) <= 400
        assert r["quote"] == r["quote"].strip()
    return rows


def got(rows: list[dict]) -> list[tuple]:
    return [tuple(r[f] for f in FIELDS) for r in rows]


# --- Japanese ----------------------------------------------------------------------------------------


def test_ja_summary_date_leading_the_sentence_venue_and_city_in_brackets():
    text = (
        "令和12年3月4日\n\n"
        " 3月4日(月曜日)10時から約90分、迎賓館(大阪)において、第9回日本・メコン地域諸国首脳会議"
        "(以下、「日メコン首脳会議」という。)が開催されたところ、概要は以下のとおりです。\n"
    )
    rows = rows_of(text)
    assert got(rows) == [("2030-03-04", None, "JPN", "大阪", "第9回日本・メコン地域諸国首脳会議", False)]
    assert rows[0]["quote"].startswith("3月4日(月曜日)") and rows[0]["quote"].endswith("開催された")
    assert "page's date" in rows[0]["notes"] or "same date" in rows[0]["notes"]


def test_ja_official_venue_gives_the_host_not_a_city():
    text = "平成30年6月2日\n\n 6月2日(土曜日)、総理大臣官邸において、日ASEAN外相会議が開催された。\n"
    assert got(rows_of(text)) == [("2018-06-02", None, "JPN", None, "日ASEAN外相会議", False)]


def test_ja_name_then_date_and_place_in_brackets():
    text = "・第3回日メコン外相会議(2031年7月、ダナン)では、連結性の強化で一致した。\n"
    assert got(rows_of(text)) == [("2031-07", None, "VNM", "ダナン", "第3回日メコン外相会議", False)]


def test_ja_subject_then_date_then_city_then_held():
    text = "日ASEAN経済大臣会合が、2029年9月12日、ボラン商業相を議長として、ビエンチャンで開催された。"
    assert got(rows_of(text)) == [("2029-09-12", None, "LAO", "ビエンチャン", "日ASEAN経済大臣会合", False)]


def test_ja_date_of_the_meeting_before_its_name():
    text = (
        "外務省によると、2031年の協定発効を契機に、同年10月の日ASEAN外相会合で交渉開始に合意し、"
        "2032年8月の日ASEAN外相会合で実質合意が発表された。"
    )
    assert got(rows_of(text)) == [
        ("2031-10", None, None, None, "日ASEAN外相会合", False),
        ("2032-08", None, None, None, "日ASEAN外相会合", False),
    ]


def test_ja_special_summit_marked_fiftieth_only_when_the_text_says_so():
    text = (
        "「次世代交流計画」は、2034年の日・ASEAN特別首脳会議において発表された。\n"
        "12月9日、ボラン首相は日本ASEAN友好協力50周年特別首脳会議において、新たな計画を発表した。\n"
        "日ASEAN友好協力60周年特別首脳会議（2043年12月、於東京）\n"
    )
    rows = rows_of(text, published="2033-12-10")
    assert got(rows) == [
        ("2034", None, None, None, "日・ASEAN特別首脳会議", False),
        ("2033-12-09", None, None, None, "日本ASEAN友好協力50周年特別首脳会議", True),
        ("2043-12", None, "JPN", "東京", "日ASEAN友好協力60周年特別首脳会議", False),
    ]


def test_ja_news_day_alone_takes_the_month_of_the_same_day_on_the_page():
    text = (
        "日メコン首脳会議の前に記念撮影する各国首脳=東京都内のホテルで2032年5月9日午後、代表撮影\n\n"
        "日本とメコン川流域5カ国による「日メコン首脳会議」が9日午後、東京・丸の内のホテルで開かれた。\n"
    )
    rows = rows_of(text)
    assert got(rows) == [("2032-05-09", None, "JPN", "東京", "日メコン首脳会議", False)]
    assert rows[0]["quote"].startswith("「日メコン首脳会議」が9日午後")


def test_ja_no_year_anywhere_gives_no_date_but_keeps_the_place():
    text = "「日本ASEAN友好協力50周年特別首脳会議」及び関連行事が3月2日から4日にかけて大阪において開催される。"
    assert got(rows_of(text)) == [(None, None, "JPN", "大阪", "日本ASEAN友好協力50周年特別首脳会議", True)]


def test_ja_month_without_year_from_the_page_date_line():
    text = (
        "2031年9月3日\n\n"
        "  • 9月2日(火曜日)、ASEAN加盟国との間で第60回日ASEAN経済大臣会合(テレビ会議形式)が開催されました。\n"
        "  • 今回の会合では、6月の日ASEAN経済大臣特別会合で発出された行動計画の進捗を確認しました。\n"
    )
    assert got(rows_of(text)) == [
        ("2031-09-02", None, None, None, "第60回日ASEAN経済大臣会合", False),  # online: no host
        ("2031-06", None, None, None, "日ASEAN経済大臣特別会合", False),
    ]


def test_ja_history_list_under_year_headings_with_the_page_topic():
    text = (
        "日・ASEAN首脳会議\n\n平成19年5月\n\n"
        "81年:\n\n 第5回ASEAN公式首脳会議に際し、2回目の協議が行われ、鈴木総理が出席。\n\n"
        "89年:\n\n 第4回ASEAN公式首脳会議に際し開催され、海部総理が出席。\n\n"
        "05年:\n\n 3月、ボラン首相が来日。11月、第11回ASEAN首脳会議に際し開催され、協力を確認した。\n"
    )
    rows = rows_of(text)
    assert got(rows) == [
        ("1989", None, None, None, "日・ASEAN首脳会議", False),
        ("2005-11", None, None, None, "日・ASEAN首脳会議", False),
    ]
    assert rows[0]["quote"].startswith("89年:") and "year" in rows[0]["notes"]
    assert rows[1]["quote"].startswith("11月、第11回ASEAN首脳会議")


def test_ja_glossary_entry_defining_the_meeting_then_its_first_session():
    text = (
        "メコン川流域の5カ国と日本の外相が、地域の開発協力を話し合う会議。第1回会合が、2031年2月3日、"
        "ボラン外相を議長として、名古屋で開催された。"
    )
    assert got(rows_of(text)) == [("2031-02-03", None, "JPN", "名古屋", "第1回会合", False)]


def test_ja_list_item_date_then_name():
    text = "1985年 初の日ASEAN経済大臣会合開催（バンコク）\n\n2030年11月 第33回日ASEAN首脳会議：新構想を発表。\n"
    assert got(rows_of(text)) == [
        ("1985", None, "THA", "バンコク", "初の日ASEAN経済大臣会合", False),
        ("2030-11", None, None, None, "第33回日ASEAN首脳会議", False),
    ]


def test_ja_page_number_run_into_a_date():
    assert got(rows_of("資料142031年10月8日 日ASEAN首脳会議\n")) == [
        ("2031-10-08", None, None, None, "日ASEAN首脳会議", False)
    ]


def test_ja_headline_and_body_give_one_row():
    text = (
        "日ASEAN外相会議、ハノイで開催\n\n"
        "2031年7月20日、ハノイにおいて、日ASEAN外相会議が開催され、ボラン外相が出席した。\n"
    )
    rows = rows_of(text)
    assert got(rows) == [("2031-07-20", None, "VNM", "ハノイ", "日ASEAN外相会議", False)]
    assert rows[0]["quote"].startswith("2031年7月20日")


@pytest.mark.parametrize(
    "text",
    [
        "ASEAN+3首脳会議(2030年11月、クアラルンプール)が開催された。",  # another grouping
        "2030年11月、日中韓首脳会議がソウルで開催された。",
        "東アジア首脳会議（2031年10月、於ジャカルタ）",
        "2030年6月、ERIA理事会がジャカルタで開催された。",  # a board: an event, not a meeting
        "2031年3月、日ASEAN合同協力委員会作業部会がジャカルタで開催された。",  # a working group
        "ASEAN関連経済大臣会合(2030年8月、テレビ会議形式)",
        "日・ASEAN首脳会議\n\n令和3年5月\n\n本ページでは概要を紹介します。\n",  # heading above the page's date
        "2031年頃の日ASEAN外相会議に向けて準備する。",  # an approximate date
        "日ASEAN首脳会議は、1977年から毎年開催されている。",  # a recurrence, not a date
        "日ASEAN首脳・閣僚級会合（2031年）",  # a caption over several meetings
    ],
)
def test_ja_traps_give_no_meeting(text):
    assert rows_of(text) == []


# --- English -----------------------------------------------------------------------------------------


def test_en_summit_held_on_a_date_in_a_city_after_an_insertion():
    text = (
        "The 31st ASEAN-Japan Summit, chaired by the President of the Republic of Indonesia, "
        "H.E. Tamsin Oduya, was held on 4 October 2034 in Jakarta, Indonesia. The Summit was attended by all leaders."
    )
    rows = rows_of(text, language="en")
    assert got(rows) == [("2034-10-04", None, "IDN", "Jakarta", "31st ASEAN-Japan Summit", False)]
    assert rows[0]["quote"].endswith("Jakarta, Indonesia")


def test_en_wrapped_line():
    text = (
        "CHAIRMAN'S STATEMENT OF THE 22ND ASEAN-JAPAN SUMMIT\n4 November 2031, Vientiane, Lao PDR\n1.\n"
        "The 22nd ASEAN-Japan Summit was held on 4 November 2031 in Vientiane,\nLao PDR. The Summit was chaired by\n"
        "H.E. Tamsin Oduya, Prime Minister of the Lao PDR.\n"
    )
    rows = rows_of(text, language="en")
    assert got(rows) == [("2031-11-04", None, "LAO", "Vientiane", "22nd ASEAN-Japan Summit", False)]
    assert rows[0]["quote"].startswith("22nd ASEAN-Japan Summit was held")


def test_en_heading_above_a_dateline_with_the_place():
    text = "CHAIRMAN'S STATEMENT OF THE 22ND ASEAN-JAPAN SUMMIT\n4 November 2031, Vientiane, Lao PDR\n\n1. We met.\n"
    assert got(rows_of(text, language="en")) == [
        ("2031-11-04", None, "LAO", "Vientiane", "22ND ASEAN-JAPAN SUMMIT", False)
    ]


def test_en_month_and_day_take_the_year_of_the_page_date():
    text = (
        "March 3, 2032\n\n"
        "On March 3, commencing at 2:00 p.m. local time, the Mekong-Japan Foreign Ministers’ Meeting was held in "
        "Hanoi, Viet Nam. Minister Oduya attended the meeting.\n"
    )
    rows = rows_of(text, language="en")
    assert got(rows) == [("2032-03-03", None, "VNM", "Hanoi", "Mekong-Japan Foreign Ministers’ Meeting", False)]
    assert "year" in rows[0]["notes"]


def test_en_dateline_and_today_online():
    text = (
        "VIENTIANE, 4 June 2031 – The 40th ASEAN-Japan Forum held virtually today reaffirmed the partnership. "
        "It followed up the outcomes of the 33rd ASEAN-Japan Summit in October 2030 and of the 32nd ASEAN-Japan Summit."
    )
    rows = rows_of(text, language="en")
    assert got(rows) == [
        ("2031-06-04", None, None, None, "40th ASEAN-Japan Forum", False),
        ("2030-10", None, None, None, "33rd ASEAN-Japan Summit", False),
    ]
    assert rows[0]["quote"].startswith("4 June 2031")
    # The same when the page's date is known from its header: the dateline stays in the quote.
    again = rows_of(text, published="2031-06-04", language="en")
    assert got(again) == got(rows) and again[0]["quote"] == rows[0]["quote"]


def test_en_special_summit_weekday_and_headline():
    text = (
        "Japan, ASEAN Agree on New Plan at Special Summit in Osaka\n"
        "18:00 JST, June 10, 2035\n"
        "Prime Minister Tamsin Oduya and the ASEAN leaders adopted a joint statement during a Japan-ASEAN "
        "special summit in Osaka on Saturday.\n"
    )
    rows = rows_of(text, language="en")
    assert got(rows) == [("2035-06-09", None, "JPN", "Osaka", "Japan-ASEAN special summit", False)]


def test_en_host_and_anniversary_of_a_planned_special_summit():
    text = (
        "Japan will host a special summit with ASEAN next year to mark the 50th anniversary of their relations.\n\n"
        "To conclude the 50th anniversary year, Japan will welcome the ASEAN Leaders to Kyoto and hold the "
        "Commemorative Summit from 8 to 10 December.\n"
    )
    assert got(rows_of(text, published="2032-07-01", language="en")) == [
        ("2033", None, "JPN", None, "special summit", True),
        ("2032-12-08", "2032-12-10", "JPN", "Kyoto", "Commemorative Summit", True),
    ]


def test_en_no_page_date_keeps_the_place_without_a_date():
    text = "Prime Minister Oduya looks on during the 27th ASEAN–Japan Summit in Phnom Penh on Nov. 10. (AP Photo)"
    assert got(rows_of(text, language="en")) == [(None, None, "KHM", "Phnom Penh", "27th ASEAN–Japan Summit", False)]


@pytest.mark.parametrize(
    "text",
    [
        "The JMT attended the 16th Meeting of the ASEAN-Japan Joint Cooperation Committee Working Group on "
        "15 March 2031.",
        "He briefed them on the First ERIA Governing Board Meeting held on 12 March 2031 in Tokyo.",
        "Oduya attended a summit of ASEAN, Japan, China and South Korea in Phnom Penh on 12 November 2031.",
        "The East Asia Summit was held on 12 November 2031 in Kuala Lumpur, Malaysia.",
        "The ASEAN-Japan Business Forum was held on 3 May 2030 in Bangkok.",
        "ASEAN-Japan Summit\nNovember 22, 2031\n\nThe leaders reviewed cooperation.",  # a heading above the page's date
        "The ASEAN-Japan Summit will be held around October in Manila",  # an approximate date, no place read
        "The ASEAN-Japan Summits have been held every year since 1997.",
    ],
)
def test_en_traps_give_no_meeting(text):
    rows = rows_of(text, language="en")
    assert [r for r in rows if r["date"]] == [], rows


def test_ja_date_then_place_then_held_before_the_name():
    text = "ボラン首相は、11月13日、フィリピン・マニラで開催された第40回日ASEAN首脳会議に出席しました。"
    assert got(rows_of(text, published="2035-11-14")) == [
        ("2035-11-13", None, "PHL", "マニラ", "第40回日ASEAN首脳会議", False)
    ]


def test_ja_place_mark_in_brackets_and_a_member_list_is_not_a_place():
    text = (
        "・日ASEAN首脳会議（於：ラオス・ビエンチャン、2036年10月）\n\n"
        "・日メコン外相会議（カンボジア、ラオス、ミャンマー、タイ、ベトナム、日本）は2037年に東京で開催予定。\n"
    )
    rows = rows_of(text)
    assert got(rows)[0] == ("2036-10", None, "LAO", "ビエンチャン", "日ASEAN首脳会議", False)
    assert all(r["host_country"] in (None, "JPN") for r in rows[1:])


def test_table_rows_with_cells():
    ja = "開催日\t会議名\t開催地\n2036年11月4日\t第39回日ASEAN首脳会議\tタイ（バンコク）\n"
    assert got(rows_of(ja)) == [("2036-11-04", None, "THA", "バンコク", "第39回日ASEAN首脳会議", False)]
    en = "| Meeting | Date | Venue |\n| 22nd ASEAN-Japan Summit | 4 November 2031 | Vientiane, Lao PDR |\n"
    assert got(rows_of(en, language="en")) == [
        ("2031-11-04", None, "LAO", "Vientiane", "22nd ASEAN-Japan Summit", False)
    ]


def test_en_participles_leads_and_long_names():
    text = (
        "In November 2031, Prime Minister Tamsin Oduya attended the 22nd ASEAN-Japan Summit Meeting in Bangkok, "
        "Thailand.\n\n"
        "The leaders recalled the 21st ASEAN-Japan Summit, held virtually on 26 October 2030.\n\n"
        "They welcomed the outcome of the Special ASEAN-Japan Summit, which took place in Tokyo on 14 December 2033.\n"
    )
    assert got(rows_of(text, language="en")) == [
        ("2031-11", None, "THA", "Bangkok", "22nd ASEAN-Japan Summit Meeting", False),
        ("2030-10-26", None, None, None, "21st ASEAN-Japan Summit", False),
        ("2033-12-14", None, "JPN", "Tokyo", "Special ASEAN-Japan Summit", False),
    ]


def test_ja_place_before_the_name_relative_year_and_a_heading_over_its_dateline():
    text = (
        "令和15年2月1日\n\n"
        "ボラン首相は、ダナンで開催された日・アセアン首脳会議に出席した。\n\n"
        "昨年11月の日メコン外相会議で合意した計画を進める。\n\n"
        "第12回日本・メコン地域諸国首脳会議\n2033年1月31日、ヤンゴン\n"
    )
    assert got(rows_of(text)) == [
        (None, None, "VNM", "ダナン", "日・アセアン首脳会議", False),
        ("2032-11", None, None, None, "日メコン外相会議", False),
        ("2033-01-31", None, "MMR", "ヤンゴン", "第12回日本・メコン地域諸国首脳会議", False),
    ]


def test_en_brackets_list_items_and_a_heading_with_the_city_first():
    text = (
        "- November 2039: 42nd ASEAN-Japan Summit (Bangkok)\n"
        "- Mekong-Japan Summit Meeting (Tokyo, 21 April 2040)\n\n"
        "ASEAN-Japan Commemorative Summit\nKyoto, 14 December 2043\n\nWe, the leaders, met.\n"
    )
    assert got(rows_of(text, language="en")) == [
        ("2039-11", None, "THA", "Bangkok", "42nd ASEAN-Japan Summit", False),
        ("2040-04-21", None, "JPN", "Tokyo", "Mekong-Japan Summit Meeting", False),
        ("2043-12-14", None, "JPN", "Kyoto", "ASEAN-Japan Commemorative Summit", False),
    ]


def test_en_press_release_on_a_day_attended_the_summit_held_in_a_city():
    text = (
        "November 5, 2039\n\n"
        "On November 4, Prime Minister Tamsin Oduya attended the 42nd ASEAN-Japan Summit Meeting held in Bangkok, "
        "the Kingdom of Thailand. The ASEAN-Japan Summit, to be held in Jakarta in September, was also discussed.\n"
    )
    assert got(rows_of(text, language="en")) == [
        ("2039-11-04", None, "THA", "Bangkok", "42nd ASEAN-Japan Summit Meeting", False),
        ("2039-09", None, "IDN", "Jakarta", "ASEAN-Japan Summit", False),
    ]


def test_a_dateline_is_not_the_date_of_a_meeting_planned_later():
    en = (
        "JAKARTA, 3 March 2031 – Senior officials prepared for the ASEAN-Japan Summit to be held in Vientiane "
        "in October."
    )
    assert got(rows_of(en, language="en")) == [("2031-10", None, "LAO", "Vientiane", "ASEAN-Japan Summit", False)]
    ja = "2031年3月3日\n\n本日、ジャカルタにおいて日ASEAN外相会議が開催された。10月には日ASEAN首脳会議がビエンチャンで開催される予定。\n"
    assert got(rows_of(ja)) == [
        ("2031-03-03", None, "IDN", "ジャカルタ", "日ASEAN外相会議", False),
        ("2031-10", None, "LAO", "ビエンチャン", "日ASEAN首脳会議", False),
    ]


def test_ja_meeting_as_the_object_of_holding():
    text = "本年は日ASEAN友好協力60周年の節目にあたり、12月に大阪で特別首脳会議を開催予定。"
    assert got(rows_of(text, published="2033-02-01")) == [("2033-12", None, "JPN", "大阪", "特別首脳会議", False)]
