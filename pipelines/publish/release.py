"""Publishing a release: version, diff, files, integrity, and the atomic move into releases/.

Belongs here: comparing the new tables with the latest release, choosing the semantic version
(schema removed or retyped -> major; tables, columns or rows added or removed -> minor; values
changed -> patch; nothing changed -> no release), writing the data package (CSV, datapackage.json,
DuckDB, CHANGES.md, changes.json, coverage, SHA256SUMS, zip) into a staging folder, verifying it,
then renaming it into place and replacing releases/index.json atomically. The catalogue page is
rendered afterwards, from what releases/ holds, by the layer above (``pipelines.catalogue``).
Staging happens beside releases/ (``.releases-staging/``), never inside it, so that until the final
rename nothing under releases/ changes. A released version is never overwritten. What an interrupted
publish left behind (its staging folder, and the version folder it renamed into place but did not
list in the index, which it names in a journal first) is removed at the start of the next publish;
nothing else in releases/ is ever removed.
Crash injection for tests: JAC_RELEASE_CRASH_AFTER=<step> ends the process after that step; steps are
"data/<table>.csv", "datapackage.json", "duckdb", "extra", "zip", "renamed", "index.json".
Does not belong here: extraction, validation rules, DuckDB DDL (``pipelines.publish.warehouse``), the page.
"""

from __future__ import annotations

import csv
import datetime as dt
import fcntl
import hashlib
import io
import json
import logging
import os
import shutil
import zipfile
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pipelines.publish.tables import is_missing, read_published_rows, typed_rows, write_csv
from schemas.frictionless_schema import table_schema
from schemas.tables import FACT_TABLES, TABLES

log = logging.getLogger(__name__)

PACKAGE_NAME = "japan-asean-cooperation"
FIRST_VERSION = "1.0.0"
LICENSE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
# Staging folders of the publisher before staging moved out of releases/; removed on sight.
LEGACY_STAGING_PREFIX = ".staging-"
JOURNAL_NAME = "publishing.json"
LOCK_NAME = "lock"
# Test hook: a callable run between files while staging, to inject a crash.
FaultHook = Callable[[str], None]


FACT_TABLE_NAMES = {t.name for t in FACT_TABLES}


class ReleaseError(RuntimeError):
    """Publishing refused or failed; releases/ is left as it was."""


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


@dataclass
class PublishOutcome:
    version: str | None
    published: bool
    message: str
    path: Path | None = None
    diff: ReleaseDiff | None = None
    rows: dict[str, int] = field(default_factory=dict)  # rows of each table offered for publishing


# --- Index ----------------------------------------------------------------------------------------


def read_index(releases_dir: Path) -> dict:
    path = Path(releases_dir) / "index.json"
    if not path.exists():
        return {"latest": None, "versions": []}
    return json.loads(path.read_text(encoding="utf-8"))


def staging_root(releases_dir: Path) -> Path:
    """Where a publish works: beside releases/ (same file system, so the final rename is atomic) and
    outside it, so that a crash before the rename leaves releases/ byte for byte as it was."""
    releases_dir = Path(releases_dir)
    return releases_dir.parent / f".{releases_dir.name}-staging"


def write_json_atomic(path: Path, data: dict, work_dir: Path) -> None:
    """Replace path in one step; the temporary file lives in work_dir, not beside path."""
    write_bytes_atomic(path, (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"), work_dir)


def write_bytes_atomic(path: Path, data: bytes, work_dir: Path) -> None:
    work_dir.mkdir(parents=True, exist_ok=True)
    tmp = work_dir / f"{path.name}.tmp-{os.getpid()}"
    tmp.write_bytes(data)
    os.replace(tmp, path)


def bump(version: str | None, level: str) -> str:
    if version is None:
        return FIRST_VERSION
    major, minor, patch = (int(x) for x in version.split("."))
    return {"major": f"{major + 1}.0.0", "minor": f"{major}.{minor + 1}.0", "patch": f"{major}.{minor}.{patch + 1}"}[
        level
    ]


@contextmanager
def publish_lock(releases_dir: Path):
    """One publisher at a time (make release, the schedule and the sensor may overlap): the second
    waits, then finds the data already published. The lock dies with its process, so a crash never
    leaves it held."""
    root = staging_root(releases_dir)
    root.mkdir(parents=True, exist_ok=True)
    with open(root / LOCK_NAME, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def recover(releases_dir: Path) -> list[str]:
    """Remove what an interrupted publish left: its staging files and, if the journal names one, the
    version folder it renamed into place but never listed in index.json. Call with the lock held."""
    releases_dir = Path(releases_dir)
    removed = []
    if releases_dir.exists():
        for p in sorted(releases_dir.iterdir()):
            if p.is_dir() and p.name.startswith(LEGACY_STAGING_PREFIX):
                shutil.rmtree(p)
                removed.append(p.name)
    root = staging_root(releases_dir)
    journal = root / JOURNAL_NAME
    if journal.exists():
        version = json.loads(journal.read_text(encoding="utf-8"))["version"]
        listed = {v["version"] for v in read_index(releases_dir)["versions"]}
        if version not in listed and (releases_dir / version).is_dir():
            shutil.rmtree(releases_dir / version)
            removed.append(version)
    if root.exists():
        for p in sorted(root.iterdir()):
            if p.name == LOCK_NAME:
                continue
            if p.is_dir():
                shutil.rmtree(p)
            else:
                p.unlink()
            if p.name != JOURNAL_NAME:
                removed.append(p.name)
    for name in removed:
        log.warning("removed %s left by an interrupted publish", name)
    return removed


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


# --- Package --------------------------------------------------------------------------------------


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha256(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def datapackage_descriptor(
    version: str, created: str, data_dir: Path, documents: pd.DataFrame, digests: dict[str, str]
) -> dict:
    """The descriptor of the CSVs written in data_dir (their sizes read from the files; digests: each
    table's SHA-256, hashed once when written)."""
    resources = []
    for name, table in TABLES.items():
        resources.append(
            {
                "name": name,
                "title": table.title,
                "description": table.description,
                "$schema": "https://datapackage.org/profiles/2.0/dataresource.json",
                "type": "table",
                "path": f"data/{name}.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": (data_dir / f"{name}.csv").stat().st_size,
                "hash": "sha256:" + digests[name],
                "schema": table_schema(table),
            }
        )
    sources = [
        {
            "title": r.title if isinstance(r.title, str) else r.file_name,
            "path": f"raw/{r.file_name}",
            "description": f"{r.file_name}; publisher: {r.publisher or 'not stated'}; "
            f"date: {r.published or 'not stated'}; sha256: {r.sha256}",
        }
        for r in documents.itertuples()
    ]
    return {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": PACKAGE_NAME,
        "title": "Japan–ASEAN cooperation: facts extracted from public documents",
        "description": "Facts about Japan–ASEAN cooperation (JAIF projects, ASEAN statistics, summits and "
        "ministerial meetings, pledges, programmes and their results) extracted from public "
        "Japanese and English documents, each with the exact quote and offsets it comes from.",
        "version": version,
        "created": created,
        "licenses": [LICENSE],
        "sources": sources,
        "keywords": ["Japan", "ASEAN", "JAIF", "official development assistance", "open data"],
        "resources": resources,
    }


def publish(
    tables: Mapping[str, pd.DataFrame],
    releases_dir: Path,
    build_duckdb: Callable[[Path, Mapping[str, pd.DataFrame]], object],
    extra_files: dict[str, bytes] | Callable[[], dict[str, bytes]] | None = None,
    created: str | None = None,
    verify: Callable[[Path], list[str]] | None = None,
    fault: FaultHook | None = None,
    on_table: Callable[[str, pd.DataFrame], None] | None = None,
) -> PublishOutcome:
    """Publish the tables as the next version, or nothing when they equal the latest release.

    Each table is taken from `tables` once, written, handed to on_table and let go: `tables` may
    load each table when asked for it (a step then holds one table at a time), and on_table derives
    what the extra files need (extra_files may be a callable, called once every table was seen)."""
    releases_dir = Path(releases_dir)
    releases_dir.mkdir(parents=True, exist_ok=True)
    with publish_lock(releases_dir):
        recover(releases_dir)
        return _publish_locked(
            tables, releases_dir, build_duckdb, extra_files, created, verify, fault or _fault_from_environment, on_table
        )


def _publish_locked(
    tables, releases_dir: Path, build_duckdb, extra_files, created, verify, hook: FaultHook, on_table
) -> PublishOutcome:
    index = read_index(releases_dir)
    previous = index["latest"]
    old_folder = releases_dir / previous if previous else None
    old_package = json.loads((old_folder / "datapackage.json").read_text(encoding="utf-8")) if previous else None
    work = staging_root(releases_dir)
    staging = work / f"next-{os.getpid()}"
    journal = work / JOURNAL_NAME
    renamed = False
    try:
        # The CSVs go straight to their files, and the diff reads them back one table at a time: at
        # most one table's two versions are in memory, never every table's text and frames at once.
        (staging / "data").mkdir(parents=True)
        counts = {}
        for name in TABLES:
            df = tables[name]
            write_csv(name, df, staging / "data" / f"{name}.csv")
            counts[name] = len(df)
            if on_table:
                on_table(name, df)
            del df
        # Hashed once: the diff, the descriptor and SHA256SUMS use the same digests (verification
        # reads the files again on purpose).
        digests = {name: file_sha256(staging / "data" / f"{name}.csv") for name in TABLES}
        diff, sections = _diff_release(old_package, old_folder, staging / "data", digests)
        level = diff.level if previous else "major"
        if level is None:
            shutil.rmtree(staging)
            return PublishOutcome(
                previous, False, f"no change since {previous}: nothing published", old_folder, rows=counts
            )
        version = bump(previous, level)
        final = releases_dir / version
        if final.exists():
            listed = version in {v["version"] for v in index["versions"]}
            raise ReleaseError(
                f"release {version} already exists in {releases_dir}"
                + (
                    ""
                    if listed
                    else " although index.json does not list it (copied by hand, or left by an older publisher?)"
                )
                + "; a released version is never overwritten: move that folder away if it is not a release"
            )
        created = created or os.environ.get("RELEASE_CREATED") or dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        for name in TABLES:
            hook(f"data/{name}.csv")
        package = datapackage_descriptor(version, created, staging / "data", tables["documents"], digests)
        (staging / "datapackage.json").write_text(
            json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        hook("datapackage.json")
        build_duckdb(staging / f"{PACKAGE_NAME}.duckdb", tables)
        hook("duckdb")
        (staging / "CHANGES.md").write_text(
            changes_markdown(version, previous, diff, counts, sections), encoding="utf-8"
        )
        (staging / "changes.json").write_text(
            json.dumps(
                {"version": version, "previous": previous, **diff.to_json()}, ensure_ascii=False, indent=2, default=str
            )
            + "\n",
            encoding="utf-8",
        )
        for rel, data in ((extra_files() if callable(extra_files) else extra_files) or {}).items():
            (staging / rel).parent.mkdir(parents=True, exist_ok=True)
            (staging / rel).write_bytes(data)
        hook("extra")
        _write_checksums(staging, {f"data/{name}.csv": digest for name, digest in digests.items()})
        # Verification reads no part of the zip: it runs while the zip is compressed (zlib lets go of
        # the interpreter lock), and the pool waits for the zip before anything else happens.
        with ThreadPoolExecutor(max_workers=1) as pool:
            zipped = pool.submit(_write_zip, staging, version)
            problems = verify(staging) if verify else []
            zipped.result()
        hook("zip")
        if problems:
            raise ReleaseError("the staged release does not verify:\n  " + "\n  ".join(problems))
        if final.exists():
            raise ReleaseError(f"release {version} appeared while publishing; refusing to overwrite it")
        # Name the folder before it appears, so that recovery after a crash removes this one and no other.
        write_json_atomic(journal, {"version": version}, work)
        os.rename(staging, final)
        renamed = True
        hook("renamed")
        entry = {
            "version": version,
            "created": created,
            "tables": counts,
            "sha256": sha256_bytes((final / "datapackage.json").read_bytes()),
        }
        index = {"name": PACKAGE_NAME, "latest": version, "versions": [entry] + index["versions"]}
        write_json_atomic(releases_dir / "index.json", index, work)
        journal.unlink()
        hook("index.json")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if renamed and version not in {v["version"] for v in read_index(releases_dir)["versions"]}:
            shutil.rmtree(final, ignore_errors=True)
        journal.unlink(missing_ok=True)
        raise
    return PublishOutcome(
        version, True, f"published {version} ({level} change since {previous or 'nothing'})", final, diff, counts
    )


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
            old_values = read_published_rows((old_folder / old["path"]).read_bytes(), old_fields) if old else None
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


def _fault_from_environment(step: str) -> None:
    """Crash injection for tests: JAC_RELEASE_CRASH_AFTER=<step> kills the process after that step."""
    if os.environ.get("JAC_RELEASE_CRASH_AFTER") == step:
        os._exit(86)


def _write_checksums(folder: Path, known: dict[str, str]) -> None:
    """SHA256SUMS of every file but itself and the zip; `known`: digests already computed, by path."""
    lines = []
    for p in sorted(folder.rglob("*")):
        if p.is_file() and p.name != "SHA256SUMS" and not p.name.endswith(".zip"):
            rel = p.relative_to(folder).as_posix()
            lines.append(f"{known.get(rel) or file_sha256(p)}  {rel}")
    (folder / "SHA256SUMS").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _write_zip(folder: Path, version: str) -> None:
    """One-click download of the whole version; fixed timestamps keep it reproducible. Each file is
    streamed into the archive, never read whole."""
    target = folder / f"{PACKAGE_NAME}-{version}.zip"
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for p in sorted(folder.rglob("*")):
            if p.is_file() and p != target:
                info = zipfile.ZipInfo(
                    f"{PACKAGE_NAME}-{version}/{p.relative_to(folder).as_posix()}", date_time=(1980, 1, 1, 0, 0, 0)
                )
                info.compress_type = zipfile.ZIP_DEFLATED
                info.file_size = p.stat().st_size
                with open(p, "rb") as source, zf.open(info, "w") as dest:
                    shutil.copyfileobj(source, dest, 1 << 20)


# --- The gate: validate, then publish -------------------------------------------------------------


class ValidationError(ReleaseError):
    """A table failed its checks: nothing was published. The message names table, rows, documents."""


def validate_all(tables: Mapping[str, pd.DataFrame], texts: dict[str, str]) -> list[str]:
    from schemas.validation import validate_cross_table, validate_provenance, validate_table

    problems = []
    for name in TABLES:
        df = tables[name]
        for failure in (validate_table(name, df), validate_provenance(name, df, texts)):
            if failure:
                problems.append(str(failure))
        del df
    if not problems and (failure := validate_cross_table(tables)):
        problems.append(str(failure))
    return problems


def texts_for_validation(raw_dir: Path, documents: pd.DataFrame) -> dict[str, str]:
    """document_id -> text of each document in raw/ whose bytes are still those the table was built
    from (its sha256). A document missing or changed since has no text, so its facts fail the
    provenance check: facts are never published unchecked against the text they point into."""
    from pipelines.documents import read_document

    texts = {}
    for row in documents.itertuples():
        path = Path(raw_dir) / row.file_name
        if path.is_file():
            doc = read_document(path)
            if doc.sha256 == row.sha256:
                texts[row.document_id] = doc.text
    return texts


def verify_release(folder: Path) -> list[str]:
    """Check a staged release as a user would: every CSV against its descriptor (size, hash, Table
    Schema, keys: ``pipelines.publish.verification``), the checksums, and the DuckDB file's row counts."""
    import duckdb

    from pipelines.publish.verification import verify_package

    problems, csv_rows = verify_package(folder)
    for line in (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, rel = line.split("  ", 1)
        if file_sha256(folder / rel) != digest:  # streamed, not read whole
            problems.append(f"checksum mismatch: {rel}")
    with duckdb.connect(str(folder / f"{PACKAGE_NAME}.duckdb"), read_only=True) as con:
        for name in TABLES:
            n_db = con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
            if csv_rows.get(name) != n_db:
                problems.append(f"{name}: {csv_rows.get(name)} rows in CSV but {n_db} in DuckDB")
    return problems


def publish_tables(
    tables: Mapping[str, pd.DataFrame],
    texts: dict[str, str],
    coverage: dict,
    releases_dir: Path,
    fault: FaultHook | None = None,
    already_validated: bool = False,
    database: Path | None = None,
) -> PublishOutcome:
    """Validate every table (again, unless the caller saw every check pass on these very tables) and
    publish; raises ValidationError and publishes nothing on failure. `tables` may load each table
    when asked (it is taken once to publish). `database`: a DuckDB file the caller built from these
    very tables (the run's warehouse), shipped as a copy instead of building the same file twice."""
    from pipelines.publish.twins import assemble_twin_report, twin_markdown, twin_pairs, twin_report_part
    from pipelines.publish.warehouse import build_database

    problems = [] if already_validated else validate_all(tables, texts)
    if problems:
        raise ValidationError("nothing was published:\n" + "\n".join(problems))
    pairs = twin_pairs(tables["documents"]["document_id"])
    parts: dict[str, list[dict]] = {}

    def twin_part(name: str, df: pd.DataFrame) -> None:
        if name in FACT_TABLE_NAMES:
            parts[name] = twin_report_part(name, df, pairs)

    def extra() -> dict[str, bytes]:
        twins = assemble_twin_report(pairs, parts)
        return {
            "coverage.json": (json.dumps(coverage["documents"], ensure_ascii=False, indent=2) + "\n").encode("utf-8"),
            "COVERAGE.md": coverage["markdown"].encode("utf-8"),
            "twins.json": (json.dumps(twins, ensure_ascii=False, indent=2, default=str) + "\n").encode("utf-8"),
            "TWINS.md": twin_markdown(twins).encode("utf-8"),
        }

    build = (lambda target, _tables: shutil.copyfile(database, target)) if database else build_database
    return publish(
        tables, releases_dir, build, extra_files=extra, verify=verify_release, fault=fault, on_table=twin_part
    )
