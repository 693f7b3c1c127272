"""Coverage counts a number as covered only when a fact's value or date was read from it."""

from __future__ import annotations

from pipelines.extract.coverage import document_coverage
from pipelines.extract.source import Source


def _row(text: str, quote: str, **values) -> dict:
    start = text.index(quote)
    return {"document_id": "d", "char_start": start, "char_end": start + len(quote), "quote": quote, **values}


def _covered(text: str, facts: dict[str, list[dict]]) -> dict[str, bool]:
    src = Source("d", text)
    report = document_coverage(src, facts)
    uncovered = {u["text"] for u in report["uncovered"]}
    return {n: n not in uncovered for n in ("1,200", "37", "25", "3", "7", "2021", "9")}


def test_a_number_inside_a_quote_is_not_covered_unless_a_value_was_read_from_it():
    text = "The made-up fund trained 1,200 people in 37 towns during 2021.\n"
    quote = text.strip()
    only_people = {"metrics": [_row(text, quote, subject="people trained", value=1200.0, unit="persons")]}
    covered = _covered(text, only_people)
    assert covered["1,200"] and not covered["37"] and not covered["2021"]
    with_date = {"metrics": [_row(text, quote, subject="people trained", value=1200.0, unit="persons", date="2021")]}
    assert _covered(text, with_date)["2021"]


def test_scaled_amounts_era_years_months_and_days_count_as_read():
    text = "平成25年3月7日、架空の基金に約9億円を拠出。\n"
    quote = text.strip()
    facts = {
        "commitments": [_row(text, quote, amount=9e8, currency="JPY", date="2013-03-07")],
    }
    covered = _covered(text, facts)
    assert covered["25"] and covered["3"] and covered["7"] and covered["9"]


def test_a_value_read_elsewhere_does_not_cover_the_same_digits_outside_its_quote():
    text = "A made-up count of 37 islands.\n\nAnother line with 37 words.\n"
    first = "A made-up count of 37 islands."
    report = document_coverage(Source("d", text), {"metrics": [_row(text, first, value=37.0, unit="count")]})
    assert [u["char_start"] for u in report["uncovered"]] == [text.rindex("37")]
