"""Wrong data never publishes quietly: values agree with their quotes, invisible characters inside
numbers, stated negatives, plausibility bounds, and documents whose decoding is not text to read.

Belongs here: the normalisers reading through invisible format characters and keeping a minus sign,
the ``ValueInQuote`` and ``Plausible`` rules of the table definitions on rows built here, decoding
refusals (mojibake, invisible-only text, HTML or PDF saved as .txt), and the same cases through the
real pipeline on a temporary project (marked slow).
Does not belong here: other bad input (``test_bad_input.py``), the extractors' own traps
(``test_extract*.py``). Every text is invented here.
"""

from __future__ import annotations

import pytest
from conftest import dagster_home, dagster_instance, latest_dir, make_project, run_cli, tree_digest

from pipelines.documents import DocumentError, decode_bytes
from pipelines.extract import extract_source
from pipelines.extract.source import Source
from pipelines.normalize import (
    fold_text,
    iso,
    parse_english_amount,
    parse_japanese_amount,
    parse_japanese_date,
    parse_number,
    stated_numbers,
    states_date,
)
from pipelines.orchestration.runner import run_pipeline
from pipelines.publish.quotes import validate_values_in_quotes
from pipelines.publish.tables import frame
from schemas.validation import plausible_date, validate_table

ZWSP, RLM, SHY = "\u200b", "\u200f", "\u00ad"


def facts_of(text: str, published: str | None = "2023-12-17") -> dict[str, list[dict]]:
    src = Source("snippet", text, published)
    facts = extract_source(src)
    for rows in facts.values():
        for r in rows:
            assert text[r["char_start"] : r["char_end"]] == r["quote"]  # offsets stay exact
    return facts


def row(table: str, quote: str, **values) -> dict:
    """A row of a fact table whose quote is the start of an invented document."""
    return {**values, "document_id": "invented-doc", "char_start": 0, "char_end": len(quote), "quote": quote}


# --- Invisible format characters inside numbers ------------------------------------------------------


@pytest.mark.parametrize(
    "text, value",
    [
        ("１，" + ZWSP + "６７７万", 16_770_000),
        ("1," + ZWSP + "200", 1200),
        ("1億" + ZWSP + "2,000万", 120_000_000),
        ("3" + SHY + ",400", 3400),
    ],
)
def test_amount_is_read_through_format_characters_and_says_so(text, value):
    parsed = parse_japanese_amount(text)
    assert parsed.value == value
    assert parsed.note and "invisible format character" in parsed.note


def test_english_amount_and_number_read_through_a_zero_width_space():
    assert parse_english_amount("1," + ZWSP + "500", "million").value == 1_500_000_000
    assert parse_number("2," + ZWSP + "500").value == 2500


def test_folding_moves_format_characters_out_of_a_number_and_keeps_every_offset():
    text = "約1," + ZWSP + "200人、" + RLM + "1,200人"
    folded = fold_text(text)
    assert len(folded) == len(text)
    assert "1,200人" in folded and folded.count("1,200人") == 2
    assert "200人" not in folded.replace("1,200人", "")


@pytest.mark.parametrize(
    "sentence, table, column, value",
    [
        ("約1," + ZWSP + "200人が研修に参加した。", "metrics", "value", 1200),
        ("約1,200" + ZWSP + "人が研修に参加した。", "metrics", "value", 1200),  # glued to its counter
        ("About 1," + ZWSP + "200 officials were trained in 2022.", "metrics", "value", 1200),
        ("About " + RLM + "1,200 officials were trained in 2022.", "metrics", "value", 1200),
        ("Japan pledged US$1," + ZWSP + "500 million to ASEAN in 2023.", "commitments", "amount", 1_500_000_000),
        ("日本はJAIFへ約1億" + ZWSP + "2,000万米ドルを拠出した。", "commitments", "amount", 120_000_000),
    ],
)
def test_extracted_value_is_the_whole_number_and_the_row_is_flagged(sentence, table, column, value):
    rows = facts_of(sentence)[table]
    assert [r[column] for r in rows] == [value], rows
    assert "invisible format character" in rows[0]["notes"]


def test_a_card_figure_with_a_zero_width_space_is_the_whole_figure():
    card = "【カンボジア】\n首相：山田太郎\n人口： １，" + ZWSP + "６７７万人\nＧＤＰ： ２９９億ドル\n"
    populations = [r for r in facts_of(card)["indicators"] if r["indicator"] == "population"]
    assert [r["value"] for r in populations] == [16_770_000]


# --- Every value agrees with its quote -----------------------------------------------------------------


def test_a_value_not_read_from_its_quote_fails_naming_table_row_and_document():
    quote = "約1," + ZWSP + "200人が研修に参加した。"
    wrong = frame("metrics", [row("metrics", quote, subject="研修", value=200.0, unit="persons", approximate=True)])
    failure = validate_values_in_quotes("metrics", wrong)
    assert failure is not None
    message = str(failure)
    assert "table 'metrics'" in message and "value 200 is not read from its quote" in message
    assert f"fact_id={wrong['fact_id'].iloc[0]!r}" in message and "document 'invented-doc'" in message
    right = frame("metrics", [row("metrics", quote, subject="研修", value=1200.0, unit="persons", approximate=True)])
    assert validate_values_in_quotes("metrics", right) is None


@pytest.mark.parametrize("quote", ["日本はJAIFへ約-1億米ドルを拠出した。", "Japan's share fell by -US$100 million"])
def test_a_stated_negative_made_positive_fails(quote):
    assert -100_000_000 in stated_numbers(quote)
    positive = frame(
        "commitments",
        [row("commitments", quote, amount=1e8, currency="USD", approximate=True, kind="contribution", description="x")],
    )
    assert validate_values_in_quotes("commitments", positive) is not None


@pytest.mark.parametrize(
    "quote, numbers",
    [
        ("ＧＤＰ： −２９９億ドル", {-29_900_000_000}),
        ("the 2018-2023 plan against COVID-19", {2018, 2023, 19}),  # hyphens, not minus signs
        ("US$2.48 trillion, or 8.6%", {2.48, 2.48e12, 8.6, 0.086}),
        ("日本の約2/3、世界の半分", {2, 3, 0.666667, 0.5}),
        ("eleven members", {11}),
    ],
)
def test_numbers_stated_in_a_quote(quote, numbers):
    assert stated_numbers(quote) == numbers


@pytest.mark.parametrize(
    "quote, date, year_from_context, stated",
    [
        ("2023年12月17日、東京で会議が開催された。", "2023-12-17", False, True),
        ("2023年12月17日、東京で会議が開催された。", "2023-12-18", False, False),
        ("令和5年4月に開始された。", "2023-04", False, True),
        ("2023/12/17、東京で会議が開催された。", "2023-12-17", False, True),
        ("On 2023-12-17 the summit was held.", "2023-12-17", False, True),
        ("the 2018-2023 plan", "2018-12", False, False),
        ("held from 16 to 18 December", "2023-12-16", True, True),
        ("held from 16 to 18 December", "2023-12-16", False, False),  # a year no note accounts for
        ("会議が21日午前に開かれた。", "2012-04-21", False, True),  # a bare day: month and year from the context
        ("the minister said Monday", "2019-12-02", False, True),  # 2 December 2019 was a Monday
        ("the minister said Monday", "2019-12-03", False, False),
    ],
)
def test_dates_stated_in_a_quote(quote, date, year_from_context, stated):
    assert states_date(quote, date, year_from_context) is stated


@pytest.mark.parametrize(
    "text",
    [
        "The Reef Council was formed on 5 May 1979 in Apia, Samoa, by Fiji and Tonga. Palau "
        "subsequently joined on 3 June 1985, "
        "Nauru on 1 July 1990, Tuvalu and Kiribati on 4 April 1994.\n",
        "The Coral Sea Forum was founded in 1971.\nNew members\nVanuatu (March 2, 1985)\nPalau (June 4, 1994)\n",
    ],
)
def test_a_member_listed_with_its_own_date_is_quoted_to_that_date(text):
    memberships = frame("memberships", facts_of(text)["memberships"])
    assert memberships["joined"].notna().sum() >= 2, memberships
    assert validate_values_in_quotes("memberships", memberships) is None


# --- Plausibility bounds -----------------------------------------------------------------------------


def indicator_row(indicator: str, value: float, entity: str = "KHM") -> dict:
    quote = f"{indicator} {value:.0f}"
    return row("indicators", quote, entity_code=entity, indicator=indicator, value=value, approximate=False)


@pytest.mark.parametrize(
    "indicator, value, entity",
    [
        ("population", 9.999999e18, "ASEAN"),
        ("gdp_usd", -29_900_000_000, "KHM"),
        ("gdp_usd", 3e15, "ASEAN"),
        ("area_km2", 3e7, "KHM"),
        ("gdp_per_capita_usd", 5e7, "SGP"),
    ],
)
def test_implausible_indicator_fails_naming_row_and_document(indicator, value, entity):
    df = frame("indicators", [indicator_row(indicator, value, entity)])
    failure = validate_table("indicators", df)
    assert failure is not None
    assert "plausible" in str(failure) and "document 'invented-doc'" in str(failure)
    assert f"fact_id={df['fact_id'].iloc[0]!r}" in str(failure)


def test_plausible_indicators_pass():
    rows = [indicator_row("population", 16_770_000), indicator_row("area_km2", 4_490_000, "ASEAN")]
    assert validate_table("indicators", frame("indicators", rows)) is None


def test_a_negative_figure_on_a_country_card_stays_negative_and_is_refused():
    card = "【カンボジア】\n首相：山田太郎\n人口： １，６７７万人\nＧＤＰ： −２９９億ドル\nＧＤＰ/人： １，７８６ドル\n"
    facts = facts_of(card)
    gdp = [r for r in facts["indicators"] if r["indicator"] == "gdp_usd"]
    assert [r["value"] for r in gdp] == [-29_900_000_000]
    assert not [r for r in facts["commitments"] if r["amount"] == 29_900_000_000]
    assert validate_table("indicators", frame("indicators", facts["indicators"])) is not None


@pytest.mark.parametrize("date", ["2023-13", "2023-02-30", "2023-04-31", "1900", "2117-04-01"])
def test_implausible_dates_are_refused(date):
    assert not plausible_date(date)
    events = frame("events", [row("events", f"{date} invented", date=date, description="invented")])
    assert validate_table("events", events) is not None


def test_a_month_13_or_a_day_32_is_an_error_not_a_correction():
    with pytest.raises(ValueError):
        iso(2023, 13)
    with pytest.raises(ValueError):
        iso(2023, 2, 30)
    with pytest.raises(ValueError):
        parse_japanese_date("2023年1月32日")
    assert not [r for r in facts_of("2023年13月5日、東京で首脳会議が開催された。")["events"] if r["date"] != "2023-13"]


@pytest.mark.parametrize(
    "sentence",
    [
        "13月5日、東京で日ASEAN外相会議が開催された。",
        "2月30日、東京で日ASEAN首脳会議が開催された。",
        "2023年4月31日、日本はJAIFへ1億円を拠出した。",
        "On 31 April, the ASEAN-Japan Summit was held in Tokyo.",
        "On 32 April, the ASEAN-Japan Summit was held in Tokyo.",
        "Cambodia joined ASEAN on 30 February 2023.",
    ],
)
def test_a_date_that_does_not_exist_is_neither_extracted_nor_a_crash(sentence):
    text = "Invented page\nInvented publisher\n2023年12月17日\n\n" + sentence + "\n"
    for rows in facts_of(text).values():
        for r in rows:
            for column in ("date", "end_date", "start_date", "joined"):
                assert r.get(column) is None or plausible_date(r[column]), (column, r)


def test_era_years_stay_within_their_era():
    assert parse_japanese_date("令和5年10月") == "2023-10"
    assert parse_japanese_date("平成31年4月") == "2019-04"
    for outside in ("令和99年", "平成32年", "昭和65年", "令和0年"):
        with pytest.raises(ValueError, match="outside its era"):
            parse_japanese_date(outside)
    assert not [r for r in facts_of("令和99年4月1日に研修が開始された。")["events"] if r["date"].startswith("2117")]


# --- Decoding on evidence ------------------------------------------------------------------------------

ENGLISH_CP1252 = (
    "Japan\u2019s cooperation with ASEAN\nMinistry of Foreign Affairs\n\n"
    "Japan\u2019s pledge to the region\u2019s centre was announced in 2023. The Ministry\u2019s officials met.\n"
)


def test_a_windows_1252_english_file_is_not_read_as_cp932():
    data = ENGLISH_CP1252.encode("cp1252")
    assert "痴" in data.decode("cp932")  # what main published
    with pytest.raises(DocumentError) as err:
        decode_bytes(data, "overview-en.txt")
    message = str(err.value)
    assert message.startswith("overview-en.txt: decoded as cp932")
    assert "Japan痴" in message and "likely cp12" in message and "UTF-8" in message


def test_japanese_cp932_and_english_utf8_still_decode():
    ja = "日ASEAN協力の概要\n外務省\n\nASEAN加盟国とJAIFの事業は2023年に始まった。\n"
    assert decode_bytes(ja.encode("cp932"), "ja.txt") == (ja, "cp932")
    assert decode_bytes(ENGLISH_CP1252.encode("utf-8"), "en.txt") == (ENGLISH_CP1252, "utf-8")


@pytest.mark.parametrize("text", ["\u3000\u3000\n\u00a0" + ZWSP + "\n", "\ufeff" + ZWSP + RLM + " \n", SHY * 3])
def test_only_whitespace_and_invisible_characters_is_an_empty_document(text):
    with pytest.raises(DocumentError, match=r"^blank.txt: empty document"):
        decode_bytes(text.encode("utf-8"), "blank.txt")


@pytest.mark.parametrize(
    "data, expected",
    [
        (b"<!DOCTYPE html>\n<html><head><title>Page</title></head></html>", "rename it to page.html"),
        (b"\n  <html lang='en'><body>Japan and ASEAN</body></html>", "rename it to page.html"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "rename it to page.pdf"),
    ],
)
def test_html_or_pdf_saved_as_txt_is_refused_with_the_right_extension(data, expected):
    with pytest.raises(DocumentError) as err:
        decode_bytes(data, "page.txt")
    assert str(err.value).startswith("page.txt: ") and str(err.value).endswith(expected)


# --- Through the real pipeline ---------------------------------------------------------------------------

BASE_DOC = """Japan and ASEAN: training results
Ministry of Foreign Affairs of Japan
3 October 2022

On 3 October 2022, Japan announced a contribution of US$5 million to the programme.
"""
INVISIBLE_JA = (
    "日ASEAN研修の成果\n外務省\n2023年12月17日\n\n"
    "2022年に、約1," + ZWSP + "200人が研修に参加した。\n"
    "2023年12月17日、日本はJAIFへ約1億" + ZWSP + "2,000万米ドルを拠出した。\n"
)
INVISIBLE_EN = (
    "Japan and ASEAN: a new fund\nMinistry of Foreign Affairs of Japan\n5 March 2021\n\n"
    "On 5 March 2021, Japan pledged US$1," + ZWSP + "500 million to the fund.\n"
    "About " + RLM + "2,400 officials were trained in 2021.\n"
)
# Documents whose facts must stop the release: (file, text, what the error's details must name).
REFUSED = {
    "stated-negative-amount": (
        "negative-pledge.txt",
        "日ASEAN基金\n外務省\n2023年12月17日\n\n2023年12月17日、日本はJAIFへ約-1億米ドルを拠出した。\n",
        ["table 'commitments'", "amount 100000000 is not read from its quote", "document 'negative-pledge'"],
    ),
    "absurd-population": (
        "absurd-population.txt",
        "ASEAN in figures\nMinistry of Foreign Affairs of Japan\n5 March 2021\n\n"
        "The population of ASEAN is 9,999,999,999,999 million people.\n",
        ["table 'indicators'", "implausible value: value <= 1e+10", "document 'absurd-population'"],
    ),
}


@pytest.fixture(scope="module")
def released_template(tmp_path_factory):
    base = tmp_path_factory.mktemp("values-released")
    root = make_project(base / "project", {"training-results.txt": BASE_DOC.encode()})
    with dagster_instance(base / "dagster_home") as inst:
        assert run_pipeline(root, inst).published
    return root


@pytest.mark.slow
def test_numbers_with_invisible_characters_publish_their_whole_value(released_template, tmp_path):
    import shutil

    root = tmp_path / "project"
    shutil.copytree(released_template, root)
    (root / "raw" / "invisible-ja.txt").write_text(INVISIBLE_JA, encoding="utf-8")
    (root / "raw" / "invisible-en.txt").write_text(INVISIBLE_EN, encoding="utf-8")
    with dagster_instance(tmp_path / "dagster_home") as inst:
        assert run_pipeline(root, inst).published
    import csv

    def published(table: str) -> list[dict]:
        with open(latest_dir(root) / "data" / f"{table}.csv", encoding="utf-8", newline="") as handle:
            return [r for r in csv.DictReader(handle) if r["document_id"].startswith("invisible")]

    metrics = {(r["document_id"], r["value"]) for r in published("metrics")}
    commitments = {(r["document_id"], r["amount"]) for r in published("commitments")}
    assert ("invisible-ja", "1200") in metrics and ("invisible-en", "2400") in metrics
    assert ("invisible-ja", "120000000") in commitments and ("invisible-en", "1500000000") in commitments
    assert not {v for _, v in metrics} & {"200", "400"}
    for r in published("metrics") + published("commitments"):
        assert "invisible format character" in r["notes"]


@pytest.mark.slow
@pytest.mark.parametrize("case", list(REFUSED))
def test_a_value_that_disagrees_or_is_implausible_stops_the_release(case, released_template, tmp_path):
    import shutil

    root = tmp_path / "project"
    shutil.copytree(released_template, root)
    name, text, expected = REFUSED[case]
    (root / "raw" / name).write_text(text, encoding="utf-8")
    before = tree_digest(root / "releases")
    done = run_cli(root, dagster_home(tmp_path / "home"))
    assert done.returncode == 1, done.stdout + done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "nothing was published" in errors[0], done.stderr
    assert "Traceback" not in done.stderr
    for part in expected:
        assert part in done.stderr, (part, done.stderr)
    assert tree_digest(root / "releases") == before
