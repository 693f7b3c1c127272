"""A page's title, publisher and date as its header states them (pipelines.document_header).

Snippets written for these tests (invented organisations, people and places), in Japanese and English,
with the traps of the kind: navigation bars and breadcrumbs, section labels, cookie banners, a page
number glued to a date, a date in a photo caption or in the body, a news report of what a ministry
said, a data source under a table, a wrapped headline.
"""

from __future__ import annotations

import time

import pytest

from pipelines.document_header import read_header
from pipelines.documents import document_metadata

# --- Datelines ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "published"),
    [
        ("海洋協力の新たな枠組みについて\n\n令和4年3月9日\n\n3月8日、会合が開かれました。", "2022-03-09"),
        ("沿岸防災協力の歩み\n\n平成14年6月\n\n本年、協力を開始した。", "2002-06"),
        ("港湾人材育成プログラムの開始\n\n2019年05月16日\n\nルーメン港湾庁は研修を始めた。", "2019-05-16"),
        ("港湾人材育成プログラムの開始\n2021年4月1日(木)\n本日、研修を開始しました。", "2021-04-01"),
        ("Harbour Training Launched\n\n[Date] March 3, 2016\n[Source] Lumen Harbour Agency\n", "2016-03-03"),
        ("Harbour Training Launched\n\nPosted on 15 March 2022\n\nThe courses start in May.", "2022-03-15"),
        ("Harbour Training Launched\n\n14 March 2014\n\nOn 11th March, the courses started.", "2014-03-14"),
        ("Harbour Training Launched\n18:00 JST, December 17, 2023\nThe courses start in May.", "2023-12-17"),
        ("CHAIRMAN'S STATEMENT OF THE 4TH OCEAN FORUM\n9 October 2018, Vientiane, Lao PDR\n1.", "2018-10-09"),
        (
            "BANDAR SERI BEGAWAN, 4 June 2019 – The 7th Ocean Forum held today agreed to expand training for "
            "port officers of the region.",
            "2019-06-04",
        ),
        (
            "Tokyo, March 3, 2016 - The Harbour Light Foundation opened its third training centre in the region.",
            "2016-03-03",
        ),
        ("date 2020-02-11 Fictional ministry opens new port office\n\nThe office opened on Monday.", "2020-02-11"),
    ],
)
def test_a_dateline_dates_the_page_at_its_precision(text, published):
    assert read_header(text).published == published


def test_an_as_of_statement_dates_the_page_by_month():
    ja = "東南アジアの港湾事情\n東南アジアの港湾事情\n※本ページは2024年7月時点の情報です。\n港湾の取扱量は増えている。"
    assert read_header(ja).published == "2024-07"
    assert read_header("港湾統計の概要\n2024年7月現在\n取扱量は増えている。").published == "2024-07"
    en = "Port statistics\n\n(Information as of March 2023)\n\nThroughput grew in every member state last year."
    assert read_header(en).published == "2023-03"


@pytest.mark.parametrize(
    "text",
    [
        # a page number glued to the date, and a page number beside it
        "港湾協力の概要\n\n152023年11月1日\n\n協力は続いている。",
        "港湾協力の概要\n\n15 2023年11月1日\n\n協力は続いている。",
        # a photo caption's date, a date in the body, a year heading a section
        "ルーメン港の新埠頭\n\n記念撮影する各国代表=ルーメン港で2012年4月21日、代表撮影\n\n新埠頭が21日に開業した。",
        "Harbour cooperation\n\nThe Lumen port opened on 22 November 2015 in the presence of President Tamsin Oduya.",
        "港湾協力の概要\n\n2023年\n\n協力は続いている。",
        # a year alone 'as of' heads a table; an 'as of' inside a sentence dates a figure
        "港湾統計\n\n2022年時点の取扱量は約3億トンである。",
        "Port statistics\n\nThe fund (as of April 2011, in force in eight states) has grown.",
        # the first item of a chronology
        "港湾協力の歩み\n\n1977年8月\n最初の港湾会議が開かれた\n\n1987年12月\n第2回会議が開かれた\n",
        "Milestones\n\nMarch 1998\nThe first port opened\nJune 2004\nThe second port opened\n",
        # ... even when the first item's paragraph opens with the item's own date
        "港湾協力の歩み\n\n1977年8月\n\n1977年8月、最初の港湾会議が開かれた。\n\n1987年12月\n第2回会議が開かれた\n",
        # a date inside the headline
        "Harbour Agreement Entered into Force on Dec. 1, 2010\n\nThe agreement covers ports of the region.",
    ],
)
def test_no_dateline_no_date(text):
    assert read_header(text).published is None


# --- Titles --------------------------------------------------------------------------------------


def test_title_after_a_japanese_navigation_bar_and_section_labels():
    text = (
        "国土交通省 English リンク よくある質問 検索 サイトマップ\n"
        "トップページ 地域情勢 東南アジア\n"
        "東南アジア\n"
        "ホーム > 国際協力 > 東南アジア\n\n"
        "日・ルーメン港湾協力会議\n\n"
        "平成28年2月\n\n"
        "日・ルーメン港湾協力会議\n\n"
        "第1回会議が開かれた。"
    )
    header = read_header(text)
    assert (header.title, header.publisher, header.published) == ("日・ルーメン港湾協力会議", "国土交通省", "2016-02")


def test_title_after_an_english_breadcrumb_names_the_publisher_of_an_about_page():
    text = "1. Home\n  2. About Us\n  3. About Lumen Harbour Institute\n\nAbout Lumen Harbour Institute\n\nHistory\n"
    header = read_header(text)
    assert (header.title, header.publisher, header.published) == (
        "About Lumen Harbour Institute",
        "Lumen Harbour Institute",
        None,
    )


def test_the_headline_nearest_above_the_dateline_past_labels_tags_and_bylines():
    ja = "報道発表\n\n港湾人材育成プログラム 第3陣\n(対象国:東南アジア5か国)\n\n(港湾、人材)\n\nルーメン発\n\n令和元年5月7日\n\n本文。"
    assert read_header(ja).title == "港湾人材育成プログラム 第3陣(対象国:東南アジア5か国)"
    en = "PRESS RELEASES\n\nHarbour Training Launched in Three Ports\nBy Tamsin Oduya\n\nDecember 17, 2023\n\nText."
    assert read_header(en).title == "Harbour Training Launched in Three Ports"
    caps = "Ocean Forum chair statement FINAL\n\nFINAL\n\nCHAIRMAN'S STATEMENT OF THE 4TH OCEAN FORUM\n9 October 2018"
    assert read_header(caps).title == "CHAIRMAN'S STATEMENT OF THE 4TH OCEAN FORUM"


def test_a_headline_with_spaces_is_not_a_navigation_bar():
    assert read_header("日ルーメン 特別首脳会議 成果文書\n\n令和5年12月17日\n\n本日、会議が開催されました。").title == (
        "日ルーメン 特別首脳会議 成果文書"
    )


def test_a_byline_after_a_labelled_date_is_not_a_title():
    text = "Home » News » Ports\n\nPort Lumen expands\n\nPosted on 15 March 2022 by admin\n\nThe port grew. It now handles more."
    header = read_header(text)
    assert (header.title, header.published) == ("Port Lumen expands", "2022-03-15")


def test_a_wrapped_headline_is_joined_and_a_repeated_one_kept_once():
    caps = "JOINT STATEMENT\nOF THE 3RD LUMEN-JAPAN SUMMIT\nPort Lumen, 3 March 2019\n\n1. We, the Leaders, met today."
    assert read_header(caps).title == "JOINT STATEMENT OF THE 3RD LUMEN-JAPAN SUMMIT"
    wrapped = "港湾人材育成プログラム\n派遣者数が500人を突破\n\n2018年3月1日\n\n本文です。"
    assert read_header(wrapped).title == "港湾人材育成プログラム 派遣者数が500人を突破"
    repeated = "東南アジアの港湾事情\n東南アジアの港湾事情\n※掲載内容は2031年5月現在のものです。\n本文。"
    assert read_header(repeated).title == "東南アジアの港湾事情"


def test_a_cookie_banner_and_buttons_are_not_the_title():
    text = (
        "We use cookies on this website to give you a better experience. By continuing you agree. Learn more\n\n"
        "Harbour Light Foundation Opens Third Centre\n\n23 March 2016\nShare Article:\n\nPrint Article:\n\n"
        "Professor Tamsin Oduya, President of the foundation, opened the centre on 15 March 2016."
    )
    header = read_header(text)
    assert (header.title, header.published) == ("Harbour Light Foundation Opens Third Centre", "2016-03-23")


def test_a_dated_page_without_a_headline_is_titled_by_its_first_sentence():
    record = (
        '"Harbour Records" Database (Project Leader: ODUYA Tamsin)\nInstitute of Harbour Studies\n\n'
        "[Date] November 22, 2015\n[Source] Ministry of Harbours of Lumen\n[Full text]\n\n"
        "The 4th Ocean Summit, chaired by H.E. Mr. Tamsin Oduya, was held on 22 November 2015 in Port Lumen. "
        "The Summit was attended by all leaders."
    )
    header = read_header(record)
    assert header.title == (
        "The 4th Ocean Summit, chaired by H.E. Mr. Tamsin Oduya, was held on 22 November 2015 in Port Lumen."
    )
    assert (header.publisher, header.published) == ("Ministry of Harbours of Lumen", "2015-11-22")
    ja = "東南アジア\n\n令和3年5月10日\n\n5月10日、第2回日・ルーメン港湾会議(以下「会議」という。)が開催されました。次回は来年。"
    assert read_header(ja).title == "5月10日、第2回日・ルーメン港湾会議(以下「会議」という。)が開催されました。"


def test_a_page_opening_with_a_section_label_has_no_title():
    assert read_header("背景\n港湾の整備は1990年代に始まった。その後、協力が広がった。").title is None


def test_a_news_dateline_without_a_date_is_not_part_of_the_title():
    text = "PORT LUMEN--The Harbour Light Foundation will open a training centre next year, its director said here."
    header = read_header(text)
    assert header.title.startswith("The Harbour Light Foundation will open")
    assert header.published is None


# --- Publishers ---------------------------------------------------------------------------------


def test_a_press_release_names_its_issuer_as_the_subject_of_its_first_sentence():
    ja = (
        "港湾人材育成プログラムの開始\n\n2021年4月1日\n\n"
        "海洋協力財団(オーシャン・ブリッジ)は、東南アジアの港湾職員を対象とする研修を開始します。"
    )
    assert read_header(ja).publisher == "海洋協力財団(オーシャン・ブリッジ)"
    en = (
        "Harbour Training Launched\n\nPORT LUMEN, 15 March 2022 – The Lumen Harbour Management Team (LHMT) "
        "attended the 3rd meeting of the working group on 15 March 2022 and presented its report."
    )
    assert read_header(en).publisher == "Lumen Harbour Management Team"


def test_a_news_report_of_what_an_organisation_said_names_no_publisher():
    ja = "港湾協定に署名\n\n2019年5月16日\n\n農林水産省は16日、ルーメン国と港湾協定に署名したと発表した。"
    assert read_header(ja).publisher is None
    en = "Port deal signed\n\nMay 16, 2019\n\nThe Ministry of Tides said on Monday that it signed the port agreement."
    assert read_header(en).publisher is None
    # 'according to the ministry' is a source of the report, not the page's publisher
    cited = "港湾協定に署名\n\n2019年5月16日\n\n外務省によると、協定は5月13日に署名された。"
    assert read_header(cited).publisher is None


def test_the_site_name_heading_the_page():
    assert read_header("Ministry of Harbours and Tides\nFont Size Change\n\nPort Lumen Agreement\n").publisher == (
        "Ministry of Harbours and Tides"
    )
    assert read_header("Ministry of Harbours and Tides\nFont Size Change\n\nPort Lumen Agreement\n").title == (
        "Port Lumen Agreement"
    )


def test_credit_wire_agency_and_copyright_lines():
    credit = "港湾会議:5カ国が合意\n\n各国代表=ルーメン港で代表撮影\n\n会議が開かれた。\n\n情報提供:example-news.jp\n"
    assert read_header(credit).publisher == "example-news.jp"
    wire = "Port deal\n\nMANILA (Kyodo) -- The two governments signed a port agreement on Monday, officials said."
    assert read_header(wire).publisher == "Kyodo News"
    ja_wire = (
        "ルーメン港に新埠頭\n2023年10月5日 18時00分\n\n【ジャカルタ=共同】ルーメン国政府は5日、新埠頭の開業を発表した。"
    )
    assert (read_header(ja_wire).publisher, read_header(ja_wire).published) == ("共同通信", "2023-10-05")
    footer = "Port deal\n\nText of the page.\n\nCopyright © 2022 Harbour Light Foundation. All rights reserved.\n"
    assert read_header(footer).publisher == "Harbour Light Foundation"
    # a data source under a table and a photo credit are not the page's publisher
    table = "港湾統計\n\n取扱量 3億トン\n出典:ルーメン統計局\n写真提供:ルーメン港湾庁\n"
    assert read_header(table).publisher is None


def test_a_date_beside_the_publisher_line_deeper_in_a_slide():
    text = "港湾協力の3つの方向性:\n①人を育てる\n\n本文。本文。本文。本文。本文。\n\n令和2年1月10日\n国土交通省\n\n次のスライド\n"
    header = read_header(text)
    assert (header.publisher, header.published) == ("国土交通省", "2020-01-10")


# --- The document's row ------------------------------------------------------------------------------


def test_document_metadata_keeps_a_plain_first_line_title_and_reads_as_of_anywhere():
    text = '=HYPERLINK("x")\n\n' + "本文。" * 50 + "\n\nAs of 30 June 2022\n"
    assert document_metadata(text) == {
        "title": '=HYPERLINK("x")',
        "language": "ja",
        "publisher": None,
        "published": "2022-06-30",
    }


def test_reading_the_header_of_a_long_document_stays_cheap():
    line = "港湾協力の記録を整理した。現在の取扱量は増えている。情報提供は各港による。Copyright notes follow.\n"
    text = line * 200_000  # about 20 MB with many literals to look back from
    started = time.perf_counter()
    header = read_header(text)
    assert time.perf_counter() - started < 3
    assert header.published is None and header.publisher is None
