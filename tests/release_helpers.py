"""Helpers shared by the release and catalogue tests: small hand-built tables, publishing them, and
hashing a folder so that tests can compare it byte for byte.

Belongs here: building valid tables without running the pipeline and reading folders back.
Does not belong here: fixtures that run the pipeline (``conftest.py``) or assertions (the test modules).
"""

from __future__ import annotations

import copy
import hashlib
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from pipelines.release import PublishOutcome, publish, verify_release
from pipelines.tables import frame
from pipelines.warehouse import build_release_database
from schemas.tables import TABLES

CREATED = "2024-01-02T03:04:05Z"


def _fact(document_id: str, start: int, quote: str, **values) -> dict:
    return {**values, "document_id": document_id, "char_start": start, "char_end": start + len(quote),
            "quote": quote}


BASE_ROWS: dict[str, list[dict]] = {
    "documents": [
        {"document_id": "doc-a", "file_name": "doc-a.txt", "title": "Briefing A", "language": "en",
         "publisher": "MOFA", "published": "2023-12", "sha256": "a" * 64, "n_chars": 900},
    ],
    "events": [
        _fact("doc-a", 0, "1977-08 first summit", date="1977-08", description="first summit"),
        _fact("doc-a", 30, "2023-12-17 special summit", date="2023-12-17", description="special summit"),
    ],
    "meetings": [
        _fact("doc-a", 60, "Special summit, Tokyo, 17 December 2023", date="2023-12-17", name="Special summit",
              host_country="JPN", city="Tokyo", special_50th=True),
    ],
    "projects": [
        _fact("doc-a", 100, "DELSA Phase 1 (2012-07 to 2018-01) about USD 12.3 million", project_id="delsa-phase-1",
              title="DELSA Phase 1", programme="DELSA", phase=1, start_date="2012-07", end_date="2018-01",
              budget_amount=12300000.0, budget_currency="USD", funder="JAIF", approximate=True),
        _fact("doc-a", 170, "DELSA Phase 2 about USD 7.3 million", project_id="delsa-phase-2", title="DELSA Phase 2",
              programme="DELSA", phase=2, budget_amount=7300000.0, budget_currency="USD", funder="JAIF",
              approximate=True),
        _fact("doc-a", 220, "ACE Phase 1 about USD 2.8 million", project_id="ace-phase-1", title="ACE Phase 1",
              programme="ACE", phase=1, budget_amount=2800000.0, budget_currency="USD", funder="JAIF",
              approximate=True),
    ],
    "indicators": [
        _fact("doc-a", 300, "Cambodia population 16.77 million", entity_code="KHM", indicator="population",
              value=16770000.0, approximate=False),
        _fact("doc-a", 340, "Cambodia GDP per capita USD 1,786", entity_code="KHM",
              indicator="gdp_per_capita_usd", value=1786.0, approximate=False),
        _fact("doc-a", 380, "Singapore population 5.63 million", entity_code="SGP", indicator="population",
              value=5630000.0, approximate=False),
        _fact("doc-a", 420, "Singapore GDP per capita USD 82,808", entity_code="SGP",
              indicator="gdp_per_capita_usd", value=82808.0, approximate=False),
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


def publish_rows(releases_dir: Path, rows: dict[str, list[dict]], **kwargs) -> PublishOutcome:
    """Publish hand-built rows with the real DuckDB writer and the real verification."""
    kwargs.setdefault("created", CREATED)
    kwargs.setdefault("verify", verify_release)
    return publish(tables_from(rows), releases_dir, build_release_database, **kwargs)


def tree_digest(folder: Path) -> dict[str, str]:
    """relative path -> SHA-256 of every file under folder, hidden ones included."""
    folder = Path(folder)
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


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
