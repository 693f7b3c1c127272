"""What differs between two versions' tables: the diff model, and comparing schemas and rows.

Belongs here: ``TableDiff`` and ``ReleaseDiff`` (with the semantic-version level a difference calls
for), comparing the tables and columns of two packages (``schema_diff``) and two versions of a table's
rows keyed by primary key (``KeyedRows``, ``diff_rows``).
Does not belong here: reading the files of two releases (``pipelines.publish.versions``), CHANGES.md
(``pipelines.publish.changes``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipelines.publish.tables import csv_resources, is_missing
from schemas.frictionless_schema import table_schema
from schemas.tables import TABLES


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


def field_types(fields: list[dict]) -> dict[str, str]:
    return {f["name"]: f["type"] for f in fields}


def schema_diff(old_package: dict | None, names: list[str]) -> ReleaseDiff:
    """Tables and columns added, removed or retyped against the previous release (rows come later,
    table by table: ``diff_rows``)."""
    d = ReleaseDiff()
    old_fields = {res["name"]: field_types(res["schema"]["fields"]) for res in csv_resources(old_package or {})}
    new_fields = {name: field_types(table_schema(TABLES[name])["fields"]) for name in names}
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
