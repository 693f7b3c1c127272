"""Generality of every extractor: documents built here from small snippets in the styles of the
sources (never copied from raw/) must yield their facts, with exact quotes, and no code change."""

from __future__ import annotations

import pytest

from pipelines.extract import extract_source
from pipelines.extract.base import Spans
from pipelines.extract.coverage import document_coverage
from pipelines.extract.meetings import extract_meetings
from pipelines.extract.memberships import extract_memberships
from pipelines.extract.money import extract_commitments
from pipelines.extract.projects import extract_projects
from pipelines.extract.quantities import extract_metrics
from pipelines.extract.source import Source
from pipelines.extract.statistics import extract_statistics
from pipelines.extract.timeline import extract_events


def src_of(text: str, published: str | None = None, language: str = "ja") -> Source:
    return Source("snippet", text, published, language)


def assert_quotes_exact(src: Source, rows: list[dict]) -> None:
    for r in rows:
        assert src.text[r["char_start"] : r["char_end"]] == r["quote"]
        assert 0 < len(r["quote"]) <= 400


def by(rows, **match):
    return [r for r in rows if all(r.get(k) == v for k, v in match.items())]


# --- statistics: country cards, stat lines, comparisons, leaders ------------------------------------

CARDS = """ＡＳＥＡＮ基本データ（２０２２年）
人口：約６．８億人（世界の約８．５％）

日本

【ラオス】
人口： ８００万人
ＧＤＰ： ２００億ドル
ＧＤＰ/人： ２，５００ドル
面積： ２４万ｋｍ2

（日本の約６０％）
ソンサイ首相

ＡＳＥＡＮ

人口： １億２０００万人
ＧＤＰ： ４０，０００億ドル
ＧＤＰ/人： ３３，３３３ドル
面積：３８万ｋｍ2

田中総理

ラオス

【ブルネイ】
人口： ５０万人
ＧＤＰ： ２００億ドル
ＧＤＰ/人： ９，９９９ドル
面積： １，０５万ｋｍ2

（日本の約２倍）
ハサナル国王
"""


def test_country_cards_give_indicators_and_leaders():
    src = src_of(CARDS)
    facts = extract_statistics(src)
    ind, leaders = facts["indicators"], facts["leaders"]
    assert_quotes_exact(src, ind + leaders)
    assert by(ind, entity_code="LAO", indicator="population")[0]["value"] == 8_000_000
    assert by(ind, entity_code="LAO", indicator="gdp_usd")[0]["value"] == 20_000_000_000
    assert by(ind, entity_code="LAO", indicator="gdp_per_capita_usd")[0]["value"] == 2_500
    assert by(ind, entity_code="LAO", indicator="area_km2")[0]["value"] == 240_000
    assert by(ind, entity_code="LAO", indicator="area_km2_ratio_to_JPN")[0]["value"] == 0.6
    assert by(leaders, entity_code="LAO")[0] | {} == {
        **by(leaders, entity_code="LAO")[0],
        "name": "ソンサイ",
        "title": "首相",
    }


def test_grouping_basic_data_has_its_year_and_approximate_values():
    ind = extract_statistics(src_of(CARDS))["indicators"]
    pop = by(ind, entity_code="ASEAN", indicator="population")[0]
    assert (pop["value"], pop["reference_year"], pop["approximate"]) == (680_000_000, 2022, True)
    assert by(ind, entity_code="ASEAN", indicator="population_ratio_to_WLD")[0]["value"] == 0.085


def test_card_without_header_belongs_to_the_only_labelled_entity_without_a_card():
    facts = extract_statistics(src_of(CARDS))
    jpn = by(facts["indicators"], entity_code="JPN")
    assert {r["indicator"] for r in jpn} == {"population", "gdp_usd", "gdp_per_capita_usd", "area_km2"}
    assert by(jpn, indicator="population")[0]["value"] == 120_000_000
    assert "only labelled entity" in jpn[0]["notes"]
    assert by(facts["leaders"], entity_code="JPN")[0]["title"] == "総理"


def test_inconsistent_card_is_flagged_and_malformed_separator_read_and_flagged():
    ind = extract_statistics(src_of(CARDS))["indicators"]
    brn = by(ind, entity_code="BRN")
    for indicator in ("population", "gdp_usd", "gdp_per_capita_usd"):
        assert "inconsistent card" in by(brn, indicator=indicator)[0]["notes"]
    area = by(brn, indicator="area_km2")[0]
    assert area["value"] == 1_050_000 and "malformed thousands separator" in area["notes"]
    assert by(ind, entity_code="LAO", indicator="population")[0]["notes"] is None


def test_stat_lines_titled_by_a_heading_after_them():
    text = "加盟国： 5カ国\n\n面積：120万㎢（日本の約3倍、世界の約0.8％）\n\nGDP：1兆2,000億米ドル\n（日本の約1/4）\n\n１．ＡＰＥＣとは何か\n"
    # ＡＰＥＣ is not a country: the heading names a grouping only when it is one the index knows
    text = text.replace("ＡＰＥＣ", "ASEAN")
    src = src_of(text)
    ind = extract_statistics(src)["indicators"]
    assert_quotes_exact(src, ind)
    assert by(ind, indicator="area_km2")[0]["value"] == 1_200_000
    assert by(ind, indicator="gdp_usd")[0]["value"] == 1_200_000_000_000
    assert by(ind, indicator="gdp_usd_ratio_to_JPN")[0]["value"] == 0.25
    assert by(ind, indicator="area_km2_ratio_to_WLD")[0]["value"] == 0.008
    assert {r["entity_code"] for r in ind} == {"ASEAN"}


# --- timeline: dated statements -----------------------------------------------------------------------


def test_timeline_lines_and_ranges():
    text = (
        "1980年 ○○協会設立\n\n2005年 △△条約調印、2007年発効\n\n"
        "研修を実施（2013年4月～2016年2月）。\n\n令和3年4月、新制度を開始。\n\n2030年 開業予定\n"
    )
    src = src_of(text)
    events = extract_events(src)["events"]
    assert_quotes_exact(src, events)
    dates = {(e["date"], e["end_date"]) for e in events}
    assert {
        ("1980", None),
        ("2005", None),
        ("2007", None),
        ("2013-04", "2016-02"),
        ("2021-04", None),
        ("2030", None),
    } <= dates
    assert by(events, date="2007")[0]["quote"].startswith("2005年")  # says what took effect


def test_relative_years_use_the_document_date_and_are_never_guessed():
    text = "本年３月に会議を開催。\n\n昨年5月に設置。同年９月に拡大。\n\n7月4日に式典。\n"
    dated = extract_events(src_of(text, published="2015-11"))["events"]
    assert {e["date"] for e in dated} >= {"2015-03", "2014-05", "2014-09"}
    undated_src = src_of(text)
    undated = extract_events(undated_src)["events"]
    assert not [e for e in undated if e["date"].endswith("-03") or e["date"].endswith("-07-04")]
    assert any("document states no date" in s["reason"] for s in undated_src.skipped)


def test_year_from_a_caption_or_the_same_date_stated_in_full():
    text = "第3回会合（2019年11月5日～6日）\n\n11月5日午前に開会式。\n"
    events = extract_events(src_of(text))["events"]
    assert {"2019-11-05"} <= {e["date"] for e in events}
    assert by(events, date="2019-11-05", end_date="2019-11-06")


def test_english_dates():
    text = (
        "Project Review\n\nMarch 2004\n\nA workshop was held (20-22 March 2004, Hanoi). "
        "A mission visited from 3rd to 9th May 2003. Since April 1999, the office has worked. "
        "Japan disbursed funds last year. The plan was adopted in 2002."
    )
    src = src_of(text, published="2004-03", language="en")
    events = extract_events(src)["events"]
    dates = {(e["date"], e["end_date"]) for e in events}
    assert {
        ("2004-03-20", "2004-03-22"),
        ("2003-05-03", "2003-05-09"),
        ("1999-04", None),
        ("2003", None),
        ("2002", None),
    } <= dates


def test_year_in_a_name_is_not_a_date():
    text = "The Example Vision 2035 was adopted in June 2016."
    dates = src_of(text, language="en").dates
    assert [d.date for d in dates] == ["2016-06"]


# --- projects: phases, work plans, project sheets -------------------------------------------------------

PHASES = """ABCDとは
地域の倉庫網を整備するプロジェクト。

フェーズ１（2010年4月～2013年3月）＜約5.5百万米ドル＞JAIFによる支援
・倉庫の設置

フェーズ２（2014年1月～2年間）＜約3百万米ドル＞JAIFによる支援
・フェーズ２にて、１２０名の研修を実施予定。
"""


def test_phase_lines_with_dates_budgets_and_participants():
    src = src_of(PHASES)
    rows = extract_projects(src)["projects"]
    assert_quotes_exact(src, rows)
    p1, p2 = by(rows, phase=1)[0], by(rows, phase=2)[0]
    assert (p1["programme"], p1["start_date"], p1["end_date"]) == ("ABCD", "2010-04", "2013-03")
    assert (p1["budget_amount"], p1["budget_currency"], p1["approximate"], p1["funder"]) == (
        5_500_000,
        "USD",
        True,
        "JAIF",
    )
    assert (p2["start_date"], p2["end_date"], p2["duration_text"], p2["duration_months"]) == (
        "2014-01",
        None,
        "2年間",
        24,
    )
    assert p2["participants"] == 120 and p1["participants"] is None
    assert p1["project_id"] == "abcd-phase-1"


def test_phase_of_an_unnamed_programme_is_skipped_with_a_reason():
    src = src_of("フェーズ１（2010年4月～2013年3月）＜約5.5百万米ドル＞JAIFによる支援\n")
    assert extract_projects(src)["projects"] == []
    assert "does not name" in src.skipped[0]["reason"]


def test_network_phases_and_work_plans():
    text = "（XY/NET-Link: Example Network）\n\nフェーズ1 : 2001 - 2004 フェーズ2: 2004 - 2009\n"
    rows = extract_projects(src_of(text))["projects"]
    assert [(r["programme"], r["phase"], r["start_date"], r["end_date"]) for r in rows] == [
        ("XY/NET-Link", 1, "2001", "2004"),
        ("XY/NET-Link", 2, "2004", "2009"),
    ]
    en = extract_projects(src_of("the IAI Work Plan II (2011-2017) was adopted", language="en"))["projects"]
    assert (en[0]["iai_work_plan"], en[0]["start_date"], en[0]["end_date"]) == ("II", "2011", "2017")
    ja = extract_projects(src_of("統合計画(IAI)作業計画III(2018年〜2023年)による事業"))["projects"]
    assert (ja[0]["iai_work_plan"], ja[0]["start_date"], ja[0]["end_date"]) == ("III", "2018", "2023")


def test_project_sheet_with_period_and_budget():
    text = "「海の架け橋プロジェクト」\n\n⚫ 事業期間：2016年～2020年 事業予算：約35億円\n"
    rows = extract_projects(src_of(text))["projects"]
    assert (
        rows[0]["title"],
        rows[0]["start_date"],
        rows[0]["end_date"],
        rows[0]["budget_amount"],
        rows[0]["budget_currency"],
        rows[0]["approximate"],
    ) == ("海の架け橋プロジェクト", "2016", "2020", 3_500_000_000, "JPY", True)


# --- meetings -----------------------------------------------------------------------------------------

MEETINGS = """日程 場所 会議名
★50周年
の特別会合

備考

3月3日 タイ 日ASEAN保健大臣会合 2010年から毎年
開催

6月9日 日本（大阪） 日ASEAN特別文化大臣会合 ★

11月1日 カンボジア 日ASEAN首脳会議 1977年から毎年
開催

日ASEAN首脳・閣僚級会合（2024年） 2024年5月
"""


def test_meetings_table_with_year_in_a_caption_after_the_rows():
    src = src_of(MEETINGS)
    rows = extract_meetings(src)["meetings"]
    assert_quotes_exact(src, rows)
    got = {(r["date"], r["host_country"], r["city"], r["name"], r["special_50th"], r["recurrence"]) for r in rows}
    assert got == {
        ("2024-03-03", "THA", None, "日ASEAN保健大臣会合", False, "2010年から毎年開催"),
        ("2024-06-09", "JPN", "大阪", "日ASEAN特別文化大臣会合", True, None),
        ("2024-11-01", "KHM", None, "日ASEAN首脳会議", False, "1977年から毎年開催"),
    }
    assert all(r["notes"] == "year from the table caption" for r in rows)


def test_meetings_named_in_prose():
    text = "• 日ASEAN20周年特別首脳会議（1993年12月、於東京）\n\n1985年 初の日ASEAN経済大臣会合開催（バンコク）\n"
    rows = extract_meetings(src_of(text))["meetings"]
    assert {(r["date"], r["city"], r["name"]) for r in rows} == {
        ("1993-12", "東京", "日ASEAN20周年特別首脳会議"),
        ("1985", "バンコク", "初の日ASEAN経済大臣会合"),
    }


# --- money --------------------------------------------------------------------------------------------


def test_commitments_with_channel_period_and_approximation():
    text = (
        "• 日ASEAN首脳会議（2016年9月、於ビエンチャン）\n\n➢日ASEAN統合基金（JAIF）に新たに2億ドルの拠出を表明。\n\n"
        "日本は，3年間（2024年～2026年）で約50億円規模の支援を行う。\n\nGDP：5兆円\n"
    )
    src = src_of(text)
    rows = extract_commitments(src, Spans([(text.index("GDP"), len(text))]))["commitments"]
    assert_quotes_exact(src, rows)
    jaif = by(rows, amount=200_000_000)[0]
    assert (jaif["currency"], jaif["channel"], jaif["date"]) == ("USD", "JAIF", "2016-09")
    assert "heading" in jaif["notes"]
    yen = by(rows, amount=5_000_000_000)[0]
    assert (yen["currency"], yen["approximate"], yen["period"], yen["funder"]) == (
        "JPY",
        True,
        "3年間（2024年～2026年）",
        "JPN",
    )
    assert not by(rows, amount=5_000_000_000_000)  # a statistic, left to its table


def test_english_disbursement_last_year():
    text = "Japan disbursed $12,345 through the Japan Example Cooperation Fund last year."
    rows = extract_commitments(src_of(text, published="2005-03", language="en"))["commitments"]
    assert (rows[0]["amount"], rows[0]["currency"], rows[0]["channel"], rows[0]["date"], rows[0]["funder"]) == (
        12_345,
        "USD",
        "Japan Example Cooperation Fund",
        "2004",
        "JPN",
    )


# --- memberships --------------------------------------------------------------------------------------


def test_memberships_from_accession_lines_and_lists():
    text = (
        "１．ASEANとは何か\n\n1992年 カンボジア加盟\n\n2015年 パプアニューギニアが加盟申請（2020年にオブザーバー参加決定）\n\n"
        "2010年 日本が東南アジア友好協力条約（TAC）に加盟\n\n"
        "XYZのメンバー国：３カ国\n\n日本、韓国、インド\n"
    )
    src = src_of(text)
    rows = extract_memberships(src)["memberships"]
    assert_quotes_exact(src, rows)
    got = {(r["organization"], r["member_code"], r["status"], r["joined"]) for r in rows}
    assert {
        ("ASEAN", "KHM", "member", "1992"),
        ("ASEAN", "PNG", "applicant", "2015"),
        ("ASEAN", "PNG", "observer", "2020"),
        ("TAC", "JPN", "member", "2010"),
        ("XYZ", "JPN", "member", None),
        ("XYZ", "KOR", "member", None),
        ("XYZ", "IND", "member", None),
    } <= got


def test_english_memberships():
    text = (
        "Thailand is already a member of the Example Centre in Tokyo. On May 2, 2003, Laos has joined the "
        "Centre. Brunei expressed its intention to join the Centre."
    )
    rows = extract_memberships(src_of(text, language="en"))["memberships"]
    assert {(r["organization"], r["member_code"], r["status"], r["joined"]) for r in rows} == {
        ("Example Centre", "THA", "member", None),
        ("Example Centre", "LAO", "member", "2003-05-02"),
        ("Example Centre", "BRN", "applicant", None),
    }


# --- quantities ---------------------------------------------------------------------------------------


def test_counted_quantities():
    # Replaces the first version of this test, which took the unit from the noun after 'Nの' and
    # accepted a share with no owner: the subject now names what is counted, the unit is an English word.
    text = (
        "これまでに合計45人が修了。\n\n世界12か国で導入。\n\n日本の支援が約３割を占める。\n\n"
        "合計8のイベント、3の展示\n\n本部，６つの支部\n"
    )
    src = src_of(text)
    rows = extract_metrics(src)["metrics"]
    assert_quotes_exact(src, rows)
    got = {(r["subject"], r["value"], r["unit"], r["approximate"]) for r in rows}
    assert {
        ("修了者数", 45, "persons", False),
        ("世界諸国", 12, "countries", False),
        ("日本の支援", 3, "tenths", True),
        ("イベント", 8, "items", False),
        ("展示", 3, "items", False),
        ("支部", 6, "items", False),  # after a full-width comma, not a thousands separator
    } == got
    assert all(len(r["subject"]) <= 64 and r["subject"] != r["quote"] for r in rows)


def test_figures_laid_out_on_a_slide():
    text = "実績\n\n120\n参加者\n\n45\n論文\n\n7\n\n国際会議\n\n相互訪\n問支援88\n\n奨学金 (300+)\n"
    src = src_of(text)
    rows = extract_metrics(src)["metrics"]
    assert_quotes_exact(src, rows)
    got = {(r["value"], r["subject"], r["approximate"]) for r in rows}
    assert {
        (120, "参加者", False),
        (45, "論文", False),
        (7, "国際会議", False),
        (88, "相互訪問支援", False),
        (300, "奨学金", True),
    } <= got


def test_framework_sizes_read_with_the_slide_note():
    text = "例示フォーラム（ＥＦ） （２３）\n\n拡大会合（ＸＭ）（９）\n\n注：（）内は参加している国・機関の数\n"
    rows = extract_metrics(src_of(text))["metrics"]
    assert {(r["subject"], r["value"], r["unit"]) for r in rows} == {
        ("例示フォーラム（ＥＦ）", 23, "members"),
        ("拡大会合（ＸＭ）", 9, "members"),
    }


def test_lone_number_on_an_ordinary_slide_is_not_a_figure():
    rows = extract_metrics(src_of("説明の文章。\n\n39\n\n協力機関\n"))["metrics"]
    assert rows == []


# --- the whole document: quotes, coverage rules --------------------------------------------------------


def test_a_new_document_in_the_same_styles_yields_facts_in_every_family():
    text = (
        CARDS
        + "\n\n\n\n"
        + PHASES
        + "\n\n\n\n"
        + MEETINGS
        + "\n\n\n\nASEANとは\n\n1992年 カンボジア加盟\n\n合計45人が修了。\n"
        + "\n➢日ASEAN統合基金（JAIF）に新たに2億ドルの拠出を表明。\n"
    )
    src = src_of(text)
    facts = extract_source(src)
    for family, rows in facts.items():
        assert rows, family
        assert_quotes_exact(src, rows)


def test_changing_a_number_in_the_text_changes_the_value():
    before = extract_statistics(src_of(CARDS))["indicators"]
    after = extract_statistics(src_of(CARDS.replace("８００万人", "８５０万人")))["indicators"]
    assert by(before, entity_code="LAO", indicator="population")[0]["value"] == 8_000_000
    assert by(after, entity_code="LAO", indicator="population")[0]["value"] == 8_500_000


@pytest.mark.parametrize(
    "text, reason",
    [
        ("詳しくは https://example.org/page2023/item45.html を参照", "part of a URL"),
        ("JAIF2.0とTPP11", "part of a name or code (digits glued to letters)"),
        ("インダストリー4.0への対応", "part of a name (digits glued to a katakana word)"),
        ("第４次産業革命", "ordinal"),
        ("友好協力60周年", "ordinal"),
        ("1. 背景\n2. 目的\n", "list ordinal"),
    ],
)
def test_coverage_rules_set_aside_names_ordinals_and_urls(text, reason):
    src = src_of(text)
    report = document_coverage(src, extract_source(src))
    assert report["counted"] == 0
    assert reason in report["excluded_by_rule"]


def test_coverage_lists_uncovered_expressions_with_a_reason():
    # A period (研修は18日間) qualifies another fact and is no longer a quantity: a count covers instead.
    src = src_of("3月20日、会議で表明。\n\n研修生18名が修了。\n")
    report = document_coverage(src, extract_source(src))
    uncovered = {u["text"]: u["reason"] for u in report["uncovered"]}
    assert uncovered.get("3") == "year not stated in its context"
    assert report["covered"] >= 1  # 18名 is a stated quantity


# --- Where number-led patterns are tried (Source.scan) ----------------------------------------------


def _scans():
    """Every number-led pattern scanned with `followed_by`: (pattern, also, followed_by)."""
    from pipelines.extract import amounts, base, dates, quantities

    return [
        (amounts.MONEY, amounts.MONEY_SIGN, amounts.MONEY_NEXT),
        (quantities.COUNTER, None, quantities.COUNTER_NEXT),
        (quantities.COUNT_OF, None, quantities.COUNT_OF_NEXT),
        (quantities.EN_COUNT, quantities.EN_COUNT_WORDS, quantities.EN_COUNT_NEXT),
        (dates.JP_DATE_EXPR, dates.JP_DATE_LEADS, dates.JP_DATE_NUMBER_ENDS),
        (dates.JP_YEAR_RANGE, None, dates.JP_YEAR_RANGE_NEXT),
        (dates.EN_DATE_EXPR, dates.EN_DATE_LEADS, dates.EN_DATE_NEXT),
        (base.YEAR, base.ERA_LEADS, base.YEAR_MARK),
    ]


def _spans(src, pattern, also, followed_by):
    return [m.span() for m in src.scan(pattern, also=also, followed_by=followed_by)]


def test_scan_filters_by_what_follows_a_number_without_losing_a_match():
    import random

    rng = random.Random(7)
    pieces = [
        "12",
        "2023",
        "1,000",
        "3.5",
        "7",
        "322023",
        "年",
        "月",
        "日",
        "万",
        "億",
        "円",
        "ドル",
        "米ドル",
        "名",
        "人",
        "か国",
        "件",
        "回",
        "%",
        "の",
        "国",
        " ",
        "\u3000",
        "\n",
        "-",
        "–",
        "～",
        "(",
        ")",
        "令和",
        "本年",
        "US$",
        "about",
        "three",
        "people",
        "courses",
        "A",
        "ア",
        "st",
        "th",
        "to",
        "June",
        "between",
        "and",
        "1999",
        ".",
        ".5",
        "x",
        "Z",
    ]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 14))) for _ in range(3000)]
    for text in texts:
        src = Source("t", text)
        for pattern, also, followed_by in _scans():
            assert _spans(src, pattern, also, followed_by) == _spans(src, pattern, also, None), (pattern.pattern, text)


def test_line_patterns_tried_on_some_lines_find_what_finditer_finds():
    import random

    from pipelines.extract import meetings, projects, quantities

    rng = random.Random(11)
    pieces = [
        "\n",
        " ",
        "\t",
        "・",
        "2023年",
        "令和5年",
        "11月3日",
        "日ASEAN首脳会議",
        "日程",
        "場所",
        "会議名",
        "日程 場所 会議名",
        "287",
        "1,400+",
        "援",
        "225",
        "ACE-LEDMP",
        "(2023年8月",
        "（",
        "論文",
        "12",
        "A",
        "x",
        # whole lines of each kind, so that every pattern matches often
        "\n令和5年11月3日 日ASEAN首脳会議\n",
        "\n令和元年5月1日 日ASEAN外相会議\n",
        "\n・2023年9月6日 第26回日ASEAN首脳会議(ジャカルタ)\n",
        "\nACE-LEDMP（2023年8月～2年間）\n",
        "\n 287\n",
        "\n相互訪問支援225\n",
        "\n日程 場所 会議名\n",
        "\n97年:\n",
        "\n平成15年\n",
    ]
    cases = [
        (meetings.table_headers, meetings.TABLE_HEADER),
        (meetings.year_heading_lines, meetings.YEAR_HEADING),
        (projects.named_project_lines, projects.NAMED_PROJECT_LINE),
        (quantities.figure_lines_of, quantities.NUMBER_LINE),
        (quantities.labelled_figure_lines, quantities.LABEL_THEN_FIGURE),
    ]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 16)))
        src = Source("t", text)
        for lines_of, pattern in cases:
            assert [m.span() for m in lines_of(src)] == [m.span() for m in pattern.finditer(text)], (
                pattern.pattern,
                text,
            )


def test_member_list_headers_found_from_their_tail():
    import re

    from pipelines.extract.memberships import list_headers

    text = "ABCDEFGHのメンバー国：16カ国\nxx ARFのメンバー国:27 のメンバー国："
    every = re.compile(r"(?P<org>[A-Z]{3,6})のメンバー国[:：]")
    assert list(list_headers(text)) == [(m.start(), m.end(), m["org"]) for m in every.finditer(text)]
    assert [org for _, _, org in list_headers(text)] == ["CDEFGH", "ARF"]


def test_scan_tries_a_year_glued_to_the_number_before_it():
    # A page number run into a date in PDF text: '15' + '2019年4月2日'.
    src = Source("t", "資料152019年4月2日に公表")
    assert [(d.start, d.date) for d in src.dates] == [(4, "2019-04-02")]


def test_scan_filter_lists_only_plain_words():
    from pipelines.extract.base import first_chars

    assert first_chars("名|人(?!口)|か国|カ国") == "名人かカ"
    with pytest.raises(ValueError):
        first_chars(r"\d+|円")


def test_about_headings_name_the_run_before_each_toha():
    from pipelines.extract.base import about_headings

    text = "概要\nXYZとは何か、2とは 名前とはまたとは"
    assert [text[a:b] for a, b in about_headings(text)] == ["XYZ", "名前", "また"]
