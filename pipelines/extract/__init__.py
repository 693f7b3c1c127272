"""Extraction: one document's text in, its facts out, one family of statements per module.

Every module of this package that ends with ``FAMILY = Family(...)`` is a family: it is found here,
checked against the fact tables and run in the order its declaration gives (``family.order_families``);
a family is handed the spans of the statements it leaves alone. Each family's extractor is a plain
function of a ``Source`` and can be called on its own. Rows are checked here: a row with a column its
table does not have is an error naming the family, not a silent null.
Does not belong here: reading files (``pipelines.documents``) or building tables (``pipelines.publish.tables``).
"""

from __future__ import annotations

import hashlib
import importlib
import pkgutil
from pathlib import Path

from pipelines.documents import Document
from pipelines.extract.base import Spans
from pipelines.extract.family import Family, order_families
from pipelines.extract.source import Source
from pipelines.formats import library_versions, page_of
from pipelines.normalize import format_chars_note
from schemas.tables import FACT_TABLES, TABLES

# Columns the publisher adds to every fact row (``pipelines.publish.tables``), and the page added here
# from the row's offsets (``with_pages``): never an extractor's.
ASSIGNED_LATER = frozenset({"fact_id", "same_as", "page"})


class ExtractionError(ValueError):
    """A family returned rows its declaration or its tables do not allow."""


def _declared_families() -> tuple[Family, ...]:
    """The FAMILY of every module of this package, in the order the declarations give."""
    found = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        family = getattr(importlib.import_module(f"{__name__}.{info.name}"), "FAMILY", None)
        if isinstance(family, Family):
            found.append(family)
    return order_families(found, FACT_TABLES)


FAMILIES: tuple[Family, ...] = _declared_families()
FACT_TABLE_NAMES: tuple[str, ...] = tuple(t.name for t in FACT_TABLES)
_COLUMNS = {t.name: frozenset(t.field_names) - ASSIGNED_LATER for t in FACT_TABLES}


def source_for(doc: Document) -> Source:
    return Source(doc.document_id, doc.text, doc.published, doc.language, page_starts=doc.page_starts)


def check_rows(family: Family, rows: dict[str, list[dict]]) -> None:
    """Raise ExtractionError when a family returns a table it does not fill, or a row with a column
    its table does not have."""
    if set(rows) != set(family.tables):
        raise ExtractionError(f"family {family.name!r} returned tables {sorted(rows)}, declared {list(family.tables)}")
    for table, table_rows in rows.items():
        allowed = _COLUMNS[table]
        for row in table_rows:
            if unknown := row.keys() - allowed:
                raise ExtractionError(
                    f"family {family.name!r}: a {table} row has columns the table does not have: {sorted(unknown)}"
                    f" (table columns: {TABLES[table].field_names})"
                )


def extract_source(src: Source) -> dict[str, list[dict]]:
    """All facts of one document, by fact table (in the tables' order)."""
    facts: dict[str, list[dict]] = {}
    for family in FAMILIES:
        stated = Spans((r["char_start"], r["char_end"]) for t in family.leaves_alone for r in facts.get(t, []))
        rows = family.extract(src, stated)
        check_rows(family, rows)
        for table, table_rows in rows.items():
            facts.setdefault(table, []).extend(map(_flag_format_chars, table_rows))
    return {table: with_pages(facts.get(table, []), src.page_starts) for table in FACT_TABLE_NAMES}


def with_pages(rows: list[dict], page_starts: tuple[int, ...]) -> list[dict]:
    """The rows, each with the page its quote starts on (None for a document without pages)."""
    for row in rows:
        row["page"] = page_of(page_starts, row["char_start"])
    return rows


def _flag_format_chars(row: dict) -> dict:
    """A row whose quote holds invisible format characters says so in its notes: its numbers were
    read through them (``normalize.fold_text``)."""
    note = format_chars_note(row["quote"])
    if note is None or note in (row.get("notes") or ""):
        return row
    return {**row, "notes": "; ".join(n for n in (row.get("notes"), note) if n)}


def extract_document(doc: Document) -> tuple[dict[str, list[dict]], list[dict]]:
    """(facts by table, statements seen but not made facts with the reason)."""
    src = source_for(doc)
    return extract_source(src), src.skipped


# The code that turns a document into facts: this package, and the modules below it that it reads with.
EXTRACTION_SOURCES = [
    Path(__file__).parent,
    Path(__file__).parent.parent / "normalize.py",
    Path(__file__).parent.parent / "documents.py",
    Path(__file__).parent.parent / "formats.py",
    Path(__file__).parent.parent / "document_header.py",
]


def extractor_version() -> str:
    """Hash of the code that turns a document into facts, and of the versions of the libraries that
    read web pages and PDFs: a change re-extracts every document."""
    h = hashlib.sha256(library_versions().encode())
    for p in EXTRACTION_SOURCES:
        for f in sorted(p.rglob("*.py")) if p.is_dir() else [p]:
            h.update(f.name.encode() + f.read_bytes())
    return h.hexdigest()[:16]
