"""The next version: what changed since the latest release, and which semantic version that calls for.

Belongs here: comparing the new tables with the latest release (tables and columns first, then the
rows of each table, both sides as published, the records both CSVs share set aside byte for byte
first), choosing the semantic version (schema removed or retyped -> major; tables, columns or rows
added or removed -> minor; values changed -> patch; nothing changed -> no release), and the text of
CHANGES.md and changes.json.
Does not belong here: writing or verifying the package (``pipelines.publish.package``), releases/ and
its index (``pipelines.publish.store``), the steps of a publish in order (``pipelines.publish.release``).
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.publish.package import PACKAGE_NAME
from pipelines.publish.tables import is_missing, read_published_rows, typed_rows
from schemas.frictionless_schema import table_schema
from schemas.tables import TABLES

FIRST_VERSION = "1.0.0"


@dataclass
class TableDiff:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[dict] = field(default_factory=list)  # {key, column, old, new}

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


@dataclass
class ReleaseDiff:
    tables_added: list[str] = field(default_factory=list)
    tables_removed: list[str] = field(default_factory=list)
    columns_added: dict[str, list[str]] = field(default_factory=dict)
    columns_removed: dict[str, list[str]] = field(default_factory=dict)
    columns_retyped: dict[str, list[str]] = field(default_factory=dict)
    rows: dict[str, TableDiff] = field(default_factory=dict)

    @property
    def level(self) -> str | None:
        if self.tables_removed or any(self.columns_removed.values()) or any(self.columns_retyped.values()):
            return "major"
        if (
            self.tables_added
            or any(self.columns_added.values())
            or any(d.added or d.removed for d in self.rows.values())
        ):
            return "minor"
        if any(d.changed for d in self.rows.values()):
            return "patch"
        return None

    def to_json(self) -> dict:
        return {
            "level": self.level,
            "tables_added": self.tables_added,
            "tables_removed": self.tables_removed,
            "columns_added": self.columns_added,
            "columns_removed": self.columns_removed,
            "columns_retyped": self.columns_retyped,
            "tables": {
                name: {"rows_added": d.added, "rows_removed": d.removed, "values_changed": d.changed}
                for name, d in sorted(self.rows.items())
            },
        }


def bump(version: str | None, level: str) -> str:
    if version is None:
        return FIRST_VERSION
    major, minor, patch = (int(x) for x in version.split("."))
    return {"major": f"{major + 1}.0.0", "minor": f"{major}.{minor + 1}.0", "patch": f"{major}.{minor}.{patch + 1}"}[
        level
    ]


# --- Diff -----------------------------------------------------------------------------------------


def _field_types(fields: list[dict]) -> dict[str, str]:
    return {f["name"]: f["type"] for f in fields}


def schema_diff(old_package: dict | None, names: list[str]) -> ReleaseDiff:
    """Tables and columns added, removed or retyped against the previous release (rows come later,
    table by table: ``diff_rows``)."""
    d = ReleaseDiff()
    old_fields = {
        res["name"]: _field_types(res["schema"]["fields"]) for res in (old_package or {}).get("resources", [])
    }
    new_fields = {name: _field_types(table_schema(TABLES[name])["fields"]) for name in names}
    d.tables_added = sorted(set(names) - set(old_fields)) if old_package else sorted(names)
    d.tables_removed = sorted(set(old_fields) - set(names))
    for name in sorted(set(names) & set(old_fields)):
        of, nf = old_fields[name], new_fields[name]
        if added := sorted(set(nf) - set(of)):
            d.columns_added[name] = added
        if removed := sorted(set(of) - set(nf)):
            d.columns_removed[name] = removed
        if retyped := sorted(c for c in set(nf) & set(of) if nf[c] != of[c]):
            d.columns_retyped[name] = retyped
    return d


@dataclass
class KeyedRows:
    """One side of a table's diff: its rows as published, by primary key written as text ('a|b' for
    a composite key), each row's values in the order of `names`."""

    names: list[str]
    rows: dict[str, list]

    @classmethod
    def of(cls, table_name: str, fields: list[dict], rows: list[list]) -> KeyedRows:
        """The rows (values in the order of `fields`, as ``tables.read_published_rows`` gives them) by key."""
        names = [f["name"] for f in fields]
        at = [names.index(c) for c in TABLES[table_name].primary_key]
        return cls(names, {"|".join(str(r[i]) for i in at): r for r in rows})

    def row(self, key: str) -> dict | None:
        values = self.rows.get(key)
        return None if values is None else dict(zip(self.names, values))


def diff_rows(old: KeyedRows | None, new: KeyedRows, retyped: list[str]) -> TableDiff:
    """Rows added and removed (by primary key) and values changed in one table, both sides as
    published; changes are listed by key, then in the new table's column order."""
    old_rows = old.rows if old is not None else {}
    td = TableDiff(added=sorted(new.rows.keys() - old_rows.keys()), removed=sorted(old_rows.keys() - new.rows.keys()))
    if old is None:
        return td
    # A retyped column is reported as such (major); its values would all differ by type alone.
    at_old = {c: i for i, c in enumerate(old.names)}
    columns = [(c, at_old[c], j) for j, c in enumerate(new.names) if c in at_old and c not in retyped]
    for key in sorted(new.rows.keys() & old_rows.keys()):
        a, b = old_rows[key], new.rows[key]
        for c, i, j in columns:
            if a[i] != b[j] and not (is_missing(a[i]) and is_missing(b[j])):
                td.changed.append({"key": key, "column": c, "old": a[i], "new": b[j]})
    return td


EXAMPLES_PER_SECTION = 100


def changes_markdown(
    version: str,
    previous: str | None,
    diff: ReleaseDiff,
    counts: dict[str, int],
    sections: dict[str, list[str]] | None = None,
) -> str:
    """CHANGES.md: the level and why, then per table the rows added and removed (key, document and
    what the row says) and the values changed (key, column, old, new). changes.json has every key.
    sections holds each changed table's part (``table_changes_markdown``)."""
    lines = [f"# Changes in {PACKAGE_NAME} {version}", ""]
    if previous is None:
        lines += [f"First release: {sum(counts.values())} rows in {len(counts)} tables.", ""]
        lines += ["| table | rows |", "|---|---|"] + [f"| `{t}` | {n} |" for t, n in sorted(counts.items())]
        return "\n".join(lines) + "\n"
    totals = (
        ("row added", "rows added", sum(len(td.added) for td in diff.rows.values())),
        ("row removed", "rows removed", sum(len(td.removed) for td in diff.rows.values())),
        ("value changed", "values changed", sum(len(td.changed) for td in diff.rows.values())),
    )
    because = ", ".join(f"{n} {one if n == 1 else many}" for one, many, n in totals if n)
    lines += [f"Compared with {previous}: a **{diff.level}** change" + (f" ({because})." if because else "."), ""]
    for label, value in (("Tables added", diff.tables_added), ("Tables removed", diff.tables_removed)):
        if value:
            lines.append(f"- {label}: " + ", ".join(f"`{t}`" for t in value))
    for label, mapping in (
        ("Columns added", diff.columns_added),
        ("Columns removed", diff.columns_removed),
        ("Columns retyped", diff.columns_retyped),
    ):
        for t, cols in mapping.items():
            lines.append(f"- {label} in `{t}`: " + ", ".join(f"`{c}`" for c in cols))
    lines += ([] if lines[-1] == "" else [""]) + [
        "| table | rows | added | removed | values changed |",
        "|---|---|---|---|---|",
    ]
    for t, td in sorted(diff.rows.items()):
        lines.append(f"| `{t}` | {counts.get(t, 0)} | {len(td.added)} | {len(td.removed)} | {len(td.changed)} |")
    for t, td in sorted(diff.rows.items()):
        if not td.is_empty:
            lines += (sections or {}).get(t, [])
    return "\n".join(lines) + "\n"


def table_changes_markdown(t: str, td: TableDiff, old: KeyedRows | None, new: KeyedRows | None) -> list[str]:
    """One table's part of CHANGES.md: the rows added and removed (from the version that has them)
    and the values changed, at most EXAMPLES_PER_SECTION of each."""
    if td.is_empty:
        return []
    lines = ["", f"## `{t}`"]
    pk = list(TABLES[t].primary_key)
    for label, keys, side in (("Rows added", td.added, new), ("Rows removed", td.removed, old)):
        if not keys:
            continue
        lines += ["", f"### {label} ({len(keys)})", "", "| key | document | row |", "|---|---|---|"]
        for k in keys[:EXAMPLES_PER_SECTION]:
            row = side.row(k) if side is not None else None
            document = row.get("document_id") if row is not None else None
            lines.append(f"| `{k}` | {_md(document)} | {_md(_row_summary(row, pk))} |")
        lines += _more(len(keys))
    if td.changed:
        lines += [
            "",
            f"### Values changed ({len(td.changed)})",
            "",
            "| key | column | old | new |",
            "|---|---|---|---|",
        ]
        for ch in td.changed[:EXAMPLES_PER_SECTION]:
            lines.append(f"| `{ch['key']}` | `{ch['column']}` | {_md(ch['old'])} | {_md(ch['new'])} |")
        lines += _more(len(td.changed))
    return lines


def _more(n: int) -> list[str]:
    if n <= EXAMPLES_PER_SECTION:
        return []
    return ["", f"... and {n - EXAMPLES_PER_SECTION} more: changes.json lists them all."]


def _row_summary(row: dict | None, pk: list[str]) -> str | None:
    """What a row says, for a reader: its quote when it has one, else its other values."""
    if row is None:
        return None
    if "quote" in row and not is_missing(row["quote"]):
        return row["quote"]
    return "; ".join(f"{c}: {_md(v)}" for c, v in row.items() if c not in pk and not is_missing(v))


def _md(v) -> str:
    if is_missing(v):
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).replace("|", "\\|").replace("\r", " ").replace("\n", " ")[:160]


def _diff_release(
    old_package: dict | None, old_folder: Path | None, data_dir: Path, digests: dict[str, str]
) -> tuple[ReleaseDiff, dict[str, list[str]]]:
    """The diff against the previous release and each changed table's part of CHANGES.md, one table
    at a time. Both sides are compared as published (read back from CSV), so they have the same
    types; a table whose CSV bytes and field types equal the previous release's has not changed
    (equal bytes alone are not enough: a retyped column can keep every cell as it was)."""
    diff = schema_diff(old_package, list(TABLES))
    old_resources = {res["name"]: res for res in (old_package or {}).get("resources", [])}
    sections = {}
    for name in TABLES:
        path = data_dir / f"{name}.csv"
        old = old_resources.get(name)
        new_fields = table_schema(TABLES[name])["fields"]
        if (
            old
            and old.get("hash") == "sha256:" + digests[name]
            and _field_types(old["schema"]["fields"]) == _field_types(new_fields)
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
