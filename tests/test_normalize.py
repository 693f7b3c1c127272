"""Unit tests of the one place where values are normalised."""

from __future__ import annotations

import pytest

from pipelines.normalize import (
    country_code,
    currency_code,
    duration_months,
    fold_text,
    is_approximate,
    number_text,
    parse_english_date,
    parse_japanese_amount,
    parse_japanese_date,
    parse_number,
)


def test_fold_text_keeps_every_offset():
    text = "ＧＤＰ：１，２３４ドル　①Ⅲ㎢"
    folded = fold_text(text)
    assert len(folded) == len(text)
    assert folded.startswith("GDP:1,234ドル ")
    assert folded.endswith("①Ⅲ㎢")  # circled digits, Roman numerals and ㎢ keep their identity


@pytest.mark.parametrize(
    "text, value",
    [
        ("2,345万", 23_450_000),
        ("４兆１，２３４億", 4_123_400_000_000),
        ("1億3579万", 135_790_000),
        ("3兆6千億", 3_600_000_000_000),
        ("４５．６百万", 45_600_000),
        ("8,100万", 81_000_000),
        ("51,234億", 5_123_400_000_000),
        ("7.8億", 780_000_000),
        ("６，４８１", 6_481),
        ("9万", 90_000),
    ],
)
def test_parse_japanese_amount(text, value):
    assert parse_japanese_amount(text).value == value
    assert parse_japanese_amount(text).note is None


def test_malformed_thousands_separator_is_read_and_flagged():
    parsed = parse_japanese_amount("１，８７万")
    assert parsed.value == 1_870_000
    assert "malformed thousands separator" in parsed.note


@pytest.mark.parametrize("text", ["", "万", "12ドル", "1.2.3万x"])
def test_parse_japanese_amount_rejects_non_amounts(text):
    with pytest.raises(ValueError):
        parse_japanese_amount(text)


def test_parse_number_plain_and_full_width():
    assert parse_number("76,430").value == 76430
    assert parse_number("９７．６").value == 97.6


@pytest.mark.parametrize(
    "before, after, expected",
    [
        ("約", "", True),
        ("about ", "", True),
        ("nearly ", "", True),
        ("", "規模", True),
        ("", "程度", True),
        ("", "+", True),
        ("計", "", False),
        ("", "の", False),
    ],
)
def test_is_approximate(before, after, expected):
    assert is_approximate(before, after) is expected


@pytest.mark.parametrize(
    "text, iso",
    [
        ("1971年", "1971"),
        ("2014年9月", "2014-09"),
        ("2024年3月9日", "2024-03-09"),
        ("令和４年３月", "2022-03"),
        ("令和3年2月14日", "2021-02-14"),
        ("令和元年5月", "2019-05"),
        ("平成31年4月", "2019-04"),
        ("令和４年（2022年）６月", "2022-06"),
    ],
)
def test_parse_japanese_date(text, iso):
    assert parse_japanese_date(text) == iso


def test_era_year_that_contradicts_its_western_year_is_refused():
    with pytest.raises(ValueError):
        parse_japanese_date("令和４年（2021年）６月")


@pytest.mark.parametrize(
    "text, iso",
    [
        ("15 May 2019", "2019-05-15"),
        ("August 3, 2005", "2005-08-03"),
        ("October 2007", "2007-10"),
        ("1994", "1994"),
    ],
)
def test_parse_english_date(text, iso):
    assert parse_english_date(text) == iso


@pytest.mark.parametrize(
    "text, months", [("3年間", 36), ("2 years", 24), ("6か月", 6), ("１８ヶ月", 18), ("2週間", None), ("10日間", None)]
)
def test_duration_months(text, months):
    assert duration_months(text) == months


@pytest.mark.parametrize(
    "name, code",
    [
        ("カンボジア", "KHM"),
        ("ラオス", "LAO"),
        ("ブルネイ", "BRN"),
        ("ベトナム", "VNM"),
        ("韓国", "KOR"),
        ("豪州", "AUS"),
        ("ＮＺ", "NZL"),
        ("Lao PDR", "LAO"),
        ("Viet Nam", "VNM"),
        ("the Philippines", "PHL"),
        ("東ティモール", "TLS"),
        ("ＡＳＥＡＮ", "ASEAN"),
        ("日本", "JPN"),
    ],
)
def test_country_code(name, code):
    assert country_code(name) == code


def test_unknown_country_is_none():
    assert country_code("アトランティス") is None


@pytest.mark.parametrize(
    "text, code",
    [("百万米ドル", "USD"), ("ドル", "USD"), ("$", "USD"), ("億円", "JPY"), ("yen", "JPY"), ("ポンド", None)],
)
def test_currency_code(text, code):
    assert currency_code(text) == code


def test_number_text_is_shortest_exact():
    assert number_text(4123400000000.0) == "4123400000000"
    assert number_text(0.035) == "0.035"


@pytest.mark.parametrize("word", ["Can", "Hun", "and", "Per", "Tun"])
def test_three_letter_words_are_not_country_codes(word):
    # Words in prose that happen to be alpha-3 codes (CAN, HUN, AND, PER, TUN) in another case.
    assert country_code(word) is None


def test_an_alpha3_code_written_as_one_is_read():
    assert country_code("THA") == "THA"
    assert country_code("Thailand") == "THA"


@pytest.mark.parametrize("code", ["392", "100", "de", "JP"])
def test_codes_and_figures_are_not_country_names(code):
    # A figure alone on a slide line must never read as a country label.
    assert country_code(code) is None


@pytest.mark.parametrize(
    "earlier, later, ok",
    [("2012", "2012-07", True), ("2012-08", "2012-07", False), ("2011-12-31", "2012", True), (None, "2010", True)],
)
def test_partial_dates_compare_at_the_shared_precision(earlier, later, ok):
    from schemas.validation import not_after

    assert not_after(earlier, later) is ok


def test_trie_pattern_prefers_the_longest_word_and_allows_a_wrap_inside_words_only():
    import re

    from pipelines.normalize import trie_pattern

    pattern = re.compile(trie_pattern(["ab", "abcd", "x"], between="(?:\n)?"))
    assert [m.group() for m in pattern.finditer("abcd ab\ncd a\nbc x\n")] == ["abcd", "ab\ncd", "a\nb", "x"]


def test_whitespace_collapsed_or_removed_as_the_regex_would():
    import re

    from pipelines.normalize import collapse_spaces, remove_spaces

    text = " 相互\n訪問\u3000支援 \t225\u2028 "
    assert collapse_spaces(text) == re.sub(r"\s+", " ", text).strip()
    assert remove_spaces(text) == re.sub(r"\s+", "", text)


@pytest.mark.parametrize(
    "text, date",
    [("H25年12月", "2013-12"), ("R5年10月1日", "2023-10-01"), ("Ｈ２年", "1990"), ("S50年4月", "1975-04")],
)
def test_an_era_written_as_its_letter(text, date):
    assert parse_japanese_date(text) == date


def test_a_letter_ending_a_word_is_no_era():
    with pytest.raises(ValueError):
        parse_japanese_date("NH25年")  # a model name, not 平成25年
    with pytest.raises(ValueError):
        parse_japanese_date("H40年")  # 平成 ended in its 31st year


def test_a_quote_stating_a_letter_era_year_states_its_western_year():
    from pipelines.normalize import stated_date_parts

    assert 2013 in stated_date_parts("H25年12月14日に署名").years
