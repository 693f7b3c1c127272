"""Statistics (``indicators``) outside country cards and stated quantities (``metrics``): snippets written
here (invented figures and names, never copied from raw/ or the corpus), in Japanese and English, with
the traps of each kind of statement."""

from __future__ import annotations

import random

import pytest

from pipelines.extract import extract_source
from pipelines.extract.indicators_prose import CURRENCY_LEAD, VALUE, VALUE_NEXT
from pipelines.extract.quantities import (
    COUNTER,
    COUNTER_NEXT,
    EN_COUNT,
    EN_COUNT_NEXT,
    EN_COUNT_WORDS,
    EN_PERCENT,
    EN_PERCENT_NEXT,
    PERCENT_LINE,
)
from pipelines.extract.source import Source
from pipelines.extract.statistics import extract_statistics


def src_of(text: str, published: str | None = None) -> Source:
    return Source("snippet", text, published)


def indicators(text: str) -> list[dict]:
    src = src_of(text)
    rows = extract_statistics(src)["indicators"]
    for r in rows:
        assert src.text[r["char_start"] : r["char_end"]] == r["quote"]
    return rows


def metrics(text: str, published: str | None = None) -> list[dict]:
    """The metrics rows of a whole extraction (other families' numbers left to them)."""
    src = src_of(text, published)
    rows = extract_source(src)["metrics"]
    for r in rows:
        assert src.text[r["char_start"] : r["char_end"]] == r["quote"]
        assert 0 < len(r["quote"]) <= 400
        assert r["subject"] and "\n" not in r["subject"] and len(r["subject"]) <= 64
        assert r["subject"] != r["quote"]
    return rows


def facts(rows: list[dict], *keys: str) -> set[tuple]:
    return {tuple(r[k] for k in keys) for r in rows}


def one(rows: list[dict], **match) -> dict:
    found = [r for r in rows if all(r.get(k) == v for k, v in match.items())]
    assert len(found) == 1, (match, rows)
    return found[0]


# --- indicators: prose ----------------------------------------------------------------------------------


def test_prose_statistics_of_a_grouping_with_their_year_and_approximate_marker_ja():
    rows = indicators(
        "ASEANの概要\n2021年時点のASEAN加盟国の総人口は約6億5,100万人、GDP総額は約3兆1,000億米ドルと推計される。"
    )
    assert facts(rows, "entity_code", "indicator", "value", "reference_year", "approximate") == {
        ("ASEAN", "population", 651_000_000, 2021, True),
        ("ASEAN", "gdp_usd", 3_100_000_000_000, 2021, True),
    }


def test_prose_statistic_with_its_year_in_brackets_after_the_value_ja():
    rows = indicators("経済の動向\nボラン共和国ではなく、インドネシアの名目GDPは1兆2,000億ドル（2022年）に達した。")
    row = one(rows, indicator="gdp_usd")
    assert (row["entity_code"], row["value"], row["reference_year"], row["approximate"]) == (
        "IDN",
        1_200_000_000_000,
        2022,
        False,
    )


def test_prose_statistics_en_population_and_gdp_per_capita():
    rows = indicators(
        "Economy notes\n\nViet Nam has a population of about 98 million and a GDP per capita of US$ 4,100 (2022)."
    )
    assert facts(rows, "entity_code", "indicator", "value", "reference_year", "approximate") == {
        ("VNM", "population", 98_000_000, None, True),
        ("VNM", "gdp_per_capita_usd", 4_100, 2022, False),
    }


def test_value_before_its_label_takes_the_entity_of_the_slide_heading():
    rows = indicators("成長市場\n6.1億人の人口を抱える消費市場。\n\n１．ASEANとは何か\n")
    assert facts(rows, "entity_code", "indicator", "value") == {("ASEAN", "population", 610_000_000)}


# --- indicators: profile pages, label lines, tables -----------------------------------------------------


def test_profile_page_label_lines_and_the_entity_of_its_title_en():
    text = (
        "Country Profile: Cambodia\n\nMotto “Nation, Religion, King”\n\n"
        "Total Land Area\n\n181,035 square kilometres\n\n"
        "GDP (PPP) in 2021\n\nUS$77.1 billion\n\n"
        "Population (2019): 16.5 million\n\n"
        "Total Trade in 2020US$41.3 billion (2019 estimate)\n"
    )
    rows = indicators(text)
    assert facts(rows, "entity_code", "indicator", "value", "reference_year") == {
        ("KHM", "area_km2", 181_035, None),
        ("KHM", "gdp_ppp_usd", 77_100_000_000, 2021),
        ("KHM", "population", 16_500_000, 2019),
        ("KHM", "trade_usd", 41_300_000_000, 2020),
    }


def test_table_row_gives_the_row_entity_and_the_country_in_brackets_not_the_world_nor_ratios():
    text = (
        "フィリピンの基本情報\n"
        "面積(2020年) | 30万k㎡ | 日本(37.8万k㎡)の0.8倍 | 世界(1億3,000万k㎡)の0.2% |\n"
        "人口 | 1億1,000万人 | 日本(1億2,000万人)の0.9倍 | 世界(80億人)の1.4% |\n"
    )
    rows = indicators(text)
    assert facts(rows, "entity_code", "indicator", "value", "reference_year") == {
        ("PHL", "area_km2", 300_000, 2020),
        ("JPN", "area_km2", 378_000, 2020),
        ("PHL", "population", 110_000_000, None),
        ("JPN", "population", 120_000_000, None),
    }
    src = src_of(text)
    facts_all = extract_source(src)
    assert facts_all["metrics"] == []  # the world totals and the ratios are not quantities either
    assert facts_all["commitments"] == []


def test_table_with_a_header_row_of_labels():
    text = "主要国の比較\n国名 | 人口 | GDP\n---|---|---\nタイ | 7,000万人 | 5,000億ドル\nマレーシア | 3,300万人 | 4,000億ドル\n"
    rows = indicators(text)
    assert facts(rows, "entity_code", "indicator", "value") == {
        ("THA", "population", 70_000_000),
        ("THA", "gdp_usd", 500_000_000_000),
        ("MYS", "population", 33_000_000),
        ("MYS", "gdp_usd", 400_000_000_000),
    }


def test_table_whose_cells_run_together_binds_each_value_by_its_unit():
    text = (
        "加盟国の一覧\n\n国名首都人口名目GDP(2021年)\n"
        "ベトナムハノイ9,700万人3,600億ドル\nラオスビエンチャン740万人190億ドル\n"
    )
    rows = indicators(text)
    assert facts(rows, "entity_code", "indicator", "value", "reference_year") == {
        ("VNM", "population", 97_000_000, None),
        ("VNM", "gdp_usd", 360_000_000_000, 2021),
        ("LAO", "population", 7_400_000, None),
        ("LAO", "gdp_usd", 19_000_000_000, 2021),
    }
    assert all(r["quote"].startswith(("ベトナム", "ラオス")) for r in rows)
    assert metrics(text) == []  # a country's population is not a count of people


def test_cards_are_read_once_the_prose_reader_leaves_their_lines_alone():
    text = "【ラオス】\n人口： ８００万人\nＧＤＰ： ２００億ドル\n面積： ２４万ｋｍ2\n"
    rows = indicators(text)
    assert len([r for r in rows if r["indicator"] == "population"]) == 1


# --- indicators: what is not a country's statistic ------------------------------------------------------


def test_japan_and_asean_together_is_a_metric_not_an_indicator():
    ja = "日本とASEANを合わせた人口は約8億人に達する。"
    en = "The agreement makes Japan and ASEAN one market with a total population of 800 million and a scale of 9.1 trillion US$ (as of 2020)."
    assert indicators(ja) == [] and indicators(en) == []
    rows = metrics(en)
    assert facts(rows, "subject", "value", "unit", "date") == {
        ("total population", 800_000_000, "persons", None),
        ("scale", 9_100_000_000_000, "USD", "2020"),
    }
    assert facts(metrics(ja), "subject", "value", "unit", "approximate") == {
        ("日本とASEANを合わせた人口", 800_000_000, "persons", True)
    }


def test_a_part_of_the_population_a_density_and_partner_trade_are_not_the_country_statistic_ja():
    text = "ボラン島の概況ではなく、ラオスの概況\n人口密度は1km²当たり30人。生産年齢人口は約450万人。日本との貿易額は約20億ドルに上る。\n"
    assert indicators(text) == []
    assert facts(metrics(text), "subject", "value", "unit") == {
        ("生産年齢人口", 4_500_000, "persons"),
        ("日本との貿易額", 2_000_000_000, "USD"),
    }


def test_partner_trade_is_a_metric_under_its_heading_and_total_trade_an_indicator():
    text = (
        "Region Profile: ASEAN\n\n"
        "Total Trade in 2020US$2.1 trillion\n\n"
        "Intra-ASEAN Trade in 2020US$500 billion\n\n"
        "Top 3 Trade Partners in 2020 China – US$400 billion\nEU – US$210 billion\nUSA – US$190 billion\n"
    )
    assert facts(indicators(text), "entity_code", "indicator", "value") == {("ASEAN", "trade_usd", 2_100_000_000_000)}
    rows = metrics(text)
    assert facts(rows, "subject", "value", "unit") == {
        ("Intra-ASEAN Trade", 500_000_000_000, "USD"),
        ("Top 3 Trade Partners in 2020: China", 400_000_000_000, "USD"),
        ("Top 3 Trade Partners in 2020: EU", 210_000_000_000, "USD"),
        ("Top 3 Trade Partners in 2020: USA", 190_000_000_000, "USD"),
    }


def test_a_change_a_comparison_or_a_balance_is_not_the_statistic_en():
    rows = indicators(
        "Outlook\n\nThe GDP of Viet Nam is US$430 billion. Indonesia's GDP grew 5% in 2022 to US$1.3 trillion. "
        "Thailand's population is about half of Japan's 125 million. Its trade surplus of US$12 billion narrowed."
    )
    assert facts(rows, "entity_code", "indicator", "value") == {("VNM", "gdp_usd", 430_000_000_000)}


def test_a_statistic_whose_entity_is_not_stated_is_skipped():
    src = src_of("まとめ\n\n人口は約500万人とされる。\n")
    assert extract_statistics(src)["indicators"] == []
    assert any("not stated" in s["reason"] for s in src.skipped)


# --- metrics: Japanese --------------------------------------------------------------------------------


def test_counts_with_the_noun_before_them_and_breakdowns_ja():
    rows = metrics("本年は合計45名（ラオス20名、タイ25名）の研修員を受け入れた。\n\n大学生120名が訪日します。\n")
    assert {("ラオス", 20.0), ("タイ", 25.0), ("大学生", 120.0)} <= facts(rows, "subject", "value")
    assert one(rows, value=120)["unit"] == "persons"
    assert one(rows, value=20)["approximate"] is False


def test_counts_of_countries_name_what_is_counted_ja():
    rows = metrics(
        "メコン地域5カ国との対話が続いた。\n\n"
        "ボラン連合は、A国、B国、C国の3か国が設立した。\n\n"
        "その後に加盟が続き、現在は8か国で構成されている。\n"
    )
    assert facts(rows, "subject", "value", "unit") == {
        ("メコン地域", 5, "countries"),
        ("原加盟国", 3, "countries"),
        ("加盟国", 8, "countries"),
    }


def test_counts_take_the_sentence_topic_or_the_action_done_to_them_with_the_date_attached_ja():
    rows = metrics(
        "派遣者数は、2019年に80人で始まり、2020年度が150人となった。\n\n来年度は、ASEAN6か国のうち、3か国へ約300名を派遣します。\n"
    )
    assert one(rows, value=80)["subject"] == "派遣者数" and one(rows, value=80)["date"] == "2019"
    assert one(rows, value=150)["subject"] == "派遣者数"
    hundred = one(rows, value=300)
    assert (hundred["subject"], hundred["unit"], hundred["approximate"]) == ("派遣人数", "persons", True)
    assert one(rows, value=3, unit="countries")["subject"] == "派遣先国"
    assert one(rows, value=6)["subject"] == "ASEAN諸国"


def test_things_named_after_the_number_and_approximate_markers_ja():
    rows = metrics(
        "協力の3つの柱を示した。\n\n講座は100余名が受講した。\n\n交流事業は200件を超える。\n\n参加者：約800名\n"
    )
    got = facts(rows, "subject", "value", "approximate")
    assert ("柱", 3, False) in got
    assert one(rows, value=100)["approximate"] is True
    assert one(rows, value=200)["approximate"] is True
    assert ("参加者", 800, True) in got


def test_periods_times_ordinals_ratios_and_frequencies_are_not_quantities_ja():
    text = (
        "第5回会合は15時25分から約80分行われ、今後3年間で支援する。\n\n"
        "面積は日本の約2倍、人口は世界の3%。\n\n"
        "演習を年1回開催し、各国1名が参加する。\n\n"
        "派遣開始から4年目を迎え、協力50周年を祝った。\n\n"
        "電話：03-1234-5678\n\n-2-\n"
    )
    assert metrics(text) == []


def test_elapsed_years_are_a_quantity_ja():
    rows = metrics("この時点で、機構の設立から約40年が経過していた。\n")
    assert facts(rows, "subject", "value", "unit", "approximate") == {("機構の設立からの経過年数", 40, "years", True)}


def test_a_count_in_a_headline_and_its_body_is_one_row_at_the_body():
    text = "研修生50名を受け入れ\n\n2024年5月1日\n\n本事業では、大学生50名を受け入れました。\n"
    rows = metrics(text)
    assert len(rows) == 1 and rows[0]["char_start"] > text.index("2024年")


def test_a_wrapped_line_keeps_the_subject_on_one_line_ja():
    rows = metrics("これまでに約1,200名が\n参加。\n")
    assert facts(rows, "subject", "value", "approximate") == {("参加者数", 1200, True)}


# --- metrics: English ---------------------------------------------------------------------------------


def test_counts_before_a_plural_noun_en():
    rows = metrics(
        "Every year, nearly 20 training courses are offered to officials.\n\n"
        "The twelve members of the Example Forum are listed below.\n\n"
        "The plan has five strategic areas of cooperation.\n"
    )
    assert facts(rows, "subject", "value", "unit", "approximate") == {
        ("training courses offered", 20, "courses", True),
        ("members of the Example Forum", 12, "countries", False),
        ("strategic areas of cooperation", 5, "areas", False),
    }


def test_percentages_compounds_and_elapsed_years_en():
    rows = metrics(
        "Roughly 85% of the planned activities have been completed.\n\n"
        "The minister visited the 12-nation bloc in May.\n\n"
        "By then it had been around 25 years since the forum was founded.\n"
    )
    assert facts(rows, "subject", "value", "unit", "approximate") == {
        ("planned activities", 85, "percent", True),
        ("nations in the bloc", 12, "countries", False),
        ("years since the forum was founded", 25, "years", True),
    }


def test_a_hyphenated_count_of_members_of_a_named_organisation_en():
    rows = metrics("Leaders of the 10-member Association of Southeast Asian Nations met Japan's leaders.\n")
    assert facts(rows, "subject", "value", "unit") == {
        ("members of the Association of Southeast Asian Nations", 10, "countries")
    }


def test_periods_ordinals_rankings_ages_and_a_back_reference_are_not_new_quantities_en():
    text = (
        "The 18th Summit was held for about 45 minutes on 3 May 2021.\n\n"
        "Aid will flow over the next five years to people between 20 and 54 years of age.\n\n"
        "Top 5 Trade Partners were listed on page 3.\n\n"
        "Four countries joined later. The four countries are small.\n"
    )
    rows = metrics(text)
    assert facts(rows, "value", "unit") == {(4, "countries")}


def test_a_figure_in_millions_is_not_a_count_of_things_en():
    assert metrics("The urban population of 150 million grows every year.\n") == []


def test_a_count_after_a_demonstrative_refers_back_and_is_not_a_new_quantity():
    assert metrics("The leaders adopted a declaration and a plan. These two documents guide the work.\n") == []
    assert metrics("A国とB国が加盟した。この2か国の加盟により格差が生じた。\n") == []


def test_approximate_markers_are_whole_words_en():
    rows = metrics("The handsome 3 pavilions opened. Some 40 delegations attended.\n")
    assert one(rows, value=3)["approximate"] is False
    assert one(rows, value=40)["approximate"] is True


# --- where the number-led patterns are tried ------------------------------------------------------------

PIECES = [
    "12",
    "2023",
    "1,000",
    "3.5",
    "616.61",
    "万",
    "億",
    "人",
    "名",
    "か国",
    "米ドル",
    "ドル",
    "k㎡",
    "km2",
    "%",
    " ",
    "\n",
    "US$",
    "USD",
    " million",
    " trillion",
    " people",
    " square kilometres",
    " of the",
    "nine",
    "eleven",
    " members",
    "-nation group",
    "(2013 estimate)",
    "約",
    "の",
    "つ",
    "A",
    "ア",
    ".",
    ",",
    "-",
]


def _spans(src, pattern, also, followed_by):
    return [m.span() for m in src.scan(pattern, also=also, followed_by=followed_by)]


@pytest.mark.parametrize(
    "pattern, also, followed_by",
    [
        (VALUE, CURRENCY_LEAD, VALUE_NEXT),
        (COUNTER, None, COUNTER_NEXT),
        (EN_COUNT, EN_COUNT_WORDS, EN_COUNT_NEXT),
        (EN_PERCENT, None, EN_PERCENT_NEXT),
    ],
)
def test_scans_filtered_by_the_character_after_a_number_lose_no_match(pattern, also, followed_by):
    rng = random.Random(5)
    for _ in range(2000):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 12)))
        src = Source("t", text)
        assert _spans(src, pattern, also, followed_by) == _spans(src, pattern, also, None), text


def test_percent_lines_tried_on_some_lines_find_what_finditer_finds():
    rng = random.Random(9)
    for _ in range(2000):
        text = "".join(rng.choice([*PIECES, "\n51.3% (2013 estimate)\n", "\n12%\n"]) for _ in range(rng.randint(1, 10)))
        src = Source("t", text)
        found = [m.span() for m in src.match_lines(PERCENT_LINE, src.candidate_starts())]
        assert found == [m.span() for m in PERCENT_LINE.finditer(text)], text
