"""Events, commitments and projects (issue 15) on snippets written for these tests, in both languages,
with the traps of each kind of statement: datelines and stamps, page numbers beside dates, wrapped
lines, reference dates of figures, periods, restated headlines, member lists of amounts, conversions,
statistics, parent programmes. Names, places and figures are invented."""

from __future__ import annotations

from pipelines.extract import extract_source
from pipelines.extract.projects import extract_projects
from pipelines.extract.source import Source
from pipelines.extract.timeline import extract_events


def src_of(text: str, published: str | None = None, language: str = "ja") -> Source:
    return Source("snippet", text, published, language)


def events_of(text: str, published: str | None = None, language: str = "ja") -> list[dict]:
    src = src_of(text, published, language)
    rows = extract_events(src)["events"]
    for r in rows:
        assert src.text[r["char_start"] : r["char_end"]] == r["quote"]
    return rows


def dates_of(rows: list[dict]) -> set[tuple]:
    return {(r["date"], r["end_date"]) for r in rows}


def by(rows, **match):
    return [r for r in rows if all(r.get(k) == v for k, v in match.items())]


# --- events -------------------------------------------------------------------------------------------


def test_a_dateline_is_the_pages_date_and_dates_only_a_statement_about_today():
    today = "PORTVILLE, 4 June 2019 – The 9th Example Forum held today in Portville agreed on a new work plan.\n"
    rows = events_of(today, "2019-06-04", "en")
    assert dates_of(rows) == {("2019-06-04", None)}
    assert rows[0]["description"].startswith("The 9th Example Forum")  # the dateline is not the description
    dated = "PORTVILLE, 4 June 2019 – The committee met on 3 June 2019 to review the projects.\n"
    assert dates_of(events_of(dated, "2019-06-04", "en")) == {("2019-06-03", None)}


def test_stamps_labels_and_page_numbers_beside_dates_are_not_events():
    en = (
        "Example Institute of Policy\n\n[Date] March 3, 2016\n[Source] Example Ministry\n\n"
        "The working group was established on 1 March 2016 in Portville.\n"
    )
    assert dates_of(events_of(en, "2016-03-03", "en")) == {("2016-03-01", None)}
    ja = "海外広報\n\n平成28年3月3日\n\n3月1日、作業部会が東京で設置された。\n"
    assert dates_of(events_of(ja, "2016-03-03")) == {("2016-03-01", None)}
    slide = "協力の概要\n\n・研修を実施した。\n\n142024年5月1日\n\n次のスライド\n"
    assert events_of(slide) == []  # '14' is the slide's page number
    place = (
        "JOINT STATEMENT OF THE 5TH EXAMPLE SUMMIT\n12 October 2018, Portville, Examplia\n1.\nThe Summit was held.\n"
    )
    assert events_of(place, "2018-10-12", "en") == []


def test_a_date_under_an_item_dates_it_but_a_bare_stamp_beside_the_issuer_does_not():
    slide = "【第2回】 オンライン\n➢ 2021年11月16日\n\n【第3回】 那覇市\n➢ 2022年10月18日～19日\n\n令和5年10月\n国際協力局\n"
    rows = events_of(slide)
    assert dates_of(rows) == {("2021-11-16", None), ("2022-10-18", "2022-10-19")}
    assert by(rows, date="2021-11-16")[0]["description"] == "【第2回】 オンライン"


def test_a_wrapped_line_is_joined_in_the_description_and_never_cut():
    text = (
        "この協定は、地域の連結性を強化するため、関係国の政府と国際交流財団\n"
        "により、2030年までに新たな拠点を設置することを目指すものであり、これまでに多くの関係者が参加している。\n"
        "2番目の段落は別の文である。\n"
    )
    rows = events_of(text)
    assert dates_of(rows) == {("2030", None)}
    assert "国際交流財団により" in rows[0]["description"]
    assert rows[0]["quote"].startswith("この協定は")


def test_relative_dates_resolve_only_against_the_documents_date():
    text = "昨年11月に作業部会の設置に合意した。同年12月には協定に署名した。今年全ての加盟国を訪問した。\n"
    rows = events_of(text, "2021-06-10")
    assert {("2020-11", None), ("2020-12", None), ("2021", None)} <= dates_of(rows)
    src = src_of(text)
    assert extract_events(src)["events"] == []
    assert any("no date" in (s["reason"] or "") or "no year" in (s["reason"] or "") for s in src.skipped)


def test_english_days_weekdays_and_the_next_day_count_from_the_documents_date():
    text = (
        "The envoy met the minister on 3 May 2022 and the secretary-general the next day. "
        "On 9th May, the envoy visited the centre. The ministers will meet from 20 to 22 June. "
        "The minister said Friday that the talks had ended.\n"
    )
    rows = events_of(text, "2022-05-16", "en")  # a Monday
    assert {
        ("2022-05-03", None),
        ("2022-05-04", None),
        ("2022-05-09", None),
        ("2022-06-20", "2022-06-22"),
        ("2022-05-13", None),
    } <= dates_of(rows)
    assert dates_of(events_of("The ministers met on Sunday in Portville.\n", None, "en")) == set()


def test_a_two_digit_year_heading_dates_the_items_under_it():
    text = "07年:\n\n 第1回会合が開催され、山田総理が出席。\n\n08年:\n\n 3月、第2回会合を開催。11月、行動計画を採択。\n"
    rows = events_of(text, "2009-10")
    assert dates_of(rows) == {("2007", None), ("2008-03", None), ("2008-11", None)}
    first = by(rows, date="2007")[0]
    assert first["quote"].startswith("07年:") and first["description"].startswith("第1回会合")


def test_a_day_without_its_month_takes_the_date_stated_before_it():
    text = (
        "日本・ABC会議：協力強化で合意\n\n会議の前の記念撮影=東京で2012年5月6日午前9時\n\n"
        "「日本・ABC会議」が6日午前、東京で開かれた。\n"
    )
    rows = events_of(text)
    assert len(by(rows, date="2012-05-06")) == 2


def test_reference_dates_of_figures_fiscal_years_and_periods_are_not_events():
    text = (
        "本内容は2023年5月時点の情報です。\n"
        "2021年時点の加盟国の総人口は約5億人です。\n"
        "面積(2020年) | 400万k㎡ |\n"
        "派遣人数は、2018年度が120人、2019年度が150人でした。\n"
        "日本は、5年間（2024年～2028年）で約50億円の支援を行う。\n"
        "2030年までの行動計画を策定した。\n"
        "本年で10周年を迎える。\n"
    )
    assert events_of(text, "2023-05-20") == []
    en = (
        "Total Trade in 2020 US$2.1 trillion (2019 estimate)\n\nGDP (PPP) in 2019\n\n"
        "As of March 2020, the treaty was in force in six countries. "
        "The partners will make the contribution over five years from 2024 to 2028. "
        "This year marks the 30th anniversary of the partnership.\n"
    )
    assert events_of(en, "2020-06-01", "en") == []


def test_each_date_of_a_statement_has_its_own_clause():
    en = "The agreement was signed in March 2008, and it entered into force on 1 December 2008.\n"
    rows = events_of(en, None, "en")
    assert by(rows, date="2008-03")[0]["description"] == "The agreement was signed in March 2008"
    assert by(rows, date="2008-12-01")[0]["description"] == "and it entered into force on 1 December 2008"
    ja = "同協定は、2005年に交渉を開始し、2007年に署名された。\n\n2009年 条約調印、2011年発効\n"
    rows = events_of(ja)
    assert by(rows, date="2005")[0]["description"] == "同協定は、2005年に交渉を開始し"
    assert by(rows, date="2007")[0]["description"] == "2007年に署名された。"
    assert by(rows, date="2011")[0]["description"].startswith("2009年 条約調印")  # what took effect


def test_a_headline_restated_by_the_text_is_one_event():
    text = (
        "Example Agreement Enters into Force on Dec. 1, 2008\n\n"
        "The Example Agreement between the partners entered into force on December 1, 2008, after ratification.\n"
    )
    rows = events_of(text, None, "en")
    assert len(rows) == 1 and rows[0]["description"].startswith("The Example Agreement")


def test_years_in_names_are_not_dates():
    text = "首脳は「東京戦略2030」を採択した。\n\nThe leaders welcomed the 2015 Portville Declaration and the Example Vision 2040.\n"
    src = src_of(text, language="en")
    assert src.dates == []


# --- commitments --------------------------------------------------------------------------------------


def commitments_of(text: str, published: str | None = None, language: str = "ja") -> list[dict]:
    src = src_of(text, published, language)
    rows = extract_source(src)["commitments"]
    for r in rows:
        assert src.text[r["char_start"] : r["char_end"]] == r["quote"]
    return rows


def test_one_row_per_pledge_of_a_list_with_its_own_clause_and_the_headings_date():
    text = (
        "• 日ABC首脳会議（2025年10月、於クアラルンプール）\n\n"
        "➢日本は同会議で協力強化を表明。\n\n"
        "➢青少年交流事業（50億円）、JENESYS9.0（2,000万ドル）、統合基金に追加拠出（5,000万ドル）、"
        "ODAプレッジ（3年間で1兆円規模）。\n"
    )
    rows = commitments_of(text)
    assert len(rows) == 4
    assert len({r["description"] for r in rows}) == 4
    assert all(r["date"] == "2025-10" and r["funder"] == "JPN" for r in rows)
    oda = by(rows, amount=1e12)[0]
    assert (oda["channel"], oda["approximate"], oda["period"], oda["kind"]) == ("ODA", True, "3年間", "pledge")
    assert by(rows, amount=50_000_000)[0]["kind"] == "contribution"
    assert by(rows, amount=20_000_000)[0]["channel"] == "JENESYS9.0"


def test_kinds_funders_recipients_and_conversions_in_english():
    text = (
        "PORTVILLE--Prime Minister Tamsin Oduya said Japan will provide yen loans totaling 120 billion yen "
        "($800 million) to the Philippines as it recovers from the storms. "
        "Oduya also said Japan intends to mobilize $10 billion over the next three years from the public and "
        "private sectors. Of the total, $2 billion will come from the Japan International Cooperation Agency.\n"
    )
    rows = commitments_of(text, None, "en")
    assert [(r["amount"], r["currency"]) for r in rows] == [(120e9, "JPY"), (10e9, "USD"), (2e9, "USD")]
    loan, target, part = rows
    assert (loan["kind"], loan["funder"], loan["recipient"]) == ("loan", "JPN", "PHL")
    assert (target["kind"], target["period"]) == ("mobilisation target", "over the next three years")
    assert part["channel"] == "Japan International Cooperation Agency"


def test_statistics_prices_and_budgets_are_not_commitments():
    text = (
        "GDP：3兆ドル\n\nASEANの貿易額は約2,400億ドルに達した。\n\n"
        "Total Trade in 2020 US$2.1 trillion\n\nThe average price was $35 per tonne.\n"
    )
    assert commitments_of(text) == []


def test_a_restated_amount_is_one_row_at_its_fullest_statement():
    text = (
        "Japan pledges $2bn to Examplia fund\n\n"
        "TOKYO: Japan has pledged US$2 billion in grants to the Association of Southeast Asian Nations to "
        "support recovery, the foreign minister said on Monday.\n"
    )
    rows = commitments_of(text, "2024-03-04", "en")
    assert len(rows) == 1
    row = rows[0]
    assert row["description"].startswith("TOKYO: Japan has pledged")
    assert (row["kind"], row["recipient"], row["date"]) == ("grant", "ASEAN", "2024-03-04")


def test_funder_from_the_paragraph_and_contributions_by_other_members():
    text = "07年:\n\n 日本は地域協力の強化を表明。総額5億ドルの援助についての考慮を約束。\n\n"
    rows = commitments_of(text, "2009-10")
    assert (rows[0]["amount"], rows[0]["funder"]) == (500_000_000, "JPN")
    members = "運営費として、ABC加盟国が毎年義務的分担金（各国年間5万ドル）を拠出している。\n"
    rows = commitments_of(members)
    assert (rows[0]["funder"], rows[0]["kind"], rows[0]["amount"]) == ("ASEAN", "contribution", 50_000) or (
        rows[0]["kind"] == "contribution" and rows[0]["funder"] is None
    )


def test_approximate_markers_in_both_languages():
    ja = commitments_of("日本は約200億円規模の円借款を供与する。\n")
    en = commitments_of("Japan will provide nearly $30 million in grant aid to Laos.\n", None, "en")
    assert ja[0]["approximate"] and ja[0]["kind"] == "loan"
    assert en[0]["approximate"] and en[0]["kind"] == "grant" and en[0]["recipient"] == "LAO"


# --- projects -----------------------------------------------------------------------------------------


def projects_of(text: str, published: str | None = None, language: str = "ja") -> list[dict]:
    src = src_of(text, published, language)
    rows = extract_projects(src)["projects"]
    for r in rows:
        assert src.text[r["char_start"] : r["char_end"]] == r["quote"]
    return rows


def test_a_programme_with_the_people_it_invites_and_its_dates():
    text = (
        "報道発表\n\n青少年交流プログラム FUTURE2030 招へいプログラム第3陣\n\n令和7年5月1日\n\n"
        "1 5月10日から17日まで,ABC10か国から,「アジア青年交流」に参加する高校生85名が訪日します。\n\n"
        "[参考1]青少年交流プログラム「FUTURE2030」\n 若い世代の交流を促進する。\n"
    )
    rows = projects_of(text, "2025-05-01")
    assert len(rows) == 1  # the programme it belongs to is its programme, not a row
    row = rows[0]
    assert (row["title"], row["participants"], row["start_date"], row["end_date"]) == (
        "アジア青年交流",
        85,
        "2025-05-10",
        "2025-05-17",
    )
    assert "FUTURE2030" in row["programme"]
    assert "10か国" not in row["quote"]  # the quote holds the name and the count only


def test_a_batch_of_a_programme_is_a_project_of_its_own():
    text = (
        "国際協会は、2030年までに、2,000人以上の“海の架け橋”を近隣諸国へ派遣します。"
        "この事業の第1陣として、合計40名(A州20名、B州20名)が、研修を終え、9月より順次出発します。\n"
    )
    rows = projects_of(text, "2026-08-01")
    programme = by(rows, participants=2000)[0]
    batch = by(rows, phase=1)[0]
    assert programme["title"] == "海の架け橋" and batch["programme"] == "海の架け橋"
    assert (batch["participants"], batch["start_date"]) == (40, "2026-09")
    assert "A州20名" not in batch["quote"]


def test_a_programmes_length_and_a_reference_heading_with_its_parent():
    text = (
        "12月1日、山田総理は首脳会議において、包括的な交流プログラム、「未来共創パートナーシップ」を新たに立ち上げることを発表しました。\n"
        "- このプログラムは、協会により、今後5年間にわたり実施され、10万人以上が受益するものです。\n"
        "(参考1)青年交流事業\n"
        "「アジア共生プロジェクト」の主な事業として、協会が実施する事業。\n"
    )
    rows = projects_of(text, "2026-12-01")
    length = by(rows, title="未来共創パートナーシップ")[0]
    assert (length["duration_months"], length["duration_text"]) == (60, "5年間")
    assert "10万人" not in length["quote"]
    reference = by(rows, title="青年交流事業")[0]
    assert reference["programme"] == "アジア共生プロジェクト"


def test_a_quoted_project_with_its_budget_and_phase():
    text = (
        "Japan has supported the centre under the project “Regional Study on Example Logistics” (USD 250,000), "
        "and under the project “Capacity Building for Example Warehouses-Phase II” (USD 2.5 million).\n"
    )
    rows = projects_of(text, None, "en")
    assert [(r["budget_amount"], r["budget_currency"], r["phase"]) for r in rows] == [
        (250_000, "USD", None),
        (2_500_000, "USD", 2),
    ]
    src = src_of(text, language="en")
    assert extract_source(src)["commitments"] == []  # a project's budget is not a commitment


def test_a_list_of_project_titles_under_a_lead():
    en = (
        "JAIF has been supporting a number of projects under the IAI Work Plan III (2016-2020). "
        "The ongoing projects are: Training on Example Skills for Entrepreneurs; Regional Example Network; "
        "and Example Curriculum for CLMV Countries. The projects are monitored.\n"
    )
    rows = projects_of(en, None, "en")
    assert [r["title"] for r in rows if r["funder"] == "JAIF"] == [
        "Training on Example Skills for Entrepreneurs",
        "Regional Example Network",
        "Example Curriculum for CLMV Countries",
    ]
    ja = "日本は、以下のJAIFプロジェクトを通じて支援を続けている:「港湾管理研修」、「防災人材育成プログラム」。\n"
    assert [r["title"] for r in projects_of(ja)] == ["港湾管理研修", "防災人材育成プログラム"]


def test_a_fund_named_without_anything_stated_about_it_is_not_a_project():
    text = (
        "The leaders recognised the contribution of the Japan-ASEAN Integration Fund (JAIF 2.0) and the "
        "Example Solidarity Fund. 首相は「100人の人材を育てたい」と述べた。\n"
    )
    assert projects_of(text, None, "en") == []


def test_investment_flows_and_trade_figures_are_statistics_not_commitments_or_events():
    ja = "ラオスへの日本の直接投資額は2021年に約12億ドルに達し、国別で2位となった。\n"
    assert commitments_of(ja, "2022-03-01") == []
    assert events_of(ja, "2022-03-01") == []
    en = "Japan's direct investment in Cambodia reached US$1.5 billion in 2020, the agency said.\n"
    assert commitments_of(en, "2021-05-01", "en") == []
    assert events_of(en, "2021-05-01", "en") == []


def test_a_place_before_a_date_alone_on_its_line_is_a_dateline():
    text = (
        "Japan hands over supplies\n\nPortville, 3 February 2023\n\nThe supplies were handed over on 2 February 2023.\n"
    )
    assert dates_of(events_of(text, "2023-02-03", "en")) == {("2023-02-02", None)}


def test_a_budget_belongs_to_the_programme_it_is_stated_for_only():
    text = (
        "Japan launched the Example Coastal Initiative, a three-year programme worth US$9 million. "
        "Japan also handed over rescue boats worth US$2 million to the Example Agency.\n"
    )
    rows = projects_of(text, None, "en")
    assert [(r["title"], r["budget_amount"], r["duration_months"]) for r in rows] == [
        ("Example Coastal Initiative", 9_000_000, 36)
    ]
    commitments = commitments_of(text, None, "en")
    assert [(r["amount"], r["kind"]) for r in commitments] == [(2_000_000, "assistance")]
    ja = "同センターは「海洋人材育成プロジェクト」の一環として設置された。同プロジェクトの総事業費は約4億円である。\n"
    rows = projects_of(ja)
    assert (rows[0]["title"], rows[0]["budget_amount"], rows[0]["approximate"]) == (
        "海洋人材育成プロジェクト",
        4e8,
        True,
    )


def test_a_named_plans_period_a_cited_source_and_a_heading_are_not_events():
    en = (
        "Source: Example Integration Work Plan III (2016-2020)\n\n"
        "The Example Work Plan IV (2021-2025) was adopted in November 2020 (World Bank, 2019).\n"
    )
    assert dates_of(events_of(en, "2022-01-01", "en")) == {("2020-11", None)}
    ja = "【参考】2020年の研修：\n\nアジアで2018年から5年間で8万人の人材を育成。\n\n2023年8月から2年間の後継事業を開始。\n"
    assert dates_of(events_of(ja, "2023-10-01")) == {("2023-08", None)}


def test_one_event_per_statement_and_date_the_range_kept():
    from pipelines.extract.source import Source
    from pipelines.extract.timeline import extract_events

    text = "2031年の行事\n\n\n\n10月4日(土)～5日(日) 架空の交流行事 10月4日：開会式、歓迎会\n"
    rows = extract_events(Source("d", text, "2031-09-01"))["events"]
    on_fourth = [r for r in rows if r["date"] == "2031-10-04"]
    assert len(on_fourth) == 1 and on_fourth[0]["end_date"] == "2031-10-05"
