"""Extraction: one document's text in, its facts out, one family of statements per module.

``extract_document`` runs every family in a fixed order; a later family leaves alone the numbers
an earlier one already stated (a GDP is a statistic, not a commitment; a budget belongs to its
project). Each family module is a plain function of a ``Source`` and can be called on its own.
Does not belong here: reading files (``pipelines.documents``) or building tables (``pipelines.publish.tables``).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from pipelines.documents import Document
from pipelines.extract.base import Source
from pipelines.extract.meetings import extract_meetings
from pipelines.extract.memberships import extract_memberships
from pipelines.extract.money import extract_commitments, money_matches
from pipelines.extract.projects import extract_projects
from pipelines.extract.quantities import extract_metrics
from pipelines.extract.statistics import extract_statistics
from pipelines.extract.timeline import extract_events, find_dates

FAMILIES = ("indicators", "leaders", "events", "projects", "meetings", "commitments", "memberships", "metrics")


def source_for(doc: Document) -> Source:
    return Source(doc.document_id, doc.text, doc.published, doc.language)


def _spans(rows: list[dict]) -> list[tuple[int, int]]:
    return [(r["char_start"], r["char_end"]) for r in rows]


def extract_source(src: Source) -> dict[str, list[dict]]:
    """All facts of one document, by table."""
    facts: dict[str, list[dict]] = {}
    facts.update(extract_statistics(src))
    facts.update(extract_events(src))
    facts.update(extract_projects(src))
    facts.update(extract_meetings(src))
    stated = _spans(facts["indicators"]) + _spans(facts["projects"])
    facts.update(extract_commitments(src, exclude=stated))
    facts.update(extract_memberships(src))
    money = [(m.start(), m.end()) for m in money_matches(src)]
    dates = [(d.start, d.end) for d in find_dates(src)]
    facts.update(extract_metrics(src, exclude=stated + _spans(facts["meetings"]) + money + dates))
    return {family: facts[family] for family in FAMILIES}


def extract_document(doc: Document) -> tuple[dict[str, list[dict]], list[dict]]:
    """(facts by table, statements seen but not made facts with the reason)."""
    src = source_for(doc)
    return extract_source(src), src.skipped


# The code that turns a document into facts: this package, and the modules below it that it reads with.
EXTRACTION_SOURCES = [
    Path(__file__).parent,
    Path(__file__).parent.parent / "normalize.py",
    Path(__file__).parent.parent / "documents.py",
]


def extractor_version() -> str:
    """Hash of the code that turns a document into facts: a change re-extracts every document."""
    h = hashlib.sha256()
    for p in EXTRACTION_SOURCES:
        for f in sorted(p.rglob("*.py")) if p.is_dir() else [p]:
            h.update(f.name.encode() + f.read_bytes())
    return h.hexdigest()[:16]
