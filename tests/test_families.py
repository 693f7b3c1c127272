"""The families' declarations: order derived from them, their agreement with the fact tables, and rows
checked against their tables."""

from __future__ import annotations

import pytest

import pipelines.extract as extraction
from pipelines.extract import ExtractionError, check_rows
from pipelines.extract.family import Family, FamilyDeclarationError, order_families
from pipelines.extract.source import Source
from schemas.tables import FACT_TABLES, Table


def _none(src, stated=None):
    return {}


def _tables(*names: str) -> list[Table]:
    return [Table(name=n, title=n, description=n, fields=(), primary_key=()) for n in names]


def test_every_fact_table_is_filled_by_a_declared_family():
    filled = {t for f in extraction.FAMILIES for t in f.tables}
    assert filled == {t.name for t in FACT_TABLES}


def test_a_family_waits_for_every_family_filling_a_table_it_leaves_alone():
    tables = _tables("a", "b")
    late = Family("late", ("a",), _none, leaves_alone=("b",))
    one, other = Family("one", ("b",), _none), Family("other", ("b",), _none)
    assert [f.name for f in order_families([late, one, other], tables)] == ["one", "other", "late"]


def test_rows_of_two_families_filling_one_table_are_kept_in_their_order(monkeypatch):
    first = Family("first", ("events",), lambda src, stated=None: {"events": [_row(date="2001", description="x")]})
    second = Family("second", ("events",), lambda src, stated=None: {"events": [_row(date="2002", description="y")]})
    others = tuple(f for f in extraction.FAMILIES if "events" not in f.tables)
    monkeypatch.setattr(extraction, "FAMILIES", (*others, first, second))
    rows = extraction.extract_source(Source("d", "An invented line of text."))["events"]
    assert [r["date"] for r in rows] == ["2001", "2002"]


def test_a_family_runs_after_the_families_whose_tables_it_leaves_alone():
    tables = _tables("a", "b", "c")
    first = Family("first", ("a",), _none, leaves_alone=("c",))  # its table comes first, but it waits for c
    second = Family("second", ("b",), _none)
    third = Family("third", ("c",), _none)
    assert [f.name for f in order_families([first, second, third], tables)] == ["second", "third", "first"]


def test_without_constraints_families_run_in_the_order_of_their_tables():
    tables = _tables("a", "b")
    assert [f.name for f in order_families([Family("y", ("b",), _none), Family("x", ("a",), _none)], tables)] == [
        "x",
        "y",
    ]


@pytest.mark.parametrize(
    "families, message",
    [
        ([Family("x", ("a",), _none), Family("x", ("b",), _none)], "same name"),
        ([Family("x", ("a",), _none)], "no family fills"),
        ([Family("x", ("a", "b", "z"), _none)], "not a fact table"),
        ([Family("x", ("a", "b"), _none, leaves_alone=("z",))], "not a fact table"),
        ([Family("x", ("a",), _none, leaves_alone=("b",)), Family("y", ("b",), _none, leaves_alone=("a",))], "circle"),
    ],
)
def test_declarations_that_disagree_are_refused(families, message):
    with pytest.raises(FamilyDeclarationError, match=message):
        order_families(families, _tables("a", "b"))


def _row(**values) -> dict:
    return {"document_id": "d", "char_start": 0, "char_end": 3, "quote": "abc", "notes": None, **values}


def test_a_row_with_a_column_its_table_lacks_is_an_error_naming_the_family():
    family = Family("dated", ("events",), _none)
    check_rows(family, {"events": [_row(date="2001", end_date=None, description="abc")]})
    with pytest.raises(ExtractionError, match=r"family 'dated': a events row has columns .*'end_dat'"):
        check_rows(family, {"events": [_row(date="2001", end_dat="2002", description="abc")]})


def test_a_family_returning_a_table_it_does_not_declare_is_an_error():
    with pytest.raises(ExtractionError, match="returned tables"):
        check_rows(Family("dated", ("events",), _none), {"events": [], "metrics": []})


def test_extraction_stops_at_a_misspelt_column(monkeypatch):
    broken = Family("broken", ("events",), lambda src, stated=None: {"events": [_row(dat="2001")]})
    families = tuple(broken if "events" in f.tables else f for f in extraction.FAMILIES)
    monkeypatch.setattr(extraction, "FAMILIES", families)
    with pytest.raises(ExtractionError, match="'dat'"):
        extraction.extract_source(Source("d", "An invented line of text, 2001."))
