"""DuckDB: the pipeline's own warehouse and the read-only database file shipped in each release.

Tables are created from the derived DDL (with ``COMMENT ON`` every table and column) and filled by
name, never by position: each insert lists its columns and reads a registered DataFrame, so a
reordered or added column can never swap values. No text from documents is ever spliced into SQL.
Does not belong here: the table definitions (``schemas``) or deciding what is published.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pandas as pd

from schemas.ddl import ddl
from schemas.tables import TABLES


def load_tables(con: duckdb.DuckDBPyConnection, tables: dict[str, pd.DataFrame]) -> dict[str, int]:
    """(Re)create every table and insert its rows by column name; returns row counts.

    One transaction: each statement on its own would commit (and log) on its own, and the hundred
    COMMENT ON statements then cost more than the rows."""
    counts = {}
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("\n".join([f'DROP TABLE IF EXISTS "{name}";' for name in reversed(list(TABLES))]
                              + [statement for table in TABLES.values() for statement in ddl(table)]))
        for name, table in TABLES.items():
            con.register("incoming", tables[name][table.field_names])
            columns = ", ".join(f'"{c}"' for c in table.field_names)
            counts[name] = con.execute(f'INSERT INTO "{name}" ({columns}) SELECT {columns} FROM incoming').fetchone()[0]
            con.unregister("incoming")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return counts


# One thread: the tables are small, and each extra thread costs start-up time and buffers of its own.
CONNECTION_CONFIG = {"threads": 1}


def write_warehouse(path: Path, tables: dict[str, pd.DataFrame]) -> dict[str, int]:
    """Replace the pipeline's warehouse file atomically (built beside it, then renamed)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    with duckdb.connect(str(tmp), config=CONNECTION_CONFIG) as con:
        counts = load_tables(con, tables)
        con.execute("CHECKPOINT")
    os.replace(tmp, path)
    return counts


# Written in an older storage format so that DuckDB CLIs from 1.5 on (the one `make shell` installs,
# and whatever users have) can open it, not only the library version that wrote it.
RELEASE_STORAGE_VERSION = "v1.5.0"


def build_release_database(path: Path, tables: dict[str, pd.DataFrame]) -> None:
    """The DuckDB file in a release: same tables and comments as the CSVs, ready for duckdb -readonly."""
    with duckdb.connect(config=CONNECTION_CONFIG) as con:
        con.execute("ATTACH ? AS release_db (STORAGE_VERSION '" + RELEASE_STORAGE_VERSION + "')", [str(path)])
        con.execute("USE release_db")
        load_tables(con, tables)
        con.execute("CHECKPOINT release_db")
