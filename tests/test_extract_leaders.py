"""The leaders family on snippets written here (invented people, never copied from raw/ or the corpus):
a person named with a head-of-state or head-of-government title (or ASEAN's Secretary-General) and the
country, in any order and script, with the traps of the kind (deputies, spouses, aides, former holders,
presidents of organisations, another organisation's Secretary-General, a country card's leader line)."""

from __future__ import annotations

import pytest

from pipelines.extract import extract_source
from pipelines.extract.leaders import country_of, extract_leaders, same_person
from pipelines.extract.source import Source


def src_of(text: str, language: str = "ja") -> Source:
    return Source("snippet", text, None, language)


def leaders(text: str, language: str = "ja") -> list[dict]:
    src = src_of(text, language)
    rows = extract_leaders(src)["leaders"]
    for r in rows:
        assert src.text[r["char_start"] : r["char_end"]] == r["quote"]
        assert 0 < len(r["quote"]) <= 400
    return rows


def triples(rows: list[dict]) -> list[tuple[str, str, str]]:
    return [(r["entity_code"], r["name"], r["title"]) for r in rows]


# --- Japanese ---------------------------------------------------------------------------------------


def test_japanese_name_then_country_glued_to_the_title():
    text = "会議には、ダラン・ミクソ・カンボジア首相、ペナ・ルオン・インドネシア共和国大統領、カセム・ラオス首相が出席した。"
    rows = leaders(text)
    assert triples(rows) == [
        ("KHM", "ダラン・ミクソ", "首相"),
        ("IDN", "ペナ・ルオン", "大統領"),
        ("LAO", "カセム", "首相"),
    ]
    assert rows[0]["quote"] == "ダラン・ミクソ・カンボジア首相"


def test_japanese_list_of_delegations_with_honorifics_spouses_and_a_double_title():
    text = (
        "来日する各国首脳は、ブルネイからはハリム国王陛下、ナジャ王女殿下、タイからはソムポン首相兼財務大臣、"
        "ソムポン首相夫人、マレーシアからはラザリ首相、ASEAN事務局からはトラン・ミン事務総長となる。"
    )
    assert triples(leaders(text)) == [
        ("BRN", "ハリム", "国王"),
        ("THA", "ソムポン", "首相"),
        ("MYS", "ラザリ", "首相"),
        ("ASEAN", "トラン・ミン", "事務総長"),
    ]


def test_japanese_country_before_the_name_or_in_brackets_after_the_title():
    text = "写真は(左から)ミャンマーのアウン・ミョー大統領、ウォン首相(シンガポール)。"
    assert triples(leaders(text)) == [("MMR", "アウン・ミョー", "大統領"), ("SGP", "ウォン", "首相")]


def test_japanese_prime_minister_in_kanji_without_a_country_is_japans():
    text = "第3回会議が開催され、青柳総理が出席。続いて、高槻誠一内閣総理大臣から挨拶があった。"
    rows = leaders(text)
    assert triples(rows) == [("JPN", "青柳", "総理"), ("JPN", "高槻誠一", "内閣総理大臣")]
    assert "Japan's prime minister" in rows[0]["notes"]


def test_japanese_one_row_per_person_at_the_first_mention():
    text = (
        "(出席者:青柳総理(議長)、ダラン・ミクソ・カンボジア首相)。\n"
        "冒頭青柳総理は挨拶した。ダラン首相(カンボジア)も発言した。1月、青柳総理が再訪。"
    )
    rows = leaders(text)
    assert triples(rows) == [("JPN", "青柳", "総理"), ("KHM", "ダラン・ミクソ", "首相")]
    assert rows[0]["quote"] == "青柳総理"


def test_japanese_words_run_into_a_kanji_name_are_not_part_of_it():
    # An adverb of the lexicon, and a word found by the same name written alone elsewhere.
    assert triples(leaders("冒頭青柳総理は挨拶した。")) == [("JPN", "青柳", "総理")]
    rows = leaders("歓迎式典青柳総理挨拶。その後、青柳総理が到着。")
    assert triples(rows) == [("JPN", "青柳", "総理")]
    assert rows[0]["quote"] == "青柳総理" and rows[0]["char_start"] == 4


def test_japanese_katakana_name_with_a_kanji_country_abbreviation():
    assert triples(leaders("会談ではボラン米大統領とタニット越首相が合意した。")) == [
        ("USA", "ボラン", "大統領"),
        ("VNM", "タニット", "首相"),
    ]


def test_japanese_country_title_then_the_name():
    assert triples(leaders("タイ国王のラーマ陛下が来日した。")) == [("THA", "ラーマ", "国王")]
    assert triples(leaders("ASEAN事務総長のトラン・ミン氏が出席した。")) == [("ASEAN", "トラン・ミン", "事務総長")]


def test_japanese_country_ending_a_longer_phrase_before_the_name():
    rows = leaders("ASEAN議長国カンボジアのダラン・ミクソ首相が議長を務めた。")
    assert triples(rows) == [("KHM", "ダラン・ミクソ", "首相")]
    assert rows[0]["quote"] == "カンボジアのダラン・ミクソ首相"


@pytest.mark.parametrize(
    "text",
    [
        "出席者:ウィラ・タイ副首相",  # a deputy prime minister
        "青柳副総理が出席した。",  # a deputy prime minister with a name in kanji
        "青柳元首相が講演した。",  # a former holder
        "マレーシアからはアジザ首相夫人が来日した。",  # a spouse
        "森田総理大臣補佐官が説明した。",  # an aide
        "青柳総理夫妻主催晩さん会",  # the couple hosting: no name before the title
        "開会式・総理挨拶",  # a list separator, not a name
        "首相官邸において開催された。",  # an office
        "同首相は、両首相の会談で述べた。",  # a determiner, not a name
        "カンボジア首相は発言した。",  # a title with no name
        "ダラン首相が出席した。",  # a foreign name with no country stated
        "国連事務総長のアルノ氏、日ASEANセンター事務総長ミナ氏",  # another organisation's Secretary-General
        "河野外相が署名した。",  # a minister
        "英首相は声明を発表した。",  # a country abbreviation, not a name
        "日英首相会談が行われた。",  # two countries' abbreviations
    ],
)
def test_japanese_traps_give_no_leader(text):
    assert leaders(text) == []


# --- English -----------------------------------------------------------------------------------------


def test_english_adjective_or_possessive_before_the_title():
    text = (
        "Indonesian President Tamsin Oduya met Laotian Prime Minister Keo Vanna in Vientiane, "
        "while Thailand's Prime Minister Arun Sakda stayed home."
    )
    assert triples(leaders(text, "en")) == [
        ("IDN", "Tamsin Oduya", "President"),
        ("LAO", "Keo Vanna", "Prime Minister"),
        ("THA", "Arun Sakda", "Prime Minister"),
    ]


def test_english_title_of_country_then_the_name_after_honorifics():
    text = (
        "The Summit, chaired by the Prime Minister of Malaysia, the Honourable Dato' Sri Harun bin Osman, "
        "was attended by the Prime Minister of Japan, H.E. Kenji Arata."
    )
    rows = leaders(text, "en")
    assert triples(rows) == [("MYS", "Harun bin Osman", "Prime Minister"), ("JPN", "Kenji Arata", "Prime Minister")]
    assert rows[1]["quote"] == "Prime Minister of Japan, H.E. Kenji Arata"


def test_english_name_then_title_of_country_over_a_wrapped_line():
    text = "The Summit was chaired by H.E. Marco Reyes Dalisay, President of the\nRepublic of the Philippines.\n"
    rows = leaders(text, "en")
    assert triples(rows) == [("PHL", "Marco Reyes Dalisay", "President")]
    assert rows[0]["quote"] == "Marco Reyes Dalisay, President of the\nRepublic of the Philippines"


def test_english_country_after_the_name_and_asean_secretary_general():
    text = (
        "President Tamsin Oduya of Indonesia welcomed ASEAN Secretary-General Dato Lim Wei Han and the "
        "Secretary-General of ASEAN, Dr. Sok Rina, to Jakarta."
    )
    assert triples(leaders(text, "en")) == [
        ("IDN", "Tamsin Oduya", "President"),
        ("ASEAN", "Lim Wei Han", "Secretary-General"),
        ("ASEAN", "Sok Rina", "Secretary-General"),
    ]


def test_english_formal_titles_and_honorifics_of_heads_of_state():
    text = (
        "The Summit was chaired by His Majesty Sultan Haji Omar Ali Rahman, the Sultan and Yang Di-Pertuan of "
        "Brunei Darussalam. The King of Thailand, His Majesty King Rama Phet, and the Prime Minister of "
        "Cambodia, Samdech Techo Hun Dara, attended."
    )
    assert triples(leaders(text, "en")) == [
        ("BRN", "Omar Ali Rahman", "Sultan and Yang Di-Pertuan"),
        ("THA", "Rama Phet", "King"),
        ("KHM", "Hun Dara", "Prime Minister"),  # 'Hun' is a name here, not the code of Hungary
    ]


def test_english_unqualified_prime_minister_in_a_document_about_japan():
    text = (
        "Japan will host the meeting. Prime Minister Kenji Arata's plan was welcomed, and Japan's support "
        "for the region will grow, Japanese officials said."
    )
    rows = leaders(text, "en")
    assert triples(rows) == [("JPN", "Kenji Arata", "Prime Minister")]
    assert rows[0]["quote"] == "Prime Minister Kenji Arata"


def test_english_unqualified_titles_that_are_not_japans_give_nothing():
    # A president is never Japan's; a prime minister in a page that is not mostly about Japan is unknown.
    assert leaders("Japan and Japan's partners met. President Tamsin Oduya spoke in Japan.", "en") == []
    assert leaders("Cambodia and Cambodia's partners met Japan. Prime Minister Keo Vanna spoke.", "en") == []


def test_english_a_person_whose_country_is_stated_elsewhere_is_not_assumed_japanese():
    text = (
        "Japan hosted the talks in Japan with Japanese firms. Prime Minister Keo Vanna spoke first; "
        "Laotian Prime Minister Keo Vanna then left."
    )
    assert triples(leaders(text, "en")) == [("LAO", "Keo Vanna", "Prime Minister")]


@pytest.mark.parametrize(
    "text",
    [
        "He visited Deputy Prime Minister and Finance Minister Taro Mori of Japan.",
        "Thai Deputy Prime Minister Arun Sakda of Thailand spoke.",
        "Professor Ken Ito, President of the Economic Research Institute, met officials in Japan.",
        "President Ito of the Institute for Asian Studies thanked Japan and Japan's people.",
        "The Vice President of Indonesia, Budi Santoso, attended.",
        "Former Prime Minister of Japan, H.E. Kenji Arata, spoke.",
        "The Secretary-General of the ASEAN-Japan Centre, Mr. Aki Sato, spoke.",
        "The Secretary-General of ASEAN also took part in the session.",
        "Foreign Minister Toshio Ueda of Japan said the Kingdom of Cambodia agreed.",
        "Jakarta, 3 March 2016 – the President of Indonesia attended the Summit.",
        "The President-elect of Indonesia, Budi Santoso, attended.",
        "UN Secretary-General Aldo Ruiz spoke in Japan and Japan's capital.",
    ],
)
def test_english_traps_give_no_leader(text):
    assert leaders(text, "en") == []


# --- With the country cards of the statistics family ---------------------------------------------------

CARD = """【ラオス】
人口： ８００万人
ＧＤＰ： ２００億ドル

カセム首相

カセム・ラオス首相は、青柳総理と会談した。
"""


def test_a_person_on_a_country_card_is_not_repeated_from_prose():
    rows = extract_source(src_of(CARD))["leaders"]
    assert sorted(triples(rows)) == [("JPN", "青柳", "総理"), ("LAO", "カセム", "首相")]
    assert [r["quote"] for r in rows if r["entity_code"] == "LAO"] == ["カセム首相"]  # the card's row


# --- Vocabulary ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Indonesian", "IDN"),
        ("Laotian", "LAO"),
        ("Japanese", "JPN"),
        ("ミャンマー連邦共和国", "MMR"),
        ("the Republic of the Union of Myanmar", "MMR"),
        ("日本国", "JPN"),
        ("ASEAN事務局", "ASEAN"),
        ("事務局", None),
        ("Centre", None),
    ],
)
def test_country_names_adjectives_and_state_names(name, code):
    assert country_of(name) == code


def test_same_person_ignores_separators_and_reads_a_short_form():
    assert same_person("テインセイン", "テイン・セイン")
    assert same_person("Arata", "Kenji Arata")
    assert same_person("ソムポン", "ソムポン・ケオラー")
    assert not same_person("ダラン・ミクソ", "ダラン・ペン")
    assert not same_person("チン", "マルチンス")
