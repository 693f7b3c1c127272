"""Statements: where a sentence ends (and where a period does not end one), and the date a statement states."""

from pipelines.extract import extract_source
from tests.test_extract import src_of


def _statement_of(text: str, word: str) -> str:
    src = src_of(text, language="en")
    at = text.index(word)
    a, b = src.statement(at, at + len(word))
    return text[a:b]


def test_a_title_abbreviation_does_not_end_the_sentence():
    text = "Welcome remarks. H.E. Mr. Teodor Vasko, Prime Minister of Ruritania, opened the forum. It rained."
    assert _statement_of(text, "Vasko") == "H.E. Mr. Teodor Vasko, Prime Minister of Ruritania, opened the forum"


def test_an_initial_does_not_end_the_sentence():
    text = "Talks ended. Ms. K. Arbuthnot of the U.S. Mission signed it on 3 May 2031. Lunch followed."
    assert _statement_of(text, "Arbuthnot") == "Ms. K. Arbuthnot of the U.S. Mission signed it on 3 May 2031"


def test_a_full_stop_after_a_word_still_ends_the_sentence():
    text = "The fund was launched in 2031. The Minister visited Vientiane in 2032."
    assert _statement_of(text, "Vientiane") == "The Minister visited Vientiane in 2032."


def test_an_event_keeps_the_person_in_its_description():
    text = "Press release\n\nOn 4 June 2031, H.E. Dr. Amara Teo, President of Ruritania, visited Tokyo. It was her first visit."
    events = extract_source(src_of(text, language="en"))["events"]
    assert [e["description"] for e in events if e["date"] == "2031-06-04"] == [
        "On 4 June 2031, H.E. Dr. Amara Teo, President of Ruritania, visited Tokyo"
    ]


def test_a_date_with_a_letter_era_is_an_event_of_that_year():
    text = "記録\n\nH29年4月3日、架空の協力基金の第2期が始まった。\n型番TH29年式の車両は展示のみ。"
    events = extract_source(src_of(text))["events"]
    assert [(e["date"], e["quote"][:12]) for e in events] == [("2017-04-03", "H29年4月3日、架空の")]
