"""DuckDB: the pipeline's own warehouse and the read-only database file shipped in each release (a
copy of the warehouse when both come from the same tables).

Tables are created from the derived DDL (with ``COMMENT ON`` every table and column) and filled by
name, never by position: each insert lists its columns and reads a registered DataFrame, so a
reordered or added column can never swap values. No text from documents is ever spliced into SQL.
Does not belong here: the table definitions (``schemas``) or deciding what is published.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import duckdb
import pandas as pd

from pipelines.publish.store import BrokenStateError, is_no_space, no_space_message
from schemas.ddl import ddl
from schemas.tables import TABLES


def load_tables(con: duckdb.DuckDBPyConnection, tables: Mapping[str, pd.DataFrame]) -> dict[str, int]:
    """(Re)create every table and insert its rows by column name; returns row counts.

    Few transactions: each statement on its own would commit (and log) on its own, and the hundred
    COMMENT ON statements then cost more than the rows. But DuckDB keeps a transaction's rows in
    memory, uncompressed, until it commits: once a transaction holds CHECKPOINT_ROWS rows it is
    committed and checkpointed (compressed into the file) before the next table, so memory follows
    the largest table, not the sum of them. Each table is taken from `tables` once (it may be
    loaded on demand). The caller builds into a file nobody reads yet."""
    counts = {}
    con.execute("BEGIN TRANSACTION")
    in_transaction = True
    try:
        con.execute(
            "\n".join(
                [f'DROP TABLE IF EXISTS "{name}";' for name in reversed(list(TABLES))]
                + [statement for table in TABLES.values() for statement in ddl(table)]
            )
        )
        pending = 0
        for name, table in TABLES.items():
            if pending >= CHECKPOINT_ROWS:
                con.execute("COMMIT")
                in_transaction = False
                con.execute("CHECKPOINT")
                con.execute("BEGIN TRANSACTION")
                in_transaction, pending = True, 0
            # Registered as it is: selecting the columns in pandas first would copy the table.
            con.register("incoming", tables[name])
            columns = ", ".join(f'"{c}"' for c in table.field_names)
            inserted = con.execute(f'INSERT INTO "{name}" ({columns}) SELECT {columns} FROM incoming').fetchone()
            assert inserted is not None  # an INSERT returns one row, its count
            counts[name] = inserted[0]
            con.unregister("incoming")
            pending += counts[name]
        con.execute("COMMIT")
    except BaseException:
        if in_transaction:
            con.execute("ROLLBACK")
        raise
    return counts


# Rows a transaction may hold before it is committed and checkpointed (see load_tables).
CHECKPOINT_ROWS = 5_000
# One thread: the tables are small, and each extra thread costs start-up time and buffers of its own.
CONNECTION_CONFIG: dict[str, str | bool | int | float | list[str]] = {"threads": 1}

# Written in an older storage format so that DuckDB CLIs from 1.5 on (the one `make shell` installs,
# and whatever users have) can open it, not only the library version that wrote it.
STORAGE_VERSION = "v1.5.0"


def build_database(path: Path, tables: Mapping[str, pd.DataFrame]) -> dict[str, int]:
    """A DuckDB file at path (new) holding the tables, with their comments; returns row counts. The
    same file serves as the pipeline's warehouse and, copied, as the DuckDB file of a release."""
    with duckdb.connect(config=CONNECTION_CONFIG) as con:
        con.execute("ATTACH ? AS db (STORAGE_VERSION '" + STORAGE_VERSION + "')", [str(path)])
        con.execute("USE db")
        counts = load_tables(con, tables)
        con.execute("CHECKPOINT db")
    return counts


def write_warehouse(path: Path, tables: Mapping[str, pd.DataFrame], releases_dir: Path | None = None) -> dict[str, int]:
    """Replace the pipeline's warehouse file atomically (built beside it, then renamed). A failure
    leaves no temporary file behind (nor DuckDB's write-ahead log of it), and removes those an
    earlier run that died left; a full disk raises BrokenStateError (releases_dir: where the latest
    version is, to estimate the space a run needs)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    for left in path.parent.glob(f".{path.name}.tmp-*"):  # and their .wal
        pid = left.name.removesuffix(".wal").rpartition("-")[2]
        if not pid.isdigit() or int(pid) == os.getpid() or not _alive(int(pid)):
            left.unlink(missing_ok=True)
    try:
        counts = build_database(tmp, tables)
    except BaseException as err:
        _remove_temporary(tmp)
        if is_no_space(err):
            raise BrokenStateError(no_space_message(tmp, releases_dir or path.parent)) from err
        raise
    os.replace(tmp, path)
    _remove_temporary(tmp)  # DuckDB removes its log when it closes the file; a leftover one is stale
    return counts


def _remove_temporary(tmp: Path) -> None:
    tmp.unlink(missing_ok=True)
    tmp.with_name(tmp.name + ".wal").unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True
