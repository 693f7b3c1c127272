"""Table definitions and everything derived from them (Pandera, Frictionless, DuckDB DDL, data dictionary).

Only metadata lives in this package: no extraction, no I/O beyond rendering text.
"""

from schemas.tables import FACT_TABLES, FIELDS, TABLES, Field, Table

__all__ = ["FACT_TABLES", "FIELDS", "TABLES", "Field", "Table"]
