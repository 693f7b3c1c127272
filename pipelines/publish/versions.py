"""The next version: what changed since the latest release, and which semantic version that calls for.

Belongs here: comparing the new tables with the latest release as published (tables and columns
first, then the rows of each table, the records both CSVs share set aside byte for byte first, one
table's two versions in memory at a time), and the next version number (``bump``: schema removed or
retyped -> major; tables, columns or rows added or removed -> minor; values changed -> patch;
nothing changed -> no release).
Does not belong here: the diff model (``pipelines.publish.diff``), the text of CHANGES.md
(``pipelines.publish.changes``), writing or verifying the package (``pipelines.publish.package``),
releases/ and its index (``pipelines.publish.store``), the steps of a publish (``pipelines.publish.release``).
"""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

from pipelines.publish.changes import table_changes_markdown
from pipelines.publish.diff import KeyedRows, ReleaseDiff, TableDiff, diff_rows, field_types, schema_diff
from pipelines.publish.tables import csv_resources, read_published_rows, typed_rows
from schemas.frictionless_schema import table_schema
from schemas.tables import TABLES

FIRST_VERSION = "1.0.0"


def bump(version: str | None, level: str) -> str:
    if version is None:
        return FIRST_VERSION
    major, minor, patch = (int(x) for x in version.split("."))
    return {"major": f"{major + 1}.0.0", "minor": f"{major}.{minor + 1}.0", "patch": f"{major}.{minor}.{patch + 1}"}[
        level
    ]


# --- Diff -----------------------------------------------------------------------------------------


def diff_release(
    old_package: dict | None, old_folder: Path | None, data_dir: Path, digests: dict[str, str]
) -> tuple[ReleaseDiff, dict[str, list[str]]]:
    """The diff against the previous release and each changed table's part of CHANGES.md, one table
    at a time. Both sides are compared as published (read back from CSV), so they have the same
    types; a table whose CSV bytes and field types equal the previous release's has not changed
    (equal bytes alone are not enough: a retyped column can keep every cell as it was)."""
    diff = schema_diff(old_package, list(TABLES))
    old_resources = {res["name"]: res for res in csv_resources(old_package or {})}
    sections = {}
    for name in TABLES:
        path = data_dir / f"{name}.csv"
        old = old_resources.get(name)
        new_fields = table_schema(TABLES[name])["fields"]
        if (
            old
            and old.get("hash") == "sha256:" + digests[name]
            and field_types(old["schema"]["fields"]) == field_types(new_fields)
        ):
            diff.rows[name] = TableDiff()
            continue
        old_fields = old["schema"]["fields"] if old else []
        if old and (differing := _differing_rows(old_folder / old["path"], path)):
            old_records, new_records = differing
            old_values, new_values = typed_rows(old_records, old_fields), typed_rows(new_records, new_fields)
        else:
            old_values = read_published_rows((old_folder / old["path"]).read_bytes(), old_fields) if old else []
            new_values = read_published_rows(path.read_bytes(), new_fields)
        new_rows = KeyedRows.of(name, new_fields, new_values)
        old_rows = KeyedRows.of(name, old_fields, old_values) if old else None
        diff.rows[name] = diff_rows(old_rows, new_rows, diff.columns_retyped.get(name, []))
        sections[name] = table_changes_markdown(name, diff.rows[name], old_rows, new_rows)
    return diff, sections


def _differing_rows(old_path: Path, new_path: Path) -> tuple[list[list[str]], list[list[str]]] | None:
    """Both CSVs reduced to their header and the records the other file lacks, as parsed records (the
    header first), or None when their headers differ. A record in both files is a row that neither was added, removed nor changed (the
    primary key is one of its cells), so the diff of the reduced files is the diff of the whole ones;
    a patch release then parses and compares a few rows, not every row twice.
    Rows are in document order, so a change is usually one stretch of the file: the records before
    and after it, byte for byte the same in both files, are set aside by comparing bytes, and only
    the stretch left is parsed; its records are matched by a digest (rows may move within it)."""
    old, new = old_path.read_bytes(), new_path.read_bytes()
    header_end = old.find(b"\n") + 1
    if header_end == 0 or old[:header_end] != new[:header_end]:
        return None
    start = _record_start_before(old, max(_common_prefix(old, new), header_end), header_end)
    # The common ending of what follows the common beginning (old[start:] and new[start:], reversed).
    tail = _common_prefix(old[: start - 1 : -1], new[: start - 1 : -1])
    old_end, new_end = _shared_record_start(old, new, len(old) - tail)

    def digested(data: bytes) -> list[tuple[bytes, list[str]]]:
        records = csv.reader(io.StringIO(data.decode("utf-8"), newline=""))
        return [(hashlib.blake2b(repr(r).encode("utf-8"), digest_size=16).digest(), r) for r in records]

    old_rows, new_rows = digested(old[start:old_end]), digested(new[start:new_end])

    header = next(csv.reader(io.StringIO(old[:header_end].decode("utf-8"), newline="")))

    def kept(rows: list[tuple[bytes, list[str]]], other: list[tuple[bytes, list[str]]]) -> list[list[str]]:
        elsewhere = {d for d, _ in other}
        return [header] + [r for d, r in rows if d not in elsewhere]

    return kept(old_rows, new_rows), kept(new_rows, old_rows)


def _common_prefix(a: bytes, b: bytes) -> int:
    """Length of the longest common prefix of a and b (compared a block at a time, in C)."""
    n, i, block = min(len(a), len(b)), 0, 1 << 16
    while i < n and a[i : i + block] == b[i : i + block]:
        i += block
    lo, hi = min(i, n), min(i + block, n)
    while lo < hi:  # a[:lo] == b[:lo]; the first difference is before hi
        mid = (lo + hi) // 2
        if a[lo : mid + 1] == b[lo : mid + 1]:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _is_record_start(data: bytes, at: int) -> bool:
    """True when a CSV record starts at this offset: right after a line end outside any quoted field
    (an even number of quote characters before it: doubled quotes inside a field count twice)."""
    return at == 0 or (data[at - 1 : at] == b"\n" and data.count(b'"', 0, at) % 2 == 0)


def _record_start_before(data: bytes, at: int, first: int) -> int:
    """The last record start at or before `at`, and not before `first`."""
    while at > first and not _is_record_start(data, at):
        at = data.rfind(b"\n", 0, at - 1) + 1
    return max(at, first)


def _shared_record_start(old: bytes, new: bytes, old_at: int) -> tuple[int, int]:
    """The first offsets, in old at or after old_at and at the same distance from the end in new,
    where both files start a record of their common ending (old[old_at:] equals the same number of
    last bytes of new), or their ends."""
    shift = len(new) - len(old)
    nl = old.find(b"\n", old_at)  # a line end inside the common ending, so the same in both files
    while nl >= 0:
        if _is_record_start(old, nl + 1) and _is_record_start(new, nl + 1 + shift):
            return nl + 1, nl + 1 + shift
        nl = old.find(b"\n", nl + 1)
    return len(old), len(new)
