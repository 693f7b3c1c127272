"""DuckDB DDL (CREATE TABLE + COMMENT ON) derived from the table definitions.

Comments are SQL string literals built from our own metadata, quoted by ``sql_literal``;
data never goes through this module (rows are inserted with parameters elsewhere).
"""

from __future__ import annotations

from schemas.tables import Table

DUCKDB_TYPES = {"string": "VARCHAR", "date": "VARCHAR", "integer": "BIGINT", "number": "DOUBLE", "boolean": "BOOLEAN"}


def sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def create_table_sql(table: Table) -> str:
    cols = [f'    "{f.name}" {DUCKDB_TYPES[f.type]}{" NOT NULL" if f.required else ""}' for f in table.fields]
    cols.append("    PRIMARY KEY (" + ", ".join(f'"{c}"' for c in table.primary_key) + ")")
    return f'CREATE TABLE "{table.name}" (\n' + ",\n".join(cols) + "\n);"


def comment_sql(table: Table) -> list[str]:
    text = " ".join(filter(None, (f"{table.title}: {table.description}", table.usage_text)))
    out = [f'COMMENT ON TABLE "{table.name}" IS {sql_literal(text)};']
    out += [f'COMMENT ON COLUMN "{table.name}"."{f.name}" IS {sql_literal(f.description)};' for f in table.fields]
    return out


def ddl(table: Table) -> list[str]:
    return [create_table_sql(table), *comment_sql(table)]
