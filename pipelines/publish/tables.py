"""Fact rows to typed tables: column order, dtypes, stable ids and a deterministic row order.

Belongs here: turning the extractors' row dicts into DataFrames shaped exactly as ``schemas``
defines each table, the ``documents`` table, writing a table to CSV and to Parquet deterministically
and reading them back, which resources of a datapackage.json are the tables' CSVs, and what a
missing cell is.
Does not belong here: validation (``schemas.validation``) or publishing (``pipelines.publish.release``).
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipelines.documents import Document, with_site_publisher
from pipelines.raw_sources import SourceRow, unlisted
from schemas.arrow_schema import arrow_schema
from schemas.frictionless_schema import table_schema
from schemas.tables import TABLES, Table

DTYPES = {"string": object, "date": object, "integer": "Int64", "number": "float64", "boolean": "boolean"}


def is_missing(value) -> bool:
    """A cell with no value: None, NaN or pandas' NA (a string, even empty, is a value)."""
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def plain_value(value):
    """A cell as a plain Python value for JSON: None when missing, numpy scalars unwrapped."""
    if is_missing(value):
        return None
    return value.item() if hasattr(value, "item") else value


def _identity_hash(table: Table, row: dict) -> str:
    key = "\x1f".join(str(row.get(c)) for c in (table.name, *table.identity))
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]


def assign_fact_ids(table: Table, rows: list[dict]) -> tuple[list[dict], list[str]]:
    """The rows in document and offset order, and the fact_id of each: document / table / hash of
    the fact's identity, with an ordinal for repeats. The rows themselves are not copied.

    The identity leaves out the value, so a changed number keeps its id and shows as a change."""
    counts: dict[str, int] = {}
    ordered = sorted(rows, key=lambda r: (r["document_id"], r["char_start"], r["char_end"]))
    ids = []
    for row in ordered:
        base = f"{row['document_id']}/{table.name}/{_identity_hash(table, row)}"
        n = counts.get(base, 0)
        counts[base] = n + 1
        ids.append(base if n == 0 else f"{base}-{n + 1}")
    return ordered, ids


def frame(table_name: str, rows: list[dict]) -> pd.DataFrame:
    """A DataFrame with exactly the table's columns, dtypes and a deterministic order."""
    table = TABLES[table_name]
    ids = None
    if table.is_fact_table:
        rows, ids = assign_fact_ids(table, rows)
    data = {
        f.name: pd.Series(
            ids if ids is not None and f.name == "fact_id" else [r.get(f.name) for r in rows], dtype=DTYPES[f.type]
        )
        for f in table.fields
    }
    df = pd.DataFrame(data, columns=table.field_names)
    sort = ["document_id", "char_start", "char_end", "fact_id"] if table.is_fact_table else list(table.primary_key)
    return df.sort_values(sort, kind="mergesort").reset_index(drop=True)


def documents_frame(docs: list[Document], sources: Mapping[str, SourceRow] | None = None) -> pd.DataFrame:
    """One row per document: what it states of itself, joined with where it came from (its row of
    raw/sources.csv, by file name; a file the sources do not list says so in source_note)."""
    sources = sources or {}
    rows = []
    for d in docs:
        source = sources.get(d.file_name, unlisted(d.file_name))
        d = with_site_publisher(d, source.url)  # a page that names no publisher: its URL's site does
        rows.append(
            dict(
                document_id=d.document_id,
                file_name=d.file_name,
                title=d.title,
                language=d.language,
                publisher=d.publisher,
                published=d.published,
                sha256=d.sha256,
                n_chars=d.n_chars,
                **source.documents_columns(),
            )
        )
    return frame("documents", rows)


def _number_cell(value) -> str:
    v = float(value)
    if math.isfinite(v) and v == int(v) and abs(v) < 2**53:
        return str(int(v))
    return format(v, ".15g")


# How a present value of each type is written (a missing value is an empty cell).
CELL_TEXT: dict[str, Callable[[Any], str]] = {
    "boolean": lambda v: "true" if bool(v) else "false",
    "integer": lambda v: str(int(v)),
    "number": _number_cell,
    "string": str,
    "date": str,
}
CSV_CHUNK_ROWS = 10_000


def write_csv(table_name: str, df: pd.DataFrame, path: Path) -> None:
    """UTF-8 CSV, header row, LF line ends, numbers in their shortest exact form: byte-identical
    for identical data. Cells are written as they are (no formula escaping: see README). Written
    column by column in chunks of rows, so the text of a large table is never held in memory whole."""
    table = TABLES[table_name]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(table.field_names)
        for start in range(0, len(df), CSV_CHUNK_ROWS):
            part = df.iloc[start : start + CSV_CHUNK_ROWS]
            columns = []
            for f in table.fields:
                text = CELL_TEXT[f.type]
                columns.append(
                    [
                        "" if missing else text(v)
                        for v, missing in zip(part[f.name].tolist(), part[f.name].isna().tolist())
                    ]
                )
            writer.writerows(zip(*columns))


# Everything that decides a Parquet file's bytes besides its rows and schema, fixed so that the same
# rows give the same bytes (with the pinned pyarrow, whose version is written in the file's
# created_by): one row group up to a million rows, zstd at a fixed level, dictionary pages,
# statistics, no page index, no pandas metadata (the schema is built here, not from a DataFrame).
# Why pyarrow and not DuckDB's COPY ... (FORMAT parquet): pandas and frictionless read Parquet through
# pyarrow anyway, only Arrow's schema keeps a description per column, and it is faster (2026-12-07, 2
# shared cores, best of three, every table of 1.1.0 written: 0.13 s against 0.33 s; 100 times its
# rows: 0.69 s against 1.12 s).
PARQUET_OPTIONS: dict[str, Any] = {
    "compression": "zstd",
    "compression_level": 9,
    "row_group_size": 1_000_000,
    "version": "2.6",
    "data_page_version": "1.0",
    "use_dictionary": True,
    "write_statistics": True,
    "write_page_index": False,
    "store_schema": True,
}
# How pyarrow gives a Parquet column to pandas so that it has the table's dtypes (DTYPES).
PANDAS_TYPES = {pa.int64(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype()}


def write_parquet(table_name: str, csv_path: Path, path: Path) -> None:
    """The table's Parquet file, made from its CSV as written (``write_csv``), so both hold the same
    values: a number is exactly the CSV's text read back. Typed by ``schemas.arrow_schema``, with
    every column's description in the file's metadata."""
    table = TABLES[table_name]
    df = read_csv_table(table_name, csv_path.read_bytes())
    schema = arrow_schema(table)
    arrays = [pa.array(df[f.name], type=schema.field(f.name).type, from_pandas=True) for f in table.fields]
    pq.write_table(pa.Table.from_arrays(arrays, schema=schema), path, **PARQUET_OPTIONS)


def read_parquet_table(path: Path) -> pd.DataFrame:
    """A published Parquet file as a DataFrame with the table's dtypes (as ``read_csv_table`` types a CSV)."""
    return pq.read_table(path).to_pandas(types_mapper=PANDAS_TYPES.get)


def csv_resources(package: dict) -> list[dict]:
    """The tables' CSV resources of a datapackage.json (newer releases list each table as Parquet too)."""
    return [res for res in package.get("resources", []) if res.get("format", "csv") == "csv"]


def read_csv_table(table_name: str, data: bytes) -> pd.DataFrame:
    """Read a published CSV back into the table's dtypes (for diffs and reproducibility checks)."""
    return read_published_csv(data, table_schema(TABLES[table_name])["fields"])


# How a published cell is read back, by Frictionless field type (an empty cell is missing).
CELL_VALUE: dict[str, Callable[[str], Any]] = {"integer": int, "number": float, "boolean": lambda v: v == "true"}


def read_published_csv(data: bytes, fields: list[dict]) -> pd.DataFrame:
    """A released CSV read with the Frictionless field types given (an older release may type a column
    differently from today's schema, and must still be readable to diff against). Only the columns of
    the fields given are read."""
    wanted = {f["name"] for f in fields}
    raw = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, na_values=[], usecols=wanted.__contains__)
    out = {}
    for f in fields:
        value = CELL_VALUE.get(f["type"], str)
        col = [None if v == "" else value(v) for v in (raw[f["name"]] if f["name"] in raw.columns else [""] * len(raw))]
        if f["type"] == "integer":
            out[f["name"]] = pd.array(col, dtype="Int64")
        elif f["type"] == "number":
            out[f["name"]] = pd.Series([math.nan if v is None else v for v in col], dtype="float64")
        elif f["type"] == "boolean":
            out[f["name"]] = pd.array(col, dtype="boolean")
        else:
            out[f["name"]] = pd.Series(col, dtype=object)
    return pd.DataFrame(out, columns=[f["name"] for f in fields])


def read_published_rows(data: bytes, fields: list[dict]) -> list[list]:
    """A released CSV's rows as lists of plain values in the order of the fields given, typed as
    ``read_published_csv`` types them (None for an empty cell or a field the file lacks). For a few
    rows, where building DataFrames costs more than the work, and for comparing rows one by one."""
    return typed_rows(csv.reader(io.StringIO(data.decode("utf-8"), newline="")), fields)


def typed_rows(records: Iterable[list[str]], fields: list[dict]) -> list[list]:
    """CSV records already split into cells, the header first, typed as ``read_published_rows`` types them."""
    records = iter(records)
    at = {name: i for i, name in enumerate(next(records, []))}
    readers = [(at.get(f["name"]), CELL_VALUE.get(f["type"], str)) for f in fields]
    return [[None if i is None or row[i] == "" else value(row[i]) for i, value in readers] for row in records]
