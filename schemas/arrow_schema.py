"""The Arrow schema of each table's Parquet file, derived from the table definitions.

Column types follow the logical types (partial dates stay ISO text, as in the CSV and the Frictionless
schema: a Parquet date would invent a month and day); a required column is not nullable. Every
column's description (and unit) is in its field's metadata, and the table's name, title, description,
usage warnings, primary key and column descriptions are in the schema's metadata, which Parquet keeps
as the file's key-value metadata: readers that ignore Arrow's field metadata (DuckDB's
``parquet_kv_metadata``) still find the descriptions there.
Does not belong here: writing or reading files (``pipelines.publish.tables``).
"""

from __future__ import annotations

import json

import pyarrow as pa

from schemas.tables import Field, Table

ARROW_TYPES = {
    "string": pa.string(),
    "date": pa.string(),
    "integer": pa.int64(),
    "number": pa.float64(),
    "boolean": pa.bool_(),
}


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def arrow_field(f: Field) -> pa.Field:
    metadata = {"description": f.description}
    if f.unit:
        metadata["unit"] = f.unit
    return pa.field(f.name, ARROW_TYPES[f.type], nullable=not f.required, metadata=metadata)


def arrow_schema(table: Table) -> pa.Schema:
    metadata = {
        "name": table.name,
        "title": table.title,
        "description": table.description,
        "usage_warnings": _json(list(table.usage_warnings)),
        "primary_key": _json(list(table.primary_key)),
        "column_descriptions": _json({f.name: f.description for f in table.fields}),
    }
    return pa.schema([arrow_field(f) for f in table.fields], metadata=metadata)
