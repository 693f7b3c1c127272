"""raw/sources.csv: where each raw file came from (URL, access date, licence, a note), and adding a file.

Belongs here: reading raw/sources.csv and checking it against its definition (``schemas.tables.RAW_SOURCES``)
and against the files of raw/ (a row naming no file of raw/, a bad date or URL, a repeated row: one
``SourcesError`` naming raw/sources.csv and the rows); writing it sorted and byte-deterministic; and
``add_document``, which copies a downloaded file into raw/ byte for byte and records its row, refusing
a duplicate. It is read where the ``documents`` table is built, never by extraction: a change to it
changes the documents table (a new release) without re-extracting anything.
Does not belong here: decoding a document (``pipelines.documents``), the documents table
(``pipelines.publish.tables``), the command line (``pipelines.cli``).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from pipelines.documents import (
    DOCUMENT_SUFFIXES,
    SOURCES_FILE_NAME,
    DocumentError,
    document_id_for,
    list_document_paths,
    read_document,
    shown,
    text_digest,
)
from schemas.tables import RAW_SOURCES, Field

COLUMNS = tuple(RAW_SOURCES.field_names)
# Said in the documents table of a file raw/sources.csv does not list.
NOT_LISTED = "not listed in raw/sources.csv: no URL, access date or licence recorded"


class SourcesError(ValueError):
    """raw/sources.csv (or a file offered to it) is not as it must be; the message names the file and rows."""


@dataclass(frozen=True)
class SourceRow:
    """One row of raw/sources.csv: its fields are ``COLUMNS``, in order (None for an empty cell)."""

    file_name: str
    url: str | None
    accessed: str | None
    licence: str | None
    note: str | None

    def documents_columns(self) -> dict[str, str | None]:
        """The columns this row gives the documents table (``schemas.tables.SOURCE_COLUMNS``)."""
        return {"url": self.url, "accessed": self.accessed, "licence": self.licence, "source_note": self.note}


def sources_path(raw_dir: Path) -> Path:
    return Path(raw_dir) / SOURCES_FILE_NAME


def unlisted(file_name: str) -> SourceRow:
    """What the documents table says of a raw file raw/sources.csv does not list."""
    return SourceRow(file_name, None, None, None, NOT_LISTED)


def field_problem(field: Field, value: str | None, today: dt.date) -> str | None:
    """Why a cell breaks its column's definition (required, pattern; a real day, not in the future)."""
    if value is None:
        return f"{field.name} is required" if field.required else None
    if value != value.strip() or "\n" in value or "\r" in value:
        return f"{field.name} {value!r} has leading or trailing spaces or a line break"
    if field.pattern and not re.fullmatch(field.pattern, value):
        kind = {"date": "a day (YYYY-MM-DD)", "string": "of the expected form"}.get(field.type, field.type)
        if field.name == "url":
            kind = "an http(s) URL"
        return f"{field.name} {value!r} is not {kind}"
    if field.type == "date":
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            return f"{field.name} {value!r} is not a day of the calendar"
        if day > today:
            return f"{field.name} {value!r} is in the future"
    if field.name == "url" and not urlsplit(value).hostname:
        return f"url {value!r} has no host"
    return None


def row_problems(row: SourceRow, today: dt.date | None = None) -> list[str]:
    """Why one row is not valid on its own (its file name, each cell, a reason for what is missing)."""
    today = today or dt.datetime.now(dt.UTC).date()
    values = {column: getattr(row, column) for column in COLUMNS}
    problems = [p for f in RAW_SOURCES.fields if (p := field_problem(f, values[f.name], today))]
    if row.file_name and (
        "/" in row.file_name
        or "\\" in row.file_name
        or row.file_name.startswith(".")
        or Path(row.file_name).suffix.lower() not in DOCUMENT_SUFFIXES
    ):
        problems.append(
            f"file name {shown(row.file_name)!r} is not a document of raw/ (a file name ending in "
            f"{', '.join(DOCUMENT_SUFFIXES)}, no folder)"
        )
    for column, missing in (("url", "no URL known"), ("accessed", "access date not recorded")):
        if values[column] is None and not row.note:
            problems.append(f"{column} is empty: say why in note (e.g. '{missing}: ...')")
    return problems


def _cell(value: str) -> str | None:
    return value if value != "" else None


def parse_sources(data: bytes, where: str = f"raw/{SOURCES_FILE_NAME}") -> list[SourceRow]:
    """The rows of a sources file, each checked on its own and for repeats; SourcesError lists every
    bad row in one line."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise SourcesError(f"{where}: not UTF-8 (invalid byte at offset {err.start}); save it as UTF-8") from None
    records = list(csv.reader(io.StringIO(text, newline="")))
    if not records or tuple(records[0]) != COLUMNS:
        got = ",".join(records[0]) if records else "nothing"
        raise SourcesError(f"{where}: the header must be {','.join(COLUMNS)} (found {got})")
    rows: list[SourceRow] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for number, record in enumerate(records[1:], start=2):  # line 1 is the header
        if not any(record):
            continue
        if len(record) != len(COLUMNS):
            problems.append(f"row {number}: {len(record)} cells for {len(COLUMNS)} columns")
            continue
        row = SourceRow(record[0], *map(_cell, record[1:]))  # SourceRow's fields are COLUMNS, in order
        name = shown(row.file_name) or "(no file name)"
        if row.file_name in seen:
            problems.append(f"row {number} ({name}): repeats row {seen[row.file_name]}; keep one row per file")
            continue
        seen[row.file_name] = number
        problems += [f"row {number} ({name}): {p}" for p in row_problems(row)]
        rows.append(row)
    if problems:
        raise SourcesError(f"{where}: " + "; ".join(problems))
    return rows


def read_sources(raw_dir: Path, file_names: set[str] | None = None) -> dict[str, SourceRow]:
    """file name -> row of raw/sources.csv (empty when there is none). With file_names (the documents
    of raw/), a row naming no such document is an error too."""
    path = sources_path(raw_dir)
    if not path.is_file():
        return {}
    rows = parse_sources(path.read_bytes())
    if file_names is not None:
        missing = [r.file_name for r in rows if r.file_name not in file_names]
        if missing:
            raise SourcesError(
                f"raw/{SOURCES_FILE_NAME}: rows for files not in raw/: {', '.join(map(shown, missing))} "
                "(put the file back, or remove its row)"
            )
    return {r.file_name: r for r in rows}


def sources_bytes(rows: list[SourceRow]) -> bytes:
    """raw/sources.csv as written: header, rows sorted by file name, LF line ends, UTF-8 without BOM."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(COLUMNS)
    for r in sorted(rows, key=lambda r: r.file_name):
        writer.writerow([getattr(r, column) or "" for column in COLUMNS])
    return out.getvalue().encode("utf-8")


def _write_atomic(path: Path, data: bytes) -> None:
    handle, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def add_document(
    raw_dir: Path, file: Path, url: str, accessed: str, licence: str | None = None, note: str | None = None
) -> SourceRow:
    """Copy a downloaded file into raw/ byte for byte and record its row in raw/sources.csv.

    Refused with a SourcesError (nothing written) when the file is not a readable document, or raw/
    already holds a file of that name or document id, the same bytes, or the same text; or when the
    URL, the date or raw/sources.csv itself is not valid."""
    raw_dir, file = Path(raw_dir), Path(file)
    name = shown(file.name)
    if not raw_dir.is_dir():
        raise SourcesError(f"raw documents folder not found: {raw_dir} (run the command in the project folder)")
    if not file.is_file():
        raise SourcesError(f"{name}: no such file")
    row = SourceRow(file.name, url or None, accessed or None, licence or None, note or None)
    if problems := row_problems(row):
        raise SourcesError(f"{name}: " + "; ".join(problems))
    try:
        doc = read_document(file)
    except DocumentError as err:
        raise SourcesError(str(err)) from None
    except OSError as err:
        raise SourcesError(f"{name}: unreadable: {err.strerror or err}") from None
    rows = read_sources(raw_dir)
    if file.name in rows or (raw_dir / file.name).exists():
        raise SourcesError(f"{name}: raw/ already has a file of that name (rename it, or remove the old one)")
    digest, text = hashlib.sha256(file.read_bytes()).hexdigest(), text_digest(doc.text)
    for path in list_document_paths(raw_dir):
        try:
            other = read_document(path)
        except (DocumentError, OSError):
            continue  # the run names a bad document; it is no duplicate of a good one
        if other.sha256 == digest:
            raise SourcesError(f"{name}: duplicate document: same bytes as raw/{shown(path.name)}")
        if text_digest(other.text) == text:
            raise SourcesError(f"{name}: duplicate document: same text as raw/{shown(path.name)}")
        if document_id_for(path) == doc.document_id:
            raise SourcesError(
                f"{name}: document id {doc.document_id!r} clashes with raw/{shown(path.name)} (rename the file)"
            )
    # Copied under a hidden name (raw/ readers skip it) and renamed: a run never sees half a file.
    target, partial = raw_dir / file.name, raw_dir / f".add-{file.name}"
    try:
        shutil.copyfile(file, partial)
        os.replace(partial, target)
        _write_atomic(sources_path(raw_dir), sources_bytes([*rows.values(), row]))
    except BaseException:
        partial.unlink(missing_ok=True)
        target.unlink(missing_ok=True)
        raise
    return row
