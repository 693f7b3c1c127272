"""The quality harness: the scorer's matching rules on invented pages, and the extractors' figures on the
annotated real pages (tests/corpus/real) never falling below the issue's targets (or, for a table still
short of its target, below its last measured figure)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipelines.quality import QUALITY_CORPUS, TARGETS, CorpusError, field_agrees, quality_report

ROOT = Path(__file__).resolve().parent.parent

FLOOR = {"recall": TARGETS["recall_overall"], "support": TARGETS["support"]}


@pytest.mark.parametrize(
    "key, gold, value, agrees",
    [
        ("title~", "ASEAN-Japan Summit", "The 18th ＡＳＥＡＮ-japan summit, Kuala Lumpur", True),  # NFKC + case
        ("title~", "ASEAN-Japan Summit", "ASEAN-Korea Summit", False),
        ("title~", "Summit", None, False),
        ("amount", 600000000000, 6e11, True),
        ("amount", 600000000000, 6.0001e11, False),
        ("amount", 5, "5", True),
        ("amount", 5, "five", False),
        ("published", None, None, True),
        ("published", None, "", True),
        ("published", None, "2020", False),
        ("approximate", True, True, True),
        ("approximate", False, None, False),
        ("approximate", True, False, False),
        ("date", "2013-12", "2013-12-14", False),  # a date at another precision is another date
        ("entity_code", "JPN", "JPN", True),
    ],
)
def test_fields_agree_by_the_corpus_rules(key, gold, value, agrees):
    assert field_agrees(key, gold, value) is agrees


def _corpus(tmp_path: Path, text: str, gold: list[dict]) -> Path:
    (tmp_path / "page-en.txt").write_text(text, encoding="utf-8")
    (tmp_path / "gold.jsonl").write_text("\n".join(json.dumps(g) for g in gold) + "\n", encoding="utf-8")
    return tmp_path


def test_recall_support_and_wrong_values_on_an_invented_page(tmp_path):
    text = "Notes from a made-up office.\n\nThe garden opened on 3 May 2011.\n\nIt closed in 2019 after 40 visits.\n"
    gold = [
        {"file_name": "page-en.txt", "table": "events", "anchor": "3 May 2011", "fields": {"date": "2011-05-03"}},
        {
            "file_name": "page-en.txt",
            "table": "events",
            "anchor": "in 2019",
            "fields": {"date": "2018"},
        },  # wrong on purpose
        {"file_name": "page-en.txt", "table": "leaders", "anchor": "made-up", "fields": {"entity_code": "JPN"}},
    ]
    report = quality_report(_corpus(tmp_path, text, gold))
    events = report["tables"]["events"]
    assert (events["gold"], events["matched"]) == (2, 1)
    assert events["rows"] >= 1 and events["backed"] >= 1
    assert report["tables"]["leaders"]["matched"] == 0
    whys = {m["anchor"]: m["why"] for m in report["missed"]}
    assert whys["in 2019"].startswith("rows overlap, fields disagree: date:") and "annotated '2018'" in whys["in 2019"]
    assert whys["made-up"] == "no row overlaps the anchor"
    assert any(w["fields"].get("date", {}).get("annotated") == "2018" for w in report["wrong_values"])


def test_an_anchor_that_is_not_unique_is_refused_naming_the_line(tmp_path):
    corpus = _corpus(
        tmp_path,
        "In 2001 and again in 2001.\n",
        [{"file_name": "page-en.txt", "table": "events", "anchor": "2001", "fields": {"date": "2001"}}],
    )
    with pytest.raises(CorpusError, match=r"gold.jsonl:1: the anchor '2001' does not occur exactly once"):
        quality_report(corpus)


@pytest.fixture(scope="module")
def real_report() -> dict:
    return quality_report(ROOT / QUALITY_CORPUS)


def test_the_development_corpus_is_the_annotated_one(real_report):
    assert real_report["pages"] == 26
    assert real_report["overall"]["gold"] == 301


def test_quality_on_real_pages_does_not_fall_below_the_floor(real_report):
    overall = real_report["overall"]
    assert overall["recall"] >= FLOOR["recall"], QUALITY_CORPUS
    assert overall["support"] >= FLOOR["support"]
    for table, figures in real_report["tables"].items():
        assert figures["recall"] >= TARGETS["recall_per_table"], (table, figures)
