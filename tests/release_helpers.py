"""Helpers shared by the release and catalogue tests: small hand-built tables, publishing them, and
hashing a folder so that tests can compare it byte for byte.

Belongs here: building valid tables without running the pipeline and reading folders back.
Does not belong here: fixtures that run the pipeline (``conftest.py``) or assertions (the test modules).
"""

from __future__ import annotations

import copy
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from pipelines.catalogue import write_catalogue
from pipelines.publish.package import verify_release
from pipelines.publish.release import PublishOutcome, publish
from pipelines.publish.tables import frame
from pipelines.publish.warehouse import build_database
from schemas.tables import TABLES

CREATED = "2024-01-02T03:04:05Z"


def _fact(document_id: str, start: int, quote: str, **values) -> dict:
    return {**values, "document_id": document_id, "char_start": start, "char_end": start + len(quote), "quote": quote}


BASE_ROWS: dict[str, list[dict]] = {
    "documents": [
        {
            "document_id": "doc-a",
            "file_name": "doc-a.txt",
            "title": "Briefing A",
            "language": "en",
            "publisher": "MOFA",
            "published": "2023-12",
            "sha256": "a" * 64,
            "n_chars": 900,
        },
    ],
    "events": [
        _fact("doc-a", 0, "1981-03 first meeting", date="1981-03", description="first meeting"),
        _fact("doc-a", 30, "2024-06-09 special meeting", date="2024-06-09", description="special meeting"),
    ],
    "meetings": [
        _fact(
            "doc-a",
            60,
            "Special meeting, Osaka, 9 June 2024",
            date="2024-06-09",
            name="Special meeting",
            host_country="JPN",
            city="Osaka",
            special_50th=True,
        ),
    ],
    "projects": [
        _fact(
            "doc-a",
            100,
            "XYZ Phase 1 (2011-04 to 2014-09) about USD 4.2 million",
            project_id="xyz-phase-1",
            title="XYZ Phase 1",
            programme="XYZ",
            phase=1,
            start_date="2011-04",
            end_date="2014-09",
            budget_amount=4200000.0,
            budget_currency="USD",
            funder="JAIF",
            approximate=True,
        ),
        _fact(
            "doc-a",
            170,
            "XYZ Phase 2 about USD 6.1 million",
            project_id="xyz-phase-2",
            title="XYZ Phase 2",
            programme="XYZ",
            phase=2,
            budget_amount=6100000.0,
            budget_currency="USD",
            funder="JAIF",
            approximate=True,
        ),
        _fact(
            "doc-a",
            220,
            "ABC Phase 1 about USD 1.1 million",
            project_id="abc-phase-1",
            title="ABC Phase 1",
            programme="ABC",
            phase=1,
            budget_amount=1100000.0,
            budget_currency="USD",
            funder="JAIF",
            approximate=True,
        ),
    ],
    "indicators": [
        _fact(
            "doc-a",
            300,
            "Cambodia population 12.34 million",
            entity_code="KHM",
            indicator="population",
            value=12340000.0,
            approximate=False,
        ),
        _fact(
            "doc-a",
            340,
            "Cambodia GDP per capita USD 2,222",
            entity_code="KHM",
            indicator="gdp_per_capita_usd",
            value=2222.0,
            approximate=False,
        ),
        _fact(
            "doc-a",
            380,
            "Singapore population 4.44 million",
            entity_code="SGP",
            indicator="population",
            value=4440000.0,
            approximate=False,
        ),
        _fact(
            "doc-a",
            420,
            "Singapore GDP per capita USD 55,555",
            entity_code="SGP",
            indicator="gdp_per_capita_usd",
            value=55555.0,
            approximate=False,
        ),
    ],
    "memberships": [
        _fact("doc-a", 500, "Cambodia (ASEAN member)", organization="ASEAN", member_code="KHM", status="member"),
        _fact("doc-a", 530, "Singapore (ASEAN member)", organization="ASEAN", member_code="SGP", status="member"),
    ],
    "leaders": [],
    "commitments": [],
    "metrics": [],
}


def base_rows() -> dict[str, list[dict]]:
    """A fresh, editable copy of the small data set."""
    return copy.deepcopy(BASE_ROWS)


def tables_from(rows: dict[str, list[dict]]) -> dict[str, pd.DataFrame]:
    return {name: frame(name, rows.get(name, [])) for name in TABLES}


def texts_from(rows: dict[str, list[dict]]) -> dict[str, str]:
    """A text for each document of the rows: n_chars spaces with every fact's quote at its offsets (where
    a test's quotes overlap, the later one is written over the earlier)."""
    texts = {}
    for doc in rows["documents"]:
        chars = [" "] * doc["n_chars"]
        for name in TABLES:
            for row in rows.get(name, []) if TABLES[name].is_fact_table else []:
                if row["document_id"] == doc["document_id"]:
                    start = row["char_start"]
                    chars[start : start + len(row["quote"])] = row["quote"]
        texts[doc["document_id"]] = "".join(chars)[: doc["n_chars"]]
    return texts


def publish_rows(releases_dir: Path, rows: dict[str, list[dict]], **kwargs) -> PublishOutcome:
    """Publish hand-built rows with the real DuckDB writer and the real verification, then render the
    catalogue page, as the release run does (the documents' texts made from the rows' quotes)."""
    kwargs.setdefault("created", CREATED)
    kwargs.setdefault("verify", verify_release)
    kwargs.setdefault("texts", texts_from(rows))
    outcome = publish(tables_from(rows), releases_dir, build_database, **kwargs)
    write_catalogue(releases_dir)
    return outcome


@contextmanager
def tables_without(*names: str):
    """TABLES as if these tables had not existed; restored afterwards in its original order (other
    code iterates TABLES, so monkeypatch.delitem, which re-inserts at the end, is not enough)."""
    saved = dict(TABLES)
    for name in names:
        del TABLES[name]
    try:
        yield
    finally:
        TABLES.clear()
        TABLES.update(saved)
