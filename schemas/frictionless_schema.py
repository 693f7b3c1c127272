"""Frictionless Table Schemas derived from the table definitions.

Partial dates (``1967``, ``2012-07``) are ``string`` fields with a ``pattern``: a Frictionless
``date`` would invent a month and day. Does not belong here: writing files or hashing them.
"""

from __future__ import annotations

from schemas.tables import Table

FRICTIONLESS_TYPES = {
    "string": "string",
    "date": "string",
    "integer": "integer",
    "number": "number",
    "boolean": "boolean",
}


def field_descriptor(f) -> dict:
    constraints: dict = {}
    if f.required:
        constraints["required"] = True
    if f.enum:
        constraints["enum"] = list(f.enum)
    if f.pattern:
        constraints["pattern"] = f.pattern
    if f.minimum is not None:
        constraints["minimum"] = f.minimum if f.type == "number" else int(f.minimum)
    if f.maximum is not None:
        constraints["maximum"] = f.maximum if f.type == "number" else int(f.maximum)
    if f.exclusive_minimum is not None:
        constraints["exclusiveMinimum"] = f.exclusive_minimum
    if f.max_length is not None:
        constraints["maxLength"] = f.max_length
    descriptor = {"name": f.name, "type": FRICTIONLESS_TYPES[f.type], "description": f.description}
    if f.type == "date":
        descriptor["format"] = "default"
        descriptor["description"] += " ISO 8601 at the precision the source gives (YYYY, YYYY-MM or YYYY-MM-DD)."
    if f.type == "boolean":
        descriptor["trueValues"] = ["true"]
        descriptor["falseValues"] = ["false"]
    if f.unit:
        descriptor["unit"] = f.unit
    if constraints:
        descriptor["constraints"] = constraints
    return descriptor


def table_schema(table: Table) -> dict:
    schema = {
        "$schema": "https://datapackage.org/profiles/2.0/tableschema.json",
        "fields": [field_descriptor(f) for f in table.fields],
        "primaryKey": list(table.primary_key),
        "missingValues": [""],
    }
    if table.foreign_keys:
        schema["foreignKeys"] = [
            {"fields": col, "reference": {"resource": ref_table, "fields": ref_col}}
            for col, ref_table, ref_col in table.foreign_keys
        ]
    return schema
